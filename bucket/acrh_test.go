package bucket

import (
	"strings"
	"testing"
)

// FuzzSplitNames holds the Access-Control-Request-Headers parser to a
// naive split: names trimmed of spaces and tabs, empty elements dropped,
// and bounded work for whatever the request holds.
func FuzzSplitNames(f *testing.F) {
	for _, s := range []string{"", "a", "content-type,x-amz-date", " a ,, \tb ,", ",,,,", "a\x00b,c d", strings.Repeat("x,", 63) + "y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !acrhWithinBounds([]string{s}) {
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

func TestACRHBounds(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{"none", nil, true},
		{"8 KiB", []string{strings.Repeat("a", MaxHeaderValueLen)}, true},
		{"8 KiB + 1", []string{strings.Repeat("a", MaxHeaderValueLen+1)}, false},
		{"8 KiB across two lines, joined by a comma", []string{strings.Repeat("a", 4096), strings.Repeat("b", 4095)}, true},
		{"over 8 KiB across two lines", []string{strings.Repeat("a", 4096), strings.Repeat("b", 4096)}, false},
		{"64 elements", []string{strings.Repeat(",", 63)}, true},
		{"65 elements", []string{strings.Repeat(",", 64)}, false},
		{"65 elements across lines", []string{strings.Repeat(",", 32), strings.Repeat(",", 31)}, false},
		{"1 MiB of commas", []string{strings.Repeat(",", 1<<20)}, false},
		{"too many lines", make([]string, maxACRHLines+1), false},
	}
	for _, tc := range tests {
		if got := acrhWithinBounds(tc.lines); got != tc.want {
			t.Errorf("%s: acrhWithinBounds = %v, want %v", tc.name, got, tc.want)
		}
	}
}
