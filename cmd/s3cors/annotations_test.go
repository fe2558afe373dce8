package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
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
	t.Chdir(cliDir)
	f, err := os.Open("../../internal/annotate/testdata/sarif-2.1.0-rtm.5.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
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
