package s3proxy_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestRoutingParity sends the same raw requests to s3cors serve and to a
// proxy in front of another serve, both with the domain localhost and a
// bucket with a configuration, and wants the same answer from each: the
// proxy routes what it answers itself (preflights, ?cors) as serve does,
// and what it passes on reaches serve as it came. After each request
// both are asked for the bucket's configuration, which must match: a
// request one takes for a PutBucketCors or DeleteBucketCors and the
// other refuses would leave them apart.
func TestRoutingParity(t *testing.T) {
	t.Parallel()
	const domain = "localhost"
	endpoints := make([]string, 2) // serve, then the proxy
	for i := range endpoints {
		up, store := s3servertest.NewServer(t, s3server.Options{Domains: []string{domain}})
		if err := store.CreateBucket("photos", ""); err != nil {
			t.Fatal(err)
		}
		endpoints[i] = up.Listener.Addr().String()
		if i == 1 {
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Domains: []string{domain}})
			endpoints[i] = front.Listener.Addr().String()
		}
	}
	first := corsPut("https://first.example")
	for _, addr := range endpoints {
		if got := rawAnswer(t, addr, first, "PUT /photos?cors"); got.status != http.StatusOK {
			t.Fatalf("PutBucketCors to %s: %+v", addr, got)
		}
	}
	// proxyRefuses holds the Hosts the proxy refuses on purpose with
	// 400 InvalidArgument where serve answers the bucket: virtual-hosted
	// Hosts ending in "." (see [s3proxy.Proxy.ServeHTTP]), which an
	// upstream that keeps the dot could route to another bucket.
	proxyRefuses := map[string]bool{"PHOTOS.LocalHost.:80": true, "photos.localhost.": true}
	// statuses are the answers both must give to some requests ("METHOD
	// TARGET HOST"): a bracketed Host is path style, so "[::1]" reaches
	// photos by its path, and "[photos.localhost]" never gets photos's
	// configuration (GET /k?cors there is bucket k's, which does not
	// exist).
	statuses := map[string]int{
		"GET /photos?cors [::1]":            http.StatusOK,
		"GET /k?cors [photos.localhost]:80": http.StatusNotFound,
		"GET /k?cors [photos.localhost]":    http.StatusNotFound,
	}
	for _, c := range []struct {
		// request is "METHOD TARGET", then optionally a Host; a PUT
		// sends a valid configuration that differs from the first.
		request, host string
	}{
		// Two subresources: S3 refuses them, whatever the method
		// (brekkylab/backlot tests/test_s3.py, measured on S3).
		{"PUT /photos?cors&tagging", ""},
		{"PUT /photos?tagging&cors", ""},
		{"PUT /photos?cors&website", ""},
		{"GET /photos?cors&tagging", ""},
		{"GET /photos?acl&cors", ""},
		{"DELETE /photos?cors&tagging", ""},
		{"DELETE /photos?cors&lifecycle", ""},
		{"DELETE /photos?uploads&cors", ""},
		// Parameters that are not subresources are no conflict.
		{"GET /photos?cors&versionId=1", ""},
		{"GET /photos?cors&session", ""},
		{"HEAD /photos?cors", ""},
		{"HEAD /photos?cors&acl", ""},
		{"OPTIONS /?cors", ""},
		{"OPTIONS /photos?cors&tagging", ""},
		{"GET //photos?cors", ""},
		{"DELETE //photos?cors", ""},
		{"GET /PHOTOS?cors", ""},
		{"GET /%70hotos?cors", ""},
		{"GET /photos/?cors", ""},
		{"GET /photos/key?cors", ""},
		// The other methods at a key are the bucket's too (S3's 405s
		// there name the subresource's resource).
		{"PUT /photos/key?cors", ""},
		{"DELETE /photos/key?cors", ""},
		{"POST /photos/key?cors", ""},
		{"POST /photos?cors", ""},
		{"GET /?cors", "PHOTOS.LocalHost.:80"},
		{"PUT /?cors", "photos.localhost."},
		{"GET /?cors", "photos.localhost"},
		{"DELETE /?cors&tagging", "photos.localhost"},
		{"GET http://photos.localhost/?cors", "elsewhere"},
		{"DELETE http://localhost/photos?cors&website", "elsewhere"},
		{"PUT /photos?cors&website", "photos.localhost"},
		{"DELETE /photos?cors", ""},
		{"PUT /photos?cors", ""},
		// A version or a part of an object at a bucket's path: refused
		// by both (see TestBucketPathRefusals).
		{"DELETE /photos?cors&versionId=1", ""},
		{"PUT /photos?cors&versionId=1", ""},
		{"DELETE /photos/?cors&versionId=", ""},
		{"DELETE /photos?partNumber=1", ""},
		{"DELETE /photos?cors&partNumber=1", ""},
		{"PUT /photos?cors&partNumber=1", ""},
		{"PUT /photos/key?cors&partNumber=1", ""},
		{"PUT /photos/key?cors&versionId=1", ""},
		{"DELETE /photos/key?cors&versionId=1", ""},
		// A key S3 would not take, as ?cors's: refused for the key after
		// the bucket's name and before its existence (see s3server's
		// prepare). UNVERIFIED: S3 was measured with ?cors at usable keys
		// only.
		{"PUT /photos/" + strings.Repeat("k", 1025) + "?cors", ""},
		{"GET /photos/" + strings.Repeat("k", 1025) + "?cors", ""},
		{"DELETE /photos/" + strings.Repeat("k", 1025) + "?cors", ""},
		{"PUT /photos/%FF?cors", ""},
		{"GET /photos/%FF?cors", ""},
		{"DELETE /photos/%FF?cors", ""},
		{"PUT /missing/%FF?cors", ""},
		{"PUT /missing/" + strings.Repeat("k", 1025) + "?cors", ""},
		{"PUT /bad%20name/%FF?cors", ""},
		{"PUT /photos/" + strings.Repeat("k", 1024) + "?cors", ""},
		// Brackets hold an IP literal, which names no bucket (see
		// s3route.TestAddress): path style, whatever they hold
		// (statuses).
		{"OPTIONS /photos/k", "[::1]:80"},
		{"GET /photos?cors", "[::1]"},
		{"PUT /photos?cors", "[::1]."},
		{"OPTIONS /k", "[photos.localhost]:80"},
		{"GET /k?cors", "[photos.localhost]:80"},
		{"GET /k?cors", "[photos.localhost]"},
		{"PUT /?cors", "[photos.localhost]:80"},
		{"DELETE /?cors", "[photos.localhost"},
		{"OPTIONS /k", "[photos.localhost.]"},
	} {
		// One at a time: the cases keep serve and the proxy in step.
		t.Run(c.request+" "+c.host, func(t *testing.T) {
			second := corsPut("https://second.example")
			var got [2]routed
			for i, addr := range endpoints {
				got[i] = rawAnswer(t, addr, second, c.request, c.host)
			}
			if proxyRefuses[c.host] {
				if got[0].status != http.StatusOK && got[0].status != http.StatusNotFound {
					t.Errorf("serve: %+v, want the bucket's answer", got[0])
				}
				if got[1].status != http.StatusBadRequest || got[1].code != "InvalidArgument" {
					t.Errorf("proxy: %+v, want 400 InvalidArgument", got[1])
				}
				// Keep the two in step for the cases after this one.
				for _, addr := range endpoints {
					rawAnswer(t, addr, first, "PUT /photos?cors")
				}
			} else if got[0] != got[1] {
				t.Errorf("serve: %+v\nproxy: %+v", got[0], got[1])
			}
			if want, ok := statuses[c.request+" "+c.host]; ok && (got[0].status != want || got[1].status != want) {
				t.Errorf("serve: %+v\nproxy: %+v\nwant %d from both", got[0], got[1], want)
			}
			for i, addr := range endpoints {
				got[i] = rawAnswer(t, addr, "", "GET /photos?cors")
			}
			if got[0] != got[1] {
				t.Errorf("GetBucketCors afterwards:\nserve: %+v\nproxy: %+v", got[0], got[1])
			}
		})
	}
}

// TestGetBucketCorsAtKey reads ?cors at an object's path, which S3
// answers as the bucket's GetBucketCors (brekkylab/backlot routers/s3.py,
// measured on S3): the proxy answers it with the configuration it keeps,
// as at the bucket's path, and never passes it to the upstream, which
// would answer the object, or CORS of its own.
func TestGetBucketCorsAtKey(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	client := sdkClient(front.URL, "AKID", "SECRET")
	putRules(t, client, "victim")
	want := do(t, "GET", front.URL+"/victim?cors", nil)
	if want.StatusCode != http.StatusOK {
		t.Fatalf("GetBucketCors: %d %s", want.StatusCode, want.body)
	}
	count.requests()
	for _, path := range []string{"/victim/obj?cors", "/victim/missing?cors"} {
		if r := do(t, "GET", front.URL+path, nil); r.StatusCode != http.StatusOK || string(r.body) != string(want.body) {
			t.Errorf("GET %s: %d %s, want the bucket's configuration: %s", path, r.StatusCode, r.body, want.body)
		}
	}
	if seen := count.requests(); len(seen) > 0 {
		t.Errorf("GET ?cors at a key reached the upstream: %q", seen)
	}
}

// routed is what TestRoutingParity compares of an answer.
type routed struct {
	status int
	// code is the error's code; body is the body of a GetBucketCors.
	code, allowOrigin, body string
}

// corsPut returns the body and headers of a PutBucketCors that allows
// origin.
func corsPut(origin string) string {
	doc := `<CORSConfiguration><CORSRule><AllowedOrigin>` + origin + `</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`
	return fmt.Sprintf("Content-MD5: %s\r\nContent-Length: %d\r\n\r\n%s", contentMD5([]byte(doc)), len(doc), doc)
}

var errorCode = regexp.MustCompile(`<Code>([^<]*)</Code>`)

// rawAnswer sends request ("METHOD TARGET") to addr as it is, with Host
// host (default localhost), an Origin and, for a PUT, put (headers and
// body), on a connection of its own, and reads the answer.
func rawAnswer(t *testing.T, addr, put, request string, host ...string) routed {
	t.Helper()
	method, _, _ := strings.Cut(request, " ")
	h := "localhost"
	if len(host) > 0 && host[0] != "" {
		h = host[0]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nOrigin: https://first.example\r\n", request, h)
	if method == "OPTIONS" {
		b.WriteString("Access-Control-Request-Method: GET\r\n")
	}
	if method == "PUT" {
		b.WriteString(put)
	} else {
		b.WriteString("\r\n")
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s to %s: %v", request, addr, err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s to %s: %v", request, addr, err)
	}
	a := routed{status: res.StatusCode, allowOrigin: res.Header.Get("Access-Control-Allow-Origin")}
	if m := errorCode.FindSubmatch(body); m != nil {
		a.code = string(m[1])
	} else if strings.Contains(request, "cors") && method == "GET" {
		a.body = string(body)
	}
	return a
}

// TestBucketPathRefusals sends a version or a part of an object to a
// bucket's path, which S3 refuses after the conflict and before the
// credential and the bucket (brekkylab/backlot routers/s3.py
// _version_id_refusal and _bucket_selected, measured on S3), as s3cors
// serve does: the proxy refuses them too, so that DELETE or PUT
// /b?cors&versionId=x neither deletes nor replaces the configuration it
// keeps, and none reaches the upstream, which might take DELETE
// /b?versionId=x for a DeleteBucket.
func TestBucketPathRefusals(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	putRules(t, sdkClient(front.URL, "AKID", "SECRET"), "victim")
	before := do(t, "GET", front.URL+"/victim?cors", nil)
	if before.StatusCode != http.StatusOK {
		t.Fatalf("GetBucketCors: %d %s", before.StatusCode, before.body)
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://other.example</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	versionRefusal := func(v string) string {
		return "<Code>InvalidArgument</Code><Message>This operation does not accept a version-id.</Message>" +
			"<ArgumentName>versionId</ArgumentName><ArgumentValue>" + v + "</ArgumentValue>"
	}
	partRefusal := "<Code>InvalidRequest</Code><Message>Object must have a valid key name.</Message>"
	count.requests()
	for _, c := range []struct {
		method, path string
		body         []byte
		status       int
		want         string
	}{
		{"DELETE", "/victim?cors&versionId=null", nil, 400, versionRefusal("null")},
		{"DELETE", "/victim/?cors&versionId=", nil, 400, versionRefusal("")},
		{"PUT", "/victim?cors&versionId=3HL4kqtJlcpXroDTDmJ", doc, 400, versionRefusal("3HL4kqtJlcpXroDTDmJ")},
		{"DELETE", "/victim?versionId=a&versionId=b", nil, 400, versionRefusal("a")},
		{"DELETE", "/victim?partNumber=1", nil, 400, partRefusal},
		{"PUT", "/victim?partNumber=abc", nil, 400, partRefusal},
	} {
		var header []string
		if c.body != nil {
			header = []string{"Content-MD5", contentMD5(c.body)}
		}
		r := do(t, c.method, front.URL+c.path, c.body, header...)
		if r.StatusCode != c.status || !strings.Contains(string(r.body), c.want) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, r.StatusCode, r.body, c.status, c.want)
		}
	}
	if seen := count.requests(); len(seen) > 0 {
		t.Errorf("refused requests reached the upstream: %q", seen)
	}
	if after := do(t, "GET", front.URL+"/victim?cors", nil); after.StatusCode != http.StatusOK || string(after.body) != string(before.body) {
		t.Errorf("GetBucketCors afterwards: %d %s, want the configuration unchanged: %s", after.StatusCode, after.body, before.body)
	}
}

// TestCorsAtUnusableKey sends Put/Get/DeleteBucketCors at a key S3 would
// not take, too long or not UTF-8, to a proxy that requires signatures:
// a signature that does not verify is refused first, then the key, as
// s3cors serve refuses it (KeyTooLongError, InvalidURI), in a bucket
// that exists or not, and the configuration stays as it was.
// UNVERIFIED: S3 was measured with ?cors at usable keys only
// (brekkylab/backlot); it refuses a HeadObject of a key over 1024 bytes
// with 400 (s3fs-fuse/s3fs-fuse#1602), so it checks keys beyond writes.
func TestCorsAtUnusableKey(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	putRules(t, sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey), "victim")
	ep := &vectortest.Endpoint{URL: front.URL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
	before := ep.Signed(t, ep.Request(t, "GET", "/victim?cors", nil), nil)
	if before.StatusCode != http.StatusOK {
		t.Fatalf("GetBucketCors: %s", before)
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://other.example</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	long := strings.Repeat("k", 1025)
	tooLong := "<Code>KeyTooLongError</Code><Message>Your key is too long.</Message><Size>1025</Size><MaxSizeAllowed>1024</MaxSizeAllowed>"
	invalidURI := "<Code>InvalidURI</Code><Message>Couldn't parse the specified URI.</Message>"
	count.requests()
	for _, c := range []struct {
		method, path, secret string
		status               int
		want                 string
	}{
		{"PUT", "/victim/" + long + "?cors", upstreamSecretKey, 400, tooLong},
		{"GET", "/victim/" + long + "?cors", upstreamSecretKey, 400, tooLong},
		{"DELETE", "/victim/" + long + "?cors", upstreamSecretKey, 400, tooLong},
		{"PUT", "/victim/%FF?cors", upstreamSecretKey, 400, invalidURI},
		{"GET", "/victim/a%C3?cors", upstreamSecretKey, 400, invalidURI},
		{"DELETE", "/victim/%FF?cors", upstreamSecretKey, 400, invalidURI},
		{"PUT", "/missing/%FF?cors", upstreamSecretKey, 400, invalidURI},
		{"PUT", "/victim/%FF?cors", "guessed", 403, "<Code>SignatureDoesNotMatch</Code>"},
		{"DELETE", "/victim/" + long + "?cors", "guessed", 403, "<Code>SignatureDoesNotMatch</Code>"},
	} {
		var body []byte
		var header []string
		if c.method == "PUT" {
			body, header = doc, []string{"Content-MD5", vectortest.ContentMD5(doc)}
		}
		req := ep.Request(t, c.method, c.path, body, header...)
		vectortest.SignRequest(t, req, body, upstreamAccessKey, c.secret, time.Now())
		if r := ep.Send(t, req); r.StatusCode != c.status || !strings.Contains(string(r.Body), c.want) {
			t.Errorf("%s %.40s (secret %s): %s, want %d %s", c.method, c.path, c.secret, r, c.status, c.want)
		}
	}
	if seen := count.requests(); len(seen) > 0 {
		t.Errorf("refused requests reached the upstream: %q", seen)
	}
	if after := ep.Signed(t, ep.Request(t, "GET", "/victim?cors", nil), nil); after.StatusCode != http.StatusOK || string(after.Body) != string(before.Body) {
		t.Errorf("GetBucketCors afterwards: %s, want the configuration unchanged: %s", after, before.Body)
	}
}
