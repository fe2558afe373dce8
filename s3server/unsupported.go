package s3server

import (
	"net/http"
	"strings"

	"github.com/s3cors/s3cors/s3err"
)

// Server-side encryption. S3 has encrypted every new object with SSE-S3
// (AES256) since January 2023, and says so in x-amz-server-side-encryption
// on every upload, copy, download and HEAD of an object. This server
// stores objects as they come, on a test machine, and answers as S3 does:
// it takes x-amz-server-side-encryption: AES256 (which asks for what is
// done anyway) and sends the header back on every object response. Every
// other kind of encryption needs keys the server does not keep (aws:kms,
// aws:kms:dsse, customer-provided keys) and is refused with
// NotImplemented naming the header, never accepted and ignored.
const (
	hdrSSE = "x-amz-server-side-encryption"
	sseS3  = "AES256"
)

// setSSE puts S3's encryption header on an object response.
func setSSE(h http.Header) { h[hdrSSE] = sseAES256 }

var sseAES256 = []string{sseS3}

// unsupportedPrefixes and unsupportedHeaders name the request headers
// (canonical) that ask for what the server does not do, on any request:
// customer-provided encryption keys, object lock, KMS keys, website
// redirects, explicit ACL grants, appends.
var (
	unsupportedPrefixes = []string{
		"X-Amz-Server-Side-Encryption-Customer-",
		"X-Amz-Copy-Source-Server-Side-Encryption-Customer-",
		"X-Amz-Object-Lock-",
		"X-Amz-Grant-", // ACL grants beyond the canned ACLs
	}
	unsupportedHeaders = []string{
		"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id",
		"X-Amz-Server-Side-Encryption-Context",
		"X-Amz-Server-Side-Encryption-Bucket-Key-Enabled",
		"X-Amz-Website-Redirect-Location",
		// PutObject's append at an offset, which S3 does in directory
		// buckets only; taken, it would overwrite the object with the
		// bytes to append.
		"X-Amz-Write-Offset-Bytes",
	}
)

// storageClasses are S3's storage classes; only STANDARD is served.
var storageClasses = []string{"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
	"GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS", "FSX_ONTAP"}

// checkUnsupported refuses a request whose headers ask for what the
// server does not implement, with S3's NotImplemented naming the header.
// For an operation that writes an object (object set) it also judges
// x-amz-server-side-encryption, x-amz-storage-class and, on
// CreateBucket, object lock.
func checkUnsupported(h http.Header, object bool) error {
	for name := range h {
		if !strings.HasPrefix(name, "X-Amz-") {
			continue
		}
		for _, p := range unsupportedPrefixes {
			if strings.HasPrefix(name, p) {
				return errNotImplementedHeader(strings.ToLower(name))
			}
		}
		for _, u := range unsupportedHeaders {
			if name == u {
				return errNotImplementedHeader(strings.ToLower(name))
			}
		}
	}
	if v, ok := h["X-Amz-Bucket-Object-Lock-Enabled"]; ok && !strings.EqualFold(strings.Join(v, ","), "false") {
		return errNotImplementedHeader("x-amz-bucket-object-lock-enabled")
	}
	if !object {
		return nil
	}
	if v, ok := h["X-Amz-Server-Side-Encryption"]; ok {
		switch value := strings.Join(v, ","); value {
		case sseS3:
		case "aws:kms", "aws:kms:dsse":
			return errNotImplementedHeader(hdrSSE)
		default:
			// UNVERIFIED: S3's answer to an unknown algorithm, as S3
			// emulators give it.
			return s3err.InvalidArgument("The encryption method specified is not supported", hdrSSE, value)
		}
	}
	if v, ok := h["X-Amz-Storage-Class"]; ok {
		switch value := strings.Join(v, ","); {
		case value == "STANDARD":
		case validStorageClass(value):
			return errNotImplementedHeader("x-amz-storage-class")
		default:
			return s3err.New(http.StatusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid",
				"StorageClassRequested", value)
		}
	}
	return nil
}

// hdrObjectOwnership is CreateBucket's header setting the bucket's
// Object Ownership.
const hdrObjectOwnership = "x-amz-object-ownership"

// checkObjectOwnership judges CreateBucket's x-amz-object-ownership.
// The server keeps ACLs enabled, in one account: ObjectWriter, and
// BucketOwnerPreferred, which differs from it only for objects another
// account writes, are what it does. BucketOwnerEnforced, S3's default
// since April 2023, disables ACLs, which the server would go on
// honouring (a PutObject's public-read): NotImplemented naming the
// header, rather than a bucket made and the header ignored. Any other
// value is S3's InvalidArgument.
//
// UNVERIFIED: S3's answer to a value it does not know was not captured;
// its message, and the argument named without its value, are those of
// LocalStack and versitygw, which compare their answers with S3's.
// Values are compared as written, as the SDKs' enum spells them.
func checkObjectOwnership(h http.Header) error {
	v, ok := h[http.CanonicalHeaderKey(hdrObjectOwnership)]
	if !ok {
		return nil
	}
	switch value := strings.Join(v, ","); value {
	case "ObjectWriter", "BucketOwnerPreferred":
		return nil
	case "BucketOwnerEnforced":
		return errNotImplementedHeader(hdrObjectOwnership)
	default:
		return s3err.New(http.StatusBadRequest, "InvalidArgument", "Invalid "+hdrObjectOwnership+" header: "+value,
			"ArgumentName", hdrObjectOwnership)
	}
}

// validStorageClass reports whether v names one of S3's storage
// classes: those the server does not serve are NotImplemented, not
// InvalidStorageClass.
func validStorageClass(v string) bool {
	for _, c := range storageClasses {
		if v == c {
			return true
		}
	}
	return false
}

// errNotImplementedHeader is S3's answer to a header that asks for what
// it does not implement: 501 NotImplemented with the header named, as S3
// names Transfer-Encoding.
func errNotImplementedHeader(name string) *s3err.Error {
	e := s3err.NotImplemented()
	e.Details = append(e.Details, s3err.Detail{Name: "Header", Value: name})
	return e
}
