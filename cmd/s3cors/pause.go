package main

import (
	"io"
	"net/http"
	"time"
)

// boundPauses returns h with its connection's read and write deadlines
// pushed to read and write from now each time a request's body is read
// or its answer written, so that the server's ReadTimeout and
// WriteTimeout, set to the same bounds, bound the pauses of a transfer
// and not its length, as S3's RequestTimeout does ("not read from or
// written to within the timeout period"): a 5 GiB object moves over a
// slow link, and a client that stops sending or reading is cut off.
//
// Progress either way pushes both deadlines: while an answer is written,
// net/http reads the connection in the background to notice its close,
// and a read deadline passing there would cancel the request.
//
// A handler that sets a deadline itself through [http.ResponseController]
// (the inspector's event stream) keeps it: that deadline is no longer
// pushed.
func boundPauses(h http.Handler, read, write time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pw := &pausedWriter{ResponseWriter: w, rc: http.NewResponseController(w), read: read, write: write}
		if r.Body != nil && r.Body != http.NoBody {
			// A copy of the request takes the body: net/http looks at
			// the original's to tell whether a client that asked for
			// 100 Continue sent all of it, and closes the connection
			// rather than read a body the handler refused.
			shallow := *r
			shallow.Body = &pausedBody{ReadCloser: r.Body, w: pw}
			r = &shallow
		}
		h.ServeHTTP(pw, r)
	})
}

// pausedWriter is the ResponseWriter of boundPauses.
type pausedWriter struct {
	http.ResponseWriter
	rc                *http.ResponseController
	read, write       time.Duration
	ownRead, ownWrite bool // the handler set the deadline itself
}

// progress pushes the deadlines the handler has not set.
func (w *pausedWriter) progress() {
	now := time.Now()
	if !w.ownRead && w.read > 0 {
		w.rc.SetReadDeadline(now.Add(w.read))
	}
	if !w.ownWrite && w.write > 0 {
		w.rc.SetWriteDeadline(now.Add(w.write))
	}
}

func (w *pausedWriter) Write(b []byte) (int, error) {
	w.progress()
	return w.ResponseWriter.Write(b)
}

// SetReadDeadline is the handler's own read deadline, which progress
// then leaves alone ([http.ResponseController] finds it here).
func (w *pausedWriter) SetReadDeadline(t time.Time) error {
	w.ownRead = true
	return w.rc.SetReadDeadline(t)
}

// SetWriteDeadline is SetReadDeadline's counterpart for writes.
func (w *pausedWriter) SetWriteDeadline(t time.Time) error {
	w.ownWrite = true
	return w.rc.SetWriteDeadline(t)
}

// Unwrap lets [http.ResponseController] reach the writer's other
// methods (Flush).
func (w *pausedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// pausedBody is a request body whose reads push the deadlines.
type pausedBody struct {
	io.ReadCloser
	w *pausedWriter
}

func (b *pausedBody) Read(p []byte) (int, error) {
	b.w.progress()
	return b.ReadCloser.Read(p)
}
