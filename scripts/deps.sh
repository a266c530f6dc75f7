#!/bin/sh
# deps.sh ensure [CLASS...] | install | list [CLASS...] — the Debian packages netdiag needs.
#
#   ensure   check what the classes need (default: all of them); when something is missing,
#            install just that as root, or print the apt-get command and exit 2 when not root
#   install  install (update first) everything, whether missing or not
#   list     print the package names of the classes (default: all)
#
# Classes, as the Makefile asks for them per goal: build (make, make install), test (make test,
# make check), bench (make bench), fuzz (make fuzz).
set -u

PKGS="build-essential pkg-config libmnl-dev libcmocka-dev iproute2 jq iputils-ping net-tools socat procps kmod libcap2-bin valgrind python3 strace iperf3"
# connstat's BPF build (optional at build time: without them connstat builds without BPF),
# the CI's second compiler and libFuzzer, and the labs' capture and lsof.
PKGS="$PKGS clang llvm libbpf-dev bpftool libclang-rt-14-dev tcpdump lsof ethtool"

# What each class checks: commands (cmd:), pkg-config modules (pc:) and clang runtimes (rt:),
# each with the package that brings it.
# A package in PKGS that no line names is installed by `install` only.
NEEDS_build="cmd:cc:build-essential cmd:pkg-config:pkg-config pc:libmnl:libmnl-dev pc:cmocka:libcmocka-dev
	pc:libbpf:libbpf-dev cmd:clang:clang cmd:llvm-strip:llvm cmd:bpftool:bpftool"
NEEDS_test="cmd:ip:iproute2 cmd:ss:iproute2 cmd:jq:jq cmd:ping:iputils-ping cmd:ifconfig:net-tools
	cmd:netstat:net-tools cmd:socat:socat cmd:sysctl:procps cmd:modprobe:kmod cmd:python3:python3
	cmd:strace:strace cmd:setpriv:util-linux cmd:setcap:libcap2-bin cmd:readelf:binutils
	cmd:tcpdump:tcpdump cmd:lsof:lsof cmd:ethtool:ethtool cmd:valgrind:valgrind"
NEEDS_bench="cmd:iperf3:iperf3 cmd:valgrind:valgrind"
NEEDS_fuzz="cmd:clang:clang rt:fuzzer:libclang-rt-14-dev"

# missing CLASS...: the packages of what is not there, one a line
missing() {
	for cl in "$@"; do
		eval "needs=\$NEEDS_$cl"
		for n in $needs; do
			kind=${n%%:*} rest=${n#*:}
			what=${rest%:*} pkg=${rest##*:}
			case $kind in
			cmd) command -v "$what" >/dev/null 2>&1 || [ -x "/usr/sbin/$what" ] || echo "$pkg" ;;
			pc) pkg-config --exists "$what" 2>/dev/null || echo "$pkg" ;;
			rt) ls "$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.$what-$(uname -m).a" \
				>/dev/null 2>&1 || echo "$pkg" ;;
			esac
		done
	done | sort -u
}

# install PACKAGE...: apt-get install them as root, or say how and exit 2
install() {
	apt_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $*"
	if [ "$(id -u)" != 0 ]; then
		echo "netdiag: not root; install the dependencies with:" >&2
		echo "  sudo sh -c '$apt_cmd'" >&2
		exit 2
	fi
	echo "netdiag: installing with apt-get: $*" >&2
	apt-get update -qq >&2 || exit 2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 || exit 2
}

all_classes="build test bench fuzz"
case "${1:-ensure}" in
ensure)
	shift
	[ $# -gt 0 ] || set -- $all_classes
	m=$(missing "$@" | tr '\n' ' ')
	[ -z "$m" ] && exit 0
	echo "netdiag: missing for $*: $m" >&2
	# shellcheck disable=SC2086
	install $m
	m=$(missing "$@" | tr '\n' ' ')
	[ -z "$m" ] || { echo "netdiag: still missing after install: $m" >&2; exit 2; }
	;;
install)
	# shellcheck disable=SC2086
	install $PKGS
	;;
list)
	shift
	if [ $# -eq 0 ]; then
		echo "$PKGS"
	else
		for cl in "$@"; do eval "echo \$NEEDS_$cl"; done | tr ' \t' '\n\n' | sed -n 's/.*:\(.\)/\1/p' | sort -u | tr '\n' ' '
		echo
	fi
	;;
*) echo "usage: $0 ensure [build|test|bench|fuzz]... | install | list [CLASS]..." >&2; exit 2 ;;
esac
