package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/s3cors/s3cors/internal/iac"
)

// TestTerragruntRefused: Terragrunt's configuration, given as its file or
// as its directory (which holds no Terraform file, its module being the
// one its terraform block's source names), is refused saying what to
// give instead, where the file was judged as a Terraform file without
// buckets, a root.hcl as S3's XML, and the directory only asked for "the
// configuration files in it".
func TestTerragruntRefused(t *testing.T) {
	t.Parallel()
	const reason = ", which Terraform does not read: Terragrunt runs Terraform on the module its terraform block's source names, with the inputs as its variables; "
	for _, tc := range []struct {
		name, file, data string
		arg              string // the path given, in the directory; "" for the directory
		err              string
	}{
		{"directory", "terragrunt.hcl", "terraform {\n  source = \"../modules/s3\"\n}\ninputs = {}\n", "",
			"is a directory without Terraform or OpenTofu files (*.tf, *.tf.json, *.tofu, *.tofu.json): its terragrunt.hcl is Terragrunt's configuration, " +
				"which runs Terraform on the module its terraform block's source names; " + iac.TerragruntAdvice},
		{"file", "terragrunt.hcl", "include \"root\" {\n  path = find_in_parent_folders()\n}\n", "terragrunt.hcl",
			"is not a Terraform configuration: it is Terragrunt's configuration (its include block, line 1)" + reason + iac.TerragruntAdvice},
		{"root.hcl", "root.hcl", "remote_state {\n  backend = \"s3\"\n}\n", "root.hcl",
			"is not a Terraform configuration: it is Terragrunt's configuration (its remote_state block, line 1)" + reason + iac.TerragruntAdvice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			l := load(fileSource(filepath.Join(dir, tc.arg), nil), loadOptions{})
			if l.err == nil || l.err.Error() != tc.err || len(l.verdicts) != 0 || l.doc != nil {
				t.Errorf("error %v (%d verdicts, doc %v), want %q", l.err, len(l.verdicts), l.doc, tc.err)
			}
		})
	}
}
