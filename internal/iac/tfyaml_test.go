package iac_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerraformYAMLDecode: yamldecode reads YAML as Terraform's does
// (go-cty-yaml), as terraform console 1.11.4 gives each value here:
// yes and Off are booleans, 010 is 10, 0o17 15 and 0x1F 31, but 1_000,
// 0X1F, -0x1F and 1:00 are strings; anchors are expanded, and YAML that
// is not well-formed fails, which try catches. What it reads otherwise
// than this package, or refuses (a tag, a merge key, a key read as a
// boolean, a timestamp, two documents), is not evaluated.
func TestTerraformYAMLDecode(t *testing.T) {
	t.Parallel()
	const scalars = `[for k in ["a","b","c","d","e","f","g","h","i","j","k","l","m"] : tostring(yamldecode(file("s.yaml"))[k])]`
	for _, tc := range []struct {
		name    string
		origins string // the expression of allowed_origins
		want    []string
		why     string // of the value not judged, or "refused: " and Terraform's failure
	}{
		{"file", `yamldecode(file("${path.module}/cors.yaml")).origins`, []string{"https://a.example", "https://b.example"}, ""},
		{"scalars", scalars, []string{"true", "false", "10", "15", "31", "1_000", "0X1F", "1:00", "1.5", "010", "1000", "-0x1F"}, ""},
		{"alias", `yamldecode(file("alias.yaml")).o`, []string{"https://a.example"}, ""},
		{"not well-formed, tried", `try(yamldecode("a: [").a, ["https://fb.example"])`, []string{"https://fb.example"}, ""},
		{"tag", `yamldecode("a: !Ref X").a`, nil, "yamldecode of a tagged node (!Ref) is not evaluated here"},
		{"merge key", `yamldecode("b: &b {a: [x]}\nm:\n  <<: *b\n").m.a`, nil, "yamldecode of a merge key (<<) is not evaluated here"},
		{"boolean key", `yamldecode("n: [x]").n`, nil, "yamldecode of a mapping key YAML reads as a boolean is not evaluated here"},
		{"timestamp", `[yamldecode("a: 2001-12-14").a]`, nil, `yamldecode of the plain scalar "2001-12-14" (an infinity, NaN or a timestamp) is not evaluated here`},
		{"aliases that expand too far", `yamldecode(file("laughs.yaml")).i`, nil, "yamldecode: the document's aliases expand too far"},
		{"two documents", `yamldecode("a: [x]\n---\nb: 2\n").a`, nil, "yamldecode of more than one document is not evaluated here"},
		// terraform console 1.11.4: 0xFFFFFFFFFFFFFFFF and
		// 0o1777777777777777777777 are 18446744073709551615, one more
		// fails ("cannot parse ... as tag:yaml.org,2002:int").
		{"64 bits", `["https://${yamldecode("a: 0xFFFFFFFFFFFFFFFF").a}.${yamldecode("a: 0o1777777777777777777777").a}"]`, []string{"https://18446744073709551615.18446744073709551615"}, ""},
		{"past 64 bits", `["https://${yamldecode("a: 0x10000000000000000").a}"]`, nil, `refused: Terraform fails to evaluate "https://${yamldecode("a: 0x10000000000000000").a}": it interpolates yamldecode("a: 0x10000000000000000"): yamldecode: cannot parse "0x10000000000000000" as tag:yaml.org,2002:int`},
		{"past 64 bits, octal", `["https://${yamldecode("a: 0o2000000000000000000000").a}"]`, nil, `refused: Terraform fails to evaluate "https://${yamldecode("a: 0o2000000000000000000000").a}": it interpolates yamldecode("a: 0o2000000000000000000000"): yamldecode: cannot parse "0o2000000000000000000000" as tag:yaml.org,2002:int`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = ` + tc.origins + `
  }
}
`,
				"cors.yaml":   "origins: [https://a.example, \"https://b.example\"]\n",
				"alias.yaml":  "base: &b [https://a.example]\no: *b\n",
				"laughs.yaml": yamlLaughs(),
				"s.yaml":      "a: yes\nb: Off\nc: 010\nd: 0o17\ne: 0x1F\nf: 1_000\ng: 0X1F\nh: 1:00\ni: 1.50\nj: \"010\"\nk: 1E3\nl: YES\nm: -0x1F\n",
			})
			r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
			if err != nil {
				t.Fatal(err)
			}
			b := r.Buckets[0]
			if got := originsOf(b); !slices.Equal(got, tc.want) {
				t.Errorf("origins %q, want %q", got, tc.want)
			}
			if all := whyNotJudged(b, true); !saysWhy(all, tc.why) {
				t.Errorf("not judged or refused:\n%s\nwant %q", all, tc.why)
			}
		})
	}
}

// TestTerraformYAMLFileLocated: the values yamldecode gives of a file's
// whole text are located where they are written in the file, as
// jsondecode's are.
func TestTerraformYAMLFileLocated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf": `resource "aws_s3_bucket_cors_configuration" "c" {
  bucket = "b"
  cors_rule {
    allowed_methods = ["GET"]
    allowed_origins = yamldecode(file("cors.yaml")).origins
  }
}
`,
		"cors.yaml": "# the browser's origins\norigins:\n  - https://a.example\n  - 'https://b.example'\n",
	})
	r, err := iac.Load(dir, iac.Options{Kind: iac.Terraform})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range r.Buckets[0].Origins[0].AllowedOrigins {
		got = append(got, fmt.Sprintf("%s:%d:%d", filepath.Base(o.Pos.File), o.Pos.Line, o.Pos.Column))
	}
	if want := []string{"cors.yaml:3:5", "cors.yaml:4:5"}; !slices.Equal(got, want) {
		t.Errorf("origins at %q, want %q", got, want)
	}
}

// yamlLaughs returns YAML whose last key i holds 10^9 strings through its
// aliases (a "billion laughs"), for a few hundred bytes.
func yamlLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	for c := 'b'; c <= 'i'; c++ {
		prev := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	return b.String()
}
