package bucket

import (
	"math/bits"
	"math/rand/v2"
	"sync/atomic"
	"unsafe"

	"github.com/s3cors/s3cors/internal/ascii"
)

// joinedCache remembers, for the Access-Control-Request-Headers values a
// configuration was last asked about, S3's Access-Control-Allow-Headers
// answer: the names lower-cased and joined by ", ", which differs from
// what browsers send ("content-type,x-amz-date") as soon as they ask for
// two. Browsers repeat the same few values, so after the first preflight
// of each the answer costs no allocation.
//
// It holds joinedSlots entries at most, each for a request value of at
// most maxCachedRequest bytes, so a stream of distinct values, hostile or
// not, replaces entries and never grows it. Each slot is an atomic
// pointer to an entry that is never changed once stored: readers take no
// lock and write nothing, so preflights on many cores do not contend.
//
// Each value may take two slots, drawn from its hash; when both are
// taken, a new entry replaces one of the two at random. A fixed choice
// could cycle for good: values asked in turn that share slots each push
// out the next one's entry, in one process of five for six values
// (the audit of issue 5). Chosen at random, the entries settle, as a
// cuckoo table's do, wherever each value can have a slot of its own,
// and then no preflight among those values allocates
// (TestJoinedCacheSettles).
type joinedCache struct {
	seed  uint64 // seeds the slot hash, so that a client cannot choose values that share slots
	slots [joinedSlots]atomic.Pointer[joinedValue]
}

const (
	joinedSlotBits = 5
	joinedSlots    = 1 << joinedSlotBits
	// maxCachedRequest is the longest request value remembered. Browsers
	// send a few dozen bytes; longer values are answered without the
	// cache, as before it.
	maxCachedRequest = 256
)

// newJoinedSeed returns a seed for a new cache's slot hash.
func newJoinedSeed() uint64 { return rand.Uint64() | 1 }

// joinedValue is S3's Access-Control-Allow-Headers value for the
// Access-Control-Request-Headers value request.
type joinedValue struct {
	value   [1]string
	request string
}

// slotsOf returns the two slots request may take, from its length and its
// first and last eight bytes: a tenth of the cost of hashing every byte,
// and values a browser sends differ there. Values alike there share
// slots, which costs building their answers, never a wrong one: lookup
// compares the whole value.
func (c *joinedCache) slotsOf(request string) (int, int) {
	h := uint64(len(request))
	if len(request) >= 8 {
		h ^= ascii.Word(request) ^ bits.RotateLeft64(ascii.Word(request[len(request)-8:]), 29)
	} else {
		for i := 0; i < len(request); i++ {
			h = h<<8 | uint64(request[i])
		}
	}
	h = (h ^ c.seed) * 0x9e3779b97f4a7c15 // the best-mixed bits are the top ones
	i, j := int(h>>(64-joinedSlotBits)), int(h>>(64-2*joinedSlotBits))%joinedSlots
	if i == j {
		j = (i + 1) % joinedSlots
	}
	return i, j
}

// lookup returns the remembered answer to request, or nil.
func (c *joinedCache) lookup(request string) []string {
	i, j := c.slotsOf(request)
	if v := c.slots[i].Load(); v != nil && v.request == request {
		return v.value[:]
	}
	if v := c.slots[j].Load(); v != nil && v.request == request {
		return v.value[:]
	}
	return nil
}

// store remembers v in one of its two slots: a free one, else either at
// random.
func (c *joinedCache) store(v *joinedValue) {
	i, j := c.slotsOf(v.request)
	switch {
	case c.slots[i].Load() == nil:
	case c.slots[j].Load() == nil || rand.Uint32()&1 == 0:
		i = j
	}
	c.slots[i].Store(v)
}

// newJoinedValue builds S3's answer to acrh, whose names are names and
// whose answer is size bytes long. With keep, a copy of acrh is made too,
// to be the cache's key: the entry then refers to nothing of the
// request's.
//
// The entry, its value's bytes and the copy of acrh share one allocation,
// in one of five sizes, so that building an answer costs one allocation
// whether it is remembered or not. The bytes are never written once the
// strings refer to them. What unsafe buys here, measured by
// BenchmarkAllowHeaders against the plain way (joinedValueCopying:
// strings copied from a stack buffer, each an allocation of its own),
// both in one run, four times each: one allocation instead of three; for
// the two names of a browser upload 73 ns instead of 102, for ten names
// 370 ns instead of 315 (zeroing the larger allocation costs more than
// the two saved). It keeps a preflight the cache cannot answer, such as
// each of a stream of distinct values, at the one allocation TestAllocs
// holds it to.
func newJoinedValue(acrh string, names []nameSpan, size int, keep bool) *joinedValue {
	n := size
	if keep {
		n += len(acrh)
	}
	// Sizes a power of two apart waste at most half of an allocation,
	// which is zeroed when it is made.
	switch {
	case n <= 64:
		return fillJoined[[64]byte](acrh, names, keep)
	case n <= 128:
		return fillJoined[[128]byte](acrh, names, keep)
	case n <= 256:
		return fillJoined[[256]byte](acrh, names, keep)
	case n <= 512:
		return fillJoined[[512]byte](acrh, names, keep)
	case n <= 3*maxCachedRequest:
		return fillJoined[[3 * maxCachedRequest]byte](acrh, names, keep)
	}
	// Only a value too long to remember gets here: keep is false.
	return &joinedValue{value: [1]string{string(appendLowerNames(make([]byte, 0, size), acrh, names))}}
}

// fillJoined is newJoinedValue for one size of buffer, which must hold
// the answer and, with keep, acrh.
func fillJoined[Buf [64]byte | [128]byte | [256]byte | [512]byte | [3 * maxCachedRequest]byte](acrh string, names []nameSpan, keep bool) *joinedValue {
	v := new(struct {
		joinedValue
		buf Buf
	})
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&v.buf)), len(v.buf))
	b := appendLowerNames(buf[:0], acrh, names)
	v.value[0] = unsafe.String(unsafe.SliceData(b), len(b))
	if keep {
		k := append(buf[len(b):len(b)], acrh...)
		v.request = unsafe.String(unsafe.SliceData(k), len(k))
	}
	return &v.joinedValue
}
