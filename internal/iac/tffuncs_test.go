package iac_test

import "testing"

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
