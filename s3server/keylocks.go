package s3server

import (
	"hash/maphash"
	"slices"
	"sync"
)

// keyLocks order what is done to one name of a bucket: an object's key,
// an upload's ID, or configName for the bucket's configuration. A change
// holds its names' locks while the storage makes it visible and the index
// follows, so that a name's changes reach both in the same order; a
// reader of an object holds its key's lock shared while it reads the
// index and opens the data, so that the two are of one version. Changes
// to other names go on meanwhile: the renames of many writers overlap.
//
// The locks are stripes shared by every bucket, chosen by a hash of the
// bucket and the name: two names sharing a stripe only wait for each
// other. A change locking two names locks their stripes in order, once
// each, so that no two changes deadlock.
type keyLocks struct {
	seed    maphash.Seed
	stripes [256]sync.RWMutex
}

// configName is the name of a bucket's configuration (CORS, ACL): no
// object key is empty.
const configName = ""

func newKeyLocks() *keyLocks { return &keyLocks{seed: maphash.MakeSeed()} }

// stripe returns the index of the lock of name in bucket.
func (k *keyLocks) stripe(bucket, name string) int {
	var h maphash.Hash
	h.SetSeed(k.seed)
	h.WriteString(bucket)
	h.WriteByte(0)
	h.WriteString(name)
	return int(h.Sum64() % uint64(len(k.stripes)))
}

// of returns the lock of name in bucket.
func (k *keyLocks) of(bucket, name string) *sync.RWMutex {
	return &k.stripes[k.stripe(bucket, name)]
}

// lock locks names of bucket for a change and returns what unlocks them.
func (k *keyLocks) lock(bucket string, names []string) (unlock func()) {
	stripes := make([]int, len(names))
	for i, name := range names {
		stripes[i] = k.stripe(bucket, name)
	}
	slices.Sort(stripes)
	stripes = slices.Compact(stripes)
	for _, i := range stripes {
		k.stripes[i].Lock()
	}
	return func() {
		for _, i := range stripes {
			k.stripes[i].Unlock()
		}
	}
}
