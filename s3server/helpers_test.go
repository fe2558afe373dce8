package s3server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// Keys of the servers that check signatures.
const (
	testAccessKey = "AKIDS3CORSTEST"
	testSecretKey = "s3cors/test/secret+key"
)

// testServer is a server under test with what tests need to talk to it.
type testServer struct {
	*httptest.Server
	s *s3server.Server
	t testing.TB
}

func newTestServer(t testing.TB, opts s3server.Options) *testServer {
	t.Helper()
	srv, s := s3servertest.NewServer(t, opts)
	return &testServer{Server: srv, s: s, t: t}
}

// with returns ts reporting to t: a subtest's failure to reach the server
// must end that subtest, since FailNow on the parent test from a
// subtest's goroutine only says that a subtest called it.
func (ts *testServer) with(t testing.TB) *testServer {
	c := *ts
	c.t = t
	return &c
}

// signedServer starts an in-memory server that checks signatures.
func signedServer(t testing.TB) *testServer {
	return newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
}

// response is a response with its body read.
type response struct {
	*http.Response
	body []byte
}

func (r response) String() string { return r.Status + " " + string(r.body) }

// do sends a request to the server and reads the response.
func (ts *testServer) do(method, path string, body []byte, header ...string) response {
	ts.t.Helper()
	return ts.send(ts.request(method, path, body, header...))
}

func (ts *testServer) request(method, path string, body []byte, header ...string) *http.Request {
	ts.t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		ts.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return req
}

func (ts *testServer) send(req *http.Request) response {
	ts.t.Helper()
	resp, err := ts.Client().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return response{resp, b}
}

// signed signs req as aws-sdk-go-v2 does, with the payload's hash in
// x-amz-content-sha256, and sends it.
func (ts *testServer) signed(req *http.Request, body []byte) response {
	ts.t.Helper()
	signRequest(ts.t, req, body, testAccessKey, testSecretKey, time.Now())
	return ts.send(req)
}

// signRequest signs req as aws-sdk-go-v2 does (vectortest.SignRequest).
var signRequest = vectortest.SignRequest

// mustStatus fails the test unless r has the status.
func mustStatus(t testing.TB, r response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: %s, want status %d", r.Request.Method, r.Request.URL.Path, r, status)
	}
}

var idsRE = regexp.MustCompile(`<RequestId>[^<]*</RequestId><HostId>[^<]*</HostId>`)

// normalizeIDs replaces an error document's request IDs by "ID".
func normalizeIDs(b []byte) string {
	return idsRE.ReplaceAllString(string(b), "<RequestId>ID</RequestId><HostId>ID</HostId>")
}

// errorDoc is an S3 error document with its IDs replaced by "ID", as
// normalizeIDs replaces them.
func errorDoc(code, message string, details ...string) string {
	return vectortest.ErrorDocument(code, message, "ID", "ID", details...)
}

// mustError fails the test unless r is the S3 error with status and body.
func mustError(t testing.TB, r response, status int, want string) {
	t.Helper()
	if r.StatusCode != status || normalizeIDs(r.body) != want || r.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("%s %s:\n got %d %s %s\nwant %d application/xml %s", r.Request.Method, r.Request.URL, r.StatusCode,
			r.Header.Get("Content-Type"), normalizeIDs(r.body), status, want)
	}
}

func contentMD5(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// apiError returns the S3 code and HTTP status of an SDK error.
func apiError(t testing.TB, err error) (code string, status int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%v is not a smithy.APIError", err)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), status
}

const corsXMLPrefix = `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`

// corsDoc wraps rules in a CORSConfiguration.
func corsDoc(rules string) []byte {
	return []byte(corsXMLPrefix + rules + `</CORSConfiguration>`)
}

type httptestServer = httptest.Server

// startHTTPTest serves s on a loopback httptest server.
func startHTTPTest(s *s3server.Server) *httptest.Server { return httptest.NewServer(s) }
