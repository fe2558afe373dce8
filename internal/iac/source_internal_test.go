package iac

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestSourcePos compares pos with the plain count of code points from
// the line's start, at every offset of lines ASCII and not, asked for in
// order, backwards and at random: the cache that spares counting a long
// line again must never change a position.
func TestSourcePos(t *testing.T) {
	t.Parallel()
	data := []byte("ascii line\nél été \U0001F600 x\n\n" + "é, a, " + "b, ü\nlast é")
	naive := func(off int) Position {
		line, start := 1, 0
		for i := 0; i < off; i++ {
			if data[i] == '\n' {
				line, start = line+1, i+1
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
		for _, off := range order {
			if got, want := s.pos(off), naive(off); got != want {
				t.Errorf("%s: pos(%d) = %#v, want %#v", name, off, got, want)
			}
		}
	}
}

// TestSourceOffset compares offset with a plain walk of the line's code
// points, for every line and column (past the line's end too), asked for
// in order, backwards and at random; and pos of an offset gives back its
// column.
func TestSourceOffset(t *testing.T) {
	t.Parallel()
	data := []byte("ascii line\nél été \U0001F600 x\n\n" + "é, a, " + "b, ü\nlast é")
	s0 := newSource("f", data)
	naive := func(line, char int) int {
		off := s0.lines[line-1]
		for ; char > 1 && off < len(data) && data[off] != '\n'; char-- {
			_, n := utf8.DecodeRune(data[off:])
			off += n
		}
		return off
	}
	type at struct{ line, char int }
	var all []at
	for line := 1; line <= len(s0.lines); line++ {
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
