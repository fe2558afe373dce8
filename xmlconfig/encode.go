package xmlconfig

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/xmlw"
)

// AppendXML appends rules as the body of a GetBucketCors response: the
// XML declaration, then CORSConfiguration in S3's namespace, without
// indentation. The rules come in the order given, which is the order they
// were sent in: S3 keeps each rule's lists in order [REC], and its rules
// too, presumably, since the first matching rule answers (UNVERIFIED: no
// recording shows several rules come back, spec §1.2). Inside each
// CORSRule the members come in the order of S3's documentation:
// AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader, ID,
// MaxAgeSeconds. ID is left out when "", MaxAgeSeconds when nil.
//
// UNVERIFIED: no raw GetBucketCors body was captured (spec §1.2); every
// SDK reads members in any order, so only byte-exact comparisons could
// tell.
//
// Values are escaped as S3 escapes them (&, < and >; quotes are left as
// they are), and a carriage return as &#xD;, so each reads back byte
// for byte, carriage returns and an empty AllowedOrigin included,
// but for a character XML cannot carry, or a byte that is not UTF-8,
// which becomes U+FFFD: no valid rule holds one (see
// [corsrule.Rule.Problems]).
func AppendXML(b []byte, rules []corsrule.Rule) []byte {
	b = append(b, xmlw.Declaration...)
	b = append(b, `<CORSConfiguration xmlns="`+S3Namespace+`">`...)
	for i := range rules {
		r := &rules[i]
		b = append(b, "<CORSRule>"...)
		b = appendElements(b, "AllowedHeader", r.AllowedHeaders)
		b = appendElements(b, "AllowedMethod", r.AllowedMethods)
		b = appendElements(b, "AllowedOrigin", r.AllowedOrigins)
		b = appendElements(b, "ExposeHeader", r.ExposeHeaders)
		if r.ID != "" {
			b = xmlw.AppendElement(b, "ID", r.ID)
		}
		if r.MaxAgeSeconds != nil {
			b = append(b, "<MaxAgeSeconds>"...)
			b = strconv.AppendInt(b, int64(*r.MaxAgeSeconds), 10)
			b = append(b, "</MaxAgeSeconds>"...)
		}
		b = append(b, "</CORSRule>"...)
	}
	return append(b, "</CORSConfiguration>"...)
}

// appendElements appends one element named name for each value, in S3's
// XML form, the values escaped.
func appendElements(b []byte, name string, values []string) []byte {
	for _, v := range values {
		b = xmlw.AppendElement(b, name, v)
	}
	return b
}

// AppendJSON appends rules in the AWS CLI's form, as
// "aws s3api get-bucket-cors" prints them: {"CORSRules": [...]} indented
// by four spaces, members in the order of S3's API model (ID,
// AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders,
// MaxAgeSeconds), ID left out when "", empty lists and a nil MaxAgeSeconds
// left out, and a final newline. A carriage return is written "\r",
// which the AWS CLI sends as itself and S3 reads as a line feed: the
// form cannot bring S3 a carriage return.
func AppendJSON(b []byte, rules []corsrule.Rule) []byte {
	b = append(b, "{\n    \"CORSRules\": "...)
	b = appendRules(b, rules, 1)
	return append(b, "\n}\n"...)
}

// AppendConsole appends rules in the S3 console's form: the bare array of
// rules, written as [AppendJSON] writes it.
func AppendConsole(b []byte, rules []corsrule.Rule) []byte {
	b = appendRules(b, rules, 0)
	return append(b, '\n')
}

// Encode writes rules to w in form f.
func Encode(w io.Writer, f Format, rules []corsrule.Rule) error {
	var b []byte
	switch f {
	case XML:
		b = AppendXML(nil, rules)
	case JSON:
		b = AppendJSON(nil, rules)
	case Console:
		b = AppendConsole(nil, rules)
	default:
		return fmt.Errorf("xmlconfig: cannot encode in %v", f)
	}
	_, err := w.Write(b)
	return err
}

// appendRules appends rules as a JSON array in the AWS CLI's layout, its
// brackets at indentation depth: "[]" when there are none.
func appendRules(b []byte, rules []corsrule.Rule, depth int) []byte {
	if len(rules) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i := range rules {
		if i > 0 {
			b = append(b, ',')
		}
		b = newline(b, depth+1)
		b = appendRule(b, &rules[i], depth+1)
	}
	b = newline(b, depth)
	return append(b, ']')
}

// appendRule appends one rule as a JSON object in the AWS CLI's member
// order, leaving out what get-bucket-cors leaves out: an empty ID, empty
// lists and a missing MaxAgeSeconds. A rule with none of them is "{}".
func appendRule(b []byte, r *corsrule.Rule, depth int) []byte {
	start := len(b)
	b = append(b, '{')
	member := func(name string) {
		if len(b) > start+1 {
			b = append(b, ',')
		}
		b = newline(b, depth+1)
		b = appendJSONString(b, name)
		b = append(b, ": "...)
	}
	if r.ID != "" {
		member("ID")
		b = appendJSONString(b, r.ID)
	}
	for _, l := range [...]struct {
		name   string
		values []string
	}{
		{"AllowedHeaders", r.AllowedHeaders},
		{"AllowedMethods", r.AllowedMethods},
		{"AllowedOrigins", r.AllowedOrigins},
		{"ExposeHeaders", r.ExposeHeaders},
	} {
		if len(l.values) > 0 {
			member(l.name)
			b = appendStrings(b, l.values, depth+1)
		}
	}
	if r.MaxAgeSeconds != nil {
		member("MaxAgeSeconds")
		b = strconv.AppendInt(b, int64(*r.MaxAgeSeconds), 10)
	}
	if len(b) == start+1 {
		return append(b, '}')
	}
	b = newline(b, depth)
	return append(b, '}')
}

// appendStrings appends values as a JSON array of strings, one a line, as
// the AWS CLI prints a list, even of one element.
func appendStrings(b []byte, values []string, depth int) []byte {
	b = append(b, '[')
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = newline(b, depth+1)
		b = appendJSONString(b, v)
	}
	b = newline(b, depth)
	return append(b, ']')
}

// newline starts a line indented by depth times four spaces, the AWS
// CLI's indentation.
func newline(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, "    "...)
	}
	return b
}

// appendJSONString appends s as a JSON string the way the AWS CLI's Python
// json.dumps(ensure_ascii=False) writes it: only '"', '\\' and control
// characters are escaped, so <, >, & and non-ASCII text stay as they are.
// Bytes that are not UTF-8 become U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		default:
			if c < ' ' {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}
