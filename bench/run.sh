#!/bin/bash
# bench/run.sh [NAME...] — run the benchmarks (bench/bench_*.sh, or the named ones).
# Benchmarks are not tests: each prints its measurements and the ratios against the peers,
# measured in the same run.  Results are recorded by hand in docs/PERFORMANCE.md.
set -u
cd "$(dirname "$0")/.." || exit 2
export BIN=${BIN:-$PWD/${B:-build}/bin} BENCH_BIN=${BENCH_BIN:-$PWD/${B:-build}/bench}
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces)" >&2; exit 2; }
if [ $# -gt 0 ]; then list=("$@"); else list=(bench/bench_*.sh); fi
for b in "${list[@]}"; do
	[ -e "$b" ] || b=bench/bench_$b.sh
	echo "== ${b##*/}"
	bash "$b" || echo "bench: ${b##*/} failed" >&2
done
