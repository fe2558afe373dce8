package s3server_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
)

// fixedNow is the clock of the servers whose output is compared with
// golden documents.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.UTC)

// anonServer starts an in-memory server without keys and with a fixed
// clock.
func anonServer(t *testing.T) *testServer {
	return newTestServer(t, s3server.Options{Now: func() time.Time { return fixedNow }})
}

// TestNewOptions checks that New refuses options it cannot use, each
// with an error that names the field. A Region that is not a region
// name (one with a "/" or a space cannot be a credential scope's, so
// every signature would be refused) used to be taken without a word.
func TestNewOptions(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		opts   s3server.Options
		option string // the *OptionError's Option
		reason string // in its Reason
	}{
		{"no DataDir or InMemory", s3server.Options{}, "DataDir", "InMemory is off"},
		{"access key without secret key", s3server.Options{InMemory: true, AccessKey: "AK"}, "SecretKey", "AccessKey is set"},
		{"secret key without access key", s3server.Options{InMemory: true, SecretKey: "SK"}, "AccessKey", "SecretKey is set"},
		// No Signature Version 4 Credential can carry them: every signed
		// request was refused AuthorizationHeaderMalformed.
		{"access key with a slash", s3server.Options{InMemory: true, AccessKey: "AK/1", SecretKey: "SK"}, "AccessKey", `access key "AK/1"`},
		{"access key with a comma", s3server.Options{InMemory: true, AccessKey: "AK,1", SecretKey: "SK"}, "AccessKey", `access key "AK,1"`},
		{"region with a slash", s3server.Options{InMemory: true, Region: "us-east-1/s3"}, "Region", `"us-east-1/s3" is not a region name`},
		{"region with a space", s3server.Options{InMemory: true, Region: "us east 1"}, "Region", `"us east 1"`},
		{"region with markup", s3server.Options{InMemory: true, AccessKey: "AK", SecretKey: "SK", Region: "<x>"}, "Region", `"<x>"`},
		{"allowed host with a space", s3server.Options{InMemory: true, AllowedHosts: []string{"s3.test", "a b"}}, "AllowedHosts", `"a b"`},
		{"allowed host a URL", s3server.Options{InMemory: true, AllowedHosts: []string{"http://s3.test"}}, "AllowedHosts", `"http://s3.test"`},
		{"allowed host empty", s3server.Options{InMemory: true, AllowedHosts: []string{""}}, "AllowedHosts", `""`},
		{"account ID of 11 digits", s3server.Options{InMemory: true, AccountID: "12345678901"}, "AccountID", `"12345678901" is not an AWS account ID`},
		{"domain an IP address", s3server.Options{InMemory: true, Domains: []string{"127.0.0.1"}}, "Domains", "127.0.0.1"},
		{"domain empty", s3server.Options{InMemory: true, Domains: []string{""}}, "Domains", "empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, err := s3server.New(c.opts)
			if err == nil {
				s.Close()
				t.Fatalf("New(%+v) succeeded", c.opts)
			}
			var oe *s3server.OptionError
			if !errors.As(err, &oe) || oe.Option != c.option || !strings.Contains(oe.Reason, c.reason) {
				t.Fatalf("New(%+v): %#v, want an *OptionError for %s whose reason holds %q", c.opts, err, c.option, c.reason)
			}
			if want := "s3server: " + c.option + ": " + oe.Reason; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
	good := s3server.Options{InMemory: true, Region: "garage",
		AllowedHosts: []string{"*", "s3.test", "s3.test:9000", "minio_1", "127.0.0.1", "::1", "[::1]:9000", "localhost."}}
	s, err := s3server.New(good)
	if err != nil {
		t.Fatalf("New(%+v): %v", good, err)
	}
	s.Close()
}

// TestEveryResponseHasIDs checks S3's headers on responses of every kind:
// success, error, preflight answered by the middleware, ListBuckets.
func TestEveryResponseHasIDs(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/ids", nil), 200)
	for _, r := range []response{
		ts.do("GET", "/", nil),
		ts.do("GET", "/ids", nil),
		ts.do("GET", "/ids/missing", nil),
		ts.do("HEAD", "/ids/missing", nil),
		ts.do("OPTIONS", "/ids", nil),
		ts.do("OPTIONS", "/ids/k", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET"),
		ts.do("PATCH", "/ids", nil),
	} {
		id, host := r.Header.Get("X-Amz-Request-Id"), r.Header.Get("X-Amz-Id-2")
		if len(id) != 16 || host == "" || r.Header.Get("Server") != "AmazonS3" {
			t.Errorf("%s %s: x-amz-request-id %q, x-amz-id-2 %q, Server %q", r.Request.Method, r.Request.URL.Path,
				id, host, r.Header.Get("Server"))
		}
		if r.StatusCode >= 400 && r.Request.Method != "HEAD" && !bytes.Contains(r.body, []byte("<RequestId>"+id+"</RequestId><HostId>"+host+"</HostId>")) {
			t.Errorf("%s %s: the error body does not carry the response's IDs: %s", r.Request.Method, r.Request.URL.Path, r.body)
		}
	}
}

func TestListBuckets(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/zeta", nil), 200)
	mustStatus(t, ts.do("PUT", "/alpha", nil), 200)
	r := ts.do("GET", "/", nil, "Origin", "https://a.example")
	want := `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner><Buckets>` +
		`<Bucket><Name>alpha</Name><CreationDate>2026-01-02T03:04:05.000Z</CreationDate></Bucket>` +
		`<Bucket><Name>zeta</Name><CreationDate>2026-01-02T03:04:05.000Z</CreationDate></Bucket>` +
		`</Buckets></ListAllMyBucketsResult>`
	if r.StatusCode != 200 || string(r.body) != want || r.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("ListBuckets:\n%s\nwant\n%s", r, want)
	}
	if v := r.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("ListBuckets carries CORS headers: %q", v)
	}
	// BucketRegion comes with a parameter of ListBuckets (AWS's API
	// reference of Bucket: "If the request contains at least one valid
	// parameter, it is included in the response.").
	want = `<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner><Buckets>` +
		`<Bucket><Name>zeta</Name><CreationDate>2026-01-02T03:04:05.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>` +
		`</Buckets><Prefix>z</Prefix></ListAllMyBucketsResult>`
	if r := ts.do("GET", "/?prefix=z", nil); r.StatusCode != 200 || string(r.body) != want {
		t.Errorf("ListBuckets ?prefix=z:\n%s\nwant\n%s", r, want)
	}
	if s := ts.s.BucketNames(); strings.Join(s, ",") != "alpha,zeta" {
		t.Errorf("BucketNames: %q", s)
	}
}

// TestListBucketsErrors checks the ListBuckets parameters S3 refuses:
// max-buckets outside 1 to 10,000 (AWS's API reference) and a
// continuation token the server did not give.
func TestListBucketsErrors(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/alpha", nil), 200)
	tests := []struct{ query, want string }{
		{"max-buckets=0", errorDoc("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000",
			"ArgumentName", "max-buckets", "ArgumentValue", "0")},
		{"max-buckets=10001", errorDoc("InvalidArgument", "Argument max-buckets must be an integer between 1 and 10000",
			"ArgumentName", "max-buckets", "ArgumentValue", "10001")},
		{"max-buckets=many", errorDoc("InvalidArgument", "Provided max-buckets not an integer or within integer range",
			"ArgumentName", "max-buckets", "ArgumentValue", "many")},
		{"continuation-token=%21%21", errorDoc("InvalidArgument", "The continuation token provided is incorrect",
			"ArgumentName", "continuation-token", "ArgumentValue", "!!")},
		// Base64, but of no bucket name: not a token the server gives.
		{"continuation-token=Tm90X0EuLkJ1Y2tldA", errorDoc("InvalidArgument", "The continuation token provided is incorrect",
			"ArgumentName", "continuation-token", "ArgumentValue", "Tm90X0EuLkJ1Y2tldA")},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			mustError(t, ts.do("GET", "/?"+tc.query, nil), 400, tc.want)
		})
	}
}

func TestBucketNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		valid bool
	}{
		{"abc", true},
		{"my-bucket.example.com", true},
		{strings.Repeat("a", 63), true},
		{"1bucket2", true},
		{"192.168.5.4x", true},
		{"ab", false},
		{strings.Repeat("a", 64), false},
		{"MyBucket", false},
		{"my_bucket", false},
		{"-bucket", false},
		{"bucket-", false},
		{".bucket", false},
		{"bucket.", false},
		{"my..bucket", false},
		// A hyphen next to a period: ceph's s3-tests
		// test_bucket_create_naming_dns_dash_dot and _dot_dash.
		{"foo-.bar", false},
		{"foo.-bar", false},
		{"a-.b", false},
		{"abc.-d", false},
		{"192.168.5.4", false},
		{"xn--bucket", false},
		{"sthree-bucket", false},
		{"amzn-s3-demo-bucket", false},
		{"bucket-s3alias", false},
		{"bucket--ol-s3", false},
		{"bucket.mrap", false},
		{"bucket--x-s3", false},
		{"bucket--table-s3", false},
		{"bucket with space", false},
	}
	ts := anonServer(t)
	for _, tc := range tests {
		r := ts.do("PUT", "/"+strings.ReplaceAll(tc.name, " ", "%20"), nil)
		if tc.valid {
			mustStatus(t, r, 200)
			if r.Header.Get("Location") != "/"+tc.name {
				t.Errorf("CreateBucket %s: Location %q", tc.name, r.Header.Get("Location"))
			}
			if arn, ok := r.Header["X-Amz-Bucket-Arn"]; ok {
				t.Errorf("CreateBucket %s: x-amz-bucket-arn %q, which S3 sends for directory buckets only", tc.name, arn)
			}
			continue
		}
		mustError(t, r, 400, errorDoc("InvalidBucketName", "The specified bucket is not valid.", "BucketName", tc.name))
		if err := ts.s.CreateBucket(tc.name, ""); !isCode(err, "InvalidBucketName") {
			t.Errorf("Server.CreateBucket(%q): %v", tc.name, err)
		}
	}
}

func isCode(err error, code string) bool {
	e, ok := err.(*s3err.Error)
	return ok && e.Code == code
}

// TestBucketNamesOnOtherOperations checks that a name S3 could never
// have is refused, and one it could have but that names no bucket is
// NoSuchBucket.
func TestBucketNamesOnOtherOperations(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustError(t, ts.do("GET", "/bad%3Aname", nil), 400, errorDoc("InvalidBucketName", "The specified bucket is not valid.", "BucketName", "bad:name"))
	mustError(t, ts.do("GET", "/Legacy_Name", nil), 404, errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "Legacy_Name"))
	mustError(t, ts.do("DELETE", "/missing-bucket", nil), 404, errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
}

func TestCreateBucketAgain(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/again", nil, "x-amz-acl", "public-read"), 200)
	// us-east-1 answers 200 and resets the ACL.
	mustStatus(t, ts.do("PUT", "/again", nil), 200)
	acl := ts.do("GET", "/again?acl", nil)
	if bytes.Contains(acl.body, []byte("AllUsers")) {
		t.Errorf("the ACL was not reset: %s", acl.body)
	}
	if err := ts.s.CreateBucket("again", ""); !isCode(err, "BucketAlreadyOwnedByYou") {
		t.Errorf("Server.CreateBucket of an existing bucket: %v", err)
	}
	if err := ts.s.CreateBucket("new", "public"); !isCode(err, "InvalidArgument") {
		t.Errorf("Server.CreateBucket with an ACL that is not canned: %v", err)
	}
	if _, err := ts.s.BucketCors("missing"); !isCode(err, "NoSuchBucket") {
		t.Errorf("Server.BucketCors of a missing bucket: %v", err)
	}
	// Other regions answer 409.
	eu := newTestServer(t, s3server.Options{Region: "eu-west-1"})
	cfg := []byte(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`)
	mustStatus(t, eu.do("PUT", "/again", cfg), 200)
	mustError(t, eu.do("PUT", "/again", cfg), 409, errorDoc("BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.", "BucketName", "again"))
	mustError(t, eu.do("PUT", "/other", nil), 400, errorDoc("IllegalLocationConstraintException",
		"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."))
	loc := eu.do("GET", "/again?location", nil)
	if want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`; string(loc.body) != want {
		t.Errorf("GetBucketLocation: %s", loc)
	}
}

func TestCreateBucketRequestErrors(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustError(t, ts.do("PUT", "/bucket", nil, "x-amz-acl", "world-writable"), 400,
		errorDoc("InvalidArgument", "", "ArgumentName", "x-amz-acl", "ArgumentValue", "world-writable"))
	mustError(t, ts.do("PUT", "/bucket", []byte("<CreateBucketConfiguration><LocationConstraint>us-east-1")), 400,
		errorDoc("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"))
	mustError(t, ts.do("PUT", "/bucket", []byte("<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>")), 400,
		errorDoc("InvalidLocationConstraint", "The specified location-constraint is not valid", "LocationConstraint", "us-east-1"))
	mustError(t, ts.do("PUT", "/bucket", []byte("<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>")), 400,
		errorDoc("IllegalLocationConstraintException", "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to."))
	mustError(t, ts.do("PUT", "/bucket", nil, "x-amz-grant-read", "uri=http://acs.amazonaws.com/groups/global/AllUsers"), 501,
		errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "x-amz-grant-read"))
	mustError(t, ts.do("PUT", "/bucket", bytes.Repeat([]byte(" "), 64<<10+1)), 400, errorDoc("MaxMessageLengthExceeded", "Your request was too big."))
	if names := ts.s.BucketNames(); len(names) != 0 {
		t.Errorf("failed CreateBucket requests made buckets %q", names)
	}
}

// TestCreateBucketObjectOwnership sends CreateBucket with
// x-amz-object-ownership: the server keeps ACLs enabled, with one
// account, which is what ObjectWriter and BucketOwnerPreferred mean, so
// it takes those and a canned ACL works after them; BucketOwnerEnforced,
// which disables ACLs (S3's default since April 2023), is 501 naming
// the header, and any other value S3's InvalidArgument, rather than a
// bucket made and the header ignored.
func TestCreateBucketObjectOwnership(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	notImpl := errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "x-amz-object-ownership")
	for _, c := range []struct {
		value  string
		status int
		want   string // the error document, "" when made
	}{
		{"ObjectWriter", 200, ""},
		{"BucketOwnerPreferred", 200, ""},
		{"BucketOwnerEnforced", 501, notImpl},
		// UNVERIFIED: S3's message for a value it does not know was not
		// captured; these are LocalStack's and versitygw's, which name
		// the argument and not its value.
		{"Bogus", 400, errorDoc("InvalidArgument", "Invalid x-amz-object-ownership header: Bogus", "ArgumentName", "x-amz-object-ownership")},
		{"objectwriter", 400, errorDoc("InvalidArgument", "Invalid x-amz-object-ownership header: objectwriter", "ArgumentName", "x-amz-object-ownership")},
		// UNVERIFIED: that S3 takes an empty header for a value, not for
		// none.
		{"", 400, errorDoc("InvalidArgument", "Invalid x-amz-object-ownership header: ", "ArgumentName", "x-amz-object-ownership")},
	} {
		t.Run(c.value, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			name := "/owner-" + strings.ToLower(c.value) + "-" + strconv.Itoa(c.status)
			r := ts.do("PUT", name, nil, "x-amz-object-ownership", c.value)
			if c.want != "" {
				mustError(t, r, c.status, c.want)
				mustStatus(t, ts.do("HEAD", name, nil), 404)
				return
			}
			mustStatus(t, r, c.status)
			mustStatus(t, ts.do("PUT", name+"/k", []byte("x"), "x-amz-acl", "public-read"), 200)
			if acl := ts.do("GET", name+"/k?acl", nil); !strings.Contains(string(acl.body), "AllUsers") {
				t.Errorf("GetObjectAcl after public-read: %s", acl)
			}
		})
	}
}

func TestHeadAndDeleteBucket(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/head", nil), 200)
	r := ts.do("HEAD", "/head", nil)
	if r.StatusCode != 200 || r.Header.Get("X-Amz-Bucket-Region") != "us-east-1" {
		t.Errorf("HeadBucket: %s %v", r, r.Header)
	}
	mustStatus(t, ts.do("HEAD", "/missing", nil), 404)
	mustStatus(t, ts.do("PUT", "/head/k", []byte("x")), 200)
	mustError(t, ts.do("DELETE", "/head", nil), 409, errorDoc("BucketNotEmpty", "The bucket you tried to delete is not empty", "BucketName", "head"))
	mustStatus(t, ts.do("DELETE", "/head/k", nil), 204)
	r = ts.do("DELETE", "/head", nil)
	if r.StatusCode != 204 || len(r.body) != 0 {
		t.Errorf("DeleteBucket: %s", r)
	}
	mustStatus(t, ts.do("HEAD", "/head", nil), 404)
}

func TestBucketACL(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/acl", nil), 200)
	mustStatus(t, ts.do("PUT", "/acl?acl", nil, "x-amz-acl", "public-read-write"), 200)
	r := ts.do("GET", "/acl?acl", nil)
	grant := func(kind, who, perm string) string {
		return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="` + kind + `">` + who + `</Grantee><Permission>` + perm + `</Permission></Grant>`
	}
	owner := "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
	all := "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>"
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + owner + `</ID></Owner><AccessControlList>` +
		grant("CanonicalUser", "<ID>"+owner+"</ID>", "FULL_CONTROL") + grant("Group", all, "READ") + grant("Group", all, "WRITE") +
		`</AccessControlList></AccessControlPolicy>`
	if string(r.body) != want {
		t.Errorf("GetBucketAcl:\n%s\nwant\n%s", r.body, want)
	}
	mustError(t, ts.do("PUT", "/acl?acl", []byte("<AccessControlPolicy/>")), 501, errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented"))
	mustError(t, ts.do("PUT", "/acl?acl", nil), 400, errorDoc("MissingSecurityHeader", "Your request was missing a required header", "MissingHeaderName", "x-amz-acl"))
	v := ts.do("GET", "/acl?versioning", nil)
	if want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>`; string(v.body) != want {
		t.Errorf("GetBucketVersioning: %s", v.body)
	}
}

func TestUnsupportedRequests(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/unsupported", nil), 200)
	origin := []string{"Origin", "https://a.example"}
	mustOK(t, ts.s.PutBucketCors("unsupported", []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "PUT", "POST", "DELETE"}}}))
	notImpl := errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented")
	for _, req := range [][2]string{
		{"PUT", "/unsupported?policy"}, {"PUT", "/unsupported?lifecycle"}, {"DELETE", "/unsupported?tagging"},
		{"PUT", "/unsupported/k?retention"}, {"PUT", "/unsupported/k?legal-hold"},
		{"PUT", "/unsupported?website"}, {"PUT", "/unsupported/k?acl"}, {"PUT", "/unsupported?versioning"},
		{"PUT", "/unsupported?object-lock"}, {"PUT", "/unsupported?replication"}, {"PUT", "/unsupported?encryption"}, {"GET", "/unsupported?analytics&id=a"},
		{"POST", "/unsupported/k?restore"}, {"POST", "/unsupported/k?select&select-type=2"},
		{"PUT", "/unsupported?abac"}, {"PUT", "/unsupported?metadataJournalTable"}, {"PUT", "/unsupported?metadataInventoryTable"},
	} {
		r := ts.do(req[0], req[1], nil, origin...)
		mustError(t, r, 501, notImpl)
		if r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s: no CORS headers on the error", req[0], req[1])
		}
		// S3 implements them all, and finds the bucket first: a missing
		// one is NoSuchBucket, as s3cors explain says, not the 501.
		mustError(t, ts.do(req[0], strings.Replace(req[1], "/unsupported", "/nosuchbucket", 1), nil), 404,
			errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "nosuchbucket"))
	}
	for _, h := range [][2]string{
		{"x-amz-server-side-encryption", "aws:kms"}, {"x-amz-server-side-encryption", "aws:kms:dsse"},
		{"x-amz-server-side-encryption-aws-kms-key-id", "k"}, {"x-amz-server-side-encryption-customer-algorithm", "AES256"},
		{"x-amz-object-lock-mode", "GOVERNANCE"}, {"x-amz-object-lock-legal-hold", "ON"}, {"x-amz-website-redirect-location", "/x"},
		{"x-amz-storage-class", "GLACIER"}, {"x-amz-grant-read", "id=x"},
	} {
		for _, req := range [][2]string{{"PUT", "/unsupported/k"}, {"POST", "/unsupported/k?uploads"}, {"PUT", "/unsupported/k2"}} {
			extra := []string{h[0], h[1]}
			if req[1] == "/unsupported/k2" {
				extra = append(extra, "x-amz-copy-source", "/unsupported/k")
			}
			mustError(t, ts.do(req[0], req[1], []byte("x"), extra...), 501,
				errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", h[0]))
		}
	}
	mustError(t, ts.do("PUT", "/unsupported/k", []byte("x"), "x-amz-server-side-encryption", "DES"), 400,
		errorDoc("InvalidArgument", "The encryption method specified is not supported", "ArgumentName", "x-amz-server-side-encryption", "ArgumentValue", "DES"))
	mustError(t, ts.do("PUT", "/unsupported/k", []byte("x"), "x-amz-storage-class", "COLD"), 400,
		errorDoc("InvalidStorageClass", "The storage class you specified is not valid", "StorageClassRequested", "COLD"))
	mustError(t, ts.do("PUT", "/unsupported2", nil, "x-amz-bucket-object-lock-enabled", "true"), 501,
		errorDoc("NotImplemented", "A header you provided implies functionality that is not implemented", "Header", "x-amz-bucket-object-lock-enabled"))
	if names := ts.s.BucketNames(); len(names) != 1 {
		t.Errorf("refused requests made buckets: %q", names)
	}
	if r := ts.do("GET", "/unsupported?list-type=2", nil); strings.Contains(string(r.body), "<Key>") {
		t.Errorf("refused requests stored objects: %s", r.body)
	}
	// AES256 is what S3 does to every object anyway: taken, and echoed.
	for _, req := range [][2]string{{"PUT", "/unsupported/sse"}, {"GET", "/unsupported/sse"}, {"HEAD", "/unsupported/sse"}} {
		r := ts.do(req[0], req[1], []byte("x"), "x-amz-server-side-encryption", "AES256")
		if req[0] != "PUT" {
			r = ts.do(req[0], req[1], nil)
		}
		if r.StatusCode != 200 || r.Header.Get("X-Amz-Server-Side-Encryption") != "AES256" {
			t.Errorf("%s %s: %s, x-amz-server-side-encryption %q", req[0], req[1], r, r.Header.Get("X-Amz-Server-Side-Encryption"))
		}
	}
	mustError(t, ts.do("POST", "/unsupported/k", nil), 405, errorDoc("MethodNotAllowed", "The specified method is not allowed against this resource.",
		"Method", "POST", "ResourceType", "OBJECT"))
	mustError(t, ts.do("PATCH", "/unsupported", nil), 405, errorDoc("MethodNotAllowed", "The specified method is not allowed against this resource.",
		"Method", "PATCH", "ResourceType", "BUCKET"))
	mustError(t, ts.do("DELETE", "/", nil), 405, errorDoc("MethodNotAllowed", "The specified method is not allowed against this resource.",
		"Method", "DELETE", "ResourceType", "SERVICE"))
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	ts := newTestServer(t, s3server.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	mustStatus(t, ts.do("PUT", "/logged", nil), 200)
	mustStatus(t, ts.do("PUT", "/logged/a%20key", []byte("12345")), 200)
	mustStatus(t, ts.do("GET", "/logged/a%20key", nil), 200)
	mustStatus(t, ts.do("OPTIONS", "/logged/a%20key", nil), 400)
	wantLogLines(t, log.String(), []string{
		"method=PUT path=/logged op=CreateBucket status=200 bytes=0",
		"method=PUT path=/logged/a%20key op=PutObject status=200 bytes=0",
		"method=GET path=/logged/a%20key op=GetObject status=200 bytes=5",
		"method=OPTIONS path=/logged/a%20key op=Preflight status=400 bytes=",
	})
}

// TestRequestLogRefusals: a request S3 has no operation for, and one
// whose query names two subresources, are logged by what happened to
// them, as a refused Host is (HostNotAllowed), where the first was
// logged op="" and the second as the operation of the first
// subresource Classify met (op=GetBucketAcl subresource=acl), as if it
// had been served.
func TestRequestLogRefusals(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	ts := newTestServer(t, s3server.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	mustStatus(t, ts.do("PUT", "/logged", nil), 200)
	mustStatus(t, ts.do("PATCH", "/logged", nil), 405)
	mustStatus(t, ts.do("POST", "/logged/k", nil), 405)
	mustStatus(t, ts.do("GET", "/logged?versioning&acl", nil), 400)
	mustStatus(t, ts.do("HEAD", "/logged?acl&versioning", nil), 400)
	mustStatus(t, ts.do("GET", "/logged/k?tagging&partNumber=1", nil), 400)
	want := [][2]string{
		{"method=PUT path=/logged op=CreateBucket status=200 bytes=0", ""},
		{"method=PATCH path=/logged op=MethodNotAllowed status=405 bytes=", " error=MethodNotAllowed"},
		{"method=POST path=/logged/k op=MethodNotAllowed status=405 bytes=", " error=MethodNotAllowed"},
		{"method=GET path=/logged op=ConflictingSubresources status=400 bytes=", " subresource=acl,versioning error=InvalidArgument"},
		{"method=HEAD path=/logged op=ConflictingSubresources status=400 bytes=0", " subresource=acl,versioning error=InvalidArgument"},
		{"method=GET path=/logged/k op=ConflictingSubresources status=400 bytes=", " subresource=partNumber,tagging error=InvalidArgument"},
	}
	heads := make([]string, len(want))
	for i, w := range want {
		heads[i] = w[0]
	}
	wantLogLines(t, log.String(), heads)
	for i, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if i < len(want) && !strings.HasSuffix(line, want[i][1]) {
			t.Errorf("log line %d: %s\nwant it to end with %q", i, line, want[i][1])
		}
	}
}

// wantLogLines checks that log holds one line per element of want, which
// contains it, a duration and a request ID.
func wantLogLines(t *testing.T, log string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), log)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], "duration=") || !strings.Contains(lines[i], "request_id=") {
			t.Errorf("log line %d: %s\nwant it to contain %s", i, lines[i], w)
		}
	}
}

// TestRequestLogVirtualHosted: the line of a virtual-hosted request
// names the bucket its Host gives, which its path does not.
func TestRequestLogVirtualHosted(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	ts := newTestServer(t, s3server.Options{Domains: []string{"localhost"}, AllowedHosts: []string{"127.0.0.1", "localhost"},
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	mustStatus(t, ts.do("PUT", "/logged", nil), 200)
	virtual := func(method, path string, body []byte) response {
		req := ts.request(method, path, body)
		req.Host = "logged.localhost"
		return ts.send(req)
	}
	mustStatus(t, virtual("PUT", "/a%20key", []byte("12345")), 200)
	mustStatus(t, virtual("GET", "/?cors", nil), 404)
	wantLogLines(t, log.String(), []string{
		"method=PUT path=/logged op=CreateBucket status=200 bytes=0",
		"method=PUT path=/a%20key bucket=logged op=PutObject status=200 bytes=0",
		"method=GET path=/ bucket=logged op=GetBucketCors status=404 bytes=",
	})
}

// TestMiddlewareOptions checks that VaryOrigin and Fallback reach the
// CORS middleware.
func TestMiddlewareOptions(t *testing.T) {
	t.Parallel()
	fallback := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}})
	ts := newTestServer(t, s3server.Options{InMemory: true, VaryOrigin: true, Fallback: fallback})
	mustStatus(t, ts.do("PUT", "/options", nil), 200)
	r := ts.do("OPTIONS", "/options/k", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET")
	if r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight answered by the fallback: %s %v", r, r.Header)
	}
	// The fallback is not the bucket's configuration.
	mustError(t, ts.do("GET", "/options?cors", nil), 404, errorDoc("NoSuchCORSConfiguration", "The CORS configuration does not exist", "BucketName", "options"))
	if r := ts.do("GET", "/options", nil); r.Header.Get("Vary") != "Origin" {
		t.Errorf("VaryOrigin: Vary %q on a request without Origin", r.Header.Get("Vary"))
	}
}

func TestEmptyBucketName(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustError(t, ts.do("GET", "//key", nil), 400, errorDoc("InvalidBucketName", "The specified bucket is not valid.", "BucketName", ""))
}

// TestConcurrentWrites writes, reads, lists and deletes the same keys
// from many goroutines, on disk; run with -race. Every read sees a
// whole object: its ETag matches its body.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{DataDir: t.TempDir()})
	mustStatus(t, ts.do("PUT", "/busy", nil), 200)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				key := "/busy/k" + strconv.Itoa(i%3)
				body := bytes.Repeat([]byte{byte('a' + w)}, 1000+i)
				req := ts.request("PUT", key, body)
				if resp, err := ts.Client().Do(req); err == nil {
					resp.Body.Close()
				}
				req = ts.request("GET", key, nil)
				resp, err := ts.Client().Do(req)
				if err != nil {
					continue
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 && resp.Header.Get("ETag") != `"`+md5hex(got)+`"` {
					t.Errorf("GET %s: the ETag does not match the body", key)
				}
				if i%10 == 0 {
					req = ts.request("GET", "/busy?list-type=2", nil)
					if resp, err := ts.Client().Do(req); err == nil {
						resp.Body.Close()
					}
				}
			}
		})
	}
	wg.Wait()
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// TestHeadSubresource sends HEADs that name a subresource, which S3 has
// no HEAD form of: 405, whether or not the bucket or the key exists, and
// the conflict's 400 for two (brekkylab/backlot#230, measured on S3:
// HEAD /BUCKET?versioning, ?acl, ?tagging, ?location, HEAD /KEY?acl,
// ?uploadId=x). A HEAD with the parameters that qualify a HeadObject is
// one.
func TestHeadSubresource(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/heads", nil), 200)
	mustStatus(t, ts.do("PUT", "/heads/k", []byte("x")), 200)
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/heads?versioning", 405},
		{"/heads?acl", 405},
		{"/heads?tagging", 405},
		{"/heads?location", 405},
		{"/heads?cors", 405},
		{"/missing-bucket?versioning", 405},
		{"/heads/k?acl", 405},
		{"/heads/k?tagging", 405},
		{"/heads/k?uploadId=x", 405},
		{"/heads/missing-key?acl", 405},
		{"/heads?acl&versioning", 400},
		{"/heads", 200},
		{"/heads?x-id=HeadBucket", 200},
		{"/heads/k?versionId=null", 200},
		{"/heads/k?partNumber=1", 206},
		{"/heads/missing-key", 404},
	} {
		if r := ts.do("HEAD", c.path, nil); r.StatusCode != c.status {
			t.Errorf("HEAD %s: %d, want %d", c.path, r.StatusCode, c.status)
		}
	}
}

// TestBucketSubresourceAtKey reads a bucket's ?cors and ?location at an
// object's path: S3 answers them as the bucket's, for a key the bucket
// holds and one it does not, and NoSuchBucket in a bucket that does not
// exist (brekkylab/backlot routers/s3.py, measured on S3). The other
// methods there are the bucket's too: S3 answers a method the
// subresource has no operation for 405 there (DELETE ?versioning), never
// with the object's operation, which would overwrite or delete the
// object.
func TestBucketSubresourceAtKey(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/atkey", nil), 200)
	mustStatus(t, ts.do("PUT", "/atkey/k", []byte("x")), 200)
	for _, path := range []string{"/atkey/k?cors", "/atkey/missing-key?cors"} {
		mustError(t, ts.do("GET", path, nil), 404, errorDoc("NoSuchCORSConfiguration", "The CORS configuration does not exist", "BucketName", "atkey"))
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	mustStatus(t, ts.do("PUT", "/atkey?cors", doc, "Content-MD5", contentMD5(doc)), 200)
	want := ts.do("GET", "/atkey?cors", nil)
	mustStatus(t, want, 200)
	for _, path := range []string{"/atkey/k?cors", "/atkey/missing-key?cors", "/atkey/a/b?cors"} {
		if r := ts.do("GET", path, nil); r.StatusCode != 200 || string(r.body) != string(want.body) {
			t.Errorf("GET %s: %d %s, want the bucket's configuration: %s", path, r.StatusCode, r.body, want.body)
		}
	}
	if r := ts.do("GET", "/atkey/k?location", nil); r.StatusCode != 200 || !strings.Contains(string(r.body), "<LocationConstraint") {
		t.Errorf("GET /atkey/k?location: %d %s, want the bucket's LocationConstraint", r.StatusCode, r.body)
	}
	mustError(t, ts.do("GET", "/missing-bucket/k?cors", nil), 404, errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	mustStatus(t, ts.do("DELETE", "/atkey/k?versioning", nil), 405)
	mustStatus(t, ts.do("PUT", "/atkey/k?location", []byte("y")), 405)
	// UNVERIFIED: that S3 takes PUT and DELETE ?cors there for the
	// bucket's configuration, as the 405s, which name the subresource's
	// resource, imply.
	doc2 := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://other.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>`)
	mustStatus(t, ts.do("PUT", "/atkey/k?cors", doc2, "Content-MD5", contentMD5(doc2)), 200)
	if r := ts.do("GET", "/atkey?cors", nil); !strings.Contains(string(r.body), "https://other.example") {
		t.Errorf("the bucket's configuration after PUT /atkey/k?cors: %s", r)
	}
	mustStatus(t, ts.do("DELETE", "/atkey/k?cors", nil), 204)
	mustStatus(t, ts.do("GET", "/atkey?cors", nil), 404)
	if r := ts.do("GET", "/atkey/k", nil); r.StatusCode != 200 || string(r.body) != "x" {
		t.Errorf("GET /atkey/k: %d %q, want the object, as it was", r.StatusCode, r.body)
	}
}

// TestConflictingSubresources sends queries that name two subresources:
// S3 refuses them whatever the operation would be, naming both in order
// (brekkylab/backlot tests/test_s3.py, measured on S3).
func TestConflictingSubresources(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/conflicts", nil), 200)
	mustStatus(t, ts.do("PUT", "/conflicts/k", []byte("x")), 200)
	for _, c := range []struct{ method, path, names, first string }{
		{"GET", "/conflicts?versioning&acl", "acl, versioning", "acl"},
		{"PUT", "/conflicts?cors&website", "cors, website", "cors"},
		{"GET", "/conflicts?versioning&uploads", "uploads, versioning", "uploads"},
		{"POST", "/conflicts/k?uploads&uploadId=x", "uploadId, uploads", "uploadId"},
	} {
		mustError(t, ts.do(c.method, c.path, nil), 400, errorDoc("InvalidArgument", "Conflicting query string parameters: "+c.names,
			"ArgumentName", "ResourceType", "ArgumentValue", c.first))
	}
	// A subresource with the parameters that qualify it is no conflict.
	mustStatus(t, ts.do("GET", "/conflicts/k?tagging&versionId=null", nil), 200)
}

// TestSessionAtGeneralPurposeBucket sends ?session, CreateSession's
// subresource, which S3 knows on directory buckets only: on a general
// purpose bucket it answers the listing, as if ?session were not there
// (brekkylab/backlot routers/s3.py _BUCKET_SELECTORS, measured on S3),
// not 501 NotImplemented.
func TestSessionAtGeneralPurposeBucket(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/sessions", nil), 200)
	mustStatus(t, ts.do("PUT", "/sessions/k", []byte("x")), 200)
	for _, c := range []struct{ path, want string }{
		{"/sessions?session", "<ListBucketResult"},
		{"/sessions?session&list-type=2", "<KeyCount>1</KeyCount>"},
		{"/sessions?session&versioning", "<VersioningConfiguration"},
	} {
		if r := ts.do("GET", c.path, nil); r.StatusCode != 200 || !strings.Contains(string(r.body), c.want) {
			t.Errorf("GET %s: %d %s, want 200 with %s", c.path, r.StatusCode, r.body, c.want)
		}
	}
}

// TestNewObjectSubresources sends the object operations S3 added beside
// PutObject and DeleteObject on the same path (botocore's S3 model:
// UpdateObjectEncryption is PUT ?encryption, the object annotations PUT,
// GET and DELETE ?annotation), and UpdateBucketMetadataAnnotationTable-
// Configuration, PUT ?metadataAnnotationTable on the bucket. The server
// implements none of them: each is 501, and the object keeps its bytes,
// where each was taken for a PutObject of its XML or payload, a
// DeleteObject, a GetObject or a CreateBucket.
func TestNewObjectSubresources(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/newops", nil), 200)
	mustStatus(t, ts.do("PUT", "/newops/k", []byte("original")), 200)
	for _, c := range []struct {
		method, path string
		body         []byte
	}{
		{"PUT", "/newops/k?encryption", []byte(`<ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><SSE-KMS><KMSKeyArn>arn:aws:kms:us-east-1:111122223333:key/k</KMSKeyArn></SSE-KMS></ObjectEncryption>`)},
		{"PUT", "/newops/k?annotation&annotationName=a", []byte("an annotation")},
		{"GET", "/newops/k?annotation&annotationName=a", nil},
		{"GET", "/newops/k?annotation", nil},
		{"DELETE", "/newops/k?annotation&annotationName=a", nil},
		{"PUT", "/newops?metadataAnnotationTable", []byte(`<AnnotationTableConfiguration/>`)},
	} {
		if r := ts.do(c.method, c.path, c.body); r.StatusCode != 501 || s3Code(r.body) != "NotImplemented" {
			t.Errorf("%s %s: %s, want 501 NotImplemented", c.method, c.path, r)
		}
	}
	if r := ts.do("GET", "/newops/k", nil); r.StatusCode != 200 || string(r.body) != "original" {
		t.Errorf("the object after them: %s, want its bytes", r)
	}
}

// TestBucketSubresourceRefusedAtKey reads ?versions, ?logging and
// ?uploads at an object's path, which S3 refuses with 400s of their own
// once the bucket is found, rather than answer the object
// (brekkylab/backlot routers/s3.py _KEY_BUCKET_REFUSALS and
// _UPLOADS_ON_A_KEY, measured on S3; NoLoggingStatusForKey is in S3's
// list of error codes), and a HEAD there 405, as the other bucket
// subresources a key reads.
func TestBucketSubresourceRefusedAtKey(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/refusedatkey", nil), 200)
	mustStatus(t, ts.do("PUT", "/refusedatkey/k", []byte("x")), 200)
	for _, key := range []string{"k", "missing-key"} {
		mustError(t, ts.do("GET", "/refusedatkey/"+key+"?versions", nil), 400,
			errorDoc("InvalidRequest", "There is no such thing as the ?versions sub-resource for a key"))
		mustError(t, ts.do("GET", "/refusedatkey/"+key+"?logging", nil), 400,
			errorDoc("NoLoggingStatusForKey", "There is no such thing as the ?logging sub-resource for a key"))
		mustError(t, ts.do("GET", "/refusedatkey/"+key+"?uploads", nil), 400,
			errorDoc("InvalidRequest", "Key is not expected for the GET method ?uploads subresource"))
		mustStatus(t, ts.do("HEAD", "/refusedatkey/"+key+"?versions", nil), 405)
		mustStatus(t, ts.do("HEAD", "/refusedatkey/"+key+"?uploads", nil), 405)
	}
	mustError(t, ts.do("GET", "/missing-bucket/k?uploads", nil), 404,
		errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	// At the bucket's path they are the bucket's.
	mustStatus(t, ts.do("GET", "/refusedatkey?versions", nil), 200)
}

// TestRestoreAtBucket sends a RestoreObject to a bucket's path, which
// names no object to restore: S3 refuses it with 400
// UserKeyMustBeSpecified, with a body and without, after the bucket
// (brekkylab/backlot routers/s3.py _restore_without_a_key and
// _refuse_write, measured on S3), never a form upload's 412.
func TestRestoreAtBucket(t *testing.T) {
	t.Parallel()
	ts := anonServer(t)
	mustStatus(t, ts.do("PUT", "/restoreatbucket", nil), 200)
	restore := []byte(`<RestoreRequest xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Days>1</Days></RestoreRequest>`)
	for _, body := range [][]byte{nil, restore} {
		mustError(t, ts.do("POST", "/restoreatbucket?restore", body), 400,
			errorDoc("UserKeyMustBeSpecified", "User key must be specified."))
	}
	// A versionId there S3 reads after the bucket too, as an id it
	// cannot read (_VERSION_AFTER_THE_BUCKET, measured on S3).
	mustError(t, ts.do("POST", "/restoreatbucket?restore&versionId=x", restore), 400,
		errorDoc("InvalidArgument", "Invalid version id specified", "ArgumentName", "versionId", "ArgumentValue", "x"))
	for _, path := range []string{"/missing-bucket?restore", "/missing-bucket?restore&versionId=x"} {
		mustError(t, ts.do("POST", path, restore), 404,
			errorDoc("NoSuchBucket", "The specified bucket does not exist", "BucketName", "missing-bucket"))
	}
}

// TestRestoreAtBucketACL sends a bucket's POST ?restore unsigned to a
// server with keys: S3 answered its 400 to the bucket's owner and on a
// public bucket, and AccessDenied on another's (brekkylab/backlot
// routers/s3.py _refuse_write), which an unsigned request on a private
// bucket is.
func TestRestoreAtBucketACL(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	mustOK(t, ts.s.CreateBucket("restoreprivate", ""))
	mustOK(t, ts.s.CreateBucket("restorepublic", "public-read"))
	keyless := errorDoc("UserKeyMustBeSpecified", "User key must be specified.")
	mustError(t, ts.do("POST", "/restoreprivate?restore", nil), 403, errorDoc("AccessDenied", "Access Denied"))
	mustError(t, ts.do("POST", "/restorepublic?restore", nil), 400, keyless)
	mustError(t, ts.signed(ts.request("POST", "/restoreprivate?restore", nil), nil), 400, keyless)
}

// TestVersionIDAtBucket sends a versionId to a bucket's path, which names
// a version of an object, as a DeleteObject whose key was lost does
// ("/bucket/?versionId=..."): S3 refuses it on a DELETE and a
// subresource's PUT with 400 InvalidArgument "This operation does not
// accept a version-id.", naming the value as sent (an empty one and
// "null" alike), before the credential and the bucket
// (brekkylab/backlot routers/s3.py _version_id_refusal, measured on S3).
// The empty bucket is not deleted.
func TestVersionIDAtBucket(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	mustOK(t, ts.s.CreateBucket("versionless", ""))
	refusal := func(v string) string {
		return errorDoc("InvalidArgument", "This operation does not accept a version-id.", "ArgumentName", "versionId", "ArgumentValue", v)
	}
	for _, c := range []struct{ method, path, value string }{
		{"DELETE", "/versionless?versionId=3HL4kqtJlcpXroDTDmJ", "3HL4kqtJlcpXroDTDmJ"},
		{"DELETE", "/versionless/?versionId=null", "null"},
		{"DELETE", "/versionless?versionId=", ""},
		{"DELETE", "/versionless?versionId=a&versionId=b", "a"},
		{"DELETE", "/versionless?cors&versionId=null", "null"},
		{"DELETE", "/missing-bucket?versionId=null", "null"},
		{"PUT", "/versionless?versioning&versionId=null", "null"},
		{"PUT", "/versionless?tagging&versionId=null", "null"},
	} {
		mustError(t, ts.do(c.method, c.path, nil), 400, refusal(c.value))
		mustError(t, ts.signed(ts.request(c.method, c.path, nil), nil), 400, refusal(c.value))
	}
	if names := ts.s.BucketNames(); len(names) != 1 || names[0] != "versionless" {
		t.Errorf("buckets after the requests: %q, want the one", names)
	}
	// An object's DELETE takes one.
	mustStatus(t, ts.signed(ts.request("DELETE", "/versionless/k?versionId=null", nil), nil), 204)
}

// TestPartNumberAtBucket sends a partNumber, which names a part of an
// object, to a bucket's path: S3 refuses it with 400 InvalidRequest
// "Object must have a valid key name." on every method, for any value,
// before the credential and the listing's own parameters
// (brekkylab/backlot routers/s3.py _bucket_selected, measured on S3);
// never a DeleteBucket, a CreateBucket or a listing. A HEAD gets the
// status alone.
func TestPartNumberAtBucket(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	mustOK(t, ts.s.CreateBucket("partless", "public-read-write"))
	refusal := errorDoc("InvalidRequest", "Object must have a valid key name.")
	for _, c := range []struct{ method, path string }{
		{"DELETE", "/partless?partNumber=1"},
		{"DELETE", "/partless/?partNumber="},
		{"GET", "/partless?partNumber=abc"},
		{"GET", "/partless?partNumber=1&max-keys=abc"},
		{"PUT", "/partless?partNumber=1"},
		{"POST", "/partless?partNumber=1"},
		{"PUT", "/new-bucket?partNumber=1"},
		{"DELETE", "/partless?partNumber=1&versionId=null"},
	} {
		mustError(t, ts.do(c.method, c.path, nil), 400, refusal)
		mustError(t, ts.signed(ts.request(c.method, c.path, nil), nil), 400, refusal)
	}
	mustStatus(t, ts.do("HEAD", "/partless?partNumber=1", nil), 400)
	// Beside another subresource it is the conflict, which comes first
	// (_bucket_selected: "acl, partNumber"): never a DeleteBucketCors.
	mustOK(t, ts.s.PutBucketCors("partless", []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}))
	for _, c := range []struct{ method, path, names, first string }{
		{"DELETE", "/partless?cors&partNumber=1", "cors, partNumber", "cors"},
		{"GET", "/partless?acl&partNumber=1", "acl, partNumber", "acl"},
		{"DELETE", "/partless/k?tagging&partNumber=1", "partNumber, tagging", "partNumber"},
	} {
		want := errorDoc("InvalidArgument", "Conflicting query string parameters: "+c.names, "ArgumentName", "ResourceType", "ArgumentValue", c.first)
		mustError(t, ts.do(c.method, c.path, nil), 400, want)
		mustError(t, ts.signed(ts.request(c.method, c.path, nil), nil), 400, want)
	}
	mustStatus(t, ts.signed(ts.request("GET", "/partless?cors", nil), nil), 200)
	if names := ts.s.BucketNames(); len(names) != 1 || names[0] != "partless" {
		t.Errorf("buckets after the requests: %q, want the one", names)
	}
}

// TestMethodNotAllowedUnsigned sends, without a signature, to a server
// that checks them, requests S3 has no operation for: S3 answers them
// 405 as it answers them signed, the method coming before the
// credential (brekkylab/backlot routers/s3.py, measured on S3: unsigned
// PATCH on a bucket, a key and the root, HEAD at the root, a
// subresource's method it lacks), not 403 AccessDenied. A signature
// sent that does not verify is refused first.
func TestMethodNotAllowedUnsigned(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	mustOK(t, ts.s.CreateBucket("private405", ""))
	notAllowed := func(method, resource string) string {
		return errorDoc("MethodNotAllowed", "The specified method is not allowed against this resource.", "Method", method, "ResourceType", resource)
	}
	mustError(t, ts.do("PATCH", "/private405", nil), 405, notAllowed("PATCH", "BUCKET"))
	mustError(t, ts.do("PATCH", "/private405/k", nil), 405, notAllowed("PATCH", "OBJECT"))
	mustError(t, ts.do("POST", "/private405/k", nil), 405, notAllowed("POST", "OBJECT"))
	mustError(t, ts.do("DELETE", "/", nil), 405, notAllowed("DELETE", "SERVICE"))
	for _, path := range []string{"/private405?versioning", "/private405/k?acl", "/missing-bucket?cors", "/"} {
		mustStatus(t, ts.do("HEAD", path, nil), 405)
	}
	req := ts.request("PATCH", "/private405", nil)
	signRequest(t, req, nil, testAccessKey, "wrong-secret", time.Now())
	if r := ts.send(req); r.StatusCode != 403 || s3Code(r.body) != "SignatureDoesNotMatch" {
		t.Errorf("PATCH with a bad signature: %s, want 403 SignatureDoesNotMatch", r)
	}
}
