package bucket

import (
	"strconv"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// TestOriginIndexExact checks the exact origins on both sides of the
// switch from a scan to a map: an origin listed by rules before and after
// the distinct origin that causes the switch is admitted by all of them,
// whether it sits in the scan or in the map.
func TestOriginIndexExact(t *testing.T) {
	t.Parallel()
	rule := func(origins ...string) corsrule.Rule {
		return corsrule.Rule{AllowedOrigins: origins, AllowedMethods: []string{"GET"}}
	}
	site := func(i int) string { return "https://" + strconv.Itoa(i) + ".example" }
	for _, c := range []struct {
		name    string
		rules   []corsrule.Rule
		origin  string
		want    []int // the rules that admit origin
		scanned bool  // whether the index scans instead of hashing
	}{
		{"four, one listed twice", []corsrule.Rule{rule(site(1), site(2)), rule(site(3), site(4)), rule(site(1))}, site(1), []int{0, 2}, true},
		{"four, a fifth refused", []corsrule.Rule{rule(site(1), site(2), site(3), site(4))}, site(5), nil, true},
		{"the fifth in the rule that switches", []corsrule.Rule{rule(site(1), site(2), site(3), site(4)), rule(site(5), site(1))}, site(1), []int{0, 1}, false},
		{"the fifth itself", []corsrule.Rule{rule(site(1), site(2), site(3), site(4)), rule(site(5), site(1))}, site(5), []int{1}, false},
		{"before and after the switch", []corsrule.Rule{rule(site(1), site(2)), rule(site(3)), rule(site(4), site(5), site(6)), rule(site(7), site(3))}, site(3), []int{1, 3}, false},
		{"a repeat is no new origin", []corsrule.Rule{rule(site(1), site(1), site(2)), rule(site(2), site(3), site(4), site(1))}, site(1), []int{0, 1}, true},
		{"invalid origins are not counted", []corsrule.Rule{rule(site(1), "bad origin", site(2), site(3), "bad\x00", site(4))}, site(4), []int{0}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			idx := newOriginIndex(c.rules)
			if scanned := idx.exact == nil; scanned != c.scanned {
				t.Errorf("scanned = %v, want %v (%d origins in the scan)", scanned, c.scanned, len(idx.few))
			}
			var want ruleSet
			for _, i := range c.want {
				want.add(i)
			}
			if got := idx.admitting(c.origin); got.rules != want || got.any != !want.empty() {
				t.Errorf("admitting(%q) = rules %b, any %v; want rules %b", c.origin, got.rules, got.any, want)
			}
		})
	}
}
