package main

import (
	"bytes"
	"io"
	"runtime/debug"
	"strconv"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/annotate"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/internal/lint"
	"github.com/s3cors/s3cors/internal/textline"
	"github.com/s3cors/s3cors/s3err"
)

// Output formats of validate and lint.
const (
	formatText   = "text"
	formatJSON   = "json"
	formatSARIF  = "sarif"
	formatGitHub = "github"
)

// Rule IDs of what is neither an S3 error code nor a lint finding id.
const (
	ruleParseError = "parse-error"
	ruleNotJudged  = "not-judged"
)

// helpURI is where the findings are documented.
const helpURI = "https://github.com/s3cors/s3cors#command-line"

// annotations turns what was found in one input into annotate's findings,
// for SARIF and GitHub workflow commands: S3's problems and what the tool
// refuses (errors), lint's findings when linting (warnings), and values
// that could not be judged (notes). all gives every problem rather than
// the first of each configuration. What is in standard input is in no
// file: its findings have none, rather than a "<stdin>" no repository
// holds, and their messages give their lines (see annotate.Finding).
func annotations(l *loaded, all, linting bool) []annotate.Finding {
	var out []annotate.Finding
	file := l.file()
	switch {
	case l.err != nil || l.skipped:
	case l.parseErr != nil:
		out = append(out, annotate.Finding{RuleID: ruleParseError, Level: annotate.Error, File: l.fileOf(l.parseErr.Pos),
			Line: l.parseErr.Pos.Line, Column: l.parseErr.Pos.Char, Title: ruleParseError, Message: l.parseErr.Msg})
	case l.iac != nil:
		for _, v := range l.verdicts {
			out = append(out, iacAnnotations(l, v, all, linting)...)
		}
	default:
		for i, e := range l.problems {
			if i > 0 && !all {
				break
			}
			out = append(out, annotate.Finding{RuleID: e.Code, Level: annotate.Error, File: file, Line: e.Line,
				Column: charColumn(l.data, e.Line, e.Column), CORSRule: e.Rule, Title: statusLine(e), Message: e.Message, Hint: e.Reason})
		}
		if linting && l.valid() {
			for _, f := range lint.Check(l.doc.Rules) {
				line, col := findingPosition(l, f)
				out = append(out, findingAnnotation(f, "", file, line, charColumn(l.data, line, col), ""))
			}
		}
	}
	return out
}

// iacAnnotations returns the annotations of one bucket of an
// infrastructure file: S3's refusals, lint's findings when linting a
// valid bucket, and a note for each rule or value that depends on
// something the file does not fix and so was not judged.
func iacAnnotations(l *loaded, v *iac.Verdict, all, linting bool) []annotate.Finding {
	var out []annotate.Finding
	b := v.Bucket
	errs, problems := iacProblems(v, all)
	for _, e := range errs {
		out = append(out, annotate.Finding{RuleID: e.Code, Level: annotate.Error, File: l.fileOf(e.Pos), Line: e.Pos.Line,
			Column: e.Pos.Char, Resource: b.Resource, CORSRule: e.Rule, Title: e.Code, Message: e.Message, Hint: e.Hint})
	}
	for _, p := range problems {
		msg := p.Err.Message
		if s := via(p.Origin); s != "" {
			msg += " (" + s + ")"
		}
		out = append(out, annotate.Finding{RuleID: p.Err.Code, Level: annotate.Error, File: l.fileOf(p.Pos), Line: p.Pos.Line,
			Column: p.Pos.Char, Resource: b.Resource, CORSRule: p.Err.Rule, Title: statusLine(p.Err), Message: msg, Hint: p.Err.Reason})
	}
	if linting && v.Valid() {
		for _, f := range v.Findings {
			out = append(out, findingAnnotation(f.Finding, b.Resource, l.fileOf(f.Pos), f.Pos.Line, f.Pos.Char, via(f.Origin)))
		}
	}
	for _, u := range b.Unjudged {
		field := ""
		if u.Field != iac.FieldRule {
			field = u.Field.String() + " "
		}
		out = append(out, annotate.Finding{RuleID: ruleNotJudged, Level: annotate.Note, File: l.fileOf(u.Pos), Line: u.Pos.Line,
			Column: u.Pos.Char, Resource: b.Resource, CORSRule: u.Rule, Title: ruleNotJudged, Message: field + u.Expr + " is not judged: " + u.Why})
	}
	return out
}

// findingAnnotation is one lint finding as an annotation: the member and
// value it is about, where the value comes from when not written in the
// rule, and why it goes wrong.
func findingAnnotation(f lint.Finding, resource, file string, line, col int, from string) annotate.Finding {
	msg := f.Field
	if f.HasValue() {
		msg += " " + f.QuotedValue()
	}
	if from != "" {
		msg += " (" + from + ")"
	}
	if msg != "" {
		msg += ": "
	}
	return annotate.Finding{RuleID: f.ID, Level: annotate.Warning, File: file, Line: line, Column: col, Resource: resource,
		CORSRule: f.Rule, Title: f.ID, Message: msg + f.Why, Fix: f.Fix}
}

// file returns the file l was read from, as annotations name it: "" for
// standard input.
func (l *loaded) file() string {
	if l.stdin {
		return ""
	}
	return l.name
}

// fileOf returns the file of a position in l, as annotations name it:
// l's file when it has none, and "" for one in standard input, which
// iac names "<stdin>" (see loaded.file).
func (l *loaded) fileOf(p iac.Position) string {
	if p.File == "" || l.stdin && p.File == stdinName {
		return l.file()
	}
	return p.File
}

// charColumn turns a column counted in bytes on a line of data into one
// counted in characters, as SARIF counts them. A byte order mark, which
// the decoders' columns leave out, is left out. Lines end where the
// decoders end them (xmlconfig.Position, [textline.Starts]).
func charColumn(data []byte, line, col int) int {
	if line < 1 || col < 1 {
		return col
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	starts := textline.Starts(data)
	if line > len(starts) {
		return col
	}
	data = data[starts[line-1]:]
	if col-1 > len(data) {
		return col
	}
	return utf8.RuneCount(data[:col-1]) + 1
}

// sarifRules describes the rules the findings refer to, in order of
// first use; with linting, every lint finding too, so that a consumer
// knows them all.
func sarifRules(findings []annotate.Finding, linting bool) []annotate.Rule {
	var rules []annotate.Rule
	seen := map[string]bool{}
	add := func(r annotate.Rule) {
		if !seen[r.ID] {
			seen[r.ID] = true
			rules = append(rules, r)
		}
	}
	catalog := map[string]lint.Info{}
	for _, info := range lint.Catalog() {
		catalog[info.ID] = info
	}
	for _, f := range findings {
		switch info, isLint := catalog[f.RuleID]; {
		case isLint:
			add(lintRule(info))
		case f.RuleID == ruleNotJudged:
			add(annotate.Rule{ID: ruleNotJudged, Summary: "A value that is not literal and has no default was not judged",
				Help:    "The value comes from a parameter, variable or function whose value is known only at deployment; s3cors judged the rest of the configuration without it. Give the parameter or variable a default to have it judged.",
				HelpURI: helpURI, Level: annotate.Note})
		case f.RuleID == ruleParseError:
			add(annotate.Rule{ID: ruleParseError, Summary: "The file is not a well-formed template, configuration or plan",
				Help: "CloudFormation or Terraform cannot read the file: fix its syntax, or its size.", HelpURI: helpURI, Level: annotate.Error})
		case f.Level == annotate.Error && isS3Code(f.RuleID):
			add(annotate.Rule{ID: f.RuleID, Summary: "S3's PutBucketCors refuses the configuration: " + f.Title,
				Help:    "S3 answers PutBucketCors with " + f.Title + ", so the configuration cannot be deployed as written. Each result gives S3's message, where the offending value is written, and what exactly is wrong.",
				HelpURI: helpURI, Level: annotate.Error})
		default:
			add(annotate.Rule{ID: f.RuleID, Summary: "CloudFormation or Terraform refuses the CORS configuration: " + f.RuleID,
				Help:    "The infrastructure tool refuses the CORS configuration before S3 sees it. Each result says what it refuses and what to write instead.",
				HelpURI: helpURI, Level: annotate.Error})
		}
	}
	if linting {
		for _, info := range lint.Catalog() {
			add(lintRule(info))
		}
	}
	return rules
}

// lintRule describes a lint finding for SARIF's rule list. Its help says
// S3 accepts the configuration, except for a negative MaxAgeSeconds,
// which S3 was never recorded judging (spec §7).
func lintRule(info lint.Info) annotate.Rule {
	help := "s3cors lint: " + info.Summary + ". S3 accepts the configuration, but it does not do what it seems to."
	if info.ID == lint.IDMaxAgeNegative {
		// Whether S3 accepts a negative MaxAgeSeconds is not recorded
		// (spec §7).
		help = "s3cors lint: " + info.Summary + ". Whether S3 accepts the configuration is not recorded; if it does, it does not do what it seems to."
	}
	return annotate.Rule{ID: info.ID, Summary: info.Summary, Help: help, HelpURI: helpURI, Level: annotate.Warning}
}

// isS3Code reports whether id is an S3 error code (InvalidRequest,
// MalformedXML), which start with a capital, unlike the tools' and lint's
// kebab-case ids.
func isS3Code(id string) bool { return id != "" && 'A' <= id[0] && id[0] <= 'Z' }

// writeAnnotations writes findings as SARIF or GitHub workflow commands;
// failures, the inputs that could not be read, go in the SARIF log's
// invocation (GitHub's commands have them among the findings: see
// readFailureAnnotation).
func writeAnnotations(w io.Writer, format string, findings []annotate.Finding, failures []annotate.Notification, linting bool) {
	if format == formatGitHub {
		annotate.WriteGitHub(w, findings)
		return
	}
	bi, _ := debug.ReadBuildInfo()
	annotate.WriteSARIF(w, annotate.Tool{Name: "s3cors", Version: version(bi), InformationURI: "https://github.com/s3cors/s3cors"},
		sarifRules(findings, linting), findings, failures)
}

// readFailure is the SARIF notification of an input that could not be
// read (l.err): an error, which makes the run unsuccessful, with the
// message standard error gives, its control characters as they are, at
// the input unless it is standard input. Without it the log of a run
// that read nothing would look like one that found nothing.
func readFailure(l *loaded) annotate.Notification {
	return annotate.Notification{Level: annotate.Error, File: l.file(), Message: l.name + ": " + l.err.Error()}
}

// titleNotRead is the title of readFailureAnnotation's command.
const titleNotRead = "not read"

// readFailureAnnotation is the workflow command of an input that could
// not be read: an ::error on the file, which a pull request's author
// sees among the checks' annotations, not only in the job's log. The
// command names the file (file=), and GitHub shows the annotation on
// it: the message says what is wrong, as the findings' do, without the
// name again; standard input, which no file= names, keeps it.
func readFailureAnnotation(l *loaded) annotate.Finding {
	n := readFailure(l)
	if n.File != "" {
		n.Message = l.err.Error()
	}
	return annotate.Finding{Level: annotate.Error, File: n.File, Title: titleNotRead, Message: n.Message}
}

// statusLine says "400 InvalidRequest".
func statusLine(e *s3err.Error) string { return strconv.Itoa(e.StatusCode) + " " + e.Code }
