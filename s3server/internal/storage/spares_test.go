package storage

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// stat returns the FileInfo of name.
func stat(t *testing.T, name string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestSpares checks what becomes a spare and what is made of one: the
// file of a small object replaced or removed is written again as the
// next object, never while a name still refers to it, and never the file
// of a large one; a bucket's configuration likewise; Close and Load
// remove the spares, and no object or configuration ever reads another's
// bytes.
func TestSpares(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{}); err != nil {
		t.Fatal(err)
	}
	objects := filepath.Join(dir, "buckets", "bkt", "objects")
	put, readData := objectIO(t, d, "bkt")
	read := func(key string) []byte {
		t.Helper()
		_, b := readData(key)
		return b
	}
	put("a", []byte("first a"))
	first := stat(t, filepath.Join(objects, objectFileName("a")))
	held := read("a") // in memory: no file left open
	put("a", []byte("second a"))
	if spares := filesWithPrefix(dir, sparePrefix); len(spares) != 1 || !os.SameFile(stat(t, spares[0]), first) {
		t.Fatalf("after a small object is replaced: spares %q, want its file", spares)
	}
	put("b", []byte("b, in a spare"))
	if !os.SameFile(stat(t, filepath.Join(objects, objectFileName("b"))), first) {
		t.Errorf("the next object did not take the spare's file")
	}
	if len(filesWithPrefix(dir, sparePrefix)) != 0 {
		t.Errorf("a spare taken is still a spare")
	}
	for key, want := range map[string]string{"a": "second a", "b": "b, in a spare"} {
		if got := read(key); !bytes.HasPrefix(got, []byte(want)) || len(got) != len(want) {
			t.Errorf("%s holds %q, want %q", key, got, want)
		}
	}
	if !bytes.Equal(held, []byte("first a")) {
		t.Errorf("data read before the replacement changed: %q", held)
	}
	large := bytes.Repeat([]byte("L"), maxCachedFile)
	put("large", large)
	put("large", []byte("small now"))
	p, err := d.DeleteObject(ctx, "bkt", "b")
	if err == nil {
		err = p.Wait()
	}
	if err != nil {
		t.Fatal(err)
	}
	if spares := filesWithPrefix(dir, sparePrefix); len(spares) != 1 {
		t.Errorf("spares after a large object replaced and a small one removed: %q, want the small one's only", spares)
	}
	for _, doc := range []string{"<one/>", "<two/>", "<three/>"} {
		c, err := d.StageCORS(ctx, "bkt", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		commit(t, c)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "buckets", "bkt", CORSFile)); string(got) != "<three/>" {
		t.Errorf("the configuration after three replacements: %q", got)
	}
	if spares := filesWithPrefix(dir, sparePrefix); len(spares) != 2 {
		t.Errorf("spares after configurations replaced: %q, want one object's and one configuration's", spares)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if spares := filesWithPrefix(dir, sparePrefix); len(spares) != 0 {
		t.Errorf("Close left spares: %q", spares)
	}
	// A spare a crash left is removed when the storage is loaded.
	os.WriteFile(filepath.Join(objects, sparePrefix+"left"), []byte("x"), 0o600)
	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 || len(buckets[0].Objects) != 2 {
		t.Fatalf("Load: %v %+v", err, buckets)
	}
	if spares := filesWithPrefix(dir, sparePrefix); len(spares) != 0 {
		t.Errorf("Load left spares: %q", spares)
	}
}
