#!/bin/bash
# tests/run.sh [--unit-only|--integration-only] — run the suite and close with "N passed, N failed".
#
# Unit tests are the CMocka binaries in $B/tests (each prints its own summary); integration
# tests are tests/integration/test_*.sh (each prints PASS:/FAIL:/SKIP: lines through lib.sh).
# Every single check counts once in the closing line.  Exit status 1 when anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export ND_BIN=${ND_BIN:-$PWD/$B/bin} ND_PEERS=${ND_PEERS:-$PWD/$B/peers} ND_ROOT=$PWD
mode=${1:-all}
pass=0 fail=0 skip=0
log=$(mktemp) && fails=$(mktemp) && trap 'rm -f "$log" "$fails"' EXIT

# say a failure the runner itself found (a crash, a timeout, a sanitizer report) and keep it
# for the closing list
say_fail() {
	echo "FAIL: $*"
	echo "FAIL: $*" >>"$fails"
}

# Sanitized runs (make check) write each ASan/UBSan report to a file in $ND_SAN_REPORTS: every new
# report is one failure of the test that ran, shown here, then moved aside into seen/.
san_reports() {
	local r n=0
	[ -n "${ND_SAN_REPORTS:-}" ] && [ -d "$ND_SAN_REPORTS" ] || return 0
	mkdir -p "$ND_SAN_REPORTS/seen"
	for r in "$ND_SAN_REPORTS"/*.[0-9]*; do
		[ -f "$r" ] || continue
		# LeakSanitizer cannot run in a process traced by strace: no finding, just no leak check
		if grep -q 'LeakSanitizer does not work under ptrace' "$r" && ! grep -q 'ERROR: ' "$r"; then
			echo "note: $1: ${r##*/}: LeakSanitizer could not run under strace (not counted)"
			mv "$r" "$ND_SAN_REPORTS/seen/$1.${r##*/}"
			continue
		fi
		say_fail "$1: sanitizer report ${r##*/}:"
		grep -m1 -E 'ERROR: |runtime error: ' "$r" | sed 's/^/    /'
		grep -m4 -E '^ +#[0-9]+ ' "$r" | sed 's/^/    /'
		mv "$r" "$ND_SAN_REPORTS/seen/$1.${r##*/}"
		n=$((n + 1))
	done
	fail=$((fail + n))
}

# ND_SKIP_TESTS: space-separated globs of test file names not to run (make check skips the labs)
skipped() {
	local g
	for g in ${ND_SKIP_TESTS:-}; do
		# shellcheck disable=SC2053
		[[ $1 == $g ]] && return 0
	done
	return 1
}

if [ "$mode" != --integration-only ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== unit: ${t##*/}"
		# CMOCKA_MESSAGE_OUTPUT stays the default (stdout) so its summary is shown
		"$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		# CMocka names a failed test twice (as it fails, and in its summary): once here
		grep -E '^\[  FAILED  \] ' "$log" | grep -v ' test(s), listed below:' | sort -u |
			sed "s|^|${t##*/}: |" >>"$fails"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -1)
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-0}))
		# a crash or a non-zero exit without a FAILED line still counts as a failure
		if [ $rc -ne 0 ] && [ -z "$f" ]; then
			say_fail "${t##*/} exited with status $rc"
			fail=$((fail + 1))
		fi
		san_reports "${t##*/}"
	done
	# every fuzz harness, through the plain-C driver: its seeds and past crashes in tests/fuzz/seeds/,
	# and the corpus a fuzz run grew in $B/fuzz/, when there is one
	for t in "$B"/fuzz-replay/fuzz_*; do
		[ -x "$t" ] || continue
		name=${t##*/}
		echo "== fuzz replay: $name"
		set -- "tests/fuzz/seeds/${name#fuzz_}"
		[ -d "$B/fuzz/corpus-$name" ] && set -- "$@" "$B/fuzz/corpus-$name"
		"$t" "$@" >"$log" 2>&1
		rc=$?
		cat "$log"
		grep '^FAIL: ' "$log" | sed "s|^|$name: |" >>"$fails"
		p=$(grep -c '^PASS: ' "$log") f=$(grep -c '^FAIL: ' "$log")
		pass=$((pass + p)) fail=$((fail + f))
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			say_fail "$name exited with status $rc"
			fail=$((fail + 1))
		fi
		san_reports "$name"
	done
fi

if [ "$mode" != --unit-only ]; then
	# without root, only the tests marked "# needs: no root" (the others build namespaces)
	root=true
	if [ "$(id -u)" != 0 ]; then
		root=false
		echo "SKIP: integration tests need root (network namespaces), but for those marked '# needs: no root'; unit tests ran"
	fi
	for t in tests/integration/test_*.sh; do
		[ -e "$t" ] || continue
		$root || grep -q '^# needs: no root$' "$t" || continue
		if skipped "${t##*/}"; then
			echo "SKIP: ${t##*/} (ND_SKIP_TESTS)"
			skip=$((skip + 1))
			continue
		fi
		echo "== integration: ${t##*/}"
		start=$SECONDS
		timeout -k 10 300 bash "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		echo "   (${t##*/}: $((SECONDS - start)) s)"
		grep '^FAIL: ' "$log" | sed "s|^|${t##*/}: |" >>"$fails"
		p=$(grep -c '^PASS: ' "$log")
		f=$(grep -c '^FAIL: ' "$log")
		s=$(grep -c '^SKIP: ' "$log")
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			say_fail "${t##*/} timed out after 300 s"
			fail=$((fail + 1))
		elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			say_fail "${t##*/} exited with status $rc"
			fail=$((fail + 1))
		fi
		san_reports "${t##*/}"
	done
fi

# the failures once more, together, just above the closing line (a long log is read from its end)
if [ $fail -gt 0 ]; then
	echo "== what failed:"
	sed 's/^/   /' "$fails"
fi
if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
