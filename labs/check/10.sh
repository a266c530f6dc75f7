#!/bin/bash
# labs/check/10.sh — lab 10, TIME_WAIT and the four-way close.  Every claim of
# labs/10-time-wait.md, one line each.  tcp_steps runs on h1 (client) and h2 (server), driven
# through FIFOs as a student types its commands; TIME-WAIT's 60 s are read from connstat -o's
# countdown, never waited out.
# shellcheck source=labs/check/lib.sh
. "$(dirname "$0")/lib.sh"
lab_up

SRV=10.200.2.2

# states HOST PORT — the TCP states of HOST's connections to or from PORT, space-separated.
states() {
	on "$1" connstat -tn "sport = :$2 or dport = :$2" | awk 'NR > 2 { printf "%s%s", s, $6; s = " " }'
}
state_is() { [ "$(states "$1" "$2")" = "$3" ]; }
# twtimer HOST PORT — seconds left on the TIME_WAIT timer of connstat -o ("timewait (59.69/0/0)").
twtimer() {
	on "$1" connstat -tno "sport = :$2 or dport = :$2" |
		awk '$6 == "TIME_WAIT" { t = $8; gsub(/[(]/, "", t); split(t, a, "/"); print a[1] }'
}
now() { date +%s.%N; }

# A pair of tcp_steps on PORT: h2 listens (with FLAGS), h1 connects.  Commands go in through
# FIFOs on fds 7 (h2) and 8 (h1), held open here so that neither end sees end-of-input early.
start_pair() {
	local port=$1 flags=${2:-}
	rm -f "$LAB_TMP/h1.in" "$LAB_TMP/h2.in"
	mkfifo "$LAB_TMP/h1.in" "$LAB_TMP/h2.in"
	exec 7<>"$LAB_TMP/h2.in" 8<>"$LAB_TMP/h1.in"
	# bash gives a background command /dev/null for stdin unless the command itself redirects
	# it, so the FIFO is opened inside sh -c (which then execs tcp_steps: $BG_PID stays its pid)
	# shellcheck disable=SC2016
	bg h2 sh -c 'exec tcp_steps $1 listen "$2" <"$3"' sh "$flags" "$port" "$LAB_TMP/h2.in" \
		>"$LAB_TMP/h2-$port.out" 2>&1
	H2PID=$BG_PID
	wait_for 5 on h2 sh -c "connstat -tln 'sport = :$port' | grep -q LISTEN"
	# shellcheck disable=SC2016
	bg h1 sh -c 'exec tcp_steps connect "$1" "$2" <"$3"' sh "$SRV" "$port" "$LAB_TMP/h1.in" \
		>"$LAB_TMP/h1-$port.out" 2>&1
	H1PID=$BG_PID
	wait_for 5 grep -q 'connect() returned 0' "$LAB_TMP/h1-$port.out"
}
# say HOST PORT COMMAND TEXT — type COMMAND into HOST's tcp_steps; wait until its output shows TEXT.
say() {
	local fd=8
	[ "$1" = h2 ] && fd=7
	echo "$3" >&"$fd"
	wait_for 5 grep -q -- "$4" "$LAB_TMP/$1-$2.out"
}
end_pair() {
	kill "$H1PID" "$H2PID" 2>/dev/null
	wait "$H1PID" "$H2PID" 2>/dev/null
	exec 7>&- 8>&-
}

# --- 1. the four-way close, one state at a time (port 7010) ------------------------------------
start_pair 7010
wait_for 5 state_is h2 7010 ESTABLISHED
claim_eq "after connect() both ends are ESTABLISHED" "ESTABLISHED ESTABLISHED" \
	"$(states h1 7010) $(states h2 7010)"

say h1 7010 fill "buffers are full"
say h1 7010 shutdown "shutdown(SHUT_WR) returned 0"
wait_for 3 state_is h1 7010 FIN_WAIT1
claim_eq "h1 fills the buffers and calls shutdown(): h1 waits in FIN_WAIT1 (its FIN is queued behind unsent bytes), h2 is still ESTABLISHED" \
	"FIN_WAIT1 ESTABLISHED" "$(states h1 7010) $(states h2 7010)"
claim "connstat -tno on h1: bytes still in Send-Q before the FIN, and the persist timer probing h2's zero window" \
	on h1 sh -c "connstat -tno 'dport = :7010' | awk '\$6 == \"FIN_WAIT1\" && \$3 > 0 && \$7 == \"persist\" { f = 1 } END { exit !f }'"
claim "h2 holds the bytes it has not read in its Recv-Q" \
	on h2 sh -c "connstat -tn 'sport = :7010' | awk '\$6 == \"ESTABLISHED\" && \$2 > 0 { f = 1 } END { exit !f }'"

say h2 7010 read "read() returned 0"
wait_for 3 state_is h1 7010 FIN_WAIT2
claim_match "h2 reads every byte and then read() returns 0: the FIN arrived" \
	'read [0-9]+ bytes, then read\(\) returned 0' "$(cat "$LAB_TMP/h2-7010.out")"
claim_eq "then h1 is in FIN_WAIT2 (its FIN was acknowledged) and h2 in CLOSE_WAIT (its program has not closed yet)" \
	"FIN_WAIT2 CLOSE_WAIT" "$(states h1 7010) $(states h2 7010)"
say h1 7010 state "state: "
claim_match "tcp_steps' own state command agrees: FIN-WAIT-2 on h1" 'state: FIN-WAIT-2' \
	"$(cat "$LAB_TMP/h1-7010.out")"

say h2 7010 fill "buffers are full"
say h2 7010 close "close() returned 0"
wait_for 3 state_is h2 7010 LAST_ACK
claim_eq "h2 fills h1's buffers and calls close(): h2 waits in LAST_ACK, h1 stays in FIN_WAIT2" \
	"FIN_WAIT2 LAST_ACK" "$(states h1 7010) $(states h2 7010)"
claim "after close() the LAST_ACK socket belongs to no process (connstat -p shows -): the kernel finishes the close" \
	on h2 sh -c "connstat -tnp 'sport = :7010' | awk '\$6 == \"LAST_ACK\" && \$7 == \"-\" { f = 1 } END { exit !f }'"

say h1 7010 read "read() returned 0"
T_CLOSE=$(now)
wait_for 3 state_is h1 7010 TIME_WAIT
claim_eq "h1 reads everything: h1, which closed first, is in TIME_WAIT; h2 has no socket left" \
	"TIME_WAIT|" "$(states h1 7010)|$(states h2 7010)"
say h1 7010 close "close() returned 0"
claim_eq "after close() in h1's program the TIME_WAIT stays: it belongs to the kernel" TIME_WAIT "$(states h1 7010)"

T1=$(twtimer h1 7010)
AGE=$(awk -v a="$T_CLOSE" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
claim "connstat -o shows the TIME_WAIT timer started at 60 s (left ${T1:-?} s, ${AGE} s after the close)" \
	awk -v t="${T1:-0}" -v a="$AGE" 'BEGIN { exit !(t > 0 && t + a > 58 && t + a < 61.5) }'
sleep 1
T2=$(twtimer h1 7010)
claim "connstat -o counts down: a second later the timer shows less (${T1:-?} s, then ${T2:-?} s)" \
	awk -v a="${T1:-0}" -v b="${T2:-0}" 'BEGIN { exit !(b > 0 && b < a) }'
end_pair

# --- 2. the server closes first: TIME_WAIT holds its port; bind() and SO_REUSEADDR ----------------
start_pair 7020
say h2 7020 close "close() returned 0"
say h1 7020 read "read() returned 0"
say h1 7020 close "close() returned 0"
wait_for 3 state_is h2 7020 TIME_WAIT
claim_eq "when the server closes first, TIME_WAIT is on the server's side (h2, port 7020) and not on the client's" \
	"TIME_WAIT|" "$(states h2 7020)|$(states h1 7020)"
end_pair
OUT=$(on h2 timeout 2 tcp_steps listen 7020 </dev/null 2>&1)
claim_match "a new server on port 7020 fails: bind: Address already in use (EADDRINUSE)" \
	'bind: Address already in use' "$OUT"
OUT=$(on h2 timeout 2 tcp_steps -r listen 7020 </dev/null 2>&1)
claim_match "setting SO_REUSEADDR only in the new server does not help: the old one did not set it" \
	'bind: Address already in use' "$OUT"

start_pair 7021 -r
say h2 7021 close "close() returned 0"
say h1 7021 read "read() returned 0"
say h1 7021 close "close() returned 0"
wait_for 3 state_is h2 7021 TIME_WAIT
end_pair
claim_eq "a server with SO_REUSEADDR (-r) closes first: its port is in TIME_WAIT too" TIME_WAIT "$(states h2 7021)"
bg h2 tcp_steps -r listen 7021 >"$LAB_TMP/reuse.out" 2>&1
wait_for 3 grep -q 'waiting in accept' "$LAB_TMP/reuse.out"
claim_match "with SO_REUSEADDR in both servers the new bind() succeeds while TIME_WAIT holds the port" \
	'listening on port 7021 \(SO_REUSEADDR set\)' "$(cat "$LAB_TMP/reuse.out")"
kill "$BG_PID" 2>/dev/null

# --- 3. many connections: connstat -s and the kernel's filters ---------------------------------------
bg h2 echo_thread 7040 >"$LAB_TMP/echo.out" 2>&1
EPID=$BG_PID
wait_for 5 on h2 sh -c "connstat -tln 'sport = :7040' | grep -q LISTEN"
bg h1 slow_clients -n 10 -m 8 -d 500 "$SRV" 7040 >"$LAB_TMP/clients.out" 2>&1
CPID=$BG_PID
estab10() { on h1 connstat -s -t | grep -q 'ESTAB 10[,)]'; }
claim "connstat -s -t on h1 counts ESTAB 10 while the ten clients run" wait_for 5 estab10
wait "$CPID"
kill "$EPID" 2>/dev/null
count_tw() { on "$1" connstat -tn state time-wait "$2 = :7040" | awk 'NR > 2' | wc -l; }
# each client close()s and slow_clients exits at once; h1's socket reaches TIME_WAIT only when
# echo_thread's FIN (it reads the EOF, then closes) has come back: wait for all ten
tw_done() { [ "$(count_tw h1 dport)" = 10 ]; }
wait_for 5 tw_done
claim_eq "when they are done, h1 holds ten TIME_WAITs to port 7040 and h2 none: the clients closed first" \
	"10 0" "$(count_tw h1 dport) $(count_tw h2 sport)"
tw_pairs() { awk 'NR > 2 { print $4, $5 }' | sort; }
CS=$(on h1 connstat -tan state time-wait | tw_pairs)
SS=$(on h1 ss -Htan state time-wait | awk '{ print $3, $4 }' | sort)
claim_eq "connstat -tan state time-wait lists the same connections as ss -tan state time-wait" "$SS" "$CS"

# --- 4. why TIME_WAIT: the router drops the last ACK once ------------------------------------------
# The sheet's part stands on the bad link: if the router cannot make it, that is a failure.
if ! impair --drop-last-ack >"$LAB_TMP/impair.out" 2>&1; then
	claim_eq "labs/lab.sh impair --drop-last-ack makes the link bad" 0 \
		"exit $(head -c 200 "$LAB_TMP/impair.out" | tr '\n' ' ')"
	exit 1
fi
DUMPS=()
for h in h1 h2; do
	bg "$h" tcpdump -i eth0 -n -l -S 'tcp port 7030' >"$LAB_TMP/dump-$h.txt" 2>"$LAB_TMP/dump-$h.err"
	DUMPS+=("$BG_PID")
	wait_for 5 grep -q 'listening on' "$LAB_TMP/dump-$h.err"
done
# As the sheet has it: h1 closes, and the student types read and close into h2 afterwards, by
# which time h2's ACK of h1's FIN has long reached h1.  Typed at once, the ACK (sent by h2's
# softirq on one CPU) and the FIN (h2's close() on the other) could cross on the veth and reach
# h1 in the other order: h1, already in TIME_WAIT, answers the late ACK with a second ACK, which
# ends h2's LAST_ACK before any retransmission (seen once in about 8 loaded runs).
start_pair 7030
say h1 7030 close "close() returned 0"
wait_for 5 state_is h1 7030 FIN_WAIT2
say h2 7030 read "read() returned 0"
say h2 7030 close "close() returned 0"
wait_for 5 state_is h1 7030 TIME_WAIT
# h2's retransmitted FIN comes after its retransmission timeout (at least 200 ms); wait for it.
fins_from_h2() { grep -c "IP $SRV.7030 > .*Flags \[F" "$LAB_TMP/dump-$1.txt"; }
# pure ACKs from h1 after h2's first FIN, as each side's capture saw them
acks_after_fin() {
	awk -v srv="$SRV.7030" '
		$0 ~ "IP " srv " > .*Flags \\[F" { fin = 1; next }
		fin && $0 ~ "> " srv ": Flags \\[\\.\\]" { n++ }
		END { print n + 0 }' "$LAB_TMP/dump-$1.txt"
}
wait_for 5 sh -c "[ \$(grep -c 'IP $SRV.7030 > .*Flags \[F' '$LAB_TMP/dump-h1.txt') -ge 2 ]"
# h1's answer to it still has to cross the router (a user-space forwarder) to h2, where it ends
# the LAST_ACK socket: wait for that, and for both captures to have written it down
answered() {
	state_is h2 7030 "" && [ "$(acks_after_fin h1)" -ge 2 ] && [ "$(acks_after_fin h2)" -ge 1 ]
}
wait_for 5 answered
sleep 0.3
kill "${DUMPS[@]}" 2>/dev/null
wait "${DUMPS[@]}" 2>/dev/null
claim_eq "tcpdump on h2: h2 sends its FIN twice (the first ACK never came, so it retransmits)" 2 "$(fins_from_h2 h2)"
claim_eq "tcpdump on h1: h1 gets both FINs and answers each with an ACK (the second from TIME_WAIT)" \
	"2 2" "$(fins_from_h2 h1) $(acks_after_fin h1)"
claim_eq "tcpdump on h2: only the second ACK arrives (the router dropped the first)" 1 "$(acks_after_fin h2)"
claim_eq "after the answer h2's socket is gone and h1 stays in TIME_WAIT" "TIME_WAIT|" \
	"$(states h1 7030)|$(states h2 7030)"
end_pair
impair >/dev/null 2>&1
