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
}

func newSource(name string, data []byte) *source {
	s := &source{name: name, data: data, lines: []int{0}}
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
	return Position{File: s.name, Line: line + 1, Column: off - start + 1,
		Char: utf8.RuneCount(s.data[start:off]) + 1}
}

// offset returns the byte offset of a 1-based line and a 1-based column
// counted in code points, as YAML parsers report them.
func (s *source) offset(line, char int) int {
	if line < 1 || line > len(s.lines) {
		return len(s.data)
	}
	off := s.lines[line-1]
	for ; char > 1 && off < len(s.data) && s.data[off] != '\n'; char-- {
		_, n := utf8.DecodeRune(s.data[off:])
		off += n
	}
	return off
}
