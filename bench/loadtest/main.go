package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.endpoint, "endpoint", "", "drive the running endpoint at `URL` (s3cors serve without keys) instead of one in this process")
	flag.StringVar(&cfg.dataDir, "data", "", "keep the in-process endpoint's data in `DIR` (default: a temporary directory, removed at the end)")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "send requests for this long")
	flag.IntVar(&cfg.clients, "clients", 64, "concurrent keep-alive clients")
	flag.IntVar(&cfg.objects, "objects", 64, "objects the GETs read")
	mix := flag.String("mix", "35,10,35,15,5", "how many in 100 requests are allowed preflights, refused preflights, GETs, PutObjects and PutBucketCors")
	flag.Parse()
	var err error
	if cfg.mix, err = parseMix(*mix); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest: -mix:", err)
		os.Exit(2)
	}
	if flag.NArg() > 0 || cfg.clients < 1 || cfg.objects < 1 || cfg.duration <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(2)
	}
	rep.print(os.Stdout)
	if rep.totalErrors() > 0 || rep.lost > 0 {
		os.Exit(1)
	}
}
