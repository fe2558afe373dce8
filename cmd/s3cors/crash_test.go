package main

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// crashServeEnv, when set, makes the test binary run "s3cors serve" with
// the arguments it holds (separated by newlines) instead of its tests: the
// crash test kills that process, not itself.
const crashServeEnv = "S3CORS_CRASH_SERVE"

// TestCrashHelperServe is not a test: it is the server TestCrashSafety
// starts and kills, and TestServeDataDirInUse competes with, in a process
// of its own.
func TestCrashHelperServe(t *testing.T) {
	args := os.Getenv(crashServeEnv)
	if args == "" {
		t.Skip("the server process of TestCrashSafety")
	}
	os.Exit(run(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
}

// crashServer is an "s3cors serve" in a process of its own.
type crashServer struct {
	cmd *exec.Cmd
	url string
}

func startCrashServer(t *testing.T, data, logFile string) *crashServer {
	t.Helper()
	return startServerProcess(t, os.Args[0], data, logFile, nil)
}

// startServerProcess is startCrashServer with the test binary at binary,
// run as the user of cred when not nil.
func startServerProcess(t *testing.T, binary, data, logFile string, cred *syscall.Credential) *crashServer {
	t.Helper()
	cmd := exec.Command(binary, "-test.run=^TestCrashHelperServe$")
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	cmd.Env = append(os.Environ(), crashServeEnv+"="+strings.Join([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, "\n"))
	log, err := os.OpenFile(logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "s3cors: serving S3 on "); ok {
				u, _, _ = strings.Cut(u, " ")
				found <- u
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			b, _ := os.ReadFile(logFile)
			t.Fatalf("serve stopped before printing its URL:\n%s", b)
		}
		return &crashServer{cmd: cmd, url: u}
	case <-time.After(60 * time.Second):
		t.Fatal("serve printed no URL")
	}
	return nil
}

// crashState is what the clients know: for every key, the digest of the
// last write the server acknowledged and of one it was sent and may have
// made before it died; the same for the bucket's configuration.
type crashState struct {
	mu          sync.Mutex
	acked       map[string]string
	pending     map[string]string
	corsAcked   int // MaxAgeSeconds of the acknowledged configuration
	corsPending int
	writes      int // acknowledged writes, objects and configurations
	verified    int // reads after a restart that found what they should
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func crashCORS(maxAge int) []byte {
	return []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><MaxAgeSeconds>` +
		strconv.Itoa(maxAge) + `</MaxAgeSeconds></CORSRule></CORSConfiguration>`)
}

// TestCrashSafety kills "s3cors serve" with SIGKILL in the middle of a
// stream of PutObject and PutBucketCors calls, restarts it on the same
// data directory, and checks that every acknowledged write is there
// intact (a write sent but not acknowledged may or may not be), that no
// temporary or spare file is visible in a listing or left on disk, and
// that those a crash leaves are removed at start. SIGKILL stops the
// process, not the machine: what this proves is that no interruption of
// the server leaves a torn or partial file visible; the fsyncs are there
// for power failures, which no test here simulates.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	dir := t.TempDir()
	data, logFile := filepath.Join(dir, "data"), filepath.Join(dir, "serve.log")
	st := &crashState{acked: map[string]string{}, pending: map[string]string{}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}} // not http.DefaultTransport, whose connections a parallel test's httptest.Server.Close closes
	t.Cleanup(client.CloseIdleConnections)
	const cycles, writers = 4, 4
	leftovers := 0
	for cycle := range cycles + 1 {
		srv := startCrashServer(t, data, logFile)
		if cycle == 0 {
			mustDo(t, client, "PUT", srv.url+"/crash", nil)
		} else {
			st.verify(t, client, srv.url, cycle)
			checkNoTempFiles(t, data)
		}
		if cycle == cycles {
			break
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range writers {
			wg.Go(func() { st.putObjects(client, srv.url, w, cycle, stop) })
		}
		wg.Go(func() { st.putCORS(client, srv.url, stop) })
		// Kill it once the stream is well under way, at a moment no one
		// chose: a few dozen writes in, then up to half a second later.
		st.waitWrites(st.count()+40, 20*time.Second)
		time.Sleep(time.Duration(rand.IntN(500)) * time.Millisecond)
		srv.cmd.Process.Signal(syscall.SIGKILL)
		srv.cmd.Wait()
		close(stop)
		wg.Wait()
		n := len(tempFilesUnder(data))
		leftovers += n
		// What else a crash can leave: a half-written object, a bucket
		// made half-way, and spares of objects and of the bucket's
		// configuration (a kill leaves some, not always).
		bucketDir := filepath.Join(data, "buckets", "crash")
		objects := filepath.Join(bucketDir, "objects")
		os.WriteFile(filepath.Join(objects, ".s3cors-tmp-planted"+strconv.Itoa(cycle)), []byte("torn"), 0o600)
		os.MkdirAll(filepath.Join(data, "buckets", ".s3cors-tmp-bucket"+strconv.Itoa(cycle), "objects"), 0o700)
		os.WriteFile(filepath.Join(objects, ".s3cors-spare-planted"+strconv.Itoa(cycle)), []byte("old object"), 0o600)
		os.WriteFile(filepath.Join(bucketDir, ".s3cors-spare-planted"+strconv.Itoa(cycle)), []byte("old cors.xml"), 0o600)
		t.Logf("cycle %d: killed with %d acknowledged writes so far, %d temporary and spare files left by the crash", cycle+1, st.writes, n)
	}
	t.Logf("%d crashes, %d acknowledged writes; %d reads after restarts found every key intact; %d temporary and spare files left by crashes, all removed at start",
		cycles, st.writes, st.verified, leftovers)
	if st.writes < cycles*40 {
		t.Errorf("only %d writes were acknowledged", st.writes)
	}
	if log, _ := os.ReadFile(logFile); bytes.Contains(log, []byte("DATA RACE")) || bytes.Contains(log, []byte("panic:")) {
		t.Errorf("the server reported a race or a panic:\n%s", log)
	}
}

func (st *crashState) count() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.writes
}

// waitWrites waits until n writes are acknowledged, or for at most d.
func (st *crashState) waitWrites(n int, d time.Duration) {
	for end := time.Now().Add(d); st.count() < n && time.Now().Before(end); {
		time.Sleep(5 * time.Millisecond)
	}
}

// putObjects writes keys of its own until the server dies or stop
// closes, recording each write before it is sent and once it is
// acknowledged.
func (st *crashState) putObjects(client *http.Client, url string, w, cycle int, stop chan struct{}) {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(cycle)))
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		key := fmt.Sprintf("w%d/k%d", w, i%8)
		size := rng.IntN(64 << 10)
		if i%5 == 0 {
			size = 1<<20 + rng.IntN(1<<20) // long enough to be cut off half-way
		}
		body := make([]byte, size)
		for j := range body {
			body[j] = byte(rng.Uint32())
		}
		d := digest(body)
		st.mu.Lock()
		st.pending[key] = d
		st.mu.Unlock()
		req, _ := http.NewRequest("PUT", url+"/crash/"+key, bytes.NewReader(body))
		sum := md5.Sum(body)
		req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
		resp, err := client.Do(req)
		if err != nil {
			return // the server died: the write may or may not be made
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return
		}
		st.mu.Lock()
		st.acked[key] = d
		delete(st.pending, key)
		st.writes++
		st.mu.Unlock()
	}
}

func (st *crashState) putCORS(client *http.Client, url string, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		st.mu.Lock()
		next := max(st.corsAcked, st.corsPending) + 1
		st.corsPending = next
		st.mu.Unlock()
		doc := crashCORS(next)
		req, _ := http.NewRequest("PUT", url+"/crash?cors", bytes.NewReader(doc))
		sum := md5.Sum(doc)
		req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
		resp, err := client.Do(req)
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return
		}
		st.mu.Lock()
		st.corsAcked, st.corsPending = next, 0
		st.writes++
		st.mu.Unlock()
	}
}

// verify reads every key back after a restart: each holds its last
// acknowledged write, or the one in flight when the server died; then
// that is what the key is known to hold.
func (st *crashState) verify(t *testing.T, client *http.Client, url string, cycle int) {
	t.Helper()
	for key, want := range st.acked {
		status, body, h := mustDo(t, client, "GET", url+"/crash/"+key, nil)
		sum := md5.Sum(body)
		got := digest(body)
		switch {
		case status != 200:
			t.Errorf("after crash %d: GET %s: %d, an acknowledged write is lost", cycle, key, status)
		case h.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"`:
			t.Errorf("after crash %d: GET %s: the ETag does not match the data", cycle, key)
		case got != want && got != st.pending[key]:
			t.Errorf("after crash %d: GET %s holds neither the acknowledged write nor the one in flight", cycle, key)
		default:
			st.verified++
		}
		st.acked[key] = got
	}
	for key, d := range st.pending {
		if _, ok := st.acked[key]; ok {
			continue
		}
		// A first write to the key that was never acknowledged: absent,
		// or whole.
		status, body, _ := mustDo(t, client, "GET", url+"/crash/"+key, nil)
		if status == 200 {
			if digest(body) != d {
				t.Errorf("after crash %d: GET %s holds a torn object", cycle, key)
			}
			st.acked[key] = d
		}
	}
	clear(st.pending)
	_, list, _ := mustDo(t, client, "GET", url+"/crash?list-type=2", nil)
	if n := strings.Count(string(list), "<Key>"); n != len(st.acked) || strings.Contains(string(list), storagePrefix) {
		t.Errorf("after crash %d: the listing holds %d keys, want %d:\n%s", cycle, n, len(st.acked), list)
	}
	if st.corsAcked == 0 && st.corsPending == 0 {
		return
	}
	_, cors, _ := mustDo(t, client, "GET", url+"/crash?cors", nil)
	switch {
	case bytes.Contains(cors, []byte("<MaxAgeSeconds>"+strconv.Itoa(st.corsAcked)+"</MaxAgeSeconds>")):
	case st.corsPending != 0 && bytes.Contains(cors, []byte("<MaxAgeSeconds>"+strconv.Itoa(st.corsPending)+"</MaxAgeSeconds>")):
		st.corsAcked = st.corsPending
	default:
		t.Errorf("after crash %d: GetBucketCors holds neither configuration %d nor %d:\n%s", cycle, st.corsAcked, st.corsPending, cors)
	}
	st.corsPending = 0
}

func mustDo(t *testing.T, client *http.Client, method, url string, body []byte) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// storagePrefix starts the names the storage gives what is neither a
// bucket, an object nor an upload: files being written (.s3cors-tmp-)
// and spares, replaced files kept to be written again (.s3cors-spare-).
// A crash leaves both; the next start removes them.
const storagePrefix = ".s3cors-"

// tempFilesUnder returns the temporary and spare files under dir.
func tempFilesUnder(dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), storagePrefix) {
			found = append(found, p)
		}
		return nil
	})
	return found
}

func checkNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	if tmp := tempFilesUnder(dir); len(tmp) > 0 {
		t.Errorf("temporary or spare files left after a restart: %q", tmp)
	}
}
