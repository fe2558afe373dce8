package iac_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/iac"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// corpusDir holds the infrastructure files written for these tests; the
// tests run in it, so that positions name files as a user types them.
const corpusDir = "../../testdata/iac"

// corpus lists the inputs of the golden tests: each is loaded, every
// bucket judged, and the report compared with testdata/golden/NAME.golden.
var corpus = []struct{ name, path string }{
	{"cfn-website", "cloudformation/website.yaml"},
	{"cfn-anchors", "cloudformation/anchors.yaml"},
	{"cfn-parent-nested", "cloudformation/parent.yaml"},
	{"cfn-nested-alone", "cloudformation/nested/storage.yaml"},
	{"cfn-legacy-json", "cloudformation/legacy.json"},
	{"cdk-synth", "cdk.out/MediaStack.template.json"},
	{"tf-app", "terraform/app"},
	{"tf-app-main-file", "terraform/app/main.tf"},
	{"tf-module-alone", "terraform/app/modules/site"},
	{"tf-plan", "plan/plan.json"},
	{"tf-installed-modules", "../../internal/iac/testdata/tfmodules"},
	{"tf-cdktf", "../../internal/iac/testdata/cdktf/cdk.tf.json"},
	{"serverless", "serverless/serverless.yml"},
	{"pulumi", "pulumi/Pulumi.yaml"},
}

// report writes what Load and Judge found, one line per fact, positions
// first.
func report(r *iac.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind %s; files %s\n", r.Kind, strings.Join(r.Files, ", "))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s: note: %s\n", n.Pos, n.Text)
	}
	for _, bk := range r.Buckets {
		fmt.Fprintf(&b, "\n%s: %s %s", bk.Pos, bk.Type, bk.Resource)
		if bk.Path != "" {
			fmt.Fprintf(&b, " (%s)", bk.Path)
		}
		fmt.Fprintf(&b, ": %d rules\n", len(bk.Rules))
		for _, e := range bk.Errors {
			fmt.Fprintf(&b, "%s: %s: rule %d: %s", e.Pos, e.Code, e.Rule, e.Message)
			if e.Hint != "" {
				fmt.Fprintf(&b, " (hint: %s)", e.Hint)
			}
			b.WriteByte('\n')
		}
		for _, u := range bk.Unjudged {
			fmt.Fprintf(&b, "%s: not judged: rule %d %s %s: %s\n", u.Pos, u.Rule, u.Field, u.Expr, u.Why)
		}
		for _, n := range bk.Notes {
			fmt.Fprintf(&b, "%s: note: rule %d: %s\n", n.Pos, n.Rule, n.Text)
		}
		v := iac.Judge(bk)
		for _, p := range v.Problems {
			fmt.Fprintf(&b, "%s: %d %s: rule %d %s: %s", p.Pos, p.Err.StatusCode, p.Err.Code, p.Err.Rule, value(p.Field, p.Index), p.Err.Message)
			if p.Err.Reason != "" {
				fmt.Fprintf(&b, " (hint: %s)", p.Err.Reason)
			}
			if p.Origin.Via != "" {
				fmt.Fprintf(&b, " [via %s at %s]", p.Origin.Via, p.Origin.Ref)
			}
			b.WriteByte('\n')
		}
		for _, f := range v.Findings {
			fmt.Fprintf(&b, "%s: %s: rule %d %s %s", f.Pos, f.ID, f.Rule, value(fieldOf(f.Field), f.Index), strconv.Quote(f.Value))
			if f.Origin.Via != "" {
				fmt.Fprintf(&b, " [via %s at %s]", f.Origin.Via, f.Origin.Ref)
			}
			b.WriteByte('\n')
		}
		if v.Valid() && len(v.Findings) == 0 {
			b.WriteString("valid, clean\n")
		}
	}
	return b.String()
}

func fieldOf(name string) iac.Field {
	for f := iac.FieldID; f <= iac.FieldMaxAgeSeconds; f++ {
		if f.String() == name {
			return f
		}
	}
	return iac.FieldRule
}

func value(f iac.Field, i int) string {
	if i < 0 {
		return f.String()
	}
	return f.String() + "[" + strconv.Itoa(i) + "]"
}

func TestGolden(t *testing.T) {
	t.Chdir(corpusDir)
	for _, tc := range corpus {
		t.Run(tc.name, func(t *testing.T) {
			r, err := iac.Load(tc.path, iac.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := report(r)
			file := filepath.Join("..", "..", "internal", "iac", "testdata", "golden", tc.name+".golden")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestPositionsPointAtValues checks every located problem and finding
// about a value against the file itself, independently of the readers:
// the text at the position is the value, quoted or not.
func TestPositionsPointAtValues(t *testing.T) {
	t.Chdir(corpusDir)
	checked := 0
	for _, tc := range corpus {
		r, err := iac.Load(tc.path, iac.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range r.Buckets {
			v := iac.Judge(b)
			type located struct {
				pos   iac.Position
				value string
			}
			var all []located
			for _, p := range v.Problems {
				if p.Index >= 0 {
					all = append(all, located{p.Pos, valueOf(b, p.Err.Rule, p.Field, p.Index)})
				}
			}
			for _, f := range v.Findings {
				if f.Index >= 0 {
					all = append(all, located{f.Pos, f.Value})
				}
			}
			for _, l := range all {
				text := lineAt(t, l.pos)
				if strings.HasPrefix(text, "<<") {
					// A value jsondecode takes from a heredoc is
					// located at the heredoc, which holds it.
					rest := restAt(t, l.pos)
					if i := strings.Index(rest, `"`+l.value); i >= 0 {
						text = rest[i:]
					}
				}
				if !strings.HasPrefix(text, l.value) && !strings.HasPrefix(text, `"`+l.value) && !strings.HasPrefix(text, "'"+l.value) {
					t.Errorf("%s: %q is not at %s, which holds %q", tc.name, l.value, l.pos, text)
				}
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d positions checked; the corpus should locate more values", checked)
	}
}

func valueOf(b *iac.Bucket, rule int, f iac.Field, i int) string {
	r := b.Rules[rule-1]
	switch f {
	case iac.FieldAllowedOrigin:
		return r.AllowedOrigins[i]
	case iac.FieldAllowedMethod:
		return r.AllowedMethods[i]
	case iac.FieldAllowedHeader:
		return r.AllowedHeaders[i]
	case iac.FieldExposeHeader:
		return r.ExposeHeaders[i]
	}
	return ""
}

// restAt returns the text of a file from a position to its end.
func restAt(t *testing.T, p iac.Position) string {
	data, err := os.ReadFile(p.File)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	return lines[p.Line-1][p.Column-1:] + strings.Join(lines[p.Line:], "")
}

// lineAt returns the text of a file from a position to the end of its
// line, the column counted in bytes.
func lineAt(t *testing.T, p iac.Position) string {
	data, err := os.ReadFile(p.File)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if p.Line < 1 || p.Line > len(lines) || p.Column < 1 || p.Column > len(lines[p.Line-1])+1 {
		t.Fatalf("position %s is outside the file", p)
	}
	return lines[p.Line-1][p.Column-1:]
}

func TestCorpusCounts(t *testing.T) {
	t.Chdir(corpusDir)
	var buckets, problems, findings, unjudged int
	for _, tc := range corpus {
		r, err := iac.Load(tc.path, iac.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range r.Buckets {
			v := iac.Judge(b)
			buckets++
			problems += len(v.Problems) + len(b.Errors)
			findings += len(v.Findings)
			unjudged += len(b.Unjudged)
		}
	}
	t.Logf("%d inputs, %d buckets, %d problems, %d findings, %d values not judged", len(corpus), buckets, problems, findings, unjudged)
	if slices.Contains([]int{buckets, problems, findings, unjudged}, 0) {
		t.Error("the corpus should hold buckets, problems, findings and values not judged")
	}
}
