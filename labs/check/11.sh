#!/bin/bash
# labs/check/11.sh — lab 11, I/O events and concurrency: the echo service three ways against 20
# slow clients.  Every claim of labs/11-io-concurrency.md, one line each.  Times are compared only
# with each other in the same run (never with a fixed number of seconds), with wide margins.
# skeleton: labs/exercises/echo_concurrent.c
# shellcheck source=labs/check/lib.sh
. "$(dirname "$0")/lib.sh"
lab_up

SRV=10.200.2.2
# The exercise: the student's server when --student FILE was given, else the reference solution.
GRADED=${STUDENT_BIN:-$LABBIN/echo_thread}

# start_server PORT PROG... — run PROG on h2 and wait until PORT listens; pid in $SRV_PID.
start_server() {
	local port=$1
	shift
	bg h2 "$@" >"$LAB_TMP/srv-$port.out" 2>&1
	SRV_PID=$BG_PID
	wait_for 5 listening "$port"
}
listening() { on h2 connstat -tln "sport = :$1" | grep -q LISTEN; }
stop() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null; return 0; }

# clients PORT OUT ARGS... — slow_clients on h1; the "all done in S s" figure goes to $SECS.
clients() {
	local port=$1 out=$2
	shift 2
	on h1 slow_clients "$@" "$SRV" "$port" >"$out" 2>&1
	CLIENTS_RC=$?
	SECS=$(sed -n 's/.*all done in \([0-9.]*\) s.*/\1/p' "$out")
	SECS=${SECS:-0}
}
# faster A B FACTOR — true when A * FACTOR < B
faster() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { exit !(a > 0 && a * f < b) }'; }

# --- 1. the iterative server: one client alone, then 20 at once -----------------------------
start_server 7011 echo_iter 7011
clients 7011 "$LAB_TMP/one.out" -n 1
ONE=$SECS
clients 7011 "$LAB_TMP/iter.out" -n 20
ITER=$SECS
claim "echo_iter answers all 20 slow clients, every echo right" test "$CLIENTS_RC" = 0
claim "echo_iter serves them one after another: 20 clients take many times one client's time (here ${ITER} s against ${ONE} s)" \
	faster "$ONE" "$ITER" 5
LAST_FIRST=$(awk '/^client 20:/ { print $6 }' "$LAB_TMP/iter.out")
claim "with echo_iter the last client waits seconds for its first echo (client 20: ${LAST_FIRST:-?} s)" \
	faster "$ONE" "${LAST_FIRST:-0}" 5

# --- 2. the accept queue of the iterative server, and connstat -p ---------------------------
bg h1 slow_clients -n 20 -m 10 -d 500 "$SRV" 7011 >"$LAB_TMP/queue.out" 2>&1
QPID=$BG_PID
lrecvq() { on h2 connstat -tln 'sport = :7011' | awk '$6 == "LISTEN" { print $2 }'; }
queue_is() { [ "$(lrecvq)" = "$1" ]; }
wait_for 5 queue_is 19
# each client writes its first line right after connect(): wait until all 19 queued connections
# hold it (a loaded machine runs some client threads a moment late)
lines_in() {
	[ "$(on h2 connstat -tnp 'sport = :7011' | awk '$6 == "ESTABLISHED" && $7 == "-" && $2 > 0' | wc -l)" = 19 ]
}
wait_for 3 lines_in
QLEN=$(lrecvq)
on h2 connstat -tnp 'sport = :7011' >"$LAB_TMP/iter-p.out" 2>&1
claim_eq "while echo_iter serves one client, Recv-Q of the LISTEN row is 19: the others wait in the accept queue" \
	19 "$QLEN"
claim_eq "the LISTEN row's Send-Q is the backlog given to listen(): 32" 32 \
	"$(on h2 connstat -tln 'sport = :7011' | awk '$6 == "LISTEN" { print $3 }')"
OWNED=$(grep -c 'ESTABLISHED [0-9]*/echo_iter' "$LAB_TMP/iter-p.out")
UNOWNED=$(grep -c 'ESTABLISHED -$' "$LAB_TMP/iter-p.out")
claim_eq "connstat -p: one connection belongs to echo_iter, 19 to no process yet (not accepted)" \
	"1 19" "$OWNED $UNOWNED"
claim "the 19 waiting connections already hold their first line, unread (Recv-Q > 0)" \
	test "$(awk '$6 == "ESTABLISHED" && $7 == "-" && $2 > 0' "$LAB_TMP/iter-p.out" | wc -l)" = 19
stop "$QPID"
stop "$SRV_PID"

# --- 3. a thread per connection, and poll() ----------------------------------------------------
start_server 7012 echo_thread 7012
TPID=$SRV_PID
bg h1 slow_clients -n 20 -m 10 -d 500 "$SRV" 7012 >"$LAB_TMP/thread-p.clients" 2>&1
QPID=$BG_PID
count_owned() { [ "$(on h2 connstat -tnp 'sport = :7012' | grep -c "ESTABLISHED $TPID/echo_thread")" = 20 ]; }
claim "connstat -p: with echo_thread all 20 connections belong to the one echo_thread process" \
	wait_for 5 count_owned
claim_eq "with echo_thread the LISTEN row's Recv-Q stays 0: every client is accepted at once" \
	0 "$(on h2 connstat -tln 'sport = :7012' | awk '$6 == "LISTEN" { print $2 }')"
stop "$QPID"
clients 7012 "$LAB_TMP/thread.out" -n 20
THREAD=$SECS
claim "echo_thread answers all 20 slow clients, every echo right" test "$CLIENTS_RC" = 0
claim "echo_thread serves them together: done in under a quarter of echo_iter's time (${THREAD} s against ${ITER} s)" \
	faster "$THREAD" "$ITER" 4
stop "$TPID"

start_server 7013 echo_poll 7013
clients 7013 "$LAB_TMP/poll.out" -n 20
POLL=$SECS
claim "echo_poll answers all 20 slow clients, every echo right" test "$CLIENTS_RC" = 0
claim "echo_poll serves them together with one thread: under a quarter of echo_iter's time (${POLL} s against ${ITER} s)" \
	faster "$POLL" "$ITER" 4
stop "$SRV_PID"

# strace -e on echo_poll with two clients: poll() names the ready fds, read() follows, 0 is EOF
start_server 7025 strace -e trace=accept,poll,read,close -o "$LAB_TMP/strace-e.txt" "$LABBIN/echo_poll" 7025
clients 7025 "$LAB_TMP/strace-e.clients" -n 2 -m 2 -d 50
child=$(pgrep -P "$SRV_PID" | head -1)
[ -n "$child" ] && kill "$child"
wait "$SRV_PID" 2>/dev/null
claim_match "strace -e: poll() returns the fds that are ready (revents=POLLIN), then read() gets a client's line" \
	'poll\(\[\{fd=3, events=POLLIN\}[^
]*revents=POLLIN[^
]*
read\([0-9]+, "client [12] message [12]\\n", 4096\) += 19' "$(cat "$LAB_TMP/strace-e.txt")"
claim_match "strace -e: a read() of 0 is a client's EOF, and close() follows" \
	'read\(([0-9]+), "", 4096\) += 0
close\(\1\) += 0' "$(cat "$LAB_TMP/strace-e.txt")"

# --- 4. strace -f -c: which system calls each server makes ---------------------------------------
# strace_run NAME PORT — the server under strace -f -c on h2, 20 quick clients, then the server
# is ended (TERM to the traced program, so strace writes its table).  calls NAME SYSCALL prints
# that row's count (0 when absent).
strace_run() {
	local name=$1 port=$2 child
	start_server "$port" strace -f -c -o "$LAB_TMP/strace-$name.txt" "$LABBIN/$name" "$port"
	clients "$port" "$LAB_TMP/strace-$name.clients" -n 20 -m 2 -d 50
	child=$(pgrep -P "$SRV_PID" | head -1)
	[ -n "$child" ] && kill "$child"
	wait "$SRV_PID" 2>/dev/null
}
calls() { awk -v s="$2" '$NF == s { print $4; found = 1 } END { if (!found) print 0 }' "$LAB_TMP/strace-$1.txt"; }
strace_run echo_iter 7021
strace_run echo_thread 7022
strace_run echo_poll 7023
claim_eq "strace -f -c: echo_thread creates one thread per client (20 clone3 calls)" 20 "$(calls echo_thread clone3)"
claim_eq "strace -f -c: echo_iter and echo_poll create no thread (no clone3)" "0 0" \
	"$(calls echo_iter clone3) $(calls echo_poll clone3)"
claim "strace -f -c: echo_poll asks the kernel with poll(), again and again ($(calls echo_poll poll) calls)" \
	test "$(calls echo_poll poll)" -ge 2
claim "strace -f -c: echo_iter and echo_thread never call poll()" \
	test "$(calls echo_iter poll)$(calls echo_thread poll)" = 00
# (the start-up reads differ between builds — a sanitizer's runtime reads more — but not between
# the three servers of one build)
R_ITER=$(calls echo_iter read)
claim "strace -f -c: all three make the same read() calls, 3 per client (two lines and the EOF) plus start-up ($R_ITER)" \
	test "$R_ITER $(calls echo_thread read) $(calls echo_poll read)" = "$R_ITER $R_ITER $R_ITER" -a "$R_ITER" -ge 60
claim "strace -f -c: each server accept()s all 20 clients" \
	test "$(calls echo_iter accept)" -ge 20 -a "$(calls echo_thread accept)" -ge 20 -a "$(calls echo_poll accept)" -ge 20

# --- 5. the exercise: the student's concurrent server (the reference when no --student) ---------
start_server 7014 "$GRADED" 7014
clients 7014 "$LAB_TMP/graded.out" -n 20
GRADED_SECS=$SECS
claim "the exercise server answers all 20 slow clients, every echo right" test "$CLIENTS_RC" = 0
claim "the exercise server serves 20 slow clients together: under a quarter of echo_iter's time (${GRADED_SECS} s against ${ITER} s)" \
	faster "$GRADED_SECS" "$ITER" 4
stop "$SRV_PID"
