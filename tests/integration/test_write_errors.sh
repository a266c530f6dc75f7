#!/bin/bash
# Output that cannot be written: every tool, to a full device (>/dev/full) and with stdout closed
# (>&-), says so in one line "tool: write error: why" and exits 2; a reader that leaves early (a
# broken pipe) gets no message.  iputils ping is the peer: it reports the full device too.
# Only loopback is pinged, inside a namespace of the test's own.
. "$(dirname "$0")/lib.sh"

ns=$(nd_ns wr)

# expect_write_error WHAT WANT_LINE REDIRECT CMD...: exit 2, stderr exactly WANT_LINE
expect_write_error() {
	local what=$1 want=$2 redir=$3 err rc
	shift 3
	err=$(mktemp)
	case $redir in
	full) timeout 20 ip netns exec "$ns" "$@" >/dev/full 2>"$err" ;;
	closed) timeout 20 ip netns exec "$ns" "$@" >&- 2>"$err" ;;
	esac
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$what: exit $rc, want 2 ($*)"
		sed 's/^/    /' "$err" | head -5
	else
		check_eq "$what: one line on stderr" "$want" "$(cat "$err")"
	fi
	rm -f "$err"
}

# each tool, in text and JSON, and --help (written before any other output is set up)
while IFS='|' read -r tool args; do
	# shellcheck disable=SC2086
	set -- "$ND_BIN/$tool" $args
	expect_write_error "$tool $args >/dev/full" "$tool: write error: No space left on device" full "$@"
	expect_write_error "$tool $args >&-" "$tool: write error: Bad file descriptor" closed "$@"
done <<'EOF'
ifinfo|lo
ifinfo|--json lo
ifinfo|--help
connstat|-a
connstat|--json -a
miniping|-c 1 127.0.0.1
miniping|--json -c 1 127.0.0.1
sockbuf|info
sockbuf|info --json
EOF

# The peer: iputils ping reports the full device as well (it exits 1 where netdiag's rule is 2).
if command -v ping >/dev/null; then
	err=$(ip netns exec "$ns" ping -c 1 127.0.0.1 2>&1 >/dev/full)
	check_eq "iputils ping >/dev/full reports a write error too" "ping: write error" "$err"
fi

# A broken pipe stays quiet: the reader leaves after one byte, the tool's next write ends it.
# (SIGPIPE ends it: status 141, which shows the pipe did break before the tool was done.)
perr=$(mktemp)
ip netns exec "$ns" "$ND_BIN/miniping" -c 3 -i 0.2 127.0.0.1 2>"$perr" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
check_eq "miniping | head -c 1: ended by the broken pipe" 141 "$rc"
check_eq "miniping | head -c 1: nothing on stderr" "" "$(cat "$perr")"
rm -f "$perr"

exit 0
