package main

import (
	"io"

	"github.com/s3cors/s3cors/xmlconfig"
)

func runConvert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("convert", stdout, stderr)
	c.usage = []string{"convert --to xml|json|console [--json] FILE", "convert --to xml|json|console [--json] --example"}
	c.about = `
Convert a configuration between its three forms, losslessly: every rule,
value, order, case and spelling is kept. FILE holds any of the three forms
(detected); "-" is standard input.

  xml      S3's form, as GetBucketCors returns it: the XML declaration, then
           CORSConfiguration in S3's namespace, without indentation, members
           in the order of S3's documentation; a final newline is added
  json     the AWS CLI's form, {"CORSRules": [...]}, as
           "aws s3api get-bucket-cors" prints it and put-bucket-cors takes it
  console  the bare JSON array of rules that the S3 console's editor takes

A configuration S3 would refuse is not converted: convert prints S3's
verdict, as validate does.`
	to := c.stringFlag("to", "", "the form `FORM` to write: xml, json or console (required)")
	example := c.boolFlag("example", "convert the embedded example configuration instead of FILE")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of the document alone")
	c.footer = `
Exit status: 0 converted, 1 the configuration is invalid, 2 usage error or
FILE could not be read.

JSON (--json): the converted document as a string (the XML without the
final newline), with the form read and the form written. An invalid
configuration gives validate's shape for one file instead.

  {"file": "cors.xml", "from": "xml", "to": "json", "document": "{\n    \"CORSRules\": ..."}

Examples:
  $ s3cors convert --to xml --example
  $ s3cors convert --to console cors.xml > cors-console.json
  $ aws s3api get-bucket-cors --bucket my-bucket | s3cors convert --to xml -`
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if *to == "" {
		return c.usageError("--to is required: xml, json or console")
	}
	format, err := xmlconfig.ParseFormat(*to)
	if err != nil {
		return c.usageError("--to %q: want xml, json or console", *to)
	}
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
