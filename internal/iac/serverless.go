package iac

import (
	"cmp"
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// slsService is a Serverless Framework service file being read: its
// resources are CloudFormation, which the Framework merges into the
// template it generates for the service's stack.
type slsService struct {
	l    *loader
	src  *source
	root *node // the service file's top level, which ${self:...} reads
}

// maxSlsDepth bounds how deep ${self:...} references are followed through
// the values they name.
const maxSlsDepth = 16

// serverless reads a Serverless Framework service file (serverless.yml,
// serverless.json) as the Framework builds its stack's template from it:
// its resources, a mapping of CloudFormation (Resources, Conditions,
// Outputs, ...), or a list of such mappings and of ${file(...)}
// variables naming files that hold one, merged in order as lodash's merge
// does (the Framework's Service.mergeArrays); then resources.extensions,
// whose Properties are assigned over those of the resources they name
// (mergeCustomProviderResources); then the properties that are null
// taken out (stripNullPropsFromTemplateResources). The Framework's
// variables are resolved where the files alone tell their value (see
// slsService.variable): a ${self:...} reference to the service file, with
// its fallback when it names nothing, and, as for a deployment without
// options, the fallback of an option or an environment variable, the
// stage of ${sls:stage} and the parameters of params for that stage
// (${param:...}); the others (${ssm:...}, ${env:ORIGIN} without a
// fallback, ...) are known only when the Framework packages the service,
// and a value that holds one is not judged.
//
// The buckets of s3 events are read as the Framework compiles them before
// it merges resources (see slsService.eventBuckets), so their CORS may
// come from provider.s3, from resources under the logical ID the
// Framework gives them, or from resources.extensions. Its deployment
// bucket has no CORS unless resources.extensions gives it some, which is
// then read; an extension giving CORS to a resource nothing declares gets
// a note, as the Framework refuses it (see slsService.extensionTargets).
func (l *loader) serverless(src *source) error {
	root, err := parseDoc(src)
	if err != nil {
		return err
	}
	if err := checkServiceRoot(src, root); err != nil {
		return err
	}
	sv := &slsService{l: l, src: src, root: root}
	res := sv.section(root.get("resources"), "resources")
	if l.err != nil {
		return l.err
	}
	if res != nil {
		res = sv.subst(res, 0)
	}
	// The Framework compiles the buckets of s3 events into its template
	// first, then merges resources into it, then applies extensions.
	if generated := sv.eventBuckets(); generated != nil {
		tmpl := &node{kind: nMap, src: generated.src, off: generated.off,
			keys:  []*node{{kind: nString, text: "Resources", src: generated.src, off: generated.off}},
			items: []*node{generated}}
		if res != nil && res.kind == nMap {
			tmpl = mergeNodes(tmpl, res)
		}
		res = tmpl
	}
	if res == nil || l.err != nil {
		return l.err
	}
	resources := res.get("Resources")
	if resources == nil || resources.kind != nMap {
		resources = &node{kind: nMap, src: res.src, off: res.off}
	}
	if ext := res.get("extensions"); ext != nil && ext.kind == nMap {
		resources = sv.extensionTargets(res, resources, ext)
		extend(resources, ext)
	}
	if len(resources.keys) == 0 {
		// Only Outputs, or nothing: the Framework's own resources make
		// the stack, and none of them is a bucket with CORS.
		return l.err
	}
	for _, r := range resources.items {
		if props := r.get("Properties"); props != nil {
			stripNulls(props)
		}
	}
	s := &cfnStack{l: l, src: src, root: res, conds: map[string]int8{}, framework: true}
	s.read()
	if l.err == nil && s.refused != nil {
		return s.refused
	}
	return l.err
}

// checkServiceRoot refuses a document that is not a Serverless service:
// one whose top level is not a mapping with service and provider
// members.
func checkServiceRoot(src *source, root *node) error {
	if root.kind == nMap && root.get("service") != nil && root.get("provider") != nil {
		return nil
	}
	reason := "it has no service member"
	switch {
	case root.kind != nMap:
		reason = "its top level is " + root.describe() + ", not a mapping"
	case root.get("service") != nil:
		reason = "it has no provider member"
	}
	return &KindError{File: src.name, Kind: Serverless, Reason: reason}
}

// eventBuckets returns the Resources the Framework compiles for the
// buckets its s3 events create (events with existing: true name a bucket
// made elsewhere), or nil when there are none, as the Framework's
// AwsCompileS3Events.newS3Buckets does. An event names its bucket by a
// reference: a provider.s3 key (- s3: photos, with provider.s3.photos)
// or else the bucket's name. A provider.s3 entry makes the bucket's name
// its name member when that is true to JavaScript (not absent, null or
// ""), else the key; its other members are the bucket's properties, the
// first letter of each made upper case (corsConfiguration becomes
// CorsConfiguration). The Framework makes one bucket of each name, in
// the order the events first name it (JavaScript's order of an object's
// keys: names that are array indexes first, in numeric order): of two
// provider.s3 entries with the same name, the last event's entry gives
// the properties and the logical ID, S3Bucket and the reference's
// letters and digits (S3BucketPhotos); a bucket no entry describes is
// S3Bucket and its name's letters and digits, with no CORS of its own.
// Two names of one logical ID (photo-a and photoa) are merged into one
// resource as lodash's merge does, the later over the earlier. A
// provider.s3 entry that no event names is not created, which a note
// says when it has a CORS configuration.
func (sv *slsService) eventBuckets() *node {
	c := sv.newS3EventBuckets()
	fns := sv.section(sv.root.get("functions"), "functions")
	for _, i := range jsKeyOrder(fns.mapKeys()) {
		events := fns.items[i].get("events")
		if events == nil || events.kind != nSeq {
			continue
		}
		for _, ev := range events.items {
			if e := ev.get("s3"); e != nil {
				c.add(fns.keys[i].text, sv.subst(e, 0))
			}
		}
	}
	if len(c.order) == 0 {
		sv.unusedProviderBuckets(c.providerS3, c.used, c.existing)
		return nil
	}
	out := c.resources()
	sv.unusedProviderBuckets(c.providerS3, c.used, c.existing)
	return out
}

// s3EventBucket is a bucket the s3 events of a service create: its name,
// where the first event names it, and the provider.s3 entry of the last
// event that names it by one (entry -1 and conf nil when none does). It
// exists so that eventBuckets can gather the buckets in one pass over
// the events and make their resources in another.
type s3EventBucket struct {
	name, ref *node
	entry     int
	conf      *node
}

// s3EventBuckets gathers the buckets of a service's s3 events for
// eventBuckets, keeping what the Framework keeps while it walks the
// events: which buckets it creates and in what order, and which
// provider.s3 entries the events use, so that unusedProviderBuckets can
// note the others.
type s3EventBuckets struct {
	sv         *slsService
	providerS3 *node // provider.s3 when it is a mapping, else nil
	order      []string
	buckets    map[string]*s3EventBucket
	used       map[string]bool
	// existing holds the buckets that events with existing: true name,
	// which the Framework attaches to without creating them, its
	// provider.s3 entry of the same key left out.
	existing map[string]bool
	// Maps, not keyIndex: a service may have tens of thousands of
	// events, each looked up among the buckets before it.
	inProvider map[string]int
}

// newS3EventBuckets returns an empty s3EventBuckets for the service,
// with provider.s3's keys indexed (the first of each), so that each
// event's reference is looked up there in constant time.
func (sv *slsService) newS3EventBuckets() *s3EventBuckets {
	providerS3 := sv.root.get("provider").get("s3")
	if providerS3 != nil && providerS3.kind != nMap {
		providerS3 = nil
	}
	c := &s3EventBuckets{sv: sv, providerS3: providerS3,
		buckets: map[string]*s3EventBucket{}, used: map[string]bool{},
		existing: map[string]bool{}, inProvider: map[string]int{}}
	for j, k := range providerS3.mapKeys() {
		if _, dup := c.inProvider[k.text]; !dup {
			c.inProvider[k.text] = j
		}
	}
	return c
}

// add records the bucket of one s3 event (e, its variables substituted)
// of function fn, as the Framework's newS3Buckets does for each event:
// it exists so that eventBuckets reads as a walk over the events.
func (c *s3EventBuckets) add(fn string, e *node) {
	ref := c.reference(fn, e)
	if ref == nil {
		return
	}
	name, entry, conf, ok := c.providerEntry(ref)
	if !ok {
		return
	}
	c.record(name, ref, entry, conf)
}

// reference returns the reference by which the s3 event e of function fn
// names the bucket it creates, or nil when the event creates none the
// Framework would make (no bucket, an existing one, a bucket given by an
// intrinsic function) or one that cannot be known, which a note says.
// It exists to keep the Framework's reasons for skipping an event in one
// place.
func (c *s3EventBuckets) reference(fn string, e *node) *node {
	ref := e
	if e.kind == nMap {
		if truthy(e.get("existing")) {
			if b := e.get("bucket"); b != nil && b.kind == nString {
				c.existing[b.text] = true
			}
			return nil
		}
		ref = e.get("bucket")
	}
	switch {
	case ref == nil || ref.kind == nNull:
		return nil // the Framework refuses an s3 event without a bucket
	case ref.unknown != "":
		c.sv.note(ref, "the bucket of an s3 event of function "+fn+" is not known ("+ref.unknown+"): its CORS, if any, is not read")
		return nil
	case ref.kind != nString || ref.tag != "":
		// The Framework: "When specifying "s3.bucket" with
		// CloudFormation intrinsic function, you need to
		// specify that the bucket is existing".
		return nil
	}
	return ref
}

// providerEntry looks the reference ref up under provider.s3 and returns
// the bucket's name (the entry's name member when that is true to
// JavaScript, else ref), the entry's index and its configuration (-1
// and nil when there is no entry true to JavaScript), and false when the
// event's bucket is not read because the entry or its name is not known
// or not a name, which a note says. It exists because this lookup is
// the part of newS3Buckets with the most cases.
func (c *s3EventBuckets) providerEntry(ref *node) (name *node, entry int, conf *node, ok bool) {
	j, found := c.inProvider[ref.text]
	if !found {
		return ref, -1, nil, true
	}
	// providerS3[bucketRef], when true to JavaScript.
	cfg := c.sv.subst(c.providerS3.items[j], 0)
	if cfg.unknown != "" {
		c.sv.note(cfg, "provider.s3."+ref.text+" is not known ("+cfg.unknown+"): the CORS of its bucket, if any, is not read")
		return nil, 0, nil, false
	}
	if !truthy(cfg) {
		return ref, -1, nil, true
	}
	c.used[ref.text] = true
	name = ref
	// providerS3[bucketRef].name || bucketRef
	if n := cfg.get("name"); n != nil && (n.unknown != "" || truthy(n)) {
		if !n.isScalar() && n.unknown == "" {
			c.sv.note(n, "provider.s3."+ref.text+".name is "+n.describe()+", not a bucket name, which the Framework refuses (\"Bucket name must conform to pattern\"): its bucket is not read")
			return nil, 0, nil, false
		}
		name = n
	}
	return name, j, cfg, true
}

// record adds the bucket named name, which an event names by ref with
// the provider.s3 entry entry (conf), to the buckets, or updates the
// bucket of that name when an earlier event made it: the first event
// fixes the bucket's place in the order, the last event with an entry
// its properties and logical ID. It exists so that add reads as the
// Framework's three steps.
func (c *s3EventBuckets) record(name, ref *node, entry int, conf *node) {
	key := name.text
	if name.unknown != "" {
		// A name not known: the bucket is told from the others
		// by its reference.
		key = "\x00" + ref.text
	}
	b := c.buckets[key]
	if b == nil {
		b = &s3EventBucket{name: name, ref: ref, entry: -1}
		c.buckets[key] = b
		c.order = append(c.order, key)
		c.sv.l.res.Notes = append(c.sv.l.res.Notes, ref.assumed...)
	}
	if entry >= 0 {
		b.entry, b.conf, b.ref = entry, conf, ref
		if name != ref {
			b.name = name
		}
	}
}

// resources returns the Resources mapping of the buckets gathered (there
// is at least one), in JavaScript's order of their names, two names of
// one logical ID merged into one resource. It exists to keep the making
// of the template apart from the walk over the events.
func (c *s3EventBuckets) resources() *node {
	first := c.buckets[c.order[0]]
	out := &node{kind: nMap, src: first.ref.src, off: first.ref.off}
	keys := make([]*node, len(c.order))
	for i, k := range c.order {
		keys[i] = &node{kind: nString, text: k}
	}
	ids := map[string]int{} // where each logical ID is in out
	for _, i := range jsKeyOrder(keys) {
		id, at, resource := c.resource(c.buckets[c.order[i]])
		if j, ok := ids[id]; ok {
			// Two names of one logical ID: lodash's merge of the
			// later into the earlier.
			out.items[j] = mergeNodes(out.items[j], resource)
			continue
		}
		ids[id] = len(out.keys)
		out.keys = append(out.keys, &node{kind: nString, text: id, src: at.src, off: at.off})
		out.items = append(out.items, resource)
	}
	return out
}

// resource returns the logical ID of bucket b, where it is written (its
// key under provider.s3, or the event's bucket) and its AWS::S3::Bucket
// resource, as the Framework compiles it. It exists so that resources
// reads as the ordering and merging of resources.
func (c *s3EventBuckets) resource(b *s3EventBucket) (id string, at, resource *node) {
	at = b.ref
	logical := b.name.text
	if b.entry >= 0 {
		at, logical = c.providerS3.keys[b.entry], b.ref.text
	}
	mk := func(kind nodeKind, text string) *node {
		return &node{kind: kind, text: text, src: at.src, off: at.off}
	}
	id = "S3Bucket" + upperFirst(alnum(logical))
	properties := &node{kind: nMap, src: b.ref.src, off: b.ref.off,
		keys: []*node{mk(nString, "BucketName")}, items: []*node{b.name}}
	if b.entry >= 0 {
		// Object.assign: bucketName under provider.s3 over the
		// name the Framework sets.
		properties = assign(properties, entryProperties(b.conf))
	}
	resource = &node{kind: nMap, src: at.src, off: at.off,
		keys:  []*node{mk(nString, "Type"), mk(nString, "Properties")},
		items: []*node{mk(nString, "AWS::S3::Bucket"), properties}}
	return id, at, resource
}

// entryProperties returns the members of a provider.s3 entry but name as
// bucket properties, the first letter of each key made upper case
// (corsConfiguration becomes CorsConfiguration), as the Framework does.
// It exists to name that renaming.
func entryProperties(conf *node) *node {
	members := &node{kind: nMap}
	for c, v := range conf.mapItems() {
		k := conf.keys[c]
		if k.text == "name" {
			continue
		}
		up := *k
		up.text = upperFirst(k.text)
		members.keys, members.items = append(members.keys, &up), append(members.items, v)
	}
	return members
}

// unusedProviderBuckets notes each provider.s3 entry with a CORS
// configuration that no s3 event names (used says which are named), or
// that only events with existing: true name (existing says which): the
// Framework creates no bucket of it.
func (sv *slsService) unusedProviderBuckets(providerS3 *node, used, existing map[string]bool) {
	for j, k := range providerS3.mapKeys() {
		conf := providerS3.items[j]
		if used[k.text] || (conf.get("corsConfiguration") == nil && conf.get("CorsConfiguration") == nil) {
			continue
		}
		if existing[k.text] {
			sv.note(k, "provider.s3."+k.text+" is named only by s3 events with existing: true, which attach to a bucket made elsewhere: the Framework creates no bucket of it, and its CORS configuration is not deployed")
			continue
		}
		sv.note(k, "provider.s3."+k.text+" is named by no s3 event of the service's functions, so the Framework creates no bucket of it: its CORS configuration is not deployed")
	}
}

// jsKeyOrder returns the indexes of keys, the keys of an object, in the
// order JavaScript's Object.keys and Object.entries give them: the keys
// that are array indexes (0 to 2^32-2, written without a sign or a
// leading zero) first, in numeric order, then the others as written.
// The first of keys written twice stands for both.
func jsKeyOrder(keys []*node) []int {
	var ints, others []int
	seen := map[string]bool{}
	for i, k := range keys {
		if seen[k.text] {
			continue
		}
		seen[k.text] = true
		if n, err := strconv.ParseUint(k.text, 10, 32); err == nil && n < math.MaxUint32 && strconv.FormatUint(n, 10) == k.text {
			ints = append(ints, i)
		} else {
			others = append(others, i)
		}
	}
	slices.SortFunc(ints, func(a, b int) int {
		x, _ := strconv.ParseUint(keys[a].text, 10, 32)
		y, _ := strconv.ParseUint(keys[b].text, 10, 32)
		return cmp.Compare(x, y)
	})
	return append(ints, others...)
}

// truthy reports whether n, a value the Framework tests with JavaScript's
// if, is true there: not absent, null, false, "" or zero.
func truthy(n *node) bool {
	switch {
	case n == nil || n.kind == nNull:
		return false
	case n.kind == nBool:
		return strings.EqualFold(n.text, "true")
	case n.kind == nString:
		return n.text != ""
	case n.kind == nNumber:
		// As js-yaml reads a number: .nan (NaN), 0o, 0x and 0b
		// integers, underscores in floats (0_0).
		digits := strings.ToLower(strings.TrimLeft(n.text, "+-"))
		if digits == ".nan" {
			return false
		}
		if len(digits) > 2 && digits[0] == '0' && strings.ContainsRune("oxb", rune(digits[1])) {
			return strings.TrimLeft(digits[2:], "0") != ""
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.text, "_", ""), 64)
		return err != nil || f != 0 && !math.IsNaN(f)
	}
	return true
}

// mapItems returns the values of the mapping n; none when n is nil or
// not a mapping.
func (n *node) mapItems() []*node {
	if n == nil || n.kind != nMap {
		return nil
	}
	return n.items
}

// mapKeys returns the keys of the mapping n; none when n is nil or not
// a mapping.
func (n *node) mapKeys() []*node {
	if n == nil || n.kind != nMap {
		return nil
	}
	return n.keys
}

// upperFirst returns s with its first letter upper case, as lodash's
// upperFirst does.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// alnum returns the ASCII letters and digits of s, as the Framework's
// normalizeNameToAlphaNumericOnly keeps them.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// parseDoc parses a document in JSON or YAML, told by its first byte.
func parseDoc(src *source) (*node, error) {
	if c, _ := firstByte(src.data); c == '{' {
		return parseTemplateJSON(src)
	}
	return parseServerlessYAML(src)
}

// section returns the service's resources or functions (name says
// which), with a list of them merged into one mapping, or nil when there
// are none. A file that cannot be read, or a list item that is not a
// mapping, becomes a note, and what it would hold is not judged.
func (sv *slsService) section(n *node, name string) *node {
	if n == nil || n.kind == nNull {
		return nil
	}
	if n.kind == nString {
		n = sv.file(n, name)
	}
	if n == nil || n.kind != nSeq {
		if n != nil && n.kind != nMap {
			sv.note(n, name+" is "+n.describe()+", not a mapping: not read")
			return nil
		}
		return n
	}
	var merged *node
	for _, item := range n.items {
		if item.kind == nString {
			item = sv.file(item, name)
		}
		switch {
		case item == nil || item.kind == nNull:
			// The Framework passes over empty items, and a file that
			// could not be read has its note.
		case item.kind != nMap:
			// The Framework: "Non-object value specified in resources array".
			sv.note(item, "an item of "+name+" is "+item.describe()+", which the Framework refuses (\"Non-object value specified in "+name+" array\"): not read")
		default:
			merged = mergeNodes(merged, item)
		}
	}
	return merged
}

// slsFileVar matches a string that is one ${file(PATH)} or
// ${file(PATH):ADDRESS} variable.
var slsFileVar = regexp.MustCompile(`^\$\{file\(\s*([^()]+?)\s*\)(?::([A-Za-z0-9_.\-]+))?\}$`)

// file returns what the ${file(...)} variable n, written in the section
// name, names, read from the file relative to the service file's
// directory, or nil with a note when n is no such variable or the file
// cannot be read.
func (sv *slsService) file(n *node, name string) *node {
	m := slsFileVar.FindStringSubmatch(strings.TrimSpace(n.text))
	if m == nil {
		sv.note(n, name+" holds "+render(n, 60)+", which is not a ${file(...)} variable s3cors follows: not read")
		return nil
	}
	path := strings.Trim(m[1], `'"`)
	if strings.Contains(path, "${") {
		// ${file(./resources/${sls:stage}.yml)}: the variables in the
		// path first, as the Framework resolves them.
		p := sv.subst(&node{kind: nString, text: path, src: n.src, off: n.off}, 1)
		if p.unknown != "" || !p.isScalar() {
			sv.note(n, name+" holds "+render(n, 60)+", whose path is not known: "+cmp.Or(p.unknown, "a variable in it is "+p.describe()))
			return nil
		}
		sv.l.res.Notes = append(sv.l.res.Notes, p.assumed...)
		path = p.text
	}
	doc, absent, why := sv.readFile(path, m[2])
	// A variable that resolves to null without a fallback fails the
	// Framework's resolution of the whole service file (resolve.js:
	// "Cannot resolve variable at "resources.0": Value not found at
	// "file" source").
	const refused = ", which the Framework refuses without a fallback (\"Value not found at \"file\" source\"): not read"
	switch {
	case absent:
		sv.note(n, why+refused)
	case why != "":
		sv.note(n, why+": not read")
	case doc == nil && m[2] != "":
		sv.note(n, "${file("+path+"):"+m[2]+"} names nothing in the file"+refused)
	case doc == nil:
		sv.note(n, "${file("+path+")} holds nothing"+refused)
	}
	return doc
}

// note records a note about the service file.
func (sv *slsService) note(n *node, text string) {
	sv.l.res.Notes = append(sv.l.res.Notes, Note{Pos: n.pos(), Text: text})
}

// lookupPath returns the node a dotted address names in n (keys of
// mappings, indexes of lists), or nil.
func lookupPath(n *node, address string) *node {
	for part := range strings.SplitSeq(address, ".") {
		switch {
		case n == nil:
			return nil
		case n.kind == nSeq:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(n.items) {
				return nil
			}
			n = n.items[i]
		default:
			n = n.get(part)
		}
	}
	return n
}

// lookupSelf returns the node the dotted address of ${self:ADDRESS} names
// in the service file, as the Framework resolves it: a value on the way
// that is a variable (custom: ${file(./config.yml)}) is resolved first,
// and the rest of the address read in what it gives. why says why a
// value on the way is not known.
func (sv *slsService) lookupSelf(address string, depth int) (_ *node, why string) {
	n := sv.root
	for part := range strings.SplitSeq(address, ".") {
		if n != nil && n.kind == nString && strings.Contains(n.text, "${") {
			if n = sv.subst(n, depth+1); n.unknown != "" {
				return nil, n.unknown
			}
		}
		if n = lookupPath(n, part); n == nil {
			return nil, ""
		}
	}
	return n, ""
}

// subst returns n with the Framework's variables in its strings
// resolved: a string that is one ${self:...} variable becomes the value
// it names (itself resolved), a string with variables among other text
// the text with their values in place, and a string with a variable not
// known a node whose unknown says so. What is unchanged is returned as
// it is.
func (sv *slsService) subst(n *node, depth int) *node {
	if !sv.l.spend(n) {
		return n
	}
	switch n.kind {
	case nString:
		if strings.Contains(n.text, "${") {
			return sv.substString(n, depth)
		}
	case nSeq, nMap:
		var out *node
		for i, item := range n.items {
			if s := sv.subst(item, depth); s != item {
				if out == nil {
					c := *n
					c.items = append([]*node(nil), n.items...)
					out = &c
				}
				out.items[i] = s
			}
		}
		if out != nil {
			return out
		}
	}
	return n
}

// substString resolves the variables of the string n.
func (sv *slsService) substString(n *node, depth int) *node {
	spans, ok := slsVarSpans(n.text)
	if !ok {
		return n // an unbalanced ${: not a variable, as the Framework reads it
	}
	if len(spans) == 1 && spans[0][0] == 0 && spans[0][1] == len(n.text) {
		v, why := sv.variable(n, n.text[2:len(n.text)-1], depth)
		if why != "" {
			return unknownNode(n, why)
		}
		if n.tag == "" {
			return v
		}
		// !Sub ${self:custom.url}: the value in place of the text, under
		// the tag.
		if !v.isScalar() || v.tag != "" || v.unknown != "" {
			return unknownNode(n, "${"+n.text[2:len(n.text)-1]+"} is "+v.describe()+", under the tag "+n.tag)
		}
		c := *v
		c.kind, c.tag = nString, n.tag
		return &c
	}
	var b strings.Builder
	var assumed []Note
	last := 0
	for _, sp := range spans {
		b.WriteString(n.text[last:sp[0]])
		v, why := sv.variable(n, n.text[sp[0]+2:sp[1]-1], depth)
		switch {
		case why != "":
			return unknownNode(n, why)
		case v.unknown != "":
			return unknownNode(n, v.unknown)
		case !v.isScalar() || v.kind == nNull || v.tag != "":
			return unknownNode(n, "${"+n.text[sp[0]+2:sp[1]-1]+"} is "+v.describe()+", which the Framework cannot put in a string")
		}
		b.WriteString(v.text)
		assumed = append(assumed, v.assumed...)
		if b.Len() > maxValueLen {
			return unknownNode(n, "the Framework's variables make a string longer than "+strconv.Itoa(maxValueLen)+" bytes")
		}
		last = sp[1]
	}
	b.WriteString(n.text[last:])
	if !sv.l.build(n.pos(), b.Len()) {
		return unknownNode(n, "too much to evaluate")
	}
	c := *n
	c.text = b.String()
	c.assumed = append(slices.Clip(n.assumed), assumed...)
	return &c
}

// unknownNode returns a copy of n whose value is not known, for why.
func unknownNode(n *node, why string) *node {
	c := *n
	c.unknown = why
	return &c
}

// slsVarSpans returns the bounds of the Framework's variables in text,
// outermost only ("${self:a.${sls:stage}}" is one), and false when a ${
// has no closing }. A ${...} whose content does not start with a source
// (self:, opt:, file(, ...) is CloudFormation's, as in Fn::Sub's
// ${AWS::Region} and ${MyBucket.Arn}, and is left as it is.
func slsVarSpans(text string) (spans [][2]int, ok bool) {
	for i := 0; i < len(text); i++ {
		if !strings.HasPrefix(text[i:], "${") {
			continue
		}
		depth, j := 0, i
		for ; j < len(text); j++ {
			switch {
			case strings.HasPrefix(text[j:], "${"):
				depth++
				j++
			case text[j] == '}':
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if depth != 0 {
			return nil, false
		}
		if slsSource.MatchString(text[i+2 : j]) {
			spans = append(spans, [2]int{i, j + 1})
		}
		i = j
	}
	return spans, true
}

// slsSource matches the start of a variable of the Framework: a source
// name and a colon, or file( and the like; not CloudFormation's
// AWS::Region, whose colon is doubled.
var slsSource = regexp.MustCompile(`^\s*[a-zA-Z][a-zA-Z0-9]*(\(|:[^:])`)

// variable returns the value of the variable whose content (between ${
// and }) is content, written in the string n: its first candidate that
// has a value, the others being its fallbacks, once the variables in it
// are resolved (the Framework resolves ${self:custom.${sls:stage}} from
// the inside). An option (${opt:...}) or an environment variable
// (${env:...}) followed by a fallback is taken as not set, as a
// CloudFormation parameter is judged with its Default, and a parameter
// (${param:...}) as the service file sets it (see param): the value says
// so in its assumed. why says why the value is not known.
func (sv *slsService) variable(n *node, content string, depth int) (_ *node, why string) {
	if depth >= maxSlsDepth {
		return nil, "${self:...} references lead more than " + strconv.Itoa(maxSlsDepth) + " deep (do they refer to each other?)"
	}
	var assumed []Note
	if strings.Contains(content, "${") {
		inner := sv.substString(&node{kind: nString, text: content, src: n.src, off: n.off}, depth+1)
		if inner.unknown != "" {
			return nil, inner.unknown
		}
		content, assumed = inner.text, inner.assumed
	}
	cands := splitFallbacks(content)
	for i, cand := range cands {
		v, why, note, done := sv.candidate(n, content, strings.TrimSpace(cand), i+1 < len(cands), depth)
		switch {
		case done && why != "":
			return nil, why
		case done:
			return withAssumed(v, assumed), ""
		case note != "":
			assumed = append(assumed, Note{Pos: n.pos(), Text: note})
		}
	}
	return nil, "${" + content + "} names nothing in the service file and has no fallback"
}

// candidate resolves cand, one candidate of the variable ${content}
// written at n (the Framework tries them in order, each after the first
// being a fallback; fallback says one follows cand). done says the
// variable's answer is cand's: its value v, or why it is not known. When
// not done, the Framework goes on to the next candidate: cand names
// nothing, or is an option, an environment variable or a parameter that
// is taken as not set, which note says the value assumes.
func (sv *slsService) candidate(n *node, content, cand string, fallback bool, depth int) (v *node, why, note string, done bool) {
	if lit := slsLiteral(n, cand); lit != nil {
		return lit, "", "", true
	}
	source, address, _ := strings.Cut(cand, ":")
	switch {
	case strings.HasPrefix(source, "file("):
		v, why := sv.fileValue(n, cand, depth)
		if v != nil || why != "" {
			return v, why, "", true
		}
		// The file or the address names nothing: the fallback, if any.
	case source == "self" && address != "":
		// A null is no value: the Framework (v3's resolveVariable)
		// goes on to the fallback, as for an address that names
		// nothing.
		if v, why := sv.lookupSelf(address, depth); why != "" {
			return nil, why, "", true
		} else if v != nil && v.kind != nNull {
			if r := sv.subst(v, depth+1); r.kind != nNull || r.tag != "" {
				return r, "", "", true
			}
		}
	case source == "opt" && strings.TrimSpace(address) == "stage" && sv.l.slsStage != "":
		return &node{kind: nString, text: sv.l.slsStage, src: n.src, off: n.off, end: n.end}, "", "", true
	case source == "sls" && address == "stage":
		v, why := sv.stage(n, depth)
		return v, why, "", true
	case source == "param" && strings.TrimSpace(address) != "":
		v, why := sv.param(n, strings.TrimSpace(address), depth)
		switch {
		case v != nil:
			return v, "", "", true
		case fallback:
			return nil, "", "${" + content + "} is judged with its fallback, which the Framework takes when the parameter is not given with --param" + why, false
		default:
			return nil, "a parameter the service file does not set" + why + ", which --param or the Serverless Dashboard may give", "", true
		}
	case (source == "opt" || source == "env") && fallback:
		what := map[string]string{"opt": "the option --", "env": "the environment variable "}[source] + strings.TrimSpace(address)
		return nil, "", "${" + content + "} is judged with its fallback, which the Framework takes when " + what + " is not set", false
	default:
		return nil, "a Serverless Framework variable, which the Framework resolves when it packages the service", "", true
	}
	return nil, "", "", false
}

// errFileOutside is the Framework's refusal of a ${file(...)} outside the
// service's directory (its file source, FILE_SOURCE_PATH_OUTSIDE_OF_SERVICE).
const errFileOutside = "Cannot load file from outside of service folder"

// fileValue returns the value of the variable ${file(PATH)} or
// ${file(PATH):ADDRESS} (content, without "${" and "}"), written at n:
// what it names (see readFile), with its own variables resolved as the
// service file's (${self:...} reads the service file). It returns nil
// and no why when the file or the address names nothing, which the
// Framework resolves to null (a fallback then serves).
func (sv *slsService) fileValue(n *node, content string, depth int) (_ *node, why string) {
	m := slsFileVar.FindStringSubmatch("${" + content + "}")
	if m == nil {
		return nil, "${" + content + "} is not a ${file(PATH)} or ${file(PATH):ADDRESS} variable s3cors reads"
	}
	doc, absent, why := sv.readFile(strings.Trim(m[1], `'"`), m[2])
	switch {
	case absent || doc == nil && why == "":
		return nil, ""
	case why != "":
		return nil, why
	}
	return sv.subst(doc, depth+1), ""
}

// readFile reads what ${file(PATH)} or ${file(PATH):ADDRESS} (path and
// address, "" for none) names, as the Framework's file source
// (lib/configuration/variables/sources/file.js) reads it: the file at
// path, relative to the service file's directory, parsed as YAML (.yml,
// .yaml) or JSON (.json, .tfstate), or its text (other names), or the
// value at address in it; nil when that is null or absent. absent
// reports a file that does not exist (the Framework's null too), with
// why saying so. A path outside the service's directory, which the
// Framework refuses, is not read, nor one through a symbolic link that
// leads out (which the Framework would follow), so that judging a pull
// request never prints a value of a file of the machine it runs on; a
// JavaScript file (which the Framework runs) and one that cannot be
// parsed are not read either: why says why.
func (sv *slsService) readFile(path, address string) (doc *node, absent bool, why string) {
	at := "${file(" + path + ")}"
	if sv.src.name == stdinName {
		return nil, false, at + " is not read: the service file was read from standard input"
	}
	if filepath.Ext(path) == ".js" {
		return nil, false, at + " is a script, which the Framework runs when it packages the service"
	}
	dir := filepath.Dir(sv.src.name)
	file := filepath.Join(dir, filepath.FromSlash(path))
	real, err := insidePath([]string{dir}, file)
	var pe *fs.PathError
	switch {
	case errors.Is(err, errPathOutside):
		return nil, false, at + " is outside the service's directory, which the Framework refuses (\"" + errFileOutside + "\")"
	case errors.Is(err, errLinkOutside):
		return nil, false, at + " leads outside the service file's directory, which is all that is read here"
	case errors.Is(err, fs.ErrNotExist) && errors.As(err, &pe):
		return nil, true, at + " could not be read: " + (&fs.PathError{Op: "open", Path: file, Err: pe.Err}).Error()
	case err != nil:
		return nil, false, at + " could not be read: " + err.Error()
	case sv.l.nested >= maxNestedSize:
		return nil, false, at + " is not read: the files read for this input come to more than " + strconv.Itoa(maxNestedSize) + " bytes"
	}
	data, err := readBounded(real, MaxTemplateSize)
	sv.l.nested += int64(len(data))
	if err != nil {
		return nil, false, at + " could not be read: " + err.Error()
	}
	src := sv.l.source(file, data)
	switch filepath.Ext(path) {
	case ".yml", ".yaml":
		doc, err = parseServerlessYAML(src)
	case ".json", ".tfstate":
		doc, err = parseTemplateJSON(src)
	default:
		doc = &node{kind: nString, text: string(data), src: src, end: len(data)}
	}
	if err != nil {
		return nil, false, at + ": " + err.Error()
	}
	if address != "" {
		doc = lookupPath(doc, address)
	}
	if doc == nil || doc.kind == nNull {
		return nil, false, ""
	}
	return doc, false, ""
}

// stage returns the stage ${sls:stage} stands for: the stage given, or
// the one the service is deployed to without --stage (see deployedStage),
// with a note saying so.
func (sv *slsService) stage(n *node, depth int) (_ *node, why string) {
	v, which, why := sv.deployedStage(n, depth)
	if why != "" || sv.l.slsStage != "" {
		return v, why
	}
	return withAssumed(v, []Note{{Pos: n.pos(), Text: "${sls:stage} is judged as stage " + strconv.Quote(v.text) + ", " + which}}), ""
}

// deployedStage returns the stage the service is deployed to: the stage
// given, or without --stage provider.stage, or "dev", the Framework's
// default, located at n, the variable that needs it; which says which,
// for notes.
func (sv *slsService) deployedStage(n *node, depth int) (_ *node, which, why string) {
	if sv.l.slsStage != "" {
		return &node{kind: nString, text: sv.l.slsStage, src: n.src, off: n.off, end: n.end}, "the stage given", ""
	}
	if ps := lookupPath(sv.root, "provider.stage"); ps != nil {
		v := sv.subst(ps, depth+1)
		switch {
		case v.unknown != "":
			return nil, "", v.unknown
		case !v.isScalar() || v.tag != "":
			return nil, "", "provider.stage is " + v.describe() + ", not a stage"
		}
		return v, "provider.stage: the stage deployed without --stage", ""
	}
	return &node{kind: nString, text: "dev", src: n.src, off: n.off, end: n.end}, "the Framework's stage without --stage or provider.stage", ""
}

// param returns the value ${param:name} takes: the --param value given,
// or else the first of stages.STAGE.params.name, params.STAGE.name,
// stages.default.params.name and params.default.name that is set, for
// the stage deployed (see deployedStage), as the Framework resolves
// parameters (its param source: the --param options first, then the
// stage's params, then the default's; v4 reads stages too; a null is
// passed over). nil when none sets it, with why saying for which stage.
func (sv *slsService) param(n *node, name string, depth int) (_ *node, why string) {
	if v, ok := sv.l.slsParams[name]; ok {
		return &node{kind: nString, text: v, src: n.src, off: n.off, end: n.end}, ""
	}
	stage, which, why := sv.deployedStage(n, depth)
	if why != "" {
		return nil, " (its stage is not known: " + why + ")"
	}
	// Framework v4 reads stages.STAGE.params and stages.default.params
	// too: sf-core's Param provider spreads params.default, then
	// stages.default.params, params.STAGE and stages.STAGE.params, each
	// over the ones before.
	stages := sv.root.get("stages")
	for _, section := range []struct {
		at   *node
		path string
	}{
		{stages.get(stage.text).get("params"), "stages." + stage.text + ".params"},
		{sv.root.get("params").get(stage.text), "params." + stage.text},
		{stages.get("default").get("params"), "stages.default.params"},
		{sv.root.get("params").get("default"), "params.default"},
	} {
		v := section.at.get(name)
		if v == nil || v.kind == nNull {
			continue
		}
		return withAssumed(sv.subst(v, depth+1), append(slices.Clip(stage.assumed), Note{Pos: n.pos(),
			Text: "${param:" + name + "} is judged as " + section.path + "." + name + ", the value without --param for stage " +
				strconv.Quote(stage.text) + ", " + which})), ""
	}
	return nil, " for stage " + strconv.Quote(stage.text)
}

// withAssumed returns n with what was assumed to reach it added to its
// own, a copy when there is any.
func withAssumed(n *node, assumed []Note) *node {
	if len(assumed) == 0 {
		return n
	}
	c := *n
	c.assumed = append(slices.Clip(n.assumed), assumed...)
	return &c
}

// splitFallbacks splits a variable's content at its top-level commas:
// ${self:a, self:b, 'c'} has two fallbacks.
func splitFallbacks(content string) []string {
	var parts []string
	depth, quote, start := 0, byte(0), 0
	for i := 0; i < len(content); i++ {
		c := content[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '{' || c == '(':
			depth++
		case c == '}' || c == ')':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, content[start:i])
			start = i + 1
		}
	}
	return append(parts, content[start:])
}

// slsLiteral returns a variable's literal fallback as a node at n: a
// quoted string, a number, true, false or null (v3's parseLiteralSource;
// a fallback of null makes the value null); nil for anything else.
func slsLiteral(n *node, cand string) *node {
	lit := &node{src: n.src, off: n.off, end: n.end}
	switch {
	case cand == "null":
		lit.kind, lit.text = nNull, cand
	case len(cand) >= 2 && (cand[0] == '\'' || cand[0] == '"') && cand[len(cand)-1] == cand[0]:
		lit.kind, lit.text = nString, cand[1:len(cand)-1]
	case cand == "true" || cand == "false":
		lit.kind, lit.text = nBool, cand
	default:
		if _, err := strconv.ParseFloat(cand, 64); err != nil {
			return nil
		}
		lit.kind, lit.text = nNumber, cand
	}
	return lit
}

// mergeNodes merges b into a as lodash's merge does: mappings key by key,
// lists index by index, and otherwise b.
func mergeNodes(a, b *node) *node {
	switch {
	case a == nil:
		return b
	case a.kind == nMap && b.kind == nMap && a.tag == "" && b.tag == "":
		out := *a
		out.keys = append([]*node(nil), a.keys...)
		out.items = append([]*node(nil), a.items...)
		for i, k := range b.keys {
			found := false
			for j, ok := range out.keys {
				if ok.text == k.text {
					out.items[j] = mergeNodes(out.items[j], b.items[i])
					found = true
					break
				}
			}
			if !found {
				out.keys = append(out.keys, k)
				out.items = append(out.items, b.items[i])
			}
		}
		return &out
	case a.kind == nSeq && b.kind == nSeq && a.tag == "" && b.tag == "":
		out := *a
		out.items = append([]*node(nil), a.items...)
		for i, item := range b.items {
			if i < len(out.items) {
				out.items[i] = mergeNodes(out.items[i], item)
			} else {
				out.items = append(out.items, item)
			}
		}
		return &out
	}
	return b
}

// extensionTargets returns resources, the Resources of the template res,
// with the deployment bucket the Framework creates added when ext (the
// service's resources.extensions) gives it a CORS configuration, so that
// extend applies it: ServerlessDeploymentBucket, which the Framework
// makes unless provider.deploymentBucket names a bucket of the user's. An
// extension that gives CORS to a resource neither resources, the s3
// events nor the Framework declare gets a note: the Framework refuses it
// ("Cannot extend ... resource, as it's not found in generated stack"),
// a misspelt logical ID (S3BucketPhotos for the bucket of
// - s3: photo-uploads, S3BucketPhotouploads) most often.
func (sv *slsService) extensionTargets(res, resources, ext *node) *node {
	for i, k := range ext.keys {
		if keyIndex(resources, k.text) >= 0 || ext.items[i].get("Properties").get("CorsConfiguration") == nil {
			continue
		}
		db := sv.root.get("provider").get("deploymentBucket")
		if k.text == "ServerlessDeploymentBucket" && !(db != nil && (db.kind == nString || db.get("name") != nil)) {
			c := *resources
			c.keys = append(slices.Clip(c.keys), &node{kind: nString, text: k.text, src: k.src, off: k.off})
			c.items = append(slices.Clip(c.items), &node{kind: nMap, src: k.src, off: k.off,
				keys:  []*node{{kind: nString, text: "Type", src: k.src, off: k.off}},
				items: []*node{{kind: nString, text: "AWS::S3::Bucket", src: k.src, off: k.off}}})
			resources = &c
			if j := keyIndex(res, "Resources"); j >= 0 {
				res.items[j] = resources
			} else {
				res.keys = append(slices.Clip(res.keys), &node{kind: nString, text: "Resources", src: k.src, off: k.off})
				res.items = append(slices.Clip(res.items), resources)
			}
			continue
		}
		sv.note(k, "resources.extensions gives "+k.text+" a CORS configuration, but neither resources nor the s3 events declare "+k.text+
			": the Framework refuses it (\"Cannot extend \""+k.text+"\" resource, as it's not found in generated stack\")")
	}
	return resources
}

// extend applies resources.extensions to the Resources they name: their
// Properties assigned over the resource's, and the attributes the
// Framework sets (Condition, DeletionPolicy, ...) in place.
func extend(resources, ext *node) {
	for i, k := range ext.keys {
		j := keyIndex(resources, k.text)
		if j < 0 || resources.items[j].kind != nMap || ext.items[i].kind != nMap {
			continue
		}
		r := *resources.items[j]
		r.keys = append([]*node(nil), r.keys...)
		r.items = append([]*node(nil), r.items...)
		e := ext.items[i]
		for a, attr := range e.keys {
			v := e.items[a]
			if attr.text == "Properties" && v.kind == nMap {
				props := &node{kind: nMap, src: attr.src, off: attr.off}
				if p := keyIndex(&r, "Properties"); p >= 0 && r.items[p].kind == nMap {
					props = r.items[p]
				}
				v = assign(props, v)
			}
			if p := keyIndex(&r, attr.text); p >= 0 {
				r.items[p] = v
			} else {
				r.keys = append(r.keys, attr)
				r.items = append(r.items, v)
			}
		}
		resources.items[j] = &r
	}
}

// assign returns a copy of the mapping a with the members of b set over
// its own, as Object.assign does.
func assign(a, b *node) *node {
	out := *a
	out.keys = append([]*node(nil), a.keys...)
	out.items = append([]*node(nil), a.items...)
	for i, k := range b.keys {
		if j := keyIndex(&out, k.text); j >= 0 {
			out.items[j] = b.items[i]
		} else {
			out.keys = append(out.keys, k)
			out.items = append(out.items, b.items[i])
		}
	}
	return &out
}

// keyIndex returns the index of key in the mapping n, or -1 (also when
// n is nil).
func keyIndex(n *node, key string) int {
	if n == nil {
		return -1
	}
	for i, k := range n.keys {
		if k.text == key {
			return i
		}
	}
	return -1
}

// stripNulls takes the members whose value is null out of the mapping n
// and of the mappings in it, in place: n is a copy the merge made, or a
// node of this input alone.
func stripNulls(n *node) {
	switch n.kind {
	case nMap:
		keys, items := n.keys[:0:0], n.items[:0:0]
		for i, v := range n.items {
			if v.kind == nNull && v.tag == "" && v.unknown == "" {
				continue
			}
			stripNulls(v)
			keys, items = append(keys, n.keys[i]), append(items, v)
		}
		n.keys, n.items = keys, items
	case nSeq:
		for _, v := range n.items {
			stripNulls(v)
		}
	}
}
