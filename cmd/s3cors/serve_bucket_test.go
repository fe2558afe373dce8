package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Configurations --bucket reads, in S3's three forms.
const (
	cliJSON = `{"CORSRules": [{"AllowedOrigins": ["http://localhost:5173"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 3000}]}`
	s3XML   = `<CORSConfiguration><CORSRule><AllowedOrigin>https://docs.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>` +
		`<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>`
	consoleJSON = `[{"AllowedOrigins": ["https://console.test"], "AllowedMethods": ["DELETE"]}]`
)

// TestServeBucketRefused gives parseServe --bucket values serve must
// refuse before it listens: each error names the flag, the bucket and
// the file, and leaves standard output empty.
func TestServeBucketRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", cliJSON)
	patch := writeFile(t, dir, "patch.json", `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PATCH"]}]}`)
	malformed := writeFile(t, dir, "malformed.xml", `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSConfiguration>`)
	noOrigin := writeFile(t, dir, "no-origin.xml", `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
	template := writeFile(t, dir, "template.yaml", "Resources:\n  Photos:\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules:\n          - AllowedOrigins: ['*']\n            AllowedMethods: [GET]\n")
	missing := filepath.Join(dir, "missing.json")
	// An XML configuration of 65,530 bytes, within S3's 65,536, without
	// the namespace that serve's PutBucketCors writes the rules out
	// with, which takes it past the limit.
	origins := ""
	for i := 0; len(origins) < 65530-100; i++ {
		origins += fmt.Sprintf("<AllowedOrigin>https://o%05d.example.com</AllowedOrigin>", i)
	}
	bigXML := `<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>` + origins + `</CORSRule></CORSConfiguration>`
	bigXML = strings.Replace(bigXML, "o00000.example.com", "o00000"+strings.Repeat("x", 65530-len(bigXML))+".example.com", 1)
	if len(bigXML) != 65530 {
		t.Fatalf("the large XML file is %d bytes, want 65530", len(bigXML))
	}
	big := writeFile(t, dir, "big.xml", bigXML)
	if code, stdout, stderr := runIn([]string{"validate", big}, ""); code != exitOK {
		t.Fatalf("validate %s: exit %d, %s%s; want 0: S3 takes the file", big, code, stdout, stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // each in stderr, in order
	}{
		{"upper case", []string{"--bucket", "Photos"}, []string{`--bucket Photos: "Photos" is not a valid bucket name`, "lower-case letters"}},
		{"underscore with file", []string{"--bucket", "my_photos=" + good}, []string{`--bucket my_photos=` + good + `: "my_photos" is not a valid bucket name`}},
		{"too short", []string{"--bucket", "ab"}, []string{`"ab" is not a valid bucket name`}},
		{"IPv4 address", []string{"--bucket", "192.168.1.1"}, []string{`"192.168.1.1" is not a valid bucket name`}},
		{"reserved prefix", []string{"--bucket", "xn--photos"}, []string{`"xn--photos" is not a valid bucket name`}},
		{"hyphen before a period", []string{"--bucket", "photos-.example"}, []string{`"photos-.example" is not a valid bucket name`, `no '-' next to '.'`}},
		{"hyphen after a period", []string{"--bucket", "photos.-example"}, []string{`"photos.-example" is not a valid bucket name`}},
		{"empty name", []string{"--bucket", "=" + good}, []string{`--bucket =` + good + `: "" is not a valid bucket name`}},
		{"empty value", []string{"--bucket", ""}, []string{`--bucket : "" is not a valid bucket name`}},
		{"repeated", []string{"--bucket", "photos", "--bucket", "photos=" + good}, []string{`--bucket photos=` + good + `: the bucket "photos" is given twice`}},
		{"example twice", []string{"--example", "--bucket", "example=" + good}, []string{`--example creates the bucket "example", and --bucket example=` + good + ` names it too`}},
		{"example plain", []string{"--bucket", "example", "--example"}, []string{`--example creates the bucket "example", and --bucket example names it too`}},
		{"empty file", []string{"--bucket", "photos="}, []string{`--bucket photos=: FILE is empty`}},
		{"standard input", []string{"--bucket", "photos=-"}, []string{`--bucket photos=-: serve reads no standard input`}},
		{"missing file", []string{"--bucket", "photos=" + missing}, []string{`--bucket photos=` + missing + `: cannot read ` + missing + `: no such file or directory`}},
		{"directory", []string{"--bucket", "photos=" + dir}, []string{`--bucket photos=` + dir + `: cannot read ` + dir + `: is a directory`}},
		{"unsupported method", []string{"--bucket", "photos=" + patch}, []string{
			`--bucket photos=` + patch + `: S3 refuses this CORS configuration for the bucket "photos"`,
			patch + ":1:", "400 InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is PATCH\n"}},
		{"malformed XML", []string{"--bucket", "photos=" + malformed}, []string{
			`--bucket photos=` + malformed + `: S3 refuses this CORS configuration for the bucket "photos"`, "400 MalformedXML: "}},
		{"rule without origin", []string{"--bucket", "photos=" + noOrigin}, []string{"400 MalformedXML: "}},
		{"second flag bad", []string{"--bucket", "photos=" + good, "--bucket", "docs=" + patch}, []string{`--bucket docs=` + patch + `: S3 refuses`}},
		{"XML past the limit once written out", []string{"--bucket", "photos=" + big}, []string{
			`--bucket photos=` + big + `: serve cannot set this CORS configuration on the bucket "photos"`,
			"400 MaxMessageLengthExceeded: ", "S3's namespace", "the file itself is within the limit"}},
		{"infrastructure file", []string{"--bucket", "photos=" + template}, []string{
			`--bucket photos=` + template + `: ` + template + ` holds a CloudFormation template`, "s3cors convert"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr strings.Builder
			_, code, ok := parseServe(append([]string{"--in-memory"}, tc.args...), &stdout, &stderr)
			rest := stderr.String()
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("parseServe(%q): stderr %q lacks %q (after what came before)", tc.args, stderr.String(), w)
					break
				}
				rest = rest[i+len(w):]
			}
			if ok || code != exitUsage || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "s3cors serve: ") {
				t.Errorf("parseServe(%q): ok %v, exit %d, stdout %q, stderr %q; want exit 2 and nothing on stdout", tc.args, ok, code, stdout.String(), stderr.String())
			}
		})
	}
}

// TestServeBucketNothingHalfApplied runs serve with a data directory, a
// good --bucket and a bad one after it: serve stops before it listens
// or creates anything, the data directory included.
func TestServeBucketNothingHalfApplied(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", cliJSON)
	bad := writeFile(t, dir, "bad.json", `{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["OPTIONS"]}]}`)
	data := filepath.Join(dir, "data")
	var stdout, stderr bytes.Buffer
	code := serve(context.Background(), serveLimits, []string{"--addr", "127.0.0.1:0", "--data", data, "--bucket", "photos=" + good, "--bucket", "docs=" + bad}, &stdout, &stderr)
	if code != exitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "--bucket docs="+bad) {
		t.Errorf("serve with a bad second --bucket: exit %d, stdout %q, stderr %q; want 2 and nothing on stdout", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the data directory was created (%v) though a --bucket was refused", err)
	}
}

// TestServeBuckets starts serve with buckets of CORS configurations in
// each form serve reads, and one without: each is made, private, with
// its rules in force, and says so in one line.
func TestServeBuckets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cli := writeFile(t, dir, "cors.json", cliJSON)
	xml := writeFile(t, dir, "cors.xml", s3XML)
	console := writeFile(t, dir, "console.json", consoleJSON)
	// The AWS CLI's --cli-input-json file names a bucket of its own,
	// which NAME stands in for, as the CLI's --bucket does.
	input := writeFile(t, dir, "input.json", `{"Bucket": "elsewhere", "CORSConfiguration": {"CORSRules": [{"AllowedOrigins": ["https://input.test"], "AllowedMethods": ["POST"]}]}}`)
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--in-memory",
		"--bucket", "uploads="+cli, "--bucket", "docs.site="+xml, "--bucket", "plain", "--bucket", "admin="+console, "--bucket", "forms="+input)
	wantBanner := []string{
		`s3cors: bucket "uploads" created: private, CORS from ` + cli + ` (1 rule)`,
		`s3cors: bucket "docs.site" created: private, CORS from ` + xml + ` (2 rules)`,
		`s3cors: bucket "plain" created: private`,
		`s3cors: bucket "admin" created: private, CORS from ` + console + ` (1 rule)`,
		`s3cors: bucket "forms" created: private, CORS from ` + input + ` (1 rule)`,
	}
	if len(s.banner) != len(wantBanner)+1 || strings.Join(s.banner[:len(wantBanner)], "\n") != strings.Join(wantBanner, "\n") {
		t.Errorf("banner:\n%s\nwant first:\n%s", strings.Join(s.banner, "\n"), strings.Join(wantBanner, "\n"))
	}
	resp, _ := get(t, "OPTIONS", s.url+"/uploads/photo.jpg", "Origin", "http://localhost:5173",
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		resp.Header.Get("Access-Control-Allow-Methods") != "GET, PUT" || resp.Header.Get("Access-Control-Max-Age") != "3000" {
		t.Errorf("preflight on uploads (AWS CLI JSON): %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/uploads/photo.jpg", "Origin", "https://docs.test", "Access-Control-Request-Method", "GET")
	if resp.StatusCode != 403 {
		t.Errorf("preflight on uploads from an origin its rules do not allow: %d, want 403", resp.StatusCode)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/docs.site/index.html", "Origin", "https://docs.test", "Access-Control-Request-Method", "GET")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://docs.test" || resp.Header.Get("Access-Control-Max-Age") != "60" {
		t.Errorf("preflight on docs.site (S3 XML): %d %v", resp.StatusCode, resp.Header)
	}
	const wantXML = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://docs.test</AllowedOrigin><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>` +
		`<CORSRule><AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`
	if resp, body := get(t, "GET", s.url+"/docs.site?cors"); resp.StatusCode != 200 || body != wantXML {
		t.Errorf("GetBucketCors of docs.site: %d %s\nwant %s", resp.StatusCode, body, wantXML)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/admin/x", "Origin", "https://console.test", "Access-Control-Request-Method", "DELETE")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Methods") != "DELETE" {
		t.Errorf("preflight on admin (S3 console JSON): %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/forms/x", "Origin", "https://input.test", "Access-Control-Request-Method", "POST")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Methods") != "POST" {
		t.Errorf("preflight on forms (the AWS CLI's --cli-input-json): %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := get(t, "GET", s.url+"/elsewhere?cors"); resp.StatusCode != 404 {
		t.Errorf("GetBucketCors of the file's Bucket: %d, want 404: no such bucket was made", resp.StatusCode)
	}
	if resp, body := get(t, "GET", s.url+"/plain?cors"); resp.StatusCode != 404 || !strings.Contains(body, "<Code>NoSuchCORSConfiguration</Code>") {
		t.Errorf("GetBucketCors of plain, made without FILE: %d %s", resp.StatusCode, body)
	}
	for _, b := range []string{"plain", "uploads"} {
		if resp, body := get(t, "GET", s.url+"/"+b+"?acl"); resp.StatusCode != 200 || strings.Contains(body, "AllUsers") || !strings.Contains(body, "FULL_CONTROL") {
			t.Errorf("GetBucketAcl of %s: %d %s; want private: the owner's FULL_CONTROL alone", b, resp.StatusCode, body)
		}
	}
	stop()
	if code := s.wait(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, s.stderr)
	}
}

// TestServeBucketExists restarts serve on a data directory: --bucket
// NAME=FILE replaces the CORS configuration of a bucket that exists, and
// keeps its objects; --bucket NAME leaves it as it is; each says so.
func TestServeBucketExists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cli := writeFile(t, dir, "cors.json", cliJSON)
	xml := writeFile(t, dir, "cors.xml", s3XML)
	s, stop := startCancelable(t, "--addr", "127.0.0.1:0", "--data", data, "--bucket", "photos="+cli, "--bucket", "kept="+cli)
	if resp, _ := get(t, "PUT", s.url+"/photos/cat.jpg"); resp.StatusCode != 200 {
		t.Fatalf("PutObject: %d", resp.StatusCode)
	}
	stop()
	if code := s.wait(t); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, s.stderr)
	}

	s, stop = startCancelable(t, "--addr", "127.0.0.1:0", "--data", data, "--bucket", "photos="+xml, "--bucket", "kept", "--bucket", "new")
	defer func() { stop(); s.wait(t) }()
	wantBanner := []string{
		`s3cors: bucket "photos" exists: CORS replaced from ` + xml + ` (2 rules)`,
		`s3cors: bucket "kept" exists: left as it is`,
		`s3cors: bucket "new" created: private`,
	}
	if len(s.banner) != len(wantBanner)+1 || strings.Join(s.banner[:len(wantBanner)], "\n") != strings.Join(wantBanner, "\n") {
		t.Errorf("banner after a restart:\n%s\nwant first:\n%s", strings.Join(s.banner, "\n"), strings.Join(wantBanner, "\n"))
	}
	resp, _ := get(t, "OPTIONS", s.url+"/photos/cat.jpg", "Origin", "https://docs.test", "Access-Control-Request-Method", "GET")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://docs.test" {
		t.Errorf("preflight allowed by the new rules: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/photos/cat.jpg", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "PUT")
	if resp.StatusCode != 403 {
		t.Errorf("preflight allowed only by the replaced rules: %d, want 403", resp.StatusCode)
	}
	if resp, _ := get(t, "GET", s.url+"/photos/cat.jpg"); resp.StatusCode != 200 {
		t.Errorf("object of the bucket whose CORS was replaced: %d, want 200", resp.StatusCode)
	}
	resp, _ = get(t, "OPTIONS", s.url+"/kept/x", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "PUT")
	if resp.StatusCode != 200 {
		t.Errorf("preflight on kept, left as it is: %d, want 200 by the rules of the first start", resp.StatusCode)
	}
}
