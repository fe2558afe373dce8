package s3err

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"sync"
	"unsafe"

	"github.com/s3cors/s3cors/internal/xmlw"
)

// AppendXML appends the XML error document S3 sends with e: the
// declaration, then <Error> with Code, Message, the Details, RequestId and
// HostId, in that order. Text is escaped as S3 escapes it (&, < and >),
// and a carriage return as &#xD;, which a parser would otherwise read as
// a newline; characters XML 1.0 cannot carry become U+FFFD, so no control
// character from a request is ever reflected. S3 puts a Resource element, when it
// sends one, after the other details: give it as the last Detail.
func (e *Error) AppendXML(b []byte, requestID, hostID string) []byte {
	b = append(b, xmlw.Declaration...)
	b = append(b, "<Error>"...)
	b = xmlw.AppendElement(b, "Code", e.Code)
	b = xmlw.AppendElement(b, "Message", e.Message)
	for _, d := range e.Details {
		b = xmlw.AppendElement(b, d.Name, d.Value)
	}
	b = xmlw.AppendElement(b, "RequestId", requestID)
	b = xmlw.AppendElement(b, "HostId", hostID)
	return append(b, "</Error>"...)
}

// WriteResponse sends e as S3 sends an error: see [Write].
func (e *Error) WriteResponse(w http.ResponseWriter) { Write(w, e.StatusCode, e) }

// Body is an error document that appends itself to a buffer with the
// request IDs of its response. [*Error] is one; a server can supply its
// own, such as a document prepared once with only the IDs left to fill
// in, and send it with [Write] without building an [Error].
type Body interface {
	AppendXML(b []byte, requestID, hostID string) []byte
}

// Write sends an error response as S3 does: status, Content-Type
// application/xml, the body chunked (Transfer-Encoding: chunked, no
// Content-Length), Connection: close after a 400, and then the document
// that body appends. The request IDs are those already set in w's
// [RequestIDHeader] and [HostIDHeader] headers, or under their canonical
// keys; when they are missing, fresh ones are made and set (see
// [RequestIDs]). The body is built in a buffer reused from one response to
// the next, so writing it allocates nothing of its own. Over HTTP/2, where
// Connection is not a header, Go's server takes Connection: close as a
// request to end the connection gracefully (GOAWAY once the streams in
// flight are done): a client of an HTTP/2 server sees its next request
// after a 400 go on a new connection, as it would with S3 over HTTP/1.1.
// status must be a valid HTTP status: it goes to
// [http.ResponseWriter.WriteHeader], which panics in net/http on one
// outside 100-999.
func Write(w http.ResponseWriter, status int, body Body) {
	requestID, hostID, _ := startError(w, status)
	buf := bodyBuffers.Get().(*[]byte)
	*buf = body.AppendXML((*buf)[:0], requestID, hostID)
	finishError(w, status, buf)
}

// startError sets the headers of an error response and returns its
// request IDs, and whether it made both (see requestIDs).
func startError(w http.ResponseWriter, status int) (requestID, hostID string, made bool) {
	h := w.Header()
	requestID, hostID, made = requestIDs(h)
	// requestIDs leaves both IDs in h, each under a key of its own: a
	// Content-Length set before can be there only beside other keys.
	if len(h) > 2 {
		delete(h, "Content-Length")
	}
	h["Content-Type"] = xmlContentType
	h["Transfer-Encoding"] = chunked
	if status == http.StatusBadRequest {
		h["Connection"] = connectionClose // S3 closes the connection after a 400
	}
	return requestID, hostID, made
}

// finishError sends the status and the body in buf, a buffer from
// bodyBuffers, and returns the buffer to it.
func finishError(w http.ResponseWriter, status int, buf *[]byte) {
	w.WriteHeader(status)
	w.Write(*buf)
	bodyBuffers.Put(buf)
}

// Shared header values; each has capacity 1, so appending copies.
var (
	xmlContentType  = []string{"application/xml"}
	connectionClose = []string{"close"}
	chunked         = []string{"chunked"}
)

// bodyBuffers recycles error bodies: a ResponseWriter must not keep the
// slice it is given, so the buffer is free again once Write returns.
var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// The names of the headers that carry a response's request IDs, spelled
// in lower case as S3 sends them. They are not in [http.CanonicalHeaderKey]
// form, so set and read them with these keys directly
// (h[RequestIDHeader] = ...): [http.Header.Get] and [http.Header.Set]
// canonicalize the name and would miss them, or send X-Amz-Request-Id.
// ([RequestIDs] and [Write] take an ID set so as set, and send it as it
// was set.)
const (
	RequestIDHeader = "x-amz-request-id"
	HostIDHeader    = "x-amz-id-2"
)

// The keys http.Header.Set files RequestIDHeader and HostIDHeader under.
const (
	canonicalRequestIDHeader = "X-Amz-Request-Id"
	canonicalHostIDHeader    = "X-Amz-Id-2"
)

// HeaderValue returns the first value of the header name in h, looked up
// under name exactly as given, or "" when there is none. It reads the
// headers S3 spells outside canonical form, such as [RequestIDHeader],
// which [http.Header.Get] would canonicalize and miss.
func HeaderValue(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// RequestIDs returns the [RequestIDHeader] and [HostIDHeader] values in h,
// making and setting fresh ones when h lacks them, so h must not be nil (a
// ResponseWriter's Header never is). An ID set under its canonical key
// (X-Amz-Request-Id, X-Amz-Id-2), as [http.Header.Set] files it, is taken
// as set: it is returned, and no second one is made beside it. Those it
// makes are shaped like S3's: a 16-character request ID and a base64 host
// ID of 56 bytes. They identify a response; they are not secrets, so a fast
// generator serves.
func RequestIDs(h http.Header) (requestID, hostID string) {
	requestID, hostID, _ = requestIDs(h)
	return requestID, hostID
}

// requestIDs is [RequestIDs], and reports whether it made both IDs: they
// are then known to hold nothing XML would escape.
func requestIDs(h http.Header) (requestID, hostID string, made bool) {
	requestID, hostID = HeaderValue(h, RequestIDHeader), HeaderValue(h, HostIDHeader)
	if requestID != "" && hostID != "" {
		return requestID, hostID, false
	}
	// An ID the server set with http.Header.Set is filed under the
	// canonical key: it is the response's ID all the same. Making another
	// would send two, the body naming the one the server did not log.
	if requestID == "" {
		requestID = HeaderValue(h, canonicalRequestIDHeader)
	}
	if hostID == "" {
		hostID = HeaderValue(h, canonicalHostIDHeader)
	}
	if requestID != "" && hostID != "" {
		return requestID, hostID, false
	}
	ids := newIDs()
	made = requestID == "" && hostID == ""
	if requestID == "" {
		requestID = ids.values[0]
		h[RequestIDHeader] = ids.values[0:1:1]
	}
	if hostID == "" {
		hostID = ids.values[1]
		h[HostIDHeader] = ids.values[1:2:2]
	}
	return requestID, hostID, made
}

// idValues holds both header values and their bytes in one allocation;
// buf is never written once the strings refer to it.
//
// What unsafe buys here, measured by BenchmarkNewIDs against the plain
// way (a string copied from the buffer, the array allocated on its own),
// both in one run, 6 times each: one allocation of two, and 12 ns of 96.
// That allocation is the only one of an error response that has to make
// its IDs, such as a refused preflight from bucket.Middleware in a
// server that sets none (TestRefusedPreflightAllocs holds it to one).
type idValues struct {
	values [2]string
	buf    idBytes
}

// idBytes holds a request ID (16 characters) and a host ID (76).
type idBytes [16 + 76]byte

const (
	requestIDAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	base64Alphabet    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// hostIDPrefix is the part of every host ID made here that stays the
// same: S3's host IDs are base64 of 56 bytes, and telling responses apart
// takes only their last 24 characters, made for each response (see
// fillIDs).
var hostIDPrefix = func() string {
	var raw [39]byte
	for i := range raw {
		raw[i] = byte(rand.Uint32())
	}
	return base64.StdEncoding.EncodeToString(raw[:])
}()

// hostIDPrefixLen is the length of hostIDPrefix: 39 bytes make 52
// characters of base64, without padding.
const hostIDPrefixLen = 52

// newIDs draws a fresh request ID and host ID, the x-amz-request-id and
// x-amz-id-2 values of one response, as strings sharing one array.
func newIDs() *idValues {
	ids := new(idValues)
	fillIDs(&ids.buf, rand.Uint64(), rand.Uint64())
	ids.values[0] = unsafe.String(&ids.buf[0], 16)
	ids.values[1] = unsafe.String(&ids.buf[16], 76)
	return ids
}

// fillIDs writes a request ID and a host ID into b from two words,
// which newIDs draws at random. The request ID's 16 characters of 5 bits
// take w1's low 60 bits and w2's low 20. The host ID's last 24
// characters (22 of 6 bits, one of 4, since the last two bits of 56
// bytes' base64 are zero, and the padding) take 60 bits of each word
// after mixing (see mix) and 16 of the bits of w2 the request ID left.
// The IDs tell responses apart and are not secrets: two random words
// serve (the request ID carries 80 of their bits, the host ID up to
// 124), and drawing two instead of four halves the cost of drawing.
// Each pair of characters is one load from a table and one two-byte
// store, without bounds checks.
func fillIDs(b *idBytes, w1, w2 uint64) {
	const tail = 16 + hostIDPrefixLen
	for i, w := 0, w1; i < 12; i, w = i+2, w>>10 { // 60 bits
		binary.LittleEndian.PutUint16(b[i:], requestIDPairs[w&1023])
	}
	binary.LittleEndian.PutUint16(b[12:], requestIDPairs[w2&1023])
	binary.LittleEndian.PutUint16(b[14:], requestIDPairs[w2>>10&1023])
	copy(b[16:tail], hostIDPrefix)
	for i, w := tail, mix(w1); i < tail+10; i, w = i+2, w>>12 { // 60 bits
		binary.LittleEndian.PutUint16(b[i:], base64Pairs[w&4095])
	}
	for i, w := tail+10, mix(w2); i < tail+20; i, w = i+2, w>>12 { // 60 bits
		binary.LittleEndian.PutUint16(b[i:], base64Pairs[w&4095])
	}
	w := w2 >> 20 // the 44 bits the request ID left
	binary.LittleEndian.PutUint16(b[tail+20:], base64Pairs[w&4095])
	binary.LittleEndian.PutUint16(b[tail+22:], lastBase64Pairs[w>>12&15])
}

// mix is SplitMix64's finalizer: a bijection of 64-bit words whose every
// output bit depends on every input bit.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Tables of two characters, stored as they are written, the first in the
// low byte: requestIDPairs and base64Pairs are indexed by two characters'
// bits, the first's the low ones; lastBase64Pairs by the last 4 bits of
// a 56-byte base64 text, and holds its last character and the padding.
var (
	requestIDPairs, base64Pairs = func() (r [32 * 32]uint16, b [64 * 64]uint16) {
		fillPairs(r[:], requestIDAlphabet)
		fillPairs(b[:], base64Alphabet)
		return r, b
	}()
	lastBase64Pairs = func() (t [16]uint16) {
		for i := range t {
			t[i] = uint16(base64Alphabet[i<<2]) | '='<<8
		}
		return t
	}()
)

// fillPairs fills t with every two characters of alphabet.
func fillPairs(t []uint16, alphabet string) {
	for i := range t {
		t[i] = uint16(alphabet[i%len(alphabet)]) | uint16(alphabet[i/len(alphabet)])<<8
	}
}
