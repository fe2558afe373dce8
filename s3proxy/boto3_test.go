package s3proxy_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// presignedCorsScript presigns Put/Get/DeleteBucketCors with boto3 in
// Signature Version 2, which puts the PutBucketCors's Content-MD5 in the
// query (content-md5=), sends each URL with http.client, which adds no
// header of its own, and checks the answers. Arguments: endpoint, access
// key, secret key, bucket (which exists).
const presignedCorsScript = testroot.Boto3PresignV2 + `
import base64, hashlib

bucket = sys.argv[4]

def md5(b):
    return base64.b64encode(hashlib.md5(b).digest()).decode()

rules = {"CORSRules": [{"AllowedOrigins": ["https://boto3.example"], "AllowedMethods": ["GET"]}]}
doc = b'<CORSConfiguration><CORSRule><AllowedOrigin>https://boto3.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>'

url = presign("put_bucket_cors", CORSConfiguration=rules, ContentMD5=md5(b"another body"))
check("content-md5=" in url, "no content-md5 in the presigned URL " + url)
status, text = send("PUT", url, doc)
check(status == 400 and "<Code>BadDigest</Code>" in text, "presigned PutBucketCors with a wrong MD5: %d %s" % (status, text))
status, text = send("PUT", presign("put_bucket_cors", CORSConfiguration=rules, ContentMD5=md5(doc)), doc)
check(status == 200, "presigned PutBucketCors: %d %s" % (status, text))
got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
check(len(got) == 1 and got[0]["AllowedOrigins"] == ["https://boto3.example"], "stored: %r" % got)
status, text = send("GET", presign("get_bucket_cors"))
check(status == 200 and "https://boto3.example" in text, "presigned GetBucketCors: %d %s" % (status, text))
status, text = send("DELETE", presign("delete_bucket_cors"))
check(status == 204, "presigned DeleteBucketCors: %d %s" % (status, text))
status, text = send("GET", presign("get_bucket_cors"))
check(status == 404 and "<Code>NoSuchCORSConfiguration</Code>" in text, "presigned GetBucketCors after the delete: %d %s" % (status, text))
print("OK")
`

// TestCorsPresignedV2Boto3 runs presignedCorsScript against s3cors
// serve and against a proxy in front of another serve, with keys and
// without: boto3's presigned PutBucketCors, its Content-MD5 in the
// query, is stored by both, and one whose body does not match that MD5
// is BadDigest (see TestCorsPresignedV2).
func TestCorsPresignedV2Boto3(t *testing.T) {
	t.Parallel()
	for _, keys := range []bool{true, false} {
		for _, proxied := range []bool{false, true} {
			name := map[bool]string{true: "keys", false: "no keys"}[keys] + map[bool]string{true: ", the proxy", false: ", serve"}[proxied]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var opts s3server.Options
				if keys {
					opts = s3server.Options{AccessKey: upstreamAccessKey, SecretKey: upstreamSecretKey}
				}
				up, store := s3servertest.NewServer(t, opts)
				mustOK(t, store.CreateBucket("boto3", ""))
				endpoint := up.URL
				if proxied {
					popts := s3proxy.Options{Upstream: up.URL}
					if keys {
						popts = s3proxy.Options{Upstream: up.URL, UpstreamAccessKey: upstreamAccessKey,
							UpstreamSecretKey: upstreamSecretKey, Keys: map[string]string{upstreamAccessKey: upstreamSecretKey}}
					}
					front, _ := startProxy(t, popts)
					endpoint = front.URL
				}
				testroot.RunBoto3(t, "presigned_cors.py", presignedCorsScript, endpoint, upstreamAccessKey, upstreamSecretKey, "boto3")
			})
		}
	}
}
