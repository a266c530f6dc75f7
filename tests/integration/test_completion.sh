#!/bin/bash
# The bash completions where issue 13 found them wrong (sockbuf sweep -t is --time, not a socket
# type; after "sockbuf --json" come the subcommands), every short option of miniping's --help is
# offered, and --netns completes namespace names.  No packets: bash runs the functions.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

# complete TOOL WORD... : what the completion offers for the last word
complete_words() {
	local tool=$1
	shift
	bash -c '
		. "$1/completion/$2"
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		"_${COMP_WORDS[0]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$root" "$tool" "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}

check_eq "sockbuf info -t <TAB>: socket types" "tcp udp unix unix-dgram" \
	"$(complete_words sockbuf sockbuf info -t '')"
check_eq "sockbuf -t <TAB> (info by default): socket types" "tcp udp unix unix-dgram" \
	"$(complete_words sockbuf sockbuf -t '')"
check_eq "sockbuf sweep -t <TAB>: nothing (it is --time, seconds)" "" \
	"$(complete_words sockbuf sockbuf sweep -t '')"
check_eq "sockbuf --json <TAB>: the subcommands" "fill info serve sweep udp" \
	"$(complete_words sockbuf sockbuf --json '')"
check_eq "sockbuf <TAB>: the subcommands" "fill info serve sweep udp" \
	"$(complete_words sockbuf sockbuf '')"
check_eq "sockbuf --json sweep --ti<TAB>: --time --timeout" "--time --timeout" \
	"$(complete_words sockbuf sockbuf --json sweep --ti)"
check_eq "sockbuf udp --ra<TAB>: --rate" "--rate" "$(complete_words sockbuf sockbuf udp --ra)"

# --netns completes the names of ip netns list (a namespace of the test's own among them)
ns=$(nd_ns cmp)
check "connstat -N <TAB> offers ip netns names ($ns)" sh -c \
	"printf '%s\n' \$1 | grep -qx -- '$ns'" _ "$(complete_words connstat connstat -N '')"
check "ifinfo --netns <TAB> offers them too" sh -c \
	"printf '%s\n' \$1 | grep -qx -- '$ns'" _ "$(complete_words ifinfo ifinfo --netns '')"
check_eq "connstat -<TAB> offers -H and -N" "-H -N" \
	"$(complete_words connstat connstat - | tr ' ' '\n' | grep -E '^-(H|N)$' | sort | tr '\n' ' ' | sed 's/ $//')"

# every short option in miniping's --help is offered
if [ -x "$ND_BIN/miniping" ]; then
	want=$("$ND_BIN/miniping" --help | grep -oE '^  -[0-9A-Za-z](, -[0-9A-Za-z])*' | grep -oE -- '-[0-9A-Za-z]' | sort -u | tr '\n' ' ' | sed 's/ $//')
	got=$(complete_words miniping miniping - | tr ' ' '\n' | grep -E '^-[0-9A-Za-z]$' | sort -u | tr '\n' ' ' | sed 's/ $//')
	check_eq "miniping -<TAB>: every short option of --help (-b too)" "$want" "$got"
else
	skip "miniping not built: its --help not compared"
fi
exit 0
