#!/bin/bash
# make install / uninstall honour PREFIX and DESTDIR; every installed tool answers --version and
# --help, and refuses an unknown option with one line and exit 2.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
B=${B:-build}
dest=$(mktemp -d)
trap 'rm -rf "$dest"; nd_cleanup' EXIT

make -s B="$B" DESTDIR="$dest" PREFIX=/opt/nd install >/dev/null 2>&1
check "make install puts the tools under DESTDIR/PREFIX/bin" test -n "$(ls "$dest/opt/nd/bin" 2>/dev/null)"
for t in "$dest"/opt/nd/bin/*; do
	name=${t##*/}
	check_eq "$name --version" "$name (netdiag) " "$("$t" --version | sed 's/[0-9.]*$//')"
	check "$name --help prints a usage" sh -c "'$t' --help | grep -qi usage"
	err=$("$t" --no-such-option 2>&1 >/dev/null)
	check_status "$name --no-such-option exits 2" 2 "$t" --no-such-option
	check_eq "$name --no-such-option says one line" 1 "$(printf '%s\n' "$err" | wc -l)"
	[ -e "man/$name.1" ] && check "$name man page installed" test -f "$dest/opt/nd/share/man/man1/$name.1"
done
make -s B="$B" DESTDIR="$dest" PREFIX=/opt/nd uninstall >/dev/null 2>&1
check_eq "make uninstall removes every file it installed" "" "$(find "$dest" -type f)"
