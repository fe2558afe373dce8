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
// off those still running. It says so on stderr.
func shutdown(verb string, timeout time.Duration, stderr io.Writer, servers ...*http.Server) {
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
