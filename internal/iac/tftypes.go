package iac

import (
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// typed gives v the shape the variable's type constraint gives its value,
// as Terraform converts it: an object attribute the type declares
// optional(T) and the value leaves out is null, or the default that
// optional(T, default) gives (since Terraform 1.3), which a null written
// out gets too; attributes the type does not declare are dropped; a set
// is ordered and holds each value once. Without this, cors_rule.value.max_age_seconds of a rule that
// leaves it out was "not known" where Terraform knows it. The type is
// written at typeAt; a default taken from it is located there.
func (inst *tfInstance) typed(v *val, decl *typeexpr.Defaults, ty cty.Type, typeAt Position, name string) *val {
	if !inst.l.spendN(typeAt, v.count()) {
		return v
	}
	return conform(v, ty, decl, typeAt, name)
}

// conform returns v in the shape of the type ty, as typed describes; d
// holds the type's defaults (nil for none), written at at, and name is
// the variable's, for messages.
func conform(v *val, ty cty.Type, d *typeexpr.Defaults, at Position, name string) *val {
	if v.kind == vNull && ty != cty.DynamicPseudoType {
		n := *v
		n.nullType = ty.WithoutOptionalAttributesDeep()
		return &n
	}
	if v.kind == vUnknown || v.kind == vNull || v.kind == vAbsent {
		return v
	}
	var elem cty.Type // a map's element type
	if ty.IsMapType() {
		// The type of the value, not of the constraint: an optional
		// attribute is there, its default or null
		// (lookup(var.m, "k", {origin = "x"}) fails for
		// map(object({origin = string, port = optional(number)}))).
		elem = ty.ElementType().WithoutOptionalAttributesDeep()
	}
	if (ty.IsListType() || ty.IsSetType() || ty.IsMapType()) && ty.ElementType().HasDynamicTypes() {
		// list(any), map(any): the elements take one type, which cty
		// finds (unify).
		conv, stop := unifyElements(v, ty, name)
		if stop != nil {
			return stop
		}
		v = unified(v, conv)
		if ty.IsMapType() {
			// map(any) is a map of the type cty found, which
			// lookup's default takes.
			elem = conv.Type().ElementType()
		}
	}
	switch {
	case ty.IsPrimitiveType():
		return convertScalar(v, ty, name)
	case ty.IsObjectType() && v.kind == vMap:
		return conformObject(v, ty, d, at, name)
	case (ty.IsListType() || ty.IsSetType()) && v.kind == vList:
		out := &val{kind: vList, org: v.org, list: make([]*val, len(v.list)), typedList: ty.IsListType()}
		for i, e := range v.list {
			out.list[i] = conform(e, ty.ElementType(), childDefaults(d, ""), at, name)
		}
		if ty.IsSetType() {
			return toSet(out, ty.ElementType())
		}
		return out
	case ty.IsMapType() && v.kind == vMap:
		out := &val{kind: vMap, org: v.org, keys: v.keys, fields: make([]*val, len(v.fields)), elem: elem}
		for i, e := range v.fields {
			out.fields[i] = conform(e, ty.ElementType(), childDefaults(d, ""), at, name)
		}
		return out
	case ty.IsTupleType() && v.kind == vList && len(v.list) == ty.Length():
		out := &val{kind: vList, org: v.org, list: make([]*val, len(v.list))}
		for i, e := range v.list {
			out.list[i] = conform(e, ty.TupleElementType(i), childDefaults(d, strconv.Itoa(i)), at, name)
		}
		return out
	}
	return v
}

// childDefaults returns the defaults of the attribute or element key of
// a type whose defaults are d, nil when there are none. It exists
// because d is nil for a type without optional attributes.
func childDefaults(d *typeexpr.Defaults, key string) *typeexpr.Defaults {
	if d == nil {
		return nil
	}
	return d.Children[key]
}

// unifyElements returns v, a value of list(any), set(any) or map(any)
// (ty), converted by cty to that type, whose elements take one type
// (unify); or, in stop, what conform returns instead: v itself when cty
// cannot hold it, or Terraform's refusal, not known, when the elements
// have no one type. It exists because only cty says which type that
// is, so it converts the value.
func unifyElements(v *val, ty cty.Type, name string) (conv cty.Value, stop *val) {
	c, ok := ctyOf(v)
	if !ok {
		return cty.NilVal, v
	}
	conv, err := convert.Convert(c, ty)
	if err != nil {
		return cty.NilVal, unknownVal(v.org.Pos, "var."+name, "Terraform refuses the value of variable "+name+": "+err.Error())
	}
	return conv, nil
}

// conformObject returns the mapping v in the shape of the object type
// ty: the attributes in the order of their names, an optional one left
// out null or its default from d, those ty does not declare dropped. It
// exists because objects are the only type with defaults of their own.
func conformObject(v *val, ty cty.Type, d *typeexpr.Defaults, at Position, name string) *val {
	out := &val{kind: vMap, org: v.org}
	attrs := ty.AttributeTypes()
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		f := v.field(n)
		switch {
		case f != nil && (f.kind != vNull || d == nil || !hasDefault(d, n)):
			f = conform(f, attrs[n], childDefaults(d, n), at, name)
		case f == nil && !ty.AttributeOptional(n):
			continue // Terraform refuses the value; left out, it is not known
		case d != nil && hasDefault(d, n):
			// Left out or null: Terraform's Defaults.Apply gives
			// the default to both.
			// The default gets the defaults of its own
			// attributes (Defaults.apply: "defaults.apply(defaultValue)").
			f = conform(ctyVal(d.DefaultValues[n], Origin{Pos: at, Via: "the default of attribute " + n + " in the type of variable " + name}), attrs[n], childDefaults(d, n), at, name)
		default:
			f = &val{kind: vNull, org: Origin{Pos: at}}
		}
		out.keys = append(out.keys, n)
		out.fields = append(out.fields, f)
	}
	return out
}

// convertScalar converts v to the primitive type ty as cty's convert
// does a variable's value: a number or a boolean to a string (a number in
// its shortest decimal form), a string to a number or to a boolean ("true"
// or "1", "false" or "0"). Without it, var.port == "8080" was false for a
// variable of type string given 8080, where Terraform has it true. A
// value that does not convert is Terraform's error (Invalid value for
// input variable), which fails the plan: try does not catch it, so it is
// not known, not a failure.
func convertScalar(v *val, ty cty.Type, name string) *val {
	refused := func(what string) *val {
		return unknownVal(v.org.Pos, "var."+name, "Terraform refuses the value of variable "+name+": "+what)
	}
	if !v.isScalar() {
		return refused(v.kind.describe() + " is not a " + ty.FriendlyName())
	}
	c := *v
	switch {
	case ty == cty.String:
		c.kind, c.s = vString, scalarString(v)
	case ty == cty.Number && v.kind == vString:
		n, why := tfNumber(v)
		if why != "" {
			return refused(why)
		}
		text, ok := numberText(n)
		if !ok {
			return unknownVal(v.org.Pos, "var."+name, tooManyDigits)
		}
		c.kind, c.s = vNumber, text
	case ty == cty.Bool && v.kind == vString:
		b, ok := tfBool(v)
		if !ok {
			return refused(strconv.Quote(v.s) + " is not a boolean")
		}
		c.kind, c.s = vBool, strconv.FormatBool(b)
	case ty == cty.Number && v.kind != vNumber, ty == cty.Bool && v.kind != vBool:
		return refused(v.kind.describe() + " is not a " + ty.FriendlyName())
	}
	return &c
}

// ctyOf returns v as a cty value, lists as tuples and maps as objects, as
// an expression makes them; ok is false when a part of v is not known.
func ctyOf(v *val) (c cty.Value, ok bool) {
	switch v.kind {
	case vNull:
		if v.nullType != cty.NilType {
			return cty.NullVal(v.nullType), true
		}
		return cty.NullVal(cty.DynamicPseudoType), true
	case vString:
		return cty.StringVal(v.s), true
	case vBool:
		return cty.BoolVal(v.s == "true"), true
	case vNumber:
		n, err := cty.ParseNumberVal(v.s)
		return n, err == nil
	case vList:
		elems := make([]cty.Value, len(v.list))
		for i, e := range v.list {
			if elems[i], ok = ctyOf(e); !ok {
				return cty.NilVal, false
			}
		}
		return cty.TupleVal(elems), true
	case vMap:
		attrs := make(map[string]cty.Value, len(v.keys))
		for i, k := range v.keys {
			if attrs[k], ok = ctyOf(v.fields[i]); !ok {
				return cty.NilVal, false
			}
		}
		return cty.ObjectVal(attrs), true
	}
	return cty.NilVal, false
}

// unified returns v with the scalars that c, v converted by cty, has as
// strings made strings; the rest of v, and where each part is written, is
// kept. A set's elements are matched by value, not position: only a set of
// strings converts them (c an unknown value of the element type).
func unified(v *val, c cty.Value) *val {
	switch {
	case v.isScalar() && c.Type() == cty.String && v.kind != vString:
		s := *v
		s.kind, s.s = vString, scalarString(v)
		return &s
	case !c.IsKnown() || c.IsNull():
		return v
	case v.kind == vList && (c.Type().IsListType() || c.Type().IsTupleType()) && c.LengthInt() == len(v.list):
		out := *v
		out.list = make([]*val, len(v.list))
		for i, e := range v.list {
			out.list[i] = unified(e, c.Index(cty.NumberIntVal(int64(i))))
		}
		return &out
	case v.kind == vList && c.Type().IsSetType():
		out := *v
		out.list = make([]*val, len(v.list))
		for i, e := range v.list {
			out.list[i] = unified(e, cty.UnknownVal(c.Type().ElementType()))
		}
		return &out
	case v.kind == vMap && (c.Type().IsMapType() || c.Type().IsObjectType()):
		out := *v
		out.fields = make([]*val, len(v.fields))
		for i, e := range v.fields {
			out.fields[i] = e
			if k := cty.StringVal(v.keys[i]); c.Type().IsMapType() && c.HasIndex(k).True() {
				out.fields[i] = unified(e, c.Index(k))
			} else if c.Type().IsObjectType() && c.Type().HasAttribute(v.keys[i]) {
				out.fields[i] = unified(e, c.GetAttr(v.keys[i]))
			}
		}
		return &out
	}
	return v
}

func hasDefault(d *typeexpr.Defaults, attr string) bool {
	_, ok := d.DefaultValues[attr]
	return ok
}

// ctyVal turns a value of a type constraint's default into a val located
// at o.
func ctyVal(c cty.Value, o Origin) *val {
	v := &val{org: o}
	switch {
	case c.IsNull() || !c.IsKnown():
		v.kind = vNull
	case c.Type() == cty.String:
		v.kind, v.s = vString, c.AsString()
	case c.Type() == cty.Number:
		text, ok := numberText(c.AsBigFloat())
		if !ok {
			return unknownVal(o.Pos, "", tooManyDigits)
		}
		v.kind, v.s = vNumber, text
	case c.Type() == cty.Bool:
		v.kind, v.s = vBool, strconv.FormatBool(c.True())
	case c.Type().IsListType() || c.Type().IsSetType() || c.Type().IsTupleType():
		v.kind, v.set = vList, c.Type().IsSetType()
		for it := c.ElementIterator(); it.Next(); {
			_, e := it.Element()
			v.list = append(v.list, ctyVal(e, o))
		}
	case c.Type().IsMapType() || c.Type().IsObjectType():
		v.kind = vMap
		for it := c.ElementIterator(); it.Next(); {
			k, e := it.Element()
			v.keys = append(v.keys, k.AsString())
			v.fields = append(v.fields, ctyVal(e, o))
		}
	default:
		v.kind = vNull
	}
	return v
}

// typeAttr returns the type argument of a variable block, or nil.
func typeAttr(decl *hclsyntax.Block) *hclsyntax.Attribute {
	if decl == nil {
		return nil
	}
	return decl.Body.Attributes["type"]
}

// unifyBranches gives v, the value of a conditional's branch taken, the
// type HCL's ConditionalExpr gives the result: the type both v and other,
// the branch not taken, convert to (cty's UnifyUnsafe), so that
// false ? "a" : 1 is "1"; branches of no common type are Terraform's error
// (Inconsistent conditional result types). A null literal or a branch that
// fails (cty.DynamicVal) converts to anything. A part not known has a type
// this package does not know, which a number or a boolean of v could
// convert to: v is then not known, unless it holds neither.
func unifyBranches(v, other *val, unknown func(string) *val) *val {
	if v.kind == vUnknown || other.kind == vUnknown && other.err {
		return v
	}
	if v.kind == vList && other.kind == vList && v.set != other.set {
		if l := map[bool]*val{true: other, false: v}[v.set]; !l.tuple && !l.typedList {
			return unknown("whether the result is a set or a list is not known here: a set and a tuple make a set, a set and a list a list")
		}
	}
	cv, okV := branchCty(v)
	co, okO := branchCty(other)
	if !okV || !okO {
		if convertible(v) {
			return unknown("the type of the value not taken is not known, and Terraform may convert this one to it")
		}
		return v
	}
	if cv.RawEquals(cty.NullVal(cty.DynamicPseudoType)) || co.RawEquals(cty.NullVal(cty.DynamicPseudoType)) {
		return v
	}
	ty, convs := convert.UnifyUnsafe([]cty.Type{cv.Type(), co.Type()})
	if ty == cty.NilType {
		e := unknown("Terraform refuses a conditional whose results have inconsistent types (" +
			cv.Type().FriendlyName() + " and " + co.Type().FriendlyName() + ")")
		e.err = true
		return e
	}
	if convs[0] == nil {
		return v
	}
	c, err := convs[0](cv)
	if err != nil {
		e := unknown("Terraform refuses the result of the conditional: " + err.Error())
		e.err = true
		return e
	}
	if v.kind == vNull {
		// A null of the result's type, not an empty collection of it.
		n := *v
		n.nullType = ty
		return &n
	}
	out := unified(v, c)
	switch {
	case ty.IsSetType() && !v.set:
		return toSet(out, ty.ElementType())
	case ty.IsListType() && v.set:
		l := *out
		l.set, l.tuple, l.typedList = false, false, true
		return &l
	}
	return out
}

// branchCty is ctyOf for a conditional's branch: a set or a list is of
// its collection type, which the conversion of the other branch follows.
func branchCty(v *val) (cty.Value, bool) {
	c, ok := ctyOf(v)
	if !ok || v.kind != vList || !v.set && !v.typedList {
		return c, ok
	}
	ty := cty.List(cty.DynamicPseudoType)
	if v.set {
		ty = cty.Set(cty.DynamicPseudoType)
	}
	conv, err := convert.Convert(c, ty)
	if err != nil {
		return cty.NilVal, false
	}
	return conv, true
}

// convertible reports whether v holds a number or a boolean, which a
// conversion to a type holding strings there makes strings.
func convertible(v *val) bool {
	if v.kind == vNumber || v.kind == vBool {
		return true
	}
	for _, parts := range [][]*val{v.list, v.fields} {
		for _, e := range parts {
			if convertible(e) {
				return true
			}
		}
	}
	return false
}
