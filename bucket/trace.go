package bucket

import (
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
)

// RuleTrace says how one rule fared against a request, for people asking
// why a request was or was not allowed.
type RuleTrace struct {
	// Rule is the rule's 0-based index; ID is its ID, if any.
	Rule int
	ID   string
	// Origin is the first AllowedOrigin whose pattern matches the
	// request's Origin; OriginMatched is false when none does. They judge
	// the patterns alone: an Origin that is not a serialized origin
	// (printable ASCII without spaces) may match one, yet no rule admits
	// it (see Matched).
	Origin        string
	OriginMatched bool
	// MethodAllowed says whether AllowedMethods holds the method asked about.
	MethodAllowed bool
	// UncoveredHeader is the first requested header name (as sent) that no
	// AllowedHeader admits; HeadersCovered is true when there is none.
	UncoveredHeader string
	HeadersCovered  bool
	// UncoveredHeaders are every requested header name (as sent) that no
	// AllowedHeader admits, in the order requested, each once (ignoring
	// case); UncoveredHeader is the first.
	UncoveredHeaders []string
	// Matched is true when all three hold and the Origin is a
	// serialized origin. The first rule that matches answers the request.
	Matched bool
	// Reason says in a sentence why the rule did not match; "" if it did.
	Reason string
}

// Trace returns, rule by rule, why each rule of the configuration did or
// did not match the request. It returns nil when the request never reached
// the rules: no Origin, no bucket, no configuration, a preflight whose
// Access-Control-Request-Method is missing or not one of the five methods,
// or headers over the bounds. An actual request reaches the rules whatever
// its method (a PATCH is refused by each rule's AllowedMethods). Trace is
// meant for explaining, not for serving: it allocates.
func (r Result) Trace() []RuleTrace {
	if r.outcome != Allowed && r.outcome != NoMatch || r.origin == "" || !fewEnoughNames(r.acrh) {
		return nil
	}
	origin := r.origin
	var spans [MaxRequestedHeaders]nameSpan
	acrh := r.acrh
	names := spans[:splitNames(acrh, &spans)]
	m := methodBit(r.method)
	traces := make([]RuleTrace, len(r.cfg.rules))
	for i := range r.cfg.rules {
		rule, cr := &r.cfg.rules[i], &r.cfg.compiled[i]
		t := RuleTrace{Rule: i, ID: rule.ID, MethodAllowed: cr.methods&m != 0, HeadersCovered: true}
		for _, o := range rule.AllowedOrigins {
			if corsrule.OriginPattern(o).Match(origin) {
				t.Origin, t.OriginMatched = o, true
				break
			}
		}
		t.UncoveredHeaders = uncovered(acrh, names, cr.headers)
		if len(t.UncoveredHeaders) > 0 {
			t.UncoveredHeader, t.HeadersCovered = t.UncoveredHeaders[0], false
		}
		valid := validOrigin(origin)
		t.Matched = t.OriginMatched && t.MethodAllowed && t.HeadersCovered && valid
		switch {
		case !valid:
			// UNVERIFIED, as validOrigin says: the choice is s3cors's.
			t.Reason = "the Origin " + strconv.Quote(origin) + " is not a serialized origin (printable ASCII without spaces): s3cors lets no rule admit it, lest an answer echo it (S3's answer to it is not recorded)"
		case !t.OriginMatched:
			t.Reason = "no AllowedOrigin admits " + strconv.Quote(origin)
		case !t.MethodAllowed:
			t.Reason = "AllowedMethods does not hold " + strconv.Quote(r.method)
		case !t.HeadersCovered:
			t.Reason = "no AllowedHeader admits the requested header " + strconv.Quote(t.UncoveredHeader)
			if len(t.UncoveredHeaders) > 1 {
				t.Reason = "no AllowedHeader admits the requested headers " + quoteAll(t.UncoveredHeaders)
			}
		}
		traces[i] = t
	}
	return traces
}

// uncovered returns the names of acrh, split at names, that headers does
// not cover, in order, each once ignoring case; nil when it covers all.
func uncovered(acrh string, names []nameSpan, headers headerSet) []string {
	var out []string
	for _, n := range names {
		name := acrh[n.lo:n.hi]
		if !headers.covers(name) && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, name) }) {
			out = append(out, name)
		}
	}
	return out
}

// quoteAll quotes names and joins them with ", ".
func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}
