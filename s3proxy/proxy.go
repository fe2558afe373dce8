package s3proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/internal/reqlog"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/s3err"
)

// Defaults of [Options].
const (
	DefaultConfigBucket    = "s3cors-config"
	DefaultConfigTTL       = time.Second
	DefaultMaxStale        = 5 * time.Minute
	DefaultMaxBuckets      = 10000
	DefaultLookupRate      = 100
	DefaultUpstreamTimeout = 30 * time.Second
	DefaultClientTimeout   = time.Minute
)

// Options configure a [Proxy]. Upstream is required; every other field
// has a default, which its zero value stands for. [New] refuses a
// negative duration or count with an [*OptionError], rather than take it
// for zero.
type Options struct {
	// Upstream is the S3-compatible store requests go to, such as
	// "http://minio:9000": a scheme and a host, no path.
	Upstream string
	// Transport sends the requests to the upstream. Nil means one made
	// for the purpose: keep-alive connections, no compression (bodies
	// pass as they are), dial and TLS handshake within 10 s (or
	// UpstreamTimeout when shorter) and answer headers within
	// UpstreamTimeout; to an upstream over plain HTTP, it sends a GET or
	// a HEAD and reads its answer on the request's own goroutine, which
	// costs the proxy about a quarter less CPU than an [http.Transport]'s
	// two goroutines a connection. A Transport given without such bounds (as
	// [http.DefaultTransport] has no ResponseHeaderTimeout) lets an upstream
	// that never answers hold a request passed through until the client
	// leaves.
	Transport http.RoundTripper

	// UpstreamAccessKey and UpstreamSecretKey sign the proxy's own
	// requests to the upstream: the configurations it reads and writes
	// in ConfigBucket and the HeadBucket it asks. Both empty: anonymous
	// requests. A client that signs with this pair may administer the
	// CORS of every bucket, as the proxy does with it, unless
	// CheckUpstreamKeys is set.
	UpstreamAccessKey, UpstreamSecretKey string
	// CheckUpstreamKeys asks the upstream about a client that signs with
	// the upstream pair as about any other (see Keys): for a pair that
	// is the upstream pair only by default, as s3cors proxy makes the
	// first client pair when --upstream-access-key is not given, whose
	// holder must not administer every bucket's CORS for that.
	CheckUpstreamKeys bool
	// Keys are the pairs, access key to secret key, that
	// Put/Get/DeleteBucketCors must be signed with (Signature Version 4
	// or 2, header or presigned): the keys the upstream's users hold.
	// Empty: anyone may call them, and signatures are not checked. New
	// refuses an access key holding "/", "," or a control character,
	// here or in UpstreamAccessKey, which the Credential of a Signature
	// Version 4 Authorization header cannot carry.
	//
	// A pair other than the upstream pair may administer the CORS of a
	// bucket only when the upstream says so, with the permission S3 asks
	// for: once the signature, the names and the bucket's existence are
	// checked (and, for PutBucketCors, the body read), the proxy sends,
	// signed with the client's pair within UpstreamTimeout, for Put and
	// DeleteBucketCors (s3:PutBucketCORS) a PutBucketCors whose
	// configuration has no rules, which the upstream refuses for its body
	// (400 MalformedXML) to a client it lets write, or takes (it then
	// has that empty configuration, which the proxy never reads); for
	// GetBucketCors (s3:GetBucketCORS) a GetBucketCors, which it answers
	// with a configuration or NoSuchCORSConfiguration. A 403 gets
	// AccessDenied, a 404 NoSuchBucket, anything else 503
	// ServiceUnavailable. An upstream without bucket CORS (501, 405 or
	// NotImplemented; a PutBucketCors taken for a CreateBucket, 409; a
	// GetBucketCors answered with something else) is asked a GetBucketAcl
	// instead, so that whom it grants READ_ACP or s3:GetBucketAcl, a read
	// permission, administers the bucket's CORS; where it does not
	// implement ?acl either, a HeadBucket, so that whoever may read the
	// bucket does. The answer is not cached. [Proxy.SetCredentials]
	// replaces Keys and the upstream pair while the proxy serves.
	//
	// A client's x-amz-expected-bucket-owner goes with these requests,
	// so that the upstream judges S3's bucket owner condition: the proxy
	// has no account, and cannot tell who owns a bucket. Where no
	// request would be sent (no Keys; the upstream pair), one is, signed
	// with the upstream pair, for a client that sends the header: the
	// read a GetBucketCors is asked with, for every operation. An
	// upstream that ignores it, as gofakes3 does, grants any
	// owner.
	Keys map[string]string
	// Region is the region signatures are scoped to and the config
	// bucket is created in; "" means us-east-1. It is a name the AWS
	// SDKs take for a region (letters, digits and hyphens, in labels
	// separated by dots): New refuses another. Signature Version 2 is
	// taken only where S3 took it, in us-east-1 and the other regions
	// launched before 2014, and is answered elsewhere as S3 answers it,
	// 400 InvalidRequest.
	Region string

	// ConfigBucket is the upstream bucket that holds the configurations,
	// created when missing; "" means DefaultConfigBucket. Clients never
	// reach it through the proxy.
	ConfigBucket string
	// ConfigTTL is how long a cached configuration is used before it is
	// revalidated; 0 means DefaultConfigTTL.
	ConfigTTL time.Duration
	// MaxStale is how long after its last validation a cached entry is
	// still used while the upstream cannot revalidate it; 0 means
	// DefaultMaxStale, or twice ConfigTTL when that is longer. It is at
	// least ConfigTTL; at ConfigTTL, no entry is revalidated in the
	// background: the first request past the TTL waits for the store.
	MaxStale time.Duration
	// MaxBuckets bounds the entries of the cache; 0 means
	// DefaultMaxBuckets.
	MaxBuckets int
	// LookupRate bounds, per second, the look-ups of buckets the cache
	// cannot answer for (but those it held with a configuration), and
	// the revalidations of buckets without a configuration; 0 means
	// DefaultLookupRate. Past it such requests
	// get 503 SlowDown. Each look-up costs the upstream one or two
	// requests.
	LookupRate int

	// UpstreamTimeout bounds any pause of the upstream while it sends or
	// takes a body, the whole of the proxy's own requests, and, with the
	// transport the proxy makes (Transport nil), the wait for the answer
	// headers of a request passed through; a Transport given bounds that
	// wait itself (an [http.Transport] with its ResponseHeaderTimeout).
	// 0 means DefaultUpstreamTimeout.
	UpstreamTimeout time.Duration
	// ClientTimeout bounds any pause of a client while it sends or
	// takes a body, and the whole of a DeleteObjects body, which the
	// proxy holds to read its keys; 0 means DefaultClientTimeout.
	ClientTimeout time.Duration

	// Domains are the names under which buckets are addressed by host
	// (virtual-hosted style), as in s3server.Options. The upstream must
	// know the same ones.
	Domains []string
	// AllowedHosts are the host names the proxy answers to, as in
	// s3server.Options; empty means any. New refuses one that is not "*",
	// a host name or an IP address, with or without a port.
	AllowedHosts []string

	// Logger, when set, gets one line per request and the proxy's
	// warnings.
	Logger *slog.Logger
	// Inspector makes the CORS inspector, which [Proxy.Inspector]
	// serves: live pages that show each request with an Origin, and each
	// preflight, with the CORS headers the proxy sent and why, the
	// configurations the proxy holds in its cache with a form to try
	// requests, and the same events as JSON. It costs a request nothing
	// while no one looks at it. Off by default; s3cors proxy turns it on
	// with --metrics-addr.
	Inspector bool
	// Observer, when set, is told what the proxy does, for metrics.
	Observer Observer
	// Now returns the current time; nil means [time.Now].
	Now func() time.Time
}

// Proxy puts S3's bucket CORS in front of an S3-compatible store. It
// implements [http.Handler]; see the package documentation. The zero
// Proxy has no upstream and panics when used: make one with [New].
//
// A Proxy is safe for concurrent use: it serves requests on many
// goroutines at once, and [Proxy.SetCredentials], [Proxy.Ready] and
// [Proxy.Inspector] may be called while it serves; [Proxy.Close] ends
// what runs in the background, after the server has stopped.
type Proxy struct {
	opts     Options
	upstream *url.URL
	router   *s3route.Router
	hosts    *s3route.Hosts
	// creds are the key pairs in use: those of Options, or of the last
	// SetCredentials.
	creds atomic.Pointer[keySet]
	store *store
	cache *cache
	rp    *httputil.ReverseProxy
	// direct is the transport the proxy made to a plain-HTTP upstream;
	// nil for another, and for Options.Transport.
	direct  *directTransport
	handler http.Handler
	obs     Observer
	log     *slog.Logger
	// inspector is nil when Options.Inspector is off.
	inspector *inspect.Inspector

	// deleteBodies is the budget of the DeleteObjects bodies the proxy
	// holds to read their keys (see checkDeleteKeys): deleteBudget.
	deleteBodies *checksum.Budget

	stop      context.CancelFunc
	closeOnce sync.Once

	// credsMu orders SetCredentials, so that creds and the store's
	// signer always come from the same call.
	credsMu sync.Mutex

	readyMu sync.Mutex
	// ready is the last probe of the upstream, or the one running.
	ready *probe
}

// probe is one read of the config bucket made for [Proxy.Ready].
type probe struct {
	done chan struct{} // closed once err and at are set
	err  error
	at   time.Time // when it ended
}

// New returns a Proxy for opts, or an [*OptionError] naming a field of
// opts it cannot use. Close it when done, to end its background
// revalidations.
func New(opts Options) (*Proxy, error) {
	up, err := parseUpstream(opts.Upstream)
	if err != nil {
		return nil, err
	}
	if err := checkOptions(opts); err != nil {
		return nil, err
	}
	setDefaults(&opts)
	if !s3route.CreatableBucketName(opts.ConfigBucket) {
		// The proxy creates the bucket when it is missing.
		return nil, &OptionError{"ConfigBucket", strconv.Quote(opts.ConfigBucket) + " is not a name S3 lets a new bucket have"}
	}
	router, err := s3route.New(opts.Domains)
	if err != nil {
		return nil, &OptionError{"Domains", strings.TrimPrefix(err.Error(), "s3route: ")}
	}
	p := &Proxy{opts: opts, upstream: up, router: router, hosts: s3route.NewHosts(opts.AllowedHosts, router), deleteBodies: checksum.NewBudget(deleteBudget),
		obs: opts.Observer, log: opts.Logger}
	// The key pairs checked as SetCredentials checks them.
	creds, err := newKeySet(Credentials{Keys: opts.Keys, UpstreamAccessKey: opts.UpstreamAccessKey,
		UpstreamSecretKey: opts.UpstreamSecretKey, CheckUpstreamKeys: opts.CheckUpstreamKeys}, opts)
	if err != nil {
		return nil, err
	}
	p.creds.Store(creds)
	var transport http.RoundTripper
	transport, p.direct = upstreamTransport(opts, up)
	background, stop := context.WithCancel(context.Background())
	p.stop = stop
	p.store = &store{base: up, bucket: opts.ConfigBucket, region: opts.Region, client: &http.Client{Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		timeout: opts.UpstreamTimeout, obs: p.obs, now: opts.Now}
	p.store.signer.Store(creds.signer)
	p.cache = &cache{store: p.store, ttl: opts.ConfigTTL, maxStale: opts.MaxStale, max: opts.MaxBuckets,
		lookups: newLimiter(float64(opts.LookupRate), opts.LookupRate, opts.Now), obs: p.obs, log: p.log,
		now: opts.Now, background: background, entries: make(map[string]*entry), bare: make(map[string]struct{})}
	p.rp = p.reverseProxy(transport)
	if opts.Inspector {
		p.inspector = p.newInspector()
	}
	mw := &bucket.Middleware{Resolve: p.resolve}
	p.handler = mw.Wrap(http.HandlerFunc(p.serve))
	return p, nil
}

// parseUpstream reads Options.Upstream, which must be an http or https
// URL with a host and nothing after it but an optional "/": the proxy
// appends S3's own paths and queries to it. It returns the URL with its
// path cleared, or the [*OptionError] New returns.
func parseUpstream(upstream string) (*url.URL, error) {
	up, err := url.Parse(upstream)
	switch {
	case err != nil && !strings.Contains(upstream, "://"):
		// An address without its scheme ("127.0.0.1:9000"), which
		// package url cannot parse: say what it lacks, not that "first
		// path segment in URL cannot contain colon".
		return nil, &OptionError{"Upstream", strconv.Quote(upstream) + " is not an http or https URL with a host"}
	case err != nil:
		reason := err.Error()
		if ue, ok := errors.AsType[*url.Error](err); ok {
			reason = ue.Err.Error()
		}
		return nil, &OptionError{"Upstream", strconv.Quote(upstream) + " is not a URL: " + reason}
	case up.Scheme != "http" && up.Scheme != "https" || up.Host == "":
		return nil, &OptionError{"Upstream", strconv.Quote(upstream) + " is not an http or https URL with a host"}
	case up.Path != "" && up.Path != "/" || up.RawQuery != "" || up.User != nil || up.Fragment != "":
		return nil, &OptionError{"Upstream", strconv.Quote(upstream) + " has more than a scheme and a host"}
	case !validPort(up.Port()):
		// url.Parse takes any digits; every request would then fail
		// to dial, answered 503 as an upstream that is down.
		return nil, &OptionError{"Upstream", strconv.Quote(upstream) + " has the port " + up.Port() + ", not one from 1 to 65535"}
	}
	up.Path = ""
	return up, nil
}

// validPort reports whether port, a URL's digits after its host's ":",
// names a TCP port a client can dial: 1 to 65535, or none ("" for the
// scheme's own).
func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && 1 <= n && n <= 65535
}

// checkOptions refuses, before any default is filled in, the fields of
// opts New cannot use whatever the defaults: a negative limit or
// timeout, a Region S3 has no form for and a malformed AllowedHosts
// entry. It checks them in that order and returns the first
// [*OptionError].
func checkOptions(opts Options) error {
	// Zero means the default; a negative value is refused rather than
	// taken for zero, since it says something New cannot do.
	for _, o := range []struct {
		name     string
		negative bool
		value    any
	}{
		{"ConfigTTL", opts.ConfigTTL < 0, opts.ConfigTTL}, {"MaxStale", opts.MaxStale < 0, opts.MaxStale},
		{"MaxBuckets", opts.MaxBuckets < 0, opts.MaxBuckets}, {"LookupRate", opts.LookupRate < 0, opts.LookupRate},
		{"UpstreamTimeout", opts.UpstreamTimeout < 0, opts.UpstreamTimeout},
		{"ClientTimeout", opts.ClientTimeout < 0, opts.ClientTimeout},
	} {
		if o.negative {
			return &OptionError{o.name, fmt.Sprint(o.value) + " is negative: 0 means the default"}
		}
	}
	if opts.Region != "" {
		if err := sigv.CheckRegion(opts.Region); err != nil {
			return &OptionError{"Region", strings.TrimPrefix(err.Error(), "sigv: ")}
		}
	}
	if err := s3route.CheckAllowedHosts(opts.AllowedHosts); err != nil {
		return &OptionError{"AllowedHosts", strings.TrimPrefix(err.Error(), "s3route: ")}
	}
	return nil
}

// upstreamTransport returns the transport the proxy sends its requests
// to up with: Options.Transport when given, or one the proxy makes.
// To a plain-HTTP upstream the proxy's own transport is a
// [directTransport] over it, returned as direct too so that Close can
// close its connections; direct is nil otherwise.
func upstreamTransport(opts Options, up *url.URL) (transport http.RoundTripper, direct *directTransport) {
	if opts.Transport != nil {
		return opts.Transport, nil
	}
	made := newTransport(opts.UpstreamTimeout)
	if up.Scheme != "http" {
		return made, nil
	}
	dialer, addr := upstreamDialer(opts.UpstreamTimeout), up.Host
	if up.Port() == "" {
		addr = net.JoinHostPort(up.Hostname(), "80")
	}
	direct = newDirectTransport(made, up.Host, func(ctx context.Context) (net.Conn, error) {
		return dialer.DialContext(ctx, "tcp", addr)
	}, opts.UpstreamTimeout)
	return direct, direct
}

// setDefaults fills in the zero fields of opts. A zero MaxStale becomes
// at least two TTLs, so that an entry past its TTL is refreshed in the
// background before requests have to wait for the store; one set is
// raised to one TTL if under it.
func setDefaults(opts *Options) {
	if opts.ConfigBucket == "" {
		opts.ConfigBucket = DefaultConfigBucket
	}
	if opts.ConfigTTL <= 0 {
		opts.ConfigTTL = DefaultConfigTTL
	}
	if opts.MaxStale <= 0 {
		// At least two TTLs, so that an entry past its TTL is revalidated
		// in the background for a TTL before requests wait for the
		// store: at MaxStale equal to the TTL, every request a TTL after
		// the last look-up would wait for one.
		opts.MaxStale = DefaultMaxStale
		if opts.ConfigTTL <= math.MaxInt64/2 {
			opts.MaxStale = max(opts.MaxStale, 2*opts.ConfigTTL)
		}
	}
	opts.MaxStale = max(opts.MaxStale, opts.ConfigTTL)
	if opts.MaxBuckets <= 0 {
		opts.MaxBuckets = DefaultMaxBuckets
	}
	if opts.LookupRate <= 0 {
		opts.LookupRate = DefaultLookupRate
	}
	if opts.UpstreamTimeout <= 0 {
		opts.UpstreamTimeout = DefaultUpstreamTimeout
	}
	if opts.ClientTimeout <= 0 {
		opts.ClientTimeout = DefaultClientTimeout
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Observer == nil {
		opts.Observer = nopObserver{}
	}
}

// Credentials are the key pairs a [Proxy] checks and signs with, as the
// [Options] fields of the same names set them at [New]:
// [Proxy.SetCredentials] replaces them while the proxy serves.
type Credentials struct {
	Keys                                 map[string]string
	UpstreamAccessKey, UpstreamSecretKey string
	CheckUpstreamKeys                    bool
}

// keySet is one Credentials, ready for use: the verifier of its Keys
// (nil when there are none: ?cors requests are not authenticated) and
// the signer of its upstream pair (nil: anonymous). A request keeps the
// keySet it was authenticated with to its end (requestInfo.creds).
type keySet struct {
	Credentials
	verifier *sigv.Verifier
	signer   *sigv.Signer
}

// newKeySet checks c and makes its verifier and signer, with the region
// and clock of opts.
func newKeySet(c Credentials, opts Options) (*keySet, error) {
	if (c.UpstreamAccessKey == "") != (c.UpstreamSecretKey == "") {
		return nil, &OptionError{"UpstreamAccessKey", "UpstreamAccessKey and UpstreamSecretKey must be set together"}
	}
	// Keys sign the requests that ask the upstream what each client may
	// do (authorize): the same secrets as the verifier checks, whatever
	// the caller does with the map later.
	ks := &keySet{Credentials: c}
	ks.Keys = maps.Clone(c.Keys)
	if len(ks.Keys) > 0 {
		var first string
		for access := range ks.Keys {
			if first == "" || access < first {
				first = access
			}
		}
		v, err := sigv.New(sigv.Options{AccessKey: first, SecretKey: ks.Keys[first], Keys: ks.Keys,
			Region: opts.Region, Now: opts.Now})
		if err != nil {
			return nil, &OptionError{"Keys", strings.TrimPrefix(err.Error(), "sigv: ")}
		}
		ks.verifier = v
	}
	if err := sigv.CheckAccessKey(c.UpstreamAccessKey); err != nil {
		return nil, &OptionError{"UpstreamAccessKey", strings.TrimPrefix(err.Error(), "sigv: ")}
	}
	if c.UpstreamAccessKey != "" {
		ks.signer = &sigv.Signer{AccessKey: c.UpstreamAccessKey, SecretKey: c.UpstreamSecretKey, Region: opts.Region}
	}
	return ks, nil
}

// SetCredentials replaces the key pairs the proxy checks
// Put/Get/DeleteBucketCors against and signs its own requests with, as
// [Options] set them at [New], for keys rotated without a restart (s3cors
// proxy does so on SIGHUP, from --credentials). Requests already
// authenticated finish with the pairs they were checked with; requests
// that come after SetCredentials returns get the new ones, and so do the
// proxy's own requests to the upstream. It returns an [*OptionError],
// and changes nothing, for pairs [New] would refuse, and for Keys empty
// when the proxy has keys, or given when it has none: that would turn the
// checking of signatures off or on, which takes a new Proxy.
func (p *Proxy) SetCredentials(c Credentials) error {
	old := p.creds.Load()
	switch {
	case len(c.Keys) == 0 && len(old.Keys) > 0:
		return &OptionError{"Keys", "no key pair given: the proxy would stop checking signatures, which takes a new Proxy"}
	case len(c.Keys) > 0 && len(old.Keys) == 0:
		return &OptionError{"Keys", "key pairs given to a proxy made without any: it would start checking signatures, which takes a new Proxy"}
	}
	ks, err := newKeySet(c, p.opts)
	if err != nil {
		return err
	}
	p.credsMu.Lock()
	defer p.credsMu.Unlock()
	p.creds.Store(ks)
	p.store.signer.Store(ks.signer)
	return nil
}

// Close ends the background revalidations and waits for them, and
// closes the idle connections to the upstream of the transport the proxy
// made. Requests still being served may fail; stop the [http.Server]
// first.
func (p *Proxy) Close() error {
	p.closeOnce.Do(func() {
		p.cache.stopBackground(p.stop)
		if p.direct != nil {
			p.direct.close()
		}
	})
	return nil
}

// readyFor is how long an answer of [Proxy.Ready] is reused, so that
// probes never cost the upstream more than a request a second (two while
// the config bucket is missing: the read and its creation).
const readyFor = time.Second

// Ready reports whether the proxy can read the configurations in the
// upstream: nil when a read of the config bucket with the upstream keys
// in the last second got an answer the proxy's look-ups can use (the
// object, or S3's 404 NoSuchKey: none), else why not: no answer, a
// server error, a refusal such as 403 SignatureDoesNotMatch from a wrong
// UpstreamSecretKey, or a 404 without such an S3 error, from a server
// that is not an S3 store (the wrong port, another service, a load
// balancer's page), with any of which every request that needs a
// configuration would get 503. S3's 404 NoSuchBucket (no config bucket
// yet) makes Ready create the config bucket, as the first PutBucketCors
// would: ready once it is made (or found made by another proxy), not
// ready while the upstream refuses it (403 AccessDenied to keys that may
// not create buckets), with which every PutBucketCors would get 503. The
// read is the proxy's own, bounded by [Options.UpstreamTimeout] and
// shared by concurrent callers; ctx bounds only the caller's wait for it
// (its error is then returned), so that a probe that gave up never
// becomes the answer others get. The logger is told when the proxy stops
// being ready, and why, and when it is ready again: once, however often
// Ready is asked.
func (p *Proxy) Ready(ctx context.Context) error {
	p.readyMu.Lock()
	pr := p.ready
	if pr == nil || pr.ended() && p.opts.Now().Sub(pr.at) >= readyFor {
		prev := pr // ended, or nil: its err no longer changes
		pr = &probe{done: make(chan struct{})}
		p.ready = pr
		go func() {
			err := p.store.ping(p.cache.background)
			p.readyMu.Lock()
			pr.err, pr.at = err, p.opts.Now()
			p.readyMu.Unlock()
			if p.cache.background.Err() == nil {
				p.logReady(prev, err)
			}
			close(pr.done)
		}()
	}
	p.readyMu.Unlock()
	select {
	case <-pr.done:
		return pr.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// logReady logs the answer err of a probe that followed prev, when it
// differs from prev's: the reason the proxy is not ready, or that it is
// ready again.
func (p *Proxy) logReady(prev *probe, err error) {
	was := "" // prev's reason; "" when ready, or no probe came before
	if prev != nil && prev.err != nil {
		was = pingReason(prev.err)
	}
	switch {
	case err != nil && pingReason(err) != was:
		msg := "not ready: the configurations cannot be read"
		if _, ok := errors.AsType[*errNoConfigBucket](err); ok {
			msg = "not ready: the config bucket cannot be created: every PutBucketCors would get 503"
		}
		p.log.Warn(msg, "bucket", p.opts.ConfigBucket, "err", err)
	case err == nil && was != "":
		p.log.Info("ready again: the configurations can be read", "bucket", p.opts.ConfigBucket)
	}
}

// ended reports whether the probe has its answer.
func (pr *probe) ended() bool {
	select {
	case <-pr.done:
		return true
	default:
		return false
	}
}

// requestInfo is what ServeHTTP learns of a request, for the handlers and
// the log line, with the ResponseWriter it answers through.
type requestInfo struct {
	// rec records the response for the log line and the Observer.
	rec  reqlog.Recorder
	addr s3route.Address
	// query is the request's query, nil for a preflight, which is
	// answered without a look at it.
	query       url.Values
	op          string
	subresource string
	// lookupErr is the error of the bucket's configuration look-up.
	lookupErr error
	// stale is set when the configuration applied could not be
	// revalidated.
	stale bool
	// cancel ends the request to the upstream, when one is made.
	cancel context.CancelFunc
	// body is the request's body, when one is passed through.
	body *clientBody
	// bodyRead is set when the proxy read the body whole before passing
	// it on (a DeleteObjects, see checkDeleteKeys).
	bodyRead bool
	// clientGone is set when the client left before the upstream
	// answered.
	clientGone bool
	// answered is set once the upstream's final answer is in, before its
	// header is copied to the client's (see forwardWriter).
	answered bool
	// newBucket is set when a CreateBucket names a bucket the upstream
	// said, just before, it does not have (see Proxy.forward).
	newBucket bool
	// watched is set when someone watched the inspector as the request
	// came.
	watched bool
	// resolved is set once resolve has looked the bucket up, target then
	// being what CORS evaluated the request against: the inspector shows
	// it, and GetBucketCors answers from it rather than looking up again.
	resolved bool
	target   bucket.Target
	// creds are the key pairs authenticate checked the request against,
	// nil before.
	creds *keySet
}

// status is the status of the answer, as the log and the inspector give
// it: the one sent, or statusClientGone when the client left before the
// upstream answered.
func (info *requestInfo) status() int {
	if info.clientGone && !info.rec.WroteHeader {
		return statusClientGone
	}
	return info.rec.Status
}

type infoKey struct{}

// serverName is the value of the Server header S3 sends, shared by every
// answer of the proxy's own: net/http and the proxy only replace header
// values.
var serverName = []string{"AmazonS3"}

// infoOf returns the requestInfo ServeHTTP put in r's context, or a
// blank one for a request that did not come through ServeHTTP, so that
// handlers need not check.
func infoOf(r *http.Request) *requestInfo {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// These name, in the log and to the Observer, what S3 names no
// operation (see Observer.Request).
const (
	opPreflight        = "Preflight"
	opServicePreflight = "ServicePreflight"
	opHostNotAllowed   = "HostNotAllowed"
	opConfigBucket     = "ConfigBucket"
)

// ServeHTTP answers r: see the package documentation.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := &requestInfo{rec: reqlog.NewRecorder(w)}
	rec := &info.rec
	// What the proxy answers itself it answers as S3, as s3server does;
	// forward takes this out for what the upstream answers.
	rec.Header()["Server"] = serverName
	defer p.finish(r, info, start)
	if r.ContentLength != 0 {
		// net/http reads what the handler left of a small body before
		// it sends the answer, with no deadline of its own: one that
		// never comes would hold the answer and the connection for
		// good. A read of the body through clientBody sets its own
		// deadline; this one bounds net/http's, which comes after the
		// handler (or when it flushes), once forwardWriter.done has
		// lifted the deadlines of the request.
		rc := http.NewResponseController(w)
		rc.SetReadDeadline(time.Now().Add(p.opts.ClientTimeout))
		defer func() { rc.SetReadDeadline(time.Now().Add(p.opts.ClientTimeout)) }()
	}
	if !p.hosts.Allow(r.Host) {
		// Before CORS and authentication, as in s3server.
		info.op = opHostNotAllowed
		p.writeError(rec, r, s3route.HostNotAllowed(r.Host, "proxy"))
		return
	}
	info.addr = p.router.Address(r.Host, r.URL.Path)
	if info.addr.Style == s3route.VirtualHosted && endsInDot(r.Host) {
		// "photos.localhost." is photos here, and at a store that does
		// not drop the final dot, a path-style request for the bucket
		// the path names: it would get photos's CORS, and could reach
		// Options.ConfigBucket. The Host cannot be rewritten, since
		// signatures cover it.
		info.op = opHostNotAllowed
		p.writeError(rec, r, errHostFinalDot(r.Host))
		return
	}
	info.watched = p.inspector != nil && p.inspector.Watching()
	if r.Method == http.MethodOptions {
		info.op = opPreflight
		s3err.RequestIDs(rec.Header())
	} else {
		info.query = sigv.ParseQuery(r.URL.RawQuery)
		op, sub := s3route.Classify(r.Method, info.addr, info.query, r.Header)
		info.op, info.subresource = string(op), sub
	}
	if p.reachesConfigBucket(r, info.addr, info.query) {
		info.op = opConfigBucket
		p.writeError(rec, r, s3err.AccessDenied())
		return
	}
	ctx := context.WithValue(r.Context(), infoKey{}, info)
	if r.Method != http.MethodOptions {
		// A request that may go to the upstream can be ended early:
		// when its answer's body pauses too long (idleBody).
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		info.cancel = cancel
	}
	p.handler.ServeHTTP(rec, r.WithContext(ctx))
}

// finish ends ServeHTTP's request, started at start, as ServeHTTP's
// deferred call, so that it sees a panic: one is logged and answered
// InternalError, unless the answer has begun; the request is logged and
// shown to the inspector; and an [http.ErrAbortHandler] goes on up to
// net/http, which drops the connection.
func (p *Proxy) finish(r *http.Request, info *requestInfo, start time.Time) {
	v := recover()
	if v != nil && v != http.ErrAbortHandler {
		p.log.Error("panic serving a request", "method", r.Method, "path", r.URL.EscapedPath(), "panic", fmt.Sprint(v))
		if !info.rec.WroteHeader {
			p.writeError(&info.rec, r, s3err.InternalError())
		}
	}
	// A client gone before the upstream answered is logged as such
	// (statusClientGone), not as an answer cut off.
	p.logRequest(r, info, start, v == http.ErrAbortHandler && !info.clientGone)
	p.inspect(r, info)
	if v == http.ErrAbortHandler {
		panic(v)
	}
}

// endsInDot reports whether the name in Host header host, its port left
// out, ends in ".".
func endsInDot(host string) bool {
	if name, _, err := net.SplitHostPort(host); err == nil {
		host = name
	}
	return strings.HasSuffix(host, ".")
}

// resolve tells the CORS middleware what r addresses.
func (p *Proxy) resolve(r *http.Request) (bucket.Target, bool) {
	info := infoOf(r)
	if info.addr.Bucket == "" {
		return bucket.Target{}, false // the service: never CORS (spec §3.4)
	}
	t, stale, err := p.cache.lookup(r.Context(), info.addr.Bucket)
	if err != nil {
		info.lookupErr = err
		return bucket.Target{}, false
	}
	info.stale = stale
	t.Object = info.addr.Key != ""
	info.resolved, info.target = true, t
	return t, true
}

// serve answers what the CORS middleware passes on.
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	info := infoOf(r)
	if err := s3route.ConflictingError(info.query); err != nil {
		// S3 refuses such a query before anything else, as s3server
		// does: the proxy must not take PUT ?cors&tagging for a
		// PutBucketCors, nor pass ?acl&cors to an upstream that may
		// answer it from CORS of its own.
		p.writeError(w, r, err)
		return
	}
	if err := s3route.BucketPathError(r.Method, info.addr, info.query, info.subresource); err != nil {
		// A version or a part of an object at a bucket's path, which S3
		// refuses next, as s3server does: the proxy must not take
		// DELETE /b?cors&versionId=x for a DeleteBucketCors, nor pass
		// DELETE /b?versionId=x to an upstream that may take it for a
		// DeleteBucket.
		p.writeError(w, r, err)
		return
	}
	switch {
	case info.lookupErr != nil:
		p.writeError(w, r, lookupError(info.lookupErr))
	case r.Method == http.MethodOptions:
		// The middleware answers every preflight on a bucket; those left
		// address the service, which S3 never makes CORS-enabled: 403,
		// as s3server answers.
		info.op = opServicePreflight
		p.writeError(w, r, s3err.AccessDenied())
	case info.op == string(s3route.PutBucketCors):
		p.putBucketCors(w, r, info)
	case info.op == string(s3route.GetBucketCors):
		p.getBucketCors(w, r, info)
	case info.op == string(s3route.DeleteBucketCors):
		p.deleteBucketCors(w, r, info)
	default:
		p.forward(w, r, info)
	}
}

// reachesConfigBucket reports whether r, whose query is query (nil for a
// preflight), could reach the config bucket at the upstream, however the
// upstream reads it: by the address the proxy reads, by a host that
// names it in front of a domain the proxy does not know, by a path whose
// first segment names it (a virtual-hosted request's key too, which a
// store that does not serve the domain reads as path style), by a path
// the upstream cleans (/x/../s3cors-config/k), as the source of a copy, or by
// a bucket query parameter, which versitygw's admin API, served on its
// S3 port, takes the bucket from (PATCH
// /change-bucket-owner?bucket=NAME&owner=USER). The keys of a
// DeleteObjects are checked once its body is read (checkDeleteKeys).
func (p *Proxy) reachesConfigBucket(r *http.Request, a s3route.Address, query url.Values) bool {
	cb := p.opts.ConfigBucket
	if strings.EqualFold(a.Bucket, cb) || strings.HasPrefix(s3route.HostName(r.Host), cb+".") ||
		strings.EqualFold(firstSegment(r.URL.Path), cb) {
		return true
	}
	for _, name := range query["bucket"] {
		// No S3 operation has a bucket parameter: a map look-up, most
		// often in an empty map, is all other requests pay.
		if strings.EqualFold(firstSegment(name), cb) {
			return true
		}
	}
	for _, src := range r.Header["X-Amz-Copy-Source"] {
		if u, err := url.PathUnescape(src); err == nil {
			src = u
		}
		if strings.EqualFold(firstSegment(src), cb) {
			return true
		}
	}
	return false
}

// firstSegment returns the first segment of p once cleaned as a server
// might clean it: backslashes taken for slashes, empty and dot segments
// removed.
func firstSegment(p string) string {
	p = path.Clean("/" + strings.ReplaceAll(p, `\`, "/"))
	seg, _, _ := strings.Cut(p[1:], "/")
	return seg
}
