package iac

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// sourceTexts are the texts the tests of source read: lines ASCII and
// not, ending in "\n", and in "\r\n", "\r" alone and a mix of the three.
var sourceTexts = map[string][]byte{
	"LF":    []byte("ascii line\nél été \U0001F600 x\n\n" + "é, a, " + "b, ü\nlast é"),
	"mixed": []byte("ascii\rline\r\nél été \U0001F600 x\r\r\n\n" + "é,\r a, " + "b, ü\r\n\rlast é"),
}

// naiveLineStart reports whether a line starts at i, after a "\n", or
// after a "\r" alone unless lfOnly.
func naiveLineStart(data []byte, i int, lfOnly bool) bool {
	return i > 0 && (data[i-1] == '\n' || !lfOnly && data[i-1] == '\r' && (i == len(data) || data[i] != '\n'))
}

// TestSourcePos compares pos with the plain count of code points from
// the line's start, at every offset of lines ASCII and not, asked for in
// order, backwards and at random: the cache that spares counting a long
// line again must never change a position. Lines end at "\n", "\r\n" and
// "\r" alone, or in HCL at "\n" and "\r\n" only.
func TestSourcePos(t *testing.T) {
	t.Parallel()
	for text, data := range sourceTexts {
		for _, lfOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/lfOnly=%v", text, lfOnly), func(t *testing.T) {
				t.Parallel()
				checkSourcePos(t, data, lfOnly)
			})
		}
	}
}

func checkSourcePos(t *testing.T, data []byte, lfOnly bool) {
	var naive func(off int) Position
	naive = func(off int) Position {
		if off == len(data) && naiveLineStart(data, off, lfOnly) {
			// The end of a file ending in a line break is the end of
			// its last line (TestSourcePosEnd): before the break.
			end := off - 1
			if data[end] == '\n' && end > 0 && data[end-1] == '\r' {
				end--
			}
			return naive(end)
		}
		line, start := 1, 0
		for i := 1; i <= off; i++ {
			if naiveLineStart(data, i, lfOnly) {
				line, start = line+1, i
			}
		}
		return Position{File: "f", Line: line, Column: off - start + 1, Char: utf8.RuneCount(data[start:off]) + 1}
	}
	offsets := make([]int, 0, len(data)+1)
	for i := range len(data) + 1 {
		offsets = append(offsets, i)
	}
	orders := map[string][]int{"in order": offsets}
	backwards := make([]int, len(offsets))
	for i, off := range offsets {
		backwards[len(offsets)-1-i] = off
	}
	orders["backwards"] = backwards
	shuffled := append([]int(nil), offsets...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	orders["shuffled"] = shuffled
	for name, order := range orders {
		s := newSource("f", data)
		if lfOnly {
			s = newHCLSource("f", data)
		}
		for _, off := range order {
			if got, want := s.pos(off), naive(off); got != want {
				t.Errorf("%s: pos(%d) = %#v, want %#v", name, off, got, want)
			}
		}
	}
}

// TestSourceOffset compares offset with a plain walk of the line's code
// points, for every line and column (past the line's end too, which stops
// at the last byte of its line break), asked for in order, backwards and
// at random; and pos of an offset gives back its column.
func TestSourceOffset(t *testing.T) {
	t.Parallel()
	for text, data := range sourceTexts {
		t.Run(text, func(t *testing.T) {
			t.Parallel()
			checkSourceOffset(t, data)
		})
	}
}

func checkSourceOffset(t *testing.T, data []byte) {
	starts := []int{0}
	for i := 1; i <= len(data); i++ {
		if naiveLineStart(data, i, false) {
			starts = append(starts, i)
		}
	}
	naive := func(line, char int) int {
		off := starts[line-1]
		for ; char > 1 && off < len(data) && !naiveLineStart(data, off+1, false); char-- {
			_, n := utf8.DecodeRune(data[off:])
			off += n
		}
		return off
	}
	type at struct{ line, char int }
	var all []at
	for line := 1; line <= len(starts); line++ {
		for char := 1; char <= 20; char++ {
			all = append(all, at{line, char})
		}
	}
	backwards := make([]at, len(all))
	for i, a := range all {
		backwards[len(all)-1-i] = a
	}
	shuffled := append([]at(nil), all...)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, order := range map[string][]at{"in order": all, "backwards": backwards, "shuffled": shuffled} {
		s := newSource("f", data)
		for _, a := range order {
			got, want := s.offset(a.line, a.char), naive(a.line, a.char)
			if got != want {
				t.Errorf("%s: offset(%d, %d) = %d, want %d", name, a.line, a.char, got, want)
			}
			if p := s.pos(got); p.Line != a.line || got == want && p.Char > a.char {
				t.Errorf("%s: pos(offset(%d, %d)) = %#v", name, a.line, a.char, p)
			}
		}
	}
}

// TestSourcePosEnd checks the position of the end of a file that ends
// with a line break, where a parse error at the end of the input is (an
// unclosed JSON object): it is the end of the last line, not a line
// after it, which editors and code scanning do not have.
func TestSourcePosEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data string
		want Position
	}{
		{"", Position{File: "f", Line: 1, Column: 1, Char: 1}},
		{"{", Position{File: "f", Line: 1, Column: 2, Char: 2}},
		{"{\n", Position{File: "f", Line: 1, Column: 2, Char: 2}},
		{"{é\r\n", Position{File: "f", Line: 1, Column: 4, Char: 3}},
		{"\n\n", Position{File: "f", Line: 2, Column: 1, Char: 1}},
		{"{\n  \"a\": 1,\n", Position{File: "f", Line: 2, Column: 10, Char: 10}},
		{"{\r", Position{File: "f", Line: 1, Column: 2, Char: 2}},
		{"{é\r", Position{File: "f", Line: 1, Column: 4, Char: 3}},
		{"\r\r", Position{File: "f", Line: 2, Column: 1, Char: 1}},
		{"{\r\r\n", Position{File: "f", Line: 2, Column: 1, Char: 1}},
		{"{\n  \"a\": 1,\r", Position{File: "f", Line: 2, Column: 10, Char: 10}},
	} {
		if got := newSource("f", []byte(tc.data)).pos(len(tc.data)); got != tc.want {
			t.Errorf("%q: pos of the end = %#v, want %#v", tc.data, got, tc.want)
		}
	}
}

// TestLoopIDMatches: a logical ID written in an Fn::ForEach loop matches
// the names it may make, each ${Identifier} and &{Identifier} standing for
// any text, and no other.
func TestLoopIDMatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, name string
		want     bool
	}{
		{"${N}Bucket", "aBucket", true},
		{"${N}Bucket", "Bucket", true},
		{"${N}Bucket", "aBuck", false},
		{"Bucket&{N}", "Bucketappexamplecom", true},
		{"A${N}B&{M}C", "AxByC", true},
		{"A${N}B${M}C", "AxyC", false},
		{"ab${N}b", "ab", false},
		{"ab${N}b", "abb", true},
		{"Plain", "Plain", true},
		{"Plain", "Plainer", false},
		{"A${N", "A${N", true}, // without its }, not an identifier
		{"A${N", "Ax", false},
	} {
		if got := loopIDMatches(tc.id, tc.name); got != tc.want {
			t.Errorf("loopIDMatches(%q, %q) = %v, want %v", tc.id, tc.name, got, tc.want)
		}
	}
}

// TestLFLines checks that lfLines turns each "\r" that ends a line alone
// into "\n", leaves "\r\n" as it is, and copies nothing without one.
func TestLFLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"a\rb", "a\nb"},
		{"a\r\nb\r\r\n\r", "a\r\nb\n\r\n\n"},
		{"\r", "\n"},
	} {
		in := []byte(tc.in)
		got := lfLines(in)
		if string(got) != tc.want {
			t.Errorf("lfLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if string(in) != tc.in {
			t.Errorf("lfLines(%q) changed its argument to %q", tc.in, in)
		}
	}
}
