package hostile

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var writeCorpus = flag.Bool("write-fuzz-corpus", false,
	"write the seed corpora of the package's fuzz targets from testdata/hostile, instead of checking them")

// corpusPrefix starts the name of every corpus file made from the
// catalogue, so that the files the fuzzer itself adds are left alone.
const corpusPrefix = "hostile-"

// Corpus is the seed corpus files made from the catalogue for one
// package, by path (testdata/fuzz/TARGET/hostile-ID).
type Corpus map[string]string

// Add adds the corpus file of target for the catalogue entry id: the
// arguments of one call of the fuzz function, encoded as the go command
// encodes them.
func (c Corpus) Add(target, id string, args ...any) {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		case byte:
			fmt.Fprintf(&b, "byte(%q)\n", v)
		default:
			panic(fmt.Sprintf("hostile: no corpus encoding for %T", v))
		}
	}
	c[filepath.Join("testdata", "fuzz", target, corpusPrefix+id)] = b.String()
}

// Check checks that the package's corpus files made from the catalogue
// (those named hostile-*) are exactly c, for the fuzz targets c holds
// files for and those in targets; with -write-fuzz-corpus it writes them
// instead, removing the stale ones.
func (c Corpus) Check(t *testing.T, targets ...string) {
	t.Helper()
	for p := range c {
		targets = append(targets, filepath.Base(filepath.Dir(p)))
	}
	slices.Sort(targets)
	var stale []string
	for _, target := range slices.Compact(targets) {
		dir := filepath.Join("testdata", "fuzz", target)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if _, ok := c[p]; !ok && strings.HasPrefix(e.Name(), corpusPrefix) {
				stale = append(stale, p)
			}
		}
	}
	if *writeCorpus {
		for _, p := range stale {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		for p, data := range c {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %d corpus files", len(c))
		return
	}
	const fix = "run: go test -run TestHostileFuzzCorpus -write-fuzz-corpus"
	for _, p := range stale {
		t.Errorf("%s is not made from the catalogue any more; %s", p, fix)
	}
	paths := make([]string, 0, len(c))
	for p := range c {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != c[p] {
			t.Errorf("%s does not hold what the catalogue gives; %s", p, fix)
		}
	}
}

// Clip cuts s to n bytes: past the bounds a fuzz target checks, more
// bytes tell the fuzzer nothing new.
func Clip(s string, n int) string { return s[:min(len(s), n)] }
