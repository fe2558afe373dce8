package bucket

import (
	"math/rand/v2"
	"strconv"
	"strings"
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

// TestGlobTriesOneSided files wildcards of one shape only, so that one
// of the two tries has no key: it is the root alone, and every origin,
// including ones entering it by any byte, is admitted as trying each glob
// admits it.
func TestGlobTriesOneSided(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		origin func(d string) string
	}{
		{"suffixes", func(d string) string { return "https://*.tenant" + d + ".example.com" }},
		{"prefixes", func(d string) string { return "https://tenant" + d + ".example.com*" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rule := corsrule.Rule{AllowedMethods: []string{"GET"}}
			for n := range 2 * maxLinearGlobs {
				rule.AllowedOrigins = append(rule.AllowedOrigins, tc.origin(strconv.Itoa(n)))
			}
			idx := newOriginIndex([]corsrule.Rule{rule})
			if idx.tries == nil {
				t.Fatal("no tries")
			}
			empty, full := idx.tries.prefixes, idx.tries.suffixes
			if tc.name == "prefixes" {
				empty, full = full, empty
			}
			if len(empty.nodes) != 1 || cap(empty.nodes) != 1 || len(full.nodes) < 2 {
				t.Fatalf("the trie without keys has %d nodes (capacity %d), the other %d", len(empty.nodes), cap(empty.nodes), len(full.nodes))
			}
			for n := range 2*maxLinearGlobs + 2 {
				d := strconv.Itoa(n)
				for _, origin := range []string{"https://a.tenant" + d + ".example.com", "https://tenant" + d + ".example.comx",
					"", "h", "\x00", "\xff" + d, "https://tenant" + d} {
					if got, want := idx.admitting(origin).rules, linearAdmitting(idx.globs, origin); got != want {
						t.Fatalf("origin %q: tries admit rules %b, trying each %b", origin, got, want)
					}
				}
			}
		})
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

// TestGlobTriesEdges holds the tries, and originIndex.admitting that
// enters them inline, to trying every wildcard origin in turn, on the
// shapes where the walk takes shortcuts: edges of seven, eight and nine
// bytes (eight and more have their far bytes compared and the rest
// stepped over), glob nodes with long edges and glob nodes under the
// root, keys that are prefixes of others and the same text as a prefix
// and as a suffix, bytes at either end of the range and below every
// child's (a base below zero wraps), and origins made from the keys:
// cut short, inside an edge or at its end, with one byte changed where
// the walk does not read it, or with the "*" filled in.
func TestGlobTriesEdges(t *testing.T) {
	t.Parallel()
	pieces := []string{"a", "b", "\x00", "\x01", "\x7f", "\x80", "\xff", "~", ".", ":", "/",
		"0123456", "01234567", "012345678", "abcdefgh", "https://", "http://", ".example.com", "https://www.", ":8080"}
	rng := rand.New(rand.NewPCG(5, 6))
	word := func(n int) string {
		s := ""
		for range rng.IntN(n + 1) {
			s += pieces[rng.IntN(len(pieces))]
		}
		return s
	}
	skipped := 0
	const rounds = 1000
	for round := range rounds {
		// Shared heads and tails, so that keys share long edges and
		// split them.
		head, tail := word(2), word(2)
		var rules []corsrule.Rule
		var patterns []string
		for n := 9 + rng.IntN(24); len(patterns) < n; {
			p := "*"
			switch rng.IntN(6) {
			case 0:
				p = head + word(2) + "*"
			case 1:
				p = "*" + word(2) + tail
			case 2:
				p = head + word(1) + "*" + word(1) + tail
			case 3:
				p = word(1) + "*" + word(3) // either side the longer
			case 4:
				p = pieces[rng.IntN(len(pieces))][:1] + "*" // a key under the root
			default:
				// One text as a prefix key and as a suffix key.
				if w := head + word(2); w != "" {
					patterns = append(patterns, w+"*")
					p = "*" + w
				}
			}
			if p != "*" {
				patterns = append(patterns, p)
			}
		}
		for i, p := range patterns {
			r := i * 5 / len(patterns)
			for len(rules) <= r {
				rules = append(rules, corsrule.Rule{AllowedMethods: []string{"GET"}})
			}
			rules[r].AllowedOrigins = append(rules[r].AllowedOrigins, p)
		}
		idx := newOriginIndex(rules)
		if idx.tries == nil {
			skipped++
			continue // too few once repeats are merged
		}
		for range 300 {
			p := patterns[rng.IntN(len(patterns))]
			prefix, suffix, _ := strings.Cut(p, "*")
			var origin string
			switch rng.IntN(7) {
			case 0:
				origin = prefix + word(2) + suffix
			case 1:
				// Cut short: ends inside an edge, at its end, or empty.
				key := prefix + suffix
				origin = key[:rng.IntN(len(key)+1)]
				if rng.IntN(2) == 0 {
					origin = key[len(key)-len(origin):]
				}
			case 2:
				// One byte changed, most often one the walk steps over.
				b := []byte(prefix + word(1) + suffix)
				if len(b) > 0 {
					b[rng.IntN(len(b))] ^= byte(1 << rng.IntN(8))
				}
				origin = string(b)
			case 3:
				origin = word(1) + prefix + suffix + word(1)
			case 4:
				origin = string([]byte{byte(rng.IntN(256))})[:rng.IntN(2)]
			case 5:
				origin = suffix + prefix // the two sides swapped
			default:
				origin = word(4)
			}
			want := linearAdmitting(idx.globs, origin)
			if got := triesAdmitting(idx.tries, idx.globs, origin); got != want {
				t.Fatalf("round %d, origin %q: tries admit rules %b, trying each %b; patterns %q", round, origin, got, want, patterns)
			}
			// The evaluator's own entry, which keeps the rules only for
			// a valid origin.
			hits, wantRules := idx.admitting(origin), want
			if !validOrigin(origin) {
				wantRules = ruleSet{}
			}
			if hits.rules != wantRules || hits.any != !want.empty() {
				t.Fatalf("round %d, origin %q: admitting gives rules %b, any %v; trying each %b; patterns %q", round, origin, hits.rules, hits.any, want, patterns)
			}
		}
	}
	// A round whose repeats leave too few globs for the tries tests
	// nothing; the rounds must not be mostly such.
	if skipped > rounds/10 {
		t.Errorf("%d of %d rounds built no tries", skipped, rounds)
	}
}

// TestGlobTriesFullWord builds a suffix trie whose root has 63 children,
// one for each byte from '@' to '~': with the root's own place they fill
// the placer's first word of 64 places, so the next node's children are
// placed where no word is held yet. The tries must admit what trying each
// wildcard origin in turn admits.
func TestGlobTriesFullWord(t *testing.T) {
	t.Parallel()
	var origins []string
	for c := byte('@'); c <= '~'; c++ {
		origins = append(origins, "*x"+string(c))
	}
	// "y@" splits the edge of "x@": the node "@" gets two children.
	origins = append(origins, "*y@")
	idx := newOriginIndex([]corsrule.Rule{{AllowedOrigins: origins, AllowedMethods: []string{"GET"}}})
	if idx.tries == nil {
		t.Fatalf("%d wildcard origins built no tries", len(idx.globs))
	}
	for _, origin := range []string{"https://ax@", "https://ay@", "https://az@", "x~", "y~", "@", "https://x"} {
		if got, want := triesAdmitting(idx.tries, idx.globs, origin), linearAdmitting(idx.globs, origin); got != want {
			t.Errorf("origin %q: tries admit rules %b, trying each %b", origin, got, want)
		}
	}
}

// TestGlobTriesSharedSide files wildcard origins that share their longer
// side, as a thousand preview hosts under one domain do: they would all
// sit at that side's node and be tried in turn. Filed under their other
// side, no key holds more than maxLinearGlobs, and what the tries admit
// is what trying each in turn admits. Where wildcard origins cross many
// prefixes with many suffixes, every key is shared either way: the
// answers are still the same.
func TestGlobTriesSharedSide(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		pattern  func(i int) string
		origins  func(d string) []string
		maxShare int // the most globs one key may hold
	}{
		{"suffix", func(i int) string { return "https://t" + strconv.Itoa(i) + "-*.preview.shared-suffix.example.com" },
			func(d string) []string {
				return []string{"https://t" + d + "-x.preview.shared-suffix.example.com", "https://t" + d + "-.preview.shared-suffix.example.com",
					"https://t" + d + "x.preview.shared-suffix.example.com", "https://t" + d + "-x.preview.shared-suffix.example.co"}
			}, maxLinearGlobs},
		{"prefix", func(i int) string { return "https://preview.shared-prefix.example.*.t" + strconv.Itoa(i) },
			func(d string) []string {
				return []string{"https://preview.shared-prefix.example.x.t" + d, "https://preview.shared-prefix.example..t" + d,
					"https://preview.shared-prefix.examplex.t" + d, "http://preview.shared-prefix.example.x.t" + d}
			}, maxLinearGlobs},
		// Each prefix with each suffix: 40 share every key, whichever
		// side it is.
		{"crossed", func(i int) string {
			return "https://p" + strconv.Itoa(i%40) + "-*.s" + strconv.Itoa(i/40) + ".example.com"
		}, func(d string) []string {
			return []string{"https://p" + d + "-x.s" + d + ".example.com", "https://p1-x.s" + d + ".example.com", "https://p" + d + "-x.s1.example.com"}
		}, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rules := make([]corsrule.Rule, corsrule.MaxRules)
			for i := range 1000 {
				r := &rules[i%len(rules)]
				r.AllowedMethods = []string{"GET"}
				r.AllowedOrigins = append(r.AllowedOrigins, tc.pattern(i))
			}
			idx := newOriginIndex(rules)
			if idx.tries == nil {
				t.Fatal("no tries")
			}
			if got := max(mostShared(&idx.tries.prefixes), mostShared(&idx.tries.suffixes)); got > tc.maxShare {
				t.Errorf("a key holds %d wildcard origins, want %d at most", got, tc.maxShare)
			}
			for n := range 1002 {
				for _, origin := range tc.origins(strconv.Itoa(n)) {
					if got, want := idx.admitting(origin).rules, linearAdmitting(idx.globs, origin); got != want {
						t.Fatalf("origin %q: tries admit rules %b, trying each %b", origin, got, want)
					}
				}
			}
		})
	}
}

// mostShared returns the most globs one key of t holds.
func mostShared(t *globTrie) int {
	most := 0
	for i := range t.nodes {
		if i > 0 && t.nodes[i].parent == 0 {
			continue // a free place
		}
		n := 0
		for e := t.nodes[i].glob; e >= 0; e = t.globs[e].next {
			n++
		}
		most = max(most, n)
	}
	return most
}
