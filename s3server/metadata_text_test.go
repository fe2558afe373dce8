package s3server_test

import (
	"strings"
	"testing"
)

// TestUserMetadataText checks how user metadata beyond US-ASCII, and
// metadata no header can carry, come back. S3 sends a value beyond
// US-ASCII "encoded as per RFC 2047" (User Guide, UsingMetadata), reads a
// header's bytes beyond US-ASCII as ISO-8859-1 (UTF-8's "ö" sent as a
// header came back from S3 as =?UTF-8?B?w4PCtg==?=, "Ã¶",
// minio/minio#21282), and withholds "metadata whose values are not legal
// HTTP headers", counting them in x-amz-missing-meta (GetObject). A POST
// form's fields are text: review9 saw "café ☕" come back as raw UTF-8,
// and a value with CR, LF and a control byte reach the answer, which the
// AWS SDK for JavaScript then refused to read ("Invalid header value
// char"). Expected encodings computed with Python's base64 module.
func TestUserMetadataText(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	if err := ts.s.CreateBucket("meta", "private"); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, ts.do("PUT", "/meta/by-header", []byte("x"),
		"x-amz-meta-utf8", "\xc3\xb6", // "ö" in UTF-8, read by S3 as two ISO-8859-1 characters
		"x-amz-meta-latin1", "caf\xe9", // "café" as a browser sends it, one byte a character
		"x-amz-meta-plain", "a\tb =?x?="), 200)
	r := ts.do("HEAD", "/meta/by-header", nil)
	for name, want := range map[string]string{"X-Amz-Meta-Utf8": "=?UTF-8?B?w4PCtg==?=", "X-Amz-Meta-Latin1": "=?UTF-8?B?Y2Fmw6k=?=",
		"X-Amz-Meta-Plain": "a\tb =?x?=", "X-Amz-Missing-Meta": ""} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("PutObject, then HEAD: %s: %q, want %q", name, got, want)
		}
	}

	fields := []field{{"key", "by-form"}, {"x-amz-meta-name", "café ☕"}, {"x-amz-meta-note", "line1\r\nline2\x01"},
		{"x-amz-meta-a b", "c"}, {"x-amz-meta-bytes", "\xff\xfe"}, {"x-amz-meta-ok", "plain"}}
	if r := ts.post("meta", form{fields: fields, file: strings.NewReader("y")}); r.StatusCode != 204 {
		t.Fatalf("POST: %s", r)
	}
	for _, method := range []string{"HEAD", "GET"} {
		r := ts.do(method, "/meta/by-form", nil)
		for name, want := range map[string]string{"X-Amz-Meta-Name": "=?UTF-8?B?Y2Fmw6kg4piV?=", "X-Amz-Meta-Ok": "plain",
			"X-Amz-Meta-Note": "", "X-Amz-Meta-Bytes": "", "X-Amz-Missing-Meta": "3"} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("POST, then %s: %s: %q, want %q", method, name, got, want)
			}
		}
		for name := range r.Header {
			if strings.HasPrefix(strings.ToLower(name), "x-amz-meta-a") {
				t.Errorf("POST, then %s: %s sent", method, name)
			}
		}
	}
}
