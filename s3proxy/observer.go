package s3proxy

import "time"

// Observer is told what a [Proxy] does, for metrics. Its methods are
// called from many goroutines at once, on the path of requests: they must
// be safe for concurrent use and quick. The package has no metrics of its
// own, so that embedding it pulls in no metrics library; the s3cors
// command wires an Observer to Prometheus.
type Observer interface {
	// Request is called once a request is answered: the operation as
	// S3 names it ("GetObject", "PutBucketCors"), the status sent and the
	// time taken. S3 names no operation for some: op is "Preflight" for
	// OPTIONS on a bucket or object, "ServicePreflight" for OPTIONS on
	// the service, "HostNotAllowed" and "ConfigBucket" for what the
	// proxy refuses for its Host (not allowed, or naming a bucket with
	// a final dot) or for reaching Options.ConfigBucket,
	// and "" for a request S3 has no operation for (a PATCH, say).
	Request(op string, status int, d time.Duration)
	// Preflight is called for each preflight answered from a bucket's
	// configuration: allowed or refused (400 or 403).
	Preflight(allowed bool)
	// Cache is called for each event of the configuration cache.
	Cache(e CacheEvent)
	// Upstream is called for each request to the upstream once its
	// answer's headers arrive: op is "Forward" for a request passed
	// through, else one of the proxy's own (GetConfig, HeadBucket,
	// PutConfig, DeleteConfig, CreateConfigBucket, Ready), or
	// AuthorizePutCors, AuthorizeGetCors, AuthorizeAcl and AuthorizeHead
	// for those it signs with a client's keys to learn whether the client
	// may change or read a bucket's CORS; status
	// is 0 when no answer came.
	Upstream(op string, status int, d time.Duration)
}

// The operations of the proxy's own requests to the upstream, as
// [Observer.Upstream] names them.
const (
	opForward            = "Forward"
	opGetConfig          = "GetConfig"
	opHeadBucket         = "HeadBucket"
	opPutConfig          = "PutConfig"
	opDeleteConfig       = "DeleteConfig"
	opCreateConfigBucket = "CreateConfigBucket"
	opReady              = "Ready"
	// The requests signed with a client's keys that ask whether it may
	// administer a bucket's CORS: a PutBucketCors the store must refuse
	// for its body (for Put and DeleteBucketCors), a GetBucketCors (for
	// GetBucketCors), and where the upstream does not implement bucket
	// CORS, GetBucketAcl, then HeadBucket where it does not implement
	// ?acl either.
	opAuthorizePutCors = "AuthorizePutCors"
	opAuthorizeGetCors = "AuthorizeGetCors"
	opAuthorizeACL     = "AuthorizeAcl"
	opAuthorizeHead    = "AuthorizeHead"
)

// CacheEvent is an event of the configuration cache.
type CacheEvent uint8

const (
	// CacheHit: a request answered from a cached entry.
	CacheHit CacheEvent = iota + 1
	// CacheStale: a request answered from a cached entry the store
	// could not revalidate.
	CacheStale
	// CacheMiss: a request that had to wait for the store.
	CacheMiss
	// CacheRevalidated: the store confirmed a cached configuration
	// (304 Not Modified).
	CacheRevalidated
	// CacheUpdated: a fetch replaced a cached entry with another state.
	CacheUpdated
	// CacheRefused: a miss refused with 503 SlowDown, the budget of
	// look-ups spent.
	CacheRefused
	// CacheEvicted: an entry removed to make room.
	CacheEvicted
)

var cacheEventNames = [...]string{"", "hit", "stale", "miss", "revalidated", "updated", "refused", "evicted"}

// String returns the event's name in lower case, such as "hit".
func (e CacheEvent) String() string {
	if int(e) < len(cacheEventNames) {
		return cacheEventNames[e]
	}
	return "unknown"
}

// nopObserver is the Observer of a Proxy without one.
type nopObserver struct{}

func (nopObserver) Request(string, int, time.Duration)  {}
func (nopObserver) Preflight(bool)                      {}
func (nopObserver) Cache(CacheEvent)                    {}
func (nopObserver) Upstream(string, int, time.Duration) {}
