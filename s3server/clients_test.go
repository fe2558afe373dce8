package s3server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/s3server"
)

// The upload flows of issue 11 driven by the command-line clients people
// run against S3: Debian's AWS CLI (/usr/bin/aws; CI installs the awscli
// package) and s3cmd (/usr/bin/s3cmd), against a server on disk that
// checks signatures and one that checks none. A missing client skips,
// unless S3CORS_REQUIRE_AWSCLI=1 or S3CORS_REQUIRE_S3CMD=1 makes it a
// failure, as .ci/run does.

// cliServers are the two servers every client is tried against: one that
// checks signatures, one that checks none.
func cliServers(t *testing.T) map[string]*testServer {
	return map[string]*testServer{
		"signed":    newTestServer(t, s3server.Options{DataDir: t.TempDir(), AccessKey: testAccessKey, SecretKey: testSecretKey}),
		"anonymous": newTestServer(t, s3server.Options{DataDir: t.TempDir()}),
	}
}

// runTool runs a client with a minute's limit and returns its output.
func runTool(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func mustSameFile(t *testing.T, got, want string) {
	t.Helper()
	a, err1 := os.ReadFile(got)
	b, err2 := os.ReadFile(want)
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Fatalf("%s differs from %s (%v, %v; %d and %d bytes)", got, want, err1, err2, len(a), len(b))
	}
}

// TestAWSCLIUploads: a 20 MB "aws s3 cp" up (multipart, in the CLI's 8
// MB parts) and down, "aws s3 mv", "aws s3 cp" from bucket to bucket
// (multipart copy: UploadPartCopy), s3api copy-object, put-object
// --tagging and get-object-tagging.
func TestAWSCLIUploads(t *testing.T) {
	t.Parallel()
	aws := testroot.RequireTool(t, "/usr/bin/aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	dir := t.TempDir()
	file := filepath.Join(dir, "20MB.bin")
	if err := os.WriteFile(file, randomBytes(20_000_000, 7), 0o600); err != nil {
		t.Fatal(err)
	}
	for mode, ts := range cliServers(t) {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			home := t.TempDir()
			env := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "AWS_DEFAULT_REGION=us-east-1",
				"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
			base := []string{"--endpoint-url", ts.URL, "--output", "json"}
			if mode == "signed" {
				env = append(env, "AWS_ACCESS_KEY_ID="+testAccessKey, "AWS_SECRET_ACCESS_KEY="+testSecretKey)
			} else {
				base = append(base, "--no-sign-request")
			}
			cli := func(args ...string) string { return runTool(t, env, aws, append(base, args...)...) }
			cli("s3api", "create-bucket", "--bucket", "cli-up")
			cli("s3", "cp", file, "s3://cli-up/dir/big file.bin")
			head := cli("s3api", "head-object", "--bucket", "cli-up", "--key", "dir/big file.bin")
			if !strings.Contains(head, `-3\""`) || !strings.Contains(head, `"ServerSideEncryption": "AES256"`) {
				t.Errorf("head-object after a 20 MB cp: not a 3-part object with SSE:\n%s", head)
			}
			down := filepath.Join(t.TempDir(), "down.bin")
			cli("s3", "cp", "s3://cli-up/dir/big file.bin", down)
			mustSameFile(t, down, file)
			cli("s3", "cp", "s3://cli-up/dir/big file.bin", "s3://cli-up/copied.bin")
			cli("s3", "mv", "s3://cli-up/copied.bin", "s3://cli-up/moved.bin")
			cli("s3", "cp", "s3://cli-up/moved.bin", down)
			mustSameFile(t, down, file)
			cli("s3api", "put-object", "--bucket", "cli-up", "--key", "small", "--body", file[:len(file)-len("20MB.bin")]+"20MB.bin", "--tagging", "a=b&team=s3 cors")
			cli("s3api", "copy-object", "--bucket", "cli-up", "--key", "small copy", "--copy-source", "cli-up/small")
			var tags struct{ TagSet []struct{ Key, Value string } }
			if err := json.Unmarshal([]byte(cli("s3api", "get-object-tagging", "--bucket", "cli-up", "--key", "small copy")), &tags); err != nil ||
				len(tags.TagSet) != 2 || tags.TagSet[0].Key != "a" || tags.TagSet[1].Value != "s3 cors" {
				t.Errorf("get-object-tagging of the copy: %v %+v", err, tags)
			}
			ls := cli("s3", "ls", "--recursive", "s3://cli-up")
			for _, key := range []string{"dir/big file.bin", "moved.bin", "small", "small copy"} {
				if !strings.Contains(ls, " "+key+"\n") {
					t.Errorf("aws s3 ls lacks %q:\n%s", key, ls)
				}
			}
			if strings.Contains(ls, "copied.bin") {
				t.Errorf("aws s3 mv left its source:\n%s", ls)
			}
			if uploads := cli("s3api", "list-multipart-uploads", "--bucket", "cli-up"); strings.Contains(uploads, "UploadId") {
				t.Errorf("uploads left behind:\n%s", uploads)
			}
		})
	}
}

// TestS3cmdUploads: "s3cmd put" of 20 MB (multipart, in s3cmd's 15 MB
// parts) signed with Signature Version 4 and with --signature-v2, and
// "s3cmd get" compared byte for byte.
func TestS3cmdUploads(t *testing.T) {
	t.Parallel()
	s3cmd := testroot.RequireTool(t, "/usr/bin/s3cmd", "S3CORS_REQUIRE_S3CMD", "--version")
	dir := t.TempDir()
	file := filepath.Join(dir, "20MB.bin")
	if err := os.WriteFile(file, randomBytes(20_000_000, 8), 0o600); err != nil {
		t.Fatal(err)
	}
	for mode, ts := range cliServers(t) {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			host := strings.TrimPrefix(ts.URL, "http://")
			conf := filepath.Join(t.TempDir(), "s3cfg")
			err := os.WriteFile(conf, []byte("[default]\naccess_key = "+testAccessKey+"\nsecret_key = "+testSecretKey+
				"\nhost_base = "+host+"\nhost_bucket = "+host+"\nuse_https = False\nbucket_location = us-east-1\n"), 0o600)
			if err != nil {
				t.Fatal(err)
			}
			env := []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
			run := func(args ...string) string { return runTool(t, env, s3cmd, append([]string{"-c", conf}, args...)...) }
			run("mb", "s3://s3cmd-up")
			for _, sig := range [][]string{nil, {"--signature-v2"}} {
				key := "s3://s3cmd-up/v4.bin"
				if sig != nil {
					key = "s3://s3cmd-up/v2.bin"
				}
				run(append(sig, "put", file, key)...)
				head := ts.request("HEAD", strings.TrimPrefix(key, "s3:/"), nil)
				var r response
				if mode == "signed" {
					r = ts.signed(head, nil)
				} else {
					r = ts.send(head)
				}
				if etag := r.Header.Get("ETag"); r.StatusCode != 200 || !strings.HasSuffix(etag, `-2"`) {
					t.Errorf("s3cmd put %s: %s, ETag %s: not a 2-part upload", key, r.Status, etag)
				}
				down := filepath.Join(t.TempDir(), "down.bin")
				run(append(sig, "get", key, down)...)
				mustSameFile(t, down, file)
			}
			if ls := run("ls", "s3://s3cmd-up"); !strings.Contains(ls, "s3://s3cmd-up/v2.bin") || !strings.Contains(ls, "s3://s3cmd-up/v4.bin") {
				t.Errorf("s3cmd ls:\n%s", ls)
			}
		})
	}
}
