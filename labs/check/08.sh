#!/bin/bash
# labs/check/08.sh — lab 08, UDP: sendto()/recvfrom() without a connection, drops when the
# receive buffer overflows, broadcast and multicast on the bridge.  Every claim of
# labs/08-udp.md, one line each.
# shellcheck source=labs/check/lib.sh
. "$(dirname "$0")/lib.sh"
lab_up

bound() { on "$1" connstat -uln "sport = :$2" | grep -q "0.0.0.0:$2"; }
# nstat_val HOST COUNTER — the absolute value of a kernel counter in HOST's namespace
nstat_val() { on "$1" nstat -az "$2" | awk -v c="$2" '$1 == c { print $2 }'; }

# --- 1. a server without connections ---------------------------------------------------------
bg h2 udp_server 9001 >"$LAB_TMP/server.out" 2>&1
SPID=$BG_PID
wait_for 5 bound h2 9001
claim "connstat -uan on h2: the server is one UDP socket on 0.0.0.0:9001 with no peer (0.0.0.0:*) and no state" \
	on h2 sh -c "connstat -uan | grep -Eq '^udp +0 +0 0\\.0\\.0\\.0:9001 +0\\.0\\.0\\.0:\\* *\$'"
on h1 udp_client 10.200.2.2 9001 hello-from-h1 >"$LAB_TMP/c1.out" 2>&1
R1=$?
on h3 udp_client 10.200.2.2 9001 hello-from-h3 >"$LAB_TMP/c3.out" 2>&1
R3=$?
claim_eq "udp_client on h1 and on h3 both get their answer" "0 0" "$R1 $R3"
claim_match "the answer comes from the server's address and port (recvfrom() says who sent it)" \
	'recvfrom\(\) returned 19 bytes from 10\.200\.2\.2:9001: "echo: hello-from-h3"' "$(cat "$LAB_TMP/c3.out")"
claim_match "udp_server's recvfrom() names each client: 10.200.1.2 (h1), then 10.200.2.3 (h3)" \
	'from 10\.200\.1\.2:[0-9]+: "hello-from-h1".*from 10\.200\.2\.3:[0-9]+: "hello-from-h3"' \
	"$(tr '\n' ' ' <"$LAB_TMP/server.out")"
claim_eq "after both clients h2 still has exactly one UDP socket of udp_server: no accept(), no new fd" \
	1 "$(on h2 connstat -uanp | grep -c "/udp_server")"
kill "$SPID" 2>/dev/null

NOPORTS0=$(nstat_val h2 UdpNoPorts)
on h1 udp_client -w 1 10.200.2.2 9002 anybody-there >"$LAB_TMP/c-none.out" 2>&1
RN=$?
claim_match "to a port nobody listens on, sendto() still returns 13: it only means the datagram left" \
	'sendto\(\) returned 13' "$(cat "$LAB_TMP/c-none.out")"
claim_match "and no answer ever comes: recvfrom() gives up after the timeout (exit 1)" \
	"1 no answer within 1 s" "$RN $(grep -o 'no answer within 1 s' "$LAB_TMP/c-none.out")"
claim_eq "h2's kernel counted the datagram nobody took: Udp NoPorts (nstat) grew by 1" \
	1 "$(($(nstat_val h2 UdpNoPorts) - ${NOPORTS0:-0}))"

# --- 2. drops when the receive buffer overflows -----------------------------------------------------
RB0=$(nstat_val h2 UdpRcvbufErrors)
on h2 sockbuf udp --sizes 4Ki,1Mi --count 1000 --json >"$LAB_TMP/sockbuf.json" 2>"$LAB_TMP/sockbuf.err"
RB1=$(nstat_val h2 UdpRcvbufErrors)
sb() { jq -r "$1" "$LAB_TMP/sockbuf.json" 2>/dev/null; }
D4=$(sb '.steps[0].drops')
D1M=$(sb '.steps[1].drops')
claim "sockbuf udp, 4 KiB receive buffer: more than half of 1000 datagrams are dropped (${D4:-?})" \
	test "${D4:-0}" -gt 500
claim "a 1 MiB receive buffer holds most of the burst: fewer than half dropped (${D1M:-?})" test "${D1M:-1000}" -lt 500
claim_eq "every drop is counted in Udp RcvbufErrors: sockbuf's drops equal its RcvbufErrors+ column" \
	"true" "$(sb '[.steps[] | .drops == .rcvbuf_errors] | all')"
claim_eq "nstat on h2: UdpRcvbufErrors grew by the drops of both steps" \
	"$((${D4:-0} + ${D1M:-0}))" "$((${RB1:-0} - ${RB0:-0}))"

# --- 3. broadcast and multicast on the bridge ----------------------------------------------------------
for h in h1 h2 h3; do
	bg "$h" cast_recv 9000 239.1.2.3 >"$LAB_TMP/cast-$h.out" 2>&1
done
bg h4 cast_recv 9000 >"$LAB_TMP/cast-h4.out" 2>&1
H4PID=$BG_PID
for h in h1 h2 h3 h4; do
	wait_for 5 bound "$h" 9000
done
claim_match "ip maddr on h3: eth0 accepts the group 239.1.2.3 and its Ethernet address 01:00:5e:01:02:03" \
	'link +01:00:5e:01:02:03.*inet +239\.1\.2\.3' "$(on h3 ip maddr show dev eth0 | tr '\n' ' ')"
claim "ip maddr on h4, which did not join: no 239.1.2.3" on h4 sh -c '! ip maddr show dev eth0 | grep -q 239.1.2.3'
on r cast_send 10.200.2.255 9000 no-permission >"$LAB_TMP/send-nob.out" 2>&1
claim_match "without SO_BROADCAST, sendto() to 10.200.2.255 fails: Permission denied (EACCES)" \
	'sendto 10\.200\.2\.255: Permission denied' "$(cat "$LAB_TMP/send-nob.out")"
on r cast_send -b 10.200.2.255 9000 hello-broadcast >/dev/null 2>&1
on r cast_send -i 10.200.2.1 239.1.2.3 9000 hello-group >/dev/null 2>&1
got() { grep -q "\"$2\"" "$LAB_TMP/cast-$1.out"; }
all_got() { got h2 hello-group && got h3 hello-group && got h4 hello-broadcast; }
wait_for 3 all_got
sleep 0.3
who() {
	local h out=
	for h in h1 h2 h3 h4; do got "$h" "$1" && out="$out $h"; done
	echo "${out# }"
}
claim_eq "with SO_BROADCAST one sendto() from r reaches every host on the bridge: h2 h3 h4" \
	"h2 h3 h4" "$(who hello-broadcast)"
claim_eq "one sendto() to 239.1.2.3 reaches the hosts that joined the group: h2 h3 (h4 did not join)" \
	"h2 h3" "$(who hello-group)"
claim_match "the receivers see r's address as the sender: 10.200.2.1" \
	'from 10\.200\.2\.1: "hello-broadcast"' "$(cat "$LAB_TMP/cast-h3.out")"
h1_got_none() { ! got h1 hello-broadcast && ! got h1 hello-group; }
claim "h1 gets neither, although it joined the group: r does not forward broadcasts or multicasts" h1_got_none

# h4 joins too: the next datagram to the group reaches all three hosts of the bridge
kill "$H4PID" 2>/dev/null
wait "$H4PID" 2>/dev/null
bg h4 cast_recv 9000 239.1.2.3 >"$LAB_TMP/cast-h4.out" 2>&1
wait_for 5 grep -q 'joined group' "$LAB_TMP/cast-h4.out"
on r cast_send -i 10.200.2.1 239.1.2.3 9000 hello-again >/dev/null 2>&1
all_again() { got h2 hello-again && got h3 hello-again && got h4 hello-again; }
wait_for 3 all_again
sleep 0.3
claim_eq "once h4 has joined as well, one sendto() to the group reaches h2 h3 h4" "h2 h3 h4" "$(who hello-again)"
