#!/bin/bash
# lib/sysctl's /proc/net/snmp parser does work in proportion to its input: the instructions it
# executes (callgrind, counted inside nd_snmp_parse only: a count, not a time) for a line of
# 20,000 fields are about 10 times those for 2,000 fields.  A parser that rescans the line once
# per word (the old one) does about 100 times the work.  Needs valgrind; skipped without it.
. "$(dirname "$0")/lib.sh"
nd_tmpdir TMPD

nd_need_cmd valgrind "valgrind not installed (scripts/deps.sh installs it for make test)"
# valgrind cannot run a sanitized binary (make check): ASan's shadow memory clashes with it
if [ -n "${ND_SANITIZED:-}" ] || grep -qa AddressSanitizer "$ND_PEERS/snmpwork"; then
	skip "a sanitized build: valgrind cannot count it"
	exit 0
fi
# ir N: the instructions executed inside nd_snmp_parse for N fields
ir() {
	local out=$TMPD/cg.$1 v
	v=$(valgrind -q --tool=callgrind --callgrind-out-file="$out" --toggle-collect=nd_snmp_parse \
		"$ND_PEERS/snmpwork" "$1") || return 1
	[ "$v" = 4242 ] || return 1
	sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out"
}
small=$(ir 2000) big=$(ir 20000)
check "the field after 2,000 and after 20,000 others is found (${small:-?}, ${big:-?} instructions)" \
	test -n "$small" -a -n "$big"
[ -n "$small" ] && [ -n "$big" ] || exit 0
ratio=$((big * 10 / small))
check "10 times the fields, at most 20 times the instructions (got $((ratio / 10)).$((ratio % 10)))" \
	test "$ratio" -le 200
exit 0
