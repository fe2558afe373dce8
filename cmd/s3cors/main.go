// Command s3cors validates, lints, explains and converts Amazon S3 bucket
// CORS configurations, answering in S3's own words, and serves S3's bucket
// CORS: as an S3 endpoint of its own (serve), or in front of another
// S3-compatible store (proxy).
//
// Usage:
//
//	s3cors <verb> [flags] [FILE...]
//
// Run "s3cors help" for the verbs.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by every verb.
const (
	exitOK      = 0 // all is well
	exitInvalid = 1 // the configuration is invalid or has findings
	exitUsage   = 2 // usage or I/O error
)

// verb is one subcommand.
type verb struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// verbs lists the subcommands in the order "s3cors help" shows them. A
// verb lives in its own file (validate.go, lint.go, ...) and is added here
// with one line. It is set in init because completion reads it.
var verbs []verb

// init fills in verbs, which cannot be a plain initialized variable:
// the completion verb reads verbs, making an initialization cycle.
func init() {
	verbs = []verb{
		{"validate", "give S3's PutBucketCors verdict on configurations", runValidate},
		{"lint", "find mistakes S3 accepts but that break browsers or let attackers in", runLint},
		{"explain", "show S3's exact response to one request, and why, rule by rule", runExplain},
		{"convert", "convert a configuration between S3 XML, AWS CLI JSON and console JSON, or to CloudFormation or Terraform", runConvert},
		{"serve", "run an S3 endpoint with S3's bucket CORS, for tests, the AWS CLI and browsers", runServe},
		{"proxy", "put S3's per-bucket CORS in front of any S3-compatible store", runProxy},
		{"completion", "print a shell completion script for bash, zsh or fish", runCompletion},
		{"version", "print the version of s3cors and the commit it was built from", runVersion},
	}
}

func main() {
	out := &output{w: os.Stdout, color: wantColor(os.Stdout)}
	os.Exit(run(os.Args[1:], os.Stdin, out, os.Stderr))
}

// run runs the command line args and returns the exit status. stdout may
// be an *output, which says whether to colour; anything else is not
// coloured.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	out, ok := stdout.(*output)
	if !ok {
		out = &output{w: stdout}
	}
	switch {
	case isHelp(args[0]):
		switch {
		case len(args) > 2:
			fmt.Fprintf(stderr, "s3cors help: unexpected argument %q\nRun \"s3cors help\" for the verbs.\n", args[2])
			return exitUsage
		case len(args) == 2 && !isHelp(args[1]):
			// "s3cors help validate" (or "s3cors -h validate") is
			// "s3cors validate -h".
			return run([]string{args[1], "-h"}, stdin, out, stderr)
		}
		usage(out)
		if out.err != nil {
			fmt.Fprintf(stderr, "s3cors: writing the output: %v\n", out.err)
			return exitUsage
		}
		return exitOK
	case args[0] == "--version" || args[0] == "-version":
		return run(append([]string{"version"}, args[1:]...), stdin, out, stderr)
	}
	for _, v := range verbs {
		if v.name == args[0] {
			code := v.run(args[1:], stdin, out, stderr)
			if out.err != nil {
				fmt.Fprintf(stderr, "s3cors %s: writing the output: %v\n", v.name, out.err)
				return exitUsage
			}
			return code
		}
	}
	if len(args[0]) > 1 && args[0][0] == '-' {
		// "s3cors --json validate cors.json": a flag, given before the
		// verb as git and go take their own; no verb has flags there.
		fmt.Fprintf(stderr, "s3cors: %q is a flag, and flags follow the verb: %s\nRun \"s3cors help\" for the verbs.\n", args[0], escapeText(moveFlag(args)))
		return exitUsage
	}
	names := make([]string, len(verbs))
	for i, v := range verbs {
		names[i] = v.name
	}
	// One line and where the verbs are, as for a flag before the verb:
	// the whole help after it hid the line above the fold.
	fmt.Fprintf(stderr, "s3cors: unknown verb %q%s\nRun \"s3cors help\" for the verbs.\n", args[0], didYouMean(args[0], "", names))
	return exitUsage
}

// moveFlag returns the command line args, whose first argument is a
// flag, with the verb named after it moved first ("s3cors validate
// --json ..."), or the command's usage line when none is named.
func moveFlag(args []string) string {
	for _, a := range args[1:] {
		for _, v := range verbs {
			if v.name == a {
				return "s3cors " + a + " " + args[0] + " ..."
			}
		}
	}
	return "s3cors <verb> [flags] [FILE...]"
}

// isHelp reports whether arg asks for the help of the command itself.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// usage prints the top-level help, the verbs and their summaries
// aligned after a tab.
func usage(w io.Writer) {
	var list strings.Builder
	for _, v := range verbs {
		// A tab is 8 columns; the summaries start at column 20.
		fmt.Fprintf(&list, "\t%-11s %s\n", v.name, wrapHangingWith(v.summary, 20, "\t"+strings.Repeat(" ", 12)))
	}
	io.WriteString(w, helpText("s3cors", "verbs", list.String()))
}
