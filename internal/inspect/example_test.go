package inspect_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/s3cors/s3cors/bucket"
	"github.com/s3cors/s3cors/corsrule"
	"github.com/s3cors/s3cors/internal/inspect"
)

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// A server other than s3server, such as the proxy, feeds the inspector
// the same way: it serves the pages on its admin address and, once it
// has answered a request with an Origin (or a preflight), tells the
// inspector what CORS saw, only while someone watches. Options.Buckets
// gives the bucket pages their configurations (here there are none).
func Example() {
	cfg, _ := bucket.New([]corsrule.Rule{{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"GET", "PUT"}}})
	target := func(*http.Request) (bucket.Target, bool) { return bucket.Target{Config: cfg, Object: true}, true }
	ins, _ := inspect.New(inspect.Options{})

	admin := http.NewServeMux()
	admin.Handle(inspect.Prefix, ins)

	cors := (&bucket.Middleware{Resolve: target}).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "the object, from the store behind the proxy")
	}))
	proxy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		cors.ServeHTTP(sw, r)
		if ins.Watching() && (len(r.Header["Origin"]) > 0 || r.Method == http.MethodOptions) {
			t, _ := target(r)
			ins.Observe(r, inspect.Exchange{Bucket: "photos", Target: t, Status: sw.status, Header: w.Header()})
		}
	})

	// A page opens the inspector, then the app sends a preflight.
	admin.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/_s3cors/", nil))
	r := httptest.NewRequest("OPTIONS", "/photos/cat.jpg", nil)
	r.Header.Set("Origin", "https://app.example")
	r.Header.Set("Access-Control-Request-Method", "DELETE")
	proxy.ServeHTTP(httptest.NewRecorder(), r)

	w := httptest.NewRecorder()
	admin.ServeHTTP(w, httptest.NewRequest("GET", "/_s3cors/api/requests", nil))
	var got struct{ Requests []inspect.DetailJSON }
	json.Unmarshal(w.Body.Bytes(), &got)
	for _, e := range got.Requests {
		fmt.Println(e.Method, e.Path, e.Status, e.Verdict)
		fmt.Println(e.Result)
		fmt.Println(e.Trace[0].Reason)
	}
	// Output:
	// OPTIONS /photos/cat.jpg 403 refused
	// no rule admits the origin, the method and every requested header, so S3 answers 403 AccessForbidden.
	// AllowedMethods does not hold "DELETE"
}
