package s3err

import (
	"encoding/base64"
	"math/rand/v2"
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
	fillIDs(&b, rand.Uint64(), rand.Uint64())
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

// TestFillIDs checks that the IDs carry the bits of the words they are
// made from, read back character by character with the alphabets: the
// request ID w1's low 60 bits then w2's low 20, five bits a character,
// the low ones first; the host ID's last 24 characters mix(w1)'s low 60
// bits, mix(w2)'s low 60, and 16 of the bits of w2 the request ID left,
// six bits a character but the 23rd, which takes four, and the padding.
// mix is pinned by a known answer of SplitMix64's finalizer.
func TestFillIDs(t *testing.T) {
	t.Parallel()
	if got := mix(0x9e3779b97f4a7c15); got != 0xe220a8397b1dcdaf {
		t.Errorf("mix(0x9e3779b97f4a7c15) = %#x, want 0xe220a8397b1dcdaf", got)
	}
	words := [][2]uint64{{0, 0}, {^uint64(0), ^uint64(0)}, {0x0123456789abcdef, 0xfedcba9876543210}}
	for range 100 {
		words = append(words, [2]uint64{rand.Uint64(), rand.Uint64()})
	}
	// read returns the bits of the characters of s, n bits each, the
	// first character's the low ones.
	read := func(s, alphabet string, n uint) (bits uint64) {
		for i := len(s) - 1; i >= 0; i-- {
			bits = bits<<n | uint64(strings.IndexByte(alphabet, s[i]))
		}
		return bits
	}
	for _, w := range words {
		var b idBytes
		fillIDs(&b, w[0], w[1])
		id, host := string(b[:16]), string(b[16:])
		got := [...]uint64{
			read(id[:12], requestIDAlphabet, 5), read(id[12:], requestIDAlphabet, 5),
			read(host[52:62], base64Alphabet, 6), read(host[62:72], base64Alphabet, 6),
			read(host[72:74], base64Alphabet, 6), read(host[74:75], base64Alphabet, 6) >> 2,
		}
		want := [...]uint64{
			w[0] & (1<<60 - 1), w[1] & (1<<20 - 1),
			mix(w[0]) & (1<<60 - 1), mix(w[1]) & (1<<60 - 1),
			w[1] >> 20 & (1<<12 - 1), w[1] >> 32 & 15,
		}
		if got != want || host[:52] != hostIDPrefix || host[75] != '=' || strings.ContainsFunc(string(b[:]), func(r rune) bool { return !strings.ContainsRune(requestIDAlphabet+base64Alphabet, r) && r != '=' }) {
			t.Errorf("fillIDs(%#x, %#x) = %q, %q: read back %#x, want %#x", w[0], w[1], id, host, got, want)
		}
	}
}

// TestNewIDsEveryCharacter checks that every character an ID varies in
// takes every value its alphabet allows, over 4,000 IDs: a table or a
// shift gone wrong leaves some value out or some character fixed. (The
// chance that a correct generator leaves out any value anywhere is below
// 1e-24.) The host ID's first 52 characters are the same in
// every ID.
func TestNewIDsEveryCharacter(t *testing.T) {
	t.Parallel()
	var seen [2][76]map[byte]bool
	for i := range seen {
		for j := range seen[i] {
			seen[i][j] = map[byte]bool{}
		}
	}
	for range 4000 {
		v := newIDs().values
		for i, id := range v {
			for j := range len(id) {
				seen[i][j][id[j]] = true
			}
		}
	}
	var last []byte // the values of a 56-byte base64 text's last character
	for i := 0; i < 64; i += 4 {
		last = append(last, base64Alphabet[i])
	}
	check := func(id, pos int, alphabet string) {
		t.Helper()
		if len(seen[id][pos]) != len(alphabet) {
			t.Errorf("ID %d, character %d took %d values, want the %d of %q", id, pos, len(seen[id][pos]), len(alphabet), alphabet)
		}
		for c := range seen[id][pos] {
			if !strings.ContainsRune(alphabet, rune(c)) {
				t.Errorf("ID %d, character %d took %q, not in %q", id, pos, c, alphabet)
			}
		}
	}
	for pos := range 16 {
		check(0, pos, requestIDAlphabet)
	}
	for pos := range 52 {
		check(1, pos, hostIDPrefix[pos:pos+1])
	}
	for pos := 52; pos < 74; pos++ {
		check(1, pos, base64Alphabet)
	}
	check(1, 74, string(last))
	check(1, 75, "=")
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
