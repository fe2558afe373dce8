package s3server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// TestExplainAgreesOnRefusedHead sends HEAD requests that the server
// refuses before any operation runs, with an Origin its bucket's rule
// admits, and checks that explain, asked the same in the server's region,
// predicts every header of the answer and no other: x-amz-bucket-region
// on the refused HeadBucket of an existing bucket (HEAD /bucket?partNumber=1)
// included, which explain left out. The request IDs are compared by name,
// Date not at all, Connection: close by the response's Close.
func TestExplainAgreesOnRefusedHead(t *testing.T) {
	t.Parallel()
	const region = "eu-west-1"
	ts := newTestServer(t, s3server.Options{Region: region})
	rules := corsDoc(`<CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>` +
		`<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>`)
	if err := ts.s.CreateBucket("agree", "private"); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, ts.do("PUT", "/agree?cors", rules, "Content-MD5", contentMD5(rules)), 200)
	doc, err := xmlconfig.Decode(bytes.NewReader(rules))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := bucket.New(doc.Rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bucket, key, query string
	}{
		{"agree", "", "partNumber=1"},
		{"agree", "", "partNumber=1&versionId=v"},
		{"agree", "", "acl&tagging"},
		{"agree", "k", "acl&tagging"},
		{"agree", "k", "partNumber=1&uploadId=u"},
		{"missing", "", "partNumber=1"},
		{"missing", "k", ""},
		{"bad%20name", "", "partNumber=1"},
		{"agree", "k", "torrent"},
		{"agree", strings.Repeat("k", 1025), ""},
		{"agree", "", "uploads&delete"},
	} {
		path := "/" + tc.bucket + "/" + tc.key + "?" + tc.query
		if tc.key == "" {
			path = "/" + tc.bucket + "?" + tc.query
		}
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			got := ts.do("HEAD", path, nil, "Origin", "https://app.example")
			name, _ := url.PathUnescape(tc.bucket)
			query, _ := url.ParseQuery(tc.query)
			target := bucket.Target{Config: cfg, Object: tc.key != "", NoBucket: name != "agree"}
			e := explain.RequestIn(region, "HEAD", query, http.Header{"Origin": {"https://app.example"}}, target, s3route.Address{Bucket: name, Key: tc.key})
			if e.Answer == nil {
				t.Fatalf("explain leaves the answer to the operation; the server answered %s", got.Status)
			}
			if e.Status() != got.StatusCode {
				t.Errorf("status: explain %d, serve %d", e.Status(), got.StatusCode)
			}
			want := map[string]string{}
			for _, kv := range e.Headers {
				want[strings.ToLower(kv[0])] = kv[1]
			}
			for name, v := range got.Header {
				lower := strings.ToLower(name)
				switch {
				case lower == "date":
				case lower == "x-amz-request-id" || lower == "x-amz-id-2":
					if _, ok := want[lower]; !ok {
						t.Errorf("serve sends %s, explain does not", name)
					}
				case want[lower] != strings.Join(v, ", "):
					t.Errorf("%s: explain %q, serve %q", name, want[lower], strings.Join(v, ", "))
				}
				delete(want, lower)
			}
			// Go's client takes Connection out of the header into Close.
			if want["connection"] == "close" && got.Close {
				delete(want, "connection")
			}
			for name, v := range want {
				t.Errorf("explain has %s: %s, serve sends none", name, v)
			}
		})
	}
}
