package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/lint"
)

// shells are the shells completion writes scripts for.
var shells = []string{"bash", "zsh", "fish"}

// runCompletion is the completion verb: it prints the completion script
// for the shell named, made from the flags the verbs parse with.
func runCompletion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("completion", stdout, stderr)
	c.loadHelp()
	c.operands = shells
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return c.usageError("name one shell: %s", lint.JoinOr(shells))
	}
	spec := completionSpec()
	switch rest[0] {
	case "bash":
		io.WriteString(stdout, bashCompletion(spec))
	case "zsh":
		io.WriteString(stdout, zshCompletion(spec))
	case "fish":
		io.WriteString(stdout, fishCompletion(spec))
	default:
		return c.usageError("unknown shell %q: want %s", rest[0], lint.JoinOr(shells))
	}
	return exitOK
}

// verbSpec is what completion offers after one verb.
type verbSpec struct {
	name, summary string
	flags         []flagSpec
	// operands are operandFiles, the words allowed, or nil for none.
	operands []string
}

// flagSpec is one flag of a verb, as completion sees it.
type flagSpec struct {
	name  string
	about string // the flag's help, on one line
	// value names the flag's value ("FILE", "DIR", "FORM"); "" for a
	// boolean flag, which takes none.
	value   string
	choices []string // values to offer; none for a FILE, DIR or free value
}

// action returns what a shell completes the flag's value with: files for
// a FILE, dirs for a DIR, choices of its choices, free for anything.
func (f flagSpec) action(files, dirs string, choices func([]string) string, free string) string {
	switch {
	case f.value == "FILE":
		return files
	case f.value == "DIR":
		return dirs
	case len(f.choices) > 0:
		return choices(f.choices)
	}
	return free
}

// completionSpec returns every verb with its flags, taken from the
// command each verb builds and parses with (see output.describe), so
// that completion cannot drift from the flags the verbs accept.
func completionSpec() []verbSpec {
	var spec []verbSpec
	for _, v := range verbs {
		var c *command
		v.run([]string{"-h"}, nil, &output{w: io.Discard, describe: func(cmd *command) { c = cmd }}, io.Discard)
		if c == nil {
			panic("s3cors: verb " + v.name + " does not parse -h") // a programming mistake, caught by the tests
		}
		vs := verbSpec{name: v.name, summary: v.summary, operands: c.operands}
		for _, name := range c.flags {
			f := c.fs.Lookup(name)
			value, usage := flag.UnquoteUsage(f)
			fs := flagSpec{name: name, about: strings.ReplaceAll(usage, "\n", " ")}
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				fs.value = value
				if ch, ok := f.Value.(*choiceValue); ok {
					fs.choices = ch.choices
				} else {
					fs.choices = c.suggest[name]
				}
			}
			vs.flags = append(vs.flags, fs)
		}
		spec = append(spec, vs)
	}
	return spec
}

func verbNames(spec []verbSpec) []string {
	names := make([]string, len(spec))
	for i, v := range spec {
		names[i] = v.name
	}
	return names
}

// topFlags are the flags before a verb.
var topFlags = []string{"--help", "--version"}

// bashCompletion returns a bash script that completes s3cors: verbs, each
// verb's flags, their values, and files where a verb reads them.
func bashCompletion(spec []verbSpec) string {
	var b strings.Builder
	b.WriteString(`# bash completion for s3cors, written by "s3cors completion bash".
# Load it in this shell:   source <(s3cors completion bash)
# or for every new shell:  s3cors completion bash > ~/.local/share/bash-completion/completions/s3cors

_s3cors_words() { COMPREPLY=($(compgen -W "$1" -- "$cur")); }
_s3cors_names() {
	compopt -o filenames 2>/dev/null
	local name
	while IFS= read -r name; do COMPREPLY+=("$name"); done < <(compgen "$1" -- "$cur")
}
_s3cors_files() { _s3cors_names -f; }
_s3cors_dirs() { _s3cors_names -d; }
# A verb that takes one of a list of words takes one: offer the list
# until a word before the cursor is one of it.
_s3cors_one_of() {
	local i
	for ((i = 2; i < COMP_CWORD; i++)); do
		[[ " $1 " == *" ${COMP_WORDS[i]} "* ]] && return
	done
	_s3cors_words "$1"
}

_s3cors() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} flag= ended= i
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
`)
	fmt.Fprintf(&b, "\t\t_s3cors_words %s\n", shellWords(append(verbNames(spec), append([]string{"help"}, topFlags...)...)))
	b.WriteString(`		return
	fi
	# The flag whose value is being completed: "--flag VALUE", or
	# "--flag=VALUE", which bash splits at "=".
	if [[ $cur == = ]]; then
		flag=$prev cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then
		flag=${COMP_WORDS[COMP_CWORD-2]}
	elif [[ $prev == -* ]]; then
		flag=$prev
	fi
	flag=${flag#-}
	flag=${flag#-}
	# After "--" every word is an argument, as s3cors reads it: neither
	# a flag nor a flag's value.
	for ((i = 2; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] && flag= ended=1
	done
	case ${COMP_WORDS[1]} in
`)
	for _, v := range spec {
		writeBashVerb(&b, v)
	}
	fmt.Fprintf(&b, "\thelp) ((COMP_CWORD == 2)) && _s3cors_words %s ;;\n", shellWords(verbNames(spec)))
	b.WriteString("\tesac\n}\n\ncomplete -F _s3cors s3cors\n")
	return b.String()
}

// writeBashVerb writes the branch of _s3cors for the verb v: the values
// of its flags, its flags, and its operands.
func writeBashVerb(b *strings.Builder, v verbSpec) {
	fmt.Fprintf(b, "\t%s)\n", v.name)
	var names, cases []string
	for _, f := range v.flags {
		names = append(names, "--"+f.name)
		if f.value == "" {
			continue
		}
		action := f.action("_s3cors_files", "_s3cors_dirs", func(c []string) string { return "_s3cors_words " + shellWords(c) }, "")
		cases = append(cases, fmt.Sprintf("\t\t%s) %s ;;\n", f.name, strings.TrimPrefix(action+"; return", "; ")))
	}
	names = append(names, "--help")
	if len(cases) > 0 {
		b.WriteString("\t\tcase $flag in\n" + strings.Join(cases, "") + "\t\tesac\n")
	}
	fmt.Fprintf(b, "\t\tif [[ -z $ended && $cur == -* ]]; then _s3cors_words %s; return; fi\n", shellWords(names))
	switch {
	case slices.Equal(v.operands, operandFiles):
		b.WriteString("\t\t_s3cors_files\n")
	case len(v.operands) > 0:
		fmt.Fprintf(b, "\t\t_s3cors_one_of %s\n", shellWords(v.operands))
	}
	b.WriteString("\t\t;;\n")
}

// shellWords quotes words, separated by spaces, as one word for bash and
// zsh: single quotes, which hold anything but a single quote.
func shellWords(words []string) string {
	return "'" + strings.ReplaceAll(strings.Join(words, " "), "'", `'\''`) + "'"
}

// zshCompletion returns a zsh script for s3cors. It is both a completion
// function for $fpath (file _s3cors, which "#compdef s3cors" names) and a
// script to source once compinit has run.
func zshCompletion(spec []verbSpec) string {
	var b strings.Builder
	b.WriteString(`#compdef s3cors
# zsh completion for s3cors, written by "s3cors completion zsh".
# Load it in this shell (after compinit):  source <(s3cors completion zsh)
# or for every new shell:  s3cors completion zsh > "${fpath[1]}/_s3cors"

_s3cors() {
	local -a verbs
	verbs=(
`)
	for _, v := range spec {
		fmt.Fprintf(&b, "\t\t%s\n", zshQuote(v.name+":"+v.summary))
	}
	b.WriteString("\t)\n\tif ((CURRENT == 2)); then\n\t\t_describe -t verbs 's3cors verb' verbs\n")
	fmt.Fprintf(&b, "\t\tcompadd -- help %s\n", strings.Join(topFlags, " "))
	b.WriteString(`		return
	fi
	local verb=$words[2]
	shift words
	((CURRENT--))
	case $verb in
`)
	for _, v := range spec {
		fmt.Fprintf(&b, "\t%s)\n\t\t_arguments -s -S", v.name)
		for _, f := range v.flags {
			about := zshEscape(f.about)
			switch {
			case f.value == "":
				fmt.Fprintf(&b, " \\\n\t\t\t%s", zshQuote("--"+f.name+"["+about+"]"))
			default:
				action := f.action("_files", "_files -/", func(c []string) string { return "(" + strings.Join(c, " ") + ")" }, " ")
				fmt.Fprintf(&b, " \\\n\t\t\t%s", zshQuote("--"+f.name+"=["+about+"]:"+zshEscape(f.value)+":"+action))
			}
		}
		fmt.Fprintf(&b, " \\\n\t\t\t%s", zshQuote("(- *)--help[show the help]"))
		switch {
		case slices.Equal(v.operands, operandFiles):
			fmt.Fprintf(&b, " \\\n\t\t\t%s", zshQuote("*:FILE:_files"))
		case len(v.operands) > 0:
			fmt.Fprintf(&b, " \\\n\t\t\t%s", zshQuote("1:"+v.name+":("+strings.Join(v.operands, " ")+")"))
		}
		b.WriteString("\n\t\t;;\n")
	}
	b.WriteString(`	help)
		((CURRENT == 2)) && _describe -t verbs 's3cors verb' verbs
		;;
	esac
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_s3cors "$@"
else
	compdef _s3cors s3cors
fi
`)
	return b.String()
}

// zshEscape escapes what _arguments reads in a description or a message:
// brackets and colons.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishCompletion returns a fish script for s3cors, for
// ~/.config/fish/completions/s3cors.fish or "| source".
func fishCompletion(spec []verbSpec) string {
	var b strings.Builder
	b.WriteString(`# fish completion for s3cors, written by "s3cors completion fish".
# Load it in this shell:   s3cors completion fish | source
# or for every new shell:  s3cors completion fish > ~/.config/fish/completions/s3cors.fish

complete -c s3cors -f

# __s3cors_verb tests whether s3cors was given the verb $argv[1], which
# comes first: "s3cors help lint" is not lint's.
function __s3cors_verb
	set -l words (commandline -poc)
	test "$words[2]" = $argv[1]
end

`)
	names := verbNames(spec)
	noVerb := "not __fish_seen_subcommand_from " + strings.Join(append(slices.Clone(names), "help"), " ")
	for _, v := range spec {
		fmt.Fprintf(&b, "complete -c s3cors -n %s -a %s -d %s\n", fishQuote(noVerb), v.name, fishQuote(v.summary))
	}
	fmt.Fprintf(&b, "complete -c s3cors -n %s -a help -d %s\n", fishQuote(noVerb), fishQuote("show the help of s3cors or of a verb"))
	fmt.Fprintf(&b, "complete -c s3cors -n %s -l version -d %s\n", fishQuote(noVerb), fishQuote("print the version of s3cors"))
	fmt.Fprintf(&b, "complete -c s3cors -l help -d %s\n", fishQuote("show the help"))
	for _, v := range spec {
		cond := fishQuote("__s3cors_verb " + v.name)
		for _, f := range v.flags {
			line := fmt.Sprintf("complete -c s3cors -n %s -l %s", cond, f.name)
			if f.value != "" {
				line += f.action(" -r -F", " -x -a '(__fish_complete_directories)'", func(c []string) string { return " -x -a " + fishQuote(strings.Join(c, " ")) }, " -x")
			}
			fmt.Fprintf(&b, "%s -d %s\n", line, fishQuote(f.about))
		}
		switch {
		case slices.Equal(v.operands, operandFiles):
			fmt.Fprintf(&b, "complete -c s3cors -n %s -F\n", cond)
		case len(v.operands) > 0:
			// One of the words, once.
			words := strings.Join(v.operands, " ")
			oneOf := fishQuote("__s3cors_verb " + v.name + "; and not __fish_seen_subcommand_from " + words)
			fmt.Fprintf(&b, "complete -c s3cors -n %s -a %s\n", oneOf, fishQuote(words))
		}
	}
	helpOnce := "__s3cors_verb help; and not __fish_seen_subcommand_from " + strings.Join(names, " ")
	fmt.Fprintf(&b, "complete -c s3cors -n %s -a %s\n", fishQuote(helpOnce), fishQuote(strings.Join(names, " ")))
	return b.String()
}

// fishQuote single-quotes s for fish, where \ and ' are escaped inside
// single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
