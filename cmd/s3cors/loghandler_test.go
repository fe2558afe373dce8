package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York, wherever the tests run

	"github.com/s3cors/s3cors/internal/reqlog"
)

// handlerPair logs to textHandler and to slog.TextHandler, the reference
// it must write as, each into a buffer of its own.
type handlerPair struct {
	fast, ref bytes.Buffer
	h         slog.Handler
	r         slog.Handler
}

func newHandlerPair(opts *slog.HandlerOptions) *handlerPair {
	p := &handlerPair{}
	p.h = newTextHandler(&p.fast, opts)
	p.r = slog.NewTextHandler(&p.ref, opts)
	return p
}

// same handles rec with both and reports whether they wrote the same.
func (p *handlerPair) same(t *testing.T, rec slog.Record) bool {
	t.Helper()
	p.fast.Reset()
	p.ref.Reset()
	if err := p.h.Handle(context.Background(), rec.Clone()); err != nil {
		t.Fatal(err)
	}
	if err := p.r.Handle(context.Background(), rec.Clone()); err != nil {
		t.Fatal(err)
	}
	if p.fast.String() != p.ref.String() {
		t.Errorf("textHandler wrote\n%q\nslog.TextHandler\n%q", p.fast.String(), p.ref.String())
		return false
	}
	// The same record in parts, as the request log hands it.
	var attrs []slog.Attr
	rec.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	p.fast.Reset()
	if err := p.h.(reqlog.AttrsHandler).HandleAttrs(context.Background(), rec.Time, rec.Level, rec.Message, attrs); err != nil {
		t.Fatal(err)
	}
	if p.fast.String() != p.ref.String() {
		t.Errorf("textHandler.HandleAttrs wrote\n%q\nslog.TextHandler\n%q", p.fast.String(), p.ref.String())
		return false
	}
	return true
}

func record(tm time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(tm, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

var logTime = time.Date(2026, 12, 1, 18, 34, 2, 96_512_345, time.UTC)

// TestTextHandlerSameAsSlog writes records like serve's and odd ones
// with both handlers: the bytes are the same.
func TestTextHandlerSameAsSlog(t *testing.T) {
	t.Parallel()
	p := newHandlerPair(&slog.HandlerOptions{Level: slog.LevelDebug})
	odd := []string{"", "plain", "two words", "a=b", `say "hi"`, `back\slash`, "tab\there", "nl\n", "del\x7f", "\x00",
		"é", "日本語", "non\u00a0breaking", "\u2028", "bad\xffutf8", "emoji😀", "zero\u200bwidth", "/bucket/key?x=y&z"}
	for _, s := range odd {
		p.same(t, record(logTime, slog.LevelInfo, s, slog.String(s, s)))
	}
	for _, d := range []time.Duration{0, 1, 999, 1000, 1500, 122_172, 999_999, 1_000_000, 17_370_558, 999_999_999, time.Second,
		1500 * time.Millisecond, time.Minute, 61*time.Second + 5, time.Hour, 3*time.Hour + 2*time.Minute + 3*time.Second + 4,
		-1, -1500, -time.Hour, math.MaxInt64, math.MinInt64} {
		p.same(t, record(logTime, slog.LevelWarn, "d", slog.Duration("duration", d)))
	}
	p.same(t, record(logTime, slog.LevelInfo, "request", slog.String("method", "GET"), slog.String("path", "/example/photo.jpg"),
		slog.String("op", "GetObject"), slog.Int("status", 200), slog.Int64("bytes", 1024), slog.Duration("duration", 122172),
		slog.String("request_id", "ZPQB6TJEJ87FF4ZC"), slog.String("subresource", "cors"), slog.String("error", "NoSuchKey")))
	p.same(t, record(logTime, slog.LevelError+2, "x", slog.Int64("min", math.MinInt64), slog.Uint64("max", math.MaxUint64), slog.Bool("b", false), slog.Attr{}, slog.Bool("t", true)))
	p.same(t, record(time.Time{}, slog.LevelDebug, "no time"))
	p.same(t, record(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", -5*3600-30*60)), slog.LevelInfo, "zone"))
	// Values it leaves to slog.TextHandler.
	p.same(t, record(logTime, slog.LevelWarn, "s3server: internal error", slog.Any("err", errors.New("disk full")), slog.Float64("f", 1.5),
		slog.Time("t", logTime), slog.Group("g", slog.Int("a", 1)), slog.Any("nil", nil)))
	ctx := context.Background()
	for _, h := range []func(slog.Handler) slog.Handler{
		func(h slog.Handler) slog.Handler { return h.WithAttrs([]slog.Attr{slog.String("server", "s3cors")}) },
		func(h slog.Handler) slog.Handler { return h.WithGroup("http") },
	} {
		p.fast.Reset()
		p.ref.Reset()
		h(p.h).Handle(ctx, record(logTime, slog.LevelInfo, "request", slog.Int("status", 200)))
		h(p.r).Handle(ctx, record(logTime, slog.LevelInfo, "request", slog.Int("status", 200)))
		if p.fast.String() != p.ref.String() {
			t.Errorf("with attributes or a group: %q, want %q", p.fast.String(), p.ref.String())
		}
	}
	src := newHandlerPair(&slog.HandlerOptions{AddSource: true, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == "status" {
			a.Key = "code"
		}
		return a
	}})
	src.same(t, record(logTime, slog.LevelInfo, "request", slog.Int("status", 200)))
}

// TestTextHandlerTimes writes, in each zone, several times of one second
// in a row, then of the next second and back, so that the text kept of a
// second (lastStamp) is reused and replaced in every way; and years of
// other than four digits, which it does not keep. The bytes are
// slog.TextHandler's every time, through Handle and HandleAttrs.
func TestTextHandlerTimes(t *testing.T) {
	t.Parallel()
	p := newHandlerPair(&slog.HandlerOptions{})
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("A", 5*3600+30*60), time.FixedZone("B", -7*3600), time.Local, newYork}
	seconds := []time.Time{
		time.Date(2026, 12, 1, 23, 59, 59, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 3, 8, 6, 59, 59, 0, time.UTC), // New York's clocks go forward a second later
		time.Date(10000, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(-1, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	// Milliseconds of one second in a row, the next second, and back.
	offsets := []time.Duration{0, 42_424_242, 42_999_999, 999_000_000, 999_999_999, time.Second, time.Second + 1_000_000, 500_000_000, 1}
	for _, zone := range zones {
		for _, second := range seconds {
			for _, d := range offsets {
				tm := second.Add(d).In(zone)
				if !p.same(t, record(tm, slog.LevelInfo, "request")) {
					t.Fatalf("at %v", tm)
				}
			}
		}
	}
}

// TestTextHandlerLevel checks that the handler logs from its level up.
func TestTextHandlerLevel(t *testing.T) {
	t.Parallel()
	h := newTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelWarn) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("a handler at warn: info enabled, or warn or error not")
	}
	if d := newTextHandler(io.Discard, &slog.HandlerOptions{}); d.Enabled(context.Background(), slog.LevelDebug) || !d.Enabled(context.Background(), slog.LevelInfo) {
		t.Error("a handler without a level does not log from info up")
	}
}

// TestTextHandlerAllocs holds the request line at no allocation.
func TestTextHandlerAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("counts allocations, which the race detector changes")
	}
	h := newTextHandler(io.Discard, &slog.HandlerOptions{})
	rec := record(logTime, slog.LevelWarn, "request", slog.String("method", "GET"), slog.String("path", "/example/photo.jpg"),
		slog.String("op", "GetObject"), slog.Int("status", 404), slog.Int64("bytes", 243), slog.Duration("duration", 122172),
		slog.String("request_id", "ZPQB6TJEJ87FF4ZC"), slog.String("error", "NoSuchKey"))
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() { h.Handle(ctx, rec) }); n != 0 {
		t.Errorf("the request line costs %v allocations, want 0", n)
	}
	var attrs []slog.Attr
	rec.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	if n := testing.AllocsPerRun(1000, func() { h.HandleAttrs(ctx, rec.Time, rec.Level, rec.Message, attrs) }); n != 0 {
		t.Errorf("the request line in parts costs %v allocations, want 0", n)
	}
}

// FuzzTextHandler differs textHandler from slog.TextHandler on records of
// every kind it formats itself.
func FuzzTextHandler(f *testing.F) {
	f.Add("request", "path", "/a b=c", int64(-3), uint64(7), int64(122172), true, 4, int64(1764614042096))
	f.Add("", "", "", int64(0), uint64(0), int64(0), false, -4, int64(0))
	f.Add("é\u00a0", "k\x00", "\xff", int64(math.MinInt64), uint64(math.MaxUint64), int64(math.MinInt64), true, 12, int64(-1))
	p := newHandlerPair(&slog.HandlerOptions{Level: slog.Level(-100)})
	f.Fuzz(func(t *testing.T, msg, key, s string, i int64, u uint64, d int64, b bool, level int, ms int64) {
		tm := time.UnixMilli(ms % (1 << 45)).UTC()
		p.same(t, record(tm, slog.Level(level), msg, slog.String(key, s), slog.Int64(s, i), slog.Uint64("u", u),
			slog.Duration("d", time.Duration(d)), slog.Bool(key, b)))
	})
}
