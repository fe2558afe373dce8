package xmlconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
)

// TestUnmarshalPartial checks what UnmarshalPartial returns: the whole
// document with no error for one that decodes; the rules read, with the
// values refused left out, beside the error for one refused for S3's
// schema alone; and no document beside any other error (the syntax, the
// size, the size of the XML a JSON document is sent as, or more problems
// than are reported).
func TestUnmarshalPartial(t *testing.T) {
	t.Parallel()
	getRule := corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"get"}}
	patchRule := corsrule.Rule{AllowedOrigins: []string{"https://b.example"}, AllowedMethods: []string{"PATCH"}}
	okRules := []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}
	manyUnknown := strings.Repeat("<Unknown/>", maxProblems+1)
	// 4,000 origins: some 80 KB of JSON, 188 KB sent as XML.
	manyOrigins := `{"AllowedOrigins": [` + strings.Repeat(`"https://a.example", `, 3999) + `"https://a.example"], "AllowedMethods": ["GET"]`
	for _, tc := range []struct {
		name    string
		in      string
		want    []corsrule.Rule // nil: no Document
		wantErr string          // in the error's text; "": no error
	}{
		{"json unknown member", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAge": 3}`,
			`{"AllowedOrigins": ["https://b.example"], "AllowedMethods": ["PATCH"]}`), []corsrule.Rule{getRule, patchRule}, `unknown member "MaxAge"`},
		{"json value of the wrong type", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "MaxAgeSeconds": "3"}`),
			[]corsrule.Rule{getRule}, "MaxAgeSeconds is a string"},
		{"json missing member", cliDoc(`{"AllowedOrigins": ["https://b.example"]}`),
			[]corsrule.Rule{{AllowedOrigins: []string{"https://b.example"}}}, "the rule has no AllowedMethods"},
		{"json rule not an object", consoleDoc(`null`, `{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "Bogus": 1}`),
			[]corsrule.Rule{{}, getRule}, "rule 1 is null, not an object"},
		{"console", consoleDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"], "Bogus": 1}`),
			[]corsrule.Rule{getRule}, `unknown member "Bogus"`},
		{"xml unknown element", xmlDoc(xmlRule(`<AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>get</AllowedMethod><MaxAge>3</MaxAge>`)),
			[]corsrule.Rule{getRule}, `unknown element "MaxAge"`},

		{"json valid", cliDoc(okJSONRule), okRules, ""},
		{"json valid but for its values", cliDoc(`{"AllowedOrigins": ["https://a.example"], "AllowedMethods": ["get"]}`), []corsrule.Rule{getRule}, ""},
		{"xml valid", xmlDoc(xmlRule(okMembers)), okRules, ""},

		{"json syntax", `{"CORSRules": [{"AllowedOrigins": ["https://a.example"], "Bogus": 1,}]}`, nil, "MalformedXML"},
		{"json too big once sent", consoleDoc(manyOrigins + `, "Bogus": 1}`), nil, `unknown member "Bogus"`},
		{"json too big once sent, no schema problem", consoleDoc(manyOrigins + `}`), nil, "sent to S3 as XML"},
		{"xml not well-formed", xmlDoc(xmlRule(`<AllowedOrigin>https://a.example</AllowedOrigin><Bogus>`)), nil, "MalformedXML"},
		{"xml too many problems", xmlDoc(xmlRule(okMembers + manyUnknown)), nil, `unknown element "Unknown"`},
		{"neither", "hello", nil, "neither XML"},
		{"empty", "", nil, "MissingRequestBody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := UnmarshalPartial([]byte(tc.in))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v; want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v; want one with %q", err, tc.wantErr)
			}
			if tc.want == nil {
				if doc != nil {
					t.Fatalf("UnmarshalPartial returned %d rules; want no Document", len(doc.Rules))
				}
				return
			}
			if doc == nil {
				t.Fatal("UnmarshalPartial returned no Document; want the rules read")
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
