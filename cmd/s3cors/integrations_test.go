package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// preCommitHook is one hook of .pre-commit-hooks.yaml, with the keys
// pre-commit requires (id, name, entry, language) and those used.
type preCommitHook struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Entry       string `yaml:"entry"`
	Language    string `yaml:"language"`
	Files       string `yaml:"files"`
}

// TestPreCommitHooks reads .pre-commit-hooks.yaml as pre-commit does and
// runs each hook's entry as pre-commit would: on the files of testdata/cli
// and testdata/iac its "files" pattern selects, all at once. The hooks
// must judge them without a usage or read error, fail on the problems and
// findings there, pass over files that are not about CORS, and pass on a
// clean file.
func TestPreCommitHooks(t *testing.T) {
	t.Chdir("../..")
	data, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
	}
	if !slices.Equal(ids, []string{"s3cors-validate", "s3cors-lint"}) {
		t.Fatalf("hooks %q, want s3cors-validate and s3cors-lint", ids)
	}
	for _, h := range hooks {
		t.Run(h.ID, func(t *testing.T) {
			if h.Name == "" || h.Description == "" || h.Language != "golang" {
				t.Errorf("hook %+v: want a name, a description and language golang", h)
			}
			// language golang: pre-commit runs "go install ./..." in the
			// repository, which installs cmd/s3cors as s3cors.
			entry := strings.Fields(h.Entry)
			if len(entry) < 2 || entry[0] != "s3cors" {
				t.Fatalf("entry %q does not run s3cors", h.Entry)
			}
			if _, err := os.Stat(filepath.Join("cmd", entry[0], "main.go")); err != nil {
				t.Fatalf("no main package installs %s: %v", entry[0], err)
			}
			files, err := regexp.Compile(h.Files)
			if err != nil {
				t.Fatalf("files %q: %v", h.Files, err)
			}
			var selected []string
			for _, root := range []string{"testdata/cli", "testdata/iac"} {
				filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && files.MatchString(filepath.ToSlash(path)) {
						selected = append(selected, path)
					}
					return err
				})
			}
			for _, want := range []string{"testdata/cli/valid.xml", "testdata/cli/findings.json", "testdata/iac/terraform/app/main.tf",
				"testdata/iac/cloudformation/website.yaml", "testdata/iac/cdk.out/MediaStack.template.json", "testdata/cli/unrelated/package.json",
				"testdata/cli/opentofu/main.tofu"} {
				if !slices.Contains(selected, want) {
					t.Errorf("the hook's files pattern %q leaves out %s", h.Files, want)
				}
			}
			if slices.ContainsFunc(selected, func(p string) bool { return strings.HasSuffix(p, ".golden") }) {
				t.Errorf("the hook's files pattern %q takes golden files", h.Files)
			}
			code, stdout, stderr := runIn(append(slices.Clone(entry[1:]), selected...), "")
			if code != exitInvalid || stderr != "" {
				t.Errorf("%s on %d files: exit %d, stderr %q; want 1 for the problems in testdata and nothing on stderr", h.Entry, len(selected), code, stderr)
			}
			for _, judged := range []string{"testdata/iac/terraform/app/main.tf:32:39: 400 InvalidRequest", "testdata/iac/cloudformation/website.yaml:53:13: unknown-member",
				"testdata/cli/opentofu/main.tofu:10:39: 400 InvalidRequest"} {
				if !strings.Contains(stdout, judged) {
					t.Errorf("%s does not report %q", h.Entry, judged)
				}
			}
			if strings.Contains(stdout, "unrelated/") {
				t.Errorf("%s judged a file that is not about CORS:\n%s", h.Entry, stdout)
			}
			if code, stdout, stderr := runIn(append(slices.Clone(entry[1:]), "testdata/cli/valid.xml", "testdata/cli/unrelated/ci.yml"), ""); code != exitOK {
				t.Errorf("%s on a clean file: exit %d\n%s%s", h.Entry, code, stdout, stderr)
			}
		})
	}
}

// cliHelperEnv, when set, makes the test binary run s3cors with the
// arguments after "--" instead of its tests, so that a shell script can
// call the command under test (see TestAction).
const cliHelperEnv = "S3CORS_CLI_HELPER"

// TestCLIHelper is not a test: it is "s3cors" for the scripts of
// TestAction.
func TestCLIHelper(t *testing.T) {
	if os.Getenv(cliHelperEnv) == "" {
		t.Skip("the s3cors command of TestAction's scripts")
	}
	i := slices.Index(os.Args, "--")
	os.Exit(run(os.Args[i+1:], os.Stdin, os.Stdout, os.Stderr))
}

// action is the part of action.yml the tests read.
type action struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

// expression matches a GitHub Actions expression, ${{ ... }}.
var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// TestAction checks action.yml: a composite action whose inputs and
// outputs are documented, that sets up the Go release go.mod asks for,
// installs s3cors with go install at the action's ref, writes SARIF with
// lint and uploads it with github/codeql-action/upload-sarif; then it runs
// the step that runs s3cors with bash, as the runner would, in a git
// repository of testdata files, with the command under test as s3cors.
func TestAction(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Fatalf("name %q, description %q, runs.using %q: want a composite action with a name and a description", a.Name, a.Description, a.Runs.Using)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	for name, out := range a.Outputs {
		if out.Description == "" || out.Value == "" {
			t.Errorf("output %s needs a description and a value", name)
		}
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	modulePath, goVersion := goModLine(mod, "module"), goModLine(mod, "go")
	steps := map[string]actionStep{}
	for _, s := range a.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			steps["setup-go"] = s
			if v := s.With["go-version"]; v == "" || !strings.HasPrefix(goVersion, v) {
				t.Errorf("setup-go installs Go %q, go.mod asks for %s", v, goVersion)
			}
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			steps["upload"] = s
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %q writes an expression into its script; pass it in env", s.Name)
			}
			if strings.Contains(s.Run, "go install") {
				steps["install"] = s
			}
			if s.ID == "run" {
				steps["run"] = s
			}
		}
		for _, v := range s.Env {
			for _, m := range expression.FindAllStringSubmatch(v, -1) {
				if name, ok := strings.CutPrefix(m[1], "inputs."); ok {
					if _, declared := a.Inputs[name]; !declared {
						t.Errorf("step %q uses the undeclared input %s", s.Name, name)
					}
				}
			}
		}
	}
	for _, name := range []string{"setup-go", "install", "run", "upload"} {
		if _, ok := steps[name]; !ok {
			t.Fatalf("action.yml has no %s step", name)
		}
	}
	install := steps["install"]
	if want := `go install "` + modulePath + `/cmd/s3cors@$S3CORS_REF"`; !strings.Contains(install.Run, want) || install.Env["S3CORS_REF"] != "${{ github.action_ref }}" {
		t.Errorf("the install step does not run %s with S3CORS_REF the action's ref:\n%s", want, install.Run)
	}
	upload := steps["upload"]
	if upload.With["sarif_file"] != "${{ inputs.sarif-file }}" || steps["run"].Env["S3CORS_SARIF"] != "${{ inputs.sarif-file }}" {
		t.Errorf("the SARIF file uploaded (%q) is not the one written (%q)", upload.With["sarif_file"], steps["run"].Env["S3CORS_SARIF"])
	}
	for _, s := range []actionStep{install, steps["run"]} {
		if out, err := exec.Command("bash", "-n", "-c", s.Run).CombinedOutput(); err != nil {
			t.Errorf("step %q is not valid bash: %v\n%s", s.Name, err, out)
		}
	}
	runActionStep(t, a, steps["run"])
	// The last step fails the job on a read error, and on problems and
	// findings unless told not to.
	last := a.Runs.Steps[len(a.Runs.Steps)-1]
	if last.Env["S3CORS_STATUS"] != "${{ steps.run.outputs.exit-code }}" || last.Env["S3CORS_FAIL"] != "${{ inputs.fail-on-findings }}" {
		t.Errorf("the last step's env %v does not pass the exit code and fail-on-findings", last.Env)
	}
	for _, tc := range []struct {
		status, fail string
		fails        bool
	}{{"0", "true", false}, {"1", "true", true}, {"1", "false", false}, {"2", "false", true}} {
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", last.Run)
		cmd.Env = append(os.Environ(), "S3CORS_STATUS="+tc.status, "S3CORS_FAIL="+tc.fail)
		if err := cmd.Run(); (err != nil) != tc.fails {
			t.Errorf("step %q with exit code %s and fail-on-findings %s: %v", last.Name, tc.status, tc.fail, err)
		}
	}
}

// goModLine returns the value of the directive key ("module", "go") of a
// go.mod file.
func goModLine(mod []byte, key string) string {
	for line := range strings.Lines(string(mod)) {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// runActionStep runs the step that runs s3cors, as the runner would: its
// env with the inputs' defaults, GITHUB_OUTPUT, in a git repository that
// holds a few testdata files and a file about something else, with a
// script named s3cors that runs the command under test.
func runActionStep(t *testing.T, a action, step actionStep) {
	files := map[string]string{}
	for src, dst := range map[string]string{
		"../iac/terraform/app/main.tf":       "infra/main.tf",
		"../iac/terraform/app/variables.tf":  "infra/variables.tf",
		"../iac/cloudformation/website.yaml": "templates/website.yaml",
		"valid.xml":                          "cors/cors.xml",
		"unrelated/package.json":             "package.json",
	} {
		b, err := os.ReadFile(filepath.Join(cliDir, src))
		if err != nil {
			t.Fatal(err)
		}
		files[dst] = string(b)
	}
	repo, log, outputs := runActionScript(t, a, step, files, nil)
	if got, want := outputs, "sarif-written=true\nexit-code=1\n"; got != want {
		t.Errorf("GITHUB_OUTPUT holds %q, want %q (problems in the files)", got, want)
	}
	sarif, err := os.ReadFile(filepath.Join(repo, a.Inputs["sarif-file"].Default))
	if err != nil {
		t.Fatal(err)
	}
	var log2 struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal(sarif, &log2); err != nil {
		t.Fatalf("the SARIF log: %v\n%s", err, sarif)
	}
	uris := map[string]bool{}
	for _, r := range log2.Runs[0].Results {
		uris[r.Locations[0].PhysicalLocation.ArtifactLocation.URI] = true
	}
	for _, want := range []string{"infra/main.tf", "templates/website.yaml"} {
		if !uris[want] {
			t.Errorf("no result in %s; results in %v", want, uris)
		}
	}
	if uris["package.json"] || !strings.Contains(log, "infra/main.tf:32:39: 400 InvalidRequest") {
		t.Errorf("the step judged package.json, or printed no findings:\n%s", log)
	}
}

// runActionScript runs the script of step, as the runner runs a "shell:
// bash" step, in a new git repository that tracks files (path to
// content), with a script named s3cors that runs the command under test.
// The step's env gets inputs, or the inputs' defaults. It returns the
// repository, the step's log and what it wrote to GITHUB_OUTPUT.
func runActionScript(t *testing.T, a action, step actionStep, files, inputs map[string]string) (repo, log, outputs string) {
	t.Helper()
	repo, log, outputs, err := runActionScriptStatus(t, a, step, files, inputs)
	if err != nil {
		t.Fatalf("the action's step %q: %v\n%s", step.Name, err, log)
	}
	return repo, log, outputs
}

// runActionScriptStatus is runActionScript for a step that may fail: it
// returns the step's error rather than failing the test.
func runActionScriptStatus(t *testing.T, a action, step actionStep, files, inputs map[string]string) (repo, log, outputs string, err error) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to run the action's script:", err)
	}
	repo = t.TempDir()
	writeTree(t, repo, files)
	for _, args := range [][]string{{"init", "-q", "."}, {"add", "."}} {
		git := exec.Command("git", args...)
		git.Dir = repo
		if out, err := git.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args[0], err, out)
		}
	}
	bin := t.TempDir()
	shim := "#!/bin/sh\nexec \"$S3CORS_TEST_BINARY\" -test.run='^TestCLIHelper$' -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "s3cors"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	output := filepath.Join(t.TempDir(), "github_output")
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_OUTPUT="+output,
		"S3CORS_TEST_BINARY="+os.Args[0], cliHelperEnv+"=1")
	for name, v := range step.Env {
		env = append(env, name+"="+expression.ReplaceAllStringFunc(v, func(e string) string {
			name := strings.TrimPrefix(expression.FindStringSubmatch(e)[1], "inputs.")
			if v, ok := inputs[name]; ok {
				return v
			}
			return a.Inputs[name].Default
		}))
	}
	// The runner runs "shell: bash" steps as bash --noprofile --norc -eo
	// pipefail {0}.
	script := filepath.Join(t.TempDir(), "step.sh")
	if err := os.WriteFile(script, []byte(step.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir, cmd.Env = repo, env
	out, err := cmd.CombinedOutput()
	// GITHUB_OUTPUT does not exist when the step wrote nothing to it.
	written, rerr := os.ReadFile(output)
	if rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		t.Fatal(rerr)
	}
	return repo, string(out), string(written), err
}

// actionRunStep reads action.yml and returns it with its step that runs
// s3cors (id "run").
func actionRunStep(t *testing.T) (action, actionStep) {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Runs.Steps {
		if s.ID == "run" {
			return a, s
		}
	}
	t.Fatal("action.yml has no step with id run")
	return a, actionStep{}
}

// sarifURIs returns the artifact URIs of the results of a SARIF log.
func sarifURIs(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("the SARIF log: %v\n%s", err, data)
	}
	var uris []string
	for _, r := range log.Runs[0].Results {
		for _, l := range r.Locations {
			uris = append(uris, l.PhysicalLocation.ArtifactLocation.URI)
		}
	}
	slices.Sort(uris)
	return slices.Compact(uris)
}

// TestActionPaths runs the action's step on the files its paths input
// names, and on the files git tracks when it names none: each must be
// judged, whatever its name, and each path given, on however many lines.
func TestActionPaths(t *testing.T) {
	a, step := actionRunStep(t)
	bad, err := os.ReadFile(filepath.Join(cliDir, "bad-method.json"))
	if err != nil {
		t.Fatal(err)
	}
	tofu, err := os.ReadFile(filepath.Join(cliDir, "opentofu/main.tofu"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		files  []string // each holds bad-method.json, or main.tofu for a .tofu file
		inputs map[string]string
		want   []string // the SARIF results' URIs
	}{
		{
			// git ls-files writes a name with bytes other than
			// printable ASCII in C quotes ("caf\303\251.json") unless
			// told -z (git-ls-files(1), core.quotePath).
			name:  "tracked names git quotes",
			files: []string{"café/cors.json", "dir with space/cors.json", "tab\there.json", `quote".json`},
			want:  []string{"caf%C3%A9/cors.json", "dir%20with%20space/cors.json", "quote%22.json", "tab%09here.json"},
		},
		{
			// A YAML block scalar (paths: |) gives one path a line: the
			// input is "separated by white space", newlines included.
			name:   "paths on several lines",
			files:  []string{"a/cors.json", "b/cors.json", "c/cors.json"},
			inputs: map[string]string{"paths": "a/cors.json\nb/cors.json  c/cors.json\n"},
			want:   []string{"a/cors.json", "b/cors.json", "c/cors.json"},
		},
		{
			// "Files and directories to judge": a directory of
			// configurations or templates is no Terraform module, which
			// is the only directory s3cors reads (exit 2); it stands
			// for the files git tracks under it, as the default does
			// for the repository.
			name:   "a directory",
			files:  []string{"cors/a.json", "cors/sub/b.json", "cors/notes.md", "other/c.json"},
			inputs: map[string]string{"paths": "cors/"},
			want:   []string{"cors/a.json", "cors/sub/b.json"},
		},
		{
			// OpenTofu's .tofu files are judged as .tf files are, by
			// default and in a directory given.
			name:  "OpenTofu files",
			files: []string{"infra/main.tofu", "cors.json"},
			want:  []string{"cors.json", "infra/main.tofu"},
		},
		{
			name:   "OpenTofu files in a directory",
			files:  []string{"infra/main.tofu", "infra/cors.json"},
			inputs: map[string]string{"paths": "infra"},
			want:   []string{"infra/cors.json", "infra/main.tofu"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			for _, f := range tc.files {
				files[f] = string(bad)
				if strings.HasSuffix(f, ".tofu") {
					files[f] = string(tofu)
				}
			}
			repo, log, outputs := runActionScript(t, a, step, files, tc.inputs)
			if want := "sarif-written=true\nexit-code=1\n"; outputs != want {
				t.Errorf("GITHUB_OUTPUT holds %q, want %q (a problem in each file)\n%s", outputs, want, log)
			}
			if diff := cmp.Diff(tc.want, sarifURIs(t, filepath.Join(repo, a.Inputs["sarif-file"].Default))); diff != "" {
				t.Errorf("the SARIF results' files (-want +got):\n%s\n%s", diff, log)
			}
		})
	}
}

// runnerCommands returns the workflow commands the runner would act on in
// a step's log, as actions/runner reads it: lines end at LF, CR or CRLF
// (ProcessInvoker reads them with TextReader.ReadLine); a line is a
// command if it starts with "::" after leading white space
// (ActionCommand.TryParseV2) or holds "##[" and a "]" after it anywhere
// (ActionCommand.TryParse, the legacy form); none is, but the one that
// resumes, between ::stop-commands::TOKEN and ::TOKEN::.
func runnerCommands(log string) []string {
	var cmds []string
	stop := ""
	for _, line := range regexp.MustCompile(`\r\n|\r|\n`).Split(log, -1) {
		line = strings.TrimSpace(line)
		legacy := false
		if i := strings.Index(line, "##["); i >= 0 {
			legacy = strings.Contains(line[i:], "]")
		}
		switch {
		case stop != "":
			if line == "::"+stop+"::" {
				stop = ""
			}
		case strings.HasPrefix(line, "::stop-commands::"):
			stop = strings.TrimPrefix(line, "::stop-commands::")
		case strings.HasPrefix(line, "::") || legacy:
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// TestActionLogCommands checks that what a judged file holds cannot
// become a workflow command: the step prints the text findings, which
// quote S3's messages and so the file's values, line breaks included, and
// the runner acts on any line of the log that starts with "::" or holds
// "##[...]" (see runnerCommands; GitHub Docs, "Workflow commands for
// GitHub Actions", "Stopping and starting workflow commands"). Only the
// annotations asked for are commands. The file is in the console's form,
// which brings S3 a CR as it is (the AWS CLI's brings it as LF).
func TestActionLogCommands(t *testing.T) {
	a, step := actionRunStep(t)
	inject := `[{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["get ##[warning]legacy\r::warning::cr\n::warning file=x::injected\n"]}]`
	for _, tc := range []struct {
		annotations string
		want        []string
	}{
		{"false", nil},
		{"true", []string{"::error file=cors.json,line=1,col=69,title=400 InvalidRequest::rule 1: Found unsupported HTTP method in CORS config. " +
			"Unsupported method is get ##[warning]legacy%0D::warning::cr%0A::warning file=x::injected%0A%0AHint: S3 allows only GET, PUT, HEAD, POST and DELETE"}},
	} {
		t.Run("annotations "+tc.annotations, func(t *testing.T) {
			t.Parallel()
			_, log, _ := runActionScript(t, a, step, map[string]string{"cors.json": inject}, map[string]string{"annotations": tc.annotations})
			// The text output escapes line breaks, but a line may still
			// hold "##[warning]", which the runner acts on anywhere.
			if !strings.Contains(log, `Unsupported method is get ##[warning]legacy\r::warning::cr\n::warning file=x::injected\n`) {
				t.Fatalf("the log does not show the file's value:\n%s", log)
			}
			if diff := cmp.Diff(tc.want, runnerCommands(log)); diff != "" {
				t.Errorf("workflow commands in the log (-want +got):\n%s\n%s", diff, log)
			}
		})
	}
}

// TestActionSARIFFileUnwritable runs the action's step with a sarif-file
// it cannot write, in a directory that does not exist: bash then fails
// the redirection with status 1, which is also s3cors's status for
// findings, so that with fail-on-findings false and upload false the job
// passed without judging anything. The step must fail, and say why.
func TestActionSARIFFileUnwritable(t *testing.T) {
	a, step := actionRunStep(t)
	valid, err := os.ReadFile(filepath.Join(cliDir, "valid.xml"))
	if err != nil {
		t.Fatal(err)
	}
	_, log, outputs, err := runActionScriptStatus(t, a, step, map[string]string{"cors.xml": string(valid)},
		map[string]string{"sarif-file": "missing/s3cors.sarif", "fail-on-findings": "false", "upload": "false"})
	if err == nil {
		t.Errorf("the step passed; GITHUB_OUTPUT holds %q\n%s", outputs, log)
	}
	cmds := runnerCommands(log)
	if len(cmds) != 1 || !strings.HasPrefix(cmds[0], "::error::") || !strings.Contains(cmds[0], "sarif-file") {
		t.Errorf("workflow commands %q, want one ::error:: about the sarif-file\n%s", cmds, log)
	}
}

// TestActionArgs runs the action's step with its args input: the flags
// reach every run of s3cors, so that a Terraform environment is judged
// with its var file (findings located in prod.tfvars, where the run
// without it cannot judge the origins); a flag that refuses a file is
// s3cors's usage error for that file (exit-code 2), the others judged; and --format or --json, which the action
// sets itself, fail the step, saying why.
func TestActionArgs(t *testing.T) {
	a, step := actionRunStep(t)
	files := map[string]string{}
	for _, name := range []string{"main.tf", "prod.tfvars"} {
		b, err := os.ReadFile(filepath.Join("../../testdata/iac/terraform/envs", name))
		if err != nil {
			t.Fatal(err)
		}
		files["infra/envs/"+name] = string(b)
	}
	valid, err := os.ReadFile(filepath.Join(cliDir, "valid.xml"))
	if err != nil {
		t.Fatal(err)
	}
	files["cors/cors.xml"] = string(valid)
	for _, tc := range []struct {
		name     string
		inputs   map[string]string
		outputs  string   // GITHUB_OUTPUT, "" when the step fails
		uris     []string // the SARIF results' URIs
		wantLogs []string
	}{
		{"without args", map[string]string{"paths": "infra/envs"}, "sarif-written=true\nexit-code=0\n", []string{"infra/envs/main.tf"},
			[]string{"infra/envs/main.tf:20:23: not judged: aws_s3_bucket_cors_configuration.assets rule 1 AllowedOrigin var.app_origins: variable app_origins has no default"}},
		{"var file", map[string]string{"paths": "infra/envs", "args": "--var-file infra/envs/prod.tfvars"},
			"sarif-written=true\nexit-code=1\n", []string{"infra/envs/prod.tfvars"},
			[]string{"infra/envs/prod.tfvars:1:39: origin-trailing-slash", "infra/envs/prod.tfvars:2:15: max-age-over-firefox"}},
		{"var file, lines", map[string]string{"paths": "infra/envs", "args": "--var-file\n  infra/envs/prod.tfvars\n--var\tmax_age=600\n"},
			"sarif-written=true\nexit-code=1\n", []string{"infra/envs/prod.tfvars"},
			[]string{"infra/envs/prod.tfvars:1:39: origin-trailing-slash"}},
		{"a file that refuses it", map[string]string{"paths": "infra/envs cors", "args": "--var-file infra/envs/prod.tfvars"},
			"sarif-written=true\nexit-code=2\n", []string{"infra/envs/prod.tfvars"},
			[]string{"s3cors lint: cors/cors.xml: is not a Terraform configuration, and --var-file, --var and --workspace give values to Terraform's variables and workspace only"}},
		{"format", map[string]string{"args": "--format=json"}, "", nil,
			[]string{"::error::s3cors: the input args holds --format=json: the action sets the output format itself"}},
		{"json", map[string]string{"args": "-json"}, "", nil,
			[]string{"::error::s3cors: the input args holds -json: the action sets the output format itself"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo, log, outputs, err := runActionScriptStatus(t, a, step, files, tc.inputs)
			if (err == nil) != (tc.outputs != "") || outputs != tc.outputs {
				t.Fatalf("the step: %v; GITHUB_OUTPUT holds %q, want %q\n%s", err, outputs, tc.outputs, log)
			}
			for _, want := range tc.wantLogs {
				if !strings.Contains(log, want) {
					t.Errorf("the log lacks %q:\n%s", want, log)
				}
			}
			if tc.outputs == "" {
				return
			}
			if got := sarifURIs(t, filepath.Join(repo, a.Inputs["sarif-file"].Default)); !slices.Equal(got, tc.uris) {
				t.Errorf("SARIF results in %q, want %q\n%s", got, tc.uris, log)
			}
		})
	}
}

// TestActionREADMEWorkflow reads the workflow README.md gives to copy:
// every step that uses the action gives it only inputs action.yml
// declares (the runner warns of others and ignores them), and two
// steps that both upload give each its own category and SARIF file,
// which code scanning and the second step's log would otherwise share.
func TestActionREADMEWorkflow(t *testing.T) {
	a, _ := actionRunStep(t)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "A workflow to copy into")
	_, block, ok2 := strings.Cut(after, "```yaml\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal(`README.md has no yaml block after "A workflow to copy into"`)
	}
	var workflow struct {
		Jobs map[string]struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(block), &workflow); err != nil {
		t.Fatalf("README.md's workflow: %v\n%s", err, block)
	}
	uses := 0
	categories, sarifs := map[string]bool{}, map[string]bool{}
	for _, job := range workflow.Jobs {
		for _, step := range job.Steps {
			if !strings.HasPrefix(step.Uses, "s3cors/s3cors@") {
				continue
			}
			uses++
			for name := range step.With {
				if _, ok := a.Inputs[name]; !ok {
					t.Errorf("README.md's workflow gives the action the input %q, which action.yml does not declare", name)
				}
			}
			input := func(name string) string {
				if v, ok := step.With[name]; ok {
					return v
				}
				return a.Inputs[name].Default
			}
			if categories[input("category")] || sarifs[input("sarif-file")] {
				t.Errorf("two steps of README.md's workflow share category %q or sarif-file %q", input("category"), input("sarif-file"))
			}
			categories[input("category")], sarifs[input("sarif-file")] = true, true
		}
	}
	if uses < 2 {
		t.Errorf("README.md's workflow uses the action %d times, want the whole repository and an environment with args", uses)
	}
}
