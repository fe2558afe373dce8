package bucket_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3err"
)

// s3ErrorBody is an S3 error document with the request IDs checkRefusal
// sets.
func s3ErrorBody(code, message string, details ...string) string {
	return vectortest.ErrorDocument(code, message, "REQ", "HOST", details...)
}

// TestRefusedPreflightBodies checks, byte for byte, the body and the
// headers the Middleware sends for each refusal of spec §3.1, for every
// Access-Control-Request-Method (absent, each of the five, one S3 does not
// allow) and both resource types: the 403s name the method (OPTIONS when
// none was sent) and the resource type (BUCKET, but OBJECT for a refusal
// by the rules at an object URL), between Message and RequestId; the 400s
// carry no extra element and close the connection. None carries an
// Access-Control-* header or Vary.
func TestRefusedPreflightBodies(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	const (
		noBucket = "CORSResponse: Bucket not found"
		noConfig = "CORSResponse: CORS is not enabled for this bucket."
		noMatch  = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, " +
			"request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
	)
	type refusal struct {
		name   string
		target bucket.Target
		origin string
	}
	var refusals []refusal
	for _, object := range []bool{false, true} {
		refusals = append(refusals,
			refusal{"missing bucket", bucket.Target{NoBucket: true, Object: object}, "https://app.example"},
			refusal{"no configuration", bucket.Target{Object: object}, "https://app.example"},
			refusal{"no rule", bucket.Target{Config: cfg, Object: object}, "https://evil.example"},
		)
	}
	for _, rf := range refusals {
		for _, acrm := range []string{"", "GET", "PUT", "HEAD", "POST", "DELETE", "PATCH"} {
			resourceType := "BUCKET"
			if rf.target.Object {
				resourceType = "OBJECT"
			}
			method := acrm
			if method == "" {
				method = "OPTIONS"
			}
			status, want := 403, ""
			switch {
			case rf.name == "missing bucket":
				want = s3ErrorBody("AccessForbidden", noBucket, "Method", method, "ResourceType", "BUCKET")
			case rf.name == "no configuration":
				want = s3ErrorBody("AccessForbidden", noConfig, "Method", method, "ResourceType", "BUCKET")
			case acrm == "":
				status, want = 400, s3ErrorBody("BadRequest", "Invalid Access-Control-Request-Method: null")
			case acrm == "PATCH":
				status, want = 400, s3ErrorBody("BadRequest", "Invalid Access-Control-Request-Method: PATCH")
			default:
				want = s3ErrorBody("AccessForbidden", noMatch, "Method", method, "ResourceType", resourceType)
			}
			t.Run(rf.name+" "+resourceType+" "+method, func(t *testing.T) {
				t.Parallel()
				h := hdr("Origin", rf.origin)
				if acrm != "" {
					h.Set("Access-Control-Request-Method", acrm)
				}
				checkRefusal(t, rf.target, h, status, want)
			})
		}
	}
	t.Run("no Origin", func(t *testing.T) {
		t.Parallel()
		want := s3ErrorBody("BadRequest", "Insufficient information. Origin request header needed.")
		for _, target := range []bucket.Target{{Config: cfg, Object: true}, {NoBucket: true}, {}} {
			checkRefusal(t, target, hdr("Access-Control-Request-Method", "GET", "Referer", "https://app.example/"), 400, want)
		}
	})
}

// checkRefusal sends a preflight with header h to a Middleware resolving
// every request to target, and checks S3's refusal: status, body, and the
// headers of spec §3.1.
func checkRefusal(t *testing.T, target bucket.Target, h http.Header, status int, body string) {
	t.Helper()
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}
	req := httptest.NewRequest("OPTIONS", "/b/k", nil)
	req.Header = h
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{"REQ"}
	rec.Header()[s3err.HostIDHeader] = []string{"HOST"}
	mw.Wrap(http.NotFoundHandler()).ServeHTTP(rec, req)
	if rec.Code != status {
		t.Errorf("status %d, want %d", rec.Code, status)
	}
	if diff := cmp.Diff(body, rec.Body.String()); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	connection := ""
	if status == http.StatusBadRequest {
		connection = "close"
	}
	want := map[string]string{"Content-Type": "application/xml", "Transfer-Encoding": "chunked", "Connection": connection, "Content-Length": "", "Vary": ""}
	got := map[string]string{}
	for name := range want {
		got[name] = strings.Join(rec.Header()[name], ", ")
	}
	for name := range rec.Header() {
		if strings.HasPrefix(name, "Access-Control-") {
			got[name] = strings.Join(rec.Header()[name], ", ")
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}
