package testroot_test

import (
	"go/ast"
	"go/build"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/s3cors/s3cors/internal/testroot"
)

const modulePath = "github.com/s3cors/s3cors"

// TestDocLinks checks that every doc link of the module's doc comments,
// [Name], [Type.Method], [pkg.Name] or [pkg.Type.Field], names something
// declared: go doc and pkgsite show a broken one as plain text, without
// a word. Names in capitals only are not links but the spec's evidence
// tags ([REC], [CLONE]) and quotations ([X]).
func TestDocLinks(t *testing.T) {
	t.Parallel()
	root, err := testroot.Path()
	if err != nil {
		t.Fatal(err)
	}
	decls := declIndex{}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != root && (d.Name() == "testdata" || d.Name() == "bench" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		importPath := strings.TrimSuffix(modulePath+"/"+filepath.ToSlash(rel), "/.")
		for _, bad := range decls.brokenLinks(importPath, path, &checked) {
			t.Error(bad)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d doc links checked; the walk missed the module's packages", checked)
	}
}

// pkgDecls is what a package declares: "Name", "Type.Method" and
// "Type.Field", and the import paths of its files by package name.
type pkgDecls struct {
	names   map[string]bool
	imports map[string]string
	files   []*ast.File
	fset    *token.FileSet
}

// declIndex holds the packages read so far, by import path.
type declIndex map[string]*pkgDecls

// load reads the package of import path in dir (its files but tests);
// nil when dir holds none.
func (x declIndex) load(importPath, dir string) *pkgDecls {
	if p, ok := x[importPath]; ok {
		return p
	}
	p := &pkgDecls{names: map[string]bool{}, imports: map[string]string{}, fset: token.NewFileSet()}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		p.files = append(p.files, f)
		for _, im := range f.Imports {
			path := strings.Trim(im.Path.Value, `"`)
			local := path[strings.LastIndex(path, "/")+1:]
			if im.Name != nil {
				local = im.Name.Name
			}
			p.imports[local] = path
		}
		addDecls(p.names, f)
	}
	if len(p.files) == 0 {
		p = nil
	}
	x[importPath] = p
	return p
}

// addDecls adds the top-level names of f, its methods and its fields.
func addDecls(names map[string]bool, f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			names[receiverPrefix(d)+d.Name.Name] = true
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						names[n.Name] = true
					}
				case *ast.TypeSpec:
					names[spec.Name.Name] = true
					for _, m := range members(spec.Type) {
						names[spec.Name.Name+"."+m] = true
					}
				}
			}
		}
	}
}

// receiverPrefix returns "Type." for a method, "" for a function.
func receiverPrefix(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	typ := d.Recv.List[0].Type
	for {
		switch e := typ.(type) {
		case *ast.StarExpr:
			typ = e.X
		case *ast.IndexExpr:
			typ = e.X
		case *ast.IndexListExpr:
			typ = e.X
		case *ast.Ident:
			return e.Name + "."
		default:
			return ""
		}
	}
}

// members returns the field names of a struct type, embedded ones by
// their type's name, and the method names of an interface type.
func members(typ ast.Expr) []string {
	var list *ast.FieldList
	switch typ := typ.(type) {
	case *ast.StructType:
		list = typ.Fields
	case *ast.InterfaceType:
		list = typ.Methods
	default:
		return nil
	}
	var names []string
	for _, field := range list.List {
		for _, n := range field.Names {
			names = append(names, n.Name)
		}
		if len(field.Names) == 0 {
			embedded := field.Type
			if star, ok := embedded.(*ast.StarExpr); ok {
				embedded = star.X
			}
			switch e := embedded.(type) {
			case *ast.Ident:
				names = append(names, e.Name)
			case *ast.SelectorExpr:
				names = append(names, e.Sel.Name)
			}
		}
	}
	return names
}

// brokenLinks returns a line for each doc link of the package in dir
// that names nothing declared, and counts the links it checks.
func (x declIndex) brokenLinks(importPath, dir string, checked *int) []string {
	p := x.load(importPath, dir)
	if p == nil {
		return nil
	}
	// Accepting every package name and symbol turns every [text] the
	// syntax allows into a link, to be judged below: a package name that
	// is neither imported nor the standard library's resolves to no
	// directory.
	parser := comment.Parser{
		LookupPackage: func(name string) (string, bool) {
			if path, ok := p.imports[name]; ok {
				return path, true
			}
			if path, ok := comment.DefaultLookupPackage(name); ok {
				return path, true
			}
			return "(no package " + name + ")", true
		},
		LookupSym: func(recv, name string) bool { return true },
	}
	var broken []string
	for _, f := range p.files {
		for _, group := range docComments(f) {
			for _, link := range docLinks(parser.Parse(group.Text())) {
				if !isLinkName(link.Name) {
					continue
				}
				*checked++
				if !x.declares(p, link) {
					broken = append(broken, p.fset.Position(group.Pos()).String()+": doc link ["+linkText(link)+"] names nothing declared")
				}
			}
		}
	}
	return broken
}

// declares reports whether link names a declaration of p, or of the
// package it imports, or of the standard library package it names.
func (x declIndex) declares(p *pkgDecls, link *comment.DocLink) bool {
	target := p
	if link.ImportPath != "" {
		dir := ""
		if rest, ok := strings.CutPrefix(link.ImportPath, modulePath); ok {
			root, _ := testroot.Path()
			dir = filepath.Join(root, filepath.FromSlash(rest))
		} else if pkg, err := build.Import(link.ImportPath, "", build.FindOnly); err == nil {
			dir = pkg.Dir
		}
		if target = x.load(link.ImportPath, dir); target == nil {
			return false
		}
	}
	name := link.Name
	if link.Recv != "" {
		name = link.Recv + "." + name
	}
	return target.names[name]
}

// isLinkName reports whether name is one a doc link means: it starts
// with a capital and is not in capitals only.
func isLinkName(name string) bool {
	return name != "" && unicode.IsUpper(rune(name[0])) && strings.ToUpper(name) != name
}

func linkText(link *comment.DocLink) string {
	text := link.Name
	if link.Recv != "" {
		text = link.Recv + "." + text
	}
	if link.ImportPath != "" {
		text = link.ImportPath + "." + text
	}
	return text
}

// docComments returns the doc comments of f: its package's, and those
// of its declarations, specs and fields.
func docComments(f *ast.File) []*ast.CommentGroup {
	var groups []*ast.CommentGroup
	ast.Inspect(f, func(n ast.Node) bool {
		var doc *ast.CommentGroup
		switch n := n.(type) {
		case *ast.File:
			doc = n.Doc
		case *ast.GenDecl:
			doc = n.Doc
		case *ast.FuncDecl:
			doc = n.Doc
		case *ast.TypeSpec:
			doc = n.Doc
		case *ast.ValueSpec:
			doc = n.Doc
		case *ast.Field:
			doc = n.Doc
		}
		if doc != nil {
			groups = append(groups, doc)
		}
		return true
	})
	return groups
}

// docLinks returns the doc links of a parsed comment.
func docLinks(d *comment.Doc) []*comment.DocLink {
	var links []*comment.DocLink
	var walk func([]comment.Text)
	walk = func(texts []comment.Text) {
		for _, text := range texts {
			switch text := text.(type) {
			case *comment.DocLink:
				links = append(links, text)
			case *comment.Link:
				walk(text.Text)
			}
		}
	}
	for _, block := range d.Content {
		switch block := block.(type) {
		case *comment.Paragraph:
			walk(block.Text)
		case *comment.Heading:
			walk(block.Text)
		case *comment.List:
			for _, item := range block.Items {
				for _, c := range item.Content {
					if para, ok := c.(*comment.Paragraph); ok {
						walk(para.Text)
					}
				}
			}
		}
	}
	return links
}
