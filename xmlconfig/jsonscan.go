package xmlconfig

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
)

// jsonScanner splits a JSON document into tokens and checks its grammar.
// It exists, instead of encoding/json, because decoding must see what
// encoding/json hides: the offset of every token, duplicate member names,
// invalid UTF-8 and lone surrogates (encoding/json turns both into U+FFFD),
// and the difference between 3000 and 3000.0.
//
// Nesting is tracked in a byte stack, never by recursion, so depth costs
// one byte per level.
type jsonScanner struct {
	data  []byte
	off   int
	state jsonState
	stack []byte // '{' or '[' per open container
	lines *lineIndex
}

type jsonState uint8

const (
	stValue       jsonState = iota // a value is next
	stArrayFirst                   // after '[': a value or ']'
	stArrayNext                    // after an array element: ',' or ']'
	stObjectFirst                  // after '{': a name or '}'
	stObjectName                   // after ',' in an object: a name
	stObjectNext                   // after a member's value: ',' or '}'
	stEnd                          // after the top-level value: nothing
)

// jsonKind is a token's kind: the delimiter itself for '{', '}', '[' and
// ']', else a letter.
type jsonKind byte

const (
	tokEOF    jsonKind = 0
	tokName   jsonKind = 'k' // a member name, its ':' consumed
	tokString jsonKind = 's'
	tokNumber jsonKind = 'n'
	tokTrue   jsonKind = 't'
	tokFalse  jsonKind = 'f'
	tokNull   jsonKind = '0'
)

type jsonToken struct {
	kind jsonKind
	off  int    // where the token starts
	text string // a string's value or a number as written
	// bad is the first character of a string that XML cannot carry, such
	// as U+0001 or a lone surrogate; valid when hasBad.
	bad    rune
	hasBad bool
}

// describe names the token's kind for messages.
func (t jsonToken) describe() string {
	switch t.kind {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case tokString:
		return "a string"
	case tokNumber:
		return "a number"
	case tokTrue:
		return "true"
	case tokFalse:
		return "false"
	case tokNull:
		return "null"
	}
	return "nothing"
}

// errorAt returns MalformedXML located at off with "invalid JSON: " and
// the formatted reason: S3's code, since the tool would not have sent it.
func (s *jsonScanner) errorAt(off int, format string, args ...any) *s3err.Error {
	return s.lines.malformed(off, 0, "invalid JSON: "+fmt.Sprintf(format, args...))
}

func (s *jsonScanner) skipSpace() {
	for s.off < len(s.data) && isSpace(s.data[s.off]) {
		s.off++
	}
}

// peek returns the byte at the scanner's offset, or 0 at the end.
func (s *jsonScanner) peek() byte {
	if s.off < len(s.data) {
		return s.data[s.off]
	}
	return 0
}

// unexpected returns the error for the byte at the offset, which the
// grammar does not allow there.
func (s *jsonScanner) unexpected(want string) *s3err.Error {
	if s.off >= len(s.data) {
		return s.errorAt(s.off, "unexpected end of input; want %s", want)
	}
	r, n := utf8.DecodeRune(s.data[s.off:])
	if r == utf8.RuneError && n == 1 {
		return s.lines.malformed(s.off, 0, "invalid UTF-8")
	}
	return s.errorAt(s.off, "unexpected %q; want %s", r, want)
}

// next returns the next token. Separators (',' and ':') are consumed, not
// returned. A grammar error ends the scan.
func (s *jsonScanner) next() (jsonToken, error) {
	s.skipSpace()
	switch s.state {
	case stEnd:
		if s.off < len(s.data) {
			return jsonToken{}, s.errorAt(s.off, "data after the end of the JSON value")
		}
		return jsonToken{kind: tokEOF, off: s.off}, nil
	case stArrayNext, stObjectNext:
		closer, then := byte(']'), stValue
		if s.state == stObjectNext {
			closer, then = '}', stObjectName
		}
		switch s.peek() {
		case closer:
			return s.close(), nil
		case ',':
			s.off++
			s.skipSpace()
			s.state = then
		default:
			return jsonToken{}, s.unexpected(fmt.Sprintf("',' or '%c'", closer))
		}
	}
	switch s.state {
	case stObjectFirst, stObjectName:
		if s.state == stObjectFirst && s.peek() == '}' {
			return s.close(), nil
		}
		if s.peek() != '"' {
			return jsonToken{}, s.unexpected("a member name in double quotes")
		}
		t, err := s.string()
		if err != nil {
			return t, err
		}
		t.kind = tokName
		s.skipSpace()
		if s.peek() != ':' {
			return jsonToken{}, s.unexpected("':' after the member name")
		}
		s.off++
		s.state = stValue
		return t, nil
	case stArrayFirst:
		if s.peek() == ']' {
			return s.close(), nil
		}
	}
	return s.value()
}

// value scans the value that starts at the offset.
func (s *jsonScanner) value() (jsonToken, error) {
	start := s.off
	switch c := s.peek(); {
	case c == '{' || c == '[':
		s.off++
		s.stack = append(s.stack, c)
		s.state = stObjectFirst
		if c == '[' {
			s.state = stArrayFirst
		}
		return jsonToken{kind: jsonKind(c), off: start}, nil
	case c == '"':
		t, err := s.string()
		s.afterValue()
		return t, err
	case c == '-' || '0' <= c && c <= '9':
		t, err := s.number()
		s.afterValue()
		return t, err
	case c == 't':
		return s.literal("true", tokTrue)
	case c == 'f':
		return s.literal("false", tokFalse)
	case c == 'n':
		return s.literal("null", tokNull)
	}
	return jsonToken{}, s.unexpected("a value")
}

// close reads the '}' or ']' at the offset, which the caller has checked
// matches the innermost open value, and leaves that value.
func (s *jsonScanner) close() jsonToken {
	t := jsonToken{kind: jsonKind(s.data[s.off]), off: s.off}
	s.off++
	s.stack = s.stack[:len(s.stack)-1]
	s.afterValue()
	return t
}

// afterValue sets what may follow a complete value, from the innermost
// open array or object: a ',' or its close, or the end of the document.
func (s *jsonScanner) afterValue() {
	switch {
	case len(s.stack) == 0:
		s.state = stEnd
	case s.stack[len(s.stack)-1] == '[':
		s.state = stArrayNext
	default:
		s.state = stObjectNext
	}
}

// literal reads the keyword word (true, false or null) at the offset.
func (s *jsonScanner) literal(word string, kind jsonKind) (jsonToken, error) {
	if !bytes.HasPrefix(s.data[s.off:], []byte(word)) {
		return jsonToken{}, s.unexpected("a value")
	}
	t := jsonToken{kind: kind, off: s.off}
	s.off += len(word)
	s.afterValue()
	return t, nil
}

// number scans a number as RFC 8259 writes it.
func (s *jsonScanner) number() (jsonToken, error) {
	start := s.off
	if s.peek() == '-' {
		s.off++
	}
	switch c := s.peek(); {
	case c == '0':
		s.off++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return jsonToken{}, s.unexpected("a digit")
	}
	if s.peek() == '.' {
		s.off++
		if !s.digits() {
			return jsonToken{}, s.unexpected("a digit after '.'")
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.off++
		if c := s.peek(); c == '+' || c == '-' {
			s.off++
		}
		if !s.digits() {
			return jsonToken{}, s.unexpected("a digit in the exponent")
		}
	}
	return jsonToken{kind: tokNumber, off: start, text: string(s.data[start:s.off])}, nil
}

func (s *jsonScanner) digits() bool {
	start := s.off
	for s.off < len(s.data) && '0' <= s.data[s.off] && s.data[s.off] <= '9' {
		s.off++
	}
	return s.off > start
}

// string scans a string, the opening quote at the offset.
func (s *jsonScanner) string() (jsonToken, error) {
	t := jsonToken{kind: tokString, off: s.off}
	s.off++
	// Most strings hold printable ASCII only and need no copy but the last.
	i := s.off
	for i < len(s.data) && s.data[i] >= ' ' && s.data[i] < utf8.RuneSelf && s.data[i] != '"' && s.data[i] != '\\' {
		i++
	}
	if i < len(s.data) && s.data[i] == '"' {
		t.text = string(s.data[s.off:i])
		s.off = i + 1
		return t, nil
	}
	buf := append([]byte(nil), s.data[s.off:i]...)
	s.off = i
	for {
		if s.off >= len(s.data) {
			return t, s.errorAt(t.off, "unterminated string")
		}
		c := s.data[s.off]
		switch {
		case c == '"':
			s.off++
			t.text = string(buf)
			return t, nil
		case c == '\\':
			r, err := s.escape()
			if err != nil {
				return t, err
			}
			t.noteChar(r)
			buf = utf8.AppendRune(buf, r)
		case c < ' ':
			return t, s.errorAt(s.off, "control character %U in a string (write it as \\u%04x)", c, c)
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			s.off++
		default:
			r, n := utf8.DecodeRune(s.data[s.off:])
			if r == utf8.RuneError && n == 1 {
				return t, s.lines.malformed(s.off, 0, "invalid UTF-8")
			}
			t.noteChar(r)
			buf = append(buf, s.data[s.off:s.off+n]...)
			s.off += n
		}
	}
}

// noteChar records r when it is the first character XML cannot carry.
func (t *jsonToken) noteChar(r rune) {
	if !t.hasBad && !xmlw.IsChar(r) {
		t.bad, t.hasBad = r, true
	}
}

// escape decodes the escape sequence at the offset. A lone surrogate is
// returned as itself, which is not a character, so that the caller can
// report it; utf8.AppendRune stores it as U+FFFD.
func (s *jsonScanner) escape() (rune, error) {
	start := s.off
	s.off++
	if s.off >= len(s.data) {
		return 0, s.errorAt(start, "unterminated string")
	}
	c := s.data[s.off]
	s.off++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, ok := s.hex4()
		if !ok {
			return 0, s.errorAt(start, "invalid \\u escape")
		}
		if utf16.IsSurrogate(r) && r < 0xDC00 && bytes.HasPrefix(s.data[s.off:], []byte(`\u`)) {
			save := s.off
			s.off += 2
			if r2, ok := s.hex4(); ok {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					return pair, nil
				}
			}
			s.off = save
		}
		return r, nil
	}
	return 0, s.errorAt(start, "invalid escape \\%c", c)
}

// hex4 reads the four hex digits of a \u escape, leaving the offset
// alone when there are not four.
func (s *jsonScanner) hex4() (rune, bool) {
	if len(s.data)-s.off < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.off : s.off+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.off += 4
	return r, true
}

// skip skips the rest of the value t starts, however deep, in one loop.
func (s *jsonScanner) skip(t jsonToken) error {
	if t.kind != '{' && t.kind != '[' {
		return nil
	}
	for depth := len(s.stack); len(s.stack) >= depth; {
		if _, err := s.next(); err != nil {
			return err
		}
	}
	return nil
}
