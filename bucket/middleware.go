package bucket

import (
	"net/http"
)

// Middleware gives an S3-compatible server S3's bucket CORS. It answers
// every preflight (OPTIONS) to a bucket itself, without calling the next
// handler and without authentication, as S3 does; a request that
// addresses no bucket (see Resolve) goes to the next handler, preflight
// or not. For an actual request that a rule admits it sets the CORS
// headers before the next handler runs, so error responses (403, 404, ...)
// carry them too, as S3's do. UNVERIFIED (spec §7): no capture of S3 shows
// an error response with CORS headers; ceph's and Scality's suites, both
// written to pass against S3, expect them (TestMiddleware pins it). To
// send them on successes only, serveActual would wrap w and write them
// at WriteHeader for a status below 400.
//
// It writes into the response's header map and never sees what the next
// handler does to it: one that sets Vary ([http.Header.Set]) where it would
// add a line ([http.Header.Add]) replaces S3's Vary. A next handler that
// relays another server's answer, such as a
// [net/http/httputil.ReverseProxy] in front of a store that answers CORS
// itself (MinIO allows every origin by default), must drop that server's
// Access-Control-* headers and the CORS names in its Vary first, as package
// s3proxy does: the response would otherwise carry two
// Access-Control-Allow-Origin values, which browsers refuse, and the
// store's answer to origins no rule admits (see the example). For the same
// reason a 1xx response the next handler sends, such as 103 Early Hints,
// carries the CORS headers too: net/http sends the map with it.
//
// S3 sends its request IDs (x-amz-request-id, x-amz-id-2) with every
// answer; a server sets them in the header before the Middleware runs, as
// s3server does with [s3err.RequestIDs], and the Middleware's answers
// keep them. It makes them itself only for a refused preflight, whose
// error body names them: an allowed preflight of a server that sets none
// carries none, so that it costs no allocation.
//
// By default the Middleware behaves exactly as S3. VaryOrigin and Fallback
// are deviations users of S3-compatible servers ask for; both are off in
// the zero value.
type Middleware struct {
	// Resolve tells the middleware what a request addresses. ok is false
	// for requests that address no bucket, such as ListBuckets on the
	// service endpoint, which S3 never answers with CORS: they go to the
	// next handler untouched. Resolve must be set. It is called from the
	// goroutine of each request, concurrently, so what it reads (a map of
	// the buckets' configurations, say) must be safe for concurrent use
	// with whatever changes it. A preflight calls it once; an actual
	// request calls it only when it carries an Origin (or when
	// VaryOrigin is set), and at most once.
	Resolve func(r *http.Request) (t Target, ok bool)

	// VaryOrigin adds "Vary: Origin" to every response of an existing
	// bucket that S3 would send without Vary (requests without Origin,
	// requests no rule admits, refused preflights), so that caches in front
	// of the server never serve one origin's answer to another. An actual
	// request that carries Access-Control-Request-Method or
	// Access-Control-Request-Headers, which S3 judges by them, gets S3's
	// whole Vary instead, so that its answer is never served to a page's
	// plain request from the same origin. S3 does not do this.
	VaryOrigin bool

	// Fallback is the configuration applied to existing buckets that have
	// none of their own. S3 has no such thing: nil keeps S3's behaviour.
	Fallback *Config
}

// Wrap returns a handler that applies m in front of next. The handler is
// safe for concurrent use when m.Resolve and next are. Later changes to m
// do not affect it. Wrap panics if m, m.Resolve or next is nil, which
// would otherwise fail only once a request came.
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	switch {
	case m == nil:
		panic("bucket: Wrap of a nil *Middleware")
	case m.Resolve == nil:
		panic("bucket: Middleware.Resolve is nil")
	case next == nil:
		panic("bucket: Middleware.Wrap of a nil handler")
	}
	return &corsHandler{m: *m, next: next}
}

type corsHandler struct {
	m    Middleware
	next http.Handler
}

func (h *corsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		h.servePreflight(w, r)
	} else {
		h.serveActual(w, r)
	}
}

// resolve tells what r addresses, the Fallback standing in for a missing
// configuration.
func (h *corsHandler) resolve(r *http.Request) (t Target, ok bool) {
	t, ok = h.m.Resolve(r)
	if t.Config.none() && !t.NoBucket {
		t.Config = h.m.Fallback
	}
	return t, ok
}

// servePreflight answers a preflight as S3 does: 200 with the CORS
// headers, or S3's error.
func (h *corsHandler) servePreflight(w http.ResponseWriter, r *http.Request) {
	t, ok := h.resolve(r)
	if !ok {
		h.next.ServeHTTP(w, r)
		return
	}
	var res Result
	res.evaluateHeader(r.Method, r.Header["Origin"], r.Header, &t, nil)
	hdr := w.Header()
	if res.Allowed() {
		res.writeHeaders(hdr)
		hdr["Content-Length"] = zeroLength
		w.WriteHeader(http.StatusOK)
		return
	}
	if h.m.VaryOrigin {
		h.varyOrigin(w, &t)
	}
	res.writeError(w)
}

// serveActual adds the CORS headers to an actual request a rule admits,
// then lets the next handler answer it.
func (h *corsHandler) serveActual(w http.ResponseWriter, r *http.Request) {
	origin := r.Header["Origin"]
	if len(origin) == 0 && !h.m.VaryOrigin {
		h.next.ServeHTTP(w, r) // not a CORS request: nothing to add
		return
	}
	t, ok := h.resolve(r)
	if !ok {
		h.next.ServeHTTP(w, r)
		return
	}
	// Only a rule that admits the Origin gives CORS headers: without
	// one, nothing else need be read. (Target.originHits, written out.)
	if o := first(origin); o != "" && len(o) <= MaxHeaderValueLen && !t.NoBucket && !t.Config.none() {
		if hits := t.Config.origins.admitting(o); !hits.rules.empty() {
			var res Result
			res.evaluateHeader(r.Method, origin, r.Header, &t, &hits)
			if res.Allowed() {
				res.writeHeaders(w.Header())
				h.next.ServeHTTP(w, r)
				return
			}
		}
	}
	if h.m.VaryOrigin && !t.NoBucket {
		if len(r.Header["Access-Control-Request-Method"]) > 0 || len(r.Header["Access-Control-Request-Headers"]) > 0 {
			// S3 judges such a request by these headers too (spec §4):
			// a cache keyed on Origin alone would serve its answer to a
			// page's plain request from the same origin.
			addVary(w.Header(), varyValue)
		} else {
			h.varyOrigin(w, &t)
		}
	}
	h.next.ServeHTTP(w, r)
}

// varyOrigin adds Vary: Origin to a response S3 sends without CORS
// headers, as the Middleware's VaryOrigin asks.
func (h *corsHandler) varyOrigin(w http.ResponseWriter, t *Target) {
	if !t.NoBucket {
		addVary(w.Header(), varyOriginOnly)
	}
}

var zeroLength = []string{"0"}

// varyOriginOnly is the Vary of VaryOrigin for a response without one. Its
// capacity is its length, so that a handler's Add appends to a copy.
var varyOriginOnly = []string{"Origin"}
