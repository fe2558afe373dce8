package s3err_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependsOnHelpersOnly checks what the package comment says: s3err
// depends on no package of the module but internal/xmlw and
// internal/ascii, so that a server or proxy can use it without the CORS
// evaluator.
func TestDependsOnHelpersOnly(t *testing.T) {
	t.Parallel()
	const module = "github.com/s3cors/s3cors/"
	allowed := []string{module + "internal/xmlw", module + "internal/ascii"}
	seen := map[string]bool{}
	queue := []string{module + "s3err"}
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		if pkg != module+"s3err" && !slices.Contains(allowed, pkg) {
			t.Errorf("s3err depends on %s", pkg)
		}
		dir := filepath.Join("..", filepath.FromSlash(strings.TrimPrefix(pkg, module)))
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range f.Imports {
				if path := strings.Trim(im.Path.Value, `"`); strings.HasPrefix(path, module) {
					queue = append(queue, path)
				}
			}
		}
	}
	if len(seen) < 2 {
		t.Errorf("read %d packages; s3err imports internal/xmlw", len(seen))
	}
}
