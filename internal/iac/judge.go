package iac

import (
	"slices"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/lint"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Verdict is S3's verdict and lint's findings on one bucket's rules, each
// located in the infrastructure file.
type Verdict struct {
	Bucket *Bucket
	// Problems is what S3's PutBucketCors would answer, in the order S3
	// checks: Problems[0] is its answer. Empty when S3 would accept the
	// rules, as far as they are known.
	Problems []Problem
	// Findings are lint's, given only when the bucket has neither
	// Problems nor Errors, as s3cors lint gives them.
	Findings []Finding
}

// Valid reports whether the tool and S3 would both accept the bucket's
// configuration, as far as its values are known.
func (v *Verdict) Valid() bool { return len(v.Problems) == 0 && len(v.Bucket.Errors) == 0 }

// Problem is one S3 error located in the infrastructure file.
type Problem struct {
	// Err is S3's error: status, Code, Message, and Reason, the hint. Its
	// Rule is the 1-based rule; its Line and Column are those of Pos.
	Err *s3err.Error
	// Pos is where the offending value is written, or its member, its
	// rule, or the list of rules for problems about the whole
	// configuration.
	Pos Position
	// Field and Index name the offending value (Index counts from 0 in
	// its list); Field is FieldRule and Index -1 for a problem about a
	// whole rule or configuration.
	Field  Field
	Index  int
	Origin Origin
}

// Finding is one lint finding located in the infrastructure file. Its
// Index (lint.Finding's) names the value in its list.
type Finding struct {
	lint.Finding
	// Pos is where the value the finding is about is written, or its
	// member, or its rule.
	Pos    Position
	Origin Origin
}

// Judge returns S3's verdict on b's rules, as S3 would judge the XML that
// CloudFormation or Terraform sends for them, and lint's findings when S3
// would accept them. It reuses package bucket's validation and package
// lint's checks, so a bucket is judged exactly as s3cors validate and lint
// judge the same rules in XML.
//
// Values that could not be judged are left out of the rules; the verdict
// then keeps only what stays true whatever they turn out to be: problems
// and findings about values that are known, never "no AllowedOrigin" for a
// rule whose origins are not known, nor "upload-without-etag" for a rule
// whose ExposeHeaders are not.
func Judge(b *Bucket) *Verdict {
	v := &Verdict{Bucket: b}
	if len(b.Rules) > 0 || !b.unknownCount {
		if e := xmlconfig.CheckSentSize(b.Rules); e != nil {
			v.add(e, v.listPos(), FieldRule, -1, Origin{})
		}
	}
	all := bucket.Problems(b.Rules)
	// S3 checks the schema first, all rules; the values read as
	// schema errors (a MaxAgeSeconds beyond 32 bits) belong there.
	for i := range b.Rules {
		for _, sp := range b.schema[i] {
			e := *sp.err
			e.Rule, e.Field = i+1, sp.field.String()
			all = append(all, &e)
		}
	}
	for _, e := range orderSchemaFirst(all) {
		if !b.judgeable(e) {
			continue
		}
		if e.Rule == 0 {
			v.add(e, v.listPos(), FieldRule, -1, Origin{})
			continue
		}
		o := &b.Origins[e.Rule-1]
		f, i := locateProblem(e)
		v.add(e, o.At(f, i), f, i, o.origin(f, i))
	}
	if len(v.Problems) > 0 || len(b.Errors) > 0 {
		v.redact()
		return v
	}
	found := lint.Check(b.Rules)
	for i := range b.Rules {
		if b.providerZeroMaxAge(i) && lint.RuleAnswersPreflights(b.Rules, i) {
			found = append(found, providerZeroMaxAgeFinding(i+1))
		}
	}
	// Lint orders findings by rule, then by field, MaxAgeSeconds last:
	// ordering by rule alone puts those added after the rule's others.
	slices.SortStableFunc(found, func(a, b lint.Finding) int { return a.Rule - b.Rule })
	for _, f := range found {
		if !b.lintable(f) {
			continue
		}
		o := &b.Origins[f.Rule-1]
		field := fieldByName(f.Field)
		v.Findings = append(v.Findings, Finding{Finding: f, Pos: o.At(field, f.Index), Origin: o.origin(field, f.Index)})
	}
	v.redact()
	return v
}

// providerZeroMaxAge reports whether the MaxAgeSeconds 0 of rule i (from
// 0) is the one the AWS provider sends for a cors_rule without
// max_age_seconds: the reader sets MaxAgeSeconds only from a member
// written out, or to 0 for such a rule (zeroMaxAge); a 0 written out is
// the author's choice.
func (b *Bucket) providerZeroMaxAge(i int) bool {
	r := &b.Rules[i]
	_, written := b.Origins[i].Members[FieldMaxAgeSeconds]
	return r.MaxAgeSeconds != nil && *r.MaxAgeSeconds == 0 && !written && !b.unknown[i].has(FieldMaxAgeSeconds)
}

// providerZeroMaxAgeFinding is max-age-missing for rule n (from 1), a
// cors_rule without max_age_seconds: the AWS provider sends MaxAgeSeconds
// 0 in its place, which caches a preflight's answer no longer than a rule
// without MaxAgeSeconds does, and likely not at all. UNVERIFIED whether S3
// then sends "Access-Control-Max-Age: 0" (which Chromium and Firefox do
// not cache) or leaves the header out (5 seconds), spec §3.3.
func providerZeroMaxAgeFinding(n int) lint.Finding {
	return lint.Finding{ID: lint.IDMaxAgeMissing, Rule: n, Field: FieldMaxAgeSeconds.String(), Index: -1,
		Why: "The rule answers preflights but max_age_seconds is not set, so the AWS provider sends MaxAgeSeconds 0, and browsers do not cache the answer at all (or for 5 seconds, if S3 leaves out an Access-Control-Max-Age of 0, which is not recorded): they preflight again nearly every request that needs a preflight.",
		Fix: "Set max_age_seconds, for example to 3000 (browsers cap it: Safari at 600, Chromium at 7200, Firefox at 86400).",
	}
}

// listPos is where the configuration's list of rules is written.
func (v *Verdict) listPos() Position {
	if v.Bucket.RulesPos.IsValid() {
		return v.Bucket.RulesPos
	}
	return v.Bucket.Pos
}

func (v *Verdict) add(e *s3err.Error, pos Position, f Field, i int, o Origin) {
	located := *e
	located.Line, located.Column = pos.Line, pos.Column
	v.Problems = append(v.Problems, Problem{Err: &located, Pos: pos, Field: f, Index: i, Origin: o})
}

// orderSchemaFirst puts the MalformedXML problems first, keeping the
// order within each group, as package bucket orders its problems.
func orderSchemaFirst(all []*s3err.Error) []*s3err.Error {
	out := make([]*s3err.Error, 0, len(all))
	for _, schema := range []bool{true, false} {
		for _, e := range all {
			if (e.Code == "MalformedXML") == schema {
				out = append(out, e)
			}
		}
	}
	return out
}

// Problems of the rule shape that package corsrule gives for a rule
// without a value in a required member.
var (
	emptyRuleProblems = (&corsrule.Rule{}).Problems()
	noRulesProblem    = bucket.Problems(nil)[0]
)

// judgeable reports whether S3's problem e stays true whatever the values
// that were not judged turn out to be.
func (b *Bucket) judgeable(e *s3err.Error) bool {
	if sameProblem(e, noRulesProblem) {
		return !b.unknownCount
	}
	if e.Rule == 0 {
		return true
	}
	for i, missing := range emptyRuleProblems {
		if sameProblem(e, missing) {
			f := []Field{FieldAllowedOrigin, FieldAllowedMethod}[i]
			return !b.unknown[e.Rule-1].has(f)
		}
	}
	return true
}

// sameProblem reports whether a and b are the same problem of S3's,
// wherever they are located (Rule, Field, Line and Column ignored).
func sameProblem(a, b *s3err.Error) bool {
	return a.Code == b.Code && a.Message == b.Message && a.Reason == b.Reason
}

// locateProblem returns the value of its rule that S3's problem e is
// about, as package corsrule names it (e.Field, e.Index): FieldRule and -1
// for a problem about the rule as a whole (a missing member), -1 as the
// index of ID and MaxAgeSeconds.
func locateProblem(e *s3err.Error) (Field, int) {
	switch f := fieldByName(e.Field); f {
	case FieldRule, FieldID, FieldMaxAgeSeconds:
		return f, -1
	default:
		return f, e.Index
	}
}

// Lint findings about something missing or unreachable could be wrong when
// values were not judged: absentFindings names, for each, the members
// whose unknown values could make it wrong (FieldRule: any member).
// Findings about a value that is there stay true whatever else the rule
// holds: presentFindings. Every id of lint.Catalog is in one of the two
// (TestLintIDsClassified); an id in neither is treated as absent on any
// member.
var (
	absentFindings = map[string]Field{
		lint.IDUploadWithoutETag:        FieldExposeHeader,
		lint.IDUploadWithoutChecksum:    FieldExposeHeader,
		lint.IDUploadWithoutContentType: FieldAllowedHeader,
		lint.IDMaxAgeMissing:            FieldMaxAgeSeconds,
		lint.IDUnreachableRule:          FieldRule,
		lint.IDShadowedOrigin:           FieldRule,
	}
	// configFindings weigh every rule of the configuration against the
	// others (cache-without-vary counts the origins answered before the
	// first GET rule for "*"; shadowed-method says what every earlier rule
	// that may answer a method leaves out, which an unknown ExposeHeader,
	// origin or method of one of them, or a rule not known, could hold),
	// so an unknown value in any rule could make them wrong, and so could
	// a rule not known at all (unknownCount), which may answer every GET
	// with "*" before the others.
	configFindings = map[string]bool{
		lint.IDCacheWithoutVary: true,
		lint.IDShadowedMethod:   true,
	}
	presentFindings = map[string]bool{
		lint.IDOriginEmpty: true, lint.IDOriginWhitespace: true, lint.IDOriginCommaSeparated: true,
		lint.IDOriginNonASCII: true, lint.IDOriginNoScheme: true, lint.IDOriginNoHost: true, lint.IDOriginHostEscape: true, lint.IDOriginBadPunycode: true, lint.IDOriginHostCharacter: true, lint.IDOriginHostNotDNS: true,
		lint.IDOriginUppercase: true, lint.IDOriginIPForm: true, lint.IDOriginDefaultPort: true, lint.IDOriginBadPort: true,
		lint.IDOriginTrailingSlash: true, lint.IDOriginPath: true,
		lint.IDOriginNull: true, lint.IDOriginWildcardSuffix: true, lint.IDOriginWildcardAfterHost: true,
		lint.IDOriginWildcardTLD: true, lint.IDOriginWildcardScheme: true, lint.IDOriginWildcardAddress: true, lint.IDAnyOriginWrites: true, lint.IDDuplicateOrigin: true,
		lint.IDDuplicateMethod: true, lint.IDDuplicateHeader: true, lint.IDDuplicateExposeHeader: true,
		lint.IDMaxAgeNegative: true, lint.IDMaxAgeOverFirefox: true,
	}
)

// lintable reports whether finding f stays true whatever the values that
// were not judged turn out to be.
func (b *Bucket) lintable(f lint.Finding) bool {
	if presentFindings[f.ID] {
		return true
	}
	if configFindings[f.ID] {
		return !b.unknownCount && !slices.ContainsFunc(b.unknown, func(u fieldSet) bool { return u != 0 })
	}
	unknown := b.unknown[f.Rule-1]
	if field, ok := absentFindings[f.ID]; ok && field != FieldRule {
		return !unknown.has(field)
	}
	return unknown == 0
}
