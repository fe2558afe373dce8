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
