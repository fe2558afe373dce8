package inspect

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/ascii"
	"github.com/s3cors/s3cors/internal/explain"
	"github.com/s3cors/s3cors/internal/lint"
	"github.com/s3cors/s3cors/internal/s3route"
	"github.com/s3cors/s3cors/s3err"
)

// assets are the templates, the stylesheet and the script: no build
// step, nothing fetched from elsewhere.
//
//go:embed assets
var assets embed.FS

var funcs = template.FuncMap{
	"statusText": http.StatusText,
	// shown shows a value as lint's sentences do: as it is, or quoted
	// when a character would be invisible or reorder the page around
	// it. The script's shown is its twin.
	"shown":      lint.ShownBare,
	"bucketPath": bucketPath,
}

// bucketPath returns the path of the page of the bucket named name, its
// name escaped as one path segment, or "" when no path leads there: the
// name is any the request held ("a?b", "a/b" from "a%2Fb"), and "." and
// ".." are cleaned out of a path before it reaches a page.
func bucketPath(name string) string {
	if name == "." || name == ".." {
		return ""
	}
	return Prefix + "buckets/" + url.PathEscape(name)
}

// pages holds one template set per page, each the layout with the page's
// content and the shared parts.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"live", "request", "buckets", "bucket", "try", "notfound"} {
		m[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(assets,
			"assets/templates/layout.html", "assets/templates/parts.html", "assets/templates/"+name+".html"))
	}
	return m
}()

// page is what the layout reads; Data is the page's own.
type page struct {
	Title string
	// Nav is the section of the navigation that is current: "live" or
	// "buckets".
	Nav string
	// Script is true for the pages that load the script.
	Script bool
	Data   any
}

// render writes a page. Templates are executed into a buffer first, so
// that a failure is answered 500 rather than half a page.
func render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		http.Error(w, "inspector: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// bucketNames returns the buckets the server knows, none when the
// inspector was given no bucket store.
func (in *Inspector) bucketNames() []string {
	if in.opts.Buckets == nil {
		return nil
	}
	return in.opts.Buckets.BucketNames()
}

func (in *Inspector) serveLive(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusOK, "live", page{Title: "Live requests", Nav: "live", Script: true, Data: struct {
		Capacity int
		Buckets  []string
	}{in.opts.Capacity, in.bucketNames()}})
}

// noBucket says, in a clause, that the pages know no bucket name.
func (in *Inspector) noBucket(name string) string {
	if in.opts.CachedBuckets {
		return "the proxy holds no configuration for bucket " + lint.ShownBare(name)
	}
	return "there is no bucket " + lint.ShownBare(name)
}

// sentence makes a clause a sentence.
func sentence(clause string) string { return strings.ToUpper(clause[:1]) + clause[1:] + "." }

// serveNoRoute answers a request that no route of mux takes: 405 when
// a GET or a POST of the same path would be answered (a POST to the
// API, a DELETE of a page, a preflight of the form), 404 otherwise; as JSON under the API's path, which
// scripts read, and as a page elsewhere.
func (in *Inspector) serveNoRoute(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, pattern := mux.Handler(other); pattern != Prefix && m != r.Method {
			allowed = append(allowed, m)
			if m == http.MethodGet {
				allowed = append(allowed, http.MethodHead)
			}
		}
	}
	api := strings.HasPrefix(r.URL.Path, Prefix+"api/")
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		msg := "the inspector answers " + lint.ShownBare(r.URL.Path) + " to " + strings.Join(allowed, ", ") + " only, not to " + lint.ShownBare(r.Method)
		if api {
			writeJSONError(w, http.StatusMethodNotAllowed, msg)
			return
		}
		render(w, http.StatusMethodNotAllowed, "notfound", page{Title: "Method not allowed", Data: problem{"Method not allowed", sentence(msg)}})
		return
	}
	if api {
		writeJSONError(w, http.StatusNotFound, "the inspector's API has nothing at "+lint.ShownBare(r.URL.Path))
		return
	}
	in.notFound(w, "No such page", "The inspector has no page at "+lint.ShownBare(r.URL.Path)+".")
}

// problem is what the page of a request the inspector cannot answer
// shows: a heading, and a sentence saying why.
type problem struct{ Heading, Message string }

func (in *Inspector) notFound(w http.ResponseWriter, title, msg string) {
	render(w, http.StatusNotFound, "notfound", page{Title: title, Data: problem{"Not found", msg}})
}

// serveCrossOrigin answers a form posted from another site, which
// http.CrossOriginProtection refuses: the inspector's POSTs change
// nothing, but a page elsewhere must not drive them either.
func (in *Inspector) serveCrossOrigin(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "inspector: a form posted from another site is refused; use the inspector's own page", http.StatusForbidden)
}

// requestPage is what the page of one request shows.
type requestPage struct {
	EventJSON
	StatusText string
	Sent       [][2]string
	Why        *why
	// Changed, when not "", says how the bucket's configuration is not
	// the one that answered the request any more: other rules, or the
	// bucket created or deleted since.
	Changed string
}

// why is the reasons a page shows: explain's, in words.
type why struct {
	Summary string
	Steps   []explain.Step
}

// serveRequest shows one recorded request with explain's reasons, or a
// page saying whether its id is no number or was pushed out of the
// ring, and notes when the bucket's rules have changed since, or the
// bucket was created or deleted.
func (in *Inspector) serveRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := requestID(r)
	if !ok {
		// As the API says it: not a number, rather than not kept.
		in.notFound(w, "No such request", "Request "+lint.ShownBare(r.PathValue("id"))+" names no event: an event's id is a number.")
		return
	}
	e := in.ring.get(id)
	if e == nil {
		in.notFound(w, "No such request", "Request "+lint.ShownBare(r.PathValue("id"))+" is not in the ring: it was never recorded, or "+
			strconv.Itoa(in.opts.Capacity)+" newer ones replaced it.")
		return
	}
	x := e.explain()
	p := requestPage{EventJSON: e.json(), Sent: e.sent}
	var steps []explain.Step
	if x != nil {
		steps = x.Steps()
		p.Changed = in.configChanged(e)
	}
	p.Why = newWhy(e.summary(x), steps)
	render(w, http.StatusOK, "request", page{Title: "Request " + strconv.FormatUint(id, 10), Nav: "live", Data: p})
}

// configChanged says how the bucket of e differs now from when e was
// answered, "" when it does not: it has other rules, or it was created or
// deleted since, which also answers the request otherwise and makes the
// bucket's link open what did not answer it. The same rules put again
// make another Config, which answers every request as the first did. A
// bucket the proxy's cache no longer holds (CachedBuckets) is not known
// to be deleted.
func (in *Inspector) configChanged(e *event) string {
	if in.opts.Buckets == nil {
		return ""
	}
	cfg, err := in.config(e.bucket)
	switch {
	case err == nil && e.target.NoBucket:
		return "the bucket did not exist when the request came, and was created since."
	case err != nil && !e.target.NoBucket && !in.opts.CachedBuckets:
		return "the bucket was deleted since; this is the configuration that answered the request."
	case err == nil && cfg != e.target.Config && !reflect.DeepEqual(cfg.Rules(), e.target.Config.Rules()):
		return "this is the configuration that answered the request."
	}
	return ""
}

// config returns the configuration the server applies to a bucket: its
// own, else the fallback.
func (in *Inspector) config(name string) (*bucket.Config, error) {
	if in.opts.Buckets == nil {
		return nil, s3err.NoSuchBucket(name)
	}
	cfg, err := in.opts.Buckets.BucketCors(name)
	if err == nil && cfg == nil {
		cfg = in.opts.Fallback
	}
	return cfg, err
}

// bucketSummary is one line of the list of buckets.
type bucketSummary struct {
	Name     string
	Rules    int
	Findings int
	Own      bool // the bucket has a configuration of its own
}

// serveBuckets lists the buckets with the number of rules and findings
// of the configuration each one answers with, its own or the fallback.
func (in *Inspector) serveBuckets(w http.ResponseWriter, r *http.Request) {
	var list []bucketSummary
	for _, name := range in.bucketNames() {
		own, err := in.opts.Buckets.BucketCors(name)
		if err != nil {
			continue // deleted meanwhile
		}
		cfg := own
		if cfg == nil {
			cfg = in.opts.Fallback
		}
		list = append(list, bucketSummary{Name: name, Rules: cfg.Len(), Findings: len(lint.Check(cfg.Rules())), Own: own != nil})
	}
	render(w, http.StatusOK, "buckets", page{Title: "Buckets", Nav: "buckets", Data: struct {
		Buckets  []bucketSummary
		Fallback bool
		Cached   bool
	}{list, in.opts.Fallback != nil, in.opts.CachedBuckets}})
}

// bucketPage is what the page of one bucket shows.
type bucketPage struct {
	Name string
	// Own is true when the bucket has a configuration of its own;
	// Fallback when it has none and the server's fallback applies.
	Own, Fallback bool
	Rules         []ruleRow
	Findings      []lint.Finding
	Matrix        *matrix
}

// ruleRow is one rule as the table shows it.
type ruleRow struct {
	Number                            int
	ID                                string
	Origins, Methods, Headers, Expose []string
	MaxAge                            string // "" when not set
}

// bucketData returns what a bucket's pages show, or false when there is
// no such bucket.
func (in *Inspector) bucketData(name string) (bucketPage, bool) {
	if in.opts.Buckets == nil {
		return bucketPage{}, false
	}
	own, err := in.opts.Buckets.BucketCors(name)
	if err != nil {
		return bucketPage{}, false
	}
	cfg := own
	if cfg == nil {
		cfg = in.opts.Fallback
	}
	p := bucketPage{Name: name, Own: own != nil, Fallback: own == nil && cfg != nil}
	rules := cfg.Rules()
	for i, rule := range rules {
		row := ruleRow{Number: i + 1, ID: rule.ID, Origins: rule.AllowedOrigins, Methods: rule.AllowedMethods,
			Headers: rule.AllowedHeaders, Expose: rule.ExposeHeaders}
		if rule.MaxAgeSeconds != nil {
			row.MaxAge = strconv.Itoa(int(*rule.MaxAgeSeconds))
		}
		p.Rules = append(p.Rules, row)
	}
	if len(rules) > 0 {
		p.Findings = lint.Check(rules)
		p.Matrix = newMatrix(rules)
	}
	return p, true
}

// serveBucket shows one bucket's rules, lint findings and matrix.
func (in *Inspector) serveBucket(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	p, ok := in.bucketData(name)
	if !ok {
		in.notFound(w, "No such bucket", sentence(in.noBucket(name)))
		return
	}
	render(w, http.StatusOK, "bucket", page{Title: "Bucket " + name, Nav: "buckets", Data: p})
}

// tryForm is what the "try a request" form sends.
type tryForm struct {
	Kind                         string // "preflight" or "actual"
	Origin, Method, Headers, Key string
	// Query is the request's query string, without its "?": it names
	// the operation of an actual request (GET ?delete is S3's 405).
	Query string
	query url.Values
}

// tryResult is the answer to a tried request.
type tryResult struct {
	Preflight bool
	Status    int // 0 when the operation decides
	Headers   [][2]string
	Body      string
	Note      string
	Allowed   bool
	Why       *why
}

// tryPage is what the "try a request" page shows.
type tryPage struct {
	Name   string
	Form   tryForm
	Error  string
	Result *tryResult
}

// serveTry shows the "try a request" form and, when it was posted, what
// the bucket would answer that request, worked out from its rules
// without sending anything.
func (in *Inspector) serveTry(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, ok := in.bucketData(name); !ok {
		in.notFound(w, "No such bucket", sentence(in.noBucket(name)))
		return
	}
	p := tryPage{Name: name, Form: tryForm{Kind: "preflight", Method: http.MethodGet}}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		var err error
		p.Form, err = readTryForm(w, r)
		if err == nil {
			p.Result, err = in.try(name, p.Form)
		}
		if err != nil {
			p.Error = err.Error()
			status = http.StatusBadRequest
		}
	}
	render(w, status, "try", page{Title: "Try a request on " + name, Nav: "buckets", Data: p})
}

// readTryForm reads and checks the form.
func readTryForm(w http.ResponseWriter, r *http.Request) (tryForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTryForm)
	if err := r.ParseForm(); err != nil {
		return tryForm{Kind: "preflight"}, errors.New("the form could not be read: " + err.Error())
	}
	// The origin, method and headers are what the request's header
	// fields (and line) hold, which have no white space around them (RFC
	// 9110, section 5.5): a request with a value typed or pasted with a
	// space around it reaches the endpoint without it.
	f := tryForm{Kind: r.PostForm.Get("kind"), Origin: ascii.TrimOWS(r.PostForm.Get("origin")), Method: ascii.TrimOWS(r.PostForm.Get("method")),
		Headers: ascii.TrimOWS(r.PostForm.Get("headers")), Key: r.PostForm.Get("key"), Query: strings.TrimPrefix(r.PostForm.Get("query"), "?")}
	var err error
	if f.query, err = url.ParseQuery(f.Query); err != nil {
		return f, errors.New("the query " + strconv.Quote(f.Query) + " could not be read: " + err.Error())
	}
	switch {
	case f.Kind != "preflight" && f.Kind != "actual":
		return f, errors.New("choose a preflight or an actual request")
	case f.Kind == "actual" && !ascii.IsToken(f.Method):
		return f, errors.New("the method " + strconv.Quote(f.Method) + " is not an HTTP method")
	case f.Kind == "actual" && f.Method == http.MethodOptions:
		return f, errors.New("an OPTIONS request is a preflight: choose Preflight and give the method it asks about")
	}
	return f, nil
}

// try explains the request the form describes, against the bucket's
// configuration as the server applies it now.
func (in *Inspector) try(name string, f tryForm) (*tryResult, error) {
	cfg, err := in.config(name)
	if err != nil {
		return nil, errors.New(in.noBucket(name) + " any more")
	}
	h := http.Header{}
	if f.Origin != "" {
		h["Origin"] = []string{f.Origin}
	}
	method := f.Method
	if f.Kind == "preflight" {
		method = http.MethodOptions
		h["Access-Control-Request-Method"] = []string{f.Method}
		if strings.TrimSpace(f.Headers) != "" {
			h["Access-Control-Request-Headers"] = []string{f.Headers}
		}
	}
	region := cmp.Or(in.opts.Region, explain.DefaultRegion)
	x := explain.RequestIn(region, method, f.query, h, bucket.Target{Config: cfg, Object: f.Key != ""}, s3route.Address{Bucket: name, Key: f.Key})
	return &tryResult{Preflight: x.Result.Preflight(), Status: x.Status(), Headers: x.Headers, Body: x.Body, Note: x.Note(),
		Allowed: x.Result.Allowed(), Why: newWhy(x.Summary(), x.Steps())}, nil
}
