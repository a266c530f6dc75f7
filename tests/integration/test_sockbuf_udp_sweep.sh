#!/bin/bash
# sockbuf udp: drops = the kernel's counters (SO_RXQ_OVFL and the /proc/net/snmp RcvbufErrors
# delta the test reads itself); sockbuf sweep: steps, sizes, chart, CSV; both on loopback and
# between two namespaces over veth with 'sockbuf serve'; bad input and unreachable peers.
. "$(dirname "$0")/lib.sh"
SB=$ND_BIN/sockbuf

a=$(nd_ns udpa)
b=$(nd_ns udpb)
nd_veth_net "$a" "$b" 10.98.6

jqt() { jq -e "$1" >/dev/null 2>&1 <<<"$2"; }
rcvbuf_errors() { nd_in "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp; }

# loopback, one namespace: nothing else sends UDP there
before=$(rcvbuf_errors "$a")
out=$(nd_in "$a" "$SB" udp --json --sizes 4Ki,256Ki --count 3000 --rate 20000)
after=$(rcvbuf_errors "$a")
check "udp --json is JSON" jqt . "$out"
check_eq "loopback: dropped (SO_RXQ_OVFL) summed = RcvbufErrors delta read by the test" \
	"$((after - before))" "$(jq '[.steps[].drops] | add' <<<"$out")"
check_eq "loopback: each step's drops = its RcvbufErrors delta" "true" \
	"$(jq '[.steps[] | .drops == .rcvbuf_errors] | all' <<<"$out")"
check "loopback: the 4Ki receive buffer dropped datagrams" test "$(jq '.steps[0].drops' <<<"$out")" -gt 0
check_eq "loopback: sent = received + dropped in every step" "true" \
	"$(jq '[.steps[] | .sent == .received + .drops] | all' <<<"$out")"
check_eq "loopback: SO_RCVBUF 4Ki reads back doubled" "8192" "$(jq '.steps[0].rcvbuf' <<<"$out")"
check "loopback: the larger buffer received more" test "$(jq '.steps[1].received' <<<"$out")" -gt "$(jq '.steps[0].received' <<<"$out")"

# two hosts: serve in b; the drops counted on b
nd_bg "$b" "$SB" serve --bind 0.0.0.0 >/dev/null
check "serve listens in namespace b" nd_wait_for 30 sh -c "ip netns exec $b ss -Htln sport = :5301 | grep -q 5301"
before=$(rcvbuf_errors "$b")
out=$(nd_in "$a" "$SB" udp --json --connect 10.98.6.2 --sizes 4Ki,64Ki --count 3000)
after=$(rcvbuf_errors "$b")
check_eq "veth: dropped summed = RcvbufErrors delta on the receiving namespace" \
	"$((after - before))" "$(jq '[.steps[].drops] | add' <<<"$out")"
check "veth: the 4Ki receive buffer dropped datagrams" test "$(jq '.steps[0].drops' <<<"$out")" -gt 0
check_eq "veth: received + dropped + lost elsewhere = sent" "true" \
	"$(jq '[.steps[] | .sent == .received + .drops + .lost_elsewhere] | all' <<<"$out")"

# sweep, loopback and veth, short steps
out=$(nd_in "$a" "$SB" sweep --json --time 0.2 --sizes 64Ki,auto)
check_eq "loopback sweep: 2 steps, 64Ki doubled on both ends, the last autotuned" "2 131072 131072 true" \
	"$(jq -r '"\(.steps | length) \(.steps[0].sndbuf) \(.steps[0].rcvbuf) \(.steps[1].autotuned)"' <<<"$out")"
check "loopback sweep: every step moved data" jqt '[.steps[] | .bytes > 0 and .bits_per_second > 0] | all' "$out"
out=$(nd_in "$a" "$SB" sweep --json --time 0.2 --sizes 32Ki,auto --connect 10.98.6.2)
check "veth sweep: every step moved data, counted by the peer" jqt '([.steps[] | .bytes > 0] | all) and .mode == "peer"' "$out"
check_eq "veth sweep: 32Ki doubled on the sender and at the peer" "65536 65536" \
	"$(jq -r '"\(.steps[0].sndbuf) \(.steps[0].rcvbuf)"' <<<"$out")"
txt=$(nd_in "$a" "$SB" sweep --time 0.1 --sizes 16Ki,auto)
check "sweep text: a Unicode bar chart" grep -q $'\u2588' <<<"$txt"
txt=$(nd_in "$a" "$SB" sweep --time 0.1 --sizes 16Ki,auto --ascii)
check "sweep --ascii: '#' bars and no Unicode blocks" sh -c "grep -q '|.*#' && ! grep -q $'\u2588'" <<<"$txt"
csv=$(nd_in "$a" "$SB" sweep --time 0.1 --sizes 16Ki,auto --csv)
check_eq "sweep --csv: header, 2 rows, the last 'auto'" "size,sndbuf,rcvbuf,bytes,seconds,bits_per_second,rtt_us 3 auto" \
	"$(head -1 <<<"$csv") $(wc -l <<<"$csv") $(tail -1 <<<"$csv" | cut -d, -f1)"

# bad input and peers that do not answer: one line on stderr, exit 2, no hang
one_line_2() { # what cmd...
	local what=$1 err rc
	shift
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	check_eq "$what: exit 2, one line on stderr" "2 1" "$rc $(printf '%s\n' "$err" | wc -l)"
}
one_line_2 "udp --sizes 12q" nd_in "$a" "$SB" udp --sizes 12q
one_line_2 "sweep --time -1" nd_in "$a" "$SB" sweep --time -1
one_line_2 "serve on a port in use" nd_in "$b" "$SB" serve --port 5301
one_line_2 "sweep to an address nobody has (bounded connect)" nd_in "$a" "$SB" sweep --connect 10.98.6.77 --timeout 0.5
one_line_2 "udp to a port with no listener" nd_in "$a" "$SB" udp --connect 10.98.6.2:5999
nd_bg "$b" timeout 20 socat -u TCP-LISTEN:5302,reuseaddr OPEN:/dev/null
nd_wait_for 30 sh -c "ip netns exec $b ss -Htln sport = :5302 | grep -q 5302"
one_line_2 "fill to a peer that accepts but never answers" nd_in "$a" "$SB" fill --connect 10.98.6.2:5302 --timeout 0.5
out=$(nd_in "$a" "$SB" fill --json --connect 10.98.6.2:5302 --timeout 0.5 2>/dev/null)
check "fill --json on that error: stdout is empty or valid JSON" sh -c '[ -z "$1" ] || printf "%s" "$1" | jq -e . >/dev/null' _ "$out"

# --- IPv6: the drops of an IPv6 socket count in /proc/net/snmp6 (Udp6RcvbufErrors) -----------
rcvbuf6_errors() { nd_in "$1" awk '$1 == "Udp6RcvbufErrors" { print $2 }' /proc/net/snmp6; }
before4=$(rcvbuf_errors "$a")
before6=$(rcvbuf6_errors "$a")
out=$(nd_in "$a" "$SB" udp -6 --json --sizes 4Ki,256Ki --count 3000 --rate 20000)
after4=$(rcvbuf_errors "$a")
after6=$(rcvbuf6_errors "$a")
check "udp -6 --json is JSON, on ::1, naming the snmp6 counter" \
	jqt '.peer == "::1" and (.rcvbuf_errors_counter | test("Udp6RcvbufErrors"))' "$out"
check "::1: the 4Ki receive buffer dropped datagrams" test "$(jq '.steps[0].drops' <<<"$out")" -gt 0
check_eq "::1: dropped summed = Udp6RcvbufErrors delta read by the test" \
	"$((after6 - before6))" "$(jq '[.steps[].drops] | add' <<<"$out")"
check_eq "::1: each step's rcvbuf_errors = its drops (from snmp6, not snmp)" "true" \
	"$(jq '[.steps[] | .drops == .rcvbuf_errors] | all' <<<"$out")"
check_eq "::1: the IPv4 RcvbufErrors did not move" "$before4" "$after4"

ip -n "$a" addr add fd00:98:6::1/64 dev va nodad
ip -n "$b" addr add fd00:98:6::2/64 dev vb nodad
nd_bg "$b" "$SB" serve --bind fd00:98:6::2 --port 5303 >/dev/null
check "serve listens on fd00:98:6::2 in namespace b" \
	nd_wait_for 30 sh -c "ip netns exec $b ss -Htln sport = :5303 | grep -q 5303"
before4=$(rcvbuf_errors "$b")
before6=$(rcvbuf6_errors "$b")
out=$(nd_in "$a" "$SB" udp --json --connect '[fd00:98:6::2]:5303' --sizes 4Ki,64Ki --count 3000)
after4=$(rcvbuf_errors "$b")
after6=$(rcvbuf6_errors "$b")
check "veth IPv6: the 4Ki receive buffer dropped datagrams" test "$(jq '.steps[0].drops' <<<"$out")" -gt 0
check_eq "veth IPv6: dropped summed = Udp6RcvbufErrors delta on the receiving namespace" \
	"$((after6 - before6))" "$(jq '[.steps[].drops] | add' <<<"$out")"
check_eq "veth IPv6: the peer's rcvbuf_errors = its drops, step by step" "true" \
	"$(jq '[.steps[] | .drops == .rcvbuf_errors] | all' <<<"$out")"
check_eq "veth IPv6: the receiving namespace's IPv4 RcvbufErrors did not move" "$before4" "$after4"
one_line_2 "udp -6 with --connect" nd_in "$a" "$SB" udp -6 --connect 10.98.6.2
