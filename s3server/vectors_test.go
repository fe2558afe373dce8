package s3server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/s3cors/s3cors/internal/vectortest"
	"github.com/s3cors/s3cors/s3server/s3servertest"
	"github.com/s3cors/s3cors/xmlconfig/sdkconv"
)

// The vector tests replay testdata/vectors as real requests against a
// running endpoint that checks signatures: set-up operations go through
// aws-sdk-go-v2, signed; the requests the vectors send unsigned are sent
// unsigned with net/http, so that the bucket's canned ACL decides, as on
// S3.

// suiteBucket is the bucket the suite cases address, set up as their
// context says: public-read, holding "foo" but not "bar".
const (
	suiteBucket   = "suite-vectors"
	missingBucket = "suite-vectors-missing"
)

func TestSuiteVectorsOverHTTP(t *testing.T) {
	t.Parallel()
	var file vectortest.SuiteFile
	if err := vectortest.Load("suite-vectors.json", &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) != vectortest.SuiteCases {
		t.Fatalf("suite-vectors.json holds %d cases, want %d", len(file.Cases), vectortest.SuiteCases)
	}
	ts := signedServer(t)
	client := s3servertest.Client(ts.Server, testAccessKey, testSecretKey)
	ctx := context.Background()
	mustOK(t, sdkErr(client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(suiteBucket), ACL: "public-read"})))
	mustOK(t, sdkErr(client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(suiteBucket), Key: aws.String("foo"), Body: strings.NewReader("foo body")})))
	passed, skipped := 0, 0
	for _, c := range file.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if reason, ok := vectortest.SuiteSkips[c.Name]; ok {
				// The spec's answer instead (§3.1 step 2).
				r := ts.sendSuiteCase(&c)
				mustError(t, r, http.StatusForbidden, errorDoc("AccessForbidden", "CORSResponse: Bucket not found",
					"Method", "OPTIONS", "ResourceType", "BUCKET"))
				skipped++
				t.Skip(reason)
			}
			if c.Config == nil {
				mustOK(t, sdkErr(client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String(suiteBucket)})))
			} else {
				mustOK(t, sdkErr(client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(suiteBucket), CORSConfiguration: sdkconv.ToSDK(c.Config)})))
			}
			r := ts.sendSuiteCase(&c)
			for _, err := range c.Check(r.StatusCode, r.Header, r.body) {
				t.Error(err)
			}
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("suite vectors over HTTP: %d of %d cases passed, %d skipped", passed, len(file.Cases), skipped)
}

// sendSuiteCase sends a case's request: unsigned, unless its context
// says the suite signed it or it is ListBuckets, which the suite sends
// through a signed SDK client (S3 serves no anonymous ListBuckets).
func (ts *testServer) sendSuiteCase(c *vectortest.SuiteCase) response {
	ts.t.Helper()
	sign := strings.HasPrefix(c.Context, "signed")
	path, service := c.Path(suiteBucket)
	switch {
	case service:
		sign = true
	case c.NoBucket():
		path, _ = c.Path(missingBucket)
	default:
		path = strings.TrimSuffix(path, "/")
	}
	req := ts.request(c.Request.Method, path, nil)
	for k, v := range c.Request.Headers {
		if !strings.EqualFold(k, "Content-Length") { // net/http sets it
			req.Header.Set(k, v)
		}
	}
	if sign {
		return ts.signed(req, nil)
	}
	return ts.send(req)
}

// sdkErr returns the error of an SDK call.
func sdkErr[T any](_ T, err error) error { return err }

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// s3vectorSkips are the s3vectors steps the server does not follow, by
// id#step, with the reason.
var s3vectorSkips = map[string]string{
	vectortest.NegativeMaxAgeStep: vectortest.NegativeMaxAgeReason,
}

func TestS3VectorsOverHTTP(t *testing.T) {
	t.Parallel()
	var file vectortest.S3VectorsFile
	if err := vectortest.Load("s3vectors-cors.json", &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) != vectortest.S3Vectors {
		t.Fatalf("s3vectors-cors.json holds %d vectors, want %d", len(file.Vectors), vectortest.S3Vectors)
	}
	ts := signedServer(t)
	r := &vectorRunner{ts: ts, client: s3servertest.Client(ts.Server, testAccessKey, testSecretKey)}
	passed, steps, skippedSteps := 0, 0, 0
	for _, v := range file.Vectors {
		t.Run(v.ID, func(t *testing.T) {
			bucketName := "vec-" + v.ID
			mustOK(t, sdkErr(r.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucketName)})))
			for i, step := range v.Steps {
				id := vectortest.StepID(v.ID, i)
				if reason, ok := s3vectorSkips[id]; ok {
					skippedSteps++
					t.Logf("step %d skipped: %s", i+1, reason)
					continue
				}
				got, exp := r.run(t, bucketName, step)
				for _, err := range vectortest.Check(exp, got) {
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
	t.Logf("s3vectors over HTTP: %d of %d vectors passed (%d steps run, %d skipped)", passed, len(file.Vectors), steps, skippedSteps)
}

type vectorRunner struct {
	ts     *testServer
	client *s3.Client
}

// run runs one step against the bucket that stands for ${res.b1.name}.
func (r *vectorRunner) run(t *testing.T, bucketName string, step map[string]json.RawMessage) (vectortest.Outcome, *vectortest.Expect) {
	t.Helper()
	subst := func(raw json.RawMessage) []byte {
		return []byte(strings.ReplaceAll(string(raw), "${res.b1.name}", bucketName))
	}
	if raw, ok := step["$http"]; ok {
		var h vectortest.HTTPStep
		mustJSON(t, subst(raw), &h)
		if h.Sign != nil && *h.Sign {
			t.Fatalf("signed $http steps are not supported")
		}
		req := r.ts.request(h.Method, h.Path, nil)
		for k, v := range h.Headers {
			if !strings.EqualFold(k, "Content-Length") {
				req.Header.Set(k, v)
			}
		}
		resp := r.ts.send(req)
		code, msg := vectortest.ErrorOf(resp.body)
		return vectortest.Outcome{Status: resp.StatusCode, Code: code, Message: msg, Header: resp.Header}, h.Expect
	}
	var op vectortest.OperationStep
	mustJSON(t, subst(step["$operation"]), &op)
	out, err := r.operation(t, op)
	got := vectortest.Outcome{Status: http.StatusOK, Output: out}
	if err != nil {
		var ae smithy.APIError
		var re *awshttp.ResponseError
		if !errors.As(err, &ae) || !errors.As(err, &re) {
			t.Fatalf("%s: %v", op.Name, err)
		}
		got = vectortest.Outcome{Status: re.HTTPStatusCode(), Code: ae.ErrorCode(), Message: ae.ErrorMessage()}
	}
	return got, op.Expect
}

// operation calls the SDK operation a step names, with its params
// decoded into the SDK's input type (S3's member names are its field
// names), and returns the output the step's response is matched against.
func (r *vectorRunner) operation(t *testing.T, op vectortest.OperationStep) (any, error) {
	ctx := context.Background()
	switch op.Name {
	case "PutBucketAcl":
		var in s3.PutBucketAclInput
		mustJSON(t, op.Params, &in)
		return r.client.PutBucketAcl(ctx, &in)
	case "PutBucketCors":
		var in s3.PutBucketCorsInput
		mustJSON(t, op.Params, &in)
		return r.client.PutBucketCors(ctx, &in)
	case "GetBucketCors":
		var in s3.GetBucketCorsInput
		mustJSON(t, op.Params, &in)
		out, err := r.client.GetBucketCors(ctx, &in)
		if err != nil {
			return nil, err
		}
		return map[string]any{"CORSRules": out.CORSRules}, nil
	case "DeleteBucketCors":
		var in s3.DeleteBucketCorsInput
		mustJSON(t, op.Params, &in)
		return r.client.DeleteBucketCors(ctx, &in)
	}
	t.Fatalf("operation %s is not supported", op.Name)
	return nil, nil
}

func mustJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}

// TestSuitePutValidationOverHTTP sends the configurations of the suite's
// put_validation cases as PutBucketCors bodies and checks S3's verdict.
func TestSuitePutValidationOverHTTP(t *testing.T) {
	t.Parallel()
	var file vectortest.SuiteFile
	if err := vectortest.Load("suite-vectors.json", &file); err != nil {
		t.Fatal(err)
	}
	ts := signedServer(t)
	mustOK(t, ts.s.CreateBucket("put-validation", ""))
	for _, c := range file.PutValidation {
		t.Run(c.Name, func(t *testing.T) {
			body, err := c.Body()
			if err != nil {
				t.Fatal(err)
			}
			req := ts.request(http.MethodPut, "/put-validation?cors", body, "Content-MD5", contentMD5(body))
			r := ts.signed(req, body)
			code, msg := vectortest.ErrorOf(r.body)
			want := c.Expect
			if r.StatusCode != want.Status || code != want.Code || !strings.Contains(msg, want.MessageContains) ||
				want.ProbableMessage != "" && msg != want.ProbableMessage {
				t.Errorf("%s, want %d %s %q", r, want.Status, want.Code, want.MessageContains+want.ProbableMessage)
			}
		})
	}
}
