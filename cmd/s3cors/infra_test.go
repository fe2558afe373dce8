package main

import (
	"encoding/json"
	"slices"
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
			"s3cors convert: note: a rule's lists are sets too: the provider sends its methods and ExposeHeaders in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers then follow",
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
			"s3cors convert: note: a rule's lists are sets too: the provider sends its methods and ExposeHeaders in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers then follow",
		}},
		// A file of the module that was not read may hold what the
		// bucket is made of; a module not read, another bucket.
		{"file not read", []string{"convert", "--to", "json", notesDir + "override"}, []string{
			notesDir + "override/main_override.tf.json: note: not read: OpenTofu reads main_override.tofu.json in its place (Terraform, which does not read .tofu files, would read it)",
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
		Caveats  []string    `json:"caveats"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := jsonPlace{jsonWhere: jsonWhere{File: file, Line: 24, Column: 17},
		Message: "condition IsDev does not hold with the parameters' defaults: judged with the second value of its Fn::If"}
	if len(got.Notes) != 3 || got.Notes[2] != want {
		t.Errorf("notes %+v: want 3, the last %+v", got.Notes, want)
	}
	// The caveats of the form written, which standard error says too,
	// are in the JSON (audit3: they were on standard error only).
	var printed []string
	for line := range strings.Lines(stderr) {
		if caveat, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "s3cors convert: note: "); ok {
			printed = append(printed, caveat)
		}
	}
	wantCaveats := []string{"a rule's lists are sets too: the provider sends its methods and ExposeHeaders in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers then follow"}
	if !slices.Equal(got.Caveats, wantCaveats) || !slices.Equal(printed, wantCaveats) {
		t.Errorf("caveats %q in the JSON, %q on standard error; want %q in both", got.Caveats, printed, wantCaveats)
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

// TestExplainSetOrder checks that explain says when the answer depends on
// the order of the rules and that order is not known: the AWS provider
// sends the cors_rule set of aws_s3_bucket_cors_configuration in an order
// of its own, and S3 answers with the first rule that matches, so when
// another rule matches too, it may be the one that answers.
func TestExplainSetOrder(t *testing.T) {
	t.Parallel()
	setOrder := notesDir + "set-order"
	// Both rules admit GET from every origin and answer alike.
	const alike = `resource "aws_s3_bucket_cors_configuration" "b" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    allowed_headers = ["x-a"]
  }
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = ["*"]
  }
}
`
	// Three rules admit GET from https://a.example, each answering its
	// own way.
	const three = `resource "aws_s3_bucket_cors_configuration" "b" {
  bucket = "b"
  cors_rule {
    id              = "app"
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example"]
    max_age_seconds = 10
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
    max_age_seconds = 10
  }
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://*.example"]
    max_age_seconds = 20
  }
}
`
	// The rules of an inline cors_rule of aws_s3_bucket are a list, and
	// a template's CorsRules too: sent in the order written.
	const inline = `resource "aws_s3_bucket" "b" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://a.example"]
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["*"]
  }
}
`
	const template = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedMethods: [GET, HEAD], AllowedOrigins: ["https://a.example"]}
          - {AllowedMethods: [GET], AllowedOrigins: ["*"]}
`
	// A rule's lists are sets too: the order of the methods and
	// ExposeHeaders the answering rule lists is the provider's (audit3).
	const lists1 = " The methods and ExposeHeaders of rule 1 are sets too: the AWS provider sends them in an order of its own, " +
		"which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers follow, not the written order shown."
	const oneRule = `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["PUT", "GET"]
    allowed_origins = ["https://a.example"]
  }
}
`
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string // the last line of standard output
	}{
		{"another answer", []string{"explain", setOrder, "--method", "GET", "--origin", "https://app.example.com"}, "",
			"order: rule 2 matches too, and cors_rule is a set, which the AWS provider sends in an order of its own: sent before rule 1, " +
				"rule 2 answers instead, with Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, " +
				"without Access-Control-Allow-Credentials and Access-Control-Expose-Headers." + lists1},
		{"preflight", []string{"explain", setOrder, "--method", "OPTIONS", "--origin", "https://app.example.com", "--request-method", "GET"}, "",
			"order: rule 2 matches too, and cors_rule is a set, which the AWS provider sends in an order of its own: sent before rule 1, " +
				"rule 2 answers instead, with Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, " +
				"without Access-Control-Allow-Credentials and Access-Control-Expose-Headers." + lists1},
		{"one rule, two methods", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, oneRule, "order:" + lists1},
		{"several", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, three,
			"order: rule 2 and rule 3 match too, and cors_rule is a set, which the AWS provider sends in an order of its own: " +
				"sent before the others that match, rule 2 answers instead, with Access-Control-Allow-Origin: *, without Access-Control-Allow-Credentials; " +
				"sent before the others that match, rule 3 answers instead, with Access-Control-Allow-Methods: GET, HEAD, Access-Control-Max-Age: 20."},
		{"same answer", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, alike,
			"order: rule 2 matches too, and cors_rule is a set, which the AWS provider sends in an order of its own: sent before rule 1, " +
				"rule 2 answers instead, with the same headers."},
		// No other rule matches: the order does not matter.
		{"one match", []string{"explain", setOrder, "--method", "GET", "--origin", "https://other.example"}, "",
			"result: rule 2 answers: S3 adds its CORS headers to the operation's response."},
		{"no match", []string{"explain", setOrder, "--method", "PUT", "--origin", "https://app.example.com"}, "",
			"result: no rule admits the origin, the method and every requested header; S3 adds no CORS headers to the operation's response."},
		{"list", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, inline,
			"result: rule 1 answers: S3 adds its CORS headers to the operation's response."},
		{"template", []string{"explain", "-", "--method", "GET", "--origin", "https://a.example"}, template,
			"result: rule 1 answers: S3 adds its CORS headers to the operation's response."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stdout, stderr := runIn(tc.args, tc.stdin)
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if last := lines[len(lines)-1]; last != tc.want {
				t.Errorf("last line\n%s\nwant\n%s\nstdout:\n%s\nstderr:\n%s", last, tc.want, stdout, stderr)
			}
		})
	}
}

// TestExplainSetOrderJSON checks that explain --json says it in its
// notes, after the bucket's.
func TestExplainSetOrderJSON(t *testing.T) {
	t.Parallel()
	setOrder := notesDir + "set-order"
	_, stdout, stderr := runIn([]string{"explain", "--json", setOrder, "--method", "GET", "--origin", "https://app.example.com"}, "")
	var got struct {
		Rule  int         `json:"rule"`
		Notes []jsonPlace `json:"notes"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s%s", err, stdout, stderr)
	}
	want := jsonPlace{jsonWhere: jsonWhere{File: setOrder + "/main.tf", Line: 3, Column: 3},
		Message: "rule 2 matches too, and cors_rule is a set, which the AWS provider sends in an order of its own: sent before rule 1, " +
			"rule 2 answers instead, with Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, " +
			"without Access-Control-Allow-Credentials and Access-Control-Expose-Headers. The methods and ExposeHeaders of rule 1 are sets too: " +
			"the AWS provider sends them in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers follow, not the written order shown."}
	if got.Rule != 1 || len(got.Notes) != 2 || got.Notes[1] != want {
		t.Errorf("rule %d, notes %+v: want rule 1 and 2 notes, the last %+v", got.Rule, got.Notes, want)
	}
}
