package s3server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3server"
)

// These tests send multipart, copy and tagging requests as raw HTTP and
// compare S3's documents whole, then send the hostile inputs of issue 11:
// each gets S3's error, in bounded time and reads, and nothing is stored.

var uploadIDRE = regexp.MustCompile(`<UploadId>([^<]+)</UploadId>`)

// createUpload starts an upload of key and returns its ID.
func createUpload(t *testing.T, ts *testServer, path string, header ...string) string {
	t.Helper()
	r := ts.do("POST", path+"?uploads", nil, header...)
	mustStatus(t, r, 200)
	m := uploadIDRE.FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("no UploadId in %s", r.body)
	}
	return string(m[1])
}

func putPart(t *testing.T, ts *testServer, path, id string, n int, body []byte) string {
	t.Helper()
	r := ts.do("PUT", path+"?partNumber="+strconv.Itoa(n)+"&uploadId="+id, body)
	mustStatus(t, r, 200)
	return r.Header.Get("ETag")
}

// completeBody is a CompleteMultipartUpload document listing parts as
// number, ETag pairs.
func completeBody(parts ...string) []byte {
	var b strings.Builder
	b.WriteString(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for i := 0; i+1 < len(parts); i += 2 {
		b.WriteString("<Part><PartNumber>" + parts[i] + "</PartNumber><ETag>" + parts[i+1] + "</ETag></Part>")
	}
	b.WriteString("</CompleteMultipartUpload>")
	return []byte(b.String())
}

func TestMultipartDocuments(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/docs", nil), 200)
	r := ts.do("POST", "/docs/a%20b?uploads", nil, "Content-Type", "text/plain", "x-amz-meta-color", "red", "x-amz-tagging", "t=1",
		"x-amz-checksum-algorithm", "CRC32C")
	mustStatus(t, r, 200)
	id := string(uploadIDRE.FindSubmatch(r.body)[1])
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>docs</Bucket><Key>a b</Key><UploadId>` + id + `</UploadId></InitiateMultipartUploadResult>`
	if string(r.body) != want || r.Header.Get("x-amz-checksum-algorithm") != "CRC32C" || r.Header.Get("x-amz-checksum-type") != "COMPOSITE" ||
		r.Header.Get("x-amz-server-side-encryption") != "AES256" {
		t.Errorf("CreateMultipartUpload:\n%s\n%v\nwant\n%s", r.body, r.Header, want)
	}
	// The header keys as S3 spells them on the wire.
	for _, name := range []string{"x-amz-checksum-algorithm", "x-amz-checksum-type", "x-amz-server-side-encryption"} {
		if _, ok := r.Header[http.CanonicalHeaderKey(name)]; !ok {
			t.Errorf("no %s", name)
		}
	}
	part1 := bytes.Repeat([]byte("a"), s3server.MinPartSize)
	e1 := ts.do("PUT", "/docs/a%20b?partNumber=1&uploadId="+id, part1, "x-amz-checksum-crc32c", "nC+G0g==")
	mustStatus(t, e1, 400) // a wrong checksum: BadDigest
	if s3Code(e1.body) != "BadDigest" {
		t.Errorf("a part with a wrong CRC32C: %s", e1)
	}
	// A COMPOSITE upload needs each part's checksum.
	mustError(t, ts.do("PUT", "/docs/a%20b?partNumber=1&uploadId="+id, part1), 400,
		errorDoc("InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: null"))
	mustError(t, ts.do("PUT", "/docs/a%20b?partNumber=1&uploadId="+id, part1, "x-amz-checksum-sha1", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="), 400,
		errorDoc("InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: sha1"))
	ok := ts.do("PUT", "/docs/a%20b?partNumber=1&uploadId="+id, part1, "x-amz-checksum-crc32c", crc32cOf(part1))
	mustStatus(t, ok, 200)
	if ok.Header.Get("x-amz-checksum-crc32c") != crc32cOf(part1) || ok.Header.Get("ETag") != md5ETag(part1) {
		t.Errorf("UploadPart: %v", ok.Header)
	}
	part2 := []byte("end")
	mustStatus(t, ts.do("PUT", "/docs/a%20b?partNumber=2&uploadId="+id, part2, "x-amz-checksum-crc32c", crc32cOf(part2)), 200)
	listed := ts.do("GET", "/docs/a%20b?uploadId="+id, nil)
	lastModified := regexp.MustCompile(`<LastModified>[^<]+</LastModified>`)
	wantList := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>docs</Bucket><Key>a b</Key><UploadId>` + id +
		`</UploadId><Initiator><ID>` + ownerIDForTest + `</ID></Initiator><Owner><ID>` + ownerIDForTest + `</ID></Owner><StorageClass>STANDARD</StorageClass>` +
		`<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>` +
		`<Part><PartNumber>1</PartNumber><LastModified>T</LastModified><ETag>` + strings.ReplaceAll(md5ETag(part1), `"`, "&quot;") + `</ETag><Size>5242880</Size><ChecksumCRC32C>` + crc32cOf(part1) + `</ChecksumCRC32C></Part>` +
		`<Part><PartNumber>2</PartNumber><LastModified>T</LastModified><ETag>` + strings.ReplaceAll(md5ETag(part2), `"`, "&quot;") + `</ETag><Size>3</Size><ChecksumCRC32C>` + crc32cOf(part2) + `</ChecksumCRC32C></Part>` +
		`<ChecksumAlgorithm>CRC32C</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType></ListPartsResult>`
	if got := lastModified.ReplaceAllString(string(listed.body), "<LastModified>T</LastModified>"); got != wantList {
		t.Errorf("ListParts:\n%s\nwant\n%s", got, wantList)
	}
	// A COMPOSITE completion lists each part's checksum.
	mustError(t, ts.do("POST", "/docs/a%20b?uploadId="+id, completeBody("1", md5ETag(part1), "2", md5ETag(part2))), 400,
		errorDoc("InvalidRequest", "The upload was created using a crc32c checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request."))
	body := []byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>` + md5ETag(part1) + `</ETag><ChecksumCRC32C>` + crc32cOf(part1) +
		`</ChecksumCRC32C></Part><Part><PartNumber>2</PartNumber><ETag>` + md5ETag(part2) + `</ETag><ChecksumCRC32C>` + crc32cOf(part2) + `</ChecksumCRC32C></Part></CompleteMultipartUpload>`)
	done := ts.do("POST", "/docs/a%20b?uploadId="+id, body)
	data := append(append([]byte{}, part1...), part2...)
	wantDone := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>` + ts.URL + `/docs/a+b</Location><Bucket>docs</Bucket><Key>a b</Key><ETag>` +
		strings.ReplaceAll(multipartETag(data, s3server.MinPartSize), `"`, "&quot;") + `</ETag><ChecksumCRC32C>` + compositeChecksum("CRC32C", data, s3server.MinPartSize) +
		`</ChecksumCRC32C><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>`
	if string(done.body) != wantDone {
		t.Errorf("CompleteMultipartUpload:\n%s\nwant\n%s", done.body, wantDone)
	}
	// A retry of the completion gets the same answer.
	if again := ts.do("POST", "/docs/a%20b?uploadId="+id, body); string(again.body) != wantDone {
		t.Errorf("a retried CompleteMultipartUpload: %s", again)
	}
	got := ts.do("GET", "/docs/a%20b", nil)
	if !bytes.Equal(got.body, data) || got.Header.Get("Content-Type") != "text/plain" || got.Header.Get("x-amz-meta-color") != "red" ||
		got.Header.Get("x-amz-tagging-count") != "1" || got.Header.Get("ETag") != multipartETag(data, s3server.MinPartSize) {
		t.Errorf("GetObject of the completed upload: %d bytes, %v", len(got.body), got.Header)
	}
	mustError(t, ts.do("GET", "/docs/a%20b?partNumber=3", nil), 416, errorDoc("InvalidPartNumber", "The requested partnumber is not satisfiable",
		"PartNumberRequested", "3", "ActualPartCount", "2"))
	mustError(t, ts.do("DELETE", "/docs/a%20b?uploadId="+id, nil), 404, errorDoc("NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", "UploadId", id))
	// Tagging documents.
	tagging := ts.do("GET", "/docs/a%20b?tagging", nil)
	if want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>t</Key><Value>1</Value></Tag></TagSet></Tagging>`; string(tagging.body) != want {
		t.Errorf("GetObjectTagging: %s", tagging.body)
	}
	mustError(t, ts.do("PUT", "/docs/a%20b?tagging", []byte("<Tagging><TagSet/></Tagging>")), 400,
		errorDoc("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"))
	copied := ts.do("PUT", "/docs/copy", nil, "x-amz-copy-source", "/docs/a%20b")
	if want := `<ETag>&quot;` + strings.Trim(md5ETag(data), `"`) + `&quot;</ETag><ChecksumCRC32C>` + crc32cOf(data) + `</ChecksumCRC32C><ChecksumType>FULL_OBJECT</ChecksumType></CopyObjectResult>`; copied.StatusCode != 200 ||
		!strings.HasPrefix(string(copied.body), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>`) || !strings.HasSuffix(string(copied.body), want) {
		t.Errorf("CopyObject: %s\nwant it to end with %s", copied, want)
	}
}

// ownerIDForTest is the canonical ID of the server's one account.
const ownerIDForTest = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"

func md5ETag(b []byte) string { return `"` + md5Hex(b) + `"` }

// md5Hex is the MD5 of b in hex, as S3 gives a Content-MD5 in BadDigest's
// ExpectedDigest.
func md5Hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func crc32cOf(b []byte) string { return sum64("CRC32C", b) }

func TestMultipartErrors(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/mpe", nil), 200)
	id := createUpload(t, ts, "/mpe/k")
	for _, n := range []string{"0", "10001", "-1", "x", ""} {
		mustError(t, ts.do("PUT", "/mpe/k?partNumber="+n+"&uploadId="+id, []byte("x")), 400,
			errorDoc("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", "ArgumentName", "partNumber", "ArgumentValue", n))
	}
	noUpload := func(id string) string {
		return errorDoc("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", "UploadId", id)
	}
	mustError(t, ts.do("PUT", "/mpe/k?partNumber=1&uploadId=nope", []byte("x")), 404, noUpload("nope"))
	mustError(t, ts.do("PUT", "/mpe/other?partNumber=1&uploadId="+id, []byte("x")), 404, noUpload(id))
	mustError(t, ts.do("PUT", "/mpe/k?partNumber=1&uploadId=..%2F..%2Fetc", []byte("x")), 404, noUpload("../../etc"))
	small := bytes.Repeat([]byte("s"), 1000)
	big := bytes.Repeat([]byte("b"), s3server.MinPartSize)
	es := putPart(t, ts, "/mpe/k", id, 1, small)
	eb := putPart(t, ts, "/mpe/k", id, 2, big)
	e3 := putPart(t, ts, "/mpe/k", id, 3, small)
	invalidPart := func(n, etag string) string {
		return errorDoc("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
			"UploadId", id, "PartNumber", n, "ETag", etag)
	}
	malformed := errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	order := errorDoc("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", "UploadId", id)
	tooMany := &strings.Builder{}
	tooMany.WriteString("<CompleteMultipartUpload>")
	for n := 1; n <= 10001; n++ {
		fmt.Fprintf(tooMany, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", n, es)
	}
	tooMany.WriteString("</CompleteMultipartUpload>")
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		want   string
	}{
		{"not XML", []byte("<CompleteMultipartUpload><Part>"), 400, malformed},
		{"another document", []byte("<Delete/>"), 400, malformed},
		{"no parts", completeBody(), 400, malformed},
		{"10,001 parts", []byte(tooMany.String()), 400, malformed},
		{"a part number that is no number", completeBody("one", es), 400, malformed},
		// A part without a PartNumber or an ETag does not validate
		// (versity/versitygw#2111, checked against S3).
		{"a part without a PartNumber", []byte("<CompleteMultipartUpload><Part><ETag>" + es + "</ETag></Part></CompleteMultipartUpload>"), 400, malformed},
		{"a part without an ETag", []byte("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>"), 400, malformed},
		{"out of order", completeBody("2", eb, "1", es), 400, order},
		{"a part twice", completeBody("1", es, "1", es), 400, order},
		{"a part never uploaded", completeBody("1", es, "4", es), 400, invalidPart("4", es)},
		{"a wrong ETag", completeBody("1", es, "2", es), 400, invalidPart("2", es)},
		{"a small part before the last", completeBody("1", es, "2", eb), 400, errorDoc("EntityTooSmall",
			"Your proposed upload is smaller than the minimum allowed size", "ProposedSize", "1000", "MinSizeAllowed", "5242880",
			"PartNumber", "1", "ETag", strings.Trim(es, `"`))},
	} {
		mustError(t, ts.do("POST", "/mpe/k?uploadId="+id, tc.body), tc.status, tc.want)
	}
	mustError(t, ts.do("POST", "/mpe/k?uploadId="+id, completeBody("2", eb, "3", e3), "x-amz-mp-object-size", "7"), 400,
		errorDoc("InvalidRequest", "The provided 'x-amz-mp-object-size' header value 7 does not match what was computed: 5243880"))
	// A value that is no size has S3's own answers (versity/versitygw#1398,
	// a raw capture of "size"; versity/versitygw#1400 for a negative one).
	for v, want := range map[string]string{
		"size": "Value for x-amz-mp-object-size header is invalid: 'size'",
		"-1":   "Value for x-amz-mp-object-size header is less than zero: '-1'",
	} {
		mustError(t, ts.do("POST", "/mpe/k?uploadId="+id, completeBody("2", eb, "3", e3), "x-amz-mp-object-size", v), 400,
			errorDoc("InvalidRequest", want))
	}
	if r := ts.do("GET", "/mpe/k", nil); r.StatusCode != 404 {
		t.Fatalf("a refused completion stored the object: %s", r)
	}
	// Parts 2 and 3 make an object; part 1 is left out, as S3 allows.
	done := ts.do("POST", "/mpe/k?uploadId="+id, completeBody("2", eb, "3", strings.Trim(e3, `"`)), "x-amz-mp-object-size", "5243880")
	mustStatus(t, done, 200)
	if r := ts.do("GET", "/mpe/k", nil); !bytes.Equal(r.body, append(append([]byte{}, big...), small...)) {
		t.Errorf("the completed object holds %d bytes", len(r.body))
	}
	// Abort.
	id2 := createUpload(t, ts, "/mpe/k2")
	putPart(t, ts, "/mpe/k2", id2, 1, small)
	r := ts.do("DELETE", "/mpe/k2?uploadId="+id2, nil)
	if r.StatusCode != 204 || len(r.body) != 0 {
		t.Errorf("AbortMultipartUpload: %s", r)
	}
	mustError(t, ts.do("GET", "/mpe/k2?uploadId="+id2, nil), 404, noUpload(id2))
	mustError(t, ts.do("POST", "/mpe/k2?uploadId="+id2, completeBody("1", es)), 404, noUpload(id2))
	// Checksum headers of CreateMultipartUpload.
	for _, tc := range [][]string{
		{"x-amz-checksum-type", "COMPOSITE"},
		{"x-amz-checksum-algorithm", "MD4"},
		{"x-amz-checksum-algorithm", "SHA256", "x-amz-checksum-type", "FULL_OBJECT"},
		{"x-amz-checksum-algorithm", "CRC64NVME", "x-amz-checksum-type", "COMPOSITE"},
		{"x-amz-checksum-algorithm", "CRC32", "x-amz-checksum-type", "HALF"},
	} {
		if r := ts.do("POST", "/mpe/k3?uploads", nil, tc...); r.StatusCode != 400 || s3Code(r.body) != "InvalidRequest" {
			t.Errorf("CreateMultipartUpload with %q: %s", tc, r)
		}
	}
	if r := ts.do("GET", "/mpe?uploads", nil); strings.Contains(string(r.body), "<Upload>") {
		t.Errorf("uploads left: %s", r.body)
	}
}

// TestMultipartHostile sends the hostile inputs of issue 11 to a server
// on disk over raw TCP: each is answered with S3's error while the
// client may still be sending, having read a bounded part of it, and the
// data directory is left as it was.
func TestMultipartHostile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.CreateBucket("hostile", ""); err != nil {
		t.Fatal(err)
	}
	cs := newCountingServer(t, s)
	host := cs.Listener.Addr().String()
	ex := cs.send(t, "POST /hostile/k?uploads HTTP/1.1\r\nHost: "+host+"\r\nContent-Length: 0\r\n", nil, false)
	id := string(uploadIDRE.FindSubmatch(ex.body)[1])
	before := snapshot(t, dir)
	endless := func() io.Reader { return io.LimitReader(zeros{}, 1<<40) }
	tooMany := &strings.Builder{}
	tooMany.WriteString("<CompleteMultipartUpload>")
	for n := 1; n <= 10001; n++ {
		fmt.Fprintf(tooMany, "<Part><PartNumber>%d</PartNumber><ETag>\"d41d8cd98f00b204e9800998ecf8427e\"</ETag></Part>", n)
	}
	tooMany.WriteString("</CompleteMultipartUpload>")
	for _, tc := range []struct {
		name    string
		head    string
		body    func() io.Reader
		chunked bool
		code    string
		maxRead int64
	}{
		{"a part declaring 1 TiB", "PUT /hostile/k?partNumber=1&uploadId=" + id + " HTTP/1.1\r\nContent-Length: 1099511627776\r\n", endless, false, "EntityTooLarge", 1 << 20},
		{"a part of 6 GiB streamed without a length", "PUT /hostile/k?partNumber=1&uploadId=" + id + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", endless, true, "NotImplemented", 1 << 20},
		{"a PutObject declaring 1 TiB", "PUT /hostile/big HTTP/1.1\r\nContent-Length: 1099511627776\r\n", endless, false, "EntityTooLarge", 1 << 20},
		{"an endless completion document", "POST /hostile/k?uploadId=" + id + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", endless, true, "MaxMessageLengthExceeded", 6 << 20},
		{"a completion declaring 1 TiB", "POST /hostile/k?uploadId=" + id + " HTTP/1.1\r\nContent-Length: 1099511627776\r\n", endless, false, "MaxMessageLengthExceeded", 1 << 20},
		{"10,001 parts", "POST /hostile/k?uploadId=" + id + " HTTP/1.1\r\nContent-Length: " + strconv.Itoa(tooMany.Len()) + "\r\n",
			func() io.Reader { return strings.NewReader(tooMany.String()) }, false, "MalformedXML", 2 << 20},
		{"a completion of malformed XML", "POST /hostile/k?uploadId=" + id + " HTTP/1.1\r\nContent-Length: 9\r\n",
			func() io.Reader { return strings.NewReader("<Complete") }, false, "MalformedXML", 1 << 20},
		{"a 1 MB tagging header", "PUT /hostile/tagged HTTP/1.1\r\nContent-Length: 1\r\nx-amz-tagging: " + strings.Repeat("a=b&", 250000) + "\r\n",
			func() io.Reader { return strings.NewReader("x") }, false, "RequestHeaderSectionTooLarge", 2 << 20},
		{"a tagging header of 11 tags behind 8,000 empty pairs", "PUT /hostile/tagged HTTP/1.1\r\nContent-Length: 1\r\nx-amz-tagging: " + strings.Repeat("&", 8000) + "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11\r\n",
			func() io.Reader { return strings.NewReader("x") }, false, "BadRequest", 1 << 20},
		{"a copy source climbing out", "PUT /hostile/copy HTTP/1.1\r\nContent-Length: 0\r\nx-amz-copy-source: /hostile/../../../etc/passwd\r\n", nil, false, "NoSuchKey", 1 << 20},
		{"a copy source of an escaped climb", "PUT /hostile/copy HTTP/1.1\r\nContent-Length: 0\r\nx-amz-copy-source: %2e%2e%2f%2e%2e%2fetc%2fpasswd\r\n", nil, false, "NoSuchBucket", 1 << 20},
		{"a copy source naming no key", "PUT /hostile/copy HTTP/1.1\r\nContent-Length: 0\r\nx-amz-copy-source: /hostile\r\n", nil, false, "InvalidArgument", 1 << 20},
		{"a copy source in another bucket's place", "PUT /hostile/copy HTTP/1.1\r\nContent-Length: 0\r\nx-amz-copy-source: /../buckets/hostile/bucket.json\r\n", nil, false, "NoSuchBucket", 1 << 20},
		{"a part copy of a climbing range", "PUT /hostile/k?partNumber=1&uploadId=" + id + " HTTP/1.1\r\nContent-Length: 0\r\nx-amz-copy-source: /hostile/..%2F..%2Fs3cors.lock\r\n", nil, false, "NoSuchKey", 1 << 20},
	} {
		var body io.Reader
		if tc.body != nil {
			body = tc.body()
		}
		ex := cs.send(t, strings.Replace(tc.head, " HTTP/1.1\r\n", " HTTP/1.1\r\nHost: "+host+"\r\n", 1), body, tc.chunked)
		if got := s3Code(ex.body); got != tc.code || ex.resp.StatusCode < 400 {
			t.Errorf("%s: %d %s, want %s:\n%s", tc.name, ex.resp.StatusCode, got, tc.code, ex.body)
		}
		if ex.consumed > tc.maxRead {
			t.Errorf("%s: the server read %d bytes, more than %d", tc.name, ex.consumed, tc.maxRead)
		}
		t.Logf("%s: %d %s in %v, %d bytes read by the server", tc.name, ex.resp.StatusCode, tc.code, ex.took.Round(time.Millisecond), ex.consumed)
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Errorf("hostile requests changed the data directory: %s", d)
	}
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestVirtualHosted addresses buckets by host under Options.Domains, path
// style still served, and other hosts refused.
func TestVirtualHosted(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{Domains: []string{"localhost", "s3.test"}, AllowedHosts: []string{"127.0.0.1", "localhost"}})
	do := func(method, host, path string, body []byte, header ...string) response {
		req := ts.request(method, path, body, header...)
		req.Host = host
		return ts.send(req)
	}
	port := ts.Listener.Addr().String()[strings.LastIndex(ts.Listener.Addr().String(), ":"):]
	mustStatus(t, do("PUT", "vhost.localhost"+port, "/", nil), 200)
	mustStatus(t, do("PUT", "vhost.localhost"+port, "/dir/key", []byte("hello")), 200)
	if r := ts.do("GET", "/vhost/dir/key", nil); string(r.body) != "hello" {
		t.Errorf("path style after a virtual-hosted put: %s", r)
	}
	if r := do("GET", "VHost.S3.Test.", "/dir/key", nil); string(r.body) != "hello" {
		t.Errorf("virtual-hosted GET under the second domain: %s", r)
	}
	// The domain itself, not in AllowedHosts, is answered, by path: as
	// s3.amazonaws.com, where the SDKs send ListBuckets.
	if r := do("GET", "s3.test"+port, "/vhost/dir/key", nil); string(r.body) != "hello" {
		t.Errorf("path style at the domain itself: %s", r)
	}
	if r := do("GET", "vhost.localhost"+port, "/?list-type=2", nil); !strings.Contains(string(r.body), "<Key>dir/key</Key>") {
		t.Errorf("ListObjectsV2 by host: %s", r)
	}
	cors := corsDoc(`<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>`)
	mustStatus(t, do("PUT", "vhost.localhost"+port, "/?cors", cors, "Content-MD5", contentMD5(cors)), 200)
	if r := do("GET", "vhost.localhost"+port, "/?cors", nil); !strings.Contains(string(r.body), "<CORSConfiguration") {
		t.Errorf("GetBucketCors by host: %s", r)
	}
	pre := do("OPTIONS", "vhost.localhost"+port, "/dir/key", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET")
	if pre.StatusCode != 200 || pre.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("a preflight by host: %s %v", pre, pre.Header)
	}
	if r := do("GET", "evil.example", "/vhost/dir/key", nil); r.StatusCode != 400 || s3Code(r.body) != "InvalidArgument" {
		t.Errorf("another host: %s", r)
	}
	if r := do("GET", "localhost.evil.example", "/vhost/dir/key", nil); r.StatusCode != 400 {
		t.Errorf("a host ending in another domain: %s", r)
	}
	// CompleteMultipartUpload's Location follows the style.
	id := createUploadAt(t, do, "vhost.localhost"+port, "/big")
	e := do("PUT", "vhost.localhost"+port, "/big?partNumber=1&uploadId="+id, []byte("one part")).Header.Get("ETag")
	done := do("POST", "vhost.localhost"+port, "/big?uploadId="+id, completeBody("1", e))
	var result struct{ Location, Bucket, Key string }
	if err := xml.Unmarshal(done.body, &result); err != nil || result.Location != "http://vhost.localhost"+port+"/big" || result.Bucket != "vhost" || result.Key != "big" {
		t.Errorf("CompleteMultipartUpload by host: %v %+v", err, result)
	}
}

func createUploadAt(t *testing.T, do func(method, host, path string, body []byte, header ...string) response, host, path string) string {
	t.Helper()
	r := do("POST", host, path+"?uploads", nil)
	m := uploadIDRE.FindSubmatch(r.body)
	if m == nil {
		t.Fatalf("no UploadId in %s", r)
	}
	return string(m[1])
}

// TestWireSpelling reads the header names off the wire, as curl -i shows
// them: ETag and x-amz-* spelled as S3 spells them, not as Go's
// canonical form would (Etag, X-Amz-...).
func TestWireSpelling(t *testing.T) {
	t.Parallel()
	s, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cs := newCountingServer(t, s)
	host := "Host: " + cs.Listener.Addr().String() + "\r\n"
	for _, tc := range []struct {
		head  string
		names []string
	}{
		{"PUT /spell HTTP/1.1\r\nContent-Length: 0\r\n", nil},
		{"PUT /spell/k HTTP/1.1\r\nContent-Length: 1\r\nx-amz-tagging: a=b\r\nx-amz-checksum-crc32: " + sum64("CRC32", []byte("x")) + "\r\n", []string{"ETag: ", "x-amz-server-side-encryption: AES256", "x-amz-checksum-crc32: "}},
		{"GET /spell/k HTTP/1.1\r\nx-amz-checksum-mode: ENABLED\r\n", []string{"ETag: ", "x-amz-server-side-encryption: AES256", "x-amz-tagging-count: 1", "x-amz-checksum-crc32: ", "x-amz-checksum-type: FULL_OBJECT"}},
		{"HEAD /spell HTTP/1.1\r\n", []string{"x-amz-bucket-region: us-east-1"}},
	} {
		dump := rawResponseHead(t, cs.Listener.Addr().String(), strings.Replace(tc.head, "\r\n", "\r\n"+host, 1), tc.head[:3] == "PUT")
		for _, name := range tc.names {
			if !strings.Contains(dump, "\r\n"+name) {
				t.Errorf("%s: no %q on the wire:\n%s", strings.SplitN(tc.head, "\r\n", 2)[0], name, dump)
			}
		}
	}
}

// rawResponseHead sends head (and the body "x" when withBody) and returns
// the response's status line and headers as they came on the wire.
func rawResponseHead(t *testing.T, addr, head string, withBody bool) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(exchangeTimeout))
	req := head + "Connection: close\r\n\r\n"
	if withBody && strings.Contains(head, "Content-Length: 1") {
		req += "x"
	}
	io.WriteString(conn, req)
	b, _ := io.ReadAll(conn)
	h, _, _ := strings.Cut(string(b), "\r\n\r\n")
	return h
}

// TestCompleteLocation checks the Location CompleteMultipartUpload gives
// for a key with a slash and a space: form-encoded, as S3 gives it
// ("%2F" and "+"), and the rest as Java's URLEncoder escapes it, as S3's
// listings do ('*' as it is, '~' as %7E; UNVERIFIED for Location).
func TestCompleteLocation(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/loc", nil), 200)
	const path = "/loc/dir/a%20b%2A~.jpg"
	id := createUpload(t, ts, path)
	etag := putPart(t, ts, path, id, 1, []byte("x"))
	done := ts.do("POST", path+"?uploadId="+id, completeBody("1", etag))
	if want := "<Location>" + ts.URL + "/loc/dir%2Fa+b*%7E.jpg</Location>"; done.StatusCode != 200 || !strings.Contains(string(done.body), want) {
		t.Errorf("CompleteMultipartUpload: %s\nwant %s", done, want)
	}
}

// TestListMultipartUploadsShape checks ListMultipartUploads' elements,
// their order and its refusals against S3's answers (brekkylab/backlot
// tests/test_s3.py, measured 2026-09-11 on a bucket with no upload).
func TestListMultipartUploadsShape(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/mpl", nil), 200)
	const fixedHead = `<Bucket>mpl</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>`
	empty := xmlHead + `<ListMultipartUploadsResult` + nsOpen + fixedHead + `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`
	tests := []struct{ query, want string }{
		{"uploads", empty},
		{"uploads=", empty},
		// Empty ones are not echoed; upload-id-marker without key-marker
		// is ignored.
		{"uploads&prefix=&delimiter=&key-marker=", empty},
		{"uploads&upload-id-marker=xyz", empty},
		{"uploads&delimiter=/&prefix=run%20books/&encoding-type=url", xmlHead + `<ListMultipartUploadsResult` + nsOpen + fixedHead +
			`<Delimiter>/</Delimiter><Prefix>run+books/</Prefix><MaxUploads>1000</MaxUploads><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`},
		{"uploads&prefix=run%20books/x%20y%25z%21%2A%27%28%29~-_.%2C%3B%3A%40%3D&key-marker=k%20m&delimiter=%7C&encoding-type=URL", xmlHead +
			`<ListMultipartUploadsResult` + nsOpen + `<Bucket>mpl</Bucket><KeyMarker>k+m</KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker></NextKeyMarker>` +
			`<NextUploadIdMarker></NextUploadIdMarker><Delimiter>%7C</Delimiter><Prefix>run+books/x+y%25z%21*%27%28%29%7E-_.%2C%3B%3A%40%3D</Prefix>` +
			`<MaxUploads>1000</MaxUploads><EncodingType>URL</EncodingType><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`},
		{"uploads&key-marker=abc&upload-id-marker=xyz",
			errorDoc("InvalidArgument", "Invalid uploadId marker", "ArgumentName", "upload-id-marker", "ArgumentValue", "xyz")},
		// encoding-type, then max-uploads, then the markers.
		{"uploads&max-uploads=-1&encoding-type=bogus&key-marker=a&upload-id-marker=b",
			errorDoc("InvalidArgument", "Invalid Encoding Method specified in Request", "ArgumentName", "encoding-type", "ArgumentValue", "bogus")},
		{"uploads&max-uploads=-1&key-marker=a&upload-id-marker=b",
			errorDoc("InvalidArgument", "Argument max-uploads must be an integer between 0 and 2147483647", "ArgumentName", "max-uploads", "ArgumentValue", "-1")},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", "/mpl?"+tc.query, nil)
			if got := normalizeIDs(r.body); got != tc.want {
				t.Errorf("GET ?%s:\n got %s\nwant %s", tc.query, got, tc.want)
			}
		})
	}
	// The markers of an upload in progress page on, to the key's later
	// upload (in a bucket of its own: the cases above run after this).
	mustStatus(t, ts.do("PUT", "/mpl2", nil), 200)
	first := createUpload(t, ts, "/mpl2/k")
	second := createUpload(t, ts, "/mpl2/k")
	if first > second { // listed by time of initiation, then by ID: the same time here
		first, second = second, first
	}
	r := ts.do("GET", "/mpl2?uploads&key-marker=k&upload-id-marker="+first, nil)
	if r.StatusCode != 200 || strings.Count(string(r.body), "<Upload>") != 1 || !strings.Contains(string(r.body), "<UploadIdMarker>"+first+"</UploadIdMarker>") ||
		!strings.Contains(string(r.body), "<UploadId>"+second+"</UploadId>") {
		t.Errorf("paging after %s: %s", first, r)
	}
}

// TestUploadPartCopyRanges sends UploadPartCopy with the ranges of
// localstack's test_upload_part_copy_range, recorded against S3, of a
// 10-byte source: one not of the form bytes=first-last is InvalidArgument
// saying so, one that starts past the source InvalidRequest without the
// argument, and one that only ends past it InvalidArgument naming the
// source's size.
func TestUploadPartCopyRanges(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/copyrange", nil), 200)
	mustStatus(t, ts.do("PUT", "/copyrange/src", []byte("0123456789")), 200)
	id := createUpload(t, ts, "/copyrange/dst")
	form := func(v string) string {
		return errorDoc("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
			"ArgumentName", "x-amz-copy-source-range", "ArgumentValue", v)
	}
	tests := []struct {
		rng  string
		want string // the error document; "" for a part made
	}{
		{"bytes=0-8", ""},
		{"bytes=9-9", ""},
		{"0-8", form("0-8")},
		{"bytes=1-0", form("bytes=1-0")},
		{"bytes=-2", form("bytes=-2")},
		{"bytes=1-", form("bytes=1-")},
		{"bytes=0-1,3-4,7-9", form("bytes=0-1,3-4,7-9")},
		// UNVERIFIED: a signed offset was not recorded; it is not one
		// of the digits the form asks for.
		{"bytes=+0-8", form("bytes=+0-8")},
		{"bytes=0-+8", form("bytes=0-+8")},
		{"bytes=0-100", errorDoc("InvalidArgument", "Range specified is not valid for source object of size: 10",
			"ArgumentName", "x-amz-copy-source-range", "ArgumentValue", "bytes=0-100")},
		{"bytes=100-200", errorDoc("InvalidRequest", "The specified copy range is invalid for the source object size")},
	}
	for _, tc := range tests {
		r := ts.do("PUT", "/copyrange/dst?partNumber=1&uploadId="+id, nil,
			"x-amz-copy-source", "copyrange/src", "x-amz-copy-source-range", tc.rng)
		if tc.want == "" {
			mustStatus(t, r, 200)
			continue
		}
		mustError(t, r, 400, tc.want)
	}
}

// TestMultipartLastModified completes an upload an hour after it was
// initiated: the object's Last-Modified, in GetObject and in listings,
// is the upload's initiation, as S3 dates a multipart object
// (treeverse/lakeFS#8303: "In S3 the mtime is determined when creating
// the multipart upload").
func TestMultipartLastModified(t *testing.T) {
	t.Parallel()
	now := fixedNow
	var mu sync.Mutex
	ts := newTestServer(t, s3server.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	mustStatus(t, ts.do("PUT", "/mpdate", nil), 200)
	id := createUpload(t, ts, "/mpdate/k")
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	etag := putPart(t, ts, "/mpdate/k", id, 1, []byte("part"))
	mustStatus(t, ts.do("POST", "/mpdate/k?uploadId="+id, completeBody("1", etag)), 200)
	const initiated = "Fri, 02 Jan 2026 03:04:05 GMT"
	if got := ts.do("HEAD", "/mpdate/k", nil).Header.Get("Last-Modified"); got != initiated {
		t.Errorf("Last-Modified %q, want %q", got, initiated)
	}
	if r := ts.do("GET", "/mpdate?list-type=2", nil); !strings.Contains(string(r.body), "<LastModified>2026-01-02T03:04:05.000Z</LastModified>") {
		t.Errorf("ListObjectsV2: %s", r)
	}
}

// TestUploadPartVersionID sends UploadPart with a versionId, which S3
// refuses whatever it is, empty, malformed or the object's own (a
// capture of S3, us-east-1, 2026-04-03): InvalidArgument "This operation
// does not accept a version-id." naming it.
func TestUploadPartVersionID(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/partver", nil), 200)
	id := createUpload(t, ts, "/partver/k")
	for _, v := range []string{"", "abc", "null"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do("PUT", "/partver/k?partNumber=1&uploadId="+id+"&versionId="+v, []byte("x")), 400,
				errorDoc("InvalidArgument", "This operation does not accept a version-id.", "ArgumentName", "versionId", "ArgumentValue", v))
		})
	}
	if r := ts.do("GET", "/partver/k?uploadId="+id, nil); strings.Contains(string(r.body), "<Part>") {
		t.Errorf("a part was stored: %s", r)
	}
}

// TestPostContentMD5 checks the Content-MD5 of the two POST operations
// with a body as Swift's s3api checks against S3 show S3 checking it
// (test/s3api/test_input_errors.py): a wrong one is BadDigest whose
// ExpectedDigest is the Content-MD5 as sent, in base64, where a PUT's is
// in hex; CompleteMultipartUpload checks it too, but not an
// x-amz-checksum-* header of another algorithm than the upload's, which
// names the object's checksum rather than the body's.
//
// UNVERIFIED: a malformed Content-MD5 on CompleteMultipartUpload, taken
// to be InvalidDigest as on any request.
func TestPostContentMD5(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/postmd5", nil), 200)
	mustStatus(t, ts.do("PUT", "/postmd5/a", []byte("a")), 200)
	other := []byte("not the body")
	badDigest := func(body []byte) string {
		return errorDoc("BadDigest", "The Content-MD5 you specified did not match what we received.",
			"ExpectedDigest", contentMD5(other), "CalculatedDigest", contentMD5(body))
	}
	del := []byte(`<Delete><Object><Key>a</Key></Object></Delete>`)
	mustError(t, ts.do("POST", "/postmd5?delete", del, "Content-MD5", contentMD5(other)), 400, badDigest(del))
	mustError(t, ts.do("POST", "/postmd5?delete", del, "x-amz-checksum-crc32", crc32Header(other, crc32.IEEETable)), 400,
		errorDoc("BadDigest", "The CRC32 you specified did not match the calculated checksum."))

	id := createUpload(t, ts, "/postmd5/mpu")
	etag := putPart(t, ts, "/postmd5/mpu", id, 1, []byte("x"))
	done := completeBody("1", etag)
	path := "/postmd5/mpu?uploadId=" + id
	mustError(t, ts.do("POST", path, done, "Content-MD5", contentMD5(other)), 400, badDigest(done))
	mustError(t, ts.do("POST", path, done, "Content-MD5", "x"), 400,
		errorDoc("InvalidDigest", "The Content-MD5 you specified was invalid.", "Content-MD5", "x"))
	r := ts.do("POST", path, done, "Content-MD5", contentMD5(done), "x-amz-checksum-crc32", crc32Header(other, crc32.IEEETable))
	if r.StatusCode != 200 || !strings.Contains(string(r.body), "<CompleteMultipartUploadResult") {
		t.Errorf("CompleteMultipartUpload with the right Content-MD5: %s", r)
	}
}

// TestUploadIDWithoutKey sends an upload's requests to the bucket's path,
// as a hand-made client that lost the key does ("/bucket/?uploadId=..."
// for the key ""): S3 refuses them 400 InvalidRequest "A key
// must be specified" on a GET, a POST and a DELETE, NoSuchBucket in a
// bucket that does not exist, and 405 on a HEAD (brekkylab/backlot
// routers/s3.py _BUCKET_OBJECT_SELECTORS, measured on S3 against a public
// bucket, so before the ACL). A DELETE there is no DeleteBucket: the
// bucket, empty, stays.
// UNVERIFIED: a PUT (UploadPart) there was not measured; it is refused
// as the others.
func TestUploadIDWithoutKey(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	mustOK(t, ts.s.CreateBucket("nokey", "public-read"))
	keyRequired := errorDoc("InvalidRequest", "A key must be specified")
	for _, c := range []struct{ method, path string }{
		{"DELETE", "/nokey?uploadId=x"},
		{"DELETE", "/nokey/?uploadId=x"},
		{"POST", "/nokey?uploadId=x"},
		{"GET", "/nokey?uploadId=x"},
		{"PUT", "/nokey?partNumber=1&uploadId=x"},
	} {
		mustError(t, ts.do(c.method, c.path, nil), 400, keyRequired)
		req := ts.request(c.method, c.path, nil)
		mustError(t, ts.signed(req, nil), 400, keyRequired)
	}
	mustError(t, ts.do("DELETE", "/missing-bucket?uploadId=x", nil), 404, errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	mustStatus(t, ts.signed(ts.request("HEAD", "/nokey?uploadId=x", nil), nil), 405)
	if names := ts.s.BucketNames(); len(names) != 1 || names[0] != "nokey" {
		t.Errorf("buckets after the requests: %q, want the one", names)
	}
}

// TestUploadPartCopyWithBody sends UploadPartCopy with a body, which S3
// refuses as it refuses CopyObject's (versity/versitygw#1613): no part
// is made. UNVERIFIED: S3's answer to an UploadPartCopy's body was not
// captured; it is taken to be CopyObject's (TestCopyObjectWithBody).
func TestUploadPartCopyWithBody(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/partbody", nil), 200)
	mustStatus(t, ts.do("PUT", "/partbody/src", []byte("source")), 200)
	id := createUpload(t, ts, "/partbody/dst")
	path := "/partbody/dst?partNumber=1&uploadId=" + id
	refused := errorDoc("InvalidRequest", "The request included a body. Requests of this type must not include a non-empty body.")
	t.Run("announced", func(t *testing.T) {
		ts := ts.with(t)
		mustError(t, ts.do("PUT", path, []byte("payload"), "x-amz-copy-source", "partbody/src"), 400, refused)
	})
	t.Run("chunked", func(t *testing.T) {
		ts := ts.with(t)
		req := ts.request("PUT", path, nil, "x-amz-copy-source", "partbody/src")
		req.Body = io.NopCloser(strings.NewReader("payload")) // no length: sent chunked
		mustError(t, ts.send(req), 400, refused)
	})
	if got := ts.do("GET", "/partbody/dst?uploadId="+id, nil); strings.Contains(string(got.body), "<Part>") {
		t.Fatalf("parts after refused copies: %s, want none", got.body)
	}
	t.Run("empty", func(t *testing.T) {
		ts := ts.with(t)
		mustStatus(t, ts.do("PUT", path, []byte{}, "x-amz-copy-source", "partbody/src"), 200)
		if got := ts.do("GET", "/partbody/dst?uploadId="+id, nil); !strings.Contains(string(got.body), "<Size>6</Size>") {
			t.Errorf("parts after copy: %s, want one of 6 bytes", got.body)
		}
	})
}

// TestUploadPartCopyContentMD5 sends UploadPartCopy with the Content-MD5
// of its empty body, which S3 refuses naming the header
// (JuliaCloud/AWS.jl#695, a raw capture): no part is made.
func TestUploadPartCopyContentMD5(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/partmd5", nil), 200)
	mustStatus(t, ts.do("PUT", "/partmd5/src", []byte("source")), 200)
	id := createUpload(t, ts, "/partmd5/dst")
	empty := contentMD5(nil)
	mustError(t, ts.do("PUT", "/partmd5/dst?partNumber=1&uploadId="+id, nil, "x-amz-copy-source", "partmd5/src", "Content-MD5", empty), 400,
		errorDoc("InvalidArgument", "The specified header is not valid in this context", "ArgumentName", "Content-MD5", "ArgumentValue", empty))
	if got := ts.do("GET", "/partmd5/dst?uploadId="+id, nil); strings.Contains(string(got.body), "<Part>") {
		t.Fatalf("parts after a refused copy: %s, want none", got.body)
	}
}
