package corsrule_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

func rule(origins, methods []string) corsrule.Rule {
	return corsrule.Rule{AllowedOrigins: origins, AllowedMethods: methods}
}

// TestValidate covers spec §2, one row per check, with S3's exact code and
// message.
func TestValidate(t *testing.T) {
	t.Parallel()
	valid := func(mod func(r *corsrule.Rule)) corsrule.Rule {
		r := rule([]string{"https://a.example"}, []string{"GET"})
		mod(&r)
		return r
	}
	tests := []struct {
		name    string
		rule    corsrule.Rule
		code    string // "" means valid
		message string
	}{
		{"minimal", valid(func(*corsrule.Rule) {}), "", ""},
		{"every method", valid(func(r *corsrule.Rule) { r.AllowedMethods = []string{"GET", "PUT", "HEAD", "POST", "DELETE"} }), "", ""},
		{"empty origin is accepted", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{""} }), "", ""},
		{"origins need not be URLs", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{"localhost", "*.put", "start*end", "*"} }), "", ""},
		{"* beside other origins", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{"*", "https://test.com"} }), "", ""},
		{"header globs and case", valid(func(r *corsrule.Rule) { r.AllowedHeaders = []string{"*", "x-amz-*", "x-AMZ-server-SIDE-encryption"} }), "", ""},
		{"negative MaxAgeSeconds is accepted (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.MaxAgeSeconds = new(int32(-200)) }), "", ""},
		{"ID of 255 characters", valid(func(r *corsrule.Rule) { r.ID = strings.Repeat("é", 255) }), "", ""},
		{"ID of 255 characters outside the BMP (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.ID = strings.Repeat("\U0001F600", 255) }), "", ""},

		{"no AllowedOrigin", rule(nil, []string{"GET"}), "MalformedXML",
			"The XML you provided was not well-formed or did not validate against our published schema"},
		{"no AllowedMethod", rule([]string{"o"}, nil), "MalformedXML",
			"The XML you provided was not well-formed or did not validate against our published schema"},
		{"empty rule", corsrule.Rule{}, "MalformedXML",
			"The XML you provided was not well-formed or did not validate against our published schema"},
		{"control character cannot be carried by XML", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{"a\x01"} }), "MalformedXML",
			"The XML you provided was not well-formed or did not validate against our published schema"},
		{"unsupported method", valid(func(r *corsrule.Rule) { r.AllowedMethods = []string{"GET", "MYMETHOD"} }), "InvalidRequest",
			"Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"},
		{"first offending method", valid(func(r *corsrule.Rule) { r.AllowedMethods = []string{"put", "get"} }), "InvalidRequest",
			"Found unsupported HTTP method in CORS config. Unsupported method is put"},
		{"empty method", valid(func(r *corsrule.Rule) { r.AllowedMethods = []string{""} }), "InvalidRequest",
			"Found unsupported HTTP method in CORS config. Unsupported method is "},
		{"OPTIONS", valid(func(r *corsrule.Rule) { r.AllowedMethods = []string{"OPTIONS"} }), "InvalidRequest",
			"Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS"},
		{"two wildcards in an origin", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{"*example*.com"} }), "InvalidRequest",
			`AllowedOrigin "*example*.com" can not have more than one wildcard.`},
		{"the value is quoted as it is (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.AllowedOrigins = []string{`*a"\b*`} }), "InvalidRequest",
			`AllowedOrigin "*a"\b*" can not have more than one wildcard.`},
		{"two wildcards in a header", valid(func(r *corsrule.Rule) { r.AllowedHeaders = []string{"*-amz-*"} }), "InvalidRequest",
			`AllowedHeader "*-amz-*" can not have more than one wildcard.`},
		{"wildcard in ExposeHeader", valid(func(r *corsrule.Rule) { r.ExposeHeaders = []string{"ETag", "x-amz-meta-*"} }), "InvalidRequest",
			`ExposeHeader "x-amz-meta-*" contains wildcard. We currently do not support wildcard for ExposeHeader.`},
		{"bare * ExposeHeader", valid(func(r *corsrule.Rule) { r.ExposeHeaders = []string{"*"} }), "InvalidRequest",
			`ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.`},
		{"invalid AllowedHeader character (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.AllowedHeaders = []string{"X-Custom:Header"} }), "InvalidRequest",
			`AllowedHeader "X-Custom:Header" contains invalid character.`},
		{"invalid ExposeHeader character (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.ExposeHeaders = []string{"invalid header"} }), "InvalidRequest",
			`ExposeHeader "invalid header" contains invalid character.`},
		{"ID over 255 characters (UNVERIFIED)", valid(func(r *corsrule.Rule) { r.ID = strings.Repeat("i", 256) }), "InvalidArgument",
			"ID length should not exceed allowed limit of 255"},
		{"empty AllowedHeader and ExposeHeader are accepted (UNVERIFIED)", valid(func(r *corsrule.Rule) {
			r.AllowedHeaders = []string{""}
			r.ExposeHeaders = []string{""}
		}), "", ""},
		{"methods are checked before origins", valid(func(r *corsrule.Rule) {
			r.AllowedOrigins = []string{"**"}
			r.AllowedMethods = []string{"PATCH"}
		}), "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.rule.Validate()
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate() = %v, want a *s3err.Error", err)
			}
			if e.Code != tc.code || e.Message != tc.message || e.StatusCode != 400 {
				t.Errorf("Validate() = %d %s %q, want 400 %s %q", e.StatusCode, e.Code, e.Message, tc.code, tc.message)
			}
		})
	}
}

// TestIDTooLongArguments checks the elements the ID's error carries, as
// S3's InvalidArgument for a lifecycle rule's ID does (UNVERIFIED for
// CORS: see corsrule's idTooLong).
func TestIDTooLongArguments(t *testing.T) {
	t.Parallel()
	id := strings.Repeat("i", 256)
	var e *s3err.Error
	r := rule([]string{"o"}, []string{"GET"})
	r.ID = id
	if err := r.Validate(); !errors.As(err, &e) {
		t.Fatalf("Validate() = %v, want a *s3err.Error", err)
	}
	want := []s3err.Detail{{Name: "ArgumentName", Value: "ID"}, {Name: "ArgumentValue", Value: id}}
	if diff := cmp.Diff(want, e.Details); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}

func TestProblemsOrder(t *testing.T) {
	t.Parallel()
	r := corsrule.Rule{
		ID:             strings.Repeat("x", 300),
		AllowedOrigins: []string{"a**"},
		AllowedMethods: []string{"get", "GET", "PATCH"},
		AllowedHeaders: []string{"a b", "**"},
		ExposeHeaders:  []string{"*", "(x)"},
	}
	var got []string
	for _, p := range r.Problems() {
		got = append(got, fmt.Sprintf("%s[%d] %s: %s", p.Field, p.Index, p.Code, p.Message))
	}
	want := []string{
		"AllowedMethod[0] InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is get",
		"AllowedMethod[2] InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
		`AllowedOrigin[0] InvalidRequest: AllowedOrigin "a**" can not have more than one wildcard.`,
		"ID[0] InvalidArgument: ID length should not exceed allowed limit of 255",
		`AllowedHeader[0] InvalidRequest: AllowedHeader "a b" contains invalid character.`,
		`AllowedHeader[1] InvalidRequest: AllowedHeader "**" can not have more than one wildcard.`,
		`ExposeHeader[0] InvalidRequest: ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.`,
		`ExposeHeader[1] InvalidRequest: ExposeHeader "(x)" contains invalid character.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Problems() mismatch (-want +got):\n%s", diff)
	}
	if e := r.Problems()[0]; e.Reason != "methods are case-sensitive: write GET" {
		t.Errorf("Reason = %q", e.Reason)
	}
}

// TestSchemaProblemsLocated checks where the schema's problems point: a
// missing member at the rule as a whole (Field ""), a character XML
// cannot carry at its value.
func TestSchemaProblemsLocated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule corsrule.Rule
		want []string
	}{
		{"no origin", corsrule.Rule{AllowedMethods: []string{"GET"}}, []string{"[0] a CORSRule has no AllowedOrigin"}},
		{"no method", corsrule.Rule{AllowedOrigins: []string{"*"}}, []string{"[0] a CORSRule has no AllowedMethod"}},
		// Every problem is reported, each missing member as well as what
		// follows it (spec §2 V3: either alone is MalformedXML).
		{"empty rule", corsrule.Rule{}, []string{"[0] a CORSRule has no AllowedOrigin", "[0] a CORSRule has no AllowedMethod"}},
		{"no method and a control character", corsrule.Rule{ID: "a\x01", AllowedOrigins: []string{"*"}}, []string{
			"[0] a CORSRule has no AllowedMethod",
			`ID[0] ID "a\x01" holds a character XML cannot carry`,
		}},
		{"control character", corsrule.Rule{ID: "a\x01", AllowedOrigins: []string{"*", "b\x02"}, AllowedMethods: []string{"GET"},
			ExposeHeaders: []string{"ETag", "x", "c\x03"}}, []string{
			`ID[0] ID "a\x01" holds a character XML cannot carry`,
			`AllowedOrigin[1] AllowedOrigin "b\x02" holds a character XML cannot carry`,
			`ExposeHeader[2] ExposeHeader "c\x03" holds a character XML cannot carry`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range tc.rule.Problems() {
				if p.Code == "MalformedXML" {
					got = append(got, fmt.Sprintf("%s[%d] %s", p.Field, p.Index, p.Reason))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("MalformedXML problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMethodReason checks the hint that comes with an unsupported method,
// which names the slip when the value is one of S3's methods but for case
// or white space, or is empty.
//
// UNVERIFIED: that S3 compares the text of AllowedMethod untrimmed, as it
// does its case (spec §2 V4, "not exactly one of"), is not recorded; the
// decoders keep values verbatim. So is S3's whole message for an empty
// method (V5); the hint does not depend on it.
func TestMethodReason(t *testing.T) {
	t.Parallel()
	const options = "leave OPTIONS out: S3 answers the browser's OPTIONS preflight itself, for the methods a rule lists; " +
		"S3 allows only GET, PUT, HEAD, POST and DELETE"
	for _, tc := range []struct{ method, want string }{
		{"get", "methods are case-sensitive: write GET"},
		{"Delete", "methods are case-sensitive: write DELETE"},
		{"\n     GET\n   ", "the value has white space around GET, and S3 does not trim it: write GET alone"},
		{" PUT", "the value has white space around PUT, and S3 does not trim it: write PUT alone"},
		{"HEAD\t", "the value has white space around HEAD, and S3 does not trim it: write HEAD alone"},
		{"\r\n post\r\n", "the value has white space around post, and S3 does not trim it; methods are case-sensitive too: write POST alone"},
		{"", "the method is empty; S3 allows only GET, PUT, HEAD, POST and DELETE"},
		{" \n\t", "the method is only white space; S3 allows only GET, PUT, HEAD, POST and DELETE"},
		{"G ET", "S3 allows only GET, PUT, HEAD, POST and DELETE"},
		{"OPTIONS", options},
		{" options ", options},
		{"PATCH", "S3 allows only GET, PUT, HEAD, POST and DELETE"},
	} {
		t.Run(strconv.Quote(tc.method), func(t *testing.T) {
			t.Parallel()
			r := rule([]string{"*"}, []string{"GET", tc.method})
			ps := r.Problems()
			if len(ps) != 1 {
				t.Fatalf("Problems() = %v, want one", ps)
			}
			if want := "Found unsupported HTTP method in CORS config. Unsupported method is " + tc.method; ps[0].Message != want {
				t.Errorf("Message = %q, want %q", ps[0].Message, want)
			}
			if ps[0].Reason != tc.want {
				t.Errorf("Reason = %q, want %q", ps[0].Reason, tc.want)
			}
		})
	}
}

func TestPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		header  bool
		in      string
		want    bool
	}{
		// spec §3.2 (b), ceph and scality cases
		{"*suffix", false, "foo.suffix", true},
		{"*suffix", false, "foo.suffix.get", false},
		{"start*end", false, "startend", true},
		{"start*end", false, "start1end", true},
		{"start*end", false, "start12end", true},
		{"start*end", false, "0start12end", false},
		{"prefix*", false, "prefix", true},
		{"prefix*", false, "prefix.suffix", true},
		{"prefix*", false, "bla.prefix", false},
		{"*.allowedorigin.com", false, ".allowedorigin.com", true},
		{"*.allowedorigin.com", false, "test.allowedorigin.com", true},
		{"*.allowedorigin.com", false, ".allowedorigin.comtest", false},
		{"http://*.origin.com", false, "http://test.origin.com", true},   // [REC] 2024-02-29
		{"http://*.origin.com", false, "http://test.origin.com/", false}, // [REC] options_fails_partial_origin
		{"http://www.allowedorigin.*", false, "http://www.allowedorigin.", true},
		{"http://www.allowedorigin.*", false, "testhttp://www.allowedorigin.", false},
		{"ab*ba", false, "aba", false}, // prefix and suffix must not overlap
		{"*", false, "", true},
		{"*", false, "anything at all", true},
		{"http://a.example", false, "http://a.example", true},
		{"http://a.example", false, "http://A.example", false}, // UNVERIFIED: origins match case-sensitively (OriginPattern)
		{"http://*.example", false, "http://a.EXAMPLE", false},
		{"http://*", false, "http://a.example:8080/p", true}, // UNVERIFIED: "*" spans ":" and "/" (Pattern)
		{"", false, "", true},
		{"", false, "x", false},
		// headers ignore ASCII case, on both sides
		{"x-AMZ-server-SIDE-encryption", true, "x-amz-server-side-encryption", true},
		{"x-amz-expected-bucket-owner", true, "x-AMZ-expected-BUCKET-owner", true},
		{"amz-*", true, "AMZ-meta", true},
		{"x-amz-*", true, "x-amz", false},
		{"Content-*", true, "content-", true},
		{"k", true, "\u212a", false}, // the Kelvin sign folds to k in Unicode, not in ASCII
		// only the first "*" is a wildcard; later ones are literal
		{"a*b*c", false, "a-b*c", true},
		{"a*b*c", false, "a-b-c", false},
	}
	for _, tc := range tests {
		kind := "origin"
		if tc.header {
			kind = "header"
		}
		t.Run(kind+" "+tc.pattern+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			p := corsrule.OriginPattern(tc.pattern)
			if tc.header {
				p = corsrule.HeaderPattern(tc.pattern)
			}
			if got := p.Match(tc.in); got != tc.want {
				t.Errorf("%q.Match(%q) = %v, want %v", tc.pattern, tc.in, got, tc.want)
			}
		})
	}
}

func TestPatternAccessors(t *testing.T) {
	t.Parallel()
	if p := corsrule.HeaderPattern("X-Amz-*"); !p.IsWildcard() || p.IsAny() || p.String() != "x-amz-*" {
		t.Errorf("HeaderPattern(X-Amz-*) = %v wildcard=%v any=%v", p, p.IsWildcard(), p.IsAny())
	}
	if lit, ok := corsrule.HeaderPattern("Content-Type").Literal(); !ok || lit != "content-type" {
		t.Errorf("Literal() = %q, %v", lit, ok)
	}
	if !corsrule.OriginPattern("*").IsAny() {
		t.Error("OriginPattern(*).IsAny() = false")
	}
}

func TestClone(t *testing.T) {
	t.Parallel()
	r := corsrule.Rule{ID: "a", AllowedOrigins: []string{"o"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"h"}, ExposeHeaders: []string{"e"}, MaxAgeSeconds: new(int32(1))}
	c := r.Clone()
	if diff := cmp.Diff(r, c); diff != "" {
		t.Fatalf("Clone differs:\n%s", diff)
	}
	c.AllowedOrigins[0], c.AllowedHeaders[0], c.ExposeHeaders[0], c.AllowedMethods[0] = "x", "x", "x", "x"
	*c.MaxAgeSeconds = 2
	if r.AllowedOrigins[0] != "o" || r.AllowedHeaders[0] != "h" || r.ExposeHeaders[0] != "e" || r.AllowedMethods[0] != "GET" || *r.MaxAgeSeconds != 1 {
		t.Errorf("Clone shares memory with the original: %+v", r)
	}
}

// TestValidateValue checks that a Rule, plain data, is validated where it
// is not addressable: a composite literal, a map's value.
func TestValidateValue(t *testing.T) {
	t.Parallel()
	if err := (corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}).Validate(); err != nil {
		t.Errorf("Validate of a literal = %v, want nil", err)
	}
	rules := map[string]corsrule.Rule{"bad": {AllowedOrigins: []string{"*"}, AllowedMethods: []string{"get"}}}
	if got := rules["bad"].Problems(); len(got) != 1 || got[0].Code != "InvalidRequest" {
		t.Errorf("Problems of a map value = %v, want one InvalidRequest", got)
	}
}
