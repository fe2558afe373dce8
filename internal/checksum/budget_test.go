package checksum_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/s3err"
)

// rawRequest reads a POST with body as net/http's server reads it: with
// a Content-Length of declared bytes, or chunked when declared is -1.
// The body sent may be shorter than declared.
func rawRequest(t *testing.T, body []byte, declared int) *http.Request {
	t.Helper()
	var raw bytes.Buffer
	raw.WriteString("POST /b?delete HTTP/1.1\r\nHost: x\r\n")
	if declared < 0 {
		raw.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		if len(body) > 0 {
			fmt.Fprintf(&raw, "%x\r\n%s\r\n", len(body), body)
		}
		raw.WriteString("0\r\n\r\n")
	} else {
		fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n%s", declared, body)
	}
	r, err := http.ReadRequest(bufio.NewReader(&raw))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReadBodyWithin reads bodies within budgets: a body that declares
// its length takes that many bytes, before any is read; one that does
// not takes 512 bytes, then doubles up to the bound; a budget without the
// bytes answers 503 SlowDown; and whatever happens, release gives back
// all that was taken.
func TestReadBodyWithin(t *testing.T) {
	t.Parallel()
	const limit = 200 << 10
	const unknown = -1
	tests := []struct {
		name     string
		size     int // bytes sent
		declared int // Content-Length, or unknown for chunked
		budget   int64
		code     string // the S3 error's code; "" for the body
		held     int64  // the budget's bytes taken before release
	}{
		{name: "declared", size: 100, declared: 100, budget: 1 << 20, held: 100},
		{name: "empty", size: 0, declared: 0, budget: 1 << 20, held: 0},
		{name: "empty, chunked", size: 0, declared: unknown, budget: 1 << 20, held: 0},
		{name: "declared at the bound", size: limit, declared: limit, budget: 1 << 20, held: limit},
		{name: "declared over the bound", size: limit + 1, declared: limit + 1, budget: 1 << 20, code: "MaxMessageLengthExceeded", held: 0},
		{name: "declared, budget short", size: 100, declared: 100, budget: 99, code: "SlowDown", held: 0},
		{name: "declared, body short", size: 50, declared: 100, budget: 1 << 20, code: "IncompleteBody", held: 100},
		{name: "chunked, small", size: 100, declared: unknown, budget: 1 << 20, held: 512},
		{name: "chunked, one growth", size: 100 << 10, declared: unknown, budget: 1 << 20, held: 128 << 10},
		{name: "chunked, to the bound", size: limit, declared: unknown, budget: 1 << 20, held: limit},
		{name: "chunked, over the bound", size: limit + 1, declared: unknown, budget: 1 << 20, code: "MaxMessageLengthExceeded", held: limit},
		{name: "chunked, budget short of a growth", size: 100 << 10, declared: unknown, budget: 100 << 10, code: "SlowDown", held: 64 << 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sent := bytes.Repeat([]byte("k"), tc.size)
			b := checksum.NewBudget(tc.budget)
			body, release, err := checksum.ReadBodyWithin(rawRequest(t, sent, tc.declared), limit, b)
			if got := b.Held(); got != tc.held {
				t.Errorf("held %d bytes, want %d", got, tc.held)
			}
			release()
			if got := b.Held(); got != 0 {
				t.Errorf("held %d bytes after release, want 0", got)
			}
			if tc.code == "" {
				if err != nil || !bytes.Equal(body, sent) {
					t.Errorf("ReadBodyWithin = %d bytes, %v; want the %d bytes sent", len(body), err, len(sent))
				}
				return
			}
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != tc.code {
				t.Fatalf("ReadBodyWithin = %d bytes, %v; want %s", len(body), err, tc.code)
			}
			if tc.code == "SlowDown" && (e.StatusCode != http.StatusServiceUnavailable || e.Message != "Please reduce your request rate.") {
				t.Errorf("SlowDown is %d %q, want S3's 503 %q", e.StatusCode, e.Message, "Please reduce your request rate.")
			}
		})
	}
}

// TestBudgetShared reads two bodies within one budget that holds one:
// the second gets SlowDown while the first is held, and is read once
// the first is released.
func TestBudgetShared(t *testing.T) {
	t.Parallel()
	b := checksum.NewBudget(1000)
	first, release, err := checksum.ReadBodyWithin(rawRequest(t, bytes.Repeat([]byte("a"), 600), 600), 1000, b)
	if err != nil || len(first) != 600 {
		t.Fatalf("first body: %d bytes, %v", len(first), err)
	}
	second := bytes.Repeat([]byte("b"), 500)
	_, release2, err := checksum.ReadBodyWithin(rawRequest(t, second, len(second)), 1000, b)
	release2()
	if e, ok := errors.AsType[*s3err.Error](err); !ok || e.Code != "SlowDown" {
		t.Errorf("second body while the first is held: %v, want SlowDown", err)
	}
	release()
	got, release2, err := checksum.ReadBodyWithin(rawRequest(t, second, len(second)), 1000, b)
	defer release2()
	if err != nil || !bytes.Equal(got, second) {
		t.Errorf("second body once the first is released: %d bytes, %v", len(got), err)
	}
}

// TestReadBodyWithinReference reads bodies of lengths around the growth
// steps and the bound, declared or not, in reads of every size
// iotest.HalfReader gives: each must come back whole, or as
// MaxMessageLengthExceeded past the bound.
func TestReadBodyWithinReference(t *testing.T) {
	t.Parallel()
	const limit = 300_000
	for _, size := range []int{0, 1, 2, 65535, 65536, 65537, 131071, 131072, 131073, 262144, limit - 1, limit, limit + 1, limit + 70_000} {
		for _, declared := range []bool{true, false} {
			t.Run(fmt.Sprint(size, declared), func(t *testing.T) {
				t.Parallel()
				sent := []byte(strings.Repeat("0123456789", size/10+1)[:size])
				r, err := http.NewRequest("POST", "http://x/b?delete", nil)
				if err != nil {
					t.Fatal(err)
				}
				r.Body = io.NopCloser(iotest.HalfReader(bytes.NewReader(sent)))
				r.ContentLength = -1
				if declared && size <= limit {
					r.ContentLength = int64(size)
				}
				b := checksum.NewBudget(1 << 30)
				body, release, err := checksum.ReadBodyWithin(r, limit, b)
				release()
				if size > limit {
					if e, ok := errors.AsType[*s3err.Error](err); !ok || e.Code != "MaxMessageLengthExceeded" {
						t.Errorf("%d bytes: %v, want MaxMessageLengthExceeded", size, err)
					}
				} else if err != nil || !bytes.Equal(body, sent) {
					t.Errorf("%d bytes: got %d bytes, %v", size, len(body), err)
				}
				if b.Held() != 0 {
					t.Errorf("held %d after release", b.Held())
				}
			})
		}
	}
}

// firstRead records the length of the buffer of the first Read of a
// body that has declared its length.
type firstRead struct {
	r     io.Reader
	first int
}

func (f *firstRead) Read(p []byte) (int, error) {
	if f.first < 0 {
		f.first = len(p)
	}
	return f.r.Read(p)
}

// TestReadBodyWithinNoBudgetAllocatesAsBytesCome reads a body that
// declares 64 KiB: without a budget the first read is of one byte, into
// no buffer yet, so that a client declaring a length and sending nothing
// makes the server hold nothing (3,000 such connections held 200 MB
// when the length was taken at once); with a budget, the declared length
// is taken, and read into, at once.
func TestReadBodyWithinNoBudgetAllocatesAsBytesCome(t *testing.T) {
	t.Parallel()
	const declared = 64 << 10
	for _, tc := range []struct {
		name   string
		budget *checksum.Budget
		first  int
	}{
		{"no budget", nil, 1},
		{"a budget", checksum.NewBudget(1 << 20), declared},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sent := bytes.Repeat([]byte("x"), declared)
			body := &firstRead{r: bytes.NewReader(sent), first: -1}
			r, err := http.NewRequest("PUT", "http://x/b?cors", nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Body, r.ContentLength = io.NopCloser(body), declared
			got, release, err := checksum.ReadBodyWithin(r, declared, tc.budget)
			release()
			if err != nil || !bytes.Equal(got, sent) {
				t.Fatalf("ReadBodyWithin = %d bytes, %v", len(got), err)
			}
			if body.first != tc.first {
				t.Errorf("first read into %d bytes, want %d", body.first, tc.first)
			}
			if cap(got) != declared {
				t.Errorf("read into a buffer of %d bytes, want the %d declared", cap(got), declared)
			}
		})
	}
}
