package s3proxy_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

const rotatedAccessKey, rotatedSecretKey = "AKIDROTATED", "rotated-secret"

// TestSetCredentialsRotates rotates the keys of a proxy in front of
// gofakes3, which checks no signature: once SetCredentials returns, the
// pair removed gets S3's InvalidAccessKeyId from the proxy, the pair
// added administers CORS, and the proxy's own requests to the upstream
// are signed with the new upstream pair.
func TestSetCredentialsRotates(t *testing.T) {
	t.Parallel()
	up, count := startGofakes3(t)
	front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey, CheckUpstreamKeys: true})
	ctx := context.Background()
	old, rotated := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey), sdkClient(front.URL, rotatedAccessKey, rotatedSecretKey)
	mustOK(t, sdkErr(old.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})))
	put := func(c *s3.Client) error {
		return sdkErr(c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}))
	}
	mustOK(t, put(old))
	wantAPIError(t, put(rotated), "InvalidAccessKeyId")

	mustOK(t, p.SetCredentials(s3proxy.Credentials{Keys: map[string]string{rotatedAccessKey: rotatedSecretKey},
		UpstreamAccessKey: rotatedAccessKey, UpstreamSecretKey: rotatedSecretKey, CheckUpstreamKeys: true}))
	wantAPIError(t, put(old), "InvalidAccessKeyId")
	count.requests()
	before := len(count.headers("Authorization"))
	mustOK(t, put(rotated))
	if got, err := rotated.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("photos")}); err != nil || len(got.CORSRules) != 1 {
		t.Errorf("GetBucketCors with the pair added: %v, %v", got, err)
	}
	// Every request to the upstream since is signed with the new pairs:
	// the permission asked as the caller, and the proxy's own, the write
	// of the configuration among them.
	if seen := count.requests(); !slices.ContainsFunc(seen, func(s string) bool {
		return strings.HasPrefix(s, "PUT /"+s3proxy.DefaultConfigBucket+"/photos/cors.xml")
	}) {
		t.Errorf("no write of the configuration among %q", seen)
	}
	for i, a := range count.headers("Authorization")[before:] {
		if !strings.Contains(a, "Credential="+rotatedAccessKey+"/") {
			t.Errorf("request %d to the upstream after SetCredentials signed %q, want with %s", i, a, rotatedAccessKey)
		}
	}
}

// TestSetCredentialsInFlight: a PutBucketCors authenticated before
// SetCredentials removes its pair ends with that pair: its permission is
// asked of the upstream (serve, which checks signatures) signed with the
// secret it was checked against, not with none, and the write succeeds.
// The next request with the pair removed is refused.
func TestSetCredentialsInFlight(t *testing.T) {
	t.Parallel()
	c := &counter{next: s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}).Config.Handler}
	up := httptest.NewServer(c)
	t.Cleanup(up.Close)
	front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey, CheckUpstreamKeys: true})
	mustOK(t, sdkErr(sdkClient(up.URL, upstreamAccessKey, upstreamSecretKey).CreateBucket(context.Background(),
		&s3.CreateBucketInput{Bucket: aws.String("photos")})))
	c.requests()

	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	pr, pw := io.Pipe()
	r, err := http.NewRequest("PUT", front.URL+"/photos?cors", pr)
	mustOK(t, err)
	r.ContentLength = int64(len(doc))
	r.Header.Set("Content-MD5", contentMD5(doc))
	vectortest.SignRequestPayload(t, r, "UNSIGNED-PAYLOAD", upstreamAccessKey, upstreamSecretKey, time.Now())
	answered := make(chan response, 1)
	go func() { answered <- send(t, r) }()
	go pw.Write(doc[:10])
	// The proxy has checked the signature and asked whether the bucket
	// exists once the upstream saw the HeadBucket; it now waits for the
	// body.
	waitFor(t, func() bool {
		return slices.Contains(c.seenSoFar(), "HEAD /photos")
	}, "the proxy's HeadBucket of the PutBucketCors in flight")
	mustOK(t, p.SetCredentials(s3proxy.Credentials{Keys: map[string]string{rotatedAccessKey: rotatedSecretKey},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey, CheckUpstreamKeys: true}))
	pw.Write(doc[10:])
	pw.Close()
	if res := <-answered; res.StatusCode != 200 {
		t.Errorf("the PutBucketCors in flight across SetCredentials: %d %s, want 200", res.StatusCode, res.body)
	}
	again, err := http.NewRequest("PUT", front.URL+"/photos?cors", strings.NewReader(string(doc)))
	mustOK(t, err)
	again.Header.Set("Content-MD5", contentMD5(doc))
	vectortest.SignRequest(t, again, doc, upstreamAccessKey, upstreamSecretKey, time.Now())
	if res := send(t, again); res.StatusCode != 403 || !strings.Contains(string(res.body), "<Code>InvalidAccessKeyId</Code>") {
		t.Errorf("a PutBucketCors with the pair removed: %d %s, want 403 InvalidAccessKeyId", res.StatusCode, res.body)
	}
}

// TestSetCredentialsUpstreamPair: a proxy whose upstream secret is wrong
// is not ready; once SetCredentials gives the right one, it is, without a
// restart.
func TestSetCredentialsUpstreamPair(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	_, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Keys: map[string]string{upstreamAccessKey: "a-wrong-secret"},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: "a-wrong-secret"})
	if err := p.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("Ready with a wrong upstream secret: %v, want SignatureDoesNotMatch", err)
	}
	mustOK(t, p.SetCredentials(s3proxy.Credentials{Keys: map[string]string{upstreamAccessKey: upstreamSecretKey},
		UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey}))
	// Ready reuses its answer for a second.
	waitFor(t, func() bool { return p.Ready(context.Background()) == nil }, "Ready with the right upstream secret")
}

// TestSetCredentialsRefused gives SetCredentials what it must refuse,
// with an *OptionError naming the field, leaving the pairs in use.
func TestSetCredentialsRefused(t *testing.T) {
	t.Parallel()
	keys := map[string]string{upstreamAccessKey: upstreamSecretKey}
	for _, tc := range []struct {
		name   string
		keyed  bool // the proxy is made with keys
		creds  s3proxy.Credentials
		option string
	}{
		{"no keys for a proxy with keys", true, s3proxy.Credentials{}, "Keys"},
		{"keys for a proxy without", false, s3proxy.Credentials{Keys: keys}, "Keys"},
		{"upstream access key alone", true, s3proxy.Credentials{Keys: keys, UpstreamAccessKey: "AKID"}, "UpstreamAccessKey"},
		{"upstream secret key alone", true, s3proxy.Credentials{Keys: keys, UpstreamSecretKey: "secret"}, "UpstreamAccessKey"},
		{"empty secret", true, s3proxy.Credentials{Keys: map[string]string{"AKID": ""}}, "Keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			up, _ := startGofakes3(t)
			opts := s3proxy.Options{Upstream: up.URL}
			if tc.keyed {
				opts.Keys = keys
			}
			front, p := startProxy(t, opts)
			mustOK(t, sdkErr(sdkClient(up.URL, "", "").CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("photos")})))
			err := p.SetCredentials(tc.creds)
			oe, ok := errors.AsType[*s3proxy.OptionError](err)
			if !ok || oe.Option != tc.option {
				t.Fatalf("SetCredentials = %v, want an *OptionError for %s", err, tc.option)
			}
			// The pairs in use are unchanged: the pair of keys still
			// administers CORS (gofakes3 grants every pair), and an
			// unsigned request is refused with keys, answered without.
			put := func(c *s3.Client) error {
				return sdkErr(c.PutBucketCors(context.Background(), &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
					CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}))
			}
			mustOK(t, put(sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)))
			if err := put(sdkClient(front.URL, "", "")); tc.keyed {
				wantAPIError(t, err, "AccessDenied")
			} else if err != nil {
				t.Errorf("an unsigned PutBucketCors to a proxy without keys: %v", err)
			}
		})
	}
}

// seenSoFar returns the requests seen since the last call of requests,
// leaving them.
func (c *counter) seenSoFar() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.seen)
}

// TestSetCredentialsUnderLoad swaps the keys back and forth while
// clients signed with a pair both sets hold administer CORS in
// parallel: no request of theirs is refused, whatever swap it meets
// (under -race, SetCredentials against the requests it overlaps).
func TestSetCredentialsUnderLoad(t *testing.T) {
	t.Parallel()
	up, _ := startGofakes3(t)
	sets := []map[string]string{
		{upstreamAccessKey: upstreamSecretKey, otherAccessKey: otherSecretKey},
		{upstreamAccessKey: upstreamSecretKey, rotatedAccessKey: rotatedSecretKey},
	}
	front, p := startProxy(t, s3proxy.Options{Upstream: up.URL, Keys: sets[0], UpstreamAccessKey: upstreamAccessKey,
		UpstreamSecretKey: upstreamSecretKey, CheckUpstreamKeys: true})
	ctx := context.Background()
	client := sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey)
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})))
	const workers, each = 4, 25
	errs := make(chan error, workers*each)
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for range each {
				errs <- sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("photos"),
					CORSConfiguration: &types.CORSConfiguration{CORSRules: corsRules}}))
			}
		}()
	}
	swaps := 0
	for running := workers; running > 0; {
		select {
		case <-done:
			running--
		default:
			mustOK(t, p.SetCredentials(s3proxy.Credentials{Keys: sets[swaps%2], UpstreamAccessKey: upstreamAccessKey,
				UpstreamSecretKey: upstreamSecretKey, CheckUpstreamKeys: true}))
			swaps++
			time.Sleep(100 * time.Microsecond) // a swap between most requests, without spinning
		}
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a PutBucketCors with a pair both sets hold, across %d swaps: %v", swaps, err)
		}
	}
	t.Logf("%d PutBucketCors across %d swaps of the keys", workers*each, swaps)
}
