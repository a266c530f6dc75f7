#!/bin/bash
# tests/data/capture/diag_capture.sh — remake tests/data/unit/diag_*.bin: a namespace with the
# sockets of tests/peers/sockmaker (dir /tmp/ndcap), dumped by tests/peers/diagcap.  test_diag.c expects
# what `ss -H -a -t4 -n -e` and `ss -H -ax -n` showed for the committed capture:
#   LISTEN     0 16 127.0.0.1:7001  0.0.0.0:*       ino:625264
#   ESTAB      0 0  127.0.0.1:7001  127.0.0.1:35012 ino:625267
#   CLOSE-WAIT 1 0  127.0.0.1:7001  127.0.0.1:35014 ino:625271
#   ESTAB      0 0  127.0.0.1:35012 127.0.0.1:7001  ino:625266
#   FIN-WAIT-2 0 0  127.0.0.1:35014 127.0.0.1:7001  ino:625270
#   TIME-WAIT  0 0  127.0.0.1:35026 127.0.0.1:7001  ino:0
#   ESTAB      0 0  127.0.0.1:35032 127.0.0.1:7001  ino:625284
#   ESTAB      5 0  127.0.0.1:7001  127.0.0.1:35032 ino:625285
#   u_str ESTAB  0 0 * 625293 * 625292
#   u_str ESTAB  0 0 * 625292 * 625293
#   u_str LISTEN 0 8 /tmp/ndcap/stream.sock 625291 * 0
#   u_seq LISTEN 0 8 /tmp/ndcap/seq.sock 625295 * 0
#   u_dgr UNCONN 0 0 @sockmaker-29065 625294 * 0
# A new capture has other inodes and ports: update the test with what ss shows then.
set -eu
cd "$(dirname "$0")/../../.."
B=${B:-build}
ns=ndcap$$
ip netns add "$ns"
trap 'ip netns pids "$ns" | xargs -r kill; ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
mkdir -p /tmp/ndcap
ip netns exec "$ns" "$B/peers/sockmaker" -d /tmp/ndcap >/dev/null &
sleep 0.5
ip netns exec "$ns" "$B/peers/diagcap" tests/data/unit/diag_tcp4_info.bin tests/data/unit/diag_tcp6.bin \
	tests/data/unit/diag_unix.bin tests/data/unit/diag_udp4.bin
ip netns exec "$ns" ss -H -a -t4 -n -e
ip netns exec "$ns" ss -H -ax -n
