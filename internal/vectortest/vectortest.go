// Package vectortest reads the conformance vectors in testdata/vectors and
// judges responses against them, for the tests that replay the vectors
// (package bucket through its middleware, package s3server over HTTP).
//
// The matchers follow the s3vectors format: a scalar must be equal; an
// object is a recursive subset; an array must match in length and order;
// {"$absent": true}, {"$exists": b}, {"$matches": re}, {"$contains": s}
// and {"$length": n} test a value's shape.
package vectortest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Counts of the vectors, checked so that a shortened file cannot pass
// unnoticed.
const (
	SuiteCases = 76
	S3Vectors  = 21
)

// PresignedQuery stands for the suite's "<presigned query>": the query of a
// presigned URL, which a preflight must ignore.
const PresignedQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request" +
	"&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef"

// SuiteSkips are the suite cases this project does not follow, by name,
// each with the reason.
var SuiteSkips = map[string]string{
	"scality: OPTIONS nonexistent bucket, Origin but no ACRM -> BadRequest": "contradicts the LocalStack recording of S3 (2023-07-31), " +
		"which the spec follows (§3.1 step 2): 403 AccessForbidden \"CORSResponse: Bucket not found\"",
}

// NegativeMaxAgeStep is the s3vectors step no implementation of the spec
// can pass, with the reason.
const (
	NegativeMaxAgeStep   = "cors-0009#1"
	NegativeMaxAgeReason = "msst-s3 contradicts itself: cors-0015 and cors-0022 store negative MaxAgeSeconds; the spec (§7) accepts them"
)

// SuiteFile is suite-vectors.json.
type SuiteFile struct {
	Cases         []SuiteCase
	PutValidation []ValidationCase `json:"put_validation"`
}

// SuiteCase is one request case of suite-vectors.json.
type SuiteCase struct {
	Name    string
	Context string
	// Config is the bucket's CORS configuration, nil for none, as
	// encoding/json reads it (the member names are Rule's field names).
	Config []corsrule.Rule
	// ConfigJSON is Config as the file holds it, nil for none.
	ConfigJSON   json.RawMessage `json:"-"`
	BucketExists *bool           `json:"bucket_exists"`
	Request      struct {
		Method, Path string
		Headers      map[string]string
	}
	Expect struct {
		Status    int
		ErrorCode string `json:"error_code"`
		// Headers maps a name to its value, or to nil for "absent".
		Headers map[string]*string
	}
}

// UnmarshalJSON reads a case, keeping its configuration as written too.
func (c *SuiteCase) UnmarshalJSON(b []byte) error {
	type plain SuiteCase
	var raw struct{ Config json.RawMessage }
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if string(raw.Config) != "null" {
		c.ConfigJSON = raw.Config
	}
	return nil
}

// NoBucket reports whether the case addresses a bucket that does not
// exist.
func (c *SuiteCase) NoBucket() bool { return c.BucketExists != nil && !*c.BucketExists }

// Path returns the case's request path, path-style in bucket, with the
// placeholder of a presigned query filled in; service reports whether it
// addresses the service endpoint (ListBuckets) instead.
func (c *SuiteCase) Path(bucket string) (path string, service bool) {
	path = strings.Replace(c.Request.Path, "<presigned query>", PresignedQuery, 1)
	if p, ok := strings.CutPrefix(path, "(service endpoint) "); ok {
		return p, true
	}
	return "/" + bucket + path, false
}

// Check compares a response with every field the case states: the
// status, the error code, and each header's value or absence.
func (c *SuiteCase) Check(status int, header http.Header, body []byte) []error {
	var errs []error
	if c.Expect.Status != 0 && status != c.Expect.Status {
		errs = append(errs, fmt.Errorf("status %d, want %d; body %s", status, c.Expect.Status, body))
	}
	if code, _ := ErrorOf(body); c.Expect.ErrorCode != "" && code != c.Expect.ErrorCode {
		errs = append(errs, fmt.Errorf("error code %q, want %q; body %s", code, c.Expect.ErrorCode, body))
	}
	return append(errs, c.checkHeaders(header)...)
}

// CheckSkipped judges the answer to a case of SuiteSkips: the spec's
// answer (§3.1 step 2) in place of the case's status and error code,
// which it contradicts, and every header the case states, which it does
// not.
func (c *SuiteCase) CheckSkipped(status int, header http.Header, body []byte) []error {
	var errs []error
	code, msg := ErrorOf(body)
	if status != http.StatusForbidden || code != "AccessForbidden" || msg != "CORSResponse: Bucket not found" ||
		!strings.Contains(string(body), "<Method>OPTIONS</Method><ResourceType>BUCKET</ResourceType>") {
		errs = append(errs, fmt.Errorf("%d %s, want the spec's 403 AccessForbidden", status, body))
	}
	return append(errs, c.checkHeaders(header)...)
}

// checkHeaders compares each header the case states, its value or its
// absence, with header.
func (c *SuiteCase) checkHeaders(header http.Header) []error {
	var errs []error
	for name, want := range c.Expect.Headers {
		got, present := header[http.CanonicalHeaderKey(name)]
		switch {
		case want == nil && present:
			errs = append(errs, fmt.Errorf("%s: %q, want it absent", name, got))
		case want != nil && (!present || strings.Join(got, ", ") != *want):
			errs = append(errs, fmt.Errorf("%s: %q, want %q", name, got, *want))
		}
	}
	return errs
}

// ValidationCase is one put_validation case of suite-vectors.json.
type ValidationCase struct {
	Name   string
	Config json.RawMessage // an XML string, an AWS CLI JSON object, or a description
	Expect struct {
		Status          int
		Code            string
		MessageContains string `json:"message_contains"`
		ProbableMessage string `json:"probable_message"`
	}
}

// ValidationCases is the number of put_validation cases.
const ValidationCases = 8

// Body returns the PutBucketCors body the case stands for: its XML as it
// is, its AWS CLI JSON as the CLI would send it, or 101 valid rules.
func (c *ValidationCase) Body() ([]byte, error) {
	var text string
	if json.Unmarshal(c.Config, &text) == nil {
		switch {
		case strings.HasPrefix(text, "<"):
			return []byte(text), nil
		case text == "101 copies of a valid rule":
			rule := corsrule.Rule{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET"}}
			return xmlconfig.AppendXML(nil, slices.Repeat([]corsrule.Rule{rule}, 101)), nil
		}
		return nil, fmt.Errorf("unknown put_validation config %q", text)
	}
	doc, err := xmlconfig.Unmarshal(c.Config)
	if err != nil {
		return nil, err
	}
	return xmlconfig.AppendXML(nil, doc.Rules), nil
}

// S3VectorsFile is s3vectors-cors.json.
type S3VectorsFile struct {
	Vectors []S3Vector
}

// S3Vector is one vector: its steps, each a one-key object
// ({"$operation": ...} or {"$http": ...}).
type S3Vector struct {
	ID    string
	Title string
	Steps []map[string]json.RawMessage
}

// StepID names step i (0-based) of vector id as the skip lists do:
// "cors-0009#1" is the first step of cors-0009.
func StepID(id string, i int) string { return id + "#" + strconv.Itoa(i+1) }

// HTTPStep is a {"$http": ...} step.
type HTTPStep struct {
	Method, Path string
	Headers      map[string]string
	Sign         *bool
	Expect       *Expect
}

// OperationStep is an {"$operation": ...} step; Params keep S3's member
// names, which are those of aws-sdk-go-v2's input types.
type OperationStep struct {
	Name   string
	Params json.RawMessage
	Expect *Expect
}

// Expect is a step's expect block.
type Expect struct {
	Status   int
	Error    json.RawMessage // "Code" or {"code": ..., "message": ...}
	Headers  map[string]any
	Response any
}

// CORSRules returns the rules of a PutBucketCors step's
// CORSConfiguration, as the file holds them, or nil for another step.
func (op *OperationStep) CORSRules() (json.RawMessage, error) {
	if op.Name != "PutBucketCors" {
		return nil, nil
	}
	var params struct {
		CORSConfiguration struct{ CORSRules json.RawMessage }
	}
	if err := json.Unmarshal(op.Params, &params); err != nil {
		return nil, err
	}
	return params.CORSConfiguration.CORSRules, nil
}

// Config is one CORS configuration of the vector files, for the tests
// that decode, convert or validate configurations rather than replay
// requests.
type Config struct {
	// Name is "suite/" and the case's name, or "s3vectors/" and the
	// step's StepID.
	Name string
	// JSON is the configuration in the AWS CLI form, {"CORSRules": [...]},
	// the rules as the file holds them.
	JSON []byte
	// Rules are the rules as encoding/json reads them: a decoder to
	// compare others with, independent of package xmlconfig.
	Rules []corsrule.Rule
	// Refused reports whether the vector expects S3 to refuse the
	// configuration itself (InvalidRequest, MalformedXML or a bare 400).
	Refused bool
}

// ConfigCount is the number of configurations in the vector files: those
// of the suite's cases and of the PutBucketCors steps.
const ConfigCount = 116

// Configs returns every configuration of the vector files: the suite
// cases' (with a configuration) and the PutBucketCors steps'.
func Configs() ([]Config, error) {
	var configs []Config
	add := func(name string, raw json.RawMessage, refused bool) error {
		var rules []corsrule.Rule
		if err := json.Unmarshal(raw, &rules); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		configs = append(configs, Config{name, []byte(`{"CORSRules": ` + string(raw) + `}`), rules, refused})
		return nil
	}
	var suite SuiteFile
	if err := Load("suite-vectors.json", &suite); err != nil {
		return nil, err
	}
	for _, c := range suite.Cases {
		if c.ConfigJSON != nil {
			if err := add("suite/"+c.Name, c.ConfigJSON, false); err != nil {
				return nil, err
			}
		}
	}
	var s3v S3VectorsFile
	if err := Load("s3vectors-cors.json", &s3v); err != nil {
		return nil, err
	}
	for _, v := range s3v.Vectors {
		for i, step := range v.Steps {
			raw, ok := step["$operation"]
			if !ok {
				continue
			}
			var op OperationStep
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, err
			}
			rules, err := op.CORSRules()
			if err != nil || rules == nil {
				if err != nil {
					return nil, fmt.Errorf("%s: %w", StepID(v.ID, i), err)
				}
				continue
			}
			if err := add("s3vectors/"+StepID(v.ID, i), rules, op.Expect.refusesConfiguration()); err != nil {
				return nil, err
			}
		}
	}
	if len(configs) != ConfigCount {
		return nil, fmt.Errorf("vectortest: %d configurations in the vector files, want %d", len(configs), ConfigCount)
	}
	return configs, nil
}

// refusesConfiguration reports whether a PutBucketCors step expects S3 to
// refuse the configuration: status 400, or the code InvalidRequest or
// MalformedXML.
func (e *Expect) refusesConfiguration() bool {
	if e == nil {
		return false
	}
	var code string
	json.Unmarshal(e.Error, &code)
	return e.Status == 400 || code == "InvalidRequest" || code == "MalformedXML"
}

// Outcome is what a step got: the parts of a response a vector can state.
type Outcome struct {
	Status        int
	Code, Message string      // the S3 error, if any
	Header        http.Header // nil when the step has no raw response
	Output        any         // the parsed SDK output, for $operation steps
}

// Load decodes the vector file name (in testdata/vectors at the module
// root) into v.
func Load(name string, v any) error {
	return testroot.ReadJSON(v, "testdata", "vectors", name)
}

// ErrorDocument is an S3 error document as the spec gives it (§2,
// §3.1), written out for tests to compare bodies with: the declaration,
// then Code, Message, the extra elements details names and values in
// pairs, in order, RequestId and HostId.
func ErrorDocument(code, message, requestID, hostID string, details ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>" + code + "</Code><Message>" + message + "</Message>")
	for i := 0; i+1 < len(details); i += 2 {
		b.WriteString("<" + details[i] + ">" + details[i+1] + "</" + details[i] + ">")
	}
	b.WriteString("<RequestId>" + requestID + "</RequestId><HostId>" + hostID + "</HostId></Error>")
	return b.String()
}

// ErrorOf returns the Code and Message of an S3 error document, or "".
func ErrorOf(body []byte) (code, message string) {
	var e struct{ Code, Message string }
	if xml.Unmarshal(body, &e) != nil {
		return "", ""
	}
	return e.Code, e.Message
}

// Check compares an outcome with a step's expect block: every field it
// states. No expect block means the step must succeed (2xx).
func Check(exp *Expect, got Outcome) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if exp == nil {
		if got.Status >= 300 {
			fail("status %d %s, want success", got.Status, got.Code)
		}
		return errs
	}
	if exp.Status != 0 && got.Status != exp.Status {
		fail("status %d (%s), want %d", got.Status, got.Code, exp.Status)
	}
	if len(exp.Error) > 0 {
		var want struct{ Code, Message string }
		if json.Unmarshal(exp.Error, &want.Code) != nil {
			if err := json.Unmarshal(exp.Error, &want); err != nil {
				fail("bad expect.error: %v", err)
			}
		}
		if got.Code != want.Code || want.Message != "" && got.Message != want.Message {
			fail("error %s %q, want %s %q", got.Code, got.Message, want.Code, want.Message)
		}
	} else if exp.Status == 0 && got.Status >= 300 {
		fail("status %d %s, want success", got.Status, got.Code)
	}
	for name, matcher := range exp.Headers {
		values, present := got.Header[http.CanonicalHeaderKey(name)]
		if err := MatchHeader(matcher, strings.Join(values, ", "), present); err != nil {
			fail("header %s: %v", name, err)
		}
	}
	if exp.Response != nil {
		var actual any
		b, err := json.Marshal(got.Output)
		if err == nil {
			err = json.Unmarshal(b, &actual)
		}
		if err == nil {
			err = MatchSubset(exp.Response, actual)
		}
		if err != nil {
			fail("response: %v", err)
		}
	}
	return errs
}

// MatchHeader applies a matcher to a header value.
func MatchHeader(matcher any, value string, present bool) error {
	m, ok := matcher.(map[string]any)
	if !ok {
		if !present || value != fmt.Sprint(matcher) {
			return fmt.Errorf("%q (present %v), want %q", value, present, matcher)
		}
		return nil
	}
	for op, arg := range m {
		switch op {
		case "$absent":
			if b, _ := arg.(bool); present == b {
				return fmt.Errorf("present=%v %q, want $absent=%v", present, value, arg)
			}
		case "$exists":
			if b, _ := arg.(bool); present != b {
				return fmt.Errorf("present=%v, want $exists=%v", present, arg)
			}
		case "$matches":
			s, _ := arg.(string)
			re, err := regexp.Compile(s)
			if err != nil {
				return err
			}
			if !present || !re.MatchString(value) {
				return fmt.Errorf("%q does not match %s", value, arg)
			}
		case "$contains":
			if s, _ := arg.(string); !present || !strings.Contains(value, s) {
				return fmt.Errorf("%q does not contain %q", value, arg)
			}
		default:
			return fmt.Errorf("matcher %s is not supported", op)
		}
	}
	return nil
}

// MatchSubset checks that actual, a value decoded from JSON, holds want:
// objects recursively as subsets, arrays element by element in order and
// length, {"$length": n} on arrays.
func MatchSubset(want, actual any) error {
	switch w := want.(type) {
	case map[string]any:
		if n, ok := w["$length"]; ok {
			a, _ := actual.([]any)
			if f, _ := n.(float64); float64(len(a)) != f {
				return fmt.Errorf("length %d, want %v", len(a), n)
			}
			return nil
		}
		a, ok := actual.(map[string]any)
		if !ok {
			return fmt.Errorf("%v is not an object", actual)
		}
		for k, v := range w {
			if err := MatchSubset(v, a[k]); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	case []any:
		a, ok := actual.([]any)
		if !ok || len(a) != len(w) {
			return fmt.Errorf("%v, want %d elements %v", actual, len(w), w)
		}
		for i := range w {
			if err := MatchSubset(w[i], a[i]); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	default:
		if !reflect.DeepEqual(want, actual) {
			return fmt.Errorf("%v, want %v", actual, want)
		}
	}
	return nil
}
