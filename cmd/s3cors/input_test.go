package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkipUnrelated checks which files --skip-unrelated passes over: a
// file that is neither infrastructure code nor may be a CORS
// configuration in one of S3's forms. A file that mentions CORS rules but
// does not start as S3's forms start ('<', '{' or '[', after white space
// and a byte order mark) is none of them: S3 itself would refuse it as
// "neither XML nor JSON".
func TestSkipUnrelated(t *testing.T) {
	t.Parallel()
	const rule = `{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}`
	for _, tc := range []struct {
		name, data string
		skip       bool
	}{
		{"package.json", `{"name":"app","version":"1.0.0"}`, true},
		{"ci.yml", "name: ci\non: [push]\n", true},
		// A workflow that quotes a configuration in a command line.
		{"deploy.yml", "name: deploy\njobs:\n  d:\n    steps:\n      - run: aws s3api put-bucket-cors --bucket b --cors-configuration '{\"CORSRules\":[" + rule + "]}'\n", true},
		// The Serverless Framework's serverless.yml holds CloudFormation
		// under resources.Resources: infrastructure code, and read.
		{"serverless.yml", "service: app\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n" +
			"      Properties:\n        CorsConfiguration:\n          CorsRules:\n            - AllowedOrigins: ['*']\n              AllowedMethods: [GET]\n", false},
		{"notes.md", "Our bucket's CORSRule allows every origin.\n", true},
		{"empty.json", "", true},

		{"cors.json", `{"CORSRules":[` + rule + `]}`, false},
		{"bad.json", `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["get"]}]}`, false},
		{"console.json", "[" + rule + "]", false},
		{"cors.xml", "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", false},
		{"indented.json", " \t\r\n{\"CORSRules\":[" + rule + "]}", false},
		// S3 refuses a byte order mark, and the tool says why: judged.
		{"bom.json", "\uFEFF{\"CORSRules\":[" + rule + "]}", false},
		{"misspelt.json", `{"CORSRules":[{"AllowedOrigin":["*"]}]}`, false},
		{"template.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", false},
		// Kubernetes manifests are read when they name ACK's or
		// Crossplane's S3 API group, and otherwise skipped: a Deployment,
		// a Helm chart's template (not YAML until rendered).
		{"bucket.yaml", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\n", false},
		{"cors.yaml", "apiVersion: s3.aws.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata: {name: b}\n", false},
		{"old.yaml", "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata: {name: b}\n", false},
		{"deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", true},
		{"helm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n", true},
		// A configuration saved in UTF-16 (Windows PowerShell 5.1's
		// "aws s3api get-bucket-cors > cors.json") or UTF-32 is judged,
		// so that the tool says how to save it; any other such file is
		// skipped.
		{"utf16le.json", wide(`{"CORSRules":[`+rule+`]}`, 2, false, "\xff\xfe"), false},
		{"utf16be.xml", wide("<CORSConfiguration><CORSRule/></CORSConfiguration>", 2, true, "\xfe\xff"), false},
		{"utf16-no-mark.json", wide(`{"CORSRules":[`+rule+`]}`, 2, false, ""), false},
		{"utf32le.json", wide(`{"CORSRules":[`+rule+`]}`, 4, false, "\xff\xfe\x00\x00"), false},
		{"utf16-unrelated.json", wide(`{"name":"app"}`, 2, false, "\xff\xfe"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			l := load(fileSource(path, nil), loadOptions{skipUnrelated: true})
			if l.skipped != tc.skip {
				t.Errorf("skipped = %v, want %v (problems %v, error %v)", l.skipped, tc.skip, l.problems, l.err)
			}
		})
	}
}

// TestOpenTofuFiles checks that OpenTofu's files are taken as iac reads
// them: .tofu files as .tf files, alone or in a directory, and its JSON
// syntax (.tofu.json) as Terraform's (.tf.json), which --skip-unrelated
// does not skip: it is infrastructure code.
func TestOpenTofuFiles(t *testing.T) {
	t.Parallel()
	const hcl = `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = ["*"]
    allowed_methods = ["get"]
  }
}
`
	const json = `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "b",
  "cors_rule": {"allowed_origins": ["*"], "allowed_methods": ["get"]}}}}}`
	for _, tc := range []struct {
		name  string
		files map[string]string // the directory's files
		arg   string            // the path given, in the directory; "" for the directory
		skip  bool              // --skip-unrelated skips it
		err   string            // the error without --skip-unrelated; "" when the bucket is judged
	}{
		{name: "tofu file", files: map[string]string{"main.tofu": hcl}, arg: "main.tofu"},
		{name: "tofu module", files: map[string]string{"main.tofu": hcl}},
		{name: "tofu and tf module", files: map[string]string{"main.tofu": hcl, "variables.tf": `variable "x" {}`}},
		{name: "tofu.json file", files: map[string]string{"main.tofu.json": json}, arg: "main.tofu.json"},
		{name: "tofu.json module", files: map[string]string{"main.tofu.json": json}},
		{name: "tf.json beside tofu.json module", files: map[string]string{"main.tofu.json": json, "main.tf.json": json}},
		{name: "tf.json file", files: map[string]string{"main.tf.json": json}, arg: "main.tf.json"},
		{name: "tf.json module", files: map[string]string{"main.tf.json": json}},
		{name: "tf.json and tf module", files: map[string]string{"cdk.tf.json": json, "variables.tf": `variable "x" {}`}},
		{name: "empty module", files: map[string]string{"README.md": "# infra\n"},
			err: "is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json); give the configuration files in it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, tc.arg)
			l := load(fileSource(path, nil), loadOptions{})
			switch {
			case tc.err != "":
				if l.err == nil || l.err.Error() != tc.err {
					t.Errorf("error %v, want %q", l.err, tc.err)
				}
			case l.err != nil || l.parseErr != nil:
				t.Fatalf("error %v, %v", l.err, l.parseErr)
			case len(l.verdicts) != 1 || l.verdicts[0].Valid():
				t.Errorf("%d verdicts, want one that refuses the method get", len(l.verdicts))
			}
			if l := load(fileSource(path, nil), loadOptions{skipUnrelated: true}); l.skipped != tc.skip {
				t.Errorf("with --skip-unrelated, skipped = %v, want %v", l.skipped, tc.skip)
			}
		})
	}
}

// wide returns s, ASCII, in UTF-16 (width 2) or UTF-32 (width 4), big
// endian or little, after mark.
func wide(s string, width int, bigEndian bool, mark string) string {
	b := []byte(mark)
	for i := range len(s) {
		unit := make([]byte, width)
		if bigEndian {
			unit[width-1] = s[i]
		} else {
			unit[0] = s[i]
		}
		b = append(b, unit...)
	}
	return string(b)
}

// TestDirectoryNamesServiceFile: a directory without Terraform files that
// holds a Serverless Framework service or a SAM template under the name
// its tool reads by default is refused with that file named (from a
// Serverless service of a public repository, given as its directory),
// where the message only asked for "the configuration files in it".
func TestDirectoryNamesServiceFile(t *testing.T) {
	t.Parallel()
	const want = "is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json); give the configuration files in it"
	for _, tc := range []struct {
		name  string
		files []string
		named string // the file the message names; "" for none
	}{
		{"serverless.yml", []string{"serverless.yml", "resources/s3-bucket.yml"}, "serverless.yml"},
		{"serverless.json", []string{"serverless.json"}, "serverless.json"},
		{"SAM template", []string{"template.yaml", "README.md"}, "template.yaml"},
		{"service and template", []string{"template.yaml", "serverless.yml"}, "serverless.yml"},
		{"other files", []string{"README.md", "cors.json"}, ""},
		{"a directory named so", []string{"serverless.yml/x"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, name := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("service: s\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			l := load(fileSource(dir, nil), loadOptions{})
			w := want
			if tc.named != "" {
				w += ", such as " + filepath.Join(dir, tc.named)
			}
			if l.err == nil || l.err.Error() != w {
				t.Errorf("error %v, want %q", l.err, w)
			}
		})
	}
}

// TestNoBucketNotes: explain and convert refuse a file that declares no
// bucket CORS configuration as read, and print after the refusal the
// notes that say why, where they printed the refusal alone (a module of a
// public repository guards its CORS resource with count =
// length(var.cors_origins) > 0 ? 1 : 0, the default []).
func TestNoBucketNotes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("main.tf", `variable "cors_origins" {
  type    = set(string)
  default = []
}
resource "aws_s3_bucket_cors_configuration" "c" {
  count  = length(var.cors_origins) > 0 ? 1 : 0
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.cors_origins
  }
}
`)
	writeFile("empty.tf", "")
	note := filepath.Join(dir, "main.tf") + ":6:12: note: aws_s3_bucket_cors_configuration.c: its count is 0 with the values read"
	for _, tc := range []struct {
		name string
		args []string
		want []string // the lines of standard error, each a prefix
	}{
		{"explain", []string{"explain", "--method", "GET", "--origin", "https://a.example", dir},
			[]string{"s3cors explain: " + dir + " declares no bucket CORS configuration", `Run "s3cors explain -h"`, note}},
		{"convert", []string{"convert", "--to", "xml", dir},
			[]string{"s3cors convert: " + dir + " declares no bucket CORS configuration", `Run "s3cors convert -h"`, note}},
		{"no notes", []string{"convert", "--to", "xml", filepath.Join(dir, "empty.tf")},
			[]string{"s3cors convert: " + filepath.Join(dir, "empty.tf") + " declares no bucket CORS configuration", `Run "s3cors convert -h"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runIn(tc.args, "")
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			ok := code == exitUsage && len(lines) == len(tc.want)
			for i := range min(len(lines), len(tc.want)) {
				ok = ok && strings.HasPrefix(lines[i], tc.want[i])
			}
			if !ok {
				t.Errorf("exit %d, standard error\n%s\nwant %d and lines starting\n%s", code, stderr, exitUsage, strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestNotFoundHints checks that a FILE that does not exist, written as
// the AWS CLI's put-bucket-cors --cors-configuration takes a
// configuration (a file:// path, or the JSON itself), is refused with
// what to write instead, by every verb that reads one; any other
// missing FILE is refused in plain words.
func TestNotFoundHints(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "cors.json")
	const noFile = "no such file or directory"
	const noPrefix = ": FILE is a path, without the AWS CLI's file:// prefix: write "
	const inline = `: FILE is a path; a configuration itself is read from standard input (FILE "-")`
	const config = `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]}`
	for _, tc := range []struct {
		args []string
		want string // standard error's first line
	}{
		{[]string{"validate", "file://" + missing}, "s3cors validate: file://" + missing + ": " + noFile + noPrefix + missing},
		{[]string{"lint", "file://cors.json"}, "s3cors lint: file://cors.json: " + noFile + noPrefix + "cors.json"},
		{[]string{"explain", "--config", "file://cors.json", "--method", "GET"}, "s3cors explain: file://cors.json: " + noFile + noPrefix + "cors.json"},
		{[]string{"convert", "--to", "xml", "file://cors.json"}, "s3cors convert: file://cors.json: " + noFile + noPrefix + "cors.json"},
		{[]string{"serve", "--bucket", "abc=file://cors.json"}, "s3cors serve: --bucket abc=file://cors.json: cannot read file://cors.json: " + noFile + noPrefix + "cors.json"},
		{[]string{"validate", config}, "s3cors validate: " + config + ": " + noFile + inline},
		{[]string{"validate", " [{}]"}, "s3cors validate:  [{}]: " + noFile + inline},
		{[]string{"validate", "<CORSConfiguration/>"}, "s3cors validate: <CORSConfiguration/>: " + noFile + inline},
		{[]string{"validate", missing}, "s3cors validate: " + missing + ": " + noFile},
		{[]string{"validate", "file://"}, "s3cors validate: file://: " + noFile},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runIn(tc.args, "")
			if first, _, _ := strings.Cut(stderr, "\n"); code != exitUsage || first != tc.want {
				t.Errorf("exit %d, stderr %q; want 2 and first line %q", code, stderr, tc.want)
			}
		})
	}
}

// TestAWSCLIOutput checks what validate says of the AWS CLI's output of
// get-bucket-cors in a format other than JSON, piped in as the README
// pipes it or saved to a file: S3's verdict stays MalformedXML, and the
// hint says what the input is and to ask for --output json, where it
// said the input was neither XML nor JSON. The text and table outputs
// are those AWS CLI 1.45.11 printed for a rule with an ID and
// MaxAgeSeconds and for one without (whose text output starts with a
// list's row); the YAML, which only AWS CLI v2 prints, is written as
// its documentation shows it.
func TestAWSCLIOutput(t *testing.T) {
	t.Parallel()
	const hint = " output of get-bucket-cors, not a configuration: run it with --output json, which prints the AWS CLI JSON form"
	for _, tc := range []struct {
		name, data, format string // format "": not the AWS CLI's output
	}{
		{"text", "CORSRULES\tbrowser-uploads\t3000\nALLOWEDHEADERS\tcontent-type\nALLOWEDMETHODS\tGET\nALLOWEDORIGINS\thttps://app.example.com\n", "text"},
		{"text without ID", "ALLOWEDMETHODS\tGET\nALLOWEDORIGINS\thttps://app.example.com\n", "text"},
		{"table", "---------------------------------\n|         GetBucketCors         |\n+-------------------------------+\n||          CORSRules          ||\n|||      AllowedMethods       |||\n||+---------------------------+||\n|||  GET                      |||\n||+---------------------------+||\n", "table"},
		{"yaml", "CORSRules:\n- AllowedMethods:\n  - GET\n  AllowedOrigins:\n  - https://app.example.com\n", "YAML"},
		{"yaml-stream", "- CORSRules:\n  - AllowedMethods:\n    - GET\n", "YAML"},
		{"other text", "ALLOWEDMETHODS GET\n", ""},
		{"other table", "---\n| GetBucketPolicy |\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"validate", "-"}, tc.data)
			want := "neither XML"
			if tc.format != "" {
				want = "hint: the AWS CLI's " + tc.format + hint + "\n"
			}
			if code != exitInvalid || !strings.Contains(stdout, "400 MalformedXML") || !strings.Contains(stdout, want) || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and MalformedXML with %q", code, stdout, stderr, want)
			}
		})
	}
	t.Run("YAML file", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "cors.yaml")
		if err := os.WriteFile(path, []byte("CORSRules:\n- AllowedMethods:\n  - GET\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runIn([]string{"validate", path}, "")
		if want := "s3cors validate: " + path + ": is the AWS CLI's YAML" + hint + "\n"; code != exitUsage || stderr != want {
			t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
		}
	})
}
