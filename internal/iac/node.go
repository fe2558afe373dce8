package iac

import (
	"fmt"
	"strconv"
)

// nodeKind is the kind of a node of a JSON or YAML document.
type nodeKind uint8

const (
	nNull nodeKind = iota
	nBool
	nNumber
	nString
	nSeq
	nMap
)

var nodeKindNames = [...]string{nNull: "null", nBool: "a boolean", nNumber: "a number", nString: "a string", nSeq: "a list", nMap: "a mapping"}

// node is one value of a JSON or YAML document and where it is. A
// YAML alias is the node of its anchor, shared: a document of aliases is
// a graph whose size is that of the text, however large its expansion.
type node struct {
	kind nodeKind
	// tag is the explicit local tag of a YAML node, such as "!Ref" or
	// "!If"; "" otherwise.
	tag  string
	text string // the scalar's text; for nBool and nNumber as written
	src  *source
	off  int
	end  int // where a JSON value ends, past its last byte; 0 in YAML
	// items are the elements of a list, or the values of a mapping whose
	// keys are keys, in document order.
	items []*node
	keys  []*node
	// unknown says why the value is not known, for a string that holds
	// a variable the Serverless Framework resolves when it packages a
	// service (see slsService.subst); "" for any other node.
	unknown string
	// assumed says what was taken for granted to give a value from a
	// Serverless Framework variable: a fallback taken as if the option or
	// environment variable before it were not set, the stage deployed
	// without --stage. Each becomes a note of the bucket that reads the
	// value.
	assumed []Note
}

func (n *node) pos() Position { return n.src.pos(n.off) }

// get returns the value of key in a mapping, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != nMap {
		return nil
	}
	for i, k := range n.keys {
		if k.text == key {
			return n.items[i]
		}
	}
	return nil
}

func (n *node) isScalar() bool { return n.kind <= nString }

// describe names the node's kind for messages.
func (n *node) describe() string {
	if n.tag != "" {
		return n.tag
	}
	return nodeKindNames[n.kind]
}

// ParseError is a file that is not well-formed JSON, YAML or HCL, or that
// goes past one of the package's bounds: where, and what is wrong.
type ParseError struct {
	Pos Position
	Msg string
}

func (e *ParseError) Error() string {
	if e.Pos.File == "" && !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

func parseErrorf(src *source, off int, format string, args ...any) *ParseError {
	return &ParseError{Pos: src.pos(off), Msg: fmt.Sprintf(format, args...)}
}

// quote quotes s for a message, shortened so that a long value does not
// make a long message.
func quote(s string) string {
	const max = 80
	if len(s) <= max {
		return strconv.Quote(s)
	}
	n := max
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return strconv.Quote(s[:n]) + "..."
}
