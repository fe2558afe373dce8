package xmlw_test

import (
	"testing"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/xmlw"
)

func TestAppendElement(t *testing.T) {
	t.Parallel()
	got := string(xmlw.AppendElement([]byte("x"), "Key", "a<b"))
	if want := "x<Key>a&lt;b</Key>"; got != want {
		t.Errorf("AppendElement = %q, want %q", got, want)
	}
}

func TestAppendEscaped(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`AllowedOrigin "*example*.com" can not`, `AllowedOrigin "*example*.com" can not`}, // S3 leaves quotes alone
		{"a&b<c>d'e", "a&amp;b&lt;c&gt;d'e"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr&#xD;"},
		{"nul\x00esc\x1bdel\x7f", "nul\uFFFDesc\uFFFDdel\x7f"},
		{"bad utf8 \xff", "bad utf8 \uFFFD"},
		{"ok é \U0001F600", "ok é \U0001F600"},
		{"noncharacter \uFFFE", "noncharacter \uFFFD"},
	}
	for _, tc := range tests {
		if got := string(xmlw.AppendEscaped(nil, tc.in)); got != tc.want {
			t.Errorf("AppendEscaped(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIsText(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"": true, "plain": true, "tab\tcr\rnl\n": true, "é\U0010FFFD": true,
		"nul\x00": false, "esc\x1b": false, "\xff": false, "\uFFFE": false, "\ud7ff\ue000": true,
	} {
		if got := xmlw.IsText(s); got != want {
			t.Errorf("IsText(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzAppendEscaped compares AppendEscaped, with its word-at-a-time scan,
// with a rune-by-rune reference.
func FuzzAppendEscaped(f *testing.F) {
	f.Add("plain ASCII text that is long enough for words")
	f.Add("a&b<c>d\re\x00f\xffg\u00e9h\U0001F600")
	f.Fuzz(func(t *testing.T, s string) {
		var want []byte
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == '&':
				want = append(want, "&amp;"...)
			case r == '<':
				want = append(want, "&lt;"...)
			case r == '>':
				want = append(want, "&gt;"...)
			case r == '\r':
				want = append(want, "&#xD;"...)
			case r == utf8.RuneError && size == 1 || !xmlw.IsChar(r):
				want = append(want, "\uFFFD"...)
			default:
				want = append(want, s[i:i+size]...)
			}
			i += size
		}
		if got := xmlw.AppendEscaped(nil, s); string(got) != string(want) {
			t.Errorf("AppendEscaped(%q) = %q, want %q", s, got, want)
		}
	})
}
