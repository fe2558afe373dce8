package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stackTemplate is a template with one bucket whose only origin is
// origin.
func stackTemplate(origin string) string {
	return `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"CorsConfiguration": {"CorsRules": [
  {"AllowedOrigins": ["` + origin + `"], "AllowedMethods": ["GET"], "MaxAge": 600}]}}}}}
`
}

// writeTree writes files (path: content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCloudAssembly: a directory that cdk synth wrote (cdk.out, a cloud
// assembly) stands for the templates of the stacks its manifest.json
// lists, in the manifest's order, those of a Stage's assembly (a
// directory of its own, with its manifest) in its place; its other
// artifacts (assets, the tree) are not templates. A manifest that cannot
// be followed is an I/O error naming the assembly, and a directory whose
// manifest.json is not an assembly's is read as before (only Terraform
// reads directories).
func TestCloudAssembly(t *testing.T) {
	t.Parallel()
	const stage = `{"version": "36.0.0", "artifacts": {"ProdMediaStack": {"type": "aws:cloudformation:stack",
  "properties": {"templateFile": "ProdMediaStack.template.json"}}}}`
	for _, tc := range []struct {
		name  string
		files map[string]string
		code  int
		want  []string // lines of standard output or error, in order, with DIR for the assembly
	}{
		{"stacks and a stage", map[string]string{
			"manifest.json": `{"version": "36.0.0", "artifacts": {
  "Web": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Web.template.json"}},
  "Web.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Web.assets.json"}},
  "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}},
  "Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}},
  "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}`,
			"Web.template.json":                            stackTemplate("https://web.example"),
			"Api.template.json":                            stackTemplate("https://api.example/"),
			"assembly-Prod/manifest.json":                  stage,
			"assembly-Prod/ProdMediaStack.template.json":   stackTemplate("https://*.media.*"),
			"Web.assets.json":                              `{"version": "36.0.0", "files": {}}`,
			"assembly-Prod/ProdMediaStack.assets.json":     `{}`,
			"assembly-Prod/ProdMediaStack.nested.tmp.json": `{}`,
		}, 1, []string{
			"DIR/Web.template.json:1:16: B: valid CORS configuration: 1 rule, 1 origin, methods GET",
			"DIR/assembly-Prod/ProdMediaStack.template.json:2:23: 400 InvalidRequest: B rule 1: AllowedOrigin \"https://*.media.*\" can not have more than one wildcard.",
			"DIR/Api.template.json:1:16: B: valid CORS configuration: 1 rule, 1 origin, methods GET",
		}},
		{"no stack", map[string]string{
			"manifest.json": `{"version": "36.0.0", "artifacts": {"Tree": {"type": "cdk:tree"}}}`,
		}, 2, []string{"s3cors validate: DIR: is a CDK cloud assembly whose manifest.json names no stack"}},
		{"outside", map[string]string{
			"manifest.json": `{"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../S.template.json"}}}}`,
		}, 2, []string{`s3cors validate: DIR: DIR/manifest.json: the templateFile of stack S, "../S.template.json", is not a file in the assembly`}},
		{"stage without manifest", map[string]string{
			"manifest.json": `{"version": "36.0.0", "artifacts": {"assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}`,
		}, 2, []string{"s3cors validate: DIR: DIR/manifest.json: assembly assembly-Prod has no manifest.json in DIR/assembly-Prod"}},
		{"template missing", map[string]string{
			"manifest.json": `{"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}`,
		}, 2, []string{"s3cors validate: DIR/S.template.json: no such file or directory"}},
		{"not an assembly", map[string]string{
			"manifest.json": `{"name": "web-app", "icons": []}`,
		}, 2, []string{"s3cors validate: DIR: is a directory without Terraform or OpenTofu files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tc.files)
			code, stdout, stderr := runIn([]string{"validate", dir}, "")
			got := strings.ReplaceAll(stdout+stderr, dir, "DIR")
			if code != tc.code {
				t.Errorf("exit status %d, want %d:\n%s", code, tc.code, got)
			}
			inOrder(t, got, tc.want)
		})
	}
}

// TestCloudAssemblyOneStack: explain and convert, which take one
// configuration, read a cloud assembly of one stack as that stack's
// template (a Stage's assembly included), and refuse one of several
// stacks, naming the templates to give instead; --input other than
// cloudformation reads the directory as that input, not as an assembly.
func TestCloudAssemblyOneStack(t *testing.T) {
	t.Parallel()
	oneStack := map[string]string{
		"manifest.json": `{"version": "36.0.0", "artifacts": {
  "Web.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Web.assets.json"}},
  "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}`,
		"assembly-Prod/manifest.json":     `{"version": "36.0.0", "artifacts": {"Web": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Web.template.json"}}}}`,
		"assembly-Prod/Web.template.json": stackTemplate("https://web.example"),
	}
	twoStacks := map[string]string{
		"manifest.json": `{"version": "36.0.0", "artifacts": {
  "Web": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Web.template.json"}},
  "Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}`,
		"Web.template.json": stackTemplate("https://web.example"),
		"Api.template.json": stackTemplate("https://api.example"),
	}
	preflight := []string{"explain", "--method", "OPTIONS", "--origin", "https://web.example", "--request-method", "GET"}
	for _, tc := range []struct {
		name  string
		files map[string]string
		args  []string // DIR for the assembly
		code  int
		want  []string
	}{
		{"explain", oneStack, append(preflight, "DIR"), 0, []string{
			"Access-Control-Allow-Origin: https://web.example", "Access-Control-Max-Age: 600"}},
		{"explain, refused", oneStack, []string{"explain", "--method", "OPTIONS", "--origin", "https://api.example", "--request-method", "GET", "DIR"}, 1, []string{
			"403 Forbidden", "<Code>AccessForbidden</Code>"}},
		{"convert", oneStack, []string{"convert", "--to", "xml", "DIR"}, 0, []string{
			"<CORSConfiguration", "<AllowedOrigin>https://web.example</AllowedOrigin>", "<MaxAgeSeconds>600</MaxAgeSeconds>"}},
		{"convert --input cloudformation", oneStack, []string{"convert", "--input", "cloudformation", "--to", "json", "DIR"}, 0, []string{
			`"AllowedOrigins": [`, `"https://web.example"`}},
		{"explain, two stacks", twoStacks, append(preflight, "DIR"), 2, []string{
			"s3cors explain: DIR is a CDK cloud assembly of 2 stacks; give one stack's template: DIR/Web.template.json, DIR/Api.template.json"}},
		{"convert, two stacks", twoStacks, []string{"convert", "--to", "xml", "DIR"}, 2, []string{
			"s3cors convert: DIR is a CDK cloud assembly of 2 stacks; give one stack's template: DIR/Web.template.json, DIR/Api.template.json"}},
		{"convert, one of two stacks", twoStacks, []string{"convert", "--to", "xml", "DIR/Api.template.json"}, 0, []string{
			"<AllowedOrigin>https://api.example</AllowedOrigin>"}},
		{"convert --input json", oneStack, []string{"convert", "--input", "json", "--to", "xml", "DIR"}, 2, []string{
			"s3cors convert: DIR: is a directory, not a configuration file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tc.files)
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "DIR", dir)
			}
			code, stdout, stderr := runIn(args, "")
			got := strings.ReplaceAll(stdout+stderr, dir, "DIR")
			if code != tc.code {
				t.Errorf("exit status %d, want %d:\n%s", code, tc.code, got)
			}
			inOrder(t, got, tc.want)
		})
	}
}

// inOrder fails t unless the output got holds each of want, in order.
func inOrder(t *testing.T, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("the output lacks %q (or has it out of order):\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}
