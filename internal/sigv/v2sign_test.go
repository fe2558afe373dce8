package sigv

import (
	"testing"

	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
)

// TestReadQueryHeadersV2 checks which requests have their query's
// headers read: a presigned URL of Signature Version 2 its verifier
// found so, or, unverified, one of that shape; never a URL of version
// 4, one signed in the Authorization header, or an unsigned one.
func TestReadQueryHeadersV2(t *testing.T) {
	t.Parallel()
	const presignedV2 = "PUT /b?cors&AWSAccessKeyId=AK&Signature=c2ln&Expires=2000000000&content-md5=MD5&x-amz-expected-bucket-owner=111122223333 HTTP/1.1\nHost: h\n"
	const unsigned = "PUT /b?cors&content-md5=MD5&x-amz-expected-bucket-owner=111122223333 HTTP/1.1\nHost: h\n"
	for _, c := range []struct {
		name     string
		request  string
		sig      Signature
		verified bool
		want     bool
	}{
		{"verified presigned version 2", presignedV2, Signature{Version: 2, AccessKey: "AK", Presigned: true}, true, true},
		{"unverified presigned version 2", presignedV2, Signature{}, false, true},
		{"verified version 2 in the header", unsigned + "Authorization: AWS AK:c2ln\n", Signature{Version: 2, AccessKey: "AK"}, true, false},
		{"unverified, the Authorization header", presignedV2 + "Authorization: AWS AK:c2ln\n", Signature{}, false, false},
		{"verified presigned version 4", unsigned, Signature{Version: 4, AccessKey: "AK", Presigned: true}, true, false},
		{"verified unsigned", unsigned, Signature{}, true, false},
		{"unverified unsigned", unsigned, Signature{}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := sigvtest.ReadRequest(t, c.request)
			got := ReadQueryHeadersV2(r, ParseQuery(r.URL.RawQuery), c.sig, c.verified)
			md5, owner := r.Header.Get("Content-Md5"), r.Header.Get("X-Amz-Expected-Bucket-Owner")
			if c.want && (!got || md5 != "MD5" || owner != "111122223333") || !c.want && (got || md5 != "" || owner != "") {
				t.Errorf("ReadQueryHeadersV2 = %v, Content-MD5 %q, x-amz-expected-bucket-owner %q; want read: %v", got, md5, owner, c.want)
			}
		})
	}
}
