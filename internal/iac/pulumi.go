package iac

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Pulumi YAML programs: the resources of Pulumi's AWS providers that set a
// bucket's CORS configuration. Their properties are checked from
// @pulumi/aws 7.48.0 and 6.83.1 and @pulumi/aws-native 1.79.0 (the npm
// packages' s3/*.d.ts and types/input.d.ts, generated from each
// provider's schema).

// pulumiForm says how a resource type holds its rules.
type pulumiForm uint8

const (
	// pulumiConfig: aws:s3:BucketCorsConfiguration (v7), and
	// aws:s3:BucketCorsConfigurationV2 (v6; v7 keeps it, deprecated),
	// whose properties bucket and corsRules are required. The provider
	// is the Terraform AWS provider's bridge: the rules are
	// aws_s3_bucket_cors_configuration's cors_rule, a set.
	pulumiConfig pulumiForm = iota + 1
	// pulumiInline: the corsRules of aws:s3:Bucket and aws:s3:BucketV2,
	// aws_s3_bucket's inline cors_rule: a list, without id. v7 declares
	// it on both deprecated ("cors_rule is deprecated. Use the
	// aws.s3.BucketCorsConfiguration resource instead."), v6 on BucketV2;
	// v6's Bucket is the provider's legacy bucket, where it is not.
	pulumiInline
	// pulumiNative: aws-native:s3:Bucket's corsConfiguration.corsRules,
	// which the Cloud Control API puts as CloudFormation's
	// AWS::S3::Bucket does, its resource schema checked first.
	pulumiNative
)

// pulumiTypes are the resource types read, by the short form of their
// token (see pulumiShortType).
var pulumiTypes = map[string]pulumiForm{
	"aws:s3:BucketCorsConfiguration":   pulumiConfig,
	"aws:s3:BucketCorsConfigurationV2": pulumiConfig,
	"aws:s3:Bucket":                    pulumiInline,
	"aws:s3:BucketV2":                  pulumiInline,
	"aws-native:s3:Bucket":             pulumiNative,
}

// pulumiMaxRules is the MaxItems of the cors_rule of
// aws_s3_bucket_cors_configuration, whose schema the bridge keeps ("You
// can configure up to 100 rules", the corsRules property's description).
const pulumiMaxRules = 100

var (
	// pulumiConfigDialect: the Terraform AWS provider's handling of
	// aws_s3_bucket_cors_configuration (see tfConfigDialect), after
	// Pulumi YAML's type checker, which converts a number or a boolean
	// for a string and no string for maxAgeSeconds, an integer.
	// UNVERIFIED: a member the rule's type does not have is taken to be
	// refused by the provider's check of its inputs, as Terraform
	// refuses it; pulumi-yaml's type checker checks the properties of a
	// resource, and of a nested object only the required ones.
	pulumiConfigDialect = &dialect{tool: "Pulumi", members: k8sMembers(), names: k8sNames, hints: k8sHints, rulesName: "corsRules",
		strict: true, typedNumbers: true, requiredBy: "Pulumi", set: true, zeroMaxAge: true, wrap32: true, idBytes: 255}
	// pulumiInlineDialect: aws_s3_bucket's inline cors_rule (see
	// tfInlineDialect): a list, no id.
	pulumiInlineDialect = &dialect{tool: "Pulumi", members: contribMembers(), names: k8sNames, hints: k8sHints, rulesName: "corsRules",
		strict: true, typedNumbers: true, requiredBy: "Pulumi", zeroMaxAge: true, wrap32: true}
	// pulumiNativeDialect: CloudFormation's CorsRule in lower camel case
	// (BucketCorsRuleArgs: allowedHeaders, allowedMethods,
	// allowedOrigins, exposedHeaders, id, maxAge), judged as
	// CloudFormation judges it (see cfnDialect).
	pulumiNativeDialect = &dialect{tool: "Pulumi", members: nativeMembers(), names: nativeNames, hints: nativeHints, rulesName: "corsRules",
		strict: true, typedNumbers: true, requiredBy: "Pulumi", schema: true, schemaBy: "the Cloud Control API",
		uniqueLists: " (CloudFormation's resource schema, which the Cloud Control API checks, wants the items unique)"}
)

var nativeNames = map[Field]string{FieldID: "id", FieldAllowedOrigin: "allowedOrigins", FieldAllowedMethod: "allowedMethods",
	FieldAllowedHeader: "allowedHeaders", FieldExposeHeader: "exposedHeaders", FieldMaxAgeSeconds: "maxAge"}

var nativeHints = map[string]string{"id": "id", "allowedorigin": "allowedOrigins", "allowedorigins": "allowedOrigins",
	"allowedmethod": "allowedMethods", "allowedmethods": "allowedMethods", "allowedheader": "allowedHeaders",
	"allowedheaders": "allowedHeaders", "exposeheader": "exposedHeaders", "exposeheaders": "exposedHeaders",
	"exposedheader": "exposedHeaders", "exposedheaders": "exposedHeaders", "maxage": "maxAge", "maxageseconds": "maxAge"}

func nativeMembers() map[string]Field {
	m := make(map[string]Field, len(nativeNames))
	for f, name := range nativeNames {
		m[name] = f
	}
	return m
}

// pulumiProgram is one Pulumi YAML program being read.
type pulumiProgram struct {
	l    *loader
	root *node
	// cur is the bucket being read, which notes go to; noted keeps one
	// note of each config value a bucket is judged with: its index in
	// cur.Notes.
	cur   *Bucket
	noted map[string]int
	// vars holds the values of the variables evaluated for cur; busy
	// those being evaluated, against cycles.
	vars map[string]*val
	busy map[string]bool
	// resources, variables and config are the program's declarations
	// by name, looked up for each interpolation.
	resources, variables, config map[string]*node
	// stack is the configuration of the stack judged, or nil.
	stack *pulumiStack
}

// declared returns the members of the mapping decls by name, the first
// of a name written twice; none when decls is no mapping.
func declared(decls *node) map[string]*node {
	m := map[string]*node{}
	if decls == nil || decls.kind != nMap {
		return m
	}
	for i, k := range decls.keys {
		if _, dup := m[k.text]; !dup {
			m[k.text] = decls.items[i]
		}
	}
	return m
}

// pulumi reads a Pulumi YAML program: its project file (Pulumi.yaml with
// runtime: yaml), one YAML document, as Pulumi YAML reads it (YAML 1.2,
// see yamlConverter.yaml12). The resources other than pulumiTypes' are
// passed over.
func (l *loader) pulumi(src *source) error {
	root, err := parseYAMLDocument(src, yamlConverter{src: src, done: map[*yaml.Node]*node{}, yaml12: true})
	if err != nil {
		return err
	}
	if reason := notPulumiProgram(root); reason != "" {
		return &KindError{File: src.name, Kind: Pulumi, Reason: reason}
	}
	resources := root.get("resources")
	switch resources.kind {
	case nNull:
		return nil
	case nMap:
	default:
		return parseErrorf(src, resources.off, "Pulumi YAML's resources is a mapping of names to resources, not %s", resources.describe())
	}
	p := &pulumiProgram{l: l, root: root, resources: declared(resources), variables: declared(root.get("variables")),
		config: declared(root.get("configuration"))}
	// config before its older name, configuration, as Pulumi YAML
	// merges them (ast.TemplateDecl.GetConfig).
	for name, decl := range declared(root.get("config")) {
		p.config[name] = decl
	}
	if l.pulumiStack != "" {
		if p.stack, err = l.readPulumiStack(src, root, l.pulumiStack); err != nil {
			return err
		}
	}
	for i, key := range resources.keys {
		p.resource(key, resources.items[i])
		if l.err != nil {
			break
		}
	}
	return l.err
}

// notPulumiProgram says why root is not a Pulumi YAML program, or "": a
// program is a mapping with resources, whose runtime, when it names
// one, is yaml (a string, or a mapping's name). A project of another
// runtime runs its program in that language, and Pulumi reads no
// resources from its project file.
func notPulumiProgram(root *node) string {
	if root.kind != nMap {
		return "its top level is " + root.describe() + ", not a mapping"
	}
	if root.get("resources") == nil {
		return "it has no resources member"
	}
	// A program's Main.yaml, in the directory its project file's main
	// names, has no runtime.
	runtime := root.get("runtime")
	if runtime != nil && runtime.kind == nMap {
		runtime = runtime.get("name")
	}
	if name := runtime.scalarText(); name != "" && name != "yaml" {
		return "its runtime is " + strconv.Quote(name) + ", not yaml: Pulumi runs the project's " + name + " program and reads no resources from this file"
	}
	return ""
}

// pulumiShortType returns a resource type token in its short form,
// module without its file ("aws:s3:BucketCorsConfiguration" for
// "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", which Pulumi
// YAML takes alike), or token when it is not of three parts.
func pulumiShortType(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return token
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return parts[0] + ":" + module + ":" + parts[2]
}

// resource reads the resource declared as key, res, when it is of one of
// pulumiTypes. A resource with get reads an existing one: Pulumi sends
// none of its properties.
func (p *pulumiProgram) resource(key, res *node) {
	typ := res.get("type")
	form := pulumiTypes[pulumiShortType(typ.scalarText())]
	if form == 0 || res.get("get") != nil {
		return
	}
	b := &Bucket{Resource: key.text, Type: typ.text, Pos: key.pos()}
	p.cur, p.noted, p.vars, p.busy = b, map[string]int{}, map[string]*val{}, map[string]bool{}
	props := res.get("properties")
	if props != nil && props.kind != nMap && props.kind != nNull {
		b.Errors = append(b.Errors, TemplateError{Pos: props.pos(), Code: CodeWrongType,
			Message: "Pulumi expects a mapping of properties for " + key.text + ", not " + props.describe()})
		p.l.res.Buckets = append(p.l.res.Buckets, b)
		return
	}
	var keep bool
	switch form {
	case pulumiConfig:
		keep = p.corsConfiguration(b, props)
	case pulumiInline:
		keep = p.inline(b, props)
	default:
		keep = p.native(b, props)
	}
	if keep {
		p.l.res.Buckets = append(p.l.res.Buckets, b)
	}
}

// misspelt reports Pulumi's refusal of each property of props that names
// the CORS rules otherwise than right: Pulumi YAML refuses a property
// the resource does not have ("Property corsRule does not exist on
// Resource ..."), where it would have been passed over as no
// configuration.
func (p *pulumiProgram) misspelt(b *Bucket, props *node, right string) {
	if props == nil || props.kind != nMap {
		return
	}
	for _, key := range props.keys {
		if key.text == right || !corsFieldNames[fold(key.text)] {
			continue
		}
		e := TemplateError{Pos: key.pos(), Code: CodeUnknownMember,
			Message: "Pulumi does not know the property " + strconv.Quote(key.text) + " of " + b.Type +
				" (pulumi preview: \"Property " + key.text + " does not exist\")"}
		if k := fold(key.text); k == fold(right) || k+"s" == fold(right) {
			e.Hint = "it is called " + strconv.Quote(right)
		} else {
			e.Hint = "the rules go in " + strconv.Quote(right)
		}
		b.Errors = append(b.Errors, e)
	}
}

// required reports each of names that the mapping props (nil when not
// written) lacks, or holds null: the provider's schema requires them
// ("Missing required property 'bucket'"). at is where the resource or
// its properties are written, of what props are the properties of.
func (p *pulumiProgram) required(b *Bucket, props *node, at Position, of string, names ...string) {
	for _, name := range names {
		if f := props.get(name); f == nil || f.kind == nNull {
			b.Errors = append(b.Errors, TemplateError{Pos: at, Code: CodeMissingMember,
				Message: "Pulumi requires the property " + name + " of " + of + " (\"Missing required property '" + name + "'\")"})
		}
	}
}

// corsConfiguration reads an aws:s3:BucketCorsConfiguration (or V2):
// bucket and corsRules required, one rule at least and 100 at most, sent
// as the provider sends a set. It reports whether b is a bucket to
// judge, which it always is: the resource puts a configuration, or is
// refused.
func (p *pulumiProgram) corsConfiguration(b *Bucket, props *node) bool {
	at := b.Pos
	if props != nil {
		at = props.pos()
	}
	p.misspelt(b, props, "corsRules")
	p.required(b, props, at, b.Type, "bucket", "corsRules")
	rules := props.get("corsRules")
	if rules == nil || rules.kind == nNull {
		return true
	}
	b.RulesPos = rules.pos()
	v := p.value(rules)
	if v.kind == vList && len(v.list) == 0 {
		// UNVERIFIED: the provider's schema requires cors_rule, and
		// the bridge is taken to refuse an empty list as Terraform
		// refuses a resource without the block, before S3 sees an
		// empty configuration.
		b.Errors = append(b.Errors, TemplateError{Pos: rules.pos(), Code: CodeMissingMember,
			Message: "the AWS provider requires at least one rule in corsRules (its cors_rule is required)"})
		return true
	}
	if v.kind == vList && len(v.list) > pulumiMaxRules {
		b.Errors = append(b.Errors, TemplateError{Pos: v.list[pulumiMaxRules].org.Pos, Code: CodeOutOfRange,
			Message: "the AWS provider refuses " + strconv.Itoa(len(v.list)) + " corsRules: its schema allows no more than " +
				strconv.Itoa(pulumiMaxRules) + " cors_rule"})
	}
	newBuilder(b, pulumiConfigDialect).rules(v)
	noteSetOrder(b, "as written", "the written order")
	return true
}

// inline reads the corsRules of an aws:s3:Bucket or aws:s3:BucketV2. A
// bucket without them, or with none, has no configuration: the provider
// puts the inline rules only when there are some (it deletes the
// bucket's otherwise).
func (p *pulumiProgram) inline(b *Bucket, props *node) bool {
	p.misspelt(b, props, "corsRules")
	rules := props.get("corsRules")
	if rules == nil || rules.kind == nNull || rules.kind == nSeq && len(rules.items) == 0 {
		return len(b.Errors) > 0
	}
	b.RulesPos = rules.pos()
	b.Notes = append(b.Notes, Note{Pos: rules.pos(), Text: "the corsRules of " + b.Type +
		" are deprecated (@pulumi/aws 7 on both bucket types, 6 on BucketV2): an aws:s3:BucketCorsConfiguration holds them instead"})
	newBuilder(b, pulumiInlineDialect).rules(p.value(rules))
	return true
}

// native reads the corsConfiguration of an aws-native:s3:Bucket, whose
// corsRules its type requires; a bucket without corsConfiguration has
// no configuration.
func (p *pulumiProgram) native(b *Bucket, props *node) bool {
	p.misspelt(b, props, "corsConfiguration")
	cc := props.get("corsConfiguration")
	if cc == nil || cc.kind == nNull {
		return len(b.Errors) > 0
	}
	b.RulesPos = cc.pos()
	v := p.value(cc)
	if v.kind != vMap {
		if v.kind == vUnknown {
			newBuilder(b, pulumiNativeDialect).rules(v)
		} else {
			b.Errors = append(b.Errors, TemplateError{Pos: cc.pos(), Code: CodeWrongType,
				Message: "Pulumi expects a mapping for corsConfiguration, not " + v.kind.describe()})
		}
		return true
	}
	for _, key := range cc.keys {
		if key.text != "corsRules" {
			e := TemplateError{Pos: key.pos(), Code: CodeUnknownMember,
				Message: "Pulumi does not know the property " + strconv.Quote(key.text) + " of corsConfiguration"}
			if corsFieldNames[fold(key.text)] {
				e.Hint = "it is called \"corsRules\""
			}
			b.Errors = append(b.Errors, e)
		}
	}
	p.required(b, cc, cc.pos(), "corsConfiguration", "corsRules")
	if rules := v.field("corsRules"); rules != nil && rules.kind != vNull {
		b.RulesPos = rules.org.Pos
		newBuilder(b, pulumiNativeDialect).rules(rules)
	}
	return true
}

// value resolves the value n as Pulumi YAML evaluates it before the
// program runs: literals as written, a string's interpolations (see
// interpolate), and a built-in function, a mapping of one fn:: key (see
// call). Past the step bound, which ends the reading, it returns at
// once.
func (p *pulumiProgram) value(n *node) *val {
	if p.l.err != nil || !p.l.spend(n) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	switch n.kind {
	case nString:
		return p.interpolate(n)
	case nSeq:
		v := &val{kind: vList, org: Origin{Pos: n.pos()}}
		for _, item := range n.items {
			v.list = append(v.list, p.value(item))
		}
		return v
	case nMap:
		if len(n.keys) == 1 && strings.HasPrefix(strings.ToLower(n.keys[0].text), "fn::") {
			return p.call(n.keys[0].text, n.items[0], n)
		}
		v := &val{kind: vMap, org: Origin{Pos: n.pos()}}
		for i, k := range n.keys {
			v.keys = append(v.keys, k.text)
			v.fields = append(v.fields, p.value(n.items[i]))
		}
		return v
	}
	return scalarVal(n)
}

// configDecl returns the declaration of the config value name: in
// config, or else in its older name, configuration.
func (p *pulumiProgram) configDecl(name string) *node { return p.config[name] }

// configValue returns the value of the config value name, referred to
// as expr in n: its literal default or value, with a note (see
// useConfig), or not known when it has none; nil when the program
// declares no config value name.
func (p *pulumiProgram) configValue(name, expr string, n *node) *val {
	if p.stack != nil {
		if v := p.stackValue(name, expr, n); v != nil {
			return v
		}
	}
	if p.configDecl(name) == nil {
		return nil
	}
	def, what := p.configDefault(name)
	if def == nil && p.stack != nil {
		// Pulumi stops before it runs such a program: a config value
		// without a default is required.
		return unknownVal(n.pos(), expr, "config "+name+" has no default, and stack "+p.stack.name+
			" does not set it: Pulumi refuses to run the program without it")
	}
	if def == nil {
		return unknownVal(n.pos(), expr, "config "+name+" has no default: a stack's configuration gives its value (--stack STACK judges it with one)")
	}
	return p.useConfig(name, what, def, n)
}

// configDefault returns the node of the literal default (or value) of
// the config value name, and which of the two it is; nil when it has
// none. A declaration that is no mapping is the project-level value
// itself, Pulumi's short form ("config: {appOrigin:
// https://app.example.com}", a value for every stack, which a mapping
// value writes under value).
func (p *pulumiProgram) configDefault(name string) (*node, string) {
	decl := p.configDecl(name)
	if decl != nil && decl.kind != nMap && decl.kind != nNull {
		return decl, "value"
	}
	def, what := decl.get("default"), "default"
	if def == nil {
		def, what = decl.get("value"), "value"
	}
	if def == nil || def.kind == nNull {
		return nil, ""
	}
	return def, what
}

// useConfig returns def, the default (what) of config value name, as the
// value of its interpolation in ref, located where def is written, and
// notes once for each bucket that the bucket is judged with a config
// value's default, which a stack may change, or which the stack judged
// does not.
func (p *pulumiProgram) useConfig(name, what string, def, ref *node) *val {
	if _, done := p.noted[name]; !done {
		p.noted[name] = len(p.cur.Notes)
		text := "config " + name + " is judged with its " + what + ", written at " + def.pos().String()
		if p.stack != nil {
			text += ": stack " + p.stack.name + " does not set it"
		} else {
			text += ": a stack's configuration (pulumi config set " + name + ") may give another"
		}
		p.cur.Notes = append(p.cur.Notes, Note{Pos: ref.pos(), Text: text})
	}
	v := literalVal(p.l, def)
	if p.l.err != nil {
		// Past the step bound: not worth copying.
		return unknownVal(ref.pos(), "", "too much to evaluate")
	}
	return v.via(ref.pos(), "the "+what+" of config "+name)
}

// unnote drops the notes of config values made since cur had notes
// notes, for a value that was not used after all.
func (p *pulumiProgram) unnote(notes int) {
	for name, i := range p.noted {
		if i >= notes {
			delete(p.noted, name)
		}
	}
	p.cur.Notes = p.cur.Notes[:notes]
}

// literalVal is the value of n, a config value's default, which Pulumi
// takes as written: no interpolation, no function.
func literalVal(l *loader, n *node) *val {
	if l.err != nil || !l.spend(n) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	v := scalarVal(n)
	switch n.kind {
	case nSeq:
		v.kind = vList
		for _, item := range n.items {
			v.list = append(v.list, literalVal(l, item))
		}
	case nMap:
		v.kind = vMap
		for i, k := range n.keys {
			v.keys = append(v.keys, k.text)
			v.fields = append(v.fields, literalVal(l, n.items[i]))
		}
	}
	return v
}
