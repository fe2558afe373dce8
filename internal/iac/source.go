package iac

import (
	"bytes"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/internal/textline"
)

// Position is where a value is written in an infrastructure file: the file
// as it was named, a 1-based line, and 1-based columns. Lines end at each
// "\n", "\r\n" and "\r" alone, as YAML 1.2 reads them and editors show
// them, in JSON too; in Terraform's native syntax at "\n" and "\r\n" only,
// as HCL counts them. Column counts bytes, as Go's compiler and the rest of s3cors do;
// Char counts Unicode code points, as SARIF's "unicodeCodePoints" column
// kind does. The zero Position is unknown.
type Position struct {
	File   string
	Line   int
	Column int
	Char   int
}

// IsValid reports whether p names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:column", or less when parts are unknown.
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	return s
}

// source is one file read, with what is needed to turn byte offsets into
// positions.
type source struct {
	name  string
	data  []byte
	lines []int // offset of the first byte of each line
	// lfOnly is set when only "\n" and "\r\n" end lines, as in HCL;
	// otherwise "\r" alone does too.
	lfOnly bool
	// ascii holds, for each line, whether it is ASCII (1) or not (2), once
	// pos has looked; 0 before. On an ASCII line a code point is a byte.
	ascii []uint8
	// memo is the last position pos counted in code points on a line that
	// is not ASCII: the next count on that line, further on, goes on from
	// it, so that values read in order along one long line (a plan's JSON,
	// a list of thousands of items) cost the line once, not once each.
	memoLine, memoOff, memoChar int
	// yaml holds where lines start as the YAML parser counts them, once
	// yamlOffset has looked; nil before.
	yaml *yamlLines
	// yamlParsed counts the bytes yamlProblem has had the YAML parser
	// read again to find where a problem is, for a caller that reads
	// many strings to charge.
	yamlParsed int
}

// yamlLines is where each line of a source starts as go.yaml.in/yaml/v3
// counts lines and columns, when it counts them otherwise than the source
// does: as YAML 1.1, it also ends a line at NEL (U+0085), LS (U+2028) and
// PS (U+2029), which YAML 1.2 and editors do not, and counts the columns
// of the first line after a byte order mark.
type yamlLines struct {
	same   bool  // the lines are the source's: offset answers
	starts []int // offset of the first byte of each line
	// memo is the last offset counted, as source's.
	memoLine, memoOff, memoChar int
}

// yamlOffset returns the byte offset of a 1-based line and a 1-based
// column counted in code points, as the YAML parser reports them.
func (s *source) yamlOffset(line, char int) int {
	if s.yaml == nil {
		s.yaml = newYAMLLines(s.data)
	}
	y := s.yaml
	if y.same {
		return s.offset(line, char)
	}
	if line < 1 || line > len(y.starts) {
		return len(s.data)
	}
	off, n := y.starts[line-1], 0
	if y.memoLine == line-1 && y.memoChar <= char-1 {
		off, n = y.memoOff, y.memoChar
	}
	end := len(s.data)
	if line < len(y.starts) {
		end = y.starts[line]
	}
	for ; n < char-1 && off < end && yamlBreak(s.data[off:]) == 0; n++ {
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
	}
	y.memoLine, y.memoOff, y.memoChar = line-1, off, n
	return off
}

// newYAMLLines finds the line starts YAML counts. When every break is
// "\n", "\r\n" or "\r" alone and there is no byte order mark, same is set,
// and the source's own lines answer.
func newYAMLLines(data []byte) *yamlLines {
	y := &yamlLines{starts: []int{0}, memoLine: -1}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		y.starts[0] = 3
	}
	same := y.starts[0] == 0
	for i := y.starts[0]; i < len(data); {
		n := yamlBreak(data[i:])
		if n == 0 {
			i++
			continue
		}
		if data[i] != '\n' && data[i] != '\r' {
			same = false // NEL, LS or PS, which YAML 1.2 does not break at
		}
		i += n
		y.starts = append(y.starts, i)
	}
	y.same = same
	return y
}

// yamlBreak returns the length of the line break b starts with as YAML
// reads it ("\r\n", "\r", "\n", NEL, LS, PS), or 0.
func yamlBreak(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '\r' && len(b) > 1 && b[1] == '\n':
		return 2
	case b[0] == '\r' || b[0] == '\n':
		return 1
	case bytes.HasPrefix(b, []byte("\u0085")):
		return 2
	case bytes.HasPrefix(b, []byte("\u2028")) || bytes.HasPrefix(b, []byte("\u2029")):
		return 3
	}
	return 0
}

// newSource returns the source of the file name, with the offsets its
// lines start at (see [textline.Starts]), found once for every position
// asked for later.
func newSource(name string, data []byte) *source {
	return &source{name: name, data: data, lines: textline.Starts(data), memoLine: -1}
}

// newHCLSource returns the source of a file in Terraform's native syntax,
// whose lines end at "\n" and "\r\n" only (see [textline.LFStarts]); HCL
// refuses a "\r" alone outside comments and strings.
func newHCLSource(name string, data []byte) *source {
	return &source{name: name, data: data, lines: textline.LFStarts(data), memoLine: -1, lfOnly: true}
}

// endsLine reports whether the byte at off is the last of a line break.
func (s *source) endsLine(off int) bool {
	switch s.data[off] {
	case '\n':
		return true
	case '\r':
		return !s.lfOnly && (off+1 == len(s.data) || s.data[off+1] != '\n')
	}
	return false
}

// pos returns the position of byte offset off.
func (s *source) pos(off int) Position {
	line, start, off := s.locate(off)
	return Position{File: s.name, Line: line + 1, Column: off - start + 1, Char: s.chars(line, start, off) + 1}
}

// locate returns the 0-based line of byte offset off, the offset its
// line starts at, and off as pos places it (within the file, and at the
// end of the last line for the end of a file that ends with a line
// break), without pos's count of code points, which costs as much as the
// line is long.
func (s *source) locate(off int) (line, start, at int) {
	off = min(max(off, 0), len(s.data))
	line = sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	start = s.lines[line]
	if off == len(s.data) && off == start && line > 0 {
		// The end of a file that ends with a line break is the end of
		// its last line: the line after it is none, and a position
		// there is one past the file's end for editors and for code
		// scanning, whose regions must lie in the file.
		line--
		start, off = s.lines[line], off-1
		if off > start && s.data[off] == '\n' && s.data[off-1] == '\r' {
			off--
		}
	}
	return line, start, off
}

// chars returns the number of code points from start, where line begins,
// to off.
func (s *source) chars(line, start, off int) int {
	if s.isASCIILine(line, start) {
		return off - start
	}
	from, n := start, 0
	if s.memoLine == line && s.memoOff <= off {
		from, n = s.memoOff, s.memoChar
	}
	n += utf8.RuneCount(s.data[from:off])
	if off == len(s.data) || utf8.RuneStart(s.data[off]) {
		// Only from a code point's start does a count go on unchanged.
		s.memoLine, s.memoOff, s.memoChar = line, off, n
	}
	return n
}

// isASCIILine reports whether the 0-based line, which begins at start,
// is ASCII, looking once.
func (s *source) isASCIILine(line, start int) bool {
	if s.ascii == nil {
		s.ascii = make([]uint8, len(s.lines))
	}
	if s.ascii[line] == 0 {
		end := len(s.data)
		if line+1 < len(s.lines) {
			end = s.lines[line+1]
		}
		s.ascii[line] = 2
		if ascii.Valid(s.data[start:end]) {
			s.ascii[line] = 1
		}
	}
	return s.ascii[line] == 1
}

// offset returns the byte offset of a 1-based line and a 1-based column
// counted in code points, as YAML parsers report them. Like pos, it costs
// an ASCII line nothing and another line once when asked along it in
// order (see memo).
func (s *source) offset(line, char int) int {
	if line < 1 || line > len(s.lines) {
		return len(s.data)
	}
	start := s.lines[line-1]
	if s.isASCIILine(line-1, start) {
		end := len(s.data)
		if line < len(s.lines) {
			end = s.lines[line] - 1 // the line break's last byte
		}
		return min(start+max(char, 1)-1, end)
	}
	off, n := start, 0
	if s.memoLine == line-1 && s.memoChar <= char-1 {
		off, n = s.memoOff, s.memoChar
	}
	for ; n < char-1 && off < len(s.data) && !s.endsLine(off); n++ {
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
	}
	s.memoLine, s.memoOff, s.memoChar = line-1, off, n
	return off
}
