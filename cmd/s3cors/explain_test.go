package main

import "testing"

// TestSchemelessOriginNote checks that explain notes an Origin no browser
// sends for want of a scheme, with the origin a browser would send when
// the value is a host, and says nothing of a browser's Origin or of none.
func TestSchemelessOriginNote(t *testing.T) {
	t.Parallel()
	const tail = ": S3 judges the Origin as written, so no browser makes this request"
	tests := []struct{ origin, want string }{
		{"app.example.com", `the Origin "app.example.com" has no scheme, and a browser always sends one, as in "https://app.example.com"` + tail},
		{"localhost:3000", `the Origin "localhost:3000" has no scheme, and a browser always sends one, as in "https://localhost:3000"` + tail},
		{"[::1]:8080", `the Origin "[::1]:8080" has no scheme, and a browser always sends one, as in "https://[::1]:8080"` + tail},
		// Not a host: no origin with a scheme is offered for it.
		{"app.example.com/path", `the Origin "app.example.com/path" has no scheme, and a browser always sends one` + tail},
		{"user@app.example.com", `the Origin "user@app.example.com" has no scheme, and a browser always sends one` + tail},
		{`a"b`, `the Origin "a\"b" has no scheme, and a browser always sends one` + tail},
		{"*", `the Origin "*" has no scheme, and a browser always sends one` + tail},
		// What a browser sends, and no Origin at all.
		{"https://app.example.com", ""},
		{"http://localhost:3000", ""},
		{"null", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			t.Parallel()
			if got := schemelessOriginNote(tt.origin); got != tt.want {
				t.Errorf("schemelessOriginNote(%q) = %q, want %q", tt.origin, got, tt.want)
			}
		})
	}
}
