package iac_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformVarFiles: Options.VarFiles and Options.Vars give a root
// module's variables values as terraform plan -var-file and -var do, after
// terraform.tfvars and *.auto.tfvars and in the order given, a later value
// winning; -var's VALUE is the string itself for a variable of type string
// or without a type and an expression of literals otherwise. A value from
// a file is located in it; one given as NAME=VALUE, in no file, where the
// configuration refers to it.
func TestTerraformVarFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `variable "origins" {
  type    = list(string)
  default = ["https://default.example"]
}
variable "env" {}
variable "max_age" {
  type    = number
  default = 60
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    id              = var.env
    allowed_methods = ["GET"]
    allowed_origins = var.origins
    max_age_seconds = var.max_age
  }
}
`,
		"terraform.tfvars":    "env = \"dev\"\norigins = [\"https://dev.example\"]\n",
		"prod.tfvars":         "env = \"prod\"\norigins = [\"https://prod.example/\"]\n",
		"prod.tfvars.json":    `{"max_age": 600}`,
		"staging.auto.tfvars": "env = \"staging\"\n",
	})
	for _, tc := range []struct {
		name     string
		varFiles []string
		vars     []string
		want     string // the rule's id, origins and max age, or the error
	}{
		{"auto files only", nil, nil, `"staging" ["https://dev.example"] 60`},
		{"a var file", []string{"prod.tfvars"}, nil, `"prod" ["https://prod.example/"] 60`},
		{"two var files", []string{"prod.tfvars", "prod.tfvars.json"}, nil, `"prod" ["https://prod.example/"] 600`},
		{"vars after files", []string{"prod.tfvars"}, []string{"env=qa", `origins=["https://qa.example", "https://qa2.example"]`, "max_age=30"},
			`"qa" ["https://qa.example" "https://qa2.example"] 30`},
		{"a string is itself", nil, []string{`env=["x"]`}, `"[\"x\"]" ["https://dev.example"] 60`},
		{"the last value", nil, []string{"env=a", "env=b"}, `"b" ["https://dev.example"] 60`},
		{"a number is a literal", nil, []string{"max_age=1e3"}, `"staging" ["https://dev.example"] 1000`},
		{"not NAME=VALUE", nil, []string{"origins"}, `error: variable value "origins" is not NAME=VALUE, with NAME a variable's name`},
		{"not an expression", nil, []string{"origins=[https://x]"}, `error: the value of variable origins, "[https://x]": `},
		{"a reference", nil, []string{"origins=var.env"}, `error: the value of variable origins, "var.env": Variables not allowed`},
		{"a missing file", []string{"nothere.tfvars"}, nil, "error: variable definitions file nothere.tfvars: "},
		{"undeclared", nil, []string{"region=eu-west-1"}, "error: a value is given for variable region, which the root module does not declare"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var files []string
			for _, f := range tc.varFiles {
				files = append(files, filepath.Join(dir, f))
			}
			r, err := iac.Load(dir, iac.Options{VarFiles: files, Vars: tc.vars})
			var got string
			if err != nil {
				got = "error: " + strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			} else {
				rule := r.Buckets[0].Rules[0]
				got = fmt.Sprintf("%q %q", rule.ID, rule.AllowedOrigins)
				if rule.MaxAgeSeconds != nil {
					got += fmt.Sprint(" ", *rule.MaxAgeSeconds)
				}
				if len(r.Buckets[0].Unjudged) > 0 {
					got = "not judged: " + r.Buckets[0].Unjudged[0].Why
				}
			}
			if got != tc.want && !(strings.HasPrefix(tc.want, "error: ") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("got %s\nwant %s", got, tc.want)
			}
		})
	}
	// A finding about a value of a var file points at it there.
	r, err := iac.Load(dir, iac.Options{VarFiles: []string{filepath.Join(dir, "prod.tfvars")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := report(r), "prod.tfvars:2:12: origin-trailing-slash"; !strings.Contains(got, want) {
		t.Errorf("the report lacks %q:\n%s", want, got)
	}
}

// TestTerraformVarsAlone: a Terraform file read alone (standard input)
// takes variable values too.
func TestTerraformVarsAlone(t *testing.T) {
	t.Parallel()
	src := `variable "origin" {}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [var.origin]
  }
}
`
	r, err := iac.Parse("", []byte(src), iac.Options{Vars: []string{"origin=https://stdin.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Buckets[0].Rules[0].AllowedOrigins; len(got) != 1 || got[0] != "https://stdin.example" {
		t.Errorf("origins %q, want [https://stdin.example]", got)
	}
}

// TestVarsNotTerraform: variable values given for input that is not
// Terraform are an error (ErrNotTerraform), not ignored.
func TestVarsNotTerraform(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"t.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"})
	if _, err := iac.Load(filepath.Join(dir, "t.yaml"), iac.Options{Vars: []string{"a=b"}}); !errors.Is(err, iac.ErrNotTerraform) {
		t.Errorf("Load: %v, want ErrNotTerraform", err)
	}
	if _, err := iac.Parse("t.yaml", []byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"), iac.Options{VarFiles: []string{"x.tfvars"}}); !errors.Is(err, iac.ErrNotTerraform) {
		t.Errorf("Parse: %v, want ErrNotTerraform", err)
	}
}

// TestTerraformDynamicElementGivenAsVar: the note on a rule a dynamic
// block makes names the element it comes from: where it is written, or,
// for a value given as NAME=VALUE, which is written in no file, its index
// or key in the value, where the note said "for the element at " and
// nothing (a module of a public repository iterates var.cors_rules so).
func TestTerraformDynamicElementGivenAsVar(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `variable "cors_rules" {
  type    = any
  default = []
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.cors_rules
    content {
      allowed_methods = cors_rule.value.methods
      allowed_origins = cors_rule.value.origins
      max_age_seconds = 60
    }
  }
}
`,
		"file.tfvars": "cors_rules = [{ methods = [\"GET\"], origins = [\"https://a.example\"] }]\n",
	})
	const made = "rule made by the dynamic block at main.tf:7:3 for "
	for _, tc := range []struct {
		name     string
		varFiles []string
		vars     []string
		want     []string // the notes that name the element
	}{
		{"a list given as NAME=VALUE", nil, []string{`cors_rules=[{methods=["GET"], origins=["https://a.example"]}, {methods=["PUT"], origins=["https://b.example"]}]`},
			[]string{made + "element 1 of the value of cors_rules given as cors_rules=...", made + "element 2 of the value of cors_rules given as cors_rules=..."}},
		{"a map given as NAME=VALUE", nil, []string{`cors_rules={app={methods=["GET"], origins=["https://a.example"]}}`},
			[]string{made + `element "app" of the value of cors_rules given as cors_rules=...`}},
		{"a file", []string{"file.tfvars"}, nil, []string{made + "the element at file.tfvars:1:15"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var files []string
			for _, f := range tc.varFiles {
				files = append(files, filepath.Join(dir, f))
			}
			r, err := iac.Load(dir, iac.Options{VarFiles: files, Vars: tc.vars})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range r.Buckets[0].Notes {
				if strings.Contains(n.Text, "rule made by") {
					got = append(got, strings.ReplaceAll(n.Text, dir+string(filepath.Separator), ""))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("notes\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestTerraformUndeclaredVarFile: a value in a variable definitions file
// (terraform.tfvars, *.auto.tfvars, a -var-file, HCL or JSON) for a
// variable the root module does not declare is a note, located at its
// name, as terraform plan 1.11.4 warns "Value for undeclared variable" and
// goes on; given as -var, it is an error, as terraform plan's is.
func TestTerraformUndeclaredVarFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `variable "env" {
  default = "dev"
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    id              = var.env
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com"]
  }
}
`,
		"x.tfvars":        "env = \"prod\"\n\nregion = \"eu\"\n",
		"x.tfvars.json":   `{"env": "prod", "zone": 1}`,
		"declared.tfvars": "env = \"qa\"\n",
	})
	for _, tc := range []struct {
		name     string
		varFiles []string
		vars     []string
		notes    []string // where each note is, and the name it is about
		err      string
	}{
		{"hcl", []string{"x.tfvars"}, nil, []string{`x.tfvars:3:1 "region"`}, ""},
		{"json", []string{"x.tfvars.json"}, nil, []string{`x.tfvars.json:1:17 "zone"`}, ""},
		{"both", []string{"x.tfvars", "x.tfvars.json"}, nil, []string{`x.tfvars:3:1 "region"`, `x.tfvars.json:1:17 "zone"`}, ""},
		{"declared", []string{"declared.tfvars"}, nil, nil, ""},
		{"var", nil, []string{"region=eu"}, nil, "a value is given for variable region, which the root module does not declare"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var files []string
			for _, f := range tc.varFiles {
				files = append(files, filepath.Join(dir, f))
			}
			r, err := iac.Load(filepath.Join(dir, "main.tf"), iac.Options{VarFiles: files, Vars: tc.vars})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range r.Notes {
				if !strings.Contains(n.Text, "Value for undeclared variable") {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimPrefix(n.Text, "the root module does not declare a variable named "), " ")
				got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(n.Pos.File), n.Pos.Line, n.Pos.Column, name))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.notes) {
				t.Errorf("notes %q, want %q", got, tc.notes)
			}
		})
	}
}
