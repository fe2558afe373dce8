package lint_test

import (
	"slices"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/lint"
)

func TestReachOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		origin string
		want   lint.OriginReach
	}{
		{"*", lint.OriginReach{Every: true}},
		{"https://*", lint.OriginReach{Every: true}},
		{"http://*", lint.OriginReach{Every: true}},
		{"capacitor://*", lint.OriginReach{}}, // apps, not websites
		{"https://app.example.com", lint.OriginReach{}},
		{"https://*.example.com", lint.OriginReach{}},
		{"null", lint.OriginReach{}},
		{"HTTPS://APP.EXAMPLE.COM", lint.OriginReach{Never: true}},
		{"https://*.EXAMPLE.com", lint.OriginReach{Never: true}},
		{"https://app.example.com/", lint.OriginReach{Never: true}},
		{"https://app.example.com:443", lint.OriginReach{Never: true}},
		{"", lint.OriginReach{Never: true}},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			t.Parallel()
			if got := lint.ReachOf(tt.origin); got != tt.want {
				t.Errorf("ReachOf(%q) = %+v, want %+v", tt.origin, got, tt.want)
			}
			// Every is what any-origin-writes says of a rule that writes.
			found := lint.Check([]corsrule.Rule{{AllowedOrigins: []string{tt.origin}, AllowedMethods: []string{"DELETE"}}})
			writes := slices.ContainsFunc(found, func(f lint.Finding) bool { return f.ID == lint.IDAnyOriginWrites })
			if writes != tt.want.Every {
				t.Errorf("Check reports any-origin-writes for %q: %v, want %v", tt.origin, writes, tt.want.Every)
			}
		})
	}
}
