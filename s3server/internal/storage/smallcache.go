package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"sync"
)

// Limits of the cache of small objects.
const (
	// maxCachedFile is the largest object file whose data is kept in
	// memory once read: its data, metadata and trailer.
	maxCachedFile = 64 << 10
	// cacheBudget is the most data the cache keeps, all objects together.
	cacheBudget = 32 << 20
)

// smallCache keeps the data of small objects in memory once read from
// disk, within cacheBudget, so that reading one again takes no file
// operation: a small GET costs what writing its bytes from memory does.
// An entry is dropped when its object is replaced or removed, and the
// oldest entries when the budget is spent.
//
// It relies on the server's key locks (see [Storage]): Open, which fills
// an entry, holds the key's lock shared, and the change that replaces or
// removes the object holds it exclusively, so that an entry is never
// filled with the data of an object being replaced.
type smallCache struct {
	budget  int // cacheBudget, but in tests
	mu      sync.RWMutex
	entries map[objectID]*cached
	order   []*cached // oldest first, with entries dropped since
	size    int
}

type objectID struct{ bucket, key string }

// cached is the data of one object, read as the file it came from.
type cached struct {
	id   objectID
	data []byte
}

// ReadAt reads the cached data as os.File.ReadAt reads the file: io.EOF
// with a short read, so the data reads the same from either.
func (e *cached) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("storage: negative offset")
	}
	if off >= int64(len(e.data)) {
		return 0, io.EOF
	}
	n := copy(p, e.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (*cached) Close() error { return nil }

// get returns the cached data of an object, if any; it takes the lock
// shared, so that GETs of small objects do not wait on one another.
func (c *smallCache) get(bucket, key string) (*cached, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[objectID{bucket, key}]
	return e, ok
}

// put keeps data as the object key of bucket, and returns it.
func (c *smallCache) put(bucket, key string, data []byte) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := objectID{bucket, key}
	if old, ok := c.entries[id]; ok {
		c.size -= len(old.data)
	}
	e := &cached{id, data}
	c.entries[id] = e
	c.order = append(c.order, e)
	c.size += len(data)
	for c.size > c.budget && len(c.order) > 0 {
		oldest := c.order[0]
		c.order[0] = nil
		c.order = c.order[1:]
		if c.entries[oldest.id] == oldest {
			delete(c.entries, oldest.id)
			c.size -= len(oldest.data)
		}
	}
	if len(c.order) > 2*len(c.entries)+64 {
		// Most of the queue was dropped: keep only what is cached.
		c.order = slices.DeleteFunc(c.order, func(e *cached) bool { return c.entries[e.id] != e })
	}
	return e
}

// drop forgets the object key of bucket.
func (c *smallCache) drop(bucket, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[objectID{bucket, key}]; ok {
		delete(c.entries, e.id)
		c.size -= len(e.data)
	}
}

// dropBucket forgets every object of bucket.
func (c *smallCache) dropBucket(bucket string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, e := range c.entries {
		if id.bucket == bucket {
			delete(c.entries, id)
			c.size -= len(e.data)
		}
	}
}

// readSmall returns the data of the object file f, whole, if the file is
// small enough to cache; ok is false otherwise.
func readSmall(f *os.File) (data []byte, ok bool, err error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() > maxCachedFile || fi.Size() < trailerLen {
		return nil, false, err
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil {
		return nil, false, err
	}
	n := binary.BigEndian.Uint64(b[len(b)-trailerLen:])
	if !bytes.Equal(b[len(b)-8:], []byte(trailerMagic)) || n > uint64(len(b)-trailerLen) {
		return nil, false, errors.New("storage: no object trailer")
	}
	return b[:len(b)-trailerLen-int(n)], true, nil
}
