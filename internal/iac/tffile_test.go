package iac_test

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformFile: file(path) is the content of the file at path,
// relative to the root module's directory, where terraform plan runs,
// and path.module and path.root are the module's and the root's
// directories relative to it, as terraform console 1.11.4 gives them in
// such a directory (jsondecode(file("modules/site/origins.json")), "."
// for path.module and path.root at the root). A file that does not
// exist, a directory or a file that is not UTF-8 fails in Terraform's
// words, which try catches; a file outside the root's directory (here
// the module's too), by its path or through a symbolic link, is not
// read, and is not judged.
func TestTerraformFile(t *testing.T) {
	t.Parallel()
	outside := secretFile(t, "secret.txt", "https://secret.example")
	for _, tc := range []struct {
		name    string
		origins string // the expression of allowed_origins in the root module
		want    []string
		why     string   // of the value not judged, or of the error
		read    []string // Result.Files, relative to the directory
	}{
		{"json", `jsondecode(file("${path.module}/origins.json"))`, []string{"https://a.example", "https://b.example"}, "", []string{"main.tf", "origins.json"}},
		{"path.root", `jsondecode(file("${path.root}/origins.json"))`, []string{"https://a.example", "https://b.example"}, "", []string{"main.tf", "origins.json"}},
		{"lines", `split("\n", trimspace(file("lines.txt")))`, []string{"https://c.example", "https://d.example"}, "", []string{"main.tf", "lines.txt"}},
		{"module", `module.site.origins`, nil, "an output of a module", []string{"main.tf"}},
		{"missing, tried", `try(jsondecode(file("missing.json")), ["https://fb.example"])`, []string{"https://fb.example"}, "", []string{"main.tf"}},
		{"missing", `[file("missing.json")]`, nil, `Invalid value for "path" parameter: no file exists at "missing.json"; this function works only with files that are distributed`, []string{"main.tf"}},
		{"directory", `[file("modules")]`, nil, `Invalid value for "path" parameter: failed to read file: read modules: is a directory.`, []string{"main.tf"}},
		{"not UTF-8", `[file("latin1.txt")]`, nil, `Call to function "file" failed: contents of "latin1.txt" are not valid UTF-8`, []string{"main.tf"}},
		{"1 MiB", `[trimspace(file("mib.txt"))]`, []string{"https://mib.example"}, "", []string{"main.tf", "mib.txt"}},
		{"larger than 1 MiB", `[file("big.txt")]`, nil, "file reads big.txt, larger than the 1 MiB read here", []string{"main.tf"}},
		{"null", `[file(null)]`, nil, `Invalid value for "path" parameter: argument must not be null.`, []string{"main.tf"}},
		{"absolute, outside", `[file("` + outside + `")]`, nil, "outside the configuration's directory and the module's", []string{"main.tf"}},
		{"relative, outside", `[file("../OUTSIDE")]`, nil, "outside the configuration's directory", []string{"main.tf"}},
		{"relative, outside, missing", `[file("../nothing/there.txt")]`, nil, "outside the configuration's directory", []string{"main.tf"}},
		{"link leading outside", `[file("link.txt")]`, nil, "outside the configuration's directory", []string{"main.tf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			files := map[string]string{
				"main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ` + tc.origins + `
  }
}
`,
				"origins.json":         `["https://a.example", "https://b.example"]`,
				"lines.txt":            "https://c.example\nhttps://d.example\n",
				"latin1.txt":           "caf\xe9",
				"mib.txt":              "https://mib.example" + strings.Repeat(" ", 1<<20-len("https://mib.example")),
				"big.txt":              strings.Repeat("x", 1<<20+1),
				"modules/site/main.tf": `output "origins" { value = split(",", file("${path.module}/o.txt")) }`,
				"modules/site/o.txt":   "https://e.example",
			}
			if rel, err := filepath.Rel(dir, outside); err == nil {
				// ../../TestTerraformFile.../001/secret.txt, which exists.
				files["main.tf"] = strings.Replace(files["main.tf"], "../OUTSIDE", filepath.ToSlash(rel), 1)
			}
			writeFiles(t, dir, files)
			if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
				t.Fatal(err)
			}
			r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			var read []string
			for _, f := range r.Files {
				rel, err := filepath.Rel(dir, f)
				if err != nil {
					t.Fatal(err)
				}
				read = append(read, filepath.ToSlash(rel))
			}
			if !slices.Equal(read, tc.read) {
				// Only the files whose text file gave are among those
				// read: not one refused or left out.
				t.Errorf("files read %q, want %q", read, tc.read)
			}
			b := r.Buckets[0]
			if got := originsOf(b); !slices.Equal(got, tc.want) {
				t.Errorf("origins %q, want %q", got, tc.want)
			}
			all := whyNotJudged(b, true)
			if !saysWhy(all, tc.why) {
				t.Errorf("not judged and errors:\n%s\nwant %q", all, tc.why)
			}
			if strings.Contains(all, "secret.example") {
				t.Errorf("the file outside was read:\n%s", all)
			}
		})
	}
}

// TestTerraformPathModule: path.module in a module the root calls is its
// directory relative to the root's ("modules/site", or
// "../../modules/site" for the root of an environment in a repository
// that keeps its modules beside), as Terraform gives it, so that file
// reads the module's own files, inside the root's directory or not.
func TestTerraformPathModule(t *testing.T) {
	t.Parallel()
	t.Run("inside", func(t *testing.T) {
		t.Parallel()
		testPathModule(t, "", "./modules/site", "https://modules/site.example")
	})
	t.Run("beside", func(t *testing.T) {
		t.Parallel()
		testPathModule(t, "envs/prod", "../../modules/site", "https://../../modules/site.example")
	})
}

// testPathModule loads the root module in root (under a new directory
// holding modules/site) that calls modules/site as source, and checks
// the origins the module reads: its file's, and one made of path.module.
func testPathModule(t *testing.T, root, source, fromPath string) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		path.Join(root, "main.tf"): `module "site" { source = "` + source + `" }`,
		"modules/site/main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [file("${path.module}/origin.txt"), "https://${path.module}.example"]
  }
}
`,
		"modules/site/origin.txt": "https://site.example",
	})
	r, err := iac.Load(filepath.Join(dir, root), iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Buckets[0].Rules[0].AllowedOrigins, []string{"https://site.example", fromPath}; !slices.Equal(got, want) {
		t.Errorf("origins %q, want %q", got, want)
	}
}

// secretFile writes content to a file named name in a directory of its
// own, outside any the test loads, and returns its path: a file that
// judging a configuration must never read.
func secretFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTerraformJSONFileLocated: the values jsondecode gives of the whole
// text of a file that file read are located where they are written in
// that file, as the values of a .tfvars file are, where they were all
// located at the call (cors.json in aws s3api put-bucket-cors's form, as
// the AWS CLI's documentation writes it, each member read by a dynamic
// block). A string made of the file's text by another
// function (trimspace, replace) has no positions in the file: its values
// stay located at the string.
func TestTerraformJSONFileLocated(t *testing.T) {
	t.Parallel()
	const corsJSON = `{
  "CORSRules": [
    {
      "AllowedOrigins": ["https://a.example", "https://b.example/"],
      "AllowedMethods": ["GET"]
    }
  ]
}
`
	for _, tc := range []struct {
		name, text string // the expression of the file's text
		want       []string
	}{
		{"file", `file("${path.module}/cors.json")`, []string{"cors.json:4:26", "cors.json:4:47"}},
		{"through a local", `local.text`, []string{"cors.json:4:26", "cors.json:4:47"}},
		{"trimspace", `trimspace(file("cors.json"))`, []string{"main.tf:7:27", "main.tf:7:27"}},
		{"replace", `replace(file("cors.json"), "a.example", "c.example")`, []string{"main.tf:7:27", "main.tf:7:27"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"cors.json": corsJSON,
				"main.tf": `locals {
  text = file("cors.json")
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = jsondecode(` + tc.text + `).CORSRules
    content {
      allowed_methods = cors_rule.value.AllowedMethods
      allowed_origins = cors_rule.value.AllowedOrigins
      max_age_seconds = 60
    }
  }
}
`,
			})
			r, err := iac.Load(dir, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != 1 || len(r.Buckets[0].Origins) != 1 {
				t.Fatalf("buckets %+v, want one with one rule", r.Buckets)
			}
			var got []string
			for _, o := range r.Buckets[0].Origins[0].AllowedOrigins {
				got = append(got, strings.TrimPrefix(o.Pos.String(), dir+string(filepath.Separator)))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("origins at %q, want %q", got, tc.want)
			}
		})
	}
}
