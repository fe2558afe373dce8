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

// triesAdmitting is what originIndex.admitting does with the tries.
func triesAdmitting(tries *globTries, globs []originGlob, origin string) ruleSet {
	var rules ruleSet
	if origin == "" {
		return rules
	}
	if t, c := &tries.prefixes, tries.prefixes.leads(origin[0]); c != 0 && t.holds(origin, c) {
		if n, read := t.descend(origin, c, 1, 0); n != 0 {
			t.admitting(origin, n, read, globs, &rules)
		}
	}
	if t, c := &tries.suffixes, tries.suffixes.leads(origin[len(origin)-1]); c != 0 {
		if n, read := t.descend(origin, c, 1, 0); n != 0 {
			t.admitting(origin, n, read, globs, &rules)
		}
	}
	return rules
}

// TestGlobTries holds the tries to trying every wildcard origin in turn,
// on keys built to share, split and nest: keys that are prefixes of
// others, the same key in several rules, keys that end where another's
// edge is split, origins shorter than the keys, and bytes from either
// end of the range, so that bases fall below zero and children spread
// over the whole array.
func TestGlobTries(t *testing.T) {
	t.Parallel()
	pieces := []string{"", "a", "b", "ab", "ba", "aa", ".", ".a", "a.", "example.com", ".example.com", "https://", "http://", ":", ":8080", "x",
		"\x00", "\xff", "\x80a", "~", "!", "0123456789", "é"}
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
			if got, want := triesAdmitting(tries, globs, origin), linearAdmitting(globs, origin); got != want {
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
			"prefix" + d + "x", "https://tenant" + d + ".example.com", "http://localhost" + d, "suffix" + d, "prefi" + d,
			// First and last bytes below and above every key's.
			"!" + d, "a" + d + "!", "\x00" + d + "\xff"} {
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

// TestGlobTriesHostileKeys files keys of random bytes, whose nodes have
// children spread over the whole range of bytes: the placer gives up its
// search for many of them and puts them past the end, and every origin
// is still admitted as trying each glob admits it.
func TestGlobTriesHostileKeys(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	random := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	}
	var globs []originGlob
	for i := range 3000 {
		globs = append(globs, newOriginGlob(random(1+rng.IntN(6))+"*", i%corsrule.MaxRules))
	}
	tries := newGlobTries(globs)
	// The array stays within a few times the nodes it holds.
	if n := len(tries.prefixes.nodes); n > 32*len(globs) {
		t.Errorf("%d places for %d keys", n, len(globs))
	}
	for i := range 20000 {
		origin := random(rng.IntN(8))
		if i%2 == 0 {
			g := globs[rng.IntN(len(globs))].pattern.String()
			origin = g[:len(g)-1] + random(rng.IntN(3))
		}
		if got, want := triesAdmitting(tries, globs, origin), linearAdmitting(globs, origin); got != want {
			t.Fatalf("origin %q: tries admit rules %b, trying each %b", origin, got, want)
		}
	}
}

// TestPlacerGivesUp fills the places so that two neighbouring children
// never fit: after maxPlaceTries free places the placer puts them past
// the last place held.
func TestPlacerGivesUp(t *testing.T) {
	t.Parallel()
	pl := placer{held: make([]uint64, 4*maxPlaceTries/64), free: 0}
	for i := range pl.held {
		pl.held[i] = 0x5555555555555555 // every other place
	}
	end := len(pl.held) * 64
	held := func(p int) bool { return p>>6 < len(pl.held) && pl.held[p>>6]&(1<<(p&63)) != 0 }
	if base := pl.place([]byte{'a', 'b'}); base != end-'a' {
		t.Fatalf("base %d, want %d, past the end", base, end-'a')
	}
	if !held(end) || !held(end+1) || held(end+2) {
		t.Errorf("the places past the end are not held: %b", pl.held[len(pl.held)-1])
	}
	// One child fits in the first free place.
	if base := pl.place([]byte{'a'}); base != 1-'a' {
		t.Errorf("base %d, want %d", base, 1-'a')
	}
}
