package s3server_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/s3cors/s3cors/s3server"
)

// TestCorsSwapUnderLoad replaces a bucket's configuration over
// HTTP, on disk, again and again while thousands of preflights from
// many clients are in flight, and checks that every answer comes whole
// from one configuration: config A allows only https://a.example and
// exposes x-a with Max-Age 100; config B also allows https://b.example
// and exposes x-b with Max-Age 200. Run it with -race.
func TestCorsSwapUnderLoad(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, s3server.Options{DataDir: t.TempDir()})
	mustStatus(t, ts.do("PUT", "/swap", nil), 200)
	a := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-a</ExposeHeader><MaxAgeSeconds>100</MaxAgeSeconds></CORSRule>`)
	b := corsDoc(`<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedOrigin>https://b.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><ExposeHeader>x-b</ExposeHeader><MaxAgeSeconds>200</MaxAgeSeconds></CORSRule>`)
	mustStatus(t, ts.do("PUT", "/swap?cors", a, "Content-MD5", contentMD5(a)), 200)

	const clients, perClient = 48, 64 // 3072 preflights
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	var swaps atomic.Int64
	stop := make(chan struct{})
	var swapper sync.WaitGroup
	swapper.Go(func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			doc := a
			if i%2 == 1 {
				doc = b
			}
			req := ts.request("PUT", "/swap?cors", doc, "Content-MD5", contentMD5(doc))
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("PutBucketCors: %s", resp.Status)
				return
			}
			swaps.Add(1)
		}
	})
	var fromA, fromB atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range perClient {
				origin, method := "https://a.example", "GET"
				if (c+i)%2 == 1 {
					origin, method = "https://b.example", "PUT"
				}
				req := ts.request("OPTIONS", "/swap/k"+strconv.Itoa(i), nil, "Origin", origin, "Access-Control-Request-Method", method)
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				h := resp.Header
				got := [4]string{resp.Status, h.Get("Access-Control-Allow-Methods"), h.Get("Access-Control-Expose-Headers"), h.Get("Access-Control-Max-Age")}
				switch {
				case got == [4]string{"200 OK", "GET", "x-a", "100"} && origin == "https://a.example":
					fromA.Add(1)
				case got == [4]string{"200 OK", "GET, PUT", "x-b", "200"}:
					fromB.Add(1)
				case got == [4]string{"403 Forbidden", "", "", ""} && origin == "https://b.example" && bytes.Contains(body, []byte("<Code>AccessForbidden</Code>")):
					fromA.Add(1)
				default:
					t.Errorf("preflight from %s for %s: an answer from neither configuration: %q %s", origin, method, got, body)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	swapper.Wait()
	t.Logf("%d preflights from %d clients while the configuration was replaced %d times: %d answered from A, %d from B",
		clients*perClient, clients, swaps.Load(), fromA.Load(), fromB.Load())
	if fromA.Load() == 0 || fromB.Load() == 0 || swaps.Load() < 2 {
		t.Errorf("the swaps did not overlap the preflights: %d swaps, %d from A, %d from B", swaps.Load(), fromA.Load(), fromB.Load())
	}
}
