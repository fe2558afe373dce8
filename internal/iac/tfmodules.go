package iac

import (
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// manifestPath is where terraform init records the modules it installed,
// relative to the root module's directory (Terraform's
// internal/modsdir.ManifestSnapshotFilename in .terraform/modules).
var manifestPath = filepath.Join(".terraform", "modules", "modules.json")

// maxManifestSize bounds the manifest: a record takes about 150 bytes,
// so this holds some 25,000 modules.
const maxManifestSize = 4 << 20

// tfRecord is one module terraform init installed, as its manifest
// records it: Key is the module's path of call names joined by "." ("site",
// "site.child"), with no instance keys; Dir is where its files are,
// relative to the root module's directory.
type tfRecord struct {
	key, source, version, dir string
}

// tfManifest is the manifest of the root module, read once, when a module
// call first needs it.
type tfManifest struct {
	read    bool
	records map[string]tfRecord
	// why says why the manifest gives no module: it is missing or not
	// well-formed. "" when it was read.
	why string
}

// installed returns where terraform init installed the module at key (the
// path of call names), or why it cannot say. root is the root module's
// directory, where terraform init is run and the manifest's directories
// start.
func (l *loader) installed(root, key string) (tfRecord, string) {
	m := &l.manifest
	if !m.read {
		m.read = true
		m.records, m.why = l.readManifest(root)
	}
	if m.why != "" {
		return tfRecord{}, m.why
	}
	rec, ok := m.records[key]
	if !ok {
		return tfRecord{}, filepath.Join(root, manifestPath) + " records no module " + strconv.Quote(key) + " (run terraform init to install it)"
	}
	return rec, ""
}

// readManifest reads the manifest as Terraform's modsdir.ReadManifestSnapshot
// does: {"Modules": [{"Key", "Source", "Version", "Dir"}, ...]}, Dir with
// forward slashes. Terraform refuses a manifest that records a key twice;
// so does this. A missing manifest means terraform init was not run.
func (l *loader) readManifest(root string) (map[string]tfRecord, string) {
	path := filepath.Join(root, manifestPath)
	data, err := readBounded(path, maxManifestSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "there is no " + path + " (run terraform init to install it)"
	case err != nil:
		return nil, err.Error() + " (run terraform init to install it again)"
	}
	bad := func(n *node, msg string) (map[string]tfRecord, string) {
		return nil, n.pos().String() + ": " + msg + " (run terraform init to write it again)"
	}
	doc, err := parseJSON(l.source(path, data))
	if err != nil {
		return nil, err.Error() + " (run terraform init to write it again)"
	}
	mods := doc.get("Modules")
	if doc.kind != nMap || mods == nil || mods.kind != nSeq {
		return bad(doc, `a module manifest is an object with a list "Modules"`)
	}
	records := make(map[string]tfRecord, len(mods.items))
	for _, n := range mods.items {
		if n.kind != nMap {
			return bad(n, "a module record is an object, not "+n.describe())
		}
		var rec tfRecord
		for _, f := range []struct {
			name string
			to   *string
		}{{"Key", &rec.key}, {"Source", &rec.source}, {"Version", &rec.version}, {"Dir", &rec.dir}} {
			v := n.get(f.name)
			switch {
			case v == nil || v.kind == nNull:
			case v.kind != nString:
				return bad(v, f.name+" is a string, not "+v.describe())
			default:
				*f.to = v.text
			}
		}
		if _, dup := records[rec.key]; dup {
			return bad(n, "the manifest records module "+strconv.Quote(rec.key)+" twice")
		}
		records[rec.key] = rec
	}
	return records, ""
}

// installedDir returns the directory of an installed module: the
// manifest's Dir, relative to the root module's directory.
func installedDir(root string, rec tfRecord) string {
	dir := filepath.FromSlash(rec.dir)
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(root, dir)
}

// registryName matches a namespace or name of a module registry address,
// as Terraform's addrs.moduleRegistryNamePattern does; registryTarget the
// target system.
var (
	registryName   = regexp.MustCompile(`^[0-9A-Za-z](?:[0-9A-Za-z-_]{0,62}[0-9A-Za-z])?$`)
	registryTarget = regexp.MustCompile(`^[0-9a-z]{1,64}$`)
)

// registrySource returns a module registry address as Terraform records
// it in the manifest (addrs.ModuleSourceRegistry.String): the host
// registry.terraform.io when it is left out, "//subdir" kept. ok is false
// for any other source (git, https, s3, ...), whose normal form is
// go-getter's and is not reproduced here.
func registrySource(s string) (string, bool) {
	pkg, subdir, _ := strings.Cut(s, "//")
	if strings.Contains(pkg, ":") {
		return "", false // a URL or a forced getter ("git::")
	}
	parts := strings.Split(pkg, "/")
	host := "registry.terraform.io"
	switch len(parts) {
	case 4:
		host = strings.ToLower(parts[0])
		if !strings.Contains(host, ".") || host == "github.com" || host == "bitbucket.org" {
			return "", false
		}
		parts = parts[1:]
	case 3:
	default:
		return "", false
	}
	if !registryName.MatchString(parts[0]) || !registryName.MatchString(parts[1]) || !registryTarget.MatchString(parts[2]) {
		return "", false
	}
	out := host + "/" + strings.Join(parts, "/")
	if subdir != "" {
		out += "//" + subdir
	}
	return out, true
}
