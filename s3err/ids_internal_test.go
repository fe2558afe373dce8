package s3err

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/discard"
)

// newIDsCopying makes the IDs as newIDs does, but the plain way: a string
// copied from the buffer, and the array of header values allocated on
// its own. It is what newIDs would be without unsafe.
func newIDsCopying() *[2]string {
	var b idBytes
	fillIDs(&b)
	s := string(b[:])
	return &[2]string{s[:16], s[16:]}
}

// TestNewIDsShape checks both ways make IDs of S3's shape.
func TestNewIDsShape(t *testing.T) {
	t.Parallel()
	for name, v := range map[string][2]string{"newIDs": newIDs().values, "copying": *newIDsCopying()} {
		host, err := base64.StdEncoding.Strict().DecodeString(v[1])
		if len(v[0]) != 16 || strings.Trim(v[0], requestIDAlphabet) != "" || len(v[1]) != 76 || err != nil || len(host) != 56 {
			t.Errorf("%s: %q (host ID decodes to %d bytes, %v)", name, v, len(host), err)
		}
	}
}

// TestNewIDsFresh checks that no two responses share a request ID or a
// host ID.
func TestNewIDsFresh(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 10000 {
		v := newIDs().values
		if seen[v[0]] || seen[v[1]] {
			t.Fatalf("IDs %q made twice", v)
		}
		seen[v[0]], seen[v[1]] = true, true
	}
}

var sinkIDs *[2]string

// BenchmarkNewIDs compares making a response's request IDs in one
// allocation (newIDs, with unsafe) with the plain way (newIDsCopying),
// alone and within the whole of an error response whose IDs the server
// did not set (a refused preflight from bucket.Middleware in a server
// that makes none).
func BenchmarkNewIDs(b *testing.B) {
	b.Run("ids=shared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkIDs = &newIDs().values
		}
	})
	b.Run("ids=copying", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkIDs = newIDsCopying()
		}
	})
	e := New(http.StatusForbidden, "AccessForbidden", "CORSResponse: This CORS request is not allowed.", "Method", "PUT", "ResourceType", "OBJECT")
	w := &discard.ResponseWriter{Head: http.Header{}}
	b.Run("response=shared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clear(w.Head)
			Write(w, e.StatusCode, e)
		}
	})
	b.Run("response=copying", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clear(w.Head)
			ids := newIDsCopying()
			w.Head[RequestIDHeader] = ids[0:1:1]
			w.Head[HostIDHeader] = ids[1:2:2]
			Write(w, e.StatusCode, e)
		}
	})
}
