// Package testroot finds the files tests share at the root of the module
// (testdata/vectors, testdata/hostile), whichever package's directory the
// test runs in.
package testroot

import (
	"encoding/json"
	"errors"
	"fmt"
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

// ReadJSON decodes the JSON file elem, under the module root, into v.
func ReadJSON(v any, elem ...string) error {
	path, err := Path(elem...)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
