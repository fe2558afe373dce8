package iac

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Bounds on Terraform modules, beyond the bytes of MaxHCLSize.
const (
	maxModuleDepth = 16   // modules calling modules
	maxTFFiles     = 1000 // .tf and .tfvars files read for one input
	maxInstances   = 1000 // instances of one resource or module by count or for_each
)

// tfModule is the parsed content of one module directory.
type tfModule struct {
	dir       string
	variables map[string]*hclsyntax.Block
	locals    map[string]*hclsyntax.Attribute
	resources []*hclsyntax.Block // aws_s3_bucket_cors_configuration and aws_s3_bucket
	calls     []*hclsyntax.Block // module blocks
	// remote is where a terraform block configures HCP Terraform (see
	// remoteWorkspaces); zero when none does.
	remote Position
	// byLabels holds the index in resources or calls of the block of
	// each blockKey, made when the first override file is read: an
	// override file may hold as many blocks as there are.
	byLabels map[string]int
	// overriddenIn holds, for the blockKey of a resource or module block
	// that override files were merged into, the names of those files: a
	// file named alone returns the buckets it overrides as well as those
	// it declares.
	overriddenIn map[string][]string
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// blockKey returns what tells a resource or module block from the others
// of its module: its type and labels.
func blockKey(b *hclsyntax.Block) string {
	var k strings.Builder
	k.WriteString(b.Type)
	for _, label := range b.Labels {
		k.WriteByte(' ')
		k.WriteString(strconv.Quote(label))
	}
	return k.String()
}

// tfInstance is one instance of a module: the root, or a module call (one
// per count index or for_each key), with the values of its variables.
type tfInstance struct {
	l      *loader
	mod    *tfModule
	addr   string // "" for the root, "module.site" or `module.site["a"]`
	key    string // the module path of call names: "" for the root, "site", "site.child"
	depth  int
	args   map[string]*hclsyntax.Attribute // the module call's arguments
	caller *tfScope                        // where the arguments are evaluated
	tfvars map[string]*val                 // the root's values from .tfvars files
	locals map[string]*val
	busy   map[string]bool // locals and variables being evaluated, against cycles
	vars   map[string]*val
	// defaults holds where the default is written of each variable
	// whose value is its default, known and not null.
	defaults map[string]Position
	// varNotes and localNotes hold the notes made while each kept
	// variable and local value was evaluated, made again for each
	// bucket that reads it.
	varNotes, localNotes map[string][]keyedNote
}

// tfNotes are the notes of the bucket being read, which any module
// instance makes while evaluating what the bucket reads (a module call's
// argument is evaluated in the caller's instance).
type tfNotes struct {
	bucket *Bucket // nil between buckets
	noted  map[string]bool
	// capture holds the notes made during each evaluation of a
	// variable or a local value under way, innermost last.
	capture [][]keyedNote
	// muted: notes are made only into the captures from mutedAt on
	// (see quietly).
	muted   bool
	mutedAt int
}

// keyedNote is a note with the key that makes it once per bucket.
type keyedNote struct {
	key string
	n   Note
}

// tfScope is where an expression is evaluated: a module instance and the
// names a resource, a dynamic block or a for expression bind.
type tfScope struct {
	inst  *tfInstance
	names map[string]*val // each, count, iterators, for variables
	// expandNotes are the notes the evaluation of the block's count or
	// for_each made (a variable judged with its default), which every
	// bucket of its instances carries.
	expandNotes []keyedNote
}

// with returns a new scope that also binds name to v. The names are
// copied, not changed in place, so the enclosing scope (a for
// expression's, a dynamic block's) keeps its own bindings.
func (s *tfScope) with(name string, v *val) *tfScope {
	names := make(map[string]*val, len(s.names)+1)
	for k, x := range s.names {
		names[k] = x
	}
	names[name] = v
	return &tfScope{inst: s.inst, names: names, expandNotes: s.expandNotes}
}

// loadTerraform reads the module in dir and the local modules it calls.
// When file is not "", only the buckets declared in it, or in the modules
// it calls, or those it overrides, are returned.
func loadTerraform(dir, file string, opts Options) (*Result, error) {
	l := newLoader(Terraform)
	l.tfRoot = dir
	mod, err := l.module(dir)
	if err != nil {
		return nil, err
	}
	root := l.instance(mod, "", 0)
	if err := l.readTFVars(dir, root, opts); err != nil {
		return nil, err
	}
	l.instantiate(root, file)
	l.redactSecrets()
	l.noteSameBucket()
	return l.res, l.err
}

// terraformSource reads one Terraform file alone, with the variable
// values of opts.
func (l *loader) terraformSource(name string, data []byte, opts Options) (*Result, error) {
	if tfFileExt(name) == "" {
		// Read as Terraform because --input says so (Detect tells one
		// with only Terraform's properties): the AWS CLI's JSON or a
		// plan would otherwise pass as a configuration without buckets,
		// and S3 XML or a template get HCL's error at their first byte.
		c, _ := firstByte(data)
		switch {
		case isJSONSyntax(name, data):
			if key := foreignTop(data); key != "" {
				return nil, &KindError{File: name, Kind: Terraform, Reason: "its top-level property " + strconv.Quote(key) + " is no block type of Terraform's JSON syntax"}
			}
		case c == '<' || c == '[':
			return nil, &KindError{File: name, Kind: Terraform, Reason: "it starts with " + strconv.Quote(string(c)) + ", which no Terraform file does"}
		case Detect(data) == CloudFormation:
			return nil, &KindError{File: name, Kind: Terraform, Reason: "it is a CloudFormation template"}
		}
	}
	mod := &tfModule{dir: filepath.Dir(name), variables: map[string]*hclsyntax.Block{}, locals: map[string]*hclsyntax.Attribute{}}
	if err := l.hclFile(mod, name, data, false); err != nil {
		return nil, err
	}
	if name == stdinName {
		mod.dir = ""
	}
	l.tfRoot = mod.dir
	root := l.instance(mod, "", 0)
	root.tfvars = map[string]*val{}
	l.varsGiven = len(opts.VarFiles) > 0 || len(opts.Vars) > 0
	l.tfWorkspace = opts.Workspace
	if err := l.readVarFiles(root, opts.VarFiles, 0); err != nil {
		return nil, err
	}
	if err := l.readVars(root, opts.Vars); err != nil {
		return nil, err
	}
	l.instantiate(root, "")
	l.redactSecrets()
	l.noteSameBucket()
	return l.res, l.err
}

func (l *loader) instance(mod *tfModule, addr string, depth int) *tfInstance {
	return &tfInstance{l: l, mod: mod, addr: addr, depth: depth, locals: map[string]*val{}, vars: map[string]*val{},
		busy: map[string]bool{}, defaults: map[string]Position{}, varNotes: map[string][]keyedNote{}, localNotes: map[string][]keyedNote{}}
}

// module parses the .tf and .tofu files of dir, and those in Terraform's
// JSON syntax (.tf.json, .tofu.json), in name order, as OpenTofu does,
// which reads what Terraform reads and .tofu files besides (see
// tfFileExt).
func (l *loader) module(dir string) (*tfModule, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	mod := &tfModule{dir: dir, variables: map[string]*hclsyntax.Block{}, locals: map[string]*hclsyntax.Attribute{}}
	files := map[string]bool{}
	for _, e := range entries {
		files[e.Name()] = !e.IsDir()
	}
	var overrides []string
	for _, e := range entries {
		name := e.Name()
		ext := tfFileExt(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || ext == "" {
			continue
		}
		path := filepath.Join(dir, name)
		// OpenTofu reads foo.tofu in place of foo.tf, and foo.tofu.json
		// in place of foo.tf.json (filterTfPathsWithTofuAlternatives):
		// a module written for both tools gives each its own file.
		if tofu := strings.TrimSuffix(name, ext) + strings.Replace(ext, ".tf", ".tofu", 1); tofu != name && files[tofu] {
			l.res.Notes = append(l.res.Notes, Note{Pos: Position{File: path},
				Text: "not read: OpenTofu reads " + tofu + " in its place (Terraform, which does not read .tofu files, would read it)"})
			continue
		}
		override := isOverrideFile(name)
		if override {
			overrides = append(overrides, path)
			continue
		}
		data, err := l.readHCL(path)
		if err != nil {
			return nil, err
		}
		if err := l.hclFile(mod, path, data, false); err != nil {
			return nil, err
		}
	}
	// Terraform merges override files into the others, after them, in
	// the order of their names (configs' Parser.LoadConfigDir).
	for _, path := range overrides {
		data, err := l.readHCL(path)
		if err != nil {
			return nil, err
		}
		if err := l.hclFile(mod, path, data, true); err != nil {
			return nil, err
		}
	}
	return mod, nil
}

// tfFileExt returns the extension that makes name a configuration file of
// Terraform or OpenTofu, or "": .tf and .tf.json, which both read, and
// .tofu and .tofu.json, which only OpenTofu reads. A module with .tofu
// files is written for OpenTofu, Terraform leaving them out; one without
// is read alike by both.
func tfFileExt(name string) string {
	for _, ext := range []string{".tf", ".tofu", ".tf.json", ".tofu.json"} {
		if strings.HasSuffix(name, ext) {
			return ext
		}
	}
	return ""
}

// isJSONSyntax reports whether the Terraform file name, holding data, is
// in Terraform's JSON syntax: by its name, as Terraform tells it, or, for
// a file named otherwise (standard input), by its first byte, as no file
// in HCL's native syntax starts with "{".
func isJSONSyntax(name string, data []byte) bool {
	if ext := tfFileExt(name); ext != "" {
		return strings.HasSuffix(ext, ".json")
	}
	c, _ := firstByte(data)
	return c == '{'
}

// isOverrideFile reports whether Terraform and OpenTofu read the file
// name as an override file: override.tf or a name ending in _override.tf,
// or the same with .tofu, .tf.json or .tofu.json.
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(name, tfFileExt(name))
	return base == "override" || strings.HasSuffix(base, "_override")
}

// mergeBlock returns the block Terraform makes of base and the block of
// an override file over it (configs' mergeBody): each argument of over
// replaces the one of base, and the nested blocks of over replace every
// block of their type in base, dynamic blocks that make it included, and
// come after the blocks of base that stay. The block is declared where
// base is.
func mergeBlock(base, over *hclsyntax.Block) *hclsyntax.Block {
	body := *base.Body
	body.Attributes = make(hclsyntax.Attributes, len(base.Body.Attributes)+len(over.Body.Attributes))
	for name, a := range base.Body.Attributes {
		body.Attributes[name] = a
	}
	for name, a := range over.Body.Attributes {
		body.Attributes[name] = a
	}
	kind := func(b *hclsyntax.Block) string {
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			return b.Labels[0]
		}
		return b.Type
	}
	replaced := map[string]bool{}
	for _, b := range over.Body.Blocks {
		replaced[kind(b)] = true
	}
	body.Blocks = nil
	for _, b := range base.Body.Blocks {
		if !replaced[kind(b)] {
			body.Blocks = append(body.Blocks, b)
		}
	}
	body.Blocks = append(body.Blocks, over.Body.Blocks...)
	merged := *base
	merged.Body = &body
	return &merged
}

// readHCL reads one Terraform file within the bounds on all of them.
func (l *loader) readHCL(path string) ([]byte, error) {
	if len(l.res.Files) >= maxTFFiles {
		return nil, &ParseError{Pos: Position{File: path}, Msg: "more than " + strconv.Itoa(maxTFFiles) + " Terraform files to read"}
	}
	data, err := readBounded(path, MaxHCLSize-l.read)
	if pe, ok := err.(*ParseError); ok {
		pe.Msg = "the Terraform files read for this input are larger than " + strconv.Itoa(MaxHCLSize) + " bytes together"
	}
	l.read += int64(len(data))
	return data, err
}

// hclFile parses one file and files its blocks into mod; the blocks of an
// override file are merged into those of the same type and labels, and
// one that overrides nothing is refused (see overridesNothing).
func (l *loader) hclFile(mod *tfModule, name string, data []byte, override bool) error {
	parse := l.parseHCL
	if isJSONSyntax(name, data) {
		parse = l.parseTFJSON
	}
	body, err := parse(name, data)
	if err != nil {
		return err
	}
	if what, line := terragruntMark(body); what != "" {
		return terragruntError(name, what, line)
	}
	if override && mod.byLabels == nil {
		mod.indexByLabels()
	}
	for _, b := range body.Blocks {
		var err error
		switch {
		case b.Type == "variable" && len(b.Labels) == 1:
			err = l.fileVariable(mod, b, override)
		case b.Type == "locals":
			err = l.fileLocals(mod, b, override)
		case b.Type == "terraform":
			if sub := remoteWorkspaces(b); sub != nil {
				mod.remote = l.pos(sub.TypeRange)
			}
		case b.Type == "module" && len(b.Labels) == 1:
			if override {
				err = l.overrideBlock(mod, mod.calls, b)
			} else {
				mod.calls = append(mod.calls, b)
			}
		case b.Type == "resource" && len(b.Labels) == 2 && corsResource(b.Labels[0]):
			if override {
				err = l.overrideBlock(mod, mod.resources, b)
			} else {
				mod.resources = append(mod.resources, b)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// indexByLabels fills mod.byLabels, where the first resource and module
// call of each type and labels is, once the primary files are read and
// before the first override file is merged into them.
func (mod *tfModule) indexByLabels() {
	mod.byLabels = map[string]int{}
	for _, blocks := range [][]*hclsyntax.Block{mod.resources, mod.calls} {
		for i, b := range blocks {
			if k := blockKey(b); !hasKey(mod.byLabels, k) {
				mod.byLabels[k] = i // Terraform refuses a second one
			}
		}
	}
}

// fileVariable files a variable block into mod, merged into the variable
// it overrides in an override file.
func (l *loader) fileVariable(mod *tfModule, b *hclsyntax.Block, override bool) error {
	if base := mod.variables[b.Labels[0]]; override && base != nil {
		if err := l.spendMerge(base, b); err != nil {
			return err
		}
		b = mergeBlock(base, b)
	} else if override {
		return l.overridesNothing(b.TypeRange, "Missing base variable declaration to override",
			fmt.Sprintf("There is no variable named %q. An override file can only override a variable that was already declared in a primary configuration file.", b.Labels[0]))
	}
	mod.variables[b.Labels[0]] = b
	return nil
}

// fileLocals files the local values of a locals block into mod; in an
// override file each replaces the local value of its name, which must
// be defined already.
func (l *loader) fileLocals(mod *tfModule, b *hclsyntax.Block, override bool) error {
	for _, a := range sortedAttributes(b.Body) {
		if override && !hasKey(mod.locals, a.Name) {
			if err := l.overridesNothing(a.NameRange, "Missing base local value definition to override",
				fmt.Sprintf("There is no local value named %q. An override file can only override a local value that was already defined in a primary configuration file.", a.Name)); err != nil {
				return err
			}
			continue
		}
		mod.locals[a.Name] = a
	}
	return nil
}

// spendMerge counts merging b into base as steps, one and one per
// argument and block it copies: an override file of a block overriding
// one block over and over, adding to it each time, copies the square of
// its size.
func (l *loader) spendMerge(base, b *hclsyntax.Block) error {
	n := 1 + len(base.Body.Attributes) + len(base.Body.Blocks) + len(b.Body.Attributes) + len(b.Body.Blocks)
	if l.steps += n; l.steps > maxSteps {
		return &ParseError{Pos: l.pos(b.TypeRange), Msg: "merging the blocks of override files takes more than " + strconv.Itoa(maxSteps) +
			" steps: they override one block too many times"}
	}
	return nil
}

// overrideBlock merges the module call or resource b of an override file
// into the block of blocks (mod.calls or mod.resources) with its type
// and labels, noting the file in mod.overriddenIn; a block that
// overrides nothing is refused, as Terraform refuses it.
func (l *loader) overrideBlock(mod *tfModule, blocks []*hclsyntax.Block, b *hclsyntax.Block) error {
	k := blockKey(b)
	i, ok := mod.byLabels[k]
	if !ok {
		if b.Type == "module" {
			return l.overridesNothing(b.TypeRange, "Missing module call to override",
				fmt.Sprintf("There is no module call named %q. An override file can only override a module call that was defined in a primary configuration file.", b.Labels[0]))
		}
		return l.overridesNothing(b.TypeRange, "Missing resource to override",
			fmt.Sprintf("There is no %s resource named %q. An override file can only override a resource block defined in a primary configuration file.", b.Labels[0], b.Labels[1]))
	}
	if err := l.spendMerge(blocks[i], b); err != nil {
		return err
	}
	blocks[i] = mergeBlock(blocks[i], b)
	if mod.overriddenIn == nil {
		mod.overriddenIn = map[string][]string{}
	}
	// Override files are read one after the other.
	if files := mod.overriddenIn[k]; len(files) == 0 || files[len(files)-1] != b.TypeRange.Filename {
		mod.overriddenIn[k] = append(files, b.TypeRange.Filename)
	}
	return nil
}

// overridesNothing returns Terraform's refusal of a block of an override
// file, written at r, that overrides no block of the primary files of
// its module (configs' Module.mergeFile: summary and detail are its words):
// Terraform refuses the whole configuration, as it refuses a file that
// does not parse. Only the primary files' blocks are bases: override
// files are merged into them one after the other, and a block refused
// is not added.
func (l *loader) overridesNothing(r hcl.Range, summary, detail string) error {
	return &ParseError{Pos: l.pos(r), Msg: "Terraform refuses this override file: " + summary + ": " + detail}
}

// parseHCL parses one Terraform file, refusing first a nesting deep
// enough to exhaust HCL's recursion, and reports HCL's first error at
// its position.
func (l *loader) parseHCL(name string, data []byte) (*hclsyntax.Body, error) {
	src := l.list(newHCLSource(name, data))
	if err := hclDepth(src); err != nil {
		return nil, err
	}
	f, diags := hclsyntax.ParseConfig(data, name, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				pe := &ParseError{Pos: Position{File: name}, Msg: "HCL: " + d.Summary}
				if d.Detail != "" {
					pe.Msg += ": " + d.Detail
				}
				if d.Subject != nil {
					pe.Pos = src.pos(d.Subject.Start.Byte)
				}
				return nil, pe
			}
		}
	}
	return f.Body.(*hclsyntax.Body), nil
}

// Bounds on HCL's nesting. HCL's parser recurses once or more per level
// of brackets, per unary operator and per conditional, with no bound of
// its own: 100,000 "[" overflow Go's stack, which ends the process. The
// file is lexed first (HCL's lexer does not recurse) and refused past
// these bounds, far beyond what configurations write.
const (
	maxHCLDepth     = 1000  // nested brackets, braces, parentheses, strings and interpolations
	maxHCLRecursion = 10000 // conditionals, and unary operators in a row
)

// hclDepth refuses a file that nests past the bounds. It scans the text
// once, in constant memory per level (HCL's own lexer keeps every token,
// hundreds of bytes each): comments, quoted strings, heredocs and the
// interpolations inside them are told apart from brackets in code.
func hclDepth(src *source) error {
	n := &hclNesting{src: src, data: src.data}
	for i := 0; i < len(n.data); i++ {
		var err error
		if t := n.top(); t == '"' || t == 'h' {
			i, err = n.inText(i)
		} else {
			i, err = n.inCode(i)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hclNesting is hclDepth's state while it scans a file: what is open at
// the byte it has reached, and the counts HCL's parser recurses on.
type hclNesting struct {
	src  *source
	data []byte
	// stack holds the open contexts: '{', '[' and '(' in code, '"' a
	// quoted string, 'h' a heredoc, 'i' an interpolation or directive.
	stack     []byte
	markers   []string // heredoc end markers, innermost last
	questions int      // conditionals in the file
	unary     int      // unary operators in a row
}

// fail is the error for a file that nests past the bounds at off.
func (n *hclNesting) fail(off int) error {
	return &ParseError{Pos: n.src.pos(off), Msg: "HCL: the file nests expressions deeper than this reader allows (" +
		strconv.Itoa(maxHCLDepth) + " levels of brackets, strings and interpolations, " + strconv.Itoa(maxHCLRecursion) + " conditionals or unary operators)"}
}

// push opens the context c at off, refusing one level too many.
func (n *hclNesting) push(c byte, off int) error {
	if n.stack = append(n.stack, c); len(n.stack) > maxHCLDepth {
		return n.fail(off)
	}
	return nil
}

// top is the innermost open context, or 0 at the top level.
func (n *hclNesting) top() byte {
	if len(n.stack) == 0 {
		return 0
	}
	return n.stack[len(n.stack)-1]
}

// inText scans the byte at i inside a quoted string or a heredoc, where
// brackets are text: only escapes, the string's end, an interpolation
// or directive, and a heredoc's end marker count. It returns the index
// of the last byte it read.
func (n *hclNesting) inText(i int) (int, error) {
	data, c := n.data, n.data[i]
	switch {
	case c == '\\' && n.top() == '"':
		i++
	case c == '"' && n.top() == '"':
		n.stack = n.stack[:len(n.stack)-1]
	case (c == '$' || c == '%') && i+2 < len(data) && data[i+1] == c && data[i+2] == '{':
		i += 2 // $${ and %%{ are literal
	case (c == '$' || c == '%') && i+1 < len(data) && data[i+1] == '{':
		i++
		if err := n.push('i', i); err != nil {
			return i, err
		}
	case c == '\n' && n.top() == 'h':
		j := bytes.IndexByte(data[i+1:], '\n')
		if j < 0 {
			j = len(data) - i - 1
		}
		if strings.TrimSpace(string(data[i+1:i+1+j])) == n.markers[len(n.markers)-1] {
			n.stack, n.markers = n.stack[:len(n.stack)-1], n.markers[:len(n.markers)-1]
			i += j
		}
	}
	return i, nil
}

// inCode scans the byte at i in code (or in an interpolation): it skips
// comments, opens strings, heredocs and brackets, closes brackets, and
// counts conditionals and unary operators. It returns the index of the
// last byte it read.
func (n *hclNesting) inCode(i int) (int, error) {
	data, c := n.data, n.data[i]
	if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
		if c == '!' || c == '-' {
			if n.unary++; n.unary > maxHCLRecursion {
				return i, n.fail(i)
			}
		} else {
			n.unary = 0
		}
	}
	switch {
	case c == '#' || c == '/' && i+1 < len(data) && data[i+1] == '/':
		for i < len(data) && data[i] != '\n' {
			i++
		}
	case c == '/' && i+1 < len(data) && data[i+1] == '*':
		if j := bytes.Index(data[i+2:], []byte("*/")); j >= 0 {
			i += j + 3
		} else {
			i = len(data)
		}
	case c == '"':
		if err := n.push('"', i); err != nil {
			return i, err
		}
	case c == '<' && i+1 < len(data) && data[i+1] == '<':
		return n.heredoc(i)
	case c == '{' || c == '[' || c == '(':
		if err := n.push(c, i); err != nil {
			return i, err
		}
	case c == '}' || c == ']' || c == ')':
		if len(n.stack) > 0 {
			n.stack = n.stack[:len(n.stack)-1]
		}
	case c == '?':
		if n.questions++; n.questions > maxHCLRecursion {
			return i, n.fail(i)
		}
	}
	return i, nil
}

// heredoc reads the << at i: when a heredoc's marker and a line end
// follow, it opens the heredoc and returns the index before the line
// end; otherwise << is an operator's text and nothing opens.
func (n *hclNesting) heredoc(i int) (int, error) {
	data := n.data
	j := i + 2
	if j < len(data) && data[j] == '-' {
		j++
	}
	k := j
	for k < len(data) && (data[k] == '_' || data[k] >= 'A' && data[k] <= 'Z' || data[k] >= 'a' && data[k] <= 'z' || data[k] >= '0' && data[k] <= '9') {
		k++
	}
	if k > j && k < len(data) && (data[k] == '\n' || data[k] == '\r') {
		n.markers = append(n.markers, string(data[j:k]))
		if err := n.push('h', i); err != nil {
			return i, err
		}
		i = k - 1
	}
	return i, nil
}

// readTFVars reads terraform.tfvars and *.auto.tfvars of the root module,
// then the files and values opts gives, in the order Terraform reads them
// (a later value wins).
func (l *loader) readTFVars(dir string, root *tfInstance, opts Options) error {
	// Terraform's order, a later value of a variable winning:
	// terraform.tfvars, terraform.tfvars.json, then the *.auto.tfvars and
	// *.auto.tfvars.json files together in the lexical order of their
	// names.
	auto, _ := filepath.Glob(filepath.Join(dir, "*.auto.tfvars"))
	autoJSON, _ := filepath.Glob(filepath.Join(dir, "*.auto.tfvars.json"))
	auto = append(auto, autoJSON...)
	slices.Sort(auto)
	var names []string
	for _, name := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			names = append(names, filepath.Join(dir, name))
		}
	}
	names = append(names, auto...)
	root.tfvars = map[string]*val{}
	l.varsGiven = len(opts.VarFiles) > 0 || len(opts.Vars) > 0
	l.tfWorkspace = opts.Workspace
	if err := l.readVarFiles(root, append(names, opts.VarFiles...), len(names)); err != nil {
		return err
	}
	return l.readVars(root, opts.Vars)
}

// readVarFiles reads variable definitions files (.tfvars, .tfvars.json)
// into root's values, in order, a later value winning. The first auto
// names are the module's own (terraform.tfvars, *.auto.tfvars), whose
// mistakes are the configuration's: a [*ParseError]. The others are
// given (Options.VarFiles), as arguments of terraform plan -var-file are,
// and one that cannot be read as variable definitions (missing, not
// well-formed, past the bound) is an error of the arguments, which names
// the file and is no ParseError.
func (l *loader) readVarFiles(root *tfInstance, names []string, auto int) error {
	for i, path := range names {
		err := l.readVarFile(root, path)
		switch {
		case err == nil:
			continue
		case i < auto:
			return err
		}
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			return fmt.Errorf("variable definitions file %s: %v", path, pe.Err)
		}
		if pe, ok := errors.AsType[*ParseError](err); ok && pe.Pos.File == path {
			return fmt.Errorf("variable definitions file %s", pe.Error())
		}
		return fmt.Errorf("variable definitions file %s: %v", path, err)
	}
	return nil
}

// readVarFile reads the variable definitions file path into root's
// values.
func (l *loader) readVarFile(root *tfInstance, path string) error {
	empty := &tfScope{inst: root}
	data, err := l.readHCL(path)
	if err != nil {
		return err
	}
	from := "the value of %s in " + filepath.Base(path)
	if strings.HasSuffix(path, ".json") {
		vars, err := parseJSON(l.source(path, data))
		if err != nil {
			return err
		}
		if vars.kind != nMap {
			return &ParseError{Pos: vars.pos(), Msg: "a .tfvars.json file holds an object of variable values, not " + vars.describe()}
		}
		for i, k := range vars.keys {
			l.noteUndeclared(root, k.text, k.pos(), path)
			root.tfvars[k.text] = inKeyOrderDeep(planVal(vars.items[i], nil, k.text)).via(Position{}, fmt.Sprintf(from, k.text))
		}
		return nil
	}
	body, err := l.parseHCL(path, data)
	if err != nil {
		return err
	}
	for _, a := range sortedAttributes(body) {
		// terraform plan evaluates each value without variables or
		// functions (Value(nil)), and refuses the file when that fails:
		// "Variables not allowed", "Function calls not allowed".
		if _, diags := a.Expr.Value(nil); diags.HasErrors() {
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				pe := &ParseError{Pos: Position{File: path}, Msg: d.Summary}
				if d.Detail != "" {
					pe.Msg += ": " + d.Detail
				}
				if d.Subject != nil {
					pe.Pos = l.sources[path].pos(d.Subject.Start.Byte)
				}
				return pe
			}
		}
		l.noteUndeclared(root, a.Name, l.sources[path].pos(a.NameRange.Start.Byte), path)
		root.tfvars[a.Name] = empty.eval(a.Expr).via(Position{}, fmt.Sprintf(from, a.Name))
	}
	return nil
}

// noteUndeclared notes a value for variable name, at pos in the variable
// definitions file path, that the root module does not declare: terraform
// plan warns ("Value for undeclared variable") and goes on without it,
// where it refuses one given as -var (readVars).
func (l *loader) noteUndeclared(root *tfInstance, name string, pos Position, path string) {
	if root.mod.variables[name] != nil {
		return
	}
	l.res.Notes = append(l.res.Notes, Note{Pos: pos, EveryBucket: true, Text: "the root module does not declare a variable named " + strconv.Quote(name) +
		" but a value was found in file " + strconv.Quote(filepath.Base(path)) + ": terraform plan warns (\"Value for undeclared variable\") and ignores the value"})
}

// readVars reads variable values given as NAME=VALUE into root's values,
// a later value winning, as terraform plan reads -var: VALUE is the
// string itself for a variable of a primitive type (string, number,
// bool, converted to it) or without a type, and otherwise an expression
// of literals (no reference, no function). Written in no file, the values are located where the
// configuration refers to them.
func (l *loader) readVars(root *tfInstance, vars []string) error {
	for _, nv := range vars {
		name, value, ok := strings.Cut(nv, "=")
		name = strings.TrimSpace(name)
		if !ok || !hclsyntax.ValidIdentifier(name) {
			return fmt.Errorf("variable value %q is not NAME=VALUE, with NAME a variable's name", nv)
		}
		via := "the value of " + name + " given as " + name + "=..."
		decl := root.mod.variables[name]
		if decl == nil {
			// terraform plan: "Value for undeclared variable".
			return fmt.Errorf("a value is given for variable %s, which the root module does not declare", name)
		}
		if t := typeAttr(decl); t == nil || slices.Contains([]string{"string", "number", "bool"}, hcl.ExprAsKeyword(t.Expr)) {
			// Terraform parses a primitive type's value as a literal,
			// then converts it to the type.
			root.tfvars[name] = (&val{kind: vString, s: value}).via(Position{}, via)
			continue
		}
		if len(value) > maxValueLen {
			return fmt.Errorf("the value of variable %s is longer than %d bytes", name, maxValueLen)
		}
		expr, diags := hclsyntax.ParseExpression([]byte(value), name, hcl.InitialPos)
		if !diags.HasErrors() {
			var c cty.Value
			if c, diags = expr.Value(nil); !diags.HasErrors() {
				root.tfvars[name] = ctyVal(c, Origin{}).via(Position{}, via)
				continue
			}
		}
		msg := diags[0].Summary
		if diags[0].Detail != "" {
			msg += ": " + diags[0].Detail
		}
		return fmt.Errorf("the value of variable %s, %q: %s", name, value, msg)
	}
	return nil
}

// inKeyOrderDeep is inKeyOrder for v and every map within it.
func inKeyOrderDeep(v *val) *val {
	for _, e := range v.list {
		inKeyOrderDeep(e)
	}
	for _, e := range v.fields {
		inKeyOrderDeep(e)
	}
	if v.kind == vMap {
		inKeyOrder(v)
	}
	return v
}

func sortedAttributes(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := make([]*hclsyntax.Attribute, 0, len(body.Attributes))
	for _, a := range body.Attributes {
		attrs = append(attrs, a)
	}
	slices.SortFunc(attrs, func(a, b *hclsyntax.Attribute) int { return a.SrcRange.Start.Byte - b.SrcRange.Start.Byte })
	return attrs
}

// pos returns where r starts.
func (l *loader) pos(r hcl.Range) Position {
	if src := l.sources[r.Filename]; src != nil {
		return src.pos(r.Start.Byte)
	}
	return Position{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
}

// instantiate reads the buckets of a module instance and of the modules
// it calls. When file is not "", only the resources and module calls
// written in file, or that an override file named file overrides, are
// read.
func (l *loader) instantiate(inst *tfInstance, file string) {
	in := func(b *hclsyntax.Block) bool {
		return file == "" || b.TypeRange.Filename == file || slices.Contains(inst.mod.overriddenIn[blockKey(b)], file)
	}
	for _, b := range inst.mod.resources {
		if in(b) {
			l.resource(inst, b)
		}
	}
	for _, call := range inst.mod.calls {
		if in(call) {
			l.call(inst, call)
		}
	}
}

// expand calls f once per instance of a block with count or for_each, with
// the address suffix and the scope that binds count or each. Each instance
// costs a step: instances of modules called by modules would otherwise
// cost the product of their counts, whatever they evaluate.
func (l *loader) expand(inst *tfInstance, b *hclsyntax.Block, addr string, f func(addr string, s *tfScope)) {
	s := &tfScope{inst: inst}
	if a := b.Body.Attributes["for_each"]; a != nil {
		l.expandForEach(s, b, a, addr, f)
		return
	}
	if a := b.Body.Attributes["count"]; a != nil {
		l.expandCount(s, b, a, addr, f)
		return
	}
	f(addr, s)
}

// evalExpand evaluates a block's count or for_each, e, in s, keeping the
// notes it makes for the buckets of the instances (see
// tfScope.expandNotes): no bucket is being read yet.
func (s *tfScope) evalExpand(e hclsyntax.Expression) *val {
	v, notes := s.inst.l.remember(func() *val { return s.eval(e) })
	s.expandNotes = notes
	return v
}

// replayExpandNotes makes again, on the bucket being read in inst with
// the scope s, the notes of the count or for_each of its resource and of
// the module calls around it, those it has not made already.
func (l *loader) replayExpandNotes(inst *tfInstance, s *tfScope) {
	for c := inst.caller; c != nil; c = c.inst.caller {
		l.replay(c.expandNotes)
	}
	l.replay(s.expandNotes)
}

// refuseInstances reads a block whose count or for_each (name, at a)
// Terraform refuses (Invalid count or for_each argument), which deploys
// nothing: once, name not known, and every bucket it makes carries the
// refusal, first, as Terraform meets it before the provider sees the
// rules.
func (l *loader) refuseInstances(s *tfScope, addr, name string, a *hclsyntax.Attribute, message, hint string, f func(addr string, s *tfScope)) {
	n := len(l.res.Buckets)
	f(addr+"[*]", s.with(name, unknownVal(l.pos(a.Expr.Range()), name, a.Name+" is refused")))
	e := TemplateError{Pos: l.pos(a.Expr.Range()), Code: CodeWrongType, Message: message, Hint: hint}
	for _, bk := range l.res.Buckets[n:] {
		bk.Errors = append([]TemplateError{e}, bk.Errors...)
	}
}

// expandForEach is expand for a block with for_each (a): an instance for
// each key of a map or element of a set, bound to each; one instance
// whose each is not known when for_each, or an element of its set, is
// not known here.
func (l *loader) expandForEach(s *tfScope, b *hclsyntax.Block, a *hclsyntax.Attribute, addr string, f func(addr string, s *tfScope)) {
	at := l.pos(b.TypeRange)
	v := s.evalExpand(a.Expr)
	if what := forEachRefused(v); what != "" {
		l.refuseInstances(s, addr, "each", a, "Terraform refuses for_each of "+what+": it must be a map, or a set of strings",
			"write toset(...) around a list of strings, or declare the variable set(string)", f)
		return
	}
	if l.sensitiveKey(v) {
		l.refuseInstances(s, addr, "each", a, "Terraform refuses for_each of a sensitive value: sensitive values, or values derived from them, cannot be for_each arguments, as an instance key would show them",
			"key for_each by values that are not sensitive: a bucket's name is no secret, so its variable needs no sensitive = true", f)
		return
	}
	if v.kind != vList && v.kind != vMap {
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": for_each is not known here (" + v.why + "); each.key and each.value are judged as unknown"})
		f(addr+"[*]", s.with("each", unknownVal(l.pos(a.Expr.Range()), "each", "for_each is not known")))
		return
	}
	var unknownKey *val // the first element of a set not known here
	keys := instanceKeys(v)
	for i, key := range keys {
		if i == maxInstances {
			l.moreInstances(s, at, addr, "for_each", "each", int64(len(keys)), f)
			break
		}
		if !l.spendAt(at) {
			break
		}
		var value *val
		if v.kind == vMap {
			value = v.fields[i]
		} else {
			value = v.list[i]
		}
		if v.kind == vList && value.kind == vUnknown {
			// The element is its instance's key: neither
			// is known, and the instance's address is not.
			if unknownKey == nil {
				unknownKey = value
			}
			continue
		}
		each := &val{kind: vMap, keys: []string{"key", "value"},
			fields: []*val{{kind: vString, s: key, org: value.org}, value}}
		f(addr+"["+strconv.Quote(key)+"]", s.with("each", each))
	}
	if unknownKey != nil {
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": an element of for_each is not known here (" + unknownKey.why +
			"); the instances it makes are judged with each.key and each.value unknown"})
		f(addr+"[*]", s.with("each", unknownVal(unknownKey.org.Pos, "each", "an element of for_each is not known")))
	}
}

// expandCount is expand for a block with count (a): an instance for each
// index below it, bound to count; one instance whose count.index is not
// known when count is not known here.
func (l *loader) expandCount(s *tfScope, b *hclsyntax.Block, a *hclsyntax.Attribute, addr string, f func(addr string, s *tfScope)) {
	at := l.pos(b.TypeRange)
	v := s.evalExpand(a.Expr)
	if what := countRefused(v); what != "" {
		l.refuseInstances(s, addr, "count", a, "Terraform refuses count of "+what+": it must be a whole number, zero or more", "", f)
		return
	}
	n, ok := wholeNumber(v.s)
	if !v.isScalar() || !ok || n < 0 {
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": count is not known here; count.index is judged as unknown"})
		f(addr+"[*]", s.with("count", unknownVal(l.pos(a.Expr.Range()), "count", "count is not known")))
		return
	}
	for i := range min(n, maxInstances) {
		if !l.spendAt(at) {
			return
		}
		idx := &val{kind: vMap, keys: []string{"index"}, fields: []*val{{kind: vNumber, s: strconv.FormatInt(i, 10), org: v.org}}}
		f(addr+"["+strconv.FormatInt(i, 10)+"]", s.with("count", idx))
	}
	if n > maxInstances {
		l.moreInstances(s, at, addr, "count", "count", n, f)
	}
}

// moreInstances reads the instances of a block past the first
// maxInstances of the n its count or for_each (arg) makes as one,
// addr[*], its name (count or each) not known, as for a count not known,
// with a note: past the first they were left out without a word, and
// validate judged count = 1001 valid whatever its last instance held
// (audit13). A value that depends on the instance is not judged; the
// others are the same in every instance.
func (l *loader) moreInstances(s *tfScope, at Position, addr, arg, name string, n int64, f func(addr string, s *tfScope)) {
	names := map[string]string{"count": "count.index", "each": "each.key and each.value"}[name]
	l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: fmt.Sprintf("%s: %s makes %d instances; past the first %d, they are judged as one, %s[*], with %s unknown",
		addr, arg, n, maxInstances, addr, names)})
	why := fmt.Sprintf("%s makes %d instances, and those past the first %d are not judged one by one", arg, n, maxInstances)
	f(addr+"[*]", s.with(name, unknownVal(at, name, why)))
}

// forEachRefused says what the value of a resource's or a module's
// for_each is when Terraform refuses it ("the "for_each" argument must be
// a map, or set of strings"): null, a scalar, a list or tuple (a set of
// strings is written toset(...) or declared set(string)), or a set of
// values none of which is a string, which Terraform does not turn into
// strings; or "" when Terraform takes it or it is not known.
func forEachRefused(v *val) string {
	switch {
	case v.kind == vNull || v.isScalar():
		return v.kind.describe()
	case v.kind == vList && !v.set:
		return "a list"
	case v.kind == vList:
		str := len(v.list) == 0
		for _, e := range v.list {
			switch e.kind {
			case vUnknown:
				return ""
			case vNull:
				return "a set that holds null"
			case vString:
				str = true
			}
		}
		if !str {
			return "a set of " + v.list[0].kind.describe()[2:] + "s"
		}
	}
	return ""
}

// countRefused says what the value of a resource's or a module's count
// is when Terraform refuses it (Invalid count argument): null, a value
// that does not convert to a number, a fraction or a negative number; or
// "" when Terraform takes it or it is not known.
func countRefused(v *val) string {
	switch v.kind {
	case vNull, vBool, vList, vMap:
		return v.kind.describe()
	case vString, vNumber:
		// No space around the number: cty refuses " 2" (terraform plan
		// 1.11.4: "Incorrect value type: a number is required").
		f, _, err := big.ParseFloat(v.s, 10, 256, big.ToNearestEven)
		switch {
		case err != nil:
			return strconv.Quote(v.s)
		case !f.IsInt() || f.Sign() < 0:
			return v.s
		}
	}
	return ""
}

// instanceKeys returns the keys for_each gives: a map's keys, or a set's
// strings (Terraform's for_each takes a set of strings).
func instanceKeys(v *val) []string {
	if v.kind == vMap {
		return v.keys
	}
	var keys []string
	for _, e := range v.list {
		keys = append(keys, e.s)
	}
	return keys
}

// call reads a module call of inst: the module its source names, local
// or installed by terraform init, instantiated once per instance of the
// call with the call's arguments; a module not read is noted.
func (l *loader) call(inst *tfInstance, call *hclsyntax.Block) {
	name := call.Labels[0]
	addr := "module." + name
	key := name
	if inst.addr != "" {
		addr = inst.addr + "." + addr
		key = inst.key + "." + name
	}
	at := l.pos(call.TypeRange)
	source := moduleSource(inst, call)
	local := strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../")
	dir, ok := l.moduleDir(inst, addr, key, source, local, at)
	if !ok {
		return
	}
	if inst.within(dir) {
		// Modules that call each other (a calls ../b, b calls ../a)
		// were read 16 deep, each a copy of the buckets, and judged
		// valid, where terraform init fails (audit13).
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": its source " + dir + " is one of the modules that contain it; not read again"})
		return
	}
	mod, ok := l.calledModule(dir, addr, local, at)
	if !ok {
		return
	}
	args := moduleArgs(call)
	l.expand(inst, call, addr, func(addr string, s *tfScope) {
		child := l.instance(mod, addr, inst.depth+1)
		child.key = key
		child.args, child.caller = args, s
		l.instantiate(child, "")
	})
}

// within reports whether dir is the directory of inst's module or of one
// of the modules that call it, directly or not.
func (inst *tfInstance) within(dir string) bool {
	abs, _ := filepath.Abs(dir)
	for c := inst; c != nil; c = c.caller.inst {
		if d, err := filepath.Abs(c.mod.dir); c.mod.dir != "" && err == nil && d == abs {
			return true
		}
		if c.caller == nil {
			return false
		}
	}
	return false
}

// moduleSource is the source argument of a module call, evaluated in
// inst, or "" when it is missing or not a known string.
func moduleSource(inst *tfInstance, call *hclsyntax.Block) string {
	var source string
	if src := call.Body.Attributes["source"]; src != nil {
		if v := (&tfScope{inst: inst}).eval(src.Expr); v.kind == vString {
			source = v.s
		}
	}
	return source
}

// moduleDir is the directory the module call at addr (key, its path of
// call names) reads, a local one or where terraform init installed it;
// false, with a note why, when it is not read.
func (l *loader) moduleDir(inst *tfInstance, addr, key, source string, local bool, at Position) (string, bool) {
	switch {
	case local && inst.mod.dir == "" || !local && l.tfRoot == "":
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": module source " + strconv.Quote(source) + " is relative to a directory, and standard input has none; it was not read"})
		return "", false
	case inst.depth >= maxModuleDepth:
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": modules nested more than " + strconv.Itoa(maxModuleDepth) + " deep are not read"})
		return "", false
	}
	if local {
		return filepath.Join(inst.mod.dir, filepath.FromSlash(source)), true
	}
	return l.installedModuleDir(addr, key, source, at)
}

// installedModuleDir is moduleDir for a source that is not local:
// Terraform reads such a module from where terraform init installed it,
// as its manifest records by the module's path of call names
// (configload's moduleWalkerLoad). Either way it notes what it found.
func (l *loader) installedModuleDir(addr, key, source string, at Position) (string, bool) {
	rec, why := l.installed(l.tfRoot, key)
	if why != "" {
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": module source " + strconv.Quote(source) + " is not a local directory and was not read: " + why})
		return "", false
	}
	if want, ok := registrySource(source); ok && !strings.EqualFold(want, rec.source) {
		// Terraform refuses to plan ("Module source has changed"):
		// the installed files are another module's.
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": module source " + strconv.Quote(source) + " was not read: terraform init installed " +
			strconv.Quote(rec.source) + " for it, and Terraform refuses the change until terraform init is run again"})
		return "", false
	}
	dir := installedDir(l.tfRoot, rec)
	installed := rec.source
	if rec.version != "" {
		installed += " " + rec.version
	}
	l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: addr + ": module source " + strconv.Quote(source) + " is read from " + dir + ", where terraform init installed " + installed})
	return dir, true
}

// calledModule reads the module in dir for the call at addr: false when
// it is not read, a parse error kept in l.err (the first one) and any
// other error noted.
func (l *loader) calledModule(dir, addr string, local bool, at Position) (*tfModule, bool) {
	mod, err := l.module(dir)
	if err != nil {
		if pe, ok := err.(*ParseError); ok && l.err == nil {
			l.err = pe
			return nil, false
		}
		text := addr + ": " + err.Error()
		if !local {
			text += " (run terraform init to install it again)"
		}
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: text})
		return nil, false
	}
	return mod, true
}

// moduleArgs are the arguments of a module call that set the module's
// variables: all but the meta-arguments Terraform reads itself.
func moduleArgs(call *hclsyntax.Block) map[string]*hclsyntax.Attribute {
	args := map[string]*hclsyntax.Attribute{}
	for n, a := range call.Body.Attributes {
		switch n {
		case "source", "version", "count", "for_each", "providers", "depends_on":
		default:
			args[n] = a
		}
	}
	return args
}

// resource reads one aws_s3_bucket_cors_configuration, or the inline
// cors_rule blocks of one aws_s3_bucket: one bucket for each instance
// its count or for_each makes, or a note when it makes none.
func (l *loader) resource(inst *tfInstance, block *hclsyntax.Block) {
	typ, name := block.Labels[0], block.Labels[1]
	d := tfConfigDialect
	if typ == "aws_s3_bucket" {
		d = tfInlineDialect
		if !hasCORSRule(block.Body) && block.Body.Attributes["cors_rule"] == nil {
			return
		}
	}
	addr := typ + "." + name
	if inst.addr != "" {
		addr = inst.addr + "." + addr
	}
	made := false
	defer func() {
		if !made {
			l.noteNoInstance(block, addr)
		}
	}()
	l.expand(inst, block, addr, func(addr string, s *tfScope) {
		made = true
		l.resourceInstance(inst, s, block, addr, d)
	})
}

// noteNoInstance notes a resource whose count is 0 or whose for_each is
// empty, with the values read: Terraform makes no instance, and there is
// nothing to judge, which the reader should hear rather than "no bucket
// CORS configuration" (a module's guard, count =
// length(var.cors_rules) > 0 ? 1 : 0, with the default []).
func (l *loader) noteNoInstance(block *hclsyntax.Block, addr string) {
	for _, name := range []string{"for_each", "count"} {
		if a := block.Body.Attributes[name]; a != nil {
			what := "its count is 0"
			if name == "for_each" {
				what = "its for_each is empty"
			}
			l.res.Notes = append(l.res.Notes, Note{Pos: l.pos(a.Expr.Range()), Text: addr + ": " + what +
				" with the values read (variables' defaults, .tfvars, --var), so Terraform makes no instance of it: not judged"})
			return
		}
	}
}

// resourceInstance reads one instance of a resource, at addr, with s its
// scope (each.key, count.index): its rules, what Terraform refuses in
// them, and the bucket it names, added to l.res.Buckets unless the
// instance makes no configuration.
func (l *loader) resourceInstance(inst *tfInstance, s *tfScope, block *hclsyntax.Block, addr string, d *dialect) {
	typ := block.Labels[0]
	b := &Bucket{Resource: addr, Type: typ, Pos: l.pos(block.TypeRange)}
	l.tfNotes.bucket, l.tfNotes.noted = b, map[string]bool{}
	bl := newBuilder(b, d)
	if a := block.Body.Attributes["cors_rule"]; a != nil {
		// Terraform refuses it: "Unsupported argument; An
		// argument named "cors_rule" is not expected here. Did
		// you mean to define a block of type "cors_rule"?"
		b.Errors = append(b.Errors, TemplateError{Pos: l.pos(a.NameRange), Code: CodeWrongType,
			Message: "Terraform refuses cors_rule as an argument: it is a block type",
			Hint:    `write a cors_rule { ... } block for each rule, or a dynamic "cors_rule" block over the list`})
	}
	blocks, tooMany := l.ruleBlocks(s, block, b, bl)
	// After the rules, so that a variable they read too is noted where
	// they read it; listed first, as count and for_each are written.
	before := len(b.Notes)
	l.replayExpandNotes(inst, s)
	b.Notes = slices.Concat(b.Notes[before:], b.Notes[:before])
	if !l.checkRuleBlocks(b, addr, blocks, tooMany) {
		return
	}
	noteSetOrder(b, "as written", "the written order")
	l.tfNotes.bucket = nil
	b.targets = l.targets(inst, s, block, addr)
	if typ == "aws_s3_bucket_cors_configuration" {
		b.TerraformBucket = l.bucketArgument(block)
		if a := block.Body.Attributes["bucket"]; a != nil && b.TerraformBucket != "" {
			l.instanceBucket(b, s, a)
		}
	}
	l.res.Buckets = append(l.res.Buckets, b)
}

// ruleBlocks reads the cors_rule blocks of a resource instance into bl,
// written ones and those dynamic blocks make, in the order written. It
// returns how many blocks there are, which Terraform limits, and where
// the first block past tfMaxRules is written.
func (l *loader) ruleBlocks(s *tfScope, block *hclsyntax.Block, b *Bucket, bl *builder) (blocks int, tooMany Position) {
	for _, sub := range block.Body.Blocks {
		before := blocks
		switch {
		case sub.Type == "cors_rule":
			if !b.RulesPos.IsValid() {
				b.RulesPos = l.pos(sub.TypeRange)
			}
			blocks++
			bl.rule(s.bodyVal(sub.Body, l.pos(sub.TypeRange)), "")
		case sub.Type == "dynamic" && len(sub.Labels) == 1 && sub.Labels[0] == "cors_rule":
			if !b.RulesPos.IsValid() {
				b.RulesPos = l.pos(sub.TypeRange)
			}
			blocks += l.dynamic(s, sub, bl)
		}
		if before <= tfMaxRules && blocks > tfMaxRules {
			tooMany = l.pos(sub.TypeRange)
		}
	}
	return blocks, tooMany
}

// checkRuleBlocks judges the number of cors_rule blocks of b as Terraform
// and the AWS provider do: too many, or none, which the two resource
// types treat differently. It returns false when the instance makes no
// CORS configuration at all (an aws_s3_bucket whose dynamic blocks make
// no rule), having noted so; b is then not a bucket to judge.
func (l *loader) checkRuleBlocks(b *Bucket, addr string, blocks int, tooMany Position) bool {
	typ := b.Type
	if typ == "aws_s3_bucket_cors_configuration" && blocks > tfMaxRules {
		// The provider's schema gives cors_rule MaxItems: 100, which
		// Terraform checks on the blocks written, before a set
		// merges those that are the same (hcldec's BlockSetSpec).
		b.Errors = append(b.Errors, TemplateError{Pos: tooMany, Code: CodeOutOfRange,
			Message: "Terraform refuses " + strconv.Itoa(blocks) + ` cors_rule blocks: "Too many cors_rule blocks: No more than ` +
				strconv.Itoa(tfMaxRules) + ` \"cors_rule\" blocks are allowed" (the AWS provider's schema)`})
	}
	if typ == "aws_s3_bucket" && blocks == 0 && !b.unknownCount && len(b.Errors) == 0 {
		// The provider puts the inline rules only when there are
		// some, and deletes the bucket's CORS otherwise
		// (resourceBucketInternalCorsUpdate): no configuration.
		l.tfNotes.bucket = nil
		l.res.Notes = append(l.res.Notes, Note{Pos: b.RulesPos, Text: addr +
			": its dynamic cors_rule blocks make no rule, and the AWS provider puts no CORS configuration for an aws_s3_bucket without one (it deletes the bucket's)"})
		return false
	}
	if typ == "aws_s3_bucket_cors_configuration" && blocks == 0 && strings.Contains(addr, "[*]") && !b.unknownCount {
		// The count or for_each that is not known may well make
		// no instance of a resource without rules: modules guard
		// it so (count = length(var.cors_rules) > 0 ? 1 : 0).
		b.unknownCount = true
		b.Unjudged = append(b.Unjudged, Unjudged{Pos: b.Pos, Expr: "cors_rule",
			Why: "no block is made, and the count or for_each that is not known may well make no instance"})
	}
	if typ == "aws_s3_bucket_cors_configuration" && blocks == 0 && !b.unknownCount && len(b.Errors) == 0 {
		// cors_rule is Required: the SDK's shim leaves an empty
		// set of blocks out (hcl2shim.ConfigValueFromHCL2Block),
		// and the provider refuses the resource (The argument
		// "cors_rule" is required, but no definition was found)
		// before S3 sees it.
		at := b.RulesPos
		if !at.IsValid() {
			at = b.Pos
		}
		b.Errors = append(b.Errors, TemplateError{Pos: at, Code: CodeMissingMember,
			Message: "Terraform requires a cors_rule block in aws_s3_bucket_cors_configuration"})
	}
	return true
}

// targets returns what names the bucket whose CORS the instance addr of
// the resource block sets (see Bucket.targets): an aws_s3_bucket its own
// address and its bucket argument, an aws_s3_bucket_cors_configuration
// the aws_s3_bucket its bucket argument refers to (by its id or its
// bucket attribute, which both hold the bucket's name), or the name the
// argument holds when it is known.
func (l *loader) targets(inst *tfInstance, s *tfScope, block *hclsyntax.Block, addr string) []string {
	if strings.Contains(addr, "[*]") {
		return nil // which instance is not known
	}
	var out []string
	a := block.Body.Attributes["bucket"]
	if block.Labels[0] == "aws_s3_bucket" {
		out = append(out, addr)
	} else if a != nil {
		e := a.Expr
		if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
			e = w.Wrapped // "${aws_s3_bucket.b.id}" in the JSON syntax
		}
		if t, ok := e.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) == 3 && t.Traversal.RootName() == "aws_s3_bucket" {
			name, okName := t.Traversal[1].(hcl.TraverseAttr)
			attr, okAttr := t.Traversal[2].(hcl.TraverseAttr)
			if okName && okAttr && (attr.Name == "id" || attr.Name == "bucket") {
				ref := "aws_s3_bucket." + name.Name
				if inst.addr != "" {
					ref = inst.addr + "." + ref
				}
				out = append(out, ref)
				if n := l.bucketName(inst, name.Name); n != "" {
					out = append(out, "name:"+n)
				}
			}
		}
	}
	if a != nil {
		// Its notes (a variable judged with its default) are not the
		// rules': the name is not judged.
		if v := l.quietly(func() *val { return s.eval(a.Expr) }); v.kind == vString && v.s != "" {
			out = append(out, "name:"+v.s)
		}
	}
	return out
}

// bucketArgument returns the bucket argument of an
// aws_s3_bucket_cors_configuration block as Bucket.TerraformBucket holds
// it: its text in a file of HCL's native syntax, the expression alone
// when an interpolation wraps it ("${aws_s3_bucket.b.id}", which
// terraform fmt unwraps), and in the JSON syntax, whose strings are
// templates with JSON's escapes, only a reference written with dots.
func (l *loader) bucketArgument(block *hclsyntax.Block) string {
	a := block.Body.Attributes["bucket"]
	if a == nil {
		return ""
	}
	e := a.Expr
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = w.Wrapped
	}
	r := e.Range()
	src := l.sources[r.Filename]
	if src == nil || r.Start.Byte < 0 || r.End.Byte > len(src.data) || r.Start.Byte >= r.End.Byte {
		return ""
	}
	if !strings.HasSuffix(r.Filename, ".json") {
		return string(src.data[r.Start.Byte:r.End.Byte])
	}
	t, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return ""
	}
	var ref strings.Builder
	for _, step := range t.Traversal {
		switch step := step.(type) {
		case hcl.TraverseRoot:
			ref.WriteString(step.Name)
		case hcl.TraverseAttr:
			ref.WriteString("." + step.Name)
		default: // an index, whose key would need writing anew
			return ""
		}
	}
	return ref.String()
}

// instanceBucket replaces b's TerraformBucket, the bucket argument a, when
// it refers to each or count, which the resource written (without
// for_each or count) does not have: with the bucket's name this instance
// sets, when known, and a note (Bucket.TerraformBucketNote).
func (l *loader) instanceBucket(b *Bucket, s *tfScope, a *hclsyntax.Attribute) {
	for _, t := range a.Expr.Variables() {
		if root := t.RootName(); root == "each" || root == "count" {
			b.TerraformBucketNote = "it refers to " + root + ", which the resource written, without for_each or count, does not have"
			b.TerraformBucket = ""
			if v := l.quietly(func() *val { return s.eval(a.Expr) }); v.kind == vString && v.s != "" {
				b.TerraformBucket = string(appendHCLString(nil, v.s))
			}
			return
		}
	}
}

// bucketName returns the bucket name the aws_s3_bucket resource name of
// inst's module gives when it is known, or "": an
// aws_s3_bucket_cors_configuration that names the bucket by that name
// sets the CORS of the same bucket as one that refers to the resource.
// A resource with count or for_each has instances, which a reference of
// the form aws_s3_bucket.NAME.id does not name.
func (l *loader) bucketName(inst *tfInstance, name string) string {
	for _, b := range inst.mod.resources {
		if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != "aws_s3_bucket" || b.Labels[1] != name {
			continue
		}
		a := b.Body.Attributes["bucket"]
		if a == nil || b.Body.Attributes["count"] != nil || b.Body.Attributes["for_each"] != nil {
			return ""
		}
		if v := l.quietly(func() *val { return (&tfScope{inst: inst}).eval(a.Expr) }); v.kind == vString {
			return v.s
		}
		return ""
	}
	return ""
}

// noteSameBucket notes each Terraform resource that sets the CORS of a
// bucket whose CORS a resource read before it sets too. S3 keeps one
// configuration per bucket; the AWS provider's documentation warns that
// two aws_s3_bucket_cors_configuration of one bucket, or one beside the
// inline cors_rule of its aws_s3_bucket, "cause a perpetual difference".
func (l *loader) noteSameBucket() {
	first := map[string]*Bucket{}
	for _, b := range l.res.Buckets {
		var other *Bucket
		for _, t := range b.targets {
			if o, ok := first[t]; ok && other == nil {
				other = o
			}
		}
		for _, t := range b.targets {
			if _, ok := first[t]; !ok {
				first[t] = b
			}
		}
		if other != nil {
			b.Notes = append(b.Notes, Note{Pos: b.Pos, Text: "sets the CORS configuration of the same bucket as " + other.Resource + ", at " + other.Pos.String() +
				": S3 keeps one CORS configuration per bucket, so each apply puts one resource's rules in place of the other's, and each plan shows a change to put the other's back"})
		}
	}
}

// tfMaxRules is the MaxItems of the cors_rule block of
// aws_s3_bucket_cors_configuration in the AWS provider's schema; the
// inline cors_rule of aws_s3_bucket has none.
const tfMaxRules = 100

// noteSetOrder notes, on a bucket of more than one rule that are a set
// (an aws_s3_bucket_cors_configuration's cors_rule, see Bucket.RulesSet),
// that the provider sends them in an order of its own (schema.Set.List,
// by hash), not in the order the rules were read in (unlike says which),
// while lint's findings about rule order assume that order (order names
// it).
func noteSetOrder(b *Bucket, unlike, order string) {
	if b.RulesSet != "" && len(b.Rules) > 1 {
		b.Notes = append(b.Notes, Note{Pos: b.RulesPos, Text: b.RulesSet + " is a set: the AWS provider sends the rules in an order of its own, not " + unlike +
			", and S3 answers with the first rule that matches; findings about rule order assume " + order})
	}
}

func hasCORSRule(body *hclsyntax.Body) bool {
	for _, b := range body.Blocks {
		if b.Type == "cors_rule" || b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == "cors_rule" {
			return true
		}
	}
	return false
}

// dynamic reads a dynamic "cors_rule" block: one rule per element of its
// for_each, with the iterator (cors_rule, or the name iterator gives)
// bound to the element's key and value, the first maxInstances of them,
// the others not judged. It returns the number of blocks it makes, 0
// when its for_each is not known.
func (l *loader) dynamic(s *tfScope, block *hclsyntax.Block, bl *builder) int {
	at := l.pos(block.TypeRange)
	iter := dynamicIterator(block)
	content := dynamicContent(block)
	fe := block.Body.Attributes["for_each"]
	if fe == nil || content == nil {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: at, Code: CodeMissingMember,
			Message: "Terraform requires for_each and a content block in a dynamic block"})
		return 0
	}
	coll, ok := l.dynamicForEach(s, fe, bl)
	if !ok {
		return 0
	}
	n := len(coll.list)
	if coll.kind == vMap {
		n = len(coll.fields)
	}
	if n > maxInstances {
		// The blocks past the first are not read; they count, as
		// Terraform's limit on cors_rule blocks does.
		bl.b.unknownCount = true
		bl.b.Unjudged = append(bl.b.Unjudged, Unjudged{Pos: l.pos(fe.Expr.Range()), Expr: exprText(l, fe.Expr),
			Why: fmt.Sprintf("the dynamic block makes %d cors_rule blocks, and those past the first %d are not read", n, maxInstances)})
	}
	for i := range min(n, maxInstances) {
		if !l.spendAt(at) {
			return i
		}
		key, value := elementKey(coll, i)
		it := &val{kind: vMap, keys: []string{"key", "value"}, fields: []*val{key, value}, org: value.org}
		label := "rule made by the dynamic block at " + at.String() + " for " + dynamicElement(coll, i, value)
		bl.rule(s.with(iter, it).bodyVal(content.Body, l.pos(content.TypeRange)), label)
	}
	return n
}

// dynamicIterator is the name a dynamic block binds each element to:
// the one its iterator argument gives, or cors_rule.
func dynamicIterator(block *hclsyntax.Block) string {
	iter := "cors_rule"
	if a := block.Body.Attributes["iterator"]; a != nil {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	return iter
}

// dynamicContent is the (last) content block of a dynamic block, the
// body of each rule it makes, or nil when it has none.
func dynamicContent(block *hclsyntax.Block) *hclsyntax.Block {
	var content *hclsyntax.Block
	for _, b := range block.Body.Blocks {
		if b.Type == "content" {
			content = b
		}
	}
	return content
}

// dynamicForEach evaluates the for_each (fe) of a dynamic block: a list
// or a map to make rules of, and true. A for_each Terraform refuses is
// an error of bl's bucket, and one not known (or a set holding a value
// not known, whose order is not) leaves the bucket unjudged; both give
// false.
func (l *loader) dynamicForEach(s *tfScope, fe *hclsyntax.Attribute, bl *builder) (*val, bool) {
	coll := s.eval(fe.Expr)
	if coll.kind == vNull || coll.isScalar() {
		// HCL's dynblock refuses it before the provider sees the
		// resource: "Invalid dynamic for_each value".
		detail := "Cannot use a null value in for_each"
		if coll.kind != vNull {
			detail = "Cannot use " + coll.kind.describe() + " value in for_each: an iterable collection is required"
		}
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: l.pos(fe.Expr.Range()), Code: CodeWrongType,
			Message: "Terraform refuses the for_each of the dynamic block (" + detail + ")",
			Hint:    "give a list, a set or a map, [] for no rule"})
		return nil, false
	}
	if f, u := coll.scan(); coll.set && f == nil && u != nil {
		// Terraform makes the blocks of a set in its order, sorted,
		// which a value not known may fall anywhere in, or equal
		// another element of, leaving one block fewer.
		coll = unknownVal(l.pos(fe.Expr.Range()), exprText(l, fe.Expr), "for_each is a set holding a value not known, whose order and number of elements are not known: "+u.why)
	}
	if coll.kind != vList && coll.kind != vMap {
		bl.b.unknownCount = true
		why := coll.why
		if coll.kind != vUnknown {
			why = "for_each is " + coll.kind.describe() + ", not a collection"
		}
		bl.b.Unjudged = append(bl.b.Unjudged, Unjudged{Pos: l.pos(fe.Expr.Range()), Expr: exprText(l, fe.Expr), Why: why})
		return nil, false
	}
	return coll, true
}

// dynamicElement names element i (value) of a dynamic block's for_each
// coll in the label of the rule it makes: by where it is written, or,
// for a value written in no file, by its key.
func dynamicElement(coll *val, i int, value *val) string {
	elem := "the element at " + value.org.Pos.String()
	if !value.org.Pos.IsValid() {
		// A value given as NAME=VALUE is written in no file:
		// the element is named by its key in the value.
		elem = "element " + strconv.Itoa(i+1)
		if coll.kind == vMap {
			elem = "element " + strconv.Quote(coll.keys[i])
		}
		if value.org.Via != "" {
			elem += " of " + value.org.Via
		}
	}
	return elem
}

// elementKey returns the key and the value of element i of the list or
// map coll, as a for expression and a dynamic block iterate it: a map's
// key, a list's index, or a set's element itself (cty's iterator gives a
// set's element as its key).
func elementKey(coll *val, i int) (key, value *val) {
	switch {
	case coll.kind == vMap:
		return &val{kind: vString, s: coll.keys[i], org: coll.fields[i].org}, coll.fields[i]
	case coll.set:
		return coll.list[i], coll.list[i]
	}
	return &val{kind: vNumber, s: strconv.Itoa(i), org: coll.list[i].org}, coll.list[i]
}

// bodyVal evaluates the attributes of a block into a mapping, in the order
// they are written. Nested blocks are reported: a cors_rule has none.
func (s *tfScope) bodyVal(body *hclsyntax.Body, at Position) *val {
	v := &val{kind: vMap, org: Origin{Pos: at}}
	for _, a := range sortedAttributes(body) {
		v.keys = append(v.keys, a.Name)
		v.keyAt = append(v.keyAt, s.inst.l.pos(a.NameRange))
		f := s.eval(a.Expr)
		if f.kind != vUnknown || !f.org.Pos.IsValid() {
			f = f.at(s.inst.l.pos(a.Expr.Range()))
		}
		v.fields = append(v.fields, f)
	}
	for _, b := range body.Blocks {
		v.keys = append(v.keys, b.Type)
		v.keyAt = append(v.keyAt, s.inst.l.pos(b.TypeRange))
		v.fields = append(v.fields, &val{kind: vMap, org: Origin{Pos: s.inst.l.pos(b.TypeRange)}})
	}
	return v
}

// at returns v with a position when it has none (a value made from
// several, such as an interpolation).
func (v *val) at(p Position) *val {
	if v.org.Pos.IsValid() {
		return v
	}
	c := *v
	c.org.Pos = p
	return &c
}

func exprText(l *loader, e hclsyntax.Expression) string {
	r := e.Range()
	src := l.sources[r.Filename]
	if src == nil || r.End.Byte > len(src.data) {
		return ""
	}
	return shorten(strings.Join(strings.Fields(string(src.data[r.Start.Byte:r.End.Byte])), " "), 60)
}

// shorten returns s, or, when it is longer than max bytes, the characters
// of it that fit in max bytes and "...": cut at a character's start, so
// that the text stays UTF-8.
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// eval returns the value of e in s, with where each part is written.
// Each kind of expression has its own method; eval spends the step the
// expression costs and hands it on, and a step for each bytesPerStep
// bytes of a string it makes, reads or refers to: whatever uses it reads
// them (length of a 1 MB string costs 25 ms), and a loop may evaluate it
// again and again.
func (s *tfScope) eval(e hclsyntax.Expression) *val {
	l := s.inst.l
	pos := l.pos(e.Range())
	if !l.spendAt(pos) {
		return unknownVal(pos, "", "too much to evaluate")
	}
	switch e := e.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return s.eval(e.Wrapped)
	case *hclsyntax.ObjectConsKeyExpr:
		return s.eval(e.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return s.eval(e.Expression)
	}
	v := s.evalKind(e, pos)
	if v.kind == vString && !l.spendN(pos, len(v.s)/bytesPerStep) {
		return unknownVal(pos, "", "too much to evaluate")
	}
	return v
}

// evalKind is eval of the expressions that are not another one wrapped.
func (s *tfScope) evalKind(e hclsyntax.Expression, pos Position) *val {
	l := s.inst.l
	unknown := func(why string) *val { return unknownVal(pos, exprText(l, e), why) }
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return literal(e.Val, pos, exprText(l, e))
	case *hclsyntax.TemplateExpr:
		return s.template(e, pos, unknown)
	case *hclsyntax.TupleConsExpr:
		return s.tuple(e, pos)
	case *hclsyntax.ObjectConsExpr:
		return s.object(e, pos, unknown)
	case *hclsyntax.ScopeTraversalExpr:
		return s.traversal(e.Traversal, pos, exprText(l, e))
	case *hclsyntax.RelativeTraversalExpr:
		return traverse(s.eval(e.Source), e.Traversal, pos, exprText(l, e))
	case *hclsyntax.IndexExpr:
		return s.indexExpr(e, pos, unknown)
	case *hclsyntax.ConditionalExpr:
		return s.conditional(e, pos, unknown)
	case *hclsyntax.BinaryOpExpr:
		return s.binary(e, unknown)
	case *hclsyntax.UnaryOpExpr:
		return s.unary(e, pos, unknown)
	case *hclsyntax.FunctionCallExpr:
		return s.function(e, pos, unknown)
	case *hclsyntax.ForExpr:
		return s.forExpr(e, pos, unknown)
	case *hclsyntax.SplatExpr:
		return s.splat(e, pos, unknown)
	case *hclsyntax.AnonSymbolExpr:
		return s.anonSymbol(e, unknown)
	}
	return unknown("this kind of expression is not evaluated here")
}

// tuple evaluates [a, b, ...]: a list that remembers it was written as
// a tuple, whose elements may differ in type.
func (s *tfScope) tuple(e *hclsyntax.TupleConsExpr, pos Position) *val {
	v := &val{kind: vList, org: Origin{Pos: pos}, tuple: true}
	for _, x := range e.Exprs {
		v.list = append(v.list, s.eval(x))
	}
	return v
}

// object evaluates { k = v, ... } as HCL builds the object: a key is a
// name or an expression, an ambiguous dotted key is refused, and a key
// written twice keeps its last value.
func (s *tfScope) object(e *hclsyntax.ObjectConsExpr, pos Position, unknown func(string) *val) *val {
	l := s.inst.l
	v := &val{kind: vMap, org: Origin{Pos: pos}}
	at := map[string]int{} // where each key is in v
	for _, item := range e.Items {
		key := ""
		if k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok && !k.ForceNonLiteral {
			key = hcl.ExprAsKeyword(k.Wrapped)
			if t, ok := k.Wrapped.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) > 1 {
				// HCL's ObjectConsKeyExpr refuses { var.x = 1 }
				// (Ambiguous attribute key: a reference or a
				// name with periods?); (var.x) is the reference.
				return errorVal(pos, exprText(l, e), "the object key "+exprText(l, k.Wrapped)+" is ambiguous: Terraform wants a reference in parentheses")
			}
		}
		if key == "" {
			kv := s.eval(item.KeyExpr)
			if !kv.isScalar() {
				return unknown("an object key is not known").because(kv)
			}
			key = scalarString(kv) // { (1.0) = x } has the key "1"
		}
		// A key written twice has the last value, as HCL's
		// ObjectConsExpr builds its map.
		v.setField(at, key, s.eval(item.ValueExpr))
	}
	return inKeyOrder(v)
}

// indexExpr evaluates c[k]: the key first, which must be known and a
// scalar, then the collection, as index reads it.
func (s *tfScope) indexExpr(e *hclsyntax.IndexExpr, pos Position, unknown func(string) *val) *val {
	key := s.eval(e.Key)
	switch {
	case key.kind == vUnknown:
		return unknown("the index is not known: " + key.why).because(key)
	case !key.isScalar():
		return unknown("the index is not known").because(key)
	}
	return index(s.eval(e.Collection), scalarString(key), pos, exprText(s.inst.l, e))
}

// conditional evaluates c ? a : b with the branch its condition takes,
// noting which one was judged, and gives it the type both branches
// convert to, as HCL does.
func (s *tfScope) conditional(e *hclsyntax.ConditionalExpr, pos Position, unknown func(string) *val) *val {
	l := s.inst.l
	c := s.eval(e.Condition)
	cond, ok := tfBool(c)
	if !ok {
		if c.kind == vUnknown {
			state := "is not known"
			if c.err {
				state = "fails" // because carries the failure on
			}
			return unknown("the condition " + state + ": " + c.why).because(c)
		}
		// Terraform's error, which try skips: a null condition,
		// or one that does not convert to a boolean.
		f := unknown("the condition is " + c.kind.describe() + ", not a boolean")
		f.err = true
		return f
	}
	taken, other := e.TrueResult, e.FalseResult
	if cond {
		s.inst.note("cond:"+pos.String(), pos, "the condition "+exprText(l, e.Condition)+" is true here: judged with its first value")
	} else {
		s.inst.note("cond:"+pos.String(), pos, "the condition "+exprText(l, e.Condition)+" is false here: judged with its second value")
		taken, other = other, taken
	}
	v := s.eval(taken)
	// HCL evaluates both branches and converts the result to the
	// type both convert to: the branch not taken counts for its
	// type only, so it makes no notes.
	return unifyBranches(v, l.quietly(func() *val { return s.eval(other) }), unknown)
}

// unary evaluates !x and -x, the two unary operators HCL has; any other
// operand than a boolean for ! or a number for - is not evaluated.
func (s *tfScope) unary(e *hclsyntax.UnaryOpExpr, pos Position, unknown func(string) *val) *val {
	v := s.eval(e.Val)
	switch {
	case e.Op == hclsyntax.OpLogicalNot && v.kind != vUnknown:
		if f, _ := v.scan(); f != nil {
			return unknown(f.why).because(f)
		}
		b, ok := tfBool(v)
		if !ok {
			// Terraform's error, which try skips: ! of a null,
			// a number, a collection or another string.
			f := unknown("the operand of ! is " + v.kind.describe() + ", not a boolean")
			f.err = true
			return f
		}
		return &val{kind: vBool, s: strconv.FormatBool(!b), org: Origin{Pos: pos}}
	case e.Op == hclsyntax.OpNegate && v.kind == vNumber:
		text, neg := strings.CutPrefix(v.s, "-")
		if !neg {
			text = "-" + text
		}
		return &val{kind: vNumber, s: text, org: Origin{Pos: pos}}
	}
	return unknown("the operator is not evaluated here").because(v)
}

// anonSymbol evaluates the element a splat's traversal applies to, which
// splat binds in s while it walks the collection.
func (s *tfScope) anonSymbol(e *hclsyntax.AnonSymbolExpr, unknown func(string) *val) *val {
	if v, ok := s.names[anonName(e)]; ok {
		return v
	}
	return unknown("the element of a splat is not known here")
}

// literal turns a literal cty value into a val. text is the literal as
// written, which a number keeps.
func literal(c cty.Value, pos Position, text string) *val {
	v := &val{org: Origin{Pos: pos}}
	switch {
	case c.IsNull():
		v.kind = vNull
	case c.Type() == cty.String:
		v.kind, v.s = vString, c.AsString()
	case c.Type() == cty.Number:
		v.kind, v.s = vNumber, text
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			t, ok := numberText(c.AsBigFloat())
			if !ok {
				return unknownVal(pos, text, tooManyDigits)
			}
			v.s = t
		}
	case c.Type() == cty.Bool:
		v.kind, v.s = vBool, strconv.FormatBool(c.True())
	default:
		return unknownVal(pos, text, "a literal of type "+c.Type().FriendlyName())
	}
	return v
}

// template evaluates a string template as Terraform does: a single part
// keeps its value and type, more are joined as strings, and a null or a
// collection interpolated is Terraform's error.
func (s *tfScope) template(e *hclsyntax.TemplateExpr, pos Position, unknown func(string) *val) *val {
	if len(e.Parts) == 1 {
		// A quoted string is located at its opening quote, as YAML and
		// JSON strings are.
		v := *s.eval(e.Parts[0])
		if v.kind != vUnknown {
			v.org.Pos = pos
		}
		return &v
	}
	parts := make([]string, 0, len(e.Parts))
	size := 0
	for _, p := range e.Parts {
		v := s.eval(p)
		switch {
		case v.kind == vUnknown:
			expr := v.expr
			if expr == "" {
				expr = exprText(s.inst.l, p)
			}
			return unknown("it interpolates " + expr + ": " + v.why).because(v)
		case v.kind == vNull:
			// Terraform's error, which try skips ("Invalid template
			// interpolation value").
			f := unknown("it interpolates null: Terraform cannot include a null value in a string template")
			f.err = true
			return f
		case !v.isScalar():
			f := unknown("it interpolates " + v.kind.describe() + ": Terraform cannot include it in a string template (string required)")
			f.err = true
			return f
		}
		parts = append(parts, scalarString(v)) // 1e3 is interpolated as 1000
		if size += len(parts[len(parts)-1]); size > maxValueLen {
			s.inst.l.err = &ParseError{Pos: pos, Msg: "a string built by a template is longer than " + strconv.Itoa(maxValueLen) + " bytes"}
			return unknown("too long")
		}
	}
	// Counted before it is built, and built once.
	if !s.inst.l.build(pos, size) {
		return unknown("too much to evaluate")
	}
	return &val{kind: vString, s: strings.Join(parts, ""), org: Origin{Pos: pos}}
}

// inKeyOrder sorts the attributes of the map v by key and returns it:
// Terraform iterates a map or an object (for, for_each, a dynamic block)
// in lexical key order, whatever order it is written in, so that
// rules made from { zeta = ..., alpha = ... } come alpha first.
func inKeyOrder(v *val) *val {
	if slices.IsSorted(v.keys) {
		return v
	}
	order := make([]int, len(v.keys))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(v.keys[a], v.keys[b]) })
	keys, fields := make([]string, len(order)), make([]*val, len(order))
	for i, j := range order {
		keys[i], fields[i] = v.keys[j], v.fields[j]
	}
	v.keys, v.fields = keys, fields
	return v
}

// toSet returns the set toset makes of the list v: each value once, in
// the order Terraform iterates a set of them, numbers by value and
// strings lexically (a set of booleans or mixed values, which Terraform
// turns to strings, lexically too), null last. Values that are not scalars
// are in cty's order, of their hashes (see ctySetOrder), elem the set's
// element type (cty.DynamicPseudoType for toset); when some part is not
// known they keep their order.
func toSet(v *val, elem cty.Type) *val {
	set := &val{kind: vList, org: v.org, set: true}
	seen := map[string]bool{}
	scalars, numbers := true, true
	var null *val
	for _, x := range v.list {
		if x.kind == vNull {
			// cty sorts null after any value.
			null = x
			continue
		}
		scalars = scalars && x.isScalar()
		numbers = numbers && x.kind == vNumber
		// A number is one value however it is written: toset([1, 1.0])
		// holds one.
		if key := scalarString(x); !x.isScalar() || !seen[key] {
			seen[key] = true
			set.list = append(set.list, x)
		}
	}
	if scalars {
		slices.SortStableFunc(set.list, func(a, b *val) int {
			if numbers {
				x, _, errX := big.ParseFloat(a.s, 10, 256, big.ToNearestEven)
				y, _, errY := big.ParseFloat(b.s, 10, 256, big.ToNearestEven)
				if errX == nil && errY == nil {
					return x.Cmp(y)
				}
			}
			return strings.Compare(a.s, b.s)
		})
	} else if list, ok := ctySetOrder(set.list, elem); ok {
		set.list = list
	}
	if null != nil {
		set.list = append(set.list, null)
	}
	return set
}

// ctySetOrder returns the values of list, which are not scalars, as a cty
// set of elem holds them: each once, in cty's order for values that are
// not scalars (bytewise by their hash, so { max_age = 1, ... } before
// { max_age = 2, ... } whatever the order written), which is the order a
// for expression or a dynamic block iterates them in. ok is false when a
// part is not known, or cty does not make a set of them.
func ctySetOrder(list []*val, elem cty.Type) (out []*val, ok bool) {
	cs := make([]cty.Value, len(list))
	for i, e := range list {
		if cs[i], ok = ctyOf(e); !ok {
			return nil, false
		}
	}
	set, err := convert.Convert(cty.TupleVal(cs), cty.Set(elem))
	if err != nil || !set.IsWhollyKnown() {
		return nil, false
	}
	ety := set.Type().ElementType()
	at := map[string][]int{} // the indices of list by each value's JSON
	for i, c := range cs {
		conv, err := convert.Convert(c, ety)
		if err != nil {
			return nil, false
		}
		j, err := ctyjson.Marshal(conv, ety)
		if err != nil {
			return nil, false
		}
		at[string(j)] = append(at[string(j)], i)
	}
	for it := set.ElementIterator(); it.Next(); {
		_, e := it.Element()
		j, err := ctyjson.Marshal(e, ety)
		if err != nil || len(at[string(j)]) == 0 {
			return nil, false
		}
		// Equal values are one element: the first written stands for
		// them.
		out = append(out, unified(list[at[string(j)][0]], e))
	}
	return out, true
}

// forExpr evaluates a for expression as Terraform does: over a list, a
// map or a set (in its order), with its if clause, making a tuple or an
// object; not known when it iterates a set holding a value not known.
func (s *tfScope) forExpr(e *hclsyntax.ForExpr, pos Position, unknown func(string) *val) *val {
	coll, stop := s.forCollection(e, unknown)
	if stop != nil {
		return stop
	}
	out := &val{kind: vList, org: Origin{Pos: pos}, tuple: true}
	seen := map[string]bool{}
	if e.KeyExpr != nil {
		out.kind = vMap
	}
	n := len(coll.list)
	if coll.kind == vMap {
		n = len(coll.fields)
	}
	for i := range n {
		inner := s.forScope(e, coll, i)
		if e.CondExpr != nil {
			keep, stop := inner.forKeeps(e, unknown)
			if stop != nil {
				return stop
			}
			if !keep {
				continue
			}
		}
		if e.KeyExpr != nil {
			if stop := inner.forObjectItem(e, out, seen, unknown); stop != nil {
				return stop
			}
		} else {
			out.list = append(out.list, inner.eval(e.ValExpr))
		}
	}
	if out.kind == vMap {
		return inKeyOrder(out)
	}
	return out
}

// forCollection evaluates the collection a for expression iterates: a
// list, a set or a map, or (the second result) the value the for
// expression is when it cannot be iterated here: not known, grouped
// with "...", or a set holding a value not known.
func (s *tfScope) forCollection(e *hclsyntax.ForExpr, unknown func(string) *val) (coll, stop *val) {
	coll = s.eval(e.CollExpr)
	switch {
	case coll.kind == vNull || coll.isScalar():
		// HCL's error, which try skips.
		why := "Iteration over null value: a null value cannot be used as the collection in a 'for' expression"
		if coll.kind != vNull {
			typ := map[valKind]string{vString: "string", vNumber: "number", vBool: "bool"}[coll.kind]
			why = "Iteration over non-iterable value: a value of type " + typ + " cannot be used as the collection in a 'for' expression"
		}
		stop = unknown(why)
		stop.err = true
		return nil, stop
	case coll.kind != vList && coll.kind != vMap:
		return nil, unknown("the collection of the for expression is not known: " + coll.why).because(coll)
	}
	if e.Group {
		return nil, unknown("grouping (...) in a for expression is not evaluated here")
	}
	if f, u := coll.scan(); coll.set && f == nil && u != nil {
		// Terraform iterates a set in its order, sorted, which a
		// value not known may fall anywhere in (or equal another
		// element, leaving one fewer): what the for makes, element by
		// element, and how many, are not known.
		return nil, unknown("the for expression iterates a set holding a value not known, whose order and length are not known: " + u.why)
	}
	return coll, nil
}

// forScope is s with the for expression's names bound to element i of
// coll: its value, and its key or index when the for names two.
func (s *tfScope) forScope(e *hclsyntax.ForExpr, coll *val, i int) *tfScope {
	key, value := elementKey(coll, i)
	inner := s.with(e.ValVar, value)
	if e.KeyVar != "" {
		inner = inner.with(e.KeyVar, key)
	}
	return inner
}

// forKeeps evaluates the if clause of a for expression in the scope of
// one element: whether the element is kept, or (the second result) the
// value the for expression is when the clause is not a known boolean.
func (s *tfScope) forKeeps(e *hclsyntax.ForExpr, unknown func(string) *val) (keep bool, stop *val) {
	c := s.eval(e.CondExpr)
	keep, ok := tfBool(c)
	if !ok {
		return false, unknown("the if clause of the for expression is not known").because(c)
	}
	return keep, nil
}

// forObjectItem adds the key and value one element makes to out, the
// object a for expression with a key makes, seen holding the keys made
// so far. It returns the value the for expression is when the key is
// not known or repeated, nil otherwise.
func (s *tfScope) forObjectItem(e *hclsyntax.ForExpr, out *val, seen map[string]bool, unknown func(string) *val) *val {
	k := s.eval(e.KeyExpr)
	if !k.isScalar() {
		return unknown("a key of the for expression is not known").because(k)
	}
	key := scalarString(k)
	if seen[key] {
		// Terraform's error (Duplicate object key) unless
		// the for groups its values with "...".
		v := unknown("two elements make the key " + strconv.Quote(key) + " of the for expression")
		v.err = true
		return v
	}
	seen[key] = true
	out.keys = append(out.keys, key)
	out.fields = append(out.fields, s.eval(e.ValExpr))
	return nil
}

// anonName is the name under which a scope binds the element a splat
// expression's Each is evaluated with: a NUL, which no identifier holds,
// and the symbol's address, which tells nested splats apart.
func anonName(e *hclsyntax.AnonSymbolExpr) string {
	return fmt.Sprintf("\x00splat%p", e)
}

// splat evaluates coll[*].attr (and the legacy coll.*.attr) as HCL does:
// the attribute steps after [*] applied to each element of a list, a set
// or a tuple; a value of another type counts as a list of itself, and
// null as an empty list, which makes for_each = var.rule[*] the common
// way to write a block that is there only when a variable is set.
// HCL refuses a null of a list type ("Splat of null value"), but a
// null's type is not known here: it is taken as the empty list.
func (s *tfScope) splat(e *hclsyntax.SplatExpr, pos Position, unknown func(string) *val) *val {
	src := s.eval(e.Source)
	var elems []*val
	out := &val{kind: vList, org: Origin{Pos: pos}, tuple: true}
	switch src.kind {
	case vUnknown:
		return unknown("the value the splat is applied to is not known").because(src)
	case vNull:
	case vList:
		if f, u := src.scan(); src.set && f == nil && u != nil {
			// As in a for expression: a set's order, and its
			// length, are not known while an element is not.
			return unknown("the splat is applied to a set holding a value not known, whose order and length are not known: " + u.why)
		}
		elems = src.list
		// A list or a set gives a list, a tuple a tuple.
		out.tuple, out.typedList = src.tuple, !src.tuple
	default:
		elems = []*val{src}
	}
	name := anonName(e.Item)
	for _, el := range elems {
		out.list = append(out.list, s.with(name, el).eval(e.Each))
	}
	return out
}

// traversal evaluates a reference: var.x, local.x, each.value, count.index,
// an iterator or a for variable, path.module and terraform.workspace;
// anything else (a resource's attribute, a module's output) is known only
// at plan or apply time.
func (s *tfScope) traversal(t hcl.Traversal, pos Position, text string) *val {
	root := t.RootName()
	if v, ok := s.names[root]; ok {
		return traverse(v, t[1:], pos, text)
	}
	attr := func() string {
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch root {
	case "var":
		if name := attr(); name != "" {
			return s.inst.l.refVal(traverse(s.inst.variable(name, pos, text), t[2:], pos, text), pos, text)
		}
	case "local":
		if name := attr(); name != "" {
			return s.inst.l.refVal(traverse(s.inst.local(name, pos, text), t[2:], pos, text), pos, text)
		}
	case "module":
		return unknownVal(pos, text, "an output of a module, known only after it is applied")
	case "path":
		if dir, ok := s.inst.modulePath(attr()); ok {
			return &val{kind: vString, s: dir, org: Origin{Pos: pos}}
		}
		return unknownVal(pos, text, "path."+attr()+" is not evaluated here")
	case "terraform":
		if attr() == "workspace" {
			return traverse(s.inst.workspace(pos, text), t[2:], pos, text)
		}
		return unknownVal(pos, text, root+" values are not evaluated here")
	case "data":
		return unknownVal(pos, text, "a data source, read only at plan time")
	}
	return unknownVal(pos, text, "an attribute of a resource, known only at plan or apply time")
}

// traverse applies the attribute and index steps of t to v.
func traverse(v *val, t hcl.Traversal, pos Position, text string) *val {
	for _, step := range t {
		switch step := step.(type) {
		case hcl.TraverseAttr:
			v = index(v, step.Name, pos, text)
		case hcl.TraverseIndex:
			k := step.Key
			var key string
			switch {
			case k.Type() == cty.String:
				key = k.AsString()
			case k.Type() == cty.Number:
				key = k.AsBigFloat().Text('f', -1)
			default:
				return unknownVal(pos, text, "an index of an unusual type")
			}
			v = index(v, key, pos, text)
		default:
			return unknownVal(pos, text, "a splat is not evaluated here")
		}
		if v.kind == vUnknown {
			return v
		}
	}
	return v
}

// index returns the element key of a list or an object.
func index(v *val, key string, pos Position, text string) *val {
	switch v.kind {
	case vUnknown:
		return v
	case vMap:
		if f := v.field(key); f != nil {
			return f
		}
		return errorVal(pos, text, "the object has no attribute or key "+strconv.Quote(key))
	case vList:
		if v.set {
			// "Elements of a set are identified only by their value
			// and don't have any separate index or key to select with".
			return errorVal(pos, text, "a set has no index: tolist gives one")
		}
		// The key converts to a number as cty converts a string:
		// list["1.0"] and list[(1.0)] are list[1].
		if n, err := convert.Convert(cty.StringVal(key), cty.Number); err == nil {
			if i, acc := n.AsBigFloat().Int64(); acc == big.Exact && i >= 0 && i < int64(len(v.list)) {
				return v.list[i]
			}
		}
		return errorVal(pos, text, "index "+key+" is outside the list")
	}
	// Terraform refuses an attribute or an index of null or of a
	// string, a number or a boolean.
	return errorVal(pos, text, "cannot index "+v.kind.describe())
}

// variable returns the value of var.name in the instance: the module
// call's argument, the root's .tfvars value, or the default. The value
// is the instance's own, shared: a reference picks from it, then copies
// what it picked (refVal).
func (inst *tfInstance) variable(name string, pos Position, text string) *val {
	v, ok := inst.vars[name]
	switch {
	case ok:
		inst.l.replay(inst.varNotes[name])
	case inst.busy["var."+name]:
		return unknownVal(pos, text, "var."+name+" refers to itself")
	default:
		inst.busy["var."+name] = true
		var notes []keyedNote
		v, notes = inst.l.remember(func() *val { return inst.evalVariable(name, pos, text) })
		delete(inst.busy, "var."+name)
		inst.vars[name], inst.varNotes[name] = v, notes
	}
	if at, ok := inst.defaults[name]; ok {
		// Noted where each bucket reads it.
		inst.note("var:"+name, pos, "variable "+name+" is judged with its default, written at "+at.String())
	}
	return v
}

// evalVariable evaluates var.name for variable.
func (inst *tfInstance) evalVariable(name string, pos Position, text string) *val {
	decl := inst.mod.variables[name]
	var def *hclsyntax.Attribute
	if decl != nil {
		def = decl.Body.Attributes["default"]
	}
	byDefault := func() *val {
		v := (&tfScope{inst: inst}).eval(def.Expr).via(Position{}, "the default of variable "+name)
		if v.kind != vUnknown && v.kind != vNull {
			inst.defaults[name] = inst.l.pos(def.Expr.Range())
		}
		return v
	}
	var v *val
	switch {
	case inst.args[name] != nil:
		v = inst.caller.eval(inst.args[name].Expr).via(Position{}, "the argument "+name+" of "+inst.addr)
	case inst.tfvars[name] != nil:
		v = inst.tfvars[name]
	case decl == nil:
		v = unknownVal(pos, text, "no variable "+name+" is declared in the files read")
	case def != nil:
		v = byDefault()
	default:
		where := "and no value in terraform.tfvars"
		if inst.l.varsGiven {
			where = "and no value in terraform.tfvars or the variable values given"
		}
		if inst.addr != "" {
			where = "and " + inst.addr + " passes none"
		}
		v = unknownVal(pos, text, "variable "+name+" has no default "+where)
	}
	if v.kind == vNull && def != nil && !nullable(decl) {
		// Terraform gives a variable declared nullable = false its
		// default when it is given null (prepareFinalInputVariableValue).
		v = byDefault()
	}
	if t := typeAttr(decl); t != nil {
		if ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(t.Expr); !diags.HasErrors() {
			v = inst.typed(v, defaults, ty, inst.l.pos(t.Expr.Range()), name)
		}
	}
	if refused := inst.failedValidation(decl, name, v); refused != nil {
		v = refused
	}
	if sensitive(decl) {
		inst.l.addSecrets(v)
	}
	return v
}

// failedValidation returns Terraform's refusal of v, the value of
// variable name declared as decl, when the condition of one of its
// validation blocks is false for it: the plan fails ("Invalid value for
// variable", with the block's error_message), whether the value is the
// default, a .tfvars value or a module's argument. It returns nil when
// each condition holds or is not known here. The condition is evaluated
// with var.name standing for v.
func (inst *tfInstance) failedValidation(decl *hclsyntax.Block, name string, v *val) *val {
	if decl == nil || v.kind == vUnknown {
		return nil
	}
	for _, b := range decl.Body.Blocks {
		if b.Type != "validation" || b.Body.Attributes["condition"] == nil {
			continue
		}
		if why := inst.validationRefusal(decl, b, name, v); why != "" {
			return unknownVal(v.org.Pos, "var."+name, why)
		}
	}
	return nil
}

// validationRefusal returns why Terraform refuses v, the value of
// variable name declared as decl, when the condition of its validation
// block b is false for it, and "" otherwise. Both the condition and the
// error message, which may spell the value ("${var.origin} is not
// https"), are evaluated with var.name standing for v.
func (inst *tfInstance) validationRefusal(decl, b *hclsyntax.Block, name string, v *val) string {
	inst.vars[name] = v
	defer delete(inst.vars, name)
	// Evaluated quietly: the notes of what they read belong where the
	// bucket reads the variable, not at its validation.
	eval := func(e hclsyntax.Expression) *val {
		return inst.l.quietly(func() *val { return (&tfScope{inst: inst}).eval(e) })
	}
	cond := b.Body.Attributes["condition"]
	if c := eval(cond.Expr); c.kind != vBool || c.s != "false" {
		return ""
	}
	why := "Terraform refuses the value of variable " + name + ": the condition of its validation at " +
		inst.l.pos(cond.Expr.Range()).String() + " is false"
	// A sensitive variable's message is left out: it may spell the
	// value, which Terraform does not show.
	if m := b.Body.Attributes["error_message"]; m != nil && !sensitive(decl) {
		if msg := eval(m.Expr); msg.kind == vString {
			why += " (" + strconv.Quote(msg.s) + ")"
		}
	}
	return why
}

// sensitive reports whether a variable is declared sensitive = true.
func sensitive(decl *hclsyntax.Block) bool {
	if decl == nil || decl.Body.Attributes["sensitive"] == nil {
		return false
	}
	c, diags := decl.Body.Attributes["sensitive"].Expr.Value(nil)
	return !diags.HasErrors() && c.Type() == cty.Bool && !c.IsNull() && c.True()
}

// nullable reports whether a variable may be null, as its nullable
// argument, a literal, says (true when not written).
func nullable(decl *hclsyntax.Block) bool {
	a := decl.Body.Attributes["nullable"]
	if a == nil {
		return true
	}
	c, diags := a.Expr.Value(nil)
	return diags.HasErrors() || c.Type() != cty.Bool || c.IsNull() || c.True()
}

// refVal returns v, the part of a variable's or a local's value a
// reference at pos picks, as reached from it: an unknown value is located
// at the reference, a known one keeps where it is written and records the
// reference. The copy that records it costs a step for each value v is
// made of, so that references that multiply a value at each level (a
// concat of ten of the local before, seven deep) end at maxSteps rather
// than at the memory's end; only the part picked is copied and paid for.
func (l *loader) refVal(v *val, pos Position, text string) *val {
	if v.kind == vUnknown {
		return unknownVal(pos, text, v.why).because(v)
	}
	if !l.spendN(pos, v.count()) {
		return unknownVal(pos, text, "too much to evaluate")
	}
	return v.via(pos, v.org.Via)
}

// local evaluates local.name once per module instance, replaying the
// notes its evaluation made at each later reference, and reports a
// local value that refers to itself as unknown rather than loop.
func (inst *tfInstance) local(name string, pos Position, text string) *val {
	if v, ok := inst.locals[name]; ok {
		inst.l.replay(inst.localNotes[name])
		return v
	}
	a := inst.mod.locals[name]
	if a == nil {
		return unknownVal(pos, text, "no local value "+name+" is declared in the files read")
	}
	if inst.busy["local."+name] {
		return unknownVal(pos, text, "local."+name+" refers to itself")
	}
	inst.busy["local."+name] = true
	v, notes := inst.l.remember(func() *val { return (&tfScope{inst: inst}).eval(a.Expr).via(Position{}, "local value "+name) })
	delete(inst.busy, "local."+name)
	inst.locals[name], inst.localNotes[name] = v, notes
	return v
}

// note notes text at pos on the bucket being read, once per key in the
// instance.
func (inst *tfInstance) note(key string, pos Position, text string) {
	inst.l.noteTF(keyedNote{key: inst.addr + " " + key, n: Note{Pos: pos, Text: text}})
}

// noteTF adds a note to the bucket being read, once per key, and to each
// capture under way, so that a variable or local value's notes can be
// replayed where it is referenced again.
func (l *loader) noteTF(kn keyedNote) {
	t := &l.tfNotes
	from := 0
	if t.muted {
		from = t.mutedAt
	}
	for i := from; i < len(t.capture); i++ {
		t.capture[i] = append(t.capture[i], kn)
	}
	if t.muted || t.bucket == nil || t.noted[kn.key] {
		return
	}
	t.noted[kn.key] = true
	t.bucket.Notes = append(t.bucket.Notes, kn.n)
}

// quietly evaluates f, a value Terraform evaluates but does not use (the
// branch of a conditional not taken), without making its notes on the
// bucket or on the values under way; a variable or local value first
// evaluated meanwhile still keeps its notes for its later references.
func (l *loader) quietly(f func() *val) *val {
	t := &l.tfNotes
	muted, at := t.muted, t.mutedAt
	t.muted, t.mutedAt = true, len(t.capture)
	v := f()
	t.muted, t.mutedAt = muted, at
	return v
}

// remember evaluates f, a variable's or a local value's value that is
// kept, and returns the notes made meanwhile, so that each later
// reference makes them again for the bucket that reads it: the first may
// be read for no bucket (a count) or for another one.
func (l *loader) remember(f func() *val) (*val, []keyedNote) {
	t := &l.tfNotes
	t.capture = append(t.capture, nil)
	v := f()
	notes := t.capture[len(t.capture)-1]
	t.capture = t.capture[:len(t.capture)-1]
	return v, notes
}

// replay makes again the notes a kept value's evaluation made.
func (l *loader) replay(notes []keyedNote) {
	for _, kn := range notes {
		l.noteTF(kn)
	}
}

// spendAt is spend for values not read from a node.
func (l *loader) spendAt(pos Position) bool { return l.spendN(pos, 1) }

// spendN is spendAt for n steps at once.
func (l *loader) spendN(pos Position, n int) bool {
	if l.steps += n; l.steps <= maxSteps {
		return true
	}
	if l.err == nil {
		l.err = &ParseError{Pos: pos, Msg: fmt.Sprintf("resolving values takes more than %d steps: references or expressions expand too far, or repeat long strings", maxSteps)}
	}
	return false
}

// corsResource reports whether resources of type typ can hold a bucket's
// CORS rules: aws_s3_bucket_cors_configuration, and aws_s3_bucket's
// legacy inline cors_rule blocks. The readers pass over the others.
func corsResource(typ string) bool {
	return typ == "aws_s3_bucket_cors_configuration" || typ == "aws_s3_bucket"
}
