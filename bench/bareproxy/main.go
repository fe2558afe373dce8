// Command bareproxy is the floor under a Go reverse proxy made of
// net/http/httputil.ReverseProxy and http.Transport, for the proxy
// benchmarks: one in front of one upstream, with the Host header kept,
// nothing else done. "s3cors proxy" sends GETs and HEADs without
// http.Transport's goroutines, and so costs less than it for them.
//
//	bareproxy -upstream http://127.0.0.1:9000 -addr 127.0.0.1:0
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
)

func main() {
	upstream := flag.String("upstream", "", "the upstream `URL`")
	addr := flag.String("addr", "127.0.0.1:0", "listen on `HOST:PORT`")
	flag.Parse()
	target, err := url.Parse(*upstream)
	if err != nil || target.Host == "" {
		log.Fatalf("bareproxy: -upstream %q is not a URL", *upstream)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		Transport: &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true},
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("bareproxy: proxying on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, rp))
}
