package s3proxy_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests that run the proxy, s3cors serve or versitygw as separate
// processes build or find them here.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "s3proxy-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// s3corsBinary builds the s3cors command once for the package's tests.
func s3corsBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "s3cors")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/s3cors/s3cors/cmd/s3cors").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("building s3cors: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// versitygwBinary returns the versitygw v1.8.0 binary: $S3CORS_VERSITYGW,
// or versitygw on PATH or in GOPATH/bin. Without one the test is skipped,
// or fails under S3CORS_REQUIRE_VERSITYGW=1, which .ci/run sets after
// building it (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0).
func versitygwBinary(t testing.TB) string {
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
			regexp.MustCompile(`(?m)^\s+mod\s+github.com/versity/versitygw\s+v1\.8\.0\s`).Match(out) {
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

// process is a server the test started.
type process struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	output strings.Builder
	exited chan struct{}
}

// logs returns what the process printed so far.
func (p *process) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.output.String()
}

// kill ends the process with SIGKILL and waits for it.
func (p *process) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// startProcess starts bin with args and waits until a line of its output
// matches ready, whose first group is its URL; with ready nil it does not
// wait. The process is killed when the test ends.
func startProcess(t testing.TB, ready *regexp.Regexp, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		pw.Close()
		close(p.exited)
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.output.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if ready == nil {
				continue
			}
			if m := ready.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s printed:\n%s", filepath.Base(bin), tailLines(p.logs(), 40))
		}
	})
	if ready == nil {
		return p
	}
	select {
	case p.url = <-found:
	case <-p.exited:
		t.Fatalf("%s exited before it was ready:\n%s", bin, p.logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("%s not ready within 30 s:\n%s", bin, p.logs())
	}
	return p
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var (
	serveReady = regexp.MustCompile(`serving S3 on (http://\S+)`)
	proxyReady = regexp.MustCompile(`proxying S3 on (http://\S+)`)
)

// startServe starts "s3cors serve" in memory with keys.
func startServe(t testing.TB, extra ...string) *process {
	args := append([]string{"serve", "--in-memory", "--addr", "127.0.0.1:0", "--access-key", upstreamAccessKey,
		"--secret-key", upstreamSecretKey}, extra...)
	return startProcess(t, serveReady, s3corsBinary(t), args...)
}

// startProxyProcess starts "s3cors proxy" in front of upstream.
func startProxyProcess(t testing.TB, upstream string, extra ...string) *process {
	args := append([]string{"proxy", "--upstream", upstream, "--addr", "127.0.0.1:0"}, extra...)
	return startProcess(t, proxyReady, s3corsBinary(t), args...)
}

// startVersitygw starts versitygw with its posix backend in a temporary
// directory, on a port the system picked.
func startVersitygw(t testing.TB) *process {
	bin := versitygwBinary(t)
	addr := freeAddr(t)
	p := startProcess(t, nil, bin, "--port", addr, "--access", upstreamAccessKey,
		"--secret", upstreamSecretKey, "--quiet", "posix", t.TempDir())
	p.url = "http://" + addr
	waitListening(t, addr, p)
	return p
}

// freeAddr returns a loopback address whose port the system picked.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitListening waits until addr takes connections.
func waitListening(t testing.TB, addr string, p *process) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("nothing listens on %s within 30 s:\n%s", addr, p.logs())
		case <-p.exited:
			t.Fatalf("the server exited:\n%s", p.logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// The keys of the upstreams the tests start, which the proxies' clients
// hold too.
const (
	upstreamAccessKey = "AKIDPROXYTEST"
	upstreamSecretKey = "proxy-test-secret"
)
