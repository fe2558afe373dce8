package browsertest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/xmlconfig"
)

// TestBrowserThroughProxy lets headless Chromium decide through the
// proxy, in front of gofakes3: an S3 emulator without bucket CORS that
// answers every request with Access-Control-Allow-Origin: *. The page on
// one origin makes the cases of TestBrowserCORS against the proxy on
// another; the browser's verdicts, and what reached the proxy, must be
// those S3's rules give (allowed and refused preflights, an ETag exposed
// or not), never gofakes3's "*".
func TestBrowserThroughProxy(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	upstream := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(upstream.Close)
	p, err := s3proxy.New(s3proxy.Options{Upstream: upstream.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	rec := &recorder{}
	endpoint := newServer(t, rec.wrap(p))
	page, results := newPageServer(t)
	pageOrigin := "http://" + page.Listener.Addr().String()
	_, endpointPort, _ := net.SplitHostPort(endpoint.Listener.Addr().String())
	endpointURL := "http://localhost:" + endpointPort

	all := cases(pageOrigin)
	for _, c := range all {
		putBucket(t, endpoint, c.Name, c.Rules, objectBody)
	}
	rec.reset()

	page.Config.Handler.(*pageHandler).set(endpointURL, all)
	checkCases(t, runBrowser(t, browser, pageOrigin+"/", results, len(all)), all, rec, "proxy")
	t.Logf("%d browser cases through the proxy", len(all))
}

// putBucket makes a bucket through the proxy at srv, with rules and an
// object "obj".
func putBucket(t *testing.T, srv *httptest.Server, name string, rules []corsrule.Rule, object string) {
	t.Helper()
	doc := xmlconfig.AppendXML(nil, rules)
	sum := md5.Sum(doc)
	for _, step := range []struct {
		path   string
		body   []byte
		header []string
	}{
		{"/" + name, nil, nil},
		{"/" + name + "?cors", doc, []string{"Content-MD5", base64.StdEncoding.EncodeToString(sum[:])}},
		{"/" + name + "/obj", []byte(object), nil},
	} {
		req, _ := http.NewRequest("PUT", srv.URL+step.path, bytes.NewReader(step.body))
		for i := 0; i+1 < len(step.header); i += 2 {
			req.Header.Set(step.header[i], step.header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("PUT %s: %v %v", step.path, resp, err)
		}
		resp.Body.Close()
	}
}

// TestInspectorThroughProxy: a page on another origin makes allowed and
// refused requests through the proxy, in front of gofakes3, while the
// proxy's inspector is open in another tab, on its admin address. The
// live list shows, within liveListBound, the preflights the proxy answered
// and the requests it passed through, with the verdicts, headers and
// reasons serve's inspector gives; the bucket list shows the
// configurations the proxy holds, and says it knows only those.
func TestInspectorThroughProxy(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	upstream := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(upstream.Close)
	p, err := s3proxy.New(s3proxy.Options{Upstream: upstream.URL, Inspector: true, AllowedHosts: []string{"localhost", "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	front := newServer(t, p)
	mux := http.NewServeMux()
	mux.Handle(s3proxy.InspectorPrefix, p.Inspector())
	admin := newServer(t, mux)
	t.Cleanup(p.CloseInspector) // before the admin server closes: its streams never end by themselves

	rig := &inspectorRig{t: t, endpoint: localhostURL(front), admin: localhostURL(admin), client: admin.Client(), artifacts: artifactsDir(t)}
	rig.startApp()
	for _, b := range rigBuckets(rig.pageOrigin) {
		putBucket(t, front, b.name, b.rules, "an object")
	}
	rig.startBrowser(browser)
	rig.openInspector()
	rig.showsAppRequests("proxy-")
	rig.showsAppReasons("proxy-")

	rig.do(rig.inspector, chromedp.Navigate(rig.admin+"/_s3cors/buckets/"))
	if got := eval[string](rig, rig.inspector, `document.querySelector(".lede").textContent`); !strings.HasPrefix(got, "The proxy knows only the buckets it has seen") {
		t.Errorf("the bucket list says %q", got)
	}
	rows := eval[[][]string](rig, rig.inspector, `[...document.querySelectorAll("table.list tbody tr")].map(tr => [...tr.children].slice(0, 2).map(c => c.innerText))`)
	if want := [][]string{{"photos", "3"}, {"wide-open", "1"}}; !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("the bucket list shows %q, want %q", rows, want)
	}
	rig.checkAccessible("bucket list")
	rig.screenshot(rig.inspector, "proxy-buckets")
	rig.noDialogs()
}
