package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/testroot"
)

// TestREADMEProxy replays README.md's "### Worked example" of the proxy,
// block by block as the README writes it, with the real programs:
// versitygw v1.8.0 (posix backend in a temporary directory), the s3cors
// binary built from this package, Debian's AWS CLI (/usr/bin/aws) and
// curl, in a working directory holding keys.txt, cors.json and cat.jpg;
// then, with the same store and bucket, the proxy command and the
// curl | jq block of "### CORS inspector of the proxy". Each "$ "
// command runs in bash, and its output (stdout and stderr as a terminal
// shows them) must be the README's, after normalizing only what the
// README says differs from run to run; readmeNormalize lists it. The
// ports 7070, 9100 and 9101 are free ones picked here, in the commands
// and the output alike, and /srv/s3 a temporary directory. A missing
// versitygw, aws, curl or jq skips, unless S3CORS_REQUIRE_VERSITYGW,
// S3CORS_REQUIRE_AWSCLI, S3CORS_REQUIRE_CURL or S3CORS_REQUIRE_JQ is 1
// (.ci/run sets them).
func TestREADMEProxy(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	replayProxyExample(t, string(readme))
}

// replayProxyExample is TestREADMEProxy on the README text readme.
func replayProxyExample(t *testing.T, readme string) {
	t.Helper()
	aws := testroot.RequireTool(t, "/usr/bin/aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	curl := testroot.RequireTool(t, "curl", "S3CORS_REQUIRE_CURL", "--version")
	jq := testroot.RequireTool(t, "jq", "S3CORS_REQUIRE_JQ", "--version")
	versitygw := testroot.Versitygw(t)

	worked := readmeSubsection(t, readme, "Worked example")
	inspector := readmeSubsection(t, readme, "CORS inspector of the proxy")

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

	// The working directory: the files the text describes.
	dir := t.TempDir()
	pair := regexp.MustCompile("`keys.txt` holds the pair[^`]*`([^`]+)`").FindStringSubmatch(worked)
	if pair == nil {
		t.Fatal("the Worked example does not give keys.txt's pair in backquotes")
	}
	rule := "`cors.json`\nis the AWS CLI's form of one rule for `https://app.example.com` (GET and\nPUT, header `content-type`, `ETag` exposed, max age 3000)"
	if !strings.Contains(worked, rule) {
		t.Fatalf("the Worked example no longer describes cors.json as\n%s\nwhich this test writes", rule)
	}
	for name, content := range map[string]string{
		"keys.txt":  pair[1] + "\n",
		"cors.json": `{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["content-type"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]}` + "\n",
		"cat.jpg":   "\xff\xd8\xff\xe0 not much of a cat\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ports := map[string]string{}
	for _, p := range []string{"7070", "9100", "9101"} {
		ports[p] = freePort(t)
	}
	store := t.TempDir()
	rewrite := func(s string) string {
		for from, to := range ports {
			s = strings.ReplaceAll(s, "127.0.0.1:"+from, "127.0.0.1:"+to)
		}
		return strings.ReplaceAll(s, "/srv/s3", store)
	}

	var exports []string // the export commands run so far, for those after them
	var proxy *readmeProcess
	blocks := 0
	replay := func(t *testing.T, section string) {
		t.Helper()
		for _, block := range consoleBlocks(section) {
			blocks++
			for _, c := range block {
				line, want := rewrite(c.line), rewrite(c.want)
				switch {
				case strings.HasSuffix(line, " &"):
					// In the background: started, and waited for on its port.
					// What it prints the README does not show.
					p := startReadmeProcess(t, dir, env, strings.TrimSuffix(line, " &"))
					waitPort(t, p, ports["7070"])
				case strings.HasPrefix(line, "s3cors proxy "):
					// In the foreground until stopped: its first lines are
					// compared. It is given the free port in place of its
					// default 127.0.0.1:9100.
					if proxy != nil {
						proxy.stop()
					}
					proxy = startReadmeProcess(t, dir, env, line+" --addr 127.0.0.1:"+ports["9100"])
					if got := proxy.firstLines(t, strings.Count(want, "\n")); got != want {
						t.Errorf("README.md shows for\n$ %s\n%s\nbut it prints\n%s", c.line, want, got)
					}
				default:
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", strings.Join(append(exports, line), "\n"))
					cmd.Dir, cmd.Env = dir, env
					out, _ := cmd.CombinedOutput()
					cancel()
					got := string(out)
					if got != "" && !strings.HasSuffix(got, "\n") {
						got += "\n" // the next prompt starts a line of its own
					}
					if !readmeSame(c.line, want, got) {
						t.Errorf("README.md shows for\n$ %s\n%s\nbut it prints\n%s", c.line, want, got)
					}
					if strings.HasPrefix(line, "export ") {
						exports = append(exports, line)
					}
				}
			}
		}
	}
	replay(t, worked)
	// The log lines the Worked example shows are among the proxy's.
	logged := readmeLogFields(proxy.logs())
	for _, l := range regexp.MustCompile(`(?m)^    (time=.*)$`).FindAllStringSubmatch(worked, -1) {
		if want := readmeLogFields(l[1]); !strings.Contains(logged, want) {
			t.Errorf("the proxy did not log\n%s\nit logged\n%s", want, logged)
		}
	}
	replay(t, inspector)
	if blocks != 6 {
		t.Errorf("%d console blocks replayed, want 6: 4 in the Worked example, 2 in the CORS inspector of the proxy", blocks)
	}
}

// readmeSubsection returns the text of README.md's "### name" subsection.
func readmeSubsection(t *testing.T, readme, name string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n### "+name+"\n")
	if !ok {
		t.Fatalf(`README.md has no "### %s" section`, name)
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

// readmeSame reports whether got, the output of line, is want, the
// README's, after readmeNormalize. For create-bucket an output without
// the line "BucketArn": "arn:aws:s3:::BUCKET" of the bucket created is
// also accepted: the README says an AWS CLI older than CreateBucket's
// BucketArn, such as Debian's 2.9, prints Location alone.
func readmeSame(line, want, got string) bool {
	want, got = readmeNormalize(want), readmeNormalize(got)
	if got == want {
		return true
	}
	bucket := regexp.MustCompile(` s3api create-bucket --bucket (\S+)$`).FindStringSubmatch(line)
	if bucket == nil {
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
	const answer = "HTTP/1.1 403 Forbidden\nDate: Tue, 01 Dec 2026 18:59:50 GMT\nx-amz-request-id: AIDWQ39MJIWT0XGA\n\n<Error><RequestId>AIDWQ39MJIWT0XGA</RequestId><HostId>29g+</HostId></Error>\n"
	for _, tc := range []struct {
		name, line, want, got string
		same                  bool
	}{
		{"equal", curl, answer, answer, true},
		{"request IDs, host IDs and dates", curl, answer,
			"HTTP/1.1 403 Forbidden\r\nDate: Sun, 06 Dec 2026 07:35:51 GMT\r\nx-amz-request-id: 7Q1CM0V6GX2N2Y3D\r\n\r\n<Error><RequestId>7Q1CM0V6GX2N2Y3D</RequestId><HostId>x/y=</HostId></Error>\n", true},
		{"another status", curl, answer, strings.Replace(answer, "403 Forbidden", "404 Not Found", 1), false},
		{"another header", curl, answer, strings.Replace(answer, "\n\n", "\nServer: x\n\n", 1), false},
		{"an error code", curl, answer, strings.Replace(answer, "<Error>", "<Error><Code>NoSuchKey</Code>", 1), false},
		{"progress overwritten", "aws s3 cp cat.jpg s3://photos/cat.jpg", "upload: ./cat.jpg to s3://photos/cat.jpg\n",
			"Completed 23 Bytes/23 Bytes (1.6 KiB/s) with 1 file(s) remaining\rupload: ./cat.jpg to s3://photos/cat.jpg            \n", true},
		{"progress left", "aws s3 cp cat.jpg s3://photos/cat.jpg", "upload: ./cat.jpg to s3://photos/cat.jpg\n",
			"Completed 23 Bytes/23 Bytes (1.6 KiB/s) with 1 file(s) remaining\n", false},
		{"BucketArn", create, withArn, withArn, true},
		{"no BucketArn, as Debian's 2.9", create, withArn, "{\n    \"Location\": \"/photos\"\n}\n", true},
		{"no BucketArn nor Location", create, withArn, "{\n}\n", false},
		{"another bucket's BucketArn left out", strings.Replace(create, "photos", "videos", 1), withArn, "{\n    \"Location\": \"/photos\"\n}\n", false},
		{"no BucketArn, another command", "aws s3api head-bucket --bucket photos", withArn, "{\n    \"Location\": \"/photos\"\n}\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := readmeSame(tc.line, tc.want, tc.got); got != tc.same {
				t.Errorf("readmeSame(%q, %q, %q) = %v, want %v", tc.line, tc.want, tc.got, got, tc.same)
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
