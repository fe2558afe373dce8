package iac

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"golang.org/x/text/unicode/norm"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Rules returns a copy of the rules of the bucket named resource (see
// [Result.Bucket]), for conversion to S3's forms with package xmlconfig's
// encoders. It fails when the bucket has values that could not be judged,
// or errors its tool would refuse: the rules would not be those S3
// receives.
func (r *Result) Rules(resource string) ([]corsrule.Rule, error) {
	b, err := r.Bucket(resource)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, u := range b.Unjudged {
		errs = append(errs, fmt.Errorf("%s: %s is not known: %s", u.Pos, u.Expr, u.Why))
	}
	for _, e := range b.Errors {
		errs = append(errs, fmt.Errorf("%s: %s", e.Pos, e.Message))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("the rules of %s are not all known: %w", b.Resource, errors.Join(errs...))
	}
	rules := make([]corsrule.Rule, len(b.Rules))
	for i, rule := range b.Rules {
		rules[i] = rule.Clone()
	}
	return rules, nil
}

// AppendCloudFormationYAML appends a template that declares an
// AWS::S3::Bucket named logicalID with rules as its CorsConfiguration,
// with CloudFormation's member names (Id, ExposedHeaders, MaxAge). Strings
// are double-quoted, so no value is read as a number, a boolean or a tag.
func AppendCloudFormationYAML(b []byte, logicalID string, rules []corsrule.Rule) []byte {
	b = append(b, "Resources:\n  "...)
	b = append(b, yamlKey(logicalID)...)
	b = append(b, ":\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n"...)
	for _, r := range rules {
		first := true
		member := func(name string) {
			if first {
				b = append(b, "          - "...)
				first = false
			} else {
				b = append(b, "            "...)
			}
			b = append(b, name...)
			b = append(b, ':')
		}
		list := func(name string, values []string) {
			if len(values) == 0 {
				return
			}
			member(name)
			b = append(b, '\n')
			for _, v := range values {
				b = append(b, "              - "...)
				b = append(b, strconv.Quote(v)...)
				b = append(b, '\n')
			}
		}
		if r.ID != "" {
			member("Id")
			b = append(b, ' ')
			b = append(b, strconv.Quote(r.ID)...)
			b = append(b, '\n')
		}
		list("AllowedHeaders", r.AllowedHeaders)
		list("AllowedMethods", r.AllowedMethods)
		list("AllowedOrigins", r.AllowedOrigins)
		list("ExposedHeaders", r.ExposeHeaders)
		if r.MaxAgeSeconds != nil {
			member("MaxAge")
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(*r.MaxAgeSeconds), 10)
			b = append(b, '\n')
		}
		if first { // a rule with nothing S3 would accept: keep its place
			b = append(b, "          - {}\n"...)
		}
	}
	return b
}

// yamlKey returns a logical ID as a YAML key: as it is when it is
// alphanumeric, as CloudFormation requires, quoted otherwise.
func yamlKey(s string) string {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// cfnRule is a rule with CloudFormation's member names, in the order of
// CloudFormation's documentation.
type cfnRule struct {
	AllowedHeaders []string `json:",omitempty"`
	AllowedMethods []string `json:",omitempty"`
	AllowedOrigins []string `json:",omitempty"`
	ExposedHeaders []string `json:",omitempty"`
	ID             string   `json:"Id,omitempty"`
	MaxAge         *int32   `json:",omitempty"`
}

// AppendCloudFormationJSON appends the same template as
// [AppendCloudFormationYAML], in JSON, indented by two spaces.
func AppendCloudFormationJSON(b []byte, logicalID string, rules []corsrule.Rule) []byte {
	cfn := make([]cfnRule, len(rules))
	for i, r := range rules {
		cfn[i] = cfnRule{r.AllowedHeaders, r.AllowedMethods, r.AllowedOrigins, r.ExposeHeaders, r.ID, r.MaxAgeSeconds}
	}
	type bucket struct {
		Type       string
		Properties struct {
			CorsConfiguration struct{ CorsRules []cfnRule }
		}
	}
	bk := bucket{Type: "AWS::S3::Bucket"}
	bk.Properties.CorsConfiguration.CorsRules = cfn
	var out strings.Builder
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(map[string]any{"Resources": map[string]bucket{logicalID: bk}})
	// encoding/json leaves DEL and the C1 controls as they are, which
	// JSON allows but YAML does not (YAML 1.2 §5.1), but NEL, a line
	// break in YAML 1.1 (§5.4) that a double-quoted string folds into a
	// space: CloudFormation and cfn-lint read a template with a YAML
	// parser, and cfn-lint refuses one that holds the former and reads
	// "a\u0085b" as "a b". They can only be in strings: escape them.
	for _, c := range out.String() {
		if 0x7f <= c && c <= 0x9f {
			b = fmt.Appendf(b, `\u%04x`, c)
		} else {
			b = utf8.AppendRune(b, c)
		}
	}
	return b
}

// AppendTerraform appends an aws_s3_bucket_cors_configuration resource
// named name, for the bucket expression bucket in HCL's native syntax
// (such as "aws_s3_bucket.uploads.id", or one read from a file), with one
// cors_rule block per rule, laid out as terraform fmt lays it out. See
// [TerraformCaveats] for what the AWS provider changes on the way to S3.
func AppendTerraform(b []byte, name, bucket string, rules []corsrule.Rule) []byte {
	start := len(b)
	b = appendTerraform(b, name, bucket, rules)
	// The blocks are written in terraform fmt's layout already; bucket, as
	// a file had it, may not be ("a==b", or over several lines).
	return append(b[:start], hclwrite.Format(b[start:])...)
}

// appendTerraform writes the resource in terraform fmt's layout (each
// cors_rule's "=" aligned), id first and the other arguments in
// alphabetical order, empty lists and a missing max_age_seconds left
// out; AppendTerraform formats it again only for the bucket expression.
func appendTerraform(b []byte, name, bucket string, rules []corsrule.Rule) []byte {
	b = append(b, `resource "aws_s3_bucket_cors_configuration" `...)
	b = appendHCLString(b, name)
	b = append(b, " {\n  bucket = "...)
	b = append(b, bucket...)
	b = append(b, '\n')
	for _, r := range rules {
		type attr struct {
			name  string
			value []byte
		}
		var attrs []attr
		list := func(name string, values []string) {
			if len(values) == 0 {
				return
			}
			v := []byte{'['}
			for i, s := range values {
				if i > 0 {
					v = append(v, ", "...)
				}
				v = appendHCLString(v, s)
			}
			attrs = append(attrs, attr{name, append(v, ']')})
		}
		if r.ID != "" {
			attrs = append(attrs, attr{"id", appendHCLString(nil, r.ID)})
		}
		list("allowed_headers", r.AllowedHeaders)
		list("allowed_methods", r.AllowedMethods)
		list("allowed_origins", r.AllowedOrigins)
		list("expose_headers", r.ExposeHeaders)
		if r.MaxAgeSeconds != nil {
			attrs = append(attrs, attr{"max_age_seconds", strconv.AppendInt(nil, int64(*r.MaxAgeSeconds), 10)})
		}
		width := 0
		for _, a := range attrs {
			width = max(width, len(a.name))
		}
		b = append(b, "\n  cors_rule {\n"...)
		for _, a := range attrs {
			b = append(b, "    "...)
			b = append(b, a.name...)
			b = append(b, strings.Repeat(" ", width-len(a.name))...)
			b = append(b, " = "...)
			b = append(b, a.value...)
			b = append(b, '\n')
		}
		b = append(b, "  }\n"...)
	}
	return append(b, "}\n"...)
}

// appendHCLString appends s as an HCL quoted string: escapes for quotes,
// backslashes and control characters, and $${ and %%{ so that no
// interpolation or directive starts.
func appendHCLString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b = append(b, `\"`...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b = append(b, byte(r), byte(r))
		case r < ' ' || r == 0x7f || r == utf8.RuneError && size == 1:
			b = fmt.Appendf(b, `\u%04X`, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// CloudFormationCaveats says what CloudFormation would refuse in a
// template written with [AppendCloudFormationYAML] or
// [AppendCloudFormationJSON]: its resource schema for AWS::S3::Bucket
// wants CorsRules and each rule's lists without an item twice, and MaxAge
// 0 or more; it fails the deployment before S3 sees the rules.
func CloudFormationCaveats(rules []corsrule.Rule) []string {
	var out []string
	seenRule := map[string]int{}
	for i, r := range rules {
		n := "rule " + strconv.Itoa(i+1) + ": "
		// AppendCloudFormation writes the members that have a value.
		key := listKey(r, func(f Field) bool {
			switch f {
			case FieldID:
				return r.ID != ""
			case FieldMaxAgeSeconds:
				return r.MaxAgeSeconds != nil
			}
			return len(ruleList(&r, f)) > 0
		})
		if k, ok := seenRule[key]; ok {
			out = append(out, n+"the same as rule "+strconv.Itoa(k)+", which CloudFormation refuses in CorsRules")
		} else {
			seenRule[key] = i + 1
		}
		for _, l := range []struct {
			name   string
			values []string
		}{{"AllowedHeaders", r.AllowedHeaders}, {"AllowedMethods", r.AllowedMethods}, {"AllowedOrigins", r.AllowedOrigins}, {"ExposedHeaders", r.ExposeHeaders}} {
			for _, d := range repeats(l.values, func(v string) string { return v }) {
				if d.count == 1 {
					continue
				}
				out = append(out, n+l.name+" lists "+strconv.Quote(d.value)+" "+d.times()+", which CloudFormation refuses")
			}
		}
		if r.MaxAgeSeconds != nil && *r.MaxAgeSeconds < 0 {
			out = append(out, n+"MaxAge "+strconv.Itoa(int(*r.MaxAgeSeconds))+" is below 0, which CloudFormation refuses")
		}
	}
	return out
}

// TerraformCaveats says what the AWS provider would send S3 differently
// from rules, so that a configuration written with [AppendTerraform] is not
// silently another one: aws_s3_bucket_cors_configuration holds the rules
// and their lists as sets (the provider sends them in an order of its
// own, drops empty strings, and keeps one of values listed twice, and of
// rules that are the same), and sends MaxAgeSeconds 0 for a rule without
// one; what it refuses: an id longer than 255 bytes; and what S3 then
// refuses: a rule whose every origin is "", sent with none, and a body
// over S3's 64 KB that the MaxAgeSeconds it adds make. Terraform itself
// reads every string in Unicode NFC, escapes included, so a value that is
// not is sent as another one.
func TerraformCaveats(rules []corsrule.Rule) []string {
	var out []string
	if len(rules) > 1 {
		out = append(out, "cors_rule is a set: the provider sends the rules in an order of its own, and S3 answers with the first rule that matches")
	}
	if slices.ContainsFunc(rules, ShowsListOrder) {
		out = append(out, "a rule's lists are sets too: the provider sends its methods and ExposeHeaders in an order of its own, which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers then follow")
	}
	seenRule := map[string]int{}
	for i, r := range rules {
		n := "rule " + strconv.Itoa(i+1) + ": "
		key := terraformSetKey(r)
		if k, ok := seenRule[key]; ok {
			out = append(out, n+"the same as rule "+strconv.Itoa(k)+" in the set of cors_rule, so the provider sends it once")
		} else {
			seenRule[key] = i + 1
		}
		// The provider validates id with validation.StringLenBetween(0,
		// 255), which counts bytes where S3 counts characters.
		if len(r.ID) > 255 {
			out = append(out, n+"id is "+strconv.Itoa(len(r.ID))+" bytes long, and the provider refuses one longer than 255 bytes")
		}
		if nfc := norm.NFC.String(r.ID); nfc != r.ID {
			out = append(out, n+"id "+strconv.QuoteToASCII(r.ID)+" is read by Terraform as "+strconv.QuoteToASCII(nfc)+" (Unicode NFC)")
		}
		out = append(out, terraformListCaveats(n, "allowed_headers", r.AllowedHeaders)...)
		out = append(out, terraformListCaveats(n, "allowed_methods", r.AllowedMethods)...)
		out = append(out, terraformListCaveats(n, "allowed_origins", r.AllowedOrigins)...)
		if !slices.ContainsFunc(r.AllowedOrigins, func(o string) bool { return o != "" }) {
			// validate reads the written file so too: 400 MalformedXML,
			// "a CORSRule has no AllowedOrigin".
			out = append(out, n+`allowed_origins holds only "", so the provider sends the rule without AllowedOrigin, and S3 refuses it (400 MalformedXML)`)
		}
		out = append(out, terraformListCaveats(n, "expose_headers", r.ExposeHeaders)...)
		if r.MaxAgeSeconds == nil {
			out = append(out, n+"no MaxAgeSeconds: the provider sends MaxAgeSeconds 0")
		}
	}
	if e := terraformSentSize(rules); e != nil {
		out = append(out, "S3 refuses the configuration the provider sends ("+e.Reason+"): "+strconv.Itoa(e.StatusCode)+" "+e.Code)
	}
	return out
}

// terraformSentSize applies S3's size limit to the configuration the
// provider sends for rules, as validate reads the resource written: with
// a MaxAgeSeconds of 0 for each rule without one, and the values the sets
// drop left out. Rules that fit in S3's XML may not then: 100 rules gain
// 3,200 bytes of <MaxAgeSeconds>0</MaxAgeSeconds>.
func terraformSentSize(rules []corsrule.Rule) *s3err.Error {
	const name = "aws_s3_bucket_cors_configuration.sent"
	r, err := Parse("main.tf", appendTerraform(nil, "sent", `"sent"`, rules), Options{})
	if err != nil {
		// Not met: the resource appendTerraform writes always reads
		// (TestTerraformCaveatsSentSize); no note is better than a wrong one.
		return nil
	}
	b, err := r.Bucket(name)
	if err != nil {
		return nil
	}
	return xmlconfig.CheckSentSize(b.Rules)
}

// terraformListCaveats says what Terraform and the provider do to the
// values of the list name in the rule that n names: a value Terraform
// reads in NFC, an empty string the provider drops, a value the set
// holds once.
func terraformListCaveats(n, name string, values []string) []string {
	// The values not in NFC that Terraform reads as each value, each
	// said once, however often it is listed.
	readAs := map[string][]string{}
	for _, d := range repeats(values, func(v string) string { return v }) {
		if nfc := norm.NFC.String(d.value); nfc != d.value {
			readAs[nfc] = append(readAs[nfc], d.value)
		}
	}
	var out []string
	for _, d := range repeats(values, norm.NFC.String) {
		for _, v := range readAs[d.value] {
			out = append(out, n+name+" holds "+strconv.QuoteToASCII(v)+", which Terraform reads as "+strconv.QuoteToASCII(d.value)+" (Unicode NFC)")
		}
		switch {
		case d.value == "":
			out = append(out, n+name+` holds "", which the provider drops`)
		case d.count > 1:
			out = append(out, n+name+" lists "+strconv.Quote(d.value)+" "+d.times()+"; the set keeps one")
		}
	}
	return out
}

// repeated is a value of a list, as a key func spells it, and how many
// times the list holds it.
type repeated struct {
	value string
	count int
}

// times says how many times the list holds the value: "twice", "3 times".
func (r repeated) times() string {
	if r.count == 2 {
		return "twice"
	}
	return strconv.Itoa(r.count) + " times"
}

// repeats returns the distinct values of list as key spells them, in the
// order they first stand, each with how many times the list holds it, so
// that a caveat on a value listed many times is said once.
func repeats(list []string, key func(string) string) []repeated {
	var out []repeated
	at := make(map[string]int, len(list))
	for _, v := range list {
		k := key(v)
		if i, ok := at[k]; ok {
			out[i].count++
			continue
		}
		at[k] = len(out)
		out = append(out, repeated{k, 1})
	}
	return out
}

// terraformSetKey spells a rule so that two rules the provider's set of
// cors_rule holds once spell alike: Terraform reads strings in NFC, each
// list is a set, and an unset max_age_seconds is 0 (terraform plan,
// v1.11.4 and AWS provider 5.100.0, plans one rule for two that differ
// only so). An empty string is kept: the set holds it, the provider
// drops it only when it sends the rule.
func terraformSetKey(r corsrule.Rule) string {
	var age int32
	if r.MaxAgeSeconds != nil {
		age = *r.MaxAgeSeconds
	}
	var b strings.Builder
	b.WriteString(strconv.Quote(norm.NFC.String(r.ID)) + " " + strconv.Itoa(int(age)))
	for _, list := range [][]string{r.AllowedOrigins, r.AllowedMethods, r.AllowedHeaders, r.ExposeHeaders} {
		set := make([]string, len(list))
		for i, s := range list {
			set[i] = norm.NFC.String(s)
		}
		slices.Sort(set)
		b.WriteString(" [")
		for _, s := range slices.Compact(set) {
			b.WriteString(strconv.Quote(s))
		}
		b.WriteString("]")
	}
	return b.String()
}

// ShowsListOrder reports whether S3's answers to r show the order of one
// of its lists, which the AWS provider sends as sets, in an order of its
// own: it lists several methods, or several ExposeHeaders, that differ
// (Access-Control-Allow-Methods and Access-Control-Expose-Headers name
// them in the order S3 holds them).
func ShowsListOrder(r corsrule.Rule) bool {
	return differ(r.AllowedMethods) || differ(r.ExposeHeaders)
}

// differ reports whether list holds two values that differ.
func differ(list []string) bool {
	return slices.ContainsFunc(list, func(v string) bool { return v != list[0] })
}
