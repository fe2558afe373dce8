#!/usr/bin/env bash
# Runs the load test against this tree and against another checkout of
# s3cors (say, main before a change), alternately, ROUNDS times each, with
# the machine's load before every run, so that the two meet the same
# noise:
#
#   git archive main | (mkdir -p /tmp/before && tar -x -C /tmp/before)
#   bench/loadcmp.sh /tmp/before      # ROUNDS=3, -duration 10s -clients 64
set -euo pipefail
before=$(cd "${1:?usage: bench/loadcmp.sh BEFORE_DIR}" && pwd)
cd "$(dirname "$0")"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$before/bench" && go build -o "$bin/before" ./loadtest)
go build -o "$bin/after" ./loadtest
for i in $(seq "${ROUNDS:-3}"); do
	for v in before after; do
		echo "== $v, run $i; $(uptime)"
		"$bin/$v" -duration "${DURATION:-10s}" -clients "${CLIENTS:-64}" || true
	done
done
