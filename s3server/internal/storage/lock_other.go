//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package storage

import "os"

// lockDir makes the lock file of the data directory but cannot lock it:
// this system has neither flock(2) nor Windows' sharing modes, so one
// server per directory is up to the user here.
func lockDir(root *os.Root, _ string) (*os.File, error) {
	return root.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, filePerm)
}
