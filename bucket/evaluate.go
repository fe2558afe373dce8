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
	// included, in Access-Control-Request-Headers (all its lines together,
	// as one list). Browsers send a handful. This bound is ours, not S3's:
	// it keeps the work per request small whatever the request holds.
	MaxRequestedHeaders = 64
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

// Request is what S3's CORS reads from a request: its method and three
// header values, an empty value standing for an absent header. Servers
// that do not use net/http fill it in themselves; see [EvaluateRequest].
type Request struct {
	Method string
	// Origin is the Origin header. UNVERIFIED: an empty one counts as
	// absent (spec §3.2 (b)); so does an empty Access-Control-Request-Method.
	Origin string
	// AccessControlRequestMethod is the Access-Control-Request-Method
	// header. An actual request that carries one is judged by it.
	AccessControlRequestMethod string
	// AccessControlRequestHeaders is the Access-Control-Request-Headers
	// header, its lines joined by commas.
	AccessControlRequestHeaders string
}

// Evaluate returns S3's CORS answer to a request with the given method and
// header addressed to t. An OPTIONS request is a preflight (spec §3); any
// other method is an actual request (spec §4), which CORS never refuses but
// may leave without CORS headers.
//
// h must have canonical keys, as net/http gives them: Evaluate reads
// "Origin", "Access-Control-Request-Method" and
// "Access-Control-Request-Headers" directly. With several Origin or
// Access-Control-Request-Method lines the first counts (UNVERIFIED: no
// capture of S3 shows it; browsers send one of each, and the first is what
// a server's Header.Get reads); several Access-Control-Request-Headers
// lines count as one comma-separated list. An actual request whose Origin
// no rule admits is answered without reading
// Access-Control-Request-Headers.
//
// Evaluate does not allocate, except to join Access-Control-Request-Headers
// sent on several lines. Nor does [Result.WriteHeaders] with its Result,
// which echoes h's own values, but to build Access-Control-Allow-Headers
// when S3's form of it differs from the request's value and the Config
// has not built it lately (see there). The Result refers to h's values
// and t.Config.
func Evaluate(method string, h http.Header, t Target) (r Result) {
	r.evaluateHeader(method, h["Origin"], h, &t, nil)
	return r
}

// evaluateHeader is Evaluate with the Origin lines already read and, for
// an actual request, what originHits found, or nil to look it up.
func (r *Result) evaluateHeader(method string, origin []string, h http.Header, t *Target, hits *originHits) {
	req := Request{Method: method, Origin: first(origin), AccessControlRequestMethod: first(h["Access-Control-Request-Method"])}
	var found originHits
	if method != http.MethodOptions {
		if hits == nil {
			found = t.originHits(req.Origin)
			hits = &found
		}
		if !hits.any {
			// The method asked about is known, for Result.Method; the
			// requested headers matter to no rule.
			r.evaluate(&req, t, hits)
			return
		}
	}
	acrh := h["Access-Control-Request-Headers"]
	switch {
	case len(acrh) == 1:
		req.AccessControlRequestHeaders = acrh[0]
	case totalLen(acrh) > MaxHeaderValueLen:
		req.AccessControlRequestHeaders = tooLong
	case len(acrh) > 1:
		req.AccessControlRequestHeaders = strings.Join(acrh, ",")
	}
	r.evaluate(&req, t, hits)
	if len(origin) > 0 {
		r.originLine = (*[1]string)(origin)
	}
	if len(acrh) == 1 {
		r.acrhLine = (*[1]string)(acrh)
	}
}

// tooLong stands for Access-Control-Request-Headers lines longer
// together than MaxHeaderValueLen, which Evaluate does not join.
var tooLong = strings.Repeat(" ", MaxHeaderValueLen+1)

// totalLen returns the length of lines joined by commas.
func totalLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return n - 1
}

// EvaluateRequest is [Evaluate] for a request already reduced to the
// values CORS reads. Its Result answers the same; writing it allocates
// the one-element slice that holds an echoed Origin, which Evaluate takes
// from the request instead, and Access-Control-Allow-Headers is built (or
// found among those the Config remembers, see [Result.WriteHeaders]) even
// when the request's value is already S3's answer, which Evaluate echoes.
func EvaluateRequest(req Request, t Target) (r Result) {
	var hits originHits
	if req.Method != http.MethodOptions {
		hits = t.originHits(req.Origin)
	}
	r.evaluate(&req, &t, &hits)
	return r
}

// originHits is what the first look at an actual request's Origin found.
type originHits struct {
	// rules are the rules whose AllowedOrigins admit the Origin, none when
	// it is no valid origin.
	rules ruleSet
	// any is false when no AllowedOrigin admits the Origin: the request
	// then gets no CORS headers, whatever its other headers say. It is
	// true when the Origin is missing or too long, or the bucket or its
	// configuration is: evaluateActual says which outcome.
	any bool
}

// originHits looks up an actual request's Origin.
func (t *Target) originHits(origin string) originHits {
	if origin == "" || len(origin) > MaxHeaderValueLen || t.NoBucket || t.Config.none() {
		return originHits{any: true}
	}
	return t.Config.origins.admitting(origin)
}

// evaluate answers req. For an actual request, hits holds what
// originHits found.
func (r *Result) evaluate(req *Request, t *Target, hits *originHits) {
	*r = Result{cfg: t.Config, rule: -1, object: t.Object, origin: req.Origin, acrh: req.AccessControlRequestHeaders}
	if req.Method == http.MethodOptions {
		r.preflight = true
		r.evaluatePreflight(req, t)
	} else {
		r.evaluateActual(req, t, hits)
	}
}

// evaluatePreflight follows the order of checks of spec §3.1, after
// refusing oversized headers as S3 refuses an oversized header section.
func (r *Result) evaluatePreflight(req *Request, t *Target) {
	r.method = req.AccessControlRequestMethod
	switch {
	case len(req.Origin) > MaxHeaderValueLen || len(r.method) > MaxHeaderValueLen || len(r.acrh) > MaxHeaderValueLen:
		r.method, r.origin, r.acrh = "", "", ""
		r.outcome = HeaderTooLarge
	case req.Origin == "":
		r.outcome = NoOrigin
	case t.NoBucket:
		// 403, as LocalStack recorded S3 answering in 2023; Scality's
		// 2017 suite expected 400 BadRequest (spec §3.1, §7). The
		// answer itself is refusal's.
		r.outcome = NoBucket
	case t.Config.none():
		r.outcome = NoConfig
	default:
		m := methodBit(r.method)
		if m == 0 {
			r.outcome = InvalidMethod
			return
		}
		r.match(m, t.Config.origins.admitting(req.Origin).rules)
	}
}

// match sets the outcome from the first of rules, which admit the origin,
// that admits method m and every requested name.
func (r *Result) match(m methodSet, rules ruleSet) {
	if !fewEnoughNames(r.acrh) {
		r.outcome = TooManyHeaders
		return
	}
	if i := r.cfg.firstRule(rules, m, r.acrh); i >= 0 {
		r.outcome, r.rule = Allowed, int16(i)
	} else {
		r.outcome = NoMatch
	}
}

// evaluateActual follows spec §4; hits is what originHits found.
func (r *Result) evaluateActual(req *Request, t *Target, hits *originHits) {
	r.method = req.Method
	if req.AccessControlRequestMethod != "" {
		// An actual request that carries Access-Control-Request-Method is
		// judged by it, as S3 does.
		r.method = req.AccessControlRequestMethod
	}
	if !hits.any {
		r.outcome = NoMatch // no rule admits the Origin: nothing else matters
		if len(r.method) > MaxHeaderValueLen {
			r.method = "" // as HeaderTooLarge keeps none
		}
		// Evaluate does not read the requested headers here, and
		// EvaluateRequest answers the same: a value of any length kept
		// would reach Trace, whose spans hold MaxHeaderValueLen at most.
		r.acrh = ""
		return
	}
	switch {
	case req.Origin == "":
		r.outcome = NoOrigin
	case len(req.Origin) > MaxHeaderValueLen || len(r.method) > MaxHeaderValueLen || len(r.acrh) > MaxHeaderValueLen:
		r.method, r.origin, r.acrh = "", "", ""
		r.outcome = HeaderTooLarge
	case t.NoBucket:
		r.outcome = NoBucket
	case t.Config.none():
		r.outcome = NoConfig
	default:
		r.outcome = NoMatch
		if m := methodBit(r.method); m != 0 {
			r.match(m, hits.rules)
		}
	}
}

// firstRule returns the first of rules that admits method m and every
// name requested in acrh, or -1. Visiting them lowest first is visiting
// them in S3's order, whichever index found them.
func (c *Config) firstRule(rules ruleSet, m methodSet, acrh string) int {
	for i := rules.pop(); i >= 0; i = rules.pop() {
		if c.compiled[i].methods&m != 0 {
			if acrh == "" {
				return i
			}
			return c.firstRuleNames(i, rules, m, acrh)
		}
	}
	return -1
}

// firstRuleNames is firstRule from rule i on, the first rule that admits
// the method, when headers are requested: the names are split once, and
// only when a rule is to be asked about them.
func (c *Config) firstRuleNames(i int, rules ruleSet, m methodSet, acrh string) int {
	var spans [MaxRequestedHeaders]nameSpan
	names := spans[:splitNames(acrh, &spans)]
	for ; i >= 0; i = rules.pop() {
		if r := &c.compiled[i]; r.methods&m != 0 && r.headers.coversAll(acrh, names) {
			return i
		}
	}
	return -1
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
// "content-type,,expires" as two names), and returns how many there are.
// s must hold at most MaxRequestedHeaders elements.
func splitNames(s string, spans *[MaxRequestedHeaders]nameSpan) int {
	n := 0
	for start := 0; start <= len(s); {
		end := start + strings.IndexByte(s[start:], ',')
		if end < start {
			end = len(s)
		}
		lo, hi := start, end
		for lo < hi && isOWS(s[lo]) {
			lo++
		}
		for hi > lo && isOWS(s[hi-1]) {
			hi--
		}
		if lo < hi {
			if n == len(spans) {
				break // callers check fewEnoughNames first; never overrun
			}
			spans[n] = nameSpan{uint16(lo), uint16(hi)}
			n++
		}
		start = end + 1
	}
	return n
}

// fewEnoughNames reports whether an Access-Control-Request-Headers value
// holds at most MaxRequestedHeaders elements. Counting commas runs at
// memory speed, and a value too short to hold too many is not counted.
func fewEnoughNames(acrh string) bool {
	return len(acrh) < MaxRequestedHeaders || strings.Count(acrh, ",") < MaxRequestedHeaders
}

// first returns the first of a header's values, "" for none: a request
// that repeats Origin or Access-Control-Request-Method is judged by its
// first line, as Header.Get reads it. UNVERIFIED: S3's answer to a
// repeated header is not recorded (TestRepeatedHeadersJudgedByFirst).
func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// isOWS reports whether c is optional white space around a list element.
func isOWS(c byte) bool { return c == ' ' || c == '\t' }
