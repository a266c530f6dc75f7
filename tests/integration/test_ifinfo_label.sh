#!/bin/bash
# ifinfo NAME where NAME is an IPv4 address label ("lx:sec", as ifconfig takes it), against
# ifconfig and ip on the same namespace; the interface alias (ifalias) in text and JSON against
# ip link, which shows it (ip addr leaves it out).
. "$(dirname "$0")/lib.sh"
IFINFO=$ND_BIN/ifinfo
nd_need_bin "$IFINFO"

ns=$(nd_ns lbl)
ip -n "$ns" link add lx type veth peer name ly
ip -n "$ns" link set lx up
ip -n "$ns" addr add 10.5.0.1/24 dev lx
ip -n "$ns" addr add 10.5.0.2/24 dev lx label lx:sec
ip -n "$ns" addr add fd05::1/64 dev lx nodad
ip -n "$ns" link set lx alias "uplink to rack 4"

# --- a label names its addresses ---
# ifinfo adds what ifconfig cannot show at the end of a line ("  secondary  label lx:sec")
strip_extras() { sed -E 's/(broadcast [0-9.]+)  .*/\1/'; }
if command -v ifconfig >/dev/null; then
	check_eq "ifinfo lx:sec: the block ifconfig lx:sec prints (extras aside)" \
		"$(nd_in "$ns" ifconfig lx:sec)" "$(nd_in "$ns" "$IFINFO" lx:sec | strip_extras)"
	check_eq "ifinfo -s lx:sec: ifconfig -s's row (no statistics for an alias)" \
		"$(nd_in "$ns" ifconfig -s lx:sec)" "$(nd_in "$ns" "$IFINFO" -s lx:sec)"
else
	skip "ifconfig (net-tools) not installed"
fi
# a second address under the label: ifconfig's ioctl shows one, ifinfo both (as for interfaces)
ip -n "$ns" addr add 10.5.0.3/24 dev lx label lx:sec
check_eq "two addresses under the label: both shown" "10.5.0.2 10.5.0.3" \
	"$(nd_in "$ns" "$IFINFO" lx:sec | awk '$1 == "inet" {print $2}' | tr '\n' ' ' | sed 's/ $//')"
check_eq "--json lx:sec: the link with the label's addresses, as ip -4 addr show label" \
	"$(ip -n "$ns" -4 -o addr show label lx:sec | awk '{print $4}' | sort | tr '\n' ' ')" \
	"$(nd_in "$ns" "$IFINFO" --json lx:sec | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"' | sort | tr '\n' ' ')"
check_eq "--json lx:sec: under its interface lx" "lx" "$(nd_in "$ns" "$IFINFO" --json lx:sec | jq -r '.[0].ifname')"
check "the text block shows no IPv6 address and no counters" sh -c \
	"! ip netns exec $ns $IFINFO lx:sec | grep -q -e inet6 -e 'RX packets'"
check_eq "lx itself still shows all four addresses" 4 \
	"$(nd_in "$ns" "$IFINFO" --json lx | jq '.[0].addr_info | length')"
err=$(nd_in "$ns" "$IFINFO" lx:nope 2>&1 >/dev/null)
check_eq "a label nobody has: no such interface" "ifinfo: lx:nope: no such interface" "$err"
check_status "and exit 2" 2 nd_in "$ns" "$IFINFO" lx:nope

# --- the alias ---
check_eq "--json: ifalias as ip -j link has it" \
	"$(ip -n "$ns" -j link show lx | jq -r '.[0].ifalias')" \
	"$(nd_in "$ns" "$IFINFO" --json lx | jq -r '.[0].ifalias')"
check_eq "text: 'alias TEXT' ends the index line, as ip link's alias line says" \
	"$(ip -n "$ns" link show lx | sed -n 's/^ *alias //p')" \
	"$(nd_in "$ns" "$IFINFO" lx | sed -n 's/^ *index .*  alias //p')"
check_eq "no alias: no key" "null" "$(nd_in "$ns" "$IFINFO" --json -a ly | jq -r '.[0].ifalias')"
ip -n "$ns" link set lx alias ""
check_eq "an alias set back to empty is gone, as in ip" "null" \
	"$(nd_in "$ns" "$IFINFO" --json lx | jq -r '.[0].ifalias')"
exit 0
