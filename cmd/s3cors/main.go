// Command s3cors validates, lints, explains and converts Amazon S3 bucket
// CORS configurations, answering in S3's own words.
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

// verbs lists the subcommands in the order "s3cors help" shows them.
var verbs []verb

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return v.run(args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "s3cors: unknown verb %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `s3cors answers questions about Amazon S3 bucket CORS configurations
exactly as S3 does.

Usage:

	s3cors <verb> [flags] [FILE...]

`)
	if len(verbs) > 0 {
		fmt.Fprintln(w, "Verbs:")
		fmt.Fprintln(w)
		for _, v := range verbs {
			fmt.Fprintf(w, "\t%-10s %s\n", v.name, v.summary)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, `Run "s3cors <verb> -h" for a verb's flags and an example.
Exit status: 0 all is well, 1 invalid configuration or findings, 2 usage or I/O error.
`)
}
