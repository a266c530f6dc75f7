#!/bin/bash
# bench/bench_connstat_events.sh [CONNECTIONS] — connstat -E against the loop it watches: N
# loopback connections (default 10,000; ten state changes each) made one after another by
# bench/connloop in a fresh namespace, alone and with `connstat -E --json` (BPF) writing every
# event to a file, and with the sampling fallback.  Prints the median loop time of RUNS runs
# (default 5), the ratios, and the events counted and lost.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${BIN:-$PWD/build/bin} BENCH_BIN=${BENCH_BIN:-$PWD/build/bench}
N=${1:-10000}
RUNS=${RUNS:-5}
[ "$(id -u)" = 0 ] || { echo "bench_connstat_events: needs root" >&2; exit 2; }
for t in "$BIN/connstat" "$BENCH_BIN/connloop"; do
	[ -x "$t" ] || { echo "bench_connstat_events: $t missing (make first)" >&2; exit 2; }
done
"$BIN/connstat" --version | grep -q "^BPF build" ||
	{ echo "bench_connstat_events: connstat has no BPF: $("$BIN/connstat" --version | tail -1)" >&2; exit 2; }
ns=ndbenchev$$
out=$(mktemp)
ip netns add "$ns" || exit 2
watcher=
cleanup() {
	[ -n "$watcher" ] && kill "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -f "$out"
}
trap cleanup EXIT
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
echo "loop: $N loopback connections, one after another; kernel $(uname -r), cores: $(nproc)"

# one loop, its TIME-WAIT sockets cleared first; prints its ms
loop() {
	ip netns exec "$ns" ss -K -t state time-wait >/dev/null 2>&1
	ip netns exec "$ns" "$BENCH_BIN/connloop" "$N" 7300
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# watched MODE...: one loop with connstat -E MODE running; prints "ms events lost"
watched() {
	local ms ev lost
	ip netns exec "$ns" ss -K -t state time-wait >/dev/null 2>&1
	ip netns exec "$ns" "$BIN/connstat" -E --json "$@" dport = :7300 or sport = :7300 >"$out" 2>/dev/null &
	watcher=$!
	# attached when its BPF link shows in its fds (the sampler: after its first dump)
	for _ in $(seq 100); do
		grep -qs '^link_type:' /proc/$watcher/fdinfo/* && break
		[ "$*" = --sample ] && sleep 0.3 && break
		sleep 0.1
	done
	ms=$(ip netns exec "$ns" "$BENCH_BIN/connloop" "$N" 7300)
	sleep 0.5
	kill -INT "$watcher"
	wait "$watcher"
	watcher=
	ev=$(grep -c '"cookie"' "$out")
	lost=$(jq -s 'map(.lost // 0) | add // 0' "$out")
	echo "$ms $ev $lost"
}

declare -a alone bpf smp
for i in $(seq "$RUNS"); do
	alone+=("$(loop)")
	read -r ms ev lost < <(watched)
	bpf+=("$ms")
	echo "run $i: alone ${alone[-1]} ms, with connstat -E ${ms} ms: $ev events ($((10 * N)) changes made), $lost lost"
done
read -r sms sev slost < <(watched --sample)
a=$(printf '%s\n' "${alone[@]}" | median)
b=$(printf '%s\n' "${bpf[@]}" | median)
printf '%-34s %9s ms\n' "loop alone (median of $RUNS)" "$a" "loop with connstat -E (median)" "$b" \
	"loop with connstat -E --sample (1 run)" "$sms"
awk -v a="$a" -v b="$b" 'BEGIN { printf "connstat -E / loop alone: %.3f (target <= 1.25)\n", b / a }'
awk -v a="$a" -v b="$sms" 'BEGIN { printf "connstat -E --sample / loop alone: %.3f\n", b / a }'
echo "sampling saw $sev of $((10 * N)) changes (it samples every 100 ms)"
