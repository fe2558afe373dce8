package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes the lock of the data directory dir: its lock file opened
// with no sharing, which Windows refuses to any other open until this one
// is closed, or the process ends.
func lockDir(_ *os.Root, dir string) (*os.File, bool, error) {
	name := filepath.Join(dir, lockFile)
	p, err := syscall.UTF16PtrFromString(name)
	if err != nil {
		return nil, false, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if errors.Is(err, errorSharingViolation) {
		return nil, false, fmt.Errorf("the data directory %s is in use by another s3cors server (it holds %s); stop that one or give another directory", dir, lockFile)
	}
	if err != nil {
		return nil, false, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	return os.NewFile(uintptr(h), name), false, nil
}

// errorSharingViolation is Windows' ERROR_SHARING_VIOLATION, which package
// syscall does not name.
const errorSharingViolation syscall.Errno = 32
