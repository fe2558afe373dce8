package iac

import (
	"runtime"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// TestRuleKeysBounded checks that the keys that tell rules apart take
// no memory in proportion to the rules' values: they spelled every
// value, quoted, and a rule listing 3,000 aliases of a 500 KB string
// ran out of memory in listKey (audit13). It is not parallel: what it
// allocates is measured for the whole process.
func TestRuleKeysBounded(t *testing.T) {
	long := strings.Repeat("a", 100000)
	origins := make([]string, 100) // 10 MB, one string
	for i := range origins {
		origins[i] = long
	}
	r := corsrule.Rule{AllowedOrigins: origins, AllowedMethods: []string{"GET"}}
	all := func(Field) bool { return true }
	for _, tc := range []struct {
		name string
		key  func() string
	}{
		{"listKey", func() string { return listKey(r, all) }},
		{"setKey", func() string { return setKey(r, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			tc.key()
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
				t.Errorf("allocated %d bytes for a rule of 10 MB, want at most 64 KiB", n)
			}
		})
	}
}

// TestRuleKeysApart checks that rules whose parts differ get keys that
// differ, where a spelling that runs the parts together would not.
func TestRuleKeysApart(t *testing.T) {
	t.Parallel()
	age := int32(5)
	all := func(Field) bool { return true }
	for _, tc := range []struct {
		name string
		a, b corsrule.Rule
	}{
		{"one origin or two", corsrule.Rule{AllowedOrigins: []string{"ab"}}, corsrule.Rule{AllowedOrigins: []string{"a", "b"}}},
		{"origin or method", corsrule.Rule{AllowedOrigins: []string{"GET"}}, corsrule.Rule{AllowedMethods: []string{"GET"}}},
		{"empty list or none", corsrule.Rule{AllowedHeaders: []string{""}}, corsrule.Rule{}},
		{"id or max age", corsrule.Rule{ID: "5"}, corsrule.Rule{MaxAgeSeconds: &age}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if listKey(tc.a, all) == listKey(tc.b, all) {
				t.Errorf("listKey: %+v and %+v spell alike", tc.a, tc.b)
			}
			if setKey(tc.a, 0) == setKey(tc.b, 0) {
				t.Errorf("setKey: %+v and %+v spell alike", tc.a, tc.b)
			}
		})
	}
	// The same rule spells alike, a set's lists in any order.
	a := corsrule.Rule{AllowedOrigins: []string{"x", "y"}, MaxAgeSeconds: &age}
	b := corsrule.Rule{AllowedOrigins: []string{"y", "x"}, MaxAgeSeconds: &age}
	c := corsrule.Rule{AllowedOrigins: []string{"x", "y"}, MaxAgeSeconds: &age}
	if setKey(a, 0) != setKey(b, 0) || listKey(a, all) != listKey(c, all) {
		t.Error("the same rule spells otherwise")
	}
}
