package inspect

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/lint"
)

// shownCases are values and how the pages show them: as they are when
// every character is printable, else quoted as strconv.Quote quotes them.
var shownCases = []struct {
	name, in, want string
	// goOnly marks a value that cannot reach the script: JSON carries
	// no byte that is not UTF-8.
	goOnly bool
}{
	{"plain", "https://app.example", "https://app.example", false},
	{"printable non-ASCII", "https://café.example/☕/日本", "https://café.example/☕/日本", false},
	{"markup and quotes", `"><b>x</b>\`, `"><b>x</b>\`, false},
	{"bidi override", "https://\u202eelpmaxe.ppa", `"https://\u202eelpmaxe.ppa"`, false},
	{"bidi isolate and quote", "\"\u2066x\u2069", `"\"\u2066x\u2069"`, false},
	{"zero-width space", "https://app\u200b.example", `"https://app\u200b.example"`, false},
	{"byte order mark", "\ufeffhttps://a.example", `"\ufeffhttps://a.example"`, false},
	{"no-break space", "a\u00a0b", `"a\u00a0b"`, false},
	{"line separator", "a\u2028b", `"a\u2028b"`, false},
	{"private use", "a\ue000b", `"a\ue000b"`, false},
	{"tag character", "a\U000e0041b", `"a\U000e0041b"`, false},
	{"tab", "https://tab\there.example", `"https://tab\there.example"`, false},
	{"controls and DEL", "\a\b\f\n\r\v\x00\x1b\x7f", `"\a\b\f\n\r\v\x00\x1b\x7f"`, false},
	{"C1 control", "a\u0085b", `"a\u0085b"`, false},
	{"not UTF-8", "https://\x80.example", `"https://\x80.example"`, true},
}

func TestShown(t *testing.T) {
	t.Parallel()
	for _, tc := range shownCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := lint.ShownBare(tc.in); got != tc.want {
				t.Errorf("lint.ShownBare(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

// TestShownScript runs the script's shown in node on the same cases:
// the live list shows a value as the request's page does.
func TestShownScript(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("S3CORS_REQUIRE_NODE") == "1" {
			t.Fatal("S3CORS_REQUIRE_NODE=1 but there is no node on PATH")
		}
		t.Skip("no node on PATH (apt-get install -y nodejs); set S3CORS_REQUIRE_NODE=1 to make this a failure")
	}
	src, err := assets.ReadFile("assets/static/inspector.js")
	if err != nil {
		t.Fatal(err)
	}
	// The script runs in a page; take from it the part shown needs, from
	// notPrintable to the end of shown.
	script := string(src)
	start := strings.Index(script, "\n  const notPrintable =")
	fn := strings.Index(script, "\n  function shown(")
	end := fn + strings.Index(script[max(fn, 0):], "\n  }\n")
	if start < 0 || fn < start || end < fn {
		t.Fatal("inspector.js: no notPrintable followed by function shown")
	}
	var inputs []string
	for _, tc := range shownCases {
		if !tc.goOnly {
			inputs = append(inputs, tc.in)
		}
	}
	in, _ := json.Marshal(inputs)
	program := `"use strict";` + script[start:end+4] +
		`const inputs = JSON.parse(require("fs").readFileSync(0, "utf8"));` +
		`process.stdout.write(JSON.stringify(inputs.map(shown)));`
	cmd := exec.Command(node, "-e", program)
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(inputs) {
		t.Fatalf("node wrote %s (%v)", out, err)
	}
	i := 0
	for _, tc := range shownCases {
		if tc.goOnly {
			continue
		}
		if got[i] != tc.want {
			t.Errorf("%s: the script's shown(%q) = %s, want %s", tc.name, tc.in, got[i], tc.want)
		}
		i++
	}
}
