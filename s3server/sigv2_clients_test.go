package s3server_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/s3server"
)

// sigV2Script drives the endpoint with boto3 configured for Signature
// Version 2 (signature_version "s3", botocore's HmacV1Auth, and
// HmacV1QueryAuth for presigned URLs). Arguments: endpoint, access key,
// secret key.
const sigV2Script = `
import sys, urllib.request, urllib.error
import boto3, botocore
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, ak, sk = sys.argv[1:4]
print("boto3", boto3.__version__, "botocore", botocore.__version__, "from", boto3.__file__)

# botocore before 1.31.2 (Debian 12 has 1.29.27) signs a subresource
# twice, "/bucket?cors?cors", which S3 refuses as well
# (https://github.com/boto/botocore/issues/2962): sign as 1.31.2 does.
old_botocore = tuple(int(x) for x in botocore.__version__.split(".")[:3]) < (1, 31, 2)
if old_botocore:
    print("signing as botocore 1.31.2 does (boto/botocore#2962)")

def fix_auth_path(request, **kwargs):
    path = request.auth_path
    if path and "?" in path:
        path = path.split("?")[0]
        request.auth_path = path + "/" if path.count("/") == 1 else path

def client(secret):
    c = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=secret,
                     region_name="us-east-1",
                     config=Config(signature_version="s3", s3={"addressing_style": "path"},
                                   retries={"max_attempts": 1, "mode": "standard"}))
    if old_botocore:
        c.meta.events.register("before-sign.s3", fix_auth_path)
    return c

def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)

s3 = client(sk)
bucket = "boto-sigv2"
s3.create_bucket(Bucket=bucket)
rules = [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"],
          "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]
s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})
got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
check(got == rules, "GetBucketCors: %r" % got)

key = "dir/a key+é~.txt"
body = b"signed by boto3 with signature version 2"
s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/plain", Metadata={"author": "boto"})
obj = s3.get_object(Bucket=bucket, Key=key)
check(obj["Body"].read() == body, "GetObject body")
check(obj["ContentType"] == "text/plain" and obj["Metadata"] == {"author": "boto"}, "GetObject headers: %r" % obj)
part = s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-5", ResponseContentDisposition='attachment; filename="x y.txt"')
check(part["Body"].read() == body[:6], "ranged GetObject")
check(part["ContentDisposition"] == 'attachment; filename="x y.txt"', "response-content-disposition: %r" % part)
check(s3.head_object(Bucket=bucket, Key=key)["ContentLength"] == len(body), "HeadObject")
keys = [o["Key"] for o in s3.list_objects(Bucket=bucket, Prefix="dir/")["Contents"]]
check(keys == [key], "ListObjects: %r" % keys)
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
check(keys == [key], "ListObjectsV2: %r" % keys)
check(len(s3.list_object_versions(Bucket=bucket)["Versions"]) == 1, "ListObjectVersions")
check(s3.get_bucket_acl(Bucket=bucket)["Grants"], "GetBucketAcl")
check(s3.get_object_acl(Bucket=bucket, Key=key)["Grants"], "GetObjectAcl")
check(bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]], "ListBuckets")

url = s3.generate_presigned_url("get_object", ExpiresIn=300,
                                Params={"Bucket": bucket, "Key": key, "ResponseContentType": "application/json"})
check("AWSAccessKeyId=" in url and "Signature=" in url and "X-Amz-" not in url, "not a SigV2 URL: " + url)
with urllib.request.urlopen(url) as r:
    check(r.read() == body and r.headers["Content-Type"] == "application/json", "presigned GET")
# botocore moves Content-Type into the query of the URL it presigns.
url = s3.generate_presigned_url("put_object", ExpiresIn=300,
                                Params={"Bucket": bucket, "Key": "presigned put", "ContentType": "text/csv"})
check("content-type=text%2Fcsv" in url, "Content-Type not in the presigned URL: " + url)
put = urllib.request.Request(url, data=b"put,through,a presigned URL", method="PUT", headers={"Content-Type": "text/csv"})
with urllib.request.urlopen(put) as r:
    check(r.status == 200, "presigned PUT")
obj = s3.get_object(Bucket=bucket, Key="presigned put")
check(obj["Body"].read() == b"put,through,a presigned URL" and obj["ContentType"] == "text/csv", "presigned PUT stored: %r" % obj)
url = s3.generate_presigned_url("get_object", ExpiresIn=-60, Params={"Bucket": bucket, "Key": key})
try:
    urllib.request.urlopen(url)
    sys.exit("FAIL: an expired presigned URL was taken")
except urllib.error.HTTPError as e:
    text = e.read().decode()
    check(e.code == 403 and "<Message>Request has expired</Message>" in text, "expired presigned GET: %d %s" % (e.code, text))

try:
    client("wrong").list_objects(Bucket=bucket)
    sys.exit("FAIL: a wrong secret was taken")
except ClientError as e:
    err = e.response["Error"]
    check(err["Code"] == "SignatureDoesNotMatch" and err.get("StringToSign", "").endswith("\n/%s/" % bucket), "wrong secret: %r" % err)

deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key}, {"Key": "presigned put"}]})
check(len(deleted["Deleted"]) == 2, "DeleteObjects: %r" % deleted)
s3.delete_bucket_cors(Bucket=bucket)
s3.delete_bucket(Bucket=bucket)
print("OK")
`

// presignedHeadersScript presigns with boto3 in Signature Version 2 the
// PutObject and CopyObject whose headers botocore's HmacV1QueryAuth
// moves into the query (Content-Type, x-amz-acl, x-amz-meta-*,
// x-amz-server-side-encryption, x-amz-copy-source), sends each URL with
// http.client, which adds no Content-Type of its own, and checks what
// the endpoint stored. Arguments: endpoint, access key, secret key.
const presignedHeadersScript = testroot.Boto3PresignV2 + `
from botocore.exceptions import ClientError

bucket = "boto-presigned-headers"
s3.create_bucket(Bucket=bucket)

url = presign("put_object", Key="k", ContentType="text/q", ACL="public-read", Metadata={"a": "b"})
for part in ["content-type=text%2Fq", "x-amz-acl=public-read", "x-amz-meta-a=b"]:
    check(part in url, "%s not in the presigned URL %s" % (part, url))
status, text = send("PUT", url, b"abc")
check(status == 200, "presigned PUT: %d %s" % (status, text))
head = s3.head_object(Bucket=bucket, Key="k")
check(head["ContentType"] == "text/q" and head["Metadata"] == {"a": "b"}, "stored: %r" % head)
grants = s3.get_object_acl(Bucket=bucket, Key="k")["Grants"]
check(any(g["Grantee"].get("URI") == "http://acs.amazonaws.com/groups/global/AllUsers" and g["Permission"] == "READ" for g in grants),
      "no public-read grant: %r" % grants)

url = presign("put_object", Key="kms", ServerSideEncryption="aws:kms")
status, text = send("PUT", url, b"abc")
check(status == 501 and "<Header>x-amz-server-side-encryption</Header>" in text, "presigned PUT with SSE-KMS: %d %s" % (status, text))
try:
    s3.head_object(Bucket=bucket, Key="kms")
    sys.exit("FAIL: the object refused SSE-KMS was stored")
except ClientError as e:
    check(e.response["Error"]["Code"] == "404", "HeadObject of the object refused: %r" % e.response)

url = presign("copy_object", Key="copy", CopySource={"Bucket": bucket, "Key": "k"})
status, text = send("PUT", url)
check(status == 200 and "<CopyObjectResult" in text, "presigned CopyObject: %d %s" % (status, text))
head = s3.head_object(Bucket=bucket, Key="copy")
check(head["ContentLength"] == 3 and head["ContentType"] == "text/q" and head["Metadata"] == {"a": "b"}, "the copy: %r" % head)
print("OK")
`

// TestSigV2PresignedHeadersBoto3 checks that the headers boto3 moves
// into the query of a URL it presigns in Signature Version 2 are read as
// the request's, with keys and without, when python3 has boto3 (see
// runBoto3).
func TestSigV2PresignedHeadersBoto3(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]s3server.Options{
		"keys":    {AccessKey: testAccessKey, SecretKey: testSecretKey},
		"no keys": {},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, opts)
			testroot.RunBoto3(t, "presigned_headers.py", presignedHeadersScript, ts.URL, testAccessKey, testSecretKey)
		})
	}
}

// TestSigV2Boto3 drives the endpoint with boto3 signing Signature
// Version 2, when python3 has boto3 (Debian: python3-boto3). It skips
// otherwise, unless S3CORS_REQUIRE_BOTO3 is set.
func TestSigV2Boto3(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	out := testroot.RunBoto3(t, "sigv2.py", sigV2Script, ts.URL, testAccessKey, testSecretKey)
	t.Log(strings.TrimSuffix(out, "OK\n"))
}
