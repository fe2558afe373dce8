package xmlconfig

import (
	"math"
	"testing"
)

// TestJSString checks jsString against String(x) as Node.js 20 writes it.
func TestJSString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   float64
		want string
	}{
		{0.1, "0.1"},
		{1e21, "1e+21"},
		{1e-7, "1e-7"},
		{123456789012345678901, "123456789012345680000"},
		{1.5e-7, "1.5e-7"},
		{0.000001, "0.000001"},
		{0.0000015, "0.0000015"},
		{-1.5, "-1.5"},
		{9007199254740993, "9007199254740992"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{100, "100"},
		{1e20, "100000000000000000000"},
		{123.456, "123.456"},
		{math.Copysign(0, -1), "0"},
		{2.5e-6, "0.0000025"},
		{1234567.0, "1234567"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{math.NaN(), "NaN"},
	}
	for _, tc := range tests {
		if got := jsString(tc.in); got != tc.want {
			t.Errorf("jsString(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
