package storage

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"sync"
)

// Memory keeps everything in memory: nothing survives Close.
type Memory struct {
	mu      sync.Mutex
	buckets map[string]map[string][]byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{buckets: make(map[string]map[string][]byte)}
}

// Load finds nothing: a Memory starts empty.
func (m *Memory) Load(context.Context) ([]Bucket, error) { return nil, nil }

func (m *Memory) CreateBucket(ctx context.Context, name string, _ BucketRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buckets[name] = make(map[string][]byte)
	return nil
}

// WriteBucket keeps nothing: the server's index holds the record.
func (m *Memory) WriteBucket(ctx context.Context, _ string, _ BucketRecord) error { return ctx.Err() }

// WriteCORS keeps nothing: the server's index holds the configuration.
func (m *Memory) WriteCORS(ctx context.Context, _ string, _ []byte) error { return ctx.Err() }

func (m *Memory) Close() error { return nil }

func (m *Memory) DeleteBucket(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets, name)
	return nil
}

func (m *Memory) Stage(ctx context.Context, bucket string) (Staged, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &memStaged{m: m, bucket: bucket}, nil
}

func (m *Memory) Open(ctx context.Context, bucket, key string) (Data, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.buckets[bucket][key]
	if !ok {
		return nil, errNoObject(bucket, key)
	}
	return memData{bytes.NewReader(data)}, nil
}

func (m *Memory) DeleteObject(ctx context.Context, bucket, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets[bucket], key)
	return nil
}

type memData struct{ *bytes.Reader }

func (memData) Close() error { return nil }

type memStaged struct {
	m      *Memory
	bucket string
	key    string
	buf    bytes.Buffer
}

func (s *memStaged) Write(p []byte) (int, error) { return s.buf.Write(p) }

func (s *memStaged) Seal(ctx context.Context, meta *ObjectMeta) error {
	s.key = meta.Key
	return ctx.Err()
}

func (s *memStaged) Commit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	objects, ok := s.m.buckets[s.bucket]
	if !ok {
		return fmt.Errorf("storage: no bucket %q: %w", s.bucket, fs.ErrNotExist)
	}
	// The buffer's bytes are never written again, so readers may share them.
	objects[s.key] = s.buf.Bytes()
	return nil
}

func (s *memStaged) Discard() {}
