package iac

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Bounds on what is read. A file over its bound is refused with a
// [*ParseError] that says so, after reading one byte past the bound: a
// 100 MB template costs 1 MiB of reading.
const (
	// MaxTemplateSize bounds a CloudFormation template. CloudFormation
	// itself refuses templates over 1 MB (its quota for a template in
	// S3; 51,200 bytes in a request).
	MaxTemplateSize = 1 << 20
	// MaxPlanSize bounds the JSON of a plan. Plans of large
	// configurations run to tens of megabytes; only the S3 resources
	// among them are kept in memory.
	MaxPlanSize = 128 << 20
	// MaxHCLSize bounds all the Terraform files read for one input
	// together: the module's .tf files, its modules' and its .tfvars.
	MaxHCLSize = 32 << 20
	// maxNestedSize bounds the templates of nested stacks read for one
	// input together, each as many times as it is read: a template may
	// name the same one in many resources, or in an Fn::ForEach loop over
	// a long list, and a 1 MB template takes a tenth of a second to read.
	maxNestedSize = 32 << 20
	// maxSteps bounds the work of resolving values (intrinsic functions,
	// aliases, references, expressions) for one input, whatever the
	// files hold. A value costs a step, and a string one more for each
	// bytesPerStep bytes of it read or built.
	maxSteps = 1 << 18
	// bytesPerStep is how many bytes of a string cost one step beyond
	// the value's own: a step per value let one alias, reference or call
	// read or copy a megabyte each time (length of a 1 MB local, 200
	// times in a for expression, took 5.1 s; 20,000 fit the steps), so
	// the steps bound the bytes handled, 64 MiB per input, as well.
	bytesPerStep = 256
	// maxBuilt bounds the bytes of the strings built for one input
	// together (Fn::Join, Fn::Sub, templates, functions' results): each
	// is at most maxValueLen, but aliases and loops build them again and
	// again (a 103 KB template joining ten aliases of a 100 KB string,
	// 1,000 times, ran out of memory at 3.4 GB).
	maxBuilt = 32 << 20
)

// stdinName is how positions name a document read without a file name.
const stdinName = "<stdin>"

// Options tune [Load] and [Parse].
type Options struct {
	// Kind forces the kind of input; 0 detects it from the content (see
	// [Detect]).
	Kind Kind
	// VarFiles are Terraform variable definitions files (.tfvars, or
	// .tfvars.json), as terraform plan -var-file reads them: after the
	// root module's terraform.tfvars and *.auto.tfvars, in order, a later
	// value of a variable winning. Their values are located in them. One
	// that cannot be read as variable definitions (missing, not
	// well-formed, past [MaxHCLSize], a value that refers to a variable or
	// calls a function, which terraform plan refuses in a .tfvars file) is
	// an error naming it, not a
	// [*ParseError] of the input: a mistake in the arguments, as
	// terraform plan refuses such a -var-file before planning.
	VarFiles []string
	// Vars are Terraform variable values, NAME=VALUE, as terraform plan
	// -var gives them, read after VarFiles: VALUE is the string itself
	// for a variable of a primitive type (string, number, bool) or
	// without a type, and otherwise an expression
	// ('origins=["https://a.example"]').
	Vars []string
	// Parameters are CloudFormation parameter values, NAME=VALUE, as
	// aws cloudformation deploy --parameter-overrides gives them: a
	// template's parameter takes its value instead of its Default (a
	// CommaDelimitedList's split at its commas). They are given to the
	// root template; its nested stacks take what it passes them.
	Parameters []string
	// Stage and Params are a Serverless Framework service's stage and
	// parameter values (NAME=VALUE), as serverless deploy --stage and
	// --param give them: ${sls:stage} and ${opt:stage} are Stage, and
	// ${param:NAME} is NAME's value in Params before params.STAGE and
	// params.default. Without them the service is judged as deployed
	// without options, with notes.
	Stage  string
	Params []string
	// Stack is the Pulumi stack a Pulumi YAML program is judged as
	// deployed to, as pulumi preview --stack does: its configuration,
	// Pulumi.STACK.yaml beside the program (or in the project's
	// stackConfigDir), gives config values in place of their defaults.
	// Without it the defaults are judged, with notes.
	Stack string
	// Workspace is the Terraform workspace a configuration is judged
	// in, as TF_WORKSPACE or terraform workspace select gives it:
	// terraform.workspace is Workspace, whatever .terraform/environment
	// selects. It must be a name Terraform takes (see
	// [ErrWorkspaceName]). Without it terraform.workspace is the
	// workspace .terraform/environment selects, or "default", with a
	// note.
	Workspace string
}

// ErrNotServerless is returned, wrapped, by [Load] and [Parse] for input
// that is not a Serverless Framework service when [Options] gives a stage
// or parameter values: they would otherwise be ignored without a word.
var ErrNotServerless = errors.New("a stage and parameter values are the Serverless Framework's, and it is not a Serverless Framework service")

// ErrNotCloudFormation is returned, wrapped, by [Load] and [Parse] for
// input that is not a CloudFormation template when [Options] gives
// parameter values: they would otherwise be ignored without a word.
var ErrNotCloudFormation = errors.New("parameter values are CloudFormation's, and it is not a CloudFormation template")

// ErrNotTerraform is returned, wrapped, by [Load] and [Parse] for input
// that is not Terraform when [Options] gives Terraform variable values
// (VarFiles, Vars) or a workspace: they would otherwise be ignored without
// a word.
var ErrNotTerraform = errors.New("variable values and workspaces are Terraform's, and it is not a Terraform configuration")

// ErrWorkspaceName is returned, wrapped, by [Load], [Parse] and
// [Options.Check] for an [Options.Workspace] that Terraform refuses as a
// workspace's name: one that url.PathEscape changes, as Terraform's
// validWorkspaceName finds (terraform workspace select and TF_WORKSPACE
// refuse it).
var ErrWorkspaceName = errors.New("the name must contain only URL safe characters, and no path separators")

// ErrNotIaC is returned, wrapped, for an input whose kind was not given
// and that [Detect] does not recognise: S3 XML or JSON, for instance,
// which package xmlconfig reads.
var ErrNotIaC = errors.New("not a CloudFormation template, Terraform configuration, Terraform plan, Serverless Framework service, Kubernetes manifest or Pulumi YAML program")

// KindError is returned by [Load] and [Parse] for input read as the kind
// [Options] gives that is not of that kind, although it may be read as
// one: a template whose top level is not a mapping with a Resources
// member (CloudFormation refuses a template without Resources: "Template
// format error: At least one Resources member must be defined"), or a
// plan's JSON that is not an object with format_version (which terraform
// show -json writes in every plan and state), or a file read alone as
// Terraform, in its JSON syntax, with a top-level property that is no
// block type of it (Terraform refuses it: "Extraneous JSON object
// property"). Read as a template, plan or configuration that declares no
// bucket, such input (the AWS CLI's JSON, package.json, a workflow) would
// pass as one. Input that [Detect] tells to be of the
// kind is read as such: a template with AWSTemplateFormatVersion and no
// Resources has a note.
type KindError struct {
	File   string // the input's name, as positions name it
	Kind   Kind   // the kind the input was read as
	Reason string // why it is none, such as "it has no Resources member"
}

func (e *KindError) Error() string {
	what := map[Kind]string{CloudFormation: "a CloudFormation template", Terraform: "a Terraform configuration", TerraformPlan: "a Terraform plan",
		Serverless: "a Serverless Framework service", Kubernetes: "a file of Kubernetes manifests", Pulumi: "a Pulumi YAML program"}[e.Kind]
	if what == "" {
		what = e.Kind.String()
	}
	return e.File + ": not " + what + ": " + e.Reason
}

// loader reads one input: a file or directory and what it refers to.
type loader struct {
	// secrets are the string values of the Terraform variables declared
	// sensitive, shown as SensitiveValue wherever a value holds them.
	secrets []string
	res     *Result
	steps   int
	built   int   // bytes of the strings built, bounded by maxBuilt
	err     error // the first error that ends reading, such as the step bound
	sources map[string]*source
	read    int64           // bytes of Terraform files read
	nested  int64           // bytes of nested stack templates read
	onStack map[string]bool // nested stack templates being read
	// tfRoot is the root module's directory, where terraform init records
	// the modules it installed; "" for standard input.
	tfRoot string
	// tfWorkspace is the workspace Options gives, "" for none.
	tfWorkspace string
	// files holds what Terraform's file function read, by path.
	files map[string]fileRead
	// yamlFailed holds yamldecode's failure for each string that failed,
	// by the string and the name it is shown with: decoded again (in a
	// loop), it fails the same way, without reading it again.
	yamlFailed map[[2]string]string
	manifest   tfManifest
	tfNotes    tfNotes
	// varsGiven says whether Options gave Terraform variable values,
	// which a variable without a value is said to lack too.
	varsGiven bool
	// cfnParams are the parameter values Options gives the root
	// template, by name; nil when it gives none.
	cfnParams map[string]*val
	// slsStage and slsParams are the stage and the parameter values
	// Options gives a Serverless Framework service; "" and nil when it
	// gives none.
	slsStage  string
	slsParams map[string]string
	// pulumiStack is the stack Options gives a Pulumi YAML program.
	pulumiStack string
}

func newLoader(k Kind) *loader {
	return &loader{res: &Result{Kind: k}, sources: map[string]*source{}, onStack: map[string]bool{}}
}

// Load reads the infrastructure file or directory at path and returns the
// bucket CORS configurations it declares. A directory is a Terraform
// module. A .tf, .tf.json, .tofu or .tofu.json file is read with the
// other files of its directory, as Terraform and OpenTofu read a module,
// but only the buckets declared in it (directly or through the modules it
// calls), or overridden in it when it is an override file, are returned.
// A template's nested stacks whose templates are local files are read
// too.
//
// Load returns a [*ParseError] for input that is not well-formed or goes
// past a bound, an error wrapping [ErrNotIaC] for input of no known kind,
// and the error of the file system otherwise.
func Load(path string, opts Options) (*Result, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		if opts.Kind != 0 && opts.Kind != Terraform {
			return nil, fmt.Errorf("%s is a directory, which only Terraform reads", path)
		}
		if err := opts.Check(path, Terraform); err != nil {
			return nil, err
		}
		return loadTerraform(path, "", opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxTemplateSize+1))
	if err != nil {
		return nil, err
	}
	kind := opts.Kind
	if kind == 0 {
		kind = DetectFile(path, data)
	}
	if err := opts.Check(path, kind); err != nil {
		return nil, err
	}
	switch kind {
	case Terraform:
		if tfFileExt(path) == "" {
			// Terraform reads only the .tf files of a module, and
			// OpenTofu its .tofu files too: a file told to be
			// Terraform under another name is read alone.
			data, err := ReadRest(f, data, MaxHCLSize)
			if err != nil {
				return nil, err
			}
			o := opts
			o.Kind = Terraform
			return Parse(path, data, o)
		}
		// The module names its files cleaned (filepath.Join): so must
		// the file, spelled ./main.tf or infra//main.tf.
		return loadTerraform(filepath.Dir(path), filepath.Clean(path), opts)
	case TerraformPlan:
		if data, err = ReadRest(f, data, MaxPlanSize); err != nil {
			return nil, err
		}
	}
	return parse(path, data, kind, opts)
}

// ReadRest returns head followed by what r holds after it, up to limit+1
// bytes in all, so that the caller sees an input past limit. It reads into
// one buffer, sized by the file when r is a regular file and otherwise at
// limit+1 once head does not hold the whole input: what it allocates stays
// near the input's bytes, and near the bound at most (the pages of a
// buffer not written to are not in memory), where io.ReadAll and append
// held two or three copies of a large input.
func ReadRest(r io.Reader, head []byte, limit int64) ([]byte, error) {
	size := limit + 1
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < limit {
			// One byte more tells the end of the file at once, or that
			// it grew since.
			size = max(fi.Size(), int64(len(head))) + 1
		}
	}
	buf := make([]byte, len(head), size)
	copy(buf, head)
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			// A file that grew since Stat: as append grows a slice.
			buf = slices.Grow(buf, int(min(int64(cap(buf)), limit+1-int64(len(buf)))))
		}
		n, err := r.Read(buf[len(buf):int(min(int64(cap(buf)), limit+1))])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// Check returns an error when opts gives values that the input name, of
// kind (0 for none of the kinds, such as S3's forms), does not take:
// [ErrNotTerraform], [ErrNotCloudFormation], [ErrNotServerless] or
// [ErrNotPulumi], wrapped; [ErrWorkspaceName], wrapped, for a workspace
// Terraform refuses given for a Terraform configuration. [Load] and
// [Parse] check it themselves.
func (opts Options) Check(name string, kind Kind) error {
	switch {
	case kind != Terraform && (len(opts.VarFiles) > 0 || len(opts.Vars) > 0 || opts.Workspace != ""):
		return fmt.Errorf("%s: %w", name, ErrNotTerraform)
	case kind != CloudFormation && len(opts.Parameters) > 0:
		return fmt.Errorf("%s: %w", name, ErrNotCloudFormation)
	case kind != Serverless && (opts.Stage != "" || len(opts.Params) > 0):
		return fmt.Errorf("%s: %w", name, ErrNotServerless)
	case kind != Pulumi && opts.Stack != "":
		return fmt.Errorf("%s: %w", name, ErrNotPulumi)
	case url.PathEscape(opts.Workspace) != opts.Workspace:
		return fmt.Errorf("the workspace name %q is not allowed: %w", opts.Workspace, ErrWorkspaceName)
	}
	return nil
}

// Parse reads one document already in memory: a CloudFormation template, a
// Terraform file or a plan's JSON. name names it in positions ("" for
// standard input). A Terraform file is read alone: variables declared in
// other files are unknown, and its modules and a template's nested stacks
// are read relative to name's directory when name is a path.
func Parse(name string, data []byte, opts Options) (*Result, error) {
	if name == "" {
		name = stdinName
	}
	kind := opts.Kind
	if kind == 0 {
		kind = Detect(data)
	}
	if err := opts.Check(name, kind); err != nil {
		return nil, err
	}
	if kind == Terraform {
		if len(data) > MaxHCLSize {
			return nil, &ParseError{Pos: Position{File: name}, Msg: "the file is larger than " + strconv.Itoa(MaxHCLSize) + " bytes"}
		}
		l := newLoader(Terraform)
		return l.terraformSource(name, data, opts)
	}
	return parse(name, data, kind, opts)
}

// parse reads one file of a known kind other than a Terraform
// directory: it takes the parameter values Options gives, refuses a file
// over its kind's size bound, and reads it with its kind's reader.
func parse(name string, data []byte, kind Kind, opts Options) (*Result, error) {
	l, err := optionsLoader(kind, opts)
	if err != nil {
		return nil, err
	}
	switch kind {
	case CloudFormation:
		if len(data) > MaxTemplateSize {
			return nil, &ParseError{Pos: Position{File: name}, Msg: "the template is larger than " +
				strconv.Itoa(MaxTemplateSize) + " bytes: CloudFormation refuses templates over 1 MB"}
		}
		src := l.source(name, data)
		if err := l.template(src, "", nil, 0); err != nil {
			return nil, err
		}
	case Serverless:
		if len(data) > MaxTemplateSize {
			return nil, &ParseError{Pos: Position{File: name}, Msg: "the file is larger than " + strconv.Itoa(MaxTemplateSize) + " bytes"}
		}
		if err := l.serverless(l.source(name, data)); err != nil {
			return nil, err
		}
	case Kubernetes, Pulumi:
		if len(data) > MaxTemplateSize {
			return nil, &ParseError{Pos: Position{File: name}, Msg: "the file is larger than " + strconv.Itoa(MaxTemplateSize) + " bytes"}
		}
		read := l.kubernetes
		if kind == Pulumi {
			read = l.pulumi
		}
		if err := read(l.source(name, data)); err != nil {
			return nil, err
		}
	case TerraformPlan:
		if len(data) > MaxPlanSize {
			return nil, &ParseError{Pos: Position{File: name}, Msg: "the plan is larger than " + strconv.Itoa(MaxPlanSize) + " bytes"}
		}
		if err := l.plan(l.source(name, data)); err != nil {
			return nil, err
		}
	case Terraform:
		return l.terraformSource(name, data, Options{})
	default:
		return nil, fmt.Errorf("%s: %w", name, ErrNotIaC)
	}
	return l.res, l.err
}

// optionsLoader makes the loader of an input of kind, with the
// CloudFormation parameter values and the Serverless Framework stage and
// parameter values opts gives; an error for a value that is not
// NAME=VALUE.
func optionsLoader(kind Kind, opts Options) (*loader, error) {
	l := newLoader(kind)
	if len(opts.Parameters) > 0 {
		l.cfnParams = map[string]*val{}
		for _, nv := range opts.Parameters {
			name, value, ok := strings.Cut(nv, "=")
			if !ok || name == "" {
				return nil, fmt.Errorf("parameter value %q is not NAME=VALUE", nv)
			}
			l.cfnParams[name] = &val{kind: vString, s: value}
		}
	}
	l.slsStage = opts.Stage
	l.pulumiStack = opts.Stack
	for _, nv := range opts.Params {
		name, value, ok := strings.Cut(nv, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("parameter value %q is not NAME=VALUE", nv)
		}
		if l.slsParams == nil {
			l.slsParams = map[string]string{}
		}
		l.slsParams[name] = value
	}
	return l, nil
}

// source makes the source of the file name, holding data, and lists
// the file among those read, once however many times it is read (a
// nested stack's template for each stack that names it, a service's
// ${file(./config.yml):a} and ${file(./config.yml):b}).
func (l *loader) source(name string, data []byte) *source {
	return l.list(newSource(name, data))
}

// list lists the file of src among those read, once, and returns src.
func (l *loader) list(src *source) *source {
	if _, read := l.sources[src.name]; !read {
		l.res.Files = append(l.res.Files, src.name)
	}
	l.sources[src.name] = src
	return src
}

// template reads one CloudFormation template, JSON or YAML.
func (l *loader) template(src *source, prefix string, passed map[string]*val, depth int) error {
	var root *node
	var err error
	if c, _ := firstByte(src.data); c == '{' {
		root, err = parseTemplateJSON(src)
	} else {
		root, err = parseTemplateYAML(src)
	}
	if err != nil {
		return err
	}
	if depth == 0 && (root.kind != nMap || root.get("Resources") == nil) && Detect(src.data) != CloudFormation {
		reason := "it has no Resources member"
		if root.kind != nMap {
			reason = "its top level is " + root.describe() + ", not a mapping"
		}
		return &KindError{File: src.name, Kind: CloudFormation, Reason: reason}
	}
	if root.kind != nMap {
		return &ParseError{Pos: root.pos(), Msg: "a template is a mapping, not " + root.describe()}
	}
	s := &cfnStack{l: l, src: src, root: root, prefix: prefix, passed: passed, depth: depth, conds: map[string]int8{}}
	if depth == 0 && l.cfnParams != nil {
		for _, name := range slices.Sorted(maps.Keys(l.cfnParams)) {
			decl := root.get("Parameters").get(name)
			if decl == nil {
				// CloudFormation: "Parameters: [X] do not exist in the template".
				return fmt.Errorf("a value is given for parameter %s, which the template does not declare", name)
			}
			fault, unchecked := checkParam(decl, l.cfnParams[name].s)
			if fault != nil {
				return constraintError(name, fault)
			}
			l.patternNote(name, decl, unchecked)
		}
		s.passed, s.given = l.cfnParams, true
	}
	s.read()
	if l.err == nil && s.refused != nil {
		return s.refused
	}
	return l.err
}

// stack reads a nested stack's template file; a failure becomes a note,
// so that the parent's buckets are still judged.
func (l *loader) stack(file string, at Position, prefix string, passed map[string]*val, depth int) {
	abs, _ := filepath.Abs(file)
	if l.onStack[abs] {
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: "nested stack " + strings.TrimSuffix(prefix, "/") + ": its template " + file + " is one of the stacks that contain it; not read again"})
		return
	}
	if l.nested >= maxNestedSize {
		if l.err == nil {
			l.err = &ParseError{Pos: at, Msg: "the templates of the nested stacks read for this input come to more than " +
				strconv.Itoa(maxNestedSize) + " bytes together (a template read again for each resource that names it)"}
		}
		return
	}
	data, err := readBounded(file, MaxTemplateSize)
	l.nested += int64(len(data))
	buckets, notes := len(l.res.Buckets), len(l.res.Notes)
	if err == nil {
		l.onStack[abs] = true
		err = l.template(l.source(file, data), prefix, passed, depth)
		delete(l.onStack, abs)
	}
	if err != nil && l.err == nil {
		// A template CloudFormation refuses once read makes none of
		// the buckets read from it, as one that does not parse.
		l.res.Buckets, l.res.Notes = l.res.Buckets[:buckets], l.res.Notes[:notes]
		l.res.Notes = append(l.res.Notes, Note{Pos: at, Text: "nested stack " + strings.TrimSuffix(prefix, "/") + ": " + err.Error()})
	}
}

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := ReadRest(f, nil, limit)
	if err == nil && int64(len(data)) > limit {
		return nil, &ParseError{Pos: Position{File: path}, Msg: "the file is larger than " + strconv.FormatInt(limit, 10) + " bytes"}
	}
	return data, err
}

// spend counts one step of resolving values, and one for each
// bytesPerStep bytes of n's text (an alias of a long string is read
// again at each use); past maxSteps it records an error that ends the
// reading and returns false.
func (l *loader) spend(n *node) bool {
	if l.steps += 1 + len(n.text)/bytesPerStep; l.steps <= maxSteps {
		return true
	}
	if l.err == nil {
		l.err = &ParseError{Pos: n.pos(), Msg: "resolving values takes more than " + strconv.Itoa(maxSteps) +
			" steps: aliases, references or functions expand too far, or repeat long strings (a YAML \"billion laughs\"?)"}
	}
	return false
}

// build counts the n bytes of a string built for a value, a step for
// each bytesPerStep of them; past maxBuilt bytes, or maxSteps, it
// records an error that ends the reading and returns false.
func (l *loader) build(pos Position, n int) bool {
	if l.built += n; l.built > maxBuilt {
		if l.err == nil {
			l.err = &ParseError{Pos: pos, Msg: "the strings built in resolving values come to more than " + strconv.Itoa(maxBuilt) +
				" bytes: aliases, references or loops build long strings again and again"}
		}
		return false
	}
	return l.spendN(pos, n/bytesPerStep)
}

// tooLong records that a string built by a function went past maxValueLen.
func (l *loader) tooLong(n *node) *val {
	if l.err == nil {
		l.err = &ParseError{Pos: n.pos(), Msg: "a value built by " + render(n, 30) + " is longer than " + strconv.Itoa(maxValueLen) + " bytes"}
	}
	return unknownVal(n.pos(), render(n, 60), "too long")
}

// splitVal splits the string v at sep into a list, each element at its
// own position when v is written in place as one line, at ref otherwise.
// Each element costs a step: a parameter's long list, referred to many
// times, is split each time.
func (l *loader) splitVal(v *val, sep string, trim bool, ref Position) *val {
	if !l.spendN(ref, strings.Count(v.s, sep)+1) {
		return unknownVal(ref, "", "too much to evaluate")
	}
	parts := strings.Split(v.s, sep)
	out := &val{kind: vList, org: v.org}
	src, off, inPlace := l.literalAt(v)
	pos := 0
	for _, p := range parts {
		e := &val{kind: vString, s: p, org: v.org}
		if trim {
			e.s = strings.TrimSpace(p)
		}
		if inPlace {
			lead := strings.Index(p, e.s)
			e.org.Pos = src.pos(off + pos + lead)
		} else if !e.org.Pos.IsValid() {
			e.org.Pos = ref
		}
		pos += len(p) + len(sep)
		out.list = append(out.list, e)
	}
	return out
}

// literalAt returns where the text of the scalar v starts in its file when
// it is written there as it is: plain or quoted, without escapes.
func (l *loader) literalAt(v *val) (*source, int, bool) {
	src := l.sources[v.org.Pos.File]
	if src == nil || !v.org.Pos.IsValid() || v.org.Pos.Line > len(src.lines) {
		return nil, 0, false
	}
	off := src.lines[v.org.Pos.Line-1] + v.org.Pos.Column - 1
	if off < len(src.data) && (src.data[off] == '"' || src.data[off] == '\'') {
		off++
	}
	if bytes.HasPrefix(src.data[off:], []byte(v.s)) {
		return src, off, true
	}
	return nil, 0, false
}

// firstByte returns the first byte that is neither part of a leading byte
// order mark nor white space, and its offset.
func firstByte(b []byte) (byte, int) {
	i := 0
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		i = 3
	}
	for ; i < len(b); i++ {
		if c := b[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c, i
		}
	}
	return 0, len(b)
}

// lfLines returns data with each "\r" that ends a line alone turned into
// "\n", so that the patterns of Detect, whose ^ matches after "\n" only,
// see the lines of a file written with classic Mac OS line ends (YAML 1.2
// ends a line there); a copy only when there is one, at the same offsets.
func lfLines(data []byte) []byte {
	i := bytes.IndexByte(data, '\r')
	for i >= 0 && i+1 < len(data) && data[i+1] == '\n' {
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			return data
		}
		i += 1 + j
	}
	if i < 0 {
		return data
	}
	out := bytes.Clone(data)
	for ; i < len(out); i++ {
		if out[i] == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}

var (
	hclStart = regexp.MustCompile(`(?m)^[ \t]*(resource|module|variable|locals|provider|terraform|data|output)[ \t]*("|\{)`)
	cfnStart = regexp.MustCompile(`(?m)^("?)(AWSTemplateFormatVersion|Resources|Transform)("?)[ \t]*:`)
	// slsServiceKey and slsProviderKey start the two members every Serverless
	// Framework service file has, at its top level.
	slsServiceKey  = regexp.MustCompile(`(?m)^("?)service("?)[ \t]*:`)
	slsProviderKey = regexp.MustCompile(`(?m)^("?)provider("?)[ \t]*:`)
	// k8sAPIVersion and k8sKind start the two fields every Kubernetes
	// manifest has, at the top level of a document.
	k8sAPIVersion = regexp.MustCompile(`(?m)^("?)apiVersion("?)[ \t]*:`)
	k8sKind       = regexp.MustCompile(`(?m)^("?)kind("?)[ \t]*:`)
	// pulumiRuntime and pulumiResources start the members of a Pulumi
	// YAML program's project file that say it is one: its runtime, and
	// the resources it declares.
	pulumiRuntime   = regexp.MustCompile(`(?m)^("?)runtime("?)[ \t]*:`)
	pulumiResources = regexp.MustCompile(`(?m)^("?)resources("?)[ \t]*:`)
)

// Detect tells the kind of an infrastructure file from its content (its
// first megabyte is enough), or returns 0 when it is none of them: S3's
// own forms (XML, the AWS CLI's and the console's JSON) return 0.
//
// JSON is a template when its top-level object has AWSTemplateFormatVersion
// or Resources; a plan when it has format_version with resource_changes,
// planned_values or values, or when it is a state file as Terraform
// writes it (version, serial and lineage), which the plan reader refuses
// with a [*KindError] that says to give "terraform show -json"'s;
// Terraform's JSON syntax (cdktf's cdk.tf.json) when it has resource or
// module and no member but Terraform's block types and "//"; a
// Serverless Framework service (serverless.json) when it has service and
// provider; a Kubernetes manifest when it has apiVersion and kind; and a
// Pulumi YAML program (Pulumi.json) when it has runtime and resources.
// Other text is a
// Serverless Framework service (serverless.yml) when lines start with
// service: and provider:, which the Framework requires, a template when a
// line starts with AWSTemplateFormatVersion:, Resources: or Transform:,
// Terraform when a line starts a resource, module, variable, locals,
// provider, terraform, data or output block, or one of Terragrunt's
// blocks (include, remote_state, dependency, dependencies, generate),
// which the Terraform reader refuses, and Kubernetes manifests
// when lines start with apiVersion: and kind:; when several of the last
// three are there, the one met first. A Pulumi YAML program is told
// before them, by lines that start with runtime: and resources:, which
// a template (Resources:, capitalised) and manifests do not have.
func Detect(data []byte) Kind {
	c, _ := firstByte(data)
	switch c {
	case '{':
		return detectJSON(data)
	case '<', '[', 0:
		return 0
	}
	// The pattern met first tells: a Terraform file may hold a template
	// in a heredoc (aws_cloudformation_stack's template_body), after its
	// resource block. A byte order mark does not keep the first line from
	// telling, nor lines that end in "\r" alone the lines after them.
	data = lfLines(bytes.TrimPrefix(data, []byte("\uFEFF")))
	if slsServiceKey.Match(data) && slsProviderKey.Match(data) {
		return Serverless
	}
	if pulumiRuntime.Match(data) && pulumiResources.Match(data) {
		return Pulumi
	}
	cfn, hcl, k8s := cfnStart.FindIndex(data), hclStart.FindIndex(data), k8sAPIVersion.FindIndex(data)
	if tg := terragruntStart.FindIndex(data); tg != nil && (hcl == nil || tg[0] < hcl[0]) {
		hcl = tg // Terragrunt's, which the Terraform reader refuses
	}
	if k8s != nil && !k8sKind.Match(data) {
		k8s = nil
	}
	first, kind := len(data), Kind(0)
	for _, c := range []struct {
		at   []int
		kind Kind
	}{{cfn, CloudFormation}, {hcl, Terraform}, {k8s, Kubernetes}} {
		if c.at != nil && c.at[0] < first {
			first, kind = c.at[0], c.kind
		}
	}
	return kind
}

// DetectFile is [Detect] for a file named path: a name ending in .tf,
// .tf.json, .tofu or .tofu.json is Terraform, whatever it holds, as
// Terraform and OpenTofu read it, the last two in Terraform's JSON syntax.
// Main.yaml, Main.yml or Main.json that Detect does not tell and that has
// resources at its top level is a Pulumi YAML program: the file Pulumi
// runs from the directory a project file's main names, which has no
// runtime of its own.
func DetectFile(path string, data []byte) Kind {
	if tfFileExt(path) != "" {
		return Terraform
	}
	kind := Detect(data)
	switch filepath.Base(path) {
	case "Main.yaml", "Main.yml", "Main.json":
		if kind == 0 && pulumiMain(data) {
			return Pulumi
		}
	}
	return kind
}

// pulumiMain reports whether data, a Pulumi program's Main file, has
// resources at its top level, in YAML or JSON.
func pulumiMain(data []byte) bool {
	if c, _ := firstByte(data); c != '{' {
		return pulumiResources.Match(lfLines(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	}
	found := false
	p := newJSONParser(newSource("", data))
	p.object(func(key string, _, _ int) error {
		found = found || key == "resources"
		_, err := p.value(false)
		return err
	})
	return found
}

// detectJSON looks at the member names of the top-level object, as far as
// data goes.
func detectJSON(data []byte) Kind {
	p := newJSONParser(newSource("", data))
	names := map[string]bool{}
	p.object(func(key string, _, _ int) error {
		names[key] = true
		_, err := p.value(false)
		return err
	})
	switch {
	case names["AWSTemplateFormatVersion"] || names["Resources"]:
		return CloudFormation
	case names["apiVersion"] && names["kind"]:
		return Kubernetes
	case names["service"] && names["provider"]:
		return Serverless
	case names["runtime"] && names["resources"]:
		return Pulumi // Pulumi.json, a project file Pulumi reads as Pulumi.yaml
	case names["format_version"] && (names["resource_changes"] || names["planned_values"] || names["values"] || names["terraform_version"]):
		return TerraformPlan
	case rawState(names):
		return TerraformPlan // which refuses it, saying how to read it
	case (names["resource"] || names["module"]) && allIn(names, tfJSONTop):
		return Terraform
	}
	return 0
}

// rawState reports whether names, the members of a JSON object, are those
// of a state file as Terraform writes it (terraform.tfstate, what
// "terraform state pull" prints: version, terraform_version, serial,
// lineage, outputs and resources), not the JSON of "terraform show -json",
// which has format_version instead.
func rawState(names map[string]bool) bool {
	return !names["format_version"] && names["version"] && names["serial"] && names["lineage"]
}

// tfJSONTop holds the top-level properties of a file in Terraform's JSON
// syntax: its block types (action since Terraform 1.14), and "//" for
// comments.
var tfJSONTop = map[string]bool{"//": true, "terraform": true, "provider": true, "variable": true, "locals": true, "output": true,
	"module": true, "resource": true, "data": true, "ephemeral": true, "moved": true, "import": true, "removed": true, "check": true,
	"action": true}

// foreignTop returns the first top-level property of the JSON object data
// that is not in tfJSONTop, or "".
func foreignTop(data []byte) string {
	p := newJSONParser(newSource("", data))
	first := ""
	p.object(func(key string, _, _ int) error {
		if first == "" && !tfJSONTop[key] {
			first = key
		}
		_, err := p.value(false)
		return err
	})
	return first
}

// allIn reports whether every key of names is in set.
func allIn(names, set map[string]bool) bool {
	for k := range names {
		if !set[k] {
			return false
		}
	}
	return true
}

// errPathOutside and errLinkOutside are insidePath's refusals of a path
// outside the directories a file may be read from: by the path as
// written, or by where its symbolic links lead.
var (
	errPathOutside = errors.New("outside the directories read")
	errLinkOutside = errors.New("leads outside the directories read")
)

// insidePath returns p, with its symbolic links followed, when it is
// inside one of the directories roots both as written and where its
// links lead, so that a configuration judged never makes this package
// read, nor print, a file of the machine (a file("/proc/self/environ")
// in a pull request). Outside as written, whether it exists is not
// asked (errPathOutside); a file that does not exist is fs.ErrNotExist.
func insidePath(roots []string, p string) (string, error) {
	if !insideAny(roots, p, filepath.Abs) {
		return "", errPathOutside
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if !insideAny(roots, real, filepath.EvalSymlinks) {
		return "", errLinkOutside
	}
	return real, nil
}

// insideAny reports whether the path p is inside one of the directories
// roots, each made comparable to p by resolve (filepath.Abs for a path as
// written, filepath.EvalSymlinks for one whose links are followed).
func insideAny(roots []string, p string, resolve func(string) (string, error)) bool {
	p, err := resolve(p)
	if err != nil {
		return false
	}
	if !filepath.IsAbs(p) {
		if p, err = filepath.Abs(p); err != nil {
			return false
		}
	}
	for _, root := range roots {
		r, err := resolve(root)
		if err != nil {
			continue
		}
		if !filepath.IsAbs(r) {
			if r, err = filepath.Abs(r); err != nil {
				continue
			}
		}
		if rel, err := filepath.Rel(r, p); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	return false
}
