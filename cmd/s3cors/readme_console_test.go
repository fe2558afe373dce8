package main

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// offlineVerbs are the verbs whose README examples run here as written:
// they read files of the repository and need no server.
var offlineVerbs = []string{"validate", "lint", "explain", "convert"}

// readmeExample is a console block of README.md: one s3cors command line
// and the output the README shows for it.
type readmeExample struct {
	line   int // of the command in README.md, from 1
	args   []string
	output string
}

// TestREADMEConsole runs every README.md console example of an offline
// verb, from the repository's root as a reader would, and compares what
// the command prints, standard output then standard error, with the
// output the README shows, so that no example's output is left behind
// by a change.
func TestREADMEConsole(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples := readmeExamples(t, string(readme))
	if len(examples) < 20 {
		t.Fatalf("found %d examples of %v in README.md; the README has more", len(examples), offlineVerbs)
	}
	t.Chdir("../..")
	for _, ex := range examples {
		t.Run(strconv.Itoa(ex.line), func(t *testing.T) {
			_, stdout, stderr := runIn(ex.args, "")
			if diff := cmp.Diff(ex.output, stdout+stderr); diff != "" {
				t.Errorf("README.md:%d: s3cors %s prints otherwise than the README shows (-README +printed):\n%s",
					ex.line, strings.Join(ex.args, " "), diff)
			}
		})
	}
}

// consoleBlock matches a console block of Markdown, its text in group 1.
var consoleBlock = regexp.MustCompile("(?m)^```console\n((?s:.*?))^```$")

// readmeExamples returns the console blocks of readme that hold one
// command of an offline verb, its continued lines joined.
func readmeExamples(t *testing.T, readme string) []readmeExample {
	var examples []readmeExample
	for _, m := range consoleBlock.FindAllStringSubmatchIndex(readme, -1) {
		block := readme[m[2]:m[3]]
		lines := strings.SplitAfter(block, "\n")
		command := strings.TrimSuffix(lines[0], "\n")
		n := 1
		for strings.HasSuffix(command, `\`) && n < len(lines) {
			command = strings.TrimSuffix(command, `\`) + strings.TrimSpace(lines[n])
			n++
		}
		args, ok := strings.CutPrefix(command, "$ s3cors ")
		if !ok {
			continue
		}
		fields := splitCommandLine(t, args)
		if len(fields) == 0 || !slices.Contains(offlineVerbs, fields[0]) {
			continue
		}
		output := strings.Join(lines[n:], "")
		if strings.Contains(output, "\n$ ") || strings.HasPrefix(output, "$ ") {
			t.Fatalf("README.md:%d: a console block of %s holds more than one command", lineOf(readme, m[2]), fields[0])
		}
		examples = append(examples, readmeExample{line: lineOf(readme, m[2]), args: fields, output: output})
	}
	return examples
}

// lineOf returns the line of readme, from 1, that offset is on.
func lineOf(readme string, offset int) int { return strings.Count(readme[:offset], "\n") + 1 }

// splitCommandLine splits a command line as a POSIX shell would for the words
// README examples use: blanks separate, single quotes keep everything,
// double quotes keep all but a backslash before " or \.
func splitCommandLine(t *testing.T, s string) []string {
	var words []string
	var word strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				t.Fatalf("unterminated ' in %q", s)
			}
			word.WriteString(s[i+1 : i+1+end])
			i, inWord = i+1+end, true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				word.WriteByte(s[i])
			}
			if i == len(s) {
				t.Fatalf("unterminated \" in %q", s)
			}
			inWord = true
		case c == '\\' || c == '$' || c == '`' || c == '|' || c == '>' || c == '<' || c == ';' || c == '&':
			t.Fatalf("%q: the test does not read shell syntax %q", s, c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}
