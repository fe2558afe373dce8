package s3server_test

import (
	"regexp"
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

// listedSum is the checksum S3 lists of an object uploaded without one,
// after its ETag (see TestSDKListChecksums).
const listedSum = `<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>`

// contents is the Contents element of the key k of listServer.
func contents(k, etag string, withOwner bool) string {
	s := `<Contents><Key>` + k + `</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;` + etag + `&quot;</ETag>` + listedSum + `<Size>` +
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
			`<StartAfter>a</StartAfter><NextContinuationToken>Yi8</NextContinuationToken><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><Delimiter>/</Delimiter>` +
			`<IsTruncated>true</IsTruncated>` + prefixB + `</ListBucketResult>`},
		// With a continuation token, start-after is ignored and not echoed;
		// an empty one is echoed.
		{"/list?list-type=2&continuation-token=Yi8&start-after=x%26y&delimiter=/", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix></Prefix>` +
			`<ContinuationToken>Yi8</ContinuationToken><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>` +
			`<IsTruncated>false</IsTruncated>` + contents("c d", etags["c%20d"], false) + contents("x&amp;y", etags["x%26y"], false) + `</ListBucketResult>`},
		{"/list?list-type=2&start-after=&prefix=c", xmlHead + `<ListBucketResult` + nsOpen + `<Name>list</Name><Prefix>c</Prefix><StartAfter></StartAfter>` +
			`<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` + contents("c d", etags["c%20d"], false) + `</ListBucketResult>`},
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
			`&quot;</ETag>` + listedSum + `<Size>1</Size><StorageClass>STANDARD</StorageClass>` + owner + `</Version></ListVersionsResult>`},
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
		errorDoc("InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647", "ArgumentName", "maxKeys", "ArgumentValue", "-1"))
	mustError(t, ts.do("GET", "/list?encoding-type=base64", nil), 400,
		errorDoc("InvalidArgument", "Invalid Encoding Method specified in Request", "ArgumentName", "encoding-type", "ArgumentValue", "base64"))
	mustError(t, ts.do("GET", "/list?list-type=2&continuation-token=%21%21", nil), 400,
		errorDoc("InvalidArgument", "The continuation token provided is incorrect", "ArgumentName", "continuation-token"))
	mustError(t, ts.do("GET", "/list?list-type=2&continuation-token=", nil), 400,
		errorDoc("InvalidArgument", "The continuation token provided is incorrect", "ArgumentName", "continuation-token"))
	mustError(t, ts.do("GET", "/list?versions&version-id-marker=v1&key-marker=a", nil), 400,
		errorDoc("InvalidArgument", "Invalid version id specified", "ArgumentName", "version-id-marker", "ArgumentValue", "v1"))
	// S3 serves at most 1000 keys and echoes max-keys as asked.
	if r := ts.do("GET", "/list?max-keys=5000", nil); !strings.Contains(string(r.body), "<MaxKeys>5000</MaxKeys>") {
		t.Errorf("max-keys over 1000: %s", r.body)
	}
}

// TestListMaxKeys checks max-keys, max-uploads and max-parts as S3 reads
// them (brekkylab/backlot#192 and tests/test_s3.py, measured on S3;
// versitygw#1809): a value that is not an int32 refused before one below
// 0, each in its own words.
func TestListMaxKeys(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	id := createUpload(t, ts, "/list/up")
	notInteger := func(name, value string) string {
		return errorDoc("InvalidArgument", "Provided "+name+" not an integer or within integer range", "ArgumentName", name, "ArgumentValue", value)
	}
	maxKeysRange := func(value string) string {
		return errorDoc("InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647", "ArgumentName", "maxKeys", "ArgumentValue", value)
	}
	uploadsRange := func(value string) string {
		return errorDoc("InvalidArgument", "Argument max-uploads must be an integer between 0 and 2147483647", "ArgumentName", "max-uploads", "ArgumentValue", value)
	}
	tests := []struct {
		query  string
		status int
		want   string // the error, or an element of the page
	}{
		{"max-keys=abc", 400, notInteger("max-keys", "abc")},
		{"max-keys=2147483648", 400, notInteger("max-keys", "2147483648")},
		{"max-keys=00002147483648", 400, notInteger("max-keys", "00002147483648")},
		{"max-keys=-2147483649", 400, notInteger("max-keys", "-2147483649")},
		{"max-keys=%205", 400, notInteger("max-keys", " 5")},
		{"max-keys=-", 400, notInteger("max-keys", "-")},
		{"max-keys=1.5", 400, notInteger("max-keys", "1.5")},
		{"max-keys=-1", 400, maxKeysRange("-1")},
		{"max-keys=-01", 400, maxKeysRange("-1")},
		{"max-keys=-2147483648", 400, maxKeysRange("-2147483648")},
		{"list-type=2&max-keys=-1", 400, maxKeysRange("-1")},
		{"list-type=2&max-keys=abc", 400, notInteger("max-keys", "abc")},
		{"versions&max-keys=-1", 400, errorDoc("InvalidArgument", "max-keys cannot be negative", "ArgumentName", "max-keys")},
		{"versions&max-keys=abc", 400, notInteger("max-keys", "abc")},
		{"max-keys=", 200, "<MaxKeys>1000</MaxKeys>"},
		{"max-keys=05", 200, "<MaxKeys>5</MaxKeys>"},
		{"max-keys=-0", 200, "<MaxKeys>0</MaxKeys>"},
		{"max-keys=1001", 200, "<MaxKeys>1001</MaxKeys>"},
		{"max-keys=00002147483647", 200, "<MaxKeys>2147483647</MaxKeys>"},
		{"max-keys=1&max-keys=abc", 200, "<MaxKeys>1</MaxKeys>"}, // the first is read
		{"list-type=2&max-keys=1001", 200, "<MaxKeys>1001</MaxKeys>"},
		{"versions&max-keys=1001", 200, "<MaxKeys>1001</MaxKeys>"},
		{"uploads&max-uploads=abc", 400, notInteger("max-uploads", "abc")},
		{"uploads&max-uploads=2147483648", 400, notInteger("max-uploads", "2147483648")},
		{"uploads&max-uploads=-1", 400, uploadsRange("-1")},
		{"uploads&max-uploads=-01", 400, uploadsRange("-1")},
		{"uploads&max-uploads=abc&max-uploads=1", 400, notInteger("max-uploads", "abc")},
		{"uploads&max-uploads=", 200, "<MaxUploads>1000</MaxUploads>"},
		{"uploads&max-uploads=05", 200, "<MaxUploads>5</MaxUploads>"},
		{"uploads&max-uploads=0", 200, "<MaxUploads>0</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>"},
		{"uploads&max-uploads=1001", 200, "<MaxUploads>1000</MaxUploads>"},
		{"uploads&max-keys=abc", 200, "<MaxUploads>1000</MaxUploads>"}, // not ListMultipartUploads' parameter
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", "/list?"+tc.query, nil)
			if tc.status != 200 {
				mustError(t, r, tc.status, tc.want)
				return
			}
			if r.StatusCode != 200 || !strings.Contains(string(r.body), tc.want) {
				t.Errorf("%s, want %s", r, tc.want)
			}
		})
	}
	mustError(t, ts.do("GET", "/list/up?uploadId="+id+"&max-parts=abc", nil), 400, notInteger("max-parts", "abc"))
	mustError(t, ts.do("GET", "/list/up?uploadId="+id+"&max-parts=-01", nil), 400,
		errorDoc("InvalidArgument", "Argument max-parts must be an integer between 0 and 2147483647", "ArgumentName", "max-parts", "ArgumentValue", "-1"))
	if r := ts.do("GET", "/list/up?uploadId="+id+"&max-parts=05", nil); !strings.Contains(string(r.body), "<MaxParts>5</MaxParts>") {
		t.Errorf("max-parts=05: %s", r)
	}
	// part-number-marker as max-parts (versitygw#1804, from S3's answers).
	markerRange := errorDoc("InvalidArgument", "Argument part-number-marker must be an integer between 0 and 2147483647",
		"ArgumentName", "part-number-marker", "ArgumentValue", "-1")
	for _, tc := range []struct{ value, want string }{
		{"abc", notInteger("part-number-marker", "abc")},
		{"2147483648", notInteger("part-number-marker", "2147483648")},
		{"99999999999", notInteger("part-number-marker", "99999999999")},
		{"%2B5", notInteger("part-number-marker", "+5")},
		{"-01", markerRange},
	} {
		mustError(t, ts.do("GET", "/list/up?uploadId="+id+"&part-number-marker="+tc.value, nil), 400, tc.want)
	}
	if r := ts.do("GET", "/list/up?uploadId="+id+"&part-number-marker=05", nil); !strings.Contains(string(r.body), "<PartNumberMarker>5</PartNumberMarker>") {
		t.Errorf("part-number-marker=05: %s", r)
	}
}

// TestListOtherVersion checks that a parameter of the other version of
// ListObjects is refused, as S3 refuses it (brekkylab/backlot
// tests/test_s3.py, measured 2026-09-14): naming it, without its value,
// an empty one too; after max-keys is parsed, before encoding-type.
func TestListOtherVersion(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	refused := func(name, message string) string {
		return errorDoc("InvalidArgument", message, "ArgumentName", name)
	}
	marker := refused("marker", "Marker unsupported with REST.GET.BUCKET in list-type=2")
	startAfter := refused("start-after", "startAfter only supported in REST.GET.BUCKET with list-type=2")
	token := refused("continuation-token", "continuation-token only supported in REST.GET.BUCKET with list-type=2")
	tests := []struct{ query, want string }{
		{"list-type=2&marker=x", marker},
		{"list-type=2&marker=", marker},
		{"list-type=2&marker=x&encoding-type=bogus", marker},
		{"start-after=x", startAfter},
		{"start-after=", startAfter},
		{"list-type=1&start-after=x", startAfter},
		{"continuation-token=x", token},
		{"continuation-token=", token},
		{"start-after=x&continuation-token=y", token},
		{"start-after=x&max-keys=abc", errorDoc("InvalidArgument", "Provided max-keys not an integer or within integer range",
			"ArgumentName", "max-keys", "ArgumentValue", "abc")},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do("GET", "/list?"+tc.query, nil), 400, tc.want)
		})
	}
	// Each listing's own are taken.
	for _, q := range []string{"marker=a", "list-type=2&start-after=a"} {
		mustStatus(t, ts.do("GET", "/list?"+q, nil), 200)
	}
}

// TestListEncoding checks encoding-type=url as S3 answers it, with the
// names and escapes captured from S3 (brekkylab/backlot tests/test_s3.py,
// measured 2026-09-11 and 2026-09-14): taken in any case and echoed as
// sent, names escaped as Java's URLEncoder escapes them but for '/'.
func TestListEncoding(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/enc", nil), 200)
	// As sent on the wire: "100%.csv", "a+b.txt", "run books/x.txt",
	// "s!*'()~-_.,;:@=|" and "한글/k".
	for _, k := range []string{"100%25.csv", "a%2Bb.txt", "run%20books/x.txt", "s%21%2A%27%28%29~-_.%2C%3B%3A%40%3D%7C", "%ED%95%9C%EA%B8%80/k"} {
		mustStatus(t, ts.do("PUT", "/enc/"+k, []byte("x")), 200)
	}
	entry := regexp.MustCompile(`<Key>([^<]*)</Key>|<CommonPrefixes><Prefix>([^<]*)</Prefix>`)
	keys := func(body []byte) string {
		var out []string
		for _, m := range entry.FindAllSubmatch(body, -1) {
			out = append(out, string(m[1])+string(m[2]))
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ query, encodingType, keys string }{
		{"encoding-type=url&delimiter=/", "url", "100%25.csv a%2Bb.txt s%21*%27%28%29%7E-_.%2C%3B%3A%40%3D%7C run+books/ %ED%95%9C%EA%B8%80/"},
		{"list-type=2&encoding-type=URL&delimiter=/", "URL", "100%25.csv a%2Bb.txt s%21*%27%28%29%7E-_.%2C%3B%3A%40%3D%7C run+books/ %ED%95%9C%EA%B8%80/"},
		{"versions&encoding-type=Url&prefix=run%20books/", "Url", "run+books/x.txt"},
		{"encoding-type=url&encoding-type=bogus&prefix=a", "url", "a%2Bb.txt"}, // the first is read
		{"delimiter=/", "", "100%.csv a+b.txt s!*'()~-_.,;:@=| run books/ 한글/"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", "/enc?"+tc.query, nil)
			echo := "<EncodingType>" + tc.encodingType + "</EncodingType>"
			if r.StatusCode != 200 || keys(r.body) != tc.keys || strings.Contains(string(r.body), "<EncodingType>") != (tc.encodingType != "") ||
				tc.encodingType != "" && !strings.Contains(string(r.body), echo) {
				t.Errorf("%s\nkeys %s\nwant %s, %s", r, keys(r.body), tc.keys, echo)
			}
		})
	}
	// The prefix and the delimiter are escaped too.
	r := ts.do("GET", "/enc?list-type=2&encoding-type=url&prefix=run%20books/&delimiter=%7C&start-after=%2A~", nil)
	if !strings.Contains(string(r.body), "<Prefix>run+books/</Prefix><StartAfter>*%7E</StartAfter>") || !strings.Contains(string(r.body), "<Delimiter>%7C</Delimiter>") {
		t.Errorf("escaped parameters: %s", r)
	}
	for _, v := range []string{"bogus", ""} {
		mustError(t, ts.do("GET", "/enc?encoding-type="+v+"&encoding-type=url", nil), 400,
			errorDoc("InvalidArgument", "Invalid Encoding Method specified in Request", "ArgumentName", "encoding-type", "ArgumentValue", v))
	}
}

// TestListStartAfterInsideCommonPrefix lists after a key inside a common
// prefix: the prefix is not listed again, though "b/2" follows "b/1".
// UNVERIFIED on S3: Ceph RGW, which s3-tests check against S3, moves such
// a marker past its common prefix ("if marker points at a common prefix,
// fast forward it into its upperbound string", rgw_rados.cc), and a
// client paging by NextMarker never lists one prefix twice.
func TestListStartAfterInsideCommonPrefix(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	for _, path := range []string{"/list?list-type=2&delimiter=/&start-after=b/1", "/list?delimiter=/&marker=b/1", "/list?delimiter=/&marker=b/"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", path, nil)
			mustStatus(t, r, 200)
			if body := string(r.body); strings.Contains(body, "<CommonPrefixes>") || !strings.Contains(body, "<Key>c d</Key>") {
				t.Errorf("GET %s:\n%s\nwant c d and no common prefix", path, body)
			}
		})
	}
	r := ts.do("GET", "/list?list-type=2&delimiter=/&start-after=b", nil)
	if !strings.Contains(string(r.body), prefixB) {
		t.Errorf("start-after=b: %s, want the common prefix b/", r.body)
	}
}
