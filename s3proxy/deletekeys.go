package s3proxy

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/xmlshape"
	"github.com/s3cors/s3cors/s3err"
)

// maxDeleteBody bounds the DeleteObjects body the proxy reads to check
// its keys, as s3cors serve bounds it: S3's 1,000 keys of 1,024 bytes,
// each byte escaped in at most 6 ("&quot;"), fit with room to spare.
// Past it the request gets MaxMessageLengthExceeded.
//
// It is not lowered toward the keys' 6,144,000 bytes: XML does not bound
// the spelling of a document (character references with leading zeros,
// whitespace and comments anywhere; per object a VersionId, ETag,
// LastModifiedTime and Size besides the key), so no bound is sure to
// take every body S3 takes, and a lower one would refuse bodies serve
// takes to save an eighth of the largest. Memory is bounded by
// deleteBudget, not by this.
//
// UNVERIFIED: S3's own bound on a DeleteObjects body, and its answer
// past it, were not captured; MaxMessageLengthExceeded is its general
// answer to a body over a size limit.
const maxDeleteBody = 8 << 20

const msgStreamedDelete = "The s3cors proxy reads the keys of a DeleteObjects before passing it on, and does not take its body in aws-chunked encoding; send it with a Content-Length, as the AWS SDKs do."

// errStreamedDelete is the answer to a DeleteObjects whose body is in
// aws-chunked encoding, which the proxy would have to decode to read
// the keys.
func errStreamedDelete() *s3err.Error {
	return s3err.New(http.StatusNotImplemented, "NotImplemented", msgStreamedDelete)
}

// namesKeys reports whether r may be a DeleteObjects, whose body names
// keys a store may resolve: a POST whose query has a delete parameter,
// in any case and with any value, at any path. Stores route on less than
// S3 does (versitygw takes any POST to a bucket with ?delete for one),
// so the proxy does not go by its own reading of the operation.
func namesKeys(r *http.Request, query url.Values) bool {
	if r.Method != http.MethodPost {
		return false
	}
	for name := range query {
		if strings.EqualFold(name, "delete") {
			return true
		}
	}
	return false
}

// deleteBudget bounds the bytes of the DeleteObjects bodies one Proxy
// holds at once to read their keys, which it does before any
// authentication: eight bodies of maxDeleteBody, or hundreds of the
// tens of KiB an SDK sends for 1,000 short keys. Past it a DeleteObjects
// gets S3's 503 SlowDown, before its body is read, so that clients
// announcing large bodies cannot make the proxy hold memory without
// bound.
const deleteBudget = 64 << 20

// checkDeleteKeys reads the body of r, a DeleteObjects (namesKeys), and
// returns the error to answer when a key in it could reach the config
// bucket at the upstream (reachesConfigBucket), the body cannot be read
// as XML, or the body cannot be read at all. Otherwise it leaves r.Body
// as the bytes read, to go to the upstream unchanged, so that the
// signature, Content-MD5 and x-amz-checksum-* headers that cover them
// verify there.
//
// The body must come whole within ClientTimeout, however short its
// pauses, else the request gets S3's RequestTimeout: a client sending a
// byte at a time would otherwise hold its share of the budget as long as
// it liked. The release returned, never nil, gives the share back; the
// caller calls it once the request is over, as the upstream may read the
// bytes until then.
func (p *Proxy) checkDeleteKeys(r *http.Request, info *requestInfo) (release func(), err error) {
	if streamed(r.Header) {
		return func() {}, errStreamedDelete()
	}
	info.body.until = time.Now().Add(p.opts.ClientTimeout)
	body, release, err := checksum.ReadBodyWithin(r, maxDeleteBody, p.deleteBodies)
	info.body.until = time.Time{}
	// The transport reads the bytes read, not the client: the bound on
	// the upstream's pauses in taking the client's body does not hold.
	info.body.answered()
	if err != nil {
		return release, err
	}
	// The connection's read deadline is the whole body's: push it as a
	// read would, lest net/http's read for the client's close, once the
	// body is done, pass it while the upstream works and end the request.
	info.body.rc.SetReadDeadline(time.Now().Add(p.opts.ClientTimeout))
	info.bodyRead = true
	r.Body = io.NopCloser(bytes.NewReader(body))
	reach, err := keysReach(body, info.addr.Bucket, p.opts.ConfigBucket)
	switch {
	case err != nil:
		return release, s3err.MalformedXML("Delete: " + err.Error())
	case reach:
		info.op = opConfigBucket
		return release, s3err.AccessDenied()
	}
	return release, nil
}

// streamed reports whether h announces an aws-chunked body: by its
// Content-Encoding, or a streaming x-amz-content-sha256, by which a
// store may decode it alone.
func streamed(h http.Header) bool {
	if sigv.HasAWSChunked(h) {
		return true
	}
	for _, v := range h["X-Amz-Content-Sha256"] {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(v)), "STREAMING-") {
			return true
		}
	}
	return false
}

// errKeyElement is the error of a Key element with an element in it,
// which no schema allows and which stores read differently (Go's
// encoding/xml skips the inner element's text, others keep it).
var errKeyElement = errors.New("an element inside a Key")

// keysReach reports whether a Key element of doc, in any case, with any
// namespace and at any depth, names a key that, joined under bucket,
// lands in the config bucket cb as firstSegment cleans a path: as a
// store that resolves ".." in keys (versitygw's posix backend) reads
// it. The text of a key is what an XML parser gives (references
// resolved, CDATA, comments dropped), taken also percent-decoded, as
// the proxy takes a copy source. It returns an error for a document Go's
// encoding/xml cannot read, which stores written in Go (versitygw, MinIO)
// refuse too: the proxy must not pass on keys it did not read.
func keysReach(doc []byte, bucket, cb string) (bool, error) {
	if err := xmlshape.Check(doc); err != nil {
		// Before a decoder that would hold every element it nests in
		// and every attribute of one: no Delete nests or carries so
		// many, and the bodies are read before any signature is.
		return false, err
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	var key []byte
	inKey := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if inKey {
				return false, errKeyElement
			}
			if strings.EqualFold(t.Name.Local, "Key") {
				inKey, key = true, key[:0]
			}
		case xml.CharData:
			if inKey {
				key = append(key, t...)
			}
		case xml.EndElement:
			if inKey {
				inKey = false
				if keyReaches(bucket, string(key), cb) {
					return true, nil
				}
			}
		}
	}
}

// keyReaches reports whether key, joined under bucket, lands in the
// config bucket cb, as sent or percent-decoded.
func keyReaches(bucket, key, cb string) bool {
	if strings.EqualFold(firstSegment(bucket+"/"+key), cb) {
		return true
	}
	u, err := url.PathUnescape(key)
	return err == nil && u != key && strings.EqualFold(firstSegment(bucket+"/"+u), cb)
}
