package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/s3cors/s3cors/s3proxy"
)

// Limits of the HTTP server behind "s3cors proxy". Objects of any size
// pass through, so there is no timeout on a whole request: the proxy
// bounds pauses instead (s3proxy.Options.ClientTimeout). Shutting down
// waits for the requests in flight for up to proxyShutdownTimeout.
const proxyShutdownTimeout = 30 * time.Second

// proxyLimits are serve's, without the timeouts on whole requests.
var proxyLimits = httpLimits{readHeader: serveReadHeaderTimeout, idle: serveIdleTimeout, maxHeaderBytes: serveMaxHeaderBytes}

// runProxy is the proxy verb: it reads its flags, then runs the proxy
// until SIGINT or SIGTERM, reading --credentials again on SIGHUP.
func runProxy(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	// The flags are read before SIGINT and SIGTERM are caught, as serve's
	// are: a --credentials FILE that never ends (a named pipe no one
	// writes) would leave the command deaf to Ctrl-C.
	cfg, code, ok := parseProxy(args, stdout, stderr)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := notifyHangup()
	defer signal.Stop(hup)
	defer startGCFloor(heapFloor, os.Getenv).Stop()
	return proxyReloading(ctx, hup, cfg, stdout, stderr)
}

// notifyHangup returns the channel SIGHUP is delivered on from now on,
// instead of ending the process (Go's default): serve and proxy take it
// for "reload" (see reloadCredentials), as daemons do.
func notifyHangup() chan os.Signal {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	return hup
}

// proxyConfig is what the flags of proxy say.
type proxyConfig struct {
	addr, metricsAddr string
	// drainDelay is how long the proxy keeps taking connections once
	// /readyz says it drains (--drain-delay).
	drainDelay time.Duration
	opts       s3proxy.Options
	logLevel   slog.Level // the least level logged
	// hostsWarning is wildcardHostsWarning's, "" for none.
	hostsWarning string
	// credentials is the file --credentials names, "" when not given:
	// SIGHUP reads it again (reloadCredentials), and opts.Keys then
	// holds the pairs in use.
	credentials string
	// upstreamGiven is set when --upstream-access-key was: the upstream
	// pair does not follow the first pair of --credentials then.
	upstreamGiven bool
}

// proxyFlags are the flags of proxy as parsed, before parseProxy
// checks them and makes a proxyConfig of them.
type proxyFlags struct {
	upstream, addr, accessKey, secretKey, credentials, upAccess, upSecret *string
	region, configBucket, allowedHosts, metricsAddr, logLevel             *string
	ttl, maxStale, upTimeout, drainDelay                                  *time.Duration
	maxBuckets, lookupRate                                                *int
	noInspector                                                           *bool
	domains                                                               *[]string
}

// defineProxyFlags defines the flags of proxy on c, in the order its
// help lists them.
func defineProxyFlags(c *command) *proxyFlags {
	return &proxyFlags{
		upstream:     c.stringFlag("upstream", "", "pass requests to the S3-compatible store at `URL` (http://HOST:PORT); required"),
		addr:         c.stringFlag("addr", "127.0.0.1:9100", "listen on `HOST:PORT`; port 0 picks a free one"),
		accessKey:    c.stringFlag("access-key", "", "require Put/Get/DeleteBucketCors signed with this access `KEY` (with --secret-key)"),
		secretKey:    c.stringFlag("secret-key", "", "the secret `KEY` that goes with --access-key"),
		credentials:  c.stringFlag("credentials", "", "read the key pairs Put/Get/DeleteBucketCors may be signed with from `FILE`: one \"ACCESS_KEY SECRET_KEY\" a line"),
		upAccess:     c.stringFlag("upstream-access-key", "", "sign the proxy's own requests to the upstream with this access `KEY`; default: the first client key pair, anonymous without one"),
		upSecret:     c.stringFlag("upstream-secret-key", "", "the secret `KEY` that goes with --upstream-access-key"),
		region:       c.stringFlag("region", "us-east-1", "the `REGION` signatures are scoped to and the config bucket is\ncreated in"),
		configBucket: c.stringFlag("config-bucket", s3proxy.DefaultConfigBucket, "keep the configurations in the upstream's bucket `NAME`, created when missing"),
		ttl:          c.durationFlag("config-ttl", s3proxy.DefaultConfigTTL, "revalidate a cached configuration after `DURATION`: other proxies' changes apply within it"),
		maxStale:     c.durationFlag("config-max-stale", s3proxy.DefaultMaxStale, "serve cached configurations the upstream cannot revalidate for up to `DURATION`, at least --config-ttl; unset, twice --config-ttl when that is longer than the default"),
		maxBuckets:   c.intFlag("max-buckets", s3proxy.DefaultMaxBuckets, "cache the configurations of at most `N` buckets"),
		lookupRate:   c.intFlag("lookup-rate", s3proxy.DefaultLookupRate, "look up at most `N` uncached buckets a second; past it, 503 SlowDown"),
		upTimeout:    c.durationFlag("upstream-timeout", s3proxy.DefaultUpstreamTimeout, "wait at most `DURATION` for the upstream's answer headers, or through a pause of its bodies"),
		allowedHosts: c.stringFlag("allowed-hosts", "", "answer only requests whose Host is one of `HOSTS` (comma-separated, a port\nignored; \"*\" for any) on --addr, and to the inspector on --metrics-addr (/metrics, /readyz and /healthz answer any Host); default: the hosts of --addr and --metrics-addr, localhost, 127.0.0.1, ::1; the names of --domain and under them are answered too"),
		metricsAddr:  c.stringFlag("metrics-addr", "", "serve Prometheus metrics (/metrics), readiness (/readyz) and the CORS inspector (/_s3cors/) on `HOST:PORT`"),
		noInspector:  c.boolFlag("no-inspector", "do not serve the CORS inspector on --metrics-addr"),
		drainDelay:   c.durationFlag("drain-delay", 0, "on SIGINT or SIGTERM, keep taking requests for `DURATION` while /readyz answers 503, so that load balancers stop sending first; with --metrics-addr"),
		domains:      c.listFlag("domain", "take virtual-hosted requests for buckets under `NAME` (http://BUCKET.NAME:PORT/KEY), as the upstream does; repeatable"),
		logLevel:     c.choiceFlag("log-level", "info", "log from `LEVEL` up: info (every request), warn (requests answered with an error or cut off, and the store's trouble) or error (internal errors, and stored configurations the proxy cannot read or delete)", "info", "warn", "error"),
	}
}

// parseProxy reads the flags of proxy.
func parseProxy(args []string, stdout, stderr io.Writer) (proxyConfig, int, bool) {
	c := newCommand("proxy", stdout, stderr)
	c.loadHelp()
	f := defineProxyFlags(c)
	pos, code, ok := c.parse(args)
	if !ok {
		return proxyConfig{}, code, false
	}
	if code, ok := f.check(c, pos); !ok {
		return proxyConfig{}, code, false
	}
	keys, checkUpstream, code, ok := f.keyPairs(c)
	if !ok {
		return proxyConfig{}, code, false
	}
	if !c.given("config-max-stale") {
		// s3proxy's default, which grows with a TTL longer than
		// DefaultMaxStale, so that entries past the TTL are still
		// revalidated in the background.
		*f.maxStale = 0
	}
	hosts, code, ok := c.allowedHosts(*f.allowedHosts, *f.addr, *f.metricsAddr)
	if !ok {
		return proxyConfig{}, code, false
	}
	warning := wildcardHostsWarning("proxy", *f.addr, hosts, *f.domains, c.given("allowed-hosts"))
	return proxyConfig{addr: *f.addr, metricsAddr: *f.metricsAddr, drainDelay: *f.drainDelay, logLevel: logLevels[*f.logLevel], hostsWarning: warning,
		credentials: *f.credentials, upstreamGiven: c.given("upstream-access-key"), opts: s3proxy.Options{
			Upstream: *f.upstream, UpstreamAccessKey: *f.upAccess, UpstreamSecretKey: *f.upSecret, CheckUpstreamKeys: checkUpstream, Keys: keys, Region: *f.region,
			ConfigBucket: *f.configBucket, ConfigTTL: *f.ttl, MaxStale: *f.maxStale, MaxBuckets: *f.maxBuckets, LookupRate: *f.lookupRate,
			UpstreamTimeout: *f.upTimeout, Domains: *f.domains, AllowedHosts: hosts, Inspector: *f.metricsAddr != "" && !*f.noInspector,
		}}, 0, true
}

// check reports the first mistake in f, with pos the arguments that are
// not flags, as a usage error, and returns ok false; it checks what the
// flags say on their own, before parseProxy reads a file they name.
func (f *proxyFlags) check(c *command, pos []string) (int, bool) {
	if code, ok := c.refuseEmptyOrOperand(pos, "addr", "access-key", "secret-key", "credentials", "upstream-access-key", "upstream-secret-key", "config-bucket", "metrics-addr"); !ok {
		return code, false
	}
	if code, ok := c.checkAddrs("addr", "metrics-addr"); !ok {
		return code, false
	}
	if code, ok := c.checkDomains(*f.domains); !ok {
		return code, false
	}
	switch {
	case *f.upstream == "" && c.given("upstream"):
		// An unset variable, as refuseEmptyOrOperand says of the others.
		return c.usageError("--upstream is empty: give the URL of the S3-compatible store, such as http://127.0.0.1:9000"), false
	case *f.upstream == "":
		return c.usageError("--upstream is required"), false
	case (*f.accessKey == "") != (*f.secretKey == ""):
		return c.usageError("--access-key and --secret-key go together"), false
	case *f.accessKey != "" && *f.credentials != "":
		return c.usageError("--access-key and --credentials exclude each other"), false
	case (*f.upAccess == "") != (*f.upSecret == ""):
		return c.usageError("--upstream-access-key and --upstream-secret-key go together"), false
	case *f.ttl <= 0:
		return c.usageError("--config-ttl %v: must be positive", *f.ttl), false
	case *f.maxStale <= 0:
		return c.usageError("--config-max-stale %v: must be positive", *f.maxStale), false
	case *f.maxBuckets <= 0:
		return c.usageError("--max-buckets %d: must be positive", *f.maxBuckets), false
	case *f.lookupRate <= 0:
		return c.usageError("--lookup-rate %d: must be positive", *f.lookupRate), false
	case *f.upTimeout <= 0:
		return c.usageError("--upstream-timeout %v: must be positive", *f.upTimeout), false
	case *f.drainDelay < 0:
		return c.usageError("--drain-delay %v: must not be negative", *f.drainDelay), false
	case *f.drainDelay > 0 && *f.metricsAddr == "":
		return c.usageError("--drain-delay without --metrics-addr: it keeps the proxy answering while /readyz tells load balancers it drains, and /readyz is served on --metrics-addr"), false
	case *f.noInspector && *f.metricsAddr == "":
		return c.usageError("--no-inspector without --metrics-addr: the proxy serves the CORS inspector only on --metrics-addr"), false
	case *f.maxStale < *f.ttl && c.given("config-max-stale"):
		// A cached configuration is served for the TTL whether or not the
		// upstream answers, so it cannot be served stale for less;
		// s3proxy would serve it for the TTL.
		return c.usageError("--config-max-stale %v is shorter than --config-ttl %v: a cached configuration is served for the TTL whatever the upstream answers", *f.maxStale, *f.ttl), false
	}
	return c.checkRegion(*f.region)
}

// keyPairs returns the key pairs clients may sign with (--access-key, or
// those of --credentials, which it reads), and sets the upstream pair to
// the first of them when --upstream-access-key is not given;
// checkUpstream says that it was so set (see s3proxy.Options). A
// --credentials that cannot be read is reported as a usage error.
func (f *proxyFlags) keyPairs(c *command) (keys map[string]string, checkUpstream bool, code int, ok bool) {
	keys = map[string]string{}
	firstAccess, firstSecret := *f.accessKey, *f.secretKey
	if *f.accessKey != "" {
		keys[*f.accessKey] = *f.secretKey
	}
	if *f.credentials != "" {
		var err error
		if keys, firstAccess, firstSecret, err = readCredentials(*f.credentials); err != nil {
			return nil, false, c.usageError("--credentials: %v", err), false
		}
	}
	// A pair that signs the proxy's requests only by default is a
	// client's like the others: its CORS requests are checked at the
	// upstream, not exempt as a pair given as the upstream's is.
	checkUpstream = *f.upAccess == "" && firstAccess != ""
	if *f.upAccess == "" {
		*f.upAccess, *f.upSecret = firstAccess, firstSecret
	}
	return keys, checkUpstream, 0, true
}

// optionFlags names the flags that set each field of s3proxy.Options
// that s3proxy.New may refuse.
var optionFlags = map[string]string{
	"Upstream":          "--upstream",
	"UpstreamAccessKey": "--upstream-access-key",
	"ConfigBucket":      "--config-bucket",
	"Domains":           "--domain",
	"Keys":              "--access-key or --credentials",
	"Region":            "--region",
	"AllowedHosts":      "--allowed-hosts",
	"ConfigTTL":         "--config-ttl",
	"MaxStale":          "--config-max-stale",
	"MaxBuckets":        "--max-buckets",
	"LookupRate":        "--lookup-rate",
	"UpstreamTimeout":   "--upstream-timeout",
}

// proxy runs the proxy until ctx is done, then drains it. It is runProxy
// without the signal handling, for tests.
func proxy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseProxy(args, stdout, stderr)
	if !ok {
		return code
	}
	return proxyReloading(ctx, nil, cfg, stdout, stderr)
}

// proxyReloading is proxy, with cfg what its flags say (parseProxy),
// reloading the credentials each time hup delivers (SIGHUP).
func proxyReloading(ctx context.Context, hup <-chan os.Signal, cfg proxyConfig, stdout, stderr io.Writer) int {
	logs, log, fail := openLog(stderr, "proxy", cfg.logLevel)
	defer logs.Close()
	stderr = logs
	cfg.opts.Logger = log
	p, reg, metrics, err := newObservedProxy(&cfg.opts, cfg.metricsAddr != "")
	if oe, ok := errors.AsType[*s3proxy.OptionError](err); ok {
		return newCommand("proxy", stdout, logs).usageError("%s: %s", optionFlags[oe.Option], oe.Reason)
	}
	if err != nil {
		return fail("%v", strings.TrimPrefix(err.Error(), "s3proxy: "))
	}
	defer p.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fail("%s", listenError("--addr", cfg.addr, err))
	}
	if cfg.hostsWarning != "" {
		// At once, before the banner, rather than with the log lines.
		fmt.Fprintln(logs, cfg.hostsWarning)
		logs.Flush()
	}
	servers := []*http.Server{newHTTPServer(p, proxyLimits, log)}
	served := make(chan error, 2)
	// draining is set when shutdown starts, before the proxy's server
	// stops taking connections, so that /readyz tells a load balancer
	// to send no more traffic while the requests in flight finish,
	// rather than "ready" for a port that refuses it.
	var draining atomic.Bool
	drain, startDrain := context.WithCancel(context.Background())
	defer startDrain()
	defer context.AfterFunc(ctx, func() {
		draining.Store(true)
		startDrain()
	})()
	if cfg.metricsAddr != "" {
		ops, err := serveOps(&cfg, p, reg, &draining, log, served, stdout)
		if err != nil {
			ln.Close()
			return fail("--metrics-addr: %s", listenError("--metrics-addr", cfg.metricsAddr, err))
		}
		servers = append(servers, ops)
	}
	go func() { served <- servers[0].Serve(ln) }()
	fmt.Fprintf(stdout, "s3cors: proxying S3 on %s to %s (configurations in bucket %s, TTL %v)\n",
		endpointURL(ln.Addr()), cfg.opts.Upstream, cfg.opts.ConfigBucket, cfg.opts.ConfigTTL)
	fmt.Fprint(stdout, hostsNote(ln.Addr(), cfg.opts.AllowedHosts))
	stop, release := delayedStop(drain, cfg.drainDelay, stderr)
	defer release()
	go cfg.reloadOnHangup(hup, drain, p, metrics, stderr)
	if err := serveUntil(stop, served, "proxy", proxyShutdownTimeout, stderr, servers...); err != nil {
		return fail("%v", err)
	}
	return exitOK
}

// newObservedProxy returns the proxy opts describe, and the registry of
// its metrics, kept in metrics (which it makes opts' Observer) only when
// observed (--metrics-addr), so that a proxy without them pays nothing
// for them.
func newObservedProxy(opts *s3proxy.Options, observed bool) (*s3proxy.Proxy, *prometheus.Registry, *proxyMetrics, error) {
	reg := prometheus.NewRegistry()
	var metrics *proxyMetrics
	if observed {
		metrics = newProxyMetrics(reg)
		opts.Observer = metrics
	}
	p, err := s3proxy.New(*opts)
	return p, reg, metrics, err
}

// serveOps listens on cfg.metricsAddr and serves there the metrics of
// reg, readiness (draining set: see opsHandler) and p's inspector, until
// the server it returns is shut down, sending the end of its Serve on
// served, and says where on stdout. The server is returned for
// serveUntil to shut down with the proxy's.
func serveOps(cfg *proxyConfig, p *s3proxy.Proxy, reg *prometheus.Registry, draining *atomic.Bool, log *slog.Logger, served chan<- error, stdout io.Writer) (*http.Server, error) {
	mln, err := net.Listen("tcp", cfg.metricsAddr)
	if err != nil {
		return nil, err
	}
	srv := newHTTPServer(opsHandler(p, reg, draining), proxyLimits, log)
	srv.RegisterOnShutdown(p.CloseInspector) // its live streams never end by themselves
	go func() { served <- srv.Serve(mln) }()
	fmt.Fprintf(stdout, "s3cors: metrics on %s/metrics, readiness on %s/readyz\n", endpointURL(mln.Addr()), endpointURL(mln.Addr()))
	if cfg.opts.Inspector {
		fmt.Fprintf(stdout, "s3cors: CORS inspector on %s%s\n", allowedURL(mln.Addr(), cfg.opts.AllowedHosts), s3proxy.InspectorPrefix)
		if len(cfg.opts.Keys) > 0 {
			io.WriteString(stdout, inspectorKeysNote("the rules of every bucket it holds"))
		}
	}
	return srv, nil
}

// delayedStop returns the context whose end stops the servers: drain
// itself, or with a delay (--drain-delay), drain's end delayed by delay
// and said on stderr when it starts. Load balancers poll /readyz every
// few seconds: a proxy that refused connections as soon as it said it
// drains would refuse the requests they send until their next poll. The
// caller calls release when done, to free what the delay holds.
func delayedStop(drain context.Context, delay time.Duration, stderr io.Writer) (stop context.Context, release func()) {
	if delay <= 0 {
		return drain, func() {}
	}
	stop, stopNow := context.WithCancel(context.Background())
	stopAfter := context.AfterFunc(drain, func() {
		fmt.Fprintf(stderr, "s3cors proxy: draining: /readyz answers 503; taking requests for %v more\n", delay)
		time.AfterFunc(delay, stopNow)
	})
	return stop, func() {
		stopAfter()
		stopNow()
	}
}

// reloadOnHangup reads --credentials again (reloadCredentials) each time
// hup delivers, logging on stderr how it went and counting it in metrics
// when there are any, until drain is done.
func (cfg *proxyConfig) reloadOnHangup(hup <-chan os.Signal, drain context.Context, p *s3proxy.Proxy, metrics *proxyMetrics, stderr io.Writer) {
	for {
		select {
		case <-hup:
			line, result := cfg.reloadCredentials(p)
			fmt.Fprintln(stderr, line)
			if metrics != nil && result != "" {
				metrics.reloads.WithLabelValues(result).Inc()
			}
		case <-drain.Done():
			return
		}
	}
}

// reloadCredentials reads --credentials again and gives p its pairs, for
// SIGHUP: keys rotated in the file apply without a restart, to the
// requests that come after, those in flight ending with the pairs they
// were checked with. Without --upstream-access-key the upstream pair
// follows the file's first pair, as at start. A file that cannot be read
// or holds no pair changes nothing: the pairs in use stay. It returns the
// line to log, which says which, and the result for the metric
// s3cors_proxy_credentials_reloads_total: "ok", "failed", or "" when
// there is no file to read.
func (cfg *proxyConfig) reloadCredentials(p *s3proxy.Proxy) (line, result string) {
	if cfg.credentials == "" {
		return "s3cors proxy: SIGHUP: no --credentials to read again; ignored", ""
	}
	keep := func(err error) (string, string) {
		return fmt.Sprintf("s3cors proxy: SIGHUP: --credentials: %v; still using the %s read before", err, plural(len(cfg.opts.Keys), "key pair")), "failed"
	}
	keys, firstAccess, firstSecret, err := readCredentials(cfg.credentials)
	if err != nil {
		return keep(err)
	}
	c := s3proxy.Credentials{Keys: keys, UpstreamAccessKey: cfg.opts.UpstreamAccessKey, UpstreamSecretKey: cfg.opts.UpstreamSecretKey,
		CheckUpstreamKeys: cfg.opts.CheckUpstreamKeys}
	if !cfg.upstreamGiven {
		c.UpstreamAccessKey, c.UpstreamSecretKey = firstAccess, firstSecret
	}
	if err := p.SetCredentials(c); err != nil {
		return keep(errors.New(strings.TrimPrefix(err.Error(), "s3proxy: ")))
	}
	changes := keyChanges(cfg.opts.Keys, keys)
	cfg.opts.Keys = keys
	cfg.opts.UpstreamAccessKey, cfg.opts.UpstreamSecretKey = c.UpstreamAccessKey, c.UpstreamSecretKey
	return fmt.Sprintf("s3cors proxy: SIGHUP: read %s from %s: %s", plural(len(keys), "key pair"), cfg.credentials, changes), "ok"
}

// keyChanges says how the key pairs next differ from old, by access key
// (never a secret): those added, removed, and given a new secret, or "no
// change", so that the operator who rotates keys sees each proxy take
// the rotation.
func keyChanges(old, next map[string]string) string {
	var added, removed, changed []string
	for access, secret := range next {
		switch was, ok := old[access]; {
		case !ok:
			added = append(added, access)
		case was != secret:
			changed = append(changed, access)
		}
	}
	for access := range old {
		if _, ok := next[access]; !ok {
			removed = append(removed, access)
		}
	}
	var parts []string
	for _, part := range []struct {
		what string
		keys []string
	}{{"added", added}, {"removed", removed}, {"new secret for", changed}} {
		if len(part.keys) > 0 {
			slices.Sort(part.keys)
			parts = append(parts, part.what+" "+strings.Join(part.keys, " "))
		}
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}

// maxCredentialsFile bounds the size of a credentials file: a pair
// takes well under a hundred bytes, so a file over it is not one.
const maxCredentialsFile = 1 << 20

// readCredentials reads a credentials file: one "ACCESS_KEY SECRET_KEY"
// pair a line, blank lines and lines starting with '#' skipped, a
// leading UTF-8 byte order mark ignored. It returns the pairs and the
// first one. A file over maxCredentialsFile is refused whole: cut at the
// bound, its last pair could be read with half a secret. Its errors name
// the file once, as validate names its FILE, not in package os's words
// ("open keys: no such file or directory").
func readCredentials(name string) (keys map[string]string, firstAccess, firstSecret string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", name, plainError(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, "", "", errors.New(name + ": is a directory, not a credentials file")
	}
	// Read one byte past the bound to tell a file of exactly the bound
	// from a longer one; a pipe (<(...)) has no size to ask for.
	data, err := io.ReadAll(io.LimitReader(f, maxCredentialsFile+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", name, plainError(err))
	}
	if len(data) > maxCredentialsFile {
		return nil, "", "", fmt.Errorf("%s is larger than 1 MiB: it should hold one ACCESS_KEY SECRET_KEY pair a line", name)
	}
	// Windows editors start UTF-8 files with a byte order mark, which
	// would otherwise be part of the first access key.
	text := strings.TrimPrefix(string(data), "\ufeff")
	keys = map[string]string{}
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, "", "", fmt.Errorf("%s:%d: want ACCESS_KEY SECRET_KEY, got %s", name, n, plural(len(fields), "field"))
		}
		if _, dup := keys[fields[0]]; dup {
			return nil, "", "", fmt.Errorf("%s:%d: access key %s given twice", name, n, fields[0])
		}
		keys[fields[0]] = fields[1]
		if firstAccess == "" {
			firstAccess, firstSecret = fields[0], fields[1]
		}
	}
	if len(keys) == 0 {
		return nil, "", "", errors.New(name + ": no key pair")
	}
	return keys, firstAccess, firstSecret, nil
}

// opsHandler serves the metrics of reg, readiness (200 when the upstream
// answers, 503 and why otherwise, and 503 once draining is set),
// liveness, and the proxy's inspector, if it has one.
//
// Only the inspector checks the Host (--allowed-hosts): it shows the
// requests and configurations, and takes forms, which a page that rebinds
// its name to this address must not reach. /metrics, /readyz and /healthz
// answer any Host, because their callers name the address in ways no
// allow-list foresees: Kubernetes probes and load balancers' health checks
// send the pod's or instance's IP, Prometheus the target as configured
// (a service or container name). Refusing them would leave a proxy
// started with --allowed-hosts s3.example.com never ready, for a gain of
// counters and a reachability message.
func opsHandler(p *s3proxy.Proxy, reg *prometheus.Registry, draining *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	if in := p.Inspector(); in != nil {
		mux.Handle(s3proxy.InspectorPrefix, in)
		mux.Handle(strings.TrimSuffix(s3proxy.InspectorPrefix, "/"), in) // redirected by the inspector, behind its Host check
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			http.Error(w, "not ready: draining: the proxy is shutting down", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := p.Ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	return mux
}

// proxyMetrics is the proxy's s3proxy.Observer, kept in Prometheus
// metrics.
type proxyMetrics struct {
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	preflights *prometheus.CounterVec
	cache      *prometheus.CounterVec
	upstream   *prometheus.HistogramVec
	// reloads counts the SIGHUPs that read --credentials again, by
	// result: ok, or failed (the pairs in use kept).
	reloads *prometheus.CounterVec
}

// newProxyMetrics registers the proxy's Prometheus metrics on reg, with
// the Go and process collectors.
func newProxyMetrics(reg *prometheus.Registry) *proxyMetrics {
	m := &proxyMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3cors_proxy_requests_total",
			Help: "Requests answered, by S3 operation and status."}, []string{"op", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "s3cors_proxy_request_duration_seconds",
			Help: "Time to answer a request, by S3 operation.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"op"}),
		preflights: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3cors_proxy_preflights_total",
			Help: "Preflights answered from a bucket's configuration, allowed or refused."}, []string{"result"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3cors_proxy_config_cache_events_total",
			Help: "Events of the configuration cache: hit, stale, miss, revalidated, updated, refused, evicted."}, []string{"event"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "s3cors_proxy_upstream_request_duration_seconds",
			Help:    "Time the upstream took to answer with headers, by the proxy's operation (Forward for requests passed through) and status (0: no answer).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"op", "status"}),
	}
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "s3cors_proxy_credentials_reloads_total",
		Help: "SIGHUPs that read --credentials again, by result: ok, or failed (the key pairs in use kept)."}, []string{"result"})
	// Both shown from the start, so that an alert on failed has a
	// series to watch before the first SIGHUP.
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("failed")
	reg.MustRegister(m.requests, m.duration, m.preflights, m.cache, m.upstream, m.reloads,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *proxyMetrics) Request(op string, status int, d time.Duration) {
	m.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(op).Observe(d.Seconds())
}

func (m *proxyMetrics) Preflight(allowed bool) {
	result := "refused"
	if allowed {
		result = "allowed"
	}
	m.preflights.WithLabelValues(result).Inc()
}

func (m *proxyMetrics) Cache(e s3proxy.CacheEvent) { m.cache.WithLabelValues(e.String()).Inc() }

func (m *proxyMetrics) Upstream(op string, status int, d time.Duration) {
	m.upstream.WithLabelValues(op, strconv.Itoa(status)).Observe(d.Seconds())
}
