package s3server

import (
	"net/http"
	"strings"
)

// writeCondition is what the If-Match and If-None-Match headers of a
// write ask of the object it replaces: S3's conditional writes, which
// PutObject, CopyObject and CompleteMultipartUpload take. It is judged
// as the write is made, under the key's lock, so that of two writes
// racing for a free key with If-None-Match: *, one is made and the other
// fails.
type writeCondition struct {
	ifMatch     string // a list of entity tags; "" for none
	ifNoneMatch bool   // If-None-Match: *
}

// writeConditions reads the conditions of a write from h. S3 takes only
// "*" in If-None-Match on a write ("Expects the '*' (asterisk)
// character"). UNVERIFIED: another value is refused with 501
// NotImplemented naming the header, as S3 refused every If-None-Match on
// a write before it took "*", rather than judged as a GET judges it.
func writeConditions(h http.Header) (writeCondition, error) {
	var c writeCondition
	if v, ok := h["If-None-Match"]; ok {
		if strings.TrimSpace(strings.Join(v, ",")) != "*" {
			return c, errNotImplementedHeader("if-none-match")
		}
		c.ifNoneMatch = true
	}
	c.ifMatch = strings.TrimSpace(strings.Join(h["If-Match"], ","))
	return c, nil
}

// check judges c against the object key holds in b now: If-Match fails
// with 404 NoSuchKey when there is none, as S3 answers, and with 412
// PreconditionFailed when its ETag is not listed; If-None-Match: * fails
// with 412 when there is one. UNVERIFIED: with both, If-Match is judged
// first, as RFC 9110 orders them. b.mu must be held.
func (c *writeCondition) check(b *bucketState, key string) error {
	if c.ifMatch == "" && !c.ifNoneMatch {
		return nil
	}
	o := b.objects[key]
	if c.ifMatch != "" {
		if o == nil {
			return errNoSuchKey(key)
		}
		if !etagMatch(c.ifMatch, o.ETag) {
			return errPreconditionFailed("If-Match")
		}
	}
	if c.ifNoneMatch && o != nil {
		return errPreconditionFailed("If-None-Match")
	}
	return nil
}
