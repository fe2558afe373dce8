package bucket

import (
	"net/http"
	"strings"
)

// Bounds on what a request may make the evaluator read. S3 refuses request
// header sections over 8 KB, so an Origin, Access-Control-Request-Method or
// Access-Control-Request-Headers value longer than MaxHeaderValueLen could
// never reach its CORS logic.
const (
	// MaxHeaderValueLen is the longest Origin, Access-Control-Request-Method
	// or Access-Control-Request-Headers (all its lines together) evaluated.
	MaxHeaderValueLen = 8 << 10
	// MaxRequestedHeaders is the most comma-separated elements, empty ones
	// included, in Access-Control-Request-Headers. Browsers send a handful.
	// This bound is ours, not S3's: it keeps the work per request small
	// whatever the request holds.
	MaxRequestedHeaders = 64
	// maxACRHLines bounds the Access-Control-Request-Headers lines read.
	maxACRHLines = 16
)

// Target is what a server knows about the bucket a request addresses.
// The zero Target is an existing bucket without a CORS configuration,
// addressed by its bucket URL.
type Target struct {
	// Config is the bucket's CORS configuration, nil when it has none.
	Config *Config
	// NoBucket is true when the bucket does not exist.
	NoBucket bool
	// Object is true when the URL names an object key. S3 then reports a
	// refused preflight with ResourceType OBJECT instead of BUCKET.
	Object bool
}

// Evaluate returns S3's CORS answer to a request with the given method and
// header addressed to t. An OPTIONS request is a preflight (spec §3); any
// other method is an actual request (spec §4), which CORS never refuses but
// may leave without CORS headers.
//
// h must have canonical keys, as net/http gives them: Evaluate reads
// "Origin", "Access-Control-Request-Method" and
// "Access-Control-Request-Headers" directly. With several Origin or
// Access-Control-Request-Method lines the first counts; several
// Access-Control-Request-Headers lines count as one comma-separated list.
//
// Evaluate does not allocate, except to join Access-Control-Request-Headers
// sent on several lines. The Result refers to h's values and t.Config.
func Evaluate(method string, h http.Header, t Target) Result {
	res := Result{cfg: t.Config, rule: -1, preflight: method == http.MethodOptions, object: t.Object}
	origin := h["Origin"]
	acrm := first(h["Access-Control-Request-Method"])
	res.acrhLines = h["Access-Control-Request-Headers"]
	if len(origin) > 0 && len(origin[0]) > MaxHeaderValueLen || len(acrm) > MaxHeaderValueLen || !res.acrhWithinBounds() {
		res.outcome = HeaderTooLarge
		return res
	}
	if len(origin) == 0 || origin[0] == "" {
		res.outcome = NoOrigin
		return res
	}
	res.origin = origin[:1:1]
	res.method = method
	if acrm != "" || res.preflight {
		// An actual request that carries Access-Control-Request-Method is
		// judged by it, as S3 does (spec §4).
		res.method = acrm
	}
	switch {
	case t.NoBucket:
		res.outcome = NoBucket
		return res
	case t.Config == nil:
		res.outcome = NoConfig
		return res
	}
	m := methodBit(res.method)
	if m == 0 {
		res.outcome = NoMatch
		if res.preflight {
			res.outcome = InvalidMethod
		}
		return res
	}
	var spans [MaxRequestedHeaders]nameSpan
	acrh := res.acrh()
	names := spans[:splitNames(acrh, &spans)]
	if i := t.Config.match(origin[0], m, acrh, names); i >= 0 {
		res.outcome = Allowed
		res.rule = i
		return res
	}
	res.outcome = NoMatch
	return res
}

// match returns the index of the first rule that admits origin, method m and
// every requested name, or -1. It visits only the rules whose origins admit
// the request's, in rule order, merging the exact-origin index with the
// wildcard patterns.
func (c *Config) match(origin string, m methodSet, acrh string, names []nameSpan) int {
	const none = 1 << 30
	exact := c.origins.lookupExact(origin)
	globs := c.origins.globs
	for {
		next := none
		if len(exact) > 0 {
			next = int(exact[0])
		}
		for len(globs) > 0 && int(globs[0].rule) < next {
			if globs[0].pattern.Match(origin) {
				next = int(globs[0].rule)
				break
			}
			globs = globs[1:]
		}
		if next == none {
			return -1
		}
		for len(exact) > 0 && int(exact[0]) <= next {
			exact = exact[1:]
		}
		for len(globs) > 0 && int(globs[0].rule) <= next {
			globs = globs[1:]
		}
		r := &c.compiled[next]
		if r.methods&m != 0 && r.headers.coversAll(acrh, names) {
			if !validOrigin(origin) {
				return -1
			}
			return next
		}
	}
}

// coversAll reports whether every requested name is admitted.
func (s *headerSet) coversAll(acrh string, names []nameSpan) bool {
	for _, n := range names {
		if !s.covers(acrh[n.lo:n.hi]) {
			return false
		}
	}
	return true
}

// nameSpan locates one name in an Access-Control-Request-Headers value.
// Values are at most MaxHeaderValueLen bytes, so 16 bits suffice.
type nameSpan struct{ lo, hi uint16 }

// splitNames records in spans the names of the comma-separated list s,
// trimmed of spaces and tabs, empty elements dropped (S3 reads
// `content-type,,expires` as two names), and returns how many there are.
// s must hold at most MaxRequestedHeaders elements.
func splitNames(s string, spans *[MaxRequestedHeaders]nameSpan) int {
	n := 0
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], ',')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		lo, hi := start, end
		for lo < hi && (s[lo] == ' ' || s[lo] == '\t') {
			lo++
		}
		for hi > lo && (s[hi-1] == ' ' || s[hi-1] == '\t') {
			hi--
		}
		if lo < hi {
			spans[n] = nameSpan{uint16(lo), uint16(hi)}
			n++
		}
		start = end + 1
	}
	return n
}

// acrhWithinBounds reports whether the Access-Control-Request-Headers
// lines fit MaxHeaderValueLen and MaxRequestedHeaders. Counting commas runs
// at memory speed, so even a 1 MiB value is refused in well under a
// microsecond once its length alone has not already refused it.
func (r *Result) acrhWithinBounds() bool {
	lines := r.acrhLines
	if len(lines) > maxACRHLines {
		return false
	}
	size, elements := 0, 0
	for _, l := range lines {
		size += len(l) + 1
		if size > MaxHeaderValueLen+1 {
			return false
		}
		elements += strings.Count(l, ",") + 1
	}
	return elements <= MaxRequestedHeaders
}

// acrh returns Access-Control-Request-Headers as one comma-separated list.
func (r *Result) acrh() string {
	switch len(r.acrhLines) {
	case 0:
		return ""
	case 1:
		return r.acrhLines[0]
	}
	return strings.Join(r.acrhLines, ",")
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}
