#!/bin/bash
# connstat -c [SECS] (netstat -c): the listing again every SECS seconds, each one what a one-shot
# run prints; --json one array per interval; a clean exit on SIGINT and SIGTERM; bad SECS refused.
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS"
nd_need_cmd socat "socat missing"

ns=$(nd_ns cc)
nd_tmpdir dir
nd_bg "$ns" socat TCP-LISTEN:7101,reuseaddr,fork SYSTEM:'sleep 60'
l1=$ND_LAST_PID
nd_wait_for 50 sh -c "ip netns exec $ns ss -H -tln | grep -q ':7101 '" || { fail "listener did not start"; exit 1; }

# Run connstat -c in the namespace in the background, output in $dir/$1; the pid in $bgpid.
start() {
	local out=$1
	shift
	ip netns exec "$ns" "$CS" "$@" >"$dir/$out" 2>"$dir/$out.err" &
	bgpid=$!
}
# Stop it with signal $1 and give its exit status.
stop() {
	kill "-$1" "$bgpid"
	wait "$bgpid"
}
count() { grep -c "$1" "$dir/$2"; }
jqe() { jq -e "$@" >/dev/null; }

# --- text: every listing is the one-shot listing, headers included ---
once=$(nd_in "$ns" "$CS" -tln)
start text -tln -c 0.1
nd_wait_for 100 sh -c "[ \$(grep -c '^Active Internet' $dir/text) -ge 3 ]"
stop INT
rc=$?
check_eq "-c: SIGINT ends it with status 0" 0 "$rc"
n=$(count '^Active Internet' text)
check "-c 0.1 printed several listings ($n)" [ "$n" -ge 3 ]
check_eq "-c: stderr stays empty" "" "$(cat "$dir/text.err")"
# split into listings at each header; every whole one equals the one-shot run
awk -v d="$dir" '/^Active Internet/ {k++} {print > (d "/blk." k)}' "$dir/text"
same=1
for ((k = 1; k <= n; k++)); do
	[ "$(cat "$dir/blk.$k")" = "$once" ] || { same=0; diff <(echo "$once") "$dir/blk.$k" | sed 's/^/    /'; }
done
check "-c: each of the $n listings is what connstat -tln prints once" [ "$same" = 1 ]

# --- JSON: one array per interval; a socket that appears shows up in the next arrays ---
start json -tln --json -c0.1
nd_wait_for 100 sh -c "[ -s $dir/json ]"
nd_bg "$ns" socat TCP-LISTEN:7102,reuseaddr SYSTEM:'sleep 60'
nd_wait_for 100 grep -q '"port":7102' "$dir/json"
stop TERM
rc=$?
check_eq "-c --json: SIGTERM ends it with status 0" 0 "$rc"
check "-c --json: the whole output is a sequence of arrays" jqe -se 'length >= 2 and all(.[]; type == "array")' "$dir/json"
check "-c --json: the first array has no 7102 listener, a later one has it" jqe -se \
	'(.[0] | map(.local.port) | index(7102) == null) and (.[-1] | map(.local.port) | index(7102) != null)' "$dir/json"
want=$(nd_in "$ns" "$CS" -tln --json | jq -c 'sort_by(.local.port)')
got=$(jq -sc '.[-1] | sort_by(.local.port)' "$dir/json")
check_eq "-c --json: the last array equals a one-shot --json" "$want" "$got"

# --- options, filters, -s and -p keep working with -c ---
start filt -tanc 0.1 sport = :7102
nd_wait_for 100 sh -c "[ \$(grep -c '^Active' $dir/filt) -ge 2 ]"
stop INT >/dev/null
check "-tanc 0.1 sport = :7102: rows only for port 7102" sh -c \
	"grep -q ':7102 ' $dir/filt && ! grep '^tcp' $dir/filt | grep -vq ':7102 '"
start sum -s -c 0.1 --json
nd_wait_for 100 sh -c "[ \$(wc -l < $dir/sum) -ge 2 ]"
stop INT >/dev/null
check "-s -c --json: one summary object per interval, each counting the listeners" jqe -se \
	'length >= 2 and all(.[]; .tcp.states.LISTEN >= 2)' "$dir/sum"
start procs -tlnp --json --continuous=0.1
nd_wait_for 100 sh -c "[ \$(wc -l < $dir/procs) -ge 2 ]"
stop INT >/dev/null
check "-p -c: every listing names the owner of the 7101 listener ($l1)" jqe -se \
	--argjson p "$l1" 'length >= 2 and all(.[]; any(.[]; .local.port == 7101 and .process[0].pid == $p))' "$dir/procs"
start deflt -tln -c
nd_wait_for 30 sh -c "[ -s $dir/deflt ]"
stop INT
check_eq "-c without SECS: a listing at once, status 0 on SIGINT" "0 yes" "$? $(grep -q '^Active' "$dir/deflt" && echo yes)"

# --- bad SECS: one line on stderr, exit 2, nothing on stdout ---
for a in "-c 0" "-c -1" "-c 2x" "-c 1e9" "-tc0.001" "--continuous=abc" "--continuous=" "-c ."; do
	# shellcheck disable=SC2086
	out=$(nd_in "$ns" "$CS" $a 2>"$dir/err")
	got="$? $(wc -l <"$dir/err") ${#out}"
	check_eq "bad interval '$a': exit 2, one line on stderr, empty stdout ($(head -1 "$dir/err"))" "2 1 0" "$got"
done
check_status "-c with -E: exit 2 (-E streams already)" 2 nd_in "$ns" "$CS" -E -c 1
# -N's argument is not a -c: "-Nc" names the namespace "c"
err=$("$CS" -tlNc 2 2>&1 >/dev/null)
check "-Nc 2: the namespace 'c', not -c 2 ($err)" grep -q "netns c:" <<<"$err"
# -N NAME with -c: the namespace's listing, again
"$CS" -N "$ns" -tln -c 0.1 >"$dir/netns" 2>&1 &
bgpid=$!
nd_wait_for 100 sh -c "[ \$(grep -c '^Active' $dir/netns) -ge 2 ]"
stop INT >/dev/null
check "-N NAME -c: the namespace's listener in every listing" sh -c \
	"[ \$(grep -c ':7101 ' $dir/netns) = \$(grep -c '^Active' $dir/netns) ]"
exit 0
