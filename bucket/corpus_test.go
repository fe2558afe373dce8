package bucket_test

import (
	"strings"
	"testing"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/internal/hostile"
)

// requestsSpec is the configuration of the hostile catalogue's
// requests.json in FuzzEvaluate's notation: origins|methods|headers|
// max-age, rules separated by ';'.
const requestsSpec = "https://app.example https://*.wild.example|GET PUT|content-type x-amz-*|x;*|HEAD||"

// TestHostileFuzzCorpus checks that the seed corpora of FuzzSplitNames
// and FuzzEvaluate hold the requests of the hostile catalogue, their
// header values cut past the bounds the targets check; with
// -write-fuzz-corpus it writes them.
func TestHostileFuzzCorpus(t *testing.T) {
	t.Parallel()
	var reqs hostile.Requests
	if err := hostile.Load("requests.json", &reqs); err != nil {
		t.Fatal(err)
	}
	const limit = bucket.MaxHeaderValueLen + 1
	c := hostile.Corpus{}
	for _, r := range reqs.Cases {
		h := r.Values()
		acrh := strings.Join(h["Access-Control-Request-Headers"], "\n")
		if acrh != "" {
			c.Add("FuzzSplitNames", r.ID, hostile.Clip(strings.ReplaceAll(acrh, "\n", ","), limit))
		}
		origin, acrm := "", ""
		if o := h["Origin"]; len(o) > 0 {
			origin = o[0]
		}
		if m := h["Access-Control-Request-Method"]; len(m) > 0 {
			acrm = m[0]
		}
		const object = 2 // FuzzEvaluate's flag for an object URL
		c.Add("FuzzEvaluate", r.ID, requestsSpec, r.Method, hostile.Clip(origin, limit), hostile.Clip(acrm, limit),
			hostile.Clip(acrh, limit), byte(object))
	}
	c.Check(t, "FuzzSplitNames", "FuzzEvaluate")
}
