package s3proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/s3cors/s3cors/internal/ascii"
)

// directTransport is the transport the proxy makes to a plain-HTTP
// upstream. It sends a request without a body (a GET or a HEAD: every
// GetObject, HeadObject and listing) and reads its answer on the
// goroutine that asks, over HTTP/1.1 connections of its own; anything
// else goes to next. http.Transport hands each request to two
// goroutines of its connection, one that writes it and one that reads
// the answer, and back through channels: for a 1 KiB GetObject that was
// a quarter of the proxy's CPU (about 100 µs a request against 70–75,
// measured side by side with wrk and 64 clients on loopback), the
// largest cost of a hop the proxy could remove.
//
// What it sends is what http.Transport sends for such a request (a
// differential test and fuzz test hold it to that): the request line
// with the target as [url.URL.RequestURI] gives it, Host, a User-Agent
// as http.Transport writes one (its own for a request without, none for
// an empty one, which httputil.ReverseProxy sets for a client that sent
// none), and the other header fields but Content-Length,
// Transfer-Encoding and Trailer. It keeps http.Transport's bounds: the
// dial (dial), the wait for the answer's header (headerTimeout), its
// size (maxAnswerHeaderBytes), and as many idle connections, idle for as
// long. An idle connection is looked at before it takes a request, and
// dropped when the upstream closed it or sent anything on it, as
// http.Transport, reading its idle connections, drops them; a request
// whose reused connection the upstream closed still is sent again once,
// on a new one, as http.Transport sends again a request it can. 1xx
// answers go to the request's httptrace.ClientTrace, as
// httputil.ReverseProxy asks for them, and the request's context ends
// the exchange at any point.
type directTransport struct {
	next          *http.Transport
	host          string // the upstream's host:port, as in the requests' URL
	dial          func(ctx context.Context) (net.Conn, error)
	headerTimeout time.Duration
	idleTimeout   time.Duration // idleConnTimeout, shorter in tests

	mu     sync.Mutex
	idle   []*directConn // the most recently used last
	reaper *time.Timer   // closes connections idle for longer than idleTimeout
	closed bool
}

// The bounds of the idle connections, as newTransport gives http.Transport.
const (
	maxIdleConns    = 1024
	idleConnTimeout = 90 * time.Second
)

// newDirectTransport returns a directTransport to host that hands
// requests it does not take to next, with http.Transport's idle timeout.
func newDirectTransport(next *http.Transport, host string, dial func(ctx context.Context) (net.Conn, error), headerTimeout time.Duration) *directTransport {
	return &directTransport{next: next, host: host, dial: dial, headerTimeout: headerTimeout, idleTimeout: idleConnTimeout}
}

// directConn is a connection of a directTransport.
type directConn struct {
	conn   net.Conn
	counts *countingReader // under br: bounds the answer's header
	br     *bufio.Reader
	bw     *bufio.Writer
	idleAt time.Time
}

// countingReader counts what is read through it, and fails a read past
// limit.
type countingReader struct {
	r     io.Reader
	read  int64
	limit int64
}

// errAnswerHeaderTooLong fails an answer whose header is longer than
// maxAnswerHeaderBytes.
var errAnswerHeaderTooLong = fmt.Errorf("s3proxy: the upstream's answer header is longer than %d bytes", maxAnswerHeaderBytes)

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.limit {
		return 0, errAnswerHeaderTooLong
	}
	if room := c.limit - c.read; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// noLimit is the limit of a countingReader once the answer's header is read.
const noLimit = 1<<63 - 1

// RoundTrip sends r directly when it has no body, else through next.
func (t *directTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !t.takes(r) {
		return t.next.RoundTrip(r)
	}
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		dc, reused, err := t.conn(ctx, attempt > 0)
		if err != nil {
			return nil, err
		}
		resp, sent, err := t.exchange(ctx, dc, r)
		if err == nil {
			return resp, nil
		}
		dc.conn.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The upstream closed a connection while it was idle here: the
		// request never reached it, and goes once more, on a new one
		// (after a restart of the upstream, every idle one is closed).
		if !reused || sent || attempt > 0 || !closedByPeer(err) {
			return nil, err
		}
	}
}

// closedByPeer reports whether err is what a connection the peer closed
// fails a write or a read with.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// takes reports whether r goes directly: a GET or a HEAD without a body
// to the upstream over plain HTTP, which no connection header makes a
// protocol switch, and whose fields a server could have read (a request
// the proxy forwards always is; one the proxy makes itself, too).
func (t *directTransport) takes(r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL.Scheme != "http" || r.URL.Host != t.host ||
		(r.Body != nil && r.Body != http.NoBody) || r.ContentLength != 0 || len(r.TransferEncoding) != 0 || len(r.Trailer) != 0 ||
		r.Close || r.Header["Connection"] != nil || r.Header["Upgrade"] != nil || !plainHost(r.Host) ||
		// The target: [url.URL.EscapedPath] escapes a path's control
		// characters, Opaque and RawQuery go out as they are.
		!noControl(r.URL.Opaque, false) || !noControl(r.URL.RawQuery, false) {
		return false
	}
	for name, values := range r.Header {
		if !ascii.IsToken(name) {
			return false
		}
		for _, v := range values {
			if !noControl(v, true) {
				return false
			}
		}
	}
	return true
}

// noControl reports whether s holds no control character, but for tab
// when tab is true: what http.Transport sends as it is in a header
// field's value (tab allowed) and in a request's target (not), and
// refuses or rewrites otherwise.
func noControl(s string, tab bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && !(tab && c == '\t')) || c == 0x7f {
			return false
		}
	}
	return true
}

// plainHost reports whether host, the Host header, goes out as it is:
// letters, digits and the punctuation of names, addresses and ports,
// which is all a Host header a server took can hold but for what
// http.Transport rewrites (a name in other than ASCII in punycode, an
// IPv6 zone taken out, the rest cut at "/" or " ").
func plainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '-', c == '_', c == ':', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}

// conn returns an idle connection, reused true, or a new one, always
// when fresh.
func (t *directTransport) conn(ctx context.Context, fresh bool) (_ *directConn, reused bool, _ error) {
	t.mu.Lock()
	for !fresh && len(t.idle) > 0 {
		dc := t.idle[len(t.idle)-1]
		t.idle[len(t.idle)-1] = nil // its buffers go with it
		t.idle = t.idle[:len(t.idle)-1]
		if time.Since(dc.idleAt) < t.idleTimeout {
			t.mu.Unlock()
			if idleUsable(dc.conn) {
				return dc, true, nil
			}
			dc.conn.Close()
			t.mu.Lock()
			continue
		}
		// The most recent is too old: so are those under it.
		for _, old := range t.idle {
			old.conn.Close()
		}
		clear(t.idle)
		t.idle = t.idle[:0]
		dc.conn.Close()
	}
	t.mu.Unlock()
	c, err := t.dial(ctx)
	if err != nil {
		return nil, false, err
	}
	counts := &countingReader{r: c, limit: noLimit}
	return &directConn{conn: c, counts: counts, br: bufio.NewReaderSize(counts, 4<<10), bw: bufio.NewWriterSize(c, 4<<10)}, false, nil
}

// put keeps dc for another request, or closes it when there is no room
// or the transport is closed.
func (t *directTransport) put(dc *directConn) {
	dc.idleAt = time.Now()
	t.mu.Lock()
	if t.closed || len(t.idle) >= maxIdleConns {
		t.mu.Unlock()
		dc.conn.Close()
		return
	}
	t.idle = append(t.idle, dc)
	if t.reaper == nil {
		t.reaper = time.AfterFunc(t.idleTimeout, t.reap)
	}
	t.mu.Unlock()
}

// reap closes the connections idle for idleTimeout, and comes back
// when the oldest left will be.
func (t *directTransport) reap() {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	n := 0
	for n < len(t.idle) && now.Sub(t.idle[n].idleAt) >= t.idleTimeout {
		t.idle[n].conn.Close()
		n++
	}
	kept := copy(t.idle, t.idle[n:])
	clear(t.idle[kept:]) // the closed ones' buffers go with them
	t.idle = t.idle[:kept]
	if len(t.idle) == 0 || t.closed {
		t.reaper = nil
		return
	}
	t.reaper.Reset(t.idleTimeout - now.Sub(t.idle[0].idleAt))
}

// CloseIdleConnections closes the idle connections, its own and next's.
func (t *directTransport) CloseIdleConnections() {
	t.mu.Lock()
	for _, dc := range t.idle {
		dc.conn.Close()
	}
	t.idle = nil
	t.mu.Unlock()
	t.next.CloseIdleConnections()
}

// close closes the idle connections and every one a request releases
// from now on.
func (t *directTransport) close() {
	t.mu.Lock()
	t.closed = true
	if t.reaper != nil {
		t.reaper.Stop()
	}
	t.mu.Unlock()
	t.CloseIdleConnections()
}

// aLongTimeAgo is a deadline that has passed: set on a connection, it
// ends every read and write in progress on it.
var aLongTimeAgo = time.Unix(1, 0)

// exchange sends r on dc and reads the answer's header; sent reports
// whether any of the answer came, after which r must not go again.
func (t *directTransport) exchange(ctx context.Context, dc *directConn, r *http.Request) (_ *http.Response, sent bool, _ error) {
	// The deadline is set before the context can end the exchange, so
	// that it never replaces the deadline the context's end sets.
	if t.headerTimeout > 0 {
		dc.conn.SetDeadline(time.Now().Add(t.headerTimeout))
	}
	stop := context.AfterFunc(ctx, func() { dc.conn.SetDeadline(aLongTimeAgo) })
	fail := func(sent bool, err error) (*http.Response, bool, error) {
		stop()
		return nil, sent, err
	}
	writeRequest(dc.bw, r)
	if err := dc.bw.Flush(); err != nil {
		return fail(false, err)
	}
	dc.counts.read, dc.counts.limit = 0, maxAnswerHeaderBytes+int64(dc.br.Size())
	trace := httptrace.ContextClientTrace(ctx)
	var resp *http.Response
	// 1xx answers are not counted, as http.Transport (Go 1.26) does
	// not count those a trace gets: their headers and the final one's
	// are bounded together by maxAnswerHeaderBytes (http.Transport's
	// own bound for 1xx answers no trace gets).
	for {
		var err error
		resp, err = http.ReadResponse(dc.br, r)
		switch {
		case err != nil:
			return fail(dc.counts.read > 0, err)
		case resp.StatusCode < 100 || resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols:
			// Final, as http.Transport takes any status not 1xx, and
			// 101, which httputil.ReverseProxy refuses for a request
			// that asked for no protocol switch.
		case trace != nil && trace.Got1xxResponse != nil:
			if err := trace.Got1xxResponse(resp.StatusCode, textproto.MIMEHeader(resp.Header)); err != nil {
				return fail(true, err)
			}
			continue
		default:
			continue
		}
		break
	}
	dc.counts.limit = noLimit
	if t.headerTimeout > 0 {
		dc.conn.SetDeadline(time.Time{})
	}
	if err := ctx.Err(); err != nil {
		// Its end came before the deadline was taken off.
		return fail(true, err)
	}
	// After a 101, the connection speaks another protocol.
	reuse := !resp.Close && resp.StatusCode != http.StatusSwitchingProtocols
	if resp.Body == http.NoBody {
		t.release(dc, stop, reuse)
		return resp, true, nil
	}
	resp.Body = &directBody{body: resp.Body, t: t, dc: dc, stop: stop, ctx: ctx, reuse: reuse}
	return resp, true, nil
}

// release ends a request's use of dc: dc is kept for another when reuse
// and the request's context did not end it, else closed. So is one that
// holds bytes past the answer (a body sent with a HEAD's answer), which
// would be read as the next answer.
func (t *directTransport) release(dc *directConn, stop func() bool, reuse bool) {
	if stop() && reuse && dc.br.Buffered() == 0 {
		t.put(dc)
		return
	}
	dc.conn.Close()
}

// writeRequest writes r's request line and header to w as http.Transport
// writes them for a request without a body.
func writeRequest(w *bufio.Writer, r *http.Request) {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	w.WriteString(r.Method)
	w.WriteByte(' ')
	w.WriteString(r.URL.RequestURI())
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(host)
	w.WriteString("\r\n")
	if ua, ok := r.Header["User-Agent"]; !ok {
		w.WriteString("User-Agent: Go-http-client/1.1\r\n")
	} else if len(ua) > 0 && ua[0] != "" {
		w.WriteString("User-Agent: ")
		w.WriteString(strings.Trim(ua[0], " \t"))
		w.WriteString("\r\n")
	}
	for name, values := range r.Header {
		switch name {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		for _, v := range values {
			w.WriteString(name)
			w.WriteString(": ")
			w.WriteString(strings.Trim(v, " \t"))
			w.WriteString("\r\n")
		}
	}
	w.WriteString("\r\n")
}

// directBody is the body of an answer a directTransport read: read to
// its end, it gives its connection back for another request; closed
// before, or failed, it closes it, as the rest of the answer is not
// read.
type directBody struct {
	body  io.ReadCloser
	t     *directTransport
	dc    *directConn
	stop  func() bool
	ctx   context.Context
	reuse bool
	done  bool
}

// Read gives the connection back to the transport at the body's end
// (for another request when reuse allows), and closes it on an error,
// reporting the request's context error when that is what ended it.
func (b *directBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.body.Read(p)
	switch {
	case err == io.EOF:
		b.done = true
		b.t.release(b.dc, b.stop, b.reuse)
	case err != nil:
		b.done = true
		b.t.release(b.dc, b.stop, false)
		if ctxErr := b.ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
	}
	return n, err
}

// Close before the end closes the connection: the rest of the answer
// was not read, so the connection cannot take another request.
func (b *directBody) Close() error {
	if !b.done {
		b.done = true
		b.t.release(b.dc, b.stop, false)
	}
	return nil
}
