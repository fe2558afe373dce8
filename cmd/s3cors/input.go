package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// source is one configuration to read: a file, standard input or the
// embedded example.
type source struct {
	name string // how output names it
	path string // the file; "" for standard input and the example
	// implicit is standard input read because no FILE was given: empty,
	// it is a usage mistake rather than an empty document.
	implicit bool
	open     func() (io.Reader, func() error, error)
}

// errNoInput is standard input read for want of a FILE, and empty.
var errNoInput = errors.New(`no FILE given, and standard input is empty (give FILE, "-" for standard input, or --example)`)

// sources turns the FILE arguments, or --example, into sources. FILE "-"
// is standard input, which may be named once. Without FILE, standard input
// is read when it is not a terminal, as gofmt does ("cat cors.json |
// s3cors validate").
func (c *command) sources(files []string, example bool, stdin io.Reader) ([]source, int, bool) {
	switch {
	case example && len(files) > 0:
		return nil, c.usageError("--example replaces FILE; give one or the other"), false
	case example:
		return []source{exampleSource()}, 0, true
	case len(files) == 0 && isTerminal(stdin):
		return nil, c.usageError(`no FILE given (use "-" for standard input, or --example)`), false
	case len(files) == 0:
		src := fileSource("-", stdin)
		src.implicit = true
		return []source{src}, 0, true
	}
	if stdins := len(slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f != "-" })); stdins > 1 {
		return nil, c.usageError(`standard input ("-") can be read only once`), false
	}
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = fileSource(f, stdin)
	}
	return srcs, 0, true
}

// isTerminal reports whether r is a terminal, or nothing at all: what a
// command without FILE must not wait on. Like gofmt, anything else
// (a pipe, a file) is read; a character device other than a terminal,
// such as /dev/null, counts as one, so that "s3cors validate </dev/null"
// asks for a FILE.
func isTerminal(r io.Reader) bool {
	if r == nil {
		return true
	}
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func exampleSource() source {
	return source{name: exampleName, open: func() (io.Reader, func() error, error) {
		return bytes.NewReader(exampleJSON), nil, nil
	}}
}

func fileSource(path string, stdin io.Reader) source {
	if path == "-" {
		return source{name: stdinName, open: func() (io.Reader, func() error, error) {
			if stdin == nil {
				return bytes.NewReader(nil), nil, nil
			}
			return stdin, nil, nil
		}}
	}
	return source{name: path, path: path, open: func() (io.Reader, func() error, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			f.Close()
			return nil, nil, errIsDir
		}
		return f, f.Close, nil
	}}
}

var errIsDir = errors.New("is a directory, not a configuration file")

// readLimit bounds what is read of one input: one byte more than the
// largest form allows (S3 console and AWS CLI JSON), so that the
// decoders see an input too large and refuse it as they do when reading.
const readLimit = xmlconfig.MaxJSONSize + 1

// read reads src, up to readLimit bytes.
func (src source) read() ([]byte, error) {
	r, closeFn, err := src.open()
	if err != nil {
		return nil, plainError(err)
	}
	data, err := io.ReadAll(io.LimitReader(r, readLimit))
	if closeFn != nil {
		closeFn()
	}
	if err != nil {
		return nil, plainError(err)
	}
	if src.implicit && len(bytes.TrimSpace(data)) == 0 {
		return nil, errNoInput
	}
	return data, nil
}

// plainError says what went wrong with a file in words, without the
// operation and the path that *fs.PathError adds ("open x: no such file
// or directory"): the caller names the file once.
func plainError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// loaded is a configuration read and judged as S3's PutBucketCors would.
type loaded struct {
	name string
	// format is the form of the document, known from its first
	// character even when it does not decode; 0 when it is none.
	format xmlconfig.Format
	doc    *xmlconfig.Document // nil when the document did not decode or could not be read
	// problems is S3's verdict, in the order S3 reports: the decoder's
	// problems, or, for a document that decoded, bucket.Problems. Empty
	// when S3 would accept the configuration.
	problems []*s3err.Error
	err      error // the input could not be read; its message does not name it
}

func (l *loaded) valid() bool { return l.err == nil && len(l.problems) == 0 }

// loadValid loads src for a verb that needs a valid configuration. On an
// I/O error, or on S3's refusal, which it prints as validate would, it
// returns false and the exit status to end with.
func (c *command) loadValid(src source, stdout io.Writer, asJSON bool) (*loaded, int, bool) {
	l := load(src)
	switch {
	case l.err != nil:
		c.ioError(l.name, l.err)
		return nil, exitUsage, false
	case !l.valid():
		if asJSON {
			writeJSON(stdout, invalidJSON(l))
		} else {
			writeVerdict(stdout, l, false)
		}
		return nil, exitInvalid, false
	}
	return l, exitOK, true
}

// load reads and judges src. Reading is bounded (see readLimit).
func load(src source) *loaded {
	l := &loaded{name: src.name}
	data, err := src.read()
	if err != nil {
		l.err = err
		return l
	}
	l.format = xmlconfig.Detect(data)
	doc, err := xmlconfig.Decode(bytes.NewReader(data))
	if err != nil {
		if l.problems = xmlconfig.Problems(err); len(l.problems) == 0 {
			l.err = err
		}
		return l
	}
	l.doc = doc
	for _, e := range bucket.Problems(doc.Rules) {
		if e.Line == 0 && e.Rule > 0 && e.Rule <= len(doc.RulePositions) {
			located := *e
			p := doc.RulePositions[e.Rule-1]
			located.Line, located.Column = p.Line, p.Column
			e = &located
		}
		l.problems = append(l.problems, e)
	}
	return l
}

// forEachFile runs the loop of the verbs that judge each configuration
// of FILE... (or --example) on its own: it parses args, loads each
// configuration in turn, reports on standard error one that cannot be
// read, and gives every one to judge, which prints what it finds and
// returns the file's exit status (exitOK or exitInvalid) and, with
// --json, its member of the "files" array printed at the end. The exit
// status is the worst of all: exitUsage when a FILE could not be read.
func (c *command) forEachFile(args []string, stdin io.Reader, example, asJSON *bool, judge func(l *loaded) (code int, jsonFile any)) int {
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	srcs, code, ok := c.sources(files, *example, stdin)
	if !ok {
		return code
	}
	var out struct {
		Files []any `json:"files"`
	}
	for _, src := range srcs {
		l := load(src)
		if l.err != nil {
			c.ioError(l.name, l.err)
			code = exitUsage
		}
		fileCode, jsonFile := judge(l)
		code = max(code, fileCode)
		if *asJSON {
			out.Files = append(out.Files, jsonFile)
		}
	}
	if *asJSON {
		writeJSON(c.stdout, out)
	}
	return code
}
