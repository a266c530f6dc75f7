# netdiag — top-level GNU Makefile.  See README.md for the targets.
#
# Layout of the build tree:
#   $(B)/obj/...      objects and .d dependency files, mirroring the source tree
#   $(B)/libnetdiag.a the shared library
#   $(B)/bin/         the four tools
#   $(B)/tests/       unit test binaries;  $(B)/peers/  test peers;  $(B)/bench/ bench helpers

B        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
MANDIR   := $(PREFIX)/share/man
COMPDIR  := $(PREFIX)/share/bash-completion/completions

CC       ?= cc
PKG_CONFIG ?= pkg-config

# Flags come in two sets.  CFLAGS, CPPFLAGS and LDFLAGS are the user's (`make CFLAGS=-O0`
# changes the optimisation only); ND_CFLAGS and ND_LDFLAGS are the project's own (-Ilib, warnings,
# hardening, sanitizers) and are always there.  Compile: $(ND_CFLAGS) $(CPPFLAGS) $(CFLAGS);
# link: the same plus $(ND_LDFLAGS) $(LDFLAGS).  Included .mk files use the same order.
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wformat=2
# cc_flag: FLAG when $(CC) accepts it (-fcf-protection is x86 only, older compilers lack some)
cc_flag   = $(shell $(CC) -Werror $1 -x c -c -o /dev/null /dev/null 2>/dev/null && echo $1)
# FORTIFY needs an optimising build (glibc warns otherwise); level 3 where glibc and the compiler
# give it (__builtin_dynamic_object_size: gcc >= 12, clang >= 9), else 2.
HARDEN   :=
ND_OPT   := $(lastword $(filter -O%,$(CFLAGS)))
ifneq ($(filter-out -O0,$(ND_OPT)),)
FORTIFY  := $(shell printf '\043include <stdio.h>\n\043if __USE_FORTIFY_LEVEL < 3\n\043error\n\043endif\n' | \
	      $(CC) -O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -x c -c -o /dev/null - 2>/dev/null && echo 3 || echo 2)
HARDEN   := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=$(FORTIFY)
endif
HARDEN   += -fstack-protector-strong -fPIE $(call cc_flag,-fstack-clash-protection) \
	    $(call cc_flag,-fcf-protection)
ND_CFLAGS  := -std=gnu11 $(WARN) $(HARDEN) -Ilib -MMD -MP
ND_CLANG   := $(findstring clang,$(shell $(CC) --version 2>/dev/null))
# clang 14 writes DWARF 5 forms (strx1, addrx) that Debian 12's valgrind 3.19 cannot read, and the
# suite counts instructions with callgrind (test_snmp_linear): DWARF 4 for clang's debug info
ifneq ($(ND_CLANG),)
ND_CFLAGS  += -gdwarf-4
endif
ND_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--as-needed
ifneq ($(CI)$(WERROR),)
ND_CFLAGS  += -Werror
endif
# SAN=1: ASan + UBSan.  gcc links both runtimes statically, so that UBSan honours its log_path
# too (with the shared libubsan, its reports go to stderr whatever UBSAN_OPTIONS says).
ifneq ($(SAN),)
ND_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ND_LDFLAGS += -fsanitize=address,undefined $(if $(ND_CLANG),,-static-libasan -static-libubsan)
endif

# Dependencies are checked (and installed, as root) before anything that builds or runs, and
# only those the goals need (scripts/deps.sh's classes): build packages for every goal that
# builds, the test tools for the suites, iperf3/valgrind for bench, libFuzzer for fuzz.
NODEPS_GOALS := clean deps uninstall help
DEPS_GOALS   := $(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all))
DEPS_CLASSES := build $(if $(filter test integration check bench,$(DEPS_GOALS)),test) \
		$(if $(filter bench,$(DEPS_GOALS)),bench) $(if $(filter fuzz fuzz-long,$(DEPS_GOALS)),fuzz)
ifeq ($(MAKELEVEL),0)
ifneq ($(DEPS_GOALS),)
DEPS_STATUS := $(shell scripts/deps.sh ensure $(DEPS_CLASSES) >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error dependencies missing: run the apt-get command printed above, or 'make deps' as root)
endif
endif
endif

MNL_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS    := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
ND_CFLAGS   += $(MNL_CFLAGS)
LIBS        := $(MNL_LIBS) -lm

# tool directory -> installed binary name
TOOLS := ifinfo:ifinfo ping:miniping connstat:connstat sockbuf:sockbuf
tool_dir  = $(word 1,$(subst :, ,$1))
tool_name = $(word 2,$(subst :, ,$1))

obj = $(patsubst %.c,$(B)/obj/%.o,$1)

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(call obj,$(LIB_SRC))
LIBND    := $(B)/libnetdiag.a

# Everything of a tool but its main.c goes into libtools.a too, so unit tests can link its parsers.
# *.bpf.c are BPF programs (tools/connstat/bpf.mk builds them), never part of the user-space tool.
TOOL_PARTS_SRC := $(sort $(filter-out %/main.c %.bpf.c,$(wildcard tools/*/*.c)))
LIBTOOLS := $(B)/libtools.a

BINS :=
define TOOL_RULES
$(call tool_name,$1)_SRC := $(sort $(filter-out %.bpf.c,$(wildcard tools/$(call tool_dir,$1)/*.c)))
ifneq ($$($(call tool_name,$1)_SRC),)
BINS += $(B)/bin/$(call tool_name,$1)
$(B)/bin/$(call tool_name,$1): $$(call obj,$$($(call tool_name,$1)_SRC)) $(LIBND)
	@mkdir -p $$(@D)
	$$(CC) $$(ND_CFLAGS) $$(CFLAGS) $$(ND_LDFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LIBS)
endif
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULES,$t)))

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
PEER_SRC  := $(sort $(wildcard tests/peers/*.c))
PEER_BINS := $(patsubst tests/peers/%.c,$(B)/peers/%,$(PEER_SRC))
# Every fuzz harness also links with the plain-C driver tests/fuzz/replay.c (no clang needed),
# and `make test` replays its seeds (tests/fuzz/seeds/NAME/) and past crashes through it.
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS := $(patsubst tests/fuzz/%.c,$(B)/fuzz-replay/%,$(FUZZ_SRC))
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BINS:= $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

.PHONY: all tools demo test unit integration check fuzz fuzz-long bench install uninstall clean deps help \
	format-check
.DEFAULT_GOAL := all
# keep objects that only pattern rules name (unit tests, peers): no rebuild on every run
.SECONDARY:

all: $(BINS) $(UNIT_BINS) $(PEER_BINS) $(BENCH_BINS) $(REPLAY_BINS)
tools: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# unit tests reach into the tools' own headers: #include "ifinfo/ifdb.h"
$(B)/obj/tests/unit/%.o: ND_CFLAGS += -Itools
$(B)/obj/tests/fuzz/%.o: ND_CFLAGS += -Itools

$(LIBND): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBTOOLS): $(call obj,$(TOOL_PARTS_SRC))
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBTOOLS) $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(B)/fuzz-replay/%: $(B)/obj/tests/fuzz/%.o $(B)/obj/tests/fuzz/replay.o $(LIBTOOLS) $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/peers/%: $(B)/obj/tests/peers/%.o $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/bench/%: $(B)/obj/bench/%.o $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The main job of every tool that has landed, on this machine.
demo: $(BINS)
	@B=$(B) scripts/demo.sh

# Unit tests (CMocka) and integration tests (namespaces); one closing line "N passed, N failed".
# tests/run.sh runs every $(B)/tests/test_* and $(B)/fuzz-replay/fuzz_*, so the binaries of tests
# since renamed or removed (no source left) are dropped first: they would run stale.
STALE_TESTS = $(filter-out $(UNIT_BINS) $(LAB_ROUTER_TEST) $(REPLAY_BINS), \
	      $(wildcard $(B)/tests/test_* $(B)/fuzz-replay/fuzz_*))
test: all
	@rm -f $(STALE_TESTS)
	@B=$(B) tests/run.sh

unit: $(UNIT_BINS) $(REPLAY_BINS)
	@rm -f $(STALE_TESTS)
	@B=$(B) tests/run.sh --unit-only

integration: $(BINS) $(PEER_BINS)
	@B=$(B) tests/run.sh --integration-only

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer, in $(B)/san.  Every
# sanitizer report goes to a file in $(B)/san/reports (not to a stderr a test may swallow), the
# process exits 86 (the tools' own codes are 0, 1 and 2), and tests/run.sh fails the run for each
# report it finds there.  ASan also catches use of a stack frame after its return.  The labs'
# checkers (minutes of namespace traffic; `make test` runs them) are skipped: ND_SKIP_TESTS=.
SAN_REPORTS   = $(abspath $(B)/san/reports)
SAN_ASAN_OPTS = detect_stack_use_after_return=1:exitcode=86:log_path=$(SAN_REPORTS)/asan
SAN_UBSAN_OPTS = print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$(SAN_REPORTS)/ubsan
ND_SKIP_TESTS ?= test_labs*
check:
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS) && chmod 1777 $(SAN_REPORTS)
	ASAN_OPTIONS="$(SAN_ASAN_OPTS)$${ASAN_OPTIONS:+:$$ASAN_OPTIONS}" \
	UBSAN_OPTIONS="$(SAN_UBSAN_OPTS)$${UBSAN_OPTIONS:+:$$UBSAN_OPTIONS}" \
	ND_SAN_REPORTS=$(SAN_REPORTS) ND_SKIP_TESTS="$(ND_SKIP_TESTS)" \
	CFLAGS="-O1 -g" ND_SANITIZED=1 $(MAKE) B=$(B)/san SAN=1 test

# libFuzzer (clang): every harness for FUZZ_SECONDS (30) each; fuzz-long to 10 million executions
# each (hours: see docs/FUZZING.md).  Crashing inputs land in $(B)/fuzz/crashes/.
FUZZ_SECONDS ?= 30
fuzz:
	@B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

fuzz-long:
	@B=$(B) tests/fuzz/run.sh --runs 10000000

bench: $(BINS) $(BENCH_BINS)
	@B=$(B) bench/run.sh

# install: the tools stripped (mode 0755, never setuid), the man pages and completions (0644).
# miniping gets cap_net_raw+ep with setcap, as iputils' package gives ping, so that users can ping
# without root; when that is impossible (not root, no xattrs on the filesystem) install says so
# and how, and still succeeds.  uninstall removes exactly these files, and no directory.
STRIP     ?= strip
MAN_FILES  := $(sort $(wildcard man/*.1))
COMP_FILES := $(sort $(wildcard completion/*))
INSTALLED  := $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(BINS))) \
	      $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN_FILES))) \
	      $(addprefix $(DESTDIR)$(COMPDIR)/,$(notdir $(COMP_FILES)))
install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 0755 -s --strip-program=$(STRIP) $(BINS) $(DESTDIR)$(BINDIR)/
	$(if $(MAN_FILES),install -m 0644 $(MAN_FILES) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(COMP_FILES),install -m 0644 $(COMP_FILES) $(DESTDIR)$(COMPDIR)/)
	@if [ -e $(DESTDIR)$(BINDIR)/miniping ]; then \
		if setcap cap_net_raw+ep $(DESTDIR)$(BINDIR)/miniping 2>/dev/null; then \
			echo "miniping: cap_net_raw+ep set: users can ping without root"; \
		else \
			echo "miniping: cannot set cap_net_raw+ep ($$(if [ "$$(id -u)" != 0 ]; then echo not root; \
				elif ! command -v setcap >/dev/null; then echo no setcap: apt-get install libcap2-bin; \
				else echo no extended attributes on this filesystem; fi)): only root can ping with it;" \
				"as root, run: setcap cap_net_raw+ep $(DESTDIR)$(BINDIR)/miniping" >&2; \
		fi; \
	fi

uninstall:
	rm -f $(INSTALLED)

clean:
	rm -rf $(B)

deps:
	@scripts/deps.sh install

# The C files of lib/ and tools/ that clang-format would change (.clang-format): a report, not a
# CI gate.  Exit 1 when any would; `clang-format -i FILE` shows how.
format-check:
	@command -v clang-format >/dev/null || { echo "format-check: clang-format is needed" >&2; exit 2; }
	@n=0; for f in $(sort $(wildcard lib/*.[ch] tools/*/*.[ch])); do \
		clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || { echo "$$f"; n=$$((n + 1)); }; \
	done; echo "format-check: $$n files differ from .clang-format"; [ $$n -eq 0 ]

help:
	@sed -n 's/^## //p' README.md 2>/dev/null | head -1; \
	echo "targets: all demo test unit integration check fuzz fuzz-long bench install uninstall clean deps format-check"

# Pieces with build rules of their own: connstat's BPF programs, the labs' C programs.
-include tools/connstat/bpf.mk
-include labs/labs.mk

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
