package bucket

import (
	"cmp"
	"math/bits"
	"slices"
)

// globTrie finds, among many wildcard origins, the few that may admit an
// origin, so that a configuration with hundreds of them costs about what
// one with a handful does. Each wildcard origin is filed under its
// literal text on one side of the "*": its key. The trie of prefixes
// (fromEnd false) is walked from the start of the origin, the trie of
// suffixes from its end; both are radix trees whose nodes spell a key,
// so a walk reads each byte of the origin at most once, and visits only
// the nodes whose key the origin has at that end. The wildcard origins
// filed there are the candidates: each is then matched in full, since
// only its one side was compared.
//
// The zero globTrie is empty.
type globTrie struct {
	fromEnd bool
	// nodes[0] is the root, whose key is empty. The children of a node
	// are nodes[kids:], one for each byte in its set of leads (the byte
	// of a child's edge the walk meets first), in the order of those
	// bytes: the child a byte leads to is the one whose rank is the
	// number of smaller leads in the set. The set sits in the node, so
	// that a step down costs one load that depends on the last: a few
	// instructions, however many children there are.
	nodes []trieNode
	// rootLeads are the bytes a key may start with (from the walk's
	// end): an origin that starts with another needs no walk. No key is
	// empty ("*" is filed elsewhere), so the root holds no glob.
	rootLeads byteSet
	// globs lists, for each node, the wildcard origins filed under its
	// key: node.glob is the first entry, each entry's next the one after.
	globs []trieGlob
}

type trieNode struct {
	leads byteSet
	// edge is the text between the parent's key and the node's, in the
	// origin's order: it follows the parent's key in a prefix, precedes
	// it in a suffix.
	edge string
	kids int32
	glob int32 // first of the node's globs, -1 for none
}

// byteSet is a set of bytes, one bit each.
type byteSet [4]uint64

func (s *byteSet) add(c byte)      { s[c>>6] |= 1 << (c & 63) }
func (s *byteSet) has(c byte) bool { return s[c>>6]&(1<<(c&63)) != 0 }

// rank reports whether c is in s and how many bytes of s are smaller.
func (s *byteSet) rank(c byte) (int, bool) {
	w, bit := int(c>>6), uint64(1)<<(c&63)
	if s[w]&bit == 0 {
		return 0, false
	}
	n := bits.OnesCount64(s[w] & (bit - 1))
	for i := range w {
		n += bits.OnesCount64(s[i])
	}
	return n, true
}

type trieGlob struct {
	glob, next int32 // index into originIndex.globs; next entry, -1 for none
}

// newGlobTries files each wildcard origin under the longer of its two
// literal sides, the suffix when they are equally long: the longer side
// tells origins apart better, and origins differ more at their end (the
// host) than at their start (the scheme).
func newGlobTries(globs []originGlob) *globTries {
	prefixes := 0
	for i := range globs {
		if _, byPrefix := trieKey(&globs[i]); byPrefix {
			prefixes++
		}
	}
	// Each builder is sized for its own keys: sized for all, the two
	// made compiling the largest configuration allocate 7% more.
	p, s := newTrieBuilder(false, prefixes), newTrieBuilder(true, len(globs)-prefixes)
	for i := range globs {
		if key, byPrefix := trieKey(&globs[i]); byPrefix {
			p.insert(key, i)
		} else {
			s.insert(key, i)
		}
	}
	return &globTries{p.freeze(), s.freeze()}
}

// trieKey returns the side of g's pattern it is filed under, and whether
// that side is the prefix.
func trieKey(g *originGlob) (key string, byPrefix bool) {
	prefix, suffix := g.pattern.Sides()
	if len(prefix) > len(suffix) {
		return prefix, true
	}
	return suffix, false
}

// globTries are the two tries of a configuration's wildcard origins,
// built only when there are more than a few: a Config without them
// keeps only a nil pointer.
type globTries struct{ prefixes, suffixes globTrie }

// admitting adds to rules the rule of each glob that admits origin.
func (t *globTries) admitting(origin string, globs []originGlob, rules *ruleSet) {
	if t.prefixes.mayAdmit(origin) {
		t.prefixes.admitting(origin, globs, rules)
	}
	if t.suffixes.mayAdmit(origin) {
		t.suffixes.admitting(origin, globs, rules)
	}
}

// walk is the view of a text from one end, as the trie builder reads
// keys: lead is the first byte met, common the length of the run two
// texts share from that end, take and drop the first l bytes met and the
// rest.
type walk struct{ fromEnd bool }

func (w walk) lead(s string) byte {
	if w.fromEnd {
		return s[len(s)-1]
	}
	return s[0]
}

func (w walk) take(s string, l int) string {
	if w.fromEnd {
		return s[len(s)-l:]
	}
	return s[:l]
}

func (w walk) drop(s string, l int) string {
	if w.fromEnd {
		return s[:len(s)-l]
	}
	return s[l:]
}

func (w walk) common(a, b string) int {
	n := min(len(a), len(b))
	l := 0
	if w.fromEnd {
		for l < n && a[len(a)-1-l] == b[len(b)-1-l] {
			l++
		}
	} else {
		for l < n && a[l] == b[l] {
			l++
		}
	}
	return l
}

// trieBuilder builds a globTrie one key at a time, its children in lists
// (first child, next sibling; 0 for none, since the root is no one's
// child), which freeze then lays out side by side.
type trieBuilder struct {
	walk
	nodes []builderNode
	globs []trieGlob
}

type builderNode struct {
	edge        string
	lead        byte
	first, next int32
	glob        int32
}

// newTrieBuilder returns a builder for keys keys at most: its arrays are
// made large enough for them at once (a key adds two nodes at most: its
// own and the one splitting an edge).
func newTrieBuilder(fromEnd bool, keys int) *trieBuilder {
	b := &trieBuilder{walk: walk{fromEnd}, nodes: make([]builderNode, 1, 1+2*keys), globs: make([]trieGlob, 0, keys)}
	b.nodes[0].glob = -1
	return b
}

// child returns the child of node n whose edge starts with c, or 0.
func (b *trieBuilder) child(n int32, c byte) int32 {
	for k := b.nodes[n].first; k != 0; k = b.nodes[k].next {
		if b.nodes[k].lead == c {
			return k
		}
	}
	return 0
}

func (b *trieBuilder) addNode(parent int32, edge string) int32 {
	k := int32(len(b.nodes))
	b.nodes = append(b.nodes, builderNode{edge: edge, lead: b.lead(edge), next: b.nodes[parent].first, glob: -1})
	b.nodes[parent].first = k
	return k
}

// insert files glob under key.
func (b *trieBuilder) insert(key string, glob int) {
	n, rest := int32(0), key
	for rest != "" {
		k := b.child(n, b.lead(rest))
		if k == 0 {
			n = b.addNode(n, rest)
			break
		}
		edge := b.nodes[k].edge
		if l := b.common(rest, edge); l < len(edge) {
			// The key leaves the edge part way: the part they share
			// becomes a node of its own, between n and k.
			mid := b.addNode(n, b.take(edge, l))
			b.unlink(n, k)
			b.nodes[k].edge, b.nodes[k].next = b.drop(edge, l), 0
			b.nodes[k].lead = b.lead(b.nodes[k].edge)
			b.nodes[mid].first = k
			k, edge = mid, b.nodes[mid].edge
		}
		n, rest = k, b.drop(rest, len(edge))
	}
	b.globs = append(b.globs, trieGlob{glob: int32(glob), next: b.nodes[n].glob})
	b.nodes[n].glob = int32(len(b.globs) - 1)
}

// unlink removes k from the children of n.
func (b *trieBuilder) unlink(n, k int32) {
	at := &b.nodes[n].first
	for *at != k {
		at = &b.nodes[*at].next
	}
	*at = b.nodes[k].next
}

// freeze lays the nodes out breadth first, so that each node's children
// sit side by side, in the order of their leads.
func (b *trieBuilder) freeze() globTrie {
	t := globTrie{fromEnd: b.fromEnd, nodes: make([]trieNode, 0, len(b.nodes)), globs: b.globs}
	order := append(make([]int32, 0, len(b.nodes)), 0) // order[i] becomes node i
	for i := 0; i < len(order); i++ {
		n := &b.nodes[order[i]]
		node := trieNode{edge: n.edge, kids: int32(len(order)), glob: n.glob}
		for k := n.first; k != 0; k = b.nodes[k].next {
			order = append(order, k)
			node.leads.add(b.nodes[k].lead)
		}
		slices.SortFunc(order[node.kids:], func(x, y int32) int { return cmp.Compare(b.nodes[x].lead, b.nodes[y].lead) })
		t.nodes = append(t.nodes, node)
	}
	t.rootLeads = t.nodes[0].leads
	return t
}

// mayAdmit reports whether a glob filed in t may admit origin: false when
// no key starts with its first byte met. It is small enough to inline,
// and spares the walk for most origins no glob admits.
func (t *globTrie) mayAdmit(origin string) bool {
	return origin != "" && t.rootLeads.has(walk{t.fromEnd}.lead(origin))
}

// admitting adds to rules the rule of each glob filed in t that admits
// origin.
func (t *globTrie) admitting(origin string, globs []originGlob, rules *ruleSet) {
	if len(t.nodes) == 0 {
		return
	}
	// origin[lo:hi] is what the walk has not read yet.
	lo, hi := 0, len(origin)
	for n := &t.nodes[0]; ; {
		for e := n.glob; e >= 0; e = t.globs[e].next {
			if g := &globs[t.globs[e].glob]; !rules.has(g.rule) && g.pattern.Match(origin) {
				rules.add(g.rule)
			}
		}
		if lo == hi {
			return
		}
		lead := origin[lo]
		if t.fromEnd {
			lead = origin[hi-1]
		}
		i, ok := n.leads.rank(lead)
		if !ok {
			return
		}
		n = &t.nodes[n.kids+int32(i)]
		// An edge of one byte is its lead, which matched.
		if l := len(n.edge); l == 1 {
			if t.fromEnd {
				hi--
			} else {
				lo++
			}
		} else if l > hi-lo {
			return
		} else if t.fromEnd {
			if origin[hi-l:hi] != n.edge {
				return
			}
			hi -= l
		} else {
			if origin[lo:lo+l] != n.edge {
				return
			}
			lo += l
		}
	}
}
