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

// growStep is the least a buffer of [ReadBodyWithin] grows by, for a
// body whose length was not declared; it doubles from there.
const growStep = 64 << 10

// ReadBodyWithin reads a body of at most limit bytes as [ReadBody] does, into a buffer whose
// bytes it takes from b before it reads into them: a body that declares
// its length (Content-Length, or x-amz-decoded-content-length for a
// decoded aws-chunked one) into a buffer of that length, taken at once;
// any other into one that doubles from 64 KiB up to limit, each growth
// taken as it comes. When b does not have the bytes, the error is S3's
// 503 SlowDown, which the AWS SDKs retry, and the rest of the body is
// left unread.
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
	if length > 0 {
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
			grow := min(max(int64(cap(body)), growStep), int64(limit-cap(body)))
			if !b.take(grow) {
				return nil, release, s3err.SlowDown()
			}
			held += grow
			body = append(append(make([]byte, 0, int64(cap(body))+grow), body...), probe[0])
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
