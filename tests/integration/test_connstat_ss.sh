#!/bin/bash
# connstat against ss on one namespace holding sockets in every state (tests/peers/sockmaker):
# the same sockets, states, queues, addresses, ports and inodes; -p, -s, filters, bad input.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS" "$ND_PEERS/sockmaker"

ns=$(nd_ns cs)
nd_tun "$ns" tun0
ip -n "$ns" addr add 10.200.0.1/24 dev tun0
ip -n "$ns" link set tun0 up
nd_tmpdir dir
nd_bg "$ns" "$ND_PEERS/sockmaker" -s 10.200.0.2 -d "$dir" >"$dir/out"
maker=$ND_LAST_PID
nd_wait_for 50 grep -q ready "$dir/out" || { fail "sockmaker did not start"; exit 1; }
# the SYN-SENT socket may take a moment to show up
nd_wait_for 20 sh -c "ip netns exec $ns ss -H -t state syn-sent | grep -q 10.200.0.2"

# --- normalizers: one line per socket, the same fields from both tools ---
# netid state recv_q send_q local_addr local_port peer_addr peer_port inode
ss_norm() {
	# ss leaves its Netid column out when one protocol is asked for: $1 says which
	awk -v def="${1:-}" '$1 !~ /^(tcp|udp|raw|u_str|u_dgr|u_seq)$/ { $0 = def " " $0 } {
		ino = 0
		for (i = 7; i <= NF; i++) if ($i ~ /^ino:/) { ino = substr($i, 5) }
		if ($1 ~ /^u_/) {
			path = $5; if (path == "*") path = "-"
			print $1, $2, $3, $4, path, $6, "-", $8, $6
			next
		}
		n = split($5, l, ":"); lp = l[n]; la = substr($5, 1, length($5) - length(lp) - 1)
		n = split($6, p, ":"); pp = p[n]; pa = substr($6, 1, length($6) - length(pp) - 1)
		if (pp == "*") pp = 0
		gsub(/[\[\]]/, "", la); gsub(/[\[\]]/, "", pa)
		if (la == "*") la = "::"
		if (pa == "*") pa = "::"
		print $1, $2, $3, $4, la, lp, pa, pp, ino
	}' | sort
}
cs_norm() {
	jq -r '.[] | if .family == "unix" then
		[.netid, .state, .recv_q, .send_q, (.path // "-"), .inode, "-", .peer_inode, .inode]
	else
		[.netid, .state, .recv_q, .send_q, .local.address, .local.port, .peer.address, .peer.port, .inode]
	end | map(tostring) | join(" ")' | sort
}

# ss prints no inode for RAW sockets: those are compared with netstat -wane below
noraw_ino() { sed '/^raw /s/ [0-9]*$/ 0/'; }
want=$(nd_in "$ns" ss -H -a -tuwx -n -e 2>/dev/null | ss_norm)
got=$(nd_in "$ns" "$CS" -a --json | cs_norm)
check_eq "connstat -a --json lists what ss -H -a -tuwx lists (states, queues, addresses, ports, inodes)" "$want" "$(noraw_ino <<<"$got")"
has() { grep -q -- "$1" <<<"$got"; }
for st in LISTEN ESTAB SYN-SENT CLOSE-WAIT FIN-WAIT-2 TIME-WAIT UNCONN; do
	check "the namespace holds a $st socket" has " $st "
done
for n in udp raw u_str u_dgr u_seq; do
	check "the namespace holds a $n socket" has "^$n "
done
want=$(nd_in "$ns" netstat -wane | awk '$1 ~ /^raw/ {print $NF}' | sort)
got=$(nd_in "$ns" "$CS" -w -a --json | jq -r '.[].inode' | sort)
check_eq "RAW inodes agree with netstat -wane" "$want" "$got"

# per protocol, and the default (all but listening/unconnected) against ss's 'state connected'
declare -A NETID=([t]=tcp [u]=udp [w]=raw [x]=u_str)
for p in t u w x; do
	want=$(nd_in "$ns" ss -H -a -$p -n -e 2>/dev/null | ss_norm "${NETID[$p]}")
	got=$(nd_in "$ns" "$CS" -a -$p --json | cs_norm | noraw_ino)
	check_eq "connstat -a -$p agrees with ss -a -$p" "$want" "$got"
done
want=$(nd_in "$ns" ss -H -tuwx -n -e state connected 2>/dev/null | ss_norm)
got=$(nd_in "$ns" "$CS" --json | cs_norm | noraw_ino)
check_eq "default selection = ss state connected (netstat: no listeners, TIME-WAIT shown)" "$want" "$got"
want=$(nd_in "$ns" ss -H -l -tuwx -n -e 2>/dev/null | ss_norm)
got=$(nd_in "$ns" "$CS" -l --json | cs_norm | noraw_ino)
check_eq "connstat -l agrees with ss -l" "$want" "$got"
want=$(nd_in "$ns" ss -H -a -t -6 -n -e 2>/dev/null | ss_norm tcp)
got=$(nd_in "$ns" "$CS" -a -t -6 --json | cs_norm)
check_eq "connstat -a -t -6 agrees with ss -a -t -6" "$want" "$got"

# --- -p: owners (inode pid fd) as ss -p sees them ---
want=$(nd_in "$ns" ss -H -a -tux -n -e -p 2>/dev/null | awk -f "$(dirname "$0")/ss_owners.awk" | sort)
got=$(nd_in "$ns" "$CS" -a -tux -p --json | jq -r '.[] | .inode as $i | .process[] | "\($i) \(.pid) \(.fd)"' | sort)
check_eq "connstat -p owners (inode pid fd) agree with ss -p" "$want" "$got"
check_eq "every owner is the sockmaker" "$maker" "$(awk '{print $2}' <<<"$got" | sort -u)"
check "-p text shows PID/Program name" sh -c "ip netns exec $ns $CS -tanp | grep -q ' $maker/sockmaker'"

# --- -s: counts per state from ss ---
want=$(nd_in "$ns" ss -H -a -t -n | awk '{print "tcp", $1}' | sort | uniq -c | awk '{print $2, $3, $1}')
got=$(nd_in "$ns" "$CS" -s --json | jq -r 'to_entries[] | select(.value | type == "object") | .key as $n | .value.states | to_entries[] | "\($n) \(.key) \(.value)"' | grep '^tcp ' | sort)
check_eq "connstat -s TCP counts per state agree with ss" "$want" "$got"
want=$(nd_in "$ns" ss -H -a -tuwx -n 2>/dev/null | wc -l)
got=$(nd_in "$ns" "$CS" -s --json | jq .total)
check_eq "connstat -s total agrees with ss" "$want" "$got"

# --- filters: the same expression selects the same sockets in both ---
# (netid local peer): ss drops its State column when one state is selected, so the state is
# not compared here (the state filter itself is, by the sets selected)
fsel_ss() {
	nd_in "$ns" ss -H -a -tu -n "$@" 2>/dev/null | awk '{print $1, $(NF-1), $NF}' |
		sed 's/\[//g; s/\]//g; s/:\*$/:0/; s/ \*:/ :::/g' | sort
}
fsel_cs() {
	nd_in "$ns" "$CS" -a -tu --json "$@" |
		jq -r '.[] | "\(.netid) \(.local.address):\(.local.port) \(.peer.address):\(.peer.port)"' | sort
}
while IFS= read -r expr; do
	[ -n "$expr" ] || continue
	# shellcheck disable=SC2086
	want=$(fsel_ss $expr)
	# shellcheck disable=SC2086
	got=$(fsel_cs $expr)
	if [ -z "$want" ] && [ -z "$got" ]; then
		fail "filter '$expr' selects nothing in both (a test that cannot fail)"
		continue
	fi
	check_eq "filter '$expr' selects what ss selects" "$want" "$got"
done <<'EXPRS'
sport = :7001
dport = :7001
sport != :7001
sport eq :7002
sport > :7001
sport < :7002
sport >= :7002
sport <= :7001
dport ge :7000 and dport le :7005
dport gt :7001 or sport lt :7002
src 127.0.0.1
src [::1]
src 127.0.0.1:7001
dst 127.0.0.0/8
dst [::1]:7002
src 10.200.0.0/24
dst 10.200.0.2:80
not dst 127.0.0.1
! sport = :7001
( sport = :7001 or sport = :7002 ) and not dst 127.0.0.1
sport = :7001 or dport = :7001 dport != :7001
not ( sport = :7001 or dport = :7001 )
sport = :7001 || sport = :7003
state established
state time-wait
state listening
state syn-sent
state fin-wait-2 state close-wait
state connected
state synchronized
exclude established
state established ( dport = :7001 or sport = :7001 )
state all sport = :7004
EXPRS

# --- bad input: one line on stderr, exit 2, the token named ---
bad() {
	local what=$1 token=$2 err
	shift 2
	err=$(nd_in "$ns" "$CS" "$@" 2>&1 >/dev/null)
	check_status "$what: exit 2" 2 nd_in "$ns" "$CS" "$@"
	check "$what: one line naming '$token' ($err)" sh -c "[ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ] && printf '%s' \"\$1\" | grep -qF -- \"\$2\"" _ "$err" "$token"
}
bad "unknown word in the expression" bogus -t sport = :80 and bogus
bad "unknown state" frobbed -t state frobbed
bad "port out of range" 70000 -t sport = :70000
bad "bad address" 1.2.3.400 -t src 1.2.3.400
bad "unbalanced parenthesis" ')' -t '(' sport = :80
bad "operator without operand" dport -t dport
bad "unknown option" -Z -Z
check "bad input leaves stdout valid JSON" sh -c "ip netns exec $ns $CS --json -t state frobbed 2>/dev/null | jq -e . >/dev/null || [ -z \"\$(ip netns exec $ns $CS --json -t state frobbed 2>/dev/null)\" ]"

# --- text output: netstat's header and columns ---
hdr=$(nd_in "$ns" "$CS" -tn | sed -n 2p)
check_eq "text header is netstat's" "Proto Recv-Q Send-Q Local Address           Foreign Address         State" "$hdr"
check "IPv6 shown as [addr]:port" sh -c "ip netns exec $ns $CS -tn | grep -q '^tcp6 .*\[::1\]:7002 '"
check "UNIX listener shown as netstat -x does" sh -c "ip netns exec $ns $CS -xl | grep -q 'STREAM *LISTENING *[0-9]* *$dir/stream.sock'"
check "service names unless -n (UDP 7003 is afs3-vlserver)" sh -c "ip netns exec $ns $CS -ul | grep -q '127.0.0.1:afs3-vlserver'"
check "numbers with -n" sh -c "ip netns exec $ns $CS -uln | grep -q '127.0.0.1:7003 '"
check "-e -o -i -m JSON carries uid, timer, tcp_info and skmem" sh -c "ip netns exec $ns $CS -t -eoim --json | jq -e 'all(.[]; has(\"uid\") and has(\"timer\")) and any(.[]; .skmem.rcvbuf > 0) and any(.[]; .tcp_info.cwnd > 0)' >/dev/null"
check "-r names 127.0.0.1 from /etc/hosts" sh -c "ip netns exec $ns $CS -tlr | grep -q '^tcp .* localhost:7001 '"
check "-o shows the TIME-WAIT timer" sh -c "ip netns exec $ns $CS -tano | grep TIME_WAIT | grep -q 'timewait ('"
exit 0
