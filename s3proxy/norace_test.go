//go:build !race

package s3proxy_test

const raceEnabled = false
