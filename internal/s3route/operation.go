package s3route

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/s3err"
)

// Operation is an S3 API operation, by the name S3's API reference gives
// it ("PutObject", "CreateMultipartUpload", "GetBucketCors").
type Operation string

// The operations [Classify] names. Every operation of S3's REST API on
// general purpose buckets has a name here, whether a server implements it
// or not, so that one that does not can refuse it by name.
const (
	ListBuckets  Operation = "ListBuckets"
	CreateBucket Operation = "CreateBucket"
	HeadBucket   Operation = "HeadBucket"
	DeleteBucket Operation = "DeleteBucket"
	ListObjects  Operation = "ListObjects"
	// ListObjectsV2 is a GET on the bucket with list-type=2.
	ListObjectsV2 Operation = "ListObjectsV2"
	// PostObject is a browser form upload: a POST on the bucket without
	// a subresource.
	PostObject    Operation = "PostObject"
	DeleteObjects Operation = "DeleteObjects"

	GetObject    Operation = "GetObject"
	HeadObject   Operation = "HeadObject"
	PutObject    Operation = "PutObject"
	DeleteObject Operation = "DeleteObject"
	// CopyObject is a PUT on an object with x-amz-copy-source.
	CopyObject Operation = "CopyObject"

	CreateMultipartUpload   Operation = "CreateMultipartUpload"
	UploadPart              Operation = "UploadPart"
	UploadPartCopy          Operation = "UploadPartCopy"
	CompleteMultipartUpload Operation = "CompleteMultipartUpload"
	AbortMultipartUpload    Operation = "AbortMultipartUpload"
	ListParts               Operation = "ListParts"
	ListMultipartUploads    Operation = "ListMultipartUploads"

	GetObjectTagging    Operation = "GetObjectTagging"
	PutObjectTagging    Operation = "PutObjectTagging"
	DeleteObjectTagging Operation = "DeleteObjectTagging"
	GetObjectAcl        Operation = "GetObjectAcl"
	PutObjectAcl        Operation = "PutObjectAcl"
	GetObjectAttributes Operation = "GetObjectAttributes"
	GetObjectLegalHold  Operation = "GetObjectLegalHold"
	PutObjectLegalHold  Operation = "PutObjectLegalHold"
	GetObjectRetention  Operation = "GetObjectRetention"
	PutObjectRetention  Operation = "PutObjectRetention"
	GetObjectTorrent    Operation = "GetObjectTorrent"
	RestoreObject       Operation = "RestoreObject"
	SelectObjectContent Operation = "SelectObjectContent"
	RenameObject        Operation = "RenameObject"
	// UpdateObjectEncryption is a PUT on an object with ?encryption.
	UpdateObjectEncryption Operation = "UpdateObjectEncryption"
	// The object annotations: GET ?annotation without annotationName
	// lists them.
	PutObjectAnnotation    Operation = "PutObjectAnnotation"
	GetObjectAnnotation    Operation = "GetObjectAnnotation"
	ListObjectAnnotations  Operation = "ListObjectAnnotations"
	DeleteObjectAnnotation Operation = "DeleteObjectAnnotation"

	GetBucketCors                             Operation = "GetBucketCors"
	PutBucketCors                             Operation = "PutBucketCors"
	DeleteBucketCors                          Operation = "DeleteBucketCors"
	GetBucketAcl                              Operation = "GetBucketAcl"
	PutBucketAcl                              Operation = "PutBucketAcl"
	GetBucketLocation                         Operation = "GetBucketLocation"
	GetBucketVersioning                       Operation = "GetBucketVersioning"
	PutBucketVersioning                       Operation = "PutBucketVersioning"
	ListObjectVersions                        Operation = "ListObjectVersions"
	GetBucketAbac                             Operation = "GetBucketAbac"
	PutBucketAbac                             Operation = "PutBucketAbac"
	GetBucketAccelerateConfiguration          Operation = "GetBucketAccelerateConfiguration"
	PutBucketAccelerateConfiguration          Operation = "PutBucketAccelerateConfiguration"
	GetBucketAnalyticsConfiguration           Operation = "GetBucketAnalyticsConfiguration"
	ListBucketAnalyticsConfigurations         Operation = "ListBucketAnalyticsConfigurations"
	PutBucketAnalyticsConfiguration           Operation = "PutBucketAnalyticsConfiguration"
	DeleteBucketAnalyticsConfiguration        Operation = "DeleteBucketAnalyticsConfiguration"
	GetBucketEncryption                       Operation = "GetBucketEncryption"
	PutBucketEncryption                       Operation = "PutBucketEncryption"
	DeleteBucketEncryption                    Operation = "DeleteBucketEncryption"
	GetBucketIntelligentTieringConfiguration  Operation = "GetBucketIntelligentTieringConfiguration"
	ListBucketIntelligentTieringConfigs       Operation = "ListBucketIntelligentTieringConfigurations"
	PutBucketIntelligentTieringConfiguration  Operation = "PutBucketIntelligentTieringConfiguration"
	DeleteBucketIntelligentTieringConfig      Operation = "DeleteBucketIntelligentTieringConfiguration"
	GetBucketInventoryConfiguration           Operation = "GetBucketInventoryConfiguration"
	ListBucketInventoryConfigurations         Operation = "ListBucketInventoryConfigurations"
	PutBucketInventoryConfiguration           Operation = "PutBucketInventoryConfiguration"
	DeleteBucketInventoryConfiguration        Operation = "DeleteBucketInventoryConfiguration"
	GetBucketLifecycleConfiguration           Operation = "GetBucketLifecycleConfiguration"
	PutBucketLifecycleConfiguration           Operation = "PutBucketLifecycleConfiguration"
	DeleteBucketLifecycle                     Operation = "DeleteBucketLifecycle"
	GetBucketLogging                          Operation = "GetBucketLogging"
	PutBucketLogging                          Operation = "PutBucketLogging"
	GetBucketMetadataConfiguration            Operation = "GetBucketMetadataConfiguration"
	CreateBucketMetadataConfiguration         Operation = "CreateBucketMetadataConfiguration"
	DeleteBucketMetadataConfiguration         Operation = "DeleteBucketMetadataConfiguration"
	UpdateBucketMetadataInventoryTableConfig  Operation = "UpdateBucketMetadataInventoryTableConfiguration"
	UpdateBucketMetadataJournalTableConfig    Operation = "UpdateBucketMetadataJournalTableConfiguration"
	UpdateBucketMetadataAnnotationTableConfig Operation = "UpdateBucketMetadataAnnotationTableConfiguration"
	GetBucketMetadataTableConfiguration       Operation = "GetBucketMetadataTableConfiguration"
	CreateBucketMetadataTableConfiguration    Operation = "CreateBucketMetadataTableConfiguration"
	DeleteBucketMetadataTableConfiguration    Operation = "DeleteBucketMetadataTableConfiguration"
	GetBucketMetricsConfiguration             Operation = "GetBucketMetricsConfiguration"
	ListBucketMetricsConfigurations           Operation = "ListBucketMetricsConfigurations"
	PutBucketMetricsConfiguration             Operation = "PutBucketMetricsConfiguration"
	DeleteBucketMetricsConfiguration          Operation = "DeleteBucketMetricsConfiguration"
	GetBucketNotificationConfiguration        Operation = "GetBucketNotificationConfiguration"
	PutBucketNotificationConfiguration        Operation = "PutBucketNotificationConfiguration"
	GetObjectLockConfiguration                Operation = "GetObjectLockConfiguration"
	PutObjectLockConfiguration                Operation = "PutObjectLockConfiguration"
	GetBucketOwnershipControls                Operation = "GetBucketOwnershipControls"
	PutBucketOwnershipControls                Operation = "PutBucketOwnershipControls"
	DeleteBucketOwnershipControls             Operation = "DeleteBucketOwnershipControls"
	GetBucketPolicy                           Operation = "GetBucketPolicy"
	PutBucketPolicy                           Operation = "PutBucketPolicy"
	DeleteBucketPolicy                        Operation = "DeleteBucketPolicy"
	GetBucketPolicyStatus                     Operation = "GetBucketPolicyStatus"
	GetPublicAccessBlock                      Operation = "GetPublicAccessBlock"
	PutPublicAccessBlock                      Operation = "PutPublicAccessBlock"
	DeletePublicAccessBlock                   Operation = "DeletePublicAccessBlock"
	GetBucketReplication                      Operation = "GetBucketReplication"
	PutBucketReplication                      Operation = "PutBucketReplication"
	DeleteBucketReplication                   Operation = "DeleteBucketReplication"
	GetBucketRequestPayment                   Operation = "GetBucketRequestPayment"
	PutBucketRequestPayment                   Operation = "PutBucketRequestPayment"
	GetBucketTagging                          Operation = "GetBucketTagging"
	PutBucketTagging                          Operation = "PutBucketTagging"
	DeleteBucketTagging                       Operation = "DeleteBucketTagging"
	GetBucketWebsite                          Operation = "GetBucketWebsite"
	PutBucketWebsite                          Operation = "PutBucketWebsite"
	DeleteBucketWebsite                       Operation = "DeleteBucketWebsite"
)

// The methods an operation is named for, as indexes of [byMethod].
const (
	mGet = iota
	mHead
	mPut
	mPost
	mDelete
	nMethods
)

// byMethod names an operation for each method; "" where S3 has none.
type byMethod [nMethods]Operation

// subresource is a query parameter that names an operation, with the
// operation it names for each method, on a bucket and on an object.
// withoutID, when set, is the operation a GET without an "id" parameter
// (idName when set) names instead of the GET's (the List form of a
// configuration kept by ID).
type subresource struct {
	name      string
	bucket    byMethod
	object    byMethod
	withoutID Operation
	idName    string
	// atKey is set for a bucket's subresource that S3 reads at an
	// object's path too, as the bucket's, whatever the key and whether
	// the bucket holds it: GET /b/k?cors is GetBucketCors on b, and a
	// HEAD there no operation (brekkylab/backlot routers/s3.py
	// _KEY_BUCKET_SELECTORS, every bucket subresource measured on S3 on
	// a GET and a HEAD at a key; the others are ignored there). ?logging
	// and ?versions are read there too, and refused with errors of their
	// own ([KeyRefusal]). The other methods there are the bucket's too:
	// S3 answered PUT, POST, DELETE and PATCH at a key with one of these
	// as at the bucket's path, NoSuchBucket in a bucket that does not
	// exist for a method the subresource has an operation for and its
	// 405 for the others, DELETE /b/k?versioning included
	// (_OBJECT_PATH_WRITE_SELECTORS, 52 requests), never the object's
	// PutObject or DeleteObject. UNVERIFIED: that PUT /b/k?cors on an
	// existing bucket sets its configuration, as the 405s, which name the
	// subresource's resource, imply.
	atKey bool
	// plainGet is set for a subresource without a GET operation whose
	// GET [Classify] reads as the plain GET (the listing or the
	// object): ?renameObject, which S3 answered as the bare path. A GET
	// of the others without a GET operation (?delete,
	// ?metadataJournalTable, a key's ?encryption, ?restore and ?select)
	// is S3's 405 (brekkylab/backlot routers/s3.py _BUCKET_READ_REFUSED
	// and _OBJECT_READ_REFUSED, every subresource measured on S3 on a
	// GET at a bucket and at a key).
	plainGet bool
}

// subresources are S3's, in the order they are looked for: the
// multipart ones first, so that "?uploadId=...&partNumber=1" is one part
// of an upload whatever else the query holds. Parameters that only
// qualify an operation (versionId, partNumber, list-type, prefix, ...)
// are not subresources, and neither is session: CreateSession is for
// directory buckets, and S3 answers GET ?session on a general purpose
// bucket with the listing, as if it were not there (brekkylab/backlot
// routers/s3.py _BUCKET_SELECTORS, measured on S3).
var subresources = []subresource{
	// An upload's operations at the bucket's path too, which S3 refuses
	// for the key they lack (400 InvalidRequest "A key must be
	// specified" on a GET, a POST and a DELETE; brekkylab/backlot
	// routers/s3.py _BUCKET_OBJECT_SELECTORS, measured on S3), rather
	// than taking them for a listing, a form upload or a DeleteBucket.
	{name: "uploadId", bucket: uploadIDOps, object: uploadIDOps},
	// A key's GET ?uploads is a ListMultipartUploads that has a key S3
	// does not expect, which it refuses after the bucket ([KeyRefusal];
	// brekkylab/backlot routers/s3.py _UPLOADS_ON_A_KEY, measured on S3),
	// as it refuses a POST at the bucket's path for the key it lacks.
	{name: "uploads", bucket: byMethod{mGet: ListMultipartUploads}, object: byMethod{mGet: ListMultipartUploads, mPost: CreateMultipartUpload}},
	{name: "abac", bucket: byMethod{mGet: GetBucketAbac, mPut: PutBucketAbac}},
	{name: "accelerate", bucket: byMethod{mGet: GetBucketAccelerateConfiguration, mPut: PutBucketAccelerateConfiguration}, atKey: true},
	{name: "acl", bucket: byMethod{mGet: GetBucketAcl, mPut: PutBucketAcl}, object: byMethod{mGet: GetObjectAcl, mPut: PutObjectAcl}},
	{name: "analytics", bucket: byMethod{mGet: GetBucketAnalyticsConfiguration, mPut: PutBucketAnalyticsConfiguration, mDelete: DeleteBucketAnalyticsConfiguration},
		withoutID: ListBucketAnalyticsConfigurations},
	{name: "annotation", object: byMethod{mGet: GetObjectAnnotation, mPut: PutObjectAnnotation, mDelete: DeleteObjectAnnotation},
		withoutID: ListObjectAnnotations, idName: "annotationName"},
	{name: "attributes", object: byMethod{mGet: GetObjectAttributes}},
	{name: "cors", bucket: byMethod{mGet: GetBucketCors, mPut: PutBucketCors, mDelete: DeleteBucketCors}, atKey: true},
	// A key's POST ?delete is DeleteObjects on the bucket, which S3
	// checks as at the bucket's path, and the other methods there its
	// 405 (brekkylab/backlot routers/s3.py _KEY_WRITE_CHECKS and
	// _OBJECT_WRITE_SELECTORS, measured on S3), never the object's.
	// UNVERIFIED: that a valid one deletes the keys its body names, as
	// the checks imply.
	{name: "delete", bucket: byMethod{mPost: DeleteObjects}, object: byMethod{mPost: DeleteObjects}},
	{name: "encryption", bucket: byMethod{mGet: GetBucketEncryption, mPut: PutBucketEncryption, mDelete: DeleteBucketEncryption},
		object: byMethod{mPut: UpdateObjectEncryption}},
	{name: "intelligent-tiering", bucket: byMethod{mGet: GetBucketIntelligentTieringConfiguration, mPut: PutBucketIntelligentTieringConfiguration,
		mDelete: DeleteBucketIntelligentTieringConfig}, withoutID: ListBucketIntelligentTieringConfigs},
	{name: "inventory", bucket: byMethod{mGet: GetBucketInventoryConfiguration, mPut: PutBucketInventoryConfiguration, mDelete: DeleteBucketInventoryConfiguration},
		withoutID: ListBucketInventoryConfigurations, atKey: true},
	{name: "legal-hold", object: byMethod{mGet: GetObjectLegalHold, mPut: PutObjectLegalHold}},
	{name: "lifecycle", bucket: byMethod{mGet: GetBucketLifecycleConfiguration, mPut: PutBucketLifecycleConfiguration, mDelete: DeleteBucketLifecycle}, atKey: true},
	{name: "location", bucket: byMethod{mGet: GetBucketLocation}, atKey: true},
	{name: "logging", bucket: byMethod{mGet: GetBucketLogging, mPut: PutBucketLogging}, atKey: true},
	{name: "metadataAnnotationTable", bucket: byMethod{mPut: UpdateBucketMetadataAnnotationTableConfig}},
	{name: "metadataConfiguration", bucket: byMethod{mGet: GetBucketMetadataConfiguration, mPost: CreateBucketMetadataConfiguration, mDelete: DeleteBucketMetadataConfiguration}},
	{name: "metadataInventoryTable", bucket: byMethod{mPut: UpdateBucketMetadataInventoryTableConfig}},
	{name: "metadataJournalTable", bucket: byMethod{mPut: UpdateBucketMetadataJournalTableConfig}},
	{name: "metadataTable", bucket: byMethod{mGet: GetBucketMetadataTableConfiguration, mPost: CreateBucketMetadataTableConfiguration, mDelete: DeleteBucketMetadataTableConfiguration}},
	{name: "metrics", bucket: byMethod{mGet: GetBucketMetricsConfiguration, mPut: PutBucketMetricsConfiguration, mDelete: DeleteBucketMetricsConfiguration},
		withoutID: ListBucketMetricsConfigurations},
	{name: "notification", bucket: byMethod{mGet: GetBucketNotificationConfiguration, mPut: PutBucketNotificationConfiguration}, atKey: true},
	{name: "object-lock", bucket: byMethod{mGet: GetObjectLockConfiguration, mPut: PutObjectLockConfiguration}},
	{name: "ownershipControls", bucket: byMethod{mGet: GetBucketOwnershipControls, mPut: PutBucketOwnershipControls, mDelete: DeleteBucketOwnershipControls}},
	{name: "policy", bucket: byMethod{mGet: GetBucketPolicy, mPut: PutBucketPolicy, mDelete: DeleteBucketPolicy}, atKey: true},
	{name: "policyStatus", bucket: byMethod{mGet: GetBucketPolicyStatus}},
	{name: "publicAccessBlock", bucket: byMethod{mGet: GetPublicAccessBlock, mPut: PutPublicAccessBlock, mDelete: DeletePublicAccessBlock}},
	{name: "renameObject", object: byMethod{mPut: RenameObject}, plainGet: true},
	{name: "replication", bucket: byMethod{mGet: GetBucketReplication, mPut: PutBucketReplication, mDelete: DeleteBucketReplication}, atKey: true},
	{name: "requestPayment", bucket: byMethod{mGet: GetBucketRequestPayment, mPut: PutBucketRequestPayment}, atKey: true},
	// A bucket's POST ?restore is a RestoreObject that lacks its key,
	// which S3 refuses after the bucket ([KeyRefusal]); the other methods
	// there are its 405, naming RESTORE (brekkylab/backlot routers/s3.py
	// _BUCKET_WRITE_SELECTORS and _restore_without_a_key, measured on
	// S3), never a listing, a form upload or a DeleteBucket.
	{name: "restore", bucket: byMethod{mPost: RestoreObject}, object: byMethod{mPost: RestoreObject}},
	{name: "retention", object: byMethod{mGet: GetObjectRetention, mPut: PutObjectRetention}},
	{name: "select", object: byMethod{mPost: SelectObjectContent}},
	{name: "tagging", bucket: byMethod{mGet: GetBucketTagging, mPut: PutBucketTagging, mDelete: DeleteBucketTagging},
		object: byMethod{mGet: GetObjectTagging, mPut: PutObjectTagging, mDelete: DeleteObjectTagging}},
	// S3 names an object's ?torrent at a bucket's path too, and refuses
	// its GET there as at a key, after the bucket, and the other methods
	// before it (brekkylab/backlot routers/s3.py _BUCKET_OBJECT_SELECTORS
	// and _BUCKET_WRITE_SELECTORS, measured on S3), rather than take it
	// for a listing, a CreateBucket or a DeleteBucket.
	{name: "torrent", bucket: byMethod{mGet: GetObjectTorrent}, object: byMethod{mGet: GetObjectTorrent}},
	{name: "versioning", bucket: byMethod{mGet: GetBucketVersioning, mPut: PutBucketVersioning}, atKey: true},
	{name: "versions", bucket: byMethod{mGet: ListObjectVersions}, atKey: true},
	{name: "website", bucket: byMethod{mGet: GetBucketWebsite, mPut: PutBucketWebsite, mDelete: DeleteBucketWebsite}, atKey: true},
}

var uploadIDOps = byMethod{mGet: ListParts, mPut: UploadPart, mPost: CompleteMultipartUpload, mDelete: AbortMultipartUpload}

// plain names the operations of requests without a subresource.
var (
	plainBucket = byMethod{mGet: ListObjects, mHead: HeadBucket, mPut: CreateBucket, mPost: PostObject, mDelete: DeleteBucket}
	plainObject = byMethod{mGet: GetObject, mHead: HeadObject, mPut: PutObject, mDelete: DeleteObject}
)

// methodIndex returns the column of byMethod for an HTTP method, or -1
// for a method no S3 operation uses.
func methodIndex(method string) int {
	switch method {
	case http.MethodGet:
		return mGet
	case http.MethodHead:
		return mHead
	case http.MethodPut:
		return mPut
	case http.MethodPost:
		return mPost
	case http.MethodDelete:
		return mDelete
	}
	return -1
}

// Classify returns the operation a request names, and the subresource of
// its query that names it ("" for none): by its method, whether a
// addresses the service, a bucket or an object, the subresources of its
// query (as [github.com/s3cors/s3cors/internal/sigv.ParseQuery] or
// [url.ParseQuery] give it) and, for a copy, its x-amz-copy-source
// header (h is the request's header map,
// canonical keys). It returns "" for a request S3 has no operation for:
// a method other than GET, HEAD, PUT, POST and DELETE (OPTIONS is the
// CORS preflight, which is not an S3 operation), anything but GET on
// the service, POST on an object without a subresource, or a
// subresource used with a method it has no operation for (PUT ?uploads,
// GET ?delete, say), HEAD included: S3 has no HEAD form of a
// subresource, and answers HEAD /b?versioning or HEAD /b/k?acl 405,
// whether or not the bucket or the key exists (brekkylab/backlot#230,
// measured on S3). A subresource S3 does not know is not looked at, as
// S3 ignores it.
func Classify(method string, a Address, query url.Values, h http.Header) (op Operation, subresource string) {
	m := methodIndex(method)
	switch {
	case m < 0:
		return "", ""
	case a.Bucket == "":
		if m == mGet && a.Key == "" {
			return ListBuckets, ""
		}
		return "", ""
	}
	object := a.Key != ""
	if len(query) > 0 { // most requests have none: no subresource to look for
		for i := range subresources {
			sr := &subresources[i]
			if _, ok := query[sr.name]; !ok {
				continue
			}
			ops := sr.operations(object)
			if ops == nil {
				continue // the other level's subresource, as one S3 does not know
			}
			op, asPlain := sr.operation(ops, m, query, h)
			if asPlain {
				break
			}
			return op, sr.name
		}
	}
	return plainOperation(m, object, query, h), ""
}

// operations returns the operations sr names at an object's path
// (object) or at a bucket's: the bucket's at an object's path for a
// subresource S3 reads there as the bucket's (atKey), and nil where S3
// does not know sr, as it ignores it there.
func (sr *subresource) operations(object bool) *byMethod {
	ops := &sr.bucket
	if object {
		ops = &sr.object
	}
	if *ops == (byMethod{}) {
		if !object || !sr.atKey {
			return nil
		}
		ops = &sr.bucket
	}
	return ops
}

// operation returns the operation that method m names with sr, ops
// being sr's operations at the request's path, or asPlain when S3
// answers the request as if sr were not in the query (plainGet). It
// tells an upload's part from the upload, UploadPartCopy from
// UploadPart, and a listing of a bucket's configurations from the
// reading of one (withoutID).
func (sr *subresource) operation(ops *byMethod, m int, query url.Values, h http.Header) (op Operation, asPlain bool) {
	op = ops[m]
	if sr.name == "uploadId" && m == mPut {
		if _, part := query["partNumber"]; !part {
			// The upload, without a part, takes no PUT: S3 answers
			// an UploadPart that lacks its partNumber with the 405
			// naming UPLOAD and "Allow: DELETE, POST, GET"
			// (versity/versitygw#1236, a raw capture), not with
			// InvalidArgument for the part number.
			return "", false
		}
	}
	if sr.name == "uploadId" && m != mPut {
		if _, part := query["partNumber"]; part {
			// An upload's part takes PUT alone (UploadPart): S3
			// refuses a GET of it, at a key and at the bucket's
			// path, and a PATCH, with the 405 naming PART
			// (brekkylab/backlot routers/s3.py object_get,
			// _bucket_selected and _UPLOAD_PART, measured on
			// S3). UNVERIFIED: POST and DELETE were not
			// measured; taken as those, not as the upload's
			// CompleteMultipartUpload and AbortMultipartUpload.
			return "", false
		}
	}
	switch {
	case op == "" && m == mGet && sr.plainGet:
		return "", true // a read S3 answers as the plain one
	case op == UploadPart && hasCopySource(h):
		op = UploadPartCopy
	case m == mGet && sr.withoutID != "":
		id := sr.idName
		if id == "" {
			id = "id"
		}
		if _, ok := query[id]; !ok {
			op = sr.withoutID
		}
	}
	return op, false
}

// plainOperation returns the operation that method m names at a bucket's
// path or an object's (object) without a subresource: the listing
// (ListObjectsV2 for list-type=2), CopyObject for a PutObject with an
// x-amz-copy-source, and so on.
func plainOperation(m int, object bool, query url.Values, h http.Header) Operation {
	plain := &plainBucket
	if object {
		plain = &plainObject
	}
	op := plain[m]
	switch {
	case op == ListObjects && query.Get("list-type") == "2":
		op = ListObjectsV2
	case op == PutObject && hasCopySource(h):
		op = CopyObject
	}
	return op
}

// KeyRefusal returns S3's answer to an operation that [Classify] names
// at a path S3 refuses it at for its key, once the bucket is found: a
// bucket's at an object's path (a key), rather than answer it as the
// bucket's, GetBucketLogging and ListObjectVersions (brekkylab/backlot
// routers/s3.py _KEY_BUCKET_REFUSALS, measured on S3) and
// ListMultipartUploads (_UPLOADS_ON_A_KEY, measured on S3, at a key the
// bucket holds and at one it does not); and RestoreObject
// at the bucket's path, which names no object to restore
// (_restore_without_a_key, measured on S3, with a body and without), or,
// with a versionId in query, which S3 reads there after the bucket
// rather than refuse it before as [BucketPathError] does, 400
// InvalidArgument "Invalid version id specified" naming the first value
// (_VERSION_AFTER_THE_BUCKET, measured on S3 with x; UNVERIFIED: other
// values, "null" and an empty one, are taken as x). It returns nil for
// any other operation.
func KeyRefusal(op Operation, a Address, query url.Values) *s3err.Error {
	if a.Key == "" {
		if op != RestoreObject {
			return nil
		}
		if v, ok := query["versionId"]; ok {
			first := ""
			if len(v) > 0 {
				first = v[0]
			}
			return s3err.InvalidArgument("Invalid version id specified", "versionId", first)
		}
		return s3err.New(http.StatusBadRequest, "UserKeyMustBeSpecified", "User key must be specified.")
	}
	switch op {
	case GetBucketLogging:
		return s3err.New(http.StatusBadRequest, "NoLoggingStatusForKey", "There is no such thing as the ?logging sub-resource for a key")
	case ListObjectVersions:
		return s3err.InvalidRequest("There is no such thing as the ?versions sub-resource for a key")
	case ListMultipartUploads:
		return s3err.InvalidRequest("Key is not expected for the GET method ?uploads subresource")
	}
	return nil
}

// BucketPathError returns S3's refusal of a query at a bucket's path that
// names a part or a version of an object, as a request whose key was lost
// does ("/b/?versionId=..."), and nil for any other; subresource is the
// one [Classify] gave. S3 refuses these after the conflict
// ([ConflictingError]) and before the credential and the bucket, so
// s3cors serve and the proxy, which answers ?cors itself, refuse them
// alike: DELETE /b?cors&versionId=x is no DeleteBucketCors.
//
//   - A partNumber without a subresource: 400 InvalidRequest "Object must
//     have a valid key name." on every method, for any value
//     (brekkylab/backlot routers/s3.py _bucket_selected, measured on S3);
//     beside one it is the conflict, or, beside uploadId, the upload's
//     operation.
//   - A versionId on a DELETE or a subresource's PUT: 400
//     InvalidArgument "This operation does not accept a version-id.",
//     naming the first value as sent (_version_id_refusal, measured). S3
//     refuses it on a GET there too, but after the listings' own
//     parameters, which s3cors serve reads later: a GET is left to its
//     operation. UNVERIFIED: a PUT without a subresource there (a
//     CreateBucket) was not measured, and is left to it.
func BucketPathError(method string, a Address, query url.Values, subresource string) *s3err.Error {
	if a.Bucket == "" || a.Key != "" {
		return nil
	}
	if _, ok := query["partNumber"]; ok && subresource == "" {
		return s3err.InvalidRequest("Object must have a valid key name.")
	}
	v, ok := query["versionId"]
	if !ok || !(method == http.MethodDelete || method == http.MethodPut && subresource != "") {
		return nil
	}
	first := ""
	if len(v) > 0 {
		first = v[0]
	}
	return s3err.VersionIDNotAccepted(first)
}

func hasCopySource(h http.Header) bool {
	_, ok := h["X-Amz-Copy-Source"]
	return ok
}

// selectors are the subresources of [Classify]'s table, of a bucket or
// an object, that S3 refuses two of in one query.
var selectors = func() map[string]bool {
	m := make(map[string]bool, len(subresources))
	for _, sr := range subresources {
		m[sr.name] = true
	}
	return m
}()

// Conflicting returns the subresources of query when it names more than
// one, sorted, which S3 refuses whatever the method and the resource:
// 400 InvalidArgument, "Conflicting query string parameters: acl,
// versioning", ArgumentName ResourceType and ArgumentValue the first of
// them (brekkylab/backlot tests/test_s3.py, measured on S3; versitygw's
// tests run against S3 for ?uploads&uploadId). A partNumber, which names
// a part, counts as one beside a subresource other than uploadId (with
// which it is UploadPart): S3 answered ?acl&partNumber=1 at a bucket's
// path and ?partNumber=1&tagging at a key with the conflict (brekkylab/
// backlot routers/s3.py _bucket_selected and _key_selected, measured on
// S3 on every method at a bucket's path, a GET and a HEAD at a key).
// UNVERIFIED: the other methods at a key were not measured; they are
// taken as the GET. It returns nil for a query that names one or none,
// without allocating.
func Conflicting(query url.Values) []string {
	n := 0
	part := false // partNumber beside a subresource it is no part of
	for name := range query {
		if selectors[name] {
			n++
			if name != "uploadId" {
				_, part = query["partNumber"]
			}
		}
	}
	if part {
		n++
	}
	if n < 2 {
		return nil
	}
	names := make([]string, 0, n)
	for name := range query {
		if selectors[name] {
			names = append(names, name)
		}
	}
	if part {
		names = append(names, "partNumber")
	}
	slices.Sort(names)
	return names
}

// ConflictingError returns S3's answer to a query that names more than
// one subresource (see [Conflicting]), and nil for one that names one or
// none, without allocating.
func ConflictingError(query url.Values) *s3err.Error {
	names := Conflicting(query)
	if names == nil {
		return nil
	}
	return s3err.InvalidArgument("Conflicting query string parameters: "+strings.Join(names, ", "), "ResourceType", names[0])
}
