# tests/integration/tunpeer.sh — sourced after lib.sh by the tests that ping tests/peers/tunpeer:
# a namespace ($ns) with a TUN device tun0 (10.0.0.1/24, fd00::1/64) behind which the peer answers
# as 10.0.0.x / fd00::x, and
#   peer ARGS...   start tunpeer with ARGS on tun0, logging to $TMPD/log; wait until it is ready
#   stop_peer      stop the peer started last
#   n WORD         how many log lines start with WORD (what the peer did)
# Needs TMPD (nd_tmpdir TMPD) and the namespace's short name in TUNPEER_NS (default tp).
ns=$(nd_ns "${TUNPEER_NS:-tp}")
nd_tun "$ns" tun0
ip -n "$ns" addr add 10.0.0.1/24 dev tun0
ip -n "$ns" addr add fd00::1/64 dev tun0 nodad
ip -n "$ns" link set tun0 up

peer() {
	: >"$TMPD/log"
	nd_bg "$ns" "$ND_PEERS/tunpeer" -i tun0 --log "$TMPD/log" "$@"
	nd_wait_for 30 grep -q ready "$TMPD/log"
}
stop_peer() { kill "$ND_LAST_PID" 2>/dev/null; wait "$ND_LAST_PID" 2>/dev/null; }
n() { grep -c "^$1 " "$TMPD/log"; }
