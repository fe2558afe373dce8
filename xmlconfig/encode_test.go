package xmlconfig

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/xmlw"
)

// fullRules use every member, and a second rule with the least.
var fullRules = []corsrule.Rule{
	{
		ID:             "r1",
		AllowedOrigins: []string{"https://a.example", ""},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"*"},
		ExposeHeaders:  []string{"ETag", "x-amz-meta-a"},
		MaxAgeSeconds:  i32(3000),
	},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(0)},
}

// fullXML is fullRules as S3's GetBucketCors returns them, the rules in the
// order given (UNVERIFIED, see AppendXML).
const fullXML = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
	`<CORSRule><AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
	`<AllowedOrigin>https://a.example</AllowedOrigin><AllowedOrigin></AllowedOrigin>` +
	`<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-meta-a</ExposeHeader><ID>r1</ID><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>` +
	`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>0</MaxAgeSeconds></CORSRule>` +
	`</CORSConfiguration>`

func TestAppendXML(t *testing.T) {
	t.Parallel()
	if got := string(AppendXML([]byte(nil), fullRules)); got != fullXML {
		t.Errorf("AppendXML:\n got %s\nwant %s", got, fullXML)
	}
	if got := string(AppendXML([]byte("x"), nil)); got != "x"+xmlw.Declaration+`<CORSConfiguration `+s3xmlns+`></CORSConfiguration>` {
		t.Errorf("AppendXML(no rules) = %s", got)
	}
}

func TestAppendXMLEscapes(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{{ID: "<&>\"'", AllowedOrigins: []string{"a\r\n\tb"}, AllowedMethods: []string{"]]>"}}}
	want := `<CORSRule><AllowedMethod>]]&gt;</AllowedMethod><AllowedOrigin>a&#xD;` + "\n\tb" +
		`</AllowedOrigin><ID>&lt;&amp;&gt;"'</ID></CORSRule>`
	if got := string(AppendXML(nil, rules)); !strings.Contains(got, want) {
		t.Errorf("AppendXML = %s, want it to contain %s", got, want)
	}
	// What XML cannot carry, which no valid rule holds, cannot read back.
	bad := []corsrule.Rule{{AllowedOrigins: []string{"a\x01b\xff"}, AllowedMethods: []string{"GET"}}}
	if got, want := string(AppendXML(nil, bad)), "<AllowedOrigin>a\uFFFDb\uFFFD</AllowedOrigin>"; !strings.Contains(got, want) {
		t.Errorf("AppendXML = %s, want it to contain %s", got, want)
	}
}

// fullJSON is fullRules in the AWS CLI's form: byte for byte what
// "aws s3api get-bucket-cors" (aws-cli 1.45.11, botocore 1.43.11) printed when a
// local endpoint answered it with fullXML.
const fullJSON = `{
    "CORSRules": [
        {
            "ID": "r1",
            "AllowedHeaders": [
                "*"
            ],
            "AllowedMethods": [
                "GET",
                "PUT"
            ],
            "AllowedOrigins": [
                "https://a.example",
                ""
            ],
            "ExposeHeaders": [
                "ETag",
                "x-amz-meta-a"
            ],
            "MaxAgeSeconds": 3000
        },
        {
            "AllowedMethods": [
                "GET"
            ],
            "AllowedOrigins": [
                "*"
            ],
            "MaxAgeSeconds": 0
        }
    ]
}
`

const fullConsole = `[
    {
        "ID": "r1",
        "AllowedHeaders": [
            "*"
        ],
        "AllowedMethods": [
            "GET",
            "PUT"
        ],
        "AllowedOrigins": [
            "https://a.example",
            ""
        ],
        "ExposeHeaders": [
            "ETag",
            "x-amz-meta-a"
        ],
        "MaxAgeSeconds": 3000
    },
    {
        "AllowedMethods": [
            "GET"
        ],
        "AllowedOrigins": [
            "*"
        ],
        "MaxAgeSeconds": 0
    }
]
`

func TestAppendJSON(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(fullJSON, string(AppendJSON(nil, fullRules))); diff != "" {
		t.Errorf("AppendJSON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fullConsole, string(AppendConsole(nil, fullRules))); diff != "" {
		t.Errorf("AppendConsole (-want +got):\n%s", diff)
	}
}

func TestAppendJSONEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"no rules, CLI", AppendJSON([]byte("x"), nil), "x{\n    \"CORSRules\": []\n}\n"},
		{"no rules, console", AppendConsole(nil, []corsrule.Rule{}), "[]\n"},
		{"empty rule", AppendConsole(nil, []corsrule.Rule{{}}), "[\n    {}\n]\n"},
		{"only an ID", AppendConsole(nil, []corsrule.Rule{{ID: "i"}}), "[\n    {\n        \"ID\": \"i\"\n    }\n]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if string(tc.got) != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// TestAppendJSONString checks the escaping of the AWS CLI's
// json.dumps(ensure_ascii=False).
func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", `""`},
		{`plain`, `"plain"`},
		{`"\`, `"\"\\"`},
		{"<a & b>/", `"<a & b>/"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x01\x1f\x7f", `"\u0000\u0001\u001f` + "\x7f" + `"`},
		{"é😀\u2028\u2029\uFEFF", "\"é😀\u2028\u2029\uFEFF\""},
		{"a\xffb", "\"a\uFFFDb\""},
		{"a\x80b", "\"a\uFFFDb\""}, // the lowest byte that is not ASCII
	}
	for _, tc := range tests {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			t.Parallel()
			if got := string(appendJSONString(nil, tc.in)); got != tc.want {
				t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

// TestEncode checks each form Encode writes against the document it
// must be, written out above.
func TestEncode(t *testing.T) {
	t.Parallel()
	for f, want := range map[Format]string{XML: fullXML, JSON: fullJSON, Console: fullConsole} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Encode(&buf, f, fullRules); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, buf.String()); diff != "" {
				t.Errorf("Encode (-want +got):\n%s", diff)
			}
		})
	}
	if err := Encode(&bytes.Buffer{}, Format(0), fullRules); err == nil {
		t.Error("Encode(Format(0)) succeeded")
	}
	errWrite := errors.New("disk full")
	if err := Encode(failWriter{errWrite}, XML, fullRules); !errors.Is(err, errWrite) {
		t.Errorf("Encode to a failing writer = %v, want %v", err, errWrite)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    Format
		name string
	}{{XML, "xml"}, {JSON, "json"}, {Console, "console"}, {CLIInput, "cli-input-json"}} {
		if got := tc.f.String(); got != tc.name {
			t.Errorf("%d.String() = %q, want %q", tc.f, got, tc.name)
		}
		for _, s := range []string{tc.name, strings.ToUpper(tc.name)} {
			if f, err := ParseFormat(s); f != tc.f || err != nil {
				t.Errorf("ParseFormat(%q) = %v, %v, want %v", s, f, err, tc.f)
			}
		}
	}
	if got := Format(0).String(); got != "Format(0)" {
		t.Errorf("Format(0).String() = %q", got)
	}
	for _, s := range []string{"", "yaml", "Format(1)", "1"} {
		if _, err := ParseFormat(s); err == nil || !strings.Contains(err.Error(), "want xml, json, console or cli-input-json") {
			t.Errorf("ParseFormat(%q) error = %v", s, err)
		}
	}
}

// TestDetect checks that Detect names the form Decode reads, and that it
// does so for documents that do not decode.
func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		doc  string
		want Format
	}{
		{"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", XML},
		{`{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}`, JSON},
		{`[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]`, Console},
		{"<CORSConfiguration/>", XML},
		{"\uFEFF \r\n\t<not well-formed", XML},
		{`{"CORSRules": [}`, JSON},
		{`{"Bucket": "b", "CORSConfiguration": {"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}}`, CLIInput},
		{`{"Bucket": 1, "CORSConfiguration": [}`, CLIInput},
		{`{"Bucket": [}, "CORSConfiguration": {}}`, JSON},
		{`{"corsConfiguration": {"CORSRules": []}}`, JSON},
		{`{"CORSRules": {"CORSConfiguration": 1}}`, JSON},
		{"  [", Console},
		{"", 0},
		{"\uFEFF  ", 0},
		{"CORSRules:", 0},
	} {
		if got := Detect([]byte(tc.doc)); got != tc.want {
			t.Errorf("Detect(%q) = %v, want %v", tc.doc, got, tc.want)
		}
		if doc, err := Unmarshal([]byte(tc.doc)); err == nil && doc.Format != tc.want {
			t.Errorf("Detect(%q) = %v, but Unmarshal reads %v", tc.doc, tc.want, doc.Format)
		}
	}
}

func TestPositionString(t *testing.T) {
	t.Parallel()
	if got := (Position{3, 14}).String(); got != "3:14" {
		t.Errorf("String() = %q", got)
	}
}

// trickyRules hold every kind of value that must survive a round trip
// byte for byte.
var trickyRules = []corsrule.Rule{
	{
		ID:             "id with spaces & <tags> \"quoted\" 'single'",
		AllowedOrigins: []string{"http://a.example:80", "", " padded ", "*", "HTTP://UPPER.example", "https://bücher.example", "😀"},
		AllowedMethods: []string{"GET", "get", "", " PUT"},
		AllowedHeaders: []string{"x-AMZ-Mixed", "a\tb", "line\nbreak", "cr\rlf\r\n", "]]>", "&amp;"},
		ExposeHeaders:  []string{"ETag", "\u0085\u00a0\u2028\uFEFF", "\U0010FFFD"},
		MaxAgeSeconds:  i32(-2147483648),
	},
	{AllowedOrigins: []string{"b", "a", "b"}, AllowedMethods: []string{"DELETE", "HEAD", "POST"}, MaxAgeSeconds: i32(2147483647)},
	{ID: "x", AllowedOrigins: []string{" "}, AllowedMethods: []string{"\n"}},
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, f := range []Format{XML, JSON, Console} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			roundTrip(t, f, trickyRules)
		})
	}
}

// roundTrip checks that rules, encoded in form f, decode to themselves,
// but for the carriage returns of the AWS CLI's form, which S3 receives
// as line feeds.
func roundTrip(t *testing.T, f Format, rules []corsrule.Rule) {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, f, rules); err != nil {
		t.Fatal(err)
	}
	doc, err := Decode(&buf)
	if err != nil {
		t.Fatalf("decoding the %v encoding: %v", f, err)
	}
	if doc.Format != f {
		t.Errorf("Format = %v, want %v", doc.Format, f)
	}
	want := rules
	if f == JSON {
		want = crToLF(rules)
	}
	if diff := cmp.Diff(want, doc.Rules); diff != "" {
		t.Errorf("rules after a %v round trip (-want +got):\n%s", f, diff)
	}
}

// crToLF returns rules with each CRLF, and each CR alone, of their values
// made one LF, as S3 receives the AWS CLI's values: botocore sends a CR
// as itself, and an XML parser reads it so (XML 1.0, §2.11).
func crToLF(rules []corsrule.Rule) []corsrule.Rule {
	lf := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n") }
	lfs := func(ss []string) []string {
		var out []string
		for _, s := range ss {
			out = append(out, lf(s))
		}
		return out
	}
	out := make([]corsrule.Rule, len(rules))
	for i, r := range rules {
		out[i] = r
		out[i].ID = lf(r.ID)
		out[i].AllowedOrigins, out[i].AllowedMethods = lfs(r.AllowedOrigins), lfs(r.AllowedMethods)
		out[i].AllowedHeaders, out[i].ExposeHeaders = lfs(r.AllowedHeaders), lfs(r.ExposeHeaders)
	}
	return out
}

// TestManyRules checks that the number of rules is not the decoder's
// business: S3's limit of 100 is a value check (bucket.Validate).
func TestManyRules(t *testing.T) {
	t.Parallel()
	rules := make([]corsrule.Rule, corsrule.MaxRules+1)
	for i := range rules {
		rules[i] = okRule
	}
	for _, f := range []Format{XML, JSON, Console} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			roundTrip(t, f, rules)
		})
	}
}
