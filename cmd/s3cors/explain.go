package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/iac"
	"github.com/s3cors/s3cors/internal/lint"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/xmlw"
)

// runExplain is the explain verb: it shows S3's answer to the request
// the flags describe, for the bucket and configuration they give.
func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCommand("explain", stdout, stderr)
	c.loadHelp("requestID", explain.PlaceholderRequestID, "hostID", explain.PlaceholderHostID)
	f, code, ok := parseExplain(c, args)
	if !ok {
		return code
	}
	at := addressOf(f.path)
	target := bucket.Target{NoBucket: f.noBucket, Object: at.Key != ""}
	cfg := &configuration{}
	if !f.noConfig && !f.noBucket {
		if cfg, code, ok = f.loadConfiguration(c, stdin, stdout); !ok {
			return code
		}
		target.Config, _ = bucket.New(cfg.rules) // valid: load checked
	}
	e := explain.RequestIn(f.region, f.method, f.query, f.header(), target, at)
	order := ""
	if cfg.bucket != nil && cfg.bucket.RulesSet != "" {
		if len(cfg.rules) > 1 {
			order = orderMatters(e, f, target, cfg.bucket.RulesSet)
		}
		order = strings.TrimSpace(order + " " + listOrder(e))
	}
	writeExplained(stdout, f.asJSON, cfg, e, order, schemelessOriginNote(f.header().Get("Origin")))
	// The answer is S3's to one reading of an infrastructure file: the
	// notes say which, after it, as convert's do.
	cfg.writeNotes(stderr)
	if e.Result.Allowed() {
		return exitOK
	}
	return exitInvalid
}

// loadConfiguration reads the bucket's configuration from the FILE, the
// standard input or the example f names, and checks it as S3 would: its
// verdict, when S3 would refuse it, goes to stdout, as the explanation
// would have.
func (f *explainFlags) loadConfiguration(c *command, stdin io.Reader, stdout io.Writer) (*configuration, int, bool) {
	srcs, code, ok := c.sources(f.files, f.example, stdin)
	if !ok {
		return nil, code, false
	}
	src, code, ok := c.oneStack(srcs[0])
	if !ok {
		return nil, code, false
	}
	return c.loadValid(src, loadOptions{input: f.input}.with(f.values), f.resource, stdout, f.asJSON)
}

// writeExplained prints e on stdout, as JSON (asJSON) or text, with
// order (orderMatters's) and note (schemelessOriginNote's) when they are
// not "", and what Terraform marks sensitive in cfg shown as it shows it.
func writeExplained(stdout io.Writer, asJSON bool, cfg *configuration, e *explain.Explanation, order, note string) {
	out := stdout
	var redacted bytes.Buffer
	redacting := cfg.bucket != nil && cfg.bucket.HasSensitive()
	if redacting {
		// The trace quotes the rules' values and ids, and the answer
		// echoes an Origin they admit: what Terraform marks sensitive is
		// shown as it shows it, the explanation written out whole first.
		o, _ := stdout.(*output)
		out = &output{w: &redacted, color: o != nil && o.color}
	}
	if asJSON {
		notes := cfg.notesJSON()
		if order != "" {
			notes = append(notes, placeJSON(cfg.bucket.RulesPos, 0, order))
		}
		if note != "" {
			notes = append(notes, jsonPlace{Message: note})
		}
		writeJSON(out, explainJSON{e.JSON(), notes})
		if redacting {
			io.WriteString(stdout, cfg.bucket.RedactJSON(redacted.String()))
		}
	} else {
		writeExplanation(out, e)
		if order != "" {
			printText(out, "%s %s\n", paint(out, yellow, "order:"), order)
		}
		if note != "" {
			printText(out, "%s %s\n", paint(out, yellow, "note:"), note)
		}
		if redacting {
			io.WriteString(stdout, cfg.bucket.Redact(redacted.String()))
		}
	}
}

// explainJSON is what explain --json prints: the explanation, and for
// infrastructure code the notes on how the bucket was read, as validate
// --json holds a bucket's.
type explainJSON struct {
	explain.JSON
	Notes []jsonPlace `json:"notes,omitempty"`
}

// explainFlags are the flags of explain, checked.
type explainFlags struct {
	method, origin, reqMethod, reqHeaders, path, resource, input, region string
	values                                                               valueFlags
	example, noConfig, noBucket, asJSON                                  bool
	query                                                                url.Values      // the query of --path
	files                                                                []string        // the configuration's FILE, from --config or the argument; none for standard input
	given                                                                map[string]bool // the flags on the command line
}

// parseExplain parses and checks the flags of explain; see
// [command.parse] for the rest.
func parseExplain(c *command, args []string) (*explainFlags, int, bool) {
	c.operands = operandFiles
	c.inputFlags = "--config FILE, --example, --no-config or --no-bucket"
	config := c.stringFlag("config", "", "read the bucket's CORS configuration from `FILE` (\"-\" for standard input), as the argument FILE does")
	resource := c.stringFlag("resource", "", "use the bucket `NAME` of an infrastructure FILE that declares several: a\nCloudFormation logical ID, a Terraform address, a Kubernetes KIND/NAME or a\nPulumi resource name")
	input := c.inputFlag()
	values := c.valueFlags()
	example := c.boolFlag("example", "use the embedded example configuration")
	noConfig := c.boolFlag("no-config", "the bucket exists but has no CORS configuration")
	noBucket := c.boolFlag("no-bucket", "the bucket does not exist")
	method := c.stringFlag("method", "", "the request's method `M`: OPTIONS for a preflight, or GET, PUT, ... (required)")
	c.suggest = map[string][]string{"method": {"OPTIONS", "GET", "PUT", "POST", "HEAD", "DELETE"}, "request-method": {"GET", "PUT", "POST", "HEAD", "DELETE"}}
	origin := c.stringFlag("origin", "", "send the Origin header `O` (no Origin when not given)")
	reqMethod := c.stringFlag("request-method", "", "send the Access-Control-Request-Method header `RM`")
	reqHeaders := c.stringFlag("request-headers", "", "send the Access-Control-Request-Headers header `A,B`, names separated by commas")
	region := c.stringFlag("region", explain.DefaultRegion, "the `REGION` the bucket is in, which a HEAD refused at its path names in\nx-amz-bucket-region, as serve names its --region")
	path := c.stringFlag("path", "/bucket", "the request's path `P`, URL-escaped as sent: /bucket, or /bucket/key for an object\n(a refused preflight then reports ResourceType OBJECT), and a query\nthat names the operation: /bucket?cors")
	asJSON := c.boolFlag("json", "print JSON (shape below) instead of text")
	rest, code, ok := c.parse(args)
	if !ok {
		return nil, code, false
	}
	f := &explainFlags{resource: *resource, input: *input, values: values, method: *method, origin: *origin, reqMethod: *reqMethod, reqHeaders: *reqHeaders,
		path: *path, region: *region, example: *example, noConfig: *noConfig, noBucket: *noBucket, asJSON: *asJSON, given: map[string]bool{}}
	c.fs.Visit(func(fl *flag.Flag) { f.given[fl.Name] = true })
	if f.given["config"] {
		f.files = append(f.files, *config)
	}
	f.files = append(f.files, rest...)
	_, rawQuery, _ := strings.Cut(f.path, "?")
	// The query as serve routes it: a pair it cannot unescape is kept as
	// sent, not refused.
	f.query = sigv.ParseQuery(rawQuery)
	if code, ok := f.checkRequest(c); !ok {
		return nil, code, false
	}
	if code, ok := c.checkRegion(f.region); !ok {
		return nil, code, false
	}
	if code, ok := f.checkConfiguration(c, *config); !ok {
		return nil, code, false
	}
	return f, 0, true
}

// checkRequest reports the first mistake in the request f describes
// (--method, --path) as a usage error, and returns ok false: a request
// that S3, or net/http before it, would not read as the user meant.
func (f *explainFlags) checkRequest(c *command) (int, bool) {
	upper := strings.ToUpper(f.method)
	rawPath, _, _ := strings.Cut(f.path, "?")
	_, pathErr := url.PathUnescape(rawPath)
	switch {
	case f.method == "":
		return c.usageError("--method is required (OPTIONS for a preflight)"), false
	case !ascii.IsToken(f.method):
		return c.usageError("--method %q is not an HTTP method", f.method), false
	case f.method != upper && (upper == http.MethodOptions || corsrule.IsMethod(upper)):
		return c.usageError("methods are case-sensitive: write --method %s", upper), false
	case strings.Contains(f.path, "#"):
		// A URL's fragment stays in the browser: read as part of the
		// path it would name another bucket or key.
		return c.usageError("--path %q holds a fragment (#...), which clients never send: leave it out, or write %%23 for a # in a key", f.path), false
	case pathErr != nil:
		// net/http answers such a path 400 before S3 reads it.
		return c.usageError("--path %q has an escape S3 cannot read: %v", f.path, pathErr), false
	case !strings.HasPrefix(f.path, "/") || addressOf(f.path).Bucket == "":
		// "//bucket/key" names the empty bucket, as serve reads it
		// (InvalidBucketName), not "bucket".
		return c.usageError("--path %q does not name a bucket: write /bucket or /bucket/key", f.path), false
	}
	return 0, true
}

// checkConfiguration reports the first mistake in what f says of the
// bucket's configuration (FILE, --config, given as config, --example,
// --no-config, --no-bucket and the flags that read a FILE) as a usage
// error, and returns ok false: explain answers for one bucket, as it is.
func (f *explainFlags) checkConfiguration(c *command, config string) (int, bool) {
	sources := len(f.files)
	for _, b := range []bool{f.example, f.noConfig, f.noBucket} {
		if b {
			sources++
		}
	}
	switch {
	case f.given["config"] && config == "":
		return c.usageError(`--config needs a FILE ("-" for standard input)`), false
	case sources > 1:
		return c.usageError("give one configuration: FILE (or --config FILE), --example, --no-config or --no-bucket"), false
	case c.emptyFlag("resource") != "":
		return c.usageError("--resource is empty: give a value, or leave the flag out"), false
	case c.emptyValue() != "":
		return c.usageError("%s", c.emptyValue()), false
	case f.resource != "" && (f.noConfig || f.noBucket):
		without := "--no-config"
		if f.noBucket {
			without = "--no-bucket"
		}
		return c.usageError("--resource names a bucket of an infrastructure FILE, and %s reads none", without), false
	case f.example && f.input != "":
		return c.usageError("--input says how to read FILE; the --example is AWS CLI JSON"), false
	case f.example && f.values.given():
		return c.usageError(errExampleValues), false
	// Without FILE, explain reads standard input, which these flags
	// apply to as they do to a FILE: only a bucket without a
	// configuration has none.
	case (f.noConfig || f.noBucket) && f.input != "":
		return c.usageError("--input says how to read FILE, and no FILE is given"), false
	case (f.noConfig || f.noBucket) && f.values.given():
		return c.usageError("--var-file, --var, --workspace, --parameter, --stage, --param and --stack give values to the inputs of an infrastructure FILE, and no FILE is given"), false
	}
	return 0, true
}

// header returns the request headers the flags give: only those given,
// each value without the spaces and tabs around it, which HTTP drops on
// the wire (RFC 9110, section 5.5): S3 and s3cors serve never see them.
func (f *explainFlags) header() http.Header {
	h := http.Header{}
	if f.given["origin"] {
		h["Origin"] = []string{ascii.TrimOWS(f.origin)}
	}
	if f.given["request-method"] {
		h["Access-Control-Request-Method"] = []string{ascii.TrimOWS(f.reqMethod)}
	}
	if f.given["request-headers"] {
		h["Access-Control-Request-Headers"] = []string{ascii.TrimOWS(f.reqHeaders)}
	}
	return h
}

// writeExplanation prints e as text: the response, then the reasons.
// The values of the request and the configuration pass through printText,
// as validate's do: S3's error documents quote the request's as they are
// (the Access-Control-Request-Method of a refused preflight, the bucket
// of NoSuchBucket), and a line break in one would start a line of its own.
func writeExplanation(w io.Writer, e *explain.Explanation) {
	if status := e.Status(); status != 0 {
		fmt.Fprintf(w, "HTTP/1.1 %d %s\n", status, http.StatusText(status))
	} else {
		fmt.Fprintln(w, "HTTP/1.1 <the operation's status>")
	}
	for _, hv := range e.Headers {
		printText(w, "%s: %s\n", hv[0], hv[1])
	}
	fmt.Fprintln(w)
	if e.Body != "" {
		// The declaration's line break is the document's own; the
		// document is one line after it, so any other is a value's.
		body, ok := strings.CutPrefix(e.Body, xmlw.Declaration)
		if ok {
			fmt.Fprint(w, xmlw.Declaration)
		}
		printText(w, "%s\n", body)
	} else if note := e.Note(); note != "" {
		fmt.Fprintln(w, note)
	}
	if e.Body != "" || !e.Result.Preflight() {
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "--- why, rule by rule (not part of the response) ---")
	for _, s := range e.Steps() {
		printText(w, "%s: %s\n", s.Name, s.Headline)
		printText(w, "    origin   %s\n    method   %s\n    headers  %s\n", s.Origin, s.Method, s.Headers)
		if s.Note != "" {
			printText(w, "    note     %s\n", s.Note)
		}
	}
	verdict := paint(w, red, "result:")
	if e.Result.Allowed() {
		verdict = paint(w, green, "result:")
	}
	printText(w, "%s %s\n", verdict, e.Summary())
}

// schemelessOriginNote says, of an Origin without a scheme
// ("app.example.com"), that no browser sends one: a browser sends its
// origin serialized, "https://app.example.com", or "null" (the Fetch
// standard). S3 judges the Origin as written, and so does explain, so
// the answer stands, but it is the answer to a request no browser makes,
// and most often a mistake in --origin. "" for any other Origin, or none.
func schemelessOriginNote(origin string) string {
	if origin == "" || origin == "null" || strings.Contains(origin, "://") {
		return ""
	}
	example := ""
	// A host, with its port if any, is shown with a scheme; anything
	// else would not be an origin with one either.
	notHostChar := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]", r))
	}
	if u, err := url.Parse("https://" + origin); err == nil && u.Host == origin && strings.IndexFunc(origin, notHostChar) < 0 {
		example = fmt.Sprintf(", as in %q", u.String())
	}
	return fmt.Sprintf("the Origin %q has no scheme, and a browser always sends one%s: S3 judges the Origin as written, so no browser makes this request", origin, example)
}

// orderMatters says, for rules S3 receives in an order not known (a set
// the AWS provider sends in an order of its own, named set: see
// iac.Bucket.RulesSet), which other rules would answer the request
// explained by e if sent before the one that does, and how their answer
// differs; "" when no other rule matches, and the order cannot change the
// answer. S3 answers with the first rule that matches, so each rule that
// matches answers when it comes first: each is tried so, with the others
// after it in order.
func orderMatters(e *explain.Explanation, f *explainFlags, t bucket.Target, set string) string {
	answers := e.Result.Rule()
	if answers < 0 {
		return ""
	}
	var names, answers2 []string
	for k := range e.Rules {
		if k == answers {
			continue
		}
		rules := append([]corsrule.Rule{e.Rules[k]}, slices.Delete(slices.Clone(e.Rules), k, k+1)...)
		t.Config, _ = bucket.New(rules) // the same rules, valid
		alt := explain.RequestIn(f.region, f.method, f.query, f.header(), t, addressOf(f.path))
		if alt.Result.Rule() != 0 {
			continue // rule k does not match
		}
		names = append(names, e.RuleName(k))
		answers2 = append(answers2, e.RuleName(k)+" answers instead, with "+headerChanges(e.Headers, alt.Headers))
	}
	if len(names) == 0 {
		return ""
	}
	before := "the others that match"
	verb := "match"
	if len(names) == 1 {
		before, verb = e.RuleName(answers), "matches"
	}
	return lint.JoinAnd(names) + " " + verb + " too, and " + set + " is a set, which the AWS provider sends in an order of its own: " +
		"sent before " + before + ", " + strings.Join(answers2, "; sent before "+before+", ") + "."
}

// listOrder says, of the rule that answers when its lists are sets, that
// the order of the methods and ExposeHeaders S3's answer lists is the
// provider's: it sends them, as the rules, in an order of its own (PUT,
// GET, HEAD, POST, DELETE written, POST, GET, HEAD, DELETE, PUT sent,
// audit3), which the answer shown, in the written order, may not have.
func listOrder(e *explain.Explanation) string {
	k := e.Result.Rule()
	if k < 0 || !iac.ShowsListOrder(e.Rules[k]) {
		return ""
	}
	return "The methods and ExposeHeaders of " + e.RuleName(k) + " are sets too: the AWS provider sends them in an order of its own, " +
		"which S3's Access-Control-Allow-Methods and Access-Control-Expose-Headers follow, not the written order shown."
}

// headerChanges says how the headers of response b differ from those of
// a: the headers b sends with another value or a alone, then those b
// leaves out.
func headerChanges(a, b [][2]string) string {
	value := func(h [][2]string, name string) (string, bool) {
		for _, hv := range h {
			if hv[0] == name {
				return hv[1], true
			}
		}
		return "", false
	}
	var parts, without []string
	for _, hv := range b {
		if v, ok := value(a, hv[0]); !ok || v != hv[1] {
			parts = append(parts, hv[0]+": "+hv[1])
		}
	}
	for _, hv := range a {
		if _, ok := value(b, hv[0]); !ok {
			without = append(without, hv[0])
		}
	}
	if len(without) > 0 {
		parts = append(parts, "without "+lint.JoinAnd(without))
	}
	if len(parts) == 0 {
		return "the same headers"
	}
	return strings.Join(parts, ", ")
}

// addressOf returns the bucket and the key a path such as /bucket/key
// names, as S3 reads them; a key of "" names the bucket. The query string
// does not count.
func addressOf(path string) s3route.Address {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(decodedPath(path), "/"), "/")
	return s3route.Address{Bucket: bucket, Key: key}
}

// decodedPath returns path without its query and with its %-escapes
// decoded, as S3 and s3cors serve read a request's path (net/http's
// URL.Path): /miss%69ng/k names the bucket "missing", /bucket%2Fkey an
// object. A path whose escapes do not decode is returned as it is;
// parseExplain refuses it.
func decodedPath(path string) string {
	path, _, _ = strings.Cut(path, "?")
	if d, err := url.PathUnescape(path); err == nil {
		return d
	}
	return path
}
