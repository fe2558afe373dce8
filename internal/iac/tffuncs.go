package iac

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// binary evaluates e, an operator of two operands, as HCL does: == and
// != of any values, && and || of booleans, and the comparisons of
// numbers; arithmetic is not evaluated.
func (s *tfScope) binary(e *hclsyntax.BinaryOpExpr, unknown func(string) *val) *val {
	a, b := s.eval(e.LHS), s.eval(e.RHS)
	if e.Op == hclsyntax.OpLogicalAnd || e.Op == hclsyntax.OpLogicalOr {
		if v, done := shortCircuit(e.Op, a, b, unknown); done {
			return v
		}
	}
	for _, x := range []*val{a, b} {
		if f, _ := x.scan(); f != nil {
			return unknown(f.why).because(f)
		}
	}
	if v := notScalarOperands(e.Op, a, b, unknown); v != nil {
		return v
	}
	var r bool
	var why string // why Terraform fails
	switch e.Op {
	case hclsyntax.OpEqual, hclsyntax.OpNotEqual:
		r = sameScalar(a, b) == (e.Op == hclsyntax.OpEqual)
	case hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr:
		r, why = logicalOp(e.Op, a, b)
	case hclsyntax.OpGreaterThan, hclsyntax.OpGreaterThanOrEqual, hclsyntax.OpLessThan, hclsyntax.OpLessThanOrEqual:
		r, why = compareOp(e.Op, a, b)
	default:
		return unknown("arithmetic is not evaluated here")
	}
	if why != "" {
		v := unknown(why)
		v.err = true
		return v
	}
	return &val{kind: vBool, s: strconv.FormatBool(r), org: Origin{Pos: a.org.Pos}}
}

// notScalarOperands returns the value of the operator op of a and b,
// neither of which fails, when one is not a scalar (a null, a collection,
// a value not known), and nil when both are.
func notScalarOperands(op *hclsyntax.Operation, a, b *val, unknown func(string) *val) *val {
	equality := op == hclsyntax.OpEqual || op == hclsyntax.OpNotEqual
	if equality && (a.kind == vNull || b.kind == vNull) && a.kind != vUnknown && b.kind != vUnknown {
		// cty's Equals: a null equals a null of any type and nothing
		// else, a list holding values not known included; var.x == null
		// is how a module tells an optional variable left out.
		r := (a.kind == vNull && b.kind == vNull) == (op == hclsyntax.OpEqual)
		return &val{kind: vBool, s: strconv.FormatBool(r), org: Origin{Pos: a.org.Pos}}
	}
	switch {
	case a.isScalar() && b.isScalar():
		return nil
	case a.kind == vUnknown:
		return unknown(a.why)
	case b.kind == vUnknown:
		return unknown(b.why)
	case equality:
		return unknown("comparing " + a.kind.describe() + " with " + b.kind.describe() + " is not evaluated here")
	}
	return unknown("the operator is not evaluated here for " + a.kind.describe() + " and " + b.kind.describe())
}

// logicalOp returns a && b or a || b (op) of two scalars, or why Terraform
// fails when one is not a boolean (see tfBool).
func logicalOp(op *hclsyntax.Operation, a, b *val) (bool, string) {
	x, okX := tfBool(a)
	y, okY := tfBool(b)
	switch {
	case !okX || !okY:
		return false, "an operand of " + map[bool]string{true: "&&", false: "||"}[op == hclsyntax.OpLogicalAnd] + " is not a boolean"
	case op == hclsyntax.OpLogicalAnd:
		return x && y, ""
	}
	return x || y, ""
}

// compareOp returns a > b, a >= b, a < b or a <= b (op) of two scalars, or
// why Terraform fails: it compares numbers, and strings that convert to
// numbers; anything else is its error.
func compareOp(op *hclsyntax.Operation, a, b *val) (bool, string) {
	x, errX := tfNumber(a)
	y, errY := tfNumber(b)
	if errX != "" || errY != "" {
		return false, errX + errY
	}
	c := x.Cmp(y)
	switch op {
	case hclsyntax.OpGreaterThan:
		return c > 0, ""
	case hclsyntax.OpGreaterThanOrEqual:
		return c >= 0, ""
	case hclsyntax.OpLessThan:
		return c < 0, ""
	}
	return c <= 0, ""
}

// shortCircuit evaluates && and || as Terraform does since 1.12 (HCL's
// ShortCircuit): a side that is the deciding boolean (false for &&, true
// for ||) is the result, the other side's failure dropped, so that
// var.x != null && length(var.x) > 0 is false for a null var.x, and the
// other side's value not known, so that local.enabled && length(var.x) >
// 0 is false for an empty var.x whatever local.enabled is. The other
// side must still convert to a boolean (HCL converts before it
// short-circuits), which a failure does (HCL makes it an unknown value);
// a value not known here that would not, a list say, is Terraform's
// error whatever this answers. When neither side decides, a failure
// fails the expression unless the other side is not known, which might
// decide. done is false when the operands are to be evaluated as for any
// operator.
func shortCircuit(op *hclsyntax.Operation, a, b *val, unknown func(string) *val) (v *val, done bool) {
	decides := op == hclsyntax.OpLogicalOr
	isBool := func(x *val) bool { _, ok := tfBool(x); return ok }
	converts := func(x *val) bool { return isBool(x) || x.kind == vNull || x.kind == vUnknown }
	for _, p := range [][2]*val{{a, b}, {b, a}} {
		if x, other := p[0], p[1]; converts(other) {
			if v, ok := tfBool(x); ok && v == decides {
				return &val{kind: vBool, s: strconv.FormatBool(decides), org: Origin{Pos: x.org.Pos}}, true
			}
		}
	}
	fa, _ := a.scan()
	fb, _ := b.scan()
	mightDecide := func(x *val) bool { return x.kind == vUnknown && !x.err }
	switch {
	case fa != nil && mightDecide(b):
		return unknown(b.why), true
	case fb != nil && mightDecide(a):
		return unknown(a.why), true
	}
	return nil, false
}

// tfBool returns the boolean v converts to, as cty converts a condition
// or an operand of !, && and ||: a boolean, or the string "true" or "1",
// "false" or "0". ok is false for any other value.
func tfBool(v *val) (b, ok bool) {
	switch {
	case v.kind == vBool:
		return v.s == "true", true
	case v.kind != vString:
		return false, false
	}
	switch v.s {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// sameScalar reports whether two scalars are equal as HCL's == has them:
// values of two types never are, and numbers are compared as numbers
// (1.0 == 1, 1e2 == 100), not as written.
func sameScalar(a, b *val) bool {
	if a.kind != b.kind {
		return false
	}
	if a.kind == vNumber {
		x, errX := tfNumber(a)
		y, errY := tfNumber(b)
		if errX == "" && errY == "" {
			return x.Cmp(y) == 0
		}
	}
	return a.s == b.s
}

// tfNumber returns the number a scalar holds, converted as Terraform
// converts a string to a number, or why it holds none.
func tfNumber(v *val) (*big.Float, string) {
	c := cty.StringVal(v.s)
	switch v.kind {
	case vNumber, vString:
	default:
		return nil, v.kind.describe() + " is not a number"
	}
	n, err := convert.Convert(c, cty.Number)
	if err != nil {
		return nil, strconv.Quote(v.s) + " is not a number"
	}
	return n.AsBigFloat(), ""
}

// function evaluates, as Terraform does, the functions that pick,
// rearrange or convert values, so that their elements keep their
// positions (tolist, toset, tomap, lookup, concat, merge, coalesce,
// compact, try, split, jsondecode), and a few that CORS configurations
// use around them (length, can, tostring, tonumber, distinct, flatten,
// and lower, upper, trimspace, trimprefix, trimsuffix, format of "%s"
// and formatlist, which make an origin from a domain): see tfFunctions.
// A call of one with too few or too many arguments fails, as in
// Terraform; a call of any other function is not evaluated.
//
// Terraform evaluates a call's arguments first: an argument that fails
// (see val.err) fails the call, and try and can are there to catch that.
// An argument that is not known makes the call not known, as Terraform's
// functions answer unknown for unknown arguments; this package's unknowns
// include what it does not evaluate, which may well be known to
// Terraform, so the answer is "not known" and never a guess.
func (s *tfScope) function(e *hclsyntax.FunctionCallExpr, pos Position, unknown func(string) *val) *val {
	if e.Name == "try" || e.Name == "can" {
		return s.try(e, pos, unknown)
	}
	fc := &tfCall{s: s, name: e.Name, pos: pos, unknown: unknown}
	if v := fc.evalArgs(e); v != nil {
		return v
	}
	f, ok := tfFunctions[e.Name]
	switch n := len(fc.args); {
	case !ok:
		return fc.notEvaluated()
	case n < f.min:
		return fc.fail("Not enough function arguments: " + e.Name + " takes at least " + strconv.Itoa(f.min) + ", not " + strconv.Itoa(n))
	case f.max >= 0 && n > f.max:
		return fc.fail("Too many function arguments: " + e.Name + " takes at most " + strconv.Itoa(f.max) + ", not " + strconv.Itoa(n))
	}
	v := f.eval(fc)
	if slices.ContainsFunc(fc.args, holdsSensitive) {
		// Terraform marks what a function makes of a sensitive value
		// sensitive too: replace(var.host, ".", "-") holds none of
		// var.host's text, which is how a value is found to hold one.
		s.inst.l.addSecrets(v)
	}
	return v
}

// holdsSensitive reports whether v, or a value it holds, is marked
// sensitive.
func holdsSensitive(v *val) bool {
	return v.org.Sensitive || slices.ContainsFunc(v.list, holdsSensitive) || slices.ContainsFunc(v.fields, holdsSensitive)
}

// evalArgs evaluates the arguments of the call e into fc.args, the
// elements of an expanded last one (f(a, list...)) in its place. It
// returns the value of the call when an argument fails or is not known,
// and nil when the function is to be evaluated.
func (fc *tfCall) evalArgs(e *hclsyntax.FunctionCallExpr) *val {
	args := make([]*val, 0, len(e.Args))
	for _, a := range e.Args {
		args = append(args, fc.s.eval(a))
	}
	for _, a := range args {
		if f, _ := a.scan(); f != nil {
			return fc.unknown("an argument of " + e.Name + " fails: " + f.why).because(f)
		}
	}
	if e.ExpandFinal && len(args) > 0 {
		// f(a, list...) passes the list's elements as arguments.
		last := args[len(args)-1]
		switch last.kind {
		case vList:
			args = append(args[:len(args)-1:len(args)-1], last.list...)
		case vUnknown:
			return fc.unknown("the expanded argument of " + e.Name + " is not known: " + last.why)
		default:
			return fc.fail("the expanded argument of " + e.Name + " is " + last.kind.describe() + ", not a list")
		}
	}
	for _, a := range args {
		if a.kind == vUnknown {
			return fc.unknown("an argument of " + e.Name + " is not known: " + a.why)
		}
	}
	fc.args = args
	return nil
}

// format evaluates format as cty's FormatFunc does, every verb included
// (Terraform's %s, %d, %q, %v, %t, %f, ... with their flags, widths and
// precisions, and explicit argument indexes such as %[2]s), a value of the
// wrong type for its verb or too few arguments failing as in Terraform.
// A spec whose widths and precisions add up past maxFormatPadding is not
// evaluated: its padding could make a string as long as the template
// likes.
func format(args []*val, pos Position, fail, unknown func(string) *val) *val {
	spec := args[0].s
	if formatPadding(spec) > maxFormatPadding {
		return unknown("format with widths and precisions past " + strconv.Itoa(maxFormatPadding) + " is not evaluated here")
	}
	if why := nullFormatted("format", args[1:]); why != "" {
		return unknown(why)
	}
	call := make([]cty.Value, len(args))
	call[0] = cty.StringVal(spec)
	for i, a := range args[1:] {
		c, ok := ctyOf(a)
		if _, u := a.scan(); u != nil || !ok {
			return unknown("a value format formats is not known")
		}
		call[i+1] = c
	}
	str, err := stdlib.FormatFunc.Call(call)
	switch {
	case err != nil:
		return fail("format: " + err.Error())
	case len(str.AsString()) > maxValueLen:
		return unknown("format makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
	}
	return &val{kind: vString, s: str.AsString(), org: Origin{Pos: pos}}
}

// formatList evaluates formatlist as cty's FormatListFunc does: the
// arguments after the format that are lists, sets or tuples, all of one
// length, are iterated together and the others repeated, and each
// iteration is cty's format of them, every verb included. An iteration
// with a value not known makes a string not known, as in Terraform. A
// spec whose widths and precisions add up past maxFormatPadding is not
// evaluated, as in format.
func (s *tfScope) formatList(args []*val, pos Position, fail, unknown func(string) *val) *val {
	if !args[0].isScalar() {
		return fail("formatlist takes a format string, not " + args[0].kind.describe())
	}
	spec, rest := scalarString(args[0]), args[1:]
	if formatPadding(spec) > maxFormatPadding {
		return unknown("formatlist with widths and precisions past " + strconv.Itoa(maxFormatPadding) + " is not evaluated here")
	}
	if why := nullFormatted("formatlist", rest); why != "" {
		return unknown(why)
	}
	n, v := formatListLength(rest, fail, unknown)
	if v != nil {
		return v
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
	call := make([]cty.Value, len(args))
	call[0] = cty.StringVal(spec)
iterations:
	for it := range n {
		if !s.inst.l.spendAt(pos) {
			return unknown("too many strings to evaluate")
		}
		for i, a := range rest {
			if a.kind == vList {
				a = a.list[it]
			}
			c, ok := ctyOf(a)
			if _, u := a.scan(); u != nil || !ok {
				out.list = append(out.list, unknown("a value formatlist formats is not known"))
				continue iterations
			}
			call[i+1] = c
		}
		str, err := stdlib.FormatFunc.Call(call)
		switch {
		case err != nil:
			return fail("error on format iteration " + strconv.Itoa(it) + ": " + err.Error())
		case len(str.AsString()) > maxValueLen:
			return unknown("formatlist makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
		case !s.inst.l.build(pos, len(str.AsString())):
			return unknown("too many strings to evaluate")
		}
		out.list = append(out.list, &val{kind: vString, s: str.AsString(), org: Origin{Pos: pos}})
	}
	return out
}

// formatListLength returns how many strings formatlist makes of the
// arguments args after its format: the length of those that are lists,
// sets or tuples, which must all have one, or 1 when none is. v is the
// value of the call instead when they have not, or when one is a set
// holding a value not known.
func formatListLength(args []*val, fail, unknown func(string) *val) (n int, v *val) {
	n, chooser := -1, -1
	for i, a := range args {
		if a.kind != vList {
			continue
		}
		if unorderedSet(a) {
			// cty's FormatListFunc: a set holding a value not known
			// has a length not known, and so has the list it makes.
			return 0, unknown("formatlist iterates a set holding a value not known, whose order and length are not known")
		}
		switch {
		case n == -1:
			n, chooser = len(a.list), i
		case len(a.list) != n:
			return 0, fail(fmt.Sprintf("argument %d has length %d, which is inconsistent with argument %d of length %d",
				i+1, len(a.list), chooser+1, n))
		}
	}
	if n == -1 {
		n = 1 // no list: one string, as format makes
	}
	return n, nil
}

// nullFormatted says why the call of format or formatlist (name) with
// the arguments args after its format is not known when one is a null of
// no type, or "" when none is. Terraform 1.11 gives a value not known (it
// plans "known after apply" and no apply makes it known) for a null of no
// type, as written (format("%v", null), or an element of [null]...):
// cty answers so for an argument of no type to a parameter that does not
// take one. A null of a type (tostring(null), a variable of type string)
// is cty's FormatFunc's to format: %v writes "null" and any other verb
// fails.
func nullFormatted(name string, args []*val) string {
	for _, a := range args {
		if a.kind == vNull && a.nullType == cty.NilType {
			return "an argument of " + name + " is null, of no type, which Terraform formats as a value not known"
		}
	}
	return ""
}

// maxFormatPadding bounds the widths and precisions of a format spec
// that format and formatlist evaluate: a longer origin is no use, and
// Go's fmt would write "%1000000000s" out whole.
const maxFormatPadding = 1 << 16

// formatPadding returns the sum of the widths and precisions of the verbs
// of a format spec (the digits between a % and its verb's letter, outside
// an argument index such as %[2]s), or maxFormatPadding+1 when it is
// larger: the most by which the strings the spec makes can be longer than
// its arguments and text, as cty's FormatFunc, which Terraform's format
// is, pads and cuts them with Go's fmt.
func formatPadding(spec string) int {
	total := 0
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			continue
		}
		n := 0
		for i++; i < len(spec) && spec[i] != '%' && !('a' <= spec[i] && spec[i] <= 'z' || 'A' <= spec[i] && spec[i] <= 'Z'); i++ {
			switch c := spec[i]; {
			case c == '[':
				for i < len(spec) && spec[i] != ']' {
					i++
				}
			case '0' <= c && c <= '9':
				n = min(n*10+int(c-'0'), maxFormatPadding+1)
			default:
				total, n = min(total+n, maxFormatPadding+1), 0
			}
		}
		total = min(total+n, maxFormatPadding+1)
	}
	return total
}

// distinct evaluates distinct as cty's DistinctFunc does: its argument
// becomes a list of one type (a tuple's scalars strings when one is a
// string, its lists lists of one type), and each value is kept where it
// is first found, a list or a map as a whole. It waits for
// the whole list to be known, as cty does.
func distinct(a *val, pos Position, fail, unknown func(string) *val) *val {
	if a.kind != vList {
		return fail("distinct takes a list, not " + a.kind.describe())
	}
	if _, u := a.scan(); u != nil {
		return unknown("an element of the list of distinct is not known: " + u.why)
	}
	l, why := unifyKinds(a)
	if why != "" {
		return fail("distinct: " + why)
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
	seen := map[string]bool{}
	for _, x := range l.list {
		key, ok := distinctKey(x)
		if !ok {
			return unknown("distinct of a list of " + x.kind.describe() + " is not evaluated here")
		}
		if !seen[key] {
			seen[key] = true
			out.list = append(out.list, x)
		}
	}
	return out
}

// distinctKey returns the text by which distinct tells x, an element of a
// list unifyKinds gave one type, from the others, and whether it could:
// a scalar's string, a collection's JSON, so that two collections are one
// when cty's Equals finds them equal (["a"] and ["a"], [1] and ["1"] once
// unified, toset(["b", "a"]) and toset(["a", "b"]); not ["b", "a"] and
// ["a", "b"]), as terraform console 1.11.4 does.
func distinctKey(x *val) (string, bool) {
	if x.isScalar() {
		return scalarString(x), true
	}
	c, ok := ctyOf(x)
	if !ok || !c.IsWhollyKnown() {
		return "", false
	}
	j, err := ctyjson.Marshal(c, c.Type())
	return string(j), err == nil
}

// sortStrings returns the strings of the list a in lexical order, as cty's
// SortFunc does: its numbers and booleans as strings (sort([3, 10, 2]) is
// ["10", "2", "3"]), a null or a collection refused.
func sortStrings(a *val, pos Position, fail, unknown func(string) *val) *val {
	if a.kind != vList {
		return fail("sort takes a list of strings, not " + a.kind.describe())
	}
	if _, u := a.scan(); u != nil {
		return unknown("an element of the list of sort is not known: " + u.why)
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
	for i, x := range a.list {
		switch {
		case x.kind == vNull:
			return fail("given list element " + strconv.Itoa(i) + " is null; a null string cannot be sorted")
		case !x.isScalar():
			return fail("sort takes a list of strings; element " + strconv.Itoa(i) + " is " + x.kind.describe())
		}
		c := *x
		c.kind, c.s = vString, scalarString(x)
		out.list = append(out.list, &c)
	}
	slices.SortStableFunc(out.list, func(x, y *val) int { return strings.Compare(x.s, y.s) })
	return out
}

// unorderedSet reports whether v is a set holding a value not known, in
// whole or in part, whose elements are in no known order: Terraform
// orders a set's elements by their values, and a value not known here,
// which Terraform may know, could come anywhere among them.
func unorderedSet(v *val) bool {
	if !v.set {
		return false
	}
	_, u := v.scan()
	return u != nil
}

// maxNumberExp bounds the binary exponent of a number evaluated, some
// 4,900 decimal digits: Terraform writes a number as a string with every
// digit (1e10000000 as ten million of them), which takes minutes.
const maxNumberExp = 1 << 14

// numberText returns the number f as Terraform writes it, every digit
// in decimal, or false when it has more digits than maxNumberExp allows.
func numberText(f *big.Float) (string, bool) {
	if e := f.MantExp(nil); e > maxNumberExp || e < -maxNumberExp {
		return "", false
	}
	return f.Text('f', -1), true
}

// tooManyDigits says why a number numberText refuses is not evaluated.
const tooManyDigits = "a number of more than 4,900 digits is not evaluated here"

// tfIndex returns the index the number v gives, or why it gives none: it
// must be a whole number, zero or more (Terraform 1.11 fails on a
// negative one).
func tfIndex(v *val) (int, string) {
	n, why := tfNumber(v)
	if why != "" {
		return 0, why
	}
	i, acc := n.Int64()
	switch {
	case acc != big.Exact:
		return 0, "invalid index: value must be a whole number"
	case i < 0:
		return 0, "invalid index: value must not be negative"
	case int64(int(i)) != i:
		return 0, "invalid index: value is too large"
	}
	return int(i), ""
}

// flattenInto appends the elements of the list l to out, those of a list
// among them in its place, as cty's FlattenFunc does; a map or a null is
// an element.
func flattenInto(out, l *val) {
	for _, x := range l.list {
		if x.kind == vList {
			flattenInto(out, x)
		} else {
			out.list = append(out.list, x)
		}
	}
}

// unifyKinds returns the list or map v with its elements of one type,
// as cty converts a tuple or an object to a list, a set or a map: scalars
// of several kinds become strings when one is a string (tolist(["a", 1])
// is ["a", "1"]), and a number and a boolean have no type in common, nor
// a scalar and a collection (why says so); collections are unified by
// cty itself (unifyCollections). Elements that are null or not known are
// left as they are.
func unifyKinds(v *val) (*val, string) {
	parts := v.list
	if v.kind == vMap {
		parts = v.fields
	}
	kinds := map[valKind]bool{}
	for _, x := range parts {
		switch {
		case x.isScalar():
			kinds[x.kind] = true
		case x.kind == vList || x.kind == vMap:
			kinds[vList] = true
		}
	}
	switch {
	case len(kinds) == 1 && kinds[vList]:
		return unifyCollections(v)
	case len(kinds) < 2:
		return v, ""
	case kinds[vList]:
		return v, "the elements have no type in common"
	case !kinds[vString]:
		return v, "a number and a boolean have no type in common"
	}
	out := *v
	conv := make([]*val, len(parts))
	for i, x := range parts {
		conv[i] = x
		if x.isScalar() && x.kind != vString {
			c := *x
			c.kind, c.s = vString, scalarString(x)
			conv[i] = &c
		}
	}
	if v.kind == vMap {
		out.fields = conv
	} else {
		out.list = conv
	}
	return &out, ""
}

// unifyCollections returns the list or map v, whose elements are
// collections or null, with its elements of one type, as cty converts it
// to a list or a map of any type: tolist([["a"], [1]]) is [["a"], ["1"]],
// and tolist([["a"], ["b", ["c"]]]) or tolist([null, ["a"]]) fail (why
// says so), as in Terraform 1.11.4. A v with a part not known is left as
// it is.
func unifyCollections(v *val) (*val, string) {
	c, ok := ctyOf(v)
	if !ok {
		return v, ""
	}
	to := cty.List(cty.DynamicPseudoType)
	if v.kind == vMap {
		to = cty.Map(cty.DynamicPseudoType)
	}
	conv, err := convert.Convert(c, to)
	if err != nil {
		return v, "the elements have no type in common"
	}
	return unified(v, conv), ""
}

// setField sets the field k of the map v to f, in place of one already
// there, as merge and jsondecode keep the last value of a key; at maps
// each key of v to its index.
func (v *val) setField(at map[string]int, k string, f *val) {
	if j, ok := at[k]; ok {
		v.fields[j] = f
		return
	}
	at[k] = len(v.keys)
	v.keys = append(v.keys, k)
	v.fields = append(v.fields, f)
}

// scalarString returns a scalar as Terraform converts it to a string: a
// number in its shortest decimal form.
func scalarString(v *val) string {
	if v.kind == vNumber {
		if n, err := convert.Convert(cty.StringVal(v.s), cty.Number); err == nil {
			return n.AsBigFloat().Text('f', -1)
		}
	}
	return v.s
}

// try evaluates try(a, b, ...) and can(a) as HCL's tryfunc does: try's
// value is that of the first argument that does not fail, can is whether
// its argument does not fail. An argument that is not known, in whole or
// in part, makes them not known: Terraform would answer unknown for a
// value known only after apply, and a value this package does not
// evaluate might be a value or an error. Only the definite failures of
// val.err are passed over.
func (s *tfScope) try(e *hclsyntax.FunctionCallExpr, pos Position, unknown func(string) *val) *val {
	if e.ExpandFinal || len(e.Args) == 0 || e.Name == "can" && len(e.Args) != 1 {
		return unknown("a call to function " + e.Name + " with these arguments, which is not evaluated here")
	}
	var last *val
	for _, a := range e.Args {
		v := s.eval(a)
		f, u := v.scan()
		switch {
		case f != nil:
			last = f
			continue
		case u != nil:
			return unknown("whether " + exprText(s.inst.l, a) + " fails is not known: " + u.why)
		case e.Name == "can":
			return &val{kind: vBool, s: "true", org: Origin{Pos: pos}}
		}
		return v
	}
	if e.Name == "can" {
		return &val{kind: vBool, s: "false", org: Origin{Pos: pos}}
	}
	v := unknown("no argument of try succeeds: " + last.why)
	v.err = true
	return v
}

// coalesce returns the first argument that is not null, nor an empty
// string when the arguments are scalars, as Terraform's coalesce: it
// converts the arguments to one type first, scalars of several kinds to
// strings when one is a string; a number and a boolean alone have no type
// in common (coalesce(1, true) fails), nor have a list and a string. A
// null of a type (tostring(null), a variable of a type constraint) takes
// part as a value of its type; a null of no type, as written, makes
// arguments with no type in common answer the first other argument as
// it is, an empty string included (coalesce(null, "", ["a"]) is "").
func coalesce(args []*val, fail func(string) *val) *val {
	var kind valKind
	mixed, scalars, strs, untyped := false, true, false, false
	for _, a := range args {
		k := a.kind
		if k == vNull {
			if k = kindOfType(a.nullType); k == vNull {
				untyped = true
				continue
			}
		}
		if kind != vNull && k != kind {
			mixed = true
		}
		kind = k
		scalars = scalars && (k == vString || k == vNumber || k == vBool)
		strs = strs || k == vString
	}
	unconverted := mixed && (!scalars || !strs)
	if unconverted && !untyped {
		return fail("the arguments of coalesce have no type in common")
	}
	for _, a := range args {
		switch {
		case a.kind == vNull:
			continue
		case unconverted:
			return a
		case mixed:
			if str := scalarString(a); str != "" {
				v := *a
				v.kind, v.s = vString, str
				return &v
			}
			continue
		case a.kind == vString && a.s == "":
			continue
		}
		return a
	}
	return fail("no argument of coalesce is neither null nor an empty string")
}

// kindOfType returns the kind of the values of type ty: vNull for none
// (cty.NilType, a null of no type) or any (cty.DynamicPseudoType).
func kindOfType(ty cty.Type) valKind {
	switch {
	case ty == cty.String:
		return vString
	case ty == cty.Number:
		return vNumber
	case ty == cty.Bool:
		return vBool
	case ty.IsListType(), ty.IsSetType(), ty.IsTupleType():
		return vList
	case ty.IsMapType(), ty.IsObjectType():
		return vMap
	}
	return vNull
}

// jsonDecode decodes the JSON text of the string v, as Terraform's
// jsondecode does. Every value it holds is located where the string is,
// as the JSON text has no positions in the files, unless the string is
// the whole text of a file that file read: then each value is located
// where it is written in that file, as a value of a .tfvars file is.
func (l *loader) jsonDecode(v *val, pos Position, fail func(string) *val) *val {
	// This package's parser gives the values, and bounds the nesting
	// first: cty's recurses once a level, without bound. Then cty's
	// decoding, which jsondecode is, says what it refuses, but for a
	// member written twice with values of two types, which the go-cty
	// this module requires refuses and Terraform 1.11.4's does not:
	// terraform console gives the last value (of {"o": 1, "o": "x"},
	// "x") and fails only when an earlier one does not convert to its
	// type ({"o": [1], "o": {}}: "missing expected {"). Such an object is
	// not judged.
	name, inFile := "jsondecode", false
	if r, ok := l.files[v.file]; ok && v.file != "" && v.kind == vString && v.s == r.content {
		// A function that gives a string of its own keeps file when
		// it copies v: the text must still be the file's.
		name, inFile = v.file, true
	}
	doc, err := parseJSON(newSource(name, []byte(v.s)))
	if pe, ok := err.(*ParseError); ok && strings.Contains(pe.Msg, "levels deep") {
		return unknownVal(pos, "", "jsondecode: the JSON "+strings.TrimPrefix(pe.Msg, "JSON: "))
	}
	if _, ctyErr := ctyjson.ImpliedType([]byte(v.s)); ctyErr != nil {
		if strings.HasPrefix(ctyErr.Error(), "duplicate ") {
			return unknownVal(pos, "", "jsondecode of an object with a member written twice is not evaluated here")
		}
		return fail("jsondecode: " + ctyErr.Error())
	}
	if err != nil {
		return unknownVal(pos, "", "jsondecode: "+err.Error())
	}
	out := inKeyOrderDeep(jsonVal(doc, v.org, inFile, pos))
	if !l.spendN(pos, out.count()) {
		return unknownVal(pos, "", "too much to evaluate")
	}
	return out
}

// jsonVal returns the value of the JSON node n that jsondecode gives, each
// value located at org, or where it is written when inFile; a number of
// more digits than numberText writes is not known at pos.
func jsonVal(n *node, org Origin, inFile bool, pos Position) *val {
	out := &val{org: org}
	if inFile {
		out.org.Pos = n.pos()
	}
	switch n.kind {
	case nNull:
		out.kind = vNull
	case nBool:
		out.kind, out.s = vBool, n.text
	case nNumber:
		out.kind, out.s = vNumber, n.text
		if f, _, err := big.ParseFloat(n.text, 10, 64, big.ToNearestEven); err == nil {
			if _, ok := numberText(f); !ok {
				return unknownVal(pos, "", "jsondecode: "+tooManyDigits)
			}
		}
	case nString:
		out.kind, out.s = vString, n.text
	case nSeq:
		out.kind = vList
		for _, e := range n.items {
			out.list = append(out.list, jsonVal(e, org, inFile, pos))
		}
	case nMap:
		out.kind = vMap
		at := make(map[string]int, len(n.keys))
		for i, k := range n.keys {
			// cty keeps the last of members of one name (of one
			// type; ImpliedType refused others).
			out.setField(at, k.text, jsonVal(n.items[i], org, inFile, pos))
		}
	}
	return out
}
