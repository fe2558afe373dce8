package sigv_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/internal/sigv"
	"github.com/s3cors/s3cors/internal/sigv/sigvtest"
	"github.com/s3cors/s3cors/s3err"
)

// The examples of AWS's S3 API reference for aws-chunked bodies:
// "Signature Calculations for the Authorization Header: Transferring
// Payload in Multiple Chunks" (sigv4-streaming.html) and "... Including
// Trailing Headers" (sigv4-streaming-trailers.html). Their headers and
// signatures are AWS's, verbatim; both send 66,560 bytes of 'a' in a
// chunk of 64 KiB and one of 1 KiB.
const (
	awsStreamingHead = "PUT /examplebucket/chunkObject.txt HTTP/1.1\nHost: s3.amazonaws.com\nx-amz-date: 20130524T000000Z\n" +
		"x-amz-storage-class: REDUCED_REDUNDANCY\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
		"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class," +
		"Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9\n" +
		"x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\nContent-Encoding: aws-chunked\n" +
		"x-amz-decoded-content-length: 66560\nContent-Length: 66824\n"
	awsStreamingSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"

	awsTrailerHead = "PUT /examplebucket/chunkObject.txt HTTP/1.1\nHost: s3.amazonaws.com\nx-amz-date: 20130524T000000Z\n" +
		"x-amz-storage-class: REDUCED_REDUNDANCY\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
		"SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer," +
		"Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e\n" +
		"x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER\nContent-Encoding: aws-chunked\n" +
		"x-amz-decoded-content-length: 66560\nx-amz-trailer: x-amz-checksum-crc32c\n"
)

// awsStreamingBody and awsTrailerBody are the documented bodies.
var (
	awsStreamingBody = "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
		strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
		strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	awsTrailerBody = "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" +
		strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
		strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
		"x-amz-checksum-crc32c:sOO8/Q==\r\n" +
		"x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
)

// awsStreamingCanonical is the canonical request the documentation gives
// for its streaming example.
const awsStreamingCanonical = "PUT\n/examplebucket/chunkObject.txt\n\ncontent-encoding:aws-chunked\ncontent-length:66824\n" +
	"host:s3.amazonaws.com\nx-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD\nx-amz-date:20130524T000000Z\n" +
	"x-amz-decoded-content-length:66560\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n" +
	"content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class\n" +
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"

// chunkedRequest returns the request whose head is given, with body as
// its body, verified by v when v is not nil, and its body ready to read.
func chunkedRequest(t *testing.T, v *sigv.Verifier, head, body string) (io.ReadCloser, error) {
	t.Helper()
	r := sigvtest.ReadRequest(t, head)
	r.Body = io.NopCloser(strings.NewReader(body))
	var sig sigv.Signature
	if v != nil {
		var err error
		if sig, err = v.Verify(r, sigv.ParseQuery(r.URL.RawQuery)); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	return sig.DecodeBody(r)
}

// TestAWSChunkedExamples decodes AWS's two documented bodies, with every
// signature checked, then each with one signature changed.
func TestAWSChunkedExamples(t *testing.T) {
	t.Parallel()
	v := awsVerifier(t, awsExampleTime)
	want := strings.Repeat("a", 66560)
	for _, ex := range []struct{ name, head, body, checksum string }{
		{"signed chunks", awsStreamingHead, awsStreamingBody, ""},
		{"signed chunks and trailer", awsTrailerHead, awsTrailerBody, "sOO8/Q=="},
	} {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			body, err := chunkedRequest(t, v, ex.head, ex.body)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			if err != nil || string(got) != want {
				t.Fatalf("decoded %d bytes (%v), want the %d documented", len(got), err, len(want))
			}
			if algo := body.(*sigv.ChunkedReader).TrailerAlgorithm(); ex.checksum == "" && algo != nil || ex.checksum != "" && (algo == nil || algo.Name != "CRC32C") {
				t.Errorf("TrailerAlgorithm() = %v", algo)
			}
			name, value, ok := body.(*sigv.ChunkedReader).Checksum()
			if ex.checksum == "" && ok || ex.checksum != "" && (name != "X-Amz-Checksum-Crc32c" || value != ex.checksum) {
				t.Errorf("Checksum() = %q, %q, %v", name, value, ok)
			}
			// Each signature of the body changed in turn: the read that
			// would end the body fails, whatever it read before.
			for i := 0; ; i++ {
				at := nthIndex(ex.body, "signature=", i)
				if at < 0 {
					break
				}
				at += len("signature=")
				bad := ex.body[:at] + flipHex(ex.body[at]) + ex.body[at+1:]
				body, err := chunkedRequest(t, v, ex.head, bad)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadAll(body); !isCode(err, "SignatureDoesNotMatch") {
					t.Errorf("signature %d changed: %v", i, err)
				}
			}
		})
	}
}

// TestSignedTrailerEnd ends AWS's documented body with trailers as
// Swift's s3api checks against S3 do: S3 checks the trailer's signature
// when nothing follows its line (a bad one SignatureDoesNotMatch,
// test_strm_sgnd_pyld_trl_bad_trl_sig), and answers IncompleteBody when
// the body ends after the checksum without the signature
// (test_strm_sgnd_pyld_trl_missing_trl_sig).
func TestSignedTrailerEnd(t *testing.T) {
	t.Parallel()
	v := awsVerifier(t, awsExampleTime)
	noEmptyLine := strings.TrimSuffix(awsTrailerBody, "\r\n")
	at := strings.Index(noEmptyLine, "x-amz-trailer-signature:") + len("x-amz-trailer-signature:")
	for _, c := range []struct{ name, body, code string }{
		{"the signature, without the empty line", noEmptyLine, ""},
		{"a bad signature, without the empty line", noEmptyLine[:at] + flipHex(noEmptyLine[at]) + noEmptyLine[at+1:], "SignatureDoesNotMatch"},
		{"no signature, without the empty line", awsTrailerBody[:strings.Index(awsTrailerBody, "x-amz-trailer-signature:")], "IncompleteBody"},
		{"bytes after the empty line", awsTrailerBody + "x", "IncompleteBody"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			body, err := chunkedRequest(t, v, awsTrailerHead, c.body)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			switch {
			case c.code == "" && (err != nil || string(got) != strings.Repeat("a", 66560)):
				t.Fatalf("decoded %d bytes: %v", len(got), err)
			case c.code != "" && !isCode(err, c.code):
				t.Fatalf("error %v, want %s", err, c.code)
			}
		})
	}
}

// TestChunkSignatureMismatchDetails checks S3's details for a bad chunk
// signature: the chunk's string to sign, with the hashes AWS documents
// for the first chunk of its example, and the seed's canonical request.
func TestChunkSignatureMismatchDetails(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(awsStreamingBody, "signature=ad80", "signature=0d80", 1)
	body, err := chunkedRequest(t, awsVerifier(t, awsExampleTime), awsStreamingHead, bad)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(body)
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok || e.StatusCode != 403 {
		t.Fatalf("ReadAll: %v", err)
	}
	wantSTS := "AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + awsStreamingSeed + "\n" +
		emptySHA256 + "\nbf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a"
	for name, want := range map[string]string{
		"AWSAccessKeyId": sigvtest.DocAccessKey, "StringToSign": wantSTS, "CanonicalRequest": awsStreamingCanonical,
		"SignatureProvided": "0d80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
	} {
		if got, _ := e.Detail(name); got != want {
			t.Errorf("%s:\n%q\nwant\n%q", name, got, want)
		}
	}
}

func nthIndex(s, sub string, n int) int {
	at := -1
	for range n + 1 {
		i := strings.Index(s[at+1:], sub)
		if i < 0 {
			return -1
		}
		at += 1 + i
	}
	return at
}

func flipHex(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// chunkSigner signs chunks as a client does, independently of the
// package: HMAC-SHA256 with the documented example's key and scope,
// chained from the seed.
type chunkSigner struct {
	key  []byte
	prev string
}

const (
	exampleDate  = "20130524T000000Z"
	exampleScope = "20130524/us-east-1/s3/aws4_request"
)

func newExampleSigner(seed string) *chunkSigner {
	k := []byte("AWS4" + sigvtest.DocSecretKey)
	for _, part := range []string{"20130524", "us-east-1", "s3", "aws4_request"} {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(part))
		k = m.Sum(nil)
	}
	return &chunkSigner{key: k, prev: seed}
}

func (s *chunkSigner) sign(kind, hashes string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(kind + "\n" + exampleDate + "\n" + exampleScope + "\n" + s.prev + "\n" + hashes))
	s.prev = hex.EncodeToString(m.Sum(nil))
	return s.prev
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// encodeChunks frames data in chunks of size bytes, signed when s is not
// nil, followed by the trailer lines given ("name:value"), signed too
// when s is not nil and there are trailers.
func encodeChunks(data []byte, size int, s *chunkSigner, trailers ...string) string {
	var b strings.Builder
	chunk := func(p []byte) {
		fmt.Fprintf(&b, "%x", len(p))
		if s != nil {
			b.WriteString(";chunk-signature=" + s.sign("AWS4-HMAC-SHA256-PAYLOAD", emptySHA256+"\n"+sha256Hex(p)))
		}
		b.WriteString("\r\n")
		b.Write(p)
		if len(p) > 0 {
			b.WriteString("\r\n")
		}
	}
	for len(data) > 0 {
		n := min(size, len(data))
		chunk(data[:n])
		data = data[n:]
	}
	chunk(nil)
	var canonical string
	for _, tr := range trailers {
		b.WriteString(tr + "\r\n")
		canonical += tr + "\n"
	}
	if s != nil && len(trailers) > 0 {
		b.WriteString("x-amz-trailer-signature:" + s.sign("AWS4-HMAC-SHA256-TRAILER", sha256Hex([]byte(canonical))) + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// TestEncoderMatchesAWS checks the test's own encoder against AWS's
// documented bodies, so that the bodies it makes below are a client's.
func TestEncoderMatchesAWS(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("a"), 66560)
	if got := encodeChunks(data, 65536, newExampleSigner(awsStreamingSeed)); got != awsStreamingBody {
		t.Error("the encoder does not reproduce the documented signed body")
	}
	got := encodeChunks(data, 65536, newExampleSigner("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"), "x-amz-checksum-crc32c:sOO8/Q==")
	if got != awsTrailerBody {
		t.Error("the encoder does not reproduce the documented body with a trailer")
	}
}

// unsignedHead is a request with an unsigned aws-chunked body of n bytes
// and a CRC32 trailer; extra header lines follow.
func unsignedHead(n int, extra ...string) string {
	h := "PUT /b/k HTTP/1.1\nHost: s3.amazonaws.com\nContent-Encoding: aws-chunked\n" +
		"x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\nx-amz-trailer: x-amz-checksum-crc32\n" +
		fmt.Sprintf("x-amz-decoded-content-length: %d\n", n)
	for _, e := range extra {
		h += e + "\n"
	}
	return h
}

func crc32Trailer(data []byte) string {
	var sum [4]byte
	v := crc32.ChecksumIEEE(data)
	sum[0], sum[1], sum[2], sum[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return "x-amz-checksum-crc32:" + base64.StdEncoding.EncodeToString(sum[:])
}

// paddingBitSet returns a CRC32 trailer (4 bytes, "xxxxxx==") with the
// lowest of the padding bits of its last character set: the same bytes
// to a lenient decoder, a value S3 refuses as invalid (see
// checksum.Algorithm.Decode).
func paddingBitSet(trailer string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := len(trailer) - 3
	return trailer[:i] + string(alphabet[strings.IndexByte(alphabet, trailer[i])+1]) + trailer[i+1:]
}

// TestChunkedErrors sends bodies a decoder must refuse, each with S3's
// answer, and checks that nothing reached io.EOF.
func TestChunkedErrors(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("x"), 2*sigv.MinChunkSize+100)
	n := len(data)
	good := encodeChunks(data, sigv.MinChunkSize, nil, crc32Trailer(data))
	withoutTrailer := strings.TrimSuffix(good, crc32Trailer(data)+"\r\n\r\n") + "\r\n"
	const (
		incomplete = "IncompleteBody"
		trailer    = "MalformedTrailerError"
		chunkSize  = "InvalidChunkSizeError"
	)
	for _, c := range []struct {
		name, head, body, code string
	}{
		{"a good body", unsignedHead(n), good, ""},
		{"a good body in one chunk", unsignedHead(n), encodeChunks(data, n, nil, crc32Trailer(data)), ""},
		{"an empty body", unsignedHead(0), encodeChunks(nil, 1, nil, crc32Trailer(nil)), ""},
		{"a body without trailer announced or sent", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32\n", "", 1), withoutTrailer, ""},

		{"a wrong checksum", unsignedHead(n), strings.Replace(good, crc32Trailer(data), crc32Trailer(data[1:]), 1), "BadDigest"},
		{"a checksum that is not base64", unsignedHead(n), strings.Replace(good, crc32Trailer(data), "x-amz-checksum-crc32:!!!!", 1), "InvalidRequest"},
		{"a checksum with a padding bit set", unsignedHead(n), strings.Replace(good, crc32Trailer(data), paddingBitSet(crc32Trailer(data)), 1), "InvalidRequest"},
		{"the announced trailer missing", unsignedHead(n), withoutTrailer, trailer},
		{"another trailer than announced", unsignedHead(n), strings.Replace(good, "x-amz-checksum-crc32:", "x-amz-checksum-crc32c:", 1), trailer},
		{"the trailer twice", unsignedHead(n), strings.Replace(good, crc32Trailer(data), crc32Trailer(data)+"\r\n"+crc32Trailer(data), 1), ""},
		{"a wrong checksum, then the right one", unsignedHead(n), strings.Replace(good, crc32Trailer(data), crc32Trailer(data[1:])+"\r\n"+crc32Trailer(data), 1), ""},
		{"the right checksum, then a wrong one", unsignedHead(n), strings.Replace(good, crc32Trailer(data), crc32Trailer(data)+"\r\n"+crc32Trailer(data[1:]), 1), "BadDigest"},
		{"another trailer after the checksum", unsignedHead(n), strings.Replace(good, crc32Trailer(data), crc32Trailer(data)+"\r\nbonus: trailer", 1), trailer},
		{"the trailer after an empty line", unsignedHead(n), strings.Replace(good, crc32Trailer(data), "\r\n"+crc32Trailer(data), 1), trailer},
		{"a trailer without its CRLF", unsignedHead(n), strings.TrimSuffix(good, "\r\n\r\n"), incomplete},
		{"a trailer ended by LF alone", unsignedHead(n), strings.TrimSuffix(good, "\r\n\r\n") + "\n", incomplete},
		{"a trailer ended by CR alone", unsignedHead(n), strings.TrimSuffix(good, "\r\n\r\n") + "\r", incomplete},
		{"the announced trailer missing, without the empty line", unsignedHead(n), strings.TrimSuffix(withoutTrailer, "\r\n"), trailer},
		{"no trailer, without the empty line", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32\n", "", 1), strings.TrimSuffix(withoutTrailer, "\r\n"), ""},
		{"no trailer, the empty line cut short", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32\n", "", 1), strings.TrimSuffix(withoutTrailer, "\n"), incomplete},
		{"lines after the empty line", unsignedHead(n), good + "\r\n\r\nbonus: trailer\r\n", ""},
		{"a trailer line without a colon", unsignedHead(n), strings.Replace(good, crc32Trailer(data), "x-amz-checksum-crc32", 1), trailer},
		{"a trailer without the empty line", unsignedHead(n), strings.TrimSuffix(good, "\r\n"), ""},
		{"a signature trailer on unsigned chunks", unsignedHead(n), strings.Replace(good, "\r\n\r\n", "\r\nx-amz-trailer-signature:00\r\n\r\n", 1), trailer},

		{"a decoded length too large", unsignedHead(n + 1), good, incomplete},
		{"a decoded length too small", unsignedHead(n - 1), good, incomplete},
		{"a body that ends inside a chunk", unsignedHead(n), good[:5000], incomplete},
		{"a body that ends before the last chunk", unsignedHead(n), good[:strings.LastIndex(good, "0\r\n")], incomplete},
		{"bytes after the body", unsignedHead(n), good + "\xff\xde\xad", ""},
		{"a chunk below 8192 bytes that is not the last", unsignedHead(n), encodeChunks(data, 100, nil, crc32Trailer(data)), chunkSize},
		{"a missing CRLF after the data", unsignedHead(n), strings.Replace(good, "x\r\n2000", "x2000", 1), incomplete},
		{"two other bytes in place of the CRLF after the data", unsignedHead(n), strings.Replace(good, "x\r\n2000", "xXY2000", 1), incomplete},
		{"an LF without CR after the size", unsignedHead(n), strings.Replace(good, "2000\r\n", "2000\n", 1), incomplete},
		{"a negative size", unsignedHead(n), strings.Replace(good, "2000\r\n", "-2000\r\n", 1), incomplete},
		{"a size with a sign", unsignedHead(n), strings.Replace(good, "2000\r\n", "+2000\r\n", 1), incomplete},
		{"a size with spaces", unsignedHead(n), strings.Replace(good, "2000\r\n", " 2000\r\n", 1), incomplete},
		{"a size of 2^63", unsignedHead(n), strings.Replace(good, "2000\r\n", "8000000000000000\r\n", 1), incomplete},
		{"a size of 17 hex digits", unsignedHead(n), strings.Replace(good, "2000\r\n", "00000000000002000\r\n", 1), incomplete},
		{"a size past the decoded length", unsignedHead(n), strings.Replace(good, "2000\r\n", "7fffffffffffffff\r\n", 1), incomplete},
		{"a size that is not hex", unsignedHead(n), strings.Replace(good, "2000\r\n", "2g00\r\n", 1), incomplete},
		{"an empty size line", unsignedHead(n), "\r\n" + good, incomplete},
		{"a size line over MaxChunkLine", unsignedHead(n), strings.Repeat("0", sigv.MaxChunkLine) + good, incomplete},

		{"no decoded length", strings.Replace(unsignedHead(n), fmt.Sprintf("x-amz-decoded-content-length: %d\n", n), "", 1), good, "MissingContentLength"},
		{"a decoded length that is not a number", strings.Replace(unsignedHead(n), fmt.Sprintf("x-amz-decoded-content-length: %d", n), "x-amz-decoded-content-length: ten", 1), good, "MissingContentLength"},
		{"no aws-chunked encoding", strings.Replace(unsignedHead(n), "Content-Encoding: aws-chunked", "Content-Encoding: gzip", 1), good, trailer},
		{"a trailer that is not a checksum", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32", "x-amz-trailer: x-amz-meta-a", 1), good, "InvalidRequest"},
		{"a trailer of no algorithm", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32", "x-amz-trailer: x-amz-checksum-bad", 1), good, "InvalidRequest"},
		{"a trailer list ending in a comma", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32", "x-amz-trailer: x-amz-checksum-crc32,", 1), good, ""},
		{"two checksums announced", strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32", "x-amz-trailer: x-amz-checksum-crc32, x-amz-checksum-sha256", 1), good, "InvalidRequest"},
		{"a checksum header beside the trailer", unsignedHead(n, "x-amz-checksum-crc32: AAAAAA=="), good, "InvalidRequest"},
		{"an unknown streaming token", strings.Replace(unsignedHead(n), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD", 1), good, "InvalidArgument"},
		{"Signature Version 4A", strings.Replace(unsignedHead(n), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", 1), good, "NotImplemented"},
		{"a trailer announced for signed chunks without trailers", strings.Replace(unsignedHead(n), "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", 1), good, trailer},
		{"a trailer on a body that is not aws-chunked", "PUT /b/k HTTP/1.1\nHost: h\nx-amz-trailer: x-amz-checksum-crc32\n", "abc", trailer},
		{"a trailer of no algorithm on a body that is not aws-chunked", "PUT /b/k HTTP/1.1\nHost: h\nx-amz-trailer: x-amz-checksum-bad\n", "abc", "InvalidRequest"},
		{"a trailer and a checksum header on a body that is not aws-chunked", "PUT /b/k HTTP/1.1\nHost: h\nx-amz-trailer: x-amz-checksum-crc32\nx-amz-checksum-crc32: NSRBwg==\n", "abc", "InvalidRequest"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			body, err := chunkedRequest(t, nil, c.head, c.body)
			var got []byte
			if err == nil {
				got, err = io.ReadAll(body)
			}
			switch {
			case c.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.code == "" && !bytes.Equal(got, data[:len(got)]):
				t.Fatalf("decoded %d bytes that differ from the data", len(got))
			case c.code != "" && !isCode(err, c.code):
				t.Fatalf("error %v, want %s", err, c.code)
			}
		})
	}
}

// TestChunkSizeErrorDetails pins S3's details: the chunk after the small
// one, counting from 1, and the small one's size.
func TestChunkSizeErrorDetails(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("x"), 3*8191)
	body, err := chunkedRequest(t, nil, unsignedHead(len(data)), encodeChunks(data, 8191, nil, crc32Trailer(data)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(body)
	e, ok := errors.AsType[*s3err.Error](err)
	if !ok || e.StatusCode != http.StatusForbidden || e.Message != "Only the last chunk is allowed to have a size less than 8192 bytes" {
		t.Fatalf("ReadAll: %v", err)
	}
	if chunk, _ := e.Detail("Chunk"); chunk != "2" {
		t.Errorf("Chunk = %q, want 2", chunk)
	}
	if size, _ := e.Detail("BadChunkSize"); size != "8191" {
		t.Errorf("BadChunkSize = %q, want 8191", size)
	}
}

// TestSignedChunkedErrors sends signed bodies under the documented
// example's seed: rechunked they decode, and with a signature missing or
// out of order they are refused.
func TestSignedChunkedErrors(t *testing.T) {
	t.Parallel()
	v := awsVerifier(t, awsExampleTime)
	data := bytes.Repeat([]byte("a"), 66560)
	rechunked := encodeChunks(data, 8192, newExampleSigner(awsStreamingSeed))
	for _, c := range []struct{ name, body, code string }{
		{"the data in chunks of 8 KiB", rechunked, ""},
		{"a chunk without its signature", strings.Replace(rechunked, ";chunk-signature=", ";x=", 1), "IncompleteBody"},
		{"a chunk with two extensions", strings.Replace(rechunked, "\r\n", ";a=b\r\n", 1), "IncompleteBody"},
		{"chunks of the unsigned form", encodeChunks(data, 8192, nil), "IncompleteBody"},
		{"the signatures of another seed", encodeChunks(data, 8192, newExampleSigner(strings.Repeat("0", 64))), "SignatureDoesNotMatch"},
		{"trailers after signed chunks without trailers", strings.TrimSuffix(rechunked, "\r\n") + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n", "IncompleteBody"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			body, err := chunkedRequest(t, v, awsStreamingHead, c.body)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(body)
			switch {
			case c.code == "" && (err != nil || !bytes.Equal(got, data)):
				t.Fatalf("decoded %d bytes: %v", len(got), err)
			case c.code != "" && !isCode(err, c.code):
				t.Fatalf("error %v, want %s", err, c.code)
			}
		})
	}
}

// endless is a body that never ends: its byte, forever, counting what
// was read.
type endless struct {
	b    byte
	read int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	e.read += len(p)
	return len(p), nil
}

// TestChunkedBounded feeds lines that never end: the decoder stops with
// S3's error after reading a bounded number of bytes.
func TestChunkedBounded(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, prefix string
		b            byte
	}{
		{"an endless chunk-size line", "", 'f'},
		{"an endless chunk extension", "2000;chunk-signature=", 'a'},
		{"an endless trailer", "0\r\n", 'x'},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := sigvtest.ReadRequest(t, unsignedHead(0))
			src := &endless{b: c.b}
			r.Body = io.NopCloser(io.MultiReader(strings.NewReader(c.prefix), src))
			body, err := sigv.Signature{}.DecodeBody(r)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, body); !isCode(err, "IncompleteBody") {
				t.Errorf("error %v, want IncompleteBody", err)
			}
			if src.read > 2*sigv.MaxChunkLine+sigv.MaxTrailerSize {
				t.Errorf("read %d bytes of an endless line", src.read)
			}
		})
	}
}

// FuzzChunkedReader decodes arbitrary bodies: it never panics, never
// returns more bytes than the decoded length, and every failure is an S3
// error; a body framed by the test's encoder decodes to its data.
func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte("hello"), uint16(1), []byte("0\r\n\r\n"))
	f.Add(bytes.Repeat([]byte("x"), 9000), uint16(8192), []byte("2000\r\nxx\r\n"))
	f.Fuzz(func(t *testing.T, data []byte, size uint16, raw []byte) {
		decode := func(n int, body string) ([]byte, error) {
			r := sigvtest.ReadRequest(t, strings.Replace(unsignedHead(n), "x-amz-trailer: x-amz-checksum-crc32\n", "", 1))
			r.Body = io.NopCloser(strings.NewReader(body))
			c, err := sigv.Signature{}.DecodeBody(r)
			if err != nil {
				t.Fatal(err)
			}
			return io.ReadAll(io.LimitReader(c, int64(n)+1))
		}
		got, err := decode(len(raw), string(raw))
		if len(got) > len(raw) {
			t.Fatalf("decoded %d bytes of a body declared %d", len(got), len(raw))
		}
		if _, ok := errors.AsType[*s3err.Error](err); err != nil && !ok {
			t.Fatalf("a failure that is not S3's: %v", err)
		}
		chunk := max(int(size), sigv.MinChunkSize)
		got, err = decode(len(data), encodeChunks(data, chunk, nil))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("a well-framed body of %d bytes in chunks of %d: %v", len(data), chunk, err)
		}
	})
}
