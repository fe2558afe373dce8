package lint

import (
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
)

// What S3 sends decides what a cache in front of a bucket may reuse. A GET
// that a rule admits gets Access-Control-Allow-Origin, "*" when the rule
// lists the bare "*" and the request's own Origin otherwise, and "Vary:
// Origin, Access-Control-Request-Headers, Access-Control-Request-Method".
// A GET without Origin (a <link>, <img> or <script> without crossorigin, a
// preload without it, a visit to the URL) gets no CORS header and no Vary.
// A cache that stored that answer gives it to the next request for the
// URL, the browser's own included: Chromium then blocks the font, the
// crossorigin script or image, without asking the bucket again, until the
// copy goes stale (see browsertest's cache-trap cases). Every bucket that
// browsers read has this trap; no configuration avoids it, so lint does
// not report it everywhere.
//
// It reports the configurations that make it worse: those that answer a
// GET from different origins with different Access-Control-Allow-Origin
// values, several origins each with its own, or one with its own and the
// others "*" (audit17: a site's own origin in a first rule, then a rule
// for everyone, gives two answers as surely as two sites do). Then no
// single cached copy serves every page that loads the object: a cache
// that keeps one copy per URL (a CDN whose cache key leaves Origin out)
// hands one origin's answer to the others, whichever was asked first.
// With one such origin alone, or "*" for all, one copy serves every page,
// and only the answer without Origin is a trap.

// cacheOrigins returns the AllowedOrigins that make a GET's answer carry
// the request's own origin, in the order of the rules that list them,
// without repeats, and the index of the first of those rules; anyElse
// says whether a later rule answers a GET from every other origin with
// "*". It stops at the first rule that allows GET and lists the bare
// "*": that rule answers every origin no earlier rule answered, and later
// rules never answer a GET. Origins lint reports a mistake in (never
// matched, or admitting other people's sites) are left out: their own
// findings come first.
func cacheOrigins(rules []corsrule.Rule) (origins []string, first int, anyElse bool) {
	first = -1
	for i := range rules {
		r := &rules[i]
		if !slices.Contains(r.AllowedMethods, "GET") {
			continue
		}
		if slices.Contains(r.AllowedOrigins, "*") {
			return origins, first, true
		}
		for _, o := range r.AllowedOrigins {
			if slices.Contains(origins, o) || originHasMistake(o) {
				continue
			}
			origins = append(origins, o)
			if first < 0 {
				first = i
			}
		}
	}
	return origins, first, false
}

// originHasMistake reports whether lint finds anything wrong with o alone.
func originHasMistake(o string) bool {
	c := &checker{n: 1, r: &corsrule.Rule{AllowedOrigins: []string{o}}}
	c.origin(0, o, nil)
	return len(c.found) > 0
}

// cacheWithoutVary returns the cache-without-vary finding of the
// configuration and the index of the rule it is about, or -1.
func cacheWithoutVary(rules []corsrule.Rule) (Finding, int) {
	origins, first, anyElse := cacheOrigins(rules)
	if len(origins) == 0 || len(origins) == 1 && !strings.Contains(origins[0], "*") && !anyElse {
		return Finding{}, -1
	}
	const shown = 3
	quoted := make([]string, 0, shown+1)
	for _, o := range origins[:min(len(origins), shown)] {
		quoted = append(quoted, strconv.Quote(o))
	}
	if len(origins) > shown {
		quoted = append(quoted, "the "+strconv.Itoa(len(origins)-shown)+" others listed")
	}
	answers := "each origin matching " + JoinOr(quoted) + " with that origin in Access-Control-Allow-Origin"
	if anyElse {
		answers += `, a GET from any other origin with "*"`
	}
	return Finding{ID: IDCacheWithoutVary, Rule: first + 1, Index: noIndex,
		Why: "S3 answers a GET from " + answers + ", and a GET without Origin (an <img>, <script> or preload without crossorigin, a visit) with no CORS header and no Vary, so a cache that keeps one copy per URL (a CDN that leaves Origin out of its cache key, or the browser after a load without crossorigin) hands one origin's answer, or the answer without Origin, to the other pages, whose fonts, crossorigin scripts and images stay blocked until it expires.",
		Fix: "Put Origin in the cache key of every CDN in front of the bucket (CloudFront: list it in the cache policy; an origin request policy only forwards it); crossorigin attributes and URLs of their own do not stop a CDN that leaves it out handing one origin's answer to another. Against the browser's own cache, which reuses an answer without Origin, also add crossorigin to every <img>, <script> and preload of these objects, or give CORS loads their own URL (a query string such as ?crossorigin, which S3 ignores; not cors, acl or another S3 subresource, which S3 answers instead of the object).",
	}, first
}
