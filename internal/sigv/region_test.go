package sigv_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/sigv"
)

func TestValidRegion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		region string
		want   bool
	}{
		{"us-east-1", true},
		{"garage", true},
		{"store.example-1", true},
		{"EU-West-1", true},
		{strings.Repeat("a", 63), true},
		{"", false},
		{strings.Repeat("a", 64), false},
		{"us east 1", false},
		{"us-east-1/s3", false},
		{"-us", false},
		{"us-", false},
		{"a..b", false},
		{"a_b", false},
		{"x</LocationConstraint>", false},
		{"eu-central-2", true}, {"us-gov-west-1", true}, {"cn-northwest-1", true}, {"il-central-1", true},
		{"auto", true}, {"US-EAST-1", true}, {"a.b", true},
		{"bad region!", false}, {"-us-east-1", false}, {"us-east-1-", false}, {"us_east_1", false}, {"us/east", false},
	} {
		t.Run(c.region, func(t *testing.T) {
			t.Parallel()
			if got := sigv.ValidRegion(c.region); got != c.want {
				t.Errorf("ValidRegion(%q) = %v, want %v", c.region, got, c.want)
			}
			err := sigv.CheckRegion(c.region)
			if (err == nil) != c.want || err != nil && !strings.Contains(err.Error(), strconv.Quote(c.region)+" is not a region name") {
				t.Errorf("CheckRegion(%q) = %v, want ok %v", c.region, err, c.want)
			}
		})
	}
}

func TestCheckAccessKey(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		access string
		ok     bool
	}{
		{"AKIAIOSFODNN7EXAMPLE", true},
		{"minio_user-1.x", true},
		{"a b", true}, // a space stays inside the Credential's part
		{"a=b", true},
		{"AK/1", false},
		{"AK,1", false},
		{"AK\n", false},
		{"AK\x7f", false},
	} {
		t.Run(c.access, func(t *testing.T) {
			t.Parallel()
			if err := sigv.CheckAccessKey(c.access); (err == nil) != c.ok {
				t.Errorf("CheckAccessKey(%q) = %v, want ok %v", c.access, err, c.ok)
			}
		})
	}
}
