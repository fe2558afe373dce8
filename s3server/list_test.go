package s3server_test

import (
	"strings"
	"testing"
)

// listServer returns a server whose bucket "list" holds a few keys.
func listServer(t *testing.T) *testServer {
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/list", nil), 200)
	for _, k := range []string{"a", "b/1", "b/2", "c d", "x&y"} {
		mustStatus(t, ts.do("PUT", "/list/"+strings.NewReplacer(" ", "%20", "&", "%26").Replace(k), []byte(k)), 200)
	}
	return ts
}

const (
	xmlHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	owner   = `<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>`
)

// contents is the Contents element of the key k of listServer.
func contents(k, etag string, withOwner bool) string {
	s := `<Contents><Key>` + k + `</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;` + etag + `&quot;</ETag><Size>` +
		map[string]string{"a": "1", "c d": "3", "x&amp;y": "3", "c+d": "3", "x%26y": "3"}[k] + `</Size>`
	if withOwner {
		s += owner
	}
	return s + `<StorageClass>STANDARD</StorageClass></Contents>`
}

const (
	nsOpen  = ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`
	prefixB = `<CommonPrefixes><Prefix>b/</Prefix></CommonPrefixes>`
)

func TestListObjectsGolden(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	etags := map[string]string{}
	for _, k := range []string{"a", "c%20d", "x%26y"} {
		etags[k] = strings.Trim(ts.do("HEAD", "/list/"+k, nil).Header.Get("ETag"), `"`)
	}
	tests := []struct{ path, want string }{
		{"/list?delimiter=/&max-keys=2", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix><Marker></Marker><NextMarker>b/</NextMarker>` +
			`<MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>` + contents("a", etags["a"], true) + prefixB + `</ListBucketResult>`},
		{"/list?delimiter=/&marker=b/", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix><Marker>b/</Marker>` +
			`<MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>` + contents("c d", etags["c%20d"], true) +
			contents("x&amp;y", etags["x%26y"], true) + `</ListBucketResult>`},
		{"/list?list-type=2&max-keys=1&prefix=c", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix>c</Prefix>` +
			`<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated>` + contents("c d", etags["c%20d"], false) + `</ListBucketResult>`},
		{"/list?list-type=2&max-keys=1&start-after=a&delimiter=/&fetch-owner=true", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix>` +
			`<NextContinuationToken>Yi8</NextContinuationToken><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><Delimiter>/</Delimiter><StartAfter>a</StartAfter>` +
			`<IsTruncated>true</IsTruncated>` + prefixB + `</ListBucketResult>`},
		{"/list?list-type=2&continuation-token=Yi8&delimiter=/&encoding-type=url", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix>` +
			`<ContinuationToken>Yi8</ContinuationToken><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><EncodingType>url</EncodingType>` +
			`<IsTruncated>false</IsTruncated>` + contents("c+d", etags["c%20d"], false) + contents("x%26y", etags["x%26y"], false) + `</ListBucketResult>`},
		// '/' stays as it is in names S3 URL-encodes.
		{"/list?list-type=2&delimiter=/&encoding-type=url&max-keys=2", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix>` +
			`<NextContinuationToken>Yi8</NextContinuationToken><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><EncodingType>url</EncodingType>` +
			`<IsTruncated>true</IsTruncated>` + contents("a", etags["a"], false) + prefixB + `</ListBucketResult>`},
		{"/list?versions&max-keys=1", xmlHead + `<ListVersionsResult` + nsOpen + `<Name>list</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>` +
			`<NextKeyMarker>a</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>` +
			`<Version><Key>a</Key><VersionId>null</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;` + etags["a"] +
			`&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass>` + owner + `</Version></ListVersionsResult>`},
		{"/list?max-keys=0", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix><Marker></Marker><MaxKeys>0</MaxKeys>` +
			`<IsTruncated>false</IsTruncated></ListBucketResult>`},
	}
	for _, tc := range tests {
		r := ts.do("GET", tc.path, nil)
		if r.StatusCode != 200 || string(r.body) != tc.want || r.Header.Get("Content-Type") != "application/xml" {
			t.Errorf("GET %s:\n got %s\nwant %s", tc.path, r.body, tc.want)
		}
	}
}

func TestListErrors(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	mustError(t, ts.do("GET", "/list?max-keys=many", nil), 400,
		errorDoc("InvalidArgument", "Provided max-keys not an integer or within integer range", "ArgumentName", "max-keys", "ArgumentValue", "many"))
	mustError(t, ts.do("GET", "/list?max-keys=-1", nil), 400,
		errorDoc("InvalidArgument", "Provided max-keys not an integer or within integer range", "ArgumentName", "max-keys", "ArgumentValue", "-1"))
	mustError(t, ts.do("GET", "/list?encoding-type=base64", nil), 400,
		errorDoc("InvalidArgument", "Invalid Encoding Method specified in Request", "ArgumentName", "encoding-type", "ArgumentValue", "base64"))
	mustError(t, ts.do("GET", "/list?list-type=2&continuation-token=%21%21", nil), 400,
		errorDoc("InvalidArgument", "The continuation token provided is incorrect", "ArgumentName", "continuation-token", "ArgumentValue", "!!"))
	mustError(t, ts.do("GET", "/list?versions&version-id-marker=v1&key-marker=a", nil), 400,
		errorDoc("InvalidArgument", "Invalid version id specified", "ArgumentName", "version-id-marker", "ArgumentValue", "v1"))
	if r := ts.do("GET", "/list?max-keys=5000", nil); !strings.Contains(string(r.body), "<MaxKeys>1000</MaxKeys>") {
		t.Errorf("max-keys over 1000: %s", r.body)
	}
}
