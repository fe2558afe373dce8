package iac_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/xmlconfig"
)

func ptr(n int32) *int32 { return &n }

var convertRules = []corsrule.Rule{
	{ID: "uploads", AllowedOrigins: []string{"https://app.example.com", "https://*.example.org"}, AllowedMethods: []string{"PUT", "POST"},
		AllowedHeaders: []string{"content-type", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: ptr(3000)},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(0)},
	{ID: `odd "id" ${x} %{y} \ yes: no #c`, AllowedOrigins: []string{"null", "true", "3000", "- a", "é\t"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(-5)},
}

// cfnRules are convertRules as CloudFormation takes them: its resource
// schema refuses a MaxAge below 0.
var cfnRules = func() []corsrule.Rule {
	rules := append([]corsrule.Rule(nil), convertRules...)
	rules[2].MaxAgeSeconds = ptr(5)
	return rules
}()

// TestConvertRoundTrip writes rules in each IaC form and reads them back
// with this package's own readers.
func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		kind  iac.Kind
		rules []corsrule.Rule
		text  []byte
	}{
		{"cloudformation-yaml", iac.CloudFormation, cfnRules, iac.AppendCloudFormationYAML(nil, "Bucket", cfnRules)},
		{"cloudformation-json", iac.CloudFormation, cfnRules, iac.AppendCloudFormationJSON(nil, "Bucket", cfnRules)},
		{"terraform", iac.Terraform, convertRules, iac.AppendTerraform(nil, "Bucket", "aws_s3_bucket.b.id", convertRules)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("", tc.text, iac.Options{Kind: tc.kind})
			if err != nil {
				t.Fatalf("%v\n%s", err, tc.text)
			}
			resource := "Bucket"
			if tc.kind == iac.Terraform {
				resource = "aws_s3_bucket_cors_configuration.Bucket"
			}
			got, err := r.Rules(resource)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.rules, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, tc.text)
			}
		})
	}
}

func TestTerraformOutput(t *testing.T) {
	t.Parallel()
	got := string(iac.AppendTerraform(nil, "uploads", "aws_s3_bucket.uploads.id", convertRules[:1]))
	want := `resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  cors_rule {
    id              = "uploads"
    allowed_headers = ["content-type", "x-amz-*"]
    allowed_methods = ["PUT", "POST"]
    allowed_origins = ["https://app.example.com", "https://*.example.org"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	caveats := iac.TerraformCaveats([]corsrule.Rule{{AllowedOrigins: []string{"a", "a", ""}, AllowedMethods: []string{"GET"}}, convertRules[1]})
	want2 := []string{
		"cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches",
		`rule 1: allowed_origins lists "a" twice; the set keeps one`,
		`rule 1: allowed_origins holds "", which the provider drops`,
		"rule 1: no MaxAgeSeconds: the provider sends MaxAgeSeconds 0",
	}
	if diff := cmp.Diff(want2, caveats); diff != "" {
		t.Errorf("caveats (-want +got):\n%s", diff)
	}
}

func TestRulesRefusesUnknown(t *testing.T) {
	t.Parallel()
	r, err := iac.Parse("t.yaml", []byte("Parameters: {O: {Type: String}}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {CorsConfiguration: {CorsRules: [{AllowedOrigins: [!Ref O], AllowedMethods: [GET]}]}}\n"), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rules("B"); err == nil {
		t.Error("Rules converted a bucket whose origins are not known")
	}
	if _, err := r.Rules("Nope"); err == nil {
		t.Error("Rules found a bucket that does not exist")
	}
}

// TestTerraformCaveatsNFC checks that a value Terraform would change is
// noted: HCL and cty normalize every string to Unicode NFC, escapes
// included (terraform console, v1.11.4: jsonencode("e\u0301") is "\"é\""
// with U+00E9, and "\u212b" is U+00C5), so the provider would send S3
// another origin or ID.
func TestTerraformCaveatsNFC(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{{ID: "r\u212b", AllowedOrigins: []string{"https://cafe\u0301.com", "https://caf\u00e9.com"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(1)}}
	want := []string{
		`rule 1: id "r\u212b" is read by Terraform as "r\u00c5" (Unicode NFC)`,
		`rule 1: allowed_origins holds "https://cafe\u0301.com", which Terraform reads as "https://caf\u00e9.com" (Unicode NFC)`,
		"rule 1: allowed_origins lists \"https://caf\u00e9.com\" twice; the set keeps one",
	}
	if diff := cmp.Diff(want, iac.TerraformCaveats(rules)); diff != "" {
		t.Errorf("caveats (-want +got):\n%s", diff)
	}
}

// TestCaveatsOncePerValue checks that a value listed many times, or
// many values Terraform reads as one, are said once each: the AWS CLI
// file of 100 rules holding "" twenty times each printed 1,900 lines.
func TestCaveatsOncePerValue(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{{
		AllowedOrigins: []string{"a", "", "a", "", "https://cafe\u0301.com", "a", "https://cafe\u0301.com", "https://caf\u00e9.com", ""},
		AllowedMethods: []string{"GET", "GET"},
		MaxAgeSeconds:  ptr(1),
	}}
	wantCloudFormation := []string{
		`rule 1: AllowedMethods lists "GET" twice, which CloudFormation refuses`,
		`rule 1: AllowedOrigins lists "a" 3 times, which CloudFormation refuses`,
		`rule 1: AllowedOrigins lists "" 3 times, which CloudFormation refuses`,
		"rule 1: AllowedOrigins lists \"https://cafe\u0301.com\" twice, which CloudFormation refuses",
	}
	if diff := cmp.Diff(wantCloudFormation, iac.CloudFormationCaveats(rules)); diff != "" {
		t.Errorf("CloudFormation caveats (-want +got):\n%s", diff)
	}
	wantTerraform := []string{
		`rule 1: allowed_methods lists "GET" twice; the set keeps one`,
		`rule 1: allowed_origins lists "a" 3 times; the set keeps one`,
		`rule 1: allowed_origins holds "", which the provider drops`,
		`rule 1: allowed_origins holds "https://cafe\u0301.com", which Terraform reads as "https://caf\u00e9.com" (Unicode NFC)`,
		"rule 1: allowed_origins lists \"https://caf\u00e9.com\" 3 times; the set keeps one",
	}
	if diff := cmp.Diff(wantTerraform, iac.TerraformCaveats(rules)); diff != "" {
		t.Errorf("Terraform caveats (-want +got):\n%s", diff)
	}
}

// TestTerraformCaveatsSameRule checks that a rule the provider's set of
// cors_rule holds once is noted. terraform plan (v1.11.4, AWS provider
// 5.100.0) plans one rule for these two: the lists are sets, in any order
// and with a value twice, and max_age_seconds unset is 0.
func TestTerraformCaveatsSameRule(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT"}},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT", "GET", "GET"}, MaxAgeSeconds: ptr(0)},
	}
	want := []string{
		"cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches",
		"a rule's lists are sets too: the provider sends its methods and ExposeHeaders in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers then follow",
		"rule 1: no MaxAgeSeconds: the provider sends MaxAgeSeconds 0",
		"rule 2: the same as rule 1 in the set of cors_rule, so the provider sends it once",
		`rule 2: allowed_methods lists "GET" twice; the set keeps one`,
	}
	if diff := cmp.Diff(want, iac.TerraformCaveats(rules)); diff != "" {
		t.Errorf("caveats (-want +got):\n%s", diff)
	}
}

// TestTerraformCaveatsLongID checks that an ID S3 takes (255 characters)
// but the provider refuses is noted: the provider validates id with
// validation.StringLenBetween(0, 255), which counts bytes; terraform plan
// (v1.11.4, AWS provider 5.100.0) fails with "expected length of
// cors_rule.0.id to be in the range (0 - 255)" for 255 "é".
func TestTerraformCaveatsLongID(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{
		{ID: strings.Repeat("é", 255), AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(1)},
		{ID: strings.Repeat("a", 255), AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(1)},
	}
	want := []string{
		"cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches",
		"rule 1: id is 510 bytes long, and the provider refuses one longer than 255 bytes",
	}
	if diff := cmp.Diff(want, iac.TerraformCaveats(rules)); diff != "" {
		t.Errorf("caveats (-want +got):\n%s", diff)
	}
}

// TestTerraformCaveatsOnlyEmptyOrigin checks that a rule whose every
// allowed origin is "" is noted as refused: the provider drops the empty
// strings and sends the rule without AllowedOrigin, which S3 refuses with
// MalformedXML, as validate judges the written file (found converting 150
// random configurations to Terraform and reading each back: 6 came back
// refused, with exit status 0 and no word of it from convert).
func TestTerraformCaveatsOnlyEmptyOrigin(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{
		{AllowedOrigins: []string{""}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(1)},
		{AllowedOrigins: []string{"", "a"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(1)},
	}
	want := []string{
		"cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches",
		`rule 1: allowed_origins holds "", which the provider drops`,
		`rule 1: allowed_origins holds only "", so the provider sends the rule without AllowedOrigin, and S3 refuses it (400 MalformedXML)`,
		`rule 2: allowed_origins holds "", which the provider drops`,
	}
	if diff := cmp.Diff(want, iac.TerraformCaveats(rules)); diff != "" {
		t.Errorf("caveats (-want +got):\n%s", diff)
	}
	if v := judgeWrittenTerraform(t, rules[:1]); v.Valid() || v.Problems[0].Err.Code != "MalformedXML" {
		t.Errorf("the written rule with only an empty origin was judged %+v, want S3's MalformedXML", v.Problems)
	}
}

// judgeWrittenTerraform writes rules as convert --to terraform writes
// them, reads the Terraform back and returns S3's verdict on its bucket.
func judgeWrittenTerraform(t *testing.T, rules []corsrule.Rule) *iac.Verdict {
	t.Helper()
	doc := iac.AppendTerraform(nil, "b", `"b"`, rules)
	r, err := iac.Parse("main.tf", doc, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bucket("aws_s3_bucket_cors_configuration.b")
	if err != nil {
		t.Fatal(err)
	}
	return iac.Judge(b)
}

// TestTerraformCaveatsSentSize checks that rules S3 takes in its own XML
// but not as the provider sends them are noted: 100 rules without
// MaxAgeSeconds gain <MaxAgeSeconds>0</MaxAgeSeconds> each, 3,200 bytes
// (found converting 100 rules whose XML is 65,527 bytes: convert wrote
// them with exit status 0, and validate refused the Terraform written,
// 400 MaxMessageLengthExceeded). 68687 bytes: the namespaced root (87) and 100
// rules of 686 bytes, each with its <MaxAgeSeconds>0</MaxAgeSeconds>.
func TestTerraformCaveatsSentSize(t *testing.T) {
	t.Parallel()
	rules := make([]corsrule.Rule, 100)
	for i := range rules {
		rules[i] = corsrule.Rule{AllowedOrigins: []string{fmt.Sprintf("%03d%s", i, strings.Repeat("a", 565))}, AllowedMethods: []string{"GET"}}
	}
	if e := xmlconfig.CheckSentSize(rules); e != nil {
		t.Fatalf("the rules do not fit in S3's XML: %v", e.Reason)
	}
	want := "S3 refuses the configuration the provider sends (sent to S3 as XML, the configuration is 68687 bytes; S3 accepts at most 65536): 400 MaxMessageLengthExceeded"
	got := iac.TerraformCaveats(rules)
	if len(got) == 0 || got[len(got)-1] != want {
		t.Errorf("last caveat = %q, want %q", got[len(got)-1:], want)
	}
	fit := iac.TerraformCaveats(rules[:90])
	if last := fit[len(fit)-1]; strings.HasPrefix(last, "S3 refuses") {
		t.Errorf("90 of the rules, which fit, got %q", last)
	}
	if v := judgeWrittenTerraform(t, rules); v.Valid() || v.Problems[0].Err.Code != "MaxMessageLengthExceeded" {
		t.Errorf("the written rules were judged %+v, want S3's MaxMessageLengthExceeded", v.Problems)
	}
}

// TestCloudFormationJSONPrintable checks that the JSON template holds
// neither a character YAML does not allow unescaped (YAML 1.2 §5.1,
// c-printable: no DEL, no C1 control but NEL) nor NEL, a line break in
// YAML 1.1 (§5.4): CloudFormation and cfn-lint read a template with a
// YAML parser, and cfn-lint 1.51.0 refused one with a raw U+007F or
// U+009F ("E0000 Template could not be parsed: unacceptable character
// #x007f: control characters are not allowed"), and PyYAML reads
// "n<U+0085>l" as "n l". Escaped, each value still reads back as it was.
func TestCloudFormationJSONPrintable(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{{ID: "i\u0080", AllowedOrigins: []string{"a\x7fb", "x\u009f", "n\u0085l", "é\u00a0"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(1)}}
	text := iac.AppendCloudFormationJSON(nil, "Bucket", rules)
	for _, c := range string(text) {
		if 0x7f <= c && c <= 0x9f {
			t.Errorf("the template holds U+%04X, which YAML does not read as itself:\n%s", c, text)
		}
	}
	var tmpl struct {
		Resources map[string]struct {
			Properties struct {
				CorsConfiguration struct {
					CorsRules []struct {
						ID             string `json:"Id"`
						AllowedOrigins []string
					}
				}
			}
		}
	}
	if err := json.Unmarshal(text, &tmpl); err != nil {
		t.Fatal(err)
	}
	got := tmpl.Resources["Bucket"].Properties.CorsConfiguration.CorsRules
	if len(got) != 1 || got[0].ID != rules[0].ID || !slices.Equal(got[0].AllowedOrigins, rules[0].AllowedOrigins) {
		t.Errorf("read back %+v, want %+v", got, rules)
	}
}
