package inspect_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/s3server"
)

// sse is one Server-Sent Event as read off the wire, its id ("RUN-N")
// taken apart: the run of the inspector that sent it, and the number.
type sse struct {
	run, id, event, data string
}

// sseReader reads a live stream.
type sseReader struct {
	t    testing.TB
	body io.ReadCloser
	sc   *bufio.Scanner
}

// openStream opens the live stream of the endpoint ts, with
// Last-Event-ID lastID when it is not "".
func openStream(t testing.TB, ts *httptest.Server, lastID string) (*sseReader, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/_s3cors/api/events", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &sseReader{t: t, body: resp.Body, sc: sc}, resp
}

// next returns the next event, skipping comments and the retry field.
func (s *sseReader) next() sse {
	s.t.Helper()
	var e sse
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "":
			if e != (sse{}) {
				return e
			}
		case strings.HasPrefix(line, "id: "):
			var ok bool
			if e.run, e.id, ok = strings.Cut(line[4:], "-"); !ok || e.run == "" {
				s.t.Fatalf("event id %q, want RUN-N", line[4:])
			}
		case strings.HasPrefix(line, "event: "):
			e.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = line[6:]
		}
	}
	s.t.Fatalf("the stream ended: %v", s.sc.Err())
	return e
}

// startServer serves srv on loopback, its inspector's streams ended
// before the listener is closed.
func startServer(t testing.TB, srv *s3server.Server) *httptest.Server {
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.CloseInspector) // runs first
	return ts
}

func preflight(t testing.TB, ts *httptest.Server, key, origin string) {
	t.Helper()
	req, _ := http.NewRequest("OPTIONS", ts.URL+"/photos/"+key, nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "PUT")
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestStream reads events live, then reconnects with Last-Event-ID and
// gets only what it missed.
func TestStream(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	ts := startServer(t, srv)
	stream, resp := openStream(t, ts, "")
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("stream: Content-Type %q, headers %v", ct, resp.Header)
	}
	preflight(t, ts, "a", "https://app.example")
	preflight(t, ts, "b", "https://evil.example")
	var run string
	for i, want := range []struct{ path, verdict string }{{"/photos/a", "allowed"}, {"/photos/b", "refused"}} {
		e := stream.next()
		run = e.run
		var ev inspect.EventJSON
		if err := json.Unmarshal([]byte(e.data), &ev); err != nil {
			t.Fatalf("event %q: %v", e.data, err)
		}
		if id := strconv.Itoa(i + 1); e.id != id || ev.ID != uint64(i+1) || e.event != "" || ev.Path != want.path || ev.Verdict != want.verdict {
			t.Errorf("event %d: id %q, event %q, %+v; want id %s, %s %s", i, e.id, e.event, ev, id, want.path, want.verdict)
		}
	}
	stream.body.Close()

	preflight(t, ts, "c", "https://app.example")
	again, _ := openStream(t, ts, run+"-2")
	if e := again.next(); e.id != "3" || e.run != run || !strings.Contains(e.data, `"path":"/photos/c"`) {
		t.Errorf("after reconnecting with Last-Event-ID %s-2: %+v, want event 3", run, e)
	}
	// A client that keeps the number alone gets what it missed too.
	if e := openStreamNext(t, ts, "2"); e.id != "3" {
		t.Errorf("after reconnecting with Last-Event-ID 2: %+v, want event 3", e)
	}
	// A new page gets the whole ring first, and so does a page that
	// comes back to a server that restarted under it.
	for _, lastID := range []string{"", "99"} {
		fresh, _ := openStream(t, ts, lastID)
		if e := fresh.next(); e.id != "1" {
			t.Errorf("a stream from Last-Event-ID %q starts with %+v, want event 1", lastID, e)
		}
	}
}

// openStreamNext opens the live stream with Last-Event-ID lastID and
// returns its first event.
func openStreamNext(t testing.TB, ts *httptest.Server, lastID string) sse {
	t.Helper()
	s, _ := openStream(t, ts, lastID)
	defer s.body.Close()
	return s.next()
}

// TestStreamAcrossRestart: a page that comes back to a server that
// restarted under it gets the new run's events from the first, though
// its last id's number is one the new run has sent too: its run tells
// them apart, and the page clears the old run's rows on it.
func TestStreamAcrossRestart(t *testing.T) {
	t.Parallel()
	srvBefore, srvAfter := newServer(t, s3server.Options{}), newServer(t, s3server.Options{})
	before, after := startServer(t, srvBefore), startServer(t, srvAfter)
	do(srvBefore, "GET", "/_s3cors/api/requests") // a look: they record
	do(srvAfter, "GET", "/_s3cors/api/requests")
	for i := range 5 {
		if i < 3 {
			preflight(t, before, "old"+strconv.Itoa(i), "https://app.example")
		}
		preflight(t, after, "new"+strconv.Itoa(i), "https://app.example")
	}
	old := openStreamNext(t, before, "2")
	if old.id != "3" {
		t.Fatalf("before the restart: %+v, want event 3", old)
	}
	fresh := openStreamNext(t, after, old.run+"-"+old.id)
	if fresh.id != "1" || fresh.run == old.run || !strings.Contains(fresh.data, `"path":"/photos/new0"`) {
		t.Errorf("after the restart, from Last-Event-ID %s-%s: %+v, want the new run's event 1", old.run, old.id, fresh)
	}
	if e := openStreamNext(t, after, fresh.run+"-3"); e.id != "4" || e.run != fresh.run {
		t.Errorf("from Last-Event-ID %s-3, the new run's own: %+v, want event 4", fresh.run, e)
	}
}

// TestStreamSkipped: a page that reconnects after the ring moved on is
// told how many requests it missed, then gets what the ring holds.
func TestStreamSkipped(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	ts := startServer(t, srv)
	do(srv, "GET", "/_s3cors/api/requests")
	for i := range inspect.DefaultCapacity + 10 {
		do(srv, "OPTIONS", fmt.Sprintf("/photos/k%d", i), "Origin", "https://app.example", "Access-Control-Request-Method", "PUT")
	}
	stream, _ := openStream(t, ts, "3")
	if e := stream.next(); e.event != "skipped" || e.data != "7" {
		t.Errorf("first event after reconnecting from id 3: %+v, want 7 skipped (4 to 10 left the ring)", e)
	}
	if e := stream.next(); e.id != "11" {
		t.Errorf("then %+v, want event 11, the oldest kept", e)
	}
}

// TestStreamSkippedBeforeFirstEvent: a page that opened the stream
// before any request came is told of every request of a burst it does
// not get. Only a page's first round leaves out what went by before it
// opened; a page that had got no event yet was never told of the
// events its later rounds passed over.
func TestStreamSkippedBeforeFirstEvent(t *testing.T) {
	t.Parallel()
	cfg, err := bucket.New(photosRules)
	if err != nil {
		t.Fatal(err)
	}
	in, err := inspect.New(inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(in)
	t.Cleanup(ts.Close)
	t.Cleanup(in.Close)                // runs first
	stream, _ := openStream(t, ts, "") // its first round, on the empty ring, is over
	const burst = inspect.DefaultCapacity
	for range burst {
		r := httptest.NewRequest("OPTIONS", "/photos/k", nil)
		r.Header.Set("Origin", "https://app.example")
		r.Header.Set("Access-Control-Request-Method", "PUT")
		in.Observe(r, inspect.Exchange{Bucket: "photos", Target: bucket.Target{Config: cfg, Object: true}, Status: 200})
	}
	got, skipped := 0, 0
	for {
		e := stream.next()
		if e.event == "skipped" {
			n, err := strconv.Atoi(e.data)
			if err != nil {
				t.Fatalf("skipped %q", e.data)
			}
			skipped += n
			continue
		}
		got++
		if e.id == strconv.Itoa(burst) {
			break
		}
	}
	if got+skipped != burst {
		t.Errorf("the page got %d events and was told %d were skipped, of %d requests", got, skipped, burst)
	}
}

// TestStreamHead: a HEAD of the live stream gets the stream's headers
// and ends, as a HEAD has no body. It used to be served the stream,
// its writes discarded: it never ended, so it held one of the
// MaxStreams and its connection, on which the client's next request
// was never answered.
func TestStreamHead(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	ts := startServer(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// One connection, which the GETs after the HEADs reuse.
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	for i := range inspect.MaxStreams + 1 {
		req, _ := http.NewRequestWithContext(ctx, "HEAD", ts.URL+"/_s3cors/api/events", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("HEAD %d: %v", i+1, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
			t.Errorf("HEAD %d: %d, Content-Type %q; want 200, text/event-stream", i+1, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/_s3cors/api/requests", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET after the HEADs, on their connection: %v", err)
	}
	resp.Body.Close()
	if _, resp := openStream(t, ts, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("a stream after %d HEADs: %d, want 200", inspect.MaxStreams+1, resp.StatusCode)
	}
}

// TestStreamLimits: at most MaxStreams streams at once; CloseInspector
// ends them, and refuses new ones.
func TestStreamLimits(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	ts := startServer(t, srv)
	var streams []*sseReader
	for range inspect.MaxStreams {
		s, resp := openStream(t, ts, "")
		if resp.StatusCode != 200 {
			t.Fatalf("stream refused: %d", resp.StatusCode)
		}
		streams = append(streams, s)
	}
	_, resp := openStream(t, ts, "")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("stream %d: %d, want 503 with Retry-After", inspect.MaxStreams+1, resp.StatusCode)
	}
	srv.CloseInspector()
	for _, s := range streams {
		if _, err := io.Copy(io.Discard, s.body); err != nil {
			t.Errorf("a stream did not end cleanly: %v", err)
		}
	}
	if _, resp := openStream(t, ts, ""); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a stream after CloseInspector: %d, want 503", resp.StatusCode)
	}
}

// TestSlowStreamNeverBlocks: a page that opens the stream and never
// reads it holds up no request: requests go on while the stream's writes
// are stuck, and the stream skips what it could not send.
func TestSlowStreamNeverBlocks(t *testing.T) {
	t.Parallel()
	srv := newServer(t, s3server.Options{})
	ts := startServer(t, srv)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A small receive buffer, never read: the server's writes fill it.
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	fmt.Fprintf(conn, "GET /_s3cors/api/events HTTP/1.1\r\nHost: %s\r\n\r\n", ts.Listener.Addr())
	// Read the status line, so that the stream is open, then nothing more.
	status, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 200") {
		t.Fatalf("stream: %q %v", status, err)
	}
	origin := "https://app.example/" + strings.Repeat("x", 1000) // big events fill the socket sooner
	for i := range 20000 {
		do(srv, "OPTIONS", fmt.Sprintf("/photos/k%d", i), "Origin", origin, "Access-Control-Request-Method", "PUT")
	}
	if got := getRequests(t, srv, "?limit=1"); got.Newest != 20000 || len(got.Requests) != 1 {
		t.Errorf("newest %d after 20000 requests, want 20000", got.Newest)
	}
}

// TestFloodMemory sends 100,000 requests while someone watches: the
// memory held afterwards is the ring's, not the flood's. Each event is
// a few hundred bytes here; the bound leaves room for the rest of the
// heap to move.
func TestFloodMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 requests")
	}
	srv := newServer(t, s3server.Options{})
	do(srv, "GET", "/_s3cors/api/requests")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	send := func(n int) {
		for i := range n {
			do(srv, "OPTIONS", "/photos/key-"+strconv.Itoa(i), "Origin", "https://app.example", "Access-Control-Request-Method", "PUT",
				"Access-Control-Request-Headers", "content-type")
		}
	}
	send(inspect.DefaultCapacity) // the ring full
	full := heap()
	const flood = 100_000
	send(flood)
	after := heap()
	growth := int64(after) - int64(full)
	t.Logf("heap with the ring full: %d KiB; after %d more requests: %d KiB (%+d KiB)", full>>10, flood, after>>10, growth>>10)
	if growth > 2<<20 {
		t.Errorf("the heap grew by %d KiB over a flood of %d requests, want under 2 MiB", growth>>10, flood)
	}
	if got := getRequests(t, srv, ""); len(got.Requests) != inspect.DefaultCapacity || got.Newest != flood+inspect.DefaultCapacity+0 {
		t.Errorf("%d events kept, newest %d", len(got.Requests), got.Newest)
	}
}

// TestStreamRefusedAsJSON: the stream's refusals are JSON with an error
// that names the fault, as every answer under the API's path is: a bad
// "after" or Last-Event-ID, which it names, and a stream past MaxStreams.
func TestStreamRefusedAsJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, query, lastEventID, err string
	}{
		{"after", "?after=x", "", `after must be an event id, not "x"`},
		{"after negative", "?after=-1", "", `after must be an event id, not "-1"`},
		{"Last-Event-ID", "", "1.5", `Last-Event-ID must be an event id, not "1.5"`},
		{"Last-Event-ID before after", "?after=3", "x", `Last-Event-ID must be an event id, not "x"`},
		{"Last-Event-ID of a run, no number", "", "0a1b-x", `Last-Event-ID must be an event id, not "0a1b-x"`},
		{"after of a run, no number", "?after=0a1b-", "", `after must be an event id, not "0a1b-"`},
		// The query is held to what the API's is: a parameter misspelt or
		// given twice is refused, not read as no "after" or the first.
		{"after misspelt", "?aftr=3", "", `the API takes no parameter "aftr": it takes after`},
		{"after twice", "?after=1&after=5", "", "after is given 2 times: give it once"},
		{"query unreadable", "?after=%zz", "", `the query cannot be read: invalid URL escape "%zz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, s3server.Options{})
			var kv []string
			if tc.lastEventID != "" {
				kv = []string{"Last-Event-ID", tc.lastEventID}
			}
			w := do(srv, "GET", "/_s3cors/api/events"+tc.query, kv...)
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 400 || body["error"] != tc.err ||
				w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("%d %s %s, want 400 JSON with the error %q", w.Code, w.Header().Get("Content-Type"), w.Body, tc.err)
			}
		})
	}
	t.Run("busy", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, s3server.Options{})
		ts := startServer(t, srv)
		for range inspect.MaxStreams {
			if _, resp := openStream(t, ts, ""); resp.StatusCode != 200 {
				t.Fatalf("stream refused: %d", resp.StatusCode)
			}
		}
		resp, err := ts.Client().Get(ts.URL + "/_s3cors/api/events")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 503 ||
			resp.Header.Get("Retry-After") != "5" || body["error"] != "too many live streams are open: at most 16; try again later" {
			t.Errorf("%d Retry-After %q %v, want 503 JSON", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	})
}
