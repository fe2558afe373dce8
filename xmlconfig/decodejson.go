package xmlconfig

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
)

// jsonDecoder decodes one JSON configuration. Every schema problem is
// reported as the MalformedXML S3 gives for the same problem in XML, the
// only form it reads. Like the XML decoder, it loops over the levels of
// the schema and skips anything else flat.
type jsonDecoder struct {
	s      jsonScanner
	report problems
	nrules int // rule slots seen, objects or not
	doc    Document
	// foreignHinted holds the other providers' forms whose hint was
	// given (see foreignHint).
	foreignHinted foreignForm
	// path is botocore's name of the CORSConfiguration being read, which
	// the AWS CLI validates before sending (see botocore.go), or "" where
	// nothing validates it: the console's form, or rules under a name
	// botocore does not know.
	path string
	// emptyID says, for each rule read, whether its JSON gave "ID": "",
	// which the rule cannot hold (its ID is "" without one) but botocore
	// sends, as <ID />: the AWS CLI's body is measured with it.
	emptyID []bool
	// crlfs counts, for each rule read, the CRLFs in its values, which
	// botocore sends and S3 reads as one LF each (see received): the rule
	// holds the LF, and the AWS CLI's body is measured with both bytes.
	crlfs []int
	// valueCRLFs counts the CRLFs of the value being read.
	valueCRLFs int
	// unsent holds the problems in report that the tool reading the
	// form refuses before it sends anything (see refuseUnsent).
	unsent map[error]bool
}

// Members of a rule, in the order encoders write them.
const (
	memID = iota
	memAllowedHeaders
	memAllowedMethods
	memAllowedOrigins
	memExposeHeaders
	memMaxAgeSeconds
	numMembers
)

var memberNames = [numMembers]string{"ID", "AllowedHeaders", "AllowedMethods", "AllowedOrigins", "ExposeHeaders", "MaxAgeSeconds"}

// decodeJSON reads the AWS CLI's or the console's JSON form. It refuses
// what the tool itself would refuse before sending (a byte order mark
// before the CLI's form, UTF-16 or UTF-32), and then applies S3's size
// limit to the XML the tool would send, not to the JSON.
func decodeJSON(b []byte) (*Document, error) {
	return whole(partialJSON(b))
}

// partialJSON is decodeJSON, but for a document refused for S3's schema
// alone it returns the rules read with the error (see [UnmarshalPartial]).
func partialJSON(b []byte) (*Document, error) {
	p, err := readJSON(b)
	if err != nil {
		return nil, err
	}
	doc, err := p.report.verdict(&p.doc)
	// S3 never sees the JSON: the CLI and the console send the same rules
	// as XML, and S3 checks the size of that body before it reads it, as
	// it does any XML body (see readXML). The problems the tool refuses
	// come first, since then nothing is sent; S3 meets every other one
	// in the body, after its size: a body too large is refused alone,
	// without the rules read, whose values S3 does not judge then. Once
	// decoding has stopped at maxProblems, the rules read so far are
	// measured, and the rest, which could only add to the size, is not.
	tooBig := p.checkSentSize()
	switch {
	case tooBig == nil:
		return doc, err
	case len(p.unsent) == 0:
		return nil, tooBig
	}
	return nil, err
}

// readJSON reads b whole: it returns the error that ends decoding (the
// size, the encoding, the syntax), and otherwise the decoder, with the
// rules read and the schema's problems in its report.
func readJSON(b []byte) (*jsonDecoder, error) {
	if len(b) > MaxJSONSize {
		return nil, tooBigJSON(len(b))
	}
	lines := newLineIndex(b)
	if reason := wideReason(b); reason != "" {
		return nil, lines.malformed(0, 0, reason)
	}
	p := &jsonDecoder{
		s:      jsonScanner{data: b, off: bomLen(b), lines: lines},
		report: problems{lines: lines},
		unsent: map[error]bool{},
	}
	if err := p.document(); err != nil {
		return nil, err
	}
	return p, nil
}

// CheckSentSize applies S3's limit of [corsrule.MaxDocumentSize] bytes to
// the PutBucketCors body sent for rules written in another form than S3's
// XML, measured as [AppendXML] writes it, without the declaration: S3's
// own form, in its namespace. It is the measure for the S3 console's JSON,
// which the console sends through the AWS SDK for JavaScript, and for the
// infrastructure tools' forms (CloudFormation, Terraform, ...), whose
// serializers are not mirrored byte for byte. The AWS CLI's two JSON
// forms are measured as botocore writes them instead (see
// botocoreSentSize), which Unmarshal does for them. It returns nil when
// the body fits, and otherwise MaxMessageLengthExceeded with the body's
// size in its Reason. The result is an [*s3err.Error], not an error:
// compare it with nil before returning it as an error, which would
// otherwise be a non-nil error holding a nil pointer.
func CheckSentSize(rules []corsrule.Rule) *s3err.Error {
	return checkSize(len(AppendXML(nil, rules)) - len(xmlw.Declaration))
}

// checkSentSize is [CheckSentSize] for the rules p read, measured as the
// tool that reads p's form sends them: botocore for the AWS CLI's forms,
// AppendXML's for the console's.
func (p *jsonDecoder) checkSentSize() *s3err.Error {
	if p.doc.Format == Console {
		return CheckSentSize(p.doc.Rules)
	}
	return checkSize(p.botocoreSize())
}

// botocoreSize returns the size of the body botocore sends for the rules
// p read from the AWS CLI's forms (see botocoreSentSize), their CRLFs
// counted as the two bytes sent, not as the LF S3 reads.
func (p *jsonDecoder) botocoreSize() int {
	return botocoreSentSize(p.doc.Rules, p.emptyID) + sum(p.crlfs)
}

// sum returns the sum of ns.
func sum(ns []int) int {
	n := 0
	for _, k := range ns {
		n += k
	}
	return n
}

// checkSize returns nil when n, the size of a PutBucketCors body, is
// within S3's limit, and otherwise MaxMessageLengthExceeded, naming n.
func checkSize(n int) *s3err.Error {
	if n <= corsrule.MaxDocumentSize {
		return nil
	}
	e := s3err.MaxMessageLengthExceeded(corsrule.MaxDocumentSize)
	e.Reason = fmt.Sprintf("sent to S3 as XML, the configuration is %d bytes; S3 accepts at most %d", n, corsrule.MaxDocumentSize)
	return e
}

// tooBigJSON refuses a JSON document too large to read at all: past
// MaxJSONSize no configuration S3 accepts could be what it holds, so the
// size limit of the XML it would become is reported without parsing it.
func tooBigJSON(n int) *s3err.Error {
	e := s3err.MaxMessageLengthExceeded(corsrule.MaxDocumentSize)
	e.Reason = fmt.Sprintf("the JSON document is over %d bytes, more than any configuration S3 accepts could take", MaxJSONSize)
	return e
}

// bomReason says why a byte order mark before the AWS CLI's form is
// refused. The CLI reads "file://" as text and judges it by its first
// character once Python's str.strip() has removed white space, which the
// mark is not: the file is then read as the CLI's shorthand syntax, and
// refused ("Error parsing parameter '--cors-configuration': Expected:
// '=', received: '\ufeff'", awscli 1.45.11; aws/aws-cli#3216 shows the
// same on Windows, where the mark is read as "ï»¿"). Nothing is sent.
const bomReason = "the file starts with a byte order mark, which the AWS CLI does not skip: " +
	"it refuses the file (\"Expected: '='\") and sends nothing; save it as UTF-8 without a byte order mark"

// cliInputBOMReason is bomReason for the --cli-input-json form, which the
// AWS CLI gives to Python's json.loads, which refuses the mark ("Error
// parsing parameter 'cli-input-json': Invalid JSON: Unexpected UTF-8 BOM
// (decode using utf-8-sig)", awscli 1.45.11).
const cliInputBOMReason = "the file starts with a byte order mark, which the AWS CLI does not skip: " +
	"it refuses the file (\"Invalid JSON: Unexpected UTF-8 BOM\") and sends nothing; save it as UTF-8 without a byte order mark"

// document reads the whole JSON document and tells the three forms apart
// by their first token: an object is the AWS CLI's form, or its
// --cli-input-json form when it has a CORSConfiguration (isCLIInput), an
// array the console's. Anything after the value is an error.
func (p *jsonDecoder) document() error {
	p.s.skipSpace()
	if p.s.off == len(p.s.data) {
		return p.s.lines.malformed(p.s.off, 0, "the document is empty")
	}
	t, err := p.s.next()
	if err != nil {
		return err
	}
	switch t.kind {
	case '{':
		p.doc.Format = JSON
		if isCLIInput(p.s.data) {
			p.doc.Format = CLIInput
		}
		if p.s.lines.bom > 0 {
			return p.s.lines.malformed(0, 0, map[Format]string{JSON: bomReason, CLIInput: cliInputBOMReason}[p.doc.Format])
		}
		if p.doc.Format == CLIInput {
			err = p.cliInput()
		} else {
			err = p.cli(t)
		}
	case '[':
		// A byte order mark before the console's form is not refused:
		// the console takes text pasted into its editor, which the mark
		// of a file does not reach.
		p.doc.Format = Console
		err = p.rules(t)
	default:
		p.report.add(t.off, 0, "the configuration is "+t.describe()+
			`, not an object {"CORSRules": [...]} or an array of rules`)
	}
	if err != nil || p.report.full() {
		return err
	}
	_, err = p.s.next() // the end, or data after it
	return err
}

// cli reads the AWS CLI form, {"CORSRules": [...]}, its '{' read.
//
// "CORSRules" given twice is not a problem: the AWS CLI reads the file
// with Python's json module, which keeps the last value of a name, and
// sends that one (awscli 1.45.11 with botocore 1.43.11), as the console's
// JSON.parse would keep it; the rules read before, and their problems,
// are dropped.
func (p *jsonDecoder) cli(open jsonToken) error {
	seen, exact := false, false
	var earlier []error // the problems of the rules read so far
	readRules := func() error {
		p.dropRules()
		return p.replacing(&earlier, p.corsRules)
	}
	const param = "CORSConfiguration"
	for !p.report.full() {
		name, err := p.s.next()
		switch {
		case err != nil:
			return err
		case name.kind == '}':
			p.cliMissingRules(open, seen, exact)
			return nil
		case name.text == "CORSRules":
			seen, exact = true, true
			p.path = param
			err = readRules()
		case fold(name.text) == "corsrules" && !exact:
			// CloudFormation's CorsRules, or a wrong case: read the rules
			// anyway, so that the names inside get their hints too;
			// botocore does not look inside.
			reason := unknownReason("member", name.text, "the configuration", jsonRootNames)
			p.refuse(name.off, 0, reason, param, unknownWords(param, name.text, "CORSRules"))
			seen, p.path = true, ""
			err = readRules()
		default:
			var v jsonToken
			if v, err = p.s.next(); err != nil {
				return err
			}
			reason := topReason("member", name.text, "the configuration", `a rule of "CORSRules"`, jsonRootNames, jsonRuleNames)
			reason += otherFormHint(name.text) + p.foreignHint(name.text, v.kind, true)
			p.refuse(name.off, 0, reason, param, unknownWords(param, name.text, "CORSRules"))
			err = p.s.skip(v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// cliMissingRules reports, at the end of the AWS CLI's form, which opens
// at open, a configuration without "CORSRules": none at all (seen
// false), or only under another case, whose rules were read (exact
// false), which S3's name would not be told twice for but botocore
// refuses as missing too.
func (p *jsonDecoder) cliMissingRules(open jsonToken, seen, exact bool) {
	const param = "CORSConfiguration"
	switch {
	case !seen:
		p.refuse(open.off, 0, `the configuration has no "CORSRules"`, param, missingWords(param, "CORSRules"))
	case !exact:
		p.refuse(open.off, 0, `the configuration has no "CORSRules", as S3 spells it`, param, missingWords(param, "CORSRules"))
	}
}

// otherFormHint returns what to add to the reason for the unknown member
// name at the top of the AWS CLI's form when it is the mark of another
// form: without --all, the first problem's hint is the only one the user
// sees.
func otherFormHint(name string) string {
	switch {
	case fold(name) == "corsconfiguration":
		// The shape of PutBucketCors's input, miscased: as
		// CORSConfiguration, it is read as --cli-input-json.
		return `; give its value, {"CORSRules": [...]}, on its own`
	case putBucketCorsParams[name]:
		// The same shape without CORSConfiguration, whose first member
		// is most often Bucket.
		return `; it is a parameter of put-bucket-cors, as in its --cli-input-json: give the value of "CORSConfiguration", {"CORSRules": [...]}, on its own`
	case name == "rules":
		return r2Hint
	}
	return ""
}

// r2Hint names Cloudflare R2's form, {"rules": [{"allowed": {"origins":
// [...], "methods": [...], "headers": [...]}, "id": "...",
// "exposeHeaders": [...], "maxAgeSeconds": 3600}]}, the body of R2's
// Put Bucket CORS Policy API, which wrangler r2 bucket cors set --file
// reads (it refuses a file without a "rules" array), and says how to
// write it in S3's.
const r2Hint = `; {"rules": [...]} is Cloudflare R2's form, which wrangler r2 bucket cors set --file reads: ` +
	`for S3, write {"CORSRules": [...]}, and in each rule allowed.origins, allowed.methods and allowed.headers as ` +
	`AllowedOrigins, AllowedMethods and AllowedHeaders, exposeHeaders as ExposeHeaders, maxAgeSeconds as MaxAgeSeconds and id as ID`

// r2AllowedHint is r2Hint for a rule's "allowed", R2's object of the
// origins, methods and headers a rule allows.
const r2AllowedHint = `; it is Cloudflare R2's: write its origins, methods and headers as the rule's AllowedOrigins, AllowedMethods and AllowedHeaders`

// putBucketCorsParams are the parameters of PutBucketCors beside
// CORSConfiguration, as the AWS CLI's --generate-cli-skeleton writes them.
var putBucketCorsParams = map[string]bool{"Bucket": true, "ContentMD5": true, "ChecksumAlgorithm": true, "ExpectedBucketOwner": true}

// corsRules reads the value of "CORSRules", its name read.
func (p *jsonDecoder) corsRules() error {
	v, err := p.s.next()
	if err != nil {
		return err
	}
	param := ""
	if p.path != "" {
		param = p.path + ".CORSRules"
	}
	switch v.kind {
	case '[':
		return p.rules(v)
	case tokNull:
		return p.refuseType(v, 0, `the configuration has no rules ("CORSRules" is null)`, param, pyList)
	}
	return p.refuseType(v, 0, `"CORSRules" is `+v.describe()+", not an array of rules", param, pyList)
}

// rules reads an array of rules, its '[' read.
func (p *jsonDecoder) rules(open jsonToken) error {
	n := 0
	for !p.report.full() {
		t, err := p.s.next()
		if err != nil {
			return err
		}
		if t.kind == ']' {
			if n == 0 {
				p.report.add(open.off, 0, "the configuration has no rules")
			}
			return nil
		}
		n++
		p.nrules++
		if t.kind != '{' {
			// An empty rule holds its place, so that the rules after it
			// keep their numbers in the rules read (see [UnmarshalPartial]).
			p.addRule(corsrule.Rule{}, p.s.lines.pos(t.off), ValuePositions{}, false, 0)
			reason := "rule " + strconv.Itoa(p.nrules) + " is " + t.describe() + ", not an object"
			if err := p.refuseType(t, p.nrules, reason, p.rulePath(p.nrules), pyDict); err != nil {
				return err
			}
			continue
		}
		if err := p.rule(t); err != nil {
			return err
		}
	}
	return nil
}

// addRule adds the rule r, read at pos with its values at vp, to the
// rules read; emptyID says its JSON gave "ID": "", and crlfs counts the
// CRLFs its values held (see received).
func (p *jsonDecoder) addRule(r corsrule.Rule, pos Position, vp ValuePositions, emptyID bool, crlfs int) {
	p.doc.Rules = append(p.doc.Rules, r)
	p.doc.RulePositions = append(p.doc.RulePositions, pos)
	p.doc.ValuePositions = append(p.doc.ValuePositions, vp)
	p.emptyID = append(p.emptyID, emptyID)
	p.crlfs = append(p.crlfs, crlfs)
}

// dropRules forgets the rules read, as a "CORSRules" or
// "CORSConfiguration" given again replaces them.
func (p *jsonDecoder) dropRules() {
	p.doc.Rules, p.doc.RulePositions, p.doc.ValuePositions, p.emptyID, p.crlfs, p.nrules = nil, nil, nil, nil, nil, 0
}

// rule reads one rule object, its '{' read.
func (p *jsonDecoder) rule(open jsonToken) error {
	n := p.nrules
	pos := p.s.lines.pos(open.off)
	var r corsrule.Rule
	var vp ValuePositions
	var from [numMembers][]error // the problems of each member's value
	var given [numMembers]bool
	var crlfs [numMembers]int    // the CRLFs of each member's value
	unknown := map[string]bool{} // the unknown members told
	for !p.report.full() {
		name, err := p.s.next()
		if err != nil {
			return err
		}
		if name.kind == '}' {
			p.missingMembers(open, n, &r, given, &from)
			p.addRule(r, pos, vp, given[memID] && r.ID == "", sum(crlfs[:]))
			return nil
		}
		m := memberIndex(name.text)
		if m < 0 {
			// Given twice, it is one member, told where it first is,
			// where Python's dict keeps it, with the hint that may have
			// been given there.
			if !unknown[name.text] {
				unknown[name.text] = true
				p.unknownMember(name, n)
			}
			if err := p.skipValue(); err != nil {
				return err
			}
			continue
		}
		// A member given twice keeps its last value, as the AWS CLI's
		// Python json module and the console's JSON.parse keep it (see
		// cli): the earlier value, and its problems, are dropped. One
		// given as null is left out to the console's SDK (see
		// missingMembers); the AWS CLI refuses null itself.
		var null bool
		p.valueCRLFs = 0
		err = p.replacing(&from[m], func() (err error) {
			null, err = p.member(&r, &vp, m, n)
			return err
		})
		if err != nil {
			return err
		}
		given[m] = !null
		crlfs[m] = p.valueCRLFs
	}
	return nil
}

// unknownMember reports the member of rule n named name, which a rule
// does not have.
func (p *jsonDecoder) unknownMember(name jsonToken, n int) {
	reason := unknownReason("member", name.text, "a rule", jsonRuleNames)
	if name.text == "allowed" {
		reason += r2AllowedHint
	}
	reason += p.foreignHint(name.text, 0, false)
	p.refuse(name.off, n, reason, p.rulePath(n), unknownWords(p.rulePath(n), name.text, ruleMembers))
}

// missingMembers reports, at the end of rule n, which opens at open and
// was read into r, the members S3 requires and r lacks. botocore refuses
// them too when they were not given at all, and the console's SDK when
// they were not given or were null (MissingRequiredParameter); both send
// an empty list, as no element, which S3 refuses. A member given with
// values of the wrong type ([1], "x") is not said to be missing as well:
// its problems (from) say what to fix, and once it is fixed the rule has
// it.
func (p *jsonDecoder) missingMembers(open jsonToken, n int, r *corsrule.Rule, given [numMembers]bool, from *[numMembers][]error) {
	for _, m := range []struct {
		index  int
		values []string
	}{{memAllowedOrigins, r.AllowedOrigins}, {memAllowedMethods, r.AllowedMethods}} {
		if len(m.values) > 0 || len(from[m.index]) > 0 {
			continue
		}
		name := memberNames[m.index]
		if given[m.index] {
			p.report.add(open.off, n, "the rule has no "+name)
			continue
		}
		param := p.rulePath(n)
		p.refuse(open.off, n, "the rule has no "+name, param, missingWords(param, name))
	}
}

// replacing reads a member's value with read in place of the value given
// before it: the problems of that one, *was, are dropped, and *was holds
// the new value's.
func (p *jsonDecoder) replacing(was *[]error, read func() error) error {
	p.report.remove(*was)
	for _, e := range *was {
		delete(p.unsent, e)
	}
	at := len(p.report.list)
	err := read()
	*was = slices.Clone(p.report.list[at:])
	return err
}

// member reads into r the value of member m of rule n, whose name has
// been read, and where it is into vp, in place of an earlier value's. It
// reports whether the value was null.
func (p *jsonDecoder) member(r *corsrule.Rule, vp *ValuePositions, m, n int) (null bool, err error) {
	v, err := p.s.next()
	if err != nil {
		return false, err
	}
	switch m {
	case memID:
		r.ID, err = p.id(v, n)
		vp.ID = p.s.lines.pos(v.off)
	case memMaxAgeSeconds:
		r.MaxAgeSeconds, err = p.maxAge(v, n)
		vp.MaxAgeSeconds = p.s.lines.pos(v.off)
	case memAllowedHeaders:
		r.AllowedHeaders, vp.AllowedHeaders, err = p.list(v, n, m)
	case memAllowedMethods:
		r.AllowedMethods, vp.AllowedMethods, err = p.list(v, n, m)
	case memAllowedOrigins:
		r.AllowedOrigins, vp.AllowedOrigins, err = p.list(v, n, m)
	case memExposeHeaders:
		r.ExposeHeaders, vp.ExposeHeaders, err = p.list(v, n, m)
	}
	return v.kind == tokNull, err
}

// memberIndex returns the mem constant of a rule member's name, exactly
// as S3's API model spells it, or -1 for a name the rule does not have.
func memberIndex(name string) int {
	for i, m := range memberNames {
		if name == m {
			return i
		}
	}
	return -1
}

// skipValue skips the value of a member whose name was just read.
func (p *jsonDecoder) skipValue() error {
	v, err := p.s.next()
	if err != nil {
		return err
	}
	return p.s.skip(v)
}

// cliNull reports, in the AWS CLI's forms, the null value v of a rule's
// member name, which should be want instead, of the Python types valid.
// The AWS CLI checks each member's type before it sends anything and
// refuses null, so such a configuration never reaches S3.
//
// UNVERIFIED: in the console's form, null stays a member left out, as the
// AWS SDK for JavaScript, which skips null members, sends it; what the
// console's editor itself does with null is not recorded.
func (p *jsonDecoder) cliNull(v jsonToken, rule int, name, want, valid string) error {
	if p.doc.Format == Console {
		return nil
	}
	return p.refuseType(v, rule, name+" is null, not "+want+" (leave the member out)", p.memberPath(rule, name), valid)
}

// memberPath returns botocore's name of the member name of rule n (from
// 1), or "" where botocore does not validate it.
func (p *jsonDecoder) memberPath(n int, name string) string {
	if p.path == "" {
		return ""
	}
	return p.rulePath(n) + "." + name
}

// id reads the value of ID. null is no ID, as "" is, in the console's form.
func (p *jsonDecoder) id(v jsonToken, rule int) (string, error) {
	switch v.kind {
	case tokString:
		p.checkChars(v, rule, "ID")
		return p.received(v.text), nil
	case tokNull:
		return "", p.cliNull(v, rule, "ID", "a string", pyStr)
	}
	return "", p.refuseType(v, rule, "ID is "+v.describe()+", not a string", p.memberPath(rule, "ID"), pyStr)
}

// list reads the value of a list member: an array of strings, or, in the
// console's form, null for none. It returns the values and where each is.
func (p *jsonDecoder) list(v jsonToken, rule, m int) ([]string, []Position, error) {
	name := memberNames[m]
	switch v.kind {
	case tokNull:
		return nil, nil, p.cliNull(v, rule, name, "an array of strings", pyList)
	case '[':
	default:
		reason := name + " is " + v.describe() + ", not an array of strings"
		if v.kind == tokString {
			reason += " (write [" + quote(v.text) + "])"
		}
		return nil, nil, p.refuseType(v, rule, reason, p.memberPath(rule, name), pyList)
	}
	var values []string
	var positions []Position
	for i := 0; ; i++ {
		t, err := p.s.next()
		if err != nil || t.kind == ']' {
			return values, positions, err
		}
		elem := name + "[" + strconv.Itoa(i) + "]"
		if t.kind == tokNull && p.doc.Format == Console {
			// The console's SDK (see console.go) lets null through a
			// list and writes it as the text "null": the origin
			// "null", say. The AWS CLI refuses it.
			values = append(values, "null")
			positions = append(positions, p.s.lines.pos(t.off))
			continue
		}
		if t.kind != tokString {
			if err := p.refuseType(t, rule, elem+" is "+t.describe()+", not a string", p.memberPath(rule, elem), pyStr); err != nil {
				return nil, nil, err
			}
			continue
		}
		p.checkChars(t, rule, elem)
		values = append(values, p.received(t.text))
		positions = append(positions, p.s.lines.pos(t.off))
	}
}

// received returns the string s, a rule's value, as S3 receives it from
// the tool that reads the form. botocore writes a carriage return as
// itself (see botocoreSentSize), and S3's XML parser, as XML 1.0 (§2.11)
// requires of every XML processor, reads a CRLF, and a CR alone, as one
// LF: the AWS CLI's forms are judged and kept with the LF, as S3 keeps
// them. The console's SDK writes a CR as "&#x0D;", which is read as a CR:
// the AWS SDK for JavaScript v2 since aws/aws-sdk-js#3733 (2021), before
// aws-sdk 2.1693.0 (see console.go), and v3's @aws-sdk/xml-builder; its
// values are received as they are. The CRLFs of s are counted in
// p.valueCRLFs, since botocore sends both bytes.
func (p *jsonDecoder) received(s string) string {
	if p.doc.Format == Console || !strings.Contains(s, "\r") {
		return s
	}
	lf := crlf.Replace(s)
	p.valueCRLFs += len(s) - len(lf)
	return lf
}

// crlf replaces each CRLF, and each CR alone, with an LF.
var crlf = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// checkChars reports a string S3 could never receive, because XML cannot
// carry one of its characters.
func (p *jsonDecoder) checkChars(t jsonToken, rule int, what string) {
	if t.hasBad {
		p.report.add(t.off, rule, fmt.Sprintf("%s holds %U, which XML cannot carry, so S3 could never receive it", what, t.bad))
	}
}

// maxAge reads the value of MaxAgeSeconds. In the AWS CLI's form it is an
// integer that fits in 32 bits, written without fraction or exponent: the
// CLI refuses 3000.0 and "3000". In the console's form it is null for
// none, or what the console sends as such an integer (see
// consoleInteger): any number, or a string that is a number as
// JavaScript writes one.
func (p *jsonDecoder) maxAge(v jsonToken, rule int) (*int32, error) {
	console := p.doc.Format == Console
	switch v.kind {
	case tokNull:
		return nil, p.cliNull(v, rule, "MaxAgeSeconds", "an integer", pyInt)
	case tokNumber:
		if console {
			f, _ := strconv.ParseFloat(v.text, 64) // ±Inf past the range, as JSON.parse reads it
			return p.consoleMaxAge(v, f, rule), nil
		}
	case tokString:
		if console {
			if f, ok := consoleNumber(v.text); ok {
				return p.consoleMaxAge(v, f, rule), nil
			}
		}
		fallthrough
	default:
		reason := "MaxAgeSeconds is " + v.describe() + ", not an integer"
		if v.kind == tokString {
			reason += " (write it without quotes)"
		}
		param := p.memberPath(rule, "MaxAgeSeconds")
		if v.kind == tokTrue || v.kind == tokFalse {
			param = "" // a bool is an int to Python: botocore takes it
		}
		return nil, p.refuseType(v, rule, reason, param, pyInt)
	}
	if pyType(v) == "float" {
		return nil, p.refuseType(v, rule, "MaxAgeSeconds "+quote(v.text)+" is not an integer", p.memberPath(rule, "MaxAgeSeconds"), pyInt)
	}
	n, err := strconv.ParseInt(v.text, 10, 32)
	if err != nil {
		p.report.add(v.off, rule, "MaxAgeSeconds "+quote(v.text)+" is out of range: it must fit in 32 bits")
		return nil, nil
	}
	return new(int32(n)), nil
}

// consoleMaxAge judges the MaxAgeSeconds the console sends for the number
// f, which v holds, as S3 reads it: a 32-bit integer.
func (p *jsonDecoder) consoleMaxAge(v jsonToken, f float64, rule int) *int32 {
	sent := consoleInteger(f)
	n, err := strconv.ParseInt(sent, 10, 32)
	switch {
	case err == nil:
		return new(int32(n))
	case sent == "NaN":
		p.report.add(v.off, rule, "MaxAgeSeconds "+quote(v.text)+" is sent by the console as NaN, not an integer")
	default:
		p.report.add(v.off, rule, "MaxAgeSeconds "+quote(v.text)+" is out of range: it must fit in 32 bits")
	}
	return nil
}
