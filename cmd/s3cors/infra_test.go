package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// notesDir holds the infrastructure files of the notes tests; their
// names are given from the package's directory, as the outputs print them.
const notesDir = cliDir + "/iac-notes/"

// TestConvertNotes checks that convert says, on standard error and as
// validate says it, how an infrastructure file was read: the document it
// writes is one instance of the file, with the parameters' and
// variables' defaults and the conditions they decide, and would silently
// stand for every other.
func TestConvertNotes(t *testing.T) {
	t.Parallel()
	const (
		defaults = notesDir + "defaults.yaml"
		variable = notesDir + "variable"
	)
	for _, tc := range []struct {
		name string
		args []string
		want []string // the lines of standard error
	}{
		{"cloudformation to terraform", []string{"convert", "--to", "terraform", defaults}, []string{
			defaults + ":23:17: note: UploadBucket: parameter DomainName is judged with its Default, written at " + defaults + ":5:14",
			defaults + ":11:19: note: UploadBucket: parameter Stage is judged with its Default, written at " + defaults + ":9:14",
			defaults + ":24:17: note: UploadBucket: condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If",
		}},
		{"cloudformation to xml", []string{"convert", "--to", "xml", "--resource", "UploadBucket", defaults}, []string{
			defaults + ":23:17: note: UploadBucket: parameter DomainName is judged with its Default, written at " + defaults + ":5:14",
			defaults + ":11:19: note: UploadBucket: parameter Stage is judged with its Default, written at " + defaults + ":9:14",
			defaults + ":24:17: note: UploadBucket: condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If",
		}},
		{"terraform to cloudformation", []string{"convert", "--to", "cloudformation", variable}, []string{
			variable + "/main.tf:10:24: note: aws_s3_bucket_cors_configuration.uploads: variable app_origin is judged with its default, written at " + variable + "/main.tf:3:13",
		}},
		// The notes on how the file was read come before convert's own
		// on what the form written changes.
		{"terraform set to json", []string{"convert", "--to", "json", notesDir + "set-order"}, []string{
			notesDir + "set-order/main.tf:3:3: note: aws_s3_bucket_cors_configuration.assets: cors_rule is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order",
		}},
		{"terraform set to terraform", []string{"convert", "--to", "terraform", notesDir + "set-order"}, []string{
			notesDir + "set-order/main.tf:3:3: note: aws_s3_bucket_cors_configuration.assets: cors_rule is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order",
			"s3cors convert: note: cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches",
		}},
		// A file of the module that was not read may hold what the
		// bucket is made of; a module not read, another bucket.
		{"file not read", []string{"convert", "--to", "json", notesDir + "override"}, []string{
			notesDir + "override/main_override.tf.json: note: Terraform's JSON syntax (.tf.json) is not read: what this override file overrides is judged without it",
		}},
		{"module not read", []string{"convert", "--to", "json", "--resource", "aws_s3_bucket.legacy", "../../testdata/iac/terraform/app"}, nil},
		// An S3 form is read as it is: nothing to say.
		{"s3 form", []string{"convert", "--to", "terraform", cliDir + "/valid-console.json"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			if code != exitOK || stdout == "" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
			}
			if got := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); stderr != "" || tc.want != nil {
				if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
					t.Errorf("standard error:\n%s\nwant:\n%s", stderr, strings.Join(tc.want, "\n"))
				}
			}
		})
	}
}

// TestConvertNotesAsValidate checks that convert prints every note
// validate prints for the bucket it converts, in the same words: a note
// convert left out is a reading of the file it passes off as the only one.
func TestConvertNotesAsValidate(t *testing.T) {
	t.Parallel()
	for _, file := range []string{
		notesDir + "defaults.yaml",
		notesDir + "variable",
		notesDir + "set-order",
		notesDir + "override",
		"../../testdata/iac/terraform/app/modules/site",
	} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			_, validated, _ := runIn([]string{"validate", file}, "")
			code, _, stderr := runIn([]string{"convert", "--to", "json", file}, "")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			notes := 0
			for line := range strings.Lines(validated) {
				if strings.Contains(line, ": note: ") {
					notes++
					if !strings.Contains(stderr, line) {
						t.Errorf("validate notes\n%sbut convert's standard error does not:\n%s", line, stderr)
					}
				}
			}
			if notes == 0 {
				t.Errorf("validate prints no note for %s:\n%s", file, validated)
			}
		})
	}
}

// TestConvertNotesJSON checks that convert --json holds the notes, as
// validate --json holds a bucket's: a script reads the JSON, not standard
// error.
func TestConvertNotesJSON(t *testing.T) {
	t.Parallel()
	file := notesDir + "defaults.yaml"
	code, stdout, stderr := runIn([]string{"convert", "--to", "terraform", "--json", file}, "")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	var got struct {
		Document string      `json:"document"`
		Notes    []jsonPlace `json:"notes"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := jsonPlace{jsonWhere: jsonWhere{File: file, Line: 24, Column: 17},
		Message: "condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If"}
	if len(got.Notes) != 3 || got.Notes[2] != want {
		t.Errorf("notes %+v: want 3, the last %+v", got.Notes, want)
	}
}

// TestExplainNotes checks that explain says, on standard error and as
// validate says it, how an infrastructure file was read: its answer is
// S3's for one instance of the file, and a request that instance refuses
// may be one another admits (a Stage of dev adds http://localhost:3000).
func TestExplainNotes(t *testing.T) {
	t.Parallel()
	const defaults = notesDir + "defaults.yaml"
	defaultsNotes := []string{
		defaults + ":23:17: note: UploadBucket: parameter DomainName is judged with its Default, written at " + defaults + ":5:14",
		defaults + ":11:19: note: UploadBucket: parameter Stage is judged with its Default, written at " + defaults + ":9:14",
		defaults + ":24:17: note: UploadBucket: condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If",
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		status string // the first line of standard output
		want   []string
	}{
		{"refused", []string{"explain", defaults, "--method", "OPTIONS", "--origin", "http://localhost:3000", "--request-method", "PUT"},
			exitInvalid, "HTTP/1.1 403 Forbidden", defaultsNotes},
		{"allowed", []string{"explain", defaults, "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "PUT"},
			exitOK, "HTTP/1.1 200 OK", defaultsNotes},
		{"variable", []string{"explain", notesDir + "variable", "--method", "PUT", "--origin", "http://localhost:3000"},
			exitOK, "HTTP/1.1 <the operation's status>", []string{
				notesDir + "variable/main.tf:10:24: note: aws_s3_bucket_cors_configuration.uploads: variable app_origin is judged with its default, written at " + notesDir + "variable/main.tf:3:13",
			}},
		{"s3 form", []string{"explain", cliDir + "/valid.xml", "--method", "GET", "--origin", "https://app.example.com"},
			exitOK, "HTTP/1.1 <the operation's status>", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			if first, _, _ := strings.Cut(stdout, "\n"); code != tc.code || first != tc.status {
				t.Errorf("exit %d, %q; want %d, %q", code, first, tc.code, tc.status)
			}
			want := strings.Join(tc.want, "\n")
			if want != "" {
				want += "\n"
			}
			if stderr != want {
				t.Errorf("standard error:\n%s\nwant:\n%s", stderr, want)
			}
		})
	}
}

// TestExplainNotesJSON checks that explain --json holds the notes, as
// validate --json holds a bucket's, beside the members it always had.
func TestExplainNotesJSON(t *testing.T) {
	t.Parallel()
	file := notesDir + "defaults.yaml"
	_, stdout, stderr := runIn([]string{"explain", "--json", file, "--method", "OPTIONS", "--origin", "http://localhost:3000", "--request-method", "PUT"}, "")
	var got struct {
		Outcome string      `json:"outcome"`
		Notes   []jsonPlace `json:"notes"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s%s", err, stdout, stderr)
	}
	want := jsonPlace{jsonWhere: jsonWhere{File: file, Line: 24, Column: 17},
		Message: "condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If"}
	if got.Outcome != "NoMatch" || len(got.Notes) != 3 || got.Notes[2] != want {
		t.Errorf("outcome %q, notes %+v: want NoMatch, 3 notes, the last %+v", got.Outcome, got.Notes, want)
	}
	// An S3 form has none, and its JSON is as it was.
	_, stdout, _ = runIn([]string{"explain", "--json", "--example", "--method", "GET", "--origin", "https://a.example"}, "")
	if strings.Contains(stdout, `"notes"`) {
		t.Errorf("notes for the example:\n%s", stdout)
	}
}
