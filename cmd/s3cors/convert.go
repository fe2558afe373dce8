package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/internal/xmlw"
	"github.com/s3cors/s3cors/s3err"
	"github.com/s3cors/s3cors/xmlconfig"
)

// Forms convert writes: S3's three, then the infrastructure code.
const (
	toCloudFormation     = "cloudformation"
	toCloudFormationJSON = "cloudformation-json"
	toTerraform          = "terraform"
)

// runConvert is the convert verb: it reads one configuration, checks
// it as S3 would, and writes it in the form --to names.
func runConvert(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("convert", stdout, stderr)
	f, code, ok := parseConvert(c, args)
	if !ok {
		return code
	}
	srcs, code, ok := c.sources(f.files, f.example, stdin)
	if !ok {
		return code
	}
	src := srcs[0]
	if f.input == "" || f.input == "cloudformation" {
		if src, code, ok = c.oneStack(src); !ok {
			return code
		}
	}
	// Standard output is the document, most often redirected to a file:
	// the verdict on a configuration not converted goes where the user
	// sees it, as a compiler's errors do, but for --json, which holds it.
	verdicts := stderr
	if f.asJSON {
		verdicts = stdout
	}
	cfg, code, ok := c.loadValid(src, loadOptions{input: f.input}.with(f.values), f.resource, verdicts, f.asJSON)
	if !ok {
		return code
	}
	doc, caveats := convertedDocument(f.to, cfg)
	if cfg.bucket != nil {
		for i := range caveats {
			// The document holds a sensitive value, as asked; a note on
			// standard error, in a CI log, shows it as Terraform does.
			caveats[i] = cfg.bucket.Redact(caveats[i])
		}
	}
	writeConverted(stdout, f, cfg, doc, caveats)
	// After the document, so that a terminal shows them below it rather
	// than scrolled off above; how the file was read comes before what
	// the form written changes.
	cfg.writeNotes(stderr)
	writeCaveats(stderr, caveats)
	return exitOK
}

// convertFlags are the flags of convert, checked.
type convertFlags struct {
	to, resource, input string
	values              valueFlags
	example, asJSON     bool
	files               []string // the FILE argument; none for standard input
}

// parseConvert parses and checks the flags of convert, so that
// runConvert reads as the steps of a conversion; see [command.parse]
// for the rest.
func parseConvert(c *command, args []string) (*convertFlags, int, bool) {
	c.loadHelp()
	c.operands = operandFiles
	to := c.choiceFlag("to", "", "the form `FORM` to write: xml, json, console, cloudformation,\ncloudformation-json or terraform (required)", "xml", "json", "console", toCloudFormation, toCloudFormationJSON, toTerraform)
	resource := c.stringFlag("resource", "", "convert the bucket `NAME` of an infrastructure FILE that declares several: a\nCloudFormation logical ID, a Terraform address, a Kubernetes KIND/NAME or a\nPulumi resource name")
	input := c.inputFlag()
	values := c.valueFlags()
	example := c.boolFlag("example", "convert the embedded example configuration instead of FILE")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of the document alone")
	files, code, ok := c.parse(args)
	if !ok {
		return nil, code, false
	}
	switch {
	case *to == "":
		return nil, c.usageError("--to is required: xml, json, console, cloudformation, cloudformation-json or terraform"), false
	case c.emptyFlag("resource") != "":
		return nil, c.usageError("--resource is empty: give a value, or leave the flag out"), false
	case c.emptyValue() != "":
		return nil, c.usageError("%s", c.emptyValue()), false
	case len(files) > 1:
		return nil, c.usageError("convert takes one FILE, not %d", len(files)), false
	case *example && *input != "":
		return nil, c.usageError("--input says how to read FILE; the --example is AWS CLI JSON"), false
	case *example && values.given():
		return nil, c.usageError(errExampleValues), false
	}
	return &convertFlags{to: *to, resource: *resource, input: *input, values: values, example: *example, asJSON: *asJSON, files: files}, 0, true
}

// convertedDocument returns cfg's rules written in the form to, and the
// caveats on what that form changes or could not keep, for
// writeCaveats.
func convertedDocument(to string, cfg *configuration) (doc []byte, caveats []string) {
	switch to {
	case "xml":
		doc = xmlconfig.AppendXML(nil, cfg.rules)
		caveats = sizeCaveat("the XML document is", len(doc))
	case "json":
		doc = xmlconfig.AppendJSON(nil, cfg.rules)
		// Read back as the AWS CLI's file, the document is held to S3's
		// limit as botocore sends it: larger than an XML file read
		// without the namespace, which botocore writes, say.
		if _, err := xmlconfig.Unmarshal(doc); err != nil {
			if e, ok := errors.AsType[*s3err.Error](err); ok && e.Code == "MaxMessageLengthExceeded" {
				caveats = []string{fmt.Sprintf("S3 refuses the configuration the AWS CLI sends for this file (%s): %d %s", e.Reason, e.StatusCode, e.Code)}
			}
		}
		caveats = append(caveats, carriageReturnCaveats(cfg.rules)...)
	case "console":
		doc = xmlconfig.AppendConsole(nil, cfg.rules)
		// The console sends the rules through the AWS SDK for
		// JavaScript, measured as S3's form without its declaration (see
		// xmlconfig.CheckSentSize).
		sent := len(xmlconfig.AppendXML(nil, cfg.rules)) - len(xmlw.Declaration)
		caveats = sizeCaveat("the console sends these rules as XML of", sent)
	case toCloudFormation:
		doc = iac.AppendCloudFormationYAML(nil, logicalID(cfg), cfg.rules)
		caveats = iac.CloudFormationCaveats(cfg.rules)
	case toCloudFormationJSON:
		doc = iac.AppendCloudFormationJSON(nil, logicalID(cfg), cfg.rules)
		caveats = iac.CloudFormationCaveats(cfg.rules)
	case toTerraform:
		doc, caveats = terraformDocument(cfg)
	}
	return doc, caveats
}

// carriageReturnCaveats returns a caveat for each rule with a value
// holding a carriage return, which the AWS CLI's JSON cannot carry to S3:
// botocore writes it into the XML as it is, and S3's XML parser reads a
// CR, and a CRLF, as one LF (see xmlconfig's JSON decoder), so the value
// S3 stores is not the one converted. S3's XML and the console's JSON
// carry it escaped, as &#xD;.
func carriageReturnCaveats(rules []corsrule.Rule) []string {
	var caveats []string
	for i, r := range rules {
		var values []string
		add := func(member string, vs ...string) {
			for _, v := range vs {
				if strings.Contains(v, "\r") {
					values = append(values, fmt.Sprintf("%s %q", member, v))
				}
			}
		}
		add("ID", r.ID)
		add("AllowedOrigin", r.AllowedOrigins...)
		add("AllowedHeader", r.AllowedHeaders...)
		add("ExposeHeader", r.ExposeHeaders...)
		if values != nil {
			caveats = append(caveats, fmt.Sprintf("rule %d: %s: the AWS CLI sends a carriage return as it is, which S3 reads as a line feed (a CRLF as one), so put-bucket-cors with this file stores a line feed in its place", i+1, strings.Join(values, " and ")))
		}
	}
	return caveats
}

// sizeCaveat returns the caveat on a document written of n bytes (what
// says how they are counted) when S3 refuses a PutBucketCors body that
// long, or nil. The configuration read was held to the limit as its own
// form is sent, and the forms differ in size: the AWS CLI's JSON, for
// one, is sent with an empty value self-closed, <AllowedOrigin />.
func sizeCaveat(what string, n int) []string {
	if n <= corsrule.MaxDocumentSize {
		return nil
	}
	return []string{fmt.Sprintf("%s %d bytes, more than the %d S3 accepts in a PutBucketCors body: sent so, it is refused with MaxMessageLengthExceeded; the file read is sent smaller in its own form", what, n, corsrule.MaxDocumentSize)}
}

// terraformDocument returns cfg's rules as an
// aws_s3_bucket_cors_configuration, and its caveats: the bucket argument
// it writes takes the most words to get right, apart from the other
// forms.
func terraformDocument(cfg *configuration) (doc []byte, caveats []string) {
	name := terraformName(cfg)
	// The resource read from Terraform keeps its bucket argument: a
	// reference made of its own name may name no resource.
	bucket := "aws_s3_bucket." + name + instanceKey(cfg) + ".id"
	if cfg.bucket != nil && cfg.bucket.TerraformBucket != "" {
		bucket = cfg.bucket.TerraformBucket
	}
	// A plan records an expression by its references only, and each
	// and count are not in the resource written: such an argument is
	// written as the bucket's name, or guessed, and said.
	if cfg.bucket != nil && cfg.bucket.TerraformBucketNote != "" {
		why := cfg.bucket.TerraformBucketNote
		if cfg.bucket.TerraformBucket != "" {
			caveats = append(caveats, "bucket is the bucket's name, not the argument as written ("+why+"): write the reference to the aws_s3_bucket to keep the order of the apply")
		} else {
			caveats = append(caveats, "bucket is "+bucket+", a guess made of the resource's name ("+why+"): write the aws_s3_bucket's reference or the bucket's name")
		}
	}
	doc = iac.AppendTerraform(nil, name, bucket, cfg.rules)
	return doc, append(caveats, iac.TerraformCaveats(cfg.rules)...)
}

// writeConverted writes doc, cfg converted as f asks, to stdout: the
// document alone, or with --json, the document with where it came from,
// the notes on how it was read and the caveats of the form written, so
// that a program reading it learns what a person reads on standard error
// (audit3).
func writeConverted(stdout io.Writer, f *convertFlags, cfg *configuration, doc []byte, caveats []string) {
	if !f.asJSON {
		if f.to == "xml" {
			doc = append(doc, '\n')
		}
		stdout.Write(doc)
		return
	}
	var resourceName string
	if cfg.bucket != nil {
		resourceName = cfg.bucket.Resource
	}
	writeJSON(stdout, struct {
		File     string      `json:"file"`
		Resource string      `json:"resource,omitempty"`
		From     string      `json:"from"`
		To       string      `json:"to"`
		Document string      `json:"document"`
		Notes    []jsonPlace `json:"notes,omitempty"`
		Caveats  []string    `json:"caveats,omitempty"`
	}{cfg.name, resourceName, cfg.from, f.to, strings.TrimSuffix(string(doc), "\n"), cfg.notesJSON(), caveats})
}

// writeCaveats prints on stderr, one note a line, the caveats of the
// form written, which the document cannot say itself.
func writeCaveats(stderr io.Writer, caveats []string) {
	for _, caveat := range caveats {
		fmt.Fprintf(stderr, "s3cors convert: note: %s\n", caveat)
	}
}

// resourceName returns the last name of the bucket cfg was read from:
// "UploadBucket" for a logical ID ("Storage/UploadBucket" in a nested
// stack), "uploads" for "aws_s3_bucket_cors_configuration.uploads",
// `module.site.aws_s3_bucket.uploads["a"]` or
// `module.site["a.b"].aws_s3_bucket_cors_configuration.uploads`; "" for
// an S3 document.
func resourceName(cfg *configuration) string {
	if cfg.bucket == nil {
		return ""
	}
	name := cfg.bucket.Resource
	if cfg.from != "terraform" && cfg.from != "terraform-plan" {
		return name[strings.LastIndex(name, "/")+1:]
	}
	_, _, local, _ := iac.SplitAddress(name)
	return local[strings.IndexByte(local, '.')+1:]
}

// instanceKey returns the key of the aws_s3_bucket instance cfg's inline
// rules were read from (`["a"]`, "[0]"), which a reference to its id
// needs when the resource has count or for_each, or "".
func instanceKey(cfg *configuration) string {
	if cfg.bucket == nil || cfg.bucket.Type != "aws_s3_bucket" || cfg.from != "terraform" && cfg.from != "terraform-plan" {
		return ""
	}
	if _, _, _, key := iac.SplitAddress(cfg.bucket.Resource); !strings.Contains(key, "[*]") {
		return key
	}
	return ""
}

// logicalID returns the logical ID of the bucket in a CloudFormation
// template written from cfg: its own, or one made of its Terraform name
// ("uploads" becomes "Uploads"), or "Bucket".
func logicalID(cfg *configuration) string {
	var id strings.Builder
	upper := true
	for _, c := range resourceName(cfg) {
		switch {
		case c == '_' || c == '-':
			upper = true
		case 'a' <= c && c <= 'z' && upper:
			id.WriteRune(c - 'a' + 'A')
			upper = false
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			id.WriteRune(c)
			upper = false
		}
	}
	if id.Len() == 0 || id.String()[0] >= '0' && id.String()[0] <= '9' {
		return "Bucket" + id.String()
	}
	return id.String()
}

// terraformName returns the name of the resource in Terraform written from
// cfg: its own, or one made of its logical ID ("UploadBucket" becomes
// "upload_bucket"), or "bucket".
func terraformName(cfg *configuration) string {
	// A name read from Terraform is one Terraform takes, whatever its
	// letters: keep it as it is.
	if cfg.from == "terraform" || cfg.from == "terraform-plan" {
		return resourceName(cfg)
	}
	var name strings.Builder
	for i, c := range resourceName(cfg) {
		switch {
		case 'A' <= c && c <= 'Z':
			if i > 0 {
				name.WriteByte('_')
			}
			name.WriteRune(c - 'A' + 'a')
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-':
			name.WriteRune(c)
		}
	}
	if name.Len() == 0 || name.String()[0] >= '0' && name.String()[0] <= '9' || name.String()[0] == '-' {
		return "bucket" + name.String()
	}
	return name.String()
}
