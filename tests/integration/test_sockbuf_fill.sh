#!/bin/bash
# sockbuf fill: accepted bytes = sender SIOCOUTQ + receiver SIOCINQ, growth with the buffer
# sizes, the blocking write, the trace; on loopback and between two namespaces over veth.
. "$(dirname "$0")/lib.sh"
SB=$ND_BIN/sockbuf

a=$(nd_ns filla)
b=$(nd_ns fillb)
nd_veth_net "$a" "$b" 10.98.5

accounts() { # JSON -> "accepted outq+inq settled"
	jq -r '"\(.accepted) \(.sender.outq + .receiver.inq) \(.settled)"' <<<"$1"
}
accepted_of() { jq -r .accepted <<<"$1"; }

for opts in "" "--sndbuf 32Ki --rcvbuf 32Ki" "--sndbuf 1Mi --rcvbuf 64Ki --chunk 10000"; do
	out=$(nd_in "$a" "$SB" fill --json $opts)
	read -r acc sum settled <<<"$(accounts "$out")"
	check_eq "loopback fill ${opts:-(autotuned)}: accepted = SIOCOUTQ + SIOCINQ, settled" "$acc $acc true" "$acc $sum $settled"
done

s1=$(accepted_of "$(nd_in "$a" "$SB" fill --json --sndbuf 32Ki --rcvbuf 32Ki)")
s2=$(accepted_of "$(nd_in "$a" "$SB" fill --json --sndbuf 512Ki --rcvbuf 32Ki)")
r2=$(accepted_of "$(nd_in "$a" "$SB" fill --json --sndbuf 32Ki --rcvbuf 512Ki)")
check "accepted grows with SO_SNDBUF ($s1 -> $s2)" test "$s2" -gt "$s1"
check "accepted grows with SO_RCVBUF ($s1 -> $r2)" test "$r2" -gt "$s1"
# the send queue holds at most what the doubled SO_SNDBUF allows
out=$(nd_in "$a" "$SB" fill --json --sndbuf 512Ki --rcvbuf 32Ki)
check "SIOCOUTQ ($(jq .sender.outq <<<"$out")) fits in SO_SNDBUF 2x512Ki" test "$(jq .sender.outq <<<"$out")" -le 1048576

# trace: one row per write, the last one EAGAIN, its accepted the total
out=$(nd_in "$a" "$SB" fill --json --trace --sndbuf 64Ki --rcvbuf 64Ki --chunk 16Ki)
check_eq "trace: rows = writes, last row EAGAIN with the final total" \
	"$(jq -r '"\(.writes) EAGAIN \(.accepted)"' <<<"$out")" \
	"$(jq -r '"\(.trace | length) \(.trace[-1].error) \(.trace[-1].accepted)"' <<<"$out")"
check_eq "trace: accepted is the running sum of the returned bytes" \
	"$(jq -r '[.trace[] | .accepted] | join(" ")' <<<"$out")" \
	"$(jq -r '[foreach .trace[] as $r (0; . + ($r.returned // 0))] | join(" ")' <<<"$out")"
csv=$(nd_in "$a" "$SB" fill --trace --csv --sndbuf 64Ki --rcvbuf 64Ki --chunk 16Ki)
check_eq "trace --csv: a header and rows of 7 fields" "write,returned,accepted,outq,unsent,inq,t_ms 7" \
	"$(head -1 <<<"$csv") $(tail -n +2 <<<"$csv" | awk -F, '{print NF}' | sort -u | tr '\n' ' ' | sed 's/ $//')"

# the blocking write returns only after the reader started draining
blocking_checks() { # where json
	local where=$1 out=$2
	check_eq "$where: blocking write: events in order fill_done, write_start, reader_start, write_return" \
		"fill_done write_start reader_start write_return" "$(jq -r '[.blocking.events[].event] | join(" ")' <<<"$out")"
	check_eq "$where: blocking write returned after the reader started" "true" \
		"$(jq -r '.blocking.returned_after_reader_start' <<<"$out")"
	check_eq "$where: the reader drained every byte written" \
		"$(jq -r '.blocking.written_total' <<<"$out")" "$(jq -r '.blocking.reader_bytes' <<<"$out")"
}
blocking_checks loopback "$(nd_in "$a" "$SB" fill --json --blocking --delay 0.3)"

# two hosts: the receiver is 'sockbuf serve' in namespace b
nd_bg "$b" "$SB" serve --port 5301 --bind 0.0.0.0 >/dev/null
check "serve listens in namespace b" nd_wait_for 30 sh -c "ip netns exec $b ss -Htln sport = :5301 | grep -q 5301"
for opts in "" "--sndbuf 64Ki --rcvbuf 64Ki"; do
	out=$(nd_in "$a" "$SB" fill --json --connect 10.98.5.2 $opts)
	read -r acc sum settled <<<"$(accounts "$out")"
	check_eq "veth fill ${opts:-(autotuned)}: accepted = SIOCOUTQ + peer's SIOCINQ, settled" "$acc $acc true" "$acc $sum $settled"
done
check_eq "veth fill: mode peer" "peer 10.98.5.2:5301" "$(jq -r '"\(.mode) \(.peer)"' <<<"$out")"
blocking_checks veth "$(nd_in "$a" "$SB" fill --json --connect 10.98.5.2:5301 --blocking --delay 0.3 --sndbuf 64Ki)"

err=$(nd_in "$a" "$SB" fill --sndbuf 12q 2>&1 >/dev/null); rc=$?
check_eq "--sndbuf 12q: exit 2, one line" "2 1" "$rc $(wc -l <<<"$err")"
check_status "--delay -1: exit 2" 2 nd_in "$a" "$SB" fill --blocking --delay -1
