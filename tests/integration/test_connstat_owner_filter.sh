#!/bin/bash
# connstat's owner terms (issue 13): "pid N", "comm NAME" and "uid N|USER" in the filter, combined
# with the rest by and/or/not, select what lsof -i -a -p / -c / -u and ss -p / -e select, on one
# namespace holding sockets of three processes: two commands, two users.
. "$(dirname "$0")/lib.sh"
CS=$ND_BIN/connstat
[ -x "$CS" ] || { fail "connstat not built ($CS)"; exit 1; }
command -v socat >/dev/null || { skip "socat not installed"; exit 0; }

ns=$(nd_ns own)
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'nd_cleanup; rm -rf "$dir"' EXIT
cp "$(command -v socat)" "$dir/holder" # a second command name: comm "holder"

nd_bg "$ns" socat TCP4-LISTEN:7700,reuseaddr,fork EXEC:"sleep 60"
p1=$ND_LAST_PID
nd_bg "$ns" "$dir/holder" -u UDP4-RECV:7702 /dev/null
nd_bg "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups socat TCP4-LISTEN:7701,reuseaddr /dev/null
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htln | grep -q :7701"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Hun | grep -q :7702"
nd_bg "$ns" socat TCP4:127.0.0.1:7700 EXEC:"sleep 60"
nd_wait_for 50 sh -c "ip netns exec $ns ss -Htn state established | grep -q :7700"
pid_of() { nd_in "$ns" ss -Htuanp "$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
lpid=$(pid_of 'sport = :7700')   # the listener's pid (ip netns exec execs socat in place)
hpid=$(pid_of 'sport = :7702')

# local peer of the TCP/UDP sockets ss -p shows with a matching owner
ss_by() { # grep pattern on ss -tuanpe's line
	nd_in "$ns" ss -Htuanpe 2>/dev/null | grep -E -- "$1" | awk '{print $5, $6}' | sort
}
cs_by() {
	nd_in "$ns" "$CS" -tua --json "$@" | jq -r '.[] | "\(.local.address):\(.local.port) \(.peer.address):\(if .peer.port == 0 then "*" else .peer.port end)"' |
		sed 's/ 0\.0\.0\.0:\*$/ 0.0.0.0:*/' | sort
}
same() {
	local what=$1 want=$2 got=$3
	if [ -z "$want" ]; then
		fail "$what: the peer selects nothing (a test that cannot fail)"
		return
	fi
	check_eq "$what" "$want" "$got"
}
same "pid $lpid: the listener's sockets, as ss -p" "$(ss_by "pid=$lpid,")" "$(cs_by pid "$lpid")"
same "pid = $hpid (the holder)" "$(ss_by "pid=$hpid,")" "$(cs_by pid = "$hpid")"
same "comm holder, as ss -p's process names" "$(ss_by '\("holder",')" "$(cs_by comm holder)"
same "comm 'hol*' (a pattern)" "$(ss_by '\("holder",')" "$(cs_by comm 'hol*')"
same "comm socat: the three socat processes' sockets" "$(ss_by '\("socat",')" "$(cs_by comm socat)"
same "uid nobody, as ss -e's uid:65534" "$(ss_by 'uid:65534 ')" "$(cs_by uid nobody)"
check_eq "uid 65534 = uid nobody" "$(cs_by uid nobody)" "$(cs_by uid 65534)"
# (a socket no process holds, or whose process is gone by the time, has no name: not socat)
same "not comm socat: every socket ss -p shows without socat" \
	"$(nd_in "$ns" ss -Htuanp 2>/dev/null | grep -v '(\"socat\",' | awk '{print $5, $6}' | sort)" \
	"$(cs_by not comm socat)"
same "comm socat and sport = :7700: the listener and its accepted socket" \
	"$(ss_by '\("socat",' | grep '^0.0.0.0:7700 \|^127.0.0.1:7700 ')" "$(cs_by comm socat and sport = :7700)"
same "pid $hpid or uid nobody" "$( (ss_by "pid=$hpid,"; ss_by 'uid:65534 ') | sort -u)" \
	"$(cs_by pid "$hpid" or uid nobody)"

# lsof -i -a -p PID as the third peer: the same count of internet sockets
if command -v lsof >/dev/null; then
	check_eq "pid $lpid: as many sockets as lsof -a -i -p $lpid" \
		"$(nd_in "$ns" lsof -nP -a -i -p "$lpid" 2>/dev/null | tail -n +2 | wc -l)" \
		"$(cs_by pid "$lpid" | wc -l)"
fi
check "-p --json pid N: every row's owner is N" sh -c \
	"ip netns exec $ns $CS -tua -p --json pid $lpid | jq -e 'length > 0 and all(.[]; any(.process[]; .pid == $lpid))' >/dev/null"
check_eq "-s comm holder counts its one UDP socket" 1 \
	"$(nd_in "$ns" "$CS" -s -u --json comm holder | jq .udp.total)"

# --- bad input ---
for bad in "uid nd-no-such-user" "pid abc" "pid" "comm" "pid 99999999"; do
	# shellcheck disable=SC2086
	err=$(nd_in "$ns" "$CS" -t $bad 2>&1 >/dev/null); rc=$?
	check_eq "'$bad': exit 2, one line ($err)" "2 1" "$rc $(wc -l <<<"$err")"
done
# -E matches pid/comm against each change's owner (test_connstat_events.sh); a uid it cannot know
err=$(nd_in "$ns" "$CS" -E uid 0 2>&1 >/dev/null); rc=$?
check_eq "-E with uid: refused, one line ($err)" "2 1" "$rc $(wc -l <<<"$err")"
exit 0
