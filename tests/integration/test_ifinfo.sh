#!/bin/bash
# ifinfo against its peers on one namespace: JSON field by field against `ip -j -s addr` (and
# `ip -j -d addr` for linkinfo), text against net-tools `ifconfig`, the dumps it makes (strace),
# bad input, and --watch while traffic flows.
. "$(dirname "$0")/lib.sh"
IFINFO=$ND_BIN/ifinfo
jqt() { jq -e "$@" >/dev/null; }

a=$(nd_ns ifa)
b=$(nd_ns ifb)
nd_quiet_ipv6 "$a"
nd_veth "$a" va "$a" vb                     # a pair inside one namespace: "link": name
nd_veth "$a" vx "$b" vy                     # a pair across: link_index + link_netnsid
nd_bridge "$a" br0 vb                       # a bridge with a port: master, slave kind
nd_tun "$a" tun0                            # TUN: link_type none, no MAC
ip -n "$a" link set tun0 up                 # up without a reader: NO-CARRIER
ip -n "$a" link add vd1 type veth peer name vd2  # both down
ip -n "$a" addr add 10.1.0.1/24 dev va
ip -n "$a" addr add fd00:1::1/64 dev va nodad
ip -n "$a" addr add 10.2.0.1/24 brd + dev br0
ip -n "$a" addr add fd00:2::1/64 dev br0 nodad
ip -n "$a" addr add 10.3.0.1 peer 10.3.0.2 dev tun0
ip -n "$a" addr add 10.4.0.1/24 dev vd1
ip -n "$a" addr add 10.5.0.1/24 dev vx
ip -n "$a" addr add 10.5.0.7/24 dev vx label vx:1
ip -n "$a" addr add fd00:5::1/64 dev vx nodad
ip -n "$b" addr add 10.5.0.9/24 dev vy

# wait until no counter moves for a second (MLD reports of the new addresses die down)
counters() { nd_in "$a" ip -s -j link | jq -c '[.[].stats64]'; }
prev=$(counters)
for _ in $(seq 20); do
	sleep 1
	cur=$(counters)
	[ "$cur" == "$prev" ] && break
	prev=$cur
done

# --- JSON against ip -j -s addr -------------------------------------------------------------
ip1=$(nd_in "$a" ip -j -s addr)
ours=$(nd_in "$a" "$IFINFO" -a --json)
ip2=$(nd_in "$a" ip -j -s addr)
ipd=$(nd_in "$a" ip -j -d addr)

check "the JSON of ifinfo -a --json is valid" jqt 'type == "array"' <<<"$ours"
# the namespace holds what the issue asks for, else the comparison below proves less
check "namespace has loopback, veth, bridge, tun" jqt \
	'[.[].linkinfo.info_kind] | (index("veth") != null) and (index("bridge") != null) and (index("tun") != null)' <<<"$ipd"
check "namespace has a peer by name and one by netnsid, a port, an interface down" jqt \
	'(map(select(.link)) | length > 0) and (map(select(.link_netnsid != null)) | length > 0) and
	 (map(select(.master)) | length > 0) and (map(select(.flags | index("UP") == null)) | length > 0)' <<<"$ip1"
check "namespace has IPv4, IPv6, a peer address, a secondary" jqt \
	'[.[].addr_info[]] | (map(select(.family == "inet6")) | length > 0) and (map(select(.address)) | length > 0)
	 and (map(select(.secondary)) | length > 0)' <<<"$ip1"
check "namespace has a NO-CARRIER link" jqt 'map(select(.flags | index("NO-CARRIER"))) | length == 1' <<<"$ip1"

check_json_eq "every field but counters equals ip -j -s addr" \
	"$(jq 'map(del(.stats64))' <<<"$ip1")" "$(jq 'map(del(.stats64, .linkinfo))' <<<"$ours")"
check_json_eq "the same counters as ip (keys)" \
	"$(jq 'map(.stats64 | map_values(keys))' <<<"$ip1")" "$(jq 'map(.stats64 | map_values(keys))' <<<"$ours")"
# counters may only move forward between the two ip runs that bracket ours
bounds=$(jq -n --argjson a "$ip1" --argjson o "$ours" --argjson b "$ip2" '
	[range($a | length) as $i | ($a[$i].stats64 | paths(numbers)) as $p |
	 select(($a[$i].stats64 | getpath($p)) > ($o[$i].stats64 | getpath($p)) or
	        ($o[$i].stats64 | getpath($p)) > ($b[$i].stats64 | getpath($p))) |
	 "\($a[$i].ifname) \($p | join(".")): ip \($a[$i].stats64 | getpath($p)) ifinfo \($o[$i].stats64 | getpath($p))"]')
check_eq "every counter lies between two ip runs around it" "[]" "$(jq -c . <<<"$bounds")"
if [ "$ip1" == "$ip2" ]; then
	check_json_eq "quiet namespace: counters equal ip's exactly" \
		"$(jq 'map(.stats64)' <<<"$ip1")" "$(jq 'map(.stats64)' <<<"$ours")"
else
	skip "counters moved between the two ip runs: checked within bounds only"
fi
check_json_eq "linkinfo.info_kind and info_slave_kind equal ip -j -d addr" \
	"$(jq 'map({ifname, k: .linkinfo.info_kind, s: .linkinfo.info_slave_kind})' <<<"$ipd")" \
	"$(jq 'map({ifname, k: .linkinfo.info_kind, s: .linkinfo.info_slave_kind})' <<<"$ours")"
check_json_eq "without -a, JSON holds the interfaces that are up" \
	"$(jq '[.[] | select(.flags | index("UP")) | .ifname]' <<<"$ip1")" \
	"$(nd_in "$a" "$IFINFO" --json | jq '[.[].ifname]')"
check_json_eq "ifinfo -4 --json: only inet addresses, all of them" \
	"$(jq '[.[] | .addr_info[] | select(.family == "inet") | .local]' <<<"$ip1")" \
	"$(nd_in "$a" "$IFINFO" -4 -a --json | jq '[.[] | .addr_info[] | .local]')"
check_json_eq "ifinfo -6 --json: only inet6 addresses, all of them" \
	"$(jq '[.[] | .addr_info[] | select(.family == "inet6") | .local]' <<<"$ip1")" \
	"$(nd_in "$a" "$IFINFO" -6 -a --json | jq '[.[] | .addr_info[] | .local]')"
check_json_eq "ifinfo NAME --json: that one interface" \
	"$(jq '[.[] | select(.ifname == "br0") | del(.stats64)]' <<<"$ip1")" \
	"$(nd_in "$a" "$IFINFO" br0 --json | jq 'map(del(.stats64, .linkinfo))')"

# --- text against ifconfig ------------------------------------------------------------------
# ifinfo adds one line per interface ("index ...") and address flags/labels after ifconfig's
# fields; ifconfig shows a labelled alias (vx:1) as an interface of its own, and orders IPv6
# addresses by its hash table: so extras and aliases go, and lines are sorted within a block.
norm_ifinfo() {
	grep -v '^        index ' | grep -v '  label [^ ]*:' |
		sed -E 's/^(        inet6 .*scopeid 0x[0-9a-f]+<[a-z]+>).*/\1/; s/^(        inet .*(broadcast|destination) [0-9.]+).*/\1/; /broadcast|destination/!s/^(        inet [0-9.]+  netmask [0-9.]+)  [a-z].*/\1/' |
		blocks_sorted
}
norm_ifconfig() { awk -v RS= -v ORS='\n\n' '$1 !~ /:[0-9]+:$/' | blocks_sorted; }
# each line prefixed with the number of its block, sorted within the block (mawk has no asort)
blocks_sorted() {
	awk -v RS= '{ n = split($0, l, "\n"); for (i = 1; i <= n; i++) if (l[i] != "") print NR "\t" l[i] }' |
		LC_ALL=C sort -t "$(printf '\t')" -k1,1n -k2
}
# a comparison of two empty texts proves nothing
check_text_eq() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		fail "$1 (empty output)"
	else
		check_eq "$@"
	fi
}

# A stray packet (an IPv6 router solicitation, MLD) can move a counter between the two commands:
# compare up to three times; a real difference in format fails all three.
like_ifconfig() {
	local what=$1 want got
	shift
	for _ in 1 2 3; do
		want=$(nd_in "$a" ifconfig "$@" | norm_ifconfig)
		got=$(nd_in "$a" "$IFINFO" "$@" | norm_ifinfo)
		[ -n "$want" ] && [ "$want" == "$got" ] && break
	done
	check_text_eq "$what" "$want" "$got"
}
like_ifconfig "ifinfo -a reads like ifconfig -a" -a
like_ifconfig "ifinfo reads like ifconfig (interfaces that are up)"
like_ifconfig "ifinfo tun0 reads like ifconfig tun0" tun0
check_text_eq "ifinfo -s -a equals ifconfig -s -a" \
	"$(nd_in "$a" ifconfig -s -a | grep -v '^vx:1 ')" "$(nd_in "$a" "$IFINFO" -s -a)"
check_text_eq "interface order is ifconfig's (by name)" \
	"$(nd_in "$a" ifconfig -a | sed -n 's/^\([^ :]*\): .*/\1/p')" \
	"$(nd_in "$a" "$IFINFO" -a | sed -n 's/^\([^ :]*\): .*/\1/p')"
check "ifinfo -4 shows no inet6 line" bash -c "! ip netns exec $a $IFINFO -4 -a | grep -q '^        inet6 '"
check "ifinfo -6 shows no inet line" bash -c "! ip netns exec $a $IFINFO -6 -a | grep -q '^        inet '"
check "extra line names kind, master and peer" bash -c \
	"ip netns exec $a $IFINFO vb | grep -q '^        index [0-9]*  state UP  qdisc noqueue  kind veth  master br0  link va\$'"

# --- one link dump and one address dump, no ioctl or /proc per interface -----------------------
if command -v strace >/dev/null; then
	tr=$(nd_in "$a" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -qq -f -e trace=sendto,sendmsg,ioctl,openat "$IFINFO" -a 2>&1 >/dev/null)
	check_eq "exactly one RTM_GETLINK and one RTM_GETADDR request" "RTM_GETLINK RTM_GETADDR" \
		"$(grep -o 'nlmsg_type=RTM_GET[A-Z]*' <<<"$tr" | sed 's/nlmsg_type=//' | tr '\n' ' ' | sed 's/ $//')"
	check_eq "no ioctl on a socket, no /proc or /sys file" "" \
		"$(grep -E '^ioctl\([3-9]|/proc/|/sys/' <<<"$tr")"
else
	skip "strace missing: dump count not checked"
fi

# --- bad input: one line on stderr, exit 2, stdout empty or valid JSON ------------------------
bad() {
	local what=$1 out err rc
	shift
	out=$(nd_in "$a" "$IFINFO" "$@" 2>/tmp/ifinfo_err.$$)
	rc=$?
	err=$(cat /tmp/ifinfo_err.$$)
	rm -f /tmp/ifinfo_err.$$
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ "$err" == ifinfo:* ]] &&
		{ [ -z "$out" ] || jq -e . >/dev/null 2>&1 <<<"$out"; }; then
		pass "$what: exit 2, one line ($err)"
	else
		fail "$what: exit $rc, stderr '$err', stdout '${out:0:80}'"
	fi
}
bad "unknown interface" nosuch0
bad "unknown interface with --json" --json nosuch0
bad "unknown option" --bogus
bad "unknown short option" -z
bad "bad --watch value" --watch=abc
bad "zero --watch interval" --watch=0
bad "bad --count" --count=0
bad "two interfaces" lo br0
bad "unknown interface with --watch" --watch=0.1 --count=1 nosuch0
check_status "--help exits 0" 0 "$IFINFO" --help

# --- --watch with traffic ----------------------------------------------------------------------
nd_bg "$a" sh -c "exec ping -q -i 0.05 -c 40 10.5.0.9 >/dev/null"
w=$(nd_in "$a" "$IFINFO" --watch=0.25 --count=4 --json vx)
check_eq "--watch --count 4 --json: four JSON lines" 4 "$(jq -c . <<<"$w" | wc -l)"
check "every line is one object with vx's rates" jqt -s \
	'all(.[]; (.interfaces | length) == 1 and .interfaces[0].ifname == "vx" and .interval > 0.2)' <<<"$w"
check "the rates see the ping (tx packets/s above 5 in some interval)" jqt -s \
	'map(.interfaces[0].tx.packets_per_s) | max > 5' <<<"$w"
t=$(nd_in "$a" "$IFINFO" -w0.2 -c2 -a)
check_eq "text --watch: one table per interval" 2 "$(grep -c '^Iface ' <<<"$t")"
wout=$(mktemp)
nd_bg "$a" sh -c "exec $IFINFO --watch=0.2 --json >$wout"
wpid=$ND_LAST_PID
sleep 0.9
kill -INT "$wpid"
wait "$wpid"
check_eq "Ctrl-C ends --watch with status 0" 0 "$?"
check "what --watch --json printed before Ctrl-C is whole JSON lines" \
	jqt -s 'length >= 2 and all(.[]; .interfaces | length > 0)' "$wout"
rm -f "$wout"
