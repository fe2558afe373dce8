package s3proxy

import (
	"net/http"
	"slices"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// InspectorPrefix is the path [Proxy.Inspector] serves the inspector
// under, "/_s3cors/", the path s3server serves its own at.
const InspectorPrefix = inspect.Prefix

// newInspector returns the inspector over the proxy's config cache,
// which is the only bucket store the proxy has.
func (p *Proxy) newInspector() *inspect.Inspector {
	in, err := inspect.New(inspect.Options{Buckets: p.cache, CachedBuckets: true, Now: p.opts.Now})
	if err != nil {
		panic("s3proxy: " + err.Error()) // the options above are always valid
	}
	return in
}

// Inspector returns the CORS inspector's handler, nil when
// [Options.Inspector] is off. Serve it at [InspectorPrefix] on an address
// of your own, never the proxy's (s3cors proxy serves it beside its
// metrics): it answers only requests whose Host the proxy answers to
// ([Options.AllowedHosts]), and any other with 400 InvalidArgument, as the
// proxy does.
func (p *Proxy) Inspector() http.Handler {
	if p.inspector == nil {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.hosts.Allow(r.Host) {
			s3route.HostNotAllowed(r.Host, "proxy").WriteResponse(w)
			return
		}
		p.inspector.ServeHTTP(w, r)
	})
}

// CloseInspector ends the inspector's live streams, which would
// otherwise hold an [http.Server]'s Shutdown until its deadline: register
// it with RegisterOnShutdown on the server of [Proxy.Inspector]. The
// inspector's other pages go on.
func (p *Proxy) CloseInspector() {
	if p.inspector != nil {
		p.inspector.Close()
	}
}

// inspect tells the inspector about a request with an Origin, or a
// preflight, that went through CORS, once answered, if someone watched
// when it came (resolve then recorded its target). A request the proxy
// answered before CORS (its Host refused, the config bucket, a
// configuration it could not look up) has no CORS verdict, and is left
// out. When no one watches it costs nothing.
func (p *Proxy) inspect(r *http.Request, info *requestInfo) {
	if !info.watched || len(r.Header["Origin"]) == 0 && r.Method != http.MethodOptions ||
		info.op == opConfigBucket || info.lookupErr != nil {
		return
	}
	p.inspector.Observe(r, inspect.Exchange{Bucket: info.addr.Bucket, Target: info.target, Status: info.status(), Header: info.rec.Header()})
}

// BucketNames returns the names of the buckets the cache holds a
// configuration for, sorted, for the inspector.
func (c *cache) BucketNames() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var names []string
	for name, e := range c.entries {
		if st := e.state.Load(); st.positive() && c.usable(st) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// BucketCors returns the configuration the cache holds for bucket name,
// nil when the bucket has none, for the inspector; NoSuchBucket when the
// cache holds nothing usable for it, or knows there is no such bucket.
// It never asks the store.
func (c *cache) BucketCors(name string) (*bucket.Config, error) {
	c.mu.RLock()
	e := c.entries[name]
	c.mu.RUnlock()
	if e == nil {
		return nil, s3err.NoSuchBucket(name)
	}
	st := e.state.Load()
	if !c.usable(st) || st.target.NoBucket {
		return nil, s3err.NoSuchBucket(name)
	}
	return st.target.Config, nil
}

// usable reports whether a request would be answered from st, as lookup
// decides: st is younger than maxStale.
func (c *cache) usable(st *state) bool { return c.now().Sub(st.validated) < c.maxStale }
