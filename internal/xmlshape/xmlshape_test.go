package xmlshape

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("<a>", n) + strings.Repeat("</a>", n) }
	attrs := func(n int) string {
		var b strings.Builder
		b.WriteString("<a")
		for i := range n {
			b.WriteString(" x" + strings.Repeat("y", i) + `="1"`)
		}
		return b.String() + "/>"
	}
	for _, tc := range []struct {
		name, doc string
		want      error
	}{
		{"Delete", `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a=b</Key></Object><Quiet>true</Quiet></Delete>`, nil},
		{"Tagging", `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`, nil},
		{"at the depth bound", deep(MaxDepth), nil},
		{"past the depth bound", deep(MaxDepth + 1), ErrTooDeep},
		{"a million deep", deep(1_000_000), ErrTooDeep},
		{"deep, never closed", strings.Repeat("<a>", MaxDepth+1), ErrTooDeep},
		{"empty elements do not nest", strings.Repeat("<a/>", 1000), nil},
		{"an empty element at the depth bound", strings.Repeat("<a>", MaxDepth-1) + "<a/>" + strings.Repeat("</a>", MaxDepth-1), nil},
		{"an empty element past the depth bound", strings.Repeat("<a>", MaxDepth) + "<a/>" + strings.Repeat("</a>", MaxDepth), ErrTooDeep},
		{"at the attribute bound", attrs(MaxAttrs), nil},
		{"past the attribute bound", attrs(MaxAttrs + 1), ErrTooManyAttrs},
		{"past the attribute bound, tag never ends", strings.TrimSuffix(attrs(MaxAttrs+1), "/>"), ErrTooManyAttrs},
		{"= in quoted values", `<a x="=====================" y='=================='>` + "</a>", nil},
		{"> in a quoted value", `<a x=">">` + deep(MaxDepth-1) + `</a>`, nil},
		{"markup in a comment", "<!--" + deep(100) + "-->", nil},
		{"markup in CDATA", "<a><![CDATA[" + strings.Repeat("<a>", 100) + "]]></a>", nil},
		{"markup in a processing instruction", "<?pi " + strings.Repeat("<a>", 100) + "?><a/>", nil},
		{"a directive with an internal subset", `<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a x CDATA "<">]><a/>`, nil},
		{"not well-formed, within bounds", "<a><b></a>", nil},
		{"unterminated comment", "<a><!-- " + deep(100), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Check([]byte(tc.doc)); got != tc.want {
				t.Errorf("Check = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCheckAllocs holds Check to its promise of keeping nothing.
func TestCheckAllocs(t *testing.T) {
	doc := []byte(strings.Repeat("<a>", 1000))
	if n := testing.AllocsPerRun(10, func() { _ = Check(doc) }); n != 0 {
		t.Errorf("Check allocates %v times", n)
	}
}

// reference returns how deep the elements of doc nest and the most
// attributes one carries, as encoding/xml reads them, and whether it
// reads doc to its end without an error.
func reference(doc []byte) (depth, attrs int, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	open := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return depth, attrs, err.Error() == "EOF"
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open++
			depth, attrs = max(depth, open), max(attrs, len(t.Attr))
		case xml.EndElement:
			open--
		}
	}
}

// FuzzCheck holds check, with small bounds the fuzzer reaches, to
// encoding/xml: a document it passes that the decoder reads whole keeps
// both bounds, and one it refuses either breaks one or is not
// well-formed.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"<a><b><c/></b></a>", "<a x='1' y=\"2\"/>", "<a x='>'><b/></a>", "<!-- <a><a><a> --><a/>",
		"<a><![CDATA[<a><a><a>]]></a>", "<?p <a><a><a> ?><a/>", "<!DOCTYPE a [<!ENTITY e '<a>'>]><a/>", "<a><a><a><a></a></a></a></a>",
		"<a p='1' q='2' r='3'/>", "<a:b xmlns:a='u'><a:c/></a:b>"} {
		f.Add([]byte(s))
	}
	const maxDepth, maxAttrs = 3, 2
	f.Fuzz(func(t *testing.T, doc []byte) {
		depth, attrs, ok := reference(doc)
		switch err := check(doc, maxDepth, maxAttrs); {
		case err == nil || err == errNotWellFormed:
			if ok && (depth > maxDepth || attrs > maxAttrs) {
				t.Errorf("check passes %q, which encoding/xml reads %d deep with %d attributes", doc, depth, attrs)
			}
		case ok && depth <= maxDepth && attrs <= maxAttrs:
			t.Errorf("check refuses %q (%v), which encoding/xml reads %d deep with %d attributes", doc, err, depth, attrs)
		}
	})
}
