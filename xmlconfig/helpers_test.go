package xmlconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

const s3xmlns = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`

// okMembers is the least a rule needs.
const okMembers = `<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`

// xmlDoc returns a CORSConfiguration in S3's namespace holding rules.
func xmlDoc(rules ...string) string {
	return `<CORSConfiguration ` + s3xmlns + `>` + strings.Join(rules, "") + `</CORSConfiguration>`
}

// xmlRule returns a CORSRule holding members.
func xmlRule(members ...string) string {
	return "<CORSRule>" + strings.Join(members, "") + "</CORSRule>"
}

// okRule is the rule okMembers makes.
var okRule = corsrule.Rule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}

func i32(n int32) *int32 { return &n }

// wantErr describes the first problem a decoder should report.
type wantErr struct {
	reason    string // a substring of Reason
	line, col int    // checked when not 0
	rule      int    // always checked; 0 is "not in a rule"
}

// invalidCase is a document Unmarshal refuses, and its first problem.
type invalidCase struct {
	name string
	in   string
	want wantErr
}

// checkInvalid checks, in a parallel subtest each, that Unmarshal refuses
// each case's document with MalformedXML as its want says.
func checkInvalid(t *testing.T, cases []invalidCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if doc != nil {
				t.Errorf("doc = %+v, want nil", doc)
			}
			checkMalformed(t, err, tc.want)
		})
	}
}

var malformedMessage = s3err.MalformedXML("").Message

// checkMalformed checks that err is S3's MalformedXML and that its first
// problem is want.
func checkMalformed(t *testing.T, err error, want wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want MalformedXML (%s)", want.reason)
	}
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok {
		t.Fatalf("err = %T %v, want a *s3err.Error", err, err)
	}
	if e.Code != "MalformedXML" || e.Message != malformedMessage || e.StatusCode != 400 {
		t.Errorf("err = %d %s: %s, want 400 MalformedXML: %s", e.StatusCode, e.Code, e.Message, malformedMessage)
	}
	if !strings.Contains(e.Reason, want.reason) {
		t.Errorf("Reason = %q, want it to contain %q", e.Reason, want.reason)
	}
	if want.line != 0 && e.Line != want.line {
		t.Errorf("Line = %d, want %d", e.Line, want.line)
	}
	if want.col != 0 && e.Column != want.col {
		t.Errorf("Column = %d, want %d", e.Column, want.col)
	}
	if e.Line < 1 || e.Column < 1 {
		t.Errorf("position = %d:%d, want one", e.Line, e.Column)
	}
	if e.Rule != want.rule {
		t.Errorf("Rule = %d, want %d", e.Rule, want.rule)
	}
}

// reasons returns the Reason of every problem in err.
func reasons(err error) []string {
	var rs []string
	for _, e := range Problems(err) {
		rs = append(rs, e.Reason)
	}
	return rs
}
