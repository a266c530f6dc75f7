#!/bin/bash
# connstat: the sockets of this machine, a filter, a summary.
set -u
C=$BIN/connstat
[ -x "$C" ] || { echo "connstat not built"; exit 1; }
echo "== connstat -tuln  (listening TCP/UDP, numeric)"
"$C" -tuln
echo
echo "== connstat -ta state connected   (connected TCP, TIME-WAIT included)"
"$C" -ta state connected | head -20
echo
echo "== connstat -tn 'sport >= :1024 or dport = :22'   (compiled to inet_diag bytecode)"
"$C" -tn sport '>=' :1024 or dport = :22 | head -10
echo
echo "== connstat -s"
"$C" -s
echo
echo "== connstat -tl --json | jq -c '.[0]'"
"$C" -tl --json | jq -c '.[0]' 2>/dev/null || "$C" -tl --json
