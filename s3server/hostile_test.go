package s3server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/internal/hostile"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// drained bounds what net/http reads of a body the handler left: up to
// 256 KiB before it sends the response head and as much again after the
// handler, to keep the connection; then the request head and buffers.
const drained = 2*256<<10 + 64<<10

// maxConsumed bounds what the server may read of a configuration body it
// refuses: the 64 KiB limit and one byte, and what net/http drains.
const maxConsumed = corsrule.MaxDocumentSize + 1 + drained

// bodyMD5 returns the Content-MD5 of a body of the catalogue; the MD5 of
// nothing for a body that never ends or is too long to hash here, which
// the server refuses for its size before it could check the digest.
func bodyMD5(b hostile.Body) string {
	h := md5.New()
	if r, n := b.Reader(); n >= 0 && n <= 64<<20 {
		io.Copy(h, r)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// TestHostileConfigBodies sends every PutBucketCors body of the
// catalogue with a correct Content-MD5, so that the body itself is
// judged, and checks S3's answer, that the server stopped reading past
// the limit, and that nothing was stored: GetBucketCors still answers the
// configuration set before, and the data directory is byte for byte as
// it was. It also checks the verdict of xmlconfig.Decode and bucket.New,
// what "s3cors validate" says, and that they read no more than the limit.
func TestHostileConfigBodies(t *testing.T) {
	t.Parallel()
	var cases []hostile.ConfigBody
	loadHostile(t, "config-bodies.json", &cases)
	if len(cases) < 40 {
		t.Fatalf("only %d cases in config-bodies.json", len(cases))
	}
	dir := t.TempDir()
	s, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := newCountingServer(t, s)
	ts := &testServer{Server: cs.Server, s: s, t: t}
	mustStatus(t, ts.do("PUT", "/cfg", nil), 200)
	before := corsDoc(`<CORSRule><AllowedOrigin>https://before.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`)
	mustStatus(t, ts.do("PUT", "/cfg?cors", before, "Content-MD5", contentMD5(before)), 200)
	stored := ts.do("GET", "/cfg?cors", nil).body
	files := snapshot(t, dir)

	seen := map[string]bool{}
	var maxRead int64
	for _, tc := range cases {
		if seen[tc.ID] {
			t.Fatalf("id %q appears twice", tc.ID)
		}
		seen[tc.ID] = true
		// The cases run one after another: each checks that the data
		// directory is as the snapshot taken before it, and maxRead spans them.
		t.Run(tc.ID, func(t *testing.T) {
			ts := ts.with(t)
			body, size := tc.Body.Reader()
			head := "PUT /cfg?cors HTTP/1.1\r\nHost: " + cs.Listener.Addr().String() + "\r\nContent-MD5: " + bodyMD5(tc.Body) + "\r\n"
			if !tc.Chunked {
				head += fmt.Sprintf("Content-Length: %d\r\n", size)
			} else {
				head += "Transfer-Encoding: chunked\r\n"
			}
			if size < 0 && !tc.Chunked {
				t.Fatal("a body that never ends must be chunked")
			}
			ex := cs.send(t, head, body, tc.Chunked)
			if ex.resp.StatusCode != tc.Put.Status || s3Code(ex.body) != tc.Put.Code {
				t.Errorf("%s\nanswer %d %s, want %d %s", tc.Description, ex.resp.StatusCode, ex.body, tc.Put.Status, tc.Put.Code)
			}
			if ex.consumed > maxConsumed {
				t.Errorf("the server read %d bytes of a %d-byte body, more than %d", ex.consumed, size, maxConsumed)
			}
			maxRead = max(maxRead, ex.consumed)
			if r := ts.do("GET", "/cfg?cors", nil); !bytes.Equal(r.body, stored) {
				t.Errorf("GetBucketCors after the refusal: %s", r)
			}
			if d := diffSnapshots(files, snapshot(t, dir)); d != "" {
				t.Errorf("the data directory changed: %s", d)
			}

			// What s3cors validate says, through the same decoder.
			body, _ = tc.Body.Reader()
			counted := &countingReader{r: body}
			code := "valid"
			doc, err := xmlconfig.Decode(counted)
			if err == nil {
				err = bucket.Validate(doc.Rules)
			}
			if e, ok := errors.AsType[*s3err.Error](err); ok {
				code = e.Code
			} else if err != nil {
				t.Fatalf("Decode: %v is not an S3 error", err)
			}
			want := tc.Decode.Code
			if tc.Decode.Valid {
				want = "valid"
			}
			if code != want {
				t.Errorf("decoding: %v, want %s", err, want)
			}
			if counted.n > corsrule.MaxDocumentSize+1 {
				t.Errorf("decoding read %d bytes, more than the limit and one", counted.n)
			}
		})
	}
	t.Logf("%d bodies refused with S3's error and nothing stored; the server read at most %d bytes of any", len(cases), maxRead)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestHostileRequestHeaders sends the preflights and actual requests of
// the catalogue byte for byte over TCP, so that control characters,
// obs-fold and repeated headers reach the server as written, and checks
// the answer: S3's, or net/http's own 400 for what is not HTTP. No
// response header may hold a control character or a byte that is not
// ASCII, and Access-Control-Allow-Origin and -Allow-Headers never echo a
// value that is not a valid origin or a list of header names.
func TestHostileRequestHeaders(t *testing.T) {
	t.Parallel()
	var cat hostile.Requests
	loadHostile(t, "requests.json", &cat)
	s, err := s3server.New(s3server.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := newCountingServer(t, s)
	ts := &testServer{Server: cs.Server, s: s, t: t}
	config := []byte(cat.Config)
	mustStatus(t, ts.do("PUT", "/"+cat.Bucket, nil), 200)
	mustStatus(t, ts.do("PUT", "/"+cat.Bucket+"?cors", config, "Content-MD5", contentMD5(config)), 200)
	mustStatus(t, ts.do("PUT", "/"+cat.Bucket+"/"+cat.Object, []byte("hello")), 200)
	byGo := 0
	for _, tc := range cat.Cases {
		// The cases run one after another: byGo counts across them.
		t.Run(tc.ID, func(t *testing.T) {
			path := tc.Path
			if path == "" {
				path = "/" + cat.Bucket + "/" + cat.Object
			}
			var head strings.Builder
			fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\n", tc.Method, path, cs.Listener.Addr())
			for _, h := range tc.Headers {
				for range h.Lines {
					fmt.Fprintf(&head, "%s: %s\r\n", h.Name, h.Value)
				}
			}
			for _, line := range tc.Raw {
				head.WriteString(string(line) + "\r\n")
			}
			head.WriteString("Connection: close\r\n")
			ex := cs.send(t, head.String(), nil, false)
			r, want := ex.resp, tc.Expect
			code := s3Code(ex.body)
			if tc.By == "net/http" {
				byGo++
				if r.StatusCode != want.Status || code != "" {
					t.Errorf("%s\nanswer %s %q, want net/http's own %d", tc.Description, r.Status, ex.body, want.Status)
				}
			} else if r.StatusCode != want.Status || code != want.Code {
				t.Errorf("%s\nanswer %s %s, want %d %s", tc.Description, r.Status, ex.body, want.Status, want.Code)
			}
			for name, values := range r.Header {
				for _, v := range values {
					if !headerValueSafe(v) {
						t.Errorf("response header %s: %q", name, v)
					}
				}
			}
			acao, hasACAO := r.Header["Access-Control-Allow-Origin"]
			if w := want.AllowOrigin; w != nil && (*w == "" && hasACAO || *w != "" && (len(acao) != 1 || acao[0] != *w)) {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", acao, *w)
			}
			if hasACAO && acao[0] != "*" && !validOriginValue(acao[0]) {
				t.Errorf("Access-Control-Allow-Origin echoes %q", acao[0])
			}
			acah, hasACAH := r.Header["Access-Control-Allow-Headers"]
			if want.AllowHeaders != nil && ((*want.AllowHeaders == "") == hasACAH ||
				hasACAH && (len(acah) != 1 || acah[0] != *want.AllowHeaders)) {
				t.Errorf("Access-Control-Allow-Headers %q, want %q", acah, *want.AllowHeaders)
			}
			for _, v := range acah {
				for _, name := range strings.Split(v, ", ") {
					if name == "" || strings.IndexFunc(name, func(c rune) bool { return c > 0x7e || !ascii.IsTokenByte(byte(c)) }) >= 0 {
						t.Errorf("Access-Control-Allow-Headers echoes %q", v)
					}
				}
			}
		})
	}
	t.Logf("%d hostile requests, %d of them refused by net/http before s3cors sees them", len(cat.Cases), byGo)
}

// validOriginValue reports whether an echoed origin is visible ASCII
// without spaces, as every serialized origin is.
func validOriginValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return s != ""
}

// TestHostileNameCatalogue sends the bucket names and keys of the
// catalogue in raw request paths, checks S3's answer for each, reads
// every stored key back by the same path, and checks that nothing
// appeared outside the data directory and that inside it only the
// layout's names did.
func TestHostileNameCatalogue(t *testing.T) {
	t.Parallel()
	var cat hostile.Names
	loadHostile(t, "names.json", &cat)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "sentinel"), []byte("untouched"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := s3server.New(s3server.Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := newCountingServer(t, s)
	ts := &testServer{Server: cs.Server, s: s, t: t}
	mustStatus(t, ts.do("PUT", "/"+cat.Bucket, nil), 200)
	aboveBefore := snapshot(t, outside)

	raw := func(t *testing.T, method, path string, body string) exchange {
		head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, path, cs.Listener.Addr())
		if method == "PUT" {
			head += fmt.Sprintf("Content-Length: %d\r\n", len(body))
		}
		return cs.send(t, head, strings.NewReader(body), false)
	}
	for i, b := range cat.Buckets {
		// The cases run one after another: what the server holds is checked
		// after them.
		t.Run(fmt.Sprintf("bucket-%d", i), func(t *testing.T) {
			ex := raw(t, b.Method, string(b.Path), "")
			if ex.resp.StatusCode != b.Status || s3Code(ex.body) != b.Code {
				t.Errorf("%s %s (%s): %s %s, want %d %s", b.Method, b.Path, b.Description, ex.resp.Status, ex.body, b.Status, b.Code)
			}
			if b.BucketName != nil {
				if got, want := s3Details(ex.body)["BucketName"], xmlText(string(*b.BucketName)); got != want {
					t.Errorf("%s %s: BucketName %q, want %q", b.Method, b.Path, got, want)
				}
			}
		})
	}
	if names := s.BucketNames(); len(names) != 1 || names[0] != cat.Bucket {
		t.Errorf("buckets after the hostile names: %q", names)
	}
	stored := 0
	for i, k := range cat.Keys {
		// The keys run one after another, as the buckets do.
		t.Run(fmt.Sprintf("key-%d", i), func(t *testing.T) {
			ts := ts.with(t)
			path := "/" + cat.Bucket + "/" + string(k.Path)
			body := "the object at " + string(k.Path)
			ex := raw(t, "PUT", path, body)
			if ex.resp.StatusCode != k.Status || s3Code(ex.body) != k.Code {
				t.Fatalf("PUT %.80s (%s): %s %s, want %d %s", path, k.Description, ex.resp.Status, ex.body, k.Status, k.Code)
			}
			details := s3Details(ex.body)
			for name, want := range k.Details {
				if details[name] != want {
					t.Errorf("PUT %.80s: %s %q, want %q", path, name, details[name], want)
				}
			}
			if k.Status != 200 {
				return
			}
			stored++
			if got := raw(t, "GET", path, ""); got.resp.StatusCode != 200 || string(got.body) != body {
				t.Errorf("GET %.80s: %s %q", path, got.resp.Status, got.body)
			}
			if k.Key != nil {
				// The key is the one the catalogue says, not a path the
				// server cleaned.
				r := ts.do("GET", "/"+cat.Bucket+"?list-type=2&encoding-type=url&max-keys=1000", nil)
				// encoding-type=url as S3 writes it, Java's URLEncoder
				// with '/' left as it is: url.QueryEscape, but for '/',
				// '*' (kept) and '~' (%7E).
				if want := "<Key>" + s3KeyEscaper.Replace(url.QueryEscape(string(*k.Key))) + "</Key>"; !strings.Contains(string(r.body), want) {
					t.Errorf("the listing lacks %s", want)
				}
			}
		})
	}
	if d := diffSnapshots(aboveBefore, snapshot(t, outside)); d != "" {
		t.Errorf("outside the data directory: %s", d)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Errorf("the directory above the data directory holds %d entries", len(entries))
	}
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(data, p)
		if rel != "." && !layout.MatchString(filepath.ToSlash(rel)) {
			t.Errorf("unexpected path in the data directory: %s", rel)
		}
		return nil
	})
	t.Logf("%d bucket names and %d keys (%d stored and read back): nothing outside the data directory", len(cat.Buckets), len(cat.Keys), stored)
}

// TestBodyCaps sends a body that never ends to every operation,
// those that read a body and those that do not, and checks that the
// server answers while the client is still sending and reads no more
// than the operation's cap and what net/http drains to keep the
// connection.
func TestBodyCaps(t *testing.T) {
	t.Parallel()
	s, err := s3server.New(s3server.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := newCountingServer(t, s)
	ts := &testServer{Server: cs.Server, s: s, t: t}
	mustStatus(t, ts.do("PUT", "/caps", nil), 200)
	mustStatus(t, ts.do("PUT", "/caps/k", []byte("k")), 200)
	md5 := "Content-MD5: " + contentMD5(nil) + "\r\n"
	// Every body never ends; the client sends it in chunks, or with a
	// Content-Length of 1 TiB where the operation requires one.
	const declared = "Content-Length: 1099511627776\r\n"
	tests := []struct {
		name, method, path, header string
		cap                        int64
		status                     int
		code                       string
	}{
		{"PutBucketCors", "PUT", "/caps?cors", md5, corsrule.MaxDocumentSize + 1, 400, "MaxMessageLengthExceeded"},
		{"CreateBucket", "PUT", "/caps-new", "", corsrule.MaxDocumentSize + 1, 400, "MaxMessageLengthExceeded"},
		{"PutBucketAcl", "PUT", "/caps?acl", "x-amz-acl: private\r\n", corsrule.MaxDocumentSize + 1, 400, "MaxMessageLengthExceeded"},
		{"DeleteObjects", "POST", "/caps?delete", md5, 8<<20 + 1, 400, "MaxMessageLengthExceeded"},
		{"PutObject", "PUT", "/caps/big", declared, 0, 400, "EntityTooLarge"},
		{"PutObject streamed without a length", "PUT", "/caps/big", "", 0, 501, "NotImplemented"},
		{"GetObject", "GET", "/caps/k", "", 0, 200, ""},
		{"DeleteBucketCors", "DELETE", "/caps?cors", "", 0, 204, ""},
		{"Preflight", "OPTIONS", "/caps/k", "Origin: https://a.example\r\nAccess-Control-Request-Method: GET\r\n", 0, 403, "AccessForbidden"},
		{"NotImplemented", "PUT", "/caps?policy", "", 0, 501, "NotImplemented"},
	}
	for _, tc := range tests {
		// The cases run one after another: the buckets are counted after them.
		t.Run(tc.name, func(t *testing.T) {
			chunked := !strings.Contains(tc.header, "Content-Length")
			head := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\n%s", tc.method, tc.path, cs.Listener.Addr(), tc.header)
			if chunked {
				head += "Transfer-Encoding: chunked\r\n"
			}
			ex := cs.send(t, head, hostile.Endless("<Object><Key>k</Key></Object>"), chunked)
			if ex.resp.StatusCode != tc.status || s3Code(ex.body) != tc.code {
				t.Errorf("answer %s %s, want %d %s", ex.resp.Status, ex.body, tc.status, tc.code)
			}
			if limit := tc.cap + drained; ex.consumed > limit {
				t.Errorf("the server read %d bytes, more than %d", ex.consumed, limit)
			}
			t.Logf("%s: the server read %d bytes of an endless body", tc.name, ex.consumed)
		})
	}
	if names := s.BucketNames(); len(names) != 1 {
		t.Errorf("buckets: %q", names)
	}
}

// s3KeyEscaper turns url.QueryEscape's escaping into S3's for
// encoding-type=url (brekkylab/backlot tests/test_s3.py, measured).
var s3KeyEscaper = strings.NewReplacer("%2F", "/", "%2A", "*", "~", "%7E")
