package s3server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// attributesView is what a GetObjectAttributes answered, in a form to
// compare.
type attributesView struct {
	ETag, Checksum string
	ChecksumType   types.ChecksumType
	StorageClass   types.StorageClass
	ObjectSize     int64
	Parts          *partsView
}

type partsView struct {
	Total        int32
	Marker, Next string
	MaxParts     int32
	Truncated    bool
	Parts        []partView
}

type partView struct {
	Number   int32
	Size     int64
	Checksum string
}

func viewAttributes(out *s3.GetObjectAttributesOutput) attributesView {
	v := attributesView{ETag: aws.ToString(out.ETag), StorageClass: out.StorageClass, ObjectSize: aws.ToInt64(out.ObjectSize)}
	if c := out.Checksum; c != nil {
		v.Checksum = checksumOf(c.ChecksumCRC32, c.ChecksumCRC32C, c.ChecksumCRC64NVME, c.ChecksumSHA1, c.ChecksumSHA256, c.ChecksumSHA512)
		v.ChecksumType = c.ChecksumType
	}
	if p := out.ObjectParts; p != nil {
		v.Parts = &partsView{Total: aws.ToInt32(p.TotalPartsCount), Marker: aws.ToString(p.PartNumberMarker),
			Next: aws.ToString(p.NextPartNumberMarker), MaxParts: aws.ToInt32(p.MaxParts), Truncated: aws.ToBool(p.IsTruncated)}
		for _, part := range p.Parts {
			v.Parts.Parts = append(v.Parts.Parts, partView{Number: aws.ToInt32(part.PartNumber), Size: aws.ToInt64(part.Size),
				Checksum: checksumOf(part.ChecksumCRC32, part.ChecksumCRC32C, part.ChecksumCRC64NVME, part.ChecksumSHA1, part.ChecksumSHA256, part.ChecksumSHA512)})
		}
	}
	return v
}

// TestSDKGetObjectAttributes asks aws-sdk-go-v2's GetObjectAttributes of
// an object uploaded whole and of multipart uploads with COMPOSITE and
// FULL_OBJECT checksums, as S3 answers it: the ETag without quotes, the
// checksum with its type and without a COMPOSITE one's "-N", the parts
// with their checksums for a COMPOSITE upload only (paged by MaxParts
// and PartNumberMarker), the part count alone for a FULL_OBJECT one, no
// ObjectParts for an object made whole; and S3's errors for no
// attribute, an unknown one and a missing key. Expected values are
// computed here from the bytes.
func TestSDKGetObjectAttributes(t *testing.T) {
	t.Parallel()
	_, client := diskSDKServer(t)
	bucket := aws.String("attrs")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket})))
	whole := randomBytes(1000, 11)
	mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("whole"), Body: bytes.NewReader(whole),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256})))
	const partSize = 5 << 20
	data := randomBytes(2*partSize+1000, 12)
	parts := [][]byte{data[:partSize], data[partSize : 2*partSize], data[2*partSize:]}
	for _, typ := range []types.ChecksumType{types.ChecksumTypeComposite, types.ChecksumTypeFullObject} {
		key := aws.String(string(typ))
		created, err := client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key,
			ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: typ})
		if err != nil {
			t.Fatal(err)
		}
		var completed []types.CompletedPart
		for i, p := range parts {
			out, err := client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: created.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			if err != nil {
				t.Fatal(err)
			}
			completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
		}
		mustOK(t, sdkErr(client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key,
			UploadId: created.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})))
	}
	wholeMD5 := md5.Sum(whole)
	mpETag := strings.Trim(multipartETag(data, partSize), `"`)
	composite, _, _ := strings.Cut(compositeChecksum("CRC32", data, partSize), "-")
	all := []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesChecksum, types.ObjectAttributesObjectParts,
		types.ObjectAttributesStorageClass, types.ObjectAttributesObjectSize}
	partList := []partView{{1, partSize, sum64("CRC32", parts[0])}, {2, partSize, sum64("CRC32", parts[1])}, {3, 1000, sum64("CRC32", parts[2])}}
	for _, tc := range []struct {
		name, key   string
		attrs       []types.ObjectAttributes
		max, marker int32
		want        attributesView
	}{
		{"whole", "whole", all, 0, 0, attributesView{ETag: hex.EncodeToString(wholeMD5[:]), Checksum: sum64("SHA256", whole),
			ChecksumType: types.ChecksumTypeFullObject, StorageClass: types.StorageClassStandard, ObjectSize: 1000}},
		{"only ETag and size", "whole", []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesObjectSize}, 0, 0,
			attributesView{ETag: hex.EncodeToString(wholeMD5[:]), ObjectSize: 1000}},
		{"composite", "COMPOSITE", all, 0, 0, attributesView{ETag: mpETag, Checksum: composite, ChecksumType: types.ChecksumTypeComposite,
			StorageClass: types.StorageClassStandard, ObjectSize: int64(len(data)),
			Parts: &partsView{Total: 3, Marker: "0", Next: "3", MaxParts: 1000, Parts: partList}}},
		{"composite, first page", "COMPOSITE", []types.ObjectAttributes{types.ObjectAttributesObjectParts}, 2, 0,
			attributesView{Parts: &partsView{Total: 3, Marker: "0", Next: "2", MaxParts: 2, Truncated: true, Parts: partList[:2]}}},
		{"composite, last page", "COMPOSITE", []types.ObjectAttributes{types.ObjectAttributesObjectParts}, 2, 2,
			attributesView{Parts: &partsView{Total: 3, Marker: "2", Next: "3", MaxParts: 2, Parts: partList[2:]}}},
		{"full object", "FULL_OBJECT", all, 0, 0, attributesView{ETag: mpETag, Checksum: sum64("CRC32", data),
			ChecksumType: types.ChecksumTypeFullObject, StorageClass: types.StorageClassStandard, ObjectSize: int64(len(data)),
			Parts: &partsView{Total: 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := &s3.GetObjectAttributesInput{Bucket: bucket, Key: aws.String(tc.key), ObjectAttributes: tc.attrs}
			if tc.max > 0 {
				in.MaxParts = aws.Int32(tc.max)
			}
			if tc.marker > 0 {
				in.PartNumberMarker = aws.String(strconv.Itoa(int(tc.marker)))
			}
			out, err := client.GetObjectAttributes(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, viewAttributes(out)); diff != "" {
				t.Errorf("GetObjectAttributes (-want +got):\n%s", diff)
			}
			head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String(tc.key)})
			if err != nil || out.LastModified == nil || !out.LastModified.Equal(aws.ToTime(head.LastModified)) {
				t.Errorf("LastModified %v, HeadObject's %v (%v)", out.LastModified, head, err)
			}
		})
	}
	for _, tc := range []struct {
		name, key     string
		attrs         []types.ObjectAttributes
		code, message string
		status        int
	}{
		{"no attribute", "whole", []types.ObjectAttributes{}, "InvalidRequest",
			"The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty", 400},
		{"an unknown attribute", "whole", []types.ObjectAttributes{types.ObjectAttributesEtag, "Owner"}, "InvalidArgument", "Invalid attribute name specified.", 400},
		{"a missing key", "missing", []types.ObjectAttributes{types.ObjectAttributesEtag}, "NoSuchKey", "The specified key does not exist.", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: bucket, Key: aws.String(tc.key), ObjectAttributes: tc.attrs})
			code, status := apiError(t, err)
			var ae smithy.APIError
			errors.As(err, &ae)
			if code != tc.code || status != tc.status || ae.ErrorMessage() != tc.message {
				t.Errorf("got %s %d %q, want %s %d %q", code, status, ae.ErrorMessage(), tc.code, tc.status, tc.message)
			}
		})
	}
}
