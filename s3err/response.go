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
// HostId, in that order. Text is escaped as S3 escapes it (&, < and >);
// characters XML 1.0 cannot carry become U+FFFD, so no control character
// from a request is ever reflected. S3 puts a Resource element, when it
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
// Content-Length), Connection: close after a 400, and the document body
// appends. The request IDs are those already set in w's [RequestIDHeader]
// and [HostIDHeader] headers; when they are missing, fresh ones are made and
// set (see [RequestIDs]). The body is built in a buffer reused from one
// response to the next, so writing it allocates nothing of its own.
func Write(w http.ResponseWriter, status int, body Body) {
	h := w.Header()
	requestID, hostID := RequestIDs(h)
	h["Content-Type"] = xmlContentType
	h["Transfer-Encoding"] = chunked
	delete(h, "Content-Length")
	if status == http.StatusBadRequest {
		h["Connection"] = connectionClose // S3 closes the connection after a 400
	}
	buf := bodyBuffers.Get().(*[]byte)
	b := body.AppendXML((*buf)[:0], requestID, hostID)
	w.WriteHeader(status)
	w.Write(b)
	*buf = b
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
const (
	RequestIDHeader = "x-amz-request-id"
	HostIDHeader    = "x-amz-id-2"
)

// RequestIDs returns the [RequestIDHeader] and [HostIDHeader] values in h,
// making and setting fresh ones when h lacks them. They are shaped like
// S3's: a 16-character request ID and a base64 host ID of 56 bytes. They
// identify a response; they are not secrets, so a fast generator serves.
func RequestIDs(h http.Header) (requestID, hostID string) {
	if v := h[RequestIDHeader]; len(v) > 0 {
		requestID = v[0]
	}
	if v := h[HostIDHeader]; len(v) > 0 {
		hostID = v[0]
	}
	if requestID != "" && hostID != "" {
		return requestID, hostID
	}
	ids := newIDs()
	if requestID == "" {
		requestID = ids.values[0]
		h[RequestIDHeader] = ids.values[0:1:1]
	}
	if hostID == "" {
		hostID = ids.values[1]
		h[HostIDHeader] = ids.values[1:2:2]
	}
	return requestID, hostID
}

// idValues holds both header values and their bytes in one allocation;
// buf is never written once the strings refer to it.
//
// What unsafe buys here, measured by BenchmarkNewIDs against the plain
// way (a string copied from the buffer, the array allocated on its own),
// both in one run, 6 times each: one allocation of two, and 10 ns of 88.
// That allocation is the only one of an error response that has to make
// its IDs, such as a refused preflight from bucket.Middleware in a
// server that sets none (TestRefusedPreflightAllocs holds it to one).
type idValues struct {
	values [2]string
	buf    [16 + 76]byte
}

const requestIDAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// hostIDPrefix is the part of every host ID made here that stays the
// same: S3's host IDs are base64 of 56 bytes, and telling responses apart
// takes only the last 16 of them, drawn for each response.
var hostIDPrefix = func() string {
	var b [39]byte
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return base64.StdEncoding.EncodeToString(b[:]) // 52 characters, no padding
}()

func newIDs() *idValues {
	ids := new(idValues)
	var r uint64
	for i := range 16 {
		if i%12 == 0 {
			r = rand.Uint64() // 12 characters of 5 bits each per draw
		}
		ids.buf[i] = requestIDAlphabet[r&31]
		r >>= 5
	}
	var tail [17]byte // 16 fresh bytes and one more: 24 characters, the last "="
	binary.LittleEndian.PutUint64(tail[0:], rand.Uint64())
	binary.LittleEndian.PutUint64(tail[8:], rand.Uint64())
	copy(ids.buf[16:], hostIDPrefix)
	base64.StdEncoding.Encode(ids.buf[16+len(hostIDPrefix):], tail[:])
	ids.values[0] = unsafe.String(&ids.buf[0], 16)
	ids.values[1] = unsafe.String(&ids.buf[16], 76)
	return ids
}
