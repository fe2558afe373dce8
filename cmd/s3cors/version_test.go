package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionText checks what version prints for the builds Go records
// differently: a release installed with go install, a build from a clone
// (with the commit and changes not committed), and a build without
// version control information.
func TestVersionText(t *testing.T) {
	t.Parallel()
	platform := []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/s3cors/s3cors", Version: "v1.2.0"}, Settings: platform},
			"s3cors v1.2.0\n" +
				"  module    github.com/s3cors/s3cors\n" +
				"  go        go1.26.8 linux/amd64\n"},
		{"clone", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/s3cors/s3cors", Version: "v0.0.0-20261201180117-62793fefec2f+dirty"},
			Settings: append([]debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "62793fefec2f9ca19b6454ae095b52d0fd97b943"},
				{Key: "vcs.time", Value: "2026-12-01T18:01:17Z"}, {Key: "vcs.modified", Value: "true"}}, platform...)},
			"s3cors v0.0.0-20261201180117-62793fefec2f+dirty\n" +
				"  module    github.com/s3cors/s3cors\n" +
				"  revision  62793fefec2f9ca19b6454ae095b52d0fd97b943\n" +
				"  time      2026-12-01T18:01:17Z\n" +
				"  modified  yes: built with changes not committed\n" +
				"  go        go1.26.8 linux/amd64\n"},
		{"clean clone", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/s3cors/s3cors", Version: "v0.0.0-20261201180117-62793fefec2f"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "62793fefec2f9ca19b6454ae095b52d0fd97b943"}, {Key: "vcs.modified", Value: "false"}}},
			"s3cors v0.0.0-20261201180117-62793fefec2f\n" +
				"  module    github.com/s3cors/s3cors\n" +
				"  revision  62793fefec2f9ca19b6454ae095b52d0fd97b943\n" +
				"  modified  no\n" +
				"  go        go1.26.8\n"},
		{"devel", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/s3cors/s3cors", Version: "(devel)"}, Settings: platform},
			"s3cors (devel)\n" +
				"  module    github.com/s3cors/s3cors\n" +
				"  note      Go records \"(devel)\" for a build from a source tree without version\n" +
				"            control information (go run, a git worktree, -buildvcs=false);\n" +
				"            \"go install github.com/s3cors/s3cors/cmd/s3cors@latest\" records one\n" +
				"  go        go1.26.8 linux/amd64\n"},
		{"test binary", &debug.BuildInfo{GoVersion: "go1.26.8"},
			"s3cors (devel)\n" +
				"  module    github.com/s3cors/s3cors\n" +
				"  note      Go records \"(devel)\" for a build from a source tree without version\n" +
				"            control information (go run, a git worktree, -buildvcs=false);\n" +
				"            \"go install github.com/s3cors/s3cors/cmd/s3cors@latest\" records one\n" +
				"  go        go1.26.8\n"},
	} {
		if got := versionText(tc.bi); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestVersionCommand checks that "s3cors --version" and "s3cors version"
// print the same, starting with the version of this binary.
func TestVersionCommand(t *testing.T) {
	t.Parallel()
	bi, _ := debug.ReadBuildInfo()
	want := "s3cors " + version(bi) + "\n"
	var outs []string
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, stdout, stderr := runIn(args, "")
		if code != exitOK || stderr != "" || !strings.HasPrefix(stdout, want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 0 and %q first", args, code, stdout, stderr, want)
		}
		outs = append(outs, stdout)
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Errorf("--version, -version and version differ:\n%s\n%s\n%s", outs[0], outs[1], outs[2])
	}
	if code, _, stderr := runIn([]string{"version", "extra"}, ""); code != exitUsage || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d, %q", code, stderr)
	}
}
