package s3server

import (
	"errors"
	"hash/crc64"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCRC64NVME(t *testing.T) {
	// The check value of CRC-64/NVME (the CRC catalogue's "123456789").
	if got := crc64.Checksum([]byte("123456789"), nvme); got != 0xae8b14860a799888 {
		t.Errorf("CRC-64/NVME check value %#x, want 0xae8b14860a799888", got)
	}
}

// tempFiles returns the temporary files under dir.
func tempFiles(t *testing.T, dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tempPrefix) {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// TestWriteFileAtomic injects a failure in the middle of a write and
// checks that the old file is left as it was, with no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	d, err := openDiskStorage(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := d.writeFile(bucketsDir, "f", write("old contents")); err != nil {
		t.Fatal(err)
	}
	injected := errors.New("injected failure")
	err = d.writeFile(bucketsDir, "f", func(w io.Writer) error {
		io.WriteString(w, "new cont")
		return injected
	})
	if !errors.Is(err, injected) {
		t.Fatalf("writeFile: %v, want the injected failure", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, bucketsDir, "f")); string(b) != "old contents" {
		t.Errorf("after a failed write the file holds %q", b)
	}
	if tmp := tempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("temporary files left: %q", tmp)
	}
	if err := d.writeFile(bucketsDir, "f", write("new contents")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, bucketsDir, "f")); string(b) != "new contents" {
		t.Errorf("after a write the file holds %q", b)
	}
}

// TestStagedObjectDiscarded checks that an object whose upload fails
// leaves nothing behind, and that one committed replaces the old one.
func TestStagedObjectDiscarded(t *testing.T) {
	dir := t.TempDir()
	d, err := openDiskStorage(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	if err := d.createBucket("bkt", bucketRecord{ACL: aclPrivate}); err != nil {
		t.Fatal(err)
	}
	put := func(data string, commit bool) {
		st, err := d.stage("bkt")
		if err != nil {
			t.Fatal(err)
		}
		defer st.discard()
		io.WriteString(st, data)
		if !commit {
			return // the body failed half-way
		}
		if err := st.seal(&objectMeta{Key: "k", Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		if err := st.commit(); err != nil {
			t.Fatal(err)
		}
	}
	put("old", true)
	put("half of the ne", false)
	objects, err := d.loadObjects("bkt")
	if err != nil || len(objects) != 1 || objects[0].Size != 3 {
		t.Fatalf("objects after a failed upload: %v %+v", err, objects)
	}
	data, err := d.open("bkt", "k")
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
