package iac

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// This file reads Terraform's JSON syntax (.tf.json, and OpenTofu's
// .tofu.json), which cdktf and other generators write, into the same
// blocks and expressions as HCL's native syntax, so that one reader
// serves both: the file's values become hclsyntax expressions whose
// ranges are the JSON values' own, and positions, findings and notes are
// those of the equivalent .tf file. HCL's own json package yields an
// hcl.Body whose expressions are not hclsyntax's, which the evaluation
// here walks.
//
// The mapping is Terraform's (language/syntax/json): a block type's
// property holds an object of labels down to the body, or an array of
// such objects, at each level; a body is an object, or an array of
// objects for several blocks; a property named "//" in a body is a
// comment; a string is a template, as if it were quoted in HCL ("${...}"
// alone stands for the value it interpolates); numbers, booleans and
// null are literals, arrays tuples and objects objects (whose property
// names are templates too). A variable's type is a string holding a type
// expression, and its other arguments, default included, are literal
// values: a string in them is not a template.

// tfjConverter turns the values of one file into HCL's native syntax tree.
type tfjConverter struct {
	src *source
}

// parseTFJSON parses a file in Terraform's JSON syntax into the blocks
// this package reads: variables, locals, module calls, and the resources
// of the types judged (hclFile leaves the others out).
func (l *loader) parseTFJSON(name string, data []byte) (*hclsyntax.Body, error) {
	src := l.source(name, data)
	root, err := parseJSON(src)
	if err != nil {
		return nil, err
	}
	c := &tfjConverter{src: src}
	if root.kind != nMap {
		return nil, c.refuse(root, "the top level of a file in Terraform's JSON syntax is an object, not "+nodeKindNames[root.kind])
	}
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(root.off, root.end)}
	for i, k := range root.keys {
		v := root.items[i]
		var err error
		switch k.text {
		case "resource":
			err = c.blocks(body, "resource", 2, nil, k, v, func(labels []string, obj *node) (*hclsyntax.Body, error) {
				if !corsResource(labels[0]) {
					return nil, nil
				}
				return c.body(obj, resourceBlocks, c.expr)
			})
		case "module":
			err = c.blocks(body, "module", 1, nil, k, v, c.bodyOf(nil, c.expr))
		case "variable":
			err = c.blocks(body, "variable", 1, nil, k, v, c.bodyOf(map[string]int{"validation": 0}, c.variableArg))
		case "locals":
			err = c.blocks(body, "locals", 0, nil, k, v, c.bodyOf(nil, c.expr))
		case "terraform":
			err = c.blocks(body, "terraform", 0, nil, k, v, c.terraformBody)
		default:
			if !tfJSONTop[k.text] {
				// Terraform reads the body with Content, which refuses
				// what its schema does not name (hcl's json package).
				err = c.refuse(k, "Terraform refuses this file: Extraneous JSON object property: No argument or block type is named "+strconv.Quote(k.text)+".")
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return body, nil
}

// terraformBody reads the body of a terraform block, obj, for what this
// package uses of it: a cloud block, or the remote backend, which choose
// the workspace (see remoteWorkspaces). The rest, settings Terraform
// reads (required_providers, a backend of another type), is passed over.
func (c *tfjConverter) terraformBody(_ []string, obj *node) (*hclsyntax.Body, error) {
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(obj.off, obj.end)}
	for i, k := range obj.keys {
		v := obj.items[i]
		switch {
		case k.text == "cloud" && v.kind != nNull:
			body.Blocks = append(body.Blocks, &hclsyntax.Block{Type: "cloud", Body: &hclsyntax.Body{}, TypeRange: c.rng(k.off, k.end)})
		case k.text == "backend" && v.kind == nMap:
			for _, label := range v.keys {
				if label.text == "remote" {
					body.Blocks = append(body.Blocks, &hclsyntax.Block{Type: "backend", Labels: []string{"remote"}, Body: &hclsyntax.Body{}, TypeRange: c.rng(k.off, k.end)})
				}
			}
		}
	}
	return body, nil
}

// resourceBlocks names the nested block types of the resources read, with
// the number of labels of each: the others are arguments. A cors_rule
// given as something else than an object or an array of objects is left
// an argument, which the resource's reader refuses as Terraform does.
var resourceBlocks = map[string]int{
	"cors_rule": 0, "dynamic": 1, "lifecycle": 0, "provisioner": 1, "connection": 0, "timeouts": 0,
	// aws_s3_bucket's blocks (provider 3 and earlier; deprecated since).
	"grant": 0, "lifecycle_rule": 0, "logging": 0, "object_lock_configuration": 0, "replication_configuration": 0,
	"server_side_encryption_configuration": 0, "versioning": 0, "website": 0,
}

// blockBodies returns the objects v holds as the bodies of blocks: v
// itself, or the elements of an array of objects; nil when v is neither.
func blockBodies(v *node) []*node {
	switch v.kind {
	case nMap:
		return []*node{v}
	case nSeq:
		for _, x := range v.items {
			if x.kind != nMap {
				return nil
			}
		}
		return v.items
	}
	return nil
}

// blocks adds to body the blocks of type typ that v holds, with n labels
// more than labels; key is the property that names the last label (or
// the type), where a block held by an object is located; a block held by
// an array is located at its element. mk makes each block's body, or nil
// to leave the block out.
func (c *tfjConverter) blocks(body *hclsyntax.Body, typ string, n int, labels []string, key, v *node, mk tfjBody) error {
	if n == 0 {
		if v.kind == nNull {
			return nil // no block, as HCL reads it
		}
		bodies := blockBodies(v)
		if bodies == nil {
			return c.refuse(v, "Terraform's JSON syntax wants an object, or an array of objects, for the content of "+strconv.Quote(typ)+" blocks, not "+nodeKindNames[v.kind])
		}
		for _, obj := range bodies {
			b, err := mk(labels, obj)
			if err != nil || b == nil {
				return err
			}
			at := key
			if v.kind == nSeq {
				at = obj
			}
			body.Blocks = append(body.Blocks, &hclsyntax.Block{Type: typ, Labels: labels, Body: b,
				TypeRange: c.rng(at.off, at.end), OpenBraceRange: c.rng(obj.off, obj.off+1), CloseBraceRange: c.rng(obj.end-1, obj.end)})
		}
		return nil
	}
	objs := blockBodies(v)
	if objs == nil && v.kind != nNull {
		return c.refuse(v, "Terraform's JSON syntax wants an object of labels of "+strconv.Quote(typ)+" blocks, not "+nodeKindNames[v.kind])
	}
	labelled := false
	for _, obj := range objs {
		labelled = labelled || len(obj.keys) > 0
	}
	if !labelled {
		// HCL's json package: "Missing block label".
		label := []string{"type", "name"}[len(labels)]
		if typ != "resource" {
			label = "name"
		}
		return c.refuse(v, "HCL: Missing block label: At least one object property is required, whose name represents the "+typ+" block's "+label+".")
	}
	for _, obj := range objs {
		for i, k := range obj.keys {
			if k.text == "//" {
				continue
			}
			if err := c.blocks(body, typ, n-1, append(labels[:len(labels):len(labels)], k.text), k, obj.items[i], mk); err != nil {
				return err
			}
		}
	}
	return nil
}

// tfjBody makes the body of a block from obj, or returns nil to leave
// the block out.
type tfjBody func(labels []string, obj *node) (*hclsyntax.Body, error)

// tfjExpr makes the expression of the argument name's value v.
type tfjExpr func(name string, v *node) (hclsyntax.Expression, error)

// bodyOf returns the tfjBody of the blocks whose bodies body makes with
// nested and expr.
func (c *tfjConverter) bodyOf(nested map[string]int, expr tfjExpr) tfjBody {
	return func(_ []string, obj *node) (*hclsyntax.Body, error) { return c.body(obj, nested, expr) }
}

// body makes the body of a block from obj: each property is an argument,
// evaluated by expr, but for the nested block types of nested (with their
// number of labels) and the comments ("//").
func (c *tfjConverter) body(obj *node, nested map[string]int, expr tfjExpr) (*hclsyntax.Body, error) {
	b := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(obj.off, obj.end), EndRange: c.rng(obj.end-1, obj.end)}
	for i, k := range obj.keys {
		v := obj.items[i]
		if k.text == "//" {
			continue
		}
		// A cors_rule that is no block is an argument (resourceBlocks).
		if n, ok := nested[k.text]; ok && (k.text != "cors_rule" || v.kind == nNull || blockBodies(v) != nil) {
			mk := func(_ []string, obj *node) (*hclsyntax.Body, error) {
				// A block this package does not read: present, as
				// an override file's replace those of their type.
				return &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: c.rng(obj.off, obj.end)}, nil
			}
			switch k.text {
			case "dynamic":
				mk = c.bodyOf(map[string]int{"content": 0}, c.dynamicArg)
			case "content", "cors_rule":
				mk = c.bodyOf(nil, c.expr)
			}
			if err := c.blocks(b, k.text, n, nil, k, v, mk); err != nil {
				return nil, err
			}
			continue
		}
		if first, ok := b.Attributes[k.text]; ok {
			p := c.src.pos(first.NameRange.Start.Byte)
			return nil, c.refuse(k, "Terraform refuses the argument "+strconv.Quote(k.text)+" written twice in one block (Duplicate argument), first at line "+
				strconv.Itoa(p.Line)+", column "+strconv.Itoa(p.Column))
		}
		e, err := expr(k.text, v)
		if err != nil {
			return nil, err
		}
		b.Attributes[k.text] = &hclsyntax.Attribute{Name: k.text, Expr: e, SrcRange: c.rng(k.off, v.end), NameRange: c.rng(k.off, k.end)}
	}
	return b, nil
}

// variableArg makes the expression of a variable's argument: its type is
// a type expression, the others are literal values.
func (c *tfjConverter) variableArg(name string, v *node) (hclsyntax.Expression, error) {
	if name != "type" {
		return c.value(v, false)
	}
	if v.kind != nString {
		return nil, c.refuse(v, "a variable's type is a string that holds a type expression, such as \"list(string)\"")
	}
	return c.parse(v, false)
}

// dynamicArg makes the expression of a dynamic block's argument: its
// iterator is a name, as in HCL.
func (c *tfjConverter) dynamicArg(name string, v *node) (hclsyntax.Expression, error) {
	if name == "iterator" && v.kind == nString {
		return c.parse(v, false)
	}
	return c.expr(name, v)
}

// expr makes the expression of an argument's value.
func (c *tfjConverter) expr(_ string, v *node) (hclsyntax.Expression, error) {
	return c.value(v, true)
}

// value makes the expression of v, whose strings are templates when
// template is set, and literal text otherwise: a variable's default.
func (c *tfjConverter) value(v *node, template bool) (hclsyntax.Expression, error) {
	r := c.rng(v.off, v.end)
	switch v.kind {
	case nString:
		if template && (strings.Contains(v.text, "${") || strings.Contains(v.text, "%{")) {
			return c.template(v)
		}
		return &hclsyntax.LiteralValueExpr{Val: cty.StringVal(v.text), SrcRange: r}, nil
	case nNumber:
		n, err := cty.ParseNumberVal(v.text)
		if err != nil {
			n = cty.DynamicVal
		}
		return &hclsyntax.LiteralValueExpr{Val: n, SrcRange: r}, nil
	case nBool:
		return &hclsyntax.LiteralValueExpr{Val: cty.BoolVal(v.text == "true"), SrcRange: r}, nil
	case nSeq:
		t := &hclsyntax.TupleConsExpr{SrcRange: r, OpenRange: c.rng(v.off, v.off+1)}
		for _, x := range v.items {
			e, err := c.value(x, template)
			if err != nil {
				return nil, err
			}
			t.Exprs = append(t.Exprs, e)
		}
		return t, nil
	case nMap:
		o := &hclsyntax.ObjectConsExpr{SrcRange: r, OpenRange: c.rng(v.off, v.off+1)}
		for i, k := range v.keys {
			ke, err := c.value(k, template)
			if err != nil {
				return nil, err
			}
			ve, err := c.value(v.items[i], template)
			if err != nil {
				return nil, err
			}
			o.Items = append(o.Items, hclsyntax.ObjectConsItem{KeyExpr: ke, ValueExpr: ve})
		}
		return o, nil
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: r}, nil
}

// template makes the expression of a string that interpolates or holds
// directives, a template as HCL reads a quoted string, located at its
// opening quote as a quoted string is.
func (c *tfjConverter) template(v *node) (hclsyntax.Expression, error) {
	e, err := c.parse(v, true)
	if err != nil {
		return nil, err
	}
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		e.SrcRange = c.rng(v.off, v.end)
	case *hclsyntax.TemplateWrapExpr:
		e.SrcRange = c.rng(v.off, v.end)
	}
	return e, nil
}

// parse parses the text of the string v as a template, or as an
// expression (a variable's type, a dynamic block's iterator), its parts
// located where they are written in the string: HCL parses the text the
// escapes stand for (cdktf writes "${join(\",\", ...)}"), whose offsets
// are then moved to those of the file.
func (c *tfjConverter) parse(v *node, template bool) (hclsyntax.Expression, error) {
	if err := templateDepth(v.text); err != "" {
		return nil, c.refuse(v, err)
	}
	p := c.src.pos(v.off + 1)
	start := hcl.Pos{Line: p.Line, Column: p.Column, Byte: v.off + 1}
	var e hclsyntax.Expression
	var diags hcl.Diagnostics
	if template {
		e, diags = hclsyntax.ParseTemplate([]byte(v.text), c.src.name, start)
	} else {
		e, diags = hclsyntax.ParseExpression([]byte(v.text), c.src.name, start)
	}
	var raw []int // where each byte of the text is written, when escapes move them
	if v.end-v.off-2 != len(v.text) {
		raw = stringOffsets(v)
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			msg := "HCL: " + d.Summary
			if d.Detail != "" {
				msg += ": " + d.Detail
			}
			pe := c.refuse(v, msg)
			if d.Subject != nil {
				pe.Pos = c.src.pos(fileOffset(d.Subject.Start.Byte, v.off+1, raw))
			}
			return nil, pe
		}
	}
	if raw != nil {
		moveOffsets(reflect.ValueOf(&e).Elem(), v.off+1, raw)
	}
	return e, nil
}

// fileOffset returns the offset in the file of off, an offset in the
// text of a string that starts at base whose bytes are at raw.
func fileOffset(off, base int, raw []int) int {
	if i := off - base; raw != nil && i >= 0 && i < len(raw) {
		return raw[i]
	}
	return off
}

// moveOffsets moves the byte offset of every hcl.Pos within v, a tree of
// HCL's syntax parsed from the text of a string that starts at base, to
// where the file holds it (see stringOffsets). Values of cty, which hold
// no position, are left alone.
func moveOffsets(v reflect.Value, base int, raw []int) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			moveOffsets(v.Elem(), base, raw)
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if e.Kind() == reflect.Pointer {
			moveOffsets(e, base, raw)
			return
		}
		// A value in an interface (a traversal's steps) is changed
		// in a copy, put back.
		c := reflect.New(e.Type()).Elem()
		c.Set(e)
		moveOffsets(c, base, raw)
		if v.CanSet() {
			v.Set(c)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			moveOffsets(v.Index(i), base, raw)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[hcl.Pos]() {
			if v.CanSet() {
				b := v.FieldByName("Byte")
				b.SetInt(int64(fileOffset(int(b.Int()), base, raw)))
			}
			return
		}
		if v.Type().PkgPath() == reflect.TypeFor[cty.Value]().PkgPath() {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				moveOffsets(v.Field(i), base, raw)
			}
		}
	}
}

// templateDepth refuses the text of a template that nests past the
// bounds of hclDepth, which HCL's parser would follow until Go's stack
// ends the process. It counts brackets and conditionals wherever they
// are, in literal text too: what it refuses nests far beyond any
// configuration.
func templateDepth(s string) string {
	depth, questions, unary := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '(', '[', '{':
			if depth++; depth > maxHCLDepth {
				return "HCL: a string nests expressions deeper than this reader allows (" + strconv.Itoa(maxHCLDepth) + " levels of brackets)"
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		case '?':
			questions++
		}
		// Unary operators count in a row, white space between them, as
		// hclDepth counts them.
		switch c {
		case '!', '-':
			unary++
		case ' ', '\t', '\r', '\n':
		default:
			unary = 0
		}
		if questions > maxHCLRecursion || unary > maxHCLRecursion {
			return "HCL: a string holds more conditionals or unary operators than this reader allows (" + strconv.Itoa(maxHCLRecursion) + ")"
		}
	}
	return ""
}

// rng returns the range of the bytes from off to end. Its lines and
// columns are found without counting code points (source.locate): a
// range is made for every value, containers before what they hold, and
// counting from the start of a long line each time would take time
// quadratic in it. Positions shown to users come from the bytes
// (loader.pos).
func (c *tfjConverter) rng(off, end int) hcl.Range {
	return hcl.Range{Filename: c.src.name, Start: c.hclPos(off), End: c.hclPos(end)}
}

// hclPos returns the hcl.Pos of byte offset off, its column in bytes.
func (c *tfjConverter) hclPos(off int) hcl.Pos {
	line, start, at := c.src.locate(off)
	return hcl.Pos{Line: line + 1, Column: at - start + 1, Byte: off}
}

// refuse returns Terraform's refusal of the file at v.
func (c *tfjConverter) refuse(v *node, msg string) *ParseError {
	return &ParseError{Pos: c.src.pos(v.off), Msg: msg}
}
