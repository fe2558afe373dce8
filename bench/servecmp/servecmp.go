package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// config is what a run measures.
type config struct {
	rounds      int
	duration    time.Duration
	connections int
	load        string // "wrk" or "go"
	baseline    string // a module directory to build a second s3cors from; "" for none
	inMemory    bool
	watched     bool // also s3cors with a live stream of its inspector open
	requests    []request
	// module is the directory of the s3cors module to build; "" is the
	// one this module's go.mod replaces it with.
	module string
}

// request is one request the servers are measured with.
type request struct {
	name   string
	method string
	path   string
	header [][2]string
}

// The bucket's configuration and object: those of BenchmarkEndToEnd.
const (
	origin   = "https://app.example.com"
	corsDoc  = `<CORSConfiguration><CORSRule><AllowedOrigin>` + origin + `</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>content-type</AllowedHeader><AllowedHeader>x-amz-date</AllowedHeader><AllowedHeader>authorization</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`
	object   = "/bench/photos/cat.jpg"
	objectSz = 1 << 10
)

// requests are those servecmp knows: a preflight with two requested
// headers, and a GET of a 1 KiB object from a page (with Origin).
var requests = []request{
	{"preflight", "OPTIONS", object, [][2]string{{"Origin", origin}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", "content-type,x-amz-date"}}},
	{"GET", "GET", object, [][2]string{{"Origin", origin}}},
}

func requestNames() []string {
	var names []string
	for _, r := range requests {
		names = append(names, r.name)
	}
	return names
}

func parseRequests(s string) ([]request, error) {
	var out []request
	for name := range strings.SplitSeq(s, ",") {
		i := slices.IndexFunc(requests, func(r request) bool { return strings.EqualFold(r.name, strings.TrimSpace(name)) })
		if i < 0 {
			return nil, fmt.Errorf("no request %q", name)
		}
		out = append(out, requests[i])
	}
	return out, nil
}

// server is one of the servers measured, a process of its own.
type server struct {
	name     string
	url      string
	cmd      *exec.Cmd
	log      string       // its standard error, where the endpoint logs
	streamed atomic.Int64 // bytes of the inspector's live stream read, once it ended
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
	s.cmd = nil
}

// run builds and starts the servers, checks that they answer alike, and
// measures them, printing the table to w.
func run(ctx context.Context, cfg config, w io.Writer) error {
	if cfg.load == "wrk" {
		if _, err := exec.LookPath("wrk"); err != nil {
			return errors.New("wrk is not installed (Debian: apt-get install wrk); -load go needs nothing")
		}
	}
	dir, err := os.MkdirTemp("", "s3cors-servecmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	servers := []*server{{name: "bare"}, {name: "s3cors"}}
	if cfg.watched {
		servers = append(servers, &server{name: "watched"})
	}
	if cfg.baseline != "" {
		servers = append(servers, &server{name: "baseline"})
	}
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	var bin string
	for _, s := range servers[1:] {
		if s.name != "watched" { // the same binary as s3cors
			module := cfg.module
			if s.name == "baseline" {
				module = cfg.baseline
			}
			if bin, err = build(module, filepath.Join(dir, s.name)); err != nil {
				return err
			}
		}
		if err := startServe(s, bin, dir, cfg.inMemory); err != nil {
			return err
		}
		if err := setUp(s.url); err != nil {
			return fmt.Errorf("%s: setting the bucket up: %w", s.name, err)
		}
		if s.name == "watched" {
			if err := watch(ctx, s); err != nil {
				return err
			}
		}
	}
	answers, err := record(servers[1].url, cfg.requests)
	if err != nil {
		return err
	}
	if err := startBare(servers[0], answers, dir); err != nil {
		return err
	}
	for _, s := range servers {
		if err := sameAnswers(s, answers, cfg.requests); err != nil {
			return err
		}
	}
	res, err := measure(ctx, cfg, servers, dir)
	if err != nil {
		return err
	}
	for _, s := range servers {
		s.stop() // so that the endpoint's log is complete
	}
	res.print(w, cfg, servers)
	return nil
}

// build builds cmd/s3cors of the module in dir ("" for the one this
// module uses) into bin, in that module, whose go.sum covers the
// command's dependencies.
func build(dir, bin string) (string, error) {
	if dir == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/s3cors/s3cors").Output()
		if err != nil {
			return "", fmt.Errorf("finding the s3cors module: %v", err)
		}
		dir = strings.TrimSpace(string(out))
	}
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/s3cors")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build in %q: %v\n%s", dir, err, out)
	}
	return bin, nil
}

// startServe runs "s3cors serve" on a free loopback port, its data in
// dir, its log to a file there.
func startServe(s *server, bin, dir string, inMemory bool) error {
	args := []string{"serve", "--addr", "127.0.0.1:0"}
	if inMemory {
		args = append(args, "--in-memory")
	} else {
		args = append(args, "--data", filepath.Join(dir, s.name+"-data"))
	}
	return start(s, exec.Command(bin, args...), dir, "s3cors: serving S3 on ")
}

// start starts cmd and waits for it to print the line starting with
// prefix and the server's URL.
func start(s *server, cmd *exec.Cmd, dir, prefix string) error {
	s.log = filepath.Join(dir, s.name+".log")
	logFile, err := os.Create(s.log)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				u, _, _ = strings.Cut(u, " ")
				found <- u
			}
		}
		close(found)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			b, _ := os.ReadFile(s.log)
			return fmt.Errorf("%s stopped before printing its URL:\n%s", s.name, b)
		}
		s.url = u
		return nil
	case <-time.After(60 * time.Second):
		return fmt.Errorf("%s printed no URL in a minute", s.name)
	}
}

// setUp makes the public-read bucket, its configuration and the object.
func setUp(url string) error {
	body := make([]byte, objectSz)
	for i := range body {
		body[i] = byte('a' + i%26)
	}
	sum := md5.Sum([]byte(corsDoc))
	for _, r := range []struct {
		method, path string
		body         []byte
		header       []string
	}{
		{"PUT", "/bench", nil, []string{"x-amz-acl", "public-read"}},
		{"PUT", "/bench?cors", []byte(corsDoc), []string{"Content-MD5", base64.StdEncoding.EncodeToString(sum[:])}},
		{"PUT", object, body, []string{"Content-Type", "image/jpeg"}},
	} {
		req, err := http.NewRequest(r.method, url+r.path, bytes.NewReader(r.body))
		if err != nil {
			return err
		}
		for i := 0; i < len(r.header); i += 2 {
			req.Header.Set(r.header[i], r.header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s %s: %s %s", r.method, r.path, resp.Status, b)
		}
	}
	return nil
}

// watch opens a live stream of the inspector of s, as a page showing it
// does, and reads it until ctx is done or s stops.
func watch(ctx context.Context, s *server) error {
	req, err := http.NewRequestWithContext(ctx, "GET", s.url+"/_s3cors/api/events", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("%s: the inspector's live stream: %s", s.name, resp.Status)
	}
	go func() {
		defer resp.Body.Close()
		n, _ := io.Copy(io.Discard, resp.Body)
		s.streamed.Store(n)
	}()
	return nil
}

// answer is what a server sends for one request.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// variable are the headers whose values differ from answer to answer, or
// from server to server (the object's time of upload).
var variable = []string{"Date", "X-Amz-Request-Id", "X-Amz-Id-2", "Last-Modified"}

// send sends r to the server at url and returns its answer.
func send(url string, r request) (answer, error) {
	req, err := http.NewRequest(r.method, url+r.path, nil)
	if err != nil {
		return answer{}, err
	}
	for _, h := range r.header {
		req.Header.Set(h[0], h[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: %s %s", r.method, r.path, resp.Status, body)
	}
	return answer{resp.StatusCode, resp.Header, body}, err
}

// record returns the endpoint's answers to the requests, by method, for
// the bare server to send.
func record(url string, reqs []request) (map[string]answer, error) {
	answers := map[string]answer{}
	for _, r := range reqs {
		a, err := send(url, r)
		if err != nil {
			return nil, err
		}
		a.Header.Del("Date") // net/http writes its own
		answers[r.method] = a
	}
	return answers, nil
}

// sameAnswers checks that s answers each request as recorded: the same
// status, headers and body, the variable headers present where the
// endpoint sends them (Date always).
func sameAnswers(s *server, want map[string]answer, reqs []request) error {
	for _, r := range reqs {
		got, err := send(s.url, r)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		w := want[r.method]
		if got.Status != w.Status || !bytes.Equal(got.Body, w.Body) {
			return fmt.Errorf("%s answers %s with %d and %d bytes, the endpoint with %d and %d", s.name, r.name, got.Status, len(got.Body), w.Status, len(w.Body))
		}
		for _, h := range variable {
			if (got.Header.Get(h) == "") != (w.Header.Get(h) == "" && h != "Date") {
				return fmt.Errorf("%s answers %s with %s %q, the endpoint with %q", s.name, r.name, h, got.Header.Get(h), w.Header.Get(h))
			}
		}
		fixed := func(h http.Header) http.Header {
			h = h.Clone()
			for _, v := range variable {
				h.Del(v)
			}
			return h
		}
		if g, w := fixed(got.Header), fixed(w.Header); !equalHeaders(g, w) {
			return fmt.Errorf("%s answers %s with headers\n%v\nthe endpoint with\n%v", s.name, r.name, g, w)
		}
	}
	return nil
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// bareEnv names the file of recorded answers a servecmp process started
// as the bare server reads.
const bareEnv = "S3CORS_SERVECMP_BARE"

// startBare starts this program again as the bare server, answering as
// recorded.
func startBare(s *server, answers map[string]answer, dir string) error {
	file := filepath.Join(dir, "answers.json")
	b, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), bareEnv+"="+file)
	return start(s, cmd, dir, "servecmp: bare server on ")
}

// serveBare is the bare server: a net/http handler that answers each
// method with the headers and body read from file, on a free loopback
// port, behind an http.Server with the limits of "s3cors serve", until
// interrupted.
func serveBare(file string, stdout io.Writer) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var answers map[string]answer
	if err := json.Unmarshal(b, &answers); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: bareHandler(answers), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	fmt.Fprintf(stdout, "servecmp: bare server on http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// bareHandler answers each method with its answer's headers and body,
// copied into the response as they are.
func bareHandler(answers map[string]answer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.Method]
		if !ok {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		for k, v := range a.Header {
			h[k] = v
		}
		w.WriteHeader(a.Status)
		w.Write(a.Body)
	})
}

// logLines returns the number of lines in the file name.
func logLines(name string) int {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte("\n"))
}

// formatCPU formats a CPU time per request in microseconds; "-" for
// unknown.
func formatCPU(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
}

func formatRate(r float64) string {
	s := strconv.FormatFloat(r, 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
