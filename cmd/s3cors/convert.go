package main

import (
	"io"

	"github.com/s3cors/s3cors/xmlconfig"
)

func runConvert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("convert", stdout, stderr)
	c.loadHelp()
	c.operands = operandFiles
	to := c.choiceFlag("to", "", "the form `FORM` to write: xml, json or console (required)", "xml", "json", "console")
	example := c.boolFlag("example", "convert the embedded example configuration instead of FILE")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of the document alone")
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if *to == "" {
		return c.usageError("--to is required: xml, json or console")
	}
	format, _ := xmlconfig.ParseFormat(*to) // a choice of the three
	if len(files) > 1 {
		return c.usageError("convert takes one FILE, not %d", len(files))
	}
	srcs, code, ok := c.sources(files, *example, stdin)
	if !ok {
		return code
	}
	l, code, ok := c.loadValid(srcs[0], stdout, *asJSON)
	if !ok {
		return code
	}
	var doc []byte
	switch format {
	case xmlconfig.XML:
		doc = xmlconfig.AppendXML(nil, l.doc.Rules)
	case xmlconfig.JSON:
		doc = xmlconfig.AppendJSON(nil, l.doc.Rules)
	case xmlconfig.Console:
		doc = xmlconfig.AppendConsole(nil, l.doc.Rules)
	}
	if *asJSON {
		writeJSON(stdout, struct {
			File     string `json:"file"`
			From     string `json:"from"`
			To       string `json:"to"`
			Document string `json:"document"`
		}{l.name, l.doc.Format.String(), format.String(), string(doc)})
		return exitOK
	}
	if format == xmlconfig.XML {
		doc = append(doc, '\n')
	}
	stdout.Write(doc)
	return exitOK
}
