#!/bin/bash
# miniping runs in fixed memory: the peak anonymous memory (RssAnon) of a
# 200,000-packet flood is the same as that of a 20,000-packet one, in text and in JSON mode (where
# every reply and timeout is an event), up to a small bound.  A per-packet array (8 bytes per
# packet would be 1.6 MB more) could not pass.  Over a veth pair between two namespaces.
. "$(dirname "$0")/lib.sh"
if [ -n "${ND_SANITIZED:-}" ]; then
	# ASan's quarantine and shadow memory grow with every free: RSS says nothing about our code
	skip "peak RSS is not measured under AddressSanitizer (make check)"
	exit 0
fi
M=$ND_BIN/miniping
a=$(nd_ns pma)
b=$(nd_ns pmb)
nd_veth_net "$a" "$b" 10.78.0
nd_wait_for 30 nd_in "$a" ping -c1 -W1 -q 10.78.0.2

BOUND_KB=128
# Run miniping in the background and sample its RssAnon (the anonymous memory of this program
# image: heap, stack, buffers; wait4's ru_maxrss would also count the forked shell before exec)
# every 10 ms until it exits, keeping the largest.  Anonymous memory, not VmHWM: VmHWM also counts
# the pages of libc's code a run happens to touch, and a loaded machine sends a long run down rare
# paths (late replies, timeouts) that touch more of them (CI saw +160 KiB that way in the clang
# suite); a per-packet array is anonymous memory and shows here all the same.
# Prints "PEAK_KiB SAMPLES EXIT_STATUS"; the summary goes to $out.
peak() {
	local out=$1 pid hwm=0 n=0 k v comm=
	shift
	nd_bg "$a" "$@" >"$out" 2>/dev/null
	pid=$ND_LAST_PID
	while kill -0 "$pid" 2>/dev/null; do
		[ -z "$comm" ] && read -r comm <"/proc/$pid/comm" 2>/dev/null && [ "$comm" != miniping ] && comm=
		if [ "$comm" = miniping ]; then
			while read -r k v _; do
				[ "$k" = RssAnon: ] && [ "$v" -gt "$hwm" ] && hwm=$v && break
			done <"/proc/$pid/status" 2>/dev/null
			n=$((n + 1))
		fi
		sleep 0.01
	done
	wait "$pid"
	echo "$hwm $n $?"
}
out=$(mktemp) && nd_rm_at_exit "$out"
for mode in "-q" "--json"; do
	read -r s sn src < <(peak "$out" "$M" -f $mode -c 20000 10.78.0.2)
	read -r l ln lrc < <(peak "$out" "$M" -f $mode -c 200000 10.78.0.2)
	sum=$(grep -E 'packets transmitted|"summary"' "$out" | cut -c1-70)
	echo "    $mode: 20000 packets: peak $s KiB ($sn samples); 200000: $l KiB ($ln samples): $sum"
	check_eq "$mode: both runs exit 0" "0 0" "$src $lrc"
	check "$mode: sampled while it ran (at least 3 samples each)" test "$sn" -ge 3 -a "$ln" -ge 3
	if [ "$mode" = -q ]; then
		check "$mode: the big run sent and received 200000" grep -q '^200000 packets transmitted, 200000 received' "$out"
	else
		check "$mode: the big run sent 200000" grep -q '"transmitted":200000,' "$out"
	fi
	check "$mode: peak anonymous memory grows by at most $BOUND_KB KiB from 20,000 to 200,000 packets ($s -> $l KiB)" \
		test "$s" -gt 0 -a $((l - s)) -le $BOUND_KB
done
[ "$ND_FAILS" -eq 0 ]
