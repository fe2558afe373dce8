package s3server

import (
	"encoding/xml"
	"fmt"
	"runtime"
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
