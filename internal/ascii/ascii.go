// Package ascii holds the byte-level tests HTTP header values need: token
// characters, ASCII case folding and visible ASCII. Every function works
// on bytes, never on runes: HTTP names are ASCII, and a byte above 0x7F
// is never a letter here.
package ascii

import (
	"encoding/binary"
	"strings"
)

// IsTokenByte reports whether c may appear in an HTTP token, such as a
// header name or a method (RFC 9110 tchar).
func IsTokenByte(c byte) bool { return tokenTable[c] }

var tokenTable = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true,
	'+': true, '-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true,
	'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true,
	'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true,
	'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true,
	's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

// IsToken reports whether s is an HTTP token: one or more token
// characters (see [IsTokenByte]).
func IsToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return s != ""
}

// LowerByte returns c in lower case if it is an ASCII upper-case letter,
// else c.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ToLower returns s with its ASCII letters in lower case and every other
// byte as it is. It returns s itself, without allocating, when s has no
// upper-case letter, and allocates once otherwise.
func ToLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			// A Builder, not []byte(s) and string(b): one allocation
			// where those make two for a string too long for the stack.
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for ; i < len(s); i++ {
				b.WriteByte(LowerByte(s[i]))
			}
			return b.String()
		}
	}
	return s
}

// EqualFoldLower reports whether s equals lower, ignoring ASCII case in s.
// lower must already be in lower case. Unlike [strings.EqualFold] it folds
// only ASCII letters, as HTTP header names require.
func EqualFoldLower(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if LowerByte(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// Word returns the first eight bytes of s, which must have them, as a
// little-endian word, for tests that look at eight bytes at once.
func Word(s string) uint64 { return binary.LittleEndian.Uint64([]byte(s[:8])) }

// WordAt returns the eight bytes of s from i on, which s must have, as
// Word(s[i:]) does. Slicing once, it checks the bounds once, where
// Word(s[i:]) checks them twice: the trie walk, whose steps cost a few
// instructions each, calls it on every long edge.
func WordAt(s string, i int) uint64 { return binary.LittleEndian.Uint64([]byte(s[i : i+8])) }

// Ones and Highs are the words whose bytes are all 0x01, and all 0x80,
// for word-at-a-time tests: w-c*Ones sets the high bit of the bytes of w
// below c (when no byte of w is above 0x7F), w&Highs those above 0x7F.
const (
	Ones  = 0x0101010101010101
	Highs = 0x8080808080808080
)

// IsVisible reports whether s holds only visible ASCII characters, '!'
// to '~': no space, no control character, no byte above 0x7E. Every
// serialized origin is such a string.
func IsVisible(s string) bool {
	// Eight bytes at a time: a byte below '!' or above '~' sets its high
	// bit in one of the three terms.
	for len(s) >= 8 {
		if w := Word(s); (w|(w+(0x80-0x7f)*Ones)|(w-'!'*Ones)&^w)&Highs != 0 {
			return false
		}
		s = s[8:]
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// Valid reports whether every byte of b is ASCII, below 0x80: b is then
// valid UTF-8 too, one byte a character, as utf8.Valid names it.
func Valid(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// IsLowerAlnum reports whether c is a lower-case ASCII letter or a digit,
// the characters S3 names such as bucket names are built on.
func IsLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// IsUnreserved reports whether c is an unreserved character of RFC 3986,
// which URIs never escape: a letter, a digit, '-', '.', '_' or '~'.
func IsUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// PercentEncode returns s with every byte that keep rejects written as
// %XX in upper-case hex, as URIs escape bytes; s itself when keep takes
// every byte.
func PercentEncode(s string, keep func(c byte) bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keep(c) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+16), s[:i]...)
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}

// TrimOWS returns s without the spaces and tabs around it, HTTP's
// optional white space (RFC 9110, section 5.6.3), which net/http removes
// from a header field's value and a list's elements keep.
func TrimOWS(s string) string { return strings.Trim(s, " \t") }
