package s3proxy

import (
	"errors"
	"io"
	"net"
	"syscall"
	"unsafe"
)

// sendsItself reports whether an answer's body may send itself to the
// client (see directBody.send): on Linux, net/http's ResponseWriter
// hands a TCP connection's bytes to the client's connection with
// splice(2), and they never enter the proxy's memory.
const sendsItself = true

// bytesReady waits until the upstream's connection c has bytes to read,
// within its read deadline, and returns how many it holds, without
// reading them; io.EOF once the upstream closed it with nothing left,
// and -1 when c is no socket, whose bytes cannot be counted.
func bytesReady(c net.Conn) (int, error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return -1, nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, nil
	}
	ready := 0
	var readyErr error
	err = rc.Read(func(fd uintptr) bool {
		var n int32
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
			readyErr = errno
			return true
		}
		if n > 0 {
			ready = int(n)
			return true
		}
		// Nothing to read: the upstream is slow, or closed the
		// connection, which a look without waiting tells apart.
		var b [1]byte
		m, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK):
			return false // wait for the upstream, within the deadline
		case err != nil:
			readyErr = err
		case m == 0:
			readyErr = io.EOF
		default:
			ready = m // came between the two looks
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	return ready, readyErr
}
