package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/xmlconfig"
)

// TestREADMEFontsAWSCommands runs the AWS CLI commands of README.md's
// "My fonts from S3 are blocked", each as the section writes it with an
// --endpoint-url added: put-bucket-cors against the endpoint serve runs,
// which must then hold testdata/cli/fonts.json's rules, and
// create-cache-policy against a server that keeps what the CLI sent,
// which must be a cache policy with Origin in its cache key (the section
// says the file is checked against the AWS CLI's schema: the CLI sends
// nothing for a file its schema refuses). A missing CLI skips, unless
// S3CORS_REQUIRE_AWSCLI=1.
func TestREADMEFontsAWSCommands(t *testing.T) {
	t.Parallel()
	aws := testroot.RequireTool(t, "aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := readmeSection(t, readme, "My fonts from S3 are blocked")
	commands := map[string]string{} // the service, s3api or cloudfront: its command line
	for _, chunk := range strings.Split(section, "```sh\n")[1:] {
		block, _, _ := strings.Cut(chunk, "```")
		for line := range strings.Lines(block) {
			if fields := strings.Fields(line); len(fields) > 1 && fields[0] == "aws" {
				commands[fields[1]] = line
			}
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	run := func(t *testing.T, line, endpoint string) (string, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		args := append(strings.Fields(line)[1:], "--endpoint-url", endpoint)
		cmd := exec.CommandContext(ctx, aws, args...)
		cmd.Dir = root // the section's file:// paths are the repository's
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
			"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1",
			"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials")}
		for _, name := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
			if v, ok := os.LookupEnv(name); ok {
				cmd.Env = append(cmd.Env, name+"="+v)
			}
		}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, tc := range []struct {
		service string
		check   func(t *testing.T, line string)
	}{
		{"s3api", func(t *testing.T, line string) {
			srv, err := s3server.New(s3server.Options{InMemory: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			if err := srv.CreateBucket("my-assets", "private"); err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			if out, err := run(t, line, ts.URL); err != nil || out != "" {
				t.Fatalf("%s: %v, output %q; want success and no output", line, err, out)
			}
			b, err := os.ReadFile("../../testdata/cli/fonts.json")
			if err != nil {
				t.Fatal(err)
			}
			want, err := xmlconfig.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := srv.BucketCors("my-assets")
			if err != nil || cfg == nil {
				t.Fatalf("after %s the bucket has configuration %v, error %v", line, cfg, err)
			}
			if diff := cmp.Diff(want.Rules, cfg.Rules()); diff != "" {
				t.Errorf("the bucket's rules after %s (-fonts.json +got):\n%s", line, diff)
			}
		}},
		{"cloudfront", func(t *testing.T, line string) {
			var mu sync.Mutex
			var bodies []string
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, r.Method+" "+r.URL.Path+"\n"+string(b))
				mu.Unlock()
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidArgument</Code><Message>test endpoint</Message></Error></ErrorResponse>`)
			}))
			t.Cleanup(ts.Close)
			out, err := run(t, line, ts.URL)
			mu.Lock()
			defer mu.Unlock()
			if len(bodies) != 1 {
				t.Fatalf("%s sent %d requests, want 1 (the CLI sends none for a file its schema refuses); output:\n%s", line, len(bodies), out)
			}
			if err == nil || !strings.Contains(out, "test endpoint") {
				t.Errorf("%s: %v, output %q; want the endpoint's refusal", line, err, out)
			}
			for _, want := range []string{
				"POST /2020-05-31/cache-policy\n",
				"<HeadersConfig><HeaderBehavior>whitelist</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>Origin</Name></Items></Headers></HeadersConfig>",
			} {
				if !strings.Contains(bodies[0], want) {
					t.Errorf("%s sent\n%s\nwithout %q", line, bodies[0], want)
				}
			}
		}},
	} {
		t.Run(tc.service, func(t *testing.T) {
			t.Parallel()
			line, ok := commands[tc.service]
			if !ok {
				t.Fatalf("the section shows no aws %s command; it shows %q", tc.service, commands)
			}
			tc.check(t, line)
		})
	}
	if len(commands) != 2 {
		t.Errorf("the section shows %d aws commands, %q; this test runs 2", len(commands), commands)
	}
}
