package bucket_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// parseSpec turns "origins|methods|headers|maxage|expose;..." (lists
// split on spaces) into rules, so the fuzzer can write configurations as
// text.
func parseSpec(spec string) []corsrule.Rule {
	var rules []corsrule.Rule
	for _, part := range strings.Split(spec, ";") {
		f := strings.Split(part, "|")
		for len(f) < 5 {
			f = append(f, "")
		}
		r := corsrule.Rule{
			AllowedOrigins: strings.Split(f[0], " "),
			AllowedMethods: strings.Fields(f[1]),
			AllowedHeaders: strings.Fields(f[2]),
			ExposeHeaders:  strings.Fields(f[4]),
		}
		if f[3] != "" {
			r.MaxAgeSeconds = maxAge(int32(len(f[3])))
		}
		rules = append(rules, r)
	}
	return rules
}

// FuzzEvaluate holds the compiled evaluator to the naive reference: for any
// valid configuration and any request, both give the same status, error
// and CORS headers, and EvaluateRequest, on the request's values, gives
// Evaluate's. It also checks the Trace agrees on the winning rule.
func FuzzEvaluate(f *testing.F) {
	seeds := []struct {
		spec, method, origin, acrm, acrh string
		flags                            uint8
	}{
		{"https://a.example http://*.b.example|GET PUT|content-type x-amz-*|x;*|GET|*", "OPTIONS", "http://c.b.example", "PUT", "X-Amz-Date,Content-Type", 0},
		{"*suffix|GET;start*end|GET;prefix*|GET;*.put|PUT", "GET", "foo.suffix", "", "", 0},
		{"*suffix|GET;start*end|GET;prefix*|GET;*.put|PUT", "PUT", "foo.put", "", "", 1},
		{"a b c d e f|GET|*|", "OPTIONS", "e", "GET", " a ,, B ", 2},
		{"*|GET||", "OPTIONS", "o", "GET", "x", 4},
		{"o|DELETE||", "OPTIONS", "o\x01", "DELETE", "", 8},
		{"o|HEAD|x-*|", "HEAD", "o", "HEAD", "x-(", 0},
		{"o|GET PUT||1|ETag x-amz-request-id;*|GET||2|ETag", "GET", "o", "", "", 2},
		{"o|GET PUT||1|ETag x-amz-request-id;*|GET||2|ETag", "OPTIONS", "p", "GET", "", 2},
	}
	for _, s := range seeds {
		f.Add(s.spec, s.method, s.origin, s.acrm, s.acrh, s.flags)
	}
	// Configurations with more wildcard origins than are tried one by
	// one, so that the fuzzer works on the tries that index them: the
	// four shapes users write, then keys built to share and split edges.
	many := manyWildcardSpec(70)
	for _, origin := range []string{"https://a.tenant37.example.com", "http://localhost13:8080", "x.suffix66", "prefix67x",
		"https://a.tenant3.example.com", "http://localhost1", "prefix3", "x.suffix"} {
		f.Add(many, "OPTIONS", origin, "PUT", "", uint8(0))
		f.Add(many, "GET", origin, "", "", uint8(0))
	}
	nested := "a*|GET;ab*|PUT;aba*|GET;*b|GET;*ab|PUT;*bab|GET;a*b|DELETE;ab*ab|GET;b*a|GET;*|HEAD;ba*|GET PUT"
	for _, origin := range []string{"ab", "abab", "bab", "aba", "a", "b", "ba", "\x7fab"} {
		f.Add(nested, "OPTIONS", origin, "GET", "", uint8(0))
		f.Add(nested, "PUT", origin, "", "", uint8(2))
	}
	methods := []string{"GET", "PUT", "HEAD", "POST", "DELETE", "OPTIONS", "PATCH"}
	f.Fuzz(func(t *testing.T, spec, method, origin, acrm, acrh string, flags uint8) {
		rules := parseSpec(spec)
		cfg, err := bucket.New(rules)
		if err != nil {
			return
		}
		if flags&16 != 0 {
			method = methods[int(flags>>5)%len(methods)]
		}
		h := http.Header{}
		if origin != "" || flags&32 != 0 {
			h["Origin"] = []string{origin}
		}
		if acrm != "" {
			h["Access-Control-Request-Method"] = []string{acrm}
		}
		if acrh != "" {
			h["Access-Control-Request-Headers"] = strings.Split(acrh, "\n")
		}
		noBucket, object, noConfig := flags&1 != 0, flags&2 != 0, flags&4 != 0
		target := bucket.Target{Config: cfg, NoBucket: noBucket, Object: object}
		refRules := rules
		if noConfig {
			target.Config, refRules = nil, nil
		}
		want := refEvaluate(method, h, refRules, noBucket, object)
		got := response(method, h, target)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s %q origin=%q acrm=%q acrh=%q flags=%b: compiled and reference differ (-ref +compiled):\n%s",
				method, spec, origin, acrm, acrh, flags, diff)
		}
		req := bucket.Request{Method: method, Origin: firstValue(h["Origin"]), AccessControlRequestMethod: firstValue(h["Access-Control-Request-Method"]),
			AccessControlRequestHeaders: strings.Join(h["Access-Control-Request-Headers"], ",")}
		if diff := cmp.Diff(got, requestResponse(req, target), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s %q origin=%q acrm=%q acrh=%q flags=%b: Evaluate and EvaluateRequest differ (-Evaluate +EvaluateRequest):\n%s",
				method, spec, origin, acrm, acrh, flags, diff)
		}
		res := bucket.Evaluate(method, h, target)
		winner := -1
		for _, tr := range res.Trace() {
			if tr.Matched {
				winner = tr.Rule
				break
			}
		}
		if res.Trace() != nil && winner != res.Rule() {
			t.Fatalf("Trace says rule %d wins, Evaluate says %d", winner, res.Rule())
		}
		body, headers := middlewareResponse(method, h, target)
		if res.Preflight() && body != errorBody(res.Err()) {
			t.Fatalf("the middleware sends\n%s\nthe Result's error is\n%s", body, errorBody(res.Err()))
		}
		// The Middleware answers actual requests by a path of its own.
		if diff := cmp.Diff(want.Headers, headers, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s %q origin=%q acrm=%q acrh=%q flags=%b: the reference's headers and the middleware's differ (-ref +middleware):\n%s",
				method, spec, origin, acrm, acrh, flags, diff)
		}
	})
}

// manyWildcardSpec writes, in parseSpec's form, n rules each with one
// wildcard origin of one of the four shapes users write, in turn.
func manyWildcardSpec(n int) string {
	var rules []string
	for i := range n {
		d := strconv.Itoa(i)
		o := [...]string{"https://*.tenant" + d + ".example.com", "http://localhost" + d + ":*", "*.suffix" + d, "prefix" + d + "*"}[i%4]
		rules = append(rules, o+"|"+[...]string{"GET", "PUT", "GET PUT"}[i%3])
	}
	return strings.Join(rules, ";")
}

// middlewareResponse returns the body the Middleware sends for a
// request, with the request IDs set as a server sets them, and its CORS
// headers and Vary as refResponse holds them, its lines joined by "|".
func middlewareResponse(method string, h http.Header, target bucket.Target) (body string, headers map[string]string) {
	mw := (&bucket.Middleware{Resolve: func(*http.Request) (bucket.Target, bool) { return target, true }}).Wrap(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{"REQ"}
	rec.Header()[s3err.HostIDHeader] = []string{"HOST"}
	mw.ServeHTTP(rec, &http.Request{Method: method, URL: &url.URL{Path: "/"}, Header: h})
	headers = map[string]string{}
	for name, v := range rec.Header() {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			headers[name] = strings.Join(v, "|")
		}
	}
	return rec.Body.String(), headers
}

// errorBody is the document e renders with the request IDs
// middlewareBody sets, "" for none.
func errorBody(e *s3err.Error) string {
	if e == nil {
		return ""
	}
	return string(e.AppendXML(nil, "REQ", "HOST"))
}
