#!/bin/bash
# A normal user running miniping with cap_net_raw (what its own error message advises) or set-uid
# may ping but not flood: -f, or -i below 2 ms, is refused as iputils refuses it, by the real uid.
# iputils ping, given the same capability, is the oracle.  Only loopback in a namespace is pinged.
. "$(dirname "$0")/lib.sh"

ns=$(nd_ns flood)
dir=$(mktemp -d /tmp/nd-flood.XXXXXX) && nd_rm_at_exit "$dir"
chmod 755 "$dir"
cp "$ND_BIN/miniping" "$dir/miniping"
if ! setcap cap_net_raw+ep "$dir/miniping" 2>/dev/null; then
	skip "setcap failed here (no file capabilities on $dir)"
	exit 0
fi
cp "$dir/miniping" "$dir/miniping-suid" && chmod 4755 "$dir/miniping-suid"
user() { ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

want="miniping: cannot flood; minimal interval allowed for user is 2ms"
for bin in miniping miniping-suid; do
	for args in "-f -c 3" "-i 0.001 -c 3" "-i 0 -c 3" "-f -i 0.001 -c 3"; do
		# shellcheck disable=SC2086
		err=$(user "$dir/$bin" $args 127.0.0.1 2>&1 >/dev/null)
		rc=$?
		check_eq "$bin as nobody $args: exit 2" 2 "$rc"
		check_eq "$bin as nobody $args: the iputils line" "$want" "$err"
	done
	# 2 ms and more stay allowed, flood with such an interval too
	check_status "$bin as nobody -i 0.002: allowed" 0 user "$dir/$bin" -q -i 0.002 -c 3 127.0.0.1
	check_status "$bin as nobody -f -i 0.002: allowed" 0 user "$dir/$bin" -q -f -i 0.002 -c 3 127.0.0.1
done
check_status "root may flood" 0 ip netns exec "$ns" "$ND_BIN/miniping" -q -f -c 20 127.0.0.1

# the oracle: iputils with the same capability refuses the same way
if command -v ping >/dev/null && cp "$(command -v ping)" "$dir/ping" &&
	setcap cap_net_raw+ep "$dir/ping" 2>/dev/null; then
	err=$(user "$dir/ping" -f -c 3 127.0.0.1 2>&1 >/dev/null)
	# (iputils names itself by its full path: compare what follows the name)
	check_eq "iputils ping as nobody -f: the same refusal" "${want#*: }" "${err#*: }"
fi
exit 0
