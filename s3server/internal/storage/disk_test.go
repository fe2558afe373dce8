package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tempFiles returns the temporary files under dir.
func tempFiles(t *testing.T, dir string) []string { return filesWithPrefix(dir, tempPrefix) }

// filesWithPrefix returns the files and directories under dir whose name
// starts with prefix.
func filesWithPrefix(dir, prefix string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), prefix) {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// commit makes c and waits until it is durable.
func commit(t *testing.T, c Change) {
	t.Helper()
	p, err := c.Commit(context.Background())
	if err == nil {
		err = p.Wait()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// deleteBucket deletes the bucket name and waits until its files are
// removed.
func deleteBucket(t *testing.T, d *Disk, name string) {
	t.Helper()
	p, err := d.DeleteBucket(context.Background(), name)
	if err == nil {
		err = p.Wait()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestWriteFileAtomic injects a failure in the middle of a write and
// checks that the old file is left as it was, with no temporary file;
// and that a file staged and then discarded changes nothing either.
func TestWriteFileAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	c, err := d.stageFile(ctx, bucketsDir, "f", false, write("old contents"))
	if err != nil {
		t.Fatal(err)
	}
	commit(t, c)
	injected := errors.New("injected failure")
	_, err = d.stageFile(ctx, bucketsDir, "f", false, func(w io.Writer) error {
		io.WriteString(w, "new cont")
		return injected
	})
	if !errors.Is(err, injected) {
		t.Fatalf("stageFile: %v, want the injected failure", err)
	}
	if c, err = d.stageFile(ctx, bucketsDir, "f", false, write("discarded")); err != nil {
		t.Fatal(err)
	}
	c.Discard()
	if b, _ := os.ReadFile(filepath.Join(dir, bucketsDir, "f")); string(b) != "old contents" {
		t.Errorf("after a failed write the file holds %q", b)
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
	if c, err = d.stageFile(ctx, bucketsDir, "f", false, write("new contents")); err != nil {
		t.Fatal(err)
	}
	commit(t, c)
	if b, _ := os.ReadFile(filepath.Join(dir, bucketsDir, "f")); string(b) != "new contents" {
		t.Errorf("after a write the file holds %q", b)
	}
}

// TestStagedObjectDiscarded checks that an object whose upload fails
// leaves nothing behind, and that one committed replaces the old one.
func TestStagedObjectDiscarded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateBucket(ctx, "bkt", BucketRecord{ACL: "private"}); err != nil {
		t.Fatal(err)
	}
	put := func(data string, whole bool) {
		st, err := d.Stage(ctx, "bkt")
		if err != nil {
			t.Fatal(err)
		}
		defer st.Discard()
		io.WriteString(st, data)
		if !whole {
			return // the body failed half-way
		}
		if err := st.Seal(ctx, &ObjectMeta{Key: "k", Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		commit(t, st)
	}
	put("old", true)
	put("half of the ne", false)
	objects, err := d.loadObjects("bkt")
	if err != nil || len(objects) != 1 || objects[0].Size != 3 {
		t.Fatalf("objects after a failed upload: %v %+v", err, objects)
	}
	data, err := d.Open(ctx, "bkt", "k")
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 3)
	data.ReadAt(b, 0)
	data.Close()
	if string(b) != "old" {
		t.Errorf("after a failed upload the object holds %q", b)
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
}

// TestChanged pins which storage errors mean the change was made.
func TestChanged(t *testing.T) {
	t.Parallel()
	if !Changed(nil) || !Changed(&NotDurableError{syscall.EIO}) || Changed(syscall.EROFS) || Changed(errors.New("x")) ||
		!Changed(fmt.Errorf("wrapped: %w", &NotDurableError{syscall.EIO})) {
		t.Error("changed misjudges an error")
	}
}

// TestOneStoragePerDirectory opens a data directory twice: the second
// open is refused with an error naming the directory, until the first
// is closed.
func TestOneStoragePerDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := OpenDisk(dir, nil)
	if err == nil {
		second.Close()
		first.Close()
		t.Fatal("a second storage opened a directory in use")
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "in use") {
		t.Errorf("the error does not say the directory is in use: %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatalf("the directory is still locked after Close: %v", err)
	}
	again.Close()
}

// TestOpenDiskLockFailureNamesDirectory opens a data directory whose
// lock file cannot be opened for writing (here a directory in its place;
// for a user, most often a directory not theirs, or a read-only file
// system): the error names the data directory, which "openat
// s3cors.lock: permission denied" alone does not, so that "s3cors serve"
// says which directory to fix.
func TestOpenDiskLockFailureNamesDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, lockFile), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDisk(dir, nil)
	if err == nil {
		d.Close()
		t.Fatal("opened a data directory whose lock file is a directory")
	}
	if !strings.Contains(err.Error(), "data directory "+dir+":") {
		t.Errorf("error %q does not name the data directory %s", err, dir)
	}
}

// TestContextDone checks that a method whose context is done changes
// nothing, in memory and on disk.
func TestContextDone(t *testing.T) {
	t.Parallel()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	ctx := context.Background()
	disk, err := OpenDisk(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	for name, s := range map[string]Storage{"memory": NewMemory(), "disk": disk} {
		if err := s.CreateBucket(done, "cancelled", BucketRecord{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: CreateBucket with a done context: %v", name, err)
		}
		if err := s.CreateBucket(ctx, "bkt", BucketRecord{ACL: "private"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stage(done, "bkt"); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Stage with a done context: %v", name, err)
		}
		st, err := s.Stage(ctx, "bkt")
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(st, "data")
		if err := st.Seal(ctx, &ObjectMeta{Key: "k", Size: 4}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Commit(done); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Commit with a done context: %v", name, err)
		}
		st.Discard()
		if _, err := s.Open(ctx, "bkt", "k"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: an object committed with a done context: %v", name, err)
		}
		_, stageRecord := s.StageRecord(done, "bkt", BucketRecord{})
		_, stageCORS := s.StageCORS(done, "bkt", []byte("<x/>"))
		_, deleteObject := s.DeleteObject(done, "bkt", "k")
		_, stageUpload := s.StageUpload(done, "bkt", &Upload{ID: "u"})
		_, deleteUpload := s.DeleteUpload(done, "bkt", "u")
		_, deleteBucket := s.DeleteBucket(done, "bkt")
		for op, err := range map[string]error{
			"StageRecord":  stageRecord,
			"StageCORS":    stageCORS,
			"DeleteObject": deleteObject,
			"StageUpload":  stageUpload,
			"DeleteUpload": deleteUpload,
			"DeleteBucket": deleteBucket,
		} {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %s with a done context: %v", name, op, err)
			}
		}
		// Staged with a live context, committed with a done one.
		for op, stage := range map[string]func() (Change, error){
			"StageRecord": func() (Change, error) { return s.StageRecord(ctx, "bkt", BucketRecord{ACL: "public-read"}) },
			"StageCORS":   func() (Change, error) { return s.StageCORS(ctx, "bkt", []byte("<x/>")) },
			"StageUpload": func() (Change, error) { return s.StageUpload(ctx, "bkt", &Upload{ID: "u"}) },
		} {
			c, err := stage()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Commit(done); !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %s committed with a done context: %v", name, op, err)
			}
			c.Discard()
		}
	}
	if buckets, err := disk.Load(ctx); err != nil || len(buckets) != 1 || buckets[0].Name != "bkt" || buckets[0].CORS != nil ||
		len(buckets[0].Objects) != 0 || len(buckets[0].Uploads) != 0 || buckets[0].Record.ACL != "private" {
		t.Errorf("what the disk holds after the cancelled calls: %+v %v", buckets, err)
	}
}

// TestOpenDiskDirsDurable opens a data directory that does not exist,
// two levels deep: OpenDisk makes it and its buckets directory, and a
// directory made is in its parent after a crash of the machine only once
// the parent is synced. Unsynced, a crash could lose buckets/, or the
// data directory, with every bucket made in it since, however durably.
// Each directory made must be followed by a sync (of its parent); a
// directory there already needs neither.
func TestOpenDiskDirsDurable(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "data")
	for _, tc := range []struct {
		name string
		want string
	}{
		{"new", "mkdir syncdir mkdir syncdir mkdir syncdir"},
		{"existing", ""},
	} {
		var ops []string
		d, err := openDisk(dir, nil, func(op string) error {
			if op == "mkdir" || op == "syncdir" {
				ops = append(ops, op)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		if got := strings.Join(ops, " "); got != tc.want {
			t.Errorf("%s data directory: OpenDisk made and synced %q, want %q", tc.name, got, tc.want)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, bucketsDir)); err != nil || !fi.IsDir() {
		t.Errorf("no buckets directory: %v", err)
	}
}

// openWithBucket opens a disk store in dir that holds one bucket, name,
// made with rec.
func openWithBucket(t *testing.T, dir, name string, rec BucketRecord) *Disk {
	t.Helper()
	d, err := OpenDisk(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateBucket(context.Background(), name, rec); err != nil {
		t.Fatal(err)
	}
	return d
}
