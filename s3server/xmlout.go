package s3server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/xmlconfig"
)

// ownerID is the canonical user ID of the one account this server has.
const ownerID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"

// startXML starts an S3 response document: the declaration, then the
// root element in S3's namespace.
func startXML(root string) []byte {
	b := make([]byte, 0, 1024)
	b = append(b, xmlw.Declaration...)
	return append(b, "<"+root+` xmlns="`+xmlconfig.S3Namespace+`">`...)
}

func endXML(b []byte, root string) []byte { return append(b, "</"+root+">"...) }

// writeXML sends an XML document with status 200.
func writeXML(w http.ResponseWriter, body []byte) { writeXMLStatus(w, http.StatusOK, body) }

// writeXMLStatus sends an XML document with status.
func writeXMLStatus(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// writeEmpty sends status with no body and no Content-Type, as S3 answers
// writes.
func writeEmpty(w http.ResponseWriter, status int) {
	if status != http.StatusNoContent {
		w.Header().Set("Content-Length", "0")
	}
	w.WriteHeader(status)
}

const isoMillis = "2006-01-02T15:04:05.000Z"

// appendTime appends t in UTC as S3 writes times in XML: ISO 8601 with
// milliseconds.
func appendTime(b []byte, name string, t time.Time) []byte {
	return xmlw.AppendElement(b, name, t.UTC().Format(isoMillis))
}

// appendETag appends an ETag element. S3 escapes the quotes of an ETag
// in XML, unlike other text.
func appendETag(b []byte, etag string) []byte {
	b = append(b, "<ETag>"...)
	for i := 0; i < len(etag); i++ {
		if etag[i] == '"' {
			b = append(b, "&quot;"...)
		} else {
			b = append(b, etag[i])
		}
	}
	return append(b, "</ETag>"...)
}

// appendInt appends an element holding n; name needs no escaping.
func appendInt(b []byte, name string, n int64) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = strconv.AppendInt(b, n, 10)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

func appendBool(b []byte, name string, v bool) []byte {
	return xmlw.AppendElement(b, name, strconv.FormatBool(v))
}

func appendOwner(b []byte) []byte {
	return append(b, "<Owner><ID>"+ownerID+"</ID></Owner>"...)
}
