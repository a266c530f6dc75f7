#!/bin/bash
# sockbuf info: the created sizes and the set-versus-get ladder against /proc/sys values this
# test reads itself, against its own shell version of the kernel rule, and against an
# independent setsockopt/getsockopt (python3) on the same namespace.
. "$(dirname "$0")/lib.sh"
SB=$ND_BIN/sockbuf

ns=$(nd_ns info)
# per-namespace settings the test chooses, so the created sizes are not just the host defaults
nd_in "$ns" sh -c 'echo "4096 24576 4194304" > /proc/sys/net/ipv4/tcp_wmem; echo "4096 98304 6291456" > /proc/sys/net/ipv4/tcp_rmem'

sys() { nd_in "$ns" cat "/proc/sys/$1" | awk -v i="${2:-1}" '{print $i}'; }
out=$(nd_in "$ns" "$SB" info --json --sizes 1,1Ki,2Ki,4Ki,64Ki,1Mi,3Mi,16Mi,64Mi)
is_json() { jq -e . >/dev/null 2>&1 <<<"$1"; }
check "info --json is one JSON document" is_json "$out"

check_eq "tcp SO_SNDBUF as created = tcp_wmem[1] of the namespace" "$(sys net/ipv4/tcp_wmem 2)" \
	"$(jq -r '.created[] | select(.type=="tcp") | .sndbuf' <<<"$out")"
check_eq "tcp SO_RCVBUF as created = tcp_rmem[1] of the namespace" "$(sys net/ipv4/tcp_rmem 2)" \
	"$(jq -r '.created[] | select(.type=="tcp") | .rcvbuf' <<<"$out")"
for t in udp unix unix-dgram; do
	check_eq "$t SO_SNDBUF/SO_RCVBUF as created = wmem_default/rmem_default" \
		"$(sys net/core/wmem_default) $(sys net/core/rmem_default)" \
		"$(jq -r --arg t "$t" '.created[] | select(.type==$t) | "\(.sndbuf) \(.rcvbuf)"' <<<"$out")"
done
for k in net.core.rmem_max net.core.wmem_max net.ipv4.udp_rmem_min net.unix.max_dgram_qlen net.ipv4.tcp_moderate_rcvbuf; do
	check_eq "sysctl $k as the test reads it" "$(sys "${k//.//}")" "$(jq -r --arg k "$k" '.sysctl[$k]' <<<"$out")"
done
check_eq "sysctl net.ipv4.tcp_rmem as min default max" "$(nd_in "$ns" cat /proc/sys/net/ipv4/tcp_rmem | tr '\t' ' ')" \
	"$(jq -r '.sysctl["net.ipv4.tcp_rmem"] | join(" ")' <<<"$out")"

# the kernel rule, written again in shell from net/core/sock.c, with the test's own /proc/sys values
wmax=$(sys net/core/wmem_max) rmax=$(sys net/core/rmem_max)
minsnd=$(jq -r .limits.min_sndbuf <<<"$out") minrcv=$(jq -r .limits.min_rcvbuf <<<"$out")
rule() { # option request -> value
	local o=$1 v=$2 max min
	case $o in *SND*) max=$wmax min=$minsnd ;; *) max=$rmax min=$minrcv ;; esac
	case $o in *FORCE) ;; *) [ "$v" -gt "$max" ] && v=$max ;; esac
	[ "$v" -gt 1073741823 ] && v=1073741823
	v=$((v * 2))
	[ "$v" -lt "$min" ] && v=$min
	echo "$v"
}
want="" got="" pred=""
while read -r req opt g p; do
	want+="$req $opt $(rule "$opt" "$req")"$'\n'
	got+="$req $opt $g"$'\n'
	pred+="$req $opt $p"$'\n'
done < <(jq -r '.ladder[] | "\(.requested) \(.option) \(.got) \(.predicted)"' <<<"$out")
check_eq "every ladder row: getsockopt = the shell rule on the test's /proc/sys values" "$want" "$got"
check_eq "every ladder row: the tool's model = getsockopt" "$got" "$pred"
check_eq "rule names: 1 byte raised to the minimum, 64Mi clamped, 64Mi FORCE forced" "minimum clamped forced" \
	"$(jq -r '[(.ladder[] | select(.requested==1 and .option=="SO_SNDBUF") | .rule),
		    (.ladder[] | select(.requested==67108864 and .option=="SO_RCVBUF") | .rule),
		    (.ladder[] | select(.requested==67108864 and .option=="SO_RCVBUFFORCE") | .rule)] | join(" ")' <<<"$out")"
check "the minimum is below a 4 KiB request's doubled value and positive" \
	test "$minsnd" -gt 0 -a "$minsnd" -le 8192 -a "$minrcv" -gt 0 -a "$minrcv" -le 8192

# an independent setsockopt/getsockopt on the same namespace
if nd_in "$ns" python3 -c 'import socket' 2>/dev/null; then
	py=$(jq -r '.ladder[] | "\(.requested) \(.option)"' <<<"$out" | nd_in "$ns" python3 -c '
import socket, sys
opts = {"SO_SNDBUF": (7, 7), "SO_RCVBUF": (8, 8), "SO_SNDBUFFORCE": (32, 7), "SO_RCVBUFFORCE": (33, 8)}
for line in sys.stdin:
    req, name = line.split()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    setopt, getopt = opts[name]
    s.setsockopt(socket.SOL_SOCKET, setopt, int(req))
    print(req, name, s.getsockopt(socket.SOL_SOCKET, getopt))
    s.close()
')
	check_eq "every ladder row equals python3 setsockopt+getsockopt" "$got" "$py"$'\n'
else
	skip "python3 not available for the independent getsockopt"
fi

# without CAP_NET_ADMIN the FORCE options are refused, and the model says so
unpriv=$(nd_in "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$SB" info --json --sizes 16Mi)
check_eq "as nobody: FORCE rows are EPERM as the model predicts" "false eperm EPERM true" \
	"$(jq -r '.limits.cap_net_admin as $c | [.ladder[] | select(.option=="SO_SNDBUFFORCE")][0] | "\($c) \(.rule) \(.error) \(.match)"' <<<"$unpriv")"

# the unix-dgram ladder goes through the same rule
u=$(nd_in "$ns" "$SB" info --json --type unix-dgram --sizes 100Ki)
check_eq "unix-dgram: 100Ki SO_SNDBUF doubled" "$(rule SO_SNDBUF 102400) doubled" \
	"$(jq -r '.ladder[] | select(.option=="SO_SNDBUF") | "\(.got) \(.rule)"' <<<"$u")"

text=$(nd_in "$ns" "$SB")
check "text output (default subcommand) names the rules" grep -q "clamped at wmem_max, doubled" <<<"$text"

err=$(nd_in "$ns" "$SB" info --sizes 12q 2>&1 >/dev/null); rc=$?
check_eq "--sizes 12q: exit 2 and one line on stderr" "2 1" "$rc $(wc -l <<<"$err")"
check_status "--type bogus: exit 2" 2 nd_in "$ns" "$SB" info --type bogus
check_status "--help exits 0" 0 "$SB" info --help
