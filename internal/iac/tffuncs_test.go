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
