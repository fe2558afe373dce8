package bucket

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// linearAdmitting is what the tries replace: every wildcard origin tried
// in turn.
func linearAdmitting(globs []originGlob, origin string) ruleSet {
	var rules ruleSet
	for i := range globs {
		if globs[i].pattern.Match(origin) {
			rules.add(globs[i].rule)
		}
	}
	return rules
}

// TestGlobTries holds the tries to trying every wildcard origin in turn,
// on keys built to share, split and nest: keys that are prefixes of
// others, the same key in several rules, keys that end where another's
// edge is split, and origins shorter than the keys.
func TestGlobTries(t *testing.T) {
	t.Parallel()
	pieces := []string{"", "a", "b", "ab", "ba", "aa", ".", ".a", "a.", "example.com", ".example.com", "https://", "http://", ":", ":8080", "x"}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		s := ""
		for range rng.IntN(4) {
			s += pieces[rng.IntN(len(pieces))]
		}
		return s
	}
	for round := range 300 {
		var rules []corsrule.Rule
		for range 1 + rng.IntN(20) {
			var origins []string
			for range 1 + rng.IntN(6) {
				origins = append(origins, word()+"*"+word())
			}
			rules = append(rules, corsrule.Rule{AllowedOrigins: origins, AllowedMethods: []string{"GET"}})
		}
		var globs []originGlob
		for i, r := range rules {
			for _, o := range r.AllowedOrigins {
				if o != "*" {
					globs = append(globs, newOriginGlob(o, i))
				}
			}
		}
		tries := newGlobTries(globs) // whatever their number
		for range 200 {
			origin := word() + word() + word()
			var got ruleSet
			tries.admitting(origin, globs, &got)
			if want := linearAdmitting(globs, origin); got != want {
				t.Fatalf("round %d, origin %q: tries admit rules %b, trying each %b; rules %v", round, origin, got, want, rules)
			}
		}
	}
}

// TestGlobTriesManyRules checks the shapes of the issue that asked for
// the index, a thousand distinct wildcard origins over a hundred rules,
// against trying each in turn, for origins that match one and origins
// that almost do.
func TestGlobTriesManyRules(t *testing.T) {
	t.Parallel()
	rules := manyWildcardRules(1000)
	idx := newOriginIndex(rules)
	if len(idx.globs) != 1000 || idx.tries == nil || len(idx.tries.prefixes.nodes) < 2 || len(idx.tries.suffixes.nodes) < 2 {
		t.Fatalf("%d globs, tries %v", len(idx.globs), idx.tries != nil)
	}
	for n := range 1004 {
		d := strconv.Itoa(n)
		for _, origin := range []string{"https://a.tenant" + d + ".example.com", "http://localhost" + d + ":8080", "x.suffix" + d,
			"prefix" + d + "x", "https://tenant" + d + ".example.com", "http://localhost" + d, "suffix" + d, "prefi" + d} {
			got := idx.admitting(origin).rules
			if want := linearAdmitting(idx.globs, origin); got != want {
				t.Fatalf("origin %q: tries admit rules %b, trying each %b", origin, got, want)
			}
		}
	}
}

// manyWildcardRules returns n distinct wildcard origins of the four
// shapes users write, spread over the 100 rules S3 allows, in turn.
func manyWildcardRules(n int) []corsrule.Rule {
	rules := make([]corsrule.Rule, min(n, corsrule.MaxRules))
	for i := range n {
		d := strconv.Itoa(i)
		o := [...]string{"https://*.tenant" + d + ".example.com", "http://localhost" + d + ":*", "*.suffix" + d, "prefix" + d + "*"}[i%4]
		r := &rules[i*len(rules)/n]
		r.AllowedOrigins = append(r.AllowedOrigins, o)
		r.AllowedMethods = []string{"GET", "PUT"}
	}
	return rules
}
