package iac_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/iac"
)

// laughs returns a YAML "billion laughs": ten levels of anchors, each
// listing the previous one nine times (9^10 leaves), under CorsRules.
func laughs(use string) string {
	var b strings.Builder
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n")
	b.WriteString("      a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 10; i++ {
		b.WriteString("      a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	b.WriteString("    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedMethods: [GET]\n            AllowedOrigins: " + use + "\n")
	return b.String()
}

// manifestLaughs returns a Kubernetes manifest, head followed by anchors
// of six levels in spec, each listing the previous one nine times (9^6
// leaves, more than the steps allowed), and then rules, which use them.
func manifestLaughs(head, rules string) string {
	var b strings.Builder
	b.WriteString(head + "spec:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 6; i++ {
		b.WriteString("  a" + itoa(i) + ": &a" + itoa(i) + " [" + strings.TrimSuffix(strings.Repeat("*a"+itoa(i-1)+", ", 9), ", ") + "]\n")
	}
	b.WriteString(rules)
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// pulumiLaughs returns a Pulumi YAML program whose variables are a
// "billion laughs", which use (allowedOrigins) refers to: an alias, a
// config value's default (${origins}) or a variable (${a10}).
func pulumiLaughs(use string) string {
	var b strings.Builder
	b.WriteString("name: t\nruntime: yaml\nvariables:\n")
	b.WriteString("  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 10; i++ {
		b.WriteString("  a" + itoa(i) + ": &a" + itoa(i) + " [" + strings.Repeat("*a"+itoa(i-1)+", ", 8) + "*a" + itoa(i-1) + "]\n")
	}
	b.WriteString("config:\n  origins:\n    default: *a10\nresources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n")
	b.WriteString("      corsRules:\n        - allowedMethods: [GET]\n          allowedOrigins: " + use + "\n")
	return b.String()
}

// pulumiVariableChain returns a Pulumi YAML program of n variables, each
// the interpolation of the next, the last last, which allowedOrigins
// refers to through the first.
func pulumiVariableChain(n int, last string) string {
	var b strings.Builder
	b.WriteString("name: t\nruntime: yaml\nvariables:\n")
	for i := range n {
		b.WriteString("  v" + itoa(i) + ": ${v" + itoa(i+1) + "}\n")
	}
	b.WriteString("  v" + itoa(n) + ": " + last + "\n")
	b.WriteString("resources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n")
	b.WriteString("      corsRules:\n        - allowedMethods: [GET]\n          allowedOrigins: ${v0}\n")
	return b.String()
}

// pulumiJoinDoubling returns a Pulumi YAML program whose variables each
// join the one before with itself, 40 times: a string of 2^40 bytes.
func pulumiJoinDoubling() string {
	var b strings.Builder
	b.WriteString("name: t\nruntime: yaml\nvariables:\n  d0: https://a.example\n")
	for i := 1; i <= 40; i++ {
		b.WriteString("  d" + itoa(i) + ": {fn::join: [\"\", [\"${d" + itoa(i-1) + "}\", \"${d" + itoa(i-1) + "}\"]]}\n")
	}
	b.WriteString("resources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n")
	b.WriteString("      corsRules:\n        - allowedMethods: [GET]\n          allowedOrigins: [\"${d40}\"]\n")
	return b.String()
}

// listParameterRefs returns a template of 400 KB whose CommaDelimitedList
// parameter holds 200,001 items, split again by each of 60 references.
func listParameterRefs() string {
	var b strings.Builder
	b.WriteString("Parameters:\n  P:\n    Type: CommaDelimitedList\n    Default: \"" + strings.Repeat(",", 200000) + "\"\n")
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n")
	for range 60 {
		b.WriteString("          - {AllowedOrigins: !Ref P, AllowedMethods: [GET]}\n")
	}
	return b.String()
}

// mergeProduct returns a template of under 1 MB that merges a mapping of
// 20,000 keys into 20,000 mappings: 400 million entries, if copied.
func mergeProduct() string {
	var b strings.Builder
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      base: &b {")
	for i := range 20000 {
		b.WriteString("k" + itoa(i) + ": 1, ")
	}
	b.WriteString("z: 1}\n      copies:\n")
	for range 20000 {
		b.WriteString("        - <<: *b\n")
	}
	return b.String()
}

// longFlowLine returns a template of under 1 MB whose Metadata is one
// flow mapping of 80,000 keys on one line that is not ASCII.
func longFlowLine() string {
	var b strings.Builder
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {")
	for i := range 80000 {
		b.WriteString("k" + itoa(i) + ": é, ")
	}
	b.WriteString("z: 1}\n")
	return b.String()
}

// planOfRules returns a plan whose one aws_s3_bucket_cors_configuration
// has n distinct rules.
func planOfRules(n int) string {
	var rules strings.Builder
	for i := range n {
		if i > 0 {
			rules.WriteString(",")
		}
		rules.WriteString(`{"allowed_origins":["https://o` + itoa(i) + `.example"],"allowed_methods":["GET"],"allowed_headers":[],"expose_headers":[],"max_age_seconds":0,"id":""}`)
	}
	return `{"format_version":"1.2","terraform_version":"1.9.0","resource_changes":[{"address":"aws_s3_bucket_cors_configuration.c",` +
		`"mode":"managed","type":"aws_s3_bucket_cors_configuration","name":"c","change":{"actions":["create"],` +
		`"after":{"bucket":"b","cors_rule":[` + rules.String() + `]},"after_unknown":{}}}]}`
}

// concatBomb returns a Terraform file of under 1 KB whose locals make a
// list of ten million elements: each the concat of ten of the one before.
func concatBomb() string {
	var b strings.Builder
	b.WriteString("locals {\n  a0 = [\"https://x.com\"]\n")
	for i := 1; i <= 7; i++ {
		b.WriteString("  a" + itoa(i) + " = concat(" + strings.TrimSuffix(strings.Repeat("local.a"+itoa(i-1)+", ", 10), ", ") + ")\n")
	}
	b.WriteString("}\nresource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"x\"\n  cors_rule {\n" +
		"    allowed_origins = local.a7\n    allowed_methods = [\"GET\"]\n  }\n}\n")
	return b.String()
}

// regexallBomb returns Terraform whose regexall finds a match of eleven
// groups at each byte of a string of most of a megabyte.
func regexallBomb() string {
	return "variable \"big\" { default = \"" + strings.Repeat("a", 900000) + "\" }\n" +
		"resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"x\"\n  cors_rule {\n" +
		"    allowed_origins = [length(regexall(\"((((((((((.))))))))))\", var.big)) > 0 ? \"*\" : \"x\"]\n" +
		"    allowed_methods = [\"GET\"]\n  }\n}\n"
}

// paddingBomb returns Terraform that pads each of 20,000 strings to
// 60,000 bytes with call, format or formatlist, and joins them: 1.2 GB
// of strings, each call within maxFormatPadding.
func paddingBomb(call string) string {
	return "locals {\n  items = split(\",\", \"" + strings.Repeat("a,", 19999) + "a\")\n}\n" +
		"resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"x\"\n  cors_rule {\n" +
		"    allowed_origins = [join(\"\", " + call + ")]\n    allowed_methods = [\"GET\"]\n  }\n}\n"
}

// hugeNumber returns Terraform whose cors_rule has the argument arg too.
func hugeNumber(arg string) string {
	return "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"x\"\n  cors_rule {\n" +
		"    allowed_origins = [\"*\"]\n    allowed_methods = [\"GET\"]\n    " + arg + "\n  }\n}\n"
}

// s3EventBuckets returns a Serverless Framework service whose function has
// n s3 events, each of its own bucket.
func s3EventBuckets(n int) string {
	var b strings.Builder
	b.WriteString("service: s\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h\n    events: [")
	for i := range n {
		b.WriteString("{s3: b" + itoa(i) + "}, ")
	}
	b.WriteString("]\n")
	return b.String()
}

// TestHostile feeds inputs built to exhaust time, memory or the stack, and
// checks that each gets a clear error, quickly.
func TestHostile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: ")
	f.Truncate(100 << 20) // 100 MB, the rest zero bytes
	f.Close()
	bigTF := filepath.Join(dir, "tf")
	os.Mkdir(bigTF, 0o755)
	os.WriteFile(filepath.Join(bigTF, "main.tf"), []byte("locals {\n  a = \""+strings.Repeat("x", iac.MaxHCLSize)+"\"\n}\n"), 0o644)
	// A nested stack of almost 1 MB named in an Fn::ForEach loop over 64
	// values: read 64 times, 64 MB, where each MB of a template of many
	// resources takes a tenth of a second (a list of 10,000 values, a
	// few lines more, took over 20 minutes). The nested template is a
	// comment here, which reads fast.
	os.WriteFile(filepath.Join(dir, "nested.yaml"), []byte("# "+strings.Repeat("x", iac.MaxTemplateSize-100)+"\nResources: {}\n"), 0o644)
	values := make([]string, 64)
	for i := range values {
		values[i] = "V" + strconv.Itoa(i)
	}
	loop := filepath.Join(dir, "loop.yaml")
	os.WriteFile(loop, []byte("Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Stacks:\n    - Name\n    - ["+
		strings.Join(values, ", ")+"]\n    - Stack${Name}:\n        Type: AWS::CloudFormation::Stack\n"+
		"        Properties:\n          TemplateURL: nested.yaml\n"), 0o644)

	// A module called 1,000 times whose resource has 1,000 instances,
	// none with anything to evaluate: a million buckets from 150 bytes
	// (27 s and 1.4 GB), a thousand million a level deeper. Each
	// instance costs a step.
	product := filepath.Join(dir, "product")
	os.MkdirAll(filepath.Join(product, "m"), 0o755)
	os.WriteFile(filepath.Join(product, "main.tf"), []byte("module \"m\" {\n  source = \"./m\"\n  count  = 1000\n}\n"), 0o644)
	os.WriteFile(filepath.Join(product, "m", "main.tf"), []byte("resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  count = 1000\n  bucket = \"b\"\n"+
		"}\n"), 0o644)

	// A list a parent stack passes to its nested stack, referred to by
	// each rule there: copied for each reference, 100,000 values by 100
	// references took 61 s and 8.8 GB.
	passed := filepath.Join(dir, "passed")
	os.Mkdir(passed, 0o755)
	os.WriteFile(filepath.Join(passed, "parent.yaml"), []byte("Parameters:\n  Big:\n    Type: CommaDelimitedList\n    Default: \""+
		strings.Repeat("o,", 20000)+"o\"\nResources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"+
		"      TemplateURL: child.yaml\n      Parameters:\n        P: !Ref Big\n"), 0o644)
	os.WriteFile(filepath.Join(passed, "child.yaml"), []byte("Parameters:\n  P:\n    Type: CommaDelimitedList\nResources:\n  B:\n"+
		"    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n"+
		strings.Repeat("          - {AllowedOrigins: !Ref P, AllowedMethods: [GET]}\n", 30)), 0o644)

	// Override files whose blocks all override one block: the first
	// adds an argument each time, 20,000 times, and each merge copied
	// the arguments before it (11 s for 0.9 MB); the second overrides
	// the last of 60,000 resources 60,000 times, each looked up past
	// the others (over 30 s for 4 MB).
	overGrow := filepath.Join(dir, "override-grow")
	os.Mkdir(overGrow, 0o755)
	os.WriteFile(filepath.Join(overGrow, "main.tf"), []byte("resource \"aws_s3_bucket\" \"b\" {\n  cors_rule {\n"+
		"    allowed_methods = [\"GET\"]\n    allowed_origins = [\"*\"]\n  }\n}\n"), 0o644)
	var grow strings.Builder
	for i := range 20000 {
		grow.WriteString("resource \"aws_s3_bucket\" \"b\" {\n  a" + itoa(i) + " = 1\n}\n")
	}
	os.WriteFile(filepath.Join(overGrow, "override.tf"), []byte(grow.String()), 0o644)
	overFind := filepath.Join(dir, "override-find")
	os.Mkdir(overFind, 0o755)
	var resources strings.Builder
	for i := range 60000 {
		resources.WriteString("resource \"aws_s3_bucket\" \"b" + itoa(i) + "\" {\n}\n")
	}
	resources.WriteString("resource \"aws_s3_bucket\" \"z\" {\n  cors_rule {\n    allowed_methods = [\"GET\"]\n    allowed_origins = [\"*\"]\n  }\n}\n")
	os.WriteFile(filepath.Join(overFind, "main.tf"), []byte(resources.String()), 0o644)
	os.WriteFile(filepath.Join(overFind, "override.tf"), []byte(strings.Repeat("resource \"aws_s3_bucket\" \"z\" {\n}\n", 60000)), 0o644)

	for _, tc := range []struct {
		name, path string
		kind       iac.Kind
		data       string
		want       string // in the error
	}{
		{name: "yaml-billion-laughs", data: laughs("*a10"), want: "262144 steps"},
		{name: "yaml-billion-laughs-join", data: laughs("[!Join [\"\", *a10]]"), want: "262144 steps"},
		// Each alias was copied: 45 s and 2 GB for six levels, ten
		// never ended.
		{name: "k8s-ack-billion-laughs", kind: iac.Kubernetes, want: "262144 steps",
			data: manifestLaughs("apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\n",
				"  name: b\n  cors:\n    corsRules:\n      - {allowedOrigins: *a6, allowedMethods: [GET]}\n")},
		{name: "k8s-crossplane-billion-laughs", kind: iac.Kubernetes, want: "262144 steps",
			data: manifestLaughs("apiVersion: s3.aws.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata: {name: b}\n",
				"  forProvider:\n    region: r\n    corsRule:\n      - {allowedOrigins: *a6, allowedMethods: [GET]}\n")},
		{name: "pulumi-billion-laughs", kind: iac.Pulumi, data: pulumiLaughs("*a10"), want: "262144 steps"},
		{name: "pulumi-billion-laughs-config", kind: iac.Pulumi, data: pulumiLaughs("${origins}"), want: "262144 steps"},
		{name: "pulumi-billion-laughs-variable", kind: iac.Pulumi, data: pulumiLaughs("${a10}"), want: "262144 steps"},
		{name: "pulumi-billion-laughs-tojson", kind: iac.Pulumi, data: pulumiLaughs("[{fn::toJSON: \"${a10}\"}]"), want: "262144 steps"},
		{name: "pulumi-billion-laughs-select", kind: iac.Pulumi, data: pulumiLaughs("[{fn::select: [0, \"${a10}\"]}]"), want: "262144 steps"},
		// Each variable is evaluated once for a bucket: the doubling
		// ends at the bound on a string's length.
		{name: "pulumi-join-doubling", kind: iac.Pulumi, data: pulumiJoinDoubling(), want: "longer than 1048576 bytes"},
		{name: "pulumi-variable-chain", kind: iac.Pulumi, data: pulumiVariableChain(50000, `["https://a.example"]`), want: ""},
		// Each variable's reason for not being known names the next:
		// cut short, or the reasons come to n² bytes.
		{name: "pulumi-variable-chain-unknown", kind: iac.Pulumi, data: pulumiVariableChain(50000, "${nope}"), want: ""},
		{name: "pulumi-variable-cycle", kind: iac.Pulumi, data: "name: t\nruntime: yaml\nvariables:\n  a: ${b}\n  b: [\"${c}\"]\n  c: {fn::select: [0, \"${a}\"]}\n" +
			"resources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n    properties:\n      bucket: b\n" +
			"      corsRules:\n        - allowedMethods: [GET]\n          allowedOrigins: ${a}\n", want: ""},
		{name: "yaml-deep-flow", data: "Resources: " + strings.Repeat("[", 100000), want: "depth"},
		{name: "yaml-deep-converted", data: "Resources: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000), want: "nested more than 512"},
		{name: "yaml-alias-cycle", data: "Resources: &r\n  B: *r\n", want: ""},
		{name: "json-deep", data: `{"Resources": ` + strings.Repeat("[", 1000000), want: "nested more than 512"},
		{name: "json-truncated", data: `{"Resources": {"B": {"Type": "AWS::S3::Bucket"`, want: "unexpected end"},
		{name: "template-100MB", path: big, want: "larger than 1048576 bytes"},
		{name: "hcl-invalid", kind: iac.Terraform, data: "resource \"aws_s3_bucket_cors_configuration\" \"x\" {\n  cors_rule {\n    allowed_origins = [\"a\"\n  }\n}\n", want: "t.tf:4:"},
		{name: "hcl-deep-brackets", kind: iac.Terraform, data: "locals {\n  a = " + strings.Repeat("[", 1000000) + "\n}\n", want: "nests expressions deeper"},
		{name: "hcl-deep-interpolation", kind: iac.Terraform, data: "locals {\n  a = " + strings.Repeat("\"${", 100000) + "\n}\n", want: "nests expressions deeper"},
		{name: "hcl-unary", kind: iac.Terraform, data: "locals {\n  a = " + strings.Repeat("!", 200000) + "true\n}\n", want: "nests expressions deeper"},
		{name: "hcl-too-large", path: bigTF, want: "larger than"},
		{name: "cfn-nested-read-again", path: loop, want: "loop.yaml:9:24: the templates of the nested stacks read for this input come to more than 33554432 bytes"},
		{name: "hcl-instances-product", path: product, want: "262144 steps"},
		{name: "hcl-override-grow", path: overGrow, want: "262144 steps"},
		{name: "hcl-override-find", path: overFind, want: ""},
		{name: "hcl-concat-doubling", kind: iac.Terraform, data: concatBomb(), want: "262144 steps"},
		// regexall's matches of a long string, each a list of its
		// groups: 19 s and 4.8 GB for these.
		{name: "hcl-regexall-matches", kind: iac.Terraform, data: regexallBomb(), want: "262144 steps"},
		// Padding within the bound of each call, 20,000 times: 6.3 s
		// and 2.7 s of CPU, 5 GB allocated each, for these.
		{name: "hcl-formatlist-padding", kind: iac.Terraform, data: paddingBomb(`formatlist("%60000s", local.items)`), want: "more than 33554432 bytes"},
		{name: "hcl-format-padding", kind: iac.Terraform, data: paddingBomb(`[for s in local.items : format("%60000s", s)]`), want: "262144 steps"},
		// Judged in bounded time: a number's every digit was written
		// out (1e10000000 as ten million), minutes for each.
		{name: "hcl-huge-number-literal", kind: iac.Terraform, data: hugeNumber("max_age_seconds = 1e10000000"), want: ""},
		{name: "hcl-huge-number-tonumber", kind: iac.Terraform, data: hugeNumber(`max_age_seconds = tonumber("-1e10000000")`), want: ""},
		{name: "hcl-huge-number-jsondecode", kind: iac.Terraform, data: hugeNumber(`allowed_headers = ["a${jsondecode("1e10000000")}"]`), want: ""},
		// A broken YAML string decoded again and again: it is read,
		// and read a few dozen times more to find where the problem
		// is, once (7.7 s for these, and 10.8 s when it was looked
		// for each time).
		{name: "hcl-yamldecode-broken", kind: iac.Terraform, data: "locals {\n  s = \"k: [${replace(format(\"%20000s\", \"\"), \" \", \"a, \")}\\n: : bad\\n\"\n" +
			"  d = [for c in split(\" \", format(\"%1000s\", \"\")) : try(yamldecode(local.s), \"x\")]\n}\n" + hugeNumber("allowed_headers = local.d"),
			want: "262144 steps"},
		{name: "hcl-huge-number-variable", kind: iac.Terraform, data: "variable \"n\" {\n  type    = number\n  default = \"1e10000000\"\n}\n" +
			hugeNumber(`allowed_headers = ["a${var.n}"]`), want: ""},
		// Read in bounded time: each s3 event's bucket was looked up
		// among those before it, 34 s for these.
		{name: "serverless-s3-event-buckets", kind: iac.Serverless, data: s3EventBuckets(70000), want: ""},
		{name: "cfn-list-parameter-refs", data: listParameterRefs(), want: "262144 steps"},
		{name: "cfn-passed-list-refs", path: filepath.Join(passed, "parent.yaml"), want: "262144 steps"},
		// Judged in bounded time: each rule of a set was compared with
		// every one before it, 11 s for these.
		{name: "plan-8000-rules", kind: iac.TerraformPlan, data: planOfRules(8000), want: ""},
		{name: "yaml-merge-product", data: mergeProduct(), want: "merge keys (<<) copy more than 262144 entries"},
		// Read, in bounded time: each node's column was walked from its
		// line's start, which took minutes on one long line.
		{name: "yaml-long-flow-line", data: longFlowLine(), want: ""},
		// The same after a line break of YAML's own (LS), where
		// lines are counted otherwise.
		{name: "yaml-long-flow-line-ls", data: "Description: \"\u2028\"\n" + longFlowLine(), want: ""},
		{name: "plan-deep", kind: iac.TerraformPlan, data: `{"format_version": "1.2", "resource_changes": [` + strings.Repeat("[", 100000), want: "nested more than 512"},
	} {
		// The cases run one after another: each is timed against its
		// limit, and what it allocates is logged (the other tests of the
		// package, run in parallel, allocate too).
		t.Run(tc.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			var r *iac.Result
			spent, what := timeSpent(t, func() {
				if tc.path != "" {
					r, err = iac.Load(tc.path, iac.Options{})
					return
				}
				r, err = iac.Parse("t.tf", []byte(tc.data), iac.Options{Kind: tc.kind})
				if err == nil {
					for _, b := range r.Buckets {
						iac.Judge(b)
					}
				}
			})
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			t.Logf("%v of %s, %d MiB allocated: %v", spent, what, (after.TotalAlloc-before.TotalAlloc)>>20, err)
			// The bound tells reading in bounded time from minutes of
			// it. It is on CPU time, which a loaded machine does not
			// lengthen much: the race detector makes cfn-nested-read-again's
			// 32 MiB of YAML take 18 s on 2 idle cores, and
			// hcl-override-find took 136 s of wall-clock time, over the
			// bound, on 2 cores shared with a load average of 23.
			limit := 10 * time.Second
			if raceEnabled {
				limit *= 12
			}
			if spent > limit {
				t.Errorf("took %v of %s, more than %v", spent, what, limit)
			}
			if tc.want == "" {
				if err == nil && r != nil {
					return // a cycle of aliases is refused or read, never looped on
				}
			}
			var pe *iac.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// joinAliases returns the audit's template, scaled: a string of size
// bytes behind an anchor, an Fn::Join of ten aliases of it behind
// another, and a rule listing n aliases of the join.
func joinAliases(size, n int) string {
	return "Metadata:\n  s: &S \"https://" + strings.Repeat("a", size) + "\"\n  l: &L [*S, *S, *S, *S, *S, *S, *S, *S, *S, *S]\n" +
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
		"          - AllowedMethods: [GET]\n            AllowedOrigins: [&J !Join [\"\", *L]]\n" +
		"          - AllowedMethods: [GET]\n            AllowedOrigins: [" + strings.TrimSuffix(strings.Repeat("*J, ", n), ", ") + "]\n"
}

// aliasedString returns a template whose rule lists n aliases of one
// string of size bytes.
func aliasedString(size, n int) string {
	return "Metadata:\n  s: &S \"https://" + strings.Repeat("a", size) + "\"\n" +
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
		"          - AllowedMethods: [GET]\n            AllowedOrigins: [" + strings.TrimSuffix(strings.Repeat("*S, ", n), ", ") + "]\n"
}

// forLongLocal returns Terraform whose rule's origins are a for
// expression of n iterations over origin, an expression of local.s, a
// string of size bytes.
func forLongLocal(size, n int, origin string) string {
	idx := make([]string, n)
	for i := range idx {
		idx[i] = itoa(i)
	}
	return "locals {\n  s   = \"https://" + strings.Repeat("a", size) + "\"\n  idx = [" + strings.Join(idx, ", ") + "]\n}\n" +
		"resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"x\"\n  cors_rule {\n" +
		"    allowed_methods = [\"GET\"]\n    allowed_origins = [for i in local.idx : " + origin + "]\n  }\n}\n"
}

// TestHostileBytes feeds inputs whose few values repeat or read long
// strings, each within the bounds on steps and on a string's length,
// and checks that each is refused before it takes much time or memory:
// a step was counted per value, not per byte, so these read or built
// gigabytes (audit13). It is not parallel: what it allocates is measured
// for the whole process, which other tests would add to.
func TestHostileBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind iac.Kind
		data string
		want string // in the error
		// maxMiB bounds what reading and judging allocate; each case
		// allocated several times as much before.
		maxMiB uint64
	}{
		// 100 joins of 1 MB (the audit's join100.yaml): 512 MB; 1,000
		// ran out of memory.
		{name: "cfn-join-aliases", data: joinAliases(100000, 100), want: "more than 33554432 bytes", maxMiB: 64},
		// 1,000 aliases of 100 KB in one rule: the rule's key for
		// CloudFormation's uniqueness check spelled them all (the
		// audit's 3,000 of 500 KB ran out of memory).
		{name: "cfn-aliases-of-a-long-string", data: aliasedString(100000, 1000), want: "262144 steps", maxMiB: 64},
		// 1,000 strings of 100 KB built by a template (the audit's
		// 3,000 of 900 KB ran out of memory).
		{name: "hcl-for-template", kind: iac.Terraform, data: forLongLocal(100000, 1000, `"${local.s}${i}"`), want: "262144 steps", maxMiB: 100},
		// length of a 1 MB string, 200 times: 5.1 s, judged valid;
		// 20,000 fitted the steps (8 to 13 minutes).
		{name: "hcl-for-length", kind: iac.Terraform, data: forLongLocal(1000000, 200, `"https://${length(local.s)}.example"`), want: "262144 steps", maxMiB: 64},
		// replace of a 1 MB string, 200 times: 200 MB and 6.7 s.
		{name: "hcl-for-replace", kind: iac.Terraform, data: forLongLocal(1000000, 200, `"https://${length(replace(local.s, "a", "b"))}.example"`), want: "262144 steps", maxMiB: 64},
		// One search of 64 KB with a pattern of 10 KB: 4 s.
		{name: "hcl-regex-long-pattern", kind: iac.Terraform, data: forLongLocal(65536, 1, `"https://${length(regexall("`+strings.Repeat("a?", 5000)+`z", local.s))}.example"`), want: "262144 steps", maxMiB: 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var err error
			spent, what := timeSpent(t, func() {
				var r *iac.Result
				if r, err = iac.Parse("t.tf", []byte(tc.data), iac.Options{Kind: tc.kind}); err == nil {
					for _, b := range r.Buckets {
						iac.Judge(b)
					}
				}
			})
			runtime.ReadMemStats(&after)
			alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
			t.Logf("%v of %s, %d MiB allocated: %v", spent, what, alloc, err)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
			if alloc > tc.maxMiB {
				t.Errorf("allocated %d MiB, more than %d", alloc, tc.maxMiB)
			}
			// hcl-for-length takes most: 0.8 s, where it took 4.8 s.
			limit := 3 * time.Second
			if raceEnabled {
				limit *= 12
			}
			if spent > limit {
				t.Errorf("took %v of %s, more than %v", spent, what, limit)
			}
		})
	}
}
