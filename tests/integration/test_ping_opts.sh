#!/bin/bash
# miniping's options, each checked against what the TUN peer (tests/peers/tunpeer) actually
# received and against iputils ping under the same conditions: Ctrl-C and SIGQUIT, -t/-Q (TTL,
# hop limit, ToS, traffic class as the peer saw them), -p and -s (payload as the peer saw it,
# the size limits), -I by address and by interface, -a, names vs -n (a namespace-private hosts
# file), -W, -w, -v, and the JSON timeout events.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_tmpdir TMPD
ns=$(nd_ns po)
nd_rm_at_exit "/etc/netns/$ns"

nd_tun "$ns" tun0
ip -n "$ns" addr add 10.0.0.1/24 dev tun0
ip -n "$ns" addr add 10.0.0.11/24 dev tun0
ip -n "$ns" addr add fd00::1/64 dev tun0 nodad
ip -n "$ns" addr add fd00::11/64 dev tun0 nodad
ip -n "$ns" link set tun0 up
# a second link, so -I by interface has a choice to make
nb=$(nd_ns pob)
nd_veth "$ns" va "$nb" vb
ip -n "$ns" addr add 10.79.0.1/24 dev va
ip -n "$nb" addr add 10.79.0.2/24 dev vb

peer() {
	: >"$TMPD/log"
	nd_bg "$ns" "$ND_PEERS/tunpeer" -i tun0 --log "$TMPD/log" "$@"
	PEER_PID=$ND_LAST_PID
	nd_wait_for 30 grep -q ready "$TMPD/log"
}
stop_peer() { kill "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null; }
jqq() { jq -e "$@" >/dev/null; }
summary() { grep -E '^[0-9]+ packets transmitted' | sed -E 's/, time [0-9]+ms//'; }
# what the peer logged about the requests, one field: field NAME -> sorted unique values
field() { grep -oE " $1=[^ ]*" "$TMPD/log" | sort -u | tr -d ' ' | paste -sd' '; }
# conditions for nd_wait_for, evaluated on every try
seen_ge() { [ "$(grep -c 'seq=' "$TMPD/log")" -ge "$1" ]; }
lines_ge() { [ "$(grep -c 'bytes from' "$1")" -ge "$2" ]; }
replies() { grep -E 'bytes from|^From' | sed -E 's/ time=[0-9.]+ ms//; s/ ident=[0-9]+//'; }

# --- Ctrl-C: the summary, and iputils' exit status (0 with replies, 1 without) ---------------
# run PROG in the background until the peer has seen 3 requests, then SIGINT; returns its status
sig_run() {
	local out=$1
	shift
	nd_bg "$ns" "$@" >"$out" 2>"$out.err"
	local pid=$ND_LAST_PID
	nd_wait_for 100 seen_ge 3
	sleep 0.05 # the third reply's line
	kill -INT "$pid"
	wait "$pid"
}
for drop in "" all; do
	want=1; [ -z "$drop" ] && want=0
	peer ${drop:+--drop $drop}; sig_run "$TMPD/m" "$M" -n -i 0.1 10.0.0.2; rc=$?; stop_peer
	peer ${drop:+--drop $drop}; sig_run "$TMPD/r" ping -n -i 0.1 10.0.0.2; rrc=$?; stop_peer
	what="SIGINT${drop:+, all dropped}"
	check_eq "$what: exit $want, as iputils (miniping, iputils)" "$want $want" "$rc $rrc"
	check "$what: the summary line" grep -qE '^[0-9]+ packets transmitted, [0-9]+ received' "$TMPD/m"
	tx=$(sed -nE 's/^([0-9]+) packets transmitted, ([0-9]+) received.*/\1 \2/p' "$TMPD/m")
	check_eq "$what: received = the reply lines printed" \
		"$(grep -c 'bytes from' "$TMPD/m")" "${tx#* }"
	check "$what: at least 3 sent" test "${tx% *}" -ge 3
	check "$what: rtt line present iff replies came" \
		test "$(grep -c '^rtt min' "$TMPD/m")" -eq $((1 - want))
	check_eq "$what: nothing on stderr" "" "$(cat "$TMPD/m.err")"
done

# --- SIGQUIT: one interim statistics line on stderr, the run goes on -------------------------
peer
nd_bg "$ns" "$M" -n -i 0.1 10.0.0.2 >"$TMPD/m" 2>"$TMPD/m.err"
pid=$ND_LAST_PID
nd_wait_for 100 lines_ge "$TMPD/m" 2
kill -QUIT "$pid"
nd_wait_for 50 test -s "$TMPD/m.err"
before=$(grep -c 'bytes from' "$TMPD/m")
nd_wait_for 100 lines_ge "$TMPD/m" $((before + 3))
kill -INT "$pid"; wait "$pid"; rc=$?
nd_bg "$ns" ping -n -i 0.1 10.0.0.2 >"$TMPD/r" 2>"$TMPD/r.err"
pid=$ND_LAST_PID
nd_wait_for 100 lines_ge "$TMPD/r" 2
kill -QUIT "$pid"
nd_wait_for 50 test -s "$TMPD/r.err"
kill -INT "$pid"; wait "$pid"
stop_peer
re=$'^\r?[0-9]+/[0-9]+ packets, [0-9]+% loss, min/avg/ewma/max = [0-9]+\\.[0-9]{3}/[0-9]+\\.[0-9]{3}/[0-9]+\\.[0-9]{3}/[0-9]+\\.[0-9]{3} ms$'
check "SIGQUIT: iputils' own interim line has the form we expect" grep -qE "$re" "$TMPD/r.err"
check_eq "SIGQUIT: one interim line on stderr, in iputils' form" 1 "$(grep -cE "$re" "$TMPD/m.err")"
check_eq "SIGQUIT: nothing else on stderr" 1 "$(wc -l <"$TMPD/m.err")"
check "SIGQUIT: the run went on (more replies after it), then exit 0 on SIGINT" \
	test "$(grep -c 'bytes from' "$TMPD/m")" -ge $((before + 3)) -a "$rc" -eq 0
check "SIGQUIT: stdout has no interim line" test "$(grep -c 'packets,' "$TMPD/m")" -eq 0

# --- -t and -Q: what the peer received, and the same as iputils sends ------------------------
for args in "-4 -t 7 -Q 40 10.0.0.2" "-6 -t 9 -Q 32 fd00::2" "-4 10.0.0.2" "-6 fd00::2"; do
	# shellcheck disable=SC2086
	{ peer; nd_in "$ns" "$M" -n -c 2 -i 0.1 $args >/dev/null; rc=$?; stop_peer; }
	mine="$(field ttl) $(field tos)"
	# shellcheck disable=SC2086
	{ peer; nd_in "$ns" ping -n -c 2 -i 0.1 $args >/dev/null; stop_peer; }
	check_eq "$args: exit 0" 0 "$rc"
	check_eq "$args: TTL/hop limit and ToS/traffic class at the peer as iputils'" \
		"$(field ttl) $(field tos)" "$mine"
done
peer; nd_in "$ns" "$M" -n -c 2 -i 0.1 -t 7 -Q 40 10.0.0.2 >/dev/null; stop_peer
check_eq "-t 7 -Q 40: the peer saw ttl=7 tos=40 on every request" "ttl=7 tos=40" "$(field ttl) $(field tos)"
peer; nd_in "$ns" "$M" -n -c 2 -i 0.1 -t 9 -Q 32 fd00::2 >/dev/null; stop_peer
check_eq "-6 -t 9 -Q 32: hop limit 9, traffic class 32 at the peer" "ttl=9 tos=32" "$(field ttl) $(field tos)"

# --- -p and -s: the payload the peer saw, byte for byte as iputils' -------------------------
for args in "-p abcdef -s 40" "-p ff -s 100" "-6 -p 0102030405 -s 64" "-s 0" "-s 8" "-s 17"; do
	dst=10.0.0.2; case $args in -6*) dst=fd00::2 ;; esac
	# shellcheck disable=SC2086
	{ peer; out=$(nd_in "$ns" "$M" -n -c 2 -i 0.1 $args $dst); rc=$?; stop_peer; }
	mine="$(field len) $(field data)"
	# shellcheck disable=SC2086
	{ peer; ref=$(nd_in "$ns" ping -n -c 2 -i 0.1 $args $dst); stop_peer; }
	check_eq "$args: exit 0" 0 "$rc"
	check_eq "$args: length and data bytes 16-31 at the peer as iputils'" \
		"$(field len) $(field data)" "$mine"
	check_eq "$args: reply lines as iputils (times aside)" "$(replies <<<"$ref")" "$(replies <<<"$out")"
done
peer; nd_in "$ns" "$M" -n -c 1 -p abcdef -s 40 10.0.0.2 >/dev/null; stop_peer
check_eq "-p abcdef -s 40: the peer saw 40 bytes, the pattern in phase after the send time" \
	"len=40 data=cdefabcdefabcdefabcdefabcdefabcd" "$(field len) $(field data)"

# -s at the limits, over the veth link (the kernel fragments and reassembles)
for args in "-4 -s 65507 10.79.0.2" "-6 -s 65527 fd79::2"; do
	[ "${args#-6}" != "$args" ] && { ip -n "$ns" addr add fd79::1/64 dev va nodad 2>/dev/null
		ip -n "$nb" addr add fd79::2/64 dev vb nodad 2>/dev/null; }
	# shellcheck disable=SC2086
	out=$(nd_in "$ns" timeout 10 "$M" -n -c 1 -W 2 $args); rc=$?
	# shellcheck disable=SC2086
	ref=$(nd_in "$ns" timeout 10 ping -n -c 1 -W 2 $args); rrc=$?
	check_eq "$args: exit status as iputils (0)" "0 $rrc" "$rc 0"
	check_eq "$args: header and reply line as iputils" \
		"$(head -1 <<<"$ref"; replies <<<"$ref")" "$(head -1 <<<"$out"; replies <<<"$out")"
done
check "-s 65507: the reply is 65515 bytes" grep -q '^65515 bytes from 10.79.0.2' <<<"$(nd_in "$ns" "$M" -n -c 1 -s 65507 10.79.0.2)"
for args in "-4 -s 65508 10.79.0.2" "-6 -s 65528 fd79::2" "-s 65508 10.79.0.2"; do
	# shellcheck disable=SC2086
	err=$(nd_in "$ns" timeout 5 "$M" -c 1 $args 2>&1 >/dev/null); rc=$?
	check_eq "$args: refused, exit 2, one line" "2 1" "$rc $(grep -c '^miniping: invalid -s value' <<<"$err")"
done
out=$(nd_in "$ns" timeout 5 "$M" -6 -c 1 -n -s 65508 fd79::2); rc=$?
check_eq "-6 -s 65508 is within IPv6's limit: exit 0" 0 "$rc"

# --- -I: by source address (the peer sees it) and by interface (it picks the route) ----------
peer; out=$(nd_in "$ns" "$M" -n -c 2 -i 0.1 -I 10.0.0.11 10.0.0.2); rc=$?; stop_peer
mine=$(field src)
peer; ref=$(nd_in "$ns" ping -n -c 2 -i 0.1 -I 10.0.0.11 10.0.0.2); stop_peer
check_eq "-I 10.0.0.11: the peer saw that source; exit 0" "src=10.0.0.11 0" "$mine $rc"
check_eq "-I 10.0.0.11: header and summary as iputils" \
	"$(head -1 <<<"$ref"; summary <<<"$ref")" "$(head -1 <<<"$out"; summary <<<"$out")"
peer; out=$(nd_in "$ns" "$M" -6 -n -c 2 -i 0.1 -I fd00::11 fd00::2); rc=$?; stop_peer
mine=$(field src)
peer; ref=$(nd_in "$ns" ping -6 -n -c 2 -i 0.1 -I fd00::11 fd00::2); stop_peer
check_eq "-6 -I fd00::11: the peer saw that source; exit 0" "src=fd00::11 0" "$mine $rc"
check_eq "-6 -I fd00::11: header as iputils" "$(head -1 <<<"$ref")" "$(head -1 <<<"$out")"
peer; out=$(nd_in "$ns" "$M" -n -c 2 -i 0.1 -I tun0 10.0.0.2); rc=$?; stop_peer
check_eq "-I tun0: two requests reached the peer; exit 0" "2 0" "$(grep -c '^reply' "$TMPD/log") $rc"
peer; ref=$(nd_in "$ns" ping -n -c 2 -i 0.1 -I tun0 10.0.0.2 2>/dev/null); stop_peer
check_eq "-I tun0: header as iputils" "$(head -1 <<<"$ref")" "$(head -1 <<<"$out")"
peer
err=$(nd_in "$ns" timeout 5 "$M" -n -c 1 -W 1 -I va 10.0.0.2 2>&1); rc=$?
rerr=$(nd_in "$ns" timeout 5 ping -n -c 1 -W 1 -I va 10.0.0.2 2>&1); rrc=$?
stop_peer
check_eq "-I va (10.0.0.2 is not behind it): exit status as iputils" "$rrc" "$rc"
check_eq "-I va: header as iputils" "$(head -1 <<<"$rerr")" "$(head -1 <<<"$err")"
check_eq "-I va: nothing reached the TUN peer" 0 "$(grep -c 'seq=' "$TMPD/log")"

# --- -a: one bell per reply, as iputils ------------------------------------------------------
peer; out=$(nd_in "$ns" "$M" -a -n -c 3 -i 0.1 10.0.0.2 | od -An -c); stop_peer
peer; ref=$(nd_in "$ns" ping -a -n -c 3 -i 0.1 10.0.0.2 | od -An -c); stop_peer
check_eq "-a: three bells, as iputils" "3 $(grep -o '\\a' <<<"$ref" | wc -l)" "$(grep -o '\\a' <<<"$out" | wc -l) 3"

# --- names: a hosts file private to the namespace (ip netns exec mounts /etc/netns/NS/hosts) --
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1 localhost\n10.0.0.2 tunpeer.test\nfd00::2 tunpeer6.test\n' >"/etc/netns/$ns/hosts"
for args in "tunpeer.test" "-n tunpeer.test" "-6 tunpeer6.test" "-6 -n tunpeer6.test"; do
	# shellcheck disable=SC2086
	{ peer; out=$(nd_in "$ns" "$M" -c 2 -i 0.1 $args); rc=$?; stop_peer; }
	# shellcheck disable=SC2086
	{ peer; ref=$(nd_in "$ns" ping -c 2 -i 0.1 $args); stop_peer; }
	check_eq "$args: exit 0" 0 "$rc"
	check_eq "$args: header, reply lines and summary header as iputils" \
		"$(head -1 <<<"$ref"; replies <<<"$ref"; grep '^---' <<<"$ref")" \
		"$(head -1 <<<"$out"; replies <<<"$out"; grep '^---' <<<"$out")"
done
peer; out=$(nd_in "$ns" "$M" -c 1 tunpeer.test); stop_peer
check "a name: replies say 'from tunpeer.test (10.0.0.2)'" grep -q '^64 bytes from tunpeer.test (10.0.0.2): icmp_seq=1' <<<"$out"
peer; out=$(nd_in "$ns" "$M" -n -c 1 tunpeer.test); stop_peer
check "-n: replies say 'from 10.0.0.2'" grep -q '^64 bytes from 10.0.0.2: icmp_seq=1' <<<"$out"

# --- -W: a reply later than -W is not waited for (peer delays 400 ms), as iputils ------------
for w in 0.15 1.5; do
	peer --delay 400; out=$(nd_in "$ns" "$M" -n -c 1 -W $w 10.0.0.2); rc=$?; stop_peer
	peer --delay 400; ref=$(nd_in "$ns" ping -n -c 1 -W $w 10.0.0.2); rrc=$?; stop_peer
	check_eq "-W $w with a 400 ms reply: exit status as iputils" "$rrc" "$rc"
	check_eq "-W $w with a 400 ms reply: summary as iputils" "$(summary <<<"$ref")" "$(summary <<<"$out")"
done

# --- -w: deadline exit codes as iputils ------------------------------------------------------
for f in "" "--drop all" "--drop 2-100" "--unreach all"; do
	# shellcheck disable=SC2086
	{ peer $f; out=$(nd_in "$ns" "$M" -n -w 1 -i 0.2 10.0.0.2); rc=$?; stop_peer; }
	# shellcheck disable=SC2086
	{ peer $f; ref=$(nd_in "$ns" ping -n -w 1 -i 0.2 10.0.0.2); rrc=$?; stop_peer; }
	check_eq "-w 1, peer ${f:-answers}: exit status as iputils" "$rrc" "$rc"
	r=$(summary <<<"$out" | sed -E 's/^[0-9]+ packets transmitted, ([0-9]+) received.*/\1/')
	rr=$(summary <<<"$ref" | sed -E 's/^[0-9]+ packets transmitted, ([0-9]+) received.*/\1/')
	check "-w 1, peer ${f:-answers}: received $r, iputils $rr (zero iff zero)" \
		test $((r > 0)) -eq $((rr > 0))
done
peer; out=$(nd_in "$ns" "$M" -n -c 3 -w 5 -i 0.1 10.0.0.2); rc=$?; stop_peer
check_eq "-c 3 -w 5: stops at 3 replies, exit 0" "3 packets transmitted, 3 received, 0% packet loss 0" \
	"$(summary <<<"$out") $rc"

# --- -v: other ICMP messages are listed (the peer sends a Timestamp Reply after seq 2) --------
peer --stray 2; out=$(nd_in "$ns" "$M" -v -n -c 3 -i 0.1 10.0.0.2 2>/dev/null); rc=$?; stop_peer
check_eq "-v: the stray Timestamp Reply is listed once" "From 10.0.0.2: Timestamp Reply" "$(grep '^From' <<<"$out")"
check_eq "-v: the peer sent exactly one stray" 1 "$(grep -c '^stray' "$TMPD/log")"
check_eq "-v: counts unaffected, exit 0" "3 packets transmitted, 3 received, 0% packet loss 0" "$(summary <<<"$out") $rc"
check "-v: ident= in reply lines" grep -qE '^64 bytes from 10.0.0.2: icmp_seq=1 ident=[0-9]+ ttl=64' <<<"$out"
peer --stray 2; ref=$(nd_in "$ns" ping -v -n -c 3 -i 0.1 10.0.0.2 2>/dev/null); stop_peer
check_eq "-v: reply lines as iputils -v (ident and times aside)" \
	"$(grep 'bytes from' <<<"$ref" | replies)" "$(grep 'bytes from' <<<"$out" | replies)"
peer --stray 2; out=$(nd_in "$ns" "$M" -n -c 3 -i 0.1 10.0.0.2); stop_peer
check_eq "without -v: the stray is not shown" 0 "$(grep -c '^From' <<<"$out")"
peer --stray 2; out=$(nd_in "$ns" "$M" --json -v -n -c 3 -i 0.1 10.0.0.2 2>/dev/null); stop_peer
check_eq "-v --json: one 'other' event, type 14" "14 Timestamp Reply" \
	"$(jq -r 'select(.event == "other") | "\(.type) \(.message)"' <<<"$out")"

# --- JSON timeout events: no reply within -W -------------------------------------------------
peer --delay 300
out=$(nd_in "$ns" "$M" --json -n -c 2 -i 0.5 -W 0.1 10.0.0.2); stop_peer
check "timeout: every line is JSON" jqq . <<<"$out"
check_eq "timeout: both requests timed out (300 ms > -W 0.1)" "1 2" \
	"$(jq -r 'select(.event == "timeout") | .seq' <<<"$out" | paste -sd' ')"
check "timeout: each waited at least -W (100 ms) and less than the delay" \
	jqq -s '[.[] | select(.event == "timeout") | .waited_ms >= 100 and .waited_ms < 300] == [true, true]' <<<"$out"
check_eq "timeout: the late replies are replies, marked late" "1 true|2 true" \
	"$(jq -r 'select(.event == "reply") | "\(.seq) \(.late)"' <<<"$out" | paste -sd'|')"
# seq 1: sent 0, timeout 100, reply 300; seq 2: sent 500, timeout 600, reply 800 (waited for:
# after the last request miniping waits twice the longest RTT, as iputils)
check_eq "timeout: the events in time order" "start timeout reply timeout reply summary" \
	"$(jq -r .event <<<"$out" | paste -sd' ')"
peer --delay 50
out=$(nd_in "$ns" "$M" --json -n -c 3 -i 0.1 -W 1 10.0.0.2); stop_peer
check_eq "timeout: none when every reply comes within -W" "0 3" \
	"$(jq -s '[.[] | select(.event == "timeout")] | length' <<<"$out") $(jq -s '[.[] | select(.event == "reply" and .late != true)] | length' <<<"$out")"
peer --unreach 2 --drop 3
out=$(nd_in "$ns" "$M" --json -n -c 3 -i 0.1 -W 0.3 10.0.0.2); stop_peer
check_eq "timeout: an error answers its request (no timeout for seq 2), the dropped seq 3 times out" \
	"error 2|timeout 3" \
	"$(jq -r 'select(.event == "error" or .event == "timeout") | "\(.event) \(.seq)"' <<<"$out" | paste -sd'|')"
[ "$ND_FAILS" -eq 0 ]
