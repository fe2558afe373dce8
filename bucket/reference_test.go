package bucket_test

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// This file holds a deliberately naive evaluator written straight from the
// spec (docs/s3-cors-spec.md §3-§4, §6), with none of the compiled
// evaluator's indexes, spans or shared values. The differential fuzz test
// holds the two to the same answers. It shares no code with package bucket
// beyond the rule type.

// refResponse is a response reduced to what CORS decides.
type refResponse struct {
	Status  int               // preflights only; 0 for actual requests
	Code    string            // S3 error code of a refused preflight
	Message string            // its message
	Details []s3err.Detail    // its extra elements
	Headers map[string]string // CORS headers and Vary, absent when not sent
}

const (
	refMaxValue    = 8 << 10
	refMaxElements = 64
)

func refEvaluate(method string, h http.Header, rules []corsrule.Rule, noBucket, object bool) refResponse {
	preflight := method == "OPTIONS"
	origin, acrm := firstValue(h["Origin"]), firstValue(h["Access-Control-Request-Method"])
	acrh := strings.Join(h["Access-Control-Request-Headers"], ",")
	var res refResponse
	fail := func(status int, code, msg string, details ...s3err.Detail) refResponse {
		if !preflight {
			return refResponse{}
		}
		return refResponse{Status: status, Code: code, Message: msg, Details: details}
	}
	if len(origin) > refMaxValue || len(acrm) > refMaxValue || len(acrh) > refMaxValue {
		return fail(400, "RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.",
			s3err.Detail{Name: "MaxSizeAllowed", Value: "8192"})
	}
	if origin == "" {
		return fail(400, "BadRequest", "Insufficient information. Origin request header needed.")
	}
	m := method
	if preflight || acrm != "" {
		m = acrm
	}
	slotMethod := m
	if slotMethod == "" {
		slotMethod = "OPTIONS"
	}
	if noBucket {
		return fail(403, "AccessForbidden", "CORSResponse: Bucket not found",
			s3err.Detail{Name: "Method", Value: slotMethod}, s3err.Detail{Name: "ResourceType", Value: "BUCKET"})
	}
	if rules == nil {
		return fail(403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.",
			s3err.Detail{Name: "Method", Value: slotMethod}, s3err.Detail{Name: "ResourceType", Value: "BUCKET"})
	}
	if !corsrule.IsMethod(m) {
		if m == "" {
			m = "null"
		}
		return fail(400, "BadRequest", "Invalid Access-Control-Request-Method: "+m)
	}
	resource := "BUCKET"
	if object {
		resource = "OBJECT"
	}
	noMatch := fail(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
		s3err.Detail{Name: "Method", Value: m}, s3err.Detail{Name: "ResourceType", Value: resource})
	// Our own bound: too many requested headers, all lines together, are
	// refused as no match.
	if len(strings.Split(acrh, ",")) > refMaxElements {
		return noMatch
	}
	var names []string
	for _, n := range strings.Split(acrh, ",") {
		if n = strings.Trim(n, " \t"); n != "" {
			names = append(names, n)
		}
	}
	for _, r := range rules {
		if !refRuleMatches(r, origin, m, names) {
			continue
		}
		res.Headers = map[string]string{
			"Access-Control-Allow-Methods": strings.Join(r.AllowedMethods, ", "),
			"Vary":                         "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
		}
		if contains(r.AllowedOrigins, "*") {
			res.Headers["Access-Control-Allow-Origin"] = "*"
		} else {
			res.Headers["Access-Control-Allow-Origin"] = origin
			res.Headers["Access-Control-Allow-Credentials"] = "true"
		}
		if preflight && len(names) > 0 {
			res.Headers["Access-Control-Allow-Headers"] = strings.ToLower(strings.Join(names, ", "))
		}
		if len(r.ExposeHeaders) > 0 {
			res.Headers["Access-Control-Expose-Headers"] = strings.Join(r.ExposeHeaders, ", ")
		}
		if r.MaxAgeSeconds != nil {
			res.Headers["Access-Control-Max-Age"] = strconv.Itoa(int(*r.MaxAgeSeconds))
		}
		if preflight {
			res.Status = 200
		}
		return res
	}
	return noMatch
}

func refRuleMatches(r corsrule.Rule, origin, method string, names []string) bool {
	if !contains(r.AllowedMethods, method) {
		return false
	}
	// An origin that is not printable ASCII without spaces matches nothing.
	for _, c := range []byte(origin) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	originOK := false
	for _, o := range r.AllowedOrigins {
		originOK = originOK || refGlob(o, origin)
	}
	if !originOK {
		return false
	}
	for _, n := range names {
		ok := false
		for _, a := range r.AllowedHeaders {
			if strings.Contains(a, "*") {
				ok = ok || refGlob(refLower(a), refLower(n)) && refIsToken(n)
			} else {
				ok = ok || refLower(a) == refLower(n)
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// refGlob: no `*` means equal; one `*` matches any run, the empty one too.
func refGlob(pattern, s string) bool {
	i := strings.Index(pattern, "*")
	if i < 0 {
		return pattern == s
	}
	prefix, suffix := pattern[:i], pattern[i+1:]
	return len(s) >= len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix)
}

func refLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func refIsToken(s string) bool {
	for _, c := range []byte(s) {
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) &&
			!('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func firstValue(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
