package s3server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3err"
)

// stall makes the storage of fs stop at the first change of kind op
// from now on until release is called, and then fail it with fail (nil:
// make it): entered is closed once it has stopped there. The changes of
// kind op after the first wait for it, and are then made.
func (fs *faultServer) stall(op string, fail error) (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	var first sync.Once
	fs.fail(func(got string) error {
		if got != op {
			return nil
		}
		stopped := false
		first.Do(func() {
			stopped = true
			close(in)
			<-out
		})
		if stopped {
			return fail
		}
		return nil
	})
	var once sync.Once
	release = func() { once.Do(func() { close(out) }) }
	fs.t.Cleanup(release)
	return in, release
}

// send is do for another goroutine than the test's: it reports a
// failure instead of ending the test.
func (fs *faultServer) send(method, path string, header ...string) (faultResponse, error) {
	req, err := http.NewRequest(method, fs.srv.URL+path, nil)
	if err != nil {
		return faultResponse{}, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := fs.srv.Client().Do(req)
	if err != nil {
		return faultResponse{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return faultResponse{resp.StatusCode, resp.Header, string(b)}, err
}

// waitFor waits for ch to close, failing the test if that takes longer
// than any request of these tests can.
func waitFor(t *testing.T, ch <-chan struct{}, what string) bool {
	t.Helper()
	select {
	case <-ch:
		return true
	case <-time.After(10 * time.Second):
		t.Errorf("still waiting, after 10 s, for %s", what)
		return false
	}
}

// TestBucketFilesOutsideIndexLock stops the storage in the slow part of
// a CreateBucket or a DeleteBucket (a directory's sync, the removal of a
// deleted bucket's files) and checks that a preflight and a GET to
// another bucket are answered meanwhile. Every request looks its bucket
// up in the server's index: held locked across those, it made
// preflights elsewhere wait 300 ms while a bucket holding an upload of
// 100 parts of 5 MiB was deleted.
func TestBucketFilesOutsideIndexLock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, method, path, op string
		status                 int
	}{
		{"DeleteBucket removing the files", "DELETE", "/gone", "remove", http.StatusNoContent},
		{"DeleteBucket syncing", "DELETE", "/gone", "syncdir", http.StatusNoContent},
		{"CreateBucket syncing", "PUT", "/new", "syncdir", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, t.TempDir())
			fs.seed()
			if r := fs.do("PUT", "/gone", nil); r.status != 200 {
				t.Fatalf("CreateBucket: %d %s", r.status, r.body)
			}
			if r := fs.do("POST", "/gone/big?uploads", nil); r.status != 200 {
				t.Fatalf("CreateMultipartUpload: %d %s", r.status, r.body)
			}
			entered, release := fs.stall(tc.op, nil)
			answered := make(chan faultResponse, 1)
			go func() {
				r, err := fs.send(tc.method, tc.path)
				if err != nil {
					t.Error(err)
				}
				answered <- r
			}()
			if !waitFor(t, entered, "the storage to reach "+tc.op) {
				return
			}
			elsewhere := make(chan struct{})
			go func() {
				defer close(elsewhere)
				pre, err := fs.send("OPTIONS", "/faults/k", "Origin", "https://a.example", "Access-Control-Request-Method", "GET")
				if err != nil || pre.status != 200 {
					t.Errorf("preflight to another bucket: %d %v", pre.status, err)
				}
				get, err := fs.send("GET", "/faults/k")
				if err != nil || get.status != 200 || get.body != "old data" {
					t.Errorf("GET in another bucket: %d %q %v", get.status, get.body, err)
				}
			}()
			waitFor(t, elsewhere, "requests to another bucket while "+tc.name)
			release()
			<-elsewhere
			if r := <-answered; r.status != tc.status {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, r.status, r.body)
			}
		})
	}
}

// TestConcurrentCreateBucket makes one bucket from several goroutines at
// once while the first of them is stopped in the storage's sync, which
// the server no longer holds its index locked across: only one is told
// it made the bucket, the others BucketAlreadyOwnedByYou; when the first
// fails, one of those that waited for it makes the bucket.
func TestConcurrentCreateBucket(t *testing.T) {
	t.Parallel()
	for _, firstFails := range []bool{false, true} {
		t.Run(map[bool]string{false: "made", true: "first fails"}[firstFails], func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			fs := newFaultServer(t, dir)
			var injected error
			if firstFails {
				injected = errors.New("injected sync failure")
			}
			entered, release := fs.stall("syncdir", injected)
			const n = 4
			errs := make([]error, n)
			var wg sync.WaitGroup
			wg.Go(func() { errs[0] = fs.s.CreateBucket("new", "") })
			if !waitFor(t, entered, "the first CreateBucket to reach its sync") {
				return
			}
			for i := 1; i < n; i++ {
				wg.Go(func() { errs[i] = fs.s.CreateBucket("new", "") })
			}
			release()
			wg.Wait()
			made := 0
			for i, err := range errs {
				e, _ := errors.AsType[*s3err.Error](err)
				switch {
				case err == nil:
					made++
				case i == 0 && firstFails && errors.Is(err, injected):
				case e != nil && e.Code == "BucketAlreadyOwnedByYou":
				default:
					t.Errorf("CreateBucket %d: %v", i, err)
				}
			}
			if made != 1 || !firstFails && errs[0] != nil || firstFails && errs[0] == nil {
				t.Errorf("CreateBucket: %v; want the bucket made once, by the first unless it failed", errs)
			}
			fs.srv.Close()
			fs.s.Close()
			s, err := New(Options{DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if names := s.BucketNames(); len(names) != 1 || names[0] != "new" {
				t.Errorf("buckets after a restart: %q", names)
			}
		})
	}
}

// TestBucketChurn runs, as the audit's script did against serve, writes
// of one bucket's configuration, CreateBucket and DeleteBucket of it
// from several goroutines at once. Each answer must be one the
// operations give when made in some order: CreateBucket makes the bucket
// or finds it made (in us-east-1, 200 either way), never NoSuchBucket,
// and no operation answers InternalError. The audit found CreateBucket
// answering NoSuchBucket, or 500 when the storage found the bucket's
// directory renamed away under it.
func TestBucketChurn(t *testing.T) {
	t.Parallel()
	fs := newFaultServer(t, t.TempDir())
	cors := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	type op struct {
		name, method, path string
		body               []byte
		header             []string
		ok                 int // its status when made; else only NoSuchBucket
	}
	ops := []op{
		{"PutBucketCors", "PUT", "/churn?cors", cors, []string{"Content-MD5", md5Header(cors)}, 200},
		{"DeleteBucketCors", "DELETE", "/churn?cors", nil, nil, 204},
		{"CreateBucket", "PUT", "/churn", nil, nil, 200},
		{"DeleteBucket", "DELETE", "/churn", nil, nil, 204},
		{"PutBucketAcl", "PUT", "/churn?acl", nil, []string{"x-amz-acl", "public-read"}, 200},
	}
	rounds := 150
	if testing.Short() {
		rounds = 30
	}
	var wg sync.WaitGroup
	for _, o := range append(ops, ops[0], ops[2], ops[3]) { // 8 goroutines, as the audit's
		wg.Go(func() {
			for range rounds {
				req, err := http.NewRequest(o.method, fs.srv.URL+o.path, bytes.NewReader(o.body))
				if err != nil {
					t.Error(err)
					return
				}
				for i := 0; i+1 < len(o.header); i += 2 {
					req.Header.Set(o.header[i], o.header[i+1])
				}
				resp, err := fs.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				noBucket := resp.StatusCode == 404 && strings.Contains(string(body), "<Code>NoSuchBucket</Code>")
				if resp.StatusCode != o.ok && (o.name == "CreateBucket" || !noBucket) {
					t.Errorf("%s racing DeleteBucket: %d %s", o.name, resp.StatusCode, body)
					return
				}
			}
		})
	}
	wg.Wait()
	// Every change answered, nothing is left under a temporary name: a
	// write racing DeleteBucket made no file in the directory renamed
	// away while its files were removed.
	checkNoTemp(t, fs.dir)
}
