package iac

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

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
	equality := e.Op == hclsyntax.OpEqual || e.Op == hclsyntax.OpNotEqual
	if equality && (a.kind == vNull || b.kind == vNull) && a.kind != vUnknown && b.kind != vUnknown {
		// cty's Equals: a null equals a null of any type and nothing
		// else, a list holding values not known included; var.x == null
		// is how a module tells an optional variable left out.
		r := (a.kind == vNull && b.kind == vNull) == (e.Op == hclsyntax.OpEqual)
		return &val{kind: vBool, s: strconv.FormatBool(r), org: Origin{Pos: a.org.Pos}}
	}
	if !a.isScalar() || !b.isScalar() {
		switch {
		case a.kind == vUnknown:
			return unknown(a.why)
		case b.kind == vUnknown:
			return unknown(b.why)
		}
		if equality {
			return unknown("comparing " + a.kind.describe() + " with " + b.kind.describe() + " is not evaluated here")
		}
		return unknown("the operator is not evaluated here for " + a.kind.describe() + " and " + b.kind.describe())
	}
	var r bool
	switch e.Op {
	case hclsyntax.OpEqual, hclsyntax.OpNotEqual:
		r = sameScalar(a, b) == (e.Op == hclsyntax.OpEqual)
	case hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr:
		x, okX := tfBool(a)
		y, okY := tfBool(b)
		if !okX || !okY {
			v := unknown("an operand of " + map[bool]string{true: "&&", false: "||"}[e.Op == hclsyntax.OpLogicalAnd] + " is not a boolean")
			v.err = true
			return v
		}
		if e.Op == hclsyntax.OpLogicalAnd {
			r = x && y
		} else {
			r = x || y
		}
	case hclsyntax.OpGreaterThan, hclsyntax.OpGreaterThanOrEqual, hclsyntax.OpLessThan, hclsyntax.OpLessThanOrEqual:
		// Terraform compares numbers, and strings that convert to
		// numbers; anything else is its error.
		x, errX := tfNumber(a)
		y, errY := tfNumber(b)
		if errX != "" || errY != "" {
			v := unknown(errX + errY)
			v.err = true
			return v
		}
		c := x.Cmp(y)
		switch e.Op {
		case hclsyntax.OpGreaterThan:
			r = c > 0
		case hclsyntax.OpGreaterThanOrEqual:
			r = c >= 0
		case hclsyntax.OpLessThan:
			r = c < 0
		default:
			r = c <= 0
		}
	default:
		return unknown("arithmetic is not evaluated here")
	}
	return &val{kind: vBool, s: strconv.FormatBool(r), org: Origin{Pos: a.org.Pos}}
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
// positions (tolist,
// toset, tomap, lookup, concat, merge, coalesce, compact, try, split,
// jsondecode), and a few that CORS configurations use around them
// (length, can, tostring, tonumber, distinct, flatten, and lower,
// upper, trimspace, trimprefix, trimsuffix, format of "%s" and
// formatlist, which make an origin from a domain). Any other call is not
// evaluated.
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
	fail := func(why string) *val {
		v := unknown(why)
		v.err = true
		return v
	}
	args := make([]*val, 0, len(e.Args))
	for _, a := range e.Args {
		args = append(args, s.eval(a))
	}
	for _, a := range args {
		if f, _ := a.scan(); f != nil {
			return unknown("an argument of " + e.Name + " fails: " + f.why).because(f)
		}
	}
	if e.ExpandFinal && len(args) > 0 {
		// f(a, list...) passes the list's elements as arguments.
		last := args[len(args)-1]
		switch last.kind {
		case vList:
			args = append(args[:len(args)-1:len(args)-1], last.list...)
		case vUnknown:
			return unknown("the expanded argument of " + e.Name + " is not known: " + last.why)
		default:
			return fail("the expanded argument of " + e.Name + " is " + last.kind.describe() + ", not a list")
		}
	}
	for _, a := range args {
		if a.kind == vUnknown {
			return unknown("an argument of " + e.Name + " is not known: " + a.why)
		}
	}
	switch {
	case (e.Name == "tolist" || e.Name == "toset" || e.Name == "tomap") && len(args) == 1:
		v := args[0]
		switch want := map[bool]valKind{true: vMap, false: vList}[e.Name == "tomap"]; {
		case v.kind == vNull:
			return v
		case v.kind != want:
			return fail(e.Name + " takes " + want.describe() + ", not " + v.kind.describe())
		}
		v, why := unifyScalars(v)
		if why != "" {
			return fail(e.Name + ": " + why)
		}
		switch {
		case e.Name == "toset" && v.kind == vList:
			return toSet(v, cty.DynamicPseudoType)
		case e.Name == "tolist":
			if unorderedSet(v) {
				return unknown("the order of a set holding a value not known is not known")
			}
			// A list's elements have indices for keys again.
			l := *v
			l.set, l.tuple, l.typedList = false, false, true
			return &l
		case e.Name == "tomap":
			if c, ok := ctyOf(v); ok {
				if conv, err := convert.Convert(c, cty.Map(cty.DynamicPseudoType)); err == nil {
					m := *v
					m.elem = conv.Type().ElementType()
					return &m
				}
			}
		}
		return v
	case e.Name == "lookup" && (len(args) == 2 || len(args) == 3):
		if args[0].kind != vMap || !args[1].isScalar() {
			return fail("lookup takes an object and a key")
		}
		f := args[0].field(args[1].s)
		if len(args) == 3 && args[0].elem != cty.NilType {
			// A map's default takes the type of its elements
			// (stdlib's LookupFunc: "the default value must have the
			// same type as the map elements"), which is checked
			// whether or not the key is there.
			c, ok := ctyOf(args[2])
			switch {
			case !ok && f != nil:
				return f
			case !ok:
				return unknown("the default of lookup is not known")
			}
			conv, err := convert.Convert(c, args[0].elem)
			switch {
			case err != nil:
				return fail("the default value must have the same type as the map elements")
			case f != nil:
				return f
			case conv.Type().IsPrimitiveType():
				return ctyVal(conv, args[2].org)
			}
			return unified(args[2], conv)
		}
		if f != nil {
			return f
		}
		if len(args) == 3 {
			return args[2]
		}
		return fail("the object has no key " + strconv.Quote(args[1].s))
	case e.Name == "concat":
		if len(args) == 0 {
			return fail("concat takes at least one list")
		}
		out := &val{kind: vList, org: Origin{Pos: pos}}
		for _, a := range args {
			switch {
			case a.set:
				// cty's ConcatFunc: "all arguments must be lists or
				// tuples"; tolist gives a set's elements as a list.
				return fail("concat takes lists, not a set")
			case a.kind != vList:
				return fail("concat takes lists, not " + a.kind.describe())
			}
			out.list = append(out.list, a.list...)
		}
		return out
	case e.Name == "merge":
		out := &val{kind: vMap, org: Origin{Pos: pos}}
		at := map[string]int{} // where each key is in out
		// Maps all of one type merge into a map of it, anything else
		// into an object (cty's MergeFunc); a null is taken as a null
		// literal, of no type, which makes an object.
		elem := cty.NilType
		for i, a := range args {
			if a.elem == cty.NilType || i > 0 && !a.elem.Equals(elem) {
				elem = cty.NilType
				break
			}
			elem = a.elem
		}
		out.elem = elem
		for _, a := range args {
			switch a.kind {
			case vNull:
				continue // cty's MergeFunc passes over null arguments
			case vMap:
			default:
				// cty's MergeFunc: "arguments must be maps or
				// objects", Terraform's error, which try skips.
				return fail("merge takes maps or objects, not " + a.kind.describe())
			}
			for i, k := range a.keys {
				out.setField(at, k, a.fields[i])
			}
		}
		return inKeyOrder(out)
	case e.Name == "coalesce":
		return coalesce(args, fail)
	case e.Name == "length" && len(args) == 1:
		v, n := args[0], 0
		switch v.kind {
		case vList:
			for _, x := range v.list {
				if x.kind == vUnknown {
					// A set of values not known may hold fewer: it is
					// not told from a list here.
					return unknown("the list holds values not known: " + x.why)
				}
			}
			n = len(v.list)
		case vMap:
			n = len(v.keys)
		case vString:
			// Terraform counts a string's grapheme clusters.
			c, err := stdlib.Strlen(cty.StringVal(v.s))
			if err != nil {
				return fail(err.Error())
			}
			n64, _ := c.AsBigFloat().Int64()
			n = int(n64)
		default:
			return fail("length takes a list, a map or a string, not " + v.kind.describe())
		}
		return &val{kind: vNumber, s: strconv.Itoa(n), org: Origin{Pos: pos}}
	case e.Name == "compact" && len(args) == 1:
		// cty's CompactFunc takes list(string): a list, a tuple or a
		// set whose elements convert to strings; it leaves out empty
		// strings and nulls, and waits for elements not known.
		if args[0].kind != vList {
			return fail("compact takes a list of strings, not " + args[0].kind.describe())
		}
		out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
		for _, x := range args[0].list {
			switch {
			case x.kind == vUnknown:
				return unknown("an element of the list of compact is not known: " + x.why)
			case x.kind == vNull:
				continue
			case !x.isScalar():
				return fail("compact takes a list of strings, not of " + x.kind.describe())
			}
			if str := scalarString(x); str != "" {
				c := *x
				c.kind, c.s = vString, str
				out.list = append(out.list, &c)
			}
		}
		return out
	case e.Name == "split" && len(args) == 2:
		// cty's SplitFunc: strings.Split of two strings, so "" gives
		// one empty part; each part is located at the string.
		for _, a := range args {
			if !a.isScalar() {
				return fail("split takes two strings, not " + a.kind.describe())
			}
		}
		out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
		for part := range strings.SplitSeq(scalarString(args[1]), scalarString(args[0])) {
			if !s.inst.l.spendAt(pos) {
				return unknown("too many parts to evaluate")
			}
			out.list = append(out.list, &val{kind: vString, s: part, org: args[1].org})
		}
		return out
	case stringFuncs[e.Name] != nil && len(args) == stringFuncs[e.Name].args:
		// cty's string functions: parameters of type string, which a
		// number or a boolean converts to; a null or a collection is
		// refused ("argument must not be null").
		strs := make([]string, len(args))
		for i, a := range args {
			if !a.isScalar() {
				return fail(e.Name + " takes strings, not " + a.kind.describe())
			}
			strs[i] = scalarString(a)
		}
		return &val{kind: vString, s: stringFuncs[e.Name].f(strs), org: Origin{Pos: pos}}
	case e.Name == "format" && len(args) > 0 && args[0].kind == vString:
		return format(args, pos, fail, unknown)
	case e.Name == "formatlist" && len(args) > 0:
		return s.formatList(args, pos, fail, unknown)
	case e.Name == "distinct" && len(args) == 1:
		return distinct(args[0], pos, fail, unknown)
	case e.Name == "flatten" && len(args) == 1:
		if args[0].kind != vList {
			return fail("can only flatten lists, sets and tuples")
		}
		if _, u := args[0].scan(); u != nil {
			// An element not known may be a list, whose elements
			// would be spliced in.
			return unknown("an element of the list of flatten is not known: " + u.why)
		}
		out := &val{kind: vList, org: Origin{Pos: pos}}
		flattenInto(out, args[0])
		return out
	case e.Name == "sort" && len(args) == 1:
		return sortStrings(args[0], pos, fail, unknown)
	case e.Name == "setunion" && len(args) > 0:
		all := &val{kind: vList}
		for _, a := range args {
			if a.kind != vList {
				return fail("setunion takes sets, not " + a.kind.describe())
			}
			// Each argument becomes a set on its own first (cty's
			// parameters are sets): setunion([1, true], ["x"]) fails,
			// "all set elements must have the same type".
			if _, why := unifyScalars(a); why != "" {
				return fail("setunion: " + why)
			}
			all.list = append(all.list, a.list...)
		}
		if _, u := all.scan(); u != nil {
			return unknown("an element of the sets of setunion is not known: " + u.why)
		}
		all, why := unifyScalars(all)
		if why != "" {
			return fail("setunion: " + why)
		}
		set := toSet(all, cty.DynamicPseudoType)
		set.org = Origin{Pos: pos}
		return set
	case (e.Name == "keys" || e.Name == "values") && len(args) == 1:
		m := args[0]
		if m.kind != vMap {
			return fail(e.Name + " takes a map or an object, not " + m.kind.describe())
		}
		// A map's keys and an object's attributes are in lexical order.
		order := make([]int, len(m.keys))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(m.keys[a], m.keys[b]) })
		out := &val{kind: vList, org: Origin{Pos: pos}}
		for _, i := range order {
			if e.Name == "keys" {
				out.list = append(out.list, &val{kind: vString, s: m.keys[i], org: Origin{Pos: pos}})
			} else {
				out.list = append(out.list, m.fields[i])
			}
		}
		return out
	case e.Name == "reverse" && len(args) == 1:
		if args[0].kind != vList {
			return fail("reverse takes a list, not " + args[0].kind.describe())
		}
		if unorderedSet(args[0]) {
			return unknown("the order of a set holding a value not known is not known")
		}
		// A set's elements in reverse of its order, as a list.
		out := &val{kind: vList, org: Origin{Pos: pos}, tuple: args[0].tuple, typedList: !args[0].tuple}
		out.list = slices.Clone(args[0].list)
		slices.Reverse(out.list)
		return out
	case e.Name == "contains" && len(args) == 2:
		l, x := args[0], args[1]
		switch {
		case l.kind != vList:
			return fail("contains takes a list, a tuple or a set, not " + l.kind.describe())
		case x.kind == vNull:
			return fail("the value contains looks for must not be null")
		case !x.isScalar():
			return unknown("contains of a value that is " + x.kind.describe() + " is not evaluated here")
		}
		found, why := false, ""
		for _, y := range l.list {
			switch {
			case y.kind == vUnknown:
				why = y.why
			case sameScalar(x, y):
				found = true
			}
		}
		if !found && why != "" {
			return unknown("an element of the list of contains is not known: " + why)
		}
		return &val{kind: vBool, s: strconv.FormatBool(found), org: Origin{Pos: pos}}
	case e.Name == "coalescelist":
		if len(args) == 0 {
			return fail("coalescelist takes at least one list")
		}
		// cty's CoalesceListFunc checks every argument before it
		// picks one: coalescelist(["a"], 1) fails.
		for _, a := range args {
			if a.kind != vList || a.set {
				return fail("coalescelist arguments must be lists or tuples")
			}
		}
		for _, a := range args {
			if len(a.list) > 0 {
				return a
			}
		}
		return fail("coalescelist: no non-null arguments")
	case e.Name == "join" && len(args) > 0:
		if !args[0].isScalar() || args[0].kind == vNull {
			return fail("the separator of join must be a string")
		}
		if len(args) == 1 {
			return fail("join takes at least one list")
		}
		var parts []string
		size := 0
		for _, l := range args[1:] {
			if l.kind != vList {
				return fail("join takes lists of strings, not " + l.kind.describe())
			}
			for i, x := range l.list {
				switch {
				case x.kind == vUnknown:
					return unknown("an element of the lists of join is not known: " + x.why)
				case x.kind == vNull:
					return fail("element " + strconv.Itoa(i) + " is null; cannot concatenate null values")
				case !x.isScalar():
					return fail("join takes lists of strings; element " + strconv.Itoa(i) + " is " + x.kind.describe())
				}
				parts = append(parts, scalarString(x))
				if size += len(parts[len(parts)-1]) + len(args[0].s); size > maxValueLen {
					return unknown("join makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
				}
			}
		}
		return &val{kind: vString, s: strings.Join(parts, scalarString(args[0])), org: Origin{Pos: pos}}
	case e.Name == "element" && len(args) == 2:
		l := args[0]
		switch {
		case l.kind != vList || l.set:
			return fail("element takes a list or a tuple, not " + map[bool]string{true: "a set", false: l.kind.describe()}[l.set])
		case len(l.list) == 0:
			return fail("cannot use element function with an empty list")
		}
		n, why := tfNumber(args[1])
		if why != "" {
			return fail("element: " + why)
		}
		i, acc := n.Int64()
		if acc != big.Exact {
			return fail("invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807")
		}
		size := int64(len(l.list))
		switch r := i % size; {
		case r >= 0:
			return l.list[r]
		case l.typedList && !l.tuple:
			// cty's ElementFunc counts a list's negative index from
			// its end, around and around: element(tolist(["x", "y",
			// "z"]), -4) is "z".
			return l.list[r+size]
		case l.tuple && !l.typedList:
			// A tuple's is Go's remainder, which indexes its elements:
			// element(["x", "y", "z"], -3) is "x", and -1 fails.
			return fail("panic in function implementation: runtime error: index out of range [" + strconv.FormatInt(r, 10) + "]")
		}
		return unknown("element of a negative index is not evaluated here for a list that may be a list or a tuple, which Terraform counts otherwise")
	case e.Name == "slice" && len(args) == 3:
		l := args[0]
		if l.kind != vList || l.set {
			return fail("slice takes a list or a tuple, not " + map[bool]string{true: "a set", false: l.kind.describe()}[l.set])
		}
		start, why := tfIndex(args[1])
		if why != "" {
			return fail("slice: " + why)
		}
		end, why := tfIndex(args[2])
		switch {
		case why != "":
			return fail("slice: " + why)
		case start > end:
			return fail("start index must not be greater than end index")
		case end > len(l.list):
			return fail("end index must not be greater than the length of the list")
		}
		return &val{kind: vList, list: l.list[start:end:end], org: Origin{Pos: pos}, tuple: l.tuple, typedList: l.typedList}
	case (e.Name == "startswith" || e.Name == "endswith") && len(args) == 2:
		for _, a := range args {
			if !a.isScalar() || a.kind == vNull {
				return fail(e.Name + " takes strings, not " + a.kind.describe())
			}
		}
		has := strings.HasPrefix
		if e.Name == "endswith" {
			has = strings.HasSuffix
		}
		return &val{kind: vBool, s: strconv.FormatBool(has(scalarString(args[0]), scalarString(args[1]))), org: Origin{Pos: pos}}
	case e.Name == "replace" && len(args) == 3:
		for _, a := range args {
			if !a.isScalar() || a.kind == vNull {
				return fail("replace takes strings, not " + a.kind.describe())
			}
		}
		str, sub, repl := scalarString(args[0]), scalarString(args[1]), scalarString(args[2])
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			// A regular expression: Terraform's is Go's regexp,
			// whose $1 and ${name} the replacement expands.
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return fail(err.Error())
			}
			// Each match may expand each $ of the replacement to as
			// much as the whole string.
			n := len(re.FindAllStringIndex(str, -1))
			if len(str)+n*(len(repl)+strings.Count(repl, "$")*len(str)) > maxValueLen {
				return unknown("replace makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
			}
			return &val{kind: vString, s: re.ReplaceAllString(str, repl), org: Origin{Pos: pos}}
		}
		if n := strings.Count(str, sub); len(str)+n*(len(repl)-len(sub)) > maxValueLen {
			return unknown("replace makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
		}
		return &val{kind: vString, s: strings.ReplaceAll(str, sub, repl), org: Origin{Pos: pos}}
	case (e.Name == "regex" || e.Name == "regexall") && len(args) == 2:
		// cty's RegexFunc and RegexAllFunc, which Terraform calls: a
		// string, a list of the groups, or an object of the named
		// groups, for the first match or each.
		call := make([]cty.Value, 2)
		for i, a := range args {
			c, ok := ctyOf(a)
			if !ok || !a.isScalar() || a.kind == vNull {
				return fail(e.Name + " takes strings, not " + a.kind.describe())
			}
			call[i] = c
		}
		f := stdlib.RegexFunc
		if e.Name == "regexall" {
			f = stdlib.RegexAllFunc
			// Each match is a value, and each of its groups another:
			// a match at each byte of a long string makes millions.
			if re, err := regexp.Compile(scalarString(args[0])); err == nil {
				n := len(re.FindAllStringIndex(scalarString(args[1]), maxSteps+1))
				if !s.inst.l.spendN(pos, n*(re.NumSubexp()+1)) {
					return unknown("too many matches to evaluate")
				}
			}
		}
		res, err := f.Call(call)
		if err != nil {
			return fail(e.Name + ": " + err.Error())
		}
		return ctyVal(res, Origin{Pos: pos})
	case e.Name == "file" && len(args) == 1:
		return s.inst.l.file(args[0], s.inst.mod.dir, pos, fail, unknown)
	case e.Name == "jsondecode" && len(args) == 1:
		if !args[0].isScalar() {
			return fail("jsondecode takes a string, not " + args[0].kind.describe())
		}
		return s.inst.l.jsonDecode(args[0], pos, fail)
	case e.Name == "tostring" && len(args) == 1:
		v := *args[0]
		switch v.kind {
		case vNull, vString:
		case vNumber, vBool:
			v.kind, v.s = vString, scalarString(args[0])
		default:
			return fail("tostring takes a string, a number or a boolean, not " + v.kind.describe())
		}
		return &v
	case e.Name == "tonumber" && len(args) == 1:
		v := *args[0]
		switch v.kind {
		case vNull, vNumber:
		case vString:
			n, why := tfNumber(args[0])
			if why != "" {
				return fail(why)
			}
			text, ok := numberText(n)
			if !ok {
				return unknown(tooManyDigits)
			}
			v.kind, v.s = vNumber, text
		default:
			return fail("tonumber takes a number or a string, not " + v.kind.describe())
		}
		return &v
	}
	return unknown("a call to function " + e.Name + ", which is not evaluated here")
}

// stringFuncs are the string functions evaluated, by name: how many
// arguments each takes, and what it gives, as cty's stdlib computes it.
var stringFuncs = map[string]*struct {
	args int
	f    func([]string) string
}{
	"lower":      {1, func(a []string) string { return strings.ToLower(a[0]) }},
	"upper":      {1, func(a []string) string { return strings.ToUpper(a[0]) }},
	"trimspace":  {1, func(a []string) string { return strings.TrimSpace(a[0]) }},
	"trimprefix": {2, func(a []string) string { return strings.TrimPrefix(a[0], a[1]) }},
	"trimsuffix": {2, func(a []string) string { return strings.TrimSuffix(a[0], a[1]) }},
}

// format evaluates format as cty's FormatFunc does, every verb included
// (Terraform's %s, %d, %q, %v, %t, %f, ... and explicit argument indexes
// such as %[2]s), a value of the wrong type for its verb or too few
// arguments failing as in Terraform. A verb with a width or a precision
// is not evaluated: its padding could make a string as long as the
// template likes.
func format(args []*val, pos Position, fail, unknown func(string) *val) *val {
	spec := args[0].s
	if padded(spec) {
		return unknown("format with a width or a precision is not evaluated here")
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
// verb with a width or a precision is not evaluated: its padding could
// make a string as long as the template likes.
func (s *tfScope) formatList(args []*val, pos Position, fail, unknown func(string) *val) *val {
	if !args[0].isScalar() {
		return fail("formatlist takes a format string, not " + args[0].kind.describe())
	}
	spec, rest := scalarString(args[0]), args[1:]
	if padded(spec) {
		return unknown("formatlist with a width or a precision is not evaluated here")
	}
	if why := nullFormatted("formatlist", rest); why != "" {
		return unknown(why)
	}
	n, chooser := -1, -1
	for i, a := range rest {
		if a.kind != vList {
			continue
		}
		if unorderedSet(a) {
			// cty's FormatListFunc: a set holding a value not known
			// has a length not known, and so has the list it makes.
			return unknown("formatlist iterates a set holding a value not known, whose order and length are not known")
		}
		switch {
		case n == -1:
			n, chooser = len(a.list), i
		case len(a.list) != n:
			return fail(fmt.Sprintf("argument %d has length %d, which is inconsistent with argument %d of length %d",
				i+1, len(a.list), chooser+1, n))
		}
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
	if n == -1 {
		n = 1 // no list: one string, as format makes
	}
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
		}
		out.list = append(out.list, &val{kind: vString, s: str.AsString(), org: Origin{Pos: pos}})
	}
	return out
}

// nullFormatted says why the call of format or formatlist (name) with
// the arguments args after its format is not known when one is a null,
// or "" when none is. Terraform 1.11 gives a value not known (it plans
// "known after apply" and no apply makes it known) for a null of no
// type, as written (format("%v", null), or an element of [null]...):
// cty answers so for an argument of no type to a parameter that does not
// take one. For a null of a type (tostring(null), a variable of type
// string), %v writes "null" and any other verb fails. A null here has no
// type told, so neither is assumed.
func nullFormatted(name string, args []*val) string {
	for _, a := range args {
		if a.kind == vNull {
			return "an argument of " + name + " is null, which Terraform formats as a value not known when it is null as written (of no type), and as \"null\" (%v) or an error when it has a type"
		}
	}
	return ""
}

// padded reports whether a format spec has a verb with a width or a
// precision: a digit or a period between its % and its letter, outside
// an argument index ("%[2]s").
func padded(spec string) bool {
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			continue
		}
		for i++; i < len(spec) && spec[i] != '%' && !('a' <= spec[i] && spec[i] <= 'z' || 'A' <= spec[i] && spec[i] <= 'Z'); i++ {
			switch c := spec[i]; {
			case c == '[':
				for i < len(spec) && spec[i] != ']' {
					i++
				}
			case '0' <= c && c <= '9' || c == '.' || c == '*':
				return true
			}
		}
	}
	return false
}

// distinct evaluates distinct as cty's DistinctFunc does: its argument
// becomes a list of one type (a tuple's scalars strings when one is a
// string), and each value is kept where it is first found. It waits for
// the whole list to be known, as cty does.
func distinct(a *val, pos Position, fail, unknown func(string) *val) *val {
	if a.kind != vList {
		return fail("distinct takes a list, not " + a.kind.describe())
	}
	if _, u := a.scan(); u != nil {
		return unknown("an element of the list of distinct is not known: " + u.why)
	}
	l, why := unifyScalars(a)
	if why != "" {
		return fail("distinct: " + why)
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, typedList: true}
	seen := map[string]bool{}
	for _, x := range l.list {
		if !x.isScalar() {
			return unknown("distinct of a list of " + x.kind.describe() + " is not evaluated here")
		}
		if key := scalarString(x); !seen[key] {
			seen[key] = true
			out.list = append(out.list, x)
		}
	}
	return out
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

// unifyScalars returns the list or map v with its elements of one type,
// as cty converts a tuple or an object to a list, a set or a map: scalars
// of several kinds become strings when one is a string (tolist(["a", 1])
// is ["a", "1"]), and a number and a boolean have no type in common, nor
// a scalar and a collection (why says so). Elements that are null or not
// known are left as they are.
func unifyScalars(v *val) (*val, string) {
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
// strings.
func coalesce(args []*val, fail func(string) *val) *val {
	var kind valKind
	mixed, scalars := false, true
	for _, a := range args {
		if a.kind == vNull {
			continue
		}
		if kind != vNull && a.kind != kind {
			mixed = true
		}
		kind = a.kind
		scalars = scalars && a.isScalar()
	}
	if mixed && !scalars {
		return fail("the arguments of coalesce have no type in common")
	}
	for _, a := range args {
		switch {
		case a.kind == vNull:
			continue
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

// jsonDecode decodes the JSON text of the string v, as Terraform's
// jsondecode does. Every value it holds is located where the string is,
// as the JSON text has no positions in the files, unless the string is
// the whole text of a file that file read: then each value is located
// where it is written in that file, as a value of a .tfvars file is.
func (l *loader) jsonDecode(v *val, pos Position, fail func(string) *val) *val {
	// This package's parser gives the values, and bounds the nesting
	// first: cty's recurses once a level, without bound. Then cty's
	// decoding, which jsondecode is, says what it refuses (an object with
	// a member twice with values of two types, among others).
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
		return fail("jsondecode: " + ctyErr.Error())
	}
	if err != nil {
		return unknownVal(pos, "", "jsondecode: "+err.Error())
	}
	var conv func(n *node) *val
	conv = func(n *node) *val {
		out := &val{org: v.org}
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
				out.list = append(out.list, conv(e))
			}
		case nMap:
			out.kind = vMap
			at := make(map[string]int, len(n.keys))
			for i, k := range n.keys {
				// cty keeps the last of members of one name (of one
				// type; ImpliedType refused others).
				out.setField(at, k.text, conv(n.items[i]))
			}
		}
		return out
	}
	out := inKeyOrderDeep(conv(doc))
	if !l.spendN(pos, out.count()) {
		return unknownVal(pos, "", "too much to evaluate")
	}
	return out
}
