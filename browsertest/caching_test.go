package browsertest

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// maxAgeBuckets maps each bucket of TestBrowserCaching's preflight cases
// to its rule's MaxAgeSeconds (nil: none) and the preflights Chromium
// sends for three PUTs in a row, each with an x-amz-meta-* header: the
// endpoint sends MaxAgeSeconds as Access-Control-Max-Age, as S3 does, and
// Chromium caches the answer that long, 5 seconds without the header and
// not at all for 0 or a negative value. That is what lint's
// max-age-missing and max-age-negative findings, and the note on
// Terraform's default of 0, tell users.
var maxAgeBuckets = map[string]struct {
	maxAge     *int32
	preflights int
}{
	"max-age-unset":    {nil, 1},
	"max-age-zero":     {new(int32(0)), 3},
	"max-age-negative": {new(int32(-1)), 3},
	"max-age-600":      {new(int32(600)), 1},
}

// cachingPage is the page of TestBrowserCaching, served at "/" by both
// origins: the first makes the preflight cases, reads shared/obj, opens
// itself from the second origin in an iframe, which reads shared/obj
// too, and posts every result back.
var cachingPage = template.Must(template.New("caching").Parse(`<!doctype html>
<title>s3cors caching test</title>
<script>
const cfg = {{.}};
async function get(bucket) {
  try {
    const r = await fetch(cfg.endpoint + "/" + bucket + "/obj");
    return {ok: true, status: r.status, header: r.headers.get("ETag") || "", body: await r.text()};
  } catch (e) {
    return {ok: false, err: String(e)};
  }
}
async function put(bucket, i) {
  try {
    const r = await fetch(cfg.endpoint + "/" + bucket + "/k", {method: "PUT", body: "x", headers: {"x-amz-meta-n": String(i)}});
    return {ok: true, status: r.status};
  } catch (e) {
    return {ok: false, err: String(e)};
  }
}
(async () => {
  if (location.search === "?frame") {
    parent.postMessage({"frame shared": await get("shared")}, "*");
    return;
  }
  const results = {};
  for (const b of cfg.maxAgeBuckets) {
    for (let i = 0; i < 3; i++) results[b + " " + i] = await put(b, i);
  }
  results["page shared"] = await get("shared");
  const frameDone = new Promise(resolve => addEventListener("message", e => resolve(e.data)));
  const frame = document.createElement("iframe");
  frame.src = cfg.frame + "/?frame";
  document.body.append(frame);
  Object.assign(results, await frameDone);
  await fetch("/result", {method: "POST", body: JSON.stringify(results)});
})();
</script>
`))

type cachingResult struct {
	OK     bool   `json:"ok"`
	Status int    `json:"status"`
	Header string `json:"header"`
	Body   string `json:"body"`
	Err    string `json:"err"`
}

type cachingPages struct {
	results chan map[string]cachingResult

	mu     sync.Mutex
	config any // set once the pages, whose origins it names, listen
}

func (p *cachingPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/":
		p.mu.Lock()
		config := p.config
		p.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		cachingPage.Execute(w, config)
	case "/result":
		takeResult(w, r, p.results)
	default:
		http.NotFound(w, r)
	}
}

// TestBrowserCaching lets Chromium's caches judge what the endpoint
// sends for them, as S3 sends it, from serve and from the proxy in front
// of serve (which then has no configuration of the buckets, and answers
// without CORS headers): Access-Control-Max-Age, which decides how many
// preflights reach the bucket (maxAgeBuckets), and Vary, which decides
// whether a page on one origin may use an answer the browser cached for
// another origin of the same site (two ports of 127.0.0.1 share
// Chromium's HTTP cache, as app.example.com and www.example.com do).
//
// shared/obj admits both origins and is cacheable for an hour: the
// second origin's read is sent again, conditionally, because S3's CORS
// answer carries Vary: Origin, and its 304 carries the CORS headers for
// that origin; without either the frame would get the page's
// Access-Control-Allow-Origin from the cache and be blocked.
func TestBrowserCaching(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	for _, endpoint := range []struct {
		name  string
		start func(t *testing.T, store http.Handler) http.Handler
	}{
		{"serve", func(t *testing.T, store http.Handler) http.Handler { return store }},
		{"proxy", func(t *testing.T, store http.Handler) http.Handler {
			p, err := s3proxy.New(s3proxy.Options{Upstream: newServer(t, store).URL})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.Close() })
			return p
		}},
	} {
		t.Run(endpoint.name, func(t *testing.T) {
			t.Parallel()
			srv, err := s3server.New(s3server.Options{InMemory: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			runCaching(t, browser, endpoint.start(t, srv))
		})
	}
}

// runCaching runs TestBrowserCaching's page against h.
func runCaching(t *testing.T, browser string, h http.Handler) {
	log := &requestLog{}
	endpoint := newServer(t, log.wrap(h))
	pages := &cachingPages{results: make(chan map[string]cachingResult, 1)}
	page, frame := newServer(t, pages), newServer(t, pages)
	pageOrigin, frameOrigin := "http://"+page.Listener.Addr().String(), "http://"+frame.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(endpoint.Listener.Addr().String())
	var buckets []string
	for name, c := range maxAgeBuckets {
		addCachingBucket(t, h, name, corsrule.Rule{AllowedOrigins: []string{pageOrigin}, AllowedMethods: []string{"PUT"},
			AllowedHeaders: []string{"x-amz-meta-*"}, MaxAgeSeconds: c.maxAge})
		buckets = append(buckets, name)
	}
	slices.Sort(buckets)
	addCachingBucket(t, h, "shared", corsrule.Rule{AllowedOrigins: []string{pageOrigin, frameOrigin}, AllowedMethods: []string{"GET"}, ExposeHeaders: []string{"ETag"}})
	pages.mu.Lock()
	pages.config = map[string]any{"endpoint": "http://localhost:" + port, "frame": frameOrigin, "maxAgeBuckets": buckets}
	pages.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stderr := startChromium(t, ctx, browser, pageOrigin+"/")
	var got map[string]cachingResult
	select {
	case got = <-pages.results:
	case <-ctx.Done():
		t.Fatalf("no results from the browser within the timeout; its stderr:\n%s", tail(stderr.String(), 2000))
	}
	checkPreflightCache(t, got, log)
	checkSharedCache(t, got, log, pageOrigin, frameOrigin)
}

// addCachingBucket makes a bucket with rule and an object obj that
// caches may keep for an hour, through h in process, so that none of it
// is logged.
func addCachingBucket(t *testing.T, h http.Handler, name string, rule corsrule.Rule) {
	t.Helper()
	doc := xmlconfig.AppendXML(nil, []corsrule.Rule{rule})
	sum := md5.Sum(doc)
	for _, step := range []struct {
		path, body, header, value string
	}{
		{"/" + name, "", "", ""},
		{"/" + name + "?cors", string(doc), "Content-MD5", base64.StdEncoding.EncodeToString(sum[:])},
		{"/" + name + "/obj", objectBody, "Cache-Control", "max-age=3600"},
	} {
		req := httptest.NewRequest("PUT", "http://localhost"+step.path, strings.NewReader(step.body))
		if step.header != "" {
			req.Header.Set(step.header, step.value)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("PUT %s: %d %s", step.path, w.Code, w.Body)
		}
	}
}

func checkPreflightCache(t *testing.T, got map[string]cachingResult, log *requestLog) {
	for name, c := range maxAgeBuckets {
		t.Run(name, func(t *testing.T) {
			for i := range 3 {
				if r := got[name+" "+strconv.Itoa(i)]; !r.OK || r.Status != http.StatusOK {
					t.Errorf("PUT %d: the page saw %+v, want 200", i, r)
				}
			}
			var preflights, puts int
			for _, r := range log.under("/" + name + "/") {
				switch r.Method {
				case "OPTIONS":
					preflights++
				case "PUT":
					puts++
				}
			}
			if preflights != c.preflights || puts != 3 {
				t.Errorf("%d preflights and %d PUTs reached the endpoint, want %d and 3", preflights, puts, c.preflights)
			}
		})
	}
}

func checkSharedCache(t *testing.T, got map[string]cachingResult, log *requestLog, pageOrigin, frameOrigin string) {
	var reached []string
	for _, r := range log.under("/shared/") {
		// String names the page's origin "page" already.
		reached = append(reached, strings.ReplaceAll(r.String(pageOrigin), frameOrigin, "frame"))
	}
	ok := cachingResult{OK: true, Status: http.StatusOK, Header: objectETag(), Body: objectBody}
	for _, name := range []string{"page shared", "frame shared"} {
		if got[name] != ok {
			t.Errorf("%s: the page saw %+v, want %+v", name, got[name], ok)
		}
	}
	if want := []string{"GET obj cors, Origin: page -> 200", "GET obj cors, Origin: frame, If-None-Match -> 304"}; !slices.Equal(reached, want) {
		t.Errorf("shared/obj: the endpoint saw %q, want %q", reached, want)
	}
}
