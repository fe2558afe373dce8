#!/usr/bin/env bash
# Measures "s3cors proxy" beside what it is compared with, in one run, on
# loopback (README.md, "s3cors proxy: performance"):
#   - preflights with a warm cache: s3cors serve, the proxy in front of it
#     (and the requests it made to its upstream), versitygw's posix backend
#     and its s3 backend (a gateway keeping CORS in its upstream);
#   - GetObject of 1 KiB and 10 MiB from s3cors serve: directly, through a
#     bare httputil.ReverseProxy, through the proxy, 64 clients, Go's client
#     and then wrk's (which needs wrk installed);
#   - the latency of a 1 KiB GetObject at a fixed rate the machine carries
#     (BenchmarkProxyGetObjectPaced), the same three ways;
#   - the upstream requests a warm preflight costs each gateway;
#   - the proxy's peak RSS while 1 GiB streams through it each way.
#
#   bench/proxy.sh            # COUNT=3 runs of each benchmark; results in bench/results/proxy.txt
#   PINNED=1 bench/proxy.sh   # then the GetObject cases again with the proxies on the last CPU
#                             # and the clients and the store on the others (taskset)
#
# On one machine the clients, the proxy and the store share the cores, so
# a second hop costs what the store costs; with PINNED=1 the proxy has a
# core of its own, as in a deployment, and the clients and the store have
# the same cores with and without it.
#
# versitygw v1.8.0 is taken from $S3CORS_VERSITYGW or GOPATH/bin; without
# it its cases are left out. The machine's load is printed before and
# after: figures from a loaded machine do not compare with a quiet one's.
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-3}
command -v wrk >/dev/null || { echo "bench/proxy.sh: wrk is not installed (Debian's package wrk)" >&2; exit 1; }
mkdir -p results
{
	echo "load before: $(uptime)"
	go test -run '^(TestUpstreamRequestsPerPreflight|TestProxyStreamRSS)$' -v -count 1 . | grep -E '^(=== RUN|--- |\s+proxy_test)'
	go test -run '^$' -bench '^(BenchmarkProxyPreflight|BenchmarkProxyGetObject|BenchmarkProxyGetObjectWrk|BenchmarkProxyGetObjectPaced)$' -benchtime "${BENCHTIME:-3s}" -count "$count" .
	if [ "${PINNED:-0}" = 1 ]; then
		# The CPUs this shell may use (a cpuset may hold, say, 4-7), one
		# by one: the last for the proxies, the others for the rest.
		cpus=()
		IFS=, read -ra ranges <<<"$(taskset -pc $$ | sed 's/.*: //')"
		for r in "${ranges[@]}"; do
			for ((c = ${r%-*}; c <= ${r#*-}; c++)); do cpus+=("$c"); done
		done
		[ "${#cpus[@]}" -ge 2 ] || { echo "PINNED=1 needs 2 CPUs or more"; exit 1; }
		last=${cpus[-1]}
		rest=$(IFS=,; echo "${cpus[*]:0:${#cpus[@]}-1}")
		echo "== pinned: the proxies on CPU $last, the benchmark and the store on CPUs $rest"
		S3CORS_BENCH_PROXY_CPUS=$last taskset -c "$rest" \
			go test -run '^$' -bench '^(BenchmarkProxyGetObject|BenchmarkProxyGetObjectWrk|BenchmarkProxyGetObjectPaced)$' -benchtime "${BENCHTIME:-3s}" -count "$count" .
	fi
	echo "load after: $(uptime)"
} | tee results/proxy.txt
