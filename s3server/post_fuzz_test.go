package s3server_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/hostile"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

// formFuzzMaxObject is the object size limit of the servers the form
// fuzz targets post to: small, so that an endless file is refused after
// a read of a few hundred KiB rather than 64 MiB.
const formFuzzMaxObject = 256 << 10

// formFuzzReadCap is the most a server may read of a form's body: the
// fields before the file and their part headers (64 KiB), the file (the
// object size limit and the byte that tells it is over), what follows
// the file (64 KiB), and the multipart reader's buffer of 4 KiB, read
// ahead at each of the three, with a boundary.
func formFuzzReadCap(boundary string) int64 {
	return int64(64<<10 + formFuzzMaxObject + 1 + 64<<10 + 3*(4<<10+len(boundary)+8))
}

// postErrorCodes are the errors a POST Object can get, by code, with
// their status: S3's, as post_test.go checks each.
var postErrorCodes = map[string]int{
	"PreconditionFailed":           412, // not multipart/form-data
	"MalformedPOSTRequest":         400,
	"MaxPostPreDataLengthExceeded": 400,
	"InvalidArgument":              400, // no file, no key, an empty key, a bad ACL, ...
	"KeyTooLongError":              400,
	// A key that is not UTF-8, refused as at an object's path
	// (s3route.KeyError; UNVERIFIED for a form, as for a path).
	"InvalidURI":            400,
	"EntityTooLarge":        400,
	"EntityTooSmall":        400,
	"InvalidPolicyDocument": 400,
	"AccessDenied":          403, // the policy's conditions
	"MalformedXML":          400, // the tagging field
	"InvalidTag":            400,
	"InvalidDigest":         400, // Content-MD5
	"BadDigest":             400,
	"InvalidRequest":        400, // a checksum field
	"MetadataTooLarge":      400,
	"NotImplemented":        501, // an x-amz-* field the server does not do
}

// formFuzzServer starts an in-memory server without keys, where a form
// needs no signature, with the bucket "forms".
func formFuzzServer(f *testing.F) *s3server.Server {
	s, err := s3server.New(s3server.Options{InMemory: true, MaxObjectSize: formFuzzMaxObject})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	if err := s.CreateBucket("forms", "private"); err != nil {
		f.Fatal(err)
	}
	return s
}

// countingBody is a request body that counts what the server reads of
// it: body, then tail again and again when tail is not empty, as an
// endless form. Past limit bytes it fails, so that a server that reads
// on without end is caught rather than waited for.
type countingBody struct {
	body, tail []byte
	n, limit   int64
}

var errReadPastCap = errors.New("the server read past the form's limits")

func (c *countingBody) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, errReadPastCap
	}
	i := 0
	for i < len(p) {
		var src []byte
		switch {
		case c.n < int64(len(c.body)):
			src = c.body[c.n:]
		case len(c.tail) > 0:
			src = c.tail[(c.n-int64(len(c.body)))%int64(len(c.tail)):]
		}
		if len(src) == 0 {
			break
		}
		m := copy(p[i:], src)
		i += m
		c.n += int64(m)
	}
	if i == 0 {
		return 0, io.EOF
	}
	return i, nil
}

// postForm posts body to the bucket "forms" in process, and returns the
// answer and how many bytes of the body the server read.
func postForm(s *s3server.Server, ctype string, body *countingBody) (*httptest.ResponseRecorder, int64) {
	r := httptest.NewRequest("POST", "/forms", body)
	r.Header.Set("Content-Type", ctype)
	r.ContentLength = -1
	if len(body.tail) == 0 {
		r.ContentLength = int64(len(body.body))
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w, body.n
}

// errorCode returns the Code of an S3 error document.
func errorCode(b []byte) string {
	var doc struct{ Code string }
	_ = xml.Unmarshal(b, &doc)
	return doc.Code
}

// checkPostAnswer fails t when w is neither a stored form's answer nor
// one of S3's errors for a form with its status; it returns the error
// code, "" for a stored form.
func checkPostAnswer(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	switch w.Code {
	case 200, 201, 204, 303:
		return ""
	}
	code := errorCode(w.Body.Bytes())
	if status, ok := postErrorCodes[code]; !ok || status != w.Code {
		t.Fatalf("answer %d %s, not one of S3's errors for a form", w.Code, w.Body)
	}
	return code
}

// FuzzPostForm posts arbitrary bodies, under arbitrary boundaries, to a
// server's form reader: each gets a stored form's answer or one of S3's
// errors for a form with its status, never a 500, and the server reads
// no more of the body than the form's limits allow. A tail that is not
// empty follows the body again and again, as an endless form: the
// server must refuse it once over a limit, whichever part it is in.
func FuzzPostForm(f *testing.F) {
	s := formFuzzServer(f)
	for _, seed := range formSeeds(f) {
		f.Add(seed.boundary, seed.body, seed.tail)
	}
	f.Fuzz(func(t *testing.T, boundary string, body, tail []byte) {
		tail = []byte(hostile.Clip(string(tail), 512))
		ctype := mime.FormatMediaType("multipart/form-data", map[string]string{"boundary": boundary})
		if ctype == "" {
			ctype = "multipart/form-data; boundary=" + boundary
		}
		b := &countingBody{body: body, tail: tail, limit: formFuzzReadCap(boundary)}
		w, read := postForm(s, ctype, b)
		if read > b.limit {
			t.Fatalf("the server read %d bytes of the form, more than its limits (%d); answer %d %s", read, b.limit, w.Code, w.Body)
		}
		// An endless form may be stored: what follows its closing
		// boundary, the epilogue, is not read (RFC 2046, 5.1.1).
		if checkPostAnswer(t, w) == "" {
			removeStored(t, s, w)
		}
	})
}

// removeStored deletes the object a stored form's answer names, so that
// the fuzzer's server does not grow.
func removeStored(t *testing.T, s *s3server.Server, w *httptest.ResponseRecorder) {
	t.Helper()
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatalf("a stored form answered with a Location that is no URL: %v", w.Header())
	}
	escaped, ok := strings.CutPrefix(loc.EscapedPath(), "/forms/")
	if w.Code == 303 {
		// A redirect: the key is in the query S3 adds to it.
		escaped, ok = url.PathEscape(loc.Query().Get("key")), loc.Query().Has("key")
	}
	key, err := url.PathUnescape(escaped)
	if !ok || err != nil {
		t.Fatalf("a stored form answered without the object's key: %v", w.Header())
	}
	r := httptest.NewRequest("DELETE", "/forms/x", nil)
	r.URL.Path, r.URL.RawPath = "/forms/"+key, "/forms/"+url.PathEscape(key)
	d := httptest.NewRecorder()
	s.ServeHTTP(d, r)
	if d.Code != 204 {
		t.Fatalf("DELETE %q: %d %s", key, d.Code, d.Body)
	}
}

// formSeed is one seed of FuzzPostForm.
type formSeed struct {
	boundary   string
	body, tail []byte
}

// formSeeds returns forms written by mime/multipart, well-formed and
// cut short, and endless ones: of fields, of headers, of one field's
// value, of a file.
func formSeeds(f *testing.F) []formSeed {
	const b = "s3corsfuzzboundary"
	write := func(fields []field, file string, after ...field) []byte {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if err := w.SetBoundary(b); err != nil {
			f.Fatal(err)
		}
		if err := writeFields(w, fields, file, after); err != nil {
			f.Fatal(err)
		}
		return buf.Bytes()
	}
	policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration": "2999-01-01T00:00:00Z", "conditions": [{"bucket": "forms"}, ` +
		`["starts-with", "$key", ""], ["content-length-range", 2, 10]]}`))
	whole := write([]field{{"key", "a/${filename}"}, {"Content-Type", "text/plain"}, {"x-amz-meta-a", "b"}}, "content", field{"submit", "Upload"})
	withPolicy := write([]field{{"key", "k"}, {"policy", policy}, {"success_action_status", "201"}}, "twelve bytes")
	redirect := write([]field{{"key", "a b"}, {"success_action_redirect", "https://example.com/done?x=1"}}, "")
	head := "--" + b + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n"
	fileHead := head + "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n"
	return []formSeed{
		{b, whole, nil},
		{b, withPolicy, nil},
		{b, redirect, nil},
		{b, whole[:len(whole)-10], nil},
		{b, []byte(fileHead + "x\r\n--" + b + "--\r\n"), nil},
		{"", whole, nil},
		{strings.Repeat("b", 5000), []byte("--" + strings.Repeat("b", 5000) + "\r\n"), nil},
		{b, []byte(head), []byte("--" + b + "\r\nContent-Disposition: form-data; name=\"x-ignore\"\r\n\r\n\r\n")},
		{b, []byte("--" + b + "\r\n"), []byte("X-Header: v\r\n")},
		{b, []byte("--" + b + "\r\nContent-Disposition: form-data; name=\"x-ignore\"\r\n\r\n"), []byte("v")},
		{b, []byte(fileHead), []byte("f")},
		{b, []byte(fileHead + "x\r\n--" + b + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\n"), []byte("a")},
		{b, []byte(head), []byte("--" + b + "\r\n")},
	}
}

// writeFields writes fields, then a file part holding file, then after,
// then the closing boundary.
func writeFields(w *multipart.Writer, fields []field, file string, after []field) error {
	for _, fl := range fields {
		if err := w.WriteField(fl.name, fl.value); err != nil {
			return err
		}
	}
	part, err := w.CreateFormFile("file", "f.txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(part, file); err != nil {
		return err
	}
	for _, fl := range after {
		if err := w.WriteField(fl.name, fl.value); err != nil {
			return err
		}
	}
	return w.Close()
}

// formNameEscaper writes a CR or LF in a form field's name as
// mime/multipart's Writer sends it (Go 1.26's quoteEscaper).
var formNameEscaper = strings.NewReplacer("\r", "%0D", "\n", "%0A")

// FuzzPostFormFields posts well-formed forms, written by mime/multipart
// under a boundary of the fuzzer's, with a key, a Content-Type, a
// metadata field and a file, and a policy whose content-length-range is
// [min, max] when max is not 0. A form the server stores must come back
// exactly: the file, the Content-Type and the metadata, at the key; the
// file's size against the range decides, as a reference would, whether
// it may be stored and, when the form is refused for its size, which
// error it gets with which sizes.
func FuzzPostFormFields(f *testing.F) {
	s := formFuzzServer(f)
	f.Add("s3corsfuzzboundary", "dir/${filename}", "image/png", "note", "a value", []byte("content"), uint16(0), uint16(0))
	f.Add("b", "k", "text/plain", "a", "", []byte("twelve bytes"), uint16(2), uint16(10))
	f.Add("b", "k", "", "a", "v", []byte(""), uint16(1), uint16(1))
	f.Add("b", "k", "", "a", "v", []byte("x"), uint16(2), uint16(1))
	f.Add("b", "--b", "", "a", "\r\n--b\r\n", []byte("\r\n--b\r\n"), uint16(0), uint16(300))
	f.Add("b", "k", "", "name", "café ☕", []byte("x"), uint16(0), uint16(0))             // RFC 2047
	f.Add("b", "k", "", "note", "line1\r\nline2\x01", []byte("x"), uint16(0), uint16(0)) // withheld
	f.Add("b", "k", "", "a b", "c", []byte("x"), uint16(0), uint16(0))                   // no header's name
	f.Fuzz(func(t *testing.T, boundary, key, contentType, metaName, metaValue string, file []byte, minSize, maxSize uint16) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		// The file's content follows the CRLF that ends its part's headers,
		// so "--"+boundary at its start is a delimiter too (RFC 2046 §5.1.1:
		// the CRLF before a delimiter belongs to it), and the part is read
		// as empty, by Go's mime/multipart as by the server.
		if w.SetBoundary(boundary) != nil || bytes.Contains(append([]byte("\r\n"), file...), []byte("\r\n--"+boundary)) {
			return // a form the writer cannot write, or one the file would end early
		}
		fields := []field{{"key", key}, {"Content-Type", contentType}, {"x-amz-meta-" + metaName, metaValue}}
		// The writer sends a CR or LF in a field's name as %0D or %0A, as
		// browsers do (the HTML standard's form encoding): that is the
		// name the server gets, and the one the policy must name.
		metaName = formNameEscaper.Replace(metaName)
		if maxSize != 0 {
			fields = append(fields, field{"policy", rangePolicy(t, contentType, metaName, minSize, maxSize)})
		}
		if err := writeFields(w, fields, string(file), nil); err != nil {
			t.Fatal(err)
		}
		b := &countingBody{body: body.Bytes(), limit: formFuzzReadCap(boundary)}
		answer, _ := postForm(s, w.FormDataContentType(), b)
		code := checkPostAnswer(t, answer)
		size := int64(len(file))
		inRange := maxSize == 0 || int64(minSize) <= size && size <= int64(maxSize)
		switch {
		case code == "":
			if !inRange {
				t.Fatalf("a file of %d bytes stored under content-length-range [%d, %d]", size, minSize, maxSize)
			}
			// The values come back with ${filename} replaced by the file's
			// name, as S3 replaces it in every field.
			expand := strings.NewReplacer("${filename}", "f.txt").Replace
			checkStoredForm(t, s, answer, expand(key), expand(contentType), metaName, expand(metaValue), file)
			removeStored(t, s, answer)
		case code == "EntityTooLarge" && maxSize != 0:
			if size <= int64(maxSize) {
				t.Fatalf("a file of %d bytes refused as over content-length-range [%d, %d]: %s", size, minSize, maxSize, answer.Body)
			}
			checkSizeDetails(t, answer.Body.Bytes(), "ProposedSize", size, "MaxSizeAllowed", int64(maxSize))
		case code == "EntityTooSmall":
			if maxSize == 0 || size >= int64(minSize) {
				t.Fatalf("a file of %d bytes refused as under content-length-range [%d, %d]: %s", size, minSize, maxSize, answer.Body)
			}
			checkSizeDetails(t, answer.Body.Bytes(), "ProposedSize", size, "MinSizeAllowed", int64(minSize))
		}
	})
}

// rangePolicy returns a policy, base64-encoded, that lets any key,
// Content-Type and value of x-amz-meta-NAME through, and holds the file
// to [min, max] bytes.
func rangePolicy(t *testing.T, contentType, metaName string, minSize, maxSize uint16) string {
	t.Helper()
	doc, err := json.Marshal(map[string]any{
		"expiration": "2999-01-01T00:00:00Z",
		"conditions": []any{
			map[string]string{"bucket": "forms"},
			[]any{"starts-with", "$key", ""},
			[]any{"starts-with", "$Content-Type", ""},
			[]any{"starts-with", "$x-amz-meta-" + metaName, ""},
			[]any{"content-length-range", minSize, maxSize},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(doc)
}

// checkStoredForm reads back the object a stored form's answer names
// and fails t unless it is the form's: at key, holding file, with the
// Content-Type and metadata sent.
func checkStoredForm(t *testing.T, s *s3server.Server, answer *httptest.ResponseRecorder, key, contentType, metaName, metaValue string, file []byte) {
	t.Helper()
	r := httptest.NewRequest("GET", "/forms/x", nil)
	r.URL.Path, r.URL.RawPath = "/forms/"+key, "/forms/"+url.PathEscape(key)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), file) {
		t.Fatalf("GET %q after the form was stored (%d %v): %d, %d bytes, want 200 and the file's %d", key, answer.Code, answer.Header(), w.Code, w.Body.Len(), len(file))
	}
	if contentType == "" {
		contentType = "binary/octet-stream"
	}
	if got := w.Header()["Content-Type"]; len(got) != 1 || got[0] != contentType {
		t.Errorf("Content-Type %q, want %q", got, contentType)
	}
	name := "x-amz-meta-" + strings.ToLower(metaName) // lower-case, as S3 sends it
	if metaValue == "" {
		return
	}
	// A value beyond US-ASCII comes back as one RFC 2047 word; one no
	// header can carry, or under a name that is none, is withheld and
	// counted (TestUserMetadataText).
	want, missing := metaValue, ""
	switch {
	case strings.IndexFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) }) >= 0,
		strings.ContainsFunc(metaValue, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }), !utf8.ValidString(metaValue):
		want, missing = "", "1"
	case strings.ContainsFunc(metaValue, func(r rune) bool { return r > 0x7f }):
		want = "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(metaValue)) + "?="
	}
	gotMissing := s3err.HeaderValue(w.Header(), "x-amz-missing-meta") // as the server spells it
	if got := strings.Join(w.Header()[name], ","); got != want || gotMissing != missing {
		t.Errorf("%s %q, x-amz-missing-meta %q; want %q, %q", name, got, gotMissing, want, missing)
	}
}

// checkSizeDetails fails t unless the error document b names the sizes
// given.
func checkSizeDetails(t *testing.T, b []byte, name1 string, v1 int64, name2 string, v2 int64) {
	t.Helper()
	details := s3Details(b)
	if details[name1] != strconv.FormatInt(v1, 10) || details[name2] != strconv.FormatInt(v2, 10) {
		t.Fatalf("%s %s, %s %s; want %d and %d: %s", name1, details[name1], name2, details[name2], v1, v2, b)
	}
}
