#!/bin/bash
# sockbuf serve against hostile clients: garbage lines, huge and malformed numbers, an endless
# line, a client that says nothing, a data connection that sends nothing.  Every refusal is one
# ERR line to the client that names what was wrong and one "rejected" line in serve's log; serve
# keeps serving; it listens on loopback unless --bind says otherwise; several clients at once.
# Everything stays on loopback (and one local address) inside a namespace of the test's own.
. "$(dirname "$0")/lib.sh"
SB=$ND_BIN/sockbuf
nd_tmpdir TMPD

ns=$(nd_ns sv)
ip -n "$ns" addr add 10.9.0.1/32 dev lo # a local address that is not loopback's 127.0.0.1

# serve NAME PORT ARGS...: a server in the background, its log in $TMPD/NAME.log
serve() {
	local name=$1 port=$2
	shift 2
	nd_bg "$ns" "$SB" serve --port "$port" "$@" >"$TMPD/$name.log" 2>"$TMPD/$name.err"
	nd_wait_for 50 sh -c "ip netns exec $ns ss -Htln 'sport = :$port' | grep -q ."
}
# ask PORT LINE...: send the lines on one control connection, print what comes back
ask() {
	local port=$1
	shift
	printf '%s\n' "$@" | ip netns exec "$ns" timeout 20 socat -t 1 - "TCP:127.0.0.1:$port"
}
# in_ns SCRIPT: a bash script inside the namespace (for /dev/tcp dialogues)
in_ns() { ip netns exec "$ns" timeout 30 bash -c "$1"; }

# --- A: short timeout, JSON log; garbage, numbers, an endless line, silence
serve A 5311 --timeout 2 --json
check_eq "default bind: loopback only" "127.0.0.1:5311" \
	"$(ip netns exec "$ns" ss -Htln 'sport = :5311' | awk '{print $4}')"
check "default bind: the same port on a local non-loopback address refuses" \
	in_ns '! exec 3<>/dev/tcp/10.9.0.1/5311 && exec 3<>/dev/tcp/127.0.0.1/5311' 2>/dev/null

while IFS='|' read -r line want; do
	check_eq "'$line' refused: $want" "$want" "$(ask 5311 "$line")"
done <<'EOF'
UDP rcvbuf=0 rate=2147483647|ERR UDP rate=2147483647: out of range 0 to 10000000
UDP rcvbuf=2147483648 rate=1|ERR UDP rcvbuf=2147483648: out of range 0 to 1073741824
UDP rcvbuf=0|ERR UDP needs rate=N (0 to 10000000)
HOLD rcvbuf=99999999999999999999999|ERR HOLD rcvbuf=99999999999999999999999: out of range 0 to 1073741824
HOLD rcvbuf=12abc|ERR HOLD rcvbuf=12abc: not a number
SINK rcvbuf=-1|ERR SINK rcvbuf=-1: not a number
SINK|ERR SINK needs rcvbuf=N (0 to 1073741824)
DRAIN delay_ms=5|ERR DRAIN: no held connection
HELLO v=2|ERR HELLO v=2: this server speaks v=1 only
FROB x=1|ERR unknown command FROB
GET / HTTP/1.1|ERR not a sockbuf control line
EOF
check_eq "garbage lines each get an ERR, and the session goes on" \
	"ERR not a sockbuf control line
ERR not a sockbuf control line
HELLO v=1" "$(ask 5311 $'\x01\x02\x03' 'hello' 'HELLO v=1')"

# DRAIN with a wait of 71 minutes, on a held connection: refused, and the session still answers
out=$(in_ns 'exec 3<>/dev/tcp/127.0.0.1/5311
	echo "HOLD rcvbuf=0" >&3; read -r -t 10 l <&3; exec 4<>/dev/tcp/127.0.0.1/${l#PORT port=}
	echo "DRAIN delay_ms=2147483647" >&3; read -r -t 10 l <&3; echo "$l"
	echo QUERY >&3; read -r -t 10 l <&3; echo "${l%% *}"; echo BYE >&3')
check_eq "DRAIN delay_ms=2147483647 refused at once, the session goes on" \
	"ERR DRAIN delay_ms=2147483647: out of range 0 to 2000
QUEUE" "$out"

# an endless line: refused and closed; nothing at all: dropped after --timeout
out=$( (head -c 1000000 /dev/zero | tr '\0' A) | ip netns exec "$ns" timeout 20 socat -t 2 - TCP:127.0.0.1:5311)
check_eq "an endless line: refused and closed" "ERR line longer than 512 bytes: closing" "$out"
out=$(in_ns 'exec 3<>/dev/tcp/127.0.0.1/5311; read -r -t 15 l <&3; echo "$l"; read -r -t 15 l <&3 || echo closed')
check_eq "a client that says nothing: dropped after --timeout" \
	"ERR silent for 2 s: closing
closed" "$out"
# a data connection that sends nothing, a UDP session with no datagram and no SENT
out=$(in_ns 'exec 3<>/dev/tcp/127.0.0.1/5311
	echo "SINK rcvbuf=0" >&3; read -r -t 10 l <&3; exec 4<>/dev/tcp/127.0.0.1/${l#PORT port=}
	read -r -t 15 l <&3; echo "$l"')
check_eq "a silent data connection: the sink ends" "ERR sink: no data for 2 s" "$out"
out=$(in_ns 'exec 3<>/dev/tcp/127.0.0.1/5311
	echo "UDP rcvbuf=0 rate=0" >&3; read -r -t 10 l <&3; read -r -t 15 l <&3; echo "$l"')
check_eq "UDP with no datagram and no SENT: given up" "ERR UDP: no datagram and no SENT for 2 s" "$out"

fill() { ip netns exec "$ns" "$SB" fill --sndbuf 64Ki --rcvbuf 64Ki "$@" >/dev/null; }
check "after all that, a real client is served" fill --connect 127.0.0.1:5311
check "serve's log: every line a JSON document" jq -e . "$TMPD/A.log" >/dev/null
# 11 in the table, 2 garbage lines, DRAIN, the endless line, silence, the sink, UDP
check_eq "serve's log: one 'rejected' line per refusal" 18 \
	"$(jq -s '[.[] | select(.event == "rejected")] | length' "$TMPD/A.log")"
check_eq "serve's log names the refusal" '"UDP rate=2147483647: out of range 0 to 10000000"' \
	"$(jq -s '[.[] | select(.event == "rejected")][0].detail' "$TMPD/A.log")"
check_eq "serve wrote nothing on stderr" "" "$(cat "$TMPD/A.err")"

# --- B: several clients at once: a silent client does not hold up the next one
serve B 5312 --timeout 30
nd_bg "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5312; sleep 25'
nd_wait_for 50 grep -q '^client' "$TMPD/B.log"
check "a client is served while another sits silent on its connection" \
	fill --connect 127.0.0.1:5312 --timeout 5
check_eq "B's log: two clients came, one is done" "2 1" \
	"$(grep -c '^client' "$TMPD/B.log") $(grep -c '^done' "$TMPD/B.log")"

# --- C: --max-clients 2: the third is told it is busy
serve C 5313 --timeout 30 --max-clients 2
nd_bg "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5313; sleep 25'
nd_bg "$ns" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5313; sleep 25'
nd_wait_for 50 sh -c "[ \$(grep -c '^client' $TMPD/C.log) -eq 2 ]"
check_eq "the third client: busy" "ERR busy: 2 clients already, try again later" "$(ask 5313 'HELLO v=1')"
check "C's log: the refusal" grep -qx 'refused 127.0.0.1: busy' "$TMPD/C.log"
exit 0
