#!/bin/bash
# connstat -p both ways: the BPF task_file iterator (--owners=bpf) and the /proc scan
# (--owners=proc) give the same output on the zoo of sockets test_connstat_ss builds
# (tests/peers/sockmaker), plus sockets shared after fork; both agree with ss -p.  As a user who
# cannot look into other processes, -p says so once on stderr, as netstat does.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS" "$ND_PEERS/sockmaker"
nd_need_cmd socat "socat missing"

ns=$(nd_ns co)
nd_tun "$ns" tun0
ip -n "$ns" addr add 10.201.0.1/24 dev tun0
ip -n "$ns" link set tun0 up
nd_tmpdir dir
chmod 755 "$dir"
nd_bg "$ns" "$ND_PEERS/sockmaker" -s 10.201.0.2 -w -d "$dir" >"$dir/out"
maker=$ND_LAST_PID
nd_wait_for 50 grep -q ready "$dir/out" || { fail "sockmaker did not start"; exit 1; }
nd_wait_for 20 sh -c "ip netns exec $ns ss -H -t state syn-sent | grep -q 10.201.0.2"
# a forking server: the accepted connection is held by the parent and by its child
nd_bg "$ns" socat TCP-LISTEN:7301,reuseaddr,fork SYSTEM:'sleep 60'
nd_wait_for 50 sh -c "ip netns exec $ns ss -H -tln | grep -q ':7301 '"
nd_bg "$ns" socat -u TCP:127.0.0.1:7301 SYSTEM:'sleep 60'
nd_wait_for 50 sh -c "ip netns exec $ns ss -H -tn state established | grep -q ':7301 '"

bpf_build=1
"$CS" --version | grep -q '^BPF build' || bpf_build=0

# --- the two sources agree, field for field ---
if [ "$bpf_build" = 1 ]; then
	for opts in "-anp" "-anpe" "-tanp" "-xap" "-wanp" "-a -p --json" "-a -p -e --json" "-tlp -6"; do
		# shellcheck disable=SC2086
		a=$(nd_in "$ns" "$CS" $opts --owners=bpf 2>&1)
		# shellcheck disable=SC2086
		b=$(nd_in "$ns" "$CS" $opts --owners=proc 2>&1)
		check_eq "connstat $opts: the same through the BPF iterator and through /proc" "$b" "$a"
	done
	# on one CPU (taskset) one iterator walks every process; with more, one per process in threads
	if [ "$(nproc --all)" -gt 1 ] && command -v taskset >/dev/null; then
		a=$(nd_in "$ns" taskset -c 0 "$CS" -a -p -e --json --owners=bpf 2>&1)
		b=$(nd_in "$ns" "$CS" -a -p -e --json --owners=bpf 2>&1)
		check_eq "one iterator on one CPU gives what one per process gives on all" "$b" "$a"
		n=$(nd_in "$ns" strace -f -qq -e trace=bpf "$CS" -tanp 2>&1 >/dev/null | grep -c BPF_LINK_CREATE)
		check "with several CPUs, an iterator per process ($n link creations)" [ "$n" -gt 3 ]
	fi
	got=$(nd_in "$ns" "$CS" -a -p --json --owners=bpf | jq '[.[] | select(.process | length > 0)] | length')
	check "the zoo has sockets with owners to compare ($got)" [ "$got" -ge 20 ]
	got=$(nd_in "$ns" "$CS" -tan -p --json --owners=bpf | jq '[.[] | select(.process | length > 1)] | length')
	check "the zoo has a socket with two owners (after fork) ($got)" [ "$got" -ge 1 ]
	# auto, as root, uses the iterator: it makes bpf() calls
	check "-p as root loads the iterator (bpf() calls seen by strace)" sh -c \
		"ip netns exec $ns strace -f -qq -e trace=bpf $CS -tanp 2>&1 >/dev/null | grep -q BPF_PROG_LOAD"
	check "--owners=proc makes no bpf() call" sh -c \
		"! ip netns exec $ns strace -f -qq -e trace=bpf $CS -tanp --owners=proc 2>&1 >/dev/null | grep -q BPF_"
else
	skip "this connstat was built without BPF: the iterator is not compared with /proc"
	check_status "--owners=bpf without BPF in the build: exit 2" 2 nd_in "$ns" "$CS" -tanp --owners=bpf
fi

# --- both agree with ss -p: (inode pid fd) per owner ---
want=$(nd_in "$ns" ss -H -a -tux -n -e -p 2>/dev/null | awk -f "$(dirname "$0")/ss_owners.awk" | sort)
for src in bpf proc; do
	[ "$src" = bpf ] && [ "$bpf_build" = 0 ] && continue
	got=$(nd_in "$ns" "$CS" -a -tux -p --owners=$src --json |
		jq -r '.[] | .inode as $i | .process[] | "\($i) \(.pid) \(.fd)"' | sort)
	check_eq "--owners=$src: owners (inode pid fd) agree with ss -p" "$want" "$got"
done
want=$(nd_in "$ns" ss -H -tan -p state established '( sport = :7301 )' | grep -o '"[^"]*",pid=[0-9]*' |
	sed 's/"\(.*\)",pid=\(.*\)/\2\/\1/' | sort -n | head -1)
got=$(nd_in "$ns" "$CS" -tanp sport = :7301 | awk '$6 == "ESTABLISHED" {print $7}')
check_eq "text: a shared socket shows its lowest pid, the name as ss -p gives it" "$want" "$got"

# --- -p as a user who cannot read other processes' fds ---
as_nobody() { ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nd_bg "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups socat TCP-LISTEN:7302,reuseaddr SYSTEM:'sleep 60'
mine=$ND_LAST_PID
nd_wait_for 50 sh -c "ip netns exec $ns ss -H -tln | grep -q ':7302 '"
as_nobody "$CS" -tlnp >"$dir/nb.out" 2>"$dir/nb.err"
rc=$?
check_eq "-p as nobody: exit 0" 0 "$rc"
check_eq "-p as nobody: one line on stderr says other users' processes could not be identified" \
	"1 1" "$(wc -l <"$dir/nb.err") $(grep -c 'not all processes could be identified' "$dir/nb.err")"
check "-p as nobody: its own listener shows its owner" grep -q ":7302 .*LISTEN *$mine/socat" "$dir/nb.out"
check "-p as nobody: root's listener shows -" grep -q ':7001 .*LISTEN *-$' "$dir/nb.out"
# (started directly, not through a function: a background subshell would ignore the SIGINT)
ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CS" -tlnp -c 0.05 >"$dir/nbc.out" 2>"$dir/nbc.err" &
cpid=$!
ND_PIDS+=("$cpid")
nd_wait_for 100 sh -c "[ \$(grep -c '^Active' $dir/nbc.out) -ge 3 ]"
kill -INT "$cpid"
wait "$cpid"
check_eq "-p -c as nobody: said once, not once per listing" 1 "$(grep -c 'not all processes' "$dir/nbc.err")"
err=$(nd_in "$ns" "$CS" -tlnp 2>&1 >/dev/null)
check_eq "-p as root: nothing on stderr" "" "$err"
err=$(as_nobody "$CS" -tlnp --owners=bpf 2>&1 >/dev/null)
check_status "--owners=bpf as nobody: exit 2" 2 as_nobody "$CS" -tlnp --owners=bpf
check_eq "--owners=bpf as nobody: one line on stderr" 1 "$(printf '%s\n' "$err" | wc -l)"
check_status "--owners=bogus: exit 2" 2 nd_in "$ns" "$CS" -tanp --owners=bogus
exit 0
