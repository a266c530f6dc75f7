#!/bin/bash
# tests/data/capture/rtnl_capture.sh — how tests/data/unit/rtnl_link.bin and rtnl_addr.bin were
# made (run as root, after make): a namespace with known interfaces and addresses, dumped by build/bench/ifinfo_floor,
# which writes every RTM_NEWLINK / RTM_NEWADDR message as the kernel sent it.  The unit tests
# (tests/unit/test_link.c, test_tool_ifinfo.c) check the parsers against the set-up below.
#
#   lo      up, 127.0.0.1/8, ::1
#   va      veth, peer vb in the same namespace, 02:00:00:00:00:0a, up,
#           10.1.0.1/24, 10.1.0.9/24 label va:1 (a secondary), fd00::1/64 nodad
#   vb      veth, 02:00:00:00:00:0b, up, port of br0
#   br0     bridge, 02:00:00:00:00:b0, up, 10.2.0.1/24 brd 10.2.0.255
#   tun0    TUN, up without a reader (NO-CARRIER), mtu 1400, 10.3.0.1 peer 10.3.0.2
#   vdown   veth, down, its peer in another namespace (link_netnsid), 10.4.0.1/24 with
#           valid_lft 3600 preferred_lft 1800 (not permanent: "dynamic")
# IPv6 link-local addresses come from the fixed MACs (fe80::ff:fe00:a on va); DAD is off.
set -eu
cd "$(dirname "$0")/../../.."
FLOOR=${FLOOR:-build/bench/ifinfo_floor}
ns=ndcap-$$ other=ndcap-o-$$
trap 'ip netns del $ns 2>/dev/null; ip netns del $other 2>/dev/null' EXIT
ip netns add $ns
ip netns add $other
ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
	net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
ip -n $ns -batch - <<'B'
link set lo up
link add va address 02:00:00:00:00:0a type veth peer name vb address 02:00:00:00:00:0b
link add br0 address 02:00:00:00:00:b0 type bridge
link set vb master br0
link set va up
link set vb up
link set br0 up
tuntap add dev tun0 mode tun
link set tun0 mtu 1400 up
addr add 10.1.0.1/24 dev va
addr add 10.1.0.9/24 dev va label va:1
addr add fd00::1/64 dev va nodad
addr add 10.2.0.1/24 brd + dev br0
addr add 10.3.0.1 peer 10.3.0.2 dev tun0
B
ip -n $ns link add vdown type veth peer name vdpeer netns $other
ip -n $ns addr add 10.4.0.1/24 dev vdown valid_lft 3600 preferred_lft 1800
sleep 0.2
ip netns exec $ns "$FLOOR" -v -l tests/data/unit/rtnl_link.bin -a tests/data/unit/rtnl_addr.bin
ip -n $ns -j -s -d addr >tests/data/unit/rtnl_ip.json
