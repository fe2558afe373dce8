package s3proxy_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestReadyIgnoresCallersContext checks that Ready tells of the upstream,
// not of one caller's context: a caller that gave up does not make the
// proxy unready for the others, and a caller waits no longer than its
// own context allows while another's probe hangs on the upstream.
func TestReadyIgnoresCallersContext(t *testing.T) {
	t.Parallel()
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		up, _ := startGofakes3(t)
		_, p := startProxy(t, s3proxy.Options{Upstream: up.URL})
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		p.Ready(gone) // a probe that left at once
		if err := p.Ready(context.Background()); err != nil {
			t.Errorf("Ready after a cancelled caller, with the upstream up: %v", err)
		}
	})
	t.Run("hung", func(t *testing.T) {
		t.Parallel()
		tr := startTroubled(t)
		tr.set(hang)
		_, p := startProxy(t, s3proxy.Options{Upstream: tr.URL, UpstreamTimeout: 20 * time.Second})
		first := make(chan error, 1)
		go func() { first <- p.Ready(context.Background()) }()
		waitFor(t, func() bool { return tr.count.total.Load() > 0 }, "the first probe to reach the upstream")
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := p.Ready(ctx)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Ready with a 100 ms context took %v", took)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Ready with a 100 ms context and a hung upstream = %v, want its deadline", err)
		}
		tr.set(healthy)
		tr.CloseClientConnections() // ends the hung probe at once
		<-first
	})
}

// TestReadyReadsConfigBucket checks that Ready tells whether the proxy
// can read its configurations with its upstream keys, in front of serve,
// which checks signatures: a store that refuses them answers every
// look-up 403, so that every request that needs a configuration gets
// 503, and a load balancer must not send it any. A config bucket not yet
// made is ready: Ready makes it, as the first PutBucketCors would.
func TestReadyReadsConfigBucket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		access, secret string
		configBucket   bool // made before
		want           string
	}{
		{"config bucket", upstreamAccessKey, upstreamSecretKey, true, ""},
		{"no config bucket yet", upstreamAccessKey, upstreamSecretKey, false, ""},
		{"wrong secret", upstreamAccessKey, "a-wrong-secret", true, "403 SignatureDoesNotMatch"},
		{"wrong secret, no config bucket", upstreamAccessKey, "a-wrong-secret", false, "403 SignatureDoesNotMatch"},
		{"unknown access key", "AKIDNOBODY", upstreamSecretKey, true, "403 InvalidAccessKeyId"},
		{"anonymous", "", "", true, "403 AccessDenied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up, store := s3servertest.NewServer(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
			if tc.configBucket {
				mustOK(t, store.CreateBucket(s3proxy.DefaultConfigBucket, ""))
			}
			_, p := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: tc.access, UpstreamSecretKey: tc.secret})
			err := p.Ready(context.Background())
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Ready = %v, want ready", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Ready = %v, want not ready for %s", err, tc.want)
			}
		})
	}
}

// TestReadyLogsWhy checks that the reason the proxy is not ready is
// logged once, when it starts, however often a load balancer asks, and
// that the end of it is logged too.
func TestReadyLogsWhy(t *testing.T) {
	t.Parallel()
	tr := startTroubled(t)
	log := &logBuffer{}
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	tick := func() { // past the second an answer of Ready is reused for
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
	}
	_, p := startProxy(t, s3proxy.Options{Upstream: tr.URL, Now: clock, Logger: slog.New(slog.NewTextHandler(log, nil))})
	notReady := func() []string {
		t.Helper()
		log.mu.Lock()
		defer log.mu.Unlock()
		var lines []string
		for line := range strings.Lines(log.buf.String()) {
			if strings.Contains(line, "not ready") || strings.Contains(line, "ready again") {
				lines = append(lines, line)
			}
		}
		log.buf.Reset()
		return lines
	}
	if err := p.Ready(context.Background()); err != nil {
		t.Fatalf("Ready with the upstream up: %v", err)
	}
	tr.set(failing)
	for range 3 {
		tick()
		if err := p.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "503 SlowDown") {
			t.Errorf("Ready with the upstream failing = %v, want its 503 SlowDown", err)
		}
	}
	if lines := notReady(); len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "503 SlowDown") {
		t.Errorf("logged while the upstream fails, three probes:\n%s\nwant one warning with its answer", strings.Join(lines, ""))
	}
	tr.set(healthy)
	for range 2 {
		tick()
		if err := p.Ready(context.Background()); err != nil {
			t.Errorf("Ready with the upstream back: %v", err)
		}
	}
	if lines := notReady(); len(lines) != 1 || !strings.Contains(lines[0], "level=INFO") {
		t.Errorf("logged once the upstream is back:\n%s\nwant one line that says so", strings.Join(lines, ""))
	}
}

// TestReadyConfigBucketNotCreatable puts the proxy in front of
// versitygw, with no config bucket yet, signing with the keys of a user
// who may not create buckets (role user), and of one who may (role
// admin). With the first, PutBucketCors cannot store anything: the
// proxy is not ready, and says that the config bucket is missing and
// why it could not be made; a PutBucketCors gets S3's 503
// ServiceUnavailable, which SDKs retry, not an answer that blames the
// client. With the second, Ready makes the config bucket, and is ready.
func TestReadyConfigBucketNotCreatable(t *testing.T) {
	t.Parallel()
	vgw := startVersitygwIAM(t)
	root := sdkClient(vgw.url, upstreamAccessKey, upstreamSecretKey)
	for _, tc := range []struct {
		name               string
		upAccess, upSecret string
		configBucket       string
		wantReady          string // "" for ready
	}{
		{"user", tenantAAccess, tenantASecret, "cfg-user",
			"s3proxy: Ready: there is no config bucket cfg-user, and creating it failed: CreateConfigBucket: the upstream answered 403 AccessDenied"},
		{"admin", proxyAdminAccess, proxyAdminSecret, "cfg-admin", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			log := &logBuffer{}
			front, p := startProxy(t, s3proxy.Options{Upstream: vgw.url, UpstreamAccessKey: tc.upAccess, UpstreamSecretKey: tc.upSecret,
				Keys: map[string]string{tenantAAccess: tenantASecret}, ConfigBucket: tc.configBucket,
				Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
			err := p.Ready(context.Background())
			gotReady := ""
			if err != nil {
				gotReady = err.Error()
			}
			if gotReady != tc.wantReady {
				t.Errorf("Ready = %q, want %q", gotReady, tc.wantReady)
			}
			_, headErr := root.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String(tc.configBucket)})
			if made := headErr == nil; made != (tc.wantReady == "") {
				t.Errorf("after Ready, the config bucket exists: %v (%v)", made, headErr)
			}
			err = sdkErr(sdkClient(front.URL, tenantAAccess, tenantASecret).PutBucketCors(context.Background(), &s3.PutBucketCorsInput{
				Bucket: aws.String("tenant-a"), CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}))
			if tc.wantReady == "" {
				mustOK(t, err)
				return
			}
			wantAPIError(t, err, "ServiceUnavailable")
			log.mu.Lock()
			defer log.mu.Unlock()
			for _, want := range []string{
				`msg="not ready: the config bucket cannot be created: every PutBucketCors would get 503" bucket=cfg-user err="` + tc.wantReady + `"`,
				`err="s3proxy: CreateConfigBucket: the upstream answered 403 AccessDenied"`,
			} {
				if !strings.Contains(log.buf.String(), want) {
					t.Errorf("the log lacks %s:\n%s", want, log.buf.String())
				}
			}
		})
	}
}
