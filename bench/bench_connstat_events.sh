#!/bin/bash
# bench/bench_connstat_events.sh [CONNECTIONS] — connstat -E against the loop it watches: N
# loopback connections (default 10,000; ten state changes each) made one after another by
# bench/connloop in a fresh namespace, alone and with `connstat -E --json` (BPF) writing every
# event to a file; one run with the sampling fallback.  Prints per run the loop's wall and CPU
# time, connstat's CPU time and the events counted and lost; then the medians of RUNS runs
# (default 5) and the ratios.  On a busy machine the wall ratio measures the scheduler as much
# as connstat: the CPU ratios say what the watching costs.
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
echo "loop: $N loopback connections, one after another; kernel $(uname -r), cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
tck=$(getconf CLK_TCK)

# one loop, its TIME-WAIT sockets cleared first; prints "wall_ms cpu_ms"
loop() {
	ip netns exec "$ns" ss -K -t state time-wait >/dev/null 2>&1
	ip netns exec "$ns" "$BENCH_BIN/connloop" "$N" 7300
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# watched [--sample]: one loop with connstat -E running; prints "wall cpu connstat_cpu events lost"
watched() {
	local res ev lost cpu
	ip netns exec "$ns" ss -K -t state time-wait >/dev/null 2>&1
	ip netns exec "$ns" "$BIN/connstat" -E --json "$@" dport = :7300 or sport = :7300 >"$out" 2>/dev/null &
	watcher=$!
	# ready when its BPF link shows in its fds (the sampler: after its first dumps)
	for _ in $(seq 100); do
		grep -Eqs '^link_type:[[:space:]]+(raw_tracepoint|tracing)' /proc/$watcher/fdinfo/* && break
		[ "$*" = --sample ] && sleep 0.3 && break
		sleep 0.1
	done
	cpu0=$(awk '{print $14 + $15}' /proc/$watcher/stat)
	res=$(ip netns exec "$ns" "$BENCH_BIN/connloop" "$N" 7300)
	sleep 0.5 # the last records, and a look at the timewait sockets
	cpu=$(awk -v c0="$cpu0" -v t="$tck" '{print ($14 + $15 - c0) * 1000 / t}' /proc/$watcher/stat)
	kill -INT "$watcher"
	wait "$watcher"
	watcher=
	ev=$(grep -c '"cookie"' "$out")
	lost=$(jq -s 'map(.lost // 0) | add // 0' "$out")
	echo "$res $cpu $ev $lost"
}

declare -a aw ac bw bc cc
for i in $(seq "$RUNS"); do
	read -r w c < <(loop)
	aw+=("$w") ac+=("$c")
	read -r w c k ev lost < <(watched)
	bw+=("$w") bc+=("$c") cc+=("$k")
	echo "run $i: loop alone ${aw[-1]} ms (cpu ${ac[-1]}), with connstat -E $w ms (cpu $c)," \
		"connstat cpu $k ms: $ev events, $lost lost"
done
read -r sw sc sk sev slost < <(watched --sample)
echo "one run with connstat -E --sample: loop $sw ms (cpu $sc), connstat cpu $sk ms: $sev events (it samples every 100 ms)"
m() { printf '%s\n' "$@" | median; }
AW=$(m "${aw[@]}") AC=$(m "${ac[@]}") BW=$(m "${bw[@]}") BC=$(m "${bc[@]}") CC=$(m "${cc[@]}")
echo "medians of $RUNS: loop alone $AW ms (cpu $AC ms); watched $BW ms (cpu $BC ms); connstat cpu $CC ms"
awk -v aw="$AW" -v ac="$AC" -v bw="$BW" -v bc="$BC" -v cc="$CC" -v n="$N" 'BEGIN {
	printf "loop wall, watched / alone: %.3f (target <= 1.25)\n", bw / aw
	printf "loop cpu, watched / alone:  %.3f (the BPF program and ring, in the loop'"'"'s own time)\n", bc / ac
	printf "all cpu (loop + connstat) / loop alone: %.3f; connstat %.2f us per change\n", (bc + cc) / ac, cc * 1000 / (10 * n)
}'
