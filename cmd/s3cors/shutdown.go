package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// serveUntil waits until ctx is done, then shuts the servers of verb
// down (see shutdown). It returns at once with the error of a server that
// stopped on its own, which served carries.
func serveUntil(ctx context.Context, served <-chan error, verb string, timeout time.Duration, stderr io.Writer, servers ...*http.Server) error {
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown(verb, timeout, stderr, servers...)
	return nil
}

// shutdown stops the servers of verb gracefully: they take no new
// connection and wait up to timeout for the requests in flight, then cut
// off those still running. It says so on stderr, when it starts, so that
// an operator who sent SIGTERM knows why the process is still there, and
// when it ends.
func shutdown(verb string, timeout time.Duration, stderr io.Writer, servers ...*http.Server) {
	fmt.Fprintf(stderr, "s3cors %s: stopping: no new connections; waiting up to %v for the requests in flight\n", verb, timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(ctx); err != nil {
			fmt.Fprintf(stderr, "s3cors %s: requests still running after %v are cut off\n", verb, timeout)
			hs.Close()
		}
	}
	fmt.Fprintf(stderr, "s3cors %s: stopped\n", verb)
}
