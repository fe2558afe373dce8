package s3server

import (
	"context"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server/internal/storage"
)

// Limits on what a request may make the server read.
const (
	// MaxObjectSize is the largest object PutObject takes. S3 takes 5 GiB
	// in one PUT; a test endpoint has no use for that much.
	MaxObjectSize = 64 << 20
	// maxMetadataSize is S3's limit on the user metadata of an object:
	// the names (without the prefix) and values of its x-amz-meta-*
	// headers, in bytes.
	maxMetadataSize = 2 << 10
	// maxDeleteBody caps a DeleteObjects body: 1000 keys of 1024 bytes,
	// escaped, fit with room to spare.
	maxDeleteBody = 2 << 20
	// maxDeleteKeys is S3's limit on the keys of one DeleteObjects.
	maxDeleteKeys = 1000
)

// defaultContentType is what S3 stores for an object uploaded without a
// Content-Type.
const defaultContentType = "binary/octet-stream"

// storedHeaders are the standard headers S3 keeps with an object and
// sends back with it.
var storedHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

// objectHeaders returns the metadata a PutObject request sets, before
// its body is read.
func objectHeaders(key string, h http.Header) (*storage.ObjectMeta, error) {
	m := &storage.ObjectMeta{Key: key, ContentType: h.Get("Content-Type")}
	if m.ContentType == "" {
		m.ContentType = defaultContentType
	}
	for _, name := range storedHeaders {
		v := h.Get(name)
		if name == "Content-Encoding" {
			v = withoutAWSChunked(v)
		}
		if v != "" {
			if m.Headers == nil {
				m.Headers = make(map[string]string)
			}
			m.Headers[name] = v
		}
	}
	size := 0
	for name, values := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-amz-meta-") {
			continue
		}
		if m.Metadata == nil {
			m.Metadata = make(map[string]string)
		}
		v := strings.Join(values, ",")
		m.Metadata[lower] = v
		size += len(lower) - len("x-amz-meta-") + len(v)
	}
	if size > maxMetadataSize {
		return nil, s3err.New(http.StatusBadRequest, "MetadataTooLarge", msgMetadataTooLarge,
			"Size", strconv.Itoa(size), "MaxSizeAllowed", strconv.Itoa(maxMetadataSize))
	}
	return m, nil
}

// withoutAWSChunked returns a Content-Encoding without aws-chunked, which
// describes how the body travelled, not the object: S3 stores the other
// codings as they were written ("gzip, aws-chunked, br" keeps "gzip, br").
func withoutAWSChunked(v string) string {
	if !strings.Contains(strings.ToLower(v), "aws-chunked") {
		return v
	}
	var kept []string
	for token := range strings.SplitSeq(v, ",") {
		if !strings.EqualFold(strings.TrimSpace(token), "aws-chunked") {
			kept = append(kept, token)
		}
	}
	return strings.TrimSpace(strings.Join(kept, ","))
}

func (s *Server) putObject(q *request) error {
	up, err := uploadBody(q.r, MaxObjectSize)
	if err != nil {
		return err
	}
	if err := checkPutHeaders(q.r); err != nil {
		return err
	}
	meta, err := objectHeaders(q.key, q.r.Header)
	if err != nil {
		return err
	}
	if err := s.storeObject(q, up.body, &up.claims, meta, nil); err != nil {
		return err
	}
	q.w.Header().Set("ETag", meta.ETag)
	if name, value, ok := up.checksumHeader(); ok {
		q.w.Header().Set(name, value)
	}
	writeEmpty(q.w, http.StatusOK)
	return nil
}

// upload is the body of a request that uploads an object or a part, and
// what the request claims about it.
type upload struct {
	// body gives the bytes to store: an aws-chunked body decoded. Its
	// Read that would return io.EOF fails instead when the body breaks
	// what its encoding or signature promised, so that what is stored
	// only once the body was read to its end is never a bad body.
	body io.Reader
	// size is the length the request declares: Content-Length, or
	// x-amz-decoded-content-length for an aws-chunked body.
	size int64
	// claims are the integrity headers, checked by the caller against
	// what it read (checksum.Claims.Verify).
	claims checksum.Claims
	// chunked is the decoder of an aws-chunked body, nil for another.
	chunked *sigv.ChunkedReader
}

// uploadBody returns the body of an upload (PutObject, UploadPart) and
// what its request claims about it, refusing before it reads any byte a
// body without a declared length (MissingContentLength) or longer than
// max (EntityTooLarge), and malformed integrity headers. authenticate
// has made r.Body ready: decoded when aws-chunked, checked against the
// signed SHA-256 when there is one.
func uploadBody(r *http.Request, max int64) (*upload, error) {
	up := &upload{body: r.Body, size: r.ContentLength}
	if c, ok := r.Body.(*sigv.ChunkedReader); ok {
		// The length on the wire, when there is one, counts the framing.
		up.chunked, up.size = c, c.DecodedLength()
	}
	switch {
	case up.size < 0:
		return nil, s3err.New(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
	case up.size > max:
		return nil, errEntityTooLarge(up.size, max)
	}
	if up.body == nil {
		up.body = http.NoBody
	}
	var err error
	up.claims, err = checksum.Parse(r.Header)
	return up, err
}

// checksumHeader returns the checksum S3 echoes in its answer to an
// upload: the one the request's headers claim or, once the body was read
// to its end, the one its trailer carried.
func (u *upload) checksumHeader() (name, value string, ok bool) {
	if name, value, ok := u.claims.Header(); ok {
		return name, value, true
	}
	if u.chunked != nil {
		return u.chunked.Checksum()
	}
	return "", "", false
}

// checkPutHeaders refuses, before any of its body is read, a PutObject
// this server cannot store.
func checkPutHeaders(r *http.Request) error {
	if _, ok := r.Header["X-Amz-Acl"]; ok {
		// Taken and checked, but objects keep no ACL of their own.
		if _, err := cannedACL(r.Header); err != nil {
			return err
		}
	}
	return nil
}

// receive writes body into staged, at most MaxObjectSize bytes, checks it
// against the request's integrity headers, and seals it with meta
// completed.
func (s *Server) receive(ctx context.Context, body io.Reader, staged storage.Staged, in *checksum.Claims, meta *storage.ObjectMeta) error {
	d := in.Digester()
	// A failure to store the data (a full disk) is the server's, answered
	// InternalError; only a failure to read the body is the client's.
	sw := &storeWriter{w: staged}
	n, err := io.Copy(io.MultiWriter(sw, d), io.LimitReader(body, MaxObjectSize+1))
	switch {
	case sw.err != nil:
		return sw.err
	case n > MaxObjectSize:
		return errEntityTooLarge(n, MaxObjectSize)
	case err != nil:
		return bodyError(err)
	}
	if err := in.Verify(d); err != nil {
		return err
	}
	meta.Size = n
	meta.ETag = `"` + hex.EncodeToString(d.MD5.Sum(nil)) + `"`
	meta.LastModified = s.now()
	return staged.Seal(ctx, meta)
}

// storeObject stores body as the object meta describes: staged, read
// whole and checked against claims, then, when ready (if not nil) accepts
// it, committed. Nothing is stored unless all of it succeeds.
func (s *Server) storeObject(q *request, body io.Reader, claims *checksum.Claims, meta *storage.ObjectMeta, ready func() error) error {
	ctx := q.r.Context()
	staged, err := s.store.Stage(ctx, q.bucket)
	if err != nil {
		return err
	}
	defer staged.Discard()
	if err := s.receive(ctx, body, staged, claims, meta); err != nil {
		return err
	}
	if ready != nil {
		if err := ready(); err != nil {
			return err
		}
	}
	return s.commitObject(ctx, q.b, staged, meta)
}

// storeWriter remembers the error of the writer it wraps.
type storeWriter struct {
	w   io.Writer
	err error
}

func (s *storeWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// commitObject makes a staged object visible, in the storage and the
// index together.
func (s *Server) commitObject(ctx context.Context, b *bucketState, staged storage.Staged, meta *storage.ObjectMeta) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[b.name] != b {
		return s3err.NoSuchBucket(b.name) // deleted while the body was read
	}
	err := staged.Commit(ctx)
	if storage.Changed(err) {
		b.objects[meta.Key] = meta
	}
	return err
}

// checkVersionID refuses a versionId other than "null", the only version
// an object of an unversioned bucket has.
func checkVersionID(q *request) error {
	if v, ok := q.query["versionId"]; ok && (len(v) != 1 || v[0] != "null") {
		return s3err.InvalidArgument(msgInvalidVersionID, "versionId", strings.Join(v, ","))
	}
	return nil
}

// openObject returns an object's metadata and data, read together under
// the lock so that they belong to the same version.
func (s *Server) openObject(q *request) (*storage.ObjectMeta, storage.Data, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := q.b.objects[q.key]
	if m == nil {
		return nil, nil, errNoSuchKey(q.key)
	}
	data, err := s.store.Open(q.r.Context(), q.bucket, q.key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, errNoSuchKey(q.key)
	}
	return m, data, err
}

// responseOverrides are the query parameters that replace a header of a
// GetObject response.
var responseOverrides = [][2]string{
	{"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"},
	{"response-content-encoding", "Content-Encoding"},
	{"response-content-language", "Content-Language"},
	{"response-content-type", "Content-Type"},
	{"response-expires", "Expires"},
}

// getObject answers GetObject and HeadObject. No checksum header is sent:
// SDKs validate any they get, and S3 sends them only when asked.
func (s *Server) getObject(q *request) error {
	if err := checkVersionID(q); err != nil {
		return err
	}
	for _, o := range responseOverrides {
		if q.query.Has(o[0]) && !q.signed {
			return s3err.InvalidRequest("Request specific response headers cannot be used for anonymous GET requests.")
		}
	}
	m, data, err := s.openObject(q)
	if err != nil {
		return err
	}
	defer data.Close()
	h := q.w.Header()
	h.Set("Last-Modified", m.LastModified.UTC().Format(http.TimeFormat))
	h.Set("ETag", m.ETag)
	if status, cond := preconditions(q.r.Header, m); status != 0 {
		if status == http.StatusPreconditionFailed {
			return s3err.New(status, "PreconditionFailed", msgPreconditionFailed, "Condition", cond)
		}
		q.w.WriteHeader(status)
		return nil
	}
	setObjectHeaders(h, m, q)
	start, length, partial, err := byteRange(q.r.Header.Get("Range"), m.Size)
	if err != nil {
		return err
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	status := http.StatusOK
	if partial {
		status = http.StatusPartialContent
		h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+length-1, 10)+"/"+strconv.FormatInt(m.Size, 10))
	}
	q.w.WriteHeader(status)
	if q.r.Method != http.MethodHead {
		io.Copy(q.w, io.NewSectionReader(data, start, length))
	}
	return nil
}

func setObjectHeaders(h http.Header, m *storage.ObjectMeta, q *request) {
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", m.ContentType)
	for name, v := range m.Headers {
		h.Set(name, v)
	}
	for name, v := range m.Metadata {
		h[name] = []string{v} // lower-case, as S3 sends them
	}
	for _, o := range responseOverrides {
		if v, ok := q.query[o[0]]; ok {
			h.Set(o[1], strings.Join(v, ","))
		}
	}
}

// preconditions evaluates the conditional headers of a GET or HEAD as RFC
// 9110 §13.2.2 orders them, which is S3's order too. It returns 0, 304 or
// 412 and, for 412, the header that failed.
func preconditions(h http.Header, m *storage.ObjectMeta) (int, string) {
	modified := func(name string) (after, ok bool) {
		t, err := http.ParseTime(h.Get(name))
		if err != nil {
			return false, false
		}
		return m.LastModified.Truncate(time.Second).After(t), true
	}
	if v := h.Get("If-Match"); v != "" {
		if !etagMatch(v, m.ETag) {
			return http.StatusPreconditionFailed, "If-Match"
		}
	} else if after, ok := modified("If-Unmodified-Since"); ok && after {
		return http.StatusPreconditionFailed, "If-Unmodified-Since"
	}
	if v := h.Get("If-None-Match"); v != "" {
		if etagMatch(v, m.ETag) {
			return http.StatusNotModified, ""
		}
	} else if after, ok := modified("If-Modified-Since"); ok && !after {
		return http.StatusNotModified, ""
	}
	return 0, ""
}

// etagMatch reports whether a list of entity tags names etag.
func etagMatch(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || strings.Trim(t, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// byteRange parses a Range header against an object of size bytes. Like
// S3 it serves the whole object for a header it cannot parse or that
// asks for several ranges, and answers 416 InvalidRange for a range that
// starts past the end.
func byteRange(spec string, size int64) (start, length int64, partial bool, err error) {
	r, ok := strings.CutPrefix(spec, "bytes=")
	if !ok || strings.Contains(r, ",") {
		return 0, size, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(r), "-")
	if !ok {
		return 0, size, false, nil
	}
	unsatisfiable := s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", msgInvalidRange,
		"RangeRequested", spec, "ActualObjectSize", strconv.FormatInt(size, 10))
	if first == "" { // the last n bytes
		n, perr := strconv.ParseInt(last, 10, 64)
		switch {
		case perr != nil || n < 0:
			return 0, size, false, nil
		case n == 0 || size == 0:
			return 0, 0, false, unsatisfiable
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	start, perr := strconv.ParseInt(first, 10, 64)
	if perr != nil || start < 0 {
		return 0, size, false, nil
	}
	end := size - 1
	if last != "" {
		e, perr := strconv.ParseInt(last, 10, 64)
		if perr != nil || e < start {
			return 0, size, false, nil
		}
		end = min(e, size-1)
	}
	if start >= size {
		return 0, 0, false, unsatisfiable
	}
	return start, end - start + 1, true, nil
}

// deleteObject answers DeleteObject: 204 whether or not the key existed.
func (s *Server) deleteObject(q *request) error {
	if err := checkVersionID(q); err != nil {
		return err
	}
	if err := s.removeObjects(q.r.Context(), q.b, []string{q.key}); err != nil {
		return err
	}
	writeEmpty(q.w, http.StatusNoContent)
	return nil
}

func (s *Server) removeObjects(ctx context.Context, b *bucketState, keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[b.name] != b {
		return s3err.NoSuchBucket(b.name)
	}
	for _, key := range keys {
		if _, ok := b.objects[key]; !ok {
			continue
		}
		err := s.store.DeleteObject(ctx, b.name, key)
		if storage.Changed(err) {
			delete(b.objects, key)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// deleteRequest is the body of DeleteObjects.
type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key       *string `xml:"Key"`
		VersionID string  `xml:"VersionId"`
	} `xml:"Object"`
}

// deleteObjects answers DeleteObjects. Like PutBucketCors it needs an
// integrity header. Each key is answered in the order sent; with Quiet
// only the failures are.
func (s *Server) deleteObjects(q *request) error {
	in, err := checksum.Require(q.r.Header)
	if err != nil {
		return err
	}
	body, err := readBody(q.r, maxDeleteBody)
	if err != nil {
		return err
	}
	if err := in.Check(body); err != nil {
		return err
	}
	var req deleteRequest
	if err := xml.Unmarshal(body, &req); err != nil || len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
		return s3err.MalformedXML("Delete: not well-formed, or not between 1 and 1000 objects")
	}
	b := startXML("DeleteResult")
	var keys []string
	for _, o := range req.Objects {
		if o.Key == nil {
			return s3err.MalformedXML("Delete: an Object without a Key")
		}
		key := *o.Key
		failure := checkKey(key)
		if failure == nil && o.VersionID != "" && o.VersionID != "null" {
			// UNVERIFIED: S3's answer for a version an unversioned bucket
			// does not have was not captured.
			failure = s3err.New(http.StatusNotFound, "NoSuchVersion", msgNoSuchVersion)
		}
		if failure != nil {
			b = appendDeleteError(b, key, o.VersionID, failure)
			continue
		}
		keys = append(keys, key)
		if !req.Quiet {
			b = append(b, "<Deleted>"...)
			b = xmlw.AppendElement(b, "Key", key)
			if o.VersionID != "" {
				b = xmlw.AppendElement(b, "VersionId", o.VersionID)
			}
			b = append(b, "</Deleted>"...)
		}
	}
	if err := s.removeObjects(q.r.Context(), q.b, slices.Compact(slices.Sorted(slices.Values(keys)))); err != nil {
		return err
	}
	writeXML(q.w, endXML(b, "DeleteResult"))
	return nil
}

func appendDeleteError(b []byte, key, versionID string, e *s3err.Error) []byte {
	b = append(b, "<Error>"...)
	b = xmlw.AppendElement(b, "Key", key)
	if versionID != "" {
		b = xmlw.AppendElement(b, "VersionId", versionID)
	}
	b = xmlw.AppendElement(b, "Code", e.Code)
	b = xmlw.AppendElement(b, "Message", e.Message)
	return append(b, "</Error>"...)
}

// getObjectACL answers GetObjectAcl. Objects carry no ACL of their own
// here: every object is private to the owner.
func (s *Server) getObjectACL(q *request) error {
	if err := checkVersionID(q); err != nil {
		return err
	}
	s.mu.RLock()
	_, ok := q.b.objects[q.key]
	s.mu.RUnlock()
	if !ok {
		return errNoSuchKey(q.key)
	}
	b := appendACL(startXML("AccessControlPolicy"), aclPrivate)
	writeXML(q.w, endXML(b, "AccessControlPolicy"))
	return nil
}
