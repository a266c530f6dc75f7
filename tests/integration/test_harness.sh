#!/bin/bash
# The harness itself: namespaces are made, linked, and removed again.
. "$(dirname "$0")/lib.sh"

a=$(nd_ns a)
b=$(nd_ns b)
check "namespace a exists" ip netns exec "$a" true
nd_veth_net "$a" "$b" 10.99.0
check "veth pair carries a ping between the namespaces" nd_in "$a" ping -c1 -W2 -q 10.99.0.2
nd_tun "$a" tun0
check_eq "TUN device is a tun" "tun" "$(ip -n "$a" -j -d link show tun0 | jq -r '.[0].linkinfo.info_kind')"
check_status "check_status sees a failing command" 1 false

# The shared prologue: a temporary directory goes at exit, a missing tool fails, a missing command skips.
lib=$(dirname "$0")/lib.sh
out=$(bash -c '. "$1"; nd_tmpdir d; echo "$d"; [ -d "$d" ] && echo made' _ "$lib")
d=${out%%$'\n'*}
check_eq "nd_tmpdir makes a directory" "made" "${out#*$'\n'}"
check "... and it is gone at exit" test ! -e "$d"
out=$(bash -c '. "$1"; nd_need_bin /bin/true /nonexistent/tool; echo after' _ "$lib")
check_status "nd_need_bin: exit 1 when a binary is missing" 1 bash -c '. "$1"; nd_need_bin /nonexistent/tool' _ "$lib"
check_eq "... with one FAIL line naming it" "FAIL: tool not built (/nonexistent/tool)" "$out"
out=$(bash -c '. "$1"; nd_need_cmd nd-no-such-command "why not"; echo after' _ "$lib")
check_status "nd_need_cmd: exit 0 when a command is missing" 0 bash -c '. "$1"; nd_need_cmd nd-no-such-command' _ "$lib"
check_eq "... with one SKIP line" "SKIP: why not" "$out"
check_eq "nd_need_cmd goes on when the command is there" "after" \
	"$(bash -c '. "$1"; nd_need_cmd true; echo after' _ "$lib")"
