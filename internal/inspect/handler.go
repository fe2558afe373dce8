package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// securityHeaders are set on every response of the inspector. The policy
// allows the page's own script and stylesheet and nothing else: no inline
// script, style or event handler, no other origin, no framing, forms
// posted only to the inspector.
var securityHeaders = [...][2]string{
	{"Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Cache-Control", "no-store"},
}

// ServeHTTP serves the inspector's pages under [Prefix]. The server
// routes to it only requests whose Host it answers to, and sends it no
// other path. Its responses carry no CORS headers, so that only pages of
// the inspector's own origin can read them.
func (in *Inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for _, kv := range securityHeaders {
		h[kv[0]] = []string{kv[1]}
	}
	in.touch()
	in.mux.ServeHTTP(w, r)
}

// routes returns the inspector's handler: its pages, its API and its
// assets, behind cross-origin protection for the form.
func (in *Inspector) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"{$}", in.serveLive)
	mux.HandleFunc("GET "+Prefix+"requests/{id}", in.serveRequest)
	mux.HandleFunc("GET "+Prefix+"buckets/{$}", in.serveBuckets)
	mux.HandleFunc("GET "+Prefix+"buckets/{name}", in.serveBucket)
	mux.HandleFunc("GET "+Prefix+"buckets/{name}/try", in.serveTry)
	mux.HandleFunc("POST "+Prefix+"buckets/{name}/try", in.serveTry)
	mux.HandleFunc("GET "+Prefix+"api/requests", in.serveAPIRequests)
	mux.HandleFunc("GET "+Prefix+"api/requests/{id}", in.serveAPIRequest)
	mux.HandleFunc("GET "+Prefix+"api/events", in.serveEvents)
	static, _ := fs.Sub(assets, "assets/static") // cannot fail: embedded
	mux.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", http.FileServerFS(static)))
	mux.Handle("GET "+Prefix[:len(Prefix)-1], http.RedirectHandler(Prefix, http.StatusMovedPermanently))
	mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) { in.serveNoRoute(w, r, mux) })
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(in.serveCrossOrigin))
	return cop.Handler(mux)
}

var errBadID = errors.New("the event id is not a number")

// requestID returns the event id in r's path.
func requestID(r *http.Request) (uint64, bool) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	return id, err == nil
}

// API limits.
const (
	// maxTryForm bounds the body of the "try a request" form.
	maxTryForm = 64 << 10
)

// filter is what the API's query asks for.
type filter struct {
	bucket, origin, verdict string
	after                   uint64
	afterGiven              bool // then limit keeps the oldest, to page forward
	limit                   int
}

// filterParams are the parameters the API's query takes.
var filterParams = [...]string{"bucket", "origin", "verdict", "after", "limit"}

// apiQuery returns r's query, which may give each of names once. A
// parameter it does not take, one given twice or a query that does not
// parse is refused, never ignored: a script that misspelt a parameter,
// or wrote a value unescaped ("?bucket=%zz", "?verdict=refused;x=1"),
// would otherwise get every event as if it had filtered them.
func apiQuery(r *http.Request, names ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errors.New("the query cannot be read: " + err.Error())
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		switch {
		case !slices.Contains(names, name):
			takes := names[len(names)-1]
			if len(names) > 1 {
				takes = strings.Join(names[:len(names)-1], ", ") + " and " + takes
			}
			return nil, fmt.Errorf("the API takes no parameter %s: it takes %s", strconv.Quote(name), takes)
		case len(q[name]) > 1:
			return nil, fmt.Errorf("%s is given %d times: give it once", name, len(q[name]))
		}
	}
	return q, nil
}

// parseFilter reads the API's query, as apiQuery takes it.
func parseFilter(r *http.Request, capacity int) (filter, error) {
	q, err := apiQuery(r, filterParams[:]...)
	if err != nil {
		return filter{}, err
	}
	f := filter{bucket: q.Get("bucket"), origin: q.Get("origin"), verdict: q.Get("verdict"), limit: capacity}
	switch f.verdict {
	case "", "allowed", "refused":
	default:
		return f, errors.New(`verdict must be "allowed" or "refused"`)
	}
	if v := q.Get("after"); v != "" {
		id, err := eventID("after", v)
		if err != nil {
			return f, err
		}
		f.after, f.afterGiven = id, true
	}
	if v := q.Get("limit"); v != "" {
		// A limit past the ring's size is the ring's size, however large.
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || n < 1 {
			return f, errors.New("limit must be a positive number")
		}
		f.limit = int(min(n, uint64(capacity)))
	}
	return f, nil
}

// keeps reports whether e passes every criterion the API's query set;
// an empty one passes all.
func (f *filter) keeps(e *event) bool {
	return (f.bucket == "" || e.bucket == f.bucket) && (f.origin == "" || e.origin == f.origin) &&
		(f.verdict == "" || e.verdict() == f.verdict)
}

// serveAPIRequests answers the events kept as JSON, oldest first,
// filtered by the query: bucket, origin (both exact), verdict ("allowed"
// or "refused"), after (an id: only newer events) and limit (that many:
// the oldest after the id given, so that a script pages forward with
// ?after=LAST&limit=N and misses none; the newest without after); any
// other parameter, or one given twice, is answered 400.
// The answer is what writeJSON writes for
//
//	struct {
//		// Capacity is the ring's size; Newest is the id of the newest
//		// event recorded (0 for none), kept or not.
//		Capacity int    `json:"capacity"`
//		Newest   uint64 `json:"newest"`
//		// Requests are the events kept that pass the filters, oldest
//		// first.
//		Requests []DetailJSON `json:"requests"`
//	}
//
// but written one event at a time, each event's reasons made just before
// it is written: for a full ring of events with long values the answer
// runs to tens of megabytes, which it must never hold. It holds no event
// either, so that one that leaves the ring meanwhile is let go, and left
// out.
func (in *Inspector) serveAPIRequests(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r, in.opts.Capacity)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	ids := in.keptIDs(f)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	var buf bytes.Buffer
	buf.WriteString("{\n  \"capacity\": ")
	buf.WriteString(strconv.Itoa(in.opts.Capacity))
	buf.WriteString(",\n  \"newest\": ")
	buf.WriteString(strconv.FormatUint(in.ring.newest(), 10))
	buf.WriteString(",\n  \"requests\": [")
	// Indented as writeJSON indents, one level deeper.
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	n := 0
	for _, id := range ids {
		e := in.ring.get(id)
		if e == nil {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		enc.Encode(e.detailJSON())  // cannot fail: strings, numbers and bools
		buf.Truncate(buf.Len() - 1) // Encode's newline
		n++
		if _, err := w.Write(buf.Bytes()); err != nil {
			return
		}
		buf.Reset()
	}
	if n > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	w.Write(buf.Bytes())
}

// keptIDs returns the ids of the events kept that f keeps, oldest first.
func (in *Inspector) keptIDs(f filter) []uint64 {
	events, _ := in.ring.after(f.after, in.opts.Capacity)
	var ids []uint64
	for _, e := range events {
		if f.keeps(e) {
			ids = append(ids, e.id)
		}
	}
	switch {
	case len(ids) <= f.limit:
	case f.afterGiven:
		ids = ids[:f.limit]
	default:
		ids = ids[len(ids)-f.limit:]
	}
	return ids
}

// serveAPIRequest answers one event, with its reasons.
func (in *Inspector) serveAPIRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := requestID(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, errBadID.Error())
		return
	}
	e := in.ring.get(id)
	if e == nil {
		writeJSONError(w, http.StatusNotFound, "no such request in the ring: it was never recorded, or newer ones replaced it")
		return
	}
	writeJSON(w, http.StatusOK, e.detailJSON())
}

// writeJSON answers v as indented JSON with status, the API's only form
// of answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) // escapes <, > and &, so no sniffing browser takes it for HTML
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
