package xmlconfig_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// The vector tests are in package xmlconfig_test: package vectortest,
// which reads the vector files for every package, imports xmlconfig.

// TestVectorRoundTrip decodes every configuration of the vector files and
// checks that each form gives the rules back.
func TestVectorRoundTrip(t *testing.T) {
	t.Parallel()
	configs, err := vectortest.Configs()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range configs {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			doc, err := xmlconfig.Unmarshal(c.JSON)
			if len(c.Rules) == 0 {
				// cors-0016 puts an empty list, which S3 refuses.
				xmlconfig.CheckMalformed(t, err, "the configuration has no rules", 0)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Rules, doc.Rules, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decoded rules differ from encoding/json's (-want +got):\n%s", diff)
			}
			for _, f := range []xmlconfig.Format{xmlconfig.XML, xmlconfig.JSON, xmlconfig.Console} {
				xmlconfig.RoundTrip(t, f, doc.Rules)
			}
		})
	}
}

// TestPutValidationVectors runs the PutBucketCors validation cases whose
// configuration is a document. Those S3 answers with MalformedXML must
// fail here; the others must decode, keeping the value that S3's value
// checks then refuse.
func TestPutValidationVectors(t *testing.T) {
	t.Parallel()
	var suite vectortest.SuiteFile
	if err := vectortest.Load("suite-vectors.json", &suite); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range suite.PutValidation {
		// The document as written: XML, or the AWS CLI form, which
		// ValidationCase.Body would send as XML.
		var in []byte
		var text string
		switch {
		case json.Unmarshal(c.Config, &text) == nil && strings.HasPrefix(text, "<"):
			in = []byte(text)
		case strings.HasPrefix(string(c.Config), "{"):
			in = c.Config
		default:
			continue // "101 copies of a valid rule": see TestManyRules
		}
		ran++
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			doc, err := xmlconfig.Unmarshal(in)
			if c.Expect.Code == "MalformedXML" {
				xmlconfig.CheckMalformed(t, err, "", 1) // each has one rule
				if msg := xmlconfig.Problems(err)[0].Message; !strings.Contains(msg, c.Expect.MessageContains) {
					t.Errorf("Message = %q, want it to contain %q", msg, c.Expect.MessageContains)
				}
				return
			}
			if err != nil {
				t.Fatalf("decoding: %v; want success and %s from the value checks", err, c.Expect.Code)
			}
			// The value checks live in corsrule and bucket; check only
			// that the decoded values still carry the problem.
			var first error
			for i := range doc.Rules {
				if first = doc.Rules[i].Validate(); first != nil {
					break
				}
			}
			if e, ok := first.(*s3err.Error); !ok || e.Code != c.Expect.Code {
				t.Errorf("Validate of the decoded rules = %v, want %s", first, c.Expect.Code)
			}
		})
	}
	if ran != vectortest.ValidationCases-1 {
		t.Errorf("ran %d put_validation cases, want %d", ran, vectortest.ValidationCases-1)
	}
}
