package iac

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// tfCall is a call of a Terraform function whose arguments are
// evaluated, known, and none fails: what a function of tfFunctions
// evaluates.
type tfCall struct {
	s    *tfScope
	name string
	args []*val
	pos  Position // where the call is written
	// unknown returns a value not known, located at the call, with why.
	unknown func(why string) *val
}

// fail returns a value Terraform fails to evaluate (see val.err), located
// at the call, with why.
func (fc *tfCall) fail(why string) *val {
	v := fc.unknown(why)
	v.err = true
	return v
}

// notEvaluated returns the value of a call this package does not
// evaluate.
func (fc *tfCall) notEvaluated() *val {
	return fc.unknown("a call to function " + fc.name + ", which is not evaluated here")
}

// tfFunc is a Terraform function this package evaluates: how, and how
// many arguments it takes, from min to max (-1: any number), as
// Terraform's; a call with another number fails.
type tfFunc struct {
	min, max int
	eval     func(fc *tfCall) *val
}

// tfFunctions are the Terraform functions evaluated, by name, but try
// and can, which tfScope.try evaluates.
var tfFunctions = map[string]tfFunc{
	"tolist":       {1, 1, tfConvert},
	"toset":        {1, 1, tfConvert},
	"tomap":        {1, 1, tfConvert},
	"lookup":       {2, 3, tfLookup},
	"concat":       {0, -1, tfConcat},
	"merge":        {0, -1, tfMerge},
	"coalesce":     {0, -1, tfCoalesce},
	"length":       {1, 1, tfLength},
	"compact":      {1, 1, tfCompact},
	"split":        {2, 2, tfSplit},
	"lower":        {1, 1, stringFunc(func(a []string) string { return strings.ToLower(a[0]) })},
	"upper":        {1, 1, stringFunc(func(a []string) string { return strings.ToUpper(a[0]) })},
	"trimspace":    {1, 1, stringFunc(func(a []string) string { return strings.TrimSpace(a[0]) })},
	"trimprefix":   {2, 2, stringFunc(func(a []string) string { return strings.TrimPrefix(a[0], a[1]) })},
	"trimsuffix":   {2, 2, stringFunc(func(a []string) string { return strings.TrimSuffix(a[0], a[1]) })},
	"format":       {1, -1, tfFormat},
	"formatlist":   {1, -1, tfFormatList},
	"distinct":     {1, 1, tfDistinct},
	"flatten":      {1, 1, tfFlatten},
	"sort":         {1, 1, tfSort},
	"setunion":     {1, -1, tfSetUnion},
	"keys":         {1, 1, tfKeysValues},
	"values":       {1, 1, tfKeysValues},
	"reverse":      {1, 1, tfReverse},
	"contains":     {2, 2, tfContains},
	"coalescelist": {0, -1, tfCoalesceList},
	"join":         {1, -1, tfJoin},
	"element":      {2, 2, tfElement},
	"slice":        {3, 3, tfSlice},
	"startswith":   {2, 2, tfHasAffix},
	"endswith":     {2, 2, tfHasAffix},
	"replace":      {3, 3, tfReplace},
	"regex":        {2, 2, tfRegex},
	"regexall":     {2, 2, tfRegex},
	"file":         {1, 1, tfFile},
	"jsondecode":   {1, 1, tfJSONDecode},
	"yamldecode":   {1, 1, tfYAMLDecode},
	"tostring":     {1, 1, tfToString},
	"tonumber":     {1, 1, tfToNumber},
}

// tfConvert evaluates tolist, toset and tomap (fc.name): a list or a map
// whose elements convert to one type, as cty converts them.
func tfConvert(fc *tfCall) *val {
	v := fc.args[0]
	switch want := map[bool]valKind{true: vMap, false: vList}[fc.name == "tomap"]; {
	case v.kind == vNull:
		to := map[string]cty.Type{"tolist": cty.List(cty.DynamicPseudoType), "toset": cty.Set(cty.DynamicPseudoType), "tomap": cty.Map(cty.DynamicPseudoType)}[fc.name]
		return fc.convertNull(v, to)
	case v.kind != want:
		return fc.fail(fc.name + " takes " + want.describe() + ", not " + v.kind.describe())
	}
	v, why := unifyKinds(v)
	if why != "" {
		return fc.fail(fc.name + ": " + why)
	}
	switch {
	case fc.name == "toset" && v.kind == vList:
		return toSet(v, cty.DynamicPseudoType)
	case fc.name == "tolist":
		if unorderedSet(v) {
			return fc.unknown("the order of a set holding a value not known is not known")
		}
		// A list's elements have indices for keys again.
		l := *v
		l.set, l.tuple, l.typedList = false, false, true
		return &l
	case fc.name == "tomap":
		if c, ok := ctyOf(v); ok {
			if conv, err := convert.Convert(c, cty.Map(cty.DynamicPseudoType)); err == nil {
				m := *v
				m.elem = conv.Type().ElementType()
				return &m
			}
		}
	}
	return v
}

// convertNull returns the null v converted to the type to, as the
// conversion functions (tolist, tostring, ...) convert a null: one of no
// type takes to, one of a type that does not convert to it is
// Terraform's error ("cannot convert string to list of any single
// type").
func (fc *tfCall) convertNull(v *val, to cty.Type) *val {
	from := v.nullType
	if from == cty.NilType {
		from = cty.DynamicPseudoType
	}
	c, err := convert.Convert(cty.NullVal(from), to)
	if err != nil {
		return fc.fail(fc.name + ": cannot convert " + from.FriendlyNameForConstraint() + " to " + to.FriendlyNameForConstraint())
	}
	n := *v
	n.nullType = c.Type()
	return &n
}

// tfLookup evaluates lookup(map, key) and lookup(map, key, default).
func tfLookup(fc *tfCall) *val {
	if fc.args[0].kind != vMap || !fc.args[1].isScalar() {
		return fc.fail("lookup takes an object and a key")
	}
	f := fc.args[0].field(fc.args[1].s)
	if len(fc.args) == 3 && fc.args[0].elem != cty.NilType {
		// A map's default takes the type of its elements
		// (stdlib's LookupFunc: "the default value must have the
		// same type as the map elements"), which is checked
		// whether or not the key is there.
		c, ok := ctyOf(fc.args[2])
		switch {
		case !ok && f != nil:
			return f
		case !ok:
			return fc.unknown("the default of lookup is not known")
		}
		conv, err := convert.Convert(c, fc.args[0].elem)
		switch {
		case err != nil:
			return fc.fail("the default value must have the same type as the map elements")
		case f != nil:
			return f
		case conv.Type().IsPrimitiveType():
			return ctyVal(conv, fc.args[2].org)
		}
		return unified(fc.args[2], conv)
	}
	if f != nil {
		return f
	}
	if len(fc.args) == 3 {
		return fc.args[2]
	}
	return fc.fail("the object has no key " + strconv.Quote(fc.args[1].s))
}

// tfConcat evaluates concat: the elements of lists and tuples, in order.
func tfConcat(fc *tfCall) *val {
	if len(fc.args) == 0 {
		return fc.fail("concat takes at least one list")
	}
	out := &val{kind: vList, org: Origin{Pos: fc.pos}}
	for _, a := range fc.args {
		switch {
		case a.set:
			// cty's ConcatFunc: "all arguments must be lists or
			// tuples"; tolist gives a set's elements as a list.
			return fc.fail("concat takes lists, not a set")
		case a.kind != vList:
			return fc.fail("concat takes lists, not " + a.kind.describe())
		}
		out.list = append(out.list, a.list...)
	}
	return out
}

// tfMerge evaluates merge: the keys of maps and objects, a later one
// winning.
func tfMerge(fc *tfCall) *val {
	out := &val{kind: vMap, org: Origin{Pos: fc.pos}}
	at := map[string]int{} // where each key is in out
	// Maps all of one type merge into a map of it, anything else
	// into an object (cty's MergeFunc); a null of no type makes an
	// object.
	elem := cty.NilType
	for i, a := range fc.args {
		if a.elem == cty.NilType || i > 0 && !a.elem.Equals(elem) {
			elem = cty.NilType
			break
		}
		elem = a.elem
	}
	out.elem = elem
	// cty's MergeFunc checks the arguments' types in order until one
	// is a null of no type, after which it checks none: merge(null,
	// tostring(null)) is {}, merge(tostring(null), null) fails.
	checked := true
	for _, a := range fc.args {
		switch {
		case a.kind == vNull && a.nullType == cty.NilType:
			checked = false
			continue
		case a.kind == vNull && (a.nullType.IsMapType() || a.nullType.IsObjectType()):
			continue // MergeFunc passes over a null map or object
		case a.kind == vMap:
		case checked:
			// "arguments must be maps or objects", Terraform's
			// error, which try skips.
			return fc.fail("merge takes maps or objects, not " + describeArg(a))
		case a.kind == vNull || a.kind == vList && len(a.list) == 0:
			continue // MergeFunc passes over a null, and an empty list has no elements
		default:
			return fc.fail("merge takes maps or objects, not " + describeArg(a))
		}
		for i, k := range a.keys {
			out.setField(at, k, a.fields[i])
		}
	}
	return inKeyOrder(out)
}

// describeArg describes the kind of the argument a, a null's type
// included ("a null string").
func describeArg(a *val) string {
	if a.kind == vNull && a.nullType != cty.NilType {
		return "a null " + a.nullType.FriendlyName()
	}
	return a.kind.describe()
}

// tfCoalesce evaluates coalesce (see coalesce).
func tfCoalesce(fc *tfCall) *val {
	return coalesce(fc.args, fc.fail)
}

// tfLength evaluates length of a list, a map or a string.
func tfLength(fc *tfCall) *val {
	v, n := fc.args[0], 0
	switch v.kind {
	case vList:
		for _, x := range v.list {
			if x.kind == vUnknown {
				// A set of values not known may hold fewer: it is
				// not told from a list here.
				return fc.unknown("the list holds values not known: " + x.why)
			}
		}
		n = len(v.list)
	case vMap:
		n = len(v.keys)
	case vString:
		// Terraform counts a string's grapheme clusters.
		c, err := stdlib.Strlen(cty.StringVal(v.s))
		if err != nil {
			return fc.fail(err.Error())
		}
		n64, _ := c.AsBigFloat().Int64()
		n = int(n64)
	default:
		return fc.fail("length takes a list, a map or a string, not " + v.kind.describe())
	}
	return &val{kind: vNumber, s: strconv.Itoa(n), org: Origin{Pos: fc.pos}}
}

// tfCompact evaluates compact: a list of strings without the empty ones
// and the nulls.
func tfCompact(fc *tfCall) *val {
	// cty's CompactFunc takes list(string): a list, a tuple or a
	// set whose elements convert to strings; it leaves out empty
	// strings and nulls, and waits for elements not known.
	if fc.args[0].kind != vList {
		return fc.fail("compact takes a list of strings, not " + fc.args[0].kind.describe())
	}
	out := &val{kind: vList, org: Origin{Pos: fc.pos}, typedList: true}
	for _, x := range fc.args[0].list {
		switch {
		case x.kind == vUnknown:
			return fc.unknown("an element of the list of compact is not known: " + x.why)
		case x.kind == vNull:
			continue
		case !x.isScalar():
			return fc.fail("compact takes a list of strings, not of " + x.kind.describe())
		}
		if str := scalarString(x); str != "" {
			c := *x
			c.kind, c.s = vString, str
			out.list = append(out.list, &c)
		}
	}
	return out
}

// tfSplit evaluates split(separator, string).
func tfSplit(fc *tfCall) *val {
	// cty's SplitFunc: strings.Split of two strings, so "" gives
	// one empty part; each part is located at the string.
	for _, a := range fc.args {
		if !a.isScalar() {
			return fc.fail("split takes two strings, not " + a.kind.describe())
		}
	}
	out := &val{kind: vList, org: Origin{Pos: fc.pos}, typedList: true}
	for part := range strings.SplitSeq(scalarString(fc.args[1]), scalarString(fc.args[0])) {
		if !fc.s.inst.l.spendAt(fc.pos) {
			return fc.unknown("too many parts to evaluate")
		}
		out.list = append(out.list, &val{kind: vString, s: part, org: fc.args[1].org})
	}
	return out
}

// stringFunc makes the evaluator of one of cty's string functions, whose
// value op gives from the arguments: parameters of type string, which a
// number or a boolean converts to; a null or a collection is refused
// ("argument must not be null").
func stringFunc(op func([]string) string) func(*tfCall) *val {
	return func(fc *tfCall) *val {
		strs := make([]string, len(fc.args))
		for i, a := range fc.args {
			if !a.isScalar() {
				return fc.fail(fc.name + " takes strings, not " + a.kind.describe())
			}
			strs[i] = scalarString(a)
		}
		return fc.built(&val{kind: vString, s: op(strs), org: Origin{Pos: fc.pos}})
	}
}

// tfFormat evaluates format of a string (see format); a format of another
// kind is not evaluated.
func tfFormat(fc *tfCall) *val {
	if fc.args[0].kind != vString {
		return fc.notEvaluated()
	}
	v := format(fc.args, fc.pos, fc.fail, fc.unknown)
	if v.kind == vString {
		return fc.built(v)
	}
	return v
}

// tfFormatList evaluates formatlist (see tfScope.formatList).
func tfFormatList(fc *tfCall) *val {
	return fc.s.formatList(fc.args, fc.pos, fc.fail, fc.unknown)
}

// tfDistinct evaluates distinct (see distinct).
func tfDistinct(fc *tfCall) *val {
	return distinct(fc.args[0], fc.pos, fc.fail, fc.unknown)
}

// tfFlatten evaluates flatten: the elements of a list, those of lists in
// it spliced in.
func tfFlatten(fc *tfCall) *val {
	if fc.args[0].kind != vList {
		return fc.fail("can only flatten lists, sets and tuples")
	}
	if _, u := fc.args[0].scan(); u != nil {
		// An element not known may be a list, whose elements
		// would be spliced in.
		return fc.unknown("an element of the list of flatten is not known: " + u.why)
	}
	out := &val{kind: vList, org: Origin{Pos: fc.pos}}
	flattenInto(out, fc.args[0])
	return out
}

// tfSort evaluates sort (see sortStrings).
func tfSort(fc *tfCall) *val {
	return sortStrings(fc.args[0], fc.pos, fc.fail, fc.unknown)
}

// tfSetUnion evaluates setunion: the set of the elements of sets.
func tfSetUnion(fc *tfCall) *val {
	all := &val{kind: vList}
	for _, a := range fc.args {
		if a.kind != vList {
			return fc.fail("setunion takes sets, not " + a.kind.describe())
		}
		// Each argument becomes a set on its own first (cty's
		// parameters are sets): setunion([1, true], ["x"]) fails,
		// "all set elements must have the same type".
		if _, why := unifyKinds(a); why != "" {
			return fc.fail("setunion: " + why)
		}
		all.list = append(all.list, a.list...)
	}
	if _, u := all.scan(); u != nil {
		return fc.unknown("an element of the sets of setunion is not known: " + u.why)
	}
	all, why := unifyKinds(all)
	if why != "" {
		return fc.fail("setunion: " + why)
	}
	set := toSet(all, cty.DynamicPseudoType)
	set.org = Origin{Pos: fc.pos}
	return set
}

// tfKeysValues evaluates keys and values (fc.name) of a map or an
// object, in the lexical order of its keys.
func tfKeysValues(fc *tfCall) *val {
	m := fc.args[0]
	if m.kind != vMap {
		return fc.fail(fc.name + " takes a map or an object, not " + m.kind.describe())
	}
	// A map's keys and an object's attributes are in lexical order.
	order := make([]int, len(m.keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(m.keys[a], m.keys[b]) })
	out := &val{kind: vList, org: Origin{Pos: fc.pos}}
	for _, i := range order {
		if fc.name == "keys" {
			out.list = append(out.list, &val{kind: vString, s: m.keys[i], org: Origin{Pos: fc.pos}})
		} else {
			out.list = append(out.list, m.fields[i])
		}
	}
	return out
}

// tfReverse evaluates reverse of a list, a tuple or a set.
func tfReverse(fc *tfCall) *val {
	if fc.args[0].kind != vList {
		return fc.fail("reverse takes a list, not " + fc.args[0].kind.describe())
	}
	if unorderedSet(fc.args[0]) {
		return fc.unknown("the order of a set holding a value not known is not known")
	}
	// A set's elements in reverse of its order, as a list.
	out := &val{kind: vList, org: Origin{Pos: fc.pos}, tuple: fc.args[0].tuple, typedList: !fc.args[0].tuple}
	out.list = slices.Clone(fc.args[0].list)
	slices.Reverse(out.list)
	return out
}

// tfContains evaluates contains(list, value) of a scalar value.
func tfContains(fc *tfCall) *val {
	l, x := fc.args[0], fc.args[1]
	switch {
	case l.kind != vList:
		return fc.fail("contains takes a list, a tuple or a set, not " + l.kind.describe())
	case x.kind == vNull:
		return fc.fail("the value contains looks for must not be null")
	case !x.isScalar():
		return fc.unknown("contains of a value that is " + x.kind.describe() + " is not evaluated here")
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
		return fc.unknown("an element of the list of contains is not known: " + why)
	}
	return &val{kind: vBool, s: strconv.FormatBool(found), org: Origin{Pos: fc.pos}}
}

// tfCoalesceList evaluates coalescelist: the first list that is not
// empty.
func tfCoalesceList(fc *tfCall) *val {
	if len(fc.args) == 0 {
		return fc.fail("coalescelist takes at least one list")
	}
	// cty's CoalesceListFunc checks every argument before it
	// picks one: coalescelist(["a"], 1) fails.
	for _, a := range fc.args {
		// A null list or tuple is passed over; a null of no type,
		// or of another, is refused as a value of that type is.
		listNull := a.kind == vNull && (a.nullType.IsListType() || a.nullType.IsTupleType())
		if (a.kind != vList || a.set) && !listNull {
			return fc.fail("coalescelist arguments must be lists or tuples")
		}
	}
	for _, a := range fc.args {
		if len(a.list) > 0 {
			return a
		}
	}
	return fc.fail("coalescelist: no non-null arguments")
}

// tfJoin evaluates join(separator, lists...).
func tfJoin(fc *tfCall) *val {
	if !fc.args[0].isScalar() || fc.args[0].kind == vNull {
		return fc.fail("the separator of join must be a string")
	}
	if len(fc.args) == 1 {
		return fc.fail("join takes at least one list")
	}
	var parts []string
	size := 0
	for _, l := range fc.args[1:] {
		if l.kind != vList {
			return fc.fail("join takes lists of strings, not " + l.kind.describe())
		}
		for i, x := range l.list {
			switch {
			case x.kind == vUnknown:
				return fc.unknown("an element of the lists of join is not known: " + x.why)
			case x.kind == vNull:
				return fc.fail("element " + strconv.Itoa(i) + " is null; cannot concatenate null values")
			case !x.isScalar():
				return fc.fail("join takes lists of strings; element " + strconv.Itoa(i) + " is " + x.kind.describe())
			}
			parts = append(parts, scalarString(x))
			if size += len(parts[len(parts)-1]) + len(fc.args[0].s); size > maxValueLen {
				return fc.unknown("join makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
			}
		}
	}
	return fc.built(&val{kind: vString, s: strings.Join(parts, scalarString(fc.args[0])), org: Origin{Pos: fc.pos}})
}

// tfElement evaluates element(list, index), as cty counts an index past
// the end or below zero.
func tfElement(fc *tfCall) *val {
	l := fc.args[0]
	switch {
	case l.kind != vList || l.set:
		return fc.fail("element takes a list or a tuple, not " + map[bool]string{true: "a set", false: l.kind.describe()}[l.set])
	case len(l.list) == 0:
		return fc.fail("cannot use element function with an empty list")
	}
	n, why := tfNumber(fc.args[1])
	if why != "" {
		return fc.fail("element: " + why)
	}
	i, acc := n.Int64()
	if acc != big.Exact {
		return fc.fail("invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807")
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
		return fc.fail("panic in function implementation: runtime error: index out of range [" + strconv.FormatInt(r, 10) + "]")
	}
	return fc.unknown("element of a negative index is not evaluated here for a list that may be a list or a tuple, which Terraform counts otherwise")
}

// tfSlice evaluates slice(list, start, end).
func tfSlice(fc *tfCall) *val {
	l := fc.args[0]
	if l.kind != vList || l.set {
		return fc.fail("slice takes a list or a tuple, not " + map[bool]string{true: "a set", false: l.kind.describe()}[l.set])
	}
	start, why := tfIndex(fc.args[1])
	if why != "" {
		return fc.fail("slice: " + why)
	}
	end, why := tfIndex(fc.args[2])
	switch {
	case why != "":
		return fc.fail("slice: " + why)
	case start > end:
		return fc.fail("start index must not be greater than end index")
	case end > len(l.list):
		return fc.fail("end index must not be greater than the length of the list")
	}
	return &val{kind: vList, list: l.list[start:end:end], org: Origin{Pos: fc.pos}, tuple: l.tuple, typedList: l.typedList}
}

// tfHasAffix evaluates startswith and endswith (fc.name).
func tfHasAffix(fc *tfCall) *val {
	for _, a := range fc.args {
		if !a.isScalar() || a.kind == vNull {
			return fc.fail(fc.name + " takes strings, not " + a.kind.describe())
		}
	}
	has := strings.HasPrefix
	if fc.name == "endswith" {
		has = strings.HasSuffix
	}
	return &val{kind: vBool, s: strconv.FormatBool(has(scalarString(fc.args[0]), scalarString(fc.args[1]))), org: Origin{Pos: fc.pos}}
}

// tfReplace evaluates replace(string, substring, replacement), the
// substring a regular expression when it is between slashes.
func tfReplace(fc *tfCall) *val {
	for _, a := range fc.args {
		if !a.isScalar() || a.kind == vNull {
			return fc.fail("replace takes strings, not " + a.kind.describe())
		}
	}
	str, sub, repl := scalarString(fc.args[0]), scalarString(fc.args[1]), scalarString(fc.args[2])
	if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
		// A regular expression: Terraform's is Go's regexp,
		// whose $1 and ${name} the replacement expands.
		if !fc.spendMatching(sub, str) {
			return fc.unknown("too much to evaluate")
		}
		re, err := regexp.Compile(sub[1 : len(sub)-1])
		if err != nil {
			return fc.fail(err.Error())
		}
		// Each match may expand each $ of the replacement to as
		// much as the whole string.
		n := len(re.FindAllStringIndex(str, -1))
		if len(str)+n*(len(repl)+strings.Count(repl, "$")*len(str)) > maxValueLen {
			return fc.unknown("replace makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
		}
		return fc.built(&val{kind: vString, s: re.ReplaceAllString(str, repl), org: Origin{Pos: fc.pos}})
	}
	if n := strings.Count(str, sub); len(str)+n*(len(repl)-len(sub)) > maxValueLen {
		return fc.unknown("replace makes a string longer than " + strconv.Itoa(maxValueLen) + " bytes")
	}
	return fc.built(&val{kind: vString, s: strings.ReplaceAll(str, sub, repl), org: Origin{Pos: fc.pos}})
}

// built returns v, a string the call built, once its bytes are counted
// (see loader.build), or a value not known past the bound.
func (fc *tfCall) built(v *val) *val {
	if !fc.s.inst.l.build(fc.pos, len(v.s)) {
		return fc.unknown("too much to evaluate")
	}
	return v
}

// regexBytesPerStep is how many of the bytes of a regular expression
// times those of the string it searches cost one step: Go's regexp
// takes time in proportion to both (6 ns for each pair of bytes when it
// cannot skip ahead, 4 s for a pattern of 10,000 bytes in 64 KiB), and
// the pattern is as long as a file likes.
const regexBytesPerStep = 4 * bytesPerStep

// spendMatching spends the steps of searching str with the regular
// expression pattern, and reports whether they fit.
func (fc *tfCall) spendMatching(pattern, str string) bool {
	return fc.s.inst.l.spendN(fc.pos, int(min(int64(len(pattern))*int64(len(str))/regexBytesPerStep, maxSteps+1)))
}

// tfRegex evaluates regex and regexall (fc.name) as cty does.
func tfRegex(fc *tfCall) *val {
	// cty's RegexFunc and RegexAllFunc, which Terraform calls: a
	// string, a list of the groups, or an object of the named
	// groups, for the first match or each. Their parameters are
	// strings, which HCL converts a number or a boolean to before
	// the call: regex("[0-9]+", 8443) is "8443".
	call := make([]cty.Value, 2)
	for i, a := range fc.args {
		if !a.isScalar() {
			return fc.fail(fc.name + " takes strings, not " + a.kind.describe())
		}
		call[i] = cty.StringVal(scalarString(a))
	}
	if !fc.spendMatching(scalarString(fc.args[0]), scalarString(fc.args[1])) {
		return fc.unknown("too much to evaluate")
	}
	f := stdlib.RegexFunc
	if fc.name == "regexall" {
		f = stdlib.RegexAllFunc
		// Each match is a value, and each of its groups another:
		// a match at each byte of a long string makes millions.
		if re, err := regexp.Compile(scalarString(fc.args[0])); err == nil {
			n := len(re.FindAllStringIndex(scalarString(fc.args[1]), maxSteps+1))
			if !fc.s.inst.l.spendN(fc.pos, n*(re.NumSubexp()+1)) {
				return fc.unknown("too many matches to evaluate")
			}
		}
	}
	res, err := f.Call(call)
	if err != nil {
		return fc.fail(fc.name + ": " + err.Error())
	}
	// Nested groups repeat the text they match, each in a string.
	v := ctyVal(res, Origin{Pos: fc.pos})
	if !fc.s.inst.l.spendN(fc.pos, v.count()) {
		return fc.unknown("too much to evaluate")
	}
	return v
}

// tfFile evaluates file (see loader.file).
func tfFile(fc *tfCall) *val {
	return fc.s.inst.l.file(fc.args[0], fc.s.inst.mod.dir, fc.pos, fc.fail, fc.unknown)
}

// tfJSONDecode evaluates jsondecode of a string (see loader.jsonDecode).
func tfJSONDecode(fc *tfCall) *val {
	if !fc.args[0].isScalar() {
		return fc.fail("jsondecode takes a string, not " + fc.args[0].kind.describe())
	}
	return fc.s.inst.l.jsonDecode(fc.args[0], fc.pos, fc.fail)
}

// tfToString evaluates tostring of a scalar or a null.
func tfToString(fc *tfCall) *val {
	v := *fc.args[0]
	switch v.kind {
	case vNull:
		return fc.convertNull(&v, cty.String)
	case vString:
	case vNumber, vBool:
		v.kind, v.s = vString, scalarString(fc.args[0])
	default:
		return fc.fail("tostring takes a string, a number or a boolean, not " + v.kind.describe())
	}
	return &v
}

// tfToNumber evaluates tonumber of a number, a string or a null.
func tfToNumber(fc *tfCall) *val {
	v := *fc.args[0]
	switch v.kind {
	case vNull:
		return fc.convertNull(&v, cty.Number)
	case vNumber:
	case vString:
		n, why := tfNumber(fc.args[0])
		if why != "" {
			return fc.fail(why)
		}
		text, ok := numberText(n)
		if !ok {
			return fc.unknown(tooManyDigits)
		}
		v.kind, v.s = vNumber, text
	default:
		return fc.fail("tonumber takes a number or a string, not " + v.kind.describe())
	}
	return &v
}
