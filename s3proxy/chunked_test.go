package s3proxy_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// chunkedCorsPut returns a PutBucketCors of doc to url+"/"+bucket, its
// body aws-chunked in chunks of 8 KiB as token says and signed with the
// keys as aws-sdk-go-v2 signs it: the seed, and for the signed tokens
// each chunk, chained (written here, apart from package sigv). The
// request says Content-Encoding: aws-chunked when encoded is true; S3
// takes signed chunks without it, as clients written before the header
// send them.
func chunkedCorsPut(t *testing.T, url, bucket, token string, doc []byte, ak, sk string, encoded bool) *http.Request {
	t.Helper()
	req, err := http.NewRequest("PUT", url+"/"+bucket+"?cors", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-MD5", vectortest.ContentMD5(doc))
	if encoded {
		req.Header.Set("Content-Encoding", "aws-chunked")
	}
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(doc)))
	now := time.Now().UTC()
	vectortest.SignRequestPayload(t, req, token, ak, sk, now)
	auth := req.Header.Get("Authorization")
	prev := auth[strings.LastIndex(auth, "=")+1:]
	hmacSum := func(key []byte, s string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return m.Sum(nil)
	}
	hexSHA256 := func(b []byte) string { sum := sha256.Sum256(b); return hex.EncodeToString(sum[:]) }
	key := []byte("AWS4" + sk)
	for _, part := range []string{now.Format("20060102"), "us-east-1", "s3", "aws4_request"} {
		key = hmacSum(key, part)
	}
	scope := now.Format("20060102") + "/us-east-1/s3/aws4_request"
	signed := token == sigv.StreamingSigned
	var b strings.Builder
	chunk := func(p []byte) {
		fmt.Fprintf(&b, "%x", len(p))
		if signed {
			prev = hex.EncodeToString(hmacSum(key, "AWS4-HMAC-SHA256-PAYLOAD\n"+now.Format("20060102T150405Z")+"\n"+scope+"\n"+prev+"\n"+hexSHA256(nil)+"\n"+hexSHA256(p)))
			b.WriteString(";chunk-signature=" + prev)
		}
		b.WriteString("\r\n")
		b.Write(p)
		if len(p) > 0 {
			b.WriteString("\r\n")
		}
	}
	for rest := doc; len(rest) > 0; rest = rest[min(8192, len(rest)):] {
		chunk(rest[:min(8192, len(rest))])
	}
	chunk(nil)
	b.WriteString("\r\n")
	body := b.String()
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	return req
}

// corsDoc returns a CORS configuration of size bytes, one rule for
// origin padded with blanks.
func corsDoc(t *testing.T, origin string, size int) []byte {
	t.Helper()
	head := `<CORSConfiguration><CORSRule><AllowedOrigin>` + origin + `</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`
	tail := `</CORSConfiguration>`
	if size < len(head)+len(tail) {
		t.Fatalf("no CORS document of %d bytes", size)
	}
	return []byte(head + strings.Repeat(" ", size-len(head)-len(tail)) + tail)
}

// TestPutBucketCorsChunked sends PutBucketCors with aws-chunked bodies,
// signed and unsigned, whose documents are under S3's 64 KiB and whose
// framing takes them over: the proxy, and s3cors serve behind it and
// alone, take them; a document over 64 KiB is refused.
func TestPutBucketCorsChunked(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	direct := &vectortest.Endpoint{URL: up.URL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
	if r := direct.Signed(t, direct.Request(t, "PUT", "/chunked", nil), nil); r.StatusCode != 200 {
		t.Fatalf("CreateBucket: %s", r)
	}
	const max = 64 << 10
	for _, ep := range []struct{ name, url string }{{"proxy", front.URL}, {"serve", up.URL}} {
		for _, tc := range []struct {
			token   string
			encoded bool
			size    int
			status  int
			code    string
		}{
			{sigv.StreamingUnsignedTrailer, true, max - 20, 200, ""},
			{sigv.StreamingUnsignedTrailer, true, max, 200, ""},
			{sigv.StreamingUnsignedTrailer, true, max + 1, 400, "MaxMessageLengthExceeded"},
			{sigv.StreamingSigned, true, max - 20, 200, ""},
			{sigv.StreamingSigned, true, max, 200, ""},
			{sigv.StreamingSigned, true, max + 1, 400, "MaxMessageLengthExceeded"},
			// Signed chunks without Content-Encoding: the token alone
			// says the body is framed, and the bound is the document's.
			{sigv.StreamingSigned, false, max, 200, ""},
			{sigv.StreamingSigned, false, max + 1, 400, "MaxMessageLengthExceeded"},
		} {
			name := fmt.Sprintf("%s/%s/%d", ep.name, tc.token, tc.size)
			if !tc.encoded {
				name += "/no-encoding"
			}
			// One at a time: each reads back the configuration of the one
			// bucket.
			t.Run(name, func(t *testing.T) {
				origin := fmt.Sprintf("https://%s-%d-%t.example", strings.ToLower(tc.token), tc.size, tc.encoded)
				doc := corsDoc(t, origin, tc.size)
				req := chunkedCorsPut(t, ep.url, "chunked", tc.token, doc, upstreamAccessKey, upstreamSecretKey, tc.encoded)
				if req.ContentLength <= max {
					t.Fatalf("the framed body is %d bytes, want more than %d for the case to mean anything", req.ContentLength, max)
				}
				r := direct.Send(t, req)
				if code, _ := vectortest.ErrorOf(r.Body); r.StatusCode != tc.status || code != tc.code {
					t.Fatalf("PutBucketCors of %d bytes, %d framed: %s; want %d %s", tc.size, req.ContentLength, r, tc.status, tc.code)
				}
				if tc.status != 200 {
					return
				}
				e := &vectortest.Endpoint{URL: ep.url, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
				got := e.Signed(t, e.Request(t, "GET", "/chunked?cors", nil), nil)
				if got.StatusCode != 200 || !bytes.Contains(got.Body, []byte("<AllowedOrigin>"+origin+"</AllowedOrigin>")) {
					t.Errorf("GetBucketCors after it: %s", got)
				}
			})
		}
	}
}
