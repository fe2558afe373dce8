package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/s3cors/s3cors/internal/annotate/sariftest"
)

// annotatedInputs are the inputs of the SARIF and GitHub tests, from
// testdata/cli: S3 documents valid, invalid and with findings, every
// infrastructure file of testdata/iac, a template that does not parse.
var annotatedInputs = []string{
	"valid.xml", "bad-method.json", "many-problems.xml", "findings.json", "not-well-formed.xml", "cloudformation.json",
	"broken-template.yaml",
	"../iac/cloudformation/website.yaml", "../iac/cloudformation/anchors.yaml", "../iac/cloudformation/parent.yaml",
	"../iac/cloudformation/legacy.json", "../iac/cdk.out/MediaStack.template.json", "../iac/terraform/app",
	"../iac/plan/plan.json",
}

// TestSARIF checks the logs of validate and lint --format sarif against
// SARIF 2.1.0's JSON schema, and that each result refers to its rule,
// names a file that exists and a line in it.
func TestSARIF(t *testing.T) {
	schema := sariftest.Schema(t)
	t.Chdir(cliDir)
	for _, args := range [][]string{
		append([]string{"lint", "--format", "sarif"}, annotatedInputs...),
		append([]string{"validate", "--format", "sarif", "--all"}, annotatedInputs...),
		{"lint", "--format", "sarif", "valid.xml"}, // no result: rules only
	} {
		code, stdout, stderr := runIn(args, "")
		if code == exitUsage || stderr != "" {
			t.Fatalf("%q: exit %d, %s", args, code, stderr)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s %s: the log does not validate: %v", args[0], args[len(args)-1], err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct{ ID string }
					}
				}
				Results []struct {
					RuleID    string
					RuleIndex int
					Level     string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		for _, r := range run.Results {
			if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("result of %s refers to rule %d", r.RuleID, r.RuleIndex)
			}
			if len(r.Locations) != 1 {
				t.Errorf("result of %s has %d locations", r.RuleID, len(r.Locations))
				continue
			}
			loc := r.Locations[0].PhysicalLocation
			data, err := os.ReadFile(loc.ArtifactLocation.URI)
			if err != nil {
				t.Errorf("result of %s: %v", r.RuleID, err)
				continue
			}
			if n := bytes.Count(data, []byte("\n")) + 1; loc.Region.StartLine < 1 || loc.Region.StartLine > n {
				t.Errorf("result of %s: line %d of %s, which has %d", r.RuleID, loc.Region.StartLine, loc.ArtifactLocation.URI, n)
			}
		}
		if args[0] == "lint" && len(run.Tool.Driver.Rules) < 27 {
			t.Errorf("lint's log describes %d rules; every finding id should be one", len(run.Tool.Driver.Rules))
		}
	}
}

// TestAnnotationsReadFailure checks that an input that could not be read
// is in the SARIF log, not only on standard error: the invocation is not
// executionSuccessful, and has a notification of level error with the
// message standard error gives, at the input unless it is standard
// input; --format github writes it as an ::error command on the file.
func TestAnnotationsReadFailure(t *testing.T) {
	t.Parallel()
	schema := sariftest.Schema(t)
	dir := t.TempDir()
	missing, empty := filepath.Join(dir, "missing.json"), filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	valid, err := filepath.Abs(cliDir + "/valid.xml")
	if err != nil {
		t.Fatal(err)
	}
	const emptyDir = ": is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json); give the configuration files in it"
	const noInput = `<stdin>: no FILE given, and standard input is empty (give FILE, "-" for standard input, or --example)`
	type notification struct{ Level, Message, URI string }
	for _, tc := range []struct {
		name string
		args []string
		code int
		// want is the SARIF invocation's notifications, or the
		// workflow commands.
		want       []notification
		successful bool
		commands   string
	}{
		{name: "lint sarif missing", args: []string{"lint", "--format", "sarif", missing, valid}, code: exitUsage,
			want: []notification{{"error", missing + ": no such file or directory", "file://" + filepath.ToSlash(missing)}}},
		{name: "validate sarif directory", args: []string{"validate", "--format", "sarif", valid, empty, missing}, code: exitUsage,
			want: []notification{{"error", empty + emptyDir, "file://" + filepath.ToSlash(empty)}, {"error", missing + ": no such file or directory", "file://" + filepath.ToSlash(missing)}}},
		{name: "validate sarif empty stdin", args: []string{"validate", "--format", "sarif"}, code: exitUsage,
			want: []notification{{"error", noInput, ""}}},
		{name: "lint sarif read", args: []string{"lint", "--format", "sarif", valid}, code: exitOK, successful: true},
		{name: "lint github missing", args: []string{"lint", "--format", "github", missing, valid, empty}, code: exitUsage,
			// The command names the file: the message does not again.
			commands: "::error file=" + missing + ",title=not read::no such file or directory\n" +
				"::error file=" + empty + ",title=not read::" + strings.TrimPrefix(emptyDir, ": ") + "\n"},
		{name: "validate github empty stdin", args: []string{"validate", "--format", "github"}, code: exitUsage,
			commands: "::error title=not read::" + noInput + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			if code != tc.code {
				t.Errorf("exit %d, want %d; %s", code, tc.code, stderr)
			}
			if tc.args[2] == formatGitHub {
				if stdout != tc.commands {
					t.Errorf("got\n%s\nwant\n%s", stdout, tc.commands)
				}
				return
			}
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("the log does not validate: %v", err)
			}
			var log struct {
				Runs []struct {
					Invocations []struct {
						ExecutionSuccessful        bool
						ToolExecutionNotifications []struct {
							Level     string
							Message   struct{ Text string }
							Locations []struct {
								PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
							}
						}
					}
				}
			}
			if err := json.Unmarshal([]byte(stdout), &log); err != nil {
				t.Fatal(err)
			}
			if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
				t.Fatalf("no one run of one invocation:\n%s", stdout)
			}
			inv := log.Runs[0].Invocations[0]
			if inv.ExecutionSuccessful != tc.successful {
				t.Errorf("executionSuccessful %v, want %v", inv.ExecutionSuccessful, tc.successful)
			}
			var got []notification
			for _, n := range inv.ToolExecutionNotifications {
				uri := ""
				if len(n.Locations) == 1 {
					uri = n.Locations[0].PhysicalLocation.ArtifactLocation.URI
				}
				got = append(got, notification{n.Level, n.Message.Text, uri})
				if !strings.Contains(stderr, ": "+n.Message.Text+"\n") {
					t.Errorf("standard error does not give %q:\n%s", n.Message.Text, stderr)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notifications (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGitHubCommands checks that --format github writes one workflow
// command a line, as the runner reads them: a level, the file, line and
// column, a title, and the message with its line breaks escaped.
func TestGitHubCommands(t *testing.T) {
	t.Chdir(cliDir)
	command := regexp.MustCompile(`^::(error|warning|notice) file=[^,:]+,line=[1-9][0-9]*,col=[1-9][0-9]*,title=[^,:]+::[^\r\n]+$`)
	for _, verb := range []string{"validate", "lint"} {
		_, stdout, stderr := runIn(append([]string{verb, "--format", "github"}, annotatedInputs...), "")
		if stderr != "" {
			t.Fatalf("%s: %s", verb, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if len(lines) < 10 {
			t.Errorf("%s: only %d commands", verb, len(lines))
		}
		for _, line := range lines {
			if !command.MatchString(line) {
				t.Errorf("%s: not a workflow command: %q", verb, line)
			}
		}
	}
}

// TestAnnotationsStdin checks that what is read from standard input is
// in no file: no repository holds a "<stdin>" (SARIF's %3Cstdin%3E), so
// its results have no location and its workflow commands no file, line
// nor col (the runner attaches them to the run); the message starts with
// the line and column instead.
func TestAnnotationsStdin(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		data, err := os.ReadFile(cliDir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		first string // the first command, or the text of the first result
	}{
		{"lint github", []string{"lint", "--format", "github", "-"}, read("findings.json"),
			`::warning title=origin-trailing-slash::line 7, column 32: rule 1: AllowedOrigin "https://app.example.com/": `},
		{"validate github without FILE", []string{"validate", "--format", "github"}, read("bad-method.json"),
			`::error title=400 InvalidRequest::line 8, column 32: rule 2: Found unsupported HTTP method in CORS config. Unsupported method is get%0AHint: `},
		{"validate github template", []string{"validate", "--format", "github", "-"}, read("broken-template.yaml"),
			`::error title=parse-error::line 9, column 13: YAML: `},
		{"lint github terraform", []string{"lint", "--format", "github", "--input", "terraform", "-"}, read("../iac/terraform/app/main.tf"),
			`::error title=400 InvalidRequest::line 32, column 39: aws_s3_bucket_cors_configuration.uploads rule 1: Found unsupported HTTP method`},
		{"validate sarif", []string{"validate", "--format", "sarif", "-"}, read("bad-method.json"),
			"line 8, column 32: rule 2: Found unsupported HTTP method in CORS config. Unsupported method is get\nHint: "},
		{"lint sarif cloudformation", []string{"lint", "--format", "sarif", "-"}, read("../iac/cloudformation/website.yaml"),
			`line 53, column 13: UploadBucket rule 2: CloudFormation does not know the member "ExposeHeaders"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, tc.stdin)
			if code != exitInvalid || stderr != "" {
				t.Fatalf("exit %d, %s", code, stderr)
			}
			if strings.Contains(stdout, "stdin") {
				t.Errorf("the output names standard input as a file:\n%s", stdout)
			}
			if tc.args[2] == formatGitHub {
				if !strings.HasPrefix(stdout, tc.first) {
					t.Errorf("got %q, want it to start with %q", stdout, tc.first)
				}
				command := regexp.MustCompile(`^::(error|warning|notice) title=[^,:]+::line [1-9][0-9]*, column [1-9][0-9]*: [^\r\n]+$`)
				for line := range strings.Lines(stdout) {
					if !command.MatchString(strings.TrimSuffix(line, "\n")) {
						t.Errorf("not a command without file: %q", line)
					}
				}
				return
			}
			var log struct {
				Runs []struct {
					Results []struct {
						Message   struct{ Text string }
						Locations []any
					}
				}
			}
			if err := json.Unmarshal([]byte(stdout), &log); err != nil {
				t.Fatal(err)
			}
			results := log.Runs[0].Results
			if len(results) == 0 || !strings.HasPrefix(results[0].Message.Text, tc.first) {
				t.Fatalf("got %+v, want a first result starting with %q", results, tc.first)
			}
			for _, r := range results {
				if len(r.Locations) != 0 {
					t.Errorf("result %q has locations %v", r.Message.Text, r.Locations)
				}
			}
		})
	}
}

// TestCharColumn checks the character columns of SARIF and GitHub
// annotations for S3's forms, whose lines end as the decoders end them:
// at "\n", "\r\n" and "\r" alone. A "\r" alone ended no line, so every
// line after one was counted from the wrong start.
func TestCharColumn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		data            string
		line, col, want int
	}{
		{"first line", "\uFEFFé é", 1, 4, 3},
		{"after LF", "x\né é", 2, 4, 3},
		{"after CRLF", "x\r\né é", 2, 4, 3},
		{"after CR", "é\ré é", 2, 4, 3},
		{"mixed", "é\r\n\ré\nxé\ré é", 5, 4, 3},
		{"CR then CRLF", "a\r\r\né é", 3, 4, 3},
		{"no such line", "é\ré", 3, 4, 4},
		{"past the line", "é\ré", 2, 9, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := charColumn([]byte(tc.data), tc.line, tc.col); got != tc.want {
				t.Errorf("charColumn(%q, %d, %d) = %d, want %d", tc.data, tc.line, tc.col, got, tc.want)
			}
		})
	}
}
