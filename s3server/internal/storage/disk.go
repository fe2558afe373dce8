package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Names in the data directory (see s3server's documentation for the
// layout).
const (
	// CORSFile is the file in a bucket's directory that holds its CORS
	// configuration.
	CORSFile       = "cors.xml"
	lockFile       = "s3cors.lock"
	bucketsDir     = "buckets"
	bucketFile     = "bucket.json"
	objectsDir     = "objects"
	uploadsDir     = "uploads"
	uploadFile     = "upload.json"
	tempPrefix     = ".s3cors-tmp-"
	trailerMagic   = "s3corsO1"
	trailerLen     = 16      // JSON length (8 bytes, big-endian) + magic
	maxMetaJSONLen = 8 << 20 // far above any metadata a request can carry, 10,000 parts' checksums included
	dirPerm        = 0o700
	filePerm       = 0o600
)

// Disk keeps buckets and objects under a data directory. Every file
// operation goes through an os.Root, so that no name can reach outside
// the directory whatever it holds, and no name is ever built from a
// request: bucket names are checked before they are used, and objects are
// stored under the SHA-256 of their key.
type Disk struct {
	root *os.Root
	log  *slog.Logger
	lock *os.File // holds the directory's lock until Close
	// fault, when set, is called before each change the storage makes in
	// the directory: see InjectFaults.
	fault func(op string) error
	// syncs groups the syncs of directories after changes.
	syncs dirSyncs
	// objectRoots are the objects directories of buckets, opened on first
	// use and kept until the bucket is deleted: an object is then one
	// openat away, not one per element of its path.
	rootsMu     sync.RWMutex
	objectRoots map[string]*os.Root
	// small keeps small objects' data once read.
	small smallCache
	// spares are small objects' files kept to be written again.
	spares spares
}

// InjectFaults makes f decide the fate of each change the storage makes
// in the directory from now on: it is called before the change with op
// one of "create", "write", "sync", "rename", "link", "remove", "mkdir"
// and "syncdir", and an error it returns fails the change, as a full or
// read-only file system would. It is for tests; call it before the
// storage is in use.
func (d *Disk) InjectFaults(f func(op string) error) { d.fault = f }

// check returns the error the fault hook injects for op, if any.
func (d *Disk) check(op string) error {
	if d.fault == nil {
		return nil
	}
	return d.fault(op)
}

// The changes the storage makes in the directory, each asking the fault
// hook first.

func (d *Disk) create(r *os.Root, name string) (*os.File, error) {
	if err := d.check("create"); err != nil {
		return nil, err
	}
	return r.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
}

func (d *Disk) write(f *os.File, p []byte) (int, error) {
	if err := d.check("write"); err != nil {
		return 0, err
	}
	return f.Write(p)
}

func (d *Disk) sync(f *os.File) error {
	if err := d.check("sync"); err != nil {
		return err
	}
	return f.Sync()
}

func (d *Disk) rename(r *os.Root, from, to string) error {
	if err := d.check("rename"); err != nil {
		return err
	}
	return r.Rename(from, to)
}

func (d *Disk) link(r *os.Root, from, to string) error {
	if err := d.check("link"); err != nil {
		return err
	}
	return r.Link(from, to)
}

func (d *Disk) remove(r *os.Root, name string) error {
	if err := d.check("remove"); err != nil {
		return err
	}
	return r.Remove(name)
}

func (d *Disk) removeAll(name string) error {
	if err := d.check("remove"); err != nil {
		return err
	}
	return d.root.RemoveAll(name)
}

func (d *Disk) mkdirAll(name string) error {
	if err := d.check("mkdir"); err != nil {
		return err
	}
	return d.root.MkdirAll(name, dirPerm)
}

// makeDir makes the directory name in parent unless it is there, and
// then syncs parent: a directory made is in its parent after a crash of
// the machine only once the parent is synced, and what is made in it
// later, however durably, would be lost with it.
func (d *Disk) makeDir(parent, name string) error {
	dir := path.Join(parent, name)
	if fi, err := d.root.Stat(dir); err == nil && fi.IsDir() {
		return nil // as on a read-only file system
	}
	if err := d.check("mkdir"); err != nil {
		return err
	}
	err := d.root.Mkdir(dir, dirPerm)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return d.syncDir(parent)
}

func (d *Disk) mkdir(name string) error {
	if err := d.check("mkdir"); err != nil {
		return err
	}
	return d.root.Mkdir(name, dirPerm)
}

// fileWriter writes to f through the fault hook.
type fileWriter struct {
	d *Disk
	f *os.File
}

func (w fileWriter) Write(p []byte) (int, error) { return w.d.write(w.f, p) }

// settle makes a change made in dir durable, at once. Its error is a
// NotDurableError: the change is made whatever happens here.
func (d *Disk) settle(dir string) error {
	if err := d.syncDir(dir); err != nil {
		return &NotDurableError{err}
	}
	return nil
}

// pending returns what makes a change just made in dir durable: a sync
// of dir shared with the changes made there meanwhile, then, whatever its
// outcome, then (when not nil), with the sync's error. Its error is a
// NotDurableError.
func (d *Disk) pending(dir string, then func(error)) Pending {
	p, err := d.syncs.join(dir)
	return Pending{wait: func() error {
		if err == nil {
			err = d.syncs.wait(p)
		}
		if then != nil {
			then(err)
		}
		if err != nil {
			return &NotDurableError{err}
		}
		return nil
	}}
}

// OpenDisk opens the data directory dir, making it if missing, and takes
// its lock: one storage at a time may use a directory, and another that
// tries, in this process or another, gets an error naming it. Warnings
// about what it finds there go to log, when not nil.
func OpenDisk(dir string, log *slog.Logger) (*Disk, error) { return openDisk(dir, log, nil) }

// openDisk is OpenDisk with the fault hook set from the start (see
// InjectFaults), for tests of what it makes.
func openDisk(dir string, log *slog.Logger, fault func(op string) error) (*Disk, error) {
	d := &Disk{log: log, fault: fault, objectRoots: make(map[string]*os.Root)}
	if err := d.makeDataDir(dir); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	lock, readOnly, err := lockDir(root, dir)
	if err != nil {
		root.Close()
		return nil, err
	}
	d.root, d.lock = root, lock
	if readOnly {
		d.warn("the data directory is not writable: what it holds is served, and every change fails", "dir", dir)
	}
	if err := d.makeDir(".", bucketsDir); err != nil {
		lock.Close()
		root.Close()
		return nil, err
	}
	d.small = smallCache{budget: cacheBudget, entries: make(map[objectID]*cached)}
	d.spares.files = make(map[string][]spareFile)
	d.syncs = dirSyncs{d: d, dirs: make(map[string]*dirSync)}
	return d, nil
}

// makeDataDir makes dir, and the directories above it, where missing, as
// os.MkdirAll does, syncing the parent of each directory it makes (see
// makeDir): buckets made in it later, however durably, would be lost
// with it.
func (d *Disk) makeDataDir(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := d.makeDataDir(parent); err != nil {
			return err
		}
	}
	if err := d.check("mkdir"); err != nil {
		return err
	}
	err = os.Mkdir(dir, dirPerm)
	if errors.Is(err, fs.ErrExist) {
		return nil // made meanwhile, by another
	}
	if err != nil {
		return err
	}
	f, err := os.Open(parent)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.syncOpenDir(f)
}

// Close releases the directory and its lock, and removes the spares.
func (d *Disk) Close() error {
	for _, spare := range d.spares.drop(bucketsDir) {
		spare.root.Remove(spare.name)
	}
	d.rootsMu.Lock()
	for name, r := range d.objectRoots {
		r.Close()
		delete(d.objectRoots, name)
	}
	d.rootsMu.Unlock()
	err := d.root.Close()
	if lerr := d.lock.Close(); err == nil {
		err = lerr
	}
	return err
}

// objectsRoot returns the objects directory of bucket.
func (d *Disk) objectsRoot(bucket string) (*os.Root, error) {
	d.rootsMu.RLock()
	r := d.objectRoots[bucket]
	d.rootsMu.RUnlock()
	if r != nil {
		return r, nil
	}
	d.rootsMu.Lock()
	defer d.rootsMu.Unlock()
	if r := d.objectRoots[bucket]; r != nil {
		return r, nil
	}
	r, err := d.root.OpenRoot(objectsPath(bucket))
	if err != nil {
		return nil, err
	}
	d.objectRoots[bucket] = r
	return r, nil
}

// dropObjectsRoot closes the objects directory of a bucket renamed away.
func (d *Disk) dropObjectsRoot(bucket string) {
	d.rootsMu.Lock()
	defer d.rootsMu.Unlock()
	if r := d.objectRoots[bucket]; r != nil {
		r.Close()
		delete(d.objectRoots, bucket)
	}
}

func bucketPath(name string) string    { return path.Join(bucketsDir, name) }
func uploadsPath(bucket string) string { return path.Join(bucketsDir, bucket, uploadsDir) }
func uploadPath(bucket, id string) string {
	return path.Join(uploadsPath(bucket), id)
}

// partFileName is the name a part is stored under in its upload's
// directory.
func partFileName(number int) string   { return fmt.Sprintf("part-%05d", number) }
func objectsPath(bucket string) string { return path.Join(bucketsDir, bucket, objectsDir) }

// objectFileName is the name an object is stored under: the hex SHA-256 of
// its key, so that nothing in a key ('/', "..", NUL, any length) reaches
// the file system.
func objectFileName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// tempName returns a random name under tempPrefix for a write in
// progress: Load removes whatever a crash leaves under such a name.
func tempName() string {
	var b [12]byte
	rand.Read(b[:])
	return tempPrefix + hex.EncodeToString(b[:])
}

// syncDir makes the entries of dir durable, so that a rename into it
// survives a crash.
func (d *Disk) syncDir(dir string) error {
	f, err := d.root.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.syncOpenDir(f)
}

// syncOpenDir is syncDir of a directory already open.
func (d *Disk) syncOpenDir(f *os.File) error {
	if err := d.check("syncdir"); err != nil {
		return err
	}
	return f.Sync()
}

// stageFile starts replacing dir/name with what write writes: written
// into a temporary file in dir, or one of dir's spares when recycle is
// set, and synced; Commit renames it over the old one, which becomes a
// spare when recycle is set. A failure leaves nothing behind.
func (d *Disk) stageFile(ctx context.Context, dir, name string, recycle bool, write func(io.Writer) error) (*renamed, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tmp, f, err := d.createIn(d.root, dir, dir, recycle)
	if err != nil {
		return nil, err
	}
	err = write(fileWriter{d, f})
	if err == nil {
		err = d.sync(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(tmp)
		return nil, err
	}
	return &renamed{d: d, root: d.root, dir: dir, prefix: dir, tmp: tmp, name: path.Join(dir, name), recycle: recycle}, nil
}

// createIn creates a temporary file in dir, prefix in root, or, when
// recycle is set, opens one of dir's spares emptied, if there is one.
func (d *Disk) createIn(root *os.Root, dir, prefix string, recycle bool) (string, *os.File, error) {
	if recycle {
		if spare, ok := d.spares.take(dir); ok {
			f, err := d.reopen(spare.root, spare.name)
			if err == nil {
				return spare.name, f, nil
			}
			spare.root.Remove(spare.name)
		}
	}
	tmp := path.Join(prefix, tempName())
	f, err := d.create(root, tmp)
	return tmp, f, err
}

// reopen opens the spare name in r to be written anew, emptied.
func (d *Disk) reopen(r *os.Root, name string) (*os.File, error) {
	if err := d.check("create"); err != nil {
		return nil, err
	}
	return r.OpenFile(name, os.O_WRONLY|os.O_TRUNC, filePerm)
}

// replaceFile replaces dir/name atomically with what write writes, as
// stageFile and a rename, without syncing dir.
func (d *Disk) replaceFile(dir, name string, write func(io.Writer) error) error {
	c, err := d.stageFile(context.Background(), dir, name, false, write)
	if err != nil {
		return err
	}
	if err := d.rename(d.root, c.tmp, c.name); err != nil {
		c.Discard()
		return err
	}
	return nil
}

// renamed is a change made by renaming what was prepared under a
// temporary name (a file, or a directory) in a directory to its name
// there: tmp and name are in root, dir is that directory in the data
// directory, and prefix in root.
type renamed struct {
	d           *Disk
	root        *os.Root
	dir, prefix string
	tmp, name   string
	done        bool
	recycle     bool // the file replaced becomes a spare (see spares)
}

// Commit renames the prepared file or directory into place, the file it
// replaces kept as a spare when recycle is set; the rename is visible at
// once and durable once the Pending's sync of dir is done.
func (c *renamed) Commit(ctx context.Context) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	var old retiring
	if c.recycle {
		old = c.d.retire(c.root, c.dir, c.prefix, c.name)
	}
	if err := c.d.rename(c.root, c.tmp, c.name); err != nil {
		old.done(false)
		return Pending{}, err
	}
	c.done = true
	return c.d.pending(c.dir, old.durable), nil
}

func (c *renamed) Discard() {
	if !c.done {
		c.root.RemoveAll(c.tmp)
	}
}

// removal is a change that removes dir/name, if there is one.
type removal struct {
	d         *Disk
	dir, name string
}

// Commit removes the file, and succeeds when there was none: removing
// what is not there is no change.
func (c removal) Commit(ctx context.Context) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	err := c.d.remove(c.d.root, path.Join(c.dir, c.name))
	if errors.Is(err, fs.ErrNotExist) {
		return Pending{}, nil
	}
	if err != nil {
		return Pending{}, err
	}
	return c.d.pending(c.dir, nil), nil
}

func (removal) Discard() {}

func writeJSON(v any) func(io.Writer) error {
	return func(w io.Writer) error { return json.NewEncoder(w).Encode(v) }
}

// CreateBucket makes the bucket's directory whole (objects, uploads and
// its record) under a temporary name and renames it into place, then
// syncs the buckets directory: a crash leaves a whole bucket or none.
func (d *Disk) CreateBucket(ctx context.Context, name string, rec BucketRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The bucket is made whole under a temporary name and renamed into
	// place, so that a crash never leaves half a bucket.
	tmp := path.Join(bucketsDir, tempName())
	for _, sub := range []string{objectsDir, uploadsDir} {
		if err := d.mkdirAll(path.Join(tmp, sub)); err != nil {
			d.root.RemoveAll(tmp)
			return err
		}
	}
	err := d.replaceFile(tmp, bucketFile, writeJSON(rec))
	if err == nil {
		err = d.syncDir(tmp)
	}
	if err == nil {
		err = d.rename(d.root, tmp, bucketPath(name))
	}
	if err != nil {
		d.root.RemoveAll(tmp)
		return err
	}
	return d.settle(bucketsDir)
}

func (d *Disk) StageRecord(ctx context.Context, name string, rec BucketRecord) (Change, error) {
	return d.stageFile(ctx, bucketPath(name), bucketFile, true, writeJSON(rec))
}

// DeleteBucket renames the bucket's directory away, so that the bucket
// is gone at once, and forgets what the storage kept about it. The
// Pending syncs the buckets directory and then removes the bucket's
// files, which can take long (the parts of unfinished uploads): the
// server waits on it without holding its locks. Files it could not
// remove only draw a warning, and a crash before they are removed leaves
// them under a temporary name: the next Load removes them.
func (d *Disk) DeleteBucket(ctx context.Context, name string) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	// Renamed away first, so that the bucket disappears at once even if
	// removing its files is cut short.
	tmp := path.Join(bucketsDir, tempName())
	if err := d.rename(d.root, bucketPath(name), tmp); err != nil {
		return Pending{}, err
	}
	// Changes made in the bucket's directories from now on are in
	// another bucket's.
	d.syncs.forget(bucketPath(name))
	d.spares.drop(bucketPath(name)) // renamed away with the bucket
	d.dropObjectsRoot(name)
	d.small.dropBucket(name)
	return d.pending(bucketsDir, func(err error) {
		if err != nil {
			return // the rename may not survive a crash: the files stay with it
		}
		if err := d.removeAll(tmp); err != nil {
			// The bucket is gone already; what is left is removed when
			// a server next opens the directory.
			d.warn("could not remove a deleted bucket's files", "bucket", name, "err", err)
		}
	}), nil
}

// StageCORS prepares the bucket's CORS document, written as the client
// put it; a nil doc prepares its removal.
func (d *Disk) StageCORS(ctx context.Context, name string, doc []byte) (Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if doc == nil {
		return removal{d, bucketPath(name), CORSFile}, nil
	}
	return d.stageFile(ctx, bucketPath(name), CORSFile, true, func(w io.Writer) error {
		_, err := w.Write(doc)
		return err
	})
}

// Open returns a small object's data from memory once it has been read:
// see smallCache.
func (d *Disk) Open(ctx context.Context, bucket, key string) (Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e, ok := d.small.get(bucket, key); ok {
		return e, nil
	}
	r, err := d.objectsRoot(bucket)
	if err != nil {
		return nil, err
	}
	f, err := r.Open(objectFileName(key))
	if err != nil {
		return nil, err
	}
	data, small, err := readSmall(f)
	if err != nil || small {
		// A small object's file is never left open, so that it can
		// become a spare (see spares).
		f.Close()
		if err != nil {
			return nil, err
		}
		return d.small.put(bucket, key, data), nil
	}
	return f, nil
}

// DeleteObject removes the object's file, keeping it as a spare when it
// can, and drops its cached data. An object that is not there is no
// error: S3 answers 204 to deleting a missing key.
func (d *Disk) DeleteObject(ctx context.Context, bucket, key string) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	r, err := d.objectsRoot(bucket)
	if err != nil {
		return Pending{}, err
	}
	name := objectFileName(key)
	old := d.retire(r, objectsPath(bucket), "", name)
	err = d.remove(r, name)
	d.small.drop(bucket, key)
	if err != nil {
		old.done(false)
		if errors.Is(err, fs.ErrNotExist) {
			return Pending{}, nil
		}
		return Pending{}, err
	}
	return d.pending(objectsPath(bucket), old.durable), nil
}

// An object file holds the object's data, then its metadata as JSON, then
// the JSON's length as 8 big-endian bytes and the 8 bytes of
// trailerMagic. The data comes first so that it is written as it
// arrives; data and metadata share one file so that one rename replaces
// both. A part file has the same form, with a Part for metadata.
func (d *Disk) Stage(ctx context.Context, bucket string) (Staged, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := d.objectsRoot(bucket)
	if err != nil {
		return nil, err
	}
	s, err := d.stage(r, objectsPath(bucket), "", true)
	if err != nil {
		return nil, err
	}
	s.bucket = bucket
	return s, nil
}

// stage creates a temporary file in dir, which is the directory prefix
// names in root, or takes a spare of dir when recycle is set.
func (d *Disk) stage(root *os.Root, dir, prefix string, recycle bool) (*diskStaged, error) {
	tmp, f, err := d.createIn(root, dir, prefix, recycle)
	if err != nil {
		return nil, err
	}
	return &diskStaged{renamed: renamed{d: d, root: root, dir: dir, prefix: prefix, tmp: tmp, recycle: recycle}, f: f}, nil
}

// diskStaged is an object or a part being written: a temporary file
// renamed to its name in its directory by Commit.
type diskStaged struct {
	renamed
	bucket string // of an object
	key    string // of an object, once sealed
	f      *os.File
}

// Commit renames the object or part into place. A small object it
// replaces becomes a spare (see spares), and its cached data is dropped.
func (s *diskStaged) Commit(ctx context.Context) (Pending, error) {
	p, err := s.renamed.Commit(ctx)
	if err == nil && s.bucket != "" {
		s.d.small.drop(s.bucket, s.key)
	}
	return p, err
}

func (s *diskStaged) Write(p []byte) (int, error) { return s.d.write(s.f, p) }

// Append copies n bytes of d from off. Between two files, without a
// fault hook, the copy is the kernel's (copy_file_range), which never
// brings the bytes into this process.
func (s *diskStaged) Append(d Data, off, n int64) error {
	var w io.Writer = fileWriter{s.d, s.f}
	if s.d.fault == nil {
		w = s.f
	}
	var r io.Reader = io.NewSectionReader(d, off, n)
	if f, ok := d.(*os.File); ok {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return err
		}
		r = &io.LimitedReader{R: f, N: n}
	}
	copied, err := io.Copy(w, r)
	if err == nil && copied != n {
		err = fmt.Errorf("storage: copied %d bytes of %d: %w", copied, n, io.ErrUnexpectedEOF)
	}
	return err
}

func (s *diskStaged) Seal(ctx context.Context, m *ObjectMeta) error {
	s.key = m.Key
	return s.seal(ctx, objectFileName(m.Key), m)
}

// seal writes the trailer of meta, syncs the file and closes it; Commit
// will rename it to name in its directory.
func (s *diskStaged) seal(ctx context.Context, name string, meta any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.name = path.Join(s.prefix, name)
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	b = binary.BigEndian.AppendUint64(b, uint64(len(b)))
	b = append(b, trailerMagic...)
	if _, err := s.d.write(s.f, b); err != nil {
		return err
	}
	if err := s.d.sync(s.f); err != nil {
		return err
	}
	err = s.f.Close()
	s.f = nil
	return err
}

func (s *diskStaged) Discard() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.renamed.Discard()
}

// diskPart is a part being written: a staged file sealed with a Part.
type diskPart struct{ *diskStaged }

func (p diskPart) Seal(ctx context.Context, part *Part) error {
	return p.seal(ctx, partFileName(part.Number), part)
}

// StageUpload makes the upload's directory whole under a temporary name,
// with its upload.json, which Commit renames into place, so that a crash
// never leaves half an upload.
func (d *Disk) StageUpload(ctx context.Context, bucket string, u *Upload) (Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !ValidUploadID(u.ID) {
		return nil, fmt.Errorf("storage: %q is not an upload ID", u.ID)
	}
	// The bucket made its uploads directory (or Load did): one missing
	// is a bucket deleted, which must not be made again piecemeal.
	dir := uploadsPath(bucket)
	tmp := path.Join(dir, tempName())
	if err := d.mkdir(tmp); err != nil {
		return nil, err
	}
	err := d.replaceFile(tmp, uploadFile, writeJSON(u))
	if err == nil {
		err = d.syncDir(tmp)
	}
	if err != nil {
		d.root.RemoveAll(tmp)
		return nil, err
	}
	return &renamed{d: d, root: d.root, dir: dir, tmp: tmp, name: uploadPath(bucket, u.ID)}, nil
}

// StagePart starts writing a part in the upload's directory. An upload
// ID that is not valid or names no directory is NoSuchUpload, so a
// part never makes an upload directory of its own.
func (d *Disk) StagePart(ctx context.Context, bucket, id string) (StagedPart, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !ValidUploadID(id) {
		return nil, errNoUpload(bucket, id)
	}
	dir := uploadPath(bucket, id)
	s, err := d.stage(d.root, dir, dir, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoUpload(bucket, id)
	}
	if err != nil {
		return nil, err
	}
	return diskPart{s}, nil
}

// OpenPart opens a part's file; an invalid upload ID is NoSuchUpload
// before it can reach the file system.
func (d *Disk) OpenPart(ctx context.Context, bucket, id string, number int) (Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !ValidUploadID(id) {
		return nil, errNoUpload(bucket, id)
	}
	return d.root.Open(path.Join(uploadPath(bucket, id), partFileName(number)))
}

// DeleteUpload renames the upload's directory away first, so that the
// upload disappears at once even if removing its parts is cut short; its
// parts are removed once the rename is durable, so that a crash never
// brings back an upload with parts missing. When the sync fails, they
// are left under the temporary name, which the next Load removes: a
// crash may still undo the rename, and must then bring back the upload
// whole, not an emptied directory.
func (d *Disk) DeleteUpload(ctx context.Context, bucket, id string) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	if !ValidUploadID(id) {
		return Pending{}, errNoUpload(bucket, id)
	}
	tmp := path.Join(uploadsPath(bucket), tempName())
	if err := d.rename(d.root, uploadPath(bucket, id), tmp); err != nil {
		return Pending{}, err
	}
	d.syncs.forget(uploadPath(bucket, id))
	return d.pending(uploadsPath(bucket), func(err error) {
		if err != nil {
			return
		}
		if err := d.removeAll(tmp); err != nil {
			d.warn("could not remove an upload's parts", "bucket", bucket, "upload", id, "err", err)
		}
	}), nil
}

// Load reads every bucket, removing what interrupted writes left behind:
// temporary files and directories. A bucket directory without a readable
// bucket.json, or an object file that does not hold what its name says,
// is skipped with a warning; neither can come from this server's own
// writes, which are atomic.
func (d *Disk) Load(ctx context.Context) ([]Bucket, error) {
	names, err := d.dirNames(bucketsDir, ValidBucketName, "a bucket")
	if err != nil {
		return nil, err
	}
	var buckets []Bucket
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, ok, err := d.loadBucket(name)
		if err != nil {
			return nil, err
		}
		if ok {
			buckets = append(buckets, b)
		}
	}
	return buckets, nil
}

// dirNames returns the names of the directories in dir that valid takes
// (bucket names, upload IDs), removing what interrupted writes left
// (temporary names) and warning about any other entry, which is not
// what of the server's.
func (d *Disk) dirNames(dir string, valid func(string) bool, what string) ([]string, error) {
	entries, err := fs.ReadDir(d.root.FS(), dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, tempPrefix):
			d.removeTemp(path.Join(dir, name))
		case !e.IsDir() || !valid(name):
			d.warn("skipping an entry that is not "+what, "dir", dir, "name", name)
		default:
			names = append(names, name)
		}
	}
	return names, nil
}

// loadBucket reads one bucket at start: its record, CORS document,
// objects and uploads, removing what interrupted writes left. A bucket
// without a readable record is skipped with a warning (false), not an
// error, so that one damaged bucket does not stop the server.
func (d *Disk) loadBucket(name string) (Bucket, bool, error) {
	b := Bucket{Name: name}
	raw, err := d.root.ReadFile(path.Join(bucketPath(name), bucketFile))
	if err == nil {
		err = json.Unmarshal(raw, &b.Record)
	}
	if err != nil {
		d.warn("skipping a bucket without a readable "+bucketFile, "bucket", name, "err", err)
		return b, false, nil
	}
	if err := d.removeTemps(bucketPath(name)); err != nil {
		return b, false, err
	}
	b.CORS, err = d.root.ReadFile(path.Join(bucketPath(name), CORSFile))
	if errors.Is(err, fs.ErrNotExist) {
		b.CORS, err = nil, nil
	}
	if err != nil {
		return b, false, err
	}
	if err := d.makeDir(bucketPath(name), objectsDir); err != nil {
		return b, false, err
	}
	if err := d.removeTemps(objectsPath(name)); err != nil {
		return b, false, err
	}
	b.Objects, err = d.loadObjects(name)
	if err != nil {
		return b, false, err
	}
	b.Uploads, b.LeftUploads, err = d.loadUploads(name, b.Objects)
	return b, err == nil, err
}

// loadUploads reads the bucket's multipart uploads, removing what
// interrupted writes left and the uploads whose object was committed
// before a crash stopped their removal; it returns, by key, those it
// could not remove.
func (d *Disk) loadUploads(bucket string, objects []*ObjectMeta) ([]StoredUpload, map[string][]string, error) {
	dir := uploadsPath(bucket)
	if err := d.makeDir(bucketPath(bucket), uploadsDir); err != nil {
		return nil, nil, err
	}
	names, err := d.dirNames(dir, ValidUploadID, "an upload")
	if err != nil {
		return nil, nil, err
	}
	completed := make(map[string]string) // keys by upload ID
	for _, m := range objects {
		if m.UploadID != "" {
			completed[m.UploadID] = m.Key
		}
	}
	var uploads []StoredUpload
	var left map[string][]string
	for _, name := range names {
		if key, ok := completed[name]; ok {
			p, err := d.DeleteUpload(context.Background(), bucket, name)
			if werr := p.Wait(); err == nil {
				err = werr
			}
			if err != nil {
				d.warn("could not remove a completed upload", "bucket", bucket, "upload", name, "err", err)
				if left == nil {
					left = make(map[string][]string)
				}
				left[key] = append(left[key], name)
			}
			continue
		}
		u, ok, err := d.loadUpload(bucket, name)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			uploads = append(uploads, u)
		}
	}
	return uploads, left, nil
}

// loadUpload reads one upload and its parts at start. A part file whose
// name, number or size disagree with its trailer is skipped with a
// warning; an upload without upload.json, left by an interrupted
// deletion, is removed.
func (d *Disk) loadUpload(bucket, id string) (StoredUpload, bool, error) {
	dir := uploadPath(bucket, id)
	u := StoredUpload{Upload: new(Upload)}
	raw, err := d.root.ReadFile(path.Join(dir, uploadFile))
	if err == nil {
		err = json.Unmarshal(raw, u.Upload)
	}
	if err == nil && u.Upload.ID != id {
		err = errors.New("the upload's ID is not its directory's name")
	}
	if errors.Is(err, fs.ErrNotExist) {
		// A deletion whose parts an older server removed before the
		// rename away was durable, undone by a crash: StageUpload
		// renames an upload's directory into place with its
		// upload.json, so nothing else leaves one without it.
		d.warn("removing an upload without "+uploadFile+", left by an interrupted deletion", "bucket", bucket, "upload", id)
		d.removeTemp(dir)
		return u, false, nil
	}
	if err != nil {
		d.warn("skipping an upload without a readable "+uploadFile, "bucket", bucket, "upload", id, "err", err)
		return u, false, nil
	}
	if err := d.removeTemps(dir); err != nil {
		return u, false, err
	}
	entries, err := fs.ReadDir(d.root.FS(), dir)
	if err != nil {
		return u, false, err
	}
	for _, e := range entries {
		if e.Name() == uploadFile {
			continue
		}
		p := new(Part)
		size, err := d.readTrailer(path.Join(dir, e.Name()), p)
		switch {
		case err != nil:
		case partFileName(p.Number) != e.Name():
			err = errors.New("the file's name is not that of the part it holds")
		case p.Size != size:
			err = fmt.Errorf("the part says %d bytes of data, the file holds %d", p.Size, size)
		}
		if err != nil {
			d.warn("skipping an unreadable part file", "bucket", bucket, "upload", id, "file", e.Name(), "err", err)
			continue
		}
		u.Parts = append(u.Parts, p)
	}
	return u, true, nil
}

// removeTemps removes the temporary files and spares in dir: at start
// both are left over, since spares are only kept while a server runs.
func (d *Disk) removeTemps(dir string) error {
	entries, err := fs.ReadDir(d.root.FS(), dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) || strings.HasPrefix(e.Name(), sparePrefix) {
			d.removeTemp(path.Join(dir, e.Name()))
		}
	}
	return nil
}

// removeTemp removes what an interrupted write left. A failure, on a
// read-only directory say, is only warned about: the server can still
// serve what is there, and it never reads a temporary file as an object,
// as its name is not the hash of a key.
func (d *Disk) removeTemp(name string) {
	if err := d.root.RemoveAll(name); err != nil {
		d.warn("could not remove a temporary file", "file", name, "err", err)
	}
}

// loadObjects reads the metadata of every object file of the bucket,
// skipping with a warning a file that is not one or whose name is not
// the hash of the key it holds.
func (d *Disk) loadObjects(bucket string) ([]*ObjectMeta, error) {
	dir := objectsPath(bucket)
	entries, err := fs.ReadDir(d.root.FS(), dir)
	if err != nil {
		return nil, err
	}
	var objects []*ObjectMeta
	for _, e := range entries {
		m, err := d.readMeta(path.Join(dir, e.Name()))
		if err == nil && objectFileName(m.Key) != e.Name() {
			err = errors.New("the file's name is not the hash of the key it holds")
		}
		if err != nil {
			d.warn("skipping an unreadable object file", "bucket", bucket, "file", e.Name(), "err", err)
			continue
		}
		objects = append(objects, m)
	}
	return objects, nil
}

// readMeta reads the metadata at the end of an object file and checks
// that it accounts for the file's size.
func (d *Disk) readMeta(name string) (*ObjectMeta, error) {
	m := new(ObjectMeta)
	size, err := d.readTrailer(name, m)
	if err != nil {
		return nil, err
	}
	if m.Size != size {
		return nil, fmt.Errorf("the metadata says %d bytes of data, the file holds %d", m.Size, size)
	}
	return m, nil
}

// readTrailer reads the metadata at the end of an object or part file
// into v, and returns the size of the data before it.
func (d *Disk) readTrailer(name string, v any) (int64, error) {
	f, err := d.root.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() || fi.Size() < trailerLen {
		return 0, errors.New("not an object file")
	}
	var trailer [trailerLen]byte
	if _, err := f.ReadAt(trailer[:], fi.Size()-trailerLen); err != nil {
		return 0, err
	}
	n := binary.BigEndian.Uint64(trailer[:8])
	if string(trailer[8:]) != trailerMagic || n > maxMetaJSONLen || int64(n) > fi.Size()-trailerLen {
		return 0, errors.New("no object trailer")
	}
	raw := make([]byte, n)
	if _, err := f.ReadAt(raw, fi.Size()-trailerLen-int64(n)); err != nil {
		return 0, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return 0, err
	}
	return fi.Size() - trailerLen - int64(n), nil
}

func (d *Disk) warn(msg string, args ...any) {
	if d.log != nil {
		d.log.Warn(""+msg, args...)
	}
}
