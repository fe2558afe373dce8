//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package s3proxy

import (
	"errors"
	"net"
	"syscall"
)

// idleUsable reports whether c, a connection left idle, can take a
// request: the peer has neither closed it nor sent anything since its
// last answer (a 408 before a close, say, which would be read as the
// next request's answer). It looks without waiting and without taking
// what is there, as http.Transport, which reads idle connections all
// the time, finds out at once.
func idleUsable(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	usable := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		usable = errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK)
		return true
	})
	return err == nil && usable
}
