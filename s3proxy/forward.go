package s3proxy

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// maxDialTimeout bounds the dial and the TLS handshake to the upstream.
const maxDialTimeout = 10 * time.Second

// maxAnswerHeaderBytes bounds the header section of an upstream's answer,
// which net/http would otherwise take up to 10 MB of, held for each
// request in flight. S3's answers hold a few kilobytes: user metadata is
// at most 2 KB. Past it, the request gets S3's 503.
const maxAnswerHeaderBytes = 64 << 10

// newTransport returns the transport to the upstream: keep-alive
// connections enough for many clients, no compression (bodies pass
// through as they are; the Accept-Encoding a client sends goes through),
// bounded dial, handshake, wait for and size of answer headers,
// connections that fail a write the upstream leaves unread for timeout,
// and an answer the upstream sends before it resets the connection
// returned rather than the failed write of the body (see upstreamConn).
func newTransport(timeout time.Duration) *http.Transport {
	dialer := upstreamDialer(timeout)
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return newUpstreamConn(c, timeout), nil
		},
		TLSHandshakeTimeout:    min(timeout, maxDialTimeout),
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: maxAnswerHeaderBytes,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           maxIdleConns,
		MaxIdleConnsPerHost:    maxIdleConns,
		IdleConnTimeout:        idleConnTimeout,
		DisableCompression:     true,
		ForceAttemptHTTP2:      true,
	}
}

// upstreamDialer returns the dialer of the connections to the upstream.
func upstreamDialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: min(timeout, maxDialTimeout), KeepAlive: 30 * time.Second}
}

// upstreamConn is a connection to the upstream. It fails a write that
// the peer leaves unread for idle. A write that fails otherwise returns
// its error only once the connection is closed, or after idle. A store
// that refuses an upload before reading its body (versitygw: anonymous,
// no such bucket or upload, an expired URL) answers at once and closes,
// and its system resets the connection on the body that keeps coming:
// the write of the body fails with "connection reset by peer" while the
// answer is there to read, and http.Transport's round trip returns
// whichever of the two reaches it first (persistConn.roundTrip selects
// on both; golang.org/issue/11745, golang.org/issue/51109). It was the
// error about half of the time, which the client got as 503
// ServiceUnavailable, the status SDKs retry by sending the whole body
// again, in place of the store's 403 or 404. Held back, the error
// cannot win: the transport reads the answer and returns it, then
// closes the connection once the answer's body is read; without an
// answer its read fails too, and it closes the connection at once,
// which ends the wait. Only a write that failed waits: requests that
// succeed pay nothing. Sending the upstream Expect: 100-continue would
// not do: versitygw (fasthttp) asks for the body before its handler
// sees the request, and resets the connection as without it.
type upstreamConn struct {
	net.Conn
	idle      time.Duration
	closed    chan struct{}
	closeOnce sync.Once
}

func newUpstreamConn(c net.Conn, idle time.Duration) *upstreamConn {
	return &upstreamConn{Conn: c, idle: idle, closed: make(chan struct{})}
}

// Write bounds each write by idle and, when the peer is gone, waits for
// the connection to be closed (at most idle) before failing, so that the
// transport reads the store's answer rather than report the reset.
func (c *upstreamConn) Write(p []byte) (int, error) {
	c.SetWriteDeadline(time.Now().Add(c.idle))
	n, err := c.Conn.Write(p)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, net.ErrClosed) {
		// The peer is gone; give the transport its answer first.
		t := time.NewTimer(c.idle)
		select {
		case <-c.closed:
		case <-t.C:
		}
		t.Stop()
	}
	return n, err
}

func (c *upstreamConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// forwardingHeaders are the headers httputil.ReverseProxy removes from a
// request before Rewrite; the proxy puts them back as the client sent
// them, since a signature may cover them.
var forwardingHeaders = []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"}

// copyBuffers are the buffers bodies are copied through.
var copyBuffers = &bufferPool{sync.Pool{New: func() any { return new([64 << 10]byte) }}}

type bufferPool struct{ pool sync.Pool }

func (b *bufferPool) Get() []byte  { return b.pool.Get().(*[64 << 10]byte)[:] }
func (b *bufferPool) Put(p []byte) { b.pool.Put((*[64 << 10]byte)(p)) }

// reverseProxy returns the httputil.ReverseProxy requests are passed
// through with: the target, Host, query and (where it can) path go out
// exactly as the client sent them, since a signature covers them, and so
// do the forwarding headers ReverseProxy would drop.
func (p *Proxy) reverseProxy(transport http.RoundTripper) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			out := pr.Out
			out.URL.Scheme, out.URL.Host = p.upstream.Scheme, p.upstream.Host
			out.URL.RawQuery = pr.In.URL.RawQuery // as sent, even what Go cannot parse
			if raw := rawPath(pr.In); raw != "" {
				// The path as sent, which Signature Version 2 signs:
				// net/url would escape again what the client left
				// unescaped ("^", '"', UTF-8). Sent as it is, it also
				// spares working out the escaped form of every path.
				out.URL.Opaque = raw
			}
			out.Host = pr.In.Host
			// The request's own trailer map, which net/http fills in
			// once the body is read, before the transport sends it:
			// Out's is a copy made before, with the names alone.
			out.Trailer = pr.In.Trailer
			for _, name := range forwardingHeaders {
				if v, ok := pr.In.Header[name]; ok {
					out.Header[name] = v
				}
			}
			restoreSignedHopHeaders(pr.In, out)
		},
		Transport:      &timedTransport{next: transport, obs: p.obs},
		BufferPool:     copyBuffers,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.forwardError,
		ErrorLog:       slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
	}
}

// restoreSignedHopHeaders puts back in out the headers of in that
// httputil.ReverseProxy removed as hop-by-hop (Connection, Keep-Alive,
// Proxy-Connection, Proxy-Authorization, those Connection names) when
// in's Signature Version 4 signs them: the store computes the signature
// over the headers it gets, and answered 403 SignatureDoesNotMatch to a
// request it takes sent directly, such as curl --aws-sigv4's with -H
// "Connection: close". Left out: Transfer-Encoding and Trailer, which
// the transport writes for the body it sends; Te and Upgrade, which
// ReverseProxy sets itself; and a Connection other than one "close" or
// "keep-alive", which the HTTP/2 transport refuses to send (a 503 in
// place of the store's 403).
func restoreSignedHopHeaders(in, out *http.Request) {
	signed, looked := "", false
	for name, v := range in.Header {
		if _, kept := out.Header[name]; kept {
			continue
		}
		switch name {
		case "Transfer-Encoding", "Trailer", "Te", "Upgrade":
			continue
		case "Connection":
			if !onlyCloseOrKeepAlive(v) {
				continue
			}
		}
		if !looked {
			signed, looked = signedHeaderNames(in), true
		}
		if signsHeader(signed, name) {
			out.Header[name] = v
		}
	}
}

// signedHeaderNames returns the names, separated by ";", that r's
// Signature Version 4 (or 4A) signs: the SignedHeaders of its
// Authorization header, or its X-Amz-SignedHeaders query parameter; ""
// for a request signed otherwise or not at all.
func signedHeaderNames(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "AWS4-") {
		_, rest, ok := strings.Cut(auth, "SignedHeaders=")
		if !ok {
			return ""
		}
		names, _, _ := strings.Cut(rest, ",")
		return strings.TrimSpace(names)
	}
	for part := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if value, ok := strings.CutPrefix(part, "X-Amz-SignedHeaders="); ok {
			names, err := url.QueryUnescape(value)
			if err != nil {
				return ""
			}
			return names
		}
	}
	return ""
}

// signsHeader reports whether signed, names separated by ";" as
// signedHeaderNames returns them, holds name, in any case.
func signsHeader(signed, name string) bool {
	for s := range strings.SplitSeq(signed, ";") {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// onlyCloseOrKeepAlive reports whether the Connection header values v
// are one value, "close" or "keep-alive": what the HTTP/2 transport
// takes (and drops), as it refuses any other (net/http's
// checkConnHeaders).
func onlyCloseOrKeepAlive(v []string) bool {
	return len(v) == 1 && (strings.EqualFold(v[0], "close") || strings.EqualFold(v[0], "keep-alive"))
}

// rawPath returns the path of r's request target as the client sent it,
// or "" when it cannot go out as the target's opaque part: the target is
// in absolute form, or its path starts with "//", which net/http would
// send as a scheme and a host. Such a path (a virtual-hosted key that
// starts with "/") then goes out as net/url escapes it, which breaks a
// Signature Version 2 made over "^", '"' or UTF-8 left unescaped. Sending
// it in absolute form (Opaque "//HOST/PATH") would not mend that: MinIO
// signs r.RequestURI, which is then "http://HOST//PATH", s3cors serve
// the path net/url escapes (internal/sigv, for a target in absolute
// form: tried, 403 still), and a store that reads the target as a path
// would lose the key, for requests that verify today (Signature Version
// 4 signs the decoded path).
func rawPath(r *http.Request) string {
	raw, _, _ := strings.Cut(r.RequestURI, "?")
	if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") {
		return ""
	}
	return raw
}

// timedTransport tells the Observer how long the upstream took to
// answer a request passed through.
type timedTransport struct {
	next http.RoundTripper
	obs  Observer
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	t.obs.Upstream(opForward, status, time.Since(start))
	return resp, err
}

// forward passes r to the upstream as it came and its answer back, with
// the CORS headers the middleware set in place of the upstream's.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	// The upstream's answer carries its own Server header, or none:
	// httputil.ReverseProxy adds the upstream's values to those in the
	// map. An answer of the proxy's own (writeError) sets it again.
	delete(w.Header(), "Server")
	fw := newForwardWriter(w, p.opts.ClientTimeout, info)
	defer fw.done()
	if r.Body != nil && r.Body != http.NoBody {
		info.body = newClientBody(r.Body, fw.rc, p.opts.ClientTimeout, p.opts.UpstreamTimeout, info.cancel)
		defer info.body.answered()
		r.Body = info.body
		if namesKeys(r, info.query) {
			// Only a DeleteObjects is read whole before it goes: its keys,
			// which a store may resolve ("../CONFIG-BUCKET/k"), are in
			// its body.
			release, err := p.checkDeleteKeys(r, info)
			defer release() // once the upstream has taken the body
			if err != nil {
				p.writeError(fw, r, err)
				return
			}
		}
	}
	if lifeOp(r.Method, info) == s3route.CreateBucket {
		// Only a bucket that did not exist starts without a configuration:
		// S3 answers 200 to its owner creating it again, and a PUT with a
		// subresource the proxy does not know, or one S3 refuses there,
		// reads as a CreateBucket (lifeOp).
		exists, err := p.store.bucketExists(r.Context(), info.addr.Bucket)
		if unanswered(err) {
			// The upstream did not answer within UpstreamTimeout:
			// forwarding the CreateBucket would make the client wait as
			// long again for the same 503.
			p.forwardError(fw, r, err)
			return
		}
		info.newBucket = err == nil && !exists
	}
	p.rp.ServeHTTP(fw, r)
}

// unanswered reports whether err is a request to the store that got no
// answer: it timed out, or the connection failed or was refused.
func unanswered(err error) bool {
	var e *errUpstream
	return errors.As(err, &e) && e.status == 0
}

// corsResponseHeader reports whether name is a CORS response header,
// which the proxy sets itself.
func corsResponseHeader(name string) bool {
	return len(name) > len("Access-Control-") && strings.EqualFold(name[:len("Access-Control-")], "Access-Control-")
}

// s3Spelling returns how S3 spells the response header name, which Go's
// client has read into canonical form, when the two differ: S3 sends
// "ETag", and every x-amz-* name in lower case (x-amz-request-id,
// x-amz-meta-*, ...), as s3cors serve does, and clients comparing
// answers byte for byte see them so. The names S3 sends most often are
// spelled from a table, without allocating.
func s3Spelling(name string) (string, bool) {
	if spelled, ok := s3Spellings[name]; ok {
		return spelled, true
	}
	if len(name) > len("X-Amz-") && name[:len("X-Amz-")] == "X-Amz-" {
		return strings.ToLower(name), true
	}
	return "", false
}

var s3Spellings = func() map[string]string {
	m := map[string]string{"Etag": "ETag"}
	for _, name := range []string{s3err.RequestIDHeader, s3err.HostIDHeader, "x-amz-server-side-encryption",
		"x-amz-version-id", "x-amz-delete-marker", "x-amz-expiration", "x-amz-checksum-type", "x-amz-checksum-crc32",
		"x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256",
		"x-amz-checksum-sha512", "x-amz-checksum-md5", "x-amz-checksum-xxhash64", "x-amz-checksum-xxhash3",
		"x-amz-checksum-xxhash128",
		"x-amz-mp-parts-count", "x-amz-tagging-count", "x-amz-storage-class", "x-amz-bucket-region"} {
		m[http.CanonicalHeaderKey(name)] = name
	}
	return m
}()

// corsVary reports whether v is a Vary value about CORS request headers.
func corsVary(v string) bool {
	v = strings.TrimSpace(v)
	return strings.EqualFold(v, "Origin") || strings.EqualFold(v, "Access-Control-Request-Method") ||
		strings.EqualFold(v, "Access-Control-Request-Headers")
}

// removeCORS removes from h the Access-Control-* headers and the CORS
// values of Vary.
func removeCORS(h http.Header) {
	for name := range h {
		if corsResponseHeader(name) {
			delete(h, name)
		}
	}
	if vary, ok := h["Vary"]; ok {
		var kept []string
		for _, line := range vary {
			for v := range strings.SplitSeq(line, ",") {
				if !corsVary(v) && strings.TrimSpace(v) != "" {
					kept = append(kept, strings.TrimSpace(v))
				}
			}
		}
		if kept == nil {
			delete(h, "Vary")
		} else {
			h["Vary"] = []string{strings.Join(kept, ", ")}
		}
	}
}

// modifyResponse removes the upstream's CORS headers and Vary values,
// from the header and the trailer, bounds the pauses of its body, and
// keeps the stored configurations in step with the buckets: a bucket
// deleted loses its configuration, a bucket created starts without one,
// as on S3.
func (p *Proxy) modifyResponse(res *http.Response) error {
	removeCORS(res.Header)
	dropRepeatedIDs(res.Header)
	// The names the trailer announces: httputil.ReverseProxy announces
	// them to the client, and net/http then sends, as the trailer's, the
	// values the header map holds under them, the middleware's CORS
	// headers among them. Their values come with the end of the body
	// (idleBody.Close).
	removeCORS(res.Trailer)
	info := infoOf(res.Request)
	info.answered = true
	if info.body != nil {
		info.body.answered()
	}
	if res.StatusCode/100 == 2 {
		switch lifeOp(res.Request.Method, info) {
		case s3route.DeleteBucket:
			p.bucketGone(res.Request.Context(), info.addr.Bucket)
		case s3route.CreateBucket:
			if info.newBucket {
				p.bucketMade(res.Request.Context(), info.addr.Bucket)
			}
		}
	}
	if info.cancel != nil && res.Body != nil && res.Body != http.NoBody {
		res.Body = newIdleBody(res, p.opts.UpstreamTimeout, info.cancel)
	}
	if s3route.Operation(info.op) == s3route.ListBuckets && res.StatusCode == http.StatusOK {
		p.hideConfigBucket(res)
	}
	return nil
}

// dropRepeatedIDs keeps one value of a request ID header h repeats with
// the same value. versitygw sends each ID twice, as X-Amz-Request-Id and
// as x-amz-request-id, which reach the proxy as two values of one header
// and would go on as two x-amz-request-id lines: clients that join
// repeated headers (botocore) then read the request ID as "ID, ID". S3
// sends each once. IDs that differ are passed on as they came.
func dropRepeatedIDs(h http.Header) {
	for _, name := range [...]string{canonicalRequestIDHeader, canonicalHostIDHeader} {
		v := h[name]
		if len(v) > 1 && !slices.ContainsFunc(v[1:], func(s string) bool { return s != v[0] }) {
			h[name] = v[:1]
		}
	}
}

// The keys net/http files the request ID headers of an answer under.
const (
	canonicalRequestIDHeader = "X-Amz-Request-Id"
	canonicalHostIDHeader    = "X-Amz-Id-2"
)

// lifeOp returns the operation a request is for its bucket's life:
// CreateBucket or DeleteBucket when [s3route.Classify] names it, and
// also for a PUT or DELETE at a bucket's path that S3 has no operation
// for (its 405, such as DELETE /b?torrent or PUT /b?restore), which a
// store that ignores the query takes for one of them. Either way a
// HeadBucket tells what the store did (see forward and bucketGone), so
// a store that refused it keeps the configuration as it was.
func lifeOp(method string, info *requestInfo) s3route.Operation {
	op := s3route.Operation(info.op)
	if op != "" || info.addr.Bucket == "" || info.addr.Key != "" {
		return op
	}
	switch method {
	case http.MethodPut:
		return s3route.CreateBucket
	case http.MethodDelete:
		return s3route.DeleteBucket
	}
	return op
}

// goneTries bounds the tries to delete the configuration of a bucket a
// DeleteBucket deleted: the first, with the DeleteBucket's answer, then
// more in the background, a ConfigTTL after it and twice as long after
// each other (31 TTLs in all), while the store fails.
const goneTries = 6

// bucketGone deletes the configuration of a bucket the upstream says it
// deleted, once a HeadBucket confirms the bucket is gone: a DELETE with a
// subresource the proxy does not know, or one S3 refuses there, reads as
// a DeleteBucket (lifeOp), and must not take the configuration with it
// unless the store did delete the bucket. When the store fails either
// step, it tries again in the background (goneTries) until Close: left
// stored, the configuration answered the bucket's preflights again once
// the cache entry was a TTL old (a look-up that finds one asks no
// HeadBucket), and applied to the next bucket of the name created other
// than through a proxy.
func (p *Proxy) bucketGone(ctx context.Context, name string) {
	if p.dropConfig(context.WithoutCancel(ctx), name) {
		return
	}
	p.cache.goBackground(func() {
		wait := p.opts.ConfigTTL
		for range goneTries - 1 {
			timer := time.NewTimer(wait)
			select {
			case <-p.cache.background.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
			if p.dropConfig(p.cache.background, name) {
				return
			}
			wait *= 2
		}
		p.log.Error("the bucket was deleted but not its stored configuration; it applies again if the bucket is created other than through a proxy",
			"bucket", name, "tries", goneTries)
	})
}

// dropConfig is one try of bucketGone: it reports whether it is done,
// the bucket's configuration deleted or the bucket there (created again
// meanwhile, through a proxy, which deleted it then, or not).
func (p *Proxy) dropConfig(ctx context.Context, name string) bool {
	exists, err := p.store.bucketExists(ctx, name)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Warn("a DeleteBucket succeeded but whether the bucket is gone could not be told; its configuration is kept for now",
				"bucket", name, "err", err)
		}
		return false
	}
	if exists {
		return true
	}
	p.cache.set(name, &state{target: noBucketTarget, validated: p.opts.Now()})
	if err := p.store.remove(ctx, name); err != nil {
		if ctx.Err() == nil {
			p.log.Warn("the bucket was deleted but not its stored configuration, yet: the deletion is tried again",
				"bucket", name, "err", err)
		}
		return false
	}
	return true
}

// bucketMade deletes any configuration left of an earlier bucket of the
// same name, which a new bucket does not inherit: one deleted other than
// through a proxy.
func (p *Proxy) bucketMade(ctx context.Context, name string) {
	if err := p.store.remove(context.WithoutCancel(ctx), name); err != nil {
		p.log.Error("the bucket was created but a stored configuration could not be deleted", "bucket", name, "err", err)
		return
	}
	p.cache.set(name, &state{validated: p.opts.Now()})
}

// forwardError answers a request the upstream did not answer: S3's 400
// RequestTimeout or IncompleteBody when the client's body failed (see
// checksum.BodyError), else 503 ServiceUnavailable, unless the client has
// gone. Then it ends the connection without an answer: net/http cancels
// the request when the client closes its side, which a client waiting
// for the answer may have done (a half-close), and a handler that wrote
// nothing would have it answered 200 OK with an empty body, a success
// that is not one.
func (p *Proxy) forwardError(w http.ResponseWriter, r *http.Request, err error) {
	body := infoOf(r).body
	if body != nil {
		if bodyErr := body.failed(); bodyErr != nil {
			// The client's body failed, not the upstream: S3's answer
			// to it, for a client that still reads.
			p.writeError(w, r, checksum.BodyError(bodyErr))
			return
		}
	}
	if body != nil && body.stalled.Load() {
		err = errBodyStalled // the request was ended for it
	} else if r.Context().Err() != nil {
		infoOf(r).clientGone = true // nobody to answer
		panic(http.ErrAbortHandler)
	}
	p.log.Warn("the upstream did not answer", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
	p.writeError(w, r, errServiceUnavailable())
}

// idleBody is the body of an upstream's answer res. It ends the
// request, through cancel, when the body pauses for longer than idle.
// Only the waits on the upstream count: while the proxy waits on the
// client to take what it read, the timer is stopped, and the client's
// own bound (forwardWriter) holds. Closed, it removes the upstream's
// CORS headers and Vary values from res's trailer, which the transport
// has filled in by then, announced or not, and httputil.ReverseProxy
// sends on once the body is closed.
type idleBody struct {
	io.ReadCloser
	res   *http.Response
	idle  time.Duration
	timer *time.Timer
}

func newIdleBody(res *http.Response, idle time.Duration, cancel context.CancelFunc) *idleBody {
	return &idleBody{ReadCloser: res.Body, res: res, idle: idle, timer: time.AfterFunc(idle, cancel)}
}

func (b *idleBody) Read(p []byte) (int, error) {
	b.timer.Reset(b.idle)
	n, err := b.ReadCloser.Read(p)
	b.timer.Stop()
	return n, err
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.ReadCloser.Close()
	removeCORS(b.res.Trailer)
	return err
}

// errBodyStalled is why a request whose body the upstream stopped taking
// was ended.
var errBodyStalled = errors.New("the upstream took none of the request body for the upstream timeout")

// clientBody fails a read of a request body the client pauses for longer
// than idle, and keeps the error of a read that failed, which tells
// forwardError that the client, not the upstream, ended the request. It
// ends the request, through cancel, when the upstream takes none of the
// body for upstreamIdle: between two reads the transport is writing to
// the upstream, which a deadline on the connection does not bound when
// HTTP/2's flow control holds the writes.
type clientBody struct {
	io.ReadCloser
	rc           *http.ResponseController
	idle         time.Duration
	upstreamIdle time.Duration
	// until, when set, is when the body must have come whole, however
	// short its pauses (see Proxy.checkDeleteKeys). Only the handler's
	// goroutine reads through it then, and sets it.
	until time.Time
	timer *time.Timer
	// stalled is set when the timer ended the request.
	stalled atomic.Bool

	mu   sync.Mutex // the transport reads on a goroutine of its own
	err  error
	done bool // the upstream answered: its pauses no longer count
}

func newClientBody(body io.ReadCloser, rc *http.ResponseController, idle, upstreamIdle time.Duration, cancel context.CancelFunc) *clientBody {
	b := &clientBody{ReadCloser: body, rc: rc, idle: idle, upstreamIdle: upstreamIdle}
	b.timer = time.AfterFunc(time.Hour, func() {
		b.stalled.Store(true)
		cancel()
	})
	b.timer.Stop() // armed once the transport has read
	return b
}

// Read bounds the client's pause by idle (or by until, if sooner), keeps
// the first error for forwardError, and arms the timer that ends the
// request if the upstream takes nothing more before the next Read.
func (b *clientBody) Read(p []byte) (int, error) {
	b.timer.Stop() // the transport is back for more
	deadline := time.Now().Add(b.idle)
	if !b.until.IsZero() && b.until.Before(deadline) {
		deadline = b.until
	}
	b.rc.SetReadDeadline(deadline)
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	if err == nil && !b.done {
		b.timer.Reset(b.upstreamIdle)
	}
	b.mu.Unlock()
	return n, err
}

// answered stops the bound on the upstream's pauses: it has answered, or
// the request is over.
func (b *clientBody) answered() {
	b.mu.Lock()
	b.done = true
	b.timer.Stop()
	b.mu.Unlock()
}

// failed returns the error of the read that failed, or nil.
func (b *clientBody) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// forwardWriter is the ResponseWriter a request passed through is
// answered on. It sends the 1xx answers the upstream sends without CORS
// headers, the upstream's or the middleware's, and keeps the
// middleware's for the final answer (httputil.ReverseProxy copies a 1xx
// answer's header into the map and clears the map once it is sent). It
// fails a write the client leaves unread for idle.
type forwardWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
	info *requestInfo
	// cors holds the CORS headers the middleware set, taken when the
	// header map is first asked for before the upstream's answer (for a
	// 1xx answer, or an error), to be set again on the final answer; nil
	// when it was not asked for then.
	cors http.Header
}

func newForwardWriter(w http.ResponseWriter, idle time.Duration, info *requestInfo) *forwardWriter {
	return &forwardWriter{ResponseWriter: w, rc: http.NewResponseController(w), idle: idle, info: info}
}

// Header returns the header map, having first kept the CORS headers the
// middleware set when the upstream has not answered yet: only a 1xx
// answer, which merges its own into the map, or an error asks for the
// map then, so most requests keep nothing.
func (w *forwardWriter) Header() http.Header {
	h := w.ResponseWriter.Header()
	if w.cors == nil && !w.info.answered {
		w.cors = http.Header{}
		for name, v := range h {
			if corsResponseHeader(name) || name == "Vary" {
				w.cors[name] = v
			}
		}
	}
	return h
}

// WriteHeader passes 1xx answers on without CORS headers, drops the
// upstream's 100 Continue when net/http already sent one, and on the
// final answer puts back the middleware's CORS headers, keeps net/http
// from sniffing a Content-Type the upstream did not send, and spells
// header names as S3 does.
func (w *forwardWriter) WriteHeader(code int) {
	if code == http.StatusContinue && w.info.bodyRead {
		// net/http sent the client its 100 Continue as the proxy read
		// the body; the upstream's comes once the proxy sent it.
		return
	}
	h := w.Header()
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		removeCORS(h)
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.cors != nil {
		// The map may hold the kept headers still (an error answered
		// without a 1xx): set them once, not twice.
		removeCORS(h)
	}
	for name, v := range w.cors {
		if name == "Vary" {
			h[name] = append(v[:len(v):len(v)], h[name]...)
		} else {
			h[name] = v
		}
	}
	w.cors = nil
	if _, ok := h["Content-Type"]; !ok {
		// The upstream sent none: net/http must not guess one from the
		// body, which would label an object holding HTML text/html, to
		// be rendered at the store's origin. The client gets the
		// upstream's header as it came.
		h["Content-Type"] = nil
	}
	respell(h)
	w.ResponseWriter.WriteHeader(code)
}

// respell gives the names in h S3's spelling (s3Spelling). It is done
// last, once httputil.ReverseProxy has copied the upstream's header into
// h, in canonical form.
func respell(h http.Header) {
	for name, v := range h {
		if spelled, ok := s3Spelling(name); ok {
			delete(h, name)
			h[spelled] = append(h[spelled], v...)
		}
	}
}

func (w *forwardWriter) Write(b []byte) (int, error) {
	w.rc.SetWriteDeadline(time.Now().Add(w.idle))
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *forwardWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// done lifts the deadlines the request set, which would otherwise hold
// for the next request on the connection.
func (w *forwardWriter) done() {
	w.rc.SetReadDeadline(time.Time{})
	w.rc.SetWriteDeadline(time.Time{})
}
