package bucket_test

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/xmlconfig"
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

// BenchmarkDecide measures the decision alone: which rule, from the
// request's values, nothing read from a header map and nothing written.
func BenchmarkDecide(b *testing.B) {
	target := bucket.Target{Config: bucket.MustNew(benchRule)}
	for _, c := range benchCases("https://app.example.com") {
		req := bucket.Request{Method: c.method, Origin: c.h.Get("Origin"),
			AccessControlRequestMethod:  c.h.Get("Access-Control-Request-Method"),
			AccessControlRequestHeaders: c.h.Get("Access-Control-Request-Headers")}
		b.Run("case="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bucket.EvaluateRequest(req, target)
			}
		})
	}
}

// BenchmarkEvaluate adds reading the three headers from the request's map.
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

// BenchmarkSharedSide has 1 or 1,000 wildcard origins that share their
// longer side (https://tN-*.preview.example.com, ten in each of the 100
// rules S3 allows) decide an actual request from an origin the last
// admits, and from one none admits that shares all but a digit.
func BenchmarkSharedSide(b *testing.B) {
	const suffix = "-*.preview.shared-suffix.example.com"
	for _, n := range []int{1, 1000} {
		rules := make([]corsrule.Rule, min(n, corsrule.MaxRules))
		for i := range n {
			r := &rules[i%len(rules)]
			r.AllowedMethods = []string{"GET"}
			r.AllowedOrigins = append(r.AllowedOrigins, "https://t"+strconv.Itoa(i)+suffix)
		}
		target := bucket.Target{Config: bucket.MustNew(rules...)}
		last := "https://t" + strconv.Itoa(n-1)
		for _, c := range []struct{ name, origin string }{
			{"admitted", last + "-a.preview.shared-suffix.example.com"},
			{"near-miss", last + "9-a.preview.shared-suffix.example.com"},
		} {
			b.Run("origins="+strconv.Itoa(n)+"/case="+c.name, func(b *testing.B) {
				h := hdr("Origin", c.origin)
				b.ReportAllocs()
				for b.Loop() {
					bucket.Evaluate("GET", h, target)
				}
			})
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
		req := bucket.Request{Method: "OPTIONS", Origin: r.AllowedOrigins[n-1],
			AccessControlRequestMethod: "PUT", AccessControlRequestHeaders: "content-type,x-amz-date"}
		b.Run("origins="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bucket.EvaluateRequest(req, target)
			}
		})
	}
}

// BenchmarkHostileACRH feeds preflights built to cost work: the bounds
// refuse them before any rule is read.
func BenchmarkHostileACRH(b *testing.B) {
	star := bucket.MustNew(corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, AllowedHeaders: []string{"*"}})
	for _, c := range []struct{ name, acrh string }{
		{"commas-64KiB", strings.Repeat(",", 64<<10)},
		{"names-4000", strings.Repeat("a,", 4000)},
		{"name-repeated-1MiB", strings.Repeat("content-type,", (1<<20)/13)},
		{"commas-1MiB", strings.Repeat(",", 1<<20)},
	} {
		h := hdr("Origin", "https://a.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", c.acrh)
		b.Run("acrh="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if o := bucket.Evaluate("OPTIONS", h, bucket.Target{Config: star}).Outcome(); o != bucket.HeaderTooLarge && o != bucket.TooManyHeaders {
					b.Fatal("not refused")
				}
			}
		})
	}
}

// worstConfig is the largest configuration S3 accepts: 100 rules whose
// XML fills 64 KB, with origins added round-robin, every third a wildcard.
func worstConfig() []corsrule.Rule {
	rules := make([]corsrule.Rule, corsrule.MaxRules)
	for i := range rules {
		rules[i] = corsrule.Rule{ID: "rule-" + strconv.Itoa(i), AllowedMethods: []string{"GET", "PUT", "POST", "DELETE", "HEAD"},
			AllowedHeaders: []string{"content-type", "x-amz-*", "authorization"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: maxAge(3000)}
	}
	size := len(xmlconfig.AppendXML(nil, rules))
	for n := 0; ; n++ {
		r := &rules[n%len(rules)]
		o := "https://app" + strconv.Itoa(n) + ".example.com"
		if n%3 == 0 {
			o = "https://*.t" + strconv.Itoa(n) + ".example.com"
		}
		size += len("<AllowedOrigin></AllowedOrigin>") + len(o)
		if size > corsrule.MaxDocumentSize {
			return rules
		}
		r.AllowedOrigins = append(r.AllowedOrigins, o)
	}
}

// BenchmarkCompile reports the cost of compiling a typical one-rule
// configuration and the worst legal one, and the memory each compiled
// Config holds (retained-bytes/op).
func BenchmarkCompile(b *testing.B) {
	for _, c := range []struct {
		name  string
		rules []corsrule.Rule
	}{
		{"rules=1", []corsrule.Rule{benchRule}},
		{"rules=100-worst", worstConfig()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bucket.MustNew(c.rules...)
			}
			b.ReportMetric(float64(retainedBytes(c.rules)), "retained-bytes")
		})
	}
}

// retainedBytes measures the heap a compiled Config keeps alive, averaged
// over many copies so that allocator rounding evens out.
func retainedBytes(rules []corsrule.Rule) uint64 {
	const n = 200
	keep := make([]*bucket.Config, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range keep {
		keep[i] = bucket.MustNew(rules...)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return (after.HeapAlloc - before.HeapAlloc) / n
}
