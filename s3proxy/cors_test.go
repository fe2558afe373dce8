package s3proxy_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestRefusedPreflightResourceType checks the ResourceType of S3's 403 to
// a preflight no rule admits, which the proxy must tell from the URL,
// path style or virtual-hosted: OBJECT when the URL names a key, BUCKET
// for the bucket's own URL (spec §3.1 step 6: LocalStack's AWS-validated
// "opt-wrong-origin" and "opt-get-headers" on key URLs, and
// "options_fails_partial_origin" on the bucket URL).
func TestRefusedPreflightResourceType(t *testing.T) {
	t.Parallel()
	up := s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey,
		Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}, Domains: []string{"localhost"}, AllowedHosts: []string{"127.0.0.1", "localhost"}})
	putRules(t, sdkClient(front.URL, upstreamAccessKey, upstreamSecretKey), "kinds")
	port := front.URL[strings.LastIndex(front.URL, ":"):]
	tests := []struct {
		host, path, resourceType string
	}{
		{"", "/kinds", "BUCKET"},
		{"", "/kinds/", "BUCKET"},
		{"", "/kinds/missing-key", "OBJECT"},
		{"", "/kinds/obj", "OBJECT"},
		{"kinds.localhost" + port, "/", "BUCKET"},
		{"kinds.localhost" + port, "/obj", "OBJECT"},
	}
	for _, tc := range tests {
		header := []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "GET"}
		if tc.host != "" {
			header = append(header, "Host", tc.host)
		}
		r := do(t, "OPTIONS", front.URL+tc.path, nil, header...)
		want := "<Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. " +
			"This is usually because the evalution of Origin, request method / Access-Control-Request-Method or " +
			"Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.</Message>" +
			"<Method>GET</Method><ResourceType>" + tc.resourceType + "</ResourceType>"
		if r.StatusCode != http.StatusForbidden || !strings.Contains(string(r.body), want) {
			t.Errorf("OPTIONS %s (Host %q): %d %s, want 403 with ResourceType %s", tc.path, tc.host, r.StatusCode, r.body, tc.resourceType)
		}
	}
}
