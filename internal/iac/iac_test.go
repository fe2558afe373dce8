package iac_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/internal/lint"
)

// TestDetectPulumiMain: the program of a Pulumi project whose main names
// a directory is its Main.yaml (or .yml, .json), without a runtime,
// which DetectFile tells by its name when it has resources.
func TestDetectPulumiMain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path, data string
		want       iac.Kind
	}{
		{"infra/Main.yaml", "resources:\n  b: {type: aws:s3:Bucket}\n", iac.Pulumi},
		{"Main.yml", "\uFEFFvariables: {}\nresources: {}\n", iac.Pulumi},
		{"infra/Main.json", `{"resources": {"b": {"type": "aws:s3:Bucket"}}}`, iac.Pulumi},
		{"infra/Main.json", `{"variables": {}}`, 0},
		{"infra/main.yaml", "resources:\n  b: {type: aws:s3:Bucket}\n", 0},
		{"infra/other.yaml", "resources:\n  b: {type: aws:s3:Bucket}\n", 0},
		// What Detect tells stays told.
		{"Main.yaml", "apiVersion: v1\nkind: List\nresources: []\n", iac.Kubernetes},
	} {
		t.Run(tc.path+" "+tc.data, func(t *testing.T) {
			t.Parallel()
			if got := iac.DetectFile(tc.path, []byte(tc.data)); got != tc.want {
				t.Errorf("DetectFile = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data string
		want iac.Kind
	}{
		{"AWSTemplateFormatVersion: 2010-09-09\n", iac.CloudFormation},
		{"# comment\nResources:\n  B: {Type: AWS::S3::Bucket}\n", iac.CloudFormation},
		{`{"Resources": {}}`, iac.CloudFormation},
		{"\uFEFF {\"AWSTemplateFormatVersion\": \"2010-09-09\"}", iac.CloudFormation},
		// A byte order mark, as Windows editors write, before the
		// first line that tells.
		{"\uFEFFResources:\n  B: {Type: AWS::S3::Bucket}\n", iac.CloudFormation},
		{"\uFEFFAWSTemplateFormatVersion: 2010-09-09\n", iac.CloudFormation},
		{"\uFEFFresource \"aws_s3_bucket\" \"b\" {}\n", iac.Terraform},
		{`{"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {}}`, iac.TerraformPlan},
		// A state file as terraform apply 1.11.4 writes it, which the
		// plan reader refuses, saying to give terraform show -json's.
		{`{"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "6c925c22-227a-f171-7582-e895b44c9702", "outputs": {}, "resources": []}`, iac.TerraformPlan},
		{`{"name": "app", "version": "1.0.0"}`, 0},
		{"resource \"aws_s3_bucket\" \"b\" {}\n", iac.Terraform},
		{"  module \"m\" {\n  source = \"./m\"\n}\n", iac.Terraform},
		// A stack's template in a heredoc, after the block that holds it.
		{"resource \"aws_cloudformation_stack\" \"s\" {\n  template_body = <<T\nResources:\n  B: {Type: AWS::S3::Bucket}\nT\n}\n", iac.Terraform},
		{"Resources:\n  B: {Type: AWS::S3::Bucket}\nresource \"x\" {\n", iac.CloudFormation},
		// Terraform's JSON syntax (cdktf's cdk.tf.json on standard
		// input): a resource or a module call, and only the top-level
		// members Terraform knows.
		{`{"//": {"metadata": {}}, "provider": {"aws": [{}]}, "resource": {"aws_s3_bucket": {"b": {}}}, "terraform": {}}`, iac.Terraform},
		{`{"module": {"site": {"source": "./site"}}}`, iac.Terraform},
		// Kubernetes manifests: apiVersion and kind at the top level of
		// a document, the first of the patterns met telling (a
		// kubernetes_manifest's YAML in a heredoc is Terraform's).
		{"apiVersion: apps/v1\nkind: Deployment\n", iac.Kubernetes},
		{"# x\n---\nkind: Bucket\napiVersion: s3.services.k8s.aws/v1alpha1\n", iac.Kubernetes},
		{`{"apiVersion": "v1", "kind": "List", "items": []}`, iac.Kubernetes},
		{"apiVersion: v1\nmetadata: {}\n", 0},
		{"spec:\n  apiVersion: v1\n  kind: x\n", 0},
		{"resource \"kubernetes_manifest\" \"b\" {\n  manifest = yamldecode(<<EOF\napiVersion: v1\nkind: ConfigMap\nEOF\n  )\n}\n", iac.Terraform},
		// Terragrunt's blocks, at the start of a line, which the
		// Terraform reader refuses; indented, they are another file's
		// text, such as an nginx configuration in YAML (review5).
		{"include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n", iac.Terraform},
		{"remote_state {\n  backend = \"s3\"\n}\n", iac.Terraform},
		{"- hosts: web\n  tasks:\n    - copy:\n        content: |\n          include \"mime.types\";\n        dest: /etc/nginx/nginx.conf\n", 0},
		{"kind: ConfigMap\napiVersion: v1\ndata:\n  nginx.conf: |\n    generate \"x\" {\n", iac.Kubernetes},
		// A Pulumi YAML program: runtime and resources at the top
		// level, whatever comes first; a Kubernetes resource inside it
		// is indented.
		{"name: p\nruntime: yaml\nresources:\n  b: {type: aws:s3:Bucket}\n", iac.Pulumi},
		{"resources:\n  m:\n    type: kubernetes:yaml:ConfigFile\napiVersion: v1\nkind: x\nruntime: yaml\n", iac.Pulumi},
		// Pulumi.json, which Pulumi reads as Pulumi.yaml.
		{`{"name": "p", "runtime": "yaml", "resources": {"b": {"type": "aws:s3:Bucket"}}}`, iac.Pulumi},
		// A program's Main.yaml has no runtime: DetectFile tells it
		// by its name (TestDetectPulumiMain).
		{"resources:\n  b: {type: aws:s3:Bucket}\n", 0},
		{"name: p\nruntime: nodejs\n", 0},
		{"service: s\nprovider: aws\nresources:\n  Resources: {}\nruntime: x\n", iac.Serverless},
		// Lines that end in "\r" alone (classic Mac OS) or in a mix:
		// the lines after the first tell too.
		{"# x\rResources:\r  B: {Type: AWS::S3::Bucket}\r", iac.CloudFormation},
		{"# x\r---\rapiVersion: v1\r\nkind: ConfigMap\r", iac.Kubernetes},
		{"name: p\rruntime: yaml\nresources:\r  b: {type: aws:s3:Bucket}\r", iac.Pulumi},
		{"# s\rservice: s\r\nprovider: aws\r", iac.Serverless},
		{"# t\r\rresource \"aws_s3_bucket\" \"b\" {}\r", iac.Terraform},
		{"# x\r\n  apiVersion: v1\r\n  kind: x\r\n", 0},
		{`{"variable": {"x": {}}}`, 0},
		{`{"resource": {}, "CORSRules": []}`, 0},
		{`{"CORSRules": [{"AllowedOrigins": ["*"]}]}`, 0},
		{`[{"AllowedOrigins": ["*"]}]`, 0},
		{"<CORSConfiguration/>", 0},
		{"", 0},
		{"just text", 0},
	} {
		t.Run(tc.data, func(t *testing.T) {
			t.Parallel()
			if got := iac.Detect([]byte(tc.data)); got != tc.want {
				t.Errorf("Detect = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, k := range []iac.Kind{iac.CloudFormation, iac.Terraform, iac.TerraformPlan, iac.Serverless, iac.Kubernetes, iac.Pulumi} {
		if got, err := iac.ParseKind(strings.ToUpper(k.String())); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	if _, err := iac.ParseKind("xml"); err == nil {
		t.Error("ParseKind(xml) succeeded")
	}
}

// TestUnknownValuesKeepOnlyWhatStaysTrue: a rule whose origins and
// exposed headers are not known gets neither "no AllowedOrigin" nor
// "upload-without-etag", but its known bad method is still S3's problem.
func TestUnknownValuesKeepOnlyWhatStaysTrue(t *testing.T) {
	t.Parallel()
	tmpl := `Parameters: {O: {Type: String}, E: {Type: CommaDelimitedList}}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: !Ref O, AllowedMethods: [PUT], AllowedHeaders: ["*"], ExposedHeaders: !Ref E, MaxAge: 300}
          - {AllowedOrigins: !Ref O, AllowedMethods: [get]}
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := iac.Judge(r.Buckets[0])
	var got []string
	for _, p := range v.Problems {
		got = append(got, fmt.Sprintf("%s rule %d %s", p.Err.Code, p.Err.Rule, p.Pos))
	}
	want := []string{"InvalidRequest rule 2 t.yaml:9:55"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("problems %q, want %q", got, want)
	}
	if len(r.Buckets[0].Unjudged) != 3 {
		t.Errorf("unjudged: %+v", r.Buckets[0].Unjudged)
	}
}

// TestSameProblemTwiceLocated: the same bad value written twice is two
// problems, each at its own value, as S3 lists them; a missing member is
// at the rule.
func TestSameProblemTwiceLocated(t *testing.T) {
	t.Parallel()
	tmpl := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: ["*"], AllowedMethods: [get, PATCH, get], ExposedHeaders: [ETag, "x-*", "x-*"]}
          - {AllowedOrigins: ["*"]}
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range iac.Judge(r.Buckets[0]).Problems {
		got = append(got, fmt.Sprintf("rule %d %s[%d] %s", p.Err.Rule, p.Field, p.Index, p.Pos))
	}
	want := []string{
		"rule 2 [-1] t.yaml:8:13", // no AllowedMethod: MalformedXML, first
		"rule 1 AllowedMethod[0] t.yaml:7:54",
		"rule 1 AllowedMethod[1] t.yaml:7:59",
		"rule 1 AllowedMethod[2] t.yaml:7:66",
		"rule 1 ExposeHeader[1] t.yaml:7:95",
		"rule 1 ExposeHeader[2] t.yaml:7:102",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestTerraformUnsetMaxAge: a cors_rule without max_age_seconds is sent
// by the AWS provider with MaxAgeSeconds 0, which caches the preflight
// answer no longer than a rule without MaxAgeSeconds does: a rule that
// answers preflights gets max-age-missing, in words that say so, at the
// rule, beside the note. A rule that answers no preflight a browser sends
// (GET and HEAD, no AllowedHeader) gets none, and neither does a
// max_age_seconds of 0 written out, which is a choice. In
// CloudFormation an unset MaxAge is no MaxAgeSeconds at all: lint's own
// max-age-missing.
func TestTerraformUnsetMaxAge(t *testing.T) {
	t.Parallel()
	const why = "The rule answers preflights but max_age_seconds is not set, so the AWS provider sends MaxAgeSeconds 0, and browsers do not cache the answer at all (or for 5 seconds, if S3 leaves out an Access-Control-Max-Age of 0, which is not recorded): they preflight again nearly every request that needs a preflight."
	const fix = "Set max_age_seconds, for example to 3000 (browsers cap it: Safari at 600, Chromium at 7200, Firefox at 86400)."
	for _, tc := range []struct {
		name, file, src string
		want            []string // "rule: id at position" and the Why of each
	}{
		{"inline rules", "main.tf", `resource "aws_s3_bucket" "b" {
  bucket = "b"
  cors_rule {
    allowed_headers = ["*"]
    allowed_methods = ["PUT", "POST"]
    allowed_origins = ["https://app.example.com"]
    expose_headers  = ["ETag", "x-amz-checksum-crc32"]
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
  cors_rule {
    allowed_methods = ["DELETE"]
    allowed_origins = ["https://app.example.com"]
    max_age_seconds = 0
  }
}
`, []string{"1: max-age-missing at main.tf:3:3: " + why}},
		{"a configuration resource, after the rule's other findings", "main.tf", `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_headers = ["content-type"]
    allowed_methods = ["PUT"]
    allowed_origins = ["https://app.example.com/"]
  }
}
`, []string{"1: origin-trailing-slash at main.tf:6:24: A browser's Origin never ends with \"/\", so \"https://app.example.com/\" never matches.",
			"1: upload-without-etag at main.tf:3:3: The rule allows PUT but does not expose ETag, so browsers hide it from scripts, and multipart uploads (the AWS SDK for JavaScript, Uppy), which send each part with PUT, need each part's ETag to complete the upload.",
			"1: max-age-missing at main.tf:3:3: " + why}},
		// Rule 1 answers every preflight rule 2 would match: rule 2's
		// unset max_age_seconds reaches no browser.
		{"preflights answered by an earlier rule", "main.tf", `resource "aws_s3_bucket" "b" {
  bucket = "b"
  cors_rule {
    allowed_headers = ["*"]
    allowed_methods = ["PUT"]
    allowed_origins = ["https://app.example.com"]
    expose_headers  = ["ETag", "x-amz-checksum-crc32"]
    max_age_seconds = 3000
  }
  cors_rule {
    allowed_methods = ["GET", "PUT"]
    allowed_origins = ["https://app.example.com"]
    expose_headers  = ["ETag"]
  }
}
`, nil},
		{"cloudformation", "t.yaml", `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: [https://app.example.com], AllowedMethods: [DELETE]}
`, []string{"1: max-age-missing at t.yaml:7:13: The rule answers preflights but has no MaxAgeSeconds, so browsers cache each answer for 5 seconds only and preflight again nearly every request that needs a preflight."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse(tc.file, []byte(tc.src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			v := iac.Judge(r.Buckets[0])
			var got []string
			for _, f := range v.Findings {
				got = append(got, fmt.Sprintf("%d: %s at %s: %s", f.Rule, f.ID, f.Pos, f.Why))
				if f.ID == lint.IDMaxAgeMissing && strings.Contains(f.Why, "max_age_seconds") && f.Fix != fix {
					t.Errorf("fix %q, want %q", f.Fix, fix)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShadowedMethodUnknownEarlierRule: shadowed-method says what the
// earlier rules leave out, so an unknown value in one of them, here the
// ExposedHeaders of the rule that answers GET first, could make it wrong:
// it is given only when every rule is known.
func TestShadowedMethodUnknownEarlierRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		expose string
		want   bool
	}{
		{"!Ref E", false},
		{"[x-amz-meta-a]", true},
	} {
		tmpl := `Parameters: {E: {Type: CommaDelimitedList}}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: ["*"], AllowedMethods: [GET], ExposedHeaders: ` + tc.expose + `, MaxAge: 300}
          - {AllowedOrigins: [https://app.example.com], AllowedMethods: [GET, DELETE], ExposedHeaders: [ETag], MaxAge: 300}
`
		r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
		if err != nil {
			t.Fatal(err)
		}
		v := iac.Judge(r.Buckets[0])
		got := slices.ContainsFunc(v.Findings, func(f iac.Finding) bool { return f.ID == lint.IDShadowedMethod })
		if got != tc.want {
			t.Errorf("ExposedHeaders %s in rule 1: shadowed-method %v, want %v; findings %+v", tc.expose, got, tc.want, v.Findings)
		}
	}
}

// TestLintIDsClassified: every lint id is either about a value that is
// there or about something missing, so Judge knows whether values not
// judged could make it wrong.
func TestLintIDsClassified(t *testing.T) {
	t.Parallel()
	for _, info := range lint.Catalog() {
		if !iac.LintIDClassified(info.ID) {
			t.Errorf("lint id %q is not classified in judge.go", info.ID)
		}
	}
}

// TestLoadForcedTerraform checks that a file Load is told is Terraform,
// under a name Terraform would not read (.tf), is read, alone, rather
// than its directory's .tf files searched for buckets declared in it.
func TestLoadForcedTerraform(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dir + "/cors.hcl"
	src := `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = ["https://a.example"]
    allowed_methods = ["get"]
  }
}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := iac.Load(path, iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || r.Buckets[0].Resource != "aws_s3_bucket_cors_configuration.c" {
		t.Fatalf("buckets %v, want aws_s3_bucket_cors_configuration.c", r.Buckets)
	}
	if v := iac.Judge(r.Buckets[0]); len(v.Problems) != 1 || v.Problems[0].Pos.String() != path+":5:24" {
		t.Errorf("problems %+v, want the method at %s:5:24", v.Problems, path)
	}
	if err := os.WriteFile(path, []byte("<CORSConfiguration/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	// S3 XML is no Terraform file: a *KindError, which says so, rather
	// than HCL's error at its first byte.
	if _, err := iac.Load(path, iac.Options{Kind: iac.Terraform}); !errors.As(err, new(*iac.KindError)) {
		t.Errorf("XML read as Terraform: %v, want a KindError", err)
	}
}

// TestParseNotOfKind checks that input read as the kind it is told, which
// is not of that kind, is refused with a *KindError rather than read as a
// template or plan that declares no bucket: CloudFormation refuses a
// template without Resources ("Template format error: At least one
// Resources member must be defined"), and terraform show -json writes
// format_version in every plan and state. One of that kind that declares
// no bucket is read, and so is one Detect tells to be of the kind (a
// template with AWSTemplateFormatVersion alone is refused as CloudFormation
// refuses it: TestCloudFormationNoResources).
func TestParseNotOfKind(t *testing.T) {
	t.Parallel()
	const cli = `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["get"]}]}`
	for _, tc := range []struct {
		name string
		kind iac.Kind
		data string
		want string // the KindError's reason; "" for none
	}{
		{"cli-json as template", iac.CloudFormation, cli, "it has no Resources member"},
		{"package.json as template", iac.CloudFormation, `{"name": "app", "version": "1.0.0"}`, "it has no Resources member"},
		{"workflow as template", iac.CloudFormation, "name: ci\non: [push]\n", "it has no Resources member"},
		{"plan as template", iac.CloudFormation, `{"format_version": "1.2", "planned_values": {}}`, "it has no Resources member"},
		{"list as template", iac.CloudFormation, "- a\n- b\n", "its top level is a list, not a mapping"},
		{"cli-json as plan", iac.TerraformPlan, cli, "it has no format_version member"},
		{"template as plan", iac.TerraformPlan, `{"Resources": {}}`, "it has no format_version member"},
		{"yaml as plan", iac.TerraformPlan, "name: ci\n", "it is not a JSON object"},
		{"console json as plan", iac.TerraformPlan, `[{"AllowedOrigins": ["*"]}]`, "it is not a JSON object"},
		{"raw state as plan", iac.TerraformPlan, `{"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "6c925c22", "outputs": {}, "resources": []}`,
			`it is a state file as Terraform writes it, with version, serial and lineage but no format_version; give what "terraform show -json STATEFILE" prints for it, which holds the same values and is read`},
		// Terraform refuses a property of a file in its JSON syntax that
		// is no block type ("Extraneous JSON object property").
		{"cli-json as terraform", iac.Terraform, cli, `its top-level property "CORSRules" is no block type of Terraform's JSON syntax`},
		{"plan as terraform", iac.Terraform, `{"format_version": "1.2", "resource_changes": []}`, `its top-level property "format_version" is no block type of Terraform's JSON syntax`},
		{"template as terraform", iac.Terraform, `{"Resources": {}}`, `its top-level property "Resources" is no block type of Terraform's JSON syntax`},
		// Neither can start a file in Terraform's native syntax, whose
		// errors would only say where HCL stopped.
		{"yaml template as terraform", iac.Terraform, "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", "it is a CloudFormation template"},
		{"xml as terraform", iac.Terraform, "<CORSConfiguration/>", "it starts with \"<\", which no Terraform file does"},
		{"console json as terraform", iac.Terraform, `[{"AllowedOrigins": ["*"]}]`, "it starts with \"[\", which no Terraform file does"},

		{"template", iac.CloudFormation, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n", ""},
		{"quoted template", iac.CloudFormation, "'Resources':\n  Q: {Type: AWS::SQS::Queue}\n", ""},
		{"empty state", iac.TerraformPlan, `{"format_version": "1.0"}`, ""},
		{"plan", iac.TerraformPlan, `{"resource_changes": [], "format_version": "1.2"}`, ""},
		{"terraform json", iac.Terraform, `{"//": "cdktf", "terraform": {}, "provider": {"aws": [{}]}, "resource": {"aws_s3_bucket": {"b": {"bucket": "b"}}}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("f", []byte(tc.data), iac.Options{Kind: tc.kind})
			ke, ok := errors.AsType[*iac.KindError](err)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tc.want == "" && len(r.Buckets) != 0:
				t.Errorf("%d buckets, want none", len(r.Buckets))
			case tc.want != "" && !ok:
				t.Fatalf("error %v (result %+v), want a *KindError", err, r)
			case tc.want != "" && (ke.Kind != tc.kind || ke.Reason != tc.want || r != nil):
				t.Errorf("KindError %+v, result %v; want kind %v, reason %q and no result", ke, r, tc.kind, tc.want)
			}
		})
	}
	// Load, which reads a plan beyond its first megabyte, tells the same.
	path := filepath.Join(t.TempDir(), "cors.json")
	if err := os.WriteFile(path, []byte(cli), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[iac.Kind]string{
		iac.CloudFormation: path + ": not a CloudFormation template: it has no Resources member",
		iac.TerraformPlan:  path + ": not a Terraform plan: it has no format_version member",
		iac.Terraform:      path + `: not a Terraform configuration: its top-level property "CORSRules" is no block type of Terraform's JSON syntax`,
	} {
		if _, err := iac.Load(path, iac.Options{Kind: k}); !errors.As(err, new(*iac.KindError)) || err.Error() != want {
			t.Errorf("Load as %v: %v, want a *KindError %q", k, err, want)
		}
	}
	// A broken plan is a ParseError: it may be a plan.
	if _, err := iac.Parse("f", []byte(`{"format_version": "1.2", "planned_values": {`), iac.Options{Kind: iac.TerraformPlan}); !errors.As(err, new(*iac.ParseError)) {
		t.Errorf("a broken plan: %v, want a *ParseError", err)
	}
}

// TestLoadTerraformJSON reads a file in Terraform's JSON syntax by its
// name, told or not, and in memory when told Terraform, rather than
// reading it as something else (the AWS CLI's JSON).
func TestLoadTerraformJSON(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "main.tf.json")
	src := `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "b",
  "cors_rule": [{"allowed_origins": ["https://a.example"], "allowed_methods": ["GET"]}]}}}}`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := iac.DetectFile(path, []byte(src)); got != iac.Terraform {
		t.Errorf("DetectFile = %v, want %v", got, iac.Terraform)
	}
	check := func(what string, r *iac.Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 1 || r.Buckets[0].Resource != "aws_s3_bucket_cors_configuration.c" ||
			!slices.Equal(r.Buckets[0].Rules[0].AllowedOrigins, []string{"https://a.example"}) {
			t.Errorf("%s: %+v, want the bucket c with its rule", what, r.Buckets)
		}
	}
	for _, kind := range []iac.Kind{0, iac.Terraform} {
		r, err := iac.Load(path, iac.Options{Kind: kind})
		check(fmt.Sprintf("Load with kind %v", kind), r, err)
	}
	r, err := iac.Parse("", []byte(src), iac.Options{Kind: iac.Terraform})
	check("Parse of standard input", r, err)
}

// TestLoadTerraformFileSpellings loads one .tf file by paths spelled as
// users and tools spell them (./main.tf, a doubled slash, a .. that
// comes back): each finds the file's bucket, as its plain path does, and
// a .tf file holding a CloudFormation template in a heredoc is read as
// Terraform.
func TestLoadTerraformFileSpellings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `resource "aws_cloudformation_stack" "s" {
  name          = "s"
  template_body = <<STACK
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Q: {Type: AWS::SQS::Queue}
STACK
}

resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = ["https://a.example"]
    allowed_methods = ["get"]
  }
}
`
	if err := os.WriteFile(dir+"/main.tf", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(dir)
	for _, path := range []string{dir + "/main.tf", dir + "/./main.tf", dir + "//main.tf", dir + "/../" + base + "/main.tf"} {
		r, err := iac.Load(path, iac.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r.Kind != iac.Terraform || len(r.Buckets) != 1 || r.Buckets[0].Resource != "aws_s3_bucket_cors_configuration.c" {
			t.Errorf("%s: %s, buckets %v; want Terraform's aws_s3_bucket_cors_configuration.c", path, r.Kind, r.Buckets)
			continue
		}
		if v := iac.Judge(r.Buckets[0]); len(v.Problems) != 1 || v.Problems[0].Pos.String() != dir+"/main.tf:14:24" {
			t.Errorf("%s: problems %+v, want the method at %s/main.tf:14:24", path, v.Problems, dir)
		}
	}
}

// TestTerraformIterationOrder checks that rules made from a map come in
// Terraform's order, the keys' lexical order, whatever order they are
// written in, and that toset orders its values as Terraform iterates a
// set: strings lexically, numbers by value, each once. The inline
// cors_rule of aws_s3_bucket is a list, so S3 receives this order.
func TestTerraformIterationOrder(t *testing.T) {
	t.Parallel()
	src := `locals {
  sorted  = toset(["b", "a", "b"])
  numbers = toset([10, 9, 100])
  byKey   = [for k, v in { zeta = 1, alpha = 2 } : k]
}
resource "aws_s3_bucket" "legacy" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = {
      zeta  = { origins = ["https://a.example.com"], methods = ["GET"] }
      alpha = { origins = ["*"], methods = ["GET", "HEAD"] }
    }
    content {
      allowed_origins = cors_rule.value.origins
      allowed_methods = cors_rule.value.methods
      allowed_headers = local.sorted
      expose_headers  = local.byKey
      max_age_seconds = tolist(local.numbers)[0]
    }
  }
}
`
	r := parseTerraform(t, src)
	if len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 2 {
		t.Fatalf("buckets %+v, want one with two rules", r.Buckets)
	}
	got := r.Buckets[0].Rules
	if o := got[0].AllowedOrigins; len(o) != 1 || o[0] != "*" {
		t.Errorf("rule 1 origins %q, want the alpha rule's [*]", o)
	}
	if o := got[1].AllowedOrigins; len(o) != 1 || o[0] != "https://a.example.com" {
		t.Errorf("rule 2 origins %q, want the zeta rule's", o)
	}
	if h := strings.Join(got[0].AllowedHeaders, ","); h != "a,b" {
		t.Errorf("toset([b, a, b]) = %s, want a,b", h)
	}
	if e := strings.Join(got[0].ExposeHeaders, ","); e != "alpha,zeta" {
		t.Errorf("the keys of a for over an object: %s, want alpha,zeta", e)
	}
	if m := got[0].MaxAgeSeconds; m == nil || *m != 9 {
		t.Errorf("the first of toset([10, 9, 100]) = %v, want 9", m)
	}
}

// TestTerraformSetKeys checks the key of an element of a set, which
// Terraform documents for a dynamic block ("If the for_each expression
// produces a set value then key is identical to value") and which cty
// gives for a for expression too: the element itself, not its index. A
// set made a list by tolist has indices again.
func TestTerraformSetKeys(t *testing.T) {
	t.Parallel()
	src := `variable "origins" {
  type    = set(string)
  default = ["https://b.example", "https://a.example"]
}
locals {
  keys     = [for k, v in toset(["y", "x"]) : k]
  listKeys = [for k, v in tolist(toset(["y", "x"])) : k]
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.origins
    content {
      id              = cors_rule.key
      allowed_methods = ["GET"]
      allowed_origins = [cors_rule.value]
      allowed_headers = local.keys
      expose_headers  = local.listKeys
    }
  }
}
`
	r := parseTerraform(t, src)
	if len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 2 {
		t.Fatalf("buckets %+v, want one with two rules", r.Buckets)
	}
	for i, want := range []string{"https://a.example", "https://b.example"} {
		if id := r.Buckets[0].Rules[i].ID; id != want {
			t.Errorf("rule %d: cors_rule.key = %q, want the element %q", i+1, id, want)
		}
	}
	rule := r.Buckets[0].Rules[0]
	if h := strings.Join(rule.AllowedHeaders, ","); h != "x,y" {
		t.Errorf("[for k, v in toset([y, x]) : k] = %s, want x,y", h)
	}
	if e := strings.Join(rule.ExposeHeaders, ","); e != "0,1" {
		t.Errorf("[for k, v in tolist(toset([y, x])) : k] = %s, want 0,1", e)
	}
}

// TestTerraformForEachValues: Terraform takes for a resource's or a
// module's for_each a map or a set of strings only, and refuses anything
// else, a list of strings included ("Invalid for_each argument: ... the
// "for_each" argument must be a map, or set of strings, and you have
// provided a value of type tuple", Terraform's eval_for_each.go): such a
// configuration deploys nothing, and its buckets are refused, not judged
// as instances Terraform would never make.
func TestTerraformForEachValues(t *testing.T) {
	t.Parallel()
	const vars = `variable "list" { default = ["a", "b"] }
variable "typed_list" {
  type    = list(string)
  default = ["a", "b"]
}
variable "typed_set" {
  type    = set(string)
  default = ["b", "a"]
}
variable "with_set" {
  type = object({ names = optional(set(string), ["a", "b"]) })
  default = {}
}
`
	for _, tc := range []struct {
		forEach string
		want    []string // the buckets' addresses, when Terraform takes it
	}{
		{`["a", "b"]`, nil},
		{`[]`, nil},
		{`var.list`, nil},
		{`var.typed_list`, nil},
		{`tolist(toset(["a", "b"]))`, nil},
		{`[for k in ["a", "b"] : k]`, nil},
		{`"a"`, nil},
		{`null`, nil},
		{`toset([1, 2])`, nil},
		{`toset([true])`, nil},

		{`toset(["a", "b"])`, []string{`c["a"]`, `c["b"]`}},
		{`toset(["a", 1])`, []string{`c["1"]`, `c["a"]`}},
		{`var.typed_set`, []string{`c["a"]`, `c["b"]`}},
		{`var.with_set.names`, []string{`c["a"]`, `c["b"]`}},
		{`{ a = 1, b = 2 }`, []string{`c["a"]`, `c["b"]`}},
		{`{ for k in ["a", "b"] : k => k }`, []string{`c["a"]`, `c["b"]`}},
		{`toset([])`, []string{}},
	} {
		t.Run(tc.forEach, func(t *testing.T) {
			t.Parallel()
			src := vars + `resource "aws_s3_bucket_cors_configuration" "c" {
  for_each = ` + tc.forEach + `
  bucket   = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
  }
}
`
			r := parseTerraform(t, src)
			if tc.want == nil {
				if len(r.Buckets) != 1 || len(r.Buckets[0].Errors) == 0 || r.Buckets[0].Errors[0].Code != iac.CodeWrongType || r.Buckets[0].Errors[0].Pos.Line != 15 {
					t.Fatalf("buckets %+v, want one refused for its for_each (wrong-type, line 15)", r.Buckets)
				}
				if v := iac.Judge(r.Buckets[0]); v.Valid() {
					t.Errorf("verdict valid, want the refusal")
				}
				return
			}
			got := []string{}
			for _, b := range r.Buckets {
				got = append(got, strings.TrimPrefix(b.Resource, "aws_s3_bucket_cors_configuration."))
				if len(b.Errors) > 0 {
					t.Errorf("%s: errors %+v, want none", b.Resource, b.Errors)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("buckets %q, want %q", got, tc.want)
			}
		})
	}

	// A module's for_each is held to the same rule: every bucket of the
	// module carries the refusal.
	dir := t.TempDir()
	for name, data := range map[string]string{
		"main.tf": `module "site" {
  source   = "./site"
  for_each = ["a"]
}
`,
		"site/main.tf": `resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
  }
}
`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || len(r.Buckets[0].Errors) == 0 || r.Buckets[0].Errors[0].Code != iac.CodeWrongType || r.Buckets[0].Errors[0].Pos.Line != 3 {
		t.Errorf("buckets %+v, want the module's one refused for the module's for_each (wrong-type, main.tf line 3)", r.Buckets)
	}
}

// TestTerraformCountValues: Terraform takes for a resource's or a
// module's count a whole number, zero or more, or what converts to one,
// and refuses anything else ("Invalid count argument": null, a value that
// is not a number, a fraction, a negative number; Terraform's
// eval_count.go): such a configuration deploys nothing, and its buckets
// are refused, not judged with count.index not known.
func TestTerraformCountValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		count string
		want  []string // the buckets' addresses, when Terraform takes it
	}{
		{`null`, nil},
		{`-1`, nil},
		{`1.5`, nil},
		{`"many"`, nil},
		{`true`, nil},
		{`[1]`, nil},
		{`{ n = 1 }`, nil},
		// terraform plan 1.11.4: count = " 2" is "Incorrect value type:
		// a number is required"; cty does not trim the string.
		{`" 2"`, nil},
		{`"2 "`, nil},

		{`2`, []string{`c[0]`, `c[1]`}},
		{`"2"`, []string{`c[0]`, `c[1]`}},
		{`2.0`, []string{`c[0]`, `c[1]`}},
		{`length(["a"])`, []string{`c[0]`}},
		{`0`, []string{}},
	} {
		t.Run(tc.count, func(t *testing.T) {
			t.Parallel()
			src := `resource "aws_s3_bucket_cors_configuration" "c" {
  count  = ` + tc.count + `
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
  }
}
`
			r := parseTerraform(t, src)
			if tc.want == nil {
				if len(r.Buckets) != 1 || len(r.Buckets[0].Errors) == 0 || r.Buckets[0].Errors[0].Code != iac.CodeWrongType || r.Buckets[0].Errors[0].Pos.Line != 2 {
					t.Fatalf("buckets %+v, want one refused for its count (wrong-type, line 2)", r.Buckets)
				}
				return
			}
			got := []string{}
			for _, b := range r.Buckets {
				got = append(got, strings.TrimPrefix(b.Resource, "aws_s3_bucket_cors_configuration."))
				if len(b.Errors) > 0 {
					t.Errorf("%s: errors %+v, want none", b.Resource, b.Errors)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("buckets %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTerraformTFVarsFiles loads a module whose variables are set in
// every file Terraform reads values from: terraform.tfvars, then
// terraform.tfvars.json, then *.auto.tfvars and *.auto.tfvars.json in
// the order of their names, a later value winning.
func TestTerraformTFVarsFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `variable "origins" { default = ["https://default.example"] }
variable "methods" { default = ["GET"] }
variable "headers" { default = [] }
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = var.origins
    allowed_methods = var.methods
    allowed_headers = var.headers
  }
}
`,
		"terraform.tfvars":      `origins = ["https://t.example"]` + "\n" + `headers = ["x-from-tfvars"]` + "\n",
		"terraform.tfvars.json": `{"origins": ["https://tj.example"], "methods": ["PUT"]}`,
		"a.auto.tfvars.json":    `{"origins": ["https://a.example"]}`,
		"b.auto.tfvars":         `origins = ["https://b.example"]` + "\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := iac.Load(dir, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 1 {
		t.Fatalf("buckets %+v, want one with one rule", r.Buckets)
	}
	rule, origins := r.Buckets[0].Rules[0], r.Buckets[0].Origins[0]
	if got := strings.Join(rule.AllowedOrigins, ","); got != "https://b.example" {
		t.Errorf("origins %s, want b.auto.tfvars's, read last", got)
	} else if pos := origins.AllowedOrigins[0].Pos.String(); pos != filepath.Join(dir, "b.auto.tfvars")+":1:12" {
		t.Errorf("the origin is at %s, want b.auto.tfvars:1:12", pos)
	}
	if got := strings.Join(rule.AllowedMethods, ","); got != "PUT" {
		t.Errorf("methods %s, want terraform.tfvars.json's PUT", got)
	} else if pos := origins.AllowedMethods[0].Pos.String(); pos != filepath.Join(dir, "terraform.tfvars.json")+":1:49" {
		t.Errorf("the method is at %s, want terraform.tfvars.json:1:49", pos)
	}
	if got := strings.Join(rule.AllowedHeaders, ","); got != "x-from-tfvars" {
		t.Errorf("headers %s, want terraform.tfvars's", got)
	}
}

// TestYAMLMergeKeys resolves merge keys (<<) as the AWS CLI's
// "cloudformation package" does: a rule's own keys win, then the first
// source that has a key, and merged values keep their positions.
func TestYAMLMergeKeys(t *testing.T) {
	t.Parallel()
	tmpl := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - &base
            AllowedOrigins: ["https://a.example.com"]
            AllowedMethods: [GET]
            MaxAge: 3000
          - &other
            AllowedOrigins: ["https://b.example.com"]
            AllowedMethods: [PUT]
            AllowedHeaders: ["*"]
          - <<: [*base, *other]
            AllowedMethods: [get]
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Buckets[0]
	if len(b.Rules) != 3 {
		t.Fatalf("%d rules, want 3", len(b.Rules))
	}
	rule := b.Rules[2]
	if got := fmt.Sprintf("%q %q %q %v", rule.AllowedOrigins, rule.AllowedMethods, rule.AllowedHeaders, *rule.MaxAgeSeconds); got != `["https://a.example.com"] ["get"] ["*"] 3000` {
		t.Errorf("rule 3: %s", got)
	}
	if pos := b.Origins[2].AllowedOrigins[0].Pos.String(); pos != "t.yaml:8:30" {
		t.Errorf("the merged origin is at %s, want where it is written, t.yaml:8:30", pos)
	}
	v := iac.Judge(b)
	if len(v.Problems) != 1 || v.Problems[0].Pos.String() != "t.yaml:16:30" {
		t.Errorf("problems %+v, want the method get at t.yaml:16:30", v.Problems)
	}
	for _, bad := range []string{"<<: 3", "<<: [*base, 3]"} {
		in := strings.Replace(tmpl, "<<: [*base, *other]", bad, 1)
		if _, err := iac.Parse("t.yaml", []byte(in), iac.Options{}); err == nil || !strings.Contains(err.Error(), "a merge key (<<) takes a mapping or a list of mappings") {
			t.Errorf("%s: %v, want the merge key refused", bad, err)
		}
	}
}

// TestTemplateDuplicateKeys: a key written twice in one mapping of a
// template is refused where the second is written, as cfn-lint refuses it
// ("Duplicate found", in YAML and JSON) and the AWS CLI's cloudformation
// deploy ("found duplicate key"); the first value was judged, which no
// tool reads.
func TestTemplateDuplicateKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"yaml-property", `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [GET]}]
      CorsConfiguration:
        CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [FOO]}]
`, `t.yaml:7:7: YAML: the key "CorsConfiguration" is written twice in one mapping, first at line 5, column 7`},
		{"yaml-rule-member", `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: ["*"], AllowedMethods: [GET], AllowedMethods: [FOO]}
`, `t.yaml:7:60: YAML: the key "AllowedMethods" is written twice in one mapping, first at line 7, column 37`},
		{"json-resource", `{"Resources": {
  "B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}}},
  "B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["FOO"]}]}}}
}}`, `t.yaml:3:3: JSON: the member "B" is written twice in one object, first at line 2, column 3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("t.yaml", []byte(tc.tmpl), iac.Options{})
			var pe *iac.ParseError
			if !errors.As(err, &pe) || err.Error() != tc.want {
				t.Errorf("err = %v, want the parse error %s", err, tc.want)
			}
		})
	}
	// The keys a merge key (<<) brings are not written twice: the
	// mapping's own win.
	merged := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - &r {AllowedOrigins: ["*"], AllowedMethods: [GET]}
          - {<<: *r, AllowedMethods: [PUT]}
`
	if _, err := iac.Parse("t.yaml", []byte(merged), iac.Options{}); err != nil {
		t.Errorf("merge key: %v", err)
	}
}

// TestYAMLSingleDocument: a YAML stream of more than one document is
// refused where the second starts, as PyYAML refuses it for the AWS CLI's
// cloudformation package and deploy and for cfn-lint ("expected a single
// document in the stream ... but found another document"); the first
// document alone was judged, the second's buckets never read. A document
// end marker (...) with nothing after it ends the one document.
func TestYAMLSingleDocument(t *testing.T) {
	t.Parallel()
	const doc = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [GET]}]
`
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"two", "---\n" + doc + "---\n" + strings.Replace(doc, "B:", "C:", 1), "t.yaml:8:1: YAML: a second document starts here; a template is a single document"},
		{"empty-second", doc + "---\n", "t.yaml:7:1: YAML: a second document starts here; a template is a single document"},
		{"end-marker", doc + "...\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("t.yaml", []byte(tc.tmpl), iac.Options{})
			if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && got != tc.want {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestYAMLRefusedCharacter: a YAML file with a byte that is not UTF-8 (a
// comment saved in Latin-1) or a control character, which the YAML
// library refuses without a line ("YAML: invalid leading UTF-8
// octet"), is refused at that character, in templates, manifests and
// Serverless services alike.
func TestYAMLRefusedCharacter(t *testing.T) {
	t.Parallel()
	const cfn = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
	const k8s = "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\n"
	for _, tc := range []struct {
		name string
		kind iac.Kind
		data string
		want string
	}{
		{"latin-1 comment", iac.CloudFormation, cfn + "    # caf\xe9\n",
			"t.yaml:4:10: YAML: the byte 0xE9 is not UTF-8 (incomplete UTF-8 octet sequence): save the file as UTF-8"},
		{"invalid byte in a value", iac.Kubernetes, k8s + "spec:\n  name: \"\xff\"\n",
			"t.yaml:5:10: YAML: the byte 0xFF is not UTF-8 (invalid leading UTF-8 octet): save the file as UTF-8"},
		{"surrogate", iac.Serverless, "service: s\nprovider: {name: aws}\ncustom: \"\xed\xa0\x80\"\n",
			"t.yaml:3:10: YAML: the byte 0xED is not UTF-8 (invalid Unicode character): save the file as UTF-8"},
		{"control character", iac.CloudFormation, cfn + "    Metadata: {a: \"x\x01\"}\n",
			"t.yaml:4:21: YAML: the character U+0001 is not allowed in YAML (control characters are not allowed): " +
				"not even quoted or in a comment; write it as an escape in a double-quoted string"},
		{"noncharacter", iac.CloudFormation, cfn + "    Metadata: {a: \"\uFFFE\"}\n",
			"t.yaml:4:20: YAML: the character U+FFFE is not allowed in YAML (control characters are not allowed): " +
				"not even quoted or in a comment; write it as an escape in a double-quoted string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("t.yaml", []byte(tc.data), iac.Options{Kind: tc.kind})
			var pe *iac.ParseError
			if !errors.As(err, &pe) || err.Error() != tc.want {
				t.Errorf("err = %v, want a ParseError %q", err, tc.want)
			}
		})
	}
}

// TestYAML11Integers: plain scalars are read as YAML 1.1 reads them,
// which CloudFormation documents it supports ("the YAML Version 1.1
// specification") and PyYAML reads for the AWS CLI and cfn-lint: a
// leading 0 is octal (an account ID 012345670123 is famously
// 1402433619 to CloudFormation, cloudformation-coverage-roadmap#745), _
// separates digits, and base 60 is written with colons. MaxAge 010 was
// judged as 10 where CloudFormation sends 8, and 3_600 and 1:00:00 were
// refused as not whole numbers where CloudFormation sends 3600. Quoted or
// tagged, a scalar is a string.
func TestYAML11Integers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, maxAge string
		wantID     string
		wantAge    int32
	}{
		{"r", "010", "r", 8},
		{"r", "3_600", "r", 3600},
		{"r", "1:00:00", "r", 3600},
		{"r", "0x0E10", "r", 3600},
		{"r", "0b1010", "r", 10},
		{"r", "-0", "r", 0},
		{"r", "3000", "r", 3000},
		{"0123", "1", "83", 1},
		{`"0123"`, "1", "0123", 1},
		{"!!str 0123", "1", "0123", 1},
		{"1_000", "1", "1000", 1},
	} {
		t.Run(tc.id+" "+tc.maxAge, func(t *testing.T) {
			t.Parallel()
			tmpl := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
				"          - {Id: " + tc.id + ", AllowedOrigins: [\"*\"], AllowedMethods: [GET], MaxAge: " + tc.maxAge + "}\n"
			r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if len(b.Errors) > 0 || len(b.Rules) != 1 {
				t.Fatalf("errors %+v, %d rules", b.Errors, len(b.Rules))
			}
			rule := b.Rules[0]
			if rule.ID != tc.wantID || rule.MaxAgeSeconds == nil || *rule.MaxAgeSeconds != tc.wantAge {
				t.Errorf("Id %q MaxAge %v, want %q and %d", rule.ID, rule.MaxAgeSeconds, tc.wantID, tc.wantAge)
			}
		})
	}
}

// TestYAML11Booleans: a template's plain yes, no, on, off, True and the
// like are YAML 1.1's booleans, which CloudFormation reads as it
// documents ("the YAML Version 1.1 specification") and passes on as
// "true" and "false" (a tag written YES reaches S3 as "true",
// ASFHyP3/hyp3#2061; aws/aws-cli#5257). A Default of yes, compared with
// "true" by Fn::Equals, made the condition false, and the other branch of
// its Fn::If was judged; an Id written On was sent as "On". Quoted,
// tagged, or y and n (strings to PyYAML and SnakeYAML), a scalar is
// written as it is.
func TestYAML11Booleans(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		def, id    string
		params     []string
		wantOrigin string // "" when the parameters are refused
		wantID     string
	}{
		{"yes", "r", nil, "*", "r"},
		{"True", "r", nil, "*", "r"},
		{"ON", "r", nil, "*", "r"},
		{"no", "r", nil, "https://app.example.com", "r"},
		{"Off", "r", nil, "https://app.example.com", "r"},
		{`"yes"`, "r", nil, "https://app.example.com", "r"},
		{"!!str true", "r", nil, "*", "r"},
		{"!!str yes", "r", nil, "https://app.example.com", "r"},
		{"y", "r", nil, "https://app.example.com", "r"},
		{"n", "On", nil, "https://app.example.com", "true"},
		{"n", "NO", nil, "https://app.example.com", "false"},
		{"n", "'On'", nil, "https://app.example.com", "On"},
		{"n", "Y", nil, "https://app.example.com", "Y"},
		{"n", "r", []string{"Public=true"}, "*", "r"},
		{"n", "r", []string{"Public=Yes"}, "", ""},
	} {
		t.Run(tc.def+" "+tc.id+" "+strings.Join(tc.params, " "), func(t *testing.T) {
			t.Parallel()
			tmpl := "Parameters:\n  Public: {Type: String, Default: " + tc.def + ", AllowedValues: [Yes, No, y, n, \"true\", \"yes\"]}\n" +
				"Conditions:\n  IsPublic: !Equals [!Ref Public, \"true\"]\n" +
				"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
				"          - {Id: " + tc.id + ", AllowedOrigins: [!If [IsPublic, \"*\", \"https://app.example.com\"]], AllowedMethods: [GET]}\n"
			r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{Parameters: tc.params})
			if tc.wantOrigin == "" {
				if err == nil || !strings.Contains(err.Error(), "AllowedValues") {
					t.Fatalf("error %v, want the value refused as not one of AllowedValues", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if len(b.Errors) > 0 || len(b.Rules) != 1 {
				t.Fatalf("errors %+v, %d rules", b.Errors, len(b.Rules))
			}
			if rule := b.Rules[0]; rule.ID != tc.wantID || len(rule.AllowedOrigins) != 1 || rule.AllowedOrigins[0] != tc.wantOrigin {
				t.Errorf("Id %q AllowedOrigins %q, want %q and [%q]", rule.ID, rule.AllowedOrigins, tc.wantID, tc.wantOrigin)
			}
		})
	}
}

// TestCloudFormationForEach: the buckets an Fn::ForEach loop of
// AWS::LanguageExtensions declares are read once for each value of its
// collection, the identifier replaced as CloudFormation documents it
// ("All instances of ${Identifier} or &{Identifier} in the OutputKey and
// OutputValue parameters are replaced", &{} keeping only alphanumeric
// characters). They were skipped without a word: "no bucket CORS
// configuration in this CloudFormation template".
func TestCloudFormationForEach(t *testing.T) {
	t.Parallel()
	tmpl := `Transform: AWS::LanguageExtensions
Parameters:
  Sites: {Type: CommaDelimitedList, Default: "app.example.com, admin.example.com"}
  Unknown: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Buckets:
    - Site
    - !Ref Sites
    - Bucket&{Site}:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedOrigins: [!Sub "https://${Site}"]
                AllowedMethods: [GET]
                Id: !Ref Site
  Fn::ForEach::Others:
    - Name
    - !Ref Unknown
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [GET]}]
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range r.Buckets {
		if len(b.Errors) > 0 || len(b.Unjudged) > 0 || len(b.Rules) != 1 {
			t.Errorf("%s: errors %+v, not judged %+v, %d rules", b.Resource, b.Errors, b.Unjudged, len(b.Rules))
			continue
		}
		got = append(got, fmt.Sprintf("%s %q %q", b.Resource, b.Rules[0].ID, b.Rules[0].AllowedOrigins))
	}
	want := []string{`Bucketappexamplecom "app.example.com" ["https://app.example.com"]`,
		`Bucketadminexamplecom "admin.example.com" ["https://admin.example.com"]`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("buckets %q, want %q", got, want)
	}
	if len(r.Notes) != 1 || r.Notes[0].Pos.String() != "t.yaml:19:7" || !strings.Contains(r.Notes[0].Text, "Fn::ForEach::Others: its collection is not known") {
		t.Errorf("notes %+v, want one at t.yaml:19:7 that says the collection of Fn::ForEach::Others is not known", r.Notes)
	}
}

// TestSAMNestedApplication: SAM's AWS::Serverless::Application is a nested
// stack ("Nested applications are deployed as nested
// AWS::CloudFormation::Stack resources"), whose Location is a template
// URL, a local file path (which sam package uploads) or an application of
// the Serverless Application Repository. A local one is read as a nested
// stack's template, with the parameters the parent passes; the buckets of
// both were skipped without a word.
func TestSAMNestedApplication(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	parent := `Transform: AWS::Serverless-2016-10-31
Resources:
  Site:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./site.yaml
      Parameters:
        Origin: https://app.example.com
  FromRepository:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/my-app
        SemanticVersion: 1.0.0
`
	child := `Parameters:
  Origin: {Type: String}
Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules: [{AllowedOrigins: [!Ref Origin], AllowedMethods: [GET]}]
`
	for name, data := range map[string]string{"template.yaml": parent, "site.yaml": child} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	r, err := iac.Load(filepath.Join(dir, "template.yaml"), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || r.Buckets[0].Resource != "Site/Assets" || len(r.Buckets[0].Unjudged) > 0 ||
		fmt.Sprint(r.Buckets[0].Rules[0].AllowedOrigins) != "[https://app.example.com]" {
		t.Fatalf("buckets %+v, want Site/Assets with the origin the parent passes", r.Buckets)
	}
	if len(r.Notes) != 1 || r.Notes[0].Pos.Line != 13 || !strings.Contains(r.Notes[0].Text, "nested stack FromRepository: its template is not a local file") {
		t.Errorf("notes %+v, want one at line 13 that FromRepository was not read", r.Notes)
	}
}

// TestFindInMapDefaultValue: with AWS::LanguageExtensions, Fn::FindInMap
// takes a fourth argument, {DefaultValue: v}, its value when the mapping
// has no such keys (CloudFormation's Fn::FindInMap enhancements); the
// value was reported as not judged, and its trailing slash went unseen.
// Keys that are there still give their value.
func TestFindInMapDefaultValue(t *testing.T) {
	t.Parallel()
	tmpl := `Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, Default: staging}
Mappings:
  Origins:
    prod: {Site: "https://example.com"}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins:
              - !FindInMap [Origins, !Ref Env, Site, {DefaultValue: "https://staging.example.com/"}]
              - !FindInMap [Origins, prod, Site, {DefaultValue: "https://other.example.com"}]
            AllowedMethods: [GET]
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Buckets[0]
	if len(b.Unjudged) > 0 || fmt.Sprint(b.Rules[0].AllowedOrigins) != "[https://staging.example.com/ https://example.com]" {
		t.Fatalf("not judged %+v, origins %q", b.Unjudged, b.Rules[0].AllowedOrigins)
	}
	v := iac.Judge(b)
	if len(v.Findings) != 1 || v.Findings[0].ID != lint.IDOriginTrailingSlash || v.Findings[0].Pos.String() != "t.yaml:14:69" {
		t.Errorf("findings %+v, want origin-trailing-slash at the DefaultValue, t.yaml:14:69", v.Findings)
	}
}

// TestDynamicReferences: a string that holds a dynamic reference
// ({{resolve:ssm:...}}) is not what S3 receives, as CloudFormation
// "retrieves the value of the specified reference ... during stack and
// change set operations": it is not judged, written alone or in Fn::Sub.
// It was judged as written: MaxAge "{{resolve:ssm:/app/max-age}}" was
// refused as not a whole number, and the origins got lint's findings.
func TestDynamicReferences(t *testing.T) {
	t.Parallel()
	tmpl := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: ["{{resolve:ssm:/app/origin}}", !Sub "https://{{resolve:ssm:/app/host:1}}", "https://a.example.com"]
            AllowedMethods: [GET]
            MaxAge: "{{resolve:ssm:/app/max-age}}"
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Buckets[0]
	var got []string
	for _, u := range b.Unjudged {
		got = append(got, fmt.Sprintf("%s %s", u.Pos, u.Field))
	}
	want := []string{"t.yaml:7:30 AllowedOrigin", "t.yaml:7:61 AllowedOrigin", "t.yaml:9:21 MaxAgeSeconds"}
	if len(b.Errors) > 0 || strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("errors %+v, not judged %q, want %q", b.Errors, got, want)
	}
	if v := iac.Judge(b); len(v.Findings) > 0 || !v.Valid() {
		t.Errorf("problems %+v, findings %+v, want none", v.Problems, v.Findings)
	}
}

// TestTerraformRuleSet collapses the cors_rule blocks of
// aws_s3_bucket_cors_configuration that are the same as members of a set
// are (lists in any order), as the provider sends them, and keeps those
// of aws_s3_bucket, a list.
func TestTerraformRuleSet(t *testing.T) {
	t.Parallel()
	rules := `
  cors_rule {
    allowed_origins = ["https://a.example.com", "https://b.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 3000
  }
  cors_rule {
    allowed_origins = ["https://b.example.com", "https://a.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 3000
  }
  cors_rule {
    allowed_origins = ["https://a.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 3000
  }
`
	src := `resource "aws_s3_bucket_cors_configuration" "set" {
  bucket = "b"` + rules + `}
resource "aws_s3_bucket" "list" {
  bucket = "c"` + rules + `}
`
	r := parseTerraform(t, src)
	got := map[string]int{}
	for _, b := range r.Buckets {
		got[b.Resource] = len(b.Rules)
	}
	if got["aws_s3_bucket_cors_configuration.set"] != 2 || got["aws_s3_bucket.list"] != 3 {
		t.Errorf("rules %v, want 2 in the set and 3 in the list", got)
	}
	for _, b := range r.Buckets {
		if b.Resource != "aws_s3_bucket_cors_configuration.set" {
			continue
		}
		var notes []string
		for _, n := range b.Notes {
			if strings.Contains(n.Text, "the same as rule") {
				notes = append(notes, n.Pos.String()+": "+n.Text)
			}
		}
		if want := "main.tf:8:3: cors_rule is a set: this rule is the same as rule 1, so S3 receives it once"; len(notes) != 1 || notes[0] != want {
			t.Errorf("notes %q, want %q", notes, want)
		}
	}
}

// TestTerraformRuleSetAsTerraform tells cors_rule blocks apart as
// Terraform's set does, checked with Terraform 1.11.4 and the AWS provider
// 5.100.0 applied to s3cors serve (review8): two blocks that each list a
// value twice are one rule (they were two, kept for their notes), and a
// block whose allowed_origins also holds "" is a rule of its own beside
// one without it, though S3 receives the two alike (they were one).
func TestTerraformRuleSetAsTerraform(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, blocks string
		rules        int
		notes        []string
	}{
		{"a value twice in each", `
  cors_rule {
    allowed_methods = ["GET", "GET"]
    allowed_origins = ["*"]
    max_age_seconds = 10
  }
  cors_rule {
    allowed_methods = ["GET", "GET"]
    allowed_origins = ["*"]
    max_age_seconds = 10
  }
`, 1, []string{`main.tf:4:31: allowed_methods is a set: "GET" is already listed, so S3 receives it once`,
			"main.tf:8:3: cors_rule is a set: this rule is the same as rule 1, so S3 receives it once"}},
		{"the empty string in one", `
  cors_rule {
    allowed_methods = ["HEAD"]
    allowed_origins = ["*", ""]
    max_age_seconds = 0
  }
  cors_rule {
    allowed_methods = ["HEAD"]
    allowed_origins = ["*"]
    max_age_seconds = 0
  }
`, 2, []string{"main.tf:5:29: the AWS provider drops the empty string from allowed_origins",
			"main.tf:3:3: cors_rule is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := parseTerraform(t, "resource \"aws_s3_bucket_cors_configuration\" \"set\" {\n  bucket = \"b\""+tc.blocks+"}\n")
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets", len(r.Buckets))
			}
			b := r.Buckets[0]
			var notes []string
			for _, n := range b.Notes {
				notes = append(notes, n.Pos.String()+": "+n.Text)
			}
			if len(b.Rules) != tc.rules || strings.Join(notes, "\n") != strings.Join(tc.notes, "\n") {
				t.Errorf("%d rules, notes:\n%s\nwant %d rules, notes:\n%s", len(b.Rules), strings.Join(notes, "\n"), tc.rules, strings.Join(tc.notes, "\n"))
			}
		})
	}
}

// TestTerraformPicksCostWhatTheyPick refers 200 times to one key of a
// local map of 5,000 entries: each reference costs what it picks, so the
// configuration is read whole, well inside the bound on steps that a
// copy of the whole map at each reference (2 million values) would pass.
func TestTerraformPicksCostWhatTheyPick(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("locals {\n  m = {\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "    k%d = [\"https://k%d.example.com\"]\n", i, i)
	}
	b.WriteString("  }\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n")
	for range 200 {
		b.WriteString("  cors_rule {\n    allowed_origins = local.m.k7\n    allowed_methods = [\"GET\"]\n  }\n")
	}
	b.WriteString("}\n")
	r, err := iac.Parse("main.tf", []byte(b.String()), iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	if rules := r.Buckets[0].Rules; len(rules) != 200 || rules[199].AllowedOrigins[0] != "https://k7.example.com" {
		t.Errorf("%d rules, the last %+v", len(rules), rules[len(rules)-1])
	}
}

// TestPlanInlineRulesReadBack: since provider 4, the cors_rule of
// aws_s3_bucket is Optional and Computed, and the provider reads the
// bucket's CORS into it (resourceBucketRead: GetBucketCors, then
// d.Set("cors_rule", ...)). A plan or state of a bucket whose CORS an
// aws_s3_bucket_cors_configuration sets holds there the rules as they were
// before the plan, which aws_s3_bucket does not send: here an origin the
// plan corrects. Only the aws_s3_bucket_cors_configuration is judged; an
// aws_s3_bucket of another bucket still is.
func TestPlanInlineRulesReadBack(t *testing.T) {
	t.Parallel()
	stale := `[{"allowed_headers": [], "allowed_methods": ["GET"], "allowed_origins": ["https://app.example.com/"], "expose_headers": [], "max_age_seconds": 0}]`
	fixed := `[{"allowed_headers": null, "allowed_methods": ["GET"], "allowed_origins": ["https://app.example.com"], "expose_headers": null, "id": "", "max_age_seconds": 3000}]`
	bucket := func(name, rules string) string {
		return `{"address": "aws_s3_bucket.` + name + `", "mode": "managed", "type": "aws_s3_bucket", "name": "` + name + `",
  "change": {"actions": ["no-op"], "before": {"bucket": "acme-` + name + `", "cors_rule": ` + rules + `},
    "after": {"bucket": "acme-` + name + `", "cors_rule": ` + rules + `}, "after_unknown": {}}}`
	}
	config := func(actions, before, after string) string {
		return `{"address": "aws_s3_bucket_cors_configuration.site", "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": "site",
  "change": {"actions": ` + actions + `, "before": {"bucket": "acme-site", "cors_rule": ` + before + `},
    "after": ` + after + `, "after_unknown": {}}}`
	}
	for _, tc := range []struct {
		name, plan string
		want       []string
	}{
		{"update", `{"format_version": "1.2", "resource_changes": [` + bucket("site", stale) + `, ` + bucket("other", stale) + `, ` +
			config(`["update"]`, stale, `{"bucket": "acme-site", "cors_rule": `+fixed+`}`) + `]}`,
			[]string{"aws_s3_bucket.other", "aws_s3_bucket_cors_configuration.site"}},
		{"delete", `{"format_version": "1.2", "resource_changes": [` + bucket("site", stale) + `, ` +
			config(`["delete"]`, stale, `null`) + `]}`, nil},
		{"state", `{"format_version": "1.0", "values": {"root_module": {"resources": [
  {"address": "aws_s3_bucket.site", "mode": "managed", "type": "aws_s3_bucket", "name": "site", "values": {"bucket": "acme-site", "cors_rule": ` + fixed + `}},
  {"address": "aws_s3_bucket_cors_configuration.site", "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": "site", "values": {"bucket": "acme-site", "cors_rule": ` + fixed + `}}]}}}`,
			[]string{"aws_s3_bucket_cors_configuration.site"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("plan.json", []byte(tc.plan), iac.Options{Kind: iac.TerraformPlan})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				got = append(got, b.Resource)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("buckets %q, want %q", got, tc.want)
			}
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, n.Text)
			}
			if len(notes) != 1 || !strings.HasPrefix(notes[0], "aws_s3_bucket.site: its cors_rule is what the AWS provider read from the bucket") {
				t.Errorf("notes %q, want one saying why aws_s3_bucket.site is not judged", notes)
			}
		})
	}
}

// TestTerraformDefaultNotes: every bucket judged with a variable's
// default says so, and every bucket that reads a local value a condition
// decides says how, whichever reads the variable or the local value first,
// the count of a resource included (a value is read once and kept).
func TestTerraformDefaultNotes(t *testing.T) {
	t.Parallel()
	src := `variable "origins" {
  type    = list(string)
  default = ["https://a.example"]
}
locals {
  headers = length(var.origins) > 1 ? ["*"] : ["x-one"]
}
resource "aws_s3_bucket_cors_configuration" "one" {
  count  = length(var.origins) > 0 ? 1 : 0
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.origins
    allowed_headers = local.headers
  }
}
resource "aws_s3_bucket_cors_configuration" "two" {
  bucket = "c"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.origins
    allowed_headers = local.headers
  }
}
`
	r := parseTerraform(t, src)
	if len(r.Buckets) != 2 {
		t.Fatalf("%d buckets, want 2", len(r.Buckets))
	}
	for _, b := range r.Buckets {
		var got []string
		for _, n := range b.Notes {
			if strings.HasPrefix(n.Text, "variable origins is judged with its default") {
				got = append(got, n.Pos.String())
			}
		}
		if len(got) != 1 || got[0] != map[string]string{"aws_s3_bucket_cors_configuration.one[0]": "main.tf:13:23", "aws_s3_bucket_cors_configuration.two": "main.tf:21:23"}[b.Resource] {
			t.Errorf("%s: notes on the default at %q, want one at its allowed_origins", b.Resource, got)
		}
		if !slices.ContainsFunc(b.Notes, func(n iac.Note) bool {
			return n.Pos.String() == "main.tf:6:13" && strings.HasPrefix(n.Text, "the condition length(var.origins) > 1 is false here")
		}) {
			t.Errorf("%s: notes %+v, want one on the condition of local.headers", b.Resource, b.Notes)
		}
	}
	// A module call's argument is read in the caller's module, for the
	// bucket of the module called.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": "variable \"origins\" {\n  default = [\"https://a.example\"]\n}\nmodule \"m\" {\n  source  = \"./m\"\n  origins = var.origins\n}\n",
		"m/main.tf": "variable \"origins\" {}\nresource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n" +
			"  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = var.origins\n  }\n}\n",
	})
	r, err := iac.Load(dir, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || !slices.ContainsFunc(r.Buckets[0].Notes, func(n iac.Note) bool {
		return strings.HasPrefix(n.Text, "variable origins is judged with its default")
	}) {
		t.Errorf("buckets %+v, want module.m's with a note on the root's default", r.Buckets)
	}
}

// TestTerraformExpandNotes: a bucket whose instances a count or for_each
// makes from a variable's default, or a condition, says so, as a bucket
// whose rules read them does: the instances exist because of those
// values. A module called with for_each passes its notes to the buckets
// in it. A variable the rules read too is noted once, where they read it.
func TestTerraformExpandNotes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `variable "sites" {
  default = { web = "https://web.example", api = "https://api.example" }
}
resource "aws_s3_bucket_cors_configuration" "each" {
  for_each = var.sites
  bucket   = each.key
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [each.value]
  }
}
variable "enabled" {
  default = true
}
resource "aws_s3_bucket_cors_configuration" "guarded" {
  count  = var.enabled ? 1 : 0
  bucket = "g"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [var.sites["web"]]
  }
}
module "m" {
  source   = "./m"
  for_each = var.sites
  origin   = each.value
}
`,
		"m/main.tf": `variable "origin" {}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [var.origin]
  }
}
`,
	})
	r, err := iac.Load(dir, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const sitesDefault, enabledDefault = "variable sites is judged with its default", "variable enabled is judged with its default"
	const condition = "the condition var.enabled is true here"
	want := map[string][]string{ // the notes' positions and first words
		`aws_s3_bucket_cors_configuration.each["api"]`:       {"main.tf:5:14 " + sitesDefault},
		`aws_s3_bucket_cors_configuration.each["web"]`:       {"main.tf:5:14 " + sitesDefault},
		`aws_s3_bucket_cors_configuration.guarded[0]`:        {"main.tf:16:12 " + enabledDefault, "main.tf:16:12 " + condition, "main.tf:20:24 " + sitesDefault},
		`module.m["api"].aws_s3_bucket_cors_configuration.c`: {"main.tf:25:14 " + sitesDefault},
		`module.m["web"].aws_s3_bucket_cors_configuration.c`: {"main.tf:25:14 " + sitesDefault},
	}
	if len(r.Buckets) != len(want) {
		t.Fatalf("%d buckets, want %d", len(r.Buckets), len(want))
	}
	for _, b := range r.Buckets {
		var got []string
		for _, n := range b.Notes {
			if strings.HasPrefix(n.Text, "variable ") || strings.HasPrefix(n.Text, "the condition ") {
				got = append(got, filepath.Base(n.Pos.File)+":"+strconv.Itoa(n.Pos.Line)+":"+strconv.Itoa(n.Pos.Column)+" "+n.Text)
			}
		}
		w := want[b.Resource]
		if len(got) != len(w) {
			t.Errorf("%s: notes %q, want %q", b.Resource, got, w)
			continue
		}
		for i := range w {
			if !strings.HasPrefix(got[i], w[i]) {
				t.Errorf("%s: note %d %q, want %q", b.Resource, i, got[i], w[i])
			}
		}
	}
}

// TestUnknownMemberAtKey: a member the tool does not know is reported
// where its name is written, not its value, as cfn-lint 1.51.0 reports
// E3002 (a.yaml:9:13, b.json:2:3 and 4:6, checked) and Terraform its
// "Unsupported argument" (at the argument's name), so that an annotation
// lands on the line to fix when the value starts on the next.
func TestUnknownMemberAtKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, src string
		want      []string
	}{
		{"a.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
			"          - AllowedMethods: [GET]\n            AllowedOrigins: [\"*\"]\n            MaxAgeSecond:\n              5\n", []string{"a.yaml:9:13"}},
		{"b.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {
  "CorsRule": [],
  "CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"],
     "ExposeHeaders": ["ETag"]}]}}}}}
`, []string{"b.json:2:3", "b.json:4:6"}},
		{"main.tf", `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    expose_header = [
      "ETag"]
  }
}
`, []string{"main.tf:6:5"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse(tc.file, []byte(tc.src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range r.Buckets[0].Errors {
				if e.Code == iac.CodeUnknownMember {
					got = append(got, e.Pos.String())
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("unknown members at %q, want %q", got, tc.want)
			}
		})
	}
}

// TestUnjudgedExprIsText: the expression of a value not judged is
// shortened for messages at a character's boundary, so that it stays
// UTF-8 text, whatever the expression holds.
func TestUnjudgedExprIsText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, src, prefix string
		kind                    iac.Kind
	}{
		{"terraform", "main.tf", "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    allowed_methods = [\"GET\"]\n" +
			"    allowed_origins = [title(\"" + strings.Repeat("é", 40) + "\")]\n  }\n}\n", "title(\"éé", iac.Terraform},
		// "!ImportValue " is 13 bytes: byte 60 falls inside a "é".
		{"cloudformation", "template.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
			"          - AllowedMethods: [GET]\n            AllowedOrigins: [!ImportValue " + strings.Repeat("é", 40) + "]\n", "!ImportValue éé", iac.CloudFormation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse(tc.file, []byte(tc.src), iac.Options{Kind: tc.kind})
			if err != nil {
				t.Fatal(err)
			}
			u := r.Buckets[0].Unjudged
			if len(u) != 1 {
				t.Fatalf("not judged: %+v, want the one call", u)
			}
			if !utf8.ValidString(u[0].Expr) || !strings.HasPrefix(u[0].Expr, tc.prefix) || !strings.HasSuffix(u[0].Expr, "...") {
				t.Errorf("Expr %q, want the call shortened to whole characters", u[0].Expr)
			}
		})
	}
}

// TestTerraformInlineNoRules: an aws_s3_bucket whose dynamic cors_rule
// blocks make no rule (a module's optional CORS, an empty list by
// default) has no CORS configuration: the AWS provider puts one only for
// rules, and deletes the bucket's otherwise (resourceBucketInternalCorsUpdate:
// "if len(rawCors) == 0 { DeleteBucketCors }"). It is not judged as a
// configuration without CORSRule, which S3 refuses.
func TestTerraformInlineNoRules(t *testing.T) {
	t.Parallel()
	src := `variable "cors_rules" {
  type    = list(any)
  default = []
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.cors_rules
    content {
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
    }
  }
}
`
	r := parseTerraform(t, src)
	for _, b := range r.Buckets {
		v := iac.Judge(b)
		t.Errorf("%s is read, %d rules, problems %+v, want no configuration", b.Resource, len(b.Rules), v.Problems)
	}
	if len(r.Notes) != 1 || !strings.HasPrefix(r.Notes[0].Text, "aws_s3_bucket.b: its dynamic cors_rule blocks make no rule") {
		t.Errorf("notes %+v, want one saying aws_s3_bucket.b has no rule", r.Notes)
	}
}

// TestPlanRuleSetOrder: the cors_rule of aws_s3_bucket_cors_configuration
// is a set, whose order in a plan is Terraform's and not the one the
// provider sends (schema.Set.List, by hash): a plan's rules say so, as a
// configuration's do, since lint's findings about rule order assume it.
// The inline cors_rule of aws_s3_bucket is a list, sent in its order.
func TestPlanRuleSetOrder(t *testing.T) {
	t.Parallel()
	rules := `[{"allowed_methods": ["GET"], "allowed_origins": ["*"], "max_age_seconds": 60},
  {"allowed_methods": ["GET"], "allowed_origins": ["https://a.example.com"], "max_age_seconds": 60}]`
	resource := func(typ string) string {
		return `{"address": "` + typ + `.r", "mode": "managed", "type": "` + typ + `", "name": "r",
  "change": {"actions": ["create"], "before": null, "after": {"bucket": "acme-` + typ + `", "cors_rule": ` + rules + `}, "after_unknown": {}}}`
	}
	plan := `{"format_version": "1.2", "resource_changes": [` + resource("aws_s3_bucket_cors_configuration") + `, ` + resource("aws_s3_bucket") + `]}`
	r, err := iac.Parse("plan.json", []byte(plan), iac.Options{Kind: iac.TerraformPlan})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 2 {
		t.Fatalf("%d buckets, want 2", len(r.Buckets))
	}
	for _, b := range r.Buckets {
		noted := slices.ContainsFunc(b.Notes, func(n iac.Note) bool { return strings.HasPrefix(n.Text, "cors_rule is a set") })
		if want := b.Type == "aws_s3_bucket_cors_configuration"; noted != want {
			t.Errorf("%s: a note that cors_rule is a set: %v, want %v (notes %+v)", b.Resource, noted, want, b.Notes)
		}
	}
}

// TestRequiredMembers: CloudFormation's resource schema for
// AWS::S3::Bucket CorsRule requires AllowedMethods and AllowedOrigins, and
// the AWS provider's cors_rule requires allowed_methods and
// allowed_origins (Required: true in both resources): a rule without one,
// not written, null or removed by AWS::NoValue, is refused by the tool
// before S3 sees it, not only by S3 as MalformedXML. A value not known is
// not missing.
func TestRequiredMembers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, src string
		want            []string
	}{
		{"cloudformation", "t.yaml", `Parameters: {O: {Type: String}}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: ["*"]
          - AllowedMethods: [GET]
            AllowedOrigins: !Ref AWS::NoValue
          - {AllowedMethods: [GET], AllowedOrigins: !Ref O}
`, []string{"t.yaml:8:13 rule 1 AllowedMethod: CloudFormation requires AllowedMethods in a CORS rule",
			"t.yaml:9:13 rule 2 AllowedOrigin: CloudFormation requires AllowedOrigins in a CORS rule"}},
		{"terraform", "main.tf", `variable "o" {}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = ["*"]
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = null
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.o
  }
}
resource "aws_s3_bucket" "legacy" {
  bucket = "l"
  cors_rule {
    allowed_methods = ["GET"]
  }
}
`, []string{"main.tf:4:3 rule 1 AllowedMethod: Terraform requires allowed_methods in a CORS rule",
			"main.tf:7:3 rule 2 AllowedOrigin: Terraform requires allowed_origins in a CORS rule",
			"main.tf:18:3 rule 1 AllowedOrigin: Terraform requires allowed_origins in a CORS rule"}},
		// cors_rule is Required: the SDK's shim leaves an empty set of
		// blocks out of the configuration, and the provider refuses
		// it, whether no block is written or a dynamic block makes none.
		{"terraform-no-rule", "main.tf", `variable "rules" {}
resource "aws_s3_bucket_cors_configuration" "none" {
  bucket = "b"
}
resource "aws_s3_bucket_cors_configuration" "empty" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = []
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["*"]
    }
  }
}
resource "aws_s3_bucket_cors_configuration" "unknown" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.rules
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["*"]
    }
  }
}
# A count not known may well be 0 when there is no rule.
resource "aws_s3_bucket_cors_configuration" "guarded" {
  count  = var.rules == null ? 0 : 1
  bucket = "b"
  dynamic "cors_rule" {
    for_each = []
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["*"]
    }
  }
}
`, []string{"main.tf:2:1 rule 0 : Terraform requires a cors_rule block in aws_s3_bucket_cors_configuration",
			"main.tf:7:3 rule 0 : Terraform requires a cors_rule block in aws_s3_bucket_cors_configuration"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse(tc.file, []byte(tc.src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				if v := iac.Judge(b); strings.Contains(b.Resource, "guarded") && len(v.Problems) > 0 {
					t.Errorf("%s: problems %+v, want none while its count is not known", b.Resource, v.Problems)
				}
				for _, e := range b.Errors {
					if e.Code == iac.CodeMissingMember {
						got = append(got, fmt.Sprintf("%s rule %d %s: %s", e.Pos, e.Rule, e.Field, e.Message))
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("missing members:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestTerraformTooManyRules: the AWS provider's schema gives the cors_rule
// block of aws_s3_bucket_cors_configuration a MaxItems of 100, and
// Terraform refuses the configuration past it ("Too many cors_rule
// blocks: No more than 100 "cors_rule" blocks are allowed", at the first
// block too many), blocks a dynamic block makes included, before S3 sees
// it; only S3's InvalidRequest, whose code the spec calls uncertain (§2
// V10), was reported. The inline cors_rule of aws_s3_bucket has no such
// bound.
func TestTerraformTooManyRules(t *testing.T) {
	t.Parallel()
	block := func(i int) string {
		return fmt.Sprintf("  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = [\"https://a%d.example.com\"]\n  }\n", i)
	}
	var static strings.Builder
	for i := range 101 {
		static.WriteString(block(i))
	}
	for _, tc := range []struct {
		name, src string
		want      string // the error's position, "" for none
	}{
		{"101 blocks", "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n" + static.String() + "}\n", "main.tf:403:3"},
		{"100 blocks", "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n" + strings.Repeat(block(0), 1) +
			strings.TrimPrefix(static.String(), block(0)+block(1)) + "}\n", ""},
		{"dynamic", `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = ["https://app.example.com"]
  }
  dynamic "cors_rule" {
    for_each = [` + strings.Repeat(`"a", `, 99) + `"b"]
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["https://${cors_rule.key}.example.com"]
    }
  }
}
`, "main.tf:7:3"},
		{"inline", "resource \"aws_s3_bucket\" \"c\" {\n  bucket = \"b\"\n" + static.String() + "}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("main.tf", []byte(tc.src), iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range r.Buckets[0].Errors {
				got = append(got, fmt.Sprintf("%s %s %s", e.Pos, e.Code, e.Message))
			}
			var want []string
			if tc.want != "" {
				want = []string{tc.want + " " + iac.CodeOutOfRange + ` Terraform refuses 101 cors_rule blocks: "Too many cors_rule blocks: No more than 100 \"cors_rule\" blocks are allowed" (the AWS provider's schema)`}
			}
			if !slices.Equal(got, want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestTerraformSameBucket: S3 keeps one CORS configuration per bucket, and
// the AWS provider's documentation warns that two
// aws_s3_bucket_cors_configuration of one bucket, or one beside the
// inline cors_rule of its aws_s3_bucket, "cause a perpetual difference":
// each apply puts one resource's rules in place of the other's. Each was
// judged as if S3 kept it. A resource that names the bucket after one
// read before it gets a note; a bucket is the same when named by the same
// aws_s3_bucket (its id or its bucket) or by the same known name.
func TestTerraformSameBucket(t *testing.T) {
	t.Parallel()
	src := `variable "name" {
  default = "shared"
}
resource "aws_s3_bucket" "b" {
  bucket = "legacy"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "by_id" {
  bucket = aws_s3_bucket.b.id
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://b.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "by_name" {
  bucket = "legacy"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://c.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "var" {
  bucket = var.name
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://d.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "each" {
  for_each = toset(["shared", "other", "another"])
  bucket   = each.key
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://e.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "other_bucket" {
  bucket = aws_s3_bucket.c.bucket
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://f.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "unknown" {
  bucket = aws_s3_bucket.b.arn
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://g.example.com"]
  }
}
resource "aws_s3_bucket" "plain" {
  bucket = "photos"
}
resource "aws_s3_bucket_cors_configuration" "plain_ref" {
  bucket = aws_s3_bucket.plain.id
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://h.example.com"]
  }
}
resource "aws_s3_bucket_cors_configuration" "plain_name" {
  bucket = "photos"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://i.example.com"]
  }
}
`
	r, err := iac.Parse("main.tf", []byte(src), iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range r.Buckets {
		for _, n := range b.Notes {
			if strings.Contains(n.Text, "same bucket") {
				got = append(got, fmt.Sprintf("%s %s: %s", n.Pos, b.Resource, n.Text))
			}
		}
	}
	const tail = ": S3 keeps one CORS configuration per bucket, so each apply puts one resource's rules in place of the other's, and each plan shows a change to put the other's back"
	want := []string{
		"main.tf:11:1 aws_s3_bucket_cors_configuration.by_id: sets the CORS configuration of the same bucket as aws_s3_bucket.b, at main.tf:4:1" + tail,
		"main.tf:18:1 aws_s3_bucket_cors_configuration.by_name: sets the CORS configuration of the same bucket as aws_s3_bucket.b, at main.tf:4:1" + tail,
		`main.tf:32:1 aws_s3_bucket_cors_configuration.each["shared"]: sets the CORS configuration of the same bucket as aws_s3_bucket_cors_configuration.var, at main.tf:25:1` + tail,
		// An aws_s3_bucket without inline rules names the bucket too.
		"main.tf:64:1 aws_s3_bucket_cors_configuration.plain_name: sets the CORS configuration of the same bucket as aws_s3_bucket_cors_configuration.plain_ref, at main.tf:57:1" + tail,
	}
	if !slices.Equal(got, want) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPlanSameBucket: in a plan, two aws_s3_bucket_cors_configuration that
// set the CORS of one bucket (by its name, which a plan knows) get the
// note TestTerraformSameBucket shows; one the plan deletes sets nothing.
func TestPlanSameBucket(t *testing.T) {
	t.Parallel()
	config := func(name, actions, bucket string) string {
		rules := `[{"allowed_methods": ["GET"], "allowed_origins": ["https://` + name + `.example.com"], "max_age_seconds": 3000}]`
		after := `{"bucket": "` + bucket + `", "cors_rule": ` + rules + `}`
		if actions == `["delete"]` {
			after = "null"
		}
		return `{"address": "aws_s3_bucket_cors_configuration.` + name + `", "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": "` + name + `",
  "change": {"actions": ` + actions + `, "before": {"bucket": "` + bucket + `", "cors_rule": ` + rules + `}, "after": ` + after + `, "after_unknown": {}}}`
	}
	plan := `{"format_version": "1.2", "resource_changes": [` + strings.Join([]string{
		config("old", `["delete"]`, "acme"), config("a", `["create"]`, "acme"), config("b", `["update"]`, "other"),
		config("c", `["no-op"]`, "acme")}, ",\n") + `]}`
	r, err := iac.Parse("plan.json", []byte(plan), iac.Options{Kind: iac.TerraformPlan})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range r.Buckets {
		for _, n := range b.Notes {
			if strings.Contains(n.Text, "same bucket") {
				got = append(got, fmt.Sprintf("%s %s: %s", n.Pos, b.Resource, n.Text))
			}
		}
	}
	want := []string{"plan.json:7:13 aws_s3_bucket_cors_configuration.c: sets the CORS configuration of the same bucket as aws_s3_bucket_cors_configuration.a, at plan.json:3:13" +
		": S3 keeps one CORS configuration per bucket, so each apply puts one resource's rules in place of the other's, and each plan shows a change to put the other's back"}
	if !slices.Equal(got, want) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCloudFormationSchema: CloudFormation validates AWS::S3::Bucket's
// properties against its resource schema before it calls S3, and fails
// the deployment: "Properties validation failed for resource
// BucketForS3ExplorerSavedConfiguration with the message:
// [#/CorsConfiguration/CorsRules/0/AllowedOrigins: array items are not
// unique]" (Authress-Engineering/aws-s3-explorer#16). The schema has
// uniqueItems on CorsRules and on each rule's lists, and a minimum of 0 on
// MaxAge. Terraform's sets take the same values without complaint.
func TestCloudFormationSchema(t *testing.T) {
	t.Parallel()
	tmpl := `Parameters:
  Origins: {Type: CommaDelimitedList, Default: "https://a.example.com,https://a.example.com"}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: ["https://a.example.com", "https://b.example.com", "https://a.example.com"]
            AllowedMethods: [GET, HEAD, GET]
            AllowedHeaders: ["*", "*"]
            ExposedHeaders: [ETag, ETag]
            MaxAge: -1
          - AllowedOrigins: !Ref Origins
            AllowedMethods: [PUT]
          - {AllowedOrigins: ["https://c.example.com"], AllowedMethods: [GET], MaxAge: 0}
          - {AllowedOrigins: ["https://c.example.com"], AllowedMethods: [GET], MaxAge: 0}
          - {AllowedOrigins: ["https://c.example.com"], AllowedMethods: [GET]}
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Buckets[0].Errors {
		got = append(got, fmt.Sprintf("%s %s rule %d", e.Pos, e.Code, e.Rule))
	}
	want := []string{
		"t.yaml:9:80 not-unique rule 1",
		"t.yaml:10:41 not-unique rule 1",
		"t.yaml:11:35 not-unique rule 1",
		"t.yaml:12:36 not-unique rule 1",
		"t.yaml:13:21 out-of-range rule 1",
		"t.yaml:2:71 not-unique rule 2",
		"t.yaml:17:13 not-unique rule 4",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v := iac.Judge(r.Buckets[0]); v.Valid() {
		t.Error("the bucket is judged valid")
	}
	caveats := iac.CloudFormationCaveats([]corsrule.Rule{
		{AllowedOrigins: []string{"a", "a"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(-1)},
		{AllowedOrigins: []string{"a"}, AllowedMethods: []string{"GET"}},
		{AllowedOrigins: []string{"a"}, AllowedMethods: []string{"GET"}},
	})
	wantCaveats := []string{
		`rule 1: AllowedOrigins lists "a" twice, which CloudFormation refuses`,
		"rule 1: MaxAge -1 is below 0, which CloudFormation refuses",
		"rule 3: the same as rule 2, which CloudFormation refuses in CorsRules",
	}
	if strings.Join(caveats, "\n") != strings.Join(wantCaveats, "\n") {
		t.Errorf("caveats:\n%s\nwant:\n%s", strings.Join(caveats, "\n"), strings.Join(wantCaveats, "\n"))
	}
}

// TestCloudFormationMethodEnum: the resource schema of AWS::S3::Bucket
// allows only GET, PUT, HEAD, POST and DELETE in a CorsRule's
// AllowedMethods ("Allowed values: GET | PUT | HEAD | POST | DELETE"), so
// CloudFormation refuses another method before S3 sees it, as it refuses
// an item listed twice; only S3's InvalidRequest was reported, as if S3
// answered the deployment.
func TestCloudFormationMethodEnum(t *testing.T) {
	t.Parallel()
	tmpl := `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: ["*"], AllowedMethods: [GET, get, OPTIONS, PUT, HEAD, POST, DELETE]}
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Buckets[0].Errors {
		got = append(got, fmt.Sprintf("%s %s rule %d %s hint %q", e.Pos, e.Code, e.Rule, e.Field, e.Hint))
	}
	want := []string{
		`t.yaml:7:59 not-allowed rule 1 AllowedMethod hint "Write \"GET\""`,
		`t.yaml:7:64 not-allowed rule 1 AllowedMethod hint ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTerraformVariableTypes: Terraform converts a variable's value to its
// type constraint: an object attribute declared optional(T) that the
// value leaves out, or sets to null, is null, or the default
// optional(T, default) gives (Terraform 1.3 and later), so
// cors_rule.value.max_age_seconds is known
// there, not "not known"; a set(string) is ordered and holds each value
// once, which aws_s3_bucket's inline list then keeps.
func TestTerraformVariableTypes(t *testing.T) {
	t.Parallel()
	src := `variable "rules" {
  type = list(object({
    allowed_methods = list(string)
    allowed_origins = set(string)
    allowed_headers = optional(list(string))
    max_age_seconds = optional(number, 3000)
  }))
  default = [
    { allowed_methods = ["GET"], allowed_origins = ["https://b.example.com", "https://a.example.com", "https://b.example.com"] },
    { allowed_methods = ["PUT"], allowed_origins = ["https://c.example.com"], allowed_headers = ["*"], max_age_seconds = 60 },
    { allowed_methods = ["GET"], allowed_origins = ["https://d.example.com"], max_age_seconds = null },
  ]
}
resource "aws_s3_bucket" "legacy" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.rules
    content {
      allowed_methods = cors_rule.value.allowed_methods
      allowed_origins = cors_rule.value.allowed_origins
      allowed_headers = cors_rule.value.allowed_headers
      max_age_seconds = cors_rule.value.max_age_seconds
    }
  }
}
`
	r := parseTerraform(t, src)
	b := r.Buckets[0]
	for _, u := range b.Unjudged {
		t.Errorf("not judged: %s %s: %s", u.Pos, u.Expr, u.Why)
	}
	if len(b.Rules) != 3 {
		t.Fatalf("%d rules, want 3", len(b.Rules))
	}
	var got []string
	for _, rule := range b.Rules {
		age := "unset"
		if rule.MaxAgeSeconds != nil {
			age = strconv.Itoa(int(*rule.MaxAgeSeconds))
		}
		got = append(got, fmt.Sprintf("%q %q %s", rule.AllowedOrigins, rule.AllowedHeaders, age))
	}
	want := []string{
		`["https://a.example.com" "https://b.example.com"] [] 3000`,
		`["https://c.example.com"] ["*"] 60`,
		// Set to null, the attribute takes the default too
		// (hcl's typeexpr Defaults.Apply: "!ok || value.IsNull()").
		`["https://d.example.com"] [] 3000`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTerraformPrimitiveConversions: Terraform converts a variable's value
// to a primitive type constraint, alone or within a collection or an
// object (cty's convert): a number or a boolean to a string, a string to a
// number or a boolean. A comparison then sees the converted value: == of a
// string and a number is false, so judging the value as written picked the
// other branch of a conditional. The expected values are what terraform
// console 1.11.4 prints for each expression with these declarations. A
// value that does not convert fails the plan: not judged.
func TestTerraformPrimitiveConversions(t *testing.T) {
	t.Parallel()
	const decls = `variable "port" {
  type    = string
  default = 8080
}
variable "max_age" {
  type    = number
  default = "3000"
}
variable "credentials" {
  type    = bool
  default = "true"
}
variable "ports" {
  type    = map(string)
  default = { dev = 3000, prod = true }
}
variable "ages" {
  type    = list(number)
  default = ["60", 600]
}
variable "site" {
  type = object({
    port = optional(string)
    tls  = optional(bool, "false")
  })
  default = { port = 443 }
}
variable "bad" {
  type    = number
  default = "many"
}
`
	for _, tc := range []struct {
		expr string // the value of allowed_origins
		want string // the origins, or "not judged: " and part of why
	}{
		{`var.port == "8080" ? ["http://localhost:8080"] : ["https://prod"]`, `["http://localhost:8080"]`},
		{`var.port == 8080 ? ["https://n"] : ["https://s"]`, `["https://s"]`},
		{`var.max_age == 3000 ? ["https://n"] : ["https://s"]`, `["https://n"]`},
		{`var.credentials == true ? ["https://b"] : ["https://s"]`, `["https://b"]`},
		{`var.ports.dev == "3000" && var.ports.prod == "true" ? ["https://m"] : []`, `["https://m"]`},
		{`[for a in var.ages : a == 60 ? "https://60" : "https://other"]`, `["https://60" "https://other"]`},
		{`var.site.port == "443" && var.site.tls == false ? ["https://o"] : []`, `["https://o"]`},
		{`var.bad == 1 ? ["https://x"] : ["https://y"]`, "not judged: Terraform refuses the value of variable bad"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformNumericKeys: a number used as an object key or an index is
// the number, not the text written: Terraform converts it to a string in
// its shortest form for a key ({ (1.0) = x } has the key "1") and a string
// to a number for a list's index (list["1.0"] is list[1]). Judged as
// written, a lookup failed, and try took its fallback where Terraform
// takes the value. The expected values are what terraform console 1.11.4
// prints.
func TestTerraformNumericKeys(t *testing.T) {
	t.Parallel()
	const decls = `locals {
  list = ["https://l0", "https://l1"]
}
`
	for _, tc := range []struct{ expr, want string }{
		{`[local.list[(1.0)]]`, `["https://l1"]`},
		{`[local.list["1.0"]]`, `["https://l1"]`},
		{`try([local.list[(1.0)]], ["https://fallback"])`, `["https://l1"]`},
		{`[{ "1" = "https://one" }[(1.0)]]`, `["https://one"]`},
		{`[{ (1.0) = "https://k" }["1"]]`, `["https://k"]`},
		{`[{ for n in [2.50] : n => "https://f" }["2.5"]]`, `["https://f"]`},
		{`try([local.list[(1.5)]], ["https://half"])`, `["https://half"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformDuplicateKeys: an object constructor that writes a key twice
// has the last value (HCL's ObjectConsExpr), where the first was read; a
// for expression that makes a key twice is Terraform's error (Duplicate
// object key) unless it groups with "...", where both were kept, so a
// dynamic block over { for r in var.rules : r.id => r } made a rule for
// each of two rules of one id. A key written as a reference of more than
// one step (local.key, not (local.key)) is Terraform's error (Ambiguous
// attribute key), where the reference was read. The expected values are what terraform
// console 1.11.4 prints.
func TestTerraformDuplicateKeys(t *testing.T) {
	t.Parallel()
	const decls = `locals {
  key = "a"
}
`
	for _, tc := range []struct{ expr, want string }{
		{`[{ a = "https://1", "a" = "https://2" }.a]`, `["https://2"]`},
		{`[{ (local.key) = "https://1", a = "https://2" }["a"]]`, `["https://2"]`},
		{`[lookup({ for o in ["https://x", "https://x"] : o => o }, "https://x")]`, "fails: two elements make the key"},
		{`try([for k, v in { for o in ["https://x", "https://x"] : o => o } : v], ["https://dup"])`, `["https://dup"]`},
		{`[for k, v in { for o in ["https://x", "https://y"] : o => o } : v]`, `["https://x" "https://y"]`},
		// A key that is a reference of more than one step, not in
		// parentheses, is Terraform's error (Ambiguous attribute key),
		// which try catches.
		{`try([{ local.key = "https://amb" }["a"]], ["https://fb"])`, `["https://fb"]`},
		{`try([{ local.key.x = "https://amb" }["a"]], ["https://fb"])`, `["https://fb"]`},
		{`[{ (local.key) = "https://paren" }["a"]]`, `["https://paren"]`},
		{`[{ local = "https://word" }["local"]]`, `["https://word"]`},
		// jsondecode of a member written twice with values of two types:
		// terraform console 1.11.4 gives the last value
		// ("https://a.example") where the go-cty this module requires
		// refuses the object; not judged, never refused. Of one type,
		// both give the last (TestTerraformFunctions).
		{`[jsondecode("{\"o\": 1, \"o\": \"https://a.example\"}").o]`, "not judged: jsondecode of an object with a member written twice"},
		{`[jsondecode("{\"o\": true, \"o\": \"https://b.example\"}").o]`, "not judged: jsondecode of an object with a member written twice"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformConditionalTypes: a conditional's result has the type both
// branches convert to (HCL's ConditionalExpr unifies them, the branch not
// taken included), and branches of no common type are Terraform's error
// (Inconsistent conditional result types), which try catches. A branch
// not taken that fails has no type; one whose type is not known here
// leaves a number or a boolean not known. The expected values are what
// terraform console 1.11.4 prints.
func TestTerraformConditionalTypes(t *testing.T) {
	t.Parallel()
	const decls = `variable "nodefault" {}
locals {
  obj = { a = "https://obj" }
}
`
	for _, tc := range []struct{ expr, want string }{
		{`[false ? "https://a" : 1]`, `["1"]`},
		{`true ? [1] : ["https://a"]`, `["1"]`},
		{`true ? [true, 2.50] : ["https://a", "https://b"]`, `["true" "2.5"]`},
		{`(true ? 1 : "a") == 1 ? ["https://num"] : ["https://str"]`, `["https://str"]`},
		{`try([true ? 1 : true], ["https://fb"])`, `["https://fb"]`},
		{`try(true ? ["https://t"] : {}, ["https://fb"])`, `["https://fb"]`},
		{`try(true ? { a = [1] } : { a = [true] }, { a = ["https://fb"] }).a`, `["https://fb"]`},
		{`[true ? { a = 1 } : { b = "https://x" }][0].a == "1" ? ["https://map"] : []`, `["https://map"]`},
		{`true ? ["https://n"] : null`, `["https://n"]`},
		{`(true ? null : 1) == null ? ["https://null"] : []`, `["https://null"]`},
		{`false ? local.obj.missing : ["https://e"]`, `["https://e"]`},
		{`true ? ["https://s"] : var.nodefault`, `["https://s"]`},
		{`true ? [1] : var.nodefault`, "not judged: the type of the value not taken is not known"},
		// A set and a tuple convert to a set, a set and a list to a
		// list; a list of neither kind known leaves it not known.
		{`[for k, v in(false ? toset(["https://a"]) : ["https://c", "https://b", "https://c"]) : k]`, `["https://b" "https://c"]`},
		{`[for k, v in(true ? toset(["https://b", "https://a"]) : [for x in [1] : "x"]) : k]`, `["https://a" "https://b"]`},
		{`[for k, v in(false ? toset(["https://a"]) : tolist(["https://c", "https://b"])) : v]`, `["https://c" "https://b"]`},
		{`false ? toset(["https://a"]) : concat(["https://c"], ["https://b"])`, "not judged: whether the result is a set"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformConditionalForEach: for_each = cond ? toset(...) : [] is a
// set either way, as HCL's conditional converts the empty tuple to the
// other branch's set type; terraform plan 1.11.4 takes it (terraform
// console prints toset([]) for false ? toset(["a"]) : []), where it was
// refused as for_each of a list.
func TestTerraformConditionalForEach(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		enabled string
		want    []string
	}{
		{"false", []string{}},
		{"true", []string{`c["a"]`}},
	} {
		t.Run(tc.enabled, func(t *testing.T) {
			t.Parallel()
			src := `resource "aws_s3_bucket_cors_configuration" "c" {
  for_each = ` + tc.enabled + ` ? toset(["a"]) : []
  bucket   = each.key
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`
			r := parseTerraform(t, src)
			got := []string{}
			for _, b := range r.Buckets {
				got = append(got, strings.TrimPrefix(b.Resource, "aws_s3_bucket_cors_configuration."))
				if len(b.Errors) > 0 {
					t.Errorf("%s: errors %+v, want none", b.Resource, b.Errors)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("buckets %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTerraformConditionalNotTakenNotes: the branch of a conditional not
// taken is evaluated for its type only: the conditions it holds are not
// noted, and a local value it reads first still notes its own condition
// where a later reference uses it.
func TestTerraformConditionalNotTakenNotes(t *testing.T) {
	t.Parallel()
	src := `locals {
  flag = true
  l    = local.flag ? ["https://l1"] : ["https://l2"]
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = true ? ["https://a"] : (local.flag ? ["https://b"] : local.l)
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = local.l
  }
}
`
	r := parseTerraform(t, src)
	var got []string
	for _, n := range r.Buckets[0].Notes {
		if strings.HasPrefix(n.Text, "the condition ") {
			got = append(got, n.Pos.String()+" "+n.Text)
		}
	}
	want := []string{
		"main.tf:9:23 the condition true is true here: judged with its first value",
		"main.tf:3:10 the condition local.flag is true here: judged with its first value",
	}
	if !slices.Equal(got, want) {
		t.Errorf("notes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTerraformLookupDefault: lookup's default takes the type of a map's
// elements (stdlib's LookupFunc converts it, and refuses one that does not
// convert); an object's default is kept as it is. The expected values are
// what terraform console 1.11.4 prints.
func TestTerraformLookupDefault(t *testing.T) {
	t.Parallel()
	const decls = `variable "m" {
  type    = map(string)
  default = { a = "b" }
}
variable "n" {
  type    = map(number)
  default = { a = 1 }
}
variable "e" {
  type    = map(string)
  default = {}
}
variable "a" {
  type    = map(any)
  default = { a = "x" }
}
variable "o" {
  type    = map(object({ origin = string, port = optional(number, 443) }))
  default = { a = { origin = "https://a" } }
}
`
	for _, tc := range []struct{ expr, want string }{
		{`lookup(var.m, "x", 5) == "5" ? ["https://str"] : ["https://num"]`, `["https://str"]`},
		// The default's type is checked whether or not the key is
		// there, against the type of the map's values, whose optional
		// attributes are there (terraform console 1.11.4: "the default
		// value must have the same type as the map elements" for each
		// of these but the last two).
		{`try(lookup(var.m, "a", [1]), ["https://fb2"])`, `["https://fb2"]`},
		{`try([lookup(var.o, "x", { origin = "https://d" }).origin], ["https://fb3"])`, `["https://fb3"]`},
		{`try([lookup(var.o, "a", { origin = "https://d" }).origin], ["https://fb4"])`, `["https://fb4"]`},
		{`[lookup(var.o, "x", { origin = "https://d", port = 1 }).origin]`, `["https://d"]`},
		{`[lookup(var.o, "a", { origin = "https://d", port = "1" }).origin]`, `["https://a"]`},
		{`lookup(var.a, "b", 5) == "5" ? ["https://str"] : ["https://num"]`, `["https://str"]`},
		{`lookup(var.e, "x", true) == "true" ? ["https://str"] : ["https://bool"]`, `["https://str"]`},
		{`lookup(tomap({ a = "x" }), "b", 5) == "5" ? ["https://str"] : ["https://num"]`, `["https://str"]`},
		{`lookup(var.n, "x", "5") == 5 ? ["https://num"] : ["https://str"]`, `["https://num"]`},
		{`try(lookup(var.n, "x", "many"), ["https://fb"])`, `["https://fb"]`},
		{`try(lookup(var.m, "x", [1]), ["https://fb"])`, `["https://fb"]`},
		{`lookup({ a = "x" }, "b", 5) == 5 ? ["https://num"] : ["https://str"]`, `["https://num"]`},
		{`lookup(var.m, "a", 5) == "b" ? ["https://found"] : []`, `["https://found"]`},
		// merge of maps of one type is a map of it (cty's MergeFunc),
		// of anything else an object.
		{`lookup(merge(var.m, var.e), "x", 5) == "5" ? ["https://str"] : ["https://num"]`, `["https://str"]`},
		{`lookup(merge(var.m, var.n), "x", 5) == 5 ? ["https://num"] : ["https://str"]`, `["https://num"]`},
		{`lookup(merge(var.m, {}), "x", 5) == 5 ? ["https://num"] : ["https://str"]`, `["https://num"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformCollectionConversions: tolist, toset and tomap convert their
// argument as cty does: elements of several scalar types become strings
// when one is a string, a number and a boolean have no common type, a
// scalar is no list nor a list a map (Terraform's errors, which try
// catches); a set holds a number once however written, and null after any
// value. The expected values are what terraform console 1.11.4 prints.
func TestTerraformCollectionConversions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`tolist(["https://a", 1])[1] == "1" ? ["https://conv"] : ["https://asis"]`, `["https://conv"]`},
		{`tomap({ a = "https://m", b = 8080 }).b == "8080" ? ["https://str"] : []`, `["https://str"]`},
		{`length(toset([1, 1.0])) == 1 ? ["https://one"] : ["https://two"]`, `["https://one"]`},
		{`[for x in toset(["https://b", null, "https://a"]) : x if x != null]`, `["https://a" "https://b"]`},
		{`try(tolist("https://s"), ["https://fb"])`, `["https://fb"]`},
		{`try(tolist(["https://a", ["https://b"]]), ["https://fb"])`, `["https://fb"]`},
		{`[try(tomap(["https://l"]), { x = "https://fb" }).x]`, `["https://fb"]`},
		{`[try(tomap({ a = 1, b = true }), { a = "https://fb" }).a]`, `["https://fb"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformConcatSets: concat takes lists and tuples only (cty's
// ConcatFunc), so Terraform refuses concat(var.origins, [...]) for a
// variable of type set(string), and concat() of nothing; try takes its
// fallback. The expected values are what terraform console 1.11.4 prints.
func TestTerraformConcatSets(t *testing.T) {
	t.Parallel()
	const decls = `variable "origins" {
  type    = set(string)
  default = ["https://a"]
}
`
	for _, tc := range []struct{ expr, want string }{
		{`concat(var.origins, ["https://b"])`, "fails: Terraform fails to evaluate concat(var.origins, [\"https://b\"]): concat takes lists, not a set"},
		{`try(concat(var.origins, ["https://b"]), ["https://fb"])`, `["https://fb"]`},
		{`concat(tolist(var.origins), ["https://b"])`, `["https://a" "https://b"]`},
		{`try(concat(), ["https://fb"])`, `["https://fb"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformCompactSplit: compact and split are how modules make a list
// of origins from optional variables (compact([var.app_origin,
// var.admin_origin])) and from a comma-separated string
// (split(",", var.origins)); they were not evaluated, so the origins they
// gave were not judged. compact takes a list of strings (cty's
// CompactFunc, list(string): numbers and booleans convert, a list or an
// object does not) and leaves out empty strings and nulls; split gives
// the parts of its string between separators (strings.Split, so an empty
// string gives one empty part), each located at the string.
func TestTerraformCompactSplit(t *testing.T) {
	t.Parallel()
	const decls = `variable "admin" {
  type    = string
  default = null
}
variable "csv" {
  default = "https://a.example.com,https://b.example.com"
}
variable "set" {
  type    = set(string)
  default = ["https://s2", "", "https://s1"]
}
variable "nodefault" {}
`
	for _, tc := range []struct{ expr, want string }{
		{`compact(["https://app", "", var.admin])`, `["https://app"]`},
		{`compact(["https://x", 8080, true])`, `["https://x" "8080" "true"]`},
		{`compact(var.set)`, `["https://s1" "https://s2"]`},
		{`compact([])`, `[]`},
		{`try(compact(["https://x", ["y"]]), ["https://fb"])`, `["https://fb"]`},
		{`try(compact({a = "https://x"}), ["https://fb2"])`, `["https://fb2"]`},
		{`compact(["https://x", var.nodefault])`, "not judged: variable nodefault has no default"},
		{`split(",", var.csv)`, `["https://a.example.com" "https://b.example.com"]`},
		{`length(split(",", "")) == 1 ? ["https://one"] : []`, `["https://one"]`},
		{`split(", ", "https://c, https://d")`, `["https://c" "https://d"]`},
		{`compact(split(",", "https://e,,https://f,"))`, `["https://e" "https://f"]`},
		{`try(split(",", null), ["https://fb3"])`, `["https://fb3"]`},
		{`try(split(",", ["x"]), ["https://fb4"])`, `["https://fb4"]`},
		{`split(",", var.nodefault)`, "not judged: variable nodefault has no default"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
	// Each part of split is located at the string it comes from.
	r := parseTerraform(t, decls+"resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = split(\",\", var.csv)\n  }\n}\n")
	for i, o := range r.Buckets[0].Origins[0].AllowedOrigins {
		if got := o.Pos.String(); got != "main.tf:6:13" {
			t.Errorf("origin %d at %s, want main.tf:6:13, the default of var.csv", i, got)
		}
	}
}

// TestTerraformStringFunctions: lower, upper, trimspace, trimprefix,
// trimsuffix and format of "%s" and "%%" are how modules make an origin
// from a domain (format("https://%s", var.domain), lower(var.host),
// trimsuffix(var.url, "/")); they were not evaluated, so the origins they
// made were not judged. Their arguments are strings, numbers and
// booleans converting to them (cty's function parameters of type string);
// another type, or a null, fails the call. format is cty's, every verb
// (the values are what terraform console 1.11.4 prints; too few
// arguments, or a list for %s, fail as there), widths and precisions
// included (TestTerraformFormatPadding).
func TestTerraformStringFunctions(t *testing.T) {
	t.Parallel()
	const decls = `variable "domain" {
  default = "Example.com"
}
variable "url" {
  default = " https://app.example.com/ "
}
variable "nodefault" {}
`
	for _, tc := range []struct{ expr, want string }{
		{`[format("https://%s", var.domain)]`, `["https://Example.com"]`},
		{`[format("https://%s:%s", lower(var.domain), 8443)]`, `["https://example.com:8443"]`},
		{`[format("https://%s%%", "x")]`, `["https://x%"]`},
		{`[upper("https://x")]`, `["HTTPS://X"]`},
		{`[trimsuffix(trimspace(var.url), "/")]`, `["https://app.example.com"]`},
		{`[trimprefix("https://https://x", "https://")]`, `["https://x"]`},
		{`try([lower(null)], ["https://fb"])`, `["https://fb"]`},
		{`try([lower(["x"])], ["https://fb2"])`, `["https://fb2"]`},
		{`try([trimsuffix("x", null)], ["https://fb3"])`, `["https://fb3"]`},
		{`[lower(var.nodefault)]`, "not judged: variable nodefault has no default"},
		{`[format("https://%v", var.domain)]`, `["https://Example.com"]`},
		{`[format("https://%s:%d", "a", 8443)]`, `["https://a:8443"]`},
		{`[format("https://%[2]s.%[1]s", "com", "example")]`, `["https://example.com"]`},
		{`[format("%q", "a")]`, `["\"a\""]`},
		{`[format("https://%5s", var.domain)]`, `["https://Example.com"]`},
		{`try([format("https://%s%s", var.domain)], ["https://fb4"])`, `["https://fb4"]`},
		{`try([format("https://%s", ["x"])], ["https://fb5"])`, `["https://fb5"]`},
		{`try([format("%d", "x")], ["https://fb6"])`, `["https://fb6"]`},
		// A null argument: terraform console 1.11.4 prints (known after
		// apply) for format("%v", null), format("%s", null),
		// format("%v", "a", null) and format("%v", ["a", null]...), and
		// "null" for format("%v", tostring(null)) but fails for
		// format("%s", tostring(null)): the null's type decides
		// (TestTerraformTypedNull). try does not skip a value not
		// known.
		{`[format("https://%v", null)]`, "not judged: an argument of format is null"},
		{`[format("https://%s", null)]`, "not judged: an argument of format is null"},
		{`[format("https://%v", "a", null)]`, "not judged: an argument of format is null"},
		{`[format("https://%v", ["a", null]...)]`, "not judged: an argument of format is null"},
		{`try([format("https://%v", null)], ["https://fb7"])`, "not judged: an argument of format is null"},
		{`[format("https://%v", [null])]`, `["https://[null]"]`},
		// A template interpolating null or a collection fails in
		// terraform console 1.11.4 ("Invalid template interpolation
		// value"), which try skips: try("a${null}", "FB") is "FB".
		{`try(["https://${null}"], ["https://fb8"])`, `["https://fb8"]`},
		{`try(["https://${tostring(null)}"], ["https://fb9"])`, `["https://fb9"]`},
		{`try(["https://${["x"]}"], ["https://fb10"])`, `["https://fb10"]`},
		{`try(["https://${{}}"], ["https://fb11"])`, `["https://fb11"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformFormatPadding: format and formatlist evaluate the flags,
// widths and precisions of their verbs as cty's FormatFunc, which
// Terraform's format is, where they were not evaluated, so an origin made
// with one ("https://%s:%04d") was not judged. The expected values and
// failures are what terraform console 1.11.4 printed for each expression
// (as jsonencode of it inside try); a spec whose widths and precisions
// add up past 65536 is not evaluated (terraform makes "%70000s" 70000
// characters long).
func TestTerraformFormatPadding(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`[format("%5s", "ab")]`, `["   ab"]`},
		{`[format("%-5s", "ab")]`, `["ab   "]`},
		{`[format("%05s", "ab")]`, `["000ab"]`},
		{`[format("%.1s", "ab")]`, `["a"]`},
		{`[format("%5.1s", "ab")]`, `["    a"]`},
		{`[format("%-8s|", "example.com")]`, `["example.com|"]`},
		{`[format("%.3s", "héllo")]`, `["hél"]`},
		{`[format("%6s", "héllo")]`, `[" héllo"]`},
		{`[format("%5q", "ab")]`, `[" \"ab\""]`},
		{`[format("%.1q", "ab")]`, `["\"a\""]`},
		{`[format("%5d", 42)]`, `["   42"]`},
		{`[format("%-5d|", 42)]`, `["42   |"]`},
		{`[format("%05d", 42)]`, `["00042"]`},
		{`[format("%05d", -7)]`, `["-0007"]`},
		{`[format("%-05d|", 42)]`, `["42   |"]`},
		{`[format("%+05d", 42)]`, `["+0042"]`},
		{`[format("%8.3d", 42)]`, `["     042"]`},
		{`[format("%#x", 42)]`, `["0x2a"]`},
		{`[format("%08b", 42)]`, `["00101010"]`},
		{`[format("%.2f", 3.14159)]`, `["3.14"]`},
		{`[format("%08.2f", 3.14159)]`, `["00003.14"]`},
		{`[format("%.0f", 3.14159)]`, `["3"]`},
		{`[format("%10.4g|", 3.14159)]`, `["     3.142|"]`},
		{`[format("%.2f", 42)]`, `["42.00"]`},
		{`[format("%5v", "ab")]`, `["   ab"]`},
		{`[format("%05v", 42)]`, `["00042"]`},
		{`[format("%.2v", 3.14159)]`, `["3.14159"]`},
		{`[format("%5t", true)]`, `["true"]`},
		{`[format("%.2s", 3.14159)]`, `["3."]`},
		{`try([format("%5%")], ["https://fb1"])`, `["https://fb1"]`},
		{`try([format("%[2]5s|%[1]s", "a", "b")], ["https://fb2"])`, `["https://fb2"]`},
		{`try([format("%[1]-4s|", "a")], ["https://fb3"])`, `["https://fb3"]`},
		{`[format("%[2]d", "a", 5)]`, `["5"]`},
		{`try([format("%[1]05d", 7)], ["https://fb4"])`, `["https://fb4"]`},
		{`[format("https://%-10s.com", "abc")]`, `["https://abc       .com"]`},
		{`[format("https://%010d.example", 123)]`, `["https://0000000123.example"]`},
		{`[format("%s:%04d", "host", 80)]`, `["host:0080"]`},
		{`[format("%3d%%", 50)]`, `[" 50%"]`},
		{`try([format("%*d", 5, 42)], ["https://fb5"])`, `["https://fb5"]`},
		{`try([format("%.*f", 2, 3.14159)], ["https://fb6"])`, `["https://fb6"]`},
		{`try([format("%5d", "ab")], ["https://fb7"])`, `["https://fb7"]`},
		{`try([format("%.1x", "ab")], ["https://fb8"])`, `["https://fb8"]`},
		{`[format("%-4s|", "日本")]`, `["日本  |"]`},
		{`[format("%4s", "😀")]`, `["   😀"]`},
		{`[format("%.1s", "😀a")]`, `["😀"]`},
		{`[format("%5v", tostring(null))]`, `[" null"]`},
		{`[format("%.0s", "ab")]`, `["ab"]`},
		{`[format("%.s", "ab")]`, `["ab"]`},
		{`[format("%5.s|", "ab")]`, `["   ab|"]`},
		{`[format("%.f", 3.14159)]`, `["3"]`},
		{`[format("%0-5d|", 42)]`, `["42   |"]`},
		{`[format("%00005d", 42)]`, `["00042"]`},
		{`try([format("%1.1.1f", 3.14159)], ["https://fb9"])`, `["https://fb9"]`},
		{`[format("%5[1]s", "ab")]`, `["   ab"]`},
		{`formatlist("%5s", ["a","bb"])`, `["    a" "   bb"]`},
		{`formatlist("%03d", [1,22])`, `["001" "022"]`},
		{`formatlist("%.1f", [1.25, 2.5])`, `["1.2" "2.5"]`},
		{`formatlist("https://%s:%04d", ["a","b"], [80, 443])`, `["https://a:0080" "https://b:0443"]`},
		{`try(formatlist("%5%", ["a"]), ["https://fb10"])`, `["https://fb10"]`},
		{`formatlist("%-6v|", ["x", 1])`, `["x     |" "1     |"]`},
		{`[format("%70000s", "x")]`, "not judged: format with widths and precisions past 65536"},
		{`formatlist("%[1]65537s", ["x"])`, "not judged: formatlist with widths and precisions past 65536"},
		{`[format("%40000s%30000s", "x", "y")]`, "not judged: format with widths and precisions past 65536"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformDistinctNested: distinct of a list of lists, sets or maps
// keeps each where it is first found, as a whole, once its elements have
// one type ([1] and ["1"] are one; ["b", "a"] and ["a", "b"] two; two sets
// of the same strings one), where it was not evaluated. The expected
// values are what terraform console 1.11.4 printed for each expression
// (join of it inside try; join fails on a null, there as here).
func TestTerraformDistinctNested(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`[join(",", flatten(distinct([["a"], ["a"], ["b"]])))]`, `["a,b"]`},
		{`[join(",", flatten(distinct([["a", "b"], ["a"], ["a", "b"]])))]`, `["a,b,a"]`},
		{`try([join(",", flatten(distinct([["a"], "a"])))], ["https://fb1"])`, `["https://fb1"]`},
		{`[join(",", flatten(distinct([[], ["a"], []])))]`, `["a"]`},
		{`[join(",", flatten(distinct([[1], ["1"]])))]`, `["1"]`},
		{`[join(",", flatten(distinct([["1"], [1]])))]`, `["1"]`},
		{`[join(",", flatten(distinct([["a"], ["a", "b"]])))]`, `["a,a,b"]`},
		{`[join(",", flatten(distinct([[["a"]], [["a"]]])))]`, `["a"]`},
		{`[join(",", flatten(distinct([toset(["b", "a"]), toset(["a", "b"])])))]`, `["a,b"]`},
		{`[join(",", flatten(distinct([["a"], [true]])))]`, `["a,true"]`},
		{`[join(",", flatten(distinct([["b", "a"], ["a", "b"]])))]`, `["b,a,a,b"]`},
		{`[join(",", flatten(distinct(tolist([["x"], ["x"]]))))]`, `["x"]`},
		{`[tostring(length(distinct([["a"], ["a"]])))]`, `["1"]`},
		{`[join(",", flatten(distinct([{a = "x"}, {a = "x"}])[*].a))]`, `["x"]`},
		{`[join(",", flatten(distinct([["a"], ["a"]])))]`, `["a"]`},
		{`try([join(",", flatten(distinct([[null], [null]])))], ["https://fb2"])`, `["https://fb2"]`},
		{`try([join(",", flatten(distinct([["a", null], ["a", null]])))], ["https://fb3"])`, `["https://fb3"]`},
		{`[join(",", flatten(distinct([tolist(["a"]), ["a"]])))]`, `["a"]`},
		{`[join(",", flatten(distinct([["a"], tolist(["a"])])))]`, `["a"]`},
		{`[join(",", flatten(distinct([[1, 2], [1.0, 2]])))]`, `["1,2"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformListFunctions: formatlist, distinct and flatten are how
// modules make origins from a list of domains
// (formatlist("https://%s", var.domains)) and merge lists of origins
// (distinct(flatten([var.a, var.b]))); they were not evaluated, so the
// origins they made were not judged. The expected values and failures
// are what terraform console 1.11.4 prints for each expression.
func TestTerraformListFunctions(t *testing.T) {
	t.Parallel()
	const decls = `variable "domains" {
  type    = list(string)
  default = ["a.example.com", "b.example.com"]
}
variable "set" {
  type    = set(string)
  default = ["b", "a"]
}
variable "nodefault" {}
`
	for _, tc := range []struct{ expr, want string }{
		{`formatlist("https://%s", var.domains)`, `["https://a.example.com" "https://b.example.com"]`},
		{`formatlist("https://%s:%d", ["a", "b"], 8443)`, `["https://a:8443" "https://b:8443"]`},
		{`formatlist("%s://%s", ["http", "https"], ["x", "y"])`, `["http://x" "https://y"]`},
		{`formatlist("https://%s", [])`, `[]`},
		{`formatlist("https://x")`, `["https://x"]`},
		{`formatlist("https://%s", var.set)`, `["https://a" "https://b"]`},
		{`formatlist("https://%[2]s-%[1]s", ["a"], "z")`, `["https://z-a"]`},
		{`formatlist("https://%v", [1, "x"])`, `["https://1" "https://x"]`},
		{`try(formatlist("%s-%s", ["a"], ["b", "c"]), ["https://fb"])`, `["https://fb"]`},
		{`try(formatlist("https://%s", [null]), ["https://fb2"])`, `["https://fb2"]`},
		{`try(formatlist("%d", ["x"]), ["https://fb3"])`, `["https://fb3"]`},
		{`formatlist("%5s", ["a"])`, `["    a"]`},
		{`formatlist("https://%s", var.nodefault)`, "not judged: variable nodefault has no default"},
		// terraform console 1.11.4: (known after apply) for a null
		// argument, "null" for [null], whose element %v writes.
		{`formatlist("https://%v", null)`, "not judged: an argument of formatlist is null"},
		{`formatlist("https://%v", "a", null)`, "not judged: an argument of formatlist is null"},
		{`formatlist("https://%v", [null])`, `["https://null"]`},
		{`distinct(["https://a", "https://b", "https://a"])`, `["https://a" "https://b"]`},
		{`distinct(["1", 1, "x"])`, `["1" "x"]`},
		{`distinct(var.set)`, `["a" "b"]`},
		{`distinct([])`, `[]`},
		{`try(distinct("x"), ["https://fb4"])`, `["https://fb4"]`},
		{`try(distinct([1, true]), ["https://fb5"])`, `["https://fb5"]`},
		{`flatten([["https://a"], "https://b", [["https://c"]], []])`, `["https://a" "https://b" "https://c"]`},
		{`flatten([])`, `[]`},
		{`flatten([var.set, ["c"]])`, `["a" "b" "c"]`},
		{`try(flatten("x"), ["https://fb6"])`, `["https://fb6"]`},
		{`distinct(flatten([formatlist("https://%s", var.domains), ["https://a.example.com"]]))`, `["https://a.example.com" "https://b.example.com"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformSortAndSets: sort, setunion, keys, values and reverse are
// how modules order and join lists of origins
// (sort(distinct(compact(concat(var.origins, var.aliases)))),
// setunion([var.domain], var.aliases), values(var.origins_by_env)); they
// were not evaluated, so the origins they made were not judged. The
// expected values and failures are what terraform console 1.11.4 prints
// for each expression.
func TestTerraformSortAndSets(t *testing.T) {
	t.Parallel()
	const decls = `variable "origins" {
  type    = list(string)
  default = ["https://b.example", "", "https://a.example"]
}
variable "aliases" {
  type    = set(string)
  default = ["https://c.example", "https://a.example"]
}
variable "by_env" {
  type    = map(string)
  default = { prod = "https://app.example", dev = "http://localhost:3000" }
}
variable "nodefault" {}
`
	for _, tc := range []struct{ expr, want string }{
		{`sort(["b", "a", "B"])`, `["B" "a" "b"]`},
		{`sort([3, 10, 2])`, `["10" "2" "3"]`},
		{`sort([true, "a"])`, `["a" "true"]`},
		{`sort(toset(["b", "a"]))`, `["a" "b"]`},
		{`sort([])`, `[]`},
		{`try(sort(["a", null]), ["https://fb1"])`, `["https://fb1"]`},
		{`try(sort("x"), ["https://fb2"])`, `["https://fb2"]`},
		{`try(sort([["a"]]), ["https://fb3"])`, `["https://fb3"]`},
		{`sort(distinct(compact(concat(var.origins, tolist(var.aliases)))))`, `["https://a.example" "https://b.example" "https://c.example"]`},
		{`setunion(["b", "a"], toset(["c"]), ["a"])`, `["a" "b" "c"]`},
		{`setunion(["a"], [1])`, `["1" "a"]`},
		// Each argument becomes a set on its own first: [1, true] has
		// no element type ("all set elements must have the same
		// type"), whatever the other sets hold; sets of numbers, of
		// booleans and of strings then unify to strings.
		{`try(setunion([1, true], ["x"]), ["https://fb4b"])`, `["https://fb4b"]`},
		{`setunion([1], [true], ["x"])`, `["1" "true" "x"]`},
		{`setunion([1, "a"], [true])`, `["1" "a" "true"]`},
		{`setunion([], [])`, `[]`},
		{`setunion(["https://d.example"], var.aliases)`, `["https://a.example" "https://c.example" "https://d.example"]`},
		{`try(setunion(["a"], "x"), ["https://fb4"])`, `["https://fb4"]`},
		{`values(var.by_env)`, `["http://localhost:3000" "https://app.example"]`},
		{`values({b = "https://x", a = 1})`, `["1" "https://x"]`},
		{`keys({b = "x", a = "y"})`, `["a" "b"]`},
		{`keys({})`, `[]`},
		{`try(keys(["a"]), ["https://fb5"])`, `["https://fb5"]`},
		{`try(values(["a"]), ["https://fb6"])`, `["https://fb6"]`},
		{`reverse(["a", "b", "c"])`, `["c" "b" "a"]`},
		{`reverse(toset(["b", "a"]))`, `["b" "a"]`},
		{`try(reverse("x"), ["https://fb7"])`, `["https://fb7"]`},
		{`sort(var.nodefault)`, "not judged: variable nodefault has no default"},
		{`setunion(["a"], var.nodefault)`, "not judged: variable nodefault has no default"},
		// A set holding a value not known here has no known order:
		// Terraform sorts its elements, and the value, which it may
		// know, could sort anywhere among them (terraform console
		// -plan prints reverse(toset(["b", "a", unknown])) as
		// [unknown, "b", "a"], its element 2 as "a").
		{`[element(reverse(toset(["https://b", "https://a", var.nodefault])), 2)]`, "not judged: the order of a set holding a value not known is not known"},
		{`slice(reverse(toset(["https://b", "https://a", var.nodefault])), 1, 3)`, "not judged: the order of a set holding a value not known is not known"},
		{`[element(tolist(toset(["https://b", "https://a", var.nodefault])), 0)]`, "not judged: the order of a set holding a value not known is not known"},
		// A for expression and formatlist iterate such a set in
		// Terraform's order too: terraform console 1.11.4 prints
		// [for x in toset(["c", "b", U]) : x] as ["b", "c", (known
		// after apply)] (U is tostring(format("%v", null)), a string
		// not known), its element 0 as "b", which U may sort before or
		// equal, and formatlist("https://%s", toset(["c", "b", U])) as
		// (known after apply): not the elements in the order written,
		// which was judged, element 0 "https://c".
		{`[for x in toset(["https://c", "https://b", var.nodefault]) : x]`, "not judged: the for expression iterates a set holding a value not known"},
		{`[[for x in toset(["https://c", "https://b", var.nodefault]) : x][0]]`, "not judged: the for expression iterates a set holding a value not known"},
		{`[for k, x in toset(["https://c", "https://b", var.nodefault]) : k if x != ""]`, "not judged: the for expression iterates a set holding a value not known"},
		{`[for x in toset(["c", "b", var.nodefault]) : "https://a"]`, "not judged: the for expression iterates a set holding a value not known"},
		{`formatlist("https://%s", toset(["c", "b", var.nodefault]))`, "not judged: formatlist iterates a set holding a value not known"},
		{`[for x in toset(["c", "b"]) : "https://${x}"]`, `["https://b" "https://c"]`},
		{`[for x in ["c", "b"] : "https://${x}"]`, `["https://c" "https://b"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformPickFunctions: contains, startswith and endswith (in the
// conditions that choose origins by environment), coalescelist, element
// and slice (which pick a list), join and replace (which make an origin's
// text, replace with a regular expression between slashes too), regex
// and regexall were not evaluated, so the origins they chose or made were
// not judged. The expected values and failures are what terraform console
// 1.11.4 prints for each expression.
func TestTerraformPickFunctions(t *testing.T) {
	t.Parallel()
	const decls = `variable "env" { default = "test" }
variable "origins" {
  type    = list(string)
  default = []
}
variable "nodefault" {}
`
	for _, tc := range []struct{ expr, want string }{
		{`contains(["dev", "test"], var.env) ? ["http://localhost:3000"] : ["https://app.example"]`, `["http://localhost:3000"]`},
		{`contains(["dev"], var.env) ? ["http://localhost:3000"] : ["https://app.example"]`, `["https://app.example"]`},
		{`contains([1, 2], "1") ? ["https://t"] : ["https://f"]`, `["https://f"]`},
		{`contains([1.0], 1) ? ["https://t"] : ["https://f"]`, `["https://t"]`},
		{`contains(toset(["a"]), "a") ? ["https://t"] : ["https://f"]`, `["https://t"]`},
		{`contains(["a", null], "b") ? ["https://t"] : ["https://f"]`, `["https://f"]`},
		{`try(contains("x", "a") ? [] : [], ["https://fb1"])`, `["https://fb1"]`},
		{`try(contains(["a"], null) ? [] : [], ["https://fb2"])`, `["https://fb2"]`},
		{`contains(["a"], var.nodefault) ? ["https://t"] : ["https://f"]`, "not judged: variable nodefault has no default"},
		{`startswith("https://a", "https://") && endswith("https://a", "a") ? ["https://t"] : ["https://f"]`, `["https://t"]`},
		{`startswith(1, "1") ? ["https://t"] : ["https://f"]`, `["https://t"]`},
		{`try(startswith("x", null) ? [] : [], ["https://fb3"])`, `["https://fb3"]`},
		{`coalescelist(var.origins, ["https://default.example"])`, `["https://default.example"]`},
		{`coalescelist(["https://x"], ["https://a"])`, `["https://x"]`},
		{`try(coalescelist([], []), ["https://fb4"])`, `["https://fb4"]`},
		{`try(coalescelist("x", ["a"]), ["https://fb5"])`, `["https://fb5"]`},
		{`try(coalescelist(toset([]), ["a"]), ["https://fb6"])`, `["https://fb6"]`},
		// Every argument is checked first, those after the first list
		// that is not empty included.
		{`try(coalescelist(["a"], 1), ["https://fb6b"])`, `["https://fb6b"]`},
		{`try(coalescelist(["a"], null), ["https://fb6c"])`, `["https://fb6c"]`},
		{`try(coalescelist(["a"], {a = 1}), ["https://fb6d"])`, `["https://fb6d"]`},
		{`[join("", ["https://", join(".", ["app", "example"], ["com"])])]`, `["https://app.example.com"]`},
		{`[join(",", [1, true])]`, `["1,true"]`},
		{`[join(1, ["a", "b"])]`, `["a1b"]`},
		{`["https://x${join(",", [])}"]`, `["https://x"]`},
		{`try([join(",", ["a", null])], ["https://fb7"])`, `["https://fb7"]`},
		{`try([join(",", [["a"]])], ["https://fb8"])`, `["https://fb8"]`},
		{`try([join(",")], ["https://fb9"])`, `["https://fb9"]`},
		{`[element(["https://a", "https://b"], 3)]`, `["https://b"]`},
		{`[element(["https://a", "https://b"], "1")]`, `["https://b"]`},
		{`[element(["https://a", "https://b"], 9007199254740993)]`, `["https://b"]`},
		{`try([element(["a", "b"], -1)], ["https://fb10"])`, `["https://fb10"]`},
		{`try([element([], 0)], ["https://fb11"])`, `["https://fb11"]`},
		{`try([element(toset(["b", "a"]), 0)], ["https://fb12"])`, `["https://fb12"]`},
		{`try([element(["a", "b"], 1.5)], ["https://fb13"])`, `["https://fb13"]`},
		// A negative index: terraform console 1.11.4 counts a list's
		// from its end, around and around (element(tolist(["x", "y",
		// "z"]), -4) is "z"), and a tuple's as Go's remainder, which
		// indexes it when it is 0 (element(["x", "y", "z"], -3) is
		// "x") and else fails ("panic in function implementation:
		// runtime error: index out of range [-1]").
		{`[element(tolist(["https://x", "https://y", "https://z"]), -1)]`, `["https://z"]`},
		{`[element(split(",", "https://x,https://y,https://z"), -7)]`, `["https://z"]`},
		{`[element(["https://x", "https://y", "https://z"], -3)]`, `["https://x"]`},
		{`[element(jsondecode("[\"https://x\", \"https://y\"]"), -2)]`, `["https://x"]`},
		{`try([element(["x", "y", "z"], -4)], ["https://fb14"])`, `["https://fb14"]`},
		{`try([element(tolist(["x"]), 1e30)], ["https://fb15"])`, `["https://fb15"]`},
		{`[element(concat(tolist(["x"]), ["y"]), -1)]`, "not judged: element of a negative index is not evaluated here"},
		{`slice(["https://a", "https://b", "https://c"], 1, 3)`, `["https://b" "https://c"]`},
		{`slice(["https://a", "https://b"], "0", 1)`, `["https://a"]`},
		{`try(slice(["a", "b", "c"], 2, 1), ["https://fb14"])`, `["https://fb14"]`},
		{`try(slice(["a", "b", "c"], 0, 4), ["https://fb15"])`, `["https://fb15"]`},
		{`try(slice(toset(["b", "a"]), 0, 1), ["https://fb16"])`, `["https://fb16"]`},
		{`["https://${replace("www.example.com", "www.", "")}"]`, `["https://example.com"]`},
		{`[replace("a.b.c", ".", "-")]`, `["a-b-c"]`},
		{`[replace("abc", "", "x")]`, `["xaxbxcx"]`},
		{`[replace("abc", "/", "x")]`, `["abc"]`},
		{`[replace(1, "1", "2")]`, `["2"]`},
		{`[replace("abc", "/b/", "x")]`, `["axc"]`},
		{`["https://${replace("www.example.com", "/^www\\./", "")}"]`, `["https://example.com"]`},
		{`[replace("a1b22", "/([0-9]+)/", "<$1>")]`, `["a<1>b<22>"]`},
		{`[replace("abc", "/b/", "$0$0")]`, `["abbc"]`},
		{`[replace("abc", "//", "x")]`, `["xaxbxcx"]`},
		{`try([replace("abc", "/(/", "x")], ["https://fb17"])`, `["https://fb17"]`},
		{`[regex("^https://[^/]+", "https://api.example.com/v1/x")]`, `["https://api.example.com"]`},
		{`regex("^(https)://([^/]+)", "https://api.example.com/v1")`, `["https" "api.example.com"]`},
		{`["https://${regex("^(?P<scheme>https)://(?P<host>[^/]+)", "https://api.example.com/v1").host}"]`, `["https://api.example.com"]`},
		{`try([regex("x", "abc")], ["https://fb18"])`, `["https://fb18"]`},
		{`try([regex("(", "abc")], ["https://fb19"])`, `["https://fb19"]`},
		{`regexall("https://[a-z]+\\.example", "https://a.example https://b.example")`, `["https://a.example" "https://b.example"]`},
		{`[for m in regexall("(x)(y)?", "x xy") : "https://${m[0]}${coalesce(m[1], "z")}"]`, `["https://xz" "https://xy"]`},
		{`concat(regexall("z", "abc"), ["https://a"])`, `["https://a"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformAnyCollections: a variable of type list(any) or map(any)
// takes elements of one type, which cty finds: scalars become strings
// when one is a string, objects of several attribute sets become maps
// when their values have a type in common, and a value whose elements
// have none is Terraform's error ("all list elements must have the same
// type"), which fails the plan. The expected values are what terraform
// console 1.11.4 prints.
func TestTerraformAnyCollections(t *testing.T) {
	t.Parallel()
	const decls = `variable "rules" {
  type = list(any)
  default = [
    { origins = ["https://a"], max_age = 3000 },
    { origins = ["https://b"] },
  ]
}
variable "ports" {
  type    = list(any)
  default = ["https://x", 8080]
}
variable "site" {
  type    = map(any)
  default = { origin = "https://m", port = 443 }
}
variable "sites" {
  type    = list(any)
  default = [{ origin = "https://s" }, { origin = "https://t", port = 443 }]
}
`
	for _, tc := range []struct{ expr, want string }{
		{`var.rules[0].origins`, "not judged: Terraform refuses the value of variable rules"},
		{`var.ports[1] == "8080" ? ["https://conv"] : ["https://asis"]`, `["https://conv"]`},
		{`var.site.port == "443" ? [var.site.origin] : []`, `["https://m"]`},
		{`var.sites[1].port == "443" ? [var.sites[0].origin] : []`, `["https://s"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformSetOfObjects: a set of objects (a variable of type
// set(object(...)), toset of a list of them) holds equal values once and
// is iterated in cty's order, by the bytes of each value's hash, not as
// written; aws_s3_bucket's inline cors_rule blocks, which the provider
// sends in order, come in that order. terraform console 1.11.4 prints
// [for r in var.rules : r.origins] as these origins, in this order.
func TestTerraformSetOfObjects(t *testing.T) {
	t.Parallel()
	src := `variable "rules" {
  type = set(object({
    origins = list(string)
    max_age = optional(number)
  }))
  default = [
    { origins = ["https://a"], max_age = 2 },
    { origins = ["https://b"], max_age = 1 },
    { origins = ["https://c"] },
    { origins = ["https://a"], max_age = 2 },
    { origins = ["https://a", "https://b"], max_age = 10 },
  ]
}
resource "aws_s3_bucket" "legacy" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.rules
    content {
      allowed_methods = ["GET"]
      allowed_origins = cors_rule.value.origins
    }
  }
}
`
	r := parseTerraform(t, src)
	var got []string
	for _, rule := range r.Buckets[0].Rules {
		got = append(got, fmt.Sprintf("%q", rule.AllowedOrigins))
	}
	want := []string{`["https://a" "https://b"]`, `["https://b"]`, `["https://a"]`, `["https://c"]`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rules %s, want %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

// checkOrigins judges a configuration of decls and one rule whose
// allowed_origins is expr, and checks its origins against want, or, when
// want starts with "not judged: ", that the first value not judged says
// the rest of want.
func checkOrigins(t *testing.T, decls, expr, want string) {
	t.Helper()
	src := decls + "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = " + expr + "\n  }\n}\n"
	r := parseTerraform(t, src)
	if got := originsOutcome(r.Buckets[0]); !outcomeMatches(got, want) {
		t.Errorf("got %s, want %s", got, want)
	}
}

// originsOutcome is what b, a bucket of one rule, holds in its rule's
// allowed_origins: the origins, "not judged: WHY" for a value not known,
// or "fails: MESSAGE" for one Terraform fails to evaluate, which refuses
// the configuration.
func originsOutcome(b *iac.Bucket) string {
	switch {
	case len(b.Errors) > 0:
		return "fails: " + b.Errors[0].Message
	case len(b.Unjudged) > 0:
		return "not judged: " + b.Unjudged[0].Why
	}
	return fmt.Sprintf("%q", b.Rules[0].AllowedOrigins)
}

// outcomeMatches reports whether got, an originsOutcome, is want, or
// holds the reason of a want "not judged: REASON" or "fails: REASON"
// with the same prefix.
func outcomeMatches(got, want string) bool {
	for _, prefix := range []string{"not judged: ", "fails: "} {
		if strings.HasPrefix(want, prefix) && strings.HasPrefix(got, prefix) && strings.Contains(got, strings.TrimPrefix(want, prefix)) {
			return true
		}
	}
	return got == want
}

// TestTerraformRuleNumbers: the AWS provider's rule attributes are strings
// (id, the lists) and an integer (max_age_seconds), which Terraform
// converts as cty does: a number to its shortest decimal text, a string
// to a number only when it is one, with no space around it. The expected
// values are what terraform console 1.11.4 prints (tostring(1.50) is
// "1.5"; tonumber(" 30") is refused: "cannot convert \" 30\" to number").
func TestTerraformRuleNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		attrs string // the rule's attributes besides allowed_methods
		want  string // the rule as corsrule prints it, or "error"
	}{
		{`allowed_origins = [1.50]`, `origins ["1.5"]`},
		{`allowed_origins = ["x"]
    id = 1.50`, `id "1.5"`},
		{`allowed_origins = ["x"]
    id = 1e3`, `id "1000"`},
		{`allowed_origins = ["x"]
    max_age_seconds = " 30"`, "error"},
		{`allowed_origins = ["x"]
    max_age_seconds = "30 "`, "error"},
		{`allowed_origins = ["x"]
    max_age_seconds = "30"`, `max age 30`},
	} {
		t.Run(tc.attrs, func(t *testing.T) {
			t.Parallel()
			src := "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    allowed_methods = [\"GET\"]\n    " + tc.attrs + "\n  }\n}\n"
			r := parseTerraform(t, src)
			b := r.Buckets[0]
			var got string
			switch {
			case len(b.Errors) > 0:
				got = "error"
			case len(b.Unjudged) > 0:
				got = "not judged: " + b.Unjudged[0].Why
			case strings.HasPrefix(tc.want, "origins "):
				got = fmt.Sprintf("origins %q", b.Rules[0].AllowedOrigins)
			case strings.HasPrefix(tc.want, "id "):
				got = fmt.Sprintf("id %q", b.Rules[0].ID)
			case b.Rules[0].MaxAgeSeconds != nil:
				got = fmt.Sprintf("max age %d", *b.Rules[0].MaxAgeSeconds)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTerraformLongID: the AWS provider validates cors_rule's id with
// validation.StringLenBetween(0, 255), which counts bytes, where S3 counts
// characters: terraform plan (v1.11.4, AWS provider 5.100.0) fails with
// "expected length of cors_rule.0.id to be in the range (0 - 255)" for 255
// "é", which S3 takes. CloudFormation sends the id to S3 as it is.
func TestTerraformLongID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, id string
		want     bool // an error on the id
	}{
		{"255 é", strings.Repeat("é", 255), true},
		{"128 é", strings.Repeat("é", 128), true},
		{"127 é and a", strings.Repeat("é", 127) + "a", false},
		{"255 a", strings.Repeat("a", 255), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tf := "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    id              = \"" + tc.id +
				"\"\n    allowed_methods = [\"GET\"]\n    allowed_origins = [\"*\"]\n  }\n}\n"
			r, err := iac.Parse("main.tf", []byte(tf), iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			got := len(b.Errors) == 1 && b.Errors[0].Field == iac.FieldID && b.Errors[0].Code == iac.CodeOutOfRange && b.Errors[0].Pos.Line == 4
			if got != tc.want || !tc.want && len(b.Errors) > 0 {
				t.Errorf("errors %+v, want an out-of-range error on the id at line 4: %v", b.Errors, tc.want)
			}
			cfn := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - Id: " + tc.id +
				"\n            AllowedMethods: [GET]\n            AllowedOrigins: ['*']\n"
			r, err = iac.Parse("t.yaml", []byte(cfn), iac.Options{Kind: iac.CloudFormation})
			if err != nil {
				t.Fatal(err)
			}
			if errs := r.Buckets[0].Errors; len(errs) > 0 {
				t.Errorf("CloudFormation: errors %+v, want none", errs)
			}
		})
	}
}

// TestCloudFormationLongID: the resource schema of AWS::S3::Bucket gives
// a CorsRule's Id a maxLength of 255 ("The value must be no more than 255
// characters"), which JSON Schema counts in characters (code points), so
// CloudFormation refuses a longer Id before S3 sees it; only S3's
// InvalidArgument was reported, as if S3 answered the deployment.
func TestCloudFormationLongID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, id string
		want     bool // CloudFormation's error on the id
	}{
		{"256 a", strings.Repeat("a", 256), true},
		{"256 é", strings.Repeat("é", 256), true},
		{"255 é", strings.Repeat("é", 255), false},
		{"255 a", strings.Repeat("a", 255), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfn := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - Id: " + tc.id +
				"\n            AllowedMethods: [GET]\n            AllowedOrigins: ['*']\n"
			r, err := iac.Parse("t.yaml", []byte(cfn), iac.Options{Kind: iac.CloudFormation})
			if err != nil {
				t.Fatal(err)
			}
			errs := r.Buckets[0].Errors
			got := len(errs) == 1 && errs[0].Field == iac.FieldID && errs[0].Code == iac.CodeOutOfRange &&
				errs[0].Pos.Line == 7 && errs[0].Pos.Column == 17 && strings.Contains(errs[0].Message, "maxLength is 255")
			if got != tc.want || !tc.want && len(errs) > 0 {
				t.Errorf("errors %+v, want CloudFormation's out-of-range error on the id at 7:17: %v", errs, tc.want)
			}
		})
	}
}

// TestTerraformNestedDefaults: the default of an optional object attribute
// gets the defaults its own attributes declare (hcl's typeexpr
// Defaults.apply applies the child defaults to a default value), so a
// module's optional(object({...}), {}) of rule settings has them; terraform
// console 1.11.4 prints var.cors.rule as allowed_methods ["GET"],
// allowed_origins ["https://default.example.com"], max_age_seconds 3000.
func TestTerraformNestedDefaults(t *testing.T) {
	t.Parallel()
	src := `variable "cors" {
  type = object({
    rule = optional(object({
      allowed_methods = optional(list(string), ["GET"])
      allowed_origins = optional(list(string), ["https://default.example.com"])
      max_age_seconds = optional(number, 3000)
    }), {})
  })
  default = {}
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = var.cors.rule.allowed_methods
    allowed_origins = var.cors.rule.allowed_origins
    max_age_seconds = var.cors.rule.max_age_seconds
  }
}
`
	r := parseTerraform(t, src)
	b := r.Buckets[0]
	for _, u := range b.Unjudged {
		t.Errorf("not judged: %s %s: %s", u.Pos, u.Expr, u.Why)
	}
	for _, e := range b.Errors {
		t.Errorf("%s: %s", e.Pos, e.Message)
	}
	if len(b.Rules) != 1 {
		t.Fatalf("%d rules, want 1", len(b.Rules))
	}
	rule := b.Rules[0]
	age := "unset"
	if rule.MaxAgeSeconds != nil {
		age = strconv.Itoa(int(*rule.MaxAgeSeconds))
	}
	if got, want := fmt.Sprintf("%q %q %s", rule.AllowedMethods, rule.AllowedOrigins, age), `["GET"] ["https://default.example.com"] 3000`; got != want {
		t.Errorf("rule %s, want %s", got, want)
	}
}

// TestTerraformNonNullableVariables: a variable declared nullable = false
// takes its default when it is given null, by a module call or a .tfvars
// file (Terraform's prepareFinalInputVariableValue: "if val.IsNull() &&
// !cfg.Nullable { val = defaultVal }"); a nullable one, the default, is
// null then.
func TestTerraformNonNullableVariables(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	module := `variable "origins" {
  type     = list(string)
  default  = ["https://default.example.com"]
  nullable = false
}
variable "headers" {
  type    = list(string)
  default = ["x-default"]
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.origins
    allowed_headers = var.headers
    max_age_seconds = 60
  }
}
`
	writeFiles(t, dir, map[string]string{
		"main.tf": module + `module "m" {
  source  = "./m"
  origins = null
  headers = null
}
`,
		"terraform.tfvars": "origins = null\nheaders = null\n",
		"m/main.tf":        module,
	})
	r, err := iac.Load(dir, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 2 {
		t.Fatalf("%d buckets, want 2", len(r.Buckets))
	}
	for _, b := range r.Buckets {
		for _, e := range b.Errors {
			t.Errorf("%s: %s: %s", b.Resource, e.Pos, e.Message)
		}
		if len(b.Rules) != 1 {
			t.Fatalf("%s: %d rules, want 1", b.Resource, len(b.Rules))
		}
		if got := fmt.Sprintf("%q %q", b.Rules[0].AllowedOrigins, b.Rules[0].AllowedHeaders); got != `["https://default.example.com"] []` {
			t.Errorf("%s: origins and headers %s, want the default origins and no headers", b.Resource, got)
		}
	}
}

// originsOf returns the AllowedOrigins of b's rules, in order.
func originsOf(b *iac.Bucket) []string {
	var origins []string
	for _, rule := range b.Rules {
		origins = append(origins, rule.AllowedOrigins...)
	}
	return origins
}

// whyNotJudged returns why each value of b was not judged, a line each,
// then, with refusals, "refused: " and the message of each of b's errors.
func whyNotJudged(b *iac.Bucket, refusals bool) string {
	var whys []string
	for _, u := range b.Unjudged {
		whys = append(whys, u.Why)
	}
	for _, e := range b.Errors {
		if refusals {
			whys = append(whys, "refused: "+e.Message)
		}
	}
	return strings.Join(whys, "\n")
}

// saysWhy reports whether the lines all say why: hold it, or, why
// empty, are empty.
func saysWhy(all, why string) bool {
	if why == "" {
		return all == ""
	}
	return strings.Contains(all, why)
}

// parseTerraform parses src as the module's one file, main.tf, failing
// the test on an error.
func parseTerraform(t *testing.T, src string) *iac.Result {
	t.Helper()
	r, err := iac.Parse("main.tf", []byte(src), iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// bucketOf parses data as the file name and returns its bucket resource,
// failing the test on an error.
func bucketOf(t *testing.T, name string, data []byte, resource string) *iac.Bucket {
	t.Helper()
	r, err := iac.Parse(name, data, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bucket(resource)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFiles writes files (slash-separated names) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTerraformModuleCycle: a module whose source is the directory of a
// module that contains it (a calls ../b and b calls ../a, or the root
// calls ./) is not read again, with a note, as a nested stack whose
// template contains it: it was read 16 deep, each time a copy of the
// buckets (audit13). A module called twice, or a sibling's, is no cycle.
func TestTerraformModuleCycle(t *testing.T) {
	t.Parallel()
	const bucket = `resource "aws_s3_bucket_cors_configuration" "x" {
  bucket = "x"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`
	for _, tc := range []struct {
		name    string
		files   map[string]string
		buckets []string
		note    string // how the note about the cycle starts; "" for none
		end     string // and ends, after the directory
	}{
		{"two modules", map[string]string{"main.tf": `module "a" { source = "./a" }`,
			"a/main.tf": `module "b" { source = "../b" }` + "\n" + bucket, "b/main.tf": `module "a" { source = "../a" }`},
			[]string{"module.a.aws_s3_bucket_cors_configuration.x"},
			"module.a.module.b.module.a: its source ", "a is one of the modules that contain it; not read again"},
		{"the root", map[string]string{"main.tf": `module "self" { source = "./" }` + "\n" + bucket},
			[]string{"aws_s3_bucket_cors_configuration.x"}, "module.self: its source ", " is one of the modules that contain it; not read again"},
		{"called twice, and a sibling", map[string]string{"main.tf": `module "one" { source = "./m" }` + "\n" + `module "two" { source = "./m" }`,
			"m/main.tf": `module "n" { source = "../n" }`, "n/main.tf": bucket},
			[]string{"module.one.module.n.aws_s3_bucket_cors_configuration.x", "module.two.module.n.aws_s3_bucket_cors_configuration.x"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			r, err := iac.Load(dir, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				got = append(got, b.Resource)
			}
			if !slices.Equal(got, tc.buckets) {
				t.Errorf("buckets %q, want %q", got, tc.buckets)
			}
			var cycle []string
			for _, n := range r.Notes {
				if strings.Contains(n.Text, "contain") || strings.Contains(n.Text, "deep") {
					cycle = append(cycle, n.Text)
				}
			}
			switch {
			case tc.note == "" && len(cycle) != 0:
				t.Errorf("notes %q, want none about a cycle", cycle)
			case tc.note != "" && (len(cycle) != 1 || !strings.HasPrefix(cycle[0], tc.note) || !strings.HasSuffix(cycle[0], tc.end)):
				t.Errorf("notes %q, want one %q...%q", cycle, tc.note, tc.end)
			}
		})
	}
}

// TestTerraformInstalledModules: a module call whose source is not local
// (the registry, git) is read from where terraform init installed it, as
// .terraform/modules/modules.json of the root module records it by the
// module's path of call names (Terraform's modsdir.Manifest and
// configload's moduleWalkerLoad); local modules within it are relative to
// that directory. Without the manifest, or without the module in it, a
// note says to run terraform init.
func TestTerraformInstalledModules(t *testing.T) {
	t.Parallel()
	const bucketModule = `variable "origins" { type = list(string) }
resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.origins
  }
}
module "inner" {
  source  = "./modules/inner"
  origins = var.origins
}
module "nested" {
  source  = "acme/nested/aws"
  version = "~> 1.0"
  origins = var.origins
}
`
	const inner = `variable "origins" {}
resource "aws_s3_bucket_cors_configuration" "inner" {
  bucket = "i"
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = var.origins
  }
}
`
	const root = `module "site" {
  source   = "acme/site/aws"
  version  = "4.1.0"
  for_each = toset(["a"])
  origins  = ["https://a.example.com/"]
}
resource "aws_s3_bucket_cors_configuration" "own" {
  bucket = "o"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`
	const manifest = `{"Modules":[{"Key":"","Source":"","Dir":"."},
{"Key":"site","Source":"registry.terraform.io/acme/site/aws","Version":"4.1.0","Dir":".terraform/modules/site"},
{"Key":"site.inner","Source":"registry.terraform.io/acme/site/aws//modules/inner","Version":"4.1.0","Dir":".terraform/modules/site/modules/inner"},
{"Key":"site.nested","Source":"registry.terraform.io/acme/nested/aws","Version":"1.2.0","Dir":".terraform/modules/site.nested"}]}`
	installed := map[string]string{
		"main.tf":                         root,
		".terraform/modules/site/main.tf": bucketModule,
		".terraform/modules/site/modules/inner/main.tf":     inner,
		".terraform/modules/site.nested/main.tf":            inner,
		".terraform/modules/site.nested/modules/inner/x.tf": "",
	}
	for _, tc := range []struct {
		name     string
		manifest string   // "" for none
		buckets  []string // resource and origins of each bucket
		note     string   // a note about module.site["a"], or "" for the one saying where it was read
	}{
		{"installed", manifest, []string{
			`aws_s3_bucket_cors_configuration.own ["*"]`,
			`module.site["a"].aws_s3_bucket_cors_configuration.this ["https://a.example.com/"]`,
			`module.site["a"].module.inner.aws_s3_bucket_cors_configuration.inner ["https://a.example.com/"]`,
			`module.site["a"].module.nested.aws_s3_bucket_cors_configuration.inner ["https://a.example.com/"]`,
		}, `module.site: module source "acme/site/aws" is read from DIR/.terraform/modules/site, where terraform init installed registry.terraform.io/acme/site/aws 4.1.0`},
		{"not initialised", "", []string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" is not a local directory and was not read: there is no DIR/.terraform/modules/modules.json (run terraform init to install it)`},
		{"not recorded", `{"Modules":[{"Key":"","Source":"","Dir":"."}]}`, []string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" is not a local directory and was not read: DIR/.terraform/modules/modules.json records no module "site" (run terraform init to install it)`},
		{"not JSON", `{"Modules":[{"Key":"site",}]}`, []string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" is not a local directory and was not read: DIR/.terraform/modules/modules.json:1:27: JSON: expected a member name`},
		{"recorded twice", `{"Modules":[{"Key":"site","Dir":"a"},{"Key":"site","Dir":"b"}]}`, []string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" is not a local directory and was not read: DIR/.terraform/modules/modules.json:1:38: the manifest records module "site" twice (run terraform init to write it again)`},
		{"source changed", `{"Modules":[{"Key":"site","Source":"registry.terraform.io/acme/old/aws","Version":"1.0.0","Dir":".terraform/modules/site"}]}`,
			[]string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" was not read: terraform init installed "registry.terraform.io/acme/old/aws" for it, and Terraform refuses the change until terraform init is run again`},
		{"too large", `{"Modules":[], "x": "` + strings.Repeat("x", 4<<20) + `"}`, []string{`aws_s3_bucket_cors_configuration.own ["*"]`},
			`module.site: module source "acme/site/aws" is not a local directory and was not read: DIR/.terraform/modules/modules.json: the file is larger than 4194304 bytes (run terraform init to install it again)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, installed)
			if tc.manifest != "" {
				writeFiles(t, dir, map[string]string{".terraform/modules/modules.json": tc.manifest})
			}
			r, err := iac.Load(dir, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				got = append(got, fmt.Sprintf("%s %q", b.Resource, originsOf(b)))
				for _, u := range b.Unjudged {
					t.Errorf("%s: not judged: %s: %s", b.Resource, u.Expr, u.Why)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.buckets, "\n") {
				t.Errorf("buckets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.buckets, "\n"))
			}
			want := strings.ReplaceAll(tc.note, "DIR", dir)
			found := false
			for _, n := range r.Notes {
				if strings.HasPrefix(n.Text, "module.site:") && strings.HasPrefix(n.Text, want) {
					found = n.Pos.Line == 1 && n.Pos.File == filepath.Join(dir, "main.tf")
				}
			}
			if !found {
				t.Errorf("no note at main.tf:1 starting %q in %+v", want, r.Notes)
			}
		})
	}
}

// TestTerraformFunctions: try, can, coalesce, length, jsondecode,
// tostring and tonumber as Terraform evaluates them (its function
// documentation): try takes the first argument that does not fail and can
// says whether its argument fails, but an argument that is not known (an
// attribute known only after apply, a variable without a value, a
// function not evaluated here) makes them not known rather than a guess;
// only a definite failure (an attribute the object does not have, an index
// outside the list, an argument of the wrong type, JSON that is not
// well-formed) is passed over.
func TestTerraformFunctions(t *testing.T) {
	t.Parallel()
	const decls = `variable "nodefault" {}
variable "none" {
  type    = list(string)
  default = null
}
locals {
  obj  = { a = "https://obj.example.com" }
  list = ["https://l0.example.com", "https://l1.example.com"]
  str  = "text"
}
`
	for _, tc := range []struct {
		expr string // the value of allowed_origins
		want string // the origins, or "not judged: " and part of why
	}{
		{`try(local.obj.missing, ["https://a"])`, `["https://a"]`},
		{`try(local.list[5], ["https://b"])`, `["https://b"]`},
		{`try(local.str.x, ["https://c"])`, `["https://c"]`},
		{`try(local.obj.a, "x") == "https://obj.example.com" ? ["https://c2"] : []`, `["https://c2"]`},
		{`try(aws_s3_bucket.x.arn, ["https://d"])`, "not judged: known only at plan or apply time"},
		{`try(var.nodefault, ["https://e"])`, "not judged: variable nodefault has no default"},
		{`try(title("x"), ["https://f"])`, "not judged: a call to function title"},
		{`try(undeclared.x, ["https://f2"])`, "not judged: known only at plan or apply time"},
		{`try(jsondecode(local.list), ["https://g"])`, `["https://g"]`},
		{`try(jsondecode("[\"https://h\"]"), [])`, `["https://h"]`},
		{`try(jsondecode("[\"https://i\""), ["https://i2"])`, `["https://i2"]`},
		// A member twice with values of two types: Terraform fails here
		// (1 does not convert to a list), and keeps the last value where
		// the earlier converts to its type, which is not evaluated here
		// (TestTerraformDuplicateKeys).
		{`try(jsondecode("{\"a\": 1, \"a\": [2]}"), ["https://i3"])`, "not judged: jsondecode of an object with a member written twice"},
		{`jsondecode("{\"a\": [\"https://i4\"], \"a\": [\"https://i5\"]}").a`, `["https://i5"]`},
		{`try([local.obj.missing], ["https://j"])`, `["https://j"]`},
		{`try([aws_s3_bucket.x.arn], ["https://k"])`, "not judged: whether [aws_s3_bucket.x.arn] fails is not known"},
		{`try(local.obj.missing)`, "fails: no argument of try succeeds: the object has no attribute"},
		{`can(local.obj.missing) ? ["https://l1"] : ["https://l2"]`, `["https://l2"]`},
		{`can(local.obj.a) ? ["https://m1"] : ["https://m2"]`, `["https://m1"]`},
		{`can(var.nodefault) ? ["https://n1"] : ["https://n2"]`, "not judged: the condition is not known"},
		{`[coalesce(null, "", "https://o")]`, `["https://o"]`},
		{`[coalesce(["", "https://p"]...)]`, `["https://p"]`},
		{`[coalesce(var.nodefault, "https://q")]`, "not judged: an argument of coalesce is not known"},
		{`try(coalesce(null, ""), ["https://r"])`, `["https://r"]`},
		{`length(local.list) > 1 ? ["https://s1"] : ["https://s2"]`, `["https://s1"]`},
		{`length(local.obj) == 1 ? ["https://t1"] : ["https://t2"]`, `["https://t1"]`},
		{`length("💃🏾") == 1 ? ["https://u1"] : ["https://u2"]`, `["https://u1"]`},
		{`try(length(5), ["https://v"])`, `["https://v"]`},
		{`try(length(local.list) > "x" ? [] : [], ["https://w"])`, `["https://w"]`},
		{`length(local.list) >= "2" ? ["https://w1"] : []`, `["https://w1"]`},
		// == compares numbers as numbers, and values of two types as
		// different (HCL's equality operators).
		{`1.0 == 1 ? ["https://z1"] : ["https://z2"]`, `["https://z1"]`},
		{`1e2 != 100 ? ["https://z3"] : ["https://z4"]`, `["https://z4"]`},
		{`"1" == 1 ? ["https://z5"] : ["https://z6"]`, `["https://z6"]`},
		// null equals null only, whatever the types (cty's Equals):
		// the idiom of optional variables.
		{`var.none == null ? ["https://n1"] : ["https://n2"]`, `["https://n1"]`},
		{`var.none != null ? var.none : local.list`, `["https://l0.example.com" "https://l1.example.com"]`},
		{`local.list == null ? [] : local.list`, `["https://l0.example.com" "https://l1.example.com"]`},
		{`local.obj != null ? [local.obj.a] : []`, `["https://obj.example.com"]`},
		{`null == "" ? ["https://n3"] : ["https://n4"]`, `["https://n4"]`},
		{`var.nodefault == null ? ["https://n5"] : []`, "not judged: variable nodefault has no default"},
		{`local.list == [] ? ["https://n6"] : []`, "not judged: comparing a list with a list is not evaluated here"},
		// && and || short-circuit (Terraform 1.12, HCL's ShortCircuit):
		// a side that decides the result drops the other side's failure.
		{`var.none != null && length(var.none) > 0 ? var.none : ["https://s1"]`, `["https://s1"]`},
		{`var.none == null || length(var.none) == 0 ? ["https://s2"] : var.none`, `["https://s2"]`},
		{`length(local.obj.missing) > 0 && false ? [] : ["https://s3"]`, `["https://s3"]`},
		{`try(local.obj.missing == "x" && true, ["https://s4"])`, `["https://s4"]`},
		// A side that decides does so whatever the other side is, a value
		// not known included (cloudposse's count = local.enabled &&
		// length(var.x) > 0 ? 1 : 0, local.enabled a module's output).
		{`var.nodefault && false ? [] : ["https://s6"]`, `["https://s6"]`},
		{`true || aws_s3_bucket.x.arn ? ["https://s7"] : []`, `["https://s7"]`},
		// A side not known might decide, or let the failure through.
		{`try(var.nodefault && local.obj.missing, ["https://s5"])`, "not judged: whether var.nodefault && local.obj.missing fails is not known"},
		// A condition or an operand of !, && and || is converted to a
		// boolean as cty converts a string: "true" and "1", "false" and
		// "0" (a JSON .tfvars value, a variable of type string).
		{`"true" ? ["https://b1"] : []`, `["https://b1"]`},
		{`"0" ? [] : ["https://b2"]`, `["https://b2"]`},
		{`"1" && true ? ["https://b3"] : []`, `["https://b3"]`},
		{`!"1" ? [] : ["https://b4"]`, `["https://b4"]`},
		{`[for o in ["https://b5", "https://b6"] : o if o == "https://b5" || "0"]`, `["https://b5"]`},
		{`"yes" ? ["https://b7"] : []`, "fails: the condition is a string, not a boolean"},
		// Any other condition is Terraform's error ("Null condition",
		// "Incorrect condition type"), which try skips: terraform
		// console 1.11.4 prints try(1 ? "a" : "b", "FB") as "FB".
		{`try("yes" ? ["https://b8"] : [], ["https://fb1"])`, `["https://fb1"]`},
		{`try(null ? ["https://b9"] : [], ["https://fb2"])`, `["https://fb2"]`},
		{`try(1 ? ["https://b10"] : [], ["https://fb3"])`, `["https://fb3"]`},
		// ! of anything but a boolean (or "true", "false", "1", "0")
		// fails, and so does merge of anything but maps and objects:
		// terraform console 1.11.4 prints try(!1, "FB"), try(!null,
		// "FB") and try(merge({a = "x"}, "b").a, "FB") as "FB".
		{`try(!1 ? [] : [], ["https://fb5"])`, `["https://fb5"]`},
		{`try(!null ? [] : [], ["https://fb6"])`, `["https://fb6"]`},
		{`try(!"x" ? [] : [], ["https://fb7"])`, `["https://fb7"]`},
		{`try(![] ? [] : [], ["https://fb8"])`, `["https://fb8"]`},
		{`try(merge({ o = ["https://m"] }, "b").o, ["https://fb9"])`, `["https://fb9"]`},
		{`try(merge({ o = ["https://m"] }, ["b"]).o, ["https://fb10"])`, `["https://fb10"]`},
		{`try(["x"] ? ["https://b11"] : [], ["https://fb4"])`, `["https://fb4"]`},
		// A set has no indices: Terraform refuses toset(...)[0] ("Elements
		// of a set are identified only by their value"), so try passes
		// over it; tolist gives them.
		{`[toset(local.list)[0]]`, "fails: a set has no index"},
		{`try([toset(local.list)[0]], ["https://t0"])`, `["https://t0"]`},
		{`[tolist(toset(local.list))[1]]`, `["https://l1.example.com"]`},
		// merge passes over null arguments (cty's MergeFunc).
		{`merge({ o = ["https://m"] }, null).o`, `["https://m"]`},
		{`merge(null, local.obj, var.none == null ? null : {}).a == "https://obj.example.com" ? ["https://m2"] : []`, `["https://m2"]`},
		// An interpolated number is its shortest decimal form, as
		// Terraform converts a number to a string.
		{`["http://localhost:${1e3}", "http://localhost:${8080.0}"]`, `["http://localhost:1000" "http://localhost:8080"]`},
		{`[tostring(tonumber("1e2"))]`, `["100"]`},
		{`try(tonumber("abc"), ["https://x"])`, `["https://x"]`},
		{`[tostring(12.50)]`, `["12.5"]`},
		// cty's decoder recurses once a level without bound; this
		// package does not follow it that deep, and does not guess.
		{`try(jsondecode("` + strings.Repeat("[", 100000) + `"), ["https://y"])`, "not judged: nested more than 512 levels deep"},
	} {
		name := tc.expr
		if len(name) > 100 {
			name = name[:100]
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := decls + "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = " + tc.expr + "\n  }\n}\n"
			r := parseTerraform(t, src)
			if got := originsOutcome(r.Buckets[0]); !outcomeMatches(got, tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTerraformRegistryModule: a registry module that terraform init
// installed, which takes its rules as a variable of type any, JSON or a
// list (try(jsondecode(var.cors_rule), var.cors_rule)), counts its
// configuration by length(...) > 0 and reads optional members with
// try(cors_rule.value.x, null): the rules passed in the module calls are
// judged, at the values in the root module's file.
func TestTerraformRegistryModule(t *testing.T) {
	t.Parallel()
	r, err := iac.Load("testdata/tfmodules", iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range r.Buckets {
		for _, u := range b.Unjudged {
			t.Errorf("%s: not judged: %s %s: %s", b.Resource, u.Pos, u.Expr, u.Why)
		}
		v := iac.Judge(b)
		for _, p := range v.Problems {
			got = append(got, fmt.Sprintf("%s %s %s", p.Pos, b.Resource, p.Err.Code))
		}
		for _, f := range v.Findings {
			got = append(got, fmt.Sprintf("%s %s %s %q", f.Pos, b.Resource, f.ID, f.Value))
		}
	}
	want := []string{
		`testdata/tfmodules/main.tf:15:26 module.site.aws_s3_bucket_cors_configuration.this[0] origin-trailing-slash "https://app.example.com/"`,
		`testdata/tfmodules/main.tf:17:25 module.site.aws_s3_bucket_cors_configuration.this[0] upload-without-checksum ""`,
		// About the rule, located where the module's dynamic block makes it.
		`testdata/tfmodules/.terraform/modules/site/main.tf:19:5 module.site.aws_s3_bucket_cors_configuration.this[0] cache-without-vary ""`,
		// The JSON's values are where its string is.
		`testdata/tfmodules/main.tf:32:15 module.assets.aws_s3_bucket_cors_configuration.this[0] origin-trailing-slash "https://assets.example.com/"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(r.Buckets) != 2 || len(r.Buckets[0].Rules) != 2 || len(r.Buckets[1].Rules) != 1 {
		t.Fatalf("%d buckets, want 2 of 2 and 1 rules", len(r.Buckets))
	}
	rule := r.Buckets[0].Rules[0]
	if rule.ID != "uploads" || rule.MaxAgeSeconds == nil || *rule.MaxAgeSeconds != 3000 || len(rule.AllowedHeaders) != 1 {
		t.Errorf("rule 1 = %+v, want the members the call passes", rule)
	}
	// The AWS provider sends an unset max_age_seconds as 0.
	if rule := r.Buckets[0].Rules[1]; rule.ID != "" || rule.MaxAgeSeconds == nil || *rule.MaxAgeSeconds != 0 || len(rule.ExposeHeaders) != 0 {
		t.Errorf("rule 2 = %+v, want its optional members unset", rule)
	}
}

// TestTerraformForEachUnknownElement: a for_each set one element of
// which is not known here (a variable without a value) makes an instance
// whose key is that element: each.key and each.value are not known for
// it, and nothing built from them is judged. It is not an instance keyed
// "" whose each.key is the empty string.
func TestTerraformForEachUnknownElement(t *testing.T) {
	t.Parallel()
	src := `variable "host" { type = string }
resource "aws_s3_bucket_cors_configuration" "c" {
  for_each = toset([var.host, "b.example.com"])
  bucket   = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${each.key}"]
  }
}
`
	r := parseTerraform(t, src)
	var got []string
	for _, b := range r.Buckets {
		got = append(got, strings.TrimPrefix(b.Resource, "aws_s3_bucket_cors_configuration."))
	}
	if want := []string{`c["b.example.com"]`, `c[*]`}; !slices.Equal(got, want) {
		t.Fatalf("buckets %q, want %q", got, want)
	}
	if o := r.Buckets[0].Rules[0].AllowedOrigins; !slices.Equal(o, []string{"https://b.example.com"}) {
		t.Errorf("%s: AllowedOrigins %q, want the known key's", r.Buckets[0].Resource, o)
	}
	unknown := r.Buckets[1]
	if len(unknown.Rules) != 1 || len(unknown.Rules[0].AllowedOrigins) != 0 {
		t.Errorf("%s: rules %+v, want one whose origin is not judged", unknown.Resource, unknown.Rules)
	}
	if len(unknown.Unjudged) != 1 || unknown.Unjudged[0].Field != iac.FieldAllowedOrigin || unknown.Unjudged[0].Pos.Line != 7 {
		t.Errorf("%s: not judged %+v, want the origin at line 7", unknown.Resource, unknown.Unjudged)
	}
	if v := iac.Judge(unknown); len(v.Problems) != 0 {
		t.Errorf("%s: problems %+v, want none: the origin is not known", unknown.Resource, v.Problems)
	}
}

// TestTerraformInstancesPastCap: a count or for_each of more instances
// than are judged one by one (1,000) judges the others as one, addr[*],
// with count.index or each not known, and notes it; a dynamic block of
// more blocks than are read leaves the others not judged. They were left
// out without a word, so that validate judged count = 1001 valid
// whatever the last instance held (audit13).
func TestTerraformInstancesPastCap(t *testing.T) {
	t.Parallel()
	keys := make([]string, 1001)
	for i := range keys {
		keys[i] = fmt.Sprintf("%q", fmt.Sprintf("k%04d", i))
	}
	set := "toset([" + strings.Join(keys, ", ") + "])"
	for _, tc := range []struct {
		name, src string
		buckets   int
		note      string // in a note of the file; "" for none
		unjudged  string // why a value of the last bucket is not judged; "" when all are judged
	}{
		{"count", `resource "aws_s3_bucket_cors_configuration" "c" {
  count  = 1001
  bucket = "b${count.index}"
  cors_rule {
    allowed_methods = [count.index == 1000 ? "PATCH" : "GET"]
    allowed_origins = ["*"]
  }
}
`, 1001, "aws_s3_bucket_cors_configuration.c: count makes 1001 instances; past the first 1000, they are judged as one, aws_s3_bucket_cors_configuration.c[*], with count.index unknown",
			"count makes 1001 instances, and those past the first 1000 are not judged one by one"},
		// A rule the same in every instance is judged in c[*] too.
		{"count of the same rule", `resource "aws_s3_bucket_cors_configuration" "c" {
  count  = 100000000
  bucket = "b${count.index}"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`, 1001, "count makes 100000000 instances; past the first 1000", ""},
		{"for_each", `resource "aws_s3_bucket_cors_configuration" "c" {
  for_each = ` + set + `
  bucket   = "b-${each.key}"
  cors_rule {
    allowed_methods = [each.key == "k1000" ? "PATCH" : "GET"]
    allowed_origins = ["*"]
  }
}
`, 1001, "for_each makes 1001 instances; past the first 1000, they are judged as one, aws_s3_bucket_cors_configuration.c[*], with each.key and each.value unknown",
			"for_each makes 1001 instances"},
		{"module count", `module "m" {
  source = "./m"
  count  = 1001
  origin = count.index == 1000 ? "http://a.example" : "https://a.example"
}
`, 1001, "module.m: count makes 1001 instances; past the first 1000, they are judged as one, module.m[*], with count.index unknown",
			"count makes 1001 instances, and those past the first 1000 are not judged one by one"},
		{"dynamic", `resource "aws_s3_bucket" "b" {
  dynamic "cors_rule" {
    for_each = ` + set + `
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["https://${cors_rule.key}.example"]
    }
  }
}
`, 1, "", "the dynamic block makes 1001 cors_rule blocks, and those past the first 1000 are not read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "m"), 0o755)
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tc.src), 0o644)
			os.WriteFile(filepath.Join(dir, "m", "main.tf"), []byte(`variable "origin" {}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [var.origin]
  }
}
`), 0o644)
			r, err := iac.Load(dir, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != tc.buckets {
				t.Fatalf("%d buckets, want %d", len(r.Buckets), tc.buckets)
			}
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, n.Text)
			}
			if got := strings.Join(notes, "\n"); tc.note != "" && !strings.Contains(got, tc.note) {
				t.Errorf("notes %q, want one saying %q", got, tc.note)
			}
			last := r.Buckets[len(r.Buckets)-1]
			if tc.buckets > 1 && !strings.Contains(last.Resource, "[*]") {
				t.Errorf("last bucket %s, want the instances past the first as one, [*]", last.Resource)
			}
			why := whyNotJudged(last, false)
			if tc.unjudged == "" && why != "" || !strings.Contains(why, tc.unjudged) {
				t.Errorf("%s: not judged %q, want %q", last.Resource, why, tc.unjudged)
			}
		})
	}
}

// TestTerraformDynamicForEachSetUnknown: a dynamic block over a set one
// element of which is not known makes its blocks in the set's order,
// sorted, which that element may fall anywhere in, or equal another
// element and leave one block fewer: the rules and their number are not
// judged (not three rules in the order written), at the for_each. Over a
// set of known elements, the blocks are made in the sorted order
// (terraform console 1.11.4: tolist(toset(["https://c", "https://b"]))
// is ["https://b", "https://c"]).
func TestTerraformDynamicForEachSetUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		forEach string
		origins []string // of the rules, in order; nil when not judged
	}{
		{`toset(["https://c.example", "https://b.example", var.u])`, nil},
		{`toset(["https://c.example", "https://b.example"])`, []string{"https://b.example", "https://c.example"}},
		{`["https://c.example", "https://b.example", var.u]`, []string{"https://c.example", "https://b.example"}},
	} {
		t.Run(tc.forEach, func(t *testing.T) {
			t.Parallel()
			r := parseTerraform(t, `variable "u" { type = string }
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = `+tc.forEach+`
    content {
      allowed_methods = ["GET"]
      allowed_origins = [cors_rule.value]
    }
  }
}
`)
			b := r.Buckets[0]
			got := originsOf(b)
			if !slices.Equal(got, tc.origins) {
				t.Errorf("origins %q, want %q", got, tc.origins)
			}
			if tc.origins == nil && (len(b.Rules) != 0 || len(b.Unjudged) != 1 || b.Unjudged[0].Pos.Line != 5 ||
				!strings.Contains(b.Unjudged[0].Why, "for_each is a set holding a value not known")) {
				t.Errorf("rules %+v, not judged %+v: want no rule, and the for_each at line 5 not judged", b.Rules, b.Unjudged)
			}
		})
	}
}

// TestTerraformDynamicForEachRefused: a dynamic block's for_each that is
// null or a scalar is refused by Terraform before the provider sees the
// resource (HCL's dynblock: "Invalid dynamic for_each value: Cannot use
// a null value in for_each.", "Cannot use a string value in for_each. An
// iterable collection is required."), at the for_each: it is an error,
// not a value that could not be judged.
func TestTerraformDynamicForEachRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ typ, forEach string }{
		{"aws_s3_bucket_cors_configuration", "null"},
		{"aws_s3_bucket_cors_configuration", `"abc"`},
		{"aws_s3_bucket_cors_configuration", "var.none"},
		{"aws_s3_bucket", "1"},
		{"aws_s3_bucket", "true"},
	} {
		t.Run(tc.typ+" "+tc.forEach, func(t *testing.T) {
			t.Parallel()
			src := `variable "none" {
  type    = list(string)
  default = null
}
resource "` + tc.typ + `" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = ` + tc.forEach + `
    content {
      allowed_methods = ["GET"]
      allowed_origins = ["https://a.example"]
    }
  }
}
`
			r := parseTerraform(t, src)
			if len(r.Buckets) != 1 {
				t.Fatalf("buckets %+v, want one", r.Buckets)
			}
			b := r.Buckets[0]
			if len(b.Errors) != 1 || b.Errors[0].Code != iac.CodeWrongType || b.Errors[0].Pos.Line != 8 || b.Errors[0].Pos.Column != 16 ||
				!strings.Contains(b.Errors[0].Message, "for_each") {
				t.Errorf("errors %+v, want the for_each refused (wrong-type, 8:16)", b.Errors)
			}
			if len(b.Unjudged) != 0 {
				t.Errorf("not judged %+v, want none: the for_each is known", b.Unjudged)
			}
			if v := iac.Judge(b); v.Valid() {
				t.Errorf("verdict valid, want the refusal")
			}
		})
	}
}

// TestConfigFindingsNeedEveryRule: cache-without-vary weighs every rule
// against the others, so a rule that is not known at all (an Fn::If on a
// condition decided at deploy time, a dynamic block over a for_each not
// known) could make it wrong: that rule, when there, may answer every GET
// with "*" before the rules that list several origins.
func TestConfigFindingsNeedEveryRule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, src string
		kind            iac.Kind
		want            bool
	}{
		{"cloudformation rule not known", "t.yaml", `Parameters: {Public: {Type: String}}
Conditions: {IsPublic: !Equals [!Ref Public, "yes"]}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - !If [IsPublic, {AllowedOrigins: ["*"], AllowedMethods: [GET]}, !Ref AWS::NoValue]
          - {AllowedOrigins: ["https://a.example.com", "https://b.example.com"], AllowedMethods: [GET], MaxAge: 300}
`, iac.CloudFormation, false},
		{"cloudformation every rule known", "t.yaml", `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: ["https://a.example.com", "https://b.example.com"], AllowedMethods: [GET], MaxAge: 300}
`, iac.CloudFormation, true},
		{"terraform dynamic block not known", "main.tf", `variable "public" { type = list(string) }
resource "aws_s3_bucket" "b" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.public
    content {
      allowed_origins = ["*"]
      allowed_methods = ["GET"]
    }
  }
  cors_rule {
    allowed_origins = ["https://a.example.com", "https://b.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 300
  }
}
`, iac.Terraform, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse(tc.file, []byte(tc.src), iac.Options{Kind: tc.kind})
			if err != nil {
				t.Fatal(err)
			}
			got := false
			for _, f := range iac.Judge(r.Buckets[0]).Findings {
				if f.ID == lint.IDCacheWithoutVary {
					got = true
				}
			}
			if got != tc.want {
				t.Errorf("cache-without-vary reported %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTerraformMaxAgeRefusedIsSet: a max_age_seconds that Terraform
// refuses (not a whole number, not a number) is refused, not also said
// to be "not set" and sent as 0.
func TestTerraformMaxAgeRefusedIsSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ value, code string }{
		{"1.5", iac.CodeNotInteger},
		{`"soon"`, iac.CodeNotInteger},
		{"[30]", iac.CodeWrongType},
	} {
		t.Run(tc.value, func(t *testing.T) {
			t.Parallel()
			src := `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
    max_age_seconds = ` + tc.value + `
  }
}
`
			r := parseTerraform(t, src)
			b := r.Buckets[0]
			if len(b.Errors) != 1 || b.Errors[0].Code != tc.code || b.Errors[0].Pos.Line != 6 {
				t.Errorf("errors %+v, want %s at line 6", b.Errors, tc.code)
			}
			for _, n := range b.Notes {
				if strings.Contains(n.Text, "not set") {
					t.Errorf("note %q about a max_age_seconds that is written", n.Text)
				}
			}
		})
	}
}

// TestYAMLLineBreaks: the YAML parser counts lines at NEL, LS and PS as
// well as at "\n", "\r\n" and a carriage return alone, and columns after a
// leading byte order mark: a template holding one (in a Description pasted
// from elsewhere) had every value after it located a line off, or at the
// end of the file. Positions count lines as YAML 1.2 and editors do, at
// "\n", "\r\n" and "\r" alone, and bytes from the line's start, as
// everywhere else; a template whose lines end in "\r" alone had every
// value on line 1.
func TestYAMLLineBreaks(t *testing.T) {
	t.Parallel()
	const rest = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
		"          - AllowedOrigins: [\"https://a.example\"]\n            AllowedMethods: [GET, PATCH]\n"
	for _, tc := range []struct {
		name, src string
		line, col int
	}{
		{"LF", "Description: \"a b\"\n" + rest, 9, 35},
		{"CRLF", "Description: \"a b\"\r\n" + rest, 9, 35},
		{"CR", "Description: \"a\rb\"\n" + rest, 10, 35},
		{"CR line ends", strings.ReplaceAll("Description: \"a b\"\n"+rest, "\n", "\r"), 9, 35},
		{"mixed line ends", "Description: \"a b\"\r" + strings.Replace(strings.Replace(rest, "\n", "\r", 3), "\n", "\r\n", 2), 9, 35},
		{"CR then CRLF", "Description: \"a b\"\r\r\n" + rest, 10, 35},
		{"NEL", "Description: \"a\u0085b\"\n" + rest, 9, 35},
		{"LS", "Description: \"a\u2028b\"\n" + rest, 9, 35},
		{"PS", "Description: \"a\u2029b\"\n" + rest, 9, 35},
		{"LS twice in comments", "# a\u2028# b\u2028# c\n" + rest, 9, 35},
		{"NEL before on the line", "Description: \"é\u0085\" # é\n" + rest, 9, 35},
		{"BOM", "\uFEFFResources: {B: {Type: AWS::S3::Bucket, Properties: {CorsConfiguration: {CorsRules: [{AllowedOrigins: [a], AllowedMethods: [PATCH]}]}}}}\n", 1, 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(tc.src), iac.Options{Kind: iac.CloudFormation})
			if err != nil {
				t.Fatal(err)
			}
			errs := r.Buckets[0].Errors
			if len(errs) != 1 || errs[0].Pos.Line != tc.line || errs[0].Pos.Column != tc.col {
				t.Fatalf("errors %+v, want one at %d:%d", errs, tc.line, tc.col)
			}
			lines := editorLines(tc.src)
			if at := lines[tc.line-1][tc.col-1:]; !strings.HasPrefix(at, "PATCH") {
				t.Errorf("%d:%d holds %q, want PATCH", tc.line, tc.col, at)
			}
		})
	}
}

// editorLines splits s into its lines as editors show them: each ends at
// "\r\n", "\n" or "\r" alone.
func editorLines(s string) []string {
	return strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
}

// TestCloudFormationIfWhy: an Fn::If whose condition is not decided from
// the template alone says why: a condition that depends on a value known
// at deploy time. (One the template does not declare, or one that refers
// to itself, is refused: TestCloudFormationUndeclaredCondition,
// TestCloudFormationCyclicConditions.)
func TestCloudFormationIfWhy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cond, why string }{
		{"InUS", "condition InUS depends on values known only at deploy time"},
	} {
		t.Run(tc.cond, func(t *testing.T) {
			t.Parallel()
			src := `Conditions:
  InUS: !Equals [!Ref AWS::Region, us-east-1]
  Loop: !Not [!Condition Other]
  Other: !Condition Loop
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [!If [` + tc.cond + `, "https://a.example", "https://b.example"]]
            AllowedMethods: [GET]
`
			r, err := iac.Parse("t.yaml", []byte(src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			u := r.Buckets[0].Unjudged
			if len(u) != 1 || u[0].Why != tc.why {
				t.Errorf("not judged %+v, want one because %q", u, tc.why)
			}
		})
	}
}

// TestTerraformRulesAsArgument: cors_rule is a block type in both
// resources, and Terraform refuses it written as an argument, cors_rule =
// [...] ("Unsupported argument; An argument named "cors_rule" is not
// expected here. Did you mean to define a block of type "cors_rule"?"),
// at the argument: an aws_s3_bucket that writes it is not left out as a
// bucket without CORS, and an aws_s3_bucket_cors_configuration is not
// only said to lack a block.
func TestTerraformRulesAsArgument(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"aws_s3_bucket_cors_configuration", "aws_s3_bucket"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			src := `resource "` + typ + `" "c" {
  bucket = "b"
  cors_rule = [{
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
  }]
}
`
			r := parseTerraform(t, src)
			if len(r.Buckets) != 1 {
				t.Fatalf("buckets %+v, want the resource's", r.Buckets)
			}
			errs := r.Buckets[0].Errors
			if len(errs) != 1 || errs[0].Code != iac.CodeWrongType || errs[0].Pos.Line != 3 || errs[0].Pos.Column != 3 ||
				!strings.Contains(errs[0].Hint, "cors_rule {") {
				t.Errorf("errors %+v, want the argument refused at 3:3, with a hint to write blocks", errs)
			}
		})
	}
}

// TestTerraformOverrideFiles: Terraform merges the blocks of override
// files (override.tf, *_override.tf), read after the others in name
// order, into the blocks of the same type and labels (configs'
// mergeBody): an argument replaces the argument, and the nested blocks of
// one type replace every block of that type, dynamic ones included. An
// override is not a resource of its own, and the rules it replaces are
// not sent.
func TestTerraformOverrideFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"main.tf": `variable "origin" {
  type    = string
  default = "https://dev.example.com/"
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "x"
  cors_rule {
    allowed_origins = [var.origin]
    allowed_methods = ["GET"]
    max_age_seconds = 300
  }
  dynamic "cors_rule" {
    for_each = ["https://b.example.com"]
    content {
      allowed_origins = [cors_rule.value]
      allowed_methods = ["GET"]
    }
  }
}
resource "aws_s3_bucket_cors_configuration" "kept" {
  bucket = "y"
  cors_rule {
    allowed_origins = ["https://kept.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 60
  }
}
`,
		// Read before main.tf by name, applied after it.
		"a_override.tf": `variable "origin" {
  default = "https://prod.example.com"
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "z"
  cors_rule {
    allowed_origins = [var.origin]
    allowed_methods = ["GET", "HEAD"]
    max_age_seconds = 600
  }
}
`,
		"override.tf": `resource "aws_s3_bucket_cors_configuration" "kept" {
  bucket = "w"
}
`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range r.Buckets {
		for _, rule := range b.Rules {
			got = append(got, fmt.Sprintf("%s %q %q %d", b.Resource, rule.AllowedOrigins, rule.AllowedMethods, *rule.MaxAgeSeconds))
		}
		if len(b.Errors) > 0 {
			t.Errorf("%s: errors %+v", b.Resource, b.Errors)
		}
		if b.Pos.Line == 0 || filepath.Base(b.Pos.File) != "main.tf" {
			t.Errorf("%s: declared at %s, want main.tf", b.Resource, b.Pos)
		}
	}
	want := []string{
		`aws_s3_bucket_cors_configuration.c ["https://prod.example.com"] ["GET" "HEAD"] 600`,
		`aws_s3_bucket_cors_configuration.kept ["https://kept.example.com"] ["GET"] 60`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTerraformOverrideFileNamed: a Terraform file named alone returns
// the buckets declared in it, and an override file's are those it
// overrides, declared elsewhere: linting b_override.tf, which replaces
// the rules of a bucket of main.tf with ones for "*" and PUT, must judge
// that bucket, not say there is none.
func TestTerraformOverrideFileNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "x"
  cors_rule {
    allowed_origins = ["https://a.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 300
  }
}
`,
		"other.tf": `resource "aws_s3_bucket_cors_configuration" "d" {
  bucket = "y"
  cors_rule {
    allowed_origins = ["https://d.example.com"]
    allowed_methods = ["GET"]
    max_age_seconds = 60
  }
}
`,
		"b_override.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  cors_rule {
    allowed_origins = ["*"]
    allowed_methods = ["PUT"]
    max_age_seconds = 600
  }
}
`,
		"z_override.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "z"
}
`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const c = `aws_s3_bucket_cors_configuration.c ["*"] ["PUT"] 600`
	const d = `aws_s3_bucket_cors_configuration.d ["https://d.example.com"] ["GET"] 60`
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"main.tf", []string{c}},
		{"other.tf", []string{d}},
		{"b_override.tf", []string{c}},
		{"z_override.tf", []string{c}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Load(filepath.Join(dir, tc.file), iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				for _, rule := range b.Rules {
					got = append(got, fmt.Sprintf("%s %q %q %d", b.Resource, rule.AllowedOrigins, rule.AllowedMethods, *rule.MaxAgeSeconds))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rules\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestTerraformOverrideOfNothing: Terraform refuses the configuration
// when a block of an override file overrides nothing in the primary files
// of its module (configs' Module.mergeFile, hashicorp/terraform
// internal/configs/module.go), for each kind of block this package reads:
// variables, local values, module calls and resources. The input is
// refused as a whole, where the block is written, not judged without the
// block. Blocks Terraform lets an override file add (a provider without
// an alias, a terraform block) are not refused. A .tf.json override file
// is refused as a .tf one (TestOpenTofuFiles reads bases in JSON).
func TestTerraformOverrideOfNothing(t *testing.T) {
	t.Parallel()
	const main = `variable "origin" {
  default = "https://a.example.com"
}
locals {
  methods = ["GET"]
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "x"
  cors_rule {
    allowed_origins = [var.origin]
    allowed_methods = local.methods
  }
}
`
	const rule = "  cors_rule {\n    allowed_origins = [\"*\"]\n    allowed_methods = [\"GET\"]\n  }\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // the error; "" for none
	}{
		{"resource", map[string]string{"main.tf": main,
			"cors_override.tf": "# the bucket's rules\n\nresource \"aws_s3_bucket_cors_configuration\" \"x\" {\n" + rule + "}\n"},
			`cors_override.tf:3:1: Terraform refuses this override file: Missing resource to override: There is no aws_s3_bucket_cors_configuration resource named "x". ` +
				`An override file can only override a resource block defined in a primary configuration file.`},
		{"inline-bucket", map[string]string{"main.tf": main,
			"override.tf": "resource \"aws_s3_bucket\" \"legacy\" {\n" + rule + "}\n"},
			`override.tf:1:1: Terraform refuses this override file: Missing resource to override: There is no aws_s3_bucket resource named "legacy". ` +
				`An override file can only override a resource block defined in a primary configuration file.`},
		{"module-call", map[string]string{"main.tf": main,
			"override.tf": "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"y\"\n}\nmodule \"site\" {\n  source = \"./site\"\n}\n"},
			`override.tf:4:1: Terraform refuses this override file: Missing module call to override: There is no module call named "site". ` +
				`An override file can only override a module call that was defined in a primary configuration file.`},
		{"variable", map[string]string{"main.tf": main,
			"z_override.tf": "variable \"origins\" {\n  default = \"https://b.example.com\"\n}\n"},
			`z_override.tf:1:1: Terraform refuses this override file: Missing base variable declaration to override: There is no variable named "origins". ` +
				`An override file can only override a variable that was already declared in a primary configuration file.`},
		{"local", map[string]string{"main.tf": main,
			"override.tf": "locals {\n  methods = [\"PUT\"]\n  method  = \"PUT\"\n}\n"},
			`override.tf:3:3: Terraform refuses this override file: Missing base local value definition to override: There is no local value named "method". ` +
				`An override file can only override a local value that was already defined in a primary configuration file.`},
		// An override file's blocks are merged into the primary
		// files' only: a block the first override file would have
		// added is no base for the second.
		{"second-override", map[string]string{"main.tf": main,
			"a_override.tf": "variable \"origin\" {\n  default = \"https://b.example.com\"\n}\n",
			"b_override.tf": "\nlocals {\n  methods = [\"PUT\"]\n}\nvariable \"origin\" {\n  default = \"https://c.example.com\"\n}\nvariable \"other\" {}\n"},
			`b_override.tf:8:1: Terraform refuses this override file: Missing base variable declaration to override: There is no variable named "other". ` +
				`An override file can only override a variable that was already declared in a primary configuration file.`},
		// In a module the root calls: Terraform refuses the whole
		// configuration.
		{"called-module", map[string]string{"main.tf": main + "module \"site\" {\n  source = \"./site\"\n}\n",
			"site/main.tf":     "resource \"aws_s3_bucket_cors_configuration\" \"s\" {\n  bucket = \"s\"\n" + rule + "}\n",
			"site/override.tf": "resource \"aws_s3_bucket_cors_configuration\" \"t\" {\n  bucket = \"t\"\n}\n"},
			`site/override.tf:1:1: Terraform refuses this override file: Missing resource to override: There is no aws_s3_bucket_cors_configuration resource named "t". ` +
				`An override file can only override a resource block defined in a primary configuration file.`},
		// Terraform takes these: a provider configuration without an
		// alias and a terraform block need no base.
		{"tolerated", map[string]string{"main.tf": main,
			"override.tf": "terraform {\n  required_version = \">= 1.0\"\n}\nprovider \"aws\" {\n  region = \"eu-west-1\"\n}\n" +
				"resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"y\"\n}\n"},
			""},
		{"json-override", map[string]string{"main.tf": main,
			"cors_override.tf.json": "{\"resource\": {\"aws_s3_bucket_cors_configuration\": {\n  \"//\": \"x\",\n  \"x\": {\"bucket\": \"x\"}}}}\n"},
			`cors_override.tf.json:3:3: Terraform refuses this override file: Missing resource to override: There is no aws_s3_bucket_cors_configuration resource named "x". ` +
				`An override file can only override a resource block defined in a primary configuration file.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tc.files {
				path := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// The module, and its main.tf named alone: Terraform
			// reads the whole module either way.
			for _, path := range []string{dir, filepath.Join(dir, "main.tf")} {
				r, err := iac.Load(path, iac.Options{Kind: iac.Terraform})
				if tc.want == "" {
					if err != nil {
						t.Fatalf("%s: %v, want no error", path, err)
					}
					if len(r.Buckets) != 1 || len(r.Buckets[0].Errors) != 0 {
						t.Errorf("%s: buckets %+v, want aws_s3_bucket_cors_configuration.c without errors", path, r.Buckets)
					}
					continue
				}
				var pe *iac.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: result %+v, error %v; want the configuration refused", path, r, err)
				}
				if got := strings.TrimPrefix(filepath.ToSlash(err.Error()), filepath.ToSlash(dir)+"/"); got != tc.want {
					t.Errorf("%s: error\n%s\nwant\n%s", path, got, tc.want)
				}
			}
		})
	}
}

// TestCloudFormationUndeclaredCondition: CloudFormation refuses a template
// that names a condition its Conditions section does not declare, in an
// Fn::If ("Template error: unresolved condition dependency X in Fn::If",
// as CloudFormation answered in aws/aws-cdk#26560 and
// cdklabs/cdk-from-cfn#975), in a resource's Condition or in a Condition
// function of another condition: the template is refused where the name
// is written, not judged with the value not known. In a nested stack's
// template, the nested stack is refused, as one that does not parse: a
// note, and none of its buckets.
func TestCloudFormationUndeclaredCondition(t *testing.T) {
	t.Parallel()
	const head = `Conditions:
  InUS: !Equals [!Ref AWS::Region, us-east-1]
  Uses: !Not [!Condition Missing]
Resources:
  B:
    Type: AWS::S3::Bucket
`
	const rules = `    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [%s]
            AllowedMethods: [GET]
`
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"if", head + fmt.Sprintf(rules, `!If [Missing, "https://a.example", "https://b.example"]`),
			`t.yaml:10:35: CloudFormation refuses the template: Fn::If names the condition Missing, which Conditions does not declare ` +
				`("Template error: unresolved condition dependency Missing in Fn::If")`},
		{"if-long-form", head + fmt.Sprintf(rules, `{"Fn::If": ["Nope", "https://a.example", "https://b.example"]}`),
			`t.yaml:10:42: CloudFormation refuses the template: Fn::If names the condition Nope, which Conditions does not declare ` +
				`("Template error: unresolved condition dependency Nope in Fn::If")`},
		{"if-in-if", head + fmt.Sprintf(rules, `!If [InUS, "https://a.example", !If [Missing, "https://b.example", "https://c.example"]]`),
			`t.yaml:10:67: CloudFormation refuses the template: Fn::If names the condition Missing, which Conditions does not declare ` +
				`("Template error: unresolved condition dependency Missing in Fn::If")`},
		{"resource", head + "    Condition: Absent\n" + fmt.Sprintf(rules, `"https://a.example"`),
			`t.yaml:7:16: CloudFormation refuses the template: resource B names the condition Absent, which Conditions does not declare ` +
				`("Template format error: Unresolved condition dependency Absent in the Resources block of the template")`},
		{"condition-function", head + fmt.Sprintf(rules, `!If [Uses, "https://a.example", "https://b.example"]`),
			`t.yaml:3:15: CloudFormation refuses the template: condition Uses names the condition Missing, which Conditions does not declare ` +
				`("Template error: unresolved condition dependency Missing in Condition")`},
		{"no-conditions", strings.Replace(head, "Conditions:\n  InUS: !Equals [!Ref AWS::Region, us-east-1]\n  Uses: !Not [!Condition Missing]\n", "", 1) +
			fmt.Sprintf(rules, `!If [InUS, "https://a.example", "https://b.example"]`),
			`t.yaml:7:35: CloudFormation refuses the template: Fn::If names the condition InUS, which Conditions does not declare ` +
				`("Template error: unresolved condition dependency InUS in Fn::If")`},
		// A macro may add conditions before CloudFormation validates
		// the template, and AWS::Include may bring some: not refused.
		{"macro", "Transform: [AWS::Serverless-2016-10-31, MyMacro]\n" + head + fmt.Sprintf(rules, `!If [Missing, "https://a.example", "https://b.example"]`), ""},
		{"include", strings.Replace(head, "Conditions:\n", "Conditions:\n  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/c.yaml}}\n", 1) +
			fmt.Sprintf(rules, `!If [Missing, "https://a.example", "https://b.example"]`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(tc.tmpl), iac.Options{})
			if tc.want == "" {
				if err != nil || len(r.Buckets) != 1 || len(r.Buckets[0].Unjudged) != 1 ||
					r.Buckets[0].Unjudged[0].Why != "the template declares no condition Missing" {
					t.Errorf("result %+v, err = %v; want the origin not judged", r, err)
				}
				return
			}
			checkRefused(t, r, err, tc.want)
		})
	}

	t.Run("nested", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		parent := `Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
  P:
    Type: AWS::S3::Bucket
` + fmt.Sprintf(rules, `"https://p.example"`)
		child := `Resources:
  C:
    Type: AWS::S3::Bucket
` + fmt.Sprintf(rules, `"https://c.example"`) + `  D:
    Type: AWS::S3::Bucket
` + fmt.Sprintf(rules, `!If [Missing, "https://a.example", "https://b.example"]`)
		for name, data := range map[string]string{"parent.yaml": parent, "child.yaml": child} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := iac.Load(filepath.Join(dir, "parent.yaml"), iac.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range r.Buckets {
			got = append(got, b.Resource)
		}
		if !slices.Equal(got, []string{"P"}) {
			t.Errorf("buckets %q, want only the parent's P", got)
		}
		want := "nested stack Child: " + filepath.Join(dir, "child.yaml") + ":14:35: CloudFormation refuses the template: " +
			`Fn::If names the condition Missing, which Conditions does not declare ("Template error: unresolved condition dependency Missing in Fn::If")`
		if len(r.Notes) != 1 || r.Notes[0].Text != want || r.Notes[0].Pos.Line != 5 {
			t.Errorf("notes %+v, want at line 5: %s", r.Notes, want)
		}
	})
}

// TestCloudFormationCyclicConditions: conditions that refer to one
// another in a cycle cannot be evaluated, and CloudFormation refuses the
// template (UNVERIFIED words, from an emulator: "Template format error:
// Circular dependency between conditions"): the template is refused where
// the reference that closes the cycle is written, not judged with the
// value not known.
func TestCloudFormationCyclicConditions(t *testing.T) {
	t.Parallel()
	const conds = `Conditions:
  Loop: !Not [!Condition Other]
  Other: !Condition Loop
  Self: !And [!Equals [a, a], !Condition Self]
  Outer: !Or [!Condition Loop, !Equals [a, b]]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [!If [%s, "https://a.example", "https://b.example"]]
            AllowedMethods: [GET]
`
	for _, tc := range []struct{ cond, want string }{
		{"Loop", `t.yaml:3:10: CloudFormation refuses the template: conditions Loop, Other refer to one another in a cycle ` +
			`("Template format error: Circular dependency between conditions: [Loop, Other]")`},
		{"Self", `t.yaml:4:31: CloudFormation refuses the template: condition Self refers to itself ` +
			`("Template format error: Circular dependency between conditions: [Self]")`},
		{"Outer", `t.yaml:3:10: CloudFormation refuses the template: conditions Loop, Other refer to one another in a cycle ` +
			`("Template format error: Circular dependency between conditions: [Loop, Other]")`},
	} {
		t.Run(tc.cond, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(fmt.Sprintf(conds, tc.cond)), iac.Options{})
			checkRefused(t, r, err, tc.want)
		})
	}
}

// TestCloudFormationConditionsForEach: with AWS::LanguageExtensions, an
// Fn::ForEach loop of the Conditions section declares conditions whose
// names it makes (AWS's "Examples of Fn::ForEach in the Conditions
// section"), which the template may name anywhere: such a template is
// valid, and is not refused as naming a condition it does not declare.
// The loop is not read, so a name it may declare is not known.
func TestCloudFormationConditionsForEach(t *testing.T) {
	t.Parallel()
	const tmpl = `Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, Default: Prod}
Conditions:
  Fn::ForEach::Envs:
    - E
    - [Prod, Dev]
    - 'Is${E}': !Equals [!Ref Env, !Ref E]
  NotDev: !Not [!Condition IsDev]
Resources:
  B:
    Type: AWS::S3::Bucket
    Condition: %s
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [!If [%s, "https://a.example", "https://b.example"]]
            AllowedMethods: [GET]
`
	for _, tc := range []struct{ resCond, ifCond, why string }{
		{"IsProd", "IsDev", "condition IsDev may be declared by an Fn::ForEach loop of Conditions, which is not read"},
		{"NotDev", "NotDev", "condition NotDev depends on values known only at deploy time"},
	} {
		t.Run(tc.resCond+"/"+tc.ifCond, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(fmt.Sprintf(tmpl, tc.resCond, tc.ifCond)), iac.Options{})
			if err != nil {
				t.Fatalf("err = %v, want the template read", err)
			}
			if len(r.Buckets) != 1 || len(r.Buckets[0].Unjudged) != 1 || r.Buckets[0].Unjudged[0].Why != tc.why {
				t.Errorf("result %+v; want bucket B, its origin not judged: %s", r, tc.why)
			}
		})
	}
}

// TestOpenTofuFiles: a module is read as OpenTofu reads it
// (opentofu/opentofu internal/configs/parser_config_dir.go, and "Files
// and Directories" and "Override Files" of its documentation): .tofu
// files are read as .tf files are, override files included (override.tofu,
// *_override.tofu), and foo.tf is not read when foo.tofu is there, nor
// foo.tf.json when foo.tofu.json is (a note says so). Terraform, which
// does not read .tofu files, would read foo.tf: a module with .tofu files
// is written for OpenTofu. A .tofu.json file is in the JSON syntax, read
// as a .tf.json file is.
func TestOpenTofuFiles(t *testing.T) {
	t.Parallel()
	bucket := func(name, origin string) string {
		return `resource "aws_s3_bucket_cors_configuration" "` + name + `" {
  bucket = "` + name + `"
  cors_rule {
    allowed_origins = ["` + origin + `"]
    allowed_methods = ["GET"]
  }
}
`
	}
	over := func(name, origin string) string {
		return `resource "aws_s3_bucket_cors_configuration" "` + name + `" {
  cors_rule {
    allowed_origins = ["` + origin + `"]
    allowed_methods = ["PUT"]
  }
}
`
	}
	const jsonBucket = `{"resource": {"aws_s3_bucket_cors_configuration": {"j": {"bucket": "j"}}}}`
	jsonOf := func(name, origin string) string {
		return `{"resource": {"aws_s3_bucket_cors_configuration": {"` + name + `": {"bucket": "` + name + `",
  "cors_rule": {"allowed_origins": ["` + origin + `"], "allowed_methods": ["GET"]}}}}}`
	}
	overJSON := func(name, origin string) string {
		return `{"resource": {"aws_s3_bucket_cors_configuration": {"` + name + `": {
  "cors_rule": [{"allowed_origins": ["` + origin + `"], "allowed_methods": ["PUT"]}]}}}}`
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		load  string   // the path loaded, relative to the directory; "" for the directory
		want  []string // each rule: resource, origins and methods
		notes []string // the notes of the result, their files relative to the directory
	}{
		{"tofu-file", map[string]string{"main.tofu": bucket("c", "https://a.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`}, nil},
		{"tofu-file-named", map[string]string{"main.tofu": bucket("c", "https://a.example"), "other.tf": bucket("d", "https://d.example")}, "main.tofu",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`}, nil},
		{"tofu-and-tf", map[string]string{"main.tofu": bucket("c", "https://a.example"), "main.tf": bucket("c", "https://b.example"),
			"other.tf": bucket("d", "https://d.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`, `aws_s3_bucket_cors_configuration.d ["https://d.example"] ["GET"]`},
			[]string{"main.tf: not read: OpenTofu reads main.tofu in its place (Terraform, which does not read .tofu files, would read it)"}},
		{"tf-named-beside-tofu", map[string]string{"main.tofu": bucket("c", "https://a.example"), "main.tf": bucket("c", "https://b.example")}, "main.tf",
			nil, []string{"main.tf: not read: OpenTofu reads main.tofu in its place (Terraform, which does not read .tofu files, would read it)"}},
		{"override-tofu", map[string]string{"main.tf": bucket("c", "https://a.example"), "override.tofu": over("c", "https://o.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://o.example"] ["PUT"]`}, nil},
		{"override-of-tofu-block", map[string]string{"main.tofu": bucket("c", "https://a.example"), "cors_override.tf": over("c", "https://o.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://o.example"] ["PUT"]`}, nil},
		{"override-tofu-and-tf", map[string]string{"main.tf": bucket("c", "https://a.example"),
			"x_override.tf": over("c", "https://tf.example"), "x_override.tofu": over("c", "https://tofu.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://tofu.example"] ["PUT"]`},
			[]string{"x_override.tf: not read: OpenTofu reads x_override.tofu in its place (Terraform, which does not read .tofu files, would read it)"}},
		{"tofu-json-base", map[string]string{"main.tf": bucket("c", "https://a.example"), "extra.tofu.json": jsonBucket,
			"override.tf": over("j", "https://o.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.j ["https://o.example"] ["PUT"]`, `aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`}, nil},
		{"tf-json-beside-tofu-json", map[string]string{"main.tf": bucket("c", "https://a.example"), "j.tf.json": jsonBucket,
			"j.tofu.json": jsonOf("j", "https://tofu.example"), "j_override.tf.json": `{}`}, "",
			[]string{`aws_s3_bucket_cors_configuration.j ["https://tofu.example"] ["GET"]`, `aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`},
			[]string{"j.tf.json: not read: OpenTofu reads j.tofu.json in its place (Terraform, which does not read .tofu files, would read it)"}},
		{"tofu-json-over-tf-json-override", map[string]string{"main.tf.json": jsonOf("c", "https://a.example"),
			"x_override.tf.json": overJSON("c", "https://tf.example"), "x_override.tofu.json": overJSON("c", "https://tofu.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://tofu.example"] ["PUT"]`},
			[]string{"x_override.tf.json: not read: OpenTofu reads x_override.tofu.json in its place (Terraform, which does not read .tofu files, would read it)"}},
		{"tf-and-json", map[string]string{"vars.tf": "variable \"origin\" {\n  default = \"https://v.example\"\n}\n",
			"cors.tf.json": `{"resource": {"aws_s3_bucket_cors_configuration": {"v": {"bucket": "v",
  "cors_rule": {"allowed_origins": ["${var.origin}"], "allowed_methods": ["GET"]}}}}}`}, "",
			[]string{`aws_s3_bucket_cors_configuration.v ["https://v.example"] ["GET"]`}, nil},
		{"json-override-of-tf", map[string]string{"main.tf": bucket("c", "https://a.example"), "override.tf.json": overJSON("c", "https://o.example")}, "",
			[]string{`aws_s3_bucket_cors_configuration.c ["https://o.example"] ["PUT"]`}, nil},
		{"module", map[string]string{"main.tf": "module \"site\" {\n  source = \"./site\"\n}\n",
			"site/main.tofu": bucket("s", "https://s.example"), "site/main.tf": bucket("s", "https://t.example")}, "",
			[]string{`module.site.aws_s3_bucket_cors_configuration.s ["https://s.example"] ["GET"]`},
			[]string{"site/main.tf: not read: OpenTofu reads main.tofu in its place (Terraform, which does not read .tofu files, would read it)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			r, err := iac.Load(filepath.Join(dir, filepath.FromSlash(tc.load)), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range r.Buckets {
				for _, rule := range b.Rules {
					got = append(got, fmt.Sprintf("%s %q %q", b.Resource, rule.AllowedOrigins, rule.AllowedMethods))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rules\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, strings.TrimPrefix(filepath.ToSlash(n.Pos.File), filepath.ToSlash(dir)+"/")+": "+n.Text)
			}
			if !slices.Equal(notes, tc.notes) {
				t.Errorf("notes\n%s\nwant\n%s", strings.Join(notes, "\n"), strings.Join(tc.notes, "\n"))
			}
		})
	}
}

// TestOpenTofuFileKinds: a .tofu file is Terraform whatever it holds, as
// a .tf file is, and a .tofu.json file is read as a .tf.json file is.
func TestOpenTofuFileKinds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "b"}}}}`
	writeFiles(t, dir, map[string]string{"main.tofu.json": src, "main.tofu": "# nothing yet\n"})
	for _, name := range []string{"main.tofu", "main.tofu.json"} {
		if got := iac.DetectFile(filepath.Join(dir, name), []byte(src)); got != iac.Terraform {
			t.Errorf("DetectFile(%s) = %v, want %v", name, got, iac.Terraform)
		}
	}
	if r, err := iac.Load(filepath.Join(dir, "main.tofu.json"), iac.Options{}); err != nil || len(r.Buckets) != 1 {
		t.Errorf("Load(main.tofu.json) = %+v, %v; want its bucket read", r, err)
	}
	if r, err := iac.Load(filepath.Join(dir, "main.tofu"), iac.Options{}); err != nil || r.Kind != iac.Terraform {
		t.Errorf("Load(main.tofu) = %+v, %v; want Terraform read", r, err)
	}
}

// TestCloudFormationForEachPlaceholders: AWS::LanguageExtensions puts the
// value of an Fn::ForEach loop's identifier in place of each
// ${Identifier} and &{Identifier} of the loop's fragment, keys and values
// ("All instances of ${Identifier} or &{Identifier} in the OutputKey and
// OutputValue parameters are replaced", AWS's Fn::ForEach reference): in
// a Ref's name, and in an Fn::Sub's string before Fn::Sub reads it, so
// that ${${Name}Origin} names parameter aOrigin.
func TestCloudFormationForEachPlaceholders(t *testing.T) {
	t.Parallel()
	const tmpl = `Transform: AWS::LanguageExtensions
Parameters:
  aOrigin: {Type: String, Default: "https://a-param.example"}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a]
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedOrigins: [!Ref Name, !Sub "https://${Name}.example", !Ref "${Name}Origin", !Sub "${${Name}Origin}/x", !Sub "https://&{Name}.example"]
                AllowedMethods: [GET]
`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 1 || len(r.Buckets[0].Unjudged) != 0 {
		t.Fatalf("buckets %+v, want aBucket, one rule, all judged", r.Buckets)
	}
	want := []string{"a", "https://a.example", "https://a-param.example", "https://a-param.example/x", "https://a.example"}
	if got := r.Buckets[0].Rules[0].AllowedOrigins; !slices.Equal(got, want) {
		t.Errorf("origins %q, want %q", got, want)
	}
}

// TestCloudFormationLoopTextBound: the value of an Fn::ForEach loop's
// identifier put in place of each ${Identifier} of a logical ID or a
// Ref's name makes a string of at most 1 MiB, as a string an intrinsic
// function builds: a long value in place of many ${Identifier} would
// otherwise take memory without bound.
func TestCloudFormationLoopTextBound(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 8192)
	many := strings.Repeat("${N}", 150) // a key of YAML is at most 1024 characters
	for _, tc := range []struct{ name, key, origin, want string }{
		{"logical-id", many, `"https://a.example"`, "t.yaml:6:7: a value built by "},
		{"ref", "B${N}", `!Ref "` + many + `"`, "t.yaml:12:34: a value built by "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmpl := `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - N
    - [` + long + `]
    - ` + tc.key + `:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedMethods: [GET]
                AllowedOrigins: [` + tc.origin + `]
`
			_, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !strings.HasSuffix(err.Error(), " is longer than 1048576 bytes") {
				t.Errorf("err = %.300v; want %s... is longer than 1048576 bytes", err, tc.want)
			}
		})
	}
}

// TestCloudFormationUnresolvedReference: CloudFormation refuses a template
// whose Ref, or Fn::Sub's ${Name}, names neither a parameter, a resource
// nor a pseudo parameter ("Template format error: Unresolved resource
// dependencies [X] in the Resources block of the template", as
// validate-template answers in serverless/serverless#4745 and
// cloudnative/lambda-chat#25, and for Fn::Sub in
// aws-samples/sample-OpenClaw-on-AWS-with-Bedrock#88), and whose
// Fn::GetAtt names a resource it does not declare ("Template error:
// instance of Fn::GetAtt references undefined resource X",
// serverless-heaven/serverless-aws-alias#144 and others), in a branch a
// condition leaves out too: it checks every reference before it creates
// anything. In Conditions, a Ref names parameters only ("Template format
// error: Unresolved dependencies [X]. Cannot reference resources in the
// Conditions block of the template", aws-cloudformation/cfn-lint#99 and
// aws-samples/aws-refarch-moodle#64). The template is refused where the
// name is written, not judged with the value not known.
func TestCloudFormationUnresolvedReference(t *testing.T) {
	t.Parallel()
	const tmpl = `Parameters:
  Origin: {Type: String, Default: "https://p.example"}
Conditions:
  Yes: !Equals [a, a]
  Odd: !Equals [!Ref %s, x]
Resources:
  Other:
    Type: AWS::SNS::Topic
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [%s]
            AllowedMethods: [GET]
`
	const unresolved = `("Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template")`
	for _, tc := range []struct {
		name, cond, origin string
		want               string // the refusal; "" for none
		why                string // without a refusal, why the origin is not judged; "" when it is
	}{
		{"ref", "Origin", `!Ref Missing`,
			`t.yaml:14:30: CloudFormation refuses the template: Ref names Missing, which the template declares neither as a parameter nor as a resource ` + unresolved, ""},
		{"ref-long-form", "Origin", `{"Ref": "Missing"}`,
			`t.yaml:14:38: CloudFormation refuses the template: Ref names Missing, which the template declares neither as a parameter nor as a resource ` + unresolved, ""},
		{"ref-in-branch-left-out", "Origin", `!If [Yes, "https://a.example", !Ref Missing]`,
			`t.yaml:14:61: CloudFormation refuses the template: Ref names Missing, which the template declares neither as a parameter nor as a resource ` + unresolved, ""},
		{"sub", "Origin", `!Sub "https://${Missing}.example"`,
			`t.yaml:14:30: CloudFormation refuses the template: Fn::Sub names ${Missing}, which the template declares neither as a parameter nor as a resource ` + unresolved, ""},
		{"sub-list", "Origin", `!Sub ["https://${Missing}.${Host}", {Host: example.com}]`,
			`t.yaml:14:36: CloudFormation refuses the template: Fn::Sub names ${Missing}, which the template declares neither as a parameter nor as a resource ` + unresolved, ""},
		// UNVERIFIED: CloudFormation's words, from an emulator
		// (Eucalyptus's FN_SUB).
		{"sub-attribute", "Origin", `!Sub "https://${Missing.DomainName}"`,
			`t.yaml:14:30: CloudFormation refuses the template: Fn::Sub names ${Missing.DomainName}, an attribute of Missing, which Resources does not declare ` +
				`("Template error: instance of Fn::Sub references invalid resource attribute Missing.DomainName")`, ""},
		{"getatt", "Origin", `!GetAtt Missing.DomainName`,
			`t.yaml:14:30: CloudFormation refuses the template: Fn::GetAtt names Missing, which Resources does not declare ` +
				`("Template error: instance of Fn::GetAtt references undefined resource Missing")`, ""},
		{"getatt-long-form", "Origin", `{"Fn::GetAtt": [Missing, DomainName]}`,
			`t.yaml:14:46: CloudFormation refuses the template: Fn::GetAtt names Missing, which Resources does not declare ` +
				`("Template error: instance of Fn::GetAtt references undefined resource Missing")`, ""},
		// UNVERIFIED: a parameter is no resource to take an attribute
		// of (Eucalyptus's GET_ATT looks among the resources only).
		{"getatt-parameter", "Origin", `!GetAtt Origin.Value`,
			`t.yaml:14:30: CloudFormation refuses the template: Fn::GetAtt names Origin, which Resources does not declare ` +
				`("Template error: instance of Fn::GetAtt references undefined resource Origin")`, ""},
		{"condition", "Missing", `!If [Odd, "https://a.example", "https://b.example"]`,
			`t.yaml:5:17: CloudFormation refuses the template: condition Odd refers to Missing, which Parameters does not declare ` +
				`("Template format error: Unresolved dependencies [Missing]. Cannot reference resources in the Conditions block of the template")`, ""},
		{"condition-resource", "Other", `!If [Odd, "https://a.example", "https://b.example"]`,
			`t.yaml:5:17: CloudFormation refuses the template: condition Odd refers to resource Other, and conditions refer to parameters only ` +
				`("Template format error: Unresolved dependencies [Other]. Cannot reference resources in the Conditions block of the template")`, ""},
		// What the template declares, and pseudo parameters, are
		// declared.
		{"declared", "Origin", `!Ref Origin, !Sub "${Origin}/x", !Ref AWS::NoValue, !Sub "${!Literal}"`, "", ""},
		{"pseudo-parameter", "AWS::AccountId", `!Sub "https://${AWS::Region}.example"`, "", "pseudo parameter AWS::Region, known only at deploy time"},
		{"declared-resource", "AWS::Region", `!Sub "${Other.TopicName}"`, "", "${Other.TopicName} is an attribute of a resource, known only at deploy time"},
		{"declared-getatt", "AWS::Region", `!GetAtt Other.TopicName`, "", "an attribute of a resource, known only at deploy time"},
		{"sub-variable", "AWS::Region", `!Sub ["https://${Host}", {Host: a.example}]`, "", ""},
		// An Fn::ForEach loop in a property, which is not read,
		// declares its identifier in its fragment.
		{"property-loop", "AWS::Region", `{"Fn::ForEach::O": [Id, [a], {"${Id}": {"Ref": "Id"}}]}`, "", "Fn::ForEach::O is not evaluated here"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(fmt.Sprintf(tmpl, tc.cond, tc.origin)), iac.Options{})
			if tc.want != "" {
				checkRefused(t, r, err, tc.want)
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want the template read", err)
			}
			var why []string
			for _, u := range r.Buckets[0].Unjudged {
				why = append(why, u.Why)
			}
			if tc.why == "" && len(why) != 0 || tc.why != "" && !slices.Equal(why, []string{tc.why}) {
				t.Errorf("not judged: %q, want %q", why, tc.why)
			}
		})
	}

	// The parameters a nested stack is passed are the parent's
	// references, checked whether its template is read or not.
	t.Run("nested-stack-parameters", func(t *testing.T) {
		t.Parallel()
		const parent = `Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/b/child.yaml
      Parameters:
        Origin: !GetAtt Site.DomainName
`
		want := `t.yaml:7:17: CloudFormation refuses the template: Fn::GetAtt names Site, which Resources does not declare ` +
			`("Template error: instance of Fn::GetAtt references undefined resource Site")`
		r, err := iac.Parse("t.yaml", []byte(parent), iac.Options{})
		checkRefused(t, r, err, want)
	})
}

// TestCloudFormationUnresolvedReferenceMacros: names that the template
// does not declare are not refused where something may declare them
// before CloudFormation checks the template: the identifier of an
// Fn::ForEach loop in its body (AWS::LanguageExtensions puts the value in
// place of each ${Identifier} and &{Identifier} of the loop's fragment,
// in a Ref's name too), a resource an Fn::ForEach loop of Resources
// declares, a resource a macro of the Transform declares (SAM declares
// MyFunctionRole for MyFunction, and ServerlessRestApi, which templates
// name), and what AWS::Include brings.
func TestCloudFormationUnresolvedReferenceMacros(t *testing.T) {
	t.Parallel()
	const bucket = `    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [%s]
            AllowedMethods: [GET]
`
	for _, tc := range []struct {
		name, tmpl string
		want       []string // each bucket's origins
		why        string   // why the last bucket's origin is not judged; "" when it is
	}{
		{"loop-identifier", `Transform: AWS::LanguageExtensions
Parameters:
  aOrigin: {Type: String, Default: "https://a-param.example"}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a]
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedOrigins: [!Ref Name, !Sub "https://${Name}.example", !Ref "${Name}Origin", !Sub "${${Name}Origin}/x"]
                AllowedMethods: [GET]
`,
			[]string{`["a" "https://a.example" "https://a-param.example" "https://a-param.example/x"]`}, ""},
		{"loop-resource", `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [a]
    - ${Name}Topic:
        Type: AWS::SNS::Topic
  B:
` + fmt.Sprintf(bucket, `!GetAtt aTopic.TopicName, !Ref bTopic`), []string{`[]`}, "an attribute of a resource, known only at deploy time"},
		{"sam", "Transform: AWS::Serverless-2016-10-31\nResources:\n  B:\n" + fmt.Sprintf(bucket, `!Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com"`),
			[]string{`[]`}, "the template declares no parameter or resource ServerlessRestApi"},
		{"macro", "Transform: [AWS::LanguageExtensions, MyMacro]\nResources:\n  B:\n" + fmt.Sprintf(bucket, `!Ref Missing`),
			[]string{`[]`}, "the template declares no parameter or resource Missing"},
		{"include", "Resources:\n  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/r.yaml}}\n  B:\n" + fmt.Sprintf(bucket, `!Ref Missing`),
			[]string{`[]`}, "the template declares no parameter or resource Missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(tc.tmpl), iac.Options{})
			if err != nil {
				t.Fatalf("err = %v, want the template read", err)
			}
			var got []string
			for _, b := range r.Buckets {
				if len(b.Rules) != 1 {
					t.Fatalf("%s: %d rules, want 1", b.Resource, len(b.Rules))
				}
				got = append(got, fmt.Sprintf("%q", b.Rules[0].AllowedOrigins))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("origins %q, want %q", got, tc.want)
			}
			var why []string
			if len(r.Buckets) > 0 {
				for _, u := range r.Buckets[len(r.Buckets)-1].Unjudged {
					why = append(why, u.Why)
				}
			}
			if tc.why == "" && len(why) != 0 || tc.why != "" && (len(why) == 0 || why[0] != tc.why) {
				t.Errorf("not judged: %q, want first %q", why, tc.why)
			}
		})
	}
}

// TestCloudFormationUnresolvedReferenceInLoop: in an Fn::ForEach loop,
// AWS::LanguageExtensions puts each value of the collection in place of
// ${Identifier} in the loop's fragment, a Ref's name among them: a name
// declared for one value may not be for the next, and the template is
// refused for that one.
func TestCloudFormationUnresolvedReferenceInLoop(t *testing.T) {
	t.Parallel()
	const tmpl = `Transform: AWS::LanguageExtensions
Parameters:
  aOrigin: {Type: String, Default: "https://a.example"}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a, b]
    - ${Name}Bucket:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedOrigins: [!Ref "${Name}Origin"]
                AllowedMethods: [GET]
`
	want := `t.yaml:13:34: CloudFormation refuses the template: Ref names bOrigin, which the template declares neither as a parameter nor as a resource ` +
		`("Template format error: Unresolved resource dependencies [bOrigin] in the Resources block of the template")`
	r, err := iac.Parse("t.yaml", []byte(tmpl), iac.Options{})
	checkRefused(t, r, err, want)
}

// TestCloudFormationNoResources: CloudFormation refuses a template that
// declares no resource ("Template format error: At least one Resources
// member must be defined."), when it is told from the rest of its content
// (AWSTemplateFormatVersion) or read as one, and a note does not stand in
// for the refusal.
func TestCloudFormationNoResources(t *testing.T) {
	t.Parallel()
	const refused = ` ("Template format error: At least one Resources member must be defined.")`
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"none", "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  P: {Type: String}\n",
			"t.yaml:1:1: CloudFormation refuses the template: it declares no resources" + refused},
		{"empty", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n",
			"t.yaml:2:12: CloudFormation refuses the template: it declares no resources" + refused},
		{"null", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n",
			"t.yaml:2:11: CloudFormation refuses the template: it declares no resources" + refused},
		// UNVERIFIED: CloudFormation's words for a Resources that is
		// not a mapping were not found; the template is refused without them.
		{"list", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: [a]\n",
			"t.yaml:2:12: CloudFormation refuses the template: its Resources is a list, not a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(tc.tmpl), iac.Options{})
			checkRefused(t, r, err, tc.want)
		})
	}
}

// checkRefused checks that r and err, what [iac.Parse] returned, are
// CloudFormation's refusal of the template, want.
func checkRefused(t *testing.T, r *iac.Result, err error, want string) {
	t.Helper()
	if !errors.As(err, new(*iac.ParseError)) || err.Error() != want {
		t.Errorf("result %+v, err = %v; want the template refused: %s", r, err, want)
	}
}

// checkRefusedOrJudged checks that the template is refused with want, or,
// when want is "", that its one bucket is judged with unjudged values not.
func checkRefusedOrJudged(t *testing.T, r *iac.Result, err error, want string, unjudged int) {
	t.Helper()
	if want != "" {
		checkRefused(t, r, err, want)
		return
	}
	if err != nil || len(r.Buckets) != 1 || len(r.Buckets[0].Errors) > 0 || len(r.Buckets[0].Unjudged) != unjudged {
		t.Errorf("result %+v, err = %v; want the bucket judged, %d values not", r, err, unjudged)
	}
}

// TestTerraformSplat: a splat (x[*], x[*].attr and the legacy x.*.attr)
// is evaluated as HCL evaluates it. Modules write one optional block as
// dynamic "cors_rule" { for_each = var.cors_rule[*] } (from a module of a
// public repository: "One block allowed"): an object counts as a list of
// itself and null as the empty list, so that the block is there only
// when the variable is set.
func TestTerraformSplat(t *testing.T) {
	t.Parallel()
	const vars = `variable "rule" {
  default = { methods = ["GET"], origins = ["https://a.example"] }
}
variable "none" {
  type    = object({ methods = list(string), origins = list(string) })
  default = null
}
variable "rules" {
  default = [
    { methods = ["GET"], origins = ["https://a.example"] },
    { methods = ["PUT"], origins = ["https://b.example"] },
  ]
}
variable "sites" {
  type    = list(object({ origin = string }))
  default = [{ origin = "https://a.example" }, { origin = "https://b.example" }]
}
variable "unset" {}
`
	for _, tc := range []struct {
		name, body string
		want       []string // each rule's methods and origins
		unjudged   bool     // a value is not judged
	}{
		{"object", `dynamic "cors_rule" {
    for_each = var.rule[*]
    content {
      allowed_methods = cors_rule.value.methods
      allowed_origins = cors_rule.value.origins
    }
  }`, []string{"[GET] [https://a.example]"}, false},
		{"null", `dynamic "cors_rule" {
    for_each = var.none[*]
    content {
      allowed_methods = cors_rule.value.methods
      allowed_origins = cors_rule.value.origins
    }
  }
  cors_rule {
    allowed_methods = ["HEAD"]
    allowed_origins = ["https://c.example"]
  }`, []string{"[HEAD] [https://c.example]"}, false},
		{"list", `dynamic "cors_rule" {
    for_each = var.rules[*]
    content {
      allowed_methods = cors_rule.value.methods
      allowed_origins = cors_rule.value.origins
    }
  }`, []string{"[GET] [https://a.example]", "[PUT] [https://b.example]"}, false},
		{"attribute", `cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.sites[*].origin
  }`, []string{"[GET] [https://a.example https://b.example]"}, false},
		{"legacy attribute", `cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.sites.*.origin
  }`, []string{"[GET] [https://a.example https://b.example]"}, false},
		{"nested", `cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = flatten(var.rules[*].origins[*])
  }`, []string{"[GET] [https://a.example https://b.example]"}, false},
		{"not known", `cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.unset[*].origin
  }`, []string{"[GET] []"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := parseTerraform(t, vars+`resource "aws_s3_bucket" "b" {
  bucket = "b"
  `+tc.body+`
}
`)
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets, want 1", len(r.Buckets))
			}
			b := r.Buckets[0]
			got := []string{}
			for _, rule := range b.Rules {
				got = append(got, fmt.Sprint(rule.AllowedMethods, rule.AllowedOrigins))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rules %q, want %q", got, tc.want)
			}
			if (len(b.Unjudged) > 0) != tc.unjudged {
				t.Errorf("not judged %+v, want some: %v", b.Unjudged, tc.unjudged)
			}
			if len(b.Errors) > 0 {
				t.Errorf("errors %+v, want none", b.Errors)
			}
		})
	}
}

// TestTerraformNoInstanceNoted: a CORS resource whose count is 0, or whose
// for_each is empty, with the values read makes no configuration, and a
// note says so at the count or for_each, rather than the file seeming to
// declare none. Modules guard the resource so (from a module of a public
// repository: count = length(var.cors_origins) > 0 ? 1 : 0, default []).
func TestTerraformNoInstanceNoted(t *testing.T) {
	t.Parallel()
	const rule = `
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = var.origins
  }
}
`
	for _, tc := range []struct {
		name, meta, origins string
		want                string // the note, "" for none
	}{
		{"count 0", `count = length(var.origins) > 0 ? 1 : 0`, `[]`, "main.tf:6:11: aws_s3_bucket_cors_configuration.c: its count is 0"},
		{"for_each empty", `for_each = toset(var.origins)`, `[]`, "main.tf:6:14: aws_s3_bucket_cors_configuration.c: its for_each is empty"},
		{"count 1", `count = length(var.origins) > 0 ? 1 : 0`, `["https://a.example"]`, ""},
		{"no count", ``, `["https://a.example"]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := parseTerraform(t, `variable "origins" {
  type    = list(string)
  default = `+tc.origins+`
}
resource "aws_s3_bucket_cors_configuration" "c" {
  `+tc.meta+rule)
			var notes []string
			for _, n := range r.Notes {
				notes = append(notes, n.Pos.String()+": "+n.Text)
			}
			if tc.want == "" {
				if len(notes) > 0 || len(r.Buckets) != 1 {
					t.Errorf("notes %q, %d buckets; want no note and 1 bucket", notes, len(r.Buckets))
				}
				return
			}
			if len(r.Buckets) != 0 || len(notes) != 1 || !strings.HasPrefix(notes[0], tc.want) || !strings.HasSuffix(notes[0], "so Terraform makes no instance of it: not judged") {
				t.Errorf("notes %q, %d buckets; want no bucket and the note %q...", notes, len(r.Buckets), tc.want)
			}
		})
	}
}

// TestTerraformRuleSetDynamicDuplicate: the rules a dynamic block makes
// share the position of its content block, so the note on one that an
// earlier rule of the set equals names the element it comes from (from a
// configuration of a public repository, which makes a rule per origin of
// var.allowed_cors_origins, each with all the origins).
func TestTerraformRuleSetDynamicDuplicate(t *testing.T) {
	t.Parallel()
	r := parseTerraform(t, `variable "origins" {
  default = ["https://a.example", "https://b.example"]
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.origins
    content {
      allowed_methods = ["GET"]
      allowed_origins = var.origins
      max_age_seconds = 60
    }
  }
}
`)
	var notes []string
	for _, n := range r.Buckets[0].Notes {
		if strings.Contains(n.Text, "the same as rule") {
			notes = append(notes, n.Pos.String()+": "+n.Text)
		}
	}
	want := "main.tf:8:5: cors_rule is a set: the rule made by the dynamic block at main.tf:6:3 for the element at main.tf:2:35 is the same as rule 1, so S3 receives it once"
	if len(r.Buckets[0].Rules) != 1 || len(notes) != 1 || notes[0] != want {
		t.Errorf("%d rules, notes %q; want 1 rule and %q", len(r.Buckets[0].Rules), notes, want)
	}
}

// withLineEnds writes the lines of src, which end in "\n", with the line
// ends named: "LF" as they are, "CRLF", "CR" alone (classic Mac OS), or
// "mixed", each of LF, CR and CRLF in turn (in this order a CR is never
// followed by the LF of an empty line, which would make one CRLF).
func withLineEnds(src, ends string) string {
	switch ends {
	case "CRLF":
		return strings.ReplaceAll(src, "\n", "\r\n")
	case "CR":
		return strings.ReplaceAll(src, "\n", "\r")
	case "mixed":
		var b strings.Builder
		for i, line := range strings.SplitAfter(src, "\n") {
			b.WriteString(strings.TrimSuffix(line, "\n"))
			if strings.HasSuffix(line, "\n") {
				b.WriteString([]string{"\n", "\r", "\r\n"}[i%3])
			}
		}
		return b.String()
	}
	return src
}

// firstProblemAt returns where the reader or S3 finds the first problem
// with the one bucket of r.
func firstProblemAt(t *testing.T, r *iac.Result) iac.Position {
	t.Helper()
	if len(r.Buckets) != 1 {
		t.Fatalf("%d buckets, want 1", len(r.Buckets))
	}
	b := r.Buckets[0]
	if len(b.Errors) > 0 {
		return b.Errors[0].Pos
	}
	if v := iac.Judge(b); len(v.Problems) > 0 {
		return v.Problems[0].Pos
	}
	t.Fatal("no problem found")
	return iac.Position{}
}

// TestLineEndsEveryReader checks, in each reader but Terraform's native
// syntax (TestHCLLineEnds), that positions count lines as YAML 1.2 and
// editors do, in JSON too: a line ends at "\n", "\r\n" or "\r" alone,
// and a file whose lines end in "\r" alone had every position on line 1.
// The position of the refused method FETCH, or of a syntax error, is the
// same with every line end, and the text there is what it is about.
func TestLineEndsEveryReader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		kind      iac.Kind
		src       string
		line, col int
		at        string // the text at line:col
		parseErr  bool
	}{
		{"CloudFormation YAML", iac.CloudFormation, "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n\n      CorsConfiguration:\n" +
			"        CorsRules:\n          - AllowedOrigins: [\"https://a.example\"]\n            AllowedMethods:\n              - GET\n              - FETCH\n",
			11, 17, "FETCH", false},
		{"CloudFormation JSON", iac.CloudFormation, "{\"Resources\": {\"B\": {\n\"Type\": \"AWS::S3::Bucket\",\n\"Properties\": {\"CorsConfiguration\": {\"CorsRules\": [\n" +
			"{\"AllowedOrigins\": [\"https://a.example\"],\n\n  \"AllowedMethods\": [\"GET\",\n    \"FETCH\"]}]}}}}}\n", 7, 5, `"FETCH"`, false},
		{"ACK Bucket", iac.Kubernetes, "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata:\n  name: b\nspec:\n  name: b\n  cors:\n" +
			"    corsRules:\n      - allowedOrigins: [https://a.example]\n\n        allowedMethods: [GET, FETCH]\n", 11, 31, "FETCH", false},
		{"Crossplane BucketCorsConfiguration", iac.Kubernetes, "apiVersion: s3.aws.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata:\n  name: b\n" +
			"spec:\n  forProvider:\n    region: eu-west-1\n    bucket: b\n    corsRule:\n      - allowedOrigins: [\"https://a.example\"]\n" +
			"        allowedMethods:\n          - FETCH\n", 12, 13, "FETCH", false},
		{"Serverless", iac.Serverless, "service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n" +
			"      Properties:\n        CorsConfiguration:\n          CorsRules:\n            - AllowedOrigins: [\"https://a.example\"]\n" +
			"              AllowedMethods: [GET, FETCH]\n", 12, 37, "FETCH", false},
		{"Pulumi YAML", iac.Pulumi, "name: p\nruntime: yaml\nresources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n" +
			"      bucket: b\n      corsRules:\n        - allowedOrigins: [\"https://a.example\"]\n\n          allowedMethods: [FETCH]\n", 11, 28, "FETCH", false},
		{"Terraform plan", iac.TerraformPlan, "{\"format_version\": \"1.2\", \"terraform_version\": \"1.11.4\",\n\"planned_values\": {\"root_module\": {\"resources\": [\n" +
			"{\"address\": \"aws_s3_bucket_cors_configuration.c\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket_cors_configuration\", \"name\": \"c\",\n" +
			"\"values\": {\"bucket\": \"b\", \"cors_rule\": [{\"allowed_methods\":\n\n  [\"FETCH\"], \"allowed_origins\": [\"https://a.example\"]}]}}]}}}\n",
			6, 4, `"FETCH"`, false},
		{"Terraform JSON", iac.Terraform, "{\"resource\": {\"aws_s3_bucket_cors_configuration\": {\"c\": {\n\"bucket\": \"b\",\n" +
			"\"cors_rule\": [{\"allowed_origins\": [\"https://a.example\"],\n\n  \"allowed_methods\": [\"GET\", \"FETCH\"]}]}}}}\n", 5, 30, `"FETCH"`, false},
		{"YAML syntax", iac.CloudFormation, "Resources:\n  B:\n\n    Type: AWS::S3::Bucket\n    Properties: @x\n", 5, 17, "@x", true},
		{"JSON syntax", iac.CloudFormation, "{\"Resources\": {\n\n  \"B\": {\"Type\": \"AWS::S3::Bucket\",,}}}\n", 3, 35, ",}", true},
	} {
		for _, ends := range []string{"LF", "CRLF", "CR", "mixed"} {
			t.Run(tc.name+"/"+ends, func(t *testing.T) {
				t.Parallel()
				name := "f.yaml"
				if tc.kind == iac.Terraform {
					name = "main.tf.json"
				}
				src := withLineEnds(tc.src, ends)
				r, err := iac.Parse(name, []byte(src), iac.Options{Kind: tc.kind})
				var pos iac.Position
				if pe, ok := errors.AsType[*iac.ParseError](err); tc.parseErr && ok {
					pos = pe.Pos
				} else if err != nil || tc.parseErr {
					t.Fatalf("err = %v, want a parse error: %v", err, tc.parseErr)
				} else {
					pos = firstProblemAt(t, r)
				}
				if pos.Line != tc.line || pos.Column != tc.col {
					t.Fatalf("first problem at %d:%d, want %d:%d", pos.Line, pos.Column, tc.line, tc.col)
				}
				if at := editorLines(src)[tc.line-1][tc.col-1:]; !strings.HasPrefix(at, tc.at) {
					t.Errorf("%d:%d holds %q, want %q", tc.line, tc.col, at, tc.at)
				}
			})
		}
	}
}

// TestHCLLineEnds checks that positions in Terraform's native syntax
// count lines as HCL's scanner does, and Terraform reports them: at "\n"
// and "\r\n", not at a "\r" alone, which HCL refuses outside comments and
// strings. Each position is Terraform's for the same file.
func TestHCLLineEnds(t *testing.T) {
	t.Parallel()
	const resource = "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\" # x\ry\n  cors_rule {\n" +
		"    allowed_origins = [\"https://a.example\"]\n    allowed_methods = [\"GET\", \"FETCH\"]\n  }\n"
	for _, tc := range []struct {
		name, src string
		line, col int
		parseErr  string
	}{
		{"CR in comments", "# one\rtwo\r\n" + resource + "}\n", 6, 31, ""},
		{"CRLF, CR in comments", strings.ReplaceAll("# one\rtwo\n"+resource+"}\n", "\n", "\r\n"), 6, 31, ""},
		{"CR in comments, error after", "# one\rtwo\r\n" + resource + "  z = = 1\n}\n", 8, 7, "Invalid expression"},
		{"CR line ends", strings.ReplaceAll(resource+"}\n", "\n", "\r"), 1, 50, "Invalid character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("main.tf", []byte(tc.src), iac.Options{Kind: iac.Terraform})
			var pos iac.Position
			if pe, ok := errors.AsType[*iac.ParseError](err); ok && tc.parseErr != "" && strings.Contains(pe.Msg, tc.parseErr) {
				pos = pe.Pos
			} else if err != nil || tc.parseErr != "" {
				t.Fatalf("err = %v, want one about %q", err, tc.parseErr)
			} else {
				pos = firstProblemAt(t, r)
			}
			if pos.Line != tc.line || pos.Column != tc.col {
				t.Errorf("first problem at %d:%d, want %d:%d", pos.Line, pos.Column, tc.line, tc.col)
			}
		})
	}
}

// TestCloudFormationNoResourcesFirst: a template without resources is
// refused for that, its format being judged before its parameters'
// values (UNVERIFIED order), even where a Default breaks its
// AllowedValues, which CloudFormation refuses too (see
// TestCloudFormationParameterConstraints).
func TestCloudFormationNoResourcesFirst(t *testing.T) {
	t.Parallel()
	r, err := iac.Parse("t.yaml", []byte("Parameters:\n  Env: {Type: String, Default: prod, AllowedValues: [dev, staging]}\nResources: {}\n"), iac.Options{})
	checkRefused(t, r, err, `t.yaml:3:12: CloudFormation refuses the template: it declares no resources ("Template format error: At least one Resources member must be defined.")`)
}

// TestCloudFormationSelectOutOfRange: an Fn::Select whose index is past the
// end of a list the template knows fails the stack ("Template error:
// Fn::Select cannot select nonexistent value at index 5",
// aws-samples/1click-hpc#1; "Both conditions will result in a stack
// error", Fn::Select's reference), so the template is refused where the
// Fn::Select is, as one that names what it does not declare; it was
// judged with the value not known. One in a branch that its condition
// leaves out is not evaluated, nor one of a list known only at deploy
// time.
func TestCloudFormationSelectOutOfRange(t *testing.T) {
	t.Parallel()
	const tmpl = `Parameters:
  Sites: {Type: CommaDelimitedList, Default: "a.example, b.example"}
Conditions:
  Never: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: [%s], AllowedMethods: [GET]}
`
	for _, tc := range []struct {
		name, origin string
		want         string // the refusal; "" when not refused
		unjudged     int
	}{
		{"past the end", `!Sub ["https://${S}", {S: !Select [2, !Ref Sites]}]`,
			`t.yaml:11:57: CloudFormation refuses the template: Fn::Select's index 2 is outside its list of 2 ("Template error: Fn::Select cannot select nonexistent value at index 2")`, 0},
		{"string index past the end", `!Select ["5", [a, b]]`,
			`t.yaml:11:31: CloudFormation refuses the template: Fn::Select's index 5 is outside its list of 2 ("Template error: Fn::Select cannot select nonexistent value at index 5")`, 0},
		{"in range", `!Sub ["https://${S}", {S: !Select [1, !Ref Sites]}]`, "", 0},
		{"branch left out", `!If [Never, !Select [9, [a]], "https://c.example"]`, "", 0},
		{"list known at deploy time", `!Select [9, !GetAZs ""]`, "", 1},
		{"negative", `!Select [-1, [a]]`, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(fmt.Sprintf(tmpl, tc.origin)), iac.Options{})
			checkRefusedOrJudged(t, r, err, tc.want, tc.unjudged)
		})
	}
}

// TestCloudFormationMappingMissing: an Fn::FindInMap evaluated with keys
// that name no value of Mappings fails the stack ("Template error: Unable
// to get mapping for M::K::V", CloudFormation's words in Elastic
// Beanstalk's notice of such a failure), so the template is refused where
// it is written; it was judged with the value not known. A DefaultValue
// (AWS::LanguageExtensions), a branch its condition leaves out, a key
// known only at deploy time and a macro that may add to Mappings leave it
// as it was.
func TestCloudFormationMappingMissing(t *testing.T) {
	t.Parallel()
	const tmpl = `%sParameters:
  Env: {Type: String, Default: staging}
Mappings:
  Sites: {prod: {Origin: "https://prod.example"}}
Conditions:
  Never: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: [%s], AllowedMethods: [GET]}
`
	for _, tc := range []struct {
		name, transform, origin string
		want                    string // the refusal; "" when not refused
		unjudged                int
	}{
		{"missing key", "", `!FindInMap [Sites, !Ref Env, Origin]`,
			`t.yaml:13:31: CloudFormation refuses the template: Fn::FindInMap names Sites.staging.Origin, which Mappings does not declare ("Template error: Unable to get mapping for Sites::staging::Origin")`, 0},
		{"missing map", "", `!FindInMap [Other, prod, Origin]`,
			`t.yaml:13:31: CloudFormation refuses the template: Fn::FindInMap names the map Other, which Mappings does not declare`, 0},
		{"present", "", `!FindInMap [Sites, prod, Origin]`, "", 0},
		{"default value", "Transform: AWS::LanguageExtensions\n", `!FindInMap [Sites, !Ref Env, Origin, {DefaultValue: "https://d.example"}]`, "", 0},
		{"branch left out", "", `!If [Never, !FindInMap [Sites, !Ref Env, Origin], "https://c.example"]`, "", 0},
		{"key known at deploy time", "", `!FindInMap [Sites, !Ref AWS::Region, Origin]`, "", 1},
		{"macro", "Transform: MyMacro\n", `!FindInMap [Sites, !Ref Env, Origin]`, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("t.yaml", []byte(fmt.Sprintf(tmpl, tc.transform, tc.origin)), iac.Options{})
			checkRefusedOrJudged(t, r, err, tc.want, tc.unjudged)
		})
	}
}

// TestTerraformVariableValidation: a variable whose value (its default, a
// --var, a module's argument) makes the condition of one of its
// validation blocks false fails the plan, as terraform 1.11.4's console
// refuses it ("Invalid value for variable", with the error_message), so
// what reads it is not judged, with Terraform's refusal as the reason; it
// was judged with that value ("valid CORS configuration"). A condition
// that holds, or that is not known here, leaves the value as it was.
func TestTerraformVariableValidation(t *testing.T) {
	t.Parallel()
	const src = `variable "env" {
  type    = string
  default = "prod"
  %s
  validation {
    condition     = %s
    error_message = %s
  }
}
module "site" {
  source = "./site"
  env    = "qa"
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${var.env}.example.com"]
  }
}
`
	const site = `variable "env" {
  type = string
  validation {
    condition     = var.env != "qa"
    error_message = "no qa"
  }
}
resource "aws_s3_bucket_cors_configuration" "m" {
  bucket = "m"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${var.env}.example.com"]
  }
}
`
	const refused = `not judged: it interpolates var.env: Terraform refuses the value of variable env: the condition of its validation at main.tf:6:21 is false`
	for _, tc := range []struct {
		name, sensitive, cond, message string // message: the error_message; "" for a sentence
		vars                           []string
		want                           string
	}{
		{"default refused", "", `contains(["dev", "staging"], var.env)`, "", nil, refused + ` ("env must be dev or staging.")`},
		{"given value refused", "", `contains(["dev", "staging"], var.env)`, "", []string{"env=qa"}, refused + ` ("env must be dev or staging.")`},
		{"given value holds", "", `contains(["dev", "staging"], var.env)`, "", []string{"env=dev"}, `["https://dev.example.com"]`},
		{"comparison", "", `var.env == "prod" || var.env == "dev"`, "", nil, `["https://prod.example.com"]`},
		{"not known here", "", `alltrue([var.env == "dev"])`, "", nil, `["https://prod.example.com"]`},
		{"sensitive", "sensitive = true", `var.env == "dev"`, "", nil, refused},
		// The message may spell the value refused, as terraform 1.11.4's
		// plan shows it ("Env prod is neither dev nor staging.").
		{"message spelling the value", "", `contains(["dev", "staging"], var.env)`, `"Env ${var.env} is neither dev nor staging."`, nil, refused + ` ("Env prod is neither dev nor staging.")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			message := tc.message
			if message == "" {
				message = `"env must be dev or staging."`
			}
			dir := t.TempDir()
			for name, data := range map[string]string{"main.tf": fmt.Sprintf(src, tc.sensitive, tc.cond, message), "site/main.tf": site} {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r, err := iac.Load(dir, iac.Options{Vars: tc.vars})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, b := range r.Buckets {
				if len(b.Unjudged) > 0 {
					got[b.Resource] = "not judged: " + strings.ReplaceAll(b.Unjudged[0].Why, dir+string(filepath.Separator), "")
				} else if len(b.Rules) == 1 {
					got[b.Resource] = fmt.Sprintf("%q", b.Rules[0].AllowedOrigins)
				}
			}
			if got["aws_s3_bucket_cors_configuration.c"] != tc.want {
				t.Errorf("got %s, want %s", got["aws_s3_bucket_cors_configuration.c"], tc.want)
			}
			wantSite := `not judged: it interpolates var.env: Terraform refuses the value of variable env: the condition of its validation at site/main.tf:4:21 is false ("no qa")`
			if got[`module.site.aws_s3_bucket_cors_configuration.m`] != wantSite {
				t.Errorf("module: got %s, want %s", got[`module.site.aws_s3_bucket_cors_configuration.m`], wantSite)
			}
		})
	}
}

// TestCDKNestedWithoutAssetMetadata: cdk synth without asset metadata
// (context aws:cdk:enable-asset-metadata false; aws-cdk-lib 2.278.0 writes
// this layout) leaves out the nested stack's aws:asset:path, and its
// TemplateURL names the object the asset manifest beside the template
// uploads the nested template to: that file is read, as cdk deploy
// uploads it. A key no manifest holds, or no manifest, keeps the note.
func TestCDKNestedWithoutAssetMetadata(t *testing.T) {
	t.Parallel()
	parent := func(key string) string {
		return `{"Resources": {"StorageNestedStackResource": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", [
  "https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/", {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "/` + key + `"]]}}}}}`
	}
	manifest := func(path string) string {
		return `{"version": "55.0.0", "files": {"54d7": {"displayName": "Storage Nested Stack Template",
  "source": {"path": "` + path + `", "packaging": "file"},
  "destinations": {"current_account-current_region": {"bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", "objectKey": "54d7.json"}}}}}`
	}
	const child = `{"Resources": {"Images": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}}}}}`
	const nested = "ParentStorage.nested.template.json"
	for _, tc := range []struct {
		name, key string
		manifest  string // the source path the manifest names, "" for no manifest
		dir       string // the directory's name
		want      string // the bucket read, or "" for the note
	}{
		{"manifest", "54d7.json", nested, "cdk.out", "StorageNestedStackResource/Images"},
		{"other key", "9999.json", nested, "cdk.out", ""},
		{"no manifest", "54d7.json", "", "cdk.out", ""},
		// The manifests are listed, not globbed with the directory.
		{"a directory named as a pattern", "54d7.json", nested, "x[1]", "StorageNestedStackResource/Images"},
		// A path out of the directory is not followed, though the
		// template is there.
		{"a path leading out", "54d7.json", "../" + nested, "cdk.out", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outside := t.TempDir()
			dir := filepath.Join(outside, tc.dir)
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(outside, nested), []byte(child), 0o666); err != nil {
				t.Fatal(err)
			}
			files := map[string]string{"Parent.template.json": parent(tc.key), nested: child}
			if tc.manifest != "" {
				files["Parent.assets.json"] = manifest(tc.manifest)
			}
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			r, err := iac.Load(filepath.Join(dir, "Parent.template.json"), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want != "" && (len(r.Buckets) != 1 || r.Buckets[0].Resource != tc.want || len(r.Notes) != 0):
				t.Errorf("buckets %+v, notes %+v; want %s alone", r.Buckets, r.Notes, tc.want)
			case tc.want == "" && (len(r.Buckets) != 0 || len(r.Notes) != 1 || !strings.Contains(r.Notes[0].Text, "its template is not a local file")):
				t.Errorf("buckets %+v, notes %+v; want none and the note that the template was not read", r.Buckets, r.Notes)
			}
		})
	}
}
