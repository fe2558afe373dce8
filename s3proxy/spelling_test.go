package s3proxy_test

import (
	"bufio"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/s3cors/s3cors/s3proxy"
	"github.com/s3cors/s3cors/s3server"
	"github.com/s3cors/s3cors/s3server/s3servertest"
)

// TestHeaderSpelling holds the names of the headers the proxy passes on
// to S3's spelling, byte for byte on the wire: "ETag", and x-amz-* in
// lower case, though Go's client reads the store's answer into canonical
// form (Etag, X-Amz-Request-Id). The store is s3cors serve, which sends
// S3's spelling; the request is read raw from the proxy's socket.
func TestHeaderSpelling(t *testing.T) {
	t.Parallel()
	upstream, store := s3servertest.NewServer(t, s3server.Options{})
	proxy, _ := startProxy(t, s3proxy.Options{Upstream: upstream.URL})

	if err := store.CreateBucket("photos", ""); err != nil {
		t.Fatal(err)
	}
	doc := []byte(`<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>`)
	if res := do(t, "PUT", proxy.URL+"/photos?cors", doc, "Content-MD5", contentMD5(doc)); res.StatusCode != http.StatusOK {
		t.Fatalf("PutBucketCors through the proxy: %d %s", res.StatusCode, res.body)
	}
	put := do(t, "PUT", proxy.URL+"/photos/cat.jpg", []byte("meow"),
		"x-amz-meta-Color", "grey", "x-amz-checksum-crc32", "ihBq/g==" /* CRC32 of "meow" */)
	if put.StatusCode != http.StatusOK {
		t.Fatalf("PutObject through the proxy: %d %s", put.StatusCode, put.body)
	}

	got := rawHeaderNames(t, proxy.Listener.Addr().String(),
		"GET /photos/cat.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example\r\nx-amz-checksum-mode: ENABLED\r\n\r\n")
	want := []string{
		"Accept-Ranges", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
		"Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Content-Length", "Content-Type",
		"Date", "ETag", "Last-Modified", "Server", "Vary", "x-amz-checksum-crc32", "x-amz-checksum-type",
		"x-amz-id-2", "x-amz-meta-color", "x-amz-request-id", "x-amz-server-side-encryption",
	}
	if !slices.Equal(got, want) {
		t.Errorf("header names on the wire:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// rawHeaderNames sends request on a new connection to addr and returns
// the names of the answer's header fields as sent, sorted.
func rawHeaderNames(t *testing.T, addr, request string) []string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	r := textproto.NewReader(bufio.NewReader(conn))
	status, err := r.ReadLine()
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 200 ") {
		t.Fatalf("status line %q, %v", status, err)
	}
	var names []string
	for {
		line, err := r.ReadLine()
		if err != nil {
			t.Fatal(err)
		}
		if line == "" {
			break
		}
		name, _, _ := strings.Cut(line, ":")
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
