package iac

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

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
// in Unicode NFC as Terraform reads it too, replaced by SensitiveValue.
func redact(text string, secrets []string) string {
	for _, secret := range secrets {
		for _, s := range []string{secret, norm.NFC.String(secret)} {
			for _, form := range []string{`"` + s + `"`, strconv.Quote(s), strconv.QuoteToASCII(s), quote(s), s} {
				text = replaceFold(text, form, SensitiveValue)
			}
		}
	}
	return text
}

// replaceFold replaces each occurrence of old in s, compared ignoring
// case, by repl.
func replaceFold(s, old, repl string) string {
	if old == "" || len(old) > len(s) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(old) <= len(s); {
		if strings.EqualFold(s[i:i+len(old)], old) {
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

// Redact returns text, a message about b such as a note of convert, with
// each value of b that Terraform marks sensitive shown as SensitiveValue.
func (b *Bucket) Redact(text string) string {
	return redact(text, b.sensitiveValues())
}

// RedactJSON is [Bucket.Redact] for JSON text, such as explain --json's:
// each value of b that Terraform marks sensitive, as JSON writes it
// inside a string (with or without HTML's characters escaped), is shown
// as SensitiveValue, so that the text stays JSON.
func (b *Bucket) RedactJSON(text string) string {
	for _, secret := range b.sensitiveValues() {
		for _, s := range []string{secret, norm.NFC.String(secret)} {
			for _, html := range []bool{false, true} {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(html)
				enc.Encode(s) // a string: no error
				quoted := strings.TrimSuffix(buf.String(), "\n")
				text = replaceFold(text, quoted[1:len(quoted)-1], SensitiveValue)
			}
		}
	}
	return text
}

// HasSensitive reports whether b holds a value Terraform marks sensitive.
func (b *Bucket) HasSensitive() bool { return len(b.sensitiveValues()) > 0 }

// redactSensitive takes the values Terraform marks sensitive out of the
// text of b's errors and notes.
func (b *Bucket) redactSensitive() {
	secrets := b.sensitiveValues()
	if len(secrets) == 0 {
		return
	}
	for i := range b.Errors {
		e := &b.Errors[i]
		e.Message, e.Hint = redact(e.Message, secrets), redact(e.Hint, secrets)
	}
	for i := range b.Notes {
		b.Notes[i].Text = redact(b.Notes[i].Text, secrets)
	}
}

// redact takes the values Terraform marks sensitive out of the text of
// v's problems and findings. A finding about such a value, whose why and
// fix may quote parts of it (its host, its scheme, the value to write
// instead), says in their place only what kind of mistake it is.
func (v *Verdict) redact() {
	secrets := v.Bucket.sensitiveValues()
	if len(secrets) == 0 {
		return
	}
	for i := range v.Problems {
		p := &v.Problems[i]
		e := *p.Err
		e.Message, e.Reason = redact(e.Message, secrets), redact(e.Reason, secrets)
		p.Err = &e
	}
	for i := range v.Findings {
		f := &v.Findings[i]
		if f.Origin.Sensitive && f.HasValue() {
			f.Value = SensitiveValue
			f.Why = "Terraform marks this value sensitive, so s3cors shows neither it nor what to write instead: " + lint.Summary(f.ID) + "."
			f.Fix = "Correct the value where it is set (" + f.ID + ", rule " + strconv.Itoa(f.Rule) + ", " + f.Field + ")."
		}
		f.Why, f.Fix = redact(f.Why, secrets), redact(f.Fix, secrets)
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
			if s != "" && holds(s) {
				o.Sensitive = true
			}
		})
		b.secrets = l.secrets
		b.redactSensitive()
	}
}
