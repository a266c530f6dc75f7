# connstat's BPF programs (included by the top-level Makefile when present).
#
# Every tools/connstat/NAME.bpf.c becomes $(B)/bpf/NAME.bpf.o (clang -target bpf) and the skeleton
# $(B)/bpf/NAME.skel.h (bpftool gen skeleton), against a vmlinux.h dumped from the running kernel's
# BTF into $(B)/bpf/ (never committed).  connstat's objects then build with -DND_HAVE_BPF and
# -I$(B)/bpf and link libbpf.  When clang, bpftool, libbpf or the kernel's BTF is missing (or
# BPF=0 is given), connstat builds without BPF and says so in --version.

BPF_CLANG ?= clang
BPF_STRIP ?= llvm-strip
BPFTOOL   ?= $(or $(shell command -v bpftool 2>/dev/null),$(wildcard /usr/sbin/bpftool))
BPF_BTF   ?= /sys/kernel/btf/vmlinux
BPF_DIR   := $(B)/bpf
BPF_SRC   := $(sort $(wildcard tools/connstat/*.bpf.c))
BPF_ARCH  := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' \
		-e 's/s390x/s390/' -e 's/riscv64/riscv/' -e 's/loongarch64/loongarch/')

# Why there is no BPF in this build (empty: there is).
BPF_MISSING :=
ifeq ($(BPF),0)
BPF_MISSING := BPF=0
else
ifeq ($(shell command -v $(BPF_CLANG) 2>/dev/null),)
BPF_MISSING += clang
endif
ifeq ($(BPFTOOL),)
BPF_MISSING += bpftool
endif
ifeq ($(shell $(PKG_CONFIG) --exists libbpf 2>/dev/null && echo y),)
BPF_MISSING += libbpf
endif
ifeq ($(wildcard $(BPF_BTF)),)
BPF_MISSING += BTF
endif
ifeq ($(BPF_SRC),)
BPF_MISSING += programs
endif
endif
BPF_MISSING := $(strip $(BPF_MISSING))

CONNSTAT_OBJ := $(call obj,$(connstat_SRC))

ifeq ($(BPF_MISSING),)
BPF_SKELS := $(patsubst tools/connstat/%.bpf.c,$(BPF_DIR)/%.skel.h,$(BPF_SRC))
BPF_LIBS  := $(or $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null),-lbpf) -lelf -lz
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_DIR) -Itools/connstat \
	      $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)

$(CONNSTAT_OBJ): ND_CFLAGS += -I$(BPF_DIR) -DND_HAVE_BPF
$(CONNSTAT_OBJ): | $(BPF_SKELS)
$(B)/bin/connstat: LIBS += $(BPF_LIBS)
# libtools.a holds connstat's loader: anything linking it may need libbpf (--as-needed drops it)
$(B)/tests/%: LIBS += $(BPF_LIBS)

$(BPF_DIR)/vmlinux.h:
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $(BPF_BTF) format c > $@.tmp && mv $@.tmp $@

$(BPF_DIR)/%.bpf.o: tools/connstat/%.bpf.c $(BPF_DIR)/vmlinux.h
	$(BPF_CLANG) $(BPF_CFLAGS) -MMD -MP -c -o $@ $<
	-$(BPF_STRIP) -g $@ 2>/dev/null

$(BPF_DIR)/%.skel.h: $(BPF_DIR)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

-include $(wildcard $(BPF_DIR)/*.d)
else
$(CONNSTAT_OBJ): ND_CFLAGS += -DND_BPF_MISSING='"$(BPF_MISSING)"'
endif
