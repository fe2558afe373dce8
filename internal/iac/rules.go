package iac

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3err"
)

// dialect says how one tool writes a rule and what it does to it on the
// way to S3.
type dialect struct {
	tool string // "CloudFormation", "Terraform", "Kubernetes"
	// members maps the tool's member names to S3's fields.
	members map[string]Field
	names   map[Field]string // the tool's name of each field, for messages
	// rulesName is the tool's name of the list of rules, for notes.
	rulesName string
	// hints maps folded names people write by mistake to the tool's name.
	hints map[string]string
	// strict reports unknown members as errors; a plan's JSON holds
	// every attribute of the resource's schema, some of them not CORS.
	strict bool
	// requiredBy names who refuses a rule without AllowedMethods or
	// AllowedOrigins before S3 sees it (CloudFormation's resource schema,
	// the provider's schema); "" when S3 judges such a rule.
	requiredBy string
	// typed: the values must be of the schema's types, as Kubernetes
	// checks a custom resource's fields (strings, maxAgeSeconds a
	// number), where CloudFormation and Terraform convert a number to a
	// string and a string to a number.
	typed bool
	// typedNumbers: MaxAgeSeconds must be a number, where a string
	// member takes any scalar: Pulumi YAML's type checker converts a
	// number or a boolean to a string, never a string to a number
	// (pulumi-yaml's isAssignable).
	typedNumbers bool
	// set: the lists are sets, as aws_s3_bucket_cors_configuration
	// declares them; the provider drops empty strings
	// (flex.ExpandStringValueSet) and duplicates collapse.
	set bool
	// uniqueLists, when not "", says why tool refuses a value listed
	// twice in a rule's list before S3 sees it: CloudFormation's resource
	// schema declares the lists uniqueItems, and a custom resource of
	// upjet's declares them sets (x-kubernetes-list-type: set, which
	// upjet writes for a Terraform set of strings since its 1.0), which
	// the API server checks ("Duplicate value").
	uniqueLists string
	// zeroMaxAge: an unset max_age_seconds reads as 0 in the provider
	// (tfMap["max_age_seconds"].(int) is 0 and ok), which it sends.
	zeroMaxAge bool
	// wrap32: the provider converts max_age_seconds with int32(v).
	wrap32 bool
	// converter names who converts with int32(v), for wrap32's note;
	// "" for the AWS provider.
	converter string
	// fractionBy names who refuses a maxAgeSeconds with a fraction when
	// the schema takes any number; "" for tool.
	fractionBy string
	// schema: CloudFormation validates the properties against the
	// resource schema of AWS::S3::Bucket before it calls S3, and fails
	// the deployment ("Properties validation failed for resource B with
	// message: #/CorsConfiguration/CorsRules/0/AllowedOrigins: array
	// items are not unique"): CorsRules and each rule's lists are
	// uniqueItems, MaxAge has a minimum of 0, AllowedMethods' items are
	// an enum of GET, PUT, HEAD, POST and DELETE, Id has a maxLength of
	// cfnIDChars.
	schema bool
	// schemaBy names who checks schema's resource schema, in its
	// messages: "" for CloudFormation, the Cloud Control API for
	// aws-native's bucket.
	schemaBy string
	// idBytes: the provider refuses an id longer than this many bytes
	// (validation.StringLenBetween(0, 255) counts len(v)), where S3
	// counts characters; 0 for no such limit.
	idBytes int
}

// schemaChecker names who checks the resource schema (see schema).
func (d *dialect) schemaChecker() string {
	if d.schemaBy != "" {
		return d.schemaBy
	}
	return "CloudFormation"
}

// cfnIDChars is the maxLength of a CorsRule's Id in the resource schema of
// AWS::S3::Bucket ("The value must be no more than 255 characters").
const cfnIDChars = 255

var cfnDialect = &dialect{
	tool: "CloudFormation",
	members: map[string]Field{"Id": FieldID, "AllowedOrigins": FieldAllowedOrigin, "AllowedMethods": FieldAllowedMethod,
		"AllowedHeaders": FieldAllowedHeader, "ExposedHeaders": FieldExposeHeader, "MaxAge": FieldMaxAgeSeconds},
	names: map[Field]string{FieldID: "Id", FieldAllowedOrigin: "AllowedOrigins", FieldAllowedMethod: "AllowedMethods",
		FieldAllowedHeader: "AllowedHeaders", FieldExposeHeader: "ExposedHeaders", FieldMaxAgeSeconds: "MaxAge"},
	hints: map[string]string{"id": "Id", "allowedorigin": "AllowedOrigins", "allowedorigins": "AllowedOrigins",
		"allowedmethod": "AllowedMethods", "allowedmethods": "AllowedMethods", "allowedheader": "AllowedHeaders",
		"allowedheaders": "AllowedHeaders", "exposeheader": "ExposedHeaders", "exposeheaders": "ExposedHeaders",
		"exposedheader": "ExposedHeaders", "exposedheaders": "ExposedHeaders", "maxage": "MaxAge", "maxageseconds": "MaxAge"},
	rulesName: "CorsRules", strict: true, requiredBy: "CloudFormation", schema: true,
	uniqueLists: " (its resource schema wants the items unique)",
}

var tfNames = map[Field]string{FieldID: "id", FieldAllowedOrigin: "allowed_origins", FieldAllowedMethod: "allowed_methods",
	FieldAllowedHeader: "allowed_headers", FieldExposeHeader: "expose_headers", FieldMaxAgeSeconds: "max_age_seconds"}

var tfHints = map[string]string{"allowedorigin": "allowed_origins", "allowedorigins": "allowed_origins",
	"allowedmethod": "allowed_methods", "allowedmethods": "allowed_methods", "allowedheader": "allowed_headers",
	"allowedheaders": "allowed_headers", "exposeheader": "expose_headers", "exposeheaders": "expose_headers",
	"exposedheader": "expose_headers", "exposedheaders": "expose_headers", "maxage": "max_age_seconds",
	"maxageseconds": "max_age_seconds", "id": "id"}

func tfMembers(withID bool) map[string]Field {
	m := map[string]Field{}
	for f, name := range tfNames {
		if f != FieldID || withID {
			m[name] = f
		}
	}
	return m
}

// tfConfigDialect is aws_s3_bucket_cors_configuration's cors_rule: sets,
// with an id.
var tfConfigDialect = &dialect{tool: "Terraform", members: tfMembers(true), names: tfNames, hints: tfHints, rulesName: "cors_rule",
	strict: true, requiredBy: "Terraform", set: true, zeroMaxAge: true, wrap32: true, idBytes: 255}

// tfInlineDialect is the inline cors_rule of aws_s3_bucket (provider 3
// and earlier, deprecated since 4): lists, no id.
var tfInlineDialect = &dialect{tool: "Terraform", members: tfMembers(false), names: tfNames, hints: tfHints, rulesName: "cors_rule",
	strict: true, requiredBy: "Terraform", zeroMaxAge: true, wrap32: true}

// plan dialects: the same transformations, unknown attributes ignored.
var (
	planConfigDialect = &dialect{tool: "Terraform", members: tfMembers(true), names: tfNames, rulesName: "cors_rule",
		set: true, zeroMaxAge: true, wrap32: true}
	planInlineDialect = &dialect{tool: "Terraform", members: tfMembers(false), names: tfNames, rulesName: "cors_rule",
		zeroMaxAge: true, wrap32: true}
)

// schemaProblem is an S3 schema error found while reading a rule (a
// MaxAgeSeconds beyond 32 bits), located at its value.
type schemaProblem struct {
	err   *s3err.Error
	field Field
}

// builder turns resolved rule values into a Bucket's rules.
type builder struct {
	b *Bucket
	d *dialect
	// ruleKeys maps the setKey of each known rule added to a set, or the
	// listKey of each known rule CloudFormation's schema wants unique,
	// to its 1-based number, to find a rule already there at once.
	ruleKeys map[string]int
	// The rule being read's lists in which a set held the empty string,
	// which the AWS provider drops but Terraform's set tells rules apart
	// by, and the notes once added saying so or that a set holds a value
	// once: a rule the set already holds is dropped all the same.
	emptyIn  fieldSet
	setNotes int
}

func newBuilder(b *Bucket, d *dialect) *builder {
	if b.schema == nil {
		b.schema = map[int][]schemaProblem{}
	}
	if d.set {
		b.RulesSet = d.rulesName
	}
	return &builder{b: b, d: d}
}

// notJudged records v, a value not known in member f of rule (0 for the
// list of rules), as not judged, or as an error when the tool refuses
// it (see val.refusal) or Terraform fails to evaluate it (see val.err):
// terraform plan stops there ("Unsupported attribute", "Invalid index",
// "Invalid function argument"), so nothing is sent.
func (b *Bucket) notJudged(v *val, rule int, f Field) {
	switch {
	case v.refusal != "":
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: f, Code: v.refusal, Message: v.why})
		return
	case v.err:
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: f, Code: CodeWrongType,
			Message: "Terraform fails to evaluate " + v.expr + ": " + v.why})
		return
	}
	b.Unjudged = append(b.Unjudged, Unjudged{Pos: v.org.Pos, Rule: rule, Field: f, Expr: v.expr, Why: v.why})
}

// rules adds each rule of a resolved list.
func (bl *builder) rules(v *val) {
	switch v.kind {
	case vList:
		for _, r := range v.list {
			bl.rule(r, "")
		}
	case vUnknown:
		bl.b.unknownCount = true
		bl.b.notJudged(v, 0, FieldRule)
	case vAbsent, vNull:
	default:
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: v.org.Pos, Code: CodeWrongType,
			Message: bl.d.tool + " expects a list of rules here, not " + v.kind.describe()})
	}
}

// rule adds one rule, written as a mapping of members. label describes
// where it comes from for notes ("" when written in place).
func (bl *builder) rule(v *val, label string) {
	b := bl.b
	switch v.kind {
	case vAbsent:
		return
	case vUnknown:
		b.unknownCount = true
		b.notJudged(v, 0, FieldRule)
		return
	case vMap:
	default:
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Rule: len(b.Rules) + 1, Code: CodeWrongType,
			Message: bl.d.tool + " expects a rule (a mapping of members) here, not " + v.kind.describe()})
		return
	}
	n := len(b.Rules) + 1
	errorsBefore, notesBefore := len(b.Errors), len(b.Notes)
	bl.emptyIn, bl.setNotes = 0, 0
	r, o, unknown := bl.ruleMembers(v, n)
	bl.requireMembers(o, unknown, n)
	// A max_age_seconds written but refused is set: its error says so.
	_, ageWritten := o.Members[FieldMaxAgeSeconds]
	zeroAge := r.MaxAgeSeconds == nil && !ageWritten && !unknown.has(FieldMaxAgeSeconds) && bl.d.zeroMaxAge
	if zeroAge {
		r.MaxAgeSeconds = new(int32)
	}
	// quiet: nothing is said about this rule yet but how its set lists
	// collapse, without which a rule a set already holds is kept (and
	// judged) rather than dropped (review8: two blocks that each listed
	// "GET" twice were two rules, where Terraform sends one).
	quiet := len(b.Errors) == errorsBefore && len(b.Notes)-bl.setNotes == notesBefore
	if bl.sentOnce(r, o, unknown, n, label, quiet) {
		return
	}
	bl.refuseRepeatedRule(r, o, unknown, n)
	if zeroAge {
		b.Notes = append(b.Notes, Note{Pos: o.Pos, Rule: n, Text: bl.d.names[FieldMaxAgeSeconds] + " is not set: the AWS provider sends MaxAgeSeconds 0, so browsers do not cache the preflight answer"})
	}
	if label != "" {
		b.Notes = append(b.Notes, Note{Pos: o.Pos, Rule: n, Text: label})
	}
	b.Rules = append(b.Rules, r)
	b.Origins = append(b.Origins, o)
	b.unknown = append(b.unknown, unknown)
}

// ruleMembers reads the members of the rule v, number n, into a rule and
// where each of its values is written, with the fields whose value is
// not known, wholly or in part; it reports unknown and repeated members
// and values refused. It exists so that rule reads as the checks made
// on a whole rule.
func (bl *builder) ruleMembers(v *val, n int) (r corsrule.Rule, o RuleOrigins, unknown fieldSet) {
	o = RuleOrigins{Pos: v.org.Pos, Members: map[Field]Position{}}
	seen := map[string]bool{}
	for i, key := range v.keys {
		mv := v.fields[i]
		f, ok := bl.member(key, mv, v.keyPos(i), n, seen)
		if !ok || mv.kind == vAbsent || mv.kind == vNull {
			continue
		}
		o.Members[f] = mv.org.Pos
		if mv.kind == vUnknown {
			unknown.add(f)
			bl.b.notJudged(mv, n, f)
			continue
		}
		switch f {
		case FieldID:
			bl.id(&r, &o, mv, n)
		case FieldMaxAgeSeconds:
			bl.maxAge(&r, &o, mv, n)
		default:
			if bl.listMember(&r, &o, mv, n, f) {
				unknown.add(f)
			}
		}
	}
	return r, o, unknown
}

// member returns the field of the member key (its value mv) of rule n
// and true, or false when the member is not one of the dialect's (an
// error when the dialect is strict, with a hint at the right name) or
// was already written in the rule (seen holds the members read so far,
// and key is added to it); at is where key is written, which those errors
// point at. It exists to keep ruleMembers about values.
func (bl *builder) member(key string, mv *val, at Position, n int, seen map[string]bool) (Field, bool) {
	d := bl.d
	f, ok := d.members[key]
	if !ok {
		if d.strict {
			e := TemplateError{Pos: at, Rule: n, Code: CodeUnknownMember,
				Message: d.tool + " does not know the member " + strconv.Quote(key) + " of a CORS rule"}
			if right, ok := d.hints[fold(key)]; ok && right != key {
				e.Hint = d.tool + " calls it " + strconv.Quote(right)
			}
			bl.b.Errors = append(bl.b.Errors, e)
		}
		return 0, false
	}
	if seen[key] {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: at, Rule: n, Field: f, Code: CodeDuplicateMember,
			Message: "the member " + strconv.Quote(key) + " is written twice in one rule"})
		return 0, false
	}
	seen[key] = true
	return f, true
}

// id sets the ID of rule r, number n, from the value mv, and reports an
// id longer than the provider or CloudFormation's resource schema takes.
// It exists because those limits differ from S3's and from each other.
func (bl *builder) id(r *corsrule.Rule, o *RuleOrigins, mv *val, n int) {
	b, d, f := bl.b, bl.d, FieldID
	s, ok := bl.scalar(mv, n, f)
	if !ok {
		return
	}
	r.ID, o.ID = s, mv.org
	if d.idBytes > 0 && len(s) > d.idBytes {
		// terraform plan fails: "expected length of
		// cors_rule.0.id to be in the range (0 - 255)".
		b.Errors = append(b.Errors, TemplateError{Pos: mv.org.Pos, Rule: n, Field: f, Code: CodeOutOfRange,
			Message: "the AWS provider refuses an id of " + strconv.Itoa(len(s)) + " bytes: it expects the length of cors_rule's id to be in the range (0 - " + strconv.Itoa(d.idBytes) + "), in bytes, where S3 counts characters"})
	}
	if chars := utf8.RuneCountInString(s); d.schema && chars > cfnIDChars {
		// "Properties validation failed ...: expected
		// maxLength: 255, actual: 256": JSON Schema counts
		// code points, as S3 counts characters.
		b.Errors = append(b.Errors, TemplateError{Pos: mv.org.Pos, Rule: n, Field: f, Code: CodeOutOfRange,
			Message: bl.d.schemaChecker() + " refuses an " + d.names[f] + " of " + strconv.Itoa(chars) + " characters: its resource schema's maxLength is " + strconv.Itoa(cfnIDChars)})
	}
}

// listMember sets the list field f of rule r, number n, from the value
// mv, and reports whether some of its items are not known. It exists to
// map each list field to its place in the rule and its origins.
func (bl *builder) listMember(r *corsrule.Rule, o *RuleOrigins, mv *val, n int, f Field) (partial bool) {
	values, origins, partial := bl.list(mv, n, f)
	switch f {
	case FieldAllowedOrigin:
		r.AllowedOrigins, o.AllowedOrigins = values, origins
	case FieldAllowedMethod:
		r.AllowedMethods, o.AllowedMethods = values, origins
	case FieldAllowedHeader:
		r.AllowedHeaders, o.AllowedHeaders = values, origins
	case FieldExposeHeader:
		r.ExposeHeaders, o.ExposeHeaders = values, origins
	}
	return partial
}

// requireMembers reports a rule n without AllowedMethods or
// AllowedOrigins (o says which are written, unknown which are not
// known) when the dialect's tool refuses it. It exists because
// CloudFormation's resource schema and the provider's both require
// them: a rule without one (not written, null, or removed by
// AWS::NoValue) is refused before S3 sees it.
func (bl *builder) requireMembers(o RuleOrigins, unknown fieldSet, n int) {
	d := bl.d
	if d.requiredBy == "" {
		return
	}
	for _, f := range []Field{FieldAllowedMethod, FieldAllowedOrigin} {
		if _, ok := o.Members[f]; !ok && !unknown.has(f) {
			bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: o.Pos, Rule: n, Field: f, Code: CodeMissingMember,
				Message: d.requiredBy + " requires " + d.names[f] + " in a CORS rule"})
		}
	}
}

// sentOnce reports whether the rule r, wholly known, is one a set of
// rules already holds, so that S3 receives it once, and notes so; quiet
// says there is nothing else to say about the rule, without which it is
// kept to be judged. Otherwise it remembers the rule, number n, for those
// after it.
// It exists because only the provider's sets drop such rules.
func (bl *builder) sentOnce(r corsrule.Rule, o RuleOrigins, unknown fieldSet, n int, label string, quiet bool) bool {
	d := bl.d
	if !d.set || unknown != 0 {
		return false
	}
	key := setKey(r, bl.emptyIn)
	k, seen := bl.ruleKeys[key]
	if seen && quiet {
		bl.b.Notes = bl.b.Notes[:len(bl.b.Notes)-bl.setNotes] // of a rule S3 does not receive
		// The blocks of a dynamic block share one position:
		// the label tells which element the rule comes from.
		this := "this rule"
		if label != "" {
			this = "the " + label
		}
		bl.b.Notes = append(bl.b.Notes, Note{Pos: o.Pos,
			Text: d.rulesName + " is a set: " + this + " is the same as rule " + strconv.Itoa(k) + ", so S3 receives it once"})
		return true
	}
	if !seen {
		if bl.ruleKeys == nil {
			bl.ruleKeys = map[string]int{}
		}
		bl.ruleKeys[key] = n
	}
	return false
}

// refuseRepeatedRule reports the rule r, number n, wholly known, when it
// is a rule already in CorsRules, which CloudFormation's resource schema
// wants unique, and otherwise remembers it for those after it. It exists
// because CloudFormation refuses what S3 would take.
func (bl *builder) refuseRepeatedRule(r corsrule.Rule, o RuleOrigins, unknown fieldSet, n int) {
	if !bl.d.schema || unknown != 0 {
		return
	}
	key := listKey(r, func(f Field) bool { _, ok := o.Members[f]; return ok })
	if k, seen := bl.ruleKeys[key]; seen {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: o.Pos, Rule: n, Code: CodeNotUnique,
			Message: bl.d.schemaChecker() + " refuses " + bl.d.rulesName + " that hold the same rule twice: this rule is rule " + strconv.Itoa(k) +
				" again (its resource schema wants the items unique)"})
	} else {
		if bl.ruleKeys == nil {
			bl.ruleKeys = map[string]int{}
		}
		bl.ruleKeys[key] = n
	}
}

// setKey spells a rule as Terraform's set of rules tells them apart, so
// that two rules it holds once spell alike: r holds the lists as sent,
// each value once, and emptyIn the lists whose set also held the empty
// string, which the provider drops when it sends them (review8: a block
// with allowed_origins ["*", ""] and one with ["*"] are two rules, which
// S3 receives alike, not one). The spelling is a digest (see ruleKey).
func setKey(r corsrule.Rule, emptyIn fieldSet) string {
	k := newRuleKey()
	k.add(r.ID)
	if r.MaxAgeSeconds != nil {
		k.add(strconv.Itoa(int(*r.MaxAgeSeconds)))
	} else {
		k.add("-")
	}
	for f := FieldAllowedOrigin; f <= FieldExposeHeader; f++ {
		sorted := slices.Clone(ruleList(&r, f))
		slices.Sort(sorted)
		k.list(emptyIn.has(f), sorted)
	}
	return k.sum()
}

// ruleList returns the list of r that f names, one of AllowedOrigin,
// AllowedMethod, AllowedHeader and ExposeHeader.
func ruleList(r *corsrule.Rule, f Field) []string {
	return [...][]string{r.AllowedOrigins, r.AllowedMethods, r.AllowedHeaders, r.ExposeHeaders}[f-FieldAllowedOrigin]
}

// listKey spells a rule as written, its lists in order and the members
// it has (has reports which), so that two rules alike as JSON values
// spell alike. The spelling is a digest (see ruleKey).
func listKey(r corsrule.Rule, has func(Field) bool) string {
	k := newRuleKey()
	for f := FieldID; f <= FieldMaxAgeSeconds; f++ {
		switch {
		case !has(f):
			k.add("-")
		case f == FieldID:
			k.add("=" + r.ID)
		case f == FieldMaxAgeSeconds:
			if r.MaxAgeSeconds != nil {
				k.add("=" + strconv.Itoa(int(*r.MaxAgeSeconds)))
			} else {
				k.add("=")
			}
		default:
			k.list(false, ruleList(&r, f))
		}
	}
	return k.sum()
}

// ruleKey spells the parts of a rule into a SHA-256 digest, each
// preceded by its length, so that two rules spell alike only when their
// parts are alike. A digest, not the parts themselves: a rule's lists
// may hold megabytes (a long string behind many YAML aliases), and
// every rule's key is kept.
type ruleKey struct {
	h   hash.Hash
	buf [512]byte // what is written, a part at a time
}

func newRuleKey() *ruleKey { return &ruleKey{h: sha256.New()} }

func (k *ruleKey) add(s string) {
	k.h.Write(binary.AppendUvarint(k.buf[:0], uint64(len(s))))
	for s != "" {
		n := copy(k.buf[:], s)
		k.h.Write(k.buf[:n])
		s = s[n:]
	}
}

// list adds a list: whether it also held the empty string (see setKey),
// its length and its values.
func (k *ruleKey) list(empty bool, l []string) {
	k.add("[" + strconv.FormatBool(empty) + " " + strconv.Itoa(len(l)))
	for _, s := range l {
		k.add(s)
	}
}

func (k *ruleKey) sum() string { return string(k.h.Sum(nil)) }

// scalar returns the text of a scalar member.
func (bl *builder) scalar(v *val, rule int, f Field) (string, bool) {
	if !v.isScalar() || bl.d.typed && v.kind != vString {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: f, Code: CodeWrongType,
			Message: bl.d.tool + " expects a string for " + bl.d.names[f] + ", not " + v.kind.describe()})
		return "", false
	}
	return bl.text(v), true
}

// text returns the text the tool sends for the scalar v: Terraform
// converts a number for a string attribute to its shortest decimal form
// (tostring(1.50) is "1.5"), where v.s is the number as written.
func (bl *builder) text(v *val) string {
	if bl.d.tool == "Terraform" || bl.d.tool == "Pulumi" {
		return scalarString(v)
	}
	return v.s
}

// list returns the strings of a list member, leaving out the elements
// that are not known (partial is then true).
func (bl *builder) list(v *val, rule int, f Field) (values []string, origins []Origin, partial bool) {
	b, d := bl.b, bl.d
	if v.kind != vList {
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: f, Code: CodeWrongType,
			Message: d.tool + " expects a list of strings for " + d.names[f] + ", not " + v.kind.describe()})
		return nil, nil, false
	}
	var seen map[string]bool // the values so far, of a set or a uniqueLists list
	for _, e := range v.list {
		e, unknown, ok := bl.listElement(e, rule, f)
		partial = partial || unknown
		if !ok {
			continue
		}
		if d.schema && f == FieldAllowedMethod {
			bl.schemaMethod(e, rule)
		}
		var keep bool
		if keep, seen = bl.once(e, rule, f, seen); keep {
			values = append(values, e.s)
			origins = append(origins, e.org)
		}
	}
	return values, origins, partial
}

// listElement returns element e of a list member as the tool sends it
// (see text), or ok false for an element the list leaves out: an absent
// one, one not known (unknown; it is recorded as not judged), or one not
// a string where the tool wants one (an error).
func (bl *builder) listElement(e *val, rule int, f Field) (_ *val, unknown, ok bool) {
	b, d := bl.b, bl.d
	switch {
	case e.kind == vAbsent:
		return e, false, false
	case e.kind == vUnknown:
		b.notJudged(e, rule, f)
		return e, true, false
	case !e.isScalar() || d.typed && e.kind != vString:
		b.Errors = append(b.Errors, TemplateError{Pos: e.org.Pos, Rule: rule, Field: f, Code: CodeWrongType,
			Message: d.tool + " expects strings in " + d.names[f] + ", not " + e.kind.describe()})
		return e, false, false
	}
	if text := bl.text(e); text != e.s {
		c := *e
		c.s = text
		e = &c
	}
	return e, false, true
}

// schemaMethod refuses e, an element of AllowedMethods, unless it is one
// of S3's methods spelled exactly: the resource schema's enum of
// AllowedMethods ("Allowed values: GET | PUT | HEAD | POST | DELETE") is
// S3's list, which CloudFormation checks before it calls S3.
func (bl *builder) schemaMethod(e *val, rule int) {
	if corsrule.IsMethod(e.s) {
		return
	}
	te := TemplateError{Pos: e.org.Pos, Rule: rule, Field: FieldAllowedMethod, Code: CodeNotAllowed,
		Message: bl.d.schemaChecker() + " refuses " + bl.d.names[FieldAllowedMethod] + " " + quote(e.s) + ": its resource schema allows only " + strings.Join(corsrule.Methods[:], ", ")}
	if up := strings.ToUpper(strings.TrimSpace(e.s)); corsrule.IsMethod(up) {
		te.Hint = "Write " + strconv.Quote(up)
	}
	bl.b.Errors = append(bl.b.Errors, te)
}

// once reports whether e, an element of a list member, reaches S3, given
// seen, the values before it (nil until a set or a uniqueLists list needs
// them), which it returns with e's value added. A tool with uniqueLists
// refuses a value listed twice; a set (the provider's
// flex.ExpandStringValueSet) drops the empty string and holds a value
// once, with a note, unless the refusal already said so.
func (bl *builder) once(e *val, rule int, f Field, seen map[string]bool) (keep bool, _ map[string]bool) {
	b, d := bl.b, bl.d
	twice := seen[e.s]
	if d.uniqueLists != "" || d.set {
		if seen == nil {
			seen = make(map[string]bool)
		}
		seen[e.s] = true
	}
	if twice && d.uniqueLists != "" {
		b.Errors = append(b.Errors, TemplateError{Pos: e.org.Pos, Rule: rule, Field: f, Code: CodeNotUnique,
			Message: d.tool + " refuses " + d.names[f] + " that list " + quote(e.s) + " twice" + d.uniqueLists,
			Hint:    "Remove the second " + quote(e.s)})
		if d.set {
			return false, seen // a set holds it once anyway: the refusal says enough
		}
	}
	if d.set {
		if e.s == "" {
			bl.emptyIn.add(f)
			bl.setNotes++
			b.Notes = append(b.Notes, Note{Pos: e.org.Pos, Rule: rule, Text: "the AWS provider drops the empty string from " + d.names[f]})
			return false, seen
		}
		if twice {
			bl.setNotes++
			b.Notes = append(b.Notes, Note{Pos: e.org.Pos, Rule: rule,
				Text: d.names[f] + " is a set: " + strconv.Quote(e.s) + " is already listed, so S3 receives it once"})
			return false, seen
		}
	}
	return true, seen
}

// maxAge reads MaxAgeSeconds as the tool converts it on its way to S3:
// a whole number, a string one where the tool takes it, a value beyond
// 32 bits wrapped where the tool wraps it (with a note), else refused as
// S3's schema refuses it.
func (bl *builder) maxAge(r *corsrule.Rule, o *RuleOrigins, v *val, rule int) {
	if v.kind != vNumber && (v.kind != vString || bl.d.typed || bl.d.typedNumbers) {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: FieldMaxAgeSeconds, Code: CodeWrongType,
			Message: bl.d.tool + " expects a whole number for " + bl.d.names[FieldMaxAgeSeconds] + ", not " + v.kind.describe()})
		return
	}
	text := v.s
	if bl.d.tool != "Terraform" {
		// UNVERIFIED: CloudFormation's handler is taken to trim a
		// string around an integer, as Jackson's coercion does;
		// Terraform's cty refuses " 30".
		text = strings.TrimSpace(text)
	}
	n, ok := wholeNumber(text)
	if !ok {
		who := bl.d.tool
		if bl.d.fractionBy != "" && v.kind == vNumber {
			who = bl.d.fractionBy
		}
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: FieldMaxAgeSeconds, Code: CodeNotInteger,
			Message: who + " expects a whole number for " + bl.d.names[FieldMaxAgeSeconds] + ", not " + quote(v.s)})
		return
	}
	if bl.d.schema && n < 0 {
		bl.b.Errors = append(bl.b.Errors, TemplateError{Pos: v.org.Pos, Rule: rule, Field: FieldMaxAgeSeconds, Code: CodeOutOfRange,
			Message: bl.d.schemaChecker() + " refuses " + bl.d.names[FieldMaxAgeSeconds] + " " + strconv.FormatInt(n, 10) + ": its resource schema's minimum is 0"})
	}
	o.MaxAgeSeconds = v.org
	switch {
	case fitsInt32(n):
	case bl.d.wrap32:
		who := bl.d.converter
		if who == "" {
			who = "the AWS provider"
		}
		bl.b.Notes = append(bl.b.Notes, Note{Pos: v.org.Pos, Rule: rule, Text: who + " converts " + bl.d.names[FieldMaxAgeSeconds] + " " +
			strconv.FormatInt(n, 10) + " to a 32-bit integer: S3 receives " + strconv.Itoa(int(int32(n)))})
	default:
		// S3's schema declares MaxAgeSeconds an xs:int: the XML
		// CloudFormation sends for a larger number is refused as
		// MalformedXML, as xmlconfig refuses it.
		e := s3err.MalformedXML("MaxAgeSeconds " + strconv.FormatInt(n, 10) + " is not a 32-bit integer")
		bl.b.schema[len(bl.b.Rules)] = append(bl.b.schema[len(bl.b.Rules)], schemaProblem{err: e, field: FieldMaxAgeSeconds})
		return
	}
	m := int32(n)
	r.MaxAgeSeconds = &m
}

// fold lower-cases name and drops '_' and '-', so that MaxAge, maxAge and
// max_age meet in the hint tables.
func fold(name string) string { return folder.Replace(strings.ToLower(name)) }

var folder = strings.NewReplacer("_", "", "-", "")
