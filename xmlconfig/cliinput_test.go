package xmlconfig

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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
		// botocore takes these names (botocore/handlers.py's VALID_BUCKET
		// and VALID_S3_ARN): Python's $ matches before a last "\n".
		{"Bucket ending in a newline", cliInputDoc(`"Bucket": "My_Bucket.1\n", `, okJSONRule), rules[:1], []Position{{1, 65}}},
		// --generate-cli-skeleton writes "Bucket": "", which the AWS CLI
		// refuses unless --bucket replaces it, as it refuses a Bucket left
		// out.
		{"Bucket empty, for --bucket", cliInputDoc(`"Bucket": "", `, okJSONRule), rules[:1], []Position{{1, 52}}},
		{"an access point's ARN", cliInputDoc(`"Bucket": "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", `, okJSONRule), rules[:1], []Position{{1, 103}}},
		{"an Outposts access point's ARN", cliInputDoc(`"Bucket": "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap", `, okJSONRule),
			rules[:1], []Position{{1, 138}}},
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
	for _, tc := range cliInputInvalid {
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

// mustBeParam ends botocore's refusal of a parameter it does not know.
const mustBeParam = `, must be one of: Bucket, CORSConfiguration, ContentMD5, ChecksumAlgorithm, ExpectedBucketOwner`

// badBucket is botocore's refusal of a bucket's name, after the name.
const badBucket = `": Bucket name must match the regex "^[a-zA-Z0-9.\-_]{1,255}$" or be an ARN matching the regex ` +
	`"^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$` +
	`|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$"`

// cliInputCase is a file of the --cli-input-json form with problems.
type cliInputCase struct {
	name, in string
	want     []string // every Reason, in order
	first    wantErr  // the first problem
}

// cliInputInvalid are files of the --cli-input-json form with problems:
// TestDecodeCLIInputInvalid checks what Unmarshal reports, and
// TestCLIInputAsAWSCLI that the AWS CLI refuses what Unmarshal says it
// refuses.
var cliInputInvalid = []cliInputCase{
	{"unknown parameter", cliInputDoc(`"Bucket": "bkt", "Foo": 1, `, okJSONRule),
		[]string{cliInputRefused + `Unknown parameter in input: "Foo"` + mustBeParam}, wantErr{line: 1, col: 19}},
	{"wrong case", cliInputDoc(`"bucket": "bkt", `, okJSONRule),
		[]string{cliInputRefused + `Unknown parameter in input: "bucket"` + mustBeParam}, wantErr{col: 2}},
	{"CORSRules beside CORSConfiguration", cliInputDoc(`"CORSRules": [], `, okJSONRule),
		[]string{cliInputRefused + `Unknown parameter in input: "CORSRules"` + mustBeParam + corsRulesInside}, wantErr{col: 2}},
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
	{"Bucket with a space", cliInputDoc(`"Bucket": "my bucket", `, okJSONRule),
		[]string{`without --bucket, ` + cliInputRefused + `Invalid bucket name "my bucket` + badBucket}, wantErr{col: 12}},
	{"Bucket past 255 bytes", cliInputDoc(`"Bucket": "`+strings.Repeat("b", 256)+`", `, okJSONRule),
		[]string{`without --bucket, ` + cliInputRefused + `Invalid bucket name "` + strings.Repeat("b", 256) + badBucket}, wantErr{}},
	{"Bucket not ASCII", cliInputDoc(`"Bucket": "b\u00e9", `, okJSONRule),
		[]string{`without --bucket, ` + cliInputRefused + `Invalid bucket name "bé` + badBucket}, wantErr{}},
	// Python's $ matches before one last "\n", not two.
	{"Bucket ending in two newlines", cliInputDoc(`"Bucket": "b\n\n", `, okJSONRule),
		[]string{`without --bucket, ` + cliInputRefused + `Invalid bucket name "b` + "\n\n" + badBucket}, wantErr{}},
	{"an ARN of another service", cliInputDoc(`"Bucket": "arn:aws:sqs:us-east-1:123456789012:accesspoint/ap", `, okJSONRule),
		[]string{`without --bucket, ` + cliInputRefused + `Invalid bucket name "arn:aws:sqs:us-east-1:123456789012:accesspoint/ap` + badBucket}, wantErr{}},
	{"Bucket null", cliInputDoc(`"Bucket": null, `, okJSONRule),
		[]string{`Bucket is null, not a string: without --bucket, the AWS CLI fails and sends nothing ("expected string or bytes-like object, got 'NoneType'")`}, wantErr{}},
	// The rules' problems are numbered as in the configuration alone.
	{"rule 2 without AllowedMethods", cliInputDoc(`"Bucket": "bkt", `, okJSONRule, `{"AllowedOrigins": ["*"]}`),
		[]string{"the rule has no AllowedMethods; " + cliInputRefused + `Missing required parameter in CORSConfiguration.CORSRules[1]: "AllowedMethods"`}, wantErr{col: 109, rule: 2}},
	// botocore quotes a name as it is, without escapes.
	{"names with a quote and a backslash", `{"Bucket": "bkt", "F\"o": 1, "CORSConfiguration": {"CORSRules": [` + okJSONRule + `], "F\"\u00e9\\": 1}}`,
		[]string{
			cliInputRefused + `Unknown parameter in input: "F"o"` + mustBeParam,
			cliInputRefused + `Unknown parameter in CORSConfiguration: "F"é\", must be one of: CORSRules`,
		}, wantErr{col: 19}},
	// A rule's problems keep this package's words, and botocore's follow:
	// a dict of --cli-input-json is a dict, not an OrderedDict as in the
	// file of --cors-configuration.
	{"a rule's problems", cliInputDoc(`"Bucket": "bkt", `, okJSONRule, `{"AllowedOrigins": ["*", {"a": [1]}], "Foo": 1, "MaxAgeSeconds": "3000"}`),
		[]string{
			"AllowedOrigins[1] is an object, not a string" + cliRefused +
				"Invalid type for parameter CORSConfiguration.CORSRules[1].AllowedOrigins[1], value: {'a': [1]}, type: <class 'dict'>, valid types: <class 'str'>",
			`unknown member "Foo" in a rule` + cliRefused + `Unknown parameter in CORSConfiguration.CORSRules[1]: "Foo"` + mustBeMember,
			"MaxAgeSeconds is a string, not an integer (write it without quotes)" + cliRefused +
				"Invalid type for parameter CORSConfiguration.CORSRules[1].MaxAgeSeconds, value: 3000, type: <class 'str'>, valid types: <class 'int'>",
			"the rule has no AllowedMethods" + cliRefused + `Missing required parameter in CORSConfiguration.CORSRules[1]: "AllowedMethods"`,
		}, wantErr{col: 134, rule: 2}},
	{"CORSRules an object", `{"CORSConfiguration": {"CORSRules": {"a": null}}}`,
		[]string{`"CORSRules" is an object, not an array of rules` + cliRefused +
			"Invalid type for parameter CORSConfiguration.CORSRules, value: {'a': None}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>"},
		wantErr{col: 37}},
	{"null in a rule", cliInputDoc(``, `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ID": null}`),
		[]string{"ID is null, not a string (leave the member out); " + cliInputRefused +
			"Invalid type for parameter CORSConfiguration.CORSRules[0].ID, value: None, type: <class 'NoneType'>, valid types: <class 'str'>"}, wantErr{col: 97, rule: 1}},
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

// cliInputV2Words are botocore's words as aws-cli 2.9.19 (Debian 12's
// /usr/bin/aws) prints them, for the files of cliInputInvalid, by name,
// where they differ from aws-cli 1.45.11's, which Unmarshal quotes. Both
// refuse these files.
var cliInputV2Words = map[string][]string{
	"an ARN of another service": {"Invalid ARN: The ARN was not for the S3 service, found: sqs"},
	"Bucket a number":           {"Value (Bucket) is the wrong type. Must be <class 'str'>."},
}

// TestCLIInputV2WordsNamed checks that each name of cliInputV2Words is
// one of cliInputInvalid's, so that none goes unused.
func TestCLIInputV2WordsNamed(t *testing.T) {
	t.Parallel()
	for name := range cliInputV2Words {
		if !slices.ContainsFunc(cliInputInvalid, func(tc cliInputCase) bool { return tc.name == name }) {
			t.Errorf("cliInputV2Words names %q, which cliInputInvalid does not have", name)
		}
	}
}

// TestCLIInputAsAWSCLI runs the AWS CLI (aws s3api put-bucket-cors
// --cli-input-json) on each file of cliInputInvalid, and on files it
// takes (two of them with --bucket, which replaces a Bucket Unmarshal
// tells only "without --bucket"), and checks that it refuses every file
// Unmarshal says it refuses, in the words Unmarshal quotes (or, for
// aws-cli 2, those of cliInputV2Words), and tries to send every other one
// (see awsCLIs for the CLIs run, and sameBotocoreLines for the words
// checked). Nothing is sent: the endpoint is a port no server listens on.
func TestCLIInputAsAWSCLI(t *testing.T) {
	t.Parallel()
	clis := awsCLIs(t)
	dir := t.TempDir()
	type file struct {
		name, in string
		args     []string // after --cli-input-json
	}
	files := []file{
		{"valid", cliInputDoc(`"Bucket": "bkt", `, okJSONRule), nil},
		{"Bucket ending in a newline", cliInputDoc(`"Bucket": "My_Bucket.1\n", `, okJSONRule), nil},
		{"an access point's ARN", cliInputDoc(`"Bucket": "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", `, okJSONRule), nil},
		{"Bucket of 255 bytes", cliInputDoc(`"Bucket": "`+strings.Repeat("b", 255)+`", `, okJSONRule), nil},
		// Not told, as --bucket replaces it.
		{"Bucket empty, with --bucket", cliInputDoc(`"Bucket": "", `, okJSONRule), []string{"--bucket", "bkt"}},
		{"Bucket with a space, with --bucket", cliInputDoc(`"Bucket": "my bucket", `, okJSONRule), []string{"--bucket", "bkt"}},
	}
	for _, tc := range cliInputInvalid {
		files = append(files, file{tc.name, tc.in, nil})
	}
	for i, f := range files {
		path := filepath.Join(dir, fmt.Sprintf("in%d.json", i))
		if err := os.WriteFile(path, []byte(f.in), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Unmarshal([]byte(f.in))
		quoted := botocoreWords(reasons(err))
		if f.args != nil {
			quoted = nil // what Unmarshal says, it says without --bucket
		}
		for _, aws := range clis {
			t.Run(f.name+"/"+aws.path, func(t *testing.T) {
				t.Parallel()
				args := append([]string{"--cli-input-json", "file://" + path}, f.args...)
				got, sent := awsCLIRefusal(aws.path, dir, args...)
				if sent != (quoted == nil) {
					t.Fatalf("the AWS CLI sends: %v, printing %q; Unmarshal quotes its refusal: %q", sent, got, quoted)
				}
				want := quoted
				if v2, ok := cliInputV2Words[f.name]; ok && aws.words == "2.9.19" {
					want = v2
				}
				sameBotocoreLines(t, aws, want, got)
			})
		}
	}
}

// botocoreWords returns the words of botocore's that reasons quote, a
// reason each.
func botocoreWords(reasons []string) []string {
	var words []string
	for _, r := range reasons {
		if _, w, ok := strings.Cut(r, cliInputRefused); ok {
			words = append(words, strings.TrimSuffix(w, corsRulesInside))
		} else if _, w, ok := strings.Cut(r, `("expected string`); ok {
			words = append(words, "expected string"+strings.TrimSuffix(w, `")`))
		}
	}
	return words
}

// awsCLIRefusal runs aws s3api put-bucket-cors with args, with the
// settings of a home of its own (dir), and returns what it prints after
// "Parameter validation failed:", a line for each problem (or all it
// prints, when that is not there), or sent, when it tries to send.
func awsCLIRefusal(aws, dir string, args ...string) (refusal string, sent bool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args = append([]string{"--endpoint-url", "http://127.0.0.1:1", "s3api", "put-bucket-cors"}, args...)
	cmd := exec.CommandContext(ctx, aws, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials")}
	for _, name := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(name); ok {
			cmd.Env = append(cmd.Env, name+"="+v)
		}
	}
	out, _ := cmd.CombinedOutput()
	text := strings.TrimSpace(string(out))
	if strings.Contains(text, "Could not connect to the endpoint URL") {
		return "", true
	}
	if _, after, ok := strings.Cut(text, "Parameter validation failed:\n"); ok {
		// Unmarshal does not tell a Bucket left out, which --bucket
		// gives.
		return strings.TrimPrefix(after, `Missing required parameter in input: "Bucket"`+"\n"), false
	}
	return text, false
}
