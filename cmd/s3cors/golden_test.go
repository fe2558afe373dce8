package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cli")

// cliDir holds the inputs and golden files; the golden tests run in it, so
// that outputs name files as a user would type them.
const cliDir = "../../testdata/cli"

// goldenCase is one command line whose whole result (exit status, standard
// output and standard error) is kept in testdata/cli/NAME.golden.
type goldenCase struct {
	name  string
	args  []string
	stdin string // a file in testdata/cli to give as standard input
}

func goldenCases() []goldenCase {
	cases := []goldenCase{
		{"help", []string{"help"}, ""},

		{"validate-example", []string{"validate", "--example"}, ""},
		{"validate-example-json", []string{"validate", "--example", "--json"}, ""},
		{"validate-valid", []string{"validate", "valid.xml", "valid-console.json"}, ""},
		{"validate-valid-json", []string{"validate", "--json", "valid.xml", "valid-console.json"}, ""},
		{"validate-bad-method", []string{"validate", "bad-method.json"}, ""},
		{"validate-bad-method-json", []string{"validate", "bad-method.json", "--json"}, ""},
		{"validate-stdin", []string{"validate", "-"}, "bad-method.json"},
		{"validate-stdin-no-file", []string{"validate"}, "bad-method.json"},
		{"validate-directory", []string{"validate", "lint"}, ""},
		{"validate-unknown-flag", []string{"validate", "--bogus", "valid.xml"}, ""},
		{"validate-not-well-formed-json", []string{"validate", "--json", "not-well-formed.xml"}, ""},
		{"validate-cloudformation", []string{"validate", "cloudformation.json"}, ""},
		{"validate-cloudformation-all", []string{"validate", "cloudformation.json", "--all"}, ""},
		{"validate-many-problems-all", []string{"validate", "--all", "many-problems.xml"}, ""},
		{"validate-many-problems-all-json", []string{"validate", "--all", "--json", "many-problems.xml"}, ""},
		{"validate-not-well-formed", []string{"validate", "not-well-formed.xml"}, ""},
		{"validate-missing-file", []string{"validate", "valid.xml", "no-such-file.json", "bad-method.json"}, ""},
		{"validate-missing-file-json", []string{"validate", "--json", "valid.xml", "no-such-file.json"}, ""},
		{"validate-help", []string{"validate", "-h"}, ""},

		{"validate-iac-cloudformation", []string{"validate", "../iac/cloudformation/website.yaml"}, ""},
		{"validate-iac-all", []string{"validate", "--all", "../iac/terraform/app/main.tf", "../iac/cdk.out/MediaStack.template.json", "../iac/cloudformation/parent.yaml"}, ""},
		{"validate-iac-module", []string{"validate", "../iac/terraform/app"}, ""},
		{"validate-iac-json", []string{"validate", "--json", "../iac/cloudformation/website.yaml", "../iac/cloudformation/legacy.json"}, ""},
		{"validate-iac-plan-stdin", []string{"validate"}, "../iac/plan/plan.json"},
		{"validate-iac-raw-state", []string{"validate", "raw-state/terraform.tfstate"}, ""},
		{"validate-input-terraform-plan-raw-state", []string{"validate", "--input", "terraform-plan", "raw-state/terraform.tfstate"}, ""},
		{"validate-iac-opentofu", []string{"validate", "opentofu"}, ""},
		{"validate-iac-cdktf", []string{"validate", "cdktf"}, ""},
		{"lint-iac-tf-json", []string{"lint", "terraform-json/main.tf.json"}, ""},
		{"validate-iac-no-bucket", []string{"validate", "../iac/terraform/app/variables.tf"}, ""},
		{"validate-iac-parse-error", []string{"validate", "broken-template.yaml"}, ""},
		{"validate-iac-parse-error-json", []string{"validate", "--format", "json", "broken-template.yaml"}, ""},
		{"validate-iac-override-of-nothing", []string{"validate", "override-of-nothing/main.tf"}, ""},
		{"validate-iac-undeclared-condition", []string{"validate", "undeclared-condition.yaml"}, ""},
		{"validate-input-terraform", []string{"validate", "--input", "terraform", "valid.xml"}, ""},
		{"validate-input-console", []string{"validate", "--input", "console", "valid.xml"}, ""},
		{"validate-input-json-wrong-form", []string{"validate", "--input", "json", "valid-console.json"}, ""},
		{"validate-cli-input", []string{"validate", "--all", "cli-input.json", "cli-input-invalid.json"}, ""},
		{"validate-cli-input-json", []string{"validate", "--json", "cli-input.json"}, ""},
		{"validate-input-json-cli-input", []string{"validate", "--input", "json", "cli-input.json"}, ""},
		{"validate-input-cli-input-json-wrong-form", []string{"validate", "--input", "cli-input-json", "bad-method.json"}, ""},
		{"convert-cli-input-json", []string{"convert", "--to", "json", "cli-input.json"}, ""},
		{"validate-input-not-of-kind", []string{"validate", "--input", "cloudformation", "bad-method.json", "unrelated/package.json"}, ""},
		{"validate-input-directory", []string{"validate", "--input", "cloudformation", "../iac/terraform/app"}, ""},
		{"validate-unrelated", []string{"validate", "unrelated/package.json", "unrelated/ci.yml"}, ""},
		{"validate-skip-unrelated", []string{"validate", "--skip-unrelated", "unrelated/package.json", "unrelated/ci.yml", "unrelated/deploy.yml", "valid.xml", "../iac/terraform/app/variables.tf"}, ""},
		{"validate-sarif", []string{"validate", "--format", "sarif", "--all", "many-problems.xml", "../iac/cloudformation/website.yaml", "broken-template.yaml"}, ""},
		{"validate-github", []string{"validate", "--format", "github", "bad-method.json", "../iac/terraform/app"}, ""},
		{"validate-sarif-not-read", []string{"validate", "--format", "sarif", "missing.json", "valid.xml"}, ""},
		{"validate-github-not-read", []string{"validate", "--format", "github", "bad-method.json", "missing.json"}, ""},
		{"validate-format-json-conflict", []string{"validate", "--json", "--format", "sarif", "valid.xml"}, ""},

		{"lint-example", []string{"lint", "--example"}, ""},
		{"lint-example-json", []string{"lint", "--example", "--json"}, ""},
		{"lint-findings", []string{"lint", "findings.json"}, ""},
		{"lint-findings-json", []string{"lint", "findings.json", "--json"}, ""},
		{"lint-invalid", []string{"lint", "bad-method.json"}, ""},
		{"lint-invalid-json", []string{"lint", "--json", "bad-method.json"}, ""},
		{"lint-help", []string{"lint", "--help"}, ""},
		{"lint-iac", []string{"lint", "../iac/cloudformation/website.yaml", "../iac/terraform/app", "../iac/plan/plan.json", "../iac/cdk.out/MediaStack.template.json"}, ""},
		{"lint-iac-kubernetes", []string{"lint", "../iac/kubernetes/buckets.yaml"}, ""},
		{"validate-iac-kubernetes-json", []string{"validate", "--json", "../iac/kubernetes/buckets.yaml"}, ""},
		{"explain-iac-kubernetes", []string{"explain", "../iac/kubernetes/buckets.yaml", "--resource", "BucketCorsConfiguration/assets",
			"--origin", "https://www.example.com", "--method", "GET"}, ""},
		{"lint-iac-pulumi", []string{"lint", "../iac/pulumi/Pulumi.yaml"}, ""},
		{"validate-iac-pulumi-json", []string{"validate", "--json", "../iac/pulumi/Pulumi.yaml"}, ""},
		{"lint-iac-pulumi-stack", []string{"lint", "--stack", "prod", "../iac/pulumi/Pulumi.yaml"}, ""},
		{"lint-iac-pulumi-stack-missing", []string{"lint", "--stack", "dev", "../iac/pulumi/Pulumi.yaml"}, ""},
		{"lint-stack-not-pulumi", []string{"lint", "--stack", "prod", "../iac/cloudformation/website.yaml"}, ""},
		{"lint-iac-installed-module", []string{"lint", "../../internal/iac/testdata/tfmodules"}, ""},
		{"lint-iac-json", []string{"lint", "--json", "../iac/terraform/app/main.tf"}, ""},
		{"lint-sarif", []string{"lint", "--format", "sarif", "findings.json", "../iac/terraform/app/main.tf"}, ""},
		{"lint-github", []string{"lint", "--format", "github", "findings.json", "../iac/cloudformation/website.yaml", "../iac/terraform/app"}, ""},

		{"explain-preflight-allowed", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--request-headers", "Content-Type, X-Amz-Date", "--path", "/bucket/photo.jpg"}, ""},
		{"explain-preflight-allowed-json", []string{"explain", "--example", "--json", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--request-headers", "Content-Type, X-Amz-Date", "--path", "/bucket/photo.jpg"}, ""},
		{"explain-preflight-wildcard", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://news.example.org",
			"--request-method", "GET"}, ""},
		{"explain-preflight-refused", []string{"explain", "--config", "valid.xml", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--request-headers", "content-type,x-custom", "--path", "/bucket/key"}, ""},
		{"explain-preflight-refused-json", []string{"explain", "--config", "valid.xml", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--request-headers", "content-type,x-custom", "--path", "/bucket/key", "--json"}, ""},
		{"explain-preflight-refused-bucket", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://evil.example",
			"--request-method", "DELETE"}, ""},
		{"explain-no-origin", []string{"explain", "--example", "--method", "OPTIONS", "--request-method", "GET"}, ""},
		{"explain-no-bucket", []string{"explain", "--no-bucket", "--method", "OPTIONS", "--origin", "https://app.example.com"}, ""},
		{"explain-no-config", []string{"explain", "--no-config", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--path", "/bucket/key"}, ""},
		{"explain-no-method", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com"}, ""},
		{"explain-invalid-method", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "PATCH"}, ""},
		{"explain-not-an-origin", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com\x7f",
			"--request-method", "GET"}, ""},
		{"explain-actual-allowed", []string{"explain", "--example", "--method", "GET", "--origin", "https://app.example.com", "--path", "/bucket/key"}, ""},
		{"explain-actual-allowed-json", []string{"explain", "--example", "--method", "GET", "--origin", "https://app.example.com", "--json"}, ""},
		{"explain-origin-no-scheme", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "app.example.com", "--request-method", "GET"}, ""},
		{"explain-origin-no-scheme-json", []string{"explain", "--example", "--method", "GET", "--origin", "app.example.com", "--json"}, ""},
		{"explain-actual-acrm", []string{"explain", "--example", "--method", "GET", "--origin", "https://evil.example", "--request-method", "PUT"}, ""},
		{"explain-actual-bad-acrm", []string{"explain", "--example", "--method", "GET", "--origin", "https://app.example.com",
			"--request-method", "PATCH", "--request-headers", "x-custom", "--json"}, ""},
		{"explain-actual-no-origin", []string{"explain", "--example", "--method", "PUT", "--path", "/bucket/key"}, ""},
		{"explain-actual-no-bucket", []string{"explain", "--no-bucket", "--method", "GET", "--origin", "https://app.example.com", "--path", "/photos/cat.jpg"}, ""},
		{"explain-actual-no-bucket-head", []string{"explain", "--no-bucket", "--method", "HEAD", "--path", "/photos/cat.jpg", "--json"}, ""},
		{"explain-actual-create-bucket", []string{"explain", "--no-bucket", "--method", "PUT", "--origin", "https://app.example.com", "--path", "/photos"}, ""},
		{"explain-actual-unknown-method", []string{"explain", "--example", "--method", "FOO", "--origin", "https://app.example.com", "--path", "/bucket/key"}, ""},
		{"explain-actual-subresource-405", []string{"explain", "--example", "--method", "GET", "--origin", "https://app.example.com", "--path", "/bucket?delete"}, ""},
		{"explain-actual-unknown-method-acrm", []string{"explain", "--example", "--method", "PATCH", "--origin", "https://app.example.com",
			"--request-method", "PUT", "--json"}, ""},
		{"explain-stdin", []string{"explain", "--config", "-", "--method", "OPTIONS", "--origin", "https://admin.example.com",
			"--request-method", "GET"}, "valid-console.json"},
		{"explain-file-argument", []string{"explain", "valid.xml", "--method", "OPTIONS", "--origin", "https://admin.example.com",
			"--request-method", "PUT", "--request-headers", "content-type"}, ""},
		{"explain-iac", []string{"explain", "../iac/terraform/app", "--resource", "aws_s3_bucket.legacy", "--method", "OPTIONS",
			"--origin", "https://anyone.example", "--request-method", "PUT"}, ""},
		{"explain-iac-defaults", []string{"explain", "iac-notes/defaults.yaml", "--method", "OPTIONS", "--origin", "http://localhost:3000",
			"--request-method", "PUT", "--path", "/uploads/photo.jpg"}, ""},
		{"explain-iac-set-order", []string{"explain", "iac-notes/set-order", "--method", "GET", "--origin", "https://app.example.com"}, ""},
		{"explain-iac-set-order-json", []string{"explain", "--json", "iac-notes/set-order", "--method", "OPTIONS", "--origin", "https://app.example.com",
			"--request-method", "GET"}, ""},
		{"explain-invalid-config", []string{"explain", "--config", "bad-method.json", "--method", "OPTIONS", "--origin", "https://a.example"}, ""},
		{"explain-help", []string{"explain", "-h"}, ""},

		{"convert-example-xml", []string{"convert", "--to", "xml", "--example"}, ""},
		{"convert-xml-json", []string{"convert", "valid.xml", "--to", "json"}, ""},
		{"convert-xml-console", []string{"convert", "--to=console", "valid.xml"}, ""},
		{"convert-console-xml", []string{"convert", "-to", "xml", "valid-console.json"}, ""},
		{"convert-stdin-json", []string{"convert", "--to", "xml", "--json", "-"}, "valid-console.json"},
		{"convert-invalid", []string{"convert", "--to", "xml", "cloudformation.json"}, ""},
		{"convert-invalid-json", []string{"convert", "--to", "xml", "--json", "cloudformation.json"}, ""},
		{"convert-help", []string{"convert", "-help"}, ""},
		{"convert-iac-xml", []string{"convert", "--to", "xml", "--resource", "WebsiteBucket", "../iac/cloudformation/website.yaml"}, ""},
		{"convert-iac-json", []string{"convert", "--to", "json", "--json", "--resource", "per_env[\"prod\"]", "../iac/terraform/app"}, ""},
		{"convert-iac-several", []string{"convert", "--to", "xml", "../iac/cloudformation/website.yaml"}, ""},
		{"convert-iac-unknown-resource", []string{"convert", "--to", "xml", "--resource", "Nope", "../iac/cloudformation/website.yaml"}, ""},
		{"convert-iac-invalid", []string{"convert", "--to", "xml", "--resource", "UploadBucket", "../iac/cloudformation/website.yaml"}, ""},
		{"convert-iac-not-known", []string{"convert", "--to", "xml", "--resource", "this[\"us\"]", "../iac/plan/plan.json"}, ""},
		{"convert-iac-plan", []string{"convert", "--to", "console", "--resource", "aws_s3_bucket_cors_configuration.uploads", "../iac/plan/plan.json"}, ""},
		{"convert-to-cloudformation", []string{"convert", "--to", "cloudformation", "valid.xml"}, ""},
		{"convert-to-cloudformation-json", []string{"convert", "--to", "cloudformation-json", "valid.xml"}, ""},
		{"convert-to-terraform", []string{"convert", "--to", "terraform", "valid.xml"}, ""},
		{"convert-iac-to-terraform", []string{"convert", "--to", "terraform", "--resource", "Storage/DataBucket", "../iac/cloudformation/parent.yaml"}, ""},
		{"convert-iac-to-cloudformation", []string{"convert", "--to", "cloudformation", "--resource", "aws_s3_bucket.legacy", "../iac/terraform/app/main.tf"}, ""},
		{"convert-iac-defaults", []string{"convert", "--to", "terraform", "iac-notes/defaults.yaml"}, ""},
		{"convert-iac-defaults-json", []string{"convert", "--to", "cloudformation", "--json", "iac-notes/variable"}, ""},
		{"convert-resource-s3-form", []string{"convert", "--to", "xml", "--resource", "X", "valid.xml"}, ""},

		{"serve-help", []string{"serve", "-h"}, ""},
		{"proxy-help", []string{"proxy", "-h"}, ""},
		{"version-help", []string{"help", "version"}, ""},
		{"completion-help", []string{"completion", "-h"}, ""},
		{"completion-bash", []string{"completion", "bash"}, ""},
		{"completion-zsh", []string{"completion", "zsh"}, ""},
		{"completion-fish", []string{"completion", "fish"}, ""},
		{"completion-unknown-shell", []string{"completion", "powershell"}, ""},
	}
	for _, info := range lint.Catalog() {
		name := info.ID + ".json"
		if _, err := os.Stat(filepath.Join(cliDir, "lint", name)); err != nil {
			name = info.ID + ".xml"
		}
		cases = append(cases, goldenCase{"lint-" + info.ID, []string{"lint", "lint/" + name}, ""})
	}
	return cases
}

// runCase runs a command line the way a shell would, in the current
// directory, and returns its golden text.
func runCase(t *testing.T, tc goldenCase) (text string, code int, stdout []byte) {
	t.Helper()
	stdin := []byte{}
	if tc.stdin != "" {
		var err error
		if stdin, err = os.ReadFile(tc.stdin); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	code = run(tc.args, bytes.NewReader(stdin), &out, &errOut)
	var b strings.Builder
	b.WriteString("$ s3cors")
	for _, a := range tc.args {
		b.WriteString(" " + shellQuote(a))
	}
	if tc.stdin != "" {
		b.WriteString(" < " + tc.stdin)
	}
	b.WriteString("\nexit status " + strconv.Itoa(code) + "\n")
	if out.Len() > 0 {
		b.WriteString("-- stdout --\n" + out.String())
	}
	if errOut.Len() > 0 {
		b.WriteString("-- stderr --\n" + errOut.String())
	}
	return b.String(), code, out.Bytes()
}

// shellQuote quotes s for a POSIX shell, or for bash as $'...' when it
// holds characters that are not printable.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$*?<>|&;,()[]{}!#~`") && strconv.CanBackquote(s) && !strings.ContainsRune(s, 0x7f) {
		return s
	}
	for _, c := range []byte(s) {
		if c < ' ' || c >= 0x7f {
			q := strconv.QuoteToASCII(s)
			return "$'" + strings.ReplaceAll(q[1:len(q)-1], "'", `\'`) + "'"
		}
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestGolden runs every command line of goldenCases and compares its exit
// status, standard output and standard error with testdata/cli/NAME.golden.
// Run "go test ./cmd/s3cors -update" to rewrite the golden files.
func TestGolden(t *testing.T) {
	t.Chdir(cliDir)
	seen := map[string]bool{}
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			if seen[tc.name] {
				t.Fatalf("two cases named %s", tc.name)
			}
			seen[tc.name] = true
			got, code, stdout := runCase(t, tc)
			if slices.Contains(tc.args, "--json") && code != exitUsage && !json.Valid(stdout) {
				t.Errorf("--json output is not JSON:\n%s", stdout)
			}
			path := tc.name + ".golden"
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
	// Every golden file belongs to a case.
	files, _ := filepath.Glob("*.golden")
	for _, f := range files {
		if !seen[strings.TrimSuffix(f, ".golden")] {
			if *update {
				os.Remove(f)
				continue
			}
			t.Errorf("%s belongs to no case", f)
		}
	}
}
