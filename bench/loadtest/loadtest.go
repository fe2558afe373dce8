// Command loadtest drives an s3cors endpoint on loopback with many
// concurrent keep-alive clients for a fixed time, mixing preflights that
// the bucket's rules allow and refuse, GETs of objects, PutObjects and
// configuration changes, and reports requests per second, p50 and p99
// latency, errors and lost writes.
//
// By default it starts s3server in this process on a loopback TCP
// listener, with its data on disk in a temporary directory, behind an
// http.Server with the limits "s3cors serve" uses. With -endpoint it
// drives a running "s3cors serve" (started without keys) instead:
//
//	go run ./loadtest -duration 10s -clients 64
//	s3cors serve --addr 127.0.0.1:9000 --data /tmp/lt &
//	go run ./loadtest -endpoint http://127.0.0.1:9000
//
// An answer is an error when its status is not the one S3 gives, when a
// preflight's headers do not all come from one of the two configurations
// the bucket alternates between, or when a GET's data is not what was
// stored. At the end every acknowledged PutObject is read back; one that
// does not hold what was acknowledged is a lost write. The goal is zero
// of both; the exit status is 1 otherwise.
package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/s3cors/s3cors/s3server"
)

// config is what a run does.
type config struct {
	endpoint string        // a running endpoint; "" starts one in this process
	dataDir  string        // its data directory; "" is a temporary one
	duration time.Duration // how long the clients send requests
	clients  int           // concurrent keep-alive clients
	objects  int           // objects the GETs read
	mix      [kinds]int    // how many in 100 requests are of each kind; zero means defaultMix
}

// kind is one kind of request in the mix.
type kind int

const (
	preflightAllowed kind = iota
	preflightRefused
	getObject
	putObject
	putBucketCors
	kinds
)

var kindNames = [kinds]string{"preflight allowed", "preflight refused", "GetObject", "PutObject", "PutBucketCors"}

// defaultMix is how many in 100 requests are of each kind.
var defaultMix = [kinds]int{35, 10, 35, 15, 5}

// parseMix reads a mix written as five comma-separated weights, in the
// order of kindNames.
func parseMix(s string) ([kinds]int, error) {
	var m [kinds]int
	parts := strings.Split(s, ",")
	if len(parts) != int(kinds) {
		return m, fmt.Errorf("want %d weights (%s), got %q", kinds, strings.Join(kindNames[:], ", "), s)
	}
	sum := 0
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 {
			return m, fmt.Errorf("weight %q is not a number of requests", p)
		}
		m[i], sum = n, sum+n
	}
	if sum == 0 {
		return m, errors.New("every weight is zero")
	}
	return m, nil
}

// The two configurations the bucket alternates between. Both allow
// https://app.example to GET with Content-Type; an answer must carry the
// Expose-Headers and Max-Age of one of them, never a mix.
const (
	allowedOrigin = "https://app.example"
	refusedOrigin = "https://evil.example"
	bucketName    = "loadtest"
)

var configs = [2]struct {
	doc            []byte
	expose, maxAge string
}{
	{corsDoc("x-config-a", 100), "x-config-a", "100"},
	{corsDoc("x-config-b", 200), "x-config-b", "200"},
}

func corsDoc(expose string, maxAge int) []byte {
	return []byte(`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>` +
		`<AllowedOrigin>` + allowedOrigin + `</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
		`<AllowedHeader>content-type</AllowedHeader><ExposeHeader>` + expose + `</ExposeHeader>` +
		`<MaxAgeSeconds>` + strconv.Itoa(maxAge) + `</MaxAgeSeconds></CORSRule></CORSConfiguration>`)
}

// report is what a run measured.
type report struct {
	endpoint   string
	dataDir    string
	inProcess  bool
	clients    int
	elapsed    time.Duration
	latencies  [kinds][]time.Duration
	errors     [kinds]int
	firstErrs  []string
	puts       int // acknowledged PutObjects
	acked      int // keys whose last acknowledged PutObject is read back
	lost       int // of those, keys that do not hold it
	corsSwaps  int64
	fromConfig [2]int64 // allowed preflights answered from each configuration
}

func (r *report) totalErrors() int {
	n := 0
	for _, e := range r.errors {
		n += e
	}
	return n
}

// clientStats is what one client measured; merged into the report at
// the end, so that the clients share nothing while they run.
type clientStats struct {
	latencies [kinds][]time.Duration
	errors    [kinds]int
	firstErrs []string
	puts      int               // acknowledged PutObjects
	acked     map[string]string // key: digest of the last acknowledged write
}

func (c *clientStats) fail(k kind, format string, args ...any) {
	c.errors[k]++
	if len(c.firstErrs) < 5 {
		c.firstErrs = append(c.firstErrs, kindNames[k]+": "+fmt.Sprintf(format, args...))
	}
}

// run starts the endpoint unless cfg names one, sets the bucket up,
// drives it with cfg.clients clients for cfg.duration, and reads back
// every acknowledged write.
func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{endpoint: cfg.endpoint, clients: cfg.clients}
	if cfg.mix == ([kinds]int{}) {
		cfg.mix = defaultMix
	}
	if cfg.endpoint == "" {
		url, dir, stop, err := startInProcess(cfg.dataDir)
		if err != nil {
			return nil, err
		}
		defer stop()
		rep.endpoint, rep.dataDir, rep.inProcess = url, dir, true
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: 2 * cfg.clients, MaxIdleConnsPerHost: 2 * cfg.clients, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	lt := &loadTest{url: strings.TrimSuffix(rep.endpoint, "/") + "/" + bucketName, client: client}
	static, err := lt.setUp(cfg.objects)
	if err != nil {
		return nil, fmt.Errorf("setting the bucket up: %w", err)
	}
	lt.static = static

	stats := make([]*clientStats, cfg.clients)
	deadline := time.Now().Add(cfg.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range cfg.clients {
		stats[c] = &clientStats{acked: map[string]string{}}
		wg.Go(func() { lt.drive(ctx, c, cfg.mix, deadline, stats[c]) })
	}
	wg.Wait()
	rep.elapsed = time.Since(start)
	rep.corsSwaps = lt.swaps.Load()
	rep.fromConfig = [2]int64{lt.fromConfig[0].Load(), lt.fromConfig[1].Load()}
	for c, st := range stats {
		for k := range kinds {
			rep.latencies[k] = append(rep.latencies[k], st.latencies[k]...)
			rep.errors[k] += st.errors[k]
		}
		rep.firstErrs = append(rep.firstErrs, st.firstErrs...)
		rep.puts += st.puts
		for key, want := range st.acked {
			rep.acked++
			if got, err := lt.getDigest(key); err != nil || got != want {
				rep.lost++
				if len(rep.firstErrs) < 10 {
					rep.firstErrs = append(rep.firstErrs, fmt.Sprintf("client %d: lost write %s: %v", c, key, err))
				}
			}
		}
	}
	return rep, nil
}

// startInProcess serves s3server on a loopback TCP listener with the
// limits of "s3cors serve", its data on disk.
func startInProcess(dataDir string) (url, dir string, stop func(), err error) {
	dir = dataDir
	cleanup := func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "s3cors-loadtest-"); err != nil {
			return "", "", nil, err
		}
		cleanup = func() { os.RemoveAll(dir) }
	}
	srv, err := s3server.New(s3server.Options{DataDir: dir})
	if err != nil {
		cleanup()
		return "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		cleanup()
		return "", "", nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10}
	go hs.Serve(ln)
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
		srv.Close()
		cleanup()
	}
	return "http://" + ln.Addr().String(), dir, stop, nil
}

// loadTest is what the clients share: the bucket's URL, the objects the
// GETs read, and the configuration counters.
type loadTest struct {
	url        string
	client     *http.Client
	static     []string // digest of static/i
	swaps      atomic.Int64
	fromConfig [2]atomic.Int64
}

func (lt *loadTest) do(method, path string, body []byte, header ...string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, lt.url+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if body == nil {
		req.Body, req.ContentLength = nil, 0
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := lt.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func contentMD5(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// setUp makes the bucket with the first configuration and the objects
// the GETs read, and returns their digests.
func (lt *loadTest) setUp(objects int) ([]string, error) {
	resp, body, err := lt.do("PUT", "", nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 && !bytes.Contains(body, []byte("BucketAlreadyOwnedByYou")) {
		return nil, fmt.Errorf("CreateBucket: %s %s", resp.Status, body)
	}
	if resp, body, err := lt.do("PUT", "?cors", configs[0].doc, "Content-MD5", contentMD5(configs[0].doc)); err != nil || resp.StatusCode != 200 {
		return nil, fmt.Errorf("PutBucketCors: %v %s", err, body)
	}
	digests := make([]string, objects)
	for i := range digests {
		data := make([]byte, 4<<10)
		rand.Read(data)
		if resp, body, err := lt.do("PUT", "/static/"+strconv.Itoa(i), data); err != nil || resp.StatusCode != 200 {
			return nil, fmt.Errorf("PutObject: %v %s", err, body)
		}
		digests[i] = digest(data)
	}
	return digests, nil
}

func (lt *loadTest) getDigest(key string) (string, error) {
	resp, body, err := lt.do("GET", "/"+key, nil)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return "", errors.New(resp.Status)
	}
	return digest(body), nil
}

// drive sends requests of the mix until the deadline.
func (lt *loadTest) drive(ctx context.Context, c int, mix [kinds]int, deadline time.Time, st *clientStats) {
	rng := mrand.New(mrand.NewPCG(uint64(c), uint64(time.Now().UnixNano())))
	var weights [kinds]int
	sum := 0
	for k, w := range mix {
		sum += w
		weights[k] = sum
	}
	for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
		pick := rng.IntN(sum)
		k := kind(0)
		for pick >= weights[k] {
			k++
		}
		start := time.Now()
		lt.one(k, c, n, rng, st)
		st.latencies[k] = append(st.latencies[k], time.Since(start))
	}
}

// one sends one request of kind k and checks its answer.
func (lt *loadTest) one(k kind, c, n int, rng *mrand.Rand, st *clientStats) {
	switch k {
	case preflightAllowed, preflightRefused:
		origin := allowedOrigin
		if k == preflightRefused {
			origin = refusedOrigin
		}
		path := "/static/" + strconv.Itoa(rng.IntN(len(lt.static)))
		resp, body, err := lt.do("OPTIONS", path, nil, "Origin", origin, "Access-Control-Request-Method", "GET",
			"Access-Control-Request-Headers", "Content-Type")
		if err != nil {
			st.fail(k, "%v", err)
			return
		}
		h := resp.Header
		if k == preflightRefused {
			if resp.StatusCode != 403 || !bytes.Contains(body, []byte("<Code>AccessForbidden</Code>")) || h.Get("Access-Control-Allow-Origin") != "" {
				st.fail(k, "%s %s", resp.Status, body)
			}
			return
		}
		if resp.StatusCode != 200 || h.Get("Access-Control-Allow-Origin") != allowedOrigin || h.Get("Access-Control-Allow-Methods") != "GET, PUT" ||
			h.Get("Access-Control-Allow-Headers") != "content-type" {
			st.fail(k, "%s %v", resp.Status, h)
			return
		}
		for i, cfg := range configs {
			if h.Get("Access-Control-Expose-Headers") == cfg.expose && h.Get("Access-Control-Max-Age") == cfg.maxAge {
				lt.fromConfig[i].Add(1)
				return
			}
		}
		st.fail(k, "an answer from neither configuration: Expose-Headers %q, Max-Age %q",
			h.Get("Access-Control-Expose-Headers"), h.Get("Access-Control-Max-Age"))
	case getObject:
		i := rng.IntN(len(lt.static))
		resp, body, err := lt.do("GET", "/static/"+strconv.Itoa(i), nil, "Origin", allowedOrigin)
		switch {
		case err != nil:
			st.fail(k, "%v", err)
		case resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != allowedOrigin:
			st.fail(k, "%s %v", resp.Status, resp.Header)
		case digest(body) != lt.static[i]:
			st.fail(k, "static/%d does not hold what was stored", i)
		}
	case putObject:
		key := fmt.Sprintf("client%d/key%d", c, n%32)
		data := make([]byte, 1<<10+rng.IntN(15<<10))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		resp, body, err := lt.do("PUT", "/"+key, data, "Content-MD5", contentMD5(data), "Content-Type", "application/octet-stream")
		sum := md5.Sum(data)
		switch {
		case err != nil:
			st.fail(k, "%v", err)
		case resp.StatusCode != 200 || resp.Header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"`:
			st.fail(k, "%s %s", resp.Status, body)
		default:
			st.puts++
			st.acked[key] = digest(data)
		}
	case putBucketCors:
		doc := configs[lt.swaps.Add(1)%2].doc
		resp, body, err := lt.do("PUT", "?cors", doc, "Content-MD5", contentMD5(doc))
		if err != nil {
			st.fail(k, "%v", err)
		} else if resp.StatusCode != 200 {
			st.fail(k, "%s %s", resp.Status, body)
		}
	}
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// print writes the report as a table for people.
func (r *report) print(w io.Writer) {
	where := "a running endpoint"
	if r.inProcess {
		where = "s3server in this process, data on disk in " + r.dataDir
	}
	fmt.Fprintf(w, "s3cors load test: %d clients for %v against %s (%s)\n\n", r.clients, r.elapsed.Round(time.Millisecond), r.endpoint, where)
	const row = "%-18s %9s %9s %9s %9s %7s\n"
	fmt.Fprintf(w, row, "kind", "requests", "req/s", "p50", "p99", "errors")
	line := func(name string, l []time.Duration, errs int) {
		fmt.Fprintf(w, row, name, strconv.Itoa(len(l)), fmt.Sprintf("%.0f", float64(len(l))/r.elapsed.Seconds()),
			ms(percentile(l, 50)), ms(percentile(l, 99)), strconv.Itoa(errs))
	}
	var all []time.Duration
	for k := range kinds {
		l := slices.Clone(r.latencies[k])
		slices.Sort(l)
		all = append(all, l...)
		line(kindNames[k], l, r.errors[k])
	}
	slices.Sort(all)
	line("all", all, r.totalErrors())
	fmt.Fprintf(w, "\nconfiguration changes: %d; allowed preflights answered from A: %d, from B: %d, from a mix: %d\n",
		r.corsSwaps, r.fromConfig[0], r.fromConfig[1], r.errors[preflightAllowed])
	fmt.Fprintf(w, "lost writes: %d (%d PutObjects acknowledged; the last one of each of %d keys read back at the end)\n", r.lost, r.puts, r.acked)
	for _, e := range r.firstErrs {
		fmt.Fprintln(w, "error:", e)
	}
}
