//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package s3proxy_test

import "testing"

// refusingAddr returns a loopback address nothing listens on: where
// sockets cannot be bound without listening, one freeAddr freed.
func refusingAddr(t testing.TB) string { return freeAddr(t) }
