//go:build !linux

package s3proxy

import "net"

// sendsItself reports whether an answer's body may send itself to the
// client (see directBody.send): only on Linux, where net/http splices
// one TCP connection's bytes to another, is it worth the system calls.
const sendsItself = false

// bytesReady is never called where sendsItself is false.
func bytesReady(net.Conn) (int, error) { return -1, nil }
