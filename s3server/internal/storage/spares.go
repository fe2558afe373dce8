package storage

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path"
	"strings"
	"sync"
)

// Spare object files.
const (
	// sparePrefix starts the names of spare files. It is not tempPrefix:
	// a spare is no write cut short, and is kept while the server runs.
	sparePrefix = ".s3cors-spare-"
	// maxSpares is how many spare files a directory keeps at most.
	maxSpares = 64
)

// spares are the files of small objects (and of buckets' configurations)
// that were replaced or removed, durably, kept under a spare name in their
// directory to be written again as new ones, instead of creating a file
// for each.
//
// Creating a file takes an inode, and ext4 without a journal (a common
// setting for virtual machines' scratch disks) skips, when it looks for
// a free inode, every inode freed in the last minute or more: under a
// stream of writes that replace objects, each creation scans thousands of
// them, which cost a third of the server's CPU time in the load test.
// Taking the inode of a replaced file instead frees and allocates none.
//
// Only small files become spares: no reader holds an object's open, since
// Open reads a small object whole into memory and closes it, and a
// bucket's configuration is read only when the storage is loaded; so no
// reader ever sees a spare's data change. A spare holds nothing: Load
// removes those a crash left, Close those it kept.
type spares struct {
	mu    sync.Mutex
	files map[string][]spareFile // by directory in the data directory
}

// spareFile is a spare: its name in the root the directory's files are
// reached through.
type spareFile struct {
	root *os.Root
	name string
}

// take returns a spare of dir, if there is one.
func (s *spares) take(dir string) (spareFile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files := s.files[dir]
	if len(files) == 0 {
		return spareFile{}, false
	}
	f := files[len(files)-1]
	s.files[dir] = files[:len(files)-1]
	return f, true
}

// room reports whether dir may keep another spare.
func (s *spares) room(dir string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files[dir]) < maxSpares
}

// keep adds f to dir's spares; it reports false, and keeps nothing, when
// dir has maxSpares already.
func (s *spares) keep(dir string, f spareFile) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.files[dir]) >= maxSpares {
		return false
	}
	s.files[dir] = append(s.files[dir], f)
	return true
}

// drop forgets the spares of dir and of the directories under it, which
// a deletion renamed away, and returns them.
func (s *spares) drop(dir string) []spareFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	var dropped []spareFile
	for d, files := range s.files {
		if d == dir || strings.HasPrefix(d, dir+"/") {
			dropped = append(dropped, files...)
			delete(s.files, d)
		}
	}
	return dropped
}

// spareName returns a random name under sparePrefix, for a replaced
// file kept to be written over instead of creating a new one.
func spareName() string {
	var b [12]byte
	rand.Read(b[:])
	return sparePrefix + hex.EncodeToString(b[:])
}

// retiring is a file about to be replaced or removed, linked to a spare
// name if it is small enough to be a spare and its directory has room:
// the spare is kept once the file's name no longer refers to it, durably,
// and removed otherwise. Until the directory is synced, a crash of the
// machine can bring the name back, referring to the file: a spare written
// again before then could leave the name with another object's bytes.
type retiring struct {
	d     *Disk
	dir   string
	spare spareFile // name "" for none
}

// retire links the file name, in root, of the directory dir (prefix in
// root) to a spare name, if it is small and dir has room for a spare.
func (d *Disk) retire(root *os.Root, dir, prefix, name string) retiring {
	r := retiring{d: d, dir: dir}
	fi, err := root.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxCachedFile || !d.spares.room(dir) {
		return r
	}
	spare := path.Join(prefix, spareName())
	if err := d.link(root, name, spare); err == nil {
		r.spare = spareFile{root, spare}
	}
	return r
}

// durable is done once the directory was synced after the change, with
// the sync's error: the spare is kept only if the sync succeeded.
func (r retiring) durable(err error) { r.done(err == nil) }

// done keeps the spare once the file's name no longer refers to it,
// durably (gone true), or removes it.
func (r retiring) done(gone bool) {
	if r.spare.name == "" {
		return
	}
	if !gone || !r.d.spares.keep(r.dir, r.spare) {
		r.spare.root.Remove(r.spare.name)
	}
}
