package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/annotate"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/lint"
)

// runLint is the lint verb. Its exit status is exitInvalid for a file
// with findings, as for one S3 would refuse, so that CI fails on either.
func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("lint", stdout, stderr)
	c.operands = operandFiles
	ff := c.fileFlags("lint")
	c.loadHelp("findings", findingsTable())
	return c.forEachFile(args, stdin, ff, true, func(l *loaded, format string) (int, any, []annotate.Finding) {
		var findings []lint.Finding
		code := exitOK
		switch {
		case l.err != nil:
		case !l.valid():
			code = exitInvalid
		case l.isIaC():
			for _, v := range l.verdicts {
				if len(v.Findings) > 0 {
					code = exitInvalid
				}
			}
		default:
			if findings = lint.Check(l.doc.Rules); len(findings) > 0 {
				code = exitInvalid
			}
		}
		switch {
		case format == formatSARIF || format == formatGitHub:
			return code, nil, annotations(l, false, true)
		case format == formatJSON && l.isIaC():
			return code, iacJSON(l, false, true), nil
		case format == formatJSON:
			return code, lintedJSON(l, findings), nil
		case l.isIaC():
			writeIaC(stdout, l, false, true)
			return code, nil, nil
		}
		if l.err == nil && !l.valid() {
			writeVerdict(stdout, l, false)
		}
		for _, f := range findings {
			writeFinding(stdout, l, f)
		}
		return code, nil, nil
	})
}

// findingsTable lists the findings' ids and summaries for the help.
func findingsTable() string {
	var b strings.Builder
	idWidth := 0
	for _, info := range lint.Catalog() {
		idWidth = max(idWidth, len(info.ID))
	}
	for _, info := range lint.Catalog() {
		fmt.Fprintf(&b, "  %-*s  %s\n", idWidth, info.ID, wrapHanging(info.Summary, idWidth+4))
	}
	return b.String()
}

// writeFinding prints one finding and its fix.
func writeFinding(w io.Writer, l *loaded, f lint.Finding) {
	line, col := findingPosition(l, f)
	subject := "rule " + strconv.Itoa(f.Rule)
	if id := l.doc.Rules[f.Rule-1].ID; id != "" {
		subject += " (" + explain.QuoteIfNeeded(id) + ")"
	}
	if f.Field != "" {
		subject += " " + f.Field
	}
	if f.HasValue() {
		subject += " " + f.QuotedValue()
	}
	printText(w, "%s: %s: %s: %s\n    fix: %s\n", location(l.name, line, col), paint(w, yellow, f.ID), subject, f.Why, f.Fix)
}

// findingPosition returns where the value finding f is about starts in
// the document, or its rule where it is about the rule or something it
// lacks.
func findingPosition(l *loaded, f lint.Finding) (line, col int) {
	p := l.doc.ValuePosition(f.Rule, f.Field, f.Index)
	return p.Line, p.Column
}

// jsonFinding is one finding in lint --json. File and Via are set for a
// finding in an infrastructure file (see jsonProblem).
type jsonFinding struct {
	ID     string `json:"id"`
	Rule   int    `json:"rule"`
	RuleID string `json:"rule_id,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Via    string `json:"via,omitempty"`
	Why    string `json:"why"`
	Fix    string `json:"fix"`
}

func findingJSON(f lint.Finding, rules []corsrule.Rule) jsonFinding {
	return jsonFinding{ID: f.ID, Rule: f.Rule, RuleID: rules[f.Rule-1].ID, Field: f.Field, Value: f.Value, Why: f.Why, Fix: f.Fix}
}

// jsonLinted is one file of lint --json.
type jsonLinted struct {
	File     string        `json:"file"`
	Format   string        `json:"format,omitempty"`
	Valid    bool          `json:"valid"`
	Problems []jsonProblem `json:"problems,omitempty"`
	Findings []jsonFinding `json:"findings"`
	Error    string        `json:"error,omitempty"`
}

// lintedJSON returns one file of lint --json: S3's first problem when it
// is invalid, else its findings, each located in the file.
func lintedJSON(l *loaded, findings []lint.Finding) jsonLinted {
	inv := invalidJSON(l)
	v := jsonLinted{File: l.name, Format: inv.Format, Valid: l.valid(), Findings: []jsonFinding{}, Error: inv.Error}
	if l.err == nil && !l.valid() {
		v.Problems = inv.Problems
	}
	for _, f := range findings {
		jf := findingJSON(f, l.doc.Rules)
		jf.Line, jf.Column = findingPosition(l, f)
		v.Findings = append(v.Findings, jf)
	}
	return v
}
