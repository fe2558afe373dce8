//go:build !race

package s3server_test

const raceEnabled = false
