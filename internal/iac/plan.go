package iac

import "slices"

// plan reads the JSON of "terraform show -json": the resource_changes of a
// plan, where each after value is resolved and after_unknown marks what
// is known only after apply; or, without resource_changes, the
// planned_values of a plan or the values of a state. Only the S3
// resources are built in memory; the rest of the document is checked and
// skipped.
//
// JSON that is not an object, or an object without format_version, is no
// plan: a [*KindError]. A state file as Terraform writes it (terraform.tfstate,
// "terraform state pull") is one too, whose reason says to give what
// "terraform show -json" prints for it, which this reads.
func (l *loader) plan(src *source) error {
	if c, _ := firstByte(src.data); c != '{' {
		return &KindError{File: src.name, Kind: TerraformPlan, Reason: "it is not a JSON object"}
	}
	p := newJSONParser(src)
	pl := &planRead{l: l, managed: map[string]string{}, names: map[string]string{}}
	at, err := pl.sections(p)
	if err != nil {
		return err
	}
	switch {
	case !at.version && at.rawState:
		return &KindError{File: src.name, Kind: TerraformPlan, Reason: "it is a state file as Terraform writes it, with version, serial and lineage but no format_version; " +
			"give what \"terraform show -json STATEFILE\" prints for it, which holds the same values and is read"}
	case !at.version:
		return &KindError{File: src.name, Kind: TerraformPlan, Reason: "it has no format_version member"}
	}
	if !at.changes && at.modules >= 0 {
		if err := pl.plannedValues(p, at.modules); err != nil {
			return err
		}
	}
	if len(pl.configured) > 0 || len(pl.inline) > 0 {
		if err := pl.configuration(p, at.config, at.vars); err != nil {
			return err
		}
	}
	pl.dropReadBack()
	for _, b := range pl.l.res.Buckets {
		b.redactSensitive()
	}
	pl.l.noteSameBucket()
	return l.err
}

// planSections is what the first pass over a plan's top-level object
// found: whether it has format_version and resource_changes, and the
// offsets of planned_values (or a state's values), configuration and
// variables, -1 for a member it lacks.
type planSections struct {
	modules, config, vars int
	changes, version      bool
	rawState              bool // version, serial and lineage, as a terraform.tfstate has (see rawState)
}

// sections makes the one pass over the top-level object of the JSON of
// "terraform show -json" and the check that nothing follows it. It reads
// each resource_changes entry as it meets it, and only notes where the
// members read afterwards begin: planned_values matters only for a plan
// without resource_changes, which may come after it, and the
// configuration only once the buckets it names are known. A syntax error
// anywhere in the document is answered before a missing format_version.
func (pl *planRead) sections(p *jsonParser) (planSections, error) {
	at := planSections{modules: -1, config: -1, vars: -1}
	state := map[string]bool{} // the members rawState looks at
	err := p.object(func(key string, _, _ int) error {
		switch key {
		case "version", "serial", "lineage":
			state[key] = true
		case "format_version":
			at.version, state[key] = true, true
		case "resource_changes":
			at.changes = true
			return p.array(func() error { return pl.change(p) })
		case "planned_values", "values":
			p.peek()
			at.modules = p.off
		case "configuration":
			p.peek()
			at.config = p.off
		case "variables":
			p.peek()
			at.vars = p.off
		}
		_, err := p.value(false)
		return err
	})
	if err == nil {
		err = p.end()
	}
	at.rawState = rawState(state)
	return at, err
}

// plannedValues reads the resources of the planned_values of a plan
// without resource_changes, or the values of a state, whose value begins
// at off: Terraform writes there what the resources hold, without
// after_unknown or after_sensitive.
func (pl *planRead) plannedValues(p *jsonParser, off int) error {
	p.off, p.depth = off, 0
	values, err := p.value(true)
	if err != nil {
		return err
	}
	pl.module(values.get("root_module"), 0)
	return nil
}

// configuration reads the plan's configuration section and its
// variables, whose values begin at configAt and varsAt (-1 for a member
// the plan lacks), and sets each aws_s3_bucket_cors_configuration's
// TerraformBucket from the bucket argument the section records (see
// bucketArguments). It runs once the resources are known: the section
// comes after them in the document.
func (pl *planRead) configuration(p *jsonParser, configAt, varsAt int) error {
	var config, vars *node
	for _, at := range []struct {
		off int
		n   **node
	}{{configAt, &config}, {varsAt, &vars}} {
		if at.off >= 0 {
			p.off, p.depth = at.off, 0
			var err error
			if *at.n, err = p.value(true); err != nil {
				return err
			}
		}
	}
	pl.config = config.get("root_module")
	pl.bucketArguments(vars)
	return nil
}

// planRead is the reading of one plan or state.
type planRead struct {
	l *loader
	// managed maps the name of each bucket whose CORS an
	// aws_s3_bucket_cors_configuration sets to that resource's address.
	managed map[string]string
	// inline lists the aws_s3_bucket buckets read, with their names.
	inline []inlineRules
	// names maps the address of each aws_s3_bucket read to its bucket's
	// name, "" when known only after apply.
	names map[string]string
	// configured lists the aws_s3_bucket_cors_configuration buckets
	// read, whose bucket argument the configuration section records.
	configured []planConfigured
	// config is the root_module of the plan's configuration section, nil
	// when it has none (a state) or nothing needs it.
	config *node
	// configIndex indexes the managed resources of each module of config
	// by address (see configResource).
	configIndex map[*node]map[string]*node
}

// inlineRules is the cors_rule of an aws_s3_bucket read from a plan.
type inlineRules struct {
	b    *Bucket
	name string // the bucket's name, "" when not known
}

// dropReadBack drops the cors_rule of each aws_s3_bucket whose bucket an
// aws_s3_bucket_cors_configuration manages. Since provider 4 that
// cors_rule is Optional and Computed: the provider reads the bucket's CORS
// (GetBucketCors) into it, so a plan or state holds there the rules the
// aws_s3_bucket_cors_configuration set, as they were before this plan
// (after keeps a computed value not configured), and aws_s3_bucket sends
// nothing. Judging them would report the configuration twice, and stale
// rules the plan replaces as if they were sent. Unless the plan's
// configuration writes that cors_rule: then aws_s3_bucket sends it too,
// and each apply puts one resource's rules in place of the other's
// (loader.noteSameBucket says so).
func (pl *planRead) dropReadBack() {
	drop := map[*Bucket]bool{}
	for _, in := range pl.inline {
		addr, ok := pl.managed[in.name]
		if ok && in.name != "" && pl.writes(in.b.Resource, "cors_rule") {
			in.b.targets = []string{"name:" + in.name}
			continue
		}
		if ok && in.name != "" {
			drop[in.b] = true
			pl.l.res.Notes = append(pl.l.res.Notes, Note{Pos: in.b.RulesPos, Text: in.b.Resource +
				": its cors_rule is what the AWS provider read from the bucket, whose CORS " + addr +
				" sets; it is judged there, not as rules aws_s3_bucket sends"})
		}
	}
	if len(drop) > 0 {
		pl.l.res.Buckets = slices.DeleteFunc(pl.l.res.Buckets, func(b *Bucket) bool { return drop[b] })
	}
}

// change reads one element of resource_changes.
func (pl *planRead) change(p *jsonParser) error {
	n, err := p.value(true)
	if err != nil || n.kind != nMap {
		return err
	}
	change := n.get("change")
	actions := change.get("actions")
	if actions != nil && len(actions.items) == 1 && actions.items[0].text == "delete" {
		// The configuration is removed, nothing is sent; an
		// aws_s3_bucket's cors_rule still holds what it set.
		pl.manages(n, change.get("before"))
		return nil
	}
	pl.resource(n, change.get("after"), change.get("after_unknown"), change.get("after_sensitive"))
	return nil
}

// manages records the bucket an aws_s3_bucket_cors_configuration sets the
// CORS of, by its name in values.
func (pl *planRead) manages(r, values *node) {
	if r.get("mode").scalarText() != "managed" || r.get("type").scalarText() != "aws_s3_bucket_cors_configuration" {
		return
	}
	if name := values.get("bucket").scalarText(); name != "" {
		pl.managed[name] = r.get("address").scalarText()
	}
}

// module reads the resources of a module of planned_values or of a
// state's values, and its child modules.
func (pl *planRead) module(m *node, depth int) {
	if m == nil || depth > maxDepth {
		return
	}
	if rs := m.get("resources"); rs != nil {
		for _, r := range rs.items {
			pl.resource(r, r.get("values"), nil, r.get("sensitive_values"))
		}
	}
	if cs := m.get("child_modules"); cs != nil {
		for _, c := range cs.items {
			pl.module(c, depth+1)
		}
	}
}

// resource reads the cors_rule list of one resource's values; sensitive
// is the matching after_sensitive (sensitive_values in planned_values
// and a state), true where Terraform prints "(sensitive value)".
func (pl *planRead) resource(r, after, unknown, sensitive *node) {
	typ := r.get("type").scalarText()
	if r.get("mode").scalarText() != "managed" || !corsResource(typ) {
		return
	}
	if after == nil || after.kind != nMap {
		return
	}
	pl.manages(r, after)
	if typ == "aws_s3_bucket" {
		pl.names[r.get("address").scalarText()] = stringText(after.get("bucket"))
	}
	rules := after.get("cors_rule")
	rulesUnknown := unknown.get("cors_rule")
	if typ == "aws_s3_bucket" && (rules == nil || len(rules.items) == 0) {
		// No inline rules: since provider 4, cors_rule of aws_s3_bucket is
		// computed, unknown in every plan of a new bucket.
		return
	}
	addr := r.get("address")
	b := &Bucket{Resource: addr.scalarText(), Type: typ, Pos: r.pos()}
	if addr != nil {
		b.Pos = addr.pos()
	}
	d := planConfigDialect
	if typ == "aws_s3_bucket" {
		d = planInlineDialect
	}
	v := planVal(rules, rulesUnknown, "cors_rule")
	if isTrue(sensitive) {
		markAllSensitive(v)
	} else {
		markSensitive(v, sensitive.get("cors_rule"))
	}
	if rules == nil && v.kind == vUnknown {
		// after omits what after_unknown marks: the rules are not
		// written, but would be in after.
		v.org.Pos = after.pos()
	}
	if rules != nil {
		b.RulesPos = rules.pos()
	}
	bl := newBuilder(b, d)
	bl.rules(v)
	noteSetOrder(b, "in the plan's order", "the plan's order")
	if name := after.get("bucket").scalarText(); typ == "aws_s3_bucket_cors_configuration" && name != "" {
		b.targets = []string{"name:" + name}
	}
	pl.l.res.Buckets = append(pl.l.res.Buckets, b)
	if typ == "aws_s3_bucket_cors_configuration" {
		pl.configured = append(pl.configured, planConfigured{b: b, address: b.Resource, name: stringText(after.get("bucket"))})
	}
	if typ == "aws_s3_bucket" {
		pl.inline = append(pl.inline, inlineRules{b: b, name: after.get("bucket").scalarText()})
	}
}

// stringText returns the text of a string node, or "".
func stringText(n *node) string {
	if n == nil || n.kind != nString {
		return ""
	}
	return n.text
}

func isTrue(n *node) bool { return n != nil && n.kind == nBool && n.text == "true" }

// planVal turns a plan's JSON value into a val; unknown is the matching
// part of after_unknown, true where the value is known only after apply.
func planVal(n, unknown *node, name string) *val {
	if isTrue(unknown) {
		pos := Position{}
		if n != nil {
			pos = n.pos()
		}
		return unknownVal(pos, name, "known only after apply")
	}
	if n == nil {
		return &val{kind: vNull}
	}
	v := scalarVal(n)
	switch n.kind {
	case nSeq:
		v.kind = vList
		for i, item := range n.items {
			var u *node
			if unknown != nil && unknown.kind == nSeq && i < len(unknown.items) {
				u = unknown.items[i]
			}
			v.list = append(v.list, planVal(item, u, name))
		}
	case nMap:
		v.kind = vMap
		for i, k := range n.keys {
			v.keys = append(v.keys, k.text)
			v.fields = append(v.fields, planVal(n.items[i], unknown.get(k.text), k.text))
		}
		// after omits the attributes after_unknown marks: they are there
		// only as unknown.
		if unknown != nil && unknown.kind == nMap {
			for i, k := range unknown.keys {
				if !slices.Contains(v.keys, k.text) && isTrue(unknown.items[i]) {
					v.keys = append(v.keys, k.text)
					v.fields = append(v.fields, unknownVal(n.pos(), k.text, "known only after apply"))
				}
			}
		}
	}
	return v
}

// markSensitive marks the values of v that sensitive, the matching part
// of after_sensitive, marks: true marks v and all it holds.
func markSensitive(v *val, sensitive *node) {
	switch {
	case sensitive == nil:
	case isTrue(sensitive):
		markAllSensitive(v)
	case sensitive.kind == nSeq:
		for i, item := range v.list {
			if i < len(sensitive.items) {
				markSensitive(item, sensitive.items[i])
			}
		}
	case sensitive.kind == nMap:
		for i, k := range v.keys {
			markSensitive(v.fields[i], sensitive.get(k))
		}
	}
}

// markAllSensitive marks v and everything in it sensitive, for a value
// the plan marks sensitive whole.
func markAllSensitive(v *val) {
	v.org.Sensitive = true
	for _, item := range v.list {
		markAllSensitive(item)
	}
	for _, f := range v.fields {
		markAllSensitive(f)
	}
}

// scalarVal returns the val of a scalar node, or an empty val at n's
// position for a list or a mapping, which the caller fills.
func scalarVal(n *node) *val {
	v := &val{org: Origin{Pos: n.pos()}, s: n.text}
	switch n.kind {
	case nBool:
		v.kind = vBool
	case nNumber:
		v.kind = vNumber
	case nString:
		v.kind = vString
	}
	return v
}
