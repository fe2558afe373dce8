package iac

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// paramFault is a constraint of a CloudFormation parameter that a value
// breaks, and the words for it.
type paramFault struct {
	// item is the value, or the item of a list type's value, that breaks it.
	item string
	// constraint is the constraint's key in the parameter's declaration.
	constraint string
	// what says how item breaks it, after "the value X of parameter P ".
	what string
	// aws is CloudFormation's refusal, after "Parameter 'P' ".
	aws string
	// described is the parameter's ConstraintDescription, or "".
	described string
}

// refusal returns CloudFormation's words for fault, of the parameter
// name. A ConstraintDescription replaces them whole, after "Parameter
// NAME failed to satisfy constraint: ", the name unquoted: so
// CloudFormation answered in the captures of three users ("Parameter
// FargateBuildVolumeSize failed to satisfy constraint: must be blank or
// a whole number from 21 to 200", of a pattern; "Parameter InstanceType
// failed to satisfy constraint: must be a valid EC2 instance type.", of
// AllowedValues; "Template validation error: Parameter SourceLambdaBucket
// failed to satisfy constraint: Enter the name not the ARN, ..."), where
// the User Guide's example ("Malformed input-Parameter MyParameter must
// only contain ...") is the console's. UNVERIFIED: that the description
// replaces the words for a Number's value that is not a number too, as
// the Eucalyptus clone of CloudFormation has it.
func (f *paramFault) refusal(name string) string {
	if f.described != "" {
		return "Parameter " + name + " failed to satisfy constraint: " + f.described
	}
	return "Parameter '" + name + "' " + f.aws
}

// constraintError returns the error for a value given on the command line
// for the parameter name that breaks one of its constraints, as fault says.
func constraintError(name string, fault *paramFault) error {
	return fmt.Errorf("the value %q given for parameter %s %s (CloudFormation: %q)",
		fault.item, name, fault.what, fault.refusal(name))
}

// checkParam returns the first constraint of decl, a parameter's
// declaration, that value breaks, or nil, and why AllowedPattern could not
// be checked, when it could not. CloudFormation refuses to create or
// update a stack with such a value. The constraints are checked as the
// CloudFormation User Guide describes them: AllowedValues, each item of a
// list type's value; MinLength, MaxLength and AllowedPattern (which
// matches the whole value, as Java's String.matches) of a String, and
// AllowedPattern of each item of a CommaDelimitedList; MinValue and
// MaxValue of a Number, which must be a number, as must each item of a
// List<Number> ("validates the parameter value as numbers"). The String
// constraints of an AWS-specific type (AWS::EC2::SecurityGroup::Id) are
// checked too, as the console checks them (cfn-lint's pull request 2193).
// A constraint of another type (MinValue of a String, MinLength of a
// Number, MaxValue of a List<Number>), or written as neither a number nor
// a string of one, is not checked: no capture shows what CloudFormation
// does with one (the Eucalyptus clone refuses the template, "MinValue
// must be on a parameter of type Number"; cfn-lint 1.51.0 flags it as a
// property the type does not have, E2001, and checks neither it nor the
// bounds of a List<Number>). UNVERIFIED: the order in which
// CloudFormation checks them (that of AllowedValues first, then of the
// Eucalyptus clone), and its words for MaxLength and MaxValue (taken from
// that clone; those for MinLength, MinValue, AllowedPattern,
// AllowedValues and a value not a number are AWS's).
func checkParam(decl *node, value string) (fault *paramFault, unchecked string) {
	typ := decl.get("Type").scalarText()
	items := paramItems(typ, value)
	if item, bad := notAllowed(decl, items); bad {
		fault = &paramFault{item, "AllowedValues", "is not one of its AllowedValues", "must be one of AllowedValues", ""}
	} else {
		fault, unchecked = checkTyped(decl, typ, value, items)
	}
	if fault != nil {
		fault.described = decl.get("ConstraintDescription").scalarText()
	}
	return fault, unchecked
}

// paramItems returns the items of value, a parameter's of type typ: those
// between its commas, spaces trimmed, for a list type; value alone for
// another.
func paramItems(typ, value string) []string {
	if typ != "CommaDelimitedList" && !strings.HasPrefix(typ, "List<") {
		return []string{value}
	}
	items := strings.Split(value, ",")
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
	}
	return items
}

// checkTyped returns the fault of value, whose items are items, against
// the constraints of its declaration decl that its type typ has, and why
// AllowedPattern could not be checked, when it could not.
func checkTyped(decl *node, typ, value string, items []string) (*paramFault, string) {
	switch {
	case typ == "String" || strings.HasPrefix(typ, "AWS::") && !strings.HasPrefix(typ, "AWS::SSM::"):
		if fault := checkLength(decl, value); fault != nil {
			return fault, ""
		}
		return checkPattern(decl, items)
	case typ == "CommaDelimitedList":
		return checkPattern(decl, items)
	case typ == "Number":
		return checkNumber(decl, value), ""
	case typ == "List<Number>":
		for _, item := range items {
			if _, ok := parseNumber(item); !ok {
				return notNumber(item), ""
			}
		}
	}
	return nil, ""
}

// notAllowed returns the first of items, the value of a parameter
// declared as decl or the items of a list type's value, that is not one
// of its AllowedValues, and whether there is one.
func notAllowed(decl *node, items []string) (string, bool) {
	allowed := decl.get("AllowedValues")
	if allowed == nil || allowed.kind != nSeq {
		return "", false
	}
	for _, item := range items {
		if !slices.ContainsFunc(allowed.items, func(a *node) bool { return a.isScalar() && a.text == item }) {
			return item, true
		}
	}
	return "", false
}

// checkLength returns the fault of value, a String parameter's, against
// the MinLength and MaxLength of its declaration decl, counted in UTF-16
// code units, as Java's String.length counts them (OpenJDK 17: 4 for
// "😀😀", 2 for "hé"): CloudFormation is Java's, whose String.matches
// its AllowedPattern follows, and the Eucalyptus clone counts with
// String.length. cfn-lint counts code points, so that "😀😀" is not
// longer than a MaxLength of 2 for it. UNVERIFIED: no capture of
// CloudFormation shows a value beyond the BMP against a length.
func checkLength(decl *node, value string) *paramFault {
	n := float64(utf16Len(value))
	if limit, text, ok := constraintNumber(decl, "MinLength"); ok && n < limit {
		return &paramFault{value, "MinLength", "is shorter than its MinLength, " + text,
			"must contain at least " + text + " characters", ""}
	}
	if limit, text, ok := constraintNumber(decl, "MaxLength"); ok && n > limit {
		return &paramFault{value, "MaxLength", "is longer than its MaxLength, " + text,
			"must contain at most " + text + " characters", ""}
	}
	return nil
}

// utf16Len returns the number of UTF-16 code units that encode s: two
// for a character beyond the BMP, one for any other, and for each byte
// of s that is not UTF-8 (which YAML and JSON do not let through).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkNumber returns the fault of value, a Number parameter's, that is
// not a number or is outside the MinValue and MaxValue of its declaration
// decl. Which texts CloudFormation takes for numbers is UNVERIFIED: a
// value is not one only when both Java's Double.parseDouble (the
// Eucalyptus clone's reading) and Go's strconv.ParseFloat refuse it, so
// that 1d and 1f (Java's) and inf and 1_000 (Go's) are numbers, as are
// 0x1p3, Infinity and NaN (both's).
func checkNumber(decl *node, value string) *paramFault {
	v, ok := parseNumber(value)
	if !ok {
		return notNumber(value)
	}
	if limit, limitText, ok := constraintNumber(decl, "MinValue"); ok && v < limit {
		return &paramFault{value, "MinValue", "is less than its MinValue, " + limitText,
			"must be a number not less than " + limitText, ""}
	}
	if limit, limitText, ok := constraintNumber(decl, "MaxValue"); ok && v > limit {
		return &paramFault{value, "MaxValue", "is greater than its MaxValue, " + limitText,
			"must be a number not greater than " + limitText, ""}
	}
	return nil
}

// notNumber returns the fault of value, a Number parameter's or an item
// of a List<Number>'s, that is not a number. CloudFormation's words, with
// their full stop, are those two users report of a Number ("Parameter
// 'NumberParameter' must be a number.", aws-cli issue 7992; "Parameter
// 'MinInstancesInService' must be a number.", pulumi-aws issue 1295);
// UNVERIFIED for an item of a List<Number>.
func notNumber(value string) *paramFault {
	return &paramFault{value, "Type", "is not a number", "must be a number.", ""}
}

// javaDouble matches the texts Java's Double.parseDouble reads, once
// trimmed as it trims them: NaN and Infinity as written, and decimal or
// hexadecimal numbers with an optional suffix f, F, d or D (Java's
// FloatingDecimal; checked with OpenJDK 17 on 36 texts).
var javaDouble = regexp.MustCompile(`^[+-]?(?:NaN|Infinity|` +
	`(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?|` +
	`0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?)$`)

// parseNumber returns the number value is, trimmed as Java's
// Double.parseDouble trims it (every character up to the space), and
// whether Go's strconv.ParseFloat or Java reads it as one.
func parseNumber(value string) (float64, bool) {
	text := strings.TrimFunc(value, func(r rune) bool { return r <= ' ' })
	if v, err := strconv.ParseFloat(text, 64); err == nil || isRangeError(err) {
		return v, true
	}
	if !javaDouble.MatchString(text) {
		return 0, false
	}
	// Java's only differences that reach here are the suffix, which Go
	// reads without it.
	v, err := strconv.ParseFloat(strings.TrimRight(text, "fFdD"), 64)
	return v, err == nil || isRangeError(err)
}

// isRangeError reports whether err is strconv's for a number too large
// or too small for a float64, which is still a number.
func isRangeError(err error) bool {
	var numErr *strconv.NumError
	return errors.As(err, &numErr) && numErr.Err == strconv.ErrRange
}

// constraintNumber returns the number that the constraint key of decl
// holds, as written, and whether it holds one.
func constraintNumber(decl *node, key string) (float64, string, bool) {
	n := decl.get(key)
	if n == nil || !n.isScalar() {
		return 0, "", false
	}
	text := strings.TrimSpace(n.text)
	v, err := strconv.ParseFloat(text, 64)
	return v, text, err == nil
}

// checkPattern returns the fault of the first of items, a parameter's
// value or the items of a CommaDelimitedList's, that its declaration
// decl's AllowedPattern does not match whole, or why the pattern could
// not be checked.
func checkPattern(decl *node, items []string) (*paramFault, string) {
	p := decl.get("AllowedPattern")
	if p == nil || !p.isScalar() {
		return nil, ""
	}
	re, why := javaPattern(p.text)
	if re == nil {
		return nil, why
	}
	for _, item := range items {
		if why := matchesDiffer(p.text, item); why != "" {
			return nil, why
		}
		if !re.MatchString(item) {
			return &paramFault{item, "AllowedPattern", "does not match its AllowedPattern " + p.text,
				"must match pattern " + p.text, ""}, ""
		}
	}
	return nil, ""
}

// javaOnly returns the first piece of pattern, a Java regular
// expression, that Go's regexp reads otherwise without an error, or "":
// in a class, a class (Java's union [a-c[x-z]], where Go's class has a
// literal [, or a POSIX bracket [[:alpha:]], Java's class of :alph) or an
// intersection ([a-z&&[^e]], Go's literal &); outside one, a { that
// starts no repetition (a{,3}, {a}: Java's error, Go's literal) or the
// flag U (Java's Unicode classes, Go's ungreedy repetition); and, in or
// out, an escape javaEscape finds. A { or & in a class ([{}], [a&b]), a
// } anywhere, and what \Q...\E quotes read alike.
func javaOnly(pattern string) string {
	inClass, classStart := false, 0
	for i := 0; i < len(pattern); i++ {
		rest := pattern[i:]
		switch {
		case rest[0] == '\\':
			n, piece := javaEscape(rest)
			if piece != "" {
				return piece
			}
			i += n - 1
		case inClass && rest[0] == '[':
			return pattern[classStart : i+1]
		case inClass && strings.HasPrefix(rest, "&&"):
			return pattern[classStart : i+2]
		case inClass:
			inClass = rest[0] != ']' || i == classStart+1 || i == classStart+2 && pattern[classStart+1] == '^'
		case rest[0] == '[':
			inClass, classStart = true, i
		case rest[0] == '{' && !goRepetition.MatchString(rest):
			return pattern[max(0, i-1) : i+min(2, len(rest))]
		case javaFlagU.MatchString(rest):
			return javaFlagU.FindString(rest)
		}
	}
	return ""
}

// goRepetition matches the start of a text whose { starts a repetition
// for Go's regexp and Java's alike; Go reads a { that starts none as a
// literal, where Java refuses the pattern ("Illegal repetition").
var goRepetition = regexp.MustCompile(`^\{[0-9]+(?:,[0-9]*)?\}`)

// javaFlagU matches the start of a text that is a group setting the flag
// U.
var javaFlagU = regexp.MustCompile(`^\(\?[a-zA-Z]*U`)

// javaEscape returns the length of the escape that text starts with, and
// the escape, when Go's regexp reads it otherwise than Java, without an
// error: \v (Java's vertical space class, Go's vertical tab), a digit
// (\1, Java's backreference, and \012, Java's \n, are Go's octal S and
// newline), \p{Greek} or \p{^L} (Go's script and negation, Java's
// errors: only a general category's name of one or two letters reads
// alike). The length of \Q...\E runs to its \E, that of \p{L} and
// \x{41} to their }.
func javaEscape(text string) (int, string) {
	if len(text) < 2 {
		return len(text), ""
	}
	switch c := text[1]; {
	case c == 'v' || c >= '0' && c <= '9':
		return 2, text[:2]
	case c == 'Q':
		if end := strings.Index(text, `\E`); end >= 0 {
			return end + 2, ""
		}
		return len(text), ""
	case (c == 'p' || c == 'P' || c == 'x') && len(text) > 2 && text[2] == '{':
		end := strings.IndexByte(text, '}')
		if end < 0 {
			return len(text), "" // Go's error
		}
		if name := text[3:end]; c != 'x' && (len(name) > 2 || strings.HasPrefix(name, "^")) {
			return end + 1, text[:end+1]
		}
		return end + 1, ""
	}
	return 2, ""
}

// javaCaseFold finds the flag i, with which Java folds the case of ASCII
// letters only, where Go's regexp folds the Kelvin sign to k, ſ to s and
// É to é as well.
var javaCaseFold = regexp.MustCompile(`\(\?[a-zA-Z]*i`)

// matchesDiffer returns why Go's regexp may match value against pattern,
// a Java regular expression, otherwise than Java, or "": Java's . matches
// none of \r, \u0085, \u2028 and \u2029, nor does \s match a vertical tab
// (Go's . matches the ones and \s not the other), and Java's (?i) folds
// ASCII letters only, where its \b and \B take every letter for a
// word character.
func matchesDiffer(pattern, value string) string {
	if i := strings.IndexAny(value, "\r\v\u0085\u2028\u2029"); i >= 0 {
		r, _ := utf8.DecodeRuneInString(value[i:])
		return "Go's regexp and Java's may match a value with " + strconv.QuoteRune(r) + " otherwise"
	}
	beyondASCII := strings.ContainsFunc(value, func(r rune) bool { return r >= utf8.RuneSelf })
	if beyondASCII && javaCaseFold.MatchString(pattern) {
		return "Go's regexp folds the case of letters beyond ASCII, Java's not"
	}
	if beyondASCII && (strings.Contains(pattern, `\b`) || strings.Contains(pattern, `\B`)) {
		return "Go's regexp finds word boundaries by ASCII letters, Java's by every letter"
	}
	return ""
}

// javaPattern compiles pattern, a Java regular expression, to match a
// whole value, as Java's String.matches does; or returns nil and why it
// cannot be checked: Go's regexp lacks some of Java's syntax
// (backreferences, lookaround, possessive repetition, \p{Alpha}, ...) and
// reads the pieces javaOnly finds otherwise (a value they may match
// otherwise is left to matchesDiffer).
func javaPattern(pattern string) (*regexp.Regexp, string) {
	if m := javaOnly(pattern); m != "" {
		return nil, "Go's regexp reads its " + strconv.Quote(m) + " otherwise than Java"
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return nil, "Go's regexp cannot read it as Java does: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	}
	if quoteOpen(pattern) {
		// Java and Go quote the rest of the pattern after a \Q with no
		// \E, which would quote the ) and \z that close it here.
		pattern += `\E`
	}
	return regexp.MustCompile(`\A(?:` + pattern + `)\z`), ""
}

// quoteOpen reports whether pattern has a \Q with no \E after it.
func quoteOpen(pattern string) bool {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '\\' {
			continue
		}
		if strings.HasPrefix(pattern[i:], `\Q`) && !strings.Contains(pattern[i:], `\E`) {
			return true
		}
		n, _ := javaEscape(pattern[i:])
		i += n - 1
	}
	return false
}
