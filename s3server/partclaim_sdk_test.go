package s3server_test

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestSDKPartChecksumWithoutAlgorithm drives the flow of
// aws/aws-sdk-go-v2#3005 and aws/aws-sdk-java-v2#6518, both against S3,
// with aws-sdk-go-v2: an upload created without a checksum algorithm
// whose part is sent with a CRC32, as SDKs send one by default since
// 2025. S3 then finds the part only with its checksum listed in the
// completion: listed by its ETag alone, it is InvalidPart. A part sent
// without a checksum is found by its ETag, as before. Checksums are
// computed here with the standard library.
func TestSDKPartChecksumWithoutAlgorithm(t *testing.T) {
	t.Parallel()
	_, client := diskSDKServer(t)
	bucket := aws.String("part-claims")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket})))
	data := randomBytes(5<<20+100, 21)
	first, last := data[:5<<20], data[5<<20:]
	crc32First := sum64("CRC32", first)
	crc32cFirst := sum64("CRC32C", first)
	for _, tc := range []struct {
		name      string
		algorithm types.ChecksumAlgorithm // of part 1's UploadPart
		listed    types.CompletedPart     // part 1's checksums in the completion
		code      string                  // "" for success
	}{
		{"listed by its ETag alone", types.ChecksumAlgorithmCrc32, types.CompletedPart{}, "InvalidPart"},
		{"listed with its checksum", types.ChecksumAlgorithmCrc32, types.CompletedPart{ChecksumCRC32: aws.String(crc32First)}, ""},
		{"listed with another value", types.ChecksumAlgorithmCrc32, types.CompletedPart{ChecksumCRC32: aws.String(sum64("CRC32", last))}, "InvalidPart"},
		{"listed with another algorithm", types.ChecksumAlgorithmCrc32, types.CompletedPart{ChecksumCRC32C: aws.String(crc32cFirst)}, "InvalidPart"},
		{"sent without a checksum", "", types.CompletedPart{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			key := aws.String(tc.name)
			created, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key})
			if err != nil {
				t.Fatal(err)
			}
			p1, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(first), ChecksumAlgorithm: tc.algorithm})
			if err != nil {
				t.Fatal(err)
			}
			if tc.algorithm != "" && aws.ToString(p1.ChecksumCRC32) != crc32First {
				t.Errorf("UploadPart answered CRC32 %q, want %q", aws.ToString(p1.ChecksumCRC32), crc32First)
			}
			p2, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				PartNumber: aws.Int32(2), Body: bytes.NewReader(last)})
			if err != nil {
				t.Fatal(err)
			}
			listed := tc.listed
			listed.PartNumber, listed.ETag = aws.Int32(1), p1.ETag
			done, err := client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{listed, {PartNumber: aws.Int32(2), ETag: p2.ETag}}}})
			if tc.code != "" {
				if code, status := apiError(t, err); code != tc.code || status != 400 {
					t.Fatalf("CompleteMultipartUpload: %s %d, want %s 400", code, status, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := sum64("CRC64NVME", data); aws.ToString(done.ChecksumCRC64NVME) != want || done.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("completed with CRC64NVME %q %s, want %q FULL_OBJECT", aws.ToString(done.ChecksumCRC64NVME), done.ChecksumType, want)
			}
			if _, body := getAll(t, client, "part-claims", *key); !bytes.Equal(body, data) {
				t.Error("GetObject: another body")
			}
		})
	}
}
