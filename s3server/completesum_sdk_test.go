package s3server_test

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSDKCompleteChecksumWithoutAlgorithm completes an upload created
// without a checksum algorithm with a CRC64NVME of the whole that is not
// the object's: S3 ignores it and keeps the one it computes, as it
// checks the checksum of the whole only for an upload created with an
// algorithm (localstack's provider, checked against S3; versitygw's
// CompleteMultipartUpload_should_ignore_the_final_checksum). With an
// algorithm, a wrong one is BadDigest.
func TestSDKCompleteChecksumWithoutAlgorithm(t *testing.T) {
	t.Parallel()
	_, client := diskSDKServer(t)
	bucket := aws.String("final-sums")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket})))
	data := randomBytes(1000, 22)
	wrong := sum64("CRC64NVME", data[1:])
	for _, tc := range []struct {
		name      string
		algorithm types.ChecksumAlgorithm
		code      string // "" for success
	}{
		{"without an algorithm", "", ""},
		{"with CRC64NVME", types.ChecksumAlgorithmCrc64nvme, "BadDigest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key := aws.String(tc.name)
			created, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key, ChecksumAlgorithm: tc.algorithm})
			if err != nil {
				t.Fatal(err)
			}
			part, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(data)})
			if err != nil {
				t.Fatal(err)
			}
			done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				ChecksumCRC64NVME: aws.String(wrong), MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC64NVME: part.ChecksumCRC64NVME}}}})
			if tc.code != "" {
				if code, status := apiError(t, err); code != tc.code || status != 400 {
					t.Fatalf("CompleteMultipartUpload: %s %d, want %s 400", code, status, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := sum64("CRC64NVME", data); aws.ToString(done.ChecksumCRC64NVME) != want {
				t.Errorf("completed with CRC64NVME %q, want the object's %q", aws.ToString(done.ChecksumCRC64NVME), want)
			}
		})
	}
}
