package xmlconfig

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// pad returns doc followed by white space up to n bytes.
func pad(doc string, n int) string {
	return doc + strings.Repeat(" ", n-len(doc))
}

func TestSizeLimit(t *testing.T) {
	t.Parallel()
	const max = corsrule.MaxDocumentSize
	long := xmlDoc(xmlRule(okMembers, "<ID>"+strings.Repeat("x", max-200)+"</ID>"))
	// manyOrigins is compact JSON under 64 KiB whose XML, as the CLI sends
	// it, is over: S3 would refuse it.
	var origins []string
	for i := 0; len(strings.Join(origins, `","`)) < max-2000; i++ {
		origins = append(origins, "https://o"+strings.Repeat("x", 20)+".example")
	}
	manyOrigins := `{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["` + strings.Join(origins, `","`) + `"]}]}`
	tests := []struct {
		name     string
		in       string
		ok       bool
		jsonOnly bool // only the decoders of JSON judge it
	}{
		{"XML of 64 KiB", pad(xmlDoc(xmlRule(okMembers)), max), true, false},
		{"XML of 64 KiB, a long ID", pad(long, max), true, false},
		{"XML of 64 KiB + 1", pad(xmlDoc(xmlRule(okMembers)), max+1), false, false},
		{"junk of 64 KiB + 1", strings.Repeat("x", max+1), false, false},
		{"XML of 1 MiB", pad(xmlDoc(xmlRule(okMembers)), 1<<20), false, false},
		{"JSON of 64 KiB + 1, small as XML", pad(cliDoc(okJSONRule), max+1), true, true},
		{"console of 200 KiB, small as XML", pad(consoleDoc(okJSONRule), 200<<10), true, true},
		{"JSON under 64 KiB, over it as XML", manyOrigins, false, true},
		{"JSON of 1 MiB", pad(cliDoc(okJSONRule), MaxJSONSize), true, true},
		{"JSON of 1 MiB + 1", pad(cliDoc(okJSONRule), MaxJSONSize+1), false, true},
	}
	decoders := []struct {
		name string
		xml  bool // whether it reads XML only
		json bool // whether it reads JSON only
		fn   func(string) (*Document, error)
	}{
		{"Unmarshal", false, false, func(s string) (*Document, error) { return Unmarshal([]byte(s)) }},
		{"Decode", false, false, func(s string) (*Document, error) { return Decode(strings.NewReader(s)) }},
		{"Decode one byte at a time", false, false, func(s string) (*Document, error) { return Decode(iotest.OneByteReader(strings.NewReader(s))) }},
		{"DecodeXML", true, false, func(s string) (*Document, error) { return DecodeXML(strings.NewReader(s)) }},
		{"DecodeJSON", false, true, func(s string) (*Document, error) { return DecodeJSON(strings.NewReader(s)) }},
		{"decodeXML", true, false, func(s string) (*Document, error) { return decodeXML([]byte(s)) }},
		{"decodeJSON", false, true, func(s string) (*Document, error) { return decodeJSON([]byte(s)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, d := range decoders {
				if tc.jsonOnly && d.xml || !tc.jsonOnly && d.json {
					continue // not its form
				}
				_, err := d.fn(tc.in)
				switch {
				case !tc.ok:
					checkTooBig(t, d.name, err)
				case err != nil:
					t.Errorf("%s: %v", d.name, err)
				}
			}
		})
	}
}

func checkTooBig(t *testing.T, name string, err error) {
	t.Helper()
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok || e.Code != "MaxMessageLengthExceeded" || e.StatusCode != 400 {
		t.Errorf("%s: err = %v, want 400 MaxMessageLengthExceeded", name, err)
	}
}

// endless is a reader that never ends, counting what it gives.
type endless struct {
	fill byte
	n    int64
}

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.fill
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestEndlessReader(t *testing.T) {
	t.Parallel()
	decoders := map[string]func(io.Reader) (*Document, error){"Decode": Decode, "DecodeXML": DecodeXML, "DecodeJSON": DecodeJSON}
	for name, decode := range decoders {
		for _, fill := range []byte{' ', '<', '['} {
			r := &endless{fill: fill}
			_, err := decode(r)
			checkTooBig(t, name, err)
			limit := int64(corsrule.MaxDocumentSize + 1)
			if fill == '[' && name != "DecodeXML" {
				limit = MaxJSONSize + 1
			}
			if r.n > limit {
				t.Errorf("%s read %d bytes of %q, want at most %d", name, r.n, fill, limit)
			}
		}
	}
}

func TestReadError(t *testing.T) {
	t.Parallel()
	errRead := errors.New("connection reset")
	decoders := map[string]func(io.Reader) (*Document, error){"Decode": Decode, "DecodeXML": DecodeXML, "DecodeJSON": DecodeJSON}
	for name, decode := range decoders {
		r := io.MultiReader(strings.NewReader(xmlDoc(xmlRule(okMembers))), iotest.ErrReader(errRead))
		_, err := decode(r)
		if !errors.Is(err, errRead) {
			t.Errorf("%s: err = %v, want it to wrap %v", name, err, errRead)
		}
		if _, ok := errors.AsType[*s3err.Error](err); ok {
			t.Errorf("%s: a read error is an S3 error: %v", name, err)
		}
		if len(Problems(err)) != 0 {
			t.Errorf("%s: Problems(read error) = %v, want none", name, Problems(err))
		}
	}
	// Data and io.EOF in one call is a normal end.
	doc, err := Decode(iotest.DataErrReader(strings.NewReader(xmlDoc(xmlRule(okMembers)))))
	if err != nil || len(doc.Rules) != 1 {
		t.Errorf("Decode(DataErrReader) = %v, %v", doc, err)
	}
}

func TestProblemsOfOther(t *testing.T) {
	t.Parallel()
	if got := Problems(nil); got != nil {
		t.Errorf("Problems(nil) = %v", got)
	}
	e := s3err.MalformedXML("x")
	wrapped := errors.Join(errors.New("other"), &wrapErr{e})
	if got := Problems(wrapped); len(got) != 1 || got[0] != e {
		t.Errorf("Problems(%v) = %v, want [%v]", wrapped, got, e)
	}
}

type wrapErr struct{ err error }

func (w *wrapErr) Error() string { return "wrapped: " + w.err.Error() }
func (w *wrapErr) Unwrap() error { return w.err }

// TestUnmarshalDoesNotKeepInput checks that the Document shares no memory
// with the input.
func TestUnmarshalDoesNotKeepInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{xmlDoc(xmlRule(okMembers, "<ID>id</ID>")), consoleDoc(`{"ID": "id", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`)} {
		b := []byte(in)
		doc, err := Unmarshal(b)
		if err != nil {
			t.Fatal(err)
		}
		copy(b, bytes.Repeat([]byte{'#'}, len(b)))
		if r := doc.Rules[0]; r.ID != "id" || r.AllowedOrigins[0] != "*" || r.AllowedMethods[0] != "GET" {
			t.Errorf("after overwriting the input, rule = %+v", r)
		}
	}
}
