#!/bin/bash
# bench/bench_ifinfo.sh — ifinfo against ip (and optionally ifconfig) on a namespace holding
# PAIRS veth pairs (default 1000, both ends inside), each end with an IPv4 and an IPv6 address.
#
#   PAIRS=1000 REPS=9 BENCH_IFCONFIG=1 bash bench/bench_ifinfo.sh
#
# Every command runs inside the namespace under build/bench/benchrun (fork, exec, wait4: no
# shell or `ip netns exec` start-up is counted), output to /dev/null; the median wall and CPU
# time of REPS runs and the fastest run are reported, and the ratios against the peers of this
# run.  The commands take turns, ROUNDS times (default 3), and their medians are pooled, so a
# slow spell of the machine does not fall on one command only.
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

ROUNDS=${ROUNDS:-3}

for f in "$BIN/ifinfo" "$BENCH_BIN/ifinfo_floor" "$BENCH_BIN/benchrun"; do
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

# one line per round: "WALL_MS RSS_KIB CPU_MS MIN_MS" of REPS runs inside the namespace
measure() {
	ip netns exec "$NS" "$BENCH_BIN/benchrun" "$REPS" "$@" ||
		{ echo "bench_ifinfo: $* failed" >&2; exit 1; }
}

names=("floor (dump only)" "ip addr" "ip -j -s addr" "ifinfo -a" "ifinfo -a --json" "ifinfo -s -a")
cmds=("$BENCH_BIN/ifinfo_floor" "ip addr" "ip -j -s addr" "$BIN/ifinfo -a" "$BIN/ifinfo -a --json"
      "$BIN/ifinfo -s -a")
declare -A T C M ALL
for ((round = 0; round < ROUNDS; round++)); do
	for i in "${!names[@]}"; do
		# shellcheck disable=SC2086 # the command line splits into its words
		r=$(measure ${cmds[$i]}) || exit 1
		ALL[${names[$i]}]+="$r"$'\n'
	done
done
# the median of the rounds' medians, CPU alike; the fastest run of all
pool() {
	awk -v f="$1" 'NF { v[++n] = $f } END {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		printf "%.1f", (f == 4 ? v[1] : v[int((n + 1) / 2)]) }'
}
echo "median of $ROUNDS rounds of $REPS runs each (benchrun: fork to exit):"
for name in "${names[@]}"; do
	T[$name]=$(pool 1 <<<"${ALL[$name]}")
	C[$name]=$(pool 3 <<<"${ALL[$name]}")
	M[$name]=$(pool 4 <<<"${ALL[$name]}")
	printf '  %-22s %8s ms wall %8s ms cpu %8s ms fastest\n' "$name" "${T[$name]}" "${C[$name]}" "${M[$name]}"
done
if [ "${BENCH_IFCONFIG:-0}" = 1 ]; then
	name="ifconfig -a (1 run)"
	read -r "T[$name]" _ "C[$name]" _ <<<"$(REPS=1 measure ifconfig -a)"
	printf '  %-22s %8s ms wall %8s ms cpu\n' "$name" "${T[$name]}" "${C[$name]}"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratios (wall, cpu, fastest):"
echo "  ifinfo -a / ip addr                 $(ratio "${T[ifinfo -a]}" "${T[ip addr]}")  $(ratio "${C[ifinfo -a]}" "${C[ip addr]}")  $(ratio "${M[ifinfo -a]}" "${M[ip addr]}")  (target <= 0.40)"
echo "  ifinfo -a --json / ip -j -s addr    $(ratio "${T[ifinfo -a --json]}" "${T[ip -j -s addr]}")  $(ratio "${C[ifinfo -a --json]}" "${C[ip -j -s addr]}")  $(ratio "${M[ifinfo -a --json]}" "${M[ip -j -s addr]}")  (target <= 0.40)"
echo "  ifinfo -a / floor                   $(ratio "${T[ifinfo -a]}" "${T[floor (dump only)]}")"
if [ -n "${T[ifconfig -a (1 run)]:-}" ]; then
	echo "  ifinfo -a / ifconfig -a             $(ratio "${T[ifinfo -a]}" "${T[ifconfig -a (1 run)]}")"
fi
