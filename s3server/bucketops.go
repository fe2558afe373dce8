package s3server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server/internal/storage"
)

// The canned ACLs S3 takes in x-amz-acl. Only the first three change what
// an unsigned request may do here.
const (
	aclPrivate         = "private"
	aclPublicRead      = "public-read"
	aclPublicReadWrite = "public-read-write"
)

var cannedACLs = []string{aclPrivate, aclPublicRead, aclPublicReadWrite, "authenticated-read",
	"aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"}

// validACL reports whether acl names one of S3's eight canned ACLs; a
// stored record holding any other is read as private.
func validACL(acl string) bool {
	for _, a := range cannedACLs {
		if acl == a {
			return true
		}
	}
	return false
}

// cannedACL returns the canned ACL a request sets: its x-amz-acl, or
// private when it has none.
//
// UNVERIFIED: S3's answer to an unknown canned ACL (400 InvalidArgument
// naming the header) was not captured with its message.
func cannedACL(h http.Header) (string, error) {
	for name := range h {
		if strings.HasPrefix(name, "X-Amz-Grant-") {
			return "", errNotImplementedHeader(strings.ToLower(name)) // explicit grants: only canned ACLs are kept
		}
	}
	acl, ok := h["X-Amz-Acl"]
	if !ok {
		return aclPrivate, nil
	}
	if len(acl) != 1 || !validACL(acl[0]) {
		return "", s3err.InvalidArgument("", "x-amz-acl", strings.Join(acl, ","))
	}
	return acl[0], nil
}

// maxConfigBody caps the bodies of the small configuration requests
// (CreateBucketConfiguration, AccessControlPolicy): S3's 64 KB limit for
// configuration documents.
const maxConfigBody = corsrule.MaxDocumentSize

// maxListBuckets is the most buckets one ListBuckets page holds, and
// its page size when max-buckets is not sent: S3's default page size,
// which an account at its default quota of 10,000 buckets gets whole
// (AWS's API reference of ListBuckets).
const maxListBuckets = 10000

// listBuckets answers ListBuckets: the buckets in order of name, with
// the prefix asked for, after the continuation token's, in pages of
// max-buckets (1 to 10,000) with a ContinuationToken for the next page.
// Every bucket is in the server's region, so a bucket-region naming
// another matches none.
func (s *Server) listBuckets(q *request) error {
	limit, err := int32Param(q.query, "max-buckets", maxListBuckets)
	if err != nil {
		return err
	}
	if limit < 1 || limit > maxListBuckets {
		// UNVERIFIED: S3's words, as versitygw gives them.
		return s3err.InvalidArgument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets", q.query.Get("max-buckets"))
	}
	prefix := q.query.Get("prefix")
	after, err := tokenBucket(q.query.Get("continuation-token"))
	if err != nil {
		return err
	}
	region := q.query.Get("bucket-region")
	withRegion := listsBucketRegion(q.query)
	s.mu.RLock()
	b := startXML("ListAllMyBucketsResult")
	b = appendOwner(b)
	b = append(b, "<Buckets>"...)
	n, last, truncated := 0, "", false
	for _, name := range s.sortedBucketNames() {
		if !strings.HasPrefix(name, prefix) || name <= after || region != "" && region != s.opts.Region {
			continue
		}
		if n == limit {
			truncated = true
			break
		}
		bk := s.buckets[name]
		b = append(b, "<Bucket>"...)
		b = xmlw.AppendElement(b, "Name", name)
		b = appendTime(b, "CreationDate", bk.created)
		if withRegion {
			b = xmlw.AppendElement(b, "BucketRegion", s.opts.Region)
		}
		b = append(b, "</Bucket>"...)
		n, last = n+1, name
	}
	s.mu.RUnlock()
	b = append(b, "</Buckets>"...)
	if truncated {
		b = xmlw.AppendElement(b, "ContinuationToken", base64.RawURLEncoding.EncodeToString([]byte(last)))
	}
	if prefix != "" {
		b = xmlw.AppendElement(b, "Prefix", prefix)
	}
	writeXML(q.w, endXML(b, "ListAllMyBucketsResult"))
	return nil
}

// tokenBucket returns the bucket a ListBuckets continuation token names,
// the last of the page before; "" for no token.
func tokenBucket(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	// The token is opaque (S3's API reference): here the name of the
	// page's last bucket, as ListObjectsV2's is its last key. One that
	// names no bucket the server could create was not given by it.
	last, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !storage.ValidBucketName(string(last)) {
		return "", s3err.InvalidArgument(msgInvalidToken, "continuation-token", token)
	}
	return string(last), nil
}

// listsBucketRegion reports whether a ListBuckets request gives each
// bucket's BucketRegion: only when it has one of the parameters at least
// (AWS's API reference of Bucket).
func listsBucketRegion(query url.Values) bool {
	for _, name := range [...]string{"prefix", "bucket-region", "max-buckets", "continuation-token"} {
		if query.Has(name) {
			return true
		}
	}
	return false
}

// createBucket answers CreateBucket. S3 answers a request for a bucket
// the caller already owns with 409 BucketAlreadyOwnedByYou, except in
// us-east-1 where, for legacy compatibility, it answers 200 and resets
// the bucket's ACL (AWS's documentation of BucketAlreadyOwnedByYou).
// Its answer carries Location and no x-amz-bucket-arn: the SDKs' model
// of CreateBucketOutput documents BucketArn as "only supported for S3
// directory buckets", and the buckets here are general purpose ones
// (versitygw sends the header for every bucket; a new AWS CLI then
// prints a BucketArn that S3 would not).
func (s *Server) createBucket(q *request) error {
	if !creatableBucketName(q.bucket) {
		return s3err.InvalidBucketName(q.bucket)
	}
	// UNVERIFIED: where S3 judges the ownership among the name, the ACL
	// and the body; after the name, as LocalStack and versitygw do.
	if err := checkObjectOwnership(q.r.Header); err != nil {
		return err
	}
	acl, err := cannedACL(q.r.Header)
	if err != nil {
		return err
	}
	body, err := checksum.ReadBody(q.r, maxConfigBody)
	if err != nil {
		return err
	}
	if err := s.checkLocation(body); err != nil {
		return err
	}
	for {
		created, err := s.newBucket(q.r.Context(), q.bucket, acl)
		if err != nil {
			return err
		}
		if created {
			break
		}
		if s.opts.Region != defaultRegion {
			return errBucketOwnedByYou(q.bucket)
		}
		b := s.lookup(q.bucket)
		if b != nil {
			err = s.setACL(q.r.Context(), b, acl)
			if err == nil {
				break
			}
			if !b.isDeleted() {
				return err
			}
		}
		// A DeleteBucket came between finding the bucket and resetting
		// its ACL: the bucket is made anew, as if the deletion had come
		// first. NoSuchBucket is no answer of CreateBucket, nor is the
		// storage's error at finding the bucket's directory gone.
	}
	q.w.Header().Set("Location", "/"+q.bucket)
	writeEmpty(q.w, http.StatusOK)
	return nil
}

// checkLocation checks the LocationConstraint of a CreateBucket body
// against the server's region, as S3 checks it against the endpoint's.
func (s *Server) checkLocation(body []byte) error {
	var cfg struct {
		XMLName            xml.Name `xml:"CreateBucketConfiguration"`
		LocationConstraint string
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := xml.Unmarshal(body, &cfg); err != nil {
			return s3err.MalformedXML("CreateBucketConfiguration: " + err.Error())
		}
	}
	loc := cfg.LocationConstraint
	switch {
	case loc == "" && s.opts.Region == defaultRegion:
		return nil
	case loc == defaultRegion:
		return s3err.New(http.StatusBadRequest, "InvalidLocationConstraint", msgInvalidLocation, "LocationConstraint", loc)
	case loc == s.opts.Region:
		return nil
	case loc == "":
		loc = "unspecified"
	}
	return s3err.New(http.StatusBadRequest, "IllegalLocationConstraintException",
		"The "+loc+" location constraint is incompatible for the region specific endpoint this request was sent to.")
}

// newBucket makes bucket name with the canned ACL unless it exists, and
// reports whether it made it. The storage makes it, durably, with the
// index unlocked, so that requests to other buckets go on meanwhile; the
// name is claimed in s.creating until then, so that of concurrent
// CreateBuckets of one name only one makes it, and the others, having
// waited, find it made.
func (s *Server) newBucket(ctx context.Context, name, acl string) (bool, error) {
	s.mu.Lock()
	for {
		if _, ok := s.buckets[name]; ok {
			s.mu.Unlock()
			return false, nil
		}
		if s.closed {
			s.mu.Unlock()
			return false, errClosed
		}
		made := s.creating[name]
		if made == nil {
			break
		}
		s.mu.Unlock()
		select {
		case <-made:
		case <-ctx.Done():
			return false, ctx.Err()
		}
		s.mu.Lock()
	}
	made := make(chan struct{})
	s.creating[name] = made
	s.mu.Unlock()
	rec := storage.BucketRecord{Created: s.now(), ACL: acl}
	err := s.store.CreateBucket(ctx, name, rec)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.creating, name)
	close(made)
	if !storage.Changed(err) {
		return false, err
	}
	s.buckets[name] = newBucketState(name, rec.Created, acl)
	return true, err
}

// setACL keeps acl as bucket b's canned ACL, in the storage first and
// then in the index, so a restart finds what the client was told.
func (s *Server) setACL(ctx context.Context, b *bucketState, acl string) error {
	return s.changeConfig(ctx, b, func() (storage.Change, error) {
		return s.store.StageRecord(ctx, b.name, storage.BucketRecord{Created: b.created, ACL: acl})
	}, func() { b.acl = acl })
}

func (s *Server) headBucket(q *request) error {
	q.w.Header()["x-amz-bucket-region"] = []string{s.opts.Region} // spelled as S3 sends it
	q.w.Header().Set("Content-Type", "application/xml")
	q.w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket answers DeleteBucket: BucketNotEmpty while the bucket has
// objects, else removed from the storage and the index together, with
// the index locked so that a change on its way finds it gone. Its files
// are removed, and the removal made durable, with the index unlocked:
// that can take long (the parts of unfinished uploads), and every
// request, preflights included, looks its bucket up in the index.
func (s *Server) deleteBucket(q *request) error {
	p, err := s.dropBucket(q)
	if werr := p.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	writeEmpty(q.w, http.StatusNoContent)
	return nil
}

// dropBucket removes q's bucket from the storage and the index, with the
// index locked, and returns what makes the removal durable. A change of
// the bucket's configuration on its way is made first (bucketState.config).
func (s *Server) dropBucket(q *request) (storage.Pending, error) {
	q.b.config.Lock()
	defer q.b.config.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[q.bucket] != q.b {
		return storage.Pending{}, s3err.NoSuchBucket(q.bucket)
	}
	// The index locked: a change already on its way finds the bucket
	// deleted when it comes to the index, and answers NoSuchBucket.
	q.b.mu.Lock()
	defer q.b.mu.Unlock()
	if err := q.b.gone(); err != nil {
		return storage.Pending{}, err
	}
	if len(q.b.objects) > 0 {
		return storage.Pending{}, errBucketNotEmpty(q.bucket)
	}
	p, err := s.store.DeleteBucket(q.r.Context(), q.bucket)
	if err == nil {
		delete(s.buckets, q.bucket)
		q.b.deleted = true
	}
	return p, err
}

// putBucketACL answers PutBucketAcl with a canned ACL. An
// AccessControlPolicy body or explicit grants are not implemented.
func (s *Server) putBucketACL(q *request) error {
	body, err := checksum.ReadBody(q.r, maxConfigBody)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		return s3err.NotImplemented()
	}
	if q.r.Header.Get("X-Amz-Acl") == "" {
		// UNVERIFIED: S3's answer to a PutBucketAcl with neither a body nor
		// a header was not captured.
		return s3err.New(http.StatusBadRequest, "MissingSecurityHeader", "Your request was missing a required header",
			"MissingHeaderName", "x-amz-acl")
	}
	acl, err := cannedACL(q.r.Header)
	if err != nil {
		return err
	}
	if err := s.setACL(q.r.Context(), q.b, acl); err != nil {
		return err
	}
	writeEmpty(q.w, http.StatusOK)
	return nil
}

// Grantees of the grants canned ACLs make.
const (
	allUsers  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logGroup  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// appendACL appends the AccessControlPolicy a canned ACL stands for.
func appendACL(b []byte, acl string) []byte {
	b = appendOwner(b)
	b = append(b, "<AccessControlList>"...)
	b = appendGrant(b, "CanonicalUser", ownerID, "FULL_CONTROL")
	switch acl {
	case aclPublicRead:
		b = appendGrant(b, "Group", allUsers, "READ")
	case aclPublicReadWrite:
		b = appendGrant(b, "Group", allUsers, "READ")
		b = appendGrant(b, "Group", allUsers, "WRITE")
	case "authenticated-read":
		b = appendGrant(b, "Group", authUsers, "READ")
	case "log-delivery-write":
		b = appendGrant(b, "Group", logGroup, "WRITE")
		b = appendGrant(b, "Group", logGroup, "READ_ACP")
	}
	return append(b, "</AccessControlList>"...)
}

// appendGrant appends one Grant of an ACL, its grantee a Group (by URI)
// or a CanonicalUser (by ID), as S3 writes it with the xsi:type
// attribute.
func appendGrant(b []byte, kind, who, permission string) []byte {
	b = append(b, `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="`+kind+`">`...)
	if kind == "Group" {
		b = xmlw.AppendElement(b, "URI", who)
	} else {
		b = xmlw.AppendElement(b, "ID", who)
	}
	b = append(b, "</Grantee>"...)
	b = xmlw.AppendElement(b, "Permission", permission)
	return append(b, "</Grant>"...)
}

func (s *Server) getBucketACL(q *request) error {
	q.b.mu.RLock()
	acl := q.b.acl
	q.b.mu.RUnlock()
	b := appendACL(startXML("AccessControlPolicy"), acl)
	writeXML(q.w, endXML(b, "AccessControlPolicy"))
	return nil
}

// getBucketLocation answers GetBucketLocation as S3 does: an empty
// LocationConstraint for us-east-1, the region's name otherwise.
func (s *Server) getBucketLocation(q *request) error {
	b := startXML("LocationConstraint")
	if s.opts.Region != defaultRegion {
		b = xmlw.AppendEscaped(b, s.opts.Region)
	}
	writeXML(q.w, endXML(b, "LocationConstraint"))
	return nil
}

// Reads of a bucket's configurations the server keeps none of answer as
// S3 answers for a bucket that has none (setting them is 501
// NotImplemented): tools read them all before they change one, as
// Terraform's aws_s3_bucket does on every plan, and the AWS CLI's s3api
// get-bucket-* calls answer with them. The codes and messages are those
// moto's and MinIO's tests hold S3 to; the BucketName element of the
// errors is UNVERIFIED for NoSuchPublicAccessBlockConfiguration and
// OwnershipControlsNotFoundError, which no capture here shows.

// notConfigured returns the error S3 answers a read of a configuration
// the bucket has none of, with the bucket's name, as S3 names it.
func notConfigured(code, message string) func(s *Server, q *request) error {
	return func(s *Server, q *request) error {
		return s3err.New(http.StatusNotFound, code, message, "BucketName", q.bucket)
	}
}

// fixedDocument returns the answer to a read that S3 answers with the
// same document for every bucket the server keeps: the root element
// holding content, built once.
func fixedDocument(root, content string) func(s *Server, q *request) error {
	doc := endXML(append(startXML(root), content...), root)
	return func(s *Server, q *request) error {
		writeXML(q.w, doc)
		return nil
	}
}

// defaultEncryption is S3's default encryption, SSE-S3 (AES256) without
// a bucket key, which S3 applies to every bucket since January 2023 and
// reports for one with no configuration of its own, as serve reports
// x-amz-server-side-encryption: AES256 on every object.
const defaultEncryption = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>" +
	"<BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
