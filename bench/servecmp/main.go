// Command servecmp measures the built "s3cors serve" binary against a
// bare net/http handler that answers the same requests with the same
// headers and body from constants, the way users run the endpoint: each
// server a process of its own on loopback, the endpoint on disk with its
// request log on (to a file), as shipped. A load generator (wrk -t1 -c32
// by default) drives one server at a time, in turn, for several rounds in
// one invocation, so that the machine's noise falls on both alike; the
// table gives each round's requests per second and the endpoint's ratio
// to the bare handler, then the median ratio.
//
// From bench/:
//
//	go run ./servecmp                       # 5 rounds of 5 s per server and request
//	go run ./servecmp -baseline /tmp/main   # also s3cors built from another tree, in the same rounds
//	go run ./servecmp -load go              # a Go load generator instead of wrk
//	go run ./servecmp -watched              # also s3cors with its inspector watched
//
// Before measuring, it checks that the bare handler's answers are the
// endpoint's, header for header (the request IDs and Date aside) and byte
// for byte; it exits with status 1 if they differ or a request fails.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	if file := os.Getenv(bareEnv); file != "" {
		// This process is the bare server servecmp started.
		if err := serveBare(file, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "servecmp: bare server:", err)
			os.Exit(2)
		}
		return
	}
	var cfg config
	flag.IntVar(&cfg.rounds, "rounds", 5, "measure each server this many `times`, in turn")
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "drive each server for this long in each round")
	flag.IntVar(&cfg.connections, "connections", 32, "keep-alive connections of the load generator")
	flag.StringVar(&cfg.load, "load", "wrk", "load generator: wrk (-t1) or go (in this process)")
	flag.StringVar(&cfg.baseline, "baseline", "", "also measure s3cors built from the module at `DIR` (say, an export of main)")
	flag.BoolVar(&cfg.inMemory, "in-memory", false, "run s3cors serve --in-memory instead of on disk")
	flag.BoolVar(&cfg.watched, "watched", false, "also measure s3cors with a live stream of its inspector open (\"watched\")")
	requests := flag.String("requests", "preflight,GET", "the requests to measure, of "+strings.Join(requestNames(), ", "))
	flag.Parse()
	var err error
	if cfg.requests, err = parseRequests(*requests); err != nil {
		fmt.Fprintln(os.Stderr, "servecmp: -requests:", err)
		os.Exit(2)
	}
	if flag.NArg() > 0 || cfg.rounds < 1 || cfg.duration <= 0 || cfg.connections < 1 || (cfg.load != "wrk" && cfg.load != "go") {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "servecmp:", err)
		os.Exit(1)
	}
}
