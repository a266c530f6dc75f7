#!/bin/sh
# deps.sh ensure|install|list — the Debian packages netdiag needs to build, test and benchmark.
#
#   ensure   check; when something is missing, install it as root, or print the apt-get
#            command and exit 2 when not root
#   install  install (update first) everything, whether missing or not
#   list     print the package names
set -u

PKGS="build-essential pkg-config libmnl-dev libcmocka-dev iproute2 jq iputils-ping net-tools socat procps kmod libcap2-bin valgrind python3 strace iperf3"
# connstat's BPF build (optional at build time: without them connstat builds without BPF),
# the CI's second compiler and libFuzzer, and the labs' capture and lsof.
PKGS="$PKGS clang llvm libbpf-dev bpftool libclang-rt-14-dev tcpdump lsof ethtool"

# Things that must be present: pkg-config modules and commands.
missing() {
	command -v pkg-config >/dev/null 2>&1 || { echo pkg-config; return; }
	pkg-config --exists libmnl || echo libmnl-dev
	pkg-config --exists cmocka || echo libcmocka-dev
	pkg-config --exists libbpf || echo libbpf-dev
	for c in cc:build-essential ip:iproute2 ss:iproute2 jq:jq ping:iputils-ping \
		 ifconfig:net-tools netstat:net-tools socat:socat sysctl:procps \
		 python3:python3 strace:strace setpriv:util-linux \
		 clang:clang bpftool:bpftool tcpdump:tcpdump lsof:lsof; do
		command -v "${c%%:*}" >/dev/null 2>&1 || echo "${c#*:}"
	done
}

apt_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PKGS"

install() {
	if [ "$(id -u)" != 0 ]; then
		echo "netdiag: not root; install the dependencies with:" >&2
		echo "  sudo sh -c '$apt_cmd'" >&2
		exit 2
	fi
	echo "netdiag: installing build and test dependencies with apt-get" >&2
	apt-get update -qq >&2 || exit 2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS >&2 || exit 2
}

case "${1:-ensure}" in
ensure)
	m=$(missing | sort -u | tr '\n' ' ')
	[ -z "$m" ] && exit 0
	echo "netdiag: missing: $m" >&2
	install
	m=$(missing | sort -u | tr '\n' ' ')
	[ -z "$m" ] || { echo "netdiag: still missing after install: $m" >&2; exit 2; }
	;;
install) install ;;
list) echo "$PKGS" ;;
*) echo "usage: $0 ensure|install|list" >&2; exit 2 ;;
esac
