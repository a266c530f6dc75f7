#!/bin/bash
# The labs' grader can fail: `labs/lab.sh check NN --student FILE` on each unmodified exercise
# skeleton must fail (exit 1, naming the claim), and a file that does not compile fails too.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
export LAB_PREFIX=$ND_TAG BIN=$ND_BIN LABBIN=${ND_BIN%/bin}/labs

# The grader can fail: each exercise skeleton, unmodified, must not pass its lab's checker.
# A checker names the skeleton it grades in a line "# skeleton: labs/exercises/NAME.c"; labs 03,
# 06 and 11 grade one whether they say so or not.
declare -A known=([03]=srv_echo [06]=rd_loop [11]=echo_concurrent)
for c in labs/check/[0-9][0-9].sh; do
	nn=$(basename "$c" .sh)
	skel=$(sed -n 's/^# skeleton: *\(labs\/exercises\/[^ ]*\.c\).*/\1/p' "$c" | head -1)
	[ -z "$skel" ] && [ -n "${known[$nn]:-}" ] && skel=labs/exercises/${known[$nn]}.c
	[ -n "$skel" ] || continue
	if [ ! -f "$skel" ]; then
		fail "lab $nn: its skeleton $skel exists"
		continue
	fi
	out=$(labs/lab.sh check "$nn" --student "$skel" 2>&1)
	rc=$?
	check "lab $nn: the grader fails the unmodified skeleton ${skel#labs/exercises/} (exit $rc)" \
		test $rc -eq 1
	check "lab $nn: ... and says which claim failed" \
		sh -c 'grep "^FAIL: lab $0: " | grep -vq "the checker ran to its end"' "$nn" <<<"$out"
	check_eq "lab $nn: ... and its checker ran to its end on the skeleton" "" \
		"$(grep 'the checker ran to its end' <<<"$out")"
done


bad=$(mktemp --suffix=.c)
echo 'int main(void) { return undeclared; }' >"$bad"
out=$(labs/lab.sh check 03 --student "$bad" 2>&1)
check_status "a student file that does not compile fails the grader (exit 1)" 1 \
	labs/lab.sh check 03 --student "$bad"
check "... with the line 'the student program compiles'" grep -q '^FAIL: lab 03: the student program compiles' <<<"$out"
check "--student --json gives a JSON verdict" sh -c "labs/lab.sh check 03 --json --student '$bad' | jq -e '.failed == 1' >/dev/null"
check_status "--student for a lab without an exercise (01) is refused (exit 2)" 2 \
	labs/lab.sh check 01 --student "$bad"
check_status "--student with a file that is not there is refused (exit 2)" 2 \
	labs/lab.sh check 03 --student /nonexistent/x.c
rm -f "$bad"
check_eq "no lab namespace is left behind" "" "$(ip netns list | grep -- "^$ND_TAG-ck")"
