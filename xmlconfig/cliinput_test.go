package xmlconfig

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
)

// cliInputDoc is the --cli-input-json of put-bucket-cors around the rules
// given, after the parameters before (each followed by ", ").
func cliInputDoc(before string, rules ...string) string {
	return `{` + before + `"CORSConfiguration": ` + cliDoc(rules...) + `}`
}

// TestDecodeCLIInput checks the AWS CLI's --cli-input-json form that aws-cli
// 1.45.11 (botocore 1.43.11) sent to a local endpoint: the rules are
// CORSConfiguration's, at their places in the file, and Bucket may be
// left out for --bucket to give it.
func TestDecodeCLIInput(t *testing.T) {
	t.Parallel()
	second := `{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["PUT"], "MaxAgeSeconds": 30}`
	rules := []corsrule.Rule{okRule, {AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: i32(30)}}
	for _, tc := range []struct {
		name, in string
		want     []corsrule.Rule
		at       []Position // where each rule starts
	}{
		{"Bucket", cliInputDoc(`"Bucket": "bkt", `, okJSONRule, second), rules, []Position{{1, 55}, {1, 109}}},
		{"no Bucket, for --bucket", cliInputDoc(``, okJSONRule), rules[:1], []Position{{1, 38}}},
		{"every parameter, on lines", "{\n  \"ExpectedBucketOwner\": \"111122223333\",\n  \"ChecksumAlgorithm\": \"CRC32\",\n" +
			"  \"CORSConfiguration\": {\n    \"CORSRules\": [\n      " + okJSONRule + ",\n      " + second + "\n    ]\n  },\n  \"Bucket\": \"bkt\"\n}",
			rules, []Position{{6, 7}, {7, 7}}},
		// Python's json module keeps the last value of a name.
		{"CORSConfiguration twice", `{"Bucket": "bkt", "CORSConfiguration": {"X": 1}, "CORSConfiguration": ` + cliDoc(second) + `}`, rules[1:], []Position{{1, 86}}},
		{"CORSRules twice", `{"CORSConfiguration": {"CORSRules": [1], "CORSRules": [` + second + `]}}`, rules[1:], []Position{{1, 56}}},
		{"Bucket twice", `{"Bucket": 1, "Bucket": "bkt", "CORSConfiguration": ` + cliDoc(okJSONRule) + `}`, rules[:1], []Position{{1, 68}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if err != nil {
				t.Fatalf("Unmarshal: %v (%q)", err, reasons(err))
			}
			if doc.Format != CLIInput {
				t.Errorf("Format = %v, want cli-input-json", doc.Format)
			}
			if diff := cmp.Diff(tc.want, doc.Rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.at, doc.RulePositions); diff != "" {
				t.Errorf("rule positions (-want +got):\n%s", diff)
			}
		})
	}
}

// cliInputRefused prefixes what the AWS CLI printed after "Parameter
// validation failed:".
const cliInputRefused = "the AWS CLI refuses the file and sends nothing: Parameter validation failed: "

// TestDecodeCLIInputInvalid checks the problems of the --cli-input-json
// form: the AWS CLI's words for what it refuses before sending, each
// message as aws-cli 1.45.11 (botocore 1.43.11) printed it for the same
// file, and S3's problems of the rules, numbered from CORSConfiguration's
// first.
func TestDecodeCLIInputInvalid(t *testing.T) {
	t.Parallel()
	const mustBe = `, must be one of: Bucket, CORSConfiguration, ContentMD5, ChecksumAlgorithm, ExpectedBucketOwner`
	for _, tc := range []struct {
		name, in string
		want     []string // every Reason, in order
		first    wantErr  // the first problem
	}{
		{"unknown parameter", cliInputDoc(`"Bucket": "bkt", "Foo": 1, `, okJSONRule),
			[]string{cliInputRefused + `Unknown parameter in input: "Foo"` + mustBe}, wantErr{line: 1, col: 19}},
		{"wrong case", cliInputDoc(`"bucket": "bkt", `, okJSONRule),
			[]string{cliInputRefused + `Unknown parameter in input: "bucket"` + mustBe}, wantErr{col: 2}},
		{"CORSRules beside CORSConfiguration", cliInputDoc(`"CORSRules": [], `, okJSONRule),
			[]string{cliInputRefused + `Unknown parameter in input: "CORSRules"` + mustBe + `; "CORSRules" belongs inside "CORSConfiguration"`}, wantErr{col: 2}},
		{"CORSConfiguration a string", `{"Bucket": "bkt", "CORSConfiguration": "x"}`,
			[]string{cliInputRefused + `Invalid type for parameter CORSConfiguration, value: x, type: <class 'str'>, valid types: <class 'dict'>`}, wantErr{col: 40}},
		{"CORSConfiguration null", `{"Bucket": "bkt", "CORSConfiguration": null}`,
			[]string{cliInputRefused + `Invalid type for parameter CORSConfiguration, value: None, type: <class 'NoneType'>, valid types: <class 'dict'>`}, wantErr{}},
		{"CORSConfiguration an array", `{"Bucket": "bkt", "CORSConfiguration": [1]}`,
			[]string{cliInputRefused + `Invalid type for parameter CORSConfiguration, value: [1], type: <class 'list'>, valid types: <class 'dict'>`}, wantErr{}},
		{"CORSConfiguration past a float's range", `{"Bucket": "bkt", "CORSConfiguration": 1E400}`,
			[]string{cliInputRefused + `Invalid type for parameter CORSConfiguration, value: inf, type: <class 'float'>, valid types: <class 'dict'>`}, wantErr{}},
		{"CORSConfiguration empty", `{"Bucket": "bkt", "CORSConfiguration": {}}`,
			[]string{cliInputRefused + `Missing required parameter in CORSConfiguration: "CORSRules"`}, wantErr{col: 40}},
		{"unknown member of CORSConfiguration", `{"Bucket": "bkt", "CORSConfiguration": {"CORSRules": [` + okJSONRule + `], "Foo": 1}}`,
			[]string{cliInputRefused + `Unknown parameter in CORSConfiguration: "Foo", must be one of: CORSRules`}, wantErr{col: 110}},
		{"ContentMD5 null", cliInputDoc(`"ContentMD5": null, `, okJSONRule),
			[]string{cliInputRefused + `Invalid type for parameter ContentMD5, value: None, type: <class 'NoneType'>, valid types: <class 'str'>`}, wantErr{col: 16}},
		{"floats and a bool", cliInputDoc(`"ExpectedBucketOwner": 1e16, "ContentMD5": 1.5e-5, "ChecksumAlgorithm": true, `, okJSONRule),
			[]string{
				cliInputRefused + `Invalid type for parameter ExpectedBucketOwner, value: 1e+16, type: <class 'float'>, valid types: <class 'str'>`,
				cliInputRefused + `Invalid type for parameter ContentMD5, value: 1.5e-05, type: <class 'float'>, valid types: <class 'str'>`,
				cliInputRefused + `Invalid type for parameter ChecksumAlgorithm, value: True, type: <class 'bool'>, valid types: <class 'str'>`,
			}, wantErr{}},
		{"a float written fixed", cliInputDoc(`"ExpectedBucketOwner": 1e3, `, okJSONRule),
			[]string{cliInputRefused + `Invalid type for parameter ExpectedBucketOwner, value: 1000.0, type: <class 'float'>, valid types: <class 'str'>`}, wantErr{}},
		{"integers", cliInputDoc(`"ExpectedBucketOwner": -0, "ContentMD5": 12345678901234567890123, `, okJSONRule),
			[]string{
				cliInputRefused + `Invalid type for parameter ExpectedBucketOwner, value: 0, type: <class 'int'>, valid types: <class 'str'>`,
				cliInputRefused + `Invalid type for parameter ContentMD5, value: 12345678901234567890123, type: <class 'int'>, valid types: <class 'str'>`,
			}, wantErr{}},
		{"a list", cliInputDoc(`"ExpectedBucketOwner": [1, "a", null, {"b": false}], `, okJSONRule),
			[]string{cliInputRefused + `Invalid type for parameter ExpectedBucketOwner, value: [1, 'a', None, {'b': False}], type: <class 'list'>, valid types: <class 'str'>`}, wantErr{}},
		{"Bucket a number", cliInputDoc(`"Bucket": 1, `, okJSONRule),
			[]string{`Bucket is a number, not a string: without --bucket, the AWS CLI fails and sends nothing ("expected string or bytes-like object, got 'int'")`}, wantErr{col: 12}},
		{"Bucket null", cliInputDoc(`"Bucket": null, `, okJSONRule),
			[]string{`Bucket is null, not a string: without --bucket, the AWS CLI fails and sends nothing ("expected string or bytes-like object, got 'NoneType'")`}, wantErr{}},
		// The rules' problems are numbered as in the configuration alone.
		{"rule 2 without AllowedMethods", cliInputDoc(`"Bucket": "bkt", `, okJSONRule, `{"AllowedOrigins": ["*"]}`),
			[]string{"the rule has no AllowedMethods"}, wantErr{col: 109, rule: 2}},
		{"null in a rule", cliInputDoc(``, `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ID": null}`),
			[]string{"ID is null, not a string: the AWS CLI refuses null; leave the member out"}, wantErr{col: 97, rule: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if doc != nil {
				t.Errorf("doc = %+v, want nil", doc)
			}
			if diff := cmp.Diff(tc.want, reasons(err)); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			tc.first.reason = tc.want[0]
			checkMalformed(t, err, tc.first)
		})
	}
}

// TestDecodeCLIInputBOM checks the byte order mark before the
// --cli-input-json form, which the AWS CLI refuses in words of its own.
func TestDecodeCLIInputBOM(t *testing.T) {
	t.Parallel()
	_, err := Unmarshal([]byte("\uFEFF" + cliInputDoc(`"Bucket": "bkt", `, okJSONRule)))
	checkMalformed(t, err, wantErr{reason: `it refuses the file ("Invalid JSON: Unexpected UTF-8 BOM") and sends nothing`, line: 1, col: 1})
}

// TestDecodeCLIInputLongValue checks that a long value of the wrong type,
// which botocore quotes whole, is cut short between two characters.
func TestDecodeCLIInputLongValue(t *testing.T) {
	t.Parallel()
	_, err := Unmarshal([]byte(cliInputDoc(`"ContentMD5": ["a`+strings.Repeat("é", 200)+`"], `, okJSONRule)))
	rs := reasons(err)
	if len(rs) != 1 {
		t.Fatalf("reasons = %q, want one", rs)
	}
	want := cliInputRefused + "Invalid type for parameter ContentMD5, value: ['a" + strings.Repeat("é", 98) + "...,"
	if !strings.HasPrefix(rs[0], want) || !utf8.ValidString(rs[0]) {
		t.Errorf("reason = %q, want valid UTF-8 starting with %q", rs[0], want)
	}
}

// TestPyRepr checks strings as Python 3.11's repr() writes them.
func TestPyRepr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a": `'a'`, "it's": `"it's"`, `'"`: `'\'"'`, "a\\b": `'a\\b'`, "\n\t\r": `'\n\t\r'`,
		"\x01\x7f": `'\x01\x7f'`, "\u00a0é": `'\xa0é'`, "\u2028": `'\u2028'`, "😀": `'😀'`, "\U000e0001": `'\U000e0001'`,
	} {
		if got := pyRepr(in); got != want {
			t.Errorf("pyRepr(%q) = %s, want %s", in, got, want)
		}
	}
}
