package s3proxy_test

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/s3cors/s3cors/s3proxy"
)

// A proxy in front of a store without per-bucket CORS (gofakes3 here,
// which answers everything with Access-Control-Allow-Origin: *): the
// bucket's own configuration decides, as on S3.
func Example() {
	store := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer store.Close()
	p, err := s3proxy.New(s3proxy.Options{Upstream: store.URL})
	if err != nil {
		panic(err)
	}
	defer p.Close()
	front := httptest.NewServer(p)
	defer front.Close()

	call := func(method, path, body string, header ...string) *http.Response {
		req, _ := http.NewRequest(method, front.URL+path, strings.NewReader(body))
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	call("PUT", "/photos", "")
	config := `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin>` +
		`<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`
	// S3 refuses a PutBucketCors without an integrity header: the
	// body's MD5 here, in base64.
	sum := md5.Sum([]byte(config))
	fmt.Println("PutBucketCors:", call("PUT", "/photos?cors", config, "Content-MD5", base64.StdEncoding.EncodeToString(sum[:])).Status)

	allowed := call("OPTIONS", "/photos/cat.jpg", "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET")
	fmt.Println("preflight from app.example.com:", allowed.Status, allowed.Header.Get("Access-Control-Allow-Origin"))
	refused := call("OPTIONS", "/photos/cat.jpg", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	fmt.Println("preflight from evil.example:", refused.Status)
	get := call("GET", "/photos/cat.jpg", "", "Origin", "https://evil.example")
	fmt.Printf("GET from evil.example: %s, Access-Control-Allow-Origin %q\n", get.Status, get.Header.Get("Access-Control-Allow-Origin"))
	// Output:
	// PutBucketCors: 200 OK
	// preflight from app.example.com: 200 OK https://app.example.com
	// preflight from evil.example: 403 Forbidden
	// GET from evil.example: 404 Not Found, Access-Control-Allow-Origin ""
}
