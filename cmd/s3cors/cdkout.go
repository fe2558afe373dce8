package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A CDK cloud assembly is the directory cdk synth writes (cdk.out): a
// manifest.json whose artifacts name, among others, each stack's
// template (type aws:cloudformation:stack, properties.templateFile) and
// each Stage's own assembly (type cdk:cloud-assembly,
// properties.directoryName, a directory beside the manifest). A nested
// stack's template is an asset of its parent's, read through the parent
// (see iac's nested stacks), so it is not an artifact of its own.

// maxAssemblyDepth bounds how deep the assemblies of Stages in Stages are
// followed.
const maxAssemblyDepth = 8

// maxManifestSize bounds what is read of a manifest.json: CDK's are a few
// kilobytes, with a tree and asset entries for each stack.
const maxManifestSize = 16 << 20

// assemblyTemplates returns the paths of the stack templates of the CDK
// cloud assembly dir, depth assemblies down from the one given, in the
// order its manifest lists them, with those of the assemblies of its
// Stages in their place; ok is false when dir is not one (it has no
// manifest.json with artifacts). A manifest that cannot be read, or an
// artifact whose file is not a relative path inside the assembly, is an
// error.
func assemblyTemplates(dir string, depth int) (paths []string, ok bool, err error) {
	manifest := filepath.Join(dir, "manifest.json")
	raw, ok, err := manifestArtifacts(manifest)
	if !ok || err != nil {
		return nil, ok, err
	}
	ids, err := objectKeys(raw)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %v", manifest, err)
	}
	var artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile  string `json:"templateFile"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &artifacts); err != nil {
		return nil, true, fmt.Errorf("%s: %v", manifest, err)
	}
	for _, id := range ids {
		a := artifacts[id]
		switch a.Type {
		case "aws:cloudformation:stack":
			if !filepath.IsLocal(a.Properties.TemplateFile) {
				return nil, true, fmt.Errorf("%s: the templateFile of stack %s, %q, is not a file in the assembly", manifest, id, a.Properties.TemplateFile)
			}
			paths = append(paths, filepath.Join(dir, a.Properties.TemplateFile))
		case "cdk:cloud-assembly":
			if !filepath.IsLocal(a.Properties.DirectoryName) {
				return nil, true, fmt.Errorf("%s: the directoryName of assembly %s, %q, is not a directory in the assembly", manifest, id, a.Properties.DirectoryName)
			}
			if depth+1 >= maxAssemblyDepth {
				return nil, true, fmt.Errorf("%s: assemblies nested more than %d deep", manifest, maxAssemblyDepth)
			}
			sub := filepath.Join(dir, a.Properties.DirectoryName)
			more, ok, err := assemblyTemplates(sub, depth+1)
			switch {
			case err != nil:
				return nil, true, err
			case !ok:
				return nil, true, fmt.Errorf("%s: assembly %s has no manifest.json in %s", manifest, id, sub)
			}
			paths = append(paths, more...)
		}
	}
	return paths, true, nil
}

// manifestArtifacts reads the artifacts object of the cloud assembly
// manifest at path. ok is false when there is no manifest there, or it is
// not an assembly's; err is a manifest that cannot be read.
func manifestArtifacts(path string) (artifacts json.RawMessage, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestSize+1))
	switch {
	case err != nil:
		return nil, true, err
	case len(data) > maxManifestSize:
		return nil, true, fmt.Errorf("%s is longer than %d bytes", path, maxManifestSize)
	}
	var m struct {
		Artifacts json.RawMessage `json:"artifacts"`
	}
	if json.Unmarshal(data, &m) != nil || len(m.Artifacts) == 0 || m.Artifacts[0] != '{' {
		// Some other manifest.json (a web app's): not an assembly.
		return nil, false, nil
	}
	return m.Artifacts, true, nil
}

// objectKeys returns the keys of the JSON object data, in order.
func objectKeys(data []byte) ([]string, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	if _, err := d.Token(); err != nil { // {
		return nil, err
	}
	var keys []string
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, err
		}
		k, ok := t.(string)
		if !ok {
			return nil, errors.New("artifacts is not an object")
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// expandAssemblies returns srcs with each directory that is a CDK cloud
// assembly replaced by its stack templates (see assemblyTemplates), so
// that "s3cors lint cdk.out" judges every stack cdk synth wrote. An
// assembly that cannot be read, or names no stack, stays one source,
// whose reading fails with the reason.
func expandAssemblies(srcs []source) []source {
	var out []source
	for _, src := range srcs {
		if fi, err := os.Stat(src.path); src.path == "" || err != nil || !fi.IsDir() {
			out = append(out, src)
			continue
		}
		paths, ok, err := assemblyTemplates(src.path, 0)
		switch {
		case !ok:
			out = append(out, src)
			continue
		case err == nil && len(paths) == 0:
			err = errors.New("is a CDK cloud assembly whose manifest.json names no stack")
		}
		if err != nil {
			out = append(out, source{name: src.name, open: func() (io.Reader, func() error, error) { return nil, nil, err }})
			continue
		}
		for _, p := range paths {
			out = append(out, fileSource(p, nil))
		}
	}
	return out
}

// oneStack returns src for explain and convert, which take one
// configuration: when src is a CDK cloud assembly, its one stack's
// template (see expandAssemblies), as validate and lint read cdk.out. An
// assembly of several stacks is a usage error naming their templates,
// one of which to give.
func (c *command) oneStack(src source) (source, int, bool) {
	srcs := expandAssemblies([]source{src})
	if len(srcs) == 1 {
		return srcs[0], 0, true
	}
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = s.name
	}
	return source{}, c.usageError("%s is a CDK cloud assembly of %d stacks; give one stack's template: %s", src.name, len(srcs), escapeText(strings.Join(names, ", "))), false
}
