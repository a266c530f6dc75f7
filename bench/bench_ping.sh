#!/bin/bash
# bench/bench_ping.sh — flood ping over a veth pair between two namespaces: miniping -f against
# iputils ping -f, the same packet count, in the same run.  Prints packets per second and, under
# valgrind --tool=callgrind (same, smaller count), user-space instructions per packet; then ratios.
#   PING_BENCH_COUNT (default 50000)   packets for the pps run (best of 3 each)
#   PING_BENCH_CG_COUNT (default 5000) packets for the callgrind run
set -u
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/bin}
N=${PING_BENCH_COUNT:-50000}
CG=${PING_BENCH_CG_COUNT:-5000}
tag=ndbench$$
a=$tag-a b=$tag-b
tmp=$(mktemp -d)
cleanup() { ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$a" && ip netns add "$b" || exit 2
ip -n "$a" link add va type veth peer name vb netns "$b"
ip -n "$a" addr add 10.88.0.1/24 dev va && ip -n "$b" addr add 10.88.0.2/24 dev vb
ip -n "$a" link set va up && ip -n "$b" link set vb up
ip -n "$a" link set lo up && ip -n "$b" link set lo up
ip netns exec "$a" ping -c1 -W2 -q 10.88.0.2 >/dev/null || { echo "bench: veth not up" >&2; exit 2; }

pps() { # best of 3: packets per second of "$@ -f -q -c N 10.88.0.2"
	local best=0 i t0 t1 r
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		ip netns exec "$a" "$@" -f -q -c "$N" 10.88.0.2 >"$tmp/out" 2>&1
		t1=$(date +%s.%N)
		grep -q " $N received" "$tmp/out" || { echo "bench: $1 lost packets: $(grep transmitted "$tmp/out")" >&2; }
		r=$(awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "$best"
}

ipp() { # user-space instructions per packet under callgrind
	rm -f "$tmp/cg.out"
	ip netns exec "$a" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
		"$@" -f -q -c "$CG" 10.88.0.2 >/dev/null 2>"$tmp/cg.err"
	awk -v n="$CG" '/^(summary|totals):/ { printf "%.0f", $2 / n; exit }' "$tmp/cg.out"
}

m_pps=$(pps "$BIN/miniping")
i_pps=$(pps ping)
echo "flood, $N packets over veth (best of 3):"
printf "  %-10s %10s pps\n" miniping "$m_pps" "iputils" "$i_pps"
if command -v valgrind >/dev/null; then
	# valgrind will not run a file with capabilities: a plain copy of iputils' ping (we are root)
	cp "$(command -v ping)" "$tmp/ping"
	m_ipp=$(ipp "$BIN/miniping")
	i_ipp=$(ipp "$tmp/ping")
	echo "callgrind, $CG packets (whole run, start-up included, divided by the packets):"
	printf "  %-10s %10s instructions/packet\n" miniping "$m_ipp" "iputils" "$i_ipp"
else
	m_ipp=0 i_ipp=0
	echo "callgrind: valgrind not installed, skipped"
fi
awk -v a="$m_pps" -v b="$i_pps" -v c="$m_ipp" -v d="$i_ipp" 'BEGIN {
	printf "ratios: pps miniping/iputils = %.2f (target >= 1.00)", a / b
	if (d > 0) printf "; instructions/packet miniping/iputils = %.2f (target <= 1.00)", c / d
	printf "\n"
}'
