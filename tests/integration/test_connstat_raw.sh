#!/bin/bash
# connstat's RAW sockets (this kernel has no raw_diag: they come from /proc/net/raw{,6}) against
# ss -w and netstat -w on one namespace: states, queues, addresses, protocol, uid and inodes, both
# families.  tests/peers/sockmaker -w makes ICMP/ICMPv6 and protocol-253 sockets: bound,
# connected (ESTAB) and unbound, with datagrams waiting in their receive queues.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS" "$ND_PEERS/sockmaker"

ns=$(nd_ns raw)
nd_tmpdir dir
nd_bg "$ns" "$ND_PEERS/sockmaker" -w -d "$dir" >"$dir/out"
nd_wait_for 50 grep -q ready "$dir/out" || { fail "sockmaker did not start"; exit 1; }

# state recv_q send_q local_addr protocol peer_addr, from ss -w (the "port" is the protocol)
ss_raw() {
	local any=$1
	shift
	nd_in "$ns" ss -H -w -a -n "$@" 2>/dev/null | awk -v any="$any" '{
		n = split($4, l, ":"); lp = l[n]; la = substr($4, 1, length($4) - length(lp) - 1)
		n = split($5, p, ":"); pa = substr($5, 1, length($5) - length(p[n]) - 1)
		gsub(/[\[\]]/, "", la); gsub(/[\[\]]/, "", pa)
		if (la == "*") la = any
		if (pa == "*") pa = any
		print $1, $2, $3, la, lp, pa
	}' | sort
}
cs_raw() {
	nd_in "$ns" "$CS" -w -a --json "$@" |
		jq -r '.[] | "\(.state) \(.recv_q) \(.send_q) \(.local.address) \(.protocol) \(.peer.address)"' | sort
}
protos() { grep -q ' 253 ' <<<"$1" && grep -Eq ' (1|58) ' <<<"$1"; }
queued() { awk '$2 > 0' <<<"$1" | grep -q .; }
for fam in 4 6; do
	any=0.0.0.0
	[ $fam = 6 ] && any=::
	want=$(ss_raw $any -$fam)
	got=$(cs_raw -$fam)
	check_eq "IPv$fam RAW: state, queues, addresses, protocol agree with ss -w -$fam" "$want" "$got"
	check "IPv$fam RAW: the namespace holds an ESTAB one" grep -q '^ESTAB ' <<<"$want"
	check "IPv$fam RAW: some receive queue is not 0" queued "$want"
	check "IPv$fam RAW: protocol 253 and ICMP are there" protos "$want"
done
check_eq "the local port of a RAW socket is its protocol" "true" \
	"$(nd_in "$ns" "$CS" -w -a --json | jq 'all(.[]; .local.port == .protocol)')"

# netstat -wane: raw/raw6, queues, addresses, the kernel's state number, uid, inode
want=$(nd_in "$ns" netstat -wane | awk '$1 ~ /^raw6?$/ {
	n = split($4, l, ":"); lp = l[n]; la = substr($4, 1, length($4) - length(lp) - 1)
	n = split($5, p, ":"); pa = substr($5, 1, length($5) - length(p[n]) - 1)
	print $1, $2, $3, la, lp, pa, $6, $7, $8
}' | sort)
got=$(nd_in "$ns" "$CS" -w -a -e --json | jq -r '.[] |
	[(if .family == "inet6" then "raw6" else "raw" end), .recv_q, .send_q, .local.address, .protocol,
	 .peer.address, (if .state == "ESTAB" then 1 elif .state == "UNCONN" then 7 else .state end),
	 .uid, .inode] | map(tostring) | join(" ")' | sort)
check_eq "RAW agrees with netstat -wane (queues, addresses, protocol, state, uid, inode)" "$want" "$got"
check_eq "connstat lists 8 RAW sockets (2 ICMP + 6 protocol 253)" 8 "$(wc -l <<<"$got")"

# text: netstat's proto column and the protocol as the port
check "text: raw6 [::1]:253 row" sh -c "ip netns exec $ns $CS -wan | grep -q '^raw6 .*\[::1\]:253 '"
check "text: protocol names unless -n (0.0.0.0:icmp)" sh -c "ip netns exec $ns $CS -wa | grep -q '^raw .*0\.0\.0\.0:icmp '"

# selection and filters on RAW, run in user space here as in ss
want=$(nd_in "$ns" ss -H -w -n 2>/dev/null | wc -l)
got=$(nd_in "$ns" "$CS" -w --json | jq length)
check_eq "default (connected only) RAW count agrees with ss -w" "$want" "$got"
for expr in "src 127.0.0.1" "dst 127.0.0.2" "sport = :253" "sport = :1" "not src [::1]" \
	"src [::1] or dst 127.0.0.2" "state established"; do
	# shellcheck disable=SC2086
	want=$(nd_in "$ns" ss -H -w -a -n $expr 2>/dev/null | awk '{print $(NF-1), $NF}' | sort)
	# shellcheck disable=SC2086
	got=$(nd_in "$ns" "$CS" -w -a -n $expr | awk 'NR > 2 {print $4, $5}' |
		sed 's/\[::\]/*/g; s/0\.0\.0\.0:\*/0.0.0.0:*/' | sort)
	if [ -z "$want" ]; then
		fail "RAW '$expr' selects nothing in ss (a test that cannot fail)"
		continue
	fi
	check_eq "RAW '$expr' selects what ss selects" "$want" "$got"
done

# -s counts RAW sockets as ss -w lists them
want=$(nd_in "$ns" ss -H -w -a -n 2>/dev/null | wc -l)
got=$(nd_in "$ns" "$CS" -s --json | jq '.raw.total')
check_eq "-s RAW total agrees with ss -w -a" "$want" "$got"
exit 0
