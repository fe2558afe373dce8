package s3server

import (
	"net/http"
	"testing"
)

// TestCanonicalNames checks that the header names canonicalGetter reads
// are in canonical form, the only form under which net/http keeps a
// request's headers.
func TestCanonicalNames(t *testing.T) {
	t.Parallel()
	c := getConditions
	for _, name := range []string{c.match, c.unmodifiedSince, c.noneMatch, c.modifiedSince, rangeHeader, checksumModeHeader} {
		if canonical := http.CanonicalHeaderKey(name); canonical != name {
			t.Errorf("%q is read by canonicalGetter, but its canonical form is %q", name, canonical)
		}
	}
}
