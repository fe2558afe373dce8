package iac

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// workspaceFile is where terraform workspace select records the workspace
// it selects, in the directory Terraform runs in (its data directory,
// .terraform unless TF_DATA_DIR names another).
var workspaceFile = filepath.Join(".terraform", "environment")

// maxWorkspaceFile bounds what is read of workspaceFile: Terraform writes
// a workspace's name there, nothing else.
const maxWorkspaceFile = 1 << 10

// remoteWorkspaces returns the block of the terraform block b that
// configures HCP Terraform (a cloud block, or the remote backend), whose
// workspace terraform init chooses among the organization's, or nil.
func remoteWorkspaces(b *hclsyntax.Block) *hclsyntax.Block {
	for _, sub := range b.Body.Blocks {
		if sub.Type == "cloud" || sub.Type == "backend" && len(sub.Labels) == 1 && sub.Labels[0] == "remote" {
			return sub
		}
	}
	return nil
}

// workspace evaluates terraform.workspace, written at pos, as Terraform's
// Meta.Workspace finds it: the TF_WORKSPACE environment variable, else
// the name workspaceFile holds, spaces trimmed, else "default" (terraform
// console 1.11.4 answers so). The environment is not read here, so that
// a verdict does not depend on the machine that gives it: Options.Workspace
// stands in for TF_WORKSPACE. Without it, the note says what the value was
// taken from.
func (inst *tfInstance) workspace(pos Position, text string) *val {
	l := inst.l
	if l.tfWorkspace != "" {
		return &val{kind: vString, s: l.tfWorkspace, org: Origin{Pos: pos}}
	}
	if l.tfRoot == "" {
		return unknownVal(pos, text, "terraform.workspace is the workspace selected in the directory Terraform runs in, which standard input has none of: --workspace gives one")
	}
	name, why := readWorkspace(l.tfRoot)
	if why != "" {
		return unknownVal(pos, text, why)
	}
	const envNote = "; the TF_WORKSPACE environment variable, which overrides it, is not read here: --workspace gives another"
	var note string
	switch root := inst.root(); {
	case name != "":
		note = "terraform.workspace is judged as " + strconv.Quote(name) + ", the workspace " + workspaceFile + " selects" + envNote
	case root.mod.remote != (Position{}):
		return unknownVal(pos, text, "terraform.workspace is the HCP Terraform workspace configured at "+root.mod.remote.String()+
			", which terraform init selects, and no "+workspaceFile+" records one: --workspace gives one")
	default:
		name = "default"
		note = `terraform.workspace is judged as "default": no ` + workspaceFile + " selects another (terraform workspace select)" + envNote
	}
	inst.note("terraform.workspace", pos, note)
	return &val{kind: vString, s: name, org: Origin{Pos: pos}}
}

// root returns the root module's instance, which the workspace belongs to.
func (inst *tfInstance) root() *tfInstance {
	for inst.caller != nil {
		inst = inst.caller.inst
	}
	return inst
}

// readWorkspace returns the workspace workspaceFile in the root module's
// directory root selects, "" when it selects none (it does not exist, or
// holds only spaces), or why it is not read: a file outside root, or one
// no terraform workspace select writes.
func readWorkspace(root string) (name, why string) {
	p := filepath.Join(root, workspaceFile)
	real, err := insidePath([]string{root}, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", ""
	case err != nil:
		return "", p + " is not read: " + err.Error()
	}
	data, err := readBounded(real, maxWorkspaceFile)
	var tooLarge *ParseError
	switch {
	case errors.As(err, &tooLarge):
		return "", p + " is larger than the name of a workspace that terraform workspace select writes"
	case err != nil:
		// A directory, as Terraform, which reads no name from it.
		return "", ""
	case !utf8.Valid(data):
		return "", p + " is not UTF-8, as no workspace's name is"
	}
	return strings.TrimSpace(string(data)), ""
}
