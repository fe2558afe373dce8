package inspect

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Timing of the live streams.
const (
	// streamInterval is the least time between two writes of a stream:
	// events that come faster go out together, ten writes a second at
	// most.
	streamInterval = 100 * time.Millisecond
	// streamMost is the most events one write carries, the newest, after
	// the first write, which gives a new page the whole ring. With
	// streamInterval it bounds what a stream costs the server and the
	// page under a flood: 2,500 events a second, more than anyone reads;
	// the others are counted as skipped.
	streamMost = 250
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
// request, each with its id, the data an EventJSON; an event "skipped"
// tells how many requests went by that the page did not get, because
// they came faster than the stream sends or left the ring first. A page
// that reconnects sends the last id it got (Last-Event-ID) and gets what
// it missed, as far as the ring still holds it; a new page gets the
// whole ring first.
func (in *Inspector) serveEvents(w http.ResponseWriter, r *http.Request) {
	last, err := lastEventID(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if last > in.ring.newest() {
		last = 0 // the server restarted under the page: ids began again
	}
	s := in.subscribe()
	if s == nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "too many live streams are open", http.StatusServiceUnavailable)
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

	buf := []byte("retry: " + strconv.Itoa(streamRetry) + "\n\n")
	heartbeat := time.NewTicker(streamHeartbeat)
	defer heartbeat.Stop()
	most := in.opts.Capacity
	for {
		buf, last = in.appendNews(buf, last, most)
		most = streamMost
		if len(buf) > 0 {
			rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
			if _, err := w.Write(buf); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			buf = buf[:0]
		}
		select {
		case <-s.wake:
		case <-heartbeat.C:
			buf = append(buf, ": still here\n\n"...)
			continue
		case <-r.Context().Done():
			return
		case <-in.closed:
			return
		}
		// Let events gather, so that a burst goes out in one write.
		select {
		case <-time.After(streamInterval):
		case <-r.Context().Done():
			return
		case <-in.closed:
			return
		}
	}
}

// appendNews appends to buf the newest events after id last, at most
// most, as Server-Sent Events, after an event "skipped" when others went
// by since last (but for a new page, whose last is 0); it returns buf and
// the id of the last event appended.
func (in *Inspector) appendNews(buf []byte, last uint64, most int) ([]byte, uint64) {
	events, skipped := in.ring.after(last, most)
	if skipped > 0 && last > 0 {
		buf = append(buf, "event: skipped\ndata: "...)
		buf = strconv.AppendUint(buf, skipped, 10)
		buf = append(buf, "\n\n"...)
	}
	for _, e := range events {
		buf = appendEvent(buf, e)
		last = e.id
	}
	return buf, last
}

// appendEvent appends e as one Server-Sent Event. JSON holds no newline,
// so it fits on one data line.
func appendEvent(buf []byte, e *event) []byte {
	buf = append(buf, "id: "...)
	buf = strconv.AppendUint(buf, e.id, 10)
	buf = append(buf, "\ndata: "...)
	data, _ := json.Marshal(e.json()) // cannot fail: strings and numbers
	buf = append(buf, data...)
	return append(buf, "\n\n"...)
}

// lastEventID returns the id of the last event the page got: the
// Last-Event-ID a reconnecting EventSource sends, else the query's
// "after", else 0.
func lastEventID(r *http.Request) (uint64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, errBadID
	}
	return id, nil
}
