package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Limits of the HTTP server behind "s3cors serve". S3 refuses header
// sections over 8 KB; 16 KiB leaves room for a presigned URL with a long
// key in the request line, which Go counts in MaxHeaderBytes. The read and
// write timeouts leave a 64 MiB object minutes to move, far more than
// loopback needs. The header timeout is what frees a connection whose
// client trickles its headers (slowloris).
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 5 * time.Minute
	serveWriteTimeout      = 5 * time.Minute
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 16 << 10
	serveShutdownTimeout   = 10 * time.Second
)

// httpLimits are the timeouts and header limit of the HTTP server.
type httpLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}

// serveLimits are the limits "s3cors serve" gives its HTTP server. Tests
// give serve shorter ones, to see a slow client cut off in seconds.
var serveLimits = httpLimits{
	readHeader:     serveReadHeaderTimeout,
	read:           serveReadTimeout,
	write:          serveWriteTimeout,
	idle:           serveIdleTimeout,
	maxHeaderBytes: serveMaxHeaderBytes,
}

// newHTTPServer returns the http.Server serve runs h on.
func newHTTPServer(h http.Handler, limits httpLimits, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: limits.readHeader,
		ReadTimeout:       limits.read,
		WriteTimeout:      limits.write,
		IdleTimeout:       limits.idle,
		MaxHeaderBytes:    limits.maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// exampleBucket is the bucket --example makes.
const exampleBucket = "example"

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, serveLimits, args, stdout, stderr)
}

// serveConfig is what the flags of serve say.
type serveConfig struct {
	addr      string
	opts      s3server.Options
	example   bool
	dataShown string     // "data: DIR" or "in memory", for the banner
	logLevel  slog.Level // the least level logged
}

// serve runs the endpoint, its HTTP server held to limits, until ctx is
// done, then shuts it down gracefully. It is runServe without the signal
// handling, for tests.
func serve(ctx context.Context, limits httpLimits, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseServe(args, stdout, stderr)
	if !ok {
		return code
	}
	// The log, and serve's own messages in order with it, go through a
	// buffer written out every 100 ms, and at the end.
	log := newLogBuffer(stderr, logFlushDelay)
	defer log.Close()
	stderr = log
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "s3cors serve: "+format+"\n", args...)
		return exitUsage
	}
	cfg.opts.Logger = slog.New(newTextHandler(log, &slog.HandlerOptions{Level: cfg.logLevel}))
	srv, err := s3server.New(cfg.opts)
	if err != nil {
		return fail("%v", err)
	}
	defer srv.Close()
	if cfg.example {
		if err := setUpExample(srv, stdout); err != nil {
			return fail("--example: %v", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fail("%v", err)
	}
	hs := newHTTPServer(srv, limits, cfg.opts.Logger)
	fmt.Fprintf(stdout, "s3cors: serving S3 on %s (%s)\n", endpointURL(ln.Addr()), cfg.dataShown)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fail("%v", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "s3cors serve: requests still running after %v are cut off\n", serveShutdownTimeout)
		hs.Close()
	}
	fmt.Fprintln(stderr, "s3cors serve: stopped")
	return exitOK
}

func parseServe(args []string, stdout, stderr io.Writer) (serveConfig, int, bool) {
	c := newCommand("serve", stdout, stderr)
	c.loadHelp()
	addr := c.stringFlag("addr", "127.0.0.1:9000", "listen on `HOST:PORT`; port 0 picks a free one")
	data := c.stringFlag("data", "./s3cors-data", "keep buckets and objects in `DIR`")
	inMemory := c.boolFlag("in-memory", "keep everything in memory instead; nothing survives a restart")
	accessKey := c.stringFlag("access-key", "", "require requests signed with this access `KEY` (with --secret-key)")
	secretKey := c.stringFlag("secret-key", "", "the secret `KEY` that goes with --access-key")
	region := c.stringFlag("region", "us-east-1", "the `REGION` signatures are scoped to")
	example := c.boolFlag("example", `create the public-read bucket "example" with the embedded example CORS configuration, unless it exists`)
	logLevel := c.stringFlag("log-level", "info", "log requests answered at `LEVEL` and above: info (every request), warn (those answered with an error, and warnings), error (server errors only)")
	varyOrigin := c.boolFlag("vary-origin", "add Vary: Origin to the responses S3 sends without Vary (not what S3 does)")
	allowedHosts := c.stringFlag("allowed-hosts", "", "answer only requests whose Host is one of `HOSTS` (comma-separated; \"*\" for any); default: the host of --addr, localhost, 127.0.0.1, ::1")
	var domains []string
	c.flags = append(c.flags, "domain")
	c.fs.Func("domain", "serve virtual-hosted requests for buckets under `NAME` (http://BUCKET.NAME:PORT/KEY), beside path style; repeatable; default: localhost",
		func(v string) error { domains = append(domains, v); return nil })
	pos, code, ok := c.parse(args)
	if !ok {
		return serveConfig{}, code, false
	}
	dataSet := false
	c.fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	switch {
	case len(pos) > 0:
		return serveConfig{}, c.usageError("unexpected argument %q", pos[0]), false
	case (*accessKey == "") != (*secretKey == ""):
		return serveConfig{}, c.usageError("--access-key and --secret-key go together"), false
	case *inMemory && dataSet:
		return serveConfig{}, c.usageError("--data and --in-memory exclude each other"), false
	}
	level, ok := logLevels[strings.ToLower(*logLevel)]
	if !ok {
		return serveConfig{}, c.usageError("--log-level %q: want info, warn or error", *logLevel), false
	}
	hosts, err := parseAllowedHosts(*allowedHosts, *addr)
	if err != nil {
		return serveConfig{}, c.usageError("--allowed-hosts: %v", err), false
	}
	if domains == nil {
		domains = defaultDomains
	}
	if _, err := s3route.New(domains); err != nil {
		return serveConfig{}, c.usageError("--domain: %v", strings.TrimPrefix(err.Error(), "s3route: ")), false
	}
	cfg := serveConfig{addr: *addr, example: *example, dataShown: "in memory", logLevel: level, opts: s3server.Options{
		InMemory: *inMemory, AccessKey: *accessKey, SecretKey: *secretKey,
		Region: *region, VaryOrigin: *varyOrigin, AllowedHosts: hosts, Domains: domains,
	}}
	if !*inMemory {
		abs, err := filepath.Abs(*data)
		if err != nil {
			return serveConfig{}, c.usageError("--data: %v", err), false
		}
		cfg.opts.DataDir = abs
		cfg.dataShown = "data: " + abs
	}
	return cfg, 0, true
}

// logLevels are the levels --log-level takes: s3server logs a request
// answered with an error at warn, one answered otherwise at info, and an
// internal error or a panic at error.
var logLevels = map[string]slog.Level{"info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// defaultDomains are the names under which serve addresses buckets by
// host unless told otherwise: browsers and curl resolve every name under
// localhost to the loopback address, so http://BUCKET.localhost:PORT
// works without a DNS entry.
var defaultDomains = []string{"localhost"}

// defaultHosts are the names serve always answers to unless told
// otherwise: those of the loopback interface.
var defaultHosts = []string{"localhost", "127.0.0.1", "::1"}

// parseAllowedHosts returns the allowed hosts --allowed-hosts gives, or,
// when it is empty, the host of addr (unless it stands for every
// interface) and defaultHosts.
func parseAllowedHosts(flagValue, addr string) ([]string, error) {
	var hosts []string
	for _, h := range strings.Split(flagValue, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if flagValue != "" {
		if len(hosts) == 0 {
			return nil, errors.New("no host given")
		}
		return hosts, nil
	}
	hosts = slices.Clone(defaultHosts)
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && host != "" && (ip == nil || !ip.IsUnspecified()) && !slices.Contains(hosts, host) {
		hosts = append(hosts, host)
	}
	return hosts, nil
}

// setUpExample creates the bucket "example", public-read, with the
// embedded example configuration, unless it exists already (a data
// directory keeps it, and whatever was done to it, across restarts).
func setUpExample(srv *s3server.Server, stdout io.Writer) error {
	doc, err := xmlconfig.Decode(bytes.NewReader(exampleJSON))
	if err != nil {
		return err
	}
	err = srv.CreateBucket(exampleBucket, "public-read")
	if e, ok := errors.AsType[*s3err.Error](err); ok && e.Code == "BucketAlreadyOwnedByYou" {
		fmt.Fprintf(stdout, "s3cors: bucket %q exists: left as it is\n", exampleBucket)
		return nil
	}
	if err != nil {
		return err
	}
	if err := srv.PutBucketCors(exampleBucket, doc.Rules); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "s3cors: bucket %q created: public-read, CORS from the embedded %s (%s)\n",
		exampleBucket, exampleName, plural(len(doc.Rules), "rule"))
	return nil
}

// endpointURL returns the URL a client on this machine reaches addr at:
// an address listening on every interface is reached on 127.0.0.1.
func endpointURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
