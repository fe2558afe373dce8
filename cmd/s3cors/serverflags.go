package main

import (
	"flag"
	"net/url"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
)

// The checks serve and proxy both make of their flags, in the words both
// say them: one place to read them, and no second copy of a message to
// drift from the first.

// refuseEmptyOrOperand reports a usage error, and returns ok false, when
// one of names was given an empty value (the first of them as emptyFlag
// finds it: see there why an empty value is refused) or when pos holds
// an argument: serve and proxy take flags only.
func (c *command) refuseEmptyOrOperand(pos []string, names ...string) (code int, ok bool) {
	if empty := c.emptyFlag(names...); empty != "" {
		return c.usageError("--%s is empty: give a value, or leave the flag out", empty), false
	}
	if len(pos) > 0 {
		return c.usageError("unexpected argument %q", pos[0]), false
	}
	return 0, true
}

// checkRegion reports a usage error, and returns ok false, when region
// (--region) is not a name the AWS SDKs would scope a signature to:
// every request signed for it would be refused.
func (c *command) checkRegion(region string) (code int, ok bool) {
	if !sigv.ValidRegion(region) {
		return c.usageError("--region %q is not a region name: letters, digits and hyphens, such as us-east-1, as the AWS SDKs take", region), false
	}
	return 0, true
}

// checkDomains reports a usage error, and returns ok false, when one of
// domains (--domain) is empty or no name buckets can be addressed under,
// in the words of the other flags: "is empty", and the value quoted once
// after the flag, where s3route's error named it again ("--domain:
// domain a b is not a host name").
func (c *command) checkDomains(domains []string) (code int, ok bool) {
	for _, d := range domains {
		if d == "" {
			return c.usageError("--domain is empty: give a value, or leave the flag out"), false
		}
		if _, err := s3route.New([]string{d}); err != nil {
			why := strings.TrimPrefix(err.Error(), "s3route: ")
			if rest, ok := strings.CutPrefix(why, "domain "+d+" "); ok {
				return c.usageError("--domain: %q %s", d, rest), false
			}
			return c.usageError("--domain: %q: %s", d, why), false
		}
	}
	return 0, true
}

// checkAddrs reports a usage error, and returns ok false, when one of
// the flags names (--addr, --metrics-addr) was given a URL or a port
// alone, which net.Listen refuses in words that mislead: "too many
// colons in address" for the URL serve prints ("http://127.0.0.1:9000"),
// "missing port in address" for "9000", which is all port.
func (c *command) checkAddrs(names ...string) (code int, ok bool) {
	c.fs.Visit(func(f *flag.Flag) {
		addr := f.Value.String()
		switch {
		case code != 0 || !slices.Contains(names, f.Name):
		case strings.Contains(addr, "://"):
			example := "such as 127.0.0.1:9000"
			if u, err := url.Parse(addr); err == nil && u.Port() != "" {
				example = "here " + u.Host
			}
			code = c.usageError("--%s %q is a URL: give HOST:PORT, %s", f.Name, addr, example)
		case addr != "" && strings.Trim(addr, "0123456789") == "":
			code = c.usageError("--%s %q is a port alone: give HOST:PORT, such as 127.0.0.1:%s, or :%s for every interface", f.Name, addr, addr, addr)
		}
	})
	return code, code == 0
}
