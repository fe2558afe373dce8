// Package s3servertest starts an s3server endpoint for Go tests and
// points an aws-sdk-go-v2 S3 client at it.
//
//	srv := s3servertest.New(t, s3server.Options{})
//	client := s3servertest.Client(srv, "", "")
//	client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})
//
// srv.URL is the endpoint (http://127.0.0.1:PORT) for anything else that
// speaks HTTP: a browser page, the AWS CLI, plain net/http.
package s3servertest

import (
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3cors/s3cors/s3server"
)

// New starts a Server with opts on a loopback [httptest.Server] and returns
// it. The server keeps its state in memory unless opts.DataDir is set;
// both are shut down when the test ends. New fails the test if the server
// cannot start.
func New(t testing.TB, opts s3server.Options) *httptest.Server {
	t.Helper()
	srv, _ := NewServer(t, opts)
	return srv
}

// NewServer is [New] that also returns the [s3server.Server], for tests that
// set buckets up without a client (see [s3server.Server.CreateBucket]).
func NewServer(t testing.TB, opts s3server.Options) (*httptest.Server, *s3server.Server) {
	t.Helper()
	if opts.DataDir == "" {
		opts.InMemory = true
	}
	s, err := s3server.New(opts)
	if err != nil {
		t.Fatalf("s3servertest: %v", err)
	}
	srv := httptest.NewServer(s)
	if opts.Region != "" {
		regions.Store(srv, opts.Region)
	}
	t.Cleanup(func() {
		regions.Delete(srv)
		s.CloseInspector() // its live streams would hold srv.Close
		srv.Close()
		if err := s.Close(); err != nil {
			t.Errorf("s3servertest: closing the server: %v", err)
		}
	})
	return srv, s
}

// regions holds the Options.Region of the servers New started, so that
// Client signs for it: the server refuses a signature scoped to another.
var regions sync.Map // *httptest.Server to string

// Client returns an S3 client for srv: path-style requests to srv.URL in
// the server's Options.Region when New started it (us-east-1 otherwise),
// signed with accessKey and secretKey, or anonymous when both are empty,
// without retries so that tests see every failure at once.
func Client(srv *httptest.Server, accessKey, secretKey string) *s3.Client {
	var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
	if accessKey != "" || secretKey != "" {
		creds = credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")
	}
	region := "us-east-1"
	if r, ok := regions.Load(srv); ok {
		region = r.(string)
	}
	return s3.New(s3.Options{
		BaseEndpoint:     aws.String(srv.URL),
		UsePathStyle:     true,
		Region:           region,
		Credentials:      creds,
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	})
}
