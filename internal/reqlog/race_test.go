//go:build race

package reqlog

const raceEnabled = true
