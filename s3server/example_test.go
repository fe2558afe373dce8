package s3server_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

// A server in memory, a bucket and its CORS configuration set up without
// a client, then a browser's preflights as plain HTTP requests: one a
// rule admits, answered 200 with S3's headers, and one from another
// origin, answered with S3's 403 error document. Go tests start the same
// server with package s3servertest, which also gives an aws-sdk-go-v2
// client.
func Example() {
	s, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	if err := s.CreateBucket("photos", "public-read"); err != nil {
		panic(err)
	}
	err = s.PutBucketCors("photos", []corsrule.Rule{{
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type"},
	}})
	if err != nil {
		panic(err)
	}
	// S3's verdict on a configuration it refuses comes as its error.
	err = s.PutBucketCors("photos", []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PATCH"}}})
	if e, ok := errors.AsType[*s3err.Error](err); ok {
		fmt.Println(e.StatusCode, e.Code+":", e.Message)
	}

	for _, origin := range []string{"https://app.example.com", "https://evil.example"} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/photos/cat.jpg", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(origin+":", resp.Status)
		if resp.StatusCode == http.StatusOK {
			for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
				fmt.Printf("  %s: %s\n", h, resp.Header.Get(h))
			}
		} else {
			fmt.Printf("  %s\n", regexp.MustCompile(`<Code>.*</Message>`).Find(body))
		}
	}
	// Output:
	// 400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH
	// https://app.example.com: 200 OK
	//   Access-Control-Allow-Origin: https://app.example.com
	//   Access-Control-Allow-Methods: GET, PUT
	//   Access-Control-Allow-Headers: content-type
	// https://evil.example: 403 Forbidden
	//   <Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.</Message>
}
