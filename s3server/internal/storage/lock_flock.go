//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lockPatience is how long a held lock is tried again before it is taken
// as another server's: far longer than a fork-exec window, far shorter
// than a person notices.
const lockPatience = 500 * time.Millisecond

// lockDir takes the lock of the data directory dir, opened as root: an
// exclusive flock(2) on its lock file, which the kernel releases when the
// process ends, however it ends, so a crash never leaves a stale lock.
// flock locks conflict between any two opens, in one process or two.
//
// In a directory the server may not write (a read-only mount, files of
// another user), a lock file already there is opened read-only, which
// flock locks all the same, and readOnly is true: the server then serves
// what the directory holds, and every write fails. Without a lock file
// such a directory holds no data of a server's, and is refused.
func lockDir(root *os.Root, dir string) (f *os.File, readOnly bool, err error) {
	f, err = root.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, filePerm)
	if errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
		if ro, roErr := root.Open(lockFile); roErr == nil {
			f, err, readOnly = ro, nil, true
		}
	}
	if err != nil {
		// "openat s3cors.lock: permission denied" names no directory.
		return nil, false, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	// A lock just released can still be held for a moment: a child
	// process forked (by any goroutine of this process) while the lock
	// file was open holds a copy of its descriptor, and with it the lock,
	// until it execs and its close-on-exec descriptors are closed. So a
	// held lock is tried again for a short while before it counts as
	// another server's.
	deadline := time.Now().Add(lockPatience)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, fmt.Errorf("the data directory %s is in use by another s3cors server (it holds %s); stop that one or give another directory", dir, lockFile)
		}
		return nil, false, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	return f, readOnly, nil
}
