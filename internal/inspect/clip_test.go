package inspect

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	t.Parallel()
	r := strings.Repeat
	for _, tc := range []struct {
		name, in, want string
	}{
		{"short", `no AllowedOrigin admits "https://a.example"`, `no AllowedOrigin admits "https://a.example"`},
		{"long sentence, short values", r(`"ab" `, 100), r(`"ab" `, 100)},
		{"quoted value at the bound", `admits "` + r("a", 256) + `" (AllowedOrigins "*")`, `admits "` + r("a", 256) + `" (AllowedOrigins "*")`},
		{"quoted value over it", `no AllowedOrigin admits "` + r("a", 257) + `" (AllowedOrigins "x")`,
			`no AllowedOrigin admits "` + r("a", 256) + `…" (AllowedOrigins "x")`},
		// 64 escapes of 4 bytes fill the 256; the 65th is not cut in two.
		{"escapes kept whole", `the Origin "` + r(`\x80`, 2048) + `" is not a serialized origin`,
			`the Origin "` + r(`\x80`, 64) + `…" is not a serialized origin`},
		{"escapes of every length", `"a` + r(`\u202e`, 42) + `\U0001f600\"` + r("b", 100) + `"`,
			`"a` + r(`\u202e`, 42) + `…"`},
		{"escaped quote inside", `"` + r(`\"`, 200) + `" then "` + r("c", 300) + `"`, `"` + r(`\"`, 128) + `…" then "` + r("c", 256) + `…"`},
		{"characters kept whole", `"` + r("é", 200) + `"`, `"` + r("é", 128) + `…"`},
		{"unclosed quote", `admits "` + r("d", 300), `admits "` + r("d", 256) + `…`},
		{"long word", "PUT" + r("X", 300) + " is not allowed (AllowedMethods GET)", "PUT" + r("X", 253) + "… is not allowed (AllowedMethods GET)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := clip(tc.in); got != tc.want {
				t.Errorf("clip(%q)\n = %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCutValue(t *testing.T) {
	t.Parallel()
	r := strings.Repeat
	for _, tc := range []struct{ in, want string }{
		{"content-type", "content-type"},
		{r("h", 256), r("h", 256)},
		{r("h", 257), r("h", 256) + "…"},
		{"h" + r("\x80", 300), "h" + r("\x80", 255) + "…"},
		{r("ü", 200), r("ü", 128) + "…"},
	} {
		if got := cutValue(tc.in); got != tc.want {
			t.Errorf("cutValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestKeep: a value over the bound is cut on a character boundary, so
// the event never shows a character (U+FFFD) that the request did not
// send; bytes that are not UTF-8 are cut as single bytes.
func TestKeep(t *testing.T) {
	t.Parallel()
	r := strings.Repeat
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"https://app.example", 19, "https://app.example"},
		{"https://app.example", 18, "https://app.exampl…"},
		{"https://" + r("ü", 10), 11, "https://ü…"},
		{"https://" + r("ü", 10), 12, "https://üü…"},
		{"https://€", 10, "https://…"},
		{"https://" + r("\xff", 4), 10, "https://\xff\xff…"},
	} {
		if got := keep(tc.in, tc.max, false); got != tc.want {
			t.Errorf("keep(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
