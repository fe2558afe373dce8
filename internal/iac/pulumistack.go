package iac

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Pulumi stack's configuration, the file Pulumi.<stack>.yaml, read as
// the Pulumi CLI of github.com/pulumi/pulumi/sdk/v3 v3.206.0 reads it
// (workspace.DetectProjectStackPath, LoadProjectStackBytes,
// config.ParseKey), whose values Pulumi YAML's config values take in
// place of their defaults.

// ErrNotPulumi is returned, wrapped, by [Load] and [Parse] for input
// that is not a Pulumi YAML program when [Options] gives a stack.
var ErrNotPulumi = errors.New("a stack is a Pulumi program's, and it is not a Pulumi YAML program")

// pulumiStack is the configuration of the stack a program is judged
// with: its file, and its values by the name a program's interpolation
// gives them (a config value of the project by its bare name, one of
// another namespace by its whole key, "aws:region").
type pulumiStack struct {
	name, file string
	values     map[string]*node
}

// pulumiStackFile returns the path of the configuration of stack for the
// program in the file program, as the CLI finds it: Pulumi.<the stack's
// name>.<the program's extension>, beside the program or in the
// directory its stackConfigDir names. The name is that of a fully
// qualified stack too ("acme/proj/dev" reads Pulumi.dev.yaml): the CLI
// gives DetectProjectStackPath its reference's Name(), and a stack's
// name holds no "/".
func pulumiStackFile(program, stack string, root *node) string {
	name := "Pulumi." + stack[strings.LastIndexByte(stack, '/')+1:] + filepath.Ext(program)
	return filepath.Join(filepath.Dir(program), root.get("stackConfigDir").scalarText(), name)
}

// readPulumiStack reads the configuration of stack for the program in
// src, whose project is named project. The file must exist: the Pulumi
// CLI takes a missing one as no configuration, which judges as without
// the option.
func (l *loader) readPulumiStack(src *source, root *node, stack string) (*pulumiStack, error) {
	switch {
	case src.name == stdinName:
		return nil, fmt.Errorf("a stack's configuration is read beside the program's file, and standard input has none: give the program's path")
	case strings.HasPrefix(filepath.Base(src.name), "Main."):
		// The project file, which names the stack files' directory,
		// is in a directory above, where main names this one.
		return nil, fmt.Errorf("a stack's configuration is read beside the project file, Pulumi.yaml, which s3cors does not look for from a program's %s", filepath.Base(src.name))
	}
	path := pulumiStackFile(src.name, stack, root)
	data, err := readBounded(path, MaxTemplateSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("stack %s has no configuration file %s beside the program", stack, path)
	}
	if err != nil {
		return nil, err
	}
	ssrc := l.source(path, data)
	doc, err := parseYAMLDocument(ssrc, yamlConverter{src: ssrc, done: map[*yaml.Node]*node{}, yaml12: true})
	if err != nil {
		return nil, err
	}
	s := &pulumiStack{name: stack, file: path, values: map[string]*node{}}
	cfg := doc.get("config")
	switch {
	case doc.kind != nMap && doc.kind != nNull:
		return nil, parseErrorf(ssrc, doc.off, "a stack's configuration file is a mapping, not %s", doc.describe())
	case cfg == nil || cfg.kind == nNull:
		return s, nil
	case cfg.kind != nMap:
		return nil, parseErrorf(ssrc, cfg.off, "a stack's config is a mapping of keys to values, not %s", cfg.describe())
	}
	project := root.get("name").scalarText()
	for i, key := range cfg.keys {
		name, err := pulumiConfigName(key.text, project)
		if err != "" {
			return nil, parseErrorf(ssrc, key.off, "%s", err)
		}
		s.values[name] = cfg.items[i]
	}
	return s, nil
}

// pulumiConfigName returns the name a program gives the stack's
// configuration key: a bare key is the project's (the CLI namespaces it,
// stackConfigNamespacedWithProject), project:name and the older
// project:config:name are name, and a key of another namespace is
// itself. A key of more colons is refused with config.ParseKey's error.
func pulumiConfigName(key, project string) (string, string) {
	parts := strings.Split(key, ":")
	switch {
	case len(parts) == 1:
		return key, ""
	case len(parts) == 3 && parts[1] == "config":
		parts = []string{parts[0], parts[2]}
	case len(parts) != 2:
		return "", "Pulumi refuses the configuration key " + strconv.Quote(key) +
			": \"could not parse " + key + " as a configuration key (configuration keys should be of the form `<namespace>:<name>`)\""
	}
	if parts[0] == project {
		return parts[1], ""
	}
	return parts[0] + ":" + parts[1], ""
}

// stackValue returns the value the stack gives the config value name,
// referred to as expr in n, with a note once for each bucket; nil when
// it gives none. A secure value, which the stack's secrets provider
// decrypts, is not known.
func (p *pulumiProgram) stackValue(name, expr string, n *node) *val {
	set := p.stack.values[name]
	if set == nil {
		return nil
	}
	if set.kind == nMap && len(set.keys) == 1 && set.keys[0].text == "secure" {
		return unknownVal(n.pos(), expr, "config "+name+" is a secret of stack "+p.stack.name+
			", which its secrets provider decrypts when the program runs")
	}
	if _, done := p.noted[name]; !done {
		p.noted[name] = len(p.cur.Notes)
		p.cur.Notes = append(p.cur.Notes, Note{Pos: n.pos(), Text: "config " + name + " is judged with the value stack " +
			p.stack.name + " gives it, written at " + set.pos().String()})
	}
	v := literalVal(p.l, set)
	if p.l.err != nil {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	return v.via(n.pos(), "config "+name+" of stack "+p.stack.name)
}
