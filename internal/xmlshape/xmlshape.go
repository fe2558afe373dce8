// Package xmlshape bounds the shape of an XML document before Go's
// encoding/xml reads it: how deep its elements nest and how many
// attributes one element carries.
//
// encoding/xml keeps a stack entry for each open element while it
// checks that they close, and every attribute of an element in memory
// at once, so a request body of a few megabytes nested a million deep,
// or with 400,000 attributes on one element, cost serve and the proxy 26
// to 52 times its size. S3's request documents (Delete, CompleteMultipartUpload,
// Tagging, CreateBucketConfiguration) nest three or four deep and carry
// namespace declarations at most: a document past the bounds is not one
// of them, and [Check] refuses it in one pass over its bytes that keeps
// nothing.
package xmlshape

import (
	"bytes"
	"errors"
)

// Bounds every S3 request document keeps well within: the deepest of
// them, Tagging/TagSet/Tag/Key, nests four deep, and their elements
// carry a namespace declaration or two.
const (
	MaxDepth = 16
	MaxAttrs = 16
)

// Errors [Check] returns.
var (
	ErrTooDeep       = errors.New("elements nest deeper than any S3 request document's")
	ErrTooManyAttrs  = errors.New("an element carries more attributes than any S3 request document's")
	errNotWellFormed = errors.New("not well-formed") // never returned: Check leaves it to the decoder
)

// Check returns [ErrTooDeep] when elements of doc nest more than
// [MaxDepth] deep, [ErrTooManyAttrs] when one carries more than
// [MaxAttrs] attributes, and nil otherwise. It reads markup as
// encoding/xml does (comments, CDATA sections, processing instructions
// and directives hold no elements; a quoted attribute value may hold
// '>'), and leaves every other fault for the decoder to find: a document
// that is not well-formed passes unless it breaks a bound first.
func Check(doc []byte) error {
	err := check(doc, MaxDepth, MaxAttrs)
	if err == errNotWellFormed {
		return nil
	}
	return err
}

func check(doc []byte, maxDepth, maxAttrs int) error {
	depth := 0
	for i := 0; i < len(doc); {
		lt := bytes.IndexByte(doc[i:], '<')
		if lt < 0 {
			return nil
		}
		i += lt + 1
		rest := doc[i:]
		var skip int
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			skip = endAfter(rest, "!--", "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			skip = endAfter(rest, "![CDATA[", "]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			skip = endAfter(rest, "?", "?>")
		case bytes.HasPrefix(rest, []byte("!")):
			skip = directiveEnd(rest)
		case bytes.HasPrefix(rest, []byte("/")):
			skip = endOf(rest, ">")
			depth--
		default:
			n, attrs, empty := startTag(rest, maxAttrs)
			if attrs > maxAttrs {
				return ErrTooManyAttrs
			}
			if n < 0 {
				return errNotWellFormed
			}
			// An empty element stands one level down all the same:
			// encoding/xml reads "<a/>" as a start and an end.
			if depth+1 > maxDepth {
				return ErrTooDeep
			}
			if !empty {
				depth++
			}
			skip = n
		}
		if skip < 0 {
			return errNotWellFormed
		}
		i += skip
	}
	return nil
}

// endOf returns the length of b up to and including the first end, or
// -1 when b has none.
func endOf(b []byte, end string) int {
	n := bytes.Index(b, []byte(end))
	if n < 0 {
		return -1
	}
	return n + len(end)
}

// endAfter is endOf for b, which starts with open, looking for end only
// after it, as encoding/xml does: "<!-->" opens a comment that "-->"
// must still close.
func endAfter(b []byte, open, end string) int {
	n := endOf(b[len(open):], end)
	if n < 0 {
		return -1
	}
	return len(open) + n
}

// directiveEnd returns the length of the directive b starts ("!DOCTYPE
// ..."), up to and including its '>', or -1: as encoding/xml reads one,
// '<' and '>' outside quotes and comments nest within it, and the byte
// after the '!' is taken as it is, whatever it is ("<!>" does not end
// there).
func directiveEnd(b []byte) int {
	depth := 0
	var quote byte
	for i := 2; i < len(b); i++ {
		c := b[i]
		if quoted(&quote, c) {
			continue
		}
		switch {
		case c == '<' && bytes.HasPrefix(b[i:], []byte("<!--")):
			n := endAfter(b[i:], "<!--", "-->")
			if n < 0 {
				return -1
			}
			i += n - 1
		case c == '<':
			depth++
		case c == '>':
			if depth == 0 {
				return i + 1
			}
			depth--
		}
	}
	return -1
}

// startTag reads the start tag b starts (after its '<') up to and
// including its '>': its length, how many attributes it carries (each
// '=' outside a quoted value) and whether it is empty ("/>"); the
// length is -1 when the tag does not end. It stops at the attribute past
// maxAttrs, which refuses the tag whether it ends or not: encoding/xml
// would hold them all before it found the end missing.
func startTag(b []byte, maxAttrs int) (n, attrs int, empty bool) {
	var quote byte
	for i, c := range b {
		if quoted(&quote, c) {
			continue
		}
		switch {
		case c == '=':
			if attrs++; attrs > maxAttrs {
				return -1, attrs, false
			}
		case c == '>':
			return i + 1, attrs, i > 0 && b[i-1] == '/'
		}
	}
	return -1, attrs, false
}

// quoted reads c, a byte of a tag or directive, in the quoted value
// *quote is in (0 outside one), and reports whether c is a quote or
// stands in a value, which holds no markup.
func quoted(quote *byte, c byte) bool {
	switch {
	case *quote != 0:
		if c == *quote {
			*quote = 0
		}
		return true
	case c == '"' || c == '\'':
		*quote = c
		return true
	}
	return false
}
