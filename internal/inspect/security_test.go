package inspect_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

// inspectorPages are a URL of each kind the inspector serves, and its
// status.
var inspectorPages = []struct {
	path   string
	status int
}{
	{"/_s3cors/", 200},
	{"/_s3cors/requests/1", 200},
	{"/_s3cors/requests/999", 404},
	{"/_s3cors/buckets/", 200},
	{"/_s3cors/buckets/photos", 200},
	{"/_s3cors/buckets/nosuch", 404},
	{"/_s3cors/buckets/photos/try", 200},
	{"/_s3cors/api/requests", 200},
	{"/_s3cors/api/requests/1", 200},
	{"/_s3cors/static/inspector.js", 200},
	{"/_s3cors/static/inspector.css", 200},
	{"/_s3cors/static/icon.svg", 200},
	{"/_s3cors/nothing", 404},
	{"/_s3cors", 301},
}

// TestSecurityHeaders: every answer of the inspector carries the
// Content-Security-Policy and its companions, and no CORS header, even
// to a request with an Origin and to a preflight: no other origin may
// read it.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	do(srv, "GET", "/_s3cors/api/requests")
	do(srv, "OPTIONS", "/photos/k", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	check := func(name string, w *httptest.ResponseRecorder) {
		t.Helper()
		h := w.Header()
		for name, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			"X-Content-Type-Options":  "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
			"Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-store",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", name, name, got, want)
			}
		}
		for key := range h {
			if strings.HasPrefix(key, "Access-Control-") || key == "X-Amz-Request-Id" {
				t.Errorf("%s: the inspector answered %s: %q", name, key, h[key])
			}
		}
	}
	for _, p := range inspectorPages {
		w := do(srv, "GET", p.path, "Origin", "https://app.example")
		if w.Code != p.status {
			t.Errorf("GET %s: %d, want %d", p.path, w.Code, p.status)
		}
		check("GET "+p.path, w)
	}
	// A preflight is a method the inspector does not answer: 405, with
	// no CORS header, which fails it.
	for _, path := range []string{"/_s3cors/api/requests", "/_s3cors/api/events", "/_s3cors/buckets/photos/try"} {
		w := do(srv, "OPTIONS", path, "Origin", "https://app.example", "Access-Control-Request-Method", "POST")
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("preflight for %s: %d, want 405", path, w.Code)
		}
		check("OPTIONS "+path, w)
	}
	// None of these requests was recorded: only the first preflight.
	if got := getRequests(t, srv, ""); got.Newest != 1 {
		t.Errorf("the inspector's own requests were recorded: newest %d, want 1", got.Newest)
	}
}

// TestRouting: the inspector is reached only by path style through a
// Host the server answers to; a refused Host gets S3's error, and a
// virtual-hosted bucket's key "_s3cors/" is an object, not the page.
// Without Options.Inspector the path is an S3 request.
func TestRouting(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{AllowedHosts: []string{"localhost"}, Domains: []string{"localhost"}})
	for _, tc := range []struct {
		host, path string
		status     int
		inspector  bool
	}{
		{"localhost:9000", "/_s3cors/", 200, true},
		{"LOCALHOST", "/_s3cors/api/requests", 200, true},
		{"evil.example", "/_s3cors/", 400, false},
		{"evil.example:9000", "/_s3cors/api/requests", 400, false},
		{"photos.localhost:9000", "/_s3cors/", 404, false}, // the key "_s3cors/" of "photos": NoSuchKey
		// The key "_s3cors/api/requests" of the bucket "_s3cors", named
		// by Host: a bucket name S3 never makes, and no path style.
		{"_s3cors.localhost:9000", "/_s3cors/api/requests", 404, false},
		{"_S3CORS.localhost", "/_s3cors/", 404, false},
		{"localhost", "/photos/_s3cors/", 404, false},
		{"localhost", "/_s3corsx/", 404, false}, // a bucket name S3 never makes: NoSuchBucket
	} {
		r := httptest.NewRequest("GET", tc.path, nil)
		r.Host = tc.host
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		isInspector := w.Header().Get("Content-Security-Policy") != ""
		if w.Code != tc.status || isInspector != tc.inspector {
			t.Errorf("Host %s, GET %s: %d, inspector %v; want %d, %v\n%s", tc.host, tc.path, w.Code, isInspector, tc.status, tc.inspector, w.Body)
		}
		if !tc.inspector && s3err.HeaderValue(w.Header(), s3err.RequestIDHeader) == "" {
			t.Errorf("Host %s, GET %s: no S3 answer", tc.host, tc.path)
		}
	}

	off, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if w := do(off, "GET", "/_s3cors/"); w.Code != 404 || w.Header().Get("Content-Security-Policy") != "" ||
		!strings.Contains(w.Body.String(), "<Code>NoSuchBucket</Code>") {
		t.Errorf("without the inspector, GET /_s3cors/: %d\n%s", w.Code, w.Body)
	}
}

// TestTryCrossOrigin: the "try a request" form is refused when another
// site posts it, as a browser tells by Sec-Fetch-Site or Origin, and
// answered when the inspector's own page does.
func TestTryCrossOrigin(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	form := url.Values{"kind": {"preflight"}, "origin": {"https://app.example"}, "method": {"PUT"}}.Encode()
	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
	}{
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:9000"}, 200},
		{"typed in the address bar", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"no browser", nil, 200},
		{"cross site", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403},
		{"same site, other port", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:3000"}, 403},
		{"old browser, other origin", map[string]string{"Origin": "https://evil.example"}, 403},
	} {
		r := httptest.NewRequest("POST", "/_s3cors/buckets/photos/try", strings.NewReader(form))
		r.Host = "127.0.0.1:9000"
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%s: %d, want %d\n%s", tc.name, w.Code, tc.status, w.Body)
		}
		if w.Code == 200 && !strings.Contains(w.Body.String(), "rule 1 (uploads) answers: 200 OK with its CORS headers.") {
			t.Errorf("%s: the answer does not explain the request:\n%s", tc.name, w.Body)
		}
	}
}

// TestTryForm posts the form with each kind of request and with bad
// input, and reads the answer's summary and status.
func TestTryForm(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	for _, tc := range []struct {
		form   url.Values
		status int
		want   []string
	}{
		{url.Values{"kind": {"preflight"}, "origin": {"https://app.example"}, "method": {"PUT"}, "headers": {"content-type, x-custom"}, "key": {"a.jpg"}}, 200,
			[]string{"S3 answers 403 Forbidden", "no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.",
				`no AllowedHeader admits "x-custom"`, "<ResourceType>OBJECT</ResourceType>"}},
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example"}, "method": {"GET"}}, 200,
			[]string{"The operation decides the status", "rule 2 answers: S3 adds its CORS headers to the operation's response.",
				"Access-Control-Allow-Origin"}},
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example"}, "method": {"PATCH"}}, 200,
			[]string{"S3 answers 405 Method Not Allowed"}},
		{url.Values{"kind": {"preflight"}, "method": {"GET"}}, 200,
			[]string{"no rule consulted: the request has no Origin header, so S3 answers 400 BadRequest."}},
		// A header value has no white space around it (RFC 9110, section
		// 5.5): the endpoint gets these without it, as a value pasted
		// with a space around it is sent.
		{url.Values{"kind": {"preflight"}, "origin": {" https://app.example\t"}, "method": {"PUT "}, "headers": {" content-type "}, "key": {"a.jpg"}}, 200,
			[]string{"S3 answers 200 OK", "rule 1 (uploads) answers: 200 OK with its CORS headers."}},
		{url.Values{"kind": {"preflight"}, "origin": {"  "}, "method": {"PUT"}}, 200,
			[]string{"no rule consulted: the request has no Origin header, so S3 answers 400 BadRequest."}},
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example "}, "method": {" GET"}}, 200,
			[]string{"rule 2 answers: S3 adds its CORS headers to the operation's response."}},
		// The query names the operation: GET /photos?delete is S3's 405
		// with the Allow header of ?delete, a "?" typed before it or not.
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example"}, "method": {"GET"}, "query": {"?delete"}}, 200,
			[]string{"S3 answers 405 Method Not Allowed", "<ResourceType>MULTI_OBJECT_DELETE</ResourceType>"}},
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example"}, "method": {"GET"}, "query": {"a=%zz"}}, 400,
			[]string{`the query "a=%zz" could not be read: invalid URL escape "%zz"`}},
		// The key is judged before the bucket, as the endpoint judges it.
		{url.Values{"kind": {"actual"}, "origin": {"https://reader.example"}, "method": {"GET"}, "key": {strings.Repeat("k", 1025)}}, 200,
			[]string{"S3 answers 400 Bad Request", "<Code>KeyTooLongError</Code>"}},
		{url.Values{"kind": {"sideways"}, "method": {"GET"}}, 400, []string{"choose a preflight or an actual request"}},
		{url.Values{"kind": {"actual"}, "method": {"G E T"}}, 400, []string{`the method "G E T" is not an HTTP method`}},
		{url.Values{"kind": {"actual"}, "method": {"OPTIONS"}}, 400, []string{"an OPTIONS request is a preflight"}},
	} {
		r := httptest.NewRequest("POST", "/_s3cors/buckets/photos/try", strings.NewReader(tc.form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("%v: %d, want %d", tc.form, w.Code, tc.status)
		}
		for _, want := range tc.want {
			if !strings.Contains(w.Body.String(), html.EscapeString(want)) {
				t.Errorf("%v: the page does not say %q:\n%s", tc.form, want, w.Body)
			}
		}
	}
	big := strings.NewReader("origin=" + strings.Repeat("a", 100<<10))
	r := httptest.NewRequest("POST", "/_s3cors/buckets/photos/try", big)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "the form could not be read") {
		t.Errorf("a 100 KiB form: %d\n%s", w.Code, w.Body)
	}
}

// TestHostileValuesEscaped: markup, quotes and control characters in an
// origin, requested headers, a path, a rule ID and the try form are
// shown as text, never as markup.
func TestHostileValuesEscaped(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	hostile := `"><img src=x onerror=alert(1)><script>alert(2)</script>'`
	if err := srv.CreateBucket("hostile", ""); err != nil {
		t.Fatal(err)
	}
	rules := []corsrule.Rule{{ID: hostile, AllowedOrigins: []string{hostile, "https://*"}, AllowedMethods: []string{"GET", "DELETE"},
		AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"x-amz-meta-a"}}}
	if err := srv.PutBucketCors("hostile", rules); err != nil {
		t.Fatal(err)
	}
	do(srv, "GET", "/_s3cors/api/requests")
	do(srv, "OPTIONS", "/hostile/%3Cscript%3E", "Origin", hostile, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", hostile)
	pages := map[string]string{}
	for _, path := range []string{"/_s3cors/requests/1", "/_s3cors/buckets/hostile", "/_s3cors/buckets/"} {
		pages[path] = do(srv, "GET", path).Body.String()
	}
	form := url.Values{"kind": {"preflight"}, "origin": {hostile + "\x07\r\n"}, "method": {"GET"}, "headers": {hostile}, "key": {hostile}}
	r := httptest.NewRequest("POST", "/_s3cors/buckets/hostile/try", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	pages["try"] = w.Body.String()
	for name, body := range pages {
		for _, bad := range []string{"<img", "<script>alert", "onerror=alert(1)>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q unescaped", name, bad)
			}
		}
		// The form's field keeps what was typed; nothing else shows it raw.
		if want := map[string]int{"try": 1}[name]; strings.Count(body, "\x07") != want {
			t.Errorf("%s holds the control character %d times, want %d", name, strings.Count(body, "\x07"), want)
		}
	}
	if want := html.EscapeString(hostile); !strings.Contains(pages["/_s3cors/requests/1"], want) {
		t.Errorf("the request page does not show the origin as text %q", want)
	}
	// The form's origin, with its control characters, is shown quoted.
	if want := html.EscapeString(`\a\r\n`); !strings.Contains(pages["try"], want) {
		t.Errorf("the try page does not show the control characters quoted (%q):\n%s", want, pages["try"])
	}
}

// TestInvisibleCharactersQuoted: an origin or a path holding a character
// that is not printable, such as a bidi override that makes
// "https://\u202eelpmaxe.ppa" read as "https://app.example", is shown
// quoted, never raw.
func TestInvisibleCharactersQuoted(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	do(srv, "GET", "/_s3cors/api/requests")
	do(srv, "OPTIONS", "/photos/k", "Origin", "https://\u202eelpmaxe.ppa", "Access-Control-Request-Method", "GET",
		"Access-Control-Request-Headers", "x-a\u200b")
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/_s3cors/requests/1", 200, []string{`<code>&#34;https://\u202eelpmaxe.ppa&#34;</code>`, `<code>&#34;x-a\u200b&#34;</code>`}},
		{"/_s3cors/%E2%80%AEnothing", 404, []string{`at &#34;/_s3cors/\u202enothing&#34;.`}},
		{"/_s3cors/requests/%E2%80%AE1", 404, []string{`Request &#34;\u202e1&#34; names no event: an event&#39;s id is a number.`}},
		{"/_s3cors/requests/abc", 404, []string{`Request abc names no event: an event&#39;s id is a number.`}},
		{"/_s3cors/requests/2", 404, []string{`Request 2 is not in the ring: it was never recorded, or 1000 newer ones replaced it.`}},
	} {
		w := do(srv, "GET", tc.path)
		body := w.Body.String()
		if w.Code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, w.Code, tc.status)
		}
		if strings.ContainsAny(body, "\u202e\u200b") {
			t.Errorf("GET %s shows a bidi override or zero-width space raw", tc.path)
		}
		for _, want := range tc.want {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s does not show %s:\n%s", tc.path, want, body)
			}
		}
	}
}

// TestBucketLink: the request page links to the page of the request's
// bucket with its name escaped as one path segment, so that a name
// holding "?" or "#" (a path-style request may send any) leads to
// that name's page and not to another; "." and "..", which a path
// cannot carry to a page, are shown unlinked.
func TestBucketLink(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ path, bucket, href string }{
		{"/photos/k", "photos", "/_s3cors/buckets/photos"},
		{"/a%3Fb%23c/k", "a?b#c", "/_s3cors/buckets/a%3Fb%23c"},
		{"/../k", "..", ""},
		{"/./k", ".", ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, s3server.Options{})
			getRequests(t, srv, "")
			do(srv, "GET", tc.path, "Origin", "https://app.example")
			reqs := getRequests(t, srv, "").Requests
			if len(reqs) != 1 || reqs[0].Bucket != tc.bucket {
				t.Fatalf("recorded %+v, want one request on bucket %q", reqs, tc.bucket)
			}
			page := do(srv, "GET", "/_s3cors/requests/1").Body.String()
			links := strings.Count(page, `<dt>Bucket</dt><dd><a href=`)
			if tc.href == "" {
				if links != 0 {
					t.Errorf("the page links to a bucket %d times, want none:\n%s", links, page)
				}
				return
			}
			if want := `<a href="` + tc.href + `">`; links != 1 || !strings.Contains(page, want) {
				t.Errorf("the page links to a bucket %d times, want once as %s:\n%s", links, want, page)
			}
			// The link leads to the page of that name: photos's, or the
			// one that says no bucket a?b#c exists.
			w := do(srv, "GET", tc.href)
			if want := map[bool]int{true: 200, false: 404}[tc.bucket == "photos"]; w.Code != want {
				t.Errorf("GET %s = %d, want %d", tc.href, w.Code, want)
			}
			if !strings.Contains(w.Body.String(), html.EscapeString(tc.bucket)) {
				t.Errorf("GET %s does not name bucket %q:\n%s", tc.href, tc.bucket, w.Body)
			}
		})
	}
}

// TestNoRoute: a request no route takes is answered 405 with Allow when
// a GET of its path would be answered, 404 otherwise; as a JSON error
// under the API's path, which scripts read, and as a page elsewhere.
func TestNoRoute(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
		json         bool
	}{
		{"POST", "/_s3cors/api/requests", 405, "GET, HEAD", true},
		{"DELETE", "/_s3cors/api/requests/1", 405, "GET, HEAD", true},
		{"PUT", "/_s3cors/api/events", 405, "GET, HEAD", true},
		{"GET", "/_s3cors/api/nothing", 404, "", true},
		{"POST", "/_s3cors/api/nothing", 404, "", true},
		{"DELETE", "/_s3cors/buckets/photos", 405, "GET, HEAD", false},
		{"PUT", "/_s3cors/buckets/photos/try", 405, "GET, HEAD, POST", false},
		{"POST", "/_s3cors/", 405, "GET, HEAD", false},
		{"POST", "/_s3cors/nothing", 404, "", false},
		{"GET", "/_s3cors/nothing", 404, "", false},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			w := do(srv, tc.method, tc.path)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d\n%s", w.Code, tc.status, w.Body)
			}
			if allow := w.Header().Get("Allow"); allow != tc.allow {
				t.Errorf("Allow %q, want %q", allow, tc.allow)
			}
			wantType := "text/html; charset=utf-8"
			if tc.json {
				wantType = "application/json"
			}
			if got := w.Header().Get("Content-Type"); got != wantType {
				t.Errorf("Content-Type %q, want %q", got, wantType)
			}
			if tc.json {
				var e struct{ Error string }
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, tc.path) {
					t.Errorf("JSON error %q (%v) does not name %s", e.Error, err, tc.path)
				}
			}
		})
	}
}
