package main

import (
	"bufio"
	"context"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// proxied is a running "s3cors proxy".
type proxied struct {
	url, metrics string
	inspector    string // "" when it printed no inspector's URL
	stderr       *lockedBuffer
	done         chan int
}

// startProxyVerb runs start in a goroutine and waits for the URLs it
// prints.
func startProxyVerb(t *testing.T, start func(stdout, stderr io.Writer) int) *proxied {
	t.Helper()
	pr, pw := io.Pipe()
	p := &proxied{stderr: &lockedBuffer{}, done: make(chan int, 1)}
	go func() {
		code := start(pw, p.stderr)
		pw.Close()
		p.done <- code
	}()
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "s3cors: metrics on "); ok {
				p.metrics, _, _ = strings.Cut(u, "/metrics")
			}
			if u, ok := strings.CutPrefix(line, "s3cors: CORS inspector on "); ok {
				p.inspector = u
			}
			if u, ok := strings.CutPrefix(line, "s3cors: proxying S3 on "); ok {
				p.url, _, _ = strings.Cut(u, " ")
				close(ready)
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case <-ready:
		return p
	case code := <-p.done:
		t.Fatalf("proxy exited %d before printing its URL; stderr:\n%s", code, p.stderr)
	case <-time.After(10 * time.Second):
		t.Fatalf("no URL printed; stderr:\n%s", p.stderr)
	}
	return nil
}

func (p *proxied) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-p.done:
		return code
	case <-time.After(40 * time.Second):
		t.Fatal("proxy did not stop")
		return -1
	}
}

const proxyTestAccess, proxyTestSecret = "AKIDVERBTEST", "verb-test-secret"

func writeCredentials(t *testing.T, text string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestProxyFlags(t *testing.T) {
	t.Parallel()
	good := writeCredentials(t, "# users\nAK1 SK1\n\nAK2 SK2\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "--upstream is required"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--access-key", "A"}, "--access-key and --secret-key go together"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--access-key", "A", "--secret-key", "S", "--credentials", good}, "exclude each other"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--upstream-access-key", "A"}, "--upstream-access-key and --upstream-secret-key go together"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--credentials", writeCredentials(t, "AK1 SK1 extra\n")}, "want ACCESS_KEY SECRET_KEY, got 3 fields"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--credentials", writeCredentials(t, "AK1 SK1\nAK1 SK2\n")}, "access key AK1 given twice"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--credentials", writeCredentials(t, "# none\n")}, "no key pair"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--credentials", writeCredentials(t, "AK1\n")}, "want ACCESS_KEY SECRET_KEY, got 1 field\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--config-ttl", "0s"}, "--config-ttl 0s: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--config-ttl", "-1s"}, "--config-ttl -1s: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--config-max-stale", "0s"}, "--config-max-stale 0s: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--max-buckets", "0"}, "--max-buckets 0: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--lookup-rate", "-1"}, "--lookup-rate -1: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--upstream-timeout", "0s"}, "--upstream-timeout 0s: must be positive\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--drain-delay", "-1s"}, "--drain-delay -1s: must not be negative\n"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--drain-delay", "1s"}, "--drain-delay without --metrics-addr: it keeps the proxy answering while /readyz tells load balancers it drains"},
		// The proxy serves its inspector only on --metrics-addr.
		{[]string{"--upstream", "http://127.0.0.1:1", "--no-inspector"}, "--no-inspector without --metrics-addr: the proxy serves the CORS inspector only on --metrics-addr"},
		{[]string{"--upstream", "ftp://127.0.0.1:1"}, "is not an http or https URL"},
		{[]string{"--upstream", "http://127.0.0.1:1/prefix"}, "has more than a scheme and a host"},
		{[]string{"--upstream", "http://127.0.0.1:1", "--config-bucket", "Bad_Name"}, `--config-bucket: "Bad_Name" is not a name S3 lets a new bucket have`},
		{[]string{"--upstream", "http://127.0.0.1:1", "--domain", "127.0.0.1"}, "is an IP address"},
		{[]string{"--upstream", "http://127.0.0.1:1", "extra"}, `unexpected argument "extra"`},
		{[]string{"--upstream", "http://127.0.0.1:1", "--log-level", "debug"}, `--log-level "debug": want info, warn or error`},
	} {
		code, stdout, stderr := runIn(append([]string{"proxy", "--addr", "127.0.0.1:0"}, c.args...), "")
		if code != exitUsage || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("proxy %q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// TestProxyCredentialsFileError gives --credentials a file it cannot
// read: the error names the flag and the file once, as validate names
// its FILE ("s3cors validate: x.json: no such file or directory"), not
// in package os's words ("open x: no such file or directory").
func TestProxyCredentialsFileError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	for _, tc := range []struct {
		name, file, want string
	}{
		{"missing", missing, "s3cors proxy: --credentials: " + missing + ": no such file or directory\n"},
		{"directory", dir, "s3cors proxy: --credentials: " + dir + ": is a directory, not a credentials file\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn([]string{"proxy", "--addr", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1", "--credentials", tc.file}, "")
			first, _, _ := strings.Cut(stderr, "Run ")
			if code != exitUsage || first != tc.want || stdout != "" {
				t.Errorf("proxy --credentials %s: exit %d, stderr %q, want 2 and %q", tc.file, code, stderr, tc.want)
			}
		})
	}
}

// TestProxyListenError starts the proxy on addresses it cannot listen
// on: it says so as serve does (TestServeListenError), naming the
// address and the reason, not in package net's words ("listen tcp:
// address 99999: invalid port").
func TestProxyListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() }) // after the parallel subtests
	busy := ln.Addr().String()
	const hostPort = " (--addr takes HOST:PORT, such as 127.0.0.1:9000; port 0 picks a free one)\n"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"busy port", []string{"--addr", busy}, "s3cors proxy: cannot listen on " + busy + ": address already in use (another server listens there: stop it, or give --addr another port; port 0 picks a free one)\n"},
		{"port out of range", []string{"--addr", "127.0.0.1:99999"}, "s3cors proxy: cannot listen on 127.0.0.1:99999: invalid port" + hostPort},
		{"no port", []string{"--addr", "localhost"}, "s3cors proxy: cannot listen on localhost: missing port in address" + hostPort},
		{"port not a number", []string{"--addr", "localhost:nine"}, "s3cors proxy: cannot listen on localhost:nine: lookup tcp/nine: unknown port" + hostPort},
		{"open bracket", []string{"--addr", "[::1"}, "s3cors proxy: cannot listen on [::1: missing ']' in address" + hostPort},
		{"metrics, no port", []string{"--addr", "127.0.0.1:0", "--metrics-addr", "localhost"}, "s3cors proxy: --metrics-addr: cannot listen on localhost: missing port in address (--metrics-addr takes HOST:PORT, such as 127.0.0.1:9000; port 0 picks a free one)\n"},
		// An address of no interface here is not the address's form.
		{"foreign address", []string{"--addr", "192.0.2.1:0"}, "s3cors proxy: cannot listen on 192.0.2.1:0: cannot assign requested address\n"},
		{"busy metrics port", []string{"--addr", "127.0.0.1:0", "--metrics-addr", busy}, "s3cors proxy: --metrics-addr: cannot listen on " + busy + ": address already in use (another server listens there: stop it, or give --metrics-addr another port; port 0 picks a free one)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// A proxy that does start stops at once rather than hang
			// the test.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr strings.Builder
			code := proxy(ctx, append([]string{"--upstream", "http://127.0.0.1:1"}, tc.args...), &stdout, &stderr)
			if code != exitUsage || stderr.String() != tc.want || stdout.String() != "" {
				t.Errorf("proxy %q: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout.String(), stderr.String(), tc.want)
			}
		})
	}
}

// TestProxyMaxStaleDefault checks that --config-max-stale left unset
// leaves an entry past a --config-ttl longer than its 5m default a while
// to be revalidated in the background, as with any other TTL: at
// MaxStale equal to the TTL, every request a TTL after a look-up waits
// for the store (s3proxy.Options.MaxStale; 0 is its default).
func TestProxyMaxStaleDefault(t *testing.T) {
	t.Parallel()
	for _, ttl := range []string{"1s", "5m", "10m", "1h"} {
		cfg, code, ok := parseProxy([]string{"--upstream", "http://127.0.0.1:1", "--config-ttl", ttl}, io.Discard, io.Discard)
		if !ok {
			t.Fatalf("--config-ttl %s: exit %d", ttl, code)
		}
		if stale := cfg.opts.MaxStale; stale != 0 && stale <= cfg.opts.ConfigTTL {
			t.Errorf("--config-ttl %s without --config-max-stale: MaxStale %v, no longer than the TTL", ttl, stale)
		}
	}
}

// TestProxyDefaultUpstreamPairChecked checks that a client pair that
// signs the proxy's requests only by default, without
// --upstream-access-key, is checked at the upstream like the others
// (s3proxy.Options.CheckUpstreamKeys), and one given as the upstream's
// is not.
func TestProxyDefaultUpstreamPairChecked(t *testing.T) {
	t.Parallel()
	creds := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(creds, []byte("tenantA secretA\ntenantB secretB\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args       []string
		upAccess   string
		checkUpKey bool
	}{
		{[]string{"--credentials", creds}, "tenantA", true},
		{[]string{"--access-key", "tenantA", "--secret-key", "secretA"}, "tenantA", true},
		{[]string{"--credentials", creds, "--upstream-access-key", "tenantA", "--upstream-secret-key", "secretA"}, "tenantA", false},
		{[]string{"--credentials", creds, "--upstream-access-key", "root", "--upstream-secret-key", "rootsecret"}, "root", false},
		{nil, "", false},
	} {
		cfg, code, ok := parseProxy(append([]string{"--upstream", "http://127.0.0.1:1"}, tc.args...), io.Discard, io.Discard)
		if !ok {
			t.Fatalf("%q: exit %d", tc.args, code)
		}
		if cfg.opts.UpstreamAccessKey != tc.upAccess || cfg.opts.CheckUpstreamKeys != tc.checkUpKey {
			t.Errorf("%q: UpstreamAccessKey %q, CheckUpstreamKeys %v; want %q, %v", tc.args, cfg.opts.UpstreamAccessKey, cfg.opts.CheckUpstreamKeys, tc.upAccess, tc.checkUpKey)
		}
	}
}

// TestProxyRefusedValues gives proxy flag values it must refuse with a
// usage error naming the flag, whether the command line's parsing refuses
// them or s3proxy.New does (as serve names its own, not the field of
// s3proxy.Options or the error of a package below it). A proxy that took
// one would serve until the context ends: the test then fails instead of
// hanging.
func TestProxyRefusedValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"region with spaces", []string{"--region", "us east 1"}, `--region "us east 1" is not a region name`},
		{"region with markup", []string{"--region", "x</LocationConstraint><Evil/>"}, `--region "x</LocationConstraint><Evil/>" is not a region name`},
		{"empty region", []string{"--region", ""}, `--region "" is not a region name`},
		{"empty allowed hosts", []string{"--allowed-hosts="}, `--allowed-hosts is empty: list the host names clients use`},
		{"blank allowed hosts", []string{"--allowed-hosts", "  "}, `--allowed-hosts is empty`},
		{"allowed hosts of commas", []string{"--allowed-hosts", " , "}, `--allowed-hosts: no host given`},
		// A value given empty is an unset variable, not the default:
		// taken, the proxy would check no signature, listen on every
		// interface, or name a config bucket in its banner that it does
		// not use.
		{"empty keys", []string{"--access-key", "", "--secret-key="}, "--access-key is empty"},
		{"empty credentials", []string{"--credentials", ""}, "--credentials is empty"},
		{"empty upstream keys", []string{"--upstream-access-key=", "--upstream-secret-key", ""}, "--upstream-access-key is empty"},
		{"empty addr", []string{"--addr", ""}, "--addr is empty"},
		{"empty config bucket", []string{"--config-bucket", ""}, "--config-bucket is empty"},
		// Taken, the proxy would serve no metrics, readiness or inspector
		// where its monitoring looks for them, and say nothing.
		{"empty metrics addr", []string{"--metrics-addr="}, "--metrics-addr is empty"},
		// Served as it is for the TTL, an entry cannot be served stale
		// for less (s3proxy.Options.MaxStale is at least ConfigTTL).
		// What to write, not package flag's "parse error".
		{"TTL without a unit", []string{"--config-ttl", "5"}, `--config-ttl "5": want a duration: a number and its unit, such as 500ms, 30s or 5m`},
		{"max buckets not a whole number", []string{"--max-buckets", "1e4"}, `--max-buckets "1e4": want a whole number`},
		{"lookup rate out of range", []string{"--lookup-rate", "99999999999999999999"}, `--lookup-rate "99999999999999999999": want a whole number`},
		{"max stale under the TTL", []string{"--config-ttl", "1m", "--config-max-stale", "10s"}, "--config-max-stale 10s is shorter than --config-ttl 1m0s"},
		// Refused by s3proxy.New, named by their flags.
		{"upstream without a scheme", []string{"--upstream", "minio:9000"}, `--upstream: "minio:9000" is not an http or https URL with a host`},
		{"upstream with a path", []string{"--upstream", "http://minio:9000/s3"}, `--upstream: "http://minio:9000/s3" has more than a scheme and a host`},
		{"config bucket in upper case", []string{"--config-bucket", "Config"}, `--config-bucket: "Config" is not a name S3 lets a new bucket have`},
		{"config bucket of two dots", []string{"--config-bucket", "a..b"}, `--config-bucket: "a..b" is not a name S3 lets a new bucket have`},
		// The value quoted, as the others are, and "domain" said once.
		{"domain not a host name", []string{"--domain", "a..b"}, `--domain: "a..b" is not a host name`},
		{"domain with a space", []string{"--domain", "a b"}, `--domain: "a b" is not a host name`},
		{"domain label ending in a hyphen", []string{"--domain", "s3.x-"}, `--domain: "s3.x-" is not a host name`},
		{"domain an address", []string{"--domain", "127.0.0.1"}, `--domain: "127.0.0.1" is an IP address, which has no subdomains`},
		{"empty domain", []string{"--domain", "s3.test", "--domain="}, "--domain is empty: give a value, or leave the flag out"},
		// Given empty, as the other flags given empty are said to be.
		{"empty upstream", []string{"--upstream", ""}, "--upstream is empty: give the URL of the S3-compatible store"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			// The case's own --upstream or --addr replaces the default
			// one: a flag given twice with two values is refused.
			var args []string
			for _, d := range [][2]string{{"--upstream", "http://127.0.0.1:1"}, {"--addr", "127.0.0.1:0"}} {
				if !slices.Contains(tc.args, d[0]) {
					args = append(args, d[0], d[1])
				}
			}
			args = append(args, tc.args...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := proxy(ctx, args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), "s3cors proxy: "+tc.want) ||
				!strings.Contains(stderr.String(), `Run "s3cors proxy -h"`) || stdout.Len() != 0 {
				t.Errorf("proxy(%q): exit %d, stderr %q; want exit 2 and %q", args, code, stderr.String(), tc.want)
			}
		})
	}
}

// TestProxyVerb runs "s3cors proxy" with a credentials file and metrics
// in front of s3server: the CORS operations, a preflight and a GET, then
// what /metrics and /readyz say, before and after the upstream goes.
func TestProxyVerb(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: proxyTestAccess, SecretKey: proxyTestSecret})
	creds := writeCredentials(t, proxyTestAccess+" "+proxyTestSecret+"\n")
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--credentials", creds,
			"--metrics-addr", "127.0.0.1:0", "--config-bucket", "verb-config"}, stdout, stderr)
	})
	client := s3.New(s3.Options{BaseEndpoint: aws.String(p.url), UsePathStyle: true, Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(proxyTestAccess, proxyTestSecret, "")})
	bg := context.Background()
	if _, err := client.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String("verb")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutBucketCors(bg, &s3.PutBucketCorsInput{Bucket: aws.String("verb"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}}}}}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, "OPTIONS", p.url+"/verb/k", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"); resp.StatusCode != 200 {
		t.Errorf("allowed preflight: %d", resp.StatusCode)
	}
	if resp, _ := get(t, "OPTIONS", p.url+"/verb/k", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET"); resp.StatusCode != 403 {
		t.Errorf("refused preflight: %d", resp.StatusCode)
	}
	if resp, body := get(t, "PUT", p.url+"/verb?cors"); resp.StatusCode != 403 || !strings.Contains(body, "AccessDenied") {
		t.Errorf("unsigned PutBucketCors: %d %s", resp.StatusCode, body)
	}
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 200 || body != "ready\n" {
		t.Errorf("/readyz: %d %q", resp.StatusCode, body)
	}
	_, metrics := get(t, "GET", p.metrics+"/metrics")
	for _, want := range []string{
		`s3cors_proxy_requests_total{op="PutBucketCors",status="200"} 1`,
		`s3cors_proxy_requests_total{op="PutBucketCors",status="403"} 1`,
		`s3cors_proxy_requests_total{op="CreateBucket",status="200"} 1`,
		`s3cors_proxy_requests_total{op="Preflight",status="200"} 1`,
		`s3cors_proxy_preflights_total{result="allowed"} 1`,
		`s3cors_proxy_preflights_total{result="refused"} 1`,
		// The two preflights', and the unsigned PutBucketCors's, which
		// looks its bucket up to tell NoSuchBucket from AccessDenied.
		`s3cors_proxy_config_cache_events_total{event="hit"} 3`,
		`s3cors_proxy_upstream_request_duration_seconds_count{op="PutConfig",status="404"} 1`,
		`s3cors_proxy_upstream_request_duration_seconds_count{op="CreateConfigBucket",status="200"} 1`,
		`s3cors_proxy_upstream_request_duration_seconds_count{op="PutConfig",status="200"} 1`,
		`s3cors_proxy_upstream_request_duration_seconds_count{op="Forward",status="200"} 1`,
		// Readiness reads a key the config bucket does not hold.
		`s3cors_proxy_upstream_request_duration_seconds_count{op="Ready",status="404"} 1`,
		`s3cors_proxy_request_duration_seconds_count{op="Preflight"} 2`,
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(metrics, want+"\n") && !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", metrics)
	}
	up.Close()
	time.Sleep(1100 * time.Millisecond) // readiness is reused for a second
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 503 || !strings.HasPrefix(body, "not ready: ") {
		t.Errorf("/readyz with the upstream gone: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", p.metrics+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	if resp, _ := get(t, "OPTIONS", p.url+"/verb/k", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"); resp.StatusCode != 200 {
		t.Errorf("cached preflight with the upstream gone: %d", resp.StatusCode)
	}
	cancel()
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if log := p.stderr.String(); !strings.Contains(log, "op=PutBucketCors status=200") || !strings.Contains(log, "s3cors proxy: stopped") {
		t.Errorf("the log lacks the request lines or the stop:\n%s", log)
	}
}

// TestProxyWrongUpstreamKey runs the proxy with a wrong
// --upstream-secret-key in front of serve, which checks signatures, as
// the README's worked example would with a typo: the preflight gets 503,
// and --log-level warn shows why, the store's 403 SignatureDoesNotMatch,
// in a line of its own and in the request's; /readyz answers 503 with
// the same reason, so that a load balancer sends the proxy nothing.
func TestProxyWrongUpstreamKey(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: proxyTestAccess, SecretKey: proxyTestSecret})
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--access-key", proxyTestAccess, "--secret-key", proxyTestSecret,
			"--upstream-access-key", proxyTestAccess, "--upstream-secret-key", "typo", "--log-level", "warn"}, stdout, stderr)
	})
	const cause = "s3proxy: GetConfig: the upstream answered 403 SignatureDoesNotMatch"
	if resp, body := get(t, "OPTIONS", p.url+"/photos/cat.jpg", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"); resp.StatusCode != 503 {
		t.Errorf("preflight: %d %s, want 503", resp.StatusCode, body)
	}
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 503 || !strings.HasPrefix(body, "not ready: ") ||
		!strings.Contains(body, "403 SignatureDoesNotMatch") {
		t.Errorf("/readyz: %d %q, want 503 and the store's 403 SignatureDoesNotMatch", resp.StatusCode, body)
	}
	cancel()
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
	log := p.stderr.String()
	for _, want := range []string{
		`level=WARN msg="the bucket's configuration could not be looked up: its requests that need it get 503" bucket=photos err="` + cause + `"`,
		`op=Preflight status=503 `,
		` error=ServiceUnavailable config_error="` + cause + `"`,
		`level=WARN msg="not ready: the configurations cannot be read" bucket=s3cors-config err="s3proxy: Ready: the upstream answered 403 SignatureDoesNotMatch"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}

// TestProxyLogLevel runs the proxy with --log-level warn and error: the
// first logs the requests answered with an error and not the others, the
// second neither; both print the banner and stop cleanly, the message
// that says so last, after the log lines.
func TestProxyLogLevel(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	for _, tc := range []struct {
		level         string
		okLine, error bool
	}{{"warn", false, true}, {"ERROR", false, false}, {"info", true, true}} {
		ctx, cancel := context.WithCancel(context.Background())
		p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
			return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--log-level", tc.level}, stdout, stderr)
		})
		get(t, "PUT", p.url+"/logged")
		get(t, "GET", p.url+"/logged/missing")
		cancel()
		if code := p.wait(t); code != exitOK {
			t.Fatalf("--log-level %s: exit %d; stderr:\n%s", tc.level, code, p.stderr)
		}
		log := p.stderr.String()
		if strings.Contains(log, "level=INFO msg=request method=PUT path=/logged op=CreateBucket status=200") != tc.okLine ||
			strings.Contains(log, "level=WARN msg=request method=GET path=/logged/missing op=GetObject status=404") != tc.error ||
			!strings.HasSuffix(log, "s3cors proxy: stopped\n") {
			t.Errorf("--log-level %s: stderr:\n%s", tc.level, log)
		}
	}
}

// TestProxyInspectorAllowedHosts: with --allowed-hosts, the inspector's
// URL the proxy prints names a host the list admits, and answers; it
// named the metrics address's, which the list refuses (400).
func TestProxyInspectorAllowedHosts(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--allowed-hosts", "localhost"}, stdout, stderr)
	})
	_, port, _ := strings.Cut(strings.TrimPrefix(p.metrics, "http://"), ":")
	if want := "http://localhost:" + port + "/_s3cors/"; p.inspector != want {
		t.Fatalf("the inspector's URL printed: %q, want %q", p.inspector, want)
	}
	if resp, _ := get(t, "GET", p.inspector); resp.StatusCode != 200 {
		t.Errorf("GET %s: %d, want 200", p.inspector, resp.StatusCode)
	}
}

// TestProxyInspector runs the proxy with --metrics-addr: it prints the
// inspector's address there and serves it, behind the Host check; the
// live stream carries a preflight the proxy answered and a GET it passed
// through, and ends when the proxy stops, which then stops at once
// rather than waiting for the page.
func TestProxyInspector(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, stdout, stderr)
	})
	if want := p.metrics + "/_s3cors/"; p.inspector != want {
		t.Errorf("the inspector's URL printed: %q, want %q", p.inspector, want)
	}
	resp, body := get(t, "GET", p.metrics+"/_s3cors/")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") || !strings.Contains(body, "<h1>Live requests</h1>") {
		t.Fatalf("GET /_s3cors/ on the metrics address: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := get(t, "GET", p.metrics+"/_s3cors"); resp.Request.URL.Path != "/_s3cors/" {
		t.Errorf("GET /_s3cors ended at %s, want a redirect to /_s3cors/", resp.Request.URL)
	}
	if resp, body := get(t, "GET", p.metrics+"/_s3cors/", "Host", "evil.example"); resp.StatusCode != 400 ||
		!strings.Contains(body, "<Code>InvalidArgument</Code>") || strings.Contains(body, "Live requests") {
		t.Errorf("the inspector through a refused Host: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", p.metrics+"/metrics"); resp.StatusCode != 200 {
		t.Errorf("/metrics beside the inspector: %d", resp.StatusCode)
	}

	stream, err := testClient.Get(p.metrics + "/_s3cors/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	events := bufio.NewScanner(stream.Body)
	client := s3.New(s3.Options{BaseEndpoint: aws.String(p.url), UsePathStyle: true, Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: aws.AnonymousCredentials{}})
	bg := context.Background()
	if _, err := client.CreateBucket(bg, &s3.CreateBucketInput{Bucket: aws.String("watched")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutBucketCors(bg, &s3.PutBucketCorsInput{Bucket: aws.String("watched"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET"}}}}}); err != nil {
		t.Fatal(err)
	}
	get(t, "OPTIONS", p.url+"/watched/k", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	get(t, "GET", p.url+"/watched/k", "Origin", "https://app.example")
	var seen []string
	for len(seen) < 2 && events.Scan() {
		line := events.Text()
		if strings.Contains(line, `"path":"/watched/k"`) {
			seen = append(seen, line)
		}
	}
	if len(seen) < 2 || !strings.Contains(seen[0], `"method":"OPTIONS"`) || !strings.Contains(seen[0], `"verdict":"refused"`) ||
		!strings.Contains(seen[1], `"method":"GET"`) || !strings.Contains(seen[1], `"status":404`) || !strings.Contains(seen[1], `"verdict":"allowed"`) {
		t.Fatalf("the live stream carried %q (%v), want the refused preflight, then the allowed GET passed through", seen, events.Err())
	}

	start := time.Now()
	cancel()
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if took := time.Since(start); took > proxyShutdownTimeout/2 || strings.Contains(p.stderr.String(), "cut off") {
		t.Errorf("the proxy took %v to stop with a live stream open; stderr:\n%s", took, p.stderr)
	}
	if _, err := io.Copy(io.Discard, stream.Body); err != nil {
		t.Errorf("the live stream did not end cleanly: %v", err)
	}
}

// TestProxyNoInspector: with --no-inspector, the metrics address serves
// no inspector, and none is printed.
func TestProxyNoInspector(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--no-inspector"}, stdout, stderr)
	})
	defer func() {
		cancel()
		p.wait(t)
	}()
	if p.inspector != "" {
		t.Errorf("an inspector printed with --no-inspector: %s", p.inspector)
	}
	if resp, _ := get(t, "GET", p.metrics+"/_s3cors/"); resp.StatusCode != 404 || resp.Header.Get("Content-Security-Policy") != "" {
		t.Errorf("GET /_s3cors/ with --no-inspector: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestProxyDrain stops the proxy while a slow download is in flight: the
// download completes, then the proxy exits.
func TestProxyDrain(t *testing.T) {
	t.Parallel()
	var started atomic.Bool
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/b/slow" {
			started.Store(true)
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(200)
			w.Write([]byte("01234"))
			http.NewResponseController(w).Flush()
			time.Sleep(time.Second)
			w.Write([]byte("56789"))
			return
		}
		w.WriteHeader(404)
	}))
	t.Cleanup(up.Close)
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0"}, stdout, stderr)
	})
	result := getBody(p.url + "/b/slow")
	for !started.Load() {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if got := <-result; got != "0123456789" {
		t.Errorf("the download in flight at shutdown got %q", got)
	}
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
}

func TestProxySignal(t *testing.T) {
	up := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(up.Close)
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return run([]string{"proxy", "--upstream", up.URL, "--addr", "127.0.0.1:0"}, nil, stdout, stderr)
	})
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d after SIGTERM; stderr:\n%s", code, p.stderr)
	}
}

// TestProxyReadyzDrain stops the proxy while a download is in flight:
// once the proxy's address refuses connections, /readyz on the metrics
// address already answers 503, so that a load balancer polling it sends
// no more traffic; the download still completes.
func TestProxyReadyzDrain(t *testing.T) {
	t.Parallel()
	started, release := make(chan struct{}), make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/b/slow" {
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(200)
			w.Write([]byte("01234"))
			http.NewResponseController(w).Flush()
			close(started)
			<-release
			w.Write([]byte("56789"))
			return
		}
		// The probe's GET of the config bucket's key ready: S3's
		// NoSuchKey, which is ready.
		w.WriteHeader(404)
		io.WriteString(w, `<Error><Code>NoSuchKey</Code></Error>`)
	}))
	t.Cleanup(up.Close)
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, stdout, stderr)
	})
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 200 || body != "ready\n" {
		t.Fatalf("/readyz before shutdown: %d %q", resp.StatusCode, body)
	}
	result := getBody(p.url + "/b/slow")
	<-started
	cancel()
	// Wait until the proxy takes no new connection: its server is
	// shutting down, the download holding it.
	addr := strings.TrimPrefix(p.url, "http://")
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the proxy still takes connections 10 s after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 503 || !strings.HasPrefix(body, "not ready: draining") {
		t.Errorf("/readyz while the proxy drains: %d %q, want 503 not ready: draining", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", p.metrics+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz while the proxy drains: %d, want 200: the process is alive", resp.StatusCode)
	}
	// The log says why the process is still there, while it waits, not
	// only once it stops: within the log's 100 ms on an idle machine,
	// seconds on a loaded one (CI at a load average of 12). The proxy
	// waits for the download until release, so what is asserted is that
	// the line came while it still ran, within 20 s, the bound of a
	// stuck run, short of the 30 s after which it would stop waiting,
	// and write its log whole.
	const stopping = "s3cors proxy: stopping: no new connections; waiting up to 30s for the requests in flight\n"
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(p.stderr.String(), stopping); time.Sleep(10 * time.Millisecond) {
		if len(p.done) > 0 || time.Now().After(deadline) {
			t.Errorf("stderr while the proxy waits for a download lacks %q:\n%s", stopping, p.stderr)
			break
		}
	}
	close(release)
	if got := <-result; got != "0123456789" {
		t.Errorf("the download in flight at shutdown got %q", got)
	}
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
}

// TestProxyDrainDelay: with --drain-delay, a shutdown turns /readyz to
// 503 at once and the proxy keeps answering new connections for the
// delay, so that a load balancer that polls readiness stops sending
// before the port refuses; then it stops taking them.
func TestProxyDrainDelay(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// NoSuchKey: the readiness probe's answer, and any GET's.
		w.WriteHeader(404)
		io.WriteString(w, `<Error><Code>NoSuchKey</Code></Error>`)
	}))
	t.Cleanup(up.Close)
	const delay = 2 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--drain-delay", delay.String()}, stdout, stderr)
	})
	if resp, body := get(t, "GET", p.metrics+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("/readyz before shutdown: %d %q", resp.StatusCode, body)
	}
	began := time.Now()
	cancel()
	for deadline := time.Now().Add(delay / 2); ; {
		resp, body := get(t, "GET", p.metrics+"/readyz")
		if resp.StatusCode == 503 && strings.HasPrefix(body, "not ready: draining") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz %v after shutdown began: %d %q, want 503 not ready: draining", delay/2, resp.StatusCode, body)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// A new connection is still answered, by the upstream through the
	// proxy, within the delay.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(p.url + "/b/k")
	if err != nil {
		t.Fatalf("a request while /readyz drains, %v after shutdown began: %v", time.Since(began), err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("a request while /readyz drains: %d, want the upstream's 404", resp.StatusCode)
	}
	if time.Since(began) >= delay {
		t.Fatalf("the checks took %v, longer than --drain-delay %v: the test says nothing", time.Since(began), delay)
	}
	if code := p.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, p.stderr)
	}
	if took := time.Since(began); took < delay {
		t.Errorf("the proxy stopped %v after shutdown began, before --drain-delay %v", took, delay)
	}
	if want := "s3cors proxy: draining: /readyz answers 503; taking requests for " + delay.String() + " more"; !strings.Contains(p.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
	}
}

// TestProxyOpsHosts runs the proxy with --allowed-hosts: on the metrics
// address /metrics, /readyz and /healthz answer the Host a Kubernetes
// probe or a Prometheus scrape sends (an IP address, a service's name),
// which the list does not hold, while the inspector there and the proxy
// refuse it, as the help says.
func TestProxyOpsHosts(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	p := startProxyVerb(t, func(stdout, stderr io.Writer) int {
		return proxy(ctx, []string{"--upstream", up.URL, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
			"--allowed-hosts", "s3.example.com"}, stdout, stderr)
	})
	defer func() {
		cancel()
		p.wait(t)
	}()
	for _, host := range []string{"10.1.2.3:9101", "s3cors-proxy:9101"} {
		for _, path := range []string{"/metrics", "/readyz", "/healthz"} {
			if resp, body := get(t, "GET", p.metrics+path, "Host", host); resp.StatusCode != 200 {
				t.Errorf("GET %s with Host %s: %d %q, want 200", path, host, resp.StatusCode, body)
			}
		}
		if resp, body := get(t, "GET", p.metrics+"/_s3cors/", "Host", host); resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") {
			t.Errorf("the inspector with Host %s: %d, want 400 InvalidArgument\n%s", host, resp.StatusCode, body)
		}
		if resp, body := get(t, "GET", p.url+"/b/k", "Host", host); resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") {
			t.Errorf("the proxy with Host %s: %d, want 400 InvalidArgument\n%s", host, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, "GET", p.url+"/b/k", "Host", "s3.example.com"); resp.StatusCode != 404 {
		t.Errorf("the proxy with an allowed Host: %d, want the upstream's 404", resp.StatusCode)
	}
}

// TestReadCredentials reads credentials files as editors and scripts
// write them: a byte order mark, CRLF line ends, a file of exactly the
// 1 MiB bound; and refuses one over the bound, rather than read it cut,
// its last secret in half.
func TestReadCredentials(t *testing.T) {
	t.Parallel()
	// padded returns a comment line that brings the size of head, it
	// and tail to size bytes.
	padded := func(head, tail string, size int) string {
		pad := size - len(head) - len(tail) - len("#\n")
		return head + "#" + strings.Repeat("x", pad) + "\n" + tail
	}
	for _, tc := range []struct {
		name, text    string
		keys          map[string]string
		first, secret string
		err           string
	}{
		{name: "plain", text: "AK1 SK1\nAK2 SK2\n",
			keys: map[string]string{"AK1": "SK1", "AK2": "SK2"}, first: "AK1", secret: "SK1"},
		{name: "byte order mark", text: "\ufeffAK1 SK1\nAK2 SK2\n",
			keys: map[string]string{"AK1": "SK1", "AK2": "SK2"}, first: "AK1", secret: "SK1"},
		{name: "byte order mark before a comment", text: "\ufeff# keys\r\nAK1 SK1\r\n",
			keys: map[string]string{"AK1": "SK1"}, first: "AK1", secret: "SK1"},
		{name: "CRLF", text: "AK1 SK1\r\nAK2 SK2\r\n",
			keys: map[string]string{"AK1": "SK1", "AK2": "SK2"}, first: "AK1", secret: "SK1"},
		{name: "no newline at the end", text: "AK1 SK1",
			keys: map[string]string{"AK1": "SK1"}, first: "AK1", secret: "SK1"},
		{name: "exactly 1 MiB", text: padded("AK1 SK1\n", "AK2 0123456789abcdef\n", 1<<20),
			keys: map[string]string{"AK1": "SK1", "AK2": "0123456789abcdef"}, first: "AK1", secret: "SK1"},
		{name: "1 MiB and a byte", text: padded("AK1 SK1\n", "AK2 0123456789abcdef\n", 1<<20+1),
			err: "is larger than 1 MiB"},
		{name: "cut in a secret at 1 MiB", text: padded("AK1 SK1\n", "AK2 0123456789abcdef\n", 1<<20+8),
			err: "is larger than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			name := writeCredentials(t, tc.text)
			keys, first, secret, err := readCredentials(name)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), name) {
					t.Errorf("readCredentials = %d pairs, %v; want an error naming the file and saying %q", len(keys), err, tc.err)
				}
				return
			}
			if err != nil || !maps.Equal(keys, tc.keys) || first != tc.first || secret != tc.secret {
				t.Errorf("readCredentials = %q, %q, %q, %v; want %q, %q, %q", keys, first, secret, err, tc.keys, tc.first, tc.secret)
			}
		})
	}
}
