#!/bin/bash
# What CI relies on to fail: make check's sanitizer settings catch a use of a returned stack frame
# and a signed overflow with exit status 86 and a report file (with the compiler make uses: gcc or
# clang, whose runtimes differ), tests/run.sh turns every report and
# every crashing fuzz replay into a FAIL and a non-zero exit, and the replay driver names the input
# that crashed.  Each is shown on a small program made to fail, built with the Makefile's own flags.
# Last, the parse-time dependency check asks only for the classes of packages the goals need.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
# a make of its own: not the MAKEFLAGS (B=, SAN=, -w) of the make check or make test around it
nd_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }
nd_tmpdir tmp

# mkvar VAR [MAKE ARGS]: the value of a Makefile variable, as make check would use it
mkvar() {
	local v=$1
	shift
	nd_make -s --no-print-directory B="$tmp/b" "$@" --eval 'nd-print-%: ; @echo $($*)' "nd-print-$v" 2>/dev/null
}
cc=$(mkvar CC) cflags=$(mkvar ND_CFLAGS SAN=1) ldflags=$(mkvar ND_LDFLAGS SAN=1)
asan=$(mkvar SAN_ASAN_OPTS) ubsan=$(mkvar SAN_UBSAN_OPTS) reports=$(mkvar SAN_REPORTS)
check_eq "make check's reports go under \$(B)/san/reports" "$tmp/b/san/reports" "$reports"
mkdir -p "$reports"

cat >"$tmp/bad.c" <<'EOF'
#include <limits.h>
#include <stdlib.h>
static volatile int *kept;
__attribute__((noinline)) static void frame(void) { int local[4] = { 1, 2, 3, 4 }; kept = local; }
int main(int argc, char **argv)
{
	volatile int big = INT_MAX;
	(void)argv;
	if (argc > 1 && argv[1][0] == 's') {
		frame();
		return kept[1];
	}
	return big + argc; /* signed overflow */
}
EOF
# shellcheck disable=SC2086
$cc -O1 -g $cflags -o "$tmp/bad" "$tmp/bad.c" $ldflags
check "a program builds with make check's flags" test -x "$tmp/bad"
check_status "use after return: exit status 86" 86 env ASAN_OPTIONS="$asan" UBSAN_OPTIONS="$ubsan" "$tmp/bad" s
check "use after return: ASan's report is in the reports directory" \
	sh -c 'grep -q "stack-use-after-return" "$1"/*.[0-9]*' _ "$reports"
check_status "signed overflow: exit status 86" 86 env ASAN_OPTIONS="$asan" UBSAN_OPTIONS="$ubsan" "$tmp/bad"
check "signed overflow: UBSan's report is in the reports directory" \
	sh -c 'grep -q "signed integer overflow" "$1"/*.[0-9]*' _ "$reports"

# the runner: a unit test that passed but left a report, and a fuzz replay that crashed
mkdir -p "$tmp/fake/tests" "$tmp/fake/fuzz-replay"
printf '#!/bin/sh\necho "[  PASSED  ] 1 test(s)."\n' >"$tmp/fake/tests/test_fake"
printf '#!/bin/sh\necho "FAIL: fuzz_fake: tests/fuzz/seeds/fake/x: Aborted"; exit 1\n' >"$tmp/fake/fuzz-replay/fuzz_fake"
chmod +x "$tmp/fake/tests/test_fake" "$tmp/fake/fuzz-replay/fuzz_fake"
out=$(ND_SAN_REPORTS=$reports B=$tmp/fake bash tests/run.sh --unit-only)
rc=$?
check_eq "tests/run.sh exits 1 on a report or a crashed replay" 1 "$rc"
check_eq "tests/run.sh counts both reports and the replay as failures" "1 passed, 3 failed" \
	"$(printf '%s\n' "$out" | tail -1)"
check "tests/run.sh names the report's error" \
	sh -c 'printf "%s\n" "$1" | grep -q "^    .*ERROR: AddressSanitizer: stack-use-after-return"' _ "$out"
check_eq "reports are moved aside once counted" "" "$(ls "$reports" | grep -v '^seen$')"

# the replay driver (plain C, no clang): a crashing input fails, named, the others still run
mkdir -p "$tmp/seeds"
printf 'ok' >"$tmp/seeds/a" && printf 'X' >"$tmp/seeds/b" && printf 'ok' >"$tmp/seeds/c"
printf '#include <stdint.h>\n#include <stdlib.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)\n{ if (n && d[0] == 88) abort(); return 0; }\n' >"$tmp/h.c"
cc -o "$tmp/fuzz_h" "$tmp/h.c" tests/fuzz/replay.c
rout=$("$tmp/fuzz_h" "$tmp/seeds")
rc=$?
check_eq "replay exits 1 when an input crashes" 1 "$rc"
check_eq "replay names the crashing input, and only it" "FAIL: fuzz_h: $tmp/seeds/b: Aborted" "$rout"
check_status "replay with no inputs fails" 1 "$tmp/fuzz_h" "$tmp/empty-dir-that-is-not-there"
rm "$tmp/seeds/b"
check_eq "replay passes the rest" "PASS: fuzz_h replays 2 inputs" "$("$tmp/fuzz_h" "$tmp/seeds")"

# the dependency check at parse time asks scripts/deps.sh only for what the goals need
classes() { nd_make -pn --no-print-directory B="$tmp/b" "$@" 2>/dev/null | sed -n 's/^DEPS_CLASSES := //p' | xargs; }
check_eq "make (all) checks the build packages only" "build" "$(classes)"
check_eq "make test checks the test tools too" "build test" "$(classes test)"
check_eq "make bench: build, test and bench packages" "build test bench" "$(classes bench)"
check_eq "make fuzz: build packages and libFuzzer" "build fuzz" "$(classes fuzz)"
check "the build class names no test tool (jq, tcpdump, socat)" \
	sh -c '! scripts/deps.sh list build | grep -qwE "jq|tcpdump|socat"'
check "the test class names them" sh -c 'scripts/deps.sh list test | grep -qw jq'
