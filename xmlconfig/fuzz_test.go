package xmlconfig_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// FuzzDecode checks that decoding never panics, that every failure is a
// located MalformedXML, and that whatever decodes survives a round trip
// through each form, but for the carriage returns of the AWS CLI's form,
// which S3 receives as line feeds. It is in package xmlconfig_test so that the vector
// files seed it through package vectortest, which imports xmlconfig.
func FuzzDecode(f *testing.F) {
	configs, err := vectortest.Configs()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range configs {
		f.Add(c.JSON)
		for _, form := range []xmlconfig.Format{xmlconfig.XML, xmlconfig.JSON, xmlconfig.Console} {
			f.Add(appendForm(nil, form, c.Rules))
		}
	}
	var suite vectortest.SuiteFile
	if err := vectortest.Load("suite-vectors.json", &suite); err != nil {
		f.Fatal(err)
	}
	for _, c := range suite.PutValidation {
		var s string
		if json.Unmarshal(c.Config, &s) == nil {
			f.Add([]byte(s))
		} else {
			f.Add([]byte(c.Config))
		}
	}
	for _, seed := range xmlconfig.SeedDocuments() {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, in []byte) {
		doc, err := xmlconfig.Unmarshal(in)
		if err != nil {
			checkFuzzError(t, in, err)
			return
		}
		if len(doc.Rules) == 0 || len(doc.RulePositions) != len(doc.Rules) {
			t.Fatalf("%d rules at %d positions", len(doc.Rules), len(doc.RulePositions))
		}
		if c, _ := xmlconfig.FirstByte(in); formatOf(c) != doc.Format && (c != '{' || doc.Format != xmlconfig.CLIInput) {
			t.Fatalf("xmlconfig.Format = %v for a document starting with %q", doc.Format, c)
		}
		for i, r := range doc.Rules {
			if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 {
				t.Fatalf("rule %d lacks a required member: %+v", i+1, r)
			}
			for _, v := range append(append(append(append([]string{r.ID}, r.AllowedOrigins...), r.AllowedMethods...), r.AllowedHeaders...), r.ExposeHeaders...) {
				if !xmlw.IsText(v) {
					t.Fatalf("rule %d holds %q, which xmlconfig.XML cannot carry", i+1, v)
				}
			}
		}
		for _, form := range []xmlconfig.Format{xmlconfig.XML, xmlconfig.JSON, xmlconfig.Console} {
			b := appendForm(nil, form, doc.Rules)
			if len(b) > corsrule.MaxDocumentSize {
				continue // escaping and indentation can grow a document past the limit
			}
			again, err := xmlconfig.Unmarshal(b)
			if err != nil {
				t.Fatalf("decoding the %v encoding: %v\n%s", form, err, b)
			}
			if again.Format != form {
				t.Fatalf("the %v encoding decodes as %v", form, again.Format)
			}
			want := doc.Rules
			if form == xmlconfig.JSON {
				want = xmlconfig.CRToLF(want)
			}
			if diff := cmp.Diff(want, again.Rules); diff != "" {
				t.Fatalf("%v round trip (-first +second):\n%s", form, diff)
			}
		}
	})
}

func checkFuzzError(t *testing.T, in []byte, err error) {
	ps := xmlconfig.Problems(err)
	if len(ps) == 0 {
		t.Fatalf("error %v (%T) holds no S3 error", err, err)
	}
	if len(in) == 0 {
		// TestEmptyDocument checks the one answer to no bytes.
		if len(ps) != 1 || ps[0].Code != "MissingRequestBodyError" {
			t.Fatalf("%d problems, the first %+v, for no bytes", len(ps), ps[0])
		}
		return
	}
	if e := ps[0]; e.Code == "MaxMessageLengthExceeded" {
		// xmlconfig.XML over the limit, or xmlconfig.JSON whose xmlconfig.XML would be: one error.
		c, _ := xmlconfig.FirstByte(in)
		if len(ps) != 1 || c != '{' && c != '[' && len(in) <= corsrule.MaxDocumentSize {
			t.Fatalf("%d problems, the first %+v, for a %d-byte input", len(ps), e, len(in))
		}
		return
	}
	if first, ok := errors.AsType[*s3err.Error](err); !ok || first != ps[0] {
		t.Fatalf("errors.As finds %v, not the first problem %v", first, ps[0])
	}
	if len(ps) > xmlconfig.MaxProblems {
		t.Fatalf("%d problems", len(ps))
	}
	// A line ends at "\n", "\r\n" or "\r" alone.
	lines := strings.Count(string(in), "\n") + strings.Count(string(in), "\r") - strings.Count(string(in), "\r\n") + 1
	for _, e := range ps {
		if e.Code != "MalformedXML" || e.Message != s3err.MalformedXML("").Message || e.Reason == "" {
			t.Fatalf("problem %+v", e)
		}
		if e.Line < 1 || e.Line > lines || e.Column < 1 || e.Column > len(in)+1 || e.Rule < 0 {
			t.Fatalf("problem %q at line %d, column %d, rule %d of a %d-line input", e.Reason, e.Line, e.Column, e.Rule, lines)
		}
	}
}

func appendForm(b []byte, f xmlconfig.Format, rules []corsrule.Rule) []byte {
	switch f {
	case xmlconfig.XML:
		return xmlconfig.AppendXML(b, rules)
	case xmlconfig.JSON:
		return xmlconfig.AppendJSON(b, rules)
	}
	return xmlconfig.AppendConsole(b, rules)
}

func formatOf(c byte) xmlconfig.Format { // JSON for '{', which may be CLIInput
	switch c {
	case '<':
		return xmlconfig.XML
	case '{':
		return xmlconfig.JSON
	case '[':
		return xmlconfig.Console
	}
	return 0
}
