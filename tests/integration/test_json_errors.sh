#!/bin/bash
# With --json, a tool that fails before it wrote any JSON leaves {"error": "...", "exit": 2} on
# stdout (the message of its one stderr line, without the "tool: " prefix), so that a script
# always has a document to parse; without --json stdout stays empty.  Errors from the option
# parser (--json before or after the bad option), from the arguments, and from the system.
# Only loopback is named, inside a namespace of the test's own; nothing is sent.
. "$(dirname "$0")/lib.sh"

ns=$(nd_ns jerr)
nd_tmpdir dir

# jerr WHAT TOOL ARGS...: run with the args as given (which hold --json)
jerr() {
	local what=$1 tool=$2 rc msg
	shift 2
	timeout 10 ip netns exec "$ns" "$ND_BIN/$tool" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	msg=$(sed "s/^$tool: //" "$dir/err")
	check_eq "$what: exit 2, one line on stderr" "2 1" "$rc $(wc -l <"$dir/err")"
	check_eq "$what: stdout is {\"error\": that line, \"exit\": 2}" \
		"$(jq -cn --arg m "$msg" '{error: $m, exit: 2}')" "$(jq -c . "$dir/out" 2>&1)"
}
# plain WHAT TOOL ARGS...: the same error without --json leaves stdout empty
plain() {
	local what=$1 tool=$2
	shift 2
	timeout 10 ip netns exec "$ns" "$ND_BIN/$tool" "$@" >"$dir/out" 2>/dev/null
	check_eq "$what without --json: stdout empty" "0" "$(wc -c <"$dir/out")"
}

jerr "connstat: unknown state" connstat --json -t state bogus
jerr "connstat: unknown option after --json" connstat --json -Z
jerr "connstat: unknown option before --json" connstat -Z --json
jerr "connstat: a namespace that is not there (system error)" connstat --json -N nd-no-such-ns
jerr "connstat: filter too long" connstat --json -t "$(for i in $(seq 9000); do printf 'autobound or '; done; echo autobound)"
plain "connstat: unknown state" connstat -t state bogus
jerr "ifinfo: unknown interface" ifinfo --json nosuch0
jerr "ifinfo: bad --watch" ifinfo --watch=abc --json
jerr "ifinfo --watch: unknown interface" ifinfo --json --watch=0.1 --count=1 nosuch0
plain "ifinfo: unknown interface" ifinfo nosuch0
jerr "sockbuf info: bad size" sockbuf info --json --sizes 12q
jerr "sockbuf: --json before the subcommand" sockbuf --json info --sizes 1Ki,,2Ki
jerr "sockbuf udp: --rate 0" sockbuf udp --json --rate 0
jerr "sockbuf: unknown subcommand" sockbuf --json frob
plain "sockbuf info: bad size" sockbuf info --sizes 12q
jerr "miniping: bad -c" miniping --json -c 0 127.0.0.1
jerr "miniping: a name under .invalid" miniping --json -c 1 x.invalid
jerr "miniping: no destination" miniping --json
plain "miniping: bad -c" miniping -c 0 127.0.0.1
# a document already begun is closed, not followed by a second one: the error object only
# stands where nothing was written (every case above); `--` ends the search for --json
timeout 10 ip netns exec "$ns" "$ND_BIN/connstat" -t -- --json >"$dir/out" 2>/dev/null
check_eq "connstat -t -- --json: --json after -- is a filter word, not the option" "" \
	"$(jq -r '.error // empty' "$dir/out" 2>/dev/null)"
exit 0
