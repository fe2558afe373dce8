package xmlconfig

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// encodeWide encodes s in UTF-16 or, when width is 4, UTF-32, in the byte
// order given, after bom; Windows PowerShell 5.1 writes UTF-16 with the
// byte order mark FF FE for '>' and Out-File.
func encodeWide(s string, width int, order binary.AppendByteOrder, bom string) []byte {
	b := []byte(bom)
	if width == 4 {
		for _, r := range s {
			b = order.AppendUint32(b, uint32(r))
		}
		return b
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

// TestWideEncoding checks that a document in UTF-16 or UTF-32 is refused
// with a Reason that names its encoding, whichever decoder reads it,
// rather than calling it neither XML nor JSON or invalid UTF-8.
//
// UNVERIFIED: the XML specification has every processor read UTF-16 with a
// byte order mark; whether S3 takes a UTF-16 PutBucketCors body is not
// recorded. Refusing it is this package's choice, as for other encodings
// (errNotUTF8). The AWS CLI reads a file:// parameter in the system's
// encoding, UTF-8 or a Windows code page, and cannot read UTF-16 JSON.
func TestWideEncoding(t *testing.T) {
	t.Parallel()
	docs := []struct{ name, text string }{
		{"XML", xmlDoc(xmlRule(okMembers))},
		{"CLI JSON", "{\n  \"CORSRules\": [" + okJSONRule + "]\n}\n"},
		{"console JSON", "\r\n" + consoleDoc(okJSONRule)},
	}
	encodings := []struct {
		name  string
		width int
		order binary.AppendByteOrder
		bom   string
		want  string
	}{
		{"UTF-16LE with a byte order mark", 2, binary.LittleEndian, "\xff\xfe", "the file is UTF-16 (byte order mark FF FE)"},
		{"UTF-16BE with a byte order mark", 2, binary.BigEndian, "\xfe\xff", "the file is UTF-16 (byte order mark FE FF)"},
		{"UTF-16LE", 2, binary.LittleEndian, "", "the file is UTF-16 (a NUL byte beside each ASCII character)"},
		{"UTF-16BE", 2, binary.BigEndian, "", "the file is UTF-16 (a NUL byte beside each ASCII character)"},
		{"UTF-32LE with a byte order mark", 4, binary.LittleEndian, "\xff\xfe\x00\x00", "the file is UTF-32 (byte order mark FF FE 00 00)"},
		{"UTF-32BE with a byte order mark", 4, binary.BigEndian, "\x00\x00\xfe\xff", "the file is UTF-32 (byte order mark 00 00 FE FF)"},
		{"UTF-32LE", 4, binary.LittleEndian, "", "the file is UTF-32 (three NUL bytes beside each ASCII character)"},
		{"UTF-32BE", 4, binary.BigEndian, "", "the file is UTF-32 (three NUL bytes beside each ASCII character)"},
	}
	decoders := []struct {
		name   string
		decode func([]byte) (*Document, error)
	}{
		{"Unmarshal", Unmarshal},
		{"DecodeXML", func(b []byte) (*Document, error) { return DecodeXML(strings.NewReader(string(b))) }},
		{"DecodeJSON", func(b []byte) (*Document, error) { return DecodeJSON(strings.NewReader(string(b))) }},
	}
	const fix = ": save it as UTF-8 without a byte order mark, e.g. with Out-File -Encoding ascii"
	for _, doc := range docs {
		for _, enc := range encodings {
			in := encodeWide(doc.text, enc.width, enc.order, enc.bom)
			for _, d := range decoders {
				t.Run(doc.name+"/"+enc.name+"/"+d.name, func(t *testing.T) {
					t.Parallel()
					got, err := d.decode(in)
					if got != nil {
						t.Errorf("doc = %+v, want nil", got)
					}
					checkMalformed(t, err, wantErr{reason: enc.want, line: 1, col: 1})
					checkMalformed(t, err, wantErr{reason: fix, line: 1, col: 1})
				})
			}
		}
	}
}

// TestWidePowerShell checks the whole Reason for the file Windows
// PowerShell 5.1 writes for "aws s3api get-bucket-cors > cors.json".
func TestWidePowerShell(t *testing.T) {
	t.Parallel()
	in := encodeWide("{\r\n    \"CORSRules\": [\r\n"+okJSONRule+"]}\r\n", 2, binary.LittleEndian, "\xff\xfe")
	_, err := Unmarshal(in)
	const want = "the file is UTF-16 (byte order mark FF FE), as Windows PowerShell 5.1 writes with '>' and Out-File" +
		": save it as UTF-8 without a byte order mark, e.g. with Out-File -Encoding ascii"
	checkMalformed(t, err, wantErr{reason: want, line: 1, col: 1})
	if e := Problems(err); len(e) != 1 || e[0].Reason != want {
		t.Errorf("problems = %v, want one with the Reason %q", e, want)
	}
}

// TestNotWide checks that documents with a NUL byte or the bytes of a
// byte order mark elsewhere are not taken for UTF-16 or UTF-32.
func TestNotWide(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want wantErr
	}{
		{"NUL after the first character", "[\x00]", wantErr{reason: `unexpected '\x00'; want a value`, col: 2}},
		{"NUL after the first character only", "<\x00CO", wantErr{reason: "character U+0000 is not allowed in XML", col: 2}},
		{"NULs only", "\x00\x00\x00\x00", wantErr{reason: "neither XML", col: 1}},
		{"two NULs beside each character", "<\x00\x00C\x00\x00", wantErr{reason: "character U+0000", col: 2}},
		{"FF FE after white space", " \xff\xfe<\x00", wantErr{reason: "neither XML", col: 2}},
		{"a UTF-8 byte order mark", "\uFEFF" + cliDoc(okJSONRule), wantErr{reason: "byte order mark, which the AWS CLI does not skip", col: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Unmarshal([]byte(tc.in))
			checkMalformed(t, err, tc.want)
		})
	}
}
