package storage

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestHeaderBytesSurviveRestart stores an object and an upload whose
// Content-Type, stored headers and metadata are not valid UTF-8, as
// net/http takes them (obs-text), and loads them back: the disk must give
// after a restart the bytes it served before, as the memory backend
// keeps them. A JSON string cannot hold such bytes: encoding/json
// replaces them with U+FFFD.
func TestHeaderBytesSurviveRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
	meta := ObjectMeta{
		Key:          "k",
		ETag:         `"e"`,
		LastModified: time.Unix(1, 0).UTC(),
		ContentType:  "text/\xff",
		Headers:      map[string]string{"Cache-Control": "max-age=1", "Content-Disposition": "attachment; filename=\"\x80\xfe.txt\""},
		Metadata:     map[string]string{"x-amz-meta-a": "caf\xe9", "x-amz-meta-b": "plain", "x-amz-meta-c": "\xc3"},
	}
	obj, err := d.Stage(ctx, "bkt")
	if err != nil {
		t.Fatal(err)
	}
	m := meta
	if err := obj.Seal(ctx, &m); err != nil {
		t.Fatal(err)
	}
	commit(t, obj)
	u := &Upload{ID: "u", Initiated: time.Unix(2, 0).UTC(), Object: meta}
	u.Object.Key = "k2"
	c, err := d.StageUpload(ctx, "bkt", u)
	if err != nil {
		t.Fatal(err)
	}
	commit(t, c)
	d.Close()

	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 || len(buckets[0].Objects) != 1 || len(buckets[0].Uploads) != 1 {
		t.Fatalf("Load: %v, %+v", err, buckets)
	}
	if got := *buckets[0].Objects[0]; !reflect.DeepEqual(got, meta) {
		t.Errorf("the object after a restart:\n%#v\nwant:\n%#v", got, meta)
	}
	if got := buckets[0].Uploads[0].Upload; !reflect.DeepEqual(got, u) {
		t.Errorf("the upload after a restart:\n%#v\nwant:\n%#v", got, u)
	}
}

// TestOldMetaLoads loads object and upload files as servers before
// TestHeaderBytesSurviveRestart wrote them, with text in JSON strings
// only.
func TestOldMetaLoads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
	d.Close()
	bkt := filepath.Join(dir, "buckets", "bkt")
	meta := []byte(`{"key":"k","size":4,"etag":"\"e\"","lastModified":"1970-01-01T00:00:01Z","contentType":"text/\ufffd","headers":{"Cache-Control":"no-cache"},"metadata":{"x-amz-meta-a":"caf\u00e9"}}`)
	file := append([]byte("data"), meta...)
	file = binary.BigEndian.AppendUint64(file, uint64(len(meta)))
	file = append(file, trailerMagic...)
	if err := os.WriteFile(filepath.Join(bkt, "objects", objectFileName("k")), file, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(bkt, "uploads", "u"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bkt, "uploads", "u", "upload.json"), []byte(`{"id":"u","initiated":"1970-01-01T00:00:02Z","object":{"key":"k2","size":0,"etag":"","lastModified":"0001-01-01T00:00:00Z","contentType":"a/b","metadata":{"x-amz-meta-b":"v"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 || len(buckets[0].Objects) != 1 || len(buckets[0].Uploads) != 1 {
		t.Fatalf("Load: %v, %+v", err, buckets)
	}
	wantObj := ObjectMeta{Key: "k", Size: 4, ETag: `"e"`, LastModified: time.Unix(1, 0).UTC(), ContentType: "text/\ufffd",
		Headers: map[string]string{"Cache-Control": "no-cache"}, Metadata: map[string]string{"x-amz-meta-a": "café"}}
	if got := *buckets[0].Objects[0]; !reflect.DeepEqual(got, wantObj) {
		t.Errorf("an old object file loads as\n%#v\nwant:\n%#v", got, wantObj)
	}
	wantUp := &Upload{ID: "u", Initiated: time.Unix(2, 0).UTC(), Object: ObjectMeta{Key: "k2", ContentType: "a/b", Metadata: map[string]string{"x-amz-meta-b": "v"}}}
	if got := buckets[0].Uploads[0].Upload; !reflect.DeepEqual(got, wantUp) {
		t.Errorf("an old upload.json loads as\n%#v\nwant:\n%#v", got, wantUp)
	}
}
