package xmlconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// Format is one of the four forms a bucket CORS configuration comes in.
type Format int

const (
	// XML is S3's own form: the body of PutBucketCors and GetBucketCors.
	XML Format = iota + 1
	// JSON is the AWS CLI form, {"CORSRules": [...]}, which
	// "aws s3api put-bucket-cors" takes and "get-bucket-cors" prints.
	JSON
	// Console is the bare JSON array of rules the S3 console's editor takes.
	Console
	// CLIInput is the AWS CLI's --cli-input-json form of put-bucket-cors,
	// {"Bucket": "b", "CORSConfiguration": {"CORSRules": [...]}, ...}: the
	// whole input of PutBucketCors, as --generate-cli-skeleton writes it.
	// Its Bucket may be left out, for --bucket to give it. It is read, not
	// written.
	CLIInput
)

var formatNames = [...]string{XML: "xml", JSON: "json", Console: "console", CLIInput: "cli-input-json"}

// String returns "xml", "json", "console" or "cli-input-json".
func (f Format) String() string {
	if f >= XML && f <= CLIInput {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat returns the Format that [Format.String] names, ignoring case.
func ParseFormat(s string) (Format, error) {
	for f := XML; f <= CLIInput; f++ {
		if strings.EqualFold(s, formatNames[f]) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("xmlconfig: unknown format %q (want xml, json, console or cli-input-json)", s)
}

// Position is a 1-based line and column in the decoded input. Lines end at
// each "\n", "\r\n" and "\r" alone, where XML 1.0 and editors break them
// (JSON reads all three as white space). Columns count bytes, not
// characters, as Go's compiler does; a byte order mark at the start is not
// counted.
type Position struct{ Line, Column int }

// String returns "line:column".
func (p Position) String() string {
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// Document is a decoded configuration.
type Document struct {
	// Format is the form the input was in.
	Format Format
	// Rules are the configuration's rules, in document order.
	Rules []corsrule.Rule
	// RulePositions[i] is where rule i starts in the input: its <CORSRule>
	// start tag, or the '{' of its JSON object.
	RulePositions []Position
	// ValuePositions[i] locates the values of rule i; see
	// [Document.ValuePosition].
	ValuePositions []ValuePositions
}

// ValuePositions locates the values of one rule in the input: where each
// starts, at the start tag of its element in XML, at the value itself in
// JSON. A member a rule does not have has none (the zero Position).
type ValuePositions struct {
	ID, MaxAgeSeconds                                             Position
	AllowedOrigins, AllowedMethods, AllowedHeaders, ExposeHeaders []Position
}

// ValuePosition returns where a value of rule (1-based) starts in the
// input, so that a message about it points there: field is its element's
// name in S3's XML (AllowedOrigin, AllowedMethod, AllowedHeader,
// ExposeHeader, ID or MaxAgeSeconds) and index its place in its list,
// from 0 (ignored for ID and MaxAgeSeconds), or -1 for the list as a
// whole, which starts where its first value does. Where the value is not
// known (a member the rule lacks, an index past its list, another field,
// a Document made without value positions), it returns where the rule
// starts; for a rule the Document does not have, the zero Position. A nil
// Document, which the decoders return with an error, has no rule.
func (d *Document) ValuePosition(rule int, field string, index int) Position {
	if d == nil || rule < 1 || rule > len(d.RulePositions) {
		return Position{}
	}
	if rule <= len(d.ValuePositions) {
		v := &d.ValuePositions[rule-1]
		if index == -1 {
			index = 0 // the list as a whole: a finding on what it lacks
		}
		var p Position
		switch field {
		case "ID":
			p = v.ID
		case "MaxAgeSeconds":
			p = v.MaxAgeSeconds
		case "AllowedOrigin":
			p = at(v.AllowedOrigins, index)
		case "AllowedMethod":
			p = at(v.AllowedMethods, index)
		case "AllowedHeader":
			p = at(v.AllowedHeaders, index)
		case "ExposeHeader":
			p = at(v.ExposeHeaders, index)
		}
		if p.Line > 0 {
			return p
		}
	}
	return d.RulePositions[rule-1]
}

// at returns ps[i], or the zero Position when i is out of range.
func at(ps []Position, i int) Position {
	if i < 0 || i >= len(ps) {
		return Position{}
	}
	return ps[i]
}

// maxProblems bounds how many schema problems one document reports. Past
// it, decoding stops: a 64 KiB document could otherwise hold some 16,000
// unknown elements, and nobody reads that many messages.
const maxProblems = 100

// Decode reads a configuration in any of the forms from r and decodes
// it. The first byte that is not white space, after an optional UTF-8 byte
// order mark, tells the form: '<' is XML, '{' the AWS CLI's JSON (or its
// --cli-input-json form, see [Detect]), '[' the
// console's array. Anything else, white space only included, is
// MalformedXML, as S3 would answer; an input of no bytes at all is
// MissingRequestBodyError ([s3err.MissingRequestBody]).
//
// Decode is for files people write. A server answering PutBucketCors
// reads the request body with [DecodeXML] instead: S3 takes XML only, and
// answers a JSON body with MalformedXML, which Decode would accept.
//
// Decode reads no more than one byte past [corsrule.MaxDocumentSize] from
// r for XML, or past [MaxJSONSize] for JSON; see the package documentation
// for the errors it returns.
func Decode(r io.Reader) (*Document, error) {
	b, err := readDocument(r, true)
	if err != nil {
		return nil, err
	}
	return Unmarshal(b)
}

// DecodeXML reads and decodes an XML configuration from r, as S3's
// PutBucketCors reads its body: a document in another form, JSON
// included, is MalformedXML. It reads no more than one byte past
// [corsrule.MaxDocumentSize] from r.
func DecodeXML(r io.Reader) (*Document, error) {
	b, err := readDocument(r, false)
	if err != nil {
		return nil, err
	}
	return decodeXML(b)
}

// DecodeJSON reads and decodes a JSON configuration from r: the AWS CLI's
// {"CORSRules": [...]}, its --cli-input-json form or the console's bare
// array of rules.
func DecodeJSON(r io.Reader) (*Document, error) {
	b, err := readDocument(r, true)
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

// Detect returns the form [Decode] reads b as, told from its first byte
// that is not white space after an optional byte order mark, or 0 when
// there is none of '<', '{' and '[' there. The form is known even when
// the document does not decode. An object is the AWS CLI's --cli-input-json
// form when one of its members before any error of syntax is named
// CORSConfiguration, and otherwise the AWS CLI's form.
func Detect(b []byte) Format {
	switch c, _ := firstByte(b); c {
	case '<':
		return XML
	case '{':
		if isCLIInput(b) {
			return CLIInput
		}
		return JSON
	case '[':
		return Console
	}
	return 0
}

// Unmarshal decodes the configuration in b, detecting its form as
// [Decode] does. The Document does not refer to b.
func Unmarshal(b []byte) (*Document, error) {
	return whole(UnmarshalPartial(b))
}

// UnmarshalPartial is [Unmarshal], which returns the same error, but for
// a document S3 refuses for its schema alone: unknown or misplaced
// members, values of the wrong type, members missing or given twice. With
// that error it returns the rules read, as S3 would judge them once the
// schema's problems were fixed: a value of the wrong type is left out,
// and a rule that is not one (a JSON rule that is not an object) is an
// empty rule, so that each rule keeps its number.
//
// S3 answers such a document with the schema's MalformedXML, and judges
// the values only once that is fixed. A caller that lists every problem,
// as s3cors validate --all does, gives the rules to
// [github.com/s3cors/s3cors/bucket.Problems] for the problems S3 would
// answer then.
//
// With any other error, UnmarshalPartial returns a nil Document: one
// refused for its size, its encoding or its syntax; one with more schema
// problems than are reported ([Problems]), after which decoding stops;
// and a JSON document whose rules, sent as XML by the tool that reads its
// form, would be too large (see [CheckSentSize]). S3 checks that size
// before it reads the body, so it is the error returned, alone, unless
// the tool refuses one of the schema's problems before it sends anything
// (the AWS CLI's parameter validation, or the console's SDK's: unknown
// members, members missing, values of the wrong type): those are then
// returned, as for a document that fits. With a nil error it returns the
// whole Document, as Unmarshal does.
func UnmarshalPartial(b []byte) (*Document, error) {
	if len(b) == 0 {
		return nil, s3err.MissingRequestBody()
	}
	c, off := firstByte(b)
	switch {
	case c == '{' || c == '[':
	case len(b) > corsrule.MaxDocumentSize:
		return nil, s3err.MaxMessageLengthExceeded(corsrule.MaxDocumentSize)
	}
	switch c {
	case '<':
		return partialXML(b)
	case '{', '[':
		return partialJSON(b)
	}
	reason := "the document is neither XML (starting with '<') nor JSON (starting with '{' or '[')"
	if wide := wideReason(b); wide != "" {
		reason, off = wide, 0
	} else if off == len(b) {
		reason = "the document is empty"
	}
	return nil, newLineIndex(b).malformed(off, 0, reason)
}

// whole returns the Document only with a nil error, as the decoders
// return it: a partial one is for [UnmarshalPartial]'s callers alone.
func whole(doc *Document, err error) (*Document, error) {
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// MaxJSONSize is the largest JSON document read. S3's limit is on the XML
// it receives, which the CLI and the console make from the JSON; white
// space and member names make JSON larger or smaller than that XML, so the
// JSON forms are judged by the size of their XML, and read up to this
// generous bound so that reading stays bounded too.
const MaxJSONSize = 1 << 20

// readDocument reads all of r, failing as soon as more bytes arrive than
// the form allows: MaxDocumentSize, or MaxJSONSize for JSON when json is
// true, told from the first byte. An endless reader cannot hold the
// caller. Read errors are wrapped, not turned into S3 errors: they are the
// caller's trouble, not a verdict on the document.
func readDocument(r io.Reader, json bool) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, corsrule.MaxDocumentSize+1))
	if err == nil && len(b) > corsrule.MaxDocumentSize {
		if c, _ := firstByte(b); !json || c != '{' && c != '[' {
			return nil, s3err.MaxMessageLengthExceeded(corsrule.MaxDocumentSize)
		}
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(r, MaxJSONSize+1-int64(len(b))))
		if b = append(b, rest...); len(b) > MaxJSONSize {
			return nil, tooBigJSON(len(b))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("xmlconfig: reading the configuration: %w", err)
	}
	return b, nil
}

var bom = []byte("\uFEFF")

// bomLen returns the length of the UTF-8 byte order mark b starts with,
// or 0. Line and column positions are counted from after the mark.
func bomLen(b []byte) int {
	if bytes.HasPrefix(b, bom) {
		return len(bom)
	}
	return 0
}

// wideReason says why b is refused when it is in UTF-16 or UTF-32, told
// from a byte order mark or from NUL bytes beside its first characters,
// which in a configuration are ASCII; it returns "" for any other b. The
// decoders read UTF-8 only, and would otherwise call such a file neither
// XML nor JSON, or invalid UTF-8, which sends its author looking for the
// wrong mistake. Windows PowerShell 5.1 writes UTF-16 with the mark FF FE
// for "aws s3api get-bucket-cors > cors.json"; the AWS CLI, which reads a
// file:// parameter in the system's encoding, cannot read that file back,
// and its user guide advises Out-File -Encoding ascii.
//
// UNVERIFIED: whether S3 takes a UTF-16 PutBucketCors body, as the XML
// specification has every processor read one, is not recorded; refusing
// it is this package's choice, as for other encodings (errNotUTF8).
func wideReason(b []byte) string {
	const fix = ": save it as UTF-8 without a byte order mark, e.g. with Out-File -Encoding ascii"
	// UTF-32's marks first: FF FE also starts UTF-32LE's.
	for _, m := range []struct{ bom, name, note string }{
		{"\xff\xfe\x00\x00", "UTF-32", ""},
		{"\x00\x00\xfe\xff", "UTF-32", ""},
		{"\xff\xfe", "UTF-16", ", as Windows PowerShell 5.1 writes with '>' and Out-File"},
		{"\xfe\xff", "UTF-16", ""},
	} {
		if bytes.HasPrefix(b, []byte(m.bom)) {
			return fmt.Sprintf("the file is %s (byte order mark % X)%s%s", m.name, m.bom, m.note, fix)
		}
	}
	// Without a mark, each of the first two characters is ASCII with NULs
	// after it (little endian) or before it (big endian), as no UTF-8
	// configuration is: neither XML nor JSON takes a raw NUL byte.
	switch {
	case asciiUnits(b, 4):
		return "the file is UTF-32 (three NUL bytes beside each ASCII character)" + fix
	case asciiUnits(b, 2):
		return "the file is UTF-16 (a NUL byte beside each ASCII character)" + fix
	}
	return ""
}

// asciiUnits reports whether b starts with two code units of width bytes,
// in either byte order, that each hold an ASCII character other than NUL.
func asciiUnits(b []byte, width int) bool {
	if len(b) < 2*width {
		return false
	}
	for _, at := range []int{0, width - 1} { // little endian, big endian
		ok := true
		for i, c := range b[:2*width] {
			if i%width == at {
				ok = ok && c != 0 && c < utf8.RuneSelf
			} else {
				ok = ok && c == 0
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// firstByte returns the first byte of b that is neither part of a leading
// byte order mark nor white space, and its offset; 0 and len(b) when there
// is none.
func firstByte(b []byte) (byte, int) {
	for i := bomLen(b); i < len(b); i++ {
		if !isSpace(b[i]) {
			return b[i], i
		}
	}
	return 0, len(b)
}

// isSpace reports whether c is white space in both XML and JSON.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Problems returns the S3 errors err holds, in document order: the one
// error a decoder returned, or each of those it joined with [errors.Join],
// also once the caller has wrapped them (fmt.Errorf with %w). Errors that
// are not S3 errors, such as read errors, are left out.
func Problems(err error) []*s3err.Error {
	var all []*s3err.Error
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case *s3err.Error:
			all = append(all, e)
		case interface{ Unwrap() []error }:
			for _, e := range e.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		default: // an error whose As method finds one
			if e, ok := errors.AsType[*s3err.Error](err); ok {
				all = append(all, e)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return all
}

// lineIndex turns byte offsets into positions. Decoders ask for offsets in
// increasing order, so it resumes from the last answer instead of counting
// from the start each time, which would be quadratic.
type lineIndex struct {
	data      []byte
	off       int // offsets before off are counted
	line      int // line of off
	lineStart int // offset of the first byte of line
	bom       int
}

func newLineIndex(data []byte) *lineIndex {
	n := bomLen(data)
	return &lineIndex{data: data, off: n, line: 1, lineStart: n, bom: n}
}

// pos returns the 1-based line and byte column of offset off, resuming
// from the previous answer when off is past it; an offset at the end of
// a document ending in a line break is placed at the end of its last line.
// A line ends at "\n", "\r\n" or a "\r" alone: XML 1.0 (§2.11) reads
// each as one line break, and editors break lines at each, in JSON too.
func (l *lineIndex) pos(off int) Position {
	off = min(max(off, l.bom), len(l.data))
	if off < l.off {
		l.off, l.line, l.lineStart = l.bom, 1, l.bom
	}
	for {
		i := bytes.IndexAny(l.data[l.off:off], "\r\n")
		if i < 0 {
			break
		}
		l.off += i + 1
		if !crBeforeLF(l.data, l.off-1) {
			l.line++
			l.lineStart = l.off
		}
	}
	l.off = off
	if off == len(l.data) && off == l.lineStart && l.line > 1 {
		// The end of a document that ends with a line break is the end
		// of its last line: the line after it is none, and a position
		// there is one past the file's end for editors and for code
		// scanning, whose regions must lie in the file.
		end := off - 1
		if crBeforeLF(l.data, end-1) && end-1 >= l.bom {
			end--
		}
		start := max(bytes.LastIndexAny(l.data[:end], "\r\n")+1, l.bom)
		return Position{Line: l.line - 1, Column: end - start + 1}
	}
	return Position{Line: l.line, Column: max(off-l.lineStart, 0) + 1}
}

// crBeforeLF reports whether data holds, at i, the "\r" of a "\r\n",
// which ends a line with the "\n" after it, not on its own.
func crBeforeLF(data []byte, i int) bool {
	return i >= 0 && i+1 < len(data) && data[i] == '\r' && data[i+1] == '\n'
}

// malformed returns MalformedXML located at off, inside rule (1-based) when
// rule is not 0.
func (l *lineIndex) malformed(off, rule int, reason string) *s3err.Error {
	e := s3err.MalformedXML(reason)
	p := l.pos(off)
	e.Line, e.Column, e.Rule = p.Line, p.Column, rule
	return e
}

// problems collects the schema problems of a well-formed document in the
// order the decoder finds them, which is document order: a problem inside
// an element comes before one found at its end, such as a missing member,
// though that one is located at the element's start tag.
type problems struct {
	lines *lineIndex
	list  []error
}

// add records a problem at off, in rule when not 0, and returns it,
// unless maxProblems have been recorded already: then it returns nil.
func (ps *problems) add(off, rule int, reason string) error {
	if ps.full() {
		return nil
	}
	e := ps.lines.malformed(off, rule, reason)
	ps.list = append(ps.list, e)
	return e
}

func (ps *problems) full() bool { return len(ps.list) >= maxProblems }

// remove drops the problems in errs, which were added before: those of a
// value that a later one replaced.
func (ps *problems) remove(errs []error) {
	if len(errs) > 0 {
		ps.list = slices.DeleteFunc(ps.list, func(e error) bool { return slices.Contains(errs, e) })
	}
}

// verdict returns what a decoder that read doc returns: doc and nil
// when no problem was found; doc and the problems when they are all
// reported, for UnmarshalPartial; nil and the problems once decoding
// stopped at maxProblems, which leaves doc without the rest.
func (ps *problems) verdict(doc *Document) (*Document, error) {
	err := ps.err()
	if ps.full() {
		return nil, err
	}
	return doc, err
}

// err returns nil, the one problem, or all of them joined.
func (ps *problems) err() error {
	if len(ps.list) == 1 {
		return ps.list[0]
	}
	return errors.Join(ps.list...)
}

// quote quotes s for a Reason, shortened so that a 60 KB name does not
// make a 60 KB message.
func quote(s string) string {
	const max = 64
	if len(s) <= max {
		return strconv.Quote(s)
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "..."
}
