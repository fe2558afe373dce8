//go:build race

package s3proxy_test

// The race detector instruments allocations, so allocation counts are
// only checked without it.
const raceEnabled = true
