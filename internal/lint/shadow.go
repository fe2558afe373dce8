package lint

import (
	"slices"
	"strconv"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
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
	rules   []corsrule.Rule
	origins [][]pattern
	headers [][]pattern
	methods [][]string
	covers  map[[2]int]bool // memo of headersCover
}

// newShadowAnalysis prepares rules for the shadow questions: each rule's
// origins and headers as patterns, read once instead of at every pair of
// rules compared.
func newShadowAnalysis(rules []corsrule.Rule) *shadowAnalysis {
	a := &shadowAnalysis{
		rules:   rules,
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
	// originShadowed[k]: earlier rules answer every request origin k
	// would match.
	originShadowed := make([]bool, len(c.r.AllowedOrigins))
	for k, o := range c.r.AllowedOrigins {
		by, ok := a.shadowers(j, a.origins[j][k])
		if !ok {
			reachable = true
			continue
		}
		originShadowed[k] = true
		for _, i := range by {
			if !slices.Contains(all, i) {
				all = append(all, i)
			}
		}
		if slices.Index(c.r.AllowedOrigins, o) == k { // report a value listed twice once
			partial = append(partial, shadowed{k, by})
		}
	}
	if reachable {
		c.shadowedMethods(originShadowed)
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

// An actual request is matched on its Origin and method alone (spec §4):
// its real headers are never checked, whatever headers its preflight asked
// for. So a method m of rule j is answered by earlier rules, for every
// actual request j would match, when each origin pattern o of j is
// subsumed by one of an earlier rule that allows m; the rules that answer
// are then among those that allow m, admit some origin j admits
// (overlaps, which is exact), and come no later than the last of the
// first such rules of j's origins (past it, every request has found its
// rule). shadowedMethods reports such methods when every one of those
// rules answers differently from j in what the page sees: an
// ExposeHeader of j none of them exposes (scripts cannot read the
// header), or Access-Control-Allow-Origin * from all of them where j
// echoes the origin with Access-Control-Allow-Credentials (a request with
// credentials fails). When, for each origin of j, an earlier rule that
// subsumes it and allows m admits every header j admits too, as
// unreachable-rule asks, the preflights for m are earlier rules' as well,
// found the same way among the rules up to the last of those, which may
// come after the rules that answer the actual requests; a MaxAgeSeconds of
// j longer than all of theirs is lost. When that holds for some of j's
// origins only (someOriginsShadow), the same is said of the requests
// those origins admit, the answering rules being those that admit some
// origin one of them admits.

// methodShadow is what rule j loses to earlier rules for one method.
type methodShadow struct {
	// origins are the indexes of j's AllowedOrigins whose requests the
	// shadow is about, ascending; nil for all of them.
	origins []int
	by      []int    // the earlier rules that may answer, 0-based, ascending
	exposes []string // j's ExposeHeaders none of them exposes
	anyOnly bool     // they all answer *, where j echoes the origin
	// maxAge is j's MaxAgeSeconds when the preflights are earlier rules'
	// too, preflightBy those that may answer them, and each of those has
	// browsers cache its answer for less; nil otherwise. A preflight that
	// asks for headers may pass the rules that answer the actual requests
	// and reach a later one.
	maxAge      *int32
	preflightBy []int
}

func (s *methodShadow) loses() bool { return len(s.exposes) > 0 || s.anyOnly || s.maxAge != nil }

func (s *methodShadow) equal(t methodShadow) bool {
	return slices.Equal(s.origins, t.origins) && slices.Equal(s.by, t.by) && slices.Equal(s.exposes, t.exposes) && s.anyOnly == t.anyOnly &&
		(s.maxAge == nil) == (t.maxAge == nil) && slices.Equal(s.preflightBy, t.preflightBy)
}

// safelistedResponseHeaders are the CORS-safelisted response-header names
// of the Fetch standard: scripts read them without
// Access-Control-Expose-Headers, so losing their exposure loses nothing.
var safelistedResponseHeaders = []string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}

// exposedName returns an ExposeHeader as browsers compare it: without the
// spaces and tabs around it, in lower case.
func exposedName(h string) string { return ascii.ToLower(ascii.TrimOWS(h)) }

// ruleShadow holds, for rule j, what its methods' shadows are made of,
// computed once for all its methods.
type ruleShadow struct {
	a *shadowAnalysis
	j int
	// subsumers[k] are the earlier rules (0-based, ascending) with an
	// origin pattern that admits every origin origin k of j admits.
	subsumers [][]int
	// overlaps[i] says whether earlier rule i has an origin pattern that
	// admits an origin j admits too: 0 not known yet, 1 yes, 2 no.
	overlaps []int8
}

func (a *shadowAnalysis) ruleShadow(j int) *ruleShadow {
	rs := &ruleShadow{a: a, j: j, subsumers: make([][]int, len(a.origins[j])), overlaps: make([]int8, j)}
	for k, o := range a.origins[j] {
		for i := range j {
			if slices.ContainsFunc(a.origins[i], func(p pattern) bool { return p.subsumes(o) }) {
				rs.subsumers[k] = append(rs.subsumers[k], i)
			}
		}
	}
	return rs
}

// overlapping reports whether earlier rule i admits some origin rule j
// admits through its origins ks (indexes of its AllowedOrigins; nil for
// all).
func (rs *ruleShadow) overlapping(i int, ks []int) bool {
	if ks != nil {
		a := rs.a
		return slices.ContainsFunc(a.origins[i], func(p pattern) bool {
			return slices.ContainsFunc(ks, func(k int) bool { return p.overlaps(a.origins[rs.j][k]) })
		})
	}
	if rs.overlaps[i] == 0 {
		a := rs.a
		rs.overlaps[i] = 2
		if slices.ContainsFunc(a.origins[i], func(p pattern) bool { return slices.ContainsFunc(a.origins[rs.j], p.overlaps) }) {
			rs.overlaps[i] = 1
		}
	}
	return rs.overlaps[i] == 1
}

// preflightsAnswered reports whether earlier rules answer every
// preflight for method m that rule j would match: whether, for each of
// its origins, one earlier rule allows m and admits every origin that one
// admits and every header name j admits (unreachable-rule's test, for one
// method), and returns the last of the first such rules of j's origins,
// past which no such preflight gets.
func (rs *ruleShadow) preflightsAnswered(m string) (last int, ok bool) {
	return rs.preflightsAnsweredFor(m, nil)
}

// preflightsAnsweredFor is preflightsAnswered for the preflights rule j
// would match through its origins ks (indexes of its AllowedOrigins; nil
// for all).
func (rs *ruleShadow) preflightsAnsweredFor(m string, ks []int) (last int, ok bool) {
	a, j := rs.a, rs.j
	for k, by := range rs.subsumers {
		if ks != nil && !slices.Contains(ks, k) {
			continue
		}
		k := slices.IndexFunc(by, func(i int) bool { return slices.Contains(a.methods[i], m) && a.headersCover(i, j) })
		if k < 0 {
			return 0, false
		}
		last = max(last, by[k])
	}
	return last, true
}

// methodShadow returns what rule j loses to earlier rules for method m,
// or false when some actual request for m that j would match is answered
// by j or a later rule.
func (rs *ruleShadow) methodShadow(m string) (methodShadow, bool) {
	return rs.methodShadowFor(m, nil)
}

// methodShadowFor is methodShadow for the requests rule j would match
// through its origins ks (indexes of its AllowedOrigins; nil for all):
// only those, whose Origin one of ks admits, are answered by the rules
// it names.
func (rs *ruleShadow) methodShadowFor(m string, ks []int) (methodShadow, bool) {
	a, j := rs.a, rs.j
	allows := func(i int) bool { return slices.Contains(a.methods[i], m) }
	// No actual request for m that j admits gets past rule last, nor
	// any preflight past rule lastPreflight, when preflights is set.
	last := 0
	for k, by := range rs.subsumers {
		if ks != nil && !slices.Contains(ks, k) {
			continue
		}
		k := slices.IndexFunc(by, allows)
		if k < 0 {
			return methodShadow{}, false
		}
		last = max(last, by[k])
	}
	lastPreflight, preflights := rs.preflightsAnsweredFor(m, ks)
	answering := func(last int) []int {
		var by []int
		for i := range last + 1 {
			if allows(i) && rs.overlapping(i, ks) {
				by = append(by, i)
			}
		}
		return by
	}
	s := methodShadow{origins: ks, by: answering(last)}
	r := &a.rules[j]
	for _, h := range r.ExposeHeaders {
		name := exposedName(h)
		if slices.Contains(safelistedResponseHeaders, name) || slices.ContainsFunc(s.exposes, func(e string) bool { return exposedName(e) == name }) {
			continue
		}
		if !slices.ContainsFunc(s.by, func(i int) bool {
			return slices.ContainsFunc(a.rules[i].ExposeHeaders, func(e string) bool { return exposedName(e) == name })
		}) {
			s.exposes = append(s.exposes, h)
		}
	}
	s.anyOnly = !slices.Contains(r.AllowedOrigins, "*") &&
		!slices.ContainsFunc(s.by, func(i int) bool { return !slices.Contains(a.rules[i].AllowedOrigins, "*") })
	if preflights && r.MaxAgeSeconds != nil && *r.MaxAgeSeconds > 0 {
		by := answering(lastPreflight)
		if !slices.ContainsFunc(by, func(i int) bool { return cachedFor(a.rules[i].MaxAgeSeconds) >= cachedFor(r.MaxAgeSeconds) }) {
			s.maxAge, s.preflightBy = r.MaxAgeSeconds, by
		}
	}
	return s, true
}

// mayLose reports whether earlier rules could answer differently from r in
// what the page sees: r exposes a header scripts cannot read otherwise,
// echoes the origin, or has browsers cache its preflight answers.
func mayLose(r *corsrule.Rule) bool {
	return !slices.Contains(r.AllowedOrigins, "*") || r.MaxAgeSeconds != nil && *r.MaxAgeSeconds > 0 ||
		slices.ContainsFunc(r.ExposeHeaders, func(h string) bool { return !slices.Contains(safelistedResponseHeaders, exposedName(h)) })
}

// cachedFor returns how long the browser that caches longest (Firefox,
// capped at FirefoxMaxAge) keeps a preflight answer with this
// MaxAgeSeconds: 5 seconds without one, none for 0 or less.
func cachedFor(age *int32) int {
	switch {
	case age == nil:
		return 5
	case *age <= 0:
		return 0
	}
	return min(int(*age), FirefoxMaxAge)
}

// shadowedMethods reports the methods of the rule that earlier rules answer
// for every actual request, with a difference the page sees; methods that
// lose the same to the same rules share a finding. originShadowed[k] is
// set when earlier rules answer every request the rule's origin k would
// match (unreachable's shadowers).
func (c *checker) shadowedMethods(originShadowed []bool) {
	if !mayLose(c.r) {
		return
	}
	groups, methods := c.methodShadows(originShadowed)
	for g, s := range groups {
		c.reportShadowedMethods(s, methods[g])
	}
}

// methodShadows returns what the rule loses to earlier rules for each of
// its methods that loses something, each method listed once, methods
// that lose the same to the same rules grouped: methods[g] are the
// methods of groups[g], in the rule's order. It exists so that
// shadowedMethods reads as one finding per group.
func (c *checker) methodShadows(originShadowed []bool) (groups []methodShadow, methods [][]string) {
	rs := c.ruleShadow()
	for k, m := range c.r.AllowedMethods {
		if slices.Index(c.r.AllowedMethods, m) < k {
			continue
		}
		s, ok := rs.methodShadow(m)
		if !ok {
			// Earlier rules may answer m for some of the rule's origins
			// only: "https://app.example.com" and "https://other.org"
			// after a rule for "https://*.example.com".
			s, ok = c.someOriginsShadow(rs, m, originShadowed)
		}
		if !ok || !s.loses() {
			continue
		}
		if g := slices.IndexFunc(groups, func(t methodShadow) bool { return s.equal(t) }); g >= 0 {
			methods[g] = append(methods[g], m)
			continue
		}
		groups = append(groups, s)
		methods = append(methods, []string{m})
	}
	return groups, methods
}

// reportShadowedMethods adds the shadowed-method finding of the methods
// that lose s to earlier rules. It exists to keep the wording of the
// finding apart from finding the methods.
func (c *checker) reportShadowedMethods(s methodShadow, methods []string) {
	names := oneBased(s.by)
	ms := JoinAnd(methods)
	from := c.fromOrigins(s.origins)
	why := shadowedMethodsWhy(s, ms, from)
	fix := "Move this rule above " + ruleList(names) + " if its answer is the one you want for " + ms + ", or remove " + ms + " from it."
	if s.origins != nil {
		// Removing the methods would lose them for the other
		// origins too.
		fix = "Move this rule above " + ruleList(names) + " if its answer is the one you want for " + ms + from + "."
	}
	c.add(IDShadowedMethod, fieldMethod, noIndex, "", why+".", fix)
}

// fromOrigins returns " from " and the rule's origins at the indexes ks,
// quoted, or "" when ks is nil (the shadow is about all of them). It
// exists because the why and the fix of a finding both name them.
func (c *checker) fromOrigins(ks []int) string {
	if ks == nil {
		return ""
	}
	quoted := make([]string, len(ks))
	for i, k := range ks {
		quoted[i] = strconv.Quote(c.r.AllowedOrigins[k])
	}
	return " from " + JoinAnd(quoted)
}

// shadowedMethodsWhy returns the why of the shadowed-method finding of
// the methods ms (from: the origins it is about, as fromOrigins says
// them) that lose s, without its final period: which rules answer the
// actual requests and the preflights, and what the page loses. It exists
// to keep reportShadowedMethods short.
func shadowedMethodsWhy(s methodShadow, ms, from string) string {
	names := oneBased(s.by)
	why := capitalize(ruleList(names)) + " " + answerVerb(len(names)) + " every actual " + ms + " request this rule would match" + from + ", since S3 matches those on Origin and method alone"
	if s.maxAge != nil {
		pre := oneBased(s.preflightBy)
		admit := " whose headers it admits too"
		if len(pre) > 1 {
			admit = " whose headers they admit too"
		}
		if slices.Equal(pre, names) {
			why += ", and every preflight for " + ms + from + "," + admit
		} else {
			why += ", and " + ruleList(pre) + " " + answerVerb(len(pre)) + " every preflight for " + ms + from + "," + admit
		}
	}
	actual := lostInAnswers(s)
	why += ": " + actual
	if s.maxAge != nil {
		preflights := "them"
		if actual != "" {
			why += "; "
			preflights = "the preflights"
		}
		why += "browsers cache the answers to " + preflights + " for less than this rule's MaxAgeSeconds " + strconv.Itoa(int(*s.maxAge))
	}
	return why
}

// lostInAnswers returns what the earlier rules' answers to the actual
// requests lack that the rule's have (headers they do not expose, the
// page's origin where they carry *), or "" when they lack nothing but a
// MaxAgeSeconds. It exists to name that part of the why.
func lostInAnswers(s methodShadow) string {
	var actual string
	answers := "their answers"
	if s.maxAge != nil {
		answers = "the answers to the actual requests"
	}
	if len(s.exposes) > 0 {
		quoted := make([]string, len(s.exposes))
		for i, e := range s.exposes {
			quoted[i] = strconv.Quote(e)
		}
		actual = answers + " do not expose " + JoinAnd(quoted) + " as this rule's do"
		if s.anyOnly {
			actual += ", and carry"
		}
	} else if s.anyOnly {
		actual = answers + " carry"
	}
	if s.anyOnly {
		actual += " Access-Control-Allow-Origin * rather than the page's origin, which fails a request with credentials"
	}
	return actual
}

// someOriginsShadow returns what the rule loses for method m through those
// of its origins whose every actual request for m earlier rules answer,
// when that is some of them but not all (methodShadow speaks of all), and
// false when there are none. It leaves out an origin shadowed-origin
// reports, whose every request, for every method, earlier rules answer:
// that finding says all there is to say of it, as unreachable-rule does of
// a whole rule. An origin listed twice counts once.
func (c *checker) someOriginsShadow(rs *ruleShadow, m string, originShadowed []bool) (methodShadow, bool) {
	a := rs.a
	var ks []int
	for k, o := range c.r.AllowedOrigins {
		if slices.Index(c.r.AllowedOrigins, o) < k || originShadowed[k] ||
			!slices.ContainsFunc(rs.subsumers[k], func(i int) bool { return slices.Contains(a.methods[i], m) }) {
			continue
		}
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		return methodShadow{}, false
	}
	return rs.methodShadowFor(m, ks)
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
