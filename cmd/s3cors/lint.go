package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/internal/lint"
)

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("lint", stdout, stderr)
	c.usage = []string{"lint [--json] FILE...", "lint [--json] --example"}
	c.about = `
Find mistakes S3 accepts but that break browsers or let attackers in:
origins no browser ever sends, wildcards that admit other people's sites,
rules earlier rules make unreachable, duplicates, browser uploads that will
fail, and preflight caching that does not work. FILE holds S3 XML, AWS CLI
JSON or S3 console JSON; "-" is standard input.

Each finding is printed as

  FILE:LINE:COL: ID: rule N (RULE-ID) FIELD "VALUE": why it goes wrong
      fix: what to write instead

where LINE:COL is where the rule starts, N counts rules from 1, and
(RULE-ID), FIELD and VALUE appear when the rule has an ID and the finding
is about one value. A clean configuration prints nothing. A configuration
S3 would refuse is not linted: lint prints S3's verdict, as validate does.`
	example := c.boolFlag("example", "lint the embedded example configuration instead of FILE")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of text")
	var ids strings.Builder
	idWidth := 0
	for _, info := range lint.Catalog() {
		idWidth = max(idWidth, len(info.ID))
	}
	for _, info := range lint.Catalog() {
		fmt.Fprintf(&ids, "  %-*s  %s\n", idWidth, info.ID, info.Summary)
	}
	c.footer = `
Findings (stable ids):
` + ids.String() + `
Exit status: 0 no findings, 1 some finding or a configuration S3 would
refuse, 2 usage error or a FILE could not be read.

JSON (--json): one object per FILE; "findings" is [] for a clean or an
invalid configuration, "problems" (S3's first problem, shaped as in
validate --json) appears for an invalid one, "error" for a FILE that could
not be read. "value" is "" and "field" may be "" for findings about
something missing or about the whole rule.

  {"files": [{"file": "cors.json", "format": "json", "valid": true,
    "findings": [{"id": "origin-trailing-slash", "rule": 1,
      "rule_id": "uploads", "line": 3, "column": 9,
      "field": "AllowedOrigin", "value": "https://app.example.com/",
      "why": "...", "fix": "..."}]}]}

Examples:
  $ s3cors lint --example          # clean: prints nothing, exit status 0

  $ s3cors lint cors.json
  cors.json:3:9: origin-trailing-slash: rule 1 AllowedOrigin "https://app.example.com/": A browser's Origin never ends with "/", so "https://app.example.com/" never matches.
      fix: Write "https://app.example.com".`
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	srcs, code, ok := c.sources(files, *example, stdin)
	if !ok {
		return code
	}
	code = exitOK
	var out struct {
		Files []jsonLinted `json:"files"`
	}
	for _, src := range srcs {
		l := load(src)
		var findings []lint.Finding
		switch {
		case l.err != nil:
			c.ioError(l.err)
			code = exitUsage
		case !l.valid():
			code = max(code, exitInvalid)
		default:
			if findings = lint.Check(l.doc.Rules); len(findings) > 0 {
				code = max(code, exitInvalid)
			}
		}
		if *asJSON {
			out.Files = append(out.Files, lintedJSON(l, findings))
			continue
		}
		if l.err == nil && !l.valid() {
			writeVerdict(stdout, l, false)
		}
		for _, f := range findings {
			writeFinding(stdout, l, f)
		}
	}
	if *asJSON {
		writeJSON(stdout, out)
	}
	return code
}

// writeFinding prints one finding and its fix.
func writeFinding(w io.Writer, l *loaded, f lint.Finding) {
	line, col := rulePosition(l, f.Rule)
	subject := "rule " + strconv.Itoa(f.Rule)
	if id := l.doc.Rules[f.Rule-1].ID; id != "" {
		subject += " (" + quoteIfNeeded(id) + ")"
	}
	if f.Field != "" {
		subject += " " + f.Field
	}
	if f.HasValue() {
		subject += " " + f.QuotedValue()
	}
	fmt.Fprintf(w, "%s: %s: %s: %s\n    fix: %s\n", location(l.name, line, col), paint(w, yellow, f.ID), subject, f.Why, f.Fix)
}

// rulePosition returns where rule n (1-based) starts in the document.
func rulePosition(l *loaded, n int) (line, col int) {
	if n < 1 || n > len(l.doc.RulePositions) {
		return 0, 0
	}
	p := l.doc.RulePositions[n-1]
	return p.Line, p.Column
}

// quoteIfNeeded returns s as it is when it is printable ASCII without
// spaces or parentheses, quoted otherwise.
func quoteIfNeeded(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '(' || c == ')' || c == '"' {
			return strconv.Quote(s)
		}
	}
	return s
}

// jsonFinding is one finding in lint --json.
type jsonFinding struct {
	ID     string `json:"id"`
	Rule   int    `json:"rule"`
	RuleID string `json:"rule_id,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field"`
	Value  string `json:"value"`
	Why    string `json:"why"`
	Fix    string `json:"fix"`
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

func lintedJSON(l *loaded, findings []lint.Finding) jsonLinted {
	inv := invalidJSON(l)
	v := jsonLinted{File: l.name, Format: inv.Format, Valid: l.valid(), Findings: []jsonFinding{}, Error: inv.Error}
	if l.err == nil && !l.valid() {
		v.Problems = inv.Problems
	}
	for _, f := range findings {
		line, col := rulePosition(l, f.Rule)
		v.Findings = append(v.Findings, jsonFinding{ID: f.ID, Rule: f.Rule, RuleID: l.doc.Rules[f.Rule-1].ID,
			Line: line, Column: col, Field: f.Field, Value: f.Value, Why: f.Why, Fix: f.Fix})
	}
	return v
}
