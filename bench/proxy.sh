#!/usr/bin/env bash
# Measures "s3cors proxy" beside what it is compared with, in one run, on
# loopback (README.md, "s3cors proxy: performance"):
#   - preflights with a warm cache: s3cors serve, the proxy in front of it
#     (and the requests it made to its upstream), versitygw's posix backend
#     and its s3 backend (a gateway keeping CORS in its upstream);
#   - GetObject of 1 KiB and 10 MiB from s3cors serve: directly, through a
#     bare httputil.ReverseProxy, through the proxy, 64 clients;
#   - the upstream requests a warm preflight costs each gateway;
#   - the proxy's peak RSS while 1 GiB streams through it each way.
#
#   bench/proxy.sh            # COUNT=3 runs of each benchmark; results in bench/results/proxy.txt
#
# versitygw v1.8.0 is taken from $S3CORS_VERSITYGW or GOPATH/bin; without
# it its cases are left out. The machine's load is printed before and
# after: figures from a loaded machine do not compare with a quiet one's.
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-3}
mkdir -p results
{
	echo "load before: $(uptime)"
	go test -run '^(TestUpstreamRequestsPerPreflight|TestProxyStreamRSS)$' -v -count 1 . | grep -E '^(=== RUN|--- |\s+proxy_test)'
	go test -run '^$' -bench '^(BenchmarkProxyPreflight|BenchmarkProxyGetObject)$' -benchtime "${BENCHTIME:-3s}" -count "$count" .
	echo "load after: $(uptime)"
} | tee results/proxy.txt
