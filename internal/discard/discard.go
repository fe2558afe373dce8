// Package discard holds a ResponseWriter for benchmarks and allocation
// tests: it keeps the status and the header map it is given, and drops
// the body, so that what a handler allocates is the handler's own.
package discard

import "net/http"

// ResponseWriter is an [http.ResponseWriter] whose header map is Head,
// reused from one answer to the next when the caller clears it, and
// which records the status and discards the body.
type ResponseWriter struct {
	Head   http.Header
	Status int
}

// Header returns w.Head.
func (w *ResponseWriter) Header() http.Header { return w.Head }

// Write discards p.
func (w *ResponseWriter) Write(p []byte) (int, error) { return len(p), nil }

// WriteHeader records status.
func (w *ResponseWriter) WriteHeader(status int) { w.Status = status }
