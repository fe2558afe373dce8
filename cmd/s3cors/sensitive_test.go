package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestConvertSensitive: convert of a plan whose values Terraform marks
// sensitive writes them in the document, which the user asked for, but
// its notes on standard error show them as "(sensitive value)", as lint's
// findings in every format do.
func TestConvertSensitive(t *testing.T) {
	t.Parallel()
	const secret = "https://secret.internal.example.com"
	plan := `{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket_cors_configuration.c",
 "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": "c",
 "change": {"actions": ["create"], "before": null,
  "after": {"bucket": "b", "cors_rule": [{"allowed_headers": [], "allowed_methods": ["GET"],
   "allowed_origins": ["` + secret + `", "` + secret + `", "` + secret + `/"], "expose_headers": [], "id": "secret-cafe\u0301", "max_age_seconds": 60}]},
  "after_unknown": {"id": true}, "before_sensitive": false,
  "after_sensitive": {"cors_rule": [{"allowed_origins": [true, true, true], "id": true}]}}}]}`
	path := writeFile(t, t.TempDir(), "plan.json", plan)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		document bool // standard output holds the secret
	}{
		{"convert cloudformation", []string{"convert", "--to", "cloudformation", path}, 0, true},
		{"convert json", []string{"convert", "--to", "json", path}, 0, true},
		{"convert terraform", []string{"convert", "--to", "terraform", path}, 0, true},
		{"lint github", []string{"lint", "--format", "github", path}, 1, false},
		{"lint sarif", []string{"lint", "--format", "sarif", path}, 1, false},
		{"lint json", []string{"lint", "--json", path}, 1, false},
		{"lint text", []string{"lint", path}, 1, false},
		{"validate", []string{"validate", path}, 0, false},
		// explain's trace quotes the rules' values and ids, and its
		// answer echoes an Origin they admit.
		{"explain refused", []string{"explain", "--method", "GET", "--origin", "https://other.example", path}, 1, false},
		{"explain allowed", []string{"explain", "--method", "OPTIONS", "--origin", secret, "--request-method", "GET", path}, 0, false},
		{"explain json", []string{"explain", "--json", "--method", "GET", "--origin", "https://other.example", path}, 1, false},
		{"explain json allowed", []string{"explain", "--json", "--method", "GET", "--origin", secret, path}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			if code := run(tc.args, strings.NewReader(""), &stdout, &stderr); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if strings.Contains(stderr.String(), "secret") {
				t.Errorf("standard error shows the secret:\n%s", stderr.String())
			}
			if got := strings.Contains(stdout.String(), "secret"); got != tc.document {
				t.Errorf("standard output holds the secret: %v, want %v:\n%s", got, tc.document, stdout.String())
			}
			if slices.Contains(tc.args, "--json") && !json.Valid([]byte(stdout.String())) {
				t.Errorf("--json printed no JSON:\n%s", stdout.String())
			}
		})
	}
}
