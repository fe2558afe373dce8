package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The upload benchmarks run the real "s3cors serve" binary, on disk, and
// upload to it over loopback: 100 MiB in a multipart upload of 10 parts
// of 10 MiB, 4 at a time, beside one 60 MiB PutObject. Each case starts
// a server of its own, so that the peak resident memory of the server
// process (VmHWM in /proc/PID/status) is that case's; it is reported
// beside the throughput, and TestUploadPeakRSS holds it under 64 MiB.

const (
	multipartParts    = 10
	multipartPartSize = 10 << 20
	multipartParallel = 4
	singlePutSize     = 60 << 20
	maxServeRSS       = 64 << 20
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// serveBinary builds cmd/s3cors once per test binary.
func serveBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "s3cors-bench-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "s3cors")
		build := exec.Command("go", "build", "-o", binPath, "github.com/s3cors/s3cors/cmd/s3cors")
		build.Dir = ".." // in the main module, whose go.sum covers the command's dependencies
		out, err := build.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// serveProcess is "s3cors serve" running in a process of its own.
type serveProcess struct {
	cmd *exec.Cmd
	url string
}

func startServe(tb testing.TB) *serveProcess {
	tb.Helper()
	cmd := exec.Command(serveBinary(tb), "serve", "--addr", "127.0.0.1:0", "--data", tb.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = io.Discard // one log line per request
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "s3cors: serving S3 on "); ok {
				u, _, _ = strings.Cut(u, " ")
				found <- u
			}
		}
	}()
	select {
	case u := <-found:
		return &serveProcess{cmd: cmd, url: u}
	case <-time.After(60 * time.Second):
		tb.Fatal("serve printed no URL")
	}
	return nil
}

var vmHWM = regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB$`)

// peakRSS returns the process's peak resident memory, in bytes.
func (p *serveProcess) peakRSS(tb testing.TB) int64 {
	tb.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		tb.Fatal(err)
	}
	m := vmHWM.FindSubmatch(status)
	if m == nil {
		tb.Fatalf("no VmHWM in /proc/PID/status")
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

func send(client *http.Client, method, url string, body []byte) ([]byte, http.Header, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: %s %s", method, url, resp.Status, b)
	}
	return b, resp.Header, err
}

var uploadIDRE = regexp.MustCompile(`<UploadId>([^<]+)</UploadId>`)

// multipartUpload uploads parts as one object, multipartParallel parts at
// a time.
func multipartUpload(client *http.Client, url string, part []byte) error {
	body, _, err := send(client, "POST", url+"?uploads", nil)
	if err != nil {
		return err
	}
	id := string(uploadIDRE.FindSubmatch(body)[1])
	etags := make([]string, multipartParts)
	errs := make(chan error, multipartParts)
	sem := make(chan struct{}, multipartParallel)
	var wg sync.WaitGroup
	for n := range multipartParts {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, h, err := send(client, "PUT", url+"?partNumber="+strconv.Itoa(n+1)+"&uploadId="+id, part)
			if err != nil {
				errs <- err
				return
			}
			etags[n] = h.Get("ETag")
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	var doc strings.Builder
	doc.WriteString("<CompleteMultipartUpload>")
	for n, e := range etags {
		fmt.Fprintf(&doc, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", n+1, e)
	}
	doc.WriteString("</CompleteMultipartUpload>")
	_, _, err = send(client, "POST", url+"?uploadId="+id, []byte(doc.String()))
	return err
}

func randomPayload(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// uploadCases are the two uploads, each given a server and a client.
var uploadCases = []struct {
	name  string
	bytes int64
	run   func(client *http.Client, url string, part, whole []byte, i int) error
}{
	{"multipart-100MiB-10x10MiB-4parallel", multipartParts * multipartPartSize, func(client *http.Client, url string, part, _ []byte, i int) error {
		return multipartUpload(client, url+"/bench/mpu"+strconv.Itoa(i), part)
	}},
	{"PutObject-60MiB", singlePutSize, func(client *http.Client, url string, _, whole []byte, i int) error {
		_, _, err := send(client, "PUT", url+"/bench/put"+strconv.Itoa(i), whole)
		return err
	}},
}

// BenchmarkUpload reports each upload's throughput (MB/s) and the
// server's peak resident memory (peak-RSS-MiB).
func BenchmarkUpload(b *testing.B) {
	part, whole := randomPayload(multipartPartSize), randomPayload(singlePutSize)
	for _, c := range uploadCases {
		b.Run(c.name, func(b *testing.B) {
			srv := startServe(b)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: multipartParallel}}
			if _, _, err := send(client, "PUT", srv.url+"/bench", nil); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(c.bytes)
			b.ResetTimer()
			for i := range b.N {
				if err := c.run(client, srv.url, part, whole, i%4); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(srv.peakRSS(b))/(1<<20), "peak-RSS-MiB")
		})
	}
}

// TestUploadPeakRSS holds the server's peak resident memory during each
// upload under 64 MiB: parts and objects stream to disk, never held whole.
func TestUploadPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary, uploads 160 MiB")
	}
	part, whole := randomPayload(multipartPartSize), randomPayload(singlePutSize)
	for _, c := range uploadCases {
		srv := startServe(t)
		client := &http.Client{}
		if _, _, err := send(client, "PUT", srv.url+"/bench", nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := c.run(client, srv.url, part, whole, 0); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		body, _, err := send(client, "GET", srv.url+"/bench?list-type=2", nil)
		if err != nil || !bytes.Contains(body, []byte("<Size>"+strconv.FormatInt(c.bytes, 10)+"</Size>")) {
			t.Fatalf("%s: the object is not listed with its size: %v %s", c.name, err, body)
		}
		rss := srv.peakRSS(t)
		t.Logf("%s: %.0f MB/s, server peak RSS %.1f MiB", c.name, float64(c.bytes)/took.Seconds()/1e6, float64(rss)/(1<<20))
		if rss > maxServeRSS {
			t.Errorf("%s: the server's peak RSS is %.1f MiB, over %d MiB", c.name, float64(rss)/(1<<20), maxServeRSS>>20)
		}
	}
}
