# tests/integration/lib.sh — sourced by every integration test.
#
# Builds uniquely named network namespaces, veth pairs, bridges and TUN devices, runs commands
# inside them, compares results, and always cleans up what it made (trap on EXIT, by name and
# pid).  Each check prints one line, PASS:, FAIL: or SKIP:, which tests/run.sh counts.
#
#   ns=$(nd_ns a)                 a new namespace (name printed), loopback up, removed at exit
#   nd_veth NS1 IF1 NS2 IF2       a veth pair between two namespaces (or within one)
#   nd_veth_net NS1 NS2 NET       the same as va in NS1 with NET.1/24, vb in NS2 with NET.2/24
#   nd_quiet_ipv6 NS              no DAD probes and no router solicitations in NS, so counters settle
#   nd_bridge NS BR [PORT...]     a bridge with ports
#   nd_tun NS NAME                a TUN device (persistent, owned by nobody in particular)
#   nd_in NS CMD...               run CMD inside NS
#   nd_bg NS CMD...               run CMD inside NS in the background; killed at exit; sets ND_LAST_PID
#   check "what" CMD...           PASS when CMD exits 0
#   check_eq "what" WANT GOT      PASS when the strings are equal (shows a diff otherwise)
#   check_status "what" CODE CMD...   PASS when CMD exits with CODE
#   check_json_eq "what" A B      PASS when two JSON texts are equal after jq -S
#   skip "why"
#
# The prologue every test shares:
#   nd_need_bin PATH...           FAIL and exit 1 unless each PATH (a tool, a peer) is built
#   nd_need_cmd CMD [WHY]         SKIP and exit 0 when CMD is not installed
#   nd_tmpdir VAR                 a new temporary directory in $VAR, removed at exit
#   nd_rm_at_exit PATH...         remove PATH (rm -rf) at exit, after the namespaces
set -u

ND_BIN=${ND_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin}
ND_PEERS=${ND_PEERS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/peers}
ND_TAG=nd$$
ND_PIDS=()
ND_RM=()
ND_SEQ=0
ND_FAILS=0

nd_cleanup() {
	local p ns
	for p in "${ND_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${ND_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	# by name: every namespace this test made carries its tag, also those made in a subshell
	for ns in $(ip netns list 2>/dev/null | awk -v t="$ND_TAG-" 'index($1, t) == 1 {print $1}'); do
		# killing what still runs inside (a stray child of a test) lets the namespace go
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ ${#ND_RM[@]} -eq 0 ] || rm -rf -- "${ND_RM[@]}"
}
trap nd_cleanup EXIT
trap 'exit 130' INT TERM

nd_ns() {
	ND_SEQ=$((ND_SEQ + 1))
	local ns="$ND_TAG-$1-$ND_SEQ"
	ip netns add "$ns" || { echo "FAIL: cannot create namespace $ns"; exit 1; }
	ip -n "$ns" link set lo up
	echo "$ns"
}

nd_in() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

nd_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

nd_veth_net() {
	nd_veth "$1" va "$2" vb &&
		ip -n "$1" addr add "$3.1/24" dev va && ip -n "$2" addr add "$3.2/24" dev vb
}

nd_quiet_ipv6() {
	nd_in "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
}

nd_bridge() {
	local ns=$1 br=$2 port
	shift 2
	ip -n "$ns" link add "$br" type bridge && ip -n "$ns" link set "$br" up || return 1
	for port in "$@"; do
		ip -n "$ns" link set "$port" master "$br" || return 1
	done
}

nd_tun() {
	ip -n "$1" tuntap add dev "$2" mode tun
}

nd_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	ND_LAST_PID=$!
	ND_PIDS+=("$ND_LAST_PID")
}

nd_rm_at_exit() {
	ND_RM+=("$@")
}

nd_tmpdir() {
	# not "local d": printf -v would set the local when the caller's variable is also d
	local nd_tmp_
	nd_tmp_=$(mktemp -d) || { echo "FAIL: cannot make a temporary directory"; exit 1; }
	ND_RM+=("$nd_tmp_")
	printf -v "$1" %s "$nd_tmp_"
}

nd_need_bin() {
	local p
	for p in "$@"; do
		[ -x "$p" ] || { fail "${p##*/} not built ($p)"; exit 1; }
	done
}

nd_need_cmd() {
	command -v "$1" >/dev/null || { skip "${2:-$1 not installed}"; exit 0; }
}

pass() { echo "PASS: $*"; }
fail() {
	echo "FAIL: $*"
	ND_FAILS=$((ND_FAILS + 1))
}
skip() { echo "SKIP: $*"; }

check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what (command: $*)"; fi
}

check_eq() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -40 | sed 's/^/    /'
	fi
}

check_status() {
	local what=$1 want=$2 got
	shift 2
	"$@" >/dev/null 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$what"
	else
		fail "$what (exit $got, want $want: $*)"
	fi
}

check_json_eq() {
	local a b
	a=$(printf '%s' "$2" | jq -S . 2>&1) || { fail "$1 (first is not JSON)"; return; }
	b=$(printf '%s' "$3" | jq -S . 2>&1) || { fail "$1 (second is not JSON)"; return; }
	check_eq "$1" "$a" "$b"
}

# Wait until CMD succeeds, up to $1 tenths of a second.
nd_wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
