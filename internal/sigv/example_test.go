package sigv_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/s3cors/s3cors/internal/sigv"
)

// A server decodes an aws-chunked body as it reads it; the trailing
// checksum is known, and checked, once the body ended.
func ExampleSignature_DecodeBody() {
	body := "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"
	r, _ := http.NewRequest("PUT", "http://127.0.0.1:9000/bucket/key", strings.NewReader(body))
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("X-Amz-Content-Sha256", sigv.StreamingUnsignedTrailer)
	r.Header.Set("X-Amz-Decoded-Content-Length", "5")
	r.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")

	var sig sigv.Signature // a server without keys verifies none
	decoded, err := sig.DecodeBody(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := io.ReadAll(decoded)
	fmt.Printf("%q %v\n", data, err)
	fmt.Println(decoded.(*sigv.ChunkedReader).Checksum())
	// Output:
	// "hello" <nil>
	// X-Amz-Checksum-Crc32 NhCmhg== true
}

// A form's policy is judged against the fields before its file, and its
// content-length-range against the file once read.
func ExamplePostPolicy_Check() {
	doc := `{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"bucket": "photos"}, ` +
		`["starts-with", "$key", "user/"], ["content-length-range", 1, 1048576]]}`
	policy, err := sigv.ParsePostPolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(policy.Check(now, "photos", []sigv.FormField{{Name: "key", Value: "user/cat.jpg"}}))
	fmt.Println(policy.Check(now, "photos", []sigv.FormField{{Name: "key", Value: "admin/cat.jpg"}}))
	fmt.Println(policy.CheckSize(2 << 20))
	// Output:
	// <nil>
	// AccessDenied: Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/"]
	// EntityTooLarge: Your proposed upload exceeds the maximum allowed size
}
