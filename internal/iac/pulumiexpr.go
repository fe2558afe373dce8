package iac

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Pulumi YAML's expressions, evaluated before the program runs as far as
// they are known then, as pulumi-yaml 1.25.0 evaluates them
// (pkg/pulumiyaml/ast/property.go's parsePropertyAccess, run.go's
// evaluatePropertyAccess and evaluateBuiltin*): a ${...} property access
// of a config value, a variable or a resource, and the built-in
// functions fn::join, fn::split, fn::select, fn::toJSON and fn::secret.

// pulumiAccessor is one step of a property access: a name (.origins),
// a string subscript (["origins"]) or a list index ([0]).
type pulumiAccessor struct {
	key     string
	index   int
	isIndex bool
}

// parsePulumiAccess parses the property access that starts s, the text
// after a "${", as pulumi-yaml's parsePropertyAccess does: the accessors,
// the root first, and the text after the closing }, or Pulumi YAML's
// error ("missing closing bracket in list index"). A quoted key may hold
// a } ("${cfg[\"a}b\"]}").
func parsePulumiAccess(s string) (accs []pulumiAccessor, rest, err string) {
	for s != "" {
		switch s[0] {
		case '}':
			if len(accs) == 0 {
				return nil, "", "Property access expressions cannot be empty"
			}
			return accs, s[1:], ""
		case '.':
			s = s[1:]
		case '[':
			var a pulumiAccessor
			if len(s) > 1 && s[1] == '"' {
				a.key, s, err = pulumiQuotedKey(s)
			} else {
				a.index, s, err = pulumiIndex(s, len(accs) == 0)
				a.isIndex = true
			}
			if err != "" {
				return nil, "", err
			}
			accs = append(accs, a)
		default:
			i := strings.IndexAny(s, ".[}")
			if i < 0 {
				i = len(s)
			}
			accs, s = append(accs, pulumiAccessor{key: s[:i]}), s[i:]
		}
	}
	return nil, "", "unterminated interpolation"
}

// pulumiQuotedKey parses the subscript ["key"] that starts s, where \" is
// a quote, and returns the key and the text after the ].
func pulumiQuotedKey(s string) (key, rest, err string) {
	var b strings.Builder
	i := 2
	for {
		switch {
		case i >= len(s):
			return "", "", "missing closing quote in property name"
		case s[i] == '"':
			i++
			if i >= len(s) || s[i] != ']' {
				return "", "", "missing closing bracket in property access"
			}
			return b.String(), s[i+1:], ""
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i += 2
		default:
			b.WriteByte(s[i])
			i++
		}
	}
}

// pulumiIndex parses the list index [N] that starts s, which may not be
// the root, and returns N and the text after the ]. The index is what
// strconv.ParseInt reads, as in Pulumi YAML: a sign is allowed, and a
// negative index is refused when it is used.
func pulumiIndex(s string, root bool) (index int, rest, err string) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return 0, "", "missing closing bracket in list index"
	}
	n, perr := strconv.ParseInt(s[1:end], 10, 0)
	switch {
	case perr != nil:
		return 0, "", "invalid list index"
	case root:
		return 0, "", "the root property must be a string subscript or a name"
	}
	return int(n), s[end+1:], ""
}

// refusedVal is a value Pulumi YAML fails to evaluate, which the
// deployment fails on: code and message are the error the bucket gets.
func refusedVal(n *node, expr, code, message string) *val {
	v := unknownVal(n.pos(), expr, message)
	v.refusal = code
	return v
}

// unknownFrom is the value of the expression n made from cause, a value
// not known: unknown for the same reason, or refused when cause is.
func unknownFrom(n *node, expr string, cause *val) *val {
	v := unknownVal(n.pos(), expr, cause.why)
	v.refusal = cause.refusal
	return v
}

// pulumiTypeString names the type of v as Pulumi YAML's typeString does
// in its errors ("a string", "an object", "nil").
func pulumiTypeString(v *val) string {
	switch v.kind {
	case vNull, vAbsent:
		return "nil"
	case vMap:
		return "an object"
	}
	return v.kind.describe()
}

// interpolate resolves a string with Pulumi YAML's interpolation: $$ is
// a $, ${ACCESS} the value of a property access (see access). A string
// that is one ${ACCESS} is its value, whatever its type; in a longer
// string the value is written as Pulumi writes it (fmt's %v), when it is
// a string, a number, a boolean or null.
func (p *pulumiProgram) interpolate(n *node) *val {
	if !strings.Contains(n.text, "$") {
		return scalarVal(n)
	}
	expr := shorten(n.text, 60)
	var text strings.Builder
	for rest := n.text; rest != ""; {
		switch {
		case strings.HasPrefix(rest, "$$"):
			text.WriteByte('$')
			rest = rest[2:]
		case strings.HasPrefix(rest, "${"):
			accs, after, err := parsePulumiAccess(rest[2:])
			if err != "" {
				return refusedVal(n, expr, CodeWrongType, "Pulumi YAML refuses the interpolation "+strconv.Quote(expr)+": "+err)
			}
			notes := len(p.cur.Notes)
			v := p.access(accs, rest[2:len(rest)-len(after)-1], n)
			if rest == n.text && after == "" {
				return v
			}
			switch {
			case v.kind == vUnknown:
				return unknownFrom(n, expr, v)
			case v.kind == vList || v.kind == vMap:
				p.unnote(notes)
				return unknownVal(n.pos(), expr, rest[:len(rest)-len(after)]+" is "+v.kind.describe()+
					", not a string, number or boolean, which is not judged inside a longer string")
			}
			text.WriteString(pulumiText(v))
			if text.Len() > maxValueLen {
				return p.l.tooLong(n)
			}
			rest = after
		default:
			text.WriteByte(rest[0])
			rest = rest[1:]
		}
	}
	if !p.l.build(n.pos(), text.Len()) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	v := scalarVal(n)
	v.s = text.String()
	return v
}

// pulumiText writes the scalar v in a longer string as Pulumi YAML does,
// with fmt's %v: a number is a float64 ("1e+06" for 1000000), null is
// "<nil>". UNVERIFIED for a config value of type integer, which
// registerConfig makes an int ("1000000") when it reads the stack's
// configuration, but which the engine's configuration, read after it,
// is taken to give as a number.
func pulumiText(v *val) string {
	switch v.kind {
	case vNull, vAbsent:
		return "<nil>"
	case vNumber:
		if f, err := strconv.ParseFloat(v.s, 64); err == nil {
			return fmt.Sprint(f)
		}
	}
	return v.s
}

// access evaluates the property access accs, written as ref in n: its
// root (see rootVal), then each accessor as Pulumi YAML's
// evaluatePropertyAccessTail takes it.
func (p *pulumiProgram) access(accs []pulumiAccessor, ref string, n *node) *val {
	v := p.rootVal(accs[0].key, "${"+ref+"}", n)
	for _, a := range accs[1:] {
		if v.kind == vUnknown {
			break
		}
		v = p.step(v, a, "${"+ref+"}", n)
	}
	return v
}

// step applies the accessor a to v, as Pulumi YAML does: an index of a
// list, a name or a string subscript of a mapping (a key it lacks is
// null, not an error); anything else is refused with Pulumi's error.
func (p *pulumiProgram) step(v *val, a pulumiAccessor, expr string, n *node) *val {
	refuse := func(code, msg string) *val {
		return refusedVal(n, expr, code, "Pulumi YAML fails to evaluate "+expr+": "+strconv.Quote(msg))
	}
	switch v.kind {
	case vList:
		switch {
		case !a.isIndex:
			return refuse(CodeWrongType, "cannot access a list element using a property name")
		case a.index < 0 || a.index >= len(v.list):
			return refuse(CodeOutOfRange, fmt.Sprintf("list index %d out-of-bounds for list of length %d", a.index, len(v.list)))
		}
		return v.list[a.index]
	case vMap:
		if a.isIndex {
			return refuse(CodeWrongType, "cannot access an object property using an integer index")
		}
		if f := v.field(a.key); f != nil {
			return f
		}
		return &val{kind: vNull, org: Origin{Pos: n.pos()}}
	}
	return refuse(CodeWrongType, "receiver must be a list or object, not "+pulumiTypeString(v))
}

// rootVal returns the value of the root name of a property access
// (expr, in n), looked up as Pulumi YAML looks it up: a resource, a
// config value, a variable, then a config value named with the
// project's namespace ("t:origins" in project t).
func (p *pulumiProgram) rootVal(name, expr string, n *node) *val {
	if p.resources[name] != nil {
		return unknownVal(n.pos(), expr, "an output of resource "+name+", known once Pulumi has created it")
	}
	if v := p.configValue(name, expr, n); v != nil {
		return v
	}
	if p.variables[name] != nil {
		return p.variable(name, expr, n)
	}
	project := p.root.get("name").scalarText()
	if bare, ok := strings.CutPrefix(name, project+":"); ok && project != "" {
		if v := p.configValue(bare, expr, n); v != nil {
			return v
		}
	}
	if name == "pulumi" {
		return unknownVal(n.pos(), expr, "a property of the running program and stack")
	}
	return unknownVal(n.pos(), expr, "the program declares no config value, variable or resource "+name+
		": only the stack's configuration may give it")
}

// maxVariableDepth bounds how many variables a value is reached
// through, each referring to the next.
const maxVariableDepth = 1000

// tooDeepWhy is why a value reached through more than maxVariableDepth
// variables is not judged, given once rather than as the chain.
var tooDeepWhy = "the value is reached through more than " + strconv.Itoa(maxVariableDepth) +
	" variables, each referring to the next, which s3cors does not follow"

// maxWhyLen bounds the reason a variable is not known, which names the
// reason of what it refers to.
const maxWhyLen = 300

// variable returns the value of the variable name, referred to in n, as
// Pulumi YAML evaluates it: its expression, evaluated once for each
// bucket. A variable that refers to itself, which Pulumi refuses before
// it runs the program, is not known.
func (p *pulumiProgram) variable(name, expr string, n *node) *val {
	v, done := p.vars[name]
	if !done {
		if p.busy[name] {
			return unknownVal(n.pos(), expr, "variable "+name+" refers to itself (pulumi preview: \"circular dependency of variable '"+
				name+"' transitively on itself\")")
		}
		if len(p.busy) >= maxVariableDepth {
			// Each variable in the chain is a Go call deeper: a
			// megabyte of v1: ${v2}, v2: ${v3}, ... took 2.5 s and
			// 290 MB of stack, where programs chain a handful.
			return unknownVal(n.pos(), expr, tooDeepWhy)
		}
		p.busy[name] = true
		v = p.value(p.variables[name])
		delete(p.busy, name)
		p.vars[name] = v
	}
	if v.kind == vUnknown {
		if v.refusal != "" {
			return v
		}
		if v.why == tooDeepWhy {
			return unknownVal(n.pos(), expr, tooDeepWhy)
		}
		// Cut short: a chain of variables would repeat each reason.
		return unknownVal(n.pos(), expr, shorten("variable "+name+" is "+v.expr+": "+v.why, maxWhyLen))
	}
	if !p.l.spendN(n.pos(), v.count()) {
		return unknownVal(n.pos(), expr, "too much to evaluate")
	}
	return v.via(n.pos(), "variable "+name)
}

// call evaluates the built-in function fn (a mapping of one fn:: key, n)
// of the argument arg: those Pulumi YAML evaluates from their arguments
// alone, when these are known; any other (fn::invoke, fn::readFile, an
// asset) is evaluated when the program runs. Pulumi YAML takes the
// function's name in any case.
func (p *pulumiProgram) call(fn string, arg, n *node) *val {
	switch strings.ToLower(fn) {
	case "fn::join":
		return p.join(arg, n)
	case "fn::split":
		return p.split(arg, n)
	case "fn::select":
		return p.selectFn(arg, n)
	case "fn::tojson":
		return p.toJSON(arg, n)
	case "fn::secret":
		// The value, which Pulumi sends marked secret.
		return p.value(arg)
	}
	return unknownVal(n.pos(), render(n, 60), "Pulumi YAML's "+fn+" is evaluated when the program runs")
}

// twoArgs evaluates the two arguments of a function, a list of two that
// Pulumi YAML's parser requires (refused with its message, shape,
// otherwise); bad is
// the value to return instead when either is not known, or refused.
func (p *pulumiProgram) twoArgs(shape string, arg, n *node) (a, b, bad *val) {
	expr := render(n, 60)
	if arg.kind != nSeq || len(arg.items) != 2 {
		return nil, nil, refusedVal(n, expr, CodeWrongType, "Pulumi YAML refuses "+expr+": "+strconv.Quote(shape))
	}
	a, b = p.value(arg.items[0]), p.value(arg.items[1])
	for _, v := range []*val{a, b} {
		if _, u := v.scan(); u != nil {
			return nil, nil, unknownFrom(n, expr, u)
		}
	}
	return a, b, nil
}

// join evaluates fn::join [delimiter, values] as Pulumi YAML does: a
// null delimiter is "", and the values are strings.
func (p *pulumiProgram) join(arg, n *node) *val {
	delim, list, bad := p.twoArgs("the argument to fn::join must be a two-valued list", arg, n)
	if bad != nil {
		return bad
	}
	refuse := func(msg string) *val {
		return refusedVal(n, render(n, 60), CodeWrongType, "Pulumi YAML fails to evaluate fn::join: "+strconv.Quote(msg))
	}
	switch {
	case delim.kind != vString && delim.kind != vNull:
		return refuse("delimiter must be a string, not " + pulumiTypeString(delim))
	case list.kind != vList:
		return refuse("the second argument to fn::join must be a list, found " + pulumiTypeString(list))
	}
	sep := delim.s
	if delim.kind == vNull {
		sep = ""
	}
	var b strings.Builder
	for i, e := range list.list {
		if e.kind != vString {
			return refuse(fmt.Sprintf("the second argument to fn::join must be a list of strings, found %s at index %d", pulumiTypeString(e), i))
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(e.s)
		if b.Len() > maxValueLen {
			return p.l.tooLong(n)
		}
	}
	if !p.l.build(n.pos(), b.Len()) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	return &val{kind: vString, s: b.String(), org: Origin{Pos: n.pos()}}
}

// split evaluates fn::split [delimiter, source] as Pulumi YAML does,
// with strings.Split: both strings, an empty delimiter splitting after
// each UTF-8 sequence.
func (p *pulumiProgram) split(arg, n *node) *val {
	delim, source, bad := p.twoArgs("The argument to fn::split must be a two-values list", arg, n)
	if bad != nil {
		return bad
	}
	for _, v := range []struct {
		what string
		v    *val
	}{{"delimiter", delim}, {"source", source}} {
		if v.v.kind != vString {
			// Pulumi's message names the type of the string it
			// failed to get: "Must be a string, not a string".
			return refusedVal(n, render(n, 60), CodeWrongType, "Pulumi YAML fails to evaluate fn::split: its "+v.what+" is "+
				pulumiTypeString(v.v)+", not a string (pulumi preview: \"Must be a string, not a string\")")
		}
	}
	return p.l.splitVal(source, delim.s, false, n.pos())
}

// selectFn evaluates fn::select [index, values] as Pulumi YAML does: the
// index a number, whole and not negative, taken as ${values[index]}.
func (p *pulumiProgram) selectFn(arg, n *node) *val {
	index, list, bad := p.twoArgs("the argument to fn::select must be a two-valued list", arg, n)
	if bad != nil {
		return bad
	}
	expr := render(n, 60)
	if index.kind != vNumber {
		return refusedVal(n, expr, CodeWrongType, "Pulumi YAML fails to evaluate fn::select: "+
			strconv.Quote("index must be a number, not "+pulumiTypeString(index)))
	}
	f, _ := strconv.ParseFloat(index.s, 64)
	if f != math.Trunc(f) || f < 0 || f >= math.MaxInt64 {
		return refusedVal(n, expr, CodeWrongType, "Pulumi YAML fails to evaluate fn::select: "+
			strconv.Quote("index must be a positive integral, not "+shorten(strconv.FormatFloat(f, 'f', -1, 64), 30)))
	}
	return p.step(list, pulumiAccessor{index: int(f), isIndex: true}, expr, n)
}

// toJSON evaluates fn::toJSON as Pulumi YAML does, with Go's
// encoding/json: numbers as float64, mappings' keys sorted, <, > and &
// escaped.
func (p *pulumiProgram) toJSON(arg, n *node) *val {
	v := p.value(arg)
	if _, u := v.scan(); u != nil {
		return unknownFrom(n, render(n, 60), u)
	}
	data, err := json.Marshal(pulumiPlain(v))
	if err != nil {
		return refusedVal(n, render(n, 60), CodeWrongType, "Pulumi YAML fails to evaluate fn::toJSON: "+
			strconv.Quote("failed to encode JSON: "+err.Error()))
	}
	if len(data) > maxValueLen {
		return p.l.tooLong(n)
	}
	if !p.l.build(n.pos(), len(data)) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	return &val{kind: vString, s: string(data), org: Origin{Pos: n.pos()}}
}

// pulumiPlain returns the known value v as Pulumi YAML holds it: a
// float64 for a number, a map for a mapping.
func pulumiPlain(v *val) any {
	switch v.kind {
	case vString:
		return v.s
	case vBool:
		return v.s == "true"
	case vNumber:
		f, _ := strconv.ParseFloat(v.s, 64)
		return f
	case vList:
		out := make([]any, len(v.list))
		for i, e := range v.list {
			out[i] = pulumiPlain(e)
		}
		return out
	case vMap:
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			out[k] = pulumiPlain(v.fields[i])
		}
		return out
	}
	return nil
}
