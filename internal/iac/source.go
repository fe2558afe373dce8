package iac

import (
	"bytes"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Position is where a value is written in an infrastructure file: the file
// as it was named, a 1-based line, and 1-based columns. Lines end at each
// "\n". Column counts bytes, as Go's compiler and the rest of s3cors do;
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
	// ascii holds, for each line, whether it is ASCII (1) or not (2), once
	// pos has looked; 0 before. On an ASCII line a code point is a byte.
	ascii []uint8
	// memo is the last position pos counted in code points on a line that
	// is not ASCII: the next count on that line, further on, goes on from
	// it, so that values read in order along one long line (a plan's JSON,
	// a list of thousands of items) cost the line once, not once each.
	memoLine, memoOff, memoChar int
}

func newSource(name string, data []byte) *source {
	s := &source{name: name, data: data, lines: []int{0}, memoLine: -1}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		s.lines = append(s.lines, i)
	}
	return s
}

// pos returns the position of byte offset off.
func (s *source) pos(off int) Position {
	off = min(max(off, 0), len(s.data))
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	start := s.lines[line]
	if off == len(s.data) && off == start && line > 0 {
		// The end of a file that ends with a line break is the end of
		// its last line: the line after it is none, and a position
		// there is one past the file's end for editors and for code
		// scanning, whose regions must lie in the file.
		line--
		start, off = s.lines[line], off-1
		if off > start && s.data[off-1] == '\r' {
			off--
		}
	}
	return Position{File: s.name, Line: line + 1, Column: off - start + 1, Char: s.chars(line, start, off) + 1}
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
		if isASCII(s.data[start:end]) {
			s.ascii[line] = 1
		}
	}
	return s.ascii[line] == 1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
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
			end = s.lines[line] - 1 // the '\n'
		}
		return min(start+max(char, 1)-1, end)
	}
	off, n := start, 0
	if s.memoLine == line-1 && s.memoChar <= char-1 {
		off, n = s.memoOff, s.memoChar
	}
	for ; n < char-1 && off < len(s.data) && s.data[off] != '\n'; n++ {
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
	}
	s.memoLine, s.memoOff, s.memoChar = line-1, off, n
	return off
}
