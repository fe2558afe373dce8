package s3server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/internal/reqlog"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server/internal/storage"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Options configure a Server. The zero Options is not usable: set DataDir
// or InMemory.
type Options struct {
	// DataDir is the directory the server keeps its state in. It is made
	// if missing. Only one server may use a directory at a time: New
	// refuses one that another server holds.
	DataDir string
	// InMemory keeps everything in memory instead; DataDir is then
	// ignored.
	InMemory bool

	// AccessKey and SecretKey, when both set, make the server verify AWS
	// Signature Version 4 or 2 on every request but OPTIONS, and allow
	// unsigned requests only as the bucket's canned ACL does. When both
	// are empty every request is allowed and signatures are not looked at.
	// A session token (x-amz-security-token) is signed but not checked,
	// so that clients with temporary credentials work: see the package
	// documentation, Authentication. New refuses an access key holding
	// "/", "," or a control character, which the Credential of a
	// Signature Version 4 Authorization header cannot carry.
	AccessKey, SecretKey string
	// Region is the region signatures are scoped to and buckets are made
	// in; "" means us-east-1. It is a name the AWS SDKs take for a region
	// (letters, digits and hyphens, in labels separated by dots): New
	// refuses another. Signature Version 2 is taken only where S3 took
	// it, in us-east-1 and the other regions launched before 2014, and
	// is answered elsewhere as S3 answers it, 400 InvalidRequest.
	Region string
	// AccountID is the AWS account ID of the server's one account, which
	// owns every bucket: a request whose x-amz-expected-bucket-owner (or,
	// for a copy's source, x-amz-source-expected-bucket-owner) names
	// another is answered 403 AccessDenied, as S3 answers it. It is 12
	// digits; "" means [DefaultAccountID]. New refuses another value.
	AccountID string

	// Logger, when set, gets one line per request and the warnings of
	// loading the data directory.
	Logger *slog.Logger

	// VaryOrigin and Fallback are passed to the [bucket.Middleware]: see
	// there. Both deviate from S3 and are off by default.
	VaryOrigin bool
	Fallback   *bucket.Config

	// Now returns the current time; nil means [time.Now]. Tests set it to
	// check request expiry.
	Now func() time.Time

	// AllowedHosts, when not empty, are the host names the server answers
	// to, as Django's ALLOWED_HOSTS: a request whose Host header names
	// another (the port and a final dot ignored, compared without regard
	// to case) is answered 400 InvalidArgument before anything else runs,
	// OPTIONS included, so that a web page cannot reach a loopback
	// endpoint through DNS rebinding. "*" allows every host; IPv6
	// addresses are written with or without brackets. Empty means no
	// check; New refuses an entry that is not "*", a host name or an IP
	// address, with or without a port. CORS decides which pages may read
	// the answers; this decides which names the server answers to.
	// Domains and their subdomains are allowed too.
	AllowedHosts []string

	// Domains are the names under which buckets are addressed by host,
	// as S3's virtual-hosted style does: with "localhost", a request for
	// http://photos.localhost:9000/cat.jpg addresses the key "cat.jpg" of
	// the bucket "photos", beside the path style
	// (http://localhost:9000/photos/cat.jpg), which is always served.
	// Browsers and curl resolve every name under localhost to the
	// loopback address. Empty means path style only.
	Domains []string

	// Inspector serves the CORS inspector at /_s3cors/, path style,
	// behind the AllowedHosts check: live pages that show each request
	// with an Origin, and each preflight, with the CORS headers it got and
	// why, each bucket's configuration and a form to try requests, and the
	// same events as JSON. It costs a request nothing while no one looks
	// at it. Its live streams last as long as the page: end them with
	// [Server.CloseInspector] before shutting the [http.Server] down. Off
	// by default; s3cors serve turns it on.
	Inspector bool

	// MaxObjectSize is the largest object one PutObject or POST form
	// takes, in bytes; a larger one is answered as S3 answers one over
	// its 5 GiB, 400 EntityTooLarge, and its log line says the limit is
	// the server's. 0 means [MaxObjectSize] (64 MiB). On disk it may be
	// up to [MaxObjectSizeLimit] (S3's 5 GiB: the body streams to a
	// file); in memory, which holds each object whole, up to
	// [MaxMemoryObjectSizeLimit] (1 GiB). New refuses another value with
	// an [*ObjectSizeError]. Multipart uploads have limits of their
	// own: see the package documentation.
	MaxObjectSize int64
}

// OptionError reports a field of [Options] that [New] cannot use, as
// s3proxy's OptionError does for its options. An [Options.MaxObjectSize]
// out of range is an [*ObjectSizeError] instead.
type OptionError struct {
	// Option names the field, as Options spells it: "AccessKey",
	// "SecretKey", "Region", "AllowedHosts", "AccountID", "Domains" or
	// "DataDir".
	Option string
	// Reason says what is wrong with the value, naming it.
	Reason string
}

// Error returns "s3server: Option: Reason".
func (e *OptionError) Error() string { return "s3server: " + e.Option + ": " + e.Reason }

// ObjectSizeError is the error [New] returns for an [Options.MaxObjectSize]
// out of range: negative, or over Max, the limit for where the server
// keeps its objects.
type ObjectSizeError struct {
	// Size is the MaxObjectSize given; Max is the largest New takes
	// where the server keeps its objects: [MaxMemoryObjectSizeLimit]
	// when InMemory, else [MaxObjectSizeLimit].
	Size, Max int64
	InMemory  bool
}

// Error says that the size is out of range, and what the range is.
func (e *ObjectSizeError) Error() string {
	where := "on disk (S3's limit for one PUT)"
	if e.InMemory {
		where = "in memory"
	}
	return fmt.Sprintf("s3server: MaxObjectSize %d is out of range: 1 to %d bytes %s, or 0 for the default", e.Size, e.Max, where)
}

// Server is an S3 endpoint. It implements [http.Handler]; see the package
// documentation for what it serves. It is safe for concurrent use: its
// methods may be called while it serves requests, but [Server.Close],
// which is called once the [http.Server] has stopped. The zero Server
// has no storage and panics when used: make one with [New].
type Server struct {
	opts     Options
	store    storage.Storage
	handler  http.Handler
	verifier *sigv.Verifier // nil when the server checks no signature
	router   *s3route.Router
	// inspector is nil when Options.Inspector is off.
	inspector *inspect.Inspector

	// hosts are the AllowedHosts, Domains and the names under them.
	hosts *s3route.Hosts

	// mu guards buckets, creating and closed: held exclusively only to
	// add a bucket to the index or to delete one (a rename), never while
	// a bucket's files are synced or removed. What is in a bucket has a
	// lock of its own.
	mu      sync.RWMutex
	buckets map[string]*bucketState
	// creating are the names of the buckets being made, each with a
	// channel closed once it is made or has failed (see newBucket).
	creating map[string]chan struct{}
	closed   bool
	// keys order the changes to each name of a bucket.
	keys *keyLocks
	// bodies is the budget of the DeleteObjects and
	// CompleteMultipartUpload bodies the server holds at once:
	// bodyBudget. Each must come whole within bodyDeadline (a field, so
	// that tests can shorten it).
	bodies       *checksum.Budget
	bodyDeadline time.Duration
}

// New returns a Server with the state found in opts.DataDir, or an empty
// one in memory. Every CORS configuration found is compiled again with
// [bucket.New].
func New(opts Options) (*Server, error) {
	if err := settleOptions(&opts); err != nil {
		return nil, err
	}
	router, err := s3route.New(opts.Domains)
	if err != nil {
		return nil, &OptionError{"Domains", strings.TrimPrefix(err.Error(), "s3route: ")}
	}
	s := &Server{opts: opts, buckets: make(map[string]*bucketState), creating: make(map[string]chan struct{}), hosts: s3route.NewHosts(opts.AllowedHosts, router), router: router, keys: newKeyLocks(), bodies: checksum.NewBudget(bodyBudget), bodyDeadline: bodyDeadline}
	if opts.AccessKey != "" {
		v, err := sigv.New(sigv.Options{AccessKey: opts.AccessKey, SecretKey: opts.SecretKey, Region: opts.Region, Now: opts.Now})
		if err != nil {
			return nil, fmt.Errorf("s3server: %w", err)
		}
		s.verifier = v
	}
	if s.store, err = openStore(opts); err != nil {
		return nil, err
	}
	if err := s.load(context.Background()); err != nil {
		s.store.Close()
		return nil, fmt.Errorf("s3server: loading %s: %w", opts.DataDir, err)
	}
	if opts.Inspector {
		s.inspector = s.newInspector()
	}
	mw := &bucket.Middleware{Resolve: s.resolve, VaryOrigin: opts.VaryOrigin, Fallback: opts.Fallback}
	s.handler = mw.Wrap(http.HandlerFunc(s.serveS3))
	return s, nil
}

// settleOptions checks the fields of opts and fills in the defaults of
// those left zero (Region, AccountID, MaxObjectSize, Now), a field with
// a default being checked once it is filled. It returns the first field
// it cannot use, in the order below, as an [*OptionError], or an
// [*ObjectSizeError] for MaxObjectSize.
func settleOptions(opts *Options) error {
	switch {
	case opts.AccessKey != "" && opts.SecretKey == "":
		return &OptionError{"SecretKey", "is empty while AccessKey is set: set both, or neither"}
	case opts.AccessKey == "" && opts.SecretKey != "":
		return &OptionError{"AccessKey", "is empty while SecretKey is set: set both, or neither"}
	}
	if err := sigv.CheckAccessKey(opts.AccessKey); err != nil {
		return &OptionError{"AccessKey", strings.TrimPrefix(err.Error(), "sigv: ")}
	}
	if opts.Region == "" {
		opts.Region = defaultRegion
	}
	if err := sigv.CheckRegion(opts.Region); err != nil {
		return &OptionError{"Region", strings.TrimPrefix(err.Error(), "sigv: ")}
	}
	if err := s3route.CheckAllowedHosts(opts.AllowedHosts); err != nil {
		return &OptionError{"AllowedHosts", strings.TrimPrefix(err.Error(), "s3route: ")}
	}
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if !ValidAccountID(opts.AccountID) {
		return &OptionError{"AccountID", strconv.Quote(opts.AccountID) + " is not an AWS account ID: 12 digits, such as " + DefaultAccountID}
	}
	if !opts.InMemory && opts.DataDir == "" {
		return &OptionError{"DataDir", "is empty and InMemory is off: set one of them"}
	}
	if max := ObjectSizeLimit(opts.InMemory); opts.MaxObjectSize < 0 || opts.MaxObjectSize > max {
		return &ObjectSizeError{Size: opts.MaxObjectSize, Max: max, InMemory: opts.InMemory}
	}
	if opts.MaxObjectSize == 0 {
		opts.MaxObjectSize = MaxObjectSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return nil
}

// openStore opens the storage opts asks for: in memory, or the one in
// opts.DataDir, with what it finds there.
func openStore(opts Options) (storage.Storage, error) {
	if opts.InMemory {
		return storage.NewMemory(), nil
	}
	d, err := storage.OpenDisk(opts.DataDir, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("s3server: %w", err)
	}
	return d, nil
}

const defaultRegion = "us-east-1"

// ObjectSizeLimit is the largest Options.MaxObjectSize, in memory or on
// disk: [MaxMemoryObjectSizeLimit] or [MaxObjectSizeLimit].
func ObjectSizeLimit(inMemory bool) int64 {
	if inMemory {
		return MaxMemoryObjectSizeLimit
	}
	return MaxObjectSizeLimit
}

// load rebuilds the index from the storage at start. An unknown ACL is
// read as private; a stored CORS document that no longer parses fails
// the start, naming the bucket, rather than serve without it.
func (s *Server) load(ctx context.Context) error {
	stored, err := s.store.Load(ctx)
	if err != nil {
		return err
	}
	for _, sb := range stored {
		b := newBucketState(sb.Name, sb.Record.Created, sb.Record.ACL)
		if !validACL(b.acl) {
			b.acl = aclPrivate
		}
		for _, m := range sb.Objects {
			b.objects[m.Key] = newObject(m)
		}
		for _, u := range sb.Uploads {
			b.uploads[u.Upload.ID] = newUploadState(u.Upload, u.Parts)
		}
		b.leftUploads = sb.LeftUploads
		if sb.CORS != nil {
			doc, err := xmlconfig.Unmarshal(sb.CORS)
			if err != nil {
				return fmt.Errorf("bucket %s: %s: %w", sb.Name, storage.CORSFile, err)
			}
			cfg, err := bucket.New(doc.Rules)
			if err != nil {
				return fmt.Errorf("bucket %s: %s: %w", sb.Name, storage.CORSFile, err)
			}
			b.cors.Store(cfg)
		}
		s.buckets[sb.Name] = b
	}
	return nil
}

// Close releases the data directory. Requests still being served may
// fail; stop the [http.Server] first.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.store.Close()
}

// ServeHTTP answers r as S3 would: see the package documentation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.servesInspector(r) {
		s.inspector.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	lw := &logWriter{Recorder: reqlog.NewRecorder(w)}
	info := &lw.info
	h := w.Header()
	s3err.RequestIDs(h)
	h["Server"] = serverName
	if !s.hosts.Allow(r.Host) {
		// Before CORS and authentication: a name the server does not
		// answer to gets nothing else, a preflight included.
		info.op = opHostNotAllowed
		s.writeError(lw, r, s3route.HostNotAllowed(r.Host, "serve"))
		s.logRequest(r, lw, info, start)
		return
	}
	info.addr = s.router.Address(r.Host, r.URL.Path)
	if r.Method != http.MethodOptions {
		// A preflight is answered by the CORS middleware without a look
		// at the query.
		if r.URL.RawQuery != "" {
			info.query = sigv.ParseQuery(r.URL.RawQuery) // nil otherwise, as no one writes it
		}
		info.op, info.subresource = s3route.Classify(r.Method, info.addr, info.query, r.Header)
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logPanic(r, v)
			if !lw.WroteHeader {
				s.writeError(lw, r, s3err.InternalError())
			}
		}
		s.logRequest(r, lw, info, start)
		s.inspect(r, lw, info)
	}()
	if info.watched = s.inspector != nil && s.inspector.Watching(); info.watched {
		// The inspector shows what the CORS middleware evaluated the
		// request against, which resolve records in the request's info:
		// the middleware hands resolve the request only.
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
	}
	s.handler.ServeHTTP(lw, r)
}

// infoKey is the context key of a request's info while the inspector is
// watching.
type infoKey struct{}

// serverName is the value of the Server header S3 sends, shared by every
// answer: net/http and the server only replace header values.
var serverName = []string{"AmazonS3"}

// requestInfo is what ServeHTTP reads from a request before the CORS
// middleware runs, for the handlers and the log: its address, query and
// operation. It travels with the
// ResponseWriter ServeHTTP wraps, which the middleware passes on as it
// is, rather than in a copy of the request with a new context, which
// would cost two allocations per request.
type requestInfo struct {
	addr        s3route.Address
	query       url.Values
	op          s3route.Operation
	subresource string
	// target is what the CORS middleware evaluated the request against,
	// recorded for the inspector when watched, that is when someone
	// watched the inspector as the request came.
	target  bucket.Target
	watched bool
	// note, when not "", is added to the request's log line: why an
	// answer that looks like S3's came from the endpoint's own limits.
	note string
}

// infoOf returns the requestInfo ServeHTTP made for the request w
// answers.
func infoOf(w http.ResponseWriter) *requestInfo {
	if lw, ok := w.(*logWriter); ok {
		return &lw.info
	}
	return &requestInfo{} // a request that did not come through ServeHTTP
}

// logWriter is the ResponseWriter ServeHTTP answers through: it records
// the response for the log line, and carries the request's requestInfo.
type logWriter struct {
	reqlog.Recorder
	info requestInfo
}

// logRequest logs the request's line, at warn when it was answered with
// an error.
func (s *Server) logRequest(r *http.Request, w *logWriter, info *requestInfo, start time.Time) {
	if s.opts.Logger == nil {
		return
	}
	level := slog.LevelInfo
	if w.ErrorCode != "" {
		level = slog.LevelWarn
	}
	op := string(info.op)
	switch {
	case op != "":
	case r.Method == http.MethodOptions:
		op = "Preflight"
	default:
		op = opMethodNotAllowed
	}
	requestID, _ := s3err.RequestIDs(w.Header())
	line := reqlog.Line{Op: op, Start: start, RequestID: requestID, Subresource: info.subresource}
	if info.addr.Style == s3route.VirtualHosted {
		line.Bucket = info.addr.Bucket
	}
	if info.note != "" {
		w.Log(r.Context(), s.opts.Logger.Handler(), level, r, line, slog.String("note", info.note))
		return
	}
	w.Log(r.Context(), s.opts.Logger.Handler(), level, r, line)
}

func (s *Server) logWarn(msg string, args ...any) {
	if s.opts.Logger != nil {
		s.opts.Logger.Warn(msg, args...)
	}
}

func (s *Server) logPanic(r *http.Request, v any) {
	if s.opts.Logger != nil {
		s.opts.Logger.Error("panic serving a request", "method", r.Method, "path", r.URL.EscapedPath(), "panic", fmt.Sprint(v))
	}
}

// writeError sends err as S3 sends errors. An error that is not an S3
// error is logged and answered with InternalError.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok {
		if s.opts.Logger != nil {
			s.opts.Logger.Error("internal error", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
		}
		e = s3err.InternalError()
	}
	if lw, ok := w.(*logWriter); ok {
		lw.ErrorCode = e.Code
	}
	// S3 sends no Resource element with the errors captured from it (spec
	// §1.2, §2, §3.1), so none is sent here.
	e.WriteResponse(w)
}

// What the log calls a request it can name no S3 operation of, by
// what was done with it.
const (
	// opHostNotAllowed is a request refused for its Host.
	opHostNotAllowed = "HostNotAllowed"
	// opMethodNotAllowed is a request S3 has no operation for (a PATCH,
	// a POST at a key), which is refused 405 MethodNotAllowed unless a
	// check that comes first refuses it.
	opMethodNotAllowed = "MethodNotAllowed"
	// opConflicting is a request refused because its query names more
	// than one subresource; the line's subresource lists them.
	opConflicting = "ConflictingSubresources"
)

// resolve tells the CORS middleware what r addresses (as ServeHTTP found
// it: the middleware has no way to hand over what ServeHTTP found).
func (s *Server) resolve(r *http.Request) (bucket.Target, bool) {
	a := s.router.Address(r.Host, r.URL.Path)
	name, key := a.Bucket, a.Key
	if name == "" {
		return bucket.Target{}, false // ListBuckets: never CORS (spec §3.4)
	}
	t := bucket.Target{NoBucket: true, Object: key != ""}
	if b := s.lookup(name); b != nil {
		t = bucket.Target{Config: b.cors.Load(), Object: key != ""}
	}
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		info.target = t
	}
	return t, true
}

// lookup returns the bucket name, or nil; the index lock is held only
// for the look-up, so the bucket may be deleted by the time it is used.
func (s *Server) lookup(name string) *bucketState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.buckets[name]
}

// BucketNames returns the names of the buckets, sorted.
func (s *Server) BucketNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sortedBucketNames()
}

// bucketChange is a change to a bucket, as [Server.change] makes it.
type bucketChange struct {
	// names are those whose locks order the change (keyLocks).
	names []string
	// check, when not nil, refuses the change if the index is no longer
	// as the request found it; it runs with the index locked, shared.
	check func() error
	// commit makes the change visible in the storage.
	commit func() (storage.Pending, error)
	// apply makes it in the index, locked.
	apply func()
}

// change makes c in bucket b, in the storage and the index together, and
// answers once it is durable. With the locks of c's names held, check
// looks at the index, commit makes the change visible in the storage (a
// rename), then apply makes it in the index: a name's changes reach both
// in the same order, while other names' changes go on. Then, the locks
// released, change waits until the storage has made the change durable,
// sharing the sync of its directory with the changes made there
// meanwhile, so that the request is answered only once the change would
// survive a crash. It answers NoSuchBucket when b was deleted meanwhile.
func (s *Server) change(b *bucketState, c bucketChange) error {
	p, err := s.makeChange(b, c)
	if werr := p.Wait(); err == nil {
		err = werr
	}
	return err
}

// makeChange is change without the wait for durability: the Pending it
// returns must be waited on, whatever the error.
func (s *Server) makeChange(b *bucketState, c bucketChange) (storage.Pending, error) {
	unlock := s.keys.lock(b.name, c.names)
	defer unlock()
	b.mu.RLock()
	err := b.gone()
	if err == nil && c.check != nil {
		err = c.check()
	}
	var left []string
	for _, name := range c.names {
		if _, ok := b.leftUploads[name]; ok {
			left = append(left, name)
		}
	}
	b.mu.RUnlock()
	if err == nil && left != nil {
		err = s.removeLeftUploads(b, left)
	}
	if err != nil {
		return storage.Pending{}, err
	}
	p, err := c.commit()
	b.mu.Lock()
	defer b.mu.Unlock()
	if gone := b.gone(); gone != nil {
		return p, gone // made, or not, in a bucket on its way out
	}
	if err != nil {
		return p, err
	}
	c.apply()
	return p, nil
}

// removeLeftUploads removes, durably, the uploads completed into the
// objects of keys and still in the storage, with the keys' locks held: a
// change to a key may replace or delete its object, and with it the
// object's UploadID, after which a start would load the upload again as
// in progress. The change fails while a removal does.
func (s *Server) removeLeftUploads(b *bucketState, keys []string) error {
	for _, key := range keys {
		b.mu.RLock()
		ids := slices.Clone(b.leftUploads[key])
		b.mu.RUnlock()
		for _, id := range ids {
			p, err := s.store.DeleteUpload(context.Background(), b.name, id)
			if werr := p.Wait(); err == nil {
				err = werr
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				s.logWarn("could not remove a completed upload", "bucket", b.name, "upload", id, "err", err)
				return err
			}
			b.mu.Lock()
			b.leftUploads[key] = slices.DeleteFunc(b.leftUploads[key], func(s string) bool { return s == id })
			if len(b.leftUploads[key]) == 0 {
				delete(b.leftUploads, key)
			}
			b.mu.Unlock()
		}
	}
	return nil
}

// commit is change for a change to name that the storage prepared,
// dropped if it is not made.
func (s *Server) commit(ctx context.Context, b *bucketState, name string, c storage.Change, apply func()) error {
	defer c.Discard()
	return s.change(b, bucketChange{names: []string{name}, commit: func() (storage.Pending, error) { return c.Commit(ctx) }, apply: apply})
}

// changeConfig makes a change to b's configuration: stage prepares it in
// the storage, apply makes it in the index. It holds b.config throughout,
// the wait for durability included (the sync of the bucket's directory
// is by its path too), so that the change is made wholly before a
// DeleteBucket or not at all, answering NoSuchBucket.
func (s *Server) changeConfig(ctx context.Context, b *bucketState, stage func() (storage.Change, error), apply func()) error {
	b.config.Lock()
	defer b.config.Unlock()
	if b.isDeleted() {
		return s3err.NoSuchBucket(b.name)
	}
	c, err := stage()
	if err != nil {
		return err
	}
	return s.commit(ctx, b, configName, c, apply)
}

// errClosed is returned for changes attempted after Close.
var errClosed = errors.New("s3server: the server is closed")

// now returns the time stamps the server stores: in UTC, to the second,
// as S3's HTTP dates carry them.
func (s *Server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }

// sortedBucketNames returns the bucket names, sorted. s.mu must be held.
func (s *Server) sortedBucketNames() []string {
	names := make([]string, 0, len(s.buckets))
	for name := range s.buckets {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
