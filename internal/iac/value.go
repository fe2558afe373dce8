package iac

import (
	"math"
	"math/big"
	"strconv"

	"github.com/zclconf/go-cty/cty"
)

// valKind is the kind of a resolved value.
type valKind uint8

const (
	vNull valKind = iota
	vString
	vNumber
	vBool
	vList
	vMap
	// vUnknown is a value that is not literal and has no default: a
	// resource attribute, a parameter or variable without a default, a
	// function this package does not evaluate.
	vUnknown
	// vAbsent is CloudFormation's AWS::NoValue: as if not written.
	vAbsent
)

// val is a value after references, intrinsic functions and expressions
// are resolved, with where each part is written.
type val struct {
	kind   valKind
	s      string // scalars: the text (a number as written, a bool as "true")
	org    Origin
	list   []*val
	keys   []string // vMap, in document order
	fields []*val
	// keyAt says where each key is written, for a mapping read from a
	// template's or a block's text, so that what is wrong with a key
	// itself (a member the tool does not know) points at it. nil, or of
	// another length than keys, when not known: see keyPos.
	keyAt []Position
	// set marks a vList that is a set (toset, a variable of a set type):
	// iterated by a for expression or a dynamic block, an element's key
	// is the element itself, not its index.
	set bool
	// elem is the element type of a vMap that is a map, not an object
	// (a variable of a map type, tomap): lookup converts its default to
	// it. cty.NilType otherwise.
	elem cty.Type
	// nullType is the type of a vNull that has one (tostring(null),
	// tolist(null), a variable of a type constraint left null), which
	// the functions given it check as Terraform's do: coalescelist
	// passes over a null list and refuses a null of no type.
	// cty.NilType for a null as written, of no type.
	nullType cty.Type
	// tuple marks a vList written [...] or made by a for expression, a
	// tuple; typedList one of a list type (a variable's type, tolist).
	// A conditional whose other branch is a set converts a tuple to a
	// set and a set to a list; other vLists are of either type.
	tuple, typedList bool
	// vUnknown: the expression as written, and why it is not known.
	expr, why string
	// file names the file, by its key in loader.files, that a string
	// Terraform's file read is the whole text of, so that jsondecode
	// locates the values it gives in the file while s is still that
	// text; "" otherwise.
	file string
	// err marks a vUnknown that Terraform fails to evaluate, definitely:
	// an attribute or a key the object does not have, an index outside
	// the list, an argument of a type the function refuses, JSON that is
	// not well-formed. try skips it and can is false for it. Any other
	// unknown (known only at plan or apply time, or not evaluated here)
	// might be a value: try and can are not known for it.
	err bool
	// refusal is the TemplateError code of a vUnknown that the tool
	// refuses to evaluate, which fails the deployment (Pulumi YAML's
	// "list index 5 out-of-bounds"): the bucket gets an error, why its
	// message, where another unknown value is not judged. "" otherwise.
	refusal string
	// scanned, failure and unknownPart memoize scan.
	scanned              bool
	failure, unknownPart *val
	// nodes is what count counts, once it has; 0 before.
	nodes int
}

// count returns the number of values v is made of, itself included, and
// a step for each bytesPerStep bytes of their strings: what copying it
// (via) costs, and what reading the copy does. It counts once; a value
// is not changed once made.
func (v *val) count() int {
	if v.nodes == 0 {
		n := 1 + len(v.s)/bytesPerStep
		for _, e := range v.list {
			n += e.count()
		}
		for _, e := range v.fields {
			n += e.count()
		}
		v.nodes = n
	}
	return v.nodes
}

func (v *val) isScalar() bool { return v.kind == vString || v.kind == vNumber || v.kind == vBool }

func (v *val) field(key string) *val {
	for i, k := range v.keys {
		if k == key {
			return v.fields[i]
		}
	}
	return nil
}

func unknownVal(pos Position, expr, why string) *val {
	return &val{kind: vUnknown, org: Origin{Pos: pos}, expr: expr, why: why}
}

// errorVal is a value Terraform fails to evaluate (see val.err).
func errorVal(pos Position, expr, why string) *val {
	return &val{kind: vUnknown, org: Origin{Pos: pos}, expr: expr, why: why, err: true}
}

// because returns v, an unknown value made from cause, marked as an error
// when cause is one: an expression fails when what it is made of fails.
func (v *val) because(cause *val) *val {
	if cause != nil && cause.kind == vUnknown && cause.err && v.kind == vUnknown {
		v.err = true
	}
	return v
}

// scan returns the first part of v, itself included, that Terraform
// fails to evaluate, and the first part that is not known; nil when there
// is none. A value is not changed once made, so the answer is kept.
func (v *val) scan() (failure, unknown *val) {
	if !v.scanned {
		if v.kind == vUnknown {
			v.unknownPart = v
			if v.err {
				v.failure = v
			}
		}
		for _, parts := range [][]*val{v.list, v.fields} {
			for _, e := range parts {
				f, u := e.scan()
				if v.failure == nil {
					v.failure = f
				}
				if v.unknownPart == nil {
					v.unknownPart = u
				}
			}
		}
		v.scanned = true
	}
	return v.failure, v.unknownPart
}

// keyPos returns where the key of field i of the mapping v is written,
// or where its value is when that is not known.
func (v *val) keyPos(i int) Position {
	if len(v.keyAt) == len(v.keys) && v.keyAt[i].IsValid() {
		return v.keyAt[i]
	}
	return v.fields[i].org.Pos
}

// via returns a copy of v whose parts say they were reached from ref
// through via (a parameter's default, a variable).
func (v *val) via(ref Position, via string) *val {
	c := *v
	if !c.org.Ref.IsValid() {
		c.org.Ref, c.org.Via = ref, via
	}
	if len(v.list) > 0 {
		c.list = make([]*val, len(v.list))
		for i, e := range v.list {
			c.list[i] = e.via(ref, via)
		}
	}
	if len(v.fields) > 0 {
		c.fields = make([]*val, len(v.fields))
		for i, e := range v.fields {
			c.fields[i] = e.via(ref, via)
		}
	}
	return &c
}

// describe names a kind of value for messages, with its article ("a
// string").
func (k valKind) describe() string {
	switch k {
	case vNull:
		return "null"
	case vString:
		return "a string"
	case vNumber:
		return "a number"
	case vBool:
		return "a boolean"
	case vList:
		return "a list"
	case vMap:
		return "a mapping"
	}
	return "a value"
}

// wholeNumber returns the integer a number or numeric string holds; ok is
// false when it holds no whole number, or one beyond int64. A space around
// the number makes it no number, as cty's conversion to a number, which
// Terraform uses, refuses " 30".
func wholeNumber(s string) (n int64, ok bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, _, err := big.ParseFloat(s, 10, 256, big.ToNearestEven)
	if err != nil || !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	return i, acc == big.Exact
}

func fitsInt32(n int64) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }
