package s3server

import (
	"bytes"
	"context"
	"net/http"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server/internal/storage"
	"github.com/s3cors/s3cors/xmlconfig"
)

// putBucketCors answers PutBucketCors (spec §1.1, §2): the integrity
// header is required and checked over the body as received, then the
// document is decoded by xmlconfig and validated by bucket.New, whose
// errors are S3's answer as they are.
func (s *Server) putBucketCors(q *request) error {
	body, _, err := checksum.ReadChecked(q.r, corsrule.MaxDocumentSize, nil) // small: outside the budget of bodies
	if err != nil {
		return err
	}
	// S3 takes only XML here; xmlconfig.Decode would take JSON too.
	doc, err := xmlconfig.DecodeXML(bytes.NewReader(body))
	if err != nil {
		return err
	}
	cfg, err := bucket.New(doc.Rules)
	if err != nil {
		return err
	}
	if err := s.setCORS(q.r.Context(), q.b, cfg, body); err != nil {
		return err
	}
	writeEmpty(q.w, http.StatusOK)
	return nil
}

// getBucketCors answers GetBucketCors with the bucket's rules written
// in S3's XML form (xmlconfig.AppendXML), or NoSuchCORSConfiguration.
func (s *Server) getBucketCors(q *request) error {
	cfg := q.b.cors.Load()
	if cfg == nil {
		return s3err.NoSuchCORSConfiguration(q.bucket)
	}
	writeXML(q.w, xmlconfig.AppendXML(nil, cfg.Rules()))
	return nil
}

// deleteBucketCors answers 204 whether or not there was a configuration
// (spec §1.3).
func (s *Server) deleteBucketCors(q *request) error {
	if err := s.setCORS(q.r.Context(), q.b, nil, nil); err != nil {
		return err
	}
	writeEmpty(q.w, http.StatusNoContent)
	return nil
}

// setCORS stores cfg, nil for none, as b's configuration: doc, the
// PutBucketCors body it came from, first, atomically, then the compiled
// form. The body as received is what is kept, not a re-encoding of it,
// because only the body is sure to be within the 64 KB a later start
// reads back: re-encoding can make a document longer (<X/> becomes
// <X></X>).
func (s *Server) setCORS(ctx context.Context, b *bucketState, cfg *bucket.Config, doc []byte) error {
	return s.changeConfig(ctx, b, func() (storage.Change, error) {
		return s.store.StageCORS(ctx, b.name, doc)
	}, func() { b.cors.Store(cfg) })
}
