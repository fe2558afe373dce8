package s3route

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/s3err"
)

// Hosts are the host names an endpoint answers to, as Django's
// ALLOWED_HOSTS: a request whose Host header names another is refused
// before anything else runs, so that a web page cannot reach a loopback
// endpoint through DNS rebinding. CORS decides which pages may read the
// answers; Hosts decide which names the endpoint answers to. Hosts are
// immutable and safe for concurrent use.
type Hosts struct {
	// names are the allowed names, normalised; nil when any host is.
	names  map[string]bool
	router *Router
}

// NewHosts returns the Hosts that allow the names given (the port and a
// final dot ignored, compared without regard to case; IPv6 addresses
// with or without brackets), router's domains and every bucket name
// under one of them. Empty names, or one that is "*", allow every host.
//
// A domain is allowed itself, not only its subdomains: it is the
// endpoint's path-style name, as s3.amazonaws.com is S3's, where the
// SDKs send ListBuckets and the requests for a bucket whose name cannot
// be a DNS label, and the operator named it as the router's.
func NewHosts(names []string, router *Router) *Hosts {
	if len(names) == 0 || slices.Contains(names, "*") {
		return &Hosts{router: router}
	}
	set := make(map[string]bool, len(names))
	for _, h := range names {
		set[HostName(h)] = true
	}
	return &Hosts{names: set, router: router}
}

// Allow reports whether the endpoint answers to the Host header host:
// one of the allowed names, one of the domains, or a bucket under one of
// them.
func (hs *Hosts) Allow(host string) bool {
	if hs.names == nil || hs.names[HostName(host)] || hs.router.isDomain(hostOnly(host)) {
		return true
	}
	_, ok := hs.router.BucketOfHost(host)
	return ok
}

// HostNotAllowed is the answer to a request whose Host header host the
// endpoint does not answer to (see [Hosts.Allow]); command is the s3cors
// command serving it, "serve" or "proxy", whose --allowed-hosts the
// message points to. S3 has no such error, as it answers to its own
// names only: the code is S3's for a bad request parameter, the message
// ours.
func HostNotAllowed(host, command string) *s3err.Error {
	return s3err.InvalidArgument("The Host header names a host this endpoint does not answer to; add it to the allowed hosts (s3cors "+command+" --allowed-hosts).", "Host", host)
}

// ValidBucketName reports whether name could name an existing bucket:
// S3's legacy rules, which buckets made in us-east-1 before 2018 still
// follow (1 to 255 letters of either case, digits, '.', '-' and '_').
//
// UNVERIFIED: which rules S3 applies to requests other than CreateBucket
// was not captured; this choice keeps every name that could exist on S3.
func ValidBucketName(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// CheckAllowedHosts returns an error naming the first of hosts, the
// names of an allow-list, that is neither "*" nor [ValidHost]'s.
func CheckAllowedHosts(hosts []string) error {
	for _, h := range hosts {
		if h != "*" && !ValidHost(h) {
			return fmt.Errorf("s3route: %q is not a host name or address: write a name such as s3.test or an address such as 192.0.2.1, without scheme or path", h)
		}
	}
	return nil
}

// ValidHost reports whether h names a host as a Host header does: an IP
// address (IPv6 with or without brackets) or a DNS name, its labels of 1
// to 63 letters, digits, hyphens and underscores (which host names of
// containers have), none starting or ending with a hyphen, with or
// without a final dot and a port. A name outside it, such as a URL or one
// with a space, is no Host header's, so an allow-list holding it would
// refuse the requests it was meant to allow.
func ValidHost(h string) bool {
	if host, port, err := net.SplitHostPort(h); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return false
		}
		h = host
	}
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	return net.ParseIP(h) != nil || validName(h)
}

// validName reports whether h is a DNS name as ValidHost takes one: labels
// of 1 to 63 letters, digits, hyphens and underscores, none starting or
// ending with a hyphen, with or without a final dot.
func validName(h string) bool {
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
