package s3server

import (
	"net/url"
	"testing"
)

// TestListLimit checks how many entries a page holds for the page size
// asked: at most 1000, whatever MaxKeys echoes.
func TestListLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query          string
		maxKeys, limit int
	}{
		{"", 1000, 1000},
		{"max-keys=", 1000, 1000},
		{"max-keys=0", 0, 0},
		{"max-keys=05", 5, 5},
		{"max-keys=1000", 1000, 1000},
		{"max-keys=1001", 1001, 1000},
		{"max-keys=2147483647", 2147483647, 1000},
		{"max-keys=-1", -1, 0},
	}
	for _, tc := range tests {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseListParams(q, "max-keys")
		if err != nil || p.maxKeys != tc.maxKeys || p.limit != tc.limit {
			t.Errorf("?%s: maxKeys %d, limit %d, %v; want %d, %d", tc.query, p.maxKeys, p.limit, err, tc.maxKeys, tc.limit)
		}
	}
}
