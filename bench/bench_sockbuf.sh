#!/bin/bash
# bench_sockbuf.sh — sockbuf's speed targets, each against a peer measured in the same run:
#   info: wall time per run (target < 50 ms), next to sysctl(8) reading the same settings;
#   sweep: wall time of the default ladder (target < 10 s);
#   the transfer loop on loopback: sockbuf sweep's autotuned step against
#   'dd | socat' (socat's default 8 KiB buffer, and with -b 1MiB), throughput ratio printed.
# Runs in a namespace of its own so that its loopback traffic meets nothing else.
set -u
BIN=${BIN:-$PWD/build/bin}
SB=$BIN/sockbuf
ns=ndbench-sockbuf-$$
ip netns add "$ns" || exit 2
trap 'ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
nsx() { ip netns exec "$ns" "$@"; }
now() { date +%s.%N; }

runs=50
# info only reads: it runs in this namespace, without the cost of ip netns exec
t0=$(now); for _ in $(seq $runs); do "$SB" info >/dev/null; done; t1=$(now)
t2=$(now); for _ in $(seq $runs); do sysctl net.core.rmem_default net.core.rmem_max net.core.wmem_default \
	net.core.wmem_max net.ipv4.tcp_rmem net.ipv4.tcp_wmem net.ipv4.udp_mem net.ipv4.udp_rmem_min \
	net.ipv4.udp_wmem_min net.ipv4.tcp_moderate_rcvbuf net.ipv4.tcp_window_scaling \
	net.unix.max_dgram_qlen >/dev/null 2>&1; done; t3=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n=$runs 'BEGIN {
	sb = (b - a) / n * 1000; sc = (d - c) / n * 1000
	printf "info:  sockbuf info %.1f ms/run, sysctl (same 12 settings) %.1f ms/run, ratio %.2f; target < 50 ms: %s\n",
		sb, sc, sb / sc, sb < 50 ? "met" : "MISSED" }'

t0=$(now); nsx "$SB" sweep >/dev/null; t1=$(now)
awk -v a="$t0" -v b="$t1" 'BEGIN { t = b - a; printf "sweep: default ladder (6 steps x 1 s) %.2f s; target < 10 s: %s\n", t, t < 10 ? "met" : "MISSED" }'

# transfer throughput, 3 s of sockbuf against 3 GiB through socat
sbbps=$(nsx "$SB" sweep --sizes auto --time 3 --json | jq '.steps[0].bits_per_second')
socat_run() { # extra socat options
	local port=$((20000 + RANDOM % 10000)) t0 t1
	nsx socat -u $1 TCP-LISTEN:$port,reuseaddr OPEN:/dev/null &
	local srv=$!
	for _ in $(seq 50); do nsx ss -Htln "sport = :$port" | grep -q . && break; sleep 0.05; done
	t0=$(now)
	nsx sh -c "dd if=/dev/zero bs=1M count=3072 status=none | socat -u $1 - TCP:127.0.0.1:$port"
	wait $srv
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 3072 * 1048576 * 8 / (b - a) }'
}
s8k=$(socat_run "")
s1m=$(socat_run "-b 1048576")
awk -v s="$sbbps" -v a="$s8k" -v b="$s1m" 'BEGIN {
	printf "throughput (loopback): sockbuf sweep auto %.2f Gbit/s; dd|socat (8 KiB) %.2f Gbit/s, ratio %.2f; dd|socat -b 1MiB %.2f Gbit/s, ratio %.2f; target ratio >= 1: %s\n",
		s / 1e9, a / 1e9, s / a, b / 1e9, s / b, (s >= a && s >= b) ? "met" : "MISSED" }'

# iperf3, the tool people reach for, when it is installed (make deps installs it)
if command -v iperf3 >/dev/null; then
	port=$((30000 + RANDOM % 10000))
	nsx iperf3 -s -1 -p $port >/dev/null 2>&1 &
	srv=$!
	for _ in $(seq 50); do nsx ss -Htln "sport = :$port" | grep -q . && break; sleep 0.05; done
	ibps=$(nsx iperf3 -c 127.0.0.1 -p $port -t 3 -J | jq '.end.sum_received.bits_per_second')
	wait $srv
	awk -v s="$sbbps" -v i="$ibps" 'BEGIN {
		printf "throughput (loopback): sockbuf sweep auto %.2f Gbit/s; iperf3 -t 3 %.2f Gbit/s, ratio %.2f; target ratio >= 1: %s\n",
			s / 1e9, i / 1e9, s / i, (s >= i) ? "met" : "MISSED" }'
else
	echo "throughput: iperf3 not installed, no iperf3 comparison (make deps installs it)"
fi
