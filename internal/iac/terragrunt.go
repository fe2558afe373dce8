package iac

import (
	"regexp"
	"strconv"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Terragrunt's configuration (terragrunt.hcl, and the root.hcl or
// env.hcl its include blocks name) is HCL as Terraform's is, and may hold
// a terraform block, but Terraform does not read it: Terragrunt copies
// the module its terraform block's source names and runs Terraform there,
// with its inputs as the module's variables. Read as Terraform, its
// bucket CORS rules, in inputs, were passed over, and the file judged as
// one that declares no bucket.

// TerragruntAdvice says what to give s3cors in place of a Terragrunt
// configuration, after words that name the module Terragrunt runs
// Terraform on: what Terraform reads once Terragrunt has run.
const TerragruntAdvice = "give s3cors that module, with the inputs as --var NAME=VALUE or --var-file values, " +
	"or the plan: terragrunt plan -out=tfplan, then terragrunt show -json tfplan > plan.json"

// terragruntStart starts the top-level blocks of a Terragrunt
// configuration that Terraform has none of, which [Detect] tells as
// Terraform for the Terraform reader to refuse, as a root.hcl holds no
// block of Terraform's. It is not indented: such words are common inside
// other files' text (an nginx configuration's include "mime.types"; in a
// YAML block scalar, review5), and a Terragrunt file's blocks are not.
var terragruntStart = regexp.MustCompile(`(?m)^(include|remote_state|dependency|dependencies|generate)[ \t]*("|\{)`)

// terragruntBlocks are the top-level blocks of a Terragrunt configuration
// that Terraform refuses ("Blocks of type "include" are not expected
// here"), and terragruntAttrs its top-level attributes; Terraform has no
// top-level attribute at all.
var (
	terragruntBlocks = map[string]bool{"include": true, "remote_state": true, "dependency": true, "dependencies": true, "generate": true}
	terragruntAttrs  = map[string]bool{"inputs": true, "download_dir": true, "prevent_destroy": true, "skip": true, "iam_role": true,
		"terraform_binary": true, "terraform_version_constraint": true, "terragrunt_version_constraint": true, "retryable_errors": true}
)

// terragruntMark returns what marks body, a file's, as Terragrunt's
// configuration and its line, or "" when nothing does: one of its
// top-level attributes or blocks, or a terraform block with the source
// argument, which Terraform's terraform block does not have.
func terragruntMark(body *hclsyntax.Body) (string, int) {
	for _, a := range sortedAttributes(body) {
		if terragruntAttrs[a.Name] {
			return "its " + a.Name, a.NameRange.Start.Line
		}
	}
	for _, b := range body.Blocks {
		switch {
		case terragruntBlocks[b.Type]:
			return "its " + b.Type + " block", b.TypeRange.Start.Line
		case b.Type != "terraform":
			continue
		}
		if a, ok := b.Body.Attributes["source"]; ok {
			return "the source of its terraform block", a.NameRange.Start.Line
		}
	}
	return "", 0
}

// terragruntError is the [*KindError] for the file name, Terragrunt's
// configuration as what at line says.
func terragruntError(name, what string, line int) *KindError {
	return &KindError{File: name, Kind: Terraform, Reason: "it is Terragrunt's configuration (" + what + ", line " + strconv.Itoa(line) +
		"), which Terraform does not read: Terragrunt runs Terraform on the module its terraform block's source names, " +
		"with the inputs as its variables; " + TerragruntAdvice}
}
