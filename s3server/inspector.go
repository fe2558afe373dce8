package s3server

import (
	"net/http"
	"strings"

	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/internal/s3route"
)

// inspectorBucket is the first path segment of the inspector's pages. S3
// bucket names cannot begin with "_", so it names no bucket.
const inspectorBucket = "_s3cors"

// newInspector returns the inspector over the server's own buckets,
// with the fallback configuration that buckets without one answer with.
func (s *Server) newInspector() *inspect.Inspector {
	in, err := inspect.New(inspect.Options{Buckets: s, Fallback: s.opts.Fallback, Now: s.opts.Now, Region: s.opts.Region})
	if err != nil {
		panic("s3server: " + err.Error()) // the options above are always valid
	}
	return in
}

// servesInspector reports whether r is for the inspector: the server has
// one, r's path (by path style, never a virtual-hosted bucket's key)
// starts with /_s3cors, and r's Host is one the server answers to.
// Anything else, a refused Host included, is an S3 request: the key
// "_s3cors/" of the bucket a Host "_s3cors.localhost" names too, which
// is not path style though its bucket is "_s3cors".
func (s *Server) servesInspector(r *http.Request) bool {
	if s.inspector == nil || !strings.HasPrefix(r.URL.Path, "/"+inspectorBucket) {
		return false
	}
	a := s.router.Address(r.Host, r.URL.Path)
	return a.Style == s3route.PathStyle && a.Bucket == inspectorBucket && s.hosts.Allow(r.Host)
}

// inspect tells the inspector about a request with an Origin, or a
// preflight, that went through CORS, once answered, if someone watched
// when it came (ServeHTTP then had resolve record its target). When no
// one watches it costs one atomic load.
func (s *Server) inspect(r *http.Request, w *logWriter, info *requestInfo) {
	if !info.watched || len(r.Header["Origin"]) == 0 && r.Method != http.MethodOptions {
		return
	}
	t := info.target
	if t.Config == nil && !t.NoBucket {
		t.Config = s.opts.Fallback // as the middleware applies it
	}
	s.inspector.Observe(r, inspect.Exchange{Bucket: info.addr.Bucket, Target: t, Status: w.Status, Header: w.Header()})
}

// CloseInspector ends the inspector's live streams, which would
// otherwise hold an [http.Server]'s Shutdown until its deadline: register
// it with RegisterOnShutdown. The inspector's other pages go on.
func (s *Server) CloseInspector() {
	if s.inspector != nil {
		s.inspector.Close()
	}
}
