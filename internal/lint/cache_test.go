package lint

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/s3route"
)

func TestCacheWithoutVary(t *testing.T) {
	t.Parallel()
	r := func(methods []string, origins ...string) corsrule.Rule {
		return corsrule.Rule{AllowedOrigins: origins, AllowedMethods: methods}
	}
	get, head, put := []string{"GET"}, []string{"HEAD"}, []string{"PUT"}
	tests := []struct {
		name  string
		rules []corsrule.Rule
		rule  int    // the rule the finding is about; 0 for none
		why   string // a part of Why: the origins it names
	}{
		{"two origins", []corsrule.Rule{r(get, "https://example.com", "https://www.example.com")},
			1, `each origin matching "https://example.com" or "https://www.example.com" with that origin`},
		{"a pattern admits many origins", []corsrule.Rule{r(get, "https://*.example.com")},
			1, `each origin matching "https://*.example.com" with`},
		{"any port", []corsrule.Rule{r(get, "http://localhost:*")}, 1, `"http://localhost:*"`},
		{"origins spread over rules", []corsrule.Rule{r(put, "https://up.example.com"), r(get, "https://a.example.com"), r([]string{"GET", "HEAD"}, "https://b.example.com")},
			2, `"https://a.example.com" or "https://b.example.com"`},
		{"echoing rules before the * rule", []corsrule.Rule{r(get, "https://a.example.com"), r(get, "https://b.example.com"), r(get, "*")},
			1, `"https://a.example.com" or "https://b.example.com"`},
		// Two answers as surely as two sites (audit17): the site's own
		// origin, "*" for every other.
		{"one origin, then * for the others", []corsrule.Rule{r([]string{"GET", "PUT"}, "https://app.example.com"), r(put, "https://up.example.com"), r(get, "*")},
			1, `matching "https://app.example.com" with that origin in Access-Control-Allow-Origin, a GET from any other origin with "*", and`},
		{"a pattern, then * for the others", []corsrule.Rule{r(get, "https://*.example.com"), r([]string{"HEAD", "GET"}, "https://a.example.com", "*")},
			1, `"https://*.example.com" with that origin in Access-Control-Allow-Origin, a GET from any other origin with "*"`},
		{"more than three named", []corsrule.Rule{r(get, "https://a.example", "https://b.example", "https://c.example", "https://d.example", "https://e.example")},
			1, `"https://a.example", "https://b.example", "https://c.example" or the 2 others listed`},

		// One copy serves every page: quiet.
		{"one origin", []corsrule.Rule{r(get, "http://localhost:8000")}, 0, ""},
		{"the same origin twice", []corsrule.Rule{r(get, "https://example.com"), r(get, "https://example.com")}, 0, ""},
		{"any origin", []corsrule.Rule{r(get, "*")}, 0, ""},
		{"* listed beside others answers *", []corsrule.Rule{r(get, "https://a.example.com", "*", "https://b.example.com")}, 0, ""},
		{"the * rule answers first", []corsrule.Rule{r(get, "*"), r(get, "https://a.example.com", "https://b.example.com")}, 0, ""},
		// No GET: nothing a page loads is cached.
		{"uploads only", []corsrule.Rule{r(put, "https://a.example.com", "https://b.example.com")}, 0, ""},
		{"HEAD only", []corsrule.Rule{r(head, "https://*.example.com")}, 0, ""},
		{"GET for one origin, PUT for another", []corsrule.Rule{r(get, "https://a.example.com"), r(put, "https://b.example.com")}, 0, ""},
		// Origins with their own finding wait for it to be fixed.
		{"a trailing slash never matches", []corsrule.Rule{r(get, "https://a.example.com", "https://b.example.com/")}, 0, ""},
		{"a wildcard admitting other people's sites", []corsrule.Rule{r(get, "https://*example.com")}, 0, ""},
		{"null", []corsrule.Rule{r(get, "https://a.example.com", "null")}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := bucket.Validate(tc.rules); err != nil {
				t.Fatalf("S3 would refuse it: %v", err)
			}
			var got []Finding
			for _, f := range Check(tc.rules) {
				if f.ID == IDCacheWithoutVary {
					got = append(got, f)
				}
			}
			if tc.rule == 0 {
				if len(got) > 0 {
					t.Errorf("unexpected %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d cache-without-vary findings, want 1: %v", len(got), got)
			}
			f := got[0]
			if f.Rule != tc.rule || f.Field != "" || f.Value != "" || f.HasValue() || !strings.Contains(f.Why, tc.why) || f.Fix == "" {
				t.Errorf("finding %+v\nwant rule %d, no field or value, Why containing %q", f, tc.rule, tc.why)
			}
		})
	}
}

// The cache-without-vary finding claims that the configuration answers a
// GET from different origins a browser sends with different
// Access-Control-Allow-Origin values (each its own, or its own and "*"),
// and a GET without Origin with no CORS header and no Vary; and lint
// stays quiet when every origin that gets an answer gets the same one,
// once the origins with a finding of their own are left out.
// TestCacheWithoutVarySound checks both against the evaluator on random
// configurations, with every origin a browser could send that the pool
// of patterns singles out, and one that none of them names.

// isBrowserOrigin reports whether o is what a browser sends as Origin for
// an http or https page on a named host: a lower-case host, and a port
// only when it is not the scheme's default.
func isBrowserOrigin(o string) bool {
	scheme, hostport, ok := strings.Cut(o, "://")
	if !ok || scheme != "http" && scheme != "https" {
		return false
	}
	host, port, hasPort := strings.Cut(hostport, ":")
	for _, label := range strings.Split(host, ".") {
		if label == "" || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	if last := host[strings.LastIndexByte(host, '.')+1:]; last[0] < 'a' || last[0] > 'z' {
		return false // a number would be an IP address, which browsers write otherwise
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return false
		}
		if scheme == "https" && n == 443 || scheme == "http" && n == 80 || slices.Contains(wptBadPorts, n) {
			return false
		}
	}
	return true
}

var cacheOriginPool = []string{
	"https://a.example.com", "https://b.example.com", "https://*.example.com", "http://localhost:*",
	"*", "https://*", "https://a.example.com/", "https://*example.com", "null", "HTTPS://B.example.com",
	"https://a.example.com:443",
}

// fills are what the tests put in place of a pattern's `*`.
var fills = []string{"x", "y", "8080", "8081", "x.y", ""}

func randCacheConfig(r *rand.Rand) []corsrule.Rule {
	rules := make([]corsrule.Rule, 1+r.IntN(3))
	for i := range rules {
		rules[i].AllowedOrigins = randSubset(r, cacheOriginPool[:r.IntN(len(cacheOriginPool))+1], 1)
		rules[i].AllowedMethods = randSubset(r, methodPool, 1)
	}
	return rules
}

// otherSite is an origin no pattern in cacheOriginPool names but "*" and
// "https://*": what a page on any other site sends.
const otherSite = "https://elsewhere.test"

// allowOrigins returns the distinct Access-Control-Allow-Origin values
// that GETs get from rules, from the browser origins that patterns
// single out and from otherSite, and how many of those values are the
// request's own origin. It also checks that a GET without Origin gets no
// header at all.
func allowOrigins(t *testing.T, rules []corsrule.Rule, patterns []string) (values []string, echoed int) {
	cfg, err := bucket.New(rules)
	if err != nil {
		t.Fatalf("generated an invalid configuration %+v: %v", rules, err)
	}
	origins := []string{otherSite}
	for _, p := range patterns {
		for _, fill := range fills {
			if o := strings.Replace(p, "*", fill, 1); isBrowserOrigin(o) && !slices.Contains(origins, o) {
				origins = append(origins, o)
			}
		}
	}
	for _, o := range origins {
		h := http.Header{}
		bucket.Evaluate(http.MethodGet, http.Header{"Origin": {o}}, bucket.Target{Config: cfg}).WriteHeaders(h)
		if v := h.Get("Access-Control-Allow-Origin"); v != "" && !slices.Contains(values, v) {
			values = append(values, v)
			if v == o {
				echoed++
			}
		}
	}
	h := http.Header{}
	bucket.Evaluate(http.MethodGet, http.Header{}, bucket.Target{Config: cfg}).WriteHeaders(h)
	if len(h) != 0 {
		t.Fatalf("a GET without Origin gets headers %v from %+v", h, rules)
	}
	return values, echoed
}

func TestCacheWithoutVarySound(t *testing.T) {
	t.Parallel()
	reported, reportedWithStar, quiet, quietEchoing := 0, 0, 0, 0
	for seed := range uint64(3000) {
		rules := randCacheConfig(rand.New(rand.NewPCG(seed, 0xcace)))
		findings := Check(rules)
		if slices.ContainsFunc(findings, func(f Finding) bool { return f.ID == IDCacheWithoutVary }) {
			values, echoed := allowOrigins(t, rules, cacheOriginPool)
			if len(values) < 2 || echoed == 0 {
				t.Fatalf("cache-without-vary for %+v, but GETs get only %q", rules, values)
			}
			if slices.Contains(values, "*") {
				reportedWithStar++
			}
			reported++
			continue
		}
		// Quiet: without the origins lint reports a mistake in, every
		// origin answered gets the same answer.
		var clean []corsrule.Rule
		for _, r := range rules {
			r.AllowedOrigins = slices.DeleteFunc(slices.Clone(r.AllowedOrigins), func(o string) bool {
				return slices.ContainsFunc(findings, func(f Finding) bool {
					return f.Field == fieldOrigin && f.Value == o && strings.HasPrefix(f.ID, "origin-")
				})
			})
			if len(r.AllowedOrigins) > 0 {
				clean = append(clean, r)
			}
		}
		quiet++
		if len(clean) == 0 {
			continue
		}
		values, echoed := allowOrigins(t, clean, cacheOriginPool)
		if len(values) > 1 {
			t.Fatalf("no cache-without-vary for %+v, though GETs get %q (from %+v)", rules, values, clean)
		}
		if echoed == 1 {
			quietEchoing++
		}
	}
	t.Logf("%d configurations reported (%d with \"*\" among the answers), %d quiet (%d of them echoing one origin)", reported, reportedWithStar, quiet, quietEchoing)
	if reported < 300 || reportedWithStar < 100 || quiet < 300 || quietEchoing < 100 {
		t.Errorf("only %d reported (%d with \"*\"), %d quiet and %d quiet with one echoed origin: the generator no longer covers both sides", reported, reportedWithStar, quiet, quietEchoing)
	}
}

func TestIsBrowserOrigin(t *testing.T) {
	t.Parallel()
	for o, want := range map[string]bool{
		"https://a.example.com": true, "http://localhost:8080": true, "https://x.example.com:8443": true,
		"https://x.y.example.com": true, "http://localhost:443": true, "https://x": true,
		"https://a.example.com:443": false, "http://localhost:80": false, "http://localhost:": false,
		"https://a.example.com/": false, "HTTPS://B.example.com": false, "null": false, "https://": false,
		"http://localhost:x": false, "https://.example.com": false, "https://8080": false, "http://localhost:080": false,
	} {
		if got := isBrowserOrigin(o); got != want {
			t.Errorf("isBrowserOrigin(%q) = %v, want %v", o, got, want)
		}
	}
}

// TestCacheFixQueryReadsTheObject checks that each query string the
// cache-without-vary fix suggests for CORS loads still reads the object:
// S3 answers GET /b/k?cors with the bucket's CORS configuration, not the
// object (see s3route's atKey), so a query naming one of S3's
// subresources would break the load it is meant to fix.
func TestCacheFixQueryReadsTheObject(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{{AllowedOrigins: []string{"https://example.com", "https://www.example.com"}, AllowedMethods: []string{"GET"}}}
	i := slices.IndexFunc(Check(rules), func(f Finding) bool { return f.ID == IDCacheWithoutVary })
	if i < 0 {
		t.Fatalf("no cache-without-vary finding for %+v", rules)
	}
	fix := Check(rules)[i].Fix
	queries := regexp.MustCompile(`\?[A-Za-z0-9=&._-]+`).FindAllString(fix, -1)
	if len(queries) == 0 {
		t.Fatalf("the fix names no query string: %q", fix)
	}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			values, err := url.ParseQuery(q[1:])
			if err != nil {
				t.Fatal(err)
			}
			a := s3route.Address{Bucket: "my-assets", Key: "fonts/brand.ttf", Style: s3route.PathStyle}
			if op, sub := s3route.Classify(http.MethodGet, a, values, http.Header{}); op != s3route.GetObject {
				t.Errorf("GET /my-assets/fonts/brand.ttf%s is %s (subresource %q) on S3, not GetObject", q, op, sub)
			}
		})
	}
}
