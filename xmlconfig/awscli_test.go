package xmlconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
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
}

// TestAWSCLIBodies checks that the JSON given to the AWS CLI and the body
// it sent for it both decode to the same rules, verbatim: the CLI's form
// maps one to one onto S3's XML (spec §1.5).
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
