package s3server_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/hostile"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3server"
)

// The hostile tests send the catalogue in testdata/hostile (see its
// README and package hostile) to a real server over TCP. This file holds
// what they share: a listener that counts what the server reads, raw
// requests and snapshots of the data directory.

// exchangeTimeout bounds every exchange with the server: a server that
// hangs fails the test instead of stalling it. It says nothing about
// speed; a healthy exchange takes milliseconds.
const exchangeTimeout = 30 * time.Second

func loadHostile(t testing.TB, name string, v any) {
	t.Helper()
	if err := hostile.Load(name, v); err != nil {
		t.Fatal(err)
	}
}

// countingListener counts the bytes the server reads from each
// connection it accepts, and tells when the server closes one.
type countingListener struct {
	net.Listener
	conns chan *countingConn
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &countingConn{Conn: c, closed: make(chan struct{})}
	select {
	case l.conns <- cc:
	default: // nobody watches this one
	}
	return cc, nil
}

type countingConn struct {
	net.Conn
	read      atomic.Int64
	closed    chan struct{}
	closeOnce sync.Once
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c *countingConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// countingServer serves s on loopback behind a countingListener.
type countingServer struct {
	*httptest.Server
	conns chan *countingConn
}

func newCountingServer(t testing.TB, s *s3server.Server) *countingServer {
	srv := httptest.NewUnstartedServer(s)
	cs := &countingServer{Server: srv, conns: make(chan *countingConn, 1)}
	srv.Listener = &countingListener{Listener: srv.Listener, conns: cs.conns}
	srv.Start()
	t.Cleanup(srv.Close)
	return cs
}

// exchange is one request sent over a fresh connection and its answer.
type exchange struct {
	resp     *http.Response
	body     []byte
	consumed int64 // bytes the server read from the connection
	sent     int64 // bytes of body the client managed to send
	took     time.Duration
}

// send writes head (the request line and headers, without the blank
// line) and body, in chunks when chunked, on a new connection, while
// reading the answer; then it closes the connection and waits for the
// server to close its side, to count what the server read. The body may
// never end: the exchange is over when the answer is.
func (cs *countingServer) send(t testing.TB, head string, body io.Reader, chunked bool) exchange {
	t.Helper()
	for len(cs.conns) > 0 { // drop connections of earlier exchanges
		<-cs.conns
	}
	start := time.Now()
	conn, err := net.Dial("tcp", cs.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(start.Add(exchangeTimeout))
	var server *countingConn
	select {
	case server = <-cs.conns:
	case <-time.After(exchangeTimeout):
		t.Fatal("the server did not accept the connection")
	}
	var sent atomic.Int64
	written := make(chan struct{})
	go func() {
		defer close(written)
		w := bufio.NewWriterSize(conn, 32<<10)
		io.WriteString(w, head+"\r\n")
		if body == nil {
			w.Flush()
			return
		}
		var dst io.Writer = w
		var cw io.WriteCloser
		if chunked {
			cw = httputil.NewChunkedWriter(w)
			dst = cw
		}
		n, err := io.Copy(dst, body)
		sent.Store(n)
		if err == nil && cw != nil {
			cw.Close()
			io.WriteString(w, "\r\n")
		}
		w.Flush()
	}()
	ex := exchange{}
	method, _, _ := strings.Cut(head, " ")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		conn.Close()
		t.Fatalf("no answer: %v", err)
	}
	ex.resp = resp
	ex.body, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	ex.took = time.Since(start)
	conn.Close()
	<-written
	select {
	case <-server.closed:
	case <-time.After(exchangeTimeout):
		t.Fatal("the server did not close the connection")
	}
	ex.consumed, ex.sent = server.read.Load(), sent.Load()
	return ex
}

// s3Code returns the Code of an S3 error document, "" for another body.
func s3Code(body []byte) string {
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
	}
	if xml.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Code
}

// s3Details returns the elements of an S3 error document by name.
func s3Details(body []byte) map[string]string {
	var e struct {
		Elements []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	xml.Unmarshal(body, &e)
	m := map[string]string{}
	for _, el := range e.Elements {
		m[el.XMLName.Local] = el.Value
	}
	return m
}

// xmlText is s as an S3 error document carries it: characters XML cannot
// hold replaced by U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !xmlw.IsChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// snapshot returns every path under dir with a digest of its contents
// ("dir" for directories).
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diffSnapshots describes how two snapshots differ, "" when they do not.
func diffSnapshots(before, after map[string]string) string {
	var d []string
	for p, v := range after {
		if w, ok := before[p]; !ok {
			d = append(d, "new "+p)
		} else if w != v {
			d = append(d, "changed "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			d = append(d, "gone "+p)
		}
	}
	return strings.Join(d, ", ")
}

// headerValueSafe reports whether a response header value holds only
// visible ASCII, spaces and tabs: nothing a request smuggled in.
func headerValueSafe(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
