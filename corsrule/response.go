package corsrule

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"sync"
	"unsafe"
)

// WriteResponse sends e as S3 sends an error: the status, Content-Type
// application/xml and the XML body of [Error.AppendXML]. The request IDs
// are those already set in w's x-amz-request-id and x-amz-id-2 headers;
// when they are missing, fresh ones are made and set (see [RequestIDs]).
// Give resource as "" to leave the Resource element out, as S3 does for
// most errors. Like S3, it sends the body chunked, without a
// Content-Length.
func (e *Error) WriteResponse(w http.ResponseWriter, resource string) {
	h := w.Header()
	requestID, hostID := RequestIDs(h)
	h["Content-Type"] = xmlContentType
	h["Transfer-Encoding"] = chunked
	delete(h, "Content-Length")
	if e.StatusCode == http.StatusBadRequest {
		h["Connection"] = connectionClose // S3 closes the connection after a 400
	}
	buf := bodyBuffers.Get().(*[]byte)
	body := e.AppendXML((*buf)[:0], resource, requestID, hostID)
	w.WriteHeader(e.StatusCode)
	w.Write(body)
	*buf = body
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

// RequestIDs returns the x-amz-request-id and x-amz-id-2 values in h,
// making and setting fresh ones when h lacks them. They are shaped like
// S3's: a 16-character request ID and a base64 host ID of 56 bytes. They
// identify a response; they are not secrets, so a fast generator serves.
func RequestIDs(h http.Header) (requestID, hostID string) {
	requestID, hostID = first(h["X-Amz-Request-Id"]), first(h["X-Amz-Id-2"])
	if requestID != "" && hostID != "" {
		return requestID, hostID
	}
	ids := newIDs()
	if requestID == "" {
		requestID = ids.values[0]
		h["X-Amz-Request-Id"] = ids.values[0:1:1]
	}
	if hostID == "" {
		hostID = ids.values[1]
		h["X-Amz-Id-2"] = ids.values[1:2:2]
	}
	return requestID, hostID
}

// idValues holds both header values and their bytes in one allocation;
// buf is never written once the strings refer to it.
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

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
