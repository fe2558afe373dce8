#!/usr/bin/env bash
# Counts the instructions one op of a benchmark costs, with valgrind's
# callgrind: the run of 2N iterations less the run of N, divided by N, so
# that what the binary does once (start-up, setup) cancels out. The
# count, unlike the time, does not change with the machine's load, so
# small differences show. It runs on one P (GOMAXPROCS=1) with the
# collector off, so that the count repeats within a few instructions;
# -gc leaves the collector on and counts its share too, which then varies
# more, with the number of cycles each run holds. Go's RDTSCP is off
# (GODEBUG=cpu.rdtscp=off): valgrind 3.19 cannot run the instruction,
# which the runtime's lock reads the clock with when another process
# keeps it spinning, and the benchmark would die of SIGILL.
#
#   bench/instructions.sh [-gc] PACKAGE REGEX [N]
#
# PACKAGE is built with go test -c from the current directory; REGEX must
# select exactly one benchmark, every level anchored. For example, from
# the repository's root and from bench/:
#
#   bench/instructions.sh ./s3err '^BenchmarkNewIDs$/^ids=shared$'
#   ./instructions.sh -gc . '^BenchmarkCompare$/^case=disallowed-preflight$/^lib=rs-cors$'
set -euo pipefail

gogc=off
if [ "${1:-}" = -gc ]; then
	gogc=100
	shift
fi
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 [-gc] PACKAGE REGEX [N]" >&2
	exit 2
fi
pkg=$1 regex=$2 n=${3:-200000}
if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
	echo "$0: N must be a positive number of iterations, not $n" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "$0: valgrind is missing (Debian: apt-get install valgrind)" >&2
	exit 1
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/pkg.test" "$pkg"

selected=$("$dir/pkg.test" -test.run '^$' -test.bench "$regex" -test.benchtime 1x | grep -c '^Benchmark' || true)
if [ "$selected" -ne 1 ]; then
	echo "$0: $regex selects $selected benchmarks; it must select one" >&2
	exit 1
fi

# instructions prints the instructions a run of $1 iterations executes,
# or shows valgrind's and the benchmark's output and fails.
instructions() {
	if ! GOMAXPROCS=1 GOGC=$gogc GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$dir/pkg.test" -test.run '^$' -test.bench "$regex" -test.benchtime "${1}x" >"$dir/out" 2>"$dir/valgrind"; then
		cat "$dir/out" "$dir/valgrind" >&2
		echo "$0: the benchmark failed under valgrind" >&2
		return 1
	fi
	sed -n 's/.*Collected : *//p' "$dir/valgrind" | tr -d ','
}
once=$(instructions "$n")
twice=$(instructions $((2 * n)))
if [ -z "$once" ] || [ -z "$twice" ]; then
	cat "$dir/valgrind" >&2
	echo "$0: callgrind reported no count" >&2
	exit 1
fi
collector="collector off"
[ "$gogc" = off ] || collector="collector on, its share included"
echo "$(((twice - once) / n)) instructions an op ($n and $((2 * n)) iterations, GOMAXPROCS=1, $collector)"
