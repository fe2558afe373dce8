// Package s3route reads an S3 request's address and operation: which
// bucket and key it names, by path (http://HOST/BUCKET/KEY) or by host
// (http://BUCKET.DOMAIN/KEY), and which S3 API operation it asks for
// (PutObject, CreateMultipartUpload, GetBucketCors, ...), from its method,
// query, and headers. It is the routing the S3 endpoint and the proxy
// share, and it knows nothing of either: it reads values, allocates
// nothing for a request, and leaves the request as it came.
package s3route

import (
	"errors"
	"net"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// Style is how a request names its bucket.
type Style uint8

const (
	// PathStyle names the bucket in the first segment of the path:
	// http://HOST/BUCKET/KEY.
	PathStyle Style = iota
	// VirtualHosted names the bucket in the Host header, in front of one
	// of the [Router]'s domains: http://BUCKET.DOMAIN/KEY.
	VirtualHosted
)

func (s Style) String() string {
	if s == VirtualHosted {
		return "virtual-hosted"
	}
	return "path"
}

// Address is what a request addresses: the service (Bucket ""), a
// bucket (Key ""), or an object.
type Address struct {
	Bucket, Key string
	Style       Style
}

// Router reads addresses against a set of domains under which buckets are
// addressed by host. It is immutable and safe for concurrent use.
type Router struct {
	// suffixes are "." + each domain, longest first, so that the most
	// specific domain wins ("s3.localhost" before "localhost").
	suffixes []string
}

// New returns a Router for the domains given, such as "localhost" (a
// request for Host "photos.localhost:9000" then addresses the bucket
// "photos"). Names are compared without regard to case and without a
// final dot. A domain must be a DNS name as [ValidHost] takes one, without
// a port or a scheme, and not an IP address, which has no subdomains.
func New(domains []string) (*Router, error) {
	rt := &Router{}
	for _, d := range domains {
		name := ascii.ToLower(strings.TrimSuffix(d, "."))
		switch {
		case name == "":
			return nil, errors.New("s3route: an empty domain")
		case net.ParseIP(name) != nil:
			return nil, errors.New("s3route: domain " + d + " is an IP address, which has no subdomains")
		case !validName(d):
			// No Host header holds such a name (see ValidHost), so no
			// request could address a bucket under it. d, not name: a
			// second final dot ("localhost..") is an empty label, which
			// name, one final dot trimmed, no longer shows.
			return nil, errors.New("s3route: domain " + d + " is not a host name")
		}
		if s := "." + name; !slices.Contains(rt.suffixes, s) {
			rt.suffixes = append(rt.suffixes, s)
		}
	}
	slices.SortStableFunc(rt.suffixes, func(a, b string) int { return len(b) - len(a) })
	return rt, nil
}

// Domains returns the router's domains, longest first.
func (rt *Router) Domains() []string {
	out := make([]string, len(rt.suffixes))
	for i, s := range rt.suffixes {
		out[i] = s[1:]
	}
	return out
}

// Address returns what a request with Host header host and URL path
// path addresses. A host that is a subdomain of one of the router's
// domains names the bucket (the labels in front of the domain, in lower
// case) and the path, without its first '/', is the key; any other host
// addresses by path. The path is the decoded URL path, as net/http
// gives it in URL.Path.
func (rt *Router) Address(host, path string) Address {
	if bucket, ok := rt.BucketOfHost(host); ok {
		return Address{Bucket: bucket, Key: strings.TrimPrefix(path, "/"), Style: VirtualHosted}
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return Address{Bucket: bucket, Key: key}
}

// BucketOfHost returns the bucket a Host header names in front of one of
// the router's domains, and whether it names one. A host in brackets
// names none, whatever they hold: they enclose an IP literal (RFC 3986
// §3.2.2), which has no subdomains, and a store behind the proxy would
// not read "[photos.localhost]" as the bucket photos.
func (rt *Router) BucketOfHost(host string) (string, bool) {
	if rt == nil || len(rt.suffixes) == 0 || strings.HasPrefix(host, "[") {
		return "", false
	}
	name := hostOnly(host)
	if rt.isDomain(name) {
		return "", false // a domain itself: path style
	}
	for _, s := range rt.suffixes {
		if len(name) > len(s) && hasSuffixFold(name, s) {
			return ascii.ToLower(name[:len(name)-len(s)]), true
		}
	}
	return "", false
}

// isDomain reports whether name, a host name without port or final dot,
// is one of the router's domains, in any case.
func (rt *Router) isDomain(name string) bool {
	if rt == nil {
		return false
	}
	for _, s := range rt.suffixes {
		if strings.EqualFold(name, s[1:]) {
			return true
		}
	}
	return false
}

// HostName returns the name in a Host header: without the port, the
// brackets of an IPv6 address or a final dot, in lower case.
// "localhost." is the same name as "localhost" in DNS.
func HostName(host string) string { return ascii.ToLower(hostOnly(host)) }

// hostOnly is HostName without the change of case.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return strings.TrimSuffix(host, ".")
}

// hasSuffixFold reports whether s ends in suffix, in any case: Host
// headers compare without regard to case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
