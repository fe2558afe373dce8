//go:build race

package s3server_test

// The race detector instruments allocations, so allocation counts are
// only checked without it.
const raceEnabled = true
