//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package s3proxy_test

import (
	"errors"
	"net"
	"strconv"
	"syscall"
	"testing"
)

// refusingAddr returns a loopback address that refuses connections until
// the test ends: a socket bound there, never listening, holds the port,
// which no listener can take meanwhile, as one can a port freeAddr
// freed.
func refusingAddr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
}

// TestRefusingAddr: nothing answers at refusingAddr, and no listener can
// take its port while the test runs.
func TestRefusingAddr(t *testing.T) {
	t.Parallel()
	addr := refusingAddr(t)
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatalf("a connection to %s was taken", addr)
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial %s: %v, want connection refused", addr, err)
	}
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Errorf("a listener took %s, the port refusingAddr holds", addr)
	}
}
