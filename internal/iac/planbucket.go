package iac

import (
	"strings"
)

// planConfigured is an aws_s3_bucket_cors_configuration read from a plan,
// whose bucket argument the plan's configuration section records.
type planConfigured struct {
	b       *Bucket
	address string // the instance's address, with its module path and keys
	name    string // the bucket's name, "" when known only after apply
}

// bucketArguments sets the TerraformBucket of each
// aws_s3_bucket_cors_configuration read, as the configuration section of
// the plan (pl.config, its root_module; nil when the plan has none, as the
// JSON of a state has none) records its bucket argument; vars are the
// plan's variables. Terraform
// records an expression as its constant_value when it refers to nothing,
// and otherwise by its references alone, each followed by the shorter
// addresses it goes through: aws_s3_bucket.b.id is ["aws_s3_bucket.b.id",
// "aws_s3_bucket.b"], and so is "${aws_s3_bucket.b.id}-x". A lone
// reference is taken as written unless the plan's values tell otherwise
// (a variable's value, an aws_s3_bucket's name that is not the bucket's
// name); what the plan does not spell out leaves the name the plan
// resolves, with a note (Bucket.TerraformBucketNote).
func (pl *planRead) bucketArguments(vars *node) {
	root := pl.config
	for _, c := range pl.configured {
		calls, prefix, local, _ := SplitAddress(c.address)
		expr := pl.configResource(calls, local).get("expressions").get("bucket")
		why := "the plan records no bucket argument of the resource"
		if v := expr.get("constant_value"); v != nil && v.kind == nString {
			c.b.TerraformBucket = string(appendHCLString(nil, v.text))
			continue
		}
		if refs := planReferences(expr.get("references")); len(refs) > 0 {
			first, _, _ := strings.Cut(refs[0], ".")
			switch {
			case loneReference(refs) && (first == "each" || first == "count"):
				// Not in the resource written.
				why = "it refers to " + refs[0] + ", which the resource written, without for_each or count, does not have"
			case loneReference(refs) && pl.agrees(refs[0], prefix, moduleVars(root, vars, calls), c.name):
				c.b.TerraformBucket = refs[0]
				continue
			default:
				why = "the plan records only its references: " + strings.Join(refs, ", ")
			}
		} else if expr != nil {
			why = "the plan records only that it is known after apply"
		}
		if c.name != "" {
			c.b.TerraformBucket = string(appendHCLString(nil, c.name))
		} else {
			why += ", and knows the bucket's name only after apply"
		}
		c.b.TerraformBucketNote = why
	}
}

// planReferences returns the strings of an expression's references.
func planReferences(n *node) []string {
	if n == nil || n.kind != nSeq {
		return nil
	}
	out := make([]string, 0, len(n.items))
	for _, r := range n.items {
		if r.kind != nString {
			return nil
		}
		out = append(out, r.text)
	}
	return out
}

// loneReference reports whether refs are those of one reference: the
// first, then addresses it starts with, each shorter, as Terraform lists
// them.
func loneReference(refs []string) bool {
	for i := 1; i < len(refs); i++ {
		prev := refs[i-1]
		if len(refs[i]) >= len(prev) || !strings.HasPrefix(prev, refs[i]) || !strings.ContainsRune(".[", rune(prev[len(refs[i])])) {
			return false
		}
	}
	return true
}

// moduleVars returns the values of the variables of the module the
// module calls calls make, as func(name) string, "" when not known: the
// plan's variables for the root module, and otherwise the constant_value
// of the argument the last call gives.
func moduleVars(root, vars *node, calls []string) func(string) string {
	if len(calls) == 0 {
		return func(name string) string { return stringText(vars.get(name).get("value")) }
	}
	m := root
	for _, call := range calls[:len(calls)-1] {
		m = m.get("module_calls").get(call).get("module")
	}
	args := m.get("module_calls").get(calls[len(calls)-1]).get("expressions")
	return func(name string) string { return stringText(args.get(name).get("constant_value")) }
}

// agrees reports whether the reference ref, written in the module whose
// instances' addresses start with prefix and whose variables have the
// values vars gives, may be the whole bucket argument of the bucket named
// name: false when the plan holds its value and that is another name (a
// variable's value, the name of an aws_s3_bucket whose id or bucket it
// is), as for "${var.prefix}-x".
func (pl *planRead) agrees(ref, prefix string, vars func(string) string, name string) bool {
	if name == "" {
		return true
	}
	if v, ok := strings.CutPrefix(ref, "var."); ok {
		if value := vars(v); value != "" {
			return value == name
		}
		return true
	}
	if strings.HasPrefix(ref, "aws_s3_bucket.") {
		for _, attr := range []string{".id", ".bucket"} {
			if addr, ok := strings.CutSuffix(ref, attr); ok {
				if known, ok := pl.names[prefix+addr]; ok && known != "" {
					return known == name
				}
			}
		}
	}
	return true
}

// SplitAddress splits the address of a Terraform resource instance,
// `module.a["x"].module.b[0].TYPE.NAME["k"]`, where a key may hold any
// character, dots and brackets included, into the names of its module
// calls (a, b), the module instance's prefix (`module.a["x"].module.b[0].`),
// the resource's address in its module (TYPE.NAME), as a plan's
// configuration section names it, and its instance key (`["k"]`, "" when
// it has none).
func SplitAddress(addr string) (calls []string, prefix, local, key string) {
	rest := addr
	for strings.HasPrefix(rest, "module.") {
		rest = rest[len("module."):]
		i := strings.IndexAny(rest, ".[")
		if i < 0 {
			break
		}
		calls = append(calls, rest[:i])
		rest = skipPlanKey(rest[i:])
		rest = strings.TrimPrefix(rest, ".")
	}
	prefix = addr[:len(addr)-len(rest)]
	local, key = rest, ""
	if i := strings.IndexByte(rest, '['); i >= 0 {
		local, key = rest[:i], rest[i:]
	}
	return calls, prefix, local, key
}

// skipPlanKey returns what follows the key s starts with, if any: a
// number, or a string in quotes with backslash escapes.
func skipPlanKey(s string) string {
	if !strings.HasPrefix(s, "[") {
		return s
	}
	escaped, quoted := false, false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == ']' && !quoted:
			return s[i+1:]
		}
	}
	return ""
}

// configResource returns the managed resource local (TYPE.NAME) of the
// module that the module calls calls make, in the plan's configuration
// section, or nil. Each module's resources are indexed once: a plan may
// hold thousands.
func (pl *planRead) configResource(calls []string, local string) *node {
	m := pl.config
	for _, call := range calls {
		m = m.get("module_calls").get(call).get("module")
	}
	if m == nil {
		return nil
	}
	byAddr, ok := pl.configIndex[m]
	if !ok {
		byAddr = map[string]*node{}
		if rs := m.get("resources"); rs != nil {
			for _, r := range rs.items {
				if a := r.get("address").scalarText(); r.get("mode").scalarText() == "managed" && byAddr[a] == nil {
					byAddr[a] = r
				}
			}
		}
		if pl.configIndex == nil {
			pl.configIndex = map[*node]map[string]*node{}
		}
		pl.configIndex[m] = byAddr
	}
	return byAddr[local]
}

// writes reports whether the plan's configuration writes the argument or
// block name of the resource instance at address.
func (pl *planRead) writes(address, name string) bool {
	calls, _, local, _ := SplitAddress(address)
	return pl.configResource(calls, local).get("expressions").get(name) != nil
}
