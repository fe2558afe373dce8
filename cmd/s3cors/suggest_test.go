package main

import "testing"

// TestClosest checks which name is offered for a mistyped one, and that
// none is offered when two are as likely or none is near.
func TestClosest(t *testing.T) {
	t.Parallel()
	flags := []string{"input", "json", "format", "all", "example", "var-file", "var", "request-method", "request-headers", "resource"}
	for _, tc := range []struct {
		word, want string
	}{
		{"fromat", "format"},  // two letters swapped: one edit
		{"formt", "format"},   // one left out
		{"formatt", "format"}, // one too many
		{"JSON", "json"},      // case alone
		{"Json", "json"},      // case alone
		{"jsn", "json"},       // short: one edit allowed
		{"jn", ""},            // short: two edits are too many
		{"al", "all"},         // one added
		{"header", "request-headers"},
		{"headers", "request-headers"},
		{"method", "request-method"},
		{"request", ""},         // a part of two flags: no guess
		{"var-fle", "var-file"}, // one edit from var-file
		{"vars", "var"},         // one edit from var
		{"examples", "example"}, // one edit
		{"bogus", ""},           // nothing near
		{"", ""},
		{"resorce", "resource"},
		{"inptu", "input"},
		{"requestmethod", "request-method"},
	} {
		t.Run(tc.word, func(t *testing.T) {
			t.Parallel()
			if got := closest(tc.word, flags); got != tc.want {
				t.Errorf("closest(%q) = %q, want %q", tc.word, got, tc.want)
			}
		})
	}
}

// TestEditDistance checks the distance against values worked out by
// hand, and that it stops at its limit.
func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 2, 0},
		{"abc", "abc", 2, 0},
		{"abc", "acb", 2, 1},  // one swap
		{"abc", "ab", 2, 1},   // one deletion
		{"abc", "abxc", 2, 1}, // one insertion
		{"abc", "axc", 2, 1},  // one substitution
		{"ca", "abc", 3, 3},   // optimal string alignment: no edit of a swapped pair
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // over the limit: limit+1
		{"a", "abcdef", 2, 3},       // lengths too far apart
	} {
		if got := editDistance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}
