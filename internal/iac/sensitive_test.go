package iac_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestPlanSensitiveRedacted: a value a plan marks sensitive (after_sensitive
// in resource_changes, sensitive_values in a state) is judged as it is, the
// verdict unchanged, but shown as Terraform shows it, "(sensitive value)",
// in every problem, finding, error and note, where s3cors printed it.
func TestPlanSensitiveRedacted(t *testing.T) {
	t.Parallel()
	const secret = "https://secret.internal.example.com/"
	rule := func(origin, method string) map[string]any {
		return map[string]any{"allowed_headers": []any{}, "allowed_methods": []any{method},
			"allowed_origins": []any{origin}, "expose_headers": []any{}, "id": "", "max_age_seconds": 60}
	}
	originMark := map[string]any{"cors_rule": []any{map[string]any{"allowed_origins": []any{true}}}}
	methodMark := map[string]any{"cors_rule": []any{map[string]any{"allowed_methods": []any{true}}}}
	tests := []struct {
		name      string
		rule      map[string]any
		sensitive any
		state     bool   // planned as a state's values, with sensitive_values
		secret    string // the text that must not be shown
		finding   string // the finding's ID, or ""
		problem   string // the problem's message, or ""
		shown     bool   // not marked: the value is shown
	}{
		{name: "origin finding", rule: rule(secret, "GET"), sensitive: originMark, secret: secret, finding: "origin-trailing-slash"},
		{name: "origin finding, whole cors_rule", rule: rule(secret, "GET"), sensitive: map[string]any{"cors_rule": true}, secret: secret, finding: "origin-trailing-slash"},
		{name: "origin finding, whole resource", rule: rule(secret, "GET"), sensitive: true, secret: secret, finding: "origin-trailing-slash"},
		{name: "origin finding, state", rule: rule(secret, "GET"), sensitive: originMark, state: true, secret: secret, finding: "origin-trailing-slash"},
		{name: "method problem", rule: rule("https://a.example.com", "get"), sensitive: methodMark, secret: "get",
			problem: "Found unsupported HTTP method in CORS config. Unsupported method is (sensitive value)"},
		{name: "two wildcards", rule: rule("https://*.*.secret.example.com", "GET"), sensitive: originMark, secret: "secret.example.com",
			problem: "AllowedOrigin (sensitive value) can not have more than one wildcard."},
		{name: "not marked", rule: rule(secret, "GET"), sensitive: map[string]any{"cors_rule": []any{map[string]any{}}}, secret: secret,
			finding: "origin-trailing-slash", shown: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			after := map[string]any{"bucket": "b-c", "cors_rule": []any{tc.rule}}
			rc := map[string]any{"address": "aws_s3_bucket_cors_configuration.c", "mode": "managed",
				"type": "aws_s3_bucket_cors_configuration", "name": "c", "provider_name": "registry.terraform.io/hashicorp/aws"}
			plan := map[string]any{"format_version": "1.2"}
			if tc.state {
				rc["values"], rc["sensitive_values"] = after, tc.sensitive
				plan["values"] = map[string]any{"root_module": map[string]any{"resources": []any{rc}}}
			} else {
				rc["change"] = map[string]any{"actions": []any{"create"}, "before": nil, "after": after,
					"after_unknown": map[string]any{"id": true}, "before_sensitive": false, "after_sensitive": tc.sensitive}
				plan["resource_changes"] = []any{rc}
			}
			data, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			b := bucketOf(t, "plan.json", data, "c")
			v := iac.Judge(b)
			var text []string
			for _, p := range v.Problems {
				text = append(text, p.Err.Message, p.Err.Reason)
			}
			for _, f := range v.Findings {
				text = append(text, f.Value, f.QuotedValue(), f.Why, f.Fix, f.String())
			}
			for _, e := range b.Errors {
				text = append(text, e.Message, e.Hint)
			}
			for _, n := range b.Notes {
				text = append(text, n.Text)
			}
			all := strings.Join(text, "\n")
			if got := strings.Contains(strings.ToLower(all), strings.ToLower(tc.secret)); got != tc.shown {
				t.Errorf("shows %q: %v, want %v, in:\n%s", tc.secret, got, tc.shown, all)
			}
			if tc.finding != "" {
				if len(v.Findings) != 1 || v.Findings[0].ID != tc.finding {
					t.Fatalf("findings %v, want one %s", v.Findings, tc.finding)
				}
				f := v.Findings[0]
				if want := !tc.shown; (f.Value == iac.SensitiveValue) != want || (f.QuotedValue() == "(sensitive value)") != want {
					t.Errorf("Value %q QuotedValue %s, sensitive %v", f.Value, f.QuotedValue(), want)
				}
				if f.Rule != 1 || f.Field != "AllowedOrigin" {
					t.Errorf("finding about rule %d %s, want rule 1 AllowedOrigin", f.Rule, f.Field)
				}
			}
			if tc.problem != "" {
				if len(v.Problems) == 0 || v.Problems[0].Err.Message != tc.problem {
					t.Errorf("problems %s, want %q first", fmt.Sprint(v.Problems), tc.problem)
				}
			}
		})
	}
}

// TestTerraformSensitiveVariable: a value that holds the value of a
// variable declared sensitive = true, as Terraform marks one made from it,
// is judged as it is but shown as "(sensitive value)" in problems,
// findings and hints, in HCL as in a plan.
func TestTerraformSensitiveVariable(t *testing.T) {
	t.Parallel()
	const tf = `
variable "host" {
  type      = string
  default   = "secret.internal.example.com"
  sensitive = true
}
variable "m" {
  default   = "get"
  sensitive = %s
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = [var.m]
    allowed_origins = ["https://${var.host}/"]
    max_age_seconds = 60
  }
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${var.host}/"]
    max_age_seconds = 60
  }
}
`
	for _, tc := range []struct {
		name      string
		sensitive string
		secrets   []string // texts no message shows
		shown     []string // texts a message shows
	}{
		{"both sensitive", "true", []string{"secret.internal", "get"}, []string{"Unsupported method is (sensitive value)"}},
		{"method not sensitive", "false", []string{"secret.internal"}, []string{"Unsupported method is get"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := bucketOf(t, "main.tf", fmt.Appendf(nil, tf, tc.sensitive), "c")
			v := iac.Judge(b)
			if len(v.Problems) == 0 || v.Problems[0].Err.Code != "InvalidRequest" {
				t.Fatalf("problems %v, want the unsupported method first", v.Problems)
			}
			var text []string
			for _, p := range v.Problems {
				text = append(text, p.Err.Message, p.Err.Reason)
			}
			for _, n := range b.Notes {
				text = append(text, n.Text)
			}
			all := strings.Join(text, "\n")
			for _, s := range tc.secrets {
				if strings.Contains(strings.ToLower(all), strings.ToLower(s)) {
					t.Errorf("shows %q in:\n%s", s, all)
				}
			}
			for _, s := range tc.shown {
				if !strings.Contains(all, s) {
					t.Errorf("does not show %q in:\n%s", s, all)
				}
			}
			if o := b.Origins[0].AllowedOrigins[0]; !o.Sensitive {
				t.Errorf("the origin made from var.host is not marked sensitive")
			}
		})
	}
}

// TestTerraformSensitiveThroughFunctions checks that a value a function
// makes of a sensitive variable is sensitive too, as Terraform marks it:
// replace(var.host, ".", "-") holds no text of var.host's, and was shown.
func TestTerraformSensitiveThroughFunctions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, origin string
		secret       string // the text no finding shows
	}{
		{"replace", `"https://${replace(var.host, ".", "-")}.example.com/"`, "secret-internal"},
		{"upper in a template", `"https://${upper(var.host)}/"`, "SECRET.INTERNAL"},
		{"format", `format("https://%s/", replace(var.host, ".", "-"))`, "secret-internal"},
		{"nested", `"https://${join("-", split(".", var.host))}/"`, "secret-internal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tf := `
variable "host" {
  default   = "secret.internal"
  sensitive = true
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = [` + tc.origin + `]
  }
}
`
			b := bucketOf(t, "main.tf", []byte(tf), "c")
			v := iac.Judge(b)
			if len(v.Findings) == 0 {
				t.Fatalf("no finding on the origin: %+v", v)
			}
			for _, f := range v.Findings {
				for _, s := range []string{f.Value, f.Why, f.Fix} {
					if strings.Contains(s, tc.secret) {
						t.Errorf("%s shows %q: %q", f.ID, tc.secret, s)
					}
				}
			}
			if !b.Origins[0].AllowedOrigins[0].Sensitive {
				t.Errorf("the origin made from var.host is not marked sensitive")
			}
		})
	}
}

// TestTerraformSensitiveShortValue: a short sensitive value ("GET", "a",
// "*") is redacted where it is a rule's value, not wherever its text
// appears: the findings and notes of a rule that holds no sensitive
// value read as they do when the variable is not sensitive, and a value
// written as a literal that happens to hold the secret's text ("GET",
// "https://GET.example.com/") is not marked sensitive, as Terraform does
// not mark it.
func TestTerraformSensitiveShortValue(t *testing.T) {
	t.Parallel()
	const tf = `
variable "v" {
  default   = %q
  sensitive = %s
}
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    %s
  }
  cors_rule {
    id              = "two-a"
    allowed_methods = ["GET", "PUT"]
    allowed_origins = ["https://GET.example.com/", "https://*.a.example.com"]
  }
}
`
	for _, tc := range []struct {
		name, value, rule string
	}{
		{"method", "GET", `allowed_methods = [var.v]
    allowed_origins = ["https://x.example.com/"]`},
		{"id of one letter", "a", `id = var.v
    allowed_methods = ["GET"]
    allowed_origins = ["https://x.example.com/"]`},
		{"wildcard origin", "*", `allowed_methods = ["GET"]
    allowed_origins = [var.v, "https://x.example.com/"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			texts := func(sensitive string) (rule1, rule2 []string, v *iac.Verdict) {
				b := bucketOf(t, "main.tf", fmt.Appendf(nil, tf, tc.value, sensitive, tc.rule), "c")
				v = iac.Judge(b)
				add := func(rule int, s ...string) {
					if rule == 2 {
						rule2 = append(rule2, s...)
					} else {
						rule1 = append(rule1, s...)
					}
				}
				for _, f := range v.Findings {
					add(f.Rule, f.String(), f.Value, f.Why, f.Fix)
				}
				for _, n := range b.Notes {
					add(n.Rule, n.Text)
				}
				for _, p := range v.Problems {
					add(p.Err.Rule, p.Err.Message, p.Err.Reason)
				}
				for i, o := range b.Origins[1].AllowedOrigins {
					if o.Sensitive {
						t.Errorf("sensitive %s: rule 2's literal origin %d is marked sensitive", sensitive, i)
					}
				}
				for i, o := range b.Origins[1].AllowedMethods {
					if o.Sensitive {
						t.Errorf("sensitive %s: rule 2's literal method %d is marked sensitive", sensitive, i)
					}
				}
				return rule1, rule2, v
			}
			_, plain2, plainV := texts("false")
			_, hidden2, hiddenV := texts("true")
			if plainV.Valid() != hiddenV.Valid() || len(plainV.Findings) != len(hiddenV.Findings) {
				t.Errorf("verdict changes: valid %v, %d findings; sensitive: valid %v, %d findings",
					plainV.Valid(), len(plainV.Findings), hiddenV.Valid(), len(hiddenV.Findings))
			}
			if len(plain2) == 0 {
				t.Fatal("no message about rule 2: the test checks nothing")
			}
			if got, want := strings.Join(hidden2, "\n"), strings.Join(plain2, "\n"); got != want {
				t.Errorf("rule 2's messages change when the variable is sensitive:\n%s\nwant:\n%s", got, want)
			}
			for _, f := range hiddenV.Findings {
				if f.Origin.Sensitive && f.Value != iac.SensitiveValue {
					t.Errorf("finding %s about the sensitive value shows %q", f.ID, f.Value)
				}
			}
		})
	}
}

// TestTerraformSensitiveForEachKey: Terraform refuses a for_each made from
// a sensitive value ("Invalid for_each argument: Sensitive values, or
// values derived from sensitive values, cannot be used as for_each
// arguments. If used, the sensitive value could be exposed as a resource
// instance key"), checked with terraform 1.11.4. s3cors refuses it too,
// and names the instance [*], as it names the instances of a for_each
// Terraform refuses for its type, rather than print the sensitive bucket
// name as its key in every message.
func TestTerraformSensitiveForEachKey(t *testing.T) {
	t.Parallel()
	const secret = "secret-bkt-zz"
	for _, tc := range []struct {
		name, forEach string
		refused       bool
	}{
		{"set of the variable", "toset([var.n])", true},
		{"map keyed by the variable", `{ (var.n) = "x" }`, true},
		{"set of two, one sensitive", `toset([var.n, "other"])`, true},
		{"not sensitive", `toset(["plain-name"])`, false},
		{"key holding a short secret's letters", `toset(["data"])`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tf := `
variable "n" {
  default   = "` + secret + `"
  sensitive = true
}
variable "id" {
  default   = "a"
  sensitive = true
}
resource "aws_s3_bucket_cors_configuration" "c" {
  for_each = ` + tc.forEach + `
  bucket   = each.key
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://a.example.com/"]
  }
}
`
			r, err := iac.Parse("main.tf", []byte(tf), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var names, text []string
			refused := false
			for _, b := range r.Buckets {
				names = append(names, b.Resource)
				for _, e := range b.Errors {
					text = append(text, e.Message, e.Hint)
					refused = refused || strings.Contains(e.Message, "sensitive")
				}
				for _, n := range b.Notes {
					text = append(text, n.Text)
				}
				v := iac.Judge(b)
				for _, f := range v.Findings {
					text = append(text, f.String())
				}
			}
			for _, n := range r.Notes {
				text = append(text, n.Text)
			}
			all := strings.Join(append(names, text...), "\n")
			if strings.Contains(all, secret) {
				t.Errorf("shows %q in:\n%s", secret, all)
			}
			if refused != tc.refused {
				t.Errorf("refused %v, want %v: buckets %q, errors:\n%s", refused, tc.refused, names, strings.Join(text, "\n"))
			}
			if tc.refused {
				if len(names) != 1 || names[0] != `aws_s3_bucket_cors_configuration.c[*]` {
					t.Errorf("buckets %q, want aws_s3_bucket_cors_configuration.c[*] alone", names)
				}
			}
		})
	}
}
