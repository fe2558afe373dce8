package s3server_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/vectortest"
)

// The vector tests replay testdata/vectors as real requests against a
// running endpoint that checks signatures (vectortest.Endpoint): set-up
// operations go through aws-sdk-go-v2, signed; the requests the vectors
// send unsigned are sent unsigned with net/http, so that the bucket's
// canned ACL decides, as on S3. The proxy replays the same against
// itself (package s3proxy).

func vectorEndpoint(t *testing.T) *vectortest.Endpoint {
	ts := signedServer(t)
	return &vectortest.Endpoint{URL: ts.URL, HTTP: ts.Client(), AccessKey: testAccessKey, SecretKey: testSecretKey}
}

func TestSuiteVectorsOverHTTP(t *testing.T) {
	t.Parallel()
	passed, skipped := vectortest.ReplaySuite(t, vectorEndpoint(t))
	t.Logf("suite vectors over HTTP: %d of %d cases passed, %d skipped", passed, vectortest.SuiteCases, skipped)
}

func TestS3VectorsOverHTTP(t *testing.T) {
	t.Parallel()
	passed, steps, skipped := vectortest.ReplayS3Vectors(t, vectorEndpoint(t))
	t.Logf("s3vectors over HTTP: %d of %d vectors passed (%d steps run, %d skipped)", passed, vectortest.S3Vectors, steps, skipped)
}

// TestSuitePutValidationOverHTTP sends the configurations of the suite's
// put_validation cases as PutBucketCors bodies and checks S3's verdict.
func TestSuitePutValidationOverHTTP(t *testing.T) {
	t.Parallel()
	vectortest.ReplayPutValidation(t, vectorEndpoint(t))
}

// sdkErr returns the error of an SDK call.
func sdkErr[T any](_ T, err error) error { return err }

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
