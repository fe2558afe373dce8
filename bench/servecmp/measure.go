package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/s3cors/s3cors/bench/internal/probe"
)

// results are the requests per second measured, and the servers' CPU
// time per request, by request, round and server (in the order of the
// servers).
type results struct {
	started, ended string // uptime before and after
	rates          map[string][][]float64
	cpu            map[string][][]time.Duration // -1 where unknown
}

// measure drives each server with each request for cfg.duration, one at a
// time, for cfg.rounds rounds; the servers' order turns every round, so
// that none always runs first or last.
func measure(ctx context.Context, cfg config, servers []*server, dir string) (*results, error) {
	res := &results{started: uptime(), rates: map[string][][]float64{}, cpu: map[string][][]time.Duration{}}
	for round := range cfg.rounds {
		for _, r := range cfg.requests {
			rates := make([]float64, len(servers))
			cpu := make([]time.Duration, len(servers))
			for i := range cpu {
				cpu[i] = -1
			}
			order := make([]int, len(servers))
			for i := range order {
				order[i] = (i + round) % len(servers)
			}
			if round%2 == 1 {
				slices.Reverse(order)
			}
			for _, i := range order {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				before := cpuTime(servers[i])
				rate, err := drive(ctx, cfg, servers[i].url, r, dir)
				if err != nil {
					return nil, fmt.Errorf("%s, %s: %w", servers[i].name, r.name, err)
				}
				rates[i] = rate
				if after := cpuTime(servers[i]); before >= 0 && after >= 0 && rate > 0 {
					used := after - before
					cpu[i] = time.Duration(float64(used) / (rate * cfg.duration.Seconds()))
				}
			}
			res.rates[r.name] = append(res.rates[r.name], rates)
			res.cpu[r.name] = append(res.cpu[r.name], cpu)
		}
	}
	res.ended = uptime()
	return res, nil
}

// drive sends r to the server at base for cfg.duration from
// cfg.connections keep-alive connections and returns the requests
// answered per second; a request answered other than 200 is an error.
func drive(ctx context.Context, cfg config, base string, r request, dir string) (float64, error) {
	if cfg.load == "go" {
		return goLoad(ctx, base, r, cfg.connections, cfg.duration)
	}
	return wrk(ctx, base, r, cfg.connections, cfg.duration, dir)
}

// wrk runs wrk -t1 with a script that sends r.
func wrk(ctx context.Context, base string, r request, connections int, d time.Duration, dir string) (float64, error) {
	var script strings.Builder
	fmt.Fprintf(&script, "wrk.method = %q\n", r.method)
	for _, h := range r.header {
		fmt.Fprintf(&script, "wrk.headers[%q] = %q\n", h[0], h[1])
	}
	file := filepath.Join(dir, r.name+".lua")
	if err := os.WriteFile(file, []byte(script.String()), 0o600); err != nil {
		return 0, err
	}
	out, err := exec.CommandContext(ctx, "wrk", "-t1", "-c"+strconv.Itoa(connections), "-d"+d.String(), "-s", file, base+r.path).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	report, err := probe.ParseWrk(string(out))
	if err != nil {
		return 0, fmt.Errorf("%w\n%s", err, out)
	}
	return report.Rate, nil
}

// cpuTime returns the CPU time the server's process has used so far, user
// and system (probe.CPUTime); -1 where there is none.
func cpuTime(s *server) time.Duration {
	d, err := probe.CPUTime(s.cmd.Process.Pid)
	if err != nil {
		return -1
	}
	return d
}

// uptime returns what uptime(1) prints: the machine's load.
func uptime() string {
	out, err := exec.Command("uptime").Output()
	if err != nil {
		return "uptime: " + err.Error()
	}
	return strings.TrimSpace(string(out))
}

// median returns the median of v; -1 for none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return -1
	}
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// print writes the table: each round's requests per second by server and
// the ratios to the bare handler, then their medians.
func (res *results) print(w io.Writer, cfg config, servers []*server) {
	load := fmt.Sprintf("wrk -t1 -c%d -d%v", cfg.connections, cfg.duration)
	if cfg.load == "go" {
		load = fmt.Sprintf("a Go load generator, %d connections, %v", cfg.connections, cfg.duration)
	}
	where := "on disk"
	if cfg.inMemory {
		where = "in memory"
	}
	fmt.Fprintf(w, "s3cors serve (%s, request log to a file) against a bare net/http handler, on loopback\n", where)
	fmt.Fprintf(w, "load: %s per server and request, %d rounds, the servers in turn\n", load, cfg.rounds)
	fmt.Fprintf(w, "before: %s\n\n", res.started)
	header := []string{"request", "round"}
	for _, s := range servers {
		header = append(header, s.name+" req/s")
	}
	for _, s := range servers[1:] {
		header = append(header, s.name+"/bare")
	}
	for _, s := range servers {
		header = append(header, s.name+" CPU/req")
	}
	row := func(cells ...string) {
		fmt.Fprintf(w, "%-10s %-7s", cells[0], cells[1])
		for _, c := range cells[2:] {
			fmt.Fprintf(w, " %15s", c)
		}
		fmt.Fprintln(w)
	}
	row(header...)
	for _, r := range cfg.requests {
		ratios := make([][]float64, len(servers))
		for round, rates := range res.rates[r.name] {
			cells := []string{r.name, strconv.Itoa(round + 1)}
			for _, rate := range rates {
				cells = append(cells, formatRate(rate))
			}
			for i := range servers[1:] {
				ratio := rates[i+1] / rates[0]
				ratios[i+1] = append(ratios[i+1], ratio)
				cells = append(cells, fmt.Sprintf("%.2f", ratio))
			}
			for _, c := range res.cpu[r.name][round] {
				cells = append(cells, formatCPU(c))
			}
			row(cells...)
		}
		cells := []string{r.name, "median"}
		for i := range servers {
			var col []float64
			for _, rates := range res.rates[r.name] {
				col = append(col, rates[i])
			}
			cells = append(cells, formatRate(median(col)))
		}
		for _, ratio := range ratios[1:] {
			cells = append(cells, fmt.Sprintf("%.2f", median(ratio)))
		}
		for i := range servers {
			var col []float64
			for _, cpu := range res.cpu[r.name] {
				if cpu[i] >= 0 {
					col = append(col, float64(cpu[i]))
				}
			}
			cells = append(cells, formatCPU(time.Duration(median(col))))
		}
		row(cells...)
	}
	fmt.Fprintf(w, "\nCPU/req: the server process's CPU time (user and system) per request answered;\n")
	fmt.Fprintf(w, "less sensitive to the machine's other load than req/s, which the load generator shares.\n")
	fmt.Fprintf(w, "after:  %s\n", res.ended)
	for _, s := range servers[1:] {
		fmt.Fprintf(w, "%s's request log: %s lines\n", s.name, formatRate(float64(logLines(s.log))))
		if n := s.streamed.Load(); n > 0 {
			fmt.Fprintf(w, "%s's inspector streamed %s bytes of events\n", s.name, formatRate(float64(n)))
		}
	}
}
