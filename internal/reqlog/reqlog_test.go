package reqlog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestErrorCode(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 65)
	for _, c := range []struct{ name, body, want string }{
		{"S3's", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`, "NoSuchKey"},
		{"spaced", "<?xml version=\"1.0\"?>\n<Error>\n  <Code>AccessDenied</Code>\n</Error>", "AccessDenied"},
		{"no declaration", `<Error><Code>SlowDown</Code></Error>`, "SlowDown"},
		{"empty code", `<Error><Code></Code></Error>`, ""},
		{"longest code", `<Error><Code>` + long[:64] + `</Code></Error>`, long[:64]},
		{"code too long", `<Error><Code>` + long + `</Code></Error>`, ""},
		{"not an error", `<ListBucketResult><Code>NoSuchKey</Code></ListBucketResult>`, ""},
		{"code past 256 bytes", `<Error>` + strings.Repeat(" ", 250) + `<Code>NoSuchKey</Code></Error>`, ""},
		{"unclosed", `<Error><Code>NoSuchKey`, ""},
		{"text", "Not Found", ""},
		{"empty", "", ""},
	} {
		if got := errorCode([]byte(c.body)); got != c.want {
			t.Errorf("%s: errorCode(%q) = %q, want %q", c.name, c.body, got, c.want)
		}
	}
}

func TestRecorder(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>`
	for _, c := range []struct {
		name        string
		answer      func(w http.ResponseWriter)
		status      int
		bytes       int64
		wroteHeader bool
		code        string
	}{
		{"nothing", func(w http.ResponseWriter) {}, 200, 0, false, ""},
		{"a body without a status", func(w http.ResponseWriter) { w.Write([]byte("hello")) }, 200, 5, true, ""},
		{"an error", func(w http.ResponseWriter) { w.WriteHeader(404); w.Write([]byte(doc)) }, 404, int64(len(doc)), true, "NoSuchKey"},
		{"an error in two writes", func(w http.ResponseWriter) {
			w.WriteHeader(404)
			w.Write([]byte(doc[:10]))
			w.Write([]byte(doc[10:]))
		}, 404, int64(len(doc)), true, ""},
		{"a document under 300", func(w http.ResponseWriter) { w.Write([]byte(doc)) }, 200, int64(len(doc)), true, ""},
		{"the code set", func(w http.ResponseWriter) {
			w.(*Recorder).ErrorCode = "AccessForbidden"
			w.WriteHeader(403)
			w.Write([]byte(doc))
		}, 403, int64(len(doc)), true, "AccessForbidden"},
		{"1xx, then the status", func(w http.ResponseWriter) { w.WriteHeader(100); w.WriteHeader(204) }, 204, 0, true, ""},
		{"a second status", func(w http.ResponseWriter) { w.WriteHeader(201); w.WriteHeader(500) }, 201, 0, true, ""},
		{"ReadFrom", func(w http.ResponseWriter) { w.(*Recorder).ReadFrom(strings.NewReader("0123456789")) }, 200, 10, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			under := httptest.NewRecorder()
			rec := NewRecorder(under)
			c.answer(&rec)
			if rec.Status != c.status || rec.Bytes != c.bytes || rec.WroteHeader != c.wroteHeader || rec.ErrorCode != c.code {
				t.Errorf("recorded status %d, %d bytes, wrote header %v, code %q; want %d, %d, %v, %q",
					rec.Status, rec.Bytes, rec.WroteHeader, rec.ErrorCode, c.status, c.bytes, c.wroteHeader, c.code)
			}
			if int64(under.Body.Len()) != c.bytes {
				t.Errorf("%d bytes passed on, want %d", under.Body.Len(), c.bytes)
			}
			if http.NewResponseController(&rec).Flush() != nil {
				t.Error("a ResponseController does not reach the writer underneath")
			}
		})
	}
}

// TestLog compares the line Log writes with the one slog.Logger.LogAttrs
// writes for the same attributes, and checks the level filter.
func TestLog(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 18, 59, 51, 476_000_000, time.UTC)
	end := start.Add(48332 * time.Nanosecond)
	for _, c := range []struct {
		name   string
		line   Line
		code   string
		extra  []slog.Attr
		level  slog.Level
		target string
		want   string
	}{
		{"plain", Line{Op: "Preflight", Start: start, End: end, RequestID: "4SSVS8TYTEXJ5CKG"}, "", nil, slog.LevelInfo, "/photos/cat.jpg",
			`time=2026-12-01T18:59:51.476Z level=INFO msg=request method=OPTIONS path=/photos/cat.jpg op=Preflight status=200 bytes=0 duration=48.332µs request_id=4SSVS8TYTEXJ5CKG`},
		{"all", Line{Op: "GetObject", Status: 499, Start: start, End: end, RequestID: "ID", Subresource: "tagging", Bucket: "photos"}, "NoSuchKey",
			[]slog.Attr{slog.Bool("config_stale", true), slog.Bool("aborted", true)}, slog.LevelWarn, "/a%20key",
			`time=2026-12-01T18:59:51.476Z level=WARN msg=request method=OPTIONS path=/a%20key bucket=photos op=GetObject status=499 bytes=0 duration=48.332µs request_id=ID subresource=tagging error=NoSuchKey config_stale=true aborted=true`},
		// A virtual-hosted request's path does not name its bucket.
		{"virtual-hosted", Line{Op: "PutBucketCors", Start: start, End: end, RequestID: "ID", Subresource: "cors", Bucket: "photos"}, "", nil, slog.LevelInfo, "/?cors",
			`time=2026-12-01T18:59:51.476Z level=INFO msg=request method=OPTIONS path=/ bucket=photos op=PutBucketCors status=200 bytes=0 duration=48.332µs request_id=ID subresource=cors`},
		{"below the level", Line{Op: "GetObject", Start: start, End: end}, "", nil, slog.LevelDebug, "/b/k", ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			text := slog.NewTextHandler(&out, nil)
			parts := &partsHandler{Handler: text}
			for _, h := range []slog.Handler{text, parts} {
				out.Reset()
				rec := NewRecorder(httptest.NewRecorder())
				rec.ErrorCode = c.code
				rec.Log(context.Background(), h, c.level, httptest.NewRequest("OPTIONS", c.target, nil), c.line, c.extra...)
				if got := strings.TrimSuffix(out.String(), "\n"); got != c.want {
					t.Errorf("logged through %T\n%s\nwant\n%s", h, got, c.want)
				}
			}
			if want := c.want != ""; parts.called != want {
				t.Errorf("HandleAttrs called: %v, want %v", parts.called, want)
			}
		})
	}
}

// TestLogNow: without an end time, the line carries the time it was
// logged, and the duration since the start.
func TestLogNow(t *testing.T) {
	t.Parallel()
	var got slog.Record
	h := recordHandler{&got}
	rec := NewRecorder(httptest.NewRecorder())
	before := time.Now()
	rec.Log(context.Background(), h, slog.LevelInfo, httptest.NewRequest("GET", "/", nil), Line{Start: before.Add(-time.Second)})
	if got.Time.Before(before) || time.Since(got.Time) > time.Minute || got.PC != 0 {
		t.Errorf("record time %v (logged after %v), pc %d", got.Time, before, got.PC)
	}
	got.Attrs(func(a slog.Attr) bool {
		if a.Key == "duration" && (a.Value.Duration() < time.Second || a.Value.Duration() > time.Minute) {
			t.Errorf("duration %v, want a second and a little", a.Value.Duration())
		}
		return true
	})
}

type recordHandler struct{ r *slog.Record }

func (h recordHandler) Enabled(context.Context, slog.Level) bool      { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error { *h.r = r.Clone(); return nil }
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler            { return h }
func (h recordHandler) WithGroup(string) slog.Handler                 { return h }

// partsHandler is a reqlog.AttrsHandler that makes the record of the
// parts it is handed, and handles it as the handler it wraps.
type partsHandler struct {
	slog.Handler
	called bool
}

func (h *partsHandler) HandleAttrs(ctx context.Context, t time.Time, level slog.Level, msg string, attrs []slog.Attr) error {
	h.called = true
	r := slog.NewRecord(t, level, msg, 0)
	r.AddAttrs(attrs...)
	return h.Handle(ctx, r)
}

// discardRecords takes every record, and keeps none.
type discardRecords struct{}

func (discardRecords) Enabled(context.Context, slog.Level) bool  { return true }
func (discardRecords) Handle(context.Context, slog.Record) error { return nil }
func (h discardRecords) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h discardRecords) WithGroup(string) slog.Handler           { return h }

// discardParts is discardRecords taking lines in parts too.
type discardParts struct{ discardRecords }

func (discardParts) HandleAttrs(context.Context, time.Time, slog.Level, string, []slog.Attr) error {
	return nil
}

// TestLogAllocs: handed to an AttrsHandler, a line with every attribute
// costs no allocation; made into a slog.Record, the one for the
// attributes past its fifth.
func TestLogAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	r := httptest.NewRequest("GET", "/b/k?tagging", nil)
	rec := NewRecorder(httptest.NewRecorder())
	rec.ErrorCode = "NoSuchKey"
	line := Line{Op: "GetObjectTagging", Start: time.Now(), End: time.Now(), RequestID: "ID", Subresource: "tagging"}
	stale := slog.Bool("config_stale", true)
	ctx := context.Background()
	for _, c := range []struct {
		h    slog.Handler
		want float64
	}{{discardParts{}, 0}, {discardRecords{}, 1}} {
		if n := testing.AllocsPerRun(1000, func() { rec.Log(ctx, c.h, slog.LevelWarn, r, line, stale) }); n != c.want {
			t.Errorf("a line through %T costs %v allocations, want %v", c.h, n, c.want)
		}
	}
}

// TestLogHead: the error a HEAD is answered with is sent without its
// document, which net/http drops (RFC 9110 §9.3.2: a HEAD's answer has
// no content), so its line counts no bytes, but keeps the error's code.
func TestLogHead(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`
	logged := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var out bytes.Buffer
		defer func() { logged <- strings.TrimSuffix(out.String(), "\n") }()
		rec := NewRecorder(w)
		rec.WriteHeader(http.StatusNotFound)
		rec.Write([]byte(doc))
		rec.Log(r.Context(), slog.NewTextHandler(&out, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		}}), slog.LevelWarn, r, Line{Op: "HeadObject", RequestID: "ID"})
	}))
	defer srv.Close()
	resp, err := srv.Client().Head(srv.URL + "/b/k")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	const want = `level=WARN msg=request method=HEAD path=/b/k op=HeadObject status=404 bytes=0 request_id=ID error=NoSuchKey`
	if got := <-logged; len(body) != 0 || got != want {
		t.Errorf("%d bytes sent, logged\n%s\nwant\n%s", len(body), got, want)
	}
}
