package bucket_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
)

// benchRule is the configuration of the performance targets: one rule, the
// methods a browser upload needs, three allowed headers.
var benchRule = corsrule.Rule{
	AllowedOrigins: []string{"https://app.example.com"},
	AllowedMethods: []string{"GET", "PUT", "POST", "DELETE", "HEAD"},
	AllowedHeaders: []string{"Content-Type", "X-Amz-Date", "Authorization"},
	ExposeHeaders:  []string{"ETag"},
	MaxAgeSeconds:  maxAge(3000),
}

type benchCase struct {
	name   string
	method string
	h      http.Header
}

func benchCases(origin string) []benchCase {
	return []benchCase{
		{"preflight", "OPTIONS", hdr("Origin", origin, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type")},
		{"preflight-2headers", "OPTIONS", hdr("Origin", origin, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-amz-date")},
		{"actual", "GET", hdr("Origin", origin)},
		{"disallowed-preflight", "OPTIONS", hdr("Origin", "https://evil.example.com", "Access-Control-Request-Method", "PUT")},
		{"disallowed-actual", "GET", hdr("Origin", "https://evil.example.com")},
	}
}

// BenchmarkEvaluate measures the decision alone: which rule, nothing written.
func BenchmarkEvaluate(b *testing.B) {
	target := bucket.Target{Config: bucket.MustNew(benchRule)}
	for _, c := range benchCases("https://app.example.com") {
		b.Run("case="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bucket.Evaluate(c.method, c.h, target)
			}
		})
	}
}

// BenchmarkWriteHeaders measures the decision and the headers written into
// a reused map, cleared each time as a server's would be fresh.
func BenchmarkWriteHeaders(b *testing.B) {
	target := bucket.Target{Config: bucket.MustNew(benchRule)}
	for _, c := range benchCases("https://app.example.com") {
		b.Run("case="+c.name, func(b *testing.B) {
			dst := http.Header{}
			b.ReportAllocs()
			for b.Loop() {
				clear(dst)
				bucket.Evaluate(c.method, c.h, target).WriteHeaders(dst)
			}
		})
	}
}

// BenchmarkRules puts the match in the last of 1, 10 or 100 rules.
func BenchmarkRules(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		for _, kind := range []string{"exact", "wildcard"} {
			rules := make([]corsrule.Rule, n)
			for i := range rules {
				rules[i] = benchRule
				rules[i].AllowedOrigins = []string{"https://app" + strconv.Itoa(i) + ".example.com"}
			}
			origin := "https://app" + strconv.Itoa(n-1) + ".example.com"
			if kind == "wildcard" {
				for i := range rules {
					rules[i].AllowedOrigins = []string{"https://*.example" + strconv.Itoa(i) + ".com"}
				}
				origin = "https://app.example" + strconv.Itoa(n-1) + ".com"
			}
			target := bucket.Target{Config: bucket.MustNew(rules...)}
			for _, c := range benchCases(origin)[:3] {
				b.Run("rules="+strconv.Itoa(n)+"/origin="+kind+"/case="+c.name, func(b *testing.B) {
					dst := http.Header{}
					b.ReportAllocs()
					for b.Loop() {
						clear(dst)
						bucket.Evaluate(c.method, c.h, target).WriteHeaders(dst)
					}
				})
			}
		}
	}
}

// BenchmarkOrigins varies the exact origins of one rule, matching the last.
func BenchmarkOrigins(b *testing.B) {
	for _, n := range []int{1, 10, 100, 1000} {
		r := benchRule
		r.AllowedOrigins = nil
		for i := range n {
			r.AllowedOrigins = append(r.AllowedOrigins, "https://app"+strconv.Itoa(1000+i)+".example.com")
		}
		target := bucket.Target{Config: bucket.MustNew(r)}
		c := benchCases(r.AllowedOrigins[n-1])[1]
		b.Run("origins="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bucket.Evaluate(c.method, c.h, target)
			}
		})
	}
}
