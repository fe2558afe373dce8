package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestVarFlags: --var-file and --var give a Terraform configuration's
// variables values, as terraform plan -var-file and -var do, and
// --parameter a CloudFormation template's parameters, as aws
// cloudformation deploy --parameter-overrides does, to validate, lint,
// explain and convert; a finding about such a value points at it in its
// file, or says where it came from. Given for anything else (S3's forms,
// another kind of file, the example), they are a usage error, not
// ignored.
func TestVarFlags(t *testing.T) {
	t.Parallel()
	const envs = "../../testdata/iac/terraform/envs"
	const website = "../../testdata/iac/cloudformation/website.yaml"
	const pulumi = "../../testdata/iac/pulumi/Pulumi.yaml"
	params := filepath.Join(t.TempDir(), "params.yaml")
	writeTree(t, filepath.Dir(params), map[string]string{"params.yaml": `Parameters:
  AppOrigin:
    Type: String
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration: {CorsRules: [{AllowedOrigins: [!Ref AppOrigin], AllowedMethods: [GET], MaxAge: 600}]}
`})
	sls := filepath.Join(filepath.Dir(params), "serverless.yml")
	writeTree(t, filepath.Dir(sls), map[string]string{"serverless.yml": `service: media
provider:
  name: aws
custom:
  dev: ["https://dev.example.com"]
  prod: ["https://*.*.example.com"]
  qa: ["${param:extra}"]
resources:
  Resources:
    B:
      Type: AWS::S3::Bucket
      Properties:
        CorsConfiguration:
          CorsRules: [{AllowedMethods: [GET], AllowedOrigins: "${self:custom.${sls:stage}}"}]
`})
	// A Terraform configuration whose origin is its workspace's, in a
	// directory where terraform workspace select chose staging.
	workspaces := filepath.Join(filepath.Dir(params), "workspaces")
	writeTree(t, workspaces, map[string]string{"main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ["https://${terraform.workspace}.example.com"]
  }
}
`, ".terraform/environment": "staging\n"})
	// A --var-file is an argument of the command, not the configuration
	// judged: one that cannot be read as variable definitions is a usage
	// error (terraform plan -var-file refuses it before planning), not an
	// invalid configuration.
	badVars := filepath.Join(filepath.Dir(params), "bad.tfvars")
	badJSON := filepath.Join(filepath.Dir(params), "bad.tfvars.json")
	bigVars := filepath.Join(filepath.Dir(params), "big.tfvars")
	writeTree(t, filepath.Dir(params), map[string]string{
		"bad.tfvars":      "app_origins = [\n",
		"bad.tfvars.json": `{"app_origins": [}`,
		"big.tfvars":      "max_age = 60\n" + strings.Repeat(" ", 32<<20),
		"ref.tfvars":      "max_age = 60\napp_origins = [\"https://${var.host}\"]\n",
		"func.tfvars":     "app_origins = split(\",\", \"https://a.example.com,https://b.example.com\")\n",
	})
	refVars := filepath.Join(filepath.Dir(params), "ref.tfvars")
	funcVars := filepath.Join(filepath.Dir(params), "func.tfvars")
	for _, tc := range []struct {
		args []string
		code int
		want []string // substrings of the output, in order
	}{
		{[]string{"validate", envs}, 0, []string{"not judged: aws_s3_bucket_cors_configuration.assets rule 1 AllowedOrigin var.app_origins: variable app_origins has no default and no value in terraform.tfvars"}},
		{[]string{"lint", "--var-file", envs + "/prod.tfvars", envs}, 1, []string{
			envs + `/prod.tfvars:1:39: origin-trailing-slash: aws_s3_bucket_cors_configuration.assets rule 1 AllowedOrigin "https://www.example.com/"`,
			envs + "/prod.tfvars:2:15: max-age-over-firefox: aws_s3_bucket_cors_configuration.assets rule 1 MaxAgeSeconds 172800"}},
		{[]string{"validate", "--var-file", envs + "/prod.tfvars", "--var", "max_age=60", "--var", `app_origins=["https://a.example", "https://*.b.*"]`, envs}, 1, []string{
			`400 InvalidRequest: aws_s3_bucket_cors_configuration.assets rule 1: AllowedOrigin "https://*.b.*" can not have more than one wildcard.`}},
		{[]string{"explain", "--var-file", envs + "/staging.tfvars", "--method", "GET", "--origin", "http://localhost:3000", envs}, 0, []string{
			"Access-Control-Allow-Origin: http://localhost:3000"}},
		{[]string{"convert", "--to", "json", "--var", `app_origins=["https://a.example"]`, envs}, 0, []string{`"AllowedOrigins": [`, `"https://a.example"`, `"MaxAgeSeconds": 3000`}},
		{[]string{"validate", "--var", "app_origins", envs}, 2, []string{`variable value "app_origins" is not NAME=VALUE`}},
		{[]string{"validate", "--var", "region=eu-west-1", envs}, 2, []string{"a value is given for variable region, which the root module does not declare"}},
		{[]string{"validate", "--var-file", envs + "/nothere.tfvars", envs}, 2, []string{"variable definitions file " + envs + "/nothere.tfvars: no such file or directory"}},
		{[]string{"validate", "--var-file", badVars, envs}, 2, []string{"variable definitions file " + badVars + ":1:16: HCL: Missing expression"}},
		{[]string{"lint", "--var-file", badJSON, envs}, 2, []string{"variable definitions file " + badJSON + ":1:18: JSON: unexpected character '}'"}},
		{[]string{"validate", "--var-file", bigVars, envs}, 2, []string{"variable definitions file " + bigVars + ": the Terraform files read for this input are larger than 33554432 bytes together"}},
		// terraform plan evaluates a .tfvars file's values without
		// variables or functions, and refuses them.
		{[]string{"validate", "--var-file", refVars, envs}, 2, []string{"variable definitions file " + refVars + ":2:27: Variables not allowed: Variables may not be used here."}},
		{[]string{"validate", "--var-file", funcVars, envs}, 2, []string{"variable definitions file " + funcVars + ":1:15: Function calls not allowed: Functions may not be called here."}},
		{[]string{"validate", "--var", "a=b", "../../testdata/iac/cloudformation/website.yaml"}, 2, []string{
			"is a CloudFormation template, not a Terraform configuration, and --var-file, --var and --workspace give values to Terraform's variables and workspace only"}},
		{[]string{"lint", "--var", "a=b", "../../testdata/cli/bad-method.json"}, 2, []string{
			"bad-method.json: is not a Terraform configuration, and --var-file, --var and --workspace give values to Terraform's variables and workspace only"}},
		{[]string{"validate", "--var", "a=b", "--example"}, 2, []string{"--var-file, --var, --workspace, --parameter, --stage, --param and --stack give values to the inputs of infrastructure code; the --example is AWS CLI JSON"}},
		{[]string{"convert", "--to", "xml", "--var-file", "x.tfvars", "--example"}, 2, []string{"the --example is AWS CLI JSON"}},
		{[]string{"explain", "--method", "GET", "--var", "a=b", "--no-config"}, 2, []string{"--var-file, --var, --workspace, --parameter, --stage, --param and --stack give values to the inputs of an infrastructure FILE, and no FILE is given"}},
		{[]string{"validate", "--parameter", "UploadOrigin=https://up.example.com", "--parameter", "Environment=dev", website}, 1, []string{
			"website.yaml:47:17: note: UploadBucket: condition IsProd does not hold with the parameter values given and the other parameters' defaults: judged with the second value of its Fn::If"}},
		{[]string{"lint", "--parameter", "AppOrigin=https://App.example.com", params}, 1, []string{
			`params.yaml:8:57: origin-uppercase: B rule 1 AllowedOrigin "https://App.example.com"`,
			"from: the value given for parameter AppOrigin, referred to at " + params + ":8:57"}},
		{[]string{"validate", "--parameter", "Region=eu-west-1", website}, 2, []string{"a value is given for parameter Region, which the template does not declare"}},
		{[]string{"validate", "--parameter", "A=b", envs}, 2, []string{"envs: is a Terraform configuration, not a CloudFormation template, and --parameter gives values to CloudFormation's parameters only"}},
		{[]string{"validate", "--parameter", "A=b", "../../testdata/cli/bad-method.json"}, 2, []string{"is not a CloudFormation template, and --parameter gives values to CloudFormation's parameters only"}},
		{[]string{"lint", "--parameter", "A=b", "--example"}, 2, []string{"the --example is AWS CLI JSON"}},
		{[]string{"validate", sls}, 0, []string{"serverless.yml:10:5: B: valid CORS configuration: 1 rule, 1 origin, methods GET",
			`serverless.yml:14:63: note: B: ${sls:stage} is judged as stage "dev", the Framework's stage without --stage or provider.stage`}},
		{[]string{"validate", "--stage", "prod", sls}, 1, []string{
			`serverless.yml:6:10: 400 InvalidRequest: B rule 1: AllowedOrigin "https://*.*.example.com" can not have more than one wildcard.`}},
		{[]string{"explain", "--stage", "qa", "--param", "extra=https://extra.example", "--method", "GET", "--origin", "https://extra.example", sls}, 0, []string{
			"Access-Control-Allow-Origin: https://extra.example"}},
		{[]string{"validate", "--stage", "prod", envs}, 2, []string{"is a Terraform configuration, not a Serverless Framework service, and --stage and --param give values to a service's variables only"}},
		{[]string{"validate", "--param", "a=b", "../../testdata/cli/bad-method.json"}, 2, []string{"is not a Serverless Framework service, and --stage and --param give values to a service's variables only"}},
		{[]string{"validate", "--stage", "", sls}, 2, []string{"--stage is empty: give a stage, or leave the flag out"}},
		{[]string{"convert", "--to", "json", "--stage=", sls}, 2, []string{"--stage is empty"}},
		// A Pulumi YAML program judged with a stack's configuration.
		{[]string{"explain", "--stack", "prod", "--method", "GET", "--origin", "https://partner.example", "--resource", "uploadsCors", pulumi}, 1, []string{
			`no AllowedOrigin admits "https://partner.example" (AllowedOrigins "https://app.example.com", "https://partner.example/")`}},
		{[]string{"explain", "--stack", "prod", "--method", "GET", "--origin", "https://app.example.com", "--resource", "uploadsCors", pulumi}, 0, []string{
			"Access-Control-Allow-Origin: https://app.example.com"}},
		{[]string{"validate", "--stack", "prod", sls}, 2, []string{"is a Serverless Framework service, not a Pulumi YAML program, and --stack gives the configuration of a Pulumi program's stack only"}},
		{[]string{"lint", "--stack", "", pulumi}, 2, []string{"--stack is empty: give a stack, or leave the flag out"}},
		{[]string{"convert", "--to", "json", "--stack=", pulumi}, 2, []string{"--stack is empty"}},
		{[]string{"explain", "--method", "GET", "--stack", "", pulumi}, 2, []string{"--stack is empty"}},
		// A Terraform configuration judged in a workspace: --workspace
		// stands in for the one .terraform/environment selects.
		{[]string{"validate", workspaces}, 0, []string{`note: aws_s3_bucket_cors_configuration.c: terraform.workspace is judged as "staging"`}},
		{[]string{"explain", "--workspace", "prod", "--method", "GET", "--origin", "https://prod.example.com", workspaces}, 0, []string{
			"Access-Control-Allow-Origin: https://prod.example.com"}},
		{[]string{"explain", "--workspace", "prod", "--method", "GET", "--origin", "https://staging.example.com", workspaces}, 1, []string{
			`no AllowedOrigin admits "https://staging.example.com" (AllowedOrigins "https://prod.example.com")`}},
		{[]string{"convert", "--to", "json", "--workspace", "a-b_c.d~", workspaces}, 0, []string{`"https://a-b_c.d~.example.com"`}},
		{[]string{"validate", "--workspace", "prod", sls}, 2, []string{"is a Serverless Framework service, not a Terraform configuration, and --var-file, --var and --workspace give values to Terraform's variables and workspace only"}},
		{[]string{"validate", "--workspace", "a/b", envs}, 2, []string{`the workspace name "a/b" is not allowed: the name must contain only URL safe characters, and no path separators`}},
		// A name Terraform refuses, given for a file that takes no
		// workspace, is refused for that, not ignored.
		{[]string{"lint", "--workspace", "a/b", "../../testdata/cli/bad-method.json"}, 2, []string{
			"bad-method.json: is not a Terraform configuration, and --var-file, --var and --workspace give values to Terraform's variables and workspace only"}},
		{[]string{"convert", "--to", "xml", "--workspace", "a/b", "../../testdata/cli/bad-method.json"}, 2, []string{"is not a Terraform configuration"}},
		{[]string{"lint", "--workspace", "", envs}, 2, []string{"--workspace is empty: give a workspace, or leave the flag out"}},
		{[]string{"convert", "--to", "json", "--workspace=", envs}, 2, []string{"--workspace is empty"}},
		{[]string{"explain", "--method", "GET", "--workspace", "", envs}, 2, []string{"--workspace is empty"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			got := stdout + stderr
			if code != tc.code {
				t.Errorf("exit status %d, want %d:\n%s", code, tc.code, got)
			}
			inOrder(t, got, tc.want)
		})
	}
}

// TestUndeclaredVarNoted checks that convert and explain, which print
// one reading of the module, say that a --var-file sets a variable the
// module does not declare, as validate and lint do: a misspelt name
// leaves the variable at its default, which the document or the answer
// then shows with no word of the value given.
func TestUndeclaredVarNoted(t *testing.T) {
	t.Parallel()
	varFile := filepath.Join(t.TempDir(), "typo.tfvars")
	if err := os.WriteFile(varFile, []byte("max_ages = 60\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const module = "../../testdata/iac/terraform/envs"
	const want = `typo.tfvars:1:1: note: the root module does not declare a variable named "max_ages"`
	for _, args := range [][]string{
		{"validate"},
		{"convert", "--to", "json"},
		{"explain", "--method", "GET", "--origin", "https://example.com"},
	} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			_, stdout, stderr := runIn(append(args, "--var-file", module+"/prod.tfvars", "--var-file", varFile, module), "")
			if !strings.Contains(stdout+stderr, want) {
				t.Errorf("%s prints no note of the undeclared variable:\n%s%s", args[0], stdout, stderr)
			}
		})
	}
}

// TestExplainStdinTakesValues checks that explain gives the inputs of
// infrastructure code on standard input, read for want of a FILE, the
// values the flags give, as validate does; without a configuration
// (--no-config, --no-bucket) or with the example there is nothing to give
// them to.
func TestExplainStdinTakesValues(t *testing.T) {
	t.Parallel()
	const template = `Parameters:
  AppOrigin:
    Type: String
    Default: https://app.example.com
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      CorsConfiguration:
        CorsRules:
          - AllowedOrigins: [!Ref AppOrigin]
            AllowedMethods: [GET]
`
	for _, tc := range []struct {
		args []string
		code int
		want string // in the output
	}{
		{[]string{"explain", "--parameter", "AppOrigin=https://other.example", "--method", "GET", "--origin", "https://other.example"}, exitOK,
			"Access-Control-Allow-Origin: https://other.example\n"},
		{[]string{"explain", "--parameter", "AppOrigin=https://other.example", "--method", "GET", "--origin", "https://app.example.com"}, exitInvalid,
			`no AllowedOrigin admits "https://app.example.com" (AllowedOrigins "https://other.example")`},
		{[]string{"explain", "--parameter", "AppOrigin=https://other.example", "--method", "GET", "-"}, exitInvalid, "without an Origin header"},
		{[]string{"explain", "--parameter", "A=b", "--method", "GET", "--no-bucket"}, exitUsage,
			"--var-file, --var, --workspace, --parameter, --stage, --param and --stack give values to the inputs of an infrastructure FILE, and no FILE is given"},
		{[]string{"explain", "--parameter", "A=b", "--method", "GET", "--example"}, exitUsage, errExampleValues},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, template)
			if got := stdout + stderr; code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tc.code, tc.want, got)
			}
		})
	}
}

// TestExplainInput checks that explain takes --input as validate, lint
// and convert do: it names the form FILE or standard input is read in,
// and refuses one that holds another; with --example, --no-config or
// --no-bucket there is no FILE for it to name.
func TestExplainInput(t *testing.T) {
	t.Parallel()
	const tf = `{"resource": {"aws_s3_bucket_cors_configuration": {"x": {"bucket": "b",
  "cors_rule": [{"allowed_methods": ["GET"], "allowed_origins": ["https://a.example"]}]}}}}`
	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
		want  string // in the output
	}{
		{[]string{"explain", "--input", "terraform", "--method", "GET", "--origin", "https://a.example"}, tf, exitOK,
			"Access-Control-Allow-Origin: https://a.example\n"},
		{[]string{"explain", "--input", "kubernetes", "--method", "GET", "-"}, tf, exitUsage,
			"<stdin>: holds a Terraform configuration, not a Kubernetes manifest (--input kubernetes)"},
		{[]string{"explain", "--input", "console", "--method", "GET", "../../testdata/cli/findings.json"}, "", exitUsage,
			"holds AWS CLI JSON, not S3 console JSON (--input console)"},
		{[]string{"explain", "--input", "xml", "--method", "GET", "--example"}, "", exitUsage,
			"--input says how to read FILE; the --example is AWS CLI JSON"},
		{[]string{"explain", "--input", "xml", "--method", "GET", "--no-config"}, "", exitUsage,
			"--input says how to read FILE, and no FILE is given"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, tc.stdin)
			if got := stdout + stderr; code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tc.code, tc.want, got)
			}
		})
	}
}

// TestExplainRegion: a HEAD refused at an existing bucket's path names
// the bucket's region, --region, as serve names its own (us-east-1 by
// default); a --region no SDK takes is a usage error, as serve's is.
func TestExplainRegion(t *testing.T) {
	t.Parallel()
	head := []string{"explain", "--example", "--method", "HEAD", "--path", "/example?partNumber=1"}
	for _, tc := range []struct {
		args []string
		code int
		want string // in the output
	}{
		{head, exitInvalid, "x-amz-bucket-region: us-east-1\n"},
		{append(slices.Clone(head), "--region", "eu-west-1"), exitInvalid, "x-amz-bucket-region: eu-west-1\n"},
		{append(slices.Clone(head), "--region", "eu west"), exitUsage, `--region "eu west" is not a region name`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runIn(tc.args, "")
			if got := stdout + stderr; code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s", code, tc.code, tc.want, got)
			}
		})
	}
}
