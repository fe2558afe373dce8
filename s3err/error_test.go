package s3err_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/discard"
	"github.com/s3cors/s3cors/s3err"
)

func TestAppendXML(t *testing.T) {
	t.Parallel()
	e := &s3err.Error{StatusCode: 403, Code: "AccessForbidden", Message: "CORSResponse: CORS is not enabled for this bucket.",
		Details: []s3err.Detail{{Name: "Method", Value: "GET"}, {Name: "ResourceType", Value: "BUCKET"}}}
	got := string(e.AppendXML(nil, "5D76H0SG74CGTJVH", "IAt93lip+HTdv="))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message>` +
		`<Method>GET</Method><ResourceType>BUCKET</ResourceType><RequestId>5D76H0SG74CGTJVH</RequestId><HostId>IAt93lip+HTdv=</HostId></Error>`
	if got != want {
		t.Errorf("AppendXML:\n got %s\nwant %s", got, want)
	}
	// S3's Resource element comes after the other details, before RequestId.
	withResource := string(s3err.New(404, "NoSuchKey", "The specified key does not exist.", "Key", "k", "Resource", "/b/k").AppendXML(nil, "r", "h"))
	if !regexp.MustCompile(`<Key>k</Key><Resource>/b/k</Resource><RequestId>r</RequestId>`).MatchString(withResource) {
		t.Errorf("Resource not between the details and RequestId: %s", withResource)
	}
	escaped := string(s3err.New(400, "InvalidArgument", "a<b", "ArgumentValue", "x&\x00\r").AppendXML(nil, "r", "h"))
	if want := "<Message>a&lt;b</Message><ArgumentValue>x&amp;\uFFFD&#xD;</ArgumentValue>"; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(escaped) {
		t.Errorf("text not escaped as S3 does: %s", escaped)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	e := s3err.New(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", "BucketName", "b", "odd")
	if e.StatusCode != 409 || e.Code != "BucketNotEmpty" || len(e.Details) != 1 || e.Details[0] != (s3err.Detail{Name: "BucketName", Value: "b"}) {
		t.Errorf("New = %+v", e)
	}
	if e := s3err.New(403, "AccessDenied", "Access Denied"); e.Details != nil {
		t.Errorf("New without details has %v", e.Details)
	}
}

// TestConstructors pins S3's status, code, message and details of each
// error the package builds, as S3 sends them.
func TestConstructors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err     *s3err.Error
		status  int
		code    string
		message string
		details []s3err.Detail
	}{
		{s3err.MalformedXML("why"), 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", nil},
		{s3err.MaxMessageLengthExceeded(65536), 400, "MaxMessageLengthExceeded", "Your request was too big.", nil},
		{s3err.InvalidArgument("msg", "x-amz-acl", "v"), 400, "InvalidArgument", "msg", []s3err.Detail{{"ArgumentName", "x-amz-acl"}, {"ArgumentValue", "v"}}},
		{s3err.InvalidRequest("msg"), 400, "InvalidRequest", "msg", nil},
		{s3err.AccessDenied(), 403, "AccessDenied", "Access Denied", nil},
		{s3err.NotImplemented(), 501, "NotImplemented", "A header you provided implies functionality that is not implemented", nil},
		{s3err.MethodNotAllowed("PATCH", "OBJECT"), 405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
			[]s3err.Detail{{"Method", "PATCH"}, {"ResourceType", "OBJECT"}}},
		{s3err.InternalError(), 500, "InternalError", "We encountered an internal error. Please try again.", nil},
		{s3err.IncompleteBody(), 400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", nil},
		{s3err.RequestTimeout(), 400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.", nil},
		{s3err.NoSuchBucket("b"), 404, "NoSuchBucket", "The specified bucket does not exist", []s3err.Detail{{"BucketName", "b"}}},
		{s3err.InvalidBucketName("b c"), 400, "InvalidBucketName", "The specified bucket is not valid.", []s3err.Detail{{"BucketName", "b c"}}},
		{s3err.EntityTooSmall(1, 2), 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", []s3err.Detail{{"ProposedSize", "1"}, {"MinSizeAllowed", "2"}}},
		{s3err.EntityTooLarge(3, 2), 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", []s3err.Detail{{"ProposedSize", "3"}, {"MaxSizeAllowed", "2"}}},
		{s3err.MissingContentLength(), 411, "MissingContentLength", "You must provide the Content-Length HTTP header.", nil},
		{s3err.SlowDown(), 503, "SlowDown", "Please reduce your request rate.", nil},
		{s3err.VersionIDNotAccepted("v1"), 400, "InvalidArgument", "This operation does not accept a version-id.", []s3err.Detail{{"ArgumentName", "versionId"}, {"ArgumentValue", "v1"}}},
		{s3err.NoSuchCORSConfiguration("b"), 404, "NoSuchCORSConfiguration", "The CORS configuration does not exist", []s3err.Detail{{"BucketName", "b"}}},
	} {
		e := tc.err
		if e.StatusCode != tc.status || e.Code != tc.code || e.Message != tc.message || fmt.Sprint(e.Details) != fmt.Sprint(tc.details) {
			t.Errorf("%s: %d %s %q %v, want %d %s %q %v", tc.code, e.StatusCode, e.Code, e.Message, e.Details, tc.status, tc.code, tc.message, tc.details)
		}
	}
	if r := s3err.MaxMessageLengthExceeded(2 << 20).Reason; r != "the document is larger than 2097152 bytes" {
		t.Errorf("MaxMessageLengthExceeded reason %q", r)
	}
}

func TestWriteResponse(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{"REQ"}
	rec.Header()[s3err.HostIDHeader] = []string{"HOST"}
	rec.Header().Set("Content-Length", "12")
	s3err.MalformedXML("no rules").WriteResponse(rec)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d", rec.Code)
	}
	for k, want := range map[string]string{"Content-Type": "application/xml", "Connection": "close", s3err.RequestIDHeader: "REQ",
		"Transfer-Encoding": "chunked", "Content-Length": ""} {
		if got := strings.Join(rec.Header()[k], ","); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate against our published schema</Message><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>`
	if rec.Body.String() != want {
		t.Errorf("body %s", rec.Body)
	}

	fresh := httptest.NewRecorder()
	fresh.Header().Set("Content-Length", "5") // removed, though the IDs are made
	(&s3err.Error{StatusCode: 403, Code: "AccessDenied", Message: "Access Denied"}).WriteResponse(fresh)
	if _, ok := fresh.Header()["Content-Length"]; ok {
		t.Errorf("Content-Length %q kept beside made-up IDs", fresh.Header()["Content-Length"])
	}
	id, host := s3err.HeaderValue(fresh.Header(), s3err.RequestIDHeader), s3err.HeaderValue(fresh.Header(), s3err.HostIDHeader)
	if !regexp.MustCompile(`^[0-9A-Z]{16}$`).MatchString(id) || !regexp.MustCompile(`^[A-Za-z0-9+/]{75}=$`).MatchString(host) {
		t.Errorf("made-up IDs %q %q do not look like S3's", id, host)
	}
	if fresh.Header().Get("Connection") != "" {
		t.Error("Connection: close on a 403")
	}
}

// TestRequestIDsOnTheWire sends an error response over TCP and reads the
// raw bytes: the request IDs go out spelled as S3 spells them, in lower
// case, whether the server set them or Write made them.
func TestRequestIDsOnTheWire(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			w.Header()[s3err.RequestIDHeader] = []string{"REQ"}
			w.Header()[s3err.HostIDHeader] = []string{"HOST"}
		}
		s3err.AccessDenied().WriteResponse(w)
	}))
	defer srv.Close()
	for _, path := range []string{"/set", "/made"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: s3.example\r\nConnection: close\r\n\r\n", path)
		raw, err := io.ReadAll(bufio.NewReader(conn))
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
		var names []string
		for _, line := range strings.Split(head, "\r\n")[1:] {
			name, _, _ := strings.Cut(line, ":")
			if strings.EqualFold(name, s3err.RequestIDHeader) || strings.EqualFold(name, s3err.HostIDHeader) {
				names = append(names, name)
			}
		}
		if len(names) != 2 || names[0] != "x-amz-id-2" || names[1] != "x-amz-request-id" {
			t.Errorf("%s: request ID headers sent as %q, want x-amz-id-2 and x-amz-request-id:\n%s", path, names, head)
		}
	}
}

// TestRequestIDsSetCanonically sets the request IDs as Go code usually
// sets headers, with http.Header.Set, which files them under
// X-Amz-Request-Id and X-Amz-Id-2: an error response must name those IDs
// and send each once, not make a second, different pair under S3's
// lower-case spelling beside them, which the body would then name in place
// of the ones the server logged. Error.WriteResponse and Template.Write
// (a refused preflight of bucket.Middleware) share the path.
func TestRequestIDsSetCanonically(t *testing.T) {
	t.Parallel()
	tmpl := s3err.NewTemplate(s3err.MethodNotAllowed("", "OBJECT"), "Method")
	tests := []struct {
		name             string
		set              func(h http.Header)
		wantID, wantHost string // "" for one made by Write
	}{
		{"both with Set", func(h http.Header) { h.Set("x-amz-request-id", "REQ"); h.Set("x-amz-id-2", "HOST") }, "REQ", "HOST"},
		{"request ID with Set, host ID as S3 spells it", func(h http.Header) { h.Set("x-amz-request-id", "REQ"); h[s3err.HostIDHeader] = []string{"HOST"} }, "REQ", "HOST"},
		{"host ID with Set only", func(h http.Header) { h.Set("x-amz-id-2", "HOST") }, "", "HOST"},
		{"as S3 spells them", func(h http.Header) {
			h[s3err.RequestIDHeader] = []string{"REQ"}
			h[s3err.HostIDHeader] = []string{"HOST"}
		}, "REQ", "HOST"},
		{"none", func(http.Header) {}, "", ""},
	}
	for _, tc := range tests {
		for _, via := range []string{"Error", "Template"} {
			t.Run(tc.name+", "+via, func(t *testing.T) {
				t.Parallel()
				rec := httptest.NewRecorder()
				tc.set(rec.Header())
				if via == "Error" {
					s3err.AccessDenied().WriteResponse(rec)
				} else {
					tmpl.Write(rec, "PATCH")
				}
				for _, c := range []struct{ name, element, want string }{
					{s3err.RequestIDHeader, "RequestId", tc.wantID}, {s3err.HostIDHeader, "HostId", tc.wantHost}} {
					var values []string
					for k, v := range rec.Header() {
						if strings.EqualFold(k, c.name) {
							values = append(values, v...)
						}
					}
					_, rest, _ := strings.Cut(rec.Body.String(), "<"+c.element+">")
					named, _, _ := strings.Cut(rest, "</"+c.element+">")
					if len(values) != 1 || values[0] != named || c.want != "" && named != c.want {
						t.Errorf("%s sent as %q, the body names %q; want it once, named in the body, %q if set", c.name, values, named, c.want)
					}
				}
			})
		}
	}
}

// preparedBody is a document made once, with only the IDs to fill in.
type preparedBody struct{ head, tail string }

func (p *preparedBody) AppendXML(b []byte, requestID, hostID string) []byte {
	b = append(b, p.head...)
	b = append(b, requestID...)
	b = append(b, "</RequestId><HostId>"...)
	b = append(b, hostID...)
	return append(b, p.tail...)
}

// TestWriteBody sends a document that is not an Error.
func TestWriteBody(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{"REQ"}
	rec.Header()[s3err.HostIDHeader] = []string{"HOST"}
	s3err.Write(rec, 403, &preparedBody{"<Error><Code>X</Code><RequestId>", "</HostId></Error>"})
	if rec.Code != 403 || rec.Body.String() != "<Error><Code>X</Code><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>" {
		t.Errorf("Write: %d %s", rec.Code, rec.Body)
	}
}

// serverIDs returns a header holding request IDs, as a server sets them.
func serverIDs() http.Header {
	h := http.Header{}
	h[s3err.RequestIDHeader] = []string{"REQ"}
	h[s3err.HostIDHeader] = []string{"HOST"}
	return h
}

// TestWriteAllocs checks that an error response whose request IDs the
// server set costs no allocation of Write's.
func TestWriteAllocs(t *testing.T) {
	w := &discard.ResponseWriter{Head: serverIDs()}
	e := s3err.AccessDenied()
	if n := testing.AllocsPerRun(100, func() { s3err.Write(w, e.StatusCode, e) }); n != 0 {
		t.Errorf("Write allocates %v times", n)
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	e := s3err.MalformedXML("unknown element")
	e.Line, e.Column = 3, 7
	if got, want := e.Error(), "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema (unknown element)"; got != want {
		t.Errorf("Error() = %q", got)
	}
	// S3 answers some errors without a message (an invalid canned ACL:
	// InvalidArgument, ArgumentName x-amz-acl): their details say what.
	for _, tc := range []struct {
		e    *s3err.Error
		want string
	}{
		{s3err.InvalidArgument("", "x-amz-acl", "public-reed"), `InvalidArgument: ArgumentName "x-amz-acl", ArgumentValue "public-reed"`},
		{s3err.New(400, "InvalidRequest", ""), "InvalidRequest"},
		{&s3err.Error{Code: "InvalidRequest", Reason: "why"}, "InvalidRequest (why)"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if got := e.Position(); got != "line 3, column 7" {
		t.Errorf("Position() = %q", got)
	}
	if e.Line, e.Column = 4, 0; e.Position() != "line 4" {
		t.Errorf("Position() without a column = %q", e.Position())
	}
	if v, ok := (&s3err.Error{Details: []s3err.Detail{{Name: "Method", Value: "PUT"}}}).Detail("Method"); !ok || v != "PUT" {
		t.Errorf("Detail(Method) = %q, %v", v, ok)
	}
	var target *s3err.Error
	if !errors.As(fmt.Errorf("wrapped: %w", e), &target) || target != e {
		t.Error("errors.As does not find the S3 error")
	}
}

// TestTemplate checks that a prepared document with its values filled in
// is byte for byte the error's own, values that need escaping included.
func TestTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    *s3err.Error
		open   []string
		values []string
	}{
		{"no details", s3err.AccessDenied(), nil, nil},
		{"all open", s3err.MethodNotAllowed("", ""), []string{"Method", "ResourceType"}, []string{"PUT", "OBJECT"}},
		{"first open", s3err.MethodNotAllowed("", "BUCKET"), []string{"Method"}, []string{"<&>\x01é\xff"}},
		{"last open", s3err.InvalidArgument("bad", "x-amz-acl", ""), []string{"ArgumentValue"}, []string{"a]]>b"}},
		{"none open", s3err.NoSuchBucket("b"), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmpl := s3err.NewTemplate(tc.err, tc.open...)
			e := *tc.err
			e.Details = append([]s3err.Detail(nil), tc.err.Details...)
			for i, name := range tc.open {
				for j := range e.Details {
					if e.Details[j].Name == name {
						e.Details[j].Value = tc.values[i]
					}
				}
			}
			want := string(e.AppendXML(nil, "REQ<", "HOST&"))
			if got := string(tmpl.AppendXML(nil, tc.values, "REQ<", "HOST&")); got != want {
				t.Errorf("template writes\n%s\nthe error writes\n%s", got, want)
			}
			rec := httptest.NewRecorder()
			rec.Header()[s3err.RequestIDHeader] = []string{"REQ<"}
			rec.Header()[s3err.HostIDHeader] = []string{"HOST&"}
			tmpl.Write(rec, tc.values...)
			if rec.Code != tc.err.StatusCode || tmpl.StatusCode() != tc.err.StatusCode || rec.Body.String() != want ||
				rec.Header().Get("Content-Type") != "application/xml" {
				t.Errorf("Write: %d %v %s", rec.Code, rec.Header(), rec.Body)
			}
		})
	}
}

func TestTemplateUnknownDetail(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("NewTemplate accepts a detail the error lacks")
		}
	}()
	s3err.NewTemplate(s3err.AccessDenied(), "Method")
}

// FuzzTemplate holds a prepared document to the error's own rendering
// for any values and request IDs.
func FuzzTemplate(f *testing.F) {
	f.Add("PUT", "OBJECT", "REQ", "HOST")
	f.Add("<&>", "\r\x00", "\xff", "é")
	f.Fuzz(func(t *testing.T, method, resourceType, requestID, hostID string) {
		e := s3err.MethodNotAllowed(method, resourceType)
		tmpl := s3err.NewTemplate(s3err.MethodNotAllowed("", ""), "Method", "ResourceType")
		want := string(e.AppendXML(nil, requestID, hostID))
		if got := string(tmpl.AppendXML(nil, []string{method, resourceType}, requestID, hostID)); got != want {
			t.Fatalf("template writes\n%q\nthe error writes\n%q", got, want)
		}
	})
}

// TestTemplateAllocs checks that writing a prepared document, its request
// IDs set by the server, allocates nothing.
func TestTemplateAllocs(t *testing.T) {
	w := &discard.ResponseWriter{Head: serverIDs()}
	tmpl := s3err.NewTemplate(s3err.MethodNotAllowed("", ""), "Method", "ResourceType")
	if n := testing.AllocsPerRun(100, func() { tmpl.Write(w, "PUT", "OBJECT") }); n != 0 {
		t.Errorf("Template.Write allocates %v times", n)
	}
}
