package iac

import (
	"bytes"
	"io"
	"math/big"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Terraform's yamldecode reads YAML with go-cty-yaml, whose plain scalars
// are neither YAML 1.1's nor YAML 1.2's core schema, as terraform console
// 1.11.4 reads them: y, yes and on are true and n, no and off false, in
// three cases each, as in YAML 1.1; a whole number is decimal whatever
// its leading zeros (010 is 10, 0017 is 17), octal after 0o and
// hexadecimal after a lower-case 0x, without a sign; no underscores
// (1_000 is a string), no binary, no base 60 (1:00 is a string).
var (
	tfYAMLBools = map[string]bool{
		"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true, "true": true, "True": true, "TRUE": true,
		"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false, "false": false, "False": false, "FALSE": false,
	}
	tfYAMLNulls   = map[string]bool{"": true, "~": true, "null": true, "Null": true, "NULL": true}
	tfYAMLDecimal = regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$`)
	tfYAMLBased   = regexp.MustCompile(`^0(?:o[0-7]+|x[0-9a-fA-F]+)$`)
	// tfYAMLSpecial are the plain scalars go-cty-yaml reads as what
	// Terraform has no literal of, or refuses: an infinity, NaN, a
	// timestamp (which it makes an RFC 3339 string of), not evaluated.
	tfYAMLSpecial = regexp.MustCompile(`^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$`)
)

// tfYAMLScalar returns the kind and text of the plain scalar text as
// yamldecode reads it (see tfYAMLBools), a number's text its decimal
// digits, or why it is not evaluated here.
func tfYAMLScalar(text string) (nodeKind, string, string) {
	if b, ok := tfYAMLBools[text]; ok {
		return nBool, map[bool]string{true: "true", false: "false"}[b], ""
	}
	switch {
	case tfYAMLNulls[text]:
		return nNull, "", ""
	case tfYAMLSpecial.MatchString(text):
		return 0, "", "yamldecode of the plain scalar " + quote(text) + " (an infinity, NaN or a timestamp) is not evaluated here"
	case tfYAMLBased.MatchString(text):
		return nNumber, tfYAMLBasedInt(text).String(), ""
	case tfYAMLDecimal.MatchString(text):
		f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
		s, ok := numberText(f)
		if err != nil || !ok {
			return 0, "", "yamldecode: " + tooManyDigits
		}
		return nNumber, s, ""
	}
	return nString, text, ""
}

// tfYAMLBasedInt returns the number a plain scalar tfYAMLBased matches
// writes.
func tfYAMLBasedInt(text string) *big.Int {
	n, _ := new(big.Int).SetString(text[2:], map[byte]int{'o': 8, 'x': 16}[text[1]])
	return n
}

// tfYAMLIntFailure returns Terraform's failure for a plain scalar
// yamldecode cannot read, a hexadecimal or octal number past 64 bits,
// or "": go-cty-yaml parses such a number as a uint64 at most (terraform
// console 1.11.4 reads 0xFFFFFFFFFFFFFFFF, and fails on
// 0x10000000000000000: "cannot parse ... as tag:yaml.org,2002:int").
func tfYAMLIntFailure(text string) string {
	if tfYAMLBased.MatchString(text) && tfYAMLBasedInt(text).BitLen() > 64 {
		return "cannot parse " + strconv.Quote(text) + " as tag:yaml.org,2002:int"
	}
	return ""
}

// tfYAML converts the YAML nodes of a document yamldecode reads into
// nodes, aliases expanded as go-cty-yaml expands them, within a bound.
type tfYAML struct {
	src  *source
	left int // nodes that may still be made
	// failed says the reason convert gave is Terraform's failure, not
	// what is not evaluated here.
	failed bool
}

// yamlDecode decodes the YAML text of the string v as Terraform's
// yamldecode does, as jsonDecode decodes JSON: its values located at the
// string, or where they are written when the string is the whole text of
// a file that file read. What go-cty-yaml reads otherwise than this
// package's parser, or refuses (tags, merge keys, keys that are not
// strings, a key written twice, more than one document), is not
// evaluated.
func (l *loader) yamlDecode(v *val, pos Position, fail func(string) *val) *val {
	name, inFile := "yamldecode", false
	if r, ok := l.files[v.file]; ok && v.file != "" && v.kind == vString && v.s == r.content {
		name, inFile = v.file, true
	}
	key := [2]string{name, v.s}
	if msg, ok := l.yamlFailed[key]; ok {
		return fail(msg)
	}
	src := newSource(name, []byte(v.s))
	dec := yaml.NewDecoder(bytes.NewReader(src.data))
	var doc, next yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return unknownVal(pos, "", "yamldecode of a string that holds no document is not evaluated here")
		}
		msg := "yamldecode: " + yamlError(src, err).Error()
		if l.yamlFailed == nil {
			l.yamlFailed = map[[2]string]string{}
		}
		l.yamlFailed[key] = msg
		// Finding where the problem is reads the string again, a few
		// dozen times for a long one: counted as other work is, so
		// that broken strings, each decoded once, end in the bound.
		if !l.spendN(pos, src.yamlParsed/bytesPerStep) {
			return unknownVal(pos, "", "too much to evaluate")
		}
		return fail(msg)
	}
	if len(doc.Content) == 0 {
		return unknownVal(pos, "", "yamldecode of a string that holds no document is not evaluated here")
	}
	if err := dec.Decode(&next); err != io.EOF {
		return unknownVal(pos, "", "yamldecode of more than one document is not evaluated here")
	}
	c := &tfYAML{src: src, left: maxSteps}
	n, why := c.convert(doc.Content[0], 0)
	switch {
	case c.failed:
		return fail("yamldecode: " + why)
	case why != "":
		return unknownVal(pos, "", why)
	}
	out := inKeyOrderDeep(jsonVal(n, v.org, inFile, pos))
	if !l.spendN(pos, out.count()) {
		return unknownVal(pos, "", "too much to evaluate")
	}
	return out
}

// convert returns the node of y, depth levels down, or why it is not
// evaluated.
func (c *tfYAML) convert(y *yaml.Node, depth int) (*node, string) {
	for hops := 0; y.Kind == yaml.AliasNode; hops++ {
		if y.Alias == nil || hops > maxDepth {
			return nil, "yamldecode: an alias without an anchor"
		}
		y = y.Alias
	}
	if c.left--; c.left < 0 || depth > maxDepth {
		return nil, "yamldecode: the document's aliases expand too far, or it is nested too deep"
	}
	if y.Style&yaml.TaggedStyle != 0 {
		return nil, "yamldecode of a tagged node (" + y.Tag + ") is not evaluated here"
	}
	n := &node{src: c.src, off: c.src.yamlOffset(y.Line, y.Column)}
	switch y.Kind {
	case yaml.ScalarNode:
		n.kind, n.text = nString, y.Value
		if y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			if why := tfYAMLIntFailure(y.Value); why != "" {
				c.failed = true
				return nil, why
			}
			var why string
			if n.kind, n.text, why = tfYAMLScalar(y.Value); why != "" {
				return nil, why
			}
		}
	case yaml.SequenceNode:
		n.kind = nSeq
		for _, item := range y.Content {
			v, why := c.convert(item, depth+1)
			if why != "" {
				return nil, why
			}
			n.items = append(n.items, v)
		}
	case yaml.MappingNode:
		return c.mapping(n, y, depth)
	default:
		return nil, "yamldecode: an unexpected YAML node"
	}
	return n, ""
}

// mapping fills n with the entries of the mapping y, whose keys must be
// strings, each written once.
func (c *tfYAML) mapping(n *node, y *yaml.Node, depth int) (*node, string) {
	n.kind = nMap
	seen := map[string]bool{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		if y.Content[i].ShortTag() == "!!merge" {
			return nil, "yamldecode of a merge key (<<) is not evaluated here"
		}
		k, why := c.convert(y.Content[i], depth+1)
		switch {
		case why != "":
			return nil, why
		case k.kind != nString:
			return nil, "yamldecode of a mapping key YAML reads as " + k.describe() + " is not evaluated here"
		case seen[k.text]:
			return nil, "yamldecode of a mapping that has the key " + quote(k.text) + " twice is not evaluated here"
		}
		seen[k.text] = true
		v, why := c.convert(y.Content[i+1], depth+1)
		if why != "" {
			return nil, why
		}
		n.keys = append(n.keys, k)
		n.items = append(n.items, v)
	}
	return n, ""
}

// tfYAMLDecode evaluates yamldecode of a string.
func tfYAMLDecode(fc *tfCall) *val {
	if !fc.args[0].isScalar() {
		return fc.fail("yamldecode takes a string, not " + fc.args[0].kind.describe())
	}
	return fc.s.inst.l.yamlDecode(fc.args[0], fc.pos, fc.fail)
}
