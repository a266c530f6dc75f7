#!/bin/bash
# labs/check/01.sh — lab 01, layers: every claim of labs/01-layers.md, in the sheet's order.
. "$(dirname "$0")/lib.sh"
lab_up

# Step 1: the link layer of h1 — MAC address and MTU
mac_h1=$(on h1 cat /sys/class/net/eth0/address)
mac_r=$(on r cat /sys/class/net/eth1/address)
info=$(on h1 ifinfo eth0 2>&1)
claim_match "step 1: ifinfo eth0 shows an MTU of 1500" 'mtu 1500' "$info"
claim_match "step 1: ifinfo eth0 shows h1's MAC address after 'ether'" "ether $mac_h1" "$info"
claim_match "step 1: ifinfo eth1 on r shows the MAC at the other end of h1's link" \
	"ether $mac_r" "$(on r ifinfo eth1 2>&1)"

# Step 2: one ping, every header
capture h1 ping icmp || skip_claim "tcpdump listens on h1" "it did not start"
on h1 ping -c 1 10.200.2.2 >/dev/null
wait_for 3 test "$(captured ping | wc -l)" -ge 2
req=$(captured ping -e -v -X 'icmp[icmptype] = icmp-echo')
rep=$(captured ping -e -v 'icmp[icmptype] = icmp-echoreply')
claim_match "step 2: the request's frame goes from h1's MAC to r's MAC (the next hop), not to h2's" \
	" $mac_h1 > $mac_r, ethertype IPv4 \(0x0800\), length 98:" "$req"
claim_match "step 2: its IP header says ttl 64, proto ICMP (1), length 84, 10.200.1.2 > 10.200.2.2" \
	"ttl 64,.*proto ICMP \(1\), length 84\).*10\.200\.1\.2 > 10\.200\.2\.2: ICMP echo request" "$req"
claim_match "step 2: the hex dump starts 4500 0054: version 4, header 5 words, total length 84" \
	"0x0000:  4500 0054 " "$req"
claim_match "step 2: ICMP starts at byte 0x14 with 0800: type 8 (echo request), code 0" \
	"0x0010:  0ac8 0202 0800 " "$req"
claim_eq "step 2: the frame's length is 14 Ethernet + 20 IP + 8 ICMP + 56 data = 98 bytes" \
	"$((14 + 20 + 8 + 56))" "$(sed -n 's/.*ethertype IPv4 (0x0800), length \([0-9]*\):.*/\1/p' <<<"$req" | head -1)"
claim_match "step 2: the reply comes from r's MAC with ttl 63: r forwarded it once" \
	" $mac_r > $mac_h1, ethertype IPv4.* ttl 63,.*10\.200\.2\.2 > 10\.200\.1\.2: ICMP echo reply" "$rep"

# Step 3: miniping --explain names every field
ex=$(on h1 miniping --explain -c 1 10.200.2.2)
claim_match "step 3: miniping --explain shows type 8 Echo Request" 'type +8  Echo Request' "$ex"
claim_match "step 3: ... and type 0 Echo Reply" 'type +0  Echo Reply' "$ex"
claim_match "step 3: ... the reply's TTL 63" 'TTL +63' "$ex"
claim_eq "step 3: ... and both checksums match" 2 "$(grep -c '(matches)' <<<"$ex")"
ex=$(on h1 miniping --explain -c 1 -p ff 10.200.2.2)
claim_match "step 3: with -p ff the data after the 16-byte send time is words of 0xffff" \
	'word +12  0xffff' "$ex"

# Step 4: the network layer is what a router reads: TTL 1 dies at r
out=$(on h1 miniping -c 1 -t 1 -W 1 10.200.2.2)
claim_match "step 4: miniping -t 1: Time to live exceeded, from r (10.200.1.1)" \
	'From 10\.200\.1\.1 icmp_seq=1 Time to live exceeded' "$out"
claim_match "step 4: miniping -t 2 reaches h2" 'bytes from 10\.200\.2\.2' \
	"$(on h1 miniping -c 1 -t 2 -W 2 10.200.2.2)"

# Step 5: one TCP segment, every header
bg h2 sh -c "socat -u TCP-LISTEN:7000,reuseaddr,fork - >$LAB_TMP/received"
wait_for 5 on h2 sh -c 'ss -ltn | grep -q ":7000 "'
capture h1 tcp 'tcp port 7000'
echo hello | on h1 socat -u - TCP:10.200.2.2:7000
wait_for 3 test "$(captured tcp | wc -l)" -ge 6
seg=$(captured tcp -e -v -X 'tcp[tcpflags] & tcp-push != 0')
syn=$(captured tcp 'tcp[tcpflags] = tcp-syn')
claim_match "step 5: the segment's IP header says proto TCP (6), length 58" 'proto TCP \(6\), length 58\)' "$seg"
claim_match "step 5: the TCP header names the ports: 10.200.1.2.PORT > 10.200.2.2.7000, 6 bytes of data" \
	'10\.200\.1\.2\.[0-9]+ > 10\.200\.2\.2\.7000: Flags \[P\.\].*length 6' "$seg"
claim_match "step 5: the data, hello and a newline, is the last 6 bytes: 6865 6c6c 6f0a" \
	'6865 6c6c 6f0a' "$seg"
claim_match "step 5: byte 0x20 is 80: a TCP header of 8 words, 32 bytes (20 + 12 of timestamps); 20 + 32 + 6 = 58" \
	'0x0020:  80' "$seg"
# (socat on h2 writes what it read a moment after the segments are on the wire)
wait_for 3 grep -q hello "$LAB_TMP/received"
claim_eq "step 5: h2's socat received hello" hello "$(head -1 "$LAB_TMP/received")"
claim_match "step 6: h1's SYN offers mss 1460 = MTU 1500 - 20 IP - 20 TCP" 'Flags \[S\].*mss 1460' "$syn"

# Step 6: a smaller MTU, smaller segments
on h1 ip link set eth0 mtu 1280
claim_match "step 6: ifinfo shows the new MTU 1280" 'mtu 1280' "$(on h1 ifinfo eth0 2>&1)"
capture h1 mtu 'tcp port 7000'
head -c 20000 /dev/zero | on h1 socat -u - TCP:10.200.2.2:7000
wait_for 3 test "$(captured mtu 'tcp[tcpflags] & tcp-fin != 0' | wc -l)" -ge 2
syn=$(captured mtu 'tcp[tcpflags] = tcp-syn')
lens=$(captured mtu 'src 10.200.1.2 and greater 100' | sed -n 's/.* length \([0-9]*\)$/\1/p' | sort -n | uniq -c)
claim_match "step 6: with MTU 1280 h1's SYN offers mss 1240" 'Flags \[S\].*mss 1240' "$syn"
claim_match "step 6: the full segments carry 1228 bytes (1240 - 12 of timestamps)" ' 1228$' "$lens"
claim_eq "step 6: no segment carries more than 1228 bytes" 1228 "$(awk 'END { print $2 }' <<<"$lens")"
claim_eq "step 6: the write() of 20000 bytes became 17 data segments" 17 \
	"$(captured mtu 'src 10.200.1.2' | grep -c ', length [1-9]')"
claim_eq "step 6: and IP fragmented none of them" 0 "$(captured mtu 'ip[6:2] & 0x3fff != 0' | wc -l)"
wait_for 3 test "$(wc -c <"$LAB_TMP/received")" -ge 20006
claim_eq "step 6: h2 received all 20000 bytes (and the 6 of step 5)" 20006 "$(wc -c <"$LAB_TMP/received")"
on h1 ip link set eth0 mtu 1500

# Step 7: the interfaces up close
names=$(on h1 ifinfo -a | sed -n 's/^\([a-z0-9]*\): flags=.*/\1/p' | sort | tr '\n' ' ')
claim_eq "step 7: ifinfo -a on h1 lists eth0 and lo, nothing else" "eth0 lo " "$names"
claim_match "step 7: eth0 is UP and RUNNING" 'eth0: flags=[0-9]+<UP,BROADCAST,RUNNING,MULTICAST>' \
	"$(on h1 ifinfo eth0 2>&1)"
claim_match "step 7: its fe80:: address has scopeid 0x20<link>" 'inet6 fe80::[0-9a-f:]+ +prefixlen 64 +scopeid 0x20<link>' \
	"$(on h1 ifinfo eth0 2>&1)"
ip -n "$LAB_PREFIX-r" link set eth1 down
not_running() { ! on h1 ifinfo eth0 | head -1 | grep -q RUNNING; }
claim "step 7: with r's end of the link down, h1's eth0 is UP but no longer RUNNING" wait_for 3 not_running
ip -n "$LAB_PREFIX-r" link set eth1 up
running() { on h1 ifinfo eth0 | head -1 | grep -q RUNNING; }
claim "step 7: set up again, eth0 is RUNNING again" wait_for 3 running
