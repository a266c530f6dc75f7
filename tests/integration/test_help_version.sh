#!/bin/bash
# -h and -V are --help and --version in every tool and every sockbuf subcommand (as in ss and ip):
# the same output, on stdout, exit 0.  No namespace, no packets.
. "$(dirname "$0")/lib.sh"

same() { # what, short option, long option, command...
	local what=$1 s=$2 l=$3 a b ra rb
	shift 3
	a=$("$@" "$s" 2>&1); ra=$?
	b=$("$@" "$l" 2>&1); rb=$?
	if [ -z "$b" ]; then
		fail "$what: $l printed nothing (a test that cannot fail)"
		return
	fi
	check_eq "$what: $s as $l (output, exit $rb)" "$b
$rb" "$a
$ra"
}
for t in miniping ifinfo connstat sockbuf; do
	[ -x "$ND_BIN/$t" ] || { fail "$t not built"; continue; }
	same "$t" -h --help "$ND_BIN/$t"
	same "$t" -V --version "$ND_BIN/$t"
done
for s in info fill sweep udp serve; do
	same "sockbuf $s" -h --help "$ND_BIN/sockbuf" "$s"
done
check_eq "help goes to stdout: nothing on stderr" "" "$("$ND_BIN/connstat" -h 2>&1 >/dev/null)"
exit 0
