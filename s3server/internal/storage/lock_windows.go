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
func lockDir(_ *os.Root, dir string) (*os.File, error) {
	name := filepath.Join(dir, lockFile)
	p, err := syscall.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if errors.Is(err, errorSharingViolation) {
		return nil, fmt.Errorf("the data directory %s is in use by another s3cors server (it holds %s); stop that one or give another directory", dir, lockFile)
	}
	if err != nil {
		return nil, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	return os.NewFile(uintptr(h), name), nil
}

// errorSharingViolation is Windows' ERROR_SHARING_VIOLATION, which package
// syscall does not name.
const errorSharingViolation syscall.Errno = 32
