package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/iac"
)

// Infrastructure files (CloudFormation, Terraform, plans) are judged
// bucket by bucket; this file prints what iac found, in text and JSON.

// kindName names a kind of infrastructure file in sentences.
func kindName(k iac.Kind) string { return formNames[k.String()] }

// where returns a position as "file:line:col", or name when the position
// is unknown.
func where(p iac.Position, name string) string {
	switch {
	case p.IsValid():
		return p.String()
	case p.File != "":
		return p.File
	}
	return name
}

// subject names what a line is about: "UploadBucket", "UploadBucket rule
// 2 (browser-uploads)", "UploadBucket rule 2 (browser-uploads)
// AllowedOrigin"; a CDK resource with its construct path, which says more
// than its logical ID.
func subject(b *iac.Bucket, rule int, field string) string {
	s := b.Resource
	if b.Path != "" {
		s += " (CDK " + b.Path + ")"
	}
	if rule > 0 {
		s += " rule " + strconv.Itoa(rule)
		if rule <= len(b.Rules) && b.Rules[rule-1].ID != "" {
			// Redacted with its parentheses: a sensitive ID reads
			// "rule 2 (sensitive value)".
			s += b.Redact(" (" + explain.QuoteIfNeeded(b.Rules[rule-1].ID) + ")")
		}
	}
	if field != "" {
		s += " " + field
	}
	return s
}

// via says where a value was taken from when it is not written in the
// rule, or "".
func via(o iac.Origin) string {
	if o.Via == "" {
		return ""
	}
	if o.Ref.IsValid() {
		return o.Via + ", referred to at " + o.Ref.String()
	}
	return o.Via
}

// iacProblems returns what the tool and S3 refuse in a bucket, in the
// order a deployment meets them: the tool's errors, then S3's verdict.
func iacProblems(v *iac.Verdict, all bool) (errs []iac.TemplateError, problems []iac.Problem) {
	errs, problems = v.Bucket.Errors, v.Problems
	if !all {
		switch {
		case len(errs) > 0:
			errs, problems = errs[:1], nil
		case len(problems) > 0:
			problems = problems[:1]
		}
	}
	return errs, problems
}

// writeIaC prints the verdict on an infrastructure file: for each bucket
// the first problem (all with all), or a summary of a valid one
// (validate) or lint's findings (lint), then the values not judged and
// how values were read.
func writeIaC(w io.Writer, l *loaded, all, linting bool) {
	if pe := l.parseErr; pe != nil {
		printText(w, "%s: %s\n", where(pe.Pos, l.name), pe.Msg)
		return
	}
	for _, n := range l.iac.Notes {
		writeFileNote(w, n, l.name)
	}
	if len(l.verdicts) == 0 && !linting {
		printText(w, "%s: no bucket CORS configuration in this %s\n", l.name, kindName(l.iac.Kind))
	}
	for _, v := range l.verdicts {
		writeBucketVerdict(w, v, l.name, all, linting)
	}
}

// writeBucketVerdict prints writeIaC's verdict on one bucket of the
// infrastructure file named name: its problems, then its findings or its
// summary, then the values not judged and the notes on it.
func writeBucketVerdict(w io.Writer, v *iac.Verdict, name string, all, linting bool) {
	b := v.Bucket
	errs, problems := iacProblems(v, all)
	writeBucketProblems(w, b, errs, problems, name)
	switch {
	case !v.Valid():
	case linting:
		writeBucketFindings(w, v, name)
	default:
		writeBucketSummary(w, b, name)
	}
	for _, u := range b.Unjudged {
		printText(w, "%s: not judged: %s %s: %s\n", where(u.Pos, name), subject(b, u.Rule, u.Field.String()), u.Expr, u.Why)
	}
	for _, n := range b.Notes {
		writeBucketNote(w, b, n, name)
	}
}

// writeBucketProblems prints what the tool (errs) and S3 (problems)
// refuse in bucket b of the file named name, each with its hint, and for
// S3's, where a value not written in the rule came from.
func writeBucketProblems(w io.Writer, b *iac.Bucket, errs []iac.TemplateError, problems []iac.Problem, name string) {
	for _, e := range errs {
		printText(w, "%s: %s: %s: %s\n", where(e.Pos, name), paint(w, red, e.Code), subject(b, e.Rule, e.Field.String()), e.Message)
		if e.Hint != "" {
			printText(w, "    hint: %s\n", e.Hint)
		}
	}
	for _, p := range problems {
		printText(w, "%s: %d %s: %s: %s\n", where(p.Pos, name), p.Err.StatusCode, paint(w, red, p.Err.Code), subject(b, p.Err.Rule, ""), p.Err.Message)
		if p.Err.Reason != "" {
			printText(w, "    hint: %s\n", p.Err.Reason)
		}
		if s := via(p.Origin); s != "" {
			printText(w, "    from: %s\n", s)
		}
	}
}

// writeBucketFindings prints lint's findings on the valid bucket of v,
// in the file named name, each with its fix and where its value came
// from.
func writeBucketFindings(w io.Writer, v *iac.Verdict, name string) {
	for _, f := range v.Findings {
		subj := subject(v.Bucket, f.Rule, f.Field)
		if f.HasValue() {
			subj += " " + f.QuotedValue()
		}
		printText(w, "%s: %s: %s: %s\n    fix: %s\n", where(f.Pos, name), paint(w, yellow, f.ID), subj, f.Why, f.Fix)
		if s := via(f.Origin); s != "" {
			printText(w, "    from: %s\n", s)
		}
	}
}

// writeBucketSummary prints validate's line on the valid bucket b of the
// file named name: its rules, origins and methods, as far as they could
// be judged.
func writeBucketSummary(w io.Writer, b *iac.Bucket, name string) {
	s := summarize(b.Rules)
	judged := ""
	if n := len(b.Unjudged); n > 0 {
		judged = " as far as judged (" + plural(n, "value") + " not judged)"
	}
	// A valid configuration has a rule, and an origin and a
	// method in each rule, so none known means none could be
	// judged.
	rules, origins, methods := "rules not known", "origins not known", "methods not known"
	if s.Rules > 0 {
		rules = plural(s.Rules, "rule")
	}
	if s.Origins > 0 {
		origins = plural(s.Origins, "origin")
	}
	if len(s.Methods) > 0 {
		methods = "methods " + strings.Join(s.Methods, ", ")
	}
	printText(w, "%s: %s: %s CORS configuration%s: %s, %s, %s\n", where(b.Pos, name), b.Resource, paint(w, green, "valid"),
		judged, rules, origins, methods)
}

// writeFileNote prints a note about an infrastructure file named name.
func writeFileNote(w io.Writer, n iac.Note, name string) {
	printText(w, "%s: note: %s\n", where(n.Pos, name), n.Text)
}

// writeBucketNote prints a note about bucket b of the infrastructure
// file named name.
func writeBucketNote(w io.Writer, b *iac.Bucket, n iac.Note, name string) {
	printText(w, "%s: note: %s: %s\n", where(n.Pos, name), subject(b, n.Rule, ""), n.Text)
}

// wholeFileNotes returns the notes on an infrastructure file that may
// concern each of its buckets: those on files of a module that were not
// read (a .tf or .tf.json file OpenTofu reads another in place of), which
// may hold what a bucket is made of, such as an override; they name a
// file, not a place in one. And those marked EveryBucket: a variable's
// value the module does not declare (a misspelt name in a --var-file)
// leaves the variable at its default, which the bucket may be made of.
// The others are on
// resources that were not read (a module, a nested stack, a loop) or that
// are no bucket; a bucket read depends on those only through a value not
// judged, and convert and explain refuse a bucket that has one.
func wholeFileNotes(notes []iac.Note) []iac.Note {
	var out []iac.Note
	for _, n := range notes {
		if n.Pos.Line == 0 && n.Pos.File != "" || n.EveryBucket {
			out = append(out, n)
		}
	}
	return out
}

// writeNotes prints the notes on cfg's bucket and those on its
// infrastructure file that may concern it, as validate prints them, and nothing for an S3
// document. What convert writes and explain answers is one reading of the
// file, with the parameters' and variables' defaults, the conditions they
// decide and the order of the rules as written; without the notes it
// would pass for the only one.
func (cfg *configuration) writeNotes(w io.Writer) {
	for _, n := range cfg.fileNotes {
		writeFileNote(w, n, cfg.name)
	}
	if b := cfg.bucket; b != nil {
		for _, n := range b.Notes {
			writeBucketNote(w, b, n, cfg.name)
		}
	}
}

// notesJSON returns the notes writeNotes prints as validate --json holds
// them, those on the file first; nil when there are none.
func (cfg *configuration) notesJSON() []jsonPlace {
	var out []jsonPlace
	for _, n := range cfg.fileNotes {
		out = append(out, placeJSON(n.Pos, 0, n.Text))
	}
	if b := cfg.bucket; b != nil {
		for _, n := range b.Notes {
			out = append(out, placeJSON(n.Pos, n.Rule, n.Text))
		}
	}
	return out
}

// jsonIaC is an infrastructure file in validate and lint --json.
type jsonIaC struct {
	File       string          `json:"file"`
	Format     string          `json:"format"`
	Valid      bool            `json:"valid"`
	FilesRead  []string        `json:"files_read,omitempty"`
	ParseError *jsonPlace      `json:"parse_error,omitempty"` // why the file could not be read as its kind
	Notes      []jsonPlace     `json:"notes,omitempty"`
	Buckets    []jsonIaCBucket `json:"buckets"`
}

// jsonIaCBucket is one bucket of an infrastructure file, with its
// verdict in the order a deployment meets it: what the tool refuses, then
// S3's problems (the first one only, without --all), and lint's findings
// for a valid bucket.
type jsonIaCBucket struct {
	Resource string `json:"resource"`
	Type     string `json:"type"`
	CDKPath  string `json:"cdk_path,omitempty"`
	jsonWhere
	Valid          bool                `json:"valid"`
	Summary        *summary            `json:"summary,omitempty"`
	TemplateErrors []jsonTemplateError `json:"template_errors"`
	Problems       []jsonProblem       `json:"problems"`
	Findings       []jsonFinding       `json:"findings,omitempty"`
	NotJudged      []jsonNotJudged     `json:"not_judged"`
	Notes          []jsonPlace         `json:"notes"`
}

// jsonPlace is a message at a place: a note, a parse error.
type jsonPlace struct {
	jsonWhere
	Rule    int    `json:"rule,omitempty"`
	Message string `json:"message"`
}

// jsonTemplateError is what CloudFormation or Terraform refuses.
type jsonTemplateError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	Rule    int    `json:"rule,omitempty"`
	Field   string `json:"field,omitempty"`
	jsonWhere
}

// jsonNotJudged is a value that could not be judged.
type jsonNotJudged struct {
	Rule       int    `json:"rule,omitempty"`
	Field      string `json:"field,omitempty"`
	Expression string `json:"expression"`
	Why        string `json:"why"`
	jsonWhere
}

// jsonWhere is a position, inlined in the objects that have one.
type jsonWhere struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

func whereJSON(p iac.Position) jsonWhere {
	return jsonWhere{File: p.File, Line: p.Line, Column: p.Column}
}

func placeJSON(p iac.Position, rule int, msg string) jsonPlace {
	return jsonPlace{jsonWhere: whereJSON(p), Rule: rule, Message: msg}
}

// iacJSON returns the JSON of an infrastructure file: every bucket with
// S3's first problem (all with all), lint's findings when linting, the
// values not judged and the notes.
func iacJSON(l *loaded, all, linting bool) jsonIaC {
	out := jsonIaC{File: l.name, Format: l.kind.String(), Valid: l.valid(), Buckets: []jsonIaCBucket{}}
	if pe := l.parseErr; pe != nil {
		p := placeJSON(pe.Pos, 0, pe.Msg)
		out.ParseError = &p
		return out
	}
	out.FilesRead = l.iac.Files
	for _, n := range l.iac.Notes {
		out.Notes = append(out.Notes, placeJSON(n.Pos, 0, n.Text))
	}
	for _, v := range l.verdicts {
		b := v.Bucket
		jb := jsonIaCBucket{Resource: b.Resource, Type: b.Type, CDKPath: b.Path, jsonWhere: whereJSON(b.Pos), Valid: v.Valid(), TemplateErrors: []jsonTemplateError{}, Problems: []jsonProblem{}, NotJudged: []jsonNotJudged{}, Notes: []jsonPlace{}}
		errs, problems := iacProblems(v, all)
		for _, e := range errs {
			jb.TemplateErrors = append(jb.TemplateErrors, jsonTemplateError{Code: e.Code, Message: e.Message, Hint: e.Hint, Rule: e.Rule,
				Field: e.Field.String(), jsonWhere: whereJSON(e.Pos)})
		}
		for _, p := range problems {
			jp := problemJSON(p.Err)
			jp.File, jp.Field, jp.Via = p.Pos.File, p.Field.String(), via(p.Origin)
			jb.Problems = append(jb.Problems, jp)
		}
		switch {
		case !v.Valid():
		case linting:
			jb.Findings = []jsonFinding{}
			for _, f := range v.Findings {
				jf := findingJSON(f.Finding, b.Rules)
				jf.RuleID = b.Redact(jf.RuleID)
				jf.File, jf.Line, jf.Column, jf.Via = f.Pos.File, f.Pos.Line, f.Pos.Column, via(f.Origin)
				jb.Findings = append(jb.Findings, jf)
			}
		default:
			s := summarize(b.Rules)
			jb.Summary = &s
		}
		for _, u := range b.Unjudged {
			jb.NotJudged = append(jb.NotJudged, jsonNotJudged{Rule: u.Rule, Field: u.Field.String(), Expression: u.Expr, Why: u.Why,
				jsonWhere: whereJSON(u.Pos)})
		}
		for _, n := range b.Notes {
			jb.Notes = append(jb.Notes, placeJSON(n.Pos, n.Rule, n.Text))
		}
		out.Buckets = append(out.Buckets, jb)
	}
	return out
}
