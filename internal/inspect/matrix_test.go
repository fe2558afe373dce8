package inspect

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// TestMatrixRows checks the rows of the matrix as the page marks them:
// "every site" and its danger by lint's any-origin-writes, and "never"
// for a value no browser's Origin matches (origins compare byte for
// byte and browsers send them in lower case), whose cells name no rule
// even where a later rule's pattern would admit its text.
func TestMatrixRows(t *testing.T) {
	t.Parallel()
	rules := []corsrule.Rule{
		{AllowedOrigins: []string{"HTTPS://APP.EXAMPLE.COM", "https://app.example.com"}, AllowedMethods: []string{"GET"}},
		{AllowedOrigins: []string{"http://*"}, AllowedMethods: []string{"GET", "PUT"}},
		{AllowedOrigins: []string{"https://*", "https://*.EXAMPLE.com"}, AllowedMethods: []string{"DELETE"}},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"HEAD", "POST"}},
		{AllowedOrigins: []string{"capacitor://*"}, AllowedMethods: []string{"PUT"}},
	}
	// Each row: its marks, then each method's cell (GET, HEAD, POST,
	// PUT, DELETE) as the rule's number, "!" for a danger, "-" for none.
	tests := []struct{ origin, want string }{
		{"HTTPS://APP.EXAMPLE.COM", "never - - - - -"},
		{"https://app.example.com", "1 4 4 - 3"},
		{"http://*", "every 2 4 4! 2! -"},
		{"https://*", "every - 4 4! - 3!"},
		{"https://*.EXAMPLE.com", "never - - - - -"},
		{"*", "every - 4 4! - -"},
		{"capacitor://*", "- 4 4 5 -"},
	}
	m := newMatrix(rules)
	if len(m.Rows) != len(tests) {
		t.Fatalf("%d rows, want %d", len(m.Rows), len(tests))
	}
	for k, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			t.Parallel()
			row := m.Rows[k]
			if row.Origin != tt.origin {
				t.Fatalf("row %d is %q, want %q", k, row.Origin, tt.origin)
			}
			if got := rowSummary(row); got != tt.want {
				t.Errorf("row %q = %q, want %q", tt.origin, got, tt.want)
			}
		})
	}
}

// rowSummary writes a row as TestMatrixRows's table does.
func rowSummary(row matrixRow) string {
	var parts []string
	if row.Any {
		parts = append(parts, "every")
	}
	if row.Never {
		parts = append(parts, "never")
	}
	for _, c := range row.Cells {
		s := "-"
		if c.Rule > 0 {
			s = strconv.Itoa(c.Rule)
		}
		if c.Danger {
			s += "!"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
