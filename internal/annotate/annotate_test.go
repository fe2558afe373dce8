package annotate_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/s3cors/s3cors/internal/annotate"
	"github.com/s3cors/s3cors/internal/annotate/sariftest"
)

var sampleRules = []annotate.Rule{
	{ID: "InvalidRequest", Summary: "S3 refuses the configuration: InvalidRequest", Help: "PutBucketCors answers 400 InvalidRequest.", Level: annotate.Error},
	{ID: "origin-trailing-slash", Summary: "an AllowedOrigin ending with /", Help: "A browser's Origin never ends with /.", HelpURI: "https://example.com/lint#origin-trailing-slash", Level: annotate.Warning},
}

var sampleFindings = []annotate.Finding{
	{RuleID: "InvalidRequest", Level: annotate.Error, File: "infra/cors.yaml", Line: 12, Column: 9, Resource: "UploadBucket", CORSRule: 1,
		Title: "InvalidRequest", Message: "Found unsupported HTTP method in CORS config. Unsupported method is get", Hint: "write GET"},
	{RuleID: "origin-trailing-slash", Level: annotate.Warning, File: "main.tf", Line: 3, Column: 22, Resource: `aws_s3_bucket_cors_configuration.this["a,b"]`, CORSRule: 2,
		Title: "origin-trailing-slash", Message: `AllowedOrigin "https://a.example/": 100% wrong`},
	{RuleID: "unjudged", Level: annotate.Note, File: "dir with space/main.tf", Line: 7, Message: "var.origins is not known"},
	{RuleID: "no-place", Message: "about the whole input"},
	{RuleID: "origin-trailing-slash", Level: annotate.Warning, Line: 4, Column: 9, CORSRule: 1, Title: "origin-trailing-slash", Message: "in no file"},
}

var sampleNotifications = []annotate.Notification{
	{Level: annotate.Error, File: "infra/missing dir.json", Message: "infra/missing dir.json: no such file or directory"},
	{Level: annotate.Error, Message: "<stdin>: too large"},
}

// TestSARIFValidatesAgainstSchema checks the log against SARIF 2.1.0's
// JSON schema, with format assertions on.
func TestSARIFValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	schema := sariftest.Schema(t)
	for _, tc := range []struct {
		name          string
		findings      []annotate.Finding
		notifications []annotate.Notification
	}{{"findings", sampleFindings, nil}, {"none", nil, nil}, {"notifications", sampleFindings, sampleNotifications}, {"only notifications", nil, sampleNotifications}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := annotate.WriteSARIF(&out, annotate.Tool{Name: "s3cors", Version: "1.0.0", InformationURI: "https://github.com/s3cors/s3cors"}, sampleRules, tc.findings, tc.notifications); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Fatalf("the log does not validate: %v\n%s", err, out.String())
			}
		})
	}
	// The schema does catch mistakes: a result without a message fails.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a"}]}]}`))
	if schema.Validate(bad) == nil {
		t.Error("a result without a message validated")
	}
}

// TestSARIFContent checks the parts code scanning reads, against values
// written out by hand.
func TestSARIFContent(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := annotate.WriteSARIF(&out, annotate.Tool{Name: "s3cors"}, sampleRules, sampleFindings, nil); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string
		Runs    []struct {
			ColumnKind string `json:"columnKind"`
			Tool       struct {
				Driver struct {
					Rules []struct {
						ID                   string
						ShortDescription     struct{ Text string }
						Help                 struct{ Text string }
						HelpURI              string
						DefaultConfiguration struct{ Level string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
				Properties map[string]any
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Schema != annotate.SchemaURI || log.Version != "2.1.0" {
		t.Errorf("$schema %q, version %q", log.Schema, log.Version)
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID+"/"+r.DefaultConfiguration.Level)
	}
	if diff := cmp.Diff([]string{"InvalidRequest/error", "origin-trailing-slash/warning", "unjudged/", "no-place/"}, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if h := run.Tool.Driver.Rules[1].Help.Text; h != "A browser's Origin never ends with /." {
		t.Errorf("help %q", h)
	}
	r := run.Results[0]
	if r.RuleID != "InvalidRequest" || r.RuleIndex != 0 || r.Level != "error" ||
		r.Message.Text != "UploadBucket rule 1: Found unsupported HTTP method in CORS config. Unsupported method is get\nHint: write GET" {
		t.Errorf("result 0: %+v", r)
	}
	loc := r.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "infra/cors.yaml" || loc.Region.StartLine != 12 || loc.Region.StartColumn != 9 {
		t.Errorf("location 0: %+v", loc)
	}
	if got := run.Results[2].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "dir%20with%20space/main.tf" {
		t.Errorf("uri %q", got)
	}
	if run.Results[1].RuleIndex != 1 || run.Results[1].Properties["resource"] != `aws_s3_bucket_cors_configuration.this["a,b"]` || run.Results[1].Properties["corsRule"] != 2.0 {
		t.Errorf("result 1: %+v", run.Results[1])
	}
	if len(run.Results[3].Locations) != 0 || run.Results[3].Level != "warning" {
		t.Errorf("result 3: %+v", run.Results[3])
	}
	// A line without a file (standard input) is no location, and starts
	// the message.
	if r := run.Results[4]; len(r.Locations) != 0 || r.Message.Text != "line 4, column 9: rule 1: in no file" {
		t.Errorf("result 4: %+v", r)
	}
}

// TestSARIFNotifications checks the run's invocation: successful without
// an error notification, and each notification with its level, message
// and, when it has a file, its location.
func TestSARIFNotifications(t *testing.T) {
	t.Parallel()
	type location struct {
		PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
	}
	type notification struct {
		Level     string
		Message   struct{ Text string }
		Locations []location
	}
	type invocation struct {
		ExecutionSuccessful        bool
		ToolExecutionNotifications []notification
	}
	at := func(uri string) []location {
		var l location
		l.PhysicalLocation.ArtifactLocation.URI = uri
		return []location{l}
	}
	text := func(s string) struct{ Text string } { return struct{ Text string }{s} }
	for _, tc := range []struct {
		name          string
		notifications []annotate.Notification
		want          invocation
	}{
		{"none", nil, invocation{ExecutionSuccessful: true}},
		{"errors", sampleNotifications, invocation{ExecutionSuccessful: false, ToolExecutionNotifications: []notification{
			{Level: "error", Message: text("infra/missing dir.json: no such file or directory"), Locations: at("infra/missing%20dir.json")},
			{Level: "error", Message: text("<stdin>: too large")},
		}}},
		{"a warning only", []annotate.Notification{{Message: "slow"}}, invocation{ExecutionSuccessful: true, ToolExecutionNotifications: []notification{
			{Level: "warning", Message: text("slow")},
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := annotate.WriteSARIF(&out, annotate.Tool{Name: "s3cors"}, sampleRules, sampleFindings, tc.notifications); err != nil {
				t.Fatal(err)
			}
			var log struct {
				Runs []struct {
					Invocations []invocation
					Results     []any
				}
			}
			if err := json.Unmarshal(out.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			if len(log.Runs[0].Invocations) != 1 {
				t.Fatalf("%d invocations:\n%s", len(log.Runs[0].Invocations), out.String())
			}
			if diff := cmp.Diff(tc.want, log.Runs[0].Invocations[0]); diff != "" {
				t.Errorf("invocation (-want +got):\n%s", diff)
			}
			if len(log.Runs[0].Results) != len(sampleFindings) {
				t.Errorf("%d results, want %d", len(log.Runs[0].Results), len(sampleFindings))
			}
		})
	}
}

// TestGitHub checks the workflow commands, escaping as the runner's
// toolkit does (@actions/core command.ts: escapeData and escapeProperty).
func TestGitHub(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := annotate.WriteGitHub(&out, sampleFindings); err != nil {
		t.Fatal(err)
	}
	want := "::error file=infra/cors.yaml,line=12,col=9,title=InvalidRequest::UploadBucket rule 1: Found unsupported HTTP method in CORS config. Unsupported method is get%0AHint: write GET\n" +
		"::warning file=main.tf,line=3,col=22,title=origin-trailing-slash::aws_s3_bucket_cors_configuration.this[\"a,b\"] rule 2: AllowedOrigin \"https://a.example/\": 100%25 wrong\n" +
		"::notice file=dir with space/main.tf,line=7::var.origins is not known\n" +
		"::warning::about the whole input\n" +
		"::warning title=origin-trailing-slash::line 4, column 9: rule 1: in no file\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"a%b", "a%25b", "a%25b"},
		{"line\r\nnext", "line%0D%0Anext", "line%0D%0Anext"},
		{"file:name,x", "file:name,x", "file%3Aname%2Cx"},
		{"%0A", "%250A", "%250A"},
		{"", "", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := annotate.EscapeData(tc.in); got != tc.data {
				t.Errorf("EscapeData(%q) = %q, want %q", tc.in, got, tc.data)
			}
			if got := annotate.EscapeProperty(tc.in); got != tc.property {
				t.Errorf("EscapeProperty(%q) = %q, want %q", tc.in, got, tc.property)
			}
		})
	}
}
