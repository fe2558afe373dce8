package s3route_test

import (
	"net/url"
	"testing"

	"github.com/s3cors/s3cors/internal/s3route"
)

// TestAllow checks the Allow header of S3's 405 against the values
// recorded from S3: "GET" at the service root (versity/versitygw#1810);
// "HEAD, DELETE, POST, GET, PUT" on a bucket (brekkylab/backlot#312);
// "POST, GET" for ?uploads, at an object or at the bucket's path, where
// S3 takes POST as an upload without its key; "DELETE, GET, PUT" for
// ?tagging; "DELETE, POST, GET" for an upload (?uploadId), whose part
// (?uploadId&partNumber) takes PUT alone (brekkylab/backlot#230); "POST"
// alone for ?delete, which has no GET (routers/s3.py).
func TestAllow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		a     s3route.Address
		query string
		want  string
	}{
		{"the service", s3route.Address{}, "", "GET"},
		{"a bucket", s3route.Address{Bucket: "b"}, "", "HEAD, DELETE, POST, GET, PUT"},
		{"uploads of an object", s3route.Address{Bucket: "b", Key: "k"}, "uploads", "POST, GET"},
		{"uploads at a bucket", s3route.Address{Bucket: "b"}, "uploads", "POST, GET"},
		{"tagging of an object", s3route.Address{Bucket: "b", Key: "k"}, "tagging", "DELETE, GET, PUT"},
		{"an upload", s3route.Address{Bucket: "b", Key: "k"}, "uploadId=1", "DELETE, POST, GET"},
		{"a part of an upload", s3route.Address{Bucket: "b", Key: "k"}, "uploadId=1&partNumber=1", "PUT"},
		{"delete", s3route.Address{Bucket: "b"}, "delete", "POST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			query, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := s3route.Allow(tc.a, query, nil); got != tc.want {
				t.Errorf("Allow(%+v, %q) = %q, want %q", tc.a, tc.query, got, tc.want)
			}
		})
	}
}
