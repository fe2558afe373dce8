package bucket

import (
	"strings"
	"testing"
)

// allowHeadersCopying is Result.allowHeaders without inlineValue: the
// value built on the stack, then copied into a string held by a slice of
// its own, two allocations. It is what allowHeaders would be without
// unsafe.
func allowHeadersCopying(acrh string) []string {
	var spans [MaxRequestedHeaders]nameSpan
	names, size := joinedNames(acrh, &spans)
	if names == nil {
		return nil
	}
	var buf [240]byte
	b := buf[:0]
	if size > len(buf) {
		b = make([]byte, 0, size)
	}
	return []string{string(appendLowerNames(b, acrh, names))}
}

// TestAllowHeadersCopying checks the two ways agree.
func TestAllowHeadersCopying(t *testing.T) {
	t.Parallel()
	for _, acrh := range allowHeadersCases {
		r := Result{acrh: acrh}
		if got, want := r.allowHeaders(), allowHeadersCopying(acrh); len(got) != 1 || got[0] != want[0] {
			t.Errorf("%q: allowHeaders %q, copying %q", acrh, got, want)
		}
	}
}

// allowHeadersCases are Access-Control-Request-Headers values S3's form
// of which must be built: two names a browser sends for an upload, which
// fit the 48-byte buffer, and ten, which fit the 240-byte one.
var allowHeadersCases = map[string]string{
	"2names":  "content-type,x-amz-date",
	"10names": strings.Repeat("x-amz-meta-field,", 9) + "Content-Type",
}

var sinkValue []string

// BenchmarkAllowHeaders compares building a re-joined
// Access-Control-Allow-Headers value in one allocation, the string's
// bytes beside the slice that holds it (inlineValue, with unsafe), with
// the plain way.
func BenchmarkAllowHeaders(b *testing.B) {
	for _, name := range []string{"2names", "10names"} {
		acrh := allowHeadersCases[name]
		b.Run("acrh="+name+"/value=inline", func(b *testing.B) {
			r := Result{acrh: acrh}
			b.ReportAllocs()
			for b.Loop() {
				sinkValue = r.allowHeaders()
			}
		})
		b.Run("acrh="+name+"/value=copying", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkValue = allowHeadersCopying(acrh)
			}
		})
	}
}
