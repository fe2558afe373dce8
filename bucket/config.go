package bucket

import (
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// Config is a valid bucket CORS configuration compiled for evaluation. It
// is immutable and safe for concurrent use; a nil *Config stands for a
// bucket without a CORS configuration, and so does the zero Config, which
// has no rule (New refuses none, as S3 does): a Config held by value and
// never set is none.
type Config struct {
	rules    []corsrule.Rule // as given, deep-copied
	compiled []rule
	origins  originIndex
	// joined remembers Access-Control-Allow-Headers values built for
	// recent requests. It is the one part of a Config that changes, and
	// only ever holds what would be built anew without it.
	joined joinedCache
}

// rule is a CORSRule compiled for matching, with its response header values
// built once. Every value slice has length and capacity 1, so a handler that
// appends to a header it received from [Result.WriteHeaders] copies instead
// of writing into memory other responses share.
type rule struct {
	methods methodSet
	// anyOrigin holds when the rule lists the bare "*": S3 then answers
	// Access-Control-Allow-Origin: * without credentials.
	anyOrigin bool
	headers   headerSet

	allowMethods []string
	exposeHeader []string // nil when the rule has no ExposeHeader
	maxAge       []string // nil when the rule has no MaxAgeSeconds
}

// New validates rules as S3's PutBucketCors does and compiles them. On the
// first problem it returns S3's error as a [*s3err.Error]; see
// [Problems] for the order. The rules are copied: later changes to them do
// not reach the Config.
func New(rules []corsrule.Rule) (*Config, error) {
	if err := Validate(rules); err != nil {
		return nil, err
	}
	c := &Config{rules: cloneRules(rules), compiled: make([]rule, len(rules)), joined: joinedCache{seed: newJoinedSeed()}}
	comp := newCompiler(c.rules)
	for i := range c.rules {
		c.compiled[i] = comp.rule(&c.rules[i])
	}
	c.origins = newOriginIndex(c.rules)
	return c, nil
}

// MustNew is like [New] but panics when rules are invalid. It is meant for
// configurations written in the program's source.
func MustNew(rules ...corsrule.Rule) *Config {
	c, err := New(rules)
	if err != nil {
		panic("bucket.MustNew: " + err.Error())
	}
	return c
}

// cloneRules deep-copies rules into two allocations, one for every list
// of every rule and one for the MaxAgeSeconds, instead of five for each
// rule. Each list is a window of the shared array whose capacity ends
// where the list does, so appending to one copies it.
func cloneRules(rules []corsrule.Rule) []corsrule.Rule {
	n, ages := 0, 0
	for i := range rules {
		r := &rules[i]
		n += len(r.AllowedOrigins) + len(r.AllowedMethods) + len(r.AllowedHeaders) + len(r.ExposeHeaders)
		if r.MaxAgeSeconds != nil {
			ages++
		}
	}
	strs, maxAges := make([]string, 0, n), make([]int32, 0, ages)
	clone := func(list []string) []string {
		if list == nil {
			return nil
		}
		at := len(strs)
		strs = append(strs, list...)
		return strs[at:len(strs):len(strs)]
	}
	out := make([]corsrule.Rule, len(rules))
	for i := range rules {
		r := &rules[i]
		out[i] = corsrule.Rule{ID: r.ID, AllowedOrigins: clone(r.AllowedOrigins), AllowedMethods: clone(r.AllowedMethods),
			AllowedHeaders: clone(r.AllowedHeaders), ExposeHeaders: clone(r.ExposeHeaders)}
		if r.MaxAgeSeconds != nil {
			maxAges = append(maxAges, *r.MaxAgeSeconds)
			out[i].MaxAgeSeconds = &maxAges[len(maxAges)-1]
		}
	}
	return out
}

// compiler compiles the rules of one configuration. Their header values
// come from one array, and a rule whose methods, exposed headers or max
// age are the previous rule's shares that rule's value, so that compiling
// the hundred rules of a large configuration costs a few allocations
// rather than a few per rule.
type compiler struct {
	values   []string // header values, each a window of capacity 1
	literals []string // lower-cased literal AllowedHeaders of every rule
	globs    []corsrule.Pattern
	prev     *corsrule.Rule
	prevRule rule
}

// newCompiler returns a compiler for rules with its arrays made large
// enough at once: three header values a rule at most (methods, exposed
// headers, max age), every literal AllowedHeader of every rule and every
// pattern. Grown as they came, the patterns of the largest configuration
// cost seven allocations, about twice their size in all.
func newCompiler(rules []corsrule.Rule) compiler {
	literals, globs := 0, 0
	for i := range rules {
		for _, h := range rules[i].AllowedHeaders {
			if h != "*" && strings.IndexByte(h, '*') >= 0 {
				globs++
			} else {
				literals++
			}
		}
	}
	return compiler{values: make([]string, 0, 3*len(rules)), literals: make([]string, 0, literals),
		globs: make([]corsrule.Pattern, 0, globs)}
}

// value returns a header value holding s alone.
func (c *compiler) value(s string) []string {
	c.values = append(c.values, s)
	return c.values[len(c.values)-1 : len(c.values) : len(c.values)]
}

// rule compiles r into what evaluation reads: its methods as bits, its
// AllowedHeaders as a headerSet, and the Access-Control-Allow-Methods,
// Expose-Headers and Max-Age values S3 sends for it, taken from the
// previous rule when they are the same.
func (c *compiler) rule(r *corsrule.Rule) rule {
	cr := rule{headers: c.headerSet(r.AllowedHeaders), anyOrigin: anyOrigin(r.AllowedOrigins)}
	for _, m := range r.AllowedMethods {
		cr.methods |= methodBit(m)
	}
	prev, p := c.prev, &c.prevRule
	if prev != nil && slices.Equal(r.AllowedMethods, prev.AllowedMethods) {
		cr.allowMethods = p.allowMethods
	} else {
		cr.allowMethods = c.value(strings.Join(r.AllowedMethods, ", "))
	}
	switch {
	case len(r.ExposeHeaders) == 0:
	case prev != nil && slices.Equal(r.ExposeHeaders, prev.ExposeHeaders):
		cr.exposeHeader = p.exposeHeader
	default:
		cr.exposeHeader = c.value(strings.Join(r.ExposeHeaders, ", "))
	}
	switch {
	case r.MaxAgeSeconds == nil:
	case prev != nil && prev.MaxAgeSeconds != nil && *prev.MaxAgeSeconds == *r.MaxAgeSeconds:
		cr.maxAge = p.maxAge
	default:
		// UNVERIFIED: S3 was never recorded answering for MaxAgeSeconds 0
		// or a negative value. It stores the integer as sent, so it is
		// sent as stored; the clones that omit 0 do so because 0 is false
		// in their language.
		cr.maxAge = c.value(strconv.Itoa(int(*r.MaxAgeSeconds)))
	}
	c.prev, c.prevRule = r, cr
	return cr
}

// headerSet compiles a rule's AllowedHeaders, its literals and patterns
// taken from arrays all the rules share.
func (c *compiler) headerSet(allowed []string) headerSet {
	var s headerSet
	lits, globs := len(c.literals), len(c.globs)
	for _, h := range allowed {
		p := corsrule.HeaderPattern(h)
		switch lit, ok := p.Literal(); {
		case p.IsAny():
			s.any = true
		case ok:
			c.literals = append(c.literals, lit)
		default:
			c.globs = append(c.globs, p)
		}
	}
	s.literals = c.literals[lits:len(c.literals):len(c.literals)]
	s.globs = c.globs[globs:len(c.globs):len(c.globs)]
	return s
}

// anyOrigin reports whether a rule with these origins answers
// Access-Control-Allow-Origin: *.
//
// UNVERIFIED: S3 answers "*" for a rule whose only origin is "*". For a rule
// that lists "*" beside other origins no capture exists; this follows
// Scality and LocalStack, both built against S3, which answer "*" whenever
// the rule lists it, whichever origin matched.
func anyOrigin(origins []string) bool {
	for _, o := range origins {
		if o == "*" {
			return true
		}
	}
	return false
}

// none reports whether c stands for no configuration: nil, or the zero
// Config.
func (c *Config) none() bool { return c == nil || len(c.compiled) == 0 }

// Rules returns a copy of the configuration's rules, in order, as they were
// given.
func (c *Config) Rules() []corsrule.Rule {
	if c == nil {
		return nil
	}
	rules := make([]corsrule.Rule, len(c.rules))
	for i, r := range c.rules {
		rules[i] = r.Clone()
	}
	return rules
}

// Len returns the number of rules.
func (c *Config) Len() int {
	if c == nil {
		return 0
	}
	return len(c.rules)
}

// Validate returns the first problem S3's PutBucketCors would report for
// rules, as a [*s3err.Error], or nil if S3 would accept them. It judges
// the rules, not the document they travel in: S3's limit of
// [corsrule.MaxDocumentSize] bytes applies to the body it receives, which
// xmlconfig's decoders check, and xmlconfig.CheckSentSize checks for
// rules a tool will send.
func Validate(rules []corsrule.Rule) error {
	if p := Problems(rules); len(p) > 0 {
		return p[0]
	}
	return nil
}

// Problems returns every problem S3's PutBucketCors would find in rules,
// in order: the first is the one S3 reports, which [Validate] and [New]
// return. Schema violations (MalformedXML) come first, for all rules,
// because S3 checks the document against its schema before it reads any
// value (UNVERIFIED: Scality counts the rules first; a schema
// validator would not); then more than [corsrule.MaxRules] rules; then
// each rule's value checks, rule by rule (see [corsrule.Rule.Problems]).
// Each error's Rule field holds the 1-based position of its rule, or 0
// for a problem of the configuration as a whole: no rule, or too many;
// its Field and Index name the value it is about, if one, which
// [github.com/s3cors/s3cors/xmlconfig.Document.ValuePosition] turns into
// a place in the document.
func Problems(rules []corsrule.Rule) []*s3err.Error {
	if len(rules) == 0 {
		return []*s3err.Error{s3err.MalformedXML("the configuration has no CORSRule")}
	}
	var schema, values []*s3err.Error
	for i := range rules {
		for _, e := range rules[i].Problems() {
			e.Rule = i + 1
			if e.Code == "MalformedXML" {
				schema = append(schema, e)
			} else {
				values = append(values, e)
			}
		}
	}
	if len(rules) > corsrule.MaxRules {
		e := corsrule.TooManyRules()
		e.Reason = strconv.Itoa(len(rules)) + " rules"
		values = append([]*s3err.Error{e}, values...)
	}
	return append(schema, values...)
}
