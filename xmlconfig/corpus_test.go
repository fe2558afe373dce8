package xmlconfig_test

import (
	"testing"

	"github.com/s3cors/s3cors/internal/hostile"
)

// TestHostileFuzzCorpus checks that FuzzDecode's seed corpus holds the
// PutBucketCors bodies of the hostile catalogue, each kept small; with
// -write-fuzz-corpus it writes them.
func TestHostileFuzzCorpus(t *testing.T) {
	t.Parallel()
	var bodies []hostile.ConfigBody
	if err := hostile.Load("config-bodies.json", &bodies); err != nil {
		t.Fatal(err)
	}
	c := hostile.Corpus{}
	for _, b := range bodies {
		// Small enough to stay under the 64 KiB limit: FuzzDecode holds
		// every failure to be MalformedXML, and one over the limit is
		// MaxMessageLengthExceeded.
		c.Add("FuzzDecode", b.ID, b.Body.Small())
	}
	c.Check(t, "FuzzDecode")
}
