package s3proxy

import (
	"context"
	"errors"
	"sync"
	"time"
)

// flight collapses concurrent calls for one key into one: the first
// caller runs the function, the others wait for its result. It is
// golang.org/x/sync/singleflight's Do, cut down to what the cache needs.
type flight[V any] struct {
	mu    sync.Mutex
	calls map[string]*flightCall[V]
}

type flightCall[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// errFlightPanicked is what the callers waiting on a call get when the
// function panicked in the caller that ran it.
var errFlightPanicked = errors.New("s3proxy: a configuration fetch panicked")

// do runs fn for key unless a call for key is already running, and
// returns its result. A caller that waits gives up with ctx's error when
// ctx ends first; the call goes on for the others.
func (f *flight[V]) do(ctx context.Context, key string, fn func() (V, error)) (V, error) {
	f.mu.Lock()
	if c, ok := f.calls[key]; ok {
		f.mu.Unlock()
		select {
		case <-c.done:
			return c.v, c.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	if f.calls == nil {
		f.calls = make(map[string]*flightCall[V])
	}
	c := &flightCall[V]{done: make(chan struct{}), err: errFlightPanicked}
	f.calls[key] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.v, c.err = fn()
	return c.v, c.err
}

// limiter is a token bucket: it allows rate events a second on average,
// burst of them at once.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens a second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// newLimiter returns a limiter of rate tokens a second that starts with
// a full burst, so the first look-ups after a start do not wait.
func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: float64(burst), tokens: float64(burst), now: now}
}

// allow takes a token and reports whether there was one.
func (l *limiter) allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
