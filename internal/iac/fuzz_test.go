package iac_test

import (
	"os"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// fuzzParse reads data as kind and judges every bucket: whatever the
// input, no panic, and an error or a result.
func fuzzParse(f *testing.F, kind iac.Kind, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(corpusDir + "/" + s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := iac.Parse("fuzz", data, iac.Options{Kind: kind})
		if err != nil {
			if r != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		for _, b := range r.Buckets {
			v := iac.Judge(b)
			for _, p := range v.Problems {
				if p.Err == nil || p.Err.Rule > len(b.Rules) {
					t.Fatalf("problem %+v for %d rules", p, len(b.Rules))
				}
			}
		}
		for _, b := range r.Buckets {
			iac.AppendTerraform(nil, "x", "y", b.Rules)
			iac.AppendCloudFormationYAML(nil, "X", b.Rules)
		}
	})
}

func FuzzCloudFormation(f *testing.F) {
	fuzzParse(f, iac.CloudFormation, "cloudformation/website.yaml", "cloudformation/anchors.yaml", "cloudformation/legacy.json", "cdk.out/MediaStack.template.json")
}

func FuzzTerraform(f *testing.F) {
	fuzzParse(f, iac.Terraform, "terraform/app/main.tf", "terraform/app/variables.tf", "terraform/app/modules/site/main.tf")
}

func FuzzPlan(f *testing.F) {
	fuzzParse(f, iac.TerraformPlan, "plan/plan.json")
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"{\"Resources\": {}}", "resource \"a\" \"b\" {}", "<CORSConfiguration/>", "Resources:\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if k := iac.Detect(data); k != 0 && (k < iac.CloudFormation || k > iac.TerraformPlan) {
			t.Fatalf("Detect = %v", k)
		}
	})
}
