package s3route_test

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// TestKeyRefusal checks S3's 400s to an operation at a path it refuses
// it at: a bucket's subresource read at a key (brekkylab/backlot
// routers/s3.py _KEY_BUCKET_REFUSALS and _UPLOADS_ON_A_KEY, measured on
// S3), and a RestoreObject at the bucket's path (_restore_without_a_key
// and _VERSION_AFTER_THE_BUCKET, measured on S3), as s3server's
// TestBucketSubresourceRefusedAtKey and TestRestoreAtBucket send them.
func TestKeyRefusal(t *testing.T) {
	t.Parallel()
	bucket := s3route.Address{Bucket: "b"}
	object := s3route.Address{Bucket: "b", Key: "k"}
	keyless := s3err.New(400, "UserKeyMustBeSpecified", "User key must be specified.")
	badVersion := func(v string) *s3err.Error {
		return s3err.New(400, "InvalidArgument", "Invalid version id specified", "ArgumentName", "versionId", "ArgumentValue", v)
	}
	tests := []struct {
		name  string
		op    s3route.Operation
		a     s3route.Address
		query string
		want  *s3err.Error
	}{
		{"?logging at a key", s3route.GetBucketLogging, object, "logging",
			s3err.New(400, "NoLoggingStatusForKey", "There is no such thing as the ?logging sub-resource for a key")},
		{"?versions at a key", s3route.ListObjectVersions, object, "versions",
			s3err.New(400, "InvalidRequest", "There is no such thing as the ?versions sub-resource for a key")},
		{"?uploads at a key", s3route.ListMultipartUploads, object, "uploads",
			s3err.New(400, "InvalidRequest", "Key is not expected for the GET method ?uploads subresource")},
		{"a key's own operation", s3route.GetObject, object, "", nil},
		{"a restore at a key", s3route.RestoreObject, object, "restore&versionId=x", nil},
		{"?logging at the bucket", s3route.GetBucketLogging, bucket, "logging", nil},
		{"?versions at the bucket", s3route.ListObjectVersions, bucket, "versions", nil},
		{"?uploads at the bucket", s3route.ListMultipartUploads, bucket, "uploads", nil},
		{"a restore at the bucket", s3route.RestoreObject, bucket, "restore", keyless},
		{"a restore of a version at the bucket", s3route.RestoreObject, bucket, "restore&versionId=x", badVersion("x")},
		{"a restore of two versions at the bucket", s3route.RestoreObject, bucket, "restore&versionId=x&versionId=y", badVersion("x")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, s3route.KeyRefusal(tc.op, tc.a, q)); diff != "" {
				t.Errorf("KeyRefusal(%s, %+v, %q) mismatch (-want +got):\n%s", tc.op, tc.a, tc.query, diff)
			}
		})
	}
}

// TestBucketPathError checks S3's refusals of a query at a bucket's path
// that names a part or a version of an object: a partNumber without a
// subresource on every method (brekkylab/backlot routers/s3.py
// _bucket_selected), a versionId on a DELETE or a subresource's PUT,
// naming the first value as sent (_version_id_refusal), both measured on
// S3, as s3server's TestPartNumberAtBucket and TestVersionIDAtBucket send
// them.
func TestBucketPathError(t *testing.T) {
	t.Parallel()
	bucket := s3route.Address{Bucket: "b"}
	partRefusal := s3err.New(400, "InvalidRequest", "Object must have a valid key name.")
	versionRefusal := func(v string) *s3err.Error {
		return s3err.New(400, "InvalidArgument", "This operation does not accept a version-id.", "ArgumentName", "versionId", "ArgumentValue", v)
	}
	tests := []struct {
		name        string
		method      string
		a           s3route.Address
		query       string
		subresource string
		want        *s3err.Error
	}{
		{"DELETE with a partNumber", "DELETE", bucket, "partNumber=1", "", partRefusal},
		{"GET with a partNumber that is no number", "GET", bucket, "partNumber=abc", "", partRefusal},
		{"PUT with an empty partNumber", "PUT", bucket, "partNumber=", "", partRefusal},
		{"DELETE with a partNumber and a versionId", "DELETE", bucket, "partNumber=1&versionId=null", "", partRefusal},
		{"a partNumber beside uploadId", "PUT", bucket, "partNumber=1&uploadId=u", "uploadId", nil},
		{"DELETE with a versionId", "DELETE", bucket, "versionId=3HL4kqtJlcpXroDTDmJ", "", versionRefusal("3HL4kqtJlcpXroDTDmJ")},
		{"DELETE with an empty versionId", "DELETE", bucket, "versionId=", "", versionRefusal("")},
		{"DELETE with two versionIds", "DELETE", bucket, "versionId=a&versionId=b", "", versionRefusal("a")},
		{"DeleteBucketCors with a versionId", "DELETE", bucket, "cors&versionId=null", "cors", versionRefusal("null")},
		{"PutBucketVersioning with a versionId", "PUT", bucket, "versioning&versionId=null", "versioning", versionRefusal("null")},
		{"a GET with a versionId is left to its operation", "GET", bucket, "versionId=null", "", nil},
		{"a subresource's GET with a versionId is left to its operation", "GET", bucket, "acl&versionId=null", "acl", nil},
		{"a key takes a versionId", "DELETE", s3route.Address{Bucket: "b", Key: "k"}, "versionId=null", "", nil},
		{"a key takes a partNumber", "GET", s3route.Address{Bucket: "b", Key: "k"}, "partNumber=1", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got := s3route.BucketPathError(tc.method, tc.a, q, tc.subresource)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("BucketPathError(%s, %+v, %q, %q) mismatch (-want +got):\n%s", tc.method, tc.a, tc.query, tc.subresource, diff)
			}
		})
	}
}
