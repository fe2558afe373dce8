package s3server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3server"
)

// TestSDKExpectedBucketOwner sends S3's bucket owner condition with
// aws-sdk-go-v2 (ExpectedBucketOwner, ExpectedSourceBucketOwner): the
// server's account passes, another account is 403 AccessDenied and a
// value that is not an account ID 400 InvalidBucketOwnerAWSAccountID,
// as S3 answers them, and nothing is written.
func TestSDKExpectedBucketOwner(t *testing.T) {
	t.Parallel()
	_, client := sdkServer(t)
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned")})))
	mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("v")})))
	const other = "111122223333"
	bkt, key := aws.String("owned"), aws.String("k")
	for _, c := range []struct {
		name       string
		call       func(owner *string) error
		written    string // a key the call must not have made when it fails
		wantCode   string
		wantStatus int
		owner      string
	}{
		{"ListObjectsV2, the server's account", func(o *string) error {
			return sdkErr(client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bkt, ExpectedBucketOwner: o}))
		}, "", "", 200, s3server.DefaultAccountID},
		{"ListObjectsV2, another account", func(o *string) error {
			return sdkErr(client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bkt, ExpectedBucketOwner: o}))
		}, "", "AccessDenied", 403, other},
		{"GetObject, another account", func(o *string) error {
			return sdkErr(client.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: key, ExpectedBucketOwner: o}))
		}, "", "AccessDenied", 403, other},
		{"PutObject, another account", func(o *string) error {
			return sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: aws.String("put-other"), Body: strings.NewReader("x"), ExpectedBucketOwner: o}))
		}, "put-other", "AccessDenied", 403, other},
		{"PutObject, the server's account", func(o *string) error {
			return sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: aws.String("put-own"), Body: strings.NewReader("x"), ExpectedBucketOwner: o}))
		}, "", "", 200, s3server.DefaultAccountID},
		{"PutObject, letters", func(o *string) error {
			return sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: aws.String("put-abc"), Body: strings.NewReader("x"), ExpectedBucketOwner: o}))
		}, "put-abc", "InvalidBucketOwnerAWSAccountID", 400, "abcd"},
		{"PutObject, 13 digits", func(o *string) error {
			return sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: bkt, Key: aws.String("put-13"), Body: strings.NewReader("x"), ExpectedBucketOwner: o}))
		}, "put-13", "InvalidBucketOwnerAWSAccountID", 400, "0000000000020"},
		{"DeleteObjects, another account", func(o *string) error {
			return sdkErr(client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: bkt, ExpectedBucketOwner: o,
				Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: key}}}}))
		}, "", "AccessDenied", 403, other},
		{"CreateMultipartUpload, another account", func(o *string) error {
			return sdkErr(client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("mpu"), ExpectedBucketOwner: o}))
		}, "", "AccessDenied", 403, other},
		{"CopyObject, source of another account", func(o *string) error {
			return sdkErr(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bkt, Key: aws.String("copy-other"), CopySource: aws.String("owned/k"),
				ExpectedBucketOwner: aws.String(s3server.DefaultAccountID), ExpectedSourceBucketOwner: o}))
		}, "copy-other", "AccessDenied", 403, other},
		{"CopyObject, source of the server's account", func(o *string) error {
			return sdkErr(client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: bkt, Key: aws.String("copy-own"), CopySource: aws.String("owned/k"), ExpectedSourceBucketOwner: o}))
		}, "", "", 200, s3server.DefaultAccountID},
		{"GetBucketCors, another account", func(o *string) error {
			return sdkErr(client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: bkt, ExpectedBucketOwner: o}))
		}, "", "AccessDenied", 403, other},
		{"a missing bucket, another account", func(o *string) error {
			return sdkErr(client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("missing"), Key: key, ExpectedBucketOwner: o}))
		}, "", "NoSuchBucket", 404, other},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.call(aws.String(c.owner))
			if c.wantCode == "" {
				mustOK(t, err)
				return
			}
			if err == nil {
				t.Fatalf("succeeded, want %d %s", c.wantStatus, c.wantCode)
			}
			if code, status := apiError(t, err); code != c.wantCode || status != c.wantStatus {
				t.Errorf("got %d %s, want %d %s", status, code, c.wantStatus, c.wantCode)
			}
			if c.written != "" {
				_, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bkt, Key: aws.String(c.written)})
				if err == nil {
					t.Errorf("%s was written", c.written)
				}
			}
		})
	}
	// HeadBucket's 403 has no body: the SDK sees the status alone.
	_, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: bkt, ExpectedBucketOwner: aws.String(other)})
	if _, status := apiError(t, err); status != 403 {
		t.Errorf("HeadBucket, another account: %v, want 403", err)
	}
}

// TestExpectedBucketOwnerWire checks the error documents on the wire,
// and that CreateBucket and ListBuckets ignore the header, as AWS's
// "Bucket owner condition" says S3 does.
func TestExpectedBucketOwnerWire(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{InMemory: true})
	mustStatus(t, ts.do("PUT", "/owned", nil, "x-amz-expected-bucket-owner", "111122223333"), 200)
	mustStatus(t, ts.do("GET", "/", nil, "x-amz-expected-bucket-owner", "111122223333"), 200)
	for _, c := range []struct {
		name, value string
		status      int
		want        string
	}{
		{"empty", "", 400, errorDoc("InvalidBucketOwnerAWSAccountID", "The value of the expected bucket owner parameter must be an AWS Account ID... []")},
		{"short", "0000", 400, errorDoc("InvalidBucketOwnerAWSAccountID", "The value of the expected bucket owner parameter must be an AWS Account ID... [0000]")},
		{"another account", "444455556666", 403, errorDoc("AccessDenied", "Access Denied")},
		// UNVERIFIED: 12 letters are a well-formed ID of another account
		// (ownerIDForm), as localstack takes them.
		{"twelve letters", "abcdefghijkl", 403, errorDoc("AccessDenied", "Access Denied")},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do("GET", "/owned?list-type=2", nil, "x-amz-expected-bucket-owner", c.value), c.status, c.want)
		})
	}
}

// TestAccountIDOption gives the server an account of its own: it owns
// the buckets, and the default account no longer does.
func TestAccountIDOption(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{InMemory: true, AccountID: "111122223333"})
	mustStatus(t, ts.do("PUT", "/owned", nil), 200)
	mustStatus(t, ts.do("GET", "/owned?list-type=2", nil, "x-amz-expected-bucket-owner", "111122223333"), 200)
	mustStatus(t, ts.do("GET", "/owned?list-type=2", nil, "x-amz-expected-bucket-owner", s3server.DefaultAccountID), 403)
	for _, id := range []string{"abcdefghijkl", "11112222333", "1111222233334", " 11122223333"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			if _, err := s3server.New(s3server.Options{InMemory: true, AccountID: id}); err == nil {
				t.Errorf("New took AccountID %q", id)
			}
		})
	}
}
