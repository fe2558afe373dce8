package s3proxy

import (
	"errors"
	"net/http"

	"github.com/s3cors/s3cors/s3err"
)

// S3's answers to overload (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
const (
	msgServiceUnavailable = "Service is unable to handle request."
	msgHostFinalDot       = "The Host header addresses a bucket by a name ending in \".\", which stores read differently (the bucket, or the path's); send it without the final dot."
)

// errServiceUnavailable is the answer to a request the upstream did not
// answer: unreachable, too slow, or answering what is not HTTP.
func errServiceUnavailable() *s3err.Error {
	return s3err.New(http.StatusServiceUnavailable, "ServiceUnavailable", msgServiceUnavailable)
}

// errHostFinalDot is the answer to a virtual-hosted request whose Host
// ends in ".": see Proxy.ServeHTTP.
func errHostFinalDot(host string) *s3err.Error {
	return s3err.InvalidArgument(msgHostFinalDot, "Host", host)
}

// OptionError reports a field of [Options] that [New] cannot use.
type OptionError struct {
	// Option names the field, as Options spells it: "Upstream",
	// "UpstreamAccessKey", "ConfigBucket", "Domains", "AllowedHosts",
	// "Keys", "Region",
	// or one of the durations and counts New refuses when negative
	// ("ConfigTTL", "MaxStale", "MaxBuckets", "LookupRate",
	// "UpstreamTimeout", "ClientTimeout").
	Option string
	// Reason says what is wrong with the value, naming it.
	Reason string
}

// Error returns "s3proxy: Option: Reason".
func (e *OptionError) Error() string { return "s3proxy: " + e.Option + ": " + e.Reason }

// lookupError is the answer to a request whose bucket's configuration
// could not be looked up.
func lookupError(err error) error {
	if errors.Is(err, errSlowDown) {
		return s3err.SlowDown()
	}
	return errServiceUnavailable()
}
