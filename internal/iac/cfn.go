package iac

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// cfnStack is one CloudFormation template being read: the root template or
// a nested stack's.
type cfnStack struct {
	l      *loader
	src    *source
	root   *node
	prefix string          // "Parent/" inside a nested stack
	passed map[string]*val // parameter values the parent stack passes
	given  bool            // passed holds the values Options gives instead
	depth  int             // nesting depth of the stack
	conds  map[string]int8 // condition cache: 1 true, 0 false, -1 unknown, -2 in progress
	// condPath holds the conditions being evaluated, outermost first;
	// cyclic the conditions found on a cycle of them.
	condPath []string
	cyclic   map[string]bool
	cur      *Bucket         // the bucket being read, which receives notes
	noted    map[string]bool // notes already given for cur
	loop     []loopVar       // the Fn::ForEach loops being read, outermost first
	// refused is CloudFormation's first refusal of the template met
	// while reading it (a condition named and not declared, a cycle of
	// conditions, a reference to a name not declared): it refuses the
	// whole template, so none of what was read is judged.
	refused *ParseError
	// checked holds the nodes checkNames walked, in each iteration of
	// the Fn::ForEach loops (iter: 0 outside them, a number of its own
	// for each iteration; iters the last given), as a name may be
	// declared for one value of a loop's identifier and not for the
	// next.
	checked     map[checkedNode]bool
	iter, iters int
	// loopIDs are the logical IDs written in the Fn::ForEach loops of
	// Resources, once loopMayDeclare has looked; nil before.
	loopIDs []string
	// framework marks the resources of a Serverless Framework service,
	// which the Framework merges into a template of its own: that
	// template declares resources these may name (ServerlessDeploymentBucket,
	// a function's NameLambdaFunction, ApiGatewayRestApi).
	framework bool
}

// checkedNode is a node checkNames walked in an iteration of loops.
type checkedNode struct {
	n    *node
	iter int
}

// maxStackDepth bounds how deep nested stacks are followed.
const maxStackDepth = 8

// read reads the template's buckets, or refuses a template that declares
// no resource, as CloudFormation does.
func (s *cfnStack) read() {
	res := s.root.get("Resources")
	switch {
	case res == nil:
		s.refuse(s.root, "it declares no resources", noResources)
	case res.kind == nNull || res.kind == nMap && len(res.keys) == 0:
		s.refuse(res, "it declares no resources", noResources)
	case res.kind != nMap:
		// UNVERIFIED: CloudFormation's words for it were not found.
		s.refuse(res, "its Resources is "+res.describe()+", not a mapping", "")
	default:
		// A template's format is judged before its parameters' values,
		// as CloudFormation's template validation comes first.
		// UNVERIFIED: the order of the two refusals.
		if s.checkParameters(); s.refused == nil {
			s.resources(res)
		}
	}
}

// checkParameters refuses the template when a parameter's value breaks
// one of its constraints (checkParam): its Default, and the value a
// parent stack passes it, when known. CloudFormation refuses to create or
// update a stack with such a value ("Parameter 'X' must be one of
// AllowedValues"), whether or not the template refers to the parameter;
// it refuses a Default when it validates the template, before any value
// is given, in the same words ("Template contains errors.: Parameter
// 'Naming' must contain at least 12 characters", as a user reports the
// console's, and ValidateTemplate takes no values), so a Default is
// checked even when a value is given for its parameter, as cfn-lint
// checks it. UNVERIFIED: no capture shows a stack refused for a Default
// it was given a value in place of; to check Defaults only when no value
// is given, skip def below when s.passed holds the parameter. A value
// given on the command line was checked when it was given.
func (s *cfnStack) checkParameters() {
	params := s.root.get("Parameters")
	if params == nil || params.kind != nMap {
		return
	}
	for i, k := range params.keys {
		decl := params.items[i]
		if strings.HasPrefix(decl.get("Type").scalarText(), "AWS::SSM::Parameter::") {
			continue // the value written names an SSM parameter, whose value is checked
		}
		def := decl.get("Default")
		if fault := s.paramFault(k.text, decl, def); fault != nil {
			s.refuseParam(k.text, def, fault)
			return
		}
		p, ok := s.passed[k.text]
		if !ok || s.given || !p.isScalar() {
			continue
		}
		if fault := s.paramFault(k.text, decl, &node{kind: nString, text: p.s}); fault != nil {
			// The value is the parent's; the constraint it breaks is here.
			s.refuseParam(k.text, decl.get(fault.constraint), fault)
			return
		}
	}
}

// paramFault returns the constraint of decl, the declaration of the
// parameter name, that value breaks, or nil, noting an AllowedPattern it
// could not check; nil too for no value or one not known.
func (s *cfnStack) paramFault(name string, decl, value *node) *paramFault {
	if value == nil || !value.isScalar() || value.unknown != "" {
		return nil
	}
	fault, unchecked := checkParam(decl, value.text)
	if fault == nil {
		s.l.patternNote(name, decl, unchecked)
	}
	return fault
}

// refuseParam refuses the template for fault, of the parameter name, at
// node at.
func (s *cfnStack) refuseParam(name string, at *node, fault *paramFault) {
	s.refuse(at, "the value "+strconv.Quote(fault.item)+" of parameter "+name+" "+fault.what, fault.refusal(name))
}

// patternNote notes that a value of the parameter name, declared as
// decl, could not be checked against its AllowedPattern, and why, unless
// why is empty; once, though its Default and a value given for it may
// each go unchecked for the same reason.
func (l *loader) patternNote(name string, decl *node, why string) {
	if why == "" {
		return
	}
	note := Note{Pos: decl.get("AllowedPattern").pos(),
		Text: "parameter " + name + "'s value is not checked against its AllowedPattern: " + why}
	if !slices.Contains(l.res.Notes, note) {
		l.res.Notes = append(l.res.Notes, note)
	}
}

// noResources is CloudFormation's refusal of a template without resources.
const noResources = "Template format error: At least one Resources member must be defined."

// resources reads the resources of a Resources mapping, or of the
// fragment of an Fn::ForEach loop in it.
func (s *cfnStack) resources(res *node) {
	for i, k := range res.keys {
		r := res.items[i]
		if s.l.err != nil || s.refused != nil {
			return
		}
		if strings.HasPrefix(k.text, "Fn::ForEach::") {
			s.forEach(k, r)
			continue
		}
		id := k
		if len(s.loop) > 0 {
			text, ok := s.loopText(k.text, k)
			if !ok {
				s.l.tooLong(k)
				return
			}
			id = &node{kind: nString, text: text, src: k.src, off: k.off}
		}
		switch r.get("Type").scalarText() {
		case "AWS::S3::Bucket":
			s.bucket(id, r)
		case "AWS::CloudFormation::Stack":
			s.nested(id, r, "TemplateURL")
		case "AWS::Serverless::Application":
			// SAM's nested application: a nested stack whose
			// Location is a template URL, a local file path (which
			// sam package and sam deploy upload) or an application
			// of the Serverless Application Repository.
			s.nested(id, r, "Location")
		}
	}
}

// loopVar is the identifier of an Fn::ForEach loop being read and its
// value in the current iteration.
type loopVar struct {
	name string
	v    *val
}

// maxLoopDepth bounds how deep Fn::ForEach loops are followed.
const maxLoopDepth = 8

// forEach reads the resources an Fn::ForEach loop of AWS::LanguageExtensions
// declares, once for each value of its collection (a list, or a Ref to a
// CommaDelimitedList), with the identifier's value in place of each
// ${Identifier} and &{Identifier} of their logical IDs and properties (see
// loopText) and of Ref Identifier.
func (s *cfnStack) forEach(k, r *node) {
	if r.kind != nSeq || len(r.items) != 3 || r.items[0].kind != nString || r.items[2].kind != nMap {
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: k.pos(), Text: k.text +
			" takes an identifier, a collection and a mapping of resources; its resources were not read"})
		return
	}
	if len(s.loop) >= maxLoopDepth {
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: k.pos(), Text: k.text +
			": loops nested more than " + strconv.Itoa(maxLoopDepth) + " deep are not read"})
		return
	}
	coll := s.resolve(r.items[1])
	if coll.kind != vList {
		why := "it is not a list"
		if coll.kind == vUnknown {
			why = coll.why
		}
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: r.items[1].pos(), Text: k.text +
			": its collection is not known (" + why + "); the resources of its loop were not read"})
		return
	}
	for _, e := range coll.list {
		// Each iteration costs a step: loops nested in loops would
		// otherwise cost the product of their collections.
		if !s.l.spend(k) {
			return
		}
		if !e.isScalar() {
			s.l.res.Notes = append(s.l.res.Notes, Note{Pos: e.org.Pos, Text: k.text +
				": a value of its collection is not a known string; the resources of its loop for it were not read"})
			continue
		}
		s.loop = append(s.loop, loopVar{r.items[0].text, e})
		iter := s.iter
		s.iters++
		s.iter = s.iters
		s.resources(r.items[2])
		s.loop, s.iter = s.loop[:len(s.loop)-1], iter
	}
}

// loopText returns text, written in the fragment of the Fn::ForEach loops
// being read, with the values of their identifiers in place of each
// ${Identifier} and &{Identifier} (&{} without the characters that are not
// alphanumeric), as AWS::LanguageExtensions puts them in the keys and the
// values of the fragment (logical IDs, Ref's names, Fn::Sub's strings)
// before CloudFormation reads them. ok is false when the text would be
// longer than maxValueLen, or the strings built for the input too many
// (see loader.build; at is the node whose text it is): a long value in
// place of many ${Identifier} would otherwise take memory without bound.
func (s *cfnStack) loopText(text string, at *node) (_ string, ok bool) {
	if len(s.loop) == 0 || !strings.Contains(text, "{") {
		return text, true
	}
	for i := len(s.loop) - 1; i >= 0; i-- {
		lv := s.loop[i]
		for _, r := range [...][2]string{{"${" + lv.name + "}", lv.v.s}, {"&{" + lv.name + "}", alnum(lv.v.s)}} {
			if n := strings.Count(text, r[0]); n > 0 {
				if len(text)+n*(len(r[1])-len(r[0])) > maxValueLen {
					return "", false
				}
				text = strings.ReplaceAll(text, r[0], r[1])
				if !s.l.build(at.pos(), len(text)) {
					return "", false
				}
			}
		}
	}
	return text, true
}

func (n *node) scalarText() string {
	if n == nil || !n.isScalar() || n.tag != "" {
		return ""
	}
	return n.text
}

// bucket reads the CorsConfiguration of one AWS::S3::Bucket.
func (s *cfnStack) bucket(id, r *node) {
	cc := r.get("Properties").get("CorsConfiguration")
	if cc == nil {
		return
	}
	b := &Bucket{Resource: s.prefix + id.text, Type: "AWS::S3::Bucket", Pos: id.pos(),
		Path: r.get("Metadata").get("aws:cdk:path").scalarText()}
	s.cur, s.noted = b, map[string]bool{}
	defer func() { s.cur = nil }()
	s.checkNames(cc)
	if c := r.get("Condition"); c != nil {
		if c.kind == nString && c.tag == "" {
			// UNVERIFIED: CloudFormation's words, from emulators of it.
			s.undeclared(c.text, c, "resource "+b.Resource,
				"Template format error: Unresolved condition dependency "+c.text+" in the Resources block of the template")
		}
		text := "the bucket is created only when condition " + strconv.Quote(c.text) + " holds"
		switch s.condition(c.text, c) {
		case 1:
			text += ", which it does with " + s.paramValues()
		case 0:
			text += ", which it does not with " + s.paramValues()
		}
		b.Notes = append(b.Notes, Note{Pos: c.pos(), Text: text})
	}
	v := s.resolve(cc)
	switch v.kind {
	case vAbsent:
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: cc.pos(), Text: b.Resource + ": CorsConfiguration resolves to AWS::NoValue: the bucket gets no CORS configuration"})
		return
	case vUnknown:
		b.RulesPos = v.org.Pos
		newBuilder(b, cfnDialect).rules(v)
	case vMap:
		bl := newBuilder(b, cfnDialect)
		rules := v.field("CorsRules")
		for i, key := range v.keys {
			if key != "CorsRules" {
				e := TemplateError{Pos: v.keyPos(i), Code: CodeUnknownMember,
					Message: "CloudFormation does not know the member " + strconv.Quote(key) + " of CorsConfiguration"}
				if fold(key) == "corsrules" || fold(key) == "corsrule" {
					e.Hint = `CloudFormation calls it "CorsRules"`
				}
				b.Errors = append(b.Errors, e)
			}
		}
		if rules == nil {
			b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Code: CodeMissingMember,
				Message: "CloudFormation requires CorsRules in CorsConfiguration"})
			break
		}
		b.RulesPos = rules.org.Pos
		bl.rules(rules)
	default:
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Code: CodeWrongType,
			Message: "CloudFormation expects a mapping for CorsConfiguration, not " + v.kind.describe()})
	}
	s.l.res.Buckets = append(s.l.res.Buckets, b)
}

// nested follows an AWS::CloudFormation::Stack, or SAM's
// AWS::Serverless::Application, whose template is a local file: a
// relative TemplateURL or Location, the property urlProp names (as "aws
// cloudformation package" and SAM take it before they upload it), or the
// aws:asset:path that CDK writes in the resource's Metadata, naming the
// template beside it in cdk.out, or, synthesized without that metadata,
// the file an asset manifest beside it uploads to the object TemplateURL
// names (see cdkAssetSource). Templates at an https:// or s3:// URL are
// not fetched otherwise: a note says so.
func (s *cfnStack) nested(id, r *node, urlProp string) {
	props := r.get("Properties")
	s.checkNames(props.get("Parameters"))
	url := props.get(urlProp)
	at := id
	if url != nil {
		at = url
	}
	path := r.get("Metadata").get("aws:asset:path").scalarText()
	if u := url.scalarText(); path == "" && u != "" && !strings.Contains(u, "://") {
		path = u
	}
	if path == "" && s.src.name != "" && s.src.name != stdinName {
		path = cdkAssetSource(filepath.Dir(s.src.name), url)
	}
	name := s.prefix + id.text
	switch {
	case path == "":
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: at.pos(), Text: "nested stack " + name +
			": its template is not a local file and was not read; give its template file to read its buckets"})
		return
	case s.src.name == "" || s.src.name == stdinName:
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: at.pos(), Text: "nested stack " + name +
			": its template " + strconv.Quote(path) + " is relative to a file, and standard input has none; it was not read"})
		return
	case s.depth >= maxStackDepth:
		s.l.res.Notes = append(s.l.res.Notes, Note{Pos: at.pos(), Text: "nested stack " + name +
			": stacks nested more than " + strconv.Itoa(maxStackDepth) + " deep are not read"})
		return
	}
	file := filepath.Join(filepath.Dir(s.src.name), filepath.FromSlash(path))
	passed := map[string]*val{}
	if p := props.get("Parameters"); p != nil && p.kind == nMap {
		for i, k := range p.keys {
			passed[k.text] = s.resolve(p.items[i])
		}
	}
	s.l.stack(file, at.pos(), s.prefix+id.text+"/", passed, s.depth+1)
}

// resolve returns the value of n with CloudFormation's intrinsic functions
// evaluated where they can be from the template alone.
func (s *cfnStack) resolve(n *node) *val {
	if !s.l.spend(n) {
		return unknownVal(n.pos(), "", "too much to evaluate")
	}
	if n.unknown != "" {
		return s.unknown(n, n.unknown)
	}
	for _, a := range n.assumed {
		s.note("sls:"+a.Pos.String()+a.Text, a.Pos, a.Text)
	}
	if fn, arg, ok := intrinsic(n); ok {
		return s.dynamic(s.call(fn, arg, n), n)
	}
	v := s.dynamic(scalarVal(n), n)
	switch n.kind {
	case nSeq:
		v.kind = vList
		for _, item := range n.items {
			if e := s.resolve(item); e.kind != vAbsent {
				v.list = append(v.list, e)
			}
		}
	case nMap:
		v.kind = vMap
		for i, k := range n.keys {
			if e := s.resolve(n.items[i]); e.kind != vAbsent {
				v.keys = append(v.keys, k.text)
				v.keyAt = append(v.keyAt, k.pos())
				v.fields = append(v.fields, e)
			}
		}
	}
	return v
}

// dynamic returns v, or a value not known when v is a string that holds a
// dynamic reference ({{resolve:ssm:name}}, ssm-secure, secretsmanager):
// CloudFormation puts the value it names there during the stack
// operation, so the text written is not what S3 receives.
func (s *cfnStack) dynamic(v *val, n *node) *val {
	if v.kind == vString && strings.Contains(v.s, "{{resolve:") {
		return s.unknown(n, "a dynamic reference, which CloudFormation resolves at deploy time")
	}
	return v
}

// intrinsic reports whether n is an intrinsic function, in its short YAML
// form (!Ref X) or its long form ({"Ref": "X"}, {"Fn::Join": [...]}), and
// returns the function's long name and its argument.
func intrinsic(n *node) (fn string, arg *node, ok bool) {
	if n.tag != "" {
		a := *n
		a.tag = ""
		switch n.tag {
		case "!Ref":
			return "Ref", &a, true
		case "!Condition":
			return "Condition", &a, true
		}
		return "Fn::" + n.tag[1:], &a, true
	}
	if n.kind == nMap && len(n.keys) == 1 {
		if k := n.keys[0].text; k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, n.items[0], true
		}
	}
	return "", nil, false
}

// call evaluates the intrinsic function fn on arg, written at n.
func (s *cfnStack) call(fn string, arg, n *node) *val {
	switch fn {
	case "Ref":
		if arg.kind != nString {
			return s.unknown(n, "Ref takes the name of a parameter or resource")
		}
		return s.ref(arg.text, n)
	case "Fn::Sub":
		return s.sub(arg, n)
	case "Fn::Join":
		return s.join(arg, n)
	case "Fn::Select":
		return s.selectFn(arg, n)
	case "Fn::Split":
		return s.split(arg, n)
	case "Fn::If":
		return s.ifFn(arg, n)
	case "Fn::FindInMap":
		return s.findInMap(arg, n)
	case "Fn::Base64":
		v := s.resolve(arg)
		if !v.isScalar() {
			return s.unknownOf(v, n, "Fn::Base64 of a value that is not known")
		}
		return &val{kind: vString, s: base64.StdEncoding.EncodeToString([]byte(v.s)), org: Origin{Pos: n.pos()}}
	case "Fn::GetAtt":
		return s.unknown(n, "an attribute of a resource, known only at deploy time")
	case "Fn::ImportValue":
		return s.unknown(n, "an export of another stack, known only at deploy time")
	case "Fn::GetAZs":
		return s.unknown(n, "the Availability Zones of the region, known only at deploy time")
	}
	return s.unknown(n, fn+" is not evaluated here")
}

// unknown returns a value not known before deployment for the
// expression n, named in messages by its text cut to 60 bytes.
func (s *cfnStack) unknown(n *node, why string) *val {
	return unknownVal(n.pos(), render(n, 60), why)
}

// unknownOf returns an unknown value for n that keeps the reason of the
// unknown value v it depends on.
func (s *cfnStack) unknownOf(v *val, n *node, why string) *val {
	if v.kind == vUnknown {
		return unknownVal(n.pos(), render(n, 60), v.why)
	}
	return s.unknown(n, why)
}

// note adds a note to the bucket being read, once per key.
func (s *cfnStack) note(key string, pos Position, text string) {
	if s.cur == nil || s.noted[key] {
		return
	}
	s.noted[key] = true
	s.cur.Notes = append(s.cur.Notes, Note{Pos: pos, Text: text})
}

var pseudoParameters = map[string]bool{"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true}

// paramValues names the parameter values conditions are evaluated with,
// for notes.
func (s *cfnStack) paramValues() string {
	if s.given {
		return "the parameter values given and the other parameters' defaults"
	}
	return "the parameters' defaults"
}

// ref evaluates Ref name, written at n.
func (s *cfnStack) ref(name string, n *node) *val {
	if name == "AWS::NoValue" {
		return &val{kind: vAbsent, org: Origin{Pos: n.pos()}}
	}
	if pseudoParameters[name] {
		return s.unknown(n, "pseudo parameter "+name+", known only at deploy time")
	}
	for i := len(s.loop) - 1; i >= 0; i-- {
		if s.loop[i].name == name {
			// A long value costs its bytes at each reference, as
			// the Ref of a parameter does.
			if v := s.loop[i].v; s.l.spendN(n.pos(), v.count()) {
				return v.via(n.pos(), "the identifier "+name+" of an Fn::ForEach loop")
			}
			return unknownVal(n.pos(), render(n, 60), "too much to evaluate")
		}
	}
	name, ok := s.loopText(name, n)
	if !ok {
		return s.l.tooLong(n)
	}
	decl := s.root.get("Parameters").get(name)
	if p, ok := s.passed[name]; ok {
		// The value was resolved once, in the parent; each reference
		// copies it, which costs what it is made of.
		if !s.l.spendN(n.pos(), p.count()) {
			return unknownVal(n.pos(), render(n, 60), "too much to evaluate")
		}
		from := "the value the parent stack passes for parameter " + name
		if s.given {
			from = "the value given for parameter " + name
		}
		v := p.via(n.pos(), from)
		if s.given {
			// Written in no file: located at the reference.
			v.org.Pos = n.pos()
		}
		if v.kind == vUnknown {
			return unknownVal(n.pos(), render(n, 60), "the parent stack passes "+v.expr+" for parameter "+name+": "+v.why)
		}
		return s.typed(v, decl, n)
	}
	if decl == nil {
		if s.root.get("Resources").get(name) != nil {
			return s.unknown(n, "refers to resource "+name+", known only at deploy time")
		}
		return s.unknown(n, "the template declares no parameter or resource "+name)
	}
	typ := decl.get("Type").scalarText()
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::") {
		return s.unknown(n, "parameter "+name+" is read from SSM Parameter Store at deploy time")
	}
	def := decl.get("Default")
	if def == nil {
		return s.unknown(n, "parameter "+name+" has no Default")
	}
	s.note("param:"+name, n.pos(), "parameter "+name+" is judged with its Default, written at "+def.pos().String())
	v := s.resolve(def).via(n.pos(), "the Default of parameter "+name)
	return s.typed(v, decl, n)
}

// typed converts a parameter's value to its declared type: a
// CommaDelimitedList or List<...> string becomes a list, each member
// space-trimmed as CloudFormation documents.
func (s *cfnStack) typed(v *val, decl, n *node) *val {
	typ := decl.get("Type").scalarText()
	if (typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")) && v.isScalar() {
		return s.l.splitVal(v, ",", true, n.pos())
	}
	return v
}

// sub evaluates Fn::Sub: a string with ${Name} references, and an
// optional mapping of names to values.
func (s *cfnStack) sub(arg, n *node) *val {
	str, vars := arg, (*node)(nil)
	if arg.kind == nSeq && len(arg.items) == 2 {
		str, vars = arg.items[0], arg.items[1]
	}
	if str.kind != nString || str.tag != "" {
		return s.unknown(n, "Fn::Sub takes a string")
	}
	if str.unknown != "" {
		return s.unknown(n, str.unknown)
	}
	for _, a := range str.assumed {
		s.note("sls:"+a.Pos.String()+a.Text, a.Pos, a.Text)
	}
	text, ok := s.loopText(str.text, str)
	if !ok {
		return s.l.tooLong(n)
	}
	lits, names, ok := subParts(text)
	if !ok {
		return s.unknown(n, "Fn::Sub has a ${ without its }")
	}
	var b strings.Builder
	for i, name := range names {
		b.WriteString(lits[i])
		var v *val
		if vn := vars.get(name); vn != nil {
			v = s.resolve(vn)
		} else if strings.Contains(name, ".") {
			return s.unknown(n, "${"+name+"} is an attribute of a resource, known only at deploy time")
		} else {
			v = s.ref(name, n)
		}
		if !v.isScalar() {
			return s.unknownOf(v, n, "${"+name+"} is not a string")
		}
		b.WriteString(v.s)
		if b.Len() > maxValueLen {
			return s.l.tooLong(n)
		}
	}
	b.WriteString(lits[len(names)])
	if b.Len() > maxValueLen {
		return s.l.tooLong(n)
	}
	if !s.l.build(n.pos(), b.Len()) {
		return unknownVal(n.pos(), render(n, 60), "too much to evaluate")
	}
	return &val{kind: vString, s: b.String(), org: Origin{Pos: n.pos()}}
}

// subParts splits the string of an Fn::Sub at its ${Name} references: the
// names, space-trimmed, and the literal text around them, one more than
// the names, with ${Literal} for each ${!Literal}; ok is false for a ${
// without its }.
func subParts(text string) (lits, names []string, ok bool) {
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return append(lits, b.String()), names, true
		}
		b.WriteString(text[:i])
		text = text[i+2:]
		if strings.HasPrefix(text, "!") {
			b.WriteString("${")
			text = text[1:]
			continue
		}
		j := strings.IndexByte(text, '}')
		if j < 0 {
			return nil, nil, false
		}
		lits, names = append(lits, b.String()), append(names, strings.TrimSpace(text[:j]))
		b.Reset()
		text = text[j+1:]
	}
}

// maxValueLen bounds a string built by Fn::Sub and Fn::Join.
const maxValueLen = 1 << 20

// join evaluates Fn::Join as CloudFormation does; the result is unknown
// when the delimiter or any element is, and the template is refused
// once the string passes maxValueLen.
func (s *cfnStack) join(arg, n *node) *val {
	if arg.kind != nSeq || len(arg.items) != 2 {
		return s.unknown(n, "Fn::Join takes a delimiter and a list")
	}
	delim := s.resolve(arg.items[0])
	list := s.resolve(arg.items[1])
	if delim.kind != vString || list.kind != vList {
		return s.unknownOf(list, n, "Fn::Join takes a delimiter and a list")
	}
	parts := make([]string, len(list.list))
	size := 0
	for i, e := range list.list {
		if !e.isScalar() {
			return s.unknownOf(e, n, "Fn::Join of a value that is not a string")
		}
		if i > 0 {
			size += len(delim.s)
		}
		if parts[i], size = e.s, size+len(e.s); size > maxValueLen {
			return s.l.tooLong(n)
		}
	}
	// Counted before it is built, and built once.
	if !s.l.build(n.pos(), size) {
		return unknownVal(n.pos(), render(n, 60), "too much to evaluate")
	}
	return &val{kind: vString, s: strings.Join(parts, delim.s), org: Origin{Pos: n.pos()}}
}

// selectFn evaluates Fn::Select: the list's element at a whole-number
// index, which may be a string. An index past the end of a known list
// refuses the template; one that is not a whole number or is negative
// makes the value unknown.
func (s *cfnStack) selectFn(arg, n *node) *val {
	if arg.kind != nSeq || len(arg.items) != 2 {
		return s.unknown(n, "Fn::Select takes an index and a list")
	}
	idx := s.resolve(arg.items[0])
	list := s.resolve(arg.items[1])
	if !idx.isScalar() {
		return s.unknownOf(idx, n, "the index is not known")
	}
	if list.kind != vList {
		return s.unknownOf(list, n, "Fn::Select takes a list")
	}
	i, ok := wholeNumber(strings.TrimSpace(idx.s)) // UNVERIFIED: as MaxAge, a string index is taken trimmed
	if ok && i >= int64(len(list.list)) {
		// The stack fails ("Fn::Select does not check ... if the index
		// is out of bounds of the array. Both conditions will result in
		// a stack error", Fn::Select's reference), with these words
		// (aws-samples/1click-hpc#1, a CREATE_FAILED).
		s.refuse(n, "Fn::Select's index "+strconv.FormatInt(i, 10)+" is outside its list of "+strconv.Itoa(len(list.list)),
			"Template error: Fn::Select cannot select nonexistent value at index "+strconv.FormatInt(i, 10))
	}
	if !ok || i < 0 || i >= int64(len(list.list)) {
		return s.unknown(n, "index "+idx.s+" is outside the list")
	}
	return list.list[i]
}

// split evaluates Fn::Split, a non-empty delimiter of a known string.
func (s *cfnStack) split(arg, n *node) *val {
	if arg.kind != nSeq || len(arg.items) != 2 {
		return s.unknown(n, "Fn::Split takes a delimiter and a string")
	}
	delim := s.resolve(arg.items[0])
	str := s.resolve(arg.items[1])
	if delim.kind != vString || delim.s == "" || !str.isScalar() {
		return s.unknownOf(str, n, "Fn::Split takes a delimiter and a string")
	}
	return s.l.splitVal(str, delim.s, false, n.pos())
}

// ifFn evaluates Fn::If with the branch its condition selects under the
// parameter values given, noting which one was judged. A condition that
// is not known makes the value unknown, saying whether it is undeclared,
// declared by a loop not read, or refers to itself.
func (s *cfnStack) ifFn(arg, n *node) *val {
	if !ifShape(arg) {
		return s.unknown(n, "Fn::If takes a condition name and two values")
	}
	name := arg.items[0].text
	switch s.condition(name, arg.items[0]) {
	case 1:
		s.note("cond:"+name, n.pos(), "condition "+name+" holds with "+s.paramValues()+": judged with the first value of its Fn::If")
		return s.resolve(arg.items[1])
	case 0:
		s.note("cond:"+name, n.pos(), "condition "+name+" does not hold with "+s.paramValues()+": judged with the second value of its Fn::If")
		return s.resolve(arg.items[2])
	}
	why := "condition " + name + " depends on values known only at deploy time"
	switch {
	case s.undeclaredIf(arg.items[0]):
		why = "the template declares no condition " + name
		if condLoops(s.root.get("Conditions")) {
			why = "condition " + name + " may be declared by an Fn::ForEach loop of Conditions, which is not read"
		}
	case s.cyclic[name]:
		why = "condition " + name + " refers to itself"
	}
	return s.unknown(n, why)
}

// checkNames refuses the template for what CloudFormation refuses under
// n, wherever it stands, before it creates anything: an Fn::If that names
// a condition the template does not declare (UNVERIFIED in branches a
// condition leaves out: cfn-lint and emulators check every Fn::If), and a
// Ref, an Fn::Sub or an Fn::GetAtt that names what it does not declare
// (see unresolved). n is what is read of the template: a bucket's
// CorsConfiguration, a nested stack's Parameters, a condition evaluated.
// Each node is walked once, once per iteration in Fn::ForEach loops, where
// each costs a step: a YAML alias shares its anchor's node.
func (s *cfnStack) checkNames(n *node) {
	key := checkedNode{n, s.iter}
	if n == nil || s.refused != nil || s.checked[key] || s.iter != 0 && !s.l.spend(n) {
		return
	}
	if s.checked == nil {
		s.checked = map[checkedNode]bool{}
	}
	s.checked[key] = true
	if fn, arg, ok := intrinsic(n); ok {
		switch {
		case fn == "Fn::If":
			if ifShape(arg) {
				s.undeclaredIf(arg.items[0])
			}
		case fn == "Ref":
			if arg.kind != nString || arg.tag != "" {
				break
			}
			if name, ok := s.loopText(arg.text, arg); ok {
				s.unresolved(arg, name, "Ref names "+name+", which")
			}
		case fn == "Fn::Sub":
			s.checkSub(arg)
		case fn == "Fn::GetAtt":
			s.checkGetAtt(arg)
		case strings.HasPrefix(fn, "Fn::ForEach::"):
			// An Fn::ForEach loop in a property is not read: the
			// names of its fragment may be its identifier's.
			if arg.kind == nSeq && len(arg.items) == 3 {
				s.checkNames(arg.items[1])
			}
			return
		}
	}
	for _, item := range n.items {
		s.checkNames(item)
	}
}

// checkSub refuses the template when an Fn::Sub, of argument arg, names
// in its string what the template does not declare, its own variables
// aside.
func (s *cfnStack) checkSub(arg *node) {
	str, vars := arg, (*node)(nil)
	if arg.kind == nSeq && len(arg.items) == 2 {
		str, vars = arg.items[0], arg.items[1]
	}
	if str.kind != nString || str.tag != "" {
		return
	}
	text, ok := s.loopText(str.text, str)
	if !ok {
		return // refused as too long when evaluated
	}
	_, names, _ := subParts(text)
	for _, name := range names {
		if vars.get(name) != nil {
			continue
		}
		if res, _, ok := strings.Cut(name, "."); ok {
			// UNVERIFIED: CloudFormation's words, from an emulator.
			s.unresolvedResource(str, res, "Fn::Sub names ${"+name+"}, an attribute of "+res+",",
				"Template error: instance of Fn::Sub references invalid resource attribute "+name)
		} else {
			s.unresolved(str, name, "Fn::Sub names ${"+name+"}, which")
		}
		if s.refused != nil {
			return
		}
	}
}

// checkGetAtt refuses the template when an Fn::GetAtt, of argument arg
// (Resource.Attribute in YAML's short form, [Resource, Attribute] in the
// long form), names a resource the template does not declare.
func (s *cfnStack) checkGetAtt(arg *node) {
	name := arg
	if arg.kind == nSeq && len(arg.items) > 0 {
		name = arg.items[0]
	}
	if name.kind != nString || name.tag != "" {
		return
	}
	text, ok := s.loopText(name.text, name)
	if !ok {
		return
	}
	res, _, _ := strings.Cut(text, ".")
	s.unresolvedResource(name, res, "Fn::GetAtt names "+res+",", "Template error: instance of Fn::GetAtt references undefined resource "+res)
}

// unresolved refuses the template when name, which a Ref or an Fn::Sub
// names at n (what says which: "Ref names X, which"), is neither a
// parameter, a resource, a pseudo parameter nor, in Resources, the
// identifier of an Fn::ForEach loop being read: CloudFormation lists it
// among the "unresolved resource dependencies" of the template
// (UNVERIFIED: it lists each of them, where this gives the first met).
// In Conditions, a Ref names a parameter: a resource is refused too.
func (s *cfnStack) unresolved(n *node, name, what string) {
	if pseudoParameters[name] || name == "AWS::NoValue" || s.refNamesMayChange() {
		return
	}
	params, res := s.root.get("Parameters"), s.root.get("Resources")
	if len(s.condPath) > 0 {
		if params.get(name) != nil {
			return
		}
		cond := "condition " + s.condPath[len(s.condPath)-1] + " refers to "
		what := cond + name + ", which Parameters does not declare"
		if res.get(name) != nil {
			what = cond + "resource " + name + ", and conditions refer to parameters only"
		}
		s.refuse(n, what, "Template format error: Unresolved dependencies ["+name+"]. Cannot reference resources in the Conditions block of the template")
		return
	}
	if params.get(name) != nil || res.get(name) != nil ||
		slices.ContainsFunc(s.loop, func(v loopVar) bool { return v.name == name }) || s.loopMayDeclare(name, n) {
		return
	}
	s.refuse(n, what+" the template declares neither as a parameter nor as a resource",
		"Template format error: Unresolved resource dependencies ["+name+"] in the Resources block of the template")
}

// unresolvedResource refuses the template when name, which what names at
// n, is not one of its resources, with CloudFormation's words aws.
func (s *cfnStack) unresolvedResource(n *node, name, what, aws string) {
	if s.root.get("Resources").get(name) != nil || s.loopMayDeclare(name, n) || s.refNamesMayChange() {
		return
	}
	s.refuse(n, what+" which Resources does not declare", aws)
}

// loopMayDeclare reports whether an Fn::ForEach loop of Resources may
// declare the resource name, referred to at n: whether a logical ID
// written in one, or in a loop in one, matches name, each ${Identifier}
// and &{Identifier} in it standing for any text. Each logical ID tried
// costs a step.
func (s *cfnStack) loopMayDeclare(name string, n *node) bool {
	if s.loopIDs == nil {
		s.loopIDs = []string{}
		var walk func(m *node)
		walk = func(m *node) {
			for i, k := range m.keys {
				if loop := m.items[i]; strings.HasPrefix(k.text, "Fn::ForEach::") && loop.kind == nSeq && len(loop.items) == 3 && loop.items[2].kind == nMap {
					for j, id := range loop.items[2].keys {
						if strings.HasPrefix(id.text, "Fn::ForEach::") {
							walk(&node{kind: nMap, keys: []*node{id}, items: []*node{loop.items[2].items[j]}})
						} else {
							s.loopIDs = append(s.loopIDs, id.text)
						}
					}
				}
			}
		}
		if res := s.root.get("Resources"); res != nil {
			walk(res)
		}
	}
	if len(s.loopIDs) == 0 || !s.l.spendN(n.pos(), len(s.loopIDs)) {
		return len(s.loopIDs) > 0
	}
	return slices.ContainsFunc(s.loopIDs, func(id string) bool { return loopIDMatches(id, name) })
}

// loopIDMatches reports whether name may be the logical ID that id, written
// in an Fn::ForEach loop, makes: each ${Identifier} and &{Identifier} of
// id stands for any text, the rest for itself.
func loopIDMatches(id, name string) bool {
	var lits []string
	for {
		i := strings.Index(id, "${")
		if j := strings.Index(id, "&{"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		end := -1
		if i >= 0 {
			end = strings.IndexByte(id[i:], '}')
		}
		if end < 0 {
			lits = append(lits, id)
			break
		}
		lits, id = append(lits, id[:i]), id[i+end+1:]
	}
	first, last := lits[0], lits[len(lits)-1]
	if len(lits) == 1 {
		return name == first
	}
	if !strings.HasPrefix(name, first) || !strings.HasSuffix(name[len(first):], last) {
		return false
	}
	rest := name[len(first) : len(name)-len(last)]
	for _, lit := range lits[1 : len(lits)-1] {
		j := strings.Index(rest, lit)
		if j < 0 {
			return false
		}
		rest = rest[j+len(lit):]
	}
	return true
}

// refNamesMayChange reports whether parameters or resources may be
// declared before CloudFormation checks the template's references: by a
// macro of its Transform other than AWS::LanguageExtensions (SAM's
// AWS::Serverless-2016-10-31 declares resources that templates name, such
// as MyFunctionRole for MyFunction and ServerlessRestApi), by an
// Fn::Transform (AWS::Include) in Parameters, Resources or Conditions, or
// by the Serverless Framework, whose template the resources of a service
// are merged into.
func (s *cfnStack) refNamesMayChange() bool {
	if s.framework {
		return true
	}
	for _, section := range []string{"Parameters", "Resources", "Conditions"} {
		if s.root.get(section).get("Fn::Transform") != nil {
			return true
		}
	}
	return s.transformOtherThan("AWS::LanguageExtensions")
}

// transformOtherThan reports whether the template's Transform names a
// macro other than those known, which may change the template before
// CloudFormation checks it.
func (s *cfnStack) transformOtherThan(known ...string) bool {
	t := s.root.get("Transform")
	if t == nil {
		return false
	}
	names := []*node{t}
	if t.kind == nSeq {
		names = t.items
	}
	for _, n := range names {
		if n.tag != "" || n.kind != nString || !slices.Contains(known, n.text) {
			return true
		}
	}
	return false
}

// ifShape reports whether arg, the argument of an Fn::If, is a condition
// name and two values.
func ifShape(arg *node) bool {
	return arg.kind == nSeq && len(arg.items) == 3 && arg.items[0].kind == nString
}

// undeclaredIf is [cfnStack.undeclared] for the condition an Fn::If names
// at cond.
func (s *cfnStack) undeclaredIf(cond *node) bool {
	return s.undeclared(cond.text, cond, "Fn::If", "Template error: unresolved condition dependency "+cond.text+" in Fn::If")
}

// undeclared reports whether the template's Conditions section does not
// declare the condition name, written at n in what (an Fn::If, a
// resource, a condition), and then refuses the template, as
// CloudFormation refuses it when a stack is created or updated with it,
// before any resource is (validate-template did not check it,
// aws/aws-cli#2409): with its words aws, when known.
func (s *cfnStack) undeclared(name string, n *node, what, aws string) bool {
	conds := s.root.get("Conditions")
	if conds.get(name) != nil {
		return false
	}
	// In an Fn::ForEach loop, a name written with ${} or &{} may be
	// one AWS::LanguageExtensions completes (UNVERIFIED): not refused.
	// Nor is a name an Fn::ForEach loop of Conditions may declare.
	loopName := len(s.loop) > 0 && (strings.Contains(name, "${") || strings.Contains(name, "&{"))
	if !loopName && !condLoops(conds) && !s.macros(conds) {
		s.refuse(n, what+" names the condition "+name+", which Conditions does not declare", aws)
	}
	return true
}

// condLoops reports whether conds, a Conditions section, holds an
// Fn::ForEach loop: AWS::LanguageExtensions expands it into conditions
// whose names it makes, which are not read here.
func condLoops(conds *node) bool {
	if conds == nil {
		return false
	}
	for _, k := range conds.keys {
		if strings.HasPrefix(k.text, "Fn::ForEach::") {
			return true
		}
	}
	return false
}

// refuse records CloudFormation's refusal of the template, for what is
// written at n, with its words aws when known, unless one was recorded
// before.
func (s *cfnStack) refuse(n *node, what, aws string) {
	if s.refused != nil {
		return
	}
	msg := "CloudFormation refuses the template: " + what
	if aws != "" {
		msg += " (" + strconv.Quote(aws) + ")"
	}
	s.refused = &ParseError{Pos: n.pos(), Msg: msg}
}

// macros reports whether conditions may be added to the template before
// CloudFormation validates it: by a macro of its Transform (AWS's
// AWS::Serverless-2016-10-31 and AWS::LanguageExtensions add none that
// the template names), or by an Fn::Transform (AWS::Include) in conds,
// its Conditions section.
func (s *cfnStack) macros(conds *node) bool {
	return conds.get("Fn::Transform") != nil || s.transformOtherThan("AWS::Serverless-2016-10-31", "AWS::LanguageExtensions")
}

// condition evaluates the named condition: 1 true, 0 false, -1 unknown.
func (s *cfnStack) condition(name string, at *node) int8 {
	if c, ok := s.conds[name]; ok {
		if c == -2 {
			// A cycle, which CloudFormation refuses: each condition
			// on it is marked.
			if s.cyclic == nil {
				s.cyclic = map[string]bool{}
			}
			cycle := s.condPath[slices.Index(s.condPath, name):]
			for _, on := range cycle {
				s.cyclic[on] = true
			}
			// UNVERIFIED: CloudFormation's words, from an emulator.
			aws := "Template format error: Circular dependency between conditions: [" + strings.Join(cycle, ", ") + "]"
			switch {
			case s.macros(s.root.get("Conditions")):
				// A macro may change the conditions first.
			case len(cycle) == 1:
				s.refuse(at, "condition "+name+" refers to itself", aws)
			default:
				s.refuse(at, "conditions "+strings.Join(cycle, ", ")+" refer to one another in a cycle", aws)
			}
			return -1
		}
		return c
	}
	decl := s.root.get("Conditions").get(name)
	if decl == nil {
		return -1
	}
	s.conds[name] = -2
	s.condPath = append(s.condPath, name)
	// The loops being read are not those of Conditions: their
	// identifiers are not declared there.
	loop, iter := s.loop, s.iter
	s.loop, s.iter = nil, 0
	s.checkNames(decl)
	s.loop, s.iter = loop, iter
	c := s.condExpr(decl)
	s.condPath = s.condPath[:len(s.condPath)-1]
	s.conds[name] = c
	return c
}

// condExpr evaluates a condition: 1 true, 0 false, -1 not known before
// deployment. Fn::And and Fn::Or stop at the first operand that decides
// them, as a known false decides an And even after an unknown.
func (s *cfnStack) condExpr(n *node) int8 {
	if !s.l.spend(n) {
		return -1
	}
	fn, arg, ok := intrinsic(n)
	if !ok && n.kind == nMap && len(n.keys) == 1 && n.keys[0].text == "Condition" {
		fn, arg, ok = "Condition", n.items[0], true
	}
	if !ok {
		return -1
	}
	switch fn {
	case "Condition":
		if len(s.condPath) > 0 && arg.kind == nString {
			// UNVERIFIED: CloudFormation's words, from an emulator.
			s.undeclared(arg.text, arg, "condition "+s.condPath[len(s.condPath)-1],
				"Template error: unresolved condition dependency "+arg.text+" in Condition")
		}
		return s.condition(arg.text, arg)
	case "Fn::Equals":
		if arg.kind != nSeq || len(arg.items) != 2 {
			return -1
		}
		a, b := s.resolve(arg.items[0]), s.resolve(arg.items[1])
		if !a.isScalar() || !b.isScalar() {
			return -1
		}
		return boolInt(a.s == b.s)
	case "Fn::Not":
		if arg.kind != nSeq || len(arg.items) != 1 {
			return -1
		}
		switch s.condExpr(arg.items[0]) {
		case 1:
			return 0
		case 0:
			return 1
		}
		return -1
	case "Fn::And", "Fn::Or":
		if arg.kind != nSeq {
			return -1
		}
		and := fn == "Fn::And"
		result := boolInt(and)
		for _, item := range arg.items {
			switch c := s.condExpr(item); {
			case c == -1:
				result = -1
			case (c == 1) != and: // false in an And, true in an Or
				return c
			}
		}
		return result
	}
	return -1
}

// boolInt is condExpr's form of a known condition: 1 or 0.
func boolInt(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// findInMap evaluates Fn::FindInMap over the template's Mappings, with
// AWS::LanguageExtensions' DefaultValue when the keys are not there.
func (s *cfnStack) findInMap(arg, n *node) *val {
	if arg.kind != nSeq || len(arg.items) < 3 {
		return s.unknown(n, "Fn::FindInMap takes a map name and two keys")
	}
	var keys [3]string
	for i := range keys {
		k := s.resolve(arg.items[i])
		if !k.isScalar() {
			return s.unknownOf(k, n, "a key of Fn::FindInMap is not known")
		}
		keys[i] = k.s
	}
	m := s.root.get("Mappings").get(keys[0]).get(keys[1]).get(keys[2])
	if m == nil {
		// AWS::LanguageExtensions adds a fourth argument,
		// {DefaultValue: v}, the value when the keys are not there.
		if len(arg.items) == 4 {
			if d := arg.items[3].get("DefaultValue"); d != nil {
				return s.resolve(d).via(n.pos(), "the DefaultValue of Fn::FindInMap, as Mappings has no "+keys[0]+"."+keys[1]+"."+keys[2])
			}
		}
		s.mappingMissing(n, keys)
		return s.unknown(n, "Mappings has no "+keys[0]+"."+keys[1]+"."+keys[2])
	}
	return s.resolve(m).via(n.pos(), "Mappings "+keys[0]+"."+keys[1]+"."+keys[2])
}

// mappingMissing refuses the template for an Fn::FindInMap, written at n,
// whose keys name no value of its Mappings, as the stack fails ("Template
// error: Unable to get mapping for AWSEBAWSInstanceTypeFamily2Arch::t3a::Arch",
// CloudFormation's words that Elastic Beanstalk's notice of that failure
// quotes), unless a macro may add to Mappings first: a Transform other
// than AWS::LanguageExtensions and SAM's, an AWS::Include in Mappings, or
// the Serverless Framework's template. A map the template does not
// declare is refused too (UNVERIFIED words: none are given).
func (s *cfnStack) mappingMissing(n *node, keys [3]string) {
	maps := s.root.get("Mappings")
	if s.framework || maps.get("Fn::Transform") != nil || s.transformOtherThan("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31") {
		return
	}
	if maps.get(keys[0]) == nil {
		s.refuse(n, "Fn::FindInMap names the map "+keys[0]+", which Mappings does not declare", "")
		return
	}
	s.refuse(n, "Fn::FindInMap names "+keys[0]+"."+keys[1]+"."+keys[2]+", which Mappings does not declare",
		"Template error: Unable to get mapping for "+keys[0]+"::"+keys[1]+"::"+keys[2])
}

// render writes n in YAML's short form, cut to about max bytes, to name
// an expression in messages.
func render(n *node, max int) string {
	var b strings.Builder
	renderTo(&b, n, max)
	return shorten(b.String(), max)
}

// renderTo is render's recursion: intrinsics in their short form
// ("Fn::Sub x"), lists and mappings inline, strings quoted only when
// they would read otherwise, stopping once past max bytes.
func renderTo(b *strings.Builder, n *node, max int) {
	if b.Len() > max {
		return
	}
	if fn, arg, ok := intrinsic(n); ok && n.tag == "" {
		b.WriteString(fn + " ")
		renderTo(b, arg, max)
		return
	}
	if n.tag != "" {
		b.WriteString(n.tag + " ")
	}
	switch n.kind {
	case nSeq:
		b.WriteByte('[')
		for i, item := range n.items {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, item, max)
			if b.Len() > max {
				return
			}
		}
		b.WriteByte(']')
	case nMap:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k.text + ": ")
			renderTo(b, n.items[i], max)
			if b.Len() > max {
				return
			}
		}
		b.WriteByte('}')
	case nString:
		if n.text == "" || strings.ContainsAny(n.text, " ,:[]{}#\"'") {
			b.WriteString(strconv.Quote(n.text))
		} else {
			b.WriteString(n.text)
		}
	default:
		b.WriteString(n.text)
	}
}

// maxAssetManifests and maxAssetManifestSize bound the asset manifests
// cdkAssetSource reads in a directory: a cdk.out holds one per stack,
// a few kilobytes each.
const (
	maxAssetManifests    = 100
	maxAssetManifestSize = 1 << 20
)

// cdkAssetSource returns the file, relative to dir, that an asset manifest
// of dir (NAME.assets.json, which cdk synth writes in cdk.out beside each
// stack's template) uploads to the object url names, or "". url is a
// nested stack's TemplateURL as CDK writes it, an Fn::Join whose last part
// ends with the object's key, "/HASH.json"; cdk deploy uploads the
// manifest's file of that objectKey there. CDK names the file in the
// resource's aws:asset:path too, unless asset metadata is turned off
// (cdk synth --no-asset-metadata).
func cdkAssetSource(dir string, url *node) string {
	parts := url.get("Fn::Join")
	if parts == nil || parts.kind != nSeq || len(parts.items) != 2 || parts.items[1].kind != nSeq || len(parts.items[1].items) == 0 {
		return ""
	}
	last := parts.items[1].items[len(parts.items[1].items)-1].scalarText()
	i := strings.LastIndexByte(last, '/')
	if i < 0 || !strings.HasSuffix(last, ".json") {
		return ""
	}
	key := last[i+1:]
	// Listed, not globbed: a [ or * in dir would be read as a pattern.
	entries, _ := os.ReadDir(dir)
	tried := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".assets.json") {
			continue
		}
		if tried++; tried > maxAssetManifests {
			break
		}
		if path := assetSourceOf(filepath.Join(dir, e.Name()), key); path != "" {
			return path
		}
	}
	return ""
}

// assetSourceOf returns the source path of the file asset that the asset
// manifest at manifest uploads to objectKey key, or "".
func assetSourceOf(manifest, key string) string {
	if fi, err := os.Stat(manifest); err != nil || !fi.Mode().IsRegular() || fi.Size() > maxAssetManifestSize {
		return ""
	}
	data, err := os.ReadFile(manifest)
	if err != nil {
		return ""
	}
	var m struct {
		Files map[string]struct {
			Source struct {
				Path      string `json:"path"`
				Packaging string `json:"packaging"`
			} `json:"source"`
			Destinations map[string]struct {
				ObjectKey string `json:"objectKey"`
			} `json:"destinations"`
		} `json:"files"`
	}
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	for _, f := range m.Files {
		for _, d := range f.Destinations {
			// CDK writes the file's name in the directory; a path
			// that leads out of it is not followed.
			if d.ObjectKey == key && f.Source.Packaging == "file" && filepath.IsLocal(f.Source.Path) {
				return f.Source.Path
			}
		}
	}
	return ""
}
