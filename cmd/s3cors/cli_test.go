package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// runIn runs a command line with stdin and returns the exit status and
// both outputs.
func runIn(args []string, stdin string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestExitCodes checks the exit status of each verb: 0 all is well, 1
// invalid configuration or findings (or, for explain, no CORS headers), 2
// usage or I/O error.
func TestExitCodes(t *testing.T) {
	t.Chdir(cliDir)
	const valid = `{"CORSRules":[{"AllowedOrigins":["https://a.example"],"AllowedMethods":["GET"]}]}`
	tests := []struct {
		args   []string
		stdin  string
		code   int
		stderr string // a substring of standard error, when set
	}{
		// validate
		{[]string{"validate", "--example"}, "", exitOK, ""},
		{[]string{"validate", "valid.xml", "valid-console.json"}, "", exitOK, ""},
		{[]string{"validate", "-"}, valid, exitOK, ""},
		{[]string{"validate", "valid.xml", "bad-method.json"}, "", exitInvalid, ""},
		{[]string{"validate", "-"}, "", exitInvalid, ""},
		{[]string{"validate", "-"}, "not a configuration", exitInvalid, ""},
		{[]string{"validate", "-"}, strings.Repeat(" ", corsrule.MaxDocumentSize+1), exitInvalid, ""},
		{[]string{"validate", "cloudformation.json", "--all"}, "", exitInvalid, ""},
		{[]string{"validate", "bad-method.json", "missing.json"}, "", exitUsage, "missing.json"},
		{[]string{"validate", "lint"}, "", exitUsage, "lint"}, // a directory
		// Terraform's JSON syntax is read as Terraform reads it, not
		// judged as AWS CLI JSON (TestTerraformJSONFiles).
		{[]string{"validate", "terraform-json/main.tf.json"}, "", exitInvalid, ""},
		{[]string{"validate", "--skip-unrelated", "terraform-json/main.tf.json", "valid.xml"}, "", exitInvalid, ""},
		{[]string{"lint", "terraform-json"}, "", exitInvalid, ""},
		{[]string{"validate", "--skip-unrelated", "terraform-json", "valid.xml"}, "", exitInvalid, ""},
		{[]string{"lint", "--skip-unrelated", "cdktf"}, "", exitInvalid, ""},
		// Values for variables or parameters refuse a file of S3's
		// forms, not one --skip-unrelated passes over.
		{[]string{"validate", "--skip-unrelated", "--var-file", "../iac/terraform/envs/prod.tfvars", "../iac/terraform/envs",
			"unrelated/package.json", "unrelated/ci.yml"}, "", exitOK, ""},
		{[]string{"validate", "--skip-unrelated", "--parameter", "Domain=example.org", "../iac/cloudformation/parent.yaml", "unrelated/deploy.yml"}, "", exitInvalid, ""},
		{[]string{"validate", "--skip-unrelated", "--var-file", "../iac/terraform/envs/prod.tfvars", "../iac/terraform/envs", "valid.xml"},
			"", exitUsage, "valid.xml: is not a Terraform configuration"},
		{[]string{"validate"}, "", exitUsage, "no FILE given"},
		{[]string{"validate", "--example", "valid.xml"}, "", exitUsage, "--example replaces FILE"},
		{[]string{"validate", "-", "-"}, valid, exitUsage, "only once"},
		{[]string{"validate", ""}, "", exitUsage, "s3cors validate: a FILE named is empty (an unset variable?)"},
		{[]string{"lint", "valid.xml", ""}, "", exitUsage, "s3cors lint: a FILE named is empty"},
		{[]string{"convert", "--to", "json", ""}, "", exitUsage, "s3cors convert: a FILE named is empty"},
		{[]string{"validate", "--bogus", "valid.xml"}, "", exitUsage, "unknown flag --bogus"},
		{[]string{"validate", "-h"}, "", exitOK, ""},

		// lint
		{[]string{"lint", "--example"}, "", exitOK, ""},
		{[]string{"lint", "findings.json"}, "", exitInvalid, ""},
		{[]string{"lint", "bad-method.json"}, "", exitInvalid, ""},
		{[]string{"lint", "--example", "--json"}, "", exitOK, ""},
		{[]string{"lint", "findings.json", "--json"}, "", exitInvalid, ""},
		{[]string{"lint", "findings.json", "missing.json"}, "", exitUsage, "missing.json"},
		{[]string{"lint"}, "", exitUsage, "no FILE given"},

		// explain
		{[]string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://a.example", "--request-method", "GET", "--path", "/bucket#frag"}, "", exitUsage, "holds a fragment"},
		{[]string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "PUT"}, "", exitOK, ""},
		{[]string{"explain", "--example", "--method", "GET", "--origin", "https://x.example"}, "", exitOK, ""},
		{[]string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://x.example", "--request-method", "PUT"}, "", exitInvalid, ""},
		{[]string{"explain", "--example", "--method", "PUT", "--origin", "https://x.example"}, "", exitInvalid, ""},
		{[]string{"explain", "--example", "--method", "OPTIONS"}, "", exitInvalid, ""},
		{[]string{"explain", "--no-config", "--method", "OPTIONS", "--origin", "https://x.example"}, "", exitInvalid, ""},
		{[]string{"explain", "--no-bucket", "--method", "GET", "--origin", "https://x.example"}, "", exitInvalid, ""},
		{[]string{"explain", "--config", "-", "--method", "GET", "--origin", "https://a.example"}, valid, exitOK, ""},
		{[]string{"explain", "--config", "bad-method.json", "--method", "GET", "--origin", "https://a.example"}, "", exitInvalid, ""},
		{[]string{"explain", "--config", "missing.json", "--method", "GET"}, "", exitUsage, "missing.json"},
		{[]string{"explain", "--example"}, "", exitUsage, "--method is required"},
		{[]string{"explain", "--example", "--method", "options"}, "", exitUsage, "write --method OPTIONS"},
		{[]string{"explain", "--example", "--method", "G E T"}, "", exitUsage, "not an HTTP method"},
		{[]string{"explain", "--method", "GET"}, "", exitUsage, "standard input is empty"},
		{[]string{"explain", "valid.xml", "--method", "GET", "--origin", "https://app.example.com"}, "", exitOK, ""},
		{[]string{"explain", "--example", "--no-config", "--method", "GET"}, "", exitUsage, "give one configuration"},
		{[]string{"explain", "--config", "valid.xml", "--no-bucket", "--method", "GET"}, "", exitUsage, "give one configuration"},
		{[]string{"explain", "--config", "valid.xml", "valid.xml", "--method", "GET"}, "", exitUsage, "give one configuration"},
		{[]string{"explain", "--config=", "--method", "GET"}, "", exitUsage, "--config needs a FILE"},
		{[]string{"explain", "--example", "--method", "GET", "--path", "bucket/key"}, "", exitUsage, "does not name a bucket"},
		{[]string{"explain", "--example", "--method", "GET", "--path", "/"}, "", exitUsage, "does not name a bucket"},
		// An empty first segment is an empty bucket name, which s3cors
		// serve refuses (InvalidBucketName) and S3 has no bucket for:
		// explained, it was a bucket "" that does not exist.
		{[]string{"explain", "--no-bucket", "--method", "GET", "--origin", "https://a.example", "--path", "//bucket"}, "", exitUsage, `--path "//bucket" does not name a bucket`},
		{[]string{"explain", "--example", "--method", "GET", "--path", "//bucket/key"}, "", exitUsage, `--path "//bucket/key" does not name a bucket`},
		{[]string{"explain", "--example", "--method", "GET", "--path", "//?x"}, "", exitUsage, "does not name a bucket"},
		{[]string{"explain", "--example", "--method", "GET", "valid.xml"}, "", exitUsage, "give one configuration"},
		{[]string{"explain", "--method"}, "", exitUsage, "--method needs a value"},
		// --resource picks a bucket of the configuration FILE: with none
		// to read, or given empty (a variable a script left unset), it
		// would be dropped without a word.
		{[]string{"explain", "--no-config", "--resource", "UploadBucket", "--method", "GET", "--origin", "https://a.example"}, "", exitUsage, "--resource names a bucket of an infrastructure FILE, and --no-config reads none"},
		{[]string{"explain", "--no-bucket", "--resource", "UploadBucket", "--method", "GET"}, "", exitUsage, "--resource names a bucket of an infrastructure FILE, and --no-bucket reads none"},
		{[]string{"explain", "--example", "--resource=", "--method", "GET", "--origin", "https://a.example"}, "", exitUsage, "--resource is empty: give a value, or leave the flag out"},

		// convert
		{[]string{"convert", "--to", "xml", "--example"}, "", exitOK, ""},
		{[]string{"convert", "--to", "JSON", "valid.xml"}, "", exitOK, ""},
		{[]string{"convert", "--to", "console", "-"}, valid, exitOK, ""},
		{[]string{"convert", "--to", "xml", "bad-method.json"}, "", exitInvalid, ""},
		{[]string{"convert", "--to", "xml", "missing.json"}, "", exitUsage, "missing.json"},
		{[]string{"convert", "valid.xml"}, "", exitUsage, "--to is required"},
		{[]string{"convert", "--to", "yaml", "valid.xml"}, "", exitUsage, `--to "yaml"`},
		{[]string{"convert", "--to", "xml", "valid.xml", "valid-console.json"}, "", exitUsage, "one FILE"},
		{[]string{"convert", "--to", "xml", "--resource", "", "valid.xml"}, "", exitUsage, "--resource is empty: give a value, or leave the flag out"},
		{[]string{"convert", "--to", "xml", "--resource=", "../iac/terraform/app/main.tf"}, "", exitUsage, "--resource is empty: give a value, or leave the flag out"},
		{[]string{"convert", "--to", "xml"}, "", exitUsage, "no FILE given"},
		{[]string{"convert", "--to", "xml", "--example", "--input", "xml"}, "", exitUsage, "the --example is AWS CLI JSON"},
		{[]string{"validate", "--example", "--input", "terraform"}, "", exitUsage, "the --example is AWS CLI JSON"},
		// The other JSON form is refused as such, valid or not.
		{[]string{"validate", "--input", "console", "cloudformation.json"}, "", exitUsage, "holds AWS CLI JSON, not S3 console JSON (--input console)"},
		{[]string{"lint", "--input", "json", "-"}, "[{}]", exitUsage, "holds S3 console JSON, not AWS CLI JSON (--input json)"},
		// But an object that is no JSON, which the member telling the
		// AWS CLI's two object forms apart may come after the syntax
		// error in, gets the syntax error.
		{[]string{"validate", "--input", "cli-input-json", "-"}, `{"Bucket": "b",, "CORSConfiguration": {"CORSRules": []}}`, exitInvalid, ""},
		{[]string{"validate", "--input", "json", "-"}, `{"Bucket": "b",, "CORSConfiguration": {"CORSRules": []}}`, exitInvalid, ""},
		// A template or plan named with --input is one: a file of
		// another kind would pass as one that declares no bucket.
		{[]string{"validate", "--input", "cloudformation", "bad-method.json"}, "", exitUsage, "bad-method.json: holds AWS CLI JSON, not a CloudFormation template (--input cloudformation)"},
		{[]string{"validate", "--input", "terraform-plan", "bad-method.json"}, "", exitUsage, "bad-method.json: holds AWS CLI JSON, not a Terraform plan (--input terraform-plan)"},
		{[]string{"validate", "--input", "terraform", "bad-method.json"}, "", exitUsage, "bad-method.json: holds AWS CLI JSON, not a Terraform configuration (--input terraform)"},
		{[]string{"lint", "--input", "terraform", "../iac/plan/plan.json"}, "", exitUsage, "../iac/plan/plan.json: holds a Terraform plan, not a Terraform configuration (--input terraform)"},
		{[]string{"validate", "--input", "terraform", "unrelated/package.json"}, "", exitUsage, `unrelated/package.json: is not a Terraform configuration (--input terraform): its top-level property "name" is no block type of Terraform's JSON syntax`},
		{[]string{"validate", "--input", "terraform", "valid.xml"}, "", exitUsage, "valid.xml: holds S3 XML, not a Terraform configuration (--input terraform)"},
		{[]string{"lint", "--input", "terraform", "../iac/cloudformation/anchors.yaml"}, "", exitUsage, "../iac/cloudformation/anchors.yaml: holds a CloudFormation template, not a Terraform configuration (--input terraform)"},
		{[]string{"lint", "--input", "cloudformation", "unrelated/package.json"}, "", exitUsage, "unrelated/package.json: is not a CloudFormation template (--input cloudformation): it has no Resources member"},
		{[]string{"validate", "--input", "cloudformation", "unrelated/deploy.yml"}, "", exitUsage, "unrelated/deploy.yml: is not a CloudFormation template (--input cloudformation): it has no Resources member"},
		{[]string{"validate", "--input", "terraform-plan", "unrelated/deploy.yml"}, "", exitUsage, "unrelated/deploy.yml: is not a Terraform plan (--input terraform-plan): it is not a JSON object"},
		{[]string{"validate", "--input", "cloudformation", "../iac/plan/plan.json"}, "", exitUsage, "../iac/plan/plan.json: holds a Terraform plan, not a CloudFormation template (--input cloudformation)"},
		{[]string{"validate", "--input", "terraform-plan", "../iac/cloudformation/legacy.json"}, "", exitUsage, "../iac/cloudformation/legacy.json: holds a CloudFormation template, not a Terraform plan (--input terraform-plan)"},
		{[]string{"validate", "--input", "cloudformation", "-"}, valid, exitUsage, "<stdin>: holds AWS CLI JSON, not a CloudFormation template (--input cloudformation)"},
		{[]string{"convert", "--to", "xml", "--input", "terraform-plan", "bad-method.json"}, "", exitUsage, "bad-method.json: holds AWS CLI JSON, not a Terraform plan (--input terraform-plan)"},
		{[]string{"lint", "--input", "pulumi", "../iac/cloudformation/anchors.yaml"}, "", exitUsage, "../iac/cloudformation/anchors.yaml: holds a CloudFormation template, not a Pulumi YAML program (--input pulumi)"},
		{[]string{"validate", "--input", "pulumi", "unrelated/deploy.yml"}, "", exitUsage, "unrelated/deploy.yml: is not a Pulumi YAML program (--input pulumi): it has no resources member"},
		{[]string{"validate", "--input", "pulumi", "-"}, "name: p\nruntime: go\nresources: {}\n", exitUsage, `<stdin>: is not a Pulumi YAML program (--input pulumi): its runtime is "go", not yaml`},
		// YAML that is no template is none of the forms s3cors reads,
		// rather than XML S3 would refuse (MalformedXML); in UTF-16,
		// it is told how to save it (see TestSkipUnrelated).
		{[]string{"validate", "unrelated/deploy.yml"}, "", exitUsage, "unrelated/deploy.yml: is YAML that is neither a CloudFormation template (it has no top-level Resources), a Serverless Framework service (service and provider), Kubernetes manifests (apiVersion and kind) nor a Pulumi YAML program (runtime and resources): s3cors reads YAML only as those, and S3's forms are XML and JSON"},
		{[]string{"lint", "unrelated/ci.yml"}, "", exitUsage, "unrelated/ci.yml: is YAML that is neither a CloudFormation template"},
		{[]string{"validate", "--input", "xml", "unrelated/ci.yml"}, "", exitInvalid, ""},
		// A template's source (a Helm chart's, whose first line is an
		// action) is no JSON S3 refuses, but what renders one; named
		// JSON with --input, it is S3's verdict again.
		{[]string{"validate", "-"}, "{{- if .Values.cors }}\n{\"CORSRules\": [{\"AllowedOrigins\": [\"*\"], \"AllowedMethods\": [\"GET\"]}]}\n{{- end }}\n", exitUsage, "<stdin>: starts with {{, an action of a template (a Helm chart's, Go's text/template, Jinja's): it is a configuration only once rendered"},
		{[]string{"lint", "-"}, "\uFEFF \n{{/* the bucket's CORS */}}\n[]\n", exitUsage, "<stdin>: starts with {{, an action of a template"},
		{[]string{"validate", "--input", "json", "-"}, "{{- if .Values.cors }}\n{}\n{{- end }}\n", exitInvalid, ""},
		// One of that kind is read, whether it declares a bucket or not.
		{[]string{"validate", "--input", "cloudformation", "../iac/cloudformation/website.yaml"}, "", exitInvalid, ""},
		{[]string{"validate", "--input", "terraform-plan", "-"}, `{"format_version": "1.0"}`, exitOK, ""},
		{[]string{"lint", "--input", "yaml", "valid.xml"}, "", exitUsage, `--input "yaml": want xml, json, console, cli-input-json, cloudformation, terraform, terraform-plan, serverless, kubernetes or pulumi`},
		{[]string{"validate", "--format", "xml", "valid.xml"}, "", exitUsage, `--format "xml": want text, json, sarif or github`},

		// the command itself
		{nil, "", exitUsage, "Usage:"},
		{[]string{"help"}, "", exitOK, ""},
		{[]string{"help", "lint"}, "", exitOK, ""},
		{[]string{"help", "nonesuch"}, "", exitUsage, `unknown verb "nonesuch"`},
		{[]string{"nonesuch"}, "", exitUsage, `unknown verb "nonesuch"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runIn(tc.args, tc.stdin)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not hold %q", stderr, tc.stderr)
			}
			// convert's standard output is the document: its verdict
			// goes to standard error (TestConvertRefusalOnStderr).
			if code == exitInvalid && stderr != "" && tc.args[0] != "convert" {
				t.Errorf("a verdict belongs on standard output; stderr: %q", stderr)
			}
		})
	}
}

// TestFlagErrors checks that a flag mistake is reported as the user
// typed it, in plain words, with the way to the verb's usage.
func TestFlagErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--bogus", "x.xml"}, "s3cors validate: unknown flag --bogus\n"},
		{[]string{"validate", "x.xml", "-bogus"}, "s3cors validate: unknown flag -bogus\n"},
		{[]string{"lint", "--bogus=1", "x.xml"}, "s3cors lint: unknown flag --bogus\n"},
		// A flag the user nearly typed is offered, spelled as help lists it.
		{[]string{"lint", "--fromat", "json", "x.xml"}, "s3cors lint: unknown flag --fromat; did you mean --format?\n"},
		{[]string{"validate", "-JSON", "x.xml"}, "s3cors validate: unknown flag -JSON; did you mean --json?\n"},
		{[]string{"explain", "--example", "--header", "a"}, "s3cors explain: unknown flag --header; did you mean --request-headers?\n"},
		{[]string{"serve", "--adr", ":0"}, "s3cors serve: unknown flag --adr; did you mean --addr?\n"},
		{[]string{"explain", "--example", "--method"}, "s3cors explain: --method needs a value\n"},
		{[]string{"validate", "--all=maybe", "x.xml"}, "s3cors validate: --all=maybe: write true or false, or leave the value out\n"},
		{[]string{"validate", "---all", "x.xml"}, "s3cors validate: \"---all\" is not a flag: write --name or --name=value\n"},
		{[]string{"validate", "--=x", "x.xml"}, "s3cors validate: \"--=x\" is not a flag: write --name or --name=value\n"},
		// A flag given without its value is not handed the next flag as
		// one: "--json" would be dropped without a word, the Origin
		// "--json" explained.
		{[]string{"explain", "x.xml", "--method", "GET", "--origin", "--json"}, "s3cors explain: --origin needs a value, and --json after it is a flag: give the value first, or write --origin=--json if that is the value\n"},
		{[]string{"explain", "--example", "--method", "-origin=https://a.example"}, "s3cors explain: --method needs a value, and -origin=https://a.example after it is a flag: give the value first, or write --method=-origin=https://a.example if that is the value\n"},
		{[]string{"validate", "--input", "-h", "x.xml"}, "s3cors validate: --input needs a value, and -h after it is a flag: give the value first, or write --input=-h if that is the value\n"},
		{[]string{"serve", "--allowed-hosts", "--no-inspector"}, "s3cors serve: --allowed-hosts needs a value, and --no-inspector after it is a flag: give the value first, or write --allowed-hosts=--no-inspector if that is the value\n"},
		{[]string{"proxy", "--upstream", "--addr", ":0"}, "s3cors proxy: --upstream needs a value, and --addr after it is a flag: give the value first, or write --upstream=--addr if that is the value\n"},
	} {
		code, stdout, stderr := runIn(tc.args, "")
		want := tc.want + "Run \"s3cors " + tc.args[0] + " -h\" for its usage.\n"
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, want)
		}
	}
	// Values that start with "-" are values, and "--" ends the flags.
	// A value that starts with "-" and names no flag is a value, and so
	// is one that does, written after "=".
	for _, args := range [][]string{
		{"explain", "--example", "--method", "GET", "--origin", "-x"},
		{"explain", "--example", "--method", "GET", "--origin=--json"},
		{"explain", "--example", "--method", "GET", "--origin", "-"},
	} {
		if code, stdout, stderr := runIn(args, ""); code == exitUsage || !strings.HasPrefix(stdout, "HTTP/1.1 ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// TestRepeatedFlags checks that a flag that holds one value, given twice
// with two values, is refused rather than taking the last one and
// dropping the first without a word: "--config a.json --config b.json"
// names two configurations, as "a.json --config b.json" does, which is
// refused. The same value twice (a pre-commit hook's args repeating its
// entry's --skip-unrelated) changes nothing and is taken, and so is a
// flag that may be repeated (--domain).
func TestRepeatedFlags(t *testing.T) {
	t.Chdir(cliDir)
	for _, tc := range []struct {
		args []string
		want string // on standard error; "" when the command line is taken
	}{
		{[]string{"explain", "--config", "valid.xml", "--config", "bad-method.json", "--method", "GET"}, `--config given twice ("valid.xml", then "bad-method.json"): give it once`},
		{[]string{"convert", "--to", "xml", "--to", "json", "valid.xml"}, `--to given twice ("xml", then "json"): give it once`},
		{[]string{"validate", "--format", "sarif", "valid.xml", "--format=github"}, `--format given twice ("sarif", then "github"): give it once`},
		{[]string{"lint", "--input", "xml", "-input=json", "valid.xml"}, `-input given twice ("xml", then "json"): give it once`},
		{[]string{"validate", "--all", "--all=false", "valid.xml"}, `--all given twice ("true", then "false"): give it once`},
		{[]string{"explain", "--example", "--method", "GET", "--method", "PUT"}, `--method given twice ("GET", then "PUT"): give it once`},
		{[]string{"serve", "--addr", "127.0.0.1:1", "--addr", "127.0.0.1:2", "-h"}, `--addr given twice ("127.0.0.1:1", then "127.0.0.1:2"): give it once`},

		{[]string{"validate", "--skip-unrelated", "--skip-unrelated", "valid.xml"}, ""},
		{[]string{"convert", "--to", "xml", "--to=XML", "valid.xml"}, ""},
		{[]string{"serve", "--domain", "a.test", "--domain", "b.test", "-h"}, ""},
	} {
		code, _, stderr := runIn(tc.args, "")
		switch {
		case tc.want == "" && code == exitUsage:
			t.Errorf("%q: refused: %s", tc.args, stderr)
		case tc.want != "" && (code != exitUsage || !strings.Contains(stderr, "s3cors "+tc.args[0]+": "+tc.want+"\n")):
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestNoFileNamesInputs checks that a verb given no FILE, at a terminal
// or with standard input empty, names every way it takes its input:
// explain's --config, --no-config and --no-bucket too, which it left out.
func TestNoFileNamesInputs(t *testing.T) {
	t.Parallel()
	const (
		terminal = `no FILE given (use "-" for standard input, or `
		empty    = `<stdin>: no FILE given, and standard input is empty (give FILE, "-" for standard input, or `
		explains = `--config FILE, --example, --no-config or --no-bucket)`
	)
	tests := []struct {
		args                []string
		atTerminal, atEmpty string // the first line of standard error
	}{
		{[]string{"validate"}, terminal + "--example)", empty + "--example)"},
		{[]string{"lint"}, terminal + "--example)", empty + "--example)"},
		{[]string{"convert", "--to", "xml"}, terminal + "--example)", empty + "--example)"},
		{[]string{"explain", "--method", "GET"}, terminal + explains, empty + explains},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			t.Parallel()
			null, err := os.Open(os.DevNull) // a character device, as a terminal is
			if err != nil {
				t.Fatal(err)
			}
			defer null.Close()
			var stdout, stderr bytes.Buffer
			code := run(tt.args, null, &stdout, &stderr)
			if want := "s3cors " + tt.args[0] + ": " + tt.atTerminal + "\n"; code != exitUsage || !strings.HasPrefix(stderr.String(), want) {
				t.Errorf("%q at a terminal: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), want)
			}
			code, _, errOut := runIn(tt.args, "\n")
			if want := "s3cors " + tt.args[0] + ": " + tt.atEmpty + "\n"; code != exitUsage || !strings.HasPrefix(errOut, want) {
				t.Errorf("%q with standard input empty: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, want)
			}
		})
	}
}

// TestStdinWithoutFile checks that a verb that reads a configuration reads
// standard input when no FILE is given and standard input is not a
// terminal, as gofmt does, and asks for a FILE when it is one.
func TestStdinWithoutFile(t *testing.T) {
	t.Chdir(cliDir)
	doc, err := os.ReadFile("bad-method.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"validate"},
		{"lint"},
		{"convert", "--to", "xml"},
		{"explain", "--method", "GET", "--origin", "https://a.example"},
	} {
		// A pipe, as "cat cors.json | s3cors validate" gives.
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.Write(doc); w.Close() }()
		var stdout, stderr bytes.Buffer
		code := run(args, r, &stdout, &stderr)
		r.Close()
		verdict := stdout.String()
		if args[0] == "convert" { // its output is the document
			verdict = stderr.String()
		}
		if want := "<stdin>:8:32: 400 InvalidRequest: Found unsupported HTTP method"; code != exitInvalid || !strings.HasPrefix(verdict, want) {
			t.Errorf("%q from a pipe: exit %d, stdout %q, stderr %q; want 1 and %q", args, code, stdout.String(), stderr.String(), want)
		}
		// An empty pipe is a mistake, not an empty document.
		code, _, stderr2 := runIn(args, " \n")
		if code != exitUsage || !strings.Contains(stderr2, "no FILE given, and standard input is empty") {
			t.Errorf("%q from an empty pipe: exit %d, stderr %q", args, code, stderr2)
		}
		// White space past S3's bound is a document too large, as
		// validate - reads it, not an empty pipe.
		code, stdout2, stderr2 := runIn(args, strings.Repeat(" ", corsrule.MaxDocumentSize+1))
		if want := "<stdin>: 400 MaxMessageLengthExceeded: "; code != exitInvalid || !strings.HasPrefix(stdout2+stderr2, want) {
			t.Errorf("%q from a pipe of 64 KiB and 1 spaces: exit %d, stdout %q, stderr %q; want 1 and %q", args, code, stdout2, stderr2, want)
		}
		// A character device (here /dev/null, as a terminal would be) is
		// not read.
		null, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		stderr.Reset()
		code = run(args, null, &stdout, &stderr)
		null.Close()
		if code != exitUsage || !strings.Contains(stderr.String(), "no FILE given") {
			t.Errorf("%q from a terminal: exit %d, stderr %q; want 2 and a request for FILE", args, code, stderr.String())
		}
	}
}

// TestHelp checks that every verb documents, under -h, its usage, every
// flag, the exit status and an example.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, v := range verbs {
		for _, h := range []string{"-h", "--help", "-help"} {
			code, stdout, stderr := runIn([]string{v.name, h}, "")
			if code != exitOK || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q", v.name, h, code, stderr)
			}
			for _, want := range []string{"Usage:\n  s3cors " + v.name, "Flags:", "Exit status:", "Examples:\n  $ s3cors " + v.name} {
				if !strings.Contains(stdout, want) {
					t.Errorf("%s %s: help lacks %q", v.name, h, want)
				}
			}
		}
	}
	for _, name := range []string{"validate", "lint", "explain", "convert"} {
		if !slices.ContainsFunc(verbs, func(v verb) bool { return v.name == name }) {
			t.Fatalf("verb %s missing from the table", name)
		}
		_, stdout, _ := runIn([]string{name, "-h"}, "")
		for _, flagName := range []string{"--json", "--example"} {
			if !strings.Contains(stdout, "  "+flagName) {
				t.Errorf("%s -h does not document %s", name, flagName)
			}
		}
		if !strings.Contains(stdout, "JSON (--json):") {
			t.Errorf("%s -h does not document the JSON shape", name)
		}
	}
}

// TestHelpExitStatusUsage checks that the exit status each verb's help
// gives names 2 for a usage mistake, which every verb answers with 2: an
// unknown flag, or an argument the verb does not take.
func TestHelpExitStatusUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		verb string
		args []string // a usage mistake
	}{
		{"validate", []string{"--bogus"}},
		{"lint", []string{"--bogus"}},
		{"explain", []string{"--bogus"}},
		{"convert", []string{"--bogus"}},
		{"serve", []string{"extra"}},
		{"proxy", []string{"extra"}},
		{"completion", []string{"--bogus", "bash"}},
		{"version", []string{"extra"}},
	} {
		t.Run(tc.verb, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runIn(append([]string{tc.verb}, tc.args...), "")
			if code != exitUsage {
				t.Fatalf("%s %q: exit %d, stderr %q; want 2", tc.verb, tc.args, code, stderr)
			}
			_, help, _ := runIn([]string{tc.verb, "-h"}, "")
			_, status, _ := strings.Cut(help, "\nExit status:")
			status, _, _ = strings.Cut(status, "\n\n")
			if !strings.Contains(status, " 2 ") || !strings.Contains(status, "usage error") {
				t.Errorf("%s -h gives the exit status as%s\nbut a usage mistake exits 2", tc.verb, status)
			}
		})
	}
}

// TestUsageNamesEveryFlag checks that the usage lines of each verb's help
// name every flag it has, so that they cannot fall behind the flags.
func TestUsageNamesEveryFlag(t *testing.T) {
	t.Parallel()
	for _, v := range completionSpec() {
		_, help, _ := runIn([]string{v.name, "-h"}, "")
		usage, _, _ := strings.Cut(help, "\n\n")
		for _, f := range v.flags {
			if !strings.Contains(usage, "--"+f.name+" ") && !strings.Contains(usage, "--"+f.name+"]") &&
				!strings.Contains(usage, "--"+f.name+"|") && !strings.HasSuffix(usage, "--"+f.name) {
				t.Errorf("the usage of %s does not name --%s:\n%s", v.name, f.name, usage)
			}
		}
	}
}

// TestHelpFilled checks that the prose of every help text is filled: no
// line of a paragraph is cut short (under 60 columns) when the next word
// would have fitted in 74, and none runs past 80 columns.
func TestHelpFilled(t *testing.T) {
	t.Parallel()
	const width, short = 74, 60
	helps := map[string]string{}
	_, helps["s3cors"], _ = runIn([]string{"help"}, "")
	for _, v := range verbs {
		_, helps[v.name], _ = runIn([]string{v.name, "-h"}, "")
	}
	for name, help := range helps {
		lines := strings.Split(help, "\n")
		continues := false // the previous line is prose that may go on
		for i, line := range lines {
			isProse := line != "" && line[0] != ' ' && line[0] != '\t'
			if len(line) > 80 && isProse {
				t.Errorf("%s -h, line %d runs past 80 columns: %q", name, i+1, line)
			}
			if isProse && continues {
				prev := lines[i-1]
				word, _, _ := strings.Cut(line, " ")
				if len(prev) < short && len(prev)+1+len(word) <= width {
					t.Errorf("%s -h, line %d breaks early: %q would fit after %q", name, i, word, prev)
				}
			}
			continues = isProse && !strings.HasSuffix(line, ":") // a colon opens a list
		}
	}
}

// TestHelpTablesFit checks that the tables of the help (each verb's
// usage lines and flags, lint's findings, the command's verbs) fit an
// 80-column terminal, a tab counting 8 columns: a flag's usage ran to
// 123 columns and a finding's summary to 255, which such a terminal
// breaks anywhere, under the first column. Examples, which show
// commands and output as they are, may be wider.
func TestHelpTablesFit(t *testing.T) {
	t.Parallel()
	names := []string{"s3cors"}
	for _, v := range verbs {
		names = append(names, v.name)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := []string{name, "-h"}
			if name == "s3cors" {
				args = []string{"help"}
			}
			_, help, _ := runIn(args, "")
			table := "" // the heading of the table the line is in
			rows := 0
			for i, line := range strings.Split(help, "\n") {
				switch {
				case line == "Usage:" || line == "Flags:" || line == "Verbs:" || line == "Findings (stable ids):":
					table, rows = line, 0
					continue
				case line == "" && rows > 0:
					table = ""
				case line == "":
					continue
				}
				rows++
				if cols := len(strings.ReplaceAll(line, "\t", "        ")); table != "" && cols > 80 {
					t.Errorf("%s -h, line %d (%s) runs to %d columns: %q", name, i+1, table, cols, line)
				}
			}
		})
	}
}

// TestFlagsAnywhere checks that flags may follow FILE, in either spelling,
// and that "--" ends them.
func TestFlagsAnywhere(t *testing.T) {
	t.Chdir(cliDir)
	_, want, _ := runIn([]string{"validate", "--all", "--json", "many-problems.xml"}, "")
	for _, args := range [][]string{
		{"validate", "many-problems.xml", "--all", "--json"},
		{"validate", "-all", "many-problems.xml", "-json"},
		{"validate", "--json=true", "many-problems.xml", "--all"},
	} {
		if _, got, _ := runIn(args, ""); got != want {
			t.Errorf("%v: output differs from the flags-first form:\n%s", args, got)
		}
	}
	code, _, stderr := runIn([]string{"validate", "--", "--all"}, "")
	if code != exitUsage || !strings.Contains(stderr, "--all") {
		t.Errorf(`validate -- --all: exit %d, stderr %q; want "--all" read as a FILE`, code, stderr)
	}
}

// TestConvertKeepsTerraformName checks that a Terraform resource
// converted to Terraform keeps its name, as convert's help says: any
// identifier Terraform takes, capitals and letters beyond ASCII included
// (Terraform checks names with hclsyntax.ValidIdentifier; terraform
// validate v1.11.4 takes both below).
func TestConvertKeepsTerraformName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"MyBucket", "bücket", "site-assets_2"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tf := `resource "aws_s3_bucket_cors_configuration" "` + name + `" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    max_age_seconds = 1
  }
}
`
			code, stdout, stderr := runIn([]string{"convert", "--to", "terraform", "--input", "terraform", "-"}, tf)
			want := `resource "aws_s3_bucket_cors_configuration" "` + name + `" {
  bucket = "b"
`
			if code != exitOK || !strings.HasPrefix(stdout, want) {
				t.Errorf("exit %d, %s\n%s\nwant it to start with\n%s", code, stderr, stdout, want)
			}
		})
	}
}

// TestConvertTerraformKeepsBucket checks that an
// aws_s3_bucket_cors_configuration converted to Terraform keeps its bucket
// argument as written: the resource written takes the place of the one
// read, and a bucket argument made of its name
// (aws_s3_bucket.uploads_cors.id) refers to a resource the file does not
// declare, which terraform plan refuses ("Reference to undeclared
// resource"). An interpolation alone is unwrapped, as terraform fmt
// (v1.11.4) unwraps it; the JSON syntax's is written in the native
// syntax. The inline cors_rule of an aws_s3_bucket belongs to that bucket,
// the instance with its key.
func TestConvertTerraformKeepsBucket(t *testing.T) {
	t.Parallel()
	const rule = `
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    max_age_seconds = 1
  }
}
`
	for _, tc := range []struct {
		name, file, tf, want string
	}{
		{"another name", "main.tf", `resource "aws_s3_bucket" "uploads" {}
resource "aws_s3_bucket_cors_configuration" "uploads_cors" {
  bucket = aws_s3_bucket.uploads.id
` + rule, "aws_s3_bucket.uploads.id"},
		{"bucket attribute", "main.tf", `resource "aws_s3_bucket_cors_configuration" "cors" {
  bucket = aws_s3_bucket.this.bucket
` + rule, "aws_s3_bucket.this.bucket"},
		{"literal name", "main.tf", `resource "aws_s3_bucket_cors_configuration" "cors" {
  bucket = "my-uploads"
` + rule, `"my-uploads"`},
		{"template", "main.tf", `variable "prefix" { default = "acme" }
resource "aws_s3_bucket_cors_configuration" "cors" {
  bucket = "${var.prefix}-uploads"
` + rule, `"${var.prefix}-uploads"`},
		{"interpolation alone", "main.tf", `resource "aws_s3_bucket_cors_configuration" "cors" {
  bucket = "${aws_s3_bucket.site.id}"
` + rule, "aws_s3_bucket.site.id"},
		{"spaced as terraform fmt spaces it", "main.tf", `variable "a" { default = "" }
resource "aws_s3_bucket_cors_configuration" "cors" {
  bucket = var.a==""?"x":var.a
` + rule, `var.a == "" ? "x" : var.a`},
		{"json syntax", "main.tf.json", `{"resource": {"aws_s3_bucket_cors_configuration": {"cors": {
  "bucket": "${aws_s3_bucket.site.id}",
  "cors_rule": [{"allowed_methods": ["GET"], "allowed_origins": ["*"], "max_age_seconds": 1}]}}}}
`, "aws_s3_bucket.site.id"},
		{"inline rules", "main.tf", `resource "aws_s3_bucket" "site" {
  bucket = "my-site"
` + rule, "aws_s3_bucket.site.id"},
		// The inline rules of one instance: a reference without its key
		// is refused (Missing resource instance key).
		// each and count are not in the resource written, which has
		// neither for_each nor count: the name the instance sets.
		{"each", "main.tf", `resource "aws_s3_bucket_cors_configuration" "cors" {
  for_each = toset(["acme-eu"])
  bucket   = each.value
` + rule, `"acme-eu"`},
		{"inline rules, count", "main.tf", `resource "aws_s3_bucket" "site" {
  count  = 1
  bucket = "my-site"
` + rule, "aws_s3_bucket.site[0].id"},
		{"inline rules, for_each", "main.tf", `resource "aws_s3_bucket" "site" {
  for_each = toset(["a.b"])
  bucket   = each.key
` + rule, `aws_s3_bucket.site["a.b"].id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{tc.file: tc.tf})
			code, stdout, stderr := runIn([]string{"convert", "--to", "terraform", dir}, "")
			_, second, _ := strings.Cut(stdout, "\n")
			if want := "  bucket = " + tc.want + "\n"; code != exitOK || !strings.HasPrefix(second, want) {
				t.Errorf("exit %d, %s\n%s\nwant its second line %q", code, stderr, stdout, want)
			}
		})
	}
}

// TestConvertPlanKeepsBucket: from a plan, convert --to terraform writes
// the bucket argument as the plan's configuration section records it, not
// aws_s3_bucket.NAME.id made of the resource's own name, which names no
// resource here (the CORS of uploads is the bucket media's); an
// expression the plan records only by its references is written as the
// bucket's name the plan resolves, with a note. The plan's
// configuration, as terraform show -json writes it, is in
// testdata/iac/plan/modules.json.
func TestConvertPlanKeepsBucket(t *testing.T) {
	t.Parallel()
	const plan = "../../testdata/iac/plan/modules.json"
	for _, tc := range []struct {
		resource, want, note string
	}{
		{"aws_s3_bucket_cors_configuration.uploads", "aws_s3_bucket.media.id", ""},
		{"logs", `"acme-logs"`, ""},
		{"aws_s3_bucket.legacy[0]", "aws_s3_bucket.legacy[0].id", ""},
		{`module.site["eu"].aws_s3_bucket_cors_configuration.this`, "aws_s3_bucket.this.id", ""},
		{`per_env["prod"]`, `"acme-prod"`, "s3cors convert: note: bucket is the bucket's name, not the argument as written " +
			"(the plan records only its references: aws_s3_bucket.env, each.key)"},
	} {
		t.Run(tc.resource, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"convert", "--to", "terraform", "--resource", tc.resource, plan}, "")
			_, second, _ := strings.Cut(stdout, "\n")
			if want := "  bucket = " + tc.want + "\n"; code != exitOK || !strings.HasPrefix(second, want) {
				t.Errorf("exit %d, %s\n%s\nwant its second line %q", code, stderr, stdout, want)
			}
			if tc.note == "" && strings.Contains(stderr, "bucket is") || !strings.Contains(stderr, tc.note) {
				t.Errorf("notes:\n%s\nwant %q", stderr, tc.note)
			}
		})
	}
}

// TestConvertNameInModule checks that a resource in a module called with
// for_each is named after itself, not after the module: its address is
// module.site["a.b"].aws_s3_bucket_cors_configuration.uploads, and a key
// may hold dots, brackets and quotes.
func TestConvertNameInModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `module "site" {
  source   = "./mod"
  for_each = toset(["a.b", "x\"].y[0].z"])
  name     = each.key
}
`,
		"mod/main.tf": `variable "name" { type = string }
resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = var.name
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    max_age_seconds = 1
  }
}
`,
	}
	writeTree(t, dir, files)
	for _, c := range []struct{ to, want string }{
		{"terraform", `resource "aws_s3_bucket_cors_configuration" "uploads" {`},
		{"cloudformation", "Resources:\n  Uploads:\n"},
	} {
		code, stdout, stderr := runIn([]string{"convert", "--to", c.to, "--resource", `module.site["x\"].y[0].z"].aws_s3_bucket_cors_configuration.uploads`, dir}, "")
		if code != exitOK || !strings.HasPrefix(stdout, c.want) {
			t.Errorf("--to %s: exit %d, %s\n%s\nwant it to start with\n%s", c.to, code, stderr, stdout, c.want)
		}
	}
}

// TestConvertRoundTrip converts every configuration of the vector files
// xml -> json -> console -> xml with the command and checks that nothing
// is lost: the rules come back equal and the two XML documents are the
// same bytes. The configurations the vectors expect S3 to refuse (101
// rules, bad methods and header names, no rule) are refused with exit 1
// and S3's verdict, as convert documents; every other one converts.
func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	configs, err := vectortest.Configs()
	if err != nil {
		t.Fatal(err)
	}
	converted, iacRoundTrips := 0, 0
	for _, vc := range configs {
		// One after another: converted and iacRoundTrips count across them,
		// checked after.
		t.Run(vc.Name, func(t *testing.T) {
			convert := func(to, input string) string {
				t.Helper()
				code, stdout, stderr := runIn([]string{"convert", "--to", to, "-"}, input)
				if code != exitOK {
					t.Fatalf("convert --to %s: exit %d\n%s%s\ninput:\n%s", to, code, stdout, stderr, input)
				}
				return stdout
			}
			err := bucket.Validate(vc.Rules)
			if reason, ok := acceptedDespiteVector[vc.Name]; ok {
				if err != nil || !vc.Refused {
					t.Errorf("listed as accepted despite the vector (%s), but err = %v, refused = %v", reason, err, vc.Refused)
				}
			} else if (err != nil) != vc.Refused {
				t.Errorf("S3's verdict %v, but the vector expects refused = %v", err, vc.Refused)
			}
			if err != nil {
				code, stdout, stderr := runIn([]string{"convert", "--to", "xml", "-"}, string(vc.JSON))
				if code != exitInvalid || stdout != "" || !strings.Contains(stderr, err.(*s3err.Error).Message) {
					t.Errorf("invalid configuration (%v): exit %d, output %q, standard error %q; want 1, no output and S3's verdict", err, code, stdout, stderr)
				}
				return
			}
			converted++
			xml1 := convert("xml", string(vc.JSON))
			js := convert("json", xml1)
			console := convert("console", js)
			xml2 := convert("xml", console)
			if xml1 != xml2 {
				t.Errorf("xml -> json -> console -> xml changed the document:\n%s\n%s", xml1, xml2)
			}
			// To infrastructure code and back: CloudFormation keeps every
			// rule as it is when its schema refuses nothing (no caveat);
			// Terraform too when the provider changes nothing on the way.
			// The JSON template is read back without --input: told from
			// its content, as users pipe it.
			for _, c := range []struct{ to, input string }{{"cloudformation", "cloudformation"}, {"cloudformation-json", ""}, {"terraform", "terraform"}} {
				to := c.to
				code, iacDoc, stderr := runIn([]string{"convert", "--to", to, "-"}, xml1)
				if code != exitOK {
					t.Fatalf("convert --to %s: exit %d: %s", to, code, stderr)
				}
				if to == "terraform" && len(iac.TerraformCaveats(vc.Rules)) > 0 ||
					to != "terraform" && len(iac.CloudFormationCaveats(vc.Rules)) > 0 {
					continue
				}
				args := []string{"convert", "--to", "xml"}
				if c.input != "" {
					args = append(args, "--input", c.input)
				}
				code, back, stderr := runIn(append(args, "-"), iacDoc)
				if code != exitOK || back != xml1 {
					t.Errorf("xml -> %s -> xml: exit %d, %s\n%s\nfrom\n%s\nwant\n%s", to, code, stderr, back, iacDoc, xml1)
				}
				iacRoundTrips++
			}
			for _, out := range []struct{ form, text string }{{"xml", xml1}, {"json", js}, {"console", console}} {
				doc, err := xmlconfig.Decode(strings.NewReader(out.text))
				if err != nil {
					t.Fatalf("%s output does not decode: %v", out.form, err)
				}
				if doc.Format.String() != out.form {
					t.Errorf("%s output decodes as %v", out.form, doc.Format)
				}
				if diff := cmp.Diff(vc.Rules, doc.Rules, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s output lost something (-want +got):\n%s", out.form, diff)
				}
			}
		})
	}
	t.Logf("%d of %d configurations converted; the rest are refused as S3 would; %d round trips through CloudFormation and Terraform",
		converted, len(configs), iacRoundTrips)
	if converted < 80 {
		t.Errorf("only %d configurations converted", converted)
	}
}

// acceptedDespiteVector lists the configurations a vector expects S3 to
// refuse but the spec accepts, with the reason.
var acceptedDespiteVector = map[string]string{
	"s3vectors/" + vectortest.NegativeMaxAgeStep: vectortest.NegativeMaxAgeReason,
}

// TestConvertRefusalOnStderr checks where convert says that it did not
// convert: standard output is the document ("s3cors convert --to xml
// cors.json > cors.xml"), so the verdict on a configuration S3 or the
// tool refuses goes to standard error, where the user sees it, and
// standard output stays empty; with --json the verdict is the JSON
// output. On standard output, it was written into cors.xml, and the
// terminal showed nothing.
func TestConvertRefusalOnStderr(t *testing.T) {
	t.Parallel()
	bad := cliDir + "/bad-method.json"
	const template = "Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedOrigins: [\"https://app.example.com\"]\n            AllowedMethods: [get]\n"
	for _, tc := range []struct {
		name       string
		args       []string
		stdin      string
		wantStdout string // a substring of standard output, "" for none at all
		wantStderr string // a substring of standard error
	}{
		{"S3 refuses", []string{"convert", "--to", "xml", bad}, "",
			"", bad + ":8:32: 400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is get\n    hint: methods are case-sensitive: write GET\n"},
		{"CloudFormation refuses", []string{"convert", "--to", "terraform", "-"}, template,
			"", `not-allowed: Uploads rule 1 AllowedMethod: CloudFormation refuses AllowedMethods "get"`},
		{"--json", []string{"convert", "--to", "xml", "--json", bad}, "",
			`"code": "InvalidRequest"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, tc.stdin)
			if code != exitInvalid {
				t.Errorf("exit status %d, want 1", code)
			}
			if tc.wantStdout == "" && stdout != "" || !strings.Contains(stdout, tc.wantStdout) {
				t.Errorf("standard output %q; want %q", stdout, tc.wantStdout)
			}
			if !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("standard error %q does not hold %q", stderr, tc.wantStderr)
			}
		})
	}
}

// TestConvertSizeCaveat checks that convert says when the document it
// writes is past S3's limit on a PutBucketCors body though the file read
// is not: the AWS CLI file botocore sends in exactly 65,536 bytes (an
// empty origin self-closed) is 93,536 in
// S3's XML, without its declaration, which S3 refuses.
func TestConvertSizeCaveat(t *testing.T) {
	t.Parallel()
	const edge = "../../xmlconfig/testdata/awscli-64k.json"
	// An XML file of exactly 65,536 bytes without S3's namespace: one
	// rule, its origins padded to the limit.
	const head, tail = "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>", "</CORSRule></CORSConfiguration>"
	var b strings.Builder
	b.WriteString(head)
	for i := 0; b.Len() < corsrule.MaxDocumentSize-len(tail)-200; i++ {
		fmt.Fprintf(&b, "<AllowedOrigin>https://x%05d.example</AllowedOrigin>", i)
	}
	pad := corsrule.MaxDocumentSize - b.Len() - len(tail) - len("<AllowedOrigin>https://.example</AllowedOrigin>")
	b.WriteString("<AllowedOrigin>https://" + strings.Repeat("p", pad) + ".example</AllowedOrigin>" + tail)
	noNamespace := filepath.Join(t.TempDir(), "no-namespace.xml")
	if err := os.WriteFile(noNamespace, []byte(b.String()), 0o644); err != nil || b.Len() != corsrule.MaxDocumentSize {
		t.Fatalf("writing %d bytes: %v", b.Len(), err)
	}
	for _, tc := range []struct {
		to, file string
		want     string // a substring of standard error, "" for none at all
	}{
		{"xml", edge, "s3cors convert: note: the XML document is 93575 bytes, more than the 65536 S3 accepts in a PutBucketCors body: sent so, it is refused with MaxMessageLengthExceeded"},
		{"console", edge, "s3cors convert: note: the console sends these rules as XML of 93536 bytes, more than the 65536 S3 accepts"},
		{"json", edge, ""},
		{"xml", cliDir + "/valid-console.json", ""},
		// S3 takes an XML file without the namespace, which botocore
		// writes: 48 bytes more, ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`.
		{"json", noNamespace, "s3cors convert: note: S3 refuses the configuration the AWS CLI sends for this file (sent to S3 as XML, the configuration is 65584 bytes; S3 accepts at most 65536): 400 MaxMessageLengthExceeded"},
		{"console", noNamespace, "the console sends these rules as XML of 65584 bytes"},
	} {
		t.Run(tc.to+" "+tc.file, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"convert", "--to", tc.to, tc.file}, "")
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if tc.want == "" && stderr != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("standard error %q; want %q", stderr, tc.want)
			}
			// The size said is the document's, declaration included.
			if tc.to == "xml" && tc.want != "" && !strings.Contains(stderr, fmt.Sprintf(" %d bytes", len(stdout)-len("\n"))) {
				t.Errorf("the note does not give the document's %d bytes", len(stdout)-1)
			}
		})
	}
}

// TestConvertCarriageReturnCaveat checks that convert --to json says
// when a value holds a carriage return, which S3's XML and the console's
// JSON carry escaped but the AWS CLI sends as it is, for S3 to read as a
// line feed: the file written is not stored as the rules read, and the
// tool's own reading of it (as S3 receives it) shows the change said.
func TestConvertCarriageReturnCaveat(t *testing.T) {
	t.Parallel()
	const xml = "<CORSConfiguration><CORSRule><ID>a&#xD;&#xA;b</ID><AllowedOrigin>https://a.example</AllowedOrigin>" +
		"<AllowedOrigin>https://b.example&#13;</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>" +
		"<CORSRule><AllowedOrigin>https://c.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>"
	const want = `s3cors convert: note: rule 1: ID "a\r\nb" and AllowedOrigin "https://b.example\r": the AWS CLI sends a carriage return as it is, which S3 reads as a line feed (a CRLF as one), so put-bucket-cors with this file stores a line feed in its place` + "\n"
	for _, tc := range []struct {
		to         string
		wantStderr string
	}{
		{"json", want},
		{"xml", ""},
		{"console", ""},
	} {
		t.Run(tc.to, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"convert", "--to", tc.to, "-"}, xml)
			if code != exitOK || stderr != tc.wantStderr {
				t.Fatalf("exit %d, standard error %q; want 0 and %q", code, stderr, tc.wantStderr)
			}
			doc, err := xmlconfig.Decode(strings.NewReader(stdout))
			if err != nil {
				t.Fatal(err)
			}
			wantID, wantOrigin := "a\r\nb", "https://b.example\r"
			if tc.to == "json" {
				wantID, wantOrigin = "a\nb", "https://b.example\n"
			}
			if r := doc.Rules[0]; r.ID != wantID || r.AllowedOrigins[1] != wantOrigin {
				t.Errorf("read back as S3 receives it: ID %q, origin %q; want %q and %q", r.ID, r.AllowedOrigins[1], wantID, wantOrigin)
			}
		})
	}
}

// TestColor checks that a colouring output colours the verdict word and
// the finding id, and nothing else.
func TestColor(t *testing.T) {
	t.Chdir(cliDir)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--example"}, "example.json: \x1b[32mvalid\x1b[0m AWS CLI JSON"},
		{[]string{"validate", "bad-method.json"}, "400 \x1b[31mInvalidRequest\x1b[0m: Found"},
		{[]string{"lint", "findings.json"}, "findings.json:7:32: \x1b[33morigin-trailing-slash\x1b[0m: rule 1"},
		{[]string{"explain", "--example", "--method", "GET", "--origin", "https://a.example"}, "\x1b[32mresult:\x1b[0m rule 2"},
	} {
		var buf bytes.Buffer
		run(tc.args, strings.NewReader(""), &output{w: &buf, color: true}, &bytes.Buffer{})
		if !strings.Contains(buf.String(), tc.want) {
			t.Errorf("%v: output %q lacks %q", tc.args, buf.String(), tc.want)
		}
		// --json is never coloured.
		buf.Reset()
		run(append(tc.args, "--json"), strings.NewReader(""), &output{w: &buf, color: true}, &bytes.Buffer{})
		if strings.Contains(buf.String(), "\x1b[") || !json.Valid(buf.Bytes()) {
			t.Errorf("%v --json: coloured or not JSON: %q", tc.args, buf.String())
		}
	}
	// A plain writer, as in every other test, is never coloured.
	if _, out, _ := runIn([]string{"validate", "--example"}, ""); strings.Contains(out, "\x1b[") {
		t.Errorf("coloured output to a buffer: %q", out)
	}
}

func TestWantColor(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if wantColor(f) {
		t.Error("a regular file is coloured")
	}
	t.Setenv("NO_COLOR", "1")
	if wantColor(os.Stdout) {
		t.Error("coloured despite NO_COLOR")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestWriteError checks that a failure to write the output is an I/O
// error (exit 2), not success.
func TestWriteError(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := run([]string{"convert", "--to", "xml", "--example"}, strings.NewReader(""), failingWriter{}, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "broken pipe") {
		t.Errorf("exit %d, stderr %q; want 2 and the write error", code, stderr.String())
	}
	// The command's own help too: "s3cors help > /dev/full" is no success.
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"help", "lint"}} {
		stderr.Reset()
		code := run(args, strings.NewReader(""), failingWriter{}, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), "broken pipe") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the write error", args, code, stderr.String())
		}
	}
}

// TestExampleIsReal checks that the embedded example is the documented
// configuration: valid, AWS CLI JSON, the two rules the README describes.
func TestExampleIsReal(t *testing.T) {
	t.Parallel()
	doc, err := xmlconfig.Decode(bytes.NewReader(exampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != xmlconfig.JSON {
		t.Errorf("format %v, want json", doc.Format)
	}
	if err := bucket.Validate(doc.Rules); err != nil {
		t.Fatal(err)
	}
	age := int32(3000)
	want := []corsrule.Rule{
		{ID: "browser-uploads", AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"PUT", "POST"},
			AllowedHeaders: []string{"content-type", "x-amz-*", "authorization"}, ExposeHeaders: []string{"ETag", "x-amz-checksum-crc32", "x-amz-request-id"}, MaxAgeSeconds: &age},
		{ID: "public-reads", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}, MaxAgeSeconds: &age},
	}
	if diff := cmp.Diff(want, doc.Rules, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("example (-want +got):\n%s", diff)
	}
}

// TestExplainMatchesEvaluate checks explain against the evaluator on the
// suite vectors' requests: the status and CORS headers it prints are
// bucket.Evaluate's.
func TestExplainMatchesEvaluate(t *testing.T) {
	t.Parallel()
	var suite vectortest.SuiteFile
	if err := vectortest.Load("suite-vectors.json", &suite); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range suite.Cases {
		path, service := c.Path("bucket")
		if service {
			continue // explain addresses buckets only
		}
		// A case the spec contradicts is held to the spec's answer and to
		// the headers it states.
		check := c.Check
		if _, contradicted := vectortest.SuiteSkips[c.Name]; contradicted {
			check = c.CheckSkipped
		}
		args := []string{"explain", "--json", "--method", c.Request.Method, "--path", path}
		stdin := ""
		switch {
		case c.NoBucket():
			args = append(args, "--no-bucket")
		case c.ConfigJSON == nil:
			args = append(args, "--no-config")
		default:
			args = append(args, "--config", "-")
			stdin = `{"CORSRules": ` + string(c.ConfigJSON) + `}`
		}
		skip := false
		for name, v := range c.Request.Headers {
			switch strings.ToLower(name) {
			case "origin":
				args = append(args, "--origin", v)
			case "access-control-request-method":
				args = append(args, "--request-method", v)
			case "access-control-request-headers":
				args = append(args, "--request-headers", v)
			default:
				skip = skip || strings.HasPrefix(strings.ToLower(name), "access-control")
			}
		}
		if skip {
			continue
		}
		_, stdout, stderr := runIn(args, stdin)
		var got explain.JSON
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Errorf("%s: %v\n%s%s", c.Name, err, stdout, stderr)
			continue
		}
		header := http.Header{}
		for name, v := range got.Headers {
			header[http.CanonicalHeaderKey(name)] = []string{v}
		}
		if c.Request.Method == "OPTIONS" {
			// A preflight: S3 answers it whole, and so does explain.
			if got.Status == nil {
				t.Errorf("%s: no status for a preflight", c.Name)
				continue
			}
			for _, err := range check(*got.Status, header, []byte(got.Body)) {
				t.Errorf("%s: %v", c.Name, err)
			}
		} else {
			// An actual request: the operation decides the status and the
			// body, explain the CORS headers.
			headersOnly := c
			headersOnly.Expect.Status, headersOnly.Expect.ErrorCode = 0, ""
			for _, err := range headersOnly.Check(0, header, nil) {
				t.Errorf("%s: %v", c.Name, err)
			}
		}
		checked++
	}
	if checked < 60 {
		t.Errorf("only %d suite cases checked", checked)
	}
}

// FuzzVerbs feeds arbitrary documents to every verb that reads one: none
// may panic, and each must answer 0 or 1 (or ask for --resource), but for
// a document that is no configuration in any form and says what to give
// instead: a template's source, or a state file as Terraform writes it
// (exit 2, as for a file that cannot be read).
func FuzzVerbs(f *testing.F) {
	for _, name := range []string{"valid.xml", "valid-console.json", "findings.json", "bad-method.json", "cloudformation.json", "many-problems.xml"} {
		b, err := os.ReadFile(cliDir + "/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(exampleJSON)
	f.Add([]byte(`[{"AllowedOrigins":["\u0000*"],"AllowedMethods":["GET"],"MaxAgeSeconds":-2147483648}]`))
	f.Add([]byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - {AllowedOrigins: [!Ref O], AllowedMethods: [GET]}\n"))
	f.Add([]byte("resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  cors_rule {\n    allowed_origins = [\"*\"]\n    allowed_methods = [\"PUT\"]\n  }\n}\n"))
	f.Add([]byte(`{"version": 4, "serial": 1, "lineage": "l", "resources": []}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, args := range [][]string{
			{"validate", "--all", "-"},
			{"validate", "--json", "-"},
			{"lint", "-"},
			{"lint", "--json", "-"},
			{"convert", "--to", "console", "-"},
			{"explain", "--config", "-", "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "PUT", "--request-headers", "content-type"},
			{"explain", "--config", "-", "--json", "--method", "GET", "--origin", "https://app.example.com"},
		} {
			code, stdout, stderr := runIn(args, string(doc))
			// convert and explain need one bucket of infrastructure code:
			// a usage error without --resource when there are several or
			// none.
			oneBucket := (args[0] == "convert" || args[0] == "explain") && strings.Contains(stderr, "bucket CORS configuration")
			noConfiguration := strings.Contains(stderr, "<stdin>: starts with {{, an action of a template") ||
				strings.Contains(stderr, "<stdin>: is not a Terraform plan: it is a state file as Terraform writes it")
			if code != exitOK && code != exitInvalid && !(code == exitUsage && (oneBucket || noConfiguration)) {
				t.Fatalf("%v: exit %d\n%s%s", args, code, stdout, stderr)
			}
			if slices.Contains(args, "--json") && code != exitUsage && !json.Valid([]byte(stdout)) {
				t.Fatalf("%v: not JSON: %q", args, stdout)
			}
		}
	})
}

// TestTerraformJSONFiles checks that files in Terraform's JSON syntax
// (.tf.json, which cdktf writes) are judged at their values, named or in
// their module's directory, with --skip-unrelated too, which a hook
// handed every .json file runs with: they are infrastructure code.
func TestTerraformJSONFiles(t *testing.T) {
	t.Chdir(cliDir)
	const patch = ": 400 InvalidRequest: aws_s3_bucket_cors_configuration.site rule 1: Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
	const legacy = "cdktf/cdk.tf.json:47:15: 400 InvalidRequest: aws_s3_bucket.legacy_bucket_9C1D4E20 rule 1: Found unsupported HTTP method in CORS config. Unsupported method is PATCH"
	stdin, err := os.ReadFile(filepath.Join(cliDir, "terraform-json", "main.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string // a line of standard output
	}{
		{[]string{"validate", "terraform-json/main.tf.json"}, "", "terraform-json/main.tf.json:6:51" + patch},
		// On standard input, told by its content (iac.Detect).
		{[]string{"validate", "-"}, string(stdin), "<stdin>:6:51" + patch},
		{[]string{"lint", "--input", "terraform", "-"}, string(stdin), "<stdin>:6:51" + patch},
		{[]string{"lint", "--skip-unrelated", "terraform-json/main.tf.json", "valid.xml"}, "", "terraform-json/main.tf.json:6:51" + patch},
		{[]string{"lint", "terraform-json"}, "", "terraform-json/main.tf.json:6:51" + patch},
		{[]string{"validate", "--skip-unrelated", "cdktf"}, "", legacy},
		{[]string{"lint", "--format", "github", "cdktf/cdk.tf.json"}, "",
			"::error file=cdktf/cdk.tf.json,line=47,col=15,title=400 InvalidRequest::aws_s3_bucket.legacy_bucket_9C1D4E20 rule 1: Found unsupported HTTP method in CORS config. Unsupported method is PATCH%0AHint: S3 allows only GET, PUT, HEAD, POST and DELETE"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runIn(tc.args, tc.stdin)
			if code != exitInvalid || stderr != "" {
				t.Errorf("exit status %d, stderr %q; want %d and none", code, stderr, exitInvalid)
			}
			if !slices.Contains(strings.Split(stdout, "\n"), tc.want) {
				t.Errorf("standard output has no line\n%s\nit is:\n%s", tc.want, stdout)
			}
		})
	}
}

// TestREADMELibrary compiles the Go code of README.md's "Library"
// section, as the body of a function that has body, r and w and returns
// an error, with the imports it shows and net/http.
func TestREADMELibrary(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Library\n")
	_, code, ok := strings.Cut(section, "```go\n")
	code, _, _ = strings.Cut(code, "```")
	imports, body, ok2 := strings.Cut(code, ")\n")
	if !ok || !ok2 || !strings.HasPrefix(imports, "import (") {
		t.Fatalf("README.md's Library section has no Go code starting with its imports:\n%s", section)
	}
	src := "package readme\n\n" + strings.Replace(imports, "import (", "import (\n\t\"io\"\n\t\"net/http\"\n", 1) + ")\n\n" +
		"func example(body io.Reader, r *http.Request, w http.ResponseWriter) error {\n" + body + "\treturn nil\n}\n"
	dir := t.TempDir()
	file := filepath.Join(dir, "readme.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// An overlay puts the file in a package of the module without
	// writing into the source tree.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(root, "testdata", "readmelibrary", "readme.go"): file}})
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "build", "-o", os.DevNull, "-overlay", filepath.Join(dir, "overlay.json"), "./testdata/readmelibrary")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("README.md's Library code does not compile: %v\n%s\n%s", err, out, src)
	}
}

// TestREADMEPackages checks that the table of README.md's "Library"
// section names every package of the module, each once, and no other:
// the directories that hold Go files but tests, bench (its own module)
// included, testdata left out.
func TestREADMEPackages(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, line := range strings.Split(readmeSection(t, readme, "Library"), "\n") {
		if first, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |"); ok && strings.HasPrefix(line, "| `") {
			for _, name := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(first, -1) {
				listed = append(listed, name[1])
			}
		}
	}
	var packages []string
	err = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		goFiles, _ := filepath.Glob(filepath.Join(path, "*.go"))
		testFiles, _ := filepath.Glob(filepath.Join(path, "*_test.go"))
		if rel, _ := filepath.Rel("../..", path); len(goFiles) > len(testFiles) && rel != "." {
			packages = append(packages, filepath.ToSlash(rel))
		}
		if d.Name() == "bench" {
			packages = append(packages, "bench")
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	slices.Sort(packages)
	if diff := cmp.Diff(packages, listed); diff != "" {
		t.Errorf("README.md's package table (-packages of the module +listed):\n%s", diff)
	}
}

// readmeSection returns the text of the section of readme (README.md)
// headed "## "+name, up to the next such heading.
func readmeSection(t *testing.T, readme []byte, name string) string {
	t.Helper()
	_, section, ok := strings.Cut(string(readme), "\n## "+name+"\n")
	if !ok {
		t.Fatalf(`README.md has no "## %s" section`, name)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// TestREADMEFontsQueries checks what README.md's "My fonts from S3 are
// blocked" says of the queries that give CORS loads a URL of their own:
// each URL it shows is read by S3 as the operation it says. A query that
// names an S3 subresource does not read the font: GET /b/k?cors is the
// bucket's GetBucketCors.
func TestREADMEFontsQueries(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := readmeSection(t, b, "My fonts from S3 are blocked")
	for _, tc := range []struct {
		url  string // as the section shows it, in backquotes
		want s3route.Operation
	}{
		{"brand.ttf?crossorigin", s3route.GetObject},
		{"brand.ttf?cors", s3route.GetBucketCors},
		{"brand.ttf?acl", s3route.GetObjectAcl},
	} {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(section, "`"+tc.url+"`") {
				t.Fatalf("the section does not show `%s`", tc.url)
			}
			key, query, _ := strings.Cut(tc.url, "?")
			values, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			a := s3route.Address{Bucket: "my-assets", Key: "fonts/" + key, Style: s3route.PathStyle}
			if op, _ := s3route.Classify(http.MethodGet, a, values, http.Header{}); op != tc.want {
				t.Errorf("GET /my-assets/fonts/%s is %s, want %s", tc.url, op, tc.want)
			}
		})
	}
	// Every query the section suggests for a CORS load is one S3 ignores.
	for _, m := range regexp.MustCompile("query such as `([^`]+)`").FindAllStringSubmatch(section, -1) {
		_, query, _ := strings.Cut(m[1], "?")
		values, _ := url.ParseQuery(query)
		if op, sub := s3route.Classify(http.MethodGet, s3route.Address{Bucket: "my-assets", Key: "fonts/brand.ttf"}, values, http.Header{}); op != s3route.GetObject {
			t.Errorf("the section suggests `%s`, which S3 reads as %s (?%s), not the font", m[1], op, sub)
		}
	}
}

// endless is an io.Reader of head, then body repeated without end.
type endless struct {
	head, body []byte
	off        int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if e.off < len(e.head) {
			c := copy(p[n:], e.head[e.off:])
			e.off += c
			n += c
			continue
		}
		n += copy(p[n:], e.body)
	}
	return n, nil
}

// TestStdinBounds feeds endless infrastructure files on standard input:
// each is read up to its bound and refused as too large, rather than
// read without end. A Terraform file larger than the first megabyte,
// which tells the kind, is read whole.
func TestStdinBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, head, body, want string
	}{
		{"template", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n", "# a comment that never ends\n", "larger than 1048576 bytes"},
		{"terraform", "resource \"aws_s3_bucket\" \"b\" {}\n", "# a comment that never ends\n", "larger than 33554432 bytes"},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"validate", "-"}, &endless{head: []byte(tc.head), body: []byte(tc.body)}, &stdout, &stderr)
		if code != exitInvalid || !strings.Contains(stdout.String(), tc.want) {
			t.Errorf("endless %s: exit %d, stdout %q, stderr %q; want 1 and %q", tc.name, code, stdout.String(), stderr.String(), tc.want)
		}
	}
	// The bucket comes after 2 MiB of comments.
	tf := "resource \"aws_s3_bucket\" \"b\" {}\n" + strings.Repeat("# padding past the first megabyte\n", 64<<10) + `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = ["https://a.example"]
    allowed_methods = ["get"]
  }
}
`
	code, stdout, stderr := runIn([]string{"validate", "-"}, tf)
	if want := "<stdin>:65542:24: 400 InvalidRequest: aws_s3_bucket_cors_configuration.c rule 1: Found unsupported HTTP method"; code != exitInvalid || !strings.HasPrefix(stdout, want) {
		t.Errorf("a %d-byte Terraform file: exit %d, stdout %q, stderr %q; want %q", len(tf), code, stdout, stderr, want)
	}
}

// TestTextEscapesControls checks that the text output of validate and
// lint keeps each problem on its lines, whatever the file's values: S3's
// messages quote them verbatim ("Unsupported method is ..."), so a value
// holding LF or CR wrote lines of its own, which read as problems of
// other files, and an escape sequence reached the terminal. In text
// they are written as Go escapes; --json keeps S3's message exactly. The
// value is in the console's form, which brings S3 a CR (the AWS CLI's
// brings it as LF).
func TestTextEscapesControls(t *testing.T) {
	t.Parallel()
	// XML cannot carry C0 controls but for tab, LF and CR; it carries
	// C1 ones (U+009B is a terminal's CSI) and U+2028.
	const method = "get\nx.json:1:1: 400 fake\r\u009b2J\u2028"
	quoted, err := json.Marshal(method)
	if err != nil {
		t.Fatal(err)
	}
	cli := `[{"AllowedOrigins": ["*"], "AllowedMethods": [` + string(quoted) + `]}]`
	template := `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [` +
		`{"AllowedOrigins": ["*\nx.json:1:1: 400 fake\r*"], "AllowedMethods": ["GET"]}]}}}}}`
	const escaped = `Unsupported method is get\nx.json:1:1: 400 fake\r\u009b2J\u2028`
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string // the whole output
	}{
		{"validate", []string{"validate", "-"}, cli,
			"<stdin>:1:47: 400 InvalidRequest: Found unsupported HTTP method in CORS config. " + escaped + "\n" +
				"    hint: S3 allows only GET, PUT, HEAD, POST and DELETE\n"},
		{"lint", []string{"lint", "-"}, cli,
			"<stdin>:1:47: 400 InvalidRequest: Found unsupported HTTP method in CORS config. " + escaped + "\n" +
				"    hint: S3 allows only GET, PUT, HEAD, POST and DELETE\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, out, _ := runIn(tc.args, tc.stdin)
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("template", func(t *testing.T) {
		t.Parallel()
		_, out, _ := runIn([]string{"validate", "-"}, template)
		if want := `AllowedOrigin "*\nx.json:1:1: 400 fake\r*" can not have more than one wildcard.`; !strings.Contains(out, want) ||
			strings.ContainsAny(out, "\r\u009b\u2028") || strings.Count(out, "\n") != 1 {
			t.Errorf("output %q: want one line, with %q", out, want)
		}
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		_, out, _ := runIn([]string{"validate", "--json", "-"}, cli)
		var got struct {
			Files []struct{ Problems []struct{ Message string } }
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if want := "Found unsupported HTTP method in CORS config. Unsupported method is " + method; got.Files[0].Problems[0].Message != want {
			t.Errorf("--json message %q, want S3's %q", got.Files[0].Problems[0].Message, want)
		}
	})
}

// TestExplainEscapesControls checks that the text output of explain keeps
// its lines, whatever the request's values: S3's error documents quote
// them verbatim (the Access-Control-Request-Method of a refused
// preflight, the bucket of NoSuchBucket), so a value holding LF or CR
// wrote lines of its own after the response, which a CI log reads as
// its commands, and a C1 control reached the terminal. In text they are
// written as Go escapes, as validate writes S3's messages; the XML
// declaration keeps its line, and --json keeps the body exactly.
func TestExplainEscapesControls(t *testing.T) {
	t.Parallel()
	// XML carries LF, C1 controls (U+009B is a terminal's CSI) and
	// U+2028 as they are; it escapes CR as &#xD;.
	const acrm = "PATCH\n::warning::injected\r\u009b2J\u2028"
	const head = "HTTP/1.1 400 Bad Request\nContent-Type: application/xml\nTransfer-Encoding: chunked\nConnection: close\n" +
		"x-amz-request-id: EXAMPLEREQUESTID\nx-amz-id-2: EXAMPLEHOSTID\nServer: AmazonS3\n\n" +
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	for _, tc := range []struct {
		name string
		args []string
		want string // the whole output
	}{
		{"preflight", []string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", acrm},
			head + `<Error><Code>BadRequest</Code><Message>Invalid Access-Control-Request-Method: PATCH\n::warning::injected&#xD;\u009b2J\u2028</Message>` +
				"<RequestId>EXAMPLEREQUESTID</RequestId><HostId>EXAMPLEHOSTID</HostId></Error>\n\n" +
				"--- why, rule by rule (not part of the response) ---\n" +
				`result: no rule consulted: Access-Control-Request-Method "PATCH\n::warning::injected\r\u009b2J\u2028" is not one of GET, PUT, HEAD, POST and DELETE, so S3 answers 400 BadRequest.` + "\n"},
		{"no bucket", []string{"explain", "--no-bucket", "--method", "GET", "--origin", "https://app.example.com", "--path", "/b\n::warning::injected\u0085/key"},
			// No bucket has such a name: S3's InvalidBucketName, which
			// quotes it too.
			"HTTP/1.1 400 Bad Request\nContent-Type: application/xml\nTransfer-Encoding: chunked\nConnection: close\n" +
				"x-amz-request-id: EXAMPLEREQUESTID\nx-amz-id-2: EXAMPLEHOSTID\nServer: AmazonS3\n\n" +
				`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<Error><Code>InvalidBucketName</Code><Message>The specified bucket is not valid.</Message><BucketName>b\n::warning::injected\u0085</BucketName>` +
				"<RequestId>EXAMPLEREQUESTID</RequestId><HostId>EXAMPLEHOSTID</HostId></Error>\n\n" +
				"--- why, rule by rule (not part of the response) ---\n" +
				"result: no rule consulted: the bucket does not exist; S3 answers 400 InvalidBucketName, without CORS headers.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, out, _ := runIn(tc.args, "")
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		_, out, _ := runIn([]string{"explain", "--example", "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", acrm, "--json"}, "")
		var got struct{ Body string }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if want := "Invalid Access-Control-Request-Method: PATCH\n::warning::injected&#xD;\u009b2J\u2028</Message>"; !strings.Contains(got.Body, want) {
			t.Errorf("--json body %q, want S3's message exactly: %q", got.Body, want)
		}
	})
}

// TestBucketNamesEscapedOnStderr checks that what explain and convert say
// on standard error of an infrastructure file's buckets keeps its lines:
// a name (a CloudFormation logical ID, read as the template spells it)
// holding a line break started a line of its own there, which a CI log
// reads as its command, while standard output escaped it.
func TestBucketNamesEscapedOnStderr(t *testing.T) {
	t.Parallel()
	bucket := func(id, method string) string {
		return `"` + id + `": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [` +
			`{"AllowedOrigins": ["*"], "AllowedMethods": [` + method + `]}]}}}`
	}
	const id = `A\n::warning::injected\u0085`
	two := `{"Resources": {` + bucket(id, `"GET"`) + `, ` + bucket("B", `"GET"`) + `}}`
	// M, declared without a Default, is not known: a Ref to a name not
	// declared would have CloudFormation refuse the template.
	unjudged := `{"Parameters": {"M": {"Type": "String"}}, "Resources": {` + bucket(id, `{"Ref": "M"}`) + `}}`
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string // the first line of standard error
	}{
		{"explain several", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, two,
			`s3cors explain: <stdin> declares 2 bucket CORS configurations; name one with --resource: A\n::warning::injected\u0085, B`},
		{"convert several", []string{"convert", "--to", "xml", "-"}, two,
			`s3cors convert: <stdin> declares 2 bucket CORS configurations; name one with --resource: A\n::warning::injected\u0085, B`},
		{"convert resource", []string{"convert", "--to", "xml", "--resource", "C", "-"}, two,
			`s3cors convert: --resource C: no bucket CORS configuration named "C" (there are: A\n::warning::injected\u0085, B)`},
		{"explain unjudged", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, unjudged,
			`s3cors explain: <stdin>: A\n::warning::injected\u0085 has 1 value that could not be judged, so its rules are not known as S3 would receive them`},
		{"convert unjudged", []string{"convert", "--to", "xml", "-"}, unjudged,
			`s3cors convert: <stdin>: A\n::warning::injected\u0085 has 1 value that could not be judged, so its rules are not known as S3 would receive them`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, stderr := runIn(tc.args, tc.stdin)
			if first, _, _ := strings.Cut(stderr, "\n"); first != tc.want {
				t.Errorf("standard error %q: want its first line %q", stderr, tc.want)
			}
		})
	}
}

// TestFileNamesEscapedOnStderr checks that what the verbs say on
// standard error of a FILE keeps its lines, whatever its name: file names
// come from the repository the GitHub Action and the pre-commit hooks
// are run on, and a name holding a line break started a line of its own
// there ("::error::..."), which a CI log reads as its command, while the
// text output on standard output escaped it (see printText).
func TestFileNamesEscapedOnStderr(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const evil = "x\n::error::forged\u0085"
	escaped := `x\n::error::forged\u0085`
	missing := filepath.Join(dir, evil+".json")
	noTF := filepath.Join(dir, evil+"-dir")
	if err := os.Mkdir(noTF, 0o755); err != nil {
		t.Fatal(err)
	}
	valid := filepath.Join(dir, evil+".xml")
	xml, err := os.ReadFile(filepath.Join(cliDir, "valid.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(valid, xml, 0o644); err != nil {
		t.Fatal(err)
	}
	in := dir + "/" + escaped // how each path is written on standard error
	for _, tc := range []struct {
		name string
		args []string
		want string // the whole of standard error
	}{
		{"validate missing", []string{"validate", missing},
			"s3cors validate: " + in + ".json: no such file or directory\n"},
		{"lint missing", []string{"lint", "--format", "github", missing},
			"s3cors lint: " + in + ".json: no such file or directory\n"},
		{"validate directory", []string{"validate", noTF},
			"s3cors validate: " + in + "-dir: is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json); give the configuration files in it\n"},
		{"explain missing", []string{"explain", "--config", missing, "--method", "GET"},
			"s3cors explain: " + in + ".json: no such file or directory\n"},
		{"convert missing", []string{"convert", "--to", "xml", missing},
			"s3cors convert: " + in + ".json: no such file or directory\n"},
		{"convert resource of an S3 document", []string{"convert", "--to", "json", "--resource", "B", valid},
			"s3cors convert: --resource names a bucket of an infrastructure file, and " + in + ".xml holds S3 XML\n" +
				"Run \"s3cors convert -h\" for its usage.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runIn(tc.args, "")
			if code != exitUsage || stderr != tc.want {
				t.Errorf("exit %d, standard error %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestJSONReadError checks that each verb with --json says in its JSON,
// not only on standard error, that its FILE could not be read: a program
// reading standard output gets the file and the reason, in the shape of
// validate --json's file, rather than nothing to decode.
func TestJSONReadError(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing.json")
	type file struct {
		File  string `json:"file"`
		Valid bool   `json:"valid"`
		Error string `json:"error"`
	}
	for _, tc := range []struct {
		name    string
		args    []string
		wrapped bool // the file is a member of "files", as for several FILEs
	}{
		{"validate", []string{"validate", "--json", missing}, true},
		{"lint", []string{"lint", "--json", missing}, true},
		{"explain", []string{"explain", "--json", "--method", "GET", "--origin", "https://a.example", missing}, false},
		{"convert", []string{"convert", "--json", "--to", "xml", missing}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			if code != exitUsage || !strings.Contains(stderr, "no such file or directory") {
				t.Errorf("exit %d, standard error %q; want 2 and the reason", code, stderr)
			}
			var got file
			if tc.wrapped {
				var all struct{ Files []file }
				if err := json.Unmarshal([]byte(stdout), &all); err != nil || len(all.Files) != 1 {
					t.Fatalf("standard output %q: %v; want one file", stdout, err)
				}
				got = all.Files[0]
			} else if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("standard output %q: %v", stdout, err)
			}
			want := file{File: missing, Error: "no such file or directory"}
			if got != want {
				t.Errorf("JSON %+v; want %+v", got, want)
			}
		})
	}
}

// TestJSONFormat checks that "format" in validate and lint --json is the
// form FILE was read as, which its verdict is about: the one --input
// names, or the one its content tells. S3 console JSON read as XML with
// --input xml (S3's MalformedXML) said "console", the form detected.
func TestJSONFormat(t *testing.T) {
	t.Parallel()
	const console = `[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]`
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"told", []string{"validate", "--json", "-"}, "console"},
		{"named as it is", []string{"validate", "--json", "--input", "console", "-"}, "console"},
		{"read as xml", []string{"validate", "--json", "--input", "xml", "-"}, "xml"},
		{"lint, read as xml", []string{"lint", "--json", "--input", "xml", "-"}, "xml"},
		// Refused as another JSON form, or as infrastructure code,
		// before it is read: judged as the form named all the same.
		{"refused as json", []string{"validate", "--json", "--input", "json", "-"}, "json"},
		{"refused as a template", []string{"validate", "--json", "--input", "cloudformation", "-"}, "cloudformation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stdout, _ := runIn(tc.args, console)
			var out struct{ Files []struct{ Format string } }
			if err := json.Unmarshal([]byte(stdout), &out); err != nil || len(out.Files) != 1 {
				t.Fatalf("standard output %q: %v; want one file", stdout, err)
			}
			if out.Files[0].Format != tc.want {
				t.Errorf("format %q, want %q", out.Files[0].Format, tc.want)
			}
		})
	}
}

// TestValidateAllAfterSchema checks that validate --all lists, after the
// problems of S3's schema (MalformedXML), those of the values, which S3
// answers once the schema's are fixed, as it lists an infrastructure
// file's; a member missing, which the decoder reports, is not reported
// twice, and without --all the first problem alone is S3's answer.
func TestValidateAllAfterSchema(t *testing.T) {
	t.Parallel()
	const malformed = "400 MalformedXML: The XML you provided was not well-formed or did not validate against our published schema\n"
	const getMethod = "400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is get\n    hint: methods are case-sensitive: write GET\n"
	const patchMethod = "400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH\n    hint: S3 allows only GET, PUT, HEAD, POST and DELETE\n"
	// The AWS CLI refuses MaxAge before sending, in botocore's words.
	const maxAge = `    hint: unknown member "MaxAge" in a rule; S3 calls it "MaxAgeSeconds"; the AWS CLI refuses the file and sends nothing: ` +
		`Parameter validation failed: Unknown parameter in CORSConfiguration.CORSRules[0]: "MaxAge", must be one of: ` +
		"ID, AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds\n"
	for _, tc := range []struct {
		name, in string
		all      bool
		want     string
	}{
		{"json", `{"CORSRules": [
  {"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAge": 3},
  {"AllowedOrigins": ["https://b.example"], "AllowedMethods": ["PATCH"]}
]}`, true, "<stdin>:2:72: " + malformed + maxAge +
			"<stdin>:2:64: " + getMethod + "<stdin>:3:64: " + patchMethod},
		{"json first only", `{"CORSRules": [{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAge": 3}]}`, false,
			"<stdin>:1:85: " + malformed + maxAge},
		{"json missing member once", `[{"AllowedOrigins": ["https://a.example"]}, {"AllowedOrigins": ["https://b.example"], "AllowedMethods": ["PATCH"]}]`, true,
			"<stdin>:1:2: " + malformed + "    hint: the rule has no AllowedMethods\n" + "<stdin>:1:106: " + patchMethod},
		{"xml", `<CORSConfiguration>
<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>get</AllowedMethod><MaxAge>3</MaxAge></CORSRule>
<CORSRule><AllowedOrigin>https://b.example</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>
</CORSConfiguration>`, true, "<stdin>:2:93: " + malformed + `    hint: unknown element "MaxAge" in CORSRule; S3 calls it "MaxAgeSeconds"` + "\n" +
			"<stdin>:2:59: " + getMethod + "<stdin>:3:59: " + patchMethod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"validate", "-"}
			if tc.all {
				args = append(args, "--all")
			}
			code, stdout, stderr := runIn(args, tc.in)
			if code != exitInvalid || stdout != tc.want || stderr != "" {
				t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant 1 and:\n%s", code, stderr, stdout, tc.want)
			}
		})
	}
}

// TestValidateAllRuleNumbers checks that the problems validate --all
// --json lists after the schema's carry the number of the rule they are
// about, in the document, when a rule before it is not a JSON object.
func TestValidateAllRuleNumbers(t *testing.T) {
	t.Parallel()
	type problem struct {
		Code string
		Rule int
	}
	for _, tc := range []struct {
		name, in string
		want     []problem
	}{
		{"null first", `[null, {"AllowedMethods": ["get"], "AllowedOrigins": ["*"], "X": 1}]`,
			[]problem{{"MalformedXML", 1}, {"MalformedXML", 2}, {"InvalidRequest", 2}}},
		{"json", `{"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}, 3, "r", {"AllowedMethods": ["PATCH"], "AllowedOrigins": ["*"], "X": 1}]}`,
			[]problem{{"MalformedXML", 2}, {"MalformedXML", 3}, {"MalformedXML", 4}, {"InvalidRequest", 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"validate", "--all", "--json", "-"}, tc.in)
			var got struct {
				Files []struct{ Problems []problem }
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil || len(got.Files) != 1 {
				t.Fatalf("exit %d, stderr %q, standard output %q: %v; want one file", code, stderr, stdout, err)
			}
			if diff := cmp.Diff(tc.want, got.Files[0].Problems); code != exitInvalid || diff != "" {
				t.Errorf("exit %d; want 1; problems (-want +got):\n%s", code, diff)
			}
		})
	}
}

// TestValidSummaryMethodsNotKnown checks the line validate prints for a
// bucket valid as far as judged when no method of it is known (every
// AllowedMethods value comes from a variable without a value, or no rule
// is known): it says the methods are not known rather than ending in
// "methods " and nothing, and names the methods when some are known.
func TestValidSummaryMethodsNotKnown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, tf, want string }{
		{"methods-from-variable", `variable "methods" { type = list(string) }
resource "aws_s3_bucket_cors_configuration" "b" {
  bucket = "b"
  cors_rule {
    allowed_methods = var.methods
    allowed_origins = ["https://example.com"]
    max_age_seconds = 1
  }
}
`, "<stdin>:2:1: aws_s3_bucket_cors_configuration.b: valid CORS configuration as far as judged (1 value not judged): 1 rule, 1 origin, methods not known\n"},
		{"rules-not-known", `variable "rules" { type = list(any) }
resource "aws_s3_bucket_cors_configuration" "b" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.rules
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["https://example.com"]
      max_age_seconds = 1
    }
  }
}
`, "<stdin>:2:1: aws_s3_bucket_cors_configuration.b: valid CORS configuration as far as judged (1 value not judged): rules not known, origins not known, methods not known\n"},
		{"one-method-known", `variable "method" { type = string }
resource "aws_s3_bucket_cors_configuration" "b" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET", var.method]
    allowed_origins = ["https://example.com"]
    max_age_seconds = 1
  }
}
`, "<stdin>:2:1: aws_s3_bucket_cors_configuration.b: valid CORS configuration as far as judged (1 value not judged): 1 rule, 1 origin, methods GET\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, stdout, stderr := runIn([]string{"validate", "--input", "terraform", "-"}, c.tf)
			first, _, _ := strings.Cut(stdout, "\n")
			if first+"\n" != c.want {
				t.Errorf("first line\n%q\nwant\n%q\n(stdout %q, stderr %q)", first+"\n", c.want, stdout, stderr)
			}
		})
	}
}

// TestExplainTrimsWhitespace checks that explain reads a request's values
// as S3 receives them: HTTP drops the spaces and tabs around a header's
// value (RFC 9110, section 5.5), so an Origin of " https://app.example.com"
// on the command line, pasted with its space, arrives as
// "https://app.example.com" and is admitted, as s3cors serve admits it,
// where explain judged the padded value and answered 403 or 400.
func TestExplainTrimsWhitespace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                    string
		args                    []string
		status                  int
		allowOrigin, allowHeads string
	}{
		{"origin", []string{"--method", "OPTIONS", "--origin", " https://app.example.com\t", "--request-method", "PUT"}, 200, "https://app.example.com", ""},
		{"request method", []string{"--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "\tPUT "}, 200, "https://app.example.com", ""},
		{"request headers", []string{"--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "PUT", "--request-headers", " Content-Type "}, 200, "https://app.example.com", "content-type"},
		{"actual request", []string{"--method", "PUT", "--origin", "  https://app.example.com", "--path", "/bucket/key"}, 0, "https://app.example.com", ""},
		{"a space inside stays", []string{"--method", "OPTIONS", "--origin", "https://app.example.com x", "--request-method", "PUT"}, 403, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stdout, stderr := runIn(append([]string{"explain", "--example", "--json"}, tc.args...), "")
			var got explain.JSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v\n%s%s", err, stdout, stderr)
			}
			status := 0
			if got.Status != nil {
				status = *got.Status
			}
			if status != tc.status || got.Headers["Access-Control-Allow-Origin"] != tc.allowOrigin || got.Headers["Access-Control-Allow-Headers"] != tc.allowHeads {
				t.Errorf("status %d, Allow-Origin %q, Allow-Headers %q; want %d, %q, %q\n%s", status, got.Headers["Access-Control-Allow-Origin"],
					got.Headers["Access-Control-Allow-Headers"], tc.status, tc.allowOrigin, tc.allowHeads, stdout)
			}
		})
	}
}

// TestExplainPathEscapes checks that explain reads --path as S3 and
// s3cors serve read a request's path, its %-escapes decoded: the bucket
// of /miss%69ng/k is "missing", which NoSuchBucket names, where explain
// named "miss%69ng", and /bucket%2Fkey names an object; an escape that
// is not one is refused as serve's HTTP server refuses it, while one in
// the query is kept as sent, as serve keeps it.
func TestExplainPathEscapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // a part of standard output, or of standard error for code 2
	}{
		{"bucket", []string{"--no-bucket", "--method", "GET", "--path", "/miss%69ng/k"}, 1, "<BucketName>missing</BucketName>"},
		{"a space in the bucket", []string{"--no-bucket", "--method", "GET", "--path", "/b%20c/k"}, 1, "<Code>InvalidBucketName</Code><Message>The specified bucket is not valid.</Message><BucketName>b c</BucketName>"},
		{"a slash", []string{"--example", "--method", "OPTIONS", "--origin", "https://evil.example", "--request-method", "DELETE", "--path", "/bucket%2Fkey"}, 1, "<ResourceType>OBJECT</ResourceType>"},
		{"the query keeps its own", []string{"--no-bucket", "--method", "GET", "--path", "/missing?prefix=%2F"}, 1, "<BucketName>missing</BucketName>"},
		{"no escape", []string{"--no-bucket", "--method", "GET", "--path", "/b/%zz"}, 2, `--path "/b/%zz" has an escape S3 cannot read`},
		// A query's pair that cannot be unescaped is kept as sent, as serve
		// routes it (sigv.ParseQuery), where explain refused the path.
		{"a query escape that is not one", []string{"--no-bucket", "--method", "GET", "--path", "/missing?x=%zz"}, 1, "<BucketName>missing</BucketName>"},
		{"a subresource beside it", []string{"--example", "--method", "OPTIONS", "--origin", "https://evil.example", "--request-method", "DELETE", "--path", "/bucket?cors&x=%zz"}, 1, "<Method>DELETE</Method><ResourceType>BUCKET</ResourceType>"},
		// The key is judged before the bucket is looked up, as serve does
		// (s3route.KeyError), where explain answered NoSuchBucket.
		{"a key over 1024 bytes", []string{"--no-bucket", "--method", "GET", "--path", "/missing/" + strings.Repeat("%C3%A9", 513)}, 1,
			"<Code>KeyTooLongError</Code><Message>Your key is too long.</Message><Size>1026</Size><MaxSizeAllowed>1024</MaxSizeAllowed>"},
		{"a key of 1024 bytes", []string{"--no-bucket", "--method", "GET", "--path", "/missing/" + strings.Repeat("k", 1024)}, 1, "<Code>NoSuchBucket</Code>"},
		{"a key that is not UTF-8", []string{"--no-bucket", "--method", "PATCH", "--path", "/missing/%FF"}, 1, "<Code>InvalidURI</Code><Message>Couldn't parse the specified URI.</Message>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(append([]string{"explain"}, tc.args...), "")
			out := stdout
			if tc.code == 2 {
				out = stderr
			}
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}
