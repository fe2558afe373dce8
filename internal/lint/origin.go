package lint

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/s3cors/s3cors/corsrule"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// A browser's Origin header is a serialized origin: a lower-case scheme,
// "://", a lower-case ASCII host, and ":port" only when the port is not
// the scheme's default; no path, no trailing slash, no white space. Or it
// is "null", for documents whose origin is opaque. S3 compares
// AllowedOrigin values with it byte for byte, one "*" standing for any
// run of characters.

// origins checks each AllowedOrigin of the rule.
func (c *checker) origins() {
	pats := make([]pattern, len(c.r.AllowedOrigins))
	for k, o := range c.r.AllowedOrigins {
		pats[k] = originPattern(o)
	}
	writes := c.writeMethods()
	for k, o := range c.r.AllowedOrigins {
		if other, dup := duplicateOf(pats, k); dup {
			first := c.r.AllowedOrigins[other]
			if first == o {
				c.add(IDDuplicateOrigin, fieldOrigin, k, o,
					"The rule already lists "+strconv.Quote(o)+".",
					"Remove the second "+strconv.Quote(o)+".")
				continue // its other findings are reported on the first
			}
			c.add(IDDuplicateOrigin, fieldOrigin, k, o,
				"The AllowedOrigin "+strconv.Quote(first)+" of the same rule already admits every origin "+strconv.Quote(o)+" admits.",
				"Remove "+strconv.Quote(o)+".")
		}
		c.origin(k, o, writes)
	}
}

// commaList returns the pieces of o, a value holding commas, each quoted
// and without white space, and true when o is a list of origins written
// as one value ("https://a.com,https://b.com"): a piece after the first
// holds "://", which no host holds, or every piece looks like an origin
// (looksLikeOrigin). Otherwise the comma is in the host, where the URL
// standard allows it and browsers keep it ("https://ex,ample.com" is
// the origin https://ex,ample.com in Node and Chromium): hostFindings
// speaks of it.
func commaList(o string) (quoted []string, ok bool) {
	if !strings.Contains(o, ",") {
		return nil, false
	}
	var parts []string
	for p := range strings.SplitSeq(o, ",") {
		if p = strings.Join(strings.Fields(p), ""); p != "" {
			parts = append(parts, p)
		}
	}
	scheme := false
	for _, p := range parts[min(1, len(parts)):] {
		scheme = scheme || strings.Contains(p, "://")
	}
	if !scheme && !slices.ContainsFunc(parts, func(p string) bool { return !looksLikeOrigin(p) }) {
		scheme = true
	}
	if !scheme {
		return nil, false
	}
	for _, p := range parts {
		quoted = append(quoted, strconv.Quote(p))
	}
	return quoted, true
}

// commaOrigin reports whether o, a value commaList reads as a list, may
// still equal a browser's Origin as a whole: the URL standard allows a
// comma in a host, and new URL("https://a.com,b.com").origin is the
// value itself, which a page served under that name (from a hosts file
// or a resolver of its own) sends. It may not when a piece after the
// first holds "://" (new URL("https://a.com,https://b.com").origin is
// "https://a.com,https": no Origin holds "://" twice), nor when o has
// no scheme, white space, a path, a user name, upper case, a port that
// is no number, or a host browsers refuse, nor when its scheme is one
// of the URL standard's special schemes whose origin no page sends with
// a host: ws and wss (webSocket), ftp (ftp) and file (fileWithHost).
// A scheme that is none of the special ones is an app's or an
// extension's (opaqueHost), which browsers give the origin "null" but
// the app may send with its host, as origin checks leave it alone: app
// is then set, for the finding to say so.
func commaOrigin(o string) (may, app bool) {
	_, rest, _ := strings.Cut(o, ",")
	if strings.Contains(strings.Join(strings.Fields(rest), ""), "://") || strings.ContainsFunc(o, unicode.IsSpace) {
		return false, false
	}
	u := parseOrigin(o)
	if u.noScheme || u.rest != "" || u.user || u.bracket || u.afterIPv6 != "" || strings.ContainsAny(u.host, forbiddenHost) {
		return false, false
	}
	switch strings.ToLower(u.scheme) {
	case "ws", "wss", "ftp", "file":
		return false, false
	}
	if hasUpper(u.scheme) || !keepsHostCase(u.scheme) && hasUpper(u.host) || strings.Trim(u.port, "0123456789*") != "" {
		return false, false // "https://A.com,b.com", "http://localhost:30,00"
	}
	if opaqueHost(u.scheme) {
		return true, true
	}
	if u.webScheme() && u.neverPort() {
		// "https://*a,b.com:443": new URL("https://xa,b.com:443").origin
		// is "https://xa,b.com".
		return false, false
	}
	// "http://192,168.1.10": a host ending in a number is read as an
	// IPv4 address, which this one is not.
	return !u.webScheme() || !refusedIPv4(percentDecode(u.host)), false
}

// neverPort reports whether no http or https Origin the value admits
// holds its port: one no browser writes (badPort), a bad port they all
// load nothing from (refusedPort), or the default port of every scheme
// it admits ("https://a.com:443", "https*://a.com:443"; "*a.com:443"
// admits http://a.com:443).
func (u originParts) neverPort() bool {
	if u.badPort() || refusedPort(normalPort(u.port)) || u.defaultPort() {
		return true
	}
	only := u.starSchemes()
	return len(only) == 1 && !u.colonless && isDefaultPort(only[0], u.port)
}

// looksLikeOrigin reports whether p, a piece of a value between commas,
// looks like an origin of its own, with or without its scheme: "*",
// "null", or a host that holds a `*`, is "localhost", an IP address, or a
// name ending in a top-level domain ("ample.com", not "ex" nor
// "app.ex").
func looksLikeOrigin(p string) bool {
	if p == "*" || p == "null" {
		return true
	}
	host := strings.ToLower(parseOrigin(p).host)
	if strings.Contains(host, "*") || host == "localhost" || strings.HasPrefix(host, "[") {
		return true
	}
	if _, ip, ok := ipHost(host); ip && ok {
		return true
	}
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 {
		return false
	}
	_, icann := publicsuffix.PublicSuffix(host[dot+1:])
	return icann
}

// originCheck is one AllowedOrigin being checked: the value as written,
// what is read of it as the steps go, and what their findings said.
type originCheck struct {
	c      *checker
	k      int      // the value's index in the rule's list
	o      string   // the value as written
	writes []string // the rule's PUT, POST and DELETE
	// t is the value as read: without its white space, URL-decoded, what
	// follows its last scheme, with the slashes a special scheme lacks,
	// or the https value an ftp one stands for; u is t taken apart.
	t string
	u originParts
	// twice is set when t is what follows a second scheme of the value
	// ("https://https://example.com") or the value URL-decoded, whose
	// scheme the value's first finding spoke of.
	twice bool
	// refusedHost is set when the host holds characters beyond ASCII
	// that IDNA refuses (idnaRefused): browsers refuse the URL, and
	// origin-non-ascii, which said so, is the value's last finding.
	refusedHost bool
	// never is set once a finding says no browser's Origin matches o,
	// which then admits no website at all. Its wildcard findings still
	// warn of what the value admits once that is fixed.
	never bool
}

// add adds a finding on the value.
func (v *originCheck) add(id, why, fix string) { v.c.add(id, fieldOrigin, v.k, v.o, why, fix) }

// addNever adds a finding that says no browser's Origin matches the value.
func (v *originCheck) addNever(id, why, fix string) { v.never = true; v.add(id, why, fix) }

// anyWrites adds any-origin-writes when the rule lets the value, which
// admits every website, write.
func (v *originCheck) anyWrites() {
	if len(v.writes) > 0 && !v.never {
		v.add(IDAnyOriginWrites,
			strconv.Quote(v.o)+" lets every website send "+JoinAnd(v.writes)+" requests to this bucket from its visitors' browsers and read the answers: "+
				"browsers add no AWS credentials, but a bucket that grants writes by where a request comes from (aws:SourceIp, a VPC endpoint, an intranet) takes them.",
			"List your application's origins in a rule for "+JoinAnd(v.writes)+", and keep "+strconv.Quote(v.o)+" in a separate rule with only GET and HEAD.")
	}
}

// origin checks one AllowedOrigin, at index k of the rule's list, step by
// step: the values that are no origin to read (special, list), its
// characters (text), the value it means (meant), then its scheme, host,
// port and path, the escapes of its host, and where its `*` stands
// (wildcard). A step that finds the
// value's last finding ends the checks. It reports whether a finding
// said no browser's Origin matches o.
func (c *checker) origin(k int, o string, writes []string) (never bool) {
	v := &originCheck{c: c, k: k, o: o, writes: writes, t: o}
	defer func() { never = v.never }()
	if v.special() || v.list() {
		return
	}
	v.text()
	v.meant()
	if v.scheme() || v.host() {
		return
	}
	v.port()
	v.path()
	v.hostEscapes()
	v.wildcard()
	return
}

// OriginReach is what an AllowedOrigin admits, as [Check] reads it.
type OriginReach struct {
	// Every is true when the value admits every website ("*",
	// "https://*", "http://*"): a rule that lets it write gets
	// any-origin-writes.
	Every bool
	// Never is true when no browser's Origin matches the value
	// ("HTTPS://APP.EXAMPLE.COM", "https://a.example.com/"): one of its
	// findings says it never matches.
	Never bool
}

// ReachOf returns what the AllowedOrigin o admits, by the same checks
// [Check] runs on it, so that a view of a configuration calls "every
// site" and "never matches" what lint does.
func ReachOf(o string) OriginReach {
	writes := []string{"PUT"}
	c := &checker{n: 1, r: &corsrule.Rule{AllowedOrigins: []string{o}, AllowedMethods: writes}}
	never := c.origin(0, o, writes)
	every := slices.ContainsFunc(c.found, func(f Finding) bool { return f.ID == IDAnyOriginWrites })
	return OriginReach{Every: every, Never: never}
}

// special checks the values that are no URL: "*", "" and "null", and
// reports whether the value was one.
func (v *originCheck) special() bool {
	switch v.o {
	case "*":
		v.anyWrites()
	case "":
		v.addNever(IDOriginEmpty,
			"An empty AllowedOrigin matches no request: S3 treats an empty Origin header as no Origin.",
			"Remove it.")
	case "null":
		v.add(IDOriginNull,
			`"null" admits every document with an opaque origin, such as a sandboxed iframe or a file: page, which any website can create.`,
			`Remove "null"; serve the pages that need the bucket from a real origin and list that.`)
	default:
		return false
	}
	return true
}

// list checks for several origins written as one value, separated by
// commas or white space, and reports whether it found them.
func (v *originCheck) list() bool {
	o := v.o
	if parts, ok := commaList(o); ok {
		fix := "List each origin as its own AllowedOrigin: " + strings.Join(parts, ", ") + "."
		const none = "S3 compares the whole value with the Origin header, which holds one origin, so a list separated by commas "
		may, app := commaOrigin(o)
		switch {
		case !may:
			v.addNever(IDOriginCommaSeparated, none+"never matches.", fix)
		case app:
			// "htps://*.examp,le.com": new URL("htps://a.examp,le.com")
			// .origin is "null" in Node.
			v.add(IDOriginCommaSeparated,
				none+"admits none of the origins it lists; the URL standard gives a URL whose scheme is none of http, https, ws, wss, ftp and file the origin \"null\", so only a browser extension or an app that sends origins of its own scheme (as \"chrome-extension://ID\" or \"capacitor://localhost\"), under a host holding the commas, may send it.",
				fix)
		default:
			v.add(IDOriginCommaSeparated,
				none+"admits none of the origins it lists; browsers accept a comma in a host, so only a page served under a name holding the commas, which no domain anyone can register does, may send it.",
				fix)
		}
		return true
	}
	if fields := strings.Fields(o); len(fields) > 1 && strings.Count(o, "://") > 1 {
		quoted := make([]string, len(fields))
		for i, f := range fields {
			quoted[i] = strconv.Quote(f)
		}
		v.addNever(IDOriginWhitespace,
			"A browser's Origin never holds white space, and S3 compares the whole value with the Origin header, which holds one origin, so a list separated by spaces never matches.",
			"List each origin as its own AllowedOrigin: "+strings.Join(quoted, ", ")+".")
		return true
	}
	return false
}

// text checks the value's characters: white space, which it drops from
// t, and characters beyond printable ASCII.
func (v *originCheck) text() {
	o := v.o
	t := o
	if strings.ContainsAny(o, " \t\r\n\v\f") {
		t = strings.Join(strings.Fields(o), "")
		v.addNever(IDOriginWhitespace,
			"A browser's Origin never holds white space, so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
	v.t = t
	if strings.ContainsFunc(t, unprintable) {
		v.unprintable(t)
	}
}

// unprintable reports the characters beyond printable ASCII of t, the
// value without its white space, by where they stand: in a part whose
// characters make browsers refuse the URL, in the host, which browsers
// send in punycode, or only in what no Origin holds (a path, query,
// fragment or user name).
func (v *originCheck) unprintable(t string) {
	o := v.o
	// The host as written: its escapes are escapedNonASCII's.
	p := parseOrigin(t)
	if p.webHost() && idnaRefused(p.host) {
		// "https://a\u202eb.com": IDNA disallows U+202E, a bidi
		// control (Node's new URL and Chromium 156 throw), so the host
		// has no punycode form to write, and what else the value holds
		// changes nothing: host ends the checks, as for a host whose
		// escapes IDNA refuses.
		v.refusedHost = true
		v.addNever(IDOriginNonASCII,
			"Browsers send a host beyond ASCII in its punycode form (IDNA's ToASCII) and refuse the URL when it has none, as "+strconv.Quote(p.host)+" has none, so no page has this origin and "+strconv.Quote(o)+" never matches.",
			askOriginFix)
		return
	}
	if r, where, ok := refusingCharacter(t, p); ok {
		// "https://x.example:８０８０", "https://x.example\x7f": Node's
		// new URL throws ERR_INVALID_URL, so there is no host to write
		// in punycode, and no page to take the origin of.
		v.addNever(IDOriginNonASCII,
			"The URL standard's parser, which browsers follow, refuses a URL with "+fmt.Sprintf("%U", r)+" "+where+", so no page has this origin and "+strconv.Quote(o)+" never matches.",
			askOriginFix)
		return
	}
	c, fixed := fixOrigin(t)
	fixed = fixed && !strings.ContainsFunc(c, unprintable)
	if !strings.ContainsFunc(p.host, unprintable) {
		// "https://x.example/é", "https://ü@x.example": the page has
		// an ASCII origin, which origin-path speaks of too.
		fix := askOriginFix
		if fixed {
			fix = "Write " + strconv.Quote(c) + "."
		}
		v.addNever(IDOriginNonASCII,
			"Its characters beyond printable ASCII stand in a path, query, fragment or user name, none of which browsers send in an Origin, so "+strconv.Quote(o)+" never matches.",
			fix)
		return
	}
	// The fix writes the host as browsers send it (UTS #46 ToASCII, as
	// the URL standard's host parser runs it) when they can, and the
	// origin is printable ASCII then.
	fix := "Write the host in its punycode form, as the browser's address bar shows it when copied."
	if fixed {
		fix = "Write " + strconv.Quote(c) + "."
	}
	v.addNever(IDOriginNonASCII,
		"Browsers send an internationalised host in its ASCII form (punycode, \"xn--...\"), so no Origin holds "+strconv.Quote(p.host)+" and "+strconv.Quote(o)+" never matches.",
		fix)
}

// refusingCharacter returns the first character beyond printable ASCII
// of t, taken apart as p, in a part where browsers refuse one, and where
// it stands: in the scheme ("httpś://", which is then no scheme p
// holds), in the port (":８０８０", ":8080é", which are no digits a port
// holds), after an IPv6 literal, or, in the host of a web scheme, DEL or
// a control character, which the URL standard forbids in a domain
// ("x.example\x7f"). Characters IDNA maps ("ｅｘａｍｐｌｅ") or refuses
// (idnaRefused) are the host's own case.
func refusingCharacter(t string, p originParts) (r rune, where string, ok bool) {
	scheme, _, _ := strings.Cut(t, "://")
	if strings.ContainsAny(scheme, "/?#") || scheme == t {
		scheme = ""
	}
	for _, part := range []struct{ text, where string }{
		{scheme, "in its scheme"}, {p.port, "in its port"}, {p.afterIPv6, "after its IPv6 address"},
	} {
		if i := strings.IndexFunc(part.text, unprintable); i >= 0 {
			r, _ := utf8.DecodeRuneInString(part.text[i:])
			return r, part.where, true
		}
	}
	if i := strings.IndexFunc(p.host, unicode.IsControl); i >= 0 && p.webHost() {
		r, _ := utf8.DecodeRuneInString(p.host[i:])
		return r, "in its host", true
	}
	return 0, "", false
}

// meant reads t and u as the value meant: the value URL-decoded, or what
// follows its last scheme, of which it adds the findings, or a special
// scheme with the slashes it lacks.
func (v *originCheck) meant() {
	o, t := v.o, v.t
	twice := false
	if d := percentDecode(t); d != t && !strings.Contains(t, "://") && strings.Contains(d, "://") {
		// "https%3A%2F%2Fapp.example.com": the whole value URL-encoded,
		// as a query string or a form carries it. Its other findings
		// are those of the value decoded, whose fixes are this one's.
		esc := firstEscape(t)
		v.addNever(IDOriginNoScheme,
			"The value is URL-encoded ("+strconv.Quote(esc)+" for "+strconv.Quote(percentDecode(esc))+"), and a browser's Origin holds its scheme, \"://\" and host as they are, so "+strconv.Quote(o)+" never matches.",
			writeFix(d, ""))
		t, twice = d, true
	}
	if inner, ok := lastScheme(t); ok {
		// "https://${DomainName}" with a URL in DomainName. The value's
		// other findings are those of what follows its last scheme: the
		// value that was meant, whose fixes are this one's.
		v.addNever(IDOriginNoScheme,
			"A browser's Origin holds one scheme, before its host, so "+strconv.Quote(o)+" never matches.",
			writeFix(inner, ""))
		t, twice = inner, true
	}
	u := parseOrigin(t)
	if s := strings.ToLower(u.scheme); u.noScheme && !u.slashes && !twice && (s == "ftp" || s == "ws" || s == "wss") {
		// "ftp:example.com", "wss:/example.com": the URL standard reads
		// a special scheme without its slashes as with them (Node's new
		// URL("ftp:example.com").origin is ftp://example.com), so the
		// value's findings are those of the value with them, whose fix
		// writes the page's origin, not a host made of the scheme
		// ("https://ftp").
		if _, rest, ok := misspeltScheme(t); ok && rest != "" {
			t = u.scheme + "://" + rest
			u = parseOrigin(t)
		}
	}
	v.t, v.u, v.twice = t, u, twice
}

// scheme checks the value's scheme (ws, wss, ftp, file, none or written
// wrong), reads t and u as the https value an ftp one stands for, and
// reports whether it found the value's last finding (a file: value with
// a host or path).
func (v *originCheck) scheme() bool {
	v.webSocket()
	v.ftp()
	if v.fileWithHost() {
		return true
	}
	v.noScheme()
	return false
}

// webSocket reports a ws: or wss: value. A WebSocket's handshake carries
// the Origin of the page that opens it, whose scheme is http or https:
// no document has a ws: or wss: URL. The fix, as canonical writes it, is
// the page's origin, https for wss and http for ws.
func (v *originCheck) webSocket() {
	o, t, u := v.o, v.t, v.u
	if ws := strings.ToLower(u.scheme); (ws == "ws" || ws == "wss") && !u.noScheme && !v.twice {
		// Its default port (80 for ws, 443 for wss, as for http and
		// https: the URL standard's special schemes) is the page's
		// too, which the Origin leaves out: this finding says so, and
		// its fix drops it, rather than a second finding,
		// origin-default-port, about a scheme that is wrong anyway.
		port := ""
		if isDefaultPort(pageScheme(u.scheme), u.port) && !u.colonless {
			port = " (with its default port " + strconv.Quote(":"+u.port) + ", which the Origin leaves out)"
		}
		v.addNever(IDOriginNoScheme,
			"A browser's Origin is that of the page, whose scheme is http or https"+port+", also on a WebSocket's handshake, so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
}

// ftp reports an ftp: value and reads t and u as the https value it
// stands for. No browser loads a page over FTP any more (Chromium
// dropped it in version 95, Firefox in 90; Safari hands ftp: URLs to the
// Finder), so no document has an ftp origin to send, although the URL
// standard still gives ftp URLs one. The other schemes that are neither
// http nor https are left alone: browser extensions
// ("chrome-extension://ID", "moz-extension://UUID") and apps in web views
// ("capacitor://localhost", "tauri://localhost", Electron's "file://"
// and its own schemes) send theirs. The value's other findings are those
// of the https origin the fix writes.
func (v *originCheck) ftp() {
	o, t, u := v.o, v.t, v.u
	if !strings.EqualFold(u.scheme, "ftp") || u.noScheme || v.twice {
		return
	}
	https := "https" + t[len(u.scheme):]
	if u.port == "21" {
		// FTP's default port, which Node's URL drops from the
		// origin too, is no https port: one of the bad ports.
		https = strings.Replace(https, u.host+":21", u.host, 1)
	}
	v.addNever(IDOriginNoScheme,
		"Browsers load no page over FTP (Chromium since version 95, Firefox since 90), so no Origin starts with \"ftp://\" and "+strconv.Quote(o)+" never matches.",
		writeFix(https, " if the page that reads the bucket is served over https from that host"))
	v.t, v.u = https, parseOrigin(https)
}

// fileWithHost reports a file: value with a host or path, and whether it
// found one, the value's last finding. A file: page's Origin is
// "file://" where one is sent (Chromium allowed file access, Electron,
// Android's WebView; new URL("file://host/x").origin in Chromium is
// "file://"), "null" elsewhere: never its host or path. A `*` may stand
// for nothing ("file://*"); one that stands for something ("file://a*")
// admits no Origin a browser sends. Upper case is origin-uppercase's
// ("FILE://").
func (v *originCheck) fileWithHost() bool {
	o, t, u := v.o, v.t, v.u
	if !strings.EqualFold(u.scheme, "file") || u.noScheme || v.twice || originPattern(strings.ToLower(t)).matches("file://") {
		return false
	}
	v.addNever(IDOriginPath,
		"A file: page sends the Origin \"file://\" (in Chromium allowed file access, Electron or Android's WebView; other browsers send \"null\"), without the file's host or path, so "+strconv.Quote(o)+" never matches.",
		`Write "file://".`)
	return true
}

// noScheme reports a value without its scheme, written wrong
// ("https:/example.com") or with slashes too many after it, whose fix
// writes it with its scheme, https when there is none, and "://".
func (v *originCheck) noScheme() {
	o, t, u := v.o, v.t, v.u
	if !u.noScheme {
		return
	}
	why := "A browser's Origin always starts with its scheme, such as \"https://\", so " + strconv.Quote(o) + " never matches."
	if u.slashes {
		why = "A browser's Origin never holds three slashes in a row (two follow its scheme and colon), so " + strconv.Quote(o) + " never matches."
	}
	// The fix offers http as well only when it writes https for a
	// scheme left out or written as https: not when the value's
	// scheme is http ("http:example.com", "http:08443*"), where the
	// note named the scheme the fix writes, nor what a `*` stands for.
	extra := ""
	if strings.HasPrefix(canonical(t), "https://") {
		extra = ` (or "http://" for a site served without TLS)`
	}
	v.addNever(IDOriginNoScheme, why, writeFix(t, extra))
}

// host checks the value's host: none, one browsers refuse or may not send
// (hostFindings, which reports the value's last finding), one beyond
// ASCII once decoded (the last finding too when IDNA refuses it), upper
// case (in the scheme too), and an IP address
// not written as browsers write it. It reports whether it found the
// value's last finding.
func (v *originCheck) host() bool {
	o, t, u := v.o, v.t, v.u
	if u.host == "" && !u.noScheme && (isWebScheme(u.scheme) || u.schemeStar && strings.Trim(u.scheme, "*") != "") {
		// "https://${var.domain}" with an empty variable. A `*`
		// elsewhere ("http://:*") stands for no host either, nor one
		// ending "http" ("http*://", schemeStarEnd); one written as
		// the scheme ("*://") may stand for "file", whose Origin is
		// "file://".
		v.addNever(IDOriginNoHost,
			"A browser's Origin always has a host after \"://\", so "+strconv.Quote(o)+" never matches (a template such as \"https://${var.domain}\" gives it when the variable is empty).",
			writeFix(t, ""))
	}
	caseHost := u.host
	if keepsHostCase(u.scheme) {
		// "safari-web-extension://0B9C1E1D-...": Safari sends its
		// extensions' UUIDs in upper case, as written.
		caseHost = ""
	}
	web := u.webHost()
	if web {
		// "%2E" is ".": the hexadecimal digits of an escape are no upper
		// case in the host browsers read, "%41" ("A") is.
		caseHost = percentDecode(caseHost)
	}
	if web && hostFindings(u.host, o, v.add, v.addNever) || v.refusedHost {
		return true
	}
	if v.escapedNonASCII() {
		return true
	}
	if hasUpper(u.scheme) || hasUpper(caseHost) {
		v.addNever(IDOriginUppercase,
			"Browsers send the scheme and host in lower case and S3 compares origins byte for byte, so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
	if host, ip, ok := u.ipHost(); ip && host != strings.ToLower(u.host) {
		why := "Browsers write an IPv4 address in the Origin as four decimal numbers (\"127.0.0.1\"), whatever form the page's address took, so " + strconv.Quote(o) + " never matches."
		literal := strings.HasPrefix(strings.TrimPrefix(u.host, "*"), "[") // "*[0:0::1]" too (ipHost)
		if ok && !literal && strings.Contains(u.host, "%") {
			// "http://127.0.0.%31": the host parser decodes it first.
			esc := firstEscape(u.host)
			why = "Browsers decode the %-escapes of a host (" + strconv.Quote(esc) + " is " + strconv.Quote(percentDecode(esc)) + ") before reading it as an IPv4 address, which they write in the Origin as four decimal numbers (\"" + host + "\"), so " + strconv.Quote(o) + " never matches."
		}
		switch v6 := literal; {
		case !ok && v6:
			why = "Browsers refuse a URL whose host in brackets is no IPv6 address, so no page has this origin and " + strconv.Quote(o) + " never matches."
		case !ok:
			why = "Browsers read a host whose last label is a number as an IPv4 address, and refuse the URL when it is none (four numbers from 0 to 255), so no page has this origin and " + strconv.Quote(o) + " never matches."
		case v6:
			why = "Browsers write an IPv6 address in the Origin in one form (\"[::1]\": lower-case hexadecimal without leading zeros, the first longest run of zero groups as \"::\", an IPv4-mapped address in hexadecimal too), so " + strconv.Quote(o) + " never matches."
		}
		v.addNever(IDOriginIPForm, why, writeFix(t, ""))
	}
	return false
}

// escapedNonASCII checks a host whose %-escapes decode to bytes beyond
// ASCII, and reports whether it found the value's last finding (a host
// IDNA refuses, for which browsers refuse the URL).
func (v *originCheck) escapedNonASCII() bool {
	o, t, u := v.o, v.t, v.u
	d := percentDecode(u.host)
	if !u.webScheme() || d == u.host || v.never || !strings.ContainsFunc(d, beyondASCII) {
		return false
	}
	// "https://%E4%BE%8B.com": browsers decode it to "例.com",
	// which they send as "xn--fsq.com".
	if idnaRefused(d) {
		// "http://1%92.168.1.10": the host parser decodes bytes
		// that are no UTF-8 to U+FFFD, which IDNA refuses, as it
		// refuses U+FFFD written out ("%EF%BF%BD"): new URL
		// throws, so no page has this origin and no fix writes
		// one (the punycode of U+FFFD is no host either); what
		// else the value holds changes nothing, as for
		// origin-host-escape: this is its last finding.
		v.addNever(IDOriginNonASCII,
			"Browsers decode the %-escapes of a host and refuse the URL when they stand for no name IDNA accepts ("+strconv.Quote(firstEscapeBeyondASCII(u.host))+" starts one), so no page has this origin and "+strconv.Quote(o)+" never matches.",
			askOriginFix)
		return true
	}
	fix := "Write the host in its punycode form, as the browser's address bar shows it when copied."
	if c := canonical(t); !strings.ContainsFunc(c, func(r rune) bool { return r >= 0x7f || r < ' ' || r == '%' }) {
		fix = "Write " + strconv.Quote(c) + "."
	}
	v.addNever(IDOriginNonASCII,
		"Browsers decode the %-escapes of a host and send an internationalised host in its ASCII form (punycode, \"xn--...\"), so "+strconv.Quote(o)+" never matches.",
		fix)
	return false
}

// port checks the value's port: malformed, a ":" without one, one
// browsers load nothing from, or the scheme's default.
func (v *originCheck) port() {
	o, t, u := v.o, v.t, v.u
	if u.badPort() {
		why := "A browser's Origin holds a port as a number from 1 to 65535, without leading zeros, so " + strconv.Quote(o) + " never matches."
		switch {
		case u.colonless:
			why = "A browser's Origin puts a \":\" between the host and the port, so " + strconv.Quote(o) + " never matches."
		case u.port == "" && u.rest != "":
			// "https://app.example.com:/app": the value goes on.
			why = "A browser's Origin never has a \":\" without a port after it: it leaves the default port out, colon and all, so " + strconv.Quote(o) + " never matches."
		case u.port == "":
			why = "A browser's Origin never ends with \":\": it leaves the default port out, colon and all, so " + strconv.Quote(o) + " never matches."
		}
		fix := writeFix(t, "")
		if u.port != "" && writtenPort(u.port) == "" {
			fix = "Write the port the page's address bar shows, or leave it out, with its colon, for the scheme's default port."
		}
		v.addNever(IDOriginBadPort, why, fix)
	}
	if p := normalPort(u.port); p != "" && !u.badPort() && u.webScheme() && slices.Contains(badPorts, p) {
		if slices.Contains(newBadPorts, p) {
			v.add(IDOriginBadPort,
				"Port "+p+" was added to the Fetch standard's bad ports in 2024, which browsers that follow it refuse to load anything from; Chromium (156) still loads pages from it, so only some browsers can send this origin.",
				"Serve the page from another port, such as 8080, and list that origin.")
		} else {
			v.addNever(IDOriginBadPort,
				"Browsers refuse to load anything from port "+p+" (one of the Fetch standard's bad ports, kept for other protocols), so no page has this origin and "+strconv.Quote(o)+" never matches.",
				"Serve the page from another port, such as 8080, and list that origin.")
		}
	}
	if u.defaultPort() {
		v.addNever(IDOriginDefaultPort,
			"Browsers leave the default port out of the Origin ("+strconv.Quote(":"+u.port)+" on "+strings.ToLower(u.scheme)+"), so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
	v.starDefaultPort()
}

// starDefaultPort checks a default port on a value whose `*` ends a
// scheme that only https completes ("https*://a.com:443"; starSchemes):
// it admits https origins alone, which never hold ":443", as
// "https://a.com:443" does not. A `*` that admits http too
// ("*://a.com:443", "http*://a.com:443", "*.a.com:443") gets no such
// finding: browsers keep ":443" in an http Origin (new
// URL("http://a.com:443").origin is "http://a.com:443"), so the value
// matches, and origin-default-port says a value never does. Nor does
// ":80" after "https*://", which https origins keep.
func (v *originCheck) starDefaultPort() {
	o, u := v.o, v.u
	schemes := u.starSchemes()
	if u.noScheme || u.colonless || len(schemes) != 1 || !isDefaultPort(schemes[0], u.port) {
		return
	}
	// The fix keeps the `*`, as the value's other fixes do
	// ("https*://a.com"): canonical drops the port.
	v.addNever(IDOriginDefaultPort,
		"Browsers leave the default port out of the Origin ("+strconv.Quote(":"+u.port)+" on "+schemes[0]+"), and of web pages' schemes the * after "+strconv.Quote(strings.TrimSuffix(u.scheme, "*"))+" admits "+schemes[0]+" alone, so "+strconv.Quote(o)+" never matches.",
		writeFix(v.t, ""))
}

// path checks what an origin never holds around its host: a trailing
// slash, a path, query or fragment, a user name, or brackets but around
// an IPv6 address.
func (v *originCheck) path() {
	o, t, u := v.o, v.t, v.u
	if u.rest == "/" {
		v.addNever(IDOriginTrailingSlash,
			"A browser's Origin never ends with \"/\", so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
	if u.user || u.rest != "" && u.rest != "/" || u.afterIPv6 != "" || u.bracket {
		extra := "a path, query or fragment"
		switch {
		case u.user:
			extra = "a user name or password"
		case u.rest != "" && u.rest != "/":
		case u.bracket:
			extra = `"[" or "]" but around an IPv6 address, as in "http://[::1]:8080"`
		default:
			extra = "anything but \":\" and a port after the \"]\" of an IPv6 address"
		}
		v.addNever(IDOriginPath,
			"An Origin is only a scheme, a host and a port: browsers never send "+extra+", so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
}

// hostEscapes checks the %-escapes of the host that no finding above
// spoke of, and reads u's host decoded, as browsers read it, for the
// wildcard findings.
func (v *originCheck) hostEscapes() {
	o, t, u := v.o, v.t, v.u
	if u.webScheme() && strings.Contains(u.host, "%") && !v.never {
		// "https://a%2Eb.com": browsers decode it (https://a.b.com), so
		// no Origin holds a "%" (those they refuse are above). The
		// findings above speak of escapes for upper case ("%41"), an IP
		// address or a host beyond ASCII; this one of any other.
		esc := firstEscape(u.host)
		v.addNever(IDOriginHostEscape,
			"Browsers decode the %-escapes of a host and send it decoded ("+strconv.Quote(esc)+" is "+strconv.Quote(percentDecode(esc))+"), so "+strconv.Quote(o)+" never matches.",
			writeFix(t, ""))
	}
	if d, ok := decodeHost(u.host); u.webHost() && ok {
		// The wildcard findings judge the host browsers read:
		// "https://*.example%2Ecom" is "https://*.example.com" once its
		// escape is fixed, which admits only example.com's subdomains,
		// and "example%2ecom" is no top-level domain. So is the host
		// of a value without a scheme (webHost), which
		// origin-no-scheme's fix writes after "https://".
		v.u.host = d
	}
	if u.webHost() && strings.ContainsFunc(v.u.host, beyondASCII) {
		// So do they the host IDNA maps to ASCII, as origin-non-ascii's
		// fix writes it: "https://*.example。com" (an ideographic full
		// stop) is "https://*.example.com", whose `*` is before
		// example.com, not before a top-level domain.
		if c, ok := fixOrigin(t); ok {
			if h := parseOrigin(c).host; !strings.ContainsFunc(h, unprintable) {
				v.u.host = h
			}
		}
	}
}

// beyondASCII reports whether r is no ASCII character.
func beyondASCII(r rune) bool { return r >= utf8.RuneSelf }

// unprintable reports whether r is no printable ASCII character.
func unprintable(r rune) bool { return r >= 0x7f || r < ' ' }

// wildcard checks where the value's `*` stands: in its scheme, in an
// IPv6 address, or in or after its host.
func (v *originCheck) wildcard() {
	if !v.twice {
		schemeWildcard(v.add, v.o, v.t, v.u)
	}
	ipv6Wildcard(v.add, v.o, v.u)
	v.c.hostWildcard(v.add, v.o, v.u, v.anyWrites)
}

// schemeWildcard checks a `*` inside the scheme of t (the value o, or
// what is read of it), with more of the scheme after it: "ht*p://" and
// "*s://". S3's `*` stands for any run of characters anywhere, but an
// Origin holds "://" once, after its scheme, so here it stands only for
// letters of a scheme starting and ending as written: of web pages'
// schemes, it admits one ("ht*p" http, "*s" https) or none, which is
// never what such a value means. A `*` ending the scheme ("http*://",
// "*://") admits http and https both, as meant, and is left alone.
func schemeWildcard(add func(id, why, fix string), o, t string, u originParts) {
	if u.noScheme || !strings.Contains(u.scheme, "*") || strings.HasSuffix(u.scheme, "*") {
		return
	}
	_, rest, ok := strings.Cut(t, "://")
	if !ok {
		return
	}
	p := originPattern(strings.ToLower(u.scheme))
	var web []string
	for _, s := range []string{"http", "https"} {
		if p.matches(s) {
			web = append(web, s)
		}
	}
	letters := "letters of a scheme starting " + strconv.Quote(p.prefix) + " and ending " + strconv.Quote(p.suffix)
	if p.prefix == "" {
		letters = "letters of a scheme ending " + strconv.Quote(p.suffix)
	}
	if len(web) != 1 {
		add(IDOriginWildcardScheme,
			"The * is inside the scheme, where it stands only for the "+letters+" (an Origin holds \"://\" once), and no web page's scheme (http or https) is one, so "+strconv.Quote(o)+" admits no website.",
			"Write the scheme out in full, as in \"https://app.example.com\".")
		return
	}
	other := map[string]string{"http": "https", "https": "http"}[web[0]]
	one, ok1 := fixOrigin(web[0] + "://" + rest)
	two, ok2 := fixOrigin(other + "://" + rest)
	if !ok1 || !ok2 {
		add(IDOriginWildcardScheme,
			"The * is inside the scheme, where it stands only for the "+letters+" (an Origin holds \"://\" once): of web pages' schemes, "+web[0]+" alone, not "+other+", so it admits no more than the value with "+web[0]+" written out would.",
			"List the exact origins you mean.")
		return
	}
	admits := "it admits " + ShownBare(one) + " but not " + ShownBare(two)
	if strings.Contains(rest, "*") {
		// "ht*p://*.example.com", which S3 refuses (one wildcard per
		// AllowedOrigin): what follows is a pattern, no origin.
		admits = "it admits the origins " + strconv.Quote(one) + " admits, none of those " + strconv.Quote(two) + " admits"
	}
	add(IDOriginWildcardScheme,
		"The * is inside the scheme, where it stands only for the "+letters+" (an Origin holds \"://\" once): of web pages' schemes, "+web[0]+" alone, so "+admits+".",
		"Write "+strconv.Quote(one)+", and list "+strconv.Quote(two)+" too if the site is also served over "+other+".")
}

// ipv6Wildcard checks a `*` inside an IPv6 literal, after some of its
// address ("http://[::*]", "http://[2001:db8::*]:8080"): S3 matches the
// characters browsers write, and browsers write an address in one form
// (lower-case hexadecimal without leading zeros, the first longest run
// of zero groups as "::", an IPv4-mapped address as "::ffff:" and two
// groups), so the value admits the addresses whose written form starts
// and ends as it does, not a network: whether an address of the network
// meant is admitted depends on where its zeros are, and "[::*]" admits
// every IPv4-mapped address, machines anyone may hold. A `*` starting the
// literal ("http://[*]", "http://*::1]") or closing it ("http://[::1*")
// is left alone.
func ipv6Wildcard(add func(id, why, fix string), o string, u originParts) {
	host := strings.ToLower(u.host)
	if !u.webHost() || len(host) < 3 || host[0] != '[' || host[len(host)-1] != ']' || host[1] == '*' {
		return
	}
	before, after, ok := strings.Cut(host[1:len(host)-1], "*")
	if !ok {
		return
	}
	scheme := pageScheme(u.scheme)
	if scheme == "" || strings.Contains(scheme, "*") {
		scheme = "https"
	}
	port := ""
	if p := normalPort(u.port); p != "" && !isDefaultPort(scheme, p) {
		port = ":" + p
	}
	origin := func(addr string) string { return scheme + "://[" + addr + "]" + port }
	admitted := func(addr string) bool {
		return len(addr) >= len(before)+len(after) && strings.HasPrefix(addr, before) && strings.HasSuffix(addr, after)
	}
	starts := "starts with " + strconv.Quote(before)
	if after != "" {
		starts += " and ends with " + strconv.Quote(after)
	}
	why := "The * is inside an IPv6 address, where S3 matches the characters browsers write, not a network: " + strconv.Quote(o) + " admits every address whose written form (the first longest run of zero groups as \"::\") " + starts
	if example := ipv6Example(before, after); example != "" {
		why += ", such as " + origin(example)
	}
	switch missed := ipv6Missed(before); {
	case admitted("::ffff:808:808"):
		why += ", and every IPv4 address browsers reach through its IPv4-mapped form, such as " + origin("::ffff:808:808") + " (8.8.8.8), machines anyone may hold"
	case missed != "" && !admitted(missed):
		why += ", but not " + origin(missed) + ", whose first groups are the same"
	}
	add(IDOriginWildcardAddress, why+".", "List the exact addresses you mean.")
}

// ipv6Example returns an address browsers write as before, a few
// characters and after, as the URL standard serializes an IPv6 address
// (netip's form, but for IPv4-mapped ones), or "" when none is found.
func ipv6Example(before, after string) string {
	for _, fill := range []string{"1", "a", "1:1", "", "0:1", "1::", "::1"} {
		a := before + fill + after
		if ip, err := netip.ParseAddr(a); err == nil && ip.Is6() && !ip.Is4In6() && ip.Zone() == "" && ip.String() == a {
			return a
		}
	}
	return ""
}

// ipv6Missed returns an address whose first groups are those written
// before the "::" of before, with a 1 after them, which browsers write
// with its "::" later ("2001:db8::" gives "2001:db8:1::1"), or "" when
// before holds no "::" or leaves no room.
func ipv6Missed(before string) string {
	head, _, ok := strings.Cut(before, "::")
	if !ok || head == "" || strings.Count(head, ":") > 4 {
		return ""
	}
	a := head + ":1::1"
	if ip, err := netip.ParseAddr(a); err != nil || ip.String() != a {
		return ""
	}
	return a
}

// hostWildcard checks where the "*" of an origin sits in its host.
func (c *checker) hostWildcard(add func(id, why, fix string), o string, u originParts, anyWrites func()) {
	star := strings.IndexByte(u.host, '*')
	if star < 0 || strings.ContainsAny(u.host, "[]"+notDNS) {
		// A host with a bracket is an IPv6 literal, or the start of one
		// the `*` may close, or a host no origin has (origin-path): these
		// findings name the registered names the `*` admits
		// ("evil.example.com"), and their fixes write such names, which
		// it holds none of; nor does a host holding a character no
		// registered name holds (origin-host-not-dns), but one ending
		// in a number, whatever the `*` stands for, which browsers
		// refuse ("https://*.ex,ample.1"; refusedIPv4), and which
		// origin-host-not-dns leaves to this finding.
		if star >= 0 && !strings.ContainsAny(u.host, "[]") && u.webHost() && refusedIPv4(u.host) {
			newHostStar(u, star).ipv4Suffix(add, o)
		}
		return
	}
	if u.webHost() && strings.Contains(u.host, "%") {
		// "https://a%2A*": an escape hostEscapes left as written, as
		// decoded it adds a `*` ("https://a**", which S3 refuses: one
		// wildcard per AllowedOrigin), so no value admits what the
		// findings would speak of. Browsers send a host decoded, and
		// their examples would show origins holding a "%"
		// ("https://a%2a.evil.net"), which no Origin holds.
		// origin-host-escape said the value never matches.
		return
	}
	if strings.Count(u.host, "*") > 1 || strings.Contains(u.scheme, "*") && !u.schemeStar {
		// "https://*a*.com", "*localhost*", "*s://*example.com": S3
		// refuses a value with two (one wildcard per AllowedOrigin), and
		// these findings take the host after the first for text written
		// out, and the scheme as one of web pages' or a `*` standing for
		// it (schemeStar), so their examples would show origins holding
		// a `*` ("https://evila*.com", "*s://evilexample.com"), which no
		// Origin holds, and their fixes values S3 refuses too.
		return
	}
	s := newHostStar(u, star)
	switch before, after := s.before, s.after; {
	case before == "" && after == "":
		// "https://*" admits every https origin, and "*" every origin;
		// "capacitor://*" admits apps, not websites.
		if web := originPattern(strings.ToLower(u.scheme)); u.scheme == "" || web.matches("https") || web.matches("http") {
			anyWrites()
		}
	case after == "":
		s.afterHost(add)
	case u.webHost() && !u.colon && portEndingIn(s.scheme, after) != "":
		// A leading `*` too ("*1"): it stands for the scheme, "://"
		// and the start of the host, after which the host ends as
		// written, so browsers read it as an https URL's (webHost, as
		// a host without a scheme, which origin-no-scheme's fix writes
		// after "https://").
		s.intoPort(add)
	case u.webHost() && everyFillEndsInNumber(strings.ToLower(after)):
		s.ipv4Suffix(add, o)
	case after[0] != '.':
		s.gluedToLabel(add)
	default:
		s.beforeDomain(add)
	}
}

// hostStar is a host holding a `*`, taken apart for hostWildcard's
// findings, each of which shows an origin the value admits and most of
// which write a fix: both need the host's two sides and the scheme and
// port a browser would send with them.
type hostStar struct {
	u             originParts
	before, after string // the host before and after its `*`
	// scheme is the scheme of the examples and fixes: the page's, or
	// https (http on port 443) when the `*` covers the scheme.
	scheme string
	// also is "http" when the `*` covers the scheme and the value
	// admits http origins as well as https ones: a leading `*` on no
	// default port ("*127.0.0.1" admits http://127.0.0.1 too), and ""
	// otherwise ("*127.0.0.1:80" admits no http origin, which browsers
	// send without ":80").
	also string
	// port is ":" and the port as browsers write it, as canonical writes
	// it, or "" for none or the scheme's default: the example and the fix
	// speak of the value once its port is fixed, and a fix keeping ":443"
	// on https or ":08443" would never match.
	port string
	// lower is strings.ToLower but for a host that keeps its case
	// (opaqueHost): "capacitor://App*" admits capacitor://App.evil.net.
	lower func(string) string
}

// newHostStar takes apart u, whose host holds a `*` at star.
func newHostStar(u originParts, star int) hostStar {
	s := hostStar{u: u, before: u.host[:star], after: u.host[star+1:], scheme: pageScheme(u.scheme), lower: strings.ToLower}
	switch schemes := u.starSchemes(); {
	case len(schemes) == 1:
		// "https*://*example.com": the `*` ending the scheme admits
		// https alone, whose examples and fixes are an https value's,
		// not "https*://evilexample.com".
		s.scheme = schemes[0]
	case len(schemes) > 1:
		// A `*` covers the scheme ("*example.com", and "*://" or
		// "http*://" before a host holding one too): show an https
		// example, or an http one on port 443, where https would leave
		// the port out. The port is read as fixed ("0443" is 443), as
		// s.port is.
		s.scheme = "https"
		switch normalPort(u.port) {
		case "443":
			s.scheme = "http"
		case "80":
		default:
			s.also = "http"
		}
	case s.scheme == "":
		// No scheme: origin-no-scheme's fix writes https
		// ("//*127.0.0.1" is "https://*127.0.0.1"), whose origins the
		// examples and fixes speak of.
		s.scheme = "https"
	}
	if p := normalPort(u.port); p != "" && !isDefaultPort(s.scheme, p) {
		s.port = ":" + p
	}
	if keepsHostCase(u.scheme) {
		s.lower = func(s string) string { return s }
	}
	return s
}

// example returns an origin an attacker could own: the value with fill
// for its `*`. A host beyond ASCII is shown as browsers send it, in
// punycode, and as written after it: the page of https://evil例え.jp
// sends the Origin https://xn--evil-t63cv06p.jp (Node's new URL(...)
// .origin).
func (s hostStar) example(fill string) string {
	host := s.lower(s.before + fill + s.after)
	if a, ok := s.sent(host); ok && a != host {
		return ShownBare(s.scheme+"://"+a+s.port) + " (" + ShownBare(host) + ")"
	}
	return ShownBare(s.scheme + "://" + host + s.port)
}

// sent returns host as browsers send it in the Origin: in punycode when
// it is a web page's and holds characters beyond ASCII, and false when
// they refuse it (idnaASCII), as "evilمثال" (an Arabic label that starts
// with Latin letters, which IDNA's bidi rule refuses).
func (s hostStar) sent(host string) (string, bool) {
	if !s.u.webHost() || !strings.ContainsFunc(host, beyondASCII) {
		return host, true
	}
	a, ok := idnaASCII(host)
	return a, ok && !strings.ContainsFunc(a, beyondASCII)
}

// glueFill returns what the examples of a `*` glued to the start of a
// label put for it: "evil", or, when browsers refuse the host that makes
// (sent), the first character after the `*` ("مثال" gives "ممثال": IDNA's
// bidi rule refuses a right-to-left label that starts with Latin
// letters), or a Devanagari letter and virama ("क्"), which a zero-width
// non-joiner after the `*` needs before it (CheckJoiners). It returns
// false when browsers refuse each: no host the value admits is one they
// load, as for "a*مثال.com", whose label starts with a Latin letter
// whatever the `*` stands for.
func (s hostStar) glueFill() (string, bool) {
	r, _ := utf8.DecodeRuneInString(s.after)
	for _, fill := range []string{"evil", string(r), "\u0915\u094d"} {
		if _, ok := s.sent(s.lower(s.before + fill + s.after)); ok && (fill == "evil" || r >= utf8.RuneSelf) {
			return fill, true
		}
	}
	return "", false
}

// afterHost reports a `*` that ends the host ("https://app.example*"),
// which admits any domain the host starts, and offers the port wildcard
// that may have been meant.
func (s hostStar) afterHost(add func(id, why, fix string)) {
	before, scheme := s.before, s.scheme
	fill := ".evil.net"
	if strings.HasSuffix(before, ".") {
		fill = "evil.net"
	}
	fix := "List the exact origins you mean."
	if host := fixHost(scheme, before); host != "" && !strings.HasSuffix(before, ".") && s.u.port == "" {
		fix = "Write " + strconv.Quote(scheme+"://"+host+":*") + " to admit any port, or " + strconv.Quote(scheme+"://"+host) + " for the default port only"
		if s.also != "" {
			// "*://app.example*" admits http://app.example.evil.net too.
			fix += ", and " + strconv.Quote(s.also+"://"+host+":*") + " or " + strconv.Quote(s.also+"://"+host) + " too if the site is also served over " + s.also
		}
		fix += "."
	}
	add(IDOriginWildcardAfterHost,
		"The * comes after the host, so it admits "+s.example(fill)+", which anyone can set up.",
		fix)
}

// intoPort reports a `*` that digits alone follow, with no port
// ("http://localhost*1"): the `*` may stand for the end of the host, a
// ":" and a port's first digits (http://localhost.evil.net:31), so the
// host need not end in a number, as ipv4Suffix takes it to.
func (s hostStar) intoPort(add func(id, why, fix string)) {
	before, after := s.before, s.after
	fill := ".evil.net:"
	if before == "" || strings.HasSuffix(before, ".") {
		fill = "evil.net:"
	}
	add(IDOriginWildcardAfterHost,
		"The * may stand for the end of the host, a \":\" and the start of a port, so it admits "+s.example(fill+strings.TrimSuffix(portEndingIn(s.scheme, after), after))+", which anyone can set up.",
		"List the exact origins you mean.")
}

// ipv4Suffix reports a `*` after which the host ends in a number, whole
// (everyFillEndsInNumber). Every host the value admits does, so browsers
// read it as an IPv4 address and send it as four decimal numbers:
// "https://*127.0.0.1" admits https://127.0.0.1 alone, not
// https://evil127.0.0.1, a URL browsers refuse. Not "https://*1:8080",
// which admits https://evil1:8080 (gluedToLabel). A leading `*` stands
// for the scheme as well (hostStar.also): "*127.0.0.1" admits
// http://127.0.0.1 and https://127.0.0.1.
func (s hostStar) ipv4Suffix(add func(id, why, fix string), o string) {
	before, after, scheme, port := s.before, s.after, s.scheme, s.port
	n, only, other := ipv4Matches(strings.ToLower(before), strings.ToLower(after))
	const reads = "Browsers read a host ending in a number as an IPv4 address, and send it in the Origin as four decimal numbers"
	switch {
	case n == 0:
		add(IDOriginIPForm,
			reads+", which no host this value admits is, so "+strconv.Quote(o)+" never matches.",
			askOriginFix)
	case n == 1:
		origin := scheme + "://" + only + port
		refused := ""
		if after[0] != '.' {
			refused = ", and a host such as " + ShownBare("evil"+strings.ToLower(after)) + " is no address: browsers refuse it"
		}
		admits, fix := "the only origin this value admits is "+origin, "Write "+strconv.Quote(origin)+"."
		if s.also != "" {
			// "*127.0.0.1": the `*` stands for http too.
			also := s.also + "://" + only + port
			admits = "the only origins this value admits are " + also + " and " + origin
			fix = "Write " + strconv.Quote(origin) + ", and list " + strconv.Quote(also) + " too if the site is also served over " + s.also + "."
		}
		add(IDOriginWildcardSuffix,
			reads+", so "+admits+" (an address has no subdomains"+refused+").",
			fix)
	default:
		over := ""
		if s.also != "" {
			over = " over " + s.also + " and " + scheme
		}
		add(IDOriginWildcardSuffix,
			reads+", so this value admits "+strconv.Itoa(n)+" of them"+over+", such as "+scheme+"://"+other+port+", which other machines than yours may hold.",
			"List the exact origins you mean.")
	}
}

// gluedToLabel reports a `*` glued to the start of a label
// ("https://*example.com"), which admits names anyone can register
// ("evilexample.com"), and offers the subdomain wildcard that may have
// been meant. Under a domain no public suffix, only names under it
// match ("*-app.example.com"), which its owner alone can create.
func (s hostStar) gluedToLabel(add func(id, why, fix string)) {
	before, after, scheme, port, lower := s.before, s.after, s.scheme, s.port, s.lower
	fill, ok := s.glueFill()
	if !ok {
		return
	}
	fix := "List the exact origins you mean."
	if _, ip, _ := ipHost(strings.ToLower(after)); before == "" && (isAlnum(after[0]) || after[0] >= utf8.RuneSelf) && !ip {
		// An IP address has no subdomains: "https://*127.0.0.1"
		// gets no such fix. A label beyond ASCII does ("*例え.jp"):
		// the fix writes its domain in punycode (asciiDomain).
		domain := lower(after)
		if !opaqueHost(s.u.scheme) {
			domain = webFixDomain(asciiDomain(domain))
		}
		if domain != "" {
			fix = "Write " + strconv.Quote(scheme+"://*."+domain+port) + " for its subdomains and list " + strconv.Quote(scheme+"://"+domain+port) + " itself if you need it"
			if s.also != "" {
				// "*example.com" admits http://evilexample.com too.
				fix += ", and " + strconv.Quote(s.also+"://*."+domain+port) + " and " + strconv.Quote(s.also+"://"+domain+port) + " too if the site is also served over " + s.also
			}
			fix += "."
		}
	}
	why := "The * is glued to the start of a label, so it admits " + s.example(fill) + ", which anyone can register."
	if _, parent, ok := strings.Cut(after, "."); ok && strings.Contains(parent, ".") {
		parent = strings.ToLower(parent)
		switch ps := lookupSuffix(parent); {
		case ps.public && ps.icann:
			why = "The * is glued to the start of a label, so it admits " + s.example(ps.fill(fill)) + ", which anyone can register."
		case ps.public:
			why = "The * is glued to the start of a label, so it admits " + s.example(ps.fill(fill)) +
				", which anyone with an account on the platform behind " + strconv.Quote(parent) + " (a shared domain on the Public Suffix List) can create."
		default:
			// "*-app.example.com": only names under example.com match.
			why = "The * is glued to the start of a label, so it admits every host ending in " + strconv.Quote(lower(after)) +
				", such as " + s.example(fill) + ": safe only if nobody else can create names under " + strconv.Quote(parent) + "."
		}
	}
	add(IDOriginWildcardSuffix, why, fix)
}

// beforeDomain reports a `*` before a whole label ("https://*.co.uk")
// when what follows it is a top-level domain or a public suffix, under
// which other people hold names. It says nothing of a domain the Public
// Suffix List does not name, taken to be the value's owner's, nor of
// "localhost", under which nobody else can hold a name.
func (s hostStar) beforeDomain(add func(id, why, fix string)) {
	before, after := s.before, s.after
	domain := strings.TrimSuffix(strings.ToLower(after[1:]), ".")
	if domain == "localhost" {
		// "localhost" is reserved (RFC 6761): nobody else can hold a
		// name under it, and Chromium and Firefox resolve every one
		// of them to the loopback address, so
		// "http://*.localhost:3000" admits only pages served from the
		// user's own machine.
		return
	}
	fill := "evil"
	if before != "" && !strings.HasSuffix(before, ".") {
		fill = ".evil"
	}
	const ownDomain = "Put the * before a domain you own, as in \"https://*.example.com\", or list the exact origins."
	if names, ok := specialUseNames[domain]; ok {
		// No registry gives out names under a special-use domain, so
		// "someone else's domain" would be false: say who names them.
		add(IDOriginWildcardTLD,
			"Only the special-use domain "+strconv.Quote(domain)+" follows the *, under which "+names+", so it admits every such host, "+s.example(fill)+" among them.",
			ownDomain)
		return
	}
	if !strings.Contains(domain, ".") {
		add(IDOriginWildcardTLD,
			"Only a top-level domain follows the *, so it admits "+s.example(fill)+", a host in someone else's domain.",
			ownDomain)
		return
	}
	ps := lookupSuffix(domain)
	fill = ps.fill(fill)
	switch {
	case !ps.public:
	case ps.icann && ps.wildcard:
		add(IDOriginWildcardTLD,
			"Only "+strconv.Quote(domain)+" follows the *, each name under which is a public suffix, where anyone can register a domain, so it admits "+s.example(fill)+", a host in someone else's domain.",
			ownDomain)
	case ps.icann:
		add(IDOriginWildcardTLD,
			"Only the public suffix "+strconv.Quote(domain)+" follows the *, under which anyone can register a domain, so it admits "+s.example(fill)+", a host in someone else's domain.",
			ownDomain)
	default:
		what := "a shared domain on the Public Suffix List, under which"
		if ps.wildcard {
			what = "each name under which is a shared domain on the Public Suffix List, where"
		}
		add(IDOriginWildcardTLD,
			"Only "+strconv.Quote(domain)+" follows the *, "+what+" anyone with an account on that platform can create a site, so it admits "+s.example(fill)+", someone else's site.",
			"List your own sites under "+strconv.Quote(domain)+" exactly, or serve them under a domain you own and put the * before it, as in \"https://*.example.com\".")
	}
}

// specialUseNames says, for the special-use domains other than localhost
// that a `*` may come before, who gives out the names under them, which
// no registry does: IANA's Special-Use Domain Names registry (RFC 6761)
// and ICANN's reservation of .internal for private use (2024). A `*`
// before one admits whatever host those name, which origin-wildcard-tld
// says instead of "a host in someone else's domain" (review7).
var specialUseNames = map[string]string{
	"local":     "any device on the user's local network may claim a name with multicast DNS (RFC 6762)",
	"home.arpa": "a home network's router names its devices, often by the names they give themselves (RFC 8375)",
	"internal":  "a private network's own resolver names its hosts (ICANN reserved it for private use in 2024)",
	"test":      "no public resolver gives a name an address, only a hosts file or a resolver of the user's own (RFC 6761)",
	"example":   "no public resolver gives a name an address, only a hosts file or a resolver of the user's own (RFC 6761)",
	"invalid":   "no public resolver gives a name an address, only a hosts file or a resolver of the user's own (RFC 6761)",
}

// ipv4Matches returns how many IPv4 addresses, as the URL standard
// serializes them (four decimal numbers without leading zeros), start with
// before and end with after, with at least their length together, as
// before+"*"+after admits them; the one when there is one, and one other
// than before+after when there are more. A host it admits is four octets:
// the labels of before but its last are the first octets, the labels of
// after but its first the last ones, the octet of before's last label
// starts with it, that of after's first label ends with it, and the
// octets between are any.
func ipv4Matches(before, after string) (n int, only, other string) {
	bl, al := strings.Split(before, "."), strings.Split(after, ".")
	pb, pa := len(bl)-1, 4-len(al) // the octets of before's last label and after's first
	if pa < 0 || pb > pa || !allOctets(bl[:pb]) || !allOctets(al[1:]) {
		return 0, "", ""
	}
	candB, candA, both := octetsAround(bl[pb], al[0])
	build := func(mid []string) string {
		return strings.Join(slices.Concat(bl[:pb], mid, al[1:]), ".")
	}
	if pb == pa {
		return sharedOctet(both, build)
	}
	return apartOctets(candB, candA, pa-pb-1, build)
}

// allOctets reports whether each of labels is an octet as the URL
// standard serializes it (a decimal number from 0 to 255 without leading
// zeros): the labels ipv4Matches takes as whole octets of an address
// must be, or the value admits no address.
func allOctets(labels []string) bool {
	for _, l := range labels {
		if n := parseOctet(l); n >= 256 || strconv.Itoa(n) != l {
			return false
		}
	}
	return true
}

// octetsAround returns the octets, as serialized, that start with first
// (those before's last label may be the start of), those that end with
// last (those after's first label may be the end of), and those that do
// both with the two not overlapping (those both may be when they are in
// the same octet), each in increasing order.
func octetsAround(first, last string) (candB, candA, both []string) {
	for v := range 256 {
		o := strconv.Itoa(v)
		if strings.HasPrefix(o, first) {
			candB = append(candB, o)
		}
		if strings.HasPrefix(o, first) && strings.HasSuffix(o, last) && len(o) >= len(first)+len(last) {
			both = append(both, o)
		}
		if strings.HasSuffix(o, last) {
			candA = append(candA, o)
		}
	}
	return candB, candA, both
}

// sharedOctet returns ipv4Matches' answer when the `*` is inside one
// octet, which both of its sides write part of: the addresses are those
// with one of both there, build making each whole, the greatest as the
// other one.
func sharedOctet(both []string, build func(mid []string) string) (n int, only, other string) {
	switch n = len(both); n {
	case 0:
		return 0, "", ""
	case 1:
		return 1, build(both), ""
	}
	return n, "", build(both[n-1:])
}

// apartOctets returns ipv4Matches' answer when the `*` spans octets:
// one of candB where before ends, free octets of any value, and one of
// candA where after starts, build making each whole; the other one takes
// the greatest of each (255 for the free ones).
func apartOctets(candB, candA []string, free int, build func(mid []string) string) (n int, only, other string) {
	n = len(candB) * len(candA)
	for range free {
		n *= 256
	}
	mid := func(b, a string, fill string) []string {
		m := []string{b}
		for range free {
			m = append(m, fill)
		}
		return append(m, a)
	}
	switch n {
	case 0:
		return 0, "", ""
	case 1:
		return 1, build(mid(candB[0], candA[0], "")), ""
	}
	return n, "", build(mid(candB[len(candB)-1], candA[len(candA)-1], "255"))
}

// portEndingIn returns the least port ending in digits that a browser's
// Origin on scheme may hold (a number from 1 to 65535 without leading
// zeros, not scheme's default port nor a bad port), or "" when there is
// none or digits are not all decimal digits.
func portEndingIn(scheme, digits string) string {
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return ""
	}
	for k := 0; ; k++ {
		p := digits
		if k > 0 {
			p = strconv.Itoa(k) + digits
		}
		if len(p) > len("65535") {
			return ""
		}
		if n, _ := strconv.Atoi(p); n >= 1 && n <= 65535 && p[0] != '0' && !isDefaultPort(scheme, p) && !refusedPort(p) {
			return p
		}
	}
}

// parseOctet returns s as a decimal number from 0 to 255, or 256 when it
// is none.
func parseOctet(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 || strings.Trim(s, "0123456789") != "" {
		return 256
	}
	return n
}

// fixHost returns host, the part of a wildcard value's host before its
// `*`, as a fix writes it: in lower case, as the URL standard
// serializes it when it reads it as an IP address ("127.1" is
// "127.0.0.1"), or "" when it refuses it as one ("08443"), in punycode
// beyond ASCII, or "" when it has none or browsers never send it as
// written (webFixDomain), so that the fix writes no origin that never
// matches.
func fixHost(scheme, host string) string {
	if keepsHostCase(scheme) {
		return host
	}
	host = strings.ToLower(host)
	if !isWebScheme(scheme) {
		return host
	}
	if s, ip, _ := ipHost(host); ip {
		return s // "" when refused
	}
	return webFixDomain(asciiDomain(host)) // "bücher" is "xn--bcher-kva"
}

// webFixDomain returns domain, an http or https host a fix would write,
// or "" when browsers never send it so: it holds a "%", which they
// decode ("x.exam%2epl9e.com" is x.exam.pl9e.com), or a character the
// URL standard forbids in a host ("exa^mple.com"), for which they refuse
// the URL.
func webFixDomain(domain string) string {
	if strings.ContainsAny(domain, forbiddenHost) {
		return ""
	}
	return domain
}

// suffix is what the Public Suffix List says of a domain.
type suffix struct {
	// public is set when other people hold the names directly under the
	// domain: it is a public suffix ("co.uk", "vercel.app"), or every
	// name under it is one ("*.kawasaki.jp": wildcard).
	public, wildcard bool
	// icann is set for a registry's suffix (the list's ICANN section),
	// under which anyone can register a domain; a private one is a
	// platform's ("vercel.app", "github.io"), under which anyone with an
	// account on it can create a site.
	icann bool
}

// lookupSuffix returns what the Public Suffix List (golang.org/x/net's
// copy) says of domain, in lower case and without a trailing dot. A
// domain the list does not name, such as "example.com", is not public,
// whatever the list's default rule says of a top-level domain.
func lookupSuffix(domain string) suffix {
	if domain == "" {
		return suffix{}
	}
	if ps, icann := publicsuffix.PublicSuffix(domain); ps == domain {
		return suffix{public: true, icann: icann}
	}
	// A wildcard rule makes each name under domain a public suffix,
	// "evil.kawasaki.jp" as any other; an exception ("!city.kawasaki.jp")
	// leaves some names to their owners, whose sites other people still
	// cannot name.
	probe := "evil." + domain
	if ps, icann := publicsuffix.PublicSuffix(probe); ps == probe {
		return suffix{public: true, wildcard: true, icann: icann}
	}
	return suffix{}
}

// fill returns what an example puts for the * so that the host is one
// someone registered: under a wildcard suffix, a name under the name the
// * stands for ("www.evil.kawasaki.jp"), not that public suffix itself.
func (s suffix) fill(fill string) string {
	if s.wildcard && fill == "evil" {
		return "www.evil"
	}
	return fill
}

// ShownBare returns s as a sentence shows a value unquoted, or quoted as
// strconv.Quote quotes it when it holds a character that is not
// printable (unicode.IsPrint) or a byte that is not UTF-8: a control
// character, a space other than U+0020, or a format character such as
// the bidi override in "https://\u202eelpmaxe.ppa" (which reads as
// "https://app.example"), printed raw, would hide or reorder the sentence
// around it. The inspector's pages show values by it too.
func ShownBare(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return strconv.Quote(s)
	}
	return s
}

// originParts is an AllowedOrigin taken apart as a URL.
type originParts struct {
	scheme   string // as written; "" when there is none
	noScheme bool   // no "://" and no leading `*` to stand for the scheme, or slashes
	slashes  bool   // more than two slashes after the scheme's colon, or after what a `*` stands for
	host     string // as written, `*` included
	port     string // without the ':'
	colon    bool   // a ':' ends the host, with a port or without
	// colonless is set when the port follows an IPv6 literal's "]"
	// without its colon ("[::1]8080"), and afterIPv6 holds what follows
	// that "]" when it is neither a port nor ':', nor starts with `*`
	// ("[::1]x"). Whatever a `*` before the "]" stands for, no origin has
	// either.
	colonless bool
	afterIPv6 string
	// bracket is set when the host holds a "[" or "]" but starts no IPv6
	// literal ("ex*]", "localhost]"): only such a literal holds one, and
	// the host of every origin matched starts as the value's does.
	bracket bool
	user    bool   // a user name (and password) and "@" come before the host
	rest    string // path, query or fragment, from its first '/', '?' or '#'
	// schemeStar is set when a `*` stands for the whole scheme: written
	// as it ("*://Zexa^mplex.com", and "*//" or "*/", which starSlashes
	// reads so), or for its end ("http*://Zexa^mplex.com",
	// schemeStarEnd), or leading a value without a scheme, where it stands
	// for the scheme, its "://" and perhaps the start of the host
	// ("*.example.com", "*Zexa^mplex.com"), host then being what follows
	// that "://", `*` included. Either way the host is read as an https
	// origin's (webScheme).
	schemeStar bool
}

// parseOrigin takes o apart as a URL: its scheme, host, port and what
// follows them, a `*` standing for part of the scheme or its slashes
// read as the origins it admits.
func parseOrigin(o string) originParts {
	var u originParts
	o = u.starSlashes(o)
	o = starScheme(o)
	after := u.readScheme(o)
	u.readAuthority(after)
	return u
}

// starSlashes returns o with a `*` that stands for the end of the scheme
// and its colon, or for slashes, read as what it admits. A "*" that one
// or two slashes and a host follow may stand for the end of the scheme
// and its colon: "*//app.example.com" and "*/app.example.com" admit
// https://app.example.com, as "*://app.example.com" does, and are read
// as it. After a scheme and its colon it can stand only for the slashes
// "://" lacks: "http:*//app.example.com" admits http://app.example.com
// alone.
//
// With three slashes or more, "*///app.example.com" or
// "http:*///app.example.com", the value admits no origin at all, since
// none holds three slashes in a row: it is read as the value with two,
// whose scheme has slashes too many (u.slashes, u.noScheme). The
// slashes are not a path after a host the `*` stands for, which would
// read "*///app.example.com" as "*".
func (u *originParts) starSlashes(o string) string {
	if before, rest, ok := strings.Cut(o, "*"); ok && !strings.Contains(o, "://") {
		host := strings.TrimLeft(rest, "/")
		slashes := len(rest) - len(host)
		scheme, after, colon := strings.Cut(before, ":")
		switch {
		case slashes == 0 || host == "":
		case !colon:
			o = before + "*://" + host
			u.slashes = slashes > 2
		case (after == "" || after == "/") && isScheme(scheme) && (isWebScheme(scheme) || len(after)+slashes > 1):
			o = scheme + "://" + host
			u.slashes = len(after)+slashes > 2
		}
		u.noScheme = u.slashes
	}
	return o
}

// starScheme returns o with a `*` after the start of "https://" or
// "http://", which stands for the rest of it too, read as what it
// admits: "http*" admits every http and https origin, as "*" does, and
// "https*example.com" admits https://evilexample.com. The value is read
// as the origins it admits: the scheme written out with the "*" starting
// the host, or, when the scheme may be either, a leading "*".
func starScheme(o string) string {
	if before, rest, ok := strings.Cut(o, "*"); ok && before != "" && !strings.Contains(o, "://") {
		switch {
		case len(before) >= len("https") && strings.HasPrefix("https://", before):
			o = "https://*" + rest
		case len(before) > len("http") && strings.HasPrefix("http://", before):
			o = "http://*" + rest
		case strings.HasPrefix("http", before):
			o = "*" + rest
		}
	}
	return o
}

// readScheme sets u's scheme, noScheme and slashes from o, and returns
// what follows the scheme, its colon and its slashes: the host onwards.
// A scheme written wrong, or none, is read as far as it goes, so that
// the findings on the host and port still speak of the value.
func (u *originParts) readScheme(o string) (after string) {
	after = o
	if i := strings.Index(o, "://"); i >= 0 {
		u.scheme, after = o[:i], o[i+3:]
		if !isScheme(u.scheme) {
			// "://example.com", ":@com://example.com": no browser
			// sends what stands before "://".
			u.scheme, u.noScheme = "", true
		}
		u.schemeStar = schemeStarEnd(u.scheme)
		if lower := strings.ToLower(u.scheme); (lower == "https" || lower == "http") && (strings.HasPrefix(after, "/") || strings.HasPrefix(after, `\`)) {
			// "https:///example.com": a slash too many, not a path
			// (a backslash is one too).
			after = strings.TrimLeft(after, `/\`)
			u.noScheme, u.slashes = true, true
		}
	} else if scheme, rest, ok := misspeltScheme(o); ok {
		// "https:/example.com", "http:example.com", "https//example.com":
		// the colon or the slashes are wrong.
		u.scheme, after = scheme, rest
		u.noScheme = true
	} else {
		u.schemeStar = strings.HasPrefix(o, "*")
		u.noScheme = !u.schemeStar
		// "//example.com", a protocol-relative URL: the host follows.
		after = strings.TrimLeft(o, "/")
	}
	return after
}

// schemeStarEnd reports whether scheme, written before "://", ends in
// its only `*`, after nothing or the start of "https": the `*` stands for
// the rest of a web page's scheme ("*" and "http*" for http and https
// both, "https*" for https), so what follows is the host of the https
// origins the value admits (schemeStar). Not "ws*" or "x*", which admit
// no page's scheme, nor "ht*p", whose `*` is inside (schemeWildcard).
func schemeStarEnd(scheme string) bool {
	head, ok := strings.CutSuffix(scheme, "*")
	return ok && !strings.Contains(head, "*") && strings.HasPrefix("https", strings.ToLower(head))
}

// readAuthority sets u's host, port and what surrounds them from after,
// what follows the scheme: the host ends at the first "/", "?", "#" or
// backslash, or at the ":" of its port, or after the "]" of an IPv6
// literal, whose port may lack its colon.
func (u *originParts) readAuthority(after string) {
	authority := after
	// A backslash ends the host as "/" does in an http, https, ws or wss
	// URL, and no other host holds one: "https://app.example.com\" is
	// https://app.example.com/.
	if i := strings.IndexAny(after, `/?#\`); i >= 0 {
		authority, u.rest = after[:i], after[i:]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		// "https://user:password@app.example.com": no Origin has one.
		authority, u.user = authority[at+1:], true
	}
	u.host = authority
	if startsIPv6(authority) {
		if end := strings.IndexByte(authority, ']'); end >= 0 {
			u.host = authority[:end+1]
			switch tail := authority[end+1:]; {
			case strings.HasPrefix(tail, ":"):
				u.port, u.colon = tail[1:], true
			case tail == "" || tail[0] == '*':
				u.port = tail // a `*` may stand for the ':' and more
			case strings.Trim(tail, "0123456789*") == "":
				u.port, u.colonless = tail, true
			default:
				u.afterIPv6 = tail
			}
		}
	} else {
		if i := strings.IndexByte(authority, ':'); i >= 0 {
			u.host, u.port, u.colon = authority[:i], authority[i+1:], true
		}
		u.bracket = strings.ContainsAny(u.host, "[]")
	}
}

// lastScheme returns what follows the first scheme and "://" of t when a
// second scheme and "://" follow them, as in "https://https://example.com",
// and then again while one more does. No browser's Origin holds "://"
// twice (its host and port hold no "/"), and a `*` only adds characters,
// so such a value never matches. The second scheme is letters, digits,
// "+" and "-" only: neither "https://*://x" nor "https://example.com://x"
// is taken for a scheme written twice.
func lastScheme(t string) (string, bool) {
	found := false
	for {
		scheme, rest, ok := strings.Cut(t, "://")
		if !ok || !isScheme(scheme) {
			return t, found
		}
		next, _, ok := strings.Cut(rest, "://")
		if !ok || !isScheme(next) || strings.ContainsAny(next, "*.") {
			return t, found
		}
		t, found = rest, true
	}
}

// startsIPv6 reports whether authority starts with an IPv6 literal: one
// written out ("[::1]"), or one the `*` of the value starts. A `*`
// matches any run of characters, so "*:1]" and "*[::1]" admit the host
// [::1], their colons inside it, not before a port. A `*` followed by
// anything but hexadecimal digits and colons before a "]" (after an
// optional "[") starts no literal a browser writes.
func startsIPv6(authority string) bool {
	if strings.HasPrefix(authority, "[") || strings.HasPrefix(authority, "*[") {
		// "*[::ffff:1.2.3.4]": the `*` is before the host (ipHost).
		return true
	}
	in, _, closed := strings.Cut(strings.TrimPrefix(authority, "*"), "]")
	return closed && strings.HasPrefix(authority, "*") &&
		strings.Trim(strings.TrimPrefix(in, "["), "0123456789abcdefABCDEF:") == ""
}

// badPort reports whether the origin's port, or its bare ':', is one no
// browser sends. A `*` in the port stands for digits.
func (u originParts) badPort() bool {
	if u.colonless {
		return true
	}
	if !u.colon || u.port == "*" {
		return false
	}
	if strings.Contains(u.port, "*") {
		return strings.Trim(u.port, "0123456789*") != ""
	}
	return u.port == "" || normalPort(u.port) != u.port
}

// normalPort returns the port p names as a browser writes it, without
// leading zeros ("08080" is "8080"), or "" when p is no port from 1 to
// 65535.
func normalPort(p string) string {
	if p == "" || len(p) > 10 || strings.Trim(p, "0123456789") != "" {
		return ""
	}
	n, _ := strconv.Atoi(p)
	if n < 1 || n > 65535 {
		return ""
	}
	return strconv.Itoa(n)
}

// writtenPort returns the port p names as a browser writes it, as
// normalPort does, or p itself when it is digits and a `*` (":*",
// ":8*"), or "" when p is no port.
func writtenPort(p string) string {
	if strings.Contains(p, "*") && strings.Trim(p, "0123456789*") == "" {
		return p
	}
	return normalPort(p)
}

// isScheme reports whether s can be the scheme of a browser's Origin, a
// `*` standing for any part of it: a letter, then letters, digits, "+",
// "-" and "." (RFC 3986, section 3.1), such as "https", "capacitor" or
// "chrome-extension".
func isScheme(s string) bool {
	if s == "" || !isLetter(s[0]) && s[0] != '*' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '+' && c != '-' && c != '.' && c != '*' {
			return false
		}
	}
	return true
}

// misspeltScheme returns the "https", "http", "wss", "ws" or "ftp" that o
// starts with (as written) and what follows the colon and slashes after
// it, when those are not exactly "://": "https:/example.com",
// "http:example.com", "https//example.com", "ftp:example.com".
func misspeltScheme(o string) (scheme, rest string, ok bool) {
	lower := strings.ToLower(o)
	for _, s := range []string{"https", "http", "wss", "ws", "ftp"} {
		if !strings.HasPrefix(lower, s) {
			continue
		}
		// A backslash is a slash to the URL standard in an http or https
		// URL: "https:\\app.example.com" loads https://app.example.com.
		if r := o[len(s):]; strings.HasPrefix(r, ":") || len(r) >= 2 && strings.Trim(r[:2], `/\`) == "" {
			rest = strings.TrimLeft(strings.TrimPrefix(r, ":"), `/\`)
			if s[0] != 'h' && rest != "" && strings.Trim(rest, "0123456789") == "" {
				// Digits alone are a port after a host named so, as in
				// "localhost:3000": "ftp:8080" is https://ftp:8080 (the
				// URL standard would read an IPv4 address,
				// ftp://0.0.31.144).
				continue
			}
			return o[:len(s)], rest, true
		}
	}
	return "", "", false
}

// badPorts are the Fetch standard's bad ports ("port blocking"), as web
// platform tests' fetch/api/request/request-bad-port.any.js lists them:
// Chromium, Firefox and Safari refuse every fetch to them, a page's
// navigation included (Chromium's ERR_UNSAFE_PORT), unless started with a
// flag that allows one; but those of newBadPorts.
var badPorts = []string{"1", "7", "9", "11", "13", "15", "17", "19", "20", "21", "22", "23", "25", "37", "42", "43", "53", "69", "77", "79", "87", "95",
	"101", "102", "103", "104", "109", "110", "111", "113", "115", "117", "119", "123", "135", "137", "139", "143", "161", "179", "389", "427", "465",
	"512", "513", "514", "515", "526", "530", "531", "532", "540", "548", "554", "556", "563", "587", "601", "636", "989", "990", "993", "995",
	"1719", "1720", "1723", "2049", "3659", "4045", "4190", "5060", "5061", "6000", "6566", "6665", "6666", "6667", "6668", "6669", "6679", "6697", "10080"}

// newBadPorts are the bad ports the Fetch standard added in 2024
// (whatwg/fetch#1663), which Chromium did not follow: headless Chromium
// 156 loads a page, and fetches, from either (review7, checked on this
// machine), while Firefox's list (gBadPortList) has 4190.
var newBadPorts = []string{"4190", "6679"}

// refusedPort reports whether p is a bad port every browser refuses: one
// of badPorts but not of newBadPorts.
func refusedPort(p string) bool {
	return slices.Contains(badPorts, p) && !slices.Contains(newBadPorts, p)
}

// defaultPort reports whether the origin spells out its scheme's default
// port, after its colon: without one ("[::1]80") the port is malformed
// (badPort), whatever its number.
func (u originParts) defaultPort() bool { return !u.colonless && isDefaultPort(u.scheme, u.port) }

// pageScheme returns scheme in lower case, the scheme of the page that
// opens a WebSocket for "ws" and "wss": "http" and "https".
func pageScheme(scheme string) string {
	switch s := strings.ToLower(scheme); s {
	case "ws":
		return "http"
	case "wss":
		return "https"
	default:
		return s
	}
}

// isWebScheme reports whether scheme is http, https, ws or wss, in any
// case: the schemes whose URLs the URL standard gives a host that is a
// domain or an IP address, and whose origin is a tuple a browser sends
// as Origin (ws and wss as their page's). Other schemes, such as
// chrome-extension, capacitor or file, are left alone: Electron sends
// "file://", a host and all.
func isWebScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "http", "https", "ws", "wss":
		return true
	}
	return false
}

// hostFindings adds the findings on host, an http or https origin's as
// written in the value o, that browsers refuse or may not send: a
// character the URL standard forbids there (origin-host-character), an
// escape browsers refuse (origin-host-escape), each then the value's last
// finding, which it reports with true, and a label that is no valid
// punycode (origin-bad-punycode), whose value keeps its other findings.
func hostFindings(host, o string, add, addNever func(id, why, fix string)) (last bool) {
	if i := strings.IndexAny(host, hostRefused); i >= 0 {
		// "https://ex^ample.com": Node's URL and Chromium throw, so no
		// page has this origin, whatever else the value holds.
		addNever(IDOriginHostCharacter,
			"Browsers refuse a URL whose host holds "+strconv.Quote(host[i:i+1])+" (one of the characters the URL standard forbids in a host), so no page has this origin and "+strconv.Quote(o)+" never matches.",
			askOriginFix)
		return true
	}
	if esc, refused := refusedEscape(host); refused && !strings.HasPrefix(host, "[") {
		// (An IPv6 literal with a zone, "[::1%25eth0]", is
		// origin-ip-form's: no IPv6 address.)
		// "https://app.example.com%2F/": no page has this origin, so
		// what follows the host, its case or its port, changes nothing,
		// and a finding about them would send its author to fix what
		// does not matter: this one says all browsers make of it.
		why := "Browsers refuse a URL whose host holds a \"%\" that starts no escape (" + strconv.Quote(esc) + "), so no page has this origin and " + strconv.Quote(o) + " never matches."
		if len(esc) == 3 && isHex(esc[1]) && isHex(esc[2]) {
			why = "Browsers decode the %-escapes of a host, and refuse the URL when one stands for a character no host holds (" + strconv.Quote(esc) + " is " + strconv.Quote(percentDecode(esc)) + "), so no page has this origin and " + strconv.Quote(o) + " never matches."
		}
		addNever(IDOriginHostEscape, why, askOriginFix)
		return true
	}
	if d := percentDecode(host); strings.ContainsAny(d, notDNS) && !strings.HasPrefix(host, "[") && !refusedIPv4(d) {
		// "https://ex,ample.com": the URL standard forbids none of
		// these in a host, and Node's URL and Chromium keep them
		// (new URL("https://ex,ample.com").origin is
		// "https://ex,ample.com"), so a page served under such a name
		// sends this Origin; but no registry gives out such a name
		// (a domain's labels are letters, digits and "-", RFC 1123),
		// so only a hosts file or a resolver of the user's own can
		// give it an address. Not "never matches": the value's other
		// findings stand.
		c := d[strings.IndexAny(d, notDNS):][:1]
		fix := "Write the host the page's address bar shows."
		if c == "," {
			fix = "Write the host the page's address bar shows; to admit several origins, list each as its own AllowedOrigin."
		}
		// The value itself is not quoted as what browsers send: they
		// decode a host's %-escapes ("https://ex%2Cample.com" is sent
		// as https://ex,ample.com, as origin-host-escape says), and
		// the value may have a path or a `*`.
		add(IDOriginHostNotDNS,
			"Browsers accept "+strconv.Quote(c)+" in a host (the URL standard allows it there) and send it in the Origin of a page served under such a name, but no domain name anyone can register holds one, so only a page served under a name from a hosts file or a resolver of your own has this origin.",
			fix)
	}
	if label, bad := badPunycode(host); bad {
		// "https://xn--zz.example.com": the URL standard's host parser
		// refuses it, as Node's URL does, but Chromium (156) does not:
		// it runs IDNA on hosts beyond ASCII only, so it loads such a
		// page, from a name its domain's owner can create, and sends
		// its Origin. This finding does not say the value never
		// matches, and the value's other findings stand.
		add(IDOriginBadPunycode,
			"The label "+strconv.Quote(label)+" starts with \"xn--\" but is no valid punycode: the URL standard's host parser refuses it (as Node's URL does), so browsers that follow it load no page from this host, and only Chromium, which does not check it, may send this Origin.",
			badPunycodeFix)
	}
	return false
}

// opaqueHost reports whether scheme, written out without a `*`, is none
// of the URL standard's special schemes (http, https, ws, wss, ftp and
// file), whose URLs have an opaque host, kept in the case it is written
// in: "safari-web-extension://0B9C1E1D-..." is what Safari sends, and
// new URL("capacitor://Localhost").host is "Localhost" in Node. A
// scheme is lower case in every URL.
func opaqueHost(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "", "http", "https", "ws", "wss", "ftp", "file":
		return false
	}
	return !strings.Contains(scheme, "*")
}

// keepsHostCase reports whether browsers send the host of scheme's
// origins in the case it is written in: an opaque host (opaqueHost), but
// for chrome-extension, which Chromium (Chrome, Edge) registers as a
// standard scheme and so writes in lower case, as it writes http's: its
// new URL("chrome-extension://ABC").origin is chrome-extension://abc,
// and an extension's ID, which is its host, is 32 letters from a to p.
func keepsHostCase(scheme string) bool {
	return opaqueHost(scheme) && !strings.EqualFold(scheme, "chrome-extension")
}

// webHost reports whether the origin's host is read as an http or https
// URL's: its scheme is one of those, ws or wss, or a `*` stands for it
// (webScheme), or there is none (the fixes write https).
func (u originParts) webHost() bool {
	return u.webScheme() || u.scheme == "" && u.noScheme
}

// webScheme reports whether the origin's scheme is http, https, ws or
// wss (isWebScheme), or a `*` stands for it (schemeStar), written before
// "://" ("*://", or "http*://" for its end) or leading the value: what
// follows is the host of every https origin the value admits, which
// browsers read as they read any https URL's ("*Zexa^mplex.com" admits
// https://Zexa^mplex.com and https://aZexa^mplex.com,
// "*://Zexa^mplex.com" the first, for which Node's new URL and Chromium
// throw; "*x.exam%2Epl9e.com" admits https://x.exam%2Epl9e.com, which
// they load from x.exam.pl9e.com and send decoded). The `*` may also
// stand for an app's scheme, whose opaque host browsers keep as written;
// such an app is left aside, as origin-uppercase leaves it aside for the
// host's case: its host holds no forbidden host code point either ("^"
// is one), and a "%" in it is no more plausible than upper case.
func (u originParts) webScheme() bool {
	return isWebScheme(u.scheme) || u.schemeStar
}

// starSchemes returns the schemes of web pages whose origins a `*`
// standing for the scheme (schemeStar) admits: https alone when it ends
// "https" ("https*://"), http and https otherwise ("*://", "http*://",
// "h*://", a leading `*`), and none when no `*` stands for the scheme.
func (u originParts) starSchemes() []string {
	switch {
	case !u.schemeStar:
		return nil
	case strings.EqualFold(strings.TrimSuffix(u.scheme, "*"), "https"):
		return []string{"https"}
	}
	return []string{"http", "https"}
}

// ipHost returns the host of the origin as the URL standard serializes it
// when it reads it as an IP address (see the package's ipHost), once
// percent-decoded as the standard's host parser does first: for an
// http, https, ws or wss origin, or one without a scheme (the fix writes
// https), whose host holds no `*`, which could stand for anything.
func (u originParts) ipHost() (host string, ip, ok bool) {
	h, star := u.host, ""
	if literal, ok := strings.CutPrefix(h, "*["); ok {
		// "*[0:0::1]", "https://*[0:0::1]": no host holds text before
		// its "[", so the `*` stands for none of it (but the scheme and
		// "://" a leading `*` stands for), and every origin admitted
		// has the literal as written for its host. It is kept.
		h, star = "["+literal, "*"
	}
	if h == "" || strings.Contains(h, "*") || u.bracket || !u.webHost() {
		return "", false, false
	}
	decoded := percentDecode(h)
	if strings.ContainsFunc(decoded, beyondASCII) {
		// Bytes above ASCII go through IDNA first, which this does not
		// do: origin-non-ascii speaks of them.
		return "", false, false
	}
	host, ip, ok = ipHost(strings.ToLower(decoded))
	if ok {
		host = star + host
	}
	return host, ip, ok
}

// percentDecode is the URL standard's percent-decoding, which its host
// parser applies to the host of an http, https, ws or wss URL before
// anything else: each "%" and two hexadecimal digits is that byte, any
// other "%" stays ("127.0.0.%31" is "127.0.0.1", "a%zz" stays, and the
// parser then refuses its "%").
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(n))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// refusedEscape returns the first escape of host that makes browsers
// refuse the URL, and true when there is one: a "%" that starts no escape
// ("%zz", or "%" at the end), or an escape for a character the URL
// standard forbids in a host ("%2F" is "/", "%25" "%", "%20" a space,
// "%00" a control character). A `*` ("%2A") is no such character: the
// standard's host parser keeps it ("https://a%2Ab.com" is
// https://a*b.com).
func refusedEscape(host string) (string, bool) {
	for i := 0; i < len(host); i++ {
		if host[i] != '%' {
			continue
		}
		esc := host[i:min(i+3, len(host))]
		if len(esc) < 3 || !isHex(esc[1]) || !isHex(esc[2]) {
			return esc, true
		}
		if c := percentDecode(esc)[0]; c <= ' ' || c == 0x7f || strings.IndexByte(forbiddenHost, c) >= 0 {
			return esc, true
		}
		i += 2
	}
	return "", false
}

// badPunycode returns the first label of host, percent-decoded and in
// lower case, that starts with "xn--" and is no punycode the URL
// standard's domain to ASCII (UTS #46 ToASCII, which decodes and checks
// each such label) accepts, and true when there is one: "xn--zz" (no
// punycode), "xn--a" (U+0080, no character of a host), "xn--a-ecp" ("a⒈",
// which the mapping would change), or "xn--" alone (an empty label, which
// Node's URL refuses, as UTS #46 since Unicode 15.1 does). Chromium
// accepts all of them (it runs IDNA on hosts beyond ASCII only). A label whose
// punycode is only ASCII ("xn--abc-", "abc") is left alone: UTS #46
// refuses it since Unicode 15.1, but Node 20's URL still accepts it, so
// browsers may too. A label holding a `*` is left alone, or one a host
// holds a "%" in that browsers refuse (origin-host-escape).
func badPunycode(host string) (string, bool) {
	d, ok := decodeHost(host)
	if !ok {
		return "", false
	}
	for label := range strings.SplitSeq(strings.ToLower(d), ".") {
		if !strings.HasPrefix(label, "xn--") || strings.ContainsAny(label, "*") ||
			strings.ContainsFunc(label, beyondASCII) {
			continue
		}
		if label == "xn--" {
			return label, true
		}
		u, err := whatwgIDNA.ToUnicode(label)
		if err != nil && (u == label || strings.ContainsFunc(u, beyondASCII)) {
			return label, true
		}
	}
	return "", false
}

// badPunycodeFix is origin-bad-punycode's fix.
const badPunycodeFix = "Copy the host from the page's address bar, or write the name in punycode as an IDNA converter gives it."

// firstEscapeBeyondASCII returns the first escape of host that stands
// for a byte beyond ASCII ("%92", "%C3"), the one a finding on a host
// browsers refuse quotes; host holds one.
func firstEscapeBeyondASCII(host string) string {
	for i := 0; i+2 < len(host); i++ {
		if host[i] == '%' && isHex(host[i+1]) && isHex(host[i+2]) {
			if esc := host[i : i+3]; percentDecode(esc)[0] >= utf8.RuneSelf {
				return esc
			}
			i += 2
		}
	}
	return firstEscape(host)
}

// firstEscape returns the first "%" of s and the two characters after it
// (fewer at its end), the escape a finding quotes; s holds a "%".
func firstEscape(s string) string {
	esc := s[strings.IndexByte(s, '%'):]
	return esc[:min(3, len(esc))]
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// isDefaultPort reports whether port is scheme's default port.
func isDefaultPort(scheme, port string) bool {
	switch strings.ToLower(scheme) {
	case "https":
		return port == "443"
	case "http":
		return port == "80"
	}
	return false
}

// canonical returns the origin a browser would send for t (t free of white
// space): scheme and host in lower case, "https://" added when there is no
// scheme, the default port and any path dropped. A "*" is kept.
func canonical(t string) string {
	u := parseOrigin(t)
	scheme := pageScheme(u.scheme)
	ftp := scheme == "ftp"
	if ftp {
		// No page has an ftp origin (see origin): the fix is the https
		// origin of its host, without FTP's default port, a bad port.
		scheme = "https"
	}
	if scheme == "" && (u.noScheme || !strings.HasPrefix(u.host, "*")) {
		// No scheme, or a leading "*" standing for it that the fix
		// drops with a user name ("*@example.com").
		scheme = "https"
	}
	s := ""
	if scheme != "" {
		s = scheme + "://"
	}
	// A leading `*` that stands for the scheme keeps it, and the host
	// after it is an https one (webScheme).
	web := isWebScheme(scheme) || u.schemeStar
	if host, ip, ok := u.ipHost(); ip && ok {
		s += host
	} else if d, ok := decodeHost(u.host); web && ok && !strings.ContainsFunc(d, beyondASCII) {
		// "%41.com" is "a.com", as browsers read it. One that decodes
		// to a character no host holds ("%2F") is kept as written.
		s += strings.ToLower(d)
	} else if a, ok2 := idnaASCII(d); web && ok && ok2 && !starBeyondASCII(d) && !strings.HasPrefix(d, "[") {
		// "bücher.example" is "xn--bcher-kva.example"; a host IDNA
		// refuses has none (idnaASCII), nor has an IPv6
		// literal ("[::1é]"). The URL
		// standard reads the result as an IPv4 address when it ends
		// in a number: "127.0.0.1。" (an ideographic full stop, which
		// IDNA maps to ".") is 127.0.0.1, its last dot dropped.
		if h, ip, ok := ipHost(a); ip && ok {
			a = h
		}
		s += a
	} else if keepsHostCase(scheme) {
		s += u.host
	} else {
		s += strings.ToLower(u.host)
	}
	portScheme := scheme
	if only := u.starSchemes(); len(only) == 1 {
		// "https*://a.com:443/x" admits https origins alone, which
		// never hold ":443".
		portScheme = only[0]
	}
	if port := writtenPort(u.port); port != "" && !isDefaultPort(portScheme, port) && !(ftp && port == "21") {
		s += ":" + port
	}
	return s
}

// starBeyondASCII reports whether a label of host holds a `*` and a
// character beyond ASCII that IDNA does not map to ASCII: punycode is of
// a whole label, so such a label has none ("*eamplée" is no
// "xn--*eample-gya", where the `*` would match no name's punycode), but
// full-width letters map to ASCII ones ("*ＥＸＡ" is "*exa").
func starBeyondASCII(host string) bool {
	// UTS #46 maps the ideographic and full-width full stops to ".".
	dot := func(r rune) bool { return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61' }
	for _, label := range strings.FieldsFunc(host, dot) {
		if !strings.Contains(label, "*") || !strings.ContainsFunc(label, beyondASCII) {
			continue
		}
		// "*ＡＢＣ": UTS #46 maps full-width letters to ASCII ("*abc"),
		// no punycode, so the `*` stays before the letters browsers send.
		if a, err := whatwgIDNA.ToASCII(label); err != nil || strings.HasPrefix(a, "xn--") || strings.ContainsFunc(a, beyondASCII) {
			return true
		}
	}
	return false
}

// asciiDomain returns domain, a wildcard value's host or part of it
// without its `*`, as browsers send it: in punycode when it holds
// characters beyond ASCII ("bücher.example" is "xn--bcher-kva.example"),
// or "" when it has none.
func asciiDomain(domain string) string {
	if !strings.ContainsFunc(domain, beyondASCII) {
		return domain
	}
	a, ok := idnaASCII(domain)
	if !ok || strings.ContainsFunc(a, beyondASCII) {
		return ""
	}
	return a
}

// idnaASCII returns d, a host percent-decoded, as browsers send it, in
// punycode beyond ASCII (UTS #46 ToASCII, as the URL standard's host
// parser runs it), and false when it has no such form: IDNA refuses it
// (idnaRefused), or golang.org/x/net's tables, of Unicode 15, do not know
// one of its characters.
func idnaASCII(d string) (string, bool) {
	if !utf8.ValidString(d) {
		return "", false
	}
	a, err := whatwgIDNA.ToASCII(d)
	if err != nil || refusedASCII(a) {
		return "", false
	}
	return a, true
}

// refusedASCII reports whether a, what UTS #46 ToASCII made of a host,
// is one the URL standard's host parser then refuses: the mapping gave
// a forbidden domain code point (U+00A0 maps to a space, U+2047 to "??",
// U+2100 to "a/c"), or a label that breaks IDNA's rules once mapped
// (U+2135, the alef symbol, maps to the Hebrew letter alef, which "a"
// and "b" around it make a label whose directions mix). Go's idna checks
// neither; Node's new URL throws on each.
func refusedASCII(a string) bool {
	if strings.ContainsAny(a, forbiddenHost) || strings.ContainsFunc(a, unprintable) {
		return true
	}
	_, err := whatwgIDNA.ToUnicode(a)
	return err != nil
}

// idnaRefused reports whether browsers refuse d, a host percent-decoded
// (or as written, for the characters written beyond ASCII), for the
// characters beyond ASCII it holds: bytes that are no UTF-8 ("%92",
// which the host parser decodes to U+FFFD), or a name
// IDNA refuses ("a\u202eb.com": U+202E, a bidi control, is disallowed),
// or one whose mapping the host parser refuses (refusedASCII). Each
// label beyond ASCII is judged alone: an ASCII one is
// origin-bad-punycode's ("xn--zz"), and one holding a `*` is left
// alone, whose `*` may stand for what a joiner or a right-to-left
// character in it needs. A label holding a character that
// golang.org/x/net's tables, of Unicode 15, do not know is not reported
// either: Chromium 156 knows those of Unicode 16 (U+0897) and accepts
// them. Node's new URL and
// Chromium 156 throw on every code point golang.org/x/net's IDNA refuses
// in "a?b.com" but 10599 that Chromium knows and Go does not (10514 of
// Unicode 16 and 17, 85 that Unicode 16's IDNA maps: U+04C0, Georgian
// capitals, Hangul fillers; Node 20 refuses those 85 too).
func idnaRefused(d string) bool {
	if !strings.ContainsFunc(d, beyondASCII) || strings.HasPrefix(d, "[") {
		return false
	}
	if !utf8.ValidString(d) {
		return true
	}
	dot := func(r rune) bool { return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61' }
	for _, n := range strings.FieldsFunc(d, dot) {
		if strings.Contains(n, "*") {
			continue
		}
		// A forbidden host code point ("ex^ample", "a|b") is
		// origin-host-character's or origin-path's, a "%" left
		// origin-host-escape's: judge the name without them.
		n = strings.Map(func(r rune) rune {
			if r < utf8.RuneSelf && (unprintable(r) || strings.ContainsRune(forbiddenHost, r)) {
				return -1
			}
			return r
		}, n)
		if strings.ContainsFunc(n, unknownRune) || !strings.ContainsFunc(n, beyondASCII) {
			continue
		}
		if a, err := whatwgIDNA.ToASCII(n); err != nil || refusedASCII(a) {
			return true
		}
	}
	return false
}

// unknownRune reports whether r is no character of Go's Unicode tables
// (golang.org/x/net's IDNA tables are of the same version, 15), though
// it may be one of a later version's.
func unknownRune(r rune) bool {
	return unicode.Is(unicode.C, r) && !unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)
}

// hostRefused holds the URL standard's forbidden host code points that
// no other finding speaks of: white space is origin-whitespace's, "#",
// "/", "?" and "\" end the host (origin-path), ":" starts the port, "@"
// ends a user name, "[" and "]" are origin-path's or an IPv6 literal's,
// "%" origin-host-escape's, control characters origin-non-ascii's.
const hostRefused = "<>^|"

// refusedIPv4 reports whether browsers read host, percent-decoded, as an
// IPv4 address, its last label a number, and refuse it as none
// ("192.168.1;.10": Node's new URL throws), which origin-ip-form says.
// Of a host holding a `*`, it reports whether they do so of every host
// the `*` admits, whatever it stands for ("*192,168.1.10": new
// URL("https://a192,168.1.10") throws, as for any text before "192"):
// the last label is then after the `*`, whole (a dot before it), and a
// number, and no text for the `*` makes an address of the host
// (ipv4Fills).
func refusedIPv4(host string) bool {
	host = strings.ToLower(host)
	before, after, star := strings.Cut(host, "*")
	if !star {
		_, ip, ok := ipHost(host)
		return ip && !ok
	}
	if strings.Contains(after, "*") || strings.HasPrefix(host, "[") || !everyFillEndsInNumber(after) {
		return false
	}
	for _, fill := range ipv4Fills {
		if _, ok := parseIPv4(before + fill + after); ok {
			return false
		}
	}
	return true
}

// everyFillEndsInNumber reports whether every host whose text after its
// `*` is after ends in a number (endsInNumber), whatever the `*` stands
// for: its last label, a trailing dot left aside, is then all in after,
// a dot before it, and a number ("*.1", "*x.0x1."). Otherwise the `*`
// may end the host in a label that is no number: "*1" admits evil1,
// "*1." evil1. and "*." evil.
func everyFillEndsInNumber(after string) bool {
	return strings.Contains(strings.TrimSuffix(after, "."), ".") && endsInNumber(after)
}

// ipv4Fills are texts for a `*` that make an IPv4 address of a host the
// URL standard's IPv4 parser reads, if any text does: a host of one to
// four numbers, each up to 255 but the last, which the `*` cannot be in
// (a label after it is). The `*` stands for the middle of one number:
// nothing, "0" or "x" after a "0" ("1.2.0*ff.1" admits 1.2.0xff.1), or
// "0" or "0x" before what follows ("*x1.2" admits 0x1.2, "*08.1"
// 0x08.1, and "0377" is 255 where "377" is no number); or it ends the
// number written before it with a dot, and starts the next with nothing,
// "0" or "0x" ("1*0x1.1" admits 1.0x1.1). Longer texts only add digits,
// which make a number greater, or numbers, which leave the last one less
// room; with no number before it, the `*` is best the start of the next.
var ipv4Fills = []string{"", "0", "x", "0x", ".", ".0", ".0x"}

// notDNS holds the printable ASCII characters that the URL standard
// allows in a host (no forbidden domain code point) but no registered
// domain name holds: a name's labels are letters, digits and "-" (and
// "_", which some names hold and browsers resolve, is left alone, as is
// `*`, S3's wildcard).
const notDNS = "!\"$&'()+,;=`{}~"

// forbiddenHost holds the URL standard's forbidden domain code points that
// are printable ASCII: a host decoded to one is refused.
const forbiddenHost = " #%/:<>?@[\\]^|"

// decodeHost returns host percent-decoded, as browsers read it, and false
// when browsers refuse one of its escapes (refusedEscape:
// "app.example.com%2F", "a%00b.com") or one stands for a `*`
// ("a%2Ab.com"), no longer the value's pattern; canonical then keeps the
// host as written.
func decodeHost(host string) (string, bool) {
	if _, refused := refusedEscape(host); refused {
		return "", false
	}
	d := percentDecode(host)
	if strings.Count(d, "*") != strings.Count(host, "*") {
		return "", false
	}
	return d, true
}

// whatwgIDNA is UTS #46 ToASCII as the URL standard's "domain to ASCII"
// runs it: nontransitional, CheckBidi and CheckJoiners set, CheckHyphens,
// UseSTD3ASCIIRules and VerifyDnsLength unset.
var whatwgIDNA = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false), idna.CheckJoiners(true), idna.VerifyDNSLength(false))

// askOriginFix is the fix for a value that holds no origin to write: it
// asks for the origin the browser sends.
const askOriginFix = `Write the origin the page's address bar shows: its scheme, "://" and its host (and ":port" when not the default), as in "https://app.example.com".`

// fixOrigin returns canonical(t), and false when t holds no host to
// write, or one no origin has.
func fixOrigin(t string) (string, bool) {
	u := parseOrigin(t)
	c := canonical(t)
	// web is set when the fix is an http or https origin, whose host
	// browsers read as a domain or an IP address (also for a value
	// without a scheme, or a ws or wss one).
	web := strings.HasPrefix(c, "https://") || strings.HasPrefix(c, "http://")
	a := parseOrigin(c).host
	if web && strings.ContainsAny(a, hostRefused) {
		return c, false // "https://ex^ample.com": browsers refuse it
	}
	if web && strings.ContainsFunc(a, beyondASCII) {
		return c, false // no punycode (starBeyondASCII), which browsers send
	}
	if u.noScheme && u.scheme == "" && u.colon && isScheme(u.host) && !strings.Contains(u.host, "*") &&
		(strings.Trim(u.port, "0123456789") != "" || u.port == "" && u.rest != "") && !anyPortThenPath(u) {
		// "capacitor:localhost", "foo:/example.com": a scheme and what
		// follows its colon, which is no port, rather than a host and
		// its port. The URL standard gives such a URL an opaque path
		// (origin "null"), where no host can be told from the rest: the
		// fix would make one of the scheme ("https://capacitor").
		return c, false
	}
	if _, list := commaList(c); list {
		// "example.com,/" is "https://example.com,", which reads as a
		// list of one origin (origin-comma-separated).
		return c, false
	}
	if web && a != "" && !strings.Contains(a, "*") {
		if _, ip, ok := ipHost(a); ip && !ok {
			// "http://1.2.3.256。": an IPv4 address once IDNA has
			// mapped it, or none, which browsers refuse.
			return c, false
		}
	}
	if _, ip, ok := u.ipHost(); u.host == "" && !strings.EqualFold(u.scheme, "file") || u.bracket || ip && !ok || web && strings.Contains(c, "%") {
		// A "%" canonical keeps in a host is one browsers refuse.
		return c, false
	}
	return c, true
}

// anyPortThenPath reports whether u, a value without a scheme, is a
// domain name or localhost, a `*` for its port and a path: "a.com:*/x"
// is a page's address with any port, not the scheme "a.com" and an
// opaque path, which no one writes.
func anyPortThenPath(u originParts) bool {
	return u.port == "*" && u.rest != "" && (strings.Contains(u.host, ".") || strings.EqualFold(u.host, "localhost"))
}

// writeFix returns the fix "Write ORIGIN." for t, with extra after the
// origin, or askOriginFix when fixOrigin finds no origin to write.
func writeFix(t, extra string) string {
	c, ok := fixOrigin(t)
	if !ok {
		return askOriginFix
	}
	return "Write " + strconv.Quote(c) + extra + "."
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
