package s3proxy

import (
	"errors"
	"net"
	"net/http"

	"github.com/s3cors/s3cors/s3err"
)

// S3's answers to overload (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
const (
	msgServiceUnavailable = "Service is unable to handle request."
	msgSlowDown           = "Please reduce your request rate."
	msgHostNotAllowed     = "The Host header names a host this endpoint does not answer to; add it to the allowed hosts (s3cors proxy --allowed-hosts)."
	msgInvalidBucketName  = "The specified bucket is not valid."
	msgRequestTimeout     = "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed."
)

// errServiceUnavailable is the answer to a request the upstream did not
// answer: unreachable, too slow, or answering what is not HTTP.
func errServiceUnavailable() *s3err.Error {
	return s3err.New(http.StatusServiceUnavailable, "ServiceUnavailable", msgServiceUnavailable)
}

// errSlowDownS3 is the answer to a request for a bucket the cache does
// not hold once the budget of look-ups is spent.
func errSlowDownS3() *s3err.Error {
	return s3err.New(http.StatusServiceUnavailable, "SlowDown", msgSlowDown)
}

// errHostNotAllowed is the answer to a request whose Host the proxy does
// not answer to, as s3server's.
func errHostNotAllowed(host string) *s3err.Error {
	return s3err.InvalidArgument(msgHostNotAllowed, "Host", host)
}

func errInvalidBucketName(name string) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "InvalidBucketName", msgInvalidBucketName, "BucketName", name)
}

// clientBodyError is S3's answer to a request whose body the client did
// not send whole (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
// 400 RequestTimeout when it paused past the bound, 400 IncompleteBody
// when it ended short of its Content-Length or its last chunk.
//
// UNVERIFIED: S3's answer to a malformed chunked encoding, which is
// taken for a body ended short.
func clientBodyError(err error) *s3err.Error {
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return s3err.New(http.StatusBadRequest, "RequestTimeout", msgRequestTimeout)
	}
	return s3err.IncompleteBody()
}

// OptionError reports a field of [Options] that [New] cannot use.
type OptionError struct {
	// Option names the field, as Options spells it: "Upstream",
	// "UpstreamAccessKey", "ConfigBucket", "Domains" or "Keys".
	Option string
	// Reason says what is wrong with the value, naming it.
	Reason string
}

func (e *OptionError) Error() string { return "s3proxy: " + e.Option + ": " + e.Reason }

// lookupError is the answer to a request whose bucket's configuration
// could not be looked up.
func lookupError(err error) error {
	if errors.Is(err, errSlowDown) {
		return errSlowDownS3()
	}
	return errServiceUnavailable()
}
