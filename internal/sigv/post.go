package sigv

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/s3cors/s3cors/s3err"
)

// A browser's form upload, S3's POST Object
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html,
// sigv4-HTTPPOSTConstructPolicy.html): the form carries a policy
// document, base64-encoded JSON with an expiration and conditions on the
// form's fields, and a signature of that base64 text, of Signature
// Version 4 (x-amz-algorithm, x-amz-credential, x-amz-date,
// x-amz-signature) or 2 (AWSAccessKeyId, signature). Field names are
// compared without regard to case; values are compared exactly.

// FormField is one field of a POST form as it was sent.
type FormField struct {
	Name, Value string
}

// FormValue returns the value of the fields named name, compared without
// regard to case, and whether the form has one. The values of several
// are joined by commas, in the form's order, as S3 matches them: "If you
// have multiple fields with the same name, the values must be separated
// by commas" in the policy (HTTPPOSTForms, Conditions).
func FormValue(fields []FormField, name string) (string, bool) {
	value, found := "", false
	for _, f := range fields {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		if found {
			value += ","
		}
		value, found = value+f.Value, true
	}
	return value, found
}

// S3's messages for POST forms, as peers that compare their answers with
// S3's record them (the tests name them); the details of
// InvalidPolicyDocument beyond those are UNVERIFIED.
const (
	msgPolicyPrefix    = "Invalid according to Policy: "
	msgPolicyExpired   = msgPolicyPrefix + "Policy expired."
	msgConditionFailed = msgPolicyPrefix + "Policy Condition failed: "
	msgExtraFields     = msgPolicyPrefix + "Extra input fields: "
	msgMissingField    = "Bucket POST must contain a field named '%s'.  If it is specified, please check the order of the fields."
	msgOneProperty     = "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
)

// invalidPolicy is S3's answer to a POST policy it cannot read.
func invalidPolicy(detail string) error {
	return s3err.New(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: "+detail)
}

// MissingFormField is S3's answer to a POST form without a field it
// needs, or with it after the file, which ends what S3 reads.
func MissingFormField(name string) error {
	return s3err.InvalidArgument(strings.Replace(msgMissingField, "%s", name, 1), name, "")
}

// PostPolicy is the policy document of a POST form, parsed and checked
// for form; it is immutable.
type PostPolicy struct {
	expiration time.Time
	conditions []postCondition
	// The content-length-range, when the policy has one.
	hasRange         bool
	minSize, maxSize int64
}

// postCondition is an eq or starts-with condition on one field.
type postCondition struct {
	op    string // "eq" or "starts-with", lower-case
	field string // as written, "$key" ("key" in the object form)
	value string
	text  string // the condition as S3 quotes it when it fails
}

// expirationFormats are the forms of ISO 8601 S3 takes for expiration:
// UTC, with or without milliseconds.
var expirationFormats = []string{"2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05Z"}

// ParsePostPolicy decodes and parses the policy field of a POST form:
// base64 of a JSON object with "expiration" and "conditions". A policy S3
// would not take is S3's InvalidPolicyDocument.
func ParsePostPolicy(encoded string) (*PostPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, invalidPolicy("Invalid JSON.")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(policyEscapes(raw), &doc); err != nil || doc == nil {
		return nil, invalidPolicy("Invalid JSON.")
	}
	exp, ok := doc["expiration"]
	if !ok {
		return nil, invalidPolicy("Policy missing expiration.")
	}
	var expText string
	if err := json.Unmarshal(exp, &expText); err != nil {
		return nil, invalidPolicy("Invalid 'expiration' value: '" + string(exp) + "'")
	}
	p := &PostPolicy{}
	parsed := false
	for _, f := range expirationFormats {
		if t, err := time.Parse(f, expText); err == nil {
			p.expiration, parsed = t, true
			break
		}
	}
	if !parsed {
		return nil, invalidPolicy("Invalid 'expiration' value: '" + expText + "'")
	}
	conds, ok := doc["conditions"]
	if !ok {
		return nil, invalidPolicy("Policy missing conditions.")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(conds, &list); err != nil || list == nil {
		return nil, invalidPolicy("Invalid 'conditions' value: must be a list.")
	}
	for _, c := range list {
		if err := p.addCondition(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// policyEscapes returns the policy with the two escapes S3's table of
// "Character Escaping" (HTTPPOSTForms, sigv4-HTTPPOSTConstructPolicy) has
// and JSON has not, \$ for a dollar sign and \v for a vertical tab,
// written as JSON writes them; the other escapes of the table are JSON's.
// A backslash outside a string is invalid JSON either way.
func policyEscapes(raw []byte) []byte {
	if !bytes.Contains(raw, []byte(`\$`)) && !bytes.Contains(raw, []byte(`\v`)) {
		return raw
	}
	out := make([]byte, 0, len(raw)+16)
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 == len(raw) {
			out = append(out, raw[i])
			continue
		}
		i++
		switch raw[i] {
		case '$':
			out = append(out, '$')
		case 'v':
			out = append(out, `\u000b`...)
		default: // an escape of JSON's, \\ among them, kept whole
			out = append(out, '\\', raw[i])
		}
	}
	return out
}

// addCondition parses one condition: {"field": "value"}, ["eq" or
// "starts-with", "$field", "value"] or ["content-length-range", min, max].
func (p *PostPolicy) addCondition(raw json.RawMessage) error {
	switch bytes.TrimSpace(raw)[0] {
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return invalidPolicy("Invalid JSON.")
		}
		if len(obj) != 1 {
			return invalidPolicy(msgOneProperty)
		}
		for name, v := range obj {
			var value string
			if err := json.Unmarshal(v, &value); err != nil {
				return invalidPolicy("Invalid Simple-Condition: value must be a string.")
			}
			p.conditions = append(p.conditions, postCondition{op: "eq", field: "$" + name, value: value,
				text: conditionText("eq", "$"+name, value)})
		}
		return nil
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return invalidPolicy("Invalid JSON.")
		}
		var op string
		if len(items) != 3 || json.Unmarshal(items[0], &op) != nil {
			return invalidPolicy("Invalid Condition: a condition list must have three elements, an operation first.")
		}
		switch lower := strings.ToLower(op); lower {
		case "eq", "starts-with":
			var field, value string
			if json.Unmarshal(items[1], &field) != nil || json.Unmarshal(items[2], &value) != nil {
				return invalidPolicy("Invalid Condition: the field and the value of '" + op + "' must be strings.")
			}
			p.conditions = append(p.conditions, postCondition{op: lower, field: field, value: value,
				text: conditionText(op, field, value)})
			return nil
		case "content-length-range":
			lo, okLo := rangeBound(items[1])
			hi, okHi := rangeBound(items[2])
			if !okLo || !okHi {
				return invalidPolicy("Invalid Condition: content-length-range takes two sizes of zero or more.")
			}
			p.hasRange, p.minSize, p.maxSize = true, lo, hi
			return nil
		}
		return invalidPolicy("Invalid Condition: unknown operation '" + op + "'.")
	}
	return invalidPolicy("Invalid Condition: a condition is an object or a list.")
}

// rangeBound parses a size of content-length-range: a number or a string
// of digits, zero or more.
func rangeBound(raw json.RawMessage) (int64, bool) {
	var text string
	if json.Unmarshal(raw, &text) != nil {
		text = string(raw)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	return n, err == nil && n >= 0
}

// conditionText quotes a condition as S3 does in its error:
// ["eq", "$key", "value"].
func conditionText(op, field, value string) string {
	return `["` + op + `", "` + field + `", "` + value + `"]`
}

// Expiration returns the time the policy expires.
func (p *PostPolicy) Expiration() time.Time { return p.expiration }

// SizeRange returns the content-length-range of the policy; ok is false
// when it has none.
func (p *PostPolicy) SizeRange() (minSize, maxSize int64, ok bool) {
	return p.minSize, p.maxSize, p.hasRange
}

// exemptFields are the fields no condition needs to name.
var exemptFields = []string{"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"}

// Check judges a form's fields, those before its file, at now, for an
// upload to bucket: the policy must not have expired, every eq and
// starts-with condition must hold, in the policy's order, and every field
// but the policy, the signature and the x-ignore- fields must be named by
// a condition, as must the bucket. Each failure is S3's AccessDenied
// with its "Invalid according to Policy" message. The file's size is
// checked apart, by CheckSize, once it is known.
//
// Conditions on the bucket compare with bucket; a condition whose field
// does not start with "$" names no field and never holds. starts-with
// on Content-Type holds when every type of a comma-separated list has
// the prefix. A field the form lacks fails eq and holds starts-with ""
// only.
func (p *PostPolicy) Check(now time.Time, bucket string, fields []FormField) error {
	if now.After(p.expiration) {
		return accessDenied(msgPolicyExpired)
	}
	covered := map[string]bool{}
	for _, c := range p.conditions {
		name, named := strings.CutPrefix(c.field, "$")
		if named {
			covered[strings.ToLower(name)] = true
		}
		// The bucket is the one posted to, whatever a bucket field
		// (which createPresignedPost sends) says.
		value, present := bucket, true
		if !strings.EqualFold(name, "bucket") {
			value, present = FormValue(fields, name)
		}
		if !named || !c.holds(name, value, present) {
			return accessDenied(msgConditionFailed + c.text)
		}
	}
	for _, f := range fields {
		lower := strings.ToLower(f.Name)
		if !covered[lower] && !isExempt(lower) {
			// UNVERIFIED: S3 was seen naming one extra field; with more,
			// the first in the form is named.
			return accessDenied(msgExtraFields + lower)
		}
	}
	if !covered["bucket"] {
		return accessDenied(msgExtraFields + "bucket")
	}
	return nil
}

// isExempt reports whether the form field lower (lower-cased) needs no
// condition in the policy: the signature fields, the file, and any
// x-ignore- field.
func isExempt(lower string) bool {
	for _, e := range exemptFields {
		if lower == e {
			return true
		}
	}
	return strings.HasPrefix(lower, "x-ignore-")
}

// holds reports whether the form field name, with value when present,
// meets c. A missing field meets only starts-with "". For Content-Type
// each comma-separated type must start with the value.
func (c postCondition) holds(name, value string, present bool) bool {
	if c.op == "eq" {
		return present && value == c.value
	}
	if !present {
		return c.value == ""
	}
	if strings.EqualFold(name, "Content-Type") {
		for t := range strings.SplitSeq(value, ",") {
			if !strings.HasPrefix(strings.TrimSpace(t), c.value) {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(value, c.value)
}

// CheckSize judges the size of the form's file against the policy's
// content-length-range: S3's EntityTooSmall or EntityTooLarge.
func (p *PostPolicy) CheckSize(size int64) error {
	switch {
	case !p.hasRange:
		return nil
	case size < p.minSize:
		return s3err.EntityTooSmall(size, p.minSize)
	case size > p.maxSize:
		return s3err.EntityTooLarge(size, p.maxSize)
	}
	return nil
}

// The fields that sign a form with each version.
var (
	postFieldsV4 = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature"}
	postFieldsV2 = []string{"AWSAccessKeyId", "Signature"}
)

// FormSigned reports whether a POST form carries a signature of either
// version, whole or in part: such a form is verified ([Verifier.VerifyPost])
// rather than taken as anonymous.
func FormSigned(fields []FormField) bool {
	for _, name := range append(postFieldsV4, postFieldsV2...) {
		if _, ok := FormValue(fields, name); ok {
			return true
		}
	}
	return false
}

// VerifyPost checks the signature of a POST form, those of its fields
// that precede the file: Signature Version 4 (x-amz-algorithm,
// x-amz-credential, x-amz-date, x-amz-signature) or 2 (AWSAccessKeyId,
// signature), each over the policy field as sent. A form that lacks a
// field of the version it uses, or the policy, gets S3's InvalidArgument
// naming it; a form with neither version is AccessDenied; a signature
// for other keys, another region or another policy gets S3's error for
// it. The policy itself is parsed and checked by the caller.
//
// The time of a form's signature is not held to the clock as a request's
// is: the policy's expiration bounds the form's life.
func (v *Verifier) VerifyPost(fields []FormField) (Signature, error) {
	has := func(names []string) (bool, error) {
		some := false
		for _, name := range names {
			if _, ok := FormValue(fields, name); ok {
				some = true
			}
		}
		if !some {
			return false, nil
		}
		for _, name := range names {
			if _, ok := FormValue(fields, name); !ok {
				return true, MissingFormField(name)
			}
		}
		return true, nil
	}
	v4, err := has(postFieldsV4)
	if err != nil {
		return Signature{}, err
	}
	v2, err := has(postFieldsV2)
	if err != nil {
		return Signature{}, err
	}
	if !v4 && !v2 {
		return Signature{}, s3err.AccessDenied()
	}
	policy, ok := FormValue(fields, "policy")
	if !ok {
		return Signature{}, MissingFormField("policy")
	}
	if v4 {
		return v.verifyPostV4(fields, policy)
	}
	if err := v.checkRegionV2(); err != nil {
		return Signature{}, err
	}
	key, _ := FormValue(fields, "AWSAccessKeyId")
	provided, _ := FormValue(fields, "Signature")
	secret, ok := v.secretKey(key)
	if !ok {
		return Signature{}, invalidAccessKey(key)
	}
	if !hmac.Equal([]byte(signV2(secret, policy)), []byte(provided)) {
		return Signature{}, postMismatch(key, policy, provided)
	}
	return Signature{Version: 2, AccessKey: key}, nil
}

// verifyPostV4 checks a form signed with Signature Version 4: its
// X-Amz-* fields, their scope as S3 checks a presigned URL's, and the
// signature of the policy as sent, base64 and all.
func (v *Verifier) verifyPostV4(fields []FormField, policy string) (Signature, error) {
	algorithm, _ := FormValue(fields, "X-Amz-Algorithm")
	credText, _ := FormValue(fields, "X-Amz-Credential")
	date, _ := FormValue(fields, "X-Amz-Date")
	provided, _ := FormValue(fields, "X-Amz-Signature")
	if algorithm != v4Algorithm {
		return Signature{}, queryAuthError(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`)
	}
	cred, ok := parseCredential(credText)
	if !ok {
		return Signature{}, queryAuthError(`Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`)
	}
	t, err := time.Parse(amzDateFormat, date)
	if err != nil {
		return Signature{}, queryAuthError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	if cred.date != t.Format("20060102") {
		// UNVERIFIED: the message for a credential of another day.
		return Signature{}, queryAuthError(`Error parsing the X-Amz-Credential parameter; the credential date "` + cred.date +
			`" is not the same as X-Amz-Date: "` + t.Format("20060102") + `".`)
	}
	// The scope is checked as a presigned URL's, whose errors S3 gives
	// for forms too.
	if err := v.checkScope(&signature{cred: cred, presigned: true}); err != nil {
		return Signature{}, err
	}
	secret, ok := v.secretKey(cred.accessKey)
	if !ok {
		return Signature{}, invalidAccessKey(cred.accessKey)
	}
	want := hex.EncodeToString(hmacSHA256(signingKey(secret, cred), policy))
	if !hmac.Equal([]byte(want), []byte(provided)) {
		return Signature{}, postMismatch(cred.accessKey, policy, provided)
	}
	return Signature{Version: 4, AccessKey: cred.accessKey}, nil
}

// postMismatch is S3's SignatureDoesNotMatch for a form: the string to
// sign is the policy as sent.
func postMismatch(key, policy, provided string) error {
	return signatureMismatch("AWSAccessKeyId", key, "StringToSign", policy,
		"SignatureProvided", provided, "StringToSignBytes", spacedHex(policy))
}
