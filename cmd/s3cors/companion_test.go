package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformCompanionRefused: the files Terraform reads beside a module,
// variable values and tests, given alone, are refused saying what to give
// instead, where they were judged as S3's forms (a .tfvars.json: 400
// MalformedXML, "unknown member "cors_rules"; S3 calls it "CORSRules"";
// a .tfvars or .tftest.hcl: "neither XML nor JSON"), and passed over with
// --skip-unrelated; named JSON with --input, it is S3's verdict again.
func TestTerraformCompanionRefused(t *testing.T) {
	t.Parallel()
	const values = "is a file of Terraform variable values, not a configuration: give the module whose variables it sets"
	const test = "is a Terraform test file, which terraform test reads, not a configuration: give the module it tests"
	for _, tc := range []struct {
		name, data string
		input      string // --input
		want       string // the start of the error; "" for S3's verdict
	}{
		{"terraform.tfvars.json", `{"cors_rules": [{"allowed_methods": ["GET"], "allowed_origins": ["*"]}]}`, "", values},
		{"prod.auto.tfvars", "cors_origins = [\"https://a.example\"]\n", "", values},
		{"Prod.TFVARS", "x = 1\n", "", values},
		{"cors.tftest.hcl", "variables {\n  bucket_name = \"b\"\n}\nrun \"plan\" {\n  command = plan\n}\n", "", test},
		{"terraform.tfvars.json", `{"cors_rules": []}`, "json", ""},
	} {
		t.Run(tc.name+" "+tc.input, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			l := load(fileSource(path, nil), loadOptions{input: tc.input})
			switch {
			case tc.want == "" && (l.err != nil || len(l.problems) == 0):
				t.Errorf("error %v, %d problems; want S3's verdict", l.err, len(l.problems))
			case tc.want != "" && (l.err == nil || !strings.HasPrefix(l.err.Error(), tc.want) || len(l.problems) != 0):
				t.Errorf("error %v (%d problems), want one that starts %q", l.err, len(l.problems), tc.want)
			}
			if tc.want != "" {
				if l := load(fileSource(path, nil), loadOptions{skipUnrelated: true}); !l.skipped || l.err != nil {
					t.Errorf("with --skip-unrelated: skipped %v, error %v; want it skipped", l.skipped, l.err)
				}
			}
		})
	}
}
