package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, c := range []struct {
		scanned, floor uint64
		want           int
	}{
		{0, 16 * mib, 400}, // the runtime's 4 MiB minimum, times 4: 16 MiB
		{1 * mib, 16 * mib, 400},
		{4 * mib, 16 * mib, 400},
		{8 * mib, 16 * mib, 200},   // collected at live + 16 MiB
		{12 * mib, 16 * mib, 133},  // the same, rounded down
		{16 * mib, 16 * mib, 100},  // Go's default from here on
		{1 << 30, 16 * mib, 100},   // a large heap, or many stacks, at Go's pace
		{1 * mib, 0, 100},          // no floor
		{1 * mib, 64 * mib, 1600},  // collected at 64 MiB
		{100 * mib, 64 * mib, 100}, // never below Go's default
	} {
		if got := gcPercent(c.scanned, c.floor); got != c.want {
			t.Errorf("gcPercent(%d MiB scanned, %d MiB floor) = %d, want %d", c.scanned/mib, c.floor/mib, got, c.want)
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
	cycles := func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.cycles
	}
	g.mu.Lock()
	set, now := g.percent, gogc()
	g.mu.Unlock()
	if set < 100 || now != uint64(set) {
		t.Fatalf("after start, GOGC = %d and the floor set %d, want them equal and at least 100", now, set)
	}
	// Each collection runs the floor's cleanup, which arms the next.
	seen := cycles()
	for range 3 {
		runtime.GC()
		deadline := time.Now().Add(10 * time.Second)
		for cycles() == seen {
			if time.Now().After(deadline) {
				t.Fatalf("no cleanup ran within 10 s of a collection: %d cycles seen", seen)
			}
			time.Sleep(time.Millisecond)
		}
		seen = cycles()
	}
	g.Stop()
	if gogc() != before {
		t.Errorf("after Stop, GOGC = %d, want %d as before", gogc(), before)
	}
	// The cleanup armed before Stop runs once more, and arms no other.
	for range 3 {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if n := cycles(); n != seen || gogc() != before {
		t.Errorf("after Stop, %d more cycles were seen and GOGC is %d (%d before)", n-seen, gogc(), before)
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

// TestServeGCFloor checks that serve keeps the floor on disk, not in
// memory, and puts GOGC back when it stops. GOGC is the process's, so
// the test runs alone; startGCFloor reads the real environment here.
func TestServeGCFloor(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: serve leaves the collector to them")
	}
	runtime.GC()
	if scanned := lastScanned(); scanned >= heapFloor {
		t.Skipf("the test process scans %d bytes, past the floor: serve would keep Go's pace", scanned)
	}
	before := gogc()
	limits := serveLimits
	limits.heapFloor = heapFloor
	for _, c := range []struct {
		args  []string
		floor bool
	}{
		{[]string{"--data", t.TempDir()}, true},
		{[]string{"--in-memory"}, false},
	} {
		s, cancel := startLimited(t, limits, append(c.args, "--addr", "127.0.0.1:0")...)
		if got := gogc(); c.floor && got <= before || !c.floor && got != before {
			t.Errorf("serve %v: GOGC = %d while it runs (%d before), want the floor's: %v", c.args, got, before, c.floor)
		}
		cancel()
		if code := s.wait(t); code != exitOK {
			t.Fatalf("serve %v exited with %d", c.args, code)
		}
		if got := gogc(); got != before {
			t.Errorf("serve %v: GOGC = %d after it stopped, want %d", c.args, got, before)
		}
	}
}
