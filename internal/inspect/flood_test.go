package inspect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/s3server"
)

// hostileOrigin is the longest Origin the evaluator reads, every byte
// 0x80: it is not UTF-8, so explain quotes it in four times as many bytes
// (\x80) in each rule's reason, and JSON writes each byte as \ufffd.
var hostileOrigin = strings.Repeat("\x80", bucket.MaxHeaderValueLen)

// floodedInspector returns an inspector whose ring is full of preflights
// with hostileOrigin, refused by each of photosRules, the bucket's
// configuration.
func floodedInspector(t *testing.T) *inspect.Inspector {
	t.Helper()
	cfg, err := bucket.New(photosRules)
	if err != nil {
		t.Fatal(err)
	}
	in, err := inspect.New(inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range inspect.DefaultCapacity {
		r := httptest.NewRequest("OPTIONS", "/photos/k", nil)
		r.Header.Set("Origin", hostileOrigin)
		r.Header.Set("Access-Control-Request-Method", "PUT")
		in.Observe(r, inspect.Exchange{Bucket: "photos", Target: bucket.Target{Config: cfg, Object: true}, Status: 403})
	}
	return in
}

// TestFloodReasonsCut: the reasons of an event with a long hostile
// Origin show only its start, in the API and on the request's page; the
// event itself holds it whole.
func TestFloodReasonsCut(t *testing.T) {
	t.Parallel()
	in := floodedInspector(t)
	rec := do(in, "GET", "/_s3cors/api/requests/1")
	var e inspect.DetailJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if len(e.Trace) != len(photosRules) || e.Origin != strings.Repeat("\uFFFD", len(hostileOrigin)) {
		t.Fatalf("event 1: %d rules traced, origin of %d bytes", len(e.Trace), len(e.Origin))
	}
	// 64 escapes \x80 fill the 256 bytes shown of a value. The Origin is
	// not UTF-8: each rule refuses it for that first.
	shown := `"` + strings.Repeat(`\x80`, 64) + `…"`
	want := "the Origin " + shown + " is not a serialized origin (printable ASCII without spaces): s3cors lets no rule admit it, lest an answer echo it (S3's answer to it is not recorded)"
	for i, rule := range e.Trace {
		if rule.Reason != want {
			t.Errorf("rule %d's reason (%d bytes):\n%.400s\nwant:\n%s", i+1, len(rule.Reason), rule.Reason, want)
		}
	}

	// The request's page shows the Origin whole twice (under the title
	// and with the request), quoted, and in the reasons only its start.
	page := do(in, "GET", "/_s3cors/requests/1").Body.String()
	whole := "&#34;" + strings.Repeat(`\x80`, len(hostileOrigin)) + "&#34;"
	t.Logf("the request's page is %d bytes", len(page))
	if n, most := strings.Count(page, whole), 2*len(whole)+16<<10; n != 2 || len(page) > most {
		t.Errorf("the request's page is %d bytes and shows the Origin whole %d times, want twice in under %d", len(page), n, most)
	}
	if !strings.Contains(page, "no AllowedOrigin admits &#34;"+strings.Repeat(`\x80`, 64)+"…&#34; (AllowedOrigins &#34;https://app.example&#34;)") {
		t.Error("the request's page does not show rule 1's origin check cut, with the rule's AllowedOrigins")
	}
}

// writeLog is a ResponseWriter that keeps the size of each write and
// what they hold, but not the bytes.
type writeLog struct {
	header http.Header
	mu     sync.Mutex
	// largest and total are the largest write and the sum of all, in
	// bytes; events counts the Server-Sent Events written.
	largest, total, events int
}

func (w *writeLog) Header() http.Header { return w.header }
func (w *writeLog) WriteHeader(int)     {}
func (w *writeLog) Flush()              {}

func (w *writeLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.largest, w.total = max(w.largest, len(p)), w.total+len(p)
	w.events += bytes.Count(p, []byte("\nid: "))
	if bytes.HasPrefix(p, []byte("id: ")) {
		w.events++
	}
	return len(p), nil
}

// floodBytes is less than what a full ring of floodedInspector's events
// comes to in JSON: each is about 50 KiB, nearly all its Origin (\ufffd
// for each byte). The API used to write them all at once, 132 MB with
// the reasons quoting the Origin whole.
const floodBytes = inspect.DefaultCapacity * 6 * bucket.MaxHeaderValueLen

// TestAPIFloodStreamed: after a flood of events with long hostile
// Origins, the API writes its answer one event at a time, never the
// whole of it.
func TestAPIFloodStreamed(t *testing.T) {
	t.Parallel()
	in := floodedInspector(t)
	w := &writeLog{header: http.Header{}}
	in.ServeHTTP(w, httptest.NewRequest("GET", "/_s3cors/api/requests", nil))
	t.Logf("the API wrote %d bytes, %d at most at once", w.total, w.largest)
	const most = 64 << 10 // an event
	if w.total < floodBytes || w.largest > most {
		t.Errorf("the API wrote %d bytes, %d at once; want over %d, at most %d at once", w.total, w.largest, floodBytes, most)
	}
}

// TestAPIFormat: the API's answer, written one event at a time, is the
// JSON object that encoding/json writes for it, indented the same way.
func TestAPIFormat(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	empty := do(srv, "GET", "/_s3cors/api/requests").Body.String()
	if want := "{\n  \"capacity\": 1000,\n  \"newest\": 0,\n  \"requests\": []\n}\n"; empty != want {
		t.Errorf("with no event the API answers\n%s\nwant\n%s", empty, want)
	}
	do(srv, "OPTIONS", "/photos/a", "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	do(srv, "GET", "/photos/b?x=<&y=>", "Origin", "https://evil.example")
	body := do(srv, "GET", "/_s3cors/api/requests").Body.Bytes()
	var v requests
	if err := json.Unmarshal(body, &v); err != nil || len(v.Requests) != 2 {
		t.Fatalf("%v, %d events:\n%s", err, len(v.Requests), body)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	if !bytes.Equal(body, want.Bytes()) {
		t.Errorf("the API answers\n%s\nwhich encoding/json writes\n%s", body, want.Bytes())
	}
}

// TestStreamFloodChunked: a new page after a flood of events with long
// hostile Origins gets the whole ring, in writes of about 64 KiB.
func TestStreamFloodChunked(t *testing.T) {
	t.Parallel()
	in := floodedInspector(t)
	w := &writeLog{header: http.Header{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.ServeHTTP(w, httptest.NewRequestWithContext(ctx, "GET", "/_s3cors/api/events", nil))
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		w.mu.Lock()
		n := w.events
		w.mu.Unlock()
		if n >= inspect.DefaultCapacity || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	t.Logf("the stream wrote %d events, %d bytes, %d at most at once", w.events, w.total, w.largest)
	const most = 128 << 10 // 64 KiB of events, and the event that passed them
	if w.events != inspect.DefaultCapacity || w.total < floodBytes || w.largest > most {
		t.Errorf("the stream wrote %d events, %d bytes, %d at once; want %d, over %d bytes, at most %d at once",
			w.events, w.total, w.largest, inspect.DefaultCapacity, floodBytes, most)
	}
}
