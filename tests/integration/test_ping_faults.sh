#!/bin/bash
# miniping against the TUN fault peer (tests/peers/tunpeer): delay, loss, duplicates, corrupted
# checksums, truncation, reordering, Destination Unreachable and Time Exceeded, IPv4 and IPv6.
# The peer logs what it did; miniping's lines and counts must match it exactly.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_tmpdir TMPD

TUNPEER_NS=pt . "$(dirname "$0")/tunpeer.sh"
jqq() { jq -e "$@" >/dev/null; }

# IPv4: one fault of each kind, on known sequence numbers
peer --dup 2 --corrupt 3 --truncate 4 --drop 5 --unreach 6 --ttl-exceeded 7 --reorder 8
out=$(nd_in "$ns" "$M" -n -c 10 -i 0.1 -W 1 10.0.0.2); rc=$?
stop_peer
check_eq "v4: the peer saw ten requests" 10 "$(grep -o "seq=[0-9]*" "$TMPD/log" | sort -u | wc -l)"
check_eq "v4: exit 0 (replies came)" 0 "$rc"
want_rx=$(($(n reply) + $(n reorder)))
check_eq "v4: summary counts = what the peer did" \
	"10 packets transmitted, $want_rx received, +$(n dup) duplicates, +$(($(n corrupt) + $(n truncate))) corrupted, +$(($(n unreach) + $(n ttlx))) errors, 50% packet loss" \
	"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
check_eq "v4: one (DUP!) line for seq 2" "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64" \
	"$(grep 'DUP!' <<<"$out" | sed 's/ time=.*//')"
check "v4: corrupted reply flagged" grep -q '^64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=[0-9.]* ms (BAD CHECKSUM!)$' <<<"$out"
check "v4: truncated reply as iputils prints it" grep -qx '16 bytes from 10.0.0.2: icmp_seq=4 ttl=64 (truncated)' <<<"$out"
check_eq "v4: no line for the dropped seq 5" 0 "$(grep -c 'icmp_seq=5' <<<"$out")"
check "v4: Destination Host Unreachable" grep -qx 'From 10.0.0.254 icmp_seq=6 Destination Host Unreachable' <<<"$out"
check "v4: Time to live exceeded" grep -qx 'From 10.0.0.254 icmp_seq=7 Time to live exceeded' <<<"$out"
check_eq "v4: the reordered reply comes after the next one" "9 8" \
	"$(grep -oE 'icmp_seq=(8|9) ' <<<"$out" | tr -dc '0-9\n' | paste -sd' ')"
check "v4: pipe 2 from the reordering, as iputils reports it" grep -q ', pipe 2$' <<<"$out"

# the same faults through iputils: it sees the same number of replies, errors and duplicates
peer --dup 2 --drop 5 --unreach 6 --ttl-exceeded 7 --reorder 8
ref=$(nd_in "$ns" ping -n -c 10 -i 0.1 -W 1 10.0.0.2)
stop_peer
peer --dup 2 --drop 5 --unreach 6 --ttl-exceeded 7 --reorder 8
out=$(nd_in "$ns" "$M" -n -c 10 -i 0.1 -W 1 10.0.0.2)
stop_peer
check_eq "v4: summary line as iputils under the same faults" \
	"$(grep 'packets transmitted' <<<"$ref" | sed 's/, time.*//')" \
	"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
check_eq "v4: every line as iputils, times aside" \
	"$(grep -E 'bytes from|^From' <<<"$ref" | sed 's/ time=[0-9.]* ms//')" \
	"$(grep -E 'bytes from|^From' <<<"$out" | sed 's/ time=[0-9.]* ms//')"

# delay: every RTT at least the added delay; percentiles too
peer --delay 150
out=$(nd_in "$ns" "$M" --json -c 3 -i 0.05 10.0.0.2); rc=$?
stop_peer
check_eq "delay: 3 replies" 3 "$(n reply)"
check "delay: every reply's time_ms >= 150" \
	jqq -s '[.[] | select(.event == "reply") | .time_ms >= 150] == [true, true, true]' <<<"$out"
check "delay: summary p50 >= 150 and pipe > 1 (requests overlap)" \
	jqq 'select(.event == "summary") | .rtt.p50 >= 150 and .pipe > 1' <<<"$out"

# loss of everything: exit 1, timeouts in JSON, -O lines in text
peer --drop all
out=$(nd_in "$ns" "$M" -c 3 -i 0.1 -W 0.3 -O 10.0.0.2); rc=$?
stop_peer
check_eq "all lost: exit 1" 1 "$rc"
check_eq "all lost: -O reported seq 1 and 2 before the next request" \
	"no answer yet for icmp_seq=1 no answer yet for icmp_seq=2" "$(grep 'no answer' <<<"$out" | paste -sd' ')"
check "all lost: 100% loss" grep -q '^3 packets transmitted, 0 received, 100% packet loss' <<<"$out"
peer --drop all
out=$(nd_in "$ns" "$M" --json -c 2 -i 0.1 -W 0.3 10.0.0.2); rc=$?
stop_peer
check_eq "all lost, JSON: a timeout event per request" "1 2" \
	"$(jq -r 'select(.event == "timeout") | .seq' <<<"$out" | paste -sd' ')"
check_eq "all lost, JSON: rtt null, loss 100" "null 100" \
	"$(jq -r 'select(.event == "summary") | "\(.rtt) \(.loss_pct)"' <<<"$out")"

# -w with -c: fewer replies than the count by the deadline -> exit 1, as iputils
peer --drop 2-100
out=$(nd_in "$ns" "$M" -c 5 -w 1 -i 0.2 10.0.0.2); rc=$?
stop_peer
check_eq "-c 5 -w 1 with one reply: exit 1" 1 "$rc"

# IPv6 through the same peer
peer --dup 2 --drop 3 --unreach 4 --ttl-exceeded 5
out=$(nd_in "$ns" "$M" -6 -n -c 6 -i 0.1 -W 1 fd00::2); rc=$?
stop_peer
check_eq "v6: the peer saw six requests" 6 "$(grep -o "seq=[0-9]* v6" "$TMPD/log" | sort -u | wc -l)"
check_eq "v6: summary counts = what the peer did" \
	"6 packets transmitted, $(n reply) received, +$(n dup) duplicates, +$(($(n unreach) + $(n ttlx))) errors, 50% packet loss" \
	"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
check "v6: Destination unreachable line" grep -qx 'From fd00::fe icmp_seq=4 Destination unreachable: Address unreachable' <<<"$out"
check "v6: Time exceeded line" grep -qx 'From fd00::fe icmp_seq=5 Time exceeded: Hop limit' <<<"$out"
check "v6: duplicate flagged" grep -q 'icmp_seq=2 ttl=64 time=[0-9.]* ms (DUP!)$' <<<"$out"

# flood through the faults: dots, erasures and E's add up to what the peer did
peer --drop 10-19 --unreach 30-34
out=$(nd_in "$ns" "$M" -f -c 100 10.0.0.2); rc=$?
stop_peer
check_eq "flood with faults: counts" "100 packets transmitted, 85 received, +5 errors, 15% packet loss" \
	"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
check_eq "flood with faults: 5 E marks" 5 "$(grep -o $'\bE' <<<"$out" | wc -l)"
[ "$ND_FAILS" -eq 0 ]
