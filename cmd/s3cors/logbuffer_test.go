package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLogBufferBatches checks when the buffer writes out: not at each
// line, but at Flush, once logBufferSize bytes wait, and at Close, after
// which lines go out at once; lines whole and in order.
func TestLogBufferBatches(t *testing.T) {
	t.Parallel()
	var out syncedBuffer
	b := newLogBuffer(&out, time.Hour)
	fmt.Fprintln(b, "one")
	fmt.Fprintln(b, "two")
	if out.String() != "" || out.writes() != 0 {
		t.Fatalf("written before a flush: %q", out.String())
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "one\ntwo\n" || out.writes() != 1 {
		t.Errorf("after Flush: %q in %d writes, want both lines in one", out.String(), out.writes())
	}
	line := strings.Repeat("x", 99) + "\n"
	for range logBufferSize / len(line) {
		b.Write([]byte(line))
	}
	if out.writes() != 1 {
		t.Errorf("%d writes before the buffer is full", out.writes())
	}
	b.Write([]byte(line))
	if out.writes() != 2 || out.Len() != 8+(logBufferSize/len(line)+1)*len(line) {
		t.Errorf("a full buffer was not written out: %d writes, %d bytes", out.writes(), out.Len())
	}
	fmt.Fprintln(b, "last")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), line+"last\n") {
		t.Errorf("Close did not write out the last line: %q", out.String()[out.Len()-20:])
	}
	fmt.Fprintln(b, "after")
	if !strings.HasSuffix(out.String(), "last\nafter\n") {
		t.Errorf("a line after Close was not written at once")
	}
}

// TestLogBufferTimer checks that a line is written out after the delay
// with no flush, and that lines from many goroutines arrive whole.
func TestLogBufferTimer(t *testing.T) {
	t.Parallel()
	var out syncedBuffer
	b := newLogBuffer(&out, 10*time.Millisecond)
	line := func(g, i int) string { return fmt.Sprintf("goroutine=%d line=%d %s", g, i, strings.Repeat("y", i%200)) }
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				fmt.Fprintln(b, line(g, i))
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(out.String(), "\n") < 8*500 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*500 {
		t.Fatalf("%d lines written out with no flush, want %d", len(lines), 8*500)
	}
	next := map[int]int{}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "goroutine=%d line=%d", &g, &i); err != nil || l != line(g, i) {
			t.Fatalf("a line split or mixed: %q", l)
		}
		if i != next[g] {
			t.Fatalf("goroutine %d: line %d after line %d", g, i, next[g]-1)
		}
		next[g]++
	}
	b.Close()
}

// syncedBuffer is a bytes.Buffer safe for concurrent use that counts the
// writes it gets.
type syncedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int
}

func (s *syncedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.b.Write(p)
}

func (s *syncedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncedBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncedBuffer) writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}
