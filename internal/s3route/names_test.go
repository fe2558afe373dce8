package s3route_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/s3route"
)

// TestKeyError checks an object key as S3 does: at most 1,024 bytes of
// UTF-8 (object-keys.html), else KeyTooLongError, or InvalidURI for
// bytes that are not UTF-8.
func TestKeyError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, key, want string
	}{
		{"1024 bytes", strings.Repeat("k", 1024), ""},
		{"1025 bytes", strings.Repeat("k", 1025), "KeyTooLongError"},
		{"1024 bytes of two-byte characters", strings.Repeat("é", 512), ""},
		{"not UTF-8", "k\xff", "InvalidURI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ""
			if e := s3route.KeyError(tc.key); e != nil {
				got = e.Code
			}
			if got != tc.want {
				t.Errorf("KeyError = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCreatableBucketName checks the rules of bucketnamingrules.html for
// general purpose buckets: 3 to 63 characters, lower-case letters,
// digits, dots and hyphens, a letter or digit first and last, no two
// adjacent dots, no hyphen next to a dot (s3-tests' dash_dot and
// dot_dash), not an IP address, none of the reserved prefixes
// (xn--, sthree-, amzn-s3-demo-) and suffixes (-s3alias, --ol-s3, .mrap,
// --x-s3, --table-s3). StoredBucketName takes the names with a hyphen
// next to a dot, which s3cors serve created before it refused them.
func TestCreatableBucketName(t *testing.T) {
	t.Parallel()
	dashDot := []string{"a-.b", "abc.-d", "foo-.bar", "foo.-bar", "a.b-.c", "a-.-b"}
	for _, name := range dashDot {
		if s3route.CreatableBucketName(name) || !s3route.StoredBucketName(name) {
			t.Errorf("%q: CreatableBucketName %v, StoredBucketName %v; want false, true", name,
				s3route.CreatableBucketName(name), s3route.StoredBucketName(name))
		}
	}
	for name, want := range map[string]bool{
		"abc": true, "a.b-c": true, strings.Repeat("a", 63): true, "az09": true, "9a0z": true, "0-z": true, "z.9": true,
		"a--b": true, "a-b.c-d": true,
		"ab": false, strings.Repeat("a", 64): false, "Abc": false, "abC": false, "a_b": false, "a b": false,
		"a`b": false, "a{b": false, "a/b": false, "a:b": false, "`ab": false, "ab{": false, "/ab": false, "ab:": false,
		"-ab": false, "ab-": false, ".ab": false, "ab.": false, "a..b": false, "192.168.5.4": false,
		"xn--abc": false, "sthree-ab": false, "amzn-s3-demo-ab": false,
		"ab-s3alias": false, "ab--ol-s3": false, "ab.mrap": false, "ab--x-s3": false, "ab--table-s3": false,
	} {
		if got := s3route.CreatableBucketName(name); got != want {
			t.Errorf("CreatableBucketName(%q) = %v, want %v", name, got, want)
		}
		if got := s3route.StoredBucketName(name); got != want {
			t.Errorf("StoredBucketName(%q) = %v, want %v", name, got, want)
		}
	}
}
