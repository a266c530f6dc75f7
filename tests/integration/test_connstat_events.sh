#!/bin/bash
# connstat -E: the TCP state changes of connections made step by step in a namespace, for both
# ends (client closes, server closes, reset, a connect into a black hole), owners, the namespace
# filter, ss filters, the sampling fallback as a user who cannot load BPF, and 10,000 connections
# counted against the kernel's own counters (nstat).
. "$(dirname "$0")/lib.sh"

CS=$ND_BIN/connstat
nd_need_bin "$CS"
nd_tmpdir tmp
chmod 755 "$tmp" # the sampling run's processes are nobody's
# the system's python (a per-user shim in root's home is not nobody's to run)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# steps.py MODE PORT: one connection on 127.0.0.1:PORT, both ends in this process, closed as MODE
# says; prints "pid cport" first.  slow: every step held for 0.6 s (for the sampling fallback).
cat >"$tmp/steps.py" <<'EOF'
import os, socket, struct, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
pause = 0.6 if mode.startswith("slow") else 0.05
fam, host = (socket.AF_INET6, "::1") if mode.endswith("6") else (socket.AF_INET, "127.0.0.1")
mode = mode.rstrip("6")
l = socket.socket(fam)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((host, port))
l.listen()
c = socket.create_connection((host, port))
print(os.getpid(), c.getsockname()[1], flush=True)
time.sleep(pause)
s, _ = l.accept()
if os.environ.get("GO"):  # an old connection: closed once the file GO names exists
    while not os.path.exists(os.environ["GO"]):
        time.sleep(0.05)
c.sendall(b"hello")
s.recv(5)
time.sleep(pause)
if mode in ("client", "slow-client"):
    c.close(); time.sleep(pause); s.recv(1); s.close()
elif mode in ("server", "slow-server"):
    s.close(); time.sleep(pause); c.recv(1); c.close()
elif mode == "reset":
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close(); time.sleep(pause); s.close()
time.sleep(pause)
l.close()
EOF
# loop.py N PORT: N connections, the client closing first; one listener
cat >"$tmp/loop.py" <<'EOF'
import socket, sys
n, port = int(sys.argv[1]), int(sys.argv[2])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", port))
l.listen(128)
for i in range(n):
    c = socket.create_connection(("127.0.0.1", port))
    s, _ = l.accept()
    c.close()
    s.recv(1)
    s.close()
l.close()
EOF
# blackhole.py ADDR PORT: a connect nobody answers (the SYNs go to a dummy device), until it fails
cat >"$tmp/blackhole.py" <<'EOF'
import os, socket, sys
print(os.getpid(), flush=True)
c = socket.socket()
try:
    c.connect((sys.argv[1], int(sys.argv[2])))
except OSError as e:
    print("failed", e.errno, flush=True)
EOF

# ready NS FILE PORT: make listeners on PORT in NS until connstat -E (writing FILE) shows one
ready() {
	local i
	for i in $(seq 100); do
		nd_in "$1" "$PY" -c "import socket; l=socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', $3)); l.listen()"
		grep -q "\"port\":$3}" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# bpf_up PID...: wait until each connstat has attached its tracepoint program (a link in its fds;
# an iterator link during its start does not count)
bpf_up() {
	local p
	for p in "$@"; do
		nd_wait_for 100 sh -c "grep -Eqs '^link_type:[[:space:]]+(raw_tracepoint|tracing)' /proc/$p/fdinfo/*" || return 1
	done
}

# seq_of FILE COOKIE: "OLD>NEW" per event of the socket, in order
seq_of() {
	jq -r --argjson c "$2" 'select(.cookie == $c) | "\(.old_state // "?")>\(.new_state)"' "$1" | paste -sd' '
}
# cookie_of FILE LPORT PPORT: the cookie of the socket with those ports
cookie_of() {
	jq -r --argjson l "$2" --argjson p "$3" \
		'select(.local.port == $l and .peer.port == $p) | .cookie' "$1" | head -1
}
# owners_of FILE COOKIE: the distinct owner pids of its events ("null" when none)
owners_of() {
	jq -r --argjson c "$2" 'select(.cookie == $c) | .process.pid // "null"' "$1" | sort -u | paste -sd' '
}

if ! "$CS" --version | grep -q "^BPF build"; then
	skip "connstat -E through BPF: $("$CS" --version | tail -1)"
	bpf=
elif [ "$(id -u)" != 0 ]; then
	skip "connstat -E through BPF: not root"
	bpf=
else
	bpf=1
fi

# ---- bad input ----
check_status "-E with -u is a usage error" 2 "$CS" -E -u
check_status "-E with unix: filter is a usage error" 2 "$CS" -E unix:/tmp/x
check_status "--count 0 is a usage error" 2 "$CS" -E --count 0
check_status "--duration x is a usage error" 2 "$CS" -E --duration x
check_status "--interval 0 is a usage error" 2 "$CS" -E --interval 0
check_status "a bad filter word is a usage error" 2 "$CS" -E sport = :nonsense-port-name
check_status "a uid term is a usage error with -E" 2 "$CS" -E uid 0

if [ -n "$bpf" ]; then
	ns=$(nd_ns ev)
	ns2=$(nd_ns ev2)
	# a black hole: SYNs to 10.203.0.2 leave through a veth to a MAC nobody has, never answered
	nd_veth "$ns" bh0 "$ns" bh1 && ip -n "$ns" addr add 10.203.0.1/24 dev bh0 &&
		ip -n "$ns" neigh add 10.203.0.2 lladdr 02:00:00:00:02:03 dev bh0 nud permanent
	nd_in "$ns" sysctl -qw net.ipv4.tcp_syn_retries=1
	# a connection older than every connstat below, closed by its client later
	GO=$tmp/go nd_bg "$ns" "$PY" "$tmp/steps.py" client 7110 >"$tmp/old.out"
	nd_wait_for 50 test -s "$tmp/old.out" || fail "the old connection did not start"
	ev=$tmp/ev.json
	pids=()
	for run in "ev.json:" "f_sport.json:sport = :7101" \
		"f_state.json:state time-wait state close-wait" \
		"f_dst.json:dst 127.0.0.1 and dport = :7102" "f_comm.json:comm 'py*' and sport = :7102"; do
		nd_bg "$ns" sh -c "exec '$CS' -E --json ${run#*:} >'$tmp/${run%%:*}' 2>>'$tmp/ev.err'"
		pids+=("$ND_LAST_PID")
	done
	nd_bg "$ns" sh -c "exec '$CS' -n -E >'$tmp/text.txt'"
	pids+=("$ND_LAST_PID")
	nd_bg "$ns2" sh -c "exec '$CS' -E --json >'$tmp/ev2.json'"
	pids+=("$ND_LAST_PID")
	nd_bg "$ns" sh -c "exec '$CS' -E --json --all-netns >'$tmp/all.json'"
	pids+=("$ND_LAST_PID")
	bpf_up "${pids[@]}" || fail "connstat -E has not attached its BPF program within 10 s"

	touch "$tmp/go"
	# the scenarios run side by side; each prints "pid client-port" first
	run_steps() { nd_in "$1" "$PY" "$tmp/steps.py" "$2" "$3" >"$tmp/$1-$2.out"; }
	run_steps "$ns" client 7101 & w1=$!
	run_steps "$ns" server 7102 & w2=$!
	run_steps "$ns" reset 7103 & w3=$!
	run_steps "$ns" client6 7106 & w6=$!
	run_steps "$ns2" client 7104 & w4=$!
	nd_in "$ns" "$PY" "$tmp/blackhole.py" 10.203.0.2 7105 >"$tmp/bh.out" & w5=$!
	wait $w1 $w2 $w3 $w4 $w5 $w6
	read -r pc cc <"$tmp/$ns-client.out"
	read -r ps cs <"$tmp/$ns-server.out"
	read -r pr cr <"$tmp/$ns-reset.out"
	read -r p6 c6 <"$tmp/$ns-client6.out"
	read -r po co <"$tmp/$ns2-client.out"
	pb=$(head -1 "$tmp/bh.out")
	# the timewait sockets end when killed; connstat sees them go at its next timewait dump
	nd_in "$ns" ss -K -t state time-wait >/dev/null 2>&1
	# (once a second, up to every 5 s on a busy machine)
	nd_wait_for 100 sh -c "jq -e 'select(.old_state == \"TIME-WAIT\")' '$ev' | grep -q ." ||
		fail "no TIME-WAIT -> CLOSE event within 10 s of ss -K"
	sleep 0.5

	c_cli=$(cookie_of "$ev" "$cc" 7101) c_srv=$(cookie_of "$ev" 7101 "$cc")
	check_eq "client closes: the client's changes" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT TIME-WAIT>CLOSE" \
		"$(seq_of "$ev" "${c_cli:-0}")"
	check_eq "client closes: the server's changes" \
		"LISTEN>SYN-RECV SYN-RECV>ESTABLISHED ESTABLISHED>CLOSE-WAIT CLOSE-WAIT>LAST-ACK LAST-ACK>CLOSE" \
		"$(seq_of "$ev" "${c_srv:-0}")"
	check_eq "client closes: owner pid of the client's and the server's events" "$pc $pc" \
		"$(owners_of "$ev" "${c_cli:-0}") $(owners_of "$ev" "${c_srv:-0}")"

	c_cli=$(cookie_of "$ev" "$cs" 7102) c_srv=$(cookie_of "$ev" 7102 "$cs")
	check_eq "server closes: the client's changes" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>CLOSE-WAIT CLOSE-WAIT>LAST-ACK LAST-ACK>CLOSE" \
		"$(seq_of "$ev" "${c_cli:-0}")"
	check_eq "server closes: the server's changes" \
		"LISTEN>SYN-RECV SYN-RECV>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT TIME-WAIT>CLOSE" \
		"$(seq_of "$ev" "${c_srv:-0}")"
	check_eq "server closes: owner pid of both ends" "$ps $ps" \
		"$(owners_of "$ev" "${c_cli:-0}") $(owners_of "$ev" "${c_srv:-0}")"
	check_eq "server closes: the server's events say not_accepted until accept()" \
		"true true null null null null" \
		"$(jq -r --argjson c "${c_srv:-0}" 'select(.cookie == $c) | .process.not_accepted' "$ev" | paste -sd' ')"

	read -r pold cold <"$tmp/old.out"
	c_cli=$(cookie_of "$ev" "$cold" 7110) c_srv=$(cookie_of "$ev" 7110 "$cold")
	check_eq "an older connection: the client's changes from its close on" \
		"ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT TIME-WAIT>CLOSE" \
		"$(seq_of "$ev" "${c_cli:-0}")"
	check_eq "an older connection: both ends' owner (named at the start, by cookie)" "$pold $pold" \
		"$(owners_of "$ev" "${c_cli:-0}") $(owners_of "$ev" "${c_srv:-0}")"
	check_eq "an older connection: no time in ESTABLISHED (it began before connstat)" "null" \
		"$(jq -r --argjson c "${c_cli:-0}" 'select(.cookie == $c and .old_state == "ESTABLISHED") | .ms_in_old_state' "$ev")"
	c_cli=$(cookie_of "$ev" "$cr" 7103) c_srv=$(cookie_of "$ev" 7103 "$cr")
	check_eq "reset: the client's changes" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>CLOSE" "$(seq_of "$ev" "${c_cli:-0}")"
	check_eq "reset: the server's changes" \
		"LISTEN>SYN-RECV SYN-RECV>ESTABLISHED ESTABLISHED>CLOSE" "$(seq_of "$ev" "${c_srv:-0}")"

	c_cli=$(cookie_of "$ev" "$c6" 7106) c_srv=$(cookie_of "$ev" 7106 "$c6")
	check_eq "IPv6, client closes: the client's changes" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT TIME-WAIT>CLOSE" \
		"$(seq_of "$ev" "${c_cli:-0}")"
	check_eq "IPv6, client closes: the server's changes" \
		"LISTEN>SYN-RECV SYN-RECV>ESTABLISHED ESTABLISHED>CLOSE-WAIT CLOSE-WAIT>LAST-ACK LAST-ACK>CLOSE" \
		"$(seq_of "$ev" "${c_srv:-0}")"
	check_eq "IPv6: family and addresses of the server's events, owner pid" "inet6 ::1 ::1 $p6" \
		"$(jq -r --argjson c "${c_srv:-0}" 'select(.cookie == $c) | "\(.family) \(.local.address) \(.peer.address) \(.process.pid)"' "$ev" | sort -u)"
	check "black hole: the connect failed (ETIMEDOUT)" grep -q "^failed 110" "$tmp/bh.out"
	c_bh=$(jq -r 'select(.peer.address == "10.203.0.2") | .cookie' "$ev" | head -1)
	check_eq "black hole: SYN-SENT -> CLOSE after the retries" "CLOSE>SYN-SENT SYN-SENT>CLOSE" \
		"$(seq_of "$ev" "${c_bh:-0}")"
	check_eq "black hole: the owner is the connecting process" "$pb" "$(owners_of "$ev" "${c_bh:-0}")"
	ms=$(jq -r --argjson c "${c_bh:-0}" 'select(.cookie == $c and .new_state == "CLOSE") | .ms_in_old_state' "$ev")
	check "black hole: time in SYN-SENT is over 2.5 s with tcp_syn_retries=1 ($ms ms)" \
		awk -v m="${ms:-0}" 'BEGIN { exit !(m > 2500) }'
	jq_ok() { jq "$@" >/dev/null; }
	check "every event carries time, cookie, family, local, peer, old_state, new_state, ms_in_old_state, process" \
		jq_ok -e -s 'length > 0 and all(.[]; has("time") and has("cookie") and has("family") and
			has("local") and has("peer") and has("old_state") and has("new_state") and
			has("ms_in_old_state") and has("process"))' "$ev"

	check_eq "another namespace's connection does not show" "" \
		"$(jq -c 'select(.local.port == 7104 or .peer.port == 7104)' "$ev")"
	c_o=$(cookie_of "$tmp/ev2.json" "$co" 7104)
	check_eq "the other namespace's own connstat sees it (client)" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>TIME-WAIT" \
		"$(seq_of "$tmp/ev2.json" "${c_o:-0}")"
	check_eq "the other namespace's connstat sees none of the first namespace's" "" \
		"$(jq -c 'select(.local.port == 7101 or .peer.port == 7101)' "$tmp/ev2.json")"
	ns1=$(nd_in "$ns" stat -L -c %i /proc/self/ns/net) ns2i=$(nd_in "$ns2" stat -L -c %i /proc/self/ns/net)
	# (sock_diag answers for connstat's own namespace only: no TIME-WAIT lookup for the other one)
	check_eq "--all-netns: the other namespace's client, with its namespace" \
		"CLOSE>SYN-SENT SYN-SENT>ESTABLISHED ESTABLISHED>FIN-WAIT-1 FIN-WAIT-1>FIN-WAIT-2 FIN-WAIT-2>CLOSE $ns2i" \
		"$(seq_of "$tmp/all.json" "${c_o:-0}") $(jq -r --argjson c "${c_o:-0}" 'select(.cookie == $c) | .netns' "$tmp/all.json" | sort -u)"
	check_eq "--all-netns: this namespace's client too, with its namespace" "$ns1" \
		"$(jq -r --argjson c "$(cookie_of "$ev" "$cc" 7101)" 'select(.cookie == $c) | .netns' "$tmp/all.json" | sort -u)"

	# filters: each filtered run printed what the unfiltered run shows for the same condition
	key='"\(.cookie) \(.old_state)>\(.new_state)"'
	check_eq "filter sport = :7101 selects what it selects in the listing" \
		"$(jq -r "select(.local.port == 7101) | $key" "$ev" | sort)" \
		"$(jq -r "$key" "$tmp/f_sport.json" | sort)"
	check_eq "filter state time-wait state close-wait selects by the new state" \
		"$(jq -r "select(.new_state == \"TIME-WAIT\" or .new_state == \"CLOSE-WAIT\") | $key" "$ev" | sort)" \
		"$(jq -r "$key" "$tmp/f_state.json" | sort)"
	check_eq "filter dst 127.0.0.1 and dport = :7102" \
		"$(jq -r "select(.peer.address == \"127.0.0.1\" and .peer.port == 7102) | $key" "$ev" | sort)" \
		"$(jq -r "$key" "$tmp/f_dst.json" | sort)"
	check_eq "filter comm 'py*' and sport = :7102 (the owner's name)" \
		"$(jq -r "select((.process.comm // \"\" | startswith(\"py\")) and .local.port == 7102) | $key" "$ev" | sort)" \
		"$(jq -r "$key" "$tmp/f_comm.json" | sort)"
	check "the filtered runs are not empty" test -s "$tmp/f_dst.json"
	check "the comm-filtered run is not empty" test -s "$tmp/f_comm.json"
	check "text output: the client's FIN-WAIT-2 -> TIME-WAIT line with pid/program" \
		grep -Eq "^[0-9:.]+ +$pc/python3 +127\.0\.0\.1:$cc +127\.0\.0\.1:7101 +FIN-WAIT-2 -> TIME-WAIT " "$tmp/text.txt"
	check_eq "no events lost" "" "$(jq -c 'select(has("lost"))' "$ev")"
	check_eq "nothing on stderr" "" "$(cat "$tmp/ev.err")"

	# --count and --duration end the stream by themselves
	nd_bg "$ns" sh -c "exec '$CS' -E --json --count 3 >'$tmp/count.json'"
	pid_count=$ND_LAST_PID
	bpf_up "$pid_count"
	nd_in "$ns" "$PY" "$tmp/steps.py" client 7109 >/dev/null
	nd_wait_for 50 sh -c "! kill -0 $pid_count 2>/dev/null"
	check_eq "--count 3 prints 3 events and exits" 3 "$(jq -s length "$tmp/count.json")"
	check_status "--duration 0.3 exits 0 by itself" 0 nd_in "$ns" "$CS" -E --duration 0.3

	# 10,000 connections: every change counted, or the lost count says the difference
	N=10000
	nd_in "$ns" ss -K -t state time-wait >/dev/null 2>&1
	# no reuse of TIME-WAIT ports for new connects (loopback's default): a timewait socket ended
	# that way before connstat looks its cookie up would show as FIN-WAIT-2 -> CLOSE
	nd_in "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=0
	nd_bg "$ns" sh -c "exec '$CS' -E --json >'$tmp/loop.json'"
	pid_loop=$ND_LAST_PID
	bpf_up "$pid_loop" || fail "connstat -E for the loop is not up"
	opens() { nd_in "$ns" nstat -az "$1" | awk -v k="$1" '$1 == k {print $2}'; }
	a0=$(opens TcpActiveOpens) p0=$(opens TcpPassiveOpens)
	nd_in "$ns" "$PY" "$tmp/loop.py" $N 7108
	sleep 0.5
	kill -INT "$pid_loop"
	wait "$pid_loop" 2>/dev/null
	active=$(($(opens TcpActiveOpens) - a0)) passive=$(($(opens TcpPassiveOpens) - p0))
	lost=$(jq -s 'map(.lost // 0) | add' "$tmp/loop.json")
	jq -r 'select(has("cookie") and (.local.port == 7108 or .peer.port == 7108)) |
		"\(.old_state)>\(.new_state)"' "$tmp/loop.json" | sort | uniq -c | awk '{print $2, $1}' >"$tmp/loop.count"
	cnt() { awk -v k="$1" '$1 == k {print $2}' "$tmp/loop.count"; }
	check_eq "loop: the kernel counted $N active and $N passive opens" "$N $N" "$active $passive"
	total=$(awk '{n += $2} END {print n + 0}' "$tmp/loop.count")
	# a loaded machine (or a sanitizer build) may let the ring fill, and a softirq that interrupts
	# the program on its CPU makes the kernel skip that run (a recursion miss, seen here about
	# once in a few loops under load): the lost lines count what is missing, exactly; the bench
	# asks for none lost
	check_eq "loop: events printed + lost = the $((10 * N + 2)) changes made (lost: $lost)" \
		"$((10 * N + 2))" "$((total + lost))"
	if [ "$lost" = 0 ]; then
		check_eq "loop: CLOSE -> SYN-SENT events equal the kernel's active opens" "$active" "$(cnt "CLOSE>SYN-SENT")"
		check_eq "loop: LISTEN -> SYN-RECV events equal the kernel's passive opens" "$passive" "$(cnt "LISTEN>SYN-RECV")"
		for k in SYN-SENT\>ESTABLISHED SYN-RECV\>ESTABLISHED ESTABLISHED\>FIN-WAIT-1 \
			ESTABLISHED\>CLOSE-WAIT CLOSE-WAIT\>LAST-ACK LAST-ACK\>CLOSE; do
			check_eq "loop: $N $k events" "$N" "$(cnt "$k")"
		done
		# the active closer ends in TIME-WAIT, through FIN-WAIT-2 or straight from FIN-WAIT-1
		check_eq "loop: $N entries into TIME-WAIT" "$N" \
			"$(($(cnt "FIN-WAIT-2>TIME-WAIT") + $(cnt "FIN-WAIT-1>TIME-WAIT") + 0))"
	else
		skip "loop: the per-change counts ($lost events lost on this run)"
	fi
	check_eq "loop: every event names its owner" "" \
		"$(jq -r 'select(has("cookie") and .process == null) | .cookie' "$tmp/loop.json" | head -3)"
	nd_in "$ns" ss -K -t state time-wait >/dev/null 2>&1

	# a reader that stops: the 4 MiB ring fills (about 40,000 records), and the rest is counted
	N=6000
	nd_bg "$ns" sh -c "exec '$CS' -E --json >'$tmp/stopped.json'"
	pid_stop=$ND_LAST_PID
	bpf_up "$pid_stop" || fail "connstat -E for the stopped reader is not up"
	kill -STOP "$pid_stop"
	nd_in "$ns" "$PY" "$tmp/loop.py" $N 7111
	kill -CONT "$pid_stop"
	sleep 1
	kill -INT "$pid_stop"
	wait "$pid_stop" 2>/dev/null
	lost=$(jq -s 'map(.lost // 0) | add' "$tmp/stopped.json")
	seen=$(jq -r 'select(has("cookie") and (.local.port == 7111 or .peer.port == 7111)) | .cookie' "$tmp/stopped.json" | wc -l)
	check "a stopped reader: events were lost ($lost)" test "${lost:-0}" -gt 0
	check_eq "a stopped reader: events printed + lost = the $((10 * N + 2)) changes made" \
		"$((10 * N + 2))" "$((seen + lost))"
	check "a stopped reader: the lost line is an object of its own" \
		jq_ok -e -s 'map(select(has("lost"))) | length > 0 and all(.[]; .lost > 0 and .lost_total > 0)' "$tmp/stopped.json"
	nd_in "$ns" ss -K -t state time-wait >/dev/null 2>&1
fi

# ---- the sampling fallback: a user who cannot load BPF ----
nsu=$(nd_ns evu)
if ! command -v setpriv >/dev/null; then
	skip "sampling fallback as nobody: no setpriv"
else
	asnobody() { nd_in "$nsu" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	nd_bg "$nsu" sh -c "exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		'$CS' -E --json --interval 0.05 >'$tmp/s.json' 2>'$tmp/s.err'"
	if [ -n "$bpf" ]; then
		nd_bg "$nsu" sh -c "exec '$CS' -E --json >'$tmp/sb.json'"
		bpf_up "$ND_LAST_PID" || fail "connstat -E (BPF) beside the sampler is not up"
	fi
	ready "$nsu" "$tmp/s.json" 7201 || fail "the sampler shows no listener within 10 s"
	asnobody "$PY" "$tmp/steps.py" slow-client 7202 >"$tmp/slow-client.out" & w1=$!
	asnobody "$PY" "$tmp/steps.py" slow-server 7203 >"$tmp/slow-server.out" & w2=$!
	wait $w1 $w2
	read -r psc csc <"$tmp/slow-client.out"
	read -r pss css <"$tmp/slow-server.out"
	sleep 0.3 # two samples more
	check "the sampler says once that it samples" grep -q "sampling sock_diag every 50 ms" "$tmp/s.err"
	check_eq "the sampler says it once" 1 "$(grep -c sampling "$tmp/s.err")"
	# slow changes: what the sampler shows is what BPF shows, less the changes under 0.3 s
	slow='[.[] | select(.cookie == $c)] as $a |
		[range(0; $a | length) as $i | select((($a[$i + 1].time) // 1e12) - $a[$i].time > 0.3) |
		 $a[$i].new_state] | join(" ")'
	for pair in "client $csc 7202 $psc" "server $css 7203 $pss"; do
		read -r who cport sport pid <<<"$pair"
		for end in "client $cport $sport" "server $sport $cport"; do
			read -r side lp pp <<<"$end"
			c_s=$(cookie_of "$tmp/s.json" "$lp" "$pp")
			if [ -z "$c_s" ] || [ -z "$pid" ]; then
				fail "sampling, $who closes: no events of the $side ($lp -> $pp, pid '$pid')"
				continue
			fi
			got=$(jq -s -r --argjson c "${c_s:-0}" "$slow" "$tmp/s.json")
			case "$who-$side" in
			client-client) want="ESTABLISHED FIN-WAIT-2 TIME-WAIT" ;;
			client-server) want="ESTABLISHED CLOSE-WAIT CLOSE" ;;
			server-client) want="ESTABLISHED CLOSE-WAIT CLOSE" ;;
			server-server) want="ESTABLISHED FIN-WAIT-2 TIME-WAIT" ;;
			esac
			check_eq "sampling, $who closes, the $side's slow changes" "$want" "$got"
			check_eq "sampling, $who closes, the $side's owner (from /proc)" "$pid" \
				"$(owners_of "$tmp/s.json" "${c_s:-0}" | tr ' ' '\n' | grep -v null | sort -u)"
			if [ -n "$bpf" ]; then
				c_b=$(cookie_of "$tmp/sb.json" "$lp" "$pp")
				check_eq "sampling and BPF agree on the slow changes ($who closes, $side)" \
					"$got" "$(jq -s -r --argjson c "${c_b:-0}" "$slow" "$tmp/sb.json")"
				check_eq "sampling and BPF see the same cookie ($who closes, $side)" \
					"$c_s" "$c_b"
			fi
		done
	done
fi

[ "$ND_FAILS" -eq 0 ]
