package s3server_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// TestAllowedHosts checks the Host allow-list: names on the list are
// served whatever their port or case; any other name is answered 400
// InvalidArgument before CORS and authentication, preflights included,
// and changes nothing. A page that rebinds its own name to 127.0.0.1
// sends that name in Host, so it is refused.
func TestAllowedHosts(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	ts := newTestServer(t, s3server.Options{
		AllowedHosts: []string{"localhost", "127.0.0.1", "[::1]", "S3.Example"},
		Logger:       slog.New(slog.NewTextHandler(&log, nil)),
	})
	mustOK(t, ts.s.CreateBucket("hosts", "public-read"))
	mustOK(t, ts.s.PutBucketCors("hosts", []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT"}}}))
	for _, host := range []string{"127.0.0.1", "127.0.0.1:9000", "localhost:9000", "LOCALHOST", "localhost.", "[::1]:9000", "::1", "s3.example", "S3.EXAMPLE:443"} {
		req := ts.request("GET", "/hosts", nil)
		req.Host = host
		if r := ts.send(req); r.StatusCode != 200 {
			t.Errorf("Host %q: %s", host, r)
		}
	}
	refused := func(host string) string {
		return errorDoc("InvalidArgument", "The Host header names a host this endpoint does not answer to; add it to the allowed hosts (s3cors serve --allowed-hosts).",
			"ArgumentName", "Host", "ArgumentValue", host)
	}
	for _, host := range []string{"evil.example:9000", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example:9000",
		"s3.example.evil", "127.0.0.2", "[::2]:9000", "0.0.0.0:9000"} {
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			req := ts.request(method, "/hosts", nil)
			req.Host = host
			mustError(t, ts.send(req), 400, refused(host))
		}
		// A preflight that the bucket's rules allow is refused too, and
		// gets no CORS header: the page must not learn anything.
		req := ts.request("OPTIONS", "/hosts/k", nil, "Origin", "http://"+host, "Access-Control-Request-Method", "GET")
		req.Host = host
		r := ts.send(req)
		mustError(t, r, 400, refused(host))
		if v := r.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("a refused preflight carries Access-Control-Allow-Origin %q", v)
		}
		if r.Header.Get("X-Amz-Request-Id") == "" {
			t.Errorf("the refusal has no request ID")
		}
	}
	// The request line's absolute form names the host too (RFC 9112
	// §3.2.2), and an HTTP/1.0 request may have no Host at all.
	for _, raw := range []string{
		"GET http://evil.example/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"GET /hosts HTTP/1.0\r\n\r\n",
	} {
		if resp := rawRequest(t, ts, raw); !strings.Contains(resp, " 400 Bad Request\r\n") || !strings.Contains(resp, "<Code>InvalidArgument</Code>") {
			t.Errorf("%q: %s", raw, resp)
		}
	}
	if names := ts.s.BucketNames(); len(names) != 1 {
		t.Errorf("refused requests changed the buckets: %q", names)
	}
	if r := ts.do("GET", "/hosts", nil); r.StatusCode != 200 {
		t.Errorf("the bucket after refused DELETEs: %s", r)
	}
	if !strings.Contains(log.String(), "method=OPTIONS path=/hosts/k op=HostNotAllowed status=400") {
		t.Errorf("the log does not name the refusal:\n%s", log.String())
	}
}

// TestAllowedHostsSigned checks that the Host check comes before
// authentication: a correctly signed request for another host is refused
// all the same.
func TestAllowedHostsSigned(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey, AllowedHosts: []string{"127.0.0.1"}})
	req := ts.request("PUT", "/signed-host", nil)
	req.Host = "rebound.example"
	r := ts.signed(req, nil)
	if r.StatusCode != 400 || !strings.Contains(string(r.body), "<ArgumentName>Host</ArgumentName><ArgumentValue>rebound.example</ArgumentValue>") {
		t.Errorf("a signed request for another host: %s", r)
	}
	if names := ts.s.BucketNames(); len(names) != 0 {
		t.Errorf("buckets: %q", names)
	}
}

// TestAllowedHostsOff checks that no list, and "*", answer any Host.
func TestAllowedHostsOff(t *testing.T) {
	t.Parallel()
	for _, hosts := range [][]string{nil, {}, {"*"}, {"localhost", "*"}} {
		ts := newTestServer(t, s3server.Options{AllowedHosts: hosts})
		req := ts.request("GET", "/", nil)
		req.Host = "anything.example"
		if r := ts.send(req); r.StatusCode != http.StatusOK {
			t.Errorf("AllowedHosts %q: %s", hosts, r)
		}
	}
}
