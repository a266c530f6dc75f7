#!/bin/bash
# ifinfo on this machine: the interfaces that are up, ifconfig-style, then the short table.
set -u
echo "== ifinfo"
"$BIN/ifinfo" || exit $?
echo "== ifinfo -s -a"
"$BIN/ifinfo" -s -a
