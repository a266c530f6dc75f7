#!/bin/bash
# The classroom topology of labs/: it comes up, carries the traffic the exercises use, and goes
# away completely.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
export LAB_PREFIX=$ND_TAG-lab BIN=$ND_BIN PEERS=$ND_PEERS
trap 'labs/lab.sh down >/dev/null 2>&1; nd_cleanup' EXIT

check "lab comes up" labs/lab.sh up
check "h1 reaches h2 over the veth (IPv4)" labs/lab.sh sh h1 ping -c1 -W2 -q 10.200.1.2
check "h1 reaches h2 over the veth (IPv6)" labs/lab.sh sh h1 ping -c1 -W2 -q fd00:200:1::2
if [ -x "$ND_PEERS/tunpeer" ]; then
	nd_wait_for 20 labs/lab.sh sh h1 ping -c1 -W1 -q 10.200.9.2
	check "the TUN peer answers behind tun0" labs/lab.sh sh h1 ping -c1 -W2 -q 10.200.9.2
fi
check_eq "lab sh puts the tools on PATH" "$ND_BIN/ifinfo" "$(labs/lab.sh sh h1 sh -c 'command -v ifinfo')"
peer=$(cat "/run/netdiag-$LAB_PREFIX-tunpeer.pid" 2>/dev/null)
labs/lab.sh down >/dev/null
check_eq "lab down removes both namespaces" "" "$(ip netns list | grep "^$LAB_PREFIX-")"
if [ -n "$peer" ]; then
	gone() { ! kill -0 "$peer" 2>/dev/null; }
	nd_wait_for 30 gone
	check "lab down stops the TUN peer" gone
fi
