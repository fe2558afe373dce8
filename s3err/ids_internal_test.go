package s3err

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"testing"
)

// newIDsCopying makes the IDs as newIDs does, but the plain way: a string
// copied from the buffer, and the array of header values allocated on
// its own. It is what newIDs would be without unsafe.
func newIDsCopying() *[2]string {
	var buf [16 + 76]byte
	var r uint64
	for i := range 16 {
		if i%12 == 0 {
			r = rand.Uint64()
		}
		buf[i] = requestIDAlphabet[r&31]
		r >>= 5
	}
	var tail [17]byte
	binary.LittleEndian.PutUint64(tail[0:], rand.Uint64())
	binary.LittleEndian.PutUint64(tail[8:], rand.Uint64())
	copy(buf[16:], hostIDPrefix)
	base64.StdEncoding.Encode(buf[16+len(hostIDPrefix):], tail[:])
	s := string(buf[:])
	return &[2]string{s[:16], s[16:]}
}

// TestNewIDsShape checks both ways make IDs of S3's shape.
func TestNewIDsShape(t *testing.T) {
	t.Parallel()
	for name, v := range map[string][2]string{"newIDs": newIDs().values, "copying": *newIDsCopying()} {
		if len(v[0]) != 16 || len(v[1]) != 76 || v[1][75] != '=' {
			t.Errorf("%s: %q", name, v)
		}
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
	w := &discardWriter{h: http.Header{}}
	b.Run("response=shared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			Write(w, e.StatusCode, e)
		}
	})
	b.Run("response=copying", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			ids := newIDsCopying()
			w.h[RequestIDHeader] = ids[0:1:1]
			w.h[HostIDHeader] = ids[1:2:2]
			Write(w, e.StatusCode, e)
		}
	})
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
