package iac

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
)

// Kind is the form of an infrastructure file.
type Kind int

const (
	// CloudFormation is an AWS CloudFormation template in YAML or JSON,
	// the output of "cdk synth" included.
	CloudFormation Kind = iota + 1
	// Terraform is Terraform's HCL: a .tf file or a directory of them,
	// OpenTofu's .tofu files included.
	Terraform
	// TerraformPlan is the JSON of "terraform show -json" for a plan, or
	// for a state.
	TerraformPlan
	// Serverless is a Serverless Framework service file (serverless.yml,
	// serverless.json), whose resources are CloudFormation.
	Serverless
	// Kubernetes is a file of Kubernetes manifests (YAML documents, or
	// JSON) whose S3 resources a controller applies: the AWS Controllers
	// for Kubernetes (ACK) or Crossplane.
	Kubernetes
	// Pulumi is a Pulumi YAML program (Pulumi.yaml with runtime: yaml),
	// whose resources Pulumi's AWS providers create.
	Pulumi
)

var kindNames = [...]string{CloudFormation: "cloudformation", Terraform: "terraform", TerraformPlan: "terraform-plan", Serverless: "serverless",
	Kubernetes: "kubernetes", Pulumi: "pulumi"}

// String returns "cloudformation", "terraform", "terraform-plan",
// "serverless", "kubernetes" or "pulumi".
func (k Kind) String() string {
	if k >= CloudFormation && k <= Pulumi {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the Kind that [Kind.String] names, ignoring case.
func ParseKind(s string) (Kind, error) {
	for k := CloudFormation; k <= Pulumi; k++ {
		if strings.EqualFold(s, kindNames[k]) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown kind %q (want cloudformation, terraform, terraform-plan, serverless, kubernetes or pulumi)", s)
}

// Field names a member of a rule, by its S3 name: the names lint's
// findings and S3's messages use.
type Field int

const (
	// FieldRule stands for the rule as a whole.
	FieldRule Field = iota
	FieldID
	FieldAllowedOrigin
	FieldAllowedMethod
	FieldAllowedHeader
	FieldExposeHeader
	FieldMaxAgeSeconds
)

var fieldNames = [...]string{FieldRule: "", FieldID: "ID", FieldAllowedOrigin: "AllowedOrigin",
	FieldAllowedMethod: "AllowedMethod", FieldAllowedHeader: "AllowedHeader", FieldExposeHeader: "ExposeHeader",
	FieldMaxAgeSeconds: "MaxAgeSeconds"}

// String returns S3's element name ("AllowedOrigin"), or "" for FieldRule.
func (f Field) String() string {
	if f >= FieldRule && f <= FieldMaxAgeSeconds {
		return fieldNames[f]
	}
	return fmt.Sprintf("Field(%d)", int(f))
}

func fieldByName(s string) Field {
	for f := FieldID; f <= FieldMaxAgeSeconds; f++ {
		if fieldNames[f] == s {
			return f
		}
	}
	return FieldRule
}

// Origin says where one value of a rule comes from.
type Origin struct {
	// Pos is where the value's text is written: in the rule itself, or
	// in the default of the parameter or variable it refers to.
	Pos Position
	// Ref is where the rule refers to the value when it is written
	// elsewhere (the !Ref, the var.origins); zero when written in place.
	Ref Position
	// Via names where the value was taken from when it is not written in
	// place, such as `the Default of parameter Origins`; "" otherwise.
	Via string
	// Sensitive marks a value Terraform marks sensitive (a plan's
	// after_sensitive): judged as it is, but shown as "(sensitive
	// value)", as Terraform shows it.
	Sensitive bool
}

// RuleOrigins holds where each value of one rule is written, member by
// member, index by index, as [corsrule.Rule] holds them.
type RuleOrigins struct {
	// Pos is where the rule starts: its CorsRule mapping, its cors_rule
	// block, its JSON object in a plan.
	Pos            Position
	ID             Origin
	AllowedOrigins []Origin
	AllowedMethods []Origin
	AllowedHeaders []Origin
	ExposeHeaders  []Origin
	MaxAgeSeconds  Origin
	// Members holds where each member is written, by Field, for problems
	// about a member as a whole.
	Members map[Field]Position
}

// At returns where value i of field f is written, falling back to the
// member, then to the rule.
func (o *RuleOrigins) At(f Field, i int) Position {
	if p := o.origin(f, i).Pos; p.IsValid() {
		return p
	}
	if p, ok := o.Members[f]; ok && p.IsValid() {
		return p
	}
	return o.Pos
}

// origin returns the Origin of value i of field f (i is ignored for the
// ID and MaxAgeSeconds), or the zero Origin.
func (o *RuleOrigins) origin(f Field, i int) Origin {
	var list []Origin
	switch f {
	case FieldID:
		return o.ID
	case FieldMaxAgeSeconds:
		return o.MaxAgeSeconds
	case FieldAllowedOrigin:
		list = o.AllowedOrigins
	case FieldAllowedMethod:
		list = o.AllowedMethods
	case FieldAllowedHeader:
		list = o.AllowedHeaders
	case FieldExposeHeader:
		list = o.ExposeHeaders
	}
	if i >= 0 && i < len(list) {
		return list[i]
	}
	return Origin{}
}

// Bucket is one bucket CORS configuration found in an infrastructure file:
// the rules CloudFormation or Terraform would send to S3's PutBucketCors,
// and where each value is written.
type Bucket struct {
	// Resource names the resource as its tool does: "MyBucket" for a
	// template's logical ID ("Parent/MyBucket" inside a nested stack),
	// "aws_s3_bucket_cors_configuration.uploads", with its module path
	// ("module.site.aws_s3_bucket_cors_configuration.this") and its key
	// (`aws_s3_bucket_cors_configuration.this["a"]`).
	Resource string
	// Type is the resource type: "AWS::S3::Bucket",
	// "aws_s3_bucket_cors_configuration" or "aws_s3_bucket".
	Type string
	// Pos is where the resource is declared.
	Pos Position
	// Path is the CDK construct path (aws:cdk:path) of a CDK resource, or
	// "".
	Path string
	// TerraformBucket is the bucket argument of an
	// aws_s3_bucket_cors_configuration read from Terraform files, in
	// HCL's native syntax as written ("aws_s3_bucket.uploads.id",
	// `"${var.prefix}-uploads"`), an interpolation alone unwrapped as
	// terraform fmt unwraps it, for a resource written in its place; ""
	// for other resources, and for one whose argument cannot be written
	// so (missing, or in the JSON syntax other than a reference). Read
	// from a plan, it is the argument as the plan's configuration records
	// it (a constant, a lone reference), or else the bucket's name the
	// plan resolves, quoted, with TerraformBucketNote.
	TerraformBucket string
	// TerraformBucketNote says why TerraformBucket is not the bucket
	// argument as written: for an aws_s3_bucket_cors_configuration read
	// from a plan that does not record it ("the plan records only its
	// references: var.prefix"), or whose argument refers to each or
	// count, which a resource written in its place does not have (then
	// TerraformBucket is the bucket's name, quoted, or "" when not
	// known); "" otherwise.
	TerraformBucketNote string
	// Rules are the rules as S3 would receive them, values that could
	// not be judged left out.
	Rules []corsrule.Rule
	// Origins[i] says where each value of Rules[i] is written.
	Origins []RuleOrigins
	// RulesPos is where the list of rules is written (CorsRules, the
	// first cors_rule block).
	RulesPos Position
	// secrets are the values of the Terraform variables declared
	// sensitive, which no message about the bucket shows.
	secrets []string
	// RulesSet names the rules when they are a set, which S3 receives in
	// an order not known (the AWS provider sends a set in an order of
	// its own, by hash): "cors_rule" for aws_s3_bucket_cors_configuration,
	// "corsRule" for Crossplane's BucketCorsConfiguration; "" for rules
	// sent as written (a template's CorsRules, the inline cors_rule of
	// aws_s3_bucket, ACK's corsRules).
	RulesSet string
	// Unjudged lists the values that could not be judged: not literal,
	// and without a default.
	Unjudged []Unjudged
	// Notes say how values were read: defaults used, conditions
	// decided, what the tool changes on the way to S3.
	Notes []Note
	// Errors are mistakes the tool itself refuses before S3 sees the
	// configuration (an unknown property, a list where a string belongs).
	Errors []TemplateError

	// unknownCount is set when the number of rules is not known (a
	// dynamic block or a rule list that is not literal).
	unknownCount bool
	// targets name the bucket whose CORS a Terraform resource sets, as
	// far as known: the aws_s3_bucket's address, "name:" and the bucket's
	// name (see loader.noteSameBucket).
	targets []string
	// unknown[i] marks the members of rule i that hold values that were
	// not judged.
	unknown []fieldSet
	// schema holds S3 schema errors found while reading values, by
	// 0-based rule.
	schema map[int][]schemaProblem
}

// Unjudged is a value, a member or a list of rules that could not be
// judged because it is not literal and has no default.
type Unjudged struct {
	Pos   Position
	Rule  int   // 1-based; 0 for the list of rules
	Field Field // FieldRule for a whole rule or the list of rules
	// Expr is the expression as written, shortened, such as "!Ref Origins"
	// or "var.origins".
	Expr string
	// Why says why it could not be judged.
	Why string
}

// Note says how a value was read: a default used, a condition decided, a
// change the tool makes on the way to S3.
type Note struct {
	Pos  Position
	Rule int // 1-based; 0 when about the bucket or the file
	Text string
	// EveryBucket marks a note of [Result.Notes] that concerns every
	// bucket read, wherever it is located: a variable's value the
	// module does not take, which leaves the variable at its default.
	EveryBucket bool
}

// TemplateError is a mistake that CloudFormation or Terraform refuses
// before the configuration reaches S3.
type TemplateError struct {
	Pos   Position
	Rule  int // 1-based; 0 when about the bucket
	Field Field
	// Code is a stable identifier: "unknown-member", "wrong-type",
	// "duplicate-member", "not-integer", "missing-member", "not-unique",
	// "out-of-range", "not-allowed".
	Code string
	// Message says what the tool refuses.
	Message string
	// Hint says what to write instead, or "".
	Hint string
}

// Stable TemplateError codes.
const (
	CodeUnknownMember   = "unknown-member"
	CodeWrongType       = "wrong-type"
	CodeDuplicateMember = "duplicate-member"
	CodeNotInteger      = "not-integer"
	CodeMissingMember   = "missing-member"
	CodeNotUnique       = "not-unique"
	CodeOutOfRange      = "out-of-range"
	CodeNotAllowed      = "not-allowed"
)

// Result is what reading an infrastructure file or directory found.
type Result struct {
	Kind Kind
	// Files are the files read, in order: a nested stack's template, a
	// module's files, terraform.tfvars and what Terraform's file function
	// reads among them.
	Files []string
	// Buckets are the CORS configurations found, in the order of the
	// files.
	Buckets []*Bucket
	// Notes are about the files rather than one bucket: a nested stack
	// or a module that was not followed.
	Notes []Note
}

// Bucket returns the bucket named resource. It also accepts the name
// without its module path, or a logical ID without its nested stack path,
// and a Terraform address without the instance key of a resource with
// count or for_each ("legacy" for aws_s3_bucket.legacy[0]), when that
// names one bucket only; naming several instances, it lists them, to be
// named with their key.
func (r *Result) Bucket(resource string) (*Bucket, error) {
	var found []*Bucket
	keyed := strings.HasSuffix(resource, "]")
	for _, b := range r.Buckets {
		if b.Resource == resource {
			return b, nil
		}
		names := []string{b.Resource}
		if unkeyed := withoutInstanceKey(b.Resource); !keyed && unkeyed != b.Resource {
			names = append(names, unkeyed)
		}
		for _, name := range names {
			if name == resource || strings.HasSuffix(name, "."+resource) || strings.HasSuffix(name, "/"+resource) {
				found = append(found, b)
				break
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no bucket CORS configuration named %q (there are: %s)", resource, r.names())
	}
	names := make([]string, len(found))
	instances := true
	for i, b := range found {
		names[i] = b.Resource
		instances = instances && withoutInstanceKey(b.Resource) == withoutInstanceKey(found[0].Resource) && b.Resource != withoutInstanceKey(b.Resource)
	}
	if instances {
		return nil, fmt.Errorf("%q names %d instances of %s: name one, with its key: %s", resource, len(found),
			withoutInstanceKey(found[0].Resource), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%q names several resources: %s", resource, strings.Join(names, ", "))
}

// withoutInstanceKey returns the Terraform address addr without the
// instance key of its last part ("aws_s3_bucket.legacy" for
// "aws_s3_bucket.legacy[0]", and for `aws_s3_bucket.legacy["a"]`), or
// addr when it has none.
func withoutInstanceKey(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return addr
	}
	if strings.HasSuffix(addr, `"]`) {
		for i := strings.LastIndex(addr, `["`); i > 0; i = strings.LastIndex(addr[:i], `["`) {
			if _, err := strconv.Unquote(addr[i+1 : len(addr)-1]); err == nil {
				return addr[:i]
			}
		}
		return addr
	}
	i := strings.LastIndexByte(addr, '[')
	if i <= 0 {
		return addr
	}
	if _, err := strconv.Atoi(addr[i+1 : len(addr)-1]); err != nil {
		return addr
	}
	return addr[:i]
}

func (r *Result) names() string {
	if len(r.Buckets) == 0 {
		return "none"
	}
	names := make([]string, len(r.Buckets))
	for i, b := range r.Buckets {
		names[i] = b.Resource
	}
	return strings.Join(names, ", ")
}

// fieldSet is a set of Fields.
type fieldSet uint16

func (s fieldSet) has(f Field) bool { return s&(1<<f) != 0 }
func (s *fieldSet) add(f Field)     { *s |= 1 << f }
