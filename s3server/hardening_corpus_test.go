package s3server_test

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
	"write the seed corpora of the fuzz targets from testdata/hostile, instead of checking them")

// corpusDirs are the seed corpus directories built from the hostile
// catalogue, by fuzz target.
var corpusDirs = []string{
	"../xmlconfig/testdata/fuzz/FuzzDecode",
	"../corsrule/testdata/fuzz/FuzzValidate",
	"../bucket/testdata/fuzz/FuzzSplitNames",
	"../bucket/testdata/fuzz/FuzzEvaluate",
}

// corpusPrefix starts the name of every corpus file made here, so that
// the files the fuzzer itself adds are left alone.
const corpusPrefix = "hostile-"

// shrink keeps the structure of a generated body, its prefix, a few of
// its units and its suffix, without its size: the full sizes are sent
// by TestHostileConfigBodies, and a fuzzer's seed is better small.
func shrink(b hostileBody) []byte {
	if b.Text != nil {
		return b.bytes()
	}
	small := b
	small.Count, small.Fill, small.Length, small.Endless = 32, 0, 0, false
	return small.bytes()
}

// goFuzzValue encodes one argument of a corpus file, as the go command
// does.
func goFuzzValue(v any) string {
	switch v := v.(type) {
	case []byte:
		return fmt.Sprintf("[]byte(%q)", v)
	case string:
		return fmt.Sprintf("string(%q)", v)
	case byte:
		return fmt.Sprintf("byte(%q)", v)
	}
	panic(fmt.Sprintf("no corpus encoding for %T", v))
}

func corpusFile(args ...any) string {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		b.WriteString(goFuzzValue(a) + "\n")
	}
	return b.String()
}

// clip cuts s to n bytes: past the bounds the targets check, more bytes
// tell the fuzzer nothing new.
func clip(s string, n int) string { return s[:min(len(s), n)] }

// hostileCorpus returns the corpus files the catalogue gives, by path.
func hostileCorpus(t *testing.T) map[string]string {
	files := map[string]string{}
	add := func(dir, id string, args ...any) {
		files[filepath.Join(dir, corpusPrefix+id)] = corpusFile(args...)
	}

	var bodies []configBodyCase
	loadHostile(t, "config-bodies.json", &bodies)
	for _, c := range bodies {
		add(corpusDirs[0], c.ID, shrink(c.Body))
	}
	// No document over the limit: FuzzDecode holds every failure to be
	// MalformedXML, and one over 64 KiB is MaxMessageLengthExceeded.

	var reqs requestCatalogue
	loadHostile(t, "requests.json", &reqs)
	var origins, names []string
	for _, c := range reqs.Cases {
		h := map[string][]string{}
		for _, kv := range c.Headers {
			for range kv.Lines {
				h[kv.Name] = append(h[kv.Name], kv.Value)
			}
		}
		// An obs-fold line continues the header before it, as net/http
		// joins them: with a space.
		last := ""
		for _, raw := range c.Raw {
			line := string(raw)
			if line != "" && (line[0] == ' ' || line[0] == '\t') && last != "" {
				v := h[last]
				v[len(v)-1] += " " + strings.TrimLeft(line, " \t")
				continue
			}
			if k, v, ok := strings.Cut(line, ":"); ok {
				last = k
				h[k] = append(h[k], strings.TrimLeft(v, " \t"))
			}
		}
		acrh := strings.Join(h["Access-Control-Request-Headers"], "\n")
		if acrh != "" {
			add(corpusDirs[2], c.ID, clip(strings.ReplaceAll(acrh, "\n", ","), bucketMaxHeader+1))
			names = append(names, clip(acrh, 200))
		}
		origin := ""
		if o := h["Origin"]; len(o) > 0 {
			origin = o[0]
			origins = append(origins, clip(origin, 200))
		}
		acrm := ""
		if m := h["Access-Control-Request-Method"]; len(m) > 0 {
			acrm = m[0]
		}
		const object = 2 // FuzzEvaluate's flag for an object URL
		add(corpusDirs[3], c.ID, requestsSpec, c.Method, clip(origin, bucketMaxHeader+1), clip(acrm, bucketMaxHeader+1),
			clip(acrh, bucketMaxHeader+1), byte(object))
	}

	// FuzzValidate takes a rule as space-separated lists.
	add(corpusDirs[1], "requests-config", "https://app.example https://*.wild.example", "GET PUT", "content-type x-amz-*", "ETag", "")
	add(corpusDirs[1], "origins", strings.Join(origins, " "), "GET", "", "", "")
	add(corpusDirs[1], "names", "*", "GET HEAD", strings.Join(names, " "), strings.Join(names, " "), "")
	add(corpusDirs[1], "semantic", "https://*.*.example null *", "get PATCH", "x-( *", "\x01", strings.Repeat("i", 256))
	return files
}

// requestsSpec is the configuration of requests.json in FuzzEvaluate's
// notation: origins|methods|headers|max-age, rules separated by ';'.
const requestsSpec = "https://app.example https://*.wild.example|GET PUT|content-type x-amz-*|x;*|HEAD||"

// bucketMaxHeader is bucket.MaxHeaderValueLen.
const bucketMaxHeader = 8 << 10

// TestHostileFuzzCorpus checks that the seed corpora of the fuzz targets
// hold what the hostile catalogue gives; with -write-fuzz-corpus it
// writes them.
func TestHostileFuzzCorpus(t *testing.T) {
	want := hostileCorpus(t)
	var stale []string
	for _, dir := range corpusDirs {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if _, ok := want[p]; !ok && strings.HasPrefix(e.Name(), corpusPrefix) {
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
		for p, data := range want {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %d corpus files", len(want))
		return
	}
	const fix = "run: go test ./s3server -run TestHostileFuzzCorpus -write-fuzz-corpus"
	for _, p := range stale {
		t.Errorf("%s is not made from the catalogue any more; %s", p, fix)
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want[p] {
			t.Errorf("%s does not hold what the catalogue gives; %s", p, fix)
		}
	}
}
