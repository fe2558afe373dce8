// Package explain says why Amazon S3 answers a CORS request as it does:
// the response S3 sends, each rule's verdict on the request, and a
// sentence naming the rule that answers or why none was consulted. It is
// what "s3cors explain" prints and what the inspector of "s3cors serve"
// shows, so that both give the same reasons in the same words.
package explain

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// Placeholders for the request IDs S3 puts in every response, so that an
// explanation shows the same response every time.
const (
	PlaceholderRequestID = "EXAMPLEREQUESTID"
	PlaceholderHostID    = "EXAMPLEHOSTID"
)

// ResponseHeaderOrder is the order in which an explanation lists the
// headers of a response: the CORS headers [bucket.Result.WriteHeaders]
// sets, then those of the response itself. Headers not listed come after,
// sorted.
var ResponseHeaderOrder = []string{
	"Access-Control-Allow-Origin",
	"Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers",
	"Access-Control-Max-Age",
	"Vary",
	"Allow",
	"Content-Type",
	"Transfer-Encoding",
	"Content-Length",
	"Connection",
	s3err.RequestIDHeader,
	s3err.HostIDHeader,
	"Server",
}

// Explanation is S3's answer to one request, with the reasons.
type Explanation struct {
	// Result is the CORS evaluation of the request.
	Result bucket.Result
	// Rules are the bucket's rules, nil when it has no configuration.
	Rules []corsrule.Rule
	// Origin is the request's Origin, "" when it has none.
	Origin string
	// Method is the method the rules were asked about: the
	// Access-Control-Request-Method of a preflight, or of an actual
	// request that carries one, else the request's method.
	Method string
	// Requested is the number of names in Access-Control-Request-Headers.
	Requested int
	// Answer is S3's error for an actual request that the method, the
	// query (a subresource's 405) or the bucket's existence decide,
	// before the operation runs; nil when the operation decides.
	Answer *s3err.Error
	// CreateBucket is true for an actual PUT on a bucket that does not
	// exist, which is CreateBucket.
	CreateBucket bool
	// Headers are the response's headers as S3 sends them, in
	// ResponseHeaderOrder, names spelled as on the wire, several values
	// of one header joined by ", ". For an actual request the operation
	// adds its own.
	Headers [][2]string
	// Body is the response's body, "" when the operation decides it or
	// there is none.
	Body string
	// Trace says, rule by rule, why each rule did or did not match; nil
	// when no rule was consulted.
	Trace []bucket.RuleTrace
}

// Request explains S3's answer to a request with the given method,
// query and headers addressed to t, for the bucket named bucketName (a
// name no bucket can have is S3's 400 InvalidBucketName; the text of
// NoSuchBucket names it). The query names the
// operation an actual request is, as S3 reads it ([s3route.Classify]):
// PUT /bucket?cors is PutBucketCors, not CreateBucket, and GET
// /bucket?delete is S3's 405 with the Allow header of ?delete. The
// response is what [bucket.Middleware] sends, with the request IDs
// replaced by [PlaceholderRequestID] and [PlaceholderHostID].
func Request(method string, query url.Values, h http.Header, t bucket.Target, bucketName string) *Explanation {
	return RequestAt(method, query, h, t, s3route.Address{Bucket: bucketName})
}

// DefaultRegion is the region of the buckets [Request] and [RequestAt]
// explain: S3's first, and s3cors serve's without --region.
const DefaultRegion = "us-east-1"

// RequestAt is [RequestIn] in [DefaultRegion].
func RequestAt(method string, query url.Values, h http.Header, t bucket.Target, a s3route.Address) *Explanation {
	return RequestIn(DefaultRegion, method, query, h, t, a)
}

// RequestIn is [Request] for a request addressed to a, the bucket and the
// key as S3 reads them from the request's path (its escapes decoded):
// S3 judges a key it cannot take ([s3route.KeyError]: over 1024 bytes,
// not UTF-8) before it looks the bucket up, as s3cors serve does. Whether
// t names an object decides the rest, as for Request; a.Key is judged
// only when it is not "". A bucket name no bucket can have
// ([s3route.ValidBucketName]) names a bucket that does not exist, whatever
// t says. The bucket is in region, which a HeadBucket refused before it
// runs names in x-amz-bucket-region, as s3cors serve sends it.
func RequestIn(region, method string, query url.Values, h http.Header, t bucket.Target, a s3route.Address) *Explanation {
	if !s3route.ValidBucketName(a.Bucket) {
		// No bucket can have the name, so none has a configuration,
		// whatever t gives: a preflight is a missing bucket's 403, and
		// InvalidBucketName carries no CORS headers, as s3cors serve
		// answers them.
		t = bucket.Target{NoBucket: true, Object: t.Object}
	}
	res := bucket.Evaluate(method, h, t)
	e := &Explanation{Result: res, Rules: t.Config.Rules(), Method: res.Method()}
	var op s3route.Operation
	if !res.Preflight() {
		op, e.Answer = beforeOperation(method, query, h, t, a)
		e.CreateBucket = e.Answer == nil && t.NoBucket && op == s3route.CreateBucket
	}
	if o := h["Origin"]; len(o) > 0 {
		e.Origin = o[0]
	}
	for _, line := range h["Access-Control-Request-Headers"] {
		for name := range strings.SplitSeq(line, ",") {
			if ascii.TrimOWS(name) != "" {
				e.Requested++
			}
		}
	}
	var bucketRegion string
	if e.Answer != nil && op == s3route.HeadBucket && !t.NoBucket {
		// S3 tells an existing bucket's region "regardless of the
		// permissions on the bucket" (AWS's HeadBucket reference), and
		// s3cors serve does on every HeadBucket it refuses, a part or a
		// version asked of the bucket's path included. UNVERIFIED: S3's
		// answer to HEAD /bucket?partNumber=1 was not captured.
		bucketRegion = region
	}
	e.respond(method, query, h, t, bucketRegion)
	e.Trace = res.Trace()
	if !res.Preflight() && (res.Outcome() == bucket.Allowed || res.Outcome() == bucket.NoMatch) {
		e.Method, e.Trace = actualTrace(method, h, t, e.Trace)
	}
	return e
}

// respond records the response: what the middleware sends, with the
// request IDs fixed so that it is the same every time, and
// x-amz-bucket-region naming bucketRegion unless it is "".
func (e *Explanation) respond(method string, query url.Values, h http.Header, t bucket.Target, bucketRegion string) {
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{PlaceholderRequestID}
	rec.Header()[s3err.HostIDHeader] = []string{PlaceholderHostID}
	// Built rather than parsed (httptest.NewRequest), which would panic
	// on a method that is not a token: the inspector explains requests
	// with a long method it kept cut, ending in "…".
	req := &http.Request{Method: method, URL: &url.URL{Path: "/"}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: http.NoBody, Host: "example.com", RequestURI: "/"}
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return t, true }}
	mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if e.Answer != nil {
			if e.Answer.StatusCode == http.StatusMethodNotAllowed {
				w.Header()["Allow"] = []string{s3route.Allow(addressOf(t), query, h)}
			}
			e.Answer.WriteResponse(w)
		}
	})).ServeHTTP(rec, req)
	sent := rec.Header()
	if bucketRegion != "" {
		sent["X-Amz-Bucket-Region"] = []string{bucketRegion}
	}
	if e.Result.Preflight() || e.Answer != nil {
		sent["Server"] = []string{"AmazonS3"} // as s3cors serve and S3 send it
		// S3 sends no body to HEAD, and no Transfer-Encoding for one:
		// a HEAD refused by S3 carries x-amz-request-id, x-amz-id-2,
		// Content-Type, Date and Server (a capture of curl --head,
		// DocSpring/libreconv#31), as serve's, whose net/http sends
		// none to HEAD either.
		if method != http.MethodHead {
			e.Body = rec.Body.String()
		} else {
			delete(sent, "Transfer-Encoding")
		}
	} else {
		delete(sent, s3err.RequestIDHeader) // the operation's, not CORS's
		delete(sent, s3err.HostIDHeader)
	}
	e.Headers = OrderHeaders(sent)
}

// OrderHeaders returns the headers of h in ResponseHeaderOrder, then the
// others sorted, names spelled as S3 sends them and several values joined
// by ", ". It does not change h.
func OrderHeaders(h http.Header) [][2]string {
	out := make([][2]string, 0, len(h))
	for _, name := range ResponseHeaderOrder {
		if v, ok := h[name]; ok {
			out = append(out, [2]string{WireName(name), strings.Join(v, ", ")})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		if !slices.Contains(ResponseHeaderOrder, name) {
			out = append(out, [2]string{WireName(name), strings.Join(h[name], ", ")})
		}
	}
	return out
}

// WireName spells the x-amz- headers as S3 does, in lower case.
func WireName(name string) string {
	if strings.HasPrefix(name, "X-Amz-") {
		return strings.ToLower(name)
	}
	return name
}

// actualTrace returns the method an actual request is judged by (its
// Access-Control-Request-Method when it carries one, as S3 does) and the
// rule-by-rule trace for it.
//
// An actual request is matched exactly as a preflight for that method
// with the same headers, but the trace Result gives for an actual request
// that no origin admits stops before reading Access-Control-Request-Method
// and -Headers. So the trace is the equivalent preflight's; for a method
// no rule may hold (PATCH), it is a preflight for GET with the method
// marked not allowed everywhere, which keeps the origins and headers
// right.
func actualTrace(method string, h http.Header, t bucket.Target, fallback []bucket.RuleTrace) (string, []bucket.RuleTrace) {
	judged := method
	if acrm := h["Access-Control-Request-Method"]; len(acrm) > 0 && acrm[0] != "" {
		judged = acrm[0]
	}
	probe := judged
	if !corsrule.IsMethod(judged) {
		probe = http.MethodGet
	}
	ph := h.Clone()
	ph["Access-Control-Request-Method"] = []string{probe}
	trace := bucket.Evaluate(http.MethodOptions, ph, t).Trace()
	if trace == nil { // refused before the rules, as by an oversized header
		return judged, fallback
	}
	if probe != judged {
		for i := range trace {
			tr := &trace[i]
			if tr.OriginMatched && ascii.IsVisible(ph.Get("Origin")) {
				// The method comes before the headers in the reasons.
				tr.Reason = "AllowedMethods does not hold " + strconv.Quote(judged)
			}
			tr.MethodAllowed, tr.Matched = false, false
		}
	}
	return judged, trace
}

// beforeOperation returns the operation S3 reads the actual request as,
// and the error it answers it with whatever the operation does, in s3cors
// serve's order: the 400 of a query that names two subresources
// ([s3route.ConflictingError]) or, at the bucket's path, a part or a
// version of an object ([s3route.BucketPathError]), which S3 answers
// before the method and the bucket, and 400 InvalidBucketName for a name
// no bucket can have ([s3route.ValidBucketName]) and the 400 of a key S3
// cannot take ([s3route.KeyError]); then 405
// MethodNotAllowed for a request no operation has (a method S3 has none
// for, or a subresource used with a method it has no form for, such as
// GET ?delete), then 404 NoSuchBucket for a bucket that does not exist,
// unless the request is CreateBucket, then the 405 of GetObjectTorrent,
// which S3 answers after the bucket. The error is nil when the operation
// decides the status. Errors that depend on the credentials are the
// operation's: explain does not model them.
func beforeOperation(method string, query url.Values, h http.Header, t bucket.Target, at s3route.Address) (s3route.Operation, *s3err.Error) {
	bucketName := at.Bucket
	a := addressOf(t)
	op, subresource := s3route.Classify(method, a, query, h)
	if err := s3route.ConflictingError(query); err != nil {
		return op, err
	}
	if err := s3route.BucketPathError(method, a, query, subresource); err != nil {
		return op, err
	}
	if op != s3route.CreateBucket && !s3route.ValidBucketName(bucketName) {
		// A name no bucket can have, before the method and the bucket;
		// CreateBucket judges its own. UNVERIFIED, as s3route says.
		return op, s3err.InvalidBucketName(bucketName)
	}
	if at.Key != "" {
		if err := s3route.KeyError(at.Key); err != nil {
			return op, err
		}
	}
	switch {
	case op == "":
		return op, s3err.MethodNotAllowed(method, s3route.ResourceType(a, query, h))
	case t.NoBucket && op != s3route.CreateBucket:
		return op, s3err.NoSuchBucket(bucketName)
	case op == s3route.GetObjectTorrent:
		return op, s3err.MethodNotAllowed(method, s3route.ResourceType(a, query, h))
	}
	return op, nil
}

// addressOf returns an address of the kind t names, a bucket or an
// object: with the query and the headers, the operation S3 reads, the
// methods it allows there and the ResourceType of its 405 depend on
// nothing else.
func addressOf(t bucket.Target) s3route.Address {
	if t.Object {
		return s3route.Address{Bucket: "bucket", Key: "key"}
	}
	return s3route.Address{Bucket: "bucket"}
}

// Status returns the response's status, or 0 when the operation decides
// it.
func (e *Explanation) Status() int {
	switch {
	case e.Result.Preflight():
		return e.Result.StatusCode()
	case e.Answer != nil:
		return e.Answer.StatusCode
	}
	return 0
}

// Note says, for a response whose body the explanation does not show,
// who decides the rest of it; "" when Body is the whole answer.
func (e *Explanation) Note() string {
	switch {
	case e.Body != "":
		return ""
	case e.Answer != nil: // HEAD: no body
		return "(no body: S3 answers HEAD without one)"
	case e.CreateBucket:
		return "(an actual request: PUT on a bucket that does not exist is CreateBucket, which decides the status, the headers and the body; S3 adds no CORS headers)"
	case !e.Result.Preflight() && e.Result.Allowed():
		return "(an actual request: the operation decides the status, its other headers and the body; S3 adds the CORS headers above to whatever it answers, errors included)"
	case !e.Result.Preflight():
		return "(an actual request: the operation decides the status, the headers and the body; S3 adds no CORS headers)"
	}
	return ""
}

// RuleName returns "rule N" or "rule N (ID)"; i is 0-based.
func (e *Explanation) RuleName(i int) string {
	s := "rule " + strconv.Itoa(i+1)
	if i >= 0 && i < len(e.Rules) && e.Rules[i].ID != "" {
		s += " (" + QuoteIfNeeded(e.Rules[i].ID) + ")"
	}
	return s
}

// Step is one rule's verdict on the request, in words.
type Step struct {
	// Rule is the rule's 0-based index; Name is RuleName's for it.
	Rule int
	Name string
	// Matched is true when the rule admits the request; Answers when it
	// is the rule that answers it.
	Matched, Answers bool
	// Headline sums the verdict up: "no match", "match: answers the
	// request", ...
	Headline string
	// OriginMatched, MethodAllowed and HeadersCovered are the three
	// checks; Origin, Method and Headers say each in a sentence.
	OriginMatched, MethodAllowed, HeadersCovered bool
	Origin, Method, Headers                      string
	// Note, when not "", is why a rule that passes the three checks still
	// does not match (an Origin that is not a serialized origin).
	Note string
}

// Steps returns the trace in words, one Step per rule; nil when no rule
// was consulted.
func (e *Explanation) Steps() []Step {
	if e.Trace == nil {
		return nil
	}
	steps := make([]Step, len(e.Trace))
	for i, t := range e.Trace {
		steps[i] = e.step(t)
	}
	return steps
}

// step describes one rule's trace in words: whether it answers, and for
// each of origin, method and requested headers why the rule admits or
// refuses them, quoting the rule's lists so a reader can see the value
// that is missing.
func (e *Explanation) step(t bucket.RuleTrace) Step {
	r := &e.Rules[t.Rule]
	s := Step{Rule: t.Rule, Name: e.RuleName(t.Rule), Matched: t.Matched, Answers: t.Matched && t.Rule == e.Result.Rule(),
		Headline: "no match", OriginMatched: t.OriginMatched, MethodAllowed: t.MethodAllowed, HeadersCovered: t.HeadersCovered}
	switch {
	case s.Answers:
		s.Headline = "match: answers the request"
	case t.Matched && e.Result.Rule() >= 0:
		s.Headline = "match, but " + e.RuleName(e.Result.Rule()) + " answers first"
	case t.Matched:
		s.Headline = "match"
	}
	if t.OriginMatched {
		s.Origin = strconv.Quote(t.Origin) + " admits " + strconv.Quote(e.Origin)
	} else {
		s.Origin = "no AllowedOrigin admits " + strconv.Quote(e.Origin) + " (AllowedOrigins " + quoteList(r.AllowedOrigins) + ")"
	}
	if t.MethodAllowed {
		s.Method = QuoteIfNeeded(e.Method) + " is allowed"
	} else {
		s.Method = QuoteIfNeeded(e.Method) + " is not allowed (AllowedMethods " + strings.Join(r.AllowedMethods, ", ") + ")"
	}
	switch {
	case e.Requested == 0:
		s.Headers = "none requested"
	case t.HeadersCovered:
		s.Headers = "every requested header is allowed"
	default:
		s.Headers = uncoveredText(r.AllowedHeaders, t.UncoveredHeaders)
	}
	if !t.Matched && t.OriginMatched && t.MethodAllowed && t.HeadersCovered {
		s.Note = t.Reason
	}
	return s
}

// uncoveredText says why a rule with the AllowedHeaders allowed admits
// none of names, every requested name it does not admit: the names no
// pattern admits, then those that are no header name (an HTTP token),
// which a pattern with * would admit but bucket admits no such name (its
// UNVERIFIED choice), then the rule's list.
func uncoveredText(allowed, names []string) string {
	var plain, notToken []string
	for _, n := range names {
		if !ascii.IsToken(n) && slices.ContainsFunc(allowed, func(p string) bool {
			hp := corsrule.HeaderPattern(p)
			return hp.IsWildcard() && hp.Match(n)
		}) {
			notToken = append(notToken, n)
		} else {
			plain = append(plain, n)
		}
	}
	var parts []string
	if len(plain) > 0 {
		parts = append(parts, "no AllowedHeader admits "+quoteList(plain))
	}
	switch len(notToken) {
	case 0:
	case 1:
		parts = append(parts, strconv.Quote(notToken[0])+" is not a header name (an HTTP token), which no AllowedHeader admits, not even a pattern with *")
	default:
		parts = append(parts, quoteList(notToken)+" are not header names (HTTP tokens), which no AllowedHeader admits, not even a pattern with *")
	}
	if len(allowed) == 0 {
		return strings.Join(parts, "; ") + " (the rule lists none)"
	}
	return strings.Join(parts, "; ") + " (AllowedHeaders " + quoteList(allowed) + ")"
}

// quoteList quotes values and joins them with ", ", showing at most 8.
func quoteList(values []string) string {
	const most = 8
	var b strings.Builder
	for i, v := range values {
		if i == most {
			b.WriteString(", ... (" + strconv.Itoa(len(values)-most) + " more)")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(v))
	}
	return b.String()
}

// QuoteIfNeeded returns s as it is when it is printable ASCII without
// spaces, quotes or parentheses, quoted otherwise.
func QuoteIfNeeded(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '(' || c == ')' || c == '"' {
			return strconv.Quote(s)
		}
	}
	return s
}

// Summary says in a sentence which rule answers, or why none was
// consulted.
func (e *Explanation) Summary() string { return e.summary(nil) }

// SummarySent is [Explanation.Summary] for a response a server sent with
// status, with CORS headers when cors is set. Where the explanation
// predicts another status ([Explanation.Status]), the server answered
// before what explain models decided: a signature it refused (explain
// models no credentials), a header it does not implement, an upstream it
// could not reach. The sentence then gives the status sent, not the one
// predicted, as Summary says "the operation's response" when the
// operation decides: the reason CORS added or withheld its headers stands.
func (e *Explanation) SummarySent(status int, cors bool) string {
	if p := e.Status(); p == 0 || p == status {
		return e.Summary()
	}
	s := "the server answered " + strconv.Itoa(status)
	if text := http.StatusText(status); text != "" {
		s += " " + text
	}
	if cors {
		return e.summary(&[2]string{"; " + s + ", with CORS headers.", s + ", with its CORS headers."})
	}
	return e.summary(&[2]string{"; " + s + ", without CORS headers.", s + ", without CORS headers."})
}

// summary is Summary's sentence, the status predicted, or when sent is
// not nil, the answer sent in its place: after a reason (sent[0]), and
// after the rule that answers (sent[1]).
func (e *Explanation) summary(sent *[2]string) string {
	pre := e.Result.Preflight()
	refusal := ""
	if err := e.Result.Err(); err != nil {
		refusal = ", so S3 answers " + strconv.Itoa(err.StatusCode) + " " + err.Code + "."
	}
	noHeaders := "; S3 adds no CORS headers to the operation's response."
	corsHeaders := "S3 adds its CORS headers to the operation's response."
	if a := e.Answer; a != nil {
		answer := strconv.Itoa(a.StatusCode) + " " + a.Code
		noHeaders = "; S3 answers " + answer + ", without CORS headers."
		corsHeaders = "S3 adds its CORS headers to its " + answer + "."
	}
	allowedPreflight := "200 OK with its CORS headers."
	if sent != nil {
		refusal, noHeaders = sent[0], sent[0]
		corsHeaders, allowedPreflight = sent[1], sent[1]
	}
	tail := func() string {
		if pre {
			return refusal
		}
		return noHeaders
	}
	switch e.Result.Outcome() {
	case bucket.Allowed:
		if pre {
			return e.RuleName(e.Result.Rule()) + " answers: " + allowedPreflight
		}
		return e.RuleName(e.Result.Rule()) + " answers: " + corsHeaders
	case bucket.NoMatch:
		return "no rule admits the origin, the method and every requested header" + tail()
	case bucket.NoOrigin:
		if pre {
			return "no rule consulted: the request has no Origin header" + refusal
		}
		return "no rule consulted: without an Origin header the request is not a CORS request" + noHeaders
	case bucket.NoBucket:
		return "no rule consulted: the bucket does not exist" + tail()
	case bucket.NoConfig:
		return "no rule consulted: the bucket has no CORS configuration" + tail()
	case bucket.InvalidMethod:
		if e.Method == "" {
			return "no rule consulted: the preflight has no Access-Control-Request-Method" + refusal
		}
		return "no rule consulted: Access-Control-Request-Method " + strconv.Quote(e.Method) + " is not one of GET, PUT, HEAD, POST and DELETE" + refusal
	case bucket.HeaderTooLarge:
		return "no rule consulted: Origin, Access-Control-Request-Method or Access-Control-Request-Headers is over " +
			strconv.Itoa(bucket.MaxHeaderValueLen) + " bytes" + tail()
	case bucket.TooManyHeaders:
		s := "no rule consulted: Access-Control-Request-Headers lists over " + strconv.Itoa(bucket.MaxRequestedHeaders) +
			" names, more than s3cors reads (its own bound, not S3's); it answers as S3 does when no rule admits them"
		if err := e.Result.Err(); pre && err != nil && sent == nil {
			// The answer is s3cors's: S3's to so many names is not recorded.
			return s + ", " + strconv.Itoa(err.StatusCode) + " " + err.Code + "."
		}
		return s + tail()
	}
	return e.Result.Outcome().String()
}

// JSON is an Explanation as "s3cors explain --json" prints it.
type JSON struct {
	Preflight bool              `json:"preflight"`
	Method    string            `json:"method"`
	Status    *int              `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	Outcome   string            `json:"outcome"`
	Rule      *int              `json:"rule"`
	RuleID    string            `json:"rule_id,omitempty"`
	Result    string            `json:"result"`
	Trace     []RuleJSON        `json:"trace"`
}

// RuleJSON is one rule's verdict in [JSON]: a [bucket.RuleTrace] with its
// rule counted from 1.
type RuleJSON struct {
	Rule            int    `json:"rule"`
	ID              string `json:"id,omitempty"`
	Matched         bool   `json:"matched"`
	Origin          string `json:"origin,omitempty"`
	OriginMatched   bool   `json:"origin_matched"`
	MethodAllowed   bool   `json:"method_allowed"`
	HeadersCovered  bool   `json:"headers_covered"`
	UncoveredHeader string `json:"uncovered_header,omitempty"`
	// UncoveredHeaders are every requested name the rule does not admit,
	// in request order; UncoveredHeader, the first, is kept for scripts
	// written before.
	UncoveredHeaders []string `json:"uncovered_headers,omitempty"`
	Reason           string   `json:"reason,omitempty"`
}

// JSON returns the explanation as "s3cors explain --json" prints it.
func (e *Explanation) JSON() JSON {
	v := JSON{Preflight: e.Result.Preflight(), Method: e.Method, Headers: map[string]string{}, Body: e.Body,
		Outcome: e.Result.Outcome().String(), Result: e.Summary(), Trace: TraceJSON(e.Trace)}
	if status := e.Status(); status != 0 {
		v.Status = &status
	}
	for _, hv := range e.Headers {
		v.Headers[hv[0]] = hv[1]
	}
	if i := e.Result.Rule(); i >= 0 {
		n := i + 1
		v.Rule = &n
		v.RuleID = e.Rules[i].ID
	}
	return v
}

// TraceJSON returns trace as [JSON] holds it; never nil.
func TraceJSON(trace []bucket.RuleTrace) []RuleJSON {
	out := make([]RuleJSON, 0, len(trace))
	for _, t := range trace {
		out = append(out, RuleJSON{Rule: t.Rule + 1, ID: t.ID, Matched: t.Matched, Origin: t.Origin,
			OriginMatched: t.OriginMatched, MethodAllowed: t.MethodAllowed, HeadersCovered: t.HeadersCovered,
			UncoveredHeader: t.UncoveredHeader, UncoveredHeaders: t.UncoveredHeaders, Reason: t.Reason})
	}
	return out
}
