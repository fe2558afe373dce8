package sigv_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// The examples of AWS's documentation for browser uploads: "Example:
// Browser-based upload using HTTP POST (using AWS Signature Version 4)"
// (sigv4-post-example.html) and the Signature Version 2 example of the
// developer guide (HTTPPOSTExamples.html). Policies and fields are AWS's,
// verbatim; so is the signature of version 4, made with the
// documentation's keys. The guide's signature of version 2,
// 0RavWzkygo6QX9caELEqKi9kDbU=, was not made with the documented secret
// key (the HMAC-SHA1 of its policy under that key differs), so the test
// signs that policy itself, with signPostV2.
const (
	awsPostPolicyV4 = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
	awsPostPolicyV2 = "eyAiZXhwaXJhdGlvbiI6ICIyMDA3LTEyLTAxVDEyOjAwOjAwLjAwMFoiLAogICJjb25kaXRpb25zIjogWwogICAgeyJidWNrZXQiOiAiam9obnNtaXRoIn0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci9lcmljLyJdLAogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwKICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL2pvaG5zbWl0aC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwKICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwKICAgIHsieC1hbXotbWV0YS11dWlkIjogIjE0MzY1MTIzNjUxMjc0In0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiR4LWFtei1tZXRhLXRhZyIsICIiXQogIF0KfQo="
)

var (
	awsPostFieldsV4 = []sigv.FormField{
		{"key", "user/user1/photo.jpg"}, {"acl", "public-read"},
		{"success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
		{"Content-Type", "image/jpeg"}, {"x-amz-meta-uuid", "14365123651274"}, {"x-amz-server-side-encryption", "AES256"},
		{"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"}, {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
		{"X-Amz-Date", "20151229T000000Z"}, {"x-amz-meta-tag", ""}, {"Policy", awsPostPolicyV4},
		{"X-Amz-Signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"},
	}
	awsPostFieldsV2 = []sigv.FormField{
		{"key", "user/eric/MyPicture.jpg"}, {"acl", "public-read"},
		{"success_action_redirect", "http://johnsmith.s3.amazonaws.com/successful_upload.html"},
		{"Content-Type", "image/jpeg"}, {"x-amz-meta-uuid", "14365123651274"}, {"x-amz-meta-tag", "Some,Tag,For,Picture"},
		{"AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"}, {"Policy", awsPostPolicyV2},
		{"Signature", signPostV2(awsPostPolicyV2)},
	}
)

// TestAWSPostExamples verifies AWS's two documented forms and judges
// their fields against their policies, before and after expiry.
func TestAWSPostExamples(t *testing.T) {
	t.Parallel()
	for _, ex := range []struct {
		name    string
		fields  []sigv.FormField
		policy  string
		bucket  string
		version int
		expiry  time.Time
	}{
		{"Signature Version 4", awsPostFieldsV4, awsPostPolicyV4, "sigv4examplebucket", 4, time.Date(2015, 12, 30, 12, 0, 0, 0, time.UTC)},
		{"Signature Version 2", awsPostFieldsV2, awsPostPolicyV2, "johnsmith", 2, time.Date(2007, 12, 1, 12, 0, 0, 0, time.UTC)},
	} {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			v := awsVerifier(t, awsExampleTime) // a form's time is not held to the clock
			sig, err := v.VerifyPost(ex.fields)
			if err != nil || sig.Version != ex.version || sig.AccessKey != sigvtest.DocAccessKey {
				t.Fatalf("VerifyPost = %+v, %v", sig, err)
			}
			p, err := sigv.ParsePostPolicy(ex.policy)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Expiration().Equal(ex.expiry) {
				t.Errorf("Expiration = %v, want %v", p.Expiration(), ex.expiry)
			}
			if err := p.Check(ex.expiry, ex.bucket, ex.fields); err != nil {
				t.Errorf("Check at the expiry: %v", err)
			}
			if err := p.Check(ex.expiry.Add(time.Second), ex.bucket, ex.fields); !isError(err, 403, "AccessDenied", "Invalid according to Policy: Policy expired.") {
				t.Errorf("Check after the expiry: %v", err)
			}
			if err := p.Check(ex.expiry, "otherbucket", ex.fields); !isError(err, 403, "AccessDenied",
				`Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "`+ex.bucket+`"]`) {
				t.Errorf("Check for another bucket: %v", err)
			}
			// Any field changed breaks the signature only if it is the
			// policy or the signature.
			bad := append([]sigv.FormField(nil), ex.fields...)
			for i := range bad {
				if strings.EqualFold(bad[i].Name, "policy") {
					bad[i].Value = strings.Replace(bad[i].Value, "eyAi", "eyBi", 1)
				}
			}
			_, err = v.VerifyPost(bad)
			e, ok := errors.AsType[*s3err.Error](err)
			if !ok || e.Code != "SignatureDoesNotMatch" {
				t.Fatalf("another policy: %v", err)
			}
			if sts, _ := e.Detail("StringToSign"); !strings.HasPrefix(sts, "eyBi") {
				t.Errorf("StringToSign = %q, want the policy as sent", sts)
			}
		})
	}
}

func isError(err error, status int, code, message string) bool {
	e, ok := errors.AsType[*s3err.Error](err)
	return ok && e.StatusCode == status && e.Code == code && e.Message == message
}

// policy encodes a policy document as a form carries it.
func policy(doc string) string { return base64.StdEncoding.EncodeToString([]byte(doc)) }

// TestPostPolicyDocument parses policies S3 refuses.
func TestPostPolicyDocument(t *testing.T) {
	t.Parallel()
	const exp = `"expiration": "2030-01-01T00:00:00Z"`
	for _, c := range []struct{ name, encoded, detail string }{
		{"not base64", "{policy}", "Invalid JSON."},
		{"not JSON", policy("expiration"), "Invalid JSON."},
		{"not an object", policy("[]"), "Invalid JSON."},
		{"null", policy("null"), "Invalid JSON."},
		{"an expiration with a space", policy(`{"expiration": "2999-01-01 00:00:00", "conditions": []}`), "Invalid 'expiration' value: '2999-01-01 00:00:00'"},
		{"an expiration with an offset", policy(`{"expiration": "2999-01-01T00:00:00+00:00", "conditions": []}`), "Invalid 'expiration' value: '2999-01-01T00:00:00+00:00'"},
		{"an expiration on February 30", policy(`{"expiration": "2999-02-30T00:00:00Z", "conditions": []}`), "Invalid 'expiration' value: '2999-02-30T00:00:00Z'"},
		{"an expiration that is a word", policy(`{"expiration": "tomorrow", "conditions": []}`), "Invalid 'expiration' value: 'tomorrow'"},
		{"an expiration that is a number", policy(`{"expiration": 32503680000, "conditions": []}`), "Invalid 'expiration' value: '32503680000'"},
		{"no expiration", policy(`{"conditions": []}`), "Policy missing expiration."},
		{"EXPIRATION in upper case", policy(`{"EXPIRATION": "2030-01-01T00:00:00Z", "conditions": []}`), "Policy missing expiration."},
		{"no conditions", policy(`{` + exp + `}`), "Policy missing conditions."},
		{"conditions that are not a list", policy(`{` + exp + `, "conditions": {}}`), "Invalid 'conditions' value: must be a list."},
		{"a condition without a property", policy(`{` + exp + `, "conditions": [{}]}`), "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{"a condition with two properties", policy(`{` + exp + `, "conditions": [{"acl": "private", "key": "k"}]}`), "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{"a value that is not text", policy(`{` + exp + `, "conditions": [{"acl": 1}]}`), "Invalid Simple-Condition: value must be a string."},
		{"a condition that is text", policy(`{` + exp + `, "conditions": ["bucket"]}`), "Invalid Condition: a condition is an object or a list."},
		{"a list without a value", policy(`{` + exp + `, "conditions": [["eq", "$key"]]}`), "Invalid Condition: a condition list must have three elements, an operation first."},
		{"an operation S3 does not have", policy(`{` + exp + `, "conditions": [["ends-with", "$key", "x"]]}`), "Invalid Condition: unknown operation 'ends-with'."},
		{"a list of four elements", policy(`{` + exp + `, "conditions": [["eq", "$key", "k", "l"]]}`), "Invalid Condition: a condition list must have three elements, an operation first."},
		{"a range without a maximum", policy(`{` + exp + `, "conditions": [["content-length-range", 0]]}`), "Invalid Condition: a condition list must have three elements, an operation first."},
		{"a negative size", policy(`{` + exp + `, "conditions": [["content-length-range", -1, 0]]}`), "Invalid Condition: content-length-range takes two sizes of zero or more."},
		{"a size that is not a number", policy(`{` + exp + `, "conditions": [["content-length-range", 0, "x"]]}`), "Invalid Condition: content-length-range takes two sizes of zero or more."},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := sigv.ParsePostPolicy(c.encoded)
			if !isError(err, 400, "InvalidPolicyDocument", "Invalid Policy: "+c.detail) {
				t.Errorf("ParsePostPolicy: %v, want Invalid Policy: %s", err, c.detail)
			}
		})
	}
}

// TestPostConditions judges forms against conditions of each kind.
func TestPostConditions(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	failed := func(cond string) string { return "Invalid according to Policy: Policy Condition failed: " + cond }
	extra := func(name string) string { return "Invalid according to Policy: Extra input fields: " + name }
	for _, c := range []struct {
		name       string
		conditions string
		fields     []sigv.FormField
		message    string // "" when the form passes
	}{
		{"eq that holds", `{"acl": "private"}`, []sigv.FormField{{"acl", "private"}}, ""},
		{"eq in a list", `["eq", "$key", "a/c"]`, []sigv.FormField{{"key", "a/b"}}, failed(`["eq", "$key", "a/c"]`)},
		{"eq in an object", `{"acl": "x"}`, []sigv.FormField{{"acl", "private"}}, failed(`["eq", "$acl", "x"]`)},
		{"eq with the field in another case", `{"Key": "a"}`, []sigv.FormField{{"KEY", "a"}}, ""},
		{"eq with the value in another case", `{"Key": "a"}`, []sigv.FormField{{"key", "A"}}, failed(`["eq", "$Key", "a"]`)},
		{"eq for a field the form lacks", `{"acl": "x"}`, nil, failed(`["eq", "$acl", "x"]`)},
		{"eq without $", `["eq", "key", "k"]`, []sigv.FormField{{"key", "k"}}, failed(`["eq", "key", "k"]`)},
		{"starts-with that holds", `["starts-with", "$Content-Type", "image/"]`, []sigv.FormField{{"content-type", "image/png"}}, ""},
		{"starts-with in another case", `["StArTs-WiTh", "$KeY", "up/"]`, []sigv.FormField{{"key", "up/x"}}, ""},
		{"starts-with that fails", `["starts-with", "$Content-Type", "image/"]`, []sigv.FormField{{"Content-Type", "text/html"}},
			failed(`["starts-with", "$Content-Type", "image/"]`)},
		{"starts-with for a list of types", `["starts-with", "$Content-Type", "image/"]`, []sigv.FormField{{"Content-Type", "image/png, image/gif"}}, ""},
		{"starts-with for a list with another type", `["starts-with", "$Content-Type", "image/"]`, []sigv.FormField{{"Content-Type", "image/png,text/html"}},
			failed(`["starts-with", "$Content-Type", "image/"]`)},
		{"starts-with \"\" for a field the form lacks", `["starts-with", "$acl", ""]`, nil, ""},
		{"starts-with a prefix for a field the form lacks", `["starts-with", "$acl", "p"]`, nil, failed(`["starts-with", "$acl", "p"]`)},
		{"a field without a condition", ``, []sigv.FormField{{"Expires", "0"}}, extra("expires")},
		{"x-amz-date without a condition", ``, []sigv.FormField{{"x-amz-date", "20300101T000000Z"}}, extra("x-amz-date")},
		{"fields exempt from conditions", ``, []sigv.FormField{{"Policy", "p"}, {"X-Amz-Signature", "s"}, {"signature", "s"},
			{"AWSAccessKeyId", "a"}, {"X-Ignore-Me", "1"}, {"file", ""}}, ""},
		{"no condition on the bucket", `NOBUCKET`, nil, extra("bucket")},
		// "If you have multiple fields with the same name, the values must
		// be separated by commas" (HTTPPOSTForms, Conditions).
		{"two fields of a name, joined by commas", `{"x-amz-meta-tag": "Ninja,Stallman"}`,
			[]sigv.FormField{{"x-amz-meta-tag", "Ninja"}, {"X-Amz-Meta-Tag", "Stallman"}}, ""},
		{"two fields of a name, the first alone", `{"x-amz-meta-tag": "Ninja"}`,
			[]sigv.FormField{{"x-amz-meta-tag", "Ninja"}, {"x-amz-meta-tag", "Stallman"}}, failed(`["eq", "$x-amz-meta-tag", "Ninja"]`)},
		// "Character Escaping" (HTTPPOSTForms, sigv4-HTTPPOSTConstructPolicy)
		// lists \$ for a dollar sign and \v for a vertical tab, which
		// JSON does not have.
		{"a dollar sign escaped", `["starts-with", "$key", "\$"]`, []sigv.FormField{{"key", "$1"}}, ""},
		{"a vertical tab escaped", `{"x-amz-meta-v": "a\vb"}`, []sigv.FormField{{"x-amz-meta-v", "a\vb"}}, ""},
		{"an escaped backslash before a dollar sign", `["starts-with", "$key", "\\$"]`, []sigv.FormField{{"key", `\$1`}}, ""},
		// createPresignedPost sends the bucket as a field too; the bucket
		// the form is posted to is the one its conditions see.
		{"a bucket field, as createPresignedPost sends", ``, []sigv.FormField{{"bucket", "b"}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			conds := `{"bucket": "b"}`
			switch c.conditions {
			case "NOBUCKET":
				conds = ""
			case "":
			default:
				conds += ", " + c.conditions
			}
			p, err := sigv.ParsePostPolicy(policy(`{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [` + conds + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			err = p.Check(now, "b", c.fields)
			if c.message == "" && err != nil || c.message != "" && !isError(err, 403, "AccessDenied", c.message) {
				t.Errorf("Check: %v, want %q", err, c.message)
			}
		})
	}
}

// TestPostSizeRange checks content-length-range, in numbers and in text.
// A policy without one, which HTTPPOSTForms makes optional, bounds no
// size.
func TestPostSizeRange(t *testing.T) {
	t.Parallel()
	unbounded, err := sigv.ParsePostPolicy(policy(`{"expiration": "2030-01-01T00:00:00Z", "conditions": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := unbounded.SizeRange(); ok {
		t.Error("SizeRange of a policy without content-length-range: ok")
	}
	for _, size := range []int64{0, 1, 5 << 30} {
		if err := unbounded.CheckSize(size); err != nil {
			t.Errorf("CheckSize(%d) without content-length-range: %v", size, err)
		}
	}
	for _, bounds := range []string{`5, 10`, `"5", "10"`} {
		p, err := sigv.ParsePostPolicy(policy(`{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", ` + bounds + `]]}`))
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi, ok := p.SizeRange(); lo != 5 || hi != 10 || !ok {
			t.Errorf("SizeRange = %d, %d, %v", lo, hi, ok)
		}
		for size, code := range map[int64]string{4: "EntityTooSmall", 5: "", 10: "", 11: "EntityTooLarge"} {
			err := p.CheckSize(size)
			e, _ := errors.AsType[*s3err.Error](err)
			switch {
			case code == "" && err != nil, code != "" && (e == nil || e.Code != code):
				t.Errorf("CheckSize(%d) = %v, want %q", size, err, code)
			case code == "EntityTooSmall":
				if got, _ := e.Detail("MinSizeAllowed"); got != "5" || e.Message != "Your proposed upload is smaller than the minimum allowed size" {
					t.Errorf("EntityTooSmall: %v", e)
				}
			case code == "EntityTooLarge":
				if got, _ := e.Detail("MaxSizeAllowed"); got != "10" || e.Message != "Your proposed upload exceeds the maximum allowed size" {
					t.Errorf("EntityTooLarge: %v", e)
				}
			}
		}
	}
}

// signPostV2 signs a policy with Signature Version 2 as a client does,
// independently of the package, with the documentation's secret key.
func signPostV2(encoded string) string {
	m := hmac.New(sha1.New, []byte(sigvtest.DocSecretKey))
	m.Write([]byte(encoded))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signPostV4 signs a policy as a client does, independently of the
// package, with the documentation's secret key.
func signPostV4(encoded, date, region string) string {
	k := []byte("AWS4" + sigvtest.DocSecretKey)
	for _, part := range []string{date, region, "s3", "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(part))
		k = m.Sum(nil)
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(encoded))
	return hex.EncodeToString(m.Sum(nil))
}

// TestVerifyPostErrors sends forms whose signature S3 refuses.
func TestVerifyPostErrors(t *testing.T) {
	t.Parallel()
	v := awsVerifier(t, awsExampleTime)
	p := policy(`{"expiration": "2030-01-01T00:00:00Z", "conditions": []}`)
	form := func(change map[string]string) []sigv.FormField {
		fields := []sigv.FormField{
			{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"}, {"X-Amz-Credential", sigvtest.DocAccessKey + "/20130524/us-east-1/s3/aws4_request"},
			{"X-Amz-Date", "20130524T000000Z"}, {"Policy", p}, {"X-Amz-Signature", signPostV4(p, "20130524", "us-east-1")},
		}
		var out []sigv.FormField
		for _, f := range fields {
			if v, ok := change[f.Name]; ok {
				if v == "DELETE" {
					continue
				}
				f.Value = v
			}
			out = append(out, f)
		}
		return out
	}
	missing := func(name string) string {
		return "Bucket POST must contain a field named '" + name + "'.  If it is specified, please check the order of the fields."
	}
	for _, c := range []struct {
		name    string
		fields  []sigv.FormField
		status  int
		code    string
		message string
	}{
		{"a good form", form(nil), 0, "", ""},
		{"no policy", form(map[string]string{"Policy": "DELETE"}), 400, "InvalidArgument", missing("policy")},
		{"no x-amz-algorithm", form(map[string]string{"X-Amz-Algorithm": "DELETE"}), 400, "InvalidArgument", missing("X-Amz-Algorithm")},
		{"no x-amz-credential", form(map[string]string{"X-Amz-Credential": "DELETE"}), 400, "InvalidArgument", missing("X-Amz-Credential")},
		{"no x-amz-date", form(map[string]string{"X-Amz-Date": "DELETE"}), 400, "InvalidArgument", missing("X-Amz-Date")},
		{"no x-amz-signature", form(map[string]string{"X-Amz-Signature": "DELETE"}), 400, "InvalidArgument", missing("X-Amz-Signature")},
		{"a policy and no signature at all", []sigv.FormField{{"policy", p}}, 403, "AccessDenied", "Access Denied"},
		{"Signature Version 2 without its key", []sigv.FormField{{"policy", p}, {"signature", "c2ln"}}, 400, "InvalidArgument", missing("AWSAccessKeyId")},
		{"another algorithm", form(map[string]string{"X-Amz-Algorithm": "AWS4-HMAC-SHA1"}), 400, "AuthorizationQueryParametersError", `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`},
		{"x-amz-date in another format", form(map[string]string{"X-Amz-Date": "2013-05-24T00:00:00Z"}), 400, "AuthorizationQueryParametersError",
			`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`},
		{"another region", form(map[string]string{"X-Amz-Credential": sigvtest.DocAccessKey + "/20130524/eu-west-1/s3/aws4_request"}), 400,
			"AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'"},
		{"an unknown key", form(map[string]string{"X-Amz-Credential": "AKIAUNKNOWN/20130524/us-east-1/s3/aws4_request"}), 403,
			"InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."},
		{"a signature of another region", form(map[string]string{"X-Amz-Signature": signPostV4(p, "20130524", "us-west-2")}), 403,
			"SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sig, err := v.VerifyPost(c.fields)
			if c.code == "" {
				if err != nil || sig.Version != 4 {
					t.Fatalf("VerifyPost = %+v, %v", sig, err)
				}
				return
			}
			if !isError(err, c.status, c.code, c.message) {
				t.Errorf("VerifyPost: %v, want %d %s %q", err, c.status, c.code, c.message)
			}
		})
	}
}

// FuzzPostPolicy parses arbitrary policies, from AWS's two examples, and
// judges a form against each one that parses, then verifies the form's
// signature: nothing panics, a policy refused is S3's
// InvalidPolicyDocument, and every other failure is an S3 error a server
// can send, with a status and a code.
func FuzzPostPolicy(f *testing.F) {
	for _, ex := range []struct {
		policy string
		fields []sigv.FormField
	}{{awsPostPolicyV4, awsPostFieldsV4}, {awsPostPolicyV2, awsPostFieldsV2}} {
		doc, err := base64.StdEncoding.DecodeString(ex.policy)
		if err != nil {
			f.Fatal(err)
		}
		var form []string
		for _, field := range ex.fields {
			form = append(form, field.Name+"="+field.Value)
		}
		f.Add(string(doc), strings.Join(form, "\n"), int64(1000))
	}
	f.Add(`{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", "1", 10], ["eq", "$key", "a\$\v"]]}`, "key=a$\v", int64(11))
	v, err := sigv.New(sigv.Options{AccessKey: sigvtest.DocAccessKey, SecretKey: sigvtest.DocSecretKey})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc, form string, size int64) {
		var fields []sigv.FormField
		for line := range strings.SplitSeq(form, "\n") {
			name, value, _ := strings.Cut(line, "=")
			fields = append(fields, sigv.FormField{Name: name, Value: value})
		}
		encoded := base64.StdEncoding.EncodeToString([]byte(doc))
		p, err := sigv.ParsePostPolicy(encoded)
		if err != nil {
			if !isCode(err, "InvalidPolicyDocument") {
				t.Fatalf("a policy refused with %#v", err)
			}
		} else {
			checkSendable(t, p.Check(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "sigv4examplebucket", fields))
			checkSendable(t, p.CheckSize(size))
		}
		_, err = v.VerifyPost(append(fields, sigv.FormField{Name: "policy", Value: encoded}))
		checkSendable(t, err)
	})
}

// checkSendable fails t when err is neither nil nor an S3 error with a
// status and a code.
func checkSendable(t *testing.T, err error) {
	t.Helper()
	if e, ok := errors.AsType[*s3err.Error](err); err != nil && (!ok || e.StatusCode < 400 || e.Code == "") {
		t.Fatalf("a failure S3 would not send: %#v", err)
	}
}
