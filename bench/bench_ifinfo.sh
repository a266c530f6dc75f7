#!/bin/bash
# bench/bench_ifinfo.sh — ifinfo against ip (and optionally ifconfig) on a namespace holding
# PAIRS veth pairs (default 1000, both ends inside), each end with an IPv4 and an IPv6 address.
#
#   PAIRS=1000 REPS=9 BENCH_IFCONFIG=1 bash bench/bench_ifinfo.sh
#
# Every command runs inside the namespace from one shell (no `ip netns exec` per run), output to
# /dev/null; the median of REPS runs is reported, and the ratios against the peers of this run.
# ifconfig -a grows with the square of the links (about 14 s at 1000 pairs), so it runs once and
# only with BENCH_IFCONFIG=1.  Targets (issue 2): ifinfo -a <= 0.4x ip addr, ifinfo -a --json
# <= 0.4x ip -j -s addr.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${BIN:-$PWD/build/bin}
BENCH_BIN=${BENCH_BIN:-$PWD/build/bench}
PAIRS=${PAIRS:-1000}
REPS=${REPS:-9}
NS=ndbench-ifinfo-$$

for f in "$BIN/ifinfo" "$BENCH_BIN/ifinfo_floor"; do
	[ -x "$f" ] || { echo "bench_ifinfo: $f is missing (make first)" >&2; exit 2; }
done
cleanup() { ip netns del "$NS" 2>/dev/null; rm -f "${batch:-}"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$EPOCHREALTIME
ip netns add "$NS" || exit 2
# no DAD and no router solicitations: the namespace stays quiet while it is measured
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
batch=$(mktemp)
{
	echo "link set lo up"
	for ((i = 0; i < PAIRS; i++)); do
		echo "link add va$i type veth peer name vb$i"
	done
	for ((i = 0; i < PAIRS; i++)); do
		x=$((1 + i / 250)) y=$((i % 250))
		echo "link set va$i up"
		echo "link set vb$i up"
		echo "addr add 10.$x.$y.1/24 dev va$i"
		echo "addr add 10.$x.$y.2/24 dev vb$i"
		printf 'addr add fd00:%x::1/64 dev va%d nodad\n' "$i" "$i"
		printf 'addr add fd00:%x::2/64 dev vb%d nodad\n' "$i" "$i"
	done
} >"$batch"
ip -n "$NS" -batch "$batch" || { echo "bench_ifinfo: namespace setup failed" >&2; exit 2; }
links=$(ip -n "$NS" -o link | wc -l)
addrs=$(ip -n "$NS" -o addr | wc -l)
printf 'setup: %d links, %d addresses in %s s\n' "$links" "$addrs" "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')"

# "WALL CPU": medians in ms of REPS runs of "$@" inside the namespace, wall time and user+system
# time (the CPU time is less disturbed when other work shares the machine)
median_ms() {
	ip netns exec "$NS" bash -c '
		reps=$1; shift
		TIMEFORMAT="%3U %3S"
		for ((r = 0; r < reps; r++)); do
			s=$EPOCHREALTIME
			cpu=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
			e=$EPOCHREALTIME
			echo "$s $e $cpu"
		done' _ "$REPS" "$@" |
		awk '{ w[NR] = ($2 - $1) * 1000; c[NR] = ($3 + $4) * 1000 }
		     END { n = asort_w(w, NR); m = asort_w(c, NR); printf "%.1f %.1f", w[int((NR + 1) / 2)], c[int((NR + 1) / 2)] }
		     function asort_w(a, n,    i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }; return n }'
}

declare -A T C
run() {
	local name=$1 r
	shift
	r=$(median_ms "$@")
	T[$name]=${r% *}
	C[$name]=${r#* }
	printf '  %-22s %8s ms wall %8s ms cpu\n' "$name" "${T[$name]}" "${C[$name]}"
}

echo "median of $REPS runs:"
run "floor (dump only)" "$BENCH_BIN/ifinfo_floor"
run "ip addr" ip addr
run "ip -j -s addr" ip -j -s addr
run "ifinfo -a" "$BIN/ifinfo" -a
run "ifinfo -a --json" "$BIN/ifinfo" -a --json
run "ifinfo -s -a" "$BIN/ifinfo" -s -a
if [ "${BENCH_IFCONFIG:-0}" = 1 ]; then
	REPS=1 run "ifconfig -a (1 run)" ifconfig -a
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratios (wall, cpu):"
echo "  ifinfo -a / ip addr                 $(ratio "${T[ifinfo -a]}" "${T[ip addr]}")  $(ratio "${C[ifinfo -a]}" "${C[ip addr]}")  (target <= 0.40)"
echo "  ifinfo -a --json / ip -j -s addr    $(ratio "${T[ifinfo -a --json]}" "${T[ip -j -s addr]}")  $(ratio "${C[ifinfo -a --json]}" "${C[ip -j -s addr]}")  (target <= 0.40)"
echo "  ifinfo -a / floor                   $(ratio "${T[ifinfo -a]}" "${T[floor (dump only)]}")"
if [ -n "${T[ifconfig -a (1 run)]:-}" ]; then
	echo "  ifinfo -a / ifconfig -a             $(ratio "${T[ifinfo -a]}" "${T[ifconfig -a (1 run)]}")"
fi
