//go:build race

package bucket_test

// The race detector instruments allocations, so allocation counts are
// only checked without it.
const raceEnabled = true
