// Package xmlw writes XML as Amazon S3 writes it: the declaration S3's
// documents start with, and elements whose text is escaped the way S3
// escapes it. It appends to byte slices, so that a caller can build a
// whole document in one buffer it owns.
package xmlw

import (
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/ascii"
)

// Declaration is the declaration and newline that start every XML
// document S3 sends.
const Declaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// AppendElement appends <name>text</name> with text escaped by
// [AppendEscaped].
func AppendElement(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = AppendEscaped(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// AppendEscaped appends s as XML character data. It escapes &, < and >, as
// S3 does (S3 leaves quotes alone: AllowedOrigin "*a*" stays so), and CR,
// so a value read back is byte for byte the value written. A character
// XML 1.0 cannot carry, or a byte that is not UTF-8, becomes U+FFFD, so no
// control character from a request is ever reflected.
func AppendEscaped(b []byte, s string) []byte {
	// Most text needs no escaping: copy the longest plain run at once.
	plain := plainPrefix(s)
	b = append(b, s[:plain]...)
	for i := plain; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '\r':
				b = append(b, "&#xD;"...)
			case c < ' ' && c != '\t' && c != '\n':
				b = append(b, "\uFFFD"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsChar(r) || r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// plainPrefix returns the length of the longest prefix of s that
// AppendEscaped copies unchanged. It tests sixteen bytes at a time, then
// eight, for any byte that might need care (see mayNeedCare), and then
// goes byte by byte from the first word that has one.
func plainPrefix(s string) int {
	i := 0
	for ; len(s)-i >= 16; i += 16 {
		if (mayNeedCare(ascii.Word(s[i:]))|mayNeedCare(ascii.Word(s[i+8:])))&ascii.Highs != 0 {
			break
		}
	}
	if len(s)-i >= 8 && mayNeedCare(ascii.Word(s[i:]))&ascii.Highs == 0 {
		i += 8
	}
	for i < len(s) && plainText[s[i]] {
		i++
	}
	return i
}

// mayNeedCare sets the high bit of each byte of w that is below space
// (tab and newline too, which plainText then lets through), &, < or >,
// or above 0x7F, and may set it in the bytes after such a byte (a borrow
// runs on); it leaves the high bits clear when every byte is printable
// ASCII other than &, < and >.
func mayNeedCare(w uint64) uint64 {
	const ones = ascii.Ones
	amp := w ^ '&'*ones
	angle := (w ^ '<'*ones) &^ (2 * ones) // zero for both '<' and '>'
	return w | (w-' '*ones)&^w | (amp-ones)&^amp | (angle-ones)&^angle
}

// plainText marks the ASCII bytes AppendEscaped copies unchanged.
var plainText = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '&' && c != '<' && c != '>'
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// IsChar reports whether r may appear in an XML 1.0 document (the Char
// production of the XML specification).
func IsChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// IsText reports whether s is UTF-8 made only of characters an XML
// document can carry (see [IsChar]).
func IsText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !IsChar(r) {
			return false
		}
	}
	return true
}
