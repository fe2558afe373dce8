package s3server_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/testroot"
)

// oddKeys are keys S3 stores as they are written: SigV4 signs them
// URI-encoded and S3 resolves no dot segment, merges no "//" and decodes
// no "%2F" of the key itself. Each client must see its requests for them
// verify.
var oddKeys = []string{"a b", "a+b", "a%2Fb", "é/日本", "a//b", "./x", "a/../b", "..", "x?y=1&z", "#h", "~t*s",
	"semi;c", "100%", "!$&'()*,;=:@[]"}

// oddKeysScript drives the endpoint with boto3 (Signature Version 4):
// PutObject, GetObject, ListObjectsV2 with a query to escape, and a
// presigned GET with response overrides, for each key of argv[4:].
// Arguments: endpoint, access key, secret key, then the keys.
const oddKeysScript = `
import sys, urllib.request, urllib.error
import boto3
from botocore.config import Config

endpoint, ak, sk = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ak, aws_secret_access_key=sk, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}))
bucket = "boto-odd-keys"
s3.create_bucket(Bucket=bucket)
failed = []
for key in sys.argv[4:]:
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode(), Metadata={"note": "a  b\tc"})
        if s3.get_object(Bucket=bucket, Key=key)["Body"].read() != key.encode():
            failed.append("GetObject %r: another body" % key)
        got = s3.list_objects_v2(Bucket=bucket, Prefix=key, Delimiter="a=b&c d+e%")
        if not got.get("Contents"):
            failed.append("ListObjectsV2 %r: nothing" % key)
        url = s3.generate_presigned_url("get_object", ExpiresIn=300,
            Params={"Bucket": bucket, "Key": key, "ResponseContentDisposition": 'attachment; filename="a b+c*~.txt"'})
        with urllib.request.urlopen(url) as r:
            if r.read() != key.encode():
                failed.append("presigned GET %r: another body" % key)
    except urllib.error.HTTPError as e:
        failed.append("presigned GET %r: %d %s" % (key, e.code, e.read()[:300]))
    except Exception as e:
        failed.append("%r: %s" % (key, e))
if failed:
    sys.exit("FAIL:\n" + "\n".join(failed))
print("OK")
`

// TestOddKeysBoto3 runs oddKeysScript, when python3 has boto3; it skips
// otherwise, unless S3CORS_REQUIRE_BOTO3 is set.
func TestOddKeysBoto3(t *testing.T) {
	t.Parallel()
	ts := signedServer(t)
	testroot.RunBoto3(t, "oddkeys.py", oddKeysScript, append([]string{ts.URL, testAccessKey, testSecretKey}, oddKeys...)...)
}

// TestOddKeysAWSCLI drives the endpoint with Debian's AWS CLI: s3api
// put-object, get-object with response overrides, list-objects-v2 with a
// query to escape, and the URL of aws s3 presign, for each odd key.
func TestOddKeysAWSCLI(t *testing.T) {
	t.Parallel()
	aws := testroot.RequireTool(t, "/usr/bin/aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	ts := signedServer(t)
	home := t.TempDir()
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID=" + testAccessKey, "AWS_SECRET_ACCESS_KEY=" + testSecretKey}
	cli := func(args ...string) string {
		return runTool(t, env, aws, append([]string{"--endpoint-url", ts.URL, "--output", "json"}, args...)...)
	}
	cli("s3api", "create-bucket", "--bucket", "cli-odd-keys")
	file := filepath.Join(home, "body.txt")
	if err := os.WriteFile(file, []byte("odd"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range oddKeys {
		cli("s3api", "put-object", "--bucket", "cli-odd-keys", "--key", key, "--body", file, "--metadata", "note=a  b")
		down := filepath.Join(home, "down.txt")
		cli("s3api", "get-object", "--bucket", "cli-odd-keys", "--key", key,
			"--response-content-disposition", `attachment; filename="a b+c*~.txt"`, down)
		mustSameFile(t, down, file)
		if out := cli("s3api", "list-objects-v2", "--bucket", "cli-odd-keys", "--prefix", key, "--delimiter", "a=b&c d+e%"); !strings.Contains(out, `"Contents"`) {
			t.Errorf("list-objects-v2 --prefix %q: %s", key, out)
		}
		u := strings.TrimSpace(cli("s3", "presign", "s3://cli-odd-keys/"+key))
		resp, err := ts.Client().Get(u) // net/http sends the path as given, dot segments included
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(b) != "odd" {
			t.Errorf("GET of aws s3 presign %q (%s): %s %.300s", key, u, resp.Status, b)
		}
	}
}

// TestOddKeysS3cmd puts, stats and lists each odd key with s3cmd,
// signing Signature Version 4 and 2.
func TestOddKeysS3cmd(t *testing.T) {
	t.Parallel()
	s3cmd := testroot.RequireTool(t, "/usr/bin/s3cmd", "S3CORS_REQUIRE_S3CMD", "--version")
	ts := signedServer(t)
	host := strings.TrimPrefix(ts.URL, "http://")
	dir := t.TempDir()
	conf := filepath.Join(dir, "s3cfg")
	err := os.WriteFile(conf, []byte("[default]\naccess_key = "+testAccessKey+"\nsecret_key = "+testSecretKey+
		"\nhost_base = "+host+"\nhost_bucket = "+host+"\nuse_https = False\nbucket_location = us-east-1\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "body.txt")
	if err := os.WriteFile(file, []byte("odd"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + dir}
	run := func(args ...string) string { return runTool(t, env, s3cmd, append([]string{"-c", conf}, args...)...) }
	run("mb", "s3://s3cmd-odd-keys")
	for _, sig := range [][]string{nil, {"--signature-v2"}} {
		for _, key := range oddKeys {
			run(append(sig, "put", file, "s3://s3cmd-odd-keys/"+key)...)
			run(append(sig, "info", "s3://s3cmd-odd-keys/"+key)...)
			run(append(sig, "ls", "s3://s3cmd-odd-keys/"+key)...)
		}
	}
}
