#!/bin/bash
# tests/fuzz/run.sh [--runs N] [SECONDS] [NAME...] — build every tests/fuzz/fuzz_*.c (or the NAMEd
# ones) with clang's libFuzzer (plus ASan and UBSan, every UBSan finding fatal) against the library
# and the tools' parsers, then run each for SECONDS (default 30, or $FUZZ_SECONDS), or for N
# executions with --runs.
#
# Corpora grow in $B/fuzz/corpus-NAME/, started from the seeds in tests/fuzz/seeds/NAME/ (which stay
# read-only); a crashing input is written to $B/fuzz/crashes/ (never the repo root).  Each run ends
# with one line "NAME: N execs in S s, corpus C" and, when it crashed, the report and the input.
# Exit status: 0 when every harness built and ran clean, 1 when one failed to build or crashed
# (libFuzzer's own exit status is kept through the pipe), 2 without clang.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
runs=
if [ "${1:-}" = --runs ]; then
	runs=$2
	shift 2
fi
secs=${FUZZ_SECONDS:-30}
names=
for a in "$@"; do
	case $a in
	[0-9]*) secs=$a ;;
	*) names="$names ${a#fuzz_}" ;;
	esac
done
out=${B:-build}/fuzz
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 2; }
mkdir -p "$out/obj" "$out/crashes"

# The library and the tools' parts, compiled once for all harnesses (objects kept up to date).
cflags="-g -O1 -std=gnu11 -Ilib -Itools $(pkg-config --cflags libmnl) -fno-omit-frame-pointer"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
srcs=$(ls lib/*.c; ls tools/*/*.c 2>/dev/null | grep -v -e '/main\.c$' -e '\.bpf\.c$')
obj_of() { echo "$out/obj/$(echo "${1%.c}" | tr / _).o"; }
objs=$(for s in $srcs; do obj_of "$s"; done)
for s in $srcs; do
	o=$(obj_of "$s")
	[ "$o" -nt "$s" ] && [ -z "$(find lib tools -name '*.h' -newer "$o" | head -1)" ] && continue
	echo "$s $o"
done | xargs -r -n2 -P2 sh -c "clang $cflags $san -fsanitize=fuzzer-no-link -c -o \"\$1\" \"\$0\"" ||
	{ echo "fuzz: building the library failed" >&2; exit 1; }

rc=0
for f in tests/fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .c)
	[ -z "$names" ] || case " $names " in *" ${name#fuzz_} "*) ;; *) continue ;; esac
	# shellcheck disable=SC2086
	if ! clang $cflags $san -fsanitize=fuzzer -o "$out/$name" "$f" $objs \
		$(pkg-config --libs libmnl) -lm; then
		echo "FAIL: $name does not build"
		rc=1
		continue
	fi
	mkdir -p "$out/corpus-$name"
	seeds=tests/fuzz/seeds/${name#fuzz_}
	[ -d "$seeds" ] || { echo "FAIL: $name has no seeds in $seeds"; rc=1; seeds=; }
	if [ -n "$runs" ]; then limit=-runs=$runs; else limit=-max_total_time=$secs; fi
	start=$SECONDS
	"$out/$name" "$limit" -timeout=20 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$name-" "$out/corpus-$name" $seeds >"$out/$name.log" 2>&1
	frc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -1)
	echo "$name: ${execs:-?} execs in $((SECONDS - start)) s, corpus $(ls "$out/corpus-$name" | wc -l)"
	if [ $frc -ne 0 ]; then
		echo "FAIL: $name crashed (libFuzzer exit $frc); report $out/$name.log:"
		grep -E 'ERROR:|runtime error:|#[0-3] |Test unit written to|deadly signal' "$out/$name.log" | head -12
		echo "   once fixed, keep the input: cp $out/crashes/$name-* tests/fuzz/seeds/${name#fuzz_}/ (make test replays it)"
		rc=1
	fi
done
exit $rc
