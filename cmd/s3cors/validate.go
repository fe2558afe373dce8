package main

import (
	"io"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/annotate"
)

// runValidate is the validate verb: S3's PutBucketCors verdict on each
// file, exitInvalid when S3 would refuse any.
func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("validate", stdout, stderr)
	c.loadHelp()
	c.operands = operandFiles
	all := c.boolFlag("all", "list every problem, not only the first one (the one S3 answers)")
	ff := c.fileFlags("validate")
	return c.forEachFile(args, stdin, ff, false, func(l *loaded, format string) (int, any, []annotate.Finding) {
		code := exitOK
		if l.err == nil && !l.valid() {
			code = exitInvalid
		}
		switch {
		case format == formatSARIF || format == formatGitHub:
			return code, nil, annotations(l, *all, false)
		case format == formatJSON && l.isIaC():
			return code, iacJSON(l, *all, false), nil
		case format == formatJSON:
			return code, validatedJSON(l, *all), nil
		}
		switch {
		case l.err != nil:
		case l.isIaC():
			writeIaC(stdout, l, *all, false)
		case l.valid():
			s := summarize(l.doc.Rules)
			printText(stdout, "%s: %s %s configuration: %s, %s, methods %s\n", l.name, paint(stdout, green, "valid"),
				formatName(l.doc.Format), plural(s.Rules, "rule"), plural(s.Origins, "origin"), strings.Join(s.Methods, ", "))
		default:
			writeVerdict(stdout, l, *all)
		}
		return code, nil, nil
	})
}

// summary sums up a valid configuration.
type summary struct {
	Rules   int      `json:"rules"`
	Origins int      `json:"origins"` // distinct AllowedOrigin values
	Methods []string `json:"methods"` // distinct, in first-seen order
}

// summarize counts a valid configuration's rules and distinct origins
// and lists its methods, for validate's one-line verdict.
func summarize(rules []corsrule.Rule) summary {
	s := summary{Rules: len(rules), Methods: []string{}}
	origins := map[string]bool{}
	for _, r := range rules {
		for _, o := range r.AllowedOrigins {
			origins[o] = true
		}
		for _, m := range r.AllowedMethods {
			if !slices.Contains(s.Methods, m) {
				s.Methods = append(s.Methods, m)
			}
		}
	}
	s.Origins = len(origins)
	return s
}

// jsonValidated is one file of validate --json.
type jsonValidated struct {
	File     string        `json:"file"`
	Format   string        `json:"format,omitempty"`
	Valid    bool          `json:"valid"`
	Summary  *summary      `json:"summary,omitempty"`
	Problems []jsonProblem `json:"problems"`
	Error    string        `json:"error,omitempty"`
}

// validatedJSON returns one file of validate --json, with a summary when
// it is valid.
func validatedJSON(l *loaded, all bool) jsonValidated {
	v := jsonValidated{File: l.name, Format: l.formatName(), Valid: l.valid(), Problems: toJSONProblems(l.problems, all)}
	if v.Valid {
		s := summarize(l.doc.Rules)
		v.Summary = &s
	}
	if l.err != nil {
		v.Error = l.err.Error()
	}
	return v
}
