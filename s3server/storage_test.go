package s3server_test

import (
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// diskServer starts a server on dir without keys.
func diskServer(t *testing.T, dir string) *testServer {
	return newTestServer(t, s3server.Options{DataDir: dir, Now: func() time.Time { return fixedNow }})
}

func TestRestartKeepsState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opts := s3server.Options{DataDir: dir, Now: func() time.Time { return fixedNow }}
	s, err := s3server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: newHTTPServer(s), s: s, t: t}
	mustStatus(t, ts.do("PUT", "/kept", nil, "x-amz-acl", "public-read"), 200)
	mustStatus(t, ts.do("PUT", "/gone", nil), 200)
	cors := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>10</MaxAgeSeconds></CORSRule>`)
	mustStatus(t, ts.do("PUT", "/kept?cors", cors, "Content-MD5", contentMD5(cors)), 200)
	mustStatus(t, ts.do("PUT", "/kept/dir/a", []byte("aaa"), "Content-Type", "text/a", "x-amz-meta-k", "v"), 200)
	mustStatus(t, ts.do("PUT", "/kept/b", []byte("bbb")), 200)
	mustStatus(t, ts.do("PUT", "/kept/deleted", []byte("x")), 200)
	mustStatus(t, ts.do("DELETE", "/kept/deleted", nil), 204)
	mustStatus(t, ts.do("PUT", "/gone?cors", cors, "Content-MD5", contentMD5(cors)), 200)
	mustStatus(t, ts.do("DELETE", "/gone?cors", nil), 204)
	before := map[string]string{}
	paths := []string{"/", "/kept?acl", "/kept?cors", "/kept?list-type=2", "/kept/dir/a", "/gone?cors"}
	for _, p := range paths {
		before[p] = normalizeIDs(ts.do("GET", p, nil).body)
	}
	ts.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := diskServer(t, dir)
	for _, p := range paths {
		if got := normalizeIDs(again.do("GET", p, nil).body); got != before[p] {
			t.Errorf("GET %s after a restart:\n%s\nbefore:\n%s", p, got, before[p])
		}
	}
	r := again.do("GET", "/kept/dir/a", nil)
	if r.Header.Get("Content-Type") != "text/a" || r.Header.Get("X-Amz-Meta-K") != "v" || r.Header.Get("Last-Modified") != "Fri, 02 Jan 2026 03:04:05 GMT" {
		t.Errorf("object headers after a restart: %v", r.Header)
	}
	// The configuration was compiled again.
	pre := again.do("OPTIONS", "/kept/x", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "PUT")
	if pre.StatusCode != 200 || pre.Header.Get("Access-Control-Max-Age") != "10" {
		t.Errorf("preflight after a restart: %s %v", pre, pre.Header)
	}
}

// newHTTPServer serves s on a loopback httptest server the test closes.
func newHTTPServer(s *s3server.Server) *httptestServer { return startHTTPTest(s) }

// layout matches every path the data directory may hold.
var layout = regexp.MustCompile(`^(s3cors\.lock|buckets|buckets/[a-z0-9.-]{3,63}(|/bucket\.json|/cors\.xml|/objects|/objects/[0-9a-f]{64}|/uploads))$`)

// TestHostileNames sends bucket names and keys that would escape a
// naive layout, and checks that nothing is created outside the data
// directory and that inside it only the layout's names appear.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	data := filepath.Join(root, "data")
	outside := filepath.Join(root, "outside")
	if err := os.Mkdir(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	ts := diskServer(t, data)
	mustStatus(t, ts.do("PUT", "/victim", nil), 200)
	keys := []string{"../../../outside/pwned", "..%2F..%2F..%2Foutside%2Fpwned", "%2e%2e%2f%2e%2e%2foutside", "/../../outside/x",
		"a/../../../../outside/y", "nul%00byte", "..", ".", "%2e%2e", strings.Repeat("long/", 200), "back\\..\\..\\slash", ".s3cors-tmp-x"}
	for _, k := range keys {
		raw := "PUT /victim/" + k + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
		if resp := rawRequest(t, ts, raw); !strings.HasPrefix(resp, "HTTP/1.1 200") && !strings.HasPrefix(resp, "HTTP/1.1 400") {
			t.Errorf("PUT key %q: %s", k, resp)
		}
	}
	for _, b := range []string{"..", "../outside", "%2e%2e", "..%2Foutside", ".s3cors-tmp-x", "a%00b", "UPPER", "a..b"} {
		raw := "PUT /" + b + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
		if resp := rawRequest(t, ts, raw); strings.HasPrefix(resp, "HTTP/1.1 200") {
			t.Errorf("bucket %q was created: %s", b, resp)
		}
	}
	// Read back through the API what was written.
	r := ts.do("GET", "/victim?list-type=2&prefix=../../../outside/", nil)
	if !strings.Contains(string(r.body), "<Key>../../../outside/pwned</Key>") {
		t.Errorf("the key with .. is not listed as written: %s", r.body)
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 0 {
		t.Errorf("files appeared outside the data directory: %v", entries)
	}
	rootEntries, _ := os.ReadDir(root)
	if len(rootEntries) != 2 {
		t.Errorf("the directory above the data directory holds %d entries", len(rootEntries))
	}
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(data, p)
		if rel != "." && !layout.MatchString(filepath.ToSlash(rel)) {
			t.Errorf("unexpected path in the data directory: %s", rel)
		}
		return nil
	})
}

// TestLoadCleansUp checks what New does with what a crash or a stranger
// left in the data directory: temporary files are removed, files that are
// not the server's are skipped, the rest is served.
func TestLoadCleansUp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := diskServer(t, dir)
	mustStatus(t, ts.do("PUT", "/crash", nil), 200)
	mustStatus(t, ts.do("PUT", "/crash/k", []byte("committed")), 200)
	ts.Close()
	ts.s.Close()
	objects := filepath.Join(dir, "buckets", "crash", "objects")
	leftovers := []string{
		filepath.Join(objects, ".s3cors-tmp-0123"),
		filepath.Join(dir, "buckets", "crash", ".s3cors-tmp-4567"),
		filepath.Join(dir, "buckets", ".s3cors-tmp-89ab", "bucket.json"),
	}
	for _, p := range leftovers {
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte("torn"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(objects, strings.Repeat("ab", 32)), []byte("not an object file"), 0o600)
	os.WriteFile(filepath.Join(dir, "buckets", "README"), []byte("a stranger's file"), 0o600)
	os.MkdirAll(filepath.Join(dir, "buckets", "no-record"), 0o700)
	var log syncBuffer
	s, err := s3server.New(s3server.Options{DataDir: dir, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range leftovers {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was not removed", p)
		}
	}
	if names := s.BucketNames(); len(names) != 1 || names[0] != "crash" {
		t.Errorf("buckets after loading: %q", names)
	}
	for _, w := range []string{"skipping an unreadable object file", "skipping an entry that is not a bucket", "skipping a bucket without a readable bucket.json"} {
		// The message is in words, without the package's name.
		if !strings.Contains(log.String(), "msg=\""+w) {
			t.Errorf("no warning %q in:\n%s", w, log.String())
		}
	}
	srv := startHTTPTest(s)
	defer srv.Close()
	again := &testServer{Server: srv, s: s, t: t}
	if r := again.do("GET", "/crash/k", nil); string(r.body) != "committed" {
		t.Errorf("the committed object after loading: %s", r)
	}
}

// TestInterruptedUpload cuts a PutObject off half-way and checks that the
// old object is intact and nothing is left behind.
func TestInterruptedUpload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := diskServer(t, dir)
	mustStatus(t, ts.do("PUT", "/cut", nil), 200)
	mustStatus(t, ts.do("PUT", "/cut/k", []byte("old")), 200)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "PUT /cut/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"+strings.Repeat("n", 5000))
	// The upload is under way: its temporary file exists.
	waitFor(t, "a temporary file for the upload", func() bool { return len(tempFiles(dir)) > 0 })
	conn.Close()
	// Once the server sees the end of the connection, it is gone.
	waitFor(t, "the temporary files to go", func() bool { return len(tempFiles(dir)) == 0 })
	if r := ts.do("GET", "/cut/k", nil); !bytes.Equal(r.body, []byte("old")) {
		t.Errorf("after an interrupted upload: %s", r)
	}
}

// tempFiles returns the storage's temporary files under dir.
func tempFiles(dir string) []string {
	var tmp []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".s3cors-tmp-") {
			tmp = append(tmp, p)
		}
		return nil
	})
	return tmp
}

// waitFor polls cond until it holds, failing the test after 30 seconds:
// what it waits for takes milliseconds, and the bound only ends a test
// that would wait for ever, leaving room for a loaded machine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
	}
}

// TestLoadBucketNamedBefore checks a data directory holding a bucket
// whose name has a hyphen next to a period, which CreateBucket took
// before it refused such names: the bucket still loads, with its
// objects, and pages of ListBuckets may end at it, but it cannot be
// created again.
func TestLoadBucketNamedBefore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := diskServer(t, dir)
	mustStatus(t, ts.do("PUT", "/before", nil), 200)
	mustStatus(t, ts.do("PUT", "/before/k", []byte("kept")), 200)
	mustStatus(t, ts.do("PUT", "/zzz", nil), 200)
	ts.Close()
	ts.s.Close()
	if err := os.Rename(filepath.Join(dir, "buckets", "before"), filepath.Join(dir, "buckets", "foo-.bar")); err != nil {
		t.Fatal(err)
	}
	ts = diskServer(t, dir)
	if r := ts.do("GET", "/foo-.bar/k", nil); r.StatusCode != 200 || string(r.body) != "kept" {
		t.Errorf("GET of an object in foo-.bar: %s", r)
	}
	first := ts.do("GET", "/?max-buckets=1", nil)
	token := regexp.MustCompile(`<ContinuationToken>([^<]+)</ContinuationToken>`).FindSubmatch(first.body)
	if first.StatusCode != 200 || !strings.Contains(string(first.body), "<Name>foo-.bar</Name>") || token == nil {
		t.Fatalf("ListBuckets' first page: %s", first)
	}
	if r := ts.do("GET", "/?max-buckets=1&continuation-token="+string(token[1]), nil); r.StatusCode != 200 || !strings.Contains(string(r.body), "<Name>zzz</Name>") {
		t.Errorf("ListBuckets after foo-.bar: %s", r)
	}
	mustError(t, ts.do("PUT", "/foo-.bar", nil), 400, errorDoc("InvalidBucketName", "The specified bucket is not valid.", "BucketName", "foo-.bar"))
}

// TestRestartWithLargestConfiguration stores a configuration at S3's size
// limit whose canonical form is much longer (every <AllowedHeader/> would
// become <AllowedHeader></AllowedHeader>) and starts again on it, from
// HTTP and from the Go API.
func TestRestartWithLargestConfiguration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	opts := s3server.Options{DataDir: dir, Now: func() time.Time { return fixedNow }}
	s, err := s3server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: newHTTPServer(s), s: s, t: t}
	head := `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`
	tail := `</CORSRule></CORSConfiguration>`
	n := (corsrule.MaxDocumentSize - len(head) - len(tail)) / len("<AllowedHeader/>")
	body := []byte(head + strings.Repeat("<AllowedHeader/>", n) + tail)
	mustStatus(t, ts.do("PUT", "/big", nil), 200)
	mustStatus(t, ts.do("PUT", "/big?cors", body, "Content-MD5", contentMD5(body)), 200)
	if err := s.CreateBucket("api", ""); err != nil {
		t.Fatal(err)
	}
	rule := corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: make([]string, 4000)}
	if err := s.PutBucketCors("api", []corsrule.Rule{rule}); !isCode(err, "MaxMessageLengthExceeded") {
		t.Errorf("Go API PutBucketCors of a configuration over 64 KB as XML: %v", err)
	}
	rule.AllowedHeaders = make([]string, 1000)
	if err := s.PutBucketCors("api", []corsrule.Rule{rule}); err != nil {
		t.Fatal(err)
	}
	ts.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := diskServer(t, dir)
	for _, name := range []string{"big", "api"} {
		r := again.do("GET", "/"+name+"?cors", nil)
		if r.StatusCode != 200 || !bytes.Contains(r.body, []byte("<AllowedHeader></AllowedHeader>")) {
			t.Errorf("GetBucketCors %s after a restart: %s", name, r)
		}
	}
}

// TestOneServerPerDataDir starts a second server on a data directory
// in use: it is refused, with an error naming the directory; once the
// first is closed, it starts.
func TestOneServerPerDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if second, err := s3server.New(s3server.Options{DataDir: dir}); err == nil {
		second.Close()
		t.Fatal("a second server started on a data directory in use")
	} else if !strings.Contains(err.Error(), "the data directory "+dir+" is in use by another s3cors server") {
		t.Errorf("error %q does not name the directory in use", err)
	}
	first.Close()
	again, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatalf("after the first server closed: %v", err)
	}
	again.Close()
}

// TestSameKeyWritersAgree has many writers replace and delete the same
// few keys at once, on disk, with configuration changes beside them.
// Each key's changes must reach the index and the storage in the same
// order: once the writers are done, every key answers whole (its ETag
// that of its body), and a restart, which reads the storage only, finds
// exactly what the index served.
func TestSameKeyWritersAgree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: newHTTPServer(s), s: s, t: t}
	mustStatus(t, ts.do("PUT", "/same", nil), 200)
	const writers, writes, keys = 8, 30, 3
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range writes {
				key := "/same/k" + strconv.Itoa((w+i)%keys)
				switch {
				case i%7 == 6:
					ts.do("DELETE", key, nil)
				case w == 0 && i%3 == 0:
					cors := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>` + strconv.Itoa(i) + `</MaxAgeSeconds></CORSRule>`)
					ts.do("PUT", "/same?cors", cors, "Content-MD5", contentMD5(cors))
				default:
					ts.do("PUT", key, bytes.Repeat([]byte{byte('a' + w)}, 100+i))
				}
			}
		})
	}
	wg.Wait()
	served := map[string]string{}
	paths := []string{"/same?cors", "/same?list-type=2"}
	for k := range keys {
		paths = append(paths, "/same/k"+strconv.Itoa(k))
	}
	for _, p := range paths {
		r := ts.do("GET", p, nil)
		if r.StatusCode == 200 && strings.HasPrefix(p, "/same/k") && r.Header.Get("ETag") != `"`+md5hex(r.body)+`"` {
			t.Errorf("GET %s: the ETag %s is not that of the body", p, r.Header.Get("ETag"))
		}
		served[p] = r.Status + " " + r.Header.Get("ETag") + " " + normalizeIDs(r.body)
	}
	ts.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := diskServer(t, dir)
	for _, p := range paths {
		r := again.do("GET", p, nil)
		if got := r.Status + " " + r.Header.Get("ETag") + " " + normalizeIDs(r.body); got != served[p] {
			t.Errorf("GET %s after a restart:\n%s\nthe index served:\n%s", p, got, served[p])
		}
	}
}

// TestHeaderBytesAfterRestart stores an object whose Content-Type and
// metadata hold bytes that are not UTF-8 (obs-text, which HTTP allows in
// a field value): after a restart the disk serves the bytes it served
// before.
func TestHeaderBytesAfterRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := diskServer(t, dir)
	mustStatus(t, ts.do("PUT", "/bkt", nil), 200)
	mustStatus(t, ts.do("PUT", "/bkt/k", []byte("x"), "Content-Type", "text/\xff", "x-amz-meta-a", "caf\xe9"), 200)
	get := func(ts *testServer) (string, string) {
		r := ts.do("GET", "/bkt/k", nil)
		return r.Header.Get("Content-Type"), r.Header.Get("X-Amz-Meta-A")
	}
	ct, meta := get(ts)
	ts.Close()
	if err := ts.s.Close(); err != nil {
		t.Fatal(err)
	}
	if ct2, meta2 := get(diskServer(t, dir)); ct2 != ct || meta2 != meta {
		t.Errorf("after a restart Content-Type %q, x-amz-meta-a %q; before %q, %q", ct2, meta2, ct, meta)
	}
}
