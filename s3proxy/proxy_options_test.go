package s3proxy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/s3cors/s3cors/s3proxy"
)

// TestNewOptionErrors checks that New refuses options it cannot use with
// an *OptionError naming the field, which a caller maps to its own
// setting (the command line's flags, say).
func TestNewOptionErrors(t *testing.T) {
	t.Parallel()
	ok := s3proxy.Options{Upstream: "http://127.0.0.1:9000"}
	for _, c := range []struct {
		name   string
		edit   func(*s3proxy.Options)
		option string
	}{
		{"upstream not a URL", func(o *s3proxy.Options) { o.Upstream = "http://[::1" }, "Upstream"},
		{"upstream without a scheme", func(o *s3proxy.Options) { o.Upstream = "minio:9000" }, "Upstream"},
		{"upstream with a path", func(o *s3proxy.Options) { o.Upstream = "http://minio:9000/s3" }, "Upstream"},
		{"upstream key alone", func(o *s3proxy.Options) { o.UpstreamAccessKey = "AK" }, "UpstreamAccessKey"},
		{"config bucket in upper case", func(o *s3proxy.Options) { o.ConfigBucket = "Config" }, "ConfigBucket"},
		{"config bucket not a name", func(o *s3proxy.Options) { o.ConfigBucket = "a..b" }, "ConfigBucket"},
		{"domain not a host", func(o *s3proxy.Options) { o.Domains = []string{"a..b"} }, "Domains"},
		{"key without secret", func(o *s3proxy.Options) { o.Keys = map[string]string{"AK": ""} }, "Keys"},
		// An access key no Signature Version 4 Credential can carry: the
		// client's every request was refused AuthorizationHeaderMalformed.
		{"key with a slash", func(o *s3proxy.Options) { o.Keys = map[string]string{"AK/1": "SK"} }, "Keys"},
		{"key with a comma", func(o *s3proxy.Options) { o.Keys = map[string]string{"AK,1": "SK"} }, "Keys"},
		{"upstream key with a slash", func(o *s3proxy.Options) { o.UpstreamAccessKey, o.UpstreamSecretKey = "AK/1", "SK" }, "UpstreamAccessKey"},
		// Zero means the default; a negative value is a slip (a duration
		// subtracted the wrong way round, "-1 for none"), which New used
		// to replace with the default without a word.
		{"negative ConfigTTL", func(o *s3proxy.Options) { o.ConfigTTL = -time.Second }, "ConfigTTL"},
		{"negative MaxStale", func(o *s3proxy.Options) { o.MaxStale = -1 }, "MaxStale"},
		{"negative MaxBuckets", func(o *s3proxy.Options) { o.MaxBuckets = -1 }, "MaxBuckets"},
		{"negative LookupRate", func(o *s3proxy.Options) { o.LookupRate = -1 }, "LookupRate"},
		{"negative UpstreamTimeout", func(o *s3proxy.Options) { o.UpstreamTimeout = -time.Second }, "UpstreamTimeout"},
		{"negative ClientTimeout", func(o *s3proxy.Options) { o.ClientTimeout = -time.Second }, "ClientTimeout"},
		// A region that cannot be a credential scope's, as s3cors proxy's
		// --region refuses it: every signature of the proxy's own
		// requests would be refused by the upstream.
		{"region with a space", func(o *s3proxy.Options) { o.Region = "us east 1" }, "Region"},
		{"region with a slash", func(o *s3proxy.Options) { o.Region = "us-east-1/s3" }, "Region"},
		{"region with markup", func(o *s3proxy.Options) { o.Region = "x</LocationConstraint><Evil/>" }, "Region"},
		{"region with a hyphen last", func(o *s3proxy.Options) { o.Region = "us-east-" }, "Region"},
		// A name no Host header can carry, which would refuse every
		// request it was meant to allow.
		{"allowed host with a space", func(o *s3proxy.Options) { o.AllowedHosts = []string{"s3.test", "a b"} }, "AllowedHosts"},
		{"allowed host a URL", func(o *s3proxy.Options) { o.AllowedHosts = []string{"http://s3.test"} }, "AllowedHosts"},
		{"allowed host empty", func(o *s3proxy.Options) { o.AllowedHosts = []string{""} }, "AllowedHosts"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opts := ok
			c.edit(&opts)
			p, err := s3proxy.New(opts)
			if err == nil {
				p.Close()
				t.Fatalf("New(%+v) = nil error", opts)
			}
			oe, isOption := errors.AsType[*s3proxy.OptionError](err)
			if !isOption || oe.Option != c.option || oe.Reason == "" {
				t.Errorf("New: %v (%T), want an *OptionError for %s", err, err, c.option)
			}
		})
	}
	p, err := s3proxy.New(ok)
	if err != nil {
		t.Fatalf("New(%+v): %v", ok, err)
	}
	p.Close()
}

// TestNewUpstreamReason checks the reason New gives for an Upstream that
// is not http(s)://HOST[:PORT]: the value and what it lacks, also for an
// address without a scheme that package url cannot parse ("127.0.0.1:9000",
// the likeliest slip), where it gave url.Parse's words ("first path
// segment in URL cannot contain colon").
func TestNewUpstreamReason(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ upstream, reason string }{
		{"127.0.0.1:9000", `"127.0.0.1:9000" is not an http or https URL with a host`},
		{"[::1]:9000", `"[::1]:9000" is not an http or https URL with a host`},
		{"http://[::1", `"http://[::1" is not a URL: missing ']' in host`},
		{"minio:9000", `"minio:9000" is not an http or https URL with a host`},
		{"http://minio:9000/s3", `"http://minio:9000/s3" has more than a scheme and a host`},
		{"http://127.0.0.1:99999", `"http://127.0.0.1:99999" has the port 99999, not one from 1 to 65535`},
		{"https://minio:0", `"https://minio:0" has the port 0, not one from 1 to 65535`},
		{"http://[::1]:65536/", `"http://[::1]:65536/" has the port 65536, not one from 1 to 65535`},
		{"http://minio:99999999999999999999", `"http://minio:99999999999999999999" has the port 99999999999999999999, not one from 1 to 65535`},
	} {
		t.Run(c.upstream, func(t *testing.T) {
			t.Parallel()
			p, err := s3proxy.New(s3proxy.Options{Upstream: c.upstream})
			if err == nil {
				p.Close()
				t.Fatalf("New with Upstream %q = nil error", c.upstream)
			}
			oe, isOption := errors.AsType[*s3proxy.OptionError](err)
			if !isOption || oe.Option != "Upstream" || oe.Reason != c.reason {
				t.Errorf("New with Upstream %q: %v, want an *OptionError for Upstream: %s", c.upstream, err, c.reason)
			}
		})
	}
}

// TestNewUpstreamPortTaken checks that New takes an Upstream with any
// port a client can dial, or none, as TestNewUpstreamReason refuses one
// out of range.
func TestNewUpstreamPortTaken(t *testing.T) {
	t.Parallel()
	for _, upstream := range []string{"http://127.0.0.1:1", "https://minio:65535", "http://minio", "http://minio:", "http://[::1]:9000/"} {
		t.Run(upstream, func(t *testing.T) {
			t.Parallel()
			p, err := s3proxy.New(s3proxy.Options{Upstream: upstream})
			if err != nil {
				t.Fatalf("New with Upstream %q: %v", upstream, err)
			}
			p.Close()
		})
	}
}
