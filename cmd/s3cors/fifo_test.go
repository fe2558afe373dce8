//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipe checks that infrastructure code in a FILE that is a pipe,
// as a shell's process substitution gives ("s3cors validate <(terraform
// show -json plan.out)"), is judged as in a regular file. Its first bytes
// tell its kind; the pipe cannot be opened and read again from the start,
// as a file can: reading it again found nothing (an empty template, or no
// bucket at all, exit 0), or, for a pipe with a name, waited for ever for
// another writer.
func TestNamedPipe(t *testing.T) {
	t.Chdir(cliDir)
	plan, err := os.ReadFile("../iac/plan/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, doc string
		want      string // in standard output
	}{
		{"template", "Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedOrigins: [\"https://app.example.com\"]\n            AllowedMethods: [get]\n",
			`not-allowed: Uploads rule 1 AllowedMethod: CloudFormation refuses AllowedMethods "get"`},
		{"terraform", "resource \"aws_s3_bucket_cors_configuration\" \"uploads\" {\n  bucket = \"uploads\"\n  cors_rule {\n    allowed_origins = [\"https://app.example.com\"]\n    allowed_methods = [\"get\"]\n  }\n}\n",
			"400 InvalidRequest: aws_s3_bucket_cors_configuration.uploads rule 1: Found unsupported HTTP method in CORS config. Unsupported method is get\n"},
		// A plan larger than the first megabyte read to tell its kind.
		{"plan", string(plan) + strings.Repeat(" ", readLimit),
			`400 InvalidRequest: module.site.aws_s3_bucket_cors_configuration.this["eu"] rule 1: ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "file")
			if err := os.WriteFile(file, []byte(tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			wantCode, want, _ := runIn([]string{"validate", file}, "")
			if wantCode != exitInvalid || !strings.Contains(want, tc.want) {
				t.Fatalf("the regular file: exit %d, stdout %q; want 1 and %q", wantCode, want, tc.want)
			}
			fifo := filepath.Join(dir, "pipe")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("no named pipe: %v", err)
			}
			go func() {
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					return
				}
				defer w.Close()
				w.WriteString(tc.doc)
			}()
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runIn([]string{"validate", fifo}, "")
				done <- result{code, stdout, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				// Opened again, a named pipe waits for another writer:
				// be one, so that the test ends.
				t.Error("validate waits for the pipe to be written again")
				if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					w.Close()
				}
				r = <-done
			}
			code, stdout, stderr := r.code, r.stdout, r.stderr
			if want = strings.ReplaceAll(want, file, fifo); code != exitInvalid || stdout != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q", code, stdout, stderr, want)
			}
		})
	}
}

// TestSignalWhileReadingFlags starts serve and proxy, in processes of
// their own, with a flag naming a named pipe no one writes (--bucket
// NAME=FILE, --credentials FILE), then sends SIGTERM, as Ctrl-C or a
// service manager does while the command is still reading its flags:
// the process ends. It went on waiting for the pipe, SIGINT and SIGTERM
// already caught for the shutdown of an endpoint not yet started, until
// SIGKILL.
func TestSignalWhileReadingFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args func(fifo string) []string
	}{
		{"serve --bucket", func(fifo string) []string {
			return []string{"serve", "--in-memory", "--addr", "127.0.0.1:0", "--bucket", "uploads=" + fifo}
		}},
		{"proxy --credentials", func(fifo string) []string {
			return []string{"proxy", "--upstream", "http://127.0.0.1:1", "--addr", "127.0.0.1:0", "--credentials", fifo}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fifo := filepath.Join(t.TempDir(), "pipe")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("no named pipe: %v", err)
			}
			cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestCLIHelper$", "--"}, tc.args(fifo)...)...)
			cmd.Env = append(os.Environ(), cliHelperEnv+"=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			time.Sleep(time.Second) // in open(2) of the pipe by now
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() == 0 {
					t.Errorf("ended with %v after SIGTERM; want killed by it, or an exit status not 0", err)
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Errorf("s3cors %s did not end within 10s of SIGTERM while it waited for %s", strings.Join(tc.args(fifo), " "), fifo)
			}
		})
	}
}
