package checksum_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/s3err"
)

// awsChunked returns data framed as aws-chunked in chunks of size, with
// made-up chunk signatures when signed (a server without keys decodes
// them unchecked), and no trailer.
func awsChunked(data []byte, size int, signed bool) string {
	var b strings.Builder
	chunk := func(p []byte) {
		fmt.Fprintf(&b, "%x", len(p))
		if signed {
			b.WriteString(";chunk-signature=" + strings.Repeat("0", 64))
		}
		b.WriteString("\r\n")
		b.Write(p)
		if len(p) > 0 {
			b.WriteString("\r\n")
		}
	}
	for rest := data; len(rest) > 0; rest = rest[min(size, len(rest)):] {
		chunk(rest[:min(size, len(rest))])
	}
	chunk(nil)
	b.WriteString("\r\n")
	return b.String()
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestReadBodyLimit reads bodies around the bound of 64 KiB: an
// aws-chunked body is held to it by its decoded length, not by its
// Content-Length, which counts the framing; a body that declares more
// than the bound, in Content-Length or x-amz-decoded-content-length, is
// refused before a byte of it is read.
func TestReadBodyLimit(t *testing.T) {
	t.Parallel()
	const max = 64 << 10
	data := func(n int) []byte { return bytes.Repeat([]byte("a"), n) }
	tests := []struct {
		name string
		// token is x-amz-content-sha256 for an aws-chunked body, "" for a
		// plain one.
		token        string
		data         []byte
		declared     int64 // Content-Length of a plain body, x-amz-decoded-content-length of a chunked one; -1: none
		ok           bool
		readsNothing bool // refused before reading
	}{
		{name: "plain at the bound", data: data(max), declared: max, ok: true},
		{name: "plain over the bound", data: data(max + 1), declared: max + 1, readsNothing: true},
		{name: "plain over the bound, length unknown", data: data(max + 1), declared: -1},
		{name: "unsigned chunked, framing over the bound", token: sigv.StreamingUnsignedTrailer, data: data(max - 10), declared: max - 10, ok: true},
		{name: "unsigned chunked at the bound", token: sigv.StreamingUnsignedTrailer, data: data(max), declared: max, ok: true},
		{name: "signed chunked, framing over the bound", token: sigv.StreamingSigned, data: data(max - 200), declared: max - 200, ok: true},
		{name: "signed chunked at the bound", token: sigv.StreamingSigned, data: data(max), declared: max, ok: true},
		{name: "chunked declaring over the bound", token: sigv.StreamingUnsignedTrailer, data: data(max + 1), declared: max + 1, readsNothing: true},
		{name: "signed chunked declaring over the bound", token: sigv.StreamingSigned, data: data(max + 1), declared: max + 1, readsNothing: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := string(tc.data)
			if tc.token != "" {
				body = awsChunked(tc.data, 8192, tc.token == sigv.StreamingSigned)
				if len(body) <= max {
					t.Fatalf("the framed body is %d bytes, want more than %d for the case to mean anything", len(body), max)
				}
			}
			src := &countingReader{r: strings.NewReader(body)}
			r, err := http.NewRequest("PUT", "http://127.0.0.1:9000/b?cors", src)
			if err != nil {
				t.Fatal(err)
			}
			r.ContentLength = int64(len(body))
			if tc.token == "" {
				r.ContentLength = tc.declared
			} else {
				r.Header.Set("Content-Encoding", "aws-chunked")
				r.Header.Set("X-Amz-Content-Sha256", tc.token)
				r.Header.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(tc.declared, 10))
			}
			var sig sigv.Signature // a server without keys: decoded, not verified
			if r.Body, err = sig.DecodeBody(r); err != nil {
				t.Fatal(err)
			}
			got, err := checksum.ReadBody(r, max)
			if tc.ok {
				if err != nil || !bytes.Equal(got, tc.data) {
					t.Errorf("ReadBody = %d bytes, %v; want the %d bytes sent", len(got), err, len(tc.data))
				}
				return
			}
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != "MaxMessageLengthExceeded" {
				t.Errorf("ReadBody = %d bytes, %v; want MaxMessageLengthExceeded", len(got), err)
			}
			if tc.readsNothing && src.n != 0 {
				t.Errorf("ReadBody read %d bytes of a body declared over the bound", src.n)
			}
		})
	}
}
