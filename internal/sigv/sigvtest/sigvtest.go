// Package sigvtest holds requests signed with AWS Signature Version 2 by
// others than this module, AWS's documentation and botocore, for the
// tests of package sigv and of the servers that use it.
package sigvtest

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// The example keys of the S3 documentation.
const (
	DocAccessKey = "AKIAIOSFODNN7EXAMPLE"
	DocSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// Golden is a request signed with Signature Version 2, with the string
// to sign and the signature computed for it elsewhere than in this
// module.
type Golden struct {
	Name    string
	Request string // path-style, lines separated by "\n"
	STS     string // the documented string to sign, verbatim
	Sig     string // the documented signature, verbatim
	// Candidate is the index of STS among the strings to sign the
	// verifier tries for the request: 0 for S3's own form.
	Candidate int
}

// DocGoldens are the authentication examples of the S3 Developer Guide,
// "Signing and authenticating REST requests", in the version that still
// used the bucket johnsmith:
// https://github.com/awsdocs/amazon-s3-developer-guide/blob/e799f25f4fcde8d5b0332d0c4fe631090f4dd466/doc_source/RESTAuthentication.md
// (the page now at
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html
// renamed the bucket awsexamplebucket1 but kept these signatures, which
// no longer match its strings to sign).
//
// Requests the guide sends virtual-hosted (Host: johnsmith.s3...) are
// written here path-style, as this server takes them: the guide gives
// both styles the same CanonicalizedResource. The strings to sign and
// the signatures are the guide's, verbatim, with its "\n" as newlines.
var DocGoldens = []Golden{
	{
		Name: "Object GET",
		Request: "GET /johnsmith/photos/puppy.jpg HTTP/1.1\nHost: s3.amazonaws.com\nDate: Tue, 27 Mar 2007 19:36:42 +0000\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU=\n",
		STS: "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
		Sig: "bWq2s1WEIj+Ydj0vQ697zp+IXMU=",
	},
	{
		Name: "Object PUT",
		Request: "PUT /johnsmith/photos/puppy.jpg HTTP/1.1\nContent-Type: image/jpeg\nContent-Length: 94328\nHost: s3.amazonaws.com\n" +
			"Date: Tue, 27 Mar 2007 21:15:45 +0000\nAuthorization: AWS AKIAIOSFODNN7EXAMPLE:MyyxeRY7whkBe+bq8fHCL/2kKUg=\n",
		STS: "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg",
		Sig: "MyyxeRY7whkBe+bq8fHCL/2kKUg=",
	},
	{
		Name: "List",
		Request: "GET /johnsmith/?prefix=photos&max-keys=50&marker=puppy HTTP/1.1\nUser-Agent: Mozilla/5.0\nHost: s3.amazonaws.com\n" +
			"Date: Tue, 27 Mar 2007 19:42:41 +0000\nAuthorization: AWS AKIAIOSFODNN7EXAMPLE:htDYFYduRNen8P9ZfE/s9SuKy0U=\n",
		STS: "GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/",
		Sig: "htDYFYduRNen8P9ZfE/s9SuKy0U=",
	},
	{
		Name: "Fetch",
		Request: "GET /johnsmith/?acl HTTP/1.1\nHost: s3.amazonaws.com\nDate: Tue, 27 Mar 2007 19:44:46 +0000\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM=\n",
		STS: "GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl",
		Sig: "c2WLPFtWHVgbEmeEG93a4cG37dM=",
	},
	{
		// The guide's own request is path-style. Its string to sign puts
		// x-amz-date on the Date line, against the guide's rule: it is
		// the second form the server takes.
		Name: "Delete",
		Request: "DELETE /johnsmith/photos/puppy.jpg HTTP/1.1\nUser-Agent: dotnet\nHost: s3.amazonaws.com\n" +
			"Date: Tue, 27 Mar 2007 21:20:27 +0000\nx-amz-date: Tue, 27 Mar 2007 21:20:26 +0000\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:lx3byBScXR6KzyMaifNkardMwNk=\n",
		STS:       "DELETE\n\n\nTue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg",
		Sig:       "lx3byBScXR6KzyMaifNkardMwNk=",
		Candidate: 1,
	},
	{
		// A CNAME-style request in the guide (Host: static.johnsmith.net:8080).
		Name: "Upload",
		Request: "PUT /static.johnsmith.net/db-backup.dat.gz HTTP/1.1\nUser-Agent: curl/7.15.5\nHost: s3.amazonaws.com\n" +
			"Date: Tue, 27 Mar 2007 21:06:08 +0000\nx-amz-acl: public-read\ncontent-type: application/x-download\n" +
			"Content-MD5: 4gJE4saaMU4BqNR0kLY+lw==\nX-Amz-Meta-ReviewedBy: joe@johnsmith.net\nX-Amz-Meta-ReviewedBy: jane@johnsmith.net\n" +
			"X-Amz-Meta-FileChecksum: 0x02661779\nX-Amz-Meta-ChecksumAlgorithm: crc32\n" +
			"Content-Disposition: attachment; filename=database.dat\nContent-Encoding: gzip\nContent-Length: 5913339\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:ilyl83RwaSoYIEdixDQcA4OnAnc=\n",
		STS: "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n" +
			"x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n" +
			"x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz",
		Sig: "ilyl83RwaSoYIEdixDQcA4OnAnc=",
	},
	{
		Name: "List all my buckets",
		Request: "GET / HTTP/1.1\nHost: s3.amazonaws.com\nDate: Wed, 28 Mar 2007 01:29:59 +0000\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:qGdzdERIC03wnaRNKh6OqZehG9s=\n",
		STS: "GET\n\n\nWed, 28 Mar 2007 01:29:59 +0000\n/",
		Sig: "qGdzdERIC03wnaRNKh6OqZehG9s=",
	},
	{
		Name: "Unicode keys",
		Request: "GET /dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re HTTP/1.1\nHost: s3.amazonaws.com\nDate: Wed, 28 Mar 2007 01:49:49 +0000\n" +
			"Authorization: AWS AKIAIOSFODNN7EXAMPLE:DNEZGsoieTZ92F3bUfSPQcbGmlM=\n",
		STS: "GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
		Sig: "DNEZGsoieTZ92F3bUfSPQcbGmlM=",
	},
	{
		Name: "Query string request authentication",
		Request: "GET /johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620 HTTP/1.1\n" +
			"Host: s3.amazonaws.com\n",
		STS: "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg",
		Sig: "NpgCjnDzrM+WFzoENXmpNDUsSn8=",
	},
}

// BotocoreGoldens were signed by botocore 1.43.11's HmacV1Auth (the
// signer of signature_version "s3") with the access key AKIDS3CORSTEST,
// the secret BotocoreSecretKey and Date "Thu, 05 Mar 2026 05:06:07 GMT",
// with the auth_path "/b/" botocore's client gives requests for a
// bucket: they cover the subresources and x-amz-* headers the guide's
// examples leave out.
var BotocoreGoldens = []Golden{
	{
		Name: "response overrides and versionId",
		Request: "GET /b/k%20x?versionId=3L4kqtJl&response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&prefix=ignored HTTP/1.1\n" +
			"Host: h\nDate: Thu, 05 Mar 2026 05:06:07 GMT\nAuthorization: AWS AKIDS3CORSTEST:eGCTuet/56Acf/3oB3OvsN5iRW4=\n",
		STS: "GET\n\n\nThu, 05 Mar 2026 05:06:07 GMT\n/b/k%20x?response-content-disposition=attachment; filename=\"a b.txt\"&response-content-type=text/plain&versionId=3L4kqtJl",
		Sig: "eGCTuet/56Acf/3oB3OvsN5iRW4=",
	},
	{
		Name: "x-amz-* headers",
		Request: "PUT /b/dir/k HTTP/1.1\nHost: h\nContent-MD5: XUFAKrxLKna5cZ2REBfFkg==\nContent-Type: text/plain\nx-amz-meta-b: two\n" +
			"X-Amz-Meta-A:   spaced  value \nx-amz-acl: private\nx-amz-meta-b: one\nDate: Thu, 05 Mar 2026 05:06:07 GMT\n" +
			"Authorization: AWS AKIDS3CORSTEST:aBtx4IHpreSBVbZPOHUfQ/AuPjs=\n",
		STS: "PUT\nXUFAKrxLKna5cZ2REBfFkg==\ntext/plain\nThu, 05 Mar 2026 05:06:07 GMT\nx-amz-acl:private\nx-amz-meta-a:spaced  value\nx-amz-meta-b:two,one\n/b/dir/k",
		Sig: "aBtx4IHpreSBVbZPOHUfQ/AuPjs=",
	},
	{
		Name: "DeleteObjects",
		Request: "POST /b?delete HTTP/1.1\nHost: h\nContent-MD5: XUFAKrxLKna5cZ2REBfFkg==\nDate: Thu, 05 Mar 2026 05:06:07 GMT\n" +
			"Authorization: AWS AKIDS3CORSTEST:tRsyekKWBoawxSkbd0eyUuMVKwA=\n",
		STS: "POST\nXUFAKrxLKna5cZ2REBfFkg==\n\nThu, 05 Mar 2026 05:06:07 GMT\n/b/?delete",
		Sig: "tRsyekKWBoawxSkbd0eyUuMVKwA=",
	},
	{
		Name: "subresources sorted, other parameters left out",
		Request: "GET /b?uploads&prefix=x&versioning&acl HTTP/1.1\nHost: h\nDate: Thu, 05 Mar 2026 05:06:07 GMT\n" +
			"Authorization: AWS AKIDS3CORSTEST:YO4ixONUjt6GXg+754yn21b9MVg=\n",
		STS: "GET\n\n\nThu, 05 Mar 2026 05:06:07 GMT\n/b/?acl&uploads&versioning",
		Sig: "YO4ixONUjt6GXg+754yn21b9MVg=",
	},
	{
		Name: "a subresource sent with '=' and no value",
		Request: "GET /b?acl= HTTP/1.1\nHost: h\nDate: Thu, 05 Mar 2026 05:06:07 GMT\n" +
			"Authorization: AWS AKIDS3CORSTEST:synE/Z6ds0AvJUNA1fjkT6+Kp2c=\n",
		STS: "GET\n\n\nThu, 05 Mar 2026 05:06:07 GMT\n/b/?acl=",
		Sig: "synE/Z6ds0AvJUNA1fjkT6+Kp2c=",
		// S3's form, "/b/?acl", comes first.
		Candidate: 1,
	},
}

// BotocoreSecretKey is the secret key BotocoreGoldens are signed with.
const BotocoreSecretKey = "s3cors/test/secret+key"

// ReadRequest parses a request's text, its lines separated by "\n", as
// a server reads it, failing t when it cannot.
func ReadRequest(t testing.TB, text string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
