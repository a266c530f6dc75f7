#!/bin/bash
# The labs say the truth: `labs/lab.sh check all --json` runs every lab's checker, and each claim
# a sheet makes becomes one PASS/FAIL line here; every English sheet and its Chinese translation
# carry the same commands.  (lab.sh's topology, impairment and clean-up: test_labs_topology.sh;
# the grader against the exercise skeletons: test_labs_student.sh — each file within run.sh's 300 s.)
. "$(dirname "$0")/lib.sh"
nd_tmpdir TMPD
cd "$(dirname "$0")/../.." || exit 2
export LAB_PREFIX=$ND_TAG BIN=$ND_BIN LABBIN=${ND_BIN%/bin}/labs

# Every fenced code block of a sheet, in order, each line prefixed by the block's number.
code_blocks() {
	awk '/^[ \t]*```/ { inb = !inb; n += inb; next } inb { print n ": " $0 }' "$1"
}

for en in labs/[0-9][0-9]-*.md; do
	zh=labs/zh/${en#labs/}
	if [ ! -f "$zh" ]; then
		fail "${en#labs/} has its Chinese sheet labs/zh/${en#labs/}"
		continue
	fi
	check_eq "${en#labs/}: the Chinese sheet carries the same code blocks in the same order" \
		"$(code_blocks "$en")" "$(code_blocks "$zh")"
done
for zh in labs/zh/[0-9][0-9]-*.md; do
	[ -e "$zh" ] || continue
	check "labs/zh/${zh#labs/zh/} has its English sheet" test -f "labs/${zh#labs/zh/}"
done
for en in labs/[0-9][0-9]-*.md; do
	check "${en#labs/} has teacher notes" test -f "labs/teacher/${en#labs/}"
	check "${en#labs/} has a checker" test -f "labs/check/${en:5:2}.sh"
done

# asserted N — lab N's checker passed or failed at least one claim in $json
asserted() {
	jq -e --argjson n "$1" '[.[] | select(.lab == $n) | .passed + .failed] | add > 0' >/dev/null <<<"$json"
}

# Every lab's checker, each claim one line.
json=$(labs/lab.sh check all --json 2>"$TMPD/check.err")
rc=$?
if ! jq -e 'type == "array" and length > 0' >/dev/null 2>&1 <<<"$json"; then
	fail "labs/lab.sh check all --json prints a JSON array (exit $rc: $(tail -3 "$TMPD/check.err" | tr '\n' ' '))"
else
	jq -r '.[] | ((if .lab < 10 then "0" else "" end) + (.lab | tostring)) as $l | .claims[] |
		(if .ok == true then "PASS" elif .ok == false then "FAIL" else "SKIP" end) +
		": lab \($l): \(.claim)" + (if .ok != true and .detail != "" then " (\(.detail))" else "" end)' \
		<<<"$json"
	jq -r '"   (seconds per lab: " + ([.[] | "\(.lab): \(.seconds)"] | join(", ")) + ")"' <<<"$json"
	failed=$(jq '[.[].failed] | add' <<<"$json")
	check_eq "check all exits 0 exactly when no claim failed" "$([ "$failed" = 0 ] && echo 0 || echo 1)" "$rc"
	for c in labs/check/[0-9][0-9].sh; do
		nn=$((10#$(basename "$c" .sh)))
		check "lab $nn's checker asserted claims" asserted "$nn"
	done
fi
check_eq "check all left no lab namespace behind" "" "$(ip netns list | grep -- "^$ND_TAG-ck")"
