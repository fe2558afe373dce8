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

// awsCLIBodies are the PutBucketCors bodies aws-cli 1.45.11 with botocore 1.43.11
// sent for its --cors-configuration JSON (captured on a local endpoint):
// S3's namespace, no XML declaration, members in the JSON's order, an
// empty string as a self-closed element with a space before "/>", an
// empty list as no element, and an empty rule list as the self-closed
// root (spec §1.1, §1.5).
var awsCLIBodies = []struct {
	name, cliJSON, body string
	want                []corsrule.Rule
}{
	{
		name:    "empty origin, MaxAgeSeconds before ID, empty ExposeHeaders",
		cliJSON: `{"CORSRules":[{"AllowedOrigins":["https://a.example",""],"AllowedMethods":["GET"],"MaxAgeSeconds":3000,"ID":"r1","ExposeHeaders":[]}]}`,
		body: `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin>` +
			`<AllowedOrigin /><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds><ID>r1</ID></CORSRule></CORSConfiguration>`,
		want: []corsrule.Rule{{ID: "r1", AllowedOrigins: []string{"https://a.example", ""}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: i32(3000)}},
	},
	{
		name: "two rules, escaped ID, port kept",
		cliJSON: `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PUT","GET"],"AllowedHeaders":["x-AMZ-*"],"ExposeHeaders":["ETag"],"ID":"a&<b"},` +
			`{"AllowedOrigins":["http://x:80"],"AllowedMethods":["DELETE"]}]}`,
		body: `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedOrigin>*</AllowedOrigin>` +
			`<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-AMZ-*</AllowedHeader>` +
			`<ExposeHeader>ETag</ExposeHeader><ID>a&amp;&lt;b</ID></CORSRule><CORSRule><AllowedOrigin>http://x:80</AllowedOrigin>` +
			`<AllowedMethod>DELETE</AllowedMethod></CORSRule></CORSConfiguration>`,
		want: []corsrule.Rule{
			{ID: "a&<b", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT", "GET"}, AllowedHeaders: []string{"x-AMZ-*"}, ExposeHeaders: []string{"ETag"}},
			{AllowedOrigins: []string{"http://x:80"}, AllowedMethods: []string{"DELETE"}},
		},
	},
	{
		// The body is botocore 1.43.11's (aws-cli 1.45.11's), serialized
		// for the JSON: a CR is sent as itself, which an XML parser reads,
		// with the LF after it if any, as one LF (XML 1.0, §2.11).
		name:    "carriage returns",
		cliJSON: `{"CORSRules":[{"ID":"r\r\n1","AllowedOrigins":["https://a.example\rb","x\r\n"],"AllowedMethods":["GET\r\n"],"AllowedHeaders":["\r\r\n"],"ExposeHeaders":["a\n\rb"]}]}`,
		body: "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><ID>r\r\n1</ID><AllowedOrigin>https://a.example\rb</AllowedOrigin>" +
			"<AllowedOrigin>x\r\n</AllowedOrigin><AllowedMethod>GET\r\n</AllowedMethod><AllowedHeader>\r\r\n</AllowedHeader><ExposeHeader>a\n\rb</ExposeHeader></CORSRule></CORSConfiguration>",
		want: []corsrule.Rule{{ID: "r\n1", AllowedOrigins: []string{"https://a.example\nb", "x\n"}, AllowedMethods: []string{"GET\n"},
			AllowedHeaders: []string{"\n\n"}, ExposeHeaders: []string{"a\n\nb"}}},
	},
}

// TestAWSCLIBodies checks that the JSON given to the AWS CLI and the body
// it sent for it both decode to the same rules: the CLI's form maps one
// to one onto S3's XML (spec §1.5), its carriage returns read as S3's
// XML parser reads them.
func TestAWSCLIBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range awsCLIBodies {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, in := range []struct {
				form     Format
				document string
			}{{XML, tc.body}, {JSON, tc.cliJSON}} {
				for _, decode := range decoders(in.form) {
					doc, err := decode.fn(in.document)
					if err != nil {
						t.Fatalf("%s of the %v: %v", decode.name, in.form, err)
					}
					if diff := cmp.Diff(tc.want, doc.Rules); diff != "" {
						t.Errorf("%s of the %v: rules (-want +got):\n%s", decode.name, in.form, diff)
					}
				}
			}
		})
	}
	// {"CORSRules":[]}: S3 refuses it with MalformedXML (spec §2 V2).
	_, err := Unmarshal([]byte(`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/" />`))
	checkMalformed(t, err, wantErr{reason: "the configuration has no CORSRule", line: 1, col: 1})
}

// TestValuesAsSent checks that a JSON form's values are judged and kept
// as S3 receives them from the tool that sends the form: with each CRLF,
// and each CR alone, as one LF from the AWS CLI, whose botocore sends a
// CR as itself, and with the CR from the console, whose SDK sends it as
// "&#x0D;" (@aws-sdk/xml-builder, and aws-sdk-js v2 since
// aws/aws-sdk-js#3733). Each case's body is the XML S3 would read, and the
// rule decoded from both is judged alike, byte for byte. The first two
// are audit2's: an ID of 254 bytes and a CRLF, which S3 keeps as 255
// bytes and takes, and a method "GET\r\n", which S3 names "GET\n".
func TestValuesAsSent(t *testing.T) {
	t.Parallel()
	id := strings.Repeat("a", 254)
	for _, tc := range []struct {
		name, in, body string
	}{
		{"ID of 254 bytes and a CRLF", cliDoc(`{"ID": "` + id + `\r\n", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
			xmlDoc(xmlRule("<ID>" + id + "\r\n</ID>" + okMembers))},
		{"method GET and a CRLF", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET\r\n"]}`),
			xmlDoc(xmlRule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET\r\n</AllowedMethod>"))},
		{"method GET and a CRLF, --cli-input-json", `{"CORSConfiguration": ` + cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET\r\n"]}`) + `}`,
			xmlDoc(xmlRule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET\r\n</AllowedMethod>"))},
		{"origin with a CR", cliDoc(`{"AllowedOrigins": ["a\rb"], "AllowedMethods": ["GET"]}`),
			xmlDoc(xmlRule("<AllowedOrigin>a\rb</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"))},
		{"console, ID of 254 bytes and a CRLF", consoleDoc(`{"ID": "` + id + `\r\n", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`),
			xmlDoc(xmlRule("<ID>" + id + "&#x0D;&#x0A;</ID>" + okMembers))},
		{"console, method GET and a CRLF", consoleDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET\r\n"]}`),
			xmlDoc(xmlRule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET&#x0D;&#x0A;</AllowedMethod>"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			sent, err := Unmarshal([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sent.Rules, doc.Rules); diff != "" {
				t.Errorf("rules (-received +read):\n%s", diff)
			}
			if got, want := fmt.Sprint(doc.Rules[0].Validate()), fmt.Sprint(sent.Rules[0].Validate()); got != want {
				t.Errorf("Validate = %q, want %q", got, want)
			}
		})
	}
	// The cases' bodies hold what the tests say.
	doc, err := Unmarshal([]byte(xmlDoc(xmlRule("<ID>" + id + "\r\n</ID>" + okMembers))))
	if err != nil || len(doc.Rules[0].ID) != 255 || doc.Rules[0].Validate() != nil {
		t.Errorf("ID of 254 bytes and a CRLF in XML: %v, %v", doc, err)
	}
	doc, err = Unmarshal([]byte(xmlDoc(xmlRule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET\r\n</AllowedMethod>"))))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := errors.AsType[*s3err.Error](doc.Rules[0].Validate()); !ok || !strings.HasSuffix(e.Message, "Unsupported method is GET\n") {
		t.Errorf("method GET and a CRLF in XML: Validate = %v", doc.Rules[0].Validate())
	}
}
