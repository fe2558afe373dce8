package s3server

import (
	"encoding/xml"
	"testing"

	"github.com/s3cors/s3cors/internal/checksum"
)

// TestCompletePartChecksums reads a part's checksum in each algorithm an
// upload can be created with from a CompleteMultipartUpload's Part, in
// the element the SDKs write (aws-sdk-go-v2: ChecksumCRC32 ...
// ChecksumSHA512): an algorithm the list misses makes every completion
// of its uploads "missing" the parts' checksums.
func TestCompletePartChecksums(t *testing.T) {
	t.Parallel()
	for _, a := range checksum.Algorithms() {
		var p completePart
		doc := "<Part><Checksum" + a.Name + ">v</Checksum" + a.Name + "></Part>"
		if err := xml.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatal(err)
		}
		if got := p.checksum(a.Name); got != "v" {
			t.Errorf("%s: %q, want \"v\"", a.Name, got)
		}
	}
}
