// Package reqlog is the request log that s3server and s3proxy share: a
// ResponseWriter that records how a request was answered (status, size,
// the code of an S3 error), and the one line each request is logged in,
// handed to the logger's handler without allocating beyond what the
// handler needs.
package reqlog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Recorder is an http.ResponseWriter that records, for the log, the
// status and size of the response it passes on and the code of the S3
// error the response carries. Make it with [NewRecorder].
type Recorder struct {
	http.ResponseWriter
	// Status is the status sent: the first final status (200 or more)
	// given to WriteHeader, and 200 until then.
	Status int
	// Bytes counts the body bytes written.
	Bytes int64
	// WroteHeader reports whether the final header was sent, by
	// WriteHeader or by a first Write.
	WroteHeader bool
	// ErrorCode is the Code of the S3 error the response carries: set by
	// the code that writes the error, or else read from the start of the
	// body of a response whose status is 300 or more (a preflight the
	// CORS middleware refuses, an upstream's error passed through).
	ErrorCode string
}

// NewRecorder returns a Recorder that passes the response on to w.
func NewRecorder(w http.ResponseWriter) Recorder {
	return Recorder{ResponseWriter: w, Status: http.StatusOK}
}

// WriteHeader records the first final status; informational (1xx)
// responses pass through without being taken for the response's status.
func (w *Recorder) WriteHeader(code int) {
	if !w.WroteHeader && code >= 200 {
		w.Status, w.WroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write counts the bytes sent and, for an error response, reads S3's
// error Code from the start of the body unless the writer set it.
func (w *Recorder) Write(p []byte) (int, error) {
	if w.Bytes == 0 && w.Status >= 300 && w.ErrorCode == "" {
		w.ErrorCode = errorCode(p)
	}
	w.WroteHeader = true
	n, err := w.ResponseWriter.Write(p)
	w.Bytes += int64(n)
	return n, err
}

// ReadFrom copies r with the ResponseWriter's own ReadFrom, when it has
// one (net/http's: a pooled buffer, or sendfile from a file and splice
// from a TCP connection to a client's TCP connection), instead of the 32
// KiB buffer io.Copy would allocate for each response.
func (w *Recorder) ReadFrom(r io.Reader) (int64, error) {
	w.WroteHeader = true
	n, err := io.Copy(w.ResponseWriter, r)
	w.Bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *Recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// errorCode returns the Code of the S3 error document that b starts, ""
// when it starts none. An error document's Code comes first, after the
// XML declaration and the Error element's start, whatever spaces a
// server puts between them.
func errorCode(b []byte) string {
	const open, end, within, longest = "<Code>", "</Code>", 256, 64
	i := bytes.Index(b[:min(len(b), within)], []byte(open))
	if i < 0 || !bytes.Contains(b[:i], []byte("<Error")) {
		return ""
	}
	b = b[i+len(open):]
	j := bytes.Index(b[:min(len(b), longest+len(end))], []byte(end))
	if j < 0 {
		return ""
	}
	return string(b[:j])
}

// Line is what a request's log line says besides what the request and
// the Recorder tell.
type Line struct {
	// Op is the operation, as S3 names it ("GetObject"), or the server's
	// name for what it did ("Preflight").
	Op string
	// Status, when not 0, is logged instead of the Recorder's (the proxy
	// logs 499 for a client that left before any answer).
	Status int
	// Start is when the request came; End when it was answered, the
	// current time when zero.
	Start, End time.Time
	// RequestID is the response's request ID.
	RequestID string
	// Subresource is the S3 subresource addressed ("cors", "uploads"),
	// "" for none.
	Subresource string
	// Bucket is the bucket a virtual-hosted request addresses, which its
	// path does not name; "" for a path-style request.
	Bucket string
}

// Log hands h the log line of request r, answered through w, at level,
// unless h does not take that level: msg "request" and the attributes
// method, path, bucket (for a virtual-hosted request: see Line.Bucket),
// op, status, bytes (the body bytes sent: none for a HEAD), duration and
// request_id; then
// subresource and error, when there are; then extra, at most two. The
// record is made as slog.Logger.LogAttrs makes it, but with the time the
// request ended (read once for its duration too) and without the
// caller's program counter, which would name the same function on every
// line (a handler with AddSource shows no source for it). An
// [AttrsHandler] is handed the line's parts instead, and nothing is
// allocated; another handler gets a slog.Record, which holds five
// attributes inline and allocates once for the rest.
func (w *Recorder) Log(ctx context.Context, h slog.Handler, level slog.Level, r *http.Request, line Line, extra ...slog.Attr) {
	if !h.Enabled(ctx, level) {
		return
	}
	end := line.End
	if end.IsZero() {
		end = time.Now()
	}
	status := line.Status
	if status == 0 {
		status = w.Status
	}
	sent := w.Bytes
	if r.Method == http.MethodHead {
		// net/http sends no body for a HEAD: what the handler wrote,
		// such as an S3 error's document, went nowhere.
		sent = 0
	}
	attrs := lineAttrs.Get().(*[maxAttrs]slog.Attr)
	defer func() {
		*attrs = [maxAttrs]slog.Attr{} // the line's strings are not kept alive
		lineAttrs.Put(attrs)
	}()
	attrs[0] = slog.String("method", r.Method)
	attrs[1] = slog.String("path", r.URL.EscapedPath())
	n := 2
	if line.Bucket != "" {
		attrs[n] = slog.String("bucket", line.Bucket)
		n++
	}
	attrs[n] = slog.String("op", line.Op)
	attrs[n+1] = slog.Int("status", status)
	attrs[n+2] = slog.Int64("bytes", sent)
	attrs[n+3] = slog.Duration("duration", end.Sub(line.Start))
	attrs[n+4] = slog.String("request_id", line.RequestID)
	n += 5
	if line.Subresource != "" {
		attrs[n] = slog.String("subresource", line.Subresource)
		n++
	}
	if w.ErrorCode != "" {
		attrs[n] = slog.String("error", w.ErrorCode)
		n++
	}
	n += copy(attrs[n:], extra)
	// Errors are ignored, as by slog.Logger.
	if ah, ok := h.(AttrsHandler); ok {
		ah.HandleAttrs(ctx, end, level, "request", attrs[:n])
		return
	}
	record := slog.NewRecord(end, level, "request", 0)
	record.AddAttrs(attrs[:n]...)
	h.Handle(ctx, record)
}

// maxAttrs is the most attributes a line has: seven, bucket,
// subresource, error and two extra.
const maxAttrs = 12

// lineAttrs recycles the arrays Log gathers a line's attributes in: a
// slice handed to an interface's method escapes, so an array on the stack
// would be allocated for each line.
var lineAttrs = sync.Pool{New: func() any { return new([maxAttrs]slog.Attr) }}

// An AttrsHandler is a [slog.Handler] that also takes a record as its
// parts, the attributes in a slice, which [Recorder.Log] hands it without
// making a [slog.Record] (which would allocate for the attributes past
// its fifth). HandleAttrs must do what Handle does with the record
// slog.NewRecord(t, level, msg, 0) holding attrs, and must not keep
// attrs, which the caller reuses.
type AttrsHandler interface {
	slog.Handler
	HandleAttrs(ctx context.Context, t time.Time, level slog.Level, msg string, attrs []slog.Attr) error
}
