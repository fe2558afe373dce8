package s3err

import (
	"net/http"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/xmlw"
)

// Template is an error document prepared once, with the values of some of
// its details and the request IDs left to fill in for each response.
// Writing one copies the prepared text and escapes only the values filled
// in, instead of escaping every element again: it is for the answers a
// server sends often and fast, such as a refused preflight. A Template is
// immutable and safe for concurrent use. The zero Template holds no
// document and panics when written: make one with [NewTemplate].
type Template struct {
	status int
	// text holds the document cut at each value to fill in: text[0], the
	// first value, text[1], ..., the request ID, text[n-2], the host ID,
	// text[n-1].
	text []string
	open int // how many detail values Write takes
}

// NewTemplate prepares e's document (see [Error.AppendXML]) with the
// values of the details named in open left to fill in, in the order
// e.Details lists them. It panics if e has no detail with one of the
// names: templates are made once, from errors written in the program.
func NewTemplate(e *Error, open ...string) *Template {
	t := &Template{status: e.StatusCode}
	b := append([]byte(xmlw.Declaration), "<Error>"...)
	b = xmlw.AppendElement(b, "Code", e.Code)
	b = xmlw.AppendElement(b, "Message", e.Message)
	cut := func(name string) {
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		t.text = append(t.text, string(b))
		b = append(b[:0], "</"...)
		b = append(b, name...)
		b = append(b, '>')
	}
	for _, d := range e.Details {
		if slices.Contains(open, d.Name) {
			cut(d.Name)
			t.open++
			continue
		}
		b = xmlw.AppendElement(b, d.Name, d.Value)
	}
	if t.open != len(open) {
		panic("s3err.NewTemplate: " + e.Code + " lacks a detail named in " + strings.Join(open, ", "))
	}
	cut("RequestId")
	cut("HostId")
	t.text = append(t.text, string(append(b, "</Error>"...)))
	return t
}

// AppendXML appends the document with values filled in for the open
// details, in order, and the request IDs; values are escaped as
// [Error.AppendXML] escapes them, so the two write the same bytes. A
// missing value counts as empty.
func (t *Template) AppendXML(b []byte, values []string, requestID, hostID string) []byte {
	return t.appendXML(b, values, requestID, hostID, false)
}

// appendXML is AppendXML; plainIDs says the request IDs are known to
// need no escaping (they were made by [RequestIDs]), which saves
// scanning the 92 bytes of every response.
func (t *Template) appendXML(b []byte, values []string, requestID, hostID string, plainIDs bool) []byte {
	b = append(b, t.text[0]...)
	for i := range t.open {
		if i < len(values) {
			b = xmlw.AppendEscaped(b, values[i])
		}
		b = append(b, t.text[i+1]...)
	}
	if plainIDs {
		b = append(b, requestID...)
		b = append(b, t.text[t.open+1]...)
		b = append(b, hostID...)
	} else {
		b = xmlw.AppendEscaped(b, requestID)
		b = append(b, t.text[t.open+1]...)
		if strings.HasPrefix(hostID, hostIDPrefix) {
			// A host ID made by RequestIDs, here or by the server before:
			// only its fresh characters need looking at.
			b = append(b, hostIDPrefix...)
			hostID = hostID[len(hostIDPrefix):]
		}
		b = xmlw.AppendEscaped(b, hostID)
	}
	return append(b, t.text[t.open+2]...)
}

// StatusCode returns the HTTP status the template is sent with.
func (t *Template) StatusCode() int { return t.status }

// Write sends the document as [Write] sends an error, with values for the
// open details. With the request IDs already set in w's header, it
// allocates nothing.
func (t *Template) Write(w http.ResponseWriter, values ...string) {
	requestID, hostID, plainIDs := startError(w, t.status)
	buf := bodyBuffers.Get().(*[]byte)
	*buf = t.appendXML((*buf)[:0], values, requestID, hostID, plainIDs)
	finishError(w, t.status, buf)
}
