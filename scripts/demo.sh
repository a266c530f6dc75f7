#!/bin/bash
# scripts/demo.sh — the main job of every tool that has landed, on this machine.
# Each tool adds scripts/demo.d/NN-<tool>.sh, run in order with $BIN set.
set -u
cd "$(dirname "$0")/.." || exit 2
export BIN=${BIN:-$PWD/${B:-build}/bin}
rc=0
for d in scripts/demo.d/*.sh; do
	[ -e "$d" ] || continue
	bash "$d" || rc=$?
done
exit $rc
