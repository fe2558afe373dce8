package ascii

import (
	"strings"
	"testing"
)

func TestIsToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"content-type", true},
		{"X-Amz-*", true},
		{"!#$%&'*+-.^_`|~09AZaz", true},
		{"", false},
		{"a b", false},
		{"a,b", false},
		{"a:b", false},
		{"é", false},
		{"a\x00", false},
		{"(x)", false},
	} {
		if got := IsToken(tc.s); got != tc.want {
			t.Errorf("IsToken(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	// The table against RFC 9110's definition of tchar.
	const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for c := 0; c < 256; c++ {
		if got, want := IsTokenByte(byte(c)), strings.IndexByte(tchars, byte(c)) >= 0; got != want {
			t.Errorf("IsTokenByte(%#x) = %v, want %v", c, got, want)
		}
	}
}

func TestLower(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := byte(c)
		if 'A' <= c && c <= 'Z' {
			want = byte(c) + 32
		}
		if got := LowerByte(byte(c)); got != want {
			t.Errorf("LowerByte(%#x) = %#x, want %#x", c, got, want)
		}
	}
	for in, want := range map[string]string{"": "", "lower": "lower", "Content-Type": "content-type", "ÉCOLE": "École", "X\xffY": "x\xffy"} {
		if got := ToLower(in); got != want {
			t.Errorf("ToLower(%q) = %q, want %q", in, got, want)
		}
	}
	if n := testing.AllocsPerRun(10, func() { ToLower("already-lower") }); n != 0 {
		t.Errorf("ToLower of a lower-case string allocates %v times", n)
	}
	// Host names run past the 32 bytes a conversion may keep on the stack.
	long := strings.Repeat("Photos-", 10) + ".LOCALHOST"
	if n := testing.AllocsPerRun(10, func() { ToLower(long) }); n != 1 {
		t.Errorf("ToLower of a %d-byte upper-case string allocates %v times, want 1", len(long), n)
	}
}

func TestEqualFoldLower(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s, lower string
		want     bool
	}{
		{"Content-Type", "content-type", true},
		{"content-type", "content-type", true},
		{"CONTENT-TYPE", "content-type", true},
		{"content-typ", "content-type", false},
		{"ÉTAG", "étag", false}, // only ASCII folds
		{"K", "k", true},
		{"\u212a", "k", false}, // the Kelvin sign folds to k in Unicode, not in ASCII
	} {
		if got := EqualFoldLower(tc.s, tc.lower); got != tc.want {
			t.Errorf("EqualFoldLower(%q, %q) = %v, want %v", tc.s, tc.lower, got, tc.want)
		}
	}
}

// TestIsVisible checks the word-at-a-time scan against the byte rule at
// every position of strings longer than a word.
func TestIsVisible(t *testing.T) {
	t.Parallel()
	base := []byte("https://app.example.com:8443")
	for pos := range base {
		for c := 0; c < 256; c++ {
			b := append([]byte(nil), base...)
			b[pos] = byte(c)
			want := c > ' ' && c < 0x7f
			if got := IsVisible(string(b)); got != want {
				t.Fatalf("IsVisible with byte %#x at %d = %v, want %v", c, pos, got, want)
			}
		}
	}
	if !IsVisible("") {
		t.Error("IsVisible(\"\") = false")
	}
}

// FuzzIsVisible compares the word-at-a-time scan with a byte loop.
func FuzzIsVisible(f *testing.F) {
	f.Add("https://app.example.com")
	f.Add("https://app.example.com\x7f")
	f.Add("https://app.exam ple.com")
	f.Add("\x80\x80\x80\x80\x80\x80\x80\x80\x80")
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for i := 0; i < len(s); i++ {
			if s[i] <= ' ' || s[i] >= 0x7f {
				want = false
			}
		}
		if got := IsVisible(s); got != want {
			t.Errorf("IsVisible(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestPercentEncode(t *testing.T) {
	t.Parallel()
	slash := func(c byte) bool { return IsUnreserved(c) || c == '/' }
	for _, c := range []struct {
		in   string
		keep func(byte) bool
		want string
	}{
		{"", IsUnreserved, ""},
		{"AZaz09-._~", IsUnreserved, "AZaz09-._~"},
		{"a b/c", IsUnreserved, "a%20b%2Fc"},
		{"a b/c", slash, "a%20b/c"},
		{"é!*'()\x00\xff", IsUnreserved, "%C3%A9%21%2A%27%28%29%00%FF"},
	} {
		if got := PercentEncode(c.in, c.keep); got != c.want {
			t.Errorf("PercentEncode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWordAt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		i    int
		want uint64
	}{
		{"ABCDEFGH", 0, 0x4847464544434241}, // the first byte is the lowest
		{"xyABCDEFGH", 2, 0x4847464544434241},
		{"ABCDEFGHz", 1, 0x7a48474645444342},
	} {
		if got := WordAt(tc.s, tc.i); got != tc.want {
			t.Errorf("WordAt(%q, %d) = %#x, want %#x", tc.s, tc.i, got, tc.want)
		}
		if got := Word(tc.s[tc.i:]); got != tc.want {
			t.Errorf("Word(%q) = %#x, want %#x", tc.s[tc.i:], got, tc.want)
		}
	}
}
