#!/bin/bash
# ifinfo and the names of interfaces: bytes that are not UTF-8 and control bytes in a name,
# alternative names (ip link property add ... altname), device group names from iproute2's
# group file, and `--json -4` / `-6` keeping and dropping what `ip -j -4|-6 addr` does.
. "$(dirname "$0")/lib.sh"
IFINFO=$ND_BIN/ifinfo
jqt() { jq -e "$@" >/dev/null; }

a=$(nd_ns names)
b=$(nd_ns namesb)
nd_quiet_ipv6 "$a"
bad8=$'nd\xff\xfe'  # not UTF-8
ctl=$'n\x01"q'      # a control byte and a quote
if ! ip -n "$a" link add "$bad8" type veth peer name "$ctl"; then
	skip "the kernel refuses a name that is not UTF-8"
else
	ip -n "$a" link set "$bad8" up
	ip -n "$a" addr add 10.8.0.1/24 dev "$bad8"
	j=$(nd_in "$a" "$IFINFO" -a --json)
	check "--json with names that are not UTF-8 is valid JSON (jq parses it)" jqt 'type == "array"' <<<"$j"
	check_eq "each byte that is not UTF-8 becomes the code point of that byte" "110 100 255 254" \
		"$(jq -r '.[] | select(.addr_info[0].local == "10.8.0.1") | .ifname | explode | map(tostring) | join(" ")' <<<"$j")"
	check "the control byte and the quote are escaped, the peer's link names it" jqt \
		'map(select(.ifname == "n\u0001\"q" and .link == "nd\u00ff\u00fe")) | length == 1' <<<"$j"
	t=$(nd_in "$a" "$IFINFO" -a)
	check "text shows the name's bytes as they are" grep -qa "^${bad8}: flags=" <<<"$t"
	check "text shows the control-byte name as it is" grep -qaF "${ctl}: flags=" <<<"$t"
	check "ifinfo NAME finds the interface by its raw bytes" \
		bash -c "ip netns exec $a $IFINFO --json '$bad8' | jq -e 'length == 1 and .[0].addr_info[0].local == \"10.8.0.1\"' >/dev/null"
	check "-s table JSON is valid too" jqt 'length >= 3' <<<"$(nd_in "$a" "$IFINFO" -s -a --json)"
	ip -n "$a" link del "$bad8"
fi

# --- altnames and groups --------------------------------------------------------------------
nd_veth "$a" va "$a" vb
nd_veth "$a" vx "$b" vy
nd_bridge "$a" br0 vb
ip -n "$a" link add vd1 type veth peer name vd2      # both down, no address
ip -n "$a" link property add dev va altname uplink-main
ip -n "$a" link property add dev va altname va-second
ip -n "$a" link set vx group 7
ip -n "$a" link set vd1 group 42
ip -n "$a" addr add 10.1.0.1/24 dev va
ip -n "$a" addr add fd00:1::1/64 dev va nodad
ip -n "$a" addr add 10.2.0.1/24 dev br0
ip -n "$a" addr add fd00:2::1/64 dev br0 nodad
ip -n "$a" addr add 10.5.0.1/24 dev vx
ip -n "$a" addr add fd00:5::1/64 dev vx nodad
sleep 0.3

ip1=$(nd_in "$a" ip -j addr)
ours=$(nd_in "$a" "$IFINFO" -a --json)
check "ip lists va's altnames (else the next check proves nothing)" jqt \
	'map(select(.ifname == "va"))[0].altnames | length == 2' <<<"$ip1"
check_json_eq "altnames equal ip -j addr's, on every link" \
	"$(jq -c 'map({ifname, altnames})' <<<"$ip1")" "$(jq -c 'map({ifname, altnames})' <<<"$ours")"
check "ifinfo ALTNAME shows the link it names" \
	bash -c "ip netns exec $a $IFINFO --json uplink-main | jq -e 'length == 1 and .[0].ifname == \"va\"' >/dev/null"
check "text names the altnames on the index line" \
	bash -c "ip netns exec $a $IFINFO va | grep -q '^        index .*  altname uplink-main  altname va-second\$'"
check_json_eq "groups equal ip's (default, and numbers without a name)" \
	"$(jq -c 'map({ifname, group})' <<<"$ip1")" "$(jq -c 'map({ifname, group})' <<<"$ours")"
# a group file naming 7: bind-mounted inside `ip netns exec`'s own mount namespace only
gf=$(mktemp)
printf '# test groups\n0\tdefault\n7\tuplinks\n0x2a\tanswer\n' >"$gf"
got=$(nd_in "$a" sh -c "mount --bind $gf /etc/iproute2/group && ip -j addr >$gf.ip && $IFINFO -a --json")
check "ip names groups 7 and 42 from the file (else the next check proves nothing)" jqt \
	'[.[] | select(.group == "uplinks" or .group == "answer")] | length == 2' "$gf.ip"
check_json_eq "group names from the group file equal ip's" \
	"$(jq -c 'map({ifname, group})' "$gf.ip")" "$(jq -c 'map({ifname, group})' <<<"$got")"
check "text shows a named group" \
	bash -c "ip netns exec $a sh -c 'mount --bind $gf /etc/iproute2/group && $IFINFO vx' | grep -q '  group uplinks'"
check "the host's group file was not touched" bash -c "! grep -q uplinks /etc/iproute2/group"
rm -f "$gf" "$gf.ip"

# --- --json -4 / -6 against ip -j -4 / -6 ---------------------------------------------------
# ip -4 keeps only links with an IPv4 address and drops link_type, address and broadcast; ip -6
# asks for the kernel's AF_INET6 view of links, without qdisc, group, master, altnames and
# netnsid.  Two differences remain on purpose: under -6 ip prints IPv6 MIB numbers as
# "stats64" and names a peer in another namespace by a local index; ifinfo keeps the link's
# counters and its link_index (so those are left out below), and adds linkinfo.
for f in 4 6; do
	ipf=$(nd_in "$a" ip -j -s -$f addr)
	ourf=$(nd_in "$a" "$IFINFO" -a -$f --json)
	check_json_eq "--json -$f lists the links ip -j -$f addr lists" \
		"$(jq -c 'map(.ifname)' <<<"$ipf")" "$(jq -c 'map(.ifname)' <<<"$ourf")"
	check "--json -$f: a link without such an address is left out (vd1)" jqt \
		'map(select(.ifname == "vd1")) | length == 0' <<<"$ourf"
	# counters can move between the two runs: compared by their keys only
	check_json_eq "--json -$f: the same counter keys as ip" \
		"$(jq 'map(.stats64 | map_values(keys))' <<<"$ipf")" "$(jq 'map(.stats64 | map_values(keys))' <<<"$ourf")"
	if [ $f = 4 ]; then
		want=$(jq 'map(del(.stats64))' <<<"$ipf")
		got=$(jq 'map(del(.stats64, .linkinfo))' <<<"$ourf")
	else
		crossns=$(jq -c '[.[] | select(.link_netnsid != null) | .ifname]' <<<"$ip1")
		want=$(jq --argjson x "$crossns" 'map(del(.stats64) | if (.ifname | IN($x[])) then del(.link) else . end)' <<<"$ipf")
		got=$(jq --argjson x "$crossns" 'map(del(.stats64, .linkinfo) | if (.ifname | IN($x[])) then del(.link_index) else . end)' <<<"$ourf")
	fi
	check_json_eq "--json -$f: every other key and value equals ip -j -s -$f addr's" "$want" "$got"
done
check "-6 JSON keeps the link's own counters" jqt \
	'all(.[]; .stats64.rx.bytes != null)' <<<"$(nd_in "$a" "$IFINFO" -a -6 --json)"
