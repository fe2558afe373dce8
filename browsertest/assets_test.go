package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// The asset tests reproduce the classic S3 CORS failure: a site whose
// stylesheets, fonts, scripts and images live in a bucket on another
// origin. Each case is one page load in a fresh Chromium profile (its own
// user-data-dir, so no cache carries over): the page, served from
// 127.0.0.1, loads objects from the endpoint at localhost, in the order
// the case's steps give, and reports what it could see; the endpoint
// records every request that reached it, so each case also shows whether
// the browser asked the bucket or answered from its cache.

// assetCase is one page load and what Chromium must make of it.
type assetCase struct {
	name         string          // the bucket, and the page's path
	rules        []corsrule.Rule // nil: the bucket has no CORS configuration
	varyOrigin   bool            // served by the endpoint with Options.VaryOrigin
	cacheControl string          // the objects' stored Cache-Control; "" for none
	steps        []step

	// want has one line per step: what the page saw (see stepResult.verdict).
	want []string
	// reached lists the requests that reached the endpoint, in order, as
	// loggedRequest.String writes them.
	reached []string
	// console lists the messages Chromium must log to the page's console,
	// with {base} standing for the bucket's URL and {page} for the page's
	// origin; no other "blocked by CORS policy" message may appear.
	console []string
	// inspected lists what the endpoint's CORS inspector showed for the
	// bucket, oldest first, as "GET font.ttf -> 200, refused (NoConfig)"
	// or "GET font.ttf -> 304, allowed by rule 1": every request with an
	// Origin. An answer Chromium took from its cache never reached the
	// bucket, so a blocked font the inspector does not show was blocked
	// by the cache.
	inspected []string
	// minimal is set for a configuration offered as the smallest one:
	// each method its rules allow must be the method of a CORS request
	// that reached the endpoint.
	minimal bool
}

// step is one thing the page does.
type step struct {
	Do          string `json:"do"` // img, preload (a font), script or stylesheet
	Key         string `json:"key"`
	Crossorigin bool   `json:"crossorigin,omitempty"`
}

// stepResult is what the page reports for a step.
type stepResult struct {
	Do         string  `json:"do"`
	Outcome    string  `json:"outcome"`    // the element's event: load or error
	Readable   bool    `json:"readable"`   // img: its pixels can be read from a canvas
	Runs       int     `json:"runs"`       // script: how many times app.js has run so far
	Color      string  `json:"color"`      // stylesheet: the computed color of #styled
	FontStatus string  `json:"fontStatus"` // stylesheet: the FontFace's status
	FontCheck  bool    `json:"fontCheck"`  // stylesheet: document.fonts.check
	Width      float64 `json:"width"`      // stylesheet: the width of "XXXX" set in the test font
	Fallback   float64 `json:"fallback"`   // stylesheet: the same text in the fallback font
	Err        string  `json:"err"`
}

// probeText is set in the test font at probeSize pixels; in that font it
// is fontXAdvance/fontUnitsPerEm em per character wide.
const (
	probeText  = "XXXX"
	probeSize  = 40
	probeWidth = len(probeText) * probeSize * fontXAdvance / fontUnitsPerEm
	// styledColor is what the bucket's stylesheet makes #styled.
	styledColor = "rgb(1, 2, 3)"
)

// verdict says in one line what the page saw in step r.
func (r stepResult) verdict() string {
	switch {
	case r.Err != "" && r.Do != "stylesheet":
		return r.Do + " " + r.Outcome + ": " + r.Err
	case r.Do == "img" && r.Outcome == "load" && r.Readable:
		return "img load, pixels readable"
	case r.Do == "img" && r.Outcome == "load":
		return "img load, canvas tainted"
	case r.Do == "script":
		return fmt.Sprintf("script %s, app.js has run %d times", r.Outcome, r.Runs)
	case r.Do == "stylesheet":
		applied := "rules applied"
		if r.Color != styledColor {
			applied = "rules not applied (color " + r.Color + ")"
		}
		rendered := fmt.Sprintf("a width of %vpx", r.Width)
		switch r.Width {
		case float64(probeWidth):
			rendered = "the test font"
		case r.Fallback:
			rendered = "the fallback font"
		}
		return fmt.Sprintf("stylesheet %s, %s; font %s, fonts.check %v, text in %s", r.Outcome, applied, r.FontStatus, r.FontCheck, rendered)
	}
	return r.Do + " " + r.Outcome
}

// The objects every case's bucket holds.
const (
	stylesheetBody = `@font-face { font-family: "` + testFontFamily + `"; src: url("font.ttf") format("truetype"); }
#styled { color: ` + styledColor + `; }
`
	scriptBody = "window.s3corsRuns = (window.s3corsRuns || 0) + 1;\n"
)

func assetObjects() map[string][2]string {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	var pixel bytes.Buffer
	if err := png.Encode(&pixel, img); err != nil {
		panic(err)
	}
	return map[string][2]string{ // key: content type, body
		"fonts.css": {"text/css", stylesheetBody},
		"font.ttf":  {"font/ttf", string(testFont())},
		"app.js":    {"text/javascript", scriptBody},
		"pixel.png": {"image/png", pixel.String()},
	}
}

// Messages Chromium logs, as the tests saw them in Chromium 156.
const (
	blockedMessage = "Access to %s at '{base}%s' from origin '{page}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource."
	preloadMessage = "A preload for '{base}font.ttf' is found, but is not used because the request credentials mode does not match. Consider taking a look at crossorigin attribute."
)

func blocked(kind, key string) string { return fmt.Sprintf(blockedMessage, kind, key) }

// assetCases returns the cases for a page on pageOrigin.
func assetCases(pageOrigin string) []assetCase {
	allowPage := []corsrule.Rule{{AllowedOrigins: []string{pageOrigin}, AllowedMethods: []string{"GET"}}}
	allowAny := []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}
	const (
		cached  = "max-age=3600" // what deploy tools commonly store
		sheet   = "GET fonts.css no-cors, no Origin -> 200"
		fontGet = "GET font.ttf cors, Origin: page -> 200"
		// Served from the browser's cache after a conditional request.
		fontRevalidated = "GET font.ttf cors, Origin: page, If-None-Match -> 304"
		fontNoCORS      = "GET font.ttf no-cors, no Origin -> 200"

		fontLoaded  = "stylesheet load, rules applied; font loaded, fonts.check true, text in the test font"
		fontBlocked = "stylesheet load, rules applied; font error, fonts.check false, text in the fallback font"
	)
	loadFonts := step{Do: "stylesheet", Key: "fonts.css"}
	imgOfFont := step{Do: "img", Key: "font.ttf"} // not an image: its error event is expected
	return []assetCase{
		// (a) The bucket has no CORS configuration: the stylesheet, a
		// no-cors load, applies; the font it names is a CORS request and
		// is blocked.
		{name: "font-no-cors-config", cacheControl: cached, steps: []step{loadFonts},
			want:      []string{fontBlocked},
			reached:   []string{sheet, fontGet},
			console:   []string{blocked("font", "font.ttf")},
			inspected: []string{"GET font.ttf -> 200, refused (NoConfig)"}},
		// (b) A rule admitting the page's origin for GET: the font loads.
		{name: "font-allowed", rules: allowPage, cacheControl: cached, steps: []step{loadFonts},
			want:      []string{fontLoaded},
			reached:   []string{sheet, fontGet},
			inspected: []string{"GET font.ttf -> 200, allowed by rule 1"}},
		// (c) The cache trap. The font is first loaded without Origin (an
		// <img>, which fails as an image but stores the response), then
		// through @font-face. S3 sent that first answer without CORS
		// headers and without Vary, and max-age keeps it fresh, so
		// Chromium answers the CORS request from its cache without asking
		// the bucket, and blocks the font, though the bucket's rule admits
		// the page.
		{name: "font-cache-trap", rules: allowPage, cacheControl: cached, steps: []step{imgOfFont, loadFonts},
			want:    []string{"img error", fontBlocked},
			reached: []string{fontNoCORS, sheet},
			console: []string{blocked("font", "font.ttf")}},
		// With Vary: Origin on the answer without Origin, Chromium does not
		// reuse it for the CORS request: it revalidates with Origin, the
		// 304 carries the CORS headers, and the font loads from the cache.
		{name: "font-cache-trap-vary", rules: allowPage, varyOrigin: true, cacheControl: cached, steps: []step{imgOfFont, loadFonts},
			want:      []string{"img error", fontLoaded},
			reached:   []string{fontNoCORS, sheet, fontRevalidated},
			inspected: []string{"GET font.ttf -> 304, allowed by rule 1"}},
		// "*" does not help: the cached answer has no CORS header at all.
		{name: "font-cache-trap-any-origin", rules: allowAny, cacheControl: cached, steps: []step{imgOfFont, loadFonts},
			want:    []string{"img error", fontBlocked},
			reached: []string{fontNoCORS, sheet},
			console: []string{blocked("font", "font.ttf")}},
		// Without Cache-Control the answer is still fresh: S3 sends
		// Last-Modified, and Chromium treats an object last modified 30
		// days ago (the endpoint's clock is set back) as fresh for a tenth
		// of that.
		{name: "font-cache-trap-heuristic", rules: allowPage, steps: []step{imgOfFont, loadFonts},
			want:    []string{"img error", fontBlocked},
			reached: []string{fontNoCORS, sheet},
			console: []string{blocked("font", "font.ttf")}},
		// With Cache-Control: no-cache Chromium revalidates every use, with
		// Origin, and the 304 brings the CORS headers: the font loads.
		{name: "font-cache-no-cache", rules: allowPage, cacheControl: "no-cache", steps: []step{imgOfFont, loadFonts},
			want:      []string{"img error", fontLoaded},
			reached:   []string{fontNoCORS, sheet, fontRevalidated},
			inspected: []string{"GET font.ttf -> 304, allowed by rule 1"}},
		// The common way to set the trap with fonts: a preload without
		// crossorigin. Chromium says the preload is not used, yet its
		// cached answer is.
		{name: "font-preload-trap", rules: allowPage, cacheControl: cached,
			steps:   []step{{Do: "preload", Key: "font.ttf"}, loadFonts},
			want:    []string{"preload load", fontBlocked},
			reached: []string{fontNoCORS, sheet},
			console: []string{preloadMessage, blocked("font", "font.ttf")}},
		// With crossorigin on the preload both loads are CORS requests: one
		// request, and the font loads.
		{name: "font-preload-crossorigin", rules: allowPage, cacheControl: cached,
			steps:     []step{{Do: "preload", Key: "font.ttf", Crossorigin: true}, loadFonts},
			want:      []string{"preload load", fontLoaded},
			reached:   []string{fontGet, sheet},
			inspected: []string{"GET font.ttf -> 200, allowed by rule 1"}},

		// (d) <script crossorigin> and <img crossorigin> are CORS requests
		// too, and fall into the same trap after a load without
		// crossorigin.
		{name: "script-no-cors-config", cacheControl: cached,
			steps:     []step{{Do: "script", Key: "app.js", Crossorigin: true}},
			want:      []string{"script error, app.js has run 0 times"},
			reached:   []string{"GET app.js cors, Origin: page -> 200"},
			console:   []string{blocked("script", "app.js")},
			inspected: []string{"GET app.js -> 200, refused (NoConfig)"}},
		{name: "script-allowed", rules: allowPage, cacheControl: cached,
			steps:     []step{{Do: "script", Key: "app.js", Crossorigin: true}},
			want:      []string{"script load, app.js has run 1 times"},
			reached:   []string{"GET app.js cors, Origin: page -> 200"},
			inspected: []string{"GET app.js -> 200, allowed by rule 1"}},
		{name: "script-cache-trap", rules: allowPage, cacheControl: cached,
			steps:   []step{{Do: "script", Key: "app.js"}, {Do: "script", Key: "app.js", Crossorigin: true}},
			want:    []string{"script load, app.js has run 1 times", "script error, app.js has run 1 times"},
			reached: []string{"GET app.js no-cors, no Origin -> 200"},
			console: []string{blocked("script", "app.js")}},
		{name: "script-cache-trap-vary", rules: allowPage, varyOrigin: true, cacheControl: cached,
			steps:     []step{{Do: "script", Key: "app.js"}, {Do: "script", Key: "app.js", Crossorigin: true}},
			want:      []string{"script load, app.js has run 1 times", "script load, app.js has run 2 times"},
			reached:   []string{"GET app.js no-cors, no Origin -> 200", "GET app.js cors, Origin: page, If-None-Match -> 304"},
			inspected: []string{"GET app.js -> 304, allowed by rule 1"}},
		{name: "img-no-cors-config", cacheControl: cached,
			steps:     []step{{Do: "img", Key: "pixel.png", Crossorigin: true}},
			want:      []string{"img error"},
			reached:   []string{"GET pixel.png cors, Origin: page -> 200"},
			console:   []string{blocked("image", "pixel.png")},
			inspected: []string{"GET pixel.png -> 200, refused (NoConfig)"}},
		{name: "img-allowed", rules: allowPage, cacheControl: cached,
			steps:     []step{{Do: "img", Key: "pixel.png", Crossorigin: true}},
			want:      []string{"img load, pixels readable"},
			reached:   []string{"GET pixel.png cors, Origin: page -> 200"},
			inspected: []string{"GET pixel.png -> 200, allowed by rule 1"}},
		{name: "img-cache-trap", rules: allowPage, cacheControl: cached,
			steps:   []step{{Do: "img", Key: "pixel.png"}, {Do: "img", Key: "pixel.png", Crossorigin: true}},
			want:    []string{"img load, canvas tainted", "img error"},
			reached: []string{"GET pixel.png no-cors, no Origin -> 200"},
			console: []string{blocked("image", "pixel.png")}},
		{name: "img-cache-trap-vary", rules: allowPage, varyOrigin: true, cacheControl: cached,
			steps:     []step{{Do: "img", Key: "pixel.png"}, {Do: "img", Key: "pixel.png", Crossorigin: true}},
			want:      []string{"img load, canvas tainted", "img load, pixels readable"},
			reached:   []string{"GET pixel.png no-cors, no Origin -> 200", "GET pixel.png cors, Origin: page, If-None-Match -> 304"},
			inspected: []string{"GET pixel.png -> 304, allowed by rule 1"}},
	}
}

// readmeFontRules returns the rules of testdata/cli/fonts.json, the
// configuration README.md's "My fonts from S3 are blocked" puts on the
// bucket, with its origin, http://localhost:8000, replaced by
// pageOrigin.
func readmeFontRules(t *testing.T, pageOrigin string) []corsrule.Rule {
	t.Helper()
	b, err := os.ReadFile("../testdata/cli/fonts.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xmlconfig.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	replaced := 0
	for i := range doc.Rules {
		for j, o := range doc.Rules[i].AllowedOrigins {
			if o == "http://localhost:8000" {
				doc.Rules[i].AllowedOrigins[j] = pageOrigin
				replaced++
			}
		}
	}
	if replaced == 0 {
		t.Fatalf("testdata/cli/fonts.json does not name http://localhost:8000: %+v", doc.Rules)
	}
	return doc.Rules
}

// objectAge is how long ago, by the endpoint's clock, the objects were
// stored: long enough for Chromium's heuristic freshness (a tenth of the
// time since Last-Modified) to cover the test.
const objectAge = 30 * 24 * time.Hour

// TestBrowserAssets runs the asset cases, each in its own browser.
func TestBrowserAssets(t *testing.T) {
	browser := chromium(t)
	pages := &assetPages{cases: map[string]*assetPage{}}
	pageSrv := newServer(t, pages)
	pageOrigin := "http://" + pageSrv.Listener.Addr().String()
	s3 := newAssetEndpoint(t, false)
	vary := newAssetEndpoint(t, true)

	// README.md's fix for blocked fonts, its page's origin made this one.
	readme := readmeFontRules(t, pageOrigin)
	cases := append(assetCases(pageOrigin), assetCase{name: "font-readme-config", rules: readme, cacheControl: "max-age=3600",
		steps: []step{{Do: "stylesheet", Key: "fonts.css"}}, minimal: true,
		want:      []string{"stylesheet load, rules applied; font loaded, fonts.check true, text in the test font"},
		reached:   []string{"GET fonts.css no-cors, no Origin -> 200", "GET font.ttf cors, Origin: page -> 200"},
		inspected: []string{"GET font.ttf -> 200, allowed by rule 1"}})
	for _, c := range cases {
		ep := s3
		if c.varyOrigin {
			ep = vary
		}
		ep.addBucket(t, c)
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			base := ep.url + "/" + c.name + "/"
			got, console := pages.run(t, browser, pageOrigin, c, base)
			var verdicts []string
			for _, r := range got {
				verdicts = append(verdicts, r.verdict())
			}
			if !slices.Equal(verdicts, c.want) {
				t.Errorf("the page saw:\n\t%s\nwant:\n\t%s", strings.Join(verdicts, "\n\t"), strings.Join(c.want, "\n\t"))
			}
			// The log holds a request once the endpoint has returned from
			// it, which may be just after the browser has the answer; by
			// then the inspector has recorded it too.
			logged := ep.log.under("/" + c.name + "/")
			for deadline := time.Now().Add(2 * time.Second); len(logged) < len(c.reached) && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
				logged = ep.log.under("/" + c.name + "/")
			}
			var reached []string
			for _, r := range logged {
				reached = append(reached, r.String(pageOrigin))
			}
			if !slices.Equal(reached, c.reached) {
				t.Errorf("requests that reached the endpoint:\n\t%s\nwant:\n\t%s", strings.Join(reached, "\n\t"), strings.Join(c.reached, "\n\t"))
			}
			if n := strings.Count(console, "blocked by CORS policy"); n != strings.Count(strings.Join(c.console, "\n"), "blocked by CORS policy") {
				t.Errorf("%d CORS messages in the console, want %d:\n%s", n, len(c.console), console)
			}
			if c.minimal {
				for _, r := range c.rules {
					for _, m := range r.AllowedMethods {
						if !slices.ContainsFunc(reached, func(s string) bool { return strings.HasPrefix(s, m+" ") && strings.Contains(s, " cors, ") }) {
							t.Errorf("the configuration allows %s, which no CORS request of the page used: %q", m, reached)
						}
					}
				}
			}
			if shown := ep.inspected(t, c.name); !slices.Equal(shown, c.inspected) {
				t.Errorf("the inspector showed:\n\t%s\nwant:\n\t%s", strings.Join(shown, "\n\t"), strings.Join(c.inspected, "\n\t"))
			}
		})
	}
}

// assetEndpoint is an s3server, S3's headers or with VaryOrigin, on its
// own port, reached by the name localhost.
type assetEndpoint struct {
	srv *s3server.Server
	url string
	log *requestLog
}

func newAssetEndpoint(t *testing.T, varyOrigin bool) *assetEndpoint {
	srv, err := s3server.New(s3server.Options{InMemory: true, VaryOrigin: varyOrigin, Inspector: true,
		Now: func() time.Time { return time.Now().Add(-objectAge) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ep := &assetEndpoint{srv: srv}
	ep.inspected(t, "") // the inspector records from when someone first asks
	log := &requestLog{}
	hs := newServer(t, log.wrap(srv))
	_, port, _ := net.SplitHostPort(hs.Listener.Addr().String())
	ep.url, ep.log = "http://localhost:"+port, log
	return ep
}

// inspected returns what the endpoint's CORS inspector shows of the
// requests to bucket (all of them for ""), oldest first, as
// assetCase.inspected writes them, asked in process as a script asks
// its JSON API.
func (ep *assetEndpoint) inspected(t *testing.T, bucket string) []string {
	t.Helper()
	w := httptest.NewRecorder()
	ep.srv.ServeHTTP(w, httptest.NewRequest("GET", "http://localhost/_s3cors/api/requests?bucket="+url.QueryEscape(bucket), nil))
	var page struct {
		Requests []struct {
			Method, Path, Verdict, Outcome string
			Status                         int
			Rule                           *int
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); w.Code != http.StatusOK || err != nil {
		t.Fatalf("the inspector's API: %d, %v\n%s", w.Code, err, w.Body)
	}
	var shown []string
	for _, r := range page.Requests {
		line := fmt.Sprintf("%s %s -> %d, %s", r.Method, r.Path[strings.LastIndex(r.Path, "/")+1:], r.Status, r.Verdict)
		if r.Rule != nil {
			line += fmt.Sprintf(" by rule %d", *r.Rule)
		} else {
			line += " (" + r.Outcome + ")"
		}
		shown = append(shown, line)
	}
	return shown
}

// addBucket makes c's bucket, with its configuration and objects, in
// process, so that none of it is logged as a request.
func (ep *assetEndpoint) addBucket(t *testing.T, c assetCase) {
	if err := ep.srv.CreateBucket(c.name, "public-read"); err != nil {
		t.Fatal(err)
	}
	if c.rules != nil {
		if err := ep.srv.PutBucketCors(c.name, c.rules); err != nil {
			t.Fatal(err)
		}
	}
	for key, o := range assetObjects() {
		req := httptest.NewRequest("PUT", "/"+c.name+"/"+key, strings.NewReader(o[1]))
		req.Header.Set("Content-Type", o[0])
		if c.cacheControl != "" {
			req.Header.Set("Cache-Control", c.cacheControl)
		}
		w := httptest.NewRecorder()
		ep.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("storing %s/%s: %d %s", c.name, key, w.Code, w.Body)
		}
	}
}

// loggedRequest is what the endpoint saw of one request.
type loggedRequest struct {
	Method, Path, Mode, Origin, IfNoneMatch string
	Status                                  int
}

// String writes r as "GET font.ttf cors, Origin: page, If-None-Match ->
// 304": the key, Sec-Fetch-Mode, the Origin header ("page" for the page's
// origin) and whether the request was conditional.
func (r loggedRequest) String(pageOrigin string) string {
	key := r.Path[strings.LastIndex(r.Path, "/")+1:]
	origin := "no Origin"
	switch r.Origin {
	case "":
	case pageOrigin:
		origin = "Origin: page"
	default:
		origin = "Origin: " + r.Origin
	}
	s := fmt.Sprintf("%s %s %s, %s", r.Method, key, r.Mode, origin)
	if r.IfNoneMatch != "" {
		s += ", If-None-Match"
	}
	return fmt.Sprintf("%s -> %d", s, r.Status)
}

type requestLog struct {
	mu   sync.Mutex
	seen []loggedRequest
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		l.mu.Lock()
		defer l.mu.Unlock()
		l.seen = append(l.seen, loggedRequest{r.Method, r.URL.Path, r.Header.Get("Sec-Fetch-Mode"),
			r.Header.Get("Origin"), r.Header.Get("If-None-Match"), sw.status})
	})
}

func (l *requestLog) under(prefix string) []loggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []loggedRequest
	for _, r := range l.seen {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// assetPages serves each case's page at /name/ and takes its report at
// /name/result.
type assetPages struct {
	mu    sync.Mutex
	cases map[string]*assetPage
}

type assetPage struct {
	html    []byte
	results chan []stepResult
}

func (p *assetPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	p.mu.Lock()
	page := p.cases[name]
	p.mu.Unlock()
	switch {
	case page == nil:
		http.NotFound(w, r)
	case rest == "":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page.html)
	case rest == "result" && r.Method == http.MethodPost:
		takeResult(w, r, page.results)
	default:
		http.NotFound(w, r)
	}
}

// run opens c's page in a new headless Chromium with its own profile and
// returns the page's report and, once each message c.console expects has
// appeared, what the browser logged to its console.
func (p *assetPages) run(t *testing.T, browser, pageOrigin string, c assetCase, base string) ([]stepResult, string) {
	stepsJSON, err := json.Marshal(c.steps)
	if err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := assetPageTemplate.Execute(&html, map[string]any{"Base": base, "Steps": template.JS(stepsJSON)}); err != nil {
		t.Fatal(err)
	}
	page := &assetPage{html: html.Bytes(), results: make(chan []stepResult, 1)}
	p.mu.Lock()
	p.cases[c.name] = page
	p.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stderr := startChromium(t, ctx, browser, pageOrigin+"/"+c.name+"/",
		"--enable-logging=stderr", "--v=0") // console messages, as "CONSOLE" lines
	var res []stepResult
	select {
	case res = <-page.results:
	case <-ctx.Done():
		t.Fatalf("no report from the page within the timeout; the browser's log:\n%s", tail(stderr.String(), 3000))
	}
	if len(res) != len(c.steps) {
		t.Errorf("the page reported %d steps, want %d: %+v", len(res), len(c.steps), res)
	}
	var want []string
	for _, m := range c.console {
		want = append(want, strings.NewReplacer("{base}", base, "{page}", pageOrigin).Replace(m))
	}
	// The page reports after the messages are logged, but another process
	// writes them: give them a moment.
	deadline := time.After(5 * time.Second)
	for {
		console := consoleMessages(stderr.String())
		missing := slices.DeleteFunc(slices.Clone(want), func(m string) bool { return strings.Contains(console, `"`+m+`"`) })
		if len(missing) == 0 {
			return res, console
		}
		select {
		case <-deadline:
			t.Errorf("the console never showed:\n\t%s\nit showed:\n%s", strings.Join(missing, "\n\t"), console)
			return res, console
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// consoleMessages returns the console lines of Chromium's log.
func consoleMessages(log string) string {
	var b strings.Builder
	for line := range strings.Lines(log) {
		if strings.Contains(line, ":CONSOLE") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer the browser writes to while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// assetPageTemplate runs the steps in order, each after the previous one
// settled, and posts what it saw back to its own origin.
var assetPageTemplate = template.Must(template.New("assets").Parse(`<!doctype html>
<title>s3cors asset test</title>
<p id=styled>styled by the bucket's stylesheet</p>
<span id=probe style="font: ` + fmt.Sprint(probeSize) + `px '` + testFontFamily + `', monospace">` + probeText + `</span>
<span id=fallback style="font: ` + fmt.Sprint(probeSize) + `px monospace">` + probeText + `</span>
<script>
const base = {{.Base}};
const steps = {{.Steps}};
const family = "` + testFontFamily + `";
function settled(el) {
  return new Promise(resolve => { el.onload = () => resolve("load"); el.onerror = () => resolve("error"); });
}
function width(id) { return document.getElementById(id).getBoundingClientRect().width; }
const actions = {
  async img(s) {
    const img = new Image();
    if (s.crossorigin) img.crossOrigin = "anonymous";
    const done = settled(img);
    img.src = base + s.key;
    const outcome = await done;
    let readable = false;
    if (outcome === "load") {
      const c = document.createElement("canvas");
      c.width = c.height = 1;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      try { g.getImageData(0, 0, 1, 1); readable = true; } catch (e) {} // a tainted canvas throws
    }
    return {outcome, readable};
  },
  async preload(s) {
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "font";
    link.type = "font/ttf";
    if (s.crossorigin) link.crossOrigin = "anonymous";
    const done = settled(link);
    link.href = base + s.key;
    document.head.append(link);
    return {outcome: await done};
  },
  async script(s) {
    const el = document.createElement("script");
    if (s.crossorigin) el.crossOrigin = "anonymous";
    const done = settled(el);
    el.src = base + s.key;
    document.head.append(el);
    const outcome = await done;
    return {outcome, runs: window.s3corsRuns || 0};
  },
  // stylesheet links the bucket's stylesheet, whose @font-face names the
  // bucket's font, and waits for the font to load or fail.
  async stylesheet(s) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    const done = settled(link);
    link.href = base + s.key;
    document.head.append(link);
    const outcome = await done;
    const color = getComputedStyle(document.getElementById("styled")).color;
    try { await document.fonts.load("` + fmt.Sprint(probeSize) + `px " + family); } catch (e) {}
    await document.fonts.ready;
    const face = [...document.fonts].find(f => f.family.replace(/"/g, "") === family);
    return {outcome, color, fontStatus: face ? face.status : "missing",
      fontCheck: document.fonts.check("` + fmt.Sprint(probeSize) + `px " + family),
      width: width("probe"), fallback: width("fallback")};
  },
};
(async () => {
  const results = [];
  for (const s of steps) {
    let r;
    try { r = await actions[s.do](s); } catch (e) { r = {outcome: "exception", err: String(e)}; }
    r.do = s.do;
    results.push(r);
  }
  await fetch("result", {method: "POST", body: JSON.stringify(results)});
})();
</script>
`))
