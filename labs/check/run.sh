#!/bin/bash
# labs/check/run.sh N|all [--json] [--student FILE] — `labs/lab.sh check`: run lab N's checker
# (labs/check/NN.sh), or every lab's in turn, each on a topology of its own (a LAB_PREFIX unique
# to this run), and exit 0 only when every claim holds.
#
# Lines: PASS:/FAIL:/SKIP: lab NN: sentence.  --json prints instead, for one lab,
#   {"lab":N,"claims":[{"claim":"...","ok":true|false|null,"detail":"..."}],"passed":P,"failed":F,
#    "skipped":S,"seconds":T}
# and for `all` an array of those.  --student FILE compiles a student's C file (one lab only) and
# hands it to the checker as $STUDENT_BIN in place of the reference program.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${LAB_PREFIX:-lab}
BIN=${BIN:-$ROOT/build/bin}
LABBIN=${LABBIN:-$(dirname "$BIN")/labs}
export BIN LABBIN ND_ROOT=$ROOT

usage() {
	echo "usage: labs/lab.sh check N|all [--json] [--student FILE]" >&2
	exit 2
}

which='' json=0 student=''
while [ $# -gt 0 ]; do
	case $1 in
	--json) json=1 ;;
	--student)
		[ $# -ge 2 ] || usage
		student=$2
		shift
		;;
	all) which=all ;;
	[0-9] | [0-9][0-9]) which=$(printf '%02d' "$((10#$1))") ;;
	*) echo "lab.sh check: unknown argument '$1'" >&2 && usage ;;
	esac
	shift
done
[ -n "$which" ] || usage
if [ "$which" = all ]; then
	[ -z "$student" ] || { echo "lab.sh check: --student grades one lab: check N --student FILE" >&2; exit 2; }
	mapfile -t checkers < <(ls "$ROOT"/labs/check/[0-9][0-9].sh 2>/dev/null)
	[ ${#checkers[@]} -gt 0 ] || { echo "lab.sh check: no checkers in labs/check/" >&2; exit 2; }
else
	checkers=("$ROOT/labs/check/$which.sh")
	[ -f "${checkers[0]}" ] || { echo "lab.sh check: lab $which has no checker (labs/check/$which.sh)" >&2; exit 2; }
fi
if [ -n "$student" ] && ! grep -q '^# skeleton:' "${checkers[0]}"; then
	echo "lab.sh check: lab $which grades no student program (the exercises are labs 03, 06 and 11)" >&2
	exit 2
fi
if [ -n "$student" ] && [ ! -r "$student" ]; then
	echo "lab.sh check: cannot read $student" >&2
	exit 2
fi

TMP=$(mktemp -d /tmp/labcheck.XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT

# The student's program, built as the labs' own are (labs/labs.mk); a compile error is a failed claim.
STUDENT_BIN=
if [ -n "$student" ]; then
	if ! cc -std=gnu11 -O2 -g -Wall -Wextra -pthread -o "$TMP/student" "$student" 2>"$TMP/cc.log"; then
		n=$((10#$which))
		err=$(grep -m1 'error' "$TMP/cc.log" | tr '\t' ' ')
		if [ $json = 1 ]; then
			jq -n --argjson lab "$n" --arg d "$err" \
				'{lab:$lab,claims:[{claim:"the student program compiles",ok:false,detail:$d}],passed:0,failed:1,skipped:0}'
		else
			echo "FAIL: lab $which: the student program compiles ($err)"
		fi
		exit 1
	fi
	STUDENT_BIN=$TMP/student
fi
export STUDENT_BIN

# to_json NN RESULTS — one lab's object from the checker's tab-separated results.
to_json() {
	jq -R -s --argjson lab "$((10#$1))" '
		[split("\n")[] | select(length > 0) | split("\t") |
		 {claim: .[1], ok: (if .[0] == "pass" then true elif .[0] == "fail" then false else null end),
		  detail: (.[2] // "")}] as $c |
		{lab: $lab, claims: $c,
		 passed: ([$c[] | select(.ok == true)] | length),
		 failed: ([$c[] | select(.ok == false)] | length),
		 skipped: ([$c[] | select(.ok == null)] | length)}' "$2"
}

status=0
objs=()
for c in "${checkers[@]}"; do
	nn=$(basename "$c" .sh)
	res=$TMP/$nn.tsv
	: >"$res"
	# each lab on its own names, so that a lab left behind by a crash never meets the next one
	start=$SECONDS
	LAB=$nn LAB_PREFIX="$BASE-ck$$-$nn" LAB_RESULTS=$res timeout -k 5 120 bash "$c" >"$TMP/$nn.out" 2>&1
	rc=$?
	secs=$((SECONDS - start))
	[ $json = 1 ] || cat "$TMP/$nn.out"
	if [ $rc -ne 0 ] && ! grep -q '^fail' "$res"; then
		# a checker that died before it could say what failed still fails
		line="the checker ran to its end (exit $rc$([ $rc = 124 ] && echo ': timed out after 120 s'))"
		printf 'fail\t%s\t%s\n' "$line" "$(tail -3 "$TMP/$nn.out" | tr '\n\t' '  ')" >>"$res"
		[ $json = 1 ] || echo "FAIL: lab $nn: $line"
	fi
	grep -q '^fail' "$res" && status=1
	if [ $json = 1 ]; then
		objs+=("$(to_json "$nn" "$res" | jq -c --argjson s "$secs" '. + {seconds: $s}')")
	else
		echo "-- lab $nn: $(grep -c '^pass' "$res") passed, $(grep -c '^fail' "$res") failed, $(grep -c '^skip' "$res") skipped ($secs s)"
	fi
done

if [ $json = 1 ]; then
	if [ "$which" = all ]; then
		printf '%s\n' "${objs[@]}" | jq -s .
	else
		printf '%s\n' "${objs[0]}"
	fi
fi
exit $status
