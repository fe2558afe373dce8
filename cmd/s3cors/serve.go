package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/s3cors/s3cors/internal/inspect"
	"github.com/s3cors/s3cors/internal/lint"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3server"
)

// Limits of the HTTP server behind "s3cors serve". S3 refuses header
// sections over 8 KB; 16 KiB leaves room for a presigned URL with a long
// key in the request line, which Go counts in MaxHeaderBytes. The read and
// write timeouts bound the pauses of a body (see boundPauses), not its
// length, so that a large object moves over a slow link, as on S3; they
// are generous, for a client held in a debugger. The header timeout is
// what frees a connection whose client trickles its headers (slowloris).
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 5 * time.Minute
	serveWriteTimeout      = 5 * time.Minute
	serveIdleTimeout       = 2 * time.Minute
	serveMaxHeaderBytes    = 16 << 10
	serveShutdownTimeout   = 10 * time.Second
)

// httpLimits are the timeouts and header limit of the HTTP server, and
// the heap the process lets grow between garbage collections.
type httpLimits struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
	// heapFloor is the floor serve keeps on disk (see heapFloor); 0 for
	// Go's default pace, as in the tests that run serve in process.
	heapFloor uint64
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

// newHTTPServer returns the http.Server serve runs h on. Its read and
// write timeouts, when set, bound the pauses of a transfer (boundPauses).
func newHTTPServer(h http.Handler, limits httpLimits, log *slog.Logger) *http.Server {
	if limits.read > 0 || limits.write > 0 {
		h = boundPauses(h, limits.read, limits.write)
	}
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

// runServe is the serve verb: it reads its flags, then runs the endpoint
// until SIGINT or SIGTERM; a SIGHUP is logged and ignored (serveHangups).
func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	// The flags are read before SIGINT and SIGTERM are caught, to shut
	// the endpoint down: until it runs there is nothing to shut down, and
	// a --bucket NAME=FILE that never ends (a named pipe no one writes)
	// would leave the command deaf to Ctrl-C.
	cfg, code, ok := parseServe(args, stdout, stderr)
	if !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := notifyHangup()
	defer signal.Stop(hup)
	limits := serveLimits
	limits.heapFloor = heapFloor
	return serveHangups(ctx, hup, limits, cfg, stdout, stderr)
}

// serveConfig is what the flags of serve say.
type serveConfig struct {
	addr string
	opts s3server.Options
	// buckets are the buckets to make at start (--example, --bucket),
	// every one checked already.
	buckets   []bucketSetup
	dataShown string     // "data: DIR" or "in memory", for the banner
	logLevel  slog.Level // the least level logged
	// hostsWarning is wildcardHostsWarning's, "" for none.
	hostsWarning string
}

// serve runs the endpoint, its HTTP server held to limits, until ctx is
// done, then shuts it down gracefully. It is runServe without the signal
// handling, for tests.
func serve(ctx context.Context, limits httpLimits, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseServe(args, stdout, stderr)
	if !ok {
		return code
	}
	return serveHangups(ctx, nil, limits, cfg, stdout, stderr)
}

// serveHangups is serve, which logs and ignores each SIGHUP hup delivers:
// SIGHUP means "reload" to proxy (its --credentials), and serve reads no
// file again (its keys are flags, and a --bucket NAME=FILE read again
// would undo the PutBucketCors made since), so it neither stops, as
// processes do by default, nor changes anything. cfg is what the flags
// say (parseServe).
func serveHangups(ctx context.Context, hup <-chan os.Signal, limits httpLimits, cfg serveConfig, stdout, stderr io.Writer) int {
	if limits.heapFloor > 0 && !cfg.opts.InMemory {
		defer startGCFloor(limits.heapFloor, os.Getenv).Stop()
	}
	logs, logger, fail := openLog(stderr, "serve", cfg.logLevel)
	defer logs.Close()
	stderr = logs
	// Bind first, so that a busy port leaves nothing behind: no data
	// directory, no example bucket.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fail("%s", listenError("--addr", cfg.addr, err))
	}
	if cfg.hostsWarning != "" {
		// At once, before the banner, rather than with the log lines.
		fmt.Fprintln(logs, cfg.hostsWarning)
		logs.Flush()
	}
	cfg.opts.Logger = logger
	srv, err := s3server.New(cfg.opts)
	if err != nil {
		ln.Close()
		return fail("%s", serverError(cfg.opts.DataDir, err))
	}
	defer srv.Close()
	for _, b := range cfg.buckets {
		if err := b.apply(srv, stdout); err != nil {
			ln.Close()
			return fail("%s: %v", b.flag, err)
		}
	}
	hs := newHTTPServer(srv, limits, cfg.opts.Logger)
	hs.RegisterOnShutdown(srv.CloseInspector) // its live streams never end by themselves
	// One write, so that whoever waits for the first line reads the
	// second with it.
	io.WriteString(stdout, serveBanner(ln.Addr(), cfg))
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	go ignoreHangups(ctx, hup, stderr)
	if err := serveUntil(ctx, served, "serve", serveShutdownTimeout, stderr, hs); err != nil {
		return fail("%v", err)
	}
	return exitOK
}

// serveBanner returns the lines serve prints once it listens on addr.
func serveBanner(addr net.Addr, cfg serveConfig) string {
	banner := fmt.Sprintf("s3cors: serving S3 on %s (%s)\n", endpointURL(addr), cfg.dataShown)
	banner += hostsNote(addr, cfg.opts.AllowedHosts)
	if cfg.opts.Inspector {
		banner += fmt.Sprintf("s3cors: CORS inspector on %s/_s3cors/\n", allowedURL(addr, cfg.opts.AllowedHosts))
		if cfg.opts.AccessKey != "" {
			banner += inspectorKeysNote("every bucket's rules")
		}
	}
	return banner
}

// inspectorKeysNote is the line serve and proxy print with the
// inspector's address when they check signatures: the inspector asks
// for none (a browser's page cannot sign), so whoever reaches it reads
// what it shows, which the keys guard elsewhere.
func inspectorKeysNote(rules string) string {
	return "s3cors: the CORS inspector answers without the keys: whoever reaches it sees " + rules +
		" and the paths, object keys and queries of the requests; --no-inspector turns it off\n"
}

// ignoreHangups logs each SIGHUP hup delivers until ctx is done (see
// serveHangups).
func ignoreHangups(ctx context.Context, hup <-chan os.Signal, stderr io.Writer) {
	for {
		select {
		case <-hup:
			fmt.Fprintln(stderr, "s3cors serve: SIGHUP: serve reads no file again (its keys are flags); ignored")
		case <-ctx.Done():
			return
		}
	}
}

// serveFlags are the flags of serve as parsed, before parseServe checks
// them and makes a serveConfig of them.
type serveFlags struct {
	addr, data, accessKey, secretKey, region, accountID, logLevel, allowedHosts *string
	inMemory, example, noInspector, varyOrigin                                  *bool
	bucketList, domainList                                                      *[]string
	maxObjectSize                                                               *int64
}

// defineServeFlags defines the flags of serve on c, in the order its
// help lists them.
func defineServeFlags(c *command) *serveFlags {
	return &serveFlags{
		addr:          c.stringFlag("addr", "127.0.0.1:9000", "listen on `HOST:PORT`; port 0 picks a free one"),
		data:          c.stringFlag("data", "./s3cors-data", "keep buckets and objects in `DIR`"),
		inMemory:      c.boolFlag("in-memory", "keep everything in memory instead; nothing survives a restart"),
		accessKey:     c.stringFlag("access-key", "", "require requests signed with this access `KEY` (with --secret-key)"),
		secretKey:     c.stringFlag("secret-key", "", "the secret `KEY` that goes with --access-key"),
		region:        c.stringFlag("region", "us-east-1", "the `REGION` signatures are scoped to and every bucket is in\n(x-amz-bucket-region, GetBucketLocation)"),
		accountID:     c.stringFlag("account-id", s3server.DefaultAccountID, "the AWS account `ID` (12 digits) that owns every bucket, which x-amz-expected-bucket-owner must name"),
		example:       c.boolFlag("example", `create the public-read bucket "example" with the embedded example CORS configuration, unless it exists`),
		bucketList:    c.listFlag("bucket", "create the private bucket `NAME` at start, unless it exists; as NAME=FILE, also set its CORS\nconfiguration from FILE (S3 XML, AWS CLI JSON, S3 console JSON or a --cli-input-json file),\nreplacing any it has; repeatable"),
		logLevel:      c.choiceFlag("log-level", "info", "log from `LEVEL` up: info (every request), warn (requests answered with an error, and warnings) or error (server errors)", "info", "warn", "error"),
		noInspector:   c.boolFlag("no-inspector", "do not serve the CORS inspector at /_s3cors/"),
		varyOrigin:    c.boolFlag("vary-origin", "add Vary: Origin to the responses S3 sends without Vary (not what S3 does)"),
		allowedHosts:  c.stringFlag("allowed-hosts", "", "answer only requests whose Host is one of `HOSTS` (comma-separated, a port\nignored; \"*\" for any); default: the host of --addr, localhost, 127.0.0.1, ::1; the names of --domain and under them are answered too"),
		maxObjectSize: c.sizeFlag("max-object-size", s3server.MaxObjectSize, "take objects of up to `SIZE` in one PutObject or POST form, in bytes or KiB, MiB or GiB (such as 1GiB): at most 5GiB, S3's limit, or 1GiB with --in-memory"),
		domainList:    c.listFlag("domain", "serve virtual-hosted requests for buckets under `NAME` (http://BUCKET.NAME:PORT/KEY), beside path style; repeatable; default: localhost"),
	}
}

// parseServe reads the flags of serve, and the files its --bucket
// NAME=FILE name.
func parseServe(args []string, stdout, stderr io.Writer) (serveConfig, int, bool) {
	c := newCommand("serve", stdout, stderr)
	c.loadHelp("capacity", strconv.Itoa(inspect.DefaultCapacity), "linger", plural(int(inspect.DefaultLinger/time.Minute), "minute"))
	f := defineServeFlags(c)
	pos, code, ok := c.parse(args)
	if !ok {
		return serveConfig{}, code, false
	}
	if code, ok := f.check(c, pos); !ok {
		return serveConfig{}, code, false
	}
	hosts, code, ok := c.allowedHosts(*f.allowedHosts, *f.addr)
	if !ok {
		return serveConfig{}, code, false
	}
	domains := *f.domainList
	if domains == nil {
		domains = defaultDomains
	}
	if code, ok := c.checkDomains(domains); !ok {
		return serveConfig{}, code, false
	}
	buckets, code, ok := c.bucketSetups(*f.bucketList, *f.example)
	if !ok {
		return serveConfig{}, code, false
	}
	cfg := serveConfig{addr: *f.addr, buckets: buckets, dataShown: "in memory", logLevel: logLevels[*f.logLevel], opts: s3server.Options{
		InMemory: *f.inMemory, AccessKey: *f.accessKey, SecretKey: *f.secretKey,
		Region: *f.region, AccountID: *f.accountID, VaryOrigin: *f.varyOrigin, AllowedHosts: hosts, Domains: domains, Inspector: !*f.noInspector,
		MaxObjectSize: *f.maxObjectSize,
	}}
	cfg.hostsWarning = wildcardHostsWarning("serve", *f.addr, hosts, domains, c.given("allowed-hosts"))
	if !*f.inMemory {
		abs, err := filepath.Abs(*f.data)
		if err != nil {
			return serveConfig{}, c.usageError("--data: %v", err), false
		}
		cfg.opts.DataDir = abs
		cfg.dataShown = "data: " + abs
	}
	return cfg, 0, true
}

// check reports the first mistake in f, with pos the arguments that are
// not flags, as a usage error, and returns ok false: the flags that
// stand on their own, before parseServe reads the lists and files the
// others give.
func (f *serveFlags) check(c *command, pos []string) (int, bool) {
	if code, ok := c.refuseEmptyOrOperand(pos, "addr", "data", "access-key", "secret-key"); !ok {
		return code, false
	}
	if code, ok := c.checkAddrs("addr"); !ok {
		return code, false
	}
	switch {
	case (*f.accessKey == "") != (*f.secretKey == ""):
		return c.usageError("--access-key and --secret-key go together"), false
	case *f.inMemory && c.given("data"):
		return c.usageError("--data and --in-memory exclude each other"), false
	}
	if code, ok := c.checkRegion(*f.region); !ok {
		return code, false
	}
	if !s3server.ValidAccountID(*f.accountID) {
		return c.usageError("--account-id %q is not an AWS account ID: 12 digits, such as %s", *f.accountID, s3server.DefaultAccountID), false
	}
	if max := s3server.ObjectSizeLimit(*f.inMemory); *f.maxObjectSize < 1 || *f.maxObjectSize > max {
		return c.usageError("--max-object-size %s is out of range: %s", (*sizeValue)(f.maxObjectSize), maxObjectSizeRange(*f.inMemory)), false
	}
	return 0, true
}

// maxObjectSizeRange says which --max-object-size values serve takes,
// and why.
func maxObjectSizeRange(inMemory bool) string {
	if inMemory {
		return "1 byte to 1GiB with --in-memory, which holds every object whole in memory"
	}
	return "1 byte to 5GiB, S3's limit for one PutObject or POST"
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

// allowedHosts reads --allowed-hosts, given as value, for a command that
// listens on addrs (see parseAllowedHosts), or reports a usage error. A
// list given empty is a mistake (an unset variable in a script), not a
// request for the defaults, and is refused.
func (c *command) allowedHosts(value string, addrs ...string) ([]string, int, bool) {
	if c.given("allowed-hosts") && strings.TrimSpace(value) == "" {
		return nil, c.usageError(`--allowed-hosts is empty: list the host names clients use, separated by commas, or "*" for any`), false
	}
	hosts, err := parseAllowedHosts(value, addrs...)
	if err != nil {
		return nil, c.usageError("--allowed-hosts: %v", err), false
	}
	return hosts, 0, true
}

// parseAllowedHosts returns the allowed hosts --allowed-hosts gives, or,
// when it is empty, defaultHosts and the host of each of addrs (unless it
// stands for every interface): those of the addresses the command
// listens on.
func parseAllowedHosts(flagValue string, addrs ...string) ([]string, error) {
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
		// The check s3server.New and s3proxy.New make, in their words.
		if err := s3route.CheckAllowedHosts(hosts); err != nil {
			return nil, errors.New(strings.TrimPrefix(err.Error(), "s3route: "))
		}
		return hosts, nil
	}
	hosts = slices.Clone(defaultHosts)
	for _, addr := range addrs {
		host, _, err := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); err == nil && host != "" && (ip == nil || !ip.IsUnspecified()) && !slices.Contains(hosts, host) {
			hosts = append(hosts, host)
		}
	}
	return hosts, nil
}

// wildcardHostsWarning returns the warning, one line, that the command
// verb prints when it listens on every interface (addr's host empty,
// 0.0.0.0 or ::) with the default allowed hosts (given: --allowed-hosts
// was not): those answer the loopback names, and the domains and the
// names under them, but not the names and addresses that reach the
// machine from elsewhere, a load balancer's among them, which would all
// get 400 while the command looks healthy. "" when there is nothing to
// warn of.
func wildcardHostsWarning(verb, addr string, hosts, domains []string, given bool) string {
	host, _, err := net.SplitHostPort(addr)
	if given || err != nil || host != "" && !net.ParseIP(host).IsUnspecified() {
		return ""
	}
	var named []string // the hosts the domains do not name already
	for _, h := range hosts {
		if !slices.Contains(domains, h) {
			named = append(named, h)
		}
	}
	answered := lint.JoinOr(named)
	switch len(domains) {
	case 0:
	case 1:
		answered += ", or " + domains[0] + " or a name under it"
	default:
		answered += ", or " + lint.JoinOr(domains) + " or a name under one of them"
	}
	return "s3cors " + verb + ": warning: --addr " + addr + " listens on every interface, but answers only requests whose Host is " + answered +
		`; any other gets 400 InvalidArgument: list the names and addresses clients use with --allowed-hosts (such as --allowed-hosts s3.example.com,192.0.2.10), or "*" for any`
}

// plainNetError returns what went wrong in an error of package net
// without the operation and addresses it repeats ("listen tcp
// 127.0.0.1:9000: bind: address already in use").
func plainNetError(err error) error {
	if op, ok := errors.AsType[*net.OpError](err); ok {
		err = op.Err
	}
	if sys, ok := errors.AsType[*os.SyscallError](err); ok {
		err = sys.Err
	}
	if addr, ok := errors.AsType[*net.AddrError](err); ok {
		return errors.New(addr.Err)
	}
	return err
}

// listenError says that the address addr, given by flag, could not be
// listened on, and why (see plainNetError). A busy port is most often a
// server started earlier, another serve or proxy on the same default
// port: the message says how to pick another. An address that is not
// HOST:PORT at all ("missing port in address") says which flag wants
// that form, which net's words do not.
func listenError(flag, addr string, err error) string {
	msg := fmt.Sprintf("cannot listen on %s: %v", addr, plainNetError(err))
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		msg += fmt.Sprintf(" (another server listens there: stop it, or give %s another port; port 0 picks a free one)", flag)
	case malformedAddr(err):
		msg += fmt.Sprintf(" (%s takes HOST:PORT, such as 127.0.0.1:9000; port 0 picks a free one)", flag)
	}
	return msg
}

// malformedAddr reports whether err is net's complaint about an
// address's form: a missing port or bracket, a port out of range, or a
// port that is not a number (looked up as a service name, "tcp/abc").
func malformedAddr(err error) bool {
	if _, ok := errors.AsType[*net.AddrError](err); ok {
		return true
	}
	dns, ok := errors.AsType[*net.DNSError](err)
	return ok && strings.HasPrefix(dns.Name, "tcp/")
}

// serverError says why s3server.New refused to start with the data
// directory dir ("" in memory). The operating system's words name the
// path but not the flag: "mkdir /tmp/x: not a directory", for a --data
// that names a file, leaves the user to find which flag gave it and what
// it wants, so a directory refused as such, not writable, or not to be
// made (a symbolic link to nothing, a path under /proc), is said to be
// --data's, with what --data needs. The path is named once, and what is
// wrong in plain words, without the system's call ("mkdir", "openat
// s3cors.lock") and the path again; "not a directory" says which.
func serverError(dir string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "s3server: ")
	if dir == "" || !(errors.Is(err, syscall.ENOTDIR) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrNotExist)) {
		return msg
	}
	why := msg
	if errno, ok := errors.AsType[syscall.Errno](err); ok {
		why = errno.Error()
	}
	fi, statErr := os.Lstat(dir)
	switch {
	case errors.Is(err, syscall.ENOTDIR) && statErr != nil:
		why = "part of its path is not a directory"
	case errors.Is(err, syscall.ENOTDIR) && fi.Mode().IsRegular():
		why = "it is a file, not a directory"
	case errors.Is(err, syscall.ENOTDIR) && fi.IsDir():
		// A file in it where serve keeps a directory (buckets).
		why = "something in it is not the directory serve keeps there"
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			p := pe.Path
			if rel, err := filepath.Rel(dir, p); err == nil && filepath.IsAbs(p) && filepath.IsLocal(rel) {
				p = rel
			}
			why = fmt.Sprintf("%s in it is not a directory", p)
		}
	case errors.Is(err, syscall.ENOTDIR):
		why = "it is not a directory"
	case errors.Is(err, fs.ErrNotExist) && statErr == nil && fi.Mode()&fs.ModeSymlink != 0:
		why = "it is a symbolic link to nothing"
	}
	return fmt.Sprintf("cannot keep data in %s: %s (--data needs a directory serve may create, or one it may write in)", dir, why)
}

// allowedURL returns the URL of addr under a name the allow-list hosts
// (--allowed-hosts, as parsed) admits, since the inspector behind it
// answers no other Host: endpointURL's when hosts admit its address (or
// any host), else the first host listed, on addr's port.
func allowedURL(addr net.Addr, hosts []string) string {
	u := endpointURL(addr)
	host, port, err := net.SplitHostPort(strings.TrimPrefix(u, "http://"))
	if err != nil || slices.Contains(hosts, "*") || slices.ContainsFunc(hosts, func(h string) bool { return s3route.HostName(h) == s3route.HostName(host) }) {
		return u
	}
	for _, h := range hosts {
		if name := s3route.HostName(h); name != "" {
			return "http://" + net.JoinHostPort(name, port)
		}
	}
	return u
}

// hostsNote returns a line saying under which URL clients reach addr
// when the allow-list hosts refuses the host endpointURL prints, or "":
// the URL printed first stays the listening address, which scripts read.
func hostsNote(addr net.Addr, hosts []string) string {
	if u := allowedURL(addr, hosts); u != endpointURL(addr) {
		return fmt.Sprintf("s3cors: --allowed-hosts does not admit %s: requests must name a host it lists, as %s does\n",
			strings.TrimPrefix(endpointURL(addr), "http://"), u)
	}
	return ""
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
