// Package inspect is the CORS inspector of "s3cors serve" and "s3cors
// proxy": pages under [Prefix] that show, live, every CORS request the
// server answers and why each was allowed or refused, each bucket's
// configuration as a table and as a matrix of origins and methods, its
// lint findings, and a form that explains any request one types in. The
// same events are served as JSON for tests and scripts.
//
// # Wiring
//
// A server makes one [Inspector] with [New], serves it at [Prefix] (and
// nowhere a bucket could be), and after answering each request that
// carries an Origin header, and each preflight, tells it what happened:
//
//	if ins.Watching() {
//		ins.Observe(r, inspect.Exchange{Bucket: name, Target: t, Status: status, Header: w.Header()})
//	}
//
// Watching is one atomic load, so a server pays nothing while nobody
// looks; Observe keeps what it needs and returns at once, whatever the
// pages do. s3server does this in ServeHTTP, and serves the inspector on
// its own address behind its Host check. The proxy does the same around
// its CORS middleware (the package example shows how) and serves the
// inspector on its admin address, with Options.Buckets reading its
// configuration cache. A server ends the pages' live streams with
// [Inspector.Close] when it shuts down (http.Server.RegisterOnShutdown),
// or Shutdown would wait for them.
//
// # Bounds and safety
//
// Events are kept in memory only, in a ring of Options.Capacity (1,000
// by default): a flood of requests replaces old events and never grows
// memory past the ring. Each value kept is cut at [MaxValueLen] bytes
// (paths and queries at [MaxPathLen]). A live stream reads the ring
// rather than queueing events of its own, so a page that reads slowly
// skips events (and is told how many) and never slows a request down.
// At most [MaxStreams] streams are served at once. Readers hold little
// of what they send: the API writes its answer one event at a time, a
// stream writes in chunks of about 64 KiB, both reading the ring one
// event at a time, and the reasons show at most 256 bytes of a value of
// the request (the event's own fields hold it whole), so that a full
// ring of events with the longest values, tens of megabytes in JSON,
// never is in memory at once.
//
// An event keeps no secret of the request: of its headers only Origin,
// Access-Control-Request-Method and Access-Control-Request-Headers, and
// in its query "REDACTED" in place of the values of a presigned URL's
// signature, access key ID and session token, with which anyone who read
// them could replay the URL until it expires. The inspector asks for no
// credentials, whatever keys the server checks on S3 requests (a page in
// a browser cannot sign): what it shows, every bucket's configuration
// and the paths, object keys and queries of the requests it records, is
// anyone's who reaches it; a server that must keep them offers a way to
// turn it off (serve's and proxy's --no-inspector). It is also readable
// by every page of its origin: s3server serves it on the endpoint's own,
// where a bucket's HTML served path-style is too.
//
// Every value shown (origins, headers, paths, configurations) is treated
// as hostile: pages are html/template, the script writes text only
// (textContent), a value holding a character that is not printable (a
// control, a bidi override, a zero-width space) is shown quoted as Go
// quotes it, by the pages and the script alike, and every response
// carries a Content-Security-Policy that allows no inline script or
// style. Responses carry no CORS headers,
// so no other origin can read them, and a form post from another site is
// refused ([http.CrossOriginProtection]).
package inspect

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
)

// Prefix is where the inspector is served. S3 bucket names cannot begin
// with "_", so no bucket is ever shadowed by it.
const Prefix = "/_s3cors/"

// Bounds on what the inspector keeps.
const (
	// DefaultCapacity is the number of events kept when
	// Options.Capacity is 0.
	DefaultCapacity = 1000
	// MaxValueLen is the longest Origin, Access-Control-Request-Method,
	// Access-Control-Request-Headers or response header value kept; a
	// longer one is cut and ends in "…". It is one past
	// bucket.MaxHeaderValueLen, so that a value cut still tells the
	// evaluator it was too long.
	MaxValueLen = bucket.MaxHeaderValueLen + 1
	// MaxPathLen is the longest path or query kept.
	MaxPathLen = 2048
	// MaxStreams is the number of live streams served at once; more are
	// answered 503.
	MaxStreams = 16
	// DefaultLinger is how long the inspector keeps recording after the
	// last look at it when Options.Linger is 0.
	DefaultLinger = 15 * time.Minute
)

// Buckets is what the inspector reads about buckets: s3server.Server
// implements it, and so does the proxy's configuration cache (with
// Options.CachedBuckets).
type Buckets interface {
	// BucketNames returns the names of the buckets, sorted.
	BucketNames() []string
	// BucketCors returns a bucket's CORS configuration, nil when it has
	// none, or an error when there is no such bucket.
	BucketCors(name string) (*bucket.Config, error)
}

// Options configure an Inspector.
type Options struct {
	// Buckets are the buckets the bucket pages show; nil shows none.
	Buckets Buckets
	// CachedBuckets is set when Buckets knows only the buckets whose
	// configurations the server holds in a cache, not every bucket of the
	// store behind it, as the proxy's: the pages say so.
	CachedBuckets bool
	// Fallback is the configuration the server applies to buckets that
	// have none (s3server.Options.Fallback); the pages say so.
	Fallback *bucket.Config
	// Capacity is the number of events kept; 0 means DefaultCapacity.
	Capacity int
	// Linger is how long the inspector keeps recording after its last
	// page or API request when no live stream is open; 0 means
	// DefaultLinger.
	Linger time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Region is the region of the buckets, which the answers the pages
	// work out name as the server does (x-amz-bucket-region); "" means
	// explain.DefaultRegion.
	Region string
}

// Inspector records the CORS requests a server answers and serves the
// pages that show them. It is safe for concurrent use.
type Inspector struct {
	opts Options
	ring *ring
	mux  http.Handler
	// run names this inspector among those a server had before it
	// restarted: the ids of its live stream's events carry it, for a
	// page that reconnects to tell a new run's events from those it has.
	run string

	// watchers counts the open live streams, plus one while a lease from
	// the last look at the inspector runs.
	watchers atomic.Int32

	leaseMu    sync.Mutex
	leaseUntil time.Time
	leaseTimer *time.Timer // nil when no lease runs

	// streams are the open live streams, replaced whole on each change so
	// that waking them takes no lock.
	streamsMu sync.Mutex
	streams   atomic.Pointer[[]*stream]
	closed    chan struct{}
	closeOnce sync.Once
}

// New returns an Inspector, recording nothing until someone looks.
func New(opts Options) (*Inspector, error) {
	switch {
	case opts.Capacity < 0:
		return nil, errors.New("inspect: Capacity is negative")
	case opts.Linger < 0:
		return nil, errors.New("inspect: Linger is negative")
	}
	if opts.Capacity == 0 {
		opts.Capacity = DefaultCapacity
	}
	if opts.Linger == 0 {
		opts.Linger = DefaultLinger
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	in := &Inspector{opts: opts, ring: newRing(opts.Capacity), run: newRun(), closed: make(chan struct{})}
	in.mux = in.routes()
	return in, nil
}

// newRun returns the name of a new run: 48 random bits, in hex.
func newRun() string {
	var b [6]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// Watching reports whether anyone looks at the inspector: a live stream
// is open, or a page or the API was asked within Options.Linger. A server
// builds no event, and so spends nothing, while it is false.
func (in *Inspector) Watching() bool { return in.watchers.Load() > 0 }

// touch starts or extends the lease that keeps the inspector recording
// after a look at it.
func (in *Inspector) touch() {
	in.leaseMu.Lock()
	defer in.leaseMu.Unlock()
	in.leaseUntil = time.Now().Add(in.opts.Linger)
	if in.leaseTimer == nil {
		in.watchers.Add(1)
		in.leaseTimer = time.AfterFunc(in.opts.Linger, in.expire)
	}
}

// expire ends the lease, or waits again when a look extended it.
func (in *Inspector) expire() {
	in.leaseMu.Lock()
	defer in.leaseMu.Unlock()
	if left := time.Until(in.leaseUntil); left > 0 {
		in.leaseTimer = time.AfterFunc(left, in.expire)
		return
	}
	in.leaseTimer = nil
	in.watchers.Add(-1)
}

// Close ends the live streams and refuses new ones. Recording and the
// other pages go on.
func (in *Inspector) Close() {
	in.closeOnce.Do(func() { close(in.closed) })
}
