#!/bin/bash
# miniping against a hostile echo responder (tests/peers/tunpeer on a TUN device in a namespace):
# send times of INT64_MAX, 0 and an hour ahead, replies to sequence numbers never sent, replies with
# another identifier, truncated and oversize payloads, an ICMP error quoting a number never sent.  miniping keeps working, counts only intact
# replies to what it sent, and prints one line for each reply it rejects.  iputils ping is the
# oracle where it is right (oversize, wrong identifier); it counts the reply to a number it never
# sent and prints absurd times for the stamps, which miniping must not.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_tmpdir TMPD

TUNPEER_NS=ph . "$(dirname "$0")/tunpeer.sh"
HOSTILE=(--stamp-max 2 --stamp-zero 3 --stamp-future 4 --unsent 5 --wrong-id 6 --oversize 7 --truncate 8
	--unreach-unsent 9)

for fam in 4 6; do
	dst=10.0.0.2 v=v4
	[ $fam = 6 ] && dst=fd00::2 v=v6
	peer "${HOSTILE[@]}"
	out=$(nd_in "$ns" timeout 30 "$M" -n -c 10 -i 0.1 -W 1 "$dst" 2>"$TMPD/err"); rc=$?
	stop_peer
	check_eq "$v: the peer did each fault once" "1 1 1 1 1 1 1 1 2" \
		"$(n stampmax) $(n stampzero) $(n stampfuture) $(n unsent) $(n wrongid) $(n oversize) $(n truncate) $(n unreachunsent) $(n reply)"
	check_eq "$v: exit 0, nothing on stderr" "0 " "$rc $(cat "$TMPD/err")"
	# received: 1, 7 (oversize) and 10; corrupted: the three stamps and the truncation; no error
	check_eq "$v: summary counts only intact replies to what was sent" \
		"10 packets transmitted, 3 received, +4 corrupted, +1 ignored, 70% packet loss" \
		"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
	for s in 2 3 4; do
		check "$v: seq $s, impossible send time: one line, no time" \
			grep -qE "^64 bytes from $dst: icmp_seq=$s ttl=64 \(corrupt send time: not counted\)$" <<<"$out"
	done
	check "$v: the reply to a number never sent: one line" \
		grep -qE "^64 bytes from $dst: icmp_seq=30005 ttl=64 \(never sent: ignored\)$" <<<"$out"
	check_eq "$v: no line for seq 5 itself, the wrong identifier's 6, nor the error about 30009" "" \
		"$(grep -E 'icmp_seq=(5|6|9|30009)( |$)' <<<"$out")"
	check "$v: oversize reply counted, its size shown" \
		grep -qE "^1064 bytes from $dst: icmp_seq=7 ttl=64 time=[0-9.]+ ms$" <<<"$out"
	max=$(sed -n 's|^rtt min/avg/max/mdev = [0-9.]*/[0-9.]*/\([0-9]*\)\..*|\1|p' <<<"$out")
	check "$v: rtt max stays sane (${max:-none} ms)" test -n "$max" -a "${max:-99999}" -lt 1000

	# JSON: one document per line, the same counts, and one round-trip value everywhere
	peer "${HOSTILE[@]}"
	js=$(nd_in "$ns" timeout 30 "$M" --json -n -c 10 -i 0.1 -W 1 "$dst" 2>"$TMPD/err")
	stop_peer
	check "$v: --json: every line a JSON document" jq -e . <<<"$js" >/dev/null
	sum=$(jq -c 'select(.event == "summary") | [.transmitted, .received, .corrupted, .ignored, .errors]' <<<"$js")
	check_eq "$v: --json: summary counts" "[10,3,4,1,0]" "$sum"
	check_eq "$v: --json: the stamps flagged corrupt, without time_ms" '[2,3,4]' \
		"$(jq -sc '[.[] | select(.event == "reply" and .bad_time == true and .corrupted == true and (has("time_ms") | not)) | .seq]' <<<"$js")"
	check_eq "$v: --json: the unsent reply flagged ignored" '[30005]' \
		"$(jq -sc '[.[] | select(.event == "reply" and .ignored == true) | .seq]' <<<"$js")"
	check_eq "$v: --json: rtt min/max = the smallest/largest time_ms of the counted replies" \
		"$(jq -sc '[.[] | select(.event == "reply" and .corrupted == false and (.ignored | not) and has("time_ms")) | .time_ms] | [min, max]' <<<"$js")" \
		"$(jq -c 'select(.event == "summary") | [.rtt.min, .rtt.max]' <<<"$js")"
done

# the unprivileged path (ICMP datagram socket, as nobody): the kernel matches replies to the
# socket by identifier, so the wrong identifier never arrives; the rest is judged the same way
nd_in "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
peer "${HOSTILE[@]}"
out=$(nd_in "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	timeout 30 "$M" -v -n -c 10 -i 0.1 -W 1 10.0.0.2 2>&1); rc=$?
stop_peer
check "datagram socket: it was the unprivileged socket" grep -q 'datagram (unprivileged) socket' <<<"$out"
check_eq "datagram socket: the same counts as the raw socket" \
	"0|10 packets transmitted, 3 received, +4 corrupted, +1 ignored, 70% packet loss" \
	"$rc|$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
check "datagram socket: the reply to a number never sent: one line" \
	grep -qE "^64 bytes from 10.0.0.2: icmp_seq=30005 ident=[0-9]+ ttl=64 \(never sent: ignored\)$" <<<"$out"

# the oracle: iputils shows the oversize reply and ignores the wrong identifier the same way
peer --wrong-id 2 --oversize 3
ref=$(nd_in "$ns" timeout 30 ping -n -c 4 -i 0.1 -W 1 10.0.0.2)
stop_peer
peer --wrong-id 2 --oversize 3
out=$(nd_in "$ns" timeout 30 "$M" -n -c 4 -i 0.1 -W 1 10.0.0.2)
stop_peer
# (iputils reads at most the size it sent plus headers, 192 bytes, so it shows 172 where miniping
# shows the 1064 that came: the sizes aside)
strip() { grep -E 'bytes from|packets transmitted' | sed 's/ time=[0-9.]* ms//; s/, time.*//; s/^[0-9]* bytes/N bytes/'; }
check_eq "oversize and wrong identifier: every line as iputils, times and sizes aside" \
	"$(strip <<<"$ref")" "$(strip <<<"$out")"
check "the oversize reply: miniping shows all 1064 bytes" grep -q '^1064 bytes from 10.0.0.2: icmp_seq=3 ' <<<"$out"

# every reply hostile, a flood of them: it keeps going to the end and receives nothing
peer --unsent all
out=$(nd_in "$ns" timeout 30 "$M" -n -c 50 -i 0.01 -W 1 10.0.0.2 2>&1); rc=$?
stop_peer
check_eq "all 50 replies to numbers never sent: exit 1, none received" \
	"1|50 packets transmitted, 0 received, +50 ignored, 100% packet loss" \
	"$rc|$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
exit 0
