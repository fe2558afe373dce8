package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/s3server"
)

// inspectorRig is an endpoint with the inspector on, a page on another
// origin that calls it, and a headless Chromium with two tabs: the
// inspector's and the page's.
type inspectorRig struct {
	t          *testing.T
	srv        *s3server.Server // nil when the endpoint is the proxy
	endpoint   string           // http://localhost:PORT, the endpoint the page calls
	client     *http.Client     // the endpoint's own, for the test's requests to endpoint and admin
	admin      string           // the inspector's origin: the endpoint's, or the proxy's admin address
	pageOrigin string           // http://127.0.0.1:PORT, the page's
	artifacts  string
	inspector  context.Context // the inspector's tab
	app        context.Context // the page's tab

	mu      sync.Mutex
	dialogs []string // every alert, confirm or prompt any tab opened
}

const inspectorVary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

// rigBucket is a bucket of the rigs, with its rules.
type rigBucket struct {
	name  string
	rules []corsrule.Rule
}

// rigBuckets are the buckets of the rigs: photos, whose first rule
// admits the page's origin, and wide-open, where any site may write.
func rigBuckets(pageOrigin string) []rigBucket {
	return []rigBucket{
		{"photos", []corsrule.Rule{
			{ID: "uploads", AllowedOrigins: []string{pageOrigin}, AllowedMethods: []string{"GET", "PUT"}, AllowedHeaders: []string{"content-type"}},
			{AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"GET", "POST"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: new(int32(300))},
			{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}},
		}},
		{"wide-open", []corsrule.Rule{
			{ID: "anyone", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT", "DELETE"}, AllowedHeaders: []string{"*"}},
		}},
	}
}

// newInspectorRig is the rig of s3cors serve: the inspector on the
// endpoint's own address.
func newInspectorRig(t *testing.T) *inspectorRig {
	browser := chromium(t)
	srv, err := s3server.New(s3server.Options{InMemory: true, Inspector: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	endpoint := newServer(t, srv)
	t.Cleanup(srv.CloseInspector) // before the endpoint closes: its streams never end by themselves
	rig := &inspectorRig{t: t, srv: srv, endpoint: localhostURL(endpoint), client: endpoint.Client(), artifacts: artifactsDir(t)}
	rig.admin = rig.endpoint
	rig.startApp()
	for _, b := range rigBuckets(rig.pageOrigin) {
		if err := srv.CreateBucket(b.name, "public-read-write"); err != nil {
			t.Fatal(err)
		}
		if err := srv.PutBucketCors(b.name, b.rules); err != nil {
			t.Fatal(err)
		}
	}
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/photos/obj", strings.NewReader("an object")))
	rig.startBrowser(browser)
	return rig
}

// localhostURL is the URL of a test server under the name localhost,
// another origin than the page's 127.0.0.1.
func localhostURL(srv *httptest.Server) string {
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "http://localhost:" + port
}

// startApp serves the page on its own origin.
func (rig *inspectorRig) startApp() {
	app := newServer(rig.t, appPage{rig})
	rig.pageOrigin = "http://" + app.Listener.Addr().String()
}

// startBrowser starts Chromium with the inspector's tab and the page's.
func (rig *inspectorRig) startBrowser(browser string) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	rig.t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.UserDataDir(rig.t.TempDir()), chromedp.WindowSize(1280, 900), chromedp.Flag("disable-quic", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	rig.t.Cleanup(cancelAlloc)
	rig.inspector = rig.tab(allocCtx)
	rig.app = rig.tab(rig.inspector)
}

// tab opens a tab (the browser's first when parent has none) and notes
// every dialog it opens, accepting it so that nothing hangs.
func (rig *inspectorRig) tab(parent context.Context) context.Context {
	ctx, cancel := chromedp.NewContext(parent)
	rig.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		rig.t.Fatalf("starting chromium: %v", err)
	}
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			rig.mu.Lock()
			rig.dialogs = append(rig.dialogs, string(ev.Type)+": "+ev.Message)
			rig.mu.Unlock()
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return ctx
}

// noDialogs fails the test if any tab opened a dialog: script ran that
// should not have.
func (rig *inspectorRig) noDialogs() {
	rig.mu.Lock()
	defer rig.mu.Unlock()
	if len(rig.dialogs) > 0 {
		rig.t.Errorf("dialogs opened (a value was run as script): %q", rig.dialogs)
	}
}

func (rig *inspectorRig) do(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	rig.t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		rig.t.Fatal(err)
	}
}

// navigateBy runs actions that load a new page in a tab (a click on a
// link, a form sent) and waits until it is loaded.
func (rig *inspectorRig) navigateBy(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	rig.t.Helper()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		rig.t.Fatal(err)
	}
	rig.t.Logf("loaded %s: %d", resp.URL, resp.Status)
}

// eval evaluates a JavaScript expression in a tab and decodes its value.
func eval[T any](rig *inspectorRig, ctx context.Context, expr string) T {
	rig.t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		rig.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// poll waits until a JavaScript expression is true in a tab, for at most
// timeout.
func (rig *inspectorRig) poll(ctx context.Context, expr string, timeout time.Duration) {
	rig.t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(timeout))); err != nil {
		rig.t.Fatalf("waiting %v for %s: %v", timeout, expr, err)
	}
}

// viewport, given to screenshot, takes what the window shows rather
// than the whole page.
const viewport = ":viewport"

// screenshot writes the whole page of a tab, or one element of it, or
// the viewport, as a PNG artifact.
func (rig *inspectorRig) screenshot(ctx context.Context, name string, sel ...string) {
	rig.t.Helper()
	var png []byte
	var err error
	switch {
	case len(sel) > 0 && sel[0] == viewport:
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	case len(sel) > 0:
		png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel[0])))
	default:
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	if err != nil {
		rig.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(rig.artifacts, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		rig.t.Fatal(err)
	}
	rig.t.Logf("screenshot: %s", path)
}

// artifactsDir is where the screenshots go: $S3CORS_ARTIFACTS/inspector
// when the variable is set, else a directory of the test's.
func artifactsDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "artifacts")
	if env := os.Getenv("S3CORS_ARTIFACTS"); env != "" {
		dir = filepath.Join(env, "inspector")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openInspector shows the live list in the inspector's tab and waits
// until its stream is open.
func (rig *inspectorRig) openInspector() {
	rig.t.Helper()
	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/"))
	rig.poll(rig.inspector, `document.getElementById("connection").textContent === "Live"`, 10*time.Second)
}

// liveRow is one row of the live list, as the page shows it.
type liveRow struct {
	ID, Method, Path, Origin, RequestMethod, RequestHeaders, Status, Verdict, Outcome string
	Hidden                                                                            bool
}

const readRows = `[...document.querySelectorAll("#event-rows tr")].map(tr => ({
	ID: tr.dataset.id, Method: tr.cells[2].textContent, Path: tr.cells[3].textContent, Origin: tr.cells[4].textContent,
	RequestMethod: tr.cells[5].textContent, RequestHeaders: tr.cells[6].textContent, Status: tr.cells[7].textContent,
	Verdict: tr.querySelector(".verdict").textContent, Outcome: tr.querySelector(".outcome").textContent, Hidden: tr.hidden}))`

// appPage serves the page on the other origin: it makes the requests
// listed in its query string, one after the other, with fetch, and
// reports what the browser let it see.
type appPage struct{ rig *inspectorRig }

// appCall is one fetch of the page.
type appCall struct {
	Path    string            `json:"path"`
	Method  string            `json:"method"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

var appTemplate = template.Must(template.New("app").Parse(`<!doctype html>
<title>an app on another origin</title>
<pre id=out>running</pre>
<script>
const endpoint = {{.Endpoint}}, calls = {{.Calls}};
(async () => {
  const seen = [];
  for (const c of calls) {
    const init = {method: c.method, headers: c.headers || {}, mode: "cors", cache: "no-store"};
    if (c.body) init.body = c.body;
    try {
      const resp = await fetch(endpoint + c.path, init);
      await resp.text();
      seen.push(c.method + " " + c.path + ": " + resp.status);
    } catch (e) {
      seen.push(c.method + " " + c.path + ": blocked");
    }
  }
  document.getElementById("out").textContent = seen.join("\n");
  document.title = "done";
})();
</script>
`))

func (p appPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	appTemplate.Execute(w, map[string]any{"Endpoint": p.rig.endpoint, "Calls": template.JS(r.URL.Query().Get("calls"))})
}

// runApp loads the page in its tab with the calls to make and waits
// until it made them all; it returns what the page saw and when it was
// done.
func (rig *inspectorRig) runApp(calls []appCall) ([]string, time.Time) {
	rig.t.Helper()
	js, _ := json.Marshal(calls)
	rig.do(rig.app, chromedp.Navigate(rig.pageOrigin+"/?calls="+url.QueryEscape(string(js))))
	rig.poll(rig.app, `document.title === "done"`, 30*time.Second)
	done := time.Now()
	out := eval[string](rig, rig.app, `document.getElementById("out").textContent`)
	return strings.Split(out, "\n"), done
}

// TestInspector: a page on another origin makes allowed and refused
// requests while the inspector is open in another tab; the inspector
// shows them within liveListBound with the right verdicts, each request's
// headers and reasons, the buckets' tables and matrix, and answers the
// "try a request" form worked by keyboard alone. A screenshot of each
// view is written as an artifact.
func TestInspector(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	rig.openInspector()

	rig.showsAppRequests("")
	po := rig.pageOrigin
	// The live region tells screen readers of new requests, a few times a
	// minute at most.
	rig.poll(rig.inspector, `document.getElementById("announce").textContent !== ""`, 5*time.Second)
	if got := eval[string](rig, rig.inspector, `document.getElementById("announce").textContent`); !regexp.MustCompile(
		`^\d+ new requests?: \d+ allowed, \d+ refused\. Latest: (OPTIONS|PUT|GET) /photos/\S+ from ` + regexp.QuoteMeta(po) + `, (allowed|refused)\.$`).MatchString(got) {
		t.Errorf("live region says %q", got)
	}

	// Filters: refused only, then one bucket that saw nothing.
	rig.do(rig.inspector, chromedp.Evaluate[chromedp.Void](`(() => { const f = document.getElementById("f-verdict"); f.value = "refused"; f.dispatchEvent(new Event("input")); })()`))
	if got := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll("#event-rows tr:not([hidden])")].map(tr => tr.dataset.id)`); !slices.Equal(got, []string{"5", "4"}) {
		t.Errorf("refused only: rows %q, want 5 and 4", got)
	}
	if got := eval[string](rig, rig.inspector, `document.getElementById("count").textContent`); got != "showing 2 of 5 requests" {
		t.Errorf("count with the filter: %q", got)
	}
	rig.do(rig.inspector, chromedp.Evaluate[chromedp.Void](`(() => { const f = document.getElementById("f-verdict"); f.value = ""; f.dispatchEvent(new Event("input")); })()`))

	rig.showsAppReasons("")

	// The bucket's rules as a table, and the matrix that shows "*" may
	// DELETE in the other bucket.
	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/buckets/photos"))
	table := eval[[][]string](rig, rig.inspector, `[...document.querySelectorAll("#rules tbody tr")].map(tr => [...tr.children].map(c => c.innerText.replace(/\n/g, " ")))`)
	wantTable := [][]string{
		{"1 uploads", po, "GET PUT", "content-type", "none", "not set"},
		{"2", "https://*.example.com", "GET POST", "none", "ETag", "300"},
		{"3", "*", "GET HEAD", "none", "none", "not set"},
	}
	if diff := cmp.Diff(wantTable, table); diff != "" {
		t.Errorf("rules table (-want +got):\n%s", diff)
	}
	rig.screenshot(rig.inspector, "bucket-table")
	rig.checkAccessible("bucket page")

	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/buckets/wide-open"))
	matrix := eval[[][]string](rig, rig.inspector, `[...document.querySelectorAll("#matrix tbody tr")].map(tr => [...tr.children].map(c => c.className + ": " + c.innerText.replace(/\s+/g, " ").trim()))`)
	wantMatrix := [][]string{{": * (every site)", "yes: ✓ yes, rule 1 (anyone)", "no: — no", "no: — no", "yes danger: ⚠ yes, rule 1 (anyone) any site", "yes danger: ⚠ yes, rule 1 (anyone) any site"}}
	if diff := cmp.Diff(wantMatrix, matrix); diff != "" {
		t.Errorf("matrix (-want +got):\n%s", diff)
	}
	findings := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll(".finding-id")].map(e => e.textContent)`)
	if !slices.Contains(findings, "any-origin-writes") {
		t.Errorf("lint findings shown: %q, want any-origin-writes among them", findings)
	}
	rig.screenshot(rig.inspector, "matrix", "#matrix")
	rig.screenshot(rig.inspector, "bucket-wide-open")

	rig.tryByKeyboard()
	rig.noDialogs()
}

// liveListBound is how soon the inspector's live list must show a
// request after it was answered (see showsAppRequests).
const liveListBound = 3 * time.Second

// showsAppRequests has the page make allowed and refused requests while
// the inspector is open in the other tab: the live list shows them
// within liveListBound, with the right verdicts. It writes a screenshot of
// the list, its name prefixed, and returns how long the list took.
func (rig *inspectorRig) showsAppRequests(prefix string) time.Duration {
	t := rig.t
	t.Helper()
	po := rig.pageOrigin
	seen, done := rig.runApp([]appCall{
		{Path: "/photos/obj", Method: "GET"},
		{Path: "/photos/new.json", Method: "PUT", Headers: map[string]string{"Content-Type": "application/json"}, Body: "{}"},
		{Path: "/photos/obj", Method: "DELETE"},
		{Path: "/photos/other", Method: "PUT", Headers: map[string]string{"X-Custom": "1"}, Body: "x"},
	})
	if want := []string{"GET /photos/obj: 200", "PUT /photos/new.json: 200", "DELETE /photos/obj: blocked", "PUT /photos/other: blocked"}; !slices.Equal(seen, want) {
		t.Fatalf("the page saw %q, want %q", seen, want)
	}
	rig.poll(rig.inspector, `document.querySelectorAll("#event-rows tr").length >= 5`, 5*time.Second)
	shown := time.Since(done)
	t.Logf("the inspector showed the page's requests %v after its last one was answered", shown.Round(time.Millisecond))
	// The stream gathers events for 100 ms and the page draws them 100
	// ms after the first (streamInterval, inspector.js), so about 0.2 s.
	// The bound tells a live list from one that polls or batches for
	// seconds, with room for a loaded machine: 1.22 s was seen with a
	// load average of 12 on 2 cores, where the list is well under a
	// second on an idle one.
	if shown > liveListBound {
		t.Errorf("the inspector showed the requests %v after they were answered, want within %v", shown, liveListBound)
	}

	rows := eval[[]liveRow](rig, rig.inspector, readRows)
	want := []liveRow{ // newest first
		{ID: "5", Method: "OPTIONS", Path: "/photos/other", Origin: po, RequestMethod: "PUT", RequestHeaders: "x-custom", Status: "403", Verdict: "refused", Outcome: "NoMatch"},
		{ID: "4", Method: "OPTIONS", Path: "/photos/obj", Origin: po, RequestMethod: "DELETE", RequestHeaders: "—", Status: "403", Verdict: "refused", Outcome: "NoMatch"},
		{ID: "3", Method: "PUT", Path: "/photos/new.json", Origin: po, RequestMethod: "—", RequestHeaders: "—", Status: "200", Verdict: "allowed", Outcome: "Allowed"},
		{ID: "2", Method: "OPTIONS", Path: "/photos/new.json", Origin: po, RequestMethod: "PUT", RequestHeaders: "content-type", Status: "200", Verdict: "allowed", Outcome: "Allowed"},
		{ID: "1", Method: "GET", Path: "/photos/obj", Origin: po, RequestMethod: "—", RequestHeaders: "—", Status: "200", Verdict: "allowed", Outcome: "Allowed"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("live list (-want +got):\n%s", diff)
	}
	rig.screenshot(rig.inspector, prefix+"live")
	return shown
}

// showsAppReasons opens two requests of showsAppRequests from the live
// list, the refused DELETE preflight and the allowed preflight of the
// upload, and reads the headers sent and the reasons, rule by rule. It
// writes a screenshot of each, its name prefixed.
func (rig *inspectorRig) showsAppReasons(prefix string) {
	rig.t.Helper()
	po := rig.pageOrigin
	// The refused DELETE preflight, opened from its row.
	rig.navigateBy(rig.inspector, chromedp.Click(chromedp.CSS(`#event-rows tr[data-id="4"] a`)))
	rig.poll(rig.inspector, `location.pathname === "/_s3cors/requests/4" && document.querySelector(".summary-text") !== null`, 10*time.Second)
	rig.checkDetail(detail{
		heading: "Request 4: refused",
		summary: "no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.",
		steps: []ruleStep{
			{"rule 1 (uploads): no match", []string{`"` + po + `" admits "` + po + `"`, "DELETE is not allowed (AllowedMethods GET, PUT)", "none requested"}},
			{"rule 2: no match", []string{`no AllowedOrigin admits "` + po + `" (AllowedOrigins "https://*.example.com")`, "DELETE is not allowed (AllowedMethods GET, POST)", "none requested"}},
			{"rule 3: no match", []string{`"*" admits "` + po + `"`, "DELETE is not allowed (AllowedMethods GET, HEAD)", "none requested"}},
		},
	})
	rig.screenshot(rig.inspector, prefix+"request-refused")

	// The allowed preflight of the upload, with the exact headers sent.
	rig.openInspector()
	rig.poll(rig.inspector, `document.querySelectorAll("#event-rows tr").length >= 5`, 5*time.Second)
	rig.navigateBy(rig.inspector, chromedp.Click(chromedp.CSS(`#event-rows tr[data-id="2"] td.path`)))
	rig.poll(rig.inspector, `location.pathname === "/_s3cors/requests/2" && document.querySelector(".summary-text") !== null`, 10*time.Second)
	rig.checkDetail(detail{
		heading: "Request 2: allowed",
		summary: "rule 1 (uploads) answers: 200 OK with its CORS headers.",
		headers: [][2]string{{"Access-Control-Allow-Origin", po}, {"Access-Control-Allow-Credentials", "true"},
			{"Access-Control-Allow-Methods", "GET, PUT"}, {"Access-Control-Allow-Headers", "content-type"}, {"Vary", inspectorVary}},
		steps: []ruleStep{
			{"rule 1 (uploads): match: answers the request", []string{`"` + po + `" admits "` + po + `"`, "PUT is allowed", "every requested header is allowed"}},
			{"rule 2: no match", []string{`no AllowedOrigin admits "` + po + `" (AllowedOrigins "https://*.example.com")`, "PUT is not allowed (AllowedMethods GET, POST)",
				`no AllowedHeader admits "content-type" (the rule lists none)`}},
			{"rule 3: no match", []string{`"*" admits "` + po + `"`, "PUT is not allowed (AllowedMethods GET, HEAD)", `no AllowedHeader admits "content-type" (the rule lists none)`}},
		},
	})
	rig.screenshot(rig.inspector, prefix+"request-allowed")
}

type ruleStep struct {
	headline string
	reasons  []string // origin, method, headers
}

type detail struct {
	heading, summary string
	headers          [][2]string
	steps            []ruleStep
}

// checkDetail reads the page of one request.
func (rig *inspectorRig) checkDetail(want detail) {
	rig.t.Helper()
	t := rig.t
	ctx := rig.inspector
	if got := eval[string](rig, ctx, `document.querySelector("h1").textContent`); got != want.heading {
		t.Errorf("heading %q, want %q", got, want.heading)
	}
	if got := eval[string](rig, ctx, `document.querySelector(".summary-text").textContent`); got != want.summary {
		t.Errorf("summary %q, want %q", got, want.summary)
	}
	headers := eval[[][2]string](rig, ctx, `[...document.querySelectorAll(".kv-table tbody tr")].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])`)
	if diff := cmp.Diff(want.headers, headers, cmp.Comparer(func(a, b [][2]string) bool { return len(a) == 0 && len(b) == 0 || slices.Equal(a, b) })); diff != "" {
		t.Errorf("headers sent (-want +got):\n%s", diff)
	}
	if want.headers == nil {
		if got := eval[string](rig, ctx, `document.querySelector(".none-sent").textContent`); !strings.Contains(got, "no CORS headers") {
			t.Errorf("a response without CORS headers is shown as %q", got)
		}
	}
	type stepJS struct {
		Headline string
		Reasons  []string
	}
	steps := eval[[]stepJS](rig, ctx, `[...document.querySelectorAll(".step")].map(s => ({Headline: s.querySelector("h3").textContent, Reasons: [...s.querySelectorAll(".reason")].map(r => r.textContent)}))`)
	var got []ruleStep
	for _, s := range steps {
		got = append(got, ruleStep{s.Headline, s.Reasons})
	}
	if diff := cmp.Diff(want.steps, got, cmp.AllowUnexported(ruleStep{})); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	rig.checkAccessible("request page")
}

// tryByKeyboard fills in and sends the "try a request" form with the
// keyboard alone: Tab to each field, type, Enter on the button.
func (rig *inspectorRig) tryByKeyboard() {
	t := rig.t
	ctx := rig.inspector
	rig.do(ctx, chromedp.Navigate(rig.admin+"/_s3cors/buckets/photos/try"))
	tabTo := func(id string) {
		t.Helper()
		for range 20 {
			if eval[string](rig, ctx, `document.activeElement.id`) == id {
				// Focus is visible: :focus-visible draws an outline.
				style := eval[[]string](rig, ctx, `(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()`)
				if style[0] == "none" || style[1] == "0px" {
					t.Errorf("#%s has focus but no visible outline: %q", id, style)
				}
				return
			}
			rig.do(ctx, chromedp.KeyEvent(kb.Tab))
		}
		t.Fatalf("Tab never reached #%s", id)
	}
	tabTo("origin")
	rig.do(ctx, chromedp.KeyEvent(rig.pageOrigin))
	tabTo("method")
	rig.do(ctx, chromedp.KeyEvent(kb.Backspace+kb.Backspace+kb.Backspace+"PUT"))
	tabTo("headers")
	rig.do(ctx, chromedp.KeyEvent("content-type, x-custom"))
	tabTo("key")
	rig.do(ctx, chromedp.KeyEvent("new.json"))
	tabTo("query") // left empty: no query
	rig.do(ctx, chromedp.KeyEvent(kb.Tab))
	if got := eval[string](rig, ctx, `document.activeElement.textContent`); got != "Explain the answer" {
		t.Fatalf("after the last field, focus is on %q, want the button", got)
	}
	rig.navigateBy(ctx, chromedp.KeyEvent(kb.Enter))
	rig.poll(ctx, `document.getElementById("result-h") !== null`, 10*time.Second)
	if got := eval[string](rig, ctx, `document.getElementById("result-h").textContent`); got != "S3 answers 403 Forbidden: refused" {
		t.Errorf("result heading %q", got)
	}
	if got := eval[string](rig, ctx, `document.querySelector(".summary-text").textContent`); got != "no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden." {
		t.Errorf("result summary %q", got)
	}
	if got := eval[string](rig, ctx, `[...document.querySelectorAll(".step")][0].querySelectorAll(".reason")[2].textContent`); got != `no AllowedHeader admits "x-custom" (AllowedHeaders "content-type")` {
		t.Errorf("rule 1's headers: %q", got)
	}
	if got := eval[string](rig, ctx, `document.getElementById("origin").value`); got != rig.pageOrigin {
		t.Errorf("the form kept origin %q, want %q", got, rig.pageOrigin)
	}
	rig.checkAccessible("try page")
	rig.screenshot(ctx, "try")
}

// accessibilityCheck runs in a page and lists what is wrong: form
// controls without a label, tables without header cells, header cells
// without a scope, and text whose contrast with its background is under
// 4.5:1 (WCAG AA), computed from the styles in force.
const accessibilityCheck = `(() => {
  const problems = [];
  let texts = 0;
  for (const c of document.querySelectorAll("input, select, textarea")) {
    if (c.type !== "hidden" && c.labels.length === 0 && !c.getAttribute("aria-label")) problems.push("no label: #" + c.id);
  }
  for (const t of document.querySelectorAll("table")) {
    if (!t.querySelector("thead th")) problems.push("table without header cells: " + t.id);
    for (const th of t.querySelectorAll("th")) if (!th.getAttribute("scope")) problems.push("th without scope: " + th.textContent);
  }
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3); } return [255, 255, 255]; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.offsetParent || el.closest(".visually-hidden, .skip")) continue;
    texts++;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) problems.push("contrast " + ratio.toFixed(2) + ": " + n.textContent.trim().slice(0, 40));
  }
  return {problems, texts};
})()`

func (rig *inspectorRig) checkAccessible(name string) {
	rig.t.Helper()
	got := eval[struct {
		Problems []string `json:"problems"`
		Texts    int      `json:"texts"`
	}](rig, rig.inspector, accessibilityCheck)
	if len(got.Problems) > 0 {
		rig.t.Errorf("%s: %d accessibility problems:\n%s", name, len(got.Problems), strings.Join(got.Problems, "\n"))
	}
	if got.Texts < 20 {
		rig.t.Errorf("%s: the contrast of only %d pieces of text was checked", name, got.Texts)
	}
	rig.t.Logf("%s: labels, table headers and the contrast of %d pieces of text checked", name, got.Texts)
}

// TestInspectorHostile: origins, requested headers and paths holding
// markup, quotes and control characters are shown as text, equal to the
// raw value, and nothing they hold runs.
func TestInspectorHostile(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	rig.openInspector()
	hostile := []string{
		`<script>alert("origin")</script>`,
		`"><img src=x onerror=alert(1)>`,
		`'><svg onload=alert(2)>`,
		`javascript:alert(3)`,
		"https://tab\there.example",
		`https://a.example" onmouseover="alert(4)`,
	}
	for i, origin := range hostile {
		req, _ := http.NewRequest("OPTIONS", rig.endpoint+"/photos/%3Cimg%20src=x%20onerror=alert(5)%3E"+strconv.Itoa(i), nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", `x-a, "><b onclick=alert(6)>`)
		resp, err := rig.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	rig.poll(rig.inspector, fmt.Sprintf(`document.querySelectorAll("#event-rows tr").length >= %d`, len(hostile)), 10*time.Second)
	rows := eval[[]liveRow](rig, rig.inspector, readRows)
	for i, origin := range hostile {
		r := rows[len(hostile)-1-i]
		want := origin
		if strings.Contains(origin, "\t") {
			want = strconv.Quote(origin) // shown quoted, so that the tab is seen
		}
		if r.Origin != want || r.RequestHeaders != `x-a, "><b onclick=alert(6)>` || r.Path != "/photos/%3Cimg%20src=x%20onerror=alert(5)%3E"+strconv.Itoa(i) {
			t.Errorf("row %s shows origin %q, headers %q, path %q; want %q as sent", r.ID, r.Origin, r.RequestHeaders, r.Path, want)
		}
	}
	rig.screenshot(rig.inspector, "hostile-live")
	rig.noMarkup("live list")

	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/requests/2"))
	if got := eval[string](rig, rig.inspector, `document.getElementById("origin-value").textContent`); got != hostile[1] {
		t.Errorf("request page shows origin %q, want %q", got, hostile[1])
	}
	rig.noMarkup("request page")

	// Control characters cannot cross HTTP, but the form takes them (a
	// text field drops line breaks): a pasted value is shown quoted, in
	// explain's words.
	pasted := "https://a.example\x07<b>bold</b>\x1b[31m"
	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/buckets/photos/try"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("origin").value = `+jsString(pasted)))
	rig.navigateBy(rig.inspector, chromedp.Evaluate[chromedp.Void](`document.getElementById("try").requestSubmit()`))
	rig.poll(rig.inspector, `document.getElementById("result-h") !== null`, 10*time.Second)
	reason := eval[string](rig, rig.inspector, `[...document.querySelectorAll(".step")][2].querySelectorAll(".reason")[0].textContent`)
	if want := `"*" admits ` + strconv.Quote(pasted); reason != want {
		t.Errorf("rule 3's origin reason %q, want %q", reason, want)
	}
	rig.noMarkup("try page")
	rig.noDialogs()
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// noMarkup checks that the inspector's tab holds no element a hostile
// value could have made: its pages have no image, no SVG, no inline
// script and no b element, and no element has an event handler
// attribute.
func (rig *inspectorRig) noMarkup(name string) {
	rig.t.Helper()
	if got := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll("img, svg, b, script:not([src]), [onerror], [onload], [onclick], [onmouseover]")].map(e => e.outerHTML)`); len(got) > 0 {
		rig.t.Errorf("%s: elements made from hostile values: %q", name, got)
	}
}

// TestInspectorFlood sends 100,000 requests while the inspector is open:
// the page keeps at most the ring's worth of rows, catches up with the
// newest, and stays responsive; the server's memory stays bounded. It
// runs alone, before the parallel tests, so that the heap it measures is
// its own.
func TestInspectorFlood(t *testing.T) {
	rig := newInspectorRig(t)
	rig.openInspector()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	const flood = 100_000
	start := time.Now()
	for i := range flood {
		origin := rig.pageOrigin
		if i%3 == 0 {
			origin = "https://stranger.example"
		}
		r := httptest.NewRequest("OPTIONS", "/photos/k"+strconv.Itoa(i), nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "PUT")
		rig.srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	sent := time.Since(start)
	rig.poll(rig.inspector, fmt.Sprintf(`document.querySelector("#event-rows tr") !== null && document.querySelector("#event-rows tr").dataset.id === "%d"`, flood), 60*time.Second)
	caughtUp := time.Since(start)
	after := heap()
	rows := eval[int](rig, rig.inspector, `document.querySelectorAll("#event-rows tr").length`)
	t.Logf("%d requests in %v; the page showed the last one %v after the first; %d rows; server heap %d KiB before, %d KiB after",
		flood, sent.Round(time.Millisecond), caughtUp.Round(time.Millisecond), rows, before>>10, after>>10)
	if rows > inspect.DefaultCapacity {
		t.Errorf("the page holds %d rows, more than the ring's %d", rows, inspect.DefaultCapacity)
	}
	if growth := int64(after) - int64(before); growth > 8<<20 {
		t.Errorf("the server's heap grew by %d KiB over the flood, want under 8 MiB (a ring of %d events)", growth>>10, inspect.DefaultCapacity)
	}
	// Responsive: a filter applies to every row at once.
	took := eval[float64](rig, rig.inspector, `(() => { const f = document.getElementById("f-verdict"), start = performance.now();
		f.value = "refused"; f.dispatchEvent(new Event("input")); return performance.now() - start; })()`)
	visible := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll("#event-rows tr:not([hidden]) .verdict")].map(e => e.textContent)`)
	t.Logf("filtering %d rows took %.1f ms in the page", rows, took)
	if len(visible) == 0 || slices.ContainsFunc(visible, func(v string) bool { return v != "refused" }) {
		t.Errorf("after filtering refused: %d rows shown, verdicts %q", len(visible), visible[:min(len(visible), 5)])
	}
	if heapJS := eval[float64](rig, rig.inspector, `performance.memory ? performance.memory.usedJSHeapSize : 0`); heapJS > 0 {
		t.Logf("the page's JavaScript heap: %.1f MiB", heapJS/(1<<20))
	}
	rig.screenshot(rig.inspector, "flood", viewport)
	rig.noDialogs()
}

// TestInspectorBucketFilter: the live page's bucket filter offers the
// server's buckets and those of the rows it holds, no more. Every
// request names a bucket of its choice (a path's first segment), so a
// flood of requests to as many names must not grow the list past the
// ring, where each name once seen stayed: 5,000 options, each looked up
// again for every new row.
func TestInspectorBucketFilter(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	rig.openInspector()
	server := eval[[]string](rig, rig.inspector, `[...document.getElementById("f-bucket").options].map(o => o.value)`)
	const kept = "photos"
	// The page's filter is set to a bucket, which must stay while the
	// flood goes by, though no row of it remains.
	rig.do(rig.inspector, chromedp.Evaluate[chromedp.Void](`(() => { const f = document.getElementById("f-bucket");
		f.value = "photos"; f.dispatchEvent(new Event("input")); })()`))
	// In rounds the stream carries whole, each shown before the next is
	// sent, so that the page gets every request, none skipped.
	const flood, round = 5 * inspect.DefaultCapacity, 200
	for i := range flood {
		r := httptest.NewRequest("OPTIONS", "/flood-"+strconv.Itoa(i)+"/k", nil)
		r.Header.Set("Origin", rig.pageOrigin)
		r.Header.Set("Access-Control-Request-Method", "GET")
		rig.srv.ServeHTTP(httptest.NewRecorder(), r)
		if (i+1)%round == 0 {
			rig.poll(rig.inspector, fmt.Sprintf(`(() => { const tr = document.querySelector("#event-rows tr"); return tr !== null && tr.dataset.id === "%d"; })()`, i+1), 30*time.Second)
		}
	}
	if skipped := eval[string](rig, rig.inspector, `document.getElementById("count").textContent`); strings.Contains(skipped, "went by") {
		t.Errorf("the page skipped requests: %s", skipped)
	}
	options := eval[[]string](rig, rig.inspector, `[...document.getElementById("f-bucket").options].map(o => o.value)`)
	rowBuckets := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll("#event-rows tr")].map(tr => tr.dataset.bucket)`)
	if most := len(server) + len(rowBuckets); len(options) > most {
		t.Errorf("the bucket filter offers %d names after %d requests to as many buckets; want at most %d: the server's %d and the %d rows'",
			len(options), flood, most, len(server), len(rowBuckets))
	}
	for _, name := range append(server, rowBuckets...) {
		if !slices.Contains(options, name) {
			t.Errorf("the bucket filter does not offer %q", name)
		}
	}
	if got := eval[string](rig, rig.inspector, `document.getElementById("f-bucket").value`); got != kept {
		t.Errorf("the bucket filter holds %q after the flood, want %q as chosen", got, kept)
	}
	rig.noDialogs()
}

// TestInspectorStreamsBusy: a page opened while inspect.MaxStreams
// streams are open is answered 503, which ends an EventSource for good
// (it reconnects after a network error, never after an HTTP error); the
// page tries again, and shows the live list once a stream is free, where
// it said "Reconnecting…" and never did.
func TestInspectorStreamsBusy(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	var held []io.Closer
	release := func() {
		for _, c := range held {
			c.Close()
		}
		held = nil
	}
	defer release()
	for range inspect.MaxStreams {
		resp, err := rig.client.Get(rig.admin + "/_s3cors/api/events")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("stream %d: %d, want 200", len(held), resp.StatusCode)
		}
	}
	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/"))
	rig.poll(rig.inspector, `document.getElementById("connection").textContent !== "Connecting…"`, 10*time.Second)
	if got := eval[string](rig, rig.inspector, `document.getElementById("connection").textContent`); got == "Live" {
		t.Fatalf("the page's stream is %q with %d others open, want refused", got, inspect.MaxStreams)
	}
	release()
	rig.poll(rig.inspector, `document.getElementById("connection").textContent === "Live"`, 20*time.Second)
	// And the page has what was recorded meanwhile.
	r := httptest.NewRequest("OPTIONS", "/photos/after-busy", nil)
	r.Header.Set("Origin", rig.pageOrigin)
	r.Header.Set("Access-Control-Request-Method", "PUT")
	rig.srv.ServeHTTP(httptest.NewRecorder(), r)
	rig.poll(rig.inspector, `[...document.querySelectorAll("#event-rows .path")].some(td => td.textContent === "/photos/after-busy")`, 10*time.Second)
	rig.noDialogs()
}

// TestInspectorFilterEnter: Enter in the "Origin contains" filter, as
// one presses it after typing in a search box, keeps the page, its
// filter and its rows, where it sent the form and reloaded the page
// without them.
func TestInspectorFilterEnter(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	rig.openInspector()
	for _, origin := range []string{rig.pageOrigin, "https://evil.example"} {
		r := httptest.NewRequest("OPTIONS", "/photos/k", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "GET")
		rig.srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	rig.poll(rig.inspector, `document.querySelectorAll("#event-rows tr").length === 2`, 10*time.Second)
	rig.do(rig.inspector, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	rig.do(rig.inspector, chromedp.Click(chromedp.CSS("#f-origin")), chromedp.KeyEvent("evil"))
	rig.do(rig.inspector, chromedp.KeyEvent(kb.Enter))
	// A reload would take a moment: give it one before looking.
	time.Sleep(500 * time.Millisecond)
	if !eval[bool](rig, rig.inspector, `window.notReloaded === true && location.search === ""`) {
		t.Fatalf("Enter in the filter loaded %s", eval[string](rig, rig.inspector, `location.href`))
	}
	if got := eval[string](rig, rig.inspector, `document.getElementById("f-origin").value`); got != "evil" {
		t.Errorf("the filter holds %q after Enter, want %q", got, "evil")
	}
	shown := eval[[]string](rig, rig.inspector, `[...document.querySelectorAll("#event-rows tr:not([hidden]) .origin")].map(td => td.textContent)`)
	if !slices.Equal(shown, []string{"https://evil.example"}) {
		t.Errorf("rows shown after Enter: %q, want the one from https://evil.example", shown)
	}
	rig.noDialogs()
}

// TestInspectorAcrossRestart: the live page open while the server
// restarts shows the new run's requests, every one, and none of the old
// run's, whose ids name other requests now. It kept the old rows and,
// reconnecting from id 3 to a run that had sent 1 to 5 already, got
// only 4 and 5.
func TestInspectorAcrossRestart(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	newEndpoint := func() *s3server.Server {
		srv, err := s3server.New(s3server.Options{InMemory: true, Inspector: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		return srv
	}
	var current atomic.Pointer[s3server.Server]
	first := newEndpoint()
	current.Store(first)
	endpoint := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	t.Cleanup(func() { current.Load().CloseInspector() }) // before the endpoint closes
	rig := &inspectorRig{t: t, srv: first, endpoint: localhostURL(endpoint), client: endpoint.Client(), artifacts: artifactsDir(t)}
	rig.admin = rig.endpoint
	rig.startBrowser(browser)
	rig.openInspector()
	preflight := func(srv *s3server.Server, path string) {
		r := httptest.NewRequest("OPTIONS", path, nil)
		r.Header.Set("Origin", "https://app.example")
		r.Header.Set("Access-Control-Request-Method", "GET")
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	for i := range 3 {
		preflight(first, "/photos/old-"+strconv.Itoa(i))
	}
	rig.poll(rig.inspector, `document.querySelectorAll("#event-rows tr").length === 3`, 10*time.Second)

	second := newEndpoint()
	second.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/_s3cors/api/requests", nil)) // a look: it records
	var want []string
	for i := range 5 {
		preflight(second, "/photos/new-"+strconv.Itoa(i))
		want = append([]string{strconv.Itoa(i+1) + " /photos/new-" + strconv.Itoa(i)}, want...) // newest first
	}
	current.Store(second)
	first.CloseInspector() // the old run's stream ends, and the page reconnects to the new run
	const shown = `[...document.querySelectorAll("#event-rows tr")].map(tr => tr.dataset.id + " " + tr.querySelector(".path").textContent)`
	rig.poll(rig.inspector, `document.querySelector("#event-rows .path") !== null && document.querySelector("#event-rows .path").textContent === "/photos/new-4"`, 15*time.Second)
	if got := eval[[]string](rig, rig.inspector, shown); !slices.Equal(got, want) {
		t.Errorf("rows after the restart: %q, want %q", got, want)
	}
	if got := eval[string](rig, rig.inspector, `document.getElementById("count").textContent`); got != "5 requests" {
		t.Errorf("count after the restart: %q, want %q", got, "5 requests")
	}
	rig.noDialogs()
}

// TestInspectorNoScript: with JavaScript off, the live page shows its
// note that the list needs it, and neither "Connecting…" nor "No
// request yet", which it showed whatever the ring held.
func TestInspectorNoScript(t *testing.T) {
	t.Parallel()
	rig := newInspectorRig(t)
	r := httptest.NewRequest("OPTIONS", "/photos/k", nil)
	r.Header.Set("Origin", rig.pageOrigin)
	r.Header.Set("Access-Control-Request-Method", "GET")
	rig.srv.ServeHTTP(httptest.NewRecorder(), r)
	if _, err := chromedp.Call(rig.inspector, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/"))
	text := eval[string](rig, rig.inspector, `document.querySelector("main").innerText`)
	if !strings.Contains(text, "The live list needs JavaScript.") {
		t.Errorf("the page without JavaScript says no word of it:\n%s", text)
	}
	for _, stale := range []string{"Connecting", "No request yet", "●"} {
		if strings.Contains(text, stale) {
			t.Errorf("the page without JavaScript shows %q:\n%s", stale, text)
		}
	}
	rig.screenshot(rig.inspector, "live-noscript")
}
