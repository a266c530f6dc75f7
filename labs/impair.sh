#!/bin/bash
# labs/impair.sh — `labs/lab.sh impair`: a bad link on the router r, between h1's link (eth1) and
# the bridge (br0), in both directions.
#
#   labs/lab.sh impair [--delay MS] [--loss PCT] [--reorder PCT] [--dup PCT] [--drop-last-ack] [--seed N]
#   labs/lab.sh impair             (no options) back to a perfect link
#
# With sch_netem in the kernel, tc netem on eth1 and br0 does it, unless --drop-last-ack (netem
# cannot pick a segment) or --seed (a repeatable run is the forwarder's promise: netem draws its own
# random numbers, and Debian 12's tc has no netem seed) is given.  Otherwise (or with
# LAB_IMPAIR=forwarder), the labs' own forwarder does:
# policy routing on r sends what goes from eth1 to the bridge's subnet, and back, into the TUN
# device imp0, where labimpair (labs/router/) delays, drops, duplicates or holds back each packet,
# raises its TTL by one (so the extra hop does not show) and writes it back for r to route on.
#   --delay MS       every packet waits MS ms (each direction)
#   --loss PCT       PCT % of packets vanish
#   --reorder PCT    PCT % wait max(MS, 10) ms more, so packets behind them overtake them
#   --dup PCT        PCT % arrive twice
#   --drop-last-ack  the last ACK of every TCP close (the first closer's ACK of the second FIN)
#                    is dropped once per connection: the passive closer retransmits its FIN
#   --seed N         the same seed and the same packets give the same losses (for checkers)
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
P=${LAB_PREFIX:-lab}
R=$P-r
BIN=${BIN:-$ROOT/build/bin}
LABBIN=${LABBIN:-$(dirname "$BIN")/labs}
STATE=/run/netdiag-labs/$P
TABLE=200

die() {
	echo "lab.sh impair: $*" >&2
	exit 2
}

pct_re='^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$'
args=() desc=() delay=0 loss=0 reorder=0 dup=0 lastack=0 seed=
while [ $# -gt 0 ]; do
	case $1 in
	--delay | --loss | --reorder | --dup | --seed)
		[ $# -ge 2 ] || die "$1 wants a value"
		case $1 in
		--delay)
			if ! [[ $2 =~ ^[0-9]{1,5}$ ]] || [ "$2" -gt 60000 ]; then
				die "--delay wants milliseconds 0..60000, not '$2'"
			fi
			delay=$2 ;;
		--seed) [[ $2 =~ ^[0-9]{1,19}$ ]] || die "--seed wants a whole number, not '$2'"
			seed=$2 ;;
		*) [[ $2 =~ $pct_re ]] || die "$1 wants a percentage 0..100, not '$2'"
			case $1 in --loss) loss=$2 ;; --reorder) reorder=$2 ;; --dup) dup=$2 ;; esac ;;
		esac
		args+=("$1" "$2")
		desc+=("$1 $2")
		shift 2
		;;
	--drop-last-ack)
		lastack=1
		args+=("$1")
		desc+=("$1")
		shift
		;;
	*) die "unknown option '$1' (--delay MS --loss PCT --reorder PCT --dup PCT --drop-last-ack --seed N)" ;;
	esac
done

[ -e "/run/netns/$R" ] || { echo "lab.sh impair: lab '$P' is not up: run 'labs/lab.sh up' first" >&2; exit 1; }
mkdir -p "$STATE"

# Back to a perfect link: routing first (so nothing goes into imp0 any more), then the forwarder.
clear_all() {
	local pid _
	while ip -n "$R" rule del pref 100 2>/dev/null; do :; done
	while ip -n "$R" -6 rule del pref 100 2>/dev/null; do :; done
	ip -n "$R" route flush table $TABLE 2>/dev/null
	ip -n "$R" -6 route flush table $TABLE 2>/dev/null
	# the forwarder we started, and any other labimpair in this lab's router (one left behind by an
	# interrupted impair still holds imp0)
	for pid in $(cat "$STATE/impair.pid" 2>/dev/null) $(ip netns pids "$R" 2>/dev/null); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = labimpair ] || continue
		kill "$pid" 2>/dev/null
		for _ in $(seq 30); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	done
	rm -f "$STATE/impair.pid"
	tc -n "$R" qdisc del dev eth1 root 2>/dev/null
	tc -n "$R" qdisc del dev br0 root 2>/dev/null
	rm -f "$STATE/impair"
}

has_netem() {
	tc -n "$R" qdisc add dev imp0 root netem delay 0ms 2>/dev/null || return 1
	tc -n "$R" qdisc del dev imp0 root 2>/dev/null
}

start_netem() {
	local dev opts=(delay "${delay}ms")
	[ "$loss" != 0 ] && opts+=(loss "$loss%")
	[ "$reorder" != 0 ] && opts+=(reorder "$reorder%")
	[ "$dup" != 0 ] && opts+=(duplicate "$dup%")
	for dev in eth1 br0; do
		tc -n "$R" qdisc add dev "$dev" root netem "${opts[@]}" || return 1
	done
}

start_forwarder() {
	local fwd=$LABBIN/router/labimpair pid _
	[ -x "$fwd" ] || die "no forwarder at $fwd: run 'make' first (or set LABBIN=)"
	# Empty the log first: the redirection below truncates it only once the background job runs,
	# and the loop below must never read the previous forwarder's lines (it would take their pid,
	# or find none once the truncation comes, and fail: 1 impair in 30 on a busy machine).
	: >"$STATE/impair.log"
	# setsid: a Ctrl-C in the terminal that ran `lab.sh impair` does not reach it.  Its first line
	# says it is attached to imp0 and gives its pid (setsid may have forked: $! is not always it).
	ip netns exec "$R" setsid "$fwd" --dev imp0 "${args[@]}" >"$STATE/impair.log" 2>&1 </dev/null &
	for _ in $(seq 100); do
		grep -q '^labimpair' "$STATE/impair.log" && break
		sleep 0.1
	done
	pid=$(sed -n 's/^labimpair on imp0 (pid \([0-9]*\)).*/\1/p' "$STATE/impair.log")
	[ -n "$pid" ] || { cat "$STATE/impair.log" >&2; return 1; }
	echo "$pid" >"$STATE/impair.pid"
	ip -n "$R" route add default dev imp0 table $TABLE &&
		ip -n "$R" -6 route add default dev imp0 table $TABLE &&
		ip -n "$R" rule add pref 100 iif eth1 to 10.200.2.0/24 lookup $TABLE &&
		ip -n "$R" rule add pref 100 iif br0 to 10.200.1.0/24 lookup $TABLE &&
		ip -n "$R" -6 rule add pref 100 iif eth1 to fd00:200:2::/64 lookup $TABLE &&
		ip -n "$R" -6 rule add pref 100 iif br0 to fd00:200:1::/64 lookup $TABLE
}

clear_all
if [ ${#args[@]} -eq 0 ]; then
	echo "impairment: none (a perfect link)"
	exit 0
fi
mode=${LAB_IMPAIR:-auto}
case $mode in
auto) if [ $lastack = 0 ] && [ -z "$seed" ] && has_netem; then mode=netem; else mode=forwarder; fi ;;
netem | forwarder) ;;
*) die "LAB_IMPAIR is auto, netem or forwarder, not '$mode'" ;;
esac
[ "$mode" = netem ] && [ $lastack = 1 ] && die "tc netem cannot drop the last ACK: use LAB_IMPAIR=forwarder"
[ "$mode" = netem ] && [ -n "$seed" ] && die "tc netem cannot repeat a seeded run: use LAB_IMPAIR=forwarder"
if ! "start_$mode"; then
	clear_all
	echo "lab.sh impair: could not start the impairment ($mode)" >&2
	exit 1
fi
echo "${desc[*]} (by $mode)" >"$STATE/impair"
echo "impairment: ${desc[*]} on r between eth1 and br0, both directions (by $mode)"
