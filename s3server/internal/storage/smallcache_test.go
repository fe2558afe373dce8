package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"testing"
)

// objectIO returns what writes an object of bucket whole, until it is
// durable, and what reads one back, with the Data it was read from.
func objectIO(t *testing.T, d *Disk, bucket string) (put func(key string, data []byte), read func(key string) (Data, []byte)) {
	ctx := context.Background()
	put = func(key string, data []byte) {
		t.Helper()
		st, err := d.Stage(ctx, bucket)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Discard()
		st.Write(data)
		if err := st.Seal(ctx, &ObjectMeta{Key: key, Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		commit(t, st)
	}
	read = func(key string) (Data, []byte) {
		t.Helper()
		data, err := d.Open(ctx, bucket, key)
		if err != nil {
			t.Fatal(err)
		}
		defer data.Close()
		var b bytes.Buffer
		io.Copy(&b, io.NewSectionReader(data, 0, 1<<20))
		return data, b.Bytes()
	}
	return put, read
}

// TestSmallCache checks what a small object's cached data follows: the
// second read of an object is served from memory, with the data the file
// holds; replacing or removing the object, or deleting its bucket, drops
// it; a large object is read from its file; the oldest entries go when
// the budget is spent.
func TestSmallCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := OpenDisk(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{}); err != nil {
		t.Fatal(err)
	}
	put, read := objectIO(t, d, "bkt")
	small := bytes.Repeat([]byte("s"), 1000)
	put("k", small)
	if _, got := read("k"); !bytes.HasPrefix(got, small) {
		t.Fatalf("first read: %q", got)
	}
	data, got := read("k")
	if _, ok := data.(*cached); !ok || !bytes.Equal(got, small) {
		t.Errorf("second read of a small object: %T holding %d bytes, want the cached data, %d bytes", data, len(got), len(small))
	}
	put("k", []byte("replaced"))
	if _, got := read("k"); !bytes.HasPrefix(got, []byte("replaced")) {
		t.Errorf("after a replacement: %q", got)
	}
	if _, got := read("k"); !bytes.Equal(got, []byte("replaced")) {
		t.Errorf("after a replacement, cached: %q", got)
	}
	p, err := d.DeleteObject(ctx, "bkt", "k")
	if err == nil {
		err = p.Wait()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, "bkt", "k"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a removed object opens: %v", err)
	}
	large := bytes.Repeat([]byte("L"), maxCachedFile)
	put("large", large)
	read("large")
	if data, got := read("large"); !bytes.HasPrefix(got, large) {
		t.Errorf("a large object: %d bytes", len(got))
	} else if _, ok := data.(*os.File); !ok {
		t.Errorf("a large object read from %T, not its file", data)
	}

	d.small.budget = 3500 // three objects of 1000 bytes
	for i := range 5 {
		put(strconv.Itoa(i), small)
		read(strconv.Itoa(i))
	}
	d.small.mu.Lock()
	if d.small.size > 3500 || len(d.small.entries) != 3 || d.small.entries[objectID{"bkt", "0"}] != nil {
		t.Errorf("over the budget: %d bytes in %d entries", d.small.size, len(d.small.entries))
	}
	d.small.mu.Unlock()
	deleteBucket(t, d, "bkt")
	if len(d.small.entries) != 0 || d.small.size != 0 {
		t.Errorf("a deleted bucket's objects are still cached: %d entries", len(d.small.entries))
	}
}
