package iac

import (
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of JSON and YAML documents. Templates and
// plans nest a few dozen levels; the bound keeps a hostile file from
// exhausting the stack.
const maxDepth = 512

// jsonParser reads RFC 8259 JSON and keeps the offsets where every value
// starts and ends. It can build a value's nodes or only check and skip
// it, so that a plan's readers build only the resources they judge.
type jsonParser struct {
	src   *source
	data  []byte
	off   int
	depth int
	// unique refuses an object that names a member twice, as cfn-lint
	// does (see yamlConverter.convert); CloudFormation itself takes such
	// a JSON template without a word (aws/aws-cli#2404), and the AWS
	// CLI's cloudformation package keeps the last (Python's json). A
	// plan's JSON, which Terraform writes, has none.
	unique bool
	// offsets, when not nil, receives where each byte of the value of a
	// string with escapes is written (see stringOffsets).
	offsets []int
}

// newJSONParser returns a parser of src that skips a UTF-8 byte order
// mark at its start.
func newJSONParser(src *source) *jsonParser {
	p := &jsonParser{src: src, data: src.data}
	if len(p.data) >= 3 && p.data[0] == 0xEF && p.data[1] == 0xBB && p.data[2] == 0xBF {
		p.off = 3
	}
	return p
}

// parseJSON parses a whole document.
func parseJSON(src *source) (*node, error) {
	return parseJSONDoc(newJSONParser(src))
}

// parseTemplateJSON parses a whole template, refusing a member named
// twice in one object.
func parseTemplateJSON(src *source) (*node, error) {
	p := newJSONParser(src)
	p.unique = true
	return parseJSONDoc(p)
}

// parseJSONDoc parses the whole document p reads: one value, and nothing
// after it but white space.
func parseJSONDoc(p *jsonParser) (*node, error) {
	n, err := p.value(true)
	if err != nil {
		return nil, err
	}
	return n, p.end()
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return parseErrorf(p.src, p.off, "JSON: "+format, args...)
}

// end checks that nothing but white space follows the document.
func (p *jsonParser) end() error {
	p.space()
	if p.off < len(p.data) {
		return p.errorf("data after the end of the document")
	}
	return nil
}

func (p *jsonParser) space() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

// peek returns the next byte that is not white space, or 0 at the end.
func (p *jsonParser) peek() byte {
	p.space()
	if p.off < len(p.data) {
		return p.data[p.off]
	}
	return 0
}

// value reads one value; it builds its node when build is true and
// returns nil otherwise.
func (p *jsonParser) value(build bool) (*node, error) {
	c := p.peek()
	start := p.off
	switch {
	case c == '{':
		return p.objectNode(build)
	case c == '[':
		return p.arrayNode(build)
	case c == '"':
		s, err := p.str()
		if err != nil || !build {
			return nil, err
		}
		return &node{kind: nString, text: s, src: p.src, off: start, end: p.off}, nil
	case c == '-' || c >= '0' && c <= '9':
		if err := p.number(); err != nil || !build {
			return nil, err
		}
		return &node{kind: nNumber, text: string(p.data[start:p.off]), src: p.src, off: start, end: p.off}, nil
	}
	for _, lit := range [...]struct {
		word string
		kind nodeKind
	}{{"true", nBool}, {"false", nBool}, {"null", nNull}} {
		if p.literal(lit.word) {
			if !build {
				return nil, nil
			}
			return &node{kind: lit.kind, text: lit.word, src: p.src, off: start, end: p.off}, nil
		}
	}
	if c == 0 {
		return nil, p.errorf("unexpected end of the document")
	}
	return nil, p.errorf("unexpected character %q", rune(c))
}

func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.off >= len(word) && string(p.data[p.off:p.off+len(word)]) == word {
		p.off += len(word)
		return true
	}
	return false
}

func (p *jsonParser) enter() error {
	if p.depth++; p.depth > maxDepth {
		return p.errorf("nested more than %d levels deep", maxDepth)
	}
	return nil
}

// object reads an object, calling member for each member with the key's
// text and the offsets where the key starts and ends; member must read
// the value.
func (p *jsonParser) object(member func(key string, keyOff, keyEnd int) error) error {
	return p.container('{', '}', "an object", "a member", func() error {
		if p.peek() != '"' {
			return p.errorf("expected a member name in double quotes")
		}
		keyOff := p.off
		key, err := p.str()
		if err != nil {
			return err
		}
		keyEnd := p.off
		if p.peek() != ':' {
			return p.errorf("expected ':' after a member name")
		}
		p.off++
		return member(key, keyOff, keyEnd)
	})
}

// array reads an array, calling elem for each element; elem must read it.
func (p *jsonParser) array(elem func() error) error {
	return p.container('[', ']', "an array", "an element", elem)
}

// container reads an object or an array, delimited by open and end,
// calling item for each of its items (what and each name them, for
// errors); item must read its item whole.
func (p *jsonParser) container(open, end byte, what, each string, item func() error) error {
	if p.peek() != open {
		return p.errorf("expected %s", what)
	}
	if err := p.enter(); err != nil {
		return err
	}
	p.off++
	if p.peek() == end {
		p.off++
		p.depth--
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.off++
		case end:
			p.off++
			p.depth--
			return nil
		case 0:
			return p.errorf("unexpected end of the document")
		default:
			return p.errorf("expected ',' or '%c' after %s", end, each)
		}
	}
}

// objectNode reads an object, building its node only when build (a
// skipped value costs no allocation), and refuses a member named twice
// when p.unique (parseTemplateJSON).
func (p *jsonParser) objectNode(build bool) (*node, error) {
	var n *node
	if build {
		n = &node{kind: nMap, src: p.src, off: p.off}
	}
	var first map[string]int
	if build && p.unique {
		first = map[string]int{}
	}
	err := p.object(func(key string, keyOff, keyEnd int) error {
		if first != nil {
			if f, ok := first[key]; ok {
				pos := p.src.pos(f)
				return parseErrorf(p.src, keyOff, "JSON: the member %s is written twice in one object, first at line %d, column %d",
					quote(key), pos.Line, pos.Column)
			}
			first[key] = keyOff
		}
		v, err := p.value(build)
		if build && err == nil {
			n.keys = append(n.keys, &node{kind: nString, text: key, src: p.src, off: keyOff, end: keyEnd})
			n.items = append(n.items, v)
		}
		return err
	})
	if build {
		n.end = p.off
	}
	return n, err
}

// arrayNode reads an array, building its node only when build.
func (p *jsonParser) arrayNode(build bool) (*node, error) {
	var n *node
	if build {
		n = &node{kind: nSeq, src: p.src, off: p.off}
	}
	err := p.array(func() error {
		v, err := p.value(build)
		if build && err == nil {
			n.items = append(n.items, v)
		}
		return err
	})
	if build {
		n.end = p.off
	}
	return n, err
}

// str reads a string and returns its value.
func (p *jsonParser) str() (string, error) {
	p.off++ // the opening quote
	start := p.off
	for p.off < len(p.data) {
		c := p.data[p.off]
		if c == '"' {
			s := string(p.data[start:p.off])
			p.off++
			if !utf8.ValidString(s) {
				return "", parseErrorf(p.src, start, "JSON: a string is not valid UTF-8")
			}
			return s, nil
		}
		if c == '\\' {
			return p.escapedString(start)
		}
		if c < ' ' {
			return "", p.errorf("control character %#02x in a string", c)
		}
		p.off++
	}
	return "", p.errorf("unterminated string")
}

// escapedString finishes a string that holds escapes, from its start.
func (p *jsonParser) escapedString(start int) (string, error) {
	b := append([]byte(nil), p.data[start:p.off]...)
	for p.off < len(p.data) {
		at := p.off
		c := p.data[p.off]
		switch {
		case c == '"':
			p.off++
			if !utf8.Valid(b) {
				return "", parseErrorf(p.src, start, "JSON: a string is not valid UTF-8")
			}
			p.written(at, len(b)+1)
			return string(b), nil
		case c < ' ':
			return "", p.errorf("control character %#02x in a string", c)
		case c != '\\':
			b = append(b, c)
			p.off++
			p.written(at, len(b))
			continue
		}
		if p.off+1 >= len(p.data) {
			break
		}
		e := p.data[p.off+1]
		p.off += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.unicodeEscape()
			if !ok {
				return "", p.errorf(`invalid \u escape`)
			}
			b = utf8.AppendRune(b, r) // a lone surrogate becomes U+FFFD
		default:
			p.off -= 2
			return "", p.errorf("invalid escape \\%c", e)
		}
		p.written(at, len(b))
	}
	return "", p.errorf("unterminated string")
}

// written records, when p keeps offsets, that the bytes of a string's
// value up to n stand for the text written at at: a byte, or the escape
// that starts there.
func (p *jsonParser) written(at, n int) {
	for p.offsets != nil && len(p.offsets) < n {
		p.offsets = append(p.offsets, at)
	}
}

// stringOffsets returns, for each byte of the value of the string n and
// for its end, the offset where the file writes it: where the escape
// that stands for it starts, for the bytes of an escape. It reads the
// string again, from its start, for the few strings whose offsets are
// asked.
func stringOffsets(n *node) []int {
	p := &jsonParser{src: n.src, data: n.src.data, off: n.off + 1, offsets: make([]int, 0, len(n.text)+1)}
	p.escapedString(p.off)
	return p.offsets
}

// unicodeEscape reads the four hex digits of a \u escape, and, after a
// high surrogate, the \u escape of the low surrogate that completes the
// pair: the two stand for one rune. A surrogate without its pair is
// returned as it is, and the bytes after it are left to be read again.
func (p *jsonParser) unicodeEscape() (rune, bool) {
	r, ok := p.hex4()
	highSurrogate := ok && r >= 0xD800 && r < 0xDC00
	if !highSurrogate || p.off+1 >= len(p.data) || p.data[p.off] != '\\' || p.data[p.off+1] != 'u' {
		return r, ok
	}
	save := p.off
	p.off += 2
	if r2, ok := p.hex4(); ok && r2 >= 0xDC00 && r2 < 0xE000 {
		return (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000, true
	}
	p.off = save
	return r, true
}

// hex4 reads the four hex digits of a \u escape, leaving the offset
// alone when there are not four.
func (p *jsonParser) hex4() (rune, bool) {
	if p.off+4 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.off:p.off+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.off += 4
	return rune(v), true
}

// number reads a number as RFC 8259 writes it.
func (p *jsonParser) number() error {
	digits := func() int {
		n := 0
		for p.off < len(p.data) && p.data[p.off] >= '0' && p.data[p.off] <= '9' {
			p.off++
			n++
		}
		return n
	}
	if p.data[p.off] == '-' {
		p.off++
	}
	if p.off < len(p.data) && p.data[p.off] == '0' {
		p.off++
	} else if digits() == 0 {
		return p.errorf("invalid number")
	}
	if p.off < len(p.data) && p.data[p.off] == '.' {
		p.off++
		if digits() == 0 {
			return p.errorf("invalid number")
		}
	}
	if p.off < len(p.data) && (p.data[p.off] == 'e' || p.data[p.off] == 'E') {
		p.off++
		if p.off < len(p.data) && (p.data[p.off] == '+' || p.data[p.off] == '-') {
			p.off++
		}
		if digits() == 0 {
			return p.errorf("invalid number")
		}
	}
	return nil
}
