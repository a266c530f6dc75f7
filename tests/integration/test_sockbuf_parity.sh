#!/bin/bash
# sockbuf where issue 13 found it wrong: 'info --sizes auto' (no setsockopt: the kernel default the
# namespace's sysctl gives, not a "0 B" row), empty elements in a size list, 'udp --rate 0', and
# the FORCE rows of 'info' as a user without CAP_NET_ADMIN (a literal "%10s" once).
. "$(dirname "$0")/lib.sh"
SB=$ND_BIN/sockbuf
nd_need_bin "$SB"

ns=$(nd_ns sbp)
# defaults of the test's choosing, so that "the default" is not the host's by chance
nd_in "$ns" sh -c 'echo "4096 20480 4194304" > /proc/sys/net/ipv4/tcp_wmem; echo "4096 100000 6291456" > /proc/sys/net/ipv4/tcp_rmem'
sys() { nd_in "$ns" cat "/proc/sys/$1" | awk -v i="${2:-1}" '{print $i}'; }

# --- --sizes auto: the default, as the kernel made it ---
out=$(nd_in "$ns" "$SB" info --json --sizes auto,4Ki)
check_eq "tcp: auto rows are SO_SNDBUF = tcp_wmem[1], SO_RCVBUF = tcp_rmem[1] of the namespace" \
	"SO_SNDBUF $(sys net/ipv4/tcp_wmem 2) SO_RCVBUF $(sys net/ipv4/tcp_rmem 2)" \
	"$(jq -r '[.ladder[] | select(.rule == "default") | "\(.option) \(.got)"] | join(" ")' <<<"$out")"
check_eq "tcp: the auto rows agree with the socket as created" \
	"$(jq -r '.created[] | select(.type == "tcp") | "\(.sndbuf) \(.rcvbuf)"' <<<"$out")" \
	"$(jq -r '[.ladder[] | select(.rule == "default") | .got] | join(" ")' <<<"$out")"
check_eq "tcp: no auto row was requested as 0, every row matches" "0 true" \
	"$(jq -r '"\([.ladder[] | select(.requested == 0)] | length) \(all(.ladder[]; .match))"' <<<"$out")"
out=$(nd_in "$ns" "$SB" info --json --type udp --sizes auto)
check_eq "udp: auto rows are wmem_default, rmem_default" \
	"$(sys net/core/wmem_default) $(sys net/core/rmem_default)" \
	"$(jq -r '[.ladder[].got] | join(" ")' <<<"$out")"
txt=$(nd_in "$ns" "$SB" info --sizes auto)
auto_text() { grep -q "^auto  *SO_SNDBUF  *$(sys net/ipv4/tcp_wmem 2)  *not set" <<<"$txt" && ! grep -q '^0 B' <<<"$txt"; }
check "text: an 'auto' row, no '0 B' row" auto_text
check_eq "text: '0' is still a request of 0 (SOCK_MIN)" "4" \
	"$(nd_in "$ns" "$SB" info --json --sizes 0 | jq '[.ladder[] | select(.requested == 0)] | length')"

# --- bad lists and rates: one line, exit 2 ---
bad() {
	local what=$1 token=$2 err rc
	shift 2
	err=$(nd_in "$ns" "$SB" "$@" 2>&1 >/dev/null)
	rc=$?
	check_eq "$what: exit 2, one line" "2 1" "$rc $(wc -l <<<"$err")"
	check "$what: the line names '$token' ($err)" grep -qF -- "$token" <<<"$err"
}
bad "info --sizes 1Ki,,2Ki" "'1Ki,,2Ki': an empty size" info --sizes 1Ki,,2Ki
bad "info --sizes ,1Ki" "an empty size" info --sizes ,1Ki
bad "sweep --sizes 16Ki," "an empty size" sweep --sizes 16Ki,
bad "udp --sizes 4Ki,,auto" "an empty size" udp --sizes 4Ki,,auto
bad "udp --rate 0" "'0': expected 1 to" udp --rate 0

# --- without CAP_NET_ADMIN: FORCE rows say EPERM, text and JSON alike ---
if ! command -v setpriv >/dev/null; then
	skip "setpriv missing: cannot run as nobody"
	exit 0
fi
nobody() { nd_in "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"; }
txt=$(nobody "$SB" info --sizes 1Ki,64Ki)
js=$(nobody "$SB" info --json --sizes 1Ki,64Ki)
no_format() { ! grep -q '%' <<<"$txt"; }
check "as nobody: no printf format leaks into the text" no_format
check_eq "as nobody: every FORCE row's got column says EPERM" "4 4" \
	"$(grep -c 'FORCE  *EPERM  *EPERM: needs CAP_NET_ADMIN' <<<"$txt") $(grep -c 'FORCE' <<<"$txt")"
check_eq "as nobody: JSON has got null and error EPERM on the same rows" "4" \
	"$(jq '[.ladder[] | select(.option | endswith("FORCE")) | select(.got == null and .error == "EPERM")] | length' <<<"$js")"
check_eq "as nobody: CAP_NET_ADMIN false" "false" "$(jq .limits.cap_net_admin <<<"$js")"
exit 0
