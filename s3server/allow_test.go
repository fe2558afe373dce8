package s3server_test

import (
	"net/http"
	"testing"
)

// TestMethodNotAllowedAllow checks the Allow header of the 405s: S3 names
// there the methods the resource takes, in one order, HEAD, DELETE, POST,
// GET, PUT, which every value recorded from it follows.
func TestMethodNotAllowedAllow(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/allow", nil), 200)
	mustStatus(t, ts.do("PUT", "/allow/k", []byte("x")), 200)
	for _, c := range []struct {
		name, method, path, allow string
		// resource is the ResourceType of the 405's body; "" for a
		// HEAD, which has no body.
		resource string
	}{
		// The service root takes GET alone (versity/versitygw#1810, a
		// raw capture of POST /; brekkylab/backlot routers/s3.py, PUT,
		// DELETE, PATCH and HEAD there, with or without ?acl).
		{"POST service", "POST", "/", "GET", "SERVICE"},
		{"DELETE service", "DELETE", "/", "GET", "SERVICE"},
		{"PUT service", "PUT", "/", "GET", "SERVICE"},
		{"PATCH service", "PATCH", "/", "GET", "SERVICE"},
		{"HEAD service", "HEAD", "/", "GET", ""},
		{"HEAD service acl", "HEAD", "/?acl", "GET", ""},
		// A bucket (brekkylab/backlot#312, PATCH /BUCKET), whether or
		// not it exists.
		{"PATCH bucket", "PATCH", "/allow", "HEAD, DELETE, POST, GET, PUT", "BUCKET"},
		{"PATCH missing bucket", "PATCH", "/missing-bucket", "HEAD, DELETE, POST, GET, PUT", "BUCKET"},
		// A subresource: its own methods (brekkylab/backlot#230, HEADs
		// measured on S3).
		{"HEAD location", "HEAD", "/allow?location", "GET", ""},
		{"HEAD uploads", "HEAD", "/allow?uploads", "POST, GET", ""},
		{"HEAD versioning", "HEAD", "/allow?versioning", "GET, PUT", ""},
		{"HEAD bucket acl", "HEAD", "/allow?acl", "GET, PUT", ""},
		{"HEAD bucket tagging", "HEAD", "/allow?tagging", "DELETE, GET, PUT", ""},
		{"HEAD policy", "HEAD", "/allow?policy", "DELETE, GET, PUT", ""},
		{"HEAD versions", "HEAD", "/allow?versions", "GET", ""},
		{"HEAD object acl", "HEAD", "/allow/k?acl", "GET, PUT", ""},
		{"HEAD object tagging", "HEAD", "/allow/k?tagging", "DELETE, GET, PUT", ""},
		{"HEAD uploadId", "HEAD", "/allow/k?uploadId=abc123", "DELETE, POST, GET", ""},
		// uploadId beside partNumber is an upload's part, which takes
		// PUT alone (brekkylab/backlot routers/s3.py _UPLOAD_PART).
		{"HEAD part", "HEAD", "/allow/k?uploadId=abc123&partNumber=1", "PUT", ""},
		{"PATCH part", "PATCH", "/allow/k?partNumber=1&uploadId=abc123", "PUT", "PART"},
		// A GET of a part too, before the bucket, at a key and at the
		// bucket's path (routers/s3.py object_get and _bucket_selected,
		// measured on S3), never a ListParts. UNVERIFIED: POST and
		// DELETE were not measured, and are taken as the GET and the
		// PATCH, never the upload's Complete or Abort.
		{"GET part", "GET", "/allow/k?uploadId=abc123&partNumber=1", "PUT", "PART"},
		{"GET part missing bucket", "GET", "/missing-bucket/k?uploadId=abc123&partNumber=1", "PUT", "PART"},
		{"GET part at bucket", "GET", "/allow?partNumber=1&uploadId=abc123", "PUT", "PART"},
		{"POST part", "POST", "/allow/k?uploadId=abc123&partNumber=1", "PUT", "PART"},
		{"DELETE part", "DELETE", "/allow/k?uploadId=abc123&partNumber=2", "PUT", "PART"},
		// The upload itself, uploadId without partNumber, takes no PUT:
		// S3 answers an UploadPart that lacks its part number with the
		// 405 naming UPLOAD (versity/versitygw#1236, a raw capture), not
		// InvalidArgument for the part number. UNVERIFIED: at the
		// bucket's path, taken as at a key.
		{"PUT upload", "PUT", "/allow/k?uploadId=abc123", "DELETE, POST, GET", "UPLOAD"},
		{"PUT upload at bucket", "PUT", "/allow?uploadId=abc123", "DELETE, POST, GET", "UPLOAD"},
		// Before the bucket, as S3 answers an UploadPartCopy without its
		// part number (versity/versitygw#1229).
		{"PUT upload missing bucket", "PUT", "/missing-bucket/k?uploadId=abc123", "DELETE, POST, GET", "UPLOAD"},
		// The other methods a subresource lacks: its methods, GET among
		// them where it has a GET form (brekkylab/backlot routers/s3.py
		// _BUCKET_WRITE_SELECTORS, every selector on PUT, POST, DELETE
		// and PATCH).
		{"PUT location", "PUT", "/allow?location", "GET", "LOCATION"},
		{"PUT location at key", "PUT", "/allow/k?location", "GET", "LOCATION"},
		{"DELETE versioning at key", "DELETE", "/allow/k?versioning", "GET, PUT", "VERSIONING"},
		{"PUT delete", "PUT", "/allow?delete", "POST", "MULTI_OBJECT_DELETE"},
		{"HEAD delete", "HEAD", "/allow?delete", "POST", ""},
		// An object's ?torrent at a bucket's path, which S3 names there
		// too (_BUCKET_OBJECT_SELECTORS). UNVERIFIED: the Allow; it is
		// GET, as at a key (TestGetObjectTorrent).
		{"HEAD torrent at bucket", "HEAD", "/allow?torrent", "GET", ""},
		{"POST torrent at bucket", "POST", "/allow?torrent", "GET", "TORRENT"},
		// A GET naming a subresource that has no GET form: the 405, with
		// the methods it has, before the bucket (brekkylab/backlot
		// routers/s3.py _BUCKET_READ_REFUSED and _OBJECT_READ_REFUSED:
		// "a GET answered with a 405, which named the type and carried
		// an Allow of the write methods", measured on S3).
		{"GET delete", "GET", "/allow?delete", "POST", "MULTI_OBJECT_DELETE"},
		{"GET delete missing bucket", "GET", "/missing-bucket?delete", "POST", "MULTI_OBJECT_DELETE"},
		{"GET metadataJournalTable", "GET", "/allow?metadataJournalTable", "PUT", "BUCKET_METADATA_JOURNAL_TABLE_CONFIGURATION"},
		{"GET object encryption", "GET", "/allow/k?encryption", "PUT", "OBJECT_ENCRYPTION"},
		{"GET select", "GET", "/allow/k?select&select-type=2", "POST", "SELECT"},
		{"GET restore missing key", "GET", "/allow/missing-key?restore", "POST", "RESTORE"},
		{"GET restore at bucket", "GET", "/allow?restore", "POST", "RESTORE"},
		{"HEAD restore at bucket", "HEAD", "/allow?restore", "POST", ""},
		{"PUT restore at bucket", "PUT", "/allow?restore", "POST", "RESTORE"},
		{"GET delete at key", "GET", "/allow/k?delete", "POST", "MULTI_OBJECT_DELETE"},
		{"GET delete at missing key", "GET", "/allow/missing-key?delete", "POST", "MULTI_OBJECT_DELETE"},
		{"HEAD delete at key", "HEAD", "/allow/k?delete", "POST", ""},
		// UNVERIFIED: a key's ?uploads names GET, as the bucket's names
		// POST, the method S3 takes there and refuses for the key
		// (brekkylab/backlot#230 "POST, GET" at a bucket's path).
		{"PUT uploads at key", "PUT", "/allow/k?uploads", "POST, GET", "UPLOADS"},
		{"HEAD uploads at key", "HEAD", "/allow/k?uploads", "POST, GET", ""},
		// UNVERIFIED: the order of a subresource's methods where no
		// capture shows it (?cors) is taken to be the order above.
		{"PATCH cors", "PATCH", "/allow?cors", "DELETE, GET, PUT", "CORS"},
		// UNVERIFIED: an object's value was seen only through CloudFront
		// (aws-amplify/amplify-hosting#3152, a POST to an S3 origin:
		// "allow: HEAD, DELETE, GET, PUT") and cut short in
		// brekkylab/backlot#312 (PATCH /BUCKET/KEY: "HEAD, DELET…").
		{"POST object", "POST", "/allow/k", "HEAD, DELETE, GET, PUT", "OBJECT"},
		{"PATCH object", "PATCH", "/allow/k", "HEAD, DELETE, GET, PUT", "OBJECT"},
		{"POST missing key", "POST", "/allow/missing-key", "HEAD, DELETE, GET, PUT", "OBJECT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do(c.method, c.path, nil)
			if r.StatusCode != http.StatusMethodNotAllowed {
				t.Fatalf("%s %s: %s, want 405", c.method, c.path, r)
			}
			if got := r.Header.Values("Allow"); len(got) != 1 || got[0] != c.allow {
				t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
			}
			if c.method == "HEAD" {
				if len(r.body) != 0 {
					t.Errorf("%s %s: body %q, want none", c.method, c.path, r.body)
				}
				return
			}
			mustError(t, r, http.StatusMethodNotAllowed, notAllowedDoc(c.method, c.resource))
		})
	}
}

// TestAllowOnlyOn405 checks that the answers other than 405 carry no
// Allow: S3's bucket POST is a 412 without one (brekkylab/backlot#268).
func TestAllowOnlyOn405(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/noallow", nil), 200)
	for _, c := range [][2]string{{"GET", "/noallow"}, {"GET", "/noallow/missing-key"}, {"HEAD", "/noallow"}, {"PUT", "/noallow?tagging"}} {
		if r := ts.do(c[0], c[1], nil); r.StatusCode == http.StatusMethodNotAllowed || r.Header.Get("Allow") != "" {
			t.Errorf("%s %s: %s, Allow %q, want no 405 and no Allow", c[0], c[1], r, r.Header.Get("Allow"))
		}
	}
}

// notAllowedDoc is S3's 405 body for method on a resource of the type.
func notAllowedDoc(method, resourceType string) string {
	return errorDoc("MethodNotAllowed", "The specified method is not allowed against this resource.",
		"Method", method, "ResourceType", resourceType)
}

// TestMethodNotAllowedResourceType checks the ResourceType of the 405s
// on a subresource: S3 names the subresource's own, whether or not the
// bucket or the key exists (brekkylab/backlot routers/s3.py
// _BUCKET_WRITE_SELECTORS and _OBJECT_WRITE_SELECTORS, every selector on
// PUT, POST, DELETE and PATCH, measured on S3), and SERVICE, BUCKET or
// OBJECT for a request naming none.
func TestMethodNotAllowedResourceType(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/restype", nil), 200)
	mustStatus(t, ts.do("PUT", "/restype/k", []byte("x")), 200)
	for _, c := range []struct {
		method, path, resource string
	}{
		// The service root names none, with a subresource too
		// (service_method_refusal).
		{"PATCH", "/?acl", "SERVICE"},
		{"POST", "/?versioning", "SERVICE"},
		// A bucket's.
		{"PATCH", "/restype?acl", "ACL"},
		{"POST", "/restype?acl", "ACL"},
		{"POST", "/restype?cors", "CORS"},
		{"PATCH", "/missing-bucket?cors", "CORS"},
		{"POST", "/restype?versioning", "VERSIONING"},
		{"DELETE", "/restype?location", "LOCATION"},
		{"DELETE", "/restype?delete", "MULTI_OBJECT_DELETE"},
		{"PUT", "/restype?uploads", "UPLOADS"},
		{"PATCH", "/restype?uploadId=abc123", "UPLOAD"},
		{"POST", "/restype?tagging", "TAGGING"},
		{"POST", "/restype?policy", "BUCKETPOLICY"},
		{"POST", "/restype?versions", "BUCKETVERSIONS"},
		{"POST", "/restype?logging", "LOGGING_STATUS"},
		{"PATCH", "/restype?encryption", "ENCRYPTION"},
		{"POST", "/restype?abac", "BUCKET_ABAC"},
		{"PUT", "/restype?metadataTable", "BUCKET_METADATA_TABLE_CONFIGURATION"},
		{"PATCH", "/restype?metadataJournalTable", "BUCKET_METADATA_JOURNAL_TABLE_CONFIGURATION"},
		// A GET where the subresource has no GET form
		// (_BUCKET_READ_REFUSED).
		{"GET", "/restype?delete", "MULTI_OBJECT_DELETE"},
		{"GET", "/restype?metadataInventoryTable", "BUCKET_METADATA_INVENTORY_TABLE_CONFIGURATION"},
		{"GET", "/restype?metadataAnnotationTable", "BUCKET_METADATA_ANNOTATION_TABLE_CONFIGURATION"},
		{"POST", "/restype?website", "WEBSITE"},
		// An object's: a key's tagging is a type of its own.
		{"POST", "/restype/k?acl", "ACL"},
		{"PATCH", "/restype/k?tagging", "OBJECT_TAGGING"},
		{"POST", "/restype/missing-key?tagging", "OBJECT_TAGGING"},
		{"PUT", "/restype/k?torrent", "TORRENT"},
		{"PUT", "/restype?torrent", "TORRENT"},
		{"POST", "/missing-bucket?torrent", "TORRENT"},
		{"GET", "/restype?restore", "RESTORE"},
		{"DELETE", "/missing-bucket?restore", "RESTORE"},
		{"PUT", "/restype/other?delete", "MULTI_OBJECT_DELETE"},
		{"DELETE", "/restype/other?delete", "MULTI_OBJECT_DELETE"},
		{"GET", "/missing-bucket/k?delete", "MULTI_OBJECT_DELETE"},
		{"PATCH", "/restype/k?uploadId=abc123", "UPLOAD"},
		{"PATCH", "/restype/k?uploadId=abc123&partNumber=1", "PART"},
		{"GET", "/restype/missing-key?uploadId=abc123&partNumber=1", "PART"},
		{"POST", "/restype/k?partNumber=1&uploadId=abc123", "PART"},
		{"PUT", "/restype/k?uploads", "UPLOADS"},
		{"DELETE", "/restype/k?attributes", "OBJECT_ATTRIBUTES"},
		{"DELETE", "/restype/k?encryption", "OBJECT_ENCRYPTION"},
		{"PUT", "/restype/k?restore", "RESTORE"},
		{"GET", "/restype/k?encryption", "OBJECT_ENCRYPTION"},
		{"GET", "/restype/k?restore", "RESTORE"},
		{"POST", "/restype/k?legal-hold", "OBJECT_LOCK_LEGALHOLD"},
		// A bucket's subresource at an object's path: the bucket's type
		// (_OBJECT_PATH_WRITE_SELECTORS).
		{"POST", "/restype/k?cors", "CORS"},
		{"PATCH", "/restype/missing-key?cors", "CORS"},
		{"POST", "/restype/k?location", "LOCATION"},
		{"PATCH", "/restype/k?policy", "BUCKETPOLICY"},
		{"POST", "/restype/k?versioning", "VERSIONING"},
		// renameObject S3 answered as the bare path, whose POST is
		// OBJECT's 405 (_BUCKET_WRITE_SELECTORS's comment).
		{"POST", "/restype/k?renameObject", "OBJECT"},
		// No subresource.
		{"PATCH", "/restype", "BUCKET"},
		{"POST", "/restype/k", "OBJECT"},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do(c.method, c.path, nil), http.StatusMethodNotAllowed, notAllowedDoc(c.method, c.resource))
		})
	}
}

// TestGetObjectTorrent checks GetObjectTorrent, which S3 refuses with
// the 405 naming TORRENT, at a key the bucket holds, at one it does not
// and at the bucket's path, after the bucket: NoSuchBucket for a bucket
// that does not exist (brekkylab/backlot routers/s3.py object_get,
// bucket_get and _BUCKET_OBJECT_SELECTORS, tests/test_s3.py
// _OBJECT_SUBRESOURCE_ROWS and _OBJECT_ORDER_ROWS, measured on S3).
//
// UNVERIFIED: the Allow of that 405 was not recorded; it is the one a
// PUT or a HEAD of ?torrent gets here, GetObjectTorrent's GET.
func TestGetObjectTorrent(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/torrent", nil), 200)
	mustStatus(t, ts.do("PUT", "/torrent/k", []byte("x")), 200)
	for _, path := range []string{"/torrent/k?torrent", "/torrent/missing-key?torrent", "/torrent?torrent"} {
		r := ts.do("GET", path, nil)
		mustError(t, r, http.StatusMethodNotAllowed, notAllowedDoc("GET", "TORRENT"))
		if got := r.Header.Values("Allow"); len(got) != 1 || got[0] != "GET" {
			t.Errorf("GET %s: Allow %q, want %q", path, got, "GET")
		}
	}
	for _, path := range []string{"/missing-bucket/k?torrent", "/missing-bucket?torrent"} {
		mustError(t, ts.do("GET", path, nil), 404,
			errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	}
}
