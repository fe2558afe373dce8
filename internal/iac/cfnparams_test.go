package iac_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestCloudFormationParameterConstraints: a parameter's Default, or a
// value given for it, that breaks its AllowedPattern (matched against the
// whole value, or each item of a CommaDelimitedList's, as the
// CloudFormation User Guide says), MinLength or MaxLength (a String's,
// in characters), MinValue or MaxValue (a Number's, which must be a
// number) makes CloudFormation refuse the stack, in its words ("Parameter
// 'Naming' must contain at least 12 characters" for a Default, reported
// of the console; "Parameter 'AvailabilityZoneCount' must be a number not
// less than 1" of CreateStack). cfn-lint 1.51.0 flags the Defaults of the
// rows marked so (E2015), and not those of "pattern prefix" (it matches
// the pattern's prefix only), "pattern list item" (it flags an item only
// when the whole value fails too), "MaxValue a string" (it compares YAML
// integers only) and "not a number"; it flags that of "intersection",
// which Java's pattern matches. A pattern Go's regexp lacks or reads
// otherwise than Java, or a value the two may match otherwise, is not
// checked, and a note says so; each pattern's match is Java 17's. A
// ConstraintDescription replaces CloudFormation's words ("Parameter P
// failed to satisfy constraint: D", as users report them); lengths are
// Java's String.length, in UTF-16 code units (cfn-lint counts code points
// and flags neither emoji row); each item of a List<Number> must be a
// number (cfn-lint does not flag "1, x"); a constraint of another type is
// not checked (cfn-lint flags its key, E2001).
func TestCloudFormationParameterConstraints(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, param string
		given       []string
		want        string // the refusal, error or note; "" when judged without a note
	}{
		{"pattern prefix", `P: {Type: String, Default: abc, AllowedPattern: "[a-z]"}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "abc" of parameter P does not match its AllowedPattern [a-z] ("Parameter 'P' must match pattern [a-z]")`},
		{"pattern whole", `P: {Type: String, Default: abc, AllowedPattern: "[a-z]+"}`, nil, ""},
		{"pattern (cfn-lint)", `P: {Type: String, Default: ABC, AllowedPattern: "[a-z]+"}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "ABC" of parameter P does not match its AllowedPattern [a-z]+ ("Parameter 'P' must match pattern [a-z]+")`},
		{"pattern alternation", `P: {Type: String, Default: ab, AllowedPattern: "a|ab"}`, nil, ""},
		{"pattern list item", `P: {Type: CommaDelimitedList, Default: "ab, c", AllowedPattern: "[a-z]{2}"}`, nil,
			`t.yaml:3:42: CloudFormation refuses the template: the value "c" of parameter P does not match its AllowedPattern [a-z]{2} ("Parameter 'P' must match pattern [a-z]{2}")`},
		{"pattern list", `P: {Type: CommaDelimitedList, Default: "ab, cd", AllowedPattern: "[a-z]{2}"}`, nil, ""},
		{"MinLength (cfn-lint)", `P: {Type: String, Default: ab, MinLength: 3}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "ab" of parameter P is shorter than its MinLength, 3 ("Parameter 'P' must contain at least 3 characters")`},
		{"MaxLength (cfn-lint)", `P: {Type: String, Default: héé, MaxLength: 2}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "héé" of parameter P is longer than its MaxLength, 2 ("Parameter 'P' must contain at most 2 characters")`},
		{"MaxLength in characters", `P: {Type: String, Default: hé, MaxLength: "2"}`, nil, ""},
		{"AllowedValues", `P: {Type: String, Default: prod, AllowedValues: [dev, prod]}`, nil, ""},
		{"not in AllowedValues (cfn-lint)", `P: {Type: String, Default: prod, AllowedValues: [dev, staging]}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "prod" of parameter P is not one of its AllowedValues ("Parameter 'P' must be one of AllowedValues")`},
		{"not in AllowedValues, a value given", `P: {Type: String, Default: prod, AllowedValues: [dev, staging]}`, []string{"P=dev"},
			`t.yaml:3:30: CloudFormation refuses the template: the value "prod" of parameter P is not one of its AllowedValues ("Parameter 'P' must be one of AllowedValues")`},
		{"list item not in AllowedValues", `L: {Type: CommaDelimitedList, Default: "a, c", AllowedValues: [a, b]}`, nil,
			`t.yaml:3:42: CloudFormation refuses the template: the value "c" of parameter L is not one of its AllowedValues ("Parameter 'L' must be one of AllowedValues")`},
		{"list items in AllowedValues", `L: {Type: CommaDelimitedList, Default: "a, b", AllowedValues: [a, b]}`, nil, ""},
		{"SSM parameter", `S: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/stage, AllowedValues: [prod, dev]}`, nil, ""},
		{"MinValue (cfn-lint)", `N: {Type: Number, Default: 0, MinValue: 1}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "0" of parameter N is less than its MinValue, 1 ("Parameter 'N' must be a number not less than 1")`},
		{"MaxValue (cfn-lint)", `N: {Type: Number, Default: 11, MaxValue: 10}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "11" of parameter N is greater than its MaxValue, 10 ("Parameter 'N' must be a number not greater than 10")`},
		{"MaxValue a string", `N: {Type: Number, Default: 10.5, MaxValue: "10"}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "10.5" of parameter N is greater than its MaxValue, 10 ("Parameter 'N' must be a number not greater than 10")`},
		{"within", `N: {Type: Number, Default: 1e1, MinValue: -5, MaxValue: 10}`, nil, ""},
		{"not a number", `N: {Type: Number, Default: ten}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "ten" of parameter N is not a number ("Parameter 'N' must be a number.")`},
		{"Java's suffix", `N: {Type: Number, Default: 2d, MaxValue: 1}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "2d" of parameter N is greater than its MaxValue, 1 ("Parameter 'N' must be a number not greater than 1")`},
		{"two suffixes", `N: {Type: Number, Default: 1dd}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "1dd" of parameter N is not a number ("Parameter 'N' must be a number.")`},
		{"MinValue of a String", `P: {Type: String, Default: "0", MinValue: 1}`, nil, ""},
		{"MinLength of a Number", `N: {Type: Number, Default: 5, MinLength: 5}`, nil, ""},
		{"given, pattern", `P: {Type: String, Default: abc, AllowedPattern: "[a-z]+"}`, []string{"P=ABC"},
			`error: the value "ABC" given for parameter P does not match its AllowedPattern [a-z]+ (CloudFormation: "Parameter 'P' must match pattern [a-z]+")`},
		{"given, MaxValue", `N: {Type: Number, Default: 1, MaxValue: 43200}`, []string{"N=50000"},
			`error: the value "50000" given for parameter N is greater than its MaxValue, 43200 (CloudFormation: "Parameter 'N' must be a number not greater than 43200")`},
		{"given, not a number", `N: {Type: Number, Default: 1}`, []string{"N=soon"},
			`error: the value "soon" given for parameter N is not a number (CloudFormation: "Parameter 'N' must be a number.")`},
		// A ConstraintDescription replaces CloudFormation's words for any
		// constraint, the name unquoted.
		{"described pattern", `P: {Type: String, Default: ABC, AllowedPattern: "[a-z]+", ConstraintDescription: lowercase only}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "ABC" of parameter P does not match its AllowedPattern [a-z]+ ("Parameter P failed to satisfy constraint: lowercase only")`},
		{"described AllowedValues", `L: {Type: CommaDelimitedList, Default: "a, c", AllowedValues: [a, b], ConstraintDescription: "a or b."}`, nil,
			`t.yaml:3:42: CloudFormation refuses the template: the value "c" of parameter L is not one of its AllowedValues ("Parameter L failed to satisfy constraint: a or b.")`},
		{"described MaxValue, given", `N: {Type: Number, Default: 1, MaxValue: 10, ConstraintDescription: "at most 10"}`, []string{"N=11"},
			`error: the value "11" given for parameter N is greater than its MaxValue, 10 (CloudFormation: "Parameter N failed to satisfy constraint: at most 10")`},
		{"described, met", `P: {Type: String, Default: abc, MinLength: 3, ConstraintDescription: "3 or more"}`, nil, ""},
		// Lengths are Java's, in UTF-16 code units: 😀 is two.
		{"MaxLength in UTF-16", `P: {Type: String, Default: "😀😀", MaxLength: 3}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "😀😀" of parameter P is longer than its MaxLength, 3 ("Parameter 'P' must contain at most 3 characters")`},
		{"MaxLength in UTF-16, within", `P: {Type: String, Default: "😀😀", MaxLength: 4}`, nil, ""},
		{"MinLength in UTF-16", `P: {Type: String, Default: "😀", MinLength: 2}`, nil, ""},
		// Each item of a List<Number> must be a number; its MaxValue, as
		// the MaxLength of a CommaDelimitedList, is not checked.
		{"List<Number> item", `L: {Type: "List<Number>", Default: "1, x"}`, nil,
			`t.yaml:3:38: CloudFormation refuses the template: the value "x" of parameter L is not a number ("Parameter 'L' must be a number.")`},
		{"List<Number>", `L: {Type: "List<Number>", Default: "1, 2.5, 1e3"}`, nil, ""},
		{"List<Number> MaxValue", `L: {Type: "List<Number>", Default: "1,50", MaxValue: 10}`, nil, ""},
		{"CommaDelimitedList MaxLength", `C: {Type: CommaDelimitedList, Default: "a,bbbbb", MaxLength: 3}`, nil, ""},
		{"AWS-specific MaxLength", `G: {Type: "AWS::EC2::SecurityGroup::Id", Default: sg-0123, MaxLength: 6}`, nil,
			`t.yaml:3:53: CloudFormation refuses the template: the value "sg-0123" of parameter G is longer than its MaxLength, 6 ("Parameter 'G' must contain at most 6 characters")`},
		{"AWS-specific pattern", `G: {Type: "AWS::EC2::SecurityGroup::Id", Default: sg-0123, AllowedPattern: "sg-[0-9a-f]+"}`, nil, ""},
		{"AllowedPattern of a Number", `N: {Type: Number, Default: "12345", AllowedPattern: "[0-9]{2}"}`, nil, ""},
		// CloudFormation validates the template, its Defaults among it,
		// before it takes any value (the console's "Template contains
		// errors."), as cfn-lint flags the Default (E2015).
		{"Default, a value given", `P: {Type: String, Default: ab, MinLength: 3}`, []string{"P=abc"},
			`t.yaml:3:30: CloudFormation refuses the template: the value "ab" of parameter P is shorter than its MinLength, 3 ("Parameter 'P' must contain at least 3 characters")`},
		{"lookahead", `P: {Type: String, Default: x, AllowedPattern: "(?!y).*"}`, nil,
			"note: t.yaml:3:49: parameter P's value is not checked against its AllowedPattern: Go's regexp cannot read it as Java does: invalid or unsupported Perl syntax: `(?!`"},
		{"intersection", `P: {Type: String, Default: x, AllowedPattern: "[a-z&&[^e]]+"}`, nil,
			`note: t.yaml:3:49: parameter P's value is not checked against its AllowedPattern: Go's regexp reads its "[a-z&&" otherwise than Java`},
		{"union", `P: {Type: String, Default: b, AllowedPattern: "[a-c[x-z]]+"}`, nil,
			`note: t.yaml:3:49: parameter P's value is not checked against its AllowedPattern: Go's regexp reads its "[a-c[" otherwise than Java`},
		{"quote with no end", `P: {Type: String, Default: a.b, AllowedPattern: "\\Qa.b"}`, nil, ""},
		{"quote with no end, broken", `P: {Type: String, Default: axb, AllowedPattern: "\\Qa.b"}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "axb" of parameter P does not match its AllowedPattern \Qa.b ("Parameter 'P' must match pattern \\Qa.b")`},
		{"class with a bracket", `P: {Type: String, Default: "a]", AllowedPattern: "[a\\]]+"}`, nil, ""},
		{"no repetition", `P: {Type: String, Default: a, AllowedPattern: "a{,3}"}`, nil,
			`note: t.yaml:3:49: parameter P's value is not checked against its AllowedPattern: Go's regexp reads its "a{," otherwise than Java`},
		{"Unicode property", `P: {Type: String, Default: "é1", AllowedPattern: "\\p{L}+"}`, nil,
			`t.yaml:3:30: CloudFormation refuses the template: the value "é1" of parameter P does not match its AllowedPattern \p{L}+ ("Parameter 'P' must match pattern \\p{L}+")`},
		{"case beyond ASCII", `P: {Type: String, Default: "\u212A", AllowedPattern: "(?i)k"}`, nil,
			`note: t.yaml:3:56: parameter P's value is not checked against its AllowedPattern: Go's regexp folds the case of letters beyond ASCII, Java's not`},
		{"case in ASCII", `P: {Type: String, Default: "K", AllowedPattern: "(?i)k"}`, nil, ""},
		{"dot and CR", `P: {Type: String, Default: "a\r", AllowedPattern: ".*"}`, nil,
			`note: t.yaml:3:53: parameter P's value is not checked against its AllowedPattern: Go's regexp and Java's may match a value with '\r' otherwise`},
		{"given, lookahead", `P: {Type: String, Default: x, AllowedPattern: "(?!y).*"}`, []string{"P=y"},
			"note: t.yaml:3:49: parameter P's value is not checked against its AllowedPattern: Go's regexp cannot read it as Java does: invalid or unsupported Perl syntax: `(?!`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			template := "Parameters:\n  Env: {Type: String, Default: dev}\n  " + tc.param + "\n" + envBucket
			r, err := iac.Parse("t.yaml", []byte(template), iac.Options{Parameters: tc.given})
			switch {
			case strings.HasPrefix(tc.want, "t.yaml"):
				checkRefused(t, r, err, tc.want)
			case err != nil:
				if got := "error: " + err.Error(); got != tc.want {
					t.Errorf("got %s\nwant %s", got, tc.want)
				}
			case len(r.Buckets) != 1 || len(r.Buckets[0].Rules) != 1:
				t.Errorf("result %+v; want the bucket judged", r)
			case tc.want == "" && len(r.Notes) > 0:
				t.Errorf("notes %+v, want none", r.Notes)
			case tc.want != "":
				if len(r.Notes) != 1 || "note: "+r.Notes[0].Pos.String()+": "+r.Notes[0].Text != tc.want {
					t.Errorf("notes %+v, want one: %s", r.Notes, tc.want)
				}
			}
		})
	}
}

// envBucket is a template's Resources: a bucket whose origin names the
// parameter Env.
const envBucket = `Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - {AllowedOrigins: [!Sub "https://${Env}.example.com"], AllowedMethods: [GET]}
`

// TestCloudFormationPassedConstraint: a value a parent stack passes a
// nested stack's parameter is checked against its constraints too, and
// the refusal, a note of the parent's, points at the constraint it
// breaks; the parent's buckets are still judged.
func TestCloudFormationPassedConstraint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, passed, params, at, refusal string }{
		{"AllowedValues", "{Env: prod}", "Env: {Type: String, Default: dev, AllowedValues: [dev, staging]}",
			":2:52", `the value "prod" of parameter Env is not one of its AllowedValues ("Parameter 'Env' must be one of AllowedValues")`},
		{"MaxValue", `{Env: dev, Count: "50000"}`, "Env: {Type: String, Default: dev}\n  Count: {Type: Number, Default: 1, MaxValue: 43200}",
			":3:47", `the value "50000" of parameter Count is greater than its MaxValue, 43200 ("Parameter 'Count' must be a number not greater than 43200")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			parent := "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters: " + tc.passed + "\n"
			child := "Parameters:\n  " + tc.params + "\n" + envBucket
			for name, data := range map[string]string{"parent.yaml": parent, "child.yaml": child} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r, err := iac.Load(filepath.Join(dir, "parent.yaml"), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := "nested stack Child: " + filepath.Join(dir, "child.yaml") + tc.at + ": CloudFormation refuses the template: " + tc.refusal
			if len(r.Buckets) != 0 || len(r.Notes) != 1 || r.Notes[0].Text != want {
				t.Errorf("buckets %+v, notes %+v; want none and the note %s", r.Buckets, r.Notes, want)
			}
		})
	}
}
