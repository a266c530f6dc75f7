#!/bin/bash
# miniping against iputils ping on the same veth link between two namespaces (IPv4 and IPv6):
# counts, exit codes and RTT ranges agree; JSON is valid; error paths give the right exit codes.
. "$(dirname "$0")/lib.sh"
M=$ND_BIN/miniping
nd_tmpdir TMPD

a=$(nd_ns pa)
b=$(nd_ns pb)
nd_veth_net "$a" "$b" 10.77.0
ip -n "$a" addr add fd77::1/64 dev va nodad
ip -n "$b" addr add fd77::2/64 dev vb nodad
nd_wait_for 30 nd_in "$a" ping -c1 -W1 -q 10.77.0.2

jqq() { jq -e "$@" >/dev/null; }
summary() { grep -E '^[0-9]+ packets transmitted' | sed -E 's/, time [0-9]+ms//'; }
rtt_avg() { sed -n 's|^rtt min/avg/max/mdev = [0-9.]*/\([0-9.]*\)/.*|\1|p'; }

for fam in 4 6; do
	dst=10.77.0.2
	[ $fam = 6 ] && dst=fd77::2
	out=$(nd_in "$a" "$M" -$fam -c 5 -i 0.2 -n $dst); rc=$?
	ref=$(nd_in "$a" ping -$fam -c 5 -i 0.2 -n $dst); rrc=$?
	check_eq "IPv$fam: exit status as iputils" "$rrc" "$rc"
	check_eq "IPv$fam: summary line as iputils" "$(summary <<<"$ref")" "$(summary <<<"$out")"
	check_eq "IPv$fam: header line as iputils" "$(head -1 <<<"$ref")" "$(head -1 <<<"$out")"
	check_eq "IPv$fam: reply lines as iputils (times aside)" \
		"$(grep bytes\ from <<<"$ref" | sed 's/time=.*//')" \
		"$(grep bytes\ from <<<"$out" | sed 's/time=.*//')"
	m=$(rtt_avg <<<"$out") r=$(rtt_avg <<<"$ref")
	check "IPv$fam: average RTT in iputils' range ($m vs $r ms)" \
		awk -v m="$m" -v r="$r" 'BEGIN { exit !(m > 0 && m < 20 * r + 1) }'
	check "IPv$fam: p50/p90/p99 line after the rtt line" \
		grep -qE '^rtt p50/p90/p99 = [0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3}/[0-9]+\.[0-9]{3} ms$' <<<"$out"
	# -q prints the header and the summary only
	out=$(nd_in "$a" "$M" -$fam -q -c 2 -i 0.2 $dst)
	check_eq "IPv$fam: -q prints no reply lines" "0" "$(grep -c 'bytes from' <<<"$out")"
done

# JSON: every line valid, events and the summary object
out=$(nd_in "$a" "$M" --json -c 3 -i 0.2 10.77.0.2); rc=$?
check_eq "--json exit status" 0 "$rc"
check "--json: every line is JSON" jqq . <<<"$out"
check_eq "--json: three reply events" 3 "$(jq -s '[.[] | select(.event == "reply")] | length' <<<"$out")"
check_eq "--json: summary counts" "3 3 0 0 0" \
	"$(jq -r 'select(.event == "summary") | "\(.transmitted) \(.received) \(.duplicates) \(.errors) \(.loss_pct)"' <<<"$out")"
check "--json: rtt has min avg max mdev p50 p90 p99, ordered" \
	jqq 'select(.event == "summary") | .rtt | .min <= .p50 and .p50 <= .p90 and .p90 <= .p99 and .p99 <= .max and .avg > 0 and .mdev >= 0' <<<"$out"

# -D and -O
out=$(nd_in "$a" "$M" -D -c 1 10.77.0.2)
check "-D prefixes [seconds.micros]" grep -qE '^\[[0-9]{10}\.[0-9]{6}\] 64 bytes from 10.77.0.2' <<<"$out"

# --explain: header fields and the checksum by hand, for the request and the reply
out=$(nd_in "$a" "$M" --explain -c 1 10.77.0.2)
check "--explain: request and reply" grep -q '=== explain: echo reply, as received' <<<"$out"
check_eq "--explain: both checksums match" 2 "$(grep -c 'in the packet  0x[0-9a-f]*  (matches)' <<<"$out")"
out=$(nd_in "$a" "$M" --explain --json -c 1 fd77::2)
check "--explain --json (IPv6): the checksum objects say valid" \
	jqq -s '[.[] | select(.event == "explain") | .checksum.valid] == [true, true]' <<<"$out"

# unreachable host on the link (no neighbour answers): iputils' line, exit 1
nd_in "$a" ping -c 1 -W 5 10.77.0.9 >"$TMPD/ref" 2>&1 &
out=$(nd_in "$a" "$M" -c 1 -W 5 10.77.0.9 2>&1); rc=$?
wait $!; rrc=$?; ref=$(cat "$TMPD/ref")
check_eq "unreachable host: exit status as iputils" "$rrc" "$rc"
check "unreachable host: iputils' error line" grep -q '^From 10.77.0.1 icmp_seq=1 Destination Host Unreachable$' <<<"$out"
check_eq "unreachable host: summary as iputils" "$(summary <<<"$ref")" "$(summary <<<"$out")"

# no route, a name that does not resolve, bad options: one line on stderr, exit 2
err=$(nd_in "$a" "$M" -c 1 192.0.2.1 2>&1 >/dev/null); rc=$?
check_eq "no route: exit 2" 2 "$rc"
check_eq "no route: message" "miniping: connect: Network is unreachable" "$err"
start=$(date +%s)
err=$(nd_in "$a" "$M" -c 1 no-such-host.invalid 2>&1 >/dev/null); rc=$?
check_eq "unresolvable name: exit 2" 2 "$rc"
check_eq "unresolvable name: message" "miniping: no-such-host.invalid: Name or service not known" "$err"
check "unresolvable name: fails fast" test $(($(date +%s) - start)) -le 2
for bad in "-c 0" "-s 70000" "-t 300" "-p xyz" "-Q 256" "-W -1" "-x" "--nope" "-c"; do
	# inside the namespace and with -c 1 first, so nothing could ever leave it
	# shellcheck disable=SC2086
	err=$(nd_in "$a" timeout 5 "$M" -c 1 $bad 10.77.0.2 2>&1 >/dev/null); rc=$?
	check_eq "bad option '$bad': exit 2" 2 "$rc"
	check_eq "bad option '$bad': one line 'miniping: ...'" 1 "$(grep -c '^miniping: ' <<<"$err")"
done
err=$("$M" 2>&1 >/dev/null); rc=$?
check_eq "no destination: exit 2 and one line" "2 1" "$rc $(grep -c '^miniping: ' <<<"$err")"
err=$(nd_in "$a" "$M" -c 1 -I nosuch 10.77.0.2 2>&1 >/dev/null); rc=$?
check_eq "-I unknown interface: exit 2 with message" "2 miniping: SO_BINDTODEVICE nosuch: No such device" "$rc $err"
out=$(nd_in "$a" "$M" --json -c 1 -s 70000 10.77.0.2 2>/dev/null)
check_eq "bad option with --json: stdout is the error document (issue 13)" \
	"2 invalid -s value '70000'" "$(jq -r '"\(.exit) \(.error)"' <<<"$out" | cut -d: -f1)"

# not root: the ICMP datagram socket, allowed by ping_group_range; refused when it excludes us
nd_in "$a" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
out=$(nd_in "$a" setpriv --reuid=nobody --regid=nogroup --clear-groups "$M" -v -c 2 -i 0.2 10.77.0.2 2>&1); rc=$?
check_eq "nobody, ping_group_range open: exit 0" 0 "$rc"
check "nobody: the datagram socket was used" grep -q 'datagram (unprivileged) socket' <<<"$out"
check "nobody: 2 received" grep -q '^2 packets transmitted, 2 received' <<<"$out"
out=$(nd_in "$a" setpriv --reuid=nobody --regid=nogroup --clear-groups "$M" --json -6 -c 1 fd77::2 2>&1); rc=$?
check_eq "nobody, IPv6 datagram socket: exit 0, dgram" "0 dgram" "$rc $(jq -r 'select(.event == "start") | .socket' <<<"$out")"
err=$(nd_in "$a" setpriv --reuid=nobody --regid=nogroup --clear-groups "$M" -i 0.001 -c 1 10.77.0.2 2>&1); rc=$?
check_eq "nobody: -i below 2 ms refused" "2 miniping: cannot flood; minimal interval allowed for user is 2ms" "$rc $err"
nd_in "$a" sysctl -qw net.ipv4.ping_group_range="1 0"
err=$(nd_in "$a" setpriv --reuid=nobody --regid=nogroup --clear-groups "$M" -c 1 10.77.0.2 2>&1); rc=$?
check_eq "nobody, ping_group_range excludes us: exit 2" 2 "$rc"
check "nobody, excluded: the message says what to do" grep -q '^miniping: socket: Permission denied: .*setcap cap_net_raw+ep.*ping_group_range' <<<"$err"

# flood as root: all answered, dots erased
out=$(nd_in "$a" "$M" -f -c 500 10.77.0.2); rc=$?
check_eq "flood: exit 0" 0 "$rc"
check "flood: 500 received" grep -q '^500 packets transmitted, 500 received' <<<"$out"
dots=$(sed -n 2p <<<"$out")
check_eq "flood: 500 dots, 500 erased" "500 500" "$(tr -cd . <<<"$dots" | wc -c) $(grep -o $'\b \b' <<<"$dots" | wc -l)"
[ "$ND_FAILS" -eq 0 ]
