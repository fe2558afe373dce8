package inspect

import (
	"math"
	"testing"
)

// FuzzRing runs a sequence of additions and reads on a ring and on a
// plain slice of every event ever added, and compares what they return:
// a read returns the newest events after an id that the ring still
// holds, at most its max, and counts the others as skipped.
// Each byte of ops is one step: an addition, or a read after an id near
// the newest with a small max.
func FuzzRing(f *testing.F) {
	f.Add(uint8(3), []byte{0, 0, 0, 0, 0, 0x81, 0x92, 0, 0xa3})
	f.Add(uint8(1), []byte{0, 0x80, 0, 0x81, 0xff})
	f.Fuzz(func(t *testing.T, capacity uint8, ops []byte) {
		size := int(capacity%8) + 1
		r := newRing(size)
		var all []*event // the reference: event i+1 at index i
		for _, op := range ops {
			if op&0x80 == 0 {
				e := &event{}
				r.add(e)
				all = append(all, e)
				if e.id != uint64(len(all)) {
					t.Fatalf("event numbered %d, want %d", e.id, len(all))
				}
				continue
			}
			// Read after an id up to 7 behind the newest (or past it).
			after := max(0, len(all)-int(op&7)+int(op>>3&1))
			limit := int(op>>4&7) + 1
			got, skipped := r.after(uint64(after), limit)
			oldest := max(1, len(all)-size+1) // the id of the oldest kept
			var want []*event
			for id := max(after+1, oldest); id <= len(all); id++ {
				want = append(want, all[id-1])
			}
			if len(want) > limit {
				want = want[len(want)-limit:]
			}
			wantSkipped := max(0, len(all)-after) - len(want)
			if len(got) != len(want) || skipped != uint64(wantSkipped) {
				t.Fatalf("after(%d, %d) with %d added, size %d: %d events, %d skipped; want %d, %d", after, limit, len(all), size, len(got), skipped, len(want), wantSkipped)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("after(%d, %d): event %d is %d, want %d", after, limit, i, got[i].id, want[i].id)
				}
			}
			for id := 0; id <= len(all)+1; id++ {
				var want *event
				if id >= oldest && id <= len(all) {
					want = all[id-1]
				}
				if got := r.get(uint64(id)); got != want {
					t.Fatalf("get(%d) with %d added, size %d: %v, want %v", id, len(all), size, got, want)
				}
			}
		}
		if got := r.newest(); got != uint64(len(all)) {
			t.Fatalf("newest() = %d, want %d", got, len(all))
		}
	})
}

// TestRingAfterLargeID: an id at or past the newest returns no event,
// the largest too, whose successor wraps to 0.
func TestRingAfterLargeID(t *testing.T) {
	t.Parallel()
	r := newRing(4)
	for range 6 {
		r.add(&event{})
	}
	for _, id := range []uint64{6, 7, 1 << 63, math.MaxUint64 - 1, math.MaxUint64} {
		if events, skipped := r.after(id, 4); len(events) != 0 || skipped != 0 {
			t.Errorf("after(%d, 4) with 6 added: %d events, %d skipped; want none", id, len(events), skipped)
		}
	}
}
