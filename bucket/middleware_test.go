package bucket_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

func TestMiddleware(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	fallback := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT"}})
	resolve := func(r *http.Request) (bucket.Target, bool) {
		name, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		switch name {
		case "":
			return bucket.Target{}, false
		case "configured":
			return bucket.Target{Config: cfg, Object: key != ""}, true
		case "plain":
			return bucket.Target{Object: key != ""}, true
		}
		return bucket.Target{NoBucket: true}, true
	}
	tests := []struct {
		name       string
		mw         bucket.Middleware
		method     string
		path       string
		h          http.Header
		status     int
		reachNext  bool
		wantHeader map[string]string // "" means absent
		bodyHas    string
	}{
		{"preflight answered without next", bucket.Middleware{}, "OPTIONS", "/configured/k", hdr("Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
			200, false, map[string]string{"Access-Control-Allow-Origin": "https://app.example", "Content-Length": "0", "Content-Type": ""}, ""},
		{"refused preflight renders S3's error", bucket.Middleware{}, "OPTIONS", "/configured/k", hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "GET"),
			403, false, map[string]string{"Access-Control-Allow-Origin": "", "Vary": "", "Content-Type": "application/xml"},
			"<Method>GET</Method><ResourceType>OBJECT</ResourceType><RequestId>"},
		{"preflight without Origin", bucket.Middleware{}, "OPTIONS", "/configured", hdr(),
			400, false, map[string]string{"Connection": "close", "Content-Type": "application/xml", "Access-Control-Allow-Origin": "", "Vary": ""}, "<Code>BadRequest</Code>"},
		{"preflight ignores Authorization and presigned queries", bucket.Middleware{}, "OPTIONS", "/configured/k?X-Amz-Signature=bad",
			hdr("Origin", "https://app.example", "Access-Control-Request-Method", "GET", "Authorization", "AWS fake:sig"),
			200, false, map[string]string{"Access-Control-Allow-Origin": "https://app.example"}, ""},
		{"actual request: headers set before next, errors carry them", bucket.Middleware{}, "GET", "/configured/missing", hdr("Origin", "https://app.example"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "https://app.example", "Vary": vary}, ""},
		{"actual request refused: no CORS headers, no Vary", bucket.Middleware{}, "GET", "/configured/k", hdr("Origin", "https://evil.example"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": ""}, ""},
		// CORS never refuses an actual request: a PUT no rule allows is
		// answered as without Origin (spec §4 [REC put-op]).
		{"actual PUT no rule allows still reaches next", bucket.Middleware{}, "PUT", "/configured/k", hdr("Origin", "https://app.example"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": ""}, "<Code>NoSuchKey</Code>"},
		// Spec §4: a missing bucket or one without a configuration
		// answers with no CORS headers.
		{"actual request to a missing bucket", bucket.Middleware{}, "GET", "/missing/k", hdr("Origin", "https://app.example"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": ""}, ""},
		{"actual request to a bucket without configuration", bucket.Middleware{}, "GET", "/plain/k", hdr("Origin", "https://app.example"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": ""}, ""},
		// MaxHeaderValueLen is the longest Origin evaluated.
		{"actual request with an Origin of MaxHeaderValueLen bytes", bucket.Middleware{Fallback: fallback}, "GET", "/plain/k",
			hdr("Origin", strings.Repeat("o", bucket.MaxHeaderValueLen)),
			404, true, map[string]string{"Access-Control-Allow-Origin": "*", "Vary": vary}, ""},
		{"service endpoint is never CORS", bucket.Middleware{}, "OPTIONS", "/", hdr("Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
			404, true, map[string]string{"Access-Control-Allow-Origin": ""}, ""},
		{"bucket without configuration", bucket.Middleware{}, "OPTIONS", "/plain", hdr("Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
			403, false, nil, "CORS is not enabled for this bucket."},
		{"fallback for a bucket without configuration", bucket.Middleware{Fallback: fallback}, "OPTIONS", "/plain", hdr("Origin", "https://x.example", "Access-Control-Request-Method", "PUT"),
			200, false, map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, PUT"}, ""},
		{"fallback never applies to a missing bucket", bucket.Middleware{Fallback: fallback}, "OPTIONS", "/missing", hdr("Origin", "https://x.example", "Access-Control-Request-Method", "PUT"),
			403, false, nil, "CORSResponse: Bucket not found"},
		{"fallback does not override a bucket's own configuration", bucket.Middleware{Fallback: fallback}, "OPTIONS", "/configured", hdr("Origin", "https://x.example", "Access-Control-Request-Method", "GET"),
			403, false, nil, "This CORS request is not allowed"},
		{"VaryOrigin on a request without Origin", bucket.Middleware{VaryOrigin: true}, "GET", "/configured/k", hdr(),
			404, true, map[string]string{"Vary": "Origin"}, ""},
		{"VaryOrigin on a refused actual request", bucket.Middleware{VaryOrigin: true}, "GET", "/configured/k", hdr("Origin", "https://evil.example"),
			404, true, map[string]string{"Vary": "Origin"}, ""},
		// S3 judges an actual request that carries Access-Control-Request-Method
		// or -Headers by them (spec §4): its answer varies with them too, and
		// a cache keyed on Origin alone would serve this refusal to a page of
		// the same origin whose plain GET the rule allows.
		{"VaryOrigin on an actual request refused for its Access-Control-Request-Method", bucket.Middleware{VaryOrigin: true}, "GET", "/configured/k",
			hdr("Origin", "https://app.example", "Access-Control-Request-Method", "DELETE"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": vary}, ""},
		{"VaryOrigin on an actual request refused for its Access-Control-Request-Headers", bucket.Middleware{VaryOrigin: true}, "GET", "/configured/k",
			hdr("Origin", "https://app.example", "Access-Control-Request-Headers", "x-a"),
			404, true, map[string]string{"Access-Control-Allow-Origin": "", "Vary": vary}, ""},
		{"VaryOrigin on a refused preflight", bucket.Middleware{VaryOrigin: true}, "OPTIONS", "/configured", hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "GET"),
			403, false, map[string]string{"Vary": "Origin"}, ""},
		{"VaryOrigin leaves S3's Vary alone when a rule matched", bucket.Middleware{VaryOrigin: true}, "GET", "/configured/k", hdr("Origin", "https://app.example"),
			404, true, map[string]string{"Vary": vary}, ""},
		{"VaryOrigin not for a missing bucket", bucket.Middleware{VaryOrigin: true}, "GET", "/missing/k", hdr(),
			404, true, map[string]string{"Vary": ""}, ""},
		{"without VaryOrigin, S3 sends no Vary on a request without Origin", bucket.Middleware{}, "GET", "/configured/k", hdr(),
			404, true, map[string]string{"Vary": ""}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reached := false
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached = true
				(&s3err.Error{StatusCode: 404, Code: "NoSuchKey", Message: "The specified key does not exist."}).WriteResponse(w)
			})
			tc.mw.Resolve = resolve
			h := tc.mw.Wrap(next)
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header = tc.h
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status || reached != tc.reachNext {
				t.Errorf("status %d, next reached %v; want %d, %v; body %s", rec.Code, reached, tc.status, tc.reachNext, rec.Body)
			}
			got := map[string]string{}
			for k := range tc.wantHeader {
				got[k] = strings.Join(rec.Header()[k], ", ")
			}
			if diff := cmp.Diff(tc.wantHeader, got, cmpEmptyMap); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			if !strings.Contains(rec.Body.String(), tc.bodyHas) {
				t.Errorf("body %s does not hold %q", rec.Body, tc.bodyHas)
			}
		})
	}
}

var cmpEmptyMap = cmp.FilterValues(func(a, b map[string]string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// TestMiddlewareRequiresResolve checks that Wrap refuses at once, with a
// message of its own, what could only fail on a later request: a nil
// Middleware or Resolve, a nil next handler.
func TestMiddlewareRequiresResolve(t *testing.T) {
	t.Parallel()
	resolve := func(*http.Request) (bucket.Target, bool) { return bucket.Target{}, true }
	tests := []struct {
		name string
		m    *bucket.Middleware
		next http.Handler
	}{
		{"no Resolve", &bucket.Middleware{}, http.NotFoundHandler()},
		{"nil Middleware", nil, http.NotFoundHandler()},
		{"nil next", &bucket.Middleware{Resolve: resolve}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				v := recover()
				if msg, ok := v.(string); !ok || !strings.HasPrefix(msg, "bucket: ") {
					t.Errorf("Wrap panicked with %v, want a message starting with %q", v, "bucket: ")
				}
			}()
			tc.m.Wrap(tc.next)
		})
	}
}

// TestMiddlewareOverHTTP checks what net/http puts on the wire for an
// allowed preflight: 200, Content-Length 0, no body and no Content-Type.
func TestMiddlewareOverHTTP(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(ruleExample)
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg}, true }}
	srv := httptest.NewServer(mw.Wrap(http.NotFoundHandler()))
	defer srv.Close()
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/b/k", nil)
	req.Header = hdr("Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(body) != 0 || resp.ContentLength != 0 || resp.Header.Get("Content-Type") != "" {
		t.Errorf("got %d, %d bytes, Content-Length %d, Content-Type %q", resp.StatusCode, len(body), resp.ContentLength, resp.Header.Get("Content-Type"))
	}
	if got := resp.Header.Get("Access-Control-Allow-Headers"); got != "content-type, x-amz-date" {
		t.Errorf("Access-Control-Allow-Headers = %q", got)
	}
}

// TestRefusedPreflightOverHTTP checks the wire form of a refused preflight:
// S3 sends its XML error chunked, without a Content-Length.
func TestRefusedPreflightOverHTTP(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(ruleExample)
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg, Object: true}, true }}
	srv := httptest.NewServer(mw.Wrap(http.NotFoundHandler()))
	defer srv.Close()
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/b/k", nil)
	req.Header = hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("got %d, Content-Length %d, Transfer-Encoding %q", resp.StatusCode, resp.ContentLength, resp.TransferEncoding)
	}
	if !strings.Contains(string(body), "<Code>AccessForbidden</Code>") || resp.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("body %s, Content-Type %q", body, resp.Header.Get("Content-Type"))
	}
}

// TestMiddlewareKeepsOuterVary wraps the middleware in a handler that sets
// Vary first, as a compression handler does (Vary: Accept-Encoding): an
// answer a rule allows keeps that value beside S3's, a preflight as an
// actual request, and the shared value S3's Vary is written from is left
// as it was for the answers after.
func TestMiddlewareKeepsOuterVary(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg}, true }}
	inner := mw.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		inner.ServeHTTP(w, r)
	})
	for _, c := range []struct {
		name    string
		h       http.Handler
		method  string
		headers http.Header
		want    []string
	}{
		{"actual request", outer, "GET", hdr("Origin", "https://app.example"), []string{"Accept-Encoding", vary}},
		{"preflight", outer, "OPTIONS", hdr("Origin", "https://app.example", "Access-Control-Request-Method", "GET"), []string{"Accept-Encoding", vary}},
		{"after, without the outer handler", inner, "GET", hdr("Origin", "https://app.example"), []string{vary}},
	} {
		req := httptest.NewRequest(c.method, "/b/k", nil)
		req.Header = c.headers
		rec := httptest.NewRecorder()
		c.h.ServeHTTP(rec, req)
		if got := rec.Header()["Vary"]; !slices.Equal(got, c.want) {
			t.Errorf("%s: Vary %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMiddlewareVaryOriginShared checks that the Vary: Origin VaryOrigin
// writes into a response without Vary, a value shared by every response,
// is not written through when the next handler adds a Vary line of its
// own: each response keeps the lines it was given.
func TestMiddlewareVaryOriginShared(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{VaryOrigin: true, Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg}, true }}
	h := mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.URL.Query().Get("vary"); v != "" {
			w.Header().Add("Vary", v)
		}
	}))
	var recs []*httptest.ResponseRecorder
	for _, v := range []string{"Accept-Encoding", "Cookie", ""} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/b/k?vary="+v, nil))
		recs = append(recs, rec)
	}
	for i, want := range [][]string{{"Origin", "Accept-Encoding"}, {"Origin", "Cookie"}, {"Origin"}} {
		if got := recs[i].Header()["Vary"]; !slices.Equal(got, want) {
			t.Errorf("response %d: Vary %q, want %q", i+1, got, want)
		}
	}
}

// TestMiddlewareVaryOriginCopies checks that VaryOrigin adds its Vary line
// to a copy of the values already there: an outer handler may set Vary to
// a slice it shares with other responses, with room past its end, where
// an append in place would write into every one of them.
func TestMiddlewareVaryOriginCopies(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{VaryOrigin: true, Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg}, true }}
	shared := make([]string, 1, 4)
	shared[0] = "Accept-Encoding"
	h := mw.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, c := range []struct {
		name    string
		method  string
		headers http.Header
	}{
		{"actual request without Origin", "GET", nil},
		{"actual request refused", "GET", hdr("Origin", "https://evil.example")},
		{"preflight refused", "OPTIONS", hdr("Origin", "https://evil.example", "Access-Control-Request-Method", "GET")},
	} {
		req := httptest.NewRequest(c.method, "/b/k", nil)
		req.Header = c.headers
		if req.Header == nil {
			req.Header = http.Header{}
		}
		rec := httptest.NewRecorder()
		rec.Header()["Vary"] = shared
		h.ServeHTTP(rec, req)
		if got, want := rec.Header()["Vary"], []string{"Accept-Encoding", "Origin"}; !slices.Equal(got, want) {
			t.Errorf("%s: Vary %q, want %q", c.name, got, want)
		}
		if spare := shared[:2][1]; spare != "" {
			t.Errorf("%s: the outer handler's shared Vary slice was written past its end: %q", c.name, spare)
		}
	}
}

// TestMiddlewareResolveCalls holds the Middleware to what Resolve's doc
// promises: at most one call a request, and none for an actual request
// without Origin unless VaryOrigin asks, so that a server's lookup costs
// nothing on plain requests.
func TestMiddlewareResolveCalls(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}})
	tests := []struct {
		name       string
		varyOrigin bool
		method     string
		header     http.Header
		want       int
	}{
		{"plain GET", false, http.MethodGet, http.Header{}, 0},
		{"plain GET, VaryOrigin", true, http.MethodGet, http.Header{}, 1},
		{"CORS GET", false, http.MethodGet, http.Header{"Origin": {"https://a.example"}}, 1},
		{"CORS GET no rule admits", false, http.MethodGet, http.Header{"Origin": {"https://b.example"}}, 1},
		{"preflight", false, http.MethodOptions, http.Header{"Origin": {"https://a.example"}, "Access-Control-Request-Method": {"GET"}}, 1},
		{"preflight without Origin", false, http.MethodOptions, http.Header{}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			mw := &bucket.Middleware{VaryOrigin: tc.varyOrigin, Resolve: func(*http.Request) (bucket.Target, bool) {
				calls++
				return bucket.Target{Config: cfg}, true
			}}
			r := httptest.NewRequest(tc.method, "/b/k", nil)
			r.Header = tc.header
			mw.Wrap(http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(), r)
			if calls != tc.want {
				t.Errorf("Resolve called %d times, want %d", calls, tc.want)
			}
		})
	}
}

// TestMiddlewarePassesTheWriter holds the Middleware to handing the next
// handler the server's own ResponseWriter, so that what a handler asks
// of it works behind the Middleware as without: http.ResponseController's
// Flush, SetWriteDeadline, EnableFullDuplex and (over HTTP/1.1) Hijack,
// io.Copy through io.ReaderFrom, and a 1xx before the answer. Each is
// asked for on an actual request a rule admits, over HTTP/1.1 and HTTP/2,
// and the answer must carry the CORS headers and the whole body.
func TestMiddlewarePassesTheWriter(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}})
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg, Object: true}, true }}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		var failed []string
		check := func(what string, err error) {
			if err != nil {
				failed = append(failed, what+": "+err.Error())
			}
		}
		check("SetWriteDeadline", rc.SetWriteDeadline(time.Now().Add(30*time.Second)))
		check("SetReadDeadline", rc.SetReadDeadline(time.Now().Add(30*time.Second)))
		check("EnableFullDuplex", rc.EnableFullDuplex())
		if r.ProtoMajor == 1 {
			if _, ok := w.(io.ReaderFrom); !ok {
				failed = append(failed, "io.ReaderFrom: not implemented")
			}
		}
		if len(failed) > 0 {
			http.Error(w, strings.Join(failed, "; "), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Link", "</a.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		io.WriteString(w, "part 1, ")
		check("Flush", rc.Flush())
		io.Copy(w, strings.NewReader("part 2"))
	})
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewUnstartedServer(mw.Wrap(next))
			srv.EnableHTTP2 = proto == "HTTP/2.0"
			srv.StartTLS()
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/b/k", nil)
			req.Header.Set("Origin", "https://app.example")
			var early []string
			req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
				Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
					early = append(early, strconv.Itoa(code)+" "+h.Get("Link"))
					return nil
				}}))
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Proto != proto || resp.StatusCode != http.StatusOK || string(body) != "part 1, part 2" {
				t.Fatalf("%s %d %q, want %s 200 %q", resp.Proto, resp.StatusCode, body, proto, "part 1, part 2")
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example" {
				t.Errorf("Access-Control-Allow-Origin %q", got)
			}
			if want := []string{"103 </a.css>; rel=preload"}; !slices.Equal(early, want) {
				t.Errorf("1xx answers %q, want %q", early, want)
			}
		})
	}
	t.Run("Hijack over HTTP/1.1", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				http.Error(w, "Hijack: "+err.Error(), http.StatusInternalServerError)
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
			buf.Flush()
		})))
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL+"/b/k", nil)
		req.Header.Set("Origin", "https://app.example")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "hijacked" {
			t.Errorf("%d %q, want 200 %q", resp.StatusCode, body, "hijacked")
		}
	})
}

// TestMiddlewareServeContent puts the Middleware in front of a handler
// that serves an object with http.ServeContent, and errors with
// http.Error and s3err, and compares each answer with the handler's own:
// with an Origin a rule admits, the answer is the handler's, every header
// of it once and unchanged, plus S3's CORS headers and S3's Vary before
// the handler's (spec §4: errors carry them too); without Origin it is
// the handler's alone, without Vary of S3's (spec §4, "get-no-origin").
func TestMiddlewareServeContent(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "HEAD"},
		ExposeHeaders: []string{"ETag", "Content-Range"}, MaxAgeSeconds: maxAge(60)})
	content := strings.Repeat("0123456789", 100)
	modified := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	object := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()[s3err.RequestIDHeader], w.Header()[s3err.HostIDHeader] = requestID, hostID
		switch r.URL.Path {
		case "/b/object":
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Add("Vary", "Accept-Encoding")
			http.ServeContent(w, r, "object", modified, strings.NewReader(content))
		case "/b/http-error":
			http.Error(w, "no such key", http.StatusNotFound)
		default:
			s3err.New(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", "Key", "missing").WriteResponse(w)
		}
	})
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg, Object: true}, true }}
	bare, wrapped := httptest.NewServer(object), httptest.NewServer(mw.Wrap(object))
	t.Cleanup(bare.Close) // after the parallel subtests
	t.Cleanup(wrapped.Close)
	cors := map[string]string{"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods": "GET, HEAD", "Access-Control-Expose-Headers": "ETag, Content-Range", "Access-Control-Max-Age": "60"}
	tests := []struct {
		name, method, path string
		h                  []string
		status             int
	}{
		{"200", "GET", "/b/object", nil, http.StatusOK},
		{"206 Range", "GET", "/b/object", []string{"Range", "bytes=10-19"}, http.StatusPartialContent},
		{"206 two ranges", "GET", "/b/object", []string{"Range", "bytes=0-9,20-29"}, http.StatusPartialContent},
		{"304 If-None-Match", "GET", "/b/object", []string{"If-None-Match", `"v1"`}, http.StatusNotModified},
		{"412 If-Match", "GET", "/b/object", []string{"If-Match", `"v0"`}, http.StatusPreconditionFailed},
		{"416", "GET", "/b/object", []string{"Range", "bytes=5000-6000"}, http.StatusRequestedRangeNotSatisfiable},
		{"HEAD", "HEAD", "/b/object", nil, http.StatusOK},
		{"http.Error", "GET", "/b/http-error", nil, http.StatusNotFound},
		{"s3err", "GET", "/b/missing", nil, http.StatusNotFound},
		{"s3err to HEAD", "HEAD", "/b/missing", nil, http.StatusNotFound},
	}
	get := func(t *testing.T, srv *httptest.Server, path, method string, h []string) (*http.Response, string) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(h); i += 2 {
			req.Header.Set(h[i], h[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Header.Del("Date") // differs between any two answers
		return resp, string(body)
	}
	// multipart boundaries are random: compare the answer's shape instead.
	boundary := regexp.MustCompile(`boundary=[0-9a-f]+|--[0-9a-f]{20,}`)
	for _, tc := range tests {
		for _, origin := range []string{"https://app.example", ""} {
			t.Run(tc.name+" origin="+origin, func(t *testing.T) {
				t.Parallel()
				h := tc.h
				if origin != "" {
					h = append([]string{"Origin", origin}, h...)
				}
				want, wantBody := get(t, bare, tc.path, tc.method, h)
				got, gotBody := get(t, wrapped, tc.path, tc.method, h)
				if got.StatusCode != tc.status || want.StatusCode != tc.status {
					t.Fatalf("status %d behind the Middleware, %d without; want %d", got.StatusCode, want.StatusCode, tc.status)
				}
				if boundary.ReplaceAllString(gotBody, "B") != boundary.ReplaceAllString(wantBody, "B") {
					t.Errorf("body %q, without the Middleware %q", gotBody, wantBody)
				}
				if origin != "" {
					for k, v := range cors {
						if got := got.Header[k]; len(got) != 1 || got[0] != v {
							t.Errorf("%s = %q, want %q once", k, got, v)
						}
						delete(got.Header, k)
					}
					if wantVary := append([]string{vary}, want.Header["Vary"]...); !slices.Equal(got.Header["Vary"], wantVary) {
						t.Errorf("Vary %q, want %q", got.Header["Vary"], wantVary)
					}
					got.Header["Vary"] = want.Header["Vary"]
				}
				for k := range got.Header {
					if k == "Content-Type" && strings.HasPrefix(got.Header.Get(k), "multipart/") {
						continue
					}
					if !slices.Equal(got.Header[k], want.Header[k]) {
						t.Errorf("%s = %q behind the Middleware, %q without", k, got.Header[k], want.Header[k])
					}
				}
				for k := range want.Header {
					if _, ok := got.Header[k]; !ok {
						t.Errorf("%s = %q dropped behind the Middleware", k, want.Header[k])
					}
				}
			})
		}
	}
}
