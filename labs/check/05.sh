#!/bin/bash
# labs/check/05.sh — lab 05, the send buffer: every claim of labs/05-send-buffer.md.
. "$(dirname "$0")/lib.sh"

lab_up
export -f on

# --- step 1: the sizes a new socket gets -------------------------------------------------------
info=$(on h1 sockbuf info --json)
wmem1=$(on h1 sysctl -n net.ipv4.tcp_wmem | awk '{print $2}')
rmem1=$(on h1 sysctl -n net.ipv4.tcp_rmem | awk '{print $2}')
wmax=$(on h1 sysctl -n net.core.wmem_max)
claim_eq "a new TCP socket's SO_SNDBUF is net.ipv4.tcp_wmem's middle value ($wmem1)" "$wmem1" \
	"$(jq '.created[] | select(.type == "tcp") | .sndbuf' <<<"$info")"
claim_eq "a new TCP socket's SO_RCVBUF is net.ipv4.tcp_rmem's middle value ($rmem1)" "$rmem1" \
	"$(jq '.created[] | select(.type == "tcp") | .rcvbuf' <<<"$info")"
claim_eq "asking SO_RCVBUF for 64 KiB gives 131072: the kernel doubles the request (room for its bookkeeping)" \
	131072 "$(jq '.ladder[] | select(.requested == 65536 and .option == "SO_RCVBUF") | .got' <<<"$info")"
claim_eq "asking SO_SNDBUF for 16 MiB gives twice net.core.wmem_max ($wmax): clamped, then doubled" \
	"$((2 * wmax))" "$(jq '.ladder[] | select(.requested == 16777216 and .option == "SO_SNDBUF") | .got' <<<"$info")"

# --- step 2: sockbuf fill on loopback ------------------------------------------------------------
fill=$(on h1 sockbuf fill --json)
claim_match "sockbuf fill: write() accepts bytes until it returns EAGAIN (non-blocking socket, reader not reading)" \
	'^[1-9]' "$(jq '.eagain' <<<"$fill")"
claim_eq "every accepted byte sits in a queue: the sender's SIOCOUTQ + the receiver's SIOCINQ = accepted" \
	"$(jq '.accepted' <<<"$fill")" "$(jq '.sender.outq + .receiver.inq' <<<"$fill")"
claim "most of them wait in the sender's send queue, not yet sent (SIOCOUTQNSD > SIOCINQ)" \
	test "$(jq '.sender.unsent' <<<"$fill")" -gt "$(jq '.receiver.inq' <<<"$fill")"
wmem2=$(on h1 sysctl -n net.ipv4.tcp_wmem | awk '{print $3}')
grown=$(jq '.sndbuf' <<<"$fill")
claim "autotuning grew the sender's buffer as it filled ($grown), from $wmem1 up to at most tcp_wmem's third value ($wmem2)" \
	test "$grown" -gt "$wmem1" -a "$grown" -le "$wmem2"
small=$(on h1 sockbuf fill --sndbuf 16Ki --rcvbuf 16Ki --json)
claim "with --sndbuf 16Ki --rcvbuf 16Ki write() accepts under a tenth of the autotuned run" \
	test "$(($(jq '.accepted' <<<"$small") * 10))" -lt "$(jq '.accepted' <<<"$fill")"
blk=$(on h1 sockbuf fill --blocking --delay 2 --json)
claim_eq "sockbuf fill --blocking: the blocking write() returns only after the reader starts to read" \
	true "$(jq '.blocking.returned_after_reader_start' <<<"$blk")"

# --- step 3: wr_timed against slow_reader across the router --------------------------------------
bg h2 slow_reader -w 4 >"$LAB_TMP/sr.log"
wait_for 3 grep -q 'waiting on port' "$LAB_TMP/sr.log"
bg h1 wr_timed -w 2 10.200.2.2 5500 >"$LAB_TMP/wt.log"
WT=$BG_PID
blocked() { grep -q sk_stream_wait_memory "/proc/$WT/stack"; }
in_write() { [ "$(cut -d' ' -f1-2 "/proc/$WT/syscall")" = "1 0x3" ]; }
# settled LOG — the writer sleeps in write() and has printed nothing new for half a second: past
# the short waits while autotuning grows its buffer, at the wait that lasts until the reader reads.
settled() {
	local n
	n=$(wc -l <"$1")
	blocked && sleep 0.5 && blocked && [ "$(wc -l <"$1")" = "$n" ]
}
wait_for 5 settled "$LAB_TMP/wt.log"
claim "while slow_reader waits, wr_timed sleeps in the kernel's write path: /proc/PID/stack shows sk_stream_wait_memory" \
	blocked
claim "connstat -p names the writer: $WT/wr_timed" \
	bash -c "on h1 connstat -n -t -p dport = :5500 | grep -q ' $WT/wr_timed\$'"
claim "/proc/PID/syscall shows the call it sleeps in: 1 (write) on fd 0x3" in_write
zero_wnd() { on h1 connstat -n -t -i dport = :5500 | grep -q ' snd_wnd:0'; }
wait_for 3 zero_wnd
claim "connstat -i on h1 shows snd_wnd:0: the reader's receive window is closed" zero_wnd
written=$(sed -nE 's/.*written ([0-9]+),.*/\1/p' "$LAB_TMP/wt.log" | tail -1)
sendq=$(on h1 connstat -n -t dport = :5500 | awk '/ESTABLISHED/ {print $3}')
recvq=$(on h2 connstat -n -t sport = :5500 | awk '/ESTABLISHED/ {print $2}')
claim "connstat on h1 shows a Send-Q of many KiB ($sendq bytes)" test "${sendq:-0}" -gt 65536
claim "connstat on h2 shows a Recv-Q too ($recvq bytes): data that arrived but nobody read" \
	test "${recvq:-0}" -gt 0
unsent_all() { on h1 connstat -n -t -i dport = :5500 | grep -q " notsent:$sendq "; }
wait_for 2 unsent_all
claim "connstat -i on h1: none of the Send-Q has been sent yet (notsent:$sendq)" unsent_all
claim_match "connstat -m on h2 shows that memory in skmem: r<bytes> beside rb<buffer size>" \
	'skmem:\(r[1-9][0-9]*,rb[0-9]+,' "$(on h2 connstat -n -t -m sport = :5500)"
claim "Send-Q on h1 + Recv-Q on h2 = what write() took: the returned writes ($written) plus part of the blocked one" \
	test "$((sendq + recvq))" -ge "${written:-0}" -a "$((sendq + recvq))" -le "$((${written:-0} + 65536))"
wait_for 15 grep -q '^all ' "$LAB_TMP/wt.log"
last=$(grep '^all ' "$LAB_TMP/wt.log")
claim_match "once the reader reads, the blocked write() returns and the rest follows: all 2097152 bytes written" \
	'^all 2097152 bytes written' "$last"
claim_match "when the last write() returned, the send queue still held bytes the peer had not acknowledged" \
	'send queue still [1-9][0-9]* bytes' "$last"
wait_for 15 grep -q '^EOF' "$LAB_TMP/sr.log"
claim_match "slow_reader gets every byte in the end, then EOF" '^EOF after 2097152 bytes' \
	"$(grep '^EOF' "$LAB_TMP/sr.log")"

# --- step 4: the reader dies while the writer waits -----------------------------------------------
bg h2 slow_reader -p 5501 -w 60 >"$LAB_TMP/sr2.log"
SR=$BG_PID
wait_for 3 grep -q 'waiting on port' "$LAB_TMP/sr2.log"
bg h1 wr_timed 10.200.2.2 5501 >"$LAB_TMP/wt2.log"
WT=$BG_PID
wait_for 5 settled "$LAB_TMP/wt2.log"
written=$(sed -nE 's/.*written ([0-9]+),.*/\1/p' "$LAB_TMP/wt2.log" | tail -1)
{ kill -9 "$SR" && wait "$SR"; } 2>/dev/null
wait_for 5 grep -q -- '-1 ' "$LAB_TMP/wt2.log"
claim_match "after kill -9 of the reader, wr_timed's next write() fails with ECONNRESET (or EPIPE)" \
	'write #[0-9]+: -1 (Connection reset by peer|Broken pipe)' "$(cat "$LAB_TMP/wt2.log")"
claim "the $written bytes earlier write()s had accepted were never read by any program" \
	test "$(grep -c '^read ' "$LAB_TMP/sr2.log")" = 0 -a "${written:-0}" -gt 0

# --- step 6: buffer size and delay ---------------------------------------------------------------
bg h2 sockbuf serve --bind 10.200.2.2 >/dev/null 2>&1
wait_for 3 bash -c "ip netns exec $LAB_PREFIX-h2 ss -Htln 'sport = :5301' | grep -q LISTEN"
if impair --delay 25 >"$LAB_TMP/imp" 2>&1; then
	sw=$(on h1 sockbuf sweep --connect 10.200.2.2 --sizes 16Ki,4Mi --time 1 --chunk 64Ki --json)
	impair >/dev/null 2>&1
	small=$(jq '.steps[] | select(.size == 16384) | .bits_per_second' <<<"$sw")
	big=$(jq '.steps[] | select(.size == 4194304) | .bits_per_second' <<<"$sw")
	claim "with 25 ms each way, 16 KiB buffers stay under 10 Mbit/s ($small bit/s): about 32 KiB per 50 ms round trip" \
		test "${small:-99999999999}" -lt 10000000
	claim "and 4 MiB buffers carry over 4 times as much ($big bit/s)" \
		test "${big:-0}" -gt "$((4 * ${small:-99999999999}))"
else
	skip_claim "with 25 ms each way, 16 KiB buffers stay under 10 Mbit/s" "lab.sh impair failed: $(head -1 "$LAB_TMP/imp")"
fi
