package iac

import (
	"math"
	"testing"
)

// TestParseNumber: a Number parameter's value is a number when Java's
// Double.parseDouble reads it (the expected values are what OpenJDK 17
// printed for each text, NaN for its NaN, "ERR" rows as not numbers
// unless Go reads them) or when Go's strconv.ParseFloat does (inf, nan,
// 1_000): only a text both refuse is refused.
func TestParseNumber(t *testing.T) {
	t.Parallel()
	const notNumber = math.MaxFloat64 // a want no row's value is
	for _, tc := range []struct {
		text string
		want float64
	}{
		{"1", 1}, {"-1", -1}, {"+1", 1}, {"1.", 1}, {".5", 0.5},
		{"1.5e3", 1500}, {"1.5E-3", 0.0015}, {"1e", notNumber},
		{"1d", 1}, {"1D", 1}, {"1f", 1}, {"1.5F", 1.5}, {"1dd", notNumber},
		{"2.d", 2}, {".d", notNumber}, {"d", notNumber},
		{"NaN", math.NaN()}, {"Infinity", math.Inf(1)}, {"-Infinity", math.Inf(-1)},
		{"Infinityd", notNumber}, {"NaNf", notNumber}, {"1_0d", notNumber},
		{"0x1p3", 8}, {"0x1p3d", 8}, {"0X1.8P1", 3}, {"0x1.", notNumber},
		{"0x1", notNumber}, {"0x.8p1f", 1}, {"0xp1", notNumber},
		{" 7 ", 7}, {"1e5f", 100000}, {"--1", notNumber},
		// Java refuses these; Go reads them.
		{"nan", math.NaN()}, {"infinity", math.Inf(1)}, {"inf", math.Inf(1)}, {"1_000", 1000},
	} {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got, ok := parseNumber(tc.text)
			switch {
			case tc.want == notNumber:
				if ok {
					t.Errorf("parseNumber(%q) = %v, a number; Java and Go refuse it", tc.text, got)
				}
			case !ok:
				t.Errorf("parseNumber(%q) refused, want %v", tc.text, tc.want)
			case math.IsNaN(tc.want) != math.IsNaN(got) || !math.IsNaN(got) && got != tc.want:
				t.Errorf("parseNumber(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestJavaPatternEdges: AllowedPattern is matched as Java 17's
// String.matches matches it, or left unchecked. The expected verdicts are
// OpenJDK 17's: "x{" and "ax{" are its errors (Illegal repetition), which
// Go's regexp reads as literals; \b around é matches in Java, whose word
// characters are every letter's, where Go's are ASCII's; \x{41} and \p{L}
// read alike in both. The rows after them are OpenJDK 17's verdicts too,
// "unchecked" for its errors ({ that starts no repetition, \p{Greek});
// a { in a class, && outside one and \Q{\E read alike, and \123 and
// \0123 (Java's backreference and octal, Go's octal of other lengths)
// are left unchecked.
func TestJavaPatternEdges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, value string
		want           string // "match", "no match" or "unchecked"
	}{
		{"x{", "x{", "unchecked"},
		{"ax{", "ax{", "unchecked"},
		{`\bé\b`, "é", "unchecked"},
		{`\ba\b`, "a", "match"},
		{`\x{41}`, "A", "match"},
		{`\p{L}+`, "é", "match"},
		{`\p{L}+`, "1", "no match"},
		{`[{}]`, `{`, "match"}, {`[{}]+`, `{}`, "match"}, {`a{`, `a{`, "unchecked"}, {`{`, `{`, "unchecked"},
		{`{a}`, `{a}`, "unchecked"}, {`a{}`, `a{}`, "unchecked"}, {`}`, `}`, "match"}, {`a}`, `a}`, "match"},
		{`[a{,3}]+`, `a{,`, "match"}, {`\{`, `{`, "match"}, {`\\{`, `\{`, "unchecked"}, {`x\p{L}`, `xé`, "match"},
		{`\x{41}{2}`, `AA`, "match"}, {`\Q{\E`, `{`, "match"}, {`[\[a]+`, `[a`, "match"},
		{`a&&b`, `a&&b`, "match"}, {`\\v`, `\v`, "match"}, {`[]a]+`, `]a`, "match"}, {`[^]a]`, `b`, "match"},
		{`(?x)a {`, `a{`, "unchecked"}, {`a{1}{`, `a{`, "unchecked"}, {`[a-z]{2,}`, `ab`, "match"},
		{`a{2,1}`, `aa`, "unchecked"}, {`a{ 2}`, `a{ 2}`, "unchecked"}, {`\p{L}{2}`, `ab`, "match"},
		{`[\p{L}{]+`, `a{`, "match"}, {`[{]`, `{`, "match"}, {`\p{Greek}`, `α`, "unchecked"},
		{`\p{Latin}`, `a`, "unchecked"}, {`\p{Han}`, `日`, "unchecked"}, {`\p{L}`, `a`, "match"},
		{`\p{Lu}`, `A`, "match"}, {`\pL`, `a`, "match"}, {`\p{Nd}`, `1`, "match"}, {`\p{Any}`, `a`, "unchecked"},
		{`\PL`, `1`, "match"}, {`\p{^L}`, `1`, "unchecked"}, {`\p{Cs}`, `a`, "no match"}, {`\p{Zs}`, ` `, "match"},
		{`\p{Cyrillic}`, `д`, "unchecked"}, {`[(?U)]`, `U`, "match"}, {`[a&b]+`, `&`, "match"},
		{`a{1`, `a{1`, "unchecked"}, {`\x41`, `A`, "match"}, {`(?i)[k]`, `K`, "match"},
		{`a{1000}`, `a`, "no match"}, {`[a-z]{2}|[{]`, `{`, "match"}, {`\Q\E{`, `{`, "unchecked"},
		{`\123`, "S", "unchecked"}, {`\0123`, "S", "unchecked"},
		// A \Q with no \E quotes the rest, for Java and Go alike.
		{`\Qa.b`, "a.b", "match"}, {`\Qa.b`, "axb", "no match"}, {`x\Qdev`, "xdev", "match"},
		{`\\Qa`, `\Qa`, "match"},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			got := "unchecked"
			if re, _ := javaPattern(tc.pattern); re != nil && matchesDiffer(tc.pattern, tc.value) == "" {
				got = "no match"
				if re.MatchString(tc.value) {
					got = "match"
				}
			}
			if got != tc.want {
				t.Errorf("%q against %q: %s, want %s (Java 17's)", tc.pattern, tc.value, got, tc.want)
			}
		})
	}
}
