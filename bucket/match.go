package bucket

import (
	"math/bits"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
)

// methodSet holds one bit per method S3 allows in a rule.
type methodSet uint8

// methodBit returns m's bit, or 0 when S3 does not allow m in a rule.
func methodBit(m string) methodSet {
	switch m {
	case "GET":
		return 1 << 0
	case "PUT":
		return 1 << 1
	case "HEAD":
		return 1 << 2
	case "POST":
		return 1 << 3
	case "DELETE":
		return 1 << 4
	}
	return 0
}

// ruleSet is a set of a configuration's rules, rule i as bit i. Taking
// its rules lowest first visits them in the order S3 tries them, so
// rules found through different indexes merge into S3's order with an OR.
type ruleSet [2]uint64

// A configuration holds at most corsrule.MaxRules rules, which a ruleSet
// must have room for.
var _ [128 - corsrule.MaxRules]struct{}

func (s *ruleSet) add(i int)      { s[i>>6] |= 1 << (i & 63) }
func (s *ruleSet) has(i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }
func (s *ruleSet) empty() bool    { return s[0]|s[1] == 0 }

func (s *ruleSet) addAll(o ruleSet) { s[0] |= o[0]; s[1] |= o[1] }

// pop removes the lowest rule from s and returns it, or -1 when s is empty.
func (s *ruleSet) pop() int {
	if s[0] != 0 {
		i := bits.TrailingZeros64(s[0])
		s[0] &= s[0] - 1
		return i
	}
	if s[1] != 0 {
		i := bits.TrailingZeros64(s[1])
		s[1] &= s[1] - 1
		return 64 + i
	}
	return -1
}

// methodIndex returns the position of a single method bit.
func methodIndex(m methodSet) int { return bits.TrailingZeros8(uint8(m)) }

// originIndex finds the rules whose AllowedOrigins admit an origin, with
// work that grows neither with the number of exact origins nor, past a
// handful, with the number of wildcard ones.
type originIndex struct {
	// exact maps an origin to the rules that list it verbatim. With few
	// origins a linear scan beats hashing.
	exact map[string]ruleSet
	few   []exactOrigin
	// star holds the rules that list the bare "*", which admits every
	// origin.
	star ruleSet
	// globs are the other wildcard origins, in rule order. Up to
	// maxLinearGlobs of them are tried one by one; more are found through
	// their literal text, the longer of the two sides of the "*" (see
	// globTrie).
	globs []originGlob
	tries *globTries
	wild  bool // star or globs hold a rule
}

type exactOrigin struct {
	origin string
	rules  ruleSet
}

type originGlob struct {
	pattern corsrule.Pattern
	// head and tail hold the first and the last eight bytes of the text
	// after the "*", when there are eight, and suffixLen its length:
	// comparing them with the same places in an origin turns most origins
	// away without a call, whether patterns differ early or late.
	head, tail uint64
	suffixLen  int
	rule       int
}

// newOriginGlob prepares the wildcard AllowedOrigin pattern of rule rule,
// with the eight-byte words of its suffix that mayAdmit compares.
func newOriginGlob(pattern string, rule int) originGlob {
	_, suffix, _ := strings.Cut(pattern, "*")
	g := originGlob{pattern: corsrule.OriginPattern(pattern), suffixLen: len(suffix), rule: rule}
	if len(suffix) >= 8 {
		g.head, g.tail = ascii.Word(suffix), ascii.Word(suffix[len(suffix)-8:])
	}
	return g
}

// mayAdmit reports whether the glob may admit origin: false means it
// does not; true calls for pattern.Match. It is small enough to inline.
func (g *originGlob) mayAdmit(origin string) bool {
	at := len(origin) - g.suffixLen
	return g.suffixLen < 8 || at >= 0 && ascii.Word(origin[len(origin)-8:]) == g.tail && ascii.Word(origin[at:]) == g.head
}

// maxLinearOrigins is the number of distinct exact origins up to which a
// linear scan is used. Comparing same-length strings costs 3-7 ns each and
// hashing one about 11 ns, so the scan wins only for a handful.
const maxLinearOrigins = 4

// maxLinearGlobs is the number of wildcard origins up to which each is
// tried in turn. A try that the eight-byte comparison turns away costs a
// few instructions and a walk of the tries a few dozen, so the tries win
// only past a handful.
const maxLinearGlobs = 8

// newOriginIndex indexes the AllowedOrigins of rules: the bare "*" in
// star, other wildcards in globs (and in tries past maxLinearGlobs), the
// rest by their exact text. A wildcard a rule repeats in a row is kept
// once, since a second copy can only admit the same origins.
func newOriginIndex(rules []corsrule.Rule) originIndex {
	// The origins are counted first, so that the list of wildcards is
	// made once, at its size, and the exact index for the exact origins
	// alone: grown as they came, the wildcards made compiling the
	// largest configuration allocate 145 KiB in 40 allocations rather
	// than 135 KiB in 33.
	exact, wild := 0, 0
	for i := range rules {
		for _, o := range rules[i].AllowedOrigins {
			if strings.IndexByte(o, '*') >= 0 {
				wild++
			} else {
				exact++
			}
		}
	}
	idx := originIndex{globs: make([]originGlob, 0, wild)}
	for i, r := range rules {
		for _, o := range r.AllowedOrigins {
			p := corsrule.OriginPattern(o)
			switch {
			case p.IsAny():
				idx.star.add(i)
			case p.IsWildcard():
				if n := len(idx.globs); n == 0 || idx.globs[n-1].rule != i || idx.globs[n-1].pattern != p {
					idx.globs = append(idx.globs, newOriginGlob(o, i))
				}
			case validOrigin(o):
				idx.addExact(o, i, exact)
			}
			// An origin that is not valid is left out: no request can
			// match it, since an Origin like it matches no rule, and
			// leaving it out lets every exact hit skip that check.
		}
	}
	if len(idx.globs) > maxLinearGlobs {
		idx.tries = newGlobTries(idx.globs)
	}
	idx.wild = !idx.star.empty() || len(idx.globs) > 0
	return idx
}

// addExact files rule i under the exact origin o: in few while there are
// at most maxLinearOrigins distinct ones, in the map from the next one on.
// The configuration has exact exact origins, counting repeats: the list
// and the map are sized with them.
func (idx *originIndex) addExact(o string, i, exact int) {
	if idx.exact != nil {
		set := idx.exact[o]
		set.add(i)
		idx.exact[o] = set
		return
	}
	for k := range idx.few {
		if idx.few[k].origin == o {
			idx.few[k].rules.add(i)
			return
		}
	}
	if idx.few == nil {
		idx.few = make([]exactOrigin, 0, min(maxLinearOrigins, exact))
	}
	if len(idx.few) < maxLinearOrigins {
		idx.few = append(idx.few, exactOrigin{origin: o})
		idx.few[len(idx.few)-1].rules.add(i)
		return
	}
	// One origin too many for a scan.
	idx.exact = make(map[string]ruleSet, exact)
	for _, e := range idx.few {
		idx.exact[e.origin] = e.rules
	}
	idx.few = nil
	idx.addExact(o, i, exact)
}

// admitting returns the rules with an AllowedOrigin that admits origin,
// none when origin is not valid (see validOrigin), and whether any
// AllowedOrigin admits it, valid or not.
func (idx *originIndex) admitting(origin string) originHits {
	var rules ruleSet
	if idx.exact != nil {
		rules = idx.exact[origin]
	} else {
		for i := range idx.few {
			if idx.few[i].origin == origin {
				rules = idx.few[i].rules
				break
			}
		}
	}
	// The exact index holds only valid origins: one it admits is valid.
	exact := !rules.empty()
	if !idx.wild {
		return originHits{rules, exact}
	}
	rules.addAll(idx.star)
	if len(idx.globs) <= maxLinearGlobs {
		for i := range idx.globs {
			// mayAdmit is inlined; a call per glob would cost more than it.
			if g := &idx.globs[i]; !rules.has(g.rule) && g.mayAdmit(origin) && g.pattern.Match(origin) {
				rules.add(g.rule)
			}
		}
	} else if origin != "" {
		// Each trie is entered by origin's byte at the end its keys
		// start from; the trie of prefixes, which every origin enters
		// by its scheme's first byte, also by the edge it leads to.
		// Most origins no glob admits are turned away there, without a
		// call; most others by descend.
		if t, c := &idx.tries.prefixes, idx.tries.prefixes.leads(origin[0]); c != 0 && t.holds(origin, c) {
			if n, read := t.descend(origin, c, 1, 0); n != 0 {
				t.admitting(origin, n, read, idx.globs, &rules)
			}
		}
		if t, c := &idx.tries.suffixes, idx.tries.suffixes.leads(origin[len(origin)-1]); c != 0 {
			if n, read := t.descend(origin, c, 1, 0); n != 0 {
				t.admitting(origin, n, read, idx.globs, &rules)
			}
		}
	}
	if any := !rules.empty(); !exact && any && !validOrigin(origin) {
		return originHits{any: true}
	}
	return originHits{rules, !rules.empty()}
}

// headerSet matches requested header names against a rule's AllowedHeaders,
// ignoring ASCII case.
type headerSet struct {
	any      bool     // the rule lists `*`
	literals []string // lower-cased AllowedHeaders without `*`
	globs    []corsrule.Pattern
}

// covers reports whether some AllowedHeader admits name. A name admitted
// only through a "*" must also be a valid header name, so that whatever
// the response echoes is one. Literal AllowedHeaders are valid names
// already, and ASCII folding cannot make an invalid name equal to one.
func (s *headerSet) covers(name string) bool {
	for _, lit := range s.literals {
		// Browsers send names in lower case: try the plain comparison first.
		if name == lit || ascii.EqualFoldLower(name, lit) {
			return true
		}
	}
	// UNVERIFIED (see the package doc): S3's own answer to a requested
	// name that is no token is not captured; such a name matches no rule.
	if s.any {
		return ascii.IsToken(name)
	}
	for i := range s.globs {
		if s.globs[i].Match(name) {
			return ascii.IsToken(name)
		}
	}
	return false
}

// validOrigin reports whether origin may be matched and echoed: printable
// ASCII without spaces, as every serialized origin is. Anything else
// (control characters, bytes above 0x7E, obs-fold remnants) matches no rule,
// so it is never reflected into a response.
//
// UNVERIFIED: S3's answer to such an Origin is not recorded.
func validOrigin(origin string) bool { return ascii.IsVisible(origin) }
