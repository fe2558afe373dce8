package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/testroot"
)

// TestREADMEProxy replays README.md's console blocks of the proxy and of
// serve's endpoint, block by block as the README writes them, with the
// real programs: versitygw v1.8.0 (posix backend in a temporary
// directory), the s3cors binary built from this package, Debian's AWS
// CLI (/usr/bin/aws), curl and jq. Each "$ " command runs in bash in a
// working directory holding the files the text describes, and its output
// (stdout and stderr as a terminal shows them) must be the README's,
// after normalizing only what the README says differs from run to run;
// readmeSame says what. The ports 7070, 9000, 9100 and 9101 are free ones
// picked here, in the commands and the output alike, and /srv/s3 a
// temporary directory. A missing versitygw, aws, curl or jq skips, unless
// S3CORS_REQUIRE_VERSITYGW, S3CORS_REQUIRE_AWSCLI, S3CORS_REQUIRE_CURL or
// S3CORS_REQUIRE_JQ is 1 (.ci/run sets them).
//
// proxy: the "### Worked example", then, with the same store and
// bucket, "### CORS inspector of the proxy", the proxy commands of
// "### Deployment" and its three /readyz answers, in the setups the text
// gives them: the worked example's with a wrong secret, with --upstream
// naming python3 -m http.server, and with the keys of a versitygw user
// (role user), who may not create the config bucket. The log lines
// shown under these (but for times, durations and request IDs) must be
// among the proxy's, and the proxy must print no line the README does
// not show but those of its log.
//
// serve: the intro of "## Test endpoint: s3cors serve", with cors.json
// its JSON block, and the curl | jq block of "### CORS inspector".
func TestREADMEProxy(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	aws := testroot.RequireTool(t, "/usr/bin/aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	curl := testroot.RequireTool(t, "curl", "S3CORS_REQUIRE_CURL", "--version")
	jq := testroot.RequireTool(t, "jq", "S3CORS_REQUIRE_JQ", "--version")
	versitygw := testroot.Versitygw(t)

	// The programs the commands name, and nothing else from this PATH
	// but the system's: the AWS CLI is Debian's, not another on PATH.
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "s3cors"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for name, path := range map[string]string{"aws": aws, "curl": curl, "jq": jq, "versitygw": versitygw} {
		if err := os.Symlink(path, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	home := t.TempDir()
	env := []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + home, "LC_ALL=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}

	t.Run("proxy", func(t *testing.T) {
		t.Parallel()
		worked := readmeSubsection(t, readme, "### Worked example")
		inspector := readmeSubsection(t, readme, "### CORS inspector of the proxy")
		deployment := consoleBlocks(readmeSubsection(t, readme, "### Deployment: N proxies in front of a cluster"))
		if len(deployment) != 5 {
			t.Fatalf("### Deployment has %d console blocks, want 5: two proxy commands, three /readyz answers", len(deployment))
		}
		pair := regexp.MustCompile("`keys.txt` holds the pair[^`]*`([^`]+)`").FindStringSubmatch(worked)
		if pair == nil {
			t.Fatal("the Worked example does not give keys.txt's pair in backquotes")
		}
		rule := "`cors.json`\nis the AWS CLI's form of one rule for `https://app.example.com` (GET and\nPUT, header `content-type`, `ETag` exposed, max age 3000)"
		if !strings.Contains(worked, rule) {
			t.Fatalf("the Worked example no longer describes cors.json as\n%s\nwhich this test writes", rule)
		}
		r := newReplayer(t, env, map[string]string{
			"keys.txt":  pair[1] + "\n",
			"cors.json": `{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["content-type"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]}` + "\n",
			"cat.jpg":   "\xff\xd8\xff\xe0 not much of a cat\n",
		})
		r.replay(t, consoleBlocks(worked))
		// The log lines the Worked example shows are among the proxy's.
		r.logged(t, worked)
		r.replay(t, consoleBlocks(inspector))
		r.replay(t, deployment[:2])

		// "in the worked example's setup with a wrong secret", "a wrong
		// --upstream-secret-key"
		withMetrics := consoleBlocks(inspector)[0][0].line
		key, secret, _ := strings.Cut(pair[1], " ")
		r.start(t, withMetrics+" --upstream-access-key "+key+" --upstream-secret-key "+secret+"wrong")
		r.replay(t, deployment[2:3])
		r.logged(t, logAfter(t, readme, deployment[2][0].want+"```\n"))
		// "in the worked example's setup, a wrong --upstream-secret-key
		// shows as": the preflight's look-up, and its 503.
		r.run(t, "curl -s -o /dev/null -X OPTIONS http://127.0.0.1:9100/photos/cat.jpg -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'", "")
		r.logged(t, logAfter(t, readme, "a wrong `--upstream-secret-key` shows as:\n"))

		// "with --upstream naming a web server (python3 -m http.server)"
		web := freePort(t)
		p := startReadmeProcess(t, t.TempDir(), env, "python3 -m http.server --bind 127.0.0.1 "+web)
		waitPort(t, p, web)
		r.start(t, strings.Replace(withMetrics, "http://127.0.0.1:7070", "http://127.0.0.1:"+web, 1))
		r.replay(t, deployment[3:4])

		// "with upstream keys that may not create the missing config
		// bucket": a store of its own, with versitygw's IAM, whose user
		// (role user) the proxy signs as.
		iam := freePort(t)
		p = startReadmeProcess(t, t.TempDir(), env, fmt.Sprintf("versitygw --port 127.0.0.1:%s --access %s --secret %s --iam-dir %s --quiet posix %s",
			iam, key, secret, t.TempDir(), t.TempDir()))
		waitPort(t, p, iam)
		admin := exec.Command("versitygw", "admin", "--access", key, "--secret", secret, "--endpoint-url", "http://127.0.0.1:"+iam,
			"create-user", "--access", "tenant", "--secret", "tenant-secret", "--role", "user")
		admin.Env = env
		if out, err := admin.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", admin, err, out)
		}
		r.start(t, strings.Replace(withMetrics, "http://127.0.0.1:7070", "http://127.0.0.1:"+iam, 1)+
			" --upstream-access-key tenant --upstream-secret-key tenant-secret")
		r.replay(t, deployment[4:5])
		r.logged(t, logAfter(t, readme, deployment[4][0].want+"```\n"))
		r.stop(t)
		if r.blocks != 11 {
			t.Errorf("%d console blocks replayed, want 11: 4 in the Worked example, 2 in the CORS inspector of the proxy, 5 in Deployment", r.blocks)
		}
	})

	t.Run("serve", func(t *testing.T) {
		t.Parallel()
		intro := readmeSubsection(t, readme, "## Test endpoint: s3cors serve")
		_, cors, ok := strings.Cut(intro, "a `cors.json`:\n\n```json\n")
		if !ok {
			t.Fatal("## Test endpoint: s3cors serve gives no cors.json in a json block")
		}
		cors, _, _ = strings.Cut(cors, "```")
		r := newReplayer(t, env, map[string]string{"cors.json": cors})
		r.replay(t, consoleBlocks(intro))
		r.replay(t, consoleBlocks(readmeSubsection(t, readme, "### CORS inspector")))
		r.stop(t)
		if r.blocks != 3 {
			t.Errorf("%d console blocks replayed, want 3: 2 in Test endpoint, 1 in CORS inspector", r.blocks)
		}
	})
}

// logAfter returns the indented lines of readme after the paragraph or
// block that ends with before and a blank line: log lines it shows.
func logAfter(t *testing.T, readme, before string) string {
	t.Helper()
	_, after, ok := strings.Cut(readme, before+"\n")
	if !ok {
		t.Fatalf("README.md has no paragraph or block ending with\n%s", before)
	}
	var lines string
	for line := range strings.Lines(after) {
		if !strings.HasPrefix(line, "    ") {
			break
		}
		lines += line
	}
	return lines
}

// replayer runs README.md's console blocks in a working directory of its
// own, with a store and ports of its own.
type replayer struct {
	dir     string
	env     []string
	ports   map[string]string // the README's: the one used here
	store   string            // for /srv/s3
	exports []string          // the export commands run so far, for those after them
	server  *readmeProcess    // the s3cors proxy or serve in the foreground
	shown   int               // how many lines of its output the README shows
	blocks  int               // how many were replayed
}

// newReplayer returns a replayer whose working directory holds files.
func newReplayer(t *testing.T, env []string, files map[string]string) *replayer {
	t.Helper()
	r := &replayer{dir: t.TempDir(), env: env, ports: map[string]string{}, store: t.TempDir()}
	for _, p := range []string{"7070", "9000", "9100", "9101"} {
		r.ports[p] = freePort(t)
	}
	for name, content := range files {
		r.write(t, name, content)
	}
	return r
}

// write writes the file name of the working directory.
func (r *replayer) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readmePort matches the addresses of the README's ports, and the name
// --allowed-hosts gives, which the inspector's URL names.
var readmePort = regexp.MustCompile(`\b(127\.0\.0\.1|0\.0\.0\.0|s3\.example\.com):(7070|9000|9100|9101)\b`)

// rewrite gives s the ports and store of r.
func (r *replayer) rewrite(s string) string {
	s = readmePort.ReplaceAllStringFunc(s, func(m string) string {
		host, port, _ := strings.Cut(m, ":")
		return host + ":" + r.ports[port]
	})
	return strings.ReplaceAll(s, "/srv/s3", r.store)
}

// start stops the s3cors server in the foreground, if any, and starts
// line, the README's, in its place. Without --addr it is given its
// default's port as r has it.
func (r *replayer) start(t *testing.T, line string) {
	t.Helper()
	r.stop(t)
	line = r.rewrite(line)
	if !strings.Contains(line, " --addr ") {
		port := r.ports["9100"]
		if strings.HasPrefix(line, "s3cors serve ") {
			port = r.ports["9000"]
		}
		line += " --addr 127.0.0.1:" + port
	}
	r.server = startReadmeProcess(t, r.dir, r.env, line)
	// Its banner ends with that line, or the inspector's after it.
	r.shown = r.server.waitLine(t, regexp.MustCompile(`^s3cors: (proxying|serving) S3 on `)) + 1
	if strings.HasPrefix(line, "s3cors serve ") && !strings.Contains(line, " --no-inspector") {
		r.shown++
	}
}

// stop stops the s3cors server in the foreground, if any, and checks that
// it printed nothing the README does not show but the log lines of its
// requests: a line added to its banner after those shown would be missed
// otherwise.
func (r *replayer) stop(t *testing.T) {
	t.Helper()
	if r.server == nil {
		return
	}
	r.server.stop()
	for i, l := range strings.SplitAfter(r.server.logs(), "\n") {
		if i >= r.shown && l != "" && !strings.HasPrefix(l, "time=") {
			t.Errorf("the server printed %q, which the README does not show, after:\n%s", l, r.server.logs())
		}
	}
	r.server, r.shown = nil, 0
}

// replay runs the commands of blocks.
func (r *replayer) replay(t *testing.T, blocks [][]consoleCommand) {
	t.Helper()
	for _, block := range blocks {
		r.blocks++
		for _, c := range block {
			line, want := r.rewrite(c.line), r.rewrite(c.want)
			switch {
			case strings.HasSuffix(line, " &"):
				// In the background: started, and waited for on its port.
				// What it prints the README does not show.
				p := startReadmeProcess(t, r.dir, r.env, strings.TrimSuffix(line, " &"))
				waitPort(t, p, r.ports["7070"])
			case strings.HasPrefix(line, "s3cors proxy ") || strings.HasPrefix(line, "s3cors serve "):
				// In the foreground until stopped: its first lines are
				// compared.
				r.start(t, c.line)
				r.shown = strings.Count(want, "\n")
				if got := r.server.firstLines(t, strings.Count(want, "\n")); got != want {
					t.Errorf("README.md shows for\n$ %s\n%s\nbut it prints\n%s", c.line, want, got)
				}
			default:
				r.run(t, c.line, c.want)
				if strings.HasPrefix(line, "export ") {
					r.exports = append(r.exports, line)
				}
			}
		}
	}
}

// run runs line, the README's, in bash in the working directory, after
// the exports run so far, and checks that its output is want.
func (r *replayer) run(t *testing.T, readmeLine, want string) {
	t.Helper()
	line, want := r.rewrite(readmeLine), r.rewrite(want)
	// create-bucket runs with --debug, whose log on stderr
	// has the response's headers: those a newer CLI prints.
	debug := createBucket.MatchString(line)
	run := line
	if debug {
		run += " --debug"
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", strings.Join(append(r.exports, run), "\n"))
	cmd.Dir, cmd.Env = r.dir, r.env
	var out, debugLog bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if debug {
		cmd.Stderr = &debugLog
	}
	cmd.Run()
	cancel()
	got := out.String()
	if got != "" && !strings.HasSuffix(got, "\n") {
		got += "\n" // the next prompt starts a line of its own
	}
	if !readmeSame(line, want, got, debugLog.String()) {
		t.Errorf("README.md shows for\n$ %s\n%s\nbut it prints\n%s", readmeLine, want, got)
	}
}

// logged checks that the log lines text shows, indented, are among those
// the s3cors server in the foreground printed, waiting up to 10 s for
// them to be read from its output.
func (r *replayer) logged(t *testing.T, text string) {
	t.Helper()
	lines := regexp.MustCompile(`(?m)^    (time=.*)$`).FindAllStringSubmatch(text, -1)
	if len(lines) == 0 {
		t.Errorf("no log lines in\n%s", text)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, l := range lines {
		want := readmeLogFields(l[1])
		for !strings.Contains(readmeLogFields(r.server.logs()), want) {
			if time.Now().After(deadline) {
				t.Errorf("the server did not log\n%s\nit logged\n%s", want, readmeLogFields(r.server.logs()))
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// readmeSubsection returns the text under README.md's heading, such as
// "### Worked example", up to the next heading.
func readmeSubsection(t *testing.T, readme, heading string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		t.Fatalf(`README.md has no heading %q`, heading)
	}
	section, _, _ = strings.Cut(section, "\n#")
	return section
}

// consoleCommand is a "$ " command of a console block and the output
// shown under it.
type consoleCommand struct {
	line string // without "$ ", a line ending in \ joined with the next
	want string // each line ending in a newline
}

// consoleBlocks returns the commands of each ```console block of text.
func consoleBlocks(text string) [][]consoleCommand {
	var blocks [][]consoleCommand
	for _, chunk := range strings.Split(text, "```console\n")[1:] {
		body, _, _ := strings.Cut(chunk, "```")
		var block []consoleCommand
		continued := false
		for line := range strings.Lines(body) {
			switch {
			case continued:
				block[len(block)-1].line += "\n" + strings.TrimSuffix(line, "\n")
			case strings.HasPrefix(line, "$ "):
				block = append(block, consoleCommand{line: strings.TrimSuffix(line[2:], "\n")})
			case len(block) > 0:
				block[len(block)-1].want += line
			}
			continued = len(block) > 0 && strings.HasSuffix(line, "\\\n") && (continued || strings.HasPrefix(line, "$ "))
		}
		blocks = append(blocks, block)
	}
	return blocks
}

// readmeNormalize replaces what README.md says differs from run to run:
// S3's request IDs and host IDs, in headers and error documents, and the
// dates. A line is what a terminal shows of it: curl's CRLF ends a line,
// and after a carriage return the text written over the line (the AWS
// CLI's progress, "Completed 23 Bytes/23 Bytes ...", overwritten by
// "upload: ..." and spaces) is what remains.
func readmeNormalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = regexp.MustCompile(`(?m)^.*\r`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`(?m) +$`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`(?mi)^(x-amz-id-2|x-amz-request-id|Date): .*$`).ReplaceAllString(s, "$1: …")
	return regexp.MustCompile(`<(RequestId|HostId)>[^<]*</`).ReplaceAllString(s, "<$1>…</")
}

// createBucket matches the AWS CLI's create-bucket; its group is the
// bucket.
var createBucket = regexp.MustCompile(` s3api create-bucket --bucket (\S+)$`)

// readmeSame reports whether got, the output of line, is want, the
// README's, after readmeNormalize. For create-bucket an output without
// the line "BucketArn": "arn:aws:s3:::BUCKET" of the bucket created is
// also accepted, as the README says an AWS CLI older than CreateBucket's
// BucketArn (Debian's 2.9) prints Location alone, but only when the
// CLI's debug log, debug, shows the x-amz-bucket-arn header a newer CLI
// prints as BucketArn.
func readmeSame(line, want, got, debug string) bool {
	want, got = readmeNormalize(want), readmeNormalize(got)
	if got == want {
		return true
	}
	bucket := createBucket.FindStringSubmatch(line)
	if bucket == nil || !strings.Contains(strings.ToLower(debug), "'x-amz-bucket-arn': 'arn:aws:s3:::"+bucket[1]+"'") {
		return false
	}
	arn := "\",\n    \"BucketArn\": \"arn:aws:s3:::" + bucket[1] + "\"\n"
	return strings.Contains(want, arn) && got == strings.Replace(want, arn, "\"\n", 1)
}

// readmeLogFields returns the log lines in s without what README.md says
// differs from run to run: times, durations and request IDs.
func readmeLogFields(s string) string {
	return regexp.MustCompile(`(time|duration|request_id)=\S+`).ReplaceAllString(s, "$1=…")
}

// freePort returns a loopback port the system picked and freed.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// readmeProcess is a long-running command of the README's, started by
// bash in its working directory.
type readmeProcess struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	lines  []string
	more   chan struct{} // a token each time a line is read
	exited chan struct{}
}

// startReadmeProcess starts line with bash (exec'd, so stopping it stops
// the program) in dir with env; it is stopped when the test ends.
func startReadmeProcess(t *testing.T, dir string, env []string, line string) *readmeProcess {
	t.Helper()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", "exec "+line)
	cmd.Dir, cmd.Env = dir, env
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &readmeProcess{cmd: cmd, more: make(chan struct{}, 1), exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		pw.Close()
	}()
	go func() {
		defer close(p.exited)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text()+"\n")
			p.mu.Unlock()
			select {
			case p.more <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(p.stop)
	return p
}

// stop ends the process and waits until its output is read.
func (p *readmeProcess) stop() {
	p.cmd.Process.Kill()
	<-p.exited
}

// logs returns what the process printed so far.
func (p *readmeProcess) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "")
}

// firstLines waits, up to 30 s, for the process's first n lines and
// returns them, or as many as it printed.
func (p *readmeProcess) firstLines(t *testing.T, n int) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		p.mu.Lock()
		have := len(p.lines)
		p.mu.Unlock()
		if have >= n {
			break
		}
		select {
		case <-p.more:
		case <-p.exited:
			return p.logs()
		case <-deadline:
			return p.logs()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines[:n], "")
}

// waitLine waits, up to 30 s, until the process printed a line matching
// re, and returns its index.
func (p *readmeProcess) waitLine(t *testing.T, re *regexp.Regexp) int {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		p.mu.Lock()
		i := slices.IndexFunc(p.lines, re.MatchString)
		p.mu.Unlock()
		if i >= 0 {
			return i
		}
		select {
		case <-p.more:
		case <-p.exited:
			t.Fatalf("exited before it printed a line matching %s:\n%s", re, p.logs())
		case <-deadline:
			t.Fatalf("printed no line matching %s within 30 s:\n%s", re, p.logs())
		}
	}
}

// waitPort waits, up to 30 s, until 127.0.0.1:port takes connections.
func waitPort(t *testing.T, p *readmeProcess, port string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			c.Close()
			return
		}
		select {
		case <-p.exited:
			t.Fatalf("exited before it listened on %s:\n%s", port, p.logs())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("does not listen on %s within 30 s:\n%s", port, p.logs())
}

// TestReadmeSame checks what TestREADMEProxy takes for the same output:
// only what README.md says differs from run to run, and what a terminal
// shows alike.
func TestReadmeSame(t *testing.T) {
	t.Parallel()
	const create = "aws --endpoint-url http://127.0.0.1:9100 s3api create-bucket --bucket photos"
	const withArn = "{\n    \"Location\": \"/photos\",\n    \"BucketArn\": \"arn:aws:s3:::photos\"\n}\n"
	const curl = "curl -si http://127.0.0.1:9100/photos/cat.jpg"
	// As Debian's AWS CLI 2.9 logs the response's headers with --debug.
	const arnSent = "2026-12-06 07:50:01,123 - MainThread - botocore.parsers - DEBUG - Response headers: {'Date': 'Sun, 06 Dec 2026 07:50:01 GMT', 'Location': '/photos', 'X-Amz-Bucket-Arn': 'arn:aws:s3:::photos'}\n"
	const answer = "HTTP/1.1 403 Forbidden\nDate: Tue, 01 Dec 2026 18:59:50 GMT\nx-amz-request-id: AIDWQ39MJIWT0XGA\n\n<Error><RequestId>AIDWQ39MJIWT0XGA</RequestId><HostId>29g+</HostId></Error>\n"
	for _, tc := range []struct {
		name, line, want, got string
		debug                 string // the CLI's --debug log
		same                  bool
	}{
		{"equal", curl, answer, answer, "", true},
		{"request IDs, host IDs and dates", curl, answer,
			"HTTP/1.1 403 Forbidden\r\nDate: Sun, 06 Dec 2026 07:35:51 GMT\r\nx-amz-request-id: 7Q1CM0V6GX2N2Y3D\r\n\r\n<Error><RequestId>7Q1CM0V6GX2N2Y3D</RequestId><HostId>x/y=</HostId></Error>\n", "", true},
		{"another status", curl, answer, strings.Replace(answer, "403 Forbidden", "404 Not Found", 1), "", false},
		{"another header", curl, answer, strings.Replace(answer, "\n\n", "\nServer: x\n\n", 1), "", false},
		{"an error code", curl, answer, strings.Replace(answer, "<Error>", "<Error><Code>NoSuchKey</Code>", 1), "", false},
		{"progress overwritten", "aws s3 cp cat.jpg s3://photos/cat.jpg", "upload: ./cat.jpg to s3://photos/cat.jpg\n",
			"Completed 23 Bytes/23 Bytes (1.6 KiB/s) with 1 file(s) remaining\rupload: ./cat.jpg to s3://photos/cat.jpg            \n", "", true},
		{"progress left", "aws s3 cp cat.jpg s3://photos/cat.jpg", "upload: ./cat.jpg to s3://photos/cat.jpg\n",
			"Completed 23 Bytes/23 Bytes (1.6 KiB/s) with 1 file(s) remaining\n", "", false},
		{"BucketArn", create, withArn, withArn, "", true},
		{"no BucketArn, as Debian's 2.9, the header sent", create, withArn, "{\n    \"Location\": \"/photos\"\n}\n", arnSent, true},
		{"no BucketArn, no header sent", create, withArn, "{\n    \"Location\": \"/photos\"\n}\n", "", false},
		{"no BucketArn, another bucket's header sent", create, withArn, "{\n    \"Location\": \"/photos\"\n}\n", strings.ReplaceAll(arnSent, "photos", "videos"), false},
		{"no BucketArn nor Location", create, withArn, "{\n}\n", "", false},
		{"another bucket's BucketArn left out", strings.Replace(create, "photos", "videos", 1), withArn, "{\n    \"Location\": \"/photos\"\n}\n", strings.ReplaceAll(arnSent, "photos", "videos"), false},
		{"no BucketArn, another command", "aws s3api head-bucket --bucket photos", withArn, "{\n    \"Location\": \"/photos\"\n}\n", arnSent, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := readmeSame(tc.line, tc.want, tc.got, tc.debug); got != tc.same {
				t.Errorf("readmeSame(%q, %q, %q, %q) = %v, want %v", tc.line, tc.want, tc.got, tc.debug, got, tc.same)
			}
		})
	}
}

// TestConsoleBlocks checks how TestREADMEProxy reads a console block:
// a command continued with \ on the next line, and the output under it.
func TestConsoleBlocks(t *testing.T) {
	t.Parallel()
	text := "prose\n\n```console\n$ curl -si http://x/ \\\n    -H 'A: b'\nHTTP/1.1 200 OK\n\n$ true\n$ echo a \\\nb\na b\n```\n\n```sh\nnot console\n```\n```console\n$ ls\nx\\\ny\n```\n"
	want := [][]consoleCommand{
		{{"curl -si http://x/ \\\n    -H 'A: b'", "HTTP/1.1 200 OK\n\n"}, {"true", ""}, {"echo a \\\nb", "a b\n"}},
		{{"ls", "x\\\ny\n"}},
	}
	if got := consoleBlocks(text); !cmp.Equal(got, want, cmp.AllowUnexported(consoleCommand{})) {
		t.Errorf("consoleBlocks:\n%s", cmp.Diff(want, got, cmp.AllowUnexported(consoleCommand{})))
	}
}
