package s3route

import (
	"net/http"
	"net/url"
)

// bucketResourceTypes and objectResourceTypes are the ResourceType S3's
// 405 MethodNotAllowed names for a request naming a subresource, at a
// bucket's path and at an object's (brekkylab/backlot routers/s3.py
// _BUCKET_WRITE_SELECTORS and _OBJECT_WRITE_SELECTORS, measured on S3:
// every selector on PUT, POST, DELETE and PATCH, and on GET where no GET
// takes it, _BUCKET_READ_REFUSED and _OBJECT_READ_REFUSED). A bucket's
// subresource that S3 reads at an object's path too (atKey) names the
// bucket's type there (_OBJECT_PATH_WRITE_SELECTORS, 52 requests), as
// [Classify] reads it as the bucket's.
//
// Not here: renameObject, which S3 answered as the bare path
// (_BUCKET_WRITE_SELECTORS's comment), so its 405 names OBJECT.
var (
	bucketResourceTypes = map[string]string{
		"abac":                    "BUCKET_ABAC",
		"accelerate":              "ACCELERATE",
		"acl":                     "ACL",
		"analytics":               "ANALYTICS",
		"cors":                    "CORS",
		"delete":                  "MULTI_OBJECT_DELETE",
		"encryption":              "ENCRYPTION",
		"intelligent-tiering":     "INTELLIGENT_TIERING",
		"inventory":               "INVENTORY",
		"lifecycle":               "LIFECYCLE",
		"location":                "LOCATION",
		"logging":                 "LOGGING_STATUS",
		"metadataAnnotationTable": "BUCKET_METADATA_ANNOTATION_TABLE_CONFIGURATION",
		"metadataConfiguration":   "BUCKET_METADATA_CONFIGURATION",
		"metadataInventoryTable":  "BUCKET_METADATA_INVENTORY_TABLE_CONFIGURATION",
		"metadataJournalTable":    "BUCKET_METADATA_JOURNAL_TABLE_CONFIGURATION",
		"metadataTable":           "BUCKET_METADATA_TABLE_CONFIGURATION",
		"metrics":                 "METRICS",
		"notification":            "NOTIFICATION",
		"object-lock":             "OBJECT_LOCK_CONFIGURATION",
		"ownershipControls":       "OWNERSHIP_CONTROLS",
		"policy":                  "BUCKETPOLICY",
		"policyStatus":            "POLICY_STATUS",
		"publicAccessBlock":       "PUBLIC_ACCESS_BLOCK",
		"replication":             "REPLICATION",
		"requestPayment":          "REQUEST_PAYMENT",
		"restore":                 "RESTORE",
		"tagging":                 "TAGGING",
		"torrent":                 "TORRENT",
		"uploadId":                "UPLOAD",
		"uploads":                 "UPLOADS",
		"versioning":              "VERSIONING",
		"versions":                "BUCKETVERSIONS",
		"website":                 "WEBSITE",
	}
	objectResourceTypes = map[string]string{
		"acl":        "ACL",
		"annotation": "OBJECT_ANNOTATIONS",
		"attributes": "OBJECT_ATTRIBUTES",
		"delete":     "MULTI_OBJECT_DELETE",
		"encryption": "OBJECT_ENCRYPTION",
		"legal-hold": "OBJECT_LOCK_LEGALHOLD",
		"restore":    "RESTORE",
		"retention":  "OBJECT_LOCK_RETENTION",
		"select":     "SELECT",
		"tagging":    "OBJECT_TAGGING",
		"torrent":    "TORRENT",
		"uploadId":   "UPLOAD",
		"uploads":    "UPLOADS",
	}
)

// ResourceType returns the ResourceType S3 names in a 405
// MethodNotAllowed on the resource a names with query: the
// subresource's own type when the query names one at a's level, as
// [Allow] learns it (ACL, CORS, OBJECT_TAGGING, ...; PART for an
// upload's part, uploadId beside partNumber, brekkylab/backlot
// routers/s3.py _UPLOAD_PART), else SERVICE, BUCKET or OBJECT.
func ResourceType(a Address, query url.Values, h http.Header) string {
	sub := subresourceAt(a, query, h)
	if sub == "uploadId" {
		if _, part := query["partNumber"]; part {
			return "PART"
		}
	}
	switch {
	case a.Bucket == "":
		return "SERVICE"
	case a.Key == "":
		if t, ok := bucketResourceTypes[sub]; ok {
			return t
		}
		return "BUCKET"
	}
	if t, ok := objectResourceTypes[sub]; ok {
		return t
	}
	if t, ok := bucketResourceTypes[sub]; ok {
		return t // a bucket's subresource read at the key (atKey)
	}
	return "OBJECT"
}

// subresourceAt returns the subresource query names at a's level, ""
// for none: a HEAD names it, as no subresource has a HEAD operation to
// stop [Classify]'s lookup.
func subresourceAt(a Address, query url.Values, h http.Header) string {
	_, sub := Classify(http.MethodHead, a, query, h)
	return sub
}
