package s3server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// chunkedUpload is an aws-chunked PutObject as a client sends it: the
// seed signed by aws-sdk-go-v2's signer, the chunks and the trailer
// signed by the test, independently of package sigv.
type chunkedUpload struct {
	token     string // x-amz-content-sha256
	data      []byte
	chunkSize int
	trailer   bool // send x-amz-checksum-crc32 as a trailer
	anonymous bool // no Authorization at all
	edit      func(body string) string
	decoded   string // x-amz-decoded-content-length, when not len(data)
	// encoding is Content-Encoding, "aws-chunked" when empty; "-" sends
	// none, as aws-sdk-java v1 and aws-sdk-net send signed chunks.
	encoding string
}

func crc32Value(data []byte) string {
	v := crc32.ChecksumIEEE(data)
	return base64.StdEncoding.EncodeToString([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func hmacHex(key []byte, s string) (string, []byte) {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	sum := m.Sum(nil)
	return hex.EncodeToString(sum), sum
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// request builds the upload to path on ts, signed at now.
func (u chunkedUpload) request(t *testing.T, ts *testServer, path string, now time.Time) *http.Request {
	t.Helper()
	signed := strings.HasPrefix(u.token, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
	req := ts.request("PUT", path, nil)
	switch u.encoding {
	case "":
		req.Header.Set("Content-Encoding", "aws-chunked")
	case "-":
	default:
		req.Header.Set("Content-Encoding", u.encoding)
	}
	req.Header.Set("X-Amz-Content-Sha256", u.token)
	decoded := strconv.Itoa(len(u.data))
	if u.decoded != "" {
		decoded = u.decoded
	}
	req.Header.Set("X-Amz-Decoded-Content-Length", decoded)
	if u.trailer {
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
	}
	var key []byte
	var prev, scope string
	amzDate := now.UTC().Format("20060102T150405Z")
	if !u.anonymous {
		err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
			req, u.token, "s3", "us-east-1", now, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		if err != nil {
			t.Fatal(err)
		}
		auth := req.Header.Get("Authorization")
		prev = auth[strings.LastIndex(auth, "=")+1:]
		key = []byte("AWS4" + testSecretKey)
		for _, part := range []string{now.UTC().Format("20060102"), "us-east-1", "s3", "aws4_request"} {
			_, key = hmacHex(key, part)
		}
		scope = now.UTC().Format("20060102") + "/us-east-1/s3/aws4_request"
	}
	sign := func(kind, hashes string) string {
		prev, _ = hmacHex(key, kind+"\n"+amzDate+"\n"+scope+"\n"+prev+"\n"+hashes)
		return prev
	}
	var b strings.Builder
	chunk := func(p []byte) {
		fmt.Fprintf(&b, "%x", len(p))
		if signed {
			b.WriteString(";chunk-signature=" + sign("AWS4-HMAC-SHA256-PAYLOAD", hexSHA256(nil)+"\n"+hexSHA256(p)))
		}
		b.WriteString("\r\n")
		b.Write(p)
		if len(p) > 0 {
			b.WriteString("\r\n")
		}
	}
	for rest := u.data; len(rest) > 0; rest = rest[min(u.chunkSize, len(rest)):] {
		chunk(rest[:min(u.chunkSize, len(rest))])
	}
	chunk(nil)
	if u.trailer {
		line := "x-amz-checksum-crc32:" + crc32Value(u.data)
		b.WriteString(line + "\r\n")
		if signed {
			b.WriteString("x-amz-trailer-signature:" + sign("AWS4-HMAC-SHA256-TRAILER", hexSHA256([]byte(line+"\n"))) + "\r\n")
		}
	}
	b.WriteString("\r\n")
	body := b.String()
	if u.edit != nil {
		body = u.edit(body)
	}
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	return req
}

// TestChunkedUploads sends aws-chunked PutObjects of each kind to a
// server that checks signatures, and reads back what was stored.
func TestChunkedUploads(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	if err := ts.s.CreateBucket("chunked", "private"); err != nil {
		t.Fatal(err)
	}
	if err := ts.s.CreateBucket("public", "public-read-write"); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 3*8192+1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	const (
		signedToken   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
		trailerToken  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
		unsignedToken = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	)
	flip := func(after string) func(string) string {
		return func(body string) string {
			i := strings.LastIndex(body, after) + len(after)
			c := byte('0')
			if body[i] == '0' {
				c = '1'
			}
			return body[:i] + string(c) + body[i+1:]
		}
	}
	for _, c := range []struct {
		name, path string
		up         chunkedUpload
		status     int
		code       string
	}{
		{"signed chunks", "/chunked/signed", chunkedUpload{token: signedToken, data: data, chunkSize: 8192}, 200, ""},
		{"signed chunks and trailer", "/chunked/signed-trailer", chunkedUpload{token: trailerToken, data: data, chunkSize: 10000, trailer: true}, 200, ""},
		{"unsigned chunks and trailer", "/chunked/unsigned", chunkedUpload{token: unsignedToken, data: data, chunkSize: 65536, trailer: true}, 200, ""},
		{"unsigned chunks without trailer", "/chunked/no-trailer", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192}, 200, ""},
		// S3 takes signed chunks without Content-Encoding: aws-chunked,
		// as aws-sdk-java v1 (aws/aws-sdk-java#580) and aws-sdk-net
		// (aws/aws-sdk-net#678) send them to it, and as AWS's support
		// advised fog to send them (fog/fog-aws#147; brendanhay/amazonka#681,
		// tested against S3).
		{"signed chunks without Content-Encoding", "/chunked/no-encoding", chunkedUpload{token: signedToken, data: data, chunkSize: 8192, encoding: "-"}, 200, ""},
		// UNVERIFIED: the trailer forms, which every SDK sends with the
		// encoding, are refused without it.
		{"unsigned chunks and trailer without Content-Encoding", "/chunked/no-encoding-trailer", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192, trailer: true, encoding: "-"}, 400, "MalformedTrailerError"},
		{"an empty object", "/chunked/empty", chunkedUpload{token: signedToken, chunkSize: 8192}, 200, ""},
		{"anonymous, to a public bucket", "/public/anonymous", chunkedUpload{token: unsignedToken, data: data, chunkSize: 9000, trailer: true, anonymous: true}, 200, ""},
		{"anonymous, to a private bucket", "/chunked/anonymous", chunkedUpload{token: unsignedToken, data: data, chunkSize: 9000, trailer: true, anonymous: true}, 403, "AccessDenied"},

		{"a bad signature of the last data chunk", "/chunked/bad-chunk", chunkedUpload{token: signedToken, data: data, chunkSize: 8192,
			edit: func(b string) string {
				return flip("chunk-signature=")(b[:strings.LastIndex(b, "0;chunk")]) + b[strings.LastIndex(b, "0;chunk"):]
			}}, 403, "SignatureDoesNotMatch"},
		{"a bad signature of the final chunk", "/chunked/bad-final", chunkedUpload{token: signedToken, data: data, chunkSize: 8192, edit: flip("chunk-signature=")}, 403, "SignatureDoesNotMatch"},
		{"a bad trailer signature", "/chunked/bad-trailer-sig", chunkedUpload{token: trailerToken, data: data, chunkSize: 8192, trailer: true, edit: flip("x-amz-trailer-signature:")}, 403, "SignatureDoesNotMatch"},
		{"a wrong checksum", "/chunked/bad-sum", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192, trailer: true,
			edit: func(b string) string { return strings.Replace(b, crc32Value(data), crc32Value(data[1:]), 1) }}, 400, "BadDigest"},
		{"a body cut short", "/chunked/short", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192, trailer: true,
			edit: func(b string) string { return b[:len(b)/2] }}, 400, "IncompleteBody"},
		{"a decoded length too large", "/chunked/long", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192, decoded: strconv.Itoa(len(data) + 1)}, 400, "IncompleteBody"},
		{"a decoded length over the limit", "/chunked/huge", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192, decoded: strconv.Itoa(s3server.MaxObjectSize + 1)}, 400, "EntityTooLarge"},
		{"a small chunk that is not the last", "/chunked/small", chunkedUpload{token: signedToken, data: data, chunkSize: 4096}, 403, "InvalidChunkSizeError"},
		{"a chunk size of 2^63", "/chunked/overflow", chunkedUpload{token: unsignedToken, data: data, chunkSize: 8192,
			edit: func(b string) string { return strings.Replace(b, "2000\r\n", "8000000000000000\r\n", 1) }}, 400, "IncompleteBody"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.send(c.up.request(t, ts, c.path, time.Now()))
			if r.StatusCode != c.status || c.code != "" && s3Code(r.body) != c.code {
				t.Fatalf("PUT: %s, want %d %s", r, c.status, c.code)
			}
			get := ts.signed(ts.request("GET", c.path, nil), nil)
			if c.status != 200 {
				if get.StatusCode != 404 {
					t.Errorf("a refused upload was stored: GET %s", get)
				}
				return
			}
			sum := md5.Sum(c.up.data)
			if etag := `"` + hex.EncodeToString(sum[:]) + `"`; r.Header.Get("ETag") != etag || get.Header.Get("ETag") != etag {
				t.Errorf("ETag: PUT %q, GET %q, want %q", r.Header.Get("ETag"), get.Header.Get("ETag"), etag)
			}
			if !bytes.Equal(get.body, c.up.data) {
				t.Errorf("GET returned %d bytes that differ from the %d sent", len(get.body), len(c.up.data))
			}
			if got := get.Header.Get("Content-Encoding"); got != "" {
				t.Errorf("stored Content-Encoding %q, want none", got)
			}
			wantSum := ""
			if c.up.trailer {
				wantSum = crc32Value(c.up.data)
			}
			if got := r.Header.Get("X-Amz-Checksum-Crc32"); got != wantSum {
				t.Errorf("x-amz-checksum-crc32 in the answer = %q, want %q", got, wantSum)
			}
		})
	}
}

// TestChunkedAnonymousServe sends aws-chunked bodies to a server that
// checks no signature: they are decoded, the signatures in them not
// checked, as the server has no keys to check them with.
func TestChunkedAnonymousServe(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/anon", nil), 200)
	data := bytes.Repeat([]byte("anonymous "), 2000)
	for _, up := range []chunkedUpload{
		{token: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data: data, chunkSize: 8192, trailer: true, anonymous: true},
		{token: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", data: data, chunkSize: 8192},
	} {
		r := ts.send(up.request(t, ts, "/anon/"+up.token, fixedNow))
		if r.StatusCode != 200 {
			t.Fatalf("%s: %s", up.token, r)
		}
		if get := ts.do("GET", "/anon/"+up.token, nil); !bytes.Equal(get.body, data) {
			t.Errorf("%s: GET returned %d bytes that differ from the %d sent", up.token, len(get.body), len(data))
		}
	}
}

// TestChunkedTransferEncoding sends an aws-chunked body inside HTTP's
// chunked transfer coding, without Content-Length, as the JavaScript SDK
// sends a stream.
func TestChunkedTransferEncoding(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	if err := ts.s.CreateBucket("transfer", "private"); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("t"), 20000)
	req := chunkedUpload{token: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data: data, chunkSize: 20000, trailer: true}.request(t, ts, "/transfer/k", time.Now())
	body, _ := io.ReadAll(req.Body)
	req.Body, req.ContentLength = io.NopCloser(io.MultiReader(bytes.NewReader(body))), -1
	r := ts.send(req)
	if r.StatusCode != 200 || r.Header.Get("X-Amz-Checksum-Crc32") != crc32Value(data) {
		t.Fatalf("PUT: %s %v", r, r.Header)
	}
	if get := ts.signed(ts.request("GET", "/transfer/k", nil), nil); !bytes.Equal(get.body, data) {
		t.Errorf("GET: %d bytes", len(get.body))
	}
}

// TestSDKChunkedOverTLS lets aws-sdk-go-v2 choose how to send a body it
// cannot seek, with a checksum: over TLS it sends aws-chunked with a
// trailing CRC32, which the server decodes and checks.
func TestSDKChunkedOverTLS(t *testing.T) {
	t.Parallel()
	s, err := s3server.New(s3server.Options{InMemory: true, AccessKey: testAccessKey, SecretKey: testSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mu sync.Mutex
	seen := map[string]string{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			mu.Lock()
			seen["x-amz-content-sha256"] = r.Header.Get("X-Amz-Content-Sha256")
			seen["x-amz-trailer"] = r.Header.Get("X-Amz-Trailer")
			seen["content-encoding"] = r.Header.Get("Content-Encoding")
			mu.Unlock()
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := s3servertest.Client(srv, testAccessKey, testSecretKey)
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tls")}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789"), 10000)
	out, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tls"), Key: aws.String("k"),
		Body: io.MultiReader(bytes.NewReader(data)), ContentLength: aws.Int64(int64(len(data))),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[string]string{"x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-trailer": "x-amz-checksum-crc32", "content-encoding": "aws-chunked"}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("the SDK sent %s %q, want %q", k, seen[k], v)
		}
	}
	if aws.ToString(out.ChecksumCRC32) != crc32Value(data) {
		t.Errorf("ChecksumCRC32 = %q, want %q", aws.ToString(out.ChecksumCRC32), crc32Value(data))
	}
	sum := md5.Sum(data)
	if aws.ToString(out.ETag) != `"`+hex.EncodeToString(sum[:])+`"` {
		t.Errorf("ETag = %q", aws.ToString(out.ETag))
	}
	get, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tls"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	defer get.Body.Close()
	if got, _ := io.ReadAll(get.Body); !bytes.Equal(got, data) {
		t.Errorf("GetObject returned %d bytes that differ from the %d sent", len(got), len(data))
	}
}
