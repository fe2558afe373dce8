package s3proxy

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
)

// configKey is the key, in the config bucket, of the configuration of
// bucket: a prefix per bucket leaves room beside it.
func configKey(bucket string) string { return bucket + "/cors.xml" }

// store keeps the CORS configurations in the upstream itself, each as
// the object configKey(bucket) of the config bucket, holding the
// PutBucketCors body as received. Every request it makes is signed with
// the upstream keys, or anonymous without them, and bounded in time.
type store struct {
	base   *url.URL     // the upstream: scheme and host
	bucket string       // the config bucket
	region string       // where to create it
	client *http.Client // on the proxy's transport
	// signer signs the store's own requests; nil: anonymous. It
	// changes with [Proxy.SetCredentials].
	signer  atomic.Pointer[sigv.Signer]
	timeout time.Duration
	obs     Observer
	now     func() time.Time

	// bucketMade is set once the config bucket is known to exist.
	bucketMade atomic.Bool
}

// errUpstream is the error of a request to the store that got no usable
// answer: the upstream is unreachable, failing or answering garbage.
type errUpstream struct {
	op     string
	status int // 0 when there was no answer
	code   string
	err    error
}

// Error says what the store's answer was, and for a 404 with no S3
// error code that the upstream is likely not an S3 endpoint at all.
func (e *errUpstream) Error() string {
	switch {
	case e.err != nil:
		return fmt.Sprintf("s3proxy: %s: %v", e.op, e.err)
	case e.code != "":
		return fmt.Sprintf("s3proxy: %s: the upstream answered %d %s", e.op, e.status, e.code)
	case e.status == http.StatusNotFound:
		// What a server that is not an S3 store answers, such as the
		// one on the wrong port: say so, as "404" alone reads as a
		// missing key.
		return fmt.Sprintf("s3proxy: %s: the upstream answered 404 with no S3 error: is the upstream an S3 endpoint?", e.op)
	}
	return fmt.Sprintf("s3proxy: %s: the upstream answered %d", e.op, e.status)
}

func (e *errUpstream) Unwrap() error { return e.err }

// errBucketName is the error of a request about a bucket whose name the
// upstream refuses: it answers 400 to a HeadBucket of it, as versitygw
// does for names S3 would not create (My_Bucket, ab), or the name is a
// dot segment that a path loses. It is the client's mistake, not the
// store's trouble, so it must never turn into a 503 the SDKs retry.
type errBucketName struct {
	bucket string
}

func (e *errBucketName) Error() string {
	return fmt.Sprintf("s3proxy: the upstream refuses the bucket name %q", e.bucket)
}

// dotSegment reports whether name is "." or "..": in a path the upstream
// cleans it away, so that "/"+name or a config key made of it would
// address something else (/s3cors-config/../cors.xml is /cors.xml). No
// store has a bucket of that name.
func dotSegment(name string) bool { return name == "." || name == ".." }

// answer is what the upstream said to one of the store's requests.
type answer struct {
	status int
	header http.Header
	body   []byte
	code   string // the Code of an S3 error document, "" if none
}

// maxAnswerBody bounds what the store reads of an answer: a stored
// configuration is at most corsrule.MaxDocumentSize, error documents are
// small.
const maxAnswerBody = corsrule.MaxDocumentSize + 1

// send makes one request to the upstream: method on path (escaped) and
// query, with header and body, signed, within the store's timeout. It
// returns the answer whatever its status, or an *errUpstream when there
// was none.
func (s *store) send(ctx context.Context, op, method, path string, header http.Header, body []byte) (*answer, error) {
	return s.sendAs(ctx, s.signer.Load(), op, method, path, "", header, body)
}

// sendAs is send signed with signer (nil: anonymous), with the raw query
// query.
func (s *store) sendAs(ctx context.Context, signer *sigv.Signer, op, method, path, query string, header http.Header, body []byte) (*answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	u := *s.base
	u.Path, u.RawPath, u.RawQuery = path, "", query
	r, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, &errUpstream{op: op, err: err}
	}
	if body == nil {
		r.Body, r.ContentLength = nil, 0
	}
	for k, v := range header {
		r.Header[k] = v
	}
	if signer != nil {
		signer.Sign(r, sigv.PayloadHash(body), s.now())
	}
	start := time.Now()
	resp, err := s.client.Do(r)
	if err != nil {
		s.obs.Upstream(op, 0, time.Since(start))
		return nil, &errUpstream{op: op, err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBody))
	s.obs.Upstream(op, resp.StatusCode, time.Since(start))
	if err != nil {
		return nil, &errUpstream{op: op, status: resp.StatusCode, err: err}
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode >= 300 {
		a.code = errorCode(b)
	}
	return a, nil
}

// errorCode returns the Code of an S3 error document, "" when b is not
// one.
func errorCode(b []byte) string {
	var doc struct {
		XMLName xml.Name `xml:"Error"`
		Code    string
	}
	if xml.Unmarshal(b, &doc) != nil {
		return ""
	}
	return doc.Code
}

// missing reports whether a is an S3 store's 404 telling that the key or
// bucket asked about does not exist: an error document whose Code is
// NoSuchKey or NoSuchBucket, as S3, versitygw, gofakes3 and s3cors serve
// send. Any other 404 (a web server's page, a load balancer's, one
// without a body, another code) is no S3 store's answer about the config
// bucket, but whatever answers on the upstream's port, such as another
// service: taken for "none", it would make the proxy ready and every
// bucket appear to have no configuration, refusing preflights instead of
// telling the operator.
func (a *answer) missing() bool {
	return a.status == http.StatusNotFound && (a.code == "NoSuchKey" || a.code == "NoSuchBucket")
}

// fail is the error of an answer the store cannot use.
func (a *answer) fail(op string) error {
	return &errUpstream{op: op, status: a.status, code: a.code}
}

// fetched is what the store holds for a bucket.
type fetched struct {
	kind fetchKind
	doc  []byte // the configuration, for kind hasConfig
	etag string // its ETag
}

type fetchKind uint8

const (
	hasConfig   fetchKind = iota + 1 // doc holds the configuration
	noConfig                         // the bucket exists without one
	noBucket                         // the bucket does not exist
	notModified                      // the configuration still has the ETag asked about
)

// fetch reads the configuration of bucket, conditionally when etag is
// set: one GET when there is a configuration, a GET and a HeadBucket when
// there is none (the store said so: missing). Any other 404 is the
// store's trouble, as a server error is.
func (s *store) fetch(ctx context.Context, bucket, etag string) (fetched, error) {
	if dotSegment(bucket) {
		return fetched{kind: noBucket}, nil
	}
	var h http.Header
	if etag != "" {
		h = http.Header{"If-None-Match": {etag}}
	}
	a, err := s.send(ctx, opGetConfig, http.MethodGet, "/"+s.bucket+"/"+configKey(bucket), h, nil)
	if err != nil {
		return fetched{}, err
	}
	switch {
	case a.status == http.StatusNotModified && etag != "":
		// A 304 to a GET that was not conditional answers nothing: the
		// store's trouble, below.
		return fetched{kind: notModified, etag: etag}, nil
	case a.status == http.StatusOK:
		tag := a.header.Get("ETag")
		if etag != "" && tag == etag {
			// An upstream that ignores If-None-Match.
			return fetched{kind: notModified, etag: etag}, nil
		}
		return fetched{kind: hasConfig, doc: a.body, etag: tag}, nil
	case a.missing():
		exists, err := s.bucketExists(ctx, bucket)
		var refused *errBucketName
		if errors.As(err, &refused) {
			// A name the upstream refuses names no bucket: requests for
			// it are answered as for a bucket that does not exist, and
			// those passed through get the upstream's own error.
			return fetched{kind: noBucket}, nil
		}
		if err != nil {
			return fetched{}, err
		}
		if !exists {
			return fetched{kind: noBucket}, nil
		}
		return fetched{kind: noConfig}, nil
	}
	return fetched{}, a.fail(opGetConfig)
}

// bucketExists asks the upstream whether bucket exists (HeadBucket). A
// 403 means it does, owned by someone the upstream keys cannot read for,
// and so does a redirect to where it is.
// A 400 for a name S3 would not let a bucket take now means the upstream
// refuses the name: an *errBucketName. A HeadBucket answer has no body,
// and S3 answers 400 for other reasons too (an expired token, a request
// signed for another region), so a 400 for a name S3 allows, or one
// whose code is known and is not InvalidBucketName, is store trouble.
// A 404 means the bucket does not exist, though without a body it cannot
// tell an S3 store's from another server's as a GET's does (missing): a
// look-up asks only once its GET got S3's NoSuchKey or NoSuchBucket from
// the same upstream (fetch). The other callers (the checks of Put and
// DeleteBucketCors, CreateBucket's and DeleteBucket's) take it as it
// is: a server that is not an S3 store and answers everything 404 gets
// NoSuchBucket there, but shows in Ready, which asks with a GET, and in
// every look-up.
func (s *store) bucketExists(ctx context.Context, bucket string) (bool, error) {
	if dotSegment(bucket) {
		return false, &errBucketName{bucket: bucket}
	}
	a, err := s.send(ctx, opHeadBucket, http.MethodHead, "/"+bucket, nil, nil)
	if err != nil {
		return false, err
	}
	switch {
	case a.status == http.StatusOK, a.status == http.StatusForbidden:
		return true, nil
	case a.status == http.StatusMovedPermanently, a.status == http.StatusTemporaryRedirect:
		// S3 redirects a request for a bucket in another Region (301,
		// with x-amz-bucket-region) or one whose DNS name is not yet
		// everywhere (307): the bucket exists, and its requests pass
		// through, to get the redirect. UNVERIFIED: how S3 answers a
		// preflight or PutBucketCors at the wrong Region; here they are
		// answered from the configuration stored beside the others.
		return true, nil
	case a.status == http.StatusNotFound:
		return false, nil
	case a.status == http.StatusBadRequest && (a.code == "InvalidBucketName" || a.code == "" && !s3route.CreatableBucketName(bucket)):
		return false, &errBucketName{bucket: bucket}
	}
	return false, a.fail(opHeadBucket)
}

// grant is what the upstream tells of a caller's right to administer a
// bucket.
type grant uint8

const (
	granted       grant = iota + 1
	denied              // 403: the store refuses the caller the bucket
	keysRefused         // 403: the store does not know the caller's keys, or not with that secret
	grantNoBucket       // 404: the store tells the caller there is no such bucket
)

// probeCors is the body of the PutBucketCors canAdminister sends: a
// configuration without rules, which S3 refuses (400 MalformedXML) once
// it has checked the caller's permission, so that the answer tells the
// permission and nothing is written.
var probeCors = []byte(`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></CORSConfiguration>`)

// canAdminister asks the upstream whether the holder of signer's keys
// may do to bucket's CORS what S3 would let them: for write (Put and
// DeleteBucketCors, which S3 grants by s3:PutBucketCORS) a PutBucketCors
// signed with those keys whose body S3 refuses (probeCors), with its
// Content-MD5, so that the store checks the permission and writes
// nothing; else (GetBucketCors, s3:GetBucketCORS) a GetBucketCors signed
// with them. A store that does not implement bucket CORS (corsMissing)
// is asked a GetBucketAcl instead (aclGrant): then the holders of
// READ_ACP or s3:GetBucketAcl administer the bucket's CORS, and where
// ?acl is missing too, whoever may HeadBucket it. Any other answer, a
// server error, a redirect or none, is an *errUpstream: the proxy cannot
// tell, and refuses with 503.
//
// owner, the values of the caller's x-amz-expected-bucket-owner (none:
// not sent), goes with each of these requests, so that the upstream
// judges S3's bucket owner condition, as it knows who owns the bucket
// and the proxy does not: a bucket of another owner is its 403 (denied),
// and a value it does not take as an owner its 400
// InvalidBucketOwnerAWSAccountID, returned as an *s3err.Error for the
// client (ownerRefused).
func (s *store) canAdminister(ctx context.Context, bucket string, signer *sigv.Signer, write bool, owner []string) (grant, error) {
	op, method, body := opAuthorizeGetCors, http.MethodGet, []byte(nil)
	header := withOwner(nil, owner)
	if write {
		sum := md5.Sum(probeCors)
		op, method, body = opAuthorizePutCors, http.MethodPut, probeCors
		header = withOwner(http.Header{"Content-Type": {"application/xml"}, "Content-Md5": {base64.StdEncoding.EncodeToString(sum[:])}}, owner)
	}
	a, err := s.sendAs(ctx, signer, op, method, "/"+bucket, "cors", header, body)
	if err != nil {
		return 0, err
	}
	if e := a.ownerRefused(); e != nil {
		return 0, e
	}
	if g, ok := a.corsGrant(write); ok {
		return g, nil
	}
	if !a.corsMissing(write) {
		return 0, a.fail(op)
	}
	return s.aclGrant(ctx, bucket, signer, owner)
}

// withOwner returns h with x-amz-expected-bucket-owner set to owner,
// unless owner is empty (the header was not sent).
func withOwner(h http.Header, owner []string) http.Header {
	if len(owner) == 0 {
		return h
	}
	if h == nil {
		h = http.Header{}
	}
	h["X-Amz-Expected-Bucket-Owner"] = owner
	return h
}

// ownerRefused returns the upstream's 400 InvalidBucketOwnerAWSAccountID,
// its answer to an x-amz-expected-bucket-owner that is not an account ID
// as it reads them, as an error for the client, with its message; nil
// for any other answer. What an owner ID looks like is the upstream's to
// say: S3's are 12 digits, versitygw's the access key of the bucket's
// owner.
func (a *answer) ownerRefused() *s3err.Error {
	if a.status != http.StatusBadRequest || a.code != "InvalidBucketOwnerAWSAccountID" {
		return nil
	}
	var doc struct {
		Message string
	}
	xml.Unmarshal(a.body, &doc) // it has a Code: it is a document
	return s3err.New(http.StatusBadRequest, a.code, doc.Message)
}

// corsGrant reads the answer to canAdminister's PutBucketCors (write)
// or GetBucketCors. A PutBucketCors refused for its body only (400
// MalformedXML: the body is the proxy's, not the caller's) or taken (a
// store lenient enough to take a configuration without rules: it then
// has that empty configuration, which the proxy never reads) says the
// caller may write; a GetBucketCors answered with a configuration or
// NoSuchCORSConfiguration says it may read. 403 and 404 NoSuchBucket
// are read as grant reads them.
func (a *answer) corsGrant(write bool) (grant, bool) {
	switch {
	case write && a.status/100 == 2:
		return granted, true
	case write && a.status == http.StatusBadRequest && a.code == "MalformedXML":
		return granted, true
	case !write && a.status == http.StatusOK && rootElement(a.body) == "CORSConfiguration":
		return granted, true
	case !write && a.status == http.StatusNotFound && a.code == "NoSuchCORSConfiguration":
		return granted, true
	case a.status == http.StatusForbidden, a.status == http.StatusNotFound && a.code == "NoSuchBucket":
		return a.grant()
	}
	return 0, false
}

// corsMissing reports whether a, the answer to canAdminister's
// PutBucketCors (write) or GetBucketCors, says the store does not
// implement bucket CORS: 501, 405 or NotImplemented (MinIO's community
// edition), a PutBucketCors taken for a CreateBucket of a bucket that
// exists (409 BucketAlreadyOwnedByYou or BucketAlreadyExists: gofakes3),
// or a GetBucketCors answered with something other than a CORS
// configuration (gofakes3 lists the bucket). None of these depends on
// the caller's permission, and the fallback still asks the store as the
// caller: nothing the caller sends can make it skip the check.
func (a *answer) corsMissing(write bool) bool {
	switch {
	case notImplemented(a):
		return true
	case write:
		return a.status == http.StatusConflict && (a.code == "BucketAlreadyOwnedByYou" || a.code == "BucketAlreadyExists")
	}
	return a.status/100 == 2
}

// rootElement returns the local name of the root element of the XML
// document b, "" when b has none.
func rootElement(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

// aclGrant asks the upstream whether the holder of signer's keys may
// read bucket's ACL, for a store without bucket CORS: a GetBucketAcl
// signed with those keys, which S3 grants the bucket's owner and whom
// its ACL grants READ_ACP or its policies s3:GetBucketAcl, versitygw the
// owner, admin users and whom its policies grant s3:GetBucketAcl, MinIO
// whom its policies grant s3:GetBucketPolicy: a read permission, weaker
// than s3:PutBucketCORS. A store that does not implement ?acl (501
// NotImplemented, 405 MethodNotAllowed, or a 4xx whose code is
// NotImplemented) is asked a HeadBucket signed with the keys instead,
// which any reader of the bucket passes. A store that answers ?acl with
// something else (gofakes3 lists the bucket) answers by that. owner
// goes with both, as with canAdminister's.
func (s *store) aclGrant(ctx context.Context, bucket string, signer *sigv.Signer, owner []string) (grant, error) {
	a, err := s.sendAs(ctx, signer, opAuthorizeACL, http.MethodGet, "/"+bucket, "acl", withOwner(nil, owner), nil)
	if err != nil {
		return 0, err
	}
	if e := a.ownerRefused(); e != nil {
		return 0, e
	}
	if g, ok := a.grant(); ok {
		return g, nil
	}
	if !notImplemented(a) {
		return 0, a.fail(opAuthorizeACL)
	}
	a, err = s.sendAs(ctx, signer, opAuthorizeHead, http.MethodHead, "/"+bucket, "", withOwner(nil, owner), nil)
	if err != nil {
		return 0, err
	}
	if g, ok := a.grant(); ok {
		return g, nil
	}
	return 0, a.fail(opAuthorizeHead)
}

// grant reads the answer to aclGrant's requests: a success, a 403
// (for the caller, or for keys the store does not take), or a 404 that
// says the bucket does not exist (a HeadBucket's has no body, so no
// code).
func (a *answer) grant() (grant, bool) {
	switch {
	case a.status/100 == 2:
		return granted, true
	case a.status == http.StatusForbidden && (a.code == "InvalidAccessKeyId" || a.code == "SignatureDoesNotMatch"):
		return keysRefused, true
	case a.status == http.StatusForbidden:
		return denied, true
	case a.status == http.StatusNotFound && (a.code == "NoSuchBucket" || a.code == ""):
		return grantNoBucket, true
	}
	return 0, false
}

// notImplemented reports whether a says the upstream does not implement
// the request.
func notImplemented(a *answer) bool {
	return a.status == http.StatusNotImplemented || a.status == http.StatusMethodNotAllowed ||
		a.status/100 == 4 && a.code == "NotImplemented"
}

// put stores doc as bucket's configuration and returns its ETag. The
// config bucket is created when the store says it is missing: 404
// NoSuchBucket, never a 404 without that code (see missing).
func (s *store) put(ctx context.Context, bucket string, doc []byte) (string, error) {
	if dotSegment(bucket) {
		return "", &errBucketName{bucket: bucket}
	}
	sum := md5.Sum(doc)
	h := http.Header{"Content-Type": {"application/xml"}, "Content-Md5": {base64.StdEncoding.EncodeToString(sum[:])}}
	path := "/" + s.bucket + "/" + configKey(bucket)
	for try := 0; ; try++ {
		a, err := s.send(ctx, opPutConfig, http.MethodPut, path, h, doc)
		if err != nil {
			return "", err
		}
		switch {
		case a.status == http.StatusOK:
			s.bucketMade.Store(true)
			return a.header.Get("ETag"), nil
		case a.code == "NoSuchBucket" && try == 0:
			if err := s.makeBucket(ctx); err != nil {
				return "", err
			}
			continue
		}
		return "", a.fail(opPutConfig)
	}
}

// remove deletes bucket's configuration; deleting none is no error. A
// 404 other than S3's (missing) is: the configuration may still be
// there.
func (s *store) remove(ctx context.Context, bucket string) error {
	if dotSegment(bucket) {
		return nil // there is no such configuration
	}
	a, err := s.send(ctx, opDeleteConfig, http.MethodDelete, "/"+s.bucket+"/"+configKey(bucket), nil, nil)
	if err != nil {
		return err
	}
	if a.status/100 == 2 || a.missing() {
		// S3 answers 204 for a key that does not exist, and 404
		// NoSuchBucket while there is no config bucket.
		return nil
	}
	return a.fail(opDeleteConfig)
}

// makeBucket creates the config bucket; one that exists already is no
// error.
func (s *store) makeBucket(ctx context.Context) error {
	var body []byte
	if s.region != "" && s.region != "us-east-1" {
		// Escaped, though s3cors proxy takes only region names: Options
		// come from any caller, and markup in the region would change
		// the document.
		body = append(body, `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`...)
		body = xmlw.AppendElement(body, "LocationConstraint", s.region)
		body = append(body, `</CreateBucketConfiguration>`...)
	}
	a, err := s.send(ctx, opCreateConfigBucket, http.MethodPut, "/"+s.bucket, nil, body)
	if err != nil {
		return err
	}
	if a.status == http.StatusOK || a.code == "BucketAlreadyOwnedByYou" || a.code == "BucketAlreadyExists" {
		s.bucketMade.Store(true)
		return nil
	}
	return a.fail(opCreateConfigBucket)
}

// readyKey is the key ping reads in the config bucket: none of the
// configurations, whose keys end in "/cors.xml".
const readyKey = "ready"

// ping tells whether the proxy can read the configurations: a GET of
// readyKey in the config bucket, signed as fetch signs its own, gets the
// answers fetch can use, 2xx or S3's 404 NoSuchKey or NoSuchBucket (no
// config bucket yet, which the first PutBucketCors makes). A 403 (a
// wrong upstream secret: SignatureDoesNotMatch; an unknown access key;
// keys without access to the bucket, or none), a server error, or a 404
// without such an S3 error (a server that is not an S3 store, such as
// the one on the wrong port) would make every look-up fail, and so every
// request that needs a configuration get 503. A GET rather than a
// HeadBucket, whose answer has no body: the error's code tells the
// operator which, and whether it comes from an S3 store.
//
// When the store says there is no config bucket (404 NoSuchBucket), ping
// creates it, as the first PutBucketCors would: a bucket the upstream
// keys may not create (403 AccessDenied from a store whose user lacks
// s3:CreateBucket), or that the store refuses otherwise (a Region it
// does not serve), would make every PutBucketCors answer 503, so the
// proxy is not ready, and the error says why (*errNoConfigBucket).
func (s *store) ping(ctx context.Context) error {
	a, err := s.send(ctx, opReady, http.MethodGet, "/"+s.bucket+"/"+readyKey, nil, nil)
	if err != nil {
		return err
	}
	if a.status/100 != 2 && !a.missing() {
		return a.fail(opReady)
	}
	if a.code == "NoSuchBucket" {
		if err := s.makeBucket(ctx); err != nil {
			return &errNoConfigBucket{bucket: s.bucket, err: err}
		}
	}
	return nil
}

// errNoConfigBucket is ping's error when there is no config bucket and
// creating it failed: err says how.
type errNoConfigBucket struct {
	bucket string
	err    error
}

func (e *errNoConfigBucket) Error() string {
	return fmt.Sprintf("s3proxy: Ready: there is no config bucket %s, and creating it failed: %s",
		e.bucket, strings.TrimPrefix(e.err.Error(), "s3proxy: "))
}

func (e *errNoConfigBucket) Unwrap() error { return e.err }

// pingReason is what tells one cause of ping's err from another: the
// store's answer, or that it gave none (however the transport failed,
// which names ports that change).
func pingReason(err error) string {
	if e, ok := errors.AsType[*errUpstream](err); ok && e.err == nil {
		return e.Error() // its op tells the GET from the CreateBucket
	}
	if _, ok := errors.AsType[*errNoConfigBucket](err); ok {
		return "no config bucket: no answer"
	}
	return "no answer"
}
