package iac_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/iac"
)

// pulumiResult is what a test compares of one bucket read from a Pulumi
// YAML program.
type pulumiResult struct {
	Resource, Type string
	Rules          []corsrule.Rule
	Errors         []string // "line:column code: message [hint]"
	Unjudged       []string // "line:column rule field expr: why"
	Notes          []string // "line:column: text"
}

func pulumiResults(r *iac.Result) []pulumiResult {
	var out []pulumiResult
	for _, b := range r.Buckets {
		res := pulumiResult{Resource: b.Resource, Type: b.Type, Rules: b.Rules}
		for _, e := range b.Errors {
			s := posText(e.Pos) + " " + e.Code + ": " + e.Message
			if e.Hint != "" {
				s += " [" + e.Hint + "]"
			}
			res.Errors = append(res.Errors, s)
		}
		for _, u := range b.Unjudged {
			res.Unjudged = append(res.Unjudged, fmt.Sprintf("%s %d %s %s: %s", posText(u.Pos), u.Rule, u.Field, u.Expr, u.Why))
		}
		for _, n := range b.Notes {
			res.Notes = append(res.Notes, posText(n.Pos)+": "+n.Text)
		}
		out = append(out, res)
	}
	return out
}

// TestPulumi reads the resources of Pulumi's AWS providers that put a
// bucket's CORS configuration: aws:s3:BucketCorsConfiguration (and V2),
// whose rules the bridged Terraform provider sends as a set; the inline
// corsRules of aws:s3:Bucket and BucketV2, a list without id; and
// aws-native:s3:Bucket's corsConfiguration, CloudFormation's members in
// lower camel case, checked against its resource schema.
func TestPulumi(t *testing.T) {
	t.Parallel()
	const head = "name: t\nruntime: yaml\nresources:\n"
	const cfgType = "aws:s3:BucketCorsConfiguration"
	const zeroAge = ": maxAgeSeconds is not set: the AWS provider sends MaxAgeSeconds 0, so browsers do not cache the preflight answer"
	const setOrder = ": corsRules is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order"
	const deprecated = ": the corsRules of aws:s3:Bucket are deprecated (@pulumi/aws 7 on both bucket types, 6 on BucketV2): an aws:s3:BucketCorsConfiguration holds them instead"
	for _, tc := range []struct {
		name, data string
		want       []pulumiResult
	}{
		// A set: the empty string is dropped, a value listed twice sent
		// once, and an unset maxAgeSeconds sent as 0.
		{"configuration", head + "  cors:\n    type: " + cfgType + "\n    properties:\n      bucket: b\n      corsRules:\n" +
			"        - id: app\n          allowedOrigins: [\"https://app.example\", \"\"]\n          allowedMethods: [GET, PUT, GET]\n" +
			"          maxAgeSeconds: 3000\n        - allowedOrigins: [\"*\"]\n          allowedMethods: [GET]\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType,
				Rules: []corsrule.Rule{{ID: "app", AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "PUT"}, MaxAgeSeconds: ptr(3000)},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(0)}},
				Notes: []string{"10:51: the AWS provider drops the empty string from allowedOrigins",
					"11:38: allowedMethods is a set: \"GET\" is already listed, so S3 receives it once",
					"13:11" + zeroAge, "9:9" + setOrder}}}},
		// The token in full, module and file, names the same type.
		{"v2 full token", head + "  old:\n    type: aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2\n    properties:\n      bucket: b\n" +
			"      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 60}]\n",
			[]pulumiResult{{Resource: "old", Type: "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(60)}}}}},
		{"misspelt and missing", head + "  cors:\n    type: " + cfgType + "\n    properties:\n      corsRule: []\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType, Errors: []string{
				"7:7 unknown-member: Pulumi does not know the property \"corsRule\" of aws:s3:BucketCorsConfiguration (pulumi preview: \"Property corsRule does not exist\") [it is called \"corsRules\"]",
				"7:7 missing-member: Pulumi requires the property bucket of aws:s3:BucketCorsConfiguration (\"Missing required property 'bucket'\")",
				"7:7 missing-member: Pulumi requires the property corsRules of aws:s3:BucketCorsConfiguration (\"Missing required property 'corsRules'\")"}}}},
		{"no properties", head + "  cors:\n    type: " + cfgType + "\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType, Errors: []string{
				"4:3 missing-member: Pulumi requires the property bucket of aws:s3:BucketCorsConfiguration (\"Missing required property 'bucket'\")",
				"4:3 missing-member: Pulumi requires the property corsRules of aws:s3:BucketCorsConfiguration (\"Missing required property 'corsRules'\")"}}}},
		{"empty rules", head + "  cors:\n    type: " + cfgType + "\n    properties:\n      bucket: b\n      corsRules: []\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType, Errors: []string{
				"8:18 missing-member: the AWS provider requires at least one rule in corsRules (its cors_rule is required)"}}}},
		{"properties not a mapping", head + "  cors:\n    type: " + cfgType + "\n    properties: [a]\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType, Errors: []string{
				"6:17 wrong-type: Pulumi expects a mapping of properties for cors, not a list"}}}},
		// Pulumi YAML converts a number or a boolean for a string, and
		// no string for an integer; it reads YAML as gopkg.in/yaml.v3
		// does: yes is a string, 017 is 15.
		{"types", head + "  cors:\n    type: " + cfgType + "\n    properties:\n      bucket: b\n      corsRules:\n" +
			"        - allowedOrigins: [8080, true, yes, 1.50]\n          allowedMethods: [GET]\n          maxAgeSeconds: \"30\"\n" +
			"        - allowedOrigins: [\"*\"]\n          allowedMethods: [PUT]\n          maxAgeSeconds: 017\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType,
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"8080", "true", "yes", "1.5"}, AllowedMethods: []string{"GET"}},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(15)}},
				Errors: []string{"11:26 wrong-type: Pulumi expects a whole number for maxAgeSeconds, not a string"},
				Notes:  []string{"9:9" + setOrder}}}},
		{"max age wraps", head + "  cors:\n    type: " + cfgType + "\n    properties:\n      bucket: b\n" +
			"      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 3000000000}]\n",
			[]pulumiResult{{Resource: "cors", Type: cfgType,
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(-1294967296)}},
				Notes: []string{"8:81: the AWS provider converts maxAgeSeconds 3000000000 to a 32-bit integer: S3 receives -1294967296"}}}},
		// The inline rules: a list, which keeps a value listed twice;
		// no id.
		{"inline", head + "  b:\n    type: aws:s3:Bucket\n    properties:\n      corsRules:\n        - id: x\n" +
			"          allowedOrigins: [\"*\"]\n          allowedMethods: [GET, GET]\n",
			[]pulumiResult{{Resource: "b", Type: "aws:s3:Bucket",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "GET"}, MaxAgeSeconds: ptr(0)}},
				Errors: []string{"8:15 unknown-member: Pulumi does not know the member \"id\" of a CORS rule"},
				Notes:  []string{"8:9" + deprecated, "8:11" + zeroAge}}}},
		// A bucket without inline rules, or with none, has no
		// configuration; get reads a resource and sends nothing; other
		// types are passed over.
		{"inline none", head + "  b:\n    type: aws:s3:Bucket\n    properties:\n      bucket: b\n", nil},
		{"inline empty", head + "  b:\n    type: aws:s3:BucketV2\n    properties:\n      corsRules: []\n", nil},
		{"get", head + "  b:\n    type: " + cfgType + "\n    get:\n      id: b\n", nil},
		{"other types", head + "  q:\n    type: aws:sqs:Queue\n    properties: {corsRules: 5}\n", nil},
		{"no resources", head, nil},
		// aws-native: CloudFormation's members and resource schema.
		{"native", head + "  site:\n    type: aws-native:s3:Bucket\n    properties:\n      corsConfiguration:\n        corsRules:\n" +
			"          - id: web\n            allowedOrigins: [\"https://a.example\", \"https://a.example\"]\n" +
			"            allowedMethods: [GET, get]\n            exposedHeaders: [ETag]\n            maxAge: -1\n",
			[]pulumiResult{{Resource: "site", Type: "aws-native:s3:Bucket",
				Rules: []corsrule.Rule{{ID: "web", AllowedOrigins: []string{"https://a.example", "https://a.example"},
					AllowedMethods: []string{"GET", "get"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: ptr(-1)}},
				Errors: []string{
					"10:51 not-unique: Pulumi refuses allowedOrigins that list \"https://a.example\" twice (CloudFormation's resource schema, which the Cloud Control API checks, wants the items unique) [Remove the second \"https://a.example\"]",
					"11:35 not-allowed: the Cloud Control API refuses allowedMethods \"get\": its resource schema allows only GET, PUT, HEAD, POST, DELETE [Write \"GET\"]",
					"13:21 out-of-range: the Cloud Control API refuses maxAge -1: its resource schema's minimum is 0"}}}},
		{"native names", head + "  site:\n    type: aws-native:s3:Bucket\n    properties:\n      corsConfiguration:\n        rules: []\n" +
			"        corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET], exposeHeaders: [ETag], maxAge: \"60\"}]\n",
			[]pulumiResult{{Resource: "site", Type: "aws-native:s3:Bucket",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}},
				Errors: []string{
					"8:9 unknown-member: Pulumi does not know the property \"rules\" of corsConfiguration",
					"9:83 unknown-member: Pulumi does not know the member \"exposeHeaders\" of a CORS rule [Pulumi calls it \"exposedHeaders\"]",
					"9:99 wrong-type: Pulumi expects a whole number for maxAge, not a string"}}}},
		{"native without rules", head + "  site:\n    type: aws-native:s3:Bucket\n    properties:\n      corsConfiguration: {}\n",
			[]pulumiResult{{Resource: "site", Type: "aws-native:s3:Bucket", Errors: []string{
				"7:26 missing-member: Pulumi requires the property corsRules of corsConfiguration (\"Missing required property 'corsRules'\")"}}}},
		{"native none", head + "  site:\n    type: aws-native:s3:Bucket\n    properties:\n      bucketName: b\n", nil},
		{"native misspelt", head + "  site:\n    type: aws-native:s3:Bucket\n    properties:\n      cors: {}\n",
			[]pulumiResult{{Resource: "site", Type: "aws-native:s3:Bucket", Errors: []string{
				"7:7 unknown-member: Pulumi does not know the property \"cors\" of aws-native:s3:Bucket (pulumi preview: \"Property cors does not exist\") [the rules go in \"corsConfiguration\"]"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Pulumi})
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != iac.Pulumi {
				t.Errorf("Kind = %v", r.Kind)
			}
			if diff := cmp.Diff(tc.want, pulumiResults(r)); diff != "" {
				t.Errorf("buckets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPulumiValues: literals are judged; a config value's literal
// default is judged in its place, with a note; an interpolation of
// anything else, and a built-in function that reads what only the
// running program has, are not known before the program runs, each said
// where and why.
func TestPulumiValues(t *testing.T) {
	t.Parallel()
	data := "name: t\nruntime: yaml\nconfig:\n  origins:\n    type: array\n" +
		"    default: [\"https://a.example\", \"https://b.example\"]\n" +
		"  domain:\n    default: example.com\n  secretOrigin:\n    type: string\nvariables:\n  v: ${other.id}\n" +
		"resources:\n  cors:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: ${other.bucket}\n      corsRules:\n" +
		"        - allowedOrigins: ${origins}\n          allowedMethods: [GET]\n          maxAgeSeconds: 60\n" +
		"        - allowedOrigins: [\"https://${domain}\", \"$${domain}\", \"${secretOrigin}\", \"${v}\", \"${nope}\", \"${pulumi.stack}\"]\n" +
		"          allowedMethods: [PUT]\n          allowedHeaders:\n            fn::readFile: ./headers.txt\n          maxAgeSeconds: 60\n" +
		"  other:\n    type: aws:s3:Bucket\n"
	r, err := iac.Parse("m.yaml", []byte(data), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []pulumiResult{{Resource: "cors", Type: "aws:s3:BucketCorsConfiguration",
		Rules: []corsrule.Rule{{AllowedOrigins: []string{"https://a.example", "https://b.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(60)},
			{AllowedOrigins: []string{"https://example.com", "${domain}"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(60)}},
		Unjudged: []string{
			"22:63 2 AllowedOrigin ${secretOrigin}: config secretOrigin has no default: a stack's configuration gives its value (--stack STACK judges it with one)",
			"22:82 2 AllowedOrigin ${v}: variable v is ${other.id}: an output of resource other, known once Pulumi has created it",
			"22:90 2 AllowedOrigin ${nope}: the program declares no config value, variable or resource nope: only the stack's configuration may give it",
			"22:101 2 AllowedOrigin ${pulumi.stack}: a property of the running program and stack",
			"25:13 2 AllowedHeader {fn::readFile: ./headers.txt}: Pulumi YAML's fn::readFile is evaluated when the program runs"},
		Notes: []string{
			"19:27: config origins is judged with its default, written at m.yaml:6:14: a stack's configuration (pulumi config set origins) may give another",
			"22:28: config domain is judged with its default, written at m.yaml:8:14: a stack's configuration (pulumi config set domain) may give another",
			"19:9: corsRules is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order"}}}
	if diff := cmp.Diff(want, pulumiResults(r)); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	// The origins of rule 1 are located in the default, reached from
	// the interpolation.
	o := r.Buckets[0].Origins[0].AllowedOrigins[1]
	if got := fmt.Sprintf("%s %s %s", posText(o.Pos), posText(o.Ref), o.Via); got != "6:36 19:27 the default of config origins" {
		t.Errorf("origin of rule 1's second origin = %s", got)
	}
}

// TestPulumiConfigShortForm: a config value declared as a literal, the
// project-level short form Pulumi documents ("config: {vm-count: 2}", a
// value for every stack), is judged as its value, a list too.
func TestPulumiConfigShortForm(t *testing.T) {
	t.Parallel()
	data := "name: t\nruntime: yaml\nconfig:\n  origin: https://app.example.com/\n  methods: [GET, PUT]\n" +
		"resources:\n  cors:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n      corsRules:\n" +
		"        - allowedOrigins: [\"${origin}\", \"x${methods}\"]\n          allowedMethods: ${methods}\n"
	r, err := iac.Parse("m.yaml", []byte(data), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []pulumiResult{{Resource: "cors", Type: "aws:s3:BucketCorsConfiguration",
		Rules:    []corsrule.Rule{{AllowedOrigins: []string{"https://app.example.com/"}, AllowedMethods: []string{"GET", "PUT"}, MaxAgeSeconds: ptr(0)}},
		Unjudged: []string{"12:41 1 AllowedOrigin x${methods}: ${methods} is a list, not a string, number or boolean, which is not judged inside a longer string"},
		Notes: []string{
			"12:28: config origin is judged with its value, written at m.yaml:4:11: a stack's configuration (pulumi config set origin) may give another",
			"13:27: config methods is judged with its value, written at m.yaml:5:12: a stack's configuration (pulumi config set methods) may give another",
			"12:11: maxAgeSeconds is not set: the AWS provider sends MaxAgeSeconds 0, so browsers do not cache the preflight answer"}}}
	if diff := cmp.Diff(want, pulumiResults(r)); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
}

// TestPulumiVariables: a variable is evaluated as Pulumi YAML evaluates
// it, judged where its value is written, without a note when it holds
// a literal (every stack runs it with that value); one that holds what
// is known only when the program runs is not judged, and says why. A
// list where a string belongs is refused as written in place.
func TestPulumiVariables(t *testing.T) {
	t.Parallel()
	data := "name: t\nruntime: yaml\nvariables:\n  origins: [\"https://a.example\", \"https://b.example\"]\n  host: app.example.com\n" +
		"  computed: ${other.id}\n  nested: [\"https://c.example\", \"${other.id}\"]\n  joined: {fn::join: [\",\", [a, b]]}\n" +
		"resources:\n  cors:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n      corsRules:\n" +
		"        - allowedOrigins: ${origins}\n          allowedMethods: [GET]\n          maxAgeSeconds: 60\n" +
		"        - allowedOrigins: [\"https://${host}\", \"${computed}\", \"${nested}\", \"${joined}\", \"x${origins}\"]\n" +
		"          allowedMethods: [PUT]\n          maxAgeSeconds: 60\n" +
		"  other:\n    type: aws:s3:Bucket\n"
	r, err := iac.Parse("m.yaml", []byte(data), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []pulumiResult{{Resource: "cors", Type: "aws:s3:BucketCorsConfiguration",
		Rules: []corsrule.Rule{{AllowedOrigins: []string{"https://a.example", "https://b.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(60)},
			{AllowedOrigins: []string{"https://app.example.com", "a,b"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(60)}},
		Errors: []string{"7:11 wrong-type: Pulumi expects strings in allowedOrigins, not a list"},
		Unjudged: []string{
			"18:47 2 AllowedOrigin ${computed}: variable computed is ${other.id}: an output of resource other, known once Pulumi has created it",
			"18:88 2 AllowedOrigin x${origins}: ${origins} is a list, not a string, number or boolean, which is not judged inside a longer string"},
		Notes: []string{
			"15:9: corsRules is a set: the AWS provider sends the rules in an order of its own, not as written, and S3 answers with the first rule that matches; findings about rule order assume the written order"}}}
	if diff := cmp.Diff(want, pulumiResults(r)); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	// The origins of rule 1 are located in the variable, reached from
	// the interpolation.
	o := r.Buckets[0].Origins[0].AllowedOrigins[1]
	if got := fmt.Sprintf("%s %s %s", posText(o.Pos), posText(o.Ref), o.Via); got != "4:34 15:27 variable origins" {
		t.Errorf("origin of rule 1's second origin = %s", got)
	}
}

// TestPulumiMainWithoutRuntime: a program's Main.yaml, in the directory
// its project file's main names, has resources and no runtime; reading
// it as a program panicked.
func TestPulumiMainWithoutRuntime(t *testing.T) {
	t.Parallel()
	data := "resources:\n  cors:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n" +
		"      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 60}]\n"
	r, err := iac.Parse("Main.yaml", []byte(data), iac.Options{Kind: iac.Pulumi})
	if err != nil {
		t.Fatal(err)
	}
	want := []pulumiResult{{Resource: "cors", Type: "aws:s3:BucketCorsConfiguration",
		Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(60)}}}}
	if diff := cmp.Diff(want, pulumiResults(r)); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
}

// TestPulumiTooManyRules: the provider's schema allows 100 rules in an
// aws:s3:BucketCorsConfiguration; the 101st is where it is refused.
func TestPulumiTooManyRules(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("name: t\nruntime: yaml\nresources:\n  cors:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n      corsRules:\n")
	for i := range 101 {
		fmt.Fprintf(&b, "        - {allowedOrigins: [\"https://a%d.example\"], allowedMethods: [GET], maxAgeSeconds: 1}\n", i)
	}
	r, err := iac.Parse("m.yaml", []byte(b.String()), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := pulumiResults(r)
	want := []string{"109:11 out-of-range: the AWS provider refuses 101 corsRules: its schema allows no more than 100 cors_rule"}
	if len(got) != 1 || !cmp.Equal(got[0].Errors, want) || len(got[0].Rules) != 101 {
		t.Errorf("buckets %+v, want one of 101 rules with errors %q", got, want)
	}
}

// TestPulumiRefused: a file read as a Pulumi YAML program that is none
// is a KindError; resources that are not a mapping, a ParseError.
func TestPulumiRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, data, reason string }{
		{"runtime nodejs", "name: t\nruntime: nodejs\nresources: {}\n",
			`its runtime is "nodejs", not yaml: Pulumi runs the project's nodejs program and reads no resources from this file`},
		{"runtime mapping", "name: t\nruntime:\n  name: python\n  options: {virtualenv: venv}\nresources: {}\n",
			`its runtime is "python", not yaml: Pulumi runs the project's python program and reads no resources from this file`},
		{"no resources", "name: t\nruntime: yaml\n", "it has no resources member"},
		{"a list", "- a\n", "its top level is a list, not a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Pulumi})
			var ke *iac.KindError
			if !errors.As(err, &ke) || ke.Reason != tc.reason || ke.Kind != iac.Pulumi {
				t.Errorf("error %v, want a KindError: %s", err, tc.reason)
			}
		})
	}
	_, err := iac.Parse("m.yaml", []byte("name: t\nruntime: yaml\nresources: [a]\n"), iac.Options{})
	var pe *iac.ParseError
	if want := "m.yaml:3:12: Pulumi YAML's resources is a mapping of names to resources, not a list"; !errors.As(err, &pe) || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
