#!/bin/bash
# miniping against iputils ping where issue 13 found them apart: an IPv6 link-local target with
# and without %iface (the scope kept in the header and reply lines; without it, iputils' warning on
# a datagram socket instead of "connect: Invalid argument"), and broadcast (iputils' question
# without -b, SO_BROADCAST and its warning with -b).  Two namespaces joined by a veth pair.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_need_bin "$M"

a=$(nd_ns sa)
b=$(nd_ns sb)
nd_veth "$a" va "$b" vb
ip -n "$a" addr add fe80::a/64 dev va nodad
ip -n "$b" addr add fe80::b/64 dev vb nodad
ip -n "$a" addr add 10.78.0.1/24 dev va
ip -n "$b" addr add 10.78.0.2/24 dev vb
nd_in "$b" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
nd_wait_for 30 nd_in "$a" ping -c1 -W1 -q 10.78.0.2
nd_wait_for 30 nd_in "$a" ping -c1 -W1 -q fe80::b%va

# the lines both print, times and the summary's statistics aside; miniping also reports a send the
# kernel refused ("sendmsg: Invalid argument"), which iputils leaves unsaid: that line aside too
lines() { sed -E 's/time=[0-9.]+ ms/time=T/; s/, time [0-9]+ms//; /^rtt /d'; }
both() { # what, then the arguments for both pings
	local what=$1 out ref rc rrc
	shift
	ref=$(nd_in "$a" "${PRE[@]}" ping "$@" 2>&1); rrc=$?
	out=$(nd_in "$a" "${PRE[@]}" "$M" "$@" 2>&1); rc=$?
	check_eq "$what: exit status as iputils" "$rrc" "$rc"
	check_eq "$what: stdout and stderr as iputils (times aside)" \
		"$(lines <<<"$ref" | sed 's/^ping: //')" "$(lines <<<"$out" | sed 's/^miniping: //' | grep -v '^sendmsg: ')"
}
PRE=()
both "root, fe80::b%va" -c 2 -i 0.2 fe80::b%va
check "the header keeps the scope: PING fe80::b%va(fe80::b%va)" sh -c \
	"ip netns exec $a $M -c 1 fe80::b%va | grep -q '^PING fe80::b%va(fe80::b%va) 56 data bytes'"
check "reply lines keep it too: from fe80::b%va" sh -c \
	"ip netns exec $a $M -c 1 fe80::b%va | grep -q '^64 bytes from fe80::b%va: icmp_seq=1'"
both "root, fe80::b without a scope (one link-local route: the kernel picks va)" -c 1 fe80::b
check_eq "--json keeps the scope in addr and from" '"fe80::b%va" "fe80::b%va"' \
	"$(nd_in "$a" "$M" -c 1 --json fe80::b%va | jq -r -s '"\"\(.[0].addr)\" \"\([.[] | select(.from)][0].from)\""')"

# iputils takes the datagram socket whenever ping_group_range allows it, root too: allowed for
# these runs only, so that root's runs above compare raw socket with raw socket
if command -v setpriv >/dev/null; then
	nd_in "$a" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	PRE=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	both "user (datagram socket), fe80::b%va" -c 1 fe80::b%va
	both "user, fe80::b without a scope: iputils' warning, no reply" -c 1 -W 1 fe80::b
	err=$(nd_in "$a" "${PRE[@]}" "$M" -c 1 -W 1 fe80::b 2>&1 >/dev/null)
	check "user, no scope: the warning says how (${err//$'\n'/ | })" grep -q 'may require ifname or scope-id => use: address%<ifname|scope-id>' <<<"$err"
	no_connect() { ! grep -q '^miniping: connect: Invalid argument' <<<"$err"; }
	check "user, no scope: no bare 'connect: Invalid argument'" no_connect
	out=$(nd_in "$a" "${PRE[@]}" "$M" -c 1 -I va fe80::b 2>&1)
	reply_no_warning() { grep -q '^64 bytes from fe80::b%va' <<<"$out" && ! grep -q Warning <<<"$out"; }
	check "user, -I va names the link: a reply, no warning" reply_no_warning
	both "user, -b with an interval under 1 s" -c 1 -i 0.5 -b 10.78.0.255
	PRE=()
	nd_in "$a" sysctl -qw net.ipv4.ping_group_range="1 0"
else
	skip "setpriv missing: no datagram-socket runs"
fi

# --- broadcast ---
both "no -b: iputils' question, exit 2" -c 1 10.78.0.255
both "-b: the warning, SO_BROADCAST, the replies" -c 2 -i 0.2 -b 10.78.0.255
check_eq "-b: the reply came from the peer's address" "10.78.0.2" \
	"$(nd_in "$a" "$M" -c 1 -b --json 10.78.0.255 2>/dev/null | jq -r -s '[.[] | select(.from)][0].from')"
exit 0
