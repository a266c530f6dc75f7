#!/bin/bash
# The harness itself: namespaces are made, linked, and removed again.
. "$(dirname "$0")/lib.sh"

a=$(nd_ns a)
b=$(nd_ns b)
check "namespace a exists" ip netns exec "$a" true
nd_veth "$a" va "$b" vb
ip -n "$a" addr add 10.99.0.1/24 dev va
ip -n "$b" addr add 10.99.0.2/24 dev vb
check "veth pair carries a ping between the namespaces" nd_in "$a" ping -c1 -W2 -q 10.99.0.2
nd_tun "$a" tun0
check_eq "TUN device is a tun" "tun" "$(ip -n "$a" -j -d link show tun0 | jq -r '.[0].linkinfo.info_kind')"
check_status "check_status sees a failing command" 1 false
