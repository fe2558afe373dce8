package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/annotate"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// source is one configuration to read: a file, standard input or the
// embedded example.
type source struct {
	name string // how output names it
	path string // the file; "" for standard input and the example
	// empty is, for standard input read because no FILE was given, the
	// usage mistake it is when empty, rather than an empty document; nil
	// for any other source.
	empty error
	// stdin is standard input, which is in no file of a repository.
	stdin bool
	open  func() (io.Reader, func() error, error)
}

// sources turns the FILE arguments, or --example, into sources. FILE "-"
// is standard input, which may be named once. Without FILE, standard input
// is read when it is a pipe or a file, as gofmt does ("cat cors.json |
// s3cors validate"), not a terminal or another device (see isTerminal).
func (c *command) sources(files []string, example bool, stdin io.Reader) ([]source, int, bool) {
	switch {
	case example && len(files) > 0:
		return nil, c.usageError("--example replaces FILE; give one or the other"), false
	case example:
		return []source{exampleSource()}, 0, true
	case len(files) == 0 && isTerminal(stdin):
		return nil, c.usageError(`no FILE given (use "-" for standard input, or %s)`, c.inputFlagsNamed()), false
	case len(files) == 0:
		src := fileSource("-", stdin)
		src.empty = fmt.Errorf(`no FILE given, and standard input is empty (give FILE, "-" for standard input, or %s)`, c.inputFlagsNamed())
		return []source{src}, 0, true
	}
	if slices.Contains(files, "") {
		// The system's words would name no file: ": no such file or
		// directory". An unset shell variable gives it ("$CONFIG").
		return nil, c.usageError(`a FILE named is empty (an unset variable?): give a path, or "-" for standard input`), false
	}
	if stdins := len(slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f != "-" })); stdins > 1 {
		return nil, c.usageError(`standard input ("-") can be read only once`), false
	}
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = fileSource(f, stdin)
	}
	return srcs, 0, true
}

// inputFlagsNamed returns the flags that give c's input instead of FILE,
// as the errors for a FILE not given name them: c.inputFlags, or
// --example.
func (c *command) inputFlagsNamed() string {
	if c.inputFlags == "" {
		return "--example"
	}
	return c.inputFlags
}

// isTerminal reports whether r is a terminal, or nothing at all: what a
// command without FILE must not wait on. Like gofmt, anything else
// (a pipe, a file) is read; a character device other than a terminal,
// such as /dev/null, counts as one, so that "s3cors validate </dev/null"
// asks for a FILE.
func isTerminal(r io.Reader) bool {
	if r == nil {
		return true
	}
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func exampleSource() source {
	return source{name: exampleName, open: func() (io.Reader, func() error, error) {
		return bytes.NewReader(exampleJSON), nil, nil
	}}
}

// fileSource returns the source of the file path, standard input for
// "-" (empty when there is none). A directory is refused when opened,
// with a message rather than the read error "is a directory".
func fileSource(path string, stdin io.Reader) source {
	if path == "-" {
		return source{name: stdinName, stdin: true, open: func() (io.Reader, func() error, error) {
			if stdin == nil {
				return bytes.NewReader(nil), nil, nil
			}
			return stdin, nil, nil
		}}
	}
	return source{name: path, path: path, open: func() (io.Reader, func() error, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, notFound(path, err)
		}
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			f.Close()
			return nil, nil, errIsDir
		}
		return f, f.Close, nil
	}}
}

var errIsDir = errors.New("is a directory, not a configuration file")

// notFound returns err, the error of opening the FILE path, saying what
// was meant when path does not exist and is written as the AWS CLI's
// put-bucket-cors --cors-configuration takes a configuration:
// "file://cors.json", a path after the prefix that names a file, or the
// configuration itself ('{"CORSRules": ...}'). Either would otherwise be
// "no such file or directory", with nothing to say why.
func notFound(path string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if rest, ok := strings.CutPrefix(path, "file://"); ok && rest != "" {
		return fmt.Errorf("%w: FILE is a path, without the AWS CLI's file:// prefix: write %s", plainError(err), rest)
	}
	if t := strings.TrimSpace(path); t != "" && strings.ContainsRune("{[<", rune(t[0])) {
		return fmt.Errorf(`%w: FILE is a path; a configuration itself is read from standard input (FILE "-")`, plainError(err))
	}
	return err
}

// readLimit bounds what is read of one input before its form is known:
// one byte more than the largest S3 form allows (S3 console and AWS CLI
// JSON), so that the decoders see an input too large and refuse it as
// they do when reading, and enough for iac.Detect. Only a plan or
// Terraform on standard input (or a pipe) is read further, up to
// iac.MaxPlanSize or iac.MaxHCLSize.
const readLimit = xmlconfig.MaxJSONSize + 1

// plainError says what went wrong with a file in words, without the
// operation and the path that *fs.PathError adds ("open x: no such file
// or directory"): the caller names the file once.
func plainError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// Input forms --input names: S3's three and the AWS CLI's
// --cli-input-json, then the infrastructure files.
var inputForms = []string{"xml", "json", "console", "cli-input-json", "cloudformation", "terraform", "terraform-plan", "serverless", "kubernetes", "pulumi"}

// inputFlag defines --input on c.
func (c *command) inputFlag() *string {
	return c.choiceFlag("input", "", "read every FILE as `FORM`: xml, json, console, cli-input-json, cloudformation,\nterraform, terraform-plan, serverless, kubernetes or pulumi, instead of\ntelling the form from the content", inputForms...)
}

// loadOptions say how to read a source.
type loadOptions struct {
	input string // an inputForms member, or "" to tell the form from the content
	// skipUnrelated skips a file that is neither infrastructure code nor
	// may be a CORS configuration in one of S3's forms (see mayBeS3Form).
	skipUnrelated bool
	// varFiles and vars give Terraform's variables values, as
	// terraform plan's -var-file and -var (see iac.Options); params
	// CloudFormation's parameters; stage and slsParams a Serverless
	// Framework service's stage and parameters; stack a Pulumi
	// program's stack; workspace a Terraform configuration's.
	varFiles, vars, params  []string
	stage, stack, workspace string
	slsParams               []string
}

// with returns o with the values the flags v give.
func (o loadOptions) with(v valueFlags) loadOptions {
	o.varFiles, o.vars, o.params = *v.varFiles, *v.vars, *v.params
	o.stage, o.slsParams, o.stack, o.workspace = *v.stage, *v.slsParams, *v.stack, *v.workspace
	return o
}

// iacOptions returns the options of iac.Load and iac.Parse for kind.
func (o loadOptions) iacOptions(kind iac.Kind) iac.Options {
	return iac.Options{Kind: kind, VarFiles: o.varFiles, Vars: o.vars, Parameters: o.params, Stage: o.stage, Params: o.slsParams,
		Stack: o.stack, Workspace: o.workspace}
}

// valueFlags are the flags that give an infrastructure file's inputs
// values: Terraform's variables, CloudFormation's parameters, a
// Serverless Framework service's stage and parameters, a Pulumi stack, a
// Terraform workspace.
type valueFlags struct {
	varFiles, vars, params, slsParams *[]string
	stage, stack, workspace           *string
}

// valueFlags defines --var-file, --var, --workspace, --parameter, --stage,
// --param and --stack.
func (c *command) valueFlags() valueFlags {
	varFiles, vars := c.varFlags()
	workspace := c.stringFlag("workspace", "", "judge a Terraform configuration in the workspace `NAME` (terraform.workspace),\nas TF_WORKSPACE or terraform workspace select gives it, whatever\n.terraform/environment selects")
	params := c.listFlag("parameter", "give the CloudFormation parameter NAME the value VALUE (`NAME=VALUE`)\ninstead of its Default, as aws cloudformation deploy --parameter-overrides\ndoes (a CommaDelimitedList's items separated by commas); repeatable")
	stage := c.stringFlag("stage", "", "judge a Serverless Framework service as deployed to the stage `STAGE`, as\nserverless deploy --stage does (${sls:stage}, ${opt:stage}, params.STAGE)")
	slsParams := c.listFlag("param", "give the Serverless Framework parameter NAME the value VALUE (`NAME=VALUE`),\nas serverless deploy --param does (${param:NAME}, before params); repeatable")
	stack := c.stringFlag("stack", "", "judge a Pulumi YAML program as deployed to the stack `STACK`, its config\nvalues those Pulumi.STACK.yaml beside it sets, as pulumi preview --stack does")
	return valueFlags{varFiles, vars, params, slsParams, stage, stack, workspace}
}

// given reports whether any of the flags was given.
func (v valueFlags) given() bool {
	return len(*v.varFiles)+len(*v.vars)+len(*v.params)+len(*v.slsParams) > 0 || *v.stage != "" || *v.stack != "" || *v.workspace != ""
}

// emptyValue returns the usage error for a flag of valueFlags that names
// one thing (a stage, a stack, a workspace) given empty, or "".
func (c *command) emptyValue() string {
	if name := c.emptyFlag("stage", "stack", "workspace"); name != "" {
		return "--" + name + " is empty: give a " + name + ", or leave the flag out"
	}
	return ""
}

// errExampleValues is --example given with a flag of valueFlags.
const errExampleValues = "--var-file, --var, --workspace, --parameter, --stage, --param and --stack give values to the inputs of infrastructure code; the --example is AWS CLI JSON"

// varFlags defines --var-file and --var, which give Terraform's variables
// values as terraform plan's -var-file and -var do.
func (c *command) varFlags() (varFiles, vars *[]string) {
	varFiles = c.listFlag("var-file", "give a Terraform configuration's variables the values in `FILE` (.tfvars or\n.tfvars.json), after terraform.tfvars and *.auto.tfvars, as terraform plan\n-var-file does; repeatable, a later value winning")
	vars = c.listFlag("var", "give the Terraform variable NAME the value VALUE (`NAME=VALUE`), after the\n--var-file values, as terraform plan -var does: the text itself for a\nvariable of type string or without a type, else an expression such as\n'origins=[\"https://a.example\"]'; repeatable")
	return varFiles, vars
}

// refusedValues are the values each kind of infrastructure file takes,
// by the error iac.Options.Check returns for a file that does not.
var refusedValues = []struct {
	err         error
	kind, flags string
}{
	{iac.ErrNotTerraform, "a Terraform configuration", "--var-file, --var and --workspace give values to Terraform's variables and workspace only"},
	{iac.ErrNotCloudFormation, "a CloudFormation template", "--parameter gives values to CloudFormation's parameters only"},
	{iac.ErrNotServerless, "a Serverless Framework service", "--stage and --param give values to a service's variables only"},
	{iac.ErrNotPulumi, "a Pulumi YAML program", "--stack gives the configuration of a Pulumi program's stack only"},
}

// valuesRefused returns the usage error for a FILE of kind (0 for S3's
// forms) given values it does not take, err from iac.Options.Check, or
// nil when err is none of those.
func valuesRefused(err error, kind iac.Kind) error {
	for _, r := range refusedValues {
		if errors.Is(err, r.err) {
			is := "is not "
			if kind != 0 {
				is = "is a " + kindName(kind) + ", not "
			}
			return errors.New(is + r.kind + ", and " + r.flags)
		}
	}
	return nil
}

// loaded is a configuration read and judged as S3's PutBucketCors would:
// an S3 document, or the buckets of an infrastructure file.
type loaded struct {
	name string
	// format is the form of an S3 document, known from its first
	// character even when it does not decode; 0 when it is none.
	format xmlconfig.Format
	// form is the S3 form --input names, which the document is read as;
	// 0 for none.
	form xmlconfig.Format
	doc  *xmlconfig.Document // nil when the document did not decode or could not be read
	// problems is S3's verdict, in the order S3 reports: the decoder's
	// problems, or, for a document that decoded, bucket.Problems. Empty
	// when S3 would accept the configuration.
	problems []*s3err.Error
	data     []byte // the S3 document, for columns counted in characters

	// iac is what an infrastructure file declares, and verdicts its
	// buckets' verdicts, in order; parseErr says why the file is not one
	// (not well-formed, too large), which is a verdict on it, not an
	// I/O error.
	iac      *iac.Result
	verdicts []*iac.Verdict
	parseErr *iac.ParseError
	kind     iac.Kind // the kind of infrastructure file, read or not
	// kindGiven is whether --input gave kind, rather than the content.
	kindGiven bool

	skipped bool  // --skip-unrelated: neither infrastructure code nor a CORS configuration
	err     error // the input could not be read; its message does not name it
	stdin   bool  // read from standard input, which is in no file
}

// formatName returns "format" of l in --json: the form l was read as,
// which its verdict is about: the one --input names, or else the one its
// content tells; "" when there is neither (a file not read without
// --input).
func (l *loaded) formatName() string {
	switch {
	case l.kind != 0:
		return l.kind.String()
	case l.form != 0:
		return l.form.String()
	case l.format != 0:
		return l.format.String()
	}
	return ""
}

// isIaC reports whether l is an infrastructure file.
func (l *loaded) isIaC() bool { return l.iac != nil || l.parseErr != nil }

// valid reports whether l read and S3 would accept it: for an
// infrastructure file, every bucket in it.
func (l *loaded) valid() bool {
	if l.err != nil || len(l.problems) > 0 || l.parseErr != nil {
		return false
	}
	for _, v := range l.verdicts {
		if !v.Valid() {
			return false
		}
	}
	return true
}

// configuration is the one valid configuration convert and explain work
// on: an S3 document, or one bucket of an infrastructure file.
type configuration struct {
	name   string
	from   string // the form read: an inputForms member
	rules  []corsrule.Rule
	bucket *iac.Bucket // the bucket, for an infrastructure file; nil for an S3 document
	// fileNotes are the notes on the infrastructure file that concern
	// its bucket too (see wholeFileNotes).
	fileNotes []iac.Note
}

// loadValid loads the configuration of src for a verb that needs a valid
// one; resource names the bucket of an infrastructure file that declares
// several. On an I/O or usage error, on S3's or the tool's refusal, which
// it prints as validate would, or when values could not be judged, it
// returns false and the exit status to end with. A FILE that could not
// be read is reported on standard error and, with asJSON, on stdout too,
// in the shape of validate --json's file with its "error", so that a
// program reading the JSON learns why there is no answer.
func (c *command) loadValid(src source, opts loadOptions, resource string, stdout io.Writer, asJSON bool) (*configuration, int, bool) {
	l := load(src, opts)
	if l.err != nil {
		c.ioError(l.name, l.err)
		if asJSON {
			writeJSON(stdout, invalidJSON(l))
		}
		return nil, exitUsage, false
	}
	if l.isIaC() {
		return c.validBucket(l, resource, stdout, asJSON)
	}
	if resource != "" {
		return nil, c.usageError("--resource names a bucket of an infrastructure file, and %s holds %s", l.name, formatName(l.format)), false
	}
	if !l.valid() {
		if asJSON {
			writeJSON(stdout, invalidJSON(l))
		} else {
			writeVerdict(stdout, l, false)
		}
		return nil, exitInvalid, false
	}
	return &configuration{name: l.name, from: l.doc.Format.String(), rules: l.doc.Rules}, exitOK, true
}

// validBucket picks the bucket of an infrastructure file that resource
// names (any, when the file declares one) and returns it when S3 and the
// tool would take it and all its values are known.
func (c *command) validBucket(l *loaded, resource string, stdout io.Writer, asJSON bool) (*configuration, int, bool) {
	refuse := func(v *iac.Verdict) (*configuration, int, bool) {
		one := *l
		if v != nil {
			one.verdicts = []*iac.Verdict{v}
		}
		if asJSON {
			writeJSON(stdout, iacJSON(&one, false, false))
		} else {
			writeIaC(stdout, &one, false, false)
		}
		return nil, exitInvalid, false
	}
	if l.parseErr != nil {
		return refuse(nil)
	}
	var names []string
	for _, b := range l.iac.Buckets {
		names = append(names, b.Resource)
	}
	switch {
	case len(names) == 0:
		code := c.usageError("%s declares no bucket CORS configuration", l.name)
		// The notes say why when the file has CORS that is not
		// deployed as read (a count of 0, an entry no event names).
		for _, n := range l.iac.Notes {
			writeFileNote(c.stderr, n, l.name)
		}
		return nil, code, false
	case resource == "" && len(names) > 1:
		// The names are the file's values, escaped as the text output
		// escapes them (see printText).
		return nil, c.usageError("%s declares %d bucket CORS configurations; name one with --resource: %s", l.name, len(names), escapeText(strings.Join(names, ", "))), false
	case resource == "":
		resource = names[0]
	}
	b, err := l.iac.Bucket(resource)
	if err != nil {
		return nil, c.usageError("--resource %s: %s", resource, escapeText(err.Error())), false
	}
	v := l.verdicts[slices.Index(l.iac.Buckets, b)]
	if v.Valid() && len(b.Unjudged) > 0 {
		printText(c.stderr, "s3cors %s: %s: %s has %s that could not be judged, so its rules are not known as S3 would receive them\n",
			c.name, l.name, b.Resource, plural(len(b.Unjudged), "value"))
	}
	if !v.Valid() || len(b.Unjudged) > 0 {
		return refuse(v)
	}
	rules, _ := l.iac.Rules(b.Resource) // known and valid: checked above
	return &configuration{name: l.name, from: l.iac.Kind.String(), rules: rules, bucket: b, fileNotes: wholeFileNotes(l.iac.Notes)}, exitOK, true
}

// load reads and judges src, as S3 XML or JSON, or as an infrastructure
// file (iac.Load for a regular file or a directory, iac.Parse for
// standard input or a pipe).
// Reading is bounded: see readLimit.
func load(src source, opts loadOptions) *loaded {
	l := &loaded{name: src.name, stdin: src.stdin}
	form, _ := xmlconfig.ParseFormat(opts.input)
	kind, _ := iac.ParseKind(opts.input)
	l.form, l.kind, l.kindGiven = form, kind, kind != 0
	// regular is a file iac.Load may open and read again from the start;
	// a pipe (a shell's "<(...)", a FIFO) is read once, as standard input
	// is.
	regular := false
	if src.path != "" {
		if fi, err := os.Stat(src.path); err == nil {
			if fi.IsDir() && form == 0 {
				l.loadDir(src.path, kind, opts)
				return l
			}
			regular = fi.Mode().IsRegular()
		}
	}
	r, closeFn, err := src.open()
	if err != nil {
		l.err = plainError(err)
		return l
	}
	if closeFn != nil {
		defer closeFn()
	}
	data, err := io.ReadAll(io.LimitReader(r, readLimit))
	switch {
	case err != nil:
		l.err = plainError(err)
		return l
	case src.empty != nil && len(data) <= corsrule.MaxDocumentSize && len(bytes.TrimSpace(data)) == 0:
		// Past S3's bound it is a document S3 refuses as too large, as
		// "-" reads it, not an empty pipe ("cat /dev/zero | tr ...").
		l.err = src.empty
		return l
	}
	if form == 0 && kind == 0 {
		if reason := terraformCompanion(src.path); reason != "" {
			// Not S3's verdict (MalformedXML, "S3 calls it CORSRules"),
			// nor a module's, on what Terraform reads beside a module,
			// whatever blocks it holds; a repository's are passed over,
			// as its modules read them.
			l.skipped = opts.skipUnrelated
			if !l.skipped {
				l.err = errors.New(reason)
			}
			return l
		}
		kind = iac.DetectFile(src.path, data)
		if kind == iac.Kubernetes && opts.skipUnrelated && !iac.MayHoldBucketCORS(data) {
			// A repository holds many manifests, and Helm's templates,
			// which are not YAML yet; none of them sets a bucket's CORS.
			l.skipped = true
			return l
		}
	}
	if kind != 0 {
		l.loadIaC(src.path, r, data, kind, regular, opts)
		return l
	}
	l.loadS3(src.path, data, form, opts)
	return l
}

// loadIaC judges the infrastructure file of kind at path, whose start is
// data, read from r: load's second half for infrastructure code. A
// regular file is loaded again from its path (iac.Load follows the
// files it names: modules, nested stacks), anything else read to the end
// of its kind's bound and parsed.
func (l *loaded) loadIaC(path string, r io.Reader, data []byte, kind iac.Kind, regular bool, opts loadOptions) {
	if regular {
		l.kind = kind
		r, err := iac.Load(path, opts.iacOptions(kind))
		l.judgeIaC(r, err, data)
		return
	}
	// The first megabyte told the kind; a plan and Terraform may be
	// larger, up to their bounds (a template's is that megabyte).
	if limit := map[iac.Kind]int64{iac.TerraformPlan: iac.MaxPlanSize, iac.Terraform: iac.MaxHCLSize}[kind]; limit > 0 && len(data) == readLimit {
		var err error
		if data, err = iac.ReadRest(r, data, limit); err != nil {
			l.err = plainError(err)
			return
		}
	}
	l.kind = kind
	res, err := iac.Parse(path, data, opts.iacOptions(kind))
	l.judgeIaC(res, err, data)
}

// loadS3 judges data, read from path, as S3 XML or JSON in form (0: the
// form data is in): load's second half for S3's own forms, which take
// no values for variables, and refuse YAML that is no infrastructure
// code in words of their own rather than as S3's MalformedXML.
func (l *loaded) loadS3(path string, data []byte, form xmlconfig.Format, opts loadOptions) {
	if opts.skipUnrelated && !mayBeS3Form(data) {
		// Before the check of values for variables, which refuses every
		// file that is no infrastructure code: a repository's
		// package.json is passed over with --var-file as without it.
		l.skipped = true
		return
	}
	if err := opts.iacOptions(0).Check(path, 0); err != nil {
		l.err = valuesRefused(err, 0)
		if l.err == nil {
			l.err = plainError(err) // none today: Check reports the kind first
		}
		return
	}
	if form == 0 && isYAMLName(path) && xmlconfig.Detect(data) == 0 && len(bytes.TrimSpace(data)) > 0 && bytes.IndexByte(data, 0) < 0 {
		// Not S3's verdict (MalformedXML) on what no one meant S3 to
		// read: a workflow, a docker-compose file.
		l.err = errors.New("is YAML that is neither a CloudFormation template (it has no top-level Resources), a Serverless Framework service (service and provider), Kubernetes manifests (apiVersion and kind) nor a Pulumi YAML program (runtime and resources): s3cors reads YAML only as those, and S3's forms are XML and JSON")
		if out := awsCLIOutput(data); out != "" {
			l.err = errors.New("is " + awsCLIOutputReason(out))
		}
		return
	}
	if form == 0 && startsWithAction(data) {
		// Not S3's verdict (MalformedXML, "invalid JSON: unexpected
		// '{'") on a template's source, which no JSON starts with.
		l.err = errors.New("starts with {{, an action of a template (a Helm chart's, Go's text/template, Jinja's): it is a configuration only once rendered, so judge what helm template, or the tool that renders it, prints")
		return
	}
	l.decode(data, form)
	if out := awsCLIOutput(data); out != "" && l.doc == nil && len(l.problems) == 1 {
		// S3 would refuse it as neither XML nor JSON, and so it is; the
		// hint says what it is instead, and how to get the JSON.
		p := *l.problems[0]
		p.Reason = awsCLIOutputReason(out)
		l.problems[0] = &p
	}
}

// terraformCompanion returns why path, by its name, is a file Terraform
// reads beside a module rather than a configuration, and what to give
// instead, or "" when it is none: variable values (.tfvars and
// .tfvars.json, which terraform plan -var-file reads) and a test's files
// (.tftest.hcl and .tftest.json, and the mock data of .tfmock.hcl and
// .tfmock.json, which terraform test reads), and the dependency lock file
// terraform init writes (.terraform.lock.hcl, OpenTofu's too), which
// holds provider blocks and would otherwise be read as a module that
// declares no bucket.
func terraformCompanion(path string) string {
	name := strings.ToLower(filepath.Base(path))
	switch {
	case name == ".terraform.lock.hcl":
		return "is the dependency lock file terraform init writes, not a configuration: give the module whose directory holds it"
	case strings.HasSuffix(name, ".tfvars"), strings.HasSuffix(name, ".tfvars.json"):
		return "is a file of Terraform variable values, not a configuration: give the module whose variables it sets, " +
			"which reads its directory's terraform.tfvars, terraform.tfvars.json and *.auto.tfvars(.json) itself, with --var-file for another such file"
	case strings.HasSuffix(name, ".tftest.hcl"), strings.HasSuffix(name, ".tftest.json"),
		strings.HasSuffix(name, ".tfmock.hcl"), strings.HasSuffix(name, ".tfmock.json"):
		return "is a Terraform test file, which terraform test reads, not a configuration: give the module it tests, " +
			"with the variables of its variables and run blocks as --var NAME=VALUE values"
	}
	return ""
}

// awsCLIOutput returns the AWS CLI's output format, "text", "table" or
// "YAML", that data is in when it is what "aws s3api get-bucket-cors"
// prints in one of them, or "" when it is not. The README pipes that
// command into s3cors, and a CLI whose output is set to another format
// than json (AWS_DEFAULT_OUTPUT, "output" in ~/.aws/config) prints one
// of these, which S3 takes no more than s3cors does.
func awsCLIOutput(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	// The text output starts with the rule's row, "CORSRULES\tID\tMAX",
	// when it has an ID or a MaxAgeSeconds, else with a list's row.
	for _, row := range []string{"CORSRULES", "ALLOWEDHEADERS", "ALLOWEDMETHODS", "ALLOWEDORIGINS", "EXPOSEHEADERS"} {
		if bytes.HasPrefix(data, []byte(row+"\t")) {
			return "text"
		}
	}
	switch {
	case bytes.HasPrefix(data, []byte("CORSRules:")), bytes.HasPrefix(data, []byte("- CORSRules:")):
		return "YAML" // --output yaml, and yaml-stream's list of pages
	case bytes.HasPrefix(data, []byte("---")):
		// The table's title row, under its top border.
		_, rest, _ := bytes.Cut(data, []byte("\n"))
		title, _, _ := bytes.Cut(rest, []byte("\n"))
		if string(bytes.Trim(title, " |\r")) == "GetBucketCors" {
			return "table"
		}
	}
	return ""
}

// awsCLIOutputReason says that a document is the AWS CLI's output in
// format, one awsCLIOutput returns, and how to have it print JSON.
func awsCLIOutputReason(format string) string {
	return "the AWS CLI's " + format + " output of get-bucket-cors, not a configuration: run it with --output json, which prints the AWS CLI JSON form"
}

// startsWithAction reports whether data starts with "{{", after an
// optional byte order mark and white space: the action of a template
// (Helm's {{- if .Values.cors }}, a {{/* comment */}}), which no JSON
// document starts with.
func startsWithAction(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n"), []byte("{{"))
}

// isYAMLName reports whether path names a YAML file, by its extension.
func isYAMLName(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// loadDir reads a directory, which only Terraform reads: a module, of
// .tf and .tf.json files and OpenTofu's .tofu and .tofu.json files (see
// iac.Load).
func (l *loaded) loadDir(dir string, kind iac.Kind, opts loadOptions) {
	if kind != 0 && kind != iac.Terraform {
		l.err = fmt.Errorf("is a directory, and only Terraform reads directories (--input %s)", kind)
		return
	}
	var files []string
	for _, pattern := range tfPatterns {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		files = append(files, m...)
	}
	if len(files) == 0 {
		l.err = noModuleError(dir)
		return
	}
	l.kind = iac.Terraform
	r, err := iac.Load(dir, opts.iacOptions(iac.Terraform))
	l.judgeIaC(r, err, nil)
}

// noModuleError is the error for dir, a directory without Terraform files
// given as a module: it names what to give instead when dir holds it.
func noModuleError(dir string) error {
	msg := "is a directory without Terraform or OpenTofu files (" + strings.Join(tfPatterns, ", ") + ")"
	if fi, err := os.Stat(filepath.Join(dir, "terragrunt.hcl")); err == nil && fi.Mode().IsRegular() {
		// Terragrunt's directory, whose module is elsewhere.
		return errors.New(msg + ": its terragrunt.hcl is Terragrunt's configuration, which runs Terraform on the module its terraform block's source names; " + iac.TerragruntAdvice)
	}
	if stack := cdktfStack(dir); stack != "" {
		// A CDK for Terraform project, whose Terraform cdktf synth
		// writes, one directory for each stack.
		return errors.New(msg + ": it is a CDK for Terraform project, whose configuration cdktf synth writes: give a stack's, such as " + stack)
	}
	msg += "; give the configuration files in it"
	// A Serverless Framework service or a SAM application is given as
	// its file, which the directory may hold under the name its tool
	// reads by default.
	for _, name := range serviceFileNames {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			return errors.New(msg + ", such as " + filepath.Join(dir, name))
		}
	}
	return errors.New(msg)
}

// cdktfStack returns the Terraform file of the first stack cdktf synth
// wrote in dir, a CDK for Terraform project (cdktf.out/stacks/NAME/cdk.tf.json,
// listed, not globbed, so that a [ or * in dir's name does not hide it),
// the same path with STACK for NAME when dir has cdktf.json and no stack
// synthesized, or "" for a directory that is no such project.
func cdktfStack(dir string) string {
	stacks := filepath.Join(dir, "cdktf.out", "stacks")
	entries, _ := os.ReadDir(stacks)
	for _, e := range entries {
		file := filepath.Join(stacks, e.Name(), "cdk.tf.json")
		if fi, err := os.Stat(file); e.IsDir() && err == nil && fi.Mode().IsRegular() {
			return file
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "cdktf.json")); err == nil && fi.Mode().IsRegular() {
		return filepath.Join(stacks, "STACK", "cdk.tf.json") + ", once cdktf synth has run"
	}
	return ""
}

// serviceFileNames are the files that the Serverless Framework (its
// service) and the SAM CLI (its template) read in a directory by default.
var serviceFileNames = []string{"serverless.yml", "serverless.yaml", "serverless.json", "template.yaml", "template.yml", "template.json"}

// tfPatterns are the names of the files of a Terraform module: .tf and
// .tf.json (Terraform's JSON syntax, which cdktf writes), which
// Terraform and OpenTofu read, and .tofu and .tofu.json, which only
// OpenTofu reads.
var tfPatterns = []string{"*.tf", "*.tf.json", "*.tofu", "*.tofu.json"}

// judgeIaC keeps what iac read and judges each bucket; data is the start
// of the file read, which tells what a file of another kind holds.
func (l *loaded) judgeIaC(r *iac.Result, err error, data []byte) {
	if pe, ok := errors.AsType[*iac.ParseError](err); ok {
		l.parseErr = pe
		return
	}
	if ke, ok := errors.AsType[*iac.KindError](err); ok {
		l.err = notOfKind(ke, data, l.kindGiven)
		return
	}
	if e := valuesRefused(err, l.kind); e != nil {
		l.err = e
		return
	}
	if err != nil {
		l.err = plainError(err)
		return
	}
	l.iac = r
	for _, b := range r.Buckets {
		l.verdicts = append(l.verdicts, iac.Judge(b))
	}
}

// notOfKind is the usage error for a file that --input (given) or its
// content reads as a kind of infrastructure file and that is not of that
// kind (see iac.KindError):
// read as one that declares no bucket, an invalid configuration in one
// of S3's forms would pass. As for --input json given S3 console JSON,
// it says what the file holds when that is known, another kind of
// infrastructure file or one of S3's forms, and otherwise why it is not
// of the kind.
func notOfKind(ke *iac.KindError, data []byte, given bool) error {
	want := "a " + kindName(ke.Kind)
	if k := iac.Detect(data); k != 0 && k != ke.Kind {
		return fmt.Errorf("holds a %s, not %s (--input %s)", kindName(k), want, ke.Kind)
	}
	if f := xmlconfig.Detect(data); f != 0 && mentionsCORS(data) {
		return fmt.Errorf("holds %s, not %s (--input %s)", formatName(f), want, ke.Kind)
	}
	if !given {
		// Read as what its content looks like: a state file as
		// Terraform writes it is told a plan, which refuses it,
		// saying what to give instead.
		return fmt.Errorf("is not %s: %s", want, ke.Reason)
	}
	return fmt.Errorf("is not %s (--input %s): %s", want, ke.Kind, ke.Reason)
}

// decode decodes an S3 document, in the form given or, when form is 0,
// the form its first character tells.
func (l *loaded) decode(data []byte, form xmlconfig.Format) {
	l.data = data
	l.format = xmlconfig.Detect(data)
	var doc *xmlconfig.Document
	var err error
	switch {
	case form == 0 || form == l.format:
		// Read in the form it is in, as xmlconfig.Decode would: refused
		// for its schema, it may hold values S3 would refuse once that
		// is fixed, which follow for --all.
		doc, err = xmlconfig.UnmarshalPartial(data)
	case form == xmlconfig.XML:
		doc, err = xmlconfig.DecodeXML(bytes.NewReader(data))
	default:
		// Another JSON form is told from the first character (and an
		// object's CORSConfiguration), whether or not the document
		// decodes: judging it as that form would report its mistakes,
		// then, once they were fixed, refuse it.
		if (l.format == xmlconfig.JSON || l.format == xmlconfig.Console || l.format == xmlconfig.CLIInput) && !brokenObject(l.format, form, data) {
			l.err = fmt.Errorf("holds %s, not %s (--input %s)", formatName(l.format), formatName(form), form)
			return
		}
		doc, err = xmlconfig.DecodeJSON(bytes.NewReader(data))
	}
	if err == nil {
		l.doc = doc
		l.problems = locatedProblems(doc)
		return
	}
	if l.problems = xmlconfig.Problems(err); len(l.problems) == 0 {
		l.err = err
		return
	}
	if doc != nil {
		// Refused for its schema alone: the problems of its values follow,
		// as the problems of an infrastructure file's rules follow its
		// schema's. S3's MalformedXML among them, a member missing, the
		// decoder has reported.
		for _, e := range locatedProblems(doc) {
			if e.Code != "MalformedXML" {
				l.problems = append(l.problems, e)
			}
		}
	}
}

// brokenObject reports whether data, told to be the JSON object form
// detected rather than the one --input names (the AWS CLI's JSON and its
// --cli-input-json file, told apart by a member of the object), is not
// JSON at all: detection may have stopped at a syntax error before the
// member, and the syntax error is then what to report.
func brokenObject(detected, named xmlconfig.Format, data []byte) bool {
	objects := func(f xmlconfig.Format) bool { return f == xmlconfig.JSON || f == xmlconfig.CLIInput }
	return objects(detected) && objects(named) && !json.Valid(data)
}

// locatedProblems returns S3's verdict on the rules of doc
// (bucket.Problems), each problem at the value it is about, or at its
// rule.
func locatedProblems(doc *xmlconfig.Document) []*s3err.Error {
	var out []*s3err.Error
	for _, e := range bucket.Problems(doc.Rules) {
		if p := doc.ValuePosition(e.Rule, e.Field, e.Index); e.Line == 0 && p.Line > 0 {
			located := *e
			located.Line, located.Column = p.Line, p.Column
			e = &located
		}
		out = append(out, e)
	}
	return out
}

// mayBeS3Form reports whether data may be a CORS configuration in one of
// S3's forms: it starts as they start ('<', '{' or '[', after white space
// and a byte order mark; see xmlconfig.Detect), and it mentions CORS (see
// mentionsCORS). A file that does not start so is none, even when it
// mentions CORS rules: S3 refuses it as neither XML nor JSON, and such a
// file is a workflow that quotes a configuration in a command line ("aws
// s3api put-bucket-cors --cors-configuration '{...}'") or a Serverless
// Framework serverless.yml, not a configuration its author meant S3 to
// read.
//
// A configuration saved in UTF-16 or UTF-32 (Windows PowerShell 5.1's
// "aws s3api get-bucket-cors > cors.json" writes UTF-16) starts with a
// byte order mark or with NUL bytes around its first character; it is
// judged all the same when it mentions CORS in its encoding, so that the
// tool says how to save it as UTF-8 rather than pass over it.
func mayBeS3Form(data []byte) bool {
	return xmlconfig.Detect(data) != 0 && mentionsCORS(data) ||
		mentionsCORSWide(data, 2) || mentionsCORSWide(data, 4)
}

// mentionsCORS reports whether data mentions a CORS configuration: every
// one of S3's forms names AllowedOrigin (AllowedOrigins in JSON), and one
// that misspells it still names its rules. A file without either, such
// as package.json, is none.
func mentionsCORS(data []byte) bool { return mentionsCORSWide(data, 1) }

// mentionsCORSWide is mentionsCORS for text in code units of width bytes
// (1 for UTF-8, 2 for UTF-16, 4 for UTF-32), in either byte order: the
// ASCII names mentionsCORS looks for, with width-1 NUL bytes between
// their characters, are in both orders' bytes.
func mentionsCORSWide(data []byte, width int) bool {
	for _, name := range [...]string{"AllowedOrigin", "CORSRule"} {
		sep := strings.Repeat("\x00", width-1)
		if bytes.Contains(data, []byte(strings.Join(strings.Split(name, ""), sep))) {
			return true
		}
	}
	return false
}

// fileFlags are the flags of the verbs that judge each FILE on its own:
// validate and lint.
type fileFlags struct {
	example, asJSON, skipUnrelated *bool
	format, input                  *string
	values                         valueFlags
}

// fileFlags defines the flags of a verb that judges each FILE; verb says
// what it does ("validate").
func (c *command) fileFlags(verb string) *fileFlags {
	f := &fileFlags{}
	f.example = c.boolFlag("example", verb+" the embedded example configuration instead of FILE")
	f.input = c.inputFlag()
	f.format = c.choiceFlag("format", formatText, "print `FORMAT`: text, json (shape below), sarif (SARIF 2.1.0, for code scanning)\nor github (GitHub Actions workflow commands, which annotate a pull request)",
		formatText, formatJSON, formatSARIF, formatGitHub)
	f.asJSON = c.boolFlag("json", "print JSON: the same as --format json")
	f.values = c.valueFlags()
	f.skipUnrelated = c.boolFlag("skip-unrelated", "skip, without a word, a FILE that is neither infrastructure code nor a CORS\nconfiguration (it names no AllowedOrigin nor CORSRule, or does not start\nwith '<', '{' or '[' as S3's forms do), and Kubernetes manifests of no\nACK or Crossplane S3 resource, for hooks handed every .json, .yaml and\n.xml file")
	return f
}

// forEachFile runs the loop of the verbs that judge each configuration
// of FILE... (or --example) on its own: it parses args, loads each
// configuration in turn, reports on standard error one that cannot be
// read (and, with --format sarif or github, in the log or as an
// annotation too), and gives every one to judge, which prints what it
// finds in text and returns the file's exit status (exitOK or
// exitInvalid), its member of the "files" array with --format json, and
// its annotations with --format sarif or github; those are printed at the
// end. The exit status is the worst of all: exitUsage when a FILE could
// not be read. linting says whether the verb is lint, whose findings
// SARIF describes.
func (c *command) forEachFile(args []string, stdin io.Reader, ff *fileFlags, linting bool, judge func(l *loaded, format string) (code int, jsonFile any, notes []annotate.Finding)) int {
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	format := *ff.format
	if *ff.asJSON {
		if c.given("format") && format != formatJSON {
			return c.usageError("--json and --format %s disagree: give one of them", format)
		}
		format = formatJSON
	}
	if *ff.example && *ff.input != "" {
		return c.usageError("--input says how to read FILE; the --example is AWS CLI JSON")
	}
	if *ff.example && ff.values.given() {
		return c.usageError(errExampleValues)
	}
	if empty := c.emptyValue(); empty != "" {
		return c.usageError("%s", empty)
	}
	srcs, code, ok := c.sources(files, *ff.example, stdin)
	if !ok {
		return code
	}
	if *ff.input == "" || *ff.input == "cloudformation" {
		srcs = expandAssemblies(srcs)
	}
	jsonOut := struct {
		Files []any `json:"files"`
	}{Files: []any{}}
	var notes []annotate.Finding
	var failures []annotate.Notification
	opts := loadOptions{input: *ff.input, skipUnrelated: *ff.skipUnrelated}.with(ff.values)
	for _, src := range srcs {
		l := load(src, opts)
		if l.skipped {
			continue
		}
		if l.err != nil {
			c.ioError(l.name, l.err)
			code = exitUsage
			failures = append(failures, readFailure(l))
			if format == formatGitHub {
				notes = append(notes, readFailureAnnotation(l))
			}
		}
		fileCode, jsonFile, fileNotes := judge(l, format)
		code = max(code, fileCode)
		jsonOut.Files = append(jsonOut.Files, jsonFile)
		notes = append(notes, fileNotes...)
	}
	switch format {
	case formatJSON:
		writeJSON(c.stdout, jsonOut)
	case formatSARIF, formatGitHub:
		writeAnnotations(c.stdout, format, notes, failures, linting)
	}
	return code
}
