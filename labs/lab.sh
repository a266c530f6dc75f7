#!/bin/bash
# labs/lab.sh up|down|status|sh HOST [CMD...] — the classroom topology for the netdiag labs.
#
#   h1 ──veth── h2          10.200.1.1/24  <->  10.200.1.2/24     fd00:200:1::1/64 <-> ::2/64
#   h1 ──tun──  (tunpeer)   10.200.9.0/24 routed into a TUN device in h1, answered by
#                           tests/peers/tunpeer with faults you choose (FAULTS="--drop 3,5 ...")
#
# Names carry $LAB_PREFIX (default "lab") so that two copies can coexist. Everything lives in
# namespaces this script makes; nothing touches the host's own interfaces. `down` removes it all.
set -u
cd "$(dirname "$0")/.." || exit 2
P=${LAB_PREFIX:-lab}
H1=$P-h1 H2=$P-h2
BIN=${BIN:-$PWD/build/bin}
PEERS=${PEERS:-$PWD/build/peers}
PIDFILE=/run/netdiag-$P-tunpeer.pid

up() {
	ip netns add "$H1" && ip netns add "$H2" || exit 2
	ip -n "$H1" link set lo up
	ip -n "$H2" link set lo up
	ip -n "$H1" link add eth0 type veth peer name eth0 netns "$H2"
	ip -n "$H1" addr add 10.200.1.1/24 dev eth0
	ip -n "$H2" addr add 10.200.1.2/24 dev eth0
	ip -n "$H1" addr add fd00:200:1::1/64 dev eth0 nodad
	ip -n "$H2" addr add fd00:200:1::2/64 dev eth0 nodad
	ip -n "$H1" link set eth0 up
	ip -n "$H2" link set eth0 up
	ip -n "$H1" tuntap add dev tun0 mode tun
	ip -n "$H1" addr add 10.200.9.1/24 dev tun0
	ip -n "$H1" link set tun0 up
	if [ -x "$PEERS/tunpeer" ]; then
		# shellcheck disable=SC2086
		ip netns exec "$H1" "$PEERS/tunpeer" -i tun0 ${FAULTS:-} --log "/run/netdiag-$P-tunpeer.log" &
		echo $! >"$PIDFILE"
	fi
	echo "up: $H1 (10.200.1.1, fd00:200:1::1) <-> $H2 (10.200.1.2, fd00:200:1::2); 10.200.9.0/24 via tunpeer"
}

down() {
	[ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null
	rm -f "$PIDFILE" "/run/netdiag-$P-tunpeer.log"
	for ns in "$H1" "$H2"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	echo "down: $H1 $H2 removed"
}

case "${1:-}" in
up) up ;;
down) down ;;
status) ip netns list | grep -E "^($H1|$H2)( |$)" || echo "not up" ;;
sh)
	[ $# -ge 2 ] || { echo "usage: $0 sh h1|h2 [CMD...]" >&2; exit 2; }
	ns=$P-$2
	shift 2
	[ $# -gt 0 ] || set -- bash
	PATH=$BIN:$PATH exec ip netns exec "$ns" "$@"
	;;
*) echo "usage: $0 up|down|status|sh HOST [CMD...]" >&2; exit 2 ;;
esac
