package s3server

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/s3err"
)

// bucketState is one bucket as the server holds it. cors is read without
// a lock by the CORS middleware; the other fields are guarded by
// Server.mu.
type bucketState struct {
	name    string
	created time.Time
	acl     string
	// cors is the compiled CORS configuration, nil for none. It is
	// replaced whole, so a request sees the old or the new configuration,
	// never a mix.
	cors    atomic.Pointer[bucket.Config]
	objects map[string]*objectMeta
}

// objectMeta is what the server keeps about an object besides its data.
// It is stored with the data, as JSON.
type objectMeta struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // quoted, as sent in headers
	LastModified time.Time `json:"lastModified"`
	ContentType  string    `json:"contentType"`
	// Headers are the standard headers S3 stores with an object
	// (Cache-Control, Content-Disposition, ...), by canonical name.
	Headers map[string]string `json:"headers,omitempty"`
	// Metadata are the x-amz-meta-* headers, by lower-case name with the
	// prefix.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// bucketRecord is what is stored about a bucket besides its CORS
// configuration and objects.
type bucketRecord struct {
	Created time.Time `json:"created"`
	ACL     string    `json:"acl"`
}

// storedBucket is a bucket as storage.load finds it.
type storedBucket struct {
	name    string
	record  bucketRecord
	cors    []byte // the GetBucketCors document, nil for none
	objects []*objectMeta
}

// storage keeps buckets and objects. The server calls every method that
// changes what is stored, and open, with Server.mu held (exclusively for
// changes), so the index in memory and the storage agree; the slow work
// of writing an object's data happens in a stagedObject, outside the
// lock.
//
// A method that changes what is stored and fails leaves it as it was,
// unless the failure came after the change was made, only in making it
// durable (a notDurableError): [changed] tells the two apart, so that the
// index follows what the storage serves while the request still fails.
type storage interface {
	load() ([]storedBucket, error)
	createBucket(name string, rec bucketRecord) error
	writeBucket(name string, rec bucketRecord) error
	deleteBucket(name string) error
	// writeCORS stores the bucket's GetBucketCors document; nil removes it.
	writeCORS(name string, doc []byte) error
	// stage starts writing a new object into bucket.
	stage(bucket string) (stagedObject, error)
	open(bucket, key string) (objectData, error)
	deleteObject(bucket, key string) error
	close() error
}

// changed reports whether a storage method that returned err changed
// what is stored: it succeeded, or only failed to make the change
// durable.
func changed(err error) bool {
	_, ok := errors.AsType[*notDurableError](err)
	return err == nil || ok
}

// stagedObject is an object being written. Its data is written with
// Write and sealed with its metadata outside the server's lock; commit
// then makes it visible under the key, atomically, with the lock held.
// discard drops it; it is a no-op after commit.
type stagedObject interface {
	io.Writer
	seal(m *objectMeta) error
	commit() error
	discard()
}

// objectData gives access to an object's data: bytes [0, Size) of the
// ReaderAt.
type objectData interface {
	io.ReaderAt
	io.Closer
}

// memStorage keeps everything in memory.
type memStorage struct {
	mu      sync.Mutex
	buckets map[string]map[string][]byte
}

func newMemStorage() *memStorage {
	return &memStorage{buckets: make(map[string]map[string][]byte)}
}

func (m *memStorage) load() ([]storedBucket, error) { return nil, nil }

func (m *memStorage) createBucket(name string, _ bucketRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buckets[name] = make(map[string][]byte)
	return nil
}

func (m *memStorage) writeBucket(string, bucketRecord) error { return nil }
func (m *memStorage) writeCORS(string, []byte) error         { return nil }
func (m *memStorage) close() error                           { return nil }

func (m *memStorage) deleteBucket(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets, name)
	return nil
}

func (m *memStorage) stage(bucket string) (stagedObject, error) {
	return &memStaged{m: m, bucket: bucket}, nil
}

func (m *memStorage) open(bucket, key string) (objectData, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.buckets[bucket][key]
	if !ok {
		return nil, errNoSuchKey(key)
	}
	return memData{bytes.NewReader(data)}, nil
}

func (m *memStorage) deleteObject(bucket, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets[bucket], key)
	return nil
}

type memData struct{ *bytes.Reader }

func (memData) Close() error { return nil }

type memStaged struct {
	m      *memStorage
	bucket string
	key    string
	buf    bytes.Buffer
}

func (s *memStaged) Write(p []byte) (int, error) { return s.buf.Write(p) }

func (s *memStaged) seal(meta *objectMeta) error {
	s.key = meta.Key
	return nil
}

func (s *memStaged) commit() error {
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	objects, ok := s.m.buckets[s.bucket]
	if !ok {
		return s3err.NoSuchBucket(s.bucket)
	}
	// The buffer's bytes are never written again, so readers may share them.
	objects[s.key] = s.buf.Bytes()
	return nil
}

func (s *memStaged) discard() {}
