package iac_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/iac"
)

// k8sResult is what a test compares of one bucket read from manifests.
type k8sResult struct {
	Resource, Type string
	Rules          []corsrule.Rule
	Errors         []string // "line:column code: message"
	Notes          []string // "line:column: text"
}

func k8sResults(r *iac.Result) []k8sResult {
	var out []k8sResult
	for _, b := range r.Buckets {
		res := k8sResult{Resource: b.Resource, Type: b.Type, Rules: b.Rules}
		for _, e := range b.Errors {
			res.Errors = append(res.Errors, posText(e.Pos)+" "+e.Code+": "+e.Message)
		}
		for _, n := range b.Notes {
			res.Notes = append(res.Notes, posText(n.Pos)+": "+n.Text)
		}
		out = append(out, res)
	}
	return out
}

func posText(p iac.Position) string {
	return strings.TrimPrefix(p.String(), p.File+":")
}

// TestKubernetes reads the resources of the two controllers that set a
// bucket's CORS from a cluster: ACK's Bucket (spec.cors.corsRules, a
// list sent as written) and the BucketCorsConfiguration of Crossplane's
// AWS provider (spec.forProvider.corsRule, which Terraform's AWS
// provider sends: a set, MaxAgeSeconds 0 when not set). Values are
// checked against the custom resources' schemas: Kubernetes converts
// nothing, so a number where a string belongs is refused.
func TestKubernetes(t *testing.T) {
	t.Parallel()
	const ack = "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata:\n  name: uploads\nspec:\n  name: media-uploads\n"
	const contrib = "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata:\n  name: old\nspec:\n  forProvider:\n    locationConstraint: eu-west-1\n"
	const xp = "apiVersion: s3.aws.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata:\n  name: assets\nspec:\n"
	for _, tc := range []struct {
		name, data string
		want       []k8sResult
	}{
		{"ack", ack + "  cors:\n    corsRules:\n      - allowedOrigins: [\"https://app.example\"]\n        allowedMethods: [GET, PUT]\n" +
			"        allowedHeaders: [\"*\"]\n        exposeHeaders: [ETag]\n        maxAgeSeconds: 3000\n        id: main\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{ID: "main", AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "PUT"},
					AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: ptr(3000)}}}}},
		// A list: duplicates and empty strings reach S3, which judges them.
		{"ack list", ack + "  cors:\n    corsRules:\n      - {allowedOrigins: [\"\", \"\"], allowedMethods: [GET]}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"", ""}, AllowedMethods: []string{"GET"}}}}}},
		// The controller (on aws-sdk-go-v2) converts the CRD's int64
		// with int32(v), unchecked.
		{"ack max age wraps", ack + "  cors:\n    corsRules:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 3000000000}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(-1294967296)}},
				Notes: []string{"9:71: ACK's controller converts maxAgeSeconds 3000000000 to a 32-bit integer: S3 receives -1294967296"}}}},
		{"ack without cors", ack, nil},
		{"ack cors null", ack + "  cors: null\n", nil},
		// The controller deletes the configuration when cors has no
		// corsRules (syncCORS: DeleteBucketCors), and puts an empty
		// list, which S3 refuses.
		{"ack no rules", ack + "  cors: {}\n", nil},
		{"ack rules null", ack + "  cors:\n    corsRules: null\n", nil},
		{"ack empty rules", ack + "  cors:\n    corsRules: []\n", []k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws"}}},
		{"ack namespace", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b, namespace: media}\nspec:\n  name: b\n  cors:\n    corsRules: []\n",
			[]k8sResult{{Resource: "media/Bucket/b", Type: "Bucket.s3.services.k8s.aws"}}},
		{"ack types", ack + "  cors:\n    corsRules:\n      - allowedOrigins: [8080, true]\n        allowedMethods: [GET]\n        id: 5\n        maxAgeSeconds: \"30\"\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedMethods: []string{"GET"}}},
				Errors: []string{
					"9:26 wrong-type: Kubernetes expects strings in allowedOrigins, not a number",
					"9:32 wrong-type: Kubernetes expects strings in allowedOrigins, not a boolean",
					"11:13 wrong-type: Kubernetes expects a string for id, not a number",
					"12:24 wrong-type: Kubernetes expects a whole number for maxAgeSeconds, not a string"}}}},
		// kubectl reads YAML with sigs.k8s.io/yaml, YAML 1.1 as go-yaml
		// v2 reads it: y, on, no are booleans, which the API server
		// refuses where a string belongs; 1:00 is a string, not 60
		// (YAMLToJSON of sigs.k8s.io/yaml 1.6.0: [y,on] is
		// [true,true], 1:00 is "1:00", 017 is 15).
		{"ack yaml 1.1", ack + "  cors:\n    corsRules:\n      - allowedOrigins: [y, on, \"on\", Off]\n        allowedMethods: [GET]\n        id: no\n" +
			"        maxAgeSeconds: 1:00\n      - {allowedOrigins: [\"*\"], allowedMethods: [PUT], maxAgeSeconds: 017}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"on"}, AllowedMethods: []string{"GET"}},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(15)}},
				Errors: []string{
					"9:26 wrong-type: Kubernetes expects strings in allowedOrigins, not a boolean",
					"9:29 wrong-type: Kubernetes expects strings in allowedOrigins, not a boolean",
					"9:39 wrong-type: Kubernetes expects strings in allowedOrigins, not a boolean",
					"11:13 wrong-type: Kubernetes expects a string for id, not a boolean",
					"12:24 wrong-type: Kubernetes expects a whole number for maxAgeSeconds, not a string"}}}},
		// go-yaml v2 resolves an integer with strconv.ParseInt(s, 0, 64)
		// once its underscores are gone: 0o17, 0X1F and 0B1_1 are
		// integers to kubectl (YAMLToJSON of sigs.k8s.io/yaml 1.6.0:
		// [15,31,3]), sent as such, where YAML 1.1's rules have strings.
		{"ack go-yaml v2 integers", ack + "  cors:\n    corsRules:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 0o17}\n" +
			"      - {allowedOrigins: [\"*\"], allowedMethods: [PUT], maxAgeSeconds: 0X1F}\n      - {allowedOrigins: [\"*\"], allowedMethods: [POST], maxAgeSeconds: 0B1_1}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(15)},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(31)},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"POST"}, MaxAgeSeconds: ptr(3)}}}}},
		{"ack unknown fields", ack + "  cors:\n    corsRule:\n      - allowedOrigin: [\"*\"]\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Errors: []string{"8:5 unknown-member: Kubernetes does not know the field \"corsRule\" of spec.cors (kubectl apply: \"unknown field\")"}}}},
		// A misspelt cors is a field the schema does not declare, which
		// kubectl apply refuses; it was passed over as no configuration.
		{"ack misspelt cors", ack + "  CORS:\n    corsRules: []\n  corsRules:\n    - {allowedOrigins: [\"*\"], allowedMethods: [GET]}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Errors: []string{
					"7:3 unknown-member: Kubernetes does not know the field \"CORS\" of spec (kubectl apply: \"unknown field\")",
					"9:3 unknown-member: Kubernetes does not know the field \"corsRules\" of spec (kubectl apply: \"unknown field\")"}}}},
		{"crossplane misspelt corsRule", xp + "  forProvider:\n    region: r\n    corsRules:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET]}\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Errors: []string{
					"8:5 unknown-member: Kubernetes does not know the field \"corsRules\" of spec.forProvider (kubectl apply: \"unknown field\")"}}}},
		{"ack unknown member", ack + "  cors:\n    corsRules:\n      - allowedOrigin: [\"*\"]\n        allowedMethods: [GET]\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules:  []corsrule.Rule{{AllowedMethods: []string{"GET"}}},
				Errors: []string{"9:24 unknown-member: Kubernetes does not know the member \"allowedOrigin\" of a CORS rule"}}}},
		{"crossplane", xp + "  forProvider:\n    region: us-east-1\n    corsRule:\n      - allowedOrigins: [\"https://a.example\", \"\"]\n" +
			"        allowedMethods: [GET]\n      - allowedOrigins: [\"https://a.example\"]\n        allowedMethods: [GET]\n        maxAgeSeconds: 3000000000\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(0)},
					{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(-1294967296)}},
				Notes: []string{
					"9:47: the AWS provider drops the empty string from allowedOrigins",
					"9:9: maxAgeSeconds is not set: the AWS provider sends MaxAgeSeconds 0, so browsers do not cache the preflight answer",
					"13:24: the AWS provider converts maxAgeSeconds 3000000000 to a 32-bit integer: S3 receives -1294967296",
					"9:7: corsRule is a set: the AWS provider sends the rules in an order of its own, not as written, " +
						"and S3 answers with the first rule that matches; findings about rule order assume the written order"}}}},
		// The provider's custom resources declare the lists sets
		// (x-kubernetes-list-type: set, upjet since 1.0): the API server
		// refuses a value listed twice, "" included. corsRule itself is
		// a plain list: a rule written twice reaches Terraform's set.
		{"crossplane duplicate value", xp + "  forProvider:\n    corsRule:\n      - allowedOrigins: [\"https://a.example\", \"https://a.example\"]\n" +
			"        allowedMethods: [GET, GET]\n        allowedHeaders: [\"\", \"\"]\n        maxAgeSeconds: 5\n    region: r\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Errors: []string{
					"8:47 not-unique: Kubernetes refuses allowedOrigins that list \"https://a.example\" twice: the custom resource declares it a set (kubectl apply: \"Duplicate value\")",
					"9:31 not-unique: Kubernetes refuses allowedMethods that list \"GET\" twice: the custom resource declares it a set (kubectl apply: \"Duplicate value\")",
					"10:30 not-unique: Kubernetes refuses allowedHeaders that list \"\" twice: the custom resource declares it a set (kubectl apply: \"Duplicate value\")"},
				Notes: []string{"10:26: the AWS provider drops the empty string from allowedHeaders"}}}},
		// ACK's lists are plain lists.
		{"ack duplicate value", ack + "  cors:\n    corsRules:\n      - {allowedOrigins: [\"*\", \"*\"], allowedMethods: [GET, GET]}\n",
			[]k8sResult{{Resource: "Bucket/uploads", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*", "*"}, AllowedMethods: []string{"GET", "GET"}}}}}},
		{"crossplane same rule", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n" +
			"      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n    region: r\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Notes: []string{"9:9: corsRule is a set: this rule is the same as rule 1, so S3 receives it once"}}}},
		{"crossplane init", "apiVersion: s3.aws.m.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata: {name: a, namespace: web}\nspec:\n" +
			"  forProvider: {region: r}\n  initProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n",
			[]k8sResult{{Resource: "web/BucketCorsConfiguration/a", Type: "BucketCorsConfiguration.s3.aws.m.upbound.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Notes: []string{"8:7: the rules are spec.initProvider's: Crossplane sets them when it creates the bucket's configuration and leaves them to others after"}}}},
		// Both: upjet merges initProvider into forProvider with mergo
		// (WithSliceDeepCopy, no overwrite) when it creates the
		// resource: rule by rule, by index.
		{"crossplane init and for", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n" +
			"    region: r\n  initProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [PUT], maxAgeSeconds: 9}\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Notes: []string{"12:7: spec.initProvider.corsRule is merged into spec.forProvider.corsRule when Crossplane creates the configuration, " +
					"rule by rule in order: a member that forProvider's rule lacks is taken from initProvider's rule of the same place, " +
					"and initProvider's rules beyond forProvider's count are dropped; the rules judged are forProvider's"}}}},
		{"crossplane without rules", xp + "  forProvider:\n    region: us-east-1\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Errors: []string{"6:3 missing-member: Kubernetes refuses a BucketCorsConfiguration without spec.forProvider.corsRule (\"spec.forProvider.corsRule is a required parameter\")"}}}},
		// maxAgeSeconds is "type: number" in the provider's custom
		// resources (a float64): the API server takes 1.5, which the
		// Terraform provider then refuses for its integer.
		{"crossplane fraction", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 1.5}\n    region: r\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}},
				Errors: []string{"8:71 not-integer: the Terraform AWS provider under Crossplane expects a whole number for maxAgeSeconds, not \"1.5\""}}}},
		// Observe-only: the validation rule asks for corsRule only when
		// managementPolicies has "*", Create or Update; Crossplane
		// then puts nothing.
		{"crossplane observe only", xp + "  managementPolicies: [Observe, Delete]\n  forProvider:\n    region: us-east-1\n" +
			"    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET]}\n", nil},
		{"crossplane update", xp + "  managementPolicies: [Observe, Update]\n  forProvider:\n    region: us-east-1\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Errors: []string{"6:3 missing-member: Kubernetes refuses a BucketCorsConfiguration without spec.forProvider.corsRule (\"spec.forProvider.corsRule is a required parameter\")"}}}},
		{"crossplane no methods", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], maxAgeSeconds: 5}\n    region: r\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, MaxAgeSeconds: ptr(5)}},
				Errors: []string{"8:9 missing-member: the Terraform AWS provider under Crossplane requires allowedMethods in a CORS rule"}}}},
		{"crossplane id", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5, id: " + strings.Repeat("é", 128) + "}\n    region: r\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules:  []corsrule.Rule{{ID: strings.Repeat("é", 128), AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Errors: []string{"8:78 out-of-range: the AWS provider refuses an id of 256 bytes: it expects the length of cors_rule's id to be in the range (0 - 255), in bytes, where S3 counts characters"}}}},
		// The custom resource's schema requires forProvider and its
		// region; the provider requires a rule, and Crossplane leaves
		// an empty list out.
		{"crossplane no forProvider", xp + "  initProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Errors: []string{"6:3 missing-member: Kubernetes refuses a BucketCorsConfiguration without spec.forProvider (\"spec.forProvider: Required value\")"},
				Notes:  []string{"8:7: the rules are spec.initProvider's: Crossplane sets them when it creates the bucket's configuration and leaves them to others after"}}}},
		{"crossplane no region", xp + "  forProvider:\n    corsRule:\n      - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}},
				Errors: []string{"7:5 missing-member: Kubernetes refuses a BucketCorsConfiguration without spec.forProvider.region (\"spec.forProvider.region: Required value\")"}}}},
		{"crossplane empty rules", xp + "  forProvider:\n    region: r\n    corsRule: []\n",
			[]k8sResult{{Resource: "BucketCorsConfiguration/assets", Type: "BucketCorsConfiguration.s3.aws.upbound.io",
				Errors: []string{"8:15 missing-member: the Terraform AWS provider under Crossplane requires at least one corsRule: Crossplane leaves an empty list out, and the provider's cors_rule is required"}}}},
		// The Bucket of Crossplane's older provider: corsRules sent as
		// written, required in corsConfiguration; an empty list puts
		// no configuration; no id.
		{"contrib", contrib + "    corsConfiguration:\n      corsRules:\n        - allowedOrigins: [\"https://a.example\", \"https://a.example\"]\n" +
			"          allowedMethods: [GET]\n        - {allowedOrigins: [\"*\"], allowedMethods: [PUT], maxAgeSeconds: 60}\n",
			[]k8sResult{{Resource: "Bucket/old", Type: "Bucket.s3.aws.crossplane.io",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"https://a.example", "https://a.example"}, AllowedMethods: []string{"GET"}},
					{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: ptr(60)}}}}},
		{"contrib empty", contrib + "    corsConfiguration:\n      corsRules: []\n", nil},
		{"contrib without rules", contrib + "    corsConfiguration: {}\n",
			[]k8sResult{{Resource: "Bucket/old", Type: "Bucket.s3.aws.crossplane.io",
				Errors: []string{"8:24 missing-member: Kubernetes refuses spec.forProvider.corsConfiguration without corsRules (\"spec.forProvider.corsConfiguration.corsRules: Required value\")"}}}},
		{"contrib members", contrib + "    corsConfiguration:\n      corsRules:\n        - {allowedMethods: [GET], id: x}\n",
			[]k8sResult{{Resource: "Bucket/old", Type: "Bucket.s3.aws.crossplane.io",
				Rules: []corsrule.Rule{{AllowedMethods: []string{"GET"}}},
				Errors: []string{"10:39 unknown-member: Kubernetes does not know the member \"id\" of a CORS rule",
					"10:11 missing-member: Kubernetes requires allowedOrigins in a CORS rule"}}}},
		{"contrib misspelt", contrib + "    cors:\n      corsRules: []\n",
			[]k8sResult{{Resource: "Bucket/old", Type: "Bucket.s3.aws.crossplane.io",
				Errors: []string{"8:5 unknown-member: Kubernetes does not know the field \"cors\" of spec.forProvider (kubectl apply: \"unknown field\")"}}}},
		// Each schema requires a field beside the configuration: ACK's
		// spec.name (the bucket's name), the older provider's
		// forProvider.locationConstraint. Without it kubectl apply is
		// refused ("Required value"); a Bucket without CORS is none of
		// our business either way.
		{"ack without spec.name", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nspec:\n  cors:\n    corsRules: []\n",
			[]k8sResult{{Resource: "Bucket/b", Type: "Bucket.s3.services.k8s.aws",
				Errors: []string{"5:3 missing-member: Kubernetes refuses a Bucket without spec.name (\"spec.name: Required value\")"}}}},
		{"ack spec.name null", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nspec: {name: null, cors: {corsRules: []}}\n",
			[]k8sResult{{Resource: "Bucket/b", Type: "Bucket.s3.services.k8s.aws",
				Errors: []string{"4:7 missing-member: Kubernetes refuses a Bucket without spec.name (\"spec.name: Required value\")"}}}},
		{"ack without cors or name", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nspec: {versioning: {status: Enabled}}\n", nil},
		{"contrib without locationConstraint", "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata: {name: old}\nspec:\n  forProvider:\n" +
			"    corsConfiguration:\n      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]\n",
			[]k8sResult{{Resource: "Bucket/old", Type: "Bucket.s3.aws.crossplane.io",
				Rules:  []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}},
				Errors: []string{"6:5 missing-member: Kubernetes refuses a Bucket without spec.forProvider.locationConstraint (\"spec.forProvider.locationConstraint: Required value\")"}}}},
		// Other resources, and other groups' Buckets, are passed over.
		{"others", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: s3.aws.upbound.io/v1beta1\nkind: Bucket\nmetadata: {name: b}\nspec: {forProvider: {region: us-east-1}}\n" +
			"---\n---\napiVersion: example.com/v1\nkind: Bucket\nspec: {cors: {corsRules: [{allowedOrigins: [x]}]}}\n", nil},
		{"empty list", "apiVersion: v1\nkind: List\nitems: []\n", nil},
		// FuzzKubernetes found it: a List without items panicked.
		{"list without items", `{"apiVersion": "1", "kind": "List", "": [{"c": {}}]}`, nil},
		{"list items null", "apiVersion: v1\nkind: List\nitems: null\n", nil},
		// kubectl get -o yaml writes a List.
		{"list", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: s3.services.k8s.aws/v1alpha1\n  kind: Bucket\n  metadata: {name: b}\n" +
			"  spec: {name: b, cors: {corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]}}\n",
			[]k8sResult{{Resource: "Bucket/b", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}}}},
		{"json", `{"apiVersion": "s3.services.k8s.aws/v1alpha1", "kind": "Bucket", "metadata": {"name": "b"},` + "\n" +
			`"spec": {"name": "b", "cors": {"corsRules": [{"allowedOrigins": ["*"], "allowedMethods": ["GET"], "maxAgeSeconds": 60}]}}}`,
			[]k8sResult{{Resource: "Bucket/b", Type: "Bucket.s3.services.k8s.aws",
				Rules: []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(60)}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Kubernetes})
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != iac.Kubernetes {
				t.Errorf("Kind = %v", r.Kind)
			}
			if diff := cmp.Diff(tc.want, k8sResults(r)); diff != "" {
				t.Errorf("buckets (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKubernetesRefused: what kubectl cannot read is a ParseError at
// the place; a file of no document is no manifest.
func TestKubernetesRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, data, want string }{
		{"not a mapping", "apiVersion: v1\nkind: ConfigMap\n---\n- a\n", "m.yaml:4:1: a Kubernetes manifest is a mapping (apiVersion, kind, metadata, ...), not a list"},
		{"no kind", "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nmetadata: {}\n", "m.yaml:4:1: a Kubernetes manifest without kind, which kubectl refuses"},
		// A List's items are resources too: kubectl refuses one that
		// is not a mapping, or lacks kind; they were passed over.
		{"list items not a list", "apiVersion: v1\nkind: List\nitems: {a: b}\n", "m.yaml:3:8: a List's items are a list of resources, not a mapping"},
		{"list item not a mapping", "apiVersion: v1\nkind: List\nitems:\n- 5\n", "m.yaml:4:3: a Kubernetes manifest is a mapping (apiVersion, kind, metadata, ...), not a number"},
		{"list item without kind", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, metadata: {name: c}}\n", "m.yaml:4:3: a Kubernetes manifest without kind, which kubectl refuses"},
		{"duplicate key", "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n", "m.yaml:3:1: YAML: the key \"kind\" is written twice in one mapping, first at line 2, column 1"},
		// A Helm chart's template is not YAML until Helm renders it.
		{"helm", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n", "m.yaml:4:"},
		// The error names Helm, not only what the YAML parser met.
		{"helm range", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nspec:\n  cors:\n    corsRules:\n" +
			"    {{- range .Values.origins }}\n      - allowedOrigins: [{{ . | quote }}]\n    {{- end }}\n",
			"m.yaml:7:5: YAML: could not find expected ':'; the file holds {{ }}: a Helm chart's template is YAML only once rendered, so judge what helm template prints"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Kubernetes})
			var pe *iac.ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want a ParseError starting %q", err, tc.want)
			}
		})
	}
	for data, reason := range map[string]string{
		"# nothing\n---\n": "it holds no document",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n":          "no document has apiVersion and kind",
		`[{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]`: "no document has apiVersion and kind",
	} {
		_, err := iac.Parse("m.yaml", []byte(data), iac.Options{Kind: iac.Kubernetes})
		var ke *iac.KindError
		if !errors.As(err, &ke) || ke.Reason != reason {
			t.Errorf("%q: error %v, want a KindError: %s", data, err, reason)
		}
	}
}

// TestKubernetesMisnamed: kubectl apply refuses a controller's resource
// with a field its schema does not declare, on the way to the CORS
// configuration too: at the top (a misspelt spec, a configuration
// written beside it), or forProvider in another case. Each was passed
// over as a resource without configuration, the file judged valid.
func TestKubernetesMisnamed(t *testing.T) {
	t.Parallel()
	const unknown = " (kubectl apply: \"unknown field\")"
	for _, tc := range []struct {
		name, data string
		want       []string // "line:column message [hint]"
	}{
		{"ack sepc", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nsepc:\n  cors:\n    corsRules: []\nlabels: {a: b}\n",
			[]string{"4:1 Kubernetes does not know the field \"sepc\" of the resource" + unknown + " [it goes in spec]",
				"7:1 Kubernetes does not know the field \"labels\" of the resource" + unknown + " []"}},
		{"ack Spec", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nSpec:\n  name: b\n",
			[]string{"4:1 Kubernetes does not know the field \"Spec\" of the resource" + unknown + " [it is called \"spec\"]"}},
		{"ack cors beside spec", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\nmetadata: {name: b}\nspec: {name: b}\ncors:\n  corsRules: []\n",
			[]string{"5:1 Kubernetes does not know the field \"cors\" of the resource" + unknown + " [it goes in spec]"}},
		{"contrib ForProvider", "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata: {name: old}\nspec:\n  ForProvider:\n" +
			"    corsConfiguration:\n      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]\n",
			[]string{"5:3 Kubernetes does not know the field \"ForProvider\" of spec" + unknown + " [it is called \"forProvider\"]"}},
		{"contrib forProvider beside spec", "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata: {name: old}\nforProvider:\n" +
			"  corsConfiguration:\n    corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]\n",
			[]string{"4:1 Kubernetes does not know the field \"forProvider\" of the resource" + unknown + " [it goes in spec]"}},
		{"crossplane specs", "apiVersion: s3.aws.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata: {name: a}\nspecs:\n  forProvider: {region: r}\n",
			[]string{"4:1 Kubernetes does not know the field \"specs\" of the resource" + unknown + " [it goes in spec]",
				"1:1 Kubernetes refuses a BucketCorsConfiguration without spec.forProvider (\"spec.forProvider: Required value\") []"}},
		{"crossplane initprovider", "apiVersion: s3.aws.m.upbound.io/v1beta1\nkind: BucketCorsConfiguration\nmetadata: {name: a, namespace: n}\nspec:\n" +
			"  forProvider: {region: r, corsRule: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]}\n  initprovider: {}\n",
			[]string{"6:3 Kubernetes does not know the field \"initprovider\" of spec" + unknown + " [it is called \"initProvider\"]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Kubernetes})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets, want 1", len(r.Buckets))
			}
			var got []string
			for _, e := range r.Buckets[0].Errors {
				got = append(got, posText(e.Pos)+" "+e.Message+" ["+e.Hint+"]")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKubernetesContribMaxAge32: UNVERIFIED, a maxAgeSeconds beyond 32
// bits in the Bucket of Crossplane's older provider is taken to be refused
// (its custom resource's format int32, its controller's *int32), and is
// judged as S3 refuses it, where ACK's controller and the Terraform
// provider wrap it (see TestKubernetes) with a note.
func TestKubernetesContribMaxAge32(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, age, reason string
	}{
		{"above", "3000000000", "MaxAgeSeconds 3000000000 is not a 32-bit integer"},
		{"below", "-2147483649", "MaxAgeSeconds -2147483649 is not a 32-bit integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := "apiVersion: s3.aws.crossplane.io/v1beta1\nkind: Bucket\nmetadata: {name: old}\nspec:\n  forProvider:\n    locationConstraint: eu-west-1\n" +
				"    corsConfiguration:\n      corsRules:\n        - {allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: " + tc.age + "}\n"
			r, err := iac.Parse("m.yaml", []byte(data), iac.Options{Kind: iac.Kubernetes})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets, want 1", len(r.Buckets))
			}
			b := r.Buckets[0]
			if len(b.Notes) != 0 || len(b.Errors) != 0 {
				t.Errorf("notes %v, errors %v; want none (no controller wraps the value)", b.Notes, b.Errors)
			}
			v := iac.Judge(b)
			if len(v.Problems) != 1 {
				t.Fatalf("problems %v, want S3's MalformedXML", v.Problems)
			}
			p := v.Problems[0]
			if p.Err.Code != "MalformedXML" || p.Err.Reason != tc.reason || p.Field != iac.FieldMaxAgeSeconds || posText(p.Pos) != "9:73" {
				t.Errorf("problem %s %q at %s, field %v; want MalformedXML %q at 9:73, MaxAgeSeconds", p.Err.Code, p.Err.Reason, posText(p.Pos), p.Field, tc.reason)
			}
		})
	}
}

// TestKubernetesVersions: each controller's custom resource is served in
// one version (ACK's Bucket v1alpha1, the BucketCorsConfiguration of
// Crossplane's upjet provider v1beta1 in both its groups, the older
// provider's Bucket v1beta1), whose CORS rules are read; kubectl apply
// refuses any other ("no matches for kind"), as it refuses a version
// written without its group, which it takes for a version of the core
// group. The refusal is at the apiVersion value, before what the rules
// would meet, which are read as the served version reads them.
func TestKubernetesVersions(t *testing.T) {
	t.Parallel()
	const (
		ackRules     = "kind: Bucket\nmetadata: {name: b}\nspec:\n  name: b\n  cors:\n    corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]\n"
		contribRules = "kind: Bucket\nmetadata: {name: b}\nspec:\n  forProvider:\n    locationConstraint: eu-west-1\n    corsConfiguration:\n      corsRules: [{allowedOrigins: [\"*\"], allowedMethods: [GET]}]\n"
		xpRules      = "kind: BucketCorsConfiguration\nmetadata: {name: b, namespace: n}\nspec:\n  forProvider:\n    region: r\n" +
			"    corsRule: [{allowedOrigins: [\"*\"], allowedMethods: [GET], maxAgeSeconds: 5}]\n"
	)
	rule := []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}
	xpRule := []corsrule.Rule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: ptr(5)}}
	noMatch := func(kind, version, served string) string {
		return "1:13 not-allowed: Kubernetes has no " + kind + " in version \"" + version + "\": its custom resource is served as " + served +
			" only (kubectl apply: \"no matches for kind \\\"" + kind + "\\\" in version \\\"" + version + "\\\"\") [it is \"" + served + "\"]"
	}
	for _, tc := range []struct {
		name, data string
		rules      []corsrule.Rule
		errors     []string // "line:column code: message [hint]"
	}{
		// Served.
		{"ack v1alpha1", "apiVersion: s3.services.k8s.aws/v1alpha1\n" + ackRules, rule, nil},
		{"contrib v1beta1", "apiVersion: s3.aws.crossplane.io/v1beta1\n" + contribRules, rule, nil},
		{"upbound v1beta1", "apiVersion: s3.aws.upbound.io/v1beta1\n" + xpRules, xpRule, nil},
		{"upbound namespaced v1beta1", "apiVersion: s3.aws.m.upbound.io/v1beta1\n" + xpRules, xpRule, nil},
		// Refused: versions no CRD of the kind serves, some of which
		// the group serves for other kinds (upjet's v1beta2 Bucket,
		// v1beta3 BucketLifecycleConfiguration; the older provider's
		// v1alpha3 BucketPolicy).
		{"upbound v7", "apiVersion: s3.aws.upbound.io/v7\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/v7", "s3.aws.upbound.io/v1beta1")}},
		{"upbound v1beta2", "apiVersion: s3.aws.upbound.io/v1beta2\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/v1beta2", "s3.aws.upbound.io/v1beta1")}},
		{"upbound v1beta3", "apiVersion: s3.aws.upbound.io/v1beta3\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/v1beta3", "s3.aws.upbound.io/v1beta1")}},
		{"upbound namespaced v1beta2", "apiVersion: s3.aws.m.upbound.io/v1beta2\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.m.upbound.io/v1beta2", "s3.aws.m.upbound.io/v1beta1")}},
		{"upbound V1beta1", "apiVersion: s3.aws.upbound.io/V1beta1\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/V1beta1", "s3.aws.upbound.io/v1beta1")}},
		// Without a slash, apiVersion is a version of the core group
		// (apimachinery's ParseGroupVersion), which has no such kind.
		{"upbound no version", "apiVersion: s3.aws.upbound.io\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io", "s3.aws.upbound.io/v1beta1")}},
		{"upbound empty version", "apiVersion: s3.aws.upbound.io/\n" + xpRules, xpRule,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/", "s3.aws.upbound.io/v1beta1")}},
		{"ack v1", "apiVersion: s3.services.k8s.aws/v1\n" + ackRules, rule,
			[]string{noMatch("Bucket", "s3.services.k8s.aws/v1", "s3.services.k8s.aws/v1alpha1")}},
		{"ack no version", "apiVersion: s3.services.k8s.aws\n" + ackRules, rule,
			[]string{noMatch("Bucket", "s3.services.k8s.aws", "s3.services.k8s.aws/v1alpha1")}},
		{"contrib v1alpha3", "apiVersion: s3.aws.crossplane.io/v1alpha3\n" + contribRules, rule,
			[]string{noMatch("Bucket", "s3.aws.crossplane.io/v1alpha3", "s3.aws.crossplane.io/v1beta1")}},
		// UNVERIFIED: two slashes make no group/version
		// (ParseGroupVersion: "unexpected GroupVersion string"), taken
		// to be refused with it.
		{"upbound two slashes", "apiVersion: s3.aws.upbound.io/v1beta1/x\n" + xpRules, xpRule,
			[]string{"1:13 not-allowed: Kubernetes reads no group/version in \"s3.aws.upbound.io/v1beta1/x\", which has two slashes " +
				"(kubectl apply: \"unexpected GroupVersion string: s3.aws.upbound.io/v1beta1/x\") [it is \"s3.aws.upbound.io/v1beta1\"]"}},
		// kubectl refuses the resource whatever it holds: one without
		// rules, or observe-only, is reported too.
		{"ack v1 without cors", "apiVersion: s3.services.k8s.aws/v1\nkind: Bucket\nmetadata: {name: b}\nspec: {name: b}\n", nil,
			[]string{noMatch("Bucket", "s3.services.k8s.aws/v1", "s3.services.k8s.aws/v1alpha1")}},
		{"contrib v1 empty rules", "apiVersion: s3.aws.crossplane.io/v1\n" + strings.Replace(contribRules, "[{allowedOrigins: [\"*\"], allowedMethods: [GET]}]", "[]", 1), nil,
			[]string{noMatch("Bucket", "s3.aws.crossplane.io/v1", "s3.aws.crossplane.io/v1beta1")}},
		{"upbound v7 observe only", "apiVersion: s3.aws.upbound.io/v7\n" + strings.Replace(xpRules, "spec:\n", "spec:\n  managementPolicies: [Observe]\n", 1), nil,
			[]string{noMatch("BucketCorsConfiguration", "s3.aws.upbound.io/v7", "s3.aws.upbound.io/v1beta1")}},
		{"json", `{"apiVersion": "s3.services.k8s.aws/v2", "kind": "Bucket", "metadata": {"name": "b"}, "spec": {"name": "b"}}`, nil,
			[]string{strings.Replace(noMatch("Bucket", "s3.services.k8s.aws/v2", "s3.services.k8s.aws/v1alpha1"), "1:13", "1:16", 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("m.yaml", []byte(tc.data), iac.Options{Kind: iac.Kubernetes})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Buckets) != 1 {
				t.Fatalf("%d buckets, want 1", len(r.Buckets))
			}
			b := r.Buckets[0]
			var got []string
			for _, e := range b.Errors {
				got = append(got, posText(e.Pos)+" "+e.Code+": "+e.Message+" ["+e.Hint+"]")
			}
			if diff := cmp.Diff(tc.errors, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.rules, b.Rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMayHoldBucketCORS: manifests that name a controller's API group
// hold its resources, with a version or without one (which kubectl
// refuses, and the reader reports; --skip-unrelated passed the file
// over), in YAML or JSON; a longer name that starts with a group, or
// another group, does not.
func TestMayHoldBucketCORS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, data string
		want       bool
	}{
		{"ack", "apiVersion: s3.services.k8s.aws/v1alpha1\nkind: Bucket\n", true},
		{"upbound v7", "apiVersion: s3.aws.upbound.io/v7\n", true},
		{"upbound no version", "apiVersion: s3.aws.upbound.io\nkind: BucketCorsConfiguration\n", true},
		{"namespaced no version crlf", "apiVersion: s3.aws.m.upbound.io\r\nkind: BucketCorsConfiguration\r\n", true},
		{"contrib no version at the end", "kind: Bucket\napiVersion: s3.aws.crossplane.io", true},
		{"quoted", "apiVersion: 's3.aws.crossplane.io'\n", true},
		{"json", `{"apiVersion": "s3.services.k8s.aws", "kind": "Bucket"}`, true},
		{"comment", "apiVersion: s3.aws.upbound.io # no version\n", true},
		{"longer name", "apiVersion: s3.aws.upbound.io.example.com/v1\n", false},
		{"longer name with dash", "apiVersion: s3.aws.upbound.io-x/v1\n", false},
		{"other group", "apiVersion: apps/v1\nkind: Deployment\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := iac.MayHoldBucketCORS([]byte(tc.data)); got != tc.want {
				t.Errorf("MayHoldBucketCORS(%q) = %v, want %v", tc.data, got, tc.want)
			}
		})
	}
}
