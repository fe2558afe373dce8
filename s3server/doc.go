// Package s3server is an S3 endpoint for tests: the path-style S3 REST API
// over buckets and objects, with Amazon S3's bucket CORS in front of
// every request, exactly as package bucket gives it. Go tests start it on
// httptest (see sub-package s3servertest); "s3cors serve" runs it as a
// standalone endpoint for any language, the AWS CLI and browser pages.
//
// A [Server] is an http.Handler. Each request gets x-amz-request-id,
// x-amz-id-2 and "Server: AmazonS3"; a Host not in [Options].AllowedHosts
// is refused first, before anything else; then the [bucket.Middleware]
// answers preflights (OPTIONS, never authenticated, any query ignored)
// and puts S3's CORS headers on every actual request a rule admits,
// errors included; then the request is authenticated and its operation
// runs. A preflight to the service endpoint (OPTIONS /) gets 403, as S3
// never makes the service CORS-enabled. A write the storage cannot make
// (a full disk, a read-only directory) is answered 500 InternalError and
// leaves the state as it was, but for a failed directory sync after a
// rename, which serves the new state whole.
// Errors are S3's error documents (Content-Type application/xml) with
// S3's codes, messages and extra elements, as [s3err.Error] writes
// them.
//
// # Operations
//
//   - Service: ListBuckets (GET /).
//   - Buckets: CreateBucket (canned x-amz-acl, S3's naming rules,
//     LocationConstraint checked against the region), HeadBucket,
//     DeleteBucket, GetBucketLocation, GetBucketVersioning (never
//     versioned), PutBucketAcl with a canned ACL, GetBucketAcl.
//   - CORS: PutBucketCors, GetBucketCors, DeleteBucketCors
//     (docs/s3-cors-spec.md §1-§2). PutBucketCors requires Content-MD5 or
//     one x-amz-checksum-* header (crc32, crc32c, crc64nvme, sha1,
//     sha256, sha512) and checks it against the body, then takes S3's
//     verdict from xmlconfig.DecodeXML and bucket.New.
//   - Objects: PutObject (Content-Type, Cache-Control,
//     Content-Disposition, Content-Encoding, Content-Language, Expires and
//     x-amz-meta-* stored; Content-MD5 and checksums checked when sent),
//     GetObject and HeadObject (Range, conditional headers,
//     response-* overrides; no checksum headers), DeleteObject,
//     DeleteObjects, GetObjectAcl (every object is private). PutObject
//     takes aws-chunked bodies (x-amz-content-sha256 STREAMING-...),
//     decoded as they stream by package sigv, chunk and trailer
//     signatures checked when the server has keys.
//   - POST Object, the browser's form upload (post.go): the form's
//     policy and SigV4 or SigV2 signature, its conditions, key with
//     ${filename}, stored headers, x-amz-meta-*, acl, checksums,
//     success_action_status and success_action_redirect; an unsigned
//     form is allowed where an unsigned PutObject is.
//   - Listings: ListObjects, ListObjectsV2 (prefix, delimiter, max-keys,
//     marker, start-after, continuation-token, fetch-owner,
//     encoding-type=url) and ListObjectVersions in the form S3 gives for
//     a bucket that was never versioned (one "null" version per key).
//
// Other subresources (?policy, ?tagging, ?uploads, ...), CopyObject, and a
// form's tagging or x-amz-* fields the server does not serve are
// answered 501 NotImplemented, other methods 405 MethodNotAllowed, both
// with CORS headers when a rule admits the request.
//
// # Authentication
//
// With no keys in [Options], every request is allowed and signatures are
// not looked at. With AccessKey and SecretKey, requests other than
// OPTIONS are checked for a signature of either version S3 takes:
//
//   - AWS Signature Version 4, in the Authorization header (X-Amz-Date
//     or Date within 15 minutes; x-amz-content-sha256 required and,
//     unless UNSIGNED-PAYLOAD, checked against the body as it is read)
//     or in a presigned URL (X-Amz-Expires up to a week; expired URLs
//     refused).
//   - AWS Signature Version 2, in the header "Authorization: AWS
//     AccessKeyId:Signature" (x-amz-date or Date within 15 minutes) or
//     in a presigned URL (AWSAccessKeyId, Expires, Signature; refused
//     once Expires is past). The string to sign is S3's: the method,
//     Content-MD5, Content-Type, the date (empty when x-amz-date is
//     sent, Expires when presigned), the x-amz-* headers, then the path
//     as sent with the subresources S3 signs (acl, cors, delete,
//     uploads, versionId, the response-* overrides, ...). S3 turned
//     version 2 off for buckets made after June 24, 2020; this server
//     takes it on every bucket, for the clients and suites that still
//     sign with it.
//
// Unsigned requests are then anonymous and allowed only as the bucket's
// canned ACL allows: public-read allows GetObject, HeadObject, HeadBucket
// and the listings; public-read-write also PutObject, DeleteObject and
// DeleteObjects. Everything else, bucket configuration included, needs a
// signature. Failures are S3's: AccessDenied, SignatureDoesNotMatch
// (with the StringToSign S3 reports, and for version 4 the
// CanonicalRequest), InvalidAccessKeyId, RequestTimeTooSkewed,
// XAmzContentSHA256Mismatch, AuthorizationHeaderMalformed,
// AuthorizationQueryParametersError, and InvalidArgument for a malformed
// version 2 header, an unknown scheme or two mechanisms at once.
//
// # Storage
//
// With [Options.InMemory] everything lives in memory. Otherwise the state
// lives under [Options.DataDir]:
//
//	s3cors.lock                     the lock one server at a time holds
//	buckets/NAME/bucket.json        creation date and canned ACL
//	buckets/NAME/cors.xml           the PutBucketCors body, as received, when set
//	buckets/NAME/objects/SHA256HEX  one file per object
//
// An object file holds the data, then its metadata as JSON (key, size,
// ETag, Last-Modified, Content-Type, stored headers, user metadata), then
// the JSON's length (8 bytes, big-endian) and the magic "s3corsO1". Data
// and metadata share one file so that one rename replaces both.
//
// Every write is atomic: a temporary file (named ".s3cors-tmp-...") in
// the target's directory, written, synced, renamed over the target, and
// the directory synced; a bucket is made under a temporary name and
// renamed into place, and renamed away before it is removed. A crash
// leaves the old state or the new, never a torn one, and the temporary
// files it leaves are removed when a Server next opens the directory.
// New reads every bucket back and compiles its CORS configuration again
// with bucket.New.
//
// One server at a time may use a data directory: [New] takes an
// exclusive lock on s3cors.lock (flock(2); on Windows the file is opened
// without sharing), which [Server.Close], or the end of the process,
// however it ends, releases. A second server on the same directory, in
// this process or another, gets an error naming the directory.
//
// No name from a request reaches the file system: bucket names follow
// S3's rules (lower-case letters, digits, '.' and '-') before any path is
// built from them, and an object is stored under the SHA-256 of its key,
// so no "..", '/', NUL or length in a key matters. Every file operation
// goes through an os.Root opened on the data directory, which refuses
// any path leading out of it.
//
// # Limits
//
// PutObject takes at most [MaxObjectSize] (64 MiB; S3 takes 5 GiB) and
// answers EntityTooLarge beyond it; PutBucketCors 64 KiB
// (MaxMessageLengthExceeded); CreateBucket and PutBucketAcl bodies 64 KiB;
// DeleteObjects 2 MiB and 1000 keys. Keys are at most 1024 bytes of UTF-8
// (KeyTooLongError), user metadata 2 KB (MetadataTooLarge). Every body is
// read through a limit, never whole before its size is known.
//
// # Deviations from S3
//
// Only path-style requests are served (http://HOST/BUCKET/KEY), not
// virtual-hosted ones, and not S3's static-website endpoint (spec §3.4),
// which applies the same CORS rules. There is one account, and no IAM,
// bucket policy, versioning, multipart upload, object ACL, CopyObject or
// Signature Version 4A (ECDSA) streaming; objects are not encrypted. Error documents carry
// no Resource element, as none of S3's captured errors does. Owners
// carry an ID and no DisplayName, which S3 stopped sending in 2025.
// ACLs are honoured on buckets created with them, as before April 2023
// when S3 disabled ACLs on new buckets by default. Choices S3 was never
// seen making are marked UNVERIFIED in the code.
package s3server
