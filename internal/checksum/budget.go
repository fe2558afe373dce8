package checksum

import (
	"io"
	"net/http"
	"sync"

	"github.com/s3cors/s3cors/s3err"
)

// Budget bounds the bytes of request bodies a server holds in memory at
// once, across all its requests, as [ReadBodyWithin] reads them: each
// body is bounded alone, but without a budget as many clients as can
// connect could each make the server hold one. A nil *Budget bounds
// nothing. Its methods are safe for concurrent use.
type Budget struct {
	limit int64
	mu    sync.Mutex
	held  int64
}

// NewBudget returns a budget of limit bytes.
func NewBudget(limit int64) *Budget { return &Budget{limit: limit} }

// take reserves n bytes, reporting whether the budget had them.
func (b *Budget) take(n int64) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held+n > b.limit {
		return false
	}
	b.held += n
	return true
}

// give returns n bytes taken.
func (b *Budget) give(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.held -= n
	b.mu.Unlock()
}

// Held returns the bytes taken and not yet given back.
func (b *Budget) Held() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held
}

// firstGrowth is the size of the buffer [ReadBodyWithin] reads the
// first bytes of a body into when it has not taken the declared length
// at once; it doubles from there, as the bytes come.
const firstGrowth = 512

// ReadBodyWithin reads a body of at most limit bytes as [ReadBody] does,
// into a buffer whose bytes it takes from b before it reads into them.
// With a budget, a body that declares its length (Content-Length, or
// x-amz-decoded-content-length for a decoded aws-chunked one) is read
// into a buffer of that length, taken at once, so that a body the
// budget cannot hold is refused before any of it is read. Any other
// body, and every body without a budget, is read into a buffer that
// doubles from 512 bytes as the bytes come, up to the length declared
// or else to limit, each growth taken as it comes: a client that
// declares a length and sends nothing costs nothing. When b does not
// have the bytes, the error is S3's 503 SlowDown, which the AWS SDKs
// retry, and the rest of the body is left unread.
//
// The release returned, never nil, gives the bytes back to b, also on
// error; call it once, when nothing uses body any more. The buffer a
// growth leaves behind is garbage, not counted: the heap holds at most
// twice what b counts.
func ReadBodyWithin(r *http.Request, limit int, b *Budget) (body []byte, release func(), err error) {
	var held int64
	release = func() { b.give(held) }
	length := r.ContentLength
	if d, ok := r.Body.(decodedLengther); ok {
		length = d.DecodedLength()
	}
	if length > int64(limit) {
		return nil, release, s3err.MaxMessageLengthExceeded(limit)
	}
	if length > 0 && b != nil {
		if !b.take(length) {
			return nil, release, s3err.SlowDown()
		}
		held = length
		body = make([]byte, 0, length)
	}
	for {
		if len(body) == cap(body) {
			// One byte tells whether the body goes on before a larger
			// buffer is taken: a body of the length it declared ends
			// here.
			var probe [1]byte
			switch _, err := io.ReadFull(r.Body, probe[:]); {
			case err == io.EOF:
				return body, release, nil
			case err != nil:
				return nil, release, BodyError(err)
			case len(body) == limit:
				return nil, release, s3err.MaxMessageLengthExceeded(limit)
			}
			target := max(2*cap(body), firstGrowth)
			if length > int64(cap(body)) {
				target = min(target, int(length))
			}
			grow := min(target, limit) - cap(body)
			if !b.take(int64(grow)) {
				return nil, release, s3err.SlowDown()
			}
			held += int64(grow)
			body = append(append(make([]byte, 0, cap(body)+grow), body...), probe[0])
		}
		n, err := r.Body.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if err == io.EOF {
			return body, release, nil
		}
		if err != nil {
			return nil, release, BodyError(err)
		}
	}
}
