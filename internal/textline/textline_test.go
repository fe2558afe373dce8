package textline_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/textline"
)

func TestStarts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data           string
		starts, lfOnly []int
	}{
		{"", []int{0}, []int{0}},
		{"a", []int{0}, []int{0}},
		{"a\nb", []int{0, 2}, []int{0, 2}},
		{"a\r\nb", []int{0, 3}, []int{0, 3}},
		{"a\rb", []int{0, 2}, []int{0}},
		{"a\n", []int{0, 2}, []int{0, 2}},
		{"a\r", []int{0, 2}, []int{0}},
		{"\r\r\n\n\r", []int{0, 1, 3, 4, 5}, []int{0, 3, 4}},
		{"a\n\rb\r\n", []int{0, 2, 3, 6}, []int{0, 2, 6}},
		{"\u2028x\u0085", []int{0}, []int{0}}, // NEL, LS and PS end no line in YAML 1.2, nor in editors
	}
	for _, tc := range tests {
		t.Run(tc.data, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.starts, textline.Starts([]byte(tc.data))); diff != "" {
				t.Errorf("Starts(%q) (-want +got):\n%s", tc.data, diff)
			}
			if diff := cmp.Diff(tc.lfOnly, textline.LFStarts([]byte(tc.data))); diff != "" {
				t.Errorf("LFStarts(%q) (-want +got):\n%s", tc.data, diff)
			}
		})
	}
}
