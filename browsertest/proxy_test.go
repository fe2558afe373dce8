package browsertest

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

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
		doc := xmlconfig.AppendXML(nil, c.Rules)
		sum := md5.Sum(doc)
		for _, step := range []struct {
			method, path string
			body         []byte
			header       []string
		}{
			{"PUT", "/" + c.Name, nil, nil},
			{"PUT", "/" + c.Name + "?cors", doc, []string{"Content-MD5", base64.StdEncoding.EncodeToString(sum[:])}},
			{"PUT", "/" + c.Name + "/obj", []byte(objectBody), nil},
		} {
			req, _ := http.NewRequest(step.method, endpoint.URL+step.path, bytes.NewReader(step.body))
			for i := 0; i+1 < len(step.header); i += 2 {
				req.Header.Set(step.header[i], step.header[i+1])
			}
			resp, err := endpoint.Client().Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s %s: %v %v", step.method, step.path, resp, err)
			}
			resp.Body.Close()
		}
	}
	rec.reset()

	page.Config.Handler.(*pageHandler).set(endpointURL, all)
	got := runBrowser(t, browser, pageOrigin+"/", results, len(all))
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
				t.Errorf("requests that reached the proxy = %q, want %q", reached, c.reached)
			}
		})
	}
	t.Logf("%d browser cases through the proxy", len(all))
}
