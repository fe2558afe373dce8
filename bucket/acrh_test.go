package bucket

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// FuzzSplitNames holds the Access-Control-Request-Headers parser to a
// naive split: names trimmed of spaces and tabs, empty elements dropped,
// and bounded work for whatever the request holds.
func FuzzSplitNames(f *testing.F) {
	for _, s := range []string{"", "a", "content-type,x-amz-date", " a ,, \tb ,", ",,,,", "a\x00b,c d", strings.Repeat("x,", 63) + "y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > MaxHeaderValueLen || !fewEnoughNames(s) {
			if len(s) <= MaxHeaderValueLen && strings.Count(s, ",") < MaxRequestedHeaders {
				t.Fatalf("%q refused within bounds", s)
			}
			return
		}
		var want []string
		for _, n := range strings.Split(s, ",") {
			if n = strings.Trim(n, " \t"); n != "" {
				want = append(want, n)
			}
		}
		var spans [MaxRequestedHeaders]nameSpan
		n := splitNames(s, &spans)
		if n != len(want) {
			t.Fatalf("splitNames(%q) found %d names, want %d", s, n, len(want))
		}
		for i, sp := range spans[:n] {
			if got := s[sp.lo:sp.hi]; got != want[i] {
				t.Fatalf("splitNames(%q)[%d] = %q, want %q", s, i, got, want[i])
			}
		}
	})
}

// FuzzIsOneLowerName holds the eight-bytes-at-a-time test to the byte by
// byte one: it may turn away a name that needs no building (that costs
// building it), never pass one that does, and passes what browsers send.
func FuzzIsOneLowerName(f *testing.F) {
	for _, s := range []string{"", "a", "content-type", "Content-Type", "x-amz-date,content-type", "x-amz-meta-longer-NAME",
		"authorization ", "\x7f\xc1Zzzzzzzz", "abcdefgh\xdbZ", "abcdefg@", "abcdefgA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain := s != "" && !strings.ContainsFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' || r == ',' || r == ' ' || r == '\t' })
		got := isOneLowerName(s)
		if got && !plain {
			t.Fatalf("isOneLowerName(%q) = true; it needs building", s)
		}
		if tokenLike := strings.Trim(s, "-.0123456789^_`abcdefghijklmnopqrstuvwxyz|~") == ""; plain && tokenLike && !got {
			t.Fatalf("isOneLowerName(%q) = false for a lower-case name", s)
		}
	})
}

func TestFewEnoughNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		acrh string
		want bool
	}{
		{"none", "", true},
		{"63 bytes", strings.Repeat(",", 62) + "a", true},
		{"64 elements", strings.Repeat(",", 63), true},
		{"65 elements", strings.Repeat(",", 64), false},
		{"65 elements among names", strings.Repeat("a,", 64) + "b", false},
		{"1 MiB of commas", strings.Repeat(",", 1<<20), false},
	}
	for _, tc := range tests {
		if got := fewEnoughNames(tc.acrh); got != tc.want {
			t.Errorf("%s: fewEnoughNames = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGlobTailFilter checks that the quick comparison never turns
// away an origin a wildcard pattern admits.
func TestGlobTailFilter(t *testing.T) {
	t.Parallel()
	patterns := []string{"*", "a*", "*a", "*.example.com", "https://*.example.com", "https://*", "http://localhost:*",
		"start*end", "*12345678", "*123456789", "x*yz", "*b"}
	origins := []string{"", "a", "b", "ab", "ba", "https://x.example.com", "https://example.com", "http://localhost:8080",
		"startend", "start-end", "012345678", "123456789", "0123456789", "xyz", "xyyz", "https://a", "a.example.com"}
	for _, p := range patterns {
		g := newOriginGlob(p, 0)
		for _, o := range origins {
			if got, want := g.mayAdmit(o) && g.pattern.Match(o), corsrule.OriginPattern(p).Match(o); got != want {
				t.Errorf("pattern %q, origin %q: admits = %v, Match = %v", p, o, got, want)
			}
		}
	}
}
