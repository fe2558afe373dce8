package iac_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestDetectServerless: a Serverless Framework service file has service
// and provider at its top level (the Framework refuses one without:
// "\"service\" property is missing", "\"provider\" property is
// missing"); neither a template nor docker-compose's services is one.
func TestDetectServerless(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, data string
		want       iac.Kind
	}{
		{"yaml", "service: media\nprovider:\n  name: aws\n", iac.Serverless},
		{"yaml, provider first", "# x\nprovider: aws\nservice: media\nresources: {}\n", iac.Serverless},
		{"json", `{"service": "media", "provider": {"name": "aws"}, "resources": {}}`, iac.Serverless},
		{"no provider", "service: media\nfunctions: {}\n", 0},
		{"compose", "services:\n  web:\n    image: x\nprovider: y\n", 0},
		{"template", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", iac.CloudFormation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := iac.Detect([]byte(tc.data)); got != tc.want {
				t.Errorf("Detect = %v, want %v", got, tc.want)
			}
		})
	}
}

// slsOrigins writes a service file whose one bucket takes its
// AllowedOrigins from origins (YAML, in flow style), with custom as the
// service's custom section, reads it and returns the origins judged, or
// "not judged: " and why, or "error: " and the error.
func slsOrigins(t *testing.T, custom, origins string) string {
	t.Helper()
	src := "service: media\nprovider:\n  name: aws\ncustom: " + custom + "\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n" +
		"      Properties:\n        CorsConfiguration:\n          CorsRules:\n            - AllowedMethods: [GET]\n              AllowedOrigins: " + origins + "\n"
	r, err := iac.Parse("serverless.yml", []byte(src), iac.Options{})
	if err != nil {
		return "error: " + err.Error()
	}
	if r.Kind != iac.Serverless || len(r.Buckets) != 1 {
		t.Fatalf("kind %v, %d buckets, want one bucket of a Serverless service", r.Kind, len(r.Buckets))
	}
	b := r.Buckets[0]
	if len(b.Unjudged) > 0 {
		return "not judged: " + b.Unjudged[0].Why
	}
	return fmt.Sprintf("%q", b.Rules[0].AllowedOrigins)
}

// TestServerlessVariables: the Framework's variables are resolved where
// the service file alone tells their value, as the Framework resolves
// them: ${self:ADDRESS} is the value at that address of the service file
// (the value itself, a list included, when the string is the variable
// alone; its text in place, among other text), the first fallback that
// has a value when it names nothing; an option or an environment variable
// with a fallback is judged with the fallback, and ${sls:stage} as the
// stage deployed without --stage (provider.stage, or "dev"), as a
// template's parameter is judged with its Default (TestServerlessAssumed
// checks the notes); any other source (ssm, cf, file, an option without
// fallback, ...) is known only when the Framework packages the service,
// and a value that holds one is not judged. ${...} without a source
// (AWS::Region, a resource) is CloudFormation's, left for Fn::Sub.
func TestServerlessVariables(t *testing.T) {
	t.Parallel()
	const custom = `{origins: ["https://a.example", "https://b.example"], domain: example.com, port: 8443, alias: "${self:custom.domain}",
  loop: "${self:custom.loop2}", loop2: "${self:custom.loop}", stage: "${opt:stage, 'dev'}", list: {dev: ["https://dev.example"]}, none: null}`
	const sls = "a Serverless Framework variable, which the Framework resolves when it packages the service"
	for _, tc := range []struct{ origins, want string }{
		{`${self:custom.origins}`, `["https://a.example" "https://b.example"]`},
		{`["${self:custom.origins.1}"]`, `["https://b.example"]`},
		{`["https://app.${self:custom.domain}:${self:custom.port}"]`, `["https://app.example.com:8443"]`},
		{`["https://${self:custom.alias}"]`, `["https://example.com"]`},
		{`["https://${self:custom.nothere, 'fallback.example'}"]`, `["https://fallback.example"]`},
		{`["https://${self:custom.nothere, self:custom.domain}"]`, `["https://example.com"]`},
		{`["https://${self:custom.domain, 'unused.example'}"]`, `["https://example.com"]`},
		{`["https://${self:custom.nothere}"]`, "not judged: ${self:custom.nothere} names nothing in the service file and has no fallback"},
		// A null is no value: v3's resolveVariable takes the next
		// source, and fails after the last ("Value not found at
		// \"self\" source").
		{`["https://${self:custom.none, 'fallback.example'}"]`, `["https://fallback.example"]`},
		{`["https://${self:custom.none, self:custom.domain}"]`, `["https://example.com"]`},
		{`["https://${self:custom.none}"]`, "not judged: ${self:custom.none} names nothing in the service file and has no fallback"},
		{`["${env:ORIGIN}"]`, "not judged: " + sls},
		{`["${env:ORIGIN, 'https://x.example'}"]`, `["https://x.example"]`},
		{`["${ssm:/origin, 'https://x.example'}"]`, "not judged: " + sls},
		{`["https://${self:custom.stage}.example"]`, `["https://dev.example"]`},
		{`${self:custom.list.${sls:stage}}`, `["https://dev.example"]`},
		{`${self:custom.list.${opt:stage}}`, "not judged: " + sls},
		{`["https://${self:custom.loop}"]`, "not judged: ${self:...} references lead more than 16 deep"},
		{`["https://${self:custom.origins}"]`, "not judged: ${self:custom.origins} is a list, which the Framework cannot put in a string"},
		{`["https://${AWS::Region}.example"]`, `["https://${AWS::Region}.example"]`},
		{`[!Sub "https://${AWS::Region}.${self:custom.domain}"]`, "not judged: "},
		{`["https://${unclosed"]`, `["https://${unclosed"]`},
		// The Framework's template declares resources of its own, such
		// as ApiGatewayRestApi for a service with http events: a name
		// the resources do not declare is not known, not refused.
		{`[!Sub "https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.amazonaws.com"]`, "not judged: "},
		{`[!GetAtt ThumbnailLambdaFunction.Arn]`, "not judged: "},
	} {
		t.Run(tc.origins, func(t *testing.T) {
			t.Parallel()
			got := slsOrigins(t, custom, tc.origins)
			if got != tc.want && !(strings.HasPrefix(tc.want, "not judged: ") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestServerlessSubAfterVariables: the Framework resolves its variables
// before CloudFormation reads the template, so an Fn::Sub whose text holds
// ${self:...} gets the value in place, and its own ${Name} references are
// then CloudFormation's.
func TestServerlessSubAfterVariables(t *testing.T) {
	t.Parallel()
	got := slsOrigins(t, `{domain: example.com}`, `[!Sub "https://${self:custom.domain}"]`)
	if want := `["https://example.com"]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// slsLoad writes files in a temporary directory, loads its
// serverless.yml and returns the golden report of what it holds, with
// the directory's path taken out of positions.
func slsLoad(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	r, err := iac.Load(filepath.Join(dir, "serverless.yml"), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(report(r), dir+string(filepath.Separator), "")
}

// TestServerlessResources: resources is a mapping of CloudFormation, a
// ${file(...)} variable naming a file that holds one (an address after
// it picks a part), or a list of them, which the Framework merges in order
// as lodash's merge does: mappings key by key, lists index by index, so a
// later item adds to a bucket an earlier one declared. An empty item is
// passed over; an item that is not a mapping, or a file that cannot be
// read, is a note, as is a file or an address that holds nothing, which
// fails the Framework's resolution.
func TestServerlessResources(t *testing.T) {
	t.Parallel()
	const head = "service: media\nprovider:\n  name: aws\n"
	bucket := func(id, rules string) string {
		return "Resources:\n  " + id + ":\n    Type: AWS::S3::Bucket\n    Properties:\n      CorsConfiguration:\n        CorsRules: " + rules + "\n"
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // lines the report holds, in order
	}{
		{"a file", map[string]string{
			"serverless.yml": head + "resources: ${file(./res/s3.yml)}\n",
			"res/s3.yml":     bucket("B", `[{AllowedOrigins: ["*"], AllowedMethods: [GET]}]`),
		}, []string{"kind serverless; files serverless.yml, res/s3.yml", "res/s3.yml:2:3: AWS::S3::Bucket B: 1 rules", "valid, clean"}},
		{"a file per stage", map[string]string{
			"serverless.yml": head + "resources: ${file(res/${sls:stage}.yml)}\n",
			"res/dev.yml":    bucket("B", `[{AllowedOrigins: ["*"], AllowedMethods: [GET]}]`),
		}, []string{`serverless.yml:4:12: note: ${sls:stage} is judged as stage "dev", the Framework's stage without --stage or provider.stage`,
			"res/dev.yml:2:3: AWS::S3::Bucket B: 1 rules"}},
		{"a file's part", map[string]string{
			"serverless.yml": head + "resources: ${file(res.yml):all}\n",
			"res.yml":        "all:\n  " + strings.ReplaceAll(bucket("B", `[{AllowedOrigins: ["*"], AllowedMethods: [PATCH]}]`), "\n", "\n  "),
		}, []string{"res.yml:3:5: AWS::S3::Bucket B: 1 rules", "400 InvalidRequest: rule 1 AllowedMethod[0]"}},
		{"merged", map[string]string{
			"serverless.yml": head + "resources:\n  - " + strings.ReplaceAll(bucket("B", `[{AllowedOrigins: ["https://a.example"]}]`), "\n", "\n    ") +
				"\n  -\n  - ${file(more.yml)}\n",
			"more.yml": bucket("B", `[{AllowedMethods: [GET]}, {AllowedOrigins: ["*"], AllowedMethods: [HEAD]}]`),
		}, []string{"serverless.yml:6:7: AWS::S3::Bucket B: 2 rules", "valid, clean"}},
		{"not a mapping", map[string]string{
			"serverless.yml": head + "resources:\n  - just text\n",
		}, []string{`serverless.yml:5:5: note: resources holds "just text", which is not a ${file(...)} variable s3cors follows: not read`}},
		{"a list item", map[string]string{
			"serverless.yml": head + "resources:\n  - [1, 2]\n",
		}, []string{`serverless.yml:5:5: note: an item of resources is a list, which the Framework refuses ("Non-object value specified in resources array"): not read`}},
		{"missing file", map[string]string{
			"serverless.yml": head + "resources:\n  - ${file(nothere.yml)}\n",
		}, []string{"serverless.yml:5:5: note: ${file(nothere.yml)} could not be read: open ",
			`, which the Framework refuses without a fallback ("Value not found at "file" source"): not read`}},
		{"empty file", map[string]string{
			"serverless.yml": head + "resources:\n  - ${file(empty.yml)}\n",
			"empty.yml":      "null # nothing yet\n",
		}, []string{`serverless.yml:5:5: note: ${file(empty.yml)} holds nothing, which the Framework refuses without a fallback ("Value not found at "file" source"): not read`}},
		{"address naming nothing", map[string]string{
			"serverless.yml": head + "resources: ${file(res.yml):nothere}\n",
			"res.yml":        bucket("B", `[{AllowedOrigins: ["*"], AllowedMethods: [GET]}]`),
		}, []string{`serverless.yml:4:12: note: ${file(res.yml):nothere} names nothing in the file, which the Framework refuses without a fallback ("Value not found at "file" source"): not read`}},
		{"null properties", map[string]string{
			"serverless.yml": head + "resources:\n  " + strings.ReplaceAll(bucket("B", `[{AllowedOrigins: ["*"], AllowedMethods: [GET], MaxAge: null, ExposedHeaders: null}]`), "\n", "\n  "),
		}, []string{"serverless.yml:6:5: AWS::S3::Bucket B: 1 rules", "valid"}},
		{"extensions", map[string]string{
			"serverless.yml": head + "resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties: {BucketName: b}\n" +
				"  extensions:\n    B:\n      Properties:\n        CorsConfiguration: {CorsRules: [{AllowedOrigins: [\"https://x.example/\"], AllowedMethods: [GET]}]}\n" +
				"    NotHere:\n      Properties: {X: 1}\n",
		}, []string{"serverless.yml:6:5: AWS::S3::Bucket B: 1 rules", `serverless.yml:12:59: origin-trailing-slash: rule 1 AllowedOrigin[0] "https://x.example/"`}},
		{"outputs only", map[string]string{
			"serverless.yml": head + "resources:\n  Outputs:\n    X: {Value: 1}\n",
		}, []string{"kind serverless; files serverless.yml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := slsLoad(t, tc.files)
			inOrder(t, got, tc.want)
			if strings.Contains(tc.name, "not a mapping") || tc.name == "a list item" || tc.name == "missing file" || tc.name == "empty file" || tc.name == "address naming nothing" || tc.name == "outputs only" {
				if strings.Contains(got, "AWS::S3::Bucket") {
					t.Errorf("a bucket was read:\n%s", got)
				}
			}
		})
	}
}

// TestServerlessKindError: read as a Serverless Framework service, a file
// without service or provider is refused as the Framework refuses it,
// rather than passed as one that declares no bucket.
func TestServerlessKindError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ data, reason string }{
		{"Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "it has no service member"},
		{"service: x\n", "it has no provider member"},
		{"- a\n", "its top level is a list, not a mapping"},
	} {
		_, err := iac.Parse("f.yml", []byte(tc.data), iac.Options{Kind: iac.Serverless})
		var ke *iac.KindError
		if !errors.As(err, &ke) || ke.Reason != tc.reason || ke.Error() != "f.yml: not a Serverless Framework service: "+tc.reason {
			t.Errorf("%q: %v, want a KindError: %s", tc.data, err, tc.reason)
		}
	}
}

// TestServerlessHostile: references that lead back to themselves, or
// fan out, end in bounded time with the value not judged or the step
// bound's error, never a hang.
func TestServerlessHostile(t *testing.T) {
	t.Parallel()
	// Each level names the one below twice: 2^30 strings if followed
	// naively.
	var b strings.Builder
	b.WriteString("service: x\nprovider: aws\ncustom:\n  l0: a\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "  l%d: \"${self:custom.l%d}${self:custom.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n        CorsConfiguration:\n          CorsRules:\n" +
		"            - {AllowedMethods: [GET], AllowedOrigins: [\"${self:custom.l30}\"]}\n")
	r, err := iac.Parse("serverless.yml", []byte(b.String()), iac.Options{})
	if err == nil {
		if len(r.Buckets) != 1 || len(r.Buckets[0].Unjudged) == 0 {
			t.Fatalf("the fan-out was judged: %s", report(r))
		}
		return
	}
	var pe *iac.ParseError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "steps") {
		t.Errorf("err = %v, want the step bound's ParseError", err)
	}
}

// TestServerlessMergeByIndex pins the merged rules of the "merged"
// case of TestServerlessResources: lodash merges CorsRules index by index,
// so the first rule has the origins of one item and the methods of the
// other.
func TestServerlessMergeByIndex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"serverless.yml": "service: media\nprovider: aws\nresources:\n  - Resources:\n      B:\n        Type: AWS::S3::Bucket\n        Properties:\n" +
			"          CorsConfiguration:\n            CorsRules: [{AllowedOrigins: [\"https://a.example\"]}]\n  - ${file(more.yml)}\n",
		"more.yml": "Resources:\n  B:\n    Properties:\n      CorsConfiguration:\n        CorsRules: [{AllowedMethods: [GET]}, {AllowedOrigins: [\"*\"], AllowedMethods: [HEAD]}]\n",
	})
	r, err := iac.Load(filepath.Join(dir, "serverless.yml"), iac.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rule := range r.Buckets[0].Rules {
		got = append(got, fmt.Sprintf("%q %q", rule.AllowedOrigins, rule.AllowedMethods))
	}
	want := []string{`["https://a.example"] ["GET"]`, `["*"] ["HEAD"]`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

// TestServerlessAssumed: what was taken for granted to judge a value (an
// option not given, so its fallback; the stage deployed without --stage)
// is a note of the bucket, as a parameter judged with its Default is.
func TestServerlessAssumed(t *testing.T) {
	t.Parallel()
	got := slsLoad(t, map[string]string{"serverless.yml": `service: media
provider:
  name: aws
  stage: ${opt:stage, 'prod'}
custom:
  origins:
    prod: ["https://app.example.com"]
resources:
  Resources:
    B:
      Type: AWS::S3::Bucket
      Properties:
        CorsConfiguration:
          CorsRules:
            - AllowedMethods: [GET]
              AllowedOrigins: ${self:custom.origins.${sls:stage}}
              MaxAge: ${env:MAX_AGE, 600}
`})
	for _, want := range []string{
		"serverless.yml:10:5: AWS::S3::Bucket B: 1 rules",
		`serverless.yml:16:31: note: rule 0: ${sls:stage} is judged as stage "prod", provider.stage: the stage deployed without --stage`,
		"serverless.yml:4:10: note: rule 0: ${opt:stage, 'prod'} is judged with its fallback, which the Framework takes when the option --stage is not set",
		"serverless.yml:17:23: note: rule 0: ${env:MAX_AGE, 600} is judged with its fallback, which the Framework takes when the environment variable MAX_AGE is not set",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
}

// TestServerlessEventBuckets: the Framework creates the bucket of each s3
// event (not existing: true) before it merges resources, as
// AwsCompileS3Events.newS3Buckets does: S3Bucket and the letters and
// digits of the event's bucket, first letter upper case, as its logical
// ID; with the members of provider.s3's entry of that name as its
// properties, first letters made upper case (corsConfiguration is
// CorsConfiguration), name its BucketName. resources may add to it under
// that ID (lodash's merge) and resources.extensions assign its
// Properties. A provider.s3 entry with CORS that no event names makes no
// bucket, which a note says, and so does one that only events with
// existing: true name, where the note said that no event named it.
func TestServerlessEventBuckets(t *testing.T) {
	t.Parallel()
	const head = "service: media\nprovider:\n  name: aws\n"
	const cors = `{CorsRules: [{AllowedOrigins: ["https://app.example/"], AllowedMethods: [GET]}]}`
	for _, tc := range []struct {
		name    string
		service string
		want    []string // lines the report holds, in order
		none    bool     // no bucket is read
	}{
		{"provider.s3", head + "  s3:\n    photo-uploads:\n      name: media-photos\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: photo-uploads\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotouploads: 1 rules",
				`serverless.yml:7:57: origin-trailing-slash: rule 1 AllowedOrigin[0] "https://app.example/"`}, false},
		{"event object, self variable", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"custom:\n  bucket: photos\nfunctions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: \"${self:custom.bucket}\", event: \"s3:ObjectCreated:*\"}\n" +
			"      - s3: {bucket: photos, event: \"s3:ObjectRemoved:*\"}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules",
				`serverless.yml:6:57: origin-trailing-slash: rule 1 AllowedOrigin[0] "https://app.example/"`}, false},
		{"existing", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: true}\n",
			[]string{"serverless.yml:5:5: note: provider.s3.photos is named only by s3 events with existing: true, which attach to a bucket made elsewhere: the Framework creates no bucket of it, and its CORS configuration is not deployed"}, true},
		{"existing, a string", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: \"yes\"}\n",
			[]string{"serverless.yml:5:5: note: provider.s3.photos is named only by s3 events with existing: true"}, true},
		{"existing: false", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: false}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		// js-yaml, which the Framework reads YAML with, makes .nan NaN
		// and 0o0 the octal 0, both false to JavaScript's if.
		{"existing: .nan", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: .NaN}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		{"existing: 0o0", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: 0o0}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		{"existing: -0x0", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: -0x0}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		{"existing: 0x10", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: 0x10}\n",
			[]string{"serverless.yml:5:5: note: provider.s3.photos is named only by s3 events with existing: true"}, true},
		// An event with existing: true and one that creates the bucket
		// name the same key: the bucket is created, with its CORS.
		{"existing and created", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: {bucket: photos, existing: true}\n      - s3: photos\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		{"no event", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\nfunctions:\n  resize:\n    handler: h.resize\n",
			[]string{"serverless.yml:5:5: note: provider.s3.photos is named by no s3 event"}, true},
		{"extensions", head + "functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: my.photos\n" +
			"resources:\n  extensions:\n    S3BucketMyphotos:\n      Properties:\n        CorsConfiguration: " + cors + "\n",
			[]string{"serverless.yml:8:13: AWS::S3::Bucket S3BucketMyphotos: 1 rules",
				`serverless.yml:13:59: origin-trailing-slash: rule 1 AllowedOrigin[0] "https://app.example/"`}, false},
		{"resources merged", head + "  s3:\n    photos:\n      corsConfiguration: {CorsRules: [{AllowedOrigins: [\"*\"]}]}\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: photos\n" +
			"resources:\n  Resources:\n    S3BucketPhotos:\n      Properties:\n        CorsConfiguration: {CorsRules: [{AllowedMethods: [PATCH]}]}\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules",
				"400 InvalidRequest: rule 1 AllowedMethod[0]"}, false},
		{"functions in a list", head + "  s3:\n    photos:\n      corsConfiguration: " + cors + "\n" +
			"functions:\n  - resize:\n      handler: h.resize\n  - thumb:\n      handler: h.thumb\n      events: [{s3: photos}]\n",
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotos: 1 rules"}, false},
		{"bucket not known", head + "functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: ${ssm:/bucket}\n",
			[]string{"serverless.yml:8:13: note: the bucket of an s3 event of function resize is not known (a Serverless Framework variable, which the Framework resolves when it packages the service): its CORS, if any, is not read"}, true},
		{"deployment bucket", head + "resources:\n  extensions:\n    ServerlessDeploymentBucket:\n      Properties:\n        CorsConfiguration: " + cors + "\n",
			[]string{"serverless.yml:6:5: AWS::S3::Bucket ServerlessDeploymentBucket: 1 rules",
				`serverless.yml:8:59: origin-trailing-slash: rule 1 AllowedOrigin[0] "https://app.example/"`}, false},
		{"deployment bucket of the user's", head + "  deploymentBucket:\n    name: my-deployments\nresources:\n  extensions:\n    ServerlessDeploymentBucket:\n      Properties:\n        CorsConfiguration: " + cors + "\n",
			[]string{`serverless.yml:8:5: note: resources.extensions gives ServerlessDeploymentBucket a CORS configuration, but neither resources nor the s3 events declare ServerlessDeploymentBucket: the Framework refuses it ("Cannot extend "ServerlessDeploymentBucket" resource, as it's not found in generated stack")`}, true},
		{"misspelt extension", head + "functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: photo-uploads\n" +
			"resources:\n  extensions:\n    S3BucketPhotos:\n      Properties:\n        CorsConfiguration: " + cors + "\n",
			[]string{`serverless.yml:11:5: note: resources.extensions gives S3BucketPhotos a CORS configuration, but neither resources nor the s3 events declare S3BucketPhotos`}, true},
		{"no CORS", head + "  s3:\n    photos:\n      versioningConfiguration: {Status: Enabled}\n" +
			"functions:\n  resize:\n    handler: h.resize\n    events:\n      - s3: photos\n",
			[]string{"kind serverless; files serverless.yml"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := slsLoad(t, map[string]string{"serverless.yml": tc.service})
			inOrder(t, got, tc.want)
			if tc.none && strings.Contains(got, "AWS::S3::Bucket") {
				t.Errorf("a bucket was read:\n%s", got)
			}
		})
	}
}

// TestServerlessSameBucket: the Framework makes one bucket of each name
// its s3 events give (AwsCompileS3Events.newS3Buckets keys them by
// bucketName, providerS3[bucketRef].name || bucketRef): two provider.s3
// entries of one name, or an entry and an event naming the bucket
// itself, make one bucket, whose properties and logical ID are those of
// the entry the last event names (bucketsMeta[bucketName] is set by
// each); an empty or null name is no name, the key standing for it. Two
// names of one logical ID (photo-a and photoa both make S3BucketPhotoa)
// are one resource, the later merged over the earlier as lodash's merge
// does, CorsRules index by index. Each made two buckets, the first
// written winning, or one per logical ID, the first winning.
func TestServerlessSameBucket(t *testing.T) {
	t.Parallel()
	const head = "service: media\nprovider:\n  name: aws\n  s3:\n"
	entry := func(key, name, origin, method string) string {
		return "    " + key + ":\n" + name + "      corsConfiguration: {CorsRules: [{AllowedOrigins: [\"" + origin + "\"], AllowedMethods: [" + method + "]}]}\n"
	}
	const shared = "      name: shared-bucket\n"
	events := func(refs ...string) string {
		s := "functions:\n"
		for i, r := range refs {
			s += fmt.Sprintf("  f%d:\n    handler: h.f\n    events:\n      - s3: %s\n", i, r)
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		service string
		want    []string // lines the report holds, in order
		absent  []string // what it must not hold
	}{
		{"two entries of one name", head + entry("uploads", shared, "https://a.example/", "GET") + entry("thumbs", shared, "https://b.example", "PATCH") + events("uploads", "thumbs"),
			[]string{"serverless.yml:8:5: AWS::S3::Bucket S3BucketThumbs: 1 rules", `Unsupported method is PATCH`},
			[]string{"S3BucketUploads", "https://a.example/"}},
		{"the last event's entry", head + entry("uploads", shared, "https://a.example/", "GET") + entry("thumbs", shared, "https://b.example", "PATCH") + events("thumbs", "uploads"),
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketUploads: 1 rules", `origin-trailing-slash: rule 1 AllowedOrigin[0] "https://a.example/"`},
			[]string{"S3BucketThumbs", "PATCH"}},
		{"an entry naming an event's bucket", head + entry("uploads", shared, "https://a.example/", "GET") + events("shared-bucket", "uploads", "shared-bucket"),
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketUploads: 1 rules"},
			[]string{"S3BucketSharedbucket"}},
		{"an empty name", head + entry("uploads", "      name: \"\"\n", "https://a.example/", "GET") + entry("thumbs", "      name: uploads\n", "https://b.example", "PATCH") + events("uploads", "thumbs"),
			[]string{"serverless.yml:8:5: AWS::S3::Bucket S3BucketThumbs: 1 rules"},
			[]string{"S3BucketUploads"}},
		{"a null name", head + entry("uploads", "      name: null\n", "https://a.example/", "GET") + entry("thumbs", "      name: uploads\n", "https://b.example", "PATCH") + events("thumbs", "uploads"),
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketUploads: 1 rules"},
			[]string{"S3BucketThumbs"}},
		{"a name of a parameter set to null", "params:\n  default:\n    bucket: null\n" + head + entry("uploads", "      name: ${param:bucket, null}\n", "https://a.example/", "GET") + entry("thumbs", "      name: uploads\n", "https://b.example", "PATCH") + events("thumbs", "uploads"),
			[]string{"AWS::S3::Bucket S3BucketUploads: 1 rules"},
			[]string{"S3BucketThumbs"}},
		{"two names of one logical ID", head + entry("photo-a", "      name: bucket-one\n", "https://a.example/", "GET") + entry("photoa", "      name: bucket-two\n", "https://b.example", "PUT") + events("photo-a", "photoa"),
			[]string{"serverless.yml:5:5: AWS::S3::Bucket S3BucketPhotoa: 1 rules"},
			[]string{"https://a.example/"}},
		{"names that are array indexes first", head + entry("photoa", "      name: bucket-one\n", "https://a.example/", "GET") + entry("photo-a", "      name: \"123\"\n", "https://b.example", "PUT") + events("photoa", "photo-a"),
			[]string{"serverless.yml:8:5: AWS::S3::Bucket S3BucketPhotoa: 1 rules", `origin-trailing-slash: rule 1 AllowedOrigin[0] "https://a.example/"`},
			[]string{"https://b.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := slsLoad(t, map[string]string{"serverless.yml": tc.service})
			inOrder(t, got, tc.want)
			if n := strings.Count(got, "AWS::S3::Bucket"); n != 1 {
				t.Errorf("%d buckets read, want 1:\n%s", n, got)
			}
			for _, a := range tc.absent {
				if strings.Contains(got, a) {
					t.Errorf("the report holds %q:\n%s", a, got)
				}
			}
		})
	}
}

// TestServerlessParams: ${param:NAME} is the stage's parameter
// (stages.STAGE.params.NAME, params.STAGE.NAME), or else the default's
// (stages.default.params.NAME, params.default.NAME), as
// the Framework resolves it for a deployment without --param, for the
// stage deployed without --stage; a null is passed over. A parameter the
// service file does not set is its fallback's value, or not judged:
// --param or the Serverless Dashboard may give it.
func TestServerlessParams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ provider, params, origins, want string }{
		{"", `{dev: {origin: "https://dev.example"}, default: {origin: "https://default.example"}}`, `["${param:origin}"]`, `["https://dev.example"]`},
		{"\n  stage: prod", `{dev: {origin: "https://dev.example"}, default: {origin: "https://default.example"}}`, `["${param:origin}"]`, `["https://default.example"]`},
		{"\n  stage: prod", `{prod: {origin: null}, default: {origin: "https://default.example"}}`, `["${param:origin}"]`, `["https://default.example"]`},
		{"", `{default: {domain: "${sls:stage}.example"}}`, `["https://${param:domain}"]`, `["https://dev.example"]`},
		{"", `{default: {origins: ["https://a.example", "https://b.example"]}}`, `${param:origins}`, `["https://a.example" "https://b.example"]`},
		{"", `{default: {}}`, `["${param:origin, 'https://fallback.example'}"]`, `["https://fallback.example"]`},
		{"", `{prod: {origin: "https://prod.example"}}`, `["${param:origin}"]`,
			`not judged: a parameter the service file does not set for stage "dev", which --param or the Serverless Dashboard may give`},
		{"\n  stage: ${ssm:/stage}", `{default: {origin: "https://x.example"}}`, `["${param:origin}"]`, "not judged: a parameter the service file does not set (its stage is not known: "},
		// Framework v4 reads stages.STAGE.params and stages.default.params
		// too, each over the params of its kind (sf-core's Param
		// provider: params.default, stages.default.params, params.STAGE,
		// stages.STAGE.params, each spread over the one before).
		{"", "{default: {origin: \"https://default.example\"}}\nstages: {dev: {params: {origin: \"https://stages-dev.example\"}}}", `["${param:origin}"]`, `["https://stages-dev.example"]`},
		{"", "{dev: {origin: \"https://dev.example\"}}\nstages: {dev: {params: {origin: \"https://stages-dev.example\"}}}", `["${param:origin}"]`, `["https://stages-dev.example"]`},
		{"", "{dev: {origin: \"https://dev.example\"}}\nstages: {default: {params: {origin: \"https://stages-default.example\"}}}", `["${param:origin}"]`, `["https://dev.example"]`},
		{"", "{default: {origin: \"https://default.example\"}}\nstages: {default: {params: {origin: \"https://stages-default.example\"}}}", `["${param:origin}"]`, `["https://stages-default.example"]`},
		{"\n  stage: prod", "{}\nstages: {prod: {params: {origin: \"https://stages-prod.example\"}}, dev: {params: {origin: \"https://x\"}}}", `["${param:origin}"]`, `["https://stages-prod.example"]`},
	} {
		t.Run(tc.params+" "+tc.origins, func(t *testing.T) {
			t.Parallel()
			src := "service: media\nprovider:\n  name: aws" + tc.provider + "\nparams: " + tc.params + "\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n" +
				"      Properties:\n        CorsConfiguration:\n          CorsRules:\n            - AllowedMethods: [GET]\n              AllowedOrigins: " + tc.origins + "\n"
			r, err := iac.Parse("serverless.yml", []byte(src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			got := fmt.Sprintf("%q", b.Rules[0].AllowedOrigins)
			if len(b.Unjudged) > 0 {
				got = "not judged: " + b.Unjudged[0].Why
			}
			if got != tc.want && !(strings.HasPrefix(tc.want, "not judged: ") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	// The note says what was taken for granted: the parameter without
	// --param, for the stage without --stage.
	got := slsLoad(t, map[string]string{"serverless.yml": "service: media\nprovider:\n  name: aws\nparams:\n  dev:\n    origin: https://dev.example\n" +
		"resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n        CorsConfiguration:\n          CorsRules:\n" +
		"            - {AllowedMethods: [GET], AllowedOrigins: [\"${param:origin}\"]}\n"})
	for _, want := range []string{
		`serverless.yml:14:56: note: rule 0: ${param:origin} is judged as params.dev.origin, the value without --param for stage "dev", the Framework's stage without --stage or provider.stage`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	got = slsLoad(t, map[string]string{"serverless.yml": "service: media\nprovider:\n  name: aws\nstages:\n  dev:\n    params:\n      origin: https://dev.example\n" +
		"resources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n        CorsConfiguration:\n          CorsRules:\n" +
		"            - {AllowedMethods: [GET], AllowedOrigins: [\"${param:origin}\"]}\n"})
	if want := `${param:origin} is judged as stages.dev.params.origin, the value without --param for stage "dev"`; !strings.Contains(got, want) {
		t.Errorf("the report lacks %q:\n%s", want, got)
	}
}

// inOrder fails t unless the report got holds each of want, in order.
func inOrder(t *testing.T, got string, want []string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("the report lacks %q (or has it out of order):\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}

// TestServerlessGivenStage: Options.Stage and Options.Params are
// serverless deploy's --stage and --param: ${opt:stage}, ${sls:stage} and
// the params section they pick are the stage given, without a note, and a
// parameter given comes before params (one read from params has a note:
// --param could give another).
func TestServerlessGivenStage(t *testing.T) {
	t.Parallel()
	const service = `service: media
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
custom:
  origins:
    dev: ["http://localhost:3000"]
    prod: ["https://app.example.com"]
params:
  prod:
    partner: https://partner.example.com
  default:
    partner: https://partner.dev.example
resources:
  Resources:
    B:
      Type: AWS::S3::Bucket
      Properties:
        CorsConfiguration:
          CorsRules:
            - AllowedMethods: [GET]
              AllowedOrigins: ${self:custom.origins.${sls:stage}}
            - AllowedMethods: [GET]
              AllowedOrigins: ["${param:partner}", "https://${opt:stage}.example.com"]
`
	for _, tc := range []struct {
		name  string
		opts  iac.Options
		want  string // the origins of both rules, or why a value is not judged
		notes int    // how many notes the bucket has
	}{
		{"without options", iac.Options{}, "not judged: " + "a Serverless Framework variable, which the Framework resolves when it packages the service", -1},
		{"--stage prod", iac.Options{Stage: "prod"}, `["https://app.example.com"] ["https://partner.example.com" "https://prod.example.com"]`, 1},
		{"--stage qa", iac.Options{Stage: "qa"}, "not judged: ${self:custom.origins.qa} names nothing in the service file and has no fallback", 1},
		{"--param", iac.Options{Stage: "prod", Params: []string{"partner=https://given.example"}}, `["https://app.example.com"] ["https://given.example" "https://prod.example.com"]`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := iac.Parse("serverless.yml", []byte(service), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			var got string
			if len(b.Unjudged) > 0 {
				got = "not judged: " + b.Unjudged[len(b.Unjudged)-1].Why
			} else {
				got = fmt.Sprintf("%q %q", b.Rules[0].AllowedOrigins, b.Rules[1].AllowedOrigins)
			}
			if got != tc.want {
				t.Errorf("got %s\nwant %s", got, tc.want)
			}
			if tc.notes >= 0 && len(b.Notes) != tc.notes {
				t.Errorf("%d notes, want %d: %v", len(b.Notes), tc.notes, b.Notes)
			}
		})
	}
	for _, kind := range []iac.Kind{iac.Terraform, iac.CloudFormation} {
		if _, err := iac.Parse("x", []byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"), iac.Options{Kind: kind, Stage: "prod"}); !errors.Is(err, iac.ErrNotServerless) {
			t.Errorf("%v: %v, want ErrNotServerless", kind, err)
		}
	}
}

// TestServerlessJSYAMLScalars: the Framework (v3) reads its service file
// and the YAML files ${file(...)} names with js-yaml ^4.1.0 and sends
// CloudFormation the template in JSON, so its plain scalars are js-yaml's,
// not the YAML 1.1 of a template CloudFormation reads: a leading 0 is no
// octal (MaxAge 010 is 10, where 8 was judged), 1:00:00 is a string (it
// was judged as 3600), 0X1F is a string, a float is written as
// JSON.stringify writes it and True is true. Each expected value is what
// js-yaml 4.1.0 gives, then String() of it (4.3.2 gives the same but for
// underscores, which it does not read in numbers).
func TestServerlessJSYAMLScalars(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id, maxAge string
		wantID     string
		wantAge    int32 // -1 when refused as no whole number
	}{
		{"r", "010", "r", 10},
		{"r", "1:00:00", "r", -1},
		{"r", "0o17", "r", 15},
		{"r", "0x0E10", "r", 3600},
		{"r", "0X1F", "r", -1},
		{"r", "1e3", "r", 1000},
		{"r", "3_600", "r", 3600},
		{"0123", "1", "123", 1},
		{"1.50", "1", "1.5", 1},
		{"True", "1", "true", 1},
		{"1_", "1", "1_", 1},
		{"-0.0", "1", "0", 1},
		{"1e-7", "1", "1e-7", 1},
		{"123456789012345678901234", "1", "1.2345678901234569e+23", 1},
		{"'010'", "1", "010", 1},
	} {
		t.Run(tc.id+" "+tc.maxAge, func(t *testing.T) {
			t.Parallel()
			src := "service: s\nprovider: {name: aws}\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n      Properties:\n" +
				"        CorsConfiguration:\n          CorsRules:\n" +
				"            - {Id: " + tc.id + ", AllowedOrigins: [\"*\"], AllowedMethods: [GET], MaxAge: " + tc.maxAge + "}\n"
			r, err := iac.Parse("serverless.yml", []byte(src), iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if tc.wantAge < 0 {
				if len(b.Errors) != 1 || b.Errors[0].Code != iac.CodeNotInteger {
					t.Errorf("errors %+v, want MaxAge %s refused as no whole number", b.Errors, tc.maxAge)
				}
				return
			}
			if len(b.Errors) > 0 || len(b.Rules) != 1 {
				t.Fatalf("errors %+v, %d rules", b.Errors, len(b.Rules))
			}
			rule := b.Rules[0]
			if rule.ID != tc.wantID || rule.MaxAgeSeconds == nil || *rule.MaxAgeSeconds != tc.wantAge {
				t.Errorf("Id %q MaxAge %v, want %q and %d", rule.ID, rule.MaxAgeSeconds, tc.wantID, tc.wantAge)
			}
		})
	}
}
