// Package s3server is an S3 endpoint for tests: the S3 REST API over
// buckets, objects and multipart uploads, path style and virtual-hosted
// ([Options].Domains), with Amazon S3's bucket CORS in front of every
// request, exactly as package bucket gives it. Go tests start it on
// httptest (see sub-package s3servertest); "s3cors serve" runs it as a
// standalone endpoint for any language, the AWS CLI and browser pages.
//
// A [Server] is an [http.Handler]. Each request gets x-amz-request-id,
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
// With [Options].Inspector, path-style requests under /_s3cors/ that pass
// the Host check are the CORS inspector's pages, not S3 requests (S3
// bucket names cannot begin with "_"); they carry no CORS headers and are
// never shown in it. They are served before authentication: with
// [Options].AccessKey too, the inspector answers without credentials (a
// page in a browser cannot sign), and shows whoever reaches it every
// bucket's CORS configuration and the paths, object keys and queries of
// the requests it records. Leave Inspector off where that matters.
//
// # Operations
//
//   - Service: ListBuckets (GET /; prefix, bucket-region, and pages of
//     max-buckets with a continuation token).
//   - Buckets: CreateBucket (canned x-amz-acl, S3's naming rules,
//     LocationConstraint checked against the region,
//     x-amz-object-ownership ObjectWriter or BucketOwnerPreferred: the
//     server keeps ACLs enabled, so BucketOwnerEnforced, which disables
//     them, is NotImplemented), HeadBucket,
//     DeleteBucket, GetBucketLocation, GetBucketVersioning (never
//     versioned), PutBucketAcl with a canned ACL, GetBucketAcl.
//   - Reads of the configurations the server keeps none of, answered as
//     S3 answers for a bucket without one: GetBucketPolicy,
//     GetBucketPolicyStatus, GetBucketTagging,
//     GetBucketLifecycleConfiguration, GetBucketWebsite,
//     GetBucketReplication, GetObjectLockConfiguration,
//     GetPublicAccessBlock and GetBucketOwnershipControls (404 with S3's
//     code for each); GetBucketEncryption (SSE-S3, S3's default),
//     GetBucketRequestPayment (BucketOwner), GetBucketLogging,
//     GetBucketAccelerateConfiguration and
//     GetBucketNotificationConfiguration (empty).
//   - CORS: PutBucketCors, GetBucketCors, DeleteBucketCors
//     (docs/s3-cors-spec.md §1-§2). PutBucketCors requires Content-MD5 or
//     one x-amz-checksum-* header (crc32, crc32c, crc64nvme, sha1,
//     sha256, sha512, md5, xxhash64, xxhash3, xxhash128) and checks it
//     against the body, then takes S3's
//     verdict from xmlconfig.DecodeXML and bucket.New.
//   - Objects: PutObject (Content-Type, Cache-Control,
//     Content-Disposition, Content-Encoding, Content-Language, Expires,
//     x-amz-meta-*, x-amz-tagging and a canned x-amz-acl stored;
//     user metadata beyond US-ASCII sent back encoded as per RFC 2047,
//     and values no header can carry withheld, in x-amz-missing-meta;
//     Content-MD5 and checksums checked when sent, and a CRC64NVME kept
//     when none is, as S3 keeps one), GetObject and HeadObject (Range,
//     partNumber, conditional headers, response-* overrides,
//     x-amz-tagging-count; checksum headers when x-amz-checksum-mode is
//     ENABLED), GetObjectAttributes (ETag, Checksum, ObjectParts,
//     StorageClass, ObjectSize; the parts of a COMPOSITE upload, paged),
//     DeleteObject, DeleteObjects, GetObjectAcl (the canned ACL the object
//     was given), CopyObject (x-amz-copy-source URL-encoded,
//     with ?versionId=null; x-amz-metadata-directive and
//     x-amz-tagging-directive COPY or REPLACE; x-amz-copy-source-if-*
//     conditions; an object copied onto itself only with REPLACE,
//     x-amz-storage-class or x-amz-server-side-encryption).
//     PutObject, CopyObject and CompleteMultipartUpload take S3's
//     conditional writes, If-None-Match: * or If-Match (501
//     NotImplemented for both), judged as the object is made (412
//     PreconditionFailed, or 404 NoSuchKey for If-Match over a free
//     key); DeleteObject takes If-Match, and
//     DeleteObjects an ETag for an object.
//     PutObject and UploadPart take aws-chunked bodies
//     (x-amz-content-sha256 STREAMING-...), decoded as they stream by
//     package sigv, chunk and trailer signatures checked when the server
//     has keys; signed chunks also without Content-Encoding: aws-chunked,
//     as aws-sdk-java v1 sends them and S3 takes them.
//   - Tags: GetObjectTagging, PutObjectTagging (Content-MD5 or a
//     checksum required), DeleteObjectTagging; S3's limits (10 tags, keys
//     of 1 to 128 and values of at most 256 characters of letters,
//     digits, white space and "_.:/=+-@", no "aws:" keys, no key twice)
//     with its errors (BadRequest, InvalidTag, InvalidArgument for a
//     malformed x-amz-tagging).
//   - Multipart uploads: CreateMultipartUpload (the object's headers,
//     metadata, tags and ACL kept for completion; x-amz-checksum-algorithm
//     and x-amz-checksum-type), UploadPart, UploadPartCopy
//     (x-amz-copy-source-range), CompleteMultipartUpload (S3's checks:
//     InvalidPart, InvalidPartOrder, EntityTooSmall for a part but the
//     last under 5 MiB, the part checksums of a COMPOSITE upload, and
//     the checksum a part of an upload without an algorithm was sent
//     with, as SDKs send one by default,
//     x-amz-mp-object-size; the ETag is the MD5 of the parts' MD5s, "-N";
//     the checksum COMPOSITE, or FULL_OBJECT combined from the parts' CRCs
//     without reading them again), AbortMultipartUpload, ListParts,
//     ListMultipartUploads.
//   - POST Object, the browser's form upload (post.go): the form's
//     policy and SigV4 or SigV2 signature, its conditions, ${filename}
//     in any field, stored headers, x-amz-meta-*, acl, tagging, checksums,
//     success_action_status and success_action_redirect; an unsigned
//     form is allowed where an unsigned PutObject is, unless it has a
//     policy, which needs the credential (InvalidArgument).
//   - Listings: ListObjects, ListObjectsV2 (prefix, delimiter, max-keys,
//     marker, start-after, continuation-token, fetch-owner,
//     encoding-type=url) and ListObjectVersions in the form S3 gives for
//     a bucket that was never versioned (one "null" version per key).
//
// Every other operation S3 has (package internal/s3route names them:
// PutBucketPolicy, PutObjectRetention, PutBucketVersioning, ...) is
// answered 501 NotImplemented once its bucket is found (a missing one is
// NoSuchBucket, as on S3), and so is a request with a header (or a
// form field) asking for what the server does not do: customer-provided
// or KMS encryption keys, object lock, a storage class other than
// STANDARD, a website redirect, explicit ACL grants, ACLs disabled
// (BucketOwnerEnforced), an append (x-amz-write-offset-bytes); the
// error names the header, as S3's NotImplemented does. Other methods,
// and GetObjectTorrent, which S3 refuses so, get 405 MethodNotAllowed,
// with S3's Allow header naming the methods the service, bucket, object
// or subresource takes, and the ResourceType S3 names (SERVICE, BUCKET,
// OBJECT, or the subresource's: ACL, OBJECT_TAGGING, ...); both carry
// CORS headers when a rule admits the request.
//
// # Encryption
//
// S3 has encrypted every new object with SSE-S3 since January 2023 and
// says so: x-amz-server-side-encryption: AES256 on every PutObject,
// CopyObject, multipart operation, GetObject and HeadObject. The server
// sends the same header and takes the same request header (AES256),
// storing objects as they come; aws:kms and aws:kms:dsse are refused
// with NotImplemented naming the header, never accepted and ignored.
//
// # Addressing
//
// Requests name their bucket by path (http://HOST/BUCKET/KEY) or, under
// one of [Options].Domains, by host (http://BUCKET.localhost:9000/KEY),
// as package internal/s3route reads them; Signature Version 2 signs
// such a request's bucket into its resource. A domain and the names
// under it pass the Host check of [Options].AllowedHosts.
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
//     sign with it. A presigned URL's content-type, content-md5 and
//     x-amz-* parameters (but x-amz-checksum-*), which botocore moves
//     there from the headers it signs, are read as the request's
//     headers once the signature is verified, where it did not send the
//     header itself; without keys, those of any URL of that shape
//     (AWSAccessKeyId or Signature in the query) are, unverified.
//
// A session token (x-amz-security-token, in a header, a presigned URL or
// a POST form) is not checked, by choice: a request signed with the
// server's keys is taken with any token, where S3 answers InvalidToken
// to long-term keys sent with a token it did not issue. Browser apps sign
// with temporary STS or Cognito credentials, which always carry a token;
// given the server's keys and any token, they run unchanged. The token
// is signed like any header, so it never stands in for the signature.
//
// Unsigned requests are then anonymous and allowed only as the bucket's
// canned ACL allows: public-read allows GetObject, HeadObject, HeadBucket
// and the listings; public-read-write also PutObject, DeleteObject and
// DeleteObjects. An object uploaded public-read (or public-read-write)
// may be read, GetObject and HeadObject, in any bucket, as on S3. A
// bucket's public-read reading every object is serve's deviation: on S3
// it grants the listing only, and objects are read by their own ACL or
// a bucket policy, which serve does not have. Everything else, bucket configuration included, needs a
// signature. Failures are S3's: AccessDenied, SignatureDoesNotMatch
// (with the StringToSign S3 reports, and for version 4 the
// CanonicalRequest), InvalidAccessKeyId, RequestTimeTooSkewed,
// XAmzContentSHA256Mismatch, AuthorizationHeaderMalformed,
// AuthorizationQueryParametersError, and InvalidArgument for a malformed
// version 2 header, an unknown scheme or two mechanisms at once.
//
// Every bucket is owned by the server's one account, [Options].AccountID
// ([DefaultAccountID] unless set). S3's bucket owner condition is
// checked once the bucket is found: x-amz-expected-bucket-owner (and a
// copy's x-amz-source-expected-bucket-owner) naming another account is
// 403 AccessDenied, and a value that is not an account ID 400
// InvalidBucketOwnerAWSAccountID; CreateBucket and ListBuckets ignore
// it, as S3 does.
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
//	buckets/NAME/uploads/ID/upload.json      a multipart upload: the object it makes, its checksum algorithm
//	buckets/NAME/uploads/ID/part-NNNNN       one file per part, in the form of an object file
//
// An object file holds the data, then its metadata as JSON (key, size,
// ETag, Last-Modified, Content-Type, stored headers, user metadata; the
// header values that are not valid UTF-8 also under "raw", in base64, as
// a JSON string cannot hold them), then the JSON's length (8 bytes,
// big-endian) and the magic "s3corsO1". Data and metadata share one file
// so that one rename replaces both.
//
// Every write is atomic: a temporary file (named ".s3cors-tmp-...") in
// the target's directory, written, synced, renamed over the target, and
// the directory synced; a bucket is made under a temporary name and
// renamed into place, and renamed away before it is removed. A crash
// leaves the old state or the new, never a torn one, and the temporary
// files it leaves are removed when a Server next opens the directory.
// [New] reads every bucket back and compiles its CORS configuration again
// with [bucket.New].
//
// A write is answered only once it is durable: the file synced before
// its rename, the directory synced after it. Writes do not queue behind
// one another: the file is written and synced with no lock held, the
// rename and the change to the index are made together under a lock of
// the object's key (or upload, or bucket configuration), held that long
// only, and the directory's sync comes after the lock is released, shared
// by the writes made in the directory meanwhile (group commit): each
// waits for a sync that started after its rename, so that sharing never
// answers a write before it is durable. The writes of a bucket's
// configuration (CORS, ACL), which are few, are the exception: they are
// made one at a time, file and sync included, and a DeleteBucket waits
// for the one on its way, so that none makes its file in the directory
// of a bucket being removed, where it would be left. Making or deleting
// a bucket holds no other bucket's requests up either: the index of
// buckets is locked only to add one or to rename one away, not while a
// new bucket's directory is synced or a deleted one's files are removed.
//
// Files named ".s3cors-spare-..." are the files of small objects and
// configurations replaced or removed, kept by a running server to be
// written again as the next ones instead of new files; they hold nothing,
// and are removed when the server stops or next opens the directory.
//
// The data of small objects (files up to 64 KiB) is kept in memory once
// read, 32 MiB of it at most, and dropped when the object is replaced or
// removed, so that reading one again takes no file operation.
//
// A part is streamed to its file, synced and renamed into place before
// it is acknowledged, so it survives a crash. A completion joins the
// parts into a temporary object file (copy_file_range: the bytes never
// enter the process), whose rename is the one moment the object appears,
// whole; once that rename is durable, the upload's directory is renamed
// away and removed. The object records the ID of the upload that made
// it, so an upload left behind by a crash between the two renames is
// removed when the server starts.
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
// PutObject and a POST form take an object of at most
// [Options.MaxObjectSize], by default [MaxObjectSize] (64 MiB; S3 takes
// 5 GiB), up to [MaxObjectSizeLimit] (5 GiB) on disk, where bodies
// stream to files, and [MaxMemoryObjectSizeLimit] (1 GiB) in memory, and
// answer S3's EntityTooLarge beyond it, its log line noting that the
// limit is the server's; a part at most [MaxPartSize] (S3's
// 5 GiB) on disk, and in memory at most [MaxMemoryPartSize] (64 MiB),
// the parts of one upload [MaxMemoryUploadSize] (1 GiB) together; a
// CompleteMultipartUpload body 4 MiB and [MaxParts] parts; a copy 5 GiB; PutBucketCors 64 KiB
// (MaxMessageLengthExceeded); CreateBucket and PutBucketAcl bodies 64 KiB;
// DeleteObjects 8 MiB and 1000 keys. Keys are at most 1024 bytes of UTF-8
// (KeyTooLongError), user metadata 2 KB (MetadataTooLarge). Every body is
// read through a limit, never whole before its size is known. The
// DeleteObjects and CompleteMultipartUpload bodies, read whole, share a
// budget of 64 MiB across all requests: past it a request gets S3's 503
// SlowDown, which the AWS SDKs retry, before its body is read, so that
// many clients cannot make the server hold their bodies without bound;
// and each must come whole within a minute, however short its pauses,
// else RequestTimeout, so that slow clients cannot keep the budget.
//
// # Deviations from S3
//
// S3's static-website endpoint (spec §3.4), which applies the same CORS
// rules, is not served. There is one account, and no IAM, bucket policy,
// versioning, object lock, explicit ACL grants or Signature Version 4A
// (ECDSA) streaming; objects are stored as they come, not encrypted,
// while reported as SSE-S3 (see Encryption). An object's canned ACL is
// reported by GetObjectAcl, and a public one honoured (see Authentication). Error documents carry
// no Resource element, as none of S3's captured errors does. Owners
// carry an ID and no DisplayName, which S3 stopped sending in 2025.
// ACLs are honoured on buckets created with them, as before April 2023
// when S3 disabled ACLs on new buckets by default. Session tokens are
// not checked (see Authentication). Choices S3 was never
// seen making are marked UNVERIFIED in the code.
package s3server
