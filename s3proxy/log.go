package s3proxy

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/s3cors/s3cors/s3err"
)

// recorder records the status and size of a response for the log line
// and the Observer, and the code of an error document sent.
type recorder struct {
	http.ResponseWriter
	info        *requestInfo
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *recorder) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.bytes == 0 && w.status >= 300 && w.info.errCode == "" {
		w.info.errCode = sniffCode(p)
	}
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// sniffCode returns the Code of the S3 error document that b starts, for
// the log line, "" when it starts none.
func sniffCode(b []byte) string {
	const open, end = "<Code>", "</Code>"
	i := bytes.Index(b, []byte(open))
	if i < 0 || i > 256 {
		return ""
	}
	b = b[i+len(open):]
	j := bytes.Index(b, []byte(end))
	if j < 0 || j > 64 {
		return ""
	}
	return string(b[:j])
}

// statusClientGone is the status the log gives a request whose client
// left before the upstream answered, as nginx does; nothing is sent.
const statusClientGone = 499

// logRequest writes the request's log line, as s3server's (method, path,
// operation, status, bytes, duration, request ID, subresource and error
// code), with what is the proxy's own: whether the bucket's configuration
// was served stale, and whether the answer was cut off mid-body.
func (p *Proxy) logRequest(r *http.Request, w *recorder, info *requestInfo, d time.Duration, aborted bool) {
	status := w.status
	if info.clientGone && !w.wroteHeader {
		status = statusClientGone
	}
	p.obs.Request(info.op, status, d)
	if info.op == opPreflight && (status == http.StatusOK || status == http.StatusBadRequest || status == http.StatusForbidden) {
		p.obs.Preflight(status == http.StatusOK)
	}
	level := slog.LevelInfo
	if info.errCode != "" || aborted || status >= 500 {
		level = slog.LevelWarn
	}
	if !p.log.Enabled(r.Context(), level) {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()),
		slog.String("op", info.op),
		slog.Int("status", status),
		slog.Int64("bytes", w.bytes),
		slog.Duration("duration", d),
		slog.String("request_id", requestID(w.Header())))
	if info.subresource != "" {
		attrs = append(attrs, slog.String("subresource", info.subresource))
	}
	if info.errCode != "" {
		attrs = append(attrs, slog.String("error", info.errCode))
	}
	if info.stale {
		attrs = append(attrs, slog.Bool("config_stale", true))
	}
	if aborted {
		attrs = append(attrs, slog.Bool("aborted", true))
	}
	p.log.LogAttrs(r.Context(), level, "request", attrs...)
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
		p.log.Error("s3proxy: internal error", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		e = s3err.InternalError()
	}
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		info.errCode = e.Code
	}
	e.WriteResponse(w)
}
