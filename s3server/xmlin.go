package s3server

import (
	"bytes"
	"encoding/xml"
)

// listLonger reports whether the root element of the XML document body
// holds more than max elements named item (in any namespace, as
// xml.Unmarshal matches a field's element), counting them in one pass
// that keeps nothing and stops at the one past max. A list S3 refuses
// for its length is refused so before it is decoded: decoded whole, a
// CompleteMultipartUpload of 4 MiB of <Part/> took 779 MB (600,000
// parts), a DeleteObjects of 8 MiB of <Object/> 541 MB.
//
// A document that is not well-formed XML is reported as short, for the
// decoder to refuse; its verdict is MalformedXML either way.
func listLonger(body []byte, item string, max int) bool {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, n := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth == 2 && t.Name.Local == item {
				if n++; n > max {
					return true
				}
			}
		case xml.EndElement:
			if depth--; depth <= 0 {
				return false
			}
		}
	}
}
