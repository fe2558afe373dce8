package iac_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestServerlessFileVariables: ${file(PATH)} and ${file(PATH):ADDRESS}
// in a value are what the Framework's file source gives: the file,
// relative to the service file's directory, parsed as YAML or JSON by its
// name (other names: its text), or the value at the address in it, with
// its own variables resolved against the service file (${self:service}
// in it is the service's name); a file or an address that names nothing
// is null, so a fallback serves. A variable on the way of a
// ${self:ADDRESS} (custom: ${file(...)}) is resolved first. The values
// are located in the file they come from. A file outside the service
// file's directory, by its path or through a symbolic link, and a
// script, are not judged: nothing of them is read.
func TestServerlessFileVariables(t *testing.T) {
	t.Parallel()
	outside := secretFile(t, "secret.yml", "KEY: https://secret.example\n")
	for _, tc := range []struct {
		name    string
		origins string // the AllowedOrigins of the service's bucket
		custom  string // the service's custom member, "" for none
		want    []string
		wantAt  string // where the first origin is written, "" to skip
		why     string // of the value not judged
	}{
		{"json address", `["${file(./config/cors.json):origin}"]`, "", []string{"https://json.example"}, "config/cors.json:1:12", ""},
		{"yaml through self", "${self:custom.origins}", "${file(./config/${sls:stage}.yml)}",
			[]string{"https://dev.example", "https://media.example"}, "config/dev.yml:2:5", ""},
		{"yaml list", "${file(./config/dev.yml):origins}", "", []string{"https://dev.example", "https://media.example"}, "config/dev.yml:2:5", ""},
		{"text", `["${file(./origin.txt)}"]`, "", []string{"https://text.example"}, "", ""},
		{"missing file, fallback", `["${file(./missing.yml):x, 'https://fallback.example'}"]`, "", []string{"https://fallback.example"}, "", ""},
		{"missing address, fallback", `["${file(./config/cors.json):nothing, 'https://fallback.example'}"]`, "", []string{"https://fallback.example"}, "", ""},
		{"missing file", `["${file(./missing.yml):x}"]`, "", nil, "", "names nothing in the service file and has no fallback"},
		{"outside", `["${file(../OUTSIDE):KEY}"]`, "", nil, "", "is outside the service's directory, which the Framework refuses (\"Cannot load file from outside of service folder\")"},
		{"link leading outside", `["${file(./link.yml):KEY}"]`, "", nil, "", "leads outside the service file's directory"},
		{"script", `["${file(./origins.js):origin}"]`, "", nil, "", "is a script, which the Framework runs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			service := "service: media\nprovider:\n  name: aws\n"
			if tc.custom != "" {
				service += "custom: " + tc.custom + "\n"
			}
			origins := tc.origins
			if rel, err := filepath.Rel(dir, outside); err == nil {
				origins = strings.Replace(origins, "../OUTSIDE", filepath.ToSlash(rel), 1)
			}
			service += "resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n        CorsConfiguration:\n          CorsRules:\n" +
				"            - AllowedMethods: [GET]\n              AllowedOrigins: " + origins + "\n"
			writeFiles(t, dir, map[string]string{
				"serverless.yml":   service,
				"config/cors.json": `{"origin": "https://json.example"}`,
				"config/dev.yml":   "origins:\n  - https://dev.example\n  - https://${self:service}.example\n",
				"origin.txt":       "https://text.example",
				"origins.js":       "module.exports = {origin: 'https://js.example'}\n",
			})
			if err := os.Symlink(outside, filepath.Join(dir, "link.yml")); err != nil {
				t.Fatal(err)
			}
			r, err := iac.Load(filepath.Join(dir, "serverless.yml"), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if got := b.Rules[0].AllowedOrigins; !slices.Equal(got, tc.want) {
				t.Errorf("origins %q, want %q", got, tc.want)
			}
			if tc.wantAt != "" {
				if at := strings.TrimPrefix(b.Origins[0].AllowedOrigins[0].Pos.String(), dir+string(filepath.Separator)); at != tc.wantAt {
					t.Errorf("the first origin is written at %s, want %s", at, tc.wantAt)
				}
			}
			if all := whyNotJudged(b, false); !saysWhy(all, tc.why) {
				t.Errorf("not judged:\n%s\nwant %q", all, tc.why)
			}
		})
	}
}

// TestServerlessResourcesFileOutside: resources from a ${file(...)}
// outside the service's directory are not read, with a note that the
// Framework refuses the service ("Cannot load file from outside of
// service folder"): the bucket in it is none of the service's.
func TestServerlessResourcesFileOutside(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"svc/serverless.yml": "service: media\nprovider:\n  name: aws\nresources: ${file(../shared/s3.yml)}\n",
		"shared/s3.yml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n" +
			"          - {AllowedMethods: [GET], AllowedOrigins: [\"https://a.example\"]}\n",
	})
	r, err := iac.Load(filepath.Join(root, "svc", "serverless.yml"), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Buckets) != 0 {
		t.Errorf("%d buckets, want none", len(r.Buckets))
	}
	want := `${file(../shared/s3.yml)} is outside the service's directory, which the Framework refuses ("Cannot load file from outside of service folder"): not read`
	if len(r.Notes) != 1 || r.Notes[0].Text != want || r.Notes[0].Pos.Line != 4 {
		t.Errorf("notes %+v, want one at line 4: %s", r.Notes, want)
	}
}

// TestFilesReadListedOnce: Result.Files lists a file read several times
// once, where it is first read: a service's ${file(./c.json):a} and
// ${file(./c.json):b}, and a child template that two nested stacks name.
func TestFilesReadListedOnce(t *testing.T) {
	t.Parallel()
	const cors = "      CorsConfiguration:\n        CorsRules:\n          - AllowedMethods: [GET]\n            AllowedOrigins: "
	for _, tc := range []struct {
		name  string
		load  string // the file loaded
		files map[string]string
		want  []string // Files, relative to the directory
	}{
		{"serverless", "serverless.yml", map[string]string{
			"serverless.yml": "service: media\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n  " +
				strings.ReplaceAll(cors, "\n", "\n  ") + `["${file(./c.json):a}", "${file(./c.json):b}"]` + "\n",
			"c.json": `{"a": "https://a.example", "b": "https://b.example"}`,
		}, []string{"serverless.yml", "c.json"}},
		{"nested stacks", "parent.yaml", map[string]string{
			"parent.yaml": "Resources:\n  One:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n" +
				"  Two:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n",
			"child.yaml": "Resources:\n  C:\n    Type: AWS::S3::Bucket\n    Properties:\n" + cors + "[\"https://c.example\"]\n",
		}, []string{"parent.yaml", "child.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			r, err := iac.Load(filepath.Join(dir, tc.load), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Files {
				got = append(got, strings.TrimPrefix(f, dir+string(filepath.Separator)))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("files %q, want %q", got, tc.want)
			}
			if len(r.Buckets) == 0 || len(r.Buckets[0].Rules) != 1 {
				t.Errorf("buckets %+v, want the file's, with one rule", r.Buckets)
			}
		})
	}
}
