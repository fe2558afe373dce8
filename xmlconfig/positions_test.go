package xmlconfig

import (
	"strings"
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

// lineBreaks are the ways a file may end its lines: "\n" (Unix), "\r\n"
// (Windows), "\r" alone (classic Mac OS), and the three in turn. Each
// ends one line: XML 1.0 (§2.11) normalizes "\r\n" and "\r" to "\n", and
// editors break lines at each, in JSON too, which reads them as space.
var lineBreaks = []struct{ name, sep string }{
	{"LF", "\n"}, {"CRLF", "\r\n"}, {"CR", "\r"}, {"mixed", "\r\n\r\n"},
}

// withBreaks returns lines joined by sep; a sep of several breaks gives
// them in turn.
func withBreaks(sep string, lines ...string) string {
	breaks := []string{sep}
	if sep == "\r\n\r\n" {
		breaks = []string{"\r", "\n", "\r\n"}
	}
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteString(breaks[i%len(breaks)])
		}
	}
	return b.String()
}

// TestPositionLineBreaks checks that positions count the lines of a file
// whose lines end in "\r" alone, or in a mix of "\r", "\n" and "\r\n", as
// those of the same file with "\n": they were all on line 1.
func TestPositionLineBreaks(t *testing.T) {
	t.Parallel()
	type at struct {
		rule  int
		field string
		index int
		want  Position
	}
	for _, tc := range []struct {
		name  string
		lines []string
		want  []at
	}{
		{"XML", []string{"<CORSConfiguration>", "<CORSRule>", "  <AllowedOrigin>https://a.example</AllowedOrigin>",
			"", "  <AllowedMethod>GET</AllowedMethod> <AllowedMethod>PUT</AllowedMethod>", "</CORSRule>", "</CORSConfiguration>", ""}, []at{
			{1, "", -1, Position{2, 1}},
			{1, "AllowedOrigin", 0, Position{3, 3}},
			{1, "AllowedMethod", 0, Position{5, 3}},
			{1, "AllowedMethod", 1, Position{5, 38}},
		}},
		{"CLI JSON", []string{`{"CORSRules": [`, ` {"AllowedOrigins": [`, `"https://a.example",`, ``, `   "https://b.example"],`,
			`  "AllowedMethods": ["GET"]}]}`}, []at{
			{1, "", -1, Position{2, 2}},
			{1, "AllowedOrigin", 0, Position{3, 1}},
			{1, "AllowedOrigin", 1, Position{5, 4}},
			{1, "AllowedMethod", 0, Position{6, 22}},
		}},
		{"console JSON", []string{`[`, `{"AllowedOrigins": ["*"],`, `"AllowedMethods": ["GET"]}]`}, []at{
			{1, "AllowedOrigin", 0, Position{2, 21}},
			{1, "AllowedMethod", 0, Position{3, 20}},
		}},
	} {
		for _, lb := range lineBreaks {
			t.Run(tc.name+"/"+lb.name, func(t *testing.T) {
				t.Parallel()
				doc, err := Unmarshal([]byte(withBreaks(lb.sep, tc.lines...)))
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
	}
}

// TestErrorPositionLineBreaks checks the positions of errors in files
// whose lines end in "\r" alone or in a mix of line breaks: those of the
// same file with "\n".
func TestErrorPositionLineBreaks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lines []string
		want  wantErr
	}{
		{"XML unknown element", []string{"<CORSConfiguration>", "<CORSRule>", "<AllowedMethod>GET</AllowedMethod>", "", "  <Bogus/>",
			"<AllowedOrigin>*</AllowedOrigin></CORSRule>", "</CORSConfiguration>"}, wantErr{reason: `unknown element "Bogus"`, line: 5, col: 3, rule: 1}},
		{"XML not well-formed", []string{"<CORSConfiguration>", "<CORSRule>", "", "  </CORSConfiguration>"},
			wantErr{reason: "element <CORSRule> closed by </CORSConfiguration>", line: 4, col: 23}},
		{"XML unclosed at the end", []string{"<CORSConfiguration>", "<CORSRule>", ""}, wantErr{reason: "unexpected EOF", line: 2, col: 11}},
		{"JSON unknown member", []string{`{"CORSRules": [`, `{"AllowedOrigins": ["*"],`, ``, `  "Bogus": 1}]}`},
			wantErr{reason: `unknown member "Bogus"`, line: 4, col: 3, rule: 1}},
		{"JSON syntax", []string{`[`, `{"AllowedOrigins": ["*"]`, `   ,,]`}, wantErr{reason: "", line: 3, col: 5}},
	} {
		for _, lb := range lineBreaks {
			t.Run(tc.name+"/"+lb.name, func(t *testing.T) {
				t.Parallel()
				_, err := Unmarshal([]byte(withBreaks(lb.sep, tc.lines...)))
				checkMalformed(t, err, tc.want)
			})
		}
	}
}
