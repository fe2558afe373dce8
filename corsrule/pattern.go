package corsrule

import (
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// Pattern is an AllowedOrigin or AllowedHeader value ready for matching.
// A pattern without "*" matches only itself. A pattern with one "*" matches
// any value that starts with the text before the "*" and ends with the text
// after it, the two not overlapping: "*" stands for any run of characters,
// the empty run included, and ".", "/" and ":" are characters like any other.
//
// UNVERIFIED: recordings show "*" spanning "."; that it spans "/" and ":"
// too is what every re-implementation does (spec §3.2 (b)).
//
// Only the first "*" is a wildcard: in a value with more than one, which
// [Rule.Validate] refuses as S3 does, the later ones are literal
// characters of the text after it, so "a*b*c" matches "a-b*c" but not
// "a-b-c".
//
// The zero Pattern matches only the empty string.
type Pattern struct {
	prefix, suffix string // without wildcard, prefix is the whole pattern
	wildcard       bool
	fold           bool // ASCII case-insensitive, prefix and suffix lower-cased
}

// OriginPattern returns the pattern for an AllowedOrigin value, which
// matches byte for byte.
//
// UNVERIFIED: no capture shows whether S3 compares origins ignoring case.
// Every re-implementation compares them exactly, and browsers send the
// scheme and host in lower case, so the difference rarely shows.
func OriginPattern(s string) Pattern { return newPattern(s, false) }

// HeaderPattern returns the pattern for an AllowedHeader value, which
// matches ignoring ASCII case, as S3 does.
func HeaderPattern(s string) Pattern { return newPattern(s, true) }

// newPattern splits s at its first "*". A value with more than one "*" is
// invalid (see [Rule.Validate]); should one get here anyway, the later
// stars are literal characters of the suffix.
func newPattern(s string, fold bool) Pattern {
	if fold {
		s = ascii.ToLower(s)
	}
	prefix, suffix, wildcard := strings.Cut(s, "*")
	return Pattern{prefix: prefix, suffix: suffix, wildcard: wildcard, fold: fold}
}

// Match reports whether s matches p.
func (p Pattern) Match(s string) bool {
	if !p.wildcard {
		return p.equal(s, p.prefix)
	}
	if len(s) < len(p.prefix)+len(p.suffix) {
		return false
	}
	return p.equal(s[:len(p.prefix)], p.prefix) && p.equal(s[len(s)-len(p.suffix):], p.suffix)
}

// equal compares s with lit, a literal part of p: ignoring ASCII case
// for an AllowedHeader pattern (lit is lower-cased), exactly for an
// AllowedOrigin.
func (p Pattern) equal(s, lit string) bool {
	if p.fold {
		return ascii.EqualFoldLower(s, lit)
	}
	return s == lit
}

// IsWildcard reports whether p holds a "*".
func (p Pattern) IsWildcard() bool { return p.wildcard }

// IsAny reports whether p is a bare "*", which matches everything.
func (p Pattern) IsAny() bool { return p.wildcard && p.prefix == "" && p.suffix == "" }

// Literal returns the pattern's text when it has no "*", for exact lookups.
// Header patterns are lower-cased.
func (p Pattern) Literal() (string, bool) { return p.prefix, !p.wildcard }

// Sides returns the literal text before and after the "*" of a wildcard
// pattern; for a pattern without "*", the whole pattern and "". Header
// patterns are lower-cased.
func (p Pattern) Sides() (prefix, suffix string) { return p.prefix, p.suffix }

// String returns the pattern as written, lower-cased for header patterns.
func (p Pattern) String() string {
	if p.wildcard {
		return p.prefix + "*" + p.suffix
	}
	return p.prefix
}
