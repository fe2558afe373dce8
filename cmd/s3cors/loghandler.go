package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/reqlog"
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

// newTextHandler returns a textHandler that formats plain records itself
// only when opts change nothing of slog.TextHandler's format.
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

var _ reqlog.AttrsHandler = (*textHandler)(nil)

var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Handle formats a record itself when it holds only plain values, into a
// pooled buffer without allocating, and hands any other to the wrapped
// slog.TextHandler, so the lines read the same either way.
func (h *textHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.fast || !plainRecord(&r) {
		return h.text.Handle(ctx, r)
	}
	buf := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(buf)
	b := appendHead((*buf)[:0], r.Time, r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b = appendAttr(b, a)
		return true
	})
	return h.writeLine(buf, b)
}

// HandleAttrs writes what Handle writes for the record
// slog.NewRecord(t, level, msg, 0) holding attrs, making that record only
// for the wrapped [slog.TextHandler]. It makes textHandler a
// [reqlog.AttrsHandler], so that request lines cost no allocation.
func (h *textHandler) HandleAttrs(ctx context.Context, t time.Time, level slog.Level, msg string, attrs []slog.Attr) error {
	if !h.fast || !plainAttrs(attrs) {
		r := slog.NewRecord(t, level, msg, 0)
		r.AddAttrs(attrs...)
		return h.text.Handle(ctx, r)
	}
	buf := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(buf)
	b := appendHead((*buf)[:0], t, level, msg)
	for _, a := range attrs {
		b = appendAttr(b, a)
	}
	return h.writeLine(buf, b)
}

// appendHead appends what a line says before its attributes: the time
// (none when zero), the level and the message.
func appendHead(b []byte, t time.Time, level slog.Level, msg string) []byte {
	if !t.IsZero() {
		b = append(b, "time="...)
		b = appendRFC3339Millis(b, t)
		b = append(b, ' ')
	}
	b = append(b, "level="...)
	b = append(b, level.String()...)
	b = append(b, " msg="...)
	return appendText(b, msg)
}

// appendAttr appends a, after a space, unless it is empty, which slog
// drops.
func appendAttr(b []byte, a slog.Attr) []byte {
	if a.Equal(slog.Attr{}) {
		return b
	}
	b = append(b, ' ')
	b = appendText(b, a.Key)
	b = append(b, '=')
	return appendValue(b, a.Value)
}

// writeLine ends the line b, kept in buf for the next one, and writes
// it in one call.
func (h *textHandler) writeLine(buf *[]byte, b []byte) error {
	b = append(b, '\n')
	*buf = b
	_, err := h.w.Write(b)
	return err
}

// plainRecord reports whether every attribute of r is of a kind
// textHandler formats itself.
func plainRecord(r *slog.Record) bool {
	plain := true
	r.Attrs(func(a slog.Attr) bool {
		plain = plainAttr(a)
		return plain
	})
	return plain
}

// plainAttrs is plainRecord for attributes in a slice.
func plainAttrs(attrs []slog.Attr) bool {
	for _, a := range attrs {
		if !plainAttr(a) {
			return false
		}
	}
	return true
}

// plainAttr reports whether a is of a kind textHandler formats itself, or
// empty.
func plainAttr(a slog.Attr) bool {
	switch a.Value.Kind() {
	case slog.KindString, slog.KindInt64, slog.KindUint64, slog.KindBool, slog.KindDuration:
		return true
	}
	return a.Equal(slog.Attr{})
}

// appendValue appends v as slog.TextHandler writes it, for the kinds
// plainAttr lets through only.
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

// needsQuoting reports whether slog.TextHandler quotes s; appendText
// relies on it to write the same text.
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
// 3339 with exactly three digits of milliseconds, truncated. The text
// around the milliseconds is formatted once a second (lastStamp): a
// request log's lines mostly fall in the second of the line before. A
// line of another second or location formats all of it, and allocates
// twice to keep it.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	if s := lastStamp.Load(); s != nil && s.unix == t.Unix() && s.loc == t.Location() {
		ms := t.Nanosecond() / int(time.Millisecond)
		b = append(b, s.before...)
		b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
		return append(b, s.zone...)
	}
	n := len(b)
	b = formatRFC3339Millis(b, t)
	// Only a year of four digits is kept: formatRFC3339Millis drops the
	// character where a four-digit year's fourth digit of fraction falls,
	// as slog does, which is another for longer or negative years.
	if dot := bytes.LastIndexByte(b[n:], '.'); dot == len("2006-01-02T15:04:05") { // the zone has no '.'
		text := string(b[n:])
		lastStamp.Store(&stamp{unix: t.Unix(), loc: t.Location(), before: text[:dot], zone: text[dot+len(".000"):]})
	}
	return b
}

// stamp is how appendRFC3339Millis writes the times of one second in one
// location: before the milliseconds' point, and the zone after them.
type stamp struct {
	unix         int64
	loc          *time.Location
	before, zone string
}

// lastStamp is the stamp of the time appendRFC3339Millis last formatted.
var lastStamp atomic.Pointer[stamp]

// formatRFC3339Millis is appendRFC3339Millis, formatting all of t.
func formatRFC3339Millis(b []byte, t time.Time) []byte {
	const prefix = len("2006-01-02T15:04:05.000")
	n := len(b)
	// RFC3339Nano trims trailing zeros: a tenth of a millisecond more
	// keeps four digits, of which the fourth is dropped.
	b = t.Truncate(time.Millisecond).Add(time.Millisecond/10).AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefix], b[n+prefix+1:]...)
}
