package iac

import "slices"

// plan reads the JSON of "terraform show -json": the resource_changes of a
// plan, where each after value is resolved and after_unknown marks what
// is known only after apply; or, without resource_changes, the
// planned_values of a plan or the values of a state. Only the S3
// resources are built in memory; the rest of the document is checked and
// skipped.
func (l *loader) plan(src *source) error {
	p := newJSONParser(src)
	modulesAt := -1
	changes := false
	err := p.object(func(key string, _ int) error {
		switch key {
		case "resource_changes":
			changes = true
			return p.array(func() error { return l.planChange(p) })
		case "planned_values", "values":
			p.peek()
			modulesAt = p.off
		}
		_, err := p.value(false)
		return err
	})
	if err == nil {
		err = p.end()
	}
	if err != nil {
		return err
	}
	if !changes && modulesAt >= 0 {
		p.off, p.depth = modulesAt, 0
		values, err := p.value(true)
		if err != nil {
			return err
		}
		l.planModule(values.get("root_module"), 0)
	}
	return l.err
}

// planChange reads one element of resource_changes.
func (l *loader) planChange(p *jsonParser) error {
	n, err := p.value(true)
	if err != nil || n.kind != nMap {
		return err
	}
	change := n.get("change")
	actions := change.get("actions")
	if actions != nil && len(actions.items) == 1 && actions.items[0].text == "delete" {
		return nil // the configuration is removed, nothing is sent
	}
	l.planResource(n, change.get("after"), change.get("after_unknown"))
	return nil
}

// planModule reads the resources of a module of planned_values or of a
// state's values, and its child modules.
func (l *loader) planModule(m *node, depth int) {
	if m == nil || depth > maxDepth {
		return
	}
	if rs := m.get("resources"); rs != nil {
		for _, r := range rs.items {
			l.planResource(r, r.get("values"), nil)
		}
	}
	if cs := m.get("child_modules"); cs != nil {
		for _, c := range cs.items {
			l.planModule(c, depth+1)
		}
	}
}

// planResource reads the cors_rule list of one resource's values.
func (l *loader) planResource(r, after, unknown *node) {
	typ := r.get("type").scalarText()
	if r.get("mode").scalarText() != "managed" || (typ != "aws_s3_bucket_cors_configuration" && typ != "aws_s3_bucket") {
		return
	}
	if after == nil || after.kind != nMap {
		return
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
	if rules != nil {
		b.RulesPos = rules.pos()
	}
	bl := newBuilder(b, d)
	bl.rules(v)
	l.res.Buckets = append(l.res.Buckets, b)
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
