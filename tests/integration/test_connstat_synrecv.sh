#!/bin/bash
# connstat on half-open connections: SYN-RECV request sockets (TCP_NEW_SYN_RECV in the kernel) made
# by tests/peers/synpeer, which writes SYNs into a TUN device and never answers the SYN-ACKs.
# Compared with ss (and netstat's state names) on the same namespace.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS" "$ND_PEERS/synpeer"

N=3
ns=$(nd_ns syn)
nd_in "$ns" sysctl -qw net.ipv4.tcp_syncookies=0
nd_tun "$ns" tun0
ip -n "$ns" addr add 10.201.0.1/24 dev tun0
ip -n "$ns" addr add fd00:201::1/64 dev tun0 nodad
ip -n "$ns" link set tun0 up
out=$(mktemp) && nd_rm_at_exit "$out"
nd_bg "$ns" "$ND_PEERS/synpeer" -i tun0 -p 7010 -n $N -4 10.201.0.1,10.201.0.2 \
	-6 fd00:201::1,fd00:201::2 >"$out"
nd_wait_for 50 grep -q "^ready $((2 * N))" "$out" || { fail "synpeer did not see its SYN-ACKs"; exit 1; }
# an established pair on loopback too, so that the state filters have something to leave out
nd_bg "$ns" socat TCP4-LISTEN:7011,bind=127.0.0.1,reuseaddr EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htln | grep -q 127.0.0.1:7011"
nd_bg "$ns" socat -u TCP4:127.0.0.1:7011 EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htn state established | grep -q 7011"

# state local peer, one line per TCP socket, from both tools
ss_tcp() {
	nd_in "$ns" ss -H -t -n "$@" 2>/dev/null | awk '{
		if ($1 !~ /^[A-Z]/) { $0 = "STATE " $0 }   # ss drops State when one state is asked
		gsub(/[\[\]]/, "")
		print $1, $4, $5
	}' | sort
}
cs_tcp() {
	nd_in "$ns" "$CS" -t --json "$@" | jq -r '.[] |
		"\(.state) \(.local.address):\(.local.port) \(.peer.address):\(if .peer.port == 0 then "*" else .peer.port end)"' |
		sed 's/ 0\.0\.0\.0:\*$/ 0.0.0.0:*/; s/ :::\*$/ :::*/' | sort
}
state_of() { awk '{print $1}'; }

want=$(ss_tcp -a)
got=$(cs_tcp -a)
check_eq "connstat -t -a lists what ss -t -a lists, SYN-RECV included" "$want" "$got"
check_eq "ss sees $N SYN-RECV sockets per family" "$((2 * N))" "$(grep -c '^SYN-RECV ' <<<"$want")"
check_eq "connstat sees $N IPv4 SYN-RECV sockets" "$N" "$(grep -c '^SYN-RECV 10\.201\.0\.1:7010 10\.201\.0\.2:' <<<"$got")"
check_eq "connstat sees $N IPv6 SYN-RECV sockets" "$N" "$(grep -c '^SYN-RECV fd00:201::1:7010 fd00:201::2:' <<<"$got")"

# the state filter: the same sets, and only request sockets in them
for expr in "state syn-recv" "state syn-recv sport = :7010" "state syn-recv dst 10.201.0.2" \
	"state syn-recv dst [fd00:201::2]:40001" "exclude syn-recv" "state connected" \
	"state synchronized" "state bucket" "state all" "state established state syn-recv" \
	"state syn-recv not dport = :40000"; do
	# shellcheck disable=SC2086
	want=$(ss_tcp $expr | awk '{print $2, $3}')
	# shellcheck disable=SC2086
	got=$(cs_tcp $expr | awk '{print $2, $3}')
	if [ -z "$want" ]; then
		fail "'$expr' selects nothing in ss (a test that cannot fail)"
		continue
	fi
	check_eq "'$expr' selects what ss selects" "$want" "$got"
done
got=$(cs_tcp state syn-recv | state_of | sort -u)
check_eq "state syn-recv gives only SYN-RECV sockets" "SYN-RECV" "$got"
check "exclude syn-recv leaves them out" sh -c "! ip netns exec $ns $CS -t --json exclude syn-recv | jq -e 'any(.[]; .state == \"SYN-RECV\")' >/dev/null"
# netstat's default (connected) shows them; -l does not
check_eq "the default selection holds the SYN-RECV sockets" "$((2 * N))" \
	"$(nd_in "$ns" "$CS" -t --json | jq '[.[] | select(.state == "SYN-RECV")] | length')"
check_eq "-l leaves them out" "0" \
	"$(nd_in "$ns" "$CS" -t -l --json | jq '[.[] | select(.state == "SYN-RECV")] | length')"

# text: netstat's state name, and the same rows netstat -tn shows
want=$(nd_in "$ns" netstat -tn | awk '$6 == "SYN_RECV" {print $1, $6}' | sort | uniq -c)
got=$(nd_in "$ns" "$CS" -tn | awk '$6 == "SYN_RECV" {print $1, $6}' | sort | uniq -c)
check_eq "text rows: SYN_RECV per tcp/tcp6 as netstat -tn shows them" "$want" "$got"

# -o: the SYN-ACK retransmit timer, as ss -o names it (the time left moves, the name does not)
want=$(nd_in "$ns" ss -H -tno state syn-recv | sed -n 's/.*timer:(\([a-z]*\),.*/\1/p' | sort | uniq -c)
got=$(nd_in "$ns" "$CS" -t -o --json state syn-recv | jq -r '.[].timer.name' | sort | uniq -c)
check_eq "-o timer names of SYN-RECV sockets agree with ss -o" "$want" "$got"

# -s: counts per state from ss, SYN-RECV included
want=$(nd_in "$ns" ss -H -a -t -n | awk '{print "tcp", $1}' | sort | uniq -c | awk '{print $2, $3, $1}')
got=$(nd_in "$ns" "$CS" -s --json | jq -r '.tcp.states | to_entries[] | "tcp \(.key) \(.value)"' | sort)
check_eq "connstat -s TCP counts per state agree with ss (SYN-RECV included)" "$want" "$got"
check_eq "connstat -s counts $((2 * N)) SYN-RECV" "$((2 * N))" "$(nd_in "$ns" "$CS" -s --json | jq '.tcp.states["SYN-RECV"]')"
check "connstat -s text names SYN-RECV" sh -c "ip netns exec $ns $CS -s | grep -q 'SYN-RECV'"
exit 0
