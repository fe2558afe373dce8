package xmlconfig

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The AWS CLI's --cli-input-json file for put-bucket-cors holds the whole
// input of PutBucketCors, as --generate-cli-skeleton writes it:
//
//	{"Bucket": "b", "CORSConfiguration": {"CORSRules": [...]},
//	 "ContentMD5": "", "ChecksumAlgorithm": "CRC64NVME", "ExpectedBucketOwner": ""}
//
// The CLI reads it with Python's json module and gives it to botocore,
// which checks every parameter before anything is sent, and lists what it
// refuses after "Parameter validation failed:". The messages below are
// botocore's (aws-cli 1.45.11 with botocore 1.43.11, checked against a
// local endpoint). Bucket may be left out, as "--bucket" gives it; a
// parameter given on the command line replaces the file's.

// cliInputParams are PutBucketCors's parameters, in the order botocore
// names them in "must be one of".
var cliInputParams = []string{"Bucket", "CORSConfiguration", "ContentMD5", "ChecksumAlgorithm", "ExpectedBucketOwner"}

// botocoreRefused prefixes botocore's refusal of a parameter, which it
// prints on the line after "Parameter validation failed:".
const botocoreRefused = "the AWS CLI refuses the file and sends nothing: Parameter validation failed: "

// corsRulesInside ends the refusal of a CORSRules put beside
// CORSConfiguration.
const corsRulesInside = `; "CORSRules" belongs inside "CORSConfiguration"`

// isCLIInput reports whether the object that b holds is the input of
// PutBucketCors rather than its CORSConfiguration: whether one of its
// members is named CORSConfiguration, as botocore spells it. The members
// are read until that name or an error; b is not otherwise checked.
func isCLIInput(b []byte) bool {
	if len(b) > MaxJSONSize {
		return false
	}
	s := jsonScanner{data: b, off: bomLen(b), lines: newLineIndex(b)}
	if t, err := s.next(); err != nil || t.kind != '{' {
		return false
	}
	for {
		name, err := s.next()
		if err != nil || name.kind != tokName {
			return false
		}
		if name.text == "CORSConfiguration" {
			return true
		}
		v, err := s.next()
		if err != nil || s.skip(v) != nil {
			return false
		}
	}
}

// cliInput reads the AWS CLI's --cli-input-json form, its '{' read. A
// parameter given twice keeps its last value, as Python's json module
// keeps it; the problems of the earlier one are dropped.
func (p *jsonDecoder) cliInput() error {
	earlier := map[string]*[]error{}
	for !p.report.full() {
		name, err := p.s.next()
		if err != nil || name.kind == '}' {
			return err
		}
		was := earlier[name.text]
		if was == nil {
			was = new([]error)
			earlier[name.text] = was
		}
		err = p.replacing(was, func() error { return p.cliInputParam(name) })
		if err != nil {
			return err
		}
	}
	return nil
}

// cliInputParam reads the value of the parameter name.
func (p *jsonDecoder) cliInputParam(name jsonToken) error {
	switch name.text {
	case "CORSConfiguration":
		p.dropRules()
		return p.corsConfiguration()
	case "Bucket":
		return p.cliInputBucket()
	case "ContentMD5", "ChecksumAlgorithm", "ExpectedBucketOwner":
		return p.cliInputValue(name.text, tokString)
	}
	reason := botocoreRefused + unknownWords("input", name.text, strings.Join(cliInputParams, ", "))
	if fold(name.text) == "corsrules" {
		reason += corsRulesInside
	}
	p.refuseUnsent(name.off, 0, reason)
	return p.skipValue()
}

// cliInputBucket reads the value of Bucket, its name read. botocore checks
// the bucket's name before it validates the parameters, and stops there:
// a value that is not a string fails the check itself, and a string must
// be a name or an access point's ARN. The command line's --bucket
// replaces the file's Bucket, so the AWS CLI refuses it only without one.
// An empty one, which --generate-cli-skeleton writes, is not told, as a
// Bucket left out is not: both want --bucket, and with it both are sent.
func (p *jsonDecoder) cliInputBucket() error {
	v, err := p.s.next()
	switch {
	case err != nil:
		return err
	case v.kind != tokString:
		p.refuseUnsent(v.off, 0, "Bucket is "+v.describe()+`, not a string: without --bucket, the AWS CLI fails and sends nothing ("expected string or bytes-like object, got '`+pyType(v)+`'")`)
		return p.s.skip(v)
	case v.text != "" && !botocoreTakesBucket(v.text):
		p.refuseUnsent(v.off, 0, "without --bucket, "+botocoreRefused+`Invalid bucket name "`+v.text+`": Bucket name must match the regex "`+
			botocoreBucketPattern+`" or be an ARN matching the regex "`+botocoreARNPattern+`"`)
	}
	return nil
}

// botocoreBucketPattern and botocoreARNPattern are botocore's VALID_BUCKET
// and VALID_S3_ARN (botocore/handlers.py), which its message quotes.
const (
	botocoreBucketPattern = `^[a-zA-Z0-9.\-_]{1,255}$`
	botocoreARNPattern    = `^arn:(aws).*:(s3|s3-object-lambda):[a-z\-0-9]*:[0-9]{12}:accesspoint[/:][a-zA-Z0-9\-.]{1,63}$` +
		`|^arn:(aws).*:s3-outposts:[a-z\-0-9]+:[0-9]{12}:outpost[/:][a-zA-Z0-9\-]{1,63}[/:]accesspoint[/:][a-zA-Z0-9\-]{1,63}$`
)

// botocoreARN is botocoreARNPattern compiled, on first use only, since few
// programs that import the package read a --cli-input-json file.
var botocoreARN = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(botocoreARNPattern) })

// botocoreTakesBucket reports whether botocore takes name as a bucket's:
// whether Python's re.search finds botocoreBucketPattern or
// botocoreARNPattern in it. Python's $ also matches before a last "\n",
// which Go's does not, so that one is cut first; the patterns match no
// other "\n".
func botocoreTakesBucket(name string) bool {
	name = strings.TrimSuffix(name, "\n")
	if n := len(name); n >= 1 && n <= 255 && strings.Trim(name, bucketNameBytes) == "" {
		return true
	}
	return botocoreARN().MatchString(name)
}

// bucketNameBytes are the bytes of botocoreBucketPattern's class.
const bucketNameBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"

// cliInputValue reads the value of the parameter param, which botocore
// refuses unless it is of kind: a string or an object.
func (p *jsonDecoder) cliInputValue(param string, kind jsonKind) error {
	v, err := p.s.next()
	if err != nil || v.kind == kind {
		return err
	}
	return p.invalidType(v, param, kind)
}

// invalidType reports, as botocore does, the value v of param, which is
// not of kind (a string or an object), and reads the rest of v.
func (p *jsonDecoder) invalidType(v jsonToken, param string, kind jsonKind) error {
	words, err := p.typeWords(v, param, map[jsonKind]string{tokString: pyStr, '{': pyDict}[kind])
	if err != nil {
		return err
	}
	p.refuseUnsent(v.off, 0, botocoreRefused+words)
	return nil
}

// corsConfiguration reads the value of CORSConfiguration, its name read:
// an object whose only member is CORSRules.
func (p *jsonDecoder) corsConfiguration() error {
	v, err := p.s.next()
	if err != nil {
		return err
	}
	if v.kind != '{' {
		return p.invalidType(v, "CORSConfiguration", '{')
	}
	var earlier []error
	seen := false
	for !p.report.full() {
		name, err := p.s.next()
		switch {
		case err != nil:
			return err
		case name.kind == '}':
			if !seen {
				p.refuseUnsent(v.off, 0, botocoreRefused+missingWords("CORSConfiguration", "CORSRules"))
			}
			return nil
		case name.text == "CORSRules":
			seen = true
			p.dropRules()
			p.path = "CORSConfiguration"
			err = p.replacing(&earlier, p.corsRules)
		default:
			p.refuseUnsent(name.off, 0, botocoreRefused+unknownWords("CORSConfiguration", name.text, "CORSRules"))
			err = p.skipValue()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// maxPyText bounds the value botocore's message quotes, where botocore
// quotes it whole.
const maxPyText = 200

// pyText returns v, its first token read, as Python's str() writes the
// value json.loads reads, which botocore's messages quote, and reads the
// rest of v. The AWS CLI reads the file of --cors-configuration with
// object_pairs_hook=OrderedDict (awscli/argprocess.py), so an object of
// the JSON form is an OrderedDict, which Python 3.11 writes as
// OrderedDict([('k', v)]), and that of --cli-input-json a dict. Past
// maxPyText bytes the text is cut short, between two characters, and ends
// with "...".
func (p *jsonDecoder) pyText(v jsonToken) (string, error) {
	if v.kind != '{' && v.kind != '[' {
		return pyScalar(v, false), nil
	}
	ordered := p.doc.Format == JSON
	var b strings.Builder
	var open []jsonKind // the containers v is inside, innermost last
	first := true       // the token is its container's first
	for t := v; ; {
		if t.kind == '}' || t.kind == ']' {
			b.WriteString(pyContainer(t, first, ordered))
			open = open[:len(open)-1]
		} else {
			in := jsonKind(0)
			if len(open) > 0 {
				in = open[len(open)-1]
			}
			b.WriteString(pySeparator(t, in, first, ordered))
			switch t.kind {
			case '{', '[':
				b.WriteString(pyContainer(t, false, ordered))
				open = append(open, t.kind)
			case tokName:
				b.WriteString(pyRepr(t.text))
			default:
				b.WriteString(pyScalar(t, true))
			}
		}
		first = t.kind == '{' || t.kind == '['
		if len(open) == 0 {
			break
		}
		var err error
		if t, err = p.s.next(); err != nil {
			return "", err
		}
	}
	s := b.String()
	if len(s) > maxPyText {
		n := maxPyText
		for !utf8.RuneStart(s[n]) {
			n-- // not inside a character
		}
		return s[:n] + "...", nil
	}
	return s, nil
}

// pySeparator returns what Python writes before the token t, not a
// closing one, inside a container of kind in (0 at the top), first when t
// is the container's first token, with its objects written as
// OrderedDicts when ordered: a list's ", ", or a dict's between its items
// or between a name and its value.
func pySeparator(t jsonToken, in jsonKind, first, ordered bool) string {
	switch {
	case in == '{' && t.kind != tokName && ordered:
		return ", " // a value, after its name
	case in == '{' && t.kind != tokName:
		return ": "
	case in == '{' && ordered && first:
		return "[("
	case in == '{' && ordered:
		return "), ("
	case first:
		return ""
	}
	return ", "
}

// pyContainer returns what Python writes for the token t that opens or
// closes a container, first when it closes one without items, with its
// objects written as OrderedDicts when ordered.
func pyContainer(t jsonToken, first, ordered bool) string {
	switch {
	case t.kind == '{' && ordered:
		return "OrderedDict("
	case t.kind == '}' && ordered && first:
		return ")"
	case t.kind == '}' && ordered:
		return ")])"
	}
	return string(rune(t.kind))
}

// pyType returns the name of the Python type json.loads reads v as.
func pyType(v jsonToken) string {
	switch v.kind {
	case '{':
		return "dict"
	case '[':
		return "list"
	case tokString:
		return "str"
	case tokTrue, tokFalse:
		return "bool"
	case tokNull:
		return "NoneType"
	}
	if strings.ContainsAny(v.text, ".eE") {
		return "float"
	}
	return "int"
}

// pyScalar returns the scalar v as Python's str() writes it, or, inside a
// list or a dict (nested), as its repr() does, which quotes a string.
func pyScalar(v jsonToken, nested bool) string {
	switch v.kind {
	case tokString:
		if nested {
			return pyRepr(v.text)
		}
		return v.text
	case tokTrue:
		return "True"
	case tokFalse:
		return "False"
	case tokNull:
		return "None"
	}
	if pyType(v) == "int" {
		if strings.Trim(v.text, "-0") == "" {
			return "0" // -0
		}
		return v.text
	}
	f, _ := strconv.ParseFloat(v.text, 64) // ±Inf past the range, as Python reads it
	return pyFloat(f)
}

// pyFloat returns f as Python's repr() writes a float: the shortest
// digits, fixed from 1e-4 up to 1e16 with at least one decimal, and
// otherwise with an exponent of two digits at least (1e+16, 1.5e-05).
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// pyRepr returns s as Python's repr() writes a string: in single quotes,
// or double ones when s holds a single quote and no double one, with
// backslash escapes for the quote, the backslash and what does not print.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	b := []byte{q}
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x7f && r >= 0x20 || r > 0x7f && unicode.IsPrint(r):
			b = append(b, string(r)...)
		case r <= 0xff:
			b = append(b, `\x`+hexPad(strconv.FormatInt(int64(r), 16), 2)...)
		case r <= 0xffff:
			b = append(b, `\u`+hexPad(strconv.FormatInt(int64(r), 16), 4)...)
		default:
			b = append(b, `\U`+hexPad(strconv.FormatInt(int64(r), 16), 8)...)
		}
	}
	return string(append(b, q))
}

// hexPad left-pads hex digits with zeros to n.
func hexPad(s string, n int) string { return strings.Repeat("0", max(n-len(s), 0)) + s }
