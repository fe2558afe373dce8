package xmlconfig

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// fill repeats unit after prefix as often as fits in a document of at most
// corsrule.MaxDocumentSize bytes once suffix is added, and returns the
// document and how many units it holds.
func fill(prefix string, unit func(i int) string, suffix string) (string, int) {
	var b strings.Builder
	b.WriteString(prefix)
	n := 0
	for {
		u := unit(n)
		if b.Len()+len(u)+len(suffix) > corsrule.MaxDocumentSize {
			break
		}
		b.WriteString(u)
		n++
	}
	b.WriteString(suffix)
	return b.String(), n
}

func repeat(s string) func(int) string { return func(int) string { return s } }

// hostile are documents built to make a decoder work hard. Each must fail
// with MalformedXML, quickly; the test has no timing assertion, but a
// quadratic or recursive decoder makes it crawl or crash.
func hostile(t testing.TB) []struct {
	name string
	in   string
	want wantErr
} {
	const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>`
	deepOpen, depth := fill(`<CORSConfiguration>`, repeat("<a>"), "")
	if depth < 20000 {
		t.Fatalf("only %d nested elements fit", depth)
	}
	// As deep as fits with every element closed: n * len("<a></a>").
	n := (corsrule.MaxDocumentSize - len(xmlDoc(xmlRule(okMembers)))) / 7
	deepClosed := xmlDoc(xmlRule(okMembers), strings.Repeat("<a>", n)+strings.Repeat("</a>", n))
	attrs, nattrs := fill(`<CORSConfiguration`, func(i int) string { return fmt.Sprintf(" a%d=''", i) }, `>`+xmlRule(okMembers)+`</CORSConfiguration>`)
	if nattrs < 5000 {
		t.Fatalf("only %d attributes fit", nattrs)
	}
	ruleAttrs, _ := fill(xmlDoc()[:len(xmlDoc())-len("</CORSConfiguration>")]+"<CORSRule", func(i int) string { return fmt.Sprintf(" a%d=''", i) }, ">"+okMembers+"</CORSRule></CORSConfiguration>")
	sameAttr, _ := fill(`<CORSConfiguration`, repeat(` a=''`), `>`+xmlRule(okMembers)+`</CORSConfiguration>`)
	manyRules, _ := fill(`<CORSConfiguration>`, repeat(`<CORSRule/>`), `</CORSConfiguration>`)
	deepJSON, jdepth := fill("", repeat("["), "")
	deepJSONClosed := consoleDoc(okJSONRule, strings.Repeat("[", 30000)+strings.Repeat("]", 30000))
	deepObjects, _ := fill(`{"CORSRules": [`+okJSONRule+`], "x": `, repeat(`{"a":`), "")
	if jdepth < 60000 {
		t.Fatalf("only %d levels of JSON fit", jdepth)
	}
	// Each value replaces the one before, and its problem that one's.
	dupKeys, _ := fill(`[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]`, repeat(`, "ID": 1`), `}]`)

	return []struct {
		name string
		in   string
		want wantErr
	}{
		{"billion laughs", lol + `<CORSConfiguration><CORSRule><AllowedOrigin>&lol9;</AllowedOrigin></CORSRule></CORSConfiguration>`,
			wantErr{reason: "<!DOCTYPE> is not allowed", line: 1, col: 1}},
		{"billion laughs without the DOCTYPE", xmlDoc(xmlRule(`<AllowedOrigin>&lol9;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
			wantErr{reason: "invalid character entity &lol9;"}},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			xmlDoc(xmlRule(`<AllowedOrigin>&xxe;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)), wantErr{reason: "<!DOCTYPE>", col: 22}},
		{"parameter entity", `<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.com/p.dtd"> %p;]><CORSConfiguration/>`, wantErr{reason: "<!DOCTYPE>"}},
		{fmt.Sprintf("%d open elements", depth), deepOpen, wantErr{reason: "unexpected EOF"}},
		{fmt.Sprintf("%d open elements without a root", depth), strings.Repeat("<a>", depth), wantErr{reason: "unexpected EOF"}},
		{"20000 open elements in a rule", xmlDoc(xmlRule(okMembers, strings.Repeat("<a>", 20000))), wantErr{reason: "element <a> closed by </CORSRule>"}},
		{"20000 open elements in a value", xmlDoc(xmlRule("<AllowedOrigin>" + strings.Repeat("<a>", 20000))), wantErr{reason: "element <a> closed by </CORSRule>"}},
		{fmt.Sprintf("%d closed elements", n), deepClosed, wantErr{reason: `unknown element "a" in CORSConfiguration`}},
		{fmt.Sprintf("%d attributes", nattrs), attrs, wantErr{reason: `attribute "a0" on CORSConfiguration is not allowed`, line: 1, col: 1}},
		{"as many attributes on a rule", ruleAttrs, wantErr{reason: `attribute "a0" on CORSRule`, rule: 1}},
		{"as many copies of one attribute", sameAttr, wantErr{reason: `attribute "a" appears twice`, col: 1}},
		{"as many empty rules", manyRules, wantErr{reason: "a CORSRule has no AllowedOrigin", rule: 1}},
		{"invalid UTF-8 everywhere", strings.Repeat("\xc0\x80", corsrule.MaxDocumentSize/2), wantErr{reason: "neither XML"}},
		{"invalid UTF-8 after a valid start", "<" + strings.Repeat("\xed\xa0\x80", 1000), wantErr{reason: "invalid UTF-8", col: 2}},
		{"NUL bytes", "<CORSConfiguration>" + strings.Repeat("\x00", 1000), wantErr{reason: "U+0000", col: 20}},
		{fmt.Sprintf("%d open JSON arrays", jdepth), deepJSON, wantErr{reason: "unexpected end of input"}},
		{"30000 closed JSON arrays", deepJSONClosed, wantErr{reason: "rule 2 is an array, not an object", rule: 2}},
		{"deep JSON objects in an unknown member", deepObjects, wantErr{reason: "unexpected end of input"}},
		{"deep JSON in a list", consoleDoc(`{"AllowedMethods": ["GET"], "AllowedOrigins": ` + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + `}`),
			wantErr{reason: "AllowedOrigins[0] is an array", rule: 1}},
		{"as many duplicate JSON keys", dupKeys, wantErr{reason: `ID is a number, not a string`, rule: 1}},
		{"MaxAgeSeconds 2147483648 in XML", xmlDoc(xmlRule(okMembers, "<MaxAgeSeconds>2147483648</MaxAgeSeconds>")), wantErr{reason: "out of range", rule: 1}},
		{"MaxAgeSeconds 2147483648 in JSON", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 2147483648}`), wantErr{reason: "out of range", rule: 1}},
	}
}

func TestHostile(t *testing.T) {
	t.Parallel()
	for _, tc := range hostile(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if len(tc.in) > corsrule.MaxDocumentSize {
				t.Fatalf("the input has %d bytes, more than the limit", len(tc.in))
			}
			_, err := Unmarshal([]byte(tc.in))
			checkMalformed(t, err, tc.want)
			if n := len(Problems(err)); n > maxProblems {
				t.Errorf("%d problems, more than %d", n, maxProblems)
			}
		})
	}
}

// TestManyNamespaces checks that a large number of namespace declarations,
// which are allowed, costs nothing special.
func TestManyNamespaces(t *testing.T) {
	t.Parallel()
	in, n := fill(`<CORSConfiguration `+s3xmlns, func(i int) string { return fmt.Sprintf(` xmlns:p%d="urn:%d"`, i, i) }, `>`+xmlRule(okMembers)+`</CORSConfiguration>`)
	doc, err := Unmarshal([]byte(in))
	if err != nil {
		t.Fatalf("%d namespace declarations: %v", n, err)
	}
	if len(doc.Rules) != 1 {
		t.Errorf("%d rules, want 1", len(doc.Rules))
	}
}
