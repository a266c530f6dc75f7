#!/bin/bash
# Bad input, across every tool: exit status 2, exactly one line on stderr, and stdout either empty
# or one valid JSON document (never a partial one), with and without --json.
# Only loopback is ever named as a destination here, and every run is inside a namespace of its own.
. "$(dirname "$0")/lib.sh"

ns=$(nd_ns bad)

bad() {
	local what=$1 out err rc
	shift
	out=$(mktemp) err=$(mktemp)
	timeout 10 ip netns exec "$ns" "$@" >"$out" 2>"$err"
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$what: exit $rc, want 2 ($*)"
	elif [ "$(wc -l <"$err")" -ne 1 ]; then
		fail "$what: $(wc -l <"$err") lines on stderr, want 1 ($*)"
		sed 's/^/    /' "$err" | head -5
	elif [ -s "$out" ] && ! jq -e . "$out" >/dev/null 2>&1; then
		fail "$what: stdout is neither empty nor valid JSON ($*)"
		head -c 300 "$out" | sed 's/^/    /'
	else
		pass "$what: exit 2, one line: $(cat "$err")"
	fi
	rm -f "$out" "$err"
}

both() {
	local what=$1 tool=$2
	shift 2
	bad "$what" "$ND_BIN/$tool" "$@"
	bad "$what (--json)" "$ND_BIN/$tool" --json "$@"
}

# sockbuf takes --json after its subcommand
both_sub() {
	local what=$1 tool=$2 sub=$3
	shift 3
	bad "$what" "$ND_BIN/$tool" "$sub" "$@"
	bad "$what (--json)" "$ND_BIN/$tool" "$sub" --json "$@"
}

both "ifinfo: unknown interface" ifinfo nosuch0
both "ifinfo: unknown option" ifinfo --bogus
both "ifinfo: bad --watch" ifinfo --watch=abc
both "ifinfo: negative --watch" ifinfo --watch=-1
both "ifinfo: --count 0" ifinfo --count 0
both "ifinfo: two interfaces" ifinfo lo lo

both "miniping: no host" miniping
both "miniping: unknown option" miniping -Z 127.0.0.1
both "miniping: count 0" miniping -c 0 127.0.0.1
both "miniping: size too large" miniping -c 1 -s 65508 127.0.0.1
both "miniping: bad interval" miniping -c 1 -i abc 127.0.0.1
both "miniping: bad ttl" miniping -c 1 -t 256 127.0.0.1
both "miniping: bad pattern" miniping -c 1 -p xyz 127.0.0.1
both "miniping: missing argument" miniping -c

both "connstat: bad filter" connstat -t 'sport = :22 and ('
both "connstat: unknown state" connstat -t state bogus
both "connstat: port out of range" connstat -t 'dport = :70000'
both "connstat: bad address" connstat -t 'dst 300.1.2.3'
both "connstat: unknown option" connstat --bogus

both_sub "sockbuf: bad size" sockbuf fill --sndbuf 12q
both_sub "sockbuf: negative duration" sockbuf sweep --time -1
both "sockbuf: unknown subcommand" sockbuf frobnicate
both_sub "sockbuf: unknown option" sockbuf info --bogus
# sockbuf's whole-number options: one helper words them all, bounds and unit included
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086
	check_eq "sockbuf $args: the line names option, value and bounds" "sockbuf: $want" \
		"$(ip netns exec "$ns" "$ND_BIN/sockbuf" $args 2>&1 >/dev/null)"
done <<'EOF'
serve --port 0|bad port for --port: '0': expected 1 to 65535
serve --max-clients 1025|bad number for --max-clients: '1025': expected 1 to 1024
sweep --width 201|bad width for --width: '201': expected 1 to 200
udp --count -1|bad count for --count: '-1': expected 1 to 100000000
udp --size 65001|bad size for --size: '65001': expected 2 to 65000 bytes
udp --rate 0|bad rate for --rate: '0': expected 1 to 10000000 datagrams/s
EOF
# a shared option given a value it takes none of: named in plain text (every tool printed "-\002")
for t in connstat ifinfo miniping "sockbuf info"; do
	# shellcheck disable=SC2086
	check_eq "${t%% *} --json=1: the line names the option" \
		"${t%% *}: option --json takes no argument" \
		"$(ip netns exec "$ns" $ND_BIN/$t --json=1 2>&1 >/dev/null)"
done
# a port in use: hold one with a listener of our own inside the namespace
nd_bg "$ns" socat TCP-LISTEN:5399,reuseaddr,fork /dev/null
nd_wait_for 30 ip netns exec "$ns" sh -c "ss -Htln | grep -q ':5399 '"
both_sub "sockbuf: port in use" sockbuf serve --port 5399
# a peer that does not answer: a port nobody listens on, on loopback
both_sub "sockbuf: refused peer" sockbuf fill --connect 127.0.0.1:5398 --timeout 1
bad "sockbuf: --json before the subcommand" "$ND_BIN/sockbuf" --json fill --sndbuf 12q
