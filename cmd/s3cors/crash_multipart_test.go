package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mpuState is what the clients of TestCrashMultipart know: for each
// upload, the parts the server acknowledged, and for each key the digest
// of the object its completion makes, once sent and once acknowledged.
type mpuState struct {
	mu        sync.Mutex
	uploads   map[string]*mpuUpload // by key
	parts     int                   // parts acknowledged
	completed int                   // completions acknowledged
	inFlight  int                   // completions in flight when a server died
	verified  int
}

type mpuUpload struct {
	id       string
	parts    map[int]string // part number: ETag acknowledged
	digest   string         // of the whole object
	sent     bool           // completion sent
	acked    bool           // completion acknowledged
	complete bool           // the object was found whole after a crash
}

var (
	uploadIDPattern = regexp.MustCompile(`<UploadId>([^<]+)</UploadId>`)
	partPattern     = regexp.MustCompile(`<PartNumber>(\d+)</PartNumber><LastModified>[^<]*</LastModified><ETag>([^<]*)</ETag>`)
)

// TestCrashMultipart kills "s3cors serve" with SIGKILL in the middle of
// multipart uploads (parts streaming in, completions being assembled)
// from four clients, restarts it on the same data directory, and checks:
// every part acknowledged is listed with its ETag; every completion
// acknowledged left its object, whole; a completion in flight left the
// object whole and the upload gone, or no object and the upload with its
// parts; no object is ever torn, and no temporary file is left.
func TestCrashMultipart(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	dir := t.TempDir()
	data, logFile := filepath.Join(dir, "data"), filepath.Join(dir, "serve.log")
	st := &mpuState{uploads: map[string]*mpuUpload{}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}} // not http.DefaultTransport, whose connections a parallel test's httptest.Server.Close closes
	t.Cleanup(client.CloseIdleConnections)
	const cycles, writers = 3, 4
	for cycle := range cycles + 1 {
		srv := startCrashServer(t, data, logFile)
		if cycle == 0 {
			mustDo(t, client, "PUT", srv.url+"/mpu", nil)
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
			wg.Go(func() { st.upload(client, srv.url, w, cycle, stop) })
		}
		// Each cycle kills the server once 12 more parts are acknowledged,
		// which takes a few seconds on an idle machine; the bound only
		// ends a cycle on a stuck one. 20 s gave 2 parts in each of two
		// cycles with a load average of 12 on 2 cores, under the race
		// detector, and the test failed for want of parts.
		start := st.count()
		for end := time.Now().Add(60 * time.Second); st.count() < start+12 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		srv.cmd.Process.Signal(syscall.SIGKILL)
		srv.cmd.Wait()
		close(stop)
		wg.Wait()
		t.Logf("cycle %d: killed after %d acknowledged parts and %d acknowledged completions", cycle+1, st.parts, st.completed)
	}
	t.Logf("%d crashes: %d parts and %d completions acknowledged, %d completions in flight at a crash; %d checks after restarts found everything whole",
		cycles, st.parts, st.completed, st.inFlight, st.verified)
	if st.completed < cycles || st.parts < cycles*8 {
		t.Errorf("only %d parts and %d completions were acknowledged", st.parts, st.completed)
	}
}

func (st *mpuState) count() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.parts
}

// upload runs uploads of keys of its own until the server dies or stop
// closes: a 5 MiB part, a smaller last part, then the completion.
func (st *mpuState) upload(client *http.Client, url string, w, cycle int, stop chan struct{}) {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(cycle)))
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		key := fmt.Sprintf("c%d/w%d/u%d", cycle, w, i)
		status, body := do(client, "POST", url+"/mpu/"+key+"?uploads", nil)
		m := uploadIDPattern.FindSubmatch(body)
		if status != 200 || m == nil {
			return
		}
		u := &mpuUpload{id: string(m[1]), parts: map[int]string{}}
		st.mu.Lock()
		st.uploads[key] = u
		st.mu.Unlock()
		parts := [][]byte{randomData(rng, 5<<20), randomData(rng, 1+rng.IntN(1<<20))}
		for n, p := range parts {
			resp, err := client.Do(mustRequest("PUT", url+"/mpu/"+key+"?partNumber="+strconv.Itoa(n+1)+"&uploadId="+u.id, p))
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return
			}
			st.mu.Lock()
			u.parts[n+1] = resp.Header.Get("ETag")
			st.parts++
			st.mu.Unlock()
		}
		var doc strings.Builder
		doc.WriteString("<CompleteMultipartUpload>")
		for n := 1; n <= 2; n++ {
			doc.WriteString("<Part><PartNumber>" + strconv.Itoa(n) + "</PartNumber><ETag>" + u.parts[n] + "</ETag></Part>")
		}
		doc.WriteString("</CompleteMultipartUpload>")
		st.mu.Lock()
		u.digest = digest(append(append([]byte{}, parts[0]...), parts[1]...))
		u.sent = true
		st.mu.Unlock()
		status, _ = do(client, "POST", url+"/mpu/"+key+"?uploadId="+u.id, []byte(doc.String()))
		if status != 200 {
			return
		}
		st.mu.Lock()
		u.acked = true
		st.completed++
		st.mu.Unlock()
	}
}

func randomData(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func mustRequest(method, url string, body []byte) *http.Request {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	return req
}

// do sends a request; status 0 when the server did not answer.
func do(client *http.Client, method, url string, body []byte) (int, []byte) {
	resp, err := client.Do(mustRequest(method, url, body))
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil
	}
	return resp.StatusCode, b
}

// verify checks every upload after a restart.
func (st *mpuState) verify(t *testing.T, client *http.Client, url string, cycle int) {
	t.Helper()
	_, list, _ := mustDo(t, client, "GET", url+"/mpu?uploads", nil)
	for key, u := range st.uploads {
		if u.complete { // found whole after an earlier crash: still there
			if status, _, _ := mustDo(t, client, "HEAD", url+"/mpu/"+key, nil); status != 200 {
				t.Errorf("after crash %d: HEAD %s: %d, a completed object is lost", cycle, key, status)
			}
			continue
		}
		status, body, _ := mustDo(t, client, "GET", url+"/mpu/"+key, nil)
		listed := bytes.Contains(list, []byte("<UploadId>"+u.id+"</UploadId>"))
		switch {
		case status == 200 && (!u.sent || digest(body) != u.digest):
			t.Errorf("after crash %d: %s holds %d bytes that are not the object its upload makes: a torn object", cycle, key, len(body))
		case status == 200 && listed:
			t.Errorf("after crash %d: %s is complete but its upload is still listed", cycle, key)
		case status == 200:
			if !u.acked {
				st.inFlight++ // committed just before the crash
			}
			u.complete = true
		case u.acked:
			t.Errorf("after crash %d: GET %s: %d, an acknowledged completion is lost", cycle, key, status)
		case len(u.parts) > 0 && !listed:
			t.Errorf("after crash %d: the upload of %s, with %d acknowledged parts, is gone without an object", cycle, key, len(u.parts))
		case len(u.parts) > 0:
			if u.sent {
				st.inFlight++ // not committed: the upload is intact
				u.sent = false
			}
			st.checkParts(t, client, url, key, u, cycle)
		}
		st.verified++
	}
}

// checkParts checks that each acknowledged part of an upload in progress
// is listed with its ETag.
func (st *mpuState) checkParts(t *testing.T, client *http.Client, url, key string, u *mpuUpload, cycle int) {
	t.Helper()
	_, body, _ := mustDo(t, client, "GET", url+"/mpu/"+key+"?uploadId="+u.id, nil)
	listed := map[int]string{}
	for _, m := range partPattern.FindAllStringSubmatch(string(body), -1) {
		n, _ := strconv.Atoi(m[1])
		listed[n] = strings.ReplaceAll(m[2], "&quot;", `"`)
	}
	for n, etag := range u.parts {
		if listed[n] != etag {
			t.Errorf("after crash %d: part %d of %s: listed %q, acknowledged %q", cycle, n, key, listed[n], etag)
		}
	}
}
