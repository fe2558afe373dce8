package storage

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
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
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
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

// TestSpareOnlyOnceDurable checks that the file of an object or a
// configuration replaced becomes a spare, to be written again, only once
// the replacement is durable. Until its directory is synced, a crash of
// the machine can bring back the old name, referring to the old file: had
// the file been emptied and written as another object meanwhile, the old
// name would come back with another's bytes, and neither version of the
// object (or a configuration holding JSON, which stops the server from
// starting) would survive. A spare of a change whose sync failed is never
// used either.
func TestSpareOnlyOnceDurable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var syncs struct {
		sync.Mutex
		hold chan struct{} // nil: syncs run at once
		fail bool
	}
	d.InjectFaults(func(op string) error {
		if op != "syncdir" {
			return nil
		}
		syncs.Lock()
		hold, fail := syncs.hold, syncs.fail
		syncs.Unlock()
		if hold != nil {
			<-hold
		}
		if fail {
			return syscall.EIO
		}
		return nil
	})
	holdSyncs := func() (release func()) {
		c := make(chan struct{})
		syncs.Lock()
		syncs.hold = c
		syncs.Unlock()
		return func() {
			syncs.Lock()
			syncs.hold = nil
			syncs.Unlock()
			close(c)
		}
	}
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{}); err != nil {
		t.Fatal(err)
	}
	objects := filepath.Join(dir, "buckets", "bkt", "objects")
	put, _ := objectIO(t, d, "bkt")
	// stagedObject and stagedRecord stage an object and the bucket's
	// record, and return the file each is written in.
	stagedObject := func() (Change, os.FileInfo) {
		t.Helper()
		s, err := d.Stage(ctx, "bkt")
		if err != nil {
			t.Fatal(err)
		}
		fi, err := s.(*diskStaged).f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		return s, fi
	}
	stagedRecord := func() (Change, os.FileInfo) {
		t.Helper()
		c, err := d.StageRecord(ctx, "bkt", BucketRecord{ACL: "private"})
		if err != nil {
			t.Fatal(err)
		}
		return c, stat(t, filepath.Join(dir, c.(*renamed).tmp))
	}
	stageCORS := func(doc string) Change {
		t.Helper()
		c, err := d.StageCORS(ctx, "bkt", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	for _, tc := range []struct {
		name    string
		old     func() os.FileInfo // makes the file replaced, durably
		replace func() Pending     // replaces it, waiting for no sync
		next    func() (Change, os.FileInfo)
	}{{
		name: "object replaced",
		old: func() os.FileInfo {
			put("a", []byte("first a"))
			return stat(t, filepath.Join(objects, objectFileName("a")))
		},
		replace: func() Pending {
			s, err := d.Stage(ctx, "bkt")
			if err != nil {
				t.Fatal(err)
			}
			s.Write([]byte("second a"))
			if err := s.Seal(ctx, &ObjectMeta{Key: "a", Size: 8}); err != nil {
				t.Fatal(err)
			}
			p, err := s.Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
		next: stagedObject,
	}, {
		name: "object removed",
		old: func() os.FileInfo {
			put("r", []byte("to remove"))
			return stat(t, filepath.Join(objects, objectFileName("r")))
		},
		replace: func() Pending {
			p, err := d.DeleteObject(ctx, "bkt", "r")
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
		next: stagedObject,
	}, {
		name: "configuration replaced",
		old: func() os.FileInfo {
			commit(t, stageCORS("<one/>"))
			return stat(t, filepath.Join(dir, "buckets", "bkt", CORSFile))
		},
		replace: func() Pending {
			p, err := stageCORS("<two/>").Commit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
		next: stagedRecord,
	}} {
		// The cases run one after another: they share the disk, whose
		// directory syncs holdSyncs holds.
		t.Run(tc.name, func(t *testing.T) {
			old := tc.old()
			release := holdSyncs()
			p := tc.replace()
			c, fi := tc.next()
			c.Discard()
			if os.SameFile(fi, old) {
				t.Errorf("the file replaced is written again before the replacement is durable")
			}
			release()
			if err := p.Wait(); err != nil {
				t.Fatal(err)
			}
			c, fi = tc.next()
			c.Discard()
			if !os.SameFile(fi, old) {
				t.Errorf("the file replaced is not a spare once the replacement is durable")
			}
		})
	}
	// A replacement whose sync fails may not survive a crash: the file it
	// replaced is never written again.
	commit(t, stageCORS("<three/>"))
	old := stat(t, filepath.Join(dir, "buckets", "bkt", CORSFile))
	syncs.Lock()
	syncs.fail = true
	syncs.Unlock()
	p, err := stageCORS("<four/>").Commit(ctx)
	if err == nil {
		err = p.Wait()
	}
	if !Changed(err) || err == nil {
		t.Fatalf("a replacement whose sync fails: %v, want a NotDurableError", err)
	}
	syncs.Lock()
	syncs.fail = false
	syncs.Unlock()
	for _, spare := range filesWithPrefix(filepath.Join(dir, "buckets", "bkt"), sparePrefix) {
		if os.SameFile(stat(t, spare), old) {
			t.Errorf("the file a replacement not durable replaced is kept as a spare")
		}
	}
}
