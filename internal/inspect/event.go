package inspect

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/explain"
)

// Exchange is what a server tells the inspector about one request it
// answered.
type Exchange struct {
	// Bucket is the bucket the request addressed, "" when it addressed
	// none (ListBuckets), which S3 answers without CORS.
	Bucket string
	// Target is what CORS evaluated the request against, as the
	// bucket.Middleware saw it: the configuration then in force (the
	// fallback, if the server has one and the bucket has none), whether
	// the bucket exists, whether the URL names an object.
	Target bucket.Target
	// Status is the status of the response.
	Status int
	// Header is the response's header as sent. Only its CORS headers
	// (Access-Control-* and Vary) are kept.
	Header http.Header
}

// event is one request as the inspector keeps it: values copied and cut
// to the bounds, so that it refers to nothing of the request.
type event struct {
	id                  uint64
	time                time.Time
	method, path, query string
	bucket              string // "" when no bucket was addressed
	origin, acrm, acrh  string
	status              int
	target              bucket.Target
	outcome             bucket.Outcome // 0 when no bucket was addressed
	rule                int            // 0-based; -1 for none
	sent                [][2]string    // the CORS headers of the response
}

// Observe records one request that carried an Origin header, or was a
// preflight, after the server answered it. Call it only when Watching
// reports true: it allocates. r's body is not read.
func (in *Inspector) Observe(r *http.Request, x Exchange) {
	// The method, path, query and a bucket named in the path are parts of
	// the request line: an event keeps them without a copy, unless the
	// line is long, which the event must not hold on to. A bucket named
	// in the Host (virtual-hosted) is part of r.Host, copied too when
	// that is long: a long port makes it as long as the server lets a
	// header section be.
	long := len(r.RequestURI) > MaxPathLen
	e := &event{
		time:   in.opts.Now().UTC(),
		method: keep(r.Method, MaxValueLen, long),
		path:   keep(r.URL.EscapedPath(), MaxPathLen, long),
		query:  keep(redact(r.URL.RawQuery), MaxPathLen, long),
		bucket: keep(x.Bucket, MaxPathLen, long || len(r.Host) > MaxPathLen),
		origin: keep(r.Header.Get("Origin"), MaxValueLen, false),
		acrm:   keep(r.Header.Get("Access-Control-Request-Method"), MaxValueLen, false),
		acrh:   keep(strings.Join(r.Header["Access-Control-Request-Headers"], ","), MaxValueLen, false),
		status: x.Status,
		target: x.Target,
		rule:   -1,
		sent:   corsHeaders(x.Header),
	}
	if x.Bucket != "" {
		res := bucket.Evaluate(r.Method, r.Header, x.Target)
		e.outcome, e.rule = res.Outcome(), res.Rule()
	}
	in.ring.add(e)
	in.wake()
}

// keep returns s as an event keeps it: s itself (or a copy when copy is
// set), or, when it is over max bytes, a copy of as many of its first
// max bytes as end on a character boundary, and "…": a cut through a
// character would be shown as U+FFFD, a character the request never
// held. A header value is a string of its own; a longer one is never
// held.
func keep(s string, max int, copy bool) string {
	switch {
	case len(s) > max:
		return cutUTF8(s, max) + "…"
	case copy:
		return strings.Clone(s)
	}
	return s
}

// secretParams are the query parameters of a presigned URL with which
// whoever reads them can replay the request until it expires: the
// signature, the access key ID and the session token of Signature
// Version 4 (X-Amz-Credential holds the key ID) and Version 2. Lower
// case: names are compared without regard to case.
var secretParams = [...]string{"x-amz-signature", "x-amz-credential", "x-amz-security-token", "signature", "awsaccesskeyid"}

// redacted is what an event holds in place of the value of a parameter
// in secretParams.
const redacted = "REDACTED"

// redact returns the raw query q with the value of each parameter named
// in secretParams replaced by redacted, the names kept as sent; q itself
// when it holds none. A name is compared unescaped, as a server reads it
// (X-Amz-%53ignature is X-Amz-Signature), and parameters are split at
// ";" as well as "&", for a server that splits there too.
func redact(q string) string {
	var b []byte // nil until a secret is found
	done := 0    // q[:done] is in b
	for i := 0; i < len(q); {
		end := i + strings.IndexAny(q[i:], "&;")
		if end < i {
			end = len(q)
		}
		if eq := strings.IndexByte(q[i:end], '='); eq >= 0 && i+eq+1 < end && isSecret(q[i:i+eq]) {
			if b == nil {
				b = make([]byte, 0, len(q))
			}
			b = append(b, q[done:i+eq+1]...)
			b = append(b, redacted...)
			done = end
		}
		i = end + 1
	}
	if b == nil {
		return q
	}
	return string(append(b, q[done:]...))
}

// isSecret reports whether name, as it is in a raw query, is one of
// secretParams.
func isSecret(name string) bool {
	// Percent-encoded, the longest name is three times its length.
	if len(name) > 3*len("x-amz-security-token") {
		return false
	}
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	for _, s := range secretParams {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// corsHeaders returns the CORS headers in h, in the order explain lists
// them, values cut to MaxValueLen.
func corsHeaders(h http.Header) [][2]string {
	var out [][2]string
	for _, name := range corsHeaderNames {
		if v, ok := h[name]; ok {
			if out == nil {
				out = make([][2]string, 0, len(corsHeaderNames))
			}
			out = append(out, [2]string{name, keep(strings.Join(v, ", "), MaxValueLen, false)})
		}
	}
	return out
}

// corsHeaderNames are the CORS headers of a response, in the order
// explain lists them.
var corsHeaderNames = func() (names []string) {
	for _, name := range explain.ResponseHeaderOrder {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			names = append(names, name)
		}
	}
	return names
}()

// addressed reports whether the request addressed a bucket, and so went
// through CORS.
func (e *event) addressed() bool { return e.bucket != "" }

// allowed reports whether a rule admitted the request.
func (e *event) allowed() bool { return e.outcome == bucket.Allowed }

// verdict is "allowed" or "refused".
func (e *event) verdict() string {
	if e.allowed() {
		return "allowed"
	}
	return "refused"
}

// outcomeName names how the request fared: a bucket.Outcome, or
// NotABucket for a request that addressed no bucket.
func (e *event) outcomeName() string {
	if !e.addressed() {
		return outcomeNotABucket
	}
	return e.outcome.String()
}

// outcomeNotABucket is the outcome of a request that addressed no bucket
// (ListBuckets, OPTIONS /), which S3 answers without CORS.
const outcomeNotABucket = "NotABucket"

// requestHeader returns the CORS request headers the event recorded, as
// explain takes them.
func (e *event) requestHeader() http.Header {
	h := http.Header{}
	for _, kv := range [...][2]string{{"Origin", e.origin}, {"Access-Control-Request-Method", e.acrm}, {"Access-Control-Request-Headers", e.acrh}} {
		if kv[1] != "" {
			h[kv[0]] = []string{kv[1]}
		}
	}
	return h
}

// explain returns the reasons for the answer the request got, nil when
// it addressed no bucket.
func (e *event) explain() *explain.Explanation {
	if !e.addressed() {
		return nil
	}
	// The query names the operation (GET ?delete is S3's 405). Redacting
	// keeps every name; a query cut to the bounds is read without the
	// parameter it cut, whose name may be another's start, and a
	// parameter that does not parse is left out.
	raw := e.query
	if cut, ok := strings.CutSuffix(raw, "…"); ok {
		raw = cut[:max(strings.LastIndexByte(cut, '&'), 0)]
	}
	query, _ := url.ParseQuery(raw)
	return explain.Request(e.method, query, e.requestHeader(), e.target, e.bucket)
}

// summary says in a sentence why the request was answered as it was.
// It gives the status the server sent where explain predicts another:
// the server answered first what explain does not model (credentials, a
// header serve does not implement, a proxy's upstream out of reach), and
// the sentence must not contradict the status the page shows.
func (e *event) summary(x *explain.Explanation) string {
	if x == nil {
		return "no rule consulted: the request addresses no bucket, and S3 answers the service endpoint without CORS headers."
	}
	cors := slices.ContainsFunc(e.sent, func(kv [2]string) bool { return strings.HasPrefix(kv[0], "Access-Control-") })
	return x.SummarySent(e.status, cors)
}

// EventJSON is one event as the API and the live stream give it.
type EventJSON struct {
	ID   uint64    `json:"id"`
	Time time.Time `json:"time"`
	// Method, Path (escaped, as sent) and Query are the request's, but
	// that Query holds "REDACTED" in place of the values of a presigned
	// URL's secrets: X-Amz-Signature, X-Amz-Credential and
	// X-Amz-Security-Token, Signature and AWSAccessKeyId.
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query"`
	// Bucket is the bucket addressed, "" for none.
	Bucket string `json:"bucket"`
	// Origin, RequestMethod and RequestHeaders are the Origin,
	// Access-Control-Request-Method and Access-Control-Request-Headers
	// sent ("" when absent).
	Origin         string `json:"origin"`
	RequestMethod  string `json:"request_method"`
	RequestHeaders string `json:"request_headers"`
	Status         int    `json:"status"`
	Preflight      bool   `json:"preflight"`
	// Verdict is "allowed" or "refused"; Outcome says how (a
	// bucket.Outcome, or NotABucket).
	Verdict string `json:"verdict"`
	Outcome string `json:"outcome"`
	// Rule is the 1-based rule that answered, nil for none.
	Rule *int `json:"rule"`
	// ResponseHeaders are the CORS headers the response carried.
	ResponseHeaders map[string]string `json:"response_headers"`
}

// DetailJSON is an event with the reasons, as the API gives it.
type DetailJSON struct {
	EventJSON
	// RuleID is the ID of the rule that answered, if it has one.
	RuleID string `json:"rule_id,omitempty"`
	// Result says in a sentence why; Trace is explain's, rule by rule. A
	// value of the request that they quote (or, as UncoveredHeader, hold)
	// is cut after 256 bytes and ends in "…"; the event's own fields hold
	// it whole.
	Result string             `json:"result"`
	Trace  []explain.RuleJSON `json:"trace"`
}

// json returns the event as the API lists it: what was asked, the
// verdict and the headers sent, without the explanation, which only
// detailJSON computes.
func (e *event) json() EventJSON {
	v := EventJSON{ID: e.id, Time: e.time, Method: e.method, Path: e.path, Query: e.query, Bucket: e.bucket,
		Origin: e.origin, RequestMethod: e.acrm, RequestHeaders: e.acrh, Status: e.status, Preflight: e.method == http.MethodOptions,
		Verdict: e.verdict(), Outcome: e.outcomeName(), ResponseHeaders: make(map[string]string, len(e.sent))}
	if e.rule >= 0 {
		n := e.rule + 1
		v.Rule = &n
	}
	for _, kv := range e.sent {
		v.ResponseHeaders[kv[0]] = kv[1]
	}
	return v
}

// detailJSON returns the event as the API shows one request: json's
// fields with the outcome in words and each rule's trace, long values
// clipped. The trace is [] rather than null when nothing was evaluated.
func (e *event) detailJSON() DetailJSON {
	x := e.explain()
	v := DetailJSON{EventJSON: e.json(), Result: clip(e.summary(x)), Trace: []explain.RuleJSON{}}
	if x != nil {
		v.Trace = clipTrace(explain.TraceJSON(x.Trace))
		if e.rule >= 0 && e.rule < len(x.Rules) {
			v.RuleID = x.Rules[e.rule].ID
		}
	}
	return v
}
