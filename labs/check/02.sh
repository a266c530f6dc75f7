#!/bin/bash
# labs/check/02.sh — lab 02, the socket pair: every claim of labs/02-socket-pair.md, in order.
. "$(dirname "$0")/lib.sh"
lab_up
T=$LAB_TMP

# rows PROGRAM-OUTPUT — the ESTABLISHED rows of connstat -tn as "local foreign", sorted
rows() { awk '$6 == "ESTABLISHED" { print $4, $5 }' | sort; }

# Step 1: the server
bg h2 sh -c "exec pair_server 5000 >$T/server.out 2>&1"
SERVER=$BG_PID
wait_for 5 grep -q 'listening on 0.0.0.0:5000' "$T/server.out"

# Step 2: three clients on h1, one on h3
for i in 1 2 3; do
	bg h1 sh -c "exec pair_client 10.200.2.2 5000 >$T/c$i.out 2>&1"
	eval "C$i=\$BG_PID"
	wait_for 5 grep -q 'connect() ok' "$T/c$i.out"
done
bg h3 sh -c "exec pair_client 10.200.2.2 5000 >$T/c4.out 2>&1"
wait_for 5 grep -q 'connect() ok' "$T/c4.out"
wait_for 5 test "$(grep -c '^accept()' "$T/server.out")" -ge 4
claim_match "step 2: pair_client prints its four numbers: 10.200.1.2:PORT -> 10.200.2.2:5000" \
	'^connect\(\) ok: 10\.200\.1\.2:[0-9]+ -> 10\.200\.2\.2:5000$' "$(cat "$T/c1.out")"
claim_eq "step 2: pair_server printed one accept() per client, four" 4 "$(grep -c '^accept()' "$T/server.out")"
claim_eq "step 2: every accepted socket has the same local end, 10.200.2.2:5000" 4 \
	"$(grep -c '^accept() -> fd [0-9]*: 10.200.2.2:5000 <- ' "$T/server.out")"
claim_eq "step 2: accept() returned a new fd each time (4 different fds)" 4 \
	"$(sed -n 's/^accept() -> fd \([0-9]*\):.*/\1/p' "$T/server.out" | sort -u | wc -l)"

# Step 3: the server's view and the clients' view
srv=$(on h2 connstat -tn | rows)
cli=$(on h1 connstat -tn | rows)
h1ports=$(for i in 1 2 3; do sed -n 's/^connect() ok: 10.200.1.2:\([0-9]*\) .*/\1/p' "$T/c$i.out"; done | sort)
claim_eq "step 3: connstat -tn on h2 shows four ESTABLISHED connections" 4 "$(grep -c . <<<"$srv")"
claim_eq "step 3: all four have the local address 10.200.2.2:5000" 4 "$(grep -c '^10.200.2.2:5000 ' <<<"$srv")"
claim_eq "step 3: three come from 10.200.1.2 and differ only in the client's port" "3 3" \
	"$(grep -c ' 10.200.1.2:' <<<"$srv") $(grep ' 10.200.1.2:' <<<"$srv" | cut -d: -f3 | sort -u | wc -l)"
claim_eq "step 3: those ports are the ones pair_client printed (getsockname)" "$h1ports" \
	"$(grep ' 10.200.1.2:' <<<"$srv" | cut -d: -f3 | sort)"
claim_match "step 3: the fourth comes from h3, 10.200.2.3" ' 10\.200\.2\.3:[0-9]+' "$srv"
claim_eq "step 3: connstat -tn on h1 shows the same three pairs, the ends swapped" \
	"$(grep ' 10.200.1.2:' <<<"$srv" | awk '{ print $2, $1 }' | sort)" "$cli"
claim_eq "step 3: ss -tn on h2 lists the same four connections" "$srv" \
	"$(on h2 ss -tnH state established | awk '{ print $3, $4 }' | sort)"

# Step 4: one connection, picked by a filter
one=$(grep ' 10.200.1.2:' <<<"$srv" | head -1 | cut -d: -f3)
claim_eq "step 4: connstat -tn dst 10.200.2.3 selects exactly h3's connection" \
	"$(grep ' 10.200.2.3:' <<<"$srv")" "$(on h2 connstat -tn dst 10.200.2.3 | rows)"
claim_eq "step 4: connstat -tn dport = :PORT (a client port of step 2) selects exactly one connection" \
	"10.200.2.2:5000 10.200.1.2:$one" "$(on h2 connstat -tn "dport = :$one" | rows)"
claim_eq "step 4: 'src 10.200.2.2:5000 and dst 10.200.1.2' selects the three from h1" 3 \
	"$(on h2 connstat -tn 'src 10.200.2.2:5000 and dst 10.200.1.2' | rows | wc -l)"

# Step 5: who owns them: lsof -i and connstat -p
lsof_out=$(on h2 lsof -i TCP:5000 -n -P)
cs_out=$(on h2 connstat -tnp 'sport = :5000')
claim_match "step 5: lsof -i shows pair_server's LISTEN socket" "pair_serv +$SERVER .*TCP \*:5000 \(LISTEN\)" "$lsof_out"
claim_eq "step 5: lsof -i shows pair_server owning all four connections" 4 \
	"$(grep -c "^pair_serv *$SERVER .*(ESTABLISHED)" <<<"$lsof_out")"
claim_eq "step 5: connstat -p names the same process for all four: PID/pair_server" 4 \
	"$(grep -c "ESTABLISHED *$SERVER/pair_server" <<<"$cs_out")"
claim_eq "step 5: lsof's connections are connstat's connections" "$srv" \
	"$(sed -n 's/.*TCP \([0-9.:]*\)->\([0-9.:]*\) (ESTABLISHED)/\1 \2/p' <<<"$lsof_out" | sort)"

# Step 6: the four numbers must differ — the same local port twice
bg h3 sh -c "exec pair_server 5000 >$T/server3.out 2>&1"
wait_for 5 grep -q 'listening' "$T/server3.out"
bg h1 sh -c "exec pair_client 10.200.2.2 5000 40000 >$T/p1.out 2>&1"
wait_for 5 grep -q 'connect() ok' "$T/p1.out"
claim_match "step 6: pair_client with local port 40000 connects" 'connect\(\) ok: 10\.200\.1\.2:40000 -> 10\.200\.2\.2:5000' \
	"$(cat "$T/p1.out")"
out=$(on h1 timeout 5 pair_client 10.200.2.2 5000 40000 2>&1)
claim_match "step 6: a second one to the same server fails: connect: Cannot assign requested address" \
	'^connect: Cannot assign requested address$' "$out"
bg h1 sh -c "exec pair_client 10.200.2.3 5000 40000 >$T/p2.out 2>&1"
wait_for 5 grep -q 'connect() ok' "$T/p2.out"
claim_match "step 6: the same local port to h3 works: another four numbers" \
	'connect\(\) ok: 10\.200\.1\.2:40000 -> 10\.200\.2\.3:5000' "$(cat "$T/p2.out")"
claim_eq "step 6: h1 now has two connections on local port 40000" 2 \
	"$(on h1 connstat -tn 'sport = :40000' | rows | wc -l)"

# Step 7: end one client; its pair goes, the others stay
port1=$(sed -n 's/^connect() ok: 10.200.1.2:\([0-9]*\) .*/\1/p' "$T/c1.out")
kill "$C1"
wait_for 5 grep -q 'the client closed' "$T/server.out"
claim_match "step 7: pair_server sees read() return 0 for that client" \
	'the client closed \(read\(\) returned 0\)' "$(cat "$T/server.out")"
# pair_server prints its line before it close()s, and its FIN then has to reach h1: h1 is in
# FIN-WAIT-2 until it does, so wait for the TIME-WAIT row (it stays 60 s) before asserting it.
tw1() { on h1 connstat -tn state time-wait | grep -Eq "10\.200\.1\.2:$port1 +10\.200\.2\.2:5000 +TIME_WAIT"; }
wait_for 3 tw1
claim_match "step 7: h1, which closed first, keeps the pair in TIME-WAIT" \
	"10\.200\.1\.2:$port1 +10\.200\.2\.2:5000 +TIME_WAIT" "$(on h1 connstat -tn state time-wait)"
gone() { ! on h2 connstat -tn "dport = :$port1" | grep -q "10.200.1.2:$port1"; }
claim "step 7: on h2 that pair is gone" wait_for 3 gone
claim_eq "step 7: h2 still has the other three of step 2" 3 \
	"$(on h2 connstat -tn 'sport = :5000 and dport != :40000' | rows | wc -l)"
claim "step 7: kill named one client: the other two on h1 still run" kill -0 "$C2" "$C3"
