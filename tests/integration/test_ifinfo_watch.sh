#!/bin/bash
# ifinfo --watch NAME when NAME goes away (deleted while watched: say so, exit 2, as ip says the
# device does not exist), and the one policy for a dump interrupted on every pass, in the listing
# and in --watch alike: warn, show the last pass, go on (exit 0), as ip does.  The second part uses
# an LD_PRELOAD shim (tests/integration/shim/dumpintr.c) that marks every link message
# NLM_F_DUMP_INTR; test_ifinfo_intr.sh proves the same path against the kernel's own marks.
. "$(dirname "$0")/lib.sh"
IFINFO=$ND_BIN/ifinfo
nd_need_bin "$IFINFO"

ns=$(nd_ns watch)
nd_tmpdir dir
ip -n "$ns" link add wz type veth peer name wy
ip -n "$ns" link set wz up

# --- the interface goes away while watched ---
for fmt in text json; do
	opt=()
	[ "$fmt" = json ] && opt=(--json)
	ip -n "$ns" link show wz >/dev/null 2>&1 ||
		{ ip -n "$ns" link add wz type veth peer name wy; ip -n "$ns" link set wz up; }
	nd_bg "$ns" sh -c "$IFINFO --watch=0.1 ${opt[*]} wz >$dir/out.$fmt 2>$dir/err.$fmt; echo \$? >$dir/rc.$fmt"
	nd_wait_for 50 sh -c "[ \$(grep -c wz $dir/out.$fmt) -ge 2 ]" || fail "$fmt: no interval shown"
	ip -n "$ns" link del wz
	nd_wait_for 50 test -s "$dir/rc.$fmt" || fail "$fmt: --watch still runs after wz was deleted"
	check_eq "$fmt: exit 2 once wz is gone" 2 "$(cat "$dir/rc.$fmt")"
	check_eq "$fmt: one line says so" "ifinfo: wz: the interface is gone" "$(cat "$dir/err.$fmt")"
	check "$fmt: ip agrees that wz does not exist" sh -c "! ip -n $ns link show wz 2>/dev/null"
done
check "json: every line printed before is a whole JSON object" sh -c \
	"jq -e -s 'length >= 3 and all(.[:-1][]; .interfaces[0].ifname == \"wz\")' $dir/out.json >/dev/null"
check_eq "json: the last line is the error document" '{"error":"wz: the interface is gone","exit":2}' \
	"$(tail -1 "$dir/out.json")"
check "text: no empty table was printed after wz went" \
	sh -c "[ \$(grep -c '^Iface' $dir/out.text) -eq \$(grep -c '^wz ' $dir/out.text) ]"
err=$(nd_in "$ns" "$IFINFO" --watch=0.1 --count=1 wz 2>&1 >/dev/null)
check_eq "an interface that never was: no such interface" "ifinfo: wz: no such interface" "$err"
check_status "and exit 2" 2 nd_in "$ns" "$IFINFO" --watch=0.1 --count=1 wz

# --- every pass of every link dump interrupted: warn, show the last pass, go on ---
if ! command -v cc >/dev/null || ! cc -shared -fPIC -o "$dir/dumpintr.so" \
	"$(dirname "$0")/shim/dumpintr.c" -ldl 2>"$dir/cc.err"; then
	skip "no C compiler for the LD_PRELOAD shim: $(head -1 "$dir/cc.err" 2>/dev/null)"
	exit 0
fi
# (deleting wz took its peer wy along: a pair of its own here)
ip -n "$ns" link add wa type veth peer name wy
intr() { nd_in "$ns" env ND_DUMPINTR_TYPE=16 LD_PRELOAD="$dir/dumpintr.so" "$IFINFO" "$@"; }
intr -a --json >"$dir/l.out" 2>"$dir/l.err"
check_eq "listing: exit 0, as ip under an endless churn" 0 "$?"
check_eq "listing: one warning" "ifinfo: link dump: interrupted 9 times by concurrent changes; showing the last pass, which may be inconsistent" "$(cat "$dir/l.err")"
check_eq "listing: the last pass is shown (lo, wa, wy, as ip -j link)" \
	"$(nd_in "$ns" ip -j link | jq -c '[.[].ifname] | sort')" "$(jq -c '[.[].ifname] | sort' "$dir/l.out")"
# the address dump too (RTM_NEWADDR, 20): the first pass and 8 retries, then the last pass
nd_in "$ns" env ND_DUMPINTR_TYPE=20 LD_PRELOAD="$dir/dumpintr.so" "$IFINFO" -a --json >"$dir/a.out" 2>"$dir/a.err"
check_eq "address dump interrupted on every pass: exit 0" 0 "$?"
check_eq "address dump: one warning" "ifinfo: address dump: interrupted 9 times by concurrent changes; showing the last pass, which may be inconsistent" "$(cat "$dir/a.err")"
check_eq "address dump: the last pass shown, as ip -j addr has it" \
	"$(ip -n "$ns" -j addr | jq -c '[.[] | .addr_info[].local] | sort')" \
	"$(jq -c '[.[] | .addr_info[].local] | sort' "$dir/a.out")"
if command -v strace >/dev/null; then
	nd_in "$ns" env ND_DUMPINTR_TYPE=20 LD_PRELOAD="$dir/dumpintr.so" strace -qq -f -o "$dir/tr" \
		-e trace=sendto "$IFINFO" -a --json >/dev/null 2>&1
	check_eq "address dump: 9 RTM_GETADDR requests (the first and 8 retries)" 9 \
		"$(grep -c 'nlmsg_type=RTM_GETADDR' "$dir/tr")"
fi
intr --watch=0.1 --count=3 --json wy >"$dir/w.out" 2>"$dir/w.err"
check_eq "--watch: exit 0 too (it died on the first interrupted dump before)" 0 "$?"
check_eq "--watch: all three intervals shown" 3 "$(jq -c 'select(.interfaces[0].ifname == "wy")' "$dir/w.out" | wc -l)"
check_eq "--watch: the same warning for each of the 4 samples, nothing else" 4 \
	"$(grep -c '^ifinfo: link dump: interrupted 9 times by concurrent changes; showing the last pass' "$dir/w.err")"
check_eq "--watch: stderr has only those lines" 4 "$(wc -l <"$dir/w.err")"
exit 0
