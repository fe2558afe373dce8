package s3server

import (
	"net/http"

	"github.com/s3cors/s3cors/s3err"
)

// S3's messages for the errors this server sends, verbatim where S3 was
// seen sending them.
const (
	msgNoSuchKey          = "The specified key does not exist."
	msgBucketNotEmpty     = "The bucket you tried to delete is not empty"
	msgBucketOwnedByYou   = "Your previous request to create the named bucket succeeded and you already own it."
	msgInvalidRange       = "The requested range is not satisfiable"
	msgPreconditionFailed = "At least one of the pre-conditions you specified did not hold"
	msgMetadataTooLarge   = "Your metadata headers exceed the maximum allowed metadata size"
	msgInvalidVersionID   = "Invalid version id specified"
	msgEmptyVersionID     = "Version id cannot be the empty string"
	msgInvalidMaxKeys     = "Provided max-keys not an integer or within integer range"
	msgInvalidToken       = "The continuation token provided is incorrect"
	msgKeyRequired        = "A key must be specified" // an upload's operation (?uploadId) at a bucket's path
	msgInvalidLocation    = "The specified location-constraint is not valid"
	msgNoSuchVersion      = "The specified version does not exist."

	// S3's messages for multipart uploads (the peers' reports of S3's
	// answers: versitygw#1980, #2035, #2040; arrow-rs#6793).
	msgNoSuchUpload      = "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
	msgInvalidPart       = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
	msgInvalidPartOrder  = "The list of parts was not in ascending order. Parts must be ordered by part number."
	msgInvalidPartNumber = "Part number must be an integer between 1 and 10000, inclusive"

	// S3's messages for copies (versitygw#243, s5cmd#711, MinIO's
	// documentation of S3's rules).
	msgCopySource       = "Copy Source must mention the source bucket and key: sourcebucket/sourcekey"
	msgCopyToItself     = "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
	msgCopyTooLarge     = "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120"
	msgCopySourceRange  = "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy"
	msgUnknownDirective = "Unknown metadata directive."

	// S3's messages for tags (versitygw#1215, #1232, #2039, captured from
	// S3 by its authors).
	msgInvalidTaggingHeader = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."
	msgTooManyTags          = "Object tags cannot be greater than 10"
	msgInvalidTagKey        = "The TagKey you have provided is invalid"
	msgInvalidTagValue      = "The TagValue you have provided is invalid"
	msgDuplicateTagKey      = "Cannot provide multiple Tags with the same key"
	msgReservedTagKey       = "Your TagKey cannot be prefixed with aws:"
)

func errNoSuchKey(key string) *s3err.Error {
	return s3err.New(http.StatusNotFound, "NoSuchKey", msgNoSuchKey, "Key", key)
}

func errBucketNotEmpty(name string) *s3err.Error {
	return s3err.New(http.StatusConflict, "BucketNotEmpty", msgBucketNotEmpty, "BucketName", name)
}

func errBucketOwnedByYou(name string) *s3err.Error {
	return s3err.New(http.StatusConflict, "BucketAlreadyOwnedByYou", msgBucketOwnedByYou, "BucketName", name)
}
