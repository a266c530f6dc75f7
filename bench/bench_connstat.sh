#!/bin/bash
# bench/bench_connstat.sh [CONNECTIONS] — connstat against ss and netstat on N established
# loopback connections (2N TCP sockets, default N=50000) in a fresh namespace.
# Prints the median wall time of RUNS runs (default 5; -p runs: 3) and peak RSS, and the ratios.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${BIN:-$PWD/build/bin} BENCH_BIN=${BENCH_BIN:-$PWD/build/bench}
N=${1:-50000}
RUNS=${RUNS:-5}
[ "$(id -u)" = 0 ] || { echo "bench_connstat: needs root" >&2; exit 2; }
for t in "$BIN/connstat" "$BENCH_BIN/connmaker" "$BENCH_BIN/diag_floor" "$BENCH_BIN/benchrun"; do
	[ -x "$t" ] || { echo "bench_connstat: $t missing (make first)" >&2; exit 2; }
done
ns=ndbench$$
ip netns add "$ns" || exit 2
maker=
cleanup() {
	[ -n "$maker" ] && kill "$maker" 2>/dev/null && wait "$maker" 2>/dev/null
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -f "$fifo"
}
fifo=$(mktemp -u)
trap cleanup EXIT
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
ip netns exec "$ns" sysctl -qw net.core.somaxconn=8192
mkfifo "$fifo"
t0=$(date +%s%N)
ip netns exec "$ns" "$BENCH_BIN/connmaker" "$N" >"$fifo" &
maker=$!
read -r word count <"$fifo"
[ "$word" = ready ] || { echo "bench_connstat: the connection maker failed" >&2; exit 2; }
echo "connections: $count established ($((2 * count)) TCP sockets), made in $((($(date +%s%N) - t0) / 1000000)) ms"
echo "kernel: $(uname -r), cores: $(nproc)"

declare -A T R C F
# median wall ms, peak RSS, median CPU ms and fastest wall ms of RUNS runs, measured inside the
# namespace by benchrun (CPU time moves less than wall time when other work shares the cores)
run() {
	local name=$1 runs=$2 out
	shift 2
	out=$(ip netns exec "$ns" "$BENCH_BIN/benchrun" "$runs" "$@") || { echo "bench_connstat: $name failed" >&2; exit 1; }
	read -r "T[$name]" "R[$name]" "C[$name]" "F[$name]" <<<"$out"
	printf '%-20s %9s ms  %8s KiB peak RSS  %9s ms CPU  %9s ms fastest\n' "$name" "${T[$name]}" \
		"${R[$name]}" "${C[$name]}" "${F[$name]}"
}
run floor "$RUNS" "$BENCH_BIN/diag_floor"
run "ss -tan" "$RUNS" ss -tan
run "netstat -tan" "$RUNS" netstat -tan
run "connstat -tan" "$RUNS" "$BIN/connstat" -tan
run "connstat -tan json" "$RUNS" "$BIN/connstat" -tan --json
PRUNS=${PRUNS:-3}
run "ss -tanp" "$PRUNS" ss -tanp
run "netstat -tanp" "$PRUNS" netstat -tanp
run "connstat -tanp" "$PRUNS" "$BIN/connstat" -tanp
# -p's two sources side by side: the BPF task_file iterator (auto, as root) and the /proc scan
run "connstat -tanp proc" "$PRUNS" "$BIN/connstat" -tanp --owners=proc
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
echo "ratios (same run):"
echo "  floor / ss -tan            $(ratio "${T[floor]}" "${T[ss -tan]}")"
echo "  netstat -tan / ss -tan     $(ratio "${T[netstat -tan]}" "${T[ss -tan]}")"
echo "  connstat -tan / ss -tan    $(ratio "${T[connstat -tan]}" "${T[ss -tan]}")   (target <= 0.6)"
echo "  ss -tanp / ss -tan         $(ratio "${T[ss -tanp]}" "${T[ss -tan]}")"
echo "  netstat -tanp / ss -tan    $(ratio "${T[netstat -tanp]}" "${T[ss -tan]}")"
echo "  connstat -tanp / ss -tanp  $(ratio "${T[connstat -tanp]}" "${T[ss -tanp]}")   (target <= 0.06)"
echo "  connstat -tanp / -tan      $(ratio "${T[connstat -tanp]}" "${T[connstat -tan]}")   (target <= 2; CPU $(ratio "${C[connstat -tanp]}" "${C[connstat -tan]}"), fastest $(ratio "${F[connstat -tanp]}" "${F[connstat -tan]}"))"
echo "  -tanp proc / ss -tanp      $(ratio "${T[connstat -tanp proc]}" "${T[ss -tanp]}")   (the /proc scan alone)"
echo "  connstat RSS / ss RSS      -tan $(ratio "${R[connstat -tan]}" "${R[ss -tan]}"), -tanp $(ratio "${R[connstat -tanp]}" "${R[ss -tanp]}")   (target <= 1)"
