package lint

import (
	"slices"
	"strconv"

	"github.com/s3cors/s3cors/corsrule"
)

// shadowAnalysis finds rules, and origins of rules, that never answer a
// request because earlier rules answer every request they would match.
//
// It is sound: it never calls a rule unreachable when some request
// reaches it. Rule j's origin o is shadowed when, for each method m of j,
// one single earlier rule i allows m, has an origin pattern that admits
// every origin o admits, and admits every header name j admits. Then any
// request j would answer through o (its Origin admitted by o, its method
// m, its requested names admitted by j) is admitted by i, which comes
// first. A rule whose origins are all shadowed is unreachable. An Origin
// the evaluator refuses outright (not printable ASCII) matches no rule at
// all, so it changes nothing here.
type shadowAnalysis struct {
	origins [][]pattern
	headers [][]pattern
	methods [][]string
	covers  map[[2]int]bool // memo of headersCover
}

func newShadowAnalysis(rules []corsrule.Rule) *shadowAnalysis {
	a := &shadowAnalysis{
		origins: make([][]pattern, len(rules)),
		headers: make([][]pattern, len(rules)),
		methods: make([][]string, len(rules)),
		covers:  map[[2]int]bool{},
	}
	for i, r := range rules {
		for _, o := range r.AllowedOrigins {
			a.origins[i] = append(a.origins[i], originPattern(o))
		}
		for _, h := range r.AllowedHeaders {
			a.headers[i] = append(a.headers[i], headerPattern(h))
		}
		a.methods[i] = r.AllowedMethods
	}
	return a
}

// headersCover reports whether rule i admits every header name rule j
// admits: each AllowedHeader of j is subsumed by one of i. A rule j without
// AllowedHeaders admits no name, so any i covers it.
func (a *shadowAnalysis) headersCover(i, j int) bool {
	key := [2]int{i, j}
	if v, ok := a.covers[key]; ok {
		return v
	}
	v := true
	for _, hj := range a.headers[j] {
		if !slices.ContainsFunc(a.headers[i], func(hi pattern) bool { return hi.subsumes(hj) }) {
			v = false
			break
		}
	}
	a.covers[key] = v
	return v
}

// shadowers returns the earlier rules (0-based, ascending) that together
// answer every request rule j would answer through its origin o, and
// whether there are such rules.
func (a *shadowAnalysis) shadowers(j int, o pattern) ([]int, bool) {
	if len(a.methods[j]) == 0 {
		return nil, false // not a valid rule: claim nothing
	}
	// candidate[i]: rule i admits every origin o admits and every header j admits.
	candidate := make([]bool, j)
	for i := range j {
		candidate[i] = slices.ContainsFunc(a.origins[i], func(p pattern) bool { return p.subsumes(o) }) && a.headersCover(i, j)
	}
	var by []int
	for _, m := range a.methods[j] {
		found := -1
		for i := range j {
			if candidate[i] && slices.Contains(a.methods[i], m) {
				found = i
				break
			}
		}
		if found < 0 {
			return nil, false
		}
		if !slices.Contains(by, found) {
			by = append(by, found)
		}
	}
	slices.Sort(by)
	return by, true
}

// unreachable reports rule i when earlier rules answer every request it
// would match, and otherwise each of its origins that earlier rules
// shadow.
func (c *checker) unreachable(a *shadowAnalysis, j int) {
	if len(c.r.AllowedOrigins) == 0 {
		return
	}
	var all []int
	type shadowed struct {
		index int
		by    []int
	}
	var partial []shadowed
	reachable := false
	for k, o := range c.r.AllowedOrigins {
		by, ok := a.shadowers(j, a.origins[j][k])
		if !ok {
			reachable = true
			continue
		}
		for _, i := range by {
			if !slices.Contains(all, i) {
				all = append(all, i)
			}
		}
		if slices.Index(c.r.AllowedOrigins, o) == k { // report a value listed twice once
			partial = append(partial, shadowed{k, by})
		}
	}
	if !reachable {
		slices.Sort(all)
		names := oneBased(all)
		c.add(IDUnreachableRule, fieldRule, noIndex, "",
			capitalize(ruleList(names))+" "+answerVerb(len(names))+" every request this rule would match (the same or broader origins, methods and headers), so S3 never uses it.",
			"Remove the rule, or move it above "+ruleList(names)+" if its answer is the one you want.")
		return
	}
	for _, s := range partial {
		names := oneBased(s.by)
		o := c.r.AllowedOrigins[s.index]
		c.add(IDShadowedOrigin, fieldOrigin, s.index, o,
			capitalize(ruleList(names))+" "+answerVerb(len(names))+" every request this origin would bring to this rule, so S3 never uses it here.",
			"Remove "+strconv.Quote(o)+" from this rule.")
	}
}

func oneBased(rules []int) []int {
	out := make([]int, len(rules))
	for i, r := range rules {
		out[i] = r + 1
	}
	return out
}

func answerVerb(n int) string {
	if n == 1 {
		return "answers"
	}
	return "answer"
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
