package main

import (
	"embed"
	"strings"
)

// helpFiles are the help texts, one file a verb (help/VERB.txt) and
// help/s3cors.txt for the command, kept as text so that the verbs' code
// is code.
//
// A verb's file has three sections, each after a line naming it: "#
// usage" (one usage line each, a line starting with a space continuing
// the one before), "# about" (what the verb does and prints, shown before
// the flags) and "# footer" (exit status, JSON shape and examples, shown
// after them). "{{key}}" stands for a value the code fills in.
//
//go:embed help
var helpFiles embed.FS

// helpText returns help/name.txt with each {{key}} of replacements (key,
// value pairs) replaced.
func helpText(name string, replacements ...string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("s3cors: no help file for " + name) // embedded: only a build mistake gets here
	}
	pairs := make([]string, len(replacements))
	for i, r := range replacements {
		if i%2 == 0 {
			r = "{{" + r + "}}"
		}
		pairs[i] = r
	}
	return strings.NewReplacer(pairs...).Replace(string(b))
}

// loadHelp sets the usage lines, about and footer of c from its help
// file (see helpFiles).
func (c *command) loadHelp(replacements ...string) {
	section := ""
	var about, footer strings.Builder
	for line := range strings.Lines(helpText(c.name, replacements...)) {
		if name, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "# "); ok && (name == "usage" || name == "about" || name == "footer") {
			section = name
			continue
		}
		switch section {
		case "usage":
			line = strings.TrimRight(line, "\n")
			if n := len(c.usage); n > 0 && strings.HasPrefix(line, " ") {
				c.usage[n-1] += "\n" + line
			} else {
				c.usage = append(c.usage, line)
			}
		case "about":
			about.WriteString(line)
		case "footer":
			footer.WriteString(line)
		}
	}
	c.about, c.footer = about.String(), footer.String()
}
