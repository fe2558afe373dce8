package iac_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformRegexScalars: regex and regexall take strings, which a
// number or a boolean converts to, as for any function parameter of type
// string (HCL converts an argument before the call). The expected values
// are what terraform console 1.11.4 prints: regex("[0-9]+", 8443) is
// "8443", regexall("", true) has five matches, regex(1.50, 1.50) is
// "1.5"; a null is still refused.
func TestTerraformRegexScalars(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`["https://x:${regex("[0-9]+", 8443)}"]`, `["https://x:8443"]`},
		{`[for m in regexall("[0-9]", 12) : "https://x${m}"]`, `["https://x1" "https://x2"]`},
		{`["https://${regex("t.*", true)}"]`, `["https://true"]`},
		{`["https://${regex(1.50, 1.50)}"]`, `["https://1.5"]`},
		{`["https://x${length(regexall("", true))}"]`, `["https://x5"]`},
		{`try([regex("x", 1)], ["https://fb"])`, `["https://fb"]`},
		{`try([regex("x", null)], ["https://fb2"])`, `["https://fb2"]`},
		{`try(regexall(null, "x"), ["https://fb3"])`, `["https://fb3"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformCoalesceNumberAndBool: coalesce converts its arguments to
// one type first, and a number and a boolean have none unless a string is
// among them (terraform console 1.11.4: coalesce(1, true) fails, "all
// arguments must have the same type", which try skips; coalesce(1, "a",
// true) is "1"). With a null among them Terraform 1.11.4 answers the
// first other argument, converted or not as the null's type decides
// (coalesce(null, 1, true) is 1): either way its text.
func TestTerraformCoalesceNumberAndBool(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`try([coalesce(1, true)], ["https://fb"])`, `["https://fb"]`},
		{`try([coalesce(true, 1.50)], ["https://fb2"])`, `["https://fb2"]`},
		{`try([coalesce(false, 0, 1)], ["https://fb3"])`, `["https://fb3"]`},
		{`["https://x${coalesce(1, "a", true)}"]`, `["https://x1"]`},
		{`["https://x${coalesce("", 1, true)}"]`, `["https://x1"]`},
		{`["https://x${coalesce(null, 1, true)}"]`, `["https://x1"]`},
		{`["https://x${coalesce(1, 2)}"]`, `["https://x1"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformFunctionArity: a call of a function evaluated here with
// too few or too many arguments, its expanded list's elements included,
// is Terraform's error ("Not enough function arguments", "Too many
// function arguments"), which try skips, as terraform console 1.11.4
// does for each of these; it was not evaluated, so try was not known.
func TestTerraformFunctionArity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`try([lookup({a = "https://x"})], ["https://fb1"])`, `["https://fb1"]`},
		{`try([lookup({a = "https://x"}, "a", "d", "e")], ["https://fb2"])`, `["https://fb2"]`},
		{`try([trimprefix("https://x")], ["https://fb3"])`, `["https://fb3"]`},
		{`try([lower("A", "B")], ["https://fb4"])`, `["https://fb4"]`},
		{`try(slice(["https://a"], 0), ["https://fb5"])`, `["https://fb5"]`},
		{`try([format()], ["https://fb6"])`, `["https://fb6"]`},
		{`try(formatlist(), ["https://fb7"])`, `["https://fb7"]`},
		{`try(tolist(["https://a"], ["https://b"]), ["https://fb8"])`, `["https://fb8"]`},
		{`try([element([["https://a"]]...)], ["https://fb9"])`, `["https://fb9"]`},
		{`try([element(["https://a"], 0, 1)], ["https://fb10"])`, `["https://fb10"]`},
		{`[element(["https://a", "https://b"], 1)]`, `["https://b"]`},
		{`[lookup({a = "https://x"}, "a", "d")]`, `["https://x"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformTypedNull: a null of a type (a variable of a type
// constraint left null, tostring(null), tolist(null)) is not a null as
// written, of no type: coalescelist passes over a null list where it
// refuses a null of no type, and merge, coalesce and the conversion
// functions refuse a null whose type does not fit; format's %v writes it
// "null", its other verbs fail. A null of no type among coalesce's
// arguments leaves them unconverted, so that it answers the first other
// argument, "" included, and format a value not known. The expected
// values are what
// terraform console 1.11.4 prints for each expression, with the
// variables declared as here.
func TestTerraformTypedNull(t *testing.T) {
	t.Parallel()
	decls := `variable "origins" {
  type    = list(string)
  default = null
}
variable "loose" {
  default = null
}
variable "host" {
  type    = string
  default = null
}
variable "extra" {
  type    = map(string)
  default = null
}
`
	for _, tc := range []struct{ expr, want string }{
		{`coalescelist(var.origins, ["https://x"])`, `["https://x"]`},
		{`coalescelist(tolist(null), ["https://x1"])`, `["https://x1"]`},
		{`try(coalescelist(var.loose, ["https://x"]), ["https://fb1"])`, `["https://fb1"]`},
		{`try(coalescelist(toset(null), ["https://x"]), ["https://fb2"])`, `["https://fb2"]`},
		{`try(coalescelist(var.origins), ["https://fb3"])`, `["https://fb3"]`},
		{`coalesce(var.loose, ["https://x2"], "z")`, `["https://x2"]`},
		{`coalesce(null, tostring(null), ["https://x3"], "z")`, `["https://x3"]`},
		{`["https://x4${coalesce(null, "", ["a"])}"]`, `["https://x4"]`},
		{`try(coalesce(var.host, ["https://x"]), ["https://fb4"])`, `["https://fb4"]`},
		{`try(coalesce(tostring(null), ["https://x"]), ["https://fb5"])`, `["https://fb5"]`},
		{`values(merge(var.extra, {a = "https://x5"}))`, `["https://x5"]`},
		{`try(values(merge(var.host, {a = "https://x"})), ["https://fb6"])`, `["https://fb6"]`},
		{`try(values(merge(tolist(null), {a = "https://x"})), ["https://fb7"])`, `["https://fb7"]`},
		{`try(tolist(var.host), ["https://fb8"])`, `["https://fb8"]`},
		{`try([tostring(var.origins)], ["https://fb9"])`, `["https://fb9"]`},
		{`try(tolist(tomap(null)), ["https://fb10"])`, `["https://fb10"]`},
		{`try([tonumber(tolist(null))], ["https://fb11"])`, `["https://fb11"]`},
		{`try(tomap(tostring(null)), ["https://fb12"])`, `["https://fb12"]`},
		{`coalesce(tolist(toset(null)), ["https://x6"])`, `["https://x6"]`},
		{`try([lookup(tomap({a = "https://x"}), "a", tolist(null))], ["https://fb13"])`, `["https://fb13"]`},
		{`[lookup(tomap({a = "https://x7"}), "a", var.host)]`, `["https://x7"]`},
		{`[format("https://%v", var.host)]`, `["https://null"]`},
		{`try([format("https://%s", var.host)], ["https://fb14"])`, `["https://fb14"]`},
		{`formatlist("https://%v", var.host)`, `["https://null"]`},
		{`formatlist("https://%v", var.origins)`, `["https://null"]`},
		{`try(formatlist("https://%s", var.host), ["https://fb15"])`, `["https://fb15"]`},
		{`[format("https://%v", null, var.host)]`, "not judged: an argument of format is null, of no type"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformConditionalTypedNull: a conditional converts both results
// to one type, a null of a type included: a null set and a set of
// strings make a null set of strings, not an empty one, and a null
// string and a tuple have no type in common, whichever is taken. The
// expected values are what terraform console 1.11.4 prints: (true ?
// toset(null) : toset(["a"])) is null, of which length fails, and (true ?
// tostring(null) : []) is its error "Inconsistent conditional result
// types".
func TestTerraformConditionalTypedNull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`try([length(true ? toset(null) : toset(["a"]))], ["https://fb1"])`, `["https://fb1"]`},
		{`try([length(false ? toset(["a"]) : toset(null))], ["https://fb2"])`, `["https://fb2"]`},
		{`try(coalesce(true ? tostring(null) : [], ["https://x"]), ["https://fb3"])`, `["https://fb3"]`},
		{`try(coalesce(false ? tostring(null) : [], ["https://x"]), ["https://fb4"])`, `["https://fb4"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformForOverScalar: a for expression over a null or a scalar is
// HCL's error ("Iteration over null value", "Iteration over
// non-iterable value"), which try skips, not a value not known; over a
// value not known it says why that is. The fallbacks are what terraform
// console 1.11.4 prints for each try.
func TestTerraformForOverScalar(t *testing.T) {
	t.Parallel()
	decls := "variable \"host\" {\n  type    = string\n  default = null\n}\n"
	for _, tc := range []struct{ expr, want string }{
		{`try([for x in "https://a" : x], ["https://fb1"])`, `["https://fb1"]`},
		{`try([for x in null : x], ["https://fb2"])`, `["https://fb2"]`},
		{`try([for x in var.host : x], ["https://fb3"])`, `["https://fb3"]`},
		{`try(values({for k, v in 8443 : k => v}), ["https://fb4"])`, `["https://fb4"]`},
		{`[for x in "https://a" : x]`, "fails: Iteration over non-iterable value: a value of type string cannot be used as the collection in a 'for' expression"},
		{`[for x in aws_s3_bucket.b.cors : x]`, "not judged: the collection of the for expression is not known: an attribute of a resource, known only at plan or apply time"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, decls, tc.expr, tc.want)
		})
	}
}

// TestTerraformCollectionsUnified: tolist, toset, tomap, setunion and
// distinct convert a tuple or an object of collections to a collection of
// one type, as cty does, which fails when the collections have none in
// common (a list of strings and a tuple holding a list, a null and a
// tuple, objects whose attribute is a string in one and a list in the
// other), and try skips the failure; the scalars of collections that have
// one become strings. The expected values are what terraform console
// 1.11.4 prints for each expression; this package judged fb1 to fb4 and
// fb7 with the first value, not the fallback, and did not judge fb8.
func TestTerraformCollectionsUnified(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{`try(flatten(tolist([["https://a"], ["https://b", ["https://c"]]])), ["https://fb1"])`, `["https://fb1"]`},
		{`try(flatten(tolist(toset([null, ["https://a"]]))), ["https://fb2"])`, `["https://fb2"]`},
		{`try([for o in setunion([{o = "https://a"}], [{o = ["https://b"]}]) : o.o], ["https://fb3"])`, `["https://fb3"]`},
		{`try(flatten(tolist([["https://a", 1], ["https://b", true]])), ["https://fb4"])`, `["https://fb4"]`},
		{`try(flatten(tolist([["https://a"], [1]])), ["https://fb5"])`, `["https://a" "1"]`},
		{`try(flatten(tolist([["https://a"], ["https://b"]])), ["https://fb6"])`, `["https://a" "https://b"]`},
		{`try(flatten(values(tomap({a = ["https://a"], b = [["https://b"]]}))), ["https://fb7"])`, `["https://fb7"]`},
		{`try(flatten(distinct([["https://a"], ["https://b", ["https://c"]]])), ["https://fb8"])`, `["https://fb8"]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			checkOrigins(t, "", tc.expr, tc.want)
		})
	}
}

// TestTerraformFailureRefused: a rule's value Terraform fails to evaluate
// is Terraform's refusal of the configuration, as terraform plan stops on
// it, not a value left unjudged: the bucket is invalid, at the value.
// terraform console 1.11.4 fails each expression, with a variable of type
// any whose second object has no allowed_headers: lookup without a default
// ("Invalid function argument"), the attribute ("Unsupported attribute"),
// an index outside the tuple ("Invalid index") and jsondecode of JSON not
// well-formed ("Error in function call"). The same lookup with a default
// is null for it, and the rule has no AllowedHeader.
func TestTerraformFailureRefused(t *testing.T) {
	t.Parallel()
	const decls = `variable "rules" {
  type    = any
  default = [
    { allowed_methods = ["GET"], allowed_origins = ["https://a.example"], allowed_headers = ["*"] },
    { allowed_methods = ["PUT"], allowed_origins = ["https://b.example"] },
  ]
}
`
	for _, tc := range []struct {
		attr    string // the content's allowed_headers, on line 15 from column 25
		col     int    // the column of the value refused
		message string // the refusal's, "" for none
	}{
		{`lookup(cors_rule.value, "allowed_headers")`, 25, `Terraform fails to evaluate lookup(cors_rule.value, "allowed_headers"): the object has no key "allowed_headers"`},
		{`cors_rule.value.allowed_headers`, 25, `Terraform fails to evaluate cors_rule.value.allowed_headers: the object has no attribute or key "allowed_headers"`},
		{`cors_rule.key == 0 ? ["*"] : [var.rules[3]]`, 55, `Terraform fails to evaluate var.rules[3]: index 3 is outside the list`},
		{`cors_rule.key == 0 ? ["*"] : jsondecode("{")`, 54, `Terraform fails to evaluate jsondecode("{"): jsondecode: EOF`},
		{`lookup(cors_rule.value, "allowed_headers", null)`, 0, ""},
	} {
		t.Run(tc.attr, func(t *testing.T) {
			t.Parallel()
			src := decls + "resource \"aws_s3_bucket_cors_configuration\" \"c\" {\n  bucket = \"b\"\n  dynamic \"cors_rule\" {\n    for_each = var.rules\n    content {\n" +
				"      allowed_methods = cors_rule.value.allowed_methods\n      allowed_origins = cors_rule.value.allowed_origins\n      allowed_headers = " + tc.attr + "\n    }\n  }\n}\n"
			b := parseTerraform(t, src).Buckets[0]
			if len(b.Unjudged) != 0 {
				t.Errorf("not judged: %+v, want none", b.Unjudged)
			}
			if tc.message == "" {
				if len(b.Errors) != 0 || len(b.Rules) != 2 || len(b.Rules[1].AllowedHeaders) != 0 {
					t.Errorf("errors %+v, rules %+v; want none and rule 2 without AllowedHeader", b.Errors, b.Rules)
				}
				return
			}
			if len(b.Errors) != 1 {
				t.Fatalf("errors %+v, want one", b.Errors)
			}
			e := b.Errors[0]
			if e.Code != iac.CodeWrongType || e.Rule != 2 || e.Field != iac.FieldAllowedHeader || e.Message != tc.message || e.Pos.Line != 15 || e.Pos.Column != tc.col {
				t.Errorf("error %+v, want wrong-type at 15:%d, rule 2 AllowedHeader: %s", e, tc.col, tc.message)
			}
			if iac.Judge(b).Valid() {
				t.Error("the bucket is valid, want it refused")
			}
		})
	}
}
