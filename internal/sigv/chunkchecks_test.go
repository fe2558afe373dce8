package sigv_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/sigv"
)

// TestChunkedUnverified decodes AWS's documented signed bodies for a
// Signature that verifies none of their signatures, as DecodeBody does
// for the zero Signature of a server without keys: the data comes
// through whole, with a chunk signature changed as with none changed.
func TestChunkedUnverified(t *testing.T) {
	t.Parallel()
	want := strings.Repeat("a", 66560)
	for _, ex := range []struct{ name, head, body string }{
		{"signed chunks", awsStreamingHead, awsStreamingBody},
		{"signed chunks and trailer", awsTrailerHead, awsTrailerBody},
		{"signed chunks, the first signature changed", awsStreamingHead, strings.Replace(awsStreamingBody, "signature=ad80", "signature=bd80", 1)},
	} {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			body, err := chunkedRequest(t, nil, ex.head, ex.body)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(body); err != nil || string(got) != want {
				t.Errorf("decoded %d bytes (%v), want the %d documented", len(got), err, len(want))
			}
		})
	}
}

// TestChunkSizeDigits decodes chunk sizes written with each end of the
// ranges of hex digits, in either case: the chunk-size of aws-chunked is
// hex, as HTTP's chunked coding's (RFC 9112, 1*HEXDIG, whose letters are
// case-insensitive).
func TestChunkSizeDigits(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("y"), 0x209F+0x20af+0xA)
	body := "209F\r\n" + string(data[:0x209F]) + "\r\n" +
		"20af\r\n" + string(data[0x209F:0x209F+0x20af]) + "\r\n" +
		"A\r\n" + string(data[0x209F+0x20af:]) + "\r\n" +
		"0\r\n" + crc32Trailer(data) + "\r\n\r\n"
	r, err := chunkedRequest(t, nil, unsignedHead(len(data)), body)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, data) {
		t.Errorf("decoded %d bytes (%v), want the %d sent", len(got), err, len(data))
	}
}

// TestChunkedStopsAtDecodedLength refuses a chunk that would bring more
// data than x-amz-decoded-content-length declares before any of it is
// read: a caller never sees more bytes than the request declared.
func TestChunkedStopsAtDecodedLength(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("x"), 2*sigv.MinChunkSize+100)
	declared := len(data) - 50 // the third chunk, of 100 bytes, is 50 too many
	r, err := chunkedRequest(t, nil, unsignedHead(declared), encodeChunks(data, sigv.MinChunkSize, nil, crc32Trailer(data)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if !isCode(err, "IncompleteBody") || len(got) > declared {
		t.Errorf("read %d bytes of %d declared, then %v; want at most %d, then IncompleteBody", len(got), declared, err, declared)
	}
}

// TestChunkedTrailersBounded refuses trailing headers past
// MaxTrailerSize in all, even when each line is short and one S3 takes
// (a checksum sent again, whose last value counts): the decoder holds
// the trailers in bounded memory.
func TestChunkedTrailersBounded(t *testing.T) {
	t.Parallel()
	line := crc32Trailer(nil) + "\r\n"
	body := "0\r\n" + strings.Repeat(line, 2*sigv.MaxTrailerSize/len(line)) + "\r\n"
	r, err := chunkedRequest(t, nil, unsignedHead(0), body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); !isCode(err, "IncompleteBody") {
		t.Errorf("trailers of %d bytes: %v, want IncompleteBody", len(body)-5, err)
	}
}
