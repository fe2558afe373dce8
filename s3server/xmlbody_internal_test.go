package s3server

import (
	"encoding/xml"
	"errors"
	"net/http"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/hostile"
	"github.com/s3cors/s3cors/internal/xmlshape"
	"github.com/s3cors/s3cors/s3err"
)

// addListSeeds adds to f, as bodies of the document whose root is root
// and whose entries are item, the XML bodies of the hostile catalogue
// (config-bodies.json: entity expansion, deep nesting, floods of
// elements, attributes, comments, bytes that are not UTF-8, ...), with
// CORSConfiguration and CORSRule renamed, and the documents given.
func addListSeeds(f *testing.F, root, item string, docs ...string) {
	var bodies []hostile.ConfigBody
	if err := hostile.Load("config-bodies.json", &bodies); err != nil {
		f.Fatal(err)
	}
	rename := strings.NewReplacer("CORSConfiguration", root, "CORSRule", item)
	for _, b := range bodies {
		if !b.Body.Streamed() {
			f.Add([]byte(hostile.Clip(rename.Replace(string(b.Body.Small())), 64<<10)))
		}
	}
	for _, d := range docs {
		f.Add([]byte(d))
	}
}

// errorCodeOf returns the S3 error code of err, "" for nil.
func errorCodeOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok || e.StatusCode != http.StatusBadRequest {
		t.Fatalf("a failure S3 would not send: %#v", err)
	}
	return e.Code
}

// referenceComplete reads a CompleteMultipartUpload body as plainly as
// it can be read: decoded whole, then judged. parseComplete must give
// the same verdict, and the same parts, while decoding no list longer
// than S3 takes.
func referenceComplete(body []byte) ([]int, []completePart, string) {
	var req completeRequest
	if xmlshape.Check(body) != nil || xml.Unmarshal(body, &req) != nil || len(req.Parts) == 0 || len(req.Parts) > MaxParts {
		return nil, nil, "MalformedXML"
	}
	numbers := make([]int, len(req.Parts))
	for i, p := range req.Parts {
		n, err := strconv.Atoi(strings.TrimSpace(p.PartNumber))
		if err != nil || p.ETag == nil {
			return nil, nil, "MalformedXML"
		}
		if i > 0 && n <= numbers[i-1] {
			return nil, nil, "InvalidPartOrder"
		}
		numbers[i] = n
	}
	return numbers, req.Parts, ""
}

// FuzzCompleteBody reads CompleteMultipartUpload bodies with
// parseComplete and with referenceComplete: the same error code, or the
// same part numbers and parts.
func FuzzCompleteBody(f *testing.F) {
	part := func(n int) string {
		return "<Part><PartNumber>" + strconv.Itoa(n) + `</PartNumber><ETag>"e"</ETag></Part>`
	}
	many := &strings.Builder{}
	for n := 1; n <= MaxParts+1; n++ {
		many.WriteString(part(n))
	}
	addListSeeds(f, "CompleteMultipartUpload", "Part",
		`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`+part(1)+part(2)+`</CompleteMultipartUpload>`,
		"<CompleteMultipartUpload>"+part(2)+part(1)+"</CompleteMultipartUpload>",
		"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>a</ETag><ChecksumCRC32>c</ChecksumCRC32></Part></CompleteMultipartUpload>",
		"<CompleteMultipartUpload><x:Part xmlns:x='u'><PartNumber> 3 </PartNumber><ETag/></x:Part><Other><Part/></Other></CompleteMultipartUpload>",
		"<CompleteMultipartUpload>"+many.String()+"</CompleteMultipartUpload>")
	f.Fuzz(func(t *testing.T, body []byte) {
		numbers, parts, err := parseComplete(body, "id")
		wantNumbers, wantParts, wantCode := referenceComplete(body)
		if code := errorCodeOf(t, err); code != wantCode {
			t.Fatalf("parseComplete: %q, the reference %q", code, wantCode)
		}
		if !reflect.DeepEqual(numbers, wantNumbers) || !reflect.DeepEqual(parts, wantParts) {
			t.Fatalf("parseComplete: %v %+v, the reference %v %+v", numbers, parts, wantNumbers, wantParts)
		}
	})
}

// FuzzDeleteBody reads DeleteObjects bodies with parseDelete and with
// xml.Unmarshal, judged as plainly as it can be: the same verdict, and
// the same request.
func FuzzDeleteBody(f *testing.F) {
	object := func(key string) string { return "<Object><Key>" + key + "</Key></Object>" }
	addListSeeds(f, "Delete", "Object",
		`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>`+object("a")+object("c&amp;d")+`</Delete>`,
		"<Delete><Object><Key>a</Key><Key>b</Key><VersionId>null</VersionId><ETag>e</ETag></Object><Quiet>x</Quiet></Delete>",
		"<Delete>"+strings.Repeat(object("k"), maxDeleteKeys+1)+"</Delete>",
		"<Delete><Other>"+strings.Repeat("<Object/>", maxDeleteKeys+1)+"</Other>"+object("k")+"</Delete>")
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseDelete(body)
		var want deleteRequest
		wantOK := xmlshape.Check(body) == nil && xml.Unmarshal(body, &want) == nil && len(want.Objects) > 0 && len(want.Objects) <= maxDeleteKeys
		switch code := errorCodeOf(t, err); {
		case wantOK && code != "":
			t.Fatalf("parseDelete: %s, but the body is a Delete of %d objects", err, len(want.Objects))
		case !wantOK && code != "MalformedXML":
			t.Fatalf("parseDelete: %q, want MalformedXML", code)
		case wantOK && !reflect.DeepEqual(*req, want):
			t.Fatalf("parseDelete: %+v, xml.Unmarshal %+v", *req, want)
		}
	})
}

// TestListLongerCounts checks listLonger against bodies whose count of
// entries is known: only the root's children of the name count, in any
// namespace, and a count past max is told however the document ends.
func TestListLongerCounts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"at the limit", "<L>" + strings.Repeat("<I/>", 3) + "</L>", false},
		{"one past it", "<L>" + strings.Repeat("<I/>", 4) + "</L>", true},
		{"one past it, in a namespace", "<L xmlns:n='u'>" + strings.Repeat("<n:I></n:I>", 4) + "</L>", true},
		{"past it, and never closed", "<L>" + strings.Repeat("<I/>", 4), true},
		{"past it, then not XML", "<L>" + strings.Repeat("<I/>", 4) + "<<", true},
		{"nested deeper", "<L><X>" + strings.Repeat("<I/>", 4) + "</X></L>", false},
		{"other names", "<L>" + strings.Repeat("<J/>", 4) + "</L>", false},
		{"after the root", "<L/>" + strings.Repeat("<I/>", 4), false},
		{"not XML before the fourth", "<L>" + strings.Repeat("<I/>", 3) + "&bad;<I/>", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := listLonger([]byte(tc.body), "I", 3); got != tc.want {
				t.Errorf("listLonger(%q) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

// TestListDocumentsHostile reads bodies meant to exhaust a reader of
// lists: each is refused with MalformedXML, as S3 refuses a body that is
// not a well-formed document of its schema.
func TestListDocumentsHostile(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("<a>", 20000)
	laughs := `<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`
	for _, tc := range []struct{ name, root, body string }{
		{"nesting 20,000 deep", "CompleteMultipartUpload", "<CompleteMultipartUpload><Part>" + deep},
		{"nesting 20,000 deep", "Delete", "<Delete><Object>" + deep},
		{"entity expansion", "CompleteMultipartUpload", laughs + "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&b;</ETag></Part></CompleteMultipartUpload>"},
		{"entity expansion", "Delete", laughs + "<Delete><Object><Key>&b;</Key></Object></Delete>"},
		{"an external entity", "Delete", `<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&x;</Key></Object></Delete>`},
	} {
		t.Run(tc.root+" "+tc.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tc.root == "Delete" {
				_, err = parseDelete([]byte(tc.body))
			} else {
				_, _, err = parseComplete([]byte(tc.body), "id")
			}
			if code := errorCodeOf(t, err); code != "MalformedXML" {
				t.Errorf("%q: %v, want MalformedXML", hostile.Clip(tc.body, 80), err)
			}
		})
	}
}

// TestListDocumentsCostLittle holds parseDelete and parseComplete to
// reading a hostile body for a small multiple of its size: nested a
// million deep, or with 400,000 attributes on one element, a body of a
// few megabytes cost encoding/xml about 25 times its size, which a few
// requests at once took to gigabytes.
func TestListDocumentsCostLittle(t *testing.T) {
	var attrs strings.Builder
	for i := range 400_000 {
		attrs.WriteString(" a" + strconv.Itoa(i) + `=""`)
	}
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
		body  string
	}{
		{"Delete nested", func(b []byte) error { _, err := parseDelete(b); return err },
			"<Delete>" + strings.Repeat("<a>", 1_000_000) + strings.Repeat("</a>", 1_000_000) + "</Delete>"},
		{"CompleteMultipartUpload nested", func(b []byte) error { _, _, err := parseComplete(b, "id"); return err },
			"<CompleteMultipartUpload>" + strings.Repeat("<Part>", 580_000) + "</CompleteMultipartUpload>"},
		{"Delete attributes", func(b []byte) error { _, err := parseDelete(b); return err },
			"<Delete><Object" + attrs.String() + "><Key>k</Key></Object></Delete>"},
	} {
		body := []byte(tc.body)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := tc.parse(body)
		runtime.ReadMemStats(&after)
		if code := errorCodeOf(t, err); code != "MalformedXML" {
			t.Errorf("%s: %q, want MalformedXML", tc.name, code)
		}
		if cost := after.TotalAlloc - before.TotalAlloc; cost > uint64(len(body)) {
			t.Errorf("%s: reading a body of %d bytes allocated %d", tc.name, len(body), cost)
		}
	}
}
