package bucket

import (
	"net/http"
	"strconv"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/s3err"
)

// Outcome says how a request fared against a bucket's CORS configuration.
type Outcome uint8

const (
	// Allowed: a rule matched; the response carries CORS headers.
	Allowed Outcome = iota + 1
	// NoOrigin: the request has no Origin header (or an empty one). An
	// actual request is then not a CORS request; a preflight gets 400.
	NoOrigin
	// NoBucket: the bucket does not exist. A preflight gets 403.
	NoBucket
	// NoConfig: the bucket has no CORS configuration. A preflight gets 403.
	NoConfig
	// InvalidMethod: a preflight whose Access-Control-Request-Method is
	// missing or not one of GET, PUT, HEAD, POST and DELETE gets 400.
	InvalidMethod
	// NoMatch: no rule admits the origin, the method and every requested
	// header. A preflight gets 403; an actual request goes on without CORS
	// headers.
	NoMatch
	// HeaderTooLarge: Origin, Access-Control-Request-Method or
	// Access-Control-Request-Headers exceeds [MaxHeaderValueLen]. A
	// preflight gets 400, as S3 answers a request header section over
	// 8 KB; an actual request goes on without CORS headers.
	HeaderTooLarge
	// TooManyHeaders: Access-Control-Request-Headers holds more than
	// [MaxRequestedHeaders] elements. This bound is ours, not S3's: such a
	// request is refused as one no rule admits, a preflight with S3's 403,
	// an actual request without CORS headers.
	TooManyHeaders
)

var outcomeNames = [...]string{
	Allowed: "Allowed", NoOrigin: "NoOrigin", NoBucket: "NoBucket", NoConfig: "NoConfig",
	InvalidMethod: "InvalidMethod", NoMatch: "NoMatch", HeaderTooLarge: "HeaderTooLarge", TooManyHeaders: "TooManyHeaders",
}

// String returns the outcome's name, such as "NoMatch", or "Outcome(n)"
// for a value that is none of the outcomes.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) && outcomeNames[o] != "" {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Result is S3's answer to one request: which rule matched and the headers
// it adds, or, for a refused preflight, the S3 error. It is a small value
// that refers to the request's header values and to the Config, and
// computes the response only when asked.
type Result struct {
	cfg    *Config
	origin string // the request's Origin
	acrh   string // its Access-Control-Request-Headers, lines joined
	method string // the method matched: ACRM for preflights
	// originLine and acrhLine are the request's own header values, when
	// Evaluate read them from an http.Header: echoing them costs nothing.
	originLine, acrhLine *[1]string
	rule                 int16
	outcome              Outcome
	// preflight is true for OPTIONS requests; object when the URL names a key.
	preflight, object bool
}

// Outcome returns how the request fared.
func (r Result) Outcome() Outcome { return r.outcome }

// Allowed reports whether a rule matched.
func (r Result) Allowed() bool { return r.outcome == Allowed }

// Preflight reports whether the request was a preflight (an OPTIONS
// request), which S3 answers itself, instead of an actual request, which
// the operation answers.
func (r Result) Preflight() bool { return r.preflight }

// Rule returns the 0-based index of the matched rule, or -1 when none
// matched (the zero Result included).
func (r Result) Rule() int {
	if r.outcome != Allowed {
		return -1
	}
	return int(r.rule)
}

// Method returns the method the rules were asked about: the
// Access-Control-Request-Method of a preflight (or of an actual request
// that carries one), else the request's method. It returns "" when the
// method is over [MaxHeaderValueLen] and whenever the outcome is
// [HeaderTooLarge]: nothing over the bounds is kept.
func (r Result) Method() string { return r.method }

// StatusCode returns the status of S3's answer to a preflight: 200 when
// allowed, else that of [Result.Err]. For an actual request it returns 0:
// the operation decides.
func (r Result) StatusCode() int {
	if !r.preflight {
		return 0
	}
	if r.outcome == Allowed {
		return http.StatusOK
	}
	return r.Err().StatusCode
}

// Err returns the S3 error a refused preflight gets, or nil for an allowed
// preflight and for every actual request. It is an [*s3err.Error], not an
// error: compare it with nil before returning it as an error, which would
// otherwise be a non-nil error holding a nil pointer.
func (r Result) Err() *s3err.Error {
	if !r.preflight {
		return nil
	}
	if f, method, resourceType := r.refusal(); f != nil {
		return f.err(method, resourceType)
	}
	switch r.outcome {
	case NoOrigin:
		return &s3err.Error{StatusCode: http.StatusBadRequest, Code: "BadRequest",
			Message: "Insufficient information. Origin request header needed."}
	case InvalidMethod:
		// [CLONE] Scality and Huawei OBS word it so; S3's text for this
		// 400 is not recorded. A missing method prints as Java's null.
		// UNVERIFIED too: that a method present but not one of the five
		// gets this 400 rather than the 403 of a request no rule admits.
		m := r.method
		if m == "" {
			m = "null"
		}
		return &s3err.Error{StatusCode: http.StatusBadRequest, Code: "BadRequest",
			Message: "Invalid Access-Control-Request-Method: " + m}
	case HeaderTooLarge:
		// UNVERIFIED wording of S3's answer to an oversized header section.
		return &s3err.Error{StatusCode: http.StatusBadRequest, Code: "RequestHeaderSectionTooLarge",
			Message: "Your request header section exceeds the maximum allowed size.",
			Details: []s3err.Detail{{Name: "MaxSizeAllowed", Value: strconv.Itoa(MaxHeaderValueLen)}}}
	}
	return nil
}

// forbidden is one of S3's 403 AccessForbidden answers to a refused
// preflight, which carry the method asked about and the resource type.
// Its body is prepared once, with only those two and the request IDs
// left to fill in: a server that sets the request IDs itself answers a
// refused preflight without allocating. For each of the five methods
// and both resource types it is also prepared with only the IDs left
// open, which spares escaping the two values on every refusal.
type forbidden struct {
	message string
	body    *s3err.Template
	filled  [len(corsrule.Methods)][2]*s3err.Template // by methodIndex, then object
}

// newForbidden prepares S3's AccessForbidden answer carrying message:
// once with Method and ResourceType left open, and once filled in for
// each method S3 allows in a rule and each resource type.
func newForbidden(message string) *forbidden {
	f := &forbidden{message: message, body: s3err.NewTemplate(forbiddenError(message, "", ""), "Method", "ResourceType")}
	for _, m := range corsrule.Methods {
		for object, resourceType := range [2]string{"BUCKET", "OBJECT"} {
			f.filled[methodIndex(methodBit(m))][object] = s3err.NewTemplate(forbiddenError(message, m, resourceType))
		}
	}
	return f
}

// write sends the answer for method and resourceType.
func (f *forbidden) write(w http.ResponseWriter, method, resourceType string) {
	if m := methodBit(method); m != 0 {
		object := 0
		if resourceType == "OBJECT" {
			object = 1
		}
		f.filled[methodIndex(m)][object].Write(w)
		return
	}
	f.body.Write(w, method, resourceType)
}

// err returns the refusal as an *s3err.Error, for callers that report
// it rather than write the prepared body.
func (f *forbidden) err(method, resourceType string) *s3err.Error {
	return forbiddenError(f.message, method, resourceType)
}

// forbiddenError builds the 403 AccessForbidden error S3 answers a
// refused CORS request with, naming the Method and ResourceType.
func forbiddenError(message, method, resourceType string) *s3err.Error {
	return s3err.New(http.StatusForbidden, "AccessForbidden", message, "Method", method, "ResourceType", resourceType)
}

// S3's refusals. The typo "evalution" and "whitelisted" are S3's.
var (
	forbiddenNoBucket = newForbidden("CORSResponse: Bucket not found")
	forbiddenNoConfig = newForbidden("CORSResponse: CORS is not enabled for this bucket.")
	forbiddenNoMatch  = newForbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
)

// refusal returns S3's 403 for a refused preflight, with the values of
// its Method and ResourceType elements; nil when the outcome gets
// another answer.
//
// UNVERIFIED: for a missing bucket S3 was recorded answering Method
// OPTIONS to a preflight without Access-Control-Request-Method; that it
// names the method when there is one is presumed, as it does for a bucket
// without configuration.
func (r *Result) refusal() (f *forbidden, method, resourceType string) {
	switch r.outcome {
	case NoBucket:
		f = forbiddenNoBucket
	case NoConfig:
		f = forbiddenNoConfig // S3 reports BUCKET even when the URL names an object
	case NoMatch, TooManyHeaders:
		f = forbiddenNoMatch
		if r.object {
			resourceType = "OBJECT"
		}
	default:
		return nil, "", ""
	}
	method = r.method
	if method == "" {
		method = http.MethodOptions
	}
	if resourceType == "" {
		resourceType = "BUCKET"
	}
	return f, method, resourceType
}

// writeError sends the S3 error of a refused preflight, from its prepared
// body where it has one.
func (r *Result) writeError(w http.ResponseWriter) {
	if f, method, resourceType := r.refusal(); f != nil {
		f.write(w, method, resourceType)
		return
	}
	r.Err().WriteResponse(w)
}

// Header values every response shares. Each has capacity 1, so appending
// to one (as [http.Header.Add] does) copies it.
var (
	anyOriginValue = []string{"*"}
	trueValue      = []string{"true"}
	varyValue      = []string{"Origin, Access-Control-Request-Headers, Access-Control-Request-Method"}
)

// WriteHeaders sets in h the CORS headers S3 sends when a rule matched, and
// nothing otherwise: Access-Control-Allow-Origin ("*" or the request's
// Origin), Access-Control-Allow-Credentials (with an echoed origin only),
// Access-Control-Allow-Methods (all of the rule's), Access-Control-Allow-Headers
// (preflights that request headers only), Access-Control-Expose-Headers and
// Access-Control-Max-Age (when the rule has them) and Vary. Access-Control-*
// headers already in h are replaced, and those S3 does not send for this
// rule are removed, so that a map that held another answer holds S3's;
// Vary is added to the values already there (a compression handler's
// Vary: Accept-Encoding, say), which it joins as a line of its own,
// unless S3's is already the last.
//
// The values are shared with other responses and must not be modified in
// place; replacing or appending to them is safe. Writing allocates nothing,
// except to build Access-Control-Allow-Headers when S3's form of it (names
// lower-cased, joined by ", ") differs from the request's value and the
// Config has not built it lately, and to add Vary to one h already holds
// (its values may be shared, so they are copied): one allocation each. A
// Result of [EvaluateRequest] costs one more for an echoed Origin.
func (r Result) WriteHeaders(h http.Header) {
	if r.outcome == Allowed {
		// h may hold another answer's: remove what this one may leave
		// out, which writeHeaders then sets or not.
		for _, name := range optionalHeaders {
			delete(h, name)
		}
	}
	r.writeHeaders(h)
}

// optionalHeaders are the CORS headers S3 sends for some rules or
// requests only.
var optionalHeaders = [...]string{"Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age"}

// writeHeaders is WriteHeaders without copying r, and without removing
// the headers it does not set: the Middleware writes into a response's
// own header map, which holds no other CORS answer, and spares the map
// deletes on every request.
func (r *Result) writeHeaders(h http.Header) {
	if r.outcome != Allowed {
		return
	}
	// Vary first: while h is still empty, as it mostly is for a
	// preflight, finding that it holds no Vary costs no lookup.
	addVary(h, varyValue)
	cr := &r.cfg.compiled[r.rule]
	if cr.anyOrigin {
		h["Access-Control-Allow-Origin"] = anyOriginValue
	} else {
		h["Access-Control-Allow-Origin"] = r.originValue()
		h["Access-Control-Allow-Credentials"] = trueValue
	}
	h["Access-Control-Allow-Methods"] = cr.allowMethods
	// UNVERIFIED: S3 sends no Allow-Headers on an actual request without
	// Access-Control-Request-Headers; on one that carries an admitted list
	// it is not recorded, and is left out here too (spec §4).
	if r.preflight {
		if v := r.allowHeaders(); v != nil {
			h["Access-Control-Allow-Headers"] = v
		}
	}
	if cr.exposeHeader != nil {
		h["Access-Control-Expose-Headers"] = cr.exposeHeader
	}
	if cr.maxAge != nil {
		h["Access-Control-Max-Age"] = cr.maxAge
	}
}

// addVary adds to h's Vary the line of value, a shared one-element
// slice: value itself when h has no Vary, appended to a copy of h's
// otherwise (the values may be shared with other responses, with room
// past their end), and nothing when it is already the last.
func addVary(h http.Header, value []string) {
	switch vary := h["Vary"]; {
	case len(vary) == 0:
		h["Vary"] = value
	case vary[len(vary)-1] != value[0]:
		h["Vary"] = append(vary[:len(vary):len(vary)], value[0])
	}
}

// originValue returns the Origin to echo, the request's own value where
// there is one.
func (r *Result) originValue() []string {
	if r.originLine != nil && r.originLine[0] == r.origin {
		return r.originLine[:]
	}
	return []string{r.origin}
}

// allowHeaders returns S3's Access-Control-Allow-Headers value: the
// requested names, lower-cased, in request order, joined by ", " (spec
// §3.3); nil when none was requested. UNVERIFIED: a name requested twice
// is echoed twice, as sent.
func (r *Result) allowHeaders() []string {
	acrh := r.acrh
	if r.acrhLine != nil && r.acrhLine[0] == acrh && isOneLowerName(acrh) {
		return r.acrhLine[:] // the request's value is already S3's answer
	}
	var cache *joinedCache
	if r.cfg != nil {
		cache = &r.cfg.joined
		if v := cache.lookup(acrh); v != nil {
			return v
		}
	}
	var spans [MaxRequestedHeaders]nameSpan
	names, size := joinedNames(acrh, &spans)
	if names == nil {
		return nil
	}
	keep := cache != nil && len(acrh) <= maxCachedRequest
	v := newJoinedValue(acrh, names, size, keep)
	if keep {
		cache.store(v)
	}
	return v.value[:]
}

// joinedNames records in spans the names requested in acrh and returns
// them, nil for none, with the length of S3's answer: the names joined by
// ", ".
func joinedNames(acrh string, spans *[MaxRequestedHeaders]nameSpan) (names []nameSpan, size int) {
	n := splitNames(acrh, spans)
	if n == 0 {
		return nil, 0
	}
	size = 2 * (n - 1)
	for _, s := range spans[:n] {
		size += int(s.hi - s.lo)
	}
	return spans[:n], size
}

// appendLowerNames appends to b the names of acrh at names, lower-cased
// and joined by ", ": S3's Access-Control-Allow-Headers value (spec §3.3).
func appendLowerNames(b []byte, acrh string, names []nameSpan) []byte {
	for i, s := range names {
		if i > 0 {
			b = append(b, ", "...)
		}
		for j := s.lo; j < s.hi; j++ {
			b = append(b, ascii.LowerByte(acrh[j]))
		}
	}
	return b
}

// isOneLowerName reports whether s is a single name in lower case with
// nothing around it, the form browsers send for one header, which S3
// answers unchanged. It may say false of such a name (one with a byte
// below '-' or above 0x7F), which then costs building the same answer.
func isOneLowerName(s string) bool {
	if s == "" {
		return false
	}
	const ones, highs = ascii.Ones, ascii.Highs
	// Eight bytes at a time: with no byte above 0x7F no sum carries into
	// the next byte, so the high bit of each byte of a term tells below
	// '-' (comma, space, tab, and a few rare token characters) and 'A' to
	// 'Z'.
	for ; len(s) >= 8; s = s[8:] {
		w := ascii.Word(s)
		below := w + (0x80-'-')*ones
		upper := (w + (0x80-'A')*ones) &^ (w + (0x80-'Z'-1)*ones)
		if (w|^below|upper)&highs != 0 {
			return false
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' || c == ',' || isOWS(c) {
			return false
		}
	}
	return true
}
