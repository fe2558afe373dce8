package corsrule_test

import (
	"errors"
	"fmt"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// Validate gives S3's verdict on one rule: its first problem as the
// *s3err.Error S3 would answer PutBucketCors with. Field and Index name
// the value it is about, for pointing at it.
func ExampleRule_Validate() {
	r := corsrule.Rule{
		AllowedOrigins: []string{"https://*.example.com"},
		AllowedMethods: []string{"GET"},
		ExposeHeaders:  []string{"ETag", "x-amz-meta-*"},
	}
	var e *s3err.Error
	if errors.As(r.Validate(), &e) {
		fmt.Println(e.StatusCode, e.Code)
		fmt.Println(e.Message)
		fmt.Println(e.Field, e.Index)
	}
	// Output:
	// 400 InvalidRequest
	// ExposeHeader "x-amz-meta-*" contains wildcard. We currently do not support wildcard for ExposeHeader.
	// ExposeHeader 1
}

// An origin pattern compares byte for byte; its "*" stands for any run of
// characters, the empty one and "." included.
func ExampleOriginPattern() {
	p := corsrule.OriginPattern("https://*.example.com")
	for _, origin := range []string{
		"https://app.example.com",
		"https://a.b.example.com",
		"https://.example.com",
		"http://app.example.com",
		"https://APP.EXAMPLE.COM",
	} {
		fmt.Println(origin, p.Match(origin))
	}
	// Output:
	// https://app.example.com true
	// https://a.b.example.com true
	// https://.example.com true
	// http://app.example.com false
	// https://APP.EXAMPLE.COM false
}

// A header pattern ignores ASCII case.
func ExampleHeaderPattern() {
	p := corsrule.HeaderPattern("X-Amz-*")
	fmt.Println(p, p.Match("x-amz-date"), p.Match("X-AMZ-META-OWNER"), p.Match("content-type"))
	// Output:
	// x-amz-* true true false
}
