# shellcheck shell=bash
# labs/check/lib.sh — sourced by every checker labs/check/NN.sh.
#
# A checker runs its lab's steps unattended on a topology of its own and asserts every claim the
# sheet makes, one output line per claim:
#   PASS: lab NN: sentence      FAIL: lab NN: sentence (what was seen)      SKIP: lab NN: sentence (why)
# It exits 0 only when no claim failed.  `labs/lab.sh check N` runs it with this environment:
#   LAB          the lab's number               LAB_PREFIX  a prefix unique to this run
#   BIN          the netdiag tools              LABBIN      the labs' programs (build/labs)
#   STUDENT_BIN  the student's compiled program (check N --student FILE), else empty
#   ND_ROOT      the repository's top           LAB_TMP     a scratch directory, removed at exit
#
#   lab_up                         the topology (labs/lab.sh up); torn down at exit
#   on HOST CMD...                 run CMD in HOST's namespace (h1 r h2 h3 h4), tools on PATH
#   bg HOST CMD...                 the same in the background: pid in $BG_PID (the program's own), killed at exit
#   claim "sentence" CMD...        PASS when CMD exits 0 (CMD runs in a subshell: no variables come back)
#   claim_eq "sentence" WANT GOT   PASS when the strings are equal
#   claim_match "sentence" RE TEXT PASS when TEXT matches the extended regex RE
#   skip_claim "sentence" "why"
#   wait_for SECS CMD...           poll CMD every 0.1 s until it succeeds; status 1 after SECS
#   impair ARGS...                 labs/lab.sh impair ARGS (no ARGS: clear)
#   capture HOST NAME [FILTER...]  tcpdump on HOST's eth0 (or $CAP_IF) into $LAB_TMP/NAME.pcap, in the
#                                  background; returns once tcpdump listens (status 1 if it never does)
#   captured NAME [OPTIONS...]     the packets of capture NAME so far: tcpdump -r ... -nn OPTIONS
#
# A checker that grades a student's program names the skeleton it grades in one comment line,
#   # skeleton: labs/exercises/NAME.c
# and tests/integration/test_labs.sh shows that `check NN --student` that skeleton fails.
set -u

ND_ROOT=${ND_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LAB=$(printf '%02d' "$((10#${LAB:-$(basename "$0" .sh)}))")
LAB_PREFIX=${LAB_PREFIX:-lab-ck$$-$LAB}
BIN=${BIN:-$ND_ROOT/build/bin}
LABBIN=${LABBIN:-$(dirname "$BIN")/labs}
STUDENT_BIN=${STUDENT_BIN:-}
LAB_TMP=$(mktemp -d "/tmp/lab$LAB.XXXXXX")
export ND_ROOT LAB LAB_PREFIX BIN LABBIN STUDENT_BIN LAB_TMP
LAB_FAILS=0
LAB_IS_UP=0
LAB_BG_PIDS=()

_lab_exit() {
	local rc=$? p
	for p in "${LAB_BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		kill -CONT "$p" 2>/dev/null
	done
	if [ "$LAB_IS_UP" = 1 ]; then
		"$ND_ROOT/labs/lab.sh" down >/dev/null 2>&1
	fi
	rm -rf "$LAB_TMP"
	[ "$LAB_FAILS" -gt 0 ] && exit 1
	exit "$rc"
}
trap _lab_exit EXIT
trap 'exit 130' INT TERM

# One line of text, at most 300 characters, for a FAIL's detail.
_lab_oneline() {
	local s
	s=$(printf '%s' "$1" | tr '\n\t' '  ' | tr -s ' ')
	[ ${#s} -gt 300 ] && s="${s:0:297}..."
	printf '%s' "$s"
}

# _lab_result OK SENTENCE DETAIL — print the line; append "ok<TAB>sentence<TAB>detail" to
# $LAB_RESULTS when lab.sh check collects results for --json.
_lab_result() {
	local ok=$1 s=$2 d=${3:-}
	case $ok in
	pass) echo "PASS: lab $LAB: $s" ;;
	fail)
		echo "FAIL: lab $LAB: $s${d:+ ($d)}"
		LAB_FAILS=$((LAB_FAILS + 1))
		;;
	skip) echo "SKIP: lab $LAB: $s${d:+ ($d)}" ;;
	esac
	[ -n "${LAB_RESULTS:-}" ] && printf '%s\t%s\t%s\n' "$ok" "$(_lab_oneline "$s")" "$d" >>"$LAB_RESULTS"
	return 0
}

lab_up() {
	local out
	if out=$("$ND_ROOT/labs/lab.sh" up 2>&1); then
		LAB_IS_UP=1
	else
		LAB_IS_UP=1
		_lab_result fail "the lab topology comes up" "$(_lab_oneline "$out")"
		exit 1
	fi
}

on() {
	local host=$1
	shift
	ip netns exec "$LAB_PREFIX-$host" env LAB_PREFIX="$LAB_PREFIX" LAB_HOST="$host" \
		PATH="$LABBIN:$BIN:$PATH" "$@"
}

# ip netns exec and env both exec, so $! is the program's own pid.
bg() {
	local host=$1
	shift
	ip netns exec "$LAB_PREFIX-$host" env LAB_PREFIX="$LAB_PREFIX" LAB_HOST="$host" \
		PATH="$LABBIN:$BIN:$PATH" "$@" &
	BG_PID=$!
	LAB_BG_PIDS+=("$BG_PID")
}

claim() {
	local s=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		_lab_result pass "$s"
	else
		_lab_result fail "$s" "exit $rc${out:+: $(_lab_oneline "$(printf '%s' "$out" | tail -5)")}"
	fi
}

claim_eq() {
	if [ "$2" == "$3" ]; then
		_lab_result pass "$1"
	else
		_lab_result fail "$1" "want '$(_lab_oneline "$2")', got '$(_lab_oneline "$3")'"
	fi
}

claim_match() {
	if [[ $3 =~ $2 ]]; then
		_lab_result pass "$1"
	else
		_lab_result fail "$1" "no match for /$2/ in '$(_lab_oneline "$3")'"
	fi
}

skip_claim() {
	_lab_result skip "$1" "${2:-}"
}

wait_for() {
	local i=${1%%.*} f=0 n
	[[ $1 == *.* ]] && f=${1#*.}
	n=$((10#${i:-0} * 10 + 10#${f:0:1}))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

capture() {
	local host=$1 name=$2
	shift 2
	bg "$host" tcpdump -i "${CAP_IF:-eth0}" -U -w "$LAB_TMP/$name.pcap" "$@" 2>"$LAB_TMP/$name.err"
	wait_for 5 grep -q 'listening on' "$LAB_TMP/$name.err"
}

captured() {
	local name=$1
	shift
	tcpdump -r "$LAB_TMP/$name.pcap" -nn "$@" 2>/dev/null
}

impair() {
	"$ND_ROOT/labs/lab.sh" impair "$@"
}

# res SENTENCE DETAIL CMD... — one line of an exercise's grading, for grade_exercise: "pass<TAB>
# SENTENCE" when CMD holds, else "fail<TAB>SENTENCE<TAB>DETAIL".
res() {
	local s=$1 d=$2
	shift 2
	if "$@"; then printf 'pass\t%s\n' "$s"; else printf 'fail\t%s\t%s\n' "$s" "$d"; fi
}

# grade_exercise NAME — grade the exercise NAME with the checker's own `grade PROG` (which prints
# res lines): the student's program under --student, else the reference labs/src/NAME.c, one
# claim per line; and, without --student, claim that the unmodified skeleton
# labs/exercises/NAME.c fails at least one line (the grader can fail).
grade_exercise() {
	local name=$1 prog who ok s d fails
	if [ -n "$STUDENT_BIN" ]; then
		prog=$STUDENT_BIN who="student's $name"
	else
		prog=$LABBIN/$name who=$name
	fi
	while IFS=$'\t' read -r ok s d; do
		if [ "$ok" = pass ]; then
			claim_eq "exercise ($who): $s" ok ok
		else
			claim_eq "exercise ($who): $s" ok "$d"
		fi
	done < <(grade "$prog")
	if [ -z "$STUDENT_BIN" ]; then
		fails=$(grade "$LABBIN/exercises/$name" | grep -c '^fail')
		claim "the grader fails the unmodified skeleton labs/exercises/$name.c" test "$fails" -gt 0
	fi
}

# on, wait_for and captured also work inside `bash -c "..."` and `sh -c` children of bash
export -f on wait_for captured
