package s3proxy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
)

// TestReadyIgnoresCallersContext checks that Ready tells of the upstream,
// not of one caller's context: a caller that gave up does not make the
// proxy unready for the others, and a caller waits no longer than its
// own context allows while another's probe hangs on the upstream.
func TestReadyIgnoresCallersContext(t *testing.T) {
	t.Parallel()
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		up, _ := startGofakes3(t)
		_, p := startProxy(t, s3proxy.Options{Upstream: up.URL})
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		p.Ready(gone) // a probe that left at once
		if err := p.Ready(context.Background()); err != nil {
			t.Errorf("Ready after a cancelled caller, with the upstream up: %v", err)
		}
	})
	t.Run("hung", func(t *testing.T) {
		t.Parallel()
		tr := startTroubled(t)
		tr.set(hang)
		_, p := startProxy(t, s3proxy.Options{Upstream: tr.URL, UpstreamTimeout: 20 * time.Second})
		first := make(chan error, 1)
		go func() { first <- p.Ready(context.Background()) }()
		waitFor(t, func() bool { return tr.count.total.Load() > 0 }, "the first probe to reach the upstream")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := p.Ready(ctx)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Ready with a 100 ms context took %v", took)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Ready with a 100 ms context and a hung upstream = %v, want its deadline", err)
		}
		tr.set(healthy)
		tr.CloseClientConnections() // ends the hung probe at once
		<-first
	})
}
