#!/bin/bash
# labs/lab.sh itself: the topology carries what the sheets say, two LAB_PREFIXes coexist, up and
# down refuse inside a lab namespace, `down` leaves no namespace, process (also a stopped job of a
# `lab.sh sh` shell, or one whose namespace lost its name) or link behind, and `impair` delays,
# drops, reproduces with --seed, keeps TTL exceeded on r and drops exactly the last ACK of a close.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
export BIN=$ND_BIN LABBIN=${ND_BIN%/bin}/labs
A=$ND_TAG-la Bp=$ND_TAG-lb
LOG=$(mktemp)
LAB="labs/lab.sh"
trap 'LAB_PREFIX=$A $LAB down >/dev/null 2>&1; LAB_PREFIX=$Bp $LAB down >/dev/null 2>&1; rm -f "$LOG"; nd_cleanup' EXIT

# a CMD / b CMD — run CMD for lab A / lab B; aq / bq the same with its output kept out of the way
# of the PASS/FAIL lines (in $LOG)
a() { LAB_PREFIX=$A "$@"; }
b() { LAB_PREFIX=$Bp "$@"; }
aq() { LAB_PREFIX=$A "$@" >>"$LOG" 2>&1; }
bq() { LAB_PREFIX=$Bp "$@" >>"$LOG" 2>&1; }
links_before=$(ip -o link show | wc -l)

check "lab up builds the topology" aq $LAB up
check "a second LAB_PREFIX comes up beside the first" bq $LAB up
for ns in h1 r h2 h3 h4; do
	check "namespace $A-$ns exists" test -e "/run/netns/$A-$ns"
done
check_eq "up adds no link to the host: every link lives in the lab's namespaces" "$links_before" \
	"$(ip -o link show | wc -l)"
check_eq "r has no default route: the lab's packets have no way out" "" \
	"$(ip -n "$A-r" route show default; ip -n "$A-r" -6 route show default)"
check "lab status lists the five namespaces" sh -c "LAB_PREFIX=$A $LAB status | grep -c ': up,' | grep -qx 5"
check "h1 reaches h2, h3, h4 through r (IPv4)" aq $LAB sh h1 sh -c \
	'for i in 2 3 4; do ping -c1 -W2 -q 10.200.2.$i >/dev/null || exit 1; done'
check "h1 reaches h2, h3, h4 through r (IPv6)" aq $LAB sh h1 sh -c \
	'for i in 2 3 4; do ping -c1 -W2 -q fd00:200:2::$i >/dev/null || exit 1; done'
check "h2 reaches h3 over the bridge" aq $LAB sh h2 ping -c1 -W2 -q 10.200.2.3
out=$(a $LAB sh h1 ping -c1 -W2 -t1 10.200.2.2)
check "TTL 1 from h1: Time to live exceeded from r (10.200.1.1)" grep -q 'From 10.200.1.1 .*Time to live exceeded' <<<"$out"
out=$(a $LAB sh h1 ping -c1 -W1 10.200.3.1)
check "10.200.3.1 is a black hole: no reply" grep -q ' 0 received' <<<"$out"
check_eq "10.200.3.1 is a black hole: no ICMP error either" "" "$(grep '^From' <<<"$out")"
check_eq "lab sh puts the tools on PATH" "$ND_BIN/ifinfo" "$(a $LAB sh h1 sh -c 'command -v ifinfo')"
check "the second lab is its own: b's h1 reaches b's h3" bq $LAB sh h1 ping -c1 -W2 -q 10.200.2.3
check_eq "the same addresses in two labs do not meet: a's h1 sees only its own r's MAC" \
	"$(ip netns exec "$A-r" cat /sys/class/net/eth1/address)" \
	"$(a $LAB sh h1 sh -c 'ping -c1 -q 10.200.1.1 >/dev/null; ip neigh show 10.200.1.1' | awk '{print $5}')"

# the prompt of an interactive `lab.sh sh`
out=$(printf 'echo "PS1=$PS1"\nexit\n' | a script -qfc "$LAB sh h1" /dev/null 2>&1)
check "lab sh h1 shows the prompt [$A:h1]" grep -qF "[$A:h1]" <<<"$out"
check_status "lab.sh up refuses inside a lab namespace (lab.sh sh)" 2 a $LAB sh h1 labs/lab.sh up
check_status "lab.sh down refuses inside a lab namespace (lab.sh sh)" 2 a $LAB sh h2 labs/lab.sh down
check_status "lab.sh down refuses inside a lab namespace (ip netns exec, other prefix)" 2 \
	ip netns exec "$A-h1" env LAB_PREFIX=other labs/lab.sh down
check "after the refusals the lab still works" aq $LAB sh h1 ping -c1 -W2 -q 10.200.2.4
check_status "lab.sh up twice says it is up already" 2 a $LAB up
check_status "an unknown host is refused (exit 2)" 2 a $LAB sh h9 true
check_status "a LAB_PREFIX with a slash is refused (exit 2)" 2 env LAB_PREFIX=a/b $LAB up
check_status "impair --loss 101 is refused (exit 2)" 2 a $LAB impair --loss 101
check_status "impair --delay abc is refused (exit 2)" 2 a $LAB impair --delay abc
check_status "check 99 is refused (exit 2)" 2 $LAB check 99
check_status "check --student with all is refused (exit 2)" 2 $LAB check all --student /dev/null

# impairment
check "impair --delay 100 starts" aq $LAB impair --delay 100
rtt=$(a $LAB sh h1 ping -c2 -i0.3 -W3 10.200.2.2 | sed -n 's|^rtt [^=]*= \([0-9.]*\)/.*|\1|p')
check "with --delay 100 a round trip takes at least 200 ms (min rtt $rtt ms)" \
	awk -v r="${rtt:-0}" 'BEGIN { exit !(r >= 200) }'
out=$(a $LAB sh h1 ping -c1 -W3 -t1 10.200.2.2)
check "impaired: TTL exceeded still comes from r" grep -q 'From 10.200.1.1 .*Time to live exceeded' <<<"$out"
out=$(a $LAB sh h1 ping -c1 -W3 -t2 10.200.2.2)
check "impaired: TTL 2 still reaches h2 (the extra hop is undone)" grep -q 'bytes from 10.200.2.2' <<<"$out"
out=$(a $LAB sh h1 ping -6 -c1 -W3 -t1 fd00:200:2::2)
check "impaired: hop limit exceeded comes from r (IPv6)" grep -q 'From fd00:200:1::1' <<<"$out"
check "impair --loss 100 starts" aq $LAB impair --loss 100
check_status "with --loss 100 nothing passes" 1 a $LAB sh h1 ping -c2 -i0.2 -W1 -q 10.200.2.2
check "impair with no options clears" aq $LAB impair
check "after clearing, the link is perfect again" aq $LAB sh h1 ping -c1 -W2 -q 10.200.2.2
check_eq "after clearing, no policy rule is left on r" "" "$(ip -n "$A-r" rule | grep 'lookup 200')"

# The netem branch, which this kernel (no sch_netem) cannot run: a recording `tc` first on PATH
# says yes to everything, so impair takes the netem path and the test reads the qdiscs it asks for.
TCDIR=$(mktemp -d) && nd_rm_at_exit "$TCDIR"
printf '#!/bin/sh\necho "$*" >>%s/calls\n' "$TCDIR" >"$TCDIR/tc" && chmod +x "$TCDIR/tc"
PATH=$TCDIR:$PATH aq $LAB impair --delay 20 --loss 5 --reorder 25 --dup 1
check_eq "netem: impair asks tc for netem on eth1 and br0 with every option" \
	"qdisc add dev eth1 root netem delay 20ms loss 5% reorder 25% duplicate 1%
qdisc add dev br0 root netem delay 20ms loss 5% reorder 25% duplicate 1%" \
	"$(sed -n 's/^-n [^ ]* \(qdisc add dev [eb].*\)/\1/p' "$TCDIR/calls")"
check "netem: status says the link is impaired by netem" grep -q '(by netem)' "/run/netdiag-labs/$A/impair"
: >"$TCDIR/calls"
PATH=$TCDIR:$PATH aq $LAB impair --loss 5 --seed 3
check "netem kernel, --seed: the forwarder runs instead (a seeded run repeats only there)" \
	grep -q '(by forwarder)' "/run/netdiag-labs/$A/impair"
check_status "LAB_IMPAIR=netem with --seed is refused (exit 2)" 2 env PATH="$TCDIR:$PATH" LAB_IMPAIR=netem \
	LAB_PREFIX="$A" BIN="$BIN" LABBIN="$LABBIN" labs/lab.sh impair --loss 5 --seed 3
aq $LAB impair

# a forwarder left behind (an interrupted impair) holds imp0; the next impair replaces it
ip netns exec "$A-r" setsid "$LABBIN/router/labimpair" --dev imp0 --loss 100 </dev/null >/dev/null 2>&1 &
disown
nd_wait_for 50 sh -c "ip netns pids $A-r | grep -q ."
check "impair replaces a forwarder left behind in r" aq $LAB impair --delay 1
fwds() { for p in $(ip netns pids "$A-r"); do cat "/proc/$p/comm"; done | grep -c '^labimpair$'; }
check_eq "... and exactly one forwarder runs in r" 1 "$(fwds)"
check "... and the link works through it" aq $LAB sh h1 ping -c1 -W2 -q 10.200.2.2
aq $LAB impair

# the same seed, the same losses: which echo requests got their reply
lost_set() {
	a $LAB impair --loss 40 --seed 7 >/dev/null
	a $LAB sh h1 ping -c 30 -i 0.02 -W 1 10.200.2.2 | sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' | tr '\n' ' '
}
s1=$(lost_set)
s2=$(lost_set)
check_eq "--seed 7 twice: the same replies come back" "$s1" "$s2"
check "--loss 40 lost some and kept some ($(wc -w <<<"$s1") of 30 came back)" \
	test "$(wc -w <<<"$s1")" -gt 0 -a "$(wc -w <<<"$s1")" -lt 30

# --drop-last-ack: h1 closes first; h2's FIN is seen twice on h2, h1's ACK of it once dropped
a $LAB impair --drop-last-ack >/dev/null
cap=$(mktemp)
nd_bg "$A-h2" tcpdump -i eth0 -nn -U -l 'tcp port 7001 and tcp[tcpflags] & tcp-fin != 0' >"$cap" 2>&1
nd_wait_for 50 grep -q 'listening on' "$cap"
nd_bg "$A-h2" socat -u TCP-LISTEN:7001,reuseaddr OPEN:/dev/null
nd_wait_for 50 sh -c "ip netns exec $A-h2 ss -ltn | grep -q :7001"
echo hi | a $LAB sh h1 socat -u - TCP:10.200.2.2:7001
nd_wait_for 50 sh -c "[ \$(grep -c '10.200.2.2.7001 > .*Flags \[F' '$cap') -ge 2 ]"
check "drop-last-ack: h2 (LAST-ACK) sends its FIN twice" \
	test "$(grep -c '10.200.2.2.7001 > .*Flags \[F' "$cap")" -ge 2
check "drop-last-ack: the forwarder names the dropped ACK" \
	grep -q 'drop-last-ack: 10.200.1.2:[0-9]* -> 10.200.2.2:7001' "/run/netdiag-labs/$A/impair.log"
check "h1 is in TIME-WAIT after answering the retransmitted FIN" \
	sh -c "ip netns exec $A-h1 ss -tan state time-wait | grep -q 10.200.2.2:7001"
rm -f "$cap"

# down: a shell of `lab.sh sh` with a stopped job, a stopped process, one whose namespace has
# lost its name, and the forwarder, all end; nothing is left
inodes=$(for h in h1 r h2 h3 h4; do stat -L -c %i "/run/netns/$A-$h"; done)
fifo=$(mktemp -u) && mkfifo "$fifo"
exec 7<>"$fifo"
LAB_PREFIX=$A setsid script -qfc "$LAB sh h2" /dev/null <"$fifo" >/dev/null 2>&1 &
disown
printf 'sleep 1002 &\nkill -STOP %%1\n' >&7
LAB_PREFIX=$A setsid $LAB sh h1 sleep 1001 </dev/null >/dev/null 2>&1 &
stopped=$!
disown
LAB_PREFIX=$A setsid $LAB sh h3 sleep 1003 </dev/null >/dev/null 2>&1 &
disown
in_lab() {
	stat -L -c '%i %n' /proc/[0-9]*/ns/net 2>/dev/null | awk -v l=" $(echo $inodes) " \
		'index(l, " " $1 " ") { split($2, p, "/"); print p[3] }'
}
# lab_has REGEX: a process in the lab whose "STAT ARGS" matches
lab_has() {
	local p
	for p in $(in_lab); do
		ps -o stat=,args= -p "$p"
	done | grep -Eq "$1"
}
nd_wait_for 50 lab_has '^T.* sleep 1002'
kill -STOP "$stopped" 2>/dev/null
nd_wait_for 50 lab_has '^T.* sleep 1001'
nd_wait_for 50 lab_has 'sleep 1003'
check "a stopped job of a lab.sh sh shell runs in the lab" lab_has '^T.* sleep 1002'
check "the interactive shell of lab.sh sh runs in the lab" lab_has 'bash --rcfile'

ip netns del "$A-h3" # the name goes, the process and its namespace stay
check "before down: processes run in the lab ($(in_lab | wc -l))" test "$(in_lab | wc -l)" -ge 5
check "lab down succeeds" aq $LAB down
exec 7>&-
rm -f "$fifo"
check_eq "lab down leaves no process in the lab's namespaces" "" "$(in_lab)"
check_eq "lab down removes every namespace of the lab" "" "$(ip netns list | grep "^$A-")"
check_eq "lab down removes its state" "" "$(ls -d "/run/netdiag-labs/$A" 2>/dev/null)"
check_eq "the other lab is still up" "5" "$(ip netns list | grep -c "^$Bp-")"
check "the other lab still works" bq $LAB sh h1 ping -c1 -W2 -q 10.200.2.2
check "the other lab goes down too" bq $LAB down
check_eq "no link is left on the host" "$links_before" "$(ip -o link show | wc -l)"
