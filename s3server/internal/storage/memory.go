package storage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"
)

// Memory keeps everything in memory: nothing survives Close. An object is
// a list of byte slices that are never written once stored, so that a
// completed multipart upload, a copy or a change of tags shares the bytes
// of its parts or source instead of copying them.
type Memory struct {
	mu      sync.Mutex
	buckets map[string]*memBucket
}

type memBucket struct {
	objects map[string]memBlob
	uploads map[string]map[int]memBlob
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{buckets: make(map[string]*memBucket)}
}

// Load finds nothing: a Memory starts empty.
func (m *Memory) Load(context.Context) ([]Bucket, error) { return nil, nil }

func (m *Memory) CreateBucket(ctx context.Context, name string, _ BucketRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buckets[name] = &memBucket{objects: make(map[string]memBlob), uploads: make(map[string]map[int]memBlob)}
	return nil
}

// StageRecord keeps nothing: the server's index holds the record.
func (m *Memory) StageRecord(ctx context.Context, _ string, _ BucketRecord) (Change, error) {
	return memChange(nil), ctx.Err()
}

// StageCORS keeps nothing: the server's index holds the configuration.
func (m *Memory) StageCORS(ctx context.Context, _ string, _ []byte) (Change, error) {
	return memChange(nil), ctx.Err()
}

// memChange is a change in memory: commit makes it, if not nil.
type memChange func() error

// Commit makes the change, after checking ctx as the disk's changes do.
func (c memChange) Commit(ctx context.Context) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	if c == nil {
		return Pending{}, nil
	}
	return Pending{}, c()
}

func (memChange) Discard() {}

func (m *Memory) Close() error { return nil }

func (m *Memory) DeleteBucket(ctx context.Context, name string) (Pending, error) {
	if err := ctx.Err(); err != nil {
		return Pending{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets, name)
	return Pending{}, nil
}

func (m *Memory) Stage(ctx context.Context, bucket string) (Staged, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &memStaged{m: m, bucket: bucket}, nil
}

func (m *Memory) Open(ctx context.Context, bucket, key string) (Data, error) {
	return m.lookup(ctx, bucket, key, "", 0)
}

// lookup returns the data of the object key of bucket or, when id is not
// "", of part number of the upload id.
func (m *Memory) lookup(ctx context.Context, bucket, key, id string, number int) (Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var blob memBlob
	ok := false
	switch b := m.buckets[bucket]; {
	case b == nil:
	case id == "":
		blob, ok = b.objects[key]
	default:
		blob, ok = b.uploads[id][number]
	}
	switch {
	case ok:
		return blob, nil
	case id == "":
		return nil, errNoObject(bucket, key)
	}
	return nil, errNoUpload(bucket, id)
}

func (m *Memory) DeleteObject(ctx context.Context, bucket, key string) (Pending, error) {
	return Pending{}, m.remove(ctx, bucket, key, "")
}

// remove removes the object key of bucket or, when id is not "", the
// upload id.
func (m *Memory) remove(ctx context.Context, bucket, key, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch b := m.buckets[bucket]; {
	case b == nil:
	case id == "":
		delete(b.objects, key)
	default:
		delete(b.uploads, id)
	}
	return nil
}

// StageUpload prepares an upload with no parts; committed, it fails
// when the bucket has been deleted meanwhile.
func (m *Memory) StageUpload(ctx context.Context, bucket string, u *Upload) (Change, error) {
	return memChange(func() error {
		m.mu.Lock()
		defer m.mu.Unlock()
		b, ok := m.buckets[bucket]
		if !ok {
			return fmt.Errorf("storage: no bucket %q: %w", bucket, fs.ErrNotExist)
		}
		b.uploads[u.ID] = make(map[int]memBlob)
		return nil
	}), ctx.Err()
}

func (m *Memory) StagePart(ctx context.Context, bucket, id string) (StagedPart, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return memPart{&memStaged{m: m, bucket: bucket, id: id}}, nil
}

func (m *Memory) OpenPart(ctx context.Context, bucket, id string, number int) (Data, error) {
	return m.lookup(ctx, bucket, "", id, number)
}

func (m *Memory) DeleteUpload(ctx context.Context, bucket, id string) (Pending, error) {
	return Pending{}, m.remove(ctx, bucket, "", id)
}

// memBlob is data kept in memory: chunks that are never written again,
// starts[i] the offset of chunks[i].
type memBlob struct {
	chunks [][]byte
	starts []int64
	size   int64
}

// ReadAt copies from the chunks that hold [off, off+len(p)), found by
// binary search on their starts.
func (b memBlob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("storage: negative offset %d", off)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	i := sort.Search(len(b.starts), func(i int) bool { return b.starts[i] > off }) - 1
	n := 0
	for ; i < len(b.chunks) && n < len(p); i++ {
		n += copy(p[n:], b.chunks[i][off+int64(n)-b.starts[i]:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (memBlob) Close() error { return nil }

// add appends a chunk, sharing it.
func (b *memBlob) add(chunk []byte) {
	if len(chunk) == 0 {
		return
	}
	b.chunks = append(b.chunks, chunk)
	b.starts = append(b.starts, b.size)
	b.size += int64(len(chunk))
}

// slice appends bytes [off, off+n) of src, sharing its chunks.
func (b *memBlob) slice(src memBlob, off, n int64) {
	for i, c := range src.chunks {
		start, end := src.starts[i], src.starts[i]+int64(len(c))
		lo, hi := max(start, off), min(end, off+n)
		if lo < hi {
			b.add(c[lo-start : hi-start])
		}
	}
}

// memChunkSize is the largest chunk Write makes. Write copies each byte
// once, into a chunk made for it: a buffer grown by append copied a 64
// MiB object about five times over, and held up to twice its size while
// it grew; under the race detector that was 7 s of the 18 s the 64 MiB
// endless form TestPostObjectHostile sent took on a loaded machine
// (TestMemoryStagedAllocations).
const memChunkSize = 1 << 20

// memStaged collects an object's or a part's data: what Write gets is
// copied into chunks of its own, what Append gets is shared.
type memStaged struct {
	m      *Memory
	bucket string
	key    string // the object's
	id     string // the upload's, for a part
	number int
	blob   memBlob
	buf    []byte // written since the last chunk was added, never grown
}

// Write copies p into the current chunk and, when it is full, into new
// ones, each as large as what was written before it, at least p's
// length and at most memChunkSize: a small object takes a chunk of its
// size, a large one chunks that double up to memChunkSize.
func (s *memStaged) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == cap(s.buf) {
			s.flush()
			size := min(max(int64(len(p)), s.blob.size), memChunkSize)
			s.buf = make([]byte, 0, size)
		}
		take := min(len(p), cap(s.buf)-len(s.buf))
		s.buf = append(s.buf, p[:take]...)
		p = p[take:]
	}
	return n, nil
}

// flush adds what Write copied since the last chunk to the blob. A chunk
// less than half full, the last of an object, is copied to one of its
// length: the object keeps what it holds, not the chunk's room (a
// 65,537-byte object written 32 KiB at a time kept 131,072 bytes).
func (s *memStaged) flush() {
	if len(s.buf) < cap(s.buf)/2 {
		s.buf = bytes.Clone(s.buf)
	}
	s.blob.add(s.buf)
	s.buf = nil
}

// Append shares the chunks of a memBlob (a copy or a completed upload
// copies no bytes) and copies from any other Data.
func (s *memStaged) Append(d Data, off, n int64) error {
	s.flush()
	if src, ok := d.(memBlob); ok {
		if off+n > src.size {
			return fmt.Errorf("storage: %d bytes from %d of %d: %w", n, off, src.size, io.ErrUnexpectedEOF)
		}
		s.blob.slice(src, off, n)
		return nil
	}
	chunk := make([]byte, n)
	if _, err := d.ReadAt(chunk, off); err != nil && err != io.EOF {
		return err
	}
	s.blob.add(chunk)
	return nil
}

func (s *memStaged) Seal(ctx context.Context, meta *ObjectMeta) error {
	s.key = meta.Key
	s.flush()
	return ctx.Err()
}

func (s *memStaged) Commit(ctx context.Context) (Pending, error) {
	return memChange(s.commit).Commit(ctx)
}

// commit stores the blob as the object or part, failing when the bucket
// or the upload has been deleted meanwhile.
func (s *memStaged) commit() error {
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	b, ok := s.m.buckets[s.bucket]
	switch {
	case !ok:
		return fmt.Errorf("storage: no bucket %q: %w", s.bucket, fs.ErrNotExist)
	case s.id == "":
		b.objects[s.key] = s.blob
	default:
		parts, ok := b.uploads[s.id]
		if !ok {
			return errNoUpload(s.bucket, s.id)
		}
		parts[s.number] = s.blob
	}
	return nil
}

func (s *memStaged) Discard() {}

// memPart is a part being written.
type memPart struct{ *memStaged }

func (p memPart) Seal(ctx context.Context, part *Part) error {
	p.number = part.Number
	p.flush()
	return ctx.Err()
}
