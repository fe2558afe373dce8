// Package testroot finds the files tests share at the root of the module
// (testdata/vectors, testdata/hostile), whichever package's directory the
// test runs in, and the programs they drive.
package testroot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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

// RequireTool returns the path of the program name (looked up in PATH
// unless it holds a slash) once it runs with args, such as "--version".
// Otherwise the test skips, or fails when the environment variable env
// is "1", as .ci/run sets it: CI must not pass by skipping. In -short
// mode it skips: the programs are slow to start.
func RequireTool(t testing.TB, name, env string, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts " + name + ", which is slow")
	}
	path, err := exec.LookPath(name)
	if err == nil {
		err = exec.Command(path, args...).Run()
	}
	if err == nil {
		return path
	}
	if os.Getenv(env) == "1" {
		t.Fatalf("%s=1 but %s does not run: %v", env, name, err)
	}
	t.Skipf("%s does not run (%v); install it or set %s=1 to make this a failure", name, err, env)
	return ""
}

// Versitygw returns the versitygw v1.8.0 binary: $S3CORS_VERSITYGW, or
// versitygw on PATH or in GOPATH/bin. Without one the test is skipped,
// or fails under S3CORS_REQUIRE_VERSITYGW=1, which .ci/run sets after
// building it (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0).
func Versitygw(t testing.TB) string {
	t.Helper()
	candidates := []string{os.Getenv("S3CORS_VERSITYGW")}
	if p, err := exec.LookPath("versitygw"); err == nil {
		candidates = append(candidates, p)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		candidates = append(candidates, filepath.Join(strings.TrimSpace(string(out)), "bin", "versitygw"))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		// go install leaves the version out of --version; the build
		// information has it.
		if out, err := exec.Command("go", "version", "-m", c).Output(); err == nil &&
			versitygwModule.Match(out) {
			return c
		}
	}
	msg := "no versitygw v1.8.0 (GOBIN=DIR go install github.com/versity/versitygw/cmd/versitygw@v1.8.0; put DIR on PATH or set S3CORS_VERSITYGW)"
	if os.Getenv("S3CORS_REQUIRE_VERSITYGW") == "1" {
		t.Fatal("S3CORS_REQUIRE_VERSITYGW=1 but " + msg)
	}
	t.Skip(msg + "; S3CORS_REQUIRE_VERSITYGW=1 makes this a failure")
	return ""
}

// versitygwModule matches the line of go version -m's output that names
// versitygw v1.8.0's module.
var versitygwModule = regexp.MustCompile(`(?m)^\s+mod\s+github.com/versity/versitygw\s+v1\.8\.0\s`)
