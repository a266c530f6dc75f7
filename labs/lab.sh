#!/bin/bash
# labs/lab.sh — the classroom topology for the netdiag labs, and the labs' checker.
#
#   labs/lab.sh up | down | status
#   labs/lab.sh sh HOST [CMD...]          HOST = h1 r h2 h3 h4; a shell (prompt [lab:h1]) or one command
#   labs/lab.sh impair [--delay MS] [--loss PCT] [--reorder PCT] [--dup PCT] [--drop-last-ack] [--seed N]
#   labs/lab.sh check N|all [--json] [--student FILE]
#
#  h1 eth0 10.200.1.2/24 fd00:200:1::2/64 ──── eth1 r 10.200.1.1 fd00:200:1::1
#                                              r br0 10.200.2.1/24 fd00:200:2::1/64 (a bridge)
#                                               ├── h2 eth0 10.200.2.2 fd00:200:2::2
#                                               ├── h3 eth0 10.200.2.3 fd00:200:2::3
#                                               └── h4 eth0 10.200.2.4 fd00:200:2::4
#  r forwards IPv4 and IPv6; 10.200.3.0/24 is a black hole on r (no answer, no ICMP).
#
# Every name carries $LAB_PREFIX (default "lab": namespaces lab-h1, lab-r, ...), so several students
# share one machine with LAB_PREFIX=alice, LAB_PREFIX=bob.  Links live only inside those namespaces;
# nothing touches the host's own interfaces.  Tools come from $BIN (default build/bin), the labs'
# programs from $LABBIN (default the labs/ dir beside $BIN).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
P=${LAB_PREFIX:-lab}
HOSTS=(h1 r h2 h3 h4)
BIN=${BIN:-$ROOT/build/bin}
LABBIN=${LABBIN:-$(dirname "$BIN")/labs}
STATE=/run/netdiag-labs/$P
export LAB_PREFIX=$P BIN LABBIN

die() {
	echo "lab.sh: $*" >&2
	exit 2
}

[[ $P =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$ ]] || die "LAB_PREFIX '$P': letters, digits, _ . - only (at most 40)"

ns_of() { echo "$P-$1"; }
ns_exists() { [ -e "/run/netns/$1" ]; }

# Refuse when this shell runs inside a lab namespace: `down` there would end the shell itself.
refuse_inside() {
	local me
	me=$(ip netns identify $$ 2>/dev/null)
	if [ -n "${LAB_HOST:-}" ] || [[ $me =~ -(h1|h2|h3|h4|r)$ ]]; then
		die "you are inside a lab namespace (${me:-$LAB_HOST}); run '$1' from the host's own shell"
	fi
}

# nsrun NS CMD... — run CMD in the namespace NS.
nsrun() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

up() {
	refuse_inside up
	local h ns
	for h in "${HOSTS[@]}"; do
		ns_exists "$(ns_of "$h")" && die "lab '$P' is already up ($(ns_of "$h") exists); 'labs/lab.sh down' first"
	done
	mkdir -p "$STATE" || die "cannot create $STATE"
	# a lab whose namespace names vanished without `down`: end what still runs in it first
	[ -f "$STATE/inodes" ] && end_processes
	rm -f "$STATE/inodes"
	for h in "${HOSTS[@]}"; do
		ns=$(ns_of "$h")
		ip netns add "$ns" || { down >/dev/null 2>&1; die "cannot create namespace $ns"; }
		# the inode names the namespace even after its name is gone; `down` matches processes by it
		stat -L -c %i "/run/netns/$ns" >>"$STATE/inodes"
		nsrun "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
		ip -n "$ns" link set lo up
	done
	if ! build_links; then
		down >/dev/null 2>&1
		die "could not build the topology"
	fi
	wait_links_up
	echo "up: $P-h1 10.200.1.2 -- $P-r 10.200.1.1 | 10.200.2.1 br0 -- $P-h2 .2, $P-h3 .3, $P-h4 .4"
}

# Checksum and segmentation offload off on one end of a link (when ethtool is there): tcpdump then
# shows the checksums the wire carries and segments no larger than the MSS, as on real hardware.
offload_off() {
	command -v ethtool >/dev/null || return 0
	nsrun "$1" ethtool -K "$2" tx off gso off gro off >/dev/null 2>&1
	return 0
}

# The links, addresses and routes of the diagram at the top.
build_links() {
	local h1 r i h
	h1=$(ns_of h1) r=$(ns_of r)
	ip -n "$h1" link add eth0 type veth peer name eth1 netns "$r" || return 1
	ip -n "$h1" addr add 10.200.1.2/24 brd + dev eth0 &&
		ip -n "$h1" addr add fd00:200:1::2/64 dev eth0 nodad &&
		ip -n "$h1" link set eth0 up &&
		ip -n "$r" addr add 10.200.1.1/24 brd + dev eth1 &&
		ip -n "$r" addr add fd00:200:1::1/64 dev eth1 nodad &&
		ip -n "$r" link set eth1 up || return 1
	# multicast snooping off: a multicast frame reaches every host on the bridge, as on a hub
	ip -n "$r" link add br0 type bridge mcast_snooping 0 &&
		ip -n "$r" addr add 10.200.2.1/24 brd + dev br0 &&
		ip -n "$r" addr add fd00:200:2::1/64 dev br0 nodad &&
		ip -n "$r" link set br0 up || return 1
	for i in 2 3 4; do
		h=$(ns_of "h$i")
		ip -n "$r" link add "veth-h$i" type veth peer name eth0 netns "$h" &&
			ip -n "$r" link set "veth-h$i" master br0 up &&
			ip -n "$h" addr add "10.200.2.$i/24" brd + dev eth0 &&
			ip -n "$h" addr add "fd00:200:2::$i/64" dev eth0 nodad &&
			ip -n "$h" link set eth0 up &&
			ip -n "$h" route add default via 10.200.2.1 &&
			ip -n "$h" -6 route add default via fd00:200:2::1 || return 1
	done
	ip -n "$h1" route add default via 10.200.1.1 &&
		ip -n "$h1" -6 route add default via fd00:200:1::1 || return 1
	ip -n "$r" route add blackhole 10.200.3.0/24 || return 1
	offload_off "$h1" eth0
	offload_off "$r" eth1
	for i in 2 3 4; do
		offload_off "$r" "veth-h$i"
		offload_off "$(ns_of "h$i")" eth0
	done
	# imp0: the TUN device the impairment forwarder reads (unused until `impair`)
	ip -n "$r" tuntap add dev imp0 mode tun &&
		ip -n "$r" link set imp0 addrgenmode none &&
		ip -n "$r" link set imp0 up txqueuelen 1000 || return 1
	nsrun "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.imp0.rp_filter=0 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.eth1.send_redirects=0 net.ipv4.conf.br0.send_redirects=0 >/dev/null
}

# Wait (up to 3 s) until every link of the lab is operationally up: the kernel marks a new link's
# carrier a moment after `ip link set up`, and a first packet sent before that waits a whole
# neighbour-discovery retry (1 s) for an answer.
wait_links_up() {
	local _ i
	for _ in $(seq 60); do
		{
			ip -n "$(ns_of h1)" -o link show eth0
			ip -n "$(ns_of r)" -o link show
			for i in 2 3 4; do ip -n "$(ns_of "h$i")" -o link show eth0; done
		} | grep -E ' (eth[0-9]|br0|veth-h[0-9])[@:]' | grep -qv 'state UP' || return 0
		sleep 0.05
	done
}

# The pids whose network namespace has one of the inodes given.
pids_in_inodes() {
	local want=" $* " ino path
	stat -L -c '%i %n' /proc/[0-9]*/ns/net 2>/dev/null | while read -r ino path; do
		[[ $want == *" $ino "* ]] || continue
		path=${path#/proc/}
		echo "${path%%/*}"
	done
}

# The pids running in the lab: in every named namespace of the lab, and in a namespace whose name
# is gone (recorded at `up`) when the process carries this lab's LAB_PREFIX (a shell of `lab.sh sh`).
lab_pids() {
	local named=() orphan=() h ns ino p
	for h in "${HOSTS[@]}"; do
		ns=$(ns_of "$h")
		ns_exists "$ns" && named+=("$(stat -L -c %i "/run/netns/$ns")")
	done
	if [ -f "$STATE/inodes" ]; then
		while read -r ino; do
			[[ " ${named[*]} " == *" $ino "* ]] || orphan+=("$ino")
		done <"$STATE/inodes"
	fi
	[ ${#named[@]} -gt 0 ] && pids_in_inodes "${named[@]}"
	if [ ${#orphan[@]} -gt 0 ]; then
		for p in $(pids_in_inodes "${orphan[@]}"); do
			tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "LAB_PREFIX=$P" && echo "$p"
		done
	fi
}

# End every process of the lab: HUP and TERM (an interactive shell ignores TERM), CONT for stopped
# jobs, a grace of up to 2 s, then KILL, and wait until none is left.
end_processes() {
	local pids _
	pids=$(lab_pids | grep -vx "$$")
	[ -z "$pids" ] && return 0
	# shellcheck disable=SC2086
	kill -HUP $pids 2>/dev/null
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	# shellcheck disable=SC2086
	kill -CONT $pids 2>/dev/null
	for _ in $(seq 20); do
		pids=$(lab_pids | grep -vx "$$")
		[ -z "$pids" ] && return 0
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
	for _ in $(seq 50); do
		pids=$(lab_pids | grep -vx "$$")
		[ -z "$pids" ] && return 0
		sleep 0.1
	done
	echo "lab.sh: processes still alive: $pids" >&2
	return 1
}

down() {
	refuse_inside down
	local h ns rc=0
	end_processes || rc=1
	for h in "${HOSTS[@]}"; do
		ns=$(ns_of "$h")
		if ns_exists "$ns"; then
			ip netns del "$ns" || rc=1
		fi
	done
	rm -rf "$STATE"
	echo "down: lab '$P' removed"
	return $rc
}

status() {
	local h ns any=0
	for h in "${HOSTS[@]}"; do
		ns=$(ns_of "$h")
		if ns_exists "$ns"; then
			any=1
			echo "$ns: up, $(ip netns pids "$ns" 2>/dev/null | wc -l) processes"
		else
			echo "$ns: not up"
		fi
	done
	if [ -f "$STATE/impair" ]; then
		echo "impairment: $(cat "$STATE/impair")"
		[ -f "$STATE/impair.log" ] && sed 's/^/  /' "$STATE/impair.log" | tail -n 5
	elif [ $any = 1 ]; then
		echo "impairment: none"
	fi
	[ $any = 1 ]
}

sh_cmd() {
	[ $# -ge 1 ] || die "usage: lab.sh sh h1|r|h2|h3|h4 [CMD...]"
	local host=$1 ns
	shift
	[[ " ${HOSTS[*]} " == *" $host "* ]] || die "unknown host '$host' (h1 r h2 h3 h4)"
	ns=$(ns_of "$host")
	ns_exists "$ns" || { echo "lab.sh: lab '$P' is not up: run 'labs/lab.sh up' first" >&2; exit 1; }
	[ -x "$BIN/ifinfo" ] || echo "lab.sh: no tools in $BIN (run 'make', or set BIN=)" >&2
	if [ $# -eq 0 ]; then
		set -- bash --rcfile "$ROOT/labs/lab.bashrc" -i
	fi
	exec ip netns exec "$ns" env LAB_PREFIX="$P" LAB_HOST="$host" \
		PATH="$LABBIN:$BIN:$PATH" "$@"
}

case "${1:-}" in
-h | --help | help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
up) up ;;
down) down ;;
status) status ;;
sh) shift && sh_cmd "$@" ;;
impair) shift && exec "$ROOT/labs/impair.sh" "$@" ;;
check) shift && exec "$ROOT/labs/check/run.sh" "$@" ;;
*) die "usage: lab.sh up|down|status|sh HOST [CMD...]|impair [OPTIONS]|check N|all [--json] [--student FILE]" ;;
esac
