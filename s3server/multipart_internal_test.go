package s3server

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/checksum"
	"github.com/s3cors/s3cors/s3server/internal/storage"
)

// TestCompletePartChecksums reads a part's checksum in each algorithm an
// upload can be created with from a CompleteMultipartUpload's Part, in
// the element the SDKs write (aws-sdk-go-v2: ChecksumCRC32 ...
// ChecksumSHA512): an algorithm the list misses makes every completion
// of its uploads "missing" the parts' checksums.
func TestCompletePartChecksums(t *testing.T) {
	t.Parallel()
	for _, a := range checksum.Algorithms() {
		var p completePart
		doc := "<Part><Checksum" + a.Name + ">v</Checksum" + a.Name + "></Part>"
		if err := xml.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatal(err)
		}
		if got := p.checksum(a.Name); got != "v" {
			t.Errorf("%s: %q, want \"v\"", a.Name, got)
		}
	}
}

// TestListUploadsPageMemory lists a page of 1,000 uploads of a bucket of
// 100,000: it keeps only the page, as a page of ListObjects does
// (TestListPageMemory), rather than copying and sorting every upload of
// the bucket for each page.
func TestListUploadsPageMemory(t *testing.T) {
	b := newBucketState("b", time.Time{}, aclPrivate)
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 100_000 {
		id := fmt.Sprintf("id%06d", i)
		u := &storage.Upload{ID: id, Initiated: start.Add(time.Duration(i%7) * time.Second), Object: storage.ObjectMeta{Key: fmt.Sprintf("dir/%06d", i/2)}}
		b.uploads[id] = newUploadState(u, nil)
	}
	p := listParams{limit: maxListKeys}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	page := listUploads(b, p, "dir/025000", "")
	runtime.ReadMemStats(&after)
	t.Logf("%d bytes", after.TotalAlloc-before.TotalAlloc)
	if len(page.uploads) != maxListKeys || !page.truncated || page.uploads[0].Object.Key != "dir/025001" {
		t.Fatalf("page of %d uploads from %q, truncated %v", len(page.uploads), page.uploads[0].Object.Key, page.truncated)
	}
	// 1,001 entries and the page's 1,000 pointers: about 50 KB.
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<10 {
		t.Errorf("a page of 1,000 uploads of a bucket of 100,000 allocated %d bytes, want at most 256 KiB", n)
	}
}

// firstRead is a request body that closes read when the server first
// reads it: sent with Expect: 100-continue, by a client that waits for
// the server's 100 Continue, which net/http sends on the handler's first
// read of the body.
type firstRead struct {
	r    io.Reader
	once sync.Once
	read chan struct{}
}

func (b *firstRead) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.read) })
	return b.r.Read(p)
}

func (b *firstRead) Close() error { return nil }

// TestConcurrentCompletes sends CompleteMultipartUpload for one upload
// three times at once, as an SDK's retry after a read timeout does: the
// first is stopped in the storage as it makes the object visible, after
// the others have found the upload and are reading their bodies. Each
// gets the first's answer, 200 with the object's ETag, and the parts are
// joined once: the others once answered 404 NoSuchUpload, having joined
// the parts a second time and found the upload gone.
func TestConcurrentCompletes(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, t.TempDir())
	if r := fs.do("PUT", "/done", nil); r.status != 200 {
		t.Fatalf("CreateBucket: %d %s", r.status, r.body)
	}
	created := fs.do("POST", "/done/k?uploads", nil)
	m := regexp.MustCompile(`<UploadId>([^<]+)</UploadId>`).FindStringSubmatch(created.body)
	if m == nil {
		t.Fatalf("CreateMultipartUpload: %d %s", created.status, created.body)
	}
	id := m[1]
	parts := [][]byte{bytes.Repeat([]byte("a"), MinPartSize), []byte("end")}
	body := "<CompleteMultipartUpload>"
	for i, p := range parts {
		r := fs.do("PUT", fmt.Sprintf("/done/k?partNumber=%d&uploadId=%s", i+1, id), p)
		if r.status != 200 {
			t.Fatalf("UploadPart %d: %d %s", i+1, r.status, r.body)
		}
		body += fmt.Sprintf("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", i+1, r.header.Get("ETag"))
	}
	body += "</CompleteMultipartUpload>"

	var stages, renames atomic.Int32
	stopped, released := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(released) })
	t.Cleanup(release)
	fs.fail(func(op string) error {
		switch op {
		case "create":
			stages.Add(1) // a completion's object being staged
		case "rename":
			if renames.Add(1) == 1 { // the first completion's object made visible
				close(stopped)
				<-released
			}
		}
		return nil
	})
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	defer client.CloseIdleConnections()
	complete := func(b *firstRead) (faultResponse, error) {
		req, err := http.NewRequest("POST", fs.srv.URL+"/done/k?uploadId="+id, nil)
		if err != nil {
			return faultResponse{}, err
		}
		req.Body, req.ContentLength = b, int64(len(body))
		req.Header.Set("Expect", "100-continue")
		resp, err := client.Do(req)
		if err != nil {
			return faultResponse{}, err
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		return faultResponse{resp.StatusCode, resp.Header, string(got)}, err
	}
	const n = 3
	answers := make([]faultResponse, n)
	var wg sync.WaitGroup
	for i := range n {
		b := &firstRead{r: strings.NewReader(body), read: make(chan struct{})}
		wg.Go(func() {
			r, err := complete(b)
			if err != nil {
				t.Error(err)
			}
			answers[i] = r
		})
		if i == 0 {
			if !waitFor(t, stopped, "the first completion to make its object") {
				return
			}
		} else if !waitFor(t, b.read, "completion "+strconv.Itoa(i)+" to read its body") {
			return
		}
	}
	release()
	wg.Wait()
	for i, r := range answers {
		if r.status != 200 || r.body != answers[0].body {
			t.Errorf("completion %d: %d %s\nwant the first's: %d %s", i, r.status, r.body, answers[0].status, answers[0].body)
		}
	}
	if got := stages.Load(); got != 1 {
		t.Errorf("%d objects staged for %d completions of one upload; want 1", got, n)
	}
	whole := append(append([]byte{}, parts[0]...), parts[1]...)
	if r := fs.do("GET", "/done/k", nil); r.status != 200 || r.body != string(whole) ||
		!strings.Contains(answers[0].body, strings.ReplaceAll(r.header.Get("ETag"), `"`, "&quot;")) {
		t.Errorf("GetObject: %d, %d bytes, ETag %s; want the %d bytes of the parts, with the completions' ETag", r.status, len(r.body), r.header.Get("ETag"), len(whole))
	}
}
