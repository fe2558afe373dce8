// Package hostile reads the catalogue of hostile inputs in
// testdata/hostile (see its README) for the tests that send them, and
// writes the fuzz seed corpora the packages build from it: each package
// keeps a TestHostileFuzzCorpus that checks its own corpora against the
// catalogue, and rewrites them when run with -write-fuzz-corpus.
package hostile

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/internal/testroot"
)

// Load decodes the catalogue file name into v.
func Load(name string, v any) error {
	return testroot.ReadJSON(v, "testdata", "hostile", name)
}

// ConfigBody is an entry of config-bodies.json: a PutBucketCors body, the
// server's answer to it (Put) and the verdict of s3cors validate (Decode).
// The fields are the file's members, matched ignoring case.
type ConfigBody struct {
	ID, Description string
	Body            Body
	Chunked         bool
	Put             struct {
		Status int
		Code   string
	}
	Decode struct {
		Code  string
		Valid bool
	}
}

// Requests is requests.json: requests whose headers are hostile, against
// a bucket with the configuration Config.
type Requests struct {
	Bucket, Object, Config string
	Cases                  []Request
}

// Request is an entry of requests.json.
type Request struct {
	ID, Description, Method, Path string
	Headers                       []Header
	Raw                           []String
	// By is "net/http" for the cases Go's HTTP server answers itself.
	By     string
	Expect struct {
		Status int
		Code   string
		// nil when the case does not state them
		AllowOrigin  *string `json:"allow_origin"`
		AllowHeaders *string `json:"allow_headers"`
	}
}

// Values returns the request's header values as net/http reads them:
// each line a value, an obs-fold line joined to the value before it with
// a space, a raw line without a colon dropped.
func (r *Request) Values() map[string][]string {
	h := map[string][]string{}
	for _, kv := range r.Headers {
		for range kv.Lines {
			h[kv.Name] = append(h[kv.Name], kv.Value)
		}
	}
	last := ""
	for _, raw := range r.Raw {
		line := string(raw)
		if line != "" && (line[0] == ' ' || line[0] == '\t') && last != "" {
			v := h[last]
			v[len(v)-1] += " " + strings.TrimLeft(line, " \t")
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			last = k
			h[k] = append(h[k], strings.TrimLeft(v, " \t"))
		}
	}
	return h
}

// Names is names.json: bucket names and keys in request paths.
type Names struct {
	Bucket  string
	Buckets []struct {
		Path                      String
		Description, Method, Code string
		Status                    int
		BucketName                *String `json:"bucket_name"`
	}
	Keys []struct {
		Path              String
		Description, Code string
		Key               *String
		Status            int
		Details           map[string]string
	}
}

// Header is a header line of the catalogue: ["Name", value] or ["Name",
// value, lines], the line repeated that many times.
type Header struct {
	Name, Value string
	Lines       int
}

// UnmarshalJSON reads a header written as a JSON array, [name, value] or
// [name, value, lines], rather than as an object; the value may be a
// generated String.
func (h *Header) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	if len(parts) < 2 || len(parts) > 3 {
		return errors.New("a header is [name, value] or [name, value, lines]")
	}
	var value String
	if err := json.Unmarshal(parts[0], &h.Name); err != nil {
		return err
	}
	if err := json.Unmarshal(parts[1], &value); err != nil {
		return err
	}
	h.Value, h.Lines = string(value), 1
	if len(parts) == 3 {
		return json.Unmarshal(parts[2], &h.Lines)
	}
	return nil
}

// String is a string of the catalogue: a JSON string, whose \xHH escapes
// stand for bytes, or a body (see Body) that generates it.
type String string

// UnmarshalJSON accepts a JSON string, with its \xHH escapes turned into
// bytes, or a Body object, generated now; a streamed Body is refused
// since a String is held in memory.
func (s *String) UnmarshalJSON(b []byte) error {
	var str string
	if json.Unmarshal(b, &str) == nil {
		*s = String(unescape(str))
		return nil
	}
	var body Body
	if err := json.Unmarshal(b, &body); err != nil {
		return err
	}
	if body.Streamed() {
		return errors.New("a generated string needs a count or a fill, not a length")
	}
	*s = String(body.Bytes())
	return nil
}

// unescape turns the catalogue's \xHH escapes into bytes: JSON strings
// cannot hold bytes that are not UTF-8.
func unescape(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Body is a body of the catalogue: literal text, or a prefix, copies of a
// unit and a suffix.
type Body struct {
	Text                   *String
	Prefix, Repeat, Suffix String
	Count, Fill            int
	Length                 int64
	Endless                bool
}

// unit returns the i-th copy of the body's repeated unit, with "{i}"
// replaced by i so that the copies differ (distinct rules or headers).
func (b Body) unit(i int) string {
	u := string(b.Repeat)
	if strings.Contains(u, "{i}") {
		u = strings.ReplaceAll(u, "{i}", strconv.Itoa(i))
	}
	return u
}

// Streamed reports whether the body is generated as it is read rather
// than held in memory.
func (b Body) Streamed() bool { return b.Text == nil && (b.Length > 0 || b.Endless) }

// Bytes returns a body that is not streamed.
func (b Body) Bytes() []byte {
	if b.Text != nil {
		return []byte(*b.Text)
	}
	prefix, suffix := string(b.Prefix), string(b.Suffix)
	out := []byte(prefix)
	for i := 0; ; i++ {
		if b.Fill > 0 {
			if len(out)+len(b.unit(i))+len(suffix) > b.Fill {
				break
			}
		} else if i >= b.Count {
			break
		}
		out = append(out, b.unit(i)...)
	}
	return append(out, suffix...)
}

// Reader returns the body and its size, -1 when it never ends.
func (b Body) Reader() (io.Reader, int64) {
	if !b.Streamed() {
		data := b.Bytes()
		return strings.NewReader(string(data)), int64(len(data))
	}
	g := &generator{b: b, buf: []byte(b.Prefix)}
	if b.Endless {
		return g, -1
	}
	return io.LimitReader(g, b.Length), b.Length
}

// Small returns the body with its structure, its prefix, a few of its
// units and its suffix, but not its size: a fuzzer's seed is better
// small, and the tests that send the catalogue send the full sizes.
func (b Body) Small() []byte {
	if b.Text != nil {
		return b.Bytes()
	}
	small := b
	small.Count, small.Fill, small.Length, small.Endless = 32, 0, 0, false
	return small.Bytes()
}

// generator yields a body's prefix then its units, forever.
type generator struct {
	b   Body
	buf []byte
	i   int
}

// Read never returns io.EOF: the body is endless, and only the reader
// (a server that must give up on it) or an io.LimitReader ends it.
func (g *generator) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && len(g.buf) < 1<<16 {
		g.buf = append(g.buf, g.b.unit(g.i)...)
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

// Endless returns a body of unit repeated forever.
func Endless(unit string) io.Reader { return &generator{b: Body{Repeat: String(unit)}} }
