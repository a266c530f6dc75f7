#!/bin/bash
# labs/check/07.sh — lab 07, TCP vs UDP: message boundaries, and a lossy, reordering link.
# Every claim of labs/07-tcp-vs-udp.md, one line each.
# shellcheck source=labs/check/lib.sh
. "$(dirname "$0")/lib.sh"
lab_up

SRV=10.200.2.2
listening() { on h2 connstat "$1" -ln "sport = :$2" | grep -q "0.0.0.0:$2"; }

# --- 1. boundaries: two write()s, two sendto()s -------------------------------------------------
bg h2 bound_recv tcp 7070 >"$LAB_TMP/brecv-tcp.out" 2>&1
RPID=$BG_PID
wait_for 5 listening -t 7070
on h1 bound_send tcp "$SRV" 7070 >"$LAB_TMP/bsend-tcp.out" 2>&1
wait "$RPID"
claim_eq "TCP: each of the two write()s returns 5" "write() returned 5|write() returned 5" \
	"$(paste -sd'|' "$LAB_TMP/bsend-tcp.out")"
claim_eq "TCP: the reader gets both writes in one read(): 10 bytes \"helloworld\", then 0 at the end of the stream" \
	'read() returned 10 bytes: "helloworld"|read() returned 0: end of the stream' \
	"$(grep '^read()' "$LAB_TMP/brecv-tcp.out" | paste -sd'|')"

bg h2 bound_recv udp 7070 >"$LAB_TMP/brecv-udp.out" 2>&1
RPID=$BG_PID
wait_for 5 listening -u 7070
on h1 bound_send udp "$SRV" 7070 >"$LAB_TMP/bsend-udp.out" 2>&1
wait "$RPID"
claim_eq "UDP: each of the two sendto()s returns 5" "sendto() returned 5|sendto() returned 5" \
	"$(paste -sd'|' "$LAB_TMP/bsend-udp.out")"
claim_match "UDP: two sendto()s stay two recvfrom()s: \"hello\", then \"world\", then nothing left" \
	'^recvfrom\(\) returned 5 bytes from 10\.200\.1\.2:[0-9]+: "hello"\|recvfrom\(\) returned 5 bytes from 10\.200\.1\.2:[0-9]+: "world"\|recvfrom\(\) would block' \
	"$(grep '^recvfrom()' "$LAB_TMP/brecv-udp.out" | paste -sd'|')"

# udp_run PORT OUT — seq_recv udp on h2, seq_send udp on h1 (500 datagrams, 1 ms apart)
udp_run() {
	bg h2 seq_recv udp "$1" >"$2" 2>&1
	local rpid=$BG_PID
	wait_for 5 listening -u "$1"
	on h1 seq_send udp "$SRV" "$1" >/dev/null 2>&1
	wait "$rpid"
}
# field OUT WORD — the number before WORD in seq_recv's UDP summary line
field() { sed -n "s/^UDP: .* \([0-9][0-9]*\) $2.*/\1/p" "$1"; }

# --- 2. a clean link first ------------------------------------------------------------------------
udp_run 7071 "$LAB_TMP/udp-clean.out"
claim_match "on the clean link UDP delivers all 500 datagrams, in order" \
	'^UDP: 500 of 500 datagrams arrived, 0 lost, 0 out of order' "$(grep '^UDP:' "$LAB_TMP/udp-clean.out")"

# --- 3. the bad link: 5 % loss, 25 % reordering -----------------------------------------------------
# The sheet's part stands on the bad link: if the router cannot make it, that is a failure.
if ! impair --delay 10 --loss 5 --reorder 25 --seed 7 >"$LAB_TMP/impair.out" 2>&1; then
	claim_eq "labs/lab.sh impair --delay 10 --loss 5 --reorder 25 --seed 7 makes the link bad" 0 \
		"exit $(head -c 200 "$LAB_TMP/impair.out" | tr '\n' ' ')"
	exit 1
fi
udp_run 7072 "$LAB_TMP/udp-bad.out"
UDPLINE=$(grep '^UDP:' "$LAB_TMP/udp-bad.out")
claim "over the bad link UDP loses datagrams: nobody sends them again ($UDPLINE)" \
	test "$(field "$LAB_TMP/udp-bad.out" lost)" -gt 0
claim "over the bad link UDP datagrams arrive out of order" \
	test "$(field "$LAB_TMP/udp-bad.out" out)" -gt 0

bg h1 tcpdump -i eth0 -n -l -S 'tcp port 7073' >"$LAB_TMP/dump.txt" 2>"$LAB_TMP/dump.err"
DUMP=$BG_PID
wait_for 5 grep -q 'listening on' "$LAB_TMP/dump.err"
bg h2 seq_recv -n 5000 tcp 7073 >"$LAB_TMP/tcp-recv.out" 2>&1
RPID=$BG_PID
wait_for 5 listening -t 7073
bg h1 seq_send -n 5000 -g 0 -H 3 tcp "$SRV" 7073 >"$LAB_TMP/tcp-send.out" 2>&1
SPID=$BG_PID
wait_for 20 grep -q '^holding' "$LAB_TMP/tcp-send.out"
on h1 connstat -tni 'dport = :7073' >"$LAB_TMP/connstat-i.out" 2>&1
wait "$RPID"
claim_match "over the same link TCP delivers all 5000 messages (320000 bytes), every one in order" \
	'^TCP: 320000 bytes in [0-9]+ reads; 5000 of 5000 messages, every one in order' \
	"$(grep '^TCP:' "$LAB_TMP/tcp-recv.out")"
RETR=$(sed -n 's/.*the kernel retransmitted \([0-9]*\) segments.*/\1/p' "$LAB_TMP/tcp-send.out")
claim "TCP did it by retransmitting: getsockopt(TCP_INFO) counts ${RETR:-?} retransmitted segments" \
	test "${RETR:-0}" -gt 0
CSRETR=$(grep -o 'retrans:[0-9]*/[0-9]*' "$LAB_TMP/connstat-i.out" | head -1 | cut -d/ -f2)
claim_eq "connstat -ti on h1 shows the same count (retrans:N/${RETR:-?})" "${RETR:-x}" "${CSRETR:-none}"
kill "$SPID" 2>/dev/null
sleep 0.3
kill "$DUMP" 2>/dev/null
wait "$DUMP" 2>/dev/null
# a data segment from h1 whose sequence number lies below the highest one already sent: a resend
RESENT=$(awk '/IP 10\.200\.1\.2\.[0-9]+ > .*seq [0-9]+:[0-9]+/ {
		match($0, /seq [0-9]+:[0-9]+/); split(substr($0, RSTART + 4, RLENGTH - 4), s, ":")
		if (s[1] + 0 < hi) n++; if (s[2] + 0 > hi) hi = s[2] + 0 }
	END { print n + 0 }' "$LAB_TMP/dump.txt")
claim "tcpdump on h1 shows the retransmissions: data segments sent again with an old sequence number ($RESENT of them)" \
	test "$RESENT" -gt 0
impair >/dev/null 2>&1
