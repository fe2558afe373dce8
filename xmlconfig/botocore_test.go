package xmlconfig

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/testroot"
)

// cliRefused prefixes, after a reason of this package's, what the AWS CLI
// printed after "Parameter validation failed:" for a problem of the rules.
const cliRefused = "; " + cliInputRefused

// mustBeMember ends botocore's refusal of a rule's member it does not
// know.
const mustBeMember = `, must be one of: ID, AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds`

// jsonAsAWSCLI are files of the AWS CLI's form, {"CORSRules": [...]},
// which the CLI refuses before sending (sent false), for each kind of
// problem botocore's parameter validation finds in a CORSConfiguration,
// or sends (sent true): valid, or with problems only S3 finds.
var jsonAsAWSCLI = []struct {
	name, in string
	sent     bool
}{
	{"valid", cliDoc(okJSONRule), true},
	{"missing, unknown and a string for an integer", cliDoc(`{"AllowedOrigins": ["https://a.example"], "Foo": 1, "MaxAgeSeconds": "3000"}`), false},
	{"both required members missing", cliDoc(`{"ID": "r"}`), false},
	{"an empty rule among others", cliDoc(okJSONRule, `{}`, `{"AllowedMethods": ["GET"]}`), false},
	{"CORSRules null", `{"CORSRules": null}`, false},
	{"CORSRules a string", `{"CORSRules": "x"}`, false},
	{"CORSRules an object", `{"CORSRules": {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}}`, false},
	{"rules that are not objects", cliDoc(`"x"`, `1`, `null`, `[1, "a"]`, `true`, okJSONRule), false},
	{"ID of the wrong types", cliDoc(`{"ID": 1, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`,
		`{"ID": null, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`, `{"ID": ["a"], "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), false},
	{"lists that are not arrays", cliDoc(`{"AllowedOrigins": "*", "AllowedMethods": {"GET": true}, "AllowedHeaders": null, "ExposeHeaders": 1.5}`), false},
	{"elements of the wrong types", cliDoc(`{"AllowedOrigins": ["*", 1, null], "AllowedMethods": ["GET", false],` +
		` "ExposeHeaders": ["ETag", {"a": [1, "b"]}, ["é", "it's"], -0, 1e400]}`), false},
	{"MaxAgeSeconds a float", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 3000.0}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 1e3}`, `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 1.5e-5}`), false},
	{"MaxAgeSeconds past a float's range", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -1E400}`), false},
	{"MaxAgeSeconds of other types", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": null}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": [60]}`, `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": {}}`), false},
	{"several problems in several rules", cliDoc(okJSONRule, `{"AllowedOrigins": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 60}`,
		`{"AllowedMethods": ["PUT"], "AllowedOrigins": [1], "ID": 2}`), false},
	{"unknown member beside CORSRules", `{"CORSRules": [` + okJSONRule + `], "Foo": {"a": 1}}`, false},
	{"no CORSRules", `{"Foo": 1}`, false},
	{"empty configuration", `{}`, false},
	{"CloudFormation's names", `{"CorsRules": [{"Id": 1, "AllowedOrigins": ["*"]}]}`, false},
	{"Google Cloud Storage's cors", `{"cors": [{"origin": ["*"], "method": ["GET"]}]}`, false},
	{"a name botocore quotes as it is", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "F\"o\\o\u00e9\t": 1}`), false},
	{"a rule's member twice, the last of the wrong type", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ID": "a", "ID": 2}`), false},
	{"an unknown member twice", cliDoc(`{"AllowedOrigins": ["*"], "Foo": 1, "AllowedMethods": ["GET"], "Foo": 2}`), false},
	{"a rule's member twice, the last empty", cliDoc(`{"AllowedOrigins": [1], "AllowedOrigins": [], "AllowedMethods": ["GET"]}`), true},
	{"a rule's member twice, the last right", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": [1], "AllowedMethods": ["GET"]}`), true},
	{"CORSRules twice, the last right", `{"CORSRules": [{"Foo": 1}], "CORSRules": [` + okJSONRule + `]}`, true},
	{"empty lists", cliDoc(`{"AllowedOrigins": [], "AllowedMethods": []}`, `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": []}`), true},
	{"no rules", `{"CORSRules": []}`, true},
	{"MaxAgeSeconds a bool, an int to Python", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": true}`), true},
	{"MaxAgeSeconds past 32 bits", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 12345678901234567890}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -5000000000}`), true},
	{"values S3 judges", cliDoc(`{"AllowedOrigins": ["*", "*.*"], "AllowedMethods": ["get", "PATCH"], "AllowedHeaders": ["a b"], "MaxAgeSeconds": -1, "ID": ""}`), true},
}

// TestJSONVerdictAsAWSCLI checks that Unmarshal quotes botocore's refusal
// for each file of jsonAsAWSCLI the AWS CLI refuses, and none for those it
// sends.
func TestJSONVerdictAsAWSCLI(t *testing.T) {
	t.Parallel()
	for _, tc := range jsonAsAWSCLI {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Unmarshal([]byte(tc.in))
			if words := botocoreWords(reasons(err)); (words == nil) != tc.sent {
				t.Errorf("botocore's words: %q; want the file sent: %v (reasons: %q)", words, tc.sent, reasons(err))
			}
		})
	}
}

// TestJSONAsAWSCLI runs the AWS CLI (aws s3api put-bucket-cors
// --cors-configuration) on each file of jsonAsAWSCLI, and checks that it
// refuses every file Unmarshal says it refuses, in the words Unmarshal
// quotes, and tries to send every other one (see awsCLIs for the CLIs
// run, and sameBotocoreLines for the words checked). Nothing is sent: the
// endpoint is a port no server listens on.
func TestJSONAsAWSCLI(t *testing.T) {
	t.Parallel()
	clis := awsCLIs(t)
	dir := t.TempDir()
	for i, tc := range jsonAsAWSCLI {
		path := filepath.Join(dir, fmt.Sprintf("in%d.json", i))
		if err := os.WriteFile(path, []byte(tc.in), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Unmarshal([]byte(tc.in))
		want := botocoreWords(reasons(err))
		for _, aws := range clis {
			t.Run(tc.name+"/"+aws.path, func(t *testing.T) {
				t.Parallel()
				got, sent := awsCLIRefusal(aws.path, dir, "--bucket", "bkt", "--cors-configuration", "file://"+path)
				if sent != (want == nil) {
					t.Fatalf("the AWS CLI sends: %v, printing %q; Unmarshal quotes its refusal: %q", sent, got, want)
				}
				sameBotocoreLines(t, aws, want, got)
			})
		}
	}
}

// awsCLI is an AWS CLI the tests run, with the version whose botocore's
// words it prints: "1.45.11", whose Unmarshal quotes, or "2.9.19", whose
// differ from those in the cases cliInputV2Words records.
type awsCLI struct {
	path, words string
	version     string // the first line of its --version
}

// awsCLIs returns the AWS CLIs to run: Debian's /usr/bin/aws, which .ci/run
// installs (aws-cli 2.9.19 in Debian 12), and the aws on PATH where it is
// another one whose words are recorded (aws-cli 1.45.11 here). An aws-cli
// 2 of another version is taken to word things as 2.9.19 does, and a
// difference fails with its version named; /usr/bin/aws of a version 1
// whose words are not recorded fails, as its words would go unchecked.
func awsCLIs(t *testing.T) []awsCLI {
	t.Helper()
	debian := testroot.RequireTool(t, "/usr/bin/aws", "S3CORS_REQUIRE_AWSCLI", "--version")
	words, version := awsCLIWords(debian)
	if words == "" {
		t.Fatalf("%s is %q, whose botocore's words no test records; record those of its refusals that differ from 1.45.11's, as cliInputV2Words does for 2.9.19", debian, version)
	}
	clis := []awsCLI{{debian, words, version}}
	if p, err := exec.LookPath("aws"); err == nil && p != debian {
		if words, version := awsCLIWords(p); words != "" {
			clis = append(clis, awsCLI{p, words, version})
		}
	}
	return clis
}

// awsCLIWords returns the version whose botocore's words the AWS CLI at
// path prints ("1.45.11" or "2.9.19"; "" for a version 1 of another
// version), and the first line of what aws --version printed.
func awsCLIWords(path string) (words, version string) {
	out, err := exec.Command(path, "--version").CombinedOutput()
	version, _, _ = strings.Cut(string(out), "\n")
	switch {
	case err != nil:
		return "", version
	case strings.HasPrefix(version, "aws-cli/1.45.11 "):
		return "1.45.11", version
	case strings.HasPrefix(version, "aws-cli/2."):
		return "2.9.19", version
	}
	return "", version
}

// sameBotocoreLines checks that the lines botocore printed after
// "Parameter validation failed:", got, are those of want, each as often.
// botocore lists a structure's missing members first, then its unknown
// ones, then its members' values; Unmarshal keeps the file's order (see
// botocore.go), so the lines are compared sorted. A name botocore quotes
// may hold a newline of its own, which splits its line in both.
func sameBotocoreLines(t *testing.T, aws awsCLI, want []string, got string) {
	t.Helper()
	wantLines := strings.Split(strings.Join(want, "\n"), "\n")
	gotLines := strings.Split(got, "\n")
	slices.Sort(wantLines)
	slices.Sort(gotLines)
	if diff := cmp.Diff(wantLines, gotLines); diff != "" {
		t.Errorf("botocore's words, sorted, as aws-cli %s words them (-want +%s, %s):\n%s", aws.words, aws.path, aws.version, diff)
	}
}

// TestBotocoreNestedValues checks how botocore's refusal quotes a nested
// value, as Python 3.11 writes what json.loads reads (printed by it for
// the same JSON): the AWS CLI reads the file of --cors-configuration with
// object_pairs_hook=OrderedDict, and that of --cli-input-json without.
func TestBotocoreNestedValues(t *testing.T) {
	t.Parallel()
	const rule = `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": [%s]}`
	for _, tc := range []struct {
		name, in, want string
	}{
		{"OrderedDicts", cliDoc(fmt.Sprintf(rule, `{"a": [1, {"b": {}}], "c": {}, "d": [[], {"e": null}]}`)),
			"value: OrderedDict([('a', [1, OrderedDict([('b', OrderedDict())])]), ('c', OrderedDict()), ('d', [[], OrderedDict([('e', None)])])]), " +
				"type: <class 'collections.OrderedDict'>"},
		{"a list of OrderedDicts", cliDoc(fmt.Sprintf(rule, `[{}, [true, 1.0, "x"]]`)),
			"value: [OrderedDict(), [True, 1.0, 'x']], type: <class 'list'>"},
		{"dicts", cliInputDoc(``, fmt.Sprintf(rule, `{"a": [1, {"b": {}}], "c": {}, "d": [[], {"e": null}]}`)),
			"value: {'a': [1, {'b': {}}], 'c': {}, 'd': [[], {'e': None}]}, type: <class 'dict'>"},
		{"a list of dicts", cliInputDoc(``, fmt.Sprintf(rule, `[{}, [true, 1.0, "x"]]`)),
			"value: [{}, [True, 1.0, 'x']], type: <class 'list'>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Unmarshal([]byte(tc.in))
			want := "Invalid type for parameter CORSConfiguration.CORSRules[0].ExposeHeaders[0], " + tc.want + ", valid types: <class 'str'>"
			if diff := cmp.Diff([]string{want}, botocoreWords(reasons(err))); diff != "" {
				t.Errorf("botocore's words (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnknownMemberTwice checks that a rule's unknown member given twice
// is one problem, where it is first, with its hint: botocore, given the
// one member Python's json module keeps, refuses it once, and the
// console's JSON.parse keeps one too.
func TestUnknownMemberTwice(t *testing.T) {
	t.Parallel()
	for _, form := range []struct {
		name string
		doc  func(...string) string
	}{{"AWS CLI", cliDoc}, {"console", consoleDoc}} {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			in := form.doc(`{"AllowedOrigins": ["*"], "origin": 1, "AllowedMethods": ["GET"], "origin": 2}`)
			_, err := Unmarshal([]byte(in))
			ps := Problems(err)
			if len(ps) != 1 || !strings.HasPrefix(ps[0].Reason, `unknown member "origin" in a rule; it is Google Cloud Storage's form`) {
				t.Fatalf("problems = %q, want one, of origin, with Google Cloud Storage's hint", reasons(err))
			}
			if want := strings.Index(in, `"origin"`) + 1; ps[0].Column != want {
				t.Errorf("Column = %d, want %d, the first origin's", ps[0].Column, want)
			}
		})
	}
}
