package browsertest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// A case is one fetch() the page makes from its origin to the endpoint,
// and what the browser must decide about it.
type browserCase struct {
	Name   string            // also the bucket name, so each case has its own rules
	Rules  []corsrule.Rule   // the bucket's CORS configuration
	Method string            // fetch method
	Key    string            // object key; the object "exists" is stored beforehand
	Header map[string]string // request headers the page sets
	Body   string            // request body, for PUT
	Creds  bool              // credentials: 'include'
	Expose string            // a response header the page tries to read

	wantOK     bool   // the browser lets the page see the response
	wantStatus int    // the status the page sees, when it does
	wantHeader string // the value the page reads from Expose ("" = null)
	// reached lists the requests that must reach the endpoint, as
	// "METHOD /bucket/key"; a request not listed must not.
	reached []string
}

// result is what the page reports for a case.
type result struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Status int    `json:"status"`
	Header string `json:"header"`
	Err    string `json:"err"`
}

func rule(origins, methods []string, mod ...func(*corsrule.Rule)) []corsrule.Rule {
	r := corsrule.Rule{AllowedOrigins: origins, AllowedMethods: methods}
	for _, m := range mod {
		m(&r)
	}
	return []corsrule.Rule{r}
}

func headers(h ...string) func(*corsrule.Rule) {
	return func(r *corsrule.Rule) { r.AllowedHeaders = h }
}

func expose(h ...string) func(*corsrule.Rule) {
	return func(r *corsrule.Rule) { r.ExposeHeaders = h }
}

// cases returns the spec §3.4 cases for a page served from pageOrigin.
// No rule sets MaxAgeSeconds, and every case has its own bucket, so no
// cached preflight carries over from one case to the next.
func cases(pageOrigin string) []browserCase {
	get := []string{"GET"}
	return []browserCase{
		{Name: "exact-origin", Rules: rule([]string{pageOrigin}, get), Method: "GET", Key: "obj",
			wantOK: true, wantStatus: 200, reached: []string{"GET /exact-origin/obj"}},
		{Name: "wrong-port", Rules: rule([]string{"http://127.0.0.1:1"}, get), Method: "GET", Key: "obj",
			wantOK: false, reached: []string{"GET /wrong-port/obj"}},
		{Name: "any-origin", Rules: rule([]string{"*"}, get), Method: "GET", Key: "obj",
			wantOK: true, wantStatus: 200, reached: []string{"GET /any-origin/obj"}},
		{Name: "port-wildcard", Rules: rule([]string{"http://127.0.0.1:*"}, get), Method: "GET", Key: "obj",
			wantOK: true, wantStatus: 200, reached: []string{"GET /port-wildcard/obj"}},
		{Name: "meta-header-glob", Rules: rule([]string{pageOrigin}, []string{"PUT"}, headers("x-amz-meta-*")), Method: "PUT", Key: "new",
			Header: map[string]string{"x-amz-meta-owner": "page", "Content-Type": "text/plain"}, Body: "hello",
			wantOK: true, wantStatus: 200, reached: []string{"OPTIONS /meta-header-glob/new", "PUT /meta-header-glob/new"}},
		{Name: "meta-header-refused", Rules: rule([]string{pageOrigin}, []string{"PUT"}), Method: "PUT", Key: "new",
			Header: map[string]string{"x-amz-meta-owner": "page", "Content-Type": "text/plain"}, Body: "hello",
			wantOK: false, reached: []string{"OPTIONS /meta-header-refused/new"}},
		{Name: "delete-not-allowed", Rules: rule([]string{pageOrigin}, []string{"GET", "PUT"}), Method: "DELETE", Key: "obj",
			wantOK: false, reached: []string{"OPTIONS /delete-not-allowed/obj"}},
		{Name: "etag-exposed", Rules: rule([]string{pageOrigin}, get, expose("ETag")), Method: "GET", Key: "obj", Expose: "ETag",
			wantOK: true, wantStatus: 200, wantHeader: objectETag(), reached: []string{"GET /etag-exposed/obj"}},
		{Name: "etag-not-exposed", Rules: rule([]string{pageOrigin}, get), Method: "GET", Key: "obj", Expose: "ETag",
			wantOK: true, wantStatus: 200, wantHeader: "", reached: []string{"GET /etag-not-exposed/obj"}},
		{Name: "content-type-allowed", Rules: rule([]string{pageOrigin}, []string{"PUT"}, headers("content-type")), Method: "PUT", Key: "doc.xml",
			Header: map[string]string{"Content-Type": "application/xml"}, Body: "<a/>",
			wantOK: true, wantStatus: 200, reached: []string{"OPTIONS /content-type-allowed/doc.xml", "PUT /content-type-allowed/doc.xml"}},
		{Name: "content-type-refused", Rules: rule([]string{pageOrigin}, []string{"PUT"}), Method: "PUT", Key: "doc.xml",
			Header: map[string]string{"Content-Type": "application/xml"}, Body: "<a/>",
			wantOK: false, reached: []string{"OPTIONS /content-type-refused/doc.xml"}},
		{Name: "missing-key-readable", Rules: rule([]string{pageOrigin}, get), Method: "GET", Key: "missing",
			wantOK: true, wantStatus: 404, reached: []string{"GET /missing-key-readable/missing"}},
		{Name: "credentials-any-origin", Rules: rule([]string{"*"}, get), Method: "GET", Key: "obj", Creds: true,
			wantOK: false, reached: []string{"GET /credentials-any-origin/obj"}},
		{Name: "credentials-exact-origin", Rules: rule([]string{pageOrigin}, get), Method: "GET", Key: "obj", Creds: true,
			wantOK: true, wantStatus: 200, reached: []string{"GET /credentials-exact-origin/obj"}},
	}
}

const objectBody = "browser test object"

// objectETag is S3's ETag for objectBody: its MD5, quoted.
func objectETag() string {
	sum := md5.Sum([]byte(objectBody))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// chromium returns the browser's path, skipping the test when it is
// missing unless S3CORS_REQUIRE_BROWSER=1 demands it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("S3CORS_REQUIRE_BROWSER") == "1" {
		t.Fatal("S3CORS_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH; install it (apt-get install -y chromium) or set S3CORS_REQUIRE_BROWSER=1 to make this a failure")
	return ""
}

// recorder notes every request that reaches the endpoint.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (rec *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Method+" "+r.URL.Path)
		rec.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (rec *recorder) reset() {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.seen = nil
}

func (rec *recorder) requests(prefix string) []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []string
	for _, s := range rec.seen {
		if _, path, _ := strings.Cut(s, " "); strings.HasPrefix(path, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// TestBrowserCORS lets headless Chromium decide: a page on one origin
// fetches from the endpoint on another, and the browser's verdict on each
// case, and what reached the endpoint, must be what S3's rules make them.
func TestBrowserCORS(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	srv, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rec := &recorder{}
	endpoint := newServer(t, rec.wrap(srv))
	page, results := newPageServer(t)
	pageOrigin := "http://" + page.Listener.Addr().String()
	// The page calls the endpoint by another host name: another origin.
	_, endpointPort, _ := net.SplitHostPort(endpoint.Listener.Addr().String())
	endpointURL := "http://localhost:" + endpointPort

	all := cases(pageOrigin)
	for _, c := range all {
		if err := srv.CreateBucket(c.Name, "public-read-write"); err != nil {
			t.Fatal(err)
		}
		if err := srv.PutBucketCors(c.Name, c.Rules); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		put, _ := http.NewRequest("PUT", endpoint.URL+"/"+c.Name+"/obj", strings.NewReader(objectBody))
		resp, err := endpoint.Client().Do(put)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("storing the object of %s: %v %v", c.Name, resp, err)
		}
		resp.Body.Close()
	}
	rec.reset()

	page.Config.Handler.(*pageHandler).set(endpointURL, all)
	checkCases(t, runBrowser(t, browser, pageOrigin+"/", results, len(all)), all, rec, "endpoint")
	t.Logf("%d browser cases", len(all))
}

// checkCases checks, case by case, what the page reported (got) and
// which requests reached the server rec watched, named where.
func checkCases(t *testing.T, got map[string]result, all []browserCase, rec *recorder, where string) {
	for _, c := range all {
		t.Run(c.Name, func(t *testing.T) {
			r, ok := got[c.Name]
			if !ok {
				t.Fatal("the page reported nothing for this case")
			}
			if r.OK != c.wantOK {
				t.Errorf("browser allowed = %v (status %d, %s), want %v", r.OK, r.Status, r.Err, c.wantOK)
			}
			if c.wantOK && r.Status != c.wantStatus {
				t.Errorf("status seen by the page = %d, want %d", r.Status, c.wantStatus)
			}
			if c.Expose != "" && c.wantOK && r.Header != c.wantHeader {
				t.Errorf("page read %s = %q, want %q", c.Expose, r.Header, c.wantHeader)
			}
			if reached := rec.requests("/" + c.Name + "/"); !slices.Equal(reached, c.reached) {
				t.Errorf("requests that reached the %s = %q, want %q", where, reached, c.reached)
			}
		})
	}
}

// newServer serves h on 127.0.0.1 (IPv4 only, which is where Chromium
// resolves localhost to when nothing listens on ::1).
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// pageHandler serves the test page and receives its results.
type pageHandler struct {
	mu       sync.Mutex
	endpoint string
	cases    []browserCase
	results  chan<- []result
}

func (p *pageHandler) set(endpoint string, cases []browserCase) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endpoint, p.cases = endpoint, cases
}

func newPageServer(t *testing.T) (*httptest.Server, <-chan []result) {
	results := make(chan []result, 1)
	return newServer(t, &pageHandler{results: results}), results
}

func (p *pageHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/":
		p.mu.Lock()
		type jsCase struct {
			Name    string            `json:"name"`
			URL     string            `json:"url"`
			Method  string            `json:"method"`
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body,omitempty"`
			Creds   bool              `json:"creds"`
			Expose  string            `json:"expose"`
		}
		var js []jsCase
		for _, c := range p.cases {
			js = append(js, jsCase{c.Name, p.endpoint + "/" + c.Name + "/" + c.Key, c.Method, c.Header, c.Body, c.Creds, c.Expose})
		}
		p.mu.Unlock()
		casesJSON, _ := json.Marshal(js)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page.Execute(w, template.JS(casesJSON))
	case "/result":
		takeResult(w, r, p.results)
	case "/favicon.ico":
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

// page runs every case in order, one fetch at a time, and posts what the
// page could see back to its own origin.
var page = template.Must(template.New("page").Parse(`<!doctype html>
<title>s3cors browser test</title>
<pre id=out>running</pre>
<script>
const cases = {{.}};
async function run(c) {
  const init = {method: c.method, headers: c.headers || {}, mode: "cors", cache: "no-store",
                credentials: c.creds ? "include" : "same-origin"};
  if (c.body) init.body = c.body;
  try {
    const resp = await fetch(c.url, init);
    await resp.text();
    return {name: c.name, ok: true, status: resp.status, header: c.expose ? (resp.headers.get(c.expose) || "") : ""};
  } catch (e) {
    return {name: c.name, ok: false, status: 0, header: "", err: String(e)};
  }
}
(async () => {
  const results = [];
  for (const c of cases) results.push(await run(c));
  document.getElementById("out").textContent = JSON.stringify(results);
  await fetch("/result", {method: "POST", body: JSON.stringify(results)});
})();
</script>
`))

// runBrowser opens url in headless Chromium and waits for the page's
// takeResult decodes the report a test page posts (JSON, at most 1 MiB)
// and hands it to results, unless a report already waits there: a page
// that reports twice never blocks the handler, and the first report counts.
func takeResult[T any](w http.ResponseWriter, r *http.Request, results chan<- T) {
	var res T
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&res); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case results <- res:
	default:
	}
}

// results.
func runBrowser(t *testing.T, browser, url string, results <-chan []result, want int) map[string]result {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stderr := startChromium(t, ctx, browser, url)
	select {
	case res := <-results:
		got := map[string]result{}
		for _, r := range res {
			got[r.Name] = r
		}
		if len(got) != want {
			t.Errorf("page reported %d cases, want %d", len(got), want)
		}
		return got
	case <-ctx.Done():
		t.Fatalf("no results from the browser within the timeout; its stderr:\n%s", tail(stderr.String(), 2000))
	}
	return nil
}

// startChromium starts headless Chromium on url, with a profile of its
// own and the flags extra; it is killed when ctx ends, and waited for
// when the test ends. Its log (standard error) goes to the buffer
// returned, which may be read while it runs.
func startChromium(t *testing.T, ctx context.Context, browser, url string, extra ...string) *syncBuffer {
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, extra...)
	cmd := exec.CommandContext(ctx, browser, append(args, url)...)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return stderr
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
