package vectortest

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/s3cors/s3cors/xmlconfig/sdkconv"
)

// Endpoint is an S3 endpoint under test that checks signatures, over
// HTTP: s3server, or a proxy in front of a store. The replays send the
// vectors to it as real requests: set-up operations through
// aws-sdk-go-v2, signed; the requests the vectors send unsigned, unsigned
// with net/http, so that the bucket's canned ACL decides, as on S3.
type Endpoint struct {
	URL                  string // http://HOST:PORT
	HTTP                 *http.Client
	AccessKey, SecretKey string
}

// Client returns an aws-sdk-go-v2 client for the endpoint: path style,
// us-east-1, signed, without retries.
func (ep *Endpoint) Client() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint:     aws.String(ep.URL),
		UsePathStyle:     true,
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(ep.AccessKey, ep.SecretKey, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       ep.HTTP,
	})
}

// Response is an answer read whole.
type Response struct {
	*http.Response
	Body []byte
}

func (r Response) String() string { return r.Status + " " + string(r.Body) }

// Request returns a request for path (and query) on the endpoint, with
// header's name, value pairs added.
func (ep *Endpoint) Request(t testing.TB, method, path string, body []byte, header ...string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, ep.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	return req
}

// Send sends req as it is and reads the answer.
func (ep *Endpoint) Send(t testing.TB, req *http.Request) Response {
	t.Helper()
	resp, err := ep.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{resp, b}
}

// Signed signs req with the endpoint's keys as aws-sdk-go-v2 does, the
// body's hash in x-amz-content-sha256, and sends it.
func (ep *Endpoint) Signed(t testing.TB, req *http.Request, body []byte) Response {
	t.Helper()
	SignRequest(t, req, body, ep.AccessKey, ep.SecretKey, time.Now())
	return ep.Send(t, req)
}

// SignRequest signs req as aws-sdk-go-v2 does, with the payload's hash in
// x-amz-content-sha256.
func SignRequest(t testing.TB, req *http.Request, body []byte, ak, sk string, at time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	SignRequestPayload(t, req, hex.EncodeToString(sum[:]), ak, sk, at)
}

// SignRequestPayload is SignRequest with the payload hash given, such as
// UNSIGNED-PAYLOAD.
func SignRequestPayload(t testing.TB, req *http.Request, hash, ak, sk string, at time.Time) {
	t.Helper()
	req.Header.Set("X-Amz-Content-Sha256", hash)
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk},
		req, hash, "s3", "us-east-1", at, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
}

// ContentMD5 returns the Content-MD5 header of body.
func ContentMD5(body []byte) string {
	sum := md5.Sum(body)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// The buckets the suite cases address, set up as their context says:
// public-read, holding "foo" but not "bar".
const (
	SuiteBucket   = "suite-vectors"
	MissingBucket = "suite-vectors-missing"
)

// ReplaySuite replays every case of suite-vectors.json against ep and
// reports how many passed and were skipped (SuiteSkips), each checked
// for the spec's answer instead.
func ReplaySuite(t *testing.T, ep *Endpoint) (passed, skipped int) {
	file := loadSuite(t)
	client := ep.Client()
	ctx := context.Background()
	mustSDK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(SuiteBucket), ACL: "public-read"})))
	mustSDK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(SuiteBucket), Key: aws.String("foo"), Body: strings.NewReader("foo body")})))
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if reason, ok := SuiteSkips[c.Name]; ok {
				r := ep.sendSuiteCase(t, &c)
				for _, err := range c.CheckSkipped(r.StatusCode, r.Header, r.Body) {
					t.Error(err)
				}
				skipped++
				t.Skip(reason)
			}
			if c.Config == nil {
				mustSDK(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String(SuiteBucket)})))
			} else {
				mustSDK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(SuiteBucket), CORSConfiguration: sdkconv.ToSDK(c.Config)})))
			}
			r := ep.sendSuiteCase(t, &c)
			for _, err := range c.Check(r.StatusCode, r.Header, r.Body) {
				t.Error(err)
			}
			if !t.Failed() {
				passed++
			}
		})
	}
	return passed, skipped
}

// sendSuiteCase sends a case's request: unsigned, unless its context
// says the suite signed it or it is ListBuckets, which the suite sends
// through a signed SDK client (S3 serves no anonymous ListBuckets).
func (ep *Endpoint) sendSuiteCase(t testing.TB, c *SuiteCase) Response {
	t.Helper()
	sign := strings.HasPrefix(c.Context, "signed")
	path, service := c.Path(SuiteBucket)
	switch {
	case service:
		sign = true
	case c.NoBucket():
		path, _ = c.Path(MissingBucket)
	default:
		path = strings.TrimSuffix(path, "/")
	}
	req := ep.Request(t, c.Request.Method, path, nil)
	for k, v := range c.Request.Headers {
		if !strings.EqualFold(k, "Content-Length") { // net/http sets it
			req.Header.Set(k, v)
		}
	}
	if sign {
		return ep.Signed(t, req, nil)
	}
	return ep.Send(t, req)
}

// S3VectorSkips are the s3vectors steps no implementation of the spec
// can pass, by id#step, with the reason.
var S3VectorSkips = map[string]string{
	NegativeMaxAgeStep: NegativeMaxAgeReason,
}

// ReplayS3Vectors replays every vector of s3vectors-cors.json against
// ep, each on a bucket of its own, and reports how many passed and how
// many steps ran and were skipped.
func ReplayS3Vectors(t *testing.T, ep *Endpoint) (passed, steps, skippedSteps int) {
	var file S3VectorsFile
	if err := Load("s3vectors-cors.json", &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) != S3Vectors {
		t.Fatalf("s3vectors-cors.json holds %d vectors, want %d", len(file.Vectors), S3Vectors)
	}
	client := ep.Client()
	for _, v := range file.Vectors {
		t.Run(v.ID, func(t *testing.T) {
			bucketName := "vec-" + v.ID
			mustSDK(t, sdkErr(client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucketName)})))
			for i, step := range v.Steps {
				id := StepID(v.ID, i)
				if reason, ok := S3VectorSkips[id]; ok {
					skippedSteps++
					t.Logf("step %d skipped: %s", i+1, reason)
					continue
				}
				got, exp := ep.runStep(t, client, bucketName, step)
				for _, err := range Check(exp, got) {
					t.Errorf("step %d: %v", i+1, err)
				}
				if t.Failed() {
					return
				}
				steps++
			}
			passed++
		})
	}
	return passed, steps, skippedSteps
}

// runStep runs one step against the bucket that stands for
// ${res.b1.name}.
func (ep *Endpoint) runStep(t *testing.T, client *s3.Client, bucketName string, step map[string]json.RawMessage) (Outcome, *Expect) {
	t.Helper()
	subst := func(raw json.RawMessage) []byte {
		return []byte(strings.ReplaceAll(string(raw), "${res.b1.name}", bucketName))
	}
	if raw, ok := step["$http"]; ok {
		var h HTTPStep
		mustJSON(t, subst(raw), &h)
		if h.Sign != nil && *h.Sign {
			t.Fatalf("signed $http steps are not supported")
		}
		req := ep.Request(t, h.Method, h.Path, nil)
		for k, v := range h.Headers {
			if !strings.EqualFold(k, "Content-Length") {
				req.Header.Set(k, v)
			}
		}
		resp := ep.Send(t, req)
		code, msg := ErrorOf(resp.Body)
		return Outcome{Status: resp.StatusCode, Code: code, Message: msg, Header: resp.Header}, h.Expect
	}
	var op OperationStep
	mustJSON(t, subst(step["$operation"]), &op)
	out, err := runOperation(t, client, op)
	got := Outcome{Status: http.StatusOK, Output: out}
	if err != nil {
		var ae smithy.APIError
		var re *awshttp.ResponseError
		if !errors.As(err, &ae) || !errors.As(err, &re) {
			t.Fatalf("%s: %v", op.Name, err)
		}
		got = Outcome{Status: re.HTTPStatusCode(), Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
	}
	return got, op.Expect
}

// runOperation calls the SDK operation a step names, with its params
// decoded into the SDK's input type (S3's member names are its field
// names), and returns the output the step's response is matched against.
func runOperation(t *testing.T, client *s3.Client, op OperationStep) (any, error) {
	ctx := context.Background()
	switch op.Name {
	case "PutBucketAcl":
		var in s3.PutBucketAclInput
		mustJSON(t, op.Params, &in)
		return client.PutBucketAcl(ctx, &in)
	case "PutBucketCors":
		var in s3.PutBucketCorsInput
		mustJSON(t, op.Params, &in)
		return client.PutBucketCors(ctx, &in)
	case "GetBucketCors":
		var in s3.GetBucketCorsInput
		mustJSON(t, op.Params, &in)
		out, err := client.GetBucketCors(ctx, &in)
		if err != nil {
			return nil, err
		}
		return map[string]any{"CORSRules": out.CORSRules}, nil
	case "DeleteBucketCors":
		var in s3.DeleteBucketCorsInput
		mustJSON(t, op.Params, &in)
		return client.DeleteBucketCors(ctx, &in)
	}
	t.Fatalf("operation %s is not supported", op.Name)
	return nil, nil
}

// ReplayPutValidation sends the configurations of the suite's
// put_validation cases as PutBucketCors bodies to a bucket of ep and
// checks S3's verdict on each.
func ReplayPutValidation(t *testing.T, ep *Endpoint) {
	file := loadSuite(t)
	mustSDK(t, sdkErr(ep.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("put-validation")})))
	for _, c := range file.PutValidation {
		t.Run(c.Name, func(t *testing.T) {
			body, err := c.Body()
			if err != nil {
				t.Fatal(err)
			}
			req := ep.Request(t, http.MethodPut, "/put-validation?cors", body, "Content-MD5", ContentMD5(body))
			r := ep.Signed(t, req, body)
			code, msg := ErrorOf(r.Body)
			want := c.Expect
			if r.StatusCode != want.Status || code != want.Code || !strings.Contains(msg, want.MessageContains) ||
				want.ProbableMessage != "" && msg != want.ProbableMessage {
				t.Errorf("%s, want %d %s %q", r, want.Status, want.Code, want.MessageContains+want.ProbableMessage)
			}
		})
	}
}

// loadSuite reads suite-vectors.json, checking that it holds every case.
func loadSuite(t *testing.T) *SuiteFile {
	var file SuiteFile
	if err := Load("suite-vectors.json", &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) != SuiteCases || len(file.PutValidation) != ValidationCases {
		t.Fatalf("suite-vectors.json holds %d cases and %d put_validation cases, want %d and %d",
			len(file.Cases), len(file.PutValidation), SuiteCases, ValidationCases)
	}
	return &file
}

// sdkErr returns the error of an SDK call.
func sdkErr[T any](_ T, err error) error { return err }

// mustSDK stops the test when an SDK call that sets up a case failed.
func mustSDK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustJSON decodes b into v, or stops the test showing the text that
// did not decode.
func mustJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}
