package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// completionCase is a command line being completed, and what the shell
// must offer at its end.
type completionCase struct {
	line string   // typed so far, up to the cursor
	want []string // the candidates, in any order; nil for none
}

// completionCases are run by every shell in a directory holding a.json,
// b.tf and the directory adir.
var completionCases = []completionCase{
	{"s3cors va", []string{"validate"}},
	{"s3cors co", []string{"completion", "convert"}},
	{"s3cors validate --", []string{"--all", "--example", "--format", "--help", "--input", "--json", "--param", "--parameter", "--skip-unrelated", "--stack", "--stage", "--var", "--var-file", "--workspace"}},
	{"s3cors lint --var-file a", []string{"a.json", "adir/"}},
	{"s3cors validate --format ", []string{"github", "json", "sarif", "text"}},
	{"s3cors lint --input terraform", []string{"terraform", "terraform-plan"}},
	{"s3cors validate a", []string{"a.json", "adir/"}},
	{"s3cors lint --example --j", []string{"--json"}},
	{"s3cors convert --to ", []string{"cloudformation", "cloudformation-json", "console", "json", "terraform", "xml"}},
	{"s3cors convert --to j", []string{"json"}},
	{"s3cors explain --method O", []string{"OPTIONS"}},
	{"s3cors explain --request-method P", []string{"POST", "PUT"}},
	{"s3cors explain --config b", []string{"b.tf"}},
	{"s3cors explain --origin h", nil},
	{"s3cors serve --data a", []string{"adir/"}},
	{"s3cors serve --in", []string{"--in-memory"}},
	{"s3cors serve x", nil},
	{"s3cors completion ", []string{"bash", "fish", "zsh"}},
	// completion and help take one operand: none is offered past it.
	{"s3cors completion bash ", nil},
	{"s3cors completion bash z", nil},
	{"s3cors help ex", []string{"explain"}},
	{"s3cors help lint ", nil},
	// "--" ends the flags: what follows is a FILE, whatever it starts with.
	{"s3cors validate -- --", nil},
	{"s3cors lint -- --json a", []string{"a.json", "adir/"}},
	{"s3cors explain -- --config b", []string{"b.tf"}},
	{"s3cors explain -- --method a", []string{"a.json", "adir/"}},
}

// completionDir makes the directory the completion cases run in.
func completionDir(t *testing.T) string {
	dir := t.TempDir()
	for _, f := range []string{"a.json", "b.tf"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// completionScript writes the script "s3cors completion SHELL" prints.
func completionScript(t *testing.T, shell string) string {
	code, stdout, stderr := runIn([]string{"completion", shell}, "")
	if code != exitOK || stderr != "" {
		t.Fatalf("completion %s: exit %d, %s", shell, code, stderr)
	}
	path := filepath.Join(t.TempDir(), "s3cors."+shell)
	if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needShell returns the path of a shell, skipping the test when it is
// missing unless S3CORS_REQUIRE_SHELLS is set (as .ci/run sets it).
func needShell(t *testing.T, name string) string {
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("S3CORS_REQUIRE_SHELLS") != "" {
			t.Fatalf("%s is required (S3CORS_REQUIRE_SHELLS is set): %v", name, err)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

// runShell runs a shell command line in dir, bounded in time.
func runShell(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func sameCandidates(got, want []string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(slices.Compact(got), want)
}

// TestCompletionBash loads the bash script, checks that it registers a
// completion function for s3cors, and calls that function as bash's
// completion does, with COMP_WORDS and COMP_CWORD, for every case.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash := needShell(t, "bash")
	script := completionScript(t, "bash")
	dir := completionDir(t)
	var harness strings.Builder
	harness.WriteString("set -u\nsource " + shellQuote(script) + "\ncomplete -p s3cors\n")
	harness.WriteString(`t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _s3cors
	printf '%s\n' "--- $*" "${COMPREPLY[@]}"; }` + "\n")
	cases := append(slices.Clone(completionCases),
		completionCase{"s3cors convert --to=co", []string{"console"}},
		completionCase{"s3cors convert --to=", []string{"cloudformation", "cloudformation-json", "console", "json", "terraform", "xml"}},
		completionCase{"s3cors ", []string{"validate", "lint", "explain", "convert", "serve", "proxy", "completion", "version", "help", "--help", "--version"}},
	)
	for _, tc := range cases {
		words := strings.Split(tc.line, " ")
		var quoted []string
		for _, w := range words {
			// bash makes "=" a word of its own, the word being completed
			// when the cursor follows it.
			if before, after, hasEq := strings.Cut(w, "="); hasEq {
				quoted = append(quoted, shellQuote(before), "=")
				if after != "" {
					quoted = append(quoted, shellQuote(after))
				}
				continue
			}
			quoted = append(quoted, shellQuote(w))
		}
		harness.WriteString("t " + strings.Join(quoted, " ") + "\n")
	}
	out := runShell(t, dir, bash, "-c", harness.String())
	first, rest, _ := strings.Cut(out, "\n")
	if first != "complete -F _s3cors s3cors" {
		t.Errorf("complete -p s3cors = %q", first)
	}
	results := strings.Split(rest, "--- ")[1:]
	if len(results) != len(cases) {
		t.Fatalf("%d results for %d cases:\n%s", len(results), len(cases), out)
	}
	for i, tc := range cases {
		lines := strings.Split(strings.TrimSuffix(results[i], "\n"), "\n")[1:]
		lines = slices.DeleteFunc(lines, func(s string) bool { return s == "" })
		// bash adds the "/" of a directory itself (compopt -o filenames).
		want := slices.Clone(tc.want)
		for j, w := range want {
			want[j] = strings.TrimSuffix(w, "/")
		}
		if !sameCandidates(lines, want) {
			t.Errorf("bash: %q offers %q, want %q", tc.line, lines, want)
		}
	}
}

// TestCompletionZsh loads the zsh script in an interactive zsh on a
// pseudo-terminal (testdata/completion/zsh-complete.zsh), types each case
// and a Tab, and reads the matches zsh's completion system offers; a
// second pass reads the command line after the Tab where one candidate
// is left.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := needShell(t, "zsh")
	script := completionScript(t, "zsh")
	dir := completionDir(t)
	harness, err := filepath.Abs("../../testdata/completion/zsh-complete.zsh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range completionCases {
		out := runShell(t, dir, zsh, "-f", harness, script, "matches", tc.line)
		got := slices.DeleteFunc(strings.Split(out, "\n"), func(s string) bool { return s == "" })
		want := tc.want
		if tc.line == "s3cors completion bash " {
			// _arguments offers the flags after the operand, as a verb
			// takes them there too ("s3cors completion bash --help").
			want = []string{"--help"}
		}
		if tc.line == "s3cors validate a" || tc.line == "s3cors serve --data a" {
			// _files hands compadd every name and lets the file-patterns
			// style choose; what is inserted is checked below.
			continue
		}
		if !sameCandidates(got, trimSlashes(want)) {
			t.Errorf("zsh: %q offers %q, want %q", tc.line, got, want)
		}
	}
	for _, tc := range []struct{ line, want string }{
		{"s3cors val", "s3cors validate "},
		{"s3cors convert --to=cons", "s3cors convert --to=console "},
		{"s3cors serve --data a", "s3cors serve --data adir/"},
		{"s3cors explain --config b", "s3cors explain --config b.tf "},
		{"s3cors completion f", "s3cors completion fish "},
	} {
		if got := strings.TrimSuffix(runShell(t, dir, zsh, "-f", harness, script, "buffer", tc.line), "\n"); got != tc.want {
			t.Errorf("zsh: Tab after %q gives %q, want %q", tc.line, got, tc.want)
		}
	}
}

func trimSlashes(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.TrimSuffix(w, "/")
	}
	return out
}

// TestCompletionFish loads the fish script and asks fish's own completion
// (complete -C) for every case.
func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := needShell(t, "fish")
	script := completionScript(t, "fish")
	dir := completionDir(t)
	cmds := []string{"source " + shellQuote(script)}
	cases := append(slices.Clone(completionCases), completionCase{"s3cors convert --to=co", []string{"--to=console"}})
	for _, tc := range cases {
		cmds = append(cmds, "echo '--- '"+shellQuote(tc.line), "complete -C "+shellQuote(tc.line))
	}
	out := runShell(t, dir, fish, "--no-config", "-c", strings.Join(cmds, "; "))
	results := strings.Split(out, "--- ")[1:]
	if len(results) != len(cases) {
		t.Fatalf("%d results for %d cases:\n%s", len(results), len(cases), out)
	}
	for i, tc := range cases {
		var got []string
		for _, line := range strings.Split(strings.TrimSuffix(results[i], "\n"), "\n")[1:] {
			candidate, _, _ := strings.Cut(line, "\t") // the description follows a tab
			got = append(got, candidate)
		}
		if !sameCandidates(got, tc.want) {
			t.Errorf("fish: %q offers %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestCompletionFollowsFlags checks that the scripts offer every flag of
// every verb, as its help lists them, and nothing else: they are made from
// the commands the verbs parse with, so a flag added to a verb is
// completed without another change.
func TestCompletionFollowsFlags(t *testing.T) {
	t.Parallel()
	spec := completionSpec()
	if got, want := verbNames(spec), slices.Collect(func(yield func(string) bool) {
		for _, v := range verbs {
			if !yield(v.name) {
				return
			}
		}
	}); !slices.Equal(got, want) {
		t.Fatalf("completion knows the verbs %q, the command %q", got, want)
	}
	scripts := map[string]string{}
	for _, shell := range shells {
		_, scripts[shell], _ = runIn([]string{"completion", shell}, "")
	}
	for _, v := range spec {
		_, help, _ := runIn([]string{v.name, "-h"}, "")
		_, flagsSection, _ := strings.Cut(help, "\nFlags:\n")
		flagsSection, _, _ = strings.Cut(flagsSection, "\n\n")
		var helped []string
		for _, line := range strings.Split(flagsSection, "\n") {
			if name, ok := strings.CutPrefix(line, "  --"); ok {
				name, _, _ = strings.Cut(name, " ")
				helped = append(helped, name)
			}
		}
		var completed []string
		for _, f := range v.flags {
			completed = append(completed, f.name)
			for shell, script := range scripts {
				if !strings.Contains(script, f.name) {
					t.Errorf("the %s script lacks %s's flag --%s", shell, v.name, f.name)
				}
			}
		}
		if !slices.Equal(completed, helped) {
			t.Errorf("%s: completion offers the flags %q, the help lists %q", v.name, completed, helped)
		}
	}
	if code, _, stderr := runIn([]string{"completion", "powershell"}, ""); code != exitUsage || !strings.Contains(stderr, `unknown shell "powershell": want bash, zsh or fish`) {
		t.Errorf("completion powershell: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runIn([]string{"completion"}, ""); code != exitUsage || !strings.Contains(stderr, "name one shell") {
		t.Errorf("completion: exit %d, %q", code, stderr)
	}
}

// TestCompletionHelpExample checks that the candidates "completion -h"
// shows for "convert --to <TAB><TAB>" are the values --to takes, as bash
// lists them (sorted), so that the example cannot fall behind the forms
// convert writes.
func TestCompletionHelpExample(t *testing.T) {
	t.Parallel()
	_, help, _ := runIn([]string{"completion", "-h"}, "")
	_, shown, ok := strings.Cut(help, "$ s3cors convert --to <TAB><TAB>\n")
	if !ok {
		t.Fatalf("completion -h has no example of convert --to:\n%s", help)
	}
	shown, _, _ = strings.Cut(shown, "\n")
	var want []string
	for _, v := range completionSpec() {
		for _, f := range v.flags {
			if v.name == "convert" && f.name == "to" {
				want = slices.Sorted(slices.Values(f.choices))
			}
		}
	}
	if got := strings.Fields(shown); !slices.Equal(got, want) {
		t.Errorf("completion -h shows %q for convert --to <TAB><TAB>; the completion offers %q", got, want)
	}
}
