package xmlconfig

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// okJSONRule is okRule as a JSON object.
const okJSONRule = `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`

func cliDoc(rules ...string) string { return `{"CORSRules": [` + strings.Join(rules, ", ") + `]}` }

func consoleDoc(rules ...string) string { return `[` + strings.Join(rules, ", ") + `]` }

// jsonValid are JSON documents whose XML equivalent S3 accepts.
var jsonValid = []struct {
	name   string
	in     string
	format Format
	want   []corsrule.Rule
}{
	{
		name: "CLI form, every member",
		in: `{"CORSRules": [{"ID": "r1", "AllowedHeaders": ["*"], "AllowedMethods": ["GET", "PUT"],
			"AllowedOrigins": ["https://a.example", "http://b.example:80"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]}`,
		format: JSON,
		want: []corsrule.Rule{{ID: "r1", AllowedHeaders: []string{"*"}, AllowedMethods: []string{"GET", "PUT"},
			AllowedOrigins: []string{"https://a.example", "http://b.example:80"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: i32(3000)}},
	},
	{
		// The console's own sample (spec §1.5).
		name:   "console form",
		in:     `[{"AllowedHeaders":["*"],"AllowedMethods":["GET"],"AllowedOrigins":["*"],"ExposeHeaders":[],"MaxAgeSeconds":3000}]`,
		format: Console,
		want:   []corsrule.Rule{{AllowedHeaders: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}, MaxAgeSeconds: i32(3000)}},
	},
	{
		name:   "members in any order, several rules",
		in:     consoleDoc(`{"MaxAgeSeconds": 1, "AllowedMethods": ["GET"], "ID": "a", "AllowedOrigins": ["1"]}`, `{"AllowedOrigins": ["2"], "AllowedMethods": ["PUT"]}`),
		format: Console,
		want: []corsrule.Rule{
			{ID: "a", AllowedOrigins: []string{"1"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(1)},
			{AllowedOrigins: []string{"2"}, AllowedMethods: []string{"PUT"}},
		},
	},
	{
		// UNVERIFIED for the console (see cliNull); the AWS CLI refuses them.
		name:   "null members are absent in the console form",
		in:     consoleDoc(`{"ID": null, "AllowedHeaders": null, "ExposeHeaders": null, "MaxAgeSeconds": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		format: Console,
		want:   []corsrule.Rule{okRule},
	},
	{
		name:   "empty strings",
		in:     cliDoc(`{"ID": "", "AllowedOrigins": [""], "AllowedMethods": [""], "AllowedHeaders": [""]}`),
		format: JSON,
		want:   []corsrule.Rule{{AllowedOrigins: []string{""}, AllowedMethods: []string{""}, AllowedHeaders: []string{""}}},
	},
	{
		name:   "escapes",
		in:     consoleDoc(`{"AllowedOrigins": ["\"\\\/\n\r\t\u00e9\u20AC\ud83d\ude00<&>"], "AllowedMethods": ["G\u0045T"], "ID": "\u0085"}`),
		format: Console,
		want:   []corsrule.Rule{{ID: "\u0085", AllowedOrigins: []string{"\"\\/\n\r\t\u00e9\u20ac\U0001F600<&>"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name:   "non-ASCII as is",
		in:     consoleDoc(`{"AllowedOrigins": ["https://bücher.example", "😀"], "AllowedMethods": ["GET"]}`),
		format: Console,
		want:   []corsrule.Rule{{AllowedOrigins: []string{"https://bücher.example", "😀"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "MaxAgeSeconds forms",
		in: consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -0}`,
			`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -100}`,
			`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 2147483647}`,
			`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -2147483648}`),
		format: Console,
		want: []corsrule.Rule{
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(0)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(-100)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(2147483647)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(-2147483648)},
		},
	},
	{
		// The AWS CLI reads the file with Python's json module, which
		// keeps the last value of a name given twice, and sends
		// <MaxAgeSeconds>2</MaxAgeSeconds> (awscli 1.45.11, botocore
		// 1.43.11); JSON.parse, in the console, keeps the last too.
		name:   "a member twice keeps the last value",
		in:     cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 1, "MaxAgeSeconds": 2}`),
		format: JSON,
		want:   []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(2)}},
	},
	{
		name: "a member twice, the earlier values invalid",
		in: cliDoc(`{"ID": null, "AllowedOrigins": "*", "ID": 5, "AllowedMethods": ["GET", 1], "ID": "x", ` +
			`"AllowedOrigins": ["*"], "AllowedMethods": ["\u0001"], "AllowedMethods": ["GET"]}`),
		format: JSON,
		want:   []corsrule.Rule{{ID: "x", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name:   "a member twice in the console form",
		in:     consoleDoc(`{"ID": null, "ID": "x", "AllowedOrigins": ["a"], "AllowedMethods": ["GET"], "AllowedOrigins": ["b"]}`),
		format: Console,
		want:   []corsrule.Rule{{ID: "x", AllowedOrigins: []string{"b"}, AllowedMethods: []string{"GET"}}},
	},
	{
		// The CLI sends the last array's rules alone (awscli 1.45.11).
		name:   "CORSRules twice keeps the last",
		in:     `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}], "CORSRules": [{"AllowedOrigins": ["x"], "AllowedMethods": ["PUT"]}]}`,
		format: JSON,
		want:   []corsrule.Rule{{AllowedOrigins: []string{"x"}, AllowedMethods: []string{"PUT"}}},
	},
	{
		name:   "CORSRules twice, the earlier invalid",
		in:     `{"CORSRules": [{"Foo": 1}, "x", {}], "CORSRules": null, "CORSRules": [` + okJSONRule + `]}`,
		format: JSON,
		want:   []corsrule.Rule{okRule},
	},
	{
		name:   "byte order mark and white space",
		in:     "\uFEFF\r\n\t " + consoleDoc(okJSONRule) + " \n\n",
		format: Console,
		want:   []corsrule.Rule{okRule},
	},
}

func TestDecodeJSONValid(t *testing.T) {
	t.Parallel()
	for _, tc := range jsonValid {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, decode := range decoders(tc.format) {
				doc, err := decode.fn(tc.in)
				if err != nil {
					t.Fatalf("%s: %v", decode.name, err)
				}
				if doc.Format != tc.format {
					t.Errorf("%s: Format = %v, want %v", decode.name, doc.Format, tc.format)
				}
				if diff := cmp.Diff(tc.want, doc.Rules); diff != "" {
					t.Errorf("%s: rules (-want +got):\n%s", decode.name, diff)
				}
			}
		})
	}
}

func TestJSONRulePositions(t *testing.T) {
	t.Parallel()
	in := "\uFEFF[\n    " + okJSONRule + ",\n\t" + okJSONRule + ", " + okJSONRule + "\n]\n"
	doc, err := Unmarshal([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Position{{2, 5}, {3, 2}, {3, 2 + len(okJSONRule) + 2}}
	if diff := cmp.Diff(want, doc.RulePositions); diff != "" {
		t.Errorf("RulePositions (-want +got):\n%s", diff)
	}

	// "CORSRules" given twice: the rules, and where they are, are the
	// last array's.
	in = "{\"CORSRules\": [" + okJSONRule + ", " + okJSONRule + "],\n\"CORSRules\": [" + okJSONRule + "]}"
	if doc, err = Unmarshal([]byte(in)); err != nil {
		t.Fatal(err)
	}
	want = []Position{{2, 15}}
	if diff := cmp.Diff(want, doc.RulePositions); diff != "" {
		t.Errorf("RulePositions of the last CORSRules (-want +got):\n%s", diff)
	}
}

// jsonInvalid are JSON documents whose XML equivalent S3 would refuse
// with MalformedXML, or that are not JSON.
var jsonInvalid = []invalidCase{
	// The top level.
	{"CorsRules", `{"CorsRules": [` + okJSONRule + `]}`, wantErr{reason: `unknown member "CorsRules" in the configuration; S3 calls it "CORSRules"`, line: 1, col: 2}},
	{"corsRules", `{"corsRules": [` + okJSONRule + `]}`, wantErr{reason: `S3 calls it "CORSRules"`}},
	{"CORSRule", `{"CORSRule": [` + okJSONRule + `]}`, wantErr{reason: `S3 calls it "CORSRules"`}},
	{"a rule member at the top", `{"CORSRules": [` + okJSONRule + `], "AllowedOrigins": ["*"]}`,
		wantErr{reason: `unknown member "AllowedOrigins" in the configuration; "AllowedOrigins" belongs inside a rule of "CORSRules"`}},
	// Without a CORSConfiguration, a parameter of put-bucket-cors is not
	// read as its --cli-input-json (see cliinput_test.go).
	{"PutBucketCors input without CORSConfiguration", `{"Bucket": "b", "CORSRules": [` + okJSONRule + `]}`,
		wantErr{reason: `unknown member "Bucket" in the configuration; it is a parameter of put-bucket-cors, as in its --cli-input-json: give the value of "CORSConfiguration", {"CORSRules": [...]}, on its own`, col: 2}},
	{"PutBucketCors input, ExpectedBucketOwner first, CORSConfiguration's case wrong", `{"ExpectedBucketOwner": "111122223333", "Bucket": "b", "CorsConfiguration": ` + cliDoc(okJSONRule) + `}`,
		wantErr{reason: `unknown member "ExpectedBucketOwner" in the configuration; it is a parameter of put-bucket-cors, as in its --cli-input-json: give the value of "CORSConfiguration"`, col: 2}},
	{"corsConfiguration", `{"corsConfiguration": ` + cliDoc(okJSONRule) + `}`,
		wantErr{reason: `unknown member "corsConfiguration" in the configuration; give its value, {"CORSRules": [...]}, on its own`}},
	// Cloudflare R2's form, as wrangler r2 bucket cors set --file reads
	// it (Cloudflare's API reference: Put Bucket CORS Policy).
	{"R2's form", "{\n  \"rules\": [\n    {\"allowed\": {\"origins\": [\"*\"], \"methods\": [\"GET\"]}, \"maxAgeSeconds\": 3600}\n  ]\n}",
		wantErr{reason: `unknown member "rules" in the configuration; {"rules": [...]} is Cloudflare R2's form, which wrangler r2 bucket cors set --file reads: ` +
			`for S3, write {"CORSRules": [...]}, and in each rule allowed.origins, allowed.methods and allowed.headers as AllowedOrigins, AllowedMethods and AllowedHeaders, ` +
			`exposeHeaders as ExposeHeaders, maxAgeSeconds as MaxAgeSeconds and id as ID`, line: 2, col: 3}},
	{"R2's rule in S3's form", cliDoc(`{"allowed": {"origins": ["*"], "methods": ["GET"]}}`),
		wantErr{reason: `unknown member "allowed" in a rule; it is Cloudflare R2's: write its origins, methods and headers as the rule's AllowedOrigins, AllowedMethods and AllowedHeaders`, col: 17, rule: 1}},
	{"R2's rule in the console's form", consoleDoc(`{"allowed": {"origins": ["*"], "methods": ["GET"]}, "id": "r"}`),
		wantErr{reason: `unknown member "allowed" in a rule; it is Cloudflare R2's`, col: 3, rule: 1}},
	{"extra top-level member", cliDoc(okJSONRule)[:len(cliDoc(okJSONRule))-1] + `, "Bucket": "b"}`, wantErr{reason: `unknown member "Bucket" in the configuration`}},
	{"CORSRules twice, the last empty", `{"CORSRules": [` + okJSONRule + `], "CORSRules": []}`,
		wantErr{reason: "the configuration has no rules", col: 1 + len(`{"CORSRules": [`+okJSONRule+`], "CORSRules": `)}},
	{"CORSRules twice, the last with a problem", `{"CORSRules": [` + okJSONRule + `], "CORSRules": [{"AllowedOrigins": ["*"]}]}`,
		wantErr{reason: "the rule has no AllowedMethods", rule: 1}},
	// The AWS CLI refuses a file that starts with a byte order mark:
	// "Expected: '=', received: '\ufeff'" (awscli 1.45.11).
	{"byte order mark before the CLI form", "\uFEFF" + cliDoc(okJSONRule), wantErr{reason: "byte order mark, which the AWS CLI does not skip", line: 1, col: 1}},
	{"byte order mark and white space before the CLI form", "\uFEFF\n " + cliDoc(okJSONRule), wantErr{reason: "byte order mark", line: 1, col: 1}},
	{"no CORSRules", `{}`, wantErr{reason: `the configuration has no "CORSRules"`, col: 1}},
	{"CORSRules null", `{"CORSRules": null}`, wantErr{reason: `"CORSRules" is null`, col: 15}},
	{"CORSRules empty", `{"CORSRules": []}`, wantErr{reason: "the configuration has no rules", col: 15}},
	{"CORSRules an object", `{"CORSRules": ` + okJSONRule + `}`, wantErr{reason: `"CORSRules" is an object, not an array of rules`, col: 15}},
	{"console empty", `[]`, wantErr{reason: "the configuration has no rules", col: 1}},
	{"a rule that is a string", `["x", ` + okJSONRule + `]`, wantErr{reason: "rule 1 is a string, not an object", col: 2, rule: 1}},
	{"a rule that is an array", consoleDoc(okJSONRule, `[`+okJSONRule+`]`), wantErr{reason: "rule 2 is an array, not an object", rule: 2}},

	// Rule members.
	{"no AllowedOrigins", consoleDoc(`{"AllowedMethods": ["GET"]}`), wantErr{reason: "the rule has no AllowedOrigins", col: 2, rule: 1}},
	{"AllowedOrigins null", consoleDoc(`{"AllowedOrigins": null, "AllowedMethods": ["GET"]}`), wantErr{reason: "no AllowedOrigins", rule: 1}},
	{"AllowedOrigins empty", consoleDoc(`{"AllowedOrigins": [], "AllowedMethods": ["GET"]}`), wantErr{reason: "no AllowedOrigins", rule: 1}},
	{"no AllowedMethods", consoleDoc(okJSONRule, `{"AllowedOrigins": ["*"]}`),
		wantErr{reason: "the rule has no AllowedMethods", col: 2 + len(okJSONRule) + 2, rule: 2}},
	{"empty rule", consoleDoc(`{}`), wantErr{reason: "no AllowedOrigins", rule: 1}},
	{"ExposedHeaders", consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposedHeaders": ["ETag"]}`),
		wantErr{reason: `unknown member "ExposedHeaders" in a rule; S3 calls it "ExposeHeaders"`, col: 55, rule: 1}},
	{"Id", consoleDoc(`{"Id": "x", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `S3 calls it "ID"`, col: 3, rule: 1}},
	{"MaxAge", consoleDoc(`{"MaxAge": 1, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `S3 calls it "MaxAgeSeconds"`, rule: 1}},
	{"max_age_seconds", consoleDoc(`{"max_age_seconds": 1, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `S3 calls it "MaxAgeSeconds"`, rule: 1}},
	{"allowedOrigins", consoleDoc(`{"allowedOrigins": ["*"], "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `S3 calls it "AllowedOrigins"`, rule: 1}},
	{"AllowedOrigin", consoleDoc(`{"AllowedOrigin": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `unknown member "AllowedOrigin" in a rule; S3 calls it "AllowedOrigins"`, rule: 1}},
	{"ExposeHeader", consoleDoc(`{"ExposeHeader": ["*"], "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `S3 calls it "ExposeHeaders"`, rule: 1}},
	{"unknown member", consoleDoc(`{"Foo": {"a": [1, {}]}, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: `unknown member "Foo" in a rule`, rule: 1}},
	{"a member twice, the last invalid", consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedMethods": [1]}`),
		wantErr{reason: "AllowedMethods[0] is a number, not a string", col: 74, rule: 1}},
	{"a member twice, the last empty", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedMethods": []}`),
		wantErr{reason: "the rule has no AllowedMethods", rule: 1}},
	// The AWS CLI refuses a null member before sending anything
	// (TestJSONAsAWSCLI runs it on these).
	{"ID null in the CLI form", cliDoc(`{"ID": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "ID is null, not a string (leave the member out)" + cliRefused +
			"Invalid type for parameter CORSConfiguration.CORSRules[0].ID, value: None, type: <class 'NoneType'>, valid types: <class 'str'>", col: 23, rule: 1}},
	{"AllowedHeaders null in the CLI form", cliDoc(`{"AllowedHeaders": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "AllowedHeaders is null, not an array of strings", rule: 1}},
	{"ExposeHeaders null in the CLI form", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": null}`),
		wantErr{reason: "ExposeHeaders is null, not an array of strings", rule: 1}},
	{"MaxAgeSeconds null in the CLI form", cliDoc(`{"MaxAgeSeconds": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "MaxAgeSeconds is null, not an integer", rule: 1}},
	{"AllowedOrigins null in the CLI form", cliDoc(`{"AllowedOrigins": null, "AllowedMethods": ["GET"]}`),
		wantErr{reason: "AllowedOrigins is null, not an array of strings", rule: 1}},
	{"a member twice, the last null in the CLI form", cliDoc(`{"ID": "x", "ID": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "ID is null", rule: 1}},

	// Types.
	{"list as a string", consoleDoc(`{"AllowedOrigins": "*", "AllowedMethods": ["GET"]}`),
		wantErr{reason: `AllowedOrigins is a string, not an array of strings (write ["*"])`, col: 21, rule: 1}},
	{"list as an object", consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": {"GET": true}}`), wantErr{reason: "AllowedMethods is an object", rule: 1}},
	{"number in a list", consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", 1]}`), wantErr{reason: "AllowedMethods[1] is a number, not a string", col: 54, rule: 1}},
	// The AWS CLI refuses null in a list: "Invalid type for parameter
	// CORSConfiguration.CORSRules[0].AllowedHeaders[0], value: None"
	// (awscli 1.45.11). The console sends "null" (TestConsoleValues).
	{"null in a list", cliDoc(`{"AllowedOrigins": [null], "AllowedMethods": ["GET"]}`), wantErr{reason: "AllowedOrigins[0] is null", rule: 1}},
	{"nested list", consoleDoc(`{"AllowedOrigins": [["*"]], "AllowedMethods": ["GET"]}`), wantErr{reason: "AllowedOrigins[0] is an array", rule: 1}},
	{"ID a number", consoleDoc(`{"ID": 1, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "ID is a number, not a string", rule: 1}},
	{"ID an array", consoleDoc(`{"ID": ["a"], "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "ID is an array", rule: 1}},
	// The AWS CLI refuses these ("Invalid type for parameter
	// CORSConfiguration.CORSRules[0].MaxAgeSeconds, value: 3000.5, type:
	// <class 'float'>, valid types: <class 'int'>", awscli 1.45.11); the
	// console takes them (TestConsoleValues).
	{"MaxAgeSeconds a string", cliDoc(`{"MaxAgeSeconds": "3000", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "MaxAgeSeconds is a string, not an integer (write it without quotes)", col: 34, rule: 1}},
	{"MaxAgeSeconds 3000.5", cliDoc(`{"MaxAgeSeconds": 3000.5, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: `MaxAgeSeconds "3000.5" is not an integer`, rule: 1}},
	{"MaxAgeSeconds 3000.0", cliDoc(`{"MaxAgeSeconds": 3000.0, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 3e3", cliDoc(`{"MaxAgeSeconds": 3e3, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 2147483648", consoleDoc(`{"MaxAgeSeconds": 2147483648, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: `MaxAgeSeconds "2147483648" is out of range: it must fit in 32 bits`, rule: 1}},
	{"MaxAgeSeconds -2147483649", consoleDoc(`{"MaxAgeSeconds": -2147483649, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "out of range", rule: 1}},
	{"MaxAgeSeconds huge", cliDoc(`{"MaxAgeSeconds": 1` + strings.Repeat("0", 400) + `, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "out of range", rule: 1}},
	{"MaxAgeSeconds true", consoleDoc(`{"MaxAgeSeconds": true, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "MaxAgeSeconds is true, not an integer", rule: 1}},
	{"MaxAgeSeconds an object", consoleDoc(`{"MaxAgeSeconds": {}, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "MaxAgeSeconds is an object", rule: 1}},
	{"the configuration a string", `"x"`, wantErr{reason: "neither XML"}},

	// Characters XML cannot carry.
	{`\u0001`, consoleDoc(`{"AllowedOrigins": ["a\u0001"], "AllowedMethods": ["GET"]}`),
		wantErr{reason: "AllowedOrigins[0] holds U+0001, which XML cannot carry", col: 22, rule: 1}},
	{`\u0000 in ID`, consoleDoc(`{"ID": "\u0000", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), wantErr{reason: "ID holds U+0000", rule: 1}},
	{`\b`, consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["\b"]}`), wantErr{reason: "ExposeHeaders[0] holds U+0008", rule: 1}},
	{`\uFFFF`, consoleDoc(`{"AllowedOrigins": ["\uFFFF"], "AllowedMethods": ["GET"]}`), wantErr{reason: "U+FFFF", rule: 1}},
	{"U+FFFE as is", consoleDoc("{\"AllowedOrigins\": [\"\uFFFE\"], \"AllowedMethods\": [\"GET\"]}"), wantErr{reason: "U+FFFE", rule: 1}},
	{"lone high surrogate", consoleDoc(`{"AllowedOrigins": ["\ud83d"], "AllowedMethods": ["GET"]}`), wantErr{reason: "U+D83D", rule: 1}},
	{"lone low surrogate", consoleDoc(`{"AllowedOrigins": ["\ude00x"], "AllowedMethods": ["GET"]}`), wantErr{reason: "U+DE00", rule: 1}},
	{"high surrogate, then not a low one", consoleDoc(`{"AllowedOrigins": ["\ud83d\u0041"], "AllowedMethods": ["GET"]}`), wantErr{reason: "U+D83D", rule: 1}},

	// Syntax.
	// Unmarshal answers an empty document with MissingRequestBodyError,
	// DecodeJSON with MalformedXML (TestEmptyDocument).
	{"invalid UTF-8 in a string", "[{\"AllowedOrigins\": [\"\xff\"]}]", wantErr{reason: "invalid UTF-8", col: 23}},
	{"invalid UTF-8 outside strings", "[\xff]", wantErr{reason: "invalid UTF-8", col: 2}},
	{"control character in a string", "[{\"AllowedOrigins\": [\"a\tb\"]}]", wantErr{reason: `control character U+0009 in a string (write it as \u0009)`, col: 24}},
	{"NUL byte", "[\x00]", wantErr{reason: `unexpected '\x00'; want a value`, col: 2}},
	{"data after the value", consoleDoc(okJSONRule) + "\n x", wantErr{reason: "data after the end of the JSON value", line: 2, col: 2}},
	{"two values", cliDoc(okJSONRule) + cliDoc(okJSONRule), wantErr{reason: "data after the end"}},
	{"trailing comma in an array", `[` + okJSONRule + `,]`, wantErr{reason: "unexpected ']'; want a value"}},
	{"trailing comma in an object", `[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"],}]`, wantErr{reason: "want a member name in double quotes"}},
	{"single quotes", `{'CORSRules': []}`, wantErr{reason: "unexpected '\\''; want a member name in double quotes", col: 2}},
	{"missing colon", `{"CORSRules" []}`, wantErr{reason: "want ':' after the member name", col: 14}},
	{"missing comma", `["a" "b"]`, wantErr{reason: `want ',' or ']'`, col: 6}},
	{"unterminated string", `["abc`, wantErr{reason: "unterminated string", col: 2}},
	{"unterminated string with escapes", `["a\n`, wantErr{reason: "unterminated string", col: 2}},
	{"unterminated array", `[` + okJSONRule, wantErr{reason: "unexpected end of input; want ',' or ']'"}},
	{"unterminated, then a line break", "[\n" + okJSONRule + "\n", wantErr{reason: "unexpected end of input", line: 2, col: len(okJSONRule) + 1}},
	{"unterminated object", `{"CORSRules": [` + okJSONRule + `]`, wantErr{reason: "unexpected end of input; want ',' or '}'"}},
	{"invalid escape", `["\x"]`, wantErr{reason: `invalid escape \x`, col: 3}},
	{"short unicode escape", `["\u12"]`, wantErr{reason: `invalid \u escape`, col: 3}},
	{"leading zero", `[{"MaxAgeSeconds": 01}]`, wantErr{reason: "unexpected '1'; want ',' or '}'"}},
	{"plus sign", `[{"MaxAgeSeconds": +1}]`, wantErr{reason: "unexpected '+'; want a value"}},
	{"bare minus", `[{"MaxAgeSeconds": -}]`, wantErr{reason: "want a digit"}},
	{"dot without digits", `[{"MaxAgeSeconds": 1.}]`, wantErr{reason: "want a digit after '.'"}},
	{"exponent without digits", `[{"MaxAgeSeconds": 1e+}]`, wantErr{reason: "want a digit in the exponent"}},
	{"misspelt literal", `[{"ID": nul}]`, wantErr{reason: "want a value"}},
	{"literal run on", `[{"ID": nulls}]`, wantErr{reason: "unexpected 's'"}},
	{"comment", "[/* c */]", wantErr{reason: "unexpected '/'"}},
	{"unclosed after problems", `[{"Foo": 1}, {"AllowedOrigins": ["*"]`, wantErr{reason: "unexpected end of input"}},
}

func TestDecodeJSONInvalid(t *testing.T) {
	t.Parallel()
	checkInvalid(t, jsonInvalid)
}

// TestDecodeJSONOnly checks what DecodeJSON says about documents Decode
// would not give it.
func TestDecodeJSONOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want wantErr
	}{
		{"", wantErr{reason: "the document is empty", col: 1}},
		{`"x"`, wantErr{reason: `the configuration is a string, not an object {"CORSRules": [...]} or an array of rules`, col: 1}},
		{`3`, wantErr{reason: "the configuration is a number"}},
		{`null x`, wantErr{reason: "data after the end"}},
		{xmlDoc(xmlRule(okMembers)), wantErr{reason: "unexpected '<'; want a value", col: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeJSON(strings.NewReader(tc.in))
			checkMalformed(t, err, tc.want)
		})
	}
}

func TestDecodeJSONProblems(t *testing.T) {
	t.Parallel()
	in := `{
  "CORSRules": [
    {"AllowedOrigins": ["*"]},
    {"AllowedOrigins": ["*"], "ExposedHeaders": ["ETag"], "MaxAgeSeconds": "1"},
    "x",
    {"AllowedMethods": ["GET"], "AllowedMethods": []}
  ],
  "Foo": 1
}`
	_, err := Unmarshal([]byte(in))
	type problem struct {
		Reason             string
		Rule, Line, Column int
	}
	var got []problem
	for _, e := range Problems(err) {
		got = append(got, problem{e.Reason, e.Rule, e.Line, e.Column})
	}
	want := []problem{
		{"the rule has no AllowedMethods" + cliRefused + `Missing required parameter in CORSConfiguration.CORSRules[0]: "AllowedMethods"`, 1, 3, 5},
		{`unknown member "ExposedHeaders" in a rule; S3 calls it "ExposeHeaders"` + cliRefused +
			`Unknown parameter in CORSConfiguration.CORSRules[1]: "ExposedHeaders"` + mustBeMember, 2, 4, 31},
		{`MaxAgeSeconds is a string, not an integer (write it without quotes)` + cliRefused +
			`Invalid type for parameter CORSConfiguration.CORSRules[1].MaxAgeSeconds, value: 1, type: <class 'str'>, valid types: <class 'int'>`, 2, 4, 76},
		{"the rule has no AllowedMethods" + cliRefused + `Missing required parameter in CORSConfiguration.CORSRules[1]: "AllowedMethods"`, 2, 4, 5},
		{"rule 3 is a string, not an object" + cliRefused +
			`Invalid type for parameter CORSConfiguration.CORSRules[2], value: x, type: <class 'str'>, valid types: <class 'dict'>`, 3, 5, 5},
		{"the rule has no AllowedOrigins" + cliRefused + `Missing required parameter in CORSConfiguration.CORSRules[3]: "AllowedOrigins"`, 4, 6, 5},
		// The last AllowedMethods is empty, which botocore takes.
		{"the rule has no AllowedMethods", 4, 6, 5},
		{`unknown member "Foo" in the configuration` + cliRefused + `Unknown parameter in CORSConfiguration: "Foo", must be one of: CORSRules`, 0, 8, 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if first, ok := errors.AsType[*s3err.Error](err); !ok || first.Reason != want[0].Reason {
		t.Errorf("errors.As found %v, want the first problem", first)
	}
}

// TestDecodeJSONWrongTypeNotMissing checks that a required list given
// with values of the wrong type gets their problems alone: it was also
// said to be missing ("the rule has no AllowedOrigins"), which it is not,
// and which fixing the type answers. A list given empty is missing to S3.
func TestDecodeJSONWrongTypeNotMissing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []string // the start of each problem's reason
	}{
		{"console, a number", `[{"AllowedOrigins": [1], "AllowedMethods": ["GET"]}]`, []string{"AllowedOrigins[0] is a number, not a string"}},
		{"AWS CLI, a string", `{"CORSRules": [{"AllowedOrigins": "x", "AllowedMethods": ["GET"]}]}`, []string{"AllowedOrigins is a string, not an array of strings"}},
		{"AWS CLI, a number and null", `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": [2, null]}]}`, []string{"AllowedMethods[0] is a number, not a string", "AllowedMethods[1] is null, not a string"}},
		{"AWS CLI, given empty", `{"CORSRules": [{"AllowedOrigins": [], "AllowedMethods": [2]}]}`, []string{"AllowedMethods[0] is a number, not a string", "the rule has no AllowedOrigins"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Unmarshal([]byte(tc.in))
			var got []string
			for _, e := range Problems(err) {
				got = append(got, e.Reason)
			}
			ok := len(got) == len(tc.want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], tc.want[i])
			}
			if !ok {
				t.Errorf("problems:\n%s\nwant, each starting so:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestDecodeJSONProblemLimit(t *testing.T) {
	t.Parallel()
	in := consoleDoc(strings.Repeat(`"x", `, 1000) + okJSONRule)
	_, err := Unmarshal([]byte(in))
	if n := len(Problems(err)); n != maxProblems {
		t.Errorf("%d problems, want %d", n, maxProblems)
	}
}

// TestCloudFormationDocument checks that a document written for
// CloudFormation gets a hint for each of its names, the rules' included,
// which botocore does not look into: it refuses CorsRules, and the
// CORSRules it requires as missing.
func TestCloudFormationDocument(t *testing.T) {
	t.Parallel()
	_, err := Unmarshal([]byte(`{"CorsRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "Id": "a", "ExposedHeaders": ["ETag"], "MaxAge": 3}]}`))
	var hints []string
	for _, p := range Problems(err) {
		hints = append(hints, p.Reason)
	}
	want := []string{
		`unknown member "CorsRules" in the configuration; S3 calls it "CORSRules"` + cliRefused +
			`Unknown parameter in CORSConfiguration: "CorsRules", must be one of: CORSRules`,
		`unknown member "Id" in a rule; S3 calls it "ID"`,
		`unknown member "ExposedHeaders" in a rule; S3 calls it "ExposeHeaders"`,
		`unknown member "MaxAge" in a rule; S3 calls it "MaxAgeSeconds"`,
		`the configuration has no "CORSRules", as S3 spells it` + cliRefused + `Missing required parameter in CORSConfiguration: "CORSRules"`,
	}
	if !slices.Equal(hints, want) {
		t.Errorf("hints:\n%q\nwant:\n%q", hints, want)
	}
}

// TestConsoleValues checks the console's form against what the S3
// console's SDK, the AWS SDK for JavaScript v2, sends for it: each want is
// the body aws-sdk 2.1693.0 built for the rule, or, when err is set, the
// rule it refused or the MalformedXML S3 gives for what it sent.
func TestConsoleValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, members string
		want          corsrule.Rule // with AllowedOrigins ["*"] and AllowedMethods ["GET"] unless set
		err           string
	}{
		{name: "MaxAgeSeconds as a string", members: `"MaxAgeSeconds": "3000"`, want: corsrule.Rule{MaxAgeSeconds: i32(3000)}},
		{name: "MaxAgeSeconds 3000.0", members: `"MaxAgeSeconds": 3000.0`, want: corsrule.Rule{MaxAgeSeconds: i32(3000)}},
		{name: "MaxAgeSeconds 3e3", members: `"MaxAgeSeconds": 3e3`, want: corsrule.Rule{MaxAgeSeconds: i32(3000)}},
		{name: "MaxAgeSeconds 3000.5", members: `"MaxAgeSeconds": 3000.5`, want: corsrule.Rule{MaxAgeSeconds: i32(3000)}},
		{name: "MaxAgeSeconds \"3000.5\"", members: `"MaxAgeSeconds": "3000.5"`, want: corsrule.Rule{MaxAgeSeconds: i32(3000)}},
		{name: "MaxAgeSeconds -0.5", members: `"MaxAgeSeconds": -0.5`, want: corsrule.Rule{MaxAgeSeconds: i32(0)}},
		{name: "MaxAgeSeconds -2147483648.9", members: `"MaxAgeSeconds": -2147483648.9`, want: corsrule.Rule{MaxAgeSeconds: i32(-2147483648)}},
		{name: "MaxAgeSeconds 5e-7", members: `"MaxAgeSeconds": 5e-7`, want: corsrule.Rule{MaxAgeSeconds: i32(5)}},
		{name: "MaxAgeSeconds 1e21", members: `"MaxAgeSeconds": 1e21`, want: corsrule.Rule{MaxAgeSeconds: i32(1)}},
		{name: "MaxAgeSeconds \"1e+21\"", members: `"MaxAgeSeconds": "1e+21"`, want: corsrule.Rule{MaxAgeSeconds: i32(1)}},
		{name: "null in a list", members: `"AllowedOrigins": ["*", null]`, want: corsrule.Rule{AllowedOrigins: []string{"*", "null"}}},

		{name: "MaxAgeSeconds \" 3000\"", members: `"MaxAgeSeconds": " 3000"`, err: "MaxAgeSeconds is a string"},
		{name: "MaxAgeSeconds \"-0\"", members: `"MaxAgeSeconds": "-0"`, err: "MaxAgeSeconds is a string"},
		{name: "MaxAgeSeconds \"1e3\"", members: `"MaxAgeSeconds": "1e3"`, err: "MaxAgeSeconds is a string"},
		{name: "MaxAgeSeconds \"0x10\"", members: `"MaxAgeSeconds": "0x10"`, err: "MaxAgeSeconds is a string"},
		{name: "MaxAgeSeconds true", members: `"MaxAgeSeconds": true`, err: "MaxAgeSeconds is true"},
		{name: "MaxAgeSeconds \"NaN\"", members: `"MaxAgeSeconds": "NaN"`, err: `MaxAgeSeconds "NaN" is sent by the console as NaN`},
		{name: "MaxAgeSeconds \"Infinity\"", members: `"MaxAgeSeconds": "Infinity"`, err: "as NaN"},
		{name: "MaxAgeSeconds 1e400", members: `"MaxAgeSeconds": 1e400`, err: "as NaN"},
		{name: "MaxAgeSeconds 2147483648", members: `"MaxAgeSeconds": 2147483648`, err: "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := `[{"AllowedMethods": ["GET"], ` + tc.members + `}]`
			if !strings.Contains(tc.members, "AllowedOrigins") {
				in = `[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], ` + tc.members + `}]`
			}
			doc, err := Unmarshal([]byte(in))
			if tc.err != "" {
				checkMalformed(t, err, wantErr{reason: tc.err, rule: 1})
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want.AllowedOrigins == nil {
				want.AllowedOrigins = []string{"*"}
			}
			want.AllowedMethods = []string{"GET"}
			if diff := cmp.Diff([]corsrule.Rule{want}, doc.Rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}
