package s3proxy_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/testroot"
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

// versitygwBinary returns the versitygw v1.8.0 binary, as
// testroot.Versitygw finds it, or skips (fails under
// S3CORS_REQUIRE_VERSITYGW=1) without one.
func versitygwBinary(t testing.TB) string {
	t.Helper()
	return testroot.Versitygw(t)
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
	return startProcessIn(t, "", ready, bin, args...)
}

// startProcessIn is startProcess with dir, unless empty, the process's
// working directory, HOME and TMPDIR: where it would write files.
func startProcessIn(t testing.TB, dir string, ready *regexp.Regexp, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if dir != "" {
		cmd.Dir, cmd.Env = dir, append(os.Environ(), "HOME="+dir, "TMPDIR="+dir)
	}
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

// startProxyProcess starts "s3cors proxy" in front of upstream, in a
// directory of its own that is also its HOME and TMPDIR, and fails the
// test if the proxy, which keeps nothing on local disk (issue 16: any
// number of them share the configurations in the store), left anything
// there by the time the test ends.
func startProxyProcess(t testing.TB, upstream string, extra ...string) *process {
	t.Helper()
	args := append([]string{"proxy", "--upstream", upstream, "--addr", "127.0.0.1:0"}, extra...)
	dir := t.TempDir()
	p := startProcessIn(t, dir, proxyReady, s3corsBinary(t), args...)
	t.Cleanup(func() {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
			t.Errorf("s3cors proxy wrote to local disk: %v in %s (%v)", entries, dir, err)
		}
	})
	return p
}

// startVersitygw starts versitygw with its posix backend in a temporary
// directory, on a port the system picked.
func startVersitygw(t testing.TB) *process {
	return startVersitygwOn(t, freeAddr, "--access", upstreamAccessKey, "--secret", upstreamSecretKey,
		"--quiet", "posix", t.TempDir())
}

// startVersitygwOn starts versitygw with args on an address pick gives,
// and waits until that process listens there. versitygw cannot be
// given a listener, nor say which port it took: pick frees the port it
// names, which another listener of the machine's (the tests' own, many
// at once) may take before versitygw binds it. versitygw then exits,
// and another address is tried; a dial, which would reach the other
// listener, is not taken for versitygw's.
func startVersitygwOn(t testing.TB, pick func(testing.TB) string, args ...string) *process {
	t.Helper()
	bin := versitygwBinary(t)
	for try := 1; ; try++ {
		addr := pick(t)
		p := startProcess(t, nil, bin, append([]string{"--port", addr}, args...)...)
		p.url = "http://" + addr
		if waitListening(t, addr, p) {
			return p
		}
		if try == 5 || !strings.Contains(p.logs(), "address already in use") {
			t.Fatalf("versitygw exited before it listened on %s (try %d):\n%s", addr, try, p.logs())
		}
	}
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

// waitListening waits until p listens on addr, and reports whether it
// does: false when p exited first.
func waitListening(t testing.TB, addr string, p *process) bool {
	t.Helper()
	port := mustPort(t, addr)
	deadline := time.After(30 * time.Second)
	for {
		listens, err := processListens(p.cmd.Process.Pid, port)
		if err != nil {
			t.Fatal(err)
		}
		if listens {
			return true
		}
		select {
		case <-deadline:
			t.Fatalf("%s does not listen on %s within 30 s:\n%s", filepath.Base(p.cmd.Path), addr, p.logs())
		case <-p.exited:
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// processListens reports whether process pid holds a TCP socket that
// listens on port, from Linux's /proc: the kernel's table of sockets
// (/proc/net/tcp, tcp6) gives the listening sockets' inodes, and the
// process's descriptors name the sockets it holds. Elsewhere it reports
// whether the port takes connections, from whichever process.
func processListens(pid, port int) (bool, error) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
		if err != nil {
			return false, nil
		}
		c.Close()
		return true, nil
	}
	inodes := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return false, err
		}
		for line := range strings.Lines(string(b)) {
			// sl local_address rem_address st ... inode: st 0A is LISTEN.
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" {
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil && int(p) == port {
				inodes[f[9]] = true
			}
		}
	}
	if len(inodes) == 0 {
		return false, nil
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return false, nil // the process is gone, or going
	}
	for _, fd := range fds {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if inode, ok := strings.CutPrefix(target, "socket:["); err == nil && ok && inodes[strings.TrimSuffix(inode, "]")] {
			return true, nil
		}
	}
	return false, nil
}

// The keys of the upstreams the tests start, which the proxies' clients
// hold too.
const (
	upstreamAccessKey = "AKIDPROXYTEST"
	upstreamSecretKey = "proxy-test-secret"
)

// TestVersitygwPortTaken: the port freeAddr freed is taken by another
// listener before versitygw binds it (here the test's, on purpose; in a
// run, any test's). startVersitygwOn does not take that listener for
// versitygw, whose bind fails, but starts it again on another port.
func TestVersitygwPortTaken(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(other.Close)
	taken := strings.TrimPrefix(other.URL, "http://")
	var picked []string
	pick := func(t testing.TB) string {
		addr := taken
		if len(picked) > 0 {
			addr = freeAddr(t)
		}
		picked = append(picked, addr)
		return addr
	}
	p := startVersitygwOn(t, pick, "--access", upstreamAccessKey, "--secret", upstreamSecretKey, "--quiet", "posix", t.TempDir())
	if len(picked) != 2 || p.url != "http://"+picked[1] {
		t.Fatalf("versitygw on %s after the addresses %q, want the second, the first being taken", p.url, picked)
	}
	if listens, err := processListens(p.cmd.Process.Pid, mustPort(t, picked[1])); err != nil || !listens {
		t.Errorf("versitygw (pid %d) does not listen on %s: %v", p.cmd.Process.Pid, picked[1], err)
	}
	// Unsigned: versitygw's S3 refusal, not the other listener's teapot.
	resp, err := testClient.Get(p.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>AccessDenied</Code>") {
		t.Errorf("GET / of %s: %d %s, want versitygw's 403 AccessDenied", p.url, resp.StatusCode, body)
	}
}

// mustPort returns addr's port.
func mustPort(t testing.TB, addr string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
