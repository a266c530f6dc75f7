#!/bin/bash
# The built tools carry the hardening the Makefile asks for, read back from the ELF files with
# readelf: PIE, full RELRO (a GNU_RELRO segment and BIND_NOW), the stack protector
# (__stack_chk_fail), FORTIFY (__*_chk calls), a non-executable stack, and on x86 what
# -fcf-protection leaves: endbr64 landing pads, and the IBT/SHSTK note on every object.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 2
# a make of its own: not the MAKEFLAGS (B=, SAN=, -w) of the make check or make test around it
nd_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "$@"; }

nd_need_cmd readelf "readelf is missing (binutils)"
for bin in "$ND_BIN"/*; do
	[ -x "$bin" ] || continue
	t=${bin##*/}
	hdr=$(readelf -hlW "$bin") dyn=$(readelf -dW "$bin") syms=$(readelf --dyn-syms -W "$bin")
	check "$t is PIE (type DYN, FLAGS_1 PIE)" \
		sh -c 'printf "%s\n" "$1" | grep -q "Type: *DYN" && printf "%s\n" "$2" | grep -q "FLAGS_1.*PIE"' _ "$hdr" "$dyn"
	check "$t has full RELRO (GNU_RELRO and BIND_NOW)" \
		sh -c 'printf "%s\n" "$1" | grep -q GNU_RELRO && printf "%s\n" "$2" | grep -qE "BIND_NOW|FLAGS_1.* NOW"' _ "$hdr" "$dyn"
	check "$t has a stack canary (__stack_chk_fail)" \
		sh -c 'printf "%s\n" "$1" | grep -q " __stack_chk_fail"' _ "$syms"
	check "$t is fortified (__*_chk calls)" \
		sh -c 'printf "%s\n" "$1" | grep -qE " __[a-z_]+_chk(@| |$)"' _ "$syms"
	check_eq "$t has a non-executable stack (GNU_STACK RW)" "RW" \
		"$(printf '%s\n' "$hdr" | awk '$1 == "GNU_STACK" {print $(NF-1)}')"
	if [ "$(uname -m)" = x86_64 ]; then
		# glibc's own start files bring endbr64 anyway: look at the tool's main()
		check "$t's main() starts at an IBT landing pad (endbr64, -fcf-protection)" \
			sh -c 'objdump -d --no-show-raw-insn --disassemble=main "$1" | grep -q endbr64' _ "$bin"
	fi
done

# -fcf-protection marks every object IBT and SHSTK.  The linked tools lose the mark on Debian 12,
# whose crt1.o/crti.o carry none (the linker keeps a feature only when every input has it), so
# the objects are what shows the flag was applied.
if [ "$(uname -m)" = x86_64 ] && [ -d "$ND_BIN/../obj/lib" ]; then
	unmarked=$(for o in "$ND_BIN"/../obj/lib/*.o "$ND_BIN"/../obj/tools/*/*.o; do
		[ -e "$o" ] || continue
		readelf -nW "$o" | grep -q "x86 feature: IBT, SHSTK" || echo "${o##*/}"
	done)
	check_eq "every library and tool object is marked IBT, SHSTK" "" "$unmarked"
fi

# The user's CFLAGS change the optimisation and keep the project's own flags (nd_make -n: nothing is
# built).  FORTIFY is there in an optimised build, and left out at -O0, where glibc refuses it.
line() { nd_make -n -B --no-print-directory B=build/hardening-probe "$@" build/hardening-probe/obj/lib/addr.o 2>/dev/null | grep -m1 'lib/addr\.c'; }
o0=$(line CFLAGS=-O0) o1=$(line CFLAGS='-O1 -g')
for f in -Ilib -fstack-protector-strong -fPIE -fstack-clash-protection -Wall -O0; do
	check "make CFLAGS=-O0 keeps $f" sh -c 'case " $1 " in *" $2 "*) exit 0 ;; esac; exit 1' _ "$o0" "$f"
done
check "make CFLAGS=-O0 leaves FORTIFY out" sh -c 'case "$1" in *-D_FORTIFY_SOURCE=*) exit 1 ;; esac' _ "$o0"
check "make CFLAGS='-O1 -g' has FORTIFY (level 2 or 3) and -Ilib" \
	sh -c 'case " $1 " in *" -D_FORTIFY_SOURCE="[23]" "*" -Ilib "*" -O1 -g "*) exit 0 ;; esac; exit 1' _ "$o1"
check_eq "make clean removes \$(B), not all of build/" "rm -rf build/hardening-probe" \
	"$(nd_make -n --no-print-directory B=build/hardening-probe clean 2>/dev/null)"
