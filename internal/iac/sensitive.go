package iac

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/lint"
	"golang.org/x/text/unicode/norm"
)

// SensitiveValue is what s3cors shows in place of a value Terraform marks
// sensitive, as Terraform shows it. The value is still judged: only the
// text of problems, findings, errors and notes leaves it out.
const SensitiveValue = lint.SensitiveValue

// sensitiveValues returns the values of b's rules that Terraform marks
// sensitive, longest first, the empty string left out.
func (b *Bucket) sensitiveValues() []string {
	var out []string
	b.eachValue(func(s string, o *Origin) {
		if o.Sensitive && s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	})
	for _, s := range b.secrets {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// textSecrets returns the sensitive values (see sensitiveValues) that
// messages about b leave out wherever their text appears: all but those
// that a value of b not marked sensitive spells too, in any case, such as
// the method GET of a rule written with ["GET"] beside one that takes a
// sensitive variable's "GET". Terraform shows that value as written, and
// a message quoting it (a finding about its rule, a note) reads as it
// would without the sensitive one; what a message says about the
// sensitive value itself is left out by its field instead (a finding's
// Value, Why and Fix; a problem's value).
func (b *Bucket) textSecrets() []string {
	return b.unshown(b.sensitiveValues())
}

// eachValue calls f with each value of b's rules, as text, and where it
// is written: the ID, MaxAgeSeconds when set, and each value of the lists
// that has an Origin.
func (b *Bucket) eachValue(f func(s string, o *Origin)) {
	for i := range b.Origins {
		o, r := &b.Origins[i], &b.Rules[i]
		f(r.ID, &o.ID)
		if r.MaxAgeSeconds != nil {
			f(strconv.Itoa(int(*r.MaxAgeSeconds)), &o.MaxAgeSeconds)
		}
		for _, l := range []struct {
			values  []string
			origins []Origin
		}{{r.AllowedOrigins, o.AllowedOrigins}, {r.AllowedMethods, o.AllowedMethods},
			{r.AllowedHeaders, o.AllowedHeaders}, {r.ExposeHeaders, o.ExposeHeaders}} {
			for j, s := range l.values {
				if j < len(l.origins) {
					f(s, &l.origins[j])
				}
			}
		}
	}
}

// redact returns text with each of secrets, quoted or not, in any case,
// in Unicode NFC as Terraform reads it too, replaced by SensitiveValue. A
// short secret (see shortSecret) not in quotes is replaced only with
// short, and only where it stands alone (see whole) in its own case: the
// sensitive ID "a" leaves "max_age_seconds" as it is, and "a browser"
// unless short.
func redact(text string, secrets []string, short bool) string {
	for _, secret := range secrets {
		for _, s := range []string{secret, norm.NFC.String(secret)} {
			for _, form := range []string{`"` + s + `"`, strconv.Quote(s), strconv.QuoteToASCII(s), quote(s)} {
				text = replaceFold(text, form, SensitiveValue, false, true)
			}
			if isShort(s) {
				if short {
					// In its own case, as a message spells a short value
					// it quotes: the ID "a" leaves "A browser's" as it is.
					text = replaceFold(text, s, SensitiveValue, true, false)
				}
			} else {
				text = replaceFold(text, s, SensitiveValue, false, true)
			}
		}
	}
	return unwrapRedacted(text)
}

// unwrapRedacted returns text with a SensitiveValue that stood in for a
// value in parentheses, such as the ID of "rule 1 (ID)", written once:
// "rule 1 (sensitive value)", not "rule 1 ((sensitive value))".
func unwrapRedacted(text string) string {
	return strings.ReplaceAll(text, "("+SensitiveValue+")", SensitiveValue)
}

// shortSecret is the length, in code points, up to which a sensitive
// value is too common a word ("GET", "PUT", "*", "a") to be left out of
// every message that spells it bare: most such are about other values,
// and the messages about the rule that holds it are redacted by rule
// (see Bucket.ruleSecrets).
const shortSecret = 3

func isShort(s string) bool { return utf8.RuneCountInString(s) <= shortSecret }

// replaceFold replaces each occurrence of old in s by repl: with fold,
// compared ignoring case; with alone, only an occurrence that stands alone
// (see whole).
func replaceFold(s, old, repl string, alone, fold bool) string {
	if old == "" || len(old) > len(s) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(old) <= len(s); {
		if (fold && strings.EqualFold(s[i:i+len(old)], old) || s[i:i+len(old)] == old) && (!alone || whole(s, i, i+len(old))) {
			b.WriteString(s[last:i])
			b.WriteString(repl)
			i += len(old)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// whole reports whether s[i:j] stands alone in s, as a word of a
// sentence or an item of a list: after a space, an opening bracket or
// quote, or the start, and before a space, a closing bracket or quote, a
// comma, a colon, a full stop that ends a sentence, or the end. The "GET"
// of "https://GET.example.com", the "*" of "https://*.example.com" and
// the "a" of "max_age_seconds" do not.
func whole(s string, i, j int) bool {
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsSpace(before) && !strings.ContainsRune("([{\"'", before) {
			return false
		}
	}
	if j < len(s) {
		after, size := utf8.DecodeRuneInString(s[j:])
		if after == '.' {
			// A full stop ends a sentence before a space or the end only.
			return j+size == len(s) || s[j+size] == ' ' || s[j+size] == '\n'
		}
		return unicode.IsSpace(after) || strings.ContainsRune(")]},;:!?\"'", after)
	}
	return true
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// Redact returns text, a message about b such as a note of convert or
// explain's trace, with each value of b that Terraform marks sensitive
// shown as SensitiveValue: quoted, or not where it stands alone (see
// whole), or anywhere when longer than shortSecret. A value that one not
// marked sensitive spells too, as Terraform shows that one, is shown (see
// textSecrets).
func (b *Bucket) Redact(text string) string {
	return redact(text, b.textSecrets(), true)
}

// RedactJSON is [Bucket.Redact] for JSON text, such as explain --json's:
// each value of b that Terraform marks sensitive, as JSON writes it
// inside a string (with or without HTML's characters escaped), is shown
// as SensitiveValue, so that the text stays JSON.
func (b *Bucket) RedactJSON(text string) string {
	for _, secret := range b.textSecrets() {
		for _, s := range []string{secret, norm.NFC.String(secret)} {
			for _, html := range []bool{false, true} {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(html)
				enc.Encode(s) // a string: no error
				quoted := strings.TrimSuffix(buf.String(), "\n")
				text = replaceFold(text, quoted[1:len(quoted)-1], SensitiveValue, isShort(s), true)
			}
		}
	}
	return unwrapRedacted(text)
}

// HasSensitive reports whether b holds a value Terraform marks sensitive.
func (b *Bucket) HasSensitive() bool { return len(b.sensitiveValues()) > 0 }

// ruleSecrets returns the values of rule (1-based) of b that Terraform
// marks sensitive, longest first, but those that a value of b not marked
// sensitive spells too (see textSecrets); none for rule 0.
func (b *Bucket) ruleSecrets(rule int) []string {
	if rule < 1 || rule > len(b.Origins) || rule > len(b.Rules) {
		return nil
	}
	one := &Bucket{Rules: b.Rules[rule-1 : rule], Origins: b.Origins[rule-1 : rule]}
	return b.unshown(one.sensitiveValues())
}

// unshown returns secrets, values of b that Terraform marks sensitive,
// without those that a value of b not marked sensitive spells too, in
// any case (see textSecrets).
func (b *Bucket) unshown(secrets []string) []string {
	var shown []string
	b.eachValue(func(s string, o *Origin) {
		if !o.Sensitive {
			shown = append(shown, s)
		}
	})
	return slices.DeleteFunc(secrets, func(secret string) bool {
		return slices.ContainsFunc(shown, func(s string) bool { return strings.EqualFold(s, secret) })
	})
}

// redactMessage returns text, a message about rule (1-based; 0 for the
// bucket) of b, without the values Terraform marks sensitive: those of
// the rule wherever they stand alone, the others (see textSecrets) where
// quoted, or, when not short, wherever their text appears.
func (b *Bucket) redactMessage(text string, rule int, secrets []string) string {
	return redact(redact(text, secrets, false), b.ruleSecrets(rule), true)
}

// redactOwn returns text, a problem about the value own, without it
// wherever it stands alone, in any case, as S3 quotes it and its hint
// corrects it ("methods are case-sensitive: write GET" for get).
func redactOwn(text string, own []string) string {
	text = redact(text, own, false)
	for _, s := range own {
		text = replaceFold(text, s, SensitiveValue, true, true)
	}
	return text
}

// valueAt returns the text of value index (0-based; ignored for the ID and
// MaxAgeSeconds) of field f of rule (1-based), or "".
func (b *Bucket) valueAt(rule int, f Field, index int) string {
	if rule < 1 || rule > len(b.Rules) {
		return ""
	}
	r := &b.Rules[rule-1]
	switch f {
	case FieldID:
		return r.ID
	case FieldMaxAgeSeconds:
		if r.MaxAgeSeconds != nil {
			return strconv.Itoa(int(*r.MaxAgeSeconds))
		}
	case FieldAllowedOrigin, FieldAllowedMethod, FieldAllowedHeader, FieldExposeHeader:
		if list := ruleList(r, f); index >= 0 && index < len(list) {
			return list[index]
		}
	}
	return ""
}

// redactSensitive takes the values Terraform marks sensitive out of the
// text of b's errors and notes.
func (b *Bucket) redactSensitive() {
	if !b.HasSensitive() {
		return
	}
	secrets := b.textSecrets()
	for i := range b.Errors {
		e := &b.Errors[i]
		e.Message, e.Hint = b.redactMessage(e.Message, e.Rule, secrets), b.redactMessage(e.Hint, e.Rule, secrets)
	}
	for i := range b.Notes {
		n := &b.Notes[i]
		n.Text = b.redactMessage(n.Text, n.Rule, secrets)
	}
}

// redact takes the values Terraform marks sensitive out of the text of
// v's problems and findings. A problem about such a value leaves it out
// wherever it stands alone, short as it may be ("Unsupported method is
// (sensitive value)"). A finding about such a value, whose why and fix
// may quote parts of it (its host, its scheme, the value to write
// instead), says in their place only what kind of mistake it is.
func (v *Verdict) redact() {
	b := v.Bucket
	if !b.HasSensitive() {
		return
	}
	secrets := b.textSecrets()
	for i := range v.Problems {
		p := &v.Problems[i]
		e := *p.Err
		var own []string
		if s := b.valueAt(e.Rule, p.Field, p.Index); p.Origin.Sensitive && s != "" {
			own = []string{s}
		}
		e.Message = redactOwn(b.redactMessage(e.Message, e.Rule, secrets), own)
		e.Reason = redactOwn(b.redactMessage(e.Reason, e.Rule, secrets), own)
		p.Err = &e
	}
	for i := range v.Findings {
		f := &v.Findings[i]
		if f.Origin.Sensitive && f.HasValue() {
			f.Value = SensitiveValue
			f.Why = "Terraform marks this value sensitive, so s3cors shows neither it nor what to write instead: " + lint.Summary(f.ID) + "."
			f.Fix = "Correct the value where it is set (" + f.ID + ", rule " + strconv.Itoa(f.Rule) + ", " + f.Field + ")."
		}
		f.Why, f.Fix = b.redactMessage(f.Why, f.Rule, secrets), b.redactMessage(f.Fix, f.Rule, secrets)
	}
}

// addSecrets records the scalars of v, the value of a variable declared
// sensitive, and marks them.
func (l *loader) addSecrets(v *val) {
	if v == nil {
		return
	}
	if v.isScalar() && v.kind != vNull && v.s != "" {
		v.org.Sensitive = true
		if !slices.Contains(l.secrets, v.s) {
			l.secrets = append(l.secrets, v.s)
		}
	}
	for _, item := range v.list {
		l.addSecrets(item)
	}
	for _, f := range v.fields {
		l.addSecrets(f)
	}
}

// redactSecrets marks sensitive each value of the buckets read that holds
// the value of a variable declared sensitive, as Terraform marks a value
// made from one, and takes them out of their errors and notes.
func (l *loader) redactSecrets() {
	if len(l.secrets) == 0 {
		return
	}
	holds := func(s string) bool {
		return slices.ContainsFunc(l.secrets, func(secret string) bool {
			return strings.Contains(strings.ToLower(s), strings.ToLower(secret))
		})
	}
	for _, b := range l.res.Buckets {
		b.eachValue(func(s string, o *Origin) {
			if s != "" && holds(s) && !l.literal(s, o) {
				o.Sensitive = true
			}
		})
		b.secrets = l.secrets
		b.redactSensitive()
	}
	for i := range l.res.Notes {
		l.res.Notes[i].Text = redact(l.res.Notes[i].Text, l.secrets, false)
	}
}

// sensitiveKey reports whether a key of v, the value of a for_each, holds
// the value of a variable declared sensitive: contains it, or, for a
// short one (see shortSecret), is it, so that the key "data" does not
// hold the sensitive ID "a". Terraform refuses such a for_each ("Invalid
// for_each argument: Sensitive values, or values derived from sensitive
// values, cannot be used as for_each arguments. If used, the sensitive
// value could be exposed as a resource instance key"), and an instance
// named by its key would show the value in every message.
func (l *loader) sensitiveKey(v *val) bool {
	for _, key := range instanceKeys(v) {
		for _, secret := range l.secrets {
			if isShort(secret) && strings.EqualFold(key, secret) ||
				!isShort(secret) && strings.Contains(strings.ToLower(key), strings.ToLower(secret)) {
				return true
			}
		}
	}
	return false
}

// literal reports whether s, a value of a rule whose origin is o, is
// written in the rule itself as a literal: a string in quotes, HCL's or
// JSON's, without a template, or a number. Terraform marks no such value
// sensitive, although it may spell a sensitive variable's value ("GET").
func (l *loader) literal(s string, o *Origin) bool {
	src := l.sources[o.Pos.File]
	if src == nil || !o.Pos.IsValid() || o.Ref.IsValid() || o.Via != "" {
		return false
	}
	rest := src.data[src.offset(o.Pos.Line, o.Pos.Char):]
	hcl := appendHCLString(nil, s)
	if bytes.HasPrefix(rest, hcl) && !bytes.Contains(hcl, []byte("${")) && !bytes.Contains(hcl, []byte("%{")) {
		return true
	}
	if js, err := json.Marshal(s); err == nil && bytes.HasPrefix(rest, js) && !bytes.Contains(js, []byte("${")) && !bytes.Contains(js, []byte("%{")) {
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && bytes.HasPrefix(rest, []byte(s)) {
		after, _ := utf8.DecodeRune(rest[len(s):])
		return len(rest) == len(s) || !isWordRune(after) && after != '.'
	}
	return false
}
