//go:build race

package iac_test

// The race detector makes reading 20 to 30 times slower (7 s for the 32
// MiB of nested templates TestHostile reads, 0.3 s without it), so the
// time bounds of the hostile inputs are wider with it.
const raceEnabled = true
