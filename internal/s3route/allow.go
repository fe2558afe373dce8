package s3route

import (
	"net/http"
	"net/url"
	"strings"
)

// allowOrder is the order S3 names methods in an Allow header: every value
// recorded from it follows it ("GET" at the service root, versity/versitygw#1810;
// "HEAD, DELETE, POST, GET, PUT" on a bucket, brekkylab/backlot#312;
// "POST, GET" for ?uploads, "DELETE, GET, PUT" for ?tagging, "DELETE, POST,
// GET" for ?uploadId, brekkylab/backlot#230).
var allowOrder = [...]string{http.MethodHead, http.MethodDelete, http.MethodPost, http.MethodGet, http.MethodPut}

// Allow returns the Allow header S3 sends with a 405 on the resource a
// names with query: the methods S3 has an operation for there, the
// subresource's when the query names one (the methods of its operations,
// never HEAD, which no subresource has), else the service's, the
// bucket's or the object's. A GET the subresource has no operation for
// is not one of them: S3 refuses GET ?delete with the 405 naming POST
// alone (brekkylab/backlot routers/s3.py _BUCKET_READ_REFUSED).
//
// UNVERIFIED: an object's value, "HEAD, DELETE, GET, PUT", was seen only
// through CloudFront (aws-amplify/amplify-hosting#3152) and cut short in
// brekkylab/backlot#312; and the order of a subresource's methods where
// no capture shows it (?cors) is taken to be allowOrder.
//
// Unlike the rest of the package, it allocates: the header it returns
// is made for the rare request answered 405.
func Allow(a Address, query url.Values, h http.Header) string {
	sub := subresourceAt(a, query, h)
	_, part := query["partNumber"]
	var b strings.Builder
	for _, m := range allowOrder {
		op, s := Classify(m, a, query, h)
		switch {
		case sub == "uploadId" && m == http.MethodPut && !part:
			// S3 splits an upload in two resources: its part, with
			// partNumber, takes PUT alone (UploadPart), which [Classify]
			// gives no other method, the upload without one DELETE,
			// POST and GET (brekkylab/backlot#230, routers/s3.py
			// _UPLOAD_PART).
			continue
		case sub == "uploads" && a.Key == "" && m == http.MethodPost:
			// S3 takes POST ?uploads at a bucket's path as an upload
			// that lacks its key, and names it (brekkylab/backlot#230:
			// "POST, GET"). s3route has no operation for it there, so
			// the POST itself is a 405 here, whose Allow names POST too.
		case op == "" || s != sub:
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m)
	}
	return b.String()
}
