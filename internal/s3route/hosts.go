package s3route

import "slices"

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
