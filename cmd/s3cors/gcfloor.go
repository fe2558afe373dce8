package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// heapFloor is the heap that serve and proxy let grow between two
// collections however little of it is live. Go collects once the heap
// has grown by as much as survived the last collection, or reached 4 MiB
// when that is more. serve keeps about 1 MiB live and allocates about 4
// KiB a request (net/http most of it), so at 50,000 requests a second it
// collected about 85 times a second, each time marking about 850 KB of
// heap and globals (a bare net/http server marks 350 KB). With a 16 MiB
// floor it collects about 14 times a second; servecmp measured 3.3 µs
// less CPU a preflight and 3.6 µs less a GET (about 14 %), for about 11
// MiB more resident memory. A heap with 16 MiB or more live (--in-memory,
// holding objects) is collected as Go does by default.
const heapFloor = 16 << 20

// goDefaultHeapMinimum is the heap the runtime lets grow to with GOGC
// at 100 however little is live; it scales with GOGC.
const goDefaultHeapMinimum = 4 << 20

// gcPercent returns the GOGC that lets a heap with live bytes live grow
// to about live + floor before the next collection, never less than Go's
// default of 100: the runtime collects at live × (1 + GOGC/100), or at
// 4 MiB × GOGC/100 when that is more.
func gcPercent(live, floor uint64) int {
	p := floor * 100 / max(live, goDefaultHeapMinimum)
	return int(max(p, 100))
}

// gcFloor keeps GOGC at gcPercent of the heap found live by the last
// collection: a cleanup attached to an object nothing refers to runs
// after each collection, reads the live heap and sets GOGC for the next.
type gcFloor struct {
	floor uint64

	mu      sync.Mutex // guards percent, cycles, stopped
	percent int        // the GOGC last set
	cycles  int        // collections seen, for tests
	stopped bool
}

// startGCFloor keeps the process's heap growing to at least floor bytes
// between collections (see heapFloor), unless getenv gives GOGC or
// GOMEMLIMIT: a user who sets either chooses the collector's pace. Stop
// ends it and puts GOGC back to 100.
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

// collected sets GOGC from the live heap, and waits for the next
// collection.
func (g *gcFloor) collected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.cycles++
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if p := gcPercent(sample[0].Value.Uint64(), g.floor); p != g.percent {
		debug.SetGCPercent(p)
		g.percent = p
	}
	runtime.AddCleanup(new(gcSentinel), (*gcFloor).collected, g)
}

// Stop stops adjusting GOGC and sets it back to Go's default, unless
// the environment chose it.
func (g *gcFloor) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.stopped && g.percent != 0 {
		debug.SetGCPercent(100)
	}
	g.stopped = true
}
