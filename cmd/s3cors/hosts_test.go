package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

func TestParseAllowedHosts(t *testing.T) {
	t.Parallel()
	loopback := []string{"localhost", "127.0.0.1", "::1"}
	tests := []struct {
		flag, addr string
		want       []string
	}{
		{"", "127.0.0.1:9000", loopback},
		{"", "localhost:9000", loopback},
		{"", "[::1]:9000", loopback},
		{"", "s3.internal:9000", append(slices.Clone(loopback), "s3.internal")},
		{"", "192.168.1.20:9000", append(slices.Clone(loopback), "192.168.1.20")},
		{"", "0.0.0.0:9000", loopback},
		{"", "[::]:9000", loopback},
		{"", ":9000", loopback},
		{"", "not an address", loopback},
		{"s3.test", "127.0.0.1:9000", []string{"s3.test"}},
		{" a.example , b.example,", "127.0.0.1:9000", []string{"a.example", "b.example"}},
		{"*", "127.0.0.1:9000", []string{"*"}},
		// The proxy listens on two addresses: --addr and --metrics-addr.
		{"", "192.168.1.20:9100,admin.internal:9101", append(slices.Clone(loopback), "192.168.1.20", "admin.internal")},
		{"", "0.0.0.0:9100,192.168.1.20:9101", append(slices.Clone(loopback), "192.168.1.20")},
		{"", "192.168.1.20:9100,192.168.1.20:9101", append(slices.Clone(loopback), "192.168.1.20")},
		{"", "127.0.0.1:9100,", loopback},
		{"s3.test", "127.0.0.1:9100,10.0.0.1:9101", []string{"s3.test"}},
	}
	for _, tc := range tests {
		got, err := parseAllowedHosts(tc.flag, strings.Split(tc.addr, ",")...)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseAllowedHosts(%q, %q) = %q, %v; want %q", tc.flag, tc.addr, got, err, tc.want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"serve", "--in-memory", "--allowed-hosts", " , "}, nil, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), "--allowed-hosts: no host given") {
		t.Errorf("--allowed-hosts with no host: exit %d, %q", code, stderr.String())
	}
}

// TestServeAllowedHosts checks the Host allow-list of serve: by default
// the loopback names are answered and a rebound name is refused with
// 400, preflights included; --allowed-hosts replaces the list; "*"
// turns the check off.
func TestServeAllowedHosts(t *testing.T) {
	t.Parallel()
	host := func(url, h, method string, header ...string) (int, string, string) {
		t.Helper()
		req, err := http.NewRequest(method, url+"/example/k", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = h
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp.Header.Get("Access-Control-Allow-Origin")
	}
	preflight := []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT"}

	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example")
	port := s.url[strings.LastIndex(s.url, ":"):]
	for _, h := range []string{"127.0.0.1" + port, "localhost" + port, "LocalHost", "[::1]" + port} {
		if status, body, _ := host(s.url, h, "GET"); status != 404 {
			t.Errorf("Host %s: %d %s", h, status, body)
		}
		if status, _, acao := host(s.url, h, "OPTIONS", preflight...); status != 200 || acao == "" {
			t.Errorf("preflight with Host %s: %d", h, status)
		}
	}
	for _, h := range []string{"evil.example" + port, "localhost.evil.example" + port, "127.0.0.1.nip.io" + port} {
		if status, body, _ := host(s.url, h, "GET"); status != 400 || !strings.Contains(body, "<Code>InvalidArgument</Code>") ||
			!strings.Contains(body, "<ArgumentValue>"+h+"</ArgumentValue>") {
			t.Errorf("Host %s: %d %s", h, status, body)
		}
		if status, _, acao := host(s.url, h, "OPTIONS", preflight...); status != 400 || acao != "" {
			t.Errorf("preflight with Host %s: %d, Access-Control-Allow-Origin %q", h, status, acao)
		}
	}
	stop()
	s.wait(t)
	if !strings.Contains(s.stderr.String(), "op=HostNotAllowed status=400") {
		t.Errorf("the log does not name the refusals:\n%s", s.stderr)
	}

	s, stop = startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example", "--allowed-hosts", "s3.test")
	if status, _, _ := host(s.url, "s3.test:9000", "GET"); status != 404 {
		t.Errorf("--allowed-hosts s3.test, Host s3.test: %d", status)
	}
	if status, _, _ := host(s.url, "127.0.0.1", "GET"); status != 400 {
		t.Errorf("--allowed-hosts s3.test, Host 127.0.0.1: %d", status)
	}
	stop()
	s.wait(t)

	s, stop = startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory", "--example", "--allowed-hosts", "*")
	defer stop()
	if status, _, _ := host(s.url, "evil.example", "GET"); status != 404 {
		t.Errorf("--allowed-hosts '*', Host evil.example: %d", status)
	}
}

// TestWildcardHostsWarning checks the warning serve and proxy print when
// they listen on every interface with the default allowed hosts, which
// answer only the loopback names (and the domains): every client that
// names the machine, or comes through a load balancer, would get 400.
func TestWildcardHostsWarning(t *testing.T) {
	t.Parallel()
	const fix = `; any other gets 400 InvalidArgument: list the names and addresses clients use with --allowed-hosts (such as --allowed-hosts s3.example.com,192.0.2.10), or "*" for any`
	tests := []struct {
		verb, addr string
		hosts      []string // the default allowed hosts
		domains    []string
		given      bool // --allowed-hosts
		want       string
	}{
		{"proxy", "0.0.0.0:9100", []string{"localhost", "127.0.0.1", "::1"}, nil, false,
			"s3cors proxy: warning: --addr 0.0.0.0:9100 listens on every interface, but answers only requests whose Host is localhost, 127.0.0.1 or ::1" + fix},
		{"proxy", "[::]:9100", []string{"localhost", "127.0.0.1", "::1", "10.0.0.5"}, []string{"s3.example.com"}, false,
			"s3cors proxy: warning: --addr [::]:9100 listens on every interface, but answers only requests whose Host is localhost, 127.0.0.1, ::1 or 10.0.0.5, or s3.example.com or a name under it" + fix},
		{"serve", ":9000", []string{"localhost", "127.0.0.1", "::1"}, []string{"localhost"}, false,
			"s3cors serve: warning: --addr :9000 listens on every interface, but answers only requests whose Host is 127.0.0.1 or ::1, or localhost or a name under it" + fix},
		{"serve", "0.0.0.0:9000", []string{"localhost", "127.0.0.1", "::1"}, []string{"localhost", "s3.test"}, false,
			"s3cors serve: warning: --addr 0.0.0.0:9000 listens on every interface, but answers only requests whose Host is 127.0.0.1 or ::1, or localhost or s3.test or a name under one of them" + fix},
		{"proxy", "0.0.0.0:9100", []string{"s3.example.com"}, nil, true, ""},
		{"proxy", "0.0.0.0:9100", []string{"*"}, nil, true, ""},
		{"proxy", "127.0.0.1:9100", []string{"localhost", "127.0.0.1", "::1"}, nil, false, ""},
		{"serve", "192.0.2.10:9000", []string{"localhost", "127.0.0.1", "::1", "192.0.2.10"}, []string{"localhost"}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.verb+" "+tc.addr, func(t *testing.T) {
			t.Parallel()
			if got := wildcardHostsWarning(tc.verb, tc.addr, tc.hosts, tc.domains, tc.given); got != tc.want {
				t.Errorf("wildcardHostsWarning(%q, %q, %q, %q, %v) =\n%s\nwant\n%s", tc.verb, tc.addr, tc.hosts, tc.domains, tc.given, got, tc.want)
			}
		})
	}
}

// TestWildcardAddrWarns runs serve and proxy on every interface: each
// prints the warning on standard error, once, and not with
// --allowed-hosts.
func TestWildcardAddrWarns(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{})
	for _, tc := range []struct {
		verb string
		args []string
		warn bool
	}{
		{"serve", []string{"--addr", "0.0.0.0:0", "--in-memory"}, true},
		{"serve", []string{"--addr", "0.0.0.0:0", "--in-memory", "--allowed-hosts", "s3.test"}, false},
		{"serve", []string{"--addr", "127.0.0.1:0", "--in-memory"}, false},
		{"proxy", []string{"--addr", "0.0.0.0:0", "--upstream", up.URL}, true},
		{"proxy", []string{"--addr", "0.0.0.0:0", "--upstream", up.URL, "--allowed-hosts", "*"}, false},
		{"proxy", []string{"--addr", "127.0.0.1:0", "--upstream", up.URL}, false},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var stderr *lockedBuffer
		if tc.verb == "serve" {
			s := startServe(t, func(stdout, stderr io.Writer) int { return serve(ctx, serveLimits, tc.args, stdout, stderr) })
			cancel()
			s.wait(t)
			stderr = s.stderr
		} else {
			p := startProxyVerb(t, func(stdout, stderr io.Writer) int { return proxy(ctx, tc.args, stdout, stderr) })
			cancel()
			p.wait(t)
			stderr = p.stderr
		}
		prefix := "s3cors " + tc.verb + ": warning: --addr 0.0.0.0:0 listens on every interface, but answers only requests whose Host is "
		if n := strings.Count(stderr.String(), prefix); n != 0 != tc.warn || n > 1 {
			t.Errorf("%s %q: the warning %d times, want it: %v; stderr:\n%s", tc.verb, tc.args, n, tc.warn, stderr)
		}
	}
}

// TestServeBannerAllowedHosts checks the line serve's banner adds when
// --allowed-hosts refuses the listening address it prints, which scripts
// read: the URL clients reach it at instead.
func TestServeBannerAllowedHosts(t *testing.T) {
	t.Parallel()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}
	for _, tc := range []struct {
		hosts []string
		want  string
	}{
		{nil, "s3cors: serving S3 on http://127.0.0.1:9000 (in memory)\n"},
		{[]string{"*"}, "s3cors: serving S3 on http://127.0.0.1:9000 (in memory)\n"},
		{[]string{"s3.test", "127.0.0.1"}, "s3cors: serving S3 on http://127.0.0.1:9000 (in memory)\n"},
		{[]string{"s3.test"}, "s3cors: serving S3 on http://127.0.0.1:9000 (in memory)\n" +
			"s3cors: --allowed-hosts does not admit 127.0.0.1:9000: requests must name a host it lists, as http://s3.test:9000 does\n"},
	} {
		cfg := serveConfig{dataShown: "in memory"}
		cfg.opts.AllowedHosts = tc.hosts
		if got := serveBanner(addr, cfg); got != tc.want {
			t.Errorf("--allowed-hosts %q: banner %q, want %q", tc.hosts, got, tc.want)
		}
	}
}

// TestServeBannerInspectorKeys: with keys, the banner says under the
// inspector's address that the inspector asks for none; without keys, or
// without the inspector, it says nothing of it.
func TestServeBannerInspectorKeys(t *testing.T) {
	t.Parallel()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}
	const (
		serving   = "s3cors: serving S3 on http://127.0.0.1:9000 (in memory)\n"
		inspector = "s3cors: CORS inspector on http://127.0.0.1:9000/_s3cors/\n"
		note      = "s3cors: the CORS inspector answers without the keys: whoever reaches it sees every bucket's rules and the paths, object keys and queries of the requests; --no-inspector turns it off\n"
	)
	for _, tc := range []struct {
		name            string
		keys, inspector bool
		want            string
	}{
		{"no keys", false, true, serving + inspector},
		{"keys", true, true, serving + inspector + note},
		{"keys, --no-inspector", true, false, serving},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := serveConfig{dataShown: "in memory"}
			cfg.opts.Inspector = tc.inspector
			if tc.keys {
				cfg.opts.AccessKey, cfg.opts.SecretKey = "AKIDEXAMPLE", "SECRET"
			}
			if got := serveBanner(addr, cfg); got != tc.want {
				t.Errorf("banner %q\nwant %q", got, tc.want)
			}
		})
	}
}
