// Package testroot finds the files tests share at the root of the module
// (testdata/vectors, testdata/hostile), whichever package's directory the
// test runs in.
package testroot

import (
	"errors"
	"os"
	"path/filepath"
)

// Path returns the path of elem under the module root: the nearest
// directory above the working directory that holds go.mod.
func Path(elem ...string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(append([]string{dir}, elem...)...), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testroot: no go.mod above the working directory")
		}
		dir = parent
	}
}
