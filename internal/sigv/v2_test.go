package sigv

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// hmacSHA1Base64 signs as the guide prescribes, without this package's
// code.
func hmacSHA1Base64(secret, s string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// TestSigV2Goldens checks the canonicalization against the documented
// strings to sign, and the signing against the documented signatures.
func TestSigV2Goldens(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, g sigvtest.Golden, secret string) {
		r := sigvtest.ReadRequest(t, g.Request)
		query := ParseQuery(r.URL.RawQuery)
		var sig *sigV2
		var err error
		if auth := r.Header.Get("Authorization"); auth != "" {
			sig, err = parseAuthorizationV2(auth, r.Header)
		} else {
			sig, err = parsePresignedV2(query)
		}
		if err != nil {
			t.Fatal(err)
		}
		if sig.signature != g.Sig {
			t.Errorf("signature parsed: %q, want %q", sig.signature, g.Sig)
		}
		candidates := stringsToSignV2(r, query, sig)
		if len(candidates) <= g.Candidate || candidates[g.Candidate] != g.STS {
			t.Errorf("strings to sign:\n%q\nwant at %d:\n%q", candidates, g.Candidate, g.STS)
		}
		if got := hmacSHA1Base64(secret, g.STS); got != g.Sig {
			t.Errorf("HMAC-SHA1 of the documented string to sign: %s, want %s", got, g.Sig)
		}
		if got := signV2(secret, g.STS); got != g.Sig {
			t.Errorf("signV2: %s, want %s", got, g.Sig)
		}
	}
	for _, g := range sigvtest.DocGoldens {
		t.Run(g.Name, func(t *testing.T) {
			t.Parallel()
			check(t, g, sigvtest.DocSecretKey)
		})
	}
	for _, g := range sigvtest.BotocoreGoldens {
		t.Run("botocore/"+g.Name, func(t *testing.T) {
			t.Parallel()
			check(t, g, sigvtest.BotocoreSecretKey)
		})
	}
}

// TestSigV2DocumentedRule checks the string to sign S3 reports for a
// request with x-amz-date: the documented rule, an empty Date line and
// x-amz-date among the signed headers.
func TestSigV2DocumentedRule(t *testing.T) {
	t.Parallel()
	r := sigvtest.ReadRequest(t, sigvtest.DocGoldens[4].Request)
	sig, err := parseAuthorizationV2(r.Header.Get("Authorization"), r.Header)
	if err != nil {
		t.Fatal(err)
	}
	want := "DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg"
	if got := stringsToSignV2(r, nil, sig)[0]; got != want {
		t.Errorf("string to sign:\n%q\nwant\n%q", got, want)
	}
	if sig.dateText != "Tue, 27 Mar 2007 21:20:26 +0000" {
		t.Errorf("request time taken from %q, want x-amz-date's", sig.dateText)
	}
}

// TestSigV2PresignedQueryHeaders checks what a presigned URL carries in
// its query instead of headers, as botocore presigns: x-amz-* parameters
// are signed as headers; Content-Type and Content-MD5 when not sent as
// headers.
func TestSigV2PresignedQueryHeaders(t *testing.T) {
	t.Parallel()
	r := sigvtest.ReadRequest(t, "PUT /b/k?AWSAccessKeyId=AK&Signature=x%2By&Expires=2000000000&content-type=text%2Fplain&x-amz-acl=public-read&X-Amz-Security-Token=tok HTTP/1.1\n"+
		"Host: h\nX-Amz-Meta-M: v\n")
	query := ParseQuery(r.URL.RawQuery)
	sig, err := parsePresignedV2(query)
	if err != nil {
		t.Fatal(err)
	}
	if sig.signature != "x+y" {
		t.Errorf("signature %q", sig.signature)
	}
	want := "PUT\n\ntext/plain\n2000000000\nx-amz-acl:public-read\nx-amz-meta-m:v\nx-amz-security-token:tok\n/b/k"
	if got := stringsToSignV2(r, query, sig); len(got) != 1 || got[0] != want {
		t.Errorf("strings to sign %q, want %q", got, want)
	}
	// The header wins over the query.
	r.Header.Set("Content-Type", "image/png")
	if got := stringsToSignV2(r, query, sig)[0]; !strings.HasPrefix(got, "PUT\n\nimage/png\n") {
		t.Errorf("with a Content-Type header: %q", got)
	}
	// An unescaped '+' in Signature.
	r = sigvtest.ReadRequest(t, "GET /b/k?AWSAccessKeyId=AK&Signature=x+y&Expires=1 HTTP/1.1\nHost: h\n")
	if sig, err := parsePresignedV2(ParseQuery(r.URL.RawQuery)); err != nil || sig.signature != "x+y" {
		t.Errorf("signature with a raw '+': %+v %v", sig, err)
	}
}

// TestQueryHeadersV2 checks the headers read from a presigned query of
// Signature Version 2: those botocore's HmacV1QueryAuth moves there
// (content-type, content-md5, x-amz-*, lower-cased), each unless the
// request sent it as a header, and nothing else.
func TestQueryHeadersV2(t *testing.T) {
	t.Parallel()
	const auth = "AWSAccessKeyId=AK&Signature=c2ln&Expires=2000000000"
	for _, c := range []struct {
		name, query  string
		header, want http.Header
	}{
		{"botocore's put_object", auth + "&content-type=text%2Fq&content-md5=kAFQmDzST7DWlj99KOF%2FcQ%3D%3D&x-amz-acl=public-read&x-amz-meta-a=b&x-amz-server-side-encryption=aws%3Akms",
			http.Header{"Host": {"h"}},
			http.Header{"Host": {"h"}, "Content-Type": {"text/q"}, "Content-Md5": {"kAFQmDzST7DWlj99KOF/cQ=="}, "X-Amz-Acl": {"public-read"},
				"X-Amz-Meta-A": {"b"}, "X-Amz-Server-Side-Encryption": {"aws:kms"}}},
		{"a header sent wins", auth + "&content-type=text%2Fq&x-amz-meta-a=query&x-amz-meta-b=query",
			http.Header{"Content-Type": {"image/png"}, "X-Amz-Meta-A": {"header"}},
			http.Header{"Content-Type": {"image/png"}, "X-Amz-Meta-A": {"header"}, "X-Amz-Meta-B": {"query"}}},
		{"values repeated, names in any case", auth + "&x-amz-meta-r=1&x-amz-meta-r=2&x-amz-meta-c=2&X-Amz-Meta-C=1",
			http.Header{},
			http.Header{"X-Amz-Meta-R": {"1", "2"}, "X-Amz-Meta-C": {"1", "2"}}},
		{"a copy source", auth + "&x-amz-copy-source=b%2Fsrc%20key",
			http.Header{},
			http.Header{"X-Amz-Copy-Source": {"b/src key"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sent := c.header.Clone()
			got, ok := QueryHeadersV2(c.header, ParseQuery(c.query))
			if !ok || !maps.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("QueryHeadersV2 = %v, %v; want %v, true", got, ok, c.want)
			}
			if !maps.EqualFunc(c.header, sent, slices.Equal) {
				t.Errorf("the header sent became %v", c.header)
			}
		})
	}
	// None of these is a header's: the auth parameters, others, a
	// Content-Type not lower-cased (stringToSignV2 signs content-type
	// only), a name no header can have, a checksum (S3 ignores one in a
	// presigned URL's query).
	for _, q := range []string{auth, auth + "&acl&x-id=PutObject&Content-Type=text%2Fq&CONTENT-MD5=x&x-amz-meta-a%20b=1&x-amzfoo=1&x-amz-checksum-crc32=AAAAAA%3D%3D&X-Amz-Checksum-Algorithm=CRC32"} {
		h := http.Header{"Host": {"h"}}
		if got, ok := QueryHeadersV2(h, ParseQuery(q)); ok || !maps.EqualFunc(got, http.Header{"Host": {"h"}}, slices.Equal) {
			t.Errorf("%s: QueryHeadersV2 = %v, %v; want the header as sent, false", q, got, ok)
		}
	}
}

// TestPresignedV2 checks which requests have the shape of a presigned
// URL of Signature Version 2, as Verify tells them.
func TestPresignedV2(t *testing.T) {
	t.Parallel()
	for request, want := range map[string]bool{
		"GET /b/k?AWSAccessKeyId=AK&Signature=c2ln&Expires=1 HTTP/1.1\nHost: h\n":                             true,
		"GET /b/k?Signature=c2ln HTTP/1.1\nHost: h\n":                                                         true,
		"GET /b/k?AWSAccessKeyId=AK HTTP/1.1\nHost: h\n":                                                      true,
		"GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&Signature=c2ln HTTP/1.1\nHost: h\n":                        false,
		"GET /b/k?AWSAccessKeyId=AK&Signature=c2ln&Expires=1 HTTP/1.1\nHost: h\nAuthorization: AWS AK:c2ln\n": false,
		"GET /b/k?Expires=1&acl HTTP/1.1\nHost: h\n":                                                          false,
	} {
		r := sigvtest.ReadRequest(t, request)
		if got := PresignedV2(r, ParseQuery(r.URL.RawQuery)); got != want {
			t.Errorf("PresignedV2(%q) = %v, want %v", request, got, want)
		}
	}
}

func TestSigV2Canonicalization(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		request  string
		resource []string
		amz      string
	}{
		// Every response-* override, with escapes unescaped; other
		// parameters left out.
		{"GET /b/k?response-expires=Thu%2C%2001%20Dec%201994&response-cache-control=no-cache&response-content-language=fr&response-content-encoding=gzip&list-type=2&X-Id=1 HTTP/1.1\n",
			[]string{"/b/k?response-cache-control=no-cache&response-content-encoding=gzip&response-content-language=fr&response-expires=Thu, 01 Dec 1994"}, ""},
		// Multipart subresources, by byte order; a repeated name keeps its order.
		{"PUT /b/k?uploadId=U%2BV&partNumber=2 HTTP/1.1\n", []string{"/b/k?partNumber=2&uploadId=U+V"}, ""},
		{"GET /b?versions&versionId=1&versioning&tagging=b&tagging=a HTTP/1.1\n", []string{"/b/?tagging=b&tagging=a&versionId=1&versioning&versions", "/b?tagging=b&tagging=a&versionId=1&versioning&versions"}, ""},
		// '+' in a value is a space, as ParseQuery reads it, then '+'
		// as botocore's unquote keeps it; a malformed escape stays as sent.
		{"GET /b?cors&website=a+b&policy=%zz HTTP/1.1\n", []string{"/b/?cors&policy=%zz&website=a b", "/b/?cors&policy=%zz&website=a+b",
			"/b?cors&policy=%zz&website=a b", "/b?cors&policy=%zz&website=a+b"}, ""},
		{"GET /b/k?versionId=&response-content-disposition=a+b HTTP/1.1\n", []string{"/b/k?response-content-disposition=a b&versionId",
			"/b/k?response-content-disposition=a b&versionId=", "/b/k?response-content-disposition=a+b&versionId", "/b/k?response-content-disposition=a+b&versionId="}, ""},
		// The path exactly as sent, escapes and their case included.
		{"GET /b/a%2fb/%7Ec+d HTTP/1.1\n", []string{"/b/a%2fb/%7Ec+d"}, ""},
		// An empty value: no "=" first (S3), then as sent (botocore).
		{"GET /b/k?versionId=&acl HTTP/1.1\n", []string{"/b/k?acl&versionId", "/b/k?acl&versionId="}, ""},
		{"GET /b/?location= HTTP/1.1\n", []string{"/b/?location", "/b/?location="}, ""},
		// A bucket: "/b/" as SDKs sign it, then "/b"; the service, "/".
		{"GET /b/ HTTP/1.1\n", []string{"/b/"}, ""},
		{"GET / HTTP/1.1\n", []string{"/"}, ""},
		{"GET /?acl HTTP/1.1\n", []string{"/?acl"}, ""},
		// Values trimmed, repeated names joined, names lower-cased.
		{"GET /b HTTP/1.1\nX-AMZ-META-Z:  z  \nx-amz-meta-y: 1\nX-Amz-Meta-Y: 2\nX-Amzfoo: no\n", []string{"/b/", "/b"}, "x-amz-meta-y:1,2\nx-amz-meta-z:z\n"},
	} {
		r := sigvtest.ReadRequest(t, c.request+"Host: h\n")
		if got := canonicalResourcesV2(r); !slices.Equal(got, c.resource) {
			t.Errorf("%q: resource %q, want %q", c.request, got, c.resource)
		}
		if got := canonicalAmzHeadersV2(r.Header, nil, ""); got != c.amz {
			t.Errorf("%q: headers %q, want %q", c.request, got, c.amz)
		}
	}
	// A request without a RequestURI, as handlers in tests get them.
	r, _ := http.NewRequest("GET", "http://h/b/k%20x?acl", nil)
	if got := canonicalResourcesV2(r); !slices.Equal(got, []string{"/b/k%20x?acl"}) {
		t.Errorf("resource of a client request: %q", got)
	}
	for _, v := range []struct{ in, want string }{{"  a  ", "a"}, {"a\r\n  b", "a b"}, {"a \n\tb\nc", "a b c"}} {
		if got := unfold(v.in); got != v.want {
			t.Errorf("unfold(%q) = %q, want %q", v.in, got, v.want)
		}
	}
}

// TestSigV2PlusInSubresource checks a '+' in a signed subresource's
// value, as goamz and Go's url.Values write a space: the URL is taken
// signed with the space, as the handlers read it, and with the '+'; S3's
// string to sign, reported when neither matches, has the space.
func TestSigV2PlusInSubresource(t *testing.T) {
	t.Parallel()
	const secret = "SECRET"
	v, err := New(Options{AccessKey: "AK", SecretKey: secret, Now: func() time.Time { return time.Unix(1999999999, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	const sts = "GET\n\n\n2000000000\n/b/k?response-content-disposition="
	for _, c := range []struct {
		signed string
		ok     bool
	}{
		{sts + "attachment; filename=a b.txt", true},
		{sts + "attachment;+filename=a+b.txt", true},
		{sts + "attachment; filename=a+b.txt", false},
		{sts + "attachment%3B+filename%3Da+b.txt", false},
	} {
		r := sigvtest.ReadRequest(t, "GET /b/k?response-content-disposition=attachment%3B+filename%3Da+b.txt&AWSAccessKeyId=AK&Expires=2000000000&Signature="+
			url.QueryEscape(hmacSHA1Base64(secret, c.signed))+" HTTP/1.1\nHost: h\n")
		query := ParseQuery(r.URL.RawQuery)
		if got := query.Get("response-content-disposition"); got != "attachment; filename=a b.txt" {
			t.Fatalf("ParseQuery: %q", got)
		}
		_, err := v.Verify(r, query)
		if c.ok != (err == nil) {
			t.Errorf("signed %q: %v", c.signed, err)
		}
		if e, ok := errors.AsType[*s3err.Error](err); ok && !slices.Contains(e.Details, s3err.Detail{Name: "StringToSign", Value: sts + "attachment; filename=a b.txt"}) {
			t.Errorf("signed %q: %v reports %v, not the string to sign with the space", c.signed, e, e.Details)
		}
	}
}

// TestSigV2OneDigitDay checks that a header signature dated with a day
// of one digit is verified, not refused for want of a date.
func TestSigV2OneDigitDay(t *testing.T) {
	t.Parallel()
	const date = "Mon, 7 Dec 2026 15:45:37 GMT"
	v, err := New(Options{AccessKey: "AK", SecretKey: "SECRET", Now: func() time.Time { return time.Date(2026, 12, 7, 15, 45, 37, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	r := sigvtest.ReadRequest(t, "GET /b/k HTTP/1.1\nHost: h\nDate: "+date+"\nAuthorization: AWS AK:"+
		hmacSHA1Base64("SECRET", "GET\n\n\n"+date+"\n/b/k")+"\n")
	if _, err := v.Verify(r, ParseQuery(r.URL.RawQuery)); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestParseHTTPDate(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Tue, 27 Mar 2007 19:36:42 +0000", "Tue, 27 Mar 2007 19:36:42 GMT", "Tuesday, 27-Mar-07 19:36:42 GMT",
		"Tue Mar 27 19:36:42 2007", "20070327T193642Z", "Tue, 27 Mar 2007 21:36:42 +0200"} {
		if got, ok := parseHTTPDate(s); !ok || got.UTC().Format(isoSeconds) != "2007-03-27T19:36:42Z" {
			t.Errorf("parseHTTPDate(%q) = %v, %v", s, got, ok)
		}
	}
	// A day of one digit, as goofys and Java's RFC_1123_DATE_TIME write
	// it. UNVERIFIED: whether S3 takes it.
	for _, s := range []string{"Wed, 7 Mar 2007 19:36:42 GMT", "Wed, 7 Mar 2007 19:36:42 +0000", "Wed, 7 Mar 2007 21:36:42 +0200"} {
		if got, ok := parseHTTPDate(s); !ok || got.UTC().Format(isoSeconds) != "2007-03-07T19:36:42Z" {
			t.Errorf("parseHTTPDate(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "1175139620", "2007-03-27T19:36:42Z"} {
		if _, ok := parseHTTPDate(s); ok {
			t.Errorf("parseHTTPDate(%q) took it", s)
		}
	}
}
