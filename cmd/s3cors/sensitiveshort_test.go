package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestSensitiveShortValue: a short sensitive value (a method, a one-letter
// ID) is left out of lint's and explain's output where it is its rule's
// value, not wherever its text appears: the lines about a rule that holds
// no sensitive value read as they do without `sensitive = true`, and no
// word is cut by "(sensitive value)" ("Terr(sensitive v(sensitive
// value)lue)form" was lint's output for the ID "a").
func TestSensitiveShortValue(t *testing.T) {
	t.Parallel()
	const tf = `variable "method" {
  default   = "GET"
  sensitive = %[1]s
}
variable "id" {
  default   = "a"
  sensitive = %[1]s
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    id              = var.id
    allowed_methods = [var.method]
    allowed_origins = ["https://x.example.com/"]
    max_age_seconds = 60
  }
  cors_rule {
    allowed_methods = ["GET", "PUT"]
    allowed_origins = ["https://GET.example.com/", "https://*.a.example.com"]
  }
}
`
	cut := regexp.MustCompile(`\w\(sensitive value\)|\(sensitive value\)\w`)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"lint github", []string{"lint", "--format", "github"}, 1},
		{"lint text", []string{"lint"}, 1},
		{"explain", []string{"explain", "--origin", "https://x.example.com", "--method", "GET"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := func(sensitive string) (rule2 []string, all string) {
				dir := t.TempDir()
				writeFile(t, dir, "main.tf", fmt.Sprintf(tf, sensitive))
				var stdout, stderr strings.Builder
				if code := run(append(tc.args, dir), strings.NewReader(""), &stdout, &stderr); code != tc.code {
					t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
				}
				all = strings.ReplaceAll(stdout.String()+stderr.String(), dir, "DIR")
				for _, line := range strings.Split(all, "\n") {
					if strings.Contains(line, "rule 2") {
						rule2 = append(rule2, line)
					}
				}
				return rule2, all
			}
			plain, _ := out("false")
			hidden, all := out("true")
			if len(plain) == 0 {
				t.Fatal("no line about rule 2: the test checks nothing")
			}
			if got, want := strings.Join(hidden, "\n"), strings.Join(plain, "\n"); got != want {
				t.Errorf("rule 2's lines change with sensitive = true:\n%s\nwant:\n%s", got, want)
			}
			if m := cut.FindString(all); m != "" {
				t.Errorf("a word is cut by the redaction (%q) in:\n%s", m, all)
			}
			if strings.Contains(all, "rule 1 (a)") {
				t.Errorf("the sensitive ID is shown:\n%s", all)
			}
			// The ID stands in its parentheses once, as Terraform writes
			// (sensitive value) in place of a value.
			// (GitHub's annotations name a rule by its number alone.)
			if tc.name != "lint github" && !strings.Contains(all, "rule 1 (sensitive value)") || strings.Contains(all, "((sensitive value))") {
				t.Errorf("rule 1 is not named \"rule 1 (sensitive value)\":\n%s", all)
			}
		})
	}
}
