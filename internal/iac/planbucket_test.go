package iac_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// planCORS returns a resource_changes element for an
// aws_s3_bucket_cors_configuration at address, in module module ("" for
// the root), whose after bucket is bucket, or known only after apply when
// bucket is "".
func planCORS(address, module, name, index, bucket string) map[string]any {
	after := map[string]any{"cors_rule": []any{map[string]any{"allowed_headers": []any{}, "allowed_methods": []any{"GET"},
		"allowed_origins": []any{"https://app.example.com"}, "expose_headers": []any{}, "id": "", "max_age_seconds": 600}},
		"expected_bucket_owner": nil}
	unknown := map[string]any{"id": true, "cors_rule": []any{map[string]any{"allowed_headers": []any{}, "allowed_methods": []any{false},
		"allowed_origins": []any{false}, "expose_headers": []any{}}}}
	if bucket != "" {
		after["bucket"] = bucket
	} else {
		unknown["bucket"] = true
	}
	rc := map[string]any{"address": address, "mode": "managed", "type": "aws_s3_bucket_cors_configuration", "name": name,
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": map[string]any{"actions": []any{"create"}, "before": nil, "after": after, "after_unknown": unknown,
			"before_sensitive": false, "after_sensitive": map[string]any{"cors_rule": []any{map[string]any{}}}}}
	if module != "" {
		rc["module_address"] = module
	}
	if index != "" {
		rc["index"] = index
	}
	return rc
}

// planBucketResource returns a resource_changes element for an
// aws_s3_bucket at address named bucket.
func planBucketResource(address, name, bucket string) map[string]any {
	return map[string]any{"address": address, "mode": "managed", "type": "aws_s3_bucket", "name": name,
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": map[string]any{"actions": []any{"create"}, "before": nil,
			"after":         map[string]any{"bucket": bucket, "force_destroy": false, "tags": nil, "timeouts": nil},
			"after_unknown": map[string]any{"arn": true, "cors_rule": true, "id": true}, "before_sensitive": false,
			"after_sensitive": map[string]any{"cors_rule": []any{}, "tags_all": map[string]any{}}}}
}

// configResource returns a resource of the configuration section for an
// aws_s3_bucket_cors_configuration named name whose bucket argument is
// the expression representation bucket.
func configResource(name string, bucket map[string]any) map[string]any {
	r := map[string]any{"address": "aws_s3_bucket_cors_configuration." + name, "mode": "managed",
		"type": "aws_s3_bucket_cors_configuration", "name": name, "provider_config_key": "aws", "schema_version": 0,
		"expressions": map[string]any{"cors_rule": []any{map[string]any{"allowed_methods": map[string]any{"constant_value": []any{"GET"}}}}}}
	if bucket != nil {
		r["expressions"].(map[string]any)["bucket"] = bucket
	}
	return r
}

// TestPlanTerraformBucket: convert --to terraform writes the bucket
// argument of an aws_s3_bucket_cors_configuration read from a plan as the
// plan's configuration section records it (Terraform's expression
// representation: a constant_value, or the references of an expression,
// each followed by the shorter addresses it goes through), as it writes
// the argument read from a .tf file. An expression the references do not
// spell out (a template, an index by each.key), or a plan without the
// configuration (the JSON of a state), leaves the name the plan resolves,
// with a note; a name known only after apply leaves nothing, with a note.
func TestPlanTerraformBucket(t *testing.T) {
	t.Parallel()
	refs := func(r ...string) map[string]any {
		out := make([]any, len(r))
		for i, s := range r {
			out[i] = s
		}
		return map[string]any{"references": out}
	}
	for _, tc := range []struct {
		name     string
		changes  []any
		config   map[string]any // the configuration's root_module, nil for none
		vars     map[string]any
		resource string
		want     string
		note     string // a substring of TerraformBucketNote, "" for none
	}{
		{"reference", []any{planBucketResource("aws_s3_bucket.media", "media", "acme-media"),
			planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-media")},
			map[string]any{"resources": []any{configResource("uploads", refs("aws_s3_bucket.media.id", "aws_s3_bucket.media"))}},
			nil, "aws_s3_bucket_cors_configuration.uploads", "aws_s3_bucket.media.id", ""},
		{"reference, name known only after apply", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "")},
			map[string]any{"resources": []any{configResource("uploads", refs("aws_s3_bucket.media.bucket", "aws_s3_bucket.media"))}},
			nil, "aws_s3_bucket_cors_configuration.uploads", "aws_s3_bucket.media.bucket", ""},
		{"constant", []any{planCORS("aws_s3_bucket_cors_configuration.logs", "", "logs", "", "acme-${logs}")},
			map[string]any{"resources": []any{configResource("logs", map[string]any{"constant_value": "acme-${logs}"})}},
			nil, "aws_s3_bucket_cors_configuration.logs", `"acme-$${logs}"`, ""},
		{"variable", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-uploads")},
			map[string]any{"resources": []any{configResource("uploads", refs("var.bucket"))}},
			map[string]any{"bucket": map[string]any{"value": "acme-uploads"}},
			"aws_s3_bucket_cors_configuration.uploads", "var.bucket", ""},
		// "${var.prefix}-uploads" has the references of var.prefix.
		{"template", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-uploads")},
			map[string]any{"resources": []any{configResource("uploads", refs("var.prefix"))}},
			map[string]any{"prefix": map[string]any{"value": "acme"}},
			"aws_s3_bucket_cors_configuration.uploads", `"acme-uploads"`, "records only its references: var.prefix"},
		// "${aws_s3_bucket.media.id}-x" has the references of
		// aws_s3_bucket.media.id.
		{"template of a bucket", []any{planBucketResource("aws_s3_bucket.media", "media", "acme-media"),
			planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-media-x")},
			map[string]any{"resources": []any{configResource("uploads", refs("aws_s3_bucket.media.id", "aws_s3_bucket.media"))}},
			nil, "aws_s3_bucket_cors_configuration.uploads", `"acme-media-x"`, "records only its references"},
		{"module with for_each", []any{planCORS(`module.site["eu"].aws_s3_bucket_cors_configuration.this`, `module.site["eu"]`, "this", "", "acme-site-eu")},
			map[string]any{"module_calls": map[string]any{"site": map[string]any{"source": "./site",
				"for_each_expression": refs("var.regions"),
				"module":              map[string]any{"resources": []any{configResource("this", refs("aws_s3_bucket.this.id", "aws_s3_bucket.this"))}}}}},
			nil, `module.site["eu"].aws_s3_bucket_cors_configuration.this`, "aws_s3_bucket.this.id", ""},
		// "${var.prefix}-site" in a module called with prefix = "acme".
		{"template in a module", []any{planCORS(`module.site.aws_s3_bucket_cors_configuration.this`, `module.site`, "this", "", "acme-site")},
			map[string]any{"module_calls": map[string]any{"site": map[string]any{"source": "./site",
				"expressions": map[string]any{"prefix": map[string]any{"constant_value": "acme"}},
				"module":      map[string]any{"resources": []any{configResource("this", refs("var.prefix"))}}}}},
			nil, `module.site.aws_s3_bucket_cors_configuration.this`, `"acme-site"`, "records only its references: var.prefix"},
		{"variable of a module", []any{planCORS(`module.site.aws_s3_bucket_cors_configuration.this`, `module.site`, "this", "", "acme-site")},
			map[string]any{"module_calls": map[string]any{"site": map[string]any{"source": "./site",
				"expressions": map[string]any{"name": map[string]any{"constant_value": "acme-site"}},
				"module":      map[string]any{"resources": []any{configResource("this", refs("var.name"))}}}}},
			nil, `module.site.aws_s3_bucket_cors_configuration.this`, "var.name", ""},
		// bucket = aws_s3_bucket.this[each.key].id
		{"resource with for_each", []any{planCORS(`aws_s3_bucket_cors_configuration.this["eu"]`, "", "this", "eu", "acme-eu")},
			map[string]any{"resources": []any{configResource("this", refs("aws_s3_bucket.this", "each.key"))}},
			nil, `aws_s3_bucket_cors_configuration.this["eu"]`, `"acme-eu"`, "aws_s3_bucket.this, each.key"},
		// bucket = each.value.id: the resource written has no for_each.
		{"each", []any{planCORS(`aws_s3_bucket_cors_configuration.this["eu"]`, "", "this", "eu", "acme-eu")},
			map[string]any{"resources": []any{configResource("this", refs("each.value.id", "each.value"))}},
			nil, `aws_s3_bucket_cors_configuration.this["eu"]`, `"acme-eu"`, "it refers to each.value.id, which the resource written, without for_each or count, does not have"},
		// bucket = aws_s3_bucket.this[count.index].id
		{"count", []any{planCORS(`aws_s3_bucket_cors_configuration.this[0]`, "", "this", "0", "acme-0")},
			map[string]any{"resources": []any{configResource("this", refs("aws_s3_bucket.this", "count.index"))}},
			nil, `aws_s3_bucket_cors_configuration.this[0]`, `"acme-0"`, "records only its references: aws_s3_bucket.this, count.index"},
		{"nested module with count", []any{planCORS(`module.env[1].module.site.aws_s3_bucket_cors_configuration.this`, `module.env[1].module.site`, "this", "", "b")},
			map[string]any{"module_calls": map[string]any{"env": map[string]any{"source": "./env", "module": map[string]any{
				"module_calls": map[string]any{"site": map[string]any{"source": "../site", "module": map[string]any{
					"resources": []any{configResource("this", map[string]any{"constant_value": "b"})}}}}}}}},
			nil, `module.env[1].module.site.aws_s3_bucket_cors_configuration.this`, `"b"`, ""},
		{"no configuration", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-uploads")},
			nil, nil, "aws_s3_bucket_cors_configuration.uploads", `"acme-uploads"`, "the plan records no bucket argument of the resource"},
		{"no configuration, name not known", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "")},
			nil, nil, "aws_s3_bucket_cors_configuration.uploads", "", "the plan records no bucket argument of the resource, and knows the bucket's name only after apply"},
		{"no bucket argument", []any{planCORS("aws_s3_bucket_cors_configuration.uploads", "", "uploads", "", "acme-uploads")},
			map[string]any{"resources": []any{configResource("uploads", nil)}},
			nil, "aws_s3_bucket_cors_configuration.uploads", `"acme-uploads"`, "the plan records no bucket argument of the resource"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := map[string]any{"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": tc.changes}
			if tc.vars != nil {
				plan["variables"] = tc.vars
			}
			if tc.config != nil {
				plan["configuration"] = map[string]any{"provider_config": map[string]any{"aws": map[string]any{"name": "aws",
					"full_name": "registry.terraform.io/hashicorp/aws"}}, "root_module": tc.config}
			}
			data, err := json.MarshalIndent(plan, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b := bucketOf(t, "plan.json", data, tc.resource)
			if b.TerraformBucket != tc.want {
				t.Errorf("TerraformBucket %q, want %q", b.TerraformBucket, tc.want)
			}
			if (tc.note == "") != (b.TerraformBucketNote == "") || !strings.Contains(b.TerraformBucketNote, tc.note) {
				t.Errorf("TerraformBucketNote %q, want %q", b.TerraformBucketNote, tc.note)
			}
		})
	}
}

// TestPlanInlineRulesWritten: the cors_rule of an aws_s3_bucket whose
// bucket an aws_s3_bucket_cors_configuration also sets is what the
// provider read back from the bucket when the configuration does not write
// it (see TestPlanInlineRulesReadBack), but rules aws_s3_bucket sends when
// the plan's configuration section records cors_rule among its
// expressions: judged, with the note that the two resources put their
// rules in place of each other's.
func TestPlanInlineRulesWritten(t *testing.T) {
	t.Parallel()
	inline := planBucketResource("aws_s3_bucket.d", "d", "b-d")
	inline["change"].(map[string]any)["after"].(map[string]any)["cors_rule"] = []any{map[string]any{"allowed_headers": []any{},
		"allowed_methods": []any{"PUT"}, "allowed_origins": []any{"*"}, "expose_headers": []any{}, "max_age_seconds": 0}}
	delete(inline["change"].(map[string]any)["after_unknown"].(map[string]any), "cors_rule")
	changes := []any{inline, planCORS("aws_s3_bucket_cors_configuration.d", "", "d", "", "b-d")}
	cors := configResource("d", map[string]any{"references": []any{"aws_s3_bucket.d.id", "aws_s3_bucket.d"}})
	for _, tc := range []struct {
		name    string
		bucket  map[string]any // the aws_s3_bucket's expressions
		want    []string       // the buckets judged
		noteFor string         // the bucket noted as setting the same bucket's CORS, or ""
	}{
		{"written", map[string]any{"bucket": map[string]any{"constant_value": "b-d"},
			"cors_rule": []any{map[string]any{"allowed_methods": map[string]any{"constant_value": []any{"PUT"}}}}},
			[]string{"aws_s3_bucket.d", "aws_s3_bucket_cors_configuration.d"}, "aws_s3_bucket_cors_configuration.d"},
		{"read back", map[string]any{"bucket": map[string]any{"constant_value": "b-d"}},
			[]string{"aws_s3_bucket_cors_configuration.d"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bucket := map[string]any{"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "name": "d",
				"provider_config_key": "aws", "schema_version": 0, "expressions": tc.bucket}
			plan := map[string]any{"format_version": "1.2", "resource_changes": changes,
				"configuration": map[string]any{"root_module": map[string]any{"resources": []any{bucket, cors}}}}
			data, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			r, err := iac.Parse("plan.json", data, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			noted := ""
			for _, b := range r.Buckets {
				got = append(got, b.Resource)
				for _, n := range b.Notes {
					if strings.Contains(n.Text, "sets the CORS configuration of the same bucket as") {
						noted = b.Resource
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || noted != tc.noteFor {
				t.Errorf("buckets %q, the same bucket noted on %q; want %q, %q", got, noted, tc.want, tc.noteFor)
			}
		})
	}
}

// TestPlanUnknownRulesAt: rules known only after apply (a for_each over a
// value not known yet) are not in the plan's after, only in after_unknown;
// the value not judged is located at the after object that omits them, so
// that lint's SARIF and GitHub annotations have a line, not at no place.
func TestPlanUnknownRulesAt(t *testing.T) {
	t.Parallel()
	rc := planCORS("aws_s3_bucket_cors_configuration.a", "", "a", "", "b-a")
	change := rc["change"].(map[string]any)
	delete(change["after"].(map[string]any), "cors_rule")
	change["after_unknown"] = map[string]any{"cors_rule": true, "id": true}
	data, err := json.MarshalIndent(map[string]any{"format_version": "1.2", "resource_changes": []any{rc}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	r, err := iac.Parse("plan.json", data, iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 1 || len(r.Buckets[0].Unjudged) != 1 {
		t.Fatalf("buckets %+v, want one with one value not judged", r.Buckets)
	}
	// The after object's line: "after": {
	want := 1 + strings.Count(string(data[:strings.Index(string(data), `"after": {`)]), "\n")
	if u := r.Buckets[0].Unjudged[0]; u.Pos.Line != want || u.Pos.File != "plan.json" {
		t.Errorf("not judged at %v (%s), want plan.json line %d", u.Pos, u.Expr, want)
	}
}

func TestSplitAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr, prefix, local, key string
		calls                    []string
	}{
		{addr: "aws_s3_bucket.b", local: "aws_s3_bucket.b"},
		{addr: "aws_s3_bucket.b[0]", local: "aws_s3_bucket.b", key: "[0]"},
		{addr: `aws_s3_bucket.b["a.b[c]"]`, local: "aws_s3_bucket.b", key: `["a.b[c]"]`},
		{addr: "module.site.aws_s3_bucket_cors_configuration.c", calls: []string{"site"}, prefix: "module.site.", local: "aws_s3_bucket_cors_configuration.c"},
		{
			addr: `module.a["x.\"].y"].module.b[0].aws_s3_bucket.b["k"]`, calls: []string{"a", "b"},
			prefix: `module.a["x.\"].y"].module.b[0].`, local: "aws_s3_bucket.b", key: `["k"]`,
		},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			t.Parallel()
			calls, prefix, local, key := iac.SplitAddress(tc.addr)
			if !slices.Equal(calls, tc.calls) || prefix != tc.prefix || local != tc.local || key != tc.key {
				t.Errorf("SplitAddress(%q) = %q, %q, %q, %q, want %q, %q, %q, %q", tc.addr, calls, prefix, local, key, tc.calls, tc.prefix, tc.local, tc.key)
			}
		})
	}
}
