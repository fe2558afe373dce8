package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformCompanionRefused: the files Terraform reads beside a module,
// variable values, tests and the dependency lock file, given alone, are
// refused saying what to give instead, where they were judged as S3's
// forms (a .tfvars.json: 400 MalformedXML, "unknown member "cors_rules";
// S3 calls it "CORSRules""; a .tfvars or .tftest.hcl: "neither XML nor
// JSON") or as a module (the lock file: "no bucket CORS configuration"),
// and passed over with --skip-unrelated; named JSON with --input, it is
// S3's verdict again.
func TestTerraformCompanionRefused(t *testing.T) {
	t.Parallel()
	const values = "is a file of Terraform variable values, not a configuration: give the module whose variables it sets"
	const test = "is a Terraform test file, which terraform test reads, not a configuration: give the module it tests"
	const lock = "is the dependency lock file terraform init writes, not a configuration: give the module whose directory holds it"
	for _, tc := range []struct {
		name, data string
		input      string // --input
		want       string // the start of the error; "" for S3's verdict
	}{
		{"terraform.tfvars.json", `{"cors_rules": [{"allowed_methods": ["GET"], "allowed_origins": ["*"]}]}`, "", values},
		{"prod.auto.tfvars", "cors_origins = [\"https://a.example\"]\n", "", values},
		{"Prod.TFVARS", "x = 1\n", "", values},
		{"cors.tftest.hcl", "variables {\n  bucket_name = \"b\"\n}\nrun \"plan\" {\n  command = plan\n}\n", "", test},
		// Blocks that tell Terraform by content (review5: read as a
		// module that declares no bucket), and a test's mock data.
		{"provider.tftest.hcl", "provider \"aws\" {\n  region = \"us-east-1\"\n}\nrun \"plan\" {\n  command = plan\n}\n", "", test},
		{"aws.tfmock.hcl", "mock_resource \"aws_s3_bucket\" {\n  defaults = {\n    arn = \"arn:aws:s3:::b\"\n  }\n}\n", "", test},
		// The lock file's provider blocks made it a module that
		// declares no bucket, exit 0, and not passed over.
		{".terraform.lock.hcl", "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.31.0\"\n  hashes = [\n    \"h1:ltxyuBWIy9cq0kIKDJH1jeWJy/y7XJLjS4QrsQK4plA=\",\n  ]\n}\n", "", lock},
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

// TestCDKTFProjectNamed: a CDK for Terraform project given as its
// directory, which holds no Terraform file of its own, is refused naming
// the file cdktf synth writes for a stack (cdktf.out/stacks/NAME/cdk.tf.json),
// where the message only asked for "the configuration files in it".
func TestCDKTFProjectNamed(t *testing.T) {
	t.Parallel()
	const want = "is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json): it is a CDK for Terraform project, whose configuration cdktf synth writes: give a stack's, such as "
	for _, tc := range []struct {
		name  string
		files []string
		named string // the path the message names, in the directory
	}{
		{"synthesized", []string{"cdktf.json", "main.ts", "cdktf.out/stacks/web/cdk.tf.json"}, "cdktf.out/stacks/web/cdk.tf.json"},
		{"synthesized, a [ in the name", []string{"cdktf.out/stacks/web[1]/cdk.tf.json"}, "cdktf.out/stacks/web[1]/cdk.tf.json"},
		{"not synthesized", []string{"cdktf.json", "main.ts"}, "cdktf.out/stacks/STACK/cdk.tf.json, once cdktf synth has run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "app[x]")
			for _, name := range tc.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			l := load(fileSource(dir, nil), loadOptions{})
			if want := want + filepath.Join(dir, tc.named); l.err == nil || l.err.Error() != want {
				t.Errorf("error %v, want %q", l.err, want)
			}
		})
	}
}
