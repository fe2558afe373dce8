package s3server_test

import (
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3server"
)

// TestListDocumentAllocs sends a CompleteMultipartUpload of 600,000
// parts and a DeleteObjects of 930,000 objects, each as large as its
// body may be and far over S3's limits of 10,000 parts and 1,000 keys:
// both are refused with MalformedXML, as the smaller ones over the
// limits are, without decoding every entry first. Decoded, the 4 MiB
// completion allocated 779 MB, 347 MB of it live at once, and the 8 MiB
// deletion 541 MB: a few such requests at a time would exhaust the
// server's memory.
func TestListDocumentAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("measures allocations, which the race detector changes")
	}
	s, err := s3server.New(s3server.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mustOK(t, s.CreateBucket("lists", "private"))
	created := serveInProcess(s, "POST", "/lists/k?uploads", "", nil)
	id := uploadIDRE.FindStringSubmatch(created.Body.String())
	if id == nil {
		t.Fatalf("CreateMultipartUpload: %d %s", created.Code, created.Body)
	}
	for _, tc := range []struct{ name, path, body string }{
		{"CompleteMultipartUpload", "/lists/k?uploadId=" + id[1], fill("<CompleteMultipartUpload>", "<Part/>", "</CompleteMultipartUpload>", 4<<20)},
		{"DeleteObjects", "/lists?delete", fill("<Delete>", "<Object/>", "</Delete>", 8<<20)},
	} {
		md5 := contentMD5([]byte(tc.body))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w := serveInProcess(s, "POST", tc.path, tc.body, []string{"Content-MD5", md5})
		runtime.ReadMemStats(&after)
		allocated := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s of %d bytes: %d bytes allocated", tc.name, len(tc.body), allocated)
		if w.Code != 400 || errorCode(w.Body.Bytes()) != "MalformedXML" {
			t.Errorf("%s: %d %s, want 400 MalformedXML", tc.name, w.Code, w.Body)
		}
		// The body read (with the buffer it was read into) and the
		// entries up to the one past the limit.
		if limit := uint64(4 * len(tc.body)); allocated > limit {
			t.Errorf("%s of %d bytes allocated %d bytes, want at most %d", tc.name, len(tc.body), allocated, limit)
		}
	}
}

// fill returns prefix, then as many copies of item as fit for the whole
// to hold at most size bytes, then suffix.
func fill(prefix, item, suffix string, size int) string {
	return prefix + strings.Repeat(item, (size-len(prefix)-len(suffix))/len(item)) + suffix
}

// serveInProcess answers a request of the server's in process, with the
// headers given as name, value pairs.
func serveInProcess(s *s3server.Server, method, path, body string, header []string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}
