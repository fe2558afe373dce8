package xmlconfig

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

const vectorsDir = "../testdata/vectors/"

// suiteVectors is the part of suite-vectors.json these tests read.
type suiteVectors struct {
	Cases []struct {
		Name   string          `json:"name"`
		Config json.RawMessage `json:"config"`
	} `json:"cases"`
	PutValidation []struct {
		Name   string          `json:"name"`
		Config json.RawMessage `json:"config"`
		Expect struct {
			Code            string `json:"code"`
			MessageContains string `json:"message_contains"`
		} `json:"expect"`
	} `json:"put_validation"`
}

func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(vectorsDir + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// vectorConfig is one configuration found in the vector files, as
// encoding/json reads it: an independent decoder to compare with.
type vectorConfig struct {
	name  string
	json  []byte // the rules in the AWS CLI form
	rules []corsrule.Rule
}

// vectorConfigs returns every list of rules in suite-vectors.json (the
// cases' configurations) and s3vectors-cors.json (the PutBucketCors
// steps).
func vectorConfigs(t testing.TB) []vectorConfig {
	var configs []vectorConfig
	add := func(name string, raw json.RawMessage) {
		var rules []corsrule.Rule
		if err := json.Unmarshal(raw, &rules); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		configs = append(configs, vectorConfig{name, []byte(`{"CORSRules": ` + string(raw) + `}`), rules})
	}

	var suite suiteVectors
	loadJSON(t, "suite-vectors.json", &suite)
	for _, c := range suite.Cases {
		if string(c.Config) != "null" {
			add("suite/"+c.Name, c.Config)
		}
	}

	var s3v struct {
		Vectors []struct {
			ID    string `json:"id"`
			Steps []struct {
				Operation *struct {
					Name   string `json:"name"`
					Params struct {
						CORSConfiguration struct {
							CORSRules json.RawMessage `json:"CORSRules"`
						} `json:"CORSConfiguration"`
					} `json:"params"`
				} `json:"$operation"`
			} `json:"steps"`
		} `json:"vectors"`
	}
	loadJSON(t, "s3vectors-cors.json", &s3v)
	for _, v := range s3v.Vectors {
		for i, s := range v.Steps {
			if s.Operation != nil && s.Operation.Name == "PutBucketCors" {
				add(fmt.Sprintf("s3vectors/%s/step%d", v.ID, i), s.Operation.Params.CORSConfiguration.CORSRules)
			}
		}
	}
	if len(configs) < 90 {
		t.Fatalf("found %d configurations, want the vector files' 90 or more", len(configs))
	}
	return configs
}

// TestVectorRoundTrip decodes every configuration of the vector files and
// checks that each form gives the rules back.
func TestVectorRoundTrip(t *testing.T) {
	for _, c := range vectorConfigs(t) {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Unmarshal(c.json)
			if len(c.rules) == 0 {
				// cors-0016 puts an empty list, which S3 refuses.
				checkMalformed(t, err, wantErr{reason: "the configuration has no rules"})
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.rules, doc.Rules, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decoded rules differ from encoding/json's (-want +got):\n%s", diff)
			}
			for _, f := range []Format{XML, JSON, Console} {
				roundTrip(t, f, doc.Rules)
			}
		})
	}
}

// TestPutValidationVectors runs the PutBucketCors validation cases whose
// configuration is a document. Those S3 answers with MalformedXML must
// fail here; the others must decode, keeping the value that S3's value
// checks then refuse.
func TestPutValidationVectors(t *testing.T) {
	var suite suiteVectors
	loadJSON(t, "suite-vectors.json", &suite)
	ran := 0
	for _, c := range suite.PutValidation {
		var in []byte
		var s string
		switch {
		case json.Unmarshal(c.Config, &s) == nil && strings.HasPrefix(s, "<"):
			in = []byte(s)
		case strings.HasPrefix(string(c.Config), "{"):
			in = c.Config
		default:
			continue // "101 copies of a valid rule": see TestManyRules
		}
		ran++
		t.Run(c.Name, func(t *testing.T) {
			doc, err := Unmarshal(in)
			if c.Expect.Code == "MalformedXML" {
				checkMalformed(t, err, wantErr{rule: 1}) // each has one rule
				if msg := Problems(err)[0].Message; !strings.Contains(msg, c.Expect.MessageContains) {
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
	if ran != 7 {
		t.Errorf("ran %d put_validation cases, want 7", ran)
	}
}

// TestManyRules checks that the number of rules is not the decoder's
// business: S3's limit of 100 is a value check (bucket.Validate).
func TestManyRules(t *testing.T) {
	rules := make([]corsrule.Rule, corsrule.MaxRules+1)
	for i := range rules {
		rules[i] = okRule
	}
	for _, f := range []Format{XML, JSON, Console} {
		t.Run(f.String(), func(t *testing.T) {
			roundTrip(t, f, rules)
		})
	}
}
