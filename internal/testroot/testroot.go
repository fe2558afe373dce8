// Package testroot finds the files tests share at the root of the module
// (testdata/vectors, testdata/hostile), whichever package's directory the
// test runs in, and the programs they drive.
package testroot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
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

// RunBoto3 runs script, saved as name, with args and the first python3
// that imports boto3: the one on PATH, or Debian's /usr/bin/python3,
// where python3-boto3 puts it. It runs with PATH and pyenv's settings, a
// HOME of its own and no AWS settings from anywhere else, so that no
// profile, proxy or endpoint of the machine's user applies, and returns
// the output, which must end with "OK". Without such a python3 the test
// skips, or fails when S3CORS_REQUIRE_BOTO3 is set, as .ci/run sets it;
// in -short mode it skips.
func RunBoto3(t testing.TB, name, script string, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts python3 and boto3")
	}
	var python string
	var errs []error
	for _, candidate := range []string{"python3", "/usr/bin/python3"} {
		p, err := exec.LookPath(candidate)
		if err == nil {
			out, cerr := exec.Command(p, "-c", "import boto3, botocore").CombinedOutput()
			if cerr == nil {
				python = p
				break
			}
			err = fmt.Errorf("%s: %s: %w", p, strings.TrimSpace(string(out)), cerr)
		}
		errs = append(errs, err)
	}
	if python == "" {
		if os.Getenv("S3CORS_REQUIRE_BOTO3") != "" {
			t.Fatal("S3CORS_REQUIRE_BOTO3 is set and there is no python3 with boto3:", errors.Join(errs...))
		}
		t.Skip("no python3 with boto3:", errors.Join(errs...))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{path}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials")}
	for _, name := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(name); ok {
			cmd.Env = append(cmd.Env, name+"="+v)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasSuffix(string(out), "OK\n") {
		t.Fatalf("boto3 running %s: %v\n%s", name, err, out)
	}
	return string(out)
}

// Boto3PresignV2 starts a script for [RunBoto3] that presigns URLs with
// Signature Version 2: it takes the endpoint, access key and secret key
// from its first three arguments into s3, a path-style boto3 client
// with signature_version "s3" that does not retry, and defines
// check(ok, what), which ends the script with FAIL and what unless ok;
// send(method, url, body), which sends a URL with http.client (which
// adds no header of its own) and returns the status and body; and
// presign(op, **params), a Signature Version 2 URL of op on bucket,
// which the script sets.
const Boto3PresignV2 = `
import http.client, sys, urllib.parse
import boto3
from botocore.config import Config

endpoint, ak, sk = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=sk,
                  region_name="us-east-1",
                  config=Config(signature_version="s3", s3={"addressing_style": "path"},
                                retries={"max_attempts": 1, "mode": "standard"}))

def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)

def send(method, url, body=b""):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.netloc)
    c.request(method, u.path + "?" + u.query, body=body)
    r = c.getresponse()
    return r.status, r.read().decode()

def presign(op, **params):
    url = s3.generate_presigned_url(op, ExpiresIn=300, Params=dict(Bucket=bucket, **params))
    check("AWSAccessKeyId=" in url and "X-Amz-" not in url, "not a SigV2 URL: " + url)
    return url
`

// Nobody is the uid and gid of the user nobody, whom file permissions
// bind as they do not bind root.
const Nobody = 65534

// WorldReadableDir returns a new directory that every user may enter and
// read, removed when t ends; t.TempDir's may be entered by its owner
// only, so a process run as [Nobody] could not reach into it.
func WorldReadableDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "s3cors-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// AsNobody returns the binary to start a process of this test binary
// from that file permissions bind, and the credential to start it with.
// Run as root, whom they do not bind, it is a copy of the binary in dir,
// which every user must be able to enter ([WorldReadableDir]: the binary
// itself may lie where nobody cannot read it), with the credential of
// [Nobody]; otherwise the binary itself and nil, the process running as
// the test does.
func AsNobody(t testing.TB, dir string) (binary string, cred *syscall.Credential) {
	t.Helper()
	if os.Geteuid() != 0 {
		return os.Args[0], nil
	}
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	binary = filepath.Join(dir, filepath.Base(os.Args[0])+"-"+strings.ReplaceAll(t.Name(), "/", "-"))
	if err := os.WriteFile(binary, self, 0o755); err != nil {
		t.Fatal(err)
	}
	return binary, &syscall.Credential{Uid: Nobody, Gid: Nobody}
}
