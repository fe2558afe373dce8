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
	res := Result{cfg: t.Config, rule: -1, object: t.Object}
	if method == http.MethodOptions {
		res.preflight = true
		res.evaluatePreflight(h, t)
	} else {
		res.evaluateActual(method, h, t)
	}
	return res
}

// evaluatePreflight follows the order of checks of spec §3.1, after
// refusing oversized headers as S3 refuses an oversized header section.
func (r *Result) evaluatePreflight(h http.Header, t Target) {
	origin, acrm, acrh := h["Origin"], h["Access-Control-Request-Method"], h["Access-Control-Request-Headers"]
	r.method = first(acrm)
	switch {
	case len(first(origin)) > MaxHeaderValueLen || len(r.method) > MaxHeaderValueLen || !acrhWithinBounds(acrh):
		r.method = ""
		r.outcome = HeaderTooLarge
	case first(origin) == "":
		r.outcome = NoOrigin
	case t.NoBucket:
		r.outcome = NoBucket
	case t.Config == nil:
		r.outcome = NoConfig
	default:
		r.origin = (*[1]string)(origin)
		m := methodBit(r.method)
		if m == 0 {
			r.outcome = InvalidMethod
			return
		}
		r.setACRH(acrh)
		r.match(m, t.Config.origins.lookupExact(origin[0]))
	}
}

// evaluateActual follows spec §4. Every way of not matching has the same
// effect, no CORS headers, so it stops as early as it can: when no rule
// admits the Origin, it never reads the other headers.
func (r *Result) evaluateActual(method string, h http.Header, t Target) {
	origin := h["Origin"]
	switch {
	case first(origin) == "":
		r.outcome = NoOrigin
		return
	case len(origin[0]) > MaxHeaderValueLen:
		r.outcome = HeaderTooLarge
		return
	case t.NoBucket:
		r.outcome = NoBucket
		return
	case t.Config == nil:
		r.outcome = NoConfig
		return
	}
	r.origin = (*[1]string)(origin)
	r.method = method
	r.outcome = NoMatch
	exact := t.Config.origins.lookupExact(origin[0])
	if len(exact) == 0 && !t.Config.origins.anyGlobMatches(origin[0]) {
		return
	}
	if acrm := first(h["Access-Control-Request-Method"]); acrm != "" {
		// An actual request that carries Access-Control-Request-Method is
		// judged by it, as S3 does.
		r.method = acrm
	}
	acrh := h["Access-Control-Request-Headers"]
	if len(r.method) > MaxHeaderValueLen || !acrhWithinBounds(acrh) {
		r.outcome = HeaderTooLarge
		return
	}
	if m := methodBit(r.method); m != 0 {
		r.setACRH(acrh)
		r.match(m, exact)
	}
}

// setACRH keeps the Access-Control-Request-Headers lines as one list.
func (r *Result) setACRH(lines []string) {
	switch len(lines) {
	case 0:
	case 1:
		r.acrh, r.acrhLine = lines[0], (*[1]string)(lines)
	default:
		r.acrh = strings.Join(lines, ",")
	}
}

// match sets the outcome from the first rule that admits the origin,
// method m and every requested name.
func (r *Result) match(m methodSet, exact []uint8) {
	if i := r.cfg.match(r.origin[0], m, exact, r.acrh); i >= 0 {
		r.outcome, r.rule = Allowed, int16(i)
	} else {
		r.outcome = NoMatch
	}
}

// match returns the index of the first rule that admits origin, method m and
// every name requested in acrh, or -1. exact holds the rules that list
// origin verbatim. It visits only the rules whose origins admit the
// request's, in rule order, merging exact with the wildcard patterns.
func (c *Config) match(origin string, m methodSet, exact []uint8, acrh string) int {
	var spans [MaxRequestedHeaders]nameSpan
	var names []nameSpan
	if acrh != "" {
		names = spans[:splitNames(acrh, &spans)]
	}
	const none = 1 << 30
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
func acrhWithinBounds(lines []string) bool {
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

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}
