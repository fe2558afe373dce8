package main

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// How the log of serve and proxy is written out: at most logFlushDelay after a line is
// logged, or at once when logBufferSize bytes wait.
const (
	logFlushDelay = 100 * time.Millisecond
	logBufferSize = 64 << 10
)

// logBuffer is the writer behind serve's log. slog's handler writes a
// whole line in each call; logBuffer keeps it in memory and writes the
// lines out together, logFlushDelay after the first one kept, or at once
// when logBufferSize bytes are kept, and at Close: one write(2) for
// hundreds of lines under load, where the log used to cost one per
// request. Lines are written whole and in order. What a clean exit
// flushes, a crash of the process (SIGKILL, a fatal error) loses: the
// lines of its last logFlushDelay at most.
type logBuffer struct {
	w     io.Writer
	delay time.Duration

	mu     sync.Mutex // guards buf, closed
	buf    []byte
	closed bool
	timer  *time.Timer

	out   sync.Mutex // one write to w at a time, in order; guards spare
	spare []byte
	err   error // of the last write to w
}

// openLog opens the log of a long-running verb (serve, proxy): its
// request log, at level and above, and its own messages go through one
// logBuffer on stderr, in order, written out every logFlushDelay and when
// logs is closed. fail writes a message for the verb to the log and
// returns exitUsage.
func openLog(stderr io.Writer, verb string, level slog.Level) (logs *logBuffer, logger *slog.Logger, fail func(format string, args ...any) int) {
	logs = newLogBuffer(stderr, logFlushDelay)
	logger = slog.New(newTextHandler(logs, &slog.HandlerOptions{Level: level}))
	fail = func(format string, args ...any) int {
		fmt.Fprintf(logs, "s3cors "+verb+": "+format+"\n", args...)
		return exitUsage
	}
	return logs, logger, fail
}

// newLogBuffer returns a logBuffer that writes to w, delay after the
// first line kept.
func newLogBuffer(w io.Writer, delay time.Duration) *logBuffer {
	b := &logBuffer{w: w, delay: delay, buf: make([]byte, 0, logBufferSize), spare: make([]byte, 0, logBufferSize)}
	b.timer = time.AfterFunc(time.Hour, func() { b.Flush() })
	b.timer.Stop()
	return b
}

// Write keeps p to be written out with the lines around it; once the
// buffer is closed, it writes p at once.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.out.Lock()
		defer b.out.Unlock()
		return b.w.Write(p)
	}
	first := len(b.buf) == 0
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= logBufferSize
	if first && !full {
		b.timer.Reset(b.delay)
	}
	b.mu.Unlock()
	if full {
		b.Flush()
	}
	return len(p), nil
}

// Flush writes out the lines kept, and returns the error of the last
// write to the writer underneath.
func (b *logBuffer) Flush() error {
	b.out.Lock()
	defer b.out.Unlock()
	b.mu.Lock()
	p := b.buf
	b.buf = b.spare[:0]
	b.mu.Unlock()
	if len(p) > 0 {
		_, b.err = b.w.Write(p)
	}
	b.spare = p[:0]
	return b.err
}

// Close writes out the lines kept; what is written after goes out at
// once.
func (b *logBuffer) Close() error {
	b.mu.Lock()
	b.closed = true
	b.timer.Stop()
	b.mu.Unlock()
	return b.Flush()
}
