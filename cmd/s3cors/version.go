package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// modulePath is the module s3cors is built from, for builds that do not
// record it (tests).
const modulePath = "github.com/s3cors/s3cors"

// develVersion is what Go records as the main module's version when the
// build has none to give.
const develVersion = "(devel)"

// runVersion is the version verb: the module's version and the commit it
// was built from, as the build recorded them.
func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("version", stdout, stderr)
	c.loadHelp("module", modulePath)
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.usageError("unexpected argument %q", rest[0])
	}
	bi, _ := debug.ReadBuildInfo() // nil only in binaries built without module support
	io.WriteString(stdout, versionText(bi))
	return exitOK
}

// version returns the module version s3cors was built as: a release
// ("v1.2.0"), a pseudo-version that names a commit, or "(devel)".
func version(bi *debug.BuildInfo) string {
	if bi == nil || bi.Main.Version == "" {
		return develVersion
	}
	return bi.Main.Version
}

// versionText says which s3cors this is: its version on the first line,
// then the module, the commit it was built from when Go recorded one, and
// the Go release and platform.
func versionText(bi *debug.BuildInfo) string {
	var b strings.Builder
	v := version(bi)
	fmt.Fprintf(&b, "s3cors %s\n", v)
	path := modulePath
	if bi != nil && bi.Main.Path != "" {
		path = bi.Main.Path
	}
	line := func(key, value string) { fmt.Fprintf(&b, "  %-9s %s\n", key, value) }
	line("module", path)
	settings := map[string]string{}
	if bi != nil {
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line("revision", rev)
		if t := settings["vcs.time"]; t != "" {
			line("time", t)
		}
		switch settings["vcs.modified"] {
		case "true":
			line("modified", "yes: built with changes not committed")
		case "false":
			line("modified", "no")
		}
	}
	if v == develVersion {
		line("note", `Go records "(devel)" for a build from a source tree without version`)
		line("", "control information (go run, a git worktree, -buildvcs=false);")
		line("", `"go install `+modulePath+`/cmd/s3cors@latest" records one`)
	}
	goVersion, platform := "unknown", settings["GOOS"]+"/"+settings["GOARCH"]
	if bi != nil && bi.GoVersion != "" {
		goVersion = bi.GoVersion
	}
	if platform == "/" {
		line("go", goVersion)
	} else {
		line("go", goVersion+" "+platform)
	}
	return b.String()
}
