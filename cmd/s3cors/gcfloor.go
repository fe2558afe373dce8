package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// heapFloor is the heap that serve (on disk) and proxy let the garbage
// collector wait for while little of it is live. With GOGC at 100, Go
// collects once the heap has grown by as much as the last collection
// found live (plus the goroutine stacks and globals it scanned), or
// reached 4 MiB when that is more. serve keeps about 1 MiB live and
// allocates about 4 KiB a request (net/http most of it), so at 50,000
// requests a second it collected about 85 times a second, each time
// marking about 850 KB of heap and globals (a bare net/http server marks
// 350 KB). With a 16 MiB floor it collects about 14 times a second;
// servecmp measured 3.3 µs less CPU a preflight and 3.6 µs less a GET
// (about 14 %), for about 11 MiB more resident memory. Once the heap,
// stacks and globals scanned reach 16 MiB, Go's default pace applies.
//
// serve --in-memory keeps Go's default pace: its live heap holds the
// objects, and a floor's setting lags a collection behind (see gcFloor).
const heapFloor = 16 << 20

// goDefaultHeapMinimum is the heap the runtime lets grow to with GOGC
// at 100 however little is live; it scales with GOGC.
const goDefaultHeapMinimum = 4 << 20

// gcPercent returns the GOGC that lets the heap reach about floor before
// the next collection when scanned, the bytes the last collection found
// live plus the stacks and globals it scanned, is less than floor, and
// Go's default of 100 otherwise. The runtime's goal is live + scanned ×
// GOGC/100, and at least 4 MiB × GOGC/100: floor while little is live,
// at most live + floor while scanned is under floor.
func gcPercent(scanned, floor uint64) int {
	p := floor * 100 / max(scanned, goDefaultHeapMinimum)
	return int(max(p, 100))
}

// gcFloor keeps GOGC at gcPercent of what the last collection scanned: a
// cleanup attached to an object nothing refers to runs after each
// collection, reads the runtime's metrics and sets GOGC for the next.
//
// The collection that runs the cleanup has set its goal already, with
// the GOGC before: after a sudden rise of the live heap, the heap may
// reach 1 + floor/4 MiB times (5 times, with a 16 MiB floor) what is
// live before the floor's new GOGC applies, where Go's default pace
// would let it reach twice. A heap that stays small (serve on disk,
// whose cache of small objects holds 32 MiB at most, and proxy) keeps
// that bounded.
type gcFloor struct {
	floor uint64

	mu      sync.Mutex // guards the fields below
	before  int        // the GOGC before the floor's first, put back by Stop
	set     bool       // the floor has set GOGC
	percent int        // the GOGC last set
	cycles  int        // collections seen, for tests
	stopped bool
}

// gcScanned are the metrics whose sum gcPercent takes.
var gcScanned = []string{"/gc/heap/live:bytes", "/gc/scan/stack:bytes", "/gc/scan/globals:bytes"}

// lastScanned returns the sum of gcScanned: what the last collection
// found live, and the stacks and globals it scanned.
func lastScanned() uint64 {
	samples := make([]metrics.Sample, len(gcScanned))
	for i, name := range gcScanned {
		samples[i].Name = name
	}
	metrics.Read(samples)
	var scanned uint64
	for _, s := range samples {
		scanned += s.Value.Uint64()
	}
	return scanned
}

// startGCFloor keeps GOGC at gcPercent(·, floor) (see heapFloor), unless
// getenv gives GOGC or GOMEMLIMIT: a user who sets either chooses the
// collector's pace. Stop ends it.
func startGCFloor(floor uint64, getenv func(string) string) *gcFloor {
	g := &gcFloor{floor: floor, stopped: getenv("GOGC") != "" || getenv("GOMEMLIMIT") != ""}
	if !g.stopped {
		g.collected()
	}
	return g
}

// gcSentinel is the object whose collection marks the end of a cycle. It
// holds a pointer so that it is not a tiny allocation, whose cleanups
// may never run.
type gcSentinel struct{ _ *byte }

// collected sets GOGC from what the last collection scanned, and waits
// for the next collection.
func (g *gcFloor) collected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.cycles++
	// Set every time, not only on a change: whatever else set GOGC since
	// is overridden within a collection.
	g.percent = gcPercent(lastScanned(), g.floor)
	if before := debug.SetGCPercent(g.percent); !g.set {
		g.before, g.set = before, true
	}
	runtime.AddCleanup(new(gcSentinel), (*gcFloor).collected, g)
}

// Stop stops adjusting GOGC and puts back the GOGC from before the floor.
func (g *gcFloor) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.set && !g.stopped {
		debug.SetGCPercent(g.before)
	}
	g.stopped = true
}
