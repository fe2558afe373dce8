//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package storage

import (
	"fmt"
	"os"
)

// lockDir makes the lock file of the data directory but cannot lock it:
// this system has neither flock(2) nor Windows' sharing modes, so one
// server per directory is up to the user here.
func lockDir(root *os.Root, dir string) (f *os.File, readOnly bool, err error) {
	f, err = root.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, false, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	return f, false, nil
}
