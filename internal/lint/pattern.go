package lint

import (
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// pattern is an AllowedOrigin or AllowedHeader split at its first "*", as
// corsrule's patterns split it: a later "*" (which S3 rejects anyway) is a
// literal character of the suffix. Header patterns are lower-cased.
type pattern struct {
	prefix, suffix string // without a `*`, prefix is the whole value
	glob           bool
}

func originPattern(s string) pattern {
	prefix, suffix, glob := strings.Cut(s, "*")
	return pattern{prefix, suffix, glob}
}

func headerPattern(s string) pattern { return originPattern(ascii.ToLower(s)) }

// matches reports whether p admits s, as corsrule.Pattern.Match does.
func (p pattern) matches(s string) bool {
	if !p.glob {
		return s == p.prefix
	}
	return len(s) >= len(p.prefix)+len(p.suffix) && strings.HasPrefix(s, p.prefix) && strings.HasSuffix(s, p.suffix)
}

// subsumes reports whether p admits every value q admits. It may answer
// false when p does admit them all (never the other way round), which
// keeps the unreachable-rule analysis sound.
//
// A literal admits only itself. A glob q admits q.prefix+X+q.suffix for
// every X; p admits all of them when q.prefix starts with p.prefix and
// q.suffix ends with p.suffix, the length condition then holding too.
func (p pattern) subsumes(q pattern) bool {
	switch {
	case !q.glob:
		return p.matches(q.prefix)
	case !p.glob:
		return false
	}
	return strings.HasPrefix(q.prefix, p.prefix) && strings.HasSuffix(q.suffix, p.suffix)
}

// overlaps reports whether some value matches both p and q. It is exact:
// two globs share a value when one's prefix starts the other's and one's
// suffix ends the other's, the longer prefix followed by the longer suffix
// being such a value; a literal shares one when the other admits it.
func (p pattern) overlaps(q pattern) bool {
	switch {
	case !p.glob:
		return q.matches(p.prefix)
	case !q.glob:
		return p.matches(q.prefix)
	}
	return (strings.HasPrefix(p.prefix, q.prefix) || strings.HasPrefix(q.prefix, p.prefix)) &&
		(strings.HasSuffix(p.suffix, q.suffix) || strings.HasSuffix(q.suffix, p.suffix))
}

func (p pattern) String() string {
	if p.glob {
		return p.prefix + "*" + p.suffix
	}
	return p.prefix
}
