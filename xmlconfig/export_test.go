package xmlconfig

import (
	"bytes"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

// Exported for the tests of package xmlconfig_test.

// RoundTrip is roundTrip: rules, encoded in form f, decode to themselves
// (the AWS CLI's carriage returns as line feeds).
func RoundTrip(t *testing.T, f Format, rules []corsrule.Rule) {
	t.Helper()
	roundTrip(t, f, rules)
}

// CheckMalformed checks that err is S3's MalformedXML, its first problem
// in rule (1-based; 0 for none) with a Reason containing reason.
func CheckMalformed(t *testing.T, err error, reason string, rule int) {
	t.Helper()
	checkMalformed(t, err, wantErr{reason: reason, rule: rule})
}

// CRToLF returns rules with the carriage returns of their values read as
// S3 reads them from the AWS CLI's form.
var CRToLF = crToLF

// FirstByte is firstByte: the first byte of a document that is not white
// space, and where it is.
var FirstByte = firstByte

// MaxProblems is the most problems a decoder reports.
const MaxProblems = maxProblems

// SeedDocuments returns the documents the package's own tests decode and
// encode, valid and not, to seed FuzzDecode.
func SeedDocuments() [][]byte {
	var docs [][]byte
	for _, f := range []Format{XML, JSON, Console} {
		var b bytes.Buffer
		Encode(&b, f, trickyRules)
		docs = append(docs, b.Bytes())
		b.Reset()
		Encode(&b, f, fullRules)
		docs = append(docs, b.Bytes())
	}
	for _, tc := range xmlValid {
		docs = append(docs, []byte(tc.in))
	}
	for _, tc := range xmlInvalid {
		docs = append(docs, []byte(tc.in))
	}
	for _, tc := range jsonValid {
		docs = append(docs, []byte(tc.in))
	}
	for _, tc := range jsonInvalid {
		docs = append(docs, []byte(tc.in))
	}
	return docs
}
