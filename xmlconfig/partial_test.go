package xmlconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
)

// TestPartial checks which documents Partial gives the rules of: those
// refused for S3's schema alone, with the values refused left out, and
// no others (a document that decodes, or one refused for its syntax, its
// size or more problems than are reported).
func TestPartial(t *testing.T) {
	t.Parallel()
	getRule := corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"get"}}
	patchRule := corsrule.Rule{AllowedOrigins: []string{"https://b.example"}, AllowedMethods: []string{"PATCH"}}
	manyUnknown := strings.Repeat("<Unknown/>", maxProblems+1)
	for _, tc := range []struct {
		name string
		in   string
		form Format
		want []corsrule.Rule // nil: Partial returns nil
	}{
		{"json unknown member", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAge": 3}`,
			`{"AllowedOrigins": ["https://b.example"], "AllowedMethods": ["PATCH"]}`), 0, []corsrule.Rule{getRule, patchRule}},
		{"json value of the wrong type", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAgeSeconds": "3"}`), 0, []corsrule.Rule{getRule}},
		{"json missing member", cliDoc(`{"AllowedOrigins": ["https://b.example"]}`), 0, []corsrule.Rule{{AllowedOrigins: []string{"https://b.example"}}}},
		{"json rule not an object", consoleDoc(`null`, `{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "Bogus": 1}`), 0, []corsrule.Rule{{}, getRule}},
		{"console", consoleDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "Bogus": 1}`), 0, []corsrule.Rule{getRule}},
		{"json read as given", consoleDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "Bogus": 1}`), JSON, []corsrule.Rule{getRule}},
		{"xml unknown element", xmlDoc(xmlRule(`<AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>get</AllowedMethod><MaxAge>3</MaxAge>`)), 0, []corsrule.Rule{getRule}},
		{"xml read as given", xmlDoc(xmlRule(`<AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>get</AllowedMethod><MaxAge>3</MaxAge>`)), XML, []corsrule.Rule{getRule}},

		{"json valid", cliDoc(okJSONRule), 0, nil},
		{"json valid but for its values", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"]}`), 0, nil},
		{"json syntax", `{"CORSRules": [{"AllowedOrigins": ["https://a.example"], "Bogus": 1,}]}`, 0, nil},
		{"xml valid", xmlDoc(xmlRule(okMembers)), 0, nil},
		{"xml not well-formed", xmlDoc(xmlRule(`<AllowedOrigin>https://a.example</AllowedOrigin><Bogus>`)), 0, nil},
		{"xml too many problems", xmlDoc(xmlRule(okMembers + manyUnknown)), 0, nil},
		{"neither", "hello", 0, nil},
		{"empty", "", 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := Partial([]byte(tc.in), tc.form)
			if tc.want == nil {
				if doc != nil {
					t.Fatalf("Partial returned %d rules; want nil", len(doc.Rules))
				}
				return
			}
			if doc == nil {
				t.Fatal("Partial returned nil; want the rules read")
			}
			if diff := cmp.Diff(tc.want, doc.Rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
			if len(doc.RulePositions) != len(doc.Rules) || len(doc.ValuePositions) != len(doc.Rules) {
				t.Errorf("%d rules, %d rule positions, %d value positions", len(doc.Rules), len(doc.RulePositions), len(doc.ValuePositions))
			}
		})
	}
}
