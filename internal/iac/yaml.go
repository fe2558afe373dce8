package iac

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseServerlessYAML parses a Serverless Framework service file, or a
// YAML file its ${file(...)} names, as the Framework reads it, with
// js-yaml 4 (see jsYAMLScalar).
func parseServerlessYAML(src *source) (*node, error) {
	return parseYAMLDocument(src, yamlConverter{src: src, done: map[*yaml.Node]*node{}, jsYAML: true})
}

// parseTemplateYAML parses a CloudFormation template in YAML as
// CloudFormation reads it: YAML 1.1's integers (see yaml11Scalar) and
// booleans (see cfnBool).
func parseTemplateYAML(src *source) (*node, error) {
	return parseYAMLDocument(src, yamlConverter{src: src, done: map[*yaml.Node]*node{}, cfn: true})
}

// parseYAMLDocument parses a YAML document into nodes with the converter
// c, which says how plain scalars are read. Aliases become shared nodes,
// never copies, so anchors and aliases cost what their text costs (the
// expansion is bounded where values are resolved, see budget).
//
// A template is one document: a stream of several is refused, as
// CloudFormation's tools refuse it (PyYAML, which the AWS CLI and
// cfn-lint read templates with: "expected a single document in the
// stream"), rather than judged by its first document alone.
func parseYAMLDocument(src *source, c yamlConverter) (*node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, yamlError(src, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &ParseError{Pos: src.pos(0), Msg: "YAML: the document is empty"}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, yamlError(src, err)
	default:
		return nil, parseErrorf(src, src.yamlOffset(max(next.Line, 1), max(next.Column, 1)),
			"YAML: a second document starts here; a template is a single document")
	}
	return c.convert(doc.Content[0], 0)
}

// parseYAMLStream parses a stream of YAML documents, as Kubernetes
// manifests are written (kubectl apply -f reads every document of a
// file), each into nodes; empty documents (a "---" with nothing after it)
// are left out.
func parseYAMLStream(src *source) ([]*node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src.data))
	c := yamlConverter{src: src, done: map[*yaml.Node]*node{}, kubectl: true}
	var docs []*node
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); {
		case err == io.EOF:
			return docs, nil
		case err != nil:
			return nil, yamlError(src, err)
		}
		if len(doc.Content) == 0 || doc.Content[0].ShortTag() == "!!null" {
			continue
		}
		n, err := c.convert(doc.Content[0], 0)
		if err != nil {
			return nil, err
		}
		docs = append(docs, n)
	}
}

var (
	yamlLine   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlError turns the YAML library's error into a ParseError at the
// character where the text stops being YAML (see yamlProblem).
func yamlError(src *source, err error) error {
	msg := err.Error()
	// The library's reader names no line for the character it refuses
	// (a byte that is not UTF-8, a control character), which it refuses
	// wherever it stands, in a comment too: the first such one.
	if yamlCharacterError(msg) {
		if off, what, fix := yamlRefused(src.data); off >= 0 {
			return parseErrorf(src, off, "YAML: %s (%s): %s", what, strings.TrimPrefix(msg, "yaml: "), fix)
		}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return &ParseError{Pos: Position{File: src.name}, Msg: "YAML: " + strings.Join(te.Errors, "; ")}
	}
	line, problem := 0, strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		problem = m[2]
	}
	return parseErrorf(src, yamlProblem(src, problem, line), "YAML: %s", problem)
}

// yamlFillers are what yamlProblem writes after a start of a file: the
// end of the file, then a line of a comma, then a line of a plain scalar
// indented by one (at the left edge it would be a key, which a block
// mapping there requires a colon after).
var yamlFillers = [...]string{"", "\n,", "\n x"}

// yamlProblem returns the offset of the character at which the text of
// src stops being YAML, as the library's error problem (its message
// without "line N: ") tells it: the last character of the shortest start
// of the file that fails with problem whatever follows it, found by
// bisection in O(log n) parses of at most the file each (a megabyte of
// dense YAML, the most a file may be, took 2 to 4 s and about 170 MB at
// its peak). line is the line the library names, 0 for none.
//
// The library's line is no place to show: go.yaml.in/yaml/v3 names the
// line where the block or flow collection around the problem starts,
// when it knows one (its context mark, which it prefers to the problem
// mark), counted from 0 for the parser's errors (from 1 for the
// scanner's), and no line when both marks are on the first. A problem
// lies at or after its context, and so after the start of that line
// (one before it for the parser's errors), where the search starts. It
// ends where the library had read to when it met the problem.
//
// "Whatever follows" is each of yamlFillers: a start that fails with
// problem only because the file ends there (inside a flow collection,
// [a, b, the end is the problem), or fails with it only when followed by
// one of them, is not the place. The flow collection's error changes
// once a comma follows (did not find expected ',' or ']' becomes one
// about the node content), and the node content's once a scalar does.
// When a filler changes the problem even after the whole file, the
// problem is the end of the file (a flow collection never closed), and
// the end is returned.
//
// The place is the problem's own where the problem is one character (a
// colon, a tab, a stray ']'). For a longer token it is the last
// character read before the text fails: the colon after a key met where
// none is allowed, the closing quote of a quoted scalar; an alias the
// library names is moved back to its '*'. A quoted scalar never closed
// is shown at its opening quote.
func yamlProblem(src *source, problem string, line int) int {
	data := src.data
	fails := func(n int) bool {
		for n < len(data) && !utf8.RuneStart(data[n]) {
			n++
		}
		b := make([]byte, n, n+4)
		copy(b, data)
		for _, f := range yamlFillers {
			src.yamlParsed += n
			if yamlProblemOf(bytes.NewReader(append(b, f...))) != problem {
				return false
			}
		}
		return true
	}
	read := &yamlTrickle{data: data}
	yamlProblemOf(read)
	src.yamlParsed += read.off
	hi := read.off
	if hi < len(data) && !fails(hi) {
		hi = len(data) // a filler cut the library's lookahead short
	}
	if hi == len(data) && !fails(hi) {
		return len(data)
	}
	n := 0
	if lo := src.yamlOffset(max(line, 1), 1); lo < hi {
		// Failing from the start of the line on, the text may fail
		// before it: the library names the problem's own line when
		// the context is on the first, and the end of the file is
		// the problem of a quote opened there and never closed.
		if n = leastBelow(lo, hi, fails); n == lo+1 && lo > 0 {
			n = 0
		}
	}
	if n == 0 {
		n = leastBelow(0, hi, fails)
	}
	_, size := utf8.DecodeLastRune(data[:n])
	off := n - size
	if m := yamlAnchor.FindStringSubmatch(problem); m != nil && bytes.HasSuffix(data[:n], []byte("*"+m[1])) {
		off = n - len(m[1]) - 1
	}
	return off
}

// leastBelow returns the smallest n in (lo, hi] for which f holds, given
// that f(hi) does and that f holds from some n on: it steps back from hi
// by doubling strides until f fails, then bisects, in O(log(hi-n))
// calls, few when n lies close to hi.
func leastBelow(lo, hi int, f func(int) bool) int {
	for d := 64; hi-d > lo; d *= 2 {
		if !f(hi - d) {
			lo = hi - d
			break
		}
		hi -= d
	}
	return lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return f(lo + 1 + i) })
}

// yamlTrickle is a reader of data that gives at most yamlTrickleSize
// bytes a read, so that off, what has been read, tells how far the YAML
// library, which reads only when it needs more, has looked.
type yamlTrickle struct {
	data []byte
	off  int
}

const yamlTrickleSize = 16

func (r *yamlTrickle) Read(p []byte) (int, error) {
	if r.off == len(r.data) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), yamlTrickleSize)], r.data[r.off:])
	r.off += n
	return n, nil
}

// yamlProblemOf returns the first error the YAML library finds in the
// documents r holds, without "yaml: " and the line it names, or "".
func yamlProblemOf(r io.Reader) string {
	dec := yaml.NewDecoder(r)
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); {
		case err == io.EOF:
			return ""
		case err != nil:
			msg := err.Error()
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				return m[2]
			}
			return strings.TrimPrefix(msg, "yaml: ")
		}
	}
}

// yamlRefused returns the offset of the first character of data that
// YAML's reader refuses, and why, or -1: a byte that does not start a
// UTF-8 sequence, or a character outside YAML's printable set (YAML 1.2
// §5.1 c-printable: tab, line feed, carriage return, 0x20-0x7E, NEL,
// 0xA0-0xD7FF, 0xE000-0xFFFD, 0x10000 and above), as go.yaml.in/yaml/v3's
// reader checks them (yaml_parser_update_buffer).
func yamlRefused(data []byte) (off int, what, fix string) {
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		switch {
		case r == utf8.RuneError && size == 1:
			return off, fmt.Sprintf("the byte 0x%02X is not UTF-8", data[off]), "save the file as UTF-8"
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7E || r == 0x85 ||
			r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000:
		default:
			return off, fmt.Sprintf("the character %U is not allowed in YAML", r),
				"not even quoted or in a comment; write it as an escape in a double-quoted string"
		}
		off += size
	}
	return -1, "", ""
}

// yamlCharacterError reports whether msg, an error of the YAML library, is
// its reader's refusal of a character.
func yamlCharacterError(msg string) bool {
	for _, s := range [...]string{"UTF-8 octet", "invalid length of a UTF-8 sequence", "invalid Unicode character", "control characters are not allowed"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

type yamlConverter struct {
	src  *source
	done map[*yaml.Node]*node
	// merged counts the entries merge keys have copied, bounded by
	// maxSteps: a mapping of many keys merged into many mappings would
	// otherwise cost their product.
	merged int
	// kubectl reads plain scalars as kubectl does (see kubectlScalar).
	kubectl bool
	// yaml12 reads plain scalars as Pulumi YAML reads them with
	// gopkg.in/yaml.v3, this parser's code: YAML 1.2's booleans (yes is
	// a string) and go-yaml's integers (see goYAMLInt: 017 is 15).
	yaml12 bool
	// cfn reads plain scalars as CloudFormation reads a template's
	// (see cfnBool), which the Serverless Framework's js-yaml does not.
	cfn bool
	// jsYAML reads plain scalars as the Serverless Framework's js-yaml
	// reads them (see jsYAMLScalar).
	jsYAML bool
}

// yaml11Bools are the booleans of go-yaml v2 (its resolve table) that
// YAML 1.2 reads as strings.
var yaml11Bools = map[string]bool{"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true, "off": true, "Off": true, "OFF": true}

// kubectlScalar returns the kind and text of a plain scalar as kubectl
// reads it, given those this parser gives it: sigs.k8s.io/yaml's
// YAMLToJSON resolves it with go-yaml v2, whose booleans are YAML 1.1's
// (y, on, no, ...; yaml11Bools) and whose numbers are this parser's, the
// same resolve function: an integer is what strconv.ParseInt(s, 0, 64),
// or ParseUint, reads once the underscores are gone (017 is 15, as are
// 0o17 and 0O17; 0X1F is 31; no base 60, so 1:00 is a string). An
// integer's text becomes its decimal digits, which kubectl sends.
func kubectlScalar(kind nodeKind, text string) (nodeKind, string) {
	if yaml11Bools[text] {
		return nBool, text
	}
	return goYAMLInt(kind, text)
}

// goYAMLInt returns the kind and text of a plain scalar this parser reads
// as kind, with an integer's text made its decimal digits as go-yaml's
// resolve function reads it, in v2 and v3 alike (017 is 15, 0x1F is 31,
// 1_000 is 1000).
func goYAMLInt(kind nodeKind, text string) (nodeKind, string) {
	if kind == nNumber {
		plain := strings.ReplaceAll(text, "_", "")
		if n, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return kind, strconv.FormatInt(n, 10)
		}
		if n, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return kind, strconv.FormatUint(n, 10)
		}
	}
	return kind, text
}

// convert returns the node of the YAML node y, depth levels down, its
// aliases followed; a node converted before is returned again, so that
// an alias shares its anchor's node. It refuses an alias that holds
// itself and nesting beyond maxDepth.
func (c *yamlConverter) convert(y *yaml.Node, depth int) (*node, error) {
	for y.Kind == yaml.AliasNode {
		if y.Alias == nil {
			return nil, c.errorf(y, "an alias without an anchor")
		}
		y = y.Alias
	}
	if n, ok := c.done[y]; ok {
		if n == nil {
			return nil, c.errorf(y, "an alias refers to a node that holds it")
		}
		return n, nil
	}
	if depth > maxDepth {
		return nil, c.errorf(y, "nested more than %d levels deep", maxDepth)
	}
	c.done[y] = nil // in progress: an alias to it from inside is a cycle
	n := &node{src: c.src, off: c.src.yamlOffset(y.Line, y.Column)}
	if strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!") {
		n.tag = y.Tag
	}
	var err error
	switch y.Kind {
	case yaml.ScalarNode:
		c.scalar(n, y)
	case yaml.SequenceNode:
		err = c.sequence(n, y, depth)
	case yaml.MappingNode:
		err = c.mapping(n, y, depth)
	default:
		err = c.errorf(y, "unexpected YAML node")
	}
	if err != nil {
		return nil, err
	}
	c.done[y] = n
	return n, nil
}

// scalar fills n with the kind and text of the scalar y: a scalar with a
// local tag (!Ref) is a string, and a plain one is read as kubectl or
// CloudFormation reads it (kubectlScalar, yaml11Scalar). It exists to
// keep convert about the structure of the document.
func (c *yamlConverter) scalar(n *node, y *yaml.Node) {
	n.text = y.Value
	n.kind = nString
	switch y.ShortTag() {
	case "!!int", "!!float":
		n.kind = nNumber
	case "!!bool":
		n.kind = nBool
	case "!!null":
		n.kind = nNull
	}
	if n.tag != "" {
		n.kind = nString
	} else if y.Style == 0 && c.kubectl {
		n.kind, n.text = kubectlScalar(n.kind, n.text)
	} else if y.Style == 0 && c.jsYAML {
		n.kind, n.text = jsYAMLScalar(n.kind, n.text)
	} else if y.Style == 0 && c.yaml12 {
		n.kind, n.text = goYAMLInt(n.kind, n.text)
	} else if y.Style == 0 {
		n.kind, n.text = yaml11Scalar(n.kind, n.text)
		if c.cfn {
			n.kind, n.text = cfnBool(n.kind, n.text)
		}
	}
}

// jsYAMLInt is the int type of js-yaml 4's core schema for a plain
// scalar: decimal (a leading 0 is no octal), and binary, octal and
// hexadecimal after 0b, 0o and 0x in lower case; no base 60. Underscores
// between digits are read by js-yaml 4.1 and 4.2 (0x_1F, 1_000), not by
// 4.3, whose 1_000 is a string: they are kept, as YAML 1.1 reads them.
var jsYAMLInt = regexp.MustCompile(`^[-+]?(?:0b[01_]*[01]|0o[0-7_]*[0-7]|0x[0-9a-fA-F_]*[0-9a-fA-F]|[0-9](?:[0-9_]*[0-9])?)$`)

// jsYAMLFloat is the float type of js-yaml 4's core schema.
var jsYAMLFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)

// jsYAMLScalar returns the kind and text of a plain scalar as the
// Serverless Framework reads it, given those this parser gives it: v3
// reads its service file and the YAML files ${file(...)} names with
// js-yaml ^4.1.0 (lib/configuration/read.js, lib/utils/fs/parse.js) and
// writes the template it sends CloudFormation in JSON, so a YAML 1.1
// reading does not apply: MaxAge 010 is 10, not 8, Id 0123 is 123, and
// 1:00:00 or 0X1F is a string (js-yaml 4.1.0 and 4.3.2 alike). An
// integer's text becomes its decimal digits.
func jsYAMLScalar(kind nodeKind, text string) (nodeKind, string) {
	switch {
	case kind == nBool:
		return kind, strings.ToLower(text) // True is true in JSON
	case len(text) > 100 || !jsYAMLInt.MatchString(text):
		if kind == nNumber && (!jsYAMLFloat.MatchString(text) || strings.HasSuffix(text, "_")) {
			return nString, text
		}
		if kind == nNumber {
			return jsYAMLNumber(text)
		}
		return kind, text
	}
	digits, neg := strings.ReplaceAll(text, "_", ""), false
	if digits[0] == '-' || digits[0] == '+' {
		digits, neg = digits[1:], digits[0] == '-'
	}
	base := 10
	if len(digits) > 1 && digits[0] == '0' && strings.ContainsRune("box", rune(digits[1])) {
		base = map[byte]int{'b': 2, 'o': 8, 'x': 16}[digits[1]]
		digits = digits[2:]
	}
	n, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return kind, text
	}
	if neg {
		n.Neg(n)
	}
	if n.BitLen() > 53 { // past a double's integers, as JavaScript reads it
		f, _ := new(big.Float).SetInt(n).Float64()
		return jsYAMLNumber(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return nNumber, n.String()
}

// jsYAMLNumber returns the kind and text of a float of js-yaml, text, as
// the Framework writes it in the template's JSON (JSON.stringify): the
// shortest digits that read back as the same double, in JavaScript's
// notation (1.50 is 1.5, 1e3 is 1000, -0.0 is 0, 1e-7 is 1e-7), and null
// for an infinity or NaN, which JSON has not.
func jsYAMLNumber(text string) (nodeKind, string) {
	lower := strings.ToLower(text)
	if strings.HasSuffix(lower, ".inf") || lower == ".nan" {
		return nNull, text
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	switch {
	case math.IsInf(f, 0):
		return nNull, text
	case err != nil:
		return nNumber, text
	case f == 0:
		return nNumber, "0"
	case math.Abs(f) >= 1e-6 && math.Abs(f) < 1e21:
		return nNumber, strconv.FormatFloat(f, 'f', -1, 64)
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	return nNumber, mant + "e" + exp[:1] + strings.TrimLeft(exp[1:], "0")
}

// cfnBool returns the kind and text of a plain scalar as CloudFormation
// reads it in a template, given those yaml11Scalar gives it: YAML 1.1's
// booleans (yes, no, on, off, true and false, each in lower case, with
// a capital or in capitals, the resolver of PyYAML and SnakeYAML; y and n
// are strings there) are booleans, which CloudFormation passes on as
// "true" and "false" wherever a string is expected: a tag's value
// written YES reaches S3 as "true" (ASFHyP3/hyp3#2061), the AWS CLI v2
// quotes such strings because "CloudFormation treats unquoted values that
// are YAML 1.1 native booleans as booleans" (aws/aws-cli#5257), and
// AllowedValues [Yes, No] refuse the value Yes (aws-amplify/amplify-cli#6224,
// aws-cloudformation/rain#316). So Default: yes and Default: True are the
// parameter value "true", which Fn::Equals compares with "true".
func cfnBool(kind nodeKind, text string) (nodeKind, string) {
	switch text {
	case "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE":
		return nBool, "true"
	case "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE":
		return nBool, "false"
	}
	return kind, text
}

// sequence fills n with the items of the sequence y, depth levels down.
// It exists to keep convert about the kinds of node.
func (c *yamlConverter) sequence(n *node, y *yaml.Node, depth int) error {
	n.kind = nSeq
	n.items = make([]*node, 0, len(y.Content))
	for _, item := range y.Content {
		v, err := c.convert(item, depth+1)
		if err != nil {
			return err
		}
		n.items = append(n.items, v)
	}
	return nil
}

// mapping fills n with the keys and values of the mapping y, depth
// levels down, then the entries its merge keys (<<) bring. It refuses a
// key that is not a scalar and a key written twice. It exists because a
// mapping is the kind of node with the most rules.
func (c *yamlConverter) mapping(n *node, y *yaml.Node, depth int) error {
	n.kind = nMap
	var merges []*node
	// A key written twice is refused, as cfn-lint ("Duplicate
	// found") and CloudFormation Designer ("duplicated mapping key")
	// refuse it. No tool reads the first value, which get would
	// return, and the others differ: the AWS CLI's cloudformation
	// package and deploy keep the last (awscli 1.45.11 and Debian's
	// 2.9.19, whose ruamel.yaml constructor builds an OrderedDict of
	// the pairs; a v2 of 2020 refused it, "found duplicate key",
	// brentley/container-demo#11).
	first := make(map[string]*node, len(y.Content)/2)
	for i := 0; i+1 < len(y.Content); i += 2 {
		if y.Content[i].ShortTag() == "!!merge" {
			m, err := c.mergeSources(y.Content[i+1], depth+1)
			if err != nil {
				return err
			}
			merges = append(merges, m...)
			continue
		}
		k, err := c.convert(y.Content[i], depth+1)
		if err != nil {
			return err
		}
		if !k.isScalar() {
			return c.errorf(y.Content[i], "a mapping key is %s, not a scalar", k.describe())
		}
		if f, ok := first[k.text]; ok {
			return c.errorf(y.Content[i], "the key %s is written twice in one mapping, first at line %d, column %d",
				quote(k.text), f.pos().Line, f.pos().Column)
		}
		first[k.text] = k
		v, err := c.convert(y.Content[i+1], depth+1)
		if err != nil {
			return err
		}
		n.keys = append(n.keys, k)
		n.items = append(n.items, v)
	}
	return c.merge(n, merges, y)
}

// mergeSources returns the mappings the value of a merge key (<<) names:
// one mapping, or a list of them.
func (c *yamlConverter) mergeSources(y *yaml.Node, depth int) ([]*node, error) {
	v, err := c.convert(y, depth)
	if err != nil {
		return nil, err
	}
	sources := []*node{v}
	if v.kind == nSeq {
		sources = v.items
	}
	for _, m := range sources {
		if m.kind != nMap {
			return nil, c.errorf(y, "a merge key (<<) takes a mapping or a list of mappings, not %s", m.describe())
		}
	}
	return sources, nil
}

// merge adds to the mapping n the entries of the mappings its merge keys
// name, as YAML's merge key type has it and as the AWS CLI's
// "cloudformation package" and SAM resolve them (CloudFormation itself
// takes no aliases): a key n has is kept, and of the sources, the first
// that has a key gives it. The merged values keep their positions, where
// they are written.
func (c *yamlConverter) merge(n *node, sources []*node, y *yaml.Node) error {
	if len(sources) == 0 {
		return nil
	}
	has := make(map[string]bool, len(n.keys))
	for _, k := range n.keys {
		has[k.text] = true
	}
	for _, m := range sources {
		for i, k := range m.keys {
			if has[k.text] {
				continue
			}
			if c.merged++; c.merged > maxSteps {
				return c.errorf(y, "merge keys (<<) copy more than %d entries", maxSteps)
			}
			has[k.text] = true
			n.keys = append(n.keys, k)
			n.items = append(n.items, m.items[i])
		}
	}
	return nil
}

func (c *yamlConverter) errorf(y *yaml.Node, format string, args ...any) error {
	return parseErrorf(c.src, c.src.yamlOffset(y.Line, y.Column), "YAML: "+format, args...)
}

// yaml11Int is YAML 1.1's int type for a plain scalar, as PyYAML resolves
// it: binary, octal after a leading 0, decimal, hexadecimal and base 60,
// with _ between digits.
var yaml11Int = regexp.MustCompile(`^[-+]?(?:0b[0-1_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)

// yaml11Scalar returns the kind and text of a plain scalar as YAML 1.1
// reads it, given those YAML 1.2 (this parser) gives it. CloudFormation
// reads YAML 1.1 ("CloudFormation supports the YAML Version 1.1
// specification", template-formats), as do PyYAML for the AWS CLI v1's
// cloudformation package and cfn-lint: 010 is 8 (an account ID with a
// leading 0 is famously another number), 3_600 is 3600 and 1:00:00 is
// 3600. An integer's text becomes its decimal digits, what CloudFormation
// sends. (0o10, an integer in YAML 1.2 only, is a string in YAML 1.1;
// either way it is no whole number for MaxAge, so it is left as it is.)
//
// The AWS CLI v2's cloudformation package reads YAML 1.2 (ruamel.yaml,
// Debian's 2.9.19: 010 is 10, 1:00:00 a string) and writes what it read,
// so a template it packaged can reach CloudFormation with other numbers
// than the same template deployed as written; this package reads the
// template as CloudFormation does.
func yaml11Scalar(kind nodeKind, text string) (nodeKind, string) {
	// A number of more than 100 characters is beyond any integer a
	// template holds, whatever its base: it is left as written rather
	// than converted at a cost that grows with the square of its length.
	if len(text) > 100 || !yaml11Int.MatchString(text) {
		return kind, text
	}
	digits, neg := text, false
	if digits[0] == '-' || digits[0] == '+' {
		digits, neg = digits[1:], digits[0] == '-'
	}
	digits = strings.ReplaceAll(digits, "_", "")
	n, ok := new(big.Int), true
	switch {
	case strings.Contains(digits, ":"):
		for _, part := range strings.Split(digits, ":") {
			d, _ := new(big.Int).SetString(part, 10)
			n.Mul(n, big.NewInt(60)).Add(n, d)
		}
	case strings.HasPrefix(digits, "0b"):
		_, ok = n.SetString(digits[2:], 2)
	case strings.HasPrefix(digits, "0x"):
		_, ok = n.SetString(digits[2:], 16)
	case len(digits) > 1 && digits[0] == '0':
		_, ok = n.SetString(digits[1:], 8)
	default:
		_, ok = n.SetString(digits, 10)
	}
	if !ok { // only underscores after 0b or 0x: not a number
		return nString, text
	}
	if neg {
		n.Neg(n)
	}
	return nNumber, n.String()
}
