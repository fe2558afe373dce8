package iac_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformWorkspace: terraform.workspace is the workspace that
// .terraform/environment in the root module's directory selects, spaces
// trimmed, or "default" when it selects none (missing, blank, a
// directory), as terraform console 1.11.4 answers in such a directory;
// a module reads the root's. With a cloud block or the remote backend
// and none selected, the workspace is the one terraform init will
// select: not judged. A file that leads outside the directory is not
// read.
func TestTerraformWorkspace(t *testing.T) {
	t.Parallel()
	outside := secretFile(t, "environment", "secret-workspace")
	const byWorkspace = `local.origins[terraform.workspace]`
	for _, tc := range []struct {
		name        string
		environment string // the content of .terraform/environment; "" for none
		origins     string // the expression of allowed_origins in the root module
		backend     string // the root's terraform block
		want        []string
		note, why   string
	}{
		{"none selected", "", byWorkspace, "", []string{"https://staging.example"}, `terraform.workspace is judged as "default": no .terraform/environment selects another`, ""},
		{"selected", "prod\n", byWorkspace, "", []string{"https://prod.example"}, `terraform.workspace is judged as "prod", the workspace .terraform/environment selects`, ""},
		{"spaces trimmed", "  prod \n\n", byWorkspace, "", []string{"https://prod.example"}, `judged as "prod"`, ""},
		{"blank", " \n", byWorkspace, "", []string{"https://staging.example"}, `judged as "default"`, ""},
		{"directory", "<dir>", byWorkspace, "", []string{"https://staging.example"}, `judged as "default"`, ""},
		{"interpolated", "qa", `["https://${terraform.workspace}.example"]`, "", []string{"https://qa.example"}, `judged as "qa"`, ""},
		{"in a module", "prod", "", "", []string{"https://prod.example"}, `judged as "prod"`, ""},
		{"cloud, none selected", "", byWorkspace, `terraform {
  cloud {
    organization = "acme"
    workspaces { name = "web" }
  }
}`, nil, "", "main.tf:2:3, which terraform init selects, and no .terraform/environment records one"},
		{"remote backend, selected", "prod", byWorkspace, `terraform {
  backend "remote" {
    workspaces { prefix = "web-" }
  }
}`, []string{"https://prod.example"}, `judged as "prod"`, ""},
		{"s3 backend, none selected", "", byWorkspace, `terraform {
  backend "s3" {}
}`, []string{"https://staging.example"}, `judged as "default"`, ""},
		{"link leading outside", "<link>", byWorkspace, "", nil, "", ".terraform/environment is not read: leads outside the directories read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"main.tf": tc.backend + `
locals {
  origins = {
    default = ["https://staging.example"]
    prod    = ["https://prod.example"]
  }
}

resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ` + tc.origins + `
  }
}
`,
			})
			if tc.origins == "" {
				// The bucket is a module's, which reads the root's
				// workspace.
				writeFiles(t, dir, map[string]string{
					"main.tf": `module "site" { source = "./modules/site" }`,
					"modules/site/main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${terraform.workspace}.example"]
  }
}
`,
				})
			}
			writeEnvironment(t, dir, tc.environment, outside)
			r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if got := originsOf(b); !slices.Equal(got, tc.want) {
				t.Errorf("origins %q, want %q", got, tc.want)
			}
			whys := whyNotJudged(b, false)
			var notes []string
			for _, n := range b.Notes {
				notes = append(notes, n.Text)
			}
			if !saysWhy(whys, tc.why) {
				t.Errorf("not judged:\n%s\nwant %q", whys, tc.why)
			}
			if all := strings.Join(notes, "\n"); tc.note != "" && !strings.Contains(all, tc.note) {
				t.Errorf("notes:\n%s\nwant %q", all, tc.note)
			}
			if all := strings.Join(append(notes, whys), "\n"); strings.Contains(all, "secret-workspace") {
				t.Errorf("the file outside was read:\n%s", all)
			}
		})
	}
}

// writeEnvironment writes .terraform/environment in dir: content, or a
// directory ("<dir>"), or a symbolic link to outside ("<link>"), or
// nothing ("").
func writeEnvironment(t *testing.T, dir, content, outside string) {
	t.Helper()
	p := filepath.Join(dir, ".terraform", "environment")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	var err error
	switch content {
	case "":
	case "<dir>":
		err = os.Mkdir(p, 0o755)
	case "<link>":
		err = os.Symlink(outside, p)
	default:
		err = os.WriteFile(p, []byte(content), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestTerraformWorkspaceGiven: Options.Workspace is terraform.workspace,
// as TF_WORKSPACE is Terraform's, whatever .terraform/environment
// selects, with a cloud block, and for standard input, which has no
// directory to select one in; no note says how it was read.
func TestTerraformWorkspaceGiven(t *testing.T) {
	t.Parallel()
	const bucket = `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${terraform.workspace}.example"]
  }
}
`
	const cloud = `terraform {
  cloud {
    organization = "acme"
    workspaces { name = "web" }
  }
}
`
	for _, tc := range []struct {
		name, environment, main string
		stdin                   bool
	}{
		{"over the one selected", "prod\n", bucket, false},
		{"none selected", "", bucket, false},
		{"cloud block", "", cloud + bucket, false},
		{"standard input", "", bucket, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := iac.Options{Kind: iac.Terraform, Workspace: "qa"}
			var r *iac.Result
			var err error
			if tc.stdin {
				r, err = iac.Parse("", []byte(tc.main), opts)
			} else {
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{"main.tf": tc.main})
				writeEnvironment(t, dir, tc.environment, "")
				r, err = iac.Load(dir, opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if len(b.Rules) != 1 || !slices.Equal(b.Rules[0].AllowedOrigins, []string{"https://qa.example"}) || len(b.Unjudged) != 0 {
				t.Errorf("rules %+v, not judged %+v; want the origin https://qa.example", b.Rules, b.Unjudged)
			}
			for _, n := range b.Notes {
				if strings.Contains(n.Text, "terraform.workspace") {
					t.Errorf("note %q about the workspace given", n.Text)
				}
			}
		})
	}
}

// TestTerraformWorkspaceName: a workspace Terraform refuses is an error,
// ErrWorkspaceName, whatever the input; the verdicts are terraform
// console 1.11.4's with TF_WORKSPACE set to the name ("Invalid workspace
// name set using TF_WORKSPACE", or the name printed). A workspace given
// for input that is not a Terraform configuration is ErrNotTerraform.
func TestTerraformWorkspaceName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"prod", true}, {"a-b_c.d~", true}, {"a:b", true}, {"a@b", true}, {"a+b", true},
		{"a=b", true}, {"a$b", true}, {"a&b", true}, {".", true}, {"..", true},
		{"a/b", false}, {"a b", false}, {" x ", false}, {"a;b", false}, {"a,b", false},
		{"%41", false}, {"a?b", false}, {"é", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := iac.Options{Workspace: tc.name}.Check("main.tf", iac.Terraform)
			if got := err == nil; got != tc.ok || err != nil && !errors.Is(err, iac.ErrWorkspaceName) {
				t.Errorf("Check: %v; want accepted %v", err, tc.ok)
			}
		})
	}
	for _, name := range []string{"prod", "a/b"} {
		if err := (iac.Options{Workspace: name}).Check("cors.json", 0); !errors.Is(err, iac.ErrNotTerraform) {
			t.Errorf("the workspace %q for S3's JSON: %v; want ErrNotTerraform", name, err)
		}
	}
	_, err := iac.Parse("", []byte(`resource "aws_s3_bucket" "b" {}`), iac.Options{Workspace: "a/b"})
	if !errors.Is(err, iac.ErrWorkspaceName) {
		t.Errorf("Parse with the workspace a/b: %v; want ErrWorkspaceName", err)
	}
}

// TestTerraformWorkspaceCloudJSON: a cloud block or the remote backend in
// Terraform's JSON syntax (main.tf.json, as cdktf writes it) leaves
// terraform.workspace to terraform init, as in HCL; other backends and
// settings do not.
func TestTerraformWorkspaceCloudJSON(t *testing.T) {
	t.Parallel()
	const bucket = `"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "b",
  "cors_rule": {"allowed_methods": ["GET"], "allowed_origins": ["https://${terraform.workspace}.example"]}}}}`
	for _, tc := range []struct {
		name, terraform string
		want            []string
		why             string
	}{
		{"cloud", `{"cloud": {"organization": "acme", "workspaces": {"name": "web"}}}`, nil, "main.tf.json:1:16, which terraform init selects"},
		{"remote backend", `[{"required_version": ">= 1.5"}, {"backend": {"remote": {"workspaces": {"prefix": "web-"}}}}]`, nil, "main.tf.json:1:49, which terraform init selects"},
		{"s3 backend", `{"backend": {"s3": {"bucket": "state"}}, "required_providers": {"aws": {"source": "hashicorp/aws"}}}`, []string{"https://default.example"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"main.tf.json": `{"terraform": ` + tc.terraform + `,
` + bucket + `}
`})
			r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			got, all := originsOf(b), whyNotJudged(b, false)
			if !slices.Equal(got, tc.want) || !saysWhy(all, tc.why) {
				t.Errorf("origins %q, not judged %q; want %q and %q", got, all, tc.want, tc.why)
			}
		})
	}
}
