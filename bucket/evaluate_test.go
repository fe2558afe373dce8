package bucket_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

const (
	vary         = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
	msgNoMatch   = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
	msgNoConfig  = "CORSResponse: CORS is not enabled for this bucket."
	msgNoBucket  = "CORSResponse: Bucket not found"
	msgNoOrigin  = "Insufficient information. Origin request header needed."
	originHeader = "Origin"
	acrmHeader   = "Access-Control-Request-Method"
	acrhHeader   = "Access-Control-Request-Headers"
)

func maxAge(n int32) *int32 { return &n }

// hdr builds a canonical header from name, value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// response runs Evaluate and reduces its answer to a refResponse, the form
// the naive reference gives, so tables and the fuzz test compare alike.
func response(method string, h http.Header, t bucket.Target) refResponse {
	return reduce(bucket.Evaluate(method, h, t))
}

// requestResponse is response for EvaluateRequest.
func requestResponse(req bucket.Request, t bucket.Target) refResponse {
	return reduce(bucket.EvaluateRequest(req, t))
}

// reduce gives res as a refResponse.
func reduce(res bucket.Result) refResponse {
	out := refResponse{Status: res.StatusCode()}
	if e := res.Err(); e != nil {
		out.Code, out.Message, out.Details = e.Code, e.Message, e.Details
	}
	written := http.Header{}
	res.WriteHeaders(written)
	for k, v := range written {
		if out.Headers == nil {
			out.Headers = map[string]string{}
		}
		out.Headers[k] = strings.Join(v, "|")
	}
	return out
}

func detail(kv ...string) []s3err.Detail {
	var d []s3err.Detail
	for i := 0; i < len(kv); i += 2 {
		d = append(d, s3err.Detail{Name: kv[i], Value: kv[i+1]})
	}
	return d
}

func allowed(kv ...string) map[string]string {
	m := map[string]string{"Vary": vary}
	for i := 0; i < len(kv); i += 2 {
		m["Access-Control-"+kv[i]] = kv[i+1]
	}
	return m
}

var (
	ruleExample = corsrule.Rule{
		AllowedOrigins: []string{"https://app.example.com", "http://*.example.net"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"Content-Type", "x-amz-*"},
		ExposeHeaders:  []string{"ETag", "x-amz-request-id"},
		MaxAgeSeconds:  maxAge(3000),
	}
	ruleStar = corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}}
)

// TestPreflight covers spec §3: the order of checks, matching and the
// headers of a successful preflight.
func TestPreflight(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(ruleExample, ruleStar)
	onlyExample := bucket.MustNew(ruleExample)
	tests := []struct {
		name   string
		target bucket.Target
		h      http.Header
		want   refResponse
	}{
		{"no Origin", bucket.Target{Config: cfg}, hdr(acrmHeader, "GET"),
			refResponse{Status: 400, Code: "BadRequest", Message: msgNoOrigin}},
		{"empty Origin counts as none", bucket.Target{Config: cfg}, hdr(originHeader, "", acrmHeader, "GET"),
			refResponse{Status: 400, Code: "BadRequest", Message: msgNoOrigin}},
		{"Referer is no substitute", bucket.Target{Config: cfg}, hdr("Referer", "https://app.example.com/", acrmHeader, "GET"),
			refResponse{Status: 400, Code: "BadRequest", Message: msgNoOrigin}},
		{"no Origin on a missing bucket is still 400", bucket.Target{NoBucket: true}, hdr(),
			refResponse{Status: 400, Code: "BadRequest", Message: msgNoOrigin}},
		{"missing bucket, no ACRM", bucket.Target{NoBucket: true, Object: true}, hdr(originHeader, "https://a.example"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoBucket, Details: detail("Method", "OPTIONS", "ResourceType", "BUCKET")}},
		{"missing bucket, ACRM echoed", bucket.Target{NoBucket: true}, hdr(originHeader, "https://a.example", acrmHeader, "PUT"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoBucket, Details: detail("Method", "PUT", "ResourceType", "BUCKET")}},
		{"no configuration: BUCKET even for an object URL", bucket.Target{Object: true}, hdr(originHeader, "https://a.example", acrmHeader, "PUT"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoConfig, Details: detail("Method", "PUT", "ResourceType", "BUCKET")}},
		{"no configuration precedes ACRM checks", bucket.Target{}, hdr(originHeader, "https://a.example"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoConfig, Details: detail("Method", "OPTIONS", "ResourceType", "BUCKET")}},
		{"ACRM missing", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com"),
			refResponse{Status: 400, Code: "BadRequest", Message: "Invalid Access-Control-Request-Method: null"}},
		{"ACRM not a CORS method", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, "PATCH"),
			refResponse{Status: 400, Code: "BadRequest", Message: "Invalid Access-Control-Request-Method: PATCH"}},
		{"ACRM is case-sensitive", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, "get"),
			refResponse{Status: 400, Code: "BadRequest", Message: "Invalid Access-Control-Request-Method: get"}},
		// UNVERIFIED (Request's doc): an empty method counts as none.
		{"empty ACRM counts as none", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, ""),
			refResponse{Status: 400, Code: "BadRequest", Message: "Invalid Access-Control-Request-Method: null"}},
		{"exact origin", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, "PUT"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "https://app.example.com", "Allow-Credentials", "true",
				"Allow-Methods", "GET, PUT", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")}},
		{"glob origin echoes the Origin", bucket.Target{Config: cfg}, hdr(originHeader, "http://a.b.example.net", acrmHeader, "GET"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "http://a.b.example.net", "Allow-Credentials", "true",
				"Allow-Methods", "GET, PUT", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")}},
		{"scheme is compared literally", bucket.Target{Config: onlyExample}, hdr(originHeader, "http://app.example.com", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"default port is not normalised", bucket.Target{Config: onlyExample}, hdr(originHeader, "https://app.example.com:443", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"trailing slash breaks a glob", bucket.Target{Config: onlyExample}, hdr(originHeader, "http://test.example.net/", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"origin case is significant", bucket.Target{Config: onlyExample}, hdr(originHeader, "https://APP.example.com", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"no match on an object URL says OBJECT", bucket.Target{Config: onlyExample, Object: true}, hdr(originHeader, "https://evil.example", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "OBJECT")}},
		{"method not in the rule", bucket.Target{Config: onlyExample}, hdr(originHeader, "https://app.example.com", acrmHeader, "DELETE"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "DELETE", "ResourceType", "BUCKET")}},
		{"Allow-Headers lower-cased, request order, joined by comma-space", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "PUT", acrhHeader, "X-Amz-Date,content-TYPE"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "https://app.example.com", "Allow-Credentials", "true",
				"Allow-Methods", "GET, PUT", "Allow-Headers", "x-amz-date, content-type", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")}},
		{"empty elements dropped, spaces trimmed", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "PUT", acrhHeader, " content-type ,, \tx-amz-meta-a ,"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "https://app.example.com", "Allow-Credentials", "true",
				"Allow-Methods", "GET, PUT", "Allow-Headers", "content-type, x-amz-meta-a", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")}},
		{"ACRH lines are one list", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "PUT", acrhHeader, "content-type", acrhHeader, "x-amz-date"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "https://app.example.com", "Allow-Credentials", "true",
				"Allow-Methods", "GET, PUT", "Allow-Headers", "content-type, x-amz-date", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")}},
		{"one uncovered header fails the rule and falls through to *", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "GET", acrhHeader, "content-type,puppies"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", "content-type, puppies")}},
		{"one name with Y and Z in its first eight bytes lower-cased", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "GET", acrhHeader, "zone-YZ-id"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", "zone-yz-id")}},
		{"one name with an A past its first eight bytes lower-cased", bucket.Target{Config: cfg},
			hdr(originHeader, "https://app.example.com", acrmHeader, "GET", acrhHeader, "zone-id-A"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", "zone-id-a")}},
		{"uncovered header and no later rule", bucket.Target{Config: onlyExample},
			hdr(originHeader, "https://app.example.com", acrmHeader, "GET", acrhHeader, "puppies"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"empty ACRH is no request for headers", bucket.Target{Config: bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}})},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, " , "),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET")}},
		{"rule without AllowedHeader refuses requested headers", bucket.Target{Config: bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}})},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, "x-amz-meta-header2"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"* rule answers * without credentials", bucket.Target{Config: cfg}, hdr(originHeader, "localhost:4566", acrmHeader, "GET"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET")}},
		{"an Origin with a control character matches nothing", bucket.Target{Config: cfg}, hdr(originHeader, "http://a\x01.example.net", acrmHeader, "GET"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"a non-token name is never echoed through *", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, "x(y)"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"a non-token name is never echoed through x-amz-*", bucket.Target{Config: onlyExample},
			hdr(originHeader, "https://app.example.com", acrmHeader, "GET", acrhHeader, "x-amz-(y)"),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"ACRH over 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a", 8193)),
			refResponse{Status: 400, Code: "RequestHeaderSectionTooLarge", Message: "Your request header section exceeds the maximum allowed size.", Details: detail("MaxSizeAllowed", "8192")}},
		{"ACRH of 65 elements is refused as no match (our bound)", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat(",", 64)),
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		// As EvaluateRequest reads the lines joined: elements count across
		// lines, however many lines hold them.
		{"ACRH on 17 lines is one list of 17 names", bucket.Target{Config: cfg},
			http.Header{"Origin": {"o"}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": slices.Repeat([]string{"a"}, 17)},
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", strings.Repeat("a, ", 16)+"a")}},
		{"ACRH lines of 65 elements together are refused as no match (our bound)", bucket.Target{Config: cfg},
			http.Header{"Origin": {"o"}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": slices.Repeat([]string{"a"}, 65)},
			refResponse{Status: 403, Code: "AccessForbidden", Message: msgNoMatch, Details: detail("Method", "GET", "ResourceType", "BUCKET")}},
		{"ACRH lines over 8 KiB together", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a", 4096), acrhHeader, strings.Repeat("b", 4096)),
			refResponse{Status: 400, Code: "RequestHeaderSectionTooLarge", Message: "Your request header section exceeds the maximum allowed size.", Details: detail("MaxSizeAllowed", "8192")}},
		{"ACRH of 64 elements", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a,", 63)+"b"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET",
				"Allow-Headers", strings.Repeat("a, ", 63)+"b")}},
		{"Origin over 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, strings.Repeat("o", 8193), acrmHeader, "GET"),
			refResponse{Status: 400, Code: "RequestHeaderSectionTooLarge", Message: "Your request header section exceeds the maximum allowed size.", Details: detail("MaxSizeAllowed", "8192")}},
		// MaxHeaderValueLen is the longest value evaluated.
		{"Origin of 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, strings.Repeat("o", 8192), acrmHeader, "GET"),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET")}},
		{"ACRM of 8 KiB is judged as a method", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, strings.Repeat("P", 8192)),
			refResponse{Status: 400, Code: "BadRequest", Message: "Invalid Access-Control-Request-Method: " + strings.Repeat("P", 8192)}},
		{"ACRM over 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, strings.Repeat("P", 8193)),
			refResponse{Status: 400, Code: "RequestHeaderSectionTooLarge", Message: "Your request header section exceeds the maximum allowed size.", Details: detail("MaxSizeAllowed", "8192")}},
		{"ACRH of 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a", 8192)),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", strings.Repeat("a", 8192))}},
		{"ACRH over 8 KiB", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a", 8193)),
			refResponse{Status: 400, Code: "RequestHeaderSectionTooLarge", Message: "Your request header section exceeds the maximum allowed size.", Details: detail("MaxSizeAllowed", "8192")}},
		{"ACRH lines of 8 KiB together", bucket.Target{Config: cfg},
			hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, strings.Repeat("a", 4096), acrhHeader, strings.Repeat("b", 4095)),
			refResponse{Status: 200, Headers: allowed("Allow-Origin", "*", "Allow-Methods", "GET",
				"Allow-Headers", strings.Repeat("a", 4096)+", "+strings.Repeat("b", 4095))}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := response("OPTIONS", tc.h, tc.target)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestActual covers spec §4: actual requests carrying Origin.
func TestActual(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(ruleExample, corsrule.Rule{AllowedOrigins: []string{"https://put.example"}, AllowedMethods: []string{"PUT"}})
	exampleHeaders := allowed("Allow-Origin", "https://app.example.com", "Allow-Credentials", "true",
		"Allow-Methods", "GET, PUT", "Expose-Headers", "ETag, x-amz-request-id", "Max-Age", "3000")
	tests := []struct {
		name    string
		outcome bucket.Outcome
		method  string
		target  bucket.Target
		h       http.Header
		want    map[string]string
	}{
		{"no Origin: not CORS, no Vary", bucket.NoOrigin, "GET", bucket.Target{Config: cfg}, hdr(), nil},
		{"no Origin, though a rule admits any", bucket.NoOrigin, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)}, hdr(), nil},
		{"Referer is no Origin", bucket.NoOrigin, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)}, hdr("Referer", "https://app.example.com/page"), nil},
		// UNVERIFIED (Request's doc): an empty Origin counts as none, even
		// for a rule whose AllowedOrigin is the empty string.
		{"empty Origin counts as none", bucket.NoOrigin, "GET", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"", "*"}, AllowedMethods: []string{"GET"}})}, hdr(originHeader, ""), nil},
		// UNVERIFIED (Request's doc): so does an empty method; the request's own counts.
		{"empty ACRM counts as none", bucket.Allowed, "PUT", bucket.Target{Config: cfg}, hdr(originHeader, "https://put.example", acrmHeader, ""),
			allowed("Allow-Origin", "https://put.example", "Allow-Credentials", "true", "Allow-Methods", "PUT")},
		{"no configuration", bucket.NoConfig, "GET", bucket.Target{}, hdr(originHeader, "https://app.example.com"), nil},
		{"no bucket", bucket.NoBucket, "GET", bucket.Target{NoBucket: true}, hdr(originHeader, "https://app.example.com"), nil},
		{"match: Max-Age and Expose too, never Allow-Headers", bucket.Allowed, "GET", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com"), exampleHeaders},
		{"real headers are not checked", bucket.Allowed, "GET", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", "X-Amz-Request-Payer", "requester"), exampleHeaders},
		{"method not allowed", bucket.NoMatch, "DELETE", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com"), nil},
		{"ACRM replaces the method", bucket.Allowed, "DELETE", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, "GET"), exampleHeaders},
		{"ACRM not allowed though the method is", bucket.NoMatch, "GET", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrmHeader, "DELETE"), nil},
		{"ACRH is checked when present", bucket.NoMatch, "GET", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrhHeader, "puppies"), nil},
		{"allowed ACRH: still no Allow-Headers", bucket.Allowed, "GET", bucket.Target{Config: cfg}, hdr(originHeader, "https://app.example.com", acrhHeader, "content-type"), exampleHeaders},
		{"first full match, not first origin match", bucket.Allowed, "PUT", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
			corsrule.Rule{AllowedOrigins: []string{"https://put.example"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: maxAge(0)},
		)}, hdr(originHeader, "https://put.example"),
			allowed("Allow-Origin", "https://put.example", "Allow-Credentials", "true", "Allow-Methods", "PUT", "Max-Age", "0")},
		{"one wildcard origin in two rules: the second admits the method", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"https://*.a.example"}, AllowedMethods: []string{"PUT"}},
			corsrule.Rule{AllowedOrigins: []string{"https://*.a.example"}, AllowedMethods: []string{"GET"}},
		)}, hdr(originHeader, "https://x.a.example"),
			allowed("Allow-Origin", "https://x.a.example", "Allow-Credentials", "true", "Allow-Methods", "GET")},
		// Spec §3.2 (b): the pattern is anchored at both ends.
		{"a wildcard origin's short suffix alone does not admit", bucket.NoMatch, "GET", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"http://*:8080"}, AllowedMethods: []string{"GET"}})},
			hdr(originHeader, "http://a.example:9090"), nil},
		{"eight wildcard origins", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"https://*.a1.example", "https://*.a2.example", "https://*.a3.example", "https://*.a4.example",
				"https://*.a5.example", "https://*.a6.example", "https://*.a7.example", "https://*.a8.example"}, AllowedMethods: []string{"GET"}})},
			hdr(originHeader, "https://x.a8.example"),
			allowed("Allow-Origin", "https://x.a8.example", "Allow-Credentials", "true", "Allow-Methods", "GET")},
		{"each rule its own Max-Age", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(
			corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: maxAge(3000)},
			corsrule.Rule{AllowedOrigins: []string{"https://put.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: maxAge(600)},
		)}, hdr(originHeader, "https://put.example"),
			allowed("Allow-Origin", "https://put.example", "Allow-Credentials", "true", "Allow-Methods", "GET", "Max-Age", "600")},
		{"no bucket, though a configuration is given", bucket.NoBucket, "GET", bucket.Target{Config: cfg, NoBucket: true},
			hdr(originHeader, "https://b.example"), nil},
		// MaxHeaderValueLen bounds each value, Access-Control-Request-Headers
		// on several lines joined by commas.
		{"Origin of MaxHeaderValueLen bytes", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, strings.Repeat("o", bucket.MaxHeaderValueLen)), allowed("Allow-Origin", "*", "Allow-Methods", "GET")},
		{"Origin over MaxHeaderValueLen bytes", bucket.HeaderTooLarge, "GET", bucket.Target{Config: cfg},
			hdr(originHeader, strings.Repeat("o", bucket.MaxHeaderValueLen+1)), nil},
		{"ACRH lines of MaxHeaderValueLen bytes joined", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrhHeader, "x-"+strings.Repeat("a", 4094), acrhHeader, "x-"+strings.Repeat("b", 4093)),
			allowed("Allow-Origin", "*", "Allow-Methods", "GET")},
		{"ACRM of MaxHeaderValueLen bytes", bucket.NoMatch, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrmHeader, strings.Repeat("P", bucket.MaxHeaderValueLen)), nil},
		{"ACRM over MaxHeaderValueLen bytes", bucket.HeaderTooLarge, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrmHeader, strings.Repeat("P", bucket.MaxHeaderValueLen+1)), nil},
		{"ACRH of MaxHeaderValueLen bytes", bucket.Allowed, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrhHeader, strings.Repeat("a", bucket.MaxHeaderValueLen)),
			allowed("Allow-Origin", "*", "Allow-Methods", "GET")},
		{"ACRH over MaxHeaderValueLen bytes", bucket.HeaderTooLarge, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrhHeader, strings.Repeat("a", bucket.MaxHeaderValueLen+1)), nil},
		{"ACRH lines over MaxHeaderValueLen bytes joined", bucket.HeaderTooLarge, "GET", bucket.Target{Config: bucket.MustNew(ruleStar)},
			hdr(originHeader, "https://app.example.com", acrhHeader, "x-"+strings.Repeat("a", 4094), acrhHeader, "x-"+strings.Repeat("b", 4094)), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := bucket.Evaluate(tc.method, tc.h, tc.target).Outcome(); got != tc.outcome {
				t.Errorf("Outcome() = %v, want %v", got, tc.outcome)
			}
			got := response(tc.method, tc.h, tc.target)
			want := refResponse{Headers: tc.want}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnverifiedChoices pins the behaviour chosen where S3 was never
// recorded (spec §7). Change the named function and this test together.
func TestUnverifiedChoices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule corsrule.Rule
		h    http.Header
		want map[string]string
	}{
		// anyOrigin: a rule listing `*` answers `*`, even when an exact origin of it matched.
		{"* beside exact origins answers *", corsrule.Rule{AllowedOrigins: []string{"https://a.example", "*"}, AllowedMethods: []string{"GET"}},
			hdr(originHeader, "https://a.example", acrmHeader, "GET"), allowed("Allow-Origin", "*", "Allow-Methods", "GET")},
		// compiler.rule: MaxAgeSeconds is sent as stored, 0 and negatives included.
		{"MaxAgeSeconds 0 is sent", corsrule.Rule{AllowedOrigins: []string{"o"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: maxAge(0)},
			hdr(originHeader, "o", acrmHeader, "GET"), allowed("Allow-Origin", "o", "Allow-Credentials", "true", "Allow-Methods", "GET", "Max-Age", "0")},
		{"negative MaxAgeSeconds is sent", corsrule.Rule{AllowedOrigins: []string{"o"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: maxAge(-200)},
			hdr(originHeader, "o", acrmHeader, "GET"), allowed("Allow-Origin", "o", "Allow-Credentials", "true", "Allow-Methods", "GET", "Max-Age", "-200")},
		// A `*` in an origin spans `/` and `:`.
		{"* spans : and /", corsrule.Rule{AllowedOrigins: []string{"http://localhost*"}, AllowedMethods: []string{"GET"}},
			hdr(originHeader, "http://localhost:8080/x", acrmHeader, "GET"),
			allowed("Allow-Origin", "http://localhost:8080/x", "Allow-Credentials", "true", "Allow-Methods", "GET")},
		// Duplicate requested names are echoed as sent.
		{"duplicate requested names are kept", ruleStar, hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, "a,A"),
			allowed("Allow-Origin", "*", "Allow-Methods", "GET", "Allow-Headers", "a, a")},
		// Of several Origin or Access-Control-Request-Method lines, the
		// first counts (Evaluate's doc).
		{"the first Origin line counts", corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}},
			hdr(originHeader, "https://a.example", originHeader, "https://evil.example", acrmHeader, "GET"),
			allowed("Allow-Origin", "https://a.example", "Allow-Credentials", "true", "Allow-Methods", "GET")},
		{"the first method line counts", ruleStar, hdr(originHeader, "o", acrmHeader, "GET", acrmHeader, "PATCH"),
			allowed("Allow-Origin", "*", "Allow-Methods", "GET")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := response("OPTIONS", tc.h, bucket.Target{Config: bucket.MustNew(tc.rule)})
			if diff := cmp.Diff(refResponse{Status: 200, Headers: tc.want}, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFirstMatchAcrossIndexes checks that rules found through the exact
// origin index and through wildcard patterns are tried in rule order, for
// configurations small enough to scan and large enough to hash.
func TestFirstMatchAcrossIndexes(t *testing.T) {
	t.Parallel()
	for _, extra := range []int{0, 10} {
		var rules []corsrule.Rule
		for i := range extra {
			rules = append(rules, corsrule.Rule{AllowedOrigins: []string{"https://filler" + string(rune('a'+i)) + ".example"}, AllowedMethods: []string{"GET"}})
		}
		rules = append(rules,
			corsrule.Rule{ID: "glob-get", AllowedOrigins: []string{"https://*.example"}, AllowedMethods: []string{"GET"}},
			corsrule.Rule{ID: "exact-put", AllowedOrigins: []string{"https://x.example", "https://x.example"}, AllowedMethods: []string{"PUT"}},
			corsrule.Rule{ID: "glob-delete", AllowedOrigins: []string{"https://x*", "*.example"}, AllowedMethods: []string{"DELETE"}},
			corsrule.Rule{ID: "exact-get-headers", AllowedOrigins: []string{"https://x.example"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}},
		)
		cfg := bucket.MustNew(rules...)
		for _, tc := range []struct {
			acrm, acrh string
			want       string
		}{
			{"GET", "", "glob-get"},
			{"PUT", "", "exact-put"},
			{"DELETE", "", "glob-delete"},
			{"GET", "x-a", "exact-get-headers"},
			{"HEAD", "", ""},
		} {
			h := hdr(originHeader, "https://x.example", acrmHeader, tc.acrm)
			if tc.acrh != "" {
				h.Set(acrhHeader, tc.acrh)
			}
			res := bucket.Evaluate("OPTIONS", h, bucket.Target{Config: cfg})
			got := ""
			if res.Allowed() {
				got = rules[res.Rule()].ID
			}
			if got != tc.want {
				t.Errorf("%d fillers, %s %q: matched %q, want %q", extra, tc.acrm, tc.acrh, got, tc.want)
			}
		}
	}
}

func TestTrace(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(
		corsrule.Rule{ID: "reads", AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}},
		corsrule.Rule{AllowedOrigins: []string{"https://b.example", "https://*.example"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"content-type"}},
		// Two patterns admit the Origin: Trace names the first.
		corsrule.Rule{ID: "uploads", AllowedOrigins: []string{"https://*", "*"}, AllowedMethods: []string{"PUT"}, AllowedHeaders: []string{"*"}},
	)
	res := bucket.Evaluate("OPTIONS", hdr(originHeader, "https://a.example", acrmHeader, "PUT", acrhHeader, "Content-Type, X-Amz-Meta-A"), bucket.Target{Config: cfg})
	want := []bucket.RuleTrace{
		{Rule: 0, ID: "reads", Origin: "https://a.example", OriginMatched: true, HeadersCovered: false, UncoveredHeader: "Content-Type",
			UncoveredHeaders: []string{"Content-Type", "X-Amz-Meta-A"}, Reason: `AllowedMethods does not hold "PUT"`},
		{Rule: 1, Origin: "https://*.example", OriginMatched: true, MethodAllowed: true, UncoveredHeader: "X-Amz-Meta-A",
			UncoveredHeaders: []string{"X-Amz-Meta-A"}, Reason: `no AllowedHeader admits the requested header "X-Amz-Meta-A"`},
		{Rule: 2, ID: "uploads", Origin: "https://*", OriginMatched: true, MethodAllowed: true, HeadersCovered: true, Matched: true},
	}
	if diff := cmp.Diff(want, res.Trace()); diff != "" {
		t.Errorf("Trace mismatch (-want +got):\n%s", diff)
	}
	if res.Rule() != 2 {
		t.Errorf("Rule() = %d, want 2", res.Rule())
	}
	// Every name a rule refuses, in request order, each once ignoring
	// case, where the trace named the first alone.
	several := bucket.Evaluate("OPTIONS", hdr(originHeader, "https://b.example", acrmHeader, "PUT", acrhHeader, "x-b, content-type, X-C, x-c"), bucket.Target{Config: cfg}).Trace()
	if got, want := several[1].UncoveredHeaders, []string{"x-b", "X-C"}; !slices.Equal(got, want) || several[1].UncoveredHeader != "x-b" {
		t.Errorf("rule 2 refuses %q (first %q), want %q", got, several[1].UncoveredHeader, want)
	}
	if got, want := several[1].Reason, `no AllowedHeader admits the requested headers "x-b", "X-C"`; got != want {
		t.Errorf("rule 2's reason: %s, want %s", got, want)
	}
	if tr := bucket.Evaluate("OPTIONS", hdr(acrmHeader, "PUT"), bucket.Target{Config: cfg}).Trace(); tr != nil {
		t.Errorf("Trace without Origin = %v, want nil", tr)
	}
	if tr := bucket.Evaluate("OPTIONS", hdr(originHeader, "https://a.example", acrmHeader, "PATCH"), bucket.Target{Config: cfg}).Trace(); tr != nil {
		t.Errorf("Trace of a preflight for PATCH = %v, want nil", tr)
	}
	// An Origin that is not a serialized origin matches the pattern "*",
	// yet no rule.
	bad := bucket.Evaluate("OPTIONS", hdr(originHeader, "https://a b", acrmHeader, "PUT"), bucket.Target{Config: cfg}).Trace()
	if len(bad) != 3 || !bad[2].OriginMatched || !bad[2].MethodAllowed || !bad[2].HeadersCovered || bad[2].Matched {
		t.Errorf("Trace for Origin %q = %+v, want rule 3's pattern matched and the rule not", "https://a b", bad)
	}
	// An actual request with a method no rule can hold reaches the rules
	// all the same, and each says why it does not match.
	tr := bucket.Evaluate("PATCH", hdr(originHeader, "https://a.example"), bucket.Target{Config: cfg}).Trace()
	if len(tr) != 3 || tr[0].Reason != `AllowedMethods does not hold "PATCH"` {
		t.Errorf("Trace of an actual PATCH = %+v, want 3 rules, the first not holding PATCH", tr)
	}
	// An actual PATCH is refused without counting the requested names;
	// Trace says nothing of one that asks for more than the bound.
	many := strings.Repeat("a,", bucket.MaxRequestedHeaders) + "b"
	if tr := bucket.Evaluate("PATCH", hdr(originHeader, "https://a.example", acrhHeader, many), bucket.Target{Config: cfg}).Trace(); tr != nil {
		t.Errorf("Trace of an actual PATCH requesting %d names = %+v, want nil", bucket.MaxRequestedHeaders+1, tr)
	}
}

func TestRulesAreCopied(t *testing.T) {
	t.Parallel()
	r := corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, MaxAgeSeconds: maxAge(5)}
	cfg := bucket.MustNew(r)
	r.AllowedOrigins[0] = "https://evil.example"
	*r.MaxAgeSeconds = 9
	if n, none := cfg.Len(), (*bucket.Config)(nil).Len(); n != 1 || none != 0 {
		t.Errorf("Len() = %d, and %d for a nil Config; want 1 and 0", n, none)
	}
	got := cfg.Rules()
	if got[0].AllowedOrigins[0] != "https://a.example" || *got[0].MaxAgeSeconds != 5 {
		t.Fatalf("Config changed with its input: %+v", got[0])
	}
	got[0].AllowedMethods[0] = "PUT"
	if res := bucket.Evaluate("GET", hdr(originHeader, "https://a.example"), bucket.Target{Config: cfg}); !res.Allowed() {
		t.Fatal("Config changed through Rules()")
	}
}

func TestOutcomeString(t *testing.T) {
	t.Parallel()
	for o, want := range map[bucket.Outcome]string{bucket.Allowed: "Allowed", bucket.HeaderTooLarge: "HeaderTooLarge", 0: "Outcome(0)", 99: "Outcome(99)",
		bucket.TooManyHeaders: "TooManyHeaders", bucket.TooManyHeaders + 1: "Outcome(9)"} {
		if got := o.String(); got != want {
			t.Errorf("Outcome(%d).String() = %q, want %q", o, got, want)
		}
	}
}

// TestWorstConfigIsLegal keeps the benchmark's worst configuration within
// S3's limits: 100 rules, at most 64 KB as XML.
func TestWorstConfigIsLegal(t *testing.T) {
	t.Parallel()
	rules := worstConfig()
	if err := bucket.Validate(rules); err != nil {
		t.Fatal(err)
	}
	if n := len(xmlconfig.AppendXML(nil, rules)); n > corsrule.MaxDocumentSize || n < corsrule.MaxDocumentSize-100 {
		t.Fatalf("worst configuration is %d bytes of XML; want close to %d", n, corsrule.MaxDocumentSize)
	}
}

// TestConfigVerdict covers the configuration-wide checks of spec §2.
func TestConfigVerdict(t *testing.T) {
	t.Parallel()
	ok := corsrule.Rule{ID: "same", AllowedOrigins: []string{"o"}, AllowedMethods: []string{"GET"}}
	noMethod := corsrule.Rule{AllowedOrigins: []string{"o"}}
	badMethod := corsrule.Rule{AllowedOrigins: []string{"o"}, AllowedMethods: []string{"get"}}
	tests := []struct {
		name  string
		rules []corsrule.Rule
		want  []string // Code of each problem, in order
	}{
		{"no rules", nil, []string{"MalformedXML"}},
		{"100 rules", slices.Repeat([]corsrule.Rule{ok}, 100), nil},
		{"101 rules", slices.Repeat([]corsrule.Rule{ok}, 101), []string{"InvalidRequest"}},
		{"the same ID twice is accepted (UNVERIFIED)", []corsrule.Rule{ok, ok}, nil},
		{"schema problems come before the rule count (UNVERIFIED)", append(slices.Repeat([]corsrule.Rule{badMethod}, 101), noMethod),
			append([]string{"MalformedXML", "InvalidRequest"}, slices.Repeat([]string{"InvalidRequest"}, 101)...)},
		{"schema problems of later rules come before value problems of earlier ones", []corsrule.Rule{badMethod, noMethod},
			[]string{"MalformedXML", "InvalidRequest"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range bucket.Problems(tc.rules) {
				got = append(got, p.Code)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if err := bucket.Validate(tc.rules); (err == nil) != (len(tc.want) == 0) {
				t.Errorf("Validate = %v", err)
			}
		})
	}
	// The rule count's problem comes before every rule's value problems
	// (UNVERIFIED, as above): the codes alone cannot tell, both being
	// InvalidRequest.
	tooMany := corsrule.TooManyRules().Message
	if p := bucket.Problems(slices.Repeat([]corsrule.Rule{badMethod}, 101)); len(p) != 102 || p[0].Message != tooMany || p[1].Message == tooMany {
		t.Errorf("101 rules with a bad method: want the rule count's problem first, got %v", p)
	}
	// A rule's problem names it by its 1-based place (s3err.Error.Rule).
	if p := bucket.Problems([]corsrule.Rule{ok, badMethod, noMethod}); len(p) != 2 || p[0].Rule != 3 || p[1].Rule != 2 {
		t.Errorf("rules ok, bad method, no method: problems %v, want one in rule 3, then one in rule 2", p)
	}
	// The problems of the configuration as a whole are in no rule.
	for _, rules := range [][]corsrule.Rule{nil, slices.Repeat([]corsrule.Rule{ok}, 101)} {
		if p := bucket.Problems(rules); len(p) != 1 || p[0].Rule != 0 {
			t.Errorf("%d rules: problems %v, want one in rule 0", len(rules), p)
		}
	}
}

// TestAllowHeadersSizes builds Access-Control-Allow-Headers values around
// the sizes where the way they are allocated changes (the answer and the
// request in 64, 256 or 768 bytes; requests up to 256 bytes remembered),
// twice each: built, then remembered.
func TestAllowHeadersSizes(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(ruleStar)
	for _, size := range []int{5, 32, 33, 128, 129, 257, 258, 384, 385, 1000} {
		// Two names joined by ", " make size bytes; upper case forces a copy.
		first := strings.Repeat("A", (size-2)/2)
		second := strings.Repeat("b", size-2-len(first))
		acrh, want := first+","+second, strings.ToLower(first)+", "+second
		h := hdr(originHeader, "o", acrmHeader, "GET", acrhHeader, acrh)
		for range 2 {
			got := http.Header{}
			bucket.Evaluate("OPTIONS", h, bucket.Target{Config: cfg}).WriteHeaders(got)
			if v := got.Get("Access-Control-Allow-Headers"); v != want {
				t.Errorf("size %d: Allow-Headers = %q, want %q", size, v, want)
			}
		}
	}
}

// TestResultOfNoMatch checks what a Result says when nothing matched: an
// actual request that carries Access-Control-Request-Method was asked
// about that method, whether or not a rule admits its Origin, and the
// trace judges the rules' methods against it; the zero Result, like any
// Result without a match, names no rule.
func TestResultOfNoMatch(t *testing.T) {
	t.Parallel()
	tg := bucket.Target{Config: bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}})}
	for _, origin := range []string{"https://a.example", "https://b.example"} {
		r := bucket.Evaluate("GET", http.Header{"Origin": {origin}, "Access-Control-Request-Method": {"PUT"}}, tg)
		if r.Method() != "PUT" {
			t.Errorf("Origin %s: Method() = %q, want PUT", origin, r.Method())
		}
		if tr := r.Trace(); len(tr) != 1 || !tr[0].MethodAllowed {
			t.Errorf("Origin %s: trace %+v, want PUT allowed by rule 0", origin, tr)
		}
	}
	atBound := strings.Repeat("P", bucket.MaxHeaderValueLen)
	if r := bucket.Evaluate("GET", http.Header{"Origin": {"https://b.example"}, "Access-Control-Request-Method": {atBound}}, tg); r.Method() != atBound {
		t.Errorf("an Access-Control-Request-Method of %d bytes is not kept: %d bytes", bucket.MaxHeaderValueLen, len(r.Method()))
	}
	long := bucket.Evaluate("GET", http.Header{"Origin": {"https://b.example"}, "Access-Control-Request-Method": {strings.Repeat("P", bucket.MaxHeaderValueLen+1)}}, tg)
	if long.Method() != "" {
		t.Errorf("an Access-Control-Request-Method over %d bytes is kept: %d bytes", bucket.MaxHeaderValueLen, len(long.Method()))
	}
	tooLarge := bucket.Evaluate("OPTIONS", http.Header{"Origin": {strings.Repeat("o", bucket.MaxHeaderValueLen+1)}, "Access-Control-Request-Method": {"PUT"}}, tg)
	if tooLarge.Outcome() != bucket.HeaderTooLarge || tooLarge.Method() != "" {
		t.Errorf("a preflight with an Origin over %d bytes: %v, Method() = %q; want HeaderTooLarge and no method", bucket.MaxHeaderValueLen, tooLarge.Outcome(), tooLarge.Method())
	}
	refused := bucket.Evaluate("GET", http.Header{"Origin": {"https://b.example"}}, tg)
	var zero bucket.Result
	for name, r := range map[string]bucket.Result{"refused": refused, "zero": zero} {
		if r.Rule() != -1 {
			t.Errorf("%s Result: Rule() = %d, want -1", name, r.Rule())
		}
	}
}

// TestEvaluateRequestAsEvaluate checks that EvaluateRequest answers an
// actual request whose Origin no rule admits as Evaluate does, which
// does not read its Access-Control-Request-Headers: a value of any
// length, over MaxHeaderValueLen too, leaves the trace as Evaluate's,
// and Trace does not panic on names past 64 KiB.
func TestEvaluateRequestAsEvaluate(t *testing.T) {
	t.Parallel()
	tg := bucket.Target{Config: bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}})}
	for _, acrh := range []string{"puppies", strings.Repeat("a", bucket.MaxHeaderValueLen+1), strings.Repeat("a", 65530) + "," + strings.Repeat("b", 5000)} {
		want := bucket.Evaluate("GET", http.Header{"Origin": {"https://b.example"}, "Access-Control-Request-Headers": {acrh}}, tg)
		got := bucket.EvaluateRequest(bucket.Request{Method: "GET", Origin: "https://b.example", AccessControlRequestHeaders: acrh}, tg)
		if got.Outcome() != want.Outcome() {
			t.Errorf("%d bytes: outcome %v, Evaluate's %v", len(acrh), got.Outcome(), want.Outcome())
		}
		if diff := cmp.Diff(want.Trace(), got.Trace()); diff != "" {
			t.Errorf("%d bytes: trace (-Evaluate +EvaluateRequest):\n%s", len(acrh), diff)
		}
	}
}

// TestWriteHeadersReplaces writes one answer into a header map that holds
// another, as WriteHeaders promises to replace the Access-Control-*
// headers there: the map then holds S3's answer for the second rule
// alone (spec §3.3: no Allow-Credentials with "*", no Expose-Headers or
// Max-Age for a rule without them, no Allow-Headers on an actual
// request), with S3's Vary once, not once per answer written.
func TestWriteHeadersReplaces(t *testing.T) {
	t.Parallel()
	cfg := bucket.MustNew(
		corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"},
			ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: maxAge(5)},
		corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PUT"}},
	)
	tg := bucket.Target{Config: cfg}
	first := bucket.Evaluate("OPTIONS", hdr(originHeader, "https://a.example", acrmHeader, "GET", acrhHeader, "x-a"), tg)
	for _, tc := range []struct {
		name   string
		method string
		h      http.Header
		want   map[string]string
	}{
		{"preflight for the * rule", "OPTIONS", hdr(originHeader, "https://a.example", acrmHeader, "PUT"),
			allowed("Allow-Origin", "*", "Allow-Methods", "PUT")},
		{"actual request for the * rule", "PUT", hdr(originHeader, "https://a.example"),
			allowed("Allow-Origin", "*", "Allow-Methods", "PUT")},
		{"the same answer again", "OPTIONS", hdr(originHeader, "https://a.example", acrmHeader, "GET", acrhHeader, "x-a"),
			allowed("Allow-Origin", "https://a.example", "Allow-Credentials", "true", "Allow-Methods", "GET", "Allow-Headers", "x-a",
				"Expose-Headers", "ETag", "Max-Age", "5")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			first.WriteHeaders(h)
			bucket.Evaluate(tc.method, tc.h, tg).WriteHeaders(h)
			got := map[string]string{}
			for k, v := range h {
				got[k] = strings.Join(v, "|")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRepeatedHeadersJudgedByFirst pins what a request that repeats
// Origin or Access-Control-Request-Method on two lines gets: the first
// line's verdict, the second ignored. UNVERIFIED: S3's answer to such a
// request is not recorded (no browser repeats either header); judging the
// first is what net/http's Header.Get reads and what peers do.
func TestRepeatedHeadersJudgedByFirst(t *testing.T) {
	t.Parallel()
	tg := bucket.Target{Config: bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}})}
	for _, tc := range []struct {
		name            string
		method          string
		origins, acrm   []string
		allowed         bool
		wantAllowOrigin string
	}{
		{"admitted origin first", "GET", []string{"https://a.example", "https://b.example"}, nil, false, ""},
		{"admitted origin first, PUT", "PUT", []string{"https://a.example", "https://b.example"}, nil, true, "https://a.example"},
		{"refused origin first", "PUT", []string{"https://b.example", "https://a.example"}, nil, false, ""},
		{"allowed method first", "OPTIONS", []string{"https://a.example"}, []string{"PUT", "DELETE"}, true, "https://a.example"},
		{"refused method first", "OPTIONS", []string{"https://a.example"}, []string{"DELETE", "PUT"}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{"Origin": tc.origins}
			if tc.acrm != nil {
				h["Access-Control-Request-Method"] = tc.acrm
			}
			r := bucket.Evaluate(tc.method, h, tg)
			if r.Allowed() != tc.allowed {
				t.Errorf("Allowed() = %v, want %v (%v)", r.Allowed(), tc.allowed, r.Outcome())
			}
			got := http.Header{}
			r.WriteHeaders(got)
			if v := got.Get("Access-Control-Allow-Origin"); v != tc.wantAllowOrigin {
				t.Errorf("Allow-Origin %q, want %q", v, tc.wantAllowOrigin)
			}
		})
	}
}
