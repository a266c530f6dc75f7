#!/bin/bash
# labs/check/06.sh — lab 06, read() and EOF: every claim of labs/06-read-eof.md, then the
# exercise's grading (rd_loop: the reference, or the student's file with --student).
# skeleton: labs/exercises/rd_loop.c
. "$(dirname "$0")/lib.sh"

lab_up
export -f on

# run_pair LOG READER_ARGS -- WRITER_ARGS — rd_loop (or PROG in $READER) on h2, wr_close on h1;
# the reader's output in LOG, its exit status in LOG.rc, wr_close's output in LOG.w.
READER=rd_loop
run_pair() {
	local log=$1 pid
	shift
	local rargs=() wargs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do rargs+=("$1"); shift; done
	shift
	wargs=("$@")
	bg h2 "$READER" "${rargs[@]}" >"$log" 2>&1
	pid=$BG_PID
	wait_for 3 grep -q 'waiting on port' "$log"
	on h1 wr_close "${wargs[@]}" >"$log.w" 2>&1
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
	wait "$pid" 2>/dev/null
	echo $? >"$log.rc"
}
reads() { grep -c '^read() returned [1-9]' "$1"; }
sum_reads() { awk '/^read\(\) returned [1-9]/ {s += $3} END {print s + 0}' "$1"; }

# --- step 1: one write of 100 KB, then close() -------------------------------------------------
bg h1 timeout 10 tcpdump -i eth0 -n -l 'tcp port 6000 and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0' \
	>"$LAB_TMP/fin.td" 2>"$LAB_TMP/fin.err"
CAP=$BG_PID
wait_for 3 grep -q 'listening on' "$LAB_TMP/fin.err"
run_pair "$LAB_TMP/fin" -- 10.200.2.2 6000
claim_match "wr_close's one write() of 100 KB returns 102400" 'write\(102400 bytes\) returned 102400' \
	"$(cat "$LAB_TMP/fin.w")"
claim "that one write comes out of rd_loop's 64 KiB buffer as several reads ($(reads "$LAB_TMP/fin"))" \
	test "$(reads "$LAB_TMP/fin")" -ge 2
claim_eq "the reads add up to every byte written: 102400" 102400 "$(sum_reads "$LAB_TMP/fin")"
claim_match "after the last byte, read() returns 0: EOF, the peer's FIN" \
	'read\(\) returned 0.*total 102400 bytes in [0-9]+ reads, then EOF' "$(tr '\n' ' ' <"$LAB_TMP/fin")"
claim_eq "rd_loop exits with status 0 after EOF" 0 "$(cat "$LAB_TMP/fin.rc")"
wait_for 3 grep -q 'Flags \[F' "$LAB_TMP/fin.td"
claim_match "tcpdump shows h1's FIN (Flags [F.]) and no reset" \
	'^[^R]*10\.200\.1\.2\.[0-9]+ > 10\.200\.2\.2\.6000: Flags \[F\.\][^R]*$' "$(tr '\n' ' ' <"$LAB_TMP/fin.td")"
h2_fin() { grep -q '10\.200\.2\.2\.6000 > 10\.200\.1\.2\.[0-9]*: Flags \[F\.\]' "$LAB_TMP/fin.td"; }
wait_for 3 h2_fin
claim "then h2's FIN: rd_loop closed its side after EOF" h2_fin
kill "$CAP" 2>/dev/null

# --- step 2: a bigger buffer, a slower path --------------------------------------------------------
if impair --delay 20 >"$LAB_TMP/imp" 2>&1; then
	run_pair "$LAB_TMP/slow" -b 1048576 -- 10.200.2.2 6000
	claim "with a 1 MiB buffer and 20 ms each way, the 100 KB still come as several reads ($(reads "$LAB_TMP/slow")): slow start sends 10 segments, then waits for ACKs" \
		test "$(reads "$LAB_TMP/slow")" -ge 2
	claim_eq "and they still add up to 102400" 102400 "$(sum_reads "$LAB_TMP/slow")"
	impair >/dev/null 2>&1
else
	skip_claim "with a 1 MiB buffer and 20 ms each way, the 100 KB still come as several reads" \
		"lab.sh impair failed: $(head -1 "$LAB_TMP/imp")"
fi

# --- step 3: the same, then a reset -----------------------------------------------------------------
bg h1 timeout 10 tcpdump -i eth0 -n -l 'tcp port 6000 and tcp[tcpflags] & (tcp-fin|tcp-rst) != 0' \
	>"$LAB_TMP/rst.td" 2>"$LAB_TMP/rst.err"
CAP=$BG_PID
wait_for 3 grep -q 'listening on' "$LAB_TMP/rst.err"
run_pair "$LAB_TMP/rst" -- -r 10.200.2.2 6000
claim_match "with SO_LINGER 0, close() sends a reset" 'sent RST' "$(cat "$LAB_TMP/rst.w")"
claim_match "rd_loop reads the 102400 bytes that had arrived, then read() returns -1 with errno 104, ECONNRESET" \
	'read\(\) returned -1, errno 104 total 102400 bytes in [0-9]+ reads, then error: Connection reset by peer' \
	"$(tr '\n' ' ' <"$LAB_TMP/rst")"
claim_eq "rd_loop exits with status 1 after the reset" 1 "$(cat "$LAB_TMP/rst.rc")"
wait_for 3 grep -q 'Flags \[R' "$LAB_TMP/rst.td"
claim_match "tcpdump shows h1's reset (Flags [R.]) and no FIN" \
	'^[^F]*10\.200\.1\.2\.[0-9]+ > 10\.200\.2\.2\.6000: Flags \[R\.?\][^F]*$' "$(tr '\n' ' ' <"$LAB_TMP/rst.td")"
kill "$CAP" 2>/dev/null
rport=$(sed -nE 's/^connected from [0-9.]+:([0-9]+)$/\1/p' "$LAB_TMP/rst.w")
fport=$(sed -nE 's/^connected from [0-9.]+:([0-9]+)$/\1/p' "$LAB_TMP/fin.w")
claim_eq "a reset leaves nothing behind: no socket on h1's port $rport, not even TIME-WAIT" 0 \
	"$(on h1 connstat -a -n -t sport = :"${rport:-1}" | grep -c ":${rport:-1} ")"
claim "the FIN's sender instead keeps its end (port $fport) in TIME-WAIT: it closed first" \
	bash -c "on h1 connstat -a -n -t state time-wait sport = :${fport:-1} | grep -q TIME_WAIT"

# --- step 4: a reader that ignores EOF -----------------------------------------------------------
bg h2 slow_reader -p 6001 -w 60 >"$LAB_TMP/cw.log"
wait_for 3 grep -q 'waiting on port' "$LAB_TMP/cw.log"
on h1 wr_close -n 1000 -d 0 10.200.2.2 6001 >/dev/null
cw() { on h2 connstat -n -t state close-wait sport = :6001 | grep CLOSE_WAIT; }
wait_for 3 cw
claim_match "a program that does not read and close after the peer's FIN leaves its socket in CLOSE-WAIT, Recv-Q 1001 (1000 bytes + 1 for the FIN)" \
	'^tcp +1001 +0 .*CLOSE_WAIT' "$(cw)"
# h2 acknowledges the FIN with a delayed ACK (up to 200 ms), so h1 may still be in FIN-WAIT-1 for
# a moment after h2 shows CLOSE-WAIT: wait for the ACK before asserting the state it leads to.
fw2() { on h1 connstat -n -t state fin-wait-2 dport = :6001 | grep -q FIN_WAIT2; }
wait_for 3 fw2
claim "and the peer waits in FIN-WAIT-2 for a FIN that never comes" fw2

# --- the exercise: the read loop --------------------------------------------------------------------
# grade PROG — the two grading runs against PROG; "pass<TAB>sentence" or "fail<TAB>sentence<TAB>detail".
grade() {
	local t=$LAB_TMP/g$RANDOM out
	READER=$1
	run_pair "$t.fin" -- 10.200.2.2 6000
	out=$(grep '^total' "$t.fin")
	res "after a FIN: 'total 102400 bytes in M reads, then EOF'" "got '$out'" \
		grep -Eq '^total 102400 bytes in [0-9]+ reads, then EOF$' "$t.fin"
	res "after a FIN: M is the number of 'read() returned N' lines, which add up to 102400" \
		"$(reads "$t.fin") lines, sum $(sum_reads "$t.fin")" \
		[ "$(sum_reads "$t.fin")" = 102400 -a "$out" = "total 102400 bytes in $(reads "$t.fin") reads, then EOF" ]
	res "after a FIN: exit status 0" "status $(cat "$t.fin.rc")" [ "$(cat "$t.fin.rc")" = 0 ]
	run_pair "$t.rst" -- -r 10.200.2.2 6000
	out=$(grep '^total' "$t.rst")
	res "after a reset: '... then error: Connection reset by peer'" "got '$out'" \
		grep -Eq '^total 102400 bytes in [0-9]+ reads, then error: Connection reset by peer$' "$t.rst"
	res "after a reset: exit status 1" "status $(cat "$t.rst.rc")" [ "$(cat "$t.rst.rc")" = 1 ]
}
grade_exercise rd_loop
