package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// process is an s3cors command in a process of its own (the test binary
// run as TestCrashHelperServe), so that signals reach it alone.
type process struct {
	cmd    *exec.Cmd
	url    string        // the first URL its banner names
	stdout *lockedBuffer // what it printed on standard output so far
	stderr string        // the file its standard error goes to
	exited chan error
}

// startProcess runs s3cors with args in a process of its own and waits
// for the line of its banner that starts with banner, followed by its URL.
func startProcess(t *testing.T, banner string, args ...string) *process {
	t.Helper()
	p := &process{stdout: &lockedBuffer{}, stderr: filepath.Join(t.TempDir(), "stderr"), exited: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestCrashHelperServe$")
	p.cmd.Env = append(os.Environ(), crashServeEnv+"="+strings.Join(args, "\n"))
	f, err := os.Create(p.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p.cmd.Stderr = f
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.stdout.Write([]byte(sc.Text() + "\n"))
			if u, ok := strings.CutPrefix(sc.Text(), banner); ok {
				u, _, _ = strings.Cut(u, " ")
				found <- u
			}
		}
		io.Copy(io.Discard, stdout)
		p.exited <- p.cmd.Wait()
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	select {
	case p.url = <-found:
		return p
	case err := <-p.exited:
		p.exited <- err
		t.Fatalf("%s exited before printing its URL (%v):\n%s", args[0], err, p.log())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s printed no URL:\n%s", args[0], p.log())
	}
	return nil
}

// log returns what the process wrote on standard error so far.
func (p *process) log() string {
	b, _ := os.ReadFile(p.stderr)
	return string(b)
}

// signal sends sig to the process and waits until its standard error
// holds want one more time than it did.
func (p *process) signal(t *testing.T, sig syscall.Signal, want string) {
	t.Helper()
	before := strings.Count(p.log(), want)
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); strings.Count(p.log(), want) == before; {
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("the process ended on %v (%v), without logging %q:\n%s", sig, err, want, p.log())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q logged 10 s after %v:\n%s", want, sig, p.log())
		}
	}
}

// stop ends the process with SIGTERM and checks that it exits 0.
func (p *process) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.exited:
		p.exited <- err
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, p.log())
		}
	case <-time.After(40 * time.Second):
		t.Fatalf("no exit 40 s after SIGTERM:\n%s", p.log())
	}
}

// TestProxySighupCredentials runs "s3cors proxy --credentials FILE" in a
// process of its own and rotates the file's key pair with SIGHUP: the
// pair added is taken and the pair removed refused from then on, without
// a restart; a file that no longer parses leaves the pair in use, with
// one line in the log saying why; a download in flight across both
// signals completes. /metrics counts the reloads by result.
func TestProxySighupCredentials(t *testing.T) {
	t.Parallel()
	// serve without keys checks no signature: any pair the proxy takes
	// administers CORS there.
	store := s3servertest.New(t, s3server.Options{})
	started, release := make(chan struct{}), make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/photos/slow" {
			store.Config.Handler.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Length", "10")
		w.Write([]byte("01234"))
		http.NewResponseController(w).Flush()
		close(started)
		<-release
		w.Write([]byte("56789"))
	}))
	t.Cleanup(up.Close)
	// Released before up.Close waits for the download, should the test
	// stop early.
	unblock := sync.OnceFunc(func() { close(release) })
	t.Cleanup(unblock)
	keys := filepath.Join(t.TempDir(), "keys.txt")
	const oldAccess, oldSecret, newAccess, newSecret = "AKIDOLDPAIR", "old-secret", "AKIDNEWPAIR", "new-secret"
	writeFile := func(text string) {
		t.Helper()
		// Replaced whole, as editors and configuration tools write it.
		tmp := keys + ".tmp"
		if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, keys); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(oldAccess + " " + oldSecret + "\n")
	// The port the proxy picks, from its banner: a port picked here and
	// freed for it could be another listener's by the time it binds.
	p := startProcess(t, "s3cors: proxying S3 on ", "proxy", "--upstream", up.URL, "--addr", "127.0.0.1:0", "--credentials", keys,
		"--metrics-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`(?m)^s3cors: metrics on http://(\S+)/metrics,`).FindStringSubmatch(p.stdout.String())
	if m == nil {
		t.Fatalf("no metrics address in the banner, which precedes the proxy's:\n%s", p.stdout)
	}
	metricsAddr := m[1]
	reloads := func(want string) {
		t.Helper()
		_, body := get(t, "GET", "http://"+metricsAddr+"/metrics")
		var got []string
		for line := range strings.Lines(body) {
			if strings.HasPrefix(line, "s3cors_proxy_credentials_reloads_total{") {
				got = append(got, strings.TrimSpace(line))
			}
		}
		if strings.Join(got, "\n") != want {
			t.Errorf("metrics of the reloads:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
		}
	}
	reloads("s3cors_proxy_credentials_reloads_total{result=\"failed\"} 0\ns3cors_proxy_credentials_reloads_total{result=\"ok\"} 0")
	ctx := context.Background()
	if _, err := sighupClient(up.URL, "", "").CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")}); err != nil {
		t.Fatal(err)
	}
	putCors := func(access, secret, want string) {
		t.Helper()
		_, err := sighupClient(p.url, access, secret).PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}}})
		var ae smithy.APIError
		switch {
		case want == "" && err != nil:
			t.Errorf("PutBucketCors signed with %s: %v, want success", access, err)
		case want != "" && (!errors.As(err, &ae) || ae.ErrorCode() != want):
			t.Errorf("PutBucketCors signed with %s: %v, want %s", access, err, want)
		}
	}
	putCors(oldAccess, oldSecret, "")
	putCors(newAccess, newSecret, "InvalidAccessKeyId")

	download := getBody(p.url + "/photos/slow")
	<-started

	writeFile("# rotated\n" + newAccess + " " + newSecret + "\n")
	p.signal(t, syscall.SIGHUP, "s3cors proxy: SIGHUP: read 1 key pair from "+keys+": added "+newAccess+"; removed "+oldAccess+"\n")
	putCors(newAccess, newSecret, "")
	putCors(oldAccess, oldSecret, "InvalidAccessKeyId")

	writeFile(newAccess + "\n")
	want := "s3cors proxy: SIGHUP: --credentials: " + keys + ":1: want ACCESS_KEY SECRET_KEY, got 1 field; still using the 1 key pair read before\n"
	p.signal(t, syscall.SIGHUP, want)
	putCors(newAccess, newSecret, "")
	reloads("s3cors_proxy_credentials_reloads_total{result=\"failed\"} 1\ns3cors_proxy_credentials_reloads_total{result=\"ok\"} 1")

	unblock()
	if got := <-download; got != "0123456789" {
		t.Errorf("the download in flight across two SIGHUPs got %q", got)
	}
	p.stop(t)
	if log := p.log(); strings.Count(log, "SIGHUP") != 2 || !strings.Contains(log, "s3cors proxy: stopped") {
		t.Errorf("the log does not hold the two SIGHUP lines and the stop:\n%s", log)
	}
}

// TestSighupNothingToReload sends SIGHUP to a proxy without --credentials
// and to serve, which have no file to read again: each logs so and goes
// on serving, rather than dying as a process does by default.
func TestSighupNothingToReload(t *testing.T) {
	t.Parallel()
	store := s3servertest.New(t, s3server.Options{})
	for _, tc := range []struct {
		name, banner, line string
		args               []string
	}{
		{"proxy", "s3cors: proxying S3 on ", "s3cors proxy: SIGHUP: no --credentials to read again; ignored\n",
			[]string{"proxy", "--upstream", store.URL, "--addr", "127.0.0.1:0"}},
		{"proxy with keys as flags", "s3cors: proxying S3 on ", "s3cors proxy: SIGHUP: no --credentials to read again; ignored\n",
			[]string{"proxy", "--upstream", store.URL, "--addr", "127.0.0.1:0", "--access-key", "AKID", "--secret-key", "SECRET"}},
		{"serve", "s3cors: serving S3 on ", "s3cors serve: SIGHUP: serve reads no file again (its keys are flags); ignored\n",
			[]string{"serve", "--addr", "127.0.0.1:0", "--in-memory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := startProcess(t, tc.banner, tc.args...)
			p.signal(t, syscall.SIGHUP, tc.line)
			resp, err := testClient.Get(p.url + "/")
			if err != nil {
				t.Fatalf("a request after SIGHUP: %v\n%s", err, p.log())
			}
			resp.Body.Close()
			p.stop(t)
		})
	}
}

// TestKeyChanges checks the account of a reload in the log: access keys
// added, removed, and given a new secret, never a secret.
func TestKeyChanges(t *testing.T) {
	t.Parallel()
	old := map[string]string{"AKIDA": "a", "AKIDB": "b", "AKIDC": "c"}
	for _, tc := range []struct {
		name string
		next map[string]string
		want string
	}{
		{"same", map[string]string{"AKIDA": "a", "AKIDB": "b", "AKIDC": "c"}, "no change"},
		{"added", map[string]string{"AKIDA": "a", "AKIDB": "b", "AKIDC": "c", "AKIDE": "e", "AKIDD": "d"}, "added AKIDD AKIDE"},
		{"removed", map[string]string{"AKIDB": "b"}, "removed AKIDA AKIDC"},
		{"new secret", map[string]string{"AKIDA": "a2", "AKIDB": "b", "AKIDC": "c"}, "new secret for AKIDA"},
		{"all three", map[string]string{"AKIDA": "a", "AKIDB": "b2", "AKIDZ": "z"}, "added AKIDZ; removed AKIDC; new secret for AKIDB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := keyChanges(old, tc.next); got != tc.want {
				t.Errorf("keyChanges = %q, want %q", got, tc.want)
			}
		})
	}
}

// sighupClient is an SDK client of endpoint, path style, signed with the
// pair or anonymous without one, without retries.
func sighupClient(endpoint, access, secret string) *s3.Client {
	var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
	if access != "" {
		creds = credentials.NewStaticCredentialsProvider(access, secret, "")
	}
	return s3.New(s3.Options{BaseEndpoint: aws.String(endpoint), UsePathStyle: true, Region: "us-east-1",
		Credentials: creds, RetryMaxAttempts: 1})
}
