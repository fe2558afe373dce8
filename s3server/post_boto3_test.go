package s3server_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/testroot"
)

// presignedPostScript drives the endpoint with the POST forms of boto3's
// generate_presigned_post, the way most Python back ends let a browser
// upload: the form is signed with Signature Version 4 (s3v4) and 2 (s3),
// then posted with the Origin of a page the bucket's CORS admits, of one
// it does not, and with fields the policy refuses. The form is encoded by
// hand (urllib has no multipart), file last as S3 requires. Arguments:
// endpoint, access key, secret key.
const presignedPostScript = `
import hashlib, json, sys, urllib.request, urllib.error, uuid
import boto3
from botocore.config import Config

endpoint, ak, sk = sys.argv[1:4]
print("boto3", boto3.__version__)
allowed, other = "https://app.example.com", "https://other.example.com"
vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

def client(version):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=sk,
                        region_name="us-east-1",
                        config=Config(signature_version=version, s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1, "mode": "standard"}))

def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)

def post(form, filename, body, origin, content_type=None):
    boundary = uuid.uuid4().hex
    parts = []
    fields = dict(form["fields"])
    if content_type is not None:
        fields["Content-Type"] = content_type
    for name, value in fields.items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, name, value)).encode())
    parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                  'Content-Type: application/octet-stream\r\n\r\n' % (boundary, filename)).encode() + body + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    req = urllib.request.Request(form["url"], data=b"".join(parts), method="POST",
                                 headers={"Content-Type": "multipart/form-data; boundary=" + boundary, "Origin": origin})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

def cors(headers, origin):
    got = {k: headers.get(k) for k in ["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                                        "Access-Control-Allow-Methods", "Access-Control-Expose-Headers", "Vary"]}
    want = {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
            "Access-Control-Allow-Methods": "POST, PUT", "Access-Control-Expose-Headers": "ETag, Location", "Vary": vary}
    if origin != allowed:
        want = {k: None for k in want}  # no match: no CORS header, no Vary
    return got == want, got

setup = client("s3v4")
bucket = "boto-post-forms"
setup.create_bucket(Bucket=bucket)
setup.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
    {"AllowedOrigins": [allowed], "AllowedMethods": ["POST", "PUT"], "ExposeHeaders": ["ETag", "Location"]}]})

body = b"uploaded through a form boto3 signed"
etag = '"%s"' % hashlib.md5(body).hexdigest()
for version in ["s3v4", "s3"]:
    s3 = client(version)
    conditions = [["content-length-range", 1, 1000], ["starts-with", "$Content-Type", "text/"]]
    form = s3.generate_presigned_post(bucket, version + "/${filename}", Fields={"Content-Type": "text/plain"},
                                      Conditions=conditions, ExpiresIn=300)
    if version == "s3v4":
        check(form["fields"].get("x-amz-algorithm") == "AWS4-HMAC-SHA256", "not a SigV4 form: %r" % form)
    else:
        check("AWSAccessKeyId" in form["fields"] and "signature" in form["fields"], "not a SigV2 form: %r" % form)

    # S3's default answer: 204, no body, the object's ETag and Location,
    # the CORS headers of the rule that admits the Origin.
    for origin in [allowed, other]:
        status, headers, text = post(form, "a é.txt", body, origin)
        check(status == 204 and text == "", "%s from %s: %d %s" % (version, origin, status, text))
        check(headers["ETag"] == etag, "%s: ETag %r" % (version, headers["ETag"]))
        check(headers["Location"] == "%s/%s/%s%%2Fa%%20%%C3%%A9.txt" % (endpoint, bucket, version),
              "%s: Location %r" % (version, headers["Location"]))
        ok, got = cors(headers, origin)
        check(ok, "%s from %s: CORS headers %r" % (version, origin, got))
    obj = setup.get_object(Bucket=bucket, Key=version + "/a é.txt")
    check(obj["Body"].read() == body and obj["ContentType"] == "text/plain", "%s: stored %r" % (version, obj))

    # success_action_status 201: S3's PostResponse document.
    form = s3.generate_presigned_post(bucket, version + "/created", Fields={"success_action_status": "201"},
                                      Conditions=[{"success_action_status": "201"}], ExpiresIn=300)
    status, headers, text = post(form, "f", body, allowed)
    want = ('<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>%s/%s/%s%%2Fcreated</Location>'
            '<Bucket>%s</Bucket><Key>%s/created</Key><ETag>%s</ETag></PostResponse>' % (endpoint, bucket, version, bucket, version, etag))
    check(status == 201 and text == want, "%s 201: %d %s" % (version, status, text))
    ok, got = cors(headers, allowed)
    check(ok, "%s 201: CORS headers %r" % (version, got))

    # Refusals keep the CORS headers, so that the page can read S3's error.
    form = s3.generate_presigned_post(bucket, "big", Conditions=[["content-length-range", 1, 10]], ExpiresIn=300)
    status, headers, text = post(form, "f", body, allowed)
    check(status == 400 and "<Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message>"
          "<ProposedSize>%d</ProposedSize><MaxSizeAllowed>10</MaxSizeAllowed>" % len(body) in text, "%s too large: %d %s" % (version, status, text))
    ok, got = cors(headers, allowed)
    check(ok, "%s too large: CORS headers %r" % (version, got))

    form = s3.generate_presigned_post(bucket, "typed", Fields={"Content-Type": "text/plain"}, Conditions=conditions, ExpiresIn=300)
    status, headers, text = post(form, "f", body, allowed, content_type="application/json")
    check(status == 403 and "<Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed: "
          '["starts-with", "$Content-Type", "text/"]</Message>' in text,
          "%s Content-Type outside the policy: %d %s" % (version, status, text))
    ok, got = cors(headers, allowed)
    check(ok, "%s refused: CORS headers %r" % (version, got))

    form = s3.generate_presigned_post(bucket, "late", ExpiresIn=-60)
    status, headers, text = post(form, "f", body, other)
    check(status == 403 and "<Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message>" in text,
          "%s expired: %d %s" % (version, status, text))

    form = s3.generate_presigned_post(bucket, "extra", ExpiresIn=300)
    form["fields"]["x-amz-meta-note"] = "not in the policy"
    status, headers, text = post(form, "f", body, allowed)
    check(status == 403 and "<Message>Invalid according to Policy: Extra input fields: x-amz-meta-note</Message>" in text,
          "%s extra field: %d %s" % (version, status, text))
    print(version, "POST forms as S3 answers them")
keys = sorted(o["Key"] for o in setup.list_objects_v2(Bucket=bucket)["Contents"])
check(keys == ["s3/a é.txt", "s3/created", "s3v4/a é.txt", "s3v4/created"], "stored keys %r" % keys)
print("OK")
`

// TestPresignedPostBoto3 runs presignedPostScript, when python3 has
// boto3; it skips otherwise, unless S3CORS_REQUIRE_BOTO3 is set.
func TestPresignedPostBoto3(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	out := testroot.RunBoto3(t, "post.py", presignedPostScript, ts.URL, testAccessKey, testSecretKey)
	t.Log(strings.TrimSuffix(out, "OK\n"))
}
