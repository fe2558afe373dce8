// Package annotate writes findings about files for code scanning and
// continuous integration: SARIF 2.1.0 logs, which GitHub code scanning and
// other SARIF consumers read, and GitHub Actions workflow commands
// (::error file=...,line=...::message), which put annotations on a pull
// request's lines.
//
// It knows nothing of S3 or CORS: the command fills a [Finding] from S3's
// verdict (one [Rule] per S3 error code) and from lint's findings (one per
// finding id), and this package only writes them.
package annotate

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// Level is how serious a finding is, with SARIF's names.
type Level string

const (
	// Error is a configuration that will fail: S3 refuses it, or the
	// infrastructure tool does.
	Error Level = "error"
	// Warning is a mistake that S3 accepts but that breaks browsers or
	// lets attackers in.
	Warning Level = "warning"
	// Note is information: a value that could not be judged.
	Note Level = "note"
)

// Rule describes one kind of finding: an S3 error code such as
// InvalidRequest, or a lint finding id such as origin-trailing-slash.
type Rule struct {
	ID string
	// Summary is one line: SARIF's shortDescription.
	Summary string
	// Help says what the finding means and how to fix it: SARIF's
	// fullDescription and help.
	Help string
	// HelpURI points to documentation, or is "".
	HelpURI string
	// Level is the rule's default level.
	Level Level
}

// Finding is one result at one place in one file.
type Finding struct {
	// RuleID is the ID of the finding's [Rule].
	RuleID string
	Level  Level
	// File is the file's path, relative to the repository root for
	// code scanning, with the operating system's separators; "" for
	// what is in no file, such as standard input: the result then has
	// no location (the annotation attaches to the run), and Line and
	// Column, when known, start its message.
	File string
	// Line and Column are 1-based; 0 when unknown. Column counts Unicode
	// code points (SARIF's columnKind "unicodeCodePoints").
	Line, Column int
	// Resource and CORSRule name what the finding is about (a
	// CloudFormation logical ID or Terraform address, a 1-based rule);
	// "" and 0 when they do not apply. Messages start with them.
	Resource string
	CORSRule int
	// Title is a short title for the annotation (GitHub shows it in
	// bold): the S3 error code or the lint id, for instance.
	Title string
	// Message says what is wrong; Hint, when not "", why or where to
	// look (an S3 error's explanation, which is not a fix), and Fix,
	// when not "", what to do.
	Message string
	Hint    string
	Fix     string
}

// text returns the finding's message with its subject, hint and fix, as both
// formats show it. A finding with a line but no file (standard input,
// which no repository holds) starts with its line and column, which
// neither format could otherwise carry.
func (f *Finding) text() string {
	var b strings.Builder
	if f.File == "" && f.Line > 0 {
		b.WriteString("line " + strconv.Itoa(f.Line))
		if f.Column > 0 {
			b.WriteString(", column " + strconv.Itoa(f.Column))
		}
		b.WriteString(": ")
	}
	if f.Resource != "" {
		b.WriteString(f.Resource)
		if f.CORSRule > 0 {
			b.WriteString(" rule " + strconv.Itoa(f.CORSRule))
		}
		b.WriteString(": ")
	} else if f.CORSRule > 0 {
		b.WriteString("rule " + strconv.Itoa(f.CORSRule) + ": ")
	}
	b.WriteString(f.Message)
	if f.Hint != "" {
		b.WriteString("\nHint: " + f.Hint)
	}
	if f.Fix != "" {
		b.WriteString("\nFix: " + f.Fix)
	}
	return b.String()
}

// Notification is a problem of the run rather than of what it examined:
// an input that could not be read, and so was not judged. It is SARIF's
// toolExecutionNotifications, and a run with one of level [Error] did
// not succeed.
type Notification struct {
	// Level is the notification's level; "" is a [Warning], SARIF's
	// default.
	Level Level
	// File is the input's path, as in [Finding]; "" when it has none
	// (standard input).
	File    string
	Message string
}

// Tool names the program that found the findings.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// SARIF's JSON shape, as far as this package writes it.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     Level           `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		ShortDescription     *sarifText     `json:"shortDescription,omitempty"`
		FullDescription      *sarifText     `json:"fullDescription,omitempty"`
		Help                 *sarifText     `json:"help,omitempty"`
		HelpURI              string         `json:"helpUri,omitempty"`
		DefaultConfiguration *sarifRuleConf `json:"defaultConfiguration,omitempty"`
	}
	sarifRuleConf struct {
		Level Level `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID     string          `json:"ruleId"`
		RuleIndex  int             `json:"ruleIndex"`
		Level      Level           `json:"level"`
		Message    sarifText       `json:"message"`
		Locations  []sarifLocation `json:"locations,omitempty"`
		Properties map[string]any  `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// SchemaURI is the $schema a SARIF log from [WriteSARIF] names.
const SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// WriteSARIF writes one SARIF 2.1.0 log of one run of tool: its rules, in
// the order given, its invocation, then every finding as a result with
// its physical location. A finding whose RuleID is not among rules gets
// a rule with that ID and nothing else, so the log stays valid. The
// invocation holds the notifications, each located at its file, and is
// executionSuccessful unless one of them is an [Error]: a consumer that
// reads only results would otherwise take a run that could not read a
// file for one that found nothing in it.
func WriteSARIF(w io.Writer, tool Tool, rules []Rule, findings []Finding, notifications []Notification) error {
	table := ruleTable{rules: []sarifRule{}, index: map[string]int{}}
	for _, r := range rules {
		table.add(r)
	}
	results := []sarifResult{}
	for i := range findings {
		f := &findings[i]
		table.add(Rule{ID: f.RuleID})
		results = append(results, sarifResultOf(f, table.index[f.RuleID]))
	}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: tool.Name, Version: tool.Version,
		InformationURI: tool.InformationURI, Rules: table.rules}}, ColumnKind: "unicodeCodePoints", Results: results}
	run.Invocations = []sarifInvocation{sarifInvocationOf(notifications)}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifInvocationOf returns the run's one invocation: the notifications,
// each at warning level unless it says otherwise and located at its
// file, and executionSuccessful false when one of them is an [Error], so
// that a consumer reading only results does not take a run that could
// not read a file for one that found nothing in it.
func sarifInvocationOf(notifications []Notification) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range notifications {
		sn := sarifNotification{Level: n.Level, Message: sarifText{n.Message}}
		if sn.Level == "" {
			sn.Level = Warning
		}
		if sn.Level == Error {
			inv.ExecutionSuccessful = false
		}
		if n.File != "" {
			sn.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(n.File)}}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sn)
	}
	return inv
}

// ruleTable is the driver's rules, in the order first met, and the index
// of each rule ID among them, which a result's ruleIndex names: SARIF
// requires ruleIndex to point at the rule whose id is the result's
// ruleId.
type ruleTable struct {
	rules []sarifRule
	index map[string]int
}

// add appends r unless a rule with its ID is already there: the first
// description of a rule wins, and a finding's rule that the caller did
// not describe gets a rule with its ID alone, so the log stays valid.
func (t *ruleTable) add(r Rule) {
	if _, ok := t.index[r.ID]; ok {
		return
	}
	t.index[r.ID] = len(t.rules)
	sr := sarifRule{ID: r.ID, HelpURI: r.HelpURI}
	if r.Summary != "" {
		sr.ShortDescription = &sarifText{r.Summary}
	}
	if r.Help != "" {
		sr.FullDescription, sr.Help = &sarifText{r.Help}, &sarifText{r.Help}
	}
	if r.Level != "" {
		sr.DefaultConfiguration = &sarifRuleConf{r.Level}
	}
	t.rules = append(t.rules, sr)
}

// sarifResultOf returns finding f as a SARIF result whose rule is the
// driver's rule at ruleIndex: at warning level unless f says otherwise,
// located at its file (and line and column when known; a result with no
// file, such as one about standard input, has no location), with its
// resource and CORS rule as properties when it names them.
func sarifResultOf(f *Finding, ruleIndex int) sarifResult {
	res := sarifResult{RuleID: f.RuleID, RuleIndex: ruleIndex, Level: f.Level, Message: sarifText{f.text()}}
	if res.Level == "" {
		res.Level = Warning
	}
	if f.File != "" {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(f.File)}}}
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		}
		res.Locations = []sarifLocation{loc}
	}
	if f.Resource != "" || f.CORSRule > 0 {
		res.Properties = map[string]any{}
		if f.Resource != "" {
			res.Properties["resource"] = f.Resource
		}
		if f.CORSRule > 0 {
			res.Properties["corsRule"] = f.CORSRule
		}
	}
	return res
}

// fileURI returns a file path as a URI reference: relative paths stay
// relative (code scanning resolves them against the repository), with
// forward slashes and each segment escaped.
func fileURI(path string) string {
	slashed := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: slashed}).String()
	}
	return (&url.URL{Path: slashed}).String()
}

// WriteGitHub writes each finding as a GitHub Actions workflow command:
// ::error, ::warning or ::notice, with the file, line, col and title
// properties it has, then the message. line and col go with file only:
// without it the runner attaches the annotation to the run, and the
// message starts with the line and column instead.
func WriteGitHub(w io.Writer, findings []Finding) error {
	var b strings.Builder
	for i := range findings {
		f := &findings[i]
		cmd := "warning"
		switch f.Level {
		case Error:
			cmd = "error"
		case Note:
			cmd = "notice"
		}
		b.WriteString("::" + cmd)
		var props []string
		if f.File != "" {
			props = append(props, "file="+EscapeProperty(filepath.ToSlash(f.File)))
		}
		if f.File != "" && f.Line > 0 {
			props = append(props, "line="+strconv.Itoa(f.Line))
			if f.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Column))
			}
		}
		if f.Title != "" {
			props = append(props, "title="+EscapeProperty(f.Title))
		}
		if len(props) > 0 {
			b.WriteString(" " + strings.Join(props, ","))
		}
		b.WriteString("::" + EscapeData(f.text()) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// EscapeData escapes the message of a workflow command as the GitHub
// Actions runner reads it: %, CR and LF become %25, %0D and %0A.
func EscapeData(s string) string { return dataEscaper.Replace(s) }

// EscapeProperty escapes a property value of a workflow command: as
// [EscapeData], and : and , become %3A and %2C.
func EscapeProperty(s string) string { return propertyEscaper.Replace(s) }

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
