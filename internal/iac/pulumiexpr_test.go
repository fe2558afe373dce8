package iac_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/iac"
)

// pulumiExprProgram is a program whose one rule's allowedOrigins is %s,
// the expression under test, with the config values and variables it
// may refer to.
const pulumiExprProgram = `name: proj
runtime: yaml
config:
  cfg:
    default: {allowed: ["https://a.example", "https://b.example"], "a}b": "https://q.example", port: 8080, big: 1000000}
  list: {default: ["https://c.example"]}
variables:
  origins: ["https://v.example", "https://w.example"]
  hosts: {app: app.example, "a.b": dotted.example}
  csv: "https://x.example,https://y.example"
  selfA: ${selfB}
  selfB: ${selfA}
  split: {fn::split: [",", "${csv}"]}
  deep: [[["https://deep.example"]]]
resources:
  other: {type: aws:s3:Bucket}
  cors:
    type: aws:s3:BucketCorsConfiguration
    properties:
      bucket: b
      corsRules:
        - allowedMethods: [GET]
          allowedOrigins: %s
`

// pulumiExprResult is what a case of TestPulumiExpressions compares: the
// origins judged, and the errors and values not judged, without where.
type pulumiExprResult struct {
	Origins  []string
	Problems []string // "code: message" or "not judged: expr: why"
}

// pulumiResultOf returns what the Pulumi tests compare of bucket b.
func pulumiResultOf(b *iac.Bucket) pulumiExprResult {
	var got pulumiExprResult
	if len(b.Rules) == 1 {
		got.Origins = b.Rules[0].AllowedOrigins
	}
	for _, e := range b.Errors {
		got.Problems = append(got.Problems, e.Code+": "+e.Message)
	}
	for _, u := range b.Unjudged {
		got.Problems = append(got.Problems, "not judged: "+u.Expr+": "+u.Why)
	}
	return got
}

// TestPulumiExpressions evaluates Pulumi YAML's property accesses and
// built-in functions as pulumi-yaml 1.25.0 does (ast/property.go,
// run.go): what it evaluates is judged; what it fails on is an error
// with its message; what only the running program knows is not judged.
func TestPulumiExpressions(t *testing.T) {
	t.Parallel()
	const oob = `out-of-range: Pulumi YAML fails to evaluate ${origins[2]}: "list index 2 out-of-bounds for list of length 2"`
	for _, tc := range []struct {
		name, expr string
		want       pulumiExprResult
	}{
		// Property access of variables and config values.
		{"variable index", `["${origins[1]}", "${origins[0]}"]`, pulumiExprResult{Origins: []string{"https://w.example", "https://v.example"}}},
		{"variable whole", `${origins}`, pulumiExprResult{Origins: []string{"https://v.example", "https://w.example"}}},
		{"config name", `${cfg.allowed}`, pulumiExprResult{Origins: []string{"https://a.example", "https://b.example"}}},
		{"config subscript", `${cfg["allowed"]}`, pulumiExprResult{Origins: []string{"https://a.example", "https://b.example"}}},
		{"quoted key with brace", `["${cfg[\"a}b\"]}"]`, pulumiExprResult{Origins: []string{"https://q.example"}}},
		{"quoted key with dot", `["https://${hosts[\"a.b\"]}"]`, pulumiExprResult{Origins: []string{"https://dotted.example"}}},
		{"in a longer string", `["https://${hosts.app}", "https://$${hosts.app}"]`, pulumiExprResult{Origins: []string{"https://app.example", "https://${hosts.app}"}}},
		{"nested lists", `["${deep[0][0][0]}"]`, pulumiExprResult{Origins: []string{"https://deep.example"}}},
		{"namespaced config", `${proj:list}`, pulumiExprResult{Origins: []string{"https://c.example"}}},
		// fmt's %v of a float64, as Pulumi writes a number in a string.
		{"numbers in a string", `["http://localhost:${cfg.port}", "http://x${cfg.big}"]`,
			pulumiExprResult{Origins: []string{"http://localhost:8080", "http://x1e+06"}}},
		// A key the mapping lacks is null, which Pulumi writes <nil>.
		{"missing key in a string", `["https://${hosts.www}"]`, pulumiExprResult{Origins: []string{"https://<nil>"}}},
		{"missing key", `["${hosts.www}"]`, pulumiExprResult{Problems: []string{"wrong-type: Pulumi expects strings in allowedOrigins, not null"}}},
		{"index out of range", `${origins[2]}`, pulumiExprResult{Problems: []string{oob}}},
		{"index out of range in a string", `["x${origins[2]}"]`, pulumiExprResult{Problems: []string{oob}}},
		{"negative index", `${origins[-1]}`, pulumiExprResult{Problems: []string{
			`out-of-range: Pulumi YAML fails to evaluate ${origins[-1]}: "list index -1 out-of-bounds for list of length 2"`}}},
		{"huge index", `${origins[99999999999999999999]}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML refuses the interpolation "${origins[99999999999999999999]}": invalid list index`}}},
		{"list by name", `${origins.first}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate ${origins.first}: "cannot access a list element using a property name"`}}},
		{"mapping by index", `${hosts[0]}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate ${hosts[0]}: "cannot access an object property using an integer index"`}}},
		{"past a missing key", `${hosts.www.x}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate ${hosts.www.x}: "receiver must be a list or object, not nil"`}}},
		{"into a string", `${csv.x}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate ${csv.x}: "receiver must be a list or object, not a string"`}}},
		{"cycle", `["${selfA}"]`, pulumiExprResult{Problems: []string{
			`not judged: ${selfA}: variable selfA is ${selfB}: variable selfB is ${selfA}: variable selfA refers to itself (pulumi preview: "circular dependency of variable 'selfA' transitively on itself")`}}},
		{"resource output", `["${other.bucket}"]`, pulumiExprResult{Problems: []string{
			"not judged: ${other.bucket}: an output of resource other, known once Pulumi has created it"}}},
		// Pulumi YAML's parser refuses these.
		{"empty", `["${}"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${}": Property access expressions cannot be empty`}}},
		{"unterminated", `["${origins"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${origins": unterminated interpolation`}}},
		{"index root", `["${[0]}"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${[0]}": the root property must be a string subscript or a name`}}},
		{"unclosed index", `["${origins[0}"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${origins[0}": missing closing bracket in list index`}}},
		{"unclosed quote", `["${hosts[\"app}"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${hosts[\"app}": missing closing quote in property name`}}},
		{"unclosed subscript", `["${hosts[\"app\"x]}"]`, pulumiExprResult{Problems: []string{`wrong-type: Pulumi YAML refuses the interpolation "${hosts[\"app\"x]}": missing closing bracket in property access`}}},

		// Built-in functions.
		{"join", `[{fn::join: ["", ["https://", "${hosts.app}"]]}, {fn::join: [null, [a, b]]}]`, pulumiExprResult{Origins: []string{"https://app.example", "ab"}}},
		{"join any case", `[{Fn::Join: ["-", [a, b]]}]`, pulumiExprResult{Origins: []string{"a-b"}}},
		{"join a number", `[{fn::join: [",", [a, 1]]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::join: "the second argument to fn::join must be a list of strings, found a number at index 1"`}}},
		{"join delimiter", `[{fn::join: [1, [a]]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::join: "delimiter must be a string, not a number"`}}},
		{"join a string", `[{fn::join: [",", ab]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::join: "the second argument to fn::join must be a list, found a string"`}}},
		{"join one argument", `[{fn::join: [","]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML refuses {fn::join: [","]}: "the argument to fn::join must be a two-valued list"`}}},
		{"join unknown", `[{fn::join: [",", ["${other.id}"]]}]`, pulumiExprResult{Problems: []string{
			`not judged: {fn::join: [",", ["${other.id}"]]}: an output of resource other, known once Pulumi has created it`}}},
		{"split", `{fn::split: [",", "https://a.example,https://b.example"]}`, pulumiExprResult{Origins: []string{"https://a.example", "https://b.example"}}},
		{"split variable", `${split}`, pulumiExprResult{Origins: []string{"https://x.example", "https://y.example"}}},
		{"split a number", `{fn::split: [",", 5]}`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::split: its source is a number, not a string (pulumi preview: "Must be a string, not a string")`}}},
		{"select", `[{fn::select: [1, "${origins}"]}, {fn::select: [0, {fn::split: [",", "${csv}"]}]}]`,
			pulumiExprResult{Origins: []string{"https://w.example", "https://x.example"}}},
		{"select out of range", `[{fn::select: [2, "${origins}"]}]`, pulumiExprResult{Problems: []string{
			`out-of-range: Pulumi YAML fails to evaluate {fn::select: [2, "${origins}"]}: "list index 2 out-of-bounds for list of length 2"`}}},
		{"select a string index", `[{fn::select: ["0", "${origins}"]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::select: "index must be a number, not a string"`}}},
		{"select a fraction", `[{fn::select: [1.5, "${origins}"]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::select: "index must be a positive integral, not 1.5"`}}},
		{"select negative", `[{fn::select: [-1, "${origins}"]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::select: "index must be a positive integral, not -1"`}}},
		{"select huge", `[{fn::select: [1e300, "${origins}"]}]`, pulumiExprResult{Problems: []string{
			`wrong-type: Pulumi YAML fails to evaluate fn::select: "index must be a positive integral, not 100000000000000000000000000000..."`}}},
		{"toJSON", `[{fn::toJSON: {b: [1000000, true, null], a: "x<y"}}]`, pulumiExprResult{Origins: []string{`{"a":"x\u003cy","b":[1000000,true,null]}`}}},
		{"secret", `[{fn::secret: "https://s.example"}, {fn::secret: "${origins[0]}"}]`, pulumiExprResult{Origins: []string{"https://s.example", "https://v.example"}}},
		{"invoke", `[{fn::invoke: {function: aws:index:getRegion}}]`, pulumiExprResult{Problems: []string{
			`not judged: {fn::invoke: {function: "aws:index:getRegion"}}: Pulumi YAML's fn::invoke is evaluated when the program runs`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := strings.Replace(pulumiExprProgram, "%s", tc.expr, 1)
			r, err := iac.Parse("Pulumi.yaml", []byte(data), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets, want 1", len(r.Buckets))
			}
			if diff := cmp.Diff(tc.want, pulumiResultOf(r.Buckets[0])); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

// TestPulumiAccessLocated: a value reached by a property access is
// located where the variable or the config value's default writes it,
// reached from the interpolation; a config value's default is noted
// once; Pulumi's refusal is located at the interpolation.
func TestPulumiAccessLocated(t *testing.T) {
	t.Parallel()
	data := strings.Replace(pulumiExprProgram, "%s", `["${origins[1]}", "${cfg.allowed[0]}", "${cfg.allowed[1]}", "${origins[7]}"]`, 1)
	r, err := iac.Parse("Pulumi.yaml", []byte(data), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Buckets[0]
	var got []string
	for _, o := range b.Origins[0].AllowedOrigins {
		got = append(got, posText(o.Pos)+" "+posText(o.Ref)+" "+o.Via)
	}
	for _, e := range b.Errors {
		got = append(got, posText(e.Pos)+" "+e.Code)
	}
	for _, n := range b.Notes {
		got = append(got, posText(n.Pos)+": "+n.Text)
	}
	want := []string{
		"8:34 23:28 variable origins",
		"5:25 23:45 the default of config cfg",
		"5:46 23:66 the default of config cfg",
		"23:87 out-of-range",
		"23:45: config cfg is judged with its default, written at Pulumi.yaml:5:14: a stack's configuration (pulumi config set cfg) may give another",
		"22:11: maxAgeSeconds is not set: the AWS provider sends MaxAgeSeconds 0, so browsers do not cache the preflight answer",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPulumiVariableDepth: a value reached through a chain of variables,
// each referring to the next, is judged up to 1,000 of them; past that it
// is not judged, where a megabyte of such a chain took 2.5 s and 290 MB
// of stack.
func TestPulumiVariableDepth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		chain int
		want  pulumiExprResult
	}{
		{999, pulumiExprResult{Origins: []string{"https://a.example"}}},
		{1000, pulumiExprResult{Problems: []string{
			"not judged: ${v0}: the value is reached through more than 1000 variables, each referring to the next, which s3cors does not follow"}}},
	} {
		t.Run(strconv.Itoa(tc.chain), func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("Pulumi.yaml", []byte(pulumiVariableChain(tc.chain, `["https://a.example"]`)), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, pulumiResultOf(r.Buckets[0])); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
