#!/bin/bash
# connstat filters with host names (src/dst NAME[:PORT]) against ss on the same namespace.
# The namespace gets its own /etc/hosts (ip netns exec bind-mounts /etc/netns/NS/hosts), so that
# names resolve offline: "localhost", and "cstest" with two addresses (127.0.0.1 and ::1).
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS" "$ND_PEERS/sockmaker"

ns=$(nd_ns names)
nd_tmpdir dir
nd_rm_at_exit "/etc/netns/$ns"
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1\tlocalhost\n127.0.0.1\tcstest\n::1\tcstest\n127.0.0.1\tcstest\n' >"/etc/netns/$ns/hosts"
check_eq "the namespace resolves cstest to two addresses" "127.0.0.1 ::1" \
	"$(nd_in "$ns" getent ahosts cstest | awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//')"
nd_bg "$ns" "$ND_PEERS/sockmaker" -d "$dir" >"$dir/out"
nd_wait_for 50 grep -q ready "$dir/out" || { fail "sockmaker did not start"; exit 1; }

sel_ss() {
	nd_in "$ns" ss -H -a -tu -n "$@" 2>/dev/null | awk '{print $1, $(NF-1), $NF}' |
		sed 's/\[//g; s/\]//g; s/:\*$/:0/; s/ \*:/ :::/g' | sort
}
sel_cs() {
	nd_in "$ns" "$CS" -a -tu --json "$@" |
		jq -r '.[] | "\(.netid) \(.local.address):\(.local.port) \(.peer.address):\(.peer.port)"' | sort
}
same() {
	local what=$1 want got
	shift
	want=$(sel_ss "$@")
	got=$(sel_cs "$@")
	if [ -z "$want" ]; then
		fail "$what: ss selects nothing (a test that cannot fail)"
		return
	fi
	check_eq "$what" "$want" "$got"
}
# names with one address: ss and connstat on the very same words
same "dst localhost selects what ss selects" dst localhost
same "src localhost:7001 selects what ss selects" src localhost:7001
same "-4 src localhost selects what ss -4 selects" -4 src localhost
same "not dst localhost selects what ss selects" not dst localhost
same "src inet:localhost selects what ss selects" src inet:localhost
same "sport = :7001 or dst localhost:7001 selects what ss selects" sport = :7001 or dst localhost:7001

# a name with two addresses means both (ss 6.1's bytecode compares with one of them only, so the
# oracle here is ss on the addresses, or'ed)
want=$(sel_ss "( src 127.0.0.1 or src [::1] )")
got=$(sel_cs src cstest)
check_eq "src cstest (127.0.0.1 and ::1) selects what ss's 'src 127.0.0.1 or src [::1]' selects" "$want" "$got"
both_families() { grep -q ' ::1:' <<<"$1" && grep -q ' 127\.0\.0\.1:' <<<"$1"; }
check "... and that holds IPv4 and IPv6 sockets" both_families "$got"
want=$(sel_ss "( dst 127.0.0.1:7002 or dst [::1]:7002 )")
got=$(sel_cs dst cstest:7002)
check_eq "dst cstest:7002 = ss's 'dst 127.0.0.1:7002 or dst [::1]:7002'" "$want" "$got"
want=$(sel_ss -6 src "[::1]")
got=$(sel_cs -6 src cstest)
check_eq "-6 src cstest = ss -6 src [::1]" "$want" "$got"

# unresolvable: one line naming it, exit 2, quickly (inside the namespace: no network to ask)
err=$(nd_in "$ns" timeout 20 "$CS" -t dst no-such-host.invalid 2>&1 >/dev/null)
check_status "an unresolvable name exits 2" 2 nd_in "$ns" timeout 20 "$CS" -t dst no-such-host.invalid
check "... with one line naming it ($err)" sh -c "[ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ] && printf '%s' \"\$1\" | grep -q '^connstat: .*no-such-host.invalid'" _ "$err"
check_status "a name with a prefix (as ss: an error) exits 2" 2 nd_in "$ns" "$CS" -t src localhost/8
check_status "a name with a bad character exits 2" 2 nd_in "$ns" "$CS" -t src 'local$host'
exit 0
