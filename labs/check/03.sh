#!/bin/bash
# labs/check/03.sh — lab 03, the server socket: every claim of labs/03-server-socket.md, then the
# exercise's grading (srv_echo: the reference, or the student's file with --student).
# skeleton: labs/exercises/srv_echo.c
. "$(dirname "$0")/lib.sh"

lab_up
export -f on

# --- steps 1-4: srv_steps driven through a FIFO, one line per Enter ---------------------------
mkfifo "$LAB_TMP/enter"
# (the FIFO is opened by the program's own shell: opening it here would block until a writer came)
bg h2 bash -c 'exec srv_steps -b 2 <"$0" >"$1" 2>&1' "$LAB_TMP/enter" "$LAB_TMP/srv.log"
SRV=$BG_PID
exec 9>"$LAB_TMP/enter"
enter() { echo >&9; }
log_has() { grep -q "$1" "$LAB_TMP/srv.log"; }
port_rows() { on h2 connstat -a -n -t | grep -c ':5000 ' ; }

wait_for 3 log_has 'call socket()'
claim_eq "before socket(), connstat -a shows nothing on port 5000" 0 "$(port_rows)"
enter
wait_for 3 log_has 'socket() returned fd 3'
claim "socket() returns fd 3, and ls -l /proc/PID/fd shows fd 3 -> socket:[inode]" \
	bash -c "ls -l /proc/$SRV/fd | grep -Eq ' 3 -> socket:\[[0-9]+\]'"
claim_eq "after socket(), connstat -a still shows nothing on port 5000" 0 "$(port_rows)"
enter
wait_for 3 log_has 'bind() returned 0'
claim_eq "after bind(), connstat -a still shows no row for port 5000 (bound is neither listening nor connected)" \
	0 "$(port_rows)"
claim_match "after bind(), lsof -p PID -d 3 sees a TCP socket, but not its port" \
	"^srv_steps +$SRV +root +3u +sock .* protocol: TCP\$" "$(on h2 lsof -n -P -a -p "$SRV" -d 3 | tail -1)"
out=$(on h2 timeout 3 socat TCP-LISTEN:5000 - 2>&1 </dev/null)
claim_match "after bind(), the port is taken: socat TCP-LISTEN:5000 on h2 fails with 'Address already in use'" \
	'Address already in use' "$out"
enter
wait_for 3 log_has 'listen() returned 0'
row=$(on h2 connstat -a -n -t | grep ':5000 ')
claim_match "after listen(), connstat -a shows 0.0.0.0:5000 in LISTEN with Recv-Q 0 and Send-Q 2 (the backlog)" \
	'^tcp +0 +2 +0\.0\.0\.0:5000 +0\.0\.0\.0:\* +LISTEN' "$row"

# --- step 5: four clients, nobody accepts ---------------------------------------------------
ovf() { on h2 nstat -az TcpExtListenOverflows | awk '/ListenOverflows/ {print $2}'; }
ovf0=$(ovf)
for i in 1 2 3 4; do
	bg h1 cli_connect -w 60 10.200.2.2 5000 >/dev/null
	sleep 0.2
done
listen_recvq() { on h2 connstat -l -n -t | awk '$4 == "0.0.0.0:5000" {print $2}'; }
est_h2() { on h2 connstat -n -t state established sport = :5000 | grep -c ESTABLISHED; }
listen_q_is() { [ "$(listen_recvq)" = "$1" ]; }
syn_sent_h1() { on h1 connstat -n -t state syn-sent dport = :5000 | grep -c SYN_SENT; }
fourth_waits() { [ "$(syn_sent_h1)" = 1 ]; }
wait_for 3 listen_q_is 3
# the clients start 0.2 s apart, as on the sheet; a loaded machine may start the last one later
wait_for 3 fourth_waits
claim_eq "with backlog 2, three clients (backlog + 1) finish the handshake before any accept(): h2 shows 3 ESTABLISHED" \
	3 "$(est_h2)"
claim_eq "Recv-Q of the LISTEN row equals the clients waiting in the accept queue: 3" 3 "$(listen_recvq)"
claim_eq "the fourth client stays in SYN-SENT on h1" 1 "$(syn_sent_h1)"
wait_for 3 bash -c "[ \$(on h2 nstat -az TcpExtListenOverflows | awk '/ListenOverflows/ {print \$2}') -gt $ovf0 ]"
claim "nstat TcpExtListenOverflows on h2 grows: the kernel dropped the fourth client's SYN" \
	test "$(ovf)" -gt "$ovf0"
claim "connstat -p shows '-' as the owner of the queued connections: no process has an fd for them yet" \
	bash -c "[ \$(on h2 connstat -p -n -t sport = :5000 | grep -c 'ESTABLISHED -') = 3 ]"

# --- step 6: accept() --------------------------------------------------------------------------
enter
wait_for 3 log_has 'accept() returned fd 4'
claim "accept() returns a new fd, 4, and the listening fd 3 stays" log_has 'accept() returned fd 4: .*listening fd 3 stays'
claim "ls -l /proc/PID/fd now shows fd 3 and fd 4, both sockets" \
	bash -c "ls -l /proc/$SRV/fd | grep -Eq ' 3 -> socket:' && ls -l /proc/$SRV/fd | grep -Eq ' 4 -> socket:'"
claim "connstat -p shows the accepted connection owned by srv_steps" \
	bash -c "on h2 connstat -p -n -t sport = :5000 | grep -q 'ESTABLISHED $SRV/srv_steps'"
wait_for 8 bash -c "on h1 connstat -n -t state syn-sent dport = :5000 | grep -q SYN_SENT; [ \$? = 1 ]"
claim_eq "once accept() made room, the fourth client's next SYN gets in: h1 has 4 ESTABLISHED to port 5000" \
	4 "$(on h1 connstat -n -t state established dport = :5000 | grep -c ESTABLISHED)"
exec 9>&-

# --- the exercise: an echo server that survives EOF and reset ---------------------------------
# grade PROG — run the grading steps against PROG on h2 port 7000; print one line per check,
# "pass<TAB>sentence" or "fail<TAB>sentence<TAB>detail".
grade() {
	local prog=$1 out pid alive
	bg h2 "$prog" >"$LAB_TMP/echo.log" 2>&1
	pid=$BG_PID
	wait_for 3 bash -c "on h2 connstat -l -n -t sport = :7000 | grep -q LISTEN"
	out=$(echo hello | on h1 timeout 5 socat -t 2 - TCP:10.200.2.2:7000 2>&1)
	res "the server echoes a line back" "got '$out'" [ "$out" = hello ]
	# a server that closes on EOF leaves CLOSE-WAIT at once; give a loaded machine 3 s for it
	wait_for 3 bash -c "! on h2 connstat -n -t state close-wait sport = :7000 | grep -q CLOSE_WAIT"
	out=$(on h2 connstat -n -t state close-wait sport = :7000 | grep -c CLOSE_WAIT)
	res "after the client's EOF the server closed its side (no CLOSE-WAIT on h2)" \
		"$out sockets in CLOSE-WAIT" [ "$out" = 0 ]
	on h1 timeout 5 wr_close -n 300000 -d 0.3 -r 10.200.2.2 7000 >/dev/null 2>&1
	sleep 0.5
	kill -0 "$pid" 2>/dev/null && alive=yes || alive=no
	res "after a client's reset (RST) the server is still running" "it exited" [ $alive = yes ]
	out=$(echo again | on h1 timeout 5 socat -t 2 - TCP:10.200.2.2:7000 2>&1)
	res "after the reset the server serves the next client" "got '$out'" [ "$out" = again ]
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
grade_exercise srv_echo
