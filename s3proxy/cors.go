package s3proxy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strconv"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// noBucketTarget is the target of a bucket that does not exist.
var noBucketTarget = bucket.Target{NoBucket: true}

// authenticate checks the signature of a Put/Get/DeleteBucketCors when
// the proxy has keys, and returns the access key it was signed with (""
// when the proxy has none, or the request no signature) and whether the
// request counts as signed: always when the proxy has no keys. A request
// without a signature is not refused here: like s3cors serve (s3server's
// prepare), and S3, the proxy checks the names and the bucket's existence
// first, and refuses it last (anonymousError), as it has no ACLs to allow
// it by; a signed one is checked last too (authorize). The body is then
// read through the signature's checks (x-amz-content-sha256,
// aws-chunked). A presigned URL of Signature Version 2 has the headers
// its query carries (Content-MD5, x-amz-*) read as its own, as s3cors
// serve reads them (sigv.ReadQueryHeadersV2): botocore presigns a
// PutBucketCors's Content-MD5 there. The key pairs it checks against
// are kept in info for the rest of the request (authorize), so that a
// request checked before SetCredentials ends with the pairs it was
// checked with.
func (p *Proxy) authenticate(r *http.Request, info *requestInfo) (caller string, signed bool, err error) {
	var sig sigv.Signature
	creds := p.creds.Load()
	info.creds = creds
	query := sigv.ParseQuery(r.URL.RawQuery)
	if creds.verifier != nil {
		if info.addr.Style == s3route.VirtualHosted {
			sig, err = creds.verifier.VerifyHosted(r, query, info.addr.Bucket)
		} else {
			sig, err = creds.verifier.Verify(r, query)
		}
		if err != nil {
			return "", false, err
		}
	}
	sigv.ReadQueryHeadersV2(r, query, sig, creds.verifier != nil)
	body, err := sig.DecodeBody(r)
	if err != nil {
		return "", false, err
	}
	r.Body = body
	return sig.AccessKey, creds.verifier == nil || !sig.Anonymous(), nil
}

// authorize asks the upstream whether caller, who signed a
// Put/Get/DeleteBucketCors of bucket, may do what it asks (write: Put or
// Delete) with the permission S3 asks for it (store.canAdminister,
// signed with caller's keys): the proxy itself reads and writes with the
// upstream keys, for every bucket, so without this anyone holding a pair
// would administer every bucket's CORS, those the store refuses them
// included. It is nil for a caller the store grants it, S3's
// AccessDenied or NoSuchBucket for one it refuses or tells there is no
// such bucket, and 503 when the store cannot say. No request is made for
// a proxy without keys (anyone may), nor for the upstream keys when they
// were given as such (not CheckUpstreamKeys): they administer what the
// proxy stores anyway. The pairs are those authenticate checked the
// request against.
//
// A request with x-amz-expected-bucket-owner has it sent along
// (canAdminister), as the proxy has no account and cannot tell who owns
// a bucket: the upstream answers another owner's bucket 403, which is
// AccessDenied, as S3 answers, and a value it does not take 400
// InvalidBucketOwnerAWSAccountID, passed on. For a request about which
// no one would be asked, the upstream is asked with the upstream keys,
// the proxy's own (anonymously when there are none), and with a read,
// the GetBucketCors a GetBucketCors is asked with, whatever the request:
// only the owner is in question. A bucket whose CORS they may not read
// is then AccessDenied whatever owner the request names, as the proxy
// cannot tell that 403 from another owner's.
// A store that ignores the header (gofakes3 does) grants every owner.
func (p *Proxy) authorize(r *http.Request, info *requestInfo, caller, bucket string, write bool) error {
	creds := info.creds
	if creds == nil {
		creds = p.creds.Load()
	}
	owner := r.Header["X-Amz-Expected-Bucket-Owner"]
	secret := creds.Keys[caller]
	var signer *sigv.Signer
	if caller == "" || !creds.CheckUpstreamKeys && caller == creds.UpstreamAccessKey && secret == creds.UpstreamSecretKey {
		if len(owner) == 0 {
			return nil
		}
		// Only the owner is in question: asked with a read, so that the
		// proxy's own keys never send the store the PutBucketCors probe
		// for a client (a store taking a configuration without rules
		// would have it replace the bucket's own).
		signer, write = creds.signer, false
	} else {
		signer = &sigv.Signer{AccessKey: caller, SecretKey: secret, Region: p.opts.Region}
	}
	g, err := p.store.canAdminister(r.Context(), bucket, signer, write, owner)
	var refused *s3err.Error
	switch {
	case errors.As(err, &refused):
		return refused // the upstream's answer to the owner the client expects
	case err != nil:
		return p.storeError(r, err)
	case g == granted:
		return nil
	case g == grantNoBucket:
		return s3err.NoSuchBucket(bucket)
	case g == keysRefused && signer == creds.signer:
		// The proxy's own keys: the store's trouble, not the client's.
		return p.storeError(r, errors.New("s3proxy: the store does not take the upstream keys"))
	case g == keysRefused:
		// The client sees S3's answer to keys the store does not take;
		// the operator, that Keys and the store disagree.
		p.log.Warn("the store does not take a client's key pair the proxy holds; its requests are refused",
			"access_key", caller, "bucket", bucket)
	}
	return s3err.AccessDenied()
}

// target returns the bucket's configuration from the cache: the one CORS
// was evaluated against when the request had an Origin, else looked up.
func (p *Proxy) target(r *http.Request, info *requestInfo) (bucket.Target, error) {
	if info.resolved {
		return info.target, nil
	}
	t, stale, err := p.cache.lookup(r.Context(), info.addr.Bucket)
	info.stale, info.lookupErr = stale, err // for the log line, as resolve does
	return t, err
}

// anonymousError is the answer to an unsigned Put/Get/DeleteBucketCors
// to a proxy with keys, once its names passed: NoSuchBucket for a bucket
// the upstream does not have, as S3 and s3cors serve answer an anonymous
// request for one, else AccessDenied. The bucket is looked up in the
// cache, within LookupRate, as for any request with an Origin, never with
// a HeadBucket of its own: unsigned requests cost the upstream no more
// than the look-ups anyone can cause, and do not write the cache past its
// budget.
func (p *Proxy) anonymousError(r *http.Request, info *requestInfo) error {
	t, err := p.target(r, info)
	switch {
	case err != nil:
		return lookupError(err)
	case t.NoBucket:
		return s3err.NoSuchBucket(info.addr.Bucket)
	}
	return s3err.AccessDenied()
}

// prepareCors does what PutBucketCors and DeleteBucketCors need first,
// in S3's order: the signature, the names (checkNames), the bucket's
// existence upstream, an unsigned request's refusal (anonymousError).
// It returns the caller, whose permission the caller of prepareCors asks
// (authorize) just before it writes: for PutBucketCors once the body is
// read, so that how long the client takes to send it is no gap between
// the store's answer and the write.
func (p *Proxy) prepareCors(r *http.Request, info *requestInfo) (caller string, err error) {
	caller, signed, err := p.authenticate(r, info)
	if err != nil {
		return "", err
	}
	if err := checkNames(info.addr); err != nil {
		return "", err
	}
	if !signed {
		return "", p.anonymousError(r, info)
	}
	name := info.addr.Bucket
	exists, err := p.store.bucketExists(r.Context(), name)
	var refused *errBucketName
	switch {
	case errors.As(err, &refused):
		// S3's answer to PutBucketCors on a name it would not create;
		// a 503 would be retried by the SDKs, and logged as the store's
		// trouble. The name holds no bucket, as the cache then knows.
		p.cache.set(name, &state{target: noBucketTarget, validated: p.opts.Now()})
		return "", s3err.InvalidBucketName(name)
	case err != nil:
		return "", p.storeError(r, err)
	}
	if !exists {
		p.cache.set(name, &state{target: noBucketTarget, validated: p.opts.Now()})
		return "", s3err.NoSuchBucket(name)
	}
	return caller, nil
}

// checkNames refuses a bucket's name or an object's key S3 would not
// take, in the order s3cors serve checks them. ?cors at an object's path
// is the bucket's (PUT /b/k?cors is b's PutBucketCors), but its key is
// still checked there, as serve checks it: the two must not tell a
// client different things, nor the proxy take a configuration serve
// refuses.
func checkNames(a s3route.Address) error {
	if !s3route.ValidBucketName(a.Bucket) {
		return s3err.InvalidBucketName(a.Bucket)
	}
	if err := s3route.KeyError(a.Key); err != nil {
		return err
	}
	return nil
}

// storeError is the answer to a Put/Get/DeleteBucketCors one of whose
// requests to the store failed (HeadBucket, the permission check, the
// write of the configuration): 503, and the reason in the log. The
// message says only that it failed: err tells whether the store gave no
// answer or answered with an error, such as the 403 a store sends keys
// that may not write the config bucket.
func (p *Proxy) storeError(r *http.Request, err error) error {
	p.log.Warn("a request of the proxy's to the store failed: the client gets 503", "method", r.Method, "path", r.URL.EscapedPath(), "err", err)
	return errServiceUnavailable()
}

// putBucketCors answers PutBucketCors as S3 does (spec §1.1, §2), and
// stores the body as received in the config bucket.
func (p *Proxy) putBucketCors(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	caller, err := p.prepareCors(r, info)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	// A configuration is small (64 KiB at most): outside the budget of
	// DeleteObjects bodies.
	body, _, err := checksum.ReadChecked(r, corsrule.MaxDocumentSize, nil)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	// Asked once the body is in, so that the store's answer is as fresh
	// as the write, and before the body is read as XML: S3 tells
	// AccessDenied before MalformedXML.
	if err := p.authorize(r, info, caller, info.addr.Bucket, true); err != nil {
		p.writeError(w, r, err)
		return
	}
	// S3 takes only XML here; xmlconfig.Decode would take JSON too.
	doc, err := xmlconfig.DecodeXML(bytes.NewReader(body))
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	cfg, err := bucket.New(doc.Rules)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	etag, err := p.store.put(r.Context(), info.addr.Bucket, body)
	if err != nil {
		p.writeError(w, r, p.storeError(r, err))
		return
	}
	// A DeleteBucket may have come between the HeadBucket and the write,
	// its own deletion of the configuration before this write: the
	// configuration would outlive the bucket. Asked again now, a bucket
	// gone takes it with it, as on S3; a DeleteBucket that succeeds after
	// this HeadBucket deletes it itself (bucketGone).
	if exists, err := p.store.bucketExists(context.WithoutCancel(r.Context()), info.addr.Bucket); err == nil && !exists {
		p.cache.set(info.addr.Bucket, &state{target: noBucketTarget, validated: p.opts.Now()})
		if err := p.store.remove(context.WithoutCancel(r.Context()), info.addr.Bucket); err != nil {
			p.log.Error("the bucket was deleted as its configuration was stored, which could not be deleted; it applies again if the bucket is created other than through a proxy",
				"bucket", info.addr.Bucket, "err", err)
		}
		p.writeError(w, r, s3err.NoSuchBucket(info.addr.Bucket))
		return
	}
	p.cache.set(info.addr.Bucket, &state{target: bucket.Target{Config: cfg}, etag: etag, sum: sha256.Sum256(body), validated: p.opts.Now()})
	writeEmpty(w, http.StatusOK)
}

// getBucketCors answers GetBucketCors from the cache, as fresh as the
// preflights the proxy answers, once the caller's permission is checked
// (authorize).
func (p *Proxy) getBucketCors(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	caller, signed, err := p.authenticate(r, info)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	if err := checkNames(info.addr); err != nil {
		p.writeError(w, r, err)
		return
	}
	name := info.addr.Bucket
	// A request with an Origin was looked up for CORS: its answer comes
	// from the same configuration as its CORS headers, and counts once.
	t, err := p.target(r, info)
	switch {
	case err != nil:
		err = lookupError(err)
	case t.NoBucket:
		err = s3err.NoSuchBucket(name)
	case !signed:
		err = s3err.AccessDenied()
	default:
		// Whether the bucket's configuration exists is not told to
		// whom the store refuses the bucket.
		err = p.authorize(r, info, caller, name, false)
	}
	switch {
	case err != nil:
		p.writeError(w, r, err)
	case t.Config == nil:
		p.writeError(w, r, s3err.NoSuchCORSConfiguration(name))
	default:
		doc := xmlconfig.AppendXML(nil, t.Config.Rules())
		h := w.Header()
		s3err.RequestIDs(h)
		h["Content-Type"] = []string{"application/xml"}
		h["Content-Length"] = []string{strconv.Itoa(len(doc))}
		w.WriteHeader(http.StatusOK)
		w.Write(doc)
	}
}

// deleteBucketCors answers 204 whether or not there was a configuration
// (spec §1.3).
func (p *Proxy) deleteBucketCors(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	caller, err := p.prepareCors(r, info)
	if err == nil {
		err = p.authorize(r, info, caller, info.addr.Bucket, true)
	}
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	if err := p.store.remove(r.Context(), info.addr.Bucket); err != nil {
		p.writeError(w, r, p.storeError(r, err))
		return
	}
	p.cache.set(info.addr.Bucket, &state{validated: p.opts.Now()})
	writeEmpty(w, http.StatusNoContent)
}

// writeEmpty answers with status and no body, with the request IDs.
func writeEmpty(w http.ResponseWriter, status int) {
	h := w.Header()
	s3err.RequestIDs(h)
	if status != http.StatusNoContent {
		h["Content-Length"] = []string{"0"}
	}
	w.WriteHeader(status)
}
