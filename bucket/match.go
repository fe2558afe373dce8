package bucket

import (
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

// originIndex finds the rules whose AllowedOrigins admit an origin, in rule
// order, with work that does not grow with the number of exact origins.
type originIndex struct {
	// exact maps an origin to the ascending indices of the rules that list
	// it verbatim. With few origins a linear scan beats hashing.
	exact map[string][]uint8
	few   []exactOrigin
	// globs are the wildcard origins, "*" itself included, in rule order.
	globs []originGlob
}

type exactOrigin struct {
	origin string
	rules  []uint8 // ascending; rule indices fit since corsrule.MaxRules is 100
}

type originGlob struct {
	pattern corsrule.Pattern
	// head and tail hold the first and the last eight bytes of the text
	// after the "*", when there are eight, and suffixLen its length:
	// comparing them with the same places in an origin turns most origins
	// away without a call, whether patterns differ early or late.
	head, tail uint64
	suffixLen  int
	rule       uint8
}

func newOriginGlob(pattern string, rule int) originGlob {
	_, suffix, _ := strings.Cut(pattern, "*")
	g := originGlob{pattern: corsrule.OriginPattern(pattern), suffixLen: len(suffix), rule: uint8(rule)}
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

func newOriginIndex(rules []corsrule.Rule) originIndex {
	var idx originIndex
	byOrigin := map[string][]uint8{}
	var order []string
	for i, r := range rules {
		for _, o := range r.AllowedOrigins {
			p := corsrule.OriginPattern(o)
			if p.IsWildcard() {
				if n := len(idx.globs); n == 0 || idx.globs[n-1].rule != uint8(i) || idx.globs[n-1].pattern != p {
					idx.globs = append(idx.globs, newOriginGlob(o, i))
				}
				continue
			}
			if !validOrigin(o) {
				// No request can match it: an Origin like it matches no
				// rule. Leaving it out lets every exact hit skip that check.
				continue
			}
			list := byOrigin[o]
			if len(list) > 0 && list[len(list)-1] == uint8(i) {
				continue // listed twice in one rule
			}
			if list == nil {
				order = append(order, o)
			}
			byOrigin[o] = append(list, uint8(i))
		}
	}
	if len(order) <= maxLinearOrigins {
		for _, o := range order {
			idx.few = append(idx.few, exactOrigin{o, byOrigin[o]})
		}
	} else {
		idx.exact = byOrigin
	}
	return idx
}

// lookupExact returns the ascending indices of the rules listing origin.
func (idx *originIndex) lookupExact(origin string) []uint8 {
	if idx.exact != nil {
		return idx.exact[origin]
	}
	for i := range idx.few {
		if idx.few[i].origin == origin {
			return idx.few[i].rules
		}
	}
	return nil
}

// firstGlob returns the index of the first wildcard origin that admits
// origin, or len(idx.globs).
func (idx *originIndex) firstGlob(origin string) int {
	for i := range idx.globs {
		// mayAdmit is inlined; a call per glob would cost more than it.
		if g := &idx.globs[i]; g.mayAdmit(origin) && g.pattern.Match(origin) {
			return i
		}
	}
	return len(idx.globs)
}

// headerSet matches requested header names against a rule's AllowedHeaders,
// ignoring ASCII case.
type headerSet struct {
	any      bool     // the rule lists `*`
	literals []string // lower-cased AllowedHeaders without `*`
	globs    []corsrule.Pattern
}

func newHeaderSet(allowed []string) headerSet {
	var s headerSet
	for _, h := range allowed {
		p := corsrule.HeaderPattern(h)
		switch lit, ok := p.Literal(); {
		case p.IsAny():
			s.any = true
		case ok:
			s.literals = append(s.literals, lit)
		default:
			s.globs = append(s.globs, p)
		}
	}
	return s
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
