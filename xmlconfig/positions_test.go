package xmlconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestValuePosition locates values in each form: at the start tag of
// their element in XML, at the value in JSON; a member given twice in
// JSON at its last value, which is the one kept; the rule itself where
// the value is not there.
func TestValuePosition(t *testing.T) {
	t.Parallel()
	type at struct {
		rule  int
		field string
		index int
		want  Position
	}
	for _, tc := range []struct {
		name, in string
		want     []at
	}{
		{"XML", "<CORSConfiguration>\n <CORSRule>\n  <ID>r</ID>\n  <AllowedOrigin>https://a.example</AllowedOrigin><AllowedOrigin>https://b.example/</AllowedOrigin>\n" +
			"  <AllowedMethod>GET</AllowedMethod>\n  <MaxAgeSeconds>3000</MaxAgeSeconds>\n </CORSRule>\n <CORSRule><AllowedOrigin>*</AllowedOrigin>\n" +
			"  <AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule>\n</CORSConfiguration>", []at{
			{1, "ID", -1, Position{3, 3}},
			{1, "AllowedOrigin", 0, Position{4, 3}},
			{1, "AllowedOrigin", 1, Position{4, 51}},
			{1, "AllowedMethod", 0, Position{5, 3}},
			{1, "MaxAgeSeconds", -1, Position{6, 3}},
			{2, "AllowedOrigin", 0, Position{8, 12}},
			{2, "AllowedHeader", 0, Position{9, 37}},
			{2, "ExposeHeader", 0, Position{9, 69}},
			// A list as a whole: its first value.
			{1, "AllowedOrigin", -1, Position{4, 3}},
			{2, "ExposeHeader", -1, Position{9, 69}},
			// Not there: the rule.
			{1, "AllowedHeader", -1, Position{2, 2}},
			{2, "MaxAgeSeconds", -1, Position{8, 2}},
			{1, "AllowedOrigin", 2, Position{2, 2}},
			{1, "", -1, Position{2, 2}},
			// No such rule.
			{3, "AllowedOrigin", 0, Position{}},
			{0, "AllowedOrigin", 0, Position{}},
		}},
		{"CLI JSON", "{\"CORSRules\": [\n {\"ID\": \"r\",\n  \"AllowedOrigins\": [\"https://a.example\", \"https://b.example/\"],\n  \"AllowedMethods\": [\"GET\"],\n" +
			"  \"AllowedOrigins\": [\"https://c.example\",\n    \"https://d.example/\"],\n  \"MaxAgeSeconds\": 3000}]}", []at{
			{1, "ID", -1, Position{2, 9}},
			// The second AllowedOrigins is the one kept.
			{1, "AllowedOrigin", 0, Position{5, 22}},
			{1, "AllowedOrigin", 1, Position{6, 5}},
			{1, "AllowedMethod", 0, Position{4, 22}},
			{1, "MaxAgeSeconds", -1, Position{7, 20}},
			{1, "ExposeHeader", 0, Position{2, 2}},
			{1, "ExposeHeader", -1, Position{2, 2}},
			{1, "AllowedMethod", -1, Position{4, 22}},
		}},
		{"console JSON", "[{\"AllowedOrigins\": [\"*\"], \"AllowedMethods\": [\"GET\", null],\n  \"MaxAgeSeconds\": \"60\"}]", []at{
			{1, "AllowedOrigin", 0, Position{1, 22}},
			{1, "AllowedMethod", 1, Position{1, 54}},
			{1, "MaxAgeSeconds", -1, Position{2, 20}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tc.want {
				if got := doc.ValuePosition(a.rule, a.field, a.index); got != a.want {
					t.Errorf("ValuePosition(%d, %q, %d) = %v, want %v", a.rule, a.field, a.index, got, a.want)
				}
			}
		})
	}
	// A Document made by hand has no value positions: the rule's.
	doc := &Document{RulePositions: []Position{{4, 5}}}
	if diff := cmp.Diff(Position{4, 5}, doc.ValuePosition(1, "AllowedOrigin", 0)); diff != "" {
		t.Errorf("ValuePosition of a Document without value positions (-want +got):\n%s", diff)
	}
}

// TestValuePositionNilDocument checks that the nil Document a decoder
// returns with its error has no rule, and so answers the zero Position
// rather than panicking: a caller that locates each of Problems(err) with
// the Document beside it gets one whether or not decoding succeeded.
func TestValuePositionNilDocument(t *testing.T) {
	t.Parallel()
	doc, err := Unmarshal([]byte(`<CORSConfiguration><CORSRule><AllowedOrigin>o</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Bad/></CORSRule></CORSConfiguration>`))
	if err == nil || doc != nil {
		t.Fatalf("Unmarshal = %v, %v; want nil and an error", doc, err)
	}
	for _, e := range Problems(err) {
		if got := doc.ValuePosition(e.Rule, e.Field, e.Index); got != (Position{}) {
			t.Errorf("nil Document: ValuePosition(%d, %q, %d) = %v, want the zero Position", e.Rule, e.Field, e.Index, got)
		}
	}
}
