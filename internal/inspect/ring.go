package inspect

import "sync"

// ring keeps the last events, each with an id one more than the one
// before, the first 1.
type ring struct {
	mu     sync.Mutex
	events []*event // events[id % len] holds event id while it is kept
	last   uint64   // the id of the newest event, 0 before the first
}

func newRing(capacity int) *ring { return &ring{events: make([]*event, capacity)} }

// add numbers e and keeps it, dropping the oldest event when full.
func (r *ring) add(e *event) {
	r.mu.Lock()
	r.last++
	e.id = r.last
	r.events[e.id%uint64(len(r.events))] = e
	r.mu.Unlock()
}

// oldest returns the id of the oldest event kept; last+1 when none is.
// r.mu must be held.
func (r *ring) oldest() uint64 {
	if n := uint64(len(r.events)); r.last > n {
		return r.last - n + 1
	}
	return 1
}

// after returns, oldest first, the newest max of the events kept whose
// id is over id, and how many events over id it leaves out: those that
// left the ring, and older ones past max. An id at or past the newest
// returns none.
func (r *ring) after(id uint64, max int) (events []*event, skipped uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	first, last, skipped := r.span(id, max)
	for next := first; next <= last; next++ {
		events = append(events, r.events[next%uint64(len(r.events))])
	}
	return events, skipped
}

// span returns the ids of the events after returns, first to last (none
// when first > last), and how many it leaves out. r.mu must be held.
func (r *ring) span(id uint64, max int) (first, last, skipped uint64) {
	if id >= r.last {
		return 1, 0, 0 // and id+1 below cannot wrap to 0
	}
	first = id + 1
	if o := r.oldest(); first < o {
		skipped, first = o-first, o
	}
	if r.last-first+1 > uint64(max) {
		newFirst := r.last - uint64(max) + 1
		skipped += newFirst - first
		first = newFirst
	}
	return first, r.last, skipped
}

// newer is span for a reader that reads the events one by one (get): it
// holds none of them, so that an event can leave the ring meanwhile.
func (r *ring) newer(id uint64, max int) (first, last, skipped uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.span(id, max)
}

// get returns event id, or nil when it is not kept.
func (r *ring) get(id uint64) *event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id < r.oldest() || id > r.last {
		return nil
	}
	return r.events[id%uint64(len(r.events))]
}

// newest returns the id of the newest event, 0 when none was recorded.
func (r *ring) newest() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}
