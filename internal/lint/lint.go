// Package lint finds mistakes in Amazon S3 bucket CORS configurations that
// S3 accepts but that break browsers or let attackers in: origins no
// browser ever sends, wildcards that admit other people's sites, rules that
// can never answer a request, duplicates, browser uploads that will fail,
// preflight caching that does not do what its author meant, and objects
// read from several origins that caches must keep apart.
//
// [Check] takes rules S3 would accept (see bucket.Validate) and returns
// one [Finding] per mistake, each with a stable id from [Catalog]. It
// never panics, whatever the rules hold, but on rules S3 rejects its
// findings mean little: give S3's verdict first.
package lint

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
)

// Finding is one mistake in one rule.
type Finding struct {
	// ID is the finding's stable kebab-case identifier; see [Catalog].
	ID string
	// Rule is the 1-based position of the rule the finding is about.
	Rule int
	// Field is the S3 element the finding is about: AllowedOrigin,
	// AllowedMethod, AllowedHeader, ExposeHeader or MaxAgeSeconds; "" when
	// it is about the rule as a whole.
	Field string
	// Value is the offending value, verbatim (MaxAgeSeconds in decimal); ""
	// when the finding is about something missing.
	Value string
	// Index is where Value is in its list (AllowedOrigins,
	// AllowedMethods, AllowedHeaders, ExposeHeaders), counted from 0, so
	// that a value listed twice is told apart; -1 for MaxAgeSeconds and
	// for a finding about something missing or about the whole rule.
	Index int
	// Why says in one sentence what goes wrong.
	Why string
	// Fix suggests, in one sentence, what to write instead.
	Fix string
}

// String returns the finding on one line: "rule 1 AllowedOrigin
// "https://a.example/": origin-trailing-slash: Why Fix".
func (f Finding) String() string {
	s := "rule " + strconv.Itoa(f.Rule)
	if f.Field != "" {
		s += " " + f.Field
	}
	if f.HasValue() {
		s += " " + f.QuotedValue()
	}
	return s + ": " + f.ID + ": " + f.Why + " " + f.Fix
}

// HasValue reports whether the finding is about a value the rule holds
// (Value, possibly the empty AllowedOrigin ""), rather than about
// something missing or the rule as a whole.
func (f Finding) HasValue() bool {
	switch f.ID {
	case IDUnreachableRule, IDShadowedMethod, IDUploadWithoutETag, IDUploadWithoutChecksum, IDUploadWithoutContentType, IDMaxAgeMissing, IDCacheWithoutVary:
		return false
	}
	return true
}

// SensitiveValue is the Value of a finding about a value Terraform marks
// sensitive, shown as Terraform shows it.
const SensitiveValue = "(sensitive value)"

// QuotedValue returns Value as the text output shows it: quoted, except a
// MaxAgeSeconds, which is a number, and SensitiveValue.
func (f Finding) QuotedValue() string {
	if f.Field == fieldMaxAge || f.Value == SensitiveValue {
		return f.Value
	}
	return strconv.Quote(f.Value)
}

// Field names, in the order findings are sorted within a rule.
const (
	fieldRule   = ""
	fieldOrigin = "AllowedOrigin"
	fieldMethod = "AllowedMethod"
	fieldHeader = "AllowedHeader"
	fieldExpose = "ExposeHeader"
	fieldMaxAge = "MaxAgeSeconds"
	noIndex     = -1
)

var fieldRank = map[string]int{fieldRule: 0, fieldOrigin: 1, fieldMethod: 2, fieldHeader: 3, fieldExpose: 4, fieldMaxAge: 5}

// Info describes one kind of finding.
type Info struct {
	ID      string
	Summary string // one line
}

// catalog lists every id Check reports, in the order the documentation
// gives them.
var catalog = []Info{
	{IDOriginEmpty, `an empty AllowedOrigin, which matches no request`},
	{IDOriginWhitespace, `white space in an AllowedOrigin, which no browser sends`},
	{IDOriginCommaSeparated, `several origins in one AllowedOrigin, separated by commas; S3 compares the whole value`},
	{IDOriginNonASCII, `characters beyond printable ASCII: a host not in its ASCII (punycode) form, which is how browsers send it, or any character where browsers refuse one or never send it`},
	{IDOriginNoScheme, `an origin without "https://" or "http://" (but a leading * covers the scheme), or with it written wrong or twice, or "ws://" or "wss://" (a WebSocket's Origin is its page's), or "ftp://" (browsers load no page over FTP)`},
	{IDOriginNoHost, `"https://" or "http://" with no host after it, as "https://${var.domain}" gives with an empty variable`},
	{IDOriginHostEscape, `a %-escape in the host ("https://a%2Eb.com"), which browsers decode before they send it (https://a.b.com), or one for which they refuse the URL ("https://app.example.com%2F/"), then the value's last finding`},
	{IDOriginHostCharacter, `"<", ">", "^" or "|" in the host, which browsers refuse ("https://ex^ample.com")`},
	{IDOriginHostNotDNS, `a character in the host that browsers accept but no registered domain name holds ("https://ex,ample.com"): only a hosts file or a resolver of your own names such a host`},
	{IDOriginBadPunycode, `a host label starting with "xn--" that is no valid punycode ("https://xn--zz.example.com"), which the URL standard refuses and Chromium alone loads`},
	{IDOriginUppercase, `upper case in the scheme or host; browsers send both in lower case (but the host of a scheme such as capacitor or safari-web-extension, which they keep as written)`},
	{IDOriginIPForm, `an IP address not written as browsers write it ("http://127.1", "http://[0:0:0:0:0:0:0:1]"), or a host browsers refuse as one ("http://10.0.0.256")`},
	{IDOriginDefaultPort, `":443" on https or ":80" on http, which browsers leave out`},
	{IDOriginBadPort, `a port that is not a number from 1 to 65535 written as browsers write it, or a ":" without one, or one browsers load nothing from (6000, 6666, 10080: the Fetch standard's bad ports; of those added in 2024, 4190 and 6679, Chromium still loads pages)`},
	{IDOriginTrailingSlash, `an origin ending in "/"`},
	{IDOriginPath, `a user name before the host, or a path, query or fragment after it, which origins never have`},
	{IDOriginNull, `the origin "null", which any site can produce with a sandboxed iframe`},
	{IDOriginWildcardSuffix, `"https://*example.com": the * is glued to a label, so it admits https://evilexample.com`},
	{IDOriginWildcardAfterHost, `"https://example.com*" or "http://localhost*": admits https://example.com.evil.net (write ":*" for any port)`},
	{IDOriginWildcardTLD, `"https://*.com", "https://*.co.uk", "https://*.vercel.app" or "https://example*.com": the * comes before a public suffix only (a top-level domain, or a domain on the Public Suffix List), so it admits https://example.evil.com`},
	{IDOriginWildcardScheme, `"ht*p://example.com" or "*s://example.com": a * inside the scheme stands only for letters of one, so it admits http or https alone (or neither), never both`},
	{IDOriginWildcardAddress, `"http://[2001:db8::*]" or "http://[::*]": a * inside an IPv6 address matches the characters browsers write, not a network ("[::*]" admits every IPv4-mapped address)`},
	{IDAnyOriginWrites, `"*" (or "https://*") in a rule that allows PUT, POST or DELETE`},
	{IDUnreachableRule, `earlier rules answer every request the rule would match (names them)`},
	{IDShadowedOrigin, `earlier rules answer every request one AllowedOrigin of the rule would match`},
	{IDShadowedMethod, `earlier rules answer every actual request for some of the rule's methods (S3 matches those on Origin and method alone), from all its origins or the ones named, without its ExposeHeaders, its credentials or its MaxAgeSeconds`},
	{IDDuplicateOrigin, `an AllowedOrigin listed twice in a rule, or already admitted by another of its patterns`},
	{IDDuplicateMethod, `an AllowedMethod listed twice in a rule`},
	{IDDuplicateHeader, `an AllowedHeader listed twice in a rule (ignoring case), or already admitted by another of its patterns`},
	{IDDuplicateExposeHeader, `an ExposeHeader listed twice in a rule (ignoring case)`},
	{IDUploadWithoutETag, `PUT allowed without ExposeHeader "ETag", which multipart uploads read from each part's PUT`},
	{IDUploadWithoutChecksum, `PUT allowed and ETag exposed for multipart uploads, but no x-amz-checksum-* header, which the AWS SDK for JavaScript completes them with`},
	{IDUploadWithoutContentType, `PUT, or POST with other AllowedHeaders, allowed without an AllowedHeader admitting "content-type"`},
	{IDMaxAgeMissing, `no MaxAgeSeconds in a rule that answers preflights, so browsers preflight again nearly every request that needs a preflight`},
	{IDMaxAgeNegative, `a negative MaxAgeSeconds, which S3 may refuse and browsers do not cache`},
	{IDMaxAgeOverFirefox, `MaxAgeSeconds above 86400, the longest any browser caches a preflight's answer (Firefox; Chromium 7200, Safari 600)`},
	{IDCacheWithoutVary, `origins get GET answers with different Access-Control-Allow-Origin values (each its own, or its own and "*"), and S3 sends no Vary without Origin: caches must key on Origin`},
}

// The ids Check reports.
const (
	IDOriginEmpty              = "origin-empty"
	IDOriginWhitespace         = "origin-whitespace"
	IDOriginCommaSeparated     = "origin-comma-separated"
	IDOriginNonASCII           = "origin-non-ascii"
	IDOriginNoScheme           = "origin-no-scheme"
	IDOriginNoHost             = "origin-no-host"
	IDOriginHostEscape         = "origin-host-escape"
	IDOriginBadPunycode        = "origin-bad-punycode"
	IDOriginHostCharacter      = "origin-host-character"
	IDOriginHostNotDNS         = "origin-host-not-dns"
	IDOriginUppercase          = "origin-uppercase"
	IDOriginIPForm             = "origin-ip-form"
	IDOriginDefaultPort        = "origin-default-port"
	IDOriginBadPort            = "origin-bad-port"
	IDOriginTrailingSlash      = "origin-trailing-slash"
	IDOriginPath               = "origin-path"
	IDOriginNull               = "origin-null"
	IDOriginWildcardSuffix     = "origin-wildcard-suffix"
	IDOriginWildcardAfterHost  = "origin-wildcard-after-host"
	IDOriginWildcardTLD        = "origin-wildcard-tld"
	IDOriginWildcardScheme     = "origin-wildcard-scheme"
	IDOriginWildcardAddress    = "origin-wildcard-address"
	IDAnyOriginWrites          = "any-origin-writes"
	IDUnreachableRule          = "unreachable-rule"
	IDShadowedOrigin           = "shadowed-origin"
	IDShadowedMethod           = "shadowed-method"
	IDDuplicateOrigin          = "duplicate-origin"
	IDDuplicateMethod          = "duplicate-method"
	IDDuplicateHeader          = "duplicate-header"
	IDDuplicateExposeHeader    = "duplicate-expose-header"
	IDUploadWithoutETag        = "upload-without-etag"
	IDUploadWithoutChecksum    = "upload-without-checksum"
	IDUploadWithoutContentType = "upload-without-content-type"
	IDMaxAgeMissing            = "max-age-missing"
	IDMaxAgeNegative           = "max-age-negative"
	IDMaxAgeOverFirefox        = "max-age-over-firefox"
	IDCacheWithoutVary         = "cache-without-vary"
)

// Catalog returns every kind of finding Check reports, in documentation
// order.
func Catalog() []Info { return slices.Clone(catalog) }

// Summary returns the one-line summary [Catalog] gives for id, or id
// itself when the catalog has none.
func Summary(id string) string {
	for _, info := range catalog {
		if info.ID == id {
			return info.Summary
		}
	}
	return id
}

// FirefoxMaxAge is the longest Access-Control-Max-Age, in seconds, that a
// browser honours: Firefox's cap (nsCORSListenerProxy.cpp). Chromium caps
// it at 7200 (kMaxTimeout, services/network/cors/preflight_result.cc) and
// Safari at 600 (WebKit's maxPreflightCacheTimeout). Only a value above
// Firefox's is a finding: below it, each browser caches the answer as
// long as it can, and a lower value would make some preflight more often.
const FirefoxMaxAge = 86400

// Check returns the findings for rules, ordered by rule, then by field
// (the rule as a whole, AllowedOrigin, AllowedMethod, AllowedHeader,
// ExposeHeader, MaxAgeSeconds), then by the value's position in its list.
// A configuration without mistakes gives none.
func Check(rules []corsrule.Rule) []Finding {
	var all []Finding
	shadow := newShadowAnalysis(rules)
	cache, cacheRule := cacheWithoutVary(rules)
	for i := range rules {
		c := &checker{n: i + 1, r: &rules[i], rules: rules, shadow: shadow}
		if i == cacheRule {
			c.found = append(c.found, cache)
		}
		c.unreachable(shadow, i)
		c.origins()
		c.methods()
		c.headers()
		c.exposeHeaders()
		c.maxAge()
		slices.SortStableFunc(c.found, func(a, b Finding) int {
			return cmp.Or(cmp.Compare(fieldRank[a.Field], fieldRank[b.Field]), cmp.Compare(sortIndex(a), sortIndex(b)))
		})
		all = append(all, c.found...)
	}
	return all
}

// sortIndex orders the findings of one field: values in list order, then
// those about a missing value.
func sortIndex(f Finding) int {
	switch {
	case f.Index >= 0:
		return f.Index
	case f.HasValue():
		return 0 // MaxAgeSeconds, the one value of its field
	}
	return math.MaxInt
}

// checker collects the findings of one rule.
type checker struct {
	n     int // 1-based
	r     *corsrule.Rule
	rules []corsrule.Rule // the whole configuration, r among them; nil when r is checked alone
	// shadow is the analysis of rules' shadows; nil when r is checked
	// alone.
	shadow *shadowAnalysis
	// rs is r's part of shadow, computed once (see ruleShadow).
	rs    *ruleShadow
	found []Finding
}

// ruleShadow returns what the rule's shadows are made of, computed on
// first use, or nil when the rule is checked alone or lists no
// AllowedOrigin, so that no earlier rule answers for it.
func (c *checker) ruleShadow() *ruleShadow {
	if c.rs == nil && c.shadow != nil && len(c.r.AllowedOrigins) > 0 {
		c.rs = c.shadow.ruleShadow(c.n - 1)
	}
	return c.rs
}

func (c *checker) add(id, field string, index int, value, why, fix string) {
	c.found = append(c.found, Finding{ID: id, Rule: c.n, Field: field, Value: value, Index: index, Why: why, Fix: fix})
}

// writeMethods returns the rule's PUT, POST and DELETE, in its order,
// without duplicates.
func (c *checker) writeMethods() []string {
	var ms []string
	for _, m := range c.r.AllowedMethods {
		if (m == "PUT" || m == "POST" || m == "DELETE") && !slices.Contains(ms, m) {
			ms = append(ms, m)
		}
	}
	return ms
}

func (c *checker) methods() {
	for k, m := range c.r.AllowedMethods {
		if slices.Index(c.r.AllowedMethods, m) < k {
			c.add(IDDuplicateMethod, fieldMethod, k, m,
				"The rule lists "+strconv.Quote(m)+" twice; S3 repeats it in Access-Control-Allow-Methods.",
				"Remove the second "+strconv.Quote(m)+".")
		}
	}
}

// headers finds the rule's AllowedHeaders that another of its own
// already admits, and a rule for uploads whose preflights S3 refuses for
// want of content-type.
func (c *checker) headers() {
	pats := make([]pattern, len(c.r.AllowedHeaders))
	for k, h := range c.r.AllowedHeaders {
		pats[k] = headerPattern(h)
	}
	for k, h := range c.r.AllowedHeaders {
		if other, dup := duplicateOf(pats, k); dup {
			if strings.EqualFold(c.r.AllowedHeaders[other], h) {
				c.add(IDDuplicateHeader, fieldHeader, k, h,
					"The rule already lists "+strconv.Quote(c.r.AllowedHeaders[other])+", and header names are compared ignoring case.",
					"Remove "+strconv.Quote(h)+".")
			} else {
				c.add(IDDuplicateHeader, fieldHeader, k, h,
					"The AllowedHeader "+strconv.Quote(c.r.AllowedHeaders[other])+" of the same rule already admits every name "+strconv.Quote(h)+" admits.",
					"Remove "+strconv.Quote(h)+".")
			}
		}
	}
	if writes := c.uploadMethods(); len(writes) > 0 && !c.admitsHeader("content-type") {
		c.add(IDUploadWithoutContentType, fieldHeader, noIndex, "",
			"The rule allows "+JoinAnd(writes)+", but no AllowedHeader admits content-type: a browser upload that sets a Content-Type the Fetch standard does not safelist (any but text/plain, multipart/form-data and application/x-www-form-urlencoded, such as image/png) preflights with content-type in Access-Control-Request-Headers, and S3 refuses that preflight.",
			`Add the AllowedHeader "content-type".`)
	}
}

// uploadMethods returns the rule's methods whose uploads may set a
// Content-Type that is not CORS-safelisted, in its order: PUT, and POST
// when the rule lists an AllowedHeader. A POST that sends no header of its
// own is a POST-policy form upload, whose multipart/form-data is
// safelisted (S3 takes no other body on such a POST), so a browser never
// asks for content-type in its preflight; the POSTs that set one, such as
// the AWS SDK's CompleteMultipartUpload (application/xml), send headers
// of their own too, which a rule without AllowedHeaders refuses anyway.
func (c *checker) uploadMethods() []string {
	var ms []string
	for _, m := range c.r.AllowedMethods {
		if (m == "PUT" || m == "POST" && len(c.r.AllowedHeaders) > 0) && !slices.Contains(ms, m) && !c.preflightsAnsweredEarlier(m) {
			ms = append(ms, m)
		}
	}
	return ms
}

// admitsHeader reports whether an AllowedHeader of the rule admits name.
func (c *checker) admitsHeader(name string) bool { return admitsHeader(c.r, name) }

// admitsHeader reports whether an AllowedHeader of r admits name.
func admitsHeader(r *corsrule.Rule, name string) bool {
	for _, h := range r.AllowedHeaders {
		if corsrule.HeaderPattern(h).Match(name) {
			return true
		}
	}
	return false
}

// duplicateOf reports whether pats[k] is redundant: equal to an earlier
// pattern, or admitted entirely by another one that it does not equal. It
// returns the index of that other pattern.
func duplicateOf(pats []pattern, k int) (int, bool) {
	for l := range pats {
		if l == k {
			continue
		}
		if pats[l] == pats[k] {
			if l < k {
				return l, true
			}
			continue
		}
		if pats[l].subsumes(pats[k]) {
			return l, true
		}
	}
	return 0, false
}

// exposeHeaders finds the rule's repeated ExposeHeaders and the headers
// a browser upload needs to read but the rule hides: ETag for multipart
// parts, and the checksum the AWS SDK for JavaScript v3 completes with.
func (c *checker) exposeHeaders() {
	for k, h := range c.r.ExposeHeaders {
		for l := range k {
			if strings.EqualFold(c.r.ExposeHeaders[l], h) {
				c.add(IDDuplicateExposeHeader, fieldExpose, k, h,
					"The rule already exposes "+strconv.Quote(c.r.ExposeHeaders[l])+", and header names are compared ignoring case; S3 repeats it in Access-Control-Expose-Headers.",
					"Remove "+strconv.Quote(h)+".")
				break
			}
		}
	}
	// Multipart uploads send their parts with PUT (UploadPart) and read
	// each part's ETag from its answer; POST only creates and completes
	// them. A rule for POST alone serves POST-policy form uploads, whose
	// answer is a 204, or a 201's XML body and Location, and cannot run a
	// multipart upload.
	// Nor when earlier rules answer every PUT the rule would match: what
	// it exposes never reaches the page, and the finding, if any, is
	// theirs.
	if slices.Contains(c.r.AllowedMethods, "PUT") && !exposesETag(c.r) && !c.putsAnsweredEarlier() {
		c.add(IDUploadWithoutETag, fieldExpose, noIndex, "",
			"The rule allows PUT but does not expose ETag, so browsers hide it from scripts, and multipart uploads (the AWS SDK for JavaScript, Uppy), which send each part with PUT, need each part's ETag to complete the upload.",
			`Add the ExposeHeader "ETag".`)
	}
	// A rule that allows PUT and exposes ETag is meant for browser
	// multipart uploads (parts are PUT, and their ETags are read). The AWS
	// SDK for JavaScript v3 creates them with a CRC32 checksum since
	// 3.729.0 (January 2025) and completes them with each part's
	// x-amz-checksum-crc32, which it cannot read unless exposed; S3 then
	// refuses the completion (aws-sdk-js-v3#6818). A rule exposing some
	// x-amz-checksum-* header has chosen its algorithm: no finding. Nor
	// when the SDK's uploads never reach the rule (sdkMayPut), nor when
	// earlier rules answer every PUT the rule would match, whose finding
	// it is then.
	if slices.Contains(c.r.AllowedMethods, "PUT") && c.sdkMayPut() && !c.putsAnsweredEarlier() &&
		exposesETag(c.r) &&
		!slices.ContainsFunc(c.r.ExposeHeaders, func(h string) bool {
			return len(h) >= len(checksumPrefix) && ascii.EqualFoldLower(h[:len(checksumPrefix)], checksumPrefix)
		}) {
		c.add(IDUploadWithoutChecksum, fieldExpose, noIndex, "",
			"The rule exposes ETag for multipart uploads but no x-amz-checksum-* header: the AWS SDK for JavaScript v3 (lib-storage's Upload, since 3.729.0) creates them with a CRC32 checksum and completes them with each part's x-amz-checksum-crc32, which browsers hide unless exposed, so S3 refuses the completion (\"The upload was created using a crc32 checksum. The complete request must include the checksum for each part.\").",
			`Add the ExposeHeader "x-amz-checksum-crc32" (and the checksum header of any other algorithm your uploads use).`)
	}
}

// exposesETag reports whether r exposes ETag.
func exposesETag(r *corsrule.Rule) bool {
	return slices.ContainsFunc(r.ExposeHeaders, func(h string) bool { return strings.EqualFold(h, "ETag") })
}

// putsAnsweredEarlier reports whether earlier rules answer every actual
// PUT the rule would match. An actual request is answered by the first
// rule that admits its Origin and method, whatever headers its preflight
// asked for (spec §4), so a rule that admits more headers than an earlier
// one for the same origins answers the preflights the earlier one refuses
// but never a PUT itself: what it exposes never reaches the page.
func (c *checker) putsAnsweredEarlier() bool {
	rs := c.ruleShadow()
	if rs == nil {
		return false
	}
	s, ok := rs.methodShadow("PUT")
	return ok && len(s.by) > 0
}

// checksumPrefix starts the names of S3's checksum headers.
const checksumPrefix = "x-amz-checksum-"

// sdkHeaders are request headers the AWS SDK for JavaScript v3 sends on
// every request from a browser, so that each of its uploads is preflighted
// with them in Access-Control-Request-Headers: the retry middleware's
// amz-sdk-invocation-id and amz-sdk-request, and x-amz-user-agent, which
// it sets in every runtime (browsers forbid User-Agent). Other headers
// (x-amz-checksum-crc32, x-amz-content-sha256, ...) depend on the version
// and the request; these three do not.
var sdkHeaders = [...]string{"amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent"}

// sdkMayPut reports whether a PUT the AWS SDK for JavaScript v3 sends from
// a browser may be answered by the rule. Such a PUT is answered by the
// first rule that admits its Origin and PUT, whatever its headers (spec
// §4), once its preflight was answered by the first rule that also admits
// sdkHeaders. That rule cannot come before this one, which would then
// answer the PUT instead: so some rule, this one or a later one, allows
// PUT, admits an origin this rule admits, and admits sdkHeaders. When
// none does, every such upload fails at its preflight, and what the rule
// exposes does not matter to the SDK.
func (c *checker) sdkMayPut() bool {
	if c.rules == nil {
		return true // checked alone: claim nothing
	}
	for k := c.n - 1; k < len(c.rules); k++ {
		r := &c.rules[k]
		if !slices.Contains(r.AllowedMethods, "PUT") || !overlapping(r.AllowedOrigins, c.r.AllowedOrigins) {
			continue
		}
		if !slices.ContainsFunc(sdkHeaders[:], func(name string) bool { return !admitsHeader(r, name) }) {
			return true
		}
	}
	return false
}

// overlapping reports whether some Origin matches a value of a and a value
// of b.
func overlapping(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if originPattern(x).overlaps(originPattern(y)) {
				return true
			}
		}
	}
	return false
}

// RuleAnswersPreflights reports whether rule i (counted from 0) of rules
// can answer a preflight a browser sends: whether it allows PUT, POST or
// DELETE or lists an AllowedHeader, for some method whose every preflight
// the rule would match earlier rules do not answer. A rule that allows
// only GET and HEAD and lists no AllowedHeader can answer only preflights
// that request no header for a simple method, which browsers do not send.
// The max-age-missing finding is about such rules only.
func RuleAnswersPreflights(rules []corsrule.Rule, i int) bool {
	c := checker{n: i + 1, r: &rules[i], rules: rules, shadow: newShadowAnalysis(rules[:i+1])}
	return c.answersPreflights()
}

// answersPreflights is RuleAnswersPreflights for the checker's rule.
func (c *checker) answersPreflights() bool {
	return slices.ContainsFunc(c.r.AllowedMethods, func(m string) bool {
		return (m == "PUT" || m == "POST" || m == "DELETE" || len(c.r.AllowedHeaders) > 0) && !c.preflightsAnsweredEarlier(m)
	})
}

// preflightsAnsweredEarlier reports whether earlier rules answer every
// preflight for method m that the rule would match (see
// ruleShadow.preflightsAnswered). The rule then answers no preflight for
// m, and what it says of them (AllowedHeaders, MaxAgeSeconds) reaches no
// browser.
func (c *checker) preflightsAnsweredEarlier(m string) bool {
	rs := c.ruleShadow()
	if rs == nil {
		return false
	}
	_, ok := rs.preflightsAnswered(m)
	return ok
}

// maxAge finds a MaxAgeSeconds that makes browsers preflight more often
// than the rule means (missing, negative), or that promises caching no
// browser does (above Firefox's cap, the longest).
func (c *checker) maxAge() {
	if c.r.MaxAgeSeconds == nil {
		if c.answersPreflights() {
			c.add(IDMaxAgeMissing, fieldMaxAge, noIndex, "",
				"The rule answers preflights but has no MaxAgeSeconds, so browsers cache each answer for 5 seconds only and preflight again nearly every request that needs a preflight.",
				"Set MaxAgeSeconds, for example to 3000 (browsers cap it: Safari at 600, Chromium at 7200, Firefox at 86400).")
		}
		return
	}
	age := int(*c.r.MaxAgeSeconds)
	v := strconv.Itoa(age)
	switch {
	case age < 0:
		// UNVERIFIED whether S3 refuses it (spec §7); bucket sends it as
		// stored. Chromium reads a negative age as 0 and Firefox caches
		// only an age of digits: neither falls back to the 5 seconds of an
		// answer without the header.
		c.add(IDMaxAgeNegative, fieldMaxAge, noIndex, v,
			"Whether S3 accepts a negative MaxAgeSeconds is not recorded (S3-compatible services disagree, some refuse it); if it stores it, it sends \"Access-Control-Max-Age: "+v+"\", which Chromium and Firefox do not cache at all, so they preflight every request that needs a preflight.",
			"Set MaxAgeSeconds to a positive number of seconds, for example 3000.")
	case age > FirefoxMaxAge:
		c.add(IDMaxAgeOverFirefox, fieldMaxAge, noIndex, v,
			"No browser caches a preflight's answer that long: Firefox keeps one for at most 86400 seconds, Chromium (Chrome, Edge) for 7200 and Safari for 600, so this value promises caching none does.",
			"Set MaxAgeSeconds to 86400 or less.")
	}
}

// JoinAnd joins words as "A", "A and B" or "A, B and C", as findings
// and the command line's messages list them.
func JoinAnd(words []string) string { return joinLast(words, " and ") }

// JoinOr joins words as "A", "A or B" or "A, B or C", as findings and
// the command line's messages list alternatives.
func JoinOr(words []string) string { return joinLast(words, " or ") }

// joinLast joins words with ", ", but the last two with last.
func joinLast(words []string, last string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + last + words[len(words)-1]
}

// ruleList names rules: "rule 1", "rules 1 and 3".
func ruleList(rules []int) string {
	words := make([]string, len(rules))
	for i, r := range rules {
		words[i] = strconv.Itoa(r)
	}
	if len(rules) == 1 {
		return "rule " + words[0]
	}
	return "rules " + JoinAnd(words)
}
