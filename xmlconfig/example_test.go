package xmlconfig_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/xmlconfig"
)

func ExampleDecode() {
	body := `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`
	doc, err := xmlconfig.Decode(strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range doc.Rules {
		fmt.Printf("%v rule %d at %v: %q %q max-age %d\n",
			doc.Format, i+1, doc.RulePositions[i], r.AllowedOrigins, r.AllowedMethods, *r.MaxAgeSeconds)
	}
	// Output:
	// xml rule 1 at 2:3: ["https://app.example.com"] ["GET" "PUT"] max-age 3000
}

func ExampleDecode_json() {
	// What the S3 console's CORS editor holds.
	console := `[
    {
        "AllowedHeaders": ["*"],
        "AllowedMethods": ["GET"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": [],
        "MaxAgeSeconds": 3000
    }
]`
	doc, err := xmlconfig.Decode(strings.NewReader(console))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := doc.Rules[0]
	fmt.Println(doc.Format, r.AllowedOrigins, r.AllowedMethods, r.AllowedHeaders, len(r.ExposeHeaders), *r.MaxAgeSeconds)
	// Output:
	// console [*] [GET] [*] 0 3000
}

func ExampleAppendXML() {
	rules := []corsrule.Rule{{
		ID:             "app",
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET"},
		ExposeHeaders:  []string{"ETag"},
	}}
	os.Stdout.Write(xmlconfig.AppendXML(nil, rules))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://app.example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><ID>app</ID></CORSRule></CORSConfiguration>
}

func ExampleAppendJSON() {
	rules := []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}}}
	os.Stdout.Write(xmlconfig.AppendJSON(nil, rules))
	// Output:
	// {
	//     "CORSRules": [
	//         {
	//             "AllowedMethods": [
	//                 "GET",
	//                 "HEAD"
	//             ],
	//             "AllowedOrigins": [
	//                 "*"
	//             ]
	//         }
	//     ]
	// }
}

func ExampleProblems() {
	// CloudFormation's names, pasted into the AWS CLI's form.
	in := `{"CORSRules": [{
  "AllowedOrigins": ["*"],
  "AllowedMethods": ["GET"],
  "ExposedHeaders": ["ETag"],
  "MaxAge": 3000
}]}`
	_, err := xmlconfig.Unmarshal([]byte(in))
	for _, e := range xmlconfig.Problems(err) {
		fmt.Printf("%s: rule %d: %s: %s\n", e.Position(), e.Rule, e.Code, e.Reason)
	}
	// Output:
	// line 4, column 3: rule 1: MalformedXML: unknown member "ExposedHeaders" in a rule; S3 calls it "ExposeHeaders"
	// line 5, column 3: rule 1: MalformedXML: unknown member "MaxAge" in a rule; S3 calls it "MaxAgeSeconds"
}
