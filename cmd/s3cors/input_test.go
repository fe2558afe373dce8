package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSkipUnrelated checks which files --skip-unrelated passes over: a
// file that is neither infrastructure code nor may be a CORS
// configuration in one of S3's forms. A file that mentions CORS rules but
// does not start as S3's forms start ('<', '{' or '[', after white space
// and a byte order mark) is none of them: S3 itself would refuse it as
// "neither XML nor JSON".
func TestSkipUnrelated(t *testing.T) {
	t.Parallel()
	const rule = `{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}`
	for _, tc := range []struct {
		name, data string
		skip       bool
	}{
		{"package.json", `{"name":"app","version":"1.0.0"}`, true},
		{"ci.yml", "name: ci\non: [push]\n", true},
		// A workflow that quotes a configuration in a command line.
		{"deploy.yml", "name: deploy\njobs:\n  d:\n    steps:\n      - run: aws s3api put-bucket-cors --bucket b --cors-configuration '{\"CORSRules\":[" + rule + "]}'\n", true},
		// The Serverless Framework's serverless.yml holds CloudFormation
		// under resources.Resources, among the framework's own
		// settings and variables: not a template, and not read.
		{"serverless.yml", "service: app\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n" +
			"      Properties:\n        CorsConfiguration:\n          CorsRules:\n            - AllowedOrigins: ['*']\n              AllowedMethods: [GET]\n", true},
		{"notes.md", "Our bucket's CORSRule allows every origin.\n", true},
		{"empty.json", "", true},

		{"cors.json", `{"CORSRules":[` + rule + `]}`, false},
		{"bad.json", `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["get"]}]}`, false},
		{"console.json", "[" + rule + "]", false},
		{"cors.xml", "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>", false},
		{"indented.json", " \t\r\n{\"CORSRules\":[" + rule + "]}", false},
		// S3 refuses a byte order mark, and the tool says why: judged.
		{"bom.json", "\uFEFF{\"CORSRules\":[" + rule + "]}", false},
		{"misspelt.json", `{"CORSRules":[{"AllowedOrigin":["*"]}]}`, false},
		{"template.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			l := load(fileSource(path, nil), loadOptions{skipUnrelated: true})
			if l.skipped != tc.skip {
				t.Errorf("skipped = %v, want %v (problems %v, error %v)", l.skipped, tc.skip, l.problems, l.err)
			}
		})
	}
}
