#!/bin/bash
# sockbuf: the buffer sizes and rules on this machine, a fill on loopback, a short sweep and UDP drops.
set -u
SB=$BIN/sockbuf
[ -x "$SB" ] || { echo "sockbuf: not built"; exit 0; }
echo "== sockbuf info --sizes 1Ki,64Ki,16Mi"
"$SB" info --sizes 1Ki,64Ki,16Mi || exit 1
echo "== sockbuf fill --sndbuf 64Ki --rcvbuf 64Ki"
"$SB" fill --sndbuf 64Ki --rcvbuf 64Ki || exit 1
echo "== sockbuf sweep --time 0.3"
"$SB" sweep --time 0.3 || exit 1
echo "== sockbuf udp --sizes 4Ki,64Ki,1Mi --count 5000"
"$SB" udp --sizes 4Ki,64Ki,1Mi --count 5000
