package inspect

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Timing of the live streams.
const (
	// streamInterval is the least time between two writes of a stream:
	// events that come faster go out together, ten writes a second at
	// most.
	streamInterval = 100 * time.Millisecond
	// streamMost is the most events one round of writes carries, the
	// newest, after the first round, which gives a new page the whole
	// ring. With streamInterval it bounds what a stream costs the server
	// and the page under a flood: 2,500 events a second, more than anyone
	// reads; the others are counted as skipped.
	streamMost = 250
	// streamChunk is about the most bytes one write carries: a round's
	// events are written whenever that many have gathered, so that a
	// stream holds no more than that and one event (a full ring of events
	// with long values is tens of megabytes).
	streamChunk = 64 << 10
	// streamHeartbeat is how often an idle stream writes a comment, so
	// that a closed page is noticed.
	streamHeartbeat = 15 * time.Second
	// streamWriteTimeout is how long one write may take before the page
	// is taken for gone and the stream ends.
	streamWriteTimeout = 10 * time.Second
	// streamRetry is how long a page waits before it reconnects, in
	// milliseconds.
	streamRetry = 1000
)

// stream is one open live stream. The inspector wakes it when events are
// added; it then reads them from the ring, so it holds none of its own.
type stream struct {
	wake chan struct{} // capacity 1: wakes coalesce
}

// subscribe adds a stream, or returns nil when MaxStreams are open or the
// inspector is closed.
func (in *Inspector) subscribe() *stream {
	in.streamsMu.Lock()
	defer in.streamsMu.Unlock()
	select {
	case <-in.closed:
		return nil
	default:
	}
	old := in.streamList()
	if len(old) >= MaxStreams {
		return nil
	}
	s := &stream{wake: make(chan struct{}, 1)}
	list := append(append(make([]*stream, 0, len(old)+1), old...), s)
	in.streams.Store(&list)
	in.watchers.Add(1)
	return s
}

// unsubscribe removes s by storing a new list, since live streams read
// the list without the lock, and keeps the inspector recording a while
// in case the page reconnects.
func (in *Inspector) unsubscribe(s *stream) {
	in.streamsMu.Lock()
	old := in.streamList()
	list := make([]*stream, 0, len(old))
	for _, o := range old {
		if o != s {
			list = append(list, o)
		}
	}
	in.streams.Store(&list)
	in.streamsMu.Unlock()
	in.touch() // keep recording a while, for a page that reconnects
	in.watchers.Add(-1)
}

// streamList returns the live streams without taking the lock: the
// list is replaced whole, never changed in place.
func (in *Inspector) streamList() []*stream {
	if p := in.streams.Load(); p != nil {
		return *p
	}
	return nil
}

// wake tells every stream that events were added, without waiting for
// any.
func (in *Inspector) wake() {
	for _, s := range in.streamList() {
		select {
		case s.wake <- struct{}{}:
		default: // already told
		}
	}
}

// serveEvents serves the live stream: Server-Sent Events, one per
// request, each with its id ("RUN-N": the inspector's run, then the
// EventJSON's id), the data an EventJSON; an event "skipped" tells how
// many requests went by that the page did not get, because they came
// faster than the stream sends or left the ring first. A page that
// reconnects sends the last id it got (Last-Event-ID) and gets what it
// missed, as far as the ring still holds it; a new page, and one whose
// last id is of another run (the server restarted under it, and its ids
// began again), gets the whole ring first. A HEAD gets the headers
// alone.
func (in *Inspector) serveEvents(w http.ResponseWriter, r *http.Request) {
	last, err := in.lastEventID(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	if r.Method == http.MethodHead {
		// The stream's headers, and no stream: a HEAD has no body, and
		// one served the stream would never end, holding a stream and the
		// connection the client's next request waits on.
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return
	}
	s := in.subscribe()
	if s == nil {
		w.Header().Set("Retry-After", "5")
		writeJSONError(w, http.StatusServiceUnavailable, "too many live streams are open: at most "+strconv.Itoa(MaxStreams)+"; try again later")
		return
	}
	defer in.unsubscribe(s)
	rc := http.NewResponseController(w)
	// A stream lasts as long as the page is open: no read deadline; each
	// write gets its own.
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)

	out := &sseWriter{w: w, rc: rc, buf: []byte("retry: " + strconv.Itoa(streamRetry) + "\n\n")}
	in.streamEvents(out, s, r, last)
}

// streamEvents writes to out the events after the one whose id is last
// (0 for a new page), in rounds as s is woken, with a comment when the
// stream is idle, until r's client goes, a write fails or the inspector
// closes.
func (in *Inspector) streamEvents(out *sseWriter, s *stream, r *http.Request, last uint64) {
	heartbeat := time.NewTicker(streamHeartbeat)
	defer heartbeat.Stop()
	// A new page's first round gives it the ring, without telling it of
	// the events that left the ring before it opened; every later round
	// tells it what it passed over, events before its first one too.
	most, quiet := in.opts.Capacity, last == 0
	for {
		var err error
		if last, err = in.sendNews(out, last, most, quiet); err != nil {
			return
		}
		most, quiet = streamMost, false
		select {
		case <-s.wake:
		case <-heartbeat.C:
			out.buf = append(out.buf, ": still here\n\n"...)
			continue
		case <-r.Context().Done():
			return
		case <-in.closed:
			return
		}
		// Let events gather, so that a burst goes out in one round.
		select {
		case <-time.After(streamInterval):
		case <-r.Context().Done():
			return
		case <-in.closed:
			return
		}
	}
}

// sseWriter writes a live stream: what is appended to buf goes out with
// the next flush.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	buf []byte
}

// flush writes buf and empties it. A page that takes longer than
// streamWriteTimeout to take a write is taken for gone.
func (s *sseWriter) flush() error {
	s.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	if _, err := s.w.Write(s.buf); err != nil {
		return err
	}
	s.buf = s.buf[:0]
	return s.rc.Flush()
}

// sendNews sends, after what out holds, the newest events after id last,
// at most most, as Server-Sent Events, after an event "skipped" when
// others went by since last (unless quiet, for a new page's first); it
// returns the id of the last event sent. It flushes out whenever it holds
// streamChunk bytes, and at the end. It reads the events from the ring
// one at a time and holds none: one that leaves the ring meanwhile is
// counted as skipped.
func (in *Inspector) sendNews(out *sseWriter, last uint64, most int, quiet bool) (uint64, error) {
	first, upto, skipped := in.ring.newer(last, most)
	if quiet {
		skipped = 0 // a new page missed nothing
	}
	for id := first; id <= upto; id++ {
		e := in.ring.get(id)
		if e == nil {
			skipped++
			continue
		}
		if skipped > 0 && !quiet {
			out.buf = append(out.buf, "event: skipped\ndata: "...)
			out.buf = strconv.AppendUint(out.buf, skipped, 10)
			out.buf = append(out.buf, "\n\n"...)
		}
		skipped = 0
		out.buf = appendEvent(out.buf, in.run, e)
		last = id
		if len(out.buf) >= streamChunk {
			if err := out.flush(); err != nil {
				return last, err
			}
		}
	}
	if len(out.buf) > 0 {
		return last, out.flush()
	}
	return last, nil
}

// appendEvent appends e as one Server-Sent Event, its id named in run.
// JSON holds no newline, so it fits on one data line.
func appendEvent(buf []byte, run string, e *event) []byte {
	buf = append(buf, "id: "...)
	buf = append(buf, run...)
	buf = append(buf, '-')
	buf = strconv.AppendUint(buf, e.id, 10)
	buf = append(buf, "\ndata: "...)
	data, _ := json.Marshal(e.json()) // cannot fail: strings and numbers
	buf = append(buf, data...)
	return append(buf, "\n\n"...)
}

// lastEventID returns the id, in this run, of the last event the page
// got: the Last-Event-ID a reconnecting EventSource sends, else the
// query's "after", else 0. Either is an id the stream sent ("RUN-N"),
// 0 when RUN is another run's, or a number, taken for an id of this run
// unless it is past the newest (a client that kept the number alone
// across a restart). An error names the one that is not an id; the
// query is held to what apiQuery takes, as the API's is.
func (in *Inspector) lastEventID(r *http.Request) (uint64, error) {
	q, err := apiQuery(r, "after")
	if err != nil {
		return 0, err
	}
	name, v := "Last-Event-ID", r.Header.Get("Last-Event-ID")
	if v == "" {
		name, v = "after", q.Get("after")
	}
	if v == "" {
		return 0, nil
	}
	run, n, inRun := strings.Cut(v, "-")
	if inRun = inRun && run != ""; !inRun {
		n = v // "-1" is no id: a run has a name
	}
	id, err := strconv.ParseUint(n, 10, 64)
	switch {
	case err != nil:
		return 0, errors.New(name + " must be an event id, not " + strconv.Quote(v))
	case inRun && run != in.run, !inRun && id > in.ring.newest():
		return 0, nil // the server restarted under the page: ids began again
	}
	return id, nil
}

// eventID reads v, the value of the header or parameter name, as an
// event's id.
func eventID(name, v string) (uint64, error) {
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, errors.New(name + " must be an event id, not " + strconv.Quote(v))
	}
	return id, nil
}
