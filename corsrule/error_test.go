package corsrule_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/s3cors/s3cors/corsrule"
)

func TestAppendXML(t *testing.T) {
	e := &corsrule.Error{StatusCode: 403, Code: "AccessForbidden", Message: "CORSResponse: CORS is not enabled for this bucket.",
		Details: []corsrule.Detail{{Name: "Method", Value: "GET"}, {Name: "ResourceType", Value: "BUCKET"}}}
	got := string(e.AppendXML(nil, "", "5D76H0SG74CGTJVH", "IAt93lip+HTdv="))
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><Code>AccessForbidden</Code><Message>CORSResponse: CORS is not enabled for this bucket.</Message>` +
		`<Method>GET</Method><ResourceType>BUCKET</ResourceType><RequestId>5D76H0SG74CGTJVH</RequestId><HostId>IAt93lip+HTdv=</HostId></Error>`
	if got != want {
		t.Errorf("AppendXML:\n got %s\nwant %s", got, want)
	}
	withResource := string(e.AppendXML(nil, "/b/k", "r", "h"))
	if !regexp.MustCompile(`</ResourceType><Resource>/b/k</Resource><RequestId>`).MatchString(withResource) {
		t.Errorf("Resource not between the details and RequestId: %s", withResource)
	}
}

func TestWriteResponse(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("X-Amz-Request-Id", "REQ")
	rec.Header().Set("X-Amz-Id-2", "HOST")
	corsrule.MalformedXML("no rules").WriteResponse(rec, "")
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d", rec.Code)
	}
	for k, want := range map[string]string{"Content-Type": "application/xml", "Connection": "close", "X-Amz-Request-Id": "REQ"} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate against our published schema</Message><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>`
	if rec.Body.String() != want {
		t.Errorf("body %s", rec.Body)
	}

	fresh := httptest.NewRecorder()
	(&corsrule.Error{StatusCode: 403, Code: "AccessDenied", Message: "Access Denied"}).WriteResponse(fresh, "")
	id, host := fresh.Header().Get("X-Amz-Request-Id"), fresh.Header().Get("X-Amz-Id-2")
	if !regexp.MustCompile(`^[0-9A-Z]{16}$`).MatchString(id) || !regexp.MustCompile(`^[A-Za-z0-9+/]{75}=$`).MatchString(host) {
		t.Errorf("made-up IDs %q %q do not look like S3's", id, host)
	}
	if fresh.Header().Get("Connection") != "" {
		t.Error("Connection: close on a 403")
	}
}

func TestErrorString(t *testing.T) {
	e := corsrule.MalformedXML("unknown element")
	e.Line, e.Column = 3, 7
	if got, want := e.Error(), "MalformedXML: The XML you provided was not well-formed or did not validate against our published schema (unknown element)"; got != want {
		t.Errorf("Error() = %q", got)
	}
	if got := e.Position(); got != "line 3, column 7" {
		t.Errorf("Position() = %q", got)
	}
	if v, ok := (&corsrule.Error{Details: []corsrule.Detail{{Name: "Method", Value: "PUT"}}}).Detail("Method"); !ok || v != "PUT" {
		t.Errorf("Detail(Method) = %q, %v", v, ok)
	}
}
