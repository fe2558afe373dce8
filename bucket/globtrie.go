package bucket

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/internal/ascii"
)

// globTrie finds, among many wildcard origins, the few that may admit an
// origin, so that a configuration with hundreds of them costs about what
// one with a handful does. Each wildcard origin is filed under its
// literal text on one side of the "*": its key. The trie of prefixes
// (fromEnd false) is walked from the start of the origin, the trie of
// suffixes from its end; both are radix trees whose nodes spell a key.
//
// The walk reads the first byte of each edge, to choose the child, and
// of an edge of eight bytes or more the eight farthest from its start,
// in one comparison; it steps over the rest unread. A step thus costs a
// few instructions and no call, however long the edge, and an origin is
// turned away at the first byte no key has in its place (most are, at
// the root). Since bytes were stepped over, an origin the walk leads to
// a node need not have the node's key: a node that holds wildcard
// origins compares its whole key once before trying them, and each is
// then matched in full, since only its one side was compared. An origin
// that has a key is led to that key's node, as every byte the walk
// reads is the key's own.
//
// The nodes sit in one array as a double-array trie: the child a byte c
// leads to is the node at base+c, where base is its parent's, if that
// node names the parent as its own; each node's base is chosen when the
// trie is built so that its children land on free places. A step down
// is then an addition and a comparison, with no search among children.
//
// A globTrie is made by trieBuilder.freeze, and always holds its root.
type globTrie struct {
	fromEnd bool
	// nodes[0] is the root, whose key is empty. No key is empty ("*" is
	// filed elsewhere), so the root holds no glob. A place no node holds
	// has parent 0, which names no node.
	nodes []trieNode
	// globs lists, for each node, the wildcard origins filed under its
	// key: node.glob is the first entry, each entry's next the one after.
	globs []trieGlob
}

// trieNode is one node of a globTrie. parent, base and edge, which
// every step of the walk reads, are unsigned: the compiler loads those
// straight from an indexed place, and a signed one takes it an extra
// instruction or two.
type trieNode struct {
	// far holds the eight bytes of the node's edge farthest from the
	// walk's start, in the origin's order, when the edge has eight: the
	// walk compares them, in one comparison, rather than step over them,
	// so that it leaves a long shared text as soon as the origin does.
	far uint64
	// parent is 1 + the index of the node's parent, 0 for a free place.
	parent uint32
	// base is where the node's children are: the child a byte c leads
	// to is nodes[base+c], the sum taken modulo 2^32. A base is below
	// zero, modulo 2^32, when the node's children sit at places lower
	// than their bytes: for a byte from the smallest child's up, the sum
	// overflows to a place in the array; for a smaller byte it stays
	// near 2^32, past every place.
	base uint32
	// edge is the length of the text between the parent's key and the
	// node's, with the bit stop set when the walk cannot just step over
	// it: the edge has eight bytes or more, whose far ones it compares,
	// or the node holds globs. Set, the bit makes edge larger than any
	// origin, so that one comparison tells a step it may step over the
	// edge. (Origins reach the walk only up to MaxHeaderValueLen bytes,
	// far below the bit.)
	edge uint32
	glob int32 // first of the node's globs, -1 for none
}

// stop is the bit of trieNode.edge that stops the walk at a node.
const stop = 1 << 31

type trieGlob struct {
	key        string // the node's whole key, in the origin's order
	glob, next int32  // index into originIndex.globs; next entry, -1 for none
}

// newGlobTries files each wildcard origin under the longer of its two
// literal sides, the suffix when they are equally long: the longer side
// tells origins apart better, and origins differ more at their end (the
// host) than at their start (the scheme). Wildcard origins that share
// their longer side, as https://t1-*.preview.example.com and
// https://t2-*.preview.example.com do, would all be tried in turn at
// that side's node: when more than maxLinearGlobs share a key, each
// wildcard origin is filed again, under its other side where fewer share
// that (see lessSharedSide).
func newGlobTries(globs []originGlob) *globTries {
	tries, crowded := fileGlobs(globs, func(i int) (string, bool) {
		prefix, suffix := globs[i].pattern.Sides()
		return longerSide(prefix, suffix)
	})
	if crowded {
		tries, _ = fileGlobs(globs, lessSharedSide(globs))
	}
	return tries
}

// longerSide returns the longer of a wildcard origin's two sides, the
// suffix when they are equally long, and whether it is the prefix.
func longerSide(prefix, suffix string) (key string, byPrefix bool) {
	if len(prefix) > len(suffix) {
		return prefix, true
	}
	return suffix, false
}

// lessSharedSide returns, for the i-th of globs, the side it is filed
// under and whether that is the prefix: its longer side, unless more
// than maxLinearGlobs share that side and fewer share the other, which
// is not empty. Both sides are shared by many only when the wildcard
// origins cross many prefixes with many suffixes; they are then tried in
// turn as before. Only configurations with such crowds pay for the
// counts.
func lessSharedSide(globs []originGlob) func(i int) (string, bool) {
	prefixes, suffixes := make(map[string]int, len(globs)), make(map[string]int, len(globs))
	for i := range globs {
		prefix, suffix := globs[i].pattern.Sides()
		prefixes[prefix]++
		suffixes[suffix]++
	}
	return func(i int) (string, bool) {
		prefix, suffix := globs[i].pattern.Sides()
		key, byPrefix := longerSide(prefix, suffix)
		shared, otherKey, otherShared := suffixes[suffix], prefix, prefixes[prefix]
		if byPrefix {
			shared, otherKey, otherShared = prefixes[prefix], suffix, suffixes[suffix]
		}
		if shared > maxLinearGlobs && otherKey != "" && otherShared < shared {
			return otherKey, !byPrefix
		}
		return key, byPrefix
	}
}

// fileGlobs builds the tries with each of globs filed under the side
// side(i) returns, and reports whether more than maxLinearGlobs of them
// share a key.
func fileGlobs(globs []originGlob, side func(i int) (key string, byPrefix bool)) (tries *globTries, crowded bool) {
	prefixes := 0
	for i := range globs {
		if _, byPrefix := side(i); byPrefix {
			prefixes++
		}
	}
	// Each builder is sized for its own keys: sized for all, the two
	// made compiling the largest configuration allocate 7% more.
	p, s := newTrieBuilder(false, prefixes), newTrieBuilder(true, len(globs)-prefixes)
	for i := range globs {
		if key, byPrefix := side(i); byPrefix {
			p.insert(key, i)
		} else {
			s.insert(key, i)
		}
	}
	return &globTries{p.freeze(), s.freeze()}, p.crowded || s.crowded
}

// globTries are the two tries of a configuration's wildcard origins,
// built only when there are more than a few: a Config without them
// keeps only a nil pointer.
type globTries struct{ prefixes, suffixes globTrie }

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

// common returns the length of the run of bytes a and b share, read from
// w's end: how far a new key follows an existing edge of the trie.
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
	// crowded is set once more than maxLinearGlobs are filed under one
	// key.
	crowded bool
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

// addNode adds a node under parent whose edge is edge, first in parent's
// list of children, and returns its index.
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
	if !b.crowded {
		// The count stops at maxLinearGlobs: an insert costs at most
		// that many steps, however many globs share its key.
		filed := 0
		for e := b.nodes[n].glob; e >= 0 && filed < maxLinearGlobs; e = b.globs[e].next {
			filed++
		}
		b.crowded = filed == maxLinearGlobs
	}
	b.globs = append(b.globs, trieGlob{key: key, glob: int32(glob), next: b.nodes[n].glob})
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

// freeze places the nodes in the double array, breadth first, each
// node's children at a base where all of them find a free place (see
// placer).
func (b *trieBuilder) freeze() globTrie {
	t := globTrie{fromEnd: b.fromEnd, globs: b.globs}
	if len(b.nodes) == 1 {
		// No key: the root alone, without the room for children that
		// would make an empty trie hold 6 KiB.
		t.nodes = []trieNode{{glob: -1}}
		return t
	}
	t.nodes = make([]trieNode, 1, len(b.nodes)+len(b.nodes)/4+256)
	t.nodes[0] = trieNode{glob: -1}
	pl := placer{held: make([]uint64, 1, cap(t.nodes)/64+1), free: 1}
	pl.held[0] = 1 // the root's
	// at[i] is the place of node order[i].
	order, at := make([]int32, 1, len(b.nodes)), make([]int32, 1, len(b.nodes))
	var buf [256]byte
	for i := 0; i < len(order); i++ {
		leads := buf[:0]
		for k := b.nodes[order[i]].first; k != 0; k = b.nodes[k].next {
			leads = append(leads, b.nodes[k].lead)
		}
		if len(leads) == 0 {
			continue
		}
		slices.Sort(leads)
		base := pl.place(leads)
		if end := base + int(leads[len(leads)-1]) + 1; end > len(t.nodes) {
			t.nodes = append(t.nodes, make([]trieNode, end-len(t.nodes))...)
		}
		parent := at[i]
		t.nodes[parent].base = uint32(base)
		for k := b.nodes[order[i]].first; k != 0; k = b.nodes[k].next {
			n := &b.nodes[k]
			node := trieNode{parent: uint32(parent) + 1, edge: uint32(len(n.edge)), glob: n.glob}
			if len(n.edge) >= 8 || n.glob >= 0 {
				node.edge |= stop
			}
			if len(n.edge) >= 8 {
				far := n.edge[len(n.edge)-8:]
				if b.fromEnd {
					far = n.edge[:8]
				}
				node.far = ascii.Word(far)
			}
			t.nodes[base+int(n.lead)] = node
			order, at = append(order, k), append(at, int32(base+int(n.lead)))
		}
	}
	return t
}

// placer finds where the children of each node go in a double array,
// with a bit for each place held.
type placer struct {
	held []uint64
	free int // no place below it is free
}

// maxPlaceTries bounds the free places placer.place tries for a node's
// first child before it puts the children past the last place held: a
// hostile set of keys, whose nodes each have children spread over many
// bytes, costs that much time at most, and leaves some places unused.
const maxPlaceTries = 1024

// place returns a base at which every byte of leads (sorted, not empty)
// leads to a free place, trying each free place in turn for the first,
// and holds the places.
func (pl *placer) place(leads []byte) int {
	// spread has a bit for each lead, at its distance from the first,
	// so that a base is tried in a few word operations however many
	// leads there are.
	var spread [4]uint64
	for _, c := range leads {
		d := c - leads[0]
		spread[d>>6] |= 1 << (d & 63)
	}
	words := int(leads[len(leads)-1]-leads[0])>>6 + 1
	pl.free = pl.nextFree(pl.free)
	first := pl.free
	for tries := 1; !pl.fit(first, spread[:words]); tries++ {
		if tries == maxPlaceTries {
			first = len(pl.held) * 64
			break
		}
		first = pl.nextFree(first + 1)
	}
	for _, c := range leads {
		p := first + int(c-leads[0])
		for p>>6 >= len(pl.held) {
			pl.held = append(pl.held, 0)
		}
		pl.held[p>>6] |= 1 << (p & 63)
	}
	return first - int(leads[0])
}

// fit reports whether the places from p on that spread marks are free.
func (pl *placer) fit(p int, spread []uint64) bool {
	for i, m := range spread {
		if pl.window(p+64*i)&m != 0 {
			return false
		}
	}
	return true
}

// window returns the bits of the 64 places from p on.
func (pl *placer) window(p int) uint64 {
	w, r := p>>6, uint(p&63)
	var lo, hi uint64
	if w < len(pl.held) {
		lo = pl.held[w] >> r
	}
	if r != 0 && w+1 < len(pl.held) {
		hi = pl.held[w+1] << (64 - r)
	}
	return lo | hi
}

// nextFree returns the first free place from p on.
func (pl *placer) nextFree(p int) int {
	for w := p >> 6; w < len(pl.held); w++ {
		free := ^pl.held[w]
		if w == p>>6 {
			free &^= 1<<(p&63) - 1
		}
		if free != 0 {
			return w<<6 + bits.TrailingZeros64(free)
		}
	}
	return max(p, len(pl.held)*64)
}

// leads returns the place of the child of the root that c leads to, or
// 0, the root's, for none. It is small enough to inline: an origin's
// first byte, from the end a trie is walked from, turns away many of the
// origins no glob admits without the call of the walk.
func (t *globTrie) leads(c byte) uint {
	if child := uint(t.nodes[0].base + uint32(c)); child < uint(len(t.nodes)) && t.nodes[child].parent == 1 {
		return child
	}
	return 0
}

// holds reports whether origin has room for the edge of node n, a child
// of the root of t, a trie of prefixes, and holds its far bytes when it
// has eight or more. Every origin enters that trie by its scheme's first byte,
// so it is this test that turns most away there; like leads, it is
// small enough to inline, and spares them the call of the walk.
func (t *globTrie) holds(origin string, n uint) bool {
	node := &t.nodes[n]
	edge := int(node.edge &^ stop)
	return edge <= len(origin) && (edge < 8 || ascii.WordAt(origin, edge-8) == node.far)
}

// admitting adds to rules the rule of each glob filed in t that admits
// origin, from node n on: n holds globs, and descend led to it with
// read bytes of origin passed.
func (t *globTrie) admitting(origin string, n uint, read int, globs []originGlob, rules *ruleSet) {
	for n != 0 {
		node := &t.nodes[n]
		t.tryGlobs(node, origin, globs, rules)
		if read == len(origin) {
			return
		}
		c := origin[read]
		if t.fromEnd {
			c = origin[len(origin)-1-read]
		}
		n, read = t.descend(origin, uint(node.base+uint32(c)), uint32(n)+1, read)
	}
}

// descend walks from place child, where the walk comes with read bytes
// of origin passed from the node whose id (1 + its place) is given, to
// the first node that holds globs, and returns it and the bytes then
// passed; or 0, the root's place, when no key from child on may be in
// origin. A step checks that the place it comes to holds a child of the
// node it leaves, and that origin has room for the child's edge, which
// it steps over in one comparison unless the edge is long or the child
// holds globs (see trieNode.edge); it reads the byte past the edge to
// find the next place. It calls nothing, so that the walk's values stay
// in registers.
func (t *globTrie) descend(origin string, child uint, id uint32, read int) (uint, int) {
	nodes := t.nodes
	if t.fromEnd {
		// rest is the part of origin still to walk: the walk reads it
		// from its end, and each step cuts an edge off.
		for rest := origin[:len(origin)-read]; child < uint(len(nodes)); {
			node := &nodes[child]
			edge := uint(node.edge)
			if node.parent != id {
				return 0, 0
			}
			if edge > uint(len(rest)) {
				if edge &^= stop; edge > uint(len(rest)) {
					return 0, 0
				}
				rest = rest[:uint(len(rest))-edge]
				if edge >= 8 && ascii.WordAt(origin, len(rest)) != node.far {
					return 0, 0
				}
				if node.glob >= 0 {
					return child, len(origin) - len(rest)
				}
			} else {
				rest = rest[:uint(len(rest))-edge]
			}
			if rest == "" {
				return 0, 0
			}
			id, child = uint32(child)+1, uint(node.base+uint32(rest[len(rest)-1]))
		}
		return 0, 0
	}
	for child < uint(len(nodes)) {
		node := &nodes[child]
		edge := uint(node.edge)
		if node.parent != id {
			return 0, 0
		}
		if edge > uint(len(origin)-read) {
			if edge &^= stop; edge > uint(len(origin)-read) {
				return 0, 0
			}
			read += int(edge)
			if edge >= 8 && ascii.WordAt(origin, read-8) != node.far {
				return 0, 0
			}
			if node.glob >= 0 {
				return child, read
			}
		} else {
			read += int(edge)
		}
		if read == len(origin) {
			return 0, 0
		}
		id, child = uint32(child)+1, uint(node.base+uint32(origin[read]))
	}
	return 0, 0
}

// tryGlobs adds to rules the rule of each glob of node n that admits
// origin, when origin has n's key at the trie's end: the walk that led
// to n compared only some of its bytes.
func (t *globTrie) tryGlobs(n *trieNode, origin string, globs []originGlob, rules *ruleSet) {
	if key := t.globs[n.glob].key; t.fromEnd && !strings.HasSuffix(origin, key) || !t.fromEnd && !strings.HasPrefix(origin, key) {
		return
	}
	for e := n.glob; e >= 0; e = t.globs[e].next {
		if g := &globs[t.globs[e].glob]; !rules.has(g.rule) && g.pattern.Match(origin) {
			rules.add(g.rule)
		}
	}
}
