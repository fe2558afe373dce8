package s3err_test

import (
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/s3cors/s3cors/s3err"
)

// Every package of the module reports S3's errors as *s3err.Error, so a
// caller recovers S3's answer with errors.As, through any wrapping.
func ExampleError() {
	err := fmt.Errorf("storing the configuration: %w",
		s3err.InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is PATCH"))
	var e *s3err.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Code)
		fmt.Println(e.Message)
	}
	// Output:
	// 400 InvalidRequest
	// Found unsupported HTTP method in CORS config. Unsupported method is PATCH
}

// WriteResponse sends the error as S3 does. The request IDs already set
// in the response's header are the ones its body names; set them with
// their lower-case keys, as S3 spells them.
func ExampleError_WriteResponse() {
	rec := httptest.NewRecorder()
	rec.Header()[s3err.RequestIDHeader] = []string{"4442587FB7D0A2F9"}
	rec.Header()[s3err.HostIDHeader] = []string{"HOSTID"}

	s3err.NoSuchCORSConfiguration("photos").WriteResponse(rec)

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 404 application/xml
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Error><Code>NoSuchCORSConfiguration</Code><Message>The CORS configuration does not exist</Message><BucketName>photos</BucketName><RequestId>4442587FB7D0A2F9</RequestId><HostId>HOSTID</HostId></Error>
}

// A Template prepares an error document once, leaving the values of some
// details to fill in for each response.
func ExampleNewTemplate() {
	tmpl := s3err.NewTemplate(s3err.MethodNotAllowed("", "OBJECT"), "Method")
	fmt.Println(tmpl.StatusCode())
	fmt.Println(string(tmpl.AppendXML(nil, []string{"PATCH"}, "REQUESTID", "HOSTID")))
	// Output:
	// 405
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Error><Code>MethodNotAllowed</Code><Message>The specified method is not allowed against this resource.</Message><Method>PATCH</Method><ResourceType>OBJECT</ResourceType><RequestId>REQUESTID</RequestId><HostId>HOSTID</HostId></Error>
}
