package xmlconfig

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/s3err"
)

// scanTokens runs the scanner over doc to its end and returns each token
// as kind, then ":" and its text for names, strings and numbers.
func scanTokens(t *testing.T, doc string) ([]string, []jsonToken, error) {
	t.Helper()
	b := []byte(doc)
	b = b[:len(b):len(b)] // reading past the document panics
	s := jsonScanner{data: b, off: bomLen(b), lines: newLineIndex(b)}
	var got []string
	var toks []jsonToken
	for range len(doc) + 2 { // every token but EOF takes at least a byte
		tok, err := s.next()
		if err != nil {
			return got, toks, err
		}
		if tok.kind == tokEOF {
			return got, toks, nil
		}
		text := string(tok.kind)
		if tok.kind == tokName || tok.kind == tokString || tok.kind == tokNumber {
			text += ":" + tok.text
		}
		got, toks = append(got, text), append(toks, tok)
	}
	t.Fatalf("scanning %q did not end after %d tokens", doc, len(doc)+2)
	return nil, nil, nil
}

// TestJSONScannerValid scans documents Python's json.loads (the AWS
// CLI's parser; Python 3 on this machine) takes, and wants the values it
// reads in them: the structure, each string's value, each number as
// written, and the first character of a string that XML cannot carry
// (XML 1.0 §2.2, Char). A lone surrogate, which Python keeps, is stored as U+FFFD and
// reported as the string's bad character.
func TestJSONScannerValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc  string
		want []string
		bad  rune // the string's first character XML cannot carry, or 0
	}{
		{`{"a": [1, -0.5e+3, 0, 2E-1, true, false, null, "x"], "b": {}}`,
			[]string{"{", "k:a", "[", "n:1", "n:-0.5e+3", "n:0", "n:2E-1", "t", "f", "0", "s:x", "]", "k:b", "{", "}", "}"}, 0},
		{`[[], {}, [{"": 0}]]`, []string{"[", "[", "]", "{", "}", "[", "{", "k:", "n:0", "}", "]", "]"}, 0},
		{`9`, []string{"n:9"}, 0},
		{`-9`, []string{"n:-9"}, 0},
		{`" "`, []string{"s: "}, 0},
		{`"~"`, []string{"s:~"}, 0},
		{"\"\x7f\"", []string{"s:\x7f"}, 0},
		{"\"a\xc3\xa9\"", []string{"s:aé"}, 0},
		{`"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\"`, []string{"s:é😀/\b\f\n\r\t\"\\"}, '\b'}, // XML 1.0 §2.2 Char: no U+0008
		{`"\uDBFF\uDFFF"`, []string{"s:\U0010FFFF"}, 0},
		{`"\ud83dA\u0041"`, []string{"s:\uFFFDAA"}, 0xD83D},
		{`"\ud83d\u0041"`, []string{"s:\uFFFDA"}, 0xD83D},
		{`"\ud83dabde00"`, []string{"s:\uFFFDabde00"}, 0xD83D},
		{`"\u0039\u00af\u00AF"`, []string{"s:9¯¯"}, 0},
	}
	for _, tc := range tests {
		t.Run(strconv.Quote(tc.doc), func(t *testing.T) {
			t.Parallel()
			got, toks, err := scanTokens(t, tc.doc)
			if err != nil {
				t.Fatalf("scanning: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
			var bad rune
			for _, tok := range toks {
				if tok.hasBad {
					bad = tok.bad
				}
			}
			if bad != tc.bad {
				t.Errorf("bad character %U, want %U", bad, tc.bad)
			}
		})
	}
}

// TestJSONScannerInvalid scans documents Python's json.loads refuses
// (and RFC 8259 with it), and wants MalformedXML for each, not a panic
// or tokens past the error.
func TestJSONScannerInvalid(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		// Strings: a control character, bytes that are not UTF-8, no end.
		"\"\x01\"", "\"a\x80\"", "\"\x80\"", `["`, `"`, `"\`,
		// Escapes: an unknown one, a \u without four hex digits, and \u
		// with each byte just outside the hex digits' ranges.
		`"\x"`, `"\u12"`, `"\u12G4"`, `"\u000/"`, `"\u000:"`, "\"\\u000`\"", `"\u000g"`, `"\u000@"`, `"\u000G"`,
		// Numbers and keywords.
		`[01]`, `[-01]`, `[-]`, `[1.]`, `[1e]`, `[1e+]`, `[.5]`, `[+1]`, `[9a]`, `[tru]`, `nul`,
		// Structure.
		`[1,]`, `{"a":1,}`, `{"a" 1}`, `{1:2}`, `[1 2]`, `[1]x`, `]`, `[}`, `{]`, `[/]`, `[:]`,
		``, `  `, `{"a":}`, `{"a"`, `{"a":1`, `[1`,
	} {
		t.Run(strconv.Quote(doc), func(t *testing.T) {
			t.Parallel()
			_, _, err := scanTokens(t, doc)
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != "MalformedXML" {
				t.Errorf("scanning: %v, want MalformedXML", err)
			}
		})
	}
}
