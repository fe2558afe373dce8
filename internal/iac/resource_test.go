package iac_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestBucketInstanceKey: --resource accepts a Terraform address without
// the instance key of a resource with count or for_each, the last part
// alone included, when one instance has it, read from HCL as from a plan;
// naming several instances is an error that lists them.
func TestBucketInstanceKey(t *testing.T) {
	t.Parallel()
	const tf = `
resource "aws_s3_bucket_cors_configuration" "legacy" {
  count  = 1
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "two" {
  count  = 2
  bucket = "b${count.index}"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "each" {
  for_each = toset(["a]b"])
  bucket   = each.key
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com"]
  }
}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	hcl, err := iac.Load(dir, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := iac.Load("../../testdata/iac/plan/modules.json", iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, resource string
		r              *iac.Result
		want           string // the resource found, or "" for an error
		err            string
	}{
		{"plan last part", "legacy", plan, "aws_s3_bucket.legacy[0]", ""},
		{"plan address without key", "aws_s3_bucket.legacy", plan, "aws_s3_bucket.legacy[0]", ""},
		{"plan for_each key", "per_env", plan, `aws_s3_bucket_cors_configuration.per_env["prod"]`, ""},
		{"plan with key", "legacy[0]", plan, "aws_s3_bucket.legacy[0]", ""},
		{"plan wrong key", "legacy[1]", plan, "", `no bucket CORS configuration named "legacy[1]"`},
		{"hcl last part", "legacy", hcl, "aws_s3_bucket_cors_configuration.legacy[0]", ""},
		{"hcl key with bracket", "each", hcl, `aws_s3_bucket_cors_configuration.each["a]b"]`, ""},
		{"hcl instance", "two[1]", hcl, "aws_s3_bucket_cors_configuration.two[1]", ""},
		{"hcl several instances", "two", hcl, "", `"two" names 2 instances of aws_s3_bucket_cors_configuration.two: name one, with its key: aws_s3_bucket_cors_configuration.two[0], aws_s3_bucket_cors_configuration.two[1]`},
		{"hcl several instances, address", "aws_s3_bucket_cors_configuration.two", hcl, "", "names 2 instances"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := tc.r.Bucket(tc.resource)
			switch {
			case tc.want != "" && err != nil:
				t.Fatalf("Bucket(%q): %v", tc.resource, err)
			case tc.want != "" && b.Resource != tc.want:
				t.Errorf("Bucket(%q) is %s, want %s", tc.resource, b.Resource, tc.want)
			case tc.want == "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("Bucket(%q): error %v, want %q", tc.resource, err, tc.err)
			}
		})
	}
}
