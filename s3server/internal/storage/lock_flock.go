//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package storage

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes the lock of the data directory dir, opened as root: an
// exclusive flock(2) on its lock file, which the kernel releases when the
// process ends, however it ends, so a crash never leaves a stale lock.
// flock locks conflict between any two opens, in one process or two.
func lockDir(root *os.Root, dir string) (*os.File, error) {
	f, err := root.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("the data directory %s is in use by another s3cors server (it holds %s); stop that one or give another directory", dir, lockFile)
		}
		return nil, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	return f, nil
}
