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

WARN     := -Wall -Wextra -Wshadow -Wformat=2
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) $(HARDEN) -Ilib -MMD -MP
LDFLAGS  += -pie -Wl,-z,relro,-z,now -Wl,--as-needed
ifneq ($(CI)$(WERROR),)
CFLAGS   += -Werror
endif
ifneq ($(SAN),)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

# Dependencies are checked (and installed, as root) before anything that builds or runs.
NODEPS_GOALS := clean deps uninstall help
ifeq ($(MAKELEVEL),0)
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
DEPS_STATUS := $(shell scripts/deps.sh ensure >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error dependencies missing: run the apt-get command printed above, or 'make deps' as root)
endif
endif
endif

MNL_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS    := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
CFLAGS      += $(MNL_CFLAGS)
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
TOOL_PARTS_SRC := $(sort $(filter-out %/main.c,$(wildcard tools/*/*.c)))
LIBTOOLS := $(B)/libtools.a

BINS :=
define TOOL_RULES
$(call tool_name,$1)_SRC := $(sort $(wildcard tools/$(call tool_dir,$1)/*.c))
ifneq ($$($(call tool_name,$1)_SRC),)
BINS += $(B)/bin/$(call tool_name,$1)
$(B)/bin/$(call tool_name,$1): $$(call obj,$$($(call tool_name,$1)_SRC)) $(LIBND)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LIBS)
endif
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULES,$t)))

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
PEER_SRC  := $(sort $(wildcard tests/peers/*.c))
PEER_BINS := $(patsubst tests/peers/%.c,$(B)/peers/%,$(PEER_SRC))
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BINS:= $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))

.PHONY: all tools demo test unit integration check fuzz bench install uninstall clean deps help
.DEFAULT_GOAL := all
# keep objects that only pattern rules name (unit tests, peers): no rebuild on every run
.SECONDARY:

all: $(BINS) $(UNIT_BINS) $(PEER_BINS) $(BENCH_BINS)
tools: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# unit tests reach into the tools' own headers: #include "ifinfo/ifdb.h"
$(B)/obj/tests/unit/%.o: CFLAGS += -Itools

$(LIBND): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(LIBTOOLS): $(call obj,$(TOOL_PARTS_SRC))
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(LIBTOOLS) $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LIBS)

$(B)/peers/%: $(B)/obj/tests/peers/%.o $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/bench/%: $(B)/obj/bench/%.o $(LIBND)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The main job of every tool that has landed, on this machine.
demo: $(BINS)
	@B=$(B) scripts/demo.sh

# Unit tests (CMocka) and integration tests (namespaces); one closing line "N passed, N failed".
test: all
	@B=$(B) tests/run.sh

unit: $(UNIT_BINS)
	@B=$(B) tests/run.sh --unit-only

integration: $(BINS) $(PEER_BINS)
	@B=$(B) tests/run.sh --integration-only

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer, in a separate build tree.
check:
	CFLAGS="-O1 -g" ND_SANITIZED=1 $(MAKE) B=build/san SAN=1 test

fuzz:
	@B=$(B) tests/fuzz/run.sh

bench: $(BINS) $(BENCH_BINS)
	@B=$(B) bench/run.sh

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	for m in man/*.1; do [ -e "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man1/ || true; done
	for c in completion/*; do [ -e "$$c" ] && install -m 0644 "$$c" $(DESTDIR)$(COMPDIR)/ || true; done

uninstall:
	for t in $(foreach t,$(TOOLS),$(call tool_name,$t)); do \
		rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANDIR)/man1/$$t.1 $(DESTDIR)$(COMPDIR)/$$t; done

clean:
	rm -rf build

deps:
	@scripts/deps.sh install

help:
	@sed -n 's/^## //p' README.md 2>/dev/null | head -1; \
	echo "targets: all demo test unit integration check fuzz bench install uninstall clean deps"

# Pieces with build rules of their own: connstat's BPF programs, the labs' C programs.
-include tools/connstat/bpf.mk
-include labs/labs.mk

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
