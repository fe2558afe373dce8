package xmlconfig

import (
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
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
// rules under a name it does not know). In the console's form, the
// problem is one the console's SDK refuses (see console.go).
func (p *jsonDecoder) refuse(off, rule int, reason, param, words string) {
	switch {
	case param != "":
		p.refuseUnsent(off, rule, reason+"; "+botocoreRefused+words)
	case p.doc.Format == Console:
		p.refuseUnsent(off, rule, reason)
	default:
		p.report.add(off, rule, reason)
	}
}

// refuseUnsent records the problem reason at off, in rule when not 0, as
// one the tool that reads the form refuses before it sends anything:
// botocore's parameter validation for the AWS CLI's forms, the AWS SDK
// for JavaScript's for the console's. S3 meets the other problems only in
// the body the tool sends, once that body's size has passed (see
// partialJSON).
func (p *jsonDecoder) refuseUnsent(off, rule int, reason string) {
	if e := p.report.add(off, rule, reason); e != nil {
		p.unsent[e] = true
	}
}

// refuseType records the problem reason of the value v, its first token
// read, at param, which botocore refuses as not of the types valid, and
// reads the rest of v.
func (p *jsonDecoder) refuseType(v jsonToken, rule int, reason, param, valid string) error {
	if param == "" {
		p.refuse(v.off, rule, reason, "", "")
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

// botocoreSentSize returns the size in bytes of the PutBucketCors body
// that the AWS CLI sends for rules read from either of its JSON forms,
// without building it. botocore (botocore/serialize.py,
// RestXMLSerializer) builds the body with Python's
// xml.etree.ElementTree and writes it with ElementTree.tostring in
// UTF-8, which differs from S3's form ([AppendXML]) in four ways:
//
//   - no XML declaration;
//   - an element without text or children is written self-closed with a
//     space, <AllowedOrigin />, where S3's form has
//     <AllowedOrigin></AllowedOrigin>; a rule without members is
//     <CORSRule />;
//   - text escapes &, < and > only: a carriage return is sent as itself,
//     where S3's form writes &#xD;, and quotes, tabs and line feeds as
//     themselves in both;
//   - an "ID": "" in the JSON is sent, as <ID />, where S3's form leaves
//     an empty ID out: emptyID[i] says rule i had one (nil for none).
//
// Members come in the JSON's order and a list's elements directly in the
// rule (S3's lists are flattened), which does not change the size; an
// empty list is sent as no element, and MaxAgeSeconds as Python's str()
// of the int, which is Go's decimal form. The sizes are those of
// aws-cli 1.45.11 with botocore 1.43.11, and of aws-cli 2.9.19
// (TestBotocoreSizesRecorded). Rules a valid configuration cannot hold are
// measured all the same: a string's bytes count as they are, where an
// invalid one would be refused before the size matters. The rules read
// from the AWS CLI's forms hold a CRLF as the LF S3 reads (see received),
// one byte fewer than botocore sends: jsonDecoder.botocoreSize counts it.
func botocoreSentSize(rules []corsrule.Rule, emptyID []bool) int {
	const root = `<CORSConfiguration xmlns="` + S3Namespace + `">`
	if len(rules) == 0 {
		return len(root) - len(">") + len(" />")
	}
	n := len(root) + len("</CORSConfiguration>")
	for i := range rules {
		n += botocoreRuleSize(&rules[i], i < len(emptyID) && emptyID[i])
	}
	return n
}

// botocoreRuleSize returns the size of the CORSRule element botocore
// writes for r; emptyID says its JSON gave "ID": "".
func botocoreRuleSize(r *corsrule.Rule, emptyID bool) int {
	n := botocoreElementsSize("AllowedHeader", r.AllowedHeaders) +
		botocoreElementsSize("AllowedMethod", r.AllowedMethods) +
		botocoreElementsSize("AllowedOrigin", r.AllowedOrigins) +
		botocoreElementsSize("ExposeHeader", r.ExposeHeaders)
	if r.ID != "" || emptyID {
		n += botocoreElementSize("ID", r.ID)
	}
	if r.MaxAgeSeconds != nil {
		n += botocoreElementSize("MaxAgeSeconds", strconv.Itoa(int(*r.MaxAgeSeconds)))
	}
	if n == 0 {
		return len("<CORSRule />")
	}
	return len("<CORSRule></CORSRule>") + n
}

// botocoreElementsSize returns the size of one element named name for
// each of values, as botocore writes a flattened list.
func botocoreElementsSize(name string, values []string) int {
	n := 0
	for _, v := range values {
		n += botocoreElementSize(name, v)
	}
	return n
}

// botocoreElementSize returns the size of the element named name holding
// text as ElementTree writes it: <name /> when text is empty, and
// otherwise <name>text</name>, the text's &, < and > escaped.
func botocoreElementSize(name, text string) int {
	if text == "" {
		return len("< />") + len(name)
	}
	n := len("<></>") + 2*len(name) + len(text)
	for i := range len(text) {
		switch text[i] {
		case '&':
			n += len("&amp;") - 1
		case '<', '>':
			n += len("&lt;") - 1
		}
	}
	return n
}
