package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
)

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("validate", stdout, stderr)
	c.usage = []string{"validate [--all] [--json] FILE...", "validate [--all] [--json] --example"}
	c.about = `
Give S3's verdict on each configuration: what PutBucketCors would answer.
FILE holds S3 XML, AWS CLI JSON ({"CORSRules": [...]}) or S3 console JSON
([...]), told apart by its first character; "-" is standard input.

For an invalid configuration it prints S3's error (status, Code, Message)
where S3 would find the problem, then what exactly is wrong, which S3 does
not say (for example the S3 name of a CloudFormation member):

  FILE:LINE:COL: STATUS CODE: MESSAGE
      hint: REASON

LINE:COL is where the problem is, or where its rule starts for problems
with a value; it is left out when unknown. For a valid configuration it
prints one line: the form, the number of rules and distinct origins, and
the methods allowed.`
	all := c.boolFlag("all", "list every problem, not only the first one (the one S3 answers)")
	example := c.boolFlag("example", "validate the embedded example configuration instead of FILE")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of text")
	c.footer = `
Exit status: 0 every configuration is valid, 1 some configuration is
invalid, 2 usage error or a FILE could not be read.

JSON (--json): one object per FILE, in order. Members without a value are
left out; "problems" is [] for a valid file, holds the first problem
without --all, and "error" says why a FILE could not be read.

  {"files": [{"file": "cors.xml", "format": "xml", "valid": false,
    "summary": {"rules": 2, "origins": 2, "methods": ["GET", "PUT"]},
    "problems": [{"status": 400, "code": "InvalidRequest", "message": "...",
      "details": [{"name": "...", "value": "..."}], "reason": "...",
      "rule": 1, "line": 5, "column": 5}],
    "error": "..."}]}

Examples:
  $ s3cors validate --example
  example.json: valid AWS CLI JSON configuration: 2 rules, 2 origins, methods GET, PUT, POST, HEAD

  $ s3cors validate cors.json
  cors.json:4:9: 400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is get
      hint: methods are case-sensitive: write GET

  $ aws s3api get-bucket-cors --bucket my-bucket | s3cors validate --all -`
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
		Files []jsonValidated `json:"files"`
	}
	for _, src := range srcs {
		l := load(src)
		switch {
		case l.err != nil:
			c.ioError(l.err)
			code = exitUsage
		case !l.valid() && code == exitOK:
			code = exitInvalid
		}
		if *asJSON {
			out.Files = append(out.Files, validatedJSON(l, *all))
			continue
		}
		switch {
		case l.err != nil:
		case l.valid():
			s := summarize(l.doc.Rules)
			fmt.Fprintf(stdout, "%s: %s %s configuration: %s, %s, methods %s\n", l.name, paint(stdout, green, "valid"),
				formatName(l.doc.Format), plural(s.Rules, "rule"), plural(s.Origins, "origin"), strings.Join(s.Methods, ", "))
		default:
			writeVerdict(stdout, l, *all)
		}
	}
	if *asJSON {
		writeJSON(stdout, out)
	}
	return code
}

// summary sums up a valid configuration.
type summary struct {
	Rules   int      `json:"rules"`
	Origins int      `json:"origins"` // distinct AllowedOrigin values
	Methods []string `json:"methods"` // distinct, in first-seen order
}

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

func validatedJSON(l *loaded, all bool) jsonValidated {
	v := jsonValidated{File: l.name, Valid: l.valid(), Problems: toJSONProblems(l.problems, all)}
	if l.doc != nil {
		v.Format = l.doc.Format.String()
		if v.Valid {
			s := summarize(l.doc.Rules)
			v.Summary = &s
		}
	}
	if l.err != nil {
		v.Error = l.err.Error()
	}
	return v
}
