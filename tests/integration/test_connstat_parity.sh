#!/bin/bash
# connstat where it once differed from its peers (issue 13), each against ss or netstat on the same
# namespace: service names in filters, tcp_info's unlimited rates, autobound, the bound interface,
# the filter's length, a listener's Send-Q, RAW states, -s with -t, a filter that leaves no family.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS"
nd_need_cmd socat

ns=$(nd_ns par)
nd_tmpdir dir
nd_rm_at_exit "/etc/netns/$ns"
# a hosts file of the namespace's own (ip netns exec bind-mounts it) that names ::1, for -r
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1\tlocalhost\n::1\tip6-localhost ip6-loopback\n' >"/etc/netns/$ns/hosts"
nd_in "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40100"
# 40050 is for the client bound to it below: no autobound socket may take it first (one in 101
# runs the client of port 22 got it, and then "the client bound to 40050" was that one)
nd_in "$ns" sysctl -qw net.ipv4.ip_local_reserved_ports=40050
nd_veth "$ns" vb "$ns" vc
ip -n "$ns" addr add fe80::1/64 dev vb nodad
ip -n "$ns" addr add fe80::1/64 dev vc nodad

listen() { nd_wait_for 50 sh -c "ip netns exec $ns ss -Htln | grep -q -- '$1'"; }
# a server on the ssh port, and one that closes first (its side goes to TIME-WAIT on port 7000)
nd_bg "$ns" socat TCP4-LISTEN:22,bind=127.0.0.1,reuseaddr,fork EXEC:"sleep 60"
nd_bg "$ns" socat TCP4-LISTEN:7000,reuseaddr,fork EXEC:true
listen 127.0.0.1:22
listen :7000
nd_bg "$ns" socat -u TCP4:127.0.0.1:22 EXEC:"sleep 60"
for _ in 1 2; do nd_in "$ns" socat -u TCP4:127.0.0.1:7000 /dev/null </dev/null; done
# established pairs: one client bound explicitly to a port of the local range, one autobound, with
# SO_MAX_PACING_RATE (SOL_SOCKET 1, option 47) at 125000 bytes/s
nd_bg "$ns" socat TCP4-LISTEN:7030,reuseaddr EXEC:"sleep 60"
nd_bg "$ns" socat TCP4-LISTEN:7031,reuseaddr EXEC:"sleep 60"
listen :7030
listen :7031
nd_bg "$ns" socat TCP4:127.0.0.1:7030,bind=127.0.0.1:40050 EXEC:"sleep 60"
nd_bg "$ns" socat TCP4:127.0.0.1:7031,setsockopt-int=1:47:125000 EXEC:"sleep 60"
# bound to a device: twin link-local listeners on two interfaces, and SO_BINDTODEVICE
nd_bg "$ns" socat TCP6-LISTEN:7100,bind="[fe80::1%vb]" EXEC:"sleep 60"
nd_bg "$ns" socat TCP6-LISTEN:7100,bind="[fe80::1%vc]" EXEC:"sleep 60"
nd_bg "$ns" socat TCP4-LISTEN:7101,so-bindtodevice=vb EXEC:"sleep 60"
nd_bg "$ns" socat TCP6-LISTEN:7300,bind="[::1]",reuseaddr EXEC:"sleep 60"
nd_bg "$ns" socat -u IP4-RECV:253 /dev/null
nd_bg "$ns" socat -u UNIX-LISTEN:"$dir/u.sock" /dev/null
listen '%vc:7100'
listen '%vb:7101'
listen '\[::1\]:7300'
nd_bg "$ns" socat TCP6:[::1]:7300 EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htn state established | grep -q 7031"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htn state established | grep -q ':7300 '"
nd_wait_for 50 test -S "$dir/u.sock"

# "local peer" per TCP socket, from both tools ([] and * as ss writes them)
ss_sel() {
	nd_in "$ns" ss -H -t -n "$@" 2>/dev/null | awk '{
		if ($1 !~ /^[A-Z]/) { $0 = "STATE " $0 }
		print $4, $5
	}' | sort
}
cs_sel() {
	nd_in "$ns" "$CS" -t --json "$@" | jq -r '.[] |
		def ep(e): (if .family == "inet6" then "[\(e.address)]" else e.address end) +
			(if e.dev then "%\(e.dev)" else "" end) + ":" +
			(if e.port == 0 then "*" else (e.port | tostring) end);
		"\(ep(.local)) \(ep(.peer))"' | sed 's/\[::\]:\*/[::]:*/g' | sort
}
same_sel() {
	local what=$1 want got
	shift
	want=$(ss_sel "$@")
	got=$(cs_sel "$@")
	if [ -z "$want" ]; then
		fail "$what: ss selects nothing (a test that cannot fail)"
		return
	fi
	check_eq "$what" "$want" "$got"
}

# --- service names in filters: a name known for tcp alone is its port ---
same_sel "sport = :ssh selects what ss selects" -a sport = :ssh
check_eq "sport = :ssh selects what sport = :22 selects" "$(cs_sel -a sport = :22)" "$(cs_sel -a sport = :ssh)"
check_eq "dport = :ssh selects the client of port 22" "1" "$(cs_sel dport = :ssh | wc -l)"
# a services file of our own, in a mount namespace of its own: a name with two ports is refused
printf 'nd-one\t7030/tcp\nnd-amb\t7030/tcp\nnd-amb\t7031/udp\n' >"$dir/services"
with_services() {
	nd_in "$ns" unshare -m sh -c 'mount --bind "$1" /etc/services && shift && exec "$@"' _ \
		"$dir/services" "$@"
}
if with_services true 2>/dev/null; then
	check_eq "a name only in our services file (tcp) selects its port, as ss" \
		"$(with_services ss -Htn sport = :nd-one | awk '{print $4, $5}')" \
		"$(with_services "$CS" -tn sport = :nd-one | awk 'NR > 2 {print $4, $5}')"
	err=$(with_services "$CS" -t sport = :nd-amb 2>&1 >/dev/null)
	check_status "a name with another port for udp: exit 2" 2 with_services "$CS" -t sport = :nd-amb
	check "a name with another port for udp: 'ambiguous' ($err)" grep -q 'ambiguous port ":nd-amb"' <<<"$err"
else
	skip "unshare -m cannot bind-mount a services file here"
fi

# --- tcp_info: "unlimited" rates show as nothing, as in ss ---
info=$(nd_in "$ns" "$CS" -tani --json)
check_eq "no listener has a pacing rate (unlimited), as ss shows none" "0" \
	"$(jq '[.[] | select(.state == "LISTEN") | .tcp_info | select(has("pacing_rate_bps") or has("max_pacing_rate_bps"))] | length' <<<"$info")"
check "no rate wraps past 2^63 in text" sh -c "! ip netns exec $ns $CS -tani | grep -q '[0-9]\{19\}bps'"
check_eq "ss shows no pacing_rate for a listener either" "" \
	"$(nd_in "$ns" ss -Htlni | grep -o 'pacing_rate')"
check_eq "SO_MAX_PACING_RATE 125000 B/s is max_pacing_rate_bps 1000000" "1000000" \
	"$(jq '.[] | select(.peer.port == 7031) | .tcp_info.max_pacing_rate_bps' <<<"$info")"
check "ss shows the same limit (pacing_rate N/1000000bps)" sh -c "ip netns exec $ns ss -Htni dport = :7031 | grep -q 'pacing_rate [0-9]*bps/1000000bps'"
# per established socket: a pacing rate and a ssthresh shown by both or by neither
ss_has() {
	nd_in "$ns" ss -Htni state established | awk -v k="$1" '
		/^ESTAB|^[0-9]/ { if ($1 == "ESTAB") ep = $4 " " $5; else ep = $3 " " $4; next }
		{ print ep, (index($0, " " k) ? "yes" : "no") }' | sort
}
cs_has() {
	jq -r --arg k "$1" '.[] | select(.state == "ESTAB") |
		(if .family == "inet6" then "[\(.local.address)]:\(.local.port) [\(.peer.address)]:\(.peer.port)"
		 else "\(.local.address):\(.local.port) \(.peer.address):\(.peer.port)" end) +
		" \(if .tcp_info | has($k) then "yes" else "no" end)"' <<<"$info" | sort
}
check_eq "pacing_rate shown for the same established sockets as ss" "$(ss_has pacing_rate)" "$(cs_has pacing_rate_bps)"
check_eq "ssthresh shown for the same established sockets as ss (none while infinite)" "$(ss_has ssthresh)" "$(cs_has ssthresh)"

# --- -i's ss fields: wscale, send rate, app_limited, BBR's estimate, per established socket ---
ss_extra() {
	nd_in "$ns" ss -Htni state established | awk '
		/^[0-9]/ { ep = $3 " " $4; next }
		{
			w = "-"; snd = "-"; app = "no"; bw = "-"; mrtt = "-"
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^wscale:/) w = substr($i, 8)
				if ($i == "send") { snd = $(i + 1); sub(/bps$/, "", snd) }
				if ($i == "app_limited") app = "yes"
				if ($i ~ /^bbr:\(/) {
					split(substr($i, 6), kv, /[,)]/)
					for (k in kv) {
						if (kv[k] ~ /^bw:/) { bw = substr(kv[k], 4); sub(/bps$/, "", bw) }
						if (kv[k] ~ /^mrtt:/) mrtt = substr(kv[k], 6)
					}
				}
			}
			print ep, w, snd, app, bw, mrtt
		}' | sort
}
cs_extra() {
	nd_in "$ns" "$CS" -tni --json state established | jq -r '.[] |
		def ep(e): (if .family == "inet6" then "[\(e.address)]" else e.address end) + ":\(e.port)";
		.tcp_info as $t |
		"\(ep(.local)) \(ep(.peer)) " +
		(if $t.snd_wscale then "\($t.snd_wscale),\($t.rcv_wscale)" else "-" end) + " " +
		(if $t.send_rate_bps then ($t.send_rate_bps | tostring) else "-" end) + " " +
		(if $t.app_limited then "yes" else "no" end) + " " +
		(if $t.bbr then "\($t.bbr.bw_bps) \($t.bbr.min_rtt_ms)" else "- -" end)' | sort
}
want=$(ss_extra)
check_eq "-i: wscale, send rate, app_limited and BBR bw/mrtt as ss -ti shows them" "$want" "$(cs_extra)"
if nd_in "$ns" sysctl -n net.ipv4.tcp_congestion_control | grep -q bbr; then
	has_bbr() { ! grep -q ' - -$' <<<"$want"; }
	check "-i: BBR's numbers are there (the namespace runs bbr)" has_bbr
else
	skip "the namespace's congestion control is not bbr: no BBR numbers to compare"
fi

# --- autobound: not bound explicitly (the kernel) and in ip_local_port_range (ss, here) ---
for expr in "autobound" "not autobound" "state all autobound" "sport = :7030 or autobound" \
	"not autobound and not sport = :22"; do
	# shellcheck disable=SC2086
	same_sel "'$expr' selects what ss selects" -a $expr
done
check "the server's TIME-WAIT sockets on port 7000 are not autobound" sh -c \
	"! ip netns exec $ns $CS -tan autobound | grep -q ':7000 '"
check "the client bound to 40050 is not autobound" sh -c \
	"! ip netns exec $ns $CS -tan autobound | grep -q ':40050 '"

# --- the bound interface, as ss shows it ---
want=$(nd_in "$ns" ss -Htln | awk '{print $4}' | grep % | sort)
got=$(cs_sel -l | awk '{print $1}' | grep % | sort)
check_eq "listeners bound to a device: addr%dev:port as ss -tln shows them (JSON)" "$want" "$got"
check_eq "three of them" "3" "$(wc -l <<<"$got")"
got=$(nd_in "$ns" "$CS" -tln | awk 'NR > 2 {print $4}' | grep % | sort)
check_eq "the same in text" "$want" "$got"

# --- the filter's length: up to what the kernel takes, and which limit was hit ---
many() { local i; for i in $(seq "$2" "$3"); do printf '%s :%d or ' "$1" "$i"; done; echo "$1 :1"; }
expr=$(many "sport =" 7000 9999)
same_sel "3000 or-ed terms select what ss selects" -a "$expr"
expr=$(many "sport =" 1 4000)
err=$(nd_in "$ns" "$CS" -ta "$expr" 2>&1 >/dev/null)
check_status "4000 or-ed host terms (80 KB of bytecode): exit 2" 2 nd_in "$ns" "$CS" -ta "$expr"
check "the message names the kernel's bytecode limit ($err)" grep -q 'bytecode is over the 65528 bytes' <<<"$err"
check_eq "--json: stdout is the error document, no partial listing" "2 filter: expression too long" \
	"$(nd_in "$ns" "$CS" -ta --json "$expr" 2>/dev/null | jq -r '"\(.exit) \(.error)"' | cut -d: -f1-2)"
expr=$(for i in $(seq 9000); do printf 'autobound or '; done; echo autobound)
err=$(nd_in "$ns" "$CS" -ta "$expr" 2>&1 >/dev/null)
check "9001 terms: the message names the term limit ($err)" grep -q 'more than 16384 terms' <<<"$err"

# --- text columns as netstat's: a listener's Send-Q, a RAW socket's state ---
# a listener's Send-Q stays ss's (the backlog; netstat shows 0): documented, and lab 03 teaches it
want=$(nd_in "$ns" ss -Htln | awk '{print $2, $3}' | sort)
check_eq "listeners' Recv-Q and Send-Q (the backlog) in text as ss -tln shows them" "$want" \
	"$(nd_in "$ns" "$CS" -tln | awk 'NR > 2 {print $2, $3}' | sort)"
check_eq "and in JSON" "$want" "$(nd_in "$ns" "$CS" -tl --json | jq -r '.[] | "\(.recv_q) \(.send_q)"' | sort)"
check_eq "netstat shows 0 there (the one column where the text leaves netstat)" \
	"$(nd_in "$ns" netstat -tln | awk 'NR > 2 {print $3}' | sort -u)" "0"
want=$(nd_in "$ns" netstat -wan | awk 'NR > 2 {print $1, $4, $NF}' | sort)
got=$(nd_in "$ns" "$CS" -wan | awk 'NR > 2 {print $1, $4, $NF}' | sort)
check_eq "RAW rows end in the kernel's state number, as netstat -wan" "$want" "$got"

# --- -r names IPv6 addresses as IPv4 ones, from the hosts file, as netstat and ss ---
want=$(nd_in "$ns" netstat -t | awk '$4 ~ /:7300$/ || $5 ~ /:7300$/ {print $4, $5}' | sort)
got=$(nd_in "$ns" "$CS" -tr | awk '$4 ~ /:7300$/ || $5 ~ /:7300$/ {print $4, $5}' | sort)
check_eq "-r: ::1 is ip6-localhost in both columns, as netstat -t shows it" "$want" "$got"
check "-r: the pair is there (2 rows)" test "$(wc -l <<<"$got")" -eq 2
check_eq "-r --json: host ip6-localhost beside address ::1" "ip6-localhost ip6-localhost" \
	"$(nd_in "$ns" "$CS" -tr --json sport = :7300 | jq -r '.[0] | "\(.local.host) \(.peer.host)"')"
check_eq "ss -r names them the same" "$(nd_in "$ns" ss -Htr sport = :7300 | awk '{print $4, $5}')" \
	"$(nd_in "$ns" "$CS" -tr sport = :7300 | awk 'NR > 2 {print $4, $5}')"

# --- -s with -t counts TCP alone ---
got=$(nd_in "$ns" "$CS" -s -t --json)
check_eq "-s -t --json has total and tcp only" '["tcp","total"]' "$(jq -c 'keys' <<<"$got")"
check_eq "-s -t's TCP count is ss -Hta's" "$(nd_in "$ns" ss -Hta | wc -l)" "$(jq .tcp.total <<<"$got")"
check_eq "-s -t text: one protocol line" "tcp" "$(nd_in "$ns" "$CS" -s -t | awk 'NR > 1 {print $1}')"

# --- -t with a unix: filter: nothing to list, but the header, as ss ---
got=$(nd_in "$ns" "$CS" -t src "unix:$dir/*")
check_eq "-t src unix:...: netstat's header and no rows" \
	"$(nd_in "$ns" netstat -t | sed -n 2p | sed 's/ *$//')" "$(sed -n 2p <<<"$got")"
check_eq "-t src unix:...: two lines in all" "2" "$(wc -l <<<"$got")"
check_eq "-t src unix:... --json: an empty array" "[]" "$(nd_in "$ns" "$CS" -t --json src "unix:$dir/*")"
check_eq "ss prints its header alone too" "1" "$(nd_in "$ns" ss -t src "unix:$dir/*" | wc -l)"
exit 0
