package s3proxy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
)

// fakeUpstream answers every request the way its fields say, as an
// upstream would: status, header (with the body's Content-Length) and
// the body body makes, read through readers (io.Reader wrappers of
// iotest, or nil for the body as it is).
type fakeUpstream struct {
	status int
	header http.Header
	body   []byte
	reader func(io.Reader) io.Reader
}

func (f fakeUpstream) RoundTrip(r *http.Request) (*http.Response, error) {
	var body io.Reader = bytes.NewReader(f.body)
	if f.reader != nil {
		body = f.reader(body)
	}
	h := f.header.Clone()
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	return &http.Response{StatusCode: f.status, Header: h, Body: io.NopCloser(body),
		ContentLength: int64(len(f.body)), Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
}

// listing returns a ListBuckets answer as S3 spells it (AWS's API
// reference of ListBuckets), with the buckets named, each with a
// creation date and a region, and the ContinuationToken and Prefix S3
// puts after the buckets.
func listing(names ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>s3cors-config</DisplayName></Owner><Buckets>`)
	for _, name := range names {
		b.WriteString(entry(name))
	}
	b.WriteString(`</Buckets><ContinuationToken>eyJNYXhCdWNrZXRzIjoxfQ==</ContinuationToken><Prefix>s</Prefix></ListAllMyBucketsResult>`)
	return b.String()
}

func entry(name string) string {
	return `<Bucket><Name>` + name + `</Name><CreationDate>2019-12-11T23:32:47+00:00</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>`
}

// TestListBucketsHidesConfigBucket sends ListBuckets through the proxy
// to an upstream whose answer names the config bucket: the proxy drops
// that one <Bucket> entry, byte for byte, however the upstream's body
// comes in pieces, and leaves every other answer as it came.
func TestListBucketsHidesConfigBucket(t *testing.T) {
	t.Parallel()
	cb := s3proxy.DefaultConfigBucket
	xmlHeader := http.Header{"Content-Type": {"application/xml"}}
	indented := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n" +
		"  <Owner>\n    <ID>owner</ID>\n  </Owner>\n  <Buckets>\n" +
		"    <Bucket>\n      <Name>alpha</Name>\n      <CreationDate>2024-01-01T00:00:00.000Z</CreationDate>\n    </Bucket>\n" +
		"    <Bucket>\n      <Name> " + cb + " </Name>\n      <CreationDate>2024-01-01T00:00:00.000Z</CreationDate>\n    </Bucket>\n" +
		"    <Bucket>\n      <Name>zeta</Name>\n      <CreationDate>2024-01-01T00:00:00.000Z</CreationDate>\n    </Bucket>\n" +
		"  </Buckets>\n</ListAllMyBucketsResult>\n"
	// warns holds what the proxy logs at warning level about some
	// answers; about the others it logs nothing.
	warns := map[string]string{
		"an entry past the bound": "a ListBuckets answer holds an entry longer than the proxy reads",
		"an encoded body":         "a ListBuckets answer is encoded",
		// The request line of an error answer, whose body names no code.
		"an error": "op=ListBuckets status=403",
	}
	cutShort := listing("alpha", cb)
	cutShort = cutShort[:strings.Index(cutShort, entry(cb))+40]
	var many, manyWant []string
	for i := range 20000 {
		name := fmt.Sprintf("bucket-%05d", i)
		if i == 12345 {
			name = cb
		} else {
			manyWant = append(manyWant, name)
		}
		many = append(many, name)
	}
	for _, c := range []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body, want   string
	}{
		{"in the middle", "GET", "/", 200, xmlHeader, listing("alpha", cb, "zeta"), listing("alpha", "zeta")},
		{"first", "GET", "/", 200, xmlHeader, listing(cb, "zeta"), listing("zeta")},
		{"last", "GET", "/", 200, xmlHeader, listing("alpha", cb), listing("alpha")},
		{"the only one", "GET", "/", 200, xmlHeader, listing(cb), listing()},
		{"absent", "GET", "/", 200, xmlHeader, listing("alpha", "zeta"), listing("alpha", "zeta")},
		{"no bucket at all", "GET", "/", 200, xmlHeader, listing(), listing()},
		// The proxy refuses the name in any case (reachesConfigBucket).
		{"in upper case", "GET", "/", 200, xmlHeader, listing("alpha", strings.ToUpper(cb)), listing("alpha")},
		{"names that only start or end with it", "GET", "/", 200, xmlHeader,
			listing(cb+"2", "my-"+cb, cb+".x"), listing(cb+"2", "my-"+cb, cb+".x")},
		// The entry alone is dropped, not the space around it.
		{"indented", "GET", "/", 200, xmlHeader, indented, strings.Replace(indented,
			"<Bucket>\n      <Name> "+cb+" </Name>\n      <CreationDate>2024-01-01T00:00:00.000Z</CreationDate>\n    </Bucket>", "", 1)},
		{"ListBuckets with ?cors", "GET", "/?cors", 200, xmlHeader, listing("alpha", cb), listing("alpha")},
		{"with a prefix, one page of several", "GET", "/?prefix=s&max-buckets=1&continuation-token=x", 200, xmlHeader, listing(cb), listing()},
		{"20,000 buckets", "GET", "/", 200, xmlHeader, listing(many...), listing(manyWant...)},
		{"an empty Buckets element", "GET", "/", 200, xmlHeader,
			strings.Replace(listing(), "<Buckets></Buckets>", "<Buckets/>", 1), strings.Replace(listing(), "<Buckets></Buckets>", "<Buckets/>", 1)},
		// An upstream's error, or an answer the proxy cannot read, goes
		// as it came.
		{"an error", "GET", "/", 403, xmlHeader, listing(cb), listing(cb)},
		{"a HEAD", "HEAD", "/", 200, xmlHeader, listing(cb), ""},
		{"a body that ends in an entry", "GET", "/", 200, xmlHeader, cutShort, cutShort},
		{"an entry past the bound", "GET", "/", 200, xmlHeader,
			listing("alpha", strings.Repeat("x", 20<<10), cb), listing("alpha", strings.Repeat("x", 20<<10), cb)},
		{"an encoded body", "GET", "/", 200, http.Header{"Content-Type": {"application/xml"}, "Content-Encoding": {"br"}},
			listing("alpha", cb), listing("alpha", cb)},
	} {
		for _, rd := range []struct {
			name   string
			reader func(io.Reader) io.Reader
		}{
			{"whole", nil},
			{"one byte at a time", iotest.OneByteReader},
			{"half of each read", iotest.HalfReader},
			{"EOF with the last bytes", iotest.DataErrReader},
		} {
			t.Run(c.name+"/"+rd.name, func(t *testing.T) {
				t.Parallel()
				h := c.header.Clone()
				h.Set("Access-Control-Allow-Origin", "*")
				log := &logBuffer{}
				front, _ := startProxy(t, s3proxy.Options{Upstream: "http://upstream.invalid",
					Transport: fakeUpstream{status: c.status, header: h, body: []byte(c.body), reader: rd.reader},
					Logger:    slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
				r := do(t, c.method, front.URL+c.path, nil, "Origin", "https://app.example")
				if r.StatusCode != c.status || string(r.body) != c.want {
					t.Errorf("%d\n%.2000s\nwant %d\n%.2000s", r.StatusCode, r.body, c.status, c.want)
				}
				if c.method == "GET" && r.ContentLength != -1 && r.ContentLength != int64(len(r.body)) {
					t.Errorf("Content-Length %d for a body of %d bytes", r.ContentLength, len(r.body))
				}
				if c.method == "HEAD" && r.ContentLength != int64(len(c.body)) {
					t.Errorf("HEAD: Content-Length %d, want the upstream's %d", r.ContentLength, len(c.body))
				}
				if got := corsHeaders(r.Header); got != "" {
					t.Errorf("CORS headers on the service: %s", got)
				}
				if got := r.Header.Get("Content-Type"); got != "application/xml" {
					t.Errorf("Content-Type %q", got)
				}
				logged := log.String()
				if want := warns[c.name]; want == "" && logged != "" || want != "" && !strings.Contains(logged, want) {
					t.Errorf("logged %q, want %q", logged, want)
				}
			})
		}
	}
}

// TestListBucketsStreams has the upstream send a ListBuckets answer in
// two halves, the second only once the client has read from the first:
// the proxy passes the answer on as it comes, holding no more than an
// entry, so that an answer of any size costs it no memory to speak of
// and never waits for its end.
func TestListBucketsStreams(t *testing.T) {
	t.Parallel()
	cb := s3proxy.DefaultConfigBucket
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	front, _ := startProxy(t, s3proxy.Options{Upstream: "http://upstream.invalid",
		Transport: pipeUpstream{pr}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", front.URL+"/", nil)
	mustOK(t, err)
	whole := listing("alpha", cb, "zeta")
	first, second := whole[:len(whole)/2], whole[len(whole)/2:]
	go io.WriteString(pw, first)
	res, err := testClient.Do(req)
	mustOK(t, err)
	defer res.Body.Close()
	got := make([]byte, 0, len(whole))
	buf := make([]byte, 4096)
	for !strings.Contains(string(got), "<Name>alpha</Name>") {
		n, err := res.Body.Read(buf)
		if err != nil {
			t.Fatalf("reading the first half: %v; got %q", err, got)
		}
		got = append(got, buf[:n]...)
	}
	go func() {
		io.WriteString(pw, second)
		pw.Close()
	}()
	rest, err := io.ReadAll(res.Body)
	mustOK(t, err)
	if got, want := string(got)+string(rest), listing("alpha", "zeta"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// bucketEntry is a <Bucket> entry of a ListBuckets answer.
var bucketEntry = regexp.MustCompile(`(?s)<Bucket>.*?</Bucket>`)

// entries returns the <Bucket> entries of a ListBuckets answer, sorted,
// and the answer without them.
func entries(body string) (rest string, entries []string) {
	entries = bucketEntry.FindAllString(body, -1)
	slices.Sort(entries)
	return bucketEntry.ReplaceAllString(body, ""), entries
}

// pipeUpstream answers with 200 and the body read from r.
type pipeUpstream struct{ r *io.PipeReader }

func (u pipeUpstream) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/xml"}},
		Body: u.r, ContentLength: -1, Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
}

// TestListBucketsThroughProxy lists the buckets with aws-sdk-go-v2
// through the proxy, in front of each upstream, once the config bucket
// exists there: the upstream names it, the proxy does not, in a listing
// whole, with a prefix, and page by page.
func TestListBucketsThroughProxy(t *testing.T) {
	t.Parallel()
	cb := s3proxy.DefaultConfigBucket
	for _, up := range upstreams {
		t.Run(up.name, func(t *testing.T) {
			t.Parallel()
			upURL := up.start(t)
			front, _ := startProxy(t, s3proxy.Options{Upstream: upURL, UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
			client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
			direct := sdkClient(upURL, upstreamAccessKey, upstreamSecretKey)
			ctx := context.Background()
			buckets := []string{"alpha", cb + "-not", "zeta"}
			for _, b := range buckets {
				mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})))
			}
			putRules(t, client, "rules") // which makes the config bucket
			buckets = append(buckets, "rules")
			slices.Sort(buckets)

			names := func(c *s3.Client, in *s3.ListBucketsInput) ([]string, *s3.ListBucketsOutput) {
				t.Helper()
				out, err := c.ListBuckets(ctx, in)
				mustOK(t, err)
				var names []string
				for _, b := range out.Buckets {
					names = append(names, aws.ToString(b.Name))
				}
				slices.Sort(names)
				return names, out
			}
			upNames, upOut := names(direct, &s3.ListBucketsInput{})
			if !slices.Contains(upNames, cb) {
				t.Fatalf("the upstream lists %q, without the config bucket", upNames)
			}
			got, out := names(client, &s3.ListBucketsInput{})
			if !slices.Equal(got, buckets) {
				t.Errorf("ListBuckets through the proxy: %q, want %q", got, buckets)
			}
			if aws.ToString(out.Owner.ID) != aws.ToString(upOut.Owner.ID) {
				t.Errorf("Owner %q, the upstream's %q", aws.ToString(out.Owner.ID), aws.ToString(upOut.Owner.ID))
			}
			// Byte for byte, the upstream's answer less the entry (in
			// any order: gofakes3's changes from one answer to the next).
			for _, query := range []string{"", "?prefix=s3cors", "?cors"} {
				upEp := &vectortest.Endpoint{URL: upURL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
				frontEp := &vectortest.Endpoint{URL: front.URL, HTTP: testClient, AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
				upRaw := upEp.Signed(t, upEp.Request(t, "GET", "/"+query, nil), nil)
				raw := frontEp.Signed(t, frontEp.Request(t, "GET", "/"+query, nil), nil)
				upRest, upEntries := entries(string(upRaw.Body))
				rest, got := entries(string(raw.Body))
				want := slices.DeleteFunc(upEntries, func(e string) bool { return strings.Contains(e, "<Name>"+cb+"</Name>") })
				if upRaw.StatusCode != 200 || raw.StatusCode != 200 || rest != upRest || !slices.Equal(got, want) ||
					len(want) == len(upEntries) {
					t.Errorf("GET /%s: %d %s\nthe upstream's: %d %s", query, raw.StatusCode, raw.Body, upRaw.StatusCode, upRaw.Body)
				}
			}
			got, _ = names(client, &s3.ListBucketsInput{Prefix: aws.String(cb)})
			if slices.Contains(got, cb) || !slices.Contains(got, cb+"-not") {
				t.Errorf("ListBuckets with the prefix %q: %q", cb, got)
			}
			var paged []string
			p := s3.NewListBucketsPaginator(client, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				mustOK(t, err)
				for _, b := range page.Buckets {
					paged = append(paged, aws.ToString(b.Name))
				}
			}
			slices.Sort(paged)
			if !slices.Equal(paged, buckets) {
				t.Errorf("ListBuckets page by page: %q, want %q", paged, buckets)
			}
		})
	}
}
