package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// exampleJSON is the configuration --example reads: realistic and
// lint-clean, in the AWS CLI's form.
//
//go:embed example.json
var exampleJSON []byte

// exampleName is how output names the embedded example.
const exampleName = "example.json"

// stdinName is how output names standard input (FILE "-").
const stdinName = "<stdin>"

// command is one verb's flag set and help.
type command struct {
	name   string
	usage  []string // usage lines, after "s3cors "
	about  string   // what the verb does, and its output
	footer string   // exit status, JSON shape, examples
	fs     *flag.FlagSet
	flags  []string // flag names in the order help lists them
	stdout io.Writer
	stderr io.Writer
}

func newCommand(name string, stdout, stderr io.Writer) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &command{name: name, fs: fs, stdout: stdout, stderr: stderr}
}

func (c *command) boolFlag(name, usage string) *bool {
	c.flags = append(c.flags, name)
	return c.fs.Bool(name, false, usage)
}

func (c *command) stringFlag(name, value, usage string) *string {
	c.flags = append(c.flags, name)
	return c.fs.String(name, value, usage)
}

// parse parses args, flags and positional arguments mixed in any order
// ("validate a.xml --all"); "--" ends the flags. It returns the positional
// arguments, or ok false and the exit code when -h was asked for (help on
// standard output, 0) or the flags are wrong (a message on standard error,
// 2).
func (c *command) parse(args []string) (positional []string, code int, ok bool) {
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.help(c.stdout)
			return nil, exitOK, false
		}
		if err != nil {
			return nil, c.usageError("%v", err), false
		}
		rest := c.fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(positional, rest...), 0, true
		}
		if len(rest) == 0 {
			return positional, 0, true
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// usageError reports a usage mistake on standard error and returns 2.
func (c *command) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "s3cors %s: %s\n", c.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(c.stderr, "Run \"s3cors %s -h\" for its usage.\n", c.name)
	return exitUsage
}

// ioError reports a failure to read an input on standard error.
func (c *command) ioError(err error) {
	fmt.Fprintf(c.stderr, "s3cors %s: %v\n", c.name, err)
}

// help writes the verb's usage, flags, exit status and examples.
func (c *command) help(w io.Writer) {
	fmt.Fprintln(w, "Usage:")
	for _, u := range c.usage {
		fmt.Fprintf(w, "  s3cors %s\n", u)
	}
	fmt.Fprintf(w, "\n%s\n\nFlags:\n", strings.TrimSpace(c.about))
	const helpFlag = "-h, --help"
	width := len(helpFlag)
	names := make([]string, len(c.flags))
	for i, name := range c.flags {
		f := c.fs.Lookup(name)
		arg, _ := flag.UnquoteUsage(f)
		names[i] = "--" + name
		if arg != "" {
			names[i] += " " + arg
		}
		width = max(width, len(names[i]))
	}
	for i, name := range c.flags {
		f := c.fs.Lookup(name)
		_, usage := flag.UnquoteUsage(f)
		if f.DefValue != "" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		usage = strings.ReplaceAll(usage, "\n", "\n"+strings.Repeat(" ", width+4))
		fmt.Fprintf(w, "  %-*s  %s\n", width, names[i], usage)
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, helpFlag, "show this help")
	fmt.Fprintf(w, "\nFlags may be written -flag or --flag, before or after other arguments;\n\"--\" ends them.\n\n%s\n", strings.TrimSpace(c.footer))
}

// source is one configuration to read: a file, standard input or the
// embedded example.
type source struct {
	name string
	open func() (io.Reader, func() error, error)
}

// sources turns the FILE arguments, or --example, into sources. FILE "-"
// is standard input, which may be named once.
func (c *command) sources(files []string, example bool, stdin io.Reader) ([]source, int, bool) {
	switch {
	case example && len(files) > 0:
		return nil, c.usageError("--example replaces FILE; give one or the other"), false
	case example:
		return []source{exampleSource()}, 0, true
	case len(files) == 0:
		return nil, c.usageError("no FILE given (use - for standard input, or --example)"), false
	}
	if stdins := len(slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f != "-" })); stdins > 1 {
		return nil, c.usageError(`standard input ("-") can be read only once`), false
	}
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = fileSource(f, stdin)
	}
	return srcs, 0, true
}

func exampleSource() source {
	return source{exampleName, func() (io.Reader, func() error, error) {
		return bytes.NewReader(exampleJSON), nil, nil
	}}
}

func fileSource(path string, stdin io.Reader) source {
	if path == "-" {
		return source{stdinName, func() (io.Reader, func() error, error) { return stdin, nil, nil }}
	}
	return source{path, func() (io.Reader, func() error, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		return f, f.Close, nil
	}}
}

// forEachFile runs the loop of the verbs that judge each configuration
// of FILE... (or --example) on its own: it parses args, loads each
// configuration in turn, reports on standard error one that cannot be
// read, and gives every one to judge, which prints what it finds and
// returns the file's exit status (exitOK or exitInvalid) and, with
// --json, its member of the "files" array printed at the end. The exit
// status is the worst of all: exitUsage when a FILE could not be read.
func (c *command) forEachFile(args []string, stdin io.Reader, example, asJSON *bool, judge func(l *loaded) (code int, jsonFile any)) int {
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	srcs, code, ok := c.sources(files, *example, stdin)
	if !ok {
		return code
	}
	var out struct {
		Files []any `json:"files"`
	}
	for _, src := range srcs {
		l := load(src)
		if l.err != nil {
			c.ioError(l.err)
			code = exitUsage
		}
		fileCode, jsonFile := judge(l)
		code = max(code, fileCode)
		if *asJSON {
			out.Files = append(out.Files, jsonFile)
		}
	}
	if *asJSON {
		writeJSON(c.stdout, out)
	}
	return code
}

// loaded is a configuration read and judged as S3's PutBucketCors would.
type loaded struct {
	name string
	doc  *xmlconfig.Document // nil when the document did not decode or could not be read
	// problems is S3's verdict, in the order S3 reports: the decoder's
	// problems, or, for a document that decoded, bucket.Problems. Empty
	// when S3 would accept the configuration.
	problems []*s3err.Error
	err      error // the input could not be read
}

func (l *loaded) valid() bool { return l.err == nil && len(l.problems) == 0 }

// loadValid loads src for a verb that needs a valid configuration. On an
// I/O error, or on S3's refusal, which it prints as validate would, it
// returns false and the exit status to end with.
func (c *command) loadValid(src source, stdout io.Writer, asJSON bool) (*loaded, int, bool) {
	l := load(src)
	switch {
	case l.err != nil:
		c.ioError(l.err)
		return nil, exitUsage, false
	case !l.valid():
		if asJSON {
			writeJSON(stdout, invalidJSON(l))
		} else {
			writeVerdict(stdout, l, false)
		}
		return nil, exitInvalid, false
	}
	return l, exitOK, true
}

// load reads and judges src. Reading is bounded: the decoders stop after
// corsrule.MaxDocumentSize+1 bytes.
func load(src source) *loaded {
	l := &loaded{name: src.name}
	r, closeFn, err := src.open()
	if err != nil {
		l.err = err
		return l
	}
	doc, err := xmlconfig.Decode(r)
	if closeFn != nil {
		closeFn()
	}
	if err != nil {
		if l.problems = xmlconfig.Problems(err); len(l.problems) == 0 {
			l.err = fmt.Errorf("%s: %w", src.name, err)
		}
		return l
	}
	l.doc = doc
	for _, e := range bucket.Problems(doc.Rules) {
		if e.Line == 0 && e.Rule > 0 && e.Rule <= len(doc.RulePositions) {
			located := *e
			p := doc.RulePositions[e.Rule-1]
			located.Line, located.Column = p.Line, p.Column
			e = &located
		}
		l.problems = append(l.problems, e)
	}
	return l
}

// formatName names a form in sentences.
func formatName(f xmlconfig.Format) string {
	switch f {
	case xmlconfig.XML:
		return "S3 XML"
	case xmlconfig.JSON:
		return "AWS CLI JSON"
	case xmlconfig.Console:
		return "S3 console JSON"
	}
	return f.String()
}

// location returns "name:line:col", "name:line" or "name".
func location(name string, line, col int) string {
	switch {
	case line == 0:
		return name
	case col == 0:
		return name + ":" + strconv.Itoa(line)
	}
	return name + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// writeProblem prints one S3 error as "FILE:LINE:COL: STATUS CODE: MESSAGE",
// then its Reason as an indented hint.
func writeProblem(w io.Writer, name string, e *s3err.Error) {
	fmt.Fprintf(w, "%s: %d %s: %s\n", location(name, e.Line, e.Column), e.StatusCode, paint(w, red, e.Code), e.Message)
	if e.Reason != "" {
		fmt.Fprintf(w, "    hint: %s\n", e.Reason)
	}
}

// writeVerdict prints S3's verdict on an invalid configuration: its first
// problem, or all of them.
func writeVerdict(w io.Writer, l *loaded, all bool) {
	for i, e := range l.problems {
		if i > 0 && !all {
			break
		}
		writeProblem(w, l.name, e)
	}
}

// jsonProblem is one S3 error in --json output.
type jsonProblem struct {
	Status  int          `json:"status"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Details []jsonDetail `json:"details,omitempty"`
	Reason  string       `json:"reason,omitempty"`
	Rule    int          `json:"rule,omitempty"`
	Line    int          `json:"line,omitempty"`
	Column  int          `json:"column,omitempty"`
}

type jsonDetail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func toJSONProblems(problems []*s3err.Error, all bool) []jsonProblem {
	out := []jsonProblem{}
	for i, e := range problems {
		if i > 0 && !all {
			break
		}
		p := jsonProblem{Status: e.StatusCode, Code: e.Code, Message: e.Message, Reason: e.Reason,
			Rule: e.Rule, Line: e.Line, Column: e.Column}
		for _, d := range e.Details {
			p.Details = append(p.Details, jsonDetail(d))
		}
		out = append(out, p)
	}
	return out
}

// jsonInvalid is the --json output of lint, explain and convert for a
// configuration S3 would refuse (or could not be read): the shape of one
// file of validate --json.
type jsonInvalid struct {
	File     string        `json:"file"`
	Format   string        `json:"format,omitempty"`
	Valid    bool          `json:"valid"`
	Problems []jsonProblem `json:"problems"`
	Error    string        `json:"error,omitempty"`
}

func invalidJSON(l *loaded) jsonInvalid {
	v := jsonInvalid{File: l.name, Problems: toJSONProblems(l.problems, false)}
	if l.doc != nil {
		v.Format = l.doc.Format.String()
	}
	if l.err != nil {
		v.Error = l.err.Error()
	}
	return v
}

// writeJSON prints v indented by two spaces, with <, > and & as they are.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// Colour. Output is coloured only when standard output is a terminal and
// NO_COLOR is not set (see main), and only the verdict word or finding id.

// output is standard output as verbs see it: it remembers whether to
// colour and the first write error.
type output struct {
	w     io.Writer
	color bool
	err   error
}

func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

const (
	red    = "31"
	green  = "32"
	yellow = "33"
)

// paint colours s when w is a colouring output.
func paint(w io.Writer, color, s string) string {
	if o, ok := w.(*output); ok && o.color {
		return "\x1b[" + color + "m" + s + "\x1b[0m"
	}
	return s
}

// wantColor reports whether output to f should be coloured: f is a
// terminal, NO_COLOR is unset or empty, and TERM is not "dumb".
func wantColor(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// plural returns "1 rule" or "2 rules".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
