package s3server

import (
	"context"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// CreateBucket makes a bucket as CreateBucket does, with a canned ACL (""
// means private), for programs that set a server up without a client.
// Its errors are S3's, as [*s3err.Error]: InvalidBucketName,
// InvalidArgument for an acl that is not a canned ACL, and
// BucketAlreadyOwnedByYou when the bucket exists, in every region.
func (s *Server) CreateBucket(name, acl string) error {
	if acl == "" {
		acl = aclPrivate
	}
	switch {
	case !creatableBucketName(name):
		return s3err.InvalidBucketName(name)
	case !validACL(acl):
		return s3err.InvalidArgument("", "x-amz-acl", acl)
	}
	created, err := s.newBucket(context.Background(), name, acl)
	if err == nil && !created {
		err = errBucketOwnedByYou(name)
	}
	return err
}

// PutBucketCors replaces the CORS configuration of a bucket with rules,
// validated as PutBucketCors validates them; an [*s3err.Error] is S3's
// answer.
func (s *Server) PutBucketCors(name string, rules []corsrule.Rule) error {
	b := s.lookup(name)
	if b == nil {
		return s3err.NoSuchBucket(name)
	}
	// The rules as the SDK would send them (no declaration), held to
	// S3's limit as a body is, before anything in them is judged; and
	// stored so, as a body received is, so that reading them back when
	// the server starts holds them to the same limit.
	if e := xmlconfig.CheckSentSize(rules); e != nil {
		return e
	}
	cfg, err := bucket.New(rules)
	if err != nil {
		return err
	}
	return s.setCORS(context.Background(), b, cfg, xmlconfig.AppendXML(nil, rules)[len(xmlw.Declaration):])
}

// BucketCors returns the CORS configuration of a bucket, nil when it has
// none; S3's NoSuchBucket, as an [*s3err.Error], when there is no bucket
// of the name.
func (s *Server) BucketCors(name string) (*bucket.Config, error) {
	b := s.lookup(name)
	if b == nil {
		return nil, s3err.NoSuchBucket(name)
	}
	return b.cors.Load(), nil
}
