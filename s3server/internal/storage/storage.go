// Package storage keeps the buckets and objects of the S3 endpoint behind
// [Storage], an interface whose methods take a context: in memory
// ([NewMemory]) or in a data directory ([OpenDisk]), where every change
// is atomic and one server at a time holds the directory.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"
)

// ObjectMeta is what is kept about an object besides its data.
// It is stored with the data, as JSON.
type ObjectMeta struct {
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

// BucketRecord is what is stored about a bucket besides its CORS
// configuration and objects.
type BucketRecord struct {
	Created time.Time `json:"created"`
	ACL     string    `json:"acl"`
}

// Bucket is a bucket as [Storage.Load] finds it.
type Bucket struct {
	Name    string
	Record  BucketRecord
	CORS    []byte // the PutBucketCors body it was set from, nil for none
	Objects []*ObjectMeta
}

// Storage keeps buckets and objects. The server calls every method that
// changes what is stored, and Open, with its own lock held (exclusively
// for changes), so that its index in memory and the storage agree; the
// slow work of writing an object's data happens in a [Staged] object,
// outside the lock.
//
// A method that changes what is stored and fails leaves it as it was,
// unless the failure came after the change was made, only in making it
// durable (a [*NotDurableError]): [Changed] tells the two apart, so that
// the index follows what the storage serves while the request still
// fails.
//
// Every method but Close takes the request's context. One whose context
// is done before it starts a change returns the context's error and
// changes nothing; a change once started is carried through, so that
// nothing is ever left half made.
type Storage interface {
	// Load returns every bucket stored, removing what interrupted writes
	// left behind.
	Load(ctx context.Context) ([]Bucket, error)
	CreateBucket(ctx context.Context, name string, rec BucketRecord) error
	WriteBucket(ctx context.Context, name string, rec BucketRecord) error
	DeleteBucket(ctx context.Context, name string) error
	// WriteCORS stores the bucket's CORS document; nil removes it.
	WriteCORS(ctx context.Context, name string, doc []byte) error
	// Stage starts writing a new object into bucket.
	Stage(ctx context.Context, bucket string) (Staged, error)
	// Open returns the data of the object key of bucket; an error
	// wrapping [fs.ErrNotExist] when there is none.
	Open(ctx context.Context, bucket, key string) (Data, error)
	DeleteObject(ctx context.Context, bucket, key string) error
	// Close releases what the storage holds: its files, and the data
	// directory's lock.
	Close() error
}

// Changed reports whether a method of [Storage] that returned err changed
// what is stored: it succeeded, or only failed to make the change
// durable.
func Changed(err error) bool {
	_, ok := errors.AsType[*NotDurableError](err)
	return err == nil || ok
}

// Staged is an object being written. Its data is written with Write and
// sealed with its metadata outside the server's lock; Commit then makes
// it visible under the key, atomically, with the lock held. Discard drops
// it; it is a no-op after Commit.
type Staged interface {
	io.Writer
	Seal(ctx context.Context, m *ObjectMeta) error
	Commit(ctx context.Context) error
	Discard()
}

// Data gives access to an object's data: bytes [0, Size) of the
// ReaderAt.
type Data interface {
	io.ReaderAt
	io.Closer
}

// NotDurableError is the error of syncing a directory after a change in
// it was made: the change is visible, so the server's index must follow
// it, but it may not survive a crash, so the request still fails.
type NotDurableError struct{ Err error }

func (e *NotDurableError) Error() string {
	return "the change was made but may not survive a crash: " + e.Err.Error()
}

func (e *NotDurableError) Unwrap() error { return e.Err }

// errNoObject is the error of opening an object that is not stored.
func errNoObject(bucket, key string) error {
	return fmt.Errorf("storage: no object %q in bucket %q: %w", key, bucket, fs.ErrNotExist)
}
