#!/usr/bin/env bash
# The inspector's cost, side by side: the preflight throughput of
# s3server on loopback without the inspector, with it and nobody looking,
# and with a page's live stream open (BenchmarkInspector). The test binary
# is built once and run COUNT times (default 10), each run measuring the
# three in turn, so that the machine's load falls on all three alike;
# benchstat puts them in columns. The load is printed before and after:
# compare only figures from a quiet machine.
#
#   bench/inspector.sh        # raw results in bench/results/inspector.txt
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-10}
mkdir -p results
bin=$(mktemp -d)/bench.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" .
echo "load before: $(uptime)"
: > results/inspector.txt
for _ in $(seq "$count"); do
	"$bin" -test.run '^$' -test.bench '^BenchmarkInspector$' -test.benchmem -test.benchtime 2s | tee -a results/inspector.txt
done
echo "load after: $(uptime)"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /inspector results/inspector.txt
