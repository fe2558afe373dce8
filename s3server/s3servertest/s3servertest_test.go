package s3servertest_test

import (
	"context"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

func TestNewAndClient(t *testing.T) {
	t.Parallel()
	srv := s3servertest.New(t, s3server.Options{})
	client := s3servertest.Client(srv, "", "")
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("helper")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("helper"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(srv.URL + "/helper/k")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "v" {
		t.Errorf("GET through net/http: %q", b)
	}
}

// TestNewServer sets a bucket up without a client, as a browser test
// does before it loads its page.
func TestNewServer(t *testing.T) {
	t.Parallel()
	srv, s := s3servertest.NewServer(t, s3server.Options{DataDir: t.TempDir()})
	if err := s.CreateBucket("page", "public-read"); err != nil {
		t.Fatal(err)
	}
	rules := []corsrule.Rule{{AllowedOrigins: []string{"http://127.0.0.1:*"}, AllowedMethods: []string{"GET"}}}
	if err := s.PutBucketCors("page", rules); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/page/k", nil)
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8080" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestInspectorStreamAtCleanup: a test that leaves the inspector's live
// stream open still ends, its server shut down at cleanup.
func TestInspectorStreamAtCleanup(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Run("open stream", func(t *testing.T) {
			srv := s3servertest.New(t, s3server.Options{Inspector: true})
			resp, err := srv.Client().Get(srv.URL + "/_s3cors/api/events")
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("live stream: %s", resp.Status)
			}
			// The body is left open, as a page that stays.
		})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the server's cleanup waited for the open live stream")
	}
}

// TestClientRegion signs for the region of the server New started: a
// signature scoped to another region is refused (AuthorizationHeaderMalformed).
func TestClientRegion(t *testing.T) {
	t.Parallel()
	srv := s3servertest.New(t, s3server.Options{Region: "eu-west-1", AccessKey: "AKID", SecretKey: "SECRET"})
	client := s3servertest.Client(srv, "AKID", "SECRET")
	if _, err := client.ListBuckets(context.Background(), &s3.ListBucketsInput{}); err != nil {
		t.Errorf("ListBuckets on a server in eu-west-1: %v", err)
	}
}

// TestPackageDocSnippet runs the snippet of the package documentation
// with the bucket name it gives, which a reader copies: CreateBucket
// must take it.
func TestPackageDocSnippet(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("s3servertest.go")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "s3servertest.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\n\tclient\.CreateBucket\(ctx, &s3\.CreateBucketInput\{Bucket: aws\.String\("([^"]*)"\)\}\)\n`).FindStringSubmatch(f.Doc.Text())
	if m == nil {
		t.Fatalf("no CreateBucket in the package documentation:\n%s", f.Doc.Text())
	}
	srv := s3servertest.New(t, s3server.Options{})
	client := s3servertest.Client(srv, "", "")
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(m[1])}); err != nil {
		t.Errorf("CreateBucket of the documentation's bucket %q: %v", m[1], err)
	}
}
