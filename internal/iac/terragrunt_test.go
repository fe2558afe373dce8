package iac_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerragrunt checks that Terragrunt's configuration is refused with a
// *KindError that says what to give instead, where it was read as a
// Terraform file that declares no bucket, the CORS rules its inputs give
// a module passed over (or, for a root.hcl without a block of
// Terraform's, judged as S3's form). terraform validate 1.11.4 refuses
// each of these marks ("Unsupported block type", "Unsupported argument":
// 14 checked), and Terragrunt reads them. The files are minimal
// rewrites of terragrunt.hcl files found in repositories.
func TestTerragrunt(t *testing.T) {
	t.Parallel()
	const module = "terraform {\n  source = \"tfr:///terraform-aws-modules/s3-bucket/aws?version=5.7.0\"\n}\n"
	for _, tc := range []struct {
		name, data string
		want       string // what the reason says marks the file, and where
	}{
		{"inputs for a registry module", module + "\ninputs = {\n  cors_rule = [{allowed_methods = [\"PATCH\"], allowed_origins = [\"*\"]}]\n}\n",
			"(its inputs, line 5)"},
		{"include then terraform's source", "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\n" + module,
			"(its include block, line 1)"},
		{"terraform's source alone", module, "(the source of its terraform block, line 2)"},
		{"root.hcl", "remote_state {\n  backend = \"s3\"\n  config = {bucket = \"state\"}\n}\n", "(its remote_state block, line 1)"},
		{"generate", "generate \"provider\" {\n  path = \"provider.tf\"\n  if_exists = \"overwrite\"\n  contents = \"\"\n}\n", "(its generate block, line 1)"},
		{"dependency", "dependency \"vpc\" {\n  config_path = \"../vpc\"\n}\n", "(its dependency block, line 1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "terragrunt.hcl")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := iac.DetectFile(path, []byte(tc.data)); got != iac.Terraform {
				t.Fatalf("DetectFile = %v, want Terraform, whose reader refuses it", got)
			}
			r, err := iac.Load(path, iac.Options{})
			ke, ok := errors.AsType[*iac.KindError](err)
			if !ok {
				t.Fatalf("Load = %+v, %v; want a *KindError", r, err)
			}
			want := "it is Terragrunt's configuration " + tc.want + ", which Terraform does not read: " +
				"Terragrunt runs Terraform on the module its terraform block's source names, with the inputs as its variables; " + iac.TerragruntAdvice
			if ke.Kind != iac.Terraform || ke.Reason != want || r != nil {
				t.Errorf("KindError %+v, result %v; want reason %q", ke, r, want)
			}
		})
	}
}

// TestTerragruntNotMarked checks that what only looks like Terragrunt's
// is read as before: a module call's source, a terraform block without
// one, and the words in a heredoc or a nested block.
func TestTerragruntNotMarked(t *testing.T) {
	t.Parallel()
	const data = `terraform {
  required_providers {
    aws = {source = "hashicorp/aws"}
  }
}
module "m" {
  source = "./m"
  inputs = {}
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
locals {
  doc = <<EOT
include "root" {
}
EOT
}
`
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m", "variables.tf"), []byte("variable \"inputs\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := iac.Load(path, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || r.Buckets[0].Resource != "aws_s3_bucket_cors_configuration.c" {
		t.Errorf("buckets = %+v, want aws_s3_bucket_cors_configuration.c", r.Buckets)
	}
}
