package iac_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/s3cors/s3cors/internal/iac"
)

// pulumiStackProgram is a program of project proj whose rule's
// allowedOrigins are %s.
const pulumiStackProgram = `name: proj
runtime: yaml
config:
  origins: {type: array, default: ["https://default.example"]}
  host: {type: string}
resources:
  cors:
    type: aws:s3:BucketCorsConfiguration
    properties:
      bucket: b
      corsRules:
        - allowedMethods: [GET]
          allowedOrigins: %s
`

// TestPulumiStack judges a program with a stack's configuration, read as
// the Pulumi CLI reads Pulumi.<stack>.yaml: a bare key and proj:key (and
// the older proj:config:key) set the project's config values in place of
// their defaults, a key of another namespace is its whole key, a secure
// value is not known.
func TestPulumiStack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, stack, file, stackFile, origins string
		stackConfigDir                        string
		want                                  pulumiExprResult
		notes                                 []string // without where
	}{
		{name: "namespaced", stack: "dev", file: "Pulumi.dev.yaml", origins: `${origins}`,
			stackFile: "config:\n  proj:origins:\n    - https://dev.example/\n",
			want:      pulumiExprResult{Origins: []string{"https://dev.example/"}},
			notes:     []string{"config origins is judged with the value stack dev gives it, written at STACK:3:5"}},
		{name: "bare key", stack: "dev", file: "Pulumi.dev.yaml", origins: `["https://${host}"]`,
			stackFile: "config:\n  host: app.example\n",
			want:      pulumiExprResult{Origins: []string{"https://app.example"}},
			notes:     []string{"config host is judged with the value stack dev gives it, written at STACK:2:9"}},
		{name: "older form", stack: "dev", file: "Pulumi.dev.yaml", origins: `["https://${host}"]`,
			stackFile: "config:\n  proj:config:host: old.example\n",
			want:      pulumiExprResult{Origins: []string{"https://old.example"}},
			notes:     []string{"config host is judged with the value stack dev gives it, written at STACK:2:21"}},
		{name: "not set", stack: "prod", file: "Pulumi.prod.yaml", origins: `${origins}`,
			stackFile: "config:\n  aws:region: eu-west-1\n",
			want:      pulumiExprResult{Origins: []string{"https://default.example"}},
			notes:     []string{"config origins is judged with its default, written at PROGRAM:4:35: stack prod does not set it"}},
		{name: "other namespace and undeclared", stack: "dev", file: "Pulumi.dev.yaml", origins: `["https://${aws:region}.example", "${extra}"]`,
			stackFile: "config:\n  aws:region: eu-west-1\n  proj:extra: https://extra.example\n",
			want:      pulumiExprResult{Origins: []string{"https://eu-west-1.example", "https://extra.example"}},
			notes: []string{"config aws:region is judged with the value stack dev gives it, written at STACK:2:15",
				"config extra is judged with the value stack dev gives it, written at STACK:3:15"}},
		{name: "secure", stack: "dev", file: "Pulumi.dev.yaml", origins: `["https://${host}"]`,
			stackFile: "config:\n  proj:host:\n    secure: AAABAK\n",
			want: pulumiExprResult{Problems: []string{
				"not judged: https://${host}: config host is a secret of stack dev, which its secrets provider decrypts when the program runs"}}},
		// A fully qualified stack's file is named by the stack's name
		// alone (the CLI's stack.Ref().Name()), in the directory
		// stackConfigDir names.
		{name: "qualified name", stack: "acme/proj/dev", file: "stacks/Pulumi.dev.yaml", stackConfigDir: "stacks", origins: `["https://${host}"]`,
			stackFile: "config:\n  host: q.example\n",
			want:      pulumiExprResult{Origins: []string{"https://q.example"}},
			notes:     []string{"config host is judged with the value stack acme/proj/dev gives it, written at STACK:2:9"}},
		// A stack that does not set a config value without a default:
		// Pulumi refuses to run the program.
		{name: "required not set", stack: "dev", file: "Pulumi.dev.yaml", origins: `["https://${host}"]`,
			stackFile: "config:\n  proj:origins: []\n",
			want: pulumiExprResult{Problems: []string{
				"not judged: https://${host}: config host has no default, and stack dev does not set it: Pulumi refuses to run the program without it"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			program := strings.Replace(pulumiStackProgram, "%s", tc.origins, 1)
			if tc.stackConfigDir != "" {
				program += "stackConfigDir: " + tc.stackConfigDir + "\n"
			}
			path, stackPath := filepath.Join(dir, "Pulumi.yaml"), filepath.Join(dir, tc.file)
			if err := errors.Join(os.MkdirAll(filepath.Dir(stackPath), 0o755), os.WriteFile(path, []byte(program), 0o644),
				os.WriteFile(stackPath, []byte(tc.stackFile), 0o644)); err != nil {
				t.Fatal(err)
			}
			r, err := iac.Load(path, iac.Options{Stack: tc.stack})
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(r.Files, []string{path, stackPath}) {
				t.Errorf("files %q, want the program and %s", r.Files, tc.file)
			}
			b := r.Buckets[0]
			got := pulumiResultOf(b)
			var notes []string
			for _, n := range b.Notes {
				if strings.HasPrefix(n.Text, "config ") {
					notes = append(notes, strings.NewReplacer(stackPath, "STACK", path, "PROGRAM").Replace(n.Text))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPulumiStackRefused: a stack without its configuration file, a key
// Pulumi cannot parse, a stack given to standard input, to a program's
// Main.yaml or to another kind of file are refused, each saying why.
func TestPulumiStackRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	program := filepath.Join(dir, "Pulumi.yaml")
	os.WriteFile(program, []byte(strings.Replace(pulumiStackProgram, "%s", "${origins}", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "Pulumi.bad.yaml"), []byte("config:\n  a:b:c:d: x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Pulumi.list.yaml"), []byte("config: [a]\n"), 0o644)
	main := filepath.Join(dir, "Main.yaml")
	os.WriteFile(main, []byte("resources: {}\n"), 0o644)
	cfn := filepath.Join(dir, "t.yaml")
	os.WriteFile(cfn, []byte("Resources: {}\n"), 0o644)
	for _, tc := range []struct{ name, path, stack, want string }{
		{"missing", program, "dev", "stack dev has no configuration file " + filepath.Join(dir, "Pulumi.dev.yaml") + " beside the program"},
		{"bad key", program, "bad", filepath.Join(dir, "Pulumi.bad.yaml") + ":2:3: Pulumi refuses the configuration key \"a:b:c:d\": " +
			"\"could not parse a:b:c:d as a configuration key (configuration keys should be of the form `<namespace>:<name>`)\""},
		{"config a list", program, "list", filepath.Join(dir, "Pulumi.list.yaml") + ":1:9: a stack's config is a mapping of keys to values, not a list"},
		{"main", main, "dev", "a stack's configuration is read beside the project file, Pulumi.yaml, which s3cors does not look for from a program's Main.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := iac.Load(tc.path, iac.Options{Kind: iac.Pulumi, Stack: tc.stack})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
	_, err := iac.Parse("", []byte(strings.Replace(pulumiStackProgram, "%s", "${origins}", 1)), iac.Options{Stack: "dev"})
	if want := "a stack's configuration is read beside the program's file, and standard input has none: give the program's path"; err == nil || err.Error() != want {
		t.Errorf("standard input: error %v, want %s", err, want)
	}
	if _, err := iac.Load(cfn, iac.Options{Stack: "dev"}); !errors.Is(err, iac.ErrNotPulumi) {
		t.Errorf("a template with a stack: error %v, want ErrNotPulumi", err)
	}
}
