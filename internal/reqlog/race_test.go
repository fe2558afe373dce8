//go:build race

package reqlog

// The race detector instruments allocations, and sync.Pool drops items
// under it, so allocation counts are only checked without it.
const raceEnabled = true
