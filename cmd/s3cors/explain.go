package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/s3err"
)

// Placeholders for the request IDs S3 puts in every response, so that
// explain prints the same response every time.
const (
	placeholderRequestID = "EXAMPLEREQUESTID"
	placeholderHostID    = "EXAMPLEHOSTID"
)

// responseHeaderOrder is the order explain prints the headers of a
// response in: the CORS headers Result.WriteHeaders sets, then those of
// the response itself.
var responseHeaderOrder = []string{
	"Access-Control-Allow-Origin",
	"Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers",
	"Access-Control-Max-Age",
	"Vary",
	"Content-Type",
	"Transfer-Encoding",
	"Content-Length",
	"Connection",
	"X-Amz-Request-Id",
	"X-Amz-Id-2",
	"Server",
}

// wireName spells the x-amz- headers as S3 does, in lower case.
func wireName(name string) string {
	if strings.HasPrefix(name, "X-Amz-") {
		return strings.ToLower(name)
	}
	return name
}

func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("explain", stdout, stderr)
	c.loadHelp("requestID", placeholderRequestID, "hostID", placeholderHostID)
	f, code, ok := parseExplain(c, args)
	if !ok {
		return code
	}
	target := bucket.Target{NoBucket: f.noBucket, Object: namesObject(f.path)}
	var rules []corsrule.Rule
	if !f.noConfig && !f.noBucket {
		srcs, code, ok := c.sources(f.files, f.example, stdin)
		if !ok {
			return code
		}
		cfg, code, ok := c.loadValid(srcs[0], loadOptions{}, f.resource, stdout, f.asJSON)
		if !ok {
			return code
		}
		rules = cfg.rules
		target.Config, _ = bucket.New(rules) // valid: load checked
	}
	e := explain(f.method, f.header(), target, bucketOf(f.path), rules)
	if f.asJSON {
		writeJSON(stdout, e.json())
	} else {
		e.write(stdout)
	}
	if e.res.Allowed() {
		return exitOK
	}
	return exitInvalid
}

// explainFlags are the flags of explain, checked.
type explainFlags struct {
	method, origin, reqMethod, reqHeaders, path, resource string
	example, noConfig, noBucket, asJSON                   bool
	files                                                 []string        // the configuration's FILE, from --config or the argument; none for standard input
	given                                                 map[string]bool // the flags on the command line
}

// parseExplain parses and checks the flags of explain; see
// [command.parse] for the rest.
func parseExplain(c *command, args []string) (*explainFlags, int, bool) {
	c.operands = operandFiles
	config := c.stringFlag("config", "", "read the bucket's CORS configuration from `FILE` (\"-\" for standard input), as the argument FILE does")
	resource := c.stringFlag("resource", "", "use the bucket `NAME` of an infrastructure FILE that declares several: a\nCloudFormation logical ID or a Terraform address")
	example := c.boolFlag("example", "use the embedded example configuration")
	noConfig := c.boolFlag("no-config", "the bucket exists but has no CORS configuration")
	noBucket := c.boolFlag("no-bucket", "the bucket does not exist")
	method := c.stringFlag("method", "", "the request's method `M`: OPTIONS for a preflight, or GET, PUT, ... (required)")
	c.suggest = map[string][]string{"method": {"OPTIONS", "GET", "PUT", "POST", "HEAD", "DELETE"}, "request-method": {"GET", "PUT", "POST", "HEAD", "DELETE"}}
	origin := c.stringFlag("origin", "", "send the Origin header `O` (no Origin when not given)")
	reqMethod := c.stringFlag("request-method", "", "send the Access-Control-Request-Method header `RM`")
	reqHeaders := c.stringFlag("request-headers", "", "send the Access-Control-Request-Headers header `A,B`, names separated by commas")
	path := c.stringFlag("path", "/bucket", "the request's path `P`: /bucket, or /bucket/key for an object\n(a refused preflight then reports ResourceType OBJECT)")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of text")
	rest, code, ok := c.parse(args)
	if !ok {
		return nil, code, false
	}
	f := &explainFlags{resource: *resource, method: *method, origin: *origin, reqMethod: *reqMethod, reqHeaders: *reqHeaders,
		path: *path, example: *example, noConfig: *noConfig, noBucket: *noBucket, asJSON: *asJSON, given: map[string]bool{}}
	c.fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	if f.given["config"] {
		f.files = append(f.files, *config)
	}
	f.files = append(f.files, rest...)
	upper := strings.ToUpper(f.method)
	sources := len(f.files)
	for _, b := range []bool{f.example, f.noConfig, f.noBucket} {
		if b {
			sources++
		}
	}
	switch {
	case f.method == "":
		return nil, c.usageError("--method is required (OPTIONS for a preflight)"), false
	case !ascii.IsToken(f.method):
		return nil, c.usageError("--method %q is not an HTTP method", f.method), false
	case f.method != upper && (upper == http.MethodOptions || corsrule.IsMethod(upper)):
		return nil, c.usageError("methods are case-sensitive: write --method %s", upper), false
	case !strings.HasPrefix(f.path, "/") || strings.Trim(strings.SplitN(f.path, "?", 2)[0], "/") == "":
		return nil, c.usageError("--path %q does not name a bucket: write /bucket or /bucket/key", f.path), false
	case f.given["config"] && *config == "":
		return nil, c.usageError(`--config needs a FILE ("-" for standard input)`), false
	case sources > 1:
		return nil, c.usageError("give one configuration: FILE (or --config FILE), --example, --no-config or --no-bucket"), false
	}
	return f, 0, true
}

// header returns the request headers the flags give: only those given.
func (f *explainFlags) header() http.Header {
	h := http.Header{}
	if f.given["origin"] {
		h["Origin"] = []string{f.origin}
	}
	if f.given["request-method"] {
		h["Access-Control-Request-Method"] = []string{f.reqMethod}
	}
	if f.given["request-headers"] {
		h["Access-Control-Request-Headers"] = []string{f.reqHeaders}
	}
	return h
}

// explained is S3's answer to one request, with the reasons.
type explained struct {
	res       bucket.Result
	rules     []corsrule.Rule
	origin    string // the request's Origin
	requested int    // names in Access-Control-Request-Headers
	method    string // the method the rules were asked about
	// answer is S3's error for an actual request that the method or the
	// bucket's existence decide, whatever the operation; nil when the
	// operation decides (see beforeOperation).
	answer       *s3err.Error
	createBucket bool // an actual PUT on a bucket that does not exist
	headers      [][2]string
	body         string
	trace        []bucket.RuleTrace
}

func explain(method string, h http.Header, t bucket.Target, bucketName string, rules []corsrule.Rule) *explained {
	res := bucket.Evaluate(method, h, t)
	e := &explained{res: res, rules: rules, method: res.Method()}
	if !res.Preflight() {
		e.answer = beforeOperation(method, t, bucketName)
		e.createBucket = e.answer == nil && t.NoBucket && method == http.MethodPut && !t.Object
	}
	if o := h["Origin"]; len(o) > 0 {
		e.origin = o[0]
	}
	for _, line := range h["Access-Control-Request-Headers"] {
		for name := range strings.SplitSeq(line, ",") {
			if strings.Trim(name, " \t") != "" {
				e.requested++
			}
		}
	}

	// The response is what the middleware sends, with the request IDs
	// fixed so that the output is the same every time.
	rec := httptest.NewRecorder()
	rec.Header()["X-Amz-Request-Id"] = []string{placeholderRequestID}
	rec.Header()["X-Amz-Id-2"] = []string{placeholderHostID}
	req := httptest.NewRequest(method, "/", nil)
	req.Header = h
	mw := &bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return t, true }}
	mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if e.answer != nil {
			e.answer.WriteResponse(w)
		}
	})).ServeHTTP(rec, req)
	sent := rec.Header()
	if res.Preflight() || e.answer != nil {
		sent["Server"] = []string{"AmazonS3"} // as s3cors serve and S3 send it
		// S3 sends no body to HEAD.
		if method != http.MethodHead {
			e.body = rec.Body.String()
		}
	} else {
		delete(sent, "X-Amz-Request-Id") // the operation's, not CORS's
		delete(sent, "X-Amz-Id-2")
	}
	for _, name := range responseHeaderOrder {
		if v, ok := sent[name]; ok {
			e.headers = append(e.headers, [2]string{wireName(name), strings.Join(v, ", ")})
			delete(sent, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sent)) { // none today; never dropped
		e.headers = append(e.headers, [2]string{name, strings.Join(sent[name], ", ")})
	}

	e.trace = res.Trace()
	if !res.Preflight() && (res.Outcome() == bucket.Allowed || res.Outcome() == bucket.NoMatch) {
		e.method, e.trace = actualTrace(method, h, t, e.trace)
	}
	return e
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

// beforeOperation returns the error S3 answers an actual request with
// whatever the operation, as s3cors serve does: 405 MethodNotAllowed for a
// method no operation on a bucket or object has, then 404 NoSuchBucket
// for a bucket that does not exist, except for PUT on the bucket itself,
// which is CreateBucket. It returns nil when the operation decides the
// status.
func beforeOperation(method string, t bucket.Target, bucketName string) *s3err.Error {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		resource := "BUCKET"
		if t.Object {
			resource = "OBJECT"
		}
		return s3err.MethodNotAllowed(method, resource)
	}
	if t.NoBucket && (method != http.MethodPut || t.Object) {
		return s3err.NoSuchBucket(bucketName)
	}
	return nil
}

// bucketOf returns the bucket a path such as /bucket/key names.
func bucketOf(path string) string {
	path, _, _ = strings.Cut(strings.TrimPrefix(path, "/"), "?")
	name, _, _ := strings.Cut(path, "/")
	return name
}

// status returns the response's status, or 0 when the operation decides
// it.
func (e *explained) status() int {
	switch {
	case e.res.Preflight():
		return e.res.StatusCode()
	case e.answer != nil:
		return e.answer.StatusCode
	}
	return 0
}

func (e *explained) write(w io.Writer) {
	if status := e.status(); status != 0 {
		fmt.Fprintf(w, "HTTP/1.1 %d %s\n", status, http.StatusText(status))
	} else {
		fmt.Fprintln(w, "HTTP/1.1 <the operation's status>")
	}
	for _, hv := range e.headers {
		fmt.Fprintf(w, "%s: %s\n", hv[0], hv[1])
	}
	fmt.Fprintln(w)
	switch {
	case e.body != "":
		fmt.Fprintln(w, e.body)
	case e.answer != nil: // HEAD: no body
		fmt.Fprintln(w, "(no body: S3 answers HEAD without one)")
	case e.createBucket:
		fmt.Fprintln(w, "(an actual request: PUT on a bucket that does not exist is CreateBucket, which decides the status, the headers and the body; S3 adds no CORS headers)")
	case !e.res.Preflight() && e.res.Allowed():
		fmt.Fprintln(w, "(an actual request: the operation decides the status, its other headers and the body; S3 adds the CORS headers above to whatever it answers, errors included)")
	case !e.res.Preflight():
		fmt.Fprintln(w, "(an actual request: the operation decides the status, the headers and the body; S3 adds no CORS headers)")
	}
	if e.body != "" || !e.res.Preflight() {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "--- why, rule by rule (not part of the response) ---")
	for _, t := range e.trace {
		e.writeRule(w, t)
	}
	verdict := "result:"
	if e.res.Allowed() {
		verdict = paint(w, green, verdict)
	} else {
		verdict = paint(w, red, verdict)
	}
	fmt.Fprintf(w, "%s %s\n", verdict, e.result())
}

// ruleName returns "rule N" or "rule N (ID)"; i is 0-based.
func (e *explained) ruleName(i int) string {
	s := "rule " + strconv.Itoa(i+1)
	if i >= 0 && i < len(e.rules) && e.rules[i].ID != "" {
		s += " (" + quoteIfNeeded(e.rules[i].ID) + ")"
	}
	return s
}

func (e *explained) writeRule(w io.Writer, t bucket.RuleTrace) {
	r := &e.rules[t.Rule]
	headline := "no match"
	switch {
	case t.Matched && t.Rule == e.res.Rule():
		headline = "match: answers the request"
	case t.Matched && e.res.Rule() >= 0:
		headline = "match, but " + e.ruleName(e.res.Rule()) + " answers first"
	case t.Matched:
		headline = "match"
	}
	fmt.Fprintf(w, "%s: %s\n", e.ruleName(t.Rule), headline)

	origin := e.origin
	if t.OriginMatched {
		fmt.Fprintf(w, "    origin   %s admits %s\n", strconv.Quote(t.Origin), strconv.Quote(origin))
	} else {
		fmt.Fprintf(w, "    origin   no AllowedOrigin admits %s (AllowedOrigins %s)\n", strconv.Quote(origin), quoteList(r.AllowedOrigins))
	}
	if t.MethodAllowed {
		fmt.Fprintf(w, "    method   %s is allowed\n", quoteIfNeeded(e.method))
	} else {
		fmt.Fprintf(w, "    method   %s is not allowed (AllowedMethods %s)\n", quoteIfNeeded(e.method), strings.Join(r.AllowedMethods, ", "))
	}
	switch {
	case e.requested == 0:
		fmt.Fprintln(w, "    headers  none requested")
	case t.HeadersCovered:
		fmt.Fprintln(w, "    headers  every requested header is allowed")
	case len(r.AllowedHeaders) == 0:
		fmt.Fprintf(w, "    headers  no AllowedHeader admits %s (the rule lists none)\n", strconv.Quote(t.UncoveredHeader))
	default:
		fmt.Fprintf(w, "    headers  no AllowedHeader admits %s (AllowedHeaders %s)\n", strconv.Quote(t.UncoveredHeader), quoteList(r.AllowedHeaders))
	}
	if !t.Matched && t.OriginMatched && t.MethodAllowed && t.HeadersCovered && t.Reason != "" {
		fmt.Fprintf(w, "    note     %s\n", t.Reason)
	}
}

// quoteList quotes values and joins them with ", ", showing at most 8.
func quoteList(values []string) string {
	const most = 8
	var b strings.Builder
	for i, v := range values {
		if i == most {
			fmt.Fprintf(&b, ", ... (%d more)", len(values)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(v))
	}
	return b.String()
}

// result says in a sentence which rule answers, or why none was consulted.
func (e *explained) result() string {
	pre := e.res.Preflight()
	refusal := ""
	if err := e.res.Err(); err != nil {
		refusal = ", so S3 answers " + strconv.Itoa(err.StatusCode) + " " + err.Code + "."
	}
	noHeaders := "; S3 adds no CORS headers to the operation's response."
	corsHeaders := "S3 adds its CORS headers to the operation's response."
	if a := e.answer; a != nil {
		answer := strconv.Itoa(a.StatusCode) + " " + a.Code
		noHeaders = "; S3 answers " + answer + ", without CORS headers."
		corsHeaders = "S3 adds its CORS headers to its " + answer + "."
	}
	tail := func() string {
		if pre {
			return refusal
		}
		return noHeaders
	}
	switch e.res.Outcome() {
	case bucket.Allowed:
		if pre {
			return e.ruleName(e.res.Rule()) + " answers: 200 OK with its CORS headers."
		}
		return e.ruleName(e.res.Rule()) + " answers: " + corsHeaders
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
		if e.method == "" {
			return "no rule consulted: the preflight has no Access-Control-Request-Method" + refusal
		}
		return "no rule consulted: Access-Control-Request-Method " + strconv.Quote(e.method) + " is not one of GET, PUT, HEAD, POST and DELETE" + refusal
	case bucket.HeaderTooLarge:
		return "no rule consulted: Origin, Access-Control-Request-Method or Access-Control-Request-Headers is over " +
			strconv.Itoa(bucket.MaxHeaderValueLen) + " bytes" + tail()
	case bucket.TooManyHeaders:
		return "no rule consulted: Access-Control-Request-Headers lists over " + strconv.Itoa(bucket.MaxRequestedHeaders) +
			" names, more than s3cors reads (its own bound, not S3's); it answers as if no rule admitted them" + tail()
	}
	return e.res.Outcome().String()
}

// namesObject reports whether path, such as /bucket/key, names an object
// rather than a bucket. The query string does not count.
func namesObject(path string) bool {
	path, _, _ = strings.Cut(path, "?")
	_, key, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return key != ""
}

// jsonExplained is explain --json.
type jsonExplained struct {
	Preflight bool              `json:"preflight"`
	Method    string            `json:"method"`
	Status    *int              `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	Outcome   string            `json:"outcome"`
	Rule      *int              `json:"rule"`
	RuleID    string            `json:"rule_id,omitempty"`
	Result    string            `json:"result"`
	Trace     []jsonRuleTrace   `json:"trace"`
}

type jsonRuleTrace struct {
	Rule            int    `json:"rule"`
	ID              string `json:"id,omitempty"`
	Matched         bool   `json:"matched"`
	Origin          string `json:"origin,omitempty"`
	OriginMatched   bool   `json:"origin_matched"`
	MethodAllowed   bool   `json:"method_allowed"`
	HeadersCovered  bool   `json:"headers_covered"`
	UncoveredHeader string `json:"uncovered_header,omitempty"`
	Reason          string `json:"reason,omitempty"`
}

func (e *explained) json() jsonExplained {
	v := jsonExplained{Preflight: e.res.Preflight(), Method: e.method, Headers: map[string]string{}, Body: e.body,
		Outcome: e.res.Outcome().String(), Result: e.result(), Trace: []jsonRuleTrace{}}
	if status := e.status(); status != 0 {
		v.Status = &status
	}
	for _, hv := range e.headers {
		v.Headers[hv[0]] = hv[1]
	}
	if i := e.res.Rule(); i >= 0 {
		n := i + 1
		v.Rule = &n
		v.RuleID = e.rules[i].ID
	}
	for _, t := range e.trace {
		v.Trace = append(v.Trace, jsonRuleTrace{Rule: t.Rule + 1, ID: t.ID, Matched: t.Matched, Origin: t.Origin,
			OriginMatched: t.OriginMatched, MethodAllowed: t.MethodAllowed, HeadersCovered: t.HeadersCovered,
			UncoveredHeader: t.UncoveredHeader, Reason: t.Reason})
	}
	return v
}
