package s3server

import (
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/s3server/internal/storage"
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
	objects map[string]*storage.ObjectMeta
}
