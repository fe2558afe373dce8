package s3proxy_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/s3cors/s3cors/s3proxy"
)

// deleteRecorder is an upstream that answers every DeleteObjects with
// an empty DeleteResult and keeps the bodies and headers it got; it
// answers the proxy's look-ups of configurations with NoSuchKey.
type deleteRecorder struct {
	mu     sync.Mutex
	bodies [][]byte
	header []http.Header
}

func (d *deleteRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `<Error><Code>NoSuchKey</Code></Error>`)
		return
	}
	d.mu.Lock()
	d.bodies = append(d.bodies, body)
	d.header = append(d.header, r.Header.Clone())
	d.mu.Unlock()
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>`)
}

// take returns the bodies and headers got since the last call.
func (d *deleteRecorder) take() ([][]byte, []http.Header) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, h := d.bodies, d.header
	d.bodies, d.header = nil, nil
	return b, h
}

// deleteDoc returns a DeleteObjects document of the keys, each written
// as it is (escaped XML, CDATA, comments are the caller's).
func deleteDoc(keys ...string) string {
	doc := `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`
	for _, k := range keys {
		doc += "<Object><Key>" + k + "</Key></Object>"
	}
	return doc + "</Delete>"
}

// TestDeleteObjectsKeys sends DeleteObjects whose keys, as a store that
// resolves ".." in them reads them (versitygw's posix backend does),
// name objects of the config bucket: every spelling gets 403
// AccessDenied and none reaches the upstream. Keys that stay in their
// bucket go through with their body byte for byte and the headers that
// vouch for it. A body the proxy cannot read as XML gets S3's
// MalformedXML, one in aws-chunked encoding NotImplemented, one over
// the bound MaxMessageLengthExceeded: none goes to the upstream, which
// might read keys in it that the proxy did not.
//
// Each case has an upstream and a proxy of its own, so that what the
// upstream got is the case's alone: with one for all, an 8 MiB body the
// upstream still took after its client gave up was counted by the next
// case.
func TestDeleteObjectsKeys(t *testing.T) {
	t.Parallel()
	// bigBodyLimit bounds a case with an 8 MiB body, a stuck-run bound:
	// ten times the 12 s such a case typically took under -race with
	// four busy loops on two cores (7 to 25 s; 4 to 5 s unloaded), the
	// proxy reading its key and the upstream the body. The other cases
	// take milliseconds, within send's limit.
	const bigBodyLimit = 2 * time.Minute
	cb := s3proxy.DefaultConfigBucket
	const refused, passed = "refused", "passed"
	for _, c := range []struct {
		name, target, body string
		header             []string
		// want is refused (403 AccessDenied), passed, or another S3
		// error code, with its status.
		want   string
		status int
	}{
		{"dot-dot", "/nocors?delete", deleteDoc("../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"dot-dot twice", "/nocors?delete", deleteDoc("a/../../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"past the root", "/nocors?delete", deleteDoc("../../../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"dot and empty segments", "/nocors?delete", deleteDoc(".//./..//" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"backslashes", "/nocors?delete", deleteDoc(`..\` + cb + `\victim\cors.xml`), nil, refused, 403},
		{"upper case", "/nocors?delete", deleteDoc("../S3CORS-CONFIG/victim/cors.xml"), nil, refused, 403},
		{"character references", "/nocors?delete", deleteDoc("&#46;&#x2e;&#47;" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"CDATA", "/nocors?delete", deleteDoc("<![CDATA[../" + cb + "/victim/cors.xml]]>"), nil, refused, 403},
		{"split by a comment", "/nocors?delete", deleteDoc("..<!-- -->/" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"percent-escaped", "/nocors?delete", deleteDoc("..%2F" + cb + "%2Fvictim%2Fcors.xml"), nil, refused, 403},
		{"the last of several", "/nocors?delete", deleteDoc("a", "b", "../"+cb+"/victim/cors.xml"), nil, refused, 403},
		{"namespace prefix", "/nocors?delete", `<s:Delete xmlns:s="http://s3.amazonaws.com/doc/2006-03-01/"><s:Object><s:Key>../` + cb + `/victim/cors.xml</s:Key></s:Object></s:Delete>`, nil, refused, 403},
		{"lower-case element", "/nocors?delete", `<Delete><Object><key>../` + cb + `/victim/cors.xml</key></Object></Delete>`, nil, refused, 403},
		{"no declaration, no namespace", "/nocors?delete", `<Delete><Object><Key>../` + cb + `/x</Key></Object></Delete>`, nil, refused, 403},
		{"virtual-hosted", "/?delete", deleteDoc("../" + cb + "/victim/cors.xml"), []string{"Host", "nocors.s3.example.com"}, refused, 403},
		{"the service", "/?delete", deleteDoc(cb + "/victim/cors.xml"), nil, refused, 403},
		{"delete with a value", "/nocors?delete=1", deleteDoc("../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"delete among others", "/nocors?x-id=DeleteObjects&delete", deleteDoc("../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"Delete capitalised", "/nocors?Delete", deleteDoc("../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"at an object's path", "/nocors/obj?delete", deleteDoc("../" + cb + "/victim/cors.xml"), nil, refused, 403},
		{"chunked transfer", "/nocors?delete", deleteDoc("../" + cb + "/victim/cors.xml"), []string{"Transfer-Encoding", "chunked"}, refused, 403},

		{"keys in the bucket", "/nocors?delete", deleteDoc("photos/cors.xml", cb+"/victim/cors.xml", "a/../b", "&lt;&amp;&gt;"), []string{"Content-MD5", "x"}, passed, 200},
		{"a key leaving for another bucket", "/nocors?delete", deleteDoc("../photos/obj"), nil, passed, 200},
		{"a bucket named like the config bucket's prefix", "/" + cb + "x?delete", deleteDoc("k"), nil, passed, 200},
		{"no body", "/nocors?delete", "", nil, passed, 200},
		{"a POST without delete", "/nocors?uploads", deleteDoc("../" + cb + "/victim/cors.xml"), nil, passed, 200},
		{"8 MiB", "/nocors?delete", deleteDoc(strings.Repeat("k", 8<<20-len(deleteDoc("")))), nil, passed, 200},
		{"8 MiB, chunked transfer", "/nocors?delete", deleteDoc(strings.Repeat("k", 8<<20-len(deleteDoc("")))), []string{"Transfer-Encoding", "chunked"}, passed, 200},
		{"virtual-hosted, keys in the bucket", "/?delete", deleteDoc("../nocors/k"), []string{"Host", "nocors.s3.example.com"}, passed, 200},

		{"not well-formed", "/nocors?delete", `<Delete><Object><Key>k</Object></Delete>`, nil, "MalformedXML", 400},
		{"cut short", "/nocors?delete", `<Delete><Object><Key>k</Key>`, nil, "MalformedXML", 400},
		{"an element in a Key", "/nocors?delete", deleteDoc("..<b/>/" + cb + "/victim/cors.xml"), nil, "MalformedXML", 400},
		{"an entity declared", "/nocors?delete", `<!DOCTYPE Delete [<!ENTITY c "` + cb + `">]><Delete><Object><Key>../&c;/victim/cors.xml</Key></Object></Delete>`, nil, "MalformedXML", 400},
		{"another encoding", "/nocors?delete", `<?xml version="1.0" encoding="UTF-16"?><Delete/>`, nil, "MalformedXML", 400},
		{"aws-chunked", "/nocors?delete", "0\r\n\r\n", []string{"Content-Encoding", "aws-chunked", "X-Amz-Decoded-Content-Length", "0"}, "NotImplemented", 501},
		{"streaming token alone", "/nocors?delete", deleteDoc("k"), []string{"X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "NotImplemented", 501},
		{"over 8 MiB", "/nocors?delete", deleteDoc(strings.Repeat("k", 8<<20)), nil, "MaxMessageLengthExceeded", 400},
		{"over 8 MiB, chunked transfer", "/nocors?delete", deleteDoc(strings.Repeat("k", 8<<20)), []string{"Transfer-Encoding", "chunked"}, "MaxMessageLengthExceeded", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Not parallel: the 8 MiB cases are heavy under -race, and
			// one at a time each keeps within its bound.
			rec := &deleteRecorder{}
			up := httptest.NewServer(rec)
			t.Cleanup(up.Close)
			front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, Domains: []string{"s3.example.com"}})
			r, err := http.NewRequest("POST", front.URL+c.target, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(c.header); i += 2 {
				switch c.header[i] {
				case "Host":
					r.Host = c.header[i+1]
				case "Transfer-Encoding":
					r.ContentLength = -1 // net/http sends it chunked
				default:
					r.Header.Set(c.header[i], c.header[i+1])
				}
			}
			limit := 30 * time.Second
			if len(c.body) > 1<<20 { // the 8 MiB cases
				limit = bigBodyLimit
			}
			res := sendWithin(t, r, limit)
			bodies, headers := rec.take()
			switch c.want {
			case refused:
				wantS3Error(t, c.target, res, http.StatusForbidden, "AccessDenied")
			case passed:
				if res.StatusCode != http.StatusOK {
					t.Errorf("%d %s, want the upstream's 200", res.StatusCode, res.body)
				}
			default:
				wantS3Error(t, c.target, res, c.status, c.want)
			}
			if c.want != passed {
				if len(bodies) > 0 {
					t.Errorf("the request reached the upstream")
				}
				return
			}
			if len(bodies) != 1 {
				t.Fatalf("the upstream got %d DeleteObjects, want 1", len(bodies))
			}
			if string(bodies[0]) != c.body {
				t.Errorf("the upstream got the body %q, want %q as sent", bodies[0], c.body)
			}
			for i := 0; i+1 < len(c.header); i += 2 {
				if name := c.header[i]; name != "Host" && name != "Transfer-Encoding" && headers[0].Get(name) != c.header[i+1] {
					t.Errorf("the upstream got %s: %q, want %q", name, headers[0].Get(name), c.header[i+1])
				}
			}
		})
	}
}

// TestDeleteObjectsExpectContinue checks that a client sending a
// DeleteObjects with Expect: 100-continue gets one 100 Continue, the
// proxy's, as it reads the body to check its keys, and then the
// upstream's answer: not the upstream's 100 Continue too, which would
// come once the body was sent.
func TestDeleteObjectsExpectContinue(t *testing.T) {
	t.Parallel()
	rec := &deleteRecorder{}
	up := httptest.NewServer(rec)
	t.Cleanup(up.Close)
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL})
	body := deleteDoc("k")
	conn := sendRaw(t, front.URL, "POST /nocors?delete HTTP/1.1\r\nHost: "+strings.TrimPrefix(front.URL, "http://")+
		"\r\nExpect: 100-continue\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n", false)
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusContinue {
		t.Fatalf("first answer %d, want 100 Continue", res.StatusCode)
	}
	io.WriteString(conn, body)
	res, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("answer after the body: %d, want the upstream's 200 alone", res.StatusCode)
	}
	if bodies, _ := rec.take(); len(bodies) != 1 || string(bodies[0]) != body {
		t.Errorf("the upstream got %q, want the body once", bodies)
	}
}

// TestDeleteObjectsVersitygw runs DeleteObjects through the proxy in
// front of versitygw, whose posix backend resolves ".." in the keys of
// a DeleteObjects (it deletes ../OTHER/KEY in bucket OTHER): a key that
// climbs into the config bucket is refused and the configuration it
// named is still stored and applied; an ordinary DeleteObjects made by
// aws-sdk-go-v2, with its checksum header, deletes its objects. A POST
// form upload to a key that climbs into the config bucket is refused by
// versitygw itself (the proxy passes forms on unread).
func TestDeleteObjectsVersitygw(t *testing.T) {
	t.Parallel()
	vgw := startVersitygw(t)
	front, _ := startProxy(t, s3proxy.Options{Upstream: vgw.url, UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	ctx := context.Background()
	client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
	direct := sdkClient(vgw.url, upstreamAccessKey, upstreamSecretKey)
	putRules(t, client, "photos")
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("nocors")})))
	for _, k := range []string{"a", "b"} {
		mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("nocors"), Key: aws.String(k), Body: strings.NewReader(k)})))
	}
	stored := &s3.HeadObjectInput{Bucket: aws.String(s3proxy.DefaultConfigBucket), Key: aws.String("photos/cors.xml")}
	mustOK(t, sdkErr(direct.HeadObject(ctx, stored)))

	_, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("nocors"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("../" + s3proxy.DefaultConfigBucket + "/photos/cors.xml")}}}})
	if ae, ok := errors.AsType[smithy.APIError](err); !ok || ae.ErrorCode() != "AccessDenied" {
		t.Errorf("DeleteObjects of ../%s/photos/cors.xml: %v, want AccessDenied", s3proxy.DefaultConfigBucket, err)
	}
	if err := sdkErr(direct.HeadObject(ctx, stored)); err != nil {
		t.Errorf("the stored configuration after the DeleteObjects: %v", err)
	}
	if r := preflight(t, front.URL, "/photos/obj"); r.StatusCode != http.StatusOK {
		t.Errorf("preflight after the DeleteObjects: %d %s", r.StatusCode, r.body)
	}

	out, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("nocors"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("a")}, {Key: aws.String("b")}}}})
	if err != nil {
		t.Fatalf("ordinary DeleteObjects: %v", err)
	}
	if len(out.Deleted) != 2 || len(out.Errors) != 0 {
		t.Errorf("ordinary DeleteObjects: %d deleted, errors %v; want 2 deleted", len(out.Deleted), out.Errors)
	}
	list, err := direct.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("nocors")})
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("nocors after the DeleteObjects: %v, %d objects; want none", err, len(list.Contents))
	}

	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("key", "../"+s3proxy.DefaultConfigBucket+"/photos/cors.xml")
	fw, _ := mw.CreateFormFile("file", "cors.xml")
	io.WriteString(fw, "<CORSConfiguration/>")
	mw.Close()
	r := do(t, "POST", front.URL+"/nocors", form.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.StatusCode/100 == 2 {
		t.Errorf("POST form upload to ../%s/photos/cors.xml: %d %s, want versitygw's refusal", s3proxy.DefaultConfigBucket, r.StatusCode, r.body)
	}
	got, err := direct.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s3proxy.DefaultConfigBucket), Key: aws.String("photos/cors.xml")})
	if err != nil {
		t.Fatalf("the stored configuration after the POST form: %v", err)
	}
	defer got.Body.Close()
	if doc, _ := io.ReadAll(got.Body); !bytes.Contains(doc, []byte("<CORSRule>")) {
		t.Errorf("the stored configuration after the POST form: %s", doc)
	}
}
