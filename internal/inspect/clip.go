package inspect

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/s3cors/s3cors/internal/explain"
)

// maxShownValue is the most bytes of one value that the reasons show.
// They quote the request's Origin or a header name as Go does, in each
// rule's reason and again in the steps: an Origin kept at MaxValueLen
// bytes that are not UTF-8 is quoted in four times as many (\x80), and
// JSON writes each backslash twice. Unbounded, one event of a bucket
// with 100 rules could be megabytes. The request's own fields show the
// value whole.
const maxShownValue = 256

// clip returns s, a reason of explain's or of a trace, with each quoted
// value and each word (a run of bytes without space or quote, as a value
// explain writes unquoted) longer than maxShownValue bytes cut to them,
// ended by "…", inside the quotes of a quoted value. The rest of the
// sentence is kept, so that it still names the rule's values.
func clip(s string) string {
	if len(s) <= maxShownValue {
		return s
	}
	var b []byte // nil until a value is cut
	done := 0    // s[:done] is in b
	for i := 0; i < len(s); {
		switch s[i] {
		case ' ':
			i++
		case '"':
			end, closed := quotedEnd(s, i)
			inner := s[i+1 : end]
			if closed {
				inner = s[i+1 : end-1]
			}
			if len(inner) > maxShownValue {
				b = append(b, s[done:i+1]...)
				b = append(b, inner[:quotedPrefix(inner, maxShownValue)]...)
				b = append(b, "…"...)
				if closed {
					b = append(b, '"')
				}
				done = end
			}
			i = end
		default:
			end := i + strings.IndexAny(s[i:], ` "`)
			if end < i {
				end = len(s)
			}
			if end-i > maxShownValue {
				b = append(b, s[done:i]...)
				b = append(b, cutUTF8(s[i:end], maxShownValue)...)
				b = append(b, "…"...)
				done = end
			}
			i = end
		}
	}
	if b == nil {
		return s
	}
	return string(append(b, s[done:]...))
}

// quotedEnd returns the index just past the Go-quoted string that starts
// at s[i], and whether it is closed; when it is not, the index is len(s).
func quotedEnd(s string, i int) (int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++ // the escaped byte cannot end the string
		case '"':
			return j + 1, true
		}
	}
	return len(s), false
}

// quotedPrefix returns the length of the longest prefix of q, the inside
// of a Go-quoted string, that is at most max bytes and cuts no escape
// (\x80, \u202e, \U0001f600, \n) and no character in two.
func quotedPrefix(q string, max int) int {
	n := 0
	for n < len(q) {
		size := 0
		if q[n] == '\\' && n+1 < len(q) {
			switch q[n+1] {
			case 'x':
				size = 4
			case 'u':
				size = 6
			case 'U':
				size = 10
			default:
				size = 2
			}
		} else {
			_, size = utf8.DecodeRuneInString(q[n:])
		}
		if n+size > max {
			break
		}
		n += size
	}
	return n
}

// cutUTF8 returns the longest prefix of s that is at most max bytes and
// cuts no character in two.
func cutUTF8(s string, max int) string {
	n := 0
	for n < len(s) {
		_, size := utf8.DecodeRuneInString(s[n:])
		if n+size > max {
			break
		}
		n += size
	}
	return s[:n]
}

// cutValue returns a request value that a reason shows raw (the header
// that no rule admits) as clip shows a word: at most maxShownValue bytes,
// ended by "…" when cut.
func cutValue(s string) string {
	if len(s) <= maxShownValue {
		return s
	}
	return cutUTF8(s, maxShownValue) + "…"
}

// clipTrace bounds what each rule's verdict shows of the request.
func clipTrace(trace []explain.RuleJSON) []explain.RuleJSON {
	for i := range trace {
		t := &trace[i]
		t.Reason = clip(t.Reason)
		t.UncoveredHeader = cutValue(t.UncoveredHeader)
		t.UncoveredHeaders = slices.Clone(t.UncoveredHeaders)
		for k, h := range t.UncoveredHeaders {
			t.UncoveredHeaders[k] = cutValue(h)
		}
	}
	return trace
}

// newWhy returns the reasons a page shows, bounded as clip bounds them.
func newWhy(summary string, steps []explain.Step) *why {
	for i := range steps {
		s := &steps[i]
		s.Origin, s.Method, s.Headers, s.Note = clip(s.Origin), clip(s.Method), clip(s.Headers), clip(s.Note)
	}
	return &why{Summary: clip(summary), Steps: steps}
}
