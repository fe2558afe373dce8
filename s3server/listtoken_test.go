package s3server_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/testroot"
)

// TestListTokenNotGiven checks that ListObjectsV2 refuses a continuation
// token it could not have given, as ListBuckets does: one that is base64
// but of no key (not UTF-8, or longer than a key), rather than listing
// from it as from a key; and that it still takes the common prefix it
// gives with a delimiter that is not UTF-8 (here the first byte of "é").
//
// UNVERIFIED: S3's tokens are opaque; its answer for these particular
// strings was not captured, only "The continuation token provided is
// incorrect" for a token it did not issue.
func TestListTokenNotGiven(t *testing.T) {
	t.Parallel()
	ts := listServer(t)
	refused := errorDoc("InvalidArgument", "The continuation token provided is incorrect", "ArgumentName", "continuation-token")
	enc := base64.RawURLEncoding.EncodeToString
	mustStatus(t, ts.do("PUT", "/list/caf%C3%A9", []byte("x")), 200)
	tests := []struct {
		name, query string
		ok          bool
	}{
		{"garbage", "continuation-token=garbage", false}, // 81 aa db 6a b7
		{"not UTF-8", "continuation-token=" + enc([]byte{'b', 0xff}), false},
		{"longer than a key", "continuation-token=" + enc([]byte(strings.Repeat("k", 1025))), false},
		{"common prefix split by the delimiter", "delimiter=%C3&continuation-token=" + enc([]byte("caf\xc3")), true},
		{"that prefix with no delimiter", "continuation-token=" + enc([]byte("caf\xc3")), false},
		{"a key", "continuation-token=" + enc([]byte("b/1")), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := ts.with(t)
			res := ts.do("GET", "/list?list-type=2&"+tc.query, nil)
			if tc.ok {
				mustStatus(t, res, 200)
				return
			}
			mustError(t, res, 400, refused)
		})
	}
}

// listTokenScript pages a listing with boto3's paginator, then sends a
// token of its own: S3's InvalidArgument, not an empty page.
const listTokenScript = `
import sys, boto3, botocore
from botocore.config import Config
endpoint, ak, sk = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=sk, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="tokens")
for i in range(5):
    s3.put_object(Bucket="tokens", Key="k%d" % i, Body=b"")
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="tokens", PaginationConfig={"PageSize": 2})
keys = [o["Key"] for p in pages for o in p["Contents"]]
assert keys == ["k0", "k1", "k2", "k3", "k4"], keys
try:
    s3.list_objects_v2(Bucket="tokens", ContinuationToken="garbage")
    sys.exit("a token the server never gave was taken")
except botocore.exceptions.ClientError as e:
    err = e.response["Error"]
    assert err["Code"] == "InvalidArgument", err
    assert err["Message"] == "The continuation token provided is incorrect", err
print("OK")
`

// TestListTokenBoto3 runs listTokenScript, when python3 has boto3; it
// skips otherwise, unless S3CORS_REQUIRE_BOTO3 is set.
func TestListTokenBoto3(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	testroot.RunBoto3(t, "listtoken.py", listTokenScript, ts.URL, testAccessKey, testSecretKey)
}
