#!/bin/bash
# make install / uninstall honour PREFIX and DESTDIR and install exactly the expected files, with
# their modes, stripped; miniping gets cap_net_raw+ep (never setuid) and a normal user pings
# loopback with the installed copy; without root, install says why it cannot set the capability.
# Every installed tool answers --version and --help, and refuses an unknown option with one line
# and exit 2.  uninstall removes every file install put there.
# Without root it runs too (tests/run.sh runs it for any user): the parts that need root (the
# capability and a user pinging with it, the ramfs in a mount namespace) say SKIP then.
# needs: no root
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
# a make of its own: not the MAKEFLAGS (B=, SAN=, -w) of the make check or make test around it
nd_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }
B=${B:-build}
root=false
[ "$(id -u)" = 0 ] && root=true
nd_tmpdir dest
chmod 755 "$dest" # the normal user below must reach the installed files

# what install must put there: the four tools, and a man page and a completion for each
tools="connstat ifinfo miniping sockbuf"
want=$(for t in $tools; do
	echo "bin/$t"
	[ -e "man/$t.1" ] && echo "share/man/man1/$t.1"
	[ -e "completion/$t" ] && echo "share/bash-completion/completions/$t"
done | sort)

out=$(nd_make -s B="$B" DESTDIR="$dest" PREFIX=/opt/nd install 2>&1)
check "make install succeeds" test $? -eq 0
check_eq "make install puts exactly the expected files under DESTDIR/PREFIX" "$want" \
	"$(cd "$dest/opt/nd" && find . -type f -printf '%P\n' | sort)"
check_eq "tools are 0755 (no setuid), pages and completions 0644" \
	"$(for f in $want; do case $f in bin/*) echo 755 ;; *) echo 644 ;; esac; done)" \
	"$(for f in $want; do stat -c %a "$dest/opt/nd/$f"; done)"
for t in $tools; do
	check "$t is installed stripped (no .symtab)" \
		sh -c "! readelf -S '$dest/opt/nd/bin/$t' | grep -q '\.symtab'"
done

mp=$dest/opt/nd/bin/miniping
if ! $root; then
	skip "not root: no capability to set, and no namespace to ping in"
elif getcap "$mp" >/dev/null 2>&1 && [ -n "$(getcap "$mp")" ]; then
	check_eq "miniping has cap_net_raw+ep" "cap_net_raw=ep" "$(getcap "$mp" | awk '{print $2}')"
	check "install says the capability is set" sh -c "printf '%s\n' \"\$1\" | grep -q 'cap_net_raw+ep set'" _ "$out"
	# in a fresh namespace no group may use ICMP datagram sockets (ping_group_range "1 0"), so
	# only the raw socket the capability opens can ping: a copy without it must fail
	ns=$(nd_ns inst)
	cp "$mp" "$dest/miniping-nocap" && chmod 755 "$dest/miniping-nocap"
	check_eq "the namespace has no unprivileged ICMP sockets" "1	0" \
		"$(nd_in "$ns" sysctl -n net.ipv4.ping_group_range)"
	asuser() { nd_in "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@" >/dev/null; }
	check "a normal user pings loopback with the installed miniping" asuser "$mp" -c 1 -W 2 -q 127.0.0.1
	check_status "the same binary without the capability cannot (exit 2)" 2 \
		asuser "$dest/miniping-nocap" -c 1 -W 2 -q 127.0.0.1
else
	skip "setcap did not work here (filesystem without xattrs?): $out"
fi

for t in "$dest"/opt/nd/bin/*; do
	name=${t##*/}
	check_eq "$name --version" "$name (netdiag) " "$("$t" --version | head -1 | sed 's/[0-9.]*$//')"
	check "$name --help prints a usage" sh -c "'$t' --help | grep -qi usage"
	err=$("$t" --no-such-option 2>&1 >/dev/null)
	check_status "$name --no-such-option exits 2" 2 "$t" --no-such-option
	check_eq "$name --no-such-option says one line" 1 "$(printf '%s\n' "$err" | wc -l)"
done
nd_make -s B="$B" DESTDIR="$dest" PREFIX=/opt/nd uninstall >/dev/null 2>&1
rm -f "$dest/miniping-nocap"
check_eq "make uninstall removes every file it installed" "" "$(find "$dest" -type f)"

# root, but a filesystem without extended attributes (ramfs, in a mount namespace of its own so
# nothing outside sees it): install still installs, and says why there is no capability and how
if $root; then
	xdest=$(mktemp -d -p "$dest")
	xout=$(unshare -m sh -c 'mount -t ramfs none "$1" && shift && "$@"' _ "$xdest" \
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s B="$B" DESTDIR="$xdest" PREFIX=/opt/nd install 2>&1)
	check "make install on a filesystem without xattrs succeeds" test $? -eq 0
	check "without xattrs, install says it cannot set the capability, and how to" \
		sh -c "printf '%s\n' \"\$1\" | grep -q 'cannot set cap_net_raw+ep (no extended attributes on this filesystem).*setcap cap_net_raw+ep'" _ "$xout"
	check_eq "the ramfs went with its mount namespace" "" "$(find "$xdest" -type f)"
	rmdir "$xdest"
else
	skip "not root: no mount namespace for a filesystem without extended attributes"
fi

# not root: install still installs, and says why miniping has no capability and what to run
# (as nobody when this runs as root)
udest=$(mktemp -d -p "$dest")
asnobody=()
if $root; then
	chown 65534:65534 "$udest"
	asnobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
uout=$("${asnobody[@]}" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL HOME=/ \
	make -s B="$B" DESTDIR="$udest" PREFIX=/opt/nd install 2>&1)
check "make install as a normal user succeeds" test -x "$udest/opt/nd/bin/miniping"
check "without root, install says it cannot set the capability, and how to" \
	sh -c "printf '%s\n' \"\$1\" | grep -q 'cannot set cap_net_raw+ep (not root).*setcap cap_net_raw+ep'" _ "$uout"
check_eq "without root, miniping has no capability and no setuid bit" "755:" \
	"$(stat -c %a "$udest/opt/nd/bin/miniping"):$(getcap "$udest/opt/nd/bin/miniping")"
