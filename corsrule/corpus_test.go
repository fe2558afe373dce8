package corsrule_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/hostile"
)

// TestHostileFuzzCorpus checks that FuzzValidate's seed corpus holds
// rules made of the hostile catalogue's origins and header names (it
// takes a rule as space-separated lists); with -write-fuzz-corpus it
// writes them.
func TestHostileFuzzCorpus(t *testing.T) {
	t.Parallel()
	var reqs hostile.Requests
	if err := hostile.Load("requests.json", &reqs); err != nil {
		t.Fatal(err)
	}
	var origins, names []string
	for _, r := range reqs.Cases {
		h := r.Values()
		if acrh := strings.Join(h["Access-Control-Request-Headers"], "\n"); acrh != "" {
			names = append(names, hostile.Clip(acrh, 200))
		}
		if o := h["Origin"]; len(o) > 0 {
			origins = append(origins, hostile.Clip(o[0], 200))
		}
	}
	c := hostile.Corpus{}
	c.Add("FuzzValidate", "requests-config", "https://app.example https://*.wild.example", "GET PUT", "content-type x-amz-*", "ETag", "")
	c.Add("FuzzValidate", "origins", strings.Join(origins, " "), "GET", "", "", "")
	c.Add("FuzzValidate", "names", "*", "GET HEAD", strings.Join(names, " "), strings.Join(names, " "), "")
	c.Add("FuzzValidate", "semantic", "https://*.*.example null *", "get PATCH", "x-( *", "\x01", strings.Repeat("i", 256))
	c.Check(t)
}
