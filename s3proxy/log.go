package s3proxy

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/s3cors/s3cors/internal/reqlog"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// statusClientGone is the status the log gives a request whose client
// left before the upstream answered, as nginx does; nothing is sent.
const statusClientGone = 499

// logRequest tells the Observer of the request and writes its log line,
// as s3server's (method, path, operation, status, bytes, duration,
// request ID, subresource and error code), with what is the proxy's own:
// why the bucket's configuration could not be looked up, whether it was
// served stale, and whether the answer was cut off mid-body.
func (p *Proxy) logRequest(r *http.Request, info *requestInfo, start time.Time, aborted bool) {
	w := &info.rec
	status := info.status()
	end := time.Now()
	p.obs.Request(info.op, status, end.Sub(start))
	if info.op == opPreflight && (status == http.StatusOK || status == http.StatusBadRequest || status == http.StatusForbidden) {
		p.obs.Preflight(status == http.StatusOK)
	}
	level := slog.LevelInfo
	// An error answer is at warn whether or not a body names its code:
	// a HEAD's has none (serve, which knows the code, logs it at warn).
	// A client that left got no answer.
	if w.ErrorCode != "" || aborted || (status >= 400 && status != statusClientGone) {
		level = slog.LevelWarn
	}
	var extra [2]slog.Attr
	n := 0
	switch {
	case info.lookupErr != nil:
		// Why the configuration could not be looked up: the store's
		// answer (logged once per look-up by the cache too), a spent
		// budget of look-ups, or a client that left while waiting. A
		// request that has no configuration is never served stale.
		extra[n] = slog.String("config_error", info.lookupErr.Error())
		n++
	case info.stale:
		extra[n] = slog.Bool("config_stale", true)
		n++
	}
	if aborted {
		extra[n] = slog.Bool("aborted", true)
		n++
	}
	line := reqlog.Line{Op: info.op, Status: status, Start: start, End: end, RequestID: requestID(w.Header()), Subresource: info.subresource}
	if info.addr.Style == s3route.VirtualHosted {
		line.Bucket = info.addr.Bucket
	}
	w.Log(r.Context(), p.log.Handler(), level, r, line, extra[:n]...)
}

// requestID returns the request ID of a response, the proxy's own or the
// upstream's, in whichever spelling it was set.
func requestID(h http.Header) string {
	for _, name := range [...]string{"X-Amz-Request-Id", "x-amz-request-id"} {
		if v := h[name]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// writeError sends err as S3 sends errors; one that is not an S3 error
// is logged and sent as InternalError.
func (p *Proxy) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok {
		p.log.Error("internal error", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		e = s3err.InternalError()
	}
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		info.rec.ErrorCode = e.Code
	}
	w.Header()["Server"] = serverName // forward took it out
	e.WriteResponse(w)
}
