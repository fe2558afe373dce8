package xmlconfig

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s3cors/s3cors/internal/testroot"
	"github.com/s3cors/s3cors/s3err"
)

// botocoreSizes are AWS CLI configurations, each on one line, and the
// size of the PutBucketCors body botocore sends for each. The sizes were
// printed by botocoreSizeScript with botocore 1.43.11 (aws-cli 1.45.11's),
// Debian's botocore 1.29.27 and aws-cli 2.9.19's, which agree;
// TestBotocoreSizesRecorded recomputes them. Both CLIs, given the file
// with --cors-configuration and with --cli-input-json, sent bodies of the
// sizes botocoreSizeScript gives to a local endpoint, for a rule of empty
// values, an empty ID, CR, quotes and non-ASCII text, and for the audit's
// file (awscli64k).
var botocoreSizes = []struct {
	name, cliJSON string
	size          int
}{
	{"one rule", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), 174},
	{"empty values", cliDoc(`{"AllowedOrigins": ["", "https://a.example", ""], "AllowedMethods": ["GET"], "AllowedHeaders": [""], "ExposeHeaders": [""]}`), 257},
	{"empty lists", cliDoc(`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": [], "ExposeHeaders": []}`), 174},
	{"&, < and >", cliDoc(`{"ID": "a&b<c>d", "AllowedOrigins": ["https://a.example/&<>"], "AllowedMethods": ["PUT"], "AllowedHeaders": ["x-&"], "ExposeHeaders": ["<>"]}`), 305},
	{"quotes", cliDoc(`{"ID": "\"r'1\"", "AllowedOrigins": ["'*'"], "AllowedMethods": ["GET"], "ExposeHeaders": ["\"ETag\""]}`), 225},
	{"CR, LF and tab", cliDoc(`{"ID": "a\rb\nc\td", "AllowedOrigins": ["x\r\ny", "\t"], "AllowedMethods": ["GET"], "AllowedHeaders": ["\r"]}`), 257},
	{"non-ASCII", cliDoc(`{"ID": "règle \u00e9 😀", "AllowedOrigins": ["https://bücher.example", "https://\u4f8b.example"], "AllowedMethods": ["GET"]}`), 269},
	{"empty ID", cliDoc(`{"ID": "", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), 180},
	{"empty ID, then one", cliDoc(`{"ID": "", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ID": "r"}`), 184},
	{"an ID, then an empty one", cliDoc(`{"ID": "r", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ID": ""}`), 180},
	{"CORSRules again, without the empty ID", `{"CORSRules": [{"ID": "", "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}], "CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]}`, 174},
	{"MaxAgeSeconds", cliDoc(
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 0}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -0}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 2147483647}`,
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": -2147483648, "ID": ""}`), 588},
	{"100 rules", cliDoc(strings.Repeat(`{"ID": "", "AllowedOrigins": ["", "https://a.example"], "AllowedMethods": ["GET", "HEAD"], "MaxAgeSeconds": 3000}, `, 99) +
		`{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`), 19578},
}

// botocoreSizeScript prints the size of the PutBucketCors body that the
// botocore module named by its argument ("botocore", or aws-cli v2's
// "awscli.botocore") serializes for each CORSConfiguration on a line of
// its input, as the AWS CLI does: the parameters validated, then
// serialized by RestXMLSerializer.
const botocoreSizeScript = `
import importlib, json, sys
session = importlib.import_module(sys.argv[1] + ".session")
serialize = importlib.import_module(sys.argv[1] + ".serialize")
model = session.get_session().get_service_model("s3").operation_model("PutBucketCors")
serializer = serialize.create_serializer("rest-xml", True)
for line in sys.stdin:
    params = {"Bucket": "b", "CORSConfiguration": json.loads(line)}
    print(len(serializer.serialize_to_request(params, model)["body"]))
`

// awscli64k reads the audit's configuration: 100 rules with 20 empty
// AllowedOrigins each, which botocore sends as a body of exactly 64 KiB
// (S3's limit) and S3's form writes in 93,536 bytes.
func awscli64k(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/awscli-64k.json")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// TestBotocoreSentSize checks the size of the body botocore sends, as
// measured for the rules the AWS CLI's two forms read (their CRLFs held
// as LFs), against the sizes botocore gives (botocoreSizes).
func TestBotocoreSentSize(t *testing.T) {
	t.Parallel()
	for _, tc := range botocoreSizes {
		for _, form := range []struct{ name, in string }{
			{"--cors-configuration", tc.cliJSON},
			{"--cli-input-json", `{"Bucket": "b", "CORSConfiguration": ` + tc.cliJSON + `}`},
		} {
			t.Run(tc.name+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				p, err := readJSON([]byte(form.in))
				if err == nil {
					_, err = p.report.verdict(&p.doc)
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := p.botocoreSize(); got != tc.size {
					t.Errorf("botocoreSize = %d, want botocore's %d", got, tc.size)
				}
			})
		}
	}
}

// TestAWSCLISizeLimit checks that the AWS CLI's JSON is held to S3's limit
// as botocore sends it: the audit's file, sent in exactly 64 KiB, is
// valid in both the CLI's forms, and with one more byte refused, naming
// the size sent.
func TestAWSCLISizeLimit(t *testing.T) {
	t.Parallel()
	edge := awscli64k(t)
	oneMore := strings.Replace(edge, `"ID": "x`, `"ID": "xx`, 1)
	for _, tc := range []struct {
		name, in, reason string // reason is "" for a valid configuration
	}{
		{"64 KiB sent", edge, ""},
		{"64 KiB sent, --cli-input-json", `{"CORSConfiguration": ` + edge + `}`, ""},
		{"64 KiB + 1 sent", oneMore, "the configuration is 65537 bytes; S3 accepts at most 65536"},
		{"64 KiB + 1 sent, --cli-input-json", `{"CORSConfiguration": ` + oneMore + `}`, "the configuration is 65537 bytes; S3 accepts at most 65536"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Unmarshal([]byte(tc.in))
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("Unmarshal: %v", err)
				}
				if len(doc.Rules) != 100 {
					t.Errorf("Unmarshal read %d rules, want 100", len(doc.Rules))
				}
				return
			}
			e, ok := errors.AsType[*s3err.Error](err)
			if !ok || e.Code != "MaxMessageLengthExceeded" || !strings.HasSuffix(e.Reason, tc.reason) {
				t.Errorf("Unmarshal: err = %v, want MaxMessageLengthExceeded ending %q", err, tc.reason)
			}
		})
	}
}

// TestBotocoreSizesRecorded recomputes botocoreSizes, and the size of the
// audit's file, with botocore itself: python3's botocore (skipped
// without one, unless S3CORS_REQUIRE_AWSCLI=1), and aws-cli v2's where
// /usr/bin/python3 has it.
func TestBotocoreSizesRecorded(t *testing.T) {
	t.Parallel()
	python := testroot.RequireTool(t, "python3", "S3CORS_REQUIRE_AWSCLI", "-c", "import botocore")
	names, docs, want := []string{"testdata/awscli-64k.json"}, []string{awscli64k(t)}, []int{65536}
	for _, tc := range botocoreSizes {
		names = append(names, tc.name)
		docs = append(docs, tc.cliJSON)
		want = append(want, tc.size)
	}
	botocores := [][2]string{{python, "botocore"}}
	if exec.Command("/usr/bin/python3", "-c", "import awscli.botocore").Run() == nil {
		botocores = append(botocores, [2]string{"/usr/bin/python3", "awscli.botocore"})
	}
	for _, b := range botocores {
		t.Run(b[1], func(t *testing.T) {
			t.Parallel()
			got := botocoreBodySizes(t, b[0], b[1], docs)
			for i, n := range got {
				if n != want[i] {
					t.Errorf("%s: botocore sends %d bytes, recorded %d", names[i], n, want[i])
				}
			}
		})
	}
}

// botocoreBodySizes runs botocoreSizeScript with python on the module
// named module for docs, one a line, and returns the sizes it prints.
func botocoreBodySizes(t *testing.T, python, module string, docs []string) []int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", botocoreSizeScript, module)
	cmd.Stdin = strings.NewReader(strings.Join(docs, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s with %s: %v\n%s", python, module, err, stderr.Bytes())
	}
	lines := strings.Fields(string(out))
	if len(lines) != len(docs) {
		t.Fatalf("%s with %s printed %d sizes for %d configurations:\n%s", python, module, len(lines), len(docs), out)
	}
	sizes := make([]int, len(lines))
	for i, l := range lines {
		if sizes[i], err = strconv.Atoi(l); err != nil {
			t.Fatal(fmt.Errorf("%s with %s: %w", python, module, err))
		}
	}
	return sizes
}

// TestSentSizeBeforeS3Schema checks the order in which a JSON document
// too large once sent meets its schema's problems: those the tool refuses
// before sending (botocore's parameter validation for the AWS CLI's
// forms, the SDK's for the console's) come first, as nothing is sent;
// S3 judges the others in the body it receives, after its size, and
// answers MaxMessageLengthExceeded alone. The first case is audit2's: a
// rule with "AllowedOrigins": [], which botocore sends as a rule without
// AllowedOrigin, after one of 70,000 bytes.
func TestSentSizeBeforeS3Schema(t *testing.T) {
	t.Parallel()
	big := `{"AllowedOrigins": ["` + strings.Repeat("o", 70000) + `"], "AllowedMethods": ["GET"]}`
	const tooBig = "MaxMessageLengthExceeded"
	for _, tc := range []struct {
		name, rule   string // rule follows big
		cli, console string // the first problem's code, or a substring of its Reason
	}{
		{"empty AllowedOrigins", `{"AllowedOrigins": [], "AllowedMethods": ["GET"]}`, tooBig, tooBig},
		{"MaxAgeSeconds past 32 bits", `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 2147483648}`, tooBig, tooBig},
		{"a character XML cannot carry", `{"AllowedOrigins": ["\u0001"], "AllowedMethods": ["GET"]}`, tooBig, tooBig},
		{"MaxAgeSeconds true", `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": true}`, tooBig, "MaxAgeSeconds is true"},
		{"no AllowedOrigins", `{"AllowedMethods": ["GET"]}`, "the rule has no AllowedOrigins; " + botocoreRefused, "the rule has no AllowedOrigins"},
		{"AllowedOrigins null", `{"AllowedOrigins": null, "AllowedMethods": ["GET"]}`, "AllowedOrigins is null", "the rule has no AllowedOrigins"},
		{"an unknown member", `{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "Id": "x"}`, `unknown member "Id"`, `unknown member "Id"`},
		{"ID not a string", `{"ID": 1, "AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}`, "ID is a number", "ID is a number"},
		{"rule not an object", `"rule"`, "rule 2 is a string", "rule 2 is a string"},
	} {
		for _, form := range []struct{ name, in, want string }{
			{"cli", cliDoc(big, tc.rule), tc.cli},
			{"cli-input-json", `{"Bucket": "b", "CORSConfiguration": ` + cliDoc(big, tc.rule) + `}`, tc.cli},
			{"console", consoleDoc(big, tc.rule), tc.console},
		} {
			t.Run(tc.name+"/"+form.name, func(t *testing.T) {
				t.Parallel()
				doc, err := UnmarshalPartial([]byte(form.in))
				if doc != nil {
					t.Errorf("UnmarshalPartial returned %d rules; want no Document", len(doc.Rules))
				}
				ps := Problems(err)
				switch {
				case len(ps) == 0:
					t.Fatalf("err = %v, want an S3 error", err)
				case form.want == tooBig:
					if ps[0].Code != tooBig || len(ps) != 1 {
						t.Errorf("err = %v, want %s alone", err, tooBig)
					}
				case ps[0].Code != "MalformedXML" || !strings.Contains(ps[0].Reason, form.want):
					t.Errorf("err = %v, want MalformedXML with %q first", err, form.want)
				}
			})
		}
	}
	// Past maxProblems, the rules read so far are measured.
	many := cliDoc(big, strings.TrimSuffix(strings.Repeat(`{"AllowedOrigins": [], "AllowedMethods": ["GET"]}, `, maxProblems+1), ", "))
	if _, err := Unmarshal([]byte(many)); len(Problems(err)) != 1 || Problems(err)[0].Code != tooBig {
		t.Errorf("%d rules without AllowedOrigin after a large one: err = %.200v, want %s", maxProblems+1, err, tooBig)
	}
}
