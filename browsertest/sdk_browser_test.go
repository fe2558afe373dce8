package browsertest

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/s3server"
)

// bundle builds js/browser.js and the SDK it imports into one script for
// the browser, with esbuild's Go API.
func bundle(t *testing.T) []byte {
	t.Helper()
	dir, err := filepath.Abs(jsDir)
	if err != nil {
		t.Fatal(err)
	}
	result := api.Build(api.BuildOptions{
		EntryPoints:   []string{"browser.js"},
		AbsWorkingDir: dir,
		Bundle:        true,
		Format:        api.FormatIIFE,
		Platform:      api.PlatformBrowser,
		Target:        api.ES2022,
		Define:        map[string]string{"global": "globalThis"},
		LogLevel:      api.LogLevelSilent,
	})
	if len(result.Errors) > 0 {
		msgs := api.FormatMessages(result.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		t.Fatalf("esbuild: %s", strings.Join(msgs, "\n"))
	}
	if len(result.OutputFiles) != 1 {
		t.Fatalf("esbuild wrote %d files", len(result.OutputFiles))
	}
	return result.OutputFiles[0].Contents
}

// sdkRequestLog records every request that reaches an endpoint, as
// "METHOD /path", and the headers of uploads.
type sdkRequestLog struct {
	headerLog
	mu   sync.Mutex
	seen []string
}

func (l *sdkRequestLog) wrap(h http.Handler) http.Handler {
	inner := l.headerLog.wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.seen = append(l.seen, r.Method+" "+r.URL.Path)
		l.mu.Unlock()
		inner.ServeHTTP(w, r)
	})
}

func (l *sdkRequestLog) requests() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.seen)
}

// sdkPage serves the page that runs the scenarios, the bundle, the
// landing page of form redirects, and receives the results.
type sdkPage struct {
	bundle  []byte
	results chan map[string]json.RawMessage

	mu     sync.Mutex
	config any // set once the endpoints, which need the page's origin, run
}

func (p *sdkPage) setConfig(config any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.config = config
}

var sdkPageHTML = template.Must(template.New("page").Parse(`<!doctype html>
<title>s3cors JavaScript SDK test</title>
<pre id=out>running</pre>
<script src="/bundle.js"></script>
<script>
(async () => {
  let results;
  try {
    results = await runScenarios({{.}});
  } catch (e) {
    results = {page: {ok: false, error: String(e)}};
  }
  document.getElementById("out").textContent = JSON.stringify(results);
  await fetch("/result", {method: "POST", body: JSON.stringify(results)});
})();
</script>
`))

func (p *sdkPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/":
		p.mu.Lock()
		config := p.config
		p.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		sdkPageHTML.Execute(w, config)
	case "/bundle.js":
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(p.bundle)
	case "/landing.html":
		// Where success_action_redirect brings the form's iframe back.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><script>parent.postMessage(location.search, location.origin)</script>`)
	case "/result":
		takeResult(w, r, p.results)
	default:
		http.NotFound(w, r)
	}
}

// sdkTarget is one endpoint the page uploads to.
type sdkTarget struct {
	Name         string `json:"name"`
	Endpoint     string `json:"endpoint"`
	Bucket       string `json:"bucket"`
	BucketNoETag string `json:"bucketNoETag"`
	// BucketNoChecksum exposes ETag but not x-amz-checksum-crc32.
	BucketNoChecksum string `json:"bucketNoChecksum"`
	AccessKey        string `json:"accessKey"`
	SecretKey        string `json:"secretKey"`

	log *sdkRequestLog
}

// TestBrowserSDKUploads runs the AWS SDK for JavaScript v3, bundled by
// esbuild, in headless Chromium on a page of another origin than the
// endpoint, against serve with and without keys: createPresignedPost's
// form sent by fetch with FormData (a simple request: no preflight) and
// its 201 answer read through CORS, the same form submitted as a plain
// HTML form whose success_action_redirect comes back to the page's
// origin, and lib-storage's multipart Upload of 12 MiB in parts of 5 MiB,
// once with ETag exposed and once without, where it fails as it fails on
// S3.
func TestBrowserSDKUploads(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	nodeJS(t) // the SDK comes from browsertest/js/node_modules
	page := &sdkPage{bundle: bundle(t), results: make(chan map[string]json.RawMessage, 1)}
	pageSrv := newServer(t, page)
	pageOrigin := "http://" + pageSrv.Listener.Addr().String()

	allMethods := []string{"GET", "PUT", "POST", "DELETE", "HEAD"}
	var targets []*sdkTarget
	for _, mode := range []struct{ name, ak, sk string }{
		{"anonymous", "", ""},
		{"signed", "AKIDBROWSER", "browser/secret"},
	} {
		srv, err := s3server.New(s3server.Options{InMemory: true, AccessKey: mode.ak, SecretKey: mode.sk})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		// lib-storage reads each part's ETag and, as it creates uploads
		// with CRC32, each part's x-amz-checksum-crc32: a bucket for
		// browser uploads exposes both.
		for name, rule := range map[string]corsrule.Rule{
			"browser": {AllowedOrigins: []string{pageOrigin}, AllowedMethods: allMethods, AllowedHeaders: []string{"*"},
				ExposeHeaders: []string{"ETag", "Location", "x-amz-checksum-crc32"}},
			"browser-no-etag":     {AllowedOrigins: []string{pageOrigin}, AllowedMethods: allMethods, AllowedHeaders: []string{"*"}},
			"browser-no-checksum": {AllowedOrigins: []string{pageOrigin}, AllowedMethods: allMethods, AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}},
		} {
			if err := srv.CreateBucket(name, "private"); err != nil {
				t.Fatal(err)
			}
			if err := srv.PutBucketCors(name, []corsrule.Rule{rule}); err != nil {
				t.Fatal(err)
			}
		}
		log := &sdkRequestLog{}
		endpoint := newServer(t, log.wrap(srv))
		_, port, _ := net.SplitHostPort(endpoint.Listener.Addr().String())
		ak, sk := mode.ak, mode.sk
		if ak == "" {
			ak, sk = "ANYKEY", "any secret" // anonymous serve checks none
		}
		targets = append(targets, &sdkTarget{Name: mode.name, Endpoint: "http://localhost:" + port, Bucket: "browser",
			BucketNoETag: "browser-no-etag", BucketNoChecksum: "browser-no-checksum", AccessKey: ak, SecretKey: sk, log: log})
	}
	page.setConfig(map[string]any{"targets": targets})

	got := runSDKPage(t, browser, pageOrigin+"/", page.results)
	for _, target := range targets {
		t.Run(target.Name, func(t *testing.T) {
			checkPostFetch(t, target, got[target.Name+"/post-fetch"])
			checkPostForm(t, target, got[target.Name+"/post-form"])
			checkMultipart(t, target, got[target.Name+"/multipart"], got[target.Name+"/multipart-no-etag"], got[target.Name+"/multipart-no-checksum"])
			// The forms went as simple requests: no preflight for them.
			for _, r := range target.log.requests() {
				if r == "OPTIONS /browser" {
					t.Errorf("a preflight reached the endpoint for a form: %q", target.log.requests())
				}
			}
		})
	}
}

// sdkResult is what the page reports for a scenario.
type sdkResult struct {
	OK        bool   `json:"ok"`
	Error     string `json:"error"`
	Status    int    `json:"status"`
	ETag      string `json:"etag"`
	Location  string `json:"location"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	Query     string `json:"query"`
	GetETag   string `json:"getETag"`
	GetSHA256 string `json:"getSHA256"`
	GetLength int    `json:"getLength"`
}

func decodeResult(t *testing.T, raw json.RawMessage) sdkResult {
	t.Helper()
	if raw == nil {
		t.Fatal("the page reported nothing for this scenario")
	}
	var r sdkResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// checkReadBack checks GetObject's view of an object the page uploaded.
func checkReadBack(t *testing.T, r sdkResult, data []byte, etag string) {
	t.Helper()
	if r.GetETag != etag || r.GetSHA256 != hexSHA256(data) || r.GetLength != len(data) {
		t.Errorf("GetObject: ETag %s, %d bytes of SHA-256 %s; want %s, %d, %s", r.GetETag, r.GetLength, r.GetSHA256, etag, len(data), hexSHA256(data))
	}
}

func checkPostFetch(t *testing.T, target *sdkTarget, raw json.RawMessage) {
	t.Run("post-fetch", func(t *testing.T) {
		r := decodeResult(t, raw)
		if !r.OK {
			t.Fatalf("the page failed: %s", r.Error)
		}
		data := testData(3000)
		location := target.Endpoint + "/browser/fetch%2Fphoto.bin"
		body := `<?xml version="1.0" encoding="UTF-8"?>` + "\n<PostResponse><Location>" + location +
			"</Location><Bucket>browser</Bucket><Key>fetch/photo.bin</Key><ETag>" + quotedMD5(data) + "</ETag></PostResponse>"
		if r.Status != 201 || r.Body != body {
			t.Errorf("the page saw %d %q, want 201 %q", r.Status, r.Body, body)
		}
		if r.ETag != quotedMD5(data) || r.Location != location {
			t.Errorf("the page read ETag %q, Location %q; want %q, %q", r.ETag, r.Location, quotedMD5(data), location)
		}
		if r.URL != target.Endpoint+"/browser" {
			t.Errorf("createPresignedPost's URL %q", r.URL)
		}
		checkReadBack(t, r, data, quotedMD5(data))
		h := target.log.get("POST", "/browser")
		if h == nil || !strings.HasPrefix(h.Get("Content-Type"), "multipart/form-data; boundary=") || h.Get("Origin") == "" {
			t.Errorf("the form that reached the endpoint: %v", h)
		}
	})
}

func checkPostForm(t *testing.T, target *sdkTarget, raw json.RawMessage) {
	t.Run("post-form", func(t *testing.T) {
		r := decodeResult(t, raw)
		if !r.OK {
			t.Fatalf("the page failed: %s", r.Error)
		}
		data := testData(4000)
		if want := "?bucket=browser&key=form%2Fform.bin&etag=%22" + quotedMD5(data)[1:33] + "%22"; r.Query != want {
			t.Errorf("the redirect came back with %q, want %q", r.Query, want)
		}
		checkReadBack(t, r, data, quotedMD5(data))
	})
}

// multipartETag is S3's ETag of an object uploaded in parts of partSize:
// the MD5 of the parts' MD5s, and their count.
func multipartETag(data []byte, partSize int) string {
	var sums []byte
	n := 0
	for len(data) > 0 {
		part := data[:min(partSize, len(data))]
		sum := md5.Sum(part)
		sums = append(sums, sum[:]...)
		data = data[len(part):]
		n++
	}
	sum := md5.Sum(sums)
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(sum[:]), n)
}

var missingETag = regexp.MustCompile(`^Error: Part [0-9]+ is missing ETag in UploadPart response\. Missing Bucket CORS configuration for ETag header\?$`)

// missingChecksum is S3's answer to a CompleteMultipartUpload without the
// parts' checksums of an upload created with CRC32: lib-storage's, when
// the page could not read x-amz-checksum-crc32.
const missingChecksum = "InvalidRequest: The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request."

func checkMultipart(t *testing.T, target *sdkTarget, raw, rawNoETag, rawNoChecksum json.RawMessage) {
	t.Run("multipart", func(t *testing.T) {
		r := decodeResult(t, raw)
		if !r.OK {
			t.Fatalf("the page failed: %s", r.Error)
		}
		data := testData(12 << 20)
		etag := multipartETag(data, 5<<20)
		if r.ETag != etag {
			t.Errorf("Upload's ETag %q, want %q", r.ETag, etag)
		}
		checkReadBack(t, r, data, etag)
	})
	t.Run("multipart-no-etag", func(t *testing.T) {
		r := decodeResult(t, rawNoETag)
		if r.OK || !missingETag.MatchString(r.Error) {
			t.Errorf("without ETag exposed the Upload gave %+v, want lib-storage's missing-ETag error", r)
		}
	})
	t.Run("multipart-no-checksum", func(t *testing.T) {
		r := decodeResult(t, rawNoChecksum)
		if r.OK || r.Error != missingChecksum {
			t.Errorf("without x-amz-checksum-crc32 exposed the Upload gave %+v, want %q", r, missingChecksum)
		}
	})
}

// runSDKPage opens url in headless Chromium and waits for the page's
// results.
func runSDKPage(t *testing.T, browser, url string, results <-chan map[string]json.RawMessage) map[string]json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stderr := startChromium(t, ctx, browser, url)
	select {
	case res := <-results:
		return res
	case <-ctx.Done():
		t.Fatalf("no results from the browser within the timeout; its stderr:\n%s", tail(stderr.String(), 2000))
	}
	return nil
}
