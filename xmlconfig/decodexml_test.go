package xmlconfig

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// xmlValid are XML documents S3 accepts, with the rules they hold.
var xmlValid = []struct {
	name string
	in   string
	want []corsrule.Rule
}{
	{
		// botocore 1.43.11 output: no declaration, S3's namespace, members
		// in the caller's order (spec §1.1).
		name: "botocore body",
		in: `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>` +
			`<AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>` +
			`<MaxAgeSeconds>3000</MaxAgeSeconds><ID>r1</ID></CORSRule></CORSConfiguration>`,
		want: []corsrule.Rule{{ID: "r1", AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(3000)}},
	},
	{
		name: "SDK alphabetical order with declaration",
		in: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + xmlDoc(xmlRule(
			`<AllowedHeader>*</AllowedHeader><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>`,
			`<AllowedOrigin>b</AllowedOrigin><AllowedOrigin>a</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>`,
			`<ID>x</ID><MaxAgeSeconds>10</MaxAgeSeconds>`)),
		want: []corsrule.Rule{{ID: "x", AllowedHeaders: []string{"*"}, AllowedMethods: []string{"PUT", "GET"},
			AllowedOrigins: []string{"b", "a"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: i32(10)}},
	},
	{
		// S3 answered 200 to a body declared encoding="US-ASCII" (a raw
		// capture of CreateBucket, minio/minio#6953, 2018). A document
		// of ASCII bytes reads the same in UTF-8 and in any encoding
		// that extends ASCII, whichever S3 reads it in.
		// UNVERIFIED for PutBucketCors itself.
		name: "ASCII document declared US-ASCII",
		in:   `<?xml version="1.0" encoding="US-ASCII"?>` + "\n" + xmlDoc(xmlRule(okMembers)),
		want: []corsrule.Rule{okRule},
	},
	{
		// What Python's ElementTree.write(xml_declaration=True) writes
		// by default, with any other character as a reference.
		name: "ASCII document declared us-ascii, a character reference",
		in: `<?xml version='1.0' encoding='us-ascii'?>` + "\n" + xmlDoc(xmlRule(
			`<AllowedOrigin>https://b&#252;cher.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{"https://bücher.example"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "ASCII document declared ISO-8859-1",
		in:   `<?xml version="1.0" encoding="ISO-8859-1"?>` + xmlDoc(xmlRule(okMembers)),
		want: []corsrule.Rule{okRule},
	},
	{
		name: "ASCII document declared windows-1252",
		in:   `<?xml version="1.0" encoding="windows-1252"?>` + xmlDoc(xmlRule(okMembers)),
		want: []corsrule.Rule{okRule},
	},
	{
		name: "declaration with every pseudo-attribute, single quotes and spaces",
		in:   "<?xml version = '1.0'\tencoding='utf-8' standalone=\"yes\" ?>" + xmlDoc(xmlRule(okMembers)),
		want: []corsrule.Rule{okRule},
	},
	{
		name: "attributes apart by a newline",
		in: `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"` + "\n" +
			`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		want: []corsrule.Rule{okRule},
	},
	{
		name: "prefixes declared where they are used, xml's as itself",
		in: `<CORSConfiguration ` + s3xmlns + ` xmlns:xml="http://www.w3.org/XML/1998/namespace"><s3:CORSRule xmlns:s3="` + S3Namespace + `">` +
			okMembers + `</s3:CORSRule><CORSRule xmlns:p="urn:p"><AllowedOrigin>*</AllowedOrigin>` +
			`<p:AllowedMethod xmlns:p="` + S3Namespace + `">GET</p:AllowedMethod></CORSRule></CORSConfiguration>`,
		want: []corsrule.Rule{okRule, okRule},
	},
	{
		name: "no namespace",
		in:   `<CORSConfiguration>` + xmlRule(okMembers) + `</CORSConfiguration>`,
		want: []corsrule.Rule{okRule},
	},
	{
		name: "empty default namespace",
		in:   `<CORSConfiguration xmlns="">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		want: []corsrule.Rule{okRule},
	},
	{
		name: "namespace prefix",
		in: `<s3:CORSConfiguration xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:CORSRule>` +
			`<s3:AllowedOrigin>*</s3:AllowedOrigin><s3:AllowedMethod>GET</s3:AllowedMethod></s3:CORSRule></s3:CORSConfiguration>`,
		want: []corsrule.Rule{okRule},
	},
	{
		name: "members in any order, lists interleaved",
		in: xmlDoc(xmlRule(`<MaxAgeSeconds>5</MaxAgeSeconds><AllowedMethod>GET</AllowedMethod><ID>i</ID>`,
			`<AllowedOrigin>o1</AllowedOrigin><ExposeHeader>e</ExposeHeader><AllowedMethod>PUT</AllowedMethod>`,
			`<AllowedHeader>h</AllowedHeader><AllowedOrigin>o2</AllowedOrigin>`)),
		want: []corsrule.Rule{{ID: "i", AllowedOrigins: []string{"o1", "o2"}, AllowedMethods: []string{"GET", "PUT"},
			AllowedHeaders: []string{"h"}, ExposeHeaders: []string{"e"}, MaxAgeSeconds: i32(5)}},
	},
	{
		name: "several rules, order kept",
		in: xmlDoc(xmlRule(`<AllowedOrigin>1</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`),
			xmlRule(`<AllowedOrigin>2</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>`)),
		want: []corsrule.Rule{
			{AllowedOrigins: []string{"1"}, AllowedMethods: []string{"GET"}},
			{AllowedOrigins: []string{"2"}, AllowedMethods: []string{"PUT"}},
		},
	},
	{
		name: "empty origin, self-closed and not",
		in:   xmlDoc(xmlRule(`<AllowedOrigin/><AllowedOrigin></AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{"", ""}, AllowedMethods: []string{"GET"}}},
	},
	{
		// bucket.Validate answers InvalidRequest for it (spec V5).
		name: "empty method",
		in:   xmlDoc(xmlRule(`<AllowedOrigin>*</AllowedOrigin><AllowedMethod></AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{""}}},
	},
	{
		name: "empty ID is no ID",
		in:   xmlDoc(xmlRule(okMembers, `<ID></ID>`)),
		want: []corsrule.Rule{okRule},
	},
	{
		name: "values verbatim",
		in: xmlDoc(xmlRule(`<AllowedOrigin> http://A.example:80 </AllowedOrigin><AllowedMethod>get</AllowedMethod>`,
			`<AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader><ID>`+"\tid\n"+`</ID>`)),
		want: []corsrule.Rule{{ID: "\tid\n", AllowedOrigins: []string{" http://A.example:80 "}, AllowedMethods: []string{"get"},
			AllowedHeaders: []string{"x-AMZ-server-SIDE-encryption"}}},
	},
	{
		name: "character references in CDATA are text",
		in:   xmlDoc(xmlRule(`<AllowedOrigin><![CDATA[&#xD800;]]>&#xFFFD;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{"&#xD800;\uFFFD"}, AllowedMethods: []string{"GET"}}},
	},
	{
		// U+FFFD is a character XML allows (XML 1.0 §2.2), written as
		// such, not a reference turned into it.
		name: "U+FFFD written in CDATA is text",
		in:   xmlDoc(xmlRule("<AllowedOrigin><![CDATA[\uFFFD&#xD800;]]></AllowedOrigin><AllowedMethod>GET</AllowedMethod>")),
		want: []corsrule.Rule{{AllowedOrigins: []string{"\uFFFD&#xD800;"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "CDATA",
		in:   xmlDoc(xmlRule(`<AllowedOrigin><![CDATA[<a&b>]]></AllowedOrigin><AllowedMethod>G<![CDATA[E]]>T</AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{"<a&b>"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "entity and character references",
		in:   xmlDoc(xmlRule(`<AllowedOrigin>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#xe9;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		want: []corsrule.Rule{{AllowedOrigins: []string{`&<>"'ABé`}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "line ends: CRLF becomes LF, &#xD; is CR",
		in:   xmlDoc(xmlRule("<AllowedOrigin>a\r\nb\rc&#xD;d</AllowedOrigin><AllowedMethod>GET</AllowedMethod>")),
		want: []corsrule.Rule{{AllowedOrigins: []string{"a\nb\nc\rd"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "comments and processing instructions ignored",
		in: `<?xml version="1.0"?><!-- c --><?pi x?>` + "\n" + `<CORSConfiguration ` + s3xmlns + `><!-- c -->` +
			`<CORSRule><?pi?><AllowedOrigin>a<!-- c -->b</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>` +
			`</CORSConfiguration><!-- c --><?pi?>` + "\n",
		want: []corsrule.Rule{{AllowedOrigins: []string{"ab"}, AllowedMethods: []string{"GET"}}},
	},
	{
		name: "byte order mark, white space everywhere",
		in:   "\uFEFF<?xml version='1.0' encoding='utf-8' standalone='yes'?>\r\n<CORSConfiguration " + s3xmlns + ">\n\t<CORSRule>\n\t\t" + okMembers + "\n\t</CORSRule>\n</CORSConfiguration>\n\n",
		want: []corsrule.Rule{okRule},
	},
	{
		// UNVERIFIED: white space around the number, and a sign, as an
		// XML Schema int allows them; no recording shows S3 taking them.
		name: "MaxAgeSeconds forms",
		in: xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds> +10 </MaxAgeSeconds>`), xmlRule(okMembers, "<MaxAgeSeconds>\n-5\t</MaxAgeSeconds>"),
			xmlRule(okMembers, `<MaxAgeSeconds>0</MaxAgeSeconds>`), xmlRule(okMembers, `<MaxAgeSeconds>2147483647</MaxAgeSeconds>`),
			xmlRule(okMembers, `<MaxAgeSeconds>-2147483648</MaxAgeSeconds>`), xmlRule(okMembers, `<MaxAgeSeconds>007</MaxAgeSeconds>`)),
		want: []corsrule.Rule{
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(10)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(-5)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(0)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(2147483647)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(-2147483648)},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(7)},
		},
	},
	{
		name: "namespace declarations and xsi attributes",
		in: `<CORSConfiguration ` + s3xmlns + ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:p="urn:p"` +
			` xsi:schemaLocation="x y"><CORSRule xmlns:q="urn:q"><AllowedOrigin xsi:type="xsd:string">*</AllowedOrigin>` +
			`<AllowedMethod ` + s3xmlns + `>GET</AllowedMethod></CORSRule></CORSConfiguration>`,
		want: []corsrule.Rule{okRule},
	},
	{
		name: "values XML allows but HTTP does not",
		in:   xmlDoc(xmlRule("<AllowedOrigin>\u0085\u00e9\U0001F600\uFEFF</AllowedOrigin><AllowedMethod>GET</AllowedMethod>")),
		want: []corsrule.Rule{{AllowedOrigins: []string{"\u0085\u00e9\U0001F600\uFEFF"}, AllowedMethods: []string{"GET"}}},
	},
}

func TestDecodeXMLValid(t *testing.T) {
	t.Parallel()
	for _, tc := range xmlValid {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, decode := range decoders(XML) {
				doc, err := decode.fn(tc.in)
				if err != nil {
					t.Fatalf("%s: %v", decode.name, err)
				}
				if doc.Format != XML {
					t.Errorf("%s: Format = %v, want xml", decode.name, doc.Format)
				}
				if diff := cmp.Diff(tc.want, doc.Rules); diff != "" {
					t.Errorf("%s: rules (-want +got):\n%s", decode.name, diff)
				}
				if len(doc.RulePositions) != len(doc.Rules) {
					t.Errorf("%s: %d positions for %d rules", decode.name, len(doc.RulePositions), len(doc.Rules))
				}
			}
		})
	}
}

type decoder struct {
	name string
	fn   func(string) (*Document, error)
}

// decoders returns every entry point that must accept a document in form f.
func decoders(f Format) []decoder {
	ds := []decoder{
		{"Unmarshal", func(s string) (*Document, error) { return Unmarshal([]byte(s)) }},
		{"Decode", func(s string) (*Document, error) { return Decode(strings.NewReader(s)) }},
	}
	if f == XML {
		return append(ds, decoder{"DecodeXML", func(s string) (*Document, error) { return DecodeXML(strings.NewReader(s)) }})
	}
	return append(ds, decoder{"DecodeJSON", func(s string) (*Document, error) { return DecodeJSON(strings.NewReader(s)) }})
}

func TestRulePositions(t *testing.T) {
	t.Parallel()
	in := "\uFEFF<CORSConfiguration>\n  <CORSRule>" + okMembers + "</CORSRule><CORSRule>\n" +
		okMembers + "</CORSRule>\r\n\t<CORSRule xmlns=''>" + okMembers + "</CORSRule>\n</CORSConfiguration>"
	doc, err := Unmarshal([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	first := len("  <CORSRule>") + len(okMembers) + len("</CORSRule>") + 1
	want := []Position{{2, 3}, {2, first}, {4, 2}}
	if diff := cmp.Diff(want, doc.RulePositions); diff != "" {
		t.Errorf("RulePositions (-want +got):\n%s", diff)
	}
}

// xmlInvalid are XML documents S3 refuses with MalformedXML, and the first
// problem the decoder reports.
var xmlInvalid = []invalidCase{
	// The root.
	{"wrong root", `<CORSConfig>` + xmlRule(okMembers) + `</CORSConfig>`,
		wantErr{reason: `root element is "CORSConfig", not CORSConfiguration`, line: 1, col: 1}},
	{"root in wrong case", `<CorsConfiguration/>`, wantErr{reason: "case-sensitive", line: 1, col: 1}},
	{"root in another namespace", `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `namespace "http://s3.amazonaws.com/doc/2006-03-01"`, line: 1, col: 1}},
	{"no CORSRule", xmlDoc(), wantErr{reason: "the configuration has no CORSRule", line: 1, col: 1}},
	{"self-closed root", `<CORSConfiguration ` + s3xmlns + `/>`, wantErr{reason: "no CORSRule", line: 1, col: 1}},
	{"only white space and comments", xmlDoc("\n <!-- none -->\n"), wantErr{reason: "no CORSRule"}},
	{"text in the root", xmlDoc("\n hello " + xmlRule(okMembers)), wantErr{reason: `text "hello" in CORSConfiguration`, line: 2, col: 2}},
	{"CDATA text in the root", xmlDoc(xmlRule(okMembers), "<![CDATA[x]]>"), wantErr{reason: `text "x" in CORSConfiguration`}},

	// Elements the root may not hold.
	{"CorsRule", xmlDoc(`<CorsRule>` + okMembers + `</CorsRule>`),
		wantErr{reason: `unknown element "CorsRule" in CORSConfiguration; S3 calls it "CORSRule"`, line: 1, col: 68}},
	{"CorsRules", xmlDoc(`<CorsRules>` + xmlRule(okMembers) + `</CorsRules>`), wantErr{reason: `S3 calls it "CORSRule"`}},
	{"CORSRules", xmlDoc(`<CORSRules>` + xmlRule(okMembers) + `</CORSRules>`), wantErr{reason: `S3 calls it "CORSRule"`}},
	{"a member outside a rule", xmlDoc(`<AllowedOrigin>*</AllowedOrigin>`),
		wantErr{reason: `unknown element "AllowedOrigin" in CORSConfiguration; "AllowedOrigin" belongs inside a CORSRule`}},
	{"unknown element in the root", xmlDoc(`<Foo/>`, xmlRule(okMembers)), wantErr{reason: `unknown element "Foo" in CORSConfiguration`, col: 68}},
	{"CORSRule in another namespace", xmlDoc(`<CORSRule xmlns="urn:x">` + okMembers + `</CORSRule>`),
		wantErr{reason: `element "CORSRule" in CORSConfiguration is in namespace "urn:x"`}},
	{"namespaced rule in an unnamespaced root", `<CORSConfiguration><CORSRule ` + s3xmlns + `>` + okMembers + `</CORSRule></CORSConfiguration>`,
		wantErr{reason: `is in namespace "http://s3.amazonaws.com/doc/2006-03-01/", but the configuration is in no namespace`}},

	// Rules.
	{"empty rule", xmlDoc(`<CORSRule></CORSRule>`), wantErr{reason: "a CORSRule has no AllowedOrigin", line: 1, col: 68, rule: 1}},
	{"self-closed rule", xmlDoc(`<CORSRule/>`), wantErr{reason: "a CORSRule has no AllowedOrigin", col: 68, rule: 1}},
	{"no AllowedOrigin", xmlDoc(xmlRule(`<AllowedMethod>GET</AllowedMethod>`)), wantErr{reason: "a CORSRule has no AllowedOrigin", col: 68, rule: 1}},
	{"no AllowedMethod", xmlDoc(xmlRule(okMembers), xmlRule(`<AllowedOrigin>*</AllowedOrigin>`)),
		wantErr{reason: "a CORSRule has no AllowedMethod", col: 68 + len(xmlRule(okMembers)), rule: 2}},
	{"text in a rule", xmlDoc(xmlRule(okMembers, " text ")), wantErr{reason: `text "text" in CORSRule`, rule: 1}},
	// Only XML's white space is white space: U+00A0 and U+0085, which
	// indent XML pasted from a web page, are text, quoted as they are.
	{"no-break spaces as indentation", "<CORSConfiguration>\n\u00a0\u00a0<CORSRule>\n\u00a0\u00a0\u00a0\u00a0" + okMembers + "</CORSRule></CORSConfiguration>",
		wantErr{reason: `text "\u00a0\u00a0" in CORSConfiguration, which holds elements only (XML's white space is the space, tab, CR and LF only`, line: 2, col: 1}},
	{"U+0085 in a rule", xmlDoc(xmlRule(okMembers, "\t\u0085 ")), wantErr{reason: `text "\u0085" in CORSRule, which holds elements only`, rule: 1}},
	{"two IDs", xmlDoc(xmlRule(okMembers, `<ID>a</ID><ID>b</ID>`)), wantErr{reason: "more than one ID", rule: 1}},
	{"two MaxAgeSeconds", xmlDoc(xmlRule(`<MaxAgeSeconds>1</MaxAgeSeconds>`, okMembers, `<MaxAgeSeconds>1</MaxAgeSeconds>`)),
		wantErr{reason: "more than one MaxAgeSeconds", col: 68 + len("<CORSRule><MaxAgeSeconds>1</MaxAgeSeconds>"+okMembers), rule: 1}},
	{"member in another namespace", xmlDoc(xmlRule(okMembers, `<ID xmlns="urn:x">a</ID>`)),
		wantErr{reason: `element "ID" in CORSRule is in namespace "urn:x"`, rule: 1}},
	{"element inside a value", xmlDoc(xmlRule(`<AllowedOrigin>a<b>c</b></AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `element "b" inside AllowedOrigin, which holds text only`, rule: 1}},
	{"rule inside a rule", xmlDoc(xmlRule(okMembers, xmlRule(okMembers))), wantErr{reason: `unknown element "CORSRule" in CORSRule`, rule: 1}},

	// Names S3 does not know, with hints.
	{"ExposedHeader", xmlDoc(xmlRule(okMembers, `<ExposedHeader>x</ExposedHeader>`)),
		wantErr{reason: `unknown element "ExposedHeader" in CORSRule; S3 calls it "ExposeHeader"`, rule: 1}},
	{"ExposedHeaders", xmlDoc(xmlRule(okMembers, `<ExposedHeaders>x</ExposedHeaders>`)), wantErr{reason: `S3 calls it "ExposeHeader"`, rule: 1}},
	{"ExposeHeaders", xmlDoc(xmlRule(okMembers, `<ExposeHeaders>x</ExposeHeaders>`)), wantErr{reason: `S3 calls it "ExposeHeader"`, rule: 1}},
	{"Id", xmlDoc(xmlRule(okMembers, `<Id>x</Id>`)), wantErr{reason: `unknown element "Id" in CORSRule; S3 calls it "ID"`, rule: 1}},
	{"MaxAge", xmlDoc(xmlRule(okMembers, `<MaxAge>1</MaxAge>`)), wantErr{reason: `S3 calls it "MaxAgeSeconds"`, rule: 1}},
	{"maxageseconds", xmlDoc(xmlRule(okMembers, `<maxageseconds>1</maxageseconds>`)), wantErr{reason: `S3 calls it "MaxAgeSeconds"`, rule: 1}},
	{"AllowedOrigins", xmlDoc(xmlRule(okMembers, `<AllowedOrigins>*</AllowedOrigins>`)), wantErr{reason: `S3 calls it "AllowedOrigin"`, rule: 1}},
	{"AllowedMethods", xmlDoc(xmlRule(okMembers, `<AllowedMethods>GET</AllowedMethods>`)), wantErr{reason: `S3 calls it "AllowedMethod"`, rule: 1}},
	{"AllowedHeaders", xmlDoc(xmlRule(okMembers, `<AllowedHeaders>*</AllowedHeaders>`)), wantErr{reason: `S3 calls it "AllowedHeader"`, rule: 1}},
	{"allowedOrigin", xmlDoc(xmlRule(okMembers, `<allowedOrigin>*</allowedOrigin>`)), wantErr{reason: `S3 calls it "AllowedOrigin"`, rule: 1}},
	{"ALLOWEDMETHOD", xmlDoc(xmlRule(okMembers, `<ALLOWEDMETHOD>*</ALLOWEDMETHOD>`)), wantErr{reason: `S3 calls it "AllowedMethod"`, rule: 1}},
	{"unknown element without a hint", xmlDoc(xmlRule(okMembers, `<Foo>x</Foo>`)), wantErr{reason: `unknown element "Foo" in CORSRule`, rule: 1}},

	// MaxAgeSeconds.
	{"MaxAgeSeconds a", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>a</MaxAgeSeconds>`)), wantErr{reason: `MaxAgeSeconds "a" is not an integer`, rule: 1}},
	{"MaxAgeSeconds 1.5", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>1.5</MaxAgeSeconds>`)), wantErr{reason: `MaxAgeSeconds "1.5" is not an integer`, rule: 1}},
	{"MaxAgeSeconds 1e3", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>1e3</MaxAgeSeconds>`)), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 0x10", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>0x10</MaxAgeSeconds>`)), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 1_000", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>1_000</MaxAgeSeconds>`)), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 1 2", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>1 2</MaxAgeSeconds>`)), wantErr{reason: "not an integer", rule: 1}},
	{"MaxAgeSeconds 99999999999", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>99999999999</MaxAgeSeconds>`)),
		wantErr{reason: `MaxAgeSeconds "99999999999" is out of range`, rule: 1}},
	{"MaxAgeSeconds 2147483648", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>2147483648</MaxAgeSeconds>`)), wantErr{reason: "out of range", rule: 1}},
	{"MaxAgeSeconds -2147483649", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds>-2147483649</MaxAgeSeconds>`)), wantErr{reason: "out of range", rule: 1}},
	{"MaxAgeSeconds empty", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds/>`)), wantErr{reason: "MaxAgeSeconds is empty", rule: 1}},
	{"MaxAgeSeconds blank", xmlDoc(xmlRule(okMembers, `<MaxAgeSeconds> </MaxAgeSeconds>`)), wantErr{reason: "MaxAgeSeconds is empty", rule: 1}},

	// Attributes.
	{"attribute on the root", `<CORSConfiguration ` + s3xmlns + ` version="1">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `attribute "version" on CORSConfiguration is not allowed`, line: 1, col: 1}},
	{"attribute on a rule", xmlDoc(`<CORSRule id="1">` + okMembers + `</CORSRule>`), wantErr{reason: `attribute "id" on CORSRule`, col: 68, rule: 1}},
	{"attribute on a member", xmlDoc(xmlRule(`<AllowedOrigin a="b">*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `attribute "a" on AllowedOrigin`, col: 78, rule: 1}},
	{"xml:lang", xmlDoc(xmlRule(`<AllowedOrigin xml:lang="en">*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `attribute "lang"`, rule: 1}},

	// Well-formedness.
	{"blank", " \n\t", wantErr{reason: "the document is empty", line: 2, col: 2}},
	// The end of a document that ends with a line break is the end of
	// its last line, not a line after it, which editors and code
	// scanning do not have.
	{"blank lines", "\n\n", wantErr{reason: "the document is empty", line: 2, col: 1}},
	{"blank line", "  \r\n", wantErr{reason: "the document is empty", line: 1, col: 3}},
	{"unclosed root, then a line break", "<CORSConfiguration>\n", wantErr{reason: "unexpected EOF", line: 1, col: 20}},
	// A CR alone ends a line, as XML 1.0 normalizes it to a line feed
	// and editors break the line there.
	{"blank line ending in a CR", "  \r", wantErr{reason: "the document is empty", line: 1, col: 3}},
	{"blank lines ending in CRs", "\r\r", wantErr{reason: "the document is empty", line: 2, col: 1}},
	{"unclosed root, then a CR", "<CORSConfiguration>\r", wantErr{reason: "unexpected EOF", line: 1, col: 20}},
	{"unclosed root after a CR", "\r<CORSConfiguration>\r\n", wantErr{reason: "unexpected EOF", line: 2, col: 20}},
	{"not XML or JSON after CRs", "\r\r\n\r  hello", wantErr{reason: "neither XML", line: 4, col: 3}},
	{"not XML or JSON", "\n  hello", wantErr{reason: "neither XML", line: 2, col: 3}},
	{"DOCTYPE", `<!DOCTYPE CORSConfiguration>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "<!DOCTYPE> is not allowed", line: 1, col: 1}},
	{"DOCTYPE after the declaration", `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE x SYSTEM "http://example.com/x.dtd">` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: "<!DOCTYPE>", line: 2, col: 1}},
	{"declaration inside the root", xmlDoc(`<!ELEMENT x ANY>`, xmlRule(okMembers)), wantErr{reason: "<!ELEMENT> is not allowed", col: 68}},
	{"undefined entity", xmlDoc(xmlRule(`<AllowedOrigin>&nbsp;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: "invalid character entity &nbsp;"}},
	{"character reference to NUL", xmlDoc(xmlRule(`<AllowedOrigin>&#0;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: "illegal character code U+0000"}},
	{"character reference to a surrogate", xmlDoc(xmlRule(`<AllowedOrigin>a&amp;&#xD800;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: "character reference to U+D800", col: 68 + len("<CORSRule><AllowedOrigin>a&amp;")}},
	{"decimal character reference to a surrogate", xmlDoc(xmlRule(`<AllowedOrigin>&#57343;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: "character reference to U+DFFF"}},
	// UNVERIFIED: a byte outside ASCII reads differently in UTF-8 and
	// in the encoding declared, and no capture shows which S3 reads.
	{"non-UTF-8 encoding, a byte outside ASCII", `<?xml version="1.0" encoding="ISO-8859-1"?>` +
		xmlDoc(xmlRule(`<AllowedOrigin>https://bücher.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `encoding "ISO-8859-1"; S3 reads only UTF-8`, line: 1}},
	{"UTF-16 encoding", `<?xml version="1.0" encoding="UTF-16"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: `encoding "UTF-16"`}},
	{"XML 1.1", `<?xml version="1.1"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "unsupported version", line: 1}},
	{"declaration after white space", "\n" + `<?xml version="1.0"?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: "the XML declaration must be the first thing", line: 2, col: 1}},
	{"declaration after a comment", `<!-- c --><?xml version="1.0"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "must be the first", col: 11}},
	{"declaration in upper case", `<?XML version="1.0"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: `processing instruction target "XML" is reserved`, col: 1}},
	{"declaration inside", xmlDoc(xmlRule(okMembers), `<?xml version="1.0"?>`), wantErr{reason: "must be the first"}},
	{"declaration without a version", `<?xml?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "the XML declaration lacks the version", col: 1}},
	{"declaration starting with the encoding", `<?xml encoding="UTF-8"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "must start with version"}},
	{"declaration in the wrong order", `<?xml version="1.0" standalone="no" encoding="UTF-8"?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: `has "encoding" where version, encoding or standalone may come, in that order`}},
	{"declaration with an unknown pseudo-attribute", `<?xml version="1.0" foo="1"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: `has "foo"`}},
	{"declaration with an unquoted version", `<?xml version=1.0?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "gives version a value that is not quoted"}},
	{"declaration without white space", `<?xml version="1.0"encoding="UTF-8"?>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "needs white space before"}},
	{"declaration with standalone maybe", `<?xml version="1.0" standalone="maybe"?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: `gives standalone the value "maybe", not "yes" or "no"`}},
	{"CDATA before the root", `<![CDATA[ ]]>` + xmlDoc(xmlRule(okMembers)), wantErr{reason: "text before the root element", col: 1}},
	{"empty CDATA after the root", xmlDoc(xmlRule(okMembers)) + `<![CDATA[]]>`, wantErr{reason: "text after the root element"}},
	{"attributes without white space between them", `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		xmlRule(okMembers) + `</CORSConfiguration>`, wantErr{reason: "no white space between two attributes", col: 67}},
	{"character reference to a surrogate in an attribute", `<CORSConfiguration xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:a="&#xD800;">` +
		xmlRule(okMembers) + `</CORSConfiguration>`, wantErr{reason: "character reference to U+D800", col: 81}},
	{"text before the root", "<!-- c -->x" + xmlDoc(xmlRule(okMembers)), wantErr{reason: "text before the root element", col: 11}},
	{"text after the root", xmlDoc(xmlRule(okMembers)) + "\n x", wantErr{reason: "text after the root element", line: 2, col: 2}},
	{"second root", xmlDoc(xmlRule(okMembers)) + xmlDoc(xmlRule(okMembers)), wantErr{reason: `a second root element, "CORSConfiguration"`}},
	{"unclosed root", `<CORSConfiguration>` + xmlRule(okMembers), wantErr{reason: "unexpected EOF"}},
	{"unclosed member", xmlDoc(xmlRule(`<AllowedOrigin>*`)), wantErr{reason: "closed by </CORSRule>"}},
	{"mismatched end tag", xmlDoc(`<CORSRule>` + okMembers + `</CORSRules>`), wantErr{reason: "element <CORSRule> closed by </CORSRules>"}},
	{"end tag with another prefix", `<a:CORSConfiguration xmlns:a="x" xmlns:b="x">` + xmlRule(okMembers) + `</b:CORSConfiguration>`,
		wantErr{reason: "closed by"}},
	{"root with an undeclared prefix", `<x:CORSConfiguration>` + xmlRule(okMembers) + `</x:CORSConfiguration>`,
		wantErr{reason: `the prefix "x" of element "x:CORSConfiguration" is not declared: declare it, xmlns:x="...", or leave it out`, col: 1}},
	{"member with an undeclared prefix", xmlDoc(xmlRule(`<p:AllowedOrigin>*</p:AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `the prefix "p" of element "p:AllowedOrigin" is not declared`, col: 68 + len("<CORSRule>")}},
	{"prefix declared on a sibling", xmlDoc(`<CORSRule xmlns:p="urn:p">`+okMembers+`</CORSRule>`, `<p:CORSRule>`+okMembers+`</p:CORSRule>`),
		wantErr{reason: `the prefix "p" of element "p:CORSRule" is not declared`}},
	{"undeclared xsi prefix", `<CORSConfiguration xsi:schemaLocation="x">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `the prefix "xsi" of attribute "xsi:schemaLocation" of CORSConfiguration is not declared: ` +
			`declare it, xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance", or leave it out`, col: 1}},
	{"undeclared prefix on a member's attribute", xmlDoc(xmlRule(`<AllowedOrigin xsi:nil="false">*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)),
		wantErr{reason: `the prefix "xsi" of attribute "xsi:nil" of AllowedOrigin is not declared`}},
	{"element with the prefix xmlns", `<xmlns:CORSConfiguration>` + xmlRule(okMembers) + `</xmlns:CORSConfiguration>`,
		wantErr{reason: `element "xmlns:CORSConfiguration" has the prefix xmlns, which is reserved`}},
	{"name starting with a colon", `<:CORSConfiguration>` + xmlRule(okMembers) + `</:CORSConfiguration>`,
		wantErr{reason: `the name ":CORSConfiguration" is not one a namespace allows`, col: 1}},
	{"name ending with a colon", xmlDoc(xmlRule(okMembers, `<a: xmlns:a="urn:a"/>`)), wantErr{reason: `the name "a:" is not one a namespace allows`}},
	{"prefix declared empty", `<CORSConfiguration xmlns:p="">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `xmlns:p="" declares a prefix with an empty namespace name`, col: 1}},
	{"xml bound to another namespace", `<CORSConfiguration xmlns:xml="http://other">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `xmlns:xml="http://other" binds the prefix xml, which is reserved, to another namespace`}},
	{"xml's namespace bound to another prefix", `<CORSConfiguration xmlns:x="http://www.w3.org/XML/1998/namespace">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `a reserved namespace, to another prefix than its own`}},
	{"xml's namespace as the default", `<CORSConfiguration xmlns="http://www.w3.org/XML/1998/namespace">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `a reserved namespace, to another prefix than its own`}},
	{"xmlns declared", `<CORSConfiguration xmlns:xmlns="urn:x">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `xmlns:xmlns="urn:x" declares the prefix xmlns, which is reserved`}},
	{"xmlns's namespace bound", `<CORSConfiguration xmlns:p="http://www.w3.org/2000/xmlns/">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `a reserved namespace, to another prefix than its own`}},
	{"declaration with an empty encoding", `<?xml version="1.0" encoding=""?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: `the XML declaration gives encoding the value "", which is not an encoding's name`, col: 1}},
	{"declaration with an encoding starting with a digit", `<?xml version="1.0" encoding="8859-1"?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: `gives encoding the value "8859-1"`}},
	{"declaration with a space in the encoding", `<?xml version="1.0" encoding="UTF 8"?>` + xmlDoc(xmlRule(okMembers)),
		wantErr{reason: `gives encoding the value "UTF 8"`}},
	{"duplicate attribute", `<CORSConfiguration xmlns="" xmlns="">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `attribute "xmlns" appears twice`, line: 1, col: 1}},
	{"duplicate attribute by namespace", `<CORSConfiguration xmlns:a="u" xmlns:b="u" a:x="" b:x="">` + xmlRule(okMembers) + `</CORSConfiguration>`,
		wantErr{reason: `attribute "x" appears twice`}},
	{"attribute without a value", `<CORSConfiguration xmlns>` + xmlRule(okMembers) + `</CORSConfiguration>`, wantErr{reason: "attribute"}},
	{"unquoted attribute", `<CORSConfiguration xmlns=x>` + xmlRule(okMembers) + `</CORSConfiguration>`, wantErr{reason: "unquoted"}},
	{"< in an attribute", `<CORSConfiguration xmlns="<">` + xmlRule(okMembers) + `</CORSConfiguration>`, wantErr{reason: "unescaped < inside quoted string"}},
	{"]]> in text", xmlDoc(xmlRule(`<AllowedOrigin>]]></AllowedOrigin><AllowedMethod>GET</AllowedMethod>`)), wantErr{reason: "unescaped ]]>"}},
	{"-- in a comment", xmlDoc(xmlRule(okMembers), "<!-- a -- b -->"), wantErr{reason: `"--" not allowed in comments`}},
	{"invalid UTF-8", xmlDoc(xmlRule("<AllowedOrigin>\xff</AllowedOrigin><AllowedMethod>GET</AllowedMethod>")),
		wantErr{reason: "invalid UTF-8", line: 1, col: 68 + len("<CORSRule><AllowedOrigin>")}},
	{"invalid UTF-8 in a comment", "<!-- \xc3 -->" + xmlDoc(xmlRule(okMembers)), wantErr{reason: "invalid UTF-8", col: 6}},
	{"NUL byte", "<CORSConfiguration>\n<CORSRule>\x00", wantErr{reason: "character U+0000 is not allowed in XML", line: 2, col: 11}},
	{"control character in a name", "<CORSConfiguration\x01/>", wantErr{reason: "U+0001", col: 19}},
	{"U+FFFE", xmlDoc(xmlRule("<AllowedOrigin>\uFFFE</AllowedOrigin><AllowedMethod>GET</AllowedMethod>")), wantErr{reason: "U+FFFE"}},
	{"byte order mark twice", "\uFEFF\uFEFF" + xmlDoc(xmlRule(okMembers)), wantErr{reason: "neither XML"}},
}

// TestEmptyDocument: a document of no bytes at all is S3's
// MissingRequestBodyError, "Request Body is empty", as S3 was recorded
// answering an empty PutBucketNotificationConfiguration
// (aws/aws-sdk-cpp#733) and as AWS's list of error codes describes it ("an
// empty xml document"), not MalformedXML; one of white space only is
// MalformedXML (see xmlInvalid). UNVERIFIED for PutBucketCors. The JSON
// forms never reach S3, so an empty JSON document stays MalformedXML.
func TestEmptyDocument(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		decode func() (*Document, error)
	}{
		{"Unmarshal", func() (*Document, error) { return Unmarshal(nil) }},
		{"Decode", func() (*Document, error) { return Decode(strings.NewReader("")) }},
		{"DecodeXML", func() (*Document, error) { return DecodeXML(strings.NewReader("")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := tc.decode()
			e, ok := errors.AsType[*s3err.Error](err)
			if doc != nil || !ok {
				t.Fatalf("= %v, %v; want a *s3err.Error", doc, err)
			}
			got := fmt.Sprintf("%d %s: %s at %d:%d", e.StatusCode, e.Code, e.Message, e.Line, e.Column)
			if want := "400 MissingRequestBodyError: Request Body is empty at 1:1"; got != want {
				t.Errorf("error %q, want %q", got, want)
			}
		})
	}
	_, err := DecodeJSON(strings.NewReader(""))
	checkMalformed(t, err, wantErr{reason: "the document is empty", line: 1, col: 1})
}

func TestDecodeXMLInvalid(t *testing.T) {
	t.Parallel()
	checkInvalid(t, xmlInvalid)
}

// TestDecodeXMLOnly checks what DecodeXML says about documents that do not
// start with '<'.
func TestDecodeXMLOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want wantErr
	}{
		// The end of the last line, after the comment; the byte order
		// mark is not counted.
		{"\uFEFF <!-- c -->\n", wantErr{reason: "no root element", line: 1, col: 12}},
		{`{"CORSRules": []}`, wantErr{reason: "text before the root element", col: 1}},
		{"  x<CORSConfiguration/>", wantErr{reason: "text before the root element", col: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeXML(strings.NewReader(tc.in))
			checkMalformed(t, err, tc.want)
		})
	}
}

// TestDecodeXMLProblems checks that a well-formed document gets every
// schema problem, in document order, and that errors.As finds the first.
// A missing member is found at the rule's end, so it follows the problems
// inside the rule, though it is located at the rule's start.
func TestDecodeXMLProblems(t *testing.T) {
	t.Parallel()
	in := `<CORSConfiguration ` + s3xmlns + `>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
  </CORSRule>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <ExposedHeader>ETag</ExposedHeader>
    <MaxAgeSeconds>x</MaxAgeSeconds>
  </CORSRule>
  <Foo/>
  <CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>
</CORSConfiguration>`
	_, err := Unmarshal([]byte(in))
	type problem struct {
		Reason             string
		Rule, Line, Column int
	}
	var got []problem
	for _, e := range Problems(err) {
		got = append(got, problem{e.Reason, e.Rule, e.Line, e.Column})
	}
	want := []problem{
		{"a CORSRule has no AllowedMethod", 1, 2, 3},
		{`unknown element "ExposedHeader" in CORSRule; S3 calls it "ExposeHeader"`, 2, 7, 5},
		{`MaxAgeSeconds "x" is not an integer`, 2, 8, 5},
		{"a CORSRule has no AllowedMethod", 2, 5, 3},
		{`unknown element "Foo" in CORSConfiguration`, 0, 10, 3},
		{"a CORSRule has no AllowedOrigin", 3, 11, 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// Wrapped by a caller, the error holds the same problems.
	if n := len(Problems(fmt.Errorf("loading cors.xml: %w", err))); n != len(want) {
		t.Errorf("Problems of the error wrapped: %d, want %d", n, len(want))
	}
	first, ok := errors.AsType[*s3err.Error](err)
	if !ok || first.Reason != want[0].Reason {
		t.Errorf("errors.As found %v, want the first problem", first)
	}
	if !strings.Contains(err.Error(), "MalformedXML") {
		t.Errorf("Error() = %q", err.Error())
	}
}

// TestDecodeXMLMalformedAfterProblems checks that a document that is not
// well-formed gets one error, even after schema problems.
func TestDecodeXMLMalformedAfterProblems(t *testing.T) {
	t.Parallel()
	_, err := Unmarshal([]byte(xmlDoc(`<Foo/>`, xmlRule(okMembers), `<CORSRule>`)))
	ps := Problems(err)
	if len(ps) != 1 || !strings.Contains(ps[0].Reason, "closed by") {
		t.Errorf("problems = %q, want one well-formedness error", reasons(err))
	}
}

func TestDecodeXMLProblemLimit(t *testing.T) {
	t.Parallel()
	in := xmlDoc(strings.Repeat("<Foo/>", 1000), xmlRule(okMembers))
	_, err := Unmarshal([]byte(in))
	if n := len(Problems(err)); n != maxProblems {
		t.Errorf("%d problems, want %d", n, maxProblems)
	}
}

func TestDecodeXMLLongNames(t *testing.T) {
	t.Parallel()
	name := strings.Repeat("é", 30000)
	_, err := Unmarshal([]byte(xmlDoc(xmlRule(okMembers, "<"+name+"/>"))))
	checkMalformed(t, err, wantErr{reason: `unknown element "éé`, rule: 1})
	if e := Problems(err)[0]; len(e.Reason) > 200 {
		t.Errorf("Reason is %d bytes long, want it shortened", len(e.Reason))
	}
}
