package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// textHandler is serve's log handler: it writes what slog.TextHandler
// writes, byte for byte, for the records serve logs most (one per
// request), faster and without allocating: attributes of a kind it
// formats itself (strings, integers, booleans, durations) are appended
// to a pooled buffer, written in one call. A record with another kind of
// value, a handler with attributes or groups of its own, and options that
// add the source or replace attributes, go to the slog.TextHandler it
// wraps.
type textHandler struct {
	w     io.Writer
	level slog.Leveler
	fast  bool         // the options leave the format as it is
	text  slog.Handler // the same writer and options
}

func newTextHandler(w io.Writer, opts *slog.HandlerOptions) *textHandler {
	level := opts.Level
	if level == nil {
		level = slog.LevelInfo
	}
	return &textHandler{w: w, level: level, fast: !opts.AddSource && opts.ReplaceAttr == nil, text: slog.NewTextHandler(w, opts)}
}

func (h *textHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *textHandler) WithAttrs(attrs []slog.Attr) slog.Handler { return h.text.WithAttrs(attrs) }

func (h *textHandler) WithGroup(name string) slog.Handler { return h.text.WithGroup(name) }

var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func (h *textHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.fast || !plainAttrs(r) {
		return h.text.Handle(ctx, r)
	}
	buf := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(buf)
	b := (*buf)[:0]
	if !r.Time.IsZero() {
		b = append(b, "time="...)
		b = appendRFC3339Millis(b, r.Time)
		b = append(b, ' ')
	}
	b = append(b, "level="...)
	b = append(b, r.Level.String()...)
	b = append(b, " msg="...)
	b = appendText(b, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Equal(slog.Attr{}) {
			return true // slog drops empty attributes
		}
		b = append(b, ' ')
		b = appendText(b, a.Key)
		b = append(b, '=')
		b = appendValue(b, a.Value)
		return true
	})
	b = append(b, '\n')
	*buf = b
	_, err := h.w.Write(b)
	return err
}

// plainAttrs reports whether every attribute of r is of a kind textHandler
// formats itself.
func plainAttrs(r slog.Record) bool {
	plain := true
	r.Attrs(func(a slog.Attr) bool {
		switch a.Value.Kind() {
		case slog.KindString, slog.KindInt64, slog.KindUint64, slog.KindBool, slog.KindDuration:
		default:
			plain = a.Equal(slog.Attr{})
		}
		return plain
	})
	return plain
}

func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendText(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	}
	return appendDuration(b, v.Duration())
}

// appendDuration appends d as d.String() writes it, without allocating:
// "0s"; under a second, in ns, µs or ms with a fraction ("1.5µs");
// otherwise hours, minutes and seconds with a fraction ("1h2m3.5s"),
// leading zero units left out.
func appendDuration(b []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	switch {
	case u == 0:
		return append(b, "0s"...)
	case u < uint64(time.Microsecond):
		return append(strconv.AppendUint(b, u, 10), "ns"...)
	case u < uint64(time.Millisecond):
		return append(appendFraction(b, u, 3), "µs"...)
	case u < uint64(time.Second):
		return append(appendFraction(b, u, 6), "ms"...)
	}
	hours, u := u/uint64(time.Hour), u%uint64(time.Hour)
	minutes, u := u/uint64(time.Minute), u%uint64(time.Minute)
	if hours > 0 {
		b = append(strconv.AppendUint(b, hours, 10), 'h')
	}
	if hours > 0 || minutes > 0 {
		b = append(strconv.AppendUint(b, minutes, 10), 'm')
	}
	return append(appendFraction(b, u, 9), 's')
}

// appendFraction appends v / 10^digits with its fraction, trailing
// zeros dropped, and no point when there is none.
func appendFraction(b []byte, v uint64, digits int) []byte {
	scale := uint64(1)
	for range digits {
		scale *= 10
	}
	b = strconv.AppendUint(b, v/scale, 10)
	frac := v % scale
	if frac == 0 {
		return b
	}
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	b = append(b, '.')
	for n := uint64(10); n <= frac; n *= 10 {
		digits-- // frac has one more digit of its own
	}
	for range digits - 1 {
		b = append(b, '0') // the fraction's leading zeros
	}
	return strconv.AppendUint(b, frac, 10)
}

// appendText appends s as slog.TextHandler writes a key or a string:
// quoted (strconv.Quote) when it is empty or holds a space, '=', '"', an
// ASCII control character, or a rune that is a space, not printable or
// not valid UTF-8.
func appendText(b []byte, s string) []byte {
	if needsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '=' || c == '"' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// appendRFC3339Millis appends t as slog.TextHandler writes times: RFC
// 3339 with exactly three digits of milliseconds, truncated.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefix = len("2006-01-02T15:04:05.000")
	n := len(b)
	// RFC3339Nano trims trailing zeros: a tenth of a millisecond more
	// keeps four digits, of which the fourth is dropped.
	b = t.Truncate(time.Millisecond).Add(time.Millisecond/10).AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefix], b[n+prefix+1:]...)
}
