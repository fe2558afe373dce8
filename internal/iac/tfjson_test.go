package iac_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformJSONTwins loads configurations in Terraform's JSON syntax
// (testdata/tfjson/CASE/json) and their twins in HCL's native syntax
// (CASE/hcl), which say the same: the buckets, rules, errors, values not
// judged, notes, S3's verdict and lint's findings must be the same, at
// the JSON values. Positions are compared apart: each listed one is
// where the text given is written in the JSON file, found by the test.
func TestTerraformJSONTwins(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		path string // in CASE/hcl and CASE/json: "" for the directory
		// at holds lines of the JSON report with POS where the
		// position of the text that follows in the JSON file,
		// after the given line number at least, must be.
		at []struct {
			line string
			near string
			from int
		}
	}{
		{name: "config", path: "main", at: []struct {
			line, near string
			from       int
		}{
			{"POS: 400 InvalidRequest: rule 1 AllowedMethod[1]: Found unsupported HTTP method in CORS config. Unsupported method is PATCH", `"PATCH"`, 1},
			{"POS: aws_s3_bucket_cors_configuration aws_s3_bucket_cors_configuration.web: 2 rules", `"web"`, 1},
			{"POS: not judged: rule 2 ExposeHeader aws_s3_bucket.web.arn:", `aws_s3_bucket.web.arn}`, 1},
		}},
		{name: "inline", path: "main", at: []struct {
			line, near string
			from       int
		}{
			{"POS: aws_s3_bucket aws_s3_bucket.legacy: 1 rules", `"legacy": {`, 1},
		}},
		{name: "dynamic", path: "main"},
		{name: "override"},
		{name: "module"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			load := func(syntax, ext string) (string, string) {
				dir := filepath.Join("testdata", "tfjson", tc.name, syntax)
				path := dir
				if tc.path != "" {
					path = filepath.Join(dir, tc.path+ext)
				}
				r, err := iac.Load(path, iac.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return report(r), dir
			}
			hcl, hclDir := load("hcl", ".tf")
			json, jsonDir := load("json", ".tf.json")
			pos := regexp.MustCompile(`testdata/tfjson/\S+?\.tf(\.json)?:\d+:\d+`)
			norm := func(s, dir string) string {
				s = pos.ReplaceAllString(s, "POS")
				s = strings.ReplaceAll(s, dir+string(filepath.Separator), "")
				return strings.ReplaceAll(s, ".tf.json", ".tf")
			}
			if diff := cmp.Diff(norm(hcl, hclDir), norm(json, jsonDir)); diff != "" {
				t.Errorf("the JSON twin reads otherwise (-hcl +json):\n%s\nJSON report:\n%s", diff, json)
			}
			if !strings.Contains(json, ".json") {
				t.Errorf("the report names no JSON file:\n%s", json)
			}
			for _, a := range tc.at {
				file := filepath.Join(jsonDir, tc.path+".tf.json")
				want := strings.Replace(a.line, "POS", positionOf(t, file, a.near, a.from), 1)
				if !strings.Contains(json, want) {
					t.Errorf("the report has no line %q:\n%s", want, json)
				}
			}
		})
	}
}

// positionOf returns "file:line:column" of the first occurrence of text
// in file on line from or after, the column counted in bytes.
func positionOf(t *testing.T, file, text string, from int) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if i+1 < from {
			continue
		}
		if c := strings.Index(line, text); c >= 0 {
			return file + ":" + strconv.Itoa(i+1) + ":" + strconv.Itoa(c+1)
		}
	}
	t.Fatalf("%s holds no %q", file, text)
	return ""
}

// TestTerraformJSONShapes reads the shapes Terraform's JSON syntax
// allows (language/syntax/json) and refuses, as Terraform does, those it
// refuses, where they are written.
func TestTerraformJSONShapes(t *testing.T) {
	t.Parallel()
	const rule = `{"allowed_origins": ["https://a.example"], "allowed_methods": ["GET"]}`
	for _, tc := range []struct {
		name, src string
		want      string // each rule: resource, origins, methods; or the error
	}{
		{"labels-array", `{"resource": [{"aws_s3_bucket_cors_configuration": [{"a": {"bucket": "a", "cors_rule": ` + rule + `}}]},
 {"aws_s3_bucket_cors_configuration": {"b": [{"bucket": "b", "cors_rule": [` + rule + `, {"allowed_origins": ["*"], "allowed_methods": ["PUT"]}]}]}}]}`,
			`aws_s3_bucket_cors_configuration.a ["https://a.example"] ["GET"]; aws_s3_bucket_cors_configuration.b ["https://a.example"] ["GET"]; aws_s3_bucket_cors_configuration.b ["*"] ["PUT"]`},
		{"comments", `{"//": "made by hand", "resource": {"//": "x", "aws_s3_bucket_cors_configuration": {"//": {"metadata": {}}, "c": {"//": "y",
 "bucket": "c", "cors_rule": {"//": "z", "allowed_origins": ["https://a.example"], "allowed_methods": ["GET"]}}}}}`,
			`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`},
		// A string is a template: $${ is a literal "${", and JSON's
		// escapes are the string's before HCL reads it.
		{"templates", `{"locals": {"host": "a.example"}, "resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "c",
 "cors_rule": {"allowed_origins": ["https://${local.host}", "https://\u0062.example/$${x}", "https://${\"c\"}.example"], "allowed_methods": ["${\"GET\"}"]}}}}}`,
			`aws_s3_bucket_cors_configuration.c ["https://a.example" "https://b.example/${x}" "https://c.example"] ["GET"]`},
		// A variable's default is a literal: "${...}" in it is text.
		{"literal-default", `{"variable": {"o": {"default": ["https://${a}.example"]}}, "resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "c",
 "cors_rule": {"allowed_origins": "${var.o}", "allowed_methods": ["GET"]}}}}}`,
			`aws_s3_bucket_cors_configuration.c ["https://${a}.example"] ["GET"]`},
		{"other-resources", `{"resource": {"aws_s3_bucket": {"b": {"bucket": "b"}}, "aws_s3_object": {"o": {"key": "k"}}}, "output": {"x": {"value": "${1}"}}}`, ``},
		// null is no block; a cors_rule that is neither an object
		// nor an array of them is refused as an argument would be.
		{"null-blocks", `{"resource": {"aws_s3_bucket": {"b": {"bucket": "b", "cors_rule": null}},
 "aws_s3_bucket_cors_configuration": {"c": {"bucket": "c", "cors_rule": [` + rule + `], "lifecycle": null}}}}`,
			`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`},
		{"no-label", `{"resource": {"aws_s3_bucket_cors_configuration": {}}}`,
			`main.tf.json:1:51: HCL: Missing block label: At least one object property is required, whose name represents the resource block's name.`},
		{"no-type", `{"resource": null}`,
			`main.tf.json:1:14: HCL: Missing block label: At least one object property is required, whose name represents the resource block's type.`},
		{"top-level-array", `[{"resource": {}}]`, `main.tf.json:1:1: the top level of a file in Terraform's JSON syntax is an object, not a list`},
		{"name-not-object", `{"resource": {"aws_s3_bucket_cors_configuration": {"c": "x"}}}`,
			`main.tf.json:1:57: Terraform's JSON syntax wants an object, or an array of objects, for the content of "resource" blocks, not a string`},
		{"type-not-object", `{"resource": {"aws_s3_bucket_cors_configuration": ["c"]}}`,
			`main.tf.json:1:51: Terraform's JSON syntax wants an object of labels of "resource" blocks, not a list`},
		{"duplicate-argument", "{\"resource\": {\"aws_s3_bucket_cors_configuration\": {\"c\": {\"bucket\": \"c\",\n  \"bucket\": \"d\"}}}}",
			`main.tf.json:2:3: Terraform refuses the argument "bucket" written twice in one block (Duplicate argument), first at line 1, column 58`},
		{"template-error", "{\"resource\": {\"aws_s3_bucket_cors_configuration\": {\"c\": {\"bucket\": \"c\",\n  \"cors_rule\": {\"allowed_origins\": [\"${var.}\"]}}}}}",
			`main.tf.json:2:44: HCL: Invalid attribute name: An attribute name is required after a dot.`},
		{"too-deep", `{"locals": {"x": "${` + strings.Repeat("[", 1001) + `"}}`,
			`main.tf.json:1:18: HCL: a string nests expressions deeper than this reader allows (1000 levels of brackets)`},
		// Unary operators count in a row, as in HCL files (hclDepth):
		// text with many hyphens, such as a long policy, is taken.
		{"many-hyphens", `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "c-${\"` + strings.Repeat("a-", 10001) + `\"}",
 "cors_rule": ` + rule + `}}}}`,
			`aws_s3_bucket_cors_configuration.c ["https://a.example"] ["GET"]`},
		{"unary-in-a-row", `{"locals": {"x": "${` + strings.Repeat("-", 10001) + `1}"}}`,
			`main.tf.json:1:18: HCL: a string holds more conditionals or unary operators than this reader allows (10000)`},
		// Terraform reads a file's body with Content, which refuses
		// a property that is no block type of its schema.
		{"extraneous-property", "{\"resource\": {\"aws_s3_bucket_cors_configuration\": {\"c\": {\"bucket\": \"c\", \"cors_rule\": " + rule + "}}},\n \"outputs\": {\"x\": {\"value\": 1}}}",
			`main.tf.json:2:2: Terraform refuses this file: Extraneous JSON object property: No argument or block type is named "outputs".`},
		{"bad-json", `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "c",}}}}`,
			`main.tf.json:1:72: JSON: expected a member name in double quotes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"main.tf.json": tc.src})
			var got string
			r, err := iac.Load(filepath.Join(dir, "main.tf.json"), iac.Options{})
			if err != nil {
				got = strings.TrimPrefix(err.Error(), dir+string(filepath.Separator))
			} else {
				var rules []string
				for _, b := range r.Buckets {
					for _, rule := range b.Rules {
						rules = append(rules, fmt.Sprintf("%s %q %q", b.Resource, rule.AllowedOrigins, rule.AllowedMethods))
					}
				}
				got = strings.Join(rules, "; ")
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestTerraformJSONEscapedTemplates locates the values of a template
// written with JSON escapes (cdktf writes "${join(\",\", ...)}") where
// the file holds them, not where the text they stand for would put them.
func TestTerraformJSONEscapedTemplates(t *testing.T) {
	t.Parallel()
	const src = `{"resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "c",
  "cors_rule": {
    "allowed_origins": "${concat([\"https://a.example\", \"http://*.\u00e9xample.*\"], [])}",
    "allowed_methods": ["GET", "${\"PATCH\"}"],
    "expose_headers": ["${aws_s3_bucket.b.arn}", "\t${aws_s3_bucket.b.id}"]
  }}}}}
`
	dir := t.TempDir()
	path := filepath.Join(dir, "main.tf.json")
	writeFiles(t, dir, map[string]string{"main.tf.json": src})
	r, err := iac.Load(path, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := report(r)
	for _, want := range []string{
		// At the escaped quote that opens the HCL string.
		positionOf(t, path, `\"http://*.`, 1) + `: 400 InvalidRequest: rule 1 AllowedOrigin[1]: AllowedOrigin "http://*.éxample.*" can not have more than one wildcard.`,
		positionOf(t, path, `\"PATCH\"`, 1) + `: 400 InvalidRequest: rule 1 AllowedMethod[1]: Found unsupported HTTP method in CORS config. Unsupported method is PATCH`,
		positionOf(t, path, `aws_s3_bucket.b.arn`, 1) + `: not judged: rule 1 ExposeHeader aws_s3_bucket.b.arn:`,
		positionOf(t, path, `"\t${aws_s3_bucket.b.id}"`, 1) + `: not judged: rule 1 ExposeHeader "\t${aws_s3_bucket.b.id}": it interpolates aws_s3_bucket.b.id:`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report has no line %q:\n%s", want, got)
		}
	}
}
