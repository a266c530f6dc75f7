#!/bin/bash
# labs/check/04.sh — lab 04, the client socket and the three-way handshake: every claim of
# labs/04-client-handshake.md.
. "$(dirname "$0")/lib.sh"

lab_up

# seq_next SEQ — SEQ + 1 in TCP's sequence space, which wraps at 2^32 (one ISN in 4 billion is 2^32 - 1).
seq_next() { echo $(((${1:-0} + 1) % 4294967296)); }
# field NAME LINE — the number after "NAME " in a tcpdump line ("seq 123," -> 123), or empty.
field() { sed -nE "s/.* $1 ([0-9]+)[,:].*/\1/p" <<<"$2" | head -1; }

# expect_syns N L — how many SYNs a connect() into a black hole sends with N retries when the
# first L+1 retransmission timeouts are 1 s (net.ipv4.tcp_syn_linear_timeouts = L, Linux 6.5+; 0
# before) and the later ones double: the kernel gives up once 2^(N+1)-1 seconds have passed.
expect_syns() {
	local n=$1 l=$2 limit t=0 i=0 count=0 step
	limit=$(((1 << (n + 1)) - 1))
	while [ $t -lt $limit ]; do
		count=$((count + 1))
		i=$((i + 1))
		if [ $i -le $((l + 1)) ]; then step=1; else step=$((1 << (i - l - 1))); fi
		t=$((t + step))
	done
	echo $count
}
LINEAR=$(ip netns exec "$LAB_PREFIX-h1" sysctl -n net.ipv4.tcp_syn_linear_timeouts 2>/dev/null || echo 0)

# capture FILE FILTER COUNT — tcpdump on h1's eth0 in the background, line-buffered, -S (absolute
# sequence numbers); waits until it listens.
capture() {
	bg h1 timeout 15 tcpdump -i eth0 -n -S -l -c "$3" "$2" >"$1" 2>"$1.err"
	CAP=$BG_PID
	wait_for 3 grep -q 'listening on' "$1.err"
}

# --- step 1: a live port -------------------------------------------------------------------------
bg h2 srv_echo >/dev/null
wait_for 3 bash -c "ip netns exec $LAB_PREFIX-h2 ss -Htln 'sport = :7000' | grep -q LISTEN"
capture "$LAB_TMP/hs" 'tcp port 7000' 3
out=$(on h1 cli_connect 10.200.2.2 7000)
claim_match "connect() to a live port (10.200.2.2:7000) returns 0" 'connect\(\) returned 0' "$out"
wait "$CAP"
syn=$(grep -m1 'Flags \[S\],' "$LAB_TMP/hs")
synack=$(grep -m1 'Flags \[S\.\],' "$LAB_TMP/hs")
ack=$(grep -m1 'Flags \[\.\],' "$LAB_TMP/hs")
j=$(field seq "$syn") k=$(field seq "$synack")
claim_match "tcpdump -S shows the client's SYN with a sequence number j" '^[0-9]+$' "$j"
claim_eq "the server's SYN-ACK carries ack j+1" "$(seq_next "$j")" "$(field ack "$synack")"
claim_match "the SYN-ACK carries its own sequence number k" '^[0-9]+$' "$k"
claim_eq "the client's third segment, a pure ACK, carries ack k+1" "$(seq_next "$k")" "$(field ack "$ack")"
claim_match "the SYN carries the MSS option: mss 1460 (MTU 1500 - 20 bytes IP - 20 bytes TCP)" \
	'options \[mss 1460,' "$syn"
claim_match "the SYN-ACK carries the server's MSS too: mss 1460" 'options \[mss 1460,' "$synack"

# --- step 2: the MSS follows the MTU -------------------------------------------------------------
on h1 ip link set eth0 mtu 1400
capture "$LAB_TMP/mss" 'tcp port 7000 and tcp[tcpflags] & tcp-syn != 0' 2
on h1 cli_connect 10.200.2.2 7000 >/dev/null
wait "$CAP"
claim_match "with h1's MTU at 1400, h1's SYN announces mss 1360" \
	'10\.200\.1\.2\.[0-9]+ > 10\.200\.2\.2\.7000: Flags \[S\],.*mss 1360,' "$(cat "$LAB_TMP/mss")"
claim_match "and h2's SYN-ACK still announces mss 1460 (each side announces its own)" \
	'Flags \[S\.\],.*mss 1460,' "$(cat "$LAB_TMP/mss")"
on h1 ip link set eth0 mtu 1500

# --- step 3: a closed port -----------------------------------------------------------------------
capture "$LAB_TMP/rst" 'tcp port 7001' 2
out=$(on h1 cli_connect 10.200.2.2 7001)
rc=$?
wait "$CAP"
claim_match "connect() to a port where nobody listens fails with ECONNREFUSED" \
	'returned -1 .*ECONNREFUSED' "$out"
claim_eq "cli_connect exits with status 1 when connect() fails" 1 "$rc"
syn=$(grep -m1 'Flags \[S\],' "$LAB_TMP/rst")
rst=$(grep -m1 'Flags \[R\.\],' "$LAB_TMP/rst")
claim_eq "h2's kernel answers the SYN with a reset, Flags [R.], ack j+1" \
	"$(seq_next "$(field seq "$syn")")" "$(field ack "$rst")"

# --- step 4: a black hole, with TCP_SYNCNT -------------------------------------------------------
bg h1 timeout 15 tcpdump -i eth0 -n -S -l 'host 10.200.3.1' >"$LAB_TMP/bh" 2>"$LAB_TMP/bh.err"
CAP=$BG_PID
wait_for 3 grep -q 'listening on' "$LAB_TMP/bh.err"
bg h1 cli_connect -s 2 10.200.3.1 80 >"$LAB_TMP/bh.out"
CLI=$BG_PID
syn_sent() { on h1 connstat -n -t -o state syn-sent dst 10.200.3.1 | grep SYN_SENT; }
wait_for 3 syn_sent
row=$(syn_sent)
claim_match "while connect() waits, connstat shows the socket in SYN-SENT with Send-Q 1 (the SYN)" \
	'^tcp +0 +1 +10\.200\.1\.2:[0-9]+ +10\.200\.3\.1:80 +SYN_SENT' "$row"
claim_match "connstat -o shows its retransmit timer running: on (seconds/retries/0)" \
	'SYN_SENT +on \([0-9.]+/[0-9]+/0\)' "$row"
wait "$CLI"
claim_match "after the retries connect() fails with ETIMEDOUT" 'returned -1 .*ETIMEDOUT' \
	"$(cat "$LAB_TMP/bh.out")"
kill "$CAP" 2>/dev/null
wait "$CAP" 2>/dev/null
syns=$(grep -c 'Flags \[S\],' "$LAB_TMP/bh")
seqs=$(grep 'Flags \[S\],' "$LAB_TMP/bh" | sed -nE 's/.* seq ([0-9]+),.*/\1/p' | sort -u | wc -l)
claim_eq "with TCP_SYNCNT 2 (a 1+2+4 = 7 s limit) and tcp_syn_linear_timeouts = $LINEAR, tcpdump shows $(expect_syns 2 "$LINEAR") SYNs" \
	"$(expect_syns 2 "$LINEAR")" "$syns"
claim_eq "the retransmitted SYNs carry the same sequence number j" 1 "$seqs"
claim_eq "nothing ever answers from 10.200.3.1" 0 "$(grep -c '10\.200\.3\.1\.80 >' "$LAB_TMP/bh")"

# --- step 5: the same through the namespace's sysctls ----------------------------------------------
claim_eq "each namespace starts with net.ipv4.tcp_syn_retries = 6" 6 \
	"$(on h1 sysctl -n net.ipv4.tcp_syn_retries)"
if [ "$LINEAR" != 0 ]; then
	on h1 sysctl -qw net.ipv4.tcp_syn_retries=2 net.ipv4.tcp_syn_linear_timeouts=0
else
	on h1 sysctl -qw net.ipv4.tcp_syn_retries=2
fi
bg h1 timeout 15 tcpdump -i eth0 -n -S -l 'host 10.200.3.1' >"$LAB_TMP/bh2" 2>"$LAB_TMP/bh2.err"
CAP=$BG_PID
wait_for 3 grep -q 'listening on' "$LAB_TMP/bh2.err"
out=$(on h1 cli_connect 10.200.3.1 80)
kill "$CAP" 2>/dev/null
wait "$CAP" 2>/dev/null
claim_match "with tcp_syn_retries = 2 on h1, connect() without TCP_SYNCNT fails with ETIMEDOUT" \
	'returned -1 .*ETIMEDOUT' "$out"
claim_eq "with tcp_syn_linear_timeouts = 0 the waits double (1 s, 2 s, then give up at 7 s): tcpdump shows 3 SYNs" \
	3 "$(grep -c 'Flags \[S\],' "$LAB_TMP/bh2")"
claim_eq "the sysctls are h1's own: h2 still has tcp_syn_retries = 6" 6 \
	"$(on h2 sysctl -n net.ipv4.tcp_syn_retries)"
