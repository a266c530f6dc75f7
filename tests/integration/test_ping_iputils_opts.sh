#!/bin/bash
# miniping's iputils options of issue 13, each against iputils ping on the same namespaces and
# against what goes on the wire (tcpdump) or what the kernel was told (strace): -p's PATTERN line
# and 16-byte cut, 127.1 and 0.0.0.0 as iputils names them, -M (the DF bit), -e (the identifier,
# raw and datagram socket), -m (SO_MARK, seen by a fwmark routing rule), -S (SO_SNDBUF), -l.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_need_bin "$M"

a=$(nd_ns pia)
b=$(nd_ns pib)
nd_veth_net "$a" "$b" 10.88.0
nd_wait_for 30 nd_in "$a" ping -c1 -W1 -q 10.88.0.2
nd_tmpdir dir

# what both print, times and the statistics lines aside
lines() { sed -E 's/time=[0-9.]+ ms/time=T/; s/, time [0-9]+ms//; /^rtt /d; s/^(ping|miniping): //'; }
both() { # what, then the arguments of both
	local what=$1 ref out rc rrc
	shift
	ref=$(nd_in "$a" "${PRE[@]}" ping "$@" 2>&1); rrc=$?
	out=$(nd_in "$a" "${PRE[@]}" "$M" "$@" 2>&1); rc=$?
	check_eq "$what: exit status as iputils" "$rrc" "$rc"
	check_eq "$what: the lines iputils prints (times aside)" "$(lines <<<"$ref")" "$(lines <<<"$out")"
}
PRE=()
both "-p abcd: the PATTERN line" -c 1 -p abcd 127.0.0.1
both "-p with 18 bytes: the first 16 count" -c 1 -p 00112233445566778899aabbccddeeff0011 127.0.0.1
both "-q -p: no PATTERN line" -c 1 -q -p abcd 127.0.0.1
both "127.1: numeric, as iputils (no reverse lookup of 127.0.0.1)" -c 1 127.1
both "0.0.0.0: the header names the source the kernel picked" -c 1 0.0.0.0
both "-M bogus" -c 1 -M bogus 127.0.0.1
# bad values exit 2 here (iputils: 1 for -e), a documented difference; the same range
err=$(nd_in "$a" "$M" -c 1 -e 70000 127.0.0.1 2>&1); rc=$?
check_eq "-e 70000: exit 2, iputils' range" "2 miniping: invalid -e value '70000': out of range: 0 <= value <= 65535" "$rc $err"
both "-l 3 with -c 3" -c 3 -l 3 -i 5 127.0.0.1
both "-6 -M do" -6 -c 1 -M do ::1

# --- an IPv6 router answering "no route": the error lines and a summary without a "pipe" ---
ip -n "$a" addr add fd88::1/64 dev va nodad
ip -n "$b" addr add fd88::2/64 dev vb nodad
ip -n "$a" -6 route add fd89::/64 via fd88::2
nd_in "$b" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$b" -6 route add unreachable fd89::/64
nd_wait_for 30 nd_in "$a" ping -6 -c1 -W1 -q fd88::2
both "IPv6 destination unreachable from a router: the From lines and the summary" -c 3 -i 0.3 -W 1 fd89::1
check "and no pipe in that summary" sh -c "! ip netns exec $a $M -c 3 -i 0.3 -W 1 fd89::1 | grep -q pipe"

# --- on the wire: the DF bit of -M, the identifier of -e, the pattern of -p ---
wire() { # tcpdump -v of the first request miniping sends with the given arguments
	local pid
	nd_in "$a" tcpdump -i va -nn -v -x -c 1 'icmp[icmptype] == icmp-echo' >"$dir/td" 2>/dev/null &
	pid=$!
	nd_wait_for 30 sh -c "ip netns pids $a | xargs -r ps -o comm= -p | grep -q tcpdump"
	sleep 0.5
	nd_in "$a" "$M" -c 1 "$@" 10.88.0.2 >/dev/null 2>&1
	nd_wait_for 30 sh -c "! kill -0 $pid 2>/dev/null"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
wire -M do
check "-M do: the request carries DF" grep -q 'flags \[DF\]' "$dir/td"
wire -M dont
check "-M dont: the request carries no DF" sh -c "grep -q 'flags \[none\]' $dir/td"
wire -e 4242
check "-e 4242 (raw socket): the identifier on the wire" grep -q 'echo request, id 4242,' "$dir/td"
wire -p deadbeef -s 40
check "-p deadbeef -s 40: after the 16-byte send time the payload is the pattern" sh -c \
	"grep -A5 'echo request' $dir/td | tr -d '\n' | grep -q 'dead *beef *dead *beef *dead *beef'"

# --- -m: a fwmark rule sends marked packets to a table where the peer is unreachable ---
ip -n "$a" rule add pref 100 fwmark 7 table 100
ip -n "$a" route add unreachable 10.88.0.2 table 100
# (iputils marks its source probe too and fails at connect, exit 2; miniping marks the ICMP
# socket only, its probe runs after the privileges are gone: the sends fail, exit 1)
both "-m 8 (another mark: the peer answers)" -c 1 -W 1 -m 8 10.88.0.2
out=$(nd_in "$a" "$M" -c 1 -W 1 -m 7 10.88.0.2 2>&1); rc=$?
check_eq "-m 7: the marked request takes the rule's unreachable route: exit 1" 1 "$rc"
refused() { grep -q 'sendmsg: No route to host' <<<"$out" && ! grep -q '^64 bytes' <<<"$out"; }
check "-m 7: sendmsg: No route to host, and no reply" refused
check_eq "iputils -m 7 is refused there too (at its probe)" "connect: No route to host" \
	"$(nd_in "$a" ping -c 1 -W 1 -m 7 10.88.0.2 2>&1 | sed 's/^ping: //')"

# --- -S: what the kernel was asked (strace), and -l preload timing-free: both sent at once ---
if command -v strace >/dev/null; then
	tr=$(nd_in "$a" strace -qq -f -e trace=setsockopt "$M" -c 1 -S 100000 127.0.0.1 2>&1 >/dev/null)
	check "-S 100000: setsockopt(SO_SNDBUF, 100000) and the kernel took it" grep -q 'SO_SNDBUF, \[100000\], 4) = 0' <<<"$tr"
	tr=$(nd_in "$a" strace -qq -f -e trace=sendto "$M" -c 2 -l 2 -i 60 127.0.0.1 2>&1 >/dev/null)
	check_eq "-l 2 -i 60: both requests sent although the interval is a minute" 2 \
		"$(grep -c 'sendto(' <<<"$tr")"
else
	skip "strace missing: -S and -l not observed"
fi

# --- as a user: the datagram socket takes -e as its port; the preload limit; no mark ---
if command -v setpriv >/dev/null; then
	nd_in "$a" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	PRE=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	both "user: -l 4 (over iputils' 3)" -c 1 -l 4 127.0.0.1
	# iputils warns twice (its two sockets, one before the header): the lines, once each
	ref=$(nd_in "$a" "${PRE[@]}" ping -c 1 -m 7 127.0.0.1 2>&1 | lines | sort -u)
	out=$(nd_in "$a" "${PRE[@]}" "$M" -c 1 -m 7 127.0.0.1 2>&1 | lines | sort -u)
	check_eq "user: -m 7 (no CAP_NET_ADMIN): iputils' warning, then the ping" "$ref" "$out"
	nd_in "$a" tcpdump -i va -nn -c 1 'icmp[icmptype] == icmp-echo' >"$dir/td" 2>/dev/null &
	pid=$!
	sleep 0.5
	nd_in "$a" "${PRE[@]}" "$M" -c 1 -e 4343 10.88.0.2 >/dev/null 2>&1
	nd_wait_for 30 sh -c "! kill -0 $pid 2>/dev/null"
	kill "$pid" 2>/dev/null
	check "user: -e 4343 on the datagram socket is the identifier on the wire" grep -q 'id 4343,' "$dir/td"
	PRE=()
else
	skip "setpriv missing: no user runs"
fi
exit 0
