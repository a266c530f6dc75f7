#!/bin/bash
# tests/fuzz/run.sh [SECONDS] — build every tests/fuzz/fuzz_*.c with clang's libFuzzer (plus
# ASan and UBSan) against the library and the tools' parsers, then run each for SECONDS (default
# 30, or $FUZZ_SECONDS).  Corpora grow in build/fuzz/corpus-<name>/, seeded from tests/data/.
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-${FUZZ_SECONDS:-30}}
out=${B:-build}/fuzz
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 2; }
mkdir -p "$out"
srcs=$(ls lib/*.c; ls tools/*/*.c 2>/dev/null | grep -v '/main\.c$')
flags="-g -O1 -std=gnu11 -Ilib -Itools $(pkg-config --cflags libmnl) -fsanitize=fuzzer,address,undefined"
rc=0
for f in tests/fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .c)
	echo "== $name"
	# shellcheck disable=SC2086
	clang $flags -o "$out/$name" "$f" $srcs $(pkg-config --libs libmnl) -lm || { rc=1; continue; }
	mkdir -p "$out/corpus-$name"
	seeds=tests/data/${name#fuzz_}
	[ -d "$seeds" ] || seeds=
	"$out/$name" -max_total_time="$secs" -print_final_stats=0 "$out/corpus-$name" $seeds \
		2>&1 | tail -3 || rc=1
done
exit $rc
