package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the bare server, as servecmp itself
// is: run starts os.Executable with bareEnv set.
func TestMain(m *testing.M) {
	if file := os.Getenv(bareEnv); file != "" {
		if err := serveBare(file, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bare server:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestServeCompareBrief runs the comparison for one short round with the
// Go load generator (CI has no wrk): the servers built and started (the
// endpoint twice, once with its inspector watched), the bare handler's
// answers checked against the endpoint's, each request measured on each,
// the endpoint's request log written and the inspector's events streamed.
func TestServeCompareBrief(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs s3cors serve")
	}
	var out strings.Builder
	cfg := config{rounds: 1, duration: 300 * time.Millisecond, connections: 4, load: "go", requests: requests, watched: true}
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, r := range requests {
		row := regexp.MustCompile(`(?m)^` + r.name + `\s+median\s+([0-9,]+)\s+([0-9,]+)\s+[0-9,]+\s+([0-9.]+)\s+[0-9.]+\s+([0-9.]+)µs\s+([0-9.]+)µs\s+[0-9.]+µs$`).FindStringSubmatch(out.String())
		if row == nil {
			t.Fatalf("no median row for %s, with the CPU time per request of each server", r.name)
		}
		bare, s3cors := rate(t, row[1]), rate(t, row[2])
		if bare <= 0 || s3cors <= 0 {
			t.Errorf("%s: %v requests/s bare, %v s3cors", r.name, bare, s3cors)
		}
		if cpu := rate(t, row[5]); cpu <= 0 {
			t.Errorf("%s: s3cors used %vµs of CPU per request", r.name, cpu)
		}
	}
	m := regexp.MustCompile(`s3cors's request log: ([0-9,]+) lines`).FindStringSubmatch(out.String())
	if m == nil || rate(t, m[1]) < 100 {
		t.Errorf("the endpoint logged too little: %q", m)
	}
	if m := regexp.MustCompile(`watched's inspector streamed ([0-9,]+) bytes`).FindStringSubmatch(out.String()); m == nil || rate(t, m[1]) < 1000 {
		t.Errorf("the watched endpoint's inspector streamed too little: %q", m)
	}
}

func rate(t *testing.T, s string) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestReadAnswer(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		fail bool
	}{
		{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", false},
		{"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", true},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true},
		{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true},
	} {
		br := bufio.NewReader(strings.NewReader(tc.raw))
		err := readAnswer(br)
		if err == nil && !tc.fail {
			err = readAnswer(br) // the second answer, on the same connection
		}
		if (err != nil) != tc.fail {
			t.Errorf("readAnswer(%q): %v", tc.raw, err)
		}
	}
}

func TestMedianAndFormat(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3, 1, 2: %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4, 1, 2, 3: %v", m)
	}
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 41234.6: "41,235", 1234567: "1,234,567"} {
		if got := formatRate(in); got != want {
			t.Errorf("formatRate(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRequests(t *testing.T) {
	if r, err := parseRequests("preflight, get"); err != nil || len(r) != 2 || r[1].method != "GET" {
		t.Errorf("parseRequests: %v %v", r, err)
	}
	if _, err := parseRequests("preflight,PUT"); err == nil {
		t.Error("parseRequests took PUT")
	}
}
