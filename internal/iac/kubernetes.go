package iac

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Kubernetes manifests: the resources of the two controllers that put an
// S3 bucket's CORS configuration from a cluster.
const (
	// ackGroup is the API group of the AWS Controllers for Kubernetes'
	// S3 controller (aws-controllers-k8s/s3-controller), whose Bucket
	// holds the configuration in spec.cors.corsRules, a list the
	// controller sends to PutBucketCors in its order.
	ackGroup = "s3.services.k8s.aws"
	// upboundGroup and upboundNamespacedGroup are the API groups of
	// Crossplane's AWS provider (crossplane-contrib/provider-upjet-aws):
	// cluster-scoped, and namespaced since its version 2. Its
	// BucketCorsConfiguration holds the rules in spec.forProvider.corsRule
	// and hands them to the Terraform AWS provider's
	// aws_s3_bucket_cors_configuration, where cors_rule is a set.
	upboundGroup           = "s3.aws.upbound.io"
	upboundNamespacedGroup = "s3.aws.m.upbound.io"
	// contribGroup is the API group of Crossplane's older AWS provider
	// (crossplane-contrib/provider-aws, which the upjet one replaces),
	// whose Bucket holds the rules in spec.forProvider.corsConfiguration.
	// corsRules.
	contribGroup = "s3.aws.crossplane.io"
)

// k8sNames are the member names of a CORS rule in both controllers' custom
// resources: S3's API names in lower camel case.
var k8sNames = map[Field]string{FieldID: "id", FieldAllowedOrigin: "allowedOrigins", FieldAllowedMethod: "allowedMethods",
	FieldAllowedHeader: "allowedHeaders", FieldExposeHeader: "exposeHeaders", FieldMaxAgeSeconds: "maxAgeSeconds"}

var k8sHints = map[string]string{"id": "id", "allowedorigin": "allowedOrigins", "allowedorigins": "allowedOrigins",
	"allowedmethod": "allowedMethods", "allowedmethods": "allowedMethods", "allowedheader": "allowedHeaders",
	"allowedheaders": "allowedHeaders", "exposeheader": "exposeHeaders", "exposeheaders": "exposeHeaders",
	"exposedheader": "exposeHeaders", "exposedheaders": "exposeHeaders", "maxage": "maxAgeSeconds",
	"maxageseconds": "maxAgeSeconds"}

func k8sMembers() map[string]Field {
	m := make(map[string]Field, len(k8sNames))
	for f, name := range k8sNames {
		m[name] = f
	}
	return m
}

var (
	// ackDialect: the API server checks each value's type against the
	// custom resource's schema (strings, maxAgeSeconds an integer) and,
	// as kubectl asks it to by default, refuses unknown fields; the
	// schema requires no member, and the controller sends the lists as
	// they are. It converts maxAgeSeconds, an int64 in the custom
	// resource, to aws-sdk-go-v2's int32 with int32(v), unchecked
	// (newCORSConfiguration; its releases on aws-sdk-go v1 sent the
	// int64, which S3 refuses beyond 32 bits).
	ackDialect = &dialect{tool: "Kubernetes", members: k8sMembers(), names: k8sNames, hints: k8sHints, rulesName: "corsRules",
		strict: true, typed: true, wrap32: true, converter: "ACK's controller"}
	// upboundDialect: the same checks, and a value listed twice in a
	// rule's list refused (the lists are x-kubernetes-list-type: set),
	// then the Terraform AWS provider's handling of
	// aws_s3_bucket_cors_configuration (see tfConfigDialect), whose
	// schema requires allowed_methods and allowed_origins. corsRule
	// itself is a plain list: a rule written twice reaches Terraform's
	// set, which sends it once. maxAgeSeconds is "type: number" (a
	// float64 in upjet's types): the API server takes 1.5. UNVERIFIED:
	// the Terraform plugin SDK is taken to refuse it, as its config
	// reader turns the value into the text "1.5" and parses that as an
	// integer (strconv.ParseInt), failing the apply before S3 is called.
	upboundDialect = &dialect{tool: "Kubernetes", members: k8sMembers(), names: k8sNames, hints: k8sHints, rulesName: "corsRule",
		strict: true, typed: true, requiredBy: "the Terraform AWS provider under Crossplane", set: true, zeroMaxAge: true, wrap32: true,
		idBytes: 255, fractionBy: "the Terraform AWS provider under Crossplane",
		uniqueLists: ": the custom resource declares it a set (kubectl apply: \"Duplicate value\")"}
)

// contribMembers are the members of a rule of contribGroup's Bucket,
// which has no id.
func contribMembers() map[string]Field {
	m := k8sMembers()
	delete(m, k8sNames[FieldID])
	return m
}

// contribDialect: the API server's checks, as for ACK; the schema
// requires allowedMethods and allowedOrigins, and declares maxAgeSeconds
// an int32, which the controller sends as it is (nil for none).
// UNVERIFIED: a maxAgeSeconds beyond 32 bits is taken to be refused
// (the custom resource's format int32, the controller's *int32), here
// as S3 refuses it.
var contribDialect = &dialect{tool: "Kubernetes", members: contribMembers(), names: k8sNames, hints: k8sHints, rulesName: "corsRules",
	strict: true, typed: true, requiredBy: "Kubernetes"}

// MayHoldBucketCORS reports whether data, Kubernetes manifests, names the
// API group of a resource that sets a bucket's CORS configuration: ACK's
// or Crossplane's S3 group, followed by a version or by nothing (an
// apiVersion without its version, which the reader reports as kubectl
// refuses it), not by more of a longer name.
func MayHoldBucketCORS(data []byte) bool {
	for _, g := range [...]string{ackGroup, upboundGroup, upboundNamespacedGroup, contribGroup} {
		for rest := data; ; {
			i := bytes.Index(rest, []byte(g))
			if i < 0 {
				break
			}
			rest = rest[i+len(g):]
			if len(rest) == 0 || !groupNameByte(rest[0]) {
				return true
			}
		}
	}
	return false
}

// groupNameByte reports whether c may continue an API group's name (a
// DNS subdomain), after which the name read so far is not the group.
func groupNameByte(c byte) bool {
	return c == '.' || c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// maxK8sItems bounds the items of a List read, and the documents of a
// stream: the bound of a template's resources is the bytes it may hold.
const maxK8sItems = 10000

// kubernetes reads a file of Kubernetes manifests: a stream of YAML
// documents or a JSON value, each a resource, or a List of them
// ("kubectl get -o yaml" writes one). The resources other than the
// controllers' are passed over.
func (l *loader) kubernetes(src *source) error {
	var docs []*node
	var err error
	if c, _ := firstByte(src.data); c == '{' {
		var doc *node
		doc, err = parseTemplateJSON(src)
		docs = []*node{doc}
	} else {
		docs, err = parseYAMLStream(src)
	}
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) && bytes.Contains(src.data, []byte("{{")) {
			pe.Msg += "; the file holds {{ }}: a Helm chart's template is YAML only once rendered, so judge what helm template prints"
		}
		return err
	}
	switch {
	case len(docs) == 0:
		return &KindError{File: src.name, Kind: Kubernetes, Reason: "it holds no document"}
	case !slices.ContainsFunc(docs, func(d *node) bool { return d.kind == nMap && k8sMissing(d) == "" }):
		// Read as manifests, S3's JSON or a template would pass as
		// manifests of no bucket.
		return &KindError{File: src.name, Kind: Kubernetes, Reason: "no document has apiVersion and kind"}
	}
	objects := 0
	for _, doc := range docs {
		if err := k8sResource(doc); err != nil {
			return err
		}
		items, err := k8sItems(doc)
		if err != nil {
			return err
		}
		for _, obj := range items {
			if objects++; objects > maxK8sItems {
				return parseErrorf(src, obj.off, "more than %d resources in one file", maxK8sItems)
			}
			// A List's item is a resource, refused as a document is.
			if err := k8sResource(obj); err != nil {
				return err
			}
			l.k8sObject(obj)
		}
	}
	return l.err
}

// k8sResource returns the error kubectl refuses a resource with: one that
// is not a mapping, or has no apiVersion or kind ("error validating data:
// [apiVersion not set, kind not set]"); nil for a resource.
func k8sResource(n *node) error {
	if n.kind != nMap {
		return parseErrorf(n.src, n.off, "a Kubernetes manifest is a mapping (apiVersion, kind, metadata, ...), not %s", n.describe())
	}
	if missing := k8sMissing(n); missing != "" {
		return parseErrorf(n.src, n.off, "a Kubernetes manifest without %s, which kubectl refuses", missing)
	}
	return nil
}

// k8sItems returns the resources of doc: itself, or a List's items (none
// when it has no items). A List's items that are not a list refuse the
// file, as kubectl refuses them.
func k8sItems(doc *node) ([]*node, error) {
	if doc.get("kind").scalarText() != "List" {
		return []*node{doc}, nil
	}
	switch items := doc.get("items"); {
	case items == nil || items.kind == nNull:
		return nil, nil
	case items.kind != nSeq:
		return nil, parseErrorf(items.src, items.off, "a List's items are a list of resources, not %s", items.describe())
	default:
		return items.items, nil
	}
}

// k8sMissing names what a manifest lacks of apiVersion and kind, or "".
func k8sMissing(doc *node) string {
	var missing []string
	for _, f := range [...]string{"apiVersion", "kind"} {
		if doc.get(f).scalarText() == "" {
			missing = append(missing, f)
		}
	}
	return strings.Join(missing, " and ")
}

// k8sServed is the one version in which each controller's custom
// resource definition serves its kind: kubectl apply finds no other
// ("no matches for kind"), so the CORS part of the schema has one shape
// per kind (it changed across a provider's releases, within the version).
//
//   - ACK's Bucket: v1alpha1. aws-controllers-k8s/s3-controller
//     config/crd/bases/s3.services.k8s.aws_buckets.yaml at
//     050781da41fdf99a678cc01ff95a76ab38342cee lists v1alpha1 alone
//     (served, storage); apis/ holds v1alpha1 alone, in every commit
//     crawled.
//   - Crossplane's upjet provider, BucketCorsConfiguration: v1beta1 in
//     either group. crossplane-contrib/provider-upjet-aws
//     package/crds/s3.aws.upbound.io_bucketcorsconfigurations.yaml at
//     29c8e9d1cdee0057231b8d442075edb5a08fe0e6 and
//     04c43f3b3235538da519119e84ce0f71c38a1b4c, and
//     package/crds/s3.aws.m.upbound.io_bucketcorsconfigurations.yaml at
//     1cfecb8f217abcd666b5b2eaad11a698c28eafee, list v1beta1 alone;
//     apis/s3, apis/cluster/s3 and apis/namespaced/s3 have the kind in
//     v1beta1 only (apis/cluster/s3/v1beta1/
//     zz_bucketcorsconfiguration_types.go at
//     408c6bc208c8de0a7afd9fcdbcf398aa19e7129d: storage version). Their
//     v1beta2 serves Bucket, BucketAcl and others whose single blocks
//     became objects, v1beta3 BucketLifecycleConfiguration: not this kind.
//   - Crossplane's older provider, Bucket: v1beta1.
//     crossplane-contrib/provider-aws
//     package/crds/s3.aws.crossplane.io_buckets.yaml at
//     3693b47a1b4580bc7af38541447243f3b381aa67 lists v1beta1 alone; the
//     group's v1alpha1 serves Object, v1alpha3 BucketPolicy
//     (apis/s3/v1alpha*/register.go).
var k8sServed = map[[2]string]string{
	{ackGroup, "Bucket"}:                                "v1alpha1",
	{contribGroup, "Bucket"}:                            "v1beta1",
	{upboundGroup, "BucketCorsConfiguration"}:           "v1beta1",
	{upboundNamespacedGroup, "BucketCorsConfiguration"}: "v1beta1",
}

// k8sObject reads one resource when it is a controller's: its group
// (before the first slash of apiVersion, or all of it without one) and
// kind are one of k8sServed's, in any version; a version not served is
// refused.
func (l *loader) k8sObject(obj *node) {
	group, _, _ := strings.Cut(obj.get("apiVersion").scalarText(), "/")
	kind := obj.get("kind").scalarText()
	if _, ok := k8sServed[[2]string{group, kind}]; !ok {
		return
	}
	refused := k8sVersionRefused(obj.get("apiVersion"), group, kind)
	switch kind {
	case "Bucket":
		r := ackBucket
		if group == contribGroup {
			r = contribBucket
		}
		l.listBucket(obj, r, refused)
	default:
		l.upboundCors(obj, group, refused)
	}
}

// k8sVersionRefused returns kubectl apply's refusal of the apiVersion av
// of a resource of group and kind (a controller's) when its custom
// resource is not served in that version, or nil. apiVersion is parsed as
// apimachinery's schema.ParseGroupVersion parses it: without a slash it
// is a version of the core group ("s3.aws.upbound.io" is a version, not a
// group), with two or more it is no group/version.
func k8sVersionRefused(av *node, group, kind string) []TemplateError {
	served := group + "/" + k8sServed[[2]string{group, kind}]
	text := av.scalarText()
	if text == served {
		return nil
	}
	e := TemplateError{Pos: av.pos(), Code: CodeNotAllowed, Hint: "it is " + strconv.Quote(served),
		Message: "Kubernetes has no " + kind + " in version " + strconv.Quote(text) + ": its custom resource is served as " + served +
			" only (kubectl apply: " + strconv.Quote("no matches for kind "+strconv.Quote(kind)+" in version "+strconv.Quote(text)) + ")"}
	if strings.Count(text, "/") > 1 {
		// UNVERIFIED: the text kubectl prints for it is taken to be
		// ParseGroupVersion's error.
		e.Message = "Kubernetes reads no group/version in " + strconv.Quote(text) + ", which has two slashes (kubectl apply: " +
			strconv.Quote("unexpected GroupVersion string: "+text) + ")"
	}
	return []TemplateError{e}
}

// misnamedK8sFields returns the API server's refusals of the fields on
// the way to the CORS configuration of obj, a controller's resource, that
// kubectl apply refuses as unknown ("strict decoding error: unknown
// field"), where the configuration would have been passed over as absent:
// at the top, any field but apiVersion, kind, metadata, spec and status
// (a misspelt spec); in spec, one of names (forProvider, initProvider)
// written in another case, field names being case-sensitive.
func misnamedK8sFields(obj *node, names ...string) []TemplateError {
	var errs []TemplateError
	for _, key := range obj.keys {
		switch key.text {
		case "apiVersion", "kind", "metadata", "spec", "status":
		default:
			e := unknownK8sField(key, "the resource", "spec")
			if e.Hint == "" && (corsFieldNames[fold(key.text)] || slices.Contains(names, key.text) || holdsConfig(obj.get(key.text), names)) {
				e.Hint = "it goes in spec"
			}
			errs = append(errs, e)
		}
	}
	if spec := obj.get("spec"); spec != nil && spec.kind == nMap {
		for _, key := range spec.keys {
			for _, name := range names {
				if key.text != name && fold(key.text) == fold(name) {
					errs = append(errs, unknownK8sField(key, "spec", name))
				}
			}
		}
	}
	return errs
}

// holdsConfig reports whether n, a misplaced spec, holds one of the
// fields names or one that names the CORS rules.
func holdsConfig(n *node, names []string) bool {
	if n == nil || n.kind != nMap {
		return false
	}
	return slices.ContainsFunc(n.keys, func(k *node) bool { return slices.Contains(names, k.text) || corsFieldNames[fold(k.text)] })
}

// k8sBucket makes the Bucket of the resource obj, which k8sResource has
// found to have a kind: named as kubectl names it, kind/name, after its
// namespace when it has one, and placed at its kind.
func k8sBucket(obj *node, group string) *Bucket {
	meta, kind := obj.get("metadata"), obj.get("kind")
	name := kind.scalarText() + "/" + meta.get("name").scalarText()
	if ns := meta.get("namespace").scalarText(); ns != "" {
		name = ns + "/" + name
	}
	return &Bucket{Resource: name, Type: kind.scalarText() + "." + group, Pos: kind.pos()}
}

// listResource says where a controller's resource holds a configuration
// whose rules it sends as written, a list, and what it does without
// rules.
type listResource struct {
	group string
	d     *dialect
	// parent is where the configuration is (spec, spec.forProvider),
	// config its field (cors, corsConfiguration).
	parent []string
	config string
	// rulesRequired: the custom resource's schema requires corsRules in
	// the configuration, which ACK's leaves optional.
	rulesRequired bool
	// emptyIsNone: the controller puts no configuration for an empty
	// list of rules (it deletes the bucket's), where ACK's sends it.
	emptyIsNone bool
	// required is the field of the parent that the custom resource's
	// schema requires beside the configuration (ACK's spec.name, the
	// bucket's name; the older provider's forProvider.
	// locationConstraint): without it the API server refuses the
	// resource, whatever its configuration.
	required string
}

// ackBucket: ACK's Bucket, spec.cors.corsRules. No cors, or a cors
// without corsRules (or with corsRules: null), is no configuration: the
// controller's syncCORS calls DeleteBucketCors when Spec.CORS or its
// CORSRules is nil (the controller's releases on aws-sdk-go v1 sent
// PutBucketCors with no rules instead, which S3 refuses). An empty
// corsRules list is not nil: it is sent, a configuration of no rules,
// which S3 refuses.
//
// Its schema requires spec.name (config/crd/bases/s3.services.k8s.aws_buckets.yaml
// at 050781da41fdf99a678cc01ff95a76ab38342cee: spec.required [name]).
var ackBucket = &listResource{group: ackGroup, d: ackDialect, parent: []string{"spec"}, config: "cors", required: "name"}

// contribBucket: the Bucket of Crossplane's older AWS provider
// (crossplane-contrib/provider-aws, s3.aws.crossplane.io), spec.forProvider.
// corsConfiguration.corsRules, which its schema requires there. Its
// controller sends the rules as written (GeneratePutBucketCorsInput), and
// for an empty list puts none: CompareCORS then finds the bucket's to
// delete, or nothing to do. Its schema requires forProvider.
// locationConstraint (package/crds/s3.aws.crossplane.io_buckets.yaml at
// 064b80dcce30c6034b0eaf4efcc85802475356e2: forProvider.required
// [locationConstraint]).
var contribBucket = &listResource{group: contribGroup, d: contribDialect, parent: []string{"spec", "forProvider"},
	config: "corsConfiguration", rulesRequired: true, emptyIsNone: true, required: "locationConstraint"}

// listBucket reads the configuration of obj, a resource r describes,
// which kubectl refuses with refused (its version, see
// k8sVersionRefused) when there is one: the resource is then reported
// whatever it holds.
func (l *loader) listBucket(obj *node, r *listResource, refused []TemplateError) {
	parent, at := obj, ""
	for _, f := range r.parent {
		parent, at = parent.get(f), strings.TrimPrefix(at+"."+f, ".")
	}
	misspelt := slices.Concat(refused, misnamedK8sFields(obj, r.parent[1:]...), misspeltK8sFields(parent, at, r.config))
	at += "." + r.config
	cors := parent.get(r.config)
	if (cors == nil || cors.kind == nNull) && len(misspelt) == 0 {
		return
	}
	b := k8sBucket(obj, r.group)
	b.Errors = append(b.Errors, misspelt...)
	// A version kubectl refuses has no schema to check the rest against,
	// and a schema's required fields are those of an object written.
	if f := parent.get(r.required); len(refused) == 0 && parent != nil && parent.kind == nMap && (f == nil || f.kind == nNull) {
		path := strings.Join(r.parent, ".") + "." + r.required
		b.Errors = append(b.Errors, TemplateError{Pos: parent.pos(), Code: CodeMissingMember,
			Message: "Kubernetes refuses a " + obj.get("kind").scalarText() + " without " + path + " (\"" + path + ": Required value\")"})
	}
	if cors == nil || cors.kind == nNull {
		l.res.Buckets = append(l.res.Buckets, b)
		return
	}
	b.RulesPos = cors.pos()
	v := l.manifestVal(cors, r.config)
	if v.kind != vMap {
		b.Errors = append(b.Errors, TemplateError{Pos: v.org.Pos, Code: CodeWrongType,
			Message: "Kubernetes expects a mapping for " + at + ", not " + v.kind.describe()})
		l.res.Buckets = append(l.res.Buckets, b)
		return
	}
	for _, key := range cors.keys {
		if key.text != "corsRules" {
			b.Errors = append(b.Errors, unknownK8sField(key, at, "corsRules"))
		}
	}
	rules := v.field("corsRules")
	if rules != nil && (rules.kind == vNull || rules.kind == vAbsent) {
		rules = nil
	}
	if rules == nil && r.rulesRequired {
		b.Errors = append(b.Errors, TemplateError{Pos: cors.pos(), Code: CodeMissingMember,
			Message: "Kubernetes refuses " + at + " without corsRules (\"" + at + ".corsRules: Required value\")"})
	}
	if rules != nil && rules.kind == vList && len(rules.list) == 0 && r.emptyIsNone {
		rules = nil
	}
	if rules == nil && len(b.Errors) == 0 {
		return
	}
	bl := newBuilder(b, r.d)
	if rules != nil {
		b.RulesPos = rules.org.Pos
		bl.rules(rules)
	}
	l.res.Buckets = append(l.res.Buckets, b)
}

// upboundCors reads the spec.forProvider.corsRule of a Crossplane
// BucketCorsConfiguration of the API group group, or its
// spec.initProvider.corsRule, which Crossplane merges into forProvider
// when it creates the resource. refused is kubectl's refusal of its
// version (see k8sVersionRefused), reported first, even for an
// observe-only resource.
func (l *loader) upboundCors(obj *node, group string, refused []TemplateError) {
	spec := obj.get("spec")
	if !crossplaneWrites(spec.get("managementPolicies")) {
		if len(refused) > 0 {
			b := k8sBucket(obj, group)
			b.Errors = refused
			l.res.Buckets = append(l.res.Buckets, b)
		}
		return
	}
	b := k8sBucket(obj, group)
	b.Errors = append(b.Errors, refused...)
	specAt := obj.pos()
	if spec != nil {
		specAt = spec.pos()
	}
	b.Errors = append(b.Errors, misnamedK8sFields(obj, "forProvider", "initProvider")...)
	b.Errors = append(b.Errors, misspeltK8sFields(spec.get("forProvider"), "spec.forProvider", "corsRule")...)
	b.Errors = append(b.Errors, misspeltK8sFields(spec.get("initProvider"), "spec.initProvider", "corsRule")...)
	b.Errors = append(b.Errors, upboundRequired(spec, specAt)...)
	rules := upboundRules(b, spec)
	l.readUpboundRules(b, rules, specAt)
	l.res.Buckets = append(l.res.Buckets, b)
}

// upboundRules returns the rules Crossplane writes to S3:
// spec.forProvider.corsRule, or spec.initProvider.corsRule when
// forProvider has none, with a note on b of what initProvider's rules
// do.
func upboundRules(b *Bucket, spec *node) *node {
	rules := spec.get("forProvider").get("corsRule")
	init := spec.get("initProvider").get("corsRule")
	switch {
	case init == nil || init.kind == nNull:
	case rules == nil || rules.kind == nNull:
		rules = init
		b.Notes = append(b.Notes, Note{Pos: init.pos(),
			Text: "the rules are spec.initProvider's: Crossplane sets them when it creates the bucket's configuration and leaves them to others after"})
	default:
		// upjet's GetMergedParameters: mergo.Merge(&params,
		// initParams, mergo.WithSliceDeepCopy) without overwrite,
		// which merges two lists element by element up to the
		// shorter's length. Not reproduced: it holds only at creation.
		b.Notes = append(b.Notes, Note{Pos: init.pos(),
			Text: "spec.initProvider.corsRule is merged into spec.forProvider.corsRule when Crossplane creates the configuration, " +
				"rule by rule in order: a member that forProvider's rule lacks is taken from initProvider's rule of the same place, " +
				"and initProvider's rules beyond forProvider's count are dropped; the rules judged are forProvider's"})
	}
	return rules
}

// readUpboundRules reads the rules into b, or says why Kubernetes or the
// provider refuses the resource when there are none.
func (l *loader) readUpboundRules(b *Bucket, rules *node, specAt Position) {
	switch {
	case rules == nil || rules.kind == nNull:
		// The custom resource's validation rule: "spec.forProvider.
		// corsRule is a required parameter", said when nothing else
		// is.
		if len(b.Errors) == 0 {
			b.Errors = append(b.Errors, TemplateError{Pos: specAt, Code: CodeMissingMember,
				Message: "Kubernetes refuses a BucketCorsConfiguration without spec.forProvider.corsRule (\"spec.forProvider.corsRule is a required parameter\")"})
		}
	case rules.kind == nSeq && len(rules.items) == 0:
		// UNVERIFIED: upjet's parameters leave an empty list out
		// (omitempty), and the provider's schema requires cors_rule
		// ("At least 1 "cors_rule" blocks are required"), so the
		// provider refuses it before S3 sees an empty configuration.
		b.RulesPos = rules.pos()
		b.Errors = append(b.Errors, TemplateError{Pos: rules.pos(), Code: CodeMissingMember,
			Message: "the Terraform AWS provider under Crossplane requires at least one corsRule: Crossplane leaves an empty list out, and the provider's cors_rule is required"})
	default:
		b.RulesPos = rules.pos()
		newBuilder(b, upboundDialect).rules(l.manifestVal(rules, "corsRule"))
		noteSetOrder(b, "as written", "the written order")
	}
}

// upboundRequired returns the API server's refusals of a
// BucketCorsConfiguration without spec.forProvider or its region, both of
// which the custom resource's schema requires, in either group; specAt is
// where spec is written (or the resource, without spec).
func upboundRequired(spec *node, specAt Position) []TemplateError {
	fp := spec.get("forProvider")
	switch {
	case fp == nil || fp.kind == nNull:
		return []TemplateError{{Pos: specAt, Code: CodeMissingMember,
			Message: "Kubernetes refuses a BucketCorsConfiguration without spec.forProvider (\"spec.forProvider: Required value\")"}}
	case fp.get("region").scalarText() == "":
		return []TemplateError{{Pos: fp.pos(), Code: CodeMissingMember,
			Message: "Kubernetes refuses a BucketCorsConfiguration without spec.forProvider.region (\"spec.forProvider.region: Required value\")"}}
	}
	return nil
}

// corsFieldNames are the folded names people give the field of a
// resource that holds its CORS rules.
var corsFieldNames = map[string]bool{"cors": true, "corsrule": true, "corsrules": true, "corsconfiguration": true}

// misspeltK8sFields is the API server's refusal of each field of the
// mapping parent (named at) that names the CORS rules otherwise than
// right, the field the schema declares: kubectl apply refuses an unknown
// field, where it would have been passed over as no configuration.
func misspeltK8sFields(parent *node, at, right string) []TemplateError {
	if parent == nil || parent.kind != nMap {
		return nil
	}
	var errs []TemplateError
	for _, key := range parent.keys {
		if key.text != right && corsFieldNames[fold(key.text)] {
			e := unknownK8sField(key, at, right)
			if e.Hint == "" {
				e.Hint = "the rules go in " + at + "." + right
			}
			errs = append(errs, e)
		}
	}
	return errs
}

// crossplaneWrites reports whether the managementPolicies policies (the
// default, ["*"], when not written) let Crossplane create or update the
// configuration: an observe-only resource puts nothing, and its
// validation rule asks for no corsRule ("!('*' in self.managementPolicies
// || 'Create' in ... || 'Update' in ...) || has(self.forProvider.corsRule)
// ...").
func crossplaneWrites(policies *node) bool {
	if policies == nil || policies.kind != nSeq {
		return true
	}
	for _, p := range policies.items {
		switch p.scalarText() {
		case "*", "Create", "Update":
			return true
		}
	}
	return false
}

// manifestVal is planVal(n, nil, name) for a value of a manifest, which
// costs a step for each value copied (see spendTree): past the steps
// allowed it is null, and the loader's error ends the reading.
func (l *loader) manifestVal(n *node, name string) *val {
	if !l.spendTree(n) {
		return &val{kind: vNull}
	}
	return planVal(n, nil, name)
}

// spendTree spends a step for each node of n as planVal would copy it, an
// alias's anchor each time it is used: a manifest's aliases would
// otherwise expand to 9^10 values from a few hundred bytes (a YAML
// "billion laughs"). It reports whether they all fit in maxSteps; when
// not, the loader's error says so and the file is refused, as kubectl
// refuses it (go-yaml v2: "document contains excessive aliasing").
func (l *loader) spendTree(n *node) bool {
	if n == nil {
		return true
	}
	if !l.spend(n) {
		return false
	}
	for _, item := range n.items {
		if !l.spendTree(item) {
			return false
		}
	}
	return true
}

// unknownK8sField is the API server's refusal of a field that the custom
// resource's schema does not declare, where right is the one it
// declares.
func unknownK8sField(key *node, parent, right string) TemplateError {
	e := TemplateError{Pos: key.pos(), Code: CodeUnknownMember,
		Message: "Kubernetes does not know the field " + strconv.Quote(key.text) + " of " + parent + " (kubectl apply: \"unknown field\")"}
	if k := fold(key.text); k == fold(right) || k+"s" == fold(right) {
		e.Hint = "it is called " + strconv.Quote(right)
	}
	return e
}
