package s3server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/xmlconfig"
)

// TestAWSCLI drives the endpoint with the AWS CLI (botocore signs with
// SigV4 and sends its own integrity header), when one is installed. A
// missing one skips, unless S3CORS_REQUIRE_AWSCLI=1 makes it a failure,
// as .ci/run does.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	aws := testroot.RequireTool(t, "aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	ts := signedServer(t)
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, aws, append([]string{"--endpoint-url", ts.URL, "--output", "json"}, args...)...)
		// Only this test's settings: no profile, config file or endpoint of
		// the machine's user.
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
			"AWS_ACCESS_KEY_ID=" + testAccessKey, "AWS_SECRET_ACCESS_KEY=" + testSecretKey, "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials")}
		for _, name := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
			if v, ok := os.LookupEnv(name); ok {
				cmd.Env = append(cmd.Env, name+"="+v)
			}
		}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	cli := func(args ...string) string {
		t.Helper()
		out, err := run(args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	rules := []corsrule.Rule{
		{ID: "uploads", AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"PUT", "GET"},
			AllowedHeaders: []string{"content-type", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: new(int32(3000))},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
	}
	// putCORS creates the bucket name and puts rules on it, written as
	// xmlconfig.AppendJSON writes them, returning that JSON.
	putCORS := func(name string, rules []corsrule.Rule) []byte {
		doc := xmlconfig.AppendJSON(nil, rules)
		file := filepath.Join(dir, name+".json")
		if err := os.WriteFile(file, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		cli("s3api", "create-bucket", "--bucket", name)
		cli("s3api", "put-bucket-cors", "--bucket", name, "--cors-configuration", "file://"+file)
		return doc
	}
	putCORS("cli-bucket", rules)
	var got struct{ CORSRules []corsrule.Rule }
	if err := json.Unmarshal([]byte(cli("s3api", "get-bucket-cors", "--bucket", "cli-bucket")), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rules, got.CORSRules, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("get-bucket-cors after put-bucket-cors (-put +got):\n%s", diff)
	}
	// What get-bucket-cors prints is xmlconfig.AppendJSON's form byte for
	// byte (convert --to json's, whose help says so): key order, four
	// spaces, and json.dumps(ensure_ascii=False)'s escapes, which leave
	// <, >, &, DEL, U+2028 and text beyond ASCII as they are. A carriage
	// return is left out: botocore (1.43.11) writes it as it is in the
	// XML it sends, which an XML parser reads as a line feed.
	hostile := []corsrule.Rule{
		{ID: "ünï cödé 😀 <&> \"q\" \\ \t\n\u2028\u007f", AllowedOrigins: []string{"*", "", " ", "https://bücher.example", "a\nb", "<!--]]>", "${x}", "\u0085\u00a0"},
			AllowedMethods: []string{"GET", "HEAD"}, AllowedHeaders: []string{"*", "x-amz-*", "a!#$%&'*"}, ExposeHeaders: []string{"ETag", "`|^~"}, MaxAgeSeconds: new(int32(0))},
		{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"PUT"}, MaxAgeSeconds: new(int32(2147483647))},
		{ID: "-", AllowedOrigins: []string{"null"}, AllowedMethods: []string{"DELETE"}, MaxAgeSeconds: new(int32(-2147483648))},
	}
	hostileJSON := putCORS("cli-json", hostile)
	if out := cli("s3api", "get-bucket-cors", "--bucket", "cli-json"); out != string(hostileJSON) {
		t.Errorf("get-bucket-cors prints\n%s\nwhere AppendJSON writes\n%s", out, hostileJSON)
	}
	// The bucket's other configurations, read as S3 answers for a bucket
	// without them: the default encryption, and the CLI's own error for
	// a missing tag set and policy.
	if out := cli("s3api", "get-bucket-encryption", "--bucket", "cli-bucket"); !strings.Contains(out, `"SSEAlgorithm": "AES256"`) {
		t.Errorf("aws s3api get-bucket-encryption: %s", out)
	}
	for _, c := range [][2]string{
		{"get-bucket-tagging", "An error occurred (NoSuchTagSet) when calling the GetBucketTagging operation: The TagSet does not exist"},
		{"get-bucket-policy", "An error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist"},
	} {
		if out, err := run("s3api", c[0], "--bucket", "cli-bucket"); err == nil || !strings.Contains(out, c[1]) {
			t.Errorf("aws s3api %s: %v\n%s\nwant %q", c[0], err, out, c[1])
		}
	}
	cli("s3", "cp", filepath.Join(dir, "cli-bucket.json"), "s3://cli-bucket/dir/a file.json")
	if out := cli("s3", "ls", "--recursive", "s3://cli-bucket"); !strings.Contains(out, "dir/a file.json") {
		t.Errorf("aws s3 ls: %s", out)
	}
	cli("s3", "mb", "s3://cli-other")
	// An AWS CLI older than ListBuckets' parameters (October 2024), such
	// as Debian 12's 2.9.19, which .ci/run installs, has no
	// --bucket-name-prefix; TestSDKListBucketsPages covers them then.
	switch out, err := run("s3", "ls", "--bucket-name-prefix", "cli-b"); {
	case err != nil && strings.Contains(out, "Unknown options: --bucket-name-prefix"):
		t.Log("this AWS CLI has no aws s3 ls --bucket-name-prefix: not checked")
	case err != nil:
		t.Fatalf("aws s3 ls --bucket-name-prefix cli-b: %v\n%s", err, out)
	case !strings.Contains(out, " cli-bucket\n") || strings.Contains(out, "cli-other"):
		t.Errorf("aws s3 ls --bucket-name-prefix cli-b: %s", out)
	}
	cli("s3", "rb", "--force", "s3://cli-bucket")
}
