package s3server_test

import (
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

func TestPutAndGetObject(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/objects", nil), 200)
	r := ts.do("PUT", "/objects/dir/file.txt", []byte("hello"), "Content-Type", "text/plain",
		"x-amz-meta-Color", "blue", "X-Amz-Meta-empty", "", "Cache-Control", "no-cache", "Content-Disposition", "attachment")
	const etag = `"5d41402abc4b2a76b9719d911017c592"`
	if r.StatusCode != 200 || len(r.body) != 0 || r.Header.Get("ETag") != etag ||
		r.Header.Get("Content-Type") != "" || r.Header.Get("Content-Length") != "0" {
		t.Fatalf("PutObject: %s %v", r, r.Header)
	}
	for _, method := range []string{"GET", "HEAD"} {
		r := ts.do(method, "/objects/dir/file.txt", nil)
		want := map[string]string{
			"Content-Type": "text/plain", "Content-Length": "5", "Etag": etag, "Accept-Ranges": "bytes",
			"Last-Modified": "Fri, 02 Jan 2026 03:04:05 GMT", "X-Amz-Meta-Color": "blue", "X-Amz-Meta-Empty": "",
			"Cache-Control": "no-cache", "Content-Disposition": "attachment",
		}
		for name, v := range want {
			if got, ok := r.Header[name]; !ok || got[0] != v {
				t.Errorf("%s: %s: %q, want %q", method, name, got, v)
			}
		}
		for name := range r.Header {
			if strings.HasPrefix(name, "X-Amz-Checksum") {
				t.Errorf("%s: checksum header %s sent without being asked for", method, name)
			}
		}
		if wantBody := map[string]string{"GET": "hello", "HEAD": ""}[method]; r.StatusCode != 200 || string(r.body) != wantBody {
			t.Errorf("%s: %s", method, r)
		}
	}
	// S3 sends user metadata names in lower case.
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "HEAD /objects/dir/file.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	head, _ := io.ReadAll(io.LimitReader(conn, 2048))
	if !strings.Contains(string(head), "\r\nx-amz-meta-color: blue\r\n") {
		t.Errorf("HeadObject on the wire:\n%s", head)
	}
}

func TestPutObjectDefaults(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/defaults", nil), 200)
	mustStatus(t, ts.do("PUT", "/defaults/empty", []byte{}), 200)
	r := ts.do("GET", "/defaults/empty", nil)
	if r.Header.Get("Content-Type") != "binary/octet-stream" || r.Header.Get("ETag") != `"d41d8cd98f00b204e9800998ecf8427e"` || len(r.body) != 0 {
		t.Errorf("an object put without Content-Type: %v", r.Header)
	}
	// A second PUT replaces the object whole.
	mustStatus(t, ts.do("PUT", "/defaults/empty", []byte("new"), "Content-Type", "text/x-new"), 200)
	if r := ts.do("GET", "/defaults/empty", nil); string(r.body) != "new" || r.Header.Get("Content-Type") != "text/x-new" {
		t.Errorf("after a second PUT: %s %v", r, r.Header)
	}
}

func TestPutObjectErrors(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/put-errors", nil), 200)
	body := []byte("data")
	long := strings.Repeat("k", 1025)
	mustError(t, ts.do("PUT", "/put-errors/"+long, body), 400, errorDoc("KeyTooLongError", "Your key is too long.", "Size", "1025", "MaxSizeAllowed", "1024"))
	mustStatus(t, ts.do("PUT", "/put-errors/"+long[:1024], body), 200)
	mustError(t, ts.do("PUT", "/put-errors/k%FF", body), 400, errorDoc("InvalidURI", "Couldn't parse the specified URI."))
	mustError(t, ts.do("PUT", "/put-errors/k", body, "Content-MD5", contentMD5([]byte("other"))), 400,
		errorDoc("BadDigest", "The Content-MD5 you specified did not match what we received.", "ExpectedDigest", md5Hex([]byte("other")), "CalculatedDigest", contentMD5(body)))
	mustError(t, ts.do("PUT", "/put-errors/k", body, "x-amz-checksum-sha1", b64(make([]byte, 20))), 400,
		errorDoc("BadDigest", "The SHA1 you specified did not match the calculated checksum."))
	mustError(t, ts.do("PUT", "/put-errors/k", body, "x-amz-meta-big", strings.Repeat("x", 2046)), 400,
		errorDoc("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size", "Size", "2049", "MaxSizeAllowed", "2048"))
	mustError(t, ts.do("PUT", "/put-errors/k", body, "x-amz-acl", "nope"), 400,
		errorDoc("InvalidArgument", "", "ArgumentName", "x-amz-acl", "ArgumentValue", "nope"))
	// aws-chunked without a STREAMING- token frames nothing: the body is
	// stored as sent, and the coding is not kept.
	mustStatus(t, ts.do("PUT", "/put-errors/coded", body, "Content-Encoding", "br, aws-chunked"), 200)
	if r := ts.do("GET", "/put-errors/coded", nil); string(r.body) != "data" || r.Header.Get("Content-Encoding") != "br" {
		t.Errorf("GET after Content-Encoding br, aws-chunked: %s, Content-Encoding %q", r, r.Header.Get("Content-Encoding"))
	}
	r := ts.do("PUT", "/put-errors/k", body, "x-amz-checksum-crc32", crc32Header(body, crc32.IEEETable))
	if r.StatusCode != 200 || r.Header.Get("X-Amz-Checksum-Crc32") != crc32Header(body, crc32.IEEETable) {
		t.Errorf("PutObject with a checksum: %s %v", r, r.Header)
	}
	// A body of unknown length, streamed with Transfer-Encoding: chunked,
	// which S3 does not take.
	req := ts.request("PUT", "/put-errors/chunked", nil)
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader("x")), -1
	mustError(t, ts.send(req), 501, errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "Transfer-Encoding"))
	// Over the limit: refused from Content-Length, before the body.
	resp := rawRequest(t, ts, "PUT /put-errors/huge HTTP/1.1\r\nHost: x\r\nContent-Length: "+strconv.Itoa(s3server.MaxObjectSize+1)+"\r\n\r\n")
	if !strings.HasPrefix(resp, "HTTP/1.1 400 ") || !strings.Contains(resp, "<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>67108865</ProposedSize><MaxSizeAllowed>67108864</MaxSizeAllowed>") {
		t.Errorf("PutObject over the limit:\n%s", resp)
	}
	if r := ts.do("GET", "/put-errors?list-type=2", nil); strings.Count(string(r.body), "<Key>") != 3 { // k...k, coded, k
		t.Errorf("failed puts stored objects: %s", r.body)
	}
}

// TestUploadWithoutContentLength sends, as curl sends a PUT with no
// data, a PutObject and an UploadPart with neither Content-Length nor
// Transfer-Encoding. S3 answers 411 MissingContentLength (versitygw#1248,
// storj/edge#150, arrow-rs#4514), with CORS headers as on its other
// errors; the server stored an empty object, since Go's server reads
// such a request as "Content-Length: 0", which real clients send for an
// empty body and which must still store one.
func TestUploadWithoutContentLength(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustOK(t, ts.s.CreateBucket("nolen", "private"))
	mustOK(t, ts.s.PutBucketCors("nolen", []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}}}))
	id := createUpload(t, ts, "/nolen/parts")
	missing := errorDoc("MissingContentLength", "You must provide the Content-Length HTTP header.")
	for _, tc := range []struct {
		name, head string
		status     int
	}{
		{"PutObject", "PUT /nolen/k HTTP/1.1\r\n", 411},
		{"UploadPart", "PUT /nolen/parts?partNumber=1&uploadId=" + id + " HTTP/1.1\r\n", 411},
		// aws-chunked declares its decoded length, but its framing
		// needs a length or the chunked coding to travel in (UNVERIFIED:
		// S3's answer; the server answered IncompleteBody).
		{"aws-chunked", "PUT /nolen/coded HTTP/1.1\r\nx-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\nx-amz-decoded-content-length: 0\r\n", 411},
		{"PutObject of Content-Length: 0", "PUT /nolen/empty HTTP/1.1\r\nContent-Length: 0\r\n", 200},
		{"UploadPart of Content-Length: 0", "PUT /nolen/parts?partNumber=2&uploadId=" + id + " HTTP/1.1\r\nContent-Length: 0\r\n", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := rawDo(t, ts, tc.head+"Host: x\r\nOrigin: https://a.example\r\n\r\n")
			if r.Header.Get("Access-Control-Allow-Origin") != "https://a.example" {
				t.Errorf("no CORS headers: %v", r.Header)
			}
			if tc.status != 411 {
				mustStatus(t, r, tc.status)
				return
			}
			mustError(t, r, 411, missing)
		})
	}
	t.Cleanup(func() {
		if r := ts.do("GET", "/nolen?list-type=2", nil); strings.Count(string(r.body), "<Key>") != 1 { // empty
			t.Errorf("uploads without a length stored objects: %s", r.body)
		}
		if r := ts.do("GET", "/nolen/parts?uploadId="+id, nil); strings.Count(string(r.body), "<Part>") != 1 { // part 2
			t.Errorf("an UploadPart without a length stored a part: %s", r.body)
		}
	})
}

// rawDo sends a request as written, on a new connection, and reads the
// response. The request is read as Go would to tell how its response
// ends (a HEAD's has no body); one Go cannot read (a hostile Host, say)
// is taken for a GET.
func rawDo(t *testing.T, ts *testServer, req string) response {
	t.Helper()
	sent, err := http.ReadRequest(bufio.NewReader(strings.NewReader(req)))
	if err != nil {
		sent = nil
	}
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(exchangeTimeout))
	io.WriteString(conn, req)
	resp, err := http.ReadResponse(bufio.NewReader(conn), sent)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp, body}
}

// rawRequest is rawDo's response as text: the status line, then the
// body.
func rawRequest(t *testing.T, ts *testServer, req string) string {
	t.Helper()
	r := rawDo(t, ts, req)
	return r.Proto + " " + r.Status + "\r\n" + string(r.body)
}

func TestGetObjectRanges(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/ranges", nil), 200)
	mustStatus(t, ts.do("PUT", "/ranges/ten", []byte("0123456789")), 200)
	tests := []struct {
		rng, body, contentRange string
		status                  int
	}{
		{"bytes=2-4", "234", "bytes 2-4/10", 206},
		{"bytes=7-", "789", "bytes 7-9/10", 206},
		{"bytes=-3", "789", "bytes 7-9/10", 206},
		{"bytes=5-100", "56789", "bytes 5-9/10", 206},
		{"bytes=-100", "0123456789", "bytes 0-9/10", 206},
		{"bytes=0-1,4-5", "0123456789", "", 200},
		{"lines=1-2", "0123456789", "", 200},
		{"bytes=4-2", "0123456789", "", 200},
		// A position is digits only (RFC 9110 14.1.1: first-pos = 1*DIGIT),
		// so a signed one makes the header invalid, ignored as the
		// others are.
		{"bytes=+1-2", "0123456789", "", 200},
		{"bytes=1-+2", "0123456789", "", 200},
		{"bytes=-+3", "0123456789", "", 200},
		{"bytes=+10-", "0123456789", "", 200},
		// UNVERIFIED on S3: white space around the range, which RFC 9110's
		// lists allow around their elements, is taken as Go's net/http
		// (http.ServeContent) takes it around the whole; "bytes =" is no
		// bytes unit.
		{"bytes= -3", "789", "bytes 7-9/10", 206},
		{"bytes= 2-4 ", "234", "bytes 2-4/10", 206},
		{"bytes = 2-4", "0123456789", "", 200},
	}
	for _, tc := range tests {
		r := ts.do("GET", "/ranges/ten", nil, "Range", tc.rng)
		if r.StatusCode != tc.status || string(r.body) != tc.body || r.Header.Get("Content-Range") != tc.contentRange {
			t.Errorf("Range %s: %s, Content-Range %q", tc.rng, r, r.Header.Get("Content-Range"))
		}
	}
	mustError(t, ts.do("GET", "/ranges/ten", nil, "Range", "bytes=10-"), 416,
		errorDoc("InvalidRange", "The requested range is not satisfiable", "RangeRequested", "bytes=10-", "ActualObjectSize", "10"))
}

// TestGetObjectIfRange sends a Range with an If-Range that does not
// hold, which RFC 9110 §13.1.5 answers with the whole object, 200: S3's
// GetObject reference does not name If-Range, so it is ignored and the
// range sent, 206, as for one that holds. UNVERIFIED: no capture of S3's
// answer was found; aws/aws-sdk-kotlin#1645 reports, without one, that S3
// "appears" to honour If-Range. Should a capture show it does, the rows
// that do not hold become 200 with the whole object.
func TestGetObjectIfRange(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/ifrange", nil), 200)
	etag := ts.do("PUT", "/ifrange/ten", []byte("0123456789")).Header.Get("ETag")
	tests := []struct {
		name, ifRange string
	}{
		{"its ETag", etag},
		{"another ETag", `"0123456789abcdef0123456789abcdef"`},
		{"its ETag weak", "W/" + etag},
		{"a date after it was written", "Fri, 01 Jan 2100 00:00:00 GMT"},
		{"a date before it was written", "Thu, 01 Jan 2015 00:00:00 GMT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			r := ts.do("GET", "/ifrange/ten", nil, "Range", "bytes=2-4", "If-Range", tc.ifRange)
			if r.StatusCode != 206 || string(r.body) != "234" || r.Header.Get("Content-Range") != "bytes 2-4/10" {
				t.Errorf("If-Range %s: %s, Content-Range %q, want 206 234 bytes 2-4/10", tc.ifRange, r, r.Header.Get("Content-Range"))
			}
		})
	}
}

// TestGetEmptyObject reads an empty object in the ways clients read
// the first part or the tail of one, as S3 answers them: part 1 and a
// suffix range get the whole object, 200 with no Content-Range
// (aws/aws-sdk-net#4477, aws/aws-sdk-java-v2#6952: partNumber=1 "returns
// 200 with Content-Length: 0 for empty objects";
// apache/arrow-rs-object-store#846 and floci-io/floci#1142 for the
// suffix range); a range from an offset cannot be satisfied, 416
// InvalidRange, which the SDKs' range downloaders expect of an empty
// object, and neither can the last 0 bytes.
func TestGetEmptyObject(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/empty", nil), 200)
	mustStatus(t, ts.do("PUT", "/empty/k", []byte{}), 200)
	tests := []struct {
		method, query, rng string
		status             int
	}{
		{"GET", "", "bytes=-524288", 200},
		{"HEAD", "", "bytes=-1", 200},
		{"GET", "?partNumber=1", "", 200},
		{"HEAD", "?partNumber=1", "", 200},
		{"GET", "", "bytes=0-", 416},
		{"GET", "", "bytes=0-8388607", 416},
		{"GET", "", "bytes=-0", 416},
		{"GET", "?partNumber=2", "", 416},
	}
	for _, tc := range tests {
		t.Run(tc.method+tc.query+" "+tc.rng, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			var header []string
			if tc.rng != "" {
				header = []string{"Range", tc.rng}
			}
			r := ts.do(tc.method, "/empty/k"+tc.query, nil, header...)
			if r.StatusCode != tc.status {
				t.Fatalf("%s, want %d", r, tc.status)
			}
			if tc.status == 200 && (len(r.body) != 0 || r.Header.Get("Content-Length") != "0" || r.Header.Get("ETag") != `"d41d8cd98f00b204e9800998ecf8427e"`) {
				t.Errorf("%s %v", r, r.Header)
			}
			if v, ok := r.Header["Content-Range"]; ok {
				t.Errorf("Content-Range %q", v)
			}
		})
	}
}

// TestGetObjectUnknownResponseOverride asks GetObject and HeadObject for
// a response-* override S3 does not have, which it refuses with 400
// InvalidArgument naming the parameter (versity/versitygw#2075, a raw
// capture), where it was ignored; the overrides it has still apply.
func TestGetObjectUnknownResponseOverride(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/overrides", nil), 200)
	mustStatus(t, ts.do("PUT", "/overrides/k", []byte("0123456789")), 200)
	mustError(t, ts.do("GET", "/overrides/k?response-fdsjkljj=dummy", nil), 400, errorDoc("InvalidArgument",
		"response-fdsjkljj is not in the set of overridable response headers. Please refer to the S3 API documentation for a complete list of overridable response headers.",
		"ArgumentName", "response-fdsjkljj", "ArgumentValue", "dummy"))
	if r := ts.do("HEAD", "/overrides/k?response-content-type=a%2Fb&response-x=1", nil); r.StatusCode != 400 || len(r.body) != 0 {
		t.Errorf("HEAD with response-x: %s, want 400 without a body", r)
	}
	r := ts.do("GET", "/overrides/k?response-content-type=a%2Fb&response-expires=never", nil)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "a/b" || r.Header.Get("Expires") != "never" {
		t.Errorf("GET with S3's overrides: %s %v", r, r.Header)
	}
}

// TestGetObjectErrorHeaders checks that a GetObject or HeadObject
// refused for its Range or partNumber carries none of the object's
// headers, as S3's 416 carries none: the object's Content-Encoding on the
// XML error made Go's http.Client fail to read it ("gzip: invalid
// header"). The CORS headers and request IDs every answer has stay.
func TestGetObjectErrorHeaders(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/errhdr", nil), 200)
	rule := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>`)
	mustStatus(t, ts.do("PUT", "/errhdr?cors", rule, "Content-MD5", contentMD5(rule)), 200)
	mustStatus(t, ts.do("PUT", "/errhdr/k", []byte("0123456789"), "Content-Encoding", "gzip", "Cache-Control", "no-cache",
		"Content-Disposition", "attachment", "Content-Language", "de", "Expires", "Fri, 02 Jan 2026 03:04:05 GMT",
		"x-amz-meta-color", "blue", "x-amz-tagging", "t=1"), 200)
	objectHeaders := []string{"Content-Encoding", "Cache-Control", "Content-Disposition", "Content-Language", "Expires",
		"X-Amz-Meta-Color", "X-Amz-Tagging-Count", "Accept-Ranges", "X-Amz-Server-Side-Encryption", "Etag", "Last-Modified",
		"Content-Range", "X-Amz-Mp-Parts-Count"}
	tests := []struct {
		name, method, query, rng string
		status                   int
		code                     string
	}{
		{"range past the end", "GET", "", "bytes=10-", 416, "InvalidRange"},
		{"range past the end, HEAD", "HEAD", "", "bytes=10-", 416, ""},
		{"range past the end, response overrides", "GET", "?response-content-encoding=gzip&response-cache-control=x", "bytes=10-", 416, "InvalidRange"},
		{"empty suffix range", "GET", "", "bytes=-0", 416, "InvalidRange"},
		{"part past the last", "GET", "?partNumber=2", "", 416, "InvalidPartNumber"},
		{"part past the last, HEAD", "HEAD", "?partNumber=2", "", 416, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			req, err := http.NewRequest(tc.method, ts.URL+"/errhdr/k"+tc.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", "https://a.example")
			if tc.rng != "" {
				req.Header.Set("Range", tc.rng)
			}
			// The default transport asks for gzip and decodes what says it
			// is gzip, as a browser does.
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Errorf("reading the error: %v", err)
			}
			if resp.StatusCode != tc.status || resp.Uncompressed || tc.code != "" && !strings.Contains(string(body), "<Code>"+tc.code+"</Code>") {
				t.Errorf("%d, uncompressed %v: %s", resp.StatusCode, resp.Uncompressed, body)
			}
			for _, name := range objectHeaders {
				if v, ok := resp.Header[name]; ok {
					t.Errorf("%s: %q on the error", name, v)
				}
			}
			for _, name := range []string{"X-Amz-Request-Id", "X-Amz-Id-2", "Access-Control-Allow-Origin"} {
				if resp.Header.Get(name) == "" {
					t.Errorf("%s missing from the error", name)
				}
			}
		})
	}
	// A 304 keeps the validators, and a satisfiable range the object's
	// headers.
	etag := ts.do("HEAD", "/errhdr/k", nil, "Accept-Encoding", "identity").Header.Get("ETag")
	if r := ts.do("GET", "/errhdr/k", nil, "If-None-Match", etag); r.StatusCode != 304 || r.Header.Get("ETag") != etag ||
		r.Header.Get("Last-Modified") != "Fri, 02 Jan 2026 03:04:05 GMT" {
		t.Errorf("304: %s %v", r, r.Header)
	}
	r := ts.do("GET", "/errhdr/k", nil, "Range", "bytes=2-4", "Accept-Encoding", "identity")
	if r.StatusCode != 206 || string(r.body) != "234" || r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("X-Amz-Meta-Color") != "blue" {
		t.Errorf("206: %s %v", r, r.Header)
	}
}

func TestGetObjectConditions(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/conditions", nil), 200)
	put := ts.do("PUT", "/conditions/k", []byte("data"))
	etag := put.Header.Get("ETag")
	const before, at, after = "Fri, 02 Jan 2026 03:04:04 GMT", "Fri, 02 Jan 2026 03:04:05 GMT", "Fri, 02 Jan 2026 03:04:06 GMT"
	tests := []struct {
		header []string
		status int
	}{
		{[]string{"If-Match", etag}, 200},
		{[]string{"If-Match", `"other", ` + etag}, 200},
		{[]string{"If-Match", "*"}, 200},
		{[]string{"If-Match", `"other"`}, 412},
		{[]string{"If-None-Match", etag}, 304},
		{[]string{"If-None-Match", `"other"`}, 200},
		{[]string{"If-Modified-Since", at}, 304},
		{[]string{"If-Modified-Since", before}, 200},
		{[]string{"If-Unmodified-Since", before}, 412},
		{[]string{"If-Unmodified-Since", after}, 200},
		{[]string{"If-Match", etag, "If-Unmodified-Since", before}, 200},
		{[]string{"If-None-Match", `"other"`, "If-Modified-Since", after}, 200},
		// A date later than the server's clock (fixedNow) is ignored, as
		// S3 ignores a copy's (TestCopySourceConditions).
		{[]string{"If-Modified-Since", after}, 200},
		{[]string{"If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}, 200},
	}
	for _, tc := range tests {
		r := ts.do("GET", "/conditions/k", nil, tc.header...)
		if r.StatusCode != tc.status {
			t.Errorf("%q: %s, want %d", tc.header, r, tc.status)
		}
		if tc.status == 412 && !strings.Contains(string(r.body), "<Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>") {
			t.Errorf("%q: %s", tc.header, r.body)
		}
	}
}

// TestPreconditionsWeakETag sends a weak entity tag (W/"etag") of the
// object's ETag in the conditional headers of reads: If-Match and
// x-amz-copy-source-if-match compare strongly, so a weak tag never
// matches (412), and If-None-Match weakly, so it does (304), as RFC 9110
// §13.1.2 has them, to which S3's reference sends for its conditional
// headers (RFC 7232). UNVERIFIED: S3's answers to weak tags were not
// captured. A tag sent without its quotes still matches, as before.
func TestPreconditionsWeakETag(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/weak", nil), 200)
	etag := ts.do("PUT", "/weak/k", []byte("data")).Header.Get("ETag")
	tests := []struct {
		name   string
		method string
		header []string
		status int
	}{
		{"GET If-Match weak", "GET", []string{"If-Match", "W/" + etag}, 412},
		{"HEAD If-Match weak", "HEAD", []string{"If-Match", "W/" + etag}, 412},
		{"GET If-Match weak, then strong", "GET", []string{"If-Match", "W/" + etag + ", " + etag}, 200},
		{"GET If-Match unquoted", "GET", []string{"If-Match", strings.Trim(etag, `"`)}, 200},
		{"GET If-None-Match weak", "GET", []string{"If-None-Match", "W/" + etag}, 304},
		{"HEAD If-None-Match weak", "HEAD", []string{"If-None-Match", "W/" + etag}, 304},
		{"CopyObject x-amz-copy-source-if-match weak", "PUT", []string{"x-amz-copy-source", "weak/k", "x-amz-copy-source-if-match", "W/" + etag}, 412},
		{"CopyObject x-amz-copy-source-if-match", "PUT", []string{"x-amz-copy-source", "weak/k", "x-amz-copy-source-if-match", etag}, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			path := "/weak/k"
			if tc.method == "PUT" {
				path = "/weak/copy"
			}
			if r := ts.do(tc.method, path, nil, tc.header...); r.StatusCode != tc.status {
				t.Errorf("%s %q: %s, want %d", tc.method, tc.header, r, tc.status)
			}
		})
	}
}

func TestObjectVersionsAndACL(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/versions", nil), 200)
	mustStatus(t, ts.do("PUT", "/versions/k", []byte("x")), 200)
	mustStatus(t, ts.do("GET", "/versions/k?versionId=null", nil), 200)
	mustError(t, ts.do("GET", "/versions/k?versionId=3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", nil), 400,
		errorDoc("InvalidArgument", "Invalid version id specified", "ArgumentName", "versionId", "ArgumentValue", "3HL4kqtJlcpXroDTDmJ rmSpXd3dIbrHY"))
	// An empty versionId, as SDKs send one set to "" (aws-sdk-core-ruby#76,
	// quoting S3).
	for _, method := range []string{"GET", "DELETE"} {
		mustError(t, ts.do(method, "/versions/k?versionId=", nil), 400,
			errorDoc("InvalidArgument", "Version id cannot be the empty string", "ArgumentName", "versionId", "ArgumentValue", ""))
	}
	r := ts.do("GET", "/versions/k?acl", nil)
	if r.StatusCode != 200 || !strings.Contains(string(r.body), "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>") {
		t.Errorf("GetObjectAcl: %s", r)
	}
	mustError(t, ts.do("GET", "/versions/missing?acl", nil), 404, errorDoc("NoSuchKey", "The specified key does not exist.", "Key", "missing"))
	mustStatus(t, ts.do("DELETE", "/versions/k?versionId=null", nil), 204)
	mustStatus(t, ts.do("DELETE", "/versions/k", nil), 204)
}

// TestDeleteObjectsAtKey sends a DeleteObjects to a key's path, which S3
// takes as at the bucket's, checked alike (brekkylab/backlot
// routers/s3.py _KEY_WRITE_CHECKS: "a POST ?delete at a bucket's path or
// a key's, DeleteObjects on the bucket either way", measured on S3), and
// NoSuchBucket first.
//
// UNVERIFIED: that a valid one deletes the keys its body names, not the
// path's, as the checks, the bucket's own, imply; S3's deletion there was
// not captured.
func TestDeleteObjectsAtKey(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/delatkey", nil), 200)
	for _, k := range []string{"a", "b"} {
		mustStatus(t, ts.do("PUT", "/delatkey/"+k, []byte(k)), 200)
	}
	quiet := []byte(`<Delete><Quiet>true</Quiet><Object><Key>b</Key></Object></Delete>`)
	mustError(t, ts.do("POST", "/delatkey/a?delete", quiet), 400, errorDoc("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"))
	mustError(t, ts.do("POST", "/missing-bucket/a?delete", quiet, "Content-MD5", contentMD5(quiet)), 404,
		errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	r := ts.do("POST", "/delatkey/a?delete", quiet, "Content-MD5", contentMD5(quiet))
	if want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`; r.StatusCode != 200 || string(r.body) != want {
		t.Errorf("DeleteObjects at a key: %s, want\n%s", r, want)
	}
	mustStatus(t, ts.do("GET", "/delatkey/b", nil), 404)
	mustStatus(t, ts.do("GET", "/delatkey/a", nil), 200)
}

func TestDeleteObjects(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/multi", nil), 200)
	for _, k := range []string{"a", "b", "c&d"} {
		mustStatus(t, ts.do("PUT", "/multi/"+strings.ReplaceAll(k, "&", "%26"), []byte(k)), 200)
	}
	body := []byte(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>c&amp;d</Key><VersionId>null</VersionId></Object>` +
		`<Object><Key>never</Key></Object><Object><Key>b</Key><VersionId>v2</VersionId></Object></Delete>`)
	r := ts.do("POST", "/multi?delete", body, "Content-MD5", contentMD5(body))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
		`<Deleted><Key>a</Key></Deleted><Deleted><Key>c&amp;d</Key><VersionId>null</VersionId></Deleted><Deleted><Key>never</Key></Deleted>` +
		`<Error><Key>b</Key><VersionId>v2</VersionId><Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message></Error></DeleteResult>`
	if r.StatusCode != 200 || string(r.body) != want {
		t.Errorf("DeleteObjects:\n%s\nwant\n%s", r, want)
	}
	quiet := []byte(`<Delete><Quiet>true</Quiet><Object><Key>b</Key></Object></Delete>`)
	r = ts.do("POST", "/multi?delete", quiet, "Content-MD5", contentMD5(quiet))
	if want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`; string(r.body) != want {
		t.Errorf("quiet DeleteObjects: %s", r)
	}
	if r := ts.do("GET", "/multi", nil); strings.Contains(string(r.body), "<Key>") {
		t.Errorf("objects left: %s", r.body)
	}
	mustError(t, ts.do("POST", "/multi?delete", quiet), 400, errorDoc("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*"))
	malformed := errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	// An empty Key is no key: the API reference gives ObjectIdentifier's
	// Key "Minimum length of 1", as it marks it Required, which a missing
	// one breaks. UNVERIFIED: S3's answer to it was not captured (the
	// SDKs refuse to send it).
	for _, b := range []string{`<Delete></Delete>`, `<Delete><Object></Object></Delete>`, `<Remove><Object><Key>a</Key></Object></Remove>`, `<Delete>`,
		`<Delete><Object><Key></Key></Object></Delete>`, `<Delete><Object><Key>a</Key></Object><Object><Key/></Object></Delete>`,
		`<Delete>` + strings.Repeat(`<Object><Key>a</Key></Object>`, 1001) + `</Delete>`} {
		mustError(t, ts.do("POST", "/multi?delete", []byte(b), "Content-MD5", contentMD5([]byte(b))), 400, malformed)
	}
}

// TestExpectContinue sends a PutObject as botocore sends file bodies:
// headers first, the body only after 100 Continue.
func TestExpectContinue(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/continue", nil), 200)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "PUT /continue/k HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("interim response %q, %v", line, err)
	}
	br.ReadString('\n') // the blank line ending the interim response
	io.WriteString(conn, "body")
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PutObject after 100 Continue: %s", resp.Status)
	}
	if r := ts.do("GET", "/continue/k", nil); string(r.body) != "body" {
		t.Errorf("object: %s", r)
	}
}

// TestCopySourceConditions sends CopyObject with the
// x-amz-copy-source-if-* conditions, judged as S3 judges them
// (localstack's test_s3_copy_object_preconditions, recorded against S3):
// in RFC 9110's order, each failure 412 PreconditionFailed naming the
// header, and an x-amz-copy-source-if-modified-since later than the
// server's clock ignored ("AWS will ignore the value if it's in the
// future").
func TestCopySourceConditions(t *testing.T) {
	t.Parallel()
	ts := anonServer(t) // its clock is fixedNow, 03:04:05.6
	mustStatus(t, ts.do("PUT", "/copycond", nil), 200)
	etag := ts.do("PUT", "/copycond/src", []byte("data")).Header.Get("ETag")
	const dayBefore, at, future = "Thu, 01 Jan 2026 03:04:05 GMT", "Fri, 02 Jan 2026 03:04:05 GMT", "Sat, 03 Jan 2026 03:04:05 GMT"
	tests := []struct {
		header []string
		failed string // the Condition of the 412, "" for a copy made
	}{
		{[]string{"x-amz-copy-source-if-modified-since", at, "x-amz-copy-source-if-unmodified-since", dayBefore,
			"x-amz-copy-source-if-match", `"etag123"`, "x-amz-copy-source-if-none-match", etag}, "x-amz-copy-source-If-Match"},
		{[]string{"x-amz-copy-source-if-modified-since", at, "x-amz-copy-source-if-unmodified-since", dayBefore,
			"x-amz-copy-source-if-none-match", etag}, "x-amz-copy-source-If-Unmodified-Since"},
		{[]string{"x-amz-copy-source-if-modified-since", at, "x-amz-copy-source-if-none-match", etag}, "x-amz-copy-source-If-None-Match"},
		{[]string{"x-amz-copy-source-if-modified-since", at}, "x-amz-copy-source-If-Modified-Since"},
		{[]string{"x-amz-copy-source-if-modified-since", future}, ""},
		{[]string{"x-amz-copy-source-if-none-match", strings.Trim(etag, `"`)}, "x-amz-copy-source-If-None-Match"},
		{[]string{"x-amz-copy-source-if-match", strings.Trim(etag, `"`), "x-amz-copy-source-if-none-match", `"etag123"`,
			"x-amz-copy-source-if-modified-since", dayBefore, "x-amz-copy-source-if-unmodified-since", at}, ""},
	}
	for i, tc := range tests {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			dst := "/copycond/dst" + strconv.Itoa(i)
			r := ts.do("PUT", dst, nil, append(tc.header, "x-amz-copy-source", "copycond/src")...)
			if tc.failed == "" {
				mustStatus(t, r, 200)
				return
			}
			mustError(t, r, 412, errorDoc("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "Condition", tc.failed))
			mustStatus(t, ts.do("GET", dst, nil), 404)
		})
	}
}

// TestCopySourceDecoding copies objects whose keys need escaping in
// x-amz-copy-source, which S3 decodes as a form value: "%2B" is '+',
// and a raw '+' is a space, so that a raw "a+b" names "a b"
// (aws/aws-cli#614: S3 finds no "foo++bar.txt" sent unescaped).
func TestCopySourceDecoding(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/copydec", nil), 200)
	mustStatus(t, ts.do("PUT", "/copydec/a%20b", []byte("space")), 200)
	mustStatus(t, ts.do("PUT", "/copydec/a+b", []byte("plus")), 200)
	tests := []struct{ source, want string }{
		{"copydec/a+b", "space"},
		{"/copydec/a%20b", "space"},
		{"copydec/a%2Bb", "plus"},
		{"copydec/a%2bb?versionId=null", "plus"},
	}
	for i, tc := range tests {
		dst := "/copydec/dst" + strconv.Itoa(i)
		mustStatus(t, ts.do("PUT", dst, nil, "x-amz-copy-source", tc.source), 200)
		if got := ts.do("GET", dst, nil); string(got.body) != tc.want {
			t.Errorf("copied from %q: %s, want %q", tc.source, got, tc.want)
		}
	}
}

// TestCopyObjectWithBody sends a CopyObject that carries a body, which
// S3 refuses with 400 InvalidRequest (versity/versitygw#1242, a raw
// capture of S3's answer), leaving the target as it was, whether the
// body's length is announced or it is sent chunked; an empty body is no
// body.
func TestCopyObjectWithBody(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/copybody", nil), 200)
	mustStatus(t, ts.do("PUT", "/copybody/src", []byte("source")), 200)
	mustStatus(t, ts.do("PUT", "/copybody/dst", []byte("before")), 200)
	refused := errorDoc("InvalidRequest", "The request included a body. Requests of this type must not include a non-empty body.")
	t.Run("announced", func(t *testing.T) {
		ts := ts.with(t)
		mustError(t, ts.do("PUT", "/copybody/dst", []byte("payload"), "x-amz-copy-source", "copybody/src"), 400, refused)
	})
	t.Run("chunked", func(t *testing.T) {
		ts := ts.with(t)
		req := ts.request("PUT", "/copybody/dst", nil, "x-amz-copy-source", "copybody/src")
		req.Body = io.NopCloser(strings.NewReader("payload")) // no length: sent chunked
		mustError(t, ts.send(req), 400, refused)
	})
	if got := ts.do("GET", "/copybody/dst", nil); string(got.body) != "before" {
		t.Fatalf("target after refused copies: %s, want \"before\"", got)
	}
	t.Run("empty", func(t *testing.T) {
		ts := ts.with(t)
		mustStatus(t, ts.do("PUT", "/copybody/dst", []byte{}, "x-amz-copy-source", "copybody/src"), 200)
		if got := ts.do("GET", "/copybody/dst", nil); string(got.body) != "source" {
			t.Errorf("target after copy: %s, want \"source\"", got)
		}
	})
}

// TestCopySourceVersionID names a version in x-amz-copy-source that the
// source does not have, as S3 answered it (us-east-1, 2026-04-03, a
// capture of CopyObject and UploadPartCopy with "?versionId=" and
// "?versionId=abc"): an empty one is InvalidArgument naming the header,
// as the versionId parameter is refused, and any other UploadPartCopy's
// InvalidArgument naming the header and CopyObject's bare InvalidRequest.
// UNVERIFIED: a well-formed ID the bucket lacks was not captured; it is
// taken to be refused as "abc" is, as GetObject refuses it.
func TestCopySourceVersionID(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/copyver", nil), 200)
	mustStatus(t, ts.do("PUT", "/copyver/src", []byte("0123456789")), 200)
	id := createUpload(t, ts, "/copyver/dst")
	empty := errorDoc("InvalidArgument", "Version id cannot be the empty string", "ArgumentName", "x-amz-copy-source", "ArgumentValue", "")
	tests := []struct {
		name, path, source, want string
	}{
		{"CopyObject empty", "/copyver/dst", "copyver/src?versionId=", empty},
		{"UploadPartCopy empty", "/copyver/dst?partNumber=1&uploadId=" + id, "copyver/src?versionId=", empty},
		{"CopyObject abc", "/copyver/dst", "copyver/src?versionId=abc", errorDoc("InvalidRequest", "Invalid Request")},
		{"UploadPartCopy abc", "/copyver/dst?partNumber=1&uploadId=" + id, "copyver/src?versionId=abc",
			errorDoc("InvalidArgument", "Invalid version id specified", "ArgumentName", "x-amz-copy-source", "ArgumentValue", "abc")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do("PUT", tc.path, nil, "x-amz-copy-source", tc.source), 400, tc.want)
		})
	}
}

// TestBodyPausedOrShort sends bodies the client does not send whole: one
// pauses past the server's read timeout, one ends short of its
// Content-Length (the client closes its side, still reading). S3 answers
// the first 400 RequestTimeout and the second 400 IncompleteBody
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
// as s3proxy does; both for an object's body and for a configuration's.
// The write timeout is longer than the read's so that the answer can be
// seen: with equal ones, as "s3cors serve" has, the write deadline
// passes with the read's, give or take the time the headers took.
func TestBodyPausedOrShort(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/paused", nil), 200)
	srv := httptest.NewUnstartedServer(ts.s)
	srv.Config.ReadTimeout = 500 * time.Millisecond
	srv.Config.WriteTimeout = 10 * time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		name, target string
		halfClose    bool
		code, msg    string
	}{
		{"PutObject paused", "/paused/k", false, "RequestTimeout",
			"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."},
		{"PutObject cut short", "/paused/k", true, "IncompleteBody",
			"You did not provide the number of bytes specified by the Content-Length HTTP header"},
		{"PutBucketCors paused", "/paused?cors", false, "RequestTimeout",
			"Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\nContent-Length: 10000\r\n\r\n%s",
				c.target, strings.Repeat("a", 100))
			if c.halfClose {
				conn.(*net.TCPConn).CloseWrite()
			}
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != 400 || s3Code(body) != c.code || !strings.Contains(string(body), "<Message>"+c.msg+"</Message>") {
				t.Errorf("answer %s %s, want 400 %s: %s", res.Status, body, c.code, c.msg)
			}
		})
	}
	if r := ts.do("HEAD", "/paused/k", nil); r.StatusCode != 404 {
		t.Errorf("HeadObject: %s, want 404", r.Status)
	}
}

// TestPutObjectWriteOffset sends PutObject with x-amz-write-offset-bytes,
// S3's append to an object, which S3 does in directory buckets only: 501
// naming the header, and the object is left as it was, where it used to
// be taken and the object overwritten with the bytes to append.
func TestPutObjectWriteOffset(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/append", nil), 200)
	mustStatus(t, ts.do("PUT", "/append/k", []byte("hello")), 200)
	mustError(t, ts.do("PUT", "/append/k", []byte(" world"), "x-amz-write-offset-bytes", "5"), 501,
		errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "x-amz-write-offset-bytes"))
	if r := ts.do("GET", "/append/k", nil); string(r.body) != "hello" {
		t.Errorf("GET after a refused append: %s, want hello", r)
	}
}
