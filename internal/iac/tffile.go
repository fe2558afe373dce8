package iac

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"
)

// maxFileRead bounds what Terraform's file function reads of a file: the
// origins or rules a configuration keeps in a file of its own are a few
// kilobytes.
const maxFileRead = 1 << 20

// fileRead is what the file function read of a path: its content, or why
// it failed (Terraform refuses the configuration) or is not known here.
type fileRead struct {
	content   string
	why       string
	notJudged bool
}

// modulePath returns path.module or path.root (name "module" or "root")
// as Terraform gives them: the directory of the instance's module, and
// of the root module, relative to the root module's, where terraform
// plan runs ("." for the root). path.cwd, an absolute path of the
// machine that runs Terraform, is not known here; nor is any of them for
// a configuration read from standard input.
func (inst *tfInstance) modulePath(name string) (string, bool) {
	root := inst.l.tfRoot
	if root == "" || inst.mod.dir == "" {
		return "", false
	}
	switch name {
	case "root":
		return ".", true
	case "module":
		rel, err := filepath.Rel(root, inst.mod.dir)
		if err != nil {
			return "", false
		}
		return filepath.ToSlash(rel), true
	}
	return "", false
}

// file evaluates Terraform's file(path), written in a file of the module
// in modDir: the content of the file at path, relative to the root
// module's directory, where terraform plan runs. Only a file inside that
// directory, or inside modDir (a module the root calls from elsewhere in
// a repository, which reads file("${path.module}/origins.json")), is
// read, so that judging a repository's code never reads, nor prints in a
// finding, a file of the machine it runs on (file("/proc/self/environ")
// in a pull request); a path outside both, as one through a symbolic
// link that leads out, is not judged. A file that does not exist, or
// that is not UTF-8, fails as Terraform fails it.
func (l *loader) file(arg *val, modDir string, pos Position, fail, unknown func(string) *val) *val {
	switch {
	case arg.kind == vNull:
		return fail(`Invalid value for "path" parameter: argument must not be null.`)
	case !arg.isScalar():
		return fail("file takes a string, not " + arg.kind.describe())
	}
	if l.tfRoot == "" {
		return unknown("file reads a path relative to the directory Terraform runs in, which standard input has none of")
	}
	written := scalarString(arg) // a number or a bool converts to a string
	p := written
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.tfRoot, p)
	}
	p = filepath.Clean(p)
	r, ok := l.files[p]
	if !ok {
		if !l.spendAt(pos) {
			return unknown("too many steps")
		}
		r = readConfigFile([]string{l.tfRoot, modDir}, p, written)
		if l.files == nil {
			l.files = map[string]fileRead{}
		}
		l.files[p] = r
		if r.why == "" {
			// Among the files read, as a module's are, once however
			// many calls read it.
			l.source(p, []byte(r.content))
		}
	}
	switch {
	case r.notJudged:
		return unknown(r.why)
	case r.why != "":
		return fail(r.why)
	}
	return &val{kind: vString, s: r.content, org: Origin{Pos: pos}, file: p}
}

// readConfigFile reads the file at path p (given as written) for
// Terraform's file function, when it is inside one of the directories
// roots.
func readConfigFile(roots []string, p, written string) fileRead {
	realPath, err := insidePath(roots, p)
	switch {
	case errors.Is(err, errPathOutside), errors.Is(err, errLinkOutside):
		return fileRead{why: "file reads " + written + ", outside the configuration's directory and the module's, which are all that is read here", notJudged: true}
	case errors.Is(err, fs.ErrNotExist):
		// Terraform's words, as terraform console 1.11.4 prints them.
		return fileRead{why: `Invalid value for "path" parameter: no file exists at ` + strconv.Quote(written) +
			"; this function works only with files that are distributed as part of the configuration source code, so if this file will be created" +
			" by a resource in this configuration you must instead obtain this result from an attribute of that resource."}
	case err != nil:
		return fileRead{why: "file: " + err.Error(), notJudged: true}
	}
	if fi, err := os.Stat(realPath); err == nil && fi.IsDir() {
		return fileRead{why: `Invalid value for "path" parameter: failed to read file: read ` + written + ": is a directory."}
	}
	data, err := readBounded(realPath, maxFileRead)
	var tooLarge *ParseError
	switch {
	case errors.As(err, &tooLarge):
		return fileRead{why: "file reads " + written + ", larger than the 1 MiB read here", notJudged: true}
	case err != nil:
		return fileRead{why: "file: " + err.Error(), notJudged: true}
	case !utf8.Valid(data):
		return fileRead{why: `Call to function "file" failed: contents of ` + strconv.Quote(written) + " are not valid UTF-8; use the filebase64 function" +
			" to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead."}
	}
	return fileRead{content: string(data)}
}
