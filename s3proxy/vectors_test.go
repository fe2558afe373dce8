package s3proxy_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// The vectors are replayed against the proxy as against s3server
// (vectortest.Endpoint): the proxy answers the preflights and the CORS
// operations, and passes the rest to s3server, which checks signatures
// and ACLs, so every answer a vector states must come out of the pair
// as it comes out of S3.

func proxyVectorEndpoint(t *testing.T) *vectortest.Endpoint {
	up := s3servertest.New(t, s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey})
	front, _ := startProxy(t, s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey, UpstreamSecretKey: upstreamSecretKey,
		Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}})
	return &vectortest.Endpoint{URL: front.URL, HTTP: front.Client(), AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
}

func TestSuiteVectorsThroughProxy(t *testing.T) {
	t.Parallel()
	passed, skipped := vectortest.ReplaySuite(t, proxyVectorEndpoint(t))
	t.Logf("suite vectors through the proxy: %d of %d cases passed, %d skipped", passed, vectortest.SuiteCases, skipped)
}

func TestS3VectorsThroughProxy(t *testing.T) {
	t.Parallel()
	passed, steps, skipped := vectortest.ReplayS3Vectors(t, proxyVectorEndpoint(t))
	t.Logf("s3vectors through the proxy: %d of %d vectors passed (%d steps run, %d skipped)", passed, vectortest.S3Vectors, steps, skipped)
}

func TestPutValidationThroughProxy(t *testing.T) {
	t.Parallel()
	vectortest.ReplayPutValidation(t, proxyVectorEndpoint(t))
}
