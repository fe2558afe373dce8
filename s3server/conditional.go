package s3server

import (
	"net/http"
	"strings"

	"github.com/s3cors/s3cors/s3err"
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
// character"), and only one of If-Match and If-None-Match: another
// value, or both headers, are refused with 501 NotImplemented naming the
// headers, with an additionalMessage, as localstack answers its
// PutObject, CopyObject and CompleteMultipartUpload, whose tests are
// checked against S3 (and as other suites checked against S3 expect of
// a PutObject with both). UNVERIFIED: the details, as localstack gives
// them.
func writeConditions(h http.Header) (writeCondition, error) {
	var c writeCondition
	c.ifMatch = strings.TrimSpace(strings.Join(h["If-Match"], ","))
	if v, ok := h["If-None-Match"]; ok {
		switch {
		case c.ifMatch != "":
			return c, errConditionNotImplemented("If-Match,If-None-Match", "Multiple conditional request headers present in the request")
		case strings.TrimSpace(strings.Join(v, ",")) != "*":
			return c, errConditionNotImplemented("If-None-Match", "We don't accept the provided value of If-None-Match header for this API")
		}
		c.ifNoneMatch = true
	}
	return c, nil
}

// errConditionNotImplemented is S3's refusal of the conditional headers
// of a write it does not take.
func errConditionNotImplemented(header, message string) error {
	e := s3err.NotImplemented()
	e.Details = append(e.Details, s3err.Detail{Name: "Header", Value: header}, s3err.Detail{Name: "additionalMessage", Value: message})
	return e
}

// check judges c against the object key holds in b now: If-Match fails
// with 404 NoSuchKey when there is none, as S3 answers, and with 412
// PreconditionFailed when its ETag is not listed; If-None-Match: * fails
// with 412 when there is one. b.mu must be held.
func (c *writeCondition) check(b *bucketState, key string) error {
	if c.ifMatch == "" && !c.ifNoneMatch {
		return nil
	}
	o := b.objects[key]
	if c.ifMatch != "" {
		if o == nil {
			return errNoSuchKey(key)
		}
		if !strongMatch(c.ifMatch, o.ETag) {
			return errPreconditionFailed("If-Match")
		}
	}
	if c.ifNoneMatch && o != nil {
		return errPreconditionFailed("If-None-Match")
	}
	return nil
}
