package xmlconfig_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing/iotest"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
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
	// line 4, column 3: rule 1: MalformedXML: unknown member "ExposedHeaders" in a rule; S3 calls it "ExposeHeaders"; the AWS CLI refuses the file and sends nothing: Parameter validation failed: Unknown parameter in CORSConfiguration.CORSRules[0]: "ExposedHeaders", must be one of: ID, AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds
	// line 5, column 3: rule 1: MalformedXML: unknown member "MaxAge" in a rule; S3 calls it "MaxAgeSeconds"; the AWS CLI refuses the file and sends nothing: Parameter validation failed: Unknown parameter in CORSConfiguration.CORSRules[0]: "MaxAge", must be one of: ID, AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds
}

// S3 answers a document refused for its schema with MalformedXML, and
// judges its values once that is fixed. UnmarshalPartial gives, beside
// the schema's problems, the rules read, whose values bucket.Problems
// judges: every problem at once, as s3cors validate --all lists them.
func ExampleUnmarshalPartial() {
	in := `[null, {
  "AllowedOrigins": ["*"],
  "AllowedMethods": ["get"],
  "MaxAge": 3000
}]`
	doc, err := xmlconfig.UnmarshalPartial([]byte(in))
	for _, e := range xmlconfig.Problems(err) {
		fmt.Printf("rule %d: %s: %s\n", e.Rule, e.Code, e.Reason)
	}
	if doc == nil {
		return // refused for more than its schema
	}
	for _, e := range bucket.Problems(doc.Rules) {
		if e.Code != "MalformedXML" { // rule 1's, reported above
			fmt.Printf("rule %d: %s: %s\n", e.Rule, e.Code, e.Message)
		}
	}
	// Output:
	// rule 1: MalformedXML: rule 1 is null, not an object
	// rule 2: MalformedXML: unknown member "MaxAge" in a rule; S3 calls it "MaxAgeSeconds"
	// rule 2: InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is get
}

// A server's PutBucketCors reads the body with DecodeXML, which takes
// XML only, as S3 does, and gives S3's verdict with bucket.New. Every
// refusal is an *s3err.Error, sent as S3 sends it. DecodeXML returns the
// body's own read errors wrapped, not as S3 errors: S3 answers a body that
// ends short of its Content-Length with 400 IncompleteBody, and one the
// client paused past the server's read deadline with 400 RequestTimeout,
// never with a 500, which SDKs retry.
func ExampleDecodeXML() {
	// The buckets' configurations, which PutBucketCors changes while
	// bucket.Middleware's Resolve reads them on other requests' goroutines.
	var configs sync.Map // bucket name -> *bucket.Config
	putBucketCors := func(w http.ResponseWriter, r *http.Request, name string) {
		doc, err := xmlconfig.DecodeXML(r.Body)
		var cfg *bucket.Config
		if err == nil {
			cfg, err = bucket.New(doc.Rules)
		}
		var e *s3err.Error
		switch {
		case errors.As(err, &e):
			e.WriteResponse(w)
			return
		case err != nil: // reading the body failed
			answer := s3err.IncompleteBody()
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				answer = s3err.RequestTimeout()
			}
			answer.WriteResponse(w)
			return
		}
		configs.Store(name, cfg) // replaced whole: a Config is never changed
		w.WriteHeader(http.StatusOK)
	}

	for _, body := range []io.Reader{
		strings.NewReader(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`),
		strings.NewReader(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>`),
		strings.NewReader(`{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}`),
		// The client went away before sending its Content-Length bytes,
		// as net/http's request body reports it.
		io.MultiReader(strings.NewReader(`<CORSConfiguration><CORSRule>`), iotest.ErrReader(io.ErrUnexpectedEOF)),
		// The client paused past the server's ReadTimeout.
		io.MultiReader(strings.NewReader(`<CORSConfiguration><CORSRule>`), iotest.ErrReader(os.ErrDeadlineExceeded)),
	} {
		rec := httptest.NewRecorder()
		putBucketCors(rec, httptest.NewRequest(http.MethodPut, "/photos?cors", body), "photos")
		fmt.Println(rec.Code, extract(rec.Body.String(), "Code", "OK"))
	}
	cfg, _ := configs.Load("photos")
	fmt.Println(cfg.(*bucket.Config).Len())
	// Output:
	// 200 OK
	// 400 InvalidRequest
	// 400 MalformedXML
	// 400 IncompleteBody
	// 400 RequestTimeout
	// 1
}

// extract returns the text of the first element name in an XML
// document, or none when it has no such element.
func extract(doc, name, none string) string {
	_, rest, found := strings.Cut(doc, "<"+name+">")
	if !found {
		return none
	}
	text, _, _ := strings.Cut(rest, "</"+name+">")
	return text
}
