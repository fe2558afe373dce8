package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestUploadsOnDisk writes an upload and its parts, loads them back, and
// checks what a crash between a completion's two renames leaves: the
// object, and an upload that Load removes.
func TestUploadsOnDisk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{ACL: "private"})
	for _, id := range []string{"", "../x", "a/b", string(make([]byte, MaxUploadIDLen+1))} {
		if _, err := d.StageUpload(ctx, "bkt", &Upload{ID: id}); err == nil {
			t.Errorf("StageUpload took the ID %q", id)
		}
	}
	createUpload := func(u *Upload) {
		c, err := d.StageUpload(ctx, "bkt", u)
		if err != nil {
			t.Fatal(err)
		}
		commit(t, c)
	}
	u := &Upload{ID: "upload-1", Initiated: time.Unix(1, 0).UTC(), Object: ObjectMeta{Key: "k", ContentType: "text/plain"}, ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE"}
	createUpload(u)
	parts := [][]byte{bytes.Repeat([]byte("a"), 1000), []byte("tail")}
	for i, p := range parts {
		st, err := d.StagePart(ctx, "bkt", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.Write(p)
		if err := st.Seal(ctx, &Part{Number: i + 1, Size: int64(len(p)), ETag: `"e"`}); err != nil {
			t.Fatal(err)
		}
		commit(t, st)
		st.Discard()
	}
	if _, err := d.StagePart(ctx, "bkt", "no-such-upload"); err == nil {
		t.Error("StagePart of an upload that does not exist")
	}
	// Join the parts into the object, as a completion does, without
	// removing the upload: a crash between the two.
	obj, err := d.Stage(ctx, "bkt")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parts {
		data, err := d.OpenPart(ctx, "bkt", u.ID, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := obj.Append(data, 0, int64(len(p))); err != nil {
			t.Fatal(err)
		}
		data.Close()
	}
	if err := obj.Seal(ctx, &ObjectMeta{Key: "k", Size: 1004, UploadID: u.ID}); err != nil {
		t.Fatal(err)
	}
	commit(t, obj)
	// A second upload in progress, and a torn part file a crash left.
	createUpload(&Upload{ID: "upload-2", Object: ObjectMeta{Key: "k2"}})
	os.WriteFile(filepath.Join(dir, "buckets", "bkt", "uploads", "upload-2", ".s3cors-tmp-torn"), []byte("half"), 0o600)
	d.Close()

	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 {
		t.Fatalf("Load: %v, %d buckets", err, len(buckets))
	}
	b := buckets[0]
	if len(b.Uploads) != 1 || b.Uploads[0].Upload.ID != "upload-2" || len(b.Uploads[0].Parts) != 0 {
		t.Fatalf("uploads after Load: %+v; want only upload-2, without parts", b.Uploads)
	}
	if _, err := os.Stat(filepath.Join(dir, "buckets", "bkt", "uploads", "upload-1")); !os.IsNotExist(err) {
		t.Errorf("the completed upload is still on disk: %v", err)
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
	data, err := d.Open(ctx, "bkt", "k")
	if err != nil {
		t.Fatal(err)
	}
	defer data.Close()
	got, _ := io.ReadAll(io.NewSectionReader(data, 0, 1004))
	if want := append(append([]byte{}, parts[0]...), parts[1]...); !bytes.Equal(got, want) {
		t.Errorf("the joined object holds %q", got)
	}
}

// TestMemoryShares checks that a completed object, and a copy, share the
// bytes of their parts and source.
func TestMemoryShares(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemory()
	m.CreateBucket(ctx, "bkt", BucketRecord{})
	c, _ := m.StageUpload(ctx, "bkt", &Upload{ID: "u"})
	commit(t, c)
	for i, p := range []string{"hello, ", "world"} {
		st, _ := m.StagePart(ctx, "bkt", "u")
		st.Write([]byte(p))
		st.Seal(ctx, &Part{Number: i + 1})
		commit(t, st)
	}
	obj, _ := m.Stage(ctx, "bkt")
	obj.Write([]byte(">"))
	for i, n := range []int64{7, 5} {
		data, err := m.OpenPart(ctx, "bkt", "u", i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := obj.Append(data, 0, n); err != nil {
			t.Fatal(err)
		}
	}
	obj.Write([]byte("<"))
	obj.Seal(ctx, &ObjectMeta{Key: "k"})
	commit(t, obj)
	data, _ := m.Open(ctx, "bkt", "k")
	for _, tc := range []struct {
		off  int64
		n    int
		want string
	}{{0, 14, ">hello, world<"}, {3, 6, "llo, w"}, {8, 3, "wor"}, {13, 1, "<"}} {
		b := make([]byte, tc.n)
		if n, err := data.ReadAt(b, tc.off); string(b[:n]) != tc.want || err != nil && tc.off+int64(tc.n) < 14 {
			t.Errorf("ReadAt(%d, %d) = %q, %v; want %q", tc.off, tc.n, b[:n], err, tc.want)
		}
	}
	if blob := data.(memBlob); len(blob.chunks) != 4 {
		t.Errorf("the object is %d chunks, want 4: the parts shared, not copied", len(blob.chunks))
	}
	if _, err := data.ReadAt(make([]byte, 1), 14); err != io.EOF {
		t.Errorf("ReadAt past the end: %v", err)
	}
}

// TestUploadsDirDurable checks that the directory a bucket's uploads are
// made in is in the bucket's directory durably before an upload is made
// in it. A directory made is in its parent after a crash of the machine
// only once the parent is synced, and an upload's Pending syncs only the
// uploads directory: had it been made by the first upload, unsynced, a
// crash could lose every upload acknowledged since. A bucket makes it
// with its other directory, and Load makes, and syncs, one missing (a
// bucket of an older server).
func TestUploadsDirDurable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
	uploads := filepath.Join(dir, "buckets", "bkt", "uploads")
	if fi, err := os.Stat(uploads); err != nil || !fi.IsDir() {
		t.Errorf("a bucket created has no uploads directory: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(uploads); err != nil {
		t.Fatal(err)
	}
	var err error
	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var ops []string
	d.InjectFaults(func(op string) error {
		ops = append(ops, op)
		return nil
	})
	if _, err := d.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(uploads); err != nil || !fi.IsDir() {
		t.Fatalf("Load did not make the uploads directory missing: %v", err)
	}
	if !slices.Contains(ops, "syncdir") {
		t.Errorf("Load made the uploads directory without syncing the bucket's: %q", ops)
	}
}

// TestUploadInDeletedBucket stages an upload in a bucket deleted after
// the server found it (a CreateMultipartUpload racing DeleteBucket): it
// fails, and leaves nothing. Were the bucket's directories made again for
// it, the name would hold a directory without bucket.json, which Load
// skips and CreateBucket cannot rename a new bucket over: the name could
// never be a bucket again.
func TestUploadInDeletedBucket(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{}); err != nil {
		t.Fatal(err)
	}
	deleteBucket(t, d, "bkt")
	if c, err := d.StageUpload(ctx, "bkt", &Upload{ID: "u"}); err == nil {
		c.Discard()
		t.Error("an upload was staged in a deleted bucket")
	}
	if _, err := os.Stat(filepath.Join(dir, "buckets", "bkt")); !os.IsNotExist(err) {
		t.Errorf("the deleted bucket's directory is back: %v", err)
	}
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{}); err != nil {
		t.Errorf("CreateBucket again: %v", err)
	}
}

// TestDeleteUploadNotDurable deletes an upload whose rename away is made
// but not synced: a crash of the machine may undo the rename, so the
// parts must stay until it is durable. Were they removed at once, the
// crash would bring back the upload's directory emptied (or with parts
// missing), which no start would ever load or remove. With them kept,
// the crash brings back the upload whole, and without a crash the next
// start removes the directory renamed away.
func TestDeleteUploadNotDurable(t *testing.T) {
	t.Parallel()
	for _, crash := range []bool{false, true} {
		t.Run(map[bool]string{false: "restart", true: "crash"}[crash], func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			d := openWithUpload(t, dir)
			for n := 1; n <= 2; n++ {
				st, err := d.StagePart(ctx, "bkt", "u")
				if err != nil {
					t.Fatal(err)
				}
				st.Write([]byte("part"))
				if err := st.Seal(ctx, &Part{Number: n, Size: 4, ETag: `"e"`}); err != nil {
					t.Fatal(err)
				}
				commit(t, st)
			}
			d.InjectFaults(func(op string) error {
				if op == "syncdir" {
					return errors.New("injected sync failure")
				}
				return nil
			})
			p, err := d.DeleteUpload(ctx, "bkt", "u")
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Wait(); !Changed(err) || err == nil {
				t.Fatalf("DeleteUpload's Wait with the sync failing: %v, want a NotDurableError", err)
			}
			d.Close()
			uploads := filepath.Join(dir, "buckets", "bkt", "uploads")
			away := filesWithPrefix(uploads, tempPrefix)
			if len(away) != 1 {
				t.Fatalf("the upload's directory renamed away: %q; want it kept, whole, until the rename is durable", away)
			}
			if crash {
				// The crash lost the rename, not yet synced.
				if err := os.Rename(away[0], filepath.Join(uploads, "u")); err != nil {
					t.Fatal(err)
				}
			}
			d, err = OpenDisk(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			buckets, err := d.Load(ctx)
			if err != nil || len(buckets) != 1 {
				t.Fatalf("Load: %v, %d buckets", err, len(buckets))
			}
			ups := buckets[0].Uploads
			if crash && (len(ups) != 1 || len(ups[0].Parts) != 2) {
				t.Errorf("after a crash lost the deletion: uploads %+v; want the upload with its 2 parts", ups)
			}
			if !crash && len(ups) != 0 {
				t.Errorf("after a restart: uploads %+v; want none", ups)
			}
			if tmp := tempFiles(t, dir); len(tmp) > 0 {
				t.Errorf("temporary files left: %q", tmp)
			}
		})
	}
}

// TestEmptiedUploadRemoved loads what a crash could leave of an upload
// deleted by a server that removed its parts before the rename away was
// durable: its directory, under its ID, emptied or with some parts left
// and no upload.json. It is no upload, and Load removes it rather than
// skip it, with a warning, on every start.
func TestEmptiedUploadRemoved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
	d.Close()
	uploads := filepath.Join(dir, "buckets", "bkt", "uploads")
	for _, id := range []string{"emptied", "partly"} {
		if err := os.Mkdir(filepath.Join(uploads, id), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(uploads, "partly", "part-00002"), []byte("left"), 0o600); err != nil {
		t.Fatal(err)
	}
	var err error
	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 || len(buckets[0].Uploads) != 0 {
		t.Fatalf("Load: %v, %+v", err, buckets)
	}
	if entries, err := os.ReadDir(uploads); err != nil || len(entries) != 0 {
		t.Errorf("the uploads directory after Load holds %v (%v); want nothing", entries, err)
	}
}

// TestDiskPartClaimSurvives: the checksum a part of an upload without an
// algorithm was sent with, which its completion must list, is read back
// with the part after a restart.
func TestDiskPartClaimSurvives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d := openWithBucket(t, dir, "bkt", BucketRecord{ACL: "private"})
	c, err := d.StageUpload(ctx, "bkt", &Upload{ID: "upload-1", Initiated: time.Unix(1, 0).UTC(), Object: ObjectMeta{Key: "k"}})
	if err != nil {
		t.Fatal(err)
	}
	commit(t, c)
	want := Part{Number: 1, Size: 4, ETag: `"e"`, LastModified: time.Unix(2, 0).UTC(), Checksum: "AAAAAAAAAAA=",
		ClaimedAlgorithm: "CRC32", Claimed: "2/9fGw=="}
	st, err := d.StagePart(ctx, "bkt", "upload-1")
	if err != nil {
		t.Fatal(err)
	}
	st.Write([]byte("data"))
	if err := st.Seal(ctx, &want); err != nil {
		t.Fatal(err)
	}
	commit(t, st)
	st.Discard()
	d.Close()

	d, err = OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	buckets, err := d.Load(ctx)
	if err != nil || len(buckets) != 1 || len(buckets[0].Uploads) != 1 || len(buckets[0].Uploads[0].Parts) != 1 {
		t.Fatalf("Load: %v, %+v", err, buckets)
	}
	if got := *buckets[0].Uploads[0].Parts[0]; got != want {
		t.Errorf("part after a restart: %+v, want %+v", got, want)
	}
}

// TestMemoryStagedAllocations stages objects of 8 MiB in writes of 32 KiB,
// as io.Copy makes them, and checks that they read back whole and that
// staging one allocates little more than its size: a buffer grown by
// append allocated about five times it, copying each byte as often. It
// does not run in parallel, so that the bytes counted are its own.
func TestMemoryStagedAllocations(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	m.CreateBucket(ctx, "bkt", BucketRecord{})
	const size, write, objects = 8 << 20, 32 << 10, 4
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i * 7 / 3)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range objects {
		st, _ := m.Stage(ctx, "bkt")
		for off := 0; off < size; off += write {
			st.Write(want[off : off+write])
		}
		st.Seal(ctx, &ObjectMeta{Key: fmt.Sprint(i)})
		commit(t, st)
	}
	runtime.ReadMemStats(&after)
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(objects*size*9/8); got > limit {
		t.Errorf("staging %d objects of %d bytes allocated %d bytes, more than %d", objects, size, got, limit)
	}
	t.Logf("staging %d objects of %d bytes allocated %d bytes", objects, size, after.TotalAlloc-before.TotalAlloc)
	data, _ := m.Open(ctx, "bkt", "0")
	got := make([]byte, size+1)
	if n, err := data.ReadAt(got, 0); n != size || err != io.EOF || !bytes.Equal(got[:n], want) {
		t.Errorf("ReadAt of the whole object: %d bytes, %v, equal %v", n, err, bytes.Equal(got[:n], want))
	}
	if n, err := data.ReadAt(got[:3], 1<<20-1); n != 3 || err != nil || !bytes.Equal(got[:3], want[memChunkSize-1:1<<20+2]) {
		t.Errorf("ReadAt across a chunk's end: %d bytes, %v", n, err)
	}
}

// TestMemoryStagedKeeps: an object staged in memory keeps about its own
// size, whatever room its last chunk had: written 32 KiB at a time, an
// object a byte past a chunk's end kept twice its size in chunks made
// for more.
func TestMemoryStagedKeeps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := NewMemory()
	m.CreateBucket(ctx, "bkt", BucketRecord{})
	for _, size := range []int{1, 32<<10 + 1, 64<<10 + 1, 1<<20 + 1, 3<<20 + 1, 3 << 20} {
		st, _ := m.Stage(ctx, "bkt")
		want := bytes.Repeat([]byte("k"), size)
		for off := 0; off < size; off += 32 << 10 {
			st.Write(want[off:min(off+32<<10, size)])
		}
		kept := 0
		for _, c := range st.(*memStaged).blobAfterSeal(t, ctx).chunks {
			kept += cap(c)
		}
		if kept > size+size/4 {
			t.Errorf("an object of %d bytes keeps %d bytes of chunks", size, kept)
		}
	}
}

// blobAfterSeal seals s and returns the blob it holds.
func (s *memStaged) blobAfterSeal(t *testing.T, ctx context.Context) memBlob {
	t.Helper()
	if err := s.Seal(ctx, &ObjectMeta{Key: "k"}); err != nil {
		t.Fatal(err)
	}
	return s.blob
}

// TestDeleteBucketRemovesLater deletes a bucket holding an upload with
// parts: the bucket is gone when DeleteBucket returns, its files are
// removed only by the Pending's Wait, so that the server can remove them
// without holding its locks, and files left by a crash before, or by a
// sync that failed, are removed by the next Load.
func TestDeleteBucketRemovesLater(t *testing.T) {
	t.Parallel()
	for _, end := range []string{"wait", "crash", "sync fails"} {
		t.Run(end, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			d := openWithUpload(t, dir)
			st, err := d.StagePart(ctx, "bkt", "u")
			if err != nil {
				t.Fatal(err)
			}
			st.Write([]byte("part"))
			if err := st.Seal(ctx, &Part{Number: 1, Size: 4, ETag: `"e"`}); err != nil {
				t.Fatal(err)
			}
			commit(t, st)
			if end == "sync fails" {
				d.InjectFaults(func(op string) error {
					if op == "syncdir" {
						return errors.New("injected sync failure")
					}
					return nil
				})
			}
			p, err := d.DeleteBucket(ctx, "bkt")
			if err != nil {
				t.Fatal(err)
			}
			buckets := filepath.Join(dir, "buckets")
			if _, err := os.Stat(filepath.Join(buckets, "bkt")); !os.IsNotExist(err) {
				t.Errorf("the bucket's directory is there once DeleteBucket returned: %v", err)
			}
			if away := filesWithPrefix(buckets, tempPrefix); len(away) == 0 {
				t.Errorf("the bucket's files were removed before its Pending was waited on")
			}
			switch end {
			case "wait":
				if err := p.Wait(); err != nil {
					t.Fatal(err)
				}
				if tmp := tempFiles(t, dir); len(tmp) > 0 {
					t.Errorf("files left once the deletion was waited on: %q", tmp)
				}
			case "sync fails":
				if err := p.Wait(); !Changed(err) || err == nil {
					t.Fatalf("Wait with the sync failing: %v, want a NotDurableError", err)
				}
				if away := filesWithPrefix(buckets, tempPrefix); len(away) != 1 {
					t.Errorf("the bucket's directory renamed away: %q; want it kept until the rename is durable", away)
				}
			}
			d.Close()
			d, err = OpenDisk(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if loaded, err := d.Load(ctx); err != nil || len(loaded) != 0 {
				t.Errorf("Load: %v, %d buckets; want none", err, len(loaded))
			}
			if tmp := tempFiles(t, dir); len(tmp) > 0 {
				t.Errorf("files of the deleted bucket left after Load: %q", tmp)
			}
		})
	}
}

// openWithUpload opens the storage in dir with the bucket "bkt" and in it
// the upload "u", of key "k", without parts.
func openWithUpload(t *testing.T, dir string) *Disk {
	t.Helper()
	d := openWithBucket(t, dir, "bkt", BucketRecord{})
	c, err := d.StageUpload(context.Background(), "bkt", &Upload{ID: "u", Object: ObjectMeta{Key: "k"}})
	if err != nil {
		t.Fatal(err)
	}
	commit(t, c)
	return d
}
