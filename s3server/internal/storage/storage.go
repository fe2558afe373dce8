// Package storage keeps the buckets, objects and multipart uploads of the
// S3 endpoint behind [Storage], an interface whose methods take a
// context: in memory ([NewMemory]) or in a data directory ([OpenDisk]),
// where every change is atomic and one server at a time holds the
// directory.
package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/ascii"
)

// ObjectMeta is what is kept about an object besides its data.
// It is stored with the data, as JSON (see [ObjectMeta.MarshalJSON]).
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
	// ACL is the canned ACL the object was given, "" for private.
	ACL string `json:"acl,omitempty"`
	// Tags are the object's tags, in the order they were set.
	Tags []Tag `json:"tags,omitempty"`
	// Checksum is the object's checksum as S3 reports it, nil when it
	// has none.
	Checksum *Checksum `json:"checksum,omitempty"`
	// Parts are the sizes and checksums of the parts of an object made by
	// a multipart upload, in order; nil for an object made whole.
	Parts []PartSummary `json:"parts,omitempty"`
	// UploadID is the multipart upload that made the object, "" for
	// none. An upload still stored under this ID when the storage is
	// loaded was completed just before a crash, and is removed.
	UploadID string `json:"uploadId,omitempty"`
}

// rawText holds the values of an [ObjectMeta]'s header fields that are
// not valid UTF-8, which net/http takes (obs-text) but a JSON string
// cannot hold: encoding/json would replace their invalid bytes with
// U+FFFD, and an object would be served with other header bytes after a
// restart than before. encoding/json writes []byte in base64.
type rawText struct {
	ContentType []byte            `json:"contentType,omitempty"`
	Headers     map[string][]byte `json:"headers,omitempty"`
	Metadata    map[string][]byte `json:"metadata,omitempty"`
}

// objectMetaJSON is ObjectMeta without its methods.
type objectMetaJSON ObjectMeta

// objectMetaFile is ObjectMeta as stored: its fields, and the values
// that are not valid UTF-8 again, losslessly, under "raw". The JSON
// fields keep a readable form of them, and files written before "raw"
// existed load as they are.
type objectMetaFile struct {
	objectMetaJSON
	Raw *rawText `json:"raw,omitempty"`
}

// MarshalJSON stores m as JSON, with the header values that are not
// valid UTF-8 also under "raw", byte for byte.
func (m ObjectMeta) MarshalJSON() ([]byte, error) {
	var raw rawText
	some := false
	if !utf8.ValidString(m.ContentType) {
		raw.ContentType, some = []byte(m.ContentType), true
	}
	rawValues := func(values map[string]string) map[string][]byte {
		var r map[string][]byte
		for name, v := range values {
			if !utf8.ValidString(v) {
				if r == nil {
					r = make(map[string][]byte)
				}
				r[name], some = []byte(v), true
			}
		}
		return r
	}
	raw.Headers = rawValues(m.Headers)
	raw.Metadata = rawValues(m.Metadata)
	f := objectMetaFile{objectMetaJSON: objectMetaJSON(m)}
	if some {
		f.Raw = &raw
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads what MarshalJSON wrote, or a file of a server
// before "raw".
func (m *ObjectMeta) UnmarshalJSON(b []byte) error {
	var f objectMetaFile
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*m = ObjectMeta(f.objectMetaJSON)
	if f.Raw == nil {
		return nil
	}
	if f.Raw.ContentType != nil {
		m.ContentType = string(f.Raw.ContentType)
	}
	setRaw := func(values *map[string]string, raw map[string][]byte) {
		for name, v := range raw {
			if *values == nil {
				*values = make(map[string]string)
			}
			(*values)[name] = string(v)
		}
	}
	setRaw(&m.Headers, f.Raw.Headers)
	setRaw(&m.Metadata, f.Raw.Metadata)
	return nil
}

// Tag is one tag of an object.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Checksum is an object's checksum: its algorithm (S3's name, such as
// "CRC32"), its type ("FULL_OBJECT" or "COMPOSITE") and its value in
// base64, with "-N" after a composite one.
type Checksum struct {
	Algorithm string `json:"algorithm"`
	Type      string `json:"type"`
	Value     string `json:"value"`
}

// PartSummary is what a completed object keeps of one of its parts: its
// size, and its checksum in base64 when the upload had an algorithm.
type PartSummary struct {
	Size     int64  `json:"size"`
	Checksum string `json:"checksum,omitempty"`
}

// Upload is a multipart upload: the object it makes once completed, and
// its checksum algorithm and type ("" for none).
type Upload struct {
	ID        string    `json:"id"`
	Initiated time.Time `json:"initiated"`
	// Object holds the key and what the object is given at completion:
	// Content-Type, stored headers, metadata and tags.
	Object            ObjectMeta `json:"object"`
	ChecksumAlgorithm string     `json:"checksumAlgorithm,omitempty"`
	ChecksumType      string     `json:"checksumType,omitempty"`
}

// Part is one part of a multipart upload.
type Part struct {
	Number int `json:"number"`
	// Checksum is the part's checksum in base64, in the upload's
	// algorithm, or CRC64NVME when the upload has none.
	Checksum string `json:"checksum,omitempty"`
	// ClaimedAlgorithm and Claimed are the checksum a part of an upload
	// without an algorithm was sent with (x-amz-checksum-* or a
	// trailer), checked against its bytes: the algorithm S3 names
	// ("CRC32") and the value in base64; empty when it was sent with
	// none. A completion must list it.
	ClaimedAlgorithm string `json:"claimedAlgorithm,omitempty"`
	Claimed          string `json:"claimed,omitempty"`
	// Size, ETag (quoted, as sent in headers) and LastModified are as an
	// object's.
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"lastModified"`
}

// StoredUpload is an upload as [Storage.Load] finds it, with its parts
// by number.
type StoredUpload struct {
	Upload *Upload
	Parts  []*Part
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
	Uploads []StoredUpload
	// LeftUploads are, by key, the uploads completed into the key's
	// object that Load could not remove: the object's UploadID keeps
	// them from loading as in progress only while it is there.
	LeftUploads map[string][]string
}

// Storage keeps buckets and objects. The server holds an index of them in
// memory, which must change with the storage, in the same order, without
// the server holding a lock across the slow part of a change (syncing
// files and directories). So a change to a bucket is made in three steps:
//
//  1. Outside the server's lock, what can be written beforehand is
//     written and synced under a temporary name: an object's or a part's
//     data ([Staged], [StagedPart]), a new configuration or upload
//     ([Change]).
//  2. With the server's lock on the name changed held (the object's key,
//     the upload, the bucket's configuration), Commit makes the change
//     visible, atomically (one rename), and the server changes its index.
//     DeleteObject and DeleteUpload are this step alone, and so is
//     DeleteBucket, with the server's whole index locked.
//  3. With the lock released, the server waits on the [Pending] that step
//     returned, which makes the change durable (its directory synced,
//     the sync shared with the changes made there meanwhile), before it
//     answers.
//
// CreateBucket is durable when it returns; the server calls it holding
// no lock, and no request reaches the bucket until it has returned. The
// server calls Open with the key's lock held shared, so that a reader
// finds an object's data as the index describes it, and keeps a name's
// changes in the order its index makes them; changes to other names, and
// to other buckets, run at the same time. A change on its way while its
// bucket is deleted fails, or is made in the directory on its way out.
//
// A method that changes what is stored and fails leaves it as it was,
// unless the failure came after the change was made, only in making it
// durable (a [*NotDurableError], from CreateBucket and [Pending.Wait]):
// [Changed] tells the two apart, so that the index follows what the
// storage serves while the request still fails.
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
	// StageRecord starts replacing the bucket's record with rec.
	StageRecord(ctx context.Context, name string, rec BucketRecord) (Change, error)
	// DeleteBucket removes the bucket at once; once the Pending is
	// waited on, it is durable and the bucket's files are gone.
	DeleteBucket(ctx context.Context, name string) (Pending, error)
	// StageCORS starts replacing the bucket's CORS document with doc;
	// nil removes it.
	StageCORS(ctx context.Context, name string, doc []byte) (Change, error)
	// Stage starts writing a new object into bucket.
	Stage(ctx context.Context, bucket string) (Staged, error)
	// Open returns the data of the object key of bucket; an error
	// wrapping [fs.ErrNotExist] when there is none.
	Open(ctx context.Context, bucket, key string) (Data, error)
	DeleteObject(ctx context.Context, bucket, key string) (Pending, error)

	// StageUpload starts a new multipart upload of bucket; u.ID must
	// pass [ValidUploadID].
	StageUpload(ctx context.Context, bucket string, u *Upload) (Change, error)
	// StagePart starts writing a part of the upload id of bucket.
	StagePart(ctx context.Context, bucket, id string) (StagedPart, error)
	// OpenPart returns the data of a part; an error wrapping
	// [fs.ErrNotExist] when there is none.
	OpenPart(ctx context.Context, bucket, id string, number int) (Data, error)
	// DeleteUpload removes an upload and, once the Pending is waited
	// on, its parts.
	DeleteUpload(ctx context.Context, bucket, id string) (Pending, error)

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

// Change is a change to a bucket prepared outside the server's lock.
// Commit makes it visible, atomically, with the bucket's lock held, and
// returns what makes it durable; an error means nothing changed. Discard
// drops it; it is a no-op after Commit.
type Change interface {
	Commit(ctx context.Context) (Pending, error)
	Discard()
}

// Pending is a change made visible that may not be durable yet. Wait
// makes it durable: it waits for a sync of the directory the change was
// made in that started after the change, shared with the changes made
// there meanwhile (group commit), then finishes what the change left to
// do (removing what a deletion renamed away). Its error is a
// [*NotDurableError]: the change is made, but may not survive a crash.
// The zero Pending is durable already: nothing changed, or nothing is
// kept on disk.
type Pending struct {
	wait func() error
}

// Wait makes the change durable; see [Pending].
func (p Pending) Wait() error {
	if p.wait == nil {
		return nil
	}
	return p.wait()
}

// Staged is an object being written. Its data is written with Write and
// Append and sealed with its metadata outside the server's lock; Commit
// then makes it visible under the key.
type Staged interface {
	staging
	Seal(ctx context.Context, m *ObjectMeta) error
}

// StagedPart is a part being written, as [Staged] is an object: Commit
// makes it the part of its number, replacing any before.
type StagedPart interface {
	staging
	Seal(ctx context.Context, p *Part) error
}

// staging is what objects and parts being written share.
type staging interface {
	io.Writer
	// Append adds n bytes of d, from offset off: the data of a part or
	// of another object, copied in the kernel where it can be, or shared
	// in memory.
	Append(d Data, off, n int64) error
	Change
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

// errNoUpload is the error of reaching an upload that is not stored.
func errNoUpload(bucket, id string) error {
	return fmt.Errorf("storage: no upload %q in bucket %q: %w", id, bucket, fs.ErrNotExist)
}

// MaxUploadIDLen is the longest upload ID [ValidUploadID] takes.
const MaxUploadIDLen = 128

// ValidUploadID reports whether id can name an upload: 1 to
// [MaxUploadIDLen] letters, digits, '-' and '_', so that it is a safe
// file name as it is.
func ValidUploadID(id string) bool {
	if id == "" || len(id) > MaxUploadIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !ascii.IsLowerAlnum(c) && !('A' <= c && c <= 'Z') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
