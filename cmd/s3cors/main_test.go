package main

import (
	"bytes"
	"strings"
	"testing"
)

// verbsLine ends the error of an unknown verb.
const verbsLine = "Run \"s3cors help\" for the verbs.\n"

func TestUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		out  string // in stdout for code 0, stderr otherwise
	}{
		{nil, exitUsage, "Usage:"},
		{[]string{"help"}, exitOK, "Usage:"},
		{[]string{"-h"}, exitOK, "Exit status"},
		// An unknown verb is a line, and where the verbs are, not the
		// whole help (35 lines) after it.
		{[]string{"frobnicate"}, exitUsage, "unknown verb \"frobnicate\"\n" + verbsLine},
		// A verb one or two keystrokes away is offered; one nearly as
		// near as another is not.
		{[]string{"valdate"}, exitUsage, `unknown verb "valdate"; did you mean validate?` + "\n" + verbsLine},
		{[]string{"Lint"}, exitUsage, `unknown verb "Lint"; did you mean lint?`},
		{[]string{"help", "proxi"}, exitUsage, `unknown verb "proxi"; did you mean proxy?`},
		// A verb after -h is asked about, as after help, and one verb
		// only: nothing is dropped without a word.
		{[]string{"-h", "lint"}, exitOK, "Usage:\n  s3cors lint [--input FORM]"},
		{[]string{"--help", "convert"}, exitOK, "Usage:\n  s3cors convert --to FORM"},
		{[]string{"help", "lint", "validate"}, exitUsage, `s3cors help: unexpected argument "validate"`},
		{[]string{"--help", "lint", "--json"}, exitUsage, `s3cors help: unexpected argument "--json"`},
		// A flag before the verb, as "git -C dir" or "go -C dir" take
		// theirs, is a flag, not an unknown verb: the message says so,
		// and where it goes.
		{[]string{"--json", "validate", "cors.json"}, exitUsage, `s3cors: "--json" is a flag, and flags follow the verb: s3cors validate --json ...`},
		{[]string{"-all", "lint"}, exitUsage, `s3cors: "-all" is a flag, and flags follow the verb: s3cors lint -all ...`},
		{[]string{"--bogus"}, exitUsage, `s3cors: "--bogus" is a flag, and flags follow the verb: s3cors <verb> [flags] [FILE...]`},
		{[]string{"-"}, exitUsage, `unknown verb "-"`},
		{[]string{"help", "nonesuch"}, exitUsage, "s3cors: unknown verb \"nonesuch\"\n" + verbsLine},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String()
		if code != exitOK {
			out = stderr.String()
		}
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("s3cors %v: exit %d, output %q; want exit %d and %q", tc.args, code, out, tc.code, tc.out)
		}
		if strings.HasSuffix(tc.out, verbsLine) && !strings.HasSuffix(out, verbsLine) || strings.Contains(tc.out, "unknown verb") && strings.Contains(out, "Usage:") {
			t.Errorf("s3cors %v: output %q; want it to end with %q, without the help", tc.args, out, verbsLine)
		}
	}
}
