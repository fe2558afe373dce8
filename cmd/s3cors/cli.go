package main

import (
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/lint"
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
	// lists holds the flags that may be given more than once (listFlag).
	lists map[string]bool
	// suggest holds values worth offering for a flag that takes any
	// value (completion offers them; parse does not check them).
	suggest map[string][]string
	// operands says what the arguments that are not flags are, for
	// completion: operandFiles, or the words allowed; nil for none.
	operands []string
	// inputFlags names the flags that give the input instead of FILE,
	// when they are others than --example, for the errors that ask for
	// one (see inputFlagsNamed).
	inputFlags string
	stdout     io.Writer
	stderr     io.Writer
}

// operandFiles stands in command.operands for file names.
var operandFiles = []string{"FILE..."}

// newCommand returns a verb's command. Its flag set prints nothing
// itself: parse writes the help and the errors in the verbs' own words.
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

// choiceFlag defines a flag whose value must be one of choices (compared
// ignoring case, stored as the choice is spelled); value is the default,
// "" for none.
func (c *command) choiceFlag(name, value, usage string, choices ...string) *string {
	c.flags = append(c.flags, name)
	v := &choiceValue{value: value, choices: choices}
	c.fs.Var(v, name, usage)
	return &v.value
}

// choiceValue is the flag.Value of a choiceFlag.
type choiceValue struct {
	value   string
	choices []string
}

func (v *choiceValue) String() string { return v.value }

func (v *choiceValue) Set(s string) error {
	for _, c := range v.choices {
		if strings.EqualFold(s, c) {
			v.value = c
			return nil
		}
	}
	return fmt.Errorf("want %s", lint.JoinOr(v.choices))
}

// parse parses args, flags and positional arguments mixed in any order
// ("validate a.xml --all"); "--" ends the flags. It returns the positional
// arguments, or ok false and the exit code when -h was asked for (help on
// standard output, 0) or the flags are wrong (a message on standard error,
// 2).
//
// It reads the flags itself rather than through flag.FlagSet.Parse, which
// stops at the first positional argument and names every flag "-name" in
// its errors: a mistake is reported as the user spelled it ("--bogus").
// Flags are read as package flag reads them: -name or --name, a value
// after "=" or in the next argument, booleans without a value. Unlike
// package flag, a flag that holds one value is refused when given again
// with another, which would drop the first without a word ("--config
// a.json --config b.json" names two configurations); given again with
// the same value, it changes nothing; and a flag that takes a value is
// refused when the argument after it is another flag (see isFlag).
func (c *command) parse(args []string) (positional []string, code int, ok bool) {
	given := map[string]string{} // each flag given, and its value as set
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(positional, args[i+1:]...), 0, true
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, arg)
			continue
		}
		dashes := "-"
		if arg[1] == '-' {
			dashes = "--"
		}
		name, value, hasValue := strings.Cut(arg[len(dashes):], "=")
		spelled := dashes + name
		if name == "" || name[0] == '-' {
			return nil, c.usageError("%q is not a flag: write --name or --name=value", arg), false
		}
		if name == "h" || name == "help" {
			if o, ok := c.stdout.(*output); ok && o.describe != nil {
				o.describe(c)
			} else {
				c.help(c.stdout)
			}
			return nil, exitOK, false
		}
		f := c.fs.Lookup(name)
		if f == nil {
			return nil, c.usageError("unknown flag %s%s", spelled, didYouMean(name, "--", c.flags)), false
		}
		if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool && b.IsBoolFlag() {
			if !hasValue {
				value = "true"
			} else if _, err := strconv.ParseBool(value); err != nil {
				return nil, c.usageError("%s=%s: write true or false, or leave the value out", spelled, value), false
			}
		} else if !hasValue {
			if i+1 == len(args) {
				return nil, c.usageError("%s needs a value", spelled), false
			}
			if next := args[i+1]; c.isFlag(next) {
				return nil, c.usageError("%s needs a value, and %s after it is a flag: give the value first, or write %s=%s if that is the value", spelled, next, spelled, next), false
			}
			i++
			value = args[i]
		}
		if err := c.fs.Set(name, value); err != nil {
			return nil, c.usageError("%s %s: %v", spelled, strconv.Quote(value), err), false
		}
		if prev, twice := given[name]; twice && !c.lists[name] && f.Value.String() != prev {
			return nil, c.usageError("%s given twice (%s, then %s): give it once", spelled, strconv.Quote(prev), strconv.Quote(f.Value.String())), false
		}
		given[name] = f.Value.String()
	}
	return positional, 0, true
}

// isFlag reports whether arg is one of c's flags, or -h, as parse reads
// it: "-name", "--name" or either with "=value". A flag that takes a
// value and is followed by one of them was most likely given without its
// value ("--origin --json"); taken as the value, the flag after it would
// be dropped without a word. A value that starts with "-" and names no
// flag ("--origin -x") is a value.
func (c *command) isFlag(arg string) bool {
	name, ok := strings.CutPrefix(arg, "-")
	if !ok {
		return false
	}
	name, _ = strings.CutPrefix(name, "-")
	name, _, _ = strings.Cut(name, "=")
	return name == "h" || name == "help" || c.fs.Lookup(name) != nil
}

// usageError reports a usage mistake on standard error and returns 2.
// The message is one line: a file name it holds may hold a line break,
// which would start a line of its own, read by a CI log as its command
// (see printText).
func (c *command) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "s3cors %s: %s\n", c.name, escapeText(fmt.Sprintf(format, args...)))
	fmt.Fprintf(c.stderr, "Run \"s3cors %s -h\" for its usage.\n", c.name)
	return exitUsage
}

// ioError reports on standard error that the input name could not be
// read, naming it once, on one line as usageError does.
func (c *command) ioError(name string, err error) {
	fmt.Fprintf(c.stderr, "s3cors %s: %s: %s\n", c.name, escapeText(name), escapeText(err.Error()))
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
		fmt.Fprintf(w, "  %-*s  %s\n", width, names[i], wrapHanging(usage, width+4))
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, helpFlag, "show this help")
	fmt.Fprintf(w, "\nFlags may be written -flag or --flag, before or after other arguments;\n\"--\" ends them.\n\n%s\n", strings.TrimSpace(c.footer))
}

// helpWidth is the width, in columns, that the tables of the help (the
// flags, lint's findings, the verbs) are filled to: an 80-column terminal
// shows each of their lines whole.
const helpWidth = 80

// wrapHanging fills the words of text (its line breaks are spaces) into
// lines that end by helpWidth when the first starts at column indent and
// the others are indented by indent spaces, as the second column of a
// help table is. A word too long for a line has one of its own.
func wrapHanging(text string, indent int) string {
	return wrapHangingWith(text, indent, strings.Repeat(" ", indent))
}

// wrapHangingWith is wrapHanging with the lines after the first starting
// with prefix, which fills indent columns (a tab and spaces, say).
func wrapHangingWith(text string, indent int, prefix string) string {
	var b strings.Builder
	col := indent
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
		case col+1+len(word) > helpWidth:
			b.WriteString("\n" + prefix)
			col = indent
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}

// formNames name the forms a configuration is read in, in sentences, by
// the names --input gives them.
var formNames = map[string]string{
	"xml": "S3 XML", "json": "AWS CLI JSON", "console": "S3 console JSON", "cli-input-json": "AWS CLI --cli-input-json",
	"cloudformation": "CloudFormation template", "terraform": "Terraform configuration", "terraform-plan": "Terraform plan",
	"serverless": "Serverless Framework service", "kubernetes": "Kubernetes manifest", "pulumi": "Pulumi YAML program",
}

// formatName names an S3 form in sentences.
func formatName(f xmlconfig.Format) string { return formNames[f.String()] }

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
	printText(w, "%s: %d %s: %s\n", location(name, e.Line, e.Column), e.StatusCode, paint(w, red, e.Code), e.Message)
	if e.Reason != "" {
		printText(w, "    hint: %s\n", e.Reason)
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
	// Field names the member of the rule the problem is about (S3's
	// element name), File the file of a problem in an infrastructure
	// file, where Via says where a value not written in the rule was
	// taken from.
	Field  string `json:"field,omitempty"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Via    string `json:"via,omitempty"`
}

type jsonDetail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// toJSONProblems returns the --json form of S3's problems: only the first,
// the one S3 answers, unless all; [] rather than null for none.
func toJSONProblems(problems []*s3err.Error, all bool) []jsonProblem {
	out := []jsonProblem{}
	for i, e := range problems {
		if i > 0 && !all {
			break
		}
		out = append(out, problemJSON(e))
	}
	return out
}

func problemJSON(e *s3err.Error) jsonProblem {
	p := jsonProblem{Status: e.StatusCode, Code: e.Code, Message: e.Message, Reason: e.Reason,
		Rule: e.Rule, Field: e.Field, Line: e.Line, Column: e.Column}
	for _, d := range e.Details {
		p.Details = append(p.Details, jsonDetail(d))
	}
	return p
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

// invalidJSON returns the --json output for a file that is not a valid
// configuration or could not be read, with the first problem only.
func invalidJSON(l *loaded) jsonInvalid {
	v := jsonInvalid{File: l.name, Format: l.formatName(), Problems: toJSONProblems(l.problems, false)}
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
	// describe, when set, is handed the command of a verb asked for its
	// help instead of the help: how completion learns each verb's flags
	// from the very definitions the verb parses with.
	describe func(*command)
}

// Write keeps the first write error and fails every later write with
// it, so that a verb can print freely and run reports the error once.
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
func paint(w io.Writer, color, s string) painted {
	if o, ok := w.(*output); ok && o.color {
		return painted("\x1b[" + color + "m" + s + "\x1b[0m")
	}
	return painted(s)
}

// painted is text of the tool's own, perhaps with a terminal's colour
// codes, which printText writes as it is.
type painted string

// printText writes lines of the text output of validate, lint and
// explain: format with args, each string of which passes through
// escapeText. The values of a file reach the output in S3's messages
// ("Unsupported method is get\n..."), the tools' and file names, and a
// request's in the error documents explain prints: a line break in one
// would start a line that reads as another problem (or a CI system's
// command), and a control character would reach the terminal.
func printText(w io.Writer, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = escapeText(s)
		}
	}
	fmt.Fprintf(w, format, args...)
}

// escapeText writes the control characters of s as Go escapes: "\n",
// "\r", "\x7f", "\u0085"; they are the C0 controls but tab, DEL, the C1
// controls, and U+2028 and U+2029, which end lines for some readers. A
// backslash stays as it is: --json and --format sarif give the exact
// text.
func escapeText(s string) string {
	if !strings.ContainsFunc(s, isTextControl) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if isTextControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteString(s[:size]) // as it is, invalid UTF-8 too
		}
		s = s[size:]
	}
	return b.String()
}

// isTextControl reports whether escapeText writes r as an escape: a C0
// control but tab, DEL, a C1 control, or U+2028 or U+2029.
func isTextControl(r rune) bool {
	return r < 0x20 && r != '\t' || 0x7f <= r && r < 0xa0 || r == '\u2028' || r == '\u2029'
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
