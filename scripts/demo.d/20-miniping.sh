#!/bin/bash
# miniping's main job: ping the loopback, IPv4 and IPv6, as iputils would.
set -u
BIN=${BIN:-build/bin}
echo "== miniping -c 3 127.0.0.1"
"$BIN/miniping" -c 3 -i 0.2 127.0.0.1 || exit $?
echo "== miniping -c 3 ::1"
"$BIN/miniping" -c 3 -i 0.2 ::1 || exit $?
