package xmlconfig

import (
	"strconv"
	"strings"
)

// The AWS CLI gives the CORSConfiguration of both its forms (the file of
// --cors-configuration, and the member of --cli-input-json's) to
// botocore, whose parameter validation (botocore/validate.py, against S3's
// model) refuses, before anything is sent, a member the model does not
// have, one it requires and is not there (CORSRules; a rule's
// AllowedMethods and AllowedOrigins), and a value of the wrong Python
// type: CORSRules not a list, a rule not a dict, ID or a list's element
// not a str, a list member not a list, MaxAgeSeconds not an int (a bool
// is one to Python, and is sent). null is None, of the wrong type
// everywhere. It takes what the model does not constrain: empty lists,
// any int however large, any string. A problem it catches keeps this
// package's reason, followed by botocore's line after botocoreRefused,
// with botocore's name of the value: CORSConfiguration.CORSRules[0].ID,
// counting from 0. The lines are botocore's (aws-cli 1.45.11 with
// botocore 1.43.11; aws-cli 2.9.19 refuses the same files).
//
// botocore lists the problems of a structure in an order of its own: the
// required members missing first, in the model's order (AllowedMethods
// before AllowedOrigins), then the unknown members, then the known
// members' values, each in the file's order. The problems here stay in
// the file's order, S3's, so that the first one is where S3 would find
// it and carries the hints that name other stores' forms.

// ruleMembers is botocore's "must be one of" for a rule's members, in
// the model's order.
var ruleMembers = strings.Join(memberNames[:], ", ")

// botocore's names of the Python types a CORSConfiguration's values must
// have, as its messages write them.
const (
	pyList = "<class 'list'>, <class 'tuple'>"
	pyDict = "<class 'dict'>"
	pyStr  = "<class 'str'>"
	pyInt  = "<class 'int'>"
)

// rulePath returns botocore's name of rule n (from 1) of the
// CORSConfiguration being read, or "" where botocore does not validate it.
func (p *jsonDecoder) rulePath(n int) string {
	if p.path == "" {
		return ""
	}
	return p.path + ".CORSRules[" + strconv.Itoa(n-1) + "]"
}

// refuse records the problem reason at off, in rule when not 0, which
// botocore also refuses with words at param, botocore's name of the
// value or of the structure holding it: words follow reason, unless
// param is "", where botocore does not validate (the console's form, or
// rules under a name it does not know).
func (p *jsonDecoder) refuse(off, rule int, reason, param, words string) {
	if param != "" {
		reason += "; " + botocoreRefused + words
	}
	p.report.add(off, rule, reason)
}

// refuseType records the problem reason of the value v, its first token
// read, at param, which botocore refuses as not of the types valid, and
// reads the rest of v.
func (p *jsonDecoder) refuseType(v jsonToken, rule int, reason, param, valid string) error {
	if param == "" {
		p.report.add(v.off, rule, reason)
		return p.s.skip(v)
	}
	words, err := p.typeWords(v, param, valid)
	if err != nil {
		return err
	}
	p.refuse(v.off, rule, reason, param, words)
	return nil
}

// typeWords returns botocore's refusal of the value v, its first token
// read, at param, as not of the types valid, and reads the rest of v.
func (p *jsonDecoder) typeWords(v jsonToken, param, valid string) (string, error) {
	text, err := p.pyText(v)
	if err != nil {
		return "", err
	}
	typ := pyType(v)
	if typ == "dict" && p.doc.Format == JSON {
		typ = "collections.OrderedDict" // see pyText
	}
	return "Invalid type for parameter " + param + ", value: " + text + ", type: <class '" + typ + "'>, valid types: " + valid, nil
}

// missingWords returns botocore's refusal of the structure at param,
// which lacks its required member name.
func missingWords(param, name string) string {
	return "Missing required parameter in " + param + `: "` + name + `"`
}

// unknownWords returns botocore's refusal of the member name of the
// structure at param, whose members are known. botocore quotes the name
// as it is, without escapes.
func unknownWords(param, name, known string) string {
	return "Unknown parameter in " + param + `: "` + name + `", must be one of: ` + known
}
