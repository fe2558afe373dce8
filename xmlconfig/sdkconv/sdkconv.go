// Package sdkconv converts bucket CORS rules to and from the types of the
// AWS SDK for Go v2 (github.com/aws/aws-sdk-go-v2/service/s3/types). It is
// apart from package xmlconfig so that only programs that use the SDK
// import it.
//
// The conversions are plain field copies with no validation, and deep:
// the result shares no slice or pointer with its source. The SDK's nil ID
// and the empty ID are both [corsrule.Rule]'s "", as package xmlconfig
// reads an empty <ID/> as no ID (UNVERIFIED: whether S3 stores and
// returns an empty ID is not recorded).
package sdkconv

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/s3cors/s3cors/corsrule"
)

// FromSDK returns the rules of c, as PutBucketCorsInput carries them, or
// nil when c is nil.
func FromSDK(c *types.CORSConfiguration) []corsrule.Rule {
	if c == nil {
		return nil
	}
	return FromSDKRules(c.CORSRules)
}

// FromSDKRules returns rs as rules. GetBucketCorsOutput carries a bare
// slice, not a CORSConfiguration.
func FromSDKRules(rs []types.CORSRule) []corsrule.Rule {
	if rs == nil {
		return nil
	}
	rules := make([]corsrule.Rule, len(rs))
	for i := range rs {
		r := &rs[i]
		rules[i] = corsrule.Rule{
			AllowedOrigins: slices.Clone(r.AllowedOrigins),
			AllowedMethods: slices.Clone(r.AllowedMethods),
			AllowedHeaders: slices.Clone(r.AllowedHeaders),
			ExposeHeaders:  slices.Clone(r.ExposeHeaders),
		}
		if r.ID != nil {
			rules[i].ID = *r.ID
		}
		if r.MaxAgeSeconds != nil {
			rules[i].MaxAgeSeconds = new(*r.MaxAgeSeconds)
		}
	}
	return rules
}

// ToSDK returns rules as the CORSConfiguration of a PutBucketCorsInput. It
// never returns nil; for nil rules the configuration has no rules, which
// S3 refuses.
func ToSDK(rules []corsrule.Rule) *types.CORSConfiguration {
	return &types.CORSConfiguration{CORSRules: ToSDKRules(rules)}
}

// ToSDKRules returns rules as SDK rules, with a nil ID for "".
func ToSDKRules(rules []corsrule.Rule) []types.CORSRule {
	if rules == nil {
		return nil
	}
	rs := make([]types.CORSRule, len(rules))
	for i := range rules {
		r := &rules[i]
		rs[i] = types.CORSRule{
			AllowedOrigins: slices.Clone(r.AllowedOrigins),
			AllowedMethods: slices.Clone(r.AllowedMethods),
			AllowedHeaders: slices.Clone(r.AllowedHeaders),
			ExposeHeaders:  slices.Clone(r.ExposeHeaders),
		}
		if r.ID != "" {
			rs[i].ID = new(r.ID)
		}
		if r.MaxAgeSeconds != nil {
			rs[i].MaxAgeSeconds = new(*r.MaxAgeSeconds)
		}
	}
	return rs
}
