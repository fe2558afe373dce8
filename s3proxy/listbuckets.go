package s3proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// maxBucketEntry bounds the bytes of one <Bucket> entry of a ListBuckets
// answer that the proxy holds while it waits for the entry's end. S3's
// hold a name of at most 63 characters, a date and a region: about 150
// bytes.
const maxBucketEntry = 16 << 10

// hideConfigBucket makes res, the upstream's 200 answer to a ListBuckets,
// leave out the config bucket, which clients cannot reach through the
// proxy and which a store without the proxy would not have: its <Bucket>
// entry is dropped as the body streams through, every other byte passed
// as it came. The answer loses its Content-Length (it goes out chunked).
// A page that held the config bucket holds one bucket fewer than
// max-buckets asked for, and may hold none, with the ContinuationToken of
// the next; S3's clients page on the token, not the count.
//
// An answer the proxy cannot read is passed as it is, naming the config
// bucket, with a warning: one whose Content-Encoding is not identity (the
// proxy passes the client's Accept-Encoding, which a signature may cover,
// to the upstream), and the rest of one with an entry longer than
// maxBucketEntry, which S3's never are.
func (p *Proxy) hideConfigBucket(res *http.Response) {
	if res.Body == nil || res.Body == http.NoBody {
		return
	}
	if enc := res.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		p.log.Warn("a ListBuckets answer is encoded, so passed as it is: it names the config bucket",
			"content-encoding", enc, "config_bucket", p.opts.ConfigBucket)
		return
	}
	res.Body = &bucketListFilter{ReadCloser: res.Body, hide: []byte(p.opts.ConfigBucket), giveUp: func() {
		p.log.Warn("a ListBuckets answer holds an entry longer than the proxy reads; the rest is passed as it is, and may name the config bucket",
			"max_entry_bytes", maxBucketEntry, "config_bucket", p.opts.ConfigBucket)
	}}
	res.Header.Del("Content-Length")
	res.ContentLength = -1
}

// The markup bucketListFilter looks for.
var (
	tagBuckets      = []byte("<Buckets>")
	tagBucketsEnd   = []byte("</Buckets>")
	tagBucket       = []byte("<Bucket>")
	tagBucketEnd    = []byte("</Bucket>")
	tagName, tagEnd = []byte("<Name>"), []byte("</Name>")
)

// The parts of a ListBuckets answer.
const (
	beforeBuckets = iota // up to <Buckets>
	inBuckets            // up to </Buckets>
	afterBuckets         // the rest, or all once the filter gave up
)

// bucketListFilter passes a ListBuckets answer on without the <Bucket>
// entries, in <Buckets>, whose <Name> is hide (in any case, as the proxy
// refuses the name in any case), holding at most an entry and a read of
// the body. Text cannot hold "<" unescaped, so the markup it looks for is
// markup wherever it is.
type bucketListFilter struct {
	io.ReadCloser
	hide   []byte
	giveUp func() // called when an entry is past maxBucketEntry

	part    int
	pending []byte // read, not yet passed on or dropped
	out     []byte // passed on, not yet read
	outBuf  []byte // where out is made
	buf     []byte // the body's reads
	err     error  // the body's error, once read
}

// Read reads the body in blocks until scan has something to pass on,
// so a Read may return fewer bytes than were read from the body; the
// body's error comes once everything before it has been read.
func (f *bucketListFilter) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		if f.buf == nil {
			f.buf = make([]byte, 32<<10)
		}
		n, err := f.ReadCloser.Read(f.buf)
		f.pending = append(f.pending, f.buf[:n]...)
		f.err = err
		f.scan(err != nil)
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

// scan moves what can be told of pending to out, leaving in pending the
// beginning of markup it cannot tell yet; at the end (last), everything.
func (f *bucketListFilter) scan(last bool) {
	b, out := f.pending, f.outBuf[:0]
	defer func() { f.outBuf, f.out = out, out }()
	for len(b) > 0 {
		var wait bool
		switch f.part {
		case beforeBuckets:
			b, out, wait = f.scanBeforeBuckets(b, out, last)
		case inBuckets:
			b, out, wait = f.scanInBuckets(b, out, last)
		default:
			out, b = append(out, b...), nil
		}
		if wait {
			return
		}
	}
	f.keep(nil)
}

// scanBeforeBuckets passes on b, the answer before <Buckets>, up to and
// including <Buckets>, and moves to inBuckets when it finds it. Without
// it, it passes on all but what may begin "<Buckets>", which it keeps in
// pending and reports wait, so that the tag is found however the body
// came in pieces; at the end (last), it passes on everything.
func (f *bucketListFilter) scanBeforeBuckets(b, out []byte, last bool) (rest, passed []byte, wait bool) {
	i := bytes.Index(b, tagBuckets)
	if i < 0 {
		// Keep what may begin "<Buckets>".
		keep := 0
		if !last {
			keep = min(len(b), len(tagBuckets)-1)
		}
		out, b = append(out, b[:len(b)-keep]...), b[len(b)-keep:]
		if keep > 0 {
			f.keep(b)
			return b, out, true
		}
		return b, out, false
	}
	i += len(tagBuckets)
	out, b = append(out, b[:i]...), b[i:]
	f.part = inBuckets
	return b, out, false
}

// scanInBuckets takes one step through b, inside <Buckets>: the text up
// to the next "<", then the markup there. A whole <Bucket> entry is
// passed on unless it names the bucket to hide; </Buckets> moves to
// afterBuckets. What cannot be told yet (an entry without its end, or
// markup too short to tell) is kept in pending, and wait reported.
//
// An entry past maxBucketEntry gives up, passing the rest as it is,
// whether or not its end has come, so that the answer never depends on
// how the body came in pieces; so does a body cut short in an entry.
func (f *bucketListFilter) scanInBuckets(b, out []byte, last bool) (rest, passed []byte, wait bool) {
	i := bytes.IndexByte(b, '<')
	if i < 0 {
		return nil, append(out, b...), false
	}
	out, b = append(out, b[:i]...), b[i:]
	switch {
	case bytes.HasPrefix(b, tagBucket):
		end := bytes.Index(b, tagBucketEnd)
		switch {
		case end >= 0 && end+len(tagBucketEnd) > maxBucketEntry, end < 0 && len(b) > maxBucketEntry:
			// Past the bound however the body came in
			// pieces, so that the answer never depends on them.
			f.giveUp()
			f.part = afterBuckets
		case end >= 0:
			entry := b[:end+len(tagBucketEnd)]
			if !f.hidden(entry) {
				out = append(out, entry...)
			}
			b = b[len(entry):]
		case last:
			f.part = afterBuckets // a body cut short: as it is
		default:
			f.keep(b)
			return b, out, true
		}
	case bytes.HasPrefix(b, tagBucketsEnd):
		out, b = append(out, tagBucketsEnd...), b[len(tagBucketsEnd):]
		f.part = afterBuckets
	case !last && len(b) < len(tagBucketsEnd) &&
		(bytes.HasPrefix(tagBucket, b) || bytes.HasPrefix(tagBucketsEnd, b)):
		f.keep(b) // too short to tell
		return b, out, true
	default:
		out, b = append(out, '<'), b[1:]
	}
	return b, out, false
}

// keep makes b, the end of pending, all of pending.
func (f *bucketListFilter) keep(b []byte) {
	f.pending = append(f.pending[:0], b...)
}

// hidden reports whether entry, a whole <Bucket> element, names the
// bucket to hide.
func (f *bucketListFilter) hidden(entry []byte) bool {
	_, rest, ok := bytes.Cut(entry, tagName)
	if !ok {
		return false
	}
	name, _, ok := bytes.Cut(rest, tagEnd)
	return ok && bytes.EqualFold(bytes.TrimSpace(name), f.hide)
}
