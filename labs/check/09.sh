#!/bin/bash
# labs/check/09.sh — lab 09, the tools: every claim of labs/09-tools.md, in the sheet's order.
. "$(dirname "$0")/lib.sh"
lab_up
T=$LAB_TMP

# trace HOST NAME CMD... — run CMD under strace -f -C on HOST: every call, then the table of
# strace -c, in $T/NAME.calls (the command's own output is thrown away)
trace() {
	local host=$1 name=$2
	shift 2
	on "$host" strace -f -qq -C -o "$T/$name.calls" "$@" >/dev/null 2>&1
}
# calls NAME [SYSCALL] — how many calls strace -c counted (all, or of SYSCALL): its 4th column
calls() { awk -v s="${2:-total}" 'NF >= 5 && $NF == s && $1 ~ /^[0-9.]+$/ { print $4 }' "$T/$1.calls"; }

# Step 1: interfaces — ifconfig vs ifinfo, netstat -i vs ifinfo -s, ip -j vs ifinfo --json
a=$(on h1 ifconfig eth0 | head -5)
b=$(on h1 ifinfo eth0 | head -5)
claim_eq "step 1: ifconfig eth0 and ifinfo eth0 print the same first lines (flags, addresses, MAC)" \
	"$(grep -v inet6 <<<"$a" | tr -s ' ')" "$(grep -v inet6 <<<"$b" | tr -s ' ')"
claim_eq "step 1: netstat -i and ifinfo -s list the same interfaces with the same MTU and flags" \
	"$(on h1 netstat -i | awk 'NR > 2 { print $1, $2, $NF }')" \
	"$(on h1 ifinfo -s | awk 'NR > 1 { print $1, $2, $NF }')"
keys='.[0] | {ifname, mtu, address, operstate, flags}'
claim_eq "step 1: ifinfo --json eth0 and ip -j addr show eth0 agree on name, MTU, MAC, state, flags" \
	"$(on h1 ip -j addr show eth0 | jq -c "$keys")" "$(on h1 ifinfo --json eth0 | jq -c "$keys")"
trace h1 ifconfig ifconfig eth0
trace h1 ifinfo ifinfo eth0
claim_match "step 1: ifconfig asks with ioctl() (SIOCGIFFLAGS and friends)" 'ioctl\([0-9]+, SIOCGIFFLAGS' \
	"$(cat "$T/ifconfig.calls")"
claim_match "step 1: ... one ioctl() per fact: SIOCGIFHWADDR for the MAC, SIOCGIFMTU for the MTU" \
	'SIOCGIFHWADDR.*SIOCGIFMTU|SIOCGIFMTU.*SIOCGIFHWADDR' "$(tr '\n' ' ' <"$T/ifconfig.calls")"
claim_match "step 1: ifconfig reads the counters from /proc/net/dev" 'openat\(AT_FDCWD, "/proc/net/dev"' \
	"$(cat "$T/ifconfig.calls")"
claim_match "step 1: ifinfo opens one rtnetlink socket instead" 'socket\(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE\)' \
	"$(cat "$T/ifinfo.calls")"
claim_eq "step 1: ifinfo makes no SIOCGIF ioctl and opens nothing under /proc/net" "" \
	"$(grep -E 'SIOCGIF|/proc/net' "$T/ifinfo.calls")"
claim_eq "step 1: ifinfo sends two netlink requests (links, addresses)" 2 "$(calls ifinfo sendto)"
nc_ifinfo=$(calls ifinfo) nc_ifconfig=$(calls ifconfig)
claim "step 1: strace -c: ifinfo makes fewer system calls than ifconfig" \
	test "${nc_ifinfo:-0}" -gt 0 -a "${nc_ifinfo:-0}" -lt "${nc_ifconfig:-0}"

# Step 2: reachability — ping vs miniping, on a clean link and a bad one
trace h1 ping ping -c 1 10.200.2.2
trace h1 miniping miniping -c 1 10.200.2.2
claim_match "step 2: ping sends ICMP through a raw socket" 'socket\(AF_INET, SOCK_RAW, IPPROTO_ICMP\) = [0-9]' \
	"$(cat "$T/ping.calls")"
claim_match "step 2: so does miniping" 'socket\(AF_INET, SOCK_RAW(\|SOCK_CLOEXEC)?, IPPROTO_ICMP\) = [0-9]' \
	"$(cat "$T/miniping.calls")"
seqs() { sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' | sort -n | uniq | tr '\n' ' '; }
impair --loss 30 --seed 5 >/dev/null
p=$(on h1 ping -c 20 -i 0.05 -W 1 10.200.2.2)
impair --loss 30 --seed 5 >/dev/null
m=$(on h1 miniping -c 20 -i 0.05 -W 1 10.200.2.2)
claim_eq "step 2: on the same lossy link (--loss 30 --seed 5) ping and miniping get the same replies" \
	"$(seqs <<<"$p")" "$(seqs <<<"$m")"
claim_match "step 2: ping reports the loss" '20 packets transmitted, [0-9]+ received, [0-9]+% packet loss' "$p"
claim_eq "step 2: miniping's summary counts the same replies" \
	"$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$p")" "$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$m")"
claim_match "step 2: only miniping prints percentiles (p50/p90/p99)" 'rtt p50/p90/p99 = [0-9.]+/' "$m"
claim_eq "step 2: ... ping does not" "" "$(grep p50 <<<"$p")"
impair --loss 30 --seed 5 >/dev/null
j=$(on h1 miniping --json -c 20 -i 0.05 -W 1 10.200.2.2 | jq -c 'select(.event == "summary") | [.transmitted, .received]')
claim_eq "step 2: miniping --json's summary object says the same: [sent, received]" \
	"[20,$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$p")]" "$j"
impair --dup 100 >/dev/null
p=$(on h1 ping -c 2 -i 0.3 -W 1 10.200.2.2)
m=$(on h1 miniping -c 2 -i 0.3 -W 1 10.200.2.2)
claim_match "step 2: with --dup 100 ping marks duplicates (DUP!)" '\(DUP!\)' "$p"
claim_match "step 2: ... and so does miniping" '\(DUP!\)' "$m"
impair >/dev/null

# Step 3: connections — netstat vs connstat vs ss
bg h2 sh -c "exec pair_server 5000 >$T/server.out 2>&1"
SERVER=$BG_PID
wait_for 5 grep -q listening "$T/server.out"
for i in 1 2; do
	bg h1 sh -c "exec pair_client 10.200.2.2 5000 >$T/c$i.out 2>&1"
	wait_for 5 grep -q 'connect() ok' "$T/c$i.out"
done
est() { awk '$6 == "ESTABLISHED" { print $4, $5 }' | sort; }
n=$(on h1 netstat -tn | est)
claim_eq "step 3: netstat -tn and connstat -tn list the same connections" "$n" "$(on h1 connstat -tn | est)"
claim_eq "step 3: ... and so does ss -tn" "$n" "$(on h1 ss -tnH state established | awk '{ print $3, $4 }' | sort)"
claim_eq "step 3: there are two" 2 "$(grep -c . <<<"$n")"
trace h1 netstat netstat -tn
trace h1 connstat connstat -tn
claim_match "step 3: netstat reads the text tables /proc/net/tcp and /proc/net/tcp6" \
	'"/proc/net/tcp".*"/proc/net/tcp6"|"/proc/net/tcp6".*"/proc/net/tcp"' "$(tr '\n' ' ' <"$T/netstat.calls")"
claim_match "step 3: connstat asks the kernel through a sock_diag netlink socket" \
	'socket\(AF_NETLINK, SOCK_RAW(\|SOCK_CLOEXEC)?, NETLINK_SOCK_DIAG\)' "$(cat "$T/connstat.calls")"
claim_eq "step 3: connstat opens nothing under /proc/net" "" "$(grep '/proc/net' "$T/connstat.calls")"

# Step 4: owners — lsof vs connstat -p
l=$(on h2 lsof -a -i TCP -n -P -p "$SERVER")
claim_eq "step 4: lsof -i shows pair_server's listening socket and two connections" 3 \
	"$(grep -c "^pair_serv *$SERVER " <<<"$l")"
claim_eq "step 4: connstat -tnp shows the same two connections owned by PID/pair_server" 2 \
	"$(on h2 connstat -tnp | grep -c "ESTABLISHED *$SERVER/pair_server")"
on h2 strace -e trace=openat,readlink,newfstatat -o "$T/lsof.calls" lsof -a -i TCP -n -P -p "$SERVER" >/dev/null 2>&1
claim_match "step 4: lsof looks into the process's fd directory, /proc/PID/fd" "/proc/$SERVER/fd" \
	"$(cat "$T/lsof.calls")"
claim_match "step 4: ... and matches the sockets with /proc/net/tcp" '"/proc/net/tcp"' "$(cat "$T/lsof.calls")"

# Step 5: packets — tcpdump sees what no socket table shows
bg h1 strace -f -qq -e trace=socket -o "$T/tcpdump.calls" tcpdump -i eth0 -c 1 -nn icmp 2>"$T/tcpdump.err" >/dev/null
wait_for 5 grep -q 'listening on' "$T/tcpdump.err"
on h1 ping -c 1 -q 10.200.2.2 >/dev/null
nd_gone() { ! kill -0 "$1" 2>/dev/null; }
wait_for 3 nd_gone "$BG_PID"
claim_match "step 5: tcpdump opens a packet socket (AF_PACKET) on the link" 'socket\(AF_PACKET, SOCK_RAW' \
	"$(cat "$T/tcpdump.calls")"
capture h1 rst 'tcp port 5999'
out=$(on h1 pair_client 10.200.2.2 5999 2>&1)
wait_for 3 test "$(captured rst | wc -l)" -ge 2
claim_match "step 5: a connect() to a closed port fails: Connection refused" '^connect: Connection refused' "$out"
claim_match "step 5: tcpdump shows the SYN and the RST that answered it" \
	'10\.200\.1\.2\.[0-9]+ > 10\.200\.2\.2\.5999: Flags \[S\].*10\.200\.2\.2\.5999 > 10\.200\.1\.2\.[0-9]+: Flags \[R\.\]' \
	"$(captured rst | tr '\n' ' ')"
# (port 5999 exactly, in either address column: a client port of step 3 may be 59990..59999)
claim_eq "step 5: connstat -tan shows no trace of that attempt" "" \
	"$(on h1 connstat -tan | awk '$4 ~ /:5999$/ || $5 ~ /:5999$/')"
