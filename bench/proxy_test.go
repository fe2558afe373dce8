package bench

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/s3cors/s3cors/bench/internal/probe"
	"github.com/s3cors/s3cors/internal/sigv"
)

// The proxy benchmarks run the real binaries on loopback, side by side in
// one run: "s3cors serve" (the upstream, and the reference for
// preflights), "s3cors proxy" in front of it, and, when versitygw v1.8.0
// is installed, versitygw's posix backend and its s3 backend in front of
// the posix one (a gateway that, like the proxy, keeps CORS in its
// upstream). 64 clients send keep-alive requests; each case reports
// requests a second, p50 and p99 latency in milliseconds, and for the
// proxy's preflights the requests it made to its upstream a preflight,
// read from its Prometheus metrics.

const benchClients = 64

// proxyProcess is "s3cors proxy" running in a process of its own.
type proxyProcess struct {
	serveProcess
	metrics string // http://HOST:PORT of /metrics
}

// startProxy starts "s3cors proxy" in front of upstream, with metrics.
func startProxy(tb testing.TB, upstream string) *proxyProcess {
	tb.Helper()
	cmd := proxyCommand(serveBinary(tb), "proxy", "--upstream", upstream, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		tb.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stderr = devnull // one log line per request, which a file takes without a copying goroutine here
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &proxyProcess{serveProcess: serveProcess{cmd: cmd}}
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "s3cors: metrics on "); ok {
				p.metrics, _, _ = strings.Cut(u, "/metrics")
			}
			if u, ok := strings.CutPrefix(sc.Text(), "s3cors: proxying S3 on "); ok {
				p.url, _, _ = strings.Cut(u, " ")
				close(found)
			}
		}
	}()
	select {
	case <-found:
		return p
	case <-time.After(60 * time.Second):
		tb.Fatal("proxy printed no URL")
	}
	return nil
}

// proxyCommand is the command that runs a proxy (s3cors proxy or
// bareproxy), on the CPUs named by $S3CORS_BENCH_PROXY_CPUS when it is
// set (a list for taskset -c), so that the proxy has cores of its own, as
// in a deployment, while the benchmark and the store run on the others:
// bench/proxy.sh's PINNED=1 sets it, and runs the benchmark on the rest.
// The Go runtime sizes GOMAXPROCS from the CPUs a process may use.
func proxyCommand(name string, args ...string) *exec.Cmd {
	if cpus := os.Getenv("S3CORS_BENCH_PROXY_CPUS"); cpus != "" {
		return exec.Command("taskset", append([]string{"-c", cpus, name}, args...)...)
	}
	return exec.Command(name, args...)
}

var (
	bareOnce sync.Once
	barePath string
	bareErr  error
)

// startBareProxy builds and starts bareproxy in front of upstream: a
// plain httputil.ReverseProxy, the floor under any Go proxy.
func startBareProxy(tb testing.TB, upstream string) *serveProcess {
	tb.Helper()
	bareOnce.Do(func() {
		barePath = filepath.Join(filepath.Dir(serveBinary(tb)), "bareproxy")
		out, err := exec.Command("go", "build", "-o", barePath, "./bareproxy").CombinedOutput()
		if err != nil {
			bareErr = fmt.Errorf("go build ./bareproxy: %v\n%s", err, out)
		}
	})
	if bareErr != nil {
		tb.Fatal(bareErr)
	}
	cmd := proxyCommand(barePath, "-upstream", upstream, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "bareproxy: proxying on ")
	if err != nil || !ok {
		tb.Fatalf("bareproxy printed %q, %v", line, err)
	}
	return &serveProcess{cmd: cmd, url: u}
}

var upstreamCount = regexp.MustCompile(`(?m)^s3cors_proxy_upstream_request_duration_seconds_count\{[^}]*\} (\d+)$`)

// upstreamRequests returns how many requests the proxy has made to its
// upstream, passed through or its own.
func (p *proxyProcess) upstreamRequests(tb testing.TB) int {
	tb.Helper()
	body, _, err := send(http.DefaultClient, "GET", p.metrics+"/metrics", nil)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, m := range upstreamCount.FindAllSubmatch(body, -1) {
		v, _ := strconv.Atoi(string(m[1]))
		n += v
	}
	return n
}

// benchRules is the configuration every endpoint gets: the preflight the
// benchmark sends is allowed.
const benchRules = `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin>` +
	`<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>` +
	`<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`

// setUp makes the bucket "bench" on url with benchRules and the objects,
// signed with signer when it is not nil.
func setUp(tb testing.TB, url string, signer *sigv.Signer, objects map[string][]byte) {
	tb.Helper()
	sum := md5.Sum([]byte(benchRules))
	steps := []struct {
		method, path string
		body         []byte
		header       []string
	}{
		{"PUT", "/bench", nil, nil},
		{"PUT", "/bench?cors", []byte(benchRules), []string{"Content-MD5", base64.StdEncoding.EncodeToString(sum[:])}},
	}
	for key, body := range objects {
		steps = append(steps, struct {
			method, path string
			body         []byte
			header       []string
		}{"PUT", "/bench/" + key, body, nil})
	}
	for _, s := range steps {
		req, err := http.NewRequest(s.method, url+s.path, bytes.NewReader(s.body))
		if err != nil {
			tb.Fatal(err)
		}
		for i := 0; i+1 < len(s.header); i += 2 {
			req.Header.Set(s.header[i], s.header[i+1])
		}
		if signer != nil {
			signer.Sign(req, sigv.PayloadHash(s.body), time.Now())
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && !(s.path == "/bench" && resp.StatusCode == http.StatusConflict) {
			tb.Fatalf("%s %s on %s: %s %s", s.method, s.path, url, resp.Status, b)
		}
	}
}

// load sends b.N requests made by newRequest from benchClients clients,
// checks each answer, and reports requests a second and latencies.
func load(b *testing.B, newRequest func() *http.Request, check func(*http.Response) error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	var all []time.Duration
	b.SetParallelism(int(math.Ceil(float64(benchClients) / float64(runtime.GOMAXPROCS(0)))))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var lat []time.Duration
		for pb.Next() {
			t0 := time.Now()
			if err := do(client, newRequest(), check); err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, time.Since(t0))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
}

// do sends req, reads the whole answer and checks it.
func do(client *http.Client, req *http.Request, check func(*http.Response) error) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	return check(resp)
}

// preflightRequest is the benchmark's preflight to url, which the rules
// allow.
func preflightRequest(url string) func() *http.Request {
	return func() *http.Request {
		req, _ := http.NewRequest("OPTIONS", url+"/bench/photo.jpg", nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Access-Control-Request-Method", "PUT")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		return req
	}
}

func checkPreflight(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		return fmt.Errorf("preflight: %s, Access-Control-Allow-Origin %q", resp.Status, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	return nil
}

// versitygw returns the versitygw v1.8.0 binary, or "" when there is
// none: $S3CORS_VERSITYGW, or versitygw in GOPATH/bin.
func versitygw() string {
	path := os.Getenv("S3CORS_VERSITYGW")
	if path == "" {
		out, err := exec.Command("go", "env", "GOPATH").Output()
		if err != nil {
			return ""
		}
		path = filepath.Join(strings.TrimSpace(string(out)), "bin", "versitygw")
	}
	out, err := exec.Command("go", "version", "-m", path).Output()
	if err != nil || !regexp.MustCompile(`(?m)^\s+mod\s+github.com/versity/versitygw\s+v1\.8\.0\s`).Match(out) {
		return ""
	}
	return path
}

// vgwKeys are the root keys of the versitygw gateways.
var vgwKeys = &sigv.Signer{AccessKey: "AKIDBENCH", SecretKey: "bench-secret"}

// startVersitygw starts versitygw with backend args on a free loopback
// port and returns its URL.
func startVersitygw(tb testing.TB, bin string, backend ...string) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append([]string{"--port", addr, "--access", vgwKeys.AccessKey, "--secret", vgwKeys.SecretKey, "--quiet"}, backend...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	// The s3 backend cannot start with AWS_CA_BUNDLE set ("unable to add
	// custom RootCAs"); its upstream here is plain HTTP.
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "AWS_CA_BUNDLE=") })
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw %v did not listen on %s", backend, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// BenchmarkProxyPreflight answers the same allowed preflight from each
// endpoint, its cache warm for the proxy: "s3cors serve" itself, the
// proxy in front of it, and versitygw's posix and s3 backends.
func BenchmarkProxyPreflight(b *testing.B) {
	serve := startServe(b)
	setUp(b, serve.url, nil, nil)
	proxy := startProxy(b, serve.url)
	setUp(b, proxy.url, nil, nil)
	cases := []struct{ name, url string }{{"serve", serve.url}, {"proxy", proxy.url}}
	if bin := versitygw(); bin != "" {
		posix := startVersitygw(b, bin, "posix", b.TempDir())
		setUp(b, posix, vgwKeys, nil)
		// The s3 backend keeps bucket settings in a meta bucket of its
		// upstream, another posix gateway here.
		store := startVersitygw(b, bin, "posix", b.TempDir())
		setUp(b, store, vgwKeys, nil)
		mkBucket(b, store, "vgw-meta")
		gateway := startVersitygw(b, bin, "s3", "--endpoint", store, "--use-path-style", "--meta-bucket", "vgw-meta",
			"--access", vgwKeys.AccessKey, "--secret", vgwKeys.SecretKey)
		setUp(b, gateway, vgwKeys, nil)
		cases = append(cases, struct{ name, url string }{"versitygw-posix", posix}, struct{ name, url string }{"versitygw-s3", gateway})
	} else {
		b.Log("no versitygw v1.8.0: its cases are left out (GOBIN=DIR go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			checkPreflight(must(http.DefaultClient.Do(preflightRequest(c.url)())))
			before := 0
			if c.name == "proxy" {
				before = proxy.upstreamRequests(b)
			}
			load(b, preflightRequest(c.url), checkPreflight)
			if c.name == "proxy" {
				// The revalidations, one conditional GET a TTL (1 s), are
				// all the upstream sees: no preflight waits for it.
				b.ReportMetric(float64(proxy.upstreamRequests(b)-before)/float64(b.N), "upstream-req/op")
			}
		})
	}
}

// mkBucket makes bucket on url, signed with vgwKeys.
func mkBucket(tb testing.TB, url, bucket string) {
	tb.Helper()
	req, _ := http.NewRequest("PUT", url+"/"+bucket, nil)
	vgwKeys.Sign(req, sigv.EmptySHA256, time.Now())
	if resp := must(http.DefaultClient.Do(req)); resp.StatusCode != http.StatusOK {
		tb.Fatalf("PUT /%s on %s: %s", bucket, url, resp.Status)
	}
}

func must(resp *http.Response, err error) *http.Response {
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// BenchmarkProxyGetObject gets objects of 1 KiB and 10 MiB from "s3cors
// serve", directly, through a bare httputil.ReverseProxy and through the
// proxy, from a page's origin that the rules admit: throughput (MB/s) and
// latencies side by side. The bare proxy is the floor: on one machine the
// client, the proxy and the server share the cores, so a second hop costs
// what the server itself costs, whatever the proxy does.
func BenchmarkProxyGetObject(b *testing.B) {
	objects, routes := getObjectRoutes(b)
	for _, size := range []string{"1KiB", "10MiB"} {
		for _, c := range routes {
			b.Run(size+"/"+c.name, func(b *testing.B) {
				b.SetBytes(int64(len(objects[size])))
				load(b, getObjectRequest(c.url, size), checkGetObject(size, len(objects[size])))
			})
		}
	}
}

// getObjectRoutes starts s3cors serve with a 1 KiB and a 10 MiB object,
// and the proxy and a bare reverse proxy in front of it, and returns the
// objects and the three ways to them: directly, through the bare reverse
// proxy, through the proxy.
func getObjectRoutes(b *testing.B) (objects map[string][]byte, routes []route) {
	objects = map[string][]byte{"1KiB": randomPayload(1 << 10), "10MiB": randomPayload(10 << 20)}
	serve := startServe(b)
	setUp(b, serve.url, nil, objects)
	proxy := startProxy(b, serve.url)
	setUp(b, proxy.url, nil, nil)
	bare := startBareProxy(b, serve.url)
	return objects, []route{{"direct", serve.url, serve, nil}, {"bare-reverseproxy", bare.url, serve, bare},
		{"proxy", proxy.url, serve, &proxy.serveProcess}}
}

// route is a way to the store's objects: the URL clients send to, the
// store's process, and the hop's in between (nil when direct).
type route struct {
	name, url  string
	store, hop *serveProcess
}

// BenchmarkProxyGetObjectWrk is BenchmarkProxyGetObject with wrk as the
// client: -t1, benchClients connections, the page's Origin, and answers
// awaited up to 30 s (wrk's 2 s is less than 64 clients' 10 MiB answers
// take). wrk's one thread costs the cores less than Go's client; its CPU
// is reported too, since near 100 % it is the bound. Each case first checks one
// answer's status, length and Access-Control-Expose-Headers through Go's
// client; it fails on answers wrk counts as failed and on socket errors.
// wrk drives each case once, for the -benchtime given as a duration (1 s
// by default; wrkDuration for a count of runs), so that one run meets it.
// It reports requests and megabytes a second, wrk's p50 and p99 (which wrk
// corrects for coordinated omission, unlike the other benchmarks'), and
// the CPU time a request costs the store and the hop between (user and
// system, from /proc) and wrk's share of a core; not ns/op.
func BenchmarkProxyGetObjectWrk(b *testing.B) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		b.Fatal("wrk is not installed (Debian's package wrk)")
	}
	d := wrkDuration
	if v, err := time.ParseDuration(flag.Lookup("test.benchtime").Value.String()); err == nil {
		d = max(v, time.Second)
	}
	objects, routes := getObjectRoutes(b)
	for _, size := range []string{"1KiB", "10MiB"} {
		for _, c := range routes {
			b.Run(size+"/"+c.name, func(b *testing.B) {
				if err := do(http.DefaultClient, getObjectRequest(c.url, size)(), checkGetObject(size, len(objects[size]))); err != nil {
					b.Fatal(err)
				}
				store, hop := c.store.cpu(b), c.hop.cpu(b)
				cmd := exec.Command(wrk, "-t1", "-c"+strconv.Itoa(benchClients), "-d"+d.String(), "--timeout", "30s", "--latency",
					"-H", "Origin: https://app.example.com", c.url+"/bench/"+size)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("wrk: %v\n%s", err, out)
				}
				r, err := probe.ParseWrk(string(out))
				if err == nil && !r.Latency {
					err = errors.New("wrk reported no latency distribution")
				}
				if err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
				requests := r.Rate * d.Seconds()
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(r.Rate, "req/s")
				b.ReportMetric(r.Rate*float64(len(objects[size]))/1e6, "MB/s")
				b.ReportMetric(r.P50.Seconds()*1000, "wrk-p50-ms")
				b.ReportMetric(r.P99.Seconds()*1000, "wrk-p99-ms")
				b.ReportMetric(float64((c.store.cpu(b)-store).Microseconds())/requests, "store-cpu-µs/req")
				if c.hop != nil {
					b.ReportMetric(float64((c.hop.cpu(b)-hop).Microseconds())/requests, "hop-cpu-µs/req")
				}
				wrkCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				b.ReportMetric(100*wrkCPU.Seconds()/d.Seconds(), "wrk-cpu-%")
			})
		}
	}
}

// wrkDuration is how long BenchmarkProxyGetObjectWrk drives each case
// when -benchtime is a count of runs.
const wrkDuration = 5 * time.Second

// cpu returns the CPU time p's process has used so far, user and
// system; 0 for a nil p (no hop).
func (p *serveProcess) cpu(b *testing.B) time.Duration {
	if p == nil {
		return 0
	}
	d, err := probe.CPUTime(p.cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// getObjectRequest is the benchmarks' GET of the object named size from
// a page's origin that the rules admit.
func getObjectRequest(url, size string) func() *http.Request {
	return func() *http.Request {
		req, _ := http.NewRequest("GET", url+"/bench/"+size, nil)
		req.Header.Set("Origin", "https://app.example.com")
		return req
	}
}

// checkGetObject checks a GetObject's answer: the whole object, with the
// CORS headers of the rule that admits the page.
func checkGetObject(size string, want int) func(*http.Response) error {
	return func(resp *http.Response) error {
		if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(want) || resp.Header.Get("Access-Control-Expose-Headers") != "ETag" {
			return fmt.Errorf("GET %s: %s, %d bytes, Expose-Headers %q", size, resp.Status, resp.ContentLength, resp.Header.Get("Access-Control-Expose-Headers"))
		}
		return nil
	}
}

// pacedRate is the requests a second of BenchmarkProxyGetObjectPaced:
// about a tenth of what a bare reverse proxy carried saturated on the
// 2-core development machine, so that the cores are not the queue.
const pacedRate = 1000

// BenchmarkProxyGetObjectPaced measures the latency the proxy adds to a
// 1 KiB GetObject when the machine is not saturated, which
// BenchmarkProxyGetObject cannot show: there every hop queues for the
// same two cores, and the added p99 is the queue's. Here benchClients
// clients send pacedRate requests a second in all, each request due at a
// fixed time whatever the answers to the others (an open loop). It
// reports the p50 and p99 of the latency from sending a request to
// reading its answer whole, and of the lag, from when a request was due
// to when it was sent: the oversleep of the client's timers, and the
// wait for a free client when answers stall. "late" is the fraction of
// requests sent more than 10 ms after they were due: more than a few,
// and the rate was more than the machine carried.
func BenchmarkProxyGetObjectPaced(b *testing.B) {
	const size = "1KiB"
	objects := map[string][]byte{size: randomPayload(1 << 10)}
	serve := startServe(b)
	setUp(b, serve.url, nil, objects)
	proxy := startProxy(b, serve.url)
	setUp(b, proxy.url, nil, nil)
	bare := startBareProxy(b, serve.url)
	for _, c := range []struct{ name, url string }{{"direct", serve.url}, {"bare-reverseproxy", bare.url}, {"proxy", proxy.url}} {
		b.Run(size+"/"+c.name, func(b *testing.B) {
			paced(b, getObjectRequest(c.url, size), checkGetObject(size, len(objects[size])))
		})
	}
}

// paced sends b.N requests made by newRequest from benchClients clients,
// request i due pacedRate-th of a second after request i-1, checks each
// answer, and reports the latencies and the lags.
func paced(b *testing.B, newRequest func() *http.Request, check func(*http.Response) error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}}
	defer client.CloseIdleConnections()
	const interval = time.Second / pacedRate
	latencies, lags := make([]time.Duration, b.N), make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range benchClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				due := start.Add(time.Duration(i) * interval)
				time.Sleep(time.Until(due))
				sent := time.Now()
				if err := do(client, newRequest(), check); err != nil {
					b.Error(err)
					return
				}
				latencies[i], lags[i] = time.Since(sent), sent.Sub(due)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	slices.Sort(lags)
	ms := func(d []time.Duration, q float64) float64 {
		return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(latencies, 0.50), "p50-ms")
	b.ReportMetric(ms(latencies, 0.99), "p99-ms")
	b.ReportMetric(ms(lags, 0.50), "lag-p50-ms")
	b.ReportMetric(ms(lags, 0.99), "lag-p99-ms")
	late, _ := slices.BinarySearch(lags, 10*time.Millisecond)
	b.ReportMetric(float64(len(lags)-late)/float64(len(lags)), "late")
}

// maxProxyRSS bounds the proxy's peak resident memory while a 1 GiB
// object streams through it.
const maxProxyRSS = 64 << 20

// TestProxyStreamRSS uploads a 1 GiB object through the proxy and
// downloads it back, with an Origin so that the CORS path runs, and holds
// the proxy's peak resident memory under 64 MiB: bodies stream, never
// held. The upstream is a sink and a source in this process ("s3cors
// serve" takes at most 64 MiB a PutObject): it hashes what it receives
// and sends the same bytes back.
func TestProxyStreamRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 1 GiB each way through the proxy")
	}
	const size = 1 << 30
	chunk := randomPayload(1 << 20)
	body := func() io.Reader {
		readers := make([]io.Reader, size/len(chunk))
		for i := range readers {
			readers[i] = bytes.NewReader(chunk)
		}
		return io.MultiReader(readers...)
	}
	var received int64
	var same bool
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "PUT" && r.URL.Path == "/bench/1GiB":
			ok, n, err := equalReaders(r.Body, body())
			received, same = n, ok && err == nil
			w.Header()["ETag"] = []string{`"1"`}
		case r.Method == "GET" && r.URL.Path == "/bench/1GiB":
			w.Header().Set("Content-Length", strconv.Itoa(size))
			io.Copy(w, body())
		case r.Method == "HEAD" && r.URL.Path == "/bench":
		default:
			// The configuration's GET among them: S3's NoSuchKey, none.
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `<Error><Code>NoSuchKey</Code></Error>`)
		}
	}))
	t.Cleanup(up.Close)
	proxy := startProxy(t, up.URL)
	start := time.Now()
	req, _ := http.NewRequest("PUT", proxy.url+"/bench/1GiB", body())
	req.ContentLength = size
	req.Header.Set("Origin", "https://app.example.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || received != size || !same {
		t.Fatalf("PUT 1 GiB: %s; the upstream received %d bytes, the same: %v", resp.Status, received, same)
	}
	up1 := time.Since(start)
	start = time.Now()
	req, _ = http.NewRequest("GET", proxy.url+"/bench/1GiB", nil)
	req.Header.Set("Origin", "https://app.example.com")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ok, n, err := equalReaders(resp.Body, body())
	resp.Body.Close()
	if err != nil || !ok || n != size {
		t.Fatalf("GET 1 GiB: %d bytes, the same: %v, err %v", n, ok, err)
	}
	down := time.Since(start)
	rss := proxy.peakRSS(t)
	t.Logf("1 GiB through the proxy: up %.0f MB/s, down %.0f MB/s; the proxy's peak RSS %.1f MiB (bound %d MiB)",
		size/up1.Seconds()/1e6, size/down.Seconds()/1e6, float64(rss)/(1<<20), maxProxyRSS>>20)
	if rss > maxProxyRSS {
		t.Errorf("the proxy's peak RSS is %.1f MiB, over %d MiB", float64(rss)/(1<<20), maxProxyRSS>>20)
	}
}

// equalReaders compares two streams in bounded memory.
func equalReaders(a, b io.Reader) (same bool, n int64, err error) {
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	same = true
	for {
		na, errA := io.ReadFull(a, bufA)
		nb, _ := io.ReadFull(b, bufB[:na])
		if nb != na || !bytes.Equal(bufA[:na], bufB[:nb]) {
			same = false
		}
		n += int64(na)
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			extra, _ := b.Read(bufB[:1])
			return same && extra == 0, n, nil
		}
		if errA != nil {
			return false, n, errA
		}
	}
}

// TestUpstreamRequestsPerPreflight counts the requests each gateway
// makes to its upstream for 100 preflights of a bucket it answered
// before: none for the proxy, whose cache is warm; versitygw's s3
// backend, measured beside it when installed, asks its upstream on every
// one.
func TestUpstreamRequestsPerPreflight(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binaries")
	}
	const n = 100
	serve := startServe(t)
	proxy := startProxy(t, serve.url)
	setUp(t, proxy.url, nil, nil)
	send100 := func(url string) {
		for range n {
			if err := checkPreflight(must(http.DefaultClient.Do(preflightRequest(url)()))); err != nil {
				t.Fatal(err)
			}
		}
	}
	must(http.DefaultClient.Do(preflightRequest(proxy.url)()))
	before := proxy.upstreamRequests(t)
	send100(proxy.url)
	if got := proxy.upstreamRequests(t) - before; got != 0 {
		t.Errorf("%d warm preflights cost the proxy's upstream %d requests, want 0", n, got)
	}
	bin := versitygw()
	if bin == "" {
		t.Log("no versitygw v1.8.0: its count is left out")
		return
	}
	store := startVersitygw(t, bin, "posix", t.TempDir())
	mkBucket(t, store, "vgw-meta")
	var mu sync.Mutex
	count := 0
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		mu.Unlock()
		rp := httputil.NewSingleHostReverseProxy(must2(url.Parse(store)))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	gateway := startVersitygw(t, bin, "s3", "--endpoint", counting.URL, "--use-path-style", "--meta-bucket", "vgw-meta",
		"--access", vgwKeys.AccessKey, "--secret", vgwKeys.SecretKey)
	setUp(t, gateway, vgwKeys, nil)
	must(http.DefaultClient.Do(preflightRequest(gateway)()))
	mu.Lock()
	count = 0
	mu.Unlock()
	send100(gateway)
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d warm preflights: the proxy made 0 upstream requests, versitygw's s3 backend %d (%.1f a preflight)", n, count, float64(count)/n)
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
