package iac_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// fuzzParse reads data as kind and judges every bucket: whatever the
// input, no panic, and an error or a result.
//
// The fuzzing engine minimizes every input that finds new coverage, and
// its minimizer tries removing each span of bytes: quadratic in the
// input's length, at 50 to 200 µs a run here (YAML and HCL parsing). From
// the golden corpus's templates of a few kilobytes, one minimization
// outlasted a whole 15 to 40 s pass, which ran 7 to 47 inputs; even from
// a 500-byte seed, one takes 10 s. So the seeds are small, and .ci/run
// bounds minimization (-fuzzminimizetime 1000x): 150,000 to 240,000 runs
// in 10 s per target. The golden corpus is judged by TestGolden.
func fuzzParse(f *testing.F, kind iac.Kind, seeds ...string) {
	for _, s := range seeds {
		r, err := iac.Parse("seed", []byte(s), iac.Options{Kind: kind})
		if err != nil || len(r.Buckets) == 0 {
			f.Fatalf("seed %q: %v, %d buckets; a seed should reach the rules", s, err, len(r.Buckets))
		}
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := iac.Parse("fuzz", data, iac.Options{Kind: kind})
		if err != nil {
			if r != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		for _, b := range r.Buckets {
			v := iac.Judge(b)
			for _, p := range v.Problems {
				if p.Err == nil || p.Err.Rule > len(b.Rules) {
					t.Fatalf("problem %+v for %d rules", p, len(b.Rules))
				}
			}
		}
		for _, b := range r.Buckets {
			iac.AppendTerraform(nil, "x", "y", b.Rules)
			iac.AppendCloudFormationYAML(nil, "X", b.Rules)
		}
	})
}

func FuzzCloudFormation(f *testing.F) {
	fuzzParse(f, iac.CloudFormation, `Parameters:
  O: {Type: String, Default: "https://a.example/"}
Conditions:
  C: !Equals [a, a]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - &r
            Id: x
            AllowedOrigins: [!Ref O, !Sub "https://${AWS::Region}.example"]
            AllowedMethods: [GET, !If [C, PUT, !Ref "AWS::NoValue"]]
            MaxAge: 600
          - *r
`, `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [
  {"AllowedOrigins": [{"Fn::Join": ["", ["https://", "a.example"]]}], "AllowedMethods": ["GET"], "ExposedHeaders": ["ETag"]}]}}}}}`)
}

func FuzzTerraform(f *testing.F) {
	fuzzParse(f, iac.Terraform, `variable "o" { default = ["https://a.example"] }
locals { m = ["GET", "PUT"] }
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  dynamic "cors_rule" {
    for_each = var.o
    content {
      allowed_origins = [cors_rule.value]
      allowed_methods = local.m
      max_age_seconds = 3000
    }
  }
  cors_rule {
    allowed_origins = ["*"]
    allowed_methods = var.o == [] ? ["GET"] : ["HEAD"]
  }
}
`, `variable "j" { default = "[{\"o\": [\"https://a\"], \"a\": \"60\"}]" }
locals { r = try(jsondecode(var.j), var.j) }
resource "aws_s3_bucket_cors_configuration" "c" {
  count  = length(local.r) > 0 ? 1 : 0
  bucket = "b"
  dynamic "cors_rule" {
    for_each = local.r
    content {
      allowed_origins = cors_rule.value.o
      allowed_methods = [coalesce(try(cors_rule.value.m, null), "GET")]
      max_age_seconds = can(cors_rule.value.a) ? tonumber(cors_rule.value.a) : null
    }
  }
}
`, `{"//": "Terraform's JSON syntax", "variable": {"o": {"type": "list(string)", "default": ["https://a.example"]}},
 "resource": {"aws_s3_bucket_cors_configuration": {"c": {"bucket": "b", "dynamic": {"cors_rule": {"for_each": "${var.o}",
  "iterator": "r", "content": {"allowed_origins": ["${r.value}"], "allowed_methods": ["GET"]}}},
  "cors_rule": [{"allowed_origins": ["https://${\"x\"}.example"], "allowed_methods": ["PUT"], "max_age_seconds": 60}]}}}}`,
		`variable "a" { default = { b = "https://b", a = "https://a" } }
resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_origins = sort(setunion(values(var.a), reverse(keys(var.a)), [1, true]))
    allowed_methods = contains(["x"], element(slice(keys(var.a), 0, 1), 3)) ? ["GET"] : coalescelist([], ["PUT"])
    allowed_headers = [join("-", [replace("a.b", ".", "-")]), startswith("a", "a") ? "x" : "y", replace("a1", "/([0-9])/", "$1$1"), regex("(?P<h>[a-z]+)", "ab1").h]
    expose_headers  = regexall("[a-z]", "a-b")
  }
}
`)
}

func FuzzPlan(f *testing.F) {
	fuzzParse(f, iac.TerraformPlan, `{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket_cors_configuration.c",
  "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": "c", "change": {"actions": ["create"],
  "after": {"cors_rule": [{"allowed_origins": ["https://a.example/"], "allowed_methods": ["GET"], "allowed_headers": [],
    "expose_headers": [], "max_age_seconds": null, "id": null}]},
  "after_unknown": {"cors_rule": [{"allowed_headers": true}]}}}]}`)
}

func FuzzServerless(f *testing.F) {
	fuzzParse(f, iac.Serverless, `service: s
provider: aws
custom: {o: ["https://a.example"], d: example.com}
resources:
  - Resources:
      B:
        Type: AWS::S3::Bucket
        Properties:
          CorsConfiguration:
            CorsRules:
              - AllowedOrigins: ${self:custom.o}
                AllowedMethods: [GET, "${opt:m, 'PUT'}"]
                MaxAge: ${self:custom.x, 60}
              - {AllowedOrigins: ["https://${self:custom.d}"], AllowedMethods: [HEAD], ExposedHeaders: null}
  - extensions: {B: {Properties: {BucketName: b}}}
`, `service: s
provider:
  s3: {photos: {name: p, corsConfiguration: {CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [PUT]}]}}}
functions:
  f: {events: [{s3: photos}, {s3: {bucket: "${self:custom.b}", existing: false}}]}
custom: {b: other}
resources:
  extensions: {S3BucketOther: {Properties: {CorsConfiguration: {CorsRules: [{AllowedOrigins: ["*"], AllowedMethods: [GET]}]}}}}
`)
}

func FuzzKubernetes(f *testing.F) {
	fuzzParse(f, iac.Kubernetes, `apiVersion: s3.services.k8s.aws/v1alpha1
kind: Bucket
metadata: {name: b, namespace: n}
spec:
  cors:
    corsRules:
      - {allowedOrigins: ["https://a.example/"], allowedMethods: [GET, put], maxAgeSeconds: 60, id: x}
---
apiVersion: s3.aws.upbound.io/v1beta1
kind: BucketCorsConfiguration
metadata: {name: c}
spec:
  forProvider:
    corsRule:
      - {allowedOrigins: ["*", "*", ""], allowedMethods: [GET], maxAgeSeconds: 3000000000}
      - {allowedOrigins: ["*"], allowedMethods: [GET]}
`, `{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "s3.aws.m.upbound.io/v1beta1", "kind": "BucketCorsConfiguration",
  "spec": {"initProvider": {"corsRule": [{"allowedOrigins": ["*"], "allowedMethods": ["GET"], "exposeHeaders": [1]}]}}}]}`)
}

func FuzzPulumi(f *testing.F) {
	fuzzParse(f, iac.Pulumi, `name: p
runtime: yaml
config:
  origins: {type: array, default: ["https://a.example/", 5]}
  d: {default: example.com}
resources:
  c:
    type: aws:s3:BucketCorsConfiguration
    properties:
      bucket: ${b.id}
      corsRules:
        - {allowedOrigins: "${origins}", allowedMethods: [GET, get], maxAgeSeconds: 3000000000, id: x}
        - {allowedOrigins: ["https://${d}", "$${d}", "${x.y}"], allowedMethods: {fn::split: ["GET,PUT", ","]}}
  b:
    type: aws:s3/bucketV2:BucketV2
    properties: {corsRules: [{allowedOrigins: ["*"], allowedMethods: [GET], id: 1}]}
  n:
    type: aws-native:s3:Bucket
    properties: {corsConfiguration: {corsRules: [{allowedOrigins: [a, a], allowedMethods: [PATCH], maxAge: "1"}]}}
`, `resources:
  c: {type: aws:s3:BucketCorsConfiguration, properties: {bucket: b, corsRules: [{allowedOrigins: ["${x}"], allowedMethods: [GET]}]}}
config: {x: [a]}
`, `name: p
variables:
  o: {a: ["https://a.example", "${p:x[0]}"], "k}": [1]}
  s: {fn::split: [",", {fn::join: [",", ["${o.a[1]}", "${o[\"k}\"][0]}"]]}]}
config: {x: ["https://x.example"]}
resources:
  c: {type: aws:s3:BucketCorsConfiguration, properties: {bucket: b, corsRules: [{allowedOrigins: "${s}", allowedMethods: [{fn::select: [0, "${o.a}"]}, {fn::secret: GET}, {fn::toJSON: [1e6]}]}]}}
`)
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"{\"Resources\": {}}", "resource \"a\" \"b\" {}", "<CORSConfiguration/>", "Resources:\n", "service: s\nprovider: aws\n",
		"apiVersion: v1\nkind: List\n", "runtime: yaml\nresources: {}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if k := iac.Detect(data); k != 0 && (k < iac.CloudFormation || k > iac.Pulumi) {
			t.Fatalf("Detect = %v", k)
		}
	})
}
