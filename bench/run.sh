#!/usr/bin/env bash
# Reproduces the performance tables in README.md: the evaluator's own
# benchmarks (main module) and the side-by-side comparison (this module),
# COUNT runs each in one invocation, summarised by benchstat; then the
# built "s3cors serve" against a bare net/http handler under wrk
# (servecmp, ROUNDS rounds).
#
#   bench/run.sh              # COUNT=6, ROUNDS=5; raw results in bench/results/
#   BASELINE=/tmp/main bench/run.sh   # servecmp also measures s3cors built from /tmp/main
#
# Only figures from one run compare: the machine's noise is larger than
# most differences between runs.
set -euo pipefail
cd "$(dirname "$0")"
# BenchmarkProxyGetObjectWrk and servecmp load with wrk: without it the
# run would stop after its first quarter of an hour.
command -v wrk >/dev/null || { echo "bench/run.sh: wrk is not installed (Debian's package wrk)" >&2; exit 1; }
count=${COUNT:-6}
mkdir -p results
benchstat() { go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$@"; }

uptime | tee results/load.txt
(cd .. && go test -run '^$' -bench . -benchmem -count "$count" ./bucket) | tee results/bucket.txt
go test -run '^$' -bench . -benchmem -count "$count" . | tee results/bench.txt
uptime | tee -a results/load.txt

echo; echo "== s3cors against rs/cors and SeaweedFS (one column per library)"
grep -E '^(goos|goarch|pkg|cpu|Benchmark(Compare|Parallel|Wildcards))' results/bench.txt > results/compare.txt
benchstat -col /lib results/compare.txt
echo; echo "== rules, end to end"
grep -vE '^Benchmark(Compare|Parallel|Wildcards)' results/bench.txt > results/other.txt
benchstat results/other.txt
echo; echo "== the evaluator"
benchstat results/bucket.txt
echo; echo "== s3cors serve against a bare net/http handler (wrk -t1 -c32)"
go run ./servecmp -rounds "${ROUNDS:-5}" -watched ${BASELINE:+-baseline "$BASELINE"} | tee results/servecmp.txt
