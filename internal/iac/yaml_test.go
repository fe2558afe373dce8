package iac_test

import (
	"errors"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestYAMLSyntaxErrorPlace: a YAML syntax error is shown where the
// problem is. The YAML library names the line where the block or flow
// collection around the problem starts (line 1 of a template for a stray
// key at line 9), counted from 0 for its parser's errors, and no column,
// so every position was that line's column 1. Each expected position is
// written by hand: PyYAML's problem mark where it names the character,
// its context mark (where the unclosed quote or the key starts) where
// its problem mark is only where it gave up (the end of the file, the
// next line). col 0 is not checked: go-yaml reads that text otherwise
// than PyYAML, and the line is what both agree on.
func TestYAMLSyntaxErrorPlace(t *testing.T) {
	t.Parallel()
	const head = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n" +
		"    Properties:\n      CorsConfiguration:\n        CorsRules:\n"
	for _, tc := range []struct {
		name      string
		kind      iac.Kind
		data      string
		line, col int
		msg       string
	}{
		{"stray key", iac.CloudFormation, head + "          - AllowedOrigins: [\"*\"]\n  : : bad\n",
			9, 3, "did not find expected key"},
		{"flow sequence not closed", iac.CloudFormation, head + "          - AllowedOrigins: [\"https://app.example.com\"\n" +
			"            AllowedMethods: [GET]\n", 9, 13, "did not find expected ',' or ']'"},
		{"flow sequence not closed, key on the next line", iac.CloudFormation, "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n" +
			"    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedMethods: [GET\n" +
			"            AllowedOrigins: [\"https://a.example\"]\n", 8, 0, "did not find expected ',' or ']'"},
		{"flow sequence, comments before the problem", iac.CloudFormation, "a: [1, 2\n\n# a comment\n\n# another\nb: 3\n",
			6, 1, "did not find expected ',' or ']'"},
		{"flow sequence, nested", iac.CloudFormation, "a:\n  b: 1\nc: [x, [y, z\n  w: 1]\n", 4, 4, "did not find expected ',' or ']'"},
		{"flow mapping not closed", iac.CloudFormation, "a: {b: 1,\n  c: 2\nd: 3\n", 3, 2, "did not find expected ',' or '}'"},
		// Never closed: the problem is the end of the file, the end of
		// its last line.
		{"flow sequence never closed", iac.CloudFormation, "a: [1, 2\n", 1, 9, "did not find expected ',' or ']'"},
		{"empty entry", iac.CloudFormation, "x: 1\na: [b,\n  c,\n  ,]\n", 4, 3, "did not find expected node content"},
		{"stray bracket", iac.CloudFormation, "a: 1\nb: [x, y]]\n", 2, 10, "did not find expected key"},
		{"key indented by one less", iac.CloudFormation, "a:\n  b: 1\n  c: 2\n d: 3\n", 4, 2, "did not find expected key"},
		{"key indented by one more", iac.CloudFormation, "a:\n  b: 1\n  c: 2\n   d: 3\n", 4, 5, "mapping values are not allowed in this context"},
		{"scalar after a quoted scalar", iac.CloudFormation, "a:\n  b: \"x\"\n  c: \"y\" z\n", 3, 10, "did not find expected key"},
		{"sequence entry indented less", iac.CloudFormation, "list:\n  - a\n  - b\n - c\n", 4, 2, "did not find expected key"},
		{"sequence then a mapping", iac.CloudFormation, "a:\n  b: 1\n  - c\n", 3, 3, "did not find expected key"},
		{"two mapping values on line 1", iac.CloudFormation, "a: b: c\n", 1, 5, "mapping values are not allowed in this context"},
		{"tab for indentation", iac.CloudFormation, "a:\n  b: 1\n\tc: 2\n", 3, 1, "found a tab character that violates indentation"},
		{"character that cannot start a token", iac.CloudFormation, "a: @x\n", 1, 4, "found character that cannot start any token"},
		{"quote not closed", iac.CloudFormation, "a: 1\nb: \"unterminated\nc: 3\n", 2, 4, "found unexpected end of stream"},
		// go-yaml names the end of the file for a quote opened on line 1.
		{"quote not closed on line 1", iac.CloudFormation, "a: \"abc\nb: 1\n", 1, 4, "found unexpected end of stream"},
		// The quoted scalar over two lines before it is closed.
		{"quote not closed after a closed one", iac.CloudFormation, "a: 'it''s\n  fine'\nb: 'broken\n", 3, 4, "found unexpected end of stream"},
		{"key without a colon", iac.CloudFormation, "a: 1\nb\nc: 2\n", 2, 1, "could not find expected ':'"},
		{"alias without an anchor", iac.CloudFormation, "a: 1\nb: *nope\n", 2, 4, "unknown anchor 'nope' referenced"},
		// Lines as editors count them: YAML 1.1, and the library, also
		// end one at a line separator (U+2028) in a quoted scalar.
		{"after a line separator", iac.CloudFormation, "Description: \"a\u2028b\"\nResources:\n  : : bad\n",
			3, 3, "did not find expected key"},
		{"serverless event indented", iac.Serverless, "service: s\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: h.hello\n" +
			"    events:\n      - http:\n          path: /hello\n          method: get\n          cors: true\n        - http:\n" +
			"          path: /bye\n", 12, 9, "did not find expected key"},
		{"kubernetes, second document", iac.Kubernetes, "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: ConfigMap\n" +
			"data: {a: b: c}\n", 6, 12, "did not find expected ',' or '}'"},
		{"pulumi", iac.Pulumi, "name: t\nruntime: yaml\nresources:\n  c:\n    type: aws:s3:BucketCorsConfiguration\n" +
			"    properties:\n      bucket: b\n      corsRules:\n        - allowedMethods: [GET]\n         allowedOrigins: [\"*\"]\n",
			10, 10, "did not find expected '-' indicator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Parse("t.yaml", []byte(tc.data), iac.Options{Kind: tc.kind})
			pe, ok := errors.AsType[*iac.ParseError](err)
			if !ok {
				t.Fatalf("err = %v, want a ParseError", err)
			}
			if pe.Pos.Line != tc.line || tc.col != 0 && pe.Pos.Column != tc.col || pe.Msg != "YAML: "+tc.msg {
				t.Errorf("err = %v, want t.yaml:%d:%d: YAML: %s", err, tc.line, tc.col, tc.msg)
			}
		})
	}
}
