package s3server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestSessionTokenIgnored pins a deliberate deviation: a server with keys
// takes a request signed with its keys whatever x-amz-security-token it
// carries, in a header or in a presigned URL, where S3 refuses long-term
// keys with a token it did not issue (InvalidToken). Browser apps sign
// with temporary STS or Cognito credentials, which always carry a token;
// given the server's keys with any token, they work unchanged. The token
// is no way around the signature: a wrong secret is still refused.
func TestSessionTokenIgnored(t *testing.T) {
	t.Parallel()
	srv, s := s3servertest.NewServer(t, s3server.Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	if err := s.CreateBucket("tokens", "private"); err != nil {
		t.Fatal(err)
	}
	var tokens []string // the x-amz-security-token of each request sent
	httpClient := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		tokens = append(tokens, r.Header.Get("X-Amz-Security-Token"))
		return srv.Client().Transport.RoundTrip(r)
	})}
	client := func(secret string) *s3.Client {
		return s3.New(s3.Options{
			BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: httpClient,
			Credentials: credentials.NewStaticCredentialsProvider(testAccessKey, secret, "FQoGZXIvYXdzEXAMPLETOKEN"),
		})
	}
	ctx := context.Background()
	c := client(testSecretKey)
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tokens"), Key: aws.String("t.txt"), Body: strings.NewReader("t")})
	if err != nil {
		t.Fatalf("PutObject with a session token: %v", err)
	}
	if len(tokens) != 1 || tokens[0] != "FQoGZXIvYXdzEXAMPLETOKEN" {
		t.Fatalf("the SDK sent x-amz-security-token %q, want the token", tokens)
	}
	get, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tokens"), Key: aws.String("t.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(get.URL, "X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN") {
		t.Fatalf("the presigned URL carries no token: %s", get.URL)
	}
	resp, err := srv.Client().Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "t" {
		t.Errorf("presigned GET with a session token: %s %s", resp.Status, b)
	}
	_, err = client("wrong secret").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tokens"), Key: aws.String("w.txt"), Body: strings.NewReader("w")})
	if code, status := apiError(t, err); code != "SignatureDoesNotMatch" || status != 403 {
		t.Errorf("PutObject with a session token and a wrong secret: %v", err)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
