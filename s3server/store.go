package s3server

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server/internal/storage"
)

// bucketState is one bucket as the server holds it: its index. name and
// created never change; cors is read without a lock by the CORS
// middleware; the other fields are guarded by mu, which is held only to
// read or change them in memory, never across a file operation, but to
// delete the bucket. The order of the changes to each object, upload and
// configuration is kept by Server.keys.
type bucketState struct {
	name    string
	created time.Time

	// config is held by a change of the bucket's configuration (CORS,
	// ACL) from the staging of its file until it is durable, and by
	// DeleteBucket while it renames the bucket's directory away: the
	// storage makes the change's files in the directory by its path, so
	// that a change racing the deletion could otherwise make them in the
	// directory renamed away while its files were being removed, and
	// leave them there. Objects and uploads do not wait for it.
	config sync.Mutex

	mu      sync.RWMutex
	deleted bool // removed from Server.buckets
	acl     string
	// cors is the compiled CORS configuration, nil for none. It is
	// replaced whole, so a request sees the old or the new configuration,
	// never a mix.
	cors    atomic.Pointer[bucket.Config]
	objects map[string]*object
	uploads map[string]*uploadState
	// leftUploads are, by key, the uploads completed into the key's
	// object and not yet removed from the storage (their removal may
	// have failed): the object's UploadID is what makes the next start
	// remove them, so they are removed before a change to the key
	// replaces or deletes it (see Server.makeChange).
	leftUploads map[string][]string
}

// object is an object as the index holds it: its metadata, which is
// never changed, only replaced, and the values of the headers of its
// whole GetObject answer, made on the first GET and shared by every GET
// of this version (net/http and the server only replace header values,
// never write into them).
type object struct {
	*storage.ObjectMeta
	answer atomic.Pointer[objectAnswer]
}

type objectAnswer struct {
	lastModified, etag, contentType, contentLength []string
}

func newObject(m *storage.ObjectMeta) *object { return &object{ObjectMeta: m} }

// headers returns the values of o's answer's headers.
func (o *object) headers() *objectAnswer {
	if a := o.answer.Load(); a != nil {
		return a
	}
	a := &objectAnswer{
		lastModified:  []string{o.LastModified.UTC().Format(http.TimeFormat)},
		etag:          []string{o.ETag},
		contentType:   []string{o.ContentType},
		contentLength: []string{strconv.FormatInt(o.Size, 10)},
	}
	o.answer.Store(a) // GETs racing here store equal values
	return a
}

// isDeleted reports whether b was deleted.
func (b *bucketState) isDeleted() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.deleted
}

// gone answers NoSuchBucket if b was deleted. b.mu must be held.
func (b *bucketState) gone() error {
	if b.deleted {
		return s3err.NoSuchBucket(b.name)
	}
	return nil
}

func newBucketState(name string, created time.Time, acl string) *bucketState {
	return &bucketState{name: name, created: created, acl: acl,
		objects: make(map[string]*object), uploads: make(map[string]*uploadState)}
}

// uploadState is a multipart upload as the server holds it, guarded by
// its bucket's mu like the objects.
type uploadState struct {
	*storage.Upload
	parts map[int]*storage.Part
	// completing is held by a CompleteMultipartUpload of the upload
	// from its check of the parts to its answer, so that another one
	// (an SDK's retry after a read timeout) waits, and then answers as
	// for a completion that succeeded, without joining the parts again.
	completing sync.Mutex
}

// newUploadState indexes u's parts by number: none for a new upload,
// those read back from the storage at start.
func newUploadState(u *storage.Upload, parts []*storage.Part) *uploadState {
	st := &uploadState{Upload: u, parts: make(map[int]*storage.Part, len(parts))}
	for _, p := range parts {
		st.parts[p.Number] = p
	}
	return st
}
