#!/bin/bash
# --netns NAME (connstat -N as ss -N, ifinfo --netns as ip -n, miniping --netns): the tool enters the namespace
# itself and shows what it shows under `ip netns exec NAME`, and what ss -N / ip -n show; the
# namespace's own sysctls count (autobound reads its ip_local_port_range).  connstat -H as ss -H.
. "$(dirname "$0")/lib.sh"
CS=$ND_BIN/connstat
IFINFO=$ND_BIN/ifinfo
nd_need_bin "$CS" "$IFINFO"
nd_need_cmd socat

ns=$(nd_ns nn)
nd_veth "$ns" n0 "$ns" n1
ip -n "$ns" addr add 10.79.0.1/24 dev n0
ip -n "$ns" addr add fd79::1/64 dev n0 nodad
nd_in "$ns" sysctl -qw net.ipv4.ip_local_port_range="45000 45100"
nd_bg "$ns" socat TCP4-LISTEN:7500,reuseaddr,fork EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htln | grep -q :7500"
nd_bg "$ns" socat TCP4:127.0.0.1:7500 EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htn state established | grep -q :7500"

# --- connstat -N ---
check_eq "connstat -N NS --json = the same under ip netns exec" \
	"$(nd_in "$ns" "$CS" -tan --json | jq -S -c 'sort_by(.inode)')" \
	"$("$CS" -N "$ns" -tan --json | jq -S -c 'sort_by(.inode)')"
check_eq "connstat --netns NS lists what ss -N NS lists" \
	"$(ss -N "$ns" -Htan | awk '{print $4, $5}' | sort)" \
	"$("$CS" --netns "$ns" -tan -H | awk '{print $4, $5}' | sed 's/0\.0\.0\.0:\*/0.0.0.0:*/' | sort)"
check_eq "the namespace's ip_local_port_range decides autobound (the client, port 45000-45100)" \
	"$(ss -N "$ns" -Htan autobound | awk '{print $4}')" \
	"$("$CS" -N "$ns" -tan -H autobound | awk '{print $4}')"
check "and it is the client's port" sh -c "$CS -N $ns -tan -H autobound | grep -q ':450[0-9][0-9] '"

# --- -H: no header lines, as ss -H ---
check_eq "-H: one line per socket, as ss -H" "$(ss -N "$ns" -Htan | wc -l)" "$("$CS" -N "$ns" -tanH | wc -l)"
check "-H: no header text" sh -c "! $CS -N $ns -tanH | grep -q -e '^Active' -e '^Proto'"
check_eq "without -H: two header lines more" "$(($("$CS" -N "$ns" -tanH | wc -l) + 2))" \
	"$("$CS" -N "$ns" -tan | wc -l)"

# --- ifinfo --netns ---
# the counters are left out: the namespace's own IPv6 chatter (MLD, router solicitations on n0)
# may move them between the two runs; every other field must be equal
check_eq "ifinfo --netns NS -a --json = the same under ip netns exec (counters aside)" \
	"$(nd_in "$ns" "$IFINFO" -a --json | jq -S -c 'map(del(.stats64))')" \
	"$("$IFINFO" --netns "$ns" -a --json | jq -S -c 'map(del(.stats64))')"
check_eq "ifinfo --netns NS -a --json: the same counters are there" \
	"$(nd_in "$ns" "$IFINFO" -a --json | jq -S -c 'map(.stats64 | paths | tostring)')" \
	"$("$IFINFO" --netns "$ns" -a --json | jq -S -c 'map(.stats64 | paths | tostring)')"
check_eq "ifinfo --netns NS: the links and addresses of ip -n NS" \
	"$(ip -n "$ns" -j addr | jq -c '[.[] | {ifname, a: [.addr_info[].local]}]')" \
	"$("$IFINFO" --netns "$ns" -a --json | jq -c '[.[] | {ifname, a: [.addr_info[].local]}]')"
check_eq "ifinfo --netns NS --watch sees the namespace's links" "n0" \
	"$("$IFINFO" --netns "$ns" --watch=0.1 --count=1 --json n0 | jq -r '.interfaces[0].ifname')"

# --- miniping --netns: the request leaves from the namespace (its loopback counts it) ---
M=$ND_BIN/miniping
if [ -x "$M" ]; then
	lo_rx() { ip -n "$ns" -j -s link show lo | jq '.[0].stats64.rx.packets'; }
	before=$(lo_rx)
	out=$("$M" --netns "$ns" -c 2 -i 0.2 -n 10.79.0.1); rc=$?
	after=$(lo_rx)
	ref=$(nd_in "$ns" ping -c 2 -i 0.2 -n 10.79.0.1)
	check_eq "miniping --netns NS: exit 0" 0 "$rc"
	check_eq "miniping --netns NS: the summary of ping under ip netns exec" \
		"$(grep 'packets transmitted' <<<"$ref" | sed 's/, time.*//')" \
		"$(grep 'packets transmitted' <<<"$out" | sed 's/, time.*//')"
	check "miniping --netns NS: the namespace's loopback carried the 4 packets ($before -> $after)" \
		test $((after - before)) -ge 4
	# (a destination given, so that the namespace is what fails; nothing is sent then)
	err=$("$M" --netns nd-no-such-ns -c 1 127.0.0.1 2>&1 >/dev/null); rc=$?
	check_eq "miniping --netns nd-no-such-ns: exit 2, one line" "2 1" "$rc $(wc -l <<<"$err")"
	check "miniping --netns nd-no-such-ns: says so ($err)" grep -q 'netns nd-no-such-ns: no such namespace' <<<"$err"
	err=$("$M" --netns ../x -c 1 127.0.0.1 2>&1 >/dev/null); rc=$?
	check_eq "miniping --netns ../x: exit 2, names it ($err)" "2 1" "$rc $(grep -c "'../x'" <<<"$err")"
else
	fail "miniping not built"
fi

# --- bad names: one line, exit 2 ---
for tool in "$CS -N" "$IFINFO --netns"; do
	for bad in nd-no-such-ns ../x ""; do
		# shellcheck disable=SC2086
		err=$($tool "$bad" 2>&1 >/dev/null)
		# shellcheck disable=SC2086
		check_status "${tool##*/} '$bad': exit 2" 2 $tool "$bad"
		check_eq "${tool##*/} '$bad': one line on stderr ($err)" 1 "$(wc -l <<<"$err")"
	done
done
exit 0
