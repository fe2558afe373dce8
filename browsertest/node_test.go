package browsertest

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3server"
)

// jsDir is where the pinned AWS SDK for JavaScript v3 is installed
// (npm ci, from package-lock.json).
const jsDir = "js"

// nodeJS returns the path of node, skipping the test when node or the
// installed packages are missing, unless S3CORS_REQUIRE_NODE=1 demands
// them, as CI does after installing them.
func nodeJS(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	missing := ""
	switch {
	case err != nil:
		missing = "no node on PATH (apt-get install -y nodejs npm)"
	default:
		if _, err := os.Stat(filepath.Join(jsDir, "node_modules", "@aws-sdk", "client-s3", "package.json")); err != nil {
			missing = "the JavaScript SDK is not installed (cd browsertest/js && npm ci)"
		}
	}
	if missing == "" {
		return node
	}
	if os.Getenv("S3CORS_REQUIRE_NODE") == "1" {
		t.Fatal("S3CORS_REQUIRE_NODE=1 but " + missing)
	}
	t.Skip(missing + "; set S3CORS_REQUIRE_NODE=1 to make this a failure")
	return ""
}

// testData is what the scripts upload: byte i is (i*31+7) mod 256.
func testData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + 7)
	}
	return b
}

func quotedMD5(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func b64SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func b64CRC32(b []byte) string {
	v := crc32.ChecksumIEEE(b)
	return base64.StdEncoding.EncodeToString([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// headerLog records the headers of the uploads (PUT and POST) that
// reached the endpoint, by method and path.
type headerLog struct {
	mu  sync.Mutex
	put map[string]http.Header
}

func (l *headerLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut || r.Method == http.MethodPost {
			l.mu.Lock()
			if l.put == nil {
				l.put = map[string]http.Header{}
			}
			h := r.Header.Clone()
			if len(r.TransferEncoding) > 0 {
				h.Set("Transfer-Encoding", strings.Join(r.TransferEncoding, ","))
			}
			l.put[r.Method+" "+r.URL.Path] = h
			l.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// get returns the headers of the last upload by method to path.
func (l *headerLog) get(method, path string) http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.put[method+" "+path]
}

// nodeResult is what node.mjs reports for a scenario.
type nodeResult struct {
	OK        bool    `json:"ok"`
	Error     string  `json:"error"`
	Status    int     `json:"status"`
	ETag      string  `json:"etag"`
	PartETag  string  `json:"partETag"`
	CRC32     *string `json:"crc32"`
	SHA256    *string `json:"sha256"`
	GetETag   string  `json:"getETag"`
	GetSHA256 string  `json:"getSHA256"`
	GetLength int     `json:"getLength"`
}

// TestNodeSDKUploads runs node.mjs, the AWS SDK for JavaScript v3 in
// Node, against serve with and without keys: a stream with the SDK's
// default checksum goes aws-chunked with a trailing CRC32 over plain
// HTTP, a stream with SHA-256 asked for with a trailing SHA-256, and the
// rest as the SDK chooses; each object is read back and compared, and
// what reached the endpoint is checked.
func TestNodeSDKUploads(t *testing.T) {
	t.Parallel()
	node := nodeJS(t)
	for _, mode := range []struct {
		name     string
		ak, sk   string
		clientAK string
	}{
		{"anonymous serve", "", "", "any"},
		{"signed serve", "AKIDNODE", "node/secret", "AKIDNODE"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			log := &headerLog{}
			endpoint := newServer(t, log.wrap(nodeServer(t, mode.ak, mode.sk, "node")))
			sk := mode.sk
			if sk == "" {
				sk = "any"
			}
			var got map[string]nodeResult
			runNode(t, node, &got, "node.mjs", endpoint.URL, "node", mode.clientAK, sk)
			str := func(s string) *string { return &s }
			checkNodeMultipart(t, got, log)
			for _, want := range []struct {
				name    string
				size    int
				crc32   *string
				sha256  *string
				headers map[string]string // what reached the endpoint; "" for absent
			}{
				{"stream-default", 200000, str(b64CRC32(testData(200000))), nil, map[string]string{
					"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
					"X-Amz-Trailer": "x-amz-checksum-crc32", "X-Amz-Decoded-Content-Length": "200000", "X-Amz-Checksum-Crc32": ""}},
				{"stream-sha256", 100000, nil, str(b64SHA256(testData(100000))), map[string]string{
					"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
					"X-Amz-Trailer": "x-amz-checksum-sha256", "X-Amz-Decoded-Content-Length": "100000"}},
				{"buffer", 5000, str(b64CRC32(testData(5000))), nil, map[string]string{
					"Content-Encoding": "", "X-Amz-Trailer": "", "X-Amz-Checksum-Crc32": b64CRC32(testData(5000))}},
				{"upload-stream", 300000, str(b64CRC32(testData(300000))), nil, map[string]string{
					"Content-Encoding": "", "X-Amz-Trailer": "", "X-Amz-Checksum-Crc32": b64CRC32(testData(300000))}},
				{"presigned-put", 7000, nil, nil, map[string]string{"Content-Encoding": "", "X-Amz-Trailer": ""}},
			} {
				t.Run(want.name, func(t *testing.T) {
					r, ok := got[want.name]
					if !ok || !r.OK {
						t.Fatalf("the SDK failed: %+v", r)
					}
					data := testData(want.size)
					if r.ETag != quotedMD5(data) || r.GetETag != r.ETag {
						t.Errorf("ETag %q, GetObject's %q, want %q", r.ETag, r.GetETag, quotedMD5(data))
					}
					if r.GetSHA256 != hexSHA256(data) || r.GetLength != want.size {
						t.Errorf("GetObject returned %d bytes, SHA-256 %s; want %d, %s", r.GetLength, r.GetSHA256, want.size, hexSHA256(data))
					}
					if !equalPtr(r.CRC32, want.crc32) || !equalPtr(r.SHA256, want.sha256) {
						t.Errorf("checksums the SDK read: CRC32 %v, SHA-256 %v; want %v, %v", deref(r.CRC32), deref(r.SHA256), deref(want.crc32), deref(want.sha256))
					}
					if want.name == "presigned-put" && r.Status != 200 {
						t.Errorf("fetch of the presigned URL: %d", r.Status)
					}
					h := log.get("PUT", "/node/"+want.name)
					if h == nil {
						t.Fatal("no upload reached the endpoint")
					}
					for name, v := range want.headers {
						if h.Get(name) != v {
							t.Errorf("the SDK sent %s %q, want %q", name, h.Get(name), v)
						}
					}
					if mode.ak != "" && want.name != "presigned-put" && !strings.HasPrefix(h.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDNODE/") {
						t.Errorf("Authorization %q", h.Get("Authorization"))
					}
				})
			}
		})
	}
}

// checkNodeMultipart checks the multipart scenarios: a part streamed
// aws-chunked with a trailing CRC32, and lib-storage's Upload of 12 MiB.
func checkNodeMultipart(t *testing.T, got map[string]nodeResult, log *headerLog) {
	t.Run("part-stream", func(t *testing.T) {
		r := got["part-stream"]
		if !r.OK {
			t.Fatalf("the SDK failed: %+v", r)
		}
		data := testData(150000)
		if r.PartETag != quotedMD5(data) || deref(r.CRC32) != b64CRC32(data) {
			t.Errorf("UploadPart: ETag %q, CRC32 %s; want %q, %s", r.PartETag, deref(r.CRC32), quotedMD5(data), b64CRC32(data))
		}
		if want := multipartETag(data, len(data)); r.ETag != want || r.GetETag != want {
			t.Errorf("ETag %q, GetObject's %q, want %q", r.ETag, r.GetETag, want)
		}
		if r.GetSHA256 != hexSHA256(data) || r.GetLength != len(data) {
			t.Errorf("GetObject returned %d bytes, SHA-256 %s", r.GetLength, r.GetSHA256)
		}
		h := log.get("PUT", "/node/part-stream")
		for name, v := range map[string]string{"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
			"X-Amz-Trailer": "x-amz-checksum-crc32", "X-Amz-Decoded-Content-Length": "150000"} {
			if h.Get(name) != v {
				t.Errorf("the SDK sent %s %q with UploadPart, want %q", name, h.Get(name), v)
			}
		}
	})
	t.Run("upload-multipart", func(t *testing.T) {
		r := got["upload-multipart"]
		if !r.OK {
			t.Fatalf("the SDK failed: %+v", r)
		}
		data := testData(12 << 20)
		if want := multipartETag(data, 5<<20); r.ETag != want || r.GetETag != want {
			t.Errorf("ETag %q, GetObject's %q, want %q", r.ETag, r.GetETag, want)
		}
		if r.GetSHA256 != hexSHA256(data) || r.GetLength != len(data) {
			t.Errorf("GetObject returned %d bytes, SHA-256 %s", r.GetLength, r.GetSHA256)
		}
	})
}

func equalPtr(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func deref(p *string) string {
	if p == nil {
		return "<none>"
	}
	return *p
}

// TestNodeSDKOddKeys runs oddkeys.mjs against a serve that checks
// signatures: the requests the JavaScript SDK signs for keys S3 stores
// as they are written, dot segments and "%2F" included, must verify.
func TestNodeSDKOddKeys(t *testing.T) {
	t.Parallel()
	node := nodeJS(t)
	endpoint := newServer(t, nodeServer(t, "AKIDNODE", "node/secret", "node-odd-keys"))
	keys := []string{"a b", "a+b", "a%2Fb", "é/日本", "a//b", "./x", "a/../b", "..", "x?y=1&z", "#h", "~t*s",
		"semi;c", "100%", "!$&'()*,;=:@[]"}
	var failures []string
	runNode(t, node, &failures, "oddkeys.mjs", append([]string{endpoint.URL, "node-odd-keys", "AKIDNODE", "node/secret"}, keys...)...)
	for _, f := range failures {
		t.Error(f)
	}
}

// nodeServer starts serve in memory with the keys ak and sk ("" for an
// anonymous serve) and the private bucket name, closed when the test ends.
func nodeServer(t *testing.T, ak, sk, name string) *s3server.Server {
	t.Helper()
	srv, err := s3server.New(s3server.Options{InMemory: true, AccessKey: ak, SecretKey: sk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.CreateBucket(name, "private"); err != nil {
		t.Fatal(err)
	}
	return srv
}

// runNode runs script, in browsertest/js, with args, for two minutes at
// most, and decodes the JSON it prints into v.
func runNode(t *testing.T, node string, v any, script string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Dir = jsDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%s printed %q: %v", script, out, err)
	}
}
