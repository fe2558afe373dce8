package s3proxy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/xmlconfig"
)

// state is what the proxy knows of one bucket at one time: its target
// (compiled configuration, or none, or no bucket) and the ETag of the
// stored configuration. A state is never changed once made: a new one
// replaces it whole, so no request sees half of a change.
type state struct {
	target bucket.Target
	etag   string
	// sum is the SHA-256 of the stored document the state was made of,
	// zero when there is none: a store that sends no ETag, and so
	// answers no If-None-Match, sends the document whole each time, and
	// the same document then confirms the state.
	sum       [sha256.Size]byte
	validated time.Time // when the upstream last confirmed it
}

// positive reports whether the bucket has a configuration.
func (s *state) positive() bool { return s.target.Config != nil }

// entry is one bucket's place in the cache.
type entry struct {
	state atomic.Pointer[state]
	// refreshing is set while a background revalidation runs.
	refreshing atomic.Bool
	// failing is set when the last revalidation got no answer: the state
	// is served stale.
	failing atomic.Bool
	// retryAt is when, in UnixNano of the cache's clock, a revalidation
	// may start again after one failed: a TTL later, not at the next
	// request, so that a store in trouble (one answering 503 SlowDown
	// too) gets one request per bucket a TTL rather than one per
	// request, and buckets without a configuration do not spend the
	// look-ups on it.
	retryAt atomic.Int64
}

// errSlowDown is the answer to a request for a bucket the cache does not
// hold once the budget of look-ups is spent.
var errSlowDown = errors.New("s3proxy: the budget of configuration look-ups is spent")

// errSlowRevalidation is why an entry is served stale when the store has
// not answered its revalidation within a TTL of the request waiting for
// it (revalidateNow).
var errSlowRevalidation = errors.New("s3proxy: the store did not answer the revalidation within the TTL")

// cache holds the compiled configurations of buckets, fetched from the
// store and revalidated at most every ttl.
type cache struct {
	store    *store
	ttl      time.Duration
	maxStale time.Duration
	max      int
	lookups  *limiter // misses, and revalidations of buckets without a configuration
	flight   flight[*state]
	obs      Observer
	log      *slog.Logger
	now      func() time.Time

	// background is the context of revalidations and of the other work
	// goBackground starts, ended by Close; wg counts them. bgMu is held
	// to start one and to end them all (stopBackground), so that none
	// starts once Close waits: sync.WaitGroup's Add must not race its
	// Wait.
	background context.Context
	wg         sync.WaitGroup
	bgMu       sync.Mutex

	mu      sync.RWMutex
	entries map[string]*entry
	// bare names the entries whose state has no configuration, which
	// evict takes first. Every state an entry takes is stored under mu,
	// and bare follows it there.
	bare map[string]struct{}
}

// lookup returns what the proxy knows of bucket name: from the cache
// when the entry is younger than maxStale, otherwise from the store. An
// entry older than ttl answers at once while a background revalidation
// runs; one older than two TTLs, which no request revalidated for a TTL
// past its expiry (its bucket was idle), is revalidated first, unless it
// is failing: answering it at once could serve a change made through
// another proxy up to maxStale late. stale reports that the answer comes
// from an entry the store could not revalidate.
func (c *cache) lookup(ctx context.Context, name string) (t bucket.Target, stale bool, err error) {
	if !s3route.ValidBucketName(name) {
		// No store holds a bucket S3 would not name: nothing to ask.
		return bucket.Target{NoBucket: true}, false, nil
	}
	c.mu.RLock()
	e := c.entries[name]
	c.mu.RUnlock()
	if e != nil {
		st := e.state.Load()
		age := c.now().Sub(st.validated)
		if age < c.maxStale {
			switch {
			case age-c.ttl >= c.ttl && !e.failing.Load(): // two TTLs old, without 2*ttl's overflow
				st = c.revalidateNow(ctx, name, e, st)
			case age >= c.ttl:
				c.revalidate(name, e, st)
			}
			failing := e.failing.Load()
			if failing {
				c.obs.Cache(CacheStale)
			} else {
				c.obs.Cache(CacheHit)
			}
			return st.target, failing, nil
		}
	}
	c.obs.Cache(CacheMiss)
	st, err := c.flight.do(ctx, name, func() (*state, error) { return c.fill(name) })
	if err != nil {
		return bucket.Target{}, false, err
	}
	return st.target, false, nil
}

// fill fetches bucket name's state for a request that cannot be answered
// from the cache, within the budget of look-ups.
func (c *cache) fill(name string) (*state, error) {
	c.mu.RLock()
	e := c.entries[name]
	c.mu.RUnlock()
	var prev *state
	if e != nil {
		prev = e.state.Load()
		// The entry may have been filled since the caller saw a miss: by
		// a fill that ended just before this one began (the flight
		// collapses only fills that overlap), or by a change made through
		// this proxy. A state validated within the TTL answers it without
		// a look-up.
		if c.now().Sub(prev.validated) < c.ttl {
			return prev, nil
		}
	}
	// A bucket with a configuration, which only holders of the keys
	// make, is fetched again without the budget, as it is revalidated
	// without it: the budget bounds what a flood of random names costs,
	// and must not refuse the buckets in use once they sat unused past
	// MaxStale. A fetch that failed is tried so again a TTL later.
	spared := prev != nil && prev.positive() && c.now().UnixNano() >= e.retryAt.Load()
	if !spared && !c.lookups.allow() {
		c.obs.Cache(CacheRefused)
		return nil, errSlowDown
	}
	st, err := c.fetch(name, prev)
	if err != nil {
		if spared {
			e.retryAt.Store(c.now().Add(c.ttl).UnixNano())
		}
		if c.background.Err() == nil {
			// Here rather than per request: the requests waiting for this
			// fill share it (flight), and fills are bounded by the budget
			// of look-ups, or a TTL apart for a bucket spared it, so the
			// store's trouble is told once per request made to it, not
			// once per client request it fails. A wrong upstream key
			// shows here as the store's 403 SignatureDoesNotMatch.
			c.log.Warn("the bucket's configuration could not be looked up: its requests that need it get 503",
				"bucket", name, "err", err)
		}
		return nil, err
	}
	return c.install(name, prev, st), nil
}

// goBackground runs f in a goroutine of its own that Close waits for,
// and reports whether it did: once Close has begun, it runs nothing.
func (c *cache) goBackground(f func()) bool {
	c.bgMu.Lock()
	defer c.bgMu.Unlock()
	if c.background.Err() != nil {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		f()
	}()
	return true
}

// stopBackground ends the background context with stop and waits for the
// goroutines goBackground started.
func (c *cache) stopBackground(stop func()) {
	c.bgMu.Lock()
	stop()
	c.bgMu.Unlock()
	c.wg.Wait()
}

// revalidate starts a background revalidation of e, whose state st is
// older than the ttl, unless one is running or one failed less than a
// ttl ago. Revalidating a bucket
// without a configuration takes a look-up from the budget; with none
// left, it waits for a later request.
func (c *cache) revalidate(name string, e *entry, st *state) {
	if c.now().UnixNano() < e.retryAt.Load() || !e.refreshing.CompareAndSwap(false, true) {
		return
	}
	if !st.positive() && !c.lookups.allow() {
		e.refreshing.Store(false)
		return
	}
	started := c.goBackground(func() {
		defer e.refreshing.Store(false)
		_, err := c.flight.do(c.background, name, func() (*state, error) {
			next, err := c.fetch(name, st)
			if err != nil {
				return nil, err
			}
			return c.install(name, st, next), nil
		})
		if err == nil {
			e.failing.Store(false)
		} else {
			c.failed(name, e, st, err)
		}
	})
	if !started {
		e.refreshing.Store(false)
	}
}

// revalidateNow revalidates e, whose state st is at least two TTLs old,
// for a request that waits for it, and returns the state to answer
// with: the store's, or the entry's when the store could not answer
// (marked failing, as a background revalidation marks it), when a
// bucket without a configuration finds the budget of look-ups spent,
// when the store has not answered within a TTL (marked failing too), or
// when ctx ends first. Concurrent requests share one upstream request
// (the flight, which fill and revalidate share too). It runs on a
// goroutine of its own so that the request's ctx bounds the wait of the
// request that starts it, not only of those that join it.
func (c *cache) revalidateNow(ctx context.Context, name string, e *entry, st *state) *state {
	done := make(chan *state, 1)
	started := c.goBackground(func() {
		next, _ := c.flight.do(c.background, name, func() (*state, error) {
			if cur := e.state.Load(); cur != st || e.failing.Load() {
				// Revalidated, changed through this proxy or found failing
				// by a flight that ended just before this one began.
				return cur, nil
			}
			if !st.positive() && !c.lookups.allow() {
				return nil, errSlowDown
			}
			next, err := c.fetch(name, st)
			if err != nil {
				// Within the flight, so that a request coming just after
				// it finds the entry failing and does not ask again.
				c.failed(name, e, st, err)
				return nil, err
			}
			return c.install(name, st, next), nil
		})
		done <- next
	})
	if started {
		timer := time.NewTimer(c.ttl)
		defer timer.Stop()
		select {
		case next := <-done:
			if next != nil {
				return next
			}
		case <-timer.C:
			// A store that hangs answers within UpstreamTimeout (30 s by
			// default): the request, and every one for the bucket
			// meanwhile, would wait that long. Past a TTL the entry is
			// served stale, as for a failed revalidation, so that the
			// requests after this one answer at once; the revalidation
			// goes on, and installs what the store answers.
			c.failed(name, e, st, errSlowRevalidation)
		case <-ctx.Done():
		}
	}
	return e.state.Load()
}

// failed records that a revalidation of e, whose state was st, got no
// answer (err): e is served stale, and tried again a ttl later.
func (c *cache) failed(name string, e *entry, st *state, err error) {
	if c.background.Err() != nil || errors.Is(err, errSlowDown) {
		// Closing; or a flight of another caller that found the budget
		// of look-ups spent, which says nothing of the store.
		return
	}
	// Only while the entry still holds st: a change made through this
	// proxy meanwhile (set) is fresh, not stale. Under c.mu, which set
	// holds, so that it cannot come in between.
	c.mu.Lock()
	first := false
	if e.state.Load() == st {
		e.retryAt.Store(c.now().Add(c.ttl).UnixNano())
		first = !e.failing.Swap(true)
	}
	c.mu.Unlock()
	if first {
		c.log.Warn("serving a cached configuration stale: the store could not revalidate it",
			"bucket", name, "validated", st.validated, "err", err)
	}
}

// fetch asks the store for bucket name's state, conditionally on prev's
// ETag. A stored document that does not decode or validate (written to
// the config bucket by other means) counts as no configuration, and is
// logged once: CORS then refuses, as for a bucket without one.
func (c *cache) fetch(name string, prev *state) (*state, error) {
	etag := ""
	if prev != nil && prev.positive() {
		etag = prev.etag
	}
	// The state is the store's as of its answer, which came after the
	// request was sent: validated then, not when the answer arrived, so
	// that a slow way back does not lengthen the TTL the entry is used
	// for, nor what a change made meanwhile waits for.
	now := c.now()
	f, err := c.store.fetch(c.background, name, etag)
	if err != nil {
		return nil, err
	}
	switch f.kind {
	case notModified:
		c.obs.Cache(CacheRevalidated)
		// The sum is kept: the same document sent whole later under
		// another ETag (S3's ETag of an object encrypted with SSE-KMS is
		// not the MD5 of its data, S3 API reference, Object) confirms
		// the state too.
		return &state{target: prev.target, etag: prev.etag, sum: prev.sum, validated: now}, nil
	case noBucket:
		return &state{target: bucket.Target{NoBucket: true}, validated: now}, nil
	case noConfig:
		return &state{validated: now}, nil
	}
	sum := sha256.Sum256(f.doc)
	if prev != nil && prev.sum == sum {
		// The document the state was made of: nothing to compile, nor
		// to log again when it is not valid.
		c.obs.Cache(CacheRevalidated)
		return &state{target: prev.target, etag: f.etag, sum: sum, validated: now}, nil
	}
	doc, err := xmlconfig.DecodeXML(bytes.NewReader(f.doc))
	var cfg *bucket.Config
	if err == nil {
		cfg, err = bucket.New(doc.Rules)
	}
	if err != nil {
		c.log.Error("the stored configuration is not valid; the bucket is served as having none",
			"bucket", name, "key", c.store.bucket+"/"+configKey(name), "err", err)
		return &state{etag: f.etag, sum: sum, validated: now}, nil
	}
	return &state{target: bucket.Target{Config: cfg}, etag: f.etag, sum: sum, validated: now}, nil
}

// install puts st in the cache as bucket name's state if the entry still
// holds prev (nil: if there is no entry), and returns the state the
// cache holds afterwards: a change made meanwhile through this proxy
// wins over a fetch that started before it.
func (c *cache) install(name string, prev, st *state) *state {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[name]
	if e == nil {
		if prev != nil {
			return st // the entry was evicted meanwhile: answer, keep nothing
		}
		c.insert(name, st)
		return st
	}
	if prev == nil || !e.state.CompareAndSwap(prev, st) {
		return e.state.Load()
	}
	c.track(name, st)
	// The store answered: whether through a revalidation or through the
	// look-up of an entry past MaxStale, the entry is no longer stale.
	e.failing.Store(false)
	if prev.target != st.target {
		c.obs.Cache(CacheUpdated)
	}
	return st
}

// set makes st bucket name's state at once: a change made through this
// proxy.
func (c *cache) set(name string, st *state) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[name]; e != nil {
		e.state.Store(st)
		e.failing.Store(false)
		c.track(name, st)
		return
	}
	c.insert(name, st)
}

// track records in c.bare whether st, now bucket name's state, has a
// configuration. c.mu must be held for writing.
func (c *cache) track(name string, st *state) {
	if st.positive() {
		delete(c.bare, name)
	} else {
		c.bare[name] = struct{}{}
	}
}

// insert adds an entry for name holding st, evicting one first when the
// cache is full. c.mu must be held for writing.
func (c *cache) insert(name string, st *state) {
	if len(c.entries) >= c.max {
		c.evict()
	}
	e := &entry{}
	e.state.Store(st)
	c.entries[name] = e
	c.track(name, st)
}

// evict removes one entry, one without a configuration whenever the
// cache holds one, so that a flood of names that hold none cannot push
// out the buckets in use, however few such entries there are among those
// with a configuration. Map iteration starts at a random place, which
// makes the choice random. c.mu must be held for writing.
func (c *cache) evict() {
	victim := ""
	for name := range c.bare {
		victim = name
		break
	}
	if victim == "" {
		for name := range c.entries {
			victim = name
			break
		}
	}
	delete(c.entries, victim)
	delete(c.bare, victim)
	c.obs.Cache(CacheEvicted)
}
