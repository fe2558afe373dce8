package s3proxy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// ownAnswer is a request TestOwnAnswerHeaders sends to the proxy and to
// s3cors serve.
type ownAnswer struct {
	name         string
	method, path string
	body         string
	header       []string
	// secret signs the request; "" sends it unsigned.
	secret string
	// dead sends it to a proxy whose upstream does not answer.
	dead bool
	// twin, when set, is the request serve is sent in its place, one
	// whose answer has the same shape (its status and its headers):
	// serve has no answer of the proxy's own, such as its 503, or
	// answers another way. The bodies are then not compared, and the
	// proxy's status must be status.
	twin   *ownAnswer
	status int
}

// TestOwnAnswerHeaders sends requests the proxy answers itself, errors
// and successes, to a proxy in front of s3cors serve and to another
// serve, and wants the same headers from both as S3 sends them (Server:
// AmazonS3, one x-amz-request-id and one x-amz-id-2, which the error
// body names, Content-Type application/xml, the body chunked,
// Connection: close after a 400) and the same body but for the IDs and
// the allowed hosts' flag. The proxy pretends to be S3 in what it
// answers itself; what it passes on keeps the upstream's headers.
// One at a time: the cases build on the configuration the earlier ones
// stored.
func TestOwnAnswerHeaders(t *testing.T) {
	t.Parallel()
	keys := map[string]string{upstreamAccessKey: upstreamSecretKey}
	serveOpts := s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
	serve := ownAnswerEndpoint(t, serveOpts)
	up := ownAnswerEndpoint(t, serveOpts)
	opts := s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey, Keys: keys}
	front, _ := startProxy(t, opts)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	opts.Upstream = gone.URL
	dead, _ := startProxy(t, opts)
	rules := `<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`
	md5 := []string{"Content-MD5", vectortest.ContentMD5([]byte(rules))}
	preflight := []string{"Origin", "https://a.example", "Access-Control-Request-Method", "GET"}
	noSuchBucket := &ownAnswer{method: "GET", path: "/missing?cors", secret: upstreamSecretKey}
	accessDenied := &ownAnswer{method: "GET", path: "/photos?cors"}
	for _, c := range []ownAnswer{
		{name: "SignatureDoesNotMatch", method: "GET", path: "/photos?cors", secret: "guessed"},
		{name: "AccessDenied unsigned", method: "GET", path: "/photos?cors"},
		{name: "NoSuchBucket", method: "GET", path: "/missing?cors", secret: upstreamSecretKey},
		{name: "NoSuchCORSConfiguration", method: "GET", path: "/photos?cors", secret: upstreamSecretKey},
		{name: "MalformedXML", method: "PUT", path: "/photos?cors", body: "<CORSConfiguration>", secret: upstreamSecretKey,
			header: []string{"Content-MD5", vectortest.ContentMD5([]byte("<CORSConfiguration>"))}},
		{name: "two subresources", method: "PUT", path: "/photos?cors&tagging", body: rules, header: md5, secret: upstreamSecretKey},
		{name: "version at a bucket", method: "DELETE", path: "/photos?cors&versionId=1", secret: upstreamSecretKey},
		{name: "Host not allowed", method: "GET", path: "/photos?cors", header: []string{"Host", "elsewhere.example"}},
		{name: "service preflight", method: "OPTIONS", path: "/", header: preflight},
		{name: "preflight without configuration", method: "OPTIONS", path: "/photos/k", header: preflight},
		{name: "config bucket", method: "GET", path: "/" + s3proxy.DefaultConfigBucket + "/photos", secret: upstreamSecretKey, twin: accessDenied, status: http.StatusForbidden},
		{name: "upstream unreachable", method: "GET", path: "/photos/k", secret: upstreamSecretKey, dead: true, twin: noSuchBucket, status: http.StatusServiceUnavailable},
		{name: "PutBucketCors", method: "PUT", path: "/photos?cors", body: rules, header: md5, secret: upstreamSecretKey},
		{name: "GetBucketCors", method: "GET", path: "/photos?cors", secret: upstreamSecretKey},
		{name: "allowed preflight", method: "OPTIONS", path: "/photos/k", header: preflight},
		{name: "refused preflight", method: "OPTIONS", path: "/photos/k", header: []string{"Origin", "https://b.example", "Access-Control-Request-Method", "GET"}},
		{name: "DeleteBucketCors", method: "DELETE", path: "/photos?cors", secret: upstreamSecretKey},
	} {
		t.Run(c.name, func(t *testing.T) {
			proxy := front
			if c.dead {
				proxy = dead
			}
			got := sendOwnAnswer(t, proxy.URL, c)
			ref := c
			if c.twin != nil {
				ref = *c.twin
			}
			want := sendOwnAnswer(t, serve.URL, ref)
			if c.twin != nil {
				want.status = c.status
			}
			if got.status != want.status {
				t.Errorf("proxy's status %d, serve's %d", got.status, want.status)
			}
			if got.headers != want.headers {
				t.Errorf("proxy's headers:\n%s\nserve's:\n%s", got.headers, want.headers)
			}
			if c.twin == nil && got.body != want.body {
				t.Errorf("proxy's body:\n%s\nserve's:\n%s", got.body, want.body)
			}
		})
	}
}

// ownAnswerEndpoint starts s3cors serve with opts and the bucket photos.
func ownAnswerEndpoint(t *testing.T, opts s3server.Options) *httptest.Server {
	t.Helper()
	srv, s := s3servertest.NewServer(t, opts)
	if err := s.CreateBucket("photos", ""); err != nil {
		t.Fatal(err)
	}
	return srv
}

// shapedAnswer is an answer as TestOwnAnswerHeaders compares it.
type shapedAnswer struct {
	status int
	// headers holds a line a header, sorted; the request
	// IDs and Date are given by their count of values, the IDs also by
	// whether the error body names them.
	headers string
	// body is the body with its IDs left out, and the flag that names
	// the allowed hosts spelled as serve's.
	body string
}

var (
	bodyRequestID = regexp.MustCompile(`<RequestId>([^<]*)</RequestId>`)
	bodyHostID    = regexp.MustCompile(`<HostId>([^<]*)</HostId>`)
	// signedParts are the details of a SignatureDoesNotMatch that name
	// the endpoint's address.
	signedParts = regexp.MustCompile(`(?s)<StringToSign>.*</CanonicalRequestBytes>`)
)

// sendOwnAnswer sends c to the endpoint at url and shapes its answer.
func sendOwnAnswer(t *testing.T, url string, c ownAnswer) shapedAnswer {
	t.Helper()
	ep := &vectortest.Endpoint{URL: url, HTTP: testClient}
	var body []byte
	if c.body != "" {
		body = []byte(c.body)
	}
	req := ep.Request(t, c.method, c.path, body)
	for i := 0; i+1 < len(c.header); i += 2 {
		if c.header[i] == "Host" {
			req.Host = c.header[i+1]
		} else {
			req.Header.Set(c.header[i], c.header[i+1])
		}
	}
	if c.secret != "" {
		vectortest.SignRequest(t, req, body, upstreamAccessKey, c.secret, time.Now())
	}
	return shapeAnswer(ep.Send(t, req))
}

// shapeAnswer returns what TestOwnAnswerHeaders compares of res.
func shapeAnswer(res vectortest.Response) shapedAnswer {
	var lines []string
	ids := map[string]string{}
	for name, v := range res.Header {
		switch name {
		case "Date", "X-Amz-Request-Id", "X-Amz-Id-2":
			lines = append(lines, fmt.Sprintf("%s: %d values", name, len(v)))
			if len(v) > 0 {
				ids[name] = v[0]
			}
		default:
			lines = append(lines, name+": "+strings.Join(v, " | "))
		}
	}
	lines = append(lines, fmt.Sprintf("Transfer-Encoding: %q", res.TransferEncoding),
		fmt.Sprint("Content-Length known: ", res.ContentLength >= 0),
		fmt.Sprint("Connection: close: ", res.Close)) // net/http takes the header out
	body := string(res.Body)
	if m := bodyRequestID.FindStringSubmatch(body); m != nil {
		lines = append(lines, fmt.Sprint("body's RequestId is the header's: ", m[1] == ids["X-Amz-Request-Id"]))
	}
	if m := bodyHostID.FindStringSubmatch(body); m != nil {
		lines = append(lines, fmt.Sprint("body's HostId is the header's: ", m[1] == ids["X-Amz-Id-2"]))
	}
	slices.Sort(lines)
	body = bodyRequestID.ReplaceAllString(body, "<RequestId/>")
	body = bodyHostID.ReplaceAllString(body, "<HostId/>")
	body = signedParts.ReplaceAllString(body, "")
	body = strings.ReplaceAll(body, "s3cors proxy --allowed-hosts", "s3cors serve --allowed-hosts")
	return shapedAnswer{status: res.StatusCode, headers: strings.Join(lines, "\n"), body: body}
}

// TestForwardedServerAndIDs checks the Server header and the request IDs
// of answers the proxy passes on: the upstream's, once each, and no
// Server of the proxy's own beside or in place of the upstream's.
// versitygw sends each ID twice with the same value (X-Amz-Request-Id
// and x-amz-request-id, seen at versitygw v1.8.0 through the proxy as two
// x-amz-request-id lines), which the proxy sends once, as S3 does.
func TestForwardedServerAndIDs(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if server := r.URL.Query().Get("server"); server != "" {
			h["Server"] = []string{server}
		}
		// Each of these names is written as a line of its own.
		h["X-Amz-Request-Id"] = []string{"RID1"}
		h["x-amz-request-id"] = []string{r.URL.Query().Get("rid")}
		h["X-Amz-Id-2"] = []string{"HID1"}
		h["x-amz-id-2"] = []string{"HID1"}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	for _, c := range []struct {
		name, query string
		server      []string
		requestIDs  []string
	}{
		{"versitygw's", "server=VERSITYGW&rid=RID1", []string{"VERSITYGW"}, []string{"RID1"}},
		{"no Server", "rid=RID1", nil, []string{"RID1"}},
		{"two request IDs", "server=MinIO&rid=RID2", []string{"MinIO"}, []string{"RID1", "RID2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, "GET", front.URL+"/photos/k?"+c.query, nil)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", r.StatusCode, r.body)
			}
			if got := r.Header["Server"]; !slices.Equal(got, c.server) {
				t.Errorf("Server %q, want the upstream's %q", got, c.server)
			}
			if got := r.Header["X-Amz-Request-Id"]; !slices.Equal(got, c.requestIDs) {
				t.Errorf("x-amz-request-id %q, want %q", got, c.requestIDs)
			}
			if got := r.Header["X-Amz-Id-2"]; !slices.Equal(got, []string{"HID1"}) {
				t.Errorf("x-amz-id-2 %q, want one HID1", got)
			}
		})
	}
}
