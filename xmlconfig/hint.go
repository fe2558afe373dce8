package xmlconfig

import (
	"strings"
)

// People write CORS configurations from CloudFormation templates
// (ExposedHeaders, Id, MaxAge, CorsRules), Terraform (expose_headers,
// max_age_seconds), the JSON forms (plural names) or memory (wrong case).
// S3 answers each of these with a bare MalformedXML; the tables below let
// the Reason name the member S3 expected.
//
// Keys are names folded by fold.
var (
	xmlRuleNames = map[string]string{
		"allowedorigin": "AllowedOrigin", "allowedorigins": "AllowedOrigin",
		"allowedmethod": "AllowedMethod", "allowedmethods": "AllowedMethod",
		"allowedheader": "AllowedHeader", "allowedheaders": "AllowedHeader",
		"exposeheader": "ExposeHeader", "exposeheaders": "ExposeHeader",
		"exposedheader": "ExposeHeader", "exposedheaders": "ExposeHeader",
		"id": "ID", "maxage": "MaxAgeSeconds", "maxageseconds": "MaxAgeSeconds",
	}
	jsonRuleNames = map[string]string{
		"allowedorigin": "AllowedOrigins", "allowedorigins": "AllowedOrigins",
		"allowedmethod": "AllowedMethods", "allowedmethods": "AllowedMethods",
		"allowedheader": "AllowedHeaders", "allowedheaders": "AllowedHeaders",
		"exposeheader": "ExposeHeaders", "exposeheaders": "ExposeHeaders",
		"exposedheader": "ExposeHeaders", "exposedheaders": "ExposeHeaders",
		"id": "ID", "maxage": "MaxAgeSeconds", "maxageseconds": "MaxAgeSeconds",
	}
	xmlRootNames  = map[string]string{"corsrule": "CORSRule", "corsrules": "CORSRule"}
	jsonRootNames = map[string]string{"corsrule": "CORSRules", "corsrules": "CORSRules"}
)

// fold lower-cases the ASCII letters of name and drops '_' and '-', so
// that MaxAge, maxAge and max_age meet.
func fold(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '_' || r == '-':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, name)
}

// unknownReason says that name is not a kind ("element" or "member") S3
// knows in where, adding S3's name for it when names has one.
func unknownReason(kind, name, where string, names map[string]string) string {
	reason := "unknown " + kind + " " + quote(name) + " in " + where
	if s3, ok := names[fold(name)]; ok && s3 != name {
		reason += "; S3 calls it " + quote(s3)
	}
	return reason
}

// topReason is unknownReason for a name at the top of a configuration,
// where a rule's member is a common slip: it then says the member belongs
// inside a rule (inside names the rule).
func topReason(kind, name, where, inside string, topNames, ruleNames map[string]string) string {
	if s3, ok := ruleNames[fold(name)]; ok {
		return "unknown " + kind + " " + quote(name) + " in " + where + "; " + quote(s3) + " belongs inside " + inside
	}
	return unknownReason(kind, name, where, topNames)
}
