package main

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, c := range []struct {
		live, floor uint64
		want        int
	}{
		{0, 16 * mib, 400}, // the runtime's 4 MiB minimum, times 4
		{1 * mib, 16 * mib, 400},
		{4 * mib, 16 * mib, 400},
		{8 * mib, 16 * mib, 200},   // 8 MiB live, collected at 24
		{12 * mib, 16 * mib, 133},  // 12 MiB live, collected at 28
		{16 * mib, 16 * mib, 100},  // Go's default from here on
		{1 << 30, 16 * mib, 100},   // a large live heap is left to Go's default
		{1 * mib, 0, 100},          // no floor
		{1 * mib, 64 * mib, 1600},  // collected at 64 MiB
		{100 * mib, 64 * mib, 100}, // never below Go's default
	} {
		if got := gcPercent(c.live, c.floor); got != c.want {
			t.Errorf("gcPercent(%d MiB live, %d MiB floor) = %d, want %d", c.live/mib, c.floor/mib, got, c.want)
		}
	}
}

// gogc returns the GOGC the runtime works with.
func gogc() uint64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestGCFloor checks that the floor sets GOGC at once, follows every
// collection, and puts GOGC back when stopped. It changes the process's
// GOGC while it runs, which only makes the other tests' collections less
// frequent.
func TestGCFloor(t *testing.T) {
	before := gogc()
	g := startGCFloor(heapFloor, func(string) string { return "" })
	t.Cleanup(g.Stop)
	g.mu.Lock()
	set, cycles := g.percent, g.cycles
	g.mu.Unlock()
	if set < 100 || gogc() != uint64(set) {
		t.Fatalf("after start, GOGC = %d and the floor set %d, want them equal and at least 100", gogc(), set)
	}
	// Each collection runs the floor's cleanup, which arms the next.
	for range 3 {
		runtime.GC()
		deadline := time.Now().Add(10 * time.Second)
		for {
			g.mu.Lock()
			n := g.cycles
			g.mu.Unlock()
			if n > cycles {
				cycles = n
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no cleanup ran within 10 s of a collection: %d cycles seen", n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	g.Stop()
	if gogc() != 100 {
		t.Errorf("after Stop, GOGC = %d, want 100 (it was %d before)", gogc(), before)
	}
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if gogc() != 100 {
		t.Errorf("a collection after Stop set GOGC to %d", gogc())
	}
}

// TestGCFloorLeavesGOGCToTheUser checks that GOGC or GOMEMLIMIT in the
// environment turns the floor off.
func TestGCFloorLeavesGOGCToTheUser(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		before := gogc()
		g := startGCFloor(heapFloor, func(n string) string {
			if n == name {
				return "200"
			}
			return ""
		})
		if g.percent != 0 || gogc() != before {
			t.Errorf("with %s set, the floor set GOGC to %d (%d before)", name, gogc(), before)
		}
		g.Stop()
		if gogc() != before {
			t.Errorf("with %s set, Stop changed GOGC from %d to %d", name, before, gogc())
		}
	}
}
