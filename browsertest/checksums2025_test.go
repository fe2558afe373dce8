package browsertest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
	"github.com/zeebo/xxh3"
)

// sum2025 returns the base64 checksum of b in the algorithm S3 names alg,
// one of those it added in 2025, computed by libraries independent of
// serve's and of the SDK's: the xxhashes with seed 0, big-endian, XXH3-128's
// high half first, as AWS's aws-checksums writes them.
func sum2025(alg string, b []byte) string {
	var raw []byte
	switch alg {
	case "MD5":
		s := md5.Sum(b)
		raw = s[:]
	case "XXHASH64":
		raw = binary.BigEndian.AppendUint64(nil, xxhash.Sum64(b))
	case "XXHASH3":
		raw = binary.BigEndian.AppendUint64(nil, xxh3.Hash(b))
	case "XXHASH128":
		s := xxh3.Hash128(b)
		raw = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, s.Hi), s.Lo)
	default:
		panic(alg)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// composite2025 returns the checksum S3 gives a COMPOSITE upload: the
// checksum of the parts' checksums, with the number of parts.
func composite2025(alg string, parts ...[]byte) string {
	var raw []byte
	for _, p := range parts {
		b, _ := base64.StdEncoding.DecodeString(sum2025(alg, p))
		raw = append(raw, b...)
	}
	return sum2025(alg, raw) + "-" + strconv.Itoa(len(parts))
}

// checksumSpoiler gives the GETs of the keys starting with "corrupt-" the
// checksum of "Hello World" in place of the one serve returns, so that
// the SDK's validation of what it reads is put to the test.
func checksumSpoiler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/corrupt-") {
			w = &spoiler{ResponseWriter: w}
		}
		h.ServeHTTP(w, r)
	})
}

type spoiler struct{ http.ResponseWriter }

func (s *spoiler) WriteHeader(code int) {
	h := s.Header()
	for name, v := range h {
		alg, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-checksum-")
		if ok && alg != "mode" && alg != "type" && len(v) == 1 {
			h[name] = []string{sum2025(strings.ToUpper(alg), []byte("Hello World"))}
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

// sumsResult is what checksums2025.mjs reports for a scenario.
type sumsResult struct {
	OK            bool     `json:"ok"`
	Error         string   `json:"error"`
	Status        int      `json:"status"`
	Code          *string  `json:"code"`
	Sent          bool     `json:"sent"`
	Stored        bool     `json:"stored"`
	Read          bool     `json:"read"`
	GetError      string   `json:"getError"`
	ETag          string   `json:"etag"`
	Checksum      *string  `json:"checksum"`
	Type          *string  `json:"type"`
	CreateAlg     *string  `json:"createAlgorithm"`
	CreateType    *string  `json:"createType"`
	PartChecksums []string `json:"partChecksums"`
	GetChecksum   *string  `json:"getChecksum"`
	GetType       *string  `json:"getType"`
	GetSHA256     string   `json:"getSHA256"`
	GetLength     int      `json:"getLength"`
}

// TestNodeSDKChecksums2025 runs checksums2025.mjs, the AWS SDK for
// JavaScript v3 in Node, against a serve that checks signatures, with the
// checksums S3 added in 2025. The SDK computes none of the xxhashes as it
// comes (it refuses before sending); given the implementations that ship
// with it (@aws-sdk/checksums/xxh) it puts them in a header for a buffer
// and in a trailer for a stream, serve takes and returns them, and the
// SDK validates GetObject's body against them with checksum mode; the
// checksum of another body is BadDigest. MD5 the SDK computes itself but
// sends as Content-MD5 with x-amz-sdk-checksum-algorithm MD5, which S3's
// documentation of that header says is refused, and it never validates
// x-amz-checksum-md5.
func TestNodeSDKChecksums2025(t *testing.T) {
	t.Parallel()
	node := nodeJS(t)
	log := &headerLog{}
	endpoint := newServer(t, checksumSpoiler(log.wrap(nodeServer(t, "AKIDNODE", "node/secret", "sums2025"))))
	var got map[string]sumsResult
	runNode(t, node, &got, "checksums2025.mjs", endpoint.URL, "sums2025", "AKIDNODE", "node/secret")
	for _, alg := range []string{"XXHASH64", "XXHASH3", "XXHASH128"} {
		t.Run(alg, func(t *testing.T) { checkNodeXXHash(t, alg, got, log) })
	}
	t.Run("MD5", func(t *testing.T) { checkNodeMD5(t, got, log) })
}

// checkNodeXXHash checks the scenarios of one of the xxhashes.
func checkNodeXXHash(t *testing.T, alg string, got map[string]sumsResult, log *headerLog) {
	a := strings.ToLower(alg)
	header := "X-Amz-Checksum-" + a
	str := func(s string) *string { return &s }
	run := func(t *testing.T, name string) sumsResult {
		t.Helper()
		r, ok := got[name+"-"+a]
		if !ok || !r.OK {
			t.Fatalf("%s: the script failed: %+v", name, r)
		}
		return r
	}
	// sent checks the headers of the last upload to the scenario's key.
	sent := func(t *testing.T, name string, want map[string]string) {
		t.Helper()
		checkSent(t, log, name+"-"+a, want)
	}
	t.Run("without an implementation", func(t *testing.T) {
		r := run(t, "plain")
		want := `Error: The checksum algorithm "` + alg + `" is not supported by the client. Select one of CRC32,CRC32C,CRC64NVME,SHA1,SHA256,` +
			` or provide an implementation to  the client constructor checksums field.`
		if r.Sent || r.Error != want || r.Status != 0 {
			t.Errorf("sent %v, error %q (status %d), want %q", r.Sent, r.Error, r.Status, want)
		}
		if h := log.get("PUT", "/sums2025/plain-"+a); h != nil {
			t.Errorf("a request reached the endpoint: %v", h)
		}
	})
	// upload checks a PutObject and its GetObject with checksum mode.
	upload := func(t *testing.T, r sumsResult, body []byte, sum string) {
		t.Helper()
		if r.ETag != quotedMD5(body) || !equalPtr(r.Checksum, &sum) || !equalPtr(r.Type, str("FULL_OBJECT")) {
			t.Errorf("PutObject: ETag %s, %s %s, type %s; want %s, %s, FULL_OBJECT", r.ETag, alg, deref(r.Checksum), deref(r.Type), quotedMD5(body), sum)
		}
		if !equalPtr(r.GetChecksum, &sum) || !equalPtr(r.GetType, str("FULL_OBJECT")) || r.GetSHA256 != hexSHA256(body) || r.GetLength != len(body) {
			t.Errorf("GetObject: %s %s, type %s, %d bytes of SHA-256 %s; want %s, FULL_OBJECT, %d, %s",
				alg, deref(r.GetChecksum), deref(r.GetType), r.GetLength, r.GetSHA256, sum, len(body), hexSHA256(body))
		}
	}
	t.Run("buffer", func(t *testing.T) {
		body := testData(5000)
		upload(t, run(t, "buffer"), body, sum2025(alg, body))
		sent(t, "buffer", map[string]string{header: sum2025(alg, body), "X-Amz-Sdk-Checksum-Algorithm": alg,
			"Content-Length": "5000", "Content-Encoding": "", "X-Amz-Trailer": ""})
	})
	t.Run("Hello world", func(t *testing.T) {
		// AWS's aws-checksums tests (tests/xxhash_test.c) give these.
		ref := map[string]string{"XXHASH64": "xQCwyRKzdtg=", "XXHASH3": "tqy52Eo4/3Q=", "XXHASH128": "c1H4mBL5c4K5HQWzHgTdfw=="}[alg]
		upload(t, run(t, "hello"), []byte("Hello world"), ref)
		sent(t, "hello", map[string]string{header: ref})
	})
	t.Run("stream", func(t *testing.T) {
		body := testData(100000)
		upload(t, run(t, "stream"), body, sum2025(alg, body))
		sent(t, "stream", map[string]string{header: "", "X-Amz-Sdk-Checksum-Algorithm": alg, "Content-Encoding": "aws-chunked",
			"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "X-Amz-Trailer": strings.ToLower(header), "X-Amz-Decoded-Content-Length": "100000"})
	})
	t.Run("wrong", func(t *testing.T) {
		r := run(t, "wrong")
		other := sum2025(alg, testData(4999))
		want := "BadDigest: The " + alg + " you specified did not match the calculated checksum."
		if !equalPtr(r.Checksum, &other) {
			t.Errorf("the other body's %s %s, want %s", alg, deref(r.Checksum), other)
		}
		checkRefused(t, r, "BadDigest", want)
		if r.Stored || r.GetError != "NoSuchKey" {
			t.Errorf("GetObject after the refusal: stored %v, error %q, want NoSuchKey", r.Stored, r.GetError)
		}
		// The value given is sent as it is, without the SDK's algorithm.
		sent(t, "wrong", map[string]string{header: other, "X-Amz-Sdk-Checksum-Algorithm": "", "X-Amz-Trailer": ""})
	})
	t.Run("changed on the way back", func(t *testing.T) {
		r := run(t, "corrupt")
		// The body is a stream, checked as it is read (@smithy/core's
		// createChecksumStream): "expected" is the header's value,
		// "received" the checksum of the bytes.
		want := `Error: Checksum mismatch: expected "` + sum2025(alg, []byte("Hello World")) + `" but received "` +
			sum2025(alg, testData(5000)) + `" in response header "` + strings.ToLower(header) + `".`
		if r.Read || r.Error != want {
			t.Errorf("read %v, error %q; want %q", r.Read, r.Error, want)
		}
	})
	t.Run("multipart", func(t *testing.T) {
		r := run(t, "part")
		body := testData(5<<20 + 3000)
		p1, p2 := body[:5<<20], body[5<<20:]
		sum := composite2025(alg, p1, p2)
		if !equalPtr(r.CreateAlg, &alg) || !equalPtr(r.CreateType, str("COMPOSITE")) {
			t.Errorf("CreateMultipartUpload: %s, %s; want %s, COMPOSITE", deref(r.CreateAlg), deref(r.CreateType), alg)
		}
		if want := []string{sum2025(alg, p1), sum2025(alg, p2)}; strings.Join(r.PartChecksums, " ") != strings.Join(want, " ") {
			t.Errorf("UploadPart: %s %v, want %v", alg, r.PartChecksums, want)
		}
		if r.ETag != multipartETag(body, 5<<20) || !equalPtr(r.Checksum, &sum) || !equalPtr(r.Type, str("COMPOSITE")) {
			t.Errorf("CompleteMultipartUpload: ETag %s, %s %s, type %s; want %s, %s, COMPOSITE",
				r.ETag, alg, deref(r.Checksum), deref(r.Type), multipartETag(body, 5<<20), sum)
		}
		// The SDK does not validate a COMPOSITE checksum, one with "-N".
		if !equalPtr(r.GetChecksum, &sum) || !equalPtr(r.GetType, str("COMPOSITE")) || r.GetSHA256 != hexSHA256(body) || r.GetLength != len(body) {
			t.Errorf("GetObject: %s %s, type %s, %d bytes of SHA-256 %s; want %s, COMPOSITE, %d, %s",
				alg, deref(r.GetChecksum), deref(r.GetType), r.GetLength, r.GetSHA256, sum, len(body), hexSHA256(body))
		}
		// The second part, a stream, went with a trailer.
		sent(t, "part", map[string]string{header: "", "Content-Encoding": "aws-chunked", "X-Amz-Trailer": strings.ToLower(header),
			"X-Amz-Decoded-Content-Length": "3000"})
	})
	t.Run("lib-storage", func(t *testing.T) {
		// Upload lists in CompleteMultipartUpload only the parts'
		// CRC32, CRC32C, CRC64NVME, SHA1 and SHA256, so an upload it
		// created with an xxhash cannot complete.
		r := run(t, "upload")
		want := "InvalidRequest: The upload was created using a " + a + " checksum. The complete request must include the checksum" +
			" for each part. It was missing for part 1 in the request."
		checkRefused(t, r, "InvalidRequest", want)
	})
}

// checkSent checks the headers of the last upload to the key
// /sums2025/key; "" is absent.
func checkSent(t *testing.T, log *headerLog, key string, want map[string]string) {
	t.Helper()
	h := log.get("PUT", "/sums2025/"+key)
	if h == nil {
		t.Fatal("no upload reached the endpoint")
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("the SDK sent %s %q, want %q", k, h.Get(k), v)
		}
	}
}

// checkRefused checks that the scenario's call failed with a 400 of the
// S3 error code, the SDK's error reading message.
func checkRefused(t *testing.T, r sumsResult, code, message string) {
	t.Helper()
	if r.Sent || r.Error != message || r.Status != 400 || !equalPtr(r.Code, &code) {
		t.Errorf("sent %v, error %q (status %d, code %s); want %q, 400", r.Sent, r.Error, r.Status, deref(r.Code), message)
	}
}

// checkNodeMD5 checks the MD5 scenarios.
func checkNodeMD5(t *testing.T, got map[string]sumsResult, log *headerLog) {
	str := func(s string) *string { return &s }
	body := testData(5000)
	md5Sum := sum2025("MD5", body)
	t.Run("buffer", func(t *testing.T) {
		// S3's documentation of PutObject's x-amz-sdk-checksum-algorithm:
		// "there must be a corresponding x-amz-checksum-<algorithm> or
		// x-amz-trailer header sent. Otherwise, Amazon S3 fails the request
		// with the HTTP status code 400"; Content-MD5 is neither.
		// UNVERIFIED against S3 itself, as is the message.
		r := got["md5-buffer"]
		if !r.OK {
			t.Fatalf("the script failed: %+v", r)
		}
		checkRefused(t, r, "InvalidRequest", "InvalidRequest: x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		checkSent(t, log, "md5-buffer", map[string]string{"Content-Md5": md5Sum, "X-Amz-Sdk-Checksum-Algorithm": "MD5", "X-Amz-Checksum-Md5": ""})
	})
	t.Run("stream", func(t *testing.T) {
		r := got["md5-stream"]
		if !r.OK {
			t.Fatalf("the script failed: %+v", r)
		}
		checkRefused(t, r, "InvalidRequest", "InvalidRequest: The value specified in the x-amz-trailer header is not supported")
		checkSent(t, log, "md5-stream", map[string]string{"X-Amz-Trailer": "content-md5", "X-Amz-Sdk-Checksum-Algorithm": "MD5", "Content-Encoding": "aws-chunked"})
	})
	t.Run("given, changed on the way back", func(t *testing.T) {
		r := got["corrupt-md5"]
		spoilt := sum2025("MD5", []byte("Hello World"))
		if !r.OK || r.ETag != quotedMD5(body) || !equalPtr(r.Checksum, &md5Sum) || !equalPtr(r.Type, str("FULL_OBJECT")) {
			t.Errorf("PutObject: %+v, want ETag %s, MD5 %s, FULL_OBJECT", r, quotedMD5(body), md5Sum)
		}
		if !r.Read || !equalPtr(r.GetChecksum, &spoilt) || r.GetSHA256 != hexSHA256(body) || r.GetLength != len(body) {
			t.Errorf("GetObject: read %v, MD5 %s, %d bytes of SHA-256 %s; want read, %s, %d, %s",
				r.Read, deref(r.GetChecksum), r.GetLength, r.GetSHA256, spoilt, len(body), hexSHA256(body))
		}
		if h := log.get("PUT", "/sums2025/corrupt-md5"); h.Get("X-Amz-Checksum-Md5") != md5Sum || h.Get("Content-Md5") != "" {
			t.Errorf("the SDK sent x-amz-checksum-md5 %q, Content-MD5 %q", h.Get("X-Amz-Checksum-Md5"), h.Get("Content-Md5"))
		}
	})
}
