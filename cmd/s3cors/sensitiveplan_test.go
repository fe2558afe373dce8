package main

import (
	"strings"
	"testing"
)

// TestPlanSensitiveVariables: a plan's variables section holds, in clear,
// the value of each variable, those the configuration declares sensitive
// included (terraform 1.11.4 writes "variables": {"n": {"value": ...}}
// and configuration.root_module.variables.n.sensitive), and s3cors reads
// it to tell whether a bucket argument var.n is the bucket's whole name.
// Neither that value nor the sensitive bucket name made from it
// (after_sensitive "bucket": true; its argument "${var.n}-name", which the
// plan records by its reference alone) reaches a message: only convert's
// document, the configuration asked for, may hold the name.
func TestPlanSensitiveVariables(t *testing.T) {
	t.Parallel()
	const name, origin = "hidden-bucket-name", "https://hidden-origin.example.com/"
	plan := `{"format_version": "1.2", "terraform_version": "1.11.4",
 "variables": {"n": {"value": "hidden-bucket"}, "origin": {"value": "` + origin + `"}},
 "resource_changes": [{"address": "aws_s3_bucket_cors_configuration.c", "mode": "managed",
  "type": "aws_s3_bucket_cors_configuration", "name": "c", "provider_name": "registry.terraform.io/hashicorp/aws",
  "change": {"actions": ["create"], "before": null,
   "after": {"bucket": "` + name + `", "cors_rule": [{"allowed_headers": [], "allowed_methods": ["GET"],
    "allowed_origins": ["` + origin + `"], "expose_headers": [], "id": "r", "max_age_seconds": 60}]},
   "after_unknown": {"id": true}, "before_sensitive": false,
   "after_sensitive": {"bucket": true, "cors_rule": [{"allowed_origins": [true]}]}}}],
 "configuration": {"root_module": {
  "resources": [{"address": "aws_s3_bucket_cors_configuration.c", "mode": "managed",
   "type": "aws_s3_bucket_cors_configuration", "name": "c",
   "expressions": {"bucket": {"references": ["var.n"]},
    "cors_rule": [{"allowed_origins": {"references": ["var.origin"]}}]}}],
  "variables": {"n": {"sensitive": true}, "origin": {"sensitive": true}}}}}`
	path := writeFile(t, t.TempDir(), "plan.json", plan)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		document bool // standard output may hold the bucket's name
	}{
		{"lint github", []string{"lint", "--format", "github", path}, 1, false},
		{"lint sarif", []string{"lint", "--format", "sarif", path}, 1, false},
		{"lint json", []string{"lint", "--json", path}, 1, false},
		{"validate json", []string{"validate", "--json", path}, 0, false},
		{"validate", []string{"validate", path}, 0, false},
		{"explain", []string{"explain", "--method", "GET", "--origin", "https://other.example", path}, 1, false},
		{"explain json", []string{"explain", "--json", "--method", "GET", "--origin", "https://other.example", path}, 1, false},
		{"convert terraform", []string{"convert", "--to", "terraform", path}, 0, true},
		{"convert json", []string{"convert", "--json", "--to", "terraform", path}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			if code := run(tc.args, strings.NewReader(""), &stdout, &stderr); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if strings.Contains(stderr.String(), "hidden") {
				t.Errorf("standard error shows a sensitive value:\n%s", stderr.String())
			}
			out := stdout.String()
			if tc.document {
				// The bucket argument is "${var.n}-name": the plan records
				// only its reference, and convert writes the bucket's name.
				if !strings.Contains(out, name) || !strings.Contains(out, origin) {
					t.Errorf("the document does not hold the bucket's name and the origin:\n%s", out)
				}
				out = ""
			}
			if strings.Contains(out, "hidden") {
				t.Errorf("standard output shows a sensitive value:\n%s", out)
			}
		})
	}
}
